/* pixel_history.c - vgt pixel (vgt_replayer.h): the history of one pixel in
 * one guest frame, as RenderDoc's pixel history and apitrace's per-call
 * snapshots let a user ask "which command drew this?".  The trace is
 * replayed through the replayer (the one code path) to the frame; after
 * every command of the frame the pixel is read back from the backend (a
 * surface's image: read_pixels for its colour, surface_download for its
 * bytes) or from the composed display; a command after which it differs
 * is one entry of the history.  On a backend with a fragment probe (soft)
 * the probe is armed on the followed image before every command of the
 * frame, and the fragments each command rasterized there are taken after
 * it: a command with fragments is an entry even when the pixel did not
 * change. */
#include "exec3d.h"
#include "executor_internal.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct ph_run {
    const vgt_pixel_history_options *o;
    vgt_pixel_history *h;
    vgt_replayer *r;
    vgt_pixel_value last; /* the value after the last command read (the frame's start first) */
    vgt_status st;        /* a failure inside the callback (VGT_E_NOMEM) */
    vgt_error err;
    vgt_backend_fragment frags[VGT_BACKEND_FRAGMENTS_MAX]; /* a take's */
} ph_run;

/* The surface image the frame shows last: the sid (face, mip) of its last
 * PRESENT or BLIT_SURFACE_TO_SCREEN, read from the trace's records of the
 * frame (rd seeked there) without running anything; *found false when the
 * frame shows none. */
static vgt_status find_shown_surface(vgt_trace_reader *rd, uint64_t frame, uint32_t *sid,
                                     uint32_t *face, uint32_t *mip, bool *found, vgt_error *err)
{
    const vgt_trace_header *hd = vgt_trace_reader_header(rd);
    *found = false;
    vgt_status st = vgt_trace_reader_seek_frame(rd, frame - hd->start_frame, err);
    if (st != VGT_OK) {
        return st;
    }
    uint32_t *words = NULL;
    size_t cap = 0;
    for (;;) {
        vgt_trace_record rec;
        st = vgt_trace_reader_next(rd, &rec, err);
        if (st == VGT_E_END) {
            st = VGT_OK;
            break;
        }
        if (st != VGT_OK || hd->start_frame + rec.frame > frame || rec.type == VGT_REC_FRAME_END) {
            break;
        }
        if (!vgt_trace_is_commands(rec.type)) {
            continue;
        }
        vgt_trace_commands b;
        if ((st = vgt_trace_commands_parse(&rec, &b, err)) != VGT_OK) {
            break;
        }
        vgt_trace_command tc;
        while (vgt_trace_commands_next(&b, &tc)) {
            if (tc.nwords > cap) {
                uint32_t *w = realloc(words, (size_t)tc.nwords * 4u);
                if (!w) {
                    free(words);
                    return vgt_error_set(err, VGT_E_NOMEM, "pixel: out of memory");
                }
                words = w;
                cap = tc.nwords;
            }
            for (uint32_t i = 0; i < tc.nwords; i++) {
                words[i] = vgt_load_le32(tc.words + 4u * i);
            }
            vgt_cmd cmd;
            vgt_error de;
            vgt_error_clear(&de);
            if (vgt_cmd_decode(words, tc.nwords, &cmd, &de) != VGT_OK) {
                continue; /* the replay reports it as live did */
            }
            if (cmd.id == VGT_SVGA3D_CMD_PRESENT) {
                *sid = cmd.u.present.sid;
                *face = 0;
                *mip = 0;
                *found = true;
            } else if (cmd.id == VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN) {
                *sid = cmd.u.blit_surface_to_screen.src_image.sid;
                *face = cmd.u.blit_surface_to_screen.src_image.face;
                *mip = cmd.u.blit_surface_to_screen.src_image.mipmap;
                *found = true;
            }
        }
    }
    free(words);
    return st;
}

/* Keeps every problem rd recorded (the open's too) in h, replacing those
 * an earlier reader gave, and whether the trace has its footer: the
 * caller reports them (vgt pixel said none, --salvage or not). */
static void keep_problems(vgt_pixel_history *h, const vgt_trace_reader *rd)
{
    /* those the reader kept whole; the ones past them are counted */
    size_t n = vgt_trace_reader_problems_listed(rd);
    h->problems_unlisted = vgt_trace_reader_problem_count(rd) - n;
    free(h->problems);
    h->problems = n ? calloc(n, sizeof(*h->problems)) : NULL;
    h->nproblems = 0;
    h->problems_lost = vgt_trace_reader_problems_lost(rd);
    for (size_t i = 0; h->problems && i < n; i++) {
        vgt_trace_problem_copy_set(&h->problems[h->nproblems++], vgt_trace_reader_problem(rd, i));
    }
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    h->trace_incomplete = !info.footer_present;
    h->trace_chunks = info.chunks;
}

/* Checks the frame against the trace and finds the surface the history
 * follows (o's, or the one the frame shows), through a reader of its own. */
static vgt_status pick_target(const char *path, const vgt_pixel_history_options *o,
                              vgt_pixel_history *h, vgt_error *err)
{
    vgt_trace_reader_options opt;
    vgt_trace_reader_options_init(&opt);
    opt.salvage = o->salvage;
    vgt_trace_reader *rd = NULL;
    vgt_status st = vgt_trace_reader_open(path, &opt, &rd, err);
    if (st != VGT_OK) {
        return st;
    }
    const vgt_trace_header *hd = vgt_trace_reader_header(rd);
    uint64_t frames = vgt_trace_reader_frame_count(rd);
    if (o->frame < hd->start_frame || o->frame - hd->start_frame >= frames) {
        if (frames == 0) {
            st = vgt_error_set(err, VGT_E_NOTFOUND,
                               "%s: no guest frame %" PRIu64 " in the trace (it holds no frame)",
                               path, o->frame);
        } else {
            st = vgt_error_set(err, VGT_E_NOTFOUND,
                               "%s: no guest frame %" PRIu64 " in the trace (guest frames %" PRIu64
                               "..%" PRIu64 ")",
                               path, o->frame, hd->start_frame, hd->start_frame + frames - 1u);
        }
    } else if (o->surface_given) {
        h->sid = o->sid;
        h->face = o->face;
        h->mip = o->mip;
    } else if (!o->display) {
        bool found;
        st = find_shown_surface(rd, o->frame, &h->sid, &h->face, &h->mip, &found, err);
        if (st == VGT_OK && !found) {
            st = vgt_error_set(err, VGT_E_NOTFOUND,
                               "guest frame %" PRIu64 " shows no 3D surface (no PRESENT or "
                               "BLIT_SURFACE_TO_SCREEN): name one (a surface id), or follow "
                               "the display",
                               o->frame);
        }
        h->surface_found = st == VGT_OK;
    }
    keep_problems(h, rd);
    vgt_trace_reader_close(rd);
    return st;
}

/* A depth format's texel (v->raw) as depth 0..1 and stencil, in the
 * layouts SURFACE_DMA gives them: D16 a 16-bit value, D32 a 32-bit one,
 * D24S8 and D24X8 the depth in the high 24 bits of a 32-bit word over a
 * stencil (or unused) byte. */
static void decode_depth(uint32_t format, vgt_pixel_value *v)
{
    if (format == VGT_SVGA3D_Z_D16 && v->raw_size == 2) {
        v->depth = vgt_load_le16(v->raw) / 65535.0;
    } else if (format == VGT_SVGA3D_Z_D32 && v->raw_size == 4) {
        v->depth = vgt_load_le32(v->raw) / 4294967295.0;
    } else if ((format == VGT_SVGA3D_Z_D24S8 || format == VGT_SVGA3D_Z_D24X8) && v->raw_size == 4) {
        uint32_t w = vgt_load_le32(v->raw);
        v->depth = (w >> 8) / 16777215.0;
        v->has_stencil = format == VGT_SVGA3D_Z_D24S8;
        v->stencil = v->has_stencil ? w & 0xffu : 0;
    } else {
        return;
    }
    v->has_depth = true;
}

/* The pixel as it is now (v->state says why there is none). */
static void read_value(ph_run *p, vgt_pixel_value *v)
{
    memset(v, 0, sizeof(*v));
    const vgt_pixel_history_options *o = p->o;
    vgt_executor *ex = vgt_replayer_executor(p->r);
    vgt_error re;
    vgt_error_clear(&re);
    if (o->display) {
        const vgt_image *img = NULL;
        vgt_status st = vgt_executor_compose(ex, &img, &re);
        if (st == VGT_E_NOMEM) {
            p->st = st;
            p->err = re;
        }
        if (st != VGT_OK || !img) {
            v->state = VGT_PIXEL_NO_IMAGE;
            return;
        }
        if (o->x >= img->width || o->y >= img->height) {
            v->state = VGT_PIXEL_OUTSIDE;
            return;
        }
        v->argb = vgt_load_le32(img->pixels + (size_t)o->y * img->stride + (size_t)o->x * 4u);
        v->state = VGT_PIXEL_VALUE;
        v->has_argb = true;
        return;
    }
    vgt_exec3d *e = ex->e3d;
    const e3d_surface *s = e && p->h->sid < e->surface_cap ? e->surfaces[p->h->sid] : NULL;
    if (!s || p->h->face >= s->faces || p->h->mip >= s->mips) {
        v->state = VGT_PIXEL_NO_IMAGE;
        return;
    }
    const vgt_surface_image *im = &s->images[p->h->face * s->mips + p->h->mip];
    /* the image's size even for a pixel outside it: vgt pixel --at 640,0
     * said "never defined in the frame" of a 640x480 target */
    p->h->format = s->format;
    p->h->width = im->size.width;
    p->h->height = im->size.height;
    if (o->x >= im->size.width || o->y >= im->size.height) {
        v->state = VGT_PIXEL_OUTSIDE;
        return;
    }
    v->state = VGT_PIXEL_VALUE;
    vgt_backend_view view = e3d_view(s, p->h->face, p->h->mip);
    vgt_svga3d_rect rect = {o->x, o->y, 1, 1};
    uint8_t px[4];
    if (s->fi->color && e->be.ops->read_pixels(e->be.self, &view, &rect, px, 4, &re) == VGT_OK) {
        v->argb = vgt_load_le32(px);
        v->has_argb = true;
    }
    /* the texel's bytes, as a SURFACE_DMA to the guest reads them: exact
     * for float, depth and 16-bit targets, which read_pixels rounds */
    uint32_t bytes = s->fi->block_bytes;
    if (s->fi->block_width == 1 && s->fi->block_height == 1 && bytes <= sizeof(v->raw)) {
        vgt_svga3d_box box = {o->x, o->y, 0, 1, 1, 1};
        vgt_error_clear(&re);
        if (e->be.ops->surface_download(e->be.self, s->host, p->h->face, p->h->mip, &box, v->raw,
                                        bytes, bytes, &re) == VGT_OK) {
            v->raw_size = bytes;
            decode_depth(s->format, v);
        }
    }
}

static bool same_value(const vgt_pixel_value *a, const vgt_pixel_value *b)
{
    return a->state == b->state && a->has_argb == b->has_argb && a->argb == b->argb &&
           a->raw_size == b->raw_size && memcmp(a->raw, b->raw, a->raw_size) == 0;
}

/* Points the backend's fragment probe at the followed image as it is now
 * (a surface redefined gets a new host object: armed again before every
 * command), or stops it when the image does not exist. */
static void arm_probe(ph_run *p)
{
    vgt_exec3d *e = vgt_replayer_executor(p->r)->e3d;
    if (!p->h->fragments_recorded || !e) {
        return;
    }
    const e3d_surface *s = e && p->h->sid < e->surface_cap ? e->surfaces[p->h->sid] : NULL;
    if (!s || !s->host || p->h->face >= s->faces || p->h->mip >= s->mips) {
        e->be.ops->fragment_probe(e->be.self, NULL, 0, 0);
        return;
    }
    vgt_backend_view view = e3d_view(s, p->h->face, p->h->mip);
    e->be.ops->fragment_probe(e->be.self, &view, p->o->x, p->o->y);
}

/* Before a command: the value before the frame's first command is the
 * frame's start, every record before it applied: a snapshot (a trace that
 * starts at the frame), the register writes before the command (a mode
 * set: the display shows black), the frames before, with commands or
 * without.  Read after the frame before's last command, a frame after a
 * frame without commands, and a trace's first frame, started "not known". */
static void on_command_start(void *ctx, uint64_t seq, uint64_t frame)
{
    ph_run *p = ctx;
    (void)seq;
    if (frame == p->o->frame && p->h->commands == 0 && p->st == VGT_OK) {
        read_value(p, &p->h->start);
        p->last = p->h->start;
        arm_probe(p);
    }
}

static int on_command(void *ctx, const vgt_replay_command *c)
{
    ph_run *p = ctx;
    if (c->frame != p->o->frame) {
        return 0;
    }
    vgt_pixel_history *h = p->h;
    h->commands++;
    vgt_pixel_value now;
    read_value(p, &now);
    if (p->st != VGT_OK) {
        return 1;
    }
    uint32_t nf = 0;
    uint64_t dropped = 0;
    vgt_exec3d *e = vgt_replayer_executor(p->r)->e3d;
    if (h->fragments_recorded && e) {
        nf = e->be.ops->fragment_take(e->be.self, p->frags, VGT_BACKEND_FRAGMENTS_MAX, &dropped);
    }
    bool changed = !same_value(&now, &p->last);
    if (changed || nf || dropped) {
        if (h->count == h->cap) {
            size_t cap = h->cap ? h->cap * 2 : 16;
            vgt_pixel_change *n = realloc(h->changes, cap * sizeof(*n));
            if (!n) {
                p->st = vgt_error_set(&p->err, VGT_E_NOMEM, "pixel: out of memory");
                return 1;
            }
            h->changes = n;
            h->cap = cap;
        }
        vgt_pixel_change *ch = &h->changes[h->count++];
        ch->seq = c->seq;
        ch->id = c->id;
        ch->status = c->status;
        ch->before = p->last;
        ch->after = now;
        ch->changed = changed;
        ch->fragments = NULL;
        ch->fragment_count = 0;
        ch->fragments_dropped = dropped;
        h->changed += changed;
        if (nf) {
            ch->fragments = malloc((size_t)nf * sizeof(*ch->fragments));
            if (!ch->fragments) {
                p->st = vgt_error_set(&p->err, VGT_E_NOMEM, "pixel: out of memory");
                return 1;
            }
            memcpy(ch->fragments, p->frags, (size_t)nf * sizeof(*ch->fragments));
            ch->fragment_count = nf;
        }
    }
    p->last = now;
    h->end = now;
    arm_probe(p);
    return 0;
}

vgt_status vgt_pixel_history_run(const char *path, const vgt_pixel_history_options *o,
                                 vgt_pixel_history *h, vgt_error *err)
{
    memset(h, 0, sizeof(*h));
    h->frame = o->frame;
    h->x = o->x;
    h->y = o->y;
    h->display = o->display;
    if (o->display && o->surface_given) {
        return vgt_error_set(err, VGT_E_INVALID, "pixel: the display or a surface, not both");
    }
    vgt_status st = pick_target(path, o, h, err);
    if (st != VGT_OK) {
        return st;
    }
    ph_run p = {.o = o, .h = h};
    vgt_error_clear(&p.err);
    vgt_replayer_options ro = {
        .backend = o->backend,
        .salvage = o->salvage,
        .first_frame = o->frame,
        .last_frame = o->frame,
        .on_command = on_command,
        .on_command_start = on_command_start,
        .ctx = &p,
    };
    if ((st = vgt_replayer_open(path, &ro, &p.r, err)) != VGT_OK) {
        return st;
    }
    h->backend = vgt_replayer_backend(p.r);
    {
        vgt_exec3d *e = vgt_replayer_executor(p.r)->e3d;
        h->fragments_recorded =
            !o->display && e && e->be.ops->fragment_probe && e->be.ops->fragment_take;
    }
    if (!o->display && h->backend == VGT_REPLAY_BACKEND_NULL) {
        st = vgt_error_set(err, VGT_E_UNSUPPORTED,
                           "the null backend keeps no pixels: replay on soft or gl");
    } else {
        vgt_replay_stats rs;
        st = vgt_replayer_run(p.r, &rs, err);
        h->chunks_skipped = rs.chunks_skipped;
        if (st == VGT_OK && p.st != VGT_OK) {
            st = p.st;
            *err = p.err;
        }
        if (st == VGT_OK && h->commands == 0) {
            st = vgt_error_set(err, VGT_E_NOTFOUND, "guest frame %" PRIu64 " holds no command",
                               o->frame);
        }
    }
    keep_problems(h, vgt_replayer_reader(p.r));
    vgt_replayer_close(p.r);
    return st;
}

void vgt_pixel_history_free(vgt_pixel_history *h)
{
    if (h) {
        for (size_t i = 0; i < h->count; i++) {
            free(h->changes[i].fragments);
        }
        free(h->changes);
        h->changes = NULL;
        h->count = h->cap = 0;
        free(h->problems);
        h->problems = NULL;
        h->nproblems = 0;
    }
}
