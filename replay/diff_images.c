/* diff_images.c - vgt diff --images: two traces replayed in lockstep, their
 * pictures compared frame by frame, and the frames that differ written as
 * PNGs (A's, B's and a picture of where they differ). */
#include "vgt_replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct side {
    const char *label, *path;
    vgt_replayer *r;
    vgt_replay_frame f;
    vgt_status st; /* of the last step: VGT_OK (f holds a frame), VGT_E_END, an error */
    vgt_error err;
} side;

/* The replay's error, naming the trace ("A: FILE: ...": the reader's
 * messages name the file already, the replay's do not). */
static vgt_status side_error(const side *s, vgt_error *err)
{
    if (err) {
        *err = s->err;
        if (strstr(err->message, s->path)) {
            vgt_error_prefix(err, "%s", s->label);
        } else {
            vgt_error_prefix(err, "%s: %s", s->label, s->path);
        }
    }
    return s->st;
}

static vgt_status side_open(side *s, const vgt_diff_images_options *o)
{
    vgt_replayer_options ro = {
        .backend = o->backend,
        .first_frame = o->first_frame,
        .last_frame = o->last_frame,
        .compose = true,
        .salvage = o->salvage,
    };
    vgt_error_clear(&s->err);
    s->st = vgt_replayer_open(s->path, &ro, &s->r, &s->err);
    if (s->st == VGT_OK) {
        s->st = vgt_replayer_begin(s->r, &s->err);
    }
    return s->st;
}

static void side_step(side *s)
{
    s->st = vgt_replayer_step(s->r, &s->f, NULL, &s->err);
}

/* Keeps f in the list while it is shorter than the limit. */
static vgt_status keep(vgt_diff_images_result *out, size_t *cap, const vgt_diff_images_options *o,
                       const vgt_diff_image_frame *f, vgt_error *err)
{
    if (out->nlist >= o->limit) {
        return VGT_OK;
    }
    if (out->nlist == *cap) {
        /* doubled up to the limit: a large --limit costs only what differs */
        size_t n = *cap ? *cap * 2u : 16u;
        n = n < o->limit ? n : o->limit;
        vgt_diff_image_frame *list = realloc(out->list, n * sizeof(*list));
        if (!list) {
            return vgt_error_set(err, VGT_E_NOMEM, "diff --images: out of memory");
        }
        out->list = list;
        *cap = n;
    }
    out->list[out->nlist++] = *f;
    return VGT_OK;
}

/* DIR/frame-NNNNNN-a.png, -b.png and -diff.png of one differing frame. */
static vgt_status write_pictures(const vgt_diff_images_options *o, uint64_t frame,
                                 const vgt_image *a, const vgt_image *b, vgt_error *err)
{
    char path[4096];
    vgt_image pic;
    vgt_status st = vgt_image_diff_picture(a, b, o->tolerance, false, &pic, err);
    const struct {
        const char *suffix;
        const vgt_image *img;
    } files[] = {{"-a", a}, {"-b", b}, {"-diff", &pic}};
    for (size_t i = 0; i < 3 && st == VGT_OK; i++) {
        if (!vgt_image_frame_path(path, sizeof(path), o->dir, frame, files[i].suffix)) {
            st = vgt_error_set(err, VGT_E_INVALID, "%s: path too long", o->dir);
        } else {
            st = vgt_image_write_png(files[i].img, path, false, err);
        }
    }
    vgt_image_free(&pic);
    return st;
}

/* Compares one frame both replays composed. */
static vgt_status compare_frame(const vgt_diff_images_options *o, const vgt_replay_frame *fa,
                                const vgt_replay_frame *fb, vgt_diff_images_result *out,
                                size_t *cap, vgt_error *err)
{
    const vgt_image *a = fa->image, *b = fb->image;
    vgt_diff_image_frame f = {
        .frame = fa->frame,
        .a_display = a != NULL,
        .b_display = b != NULL,
        .a_width = a ? a->width : 0,
        .a_height = a ? a->height : 0,
        .b_width = b ? b->width : 0,
        .b_height = b ? b->height : 0,
    };
    if (o->damaged && o->damaged(o->damaged_ctx, fa->frame)) {
        out->frames_damaged++; /* a skipped chunk's: neither equal nor different */
        return VGT_OK;
    }
    out->frames++;
    if (!a && !b) {
        out->frames_equal++; /* no picture on either side */
        return VGT_OK;
    }
    if (!a || !b || a->width != b->width || a->height != b->height) {
        f.size_differs = true;
        out->frames_size_differ++;
        return keep(out, cap, o, &f, err);
    }
    vgt_status st = vgt_image_compare(a, b, o->tolerance, false, &f.diff, err);
    if (st != VGT_OK) {
        return st;
    }
    if (f.diff.pixels_over == 0) {
        out->frames_equal++;
        return VGT_OK;
    }
    out->frames_differ++;
    if ((st = write_pictures(o, f.frame, a, b, err)) != VGT_OK) {
        vgt_error_prefix(err, "frame %" PRIu64, f.frame);
        return st;
    }
    f.written = true;
    out->frames_written++;
    return keep(out, cap, o, &f, err);
}

vgt_status vgt_diff_images(const char *a, const char *b, const vgt_diff_images_options *o,
                           vgt_diff_images_result *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!o || !o->dir || !o->dir[0]) {
        return vgt_error_set(err, VGT_E_INVALID, "diff --images: no directory");
    }
    if (o->backend != VGT_REPLAY_BACKEND_SOFT && o->backend != VGT_REPLAY_BACKEND_GL) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "diff --images: the %s backend renders no 3D: its pictures are not "
                             "the guest's (use soft or gl)",
                             vgt_replay_backend_name(o->backend));
    }
    if (mkdir(o->dir, 0777) != 0 && errno != EEXIST) {
        return vgt_error_set(err, VGT_E_IO, "%s: cannot create: %s", o->dir, strerror(errno));
    }
    side s[2] = {{.label = "A", .path = a}, {.label = "B", .path = b}};
    size_t cap = 0; /* of out->list */
    vgt_status st = VGT_OK;
    for (int i = 0; i < 2 && st == VGT_OK; i++) {
        if (side_open(&s[i], o) != VGT_OK) {
            st = side_error(&s[i], err);
        }
    }
    if (st == VGT_OK) {
        out->backend_a = vgt_replayer_backend(s[0].r);
        out->backend_b = vgt_replayer_backend(s[1].r);
        side_step(&s[0]);
        side_step(&s[1]);
    }
    /* Lockstep: the replay behind steps until both stand at the same guest
     * frame (a trace may lack a frame the other has: a salvaged chunk). */
    while (st == VGT_OK && s[0].st == VGT_OK && s[1].st == VGT_OK) {
        if (s[0].f.frame < s[1].f.frame) {
            side_step(&s[0]);
        } else if (s[1].f.frame < s[0].f.frame) {
            side_step(&s[1]);
        } else {
            st = compare_frame(o, &s[0].f, &s[1].f, out, &cap, err);
            side_step(&s[0]);
            side_step(&s[1]);
        }
    }
    for (int i = 0; i < 2 && st == VGT_OK; i++) {
        if (s[i].st != VGT_OK && s[i].st != VGT_E_END) {
            st = side_error(&s[i], err);
        }
    }
    vgt_replayer_close(s[0].r);
    vgt_replayer_close(s[1].r);
    out->equal = out->frames_differ == 0 && out->frames_size_differ == 0;
    return st;
}

void vgt_diff_images_result_free(vgt_diff_images_result *r)
{
    if (r) {
        free(r->list);
        memset(r, 0, sizeof(*r));
    }
}
