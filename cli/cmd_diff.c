/* vgt diff A B [--frames X-Y] [--limit N] [--ignore-ids] [--ignore NAMES] [--json] [-q]
 * [--images DIR ...]:
 * what changed between two captures of the same guest (vgt_diff,
 * replay/trace_diff.c): the commands frame by frame, the frame hashes and
 * guest memory reads, and the cost per command type; with --images the
 * replayed pictures compared pixel by pixel (vgt_diff_images,
 * replay/diff_images.c) and the differing ones written. */
#include "vgt_cli.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    printf("usage: vgt diff A.vgt B.vgt [--frames X-Y] [--limit N] [--ignore-ids]\n"
           "                [--ignore NAME[,NAME...]] [--json] [-q] [--salvage]\n"
           "                [--images DIR [--backend soft|gl] [--tolerance T]]\n\n"
           "Compares two SVGA traces (protocol svga2) over the guest frames both hold (a\n"
           "capture started mid-run starts at its start frame; frames only one holds are\n"
           "named, not compared), as apitrace diff does:\n"
           "  commands  per frame, the commands' words (COMMAND_BATCH repeats expanded)\n"
           "            aligned by a Myers diff of their hashes, so that one inserted command\n"
           "            is one difference; for each differing frame the first difference with\n"
           "            both commands decoded as vgt dump prints them, and the count of\n"
           "            differing commands (changed, only in A, only in B).  A frame of more\n"
           "            than %u commands past its common head and tail, or more than %u\n"
           "            edits apart, is compared position by position (and says so)\n"
           "  frames    each frame's FRAME_HASH (the picture the device showed live), the\n"
           "            guest memory its commands read (reads, bytes, a hash of them), and\n"
           "            its register writes (IRQMASK aside), fences and device errors\n"
           "            (count and a hash of each; reported, as guest memory is)\n"
           "  cost      per command type: count and mean execution time (vgt info's mean\n"
           "            exec us) in A and B, and B/A, by the difference of total time\n\n"
           "  --frames X-Y  compare only guest frames X..Y (X-: to the end; X: one frame)\n"
           "  --limit N     differing frames shown in detail per list (default 10)\n"
           "  --ignore-ids  compare commands with the ids the guest chose (surfaces,\n"
           "                contexts, shaders, GMRs, screens) renamed, per trace and kind,\n"
           "                to their order of first appearance over the compared frames, and\n"
           "                fence values as 0: captures that number their objects\n"
           "                differently compare equal.  A renaming that changes the order of\n"
           "                first appearance is not undone; past %u ids of a kind the new\n"
           "                ones are compared as they are (said).  Printed commands keep\n"
           "                their own ids\n"
           "  --ignore NAMES  leave the commands of these types (names as vgt dump prints\n"
           "                them, any case, comma-separated or the option repeated: FENCE,\n"
           "                SURFACE_DMA) out of the commands part: dropped from both\n"
           "                traces' frames before the alignment and counted per trace.\n"
           "                The frames part (FRAME_HASH, guest memory, register writes,\n"
           "                FENCE records, errors) and the cost rows still see them (an\n"
           "                ignored type's row is marked); positions (#N) count the\n"
           "                compared commands\n"
           "  --json        one JSON object (keys a, b, compared, equal, ignore, commands,\n"
           "                frames, cost, and images with --images: docs/cli.md)\n"
           "  -q            print nothing; the exit status says\n"
           "  --salvage     skip damaged chunks of A or B (reported) instead of stopping.\n"
           "                A compared frame that lost records to a skipped chunk is\n"
           "                damaged: named (per trace, and counted), not compared, neither\n"
           "                equal nor different; the other frames are compared as usual\n"
           "                and the verdict says how they went.  With --images the replays\n"
           "                skip the chunks too and the damaged frames' pictures are not\n"
           "                compared\n"
           "  --images DIR  also replay both traces (in lockstep, one frame of each held at\n"
           "                a time) over the compared frames and compare their pictures\n"
           "                pixel by pixel; for each frame that differs write\n"
           "                DIR/frame-NNNNNN-a.png, -b.png and -diff.png (differing pixels\n"
           "                magenta, the others A's picture in dim grey) and print the\n"
           "                pixels that differ, the largest channel delta and their\n"
           "                bounding box; frames of different sizes are named, without\n"
           "                pictures.  DIR is created if missing (its parent must exist)\n"
           "  --backend B   the replays' 3D backend: soft (default, bit-exact) or gl; null\n"
           "                is refused (it draws no 3D)\n"
           "  --tolerance T a pixel differs when a channel differs by more than T (0-255,\n"
           "                default 0)\n\n"
           "Exit: 0 equal (commands, --ignore's types left out, and frame hashes of the\n"
           "compared frames, and with --images their replayed pictures; timings always\n"
           "differ), 3 different (or no frame in common), 1 usage, 2 unreadable or\n"
           "damaged trace (with --salvage: a chunk was skipped, after the whole report),\n"
           "not an SVGA trace, a replay that fails, or DIR not writable.\n",
           VGT_DIFF_MAX_ALIGN, VGT_DIFF_MAX_EDITS, VGT_DIFF_MAX_IDS);
    return VGT_EXIT_OK;
}

typedef struct diff_cli {
    const char *a, *b;
    uint64_t first, last;
    unsigned long long limit;
    bool json, quiet;
    bool ignore_ids;
    uint32_t ignore[VGT_DIFF_MAX_IGNORE]; /* --ignore: command ids */
    size_t nignore;
    const char *images; /* --images DIR (NULL: no replay) */
    vgt_replay_backend backend;
    bool backend_set;
    unsigned long long tolerance;
    bool tolerance_set;
    bool salvage; /* skip damaged chunks; their frames are named damaged */
} diff_cli;

/* ---- cost: the command types of both summaries, by the difference of time -------- */

typedef struct cost_row {
    uint32_t id;
    const vgt_trace_cmd_stat *a, *b; /* NULL: absent in that trace */
    int64_t diff_ns;                 /* total exec time B - A */
} cost_row;

static int cost_order(const void *x, const void *y)
{
    const cost_row *p = x, *q = y;
    uint64_t dp = p->diff_ns < 0 ? 0u - (uint64_t)p->diff_ns : (uint64_t)p->diff_ns;
    uint64_t dq = q->diff_ns < 0 ? 0u - (uint64_t)q->diff_ns : (uint64_t)q->diff_ns;
    if (dp != dq) {
        return dp < dq ? 1 : -1;
    }
    return p->id < q->id ? -1 : p->id > q->id;
}

/* The rows (owned by the caller), or NULL (*n 0) when both are empty or
 * out of memory. */
static cost_row *cost_rows(const vgt_trace_svga_summary *a, const vgt_trace_svga_summary *b,
                           size_t *n)
{
    *n = 0;
    cost_row *rows = calloc(a->ncmds + b->ncmds + 1u, sizeof(*rows));
    if (!rows) {
        return NULL;
    }
    size_t i = 0, j = 0;
    while (i < a->ncmds || j < b->ncmds) {
        cost_row *r = &rows[(*n)++];
        if (j >= b->ncmds || (i < a->ncmds && a->cmds[i].id < b->cmds[j].id)) {
            r->a = &a->cmds[i++];
        } else if (i >= a->ncmds || b->cmds[j].id < a->cmds[i].id) {
            r->b = &b->cmds[j++];
        } else {
            r->a = &a->cmds[i++];
            r->b = &b->cmds[j++];
        }
        r->id = r->a ? r->a->id : r->b->id;
        r->diff_ns = (int64_t)(r->b ? r->b->exec_ns : 0) - (int64_t)(r->a ? r->a->exec_ns : 0);
    }
    vgt_sort(rows, *n, sizeof(*rows), cost_order);
    return rows;
}

/* Whether command type id is one --ignore names. */
static bool is_ignored(const diff_cli *c, uint32_t id)
{
    for (size_t i = 0; i < c->nignore; i++) {
        if (c->ignore[i] == id) {
            return true;
        }
    }
    return false;
}

static double mean_us(const vgt_trace_cmd_stat *c)
{
    return c ? vgt_trace_cmd_stat_mean_exec_us(c) : 0.0;
}

/* ---- text ------------------------------------------------------------------------ */

/* Prints the frames of [f1, l1] outside [f2, l2] and inside [lo, hi]. */
static void print_only(const char *who, const vgt_diff_trace *t1, const vgt_diff_trace *t2,
                       uint64_t lo, uint64_t hi, bool json)
{
    uint64_t r[2][2];
    int n = 0;
    uint64_t f1 = t1->first_frame > lo ? t1->first_frame : lo;
    uint64_t l1 = t1->last_frame < hi ? t1->last_frame : hi;
    if (t1->has_frames && f1 <= l1) {
        if (!t2->has_frames || l1 < t2->first_frame || f1 > t2->last_frame) {
            r[n][0] = f1, r[n++][1] = l1;
        } else {
            if (f1 < t2->first_frame) {
                r[n][0] = f1, r[n++][1] = t2->first_frame - 1u;
            }
            if (l1 > t2->last_frame) {
                r[n][0] = t2->last_frame + 1u, r[n++][1] = l1;
            }
        }
    }
    if (json) {
        printf("  \"only_%s\": [", who);
        for (int i = 0; i < n; i++) {
            printf("%s[%" PRIu64 ", %" PRIu64 "]", i ? ", " : "", r[i][0], r[i][1]);
        }
        printf("],\n");
        return;
    }
    /* both sides of a shorter trace in one clause ("only in A: 0..59 and
     * 71..119"), not "only in A" twice */
    for (int i = 0; i < n; i++) {
        if (i == 0) {
            printf("; only in %s: ", who);
        } else {
            printf(" and ");
        }
        printf("%" PRIu64 "..%" PRIu64, r[i][0], r[i][1]);
    }
}

static void text_trace(const char *who, const char *path, const vgt_diff_trace *t)
{
    printf("%s: %s: ", who, path);
    if (t->has_frames) {
        printf("guest frames %" PRIu64 "..%" PRIu64 "\n", t->first_frame, t->last_frame);
    } else {
        printf("no complete frame\n");
    }
}

/* Whether a skipped chunk damaged either trace (--salvage), or may have:
 * problems were found with no memory to record them.  The report names
 * the damaged frames and the exit status is 2. */
static bool damaged(const vgt_diff_result *d)
{
    return d->a.nproblems || d->b.nproblems || d->a.nproblems_unlisted || d->b.nproblems_unlisted ||
           d->a.ndamaged || d->b.ndamaged || d->a.problems_lost || d->b.problems_lost;
}

/* A trace's damaged frames: "3..5, 9" or "none". */
static void text_ranges(const vgt_diff_trace *t)
{
    if (!t->ndamaged) {
        printf("none");
    }
    for (size_t i = 0; i < t->ndamaged; i++) {
        printf("%s%" PRIu64, i ? ", " : "", t->damaged[i][0]);
        if (t->damaged[i][1] != t->damaged[i][0]) {
            printf("..%" PRIu64, t->damaged[i][1]);
        }
    }
}

static void json_ranges(const vgt_diff_trace *t)
{
    printf("[");
    for (size_t i = 0; i < t->ndamaged; i++) {
        printf("%s[%" PRIu64 ", %" PRIu64 "]", i ? ", " : "", t->damaged[i][0], t->damaged[i][1]);
    }
    printf("]");
}

static void text_command(const char *who, const vgt_diff_command *c)
{
    char line[4096];
    if (!c->present) {
        printf("    %s #%" PRIu64 ": (end of the frame)\n", who, c->index);
        return;
    }
    if (c->words) {
        vgt_cli_command_text(c->words, c->nwords, line, sizeof(line));
    } else {
        snprintf(line, sizeof(line), "(%u words, not kept)", c->nwords);
    }
    printf("    %s #%" PRIu64 " seq=%" PRIu64 ": %s\n", who, c->index, c->seq, line);
}

/* --ignore-ids: what was renamed, and whether a kind ran out of room. */
static void text_ids(const vgt_diff_result *d)
{
    printf("  ids ignored: renamed per trace by order of first appearance, fences as 0\n"
           "  (the commands below are printed with their own ids):\n");
    for (int t = 0; t < 2; t++) {
        const vgt_diff_trace *x = t ? &d->b : &d->a;
        printf("    %s:", t ? "B" : "A");
        for (int k = 0; k < VGT_ID_FENCE; k++) {
            printf("%s %" PRIu64 " %s", k ? "," : "", x->ids[k], vgt_id_kind_name((vgt_id_kind)k));
        }
        printf(" ids; %" PRIu64 " fence%s\n", x->ids[VGT_ID_FENCE],
               vgt_plural(x->ids[VGT_ID_FENCE]));
    }
    if (d->a.ids_overflow || d->b.ids_overflow) {
        printf("  more than %u ids of a kind in %s: the ids past them are compared as they are\n",
               VGT_DIFF_MAX_IDS, d->a.ids_overflow ? (d->b.ids_overflow ? "A and B" : "A") : "B");
    }
}

/* --ignore: what was left out, per trace and per type. */
static void text_ignored(const diff_cli *c, const vgt_diff_result *d)
{
    printf("  ignored (left out of the comparison): A %" PRIu64 " command%s, B %" PRIu64 ":",
           d->a.ignored, vgt_plural(d->a.ignored), d->b.ignored);
    for (size_t i = 0; i < c->nignore; i++) {
        printf("%s %s A %" PRIu64 ", B %" PRIu64, i ? ";" : "", vgt_cmd_name(c->ignore[i]),
               d->a.ignored_by[i], d->b.ignored_by[i]);
    }
    printf("\n");
}

/* --ignore: the frame's ignored commands, after its command counts. */
static void text_frame_ignored(const diff_cli *c, const vgt_diff_frame *f)
{
    if (c->nignore) {
        printf("; ignored A %" PRIu64 ", B %" PRIu64, f->a.ignored, f->b.ignored);
    }
}

static void text_command_frame(const diff_cli *c, const vgt_diff_frame *f)
{
    uint64_t n = f->changed + f->only_a + f->only_b;
    printf("  frame %" PRIu64 ": ", f->frame);
    if (f->length_only) {
        printf("%s has %" PRIu64 " more command%s at the end (A %" PRIu64 ", B %" PRIu64,
               f->only_a ? "A" : "B", n, vgt_plural(n), f->a.commands, f->b.commands);
        text_frame_ignored(c, f);
        printf(")\n");
    } else {
        printf("%" PRIu64 " differing command%s (%" PRIu64 " changed, %" PRIu64
               " only in A, %" PRIu64 " only in B; A %" PRIu64 ", B %" PRIu64 " command%s",
               n, vgt_plural(n), f->changed, f->only_a, f->only_b, f->a.commands, f->b.commands,
               vgt_plural(f->b.commands));
        text_frame_ignored(c, f);
        printf("), first at A #%" PRIu64 " / B #%" PRIu64 "%s\n", f->first_a.index,
               f->first_b.index,
               f->positional ? " (compared position by position: too large to align)" : "");
    }
    text_command("A", &f->first_a);
    text_command("B", &f->first_b);
}

/* One kind of event of a listed frame, when it differs. */
static void text_events(const char *what, bool differ, uint64_t a, uint64_t b)
{
    if (differ) {
        printf("; %s differ (A %" PRIu64 ", B %" PRIu64 "%s)", what, a, b,
               a == b ? "; same count, other contents" : "");
    }
}

static void text_picture_frame(const vgt_diff_frame *f)
{
    printf("  frame %" PRIu64 ": ", f->frame);
    if (f->picture_differs) {
        printf("pictures differ (A %016" PRIx64 " %ux%u, B %016" PRIx64 " %ux%u)", f->a.hash.hash,
               f->a.hash.width, f->a.hash.height, f->b.hash.hash, f->b.hash.width,
               f->b.hash.height);
    } else {
        printf("pictures equal");
    }
    bool events = f->regs_differ || f->fences_differ || f->errors_differ;
    if (f->memory_differs) {
        printf("; guest memory reads differ (A %" PRIu64 " read%s, %" PRIu64 " byte%s; B %" PRIu64
               " read%s, %" PRIu64 " byte%s%s)",
               f->a.dma_reads, vgt_plural(f->a.dma_reads), f->a.dma_bytes,
               vgt_plural(f->a.dma_bytes), f->b.dma_reads, vgt_plural(f->b.dma_reads),
               f->b.dma_bytes, vgt_plural(f->b.dma_bytes),
               f->a.dma_reads == f->b.dma_reads && f->a.dma_bytes == f->b.dma_bytes
                   ? "; same sizes, other bytes"
                   : "");
    } else {
        printf("; guest memory reads equal (%" PRIu64 " read%s, %" PRIu64 " byte%s)%s",
               f->a.dma_reads, vgt_plural(f->a.dma_reads), f->a.dma_bytes,
               vgt_plural(f->a.dma_bytes),
               f->commands_differ || events || !f->picture_differs
                   ? ""
                   : ": the device rendered the same input differently");
    }
    text_events("register writes", f->regs_differ, f->a.reg_writes, f->b.reg_writes);
    text_events("fences", f->fences_differ, f->a.fences, f->b.fences);
    text_events("device errors", f->errors_differ, f->a.errors, f->b.errors);
    printf("\n");
}

static void text_cost(const diff_cli *c, const cost_row *rows, size_t n)
{
    printf("\ncost (compared frames, by the difference of total execution time):\n");
    printf("  %-28s %10s %10s %11s %11s %8s %14s\n", "command", "count A", "count B", "mean us A",
           "mean us B", "B/A", "total diff us");
    for (size_t i = 0; i < n; i++) {
        const cost_row *r = &rows[i];
        double ma = mean_us(r->a), mb = mean_us(r->b);
        char ratio[32];
        if (ma > 0.0 && r->b && r->b->timed) {
            snprintf(ratio, sizeof(ratio), "%.2f", mb / ma);
        } else {
            snprintf(ratio, sizeof(ratio), "-");
        }
        /* an ignored type's row stays: its time was spent all the same */
        char name[64];
        snprintf(name, sizeof(name), "%s%s", vgt_cmd_name(r->id),
                 is_ignored(c, r->id) ? " (ignored)" : "");
        printf("  %-28s %10" PRIu64 " %10" PRIu64 " %11.2f %11.2f %8s %14.1f\n", name,
               r->a ? r->a->count : 0, r->b ? r->b->count : 0, ma, mb, ratio,
               (double)r->diff_ns / 1e3);
    }
}

/* ---- images ---------------------------------------------------------------------- */

static void text_images(const diff_cli *c, const vgt_diff_result *d,
                        const vgt_diff_images_result *im)
{
    printf("\nimages (%s backend, tolerance %llu): ", vgt_replay_backend_name(c->backend),
           c->tolerance);
    if (!d->have_common) {
        printf("no frame in common to replay\n");
        return;
    }
    printf("%" PRIu64 " frame%s replayed: %" PRIu64 " equal, %" PRIu64 " differ, %" PRIu64
           " of different sizes; %" PRIu64 " written to %s",
           im->frames, vgt_plural(im->frames), im->frames_equal, im->frames_differ,
           im->frames_size_differ, im->frames_written, c->images);
    if (im->frames_damaged) {
        printf("; %" PRIu64 " damaged, not compared", im->frames_damaged);
    }
    printf("\n");
    for (size_t i = 0; i < im->nlist; i++) {
        const vgt_diff_image_frame *f = &im->list[i];
        printf("  frame %" PRIu64 ": ", f->frame);
        if (f->size_differs) {
            char sa[32] = "no display", sb[32] = "no display";
            if (f->a_display) {
                snprintf(sa, sizeof(sa), "%ux%u", f->a_width, f->a_height);
            }
            if (f->b_display) {
                snprintf(sb, sizeof(sb), "%ux%u", f->b_width, f->b_height);
            }
            printf("sizes differ (A %s, B %s): not compared\n", sa, sb);
            continue;
        }
        const vgt_image_diff *x = &f->diff;
        printf("%" PRIu64 " of %" PRIu64 " pixel%s differ%s, max delta %u, box %u,%u %ux%u; "
               "frame-%06" PRIu64 "-{a,b,diff}.png\n",
               x->pixels_over, x->pixels_total, vgt_plural(x->pixels_total),
               vgt_verb_s(x->pixels_over, x->pixels_total), x->max_channel_delta, x->x0, x->y0,
               x->x1 - x->x0, x->y1 - x->y0, f->frame);
    }
    uint64_t n = im->frames_differ + im->frames_size_differ;
    if (n > im->nlist) {
        printf("  ... %" PRIu64 " more frame%s (--limit %llu)\n", n - im->nlist,
               n - im->nlist == 1 ? " differs" : "s differ", c->limit);
    }
}

static void json_images(const diff_cli *c, const vgt_diff_images_result *im)
{
    printf(",\n  \"images\": {\"dir\": ");
    vgt_cli_json_string(stdout, c->images);
    printf(", \"backend\": \"%s\", \"tolerance\": %llu, \"compared\": %" PRIu64
           ", \"equal\": %" PRIu64 ", \"differ\": %" PRIu64 ", \"size_differ\": %" PRIu64
           ", \"written\": %" PRIu64 ", \"damaged\": %" PRIu64 ",\n    \"frames\": [",
           vgt_replay_backend_name(c->backend), c->tolerance, im->frames, im->frames_equal,
           im->frames_differ, im->frames_size_differ, im->frames_written, im->frames_damaged);
    for (size_t i = 0; i < im->nlist; i++) {
        const vgt_diff_image_frame *f = &im->list[i];
        const vgt_image_diff *x = &f->diff;
        printf("%s\n      {\"frame\": %" PRIu64 ", \"a\": ", i ? "," : "", f->frame);
        if (f->a_display) {
            printf("{\"width\": %u, \"height\": %u}", f->a_width, f->a_height);
        } else {
            printf("null");
        }
        printf(", \"b\": ");
        if (f->b_display) {
            printf("{\"width\": %u, \"height\": %u}", f->b_width, f->b_height);
        } else {
            printf("null");
        }
        if (f->size_differs) {
            printf(", \"size_differs\": true}");
            continue;
        }
        printf(", \"size_differs\": false, \"pixels_differ\": %" PRIu64
               ", \"pixels_total\": %" PRIu64 ", \"max_delta\": %u, \"bbox\": {\"x\": %u, "
               "\"y\": %u, \"width\": %u, \"height\": %u}, \"files\": [",
               x->pixels_over, x->pixels_total, x->max_channel_delta, x->x0, x->y0, x->x1 - x->x0,
               x->y1 - x->y0);
        const char *suffix[] = {"-a", "-b", "-diff"};
        for (int k = 0; k < 3; k++) {
            char path[4096];
            vgt_image_frame_path(path, sizeof(path), c->images, f->frame, suffix[k]);
            printf("%s", k ? ", " : "");
            vgt_cli_json_string(stdout, path);
        }
        printf("]}");
    }
    printf("%s]}", im->nlist ? "\n    " : "");
}

static void text_report(const diff_cli *c, const vgt_diff_result *d, const cost_row *rows,
                        size_t nrows, const vgt_diff_images_result *im)
{
    text_trace("A", c->a, &d->a);
    text_trace("B", c->b, &d->b);
    if (!d->have_common) {
        printf("compared: no guest frame in common");
    } else {
        printf("compared: guest frames %" PRIu64 "..%" PRIu64 " (%" PRIu64 " frame%s)", d->first,
               d->last, d->frames, vgt_plural(d->frames));
    }
    print_only("A", &d->a, &d->b, c->first, c->last, false);
    print_only("B", &d->b, &d->a, c->first, c->last, false);
    if (damaged(d)) {
        printf("\ndamaged (chunks skipped: A %" PRIu64 ", B %" PRIu64 "): %" PRIu64
               " frame%s not compared: A ",
               d->a.chunks_skipped, d->b.chunks_skipped, d->frames_damaged,
               vgt_plural(d->frames_damaged));
        text_ranges(&d->a);
        printf("; B ");
        text_ranges(&d->b);
    }
    printf("\n\ncommands: %" PRIu64 " of %" PRIu64 " frame%s differ%s: %" PRIu64
           " changed, %" PRIu64 " only in A, %" PRIu64 " only in B (A %" PRIu64
           " command%s, B %" PRIu64 ")\n",
           d->frames_commands_differ, d->frames - d->frames_damaged,
           vgt_plural(d->frames - d->frames_damaged),
           vgt_verb_s(d->frames_commands_differ, d->frames - d->frames_damaged), d->changed,
           d->only_a, d->only_b, d->a.commands, vgt_plural(d->a.commands), d->b.commands);
    if (c->ignore_ids) {
        text_ids(d);
    }
    if (c->nignore) {
        text_ignored(c, d);
    }
    for (size_t i = 0; i < d->ncmd_frames; i++) {
        text_command_frame(c, &d->cmd_frames[i]);
    }
    if (d->frames_commands_differ > d->ncmd_frames) {
        uint64_t unlisted = d->frames_commands_differ - d->ncmd_frames;
        printf("  ... %" PRIu64 " more frame%s (--limit %llu)\n", unlisted,
               unlisted == 1 ? " differs" : "s differ", c->limit);
    }
    if (d->frames_positional) {
        printf("  %" PRIu64 " frame%s compared position by position (too large to align)\n",
               d->frames_positional, vgt_plural(d->frames_positional));
    }
    printf("\nframes: %" PRIu64 " equal picture%s, %" PRIu64 " different, %" PRIu64
           " without comparable hashes; guest memory reads differ in %" PRIu64
           ", register writes in %" PRIu64 ", fences in %" PRIu64 ", device errors in %" PRIu64
           "\n",
           d->frames_picture_equal, vgt_plural(d->frames_picture_equal), d->frames_picture_differ,
           d->frames_no_hash, d->frames_memory_differ, d->frames_regs_differ,
           d->frames_fences_differ, d->frames_errors_differ);
    for (size_t i = 0; i < d->npic_frames; i++) {
        text_picture_frame(&d->pic_frames[i]);
    }
    uint64_t more = d->frames_picture_differ + d->frames_memory_differ + d->frames_regs_differ +
                    d->frames_fences_differ + d->frames_errors_differ;
    if (more > d->npic_frames && d->npic_frames == c->limit) {
        printf("  ... more (--limit %llu)\n", c->limit);
    }
    text_cost(c, rows, nrows);
    if (im) {
        text_images(c, d, im);
    }
    /* what "same commands" left out: "", " (ids ignored)", " (ids, FENCE ignored)" */
    char what[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->nignore + (c->ignore_ids ? 1u : 0u); i++) {
        const char *name = c->ignore_ids ? (i ? vgt_cmd_name(c->ignore[i - 1u]) : "ids")
                                         : vgt_cmd_name(c->ignore[i]);
        int w = snprintf(what + used, sizeof(what) - used, "%s%s", i ? ", " : " (", name);
        if (w < 0 || (size_t)w >= sizeof(what) - used) {
            break;
        }
        used += (size_t)w;
    }
    if (used) {
        snprintf(what + used, sizeof(what) - used, " ignored)");
    }
    if (damaged(d)) {
        /* the intact frames' verdict beside the damaged ones: which frames
         * of a damaged capture still match, which were lost */
        uint64_t intact = d->frames - d->frames_damaged;
        printf("\ndamaged: %" PRIu64 " frame%s not compared; the other %" PRIu64 " %s\n",
               d->frames_damaged, vgt_plural(d->frames_damaged), intact,
               !d->equal || (im && !im->equal) ? "different" : "equal");
    } else if (!d->equal) {
        printf("\n%s\n", d->have_common ? "different" : "different: no frame in common");
    } else if (!im) {
        printf("\nequal: same commands%s and frame hashes\n", what);
    } else if (im->equal) {
        printf("\nequal: same commands%s, frame hashes and replayed pictures\n", what);
    } else {
        printf("\ndifferent: the replayed pictures differ\n");
    }
}

/* ---- JSON ------------------------------------------------------------------------ */

static void json_trace(const char *key, const char *path, const vgt_diff_trace *t)
{
    printf("  \"%s\": {\"file\": ", key);
    vgt_cli_json_string(stdout, path);
    if (t->has_frames) {
        printf(", \"first_frame\": %" PRIu64 ", \"last_frame\": %" PRIu64, t->first_frame,
               t->last_frame);
    }
    printf(", \"commands\": %" PRIu64 ", \"ignored\": %" PRIu64 "},\n", t->commands, t->ignored);
}

static void json_command(const char *key, const vgt_diff_command *c)
{
    char line[4096];
    printf("\"%s\": ", key);
    if (!c->present) {
        printf("{\"index\": %" PRIu64 ", \"command\": null}", c->index);
        return;
    }
    if (c->words) {
        vgt_cli_command_text(c->words, c->nwords, line, sizeof(line));
    } else {
        snprintf(line, sizeof(line), "(%u words, not kept)", c->nwords);
    }
    printf("{\"index\": %" PRIu64 ", \"seq\": %" PRIu64 ", \"id\": %u, \"command\": ", c->index,
           c->seq, c->words ? c->words[0] : 0u);
    vgt_cli_json_string(stdout, line);
    printf("}");
}

static void json_side(const char *key, const vgt_diff_side *s)
{
    printf("\"%s\": {\"commands\": %" PRIu64 ", \"ignored\": %" PRIu64 ", ", key, s->commands,
           s->ignored);
    if (s->has_hash) {
        printf("\"hash\": \"%016" PRIx64 "\", \"width\": %u, \"height\": %u, ", s->hash.hash,
               s->hash.width, s->hash.height);
    }
    printf("\"dma_reads\": %" PRIu64 ", \"dma_bytes\": %" PRIu64 ", \"dma_hash\": \"%016" PRIx64
           "\", \"reg_writes\": %" PRIu64 ", \"reg_hash\": \"%016" PRIx64 "\", \"fences\": %" PRIu64
           ", \"fence_hash\": \"%016" PRIx64 "\", \"errors\": %" PRIu64
           ", \"error_hash\": \"%016" PRIx64 "\"}",
           s->dma_reads, s->dma_bytes, s->dma_hash, s->reg_writes, s->reg_hash, s->fences,
           s->fence_hash, s->errors, s->error_hash);
}

static void json_frame(const vgt_diff_frame *f, bool commands, bool last)
{
    printf("      {\"frame\": %" PRIu64 ", ", f->frame);
    json_side("a", &f->a);
    printf(", ");
    json_side("b", &f->b);
    if (commands) {
        printf(",\n       \"changed\": %" PRIu64 ", \"only_a\": %" PRIu64 ", \"only_b\": %" PRIu64
               ", \"positional\": %s, \"length_only\": %s,\n       ",
               f->changed, f->only_a, f->only_b, f->positional ? "true" : "false",
               f->length_only ? "true" : "false");
        json_command("first_a", &f->first_a);
        printf(", ");
        json_command("first_b", &f->first_b);
    } else {
        printf(", \"picture_differs\": %s, \"memory_differs\": %s, \"regs_differ\": %s, "
               "\"fences_differ\": %s, \"errors_differ\": %s",
               f->picture_differs ? "true" : "false", f->memory_differs ? "true" : "false",
               f->regs_differ ? "true" : "false", f->fences_differ ? "true" : "false",
               f->errors_differ ? "true" : "false");
    }
    printf("}%s\n", last ? "" : ",");
}

/* --ignore-ids: {"a": {"surface": N, ...}, "b": {...}, "overflow": bool}. */
static void json_ids(const vgt_diff_result *d)
{
    printf("  \"ids\": {");
    for (int t = 0; t < 2; t++) {
        const vgt_diff_trace *x = t ? &d->b : &d->a;
        printf("%s\"%s\": {", t ? ", " : "", t ? "b" : "a");
        for (int k = 0; k < VGT_ID_KINDS; k++) {
            printf("%s\"%s\": %" PRIu64, k ? ", " : "", vgt_id_kind_name((vgt_id_kind)k),
                   x->ids[k]);
        }
        printf("}");
    }
    printf(", \"overflow\": %s},\n", d->a.ids_overflow || d->b.ids_overflow ? "true" : "false");
}

static void json_report(const diff_cli *c, const vgt_diff_result *d, const cost_row *rows,
                        size_t nrows, const vgt_diff_images_result *im)
{
    printf("{\n");
    json_trace("a", c->a, &d->a);
    json_trace("b", c->b, &d->b);
    if (d->have_common) {
        printf("  \"compared\": {\"first\": %" PRIu64 ", \"last\": %" PRIu64
               ", \"frames\": %" PRIu64 "},\n",
               d->first, d->last, d->frames);
    } else {
        printf("  \"compared\": null,\n");
    }
    print_only("a", &d->a, &d->b, c->first, c->last, true);
    print_only("b", &d->b, &d->a, c->first, c->last, true);
    printf("  \"equal\": %s,\n", d->equal && (!im || im->equal) && !damaged(d) ? "true" : "false");
    /* --salvage: the chunks skipped and the frames they damaged (not
     * compared); intact_equal is the other frames' verdict */
    printf("  \"damaged\": {\"frames\": %" PRIu64 ", \"skipped_chunks_a\": %" PRIu64 ", "
           "\"skipped_chunks_b\": %" PRIu64 ", \"a\": ",
           d->frames_damaged, d->a.chunks_skipped, d->b.chunks_skipped);
    json_ranges(&d->a);
    printf(", \"b\": ");
    json_ranges(&d->b);
    if (d->a.problems_lost || d->b.problems_lost) {
        /* found with no memory to record them: the frames named lack theirs */
        printf(", \"problems_not_recorded_a\": %zu, \"problems_not_recorded_b\": %zu",
               d->a.problems_lost, d->b.problems_lost);
    }
    if (d->a.nall_unlisted || d->b.nall_unlisted) {
        /* kept compact by the readers, past the problems they list */
        printf(", \"problems_not_listed_a\": %zu, \"problems_not_listed_b\": %zu",
               d->a.nall_unlisted, d->b.nall_unlisted);
    }
    printf(", \"intact_equal\": %s},\n", d->equal && (!im || im->equal) ? "true" : "false");
    printf("  \"ignore_ids\": %s,\n", c->ignore_ids ? "true" : "false");
    if (c->ignore_ids) {
        json_ids(d);
    }
    /* --ignore: the types left out and how many of each per trace */
    printf("  \"ignore\": [");
    for (size_t i = 0; i < c->nignore; i++) {
        printf("%s{\"id\": %u, \"name\": ", i ? ", " : "", c->ignore[i]);
        vgt_cli_json_string(stdout, vgt_cmd_name(c->ignore[i]));
        printf(", \"a\": %" PRIu64 ", \"b\": %" PRIu64 "}", d->a.ignored_by[i], d->b.ignored_by[i]);
    }
    printf("],\n");
    printf("  \"commands\": {\"frames_differ\": %" PRIu64 ", \"changed\": %" PRIu64
           ", \"only_a\": %" PRIu64 ", \"only_b\": %" PRIu64 ", \"frames_positional\": %" PRIu64
           ", \"frames_length_only\": %" PRIu64 ",\n    \"frames\": [\n",
           d->frames_commands_differ, d->changed, d->only_a, d->only_b, d->frames_positional,
           d->frames_length_only);
    for (size_t i = 0; i < d->ncmd_frames; i++) {
        json_frame(&d->cmd_frames[i], true, i + 1 == d->ncmd_frames);
    }
    printf("    ]},\n");
    printf("  \"frames\": {\"picture_equal\": %" PRIu64 ", \"picture_differ\": %" PRIu64
           ", \"no_hash\": %" PRIu64 ", \"memory_differ\": %" PRIu64 ", \"regs_differ\": %" PRIu64
           ", \"fences_differ\": %" PRIu64 ", \"errors_differ\": %" PRIu64 ",\n    \"frames\": [\n",
           d->frames_picture_equal, d->frames_picture_differ, d->frames_no_hash,
           d->frames_memory_differ, d->frames_regs_differ, d->frames_fences_differ,
           d->frames_errors_differ);
    for (size_t i = 0; i < d->npic_frames; i++) {
        json_frame(&d->pic_frames[i], false, i + 1 == d->npic_frames);
    }
    printf("    ]},\n  \"cost\": [");
    for (size_t i = 0; i < nrows; i++) {
        const cost_row *r = &rows[i];
        double ma = mean_us(r->a), mb = mean_us(r->b);
        printf("%s\n    {\"id\": %u, \"name\": ", i ? "," : "", r->id);
        vgt_cli_json_string(stdout, vgt_cmd_name(r->id));
        printf(", \"ignored\": %s", is_ignored(c, r->id) ? "true" : "false");
        printf(", \"count_a\": %" PRIu64 ", \"count_b\": %" PRIu64
               ", \"mean_exec_us_a\": %.3f, \"mean_exec_us_b\": %.3f, \"ratio\": ",
               r->a ? r->a->count : 0, r->b ? r->b->count : 0, ma, mb);
        if (ma > 0.0 && r->b && r->b->timed) {
            printf("%.4f", mb / ma);
        } else {
            printf("null");
        }
        printf(", \"exec_ns_a\": %" PRIu64 ", \"exec_ns_b\": %" PRIu64 ", \"diff_ns\": %" PRId64
               "}",
               r->a ? r->a->exec_ns : 0, r->b ? r->b->exec_ns : 0, r->diff_ns);
    }
    printf("%s]", nrows ? "\n  " : "");
    if (im) {
        json_images(c, im);
    }
    printf("\n}\n");
}

/* ---- the verb -------------------------------------------------------------------- */

/* vgt_diff_images_options.damaged: a frame the commands part named damaged. */
static bool frame_damaged(const void *ctx, uint64_t frame)
{
    const vgt_diff_result *d = ctx;
    return vgt_diff_frame_damaged(&d->a, frame) || vgt_diff_frame_damaged(&d->b, frame);
}

/* Every problem of each trace's reader (the open's too: a torn last
 * chunk, a damaged header), as every verb reports them
 * (vgt_cli_report_problems), naming the trace; the chunk whose damage
 * stopped a read is left to the error line `said`.  A trace without its
 * footer gets the incomplete trace's warning, which says it, as replay,
 * trim and analyze give it: the footer was one more problem listed, so
 * diff's "N more problems not listed" was one higher than theirs. */
static void report_problems(const diff_cli *c, const vgt_diff_result *d, const char *said)
{
    for (int t = 0; t < 2; t++) {
        const vgt_diff_trace *x = t ? &d->b : &d->a;
        char name[4200], who[sizeof(name) + 2];
        snprintf(name, sizeof(name), "%s (%s)", t ? "B" : "A", t ? c->b : c->a);
        snprintf(who, sizeof(who), "%s: ", name);
        bool warned =
            vgt_cli_warn_incomplete_chunks("diff", x->incomplete, x->chunks, name, "compared");
        const vgt_trace_problem **list =
            vgt_cli_problem_pointers(x->all_problems, x->nall_problems);
        if (list) {
            vgt_cli_report_problems("diff", who, list, x->nall_problems, x->nall_unlisted,
                                    c->salvage, warned, said);
            free(list);
        }
        vgt_cli_report_unrecorded("diff", who, x->nall_problems + x->nall_unlisted,
                                  x->problems_lost);
    }
}

/* The options that take a value (their branches check it), named when it is
 * missing. */
static const vgt_cli_value_option diff_value_options[] = {
    {"--frames", "X-Y, X- or X"},
    {"--limit", "0 to 1000000 frames"},
    {"--images", "a directory"},
    {"--backend", "soft or gl"},
    {"--tolerance", "0 to 255 per channel"},
    {"--ignore", "command names NAME[,NAME...] (FENCE,SURFACE_DMA)"},
};

int vgt_cmd_diff(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    diff_cli c = {.last = UINT64_MAX, .limit = 10};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (a[0] != '-' || a[1] == '\0') {
            if (c.a && c.b) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "diff", "two traces only ('%s'?)", a);
            }
            *(c.a ? &c.b : &c.a) = a;
        } else if (strcmp(a, "--frames") == 0 && has) {
            if (!vgt_cli_parse_range(argv[++i], &c.first, &c.last)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "diff",
                                    "--frames '%s': expected X-Y with X <= Y, X- or X", argv[i]);
            }
        } else if (strcmp(a, "--limit") == 0 && has) {
            if (!vgt_cli_parse_u64(argv[++i], 1000000u, &c.limit)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "diff",
                                    "--limit '%s': expected 0 to 1000000 frames", argv[i]);
            }
        } else if (strcmp(a, "--json") == 0) {
            c.json = true;
        } else if (strcmp(a, "--salvage") == 0) {
            c.salvage = true;
        } else if (strcmp(a, "--ignore-ids") == 0) {
            c.ignore_ids = true;
        } else if (strcmp(a, "--ignore") == 0 && has) {
            int rc = vgt_cli_parse_command_names("diff", "--ignore", argv[++i], c.ignore,
                                                 VGT_DIFF_MAX_IGNORE, &c.nignore);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c.quiet = true;
        } else if (strcmp(a, "--images") == 0 && has) {
            c.images = argv[++i];
        } else if (strcmp(a, "--backend") == 0 && has) {
            const char *b = argv[++i];
            c.backend_set = true;
            if (strcmp(b, "soft") == 0) {
                c.backend = VGT_REPLAY_BACKEND_SOFT;
            } else if (strcmp(b, "gl") == 0) {
                c.backend = VGT_REPLAY_BACKEND_GL;
            } else if (strcmp(b, "null") == 0) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "diff",
                                    "--backend null: the null backend draws no 3D, so its "
                                    "pictures are not the guest's; use soft or gl");
            } else {
                return vgt_cli_fail(VGT_EXIT_USAGE, "diff", "--backend '%s': expected soft or gl",
                                    b);
            }
        } else if (strcmp(a, "--tolerance") == 0 && has) {
            if (!vgt_cli_parse_u64(argv[++i], 255, &c.tolerance)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "diff",
                                    "--tolerance '%s': expected 0 to 255 per channel", argv[i]);
            }
            c.tolerance_set = true;
        } else {
            return vgt_cli_bad_option("diff", argc, argv, i, diff_value_options,
                                      sizeof(diff_value_options) / sizeof(diff_value_options[0]));
        }
    }
    if (!c.b) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "diff", "two traces to compare (vgt diff A B)");
    }
    if (c.json && c.quiet) {
        /* -q prints nothing at all here; silently printing no JSON for
         * --json surprised scripts (vgt replay's -q only quiets its text) */
        return vgt_cli_fail(VGT_EXIT_USAGE, "diff",
                            "--json with -q: -q prints nothing (the exit status says equal or "
                            "not) and --json prints the report; give one of them");
    }
    if (!c.images && (c.backend_set || c.tolerance_set)) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "diff",
                            "--backend and --tolerance are for the replayed pictures: add "
                            "--images DIR");
    }
    if (!c.backend_set) {
        c.backend = VGT_REPLAY_BACKEND_SOFT; /* the bit-exact reference */
    }
    vgt_diff_options o = {.first_frame = c.first,
                          .last_frame = c.last,
                          .limit = c.quiet ? 0u : (uint32_t)c.limit,
                          .ignore_ids = c.ignore_ids,
                          .ignore = c.ignore,
                          .nignore = c.nignore,
                          .salvage = c.salvage};
    char why[128];
    if (c.images && !vgt_cli_make_dir(c.images, why, sizeof(why))) {
        /* up front, as replay's --screenshot: with equal pictures nothing is
         * written there, and a file given as DIR went unnoticed */
        return vgt_cli_fail(VGT_EXIT_DATA, "diff", "--images: cannot write into '%s': %s", c.images,
                            why);
    }
    vgt_diff_result d;
    vgt_error err = {0};
    vgt_status st = vgt_diff(c.a, c.b, &o, &d, &err);
    report_problems(&c, &d, st != VGT_OK ? err.message : NULL);
    if (st != VGT_OK) {
        /* a damaged chunk the reading met, or the one the open's walk
         * stopped at before frames the comparison asked for */
        const char *hint = "";
        for (int t = 0; t < 2 && !*hint; t++) {
            const vgt_diff_trace *x = t ? &d.b : &d.a;
            const vgt_trace_problem **list =
                vgt_cli_problem_pointers(x->all_problems, x->nall_problems);
            if (list) {
                hint =
                    vgt_cli_salvage_hint_problems(list, x->nall_problems, c.salvage, err.message);
                free(list);
            }
        }
        vgt_diff_result_free(&d);
        return vgt_cli_fail(VGT_EXIT_DATA, "diff", "%s%s", err.message, hint);
    }
    vgt_diff_images_result im = {0};
    if (c.images && d.have_common) {
        vgt_diff_images_options io = {.first_frame = d.first,
                                      .last_frame = d.last,
                                      .backend = c.backend,
                                      .tolerance = (uint32_t)c.tolerance,
                                      .dir = c.images,
                                      .limit = c.quiet ? 0u : (uint32_t)c.limit,
                                      .salvage = c.salvage,
                                      .damaged = frame_damaged,
                                      .damaged_ctx = &d};
        st = vgt_diff_images(c.a, c.b, &io, &im, &err);
        if (st != VGT_OK) {
            vgt_diff_images_result_free(&im);
            vgt_diff_result_free(&d);
            return vgt_cli_fail(st == VGT_E_UNSUPPORTED ? VGT_EXIT_USAGE : VGT_EXIT_DATA, "diff",
                                "--images: %s", err.message);
        }
    }
    if (!c.quiet) {
        size_t nrows = 0;
        cost_row *rows = cost_rows(&d.a.cost, &d.b.cost, &nrows);
        if (c.json) {
            json_report(&c, &d, rows, nrows, c.images ? &im : NULL);
        } else {
            text_report(&c, &d, rows, nrows, c.images ? &im : NULL);
        }
        free(rows);
    }
    int rc = damaged(&d)                          ? VGT_EXIT_DATA
             : d.equal && (!c.images || im.equal) ? VGT_EXIT_OK
                                                  : VGT_EXIT_DIFFER;
    vgt_diff_images_result_free(&im);
    vgt_diff_result_free(&d);
    return rc;
}
