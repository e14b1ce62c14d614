/* vgt surfaces TRACE - the surfaces an SVGA trace defines and what the
 * guest did with each (uploads, downloads, copies, draws as a target, a
 * texture or vertex/index data, presents, how it ended), read from the
 * commands without a replay (vgt_surface_list, replay/surface_list.c). */
#include "vgt_cli.h"
#include "vgt_protocol.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vgt surfaces TRACE [--frames A-B] [--sort seq|storage|uploads|draws] [--json]\n"
            "                          [--salvage]\n"
            "\n"
            "The SURFACE_DEFINE and SURFACE_DEFINE_V2 commands of an SVGA trace (no replay),\n"
            "one line each (a redefinition of a sid is a new line; a trimmed trace's\n"
            "SNAPSHOT surfaces say snapshot as their SEQ): SEQ FRAME SID FORMAT SIZE (mip 0,\n"
            "WxHxD) FACES MIPS MS (V2's multisample count, - for V1) STORAGE (bytes of all\n"
            "faces and mips, the executor's size rule), then what the trace did with it:\n"
            "UP/UPBYTES and DOWN/DOWNBYTES (SURFACE_DMA to and from it: commands, bytes of\n"
            "the boxes), CPIN/CPOUT (SURFACE_COPY and SURFACE_STRETCHBLT into, out of it),\n"
            "MIPGEN (GENERATE_MIPMAPS of it),\n"
            "RTDRAW/RTCLR (DRAW_PRIMITIVES and CLEARs while a render target), TEXDRAW (draws\n"
            "while bound to a texture stage), VBDRAW/IBDRAW (draws naming it as a vertex\n"
            "array, an index buffer), PRES (PRESENT and BLIT_SURFACE_TO_SCREEN from it), END\n"
            "(destroy@SEQ, redefine@SEQ, alive, or refused and why) and FLAGS; then a summary\n"
            "(surfaces by format, storage in total and the largest, upload bytes, surfaces\n"
            "never used and never destroyed).  A draw after its target or texture was\n"
            "destroyed counts for no surface: the executor unbinds a destroyed surface.\n"
            "\n"
            "  --frames A-B  only the defines of guest frames A..B (A- or A as vgt dump)\n"
            "  --sort KEY    seq (trace order, the default), storage, uploads (upload\n"
            "                bytes) or draws (RTDRAW+TEXDRAW+VBDRAW+IBDRAW): largest first\n"
            "  --json        JSON Lines, a summary object last (docs/cli.md)\n"
            "  --salvage     skip damaged chunks (reported) instead of stopping\n"
            "\n"
            "Exit 0, 1 usage, 2 unreadable or damaged trace (with --salvage: a chunk was\n"
            "skipped).\n");
}

typedef enum sort_key { SORT_SEQ = 0, SORT_STORAGE, SORT_UPLOADS, SORT_DRAWS } sort_key;

typedef struct surf_args {
    const char *path;
    bool json, salvage;
    sort_key sort;
    vgt_surface_list_options o;
} surf_args;

static int parse_args(int argc, char **argv, surf_args *a)
{
    static const char *const sort_names[] = {"seq", "storage", "uploads", "draws"};
    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int key = -1;
        for (int k = 0; s[0] == '-' && i + 1 < argc && k < 4; k++) {
            key = strcmp(argv[i + 1], sort_names[k]) == 0 ? k : key;
        }
        if (strcmp(s, "--salvage") == 0) {
            a->salvage = true;
        } else if (strcmp(s, "--json") == 0) {
            a->json = true;
        } else if (strcmp(s, "--sort") == 0 && key >= 0) {
            a->sort = (sort_key)key;
            i++;
        } else if (strcmp(s, "--frames") == 0 && i + 1 < argc &&
                   vgt_cli_parse_range(argv[i + 1], &a->o.first_frame, &a->o.last_frame)) {
            a->o.frames = true;
            i++;
        } else if (s[0] == '-' && s[1]) {
            /* --frames and --sort without their value or with a bad one land here */
            static const vgt_cli_value_option opts[] = {
                {"--frames", "A-B with A <= B, A- or A (guest frames)"},
                {"--sort", "seq, storage, uploads or draws"}};
            return vgt_cli_bad_option("surfaces", argc, argv, i, opts, 2);
        } else if (!a->path) {
            a->path = s;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "surfaces", "unexpected argument '%s'", s);
        }
    }
    if (!a->path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "surfaces", "needs a TRACE (see vgt surfaces --help)");
    }
    return VGT_EXIT_OK;
}

typedef struct walk_ctx {
    const surf_args *a;
    vgt_surface_list_result *r;
} walk_ctx;

static vgt_status walk(vgt_trace_reader *rd, void *ctx, vgt_error *err)
{
    walk_ctx *x = ctx;
    if (x->a->o.frames) {
        vgt_status st =
            vgt_cli_check_guest_frames(rd, x->a->o.first_frame, x->a->o.last_frame, err);
        if (st != VGT_OK) {
            return st;
        }
    }
    return vgt_surface_list(rd, &x->a->o, x->r, err);
}

static uint64_t draws_of(const vgt_surface_def *d)
{
    return d->rt_draws + d->tex_draws + d->vertex_draws + d->index_draws;
}

static sort_key g_sort; /* qsort has no context argument */

static uint64_t key_of(const vgt_surface_def *d)
{
    return g_sort == SORT_STORAGE   ? d->storage
           : g_sort == SORT_UPLOADS ? d->upload_bytes
                                    : draws_of(d);
}

/* Largest first; equal keys (and --sort seq) in trace order. */
static int by_key(const void *pa, const void *pb)
{
    const vgt_surface_def *a = *(const vgt_surface_def *const *)pa;
    const vgt_surface_def *b = *(const vgt_surface_def *const *)pb;
    if (g_sort != SORT_SEQ) {
        uint64_t x = key_of(a), y = key_of(b);
        if (x != y) {
            return x > y ? -1 : 1;
        }
    }
    return a < b ? -1 : a > b;
}

static const char *format_text(uint32_t format, char *buf, size_t size)
{
    const char *n = vgt_svga3d_format_name(format);
    if (n) {
        return n;
    }
    snprintf(buf, size, "format-%u", format);
    return buf;
}

/* "CUBEMAP|HINT_TEXTURE" as vgt dump prints them (unnamed bits as 0x...),
 * "-" for none. */
static const char *flags_text(uint32_t flags, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (uint32_t b = 0; b < 32; b++) {
        const char *name = vgt_svga3d_surface_flag_name(b);
        if ((flags & (1u << b)) && name) {
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "|" : "", name);
            flags &= ~(1u << b);
        }
    }
    if (flags) {
        n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s0x%x", n ? "|" : "", flags);
    }
    return n ? buf : "-";
}

static const char *end_text(const vgt_surface_def *d, char *buf, size_t size)
{
    if (d->refused) {
        return "refused";
    }
    if (d->end == VGT_SURFACE_END_NONE) {
        return "alive";
    }
    snprintf(buf, size, "%s@%" PRIu64, d->end == VGT_SURFACE_END_DESTROY ? "destroy" : "redefine",
             d->end_seq);
    return buf;
}

static void json_def(const vgt_surface_def *d)
{
    char fb[24];
    printf("{\"type\":\"surface\",\"seq\":");
    d->snapshot ? (void)printf("null") : (void)printf("%" PRIu64, d->seq);
    printf(",\"snapshot\":%s,\"frame\":%" PRIu64 ",\"sid\":%u,\"format\":",
           d->snapshot ? "true" : "false", d->frame, d->sid);
    vgt_cli_json_string(stdout, format_text(d->format, fb, sizeof(fb)));
    printf(",\"format_id\":%u,\"width\":%u,\"height\":%u,\"depth\":%u,\"faces\":%u,\"mips\":%u"
           ",\"flags\":[",
           d->format, d->width, d->height, d->depth, d->faces, d->mips);
    uint32_t rest = d->flags;
    bool first = true;
    for (uint32_t b = 0; b < 32; b++) {
        const char *name = vgt_svga3d_surface_flag_name(b);
        if ((rest & (1u << b)) && name) {
            printf("%s\"%s\"", first ? "" : ",", name);
            rest &= ~(1u << b);
            first = false;
        }
    }
    if (rest) {
        printf("%s%u", first ? "" : ",", rest);
    }
    printf("],\"flags_value\":%u,\"multisample\":", d->flags);
    d->v2 ? (void)printf("%u", d->multisample) : (void)printf("null");
    printf(",\"storage\":%" PRIu64 ",\"uploads\":%" PRIu64 ",\"upload_bytes\":%" PRIu64
           ",\"downloads\":%" PRIu64 ",\"download_bytes\":%" PRIu64 ",\"copies_in\":%" PRIu64
           ",\"copies_out\":%" PRIu64 ",\"mip_generations\":%" PRIu64 ",\"rt_draws\":%" PRIu64
           ",\"rt_clears\":%" PRIu64 ",\"texture_draws\":%" PRIu64 ",\"vertex_draws\":%" PRIu64
           ",\"index_draws\":%" PRIu64 ",\"presents\":%" PRIu64 ",\"refused\":",
           d->storage, d->uploads, d->upload_bytes, d->downloads, d->download_bytes, d->copies_in,
           d->copies_out, d->mip_generations, d->rt_draws, d->rt_clears, d->tex_draws,
           d->vertex_draws, d->index_draws, d->presents);
    d->refused ? vgt_cli_json_string(stdout, d->reason) : (void)printf("null");
    printf(",\"end\":%s,\"end_seq\":", d->refused || d->end == VGT_SURFACE_END_NONE ? "null"
                                       : d->end == VGT_SURFACE_END_DESTROY          ? "\"destroy\""
                                                                           : "\"redefine\"");
    d->end == VGT_SURFACE_END_NONE ? (void)printf("null") : (void)printf("%" PRIu64, d->end_seq);
    printf("}\n");
}

static void text_def(const vgt_surface_def *d)
{
    char seq[24], size[40], ms[12], fb[24], flb[200], eb[40];
    snprintf(seq, sizeof(seq), "%" PRIu64, d->seq);
    snprintf(size, sizeof(size), "%ux%ux%u", d->width, d->height, d->depth);
    snprintf(ms, sizeof(ms), "%u", d->multisample);
    printf("%10s %6" PRIu64 " %6u %-12s %-14s %5u %4u %2s %11" PRIu64 " %5" PRIu64 " %11" PRIu64
           " %4" PRIu64 " %9" PRIu64 " %4" PRIu64 " %5" PRIu64 " %6" PRIu64 " %6" PRIu64
           " %5" PRIu64 " %7" PRIu64 " %6" PRIu64 " %6" PRIu64 " %4" PRIu64 " %-16s %s",
           d->snapshot ? "snapshot" : seq, d->frame, d->sid, format_text(d->format, fb, sizeof(fb)),
           size, d->faces, d->mips, d->v2 ? ms : "-", d->storage, d->uploads, d->upload_bytes,
           d->downloads, d->download_bytes, d->copies_in, d->copies_out, d->mip_generations,
           d->rt_draws, d->rt_clears, d->tex_draws, d->vertex_draws, d->index_draws, d->presents,
           end_text(d, eb, sizeof(eb)), flags_text(d->flags, flb, sizeof(flb)));
    if (d->refused) {
        printf("  (%s)", d->reason);
    }
    printf("\n");
}

/* Surfaces per format name, in order of first appearance (at most 64
 * names: a hostile trace's unknown formats share "other"). */
typedef struct format_count {
    uint32_t format;
    uint64_t n;
} format_count;

static void summary(const surf_args *a, const vgt_surface_list_result *r)
{
    format_count fc[64];
    size_t nf = 0;
    uint64_t refused = 0, snapshot = 0, storage = 0, uploads = 0, upload_bytes = 0;
    uint64_t download_bytes = 0, never_used = 0, never_destroyed = 0;
    const vgt_surface_def *largest = NULL;
    for (size_t i = 0; i < r->ndefs; i++) {
        const vgt_surface_def *d = &r->defs[i];
        snapshot += d->snapshot;
        uploads += d->uploads;
        upload_bytes += d->upload_bytes;
        download_bytes += d->download_bytes;
        if (d->refused) {
            refused++;
            continue;
        }
        size_t k = 0;
        while (k < nf && fc[k].format != d->format) {
            k++;
        }
        if (k == nf && nf < 64u) {
            fc[nf++] = (format_count){d->format, 0};
        }
        fc[k < nf ? k : nf - 1u].n++;
        storage += d->storage;
        if (!largest || d->storage > largest->storage) {
            largest = d;
        }
        never_used += !d->uploads && !d->copies_in && !d->mip_generations && !d->rt_draws &&
                      !d->rt_clears && !draws_of(d) && !d->presents;
        never_destroyed += d->end == VGT_SURFACE_END_NONE;
    }
    char fb[24];
    if (a->json) {
        printf("{\"type\":\"summary\",\"defines\":%zu,\"refused\":%" PRIu64 ",\"snapshot\":%" PRIu64
               ",\"unlisted\":%" PRIu64 ",\"formats\":{",
               r->ndefs, refused, snapshot, r->unlisted);
        for (size_t k = 0; k < nf; k++) {
            printf("%s", k ? "," : "");
            vgt_cli_json_string(stdout, format_text(fc[k].format, fb, sizeof(fb)));
            printf(":%" PRIu64, fc[k].n);
        }
        printf("},\"storage_bytes\":%" PRIu64 ",\"largest_storage\":%" PRIu64 ",\"largest_sid\":",
               storage, largest ? largest->storage : 0);
        largest ? (void)printf("%u", largest->sid) : (void)printf("null");
        printf(",\"uploads\":%" PRIu64 ",\"upload_bytes\":%" PRIu64 ",\"download_bytes\":%" PRIu64
               ",\"never_used\":%" PRIu64 ",\"never_destroyed\":%" PRIu64 ",\"draws\":%" PRIu64
               ",\"clears\":%" PRIu64 ",\"commands\":%" PRIu64 ",\"skipped_chunks\":%s",
               uploads, upload_bytes, download_bytes, never_used, never_destroyed, r->draws,
               r->clears, r->walk.commands, r->walk.skipped ? "true" : "false");
        if (r->walk.problems_lost) {
            /* found without memory to record them: the listing may lack what they held */
            printf(",\"problems_not_recorded\":%zu", r->walk.problems_lost);
        }
        printf("}\n");
        return;
    }
    printf("\nsurfaces: %zu define%s (%" PRIu64 " refused, %" PRIu64 " from the snapshot)\n",
           r->ndefs, vgt_plural(r->ndefs), refused, snapshot);
    printf("formats:");
    for (size_t k = 0; k < nf; k++) {
        printf("%s %s %" PRIu64, k ? "," : "", format_text(fc[k].format, fb, sizeof(fb)), fc[k].n);
    }
    printf("%s\nstorage: %" PRIu64 " byte%s", nf ? "" : " none", storage, vgt_plural(storage));
    if (largest) {
        char seq[24];
        snprintf(seq, sizeof(seq), "seq %" PRIu64, largest->seq);
        printf(", the largest %" PRIu64 " (sid %u, %s)", largest->storage, largest->sid,
               largest->snapshot ? "snapshot" : seq);
    }
    printf("\nuploads: %" PRIu64 " SURFACE_DMA, %" PRIu64 " byte%s; downloads: %" PRIu64
           " byte%s\n",
           uploads, upload_bytes, vgt_plural(upload_bytes), download_bytes,
           vgt_plural(download_bytes));
    printf("never used: %" PRIu64 "; never destroyed: %" PRIu64 "\n", never_used, never_destroyed);
    printf("draws: %" PRIu64 " DRAW_PRIMITIVES and %" PRIu64 " CLEAR%s run, in %" PRIu64
           " command%s\n",
           r->draws, r->clears, vgt_plural(r->clears), r->walk.commands,
           vgt_plural(r->walk.commands));
    if (r->unlisted) {
        printf("past %u defines: %" PRIu64 " more not listed\n", VGT_SURFACE_LIST_MAX_DEFINES,
               r->unlisted);
    }
}

int vgt_cmd_surfaces(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        usage(stdout);
        return VGT_EXIT_OK;
    }
    surf_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != VGT_EXIT_OK) {
        return rc;
    }
    vgt_surface_list_result r;
    memset(&r, 0, sizeof(r));
    walk_ctx x = {&a, &r};
    rc = vgt_cli_walk_trace("surfaces", a.path, a.salvage, "read", walk, &x);
    const vgt_surface_def **order =
        rc == VGT_EXIT_OK && r.ndefs ? malloc(r.ndefs * sizeof(*order)) : NULL;
    if (rc == VGT_EXIT_OK && r.ndefs && !order) {
        rc = vgt_cli_fail(VGT_EXIT_DATA, "surfaces", "out of memory");
    }
    if (rc != VGT_EXIT_OK) {
        vgt_surface_list_free(&r);
        return rc;
    }
    for (size_t i = 0; i < r.ndefs; i++) {
        order[i] = &r.defs[i];
    }
    g_sort = a.sort;
    if (r.ndefs) {
        qsort(order, r.ndefs, sizeof(*order), by_key);
    }
    if (!a.json) {
        printf("%10s %6s %6s %-12s %-14s %5s %4s %2s %11s %5s %11s %4s %9s %4s %5s %6s %6s %5s %7s "
               "%6s %6s %4s %-16s %s\n",
               "SEQ", "FRAME", "SID", "FORMAT", "SIZE", "FACES", "MIPS", "MS", "STORAGE", "UP",
               "UPBYTES", "DOWN", "DOWNBYTES", "CPIN", "CPOUT", "MIPGEN", "RTDRAW", "RTCLR",
               "TEXDRAW", "VBDRAW", "IBDRAW", "PRES", "END", "FLAGS");
    }
    for (size_t i = 0; i < r.ndefs; i++) {
        a.json ? json_def(order[i]) : text_def(order[i]);
    }
    summary(&a, &r);
    free(order);
    rc = r.walk.skipped || r.walk.problems_lost ? VGT_EXIT_DATA : VGT_EXIT_OK;
    vgt_surface_list_free(&r);
    return rc;
}
