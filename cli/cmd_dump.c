/* vgt dump FILE [--chunks] [--frames A-B] [--salvage]: the container level
 * view of a trace, one line per record (or per chunk), then per-type totals.
 * Each part is its own function so that the protocol layer can add a
 * decoded view of the records beside the container one. */
#include "vgt_cli.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dump_options {
    const char *path;
    bool chunks;
    bool salvage;
    bool frames;
    uint64_t first_frame, last_frame;
    bool records; /* container view even for an SVGA trace */
    bool verbose; /* SVGA view: arrays in full, guest memory reads, fences, timings */
} dump_options;

/* Per-type totals of what was dumped. */
typedef struct dump_totals {
    uint64_t records[0x10000];
    uint64_t bytes[0x10000];
} dump_totals;

static void usage(void)
{
    printf("usage: vgt dump FILE [--chunks] [--frames A-B] [--salvage] [--records] [--verbose]\n\n"
           "An SVGA trace (protocol svga2) is decoded: one line per command,\n"
           "SEQ FRAME NAME key=value ... (FRAME is the guest's frame number; --frames\n"
           "selects guest frames), with register writes, device errors, snapshots and\n"
           "frame ends between them, then the count per command type.\n"
           "  --verbose     arrays in full, and the guest memory reads, fences and timings\n"
           "  --records     the container view below instead\n\n"
           "Other traces (and --records):\n"
           "Prints a trace at the container level: one line per record\n"
           "(SEQ FRAME TIME TYPE SIZE; a deduplicated payload shows the record it\n"
           "refers to), then the record count and payload bytes per type.\n\n"
           "  --chunks      one line per chunk instead (offset, records, frames, sizes);\n"
           "                with --frames only the chunks holding those frames\n"
           "  --frames A-B  only frames A to B (or --frames A for one frame); seeks\n"
           "                through the index, reading only the chunks needed\n"
           "  --salvage     skip damaged chunks (reporting them) instead of stopping\n\n"
           "Exit status: 0 ok, 1 usage error, 2 unreadable or damaged trace.\n");
}

static const char *type_label(uint16_t type, char *buf, size_t size)
{
    const char *name = vgt_trace_type_name(type);
    if (name) {
        return name;
    }
    snprintf(buf, size, "0x%04x", type);
    return buf;
}

/* Prints problems recorded since *seen (salvage reports them as they come). */
static void report_problems(const vgt_trace_reader *r, size_t *seen)
{
    size_t n = vgt_trace_reader_problem_count(r);
    for (; *seen < n; (*seen)++) {
        fprintf(stderr, "vgt dump: %s\n", vgt_trace_reader_problem(r, *seen)->message);
    }
}

/* One line per chunk; with --frames A-B (the FRAMES column's numbers, from
 * the trace's first frame, as --records counts them) only the chunks holding
 * records of frames A..B: the ones a seek to them decompresses. */
static void dump_chunks(const vgt_trace_reader *r, const dump_options *o)
{
    printf("%8s %14s %10s %12s %21s %12s %12s %7s\n", "CHUNK", "OFFSET", "RECORDS", "FIRST_REC",
           "FRAMES", "COMPRESSED", "UNCOMPRESSED", "RATIO");
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r); i++) {
        vgt_trace_chunk_info c;
        char frames[48];
        vgt_trace_reader_chunk(r, i, &c);
        if (o->frames && (c.last_frame < o->first_frame || c.first_frame > o->last_frame)) {
            continue;
        }
        snprintf(frames, sizeof(frames), "%" PRIu64 "-%" PRIu64, c.first_frame, c.last_frame);
        printf("%8" PRIu64 " %14" PRIu64 " %10u %12" PRIu64 " %21s %12u %12u %7.2f\n", i, c.offset,
               c.record_count, c.first_record, frames, c.compressed_size, c.uncompressed_size,
               c.compressed_size ? (double)c.uncompressed_size / c.compressed_size : 0.0);
    }
}

static void dump_record_line(const vgt_trace_record *rec)
{
    char buf[16];
    printf("%10" PRIu64 " %8" PRIu64 " %20" PRIu64 " %-16s %10u", rec->seq, rec->frame,
           rec->timestamp_ns, type_label(rec->type, buf, sizeof(buf)), rec->size);
    if (rec->deduplicated) {
        printf("  (same payload as #%" PRIu64 ")", rec->ref_seq);
    }
    putchar('\n');
}

/* ---- the SVGA view ----------------------------------------------------------- */

typedef struct svga_totals {
    uint32_t ids[4096]; /* distinct command ids seen, in order of first use */
    uint64_t counts[4096];
    size_t n;
    uint64_t other;
} svga_totals;

static void svga_count(svga_totals *t, uint32_t id)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->ids[i] == id) {
            t->counts[i]++;
            return;
        }
    }
    if (t->n < sizeof(t->ids) / sizeof(t->ids[0])) {
        t->ids[t->n] = id;
        t->counts[t->n++] = 1;
    } else {
        t->other++;
    }
}

/* One recorded command as a decoded line. */
static void svga_command_line(const vgt_trace_command *cp, uint64_t frame, bool verbose,
                              svga_totals *t, uint32_t **words, size_t *cap)
{
    char line[4096];
    vgt_trace_command c = *cp;
    if (c.nwords > *cap) {
        uint32_t *w = realloc(*words, (size_t)c.nwords * 4u);
        if (!w) {
            printf("%10" PRIu64 " %8" PRIu64 " (out of memory for %u words)\n", c.seq, frame,
                   c.nwords);
            return;
        }
        *words = w;
        *cap = c.nwords;
    }
    for (uint32_t i = 0; i < c.nwords; i++) {
        (*words)[i] = vgt_load_le32(c.words + 4u * i);
    }
    svga_count(t, (*words)[0]);
    /* the device's own command (a framebuffer trace refresh), not the guest's */
    const char *origin = c.fifo_offset == VGT_TRACE_REFRESH_OFFSET ? " [trace refresh]" : "";
    vgt_cmd cmd;
    if (verbose && vgt_cli_command_decode(*words, c.nwords, &cmd, line, sizeof(line))) {
        printf("%10" PRIu64 " %8" PRIu64 "%s ", c.seq, frame, origin);
        vgt_cmd_print(stdout, &cmd, true);
        return;
    }
    if (!verbose) {
        vgt_cli_command_text(*words, c.nwords, line, sizeof(line));
    }
    printf("%10" PRIu64 " %8" PRIu64 " %s%s\n", c.seq, frame, line, origin);
}

/* One record of an SVGA trace as decoded lines (a batch: one line per command). */
static void svga_line(const vgt_trace_record *rec, uint64_t frame, bool verbose, svga_totals *t,
                      uint32_t **words, size_t *cap)
{
    char line[4096];
    if (vgt_trace_is_commands(rec->type)) {
        vgt_trace_commands b;
        vgt_error e = {0};
        if (vgt_trace_commands_parse(rec, &b, &e) != VGT_OK) {
            printf("%10s %8" PRIu64 " MALFORMED_COMMAND_RECORD size=%u: %s\n", "-", frame,
                   rec->size, e.message);
            return;
        }
        vgt_trace_command c;
        while (vgt_trace_commands_next(&b, &c)) {
            svga_command_line(&c, frame, verbose, t, words, cap);
        }
        return;
    }
    if (!verbose && (rec->type == VGT_REC_DMA_DATA || rec->type == VGT_REC_FENCE ||
                     rec->type == VGT_REC_TIMING || rec->type == VGT_REC_FRAME_END)) {
        return;
    }
    if (rec->type == VGT_REC_FRAME_END) {
        printf("%10s %8" PRIu64 " FRAME_END\n", "-", frame);
        return;
    }
    vgt_trace_record_format(rec, line, sizeof(line));
    printf("%10s %8" PRIu64 " %s\n", "-", frame, line);
}

static void svga_totals_table(const svga_totals *t)
{
    uint64_t total = 0;
    printf("\n%-28s %12s\n", "COMMAND", "COUNT");
    for (size_t i = 0; i < t->n; i++) {
        printf("%-28s %12" PRIu64 "\n", vgt_cmd_name(t->ids[i]), t->counts[i]);
        total += t->counts[i];
    }
    printf("%-28s %12" PRIu64 "\n", "total", total + t->other);
}

/* Seeks to frame rel (from the trace's first; shown as base + rel, which
 * label names: "guest " for guest frames, "" for --records' FRAME column).  Past the
 * trace's frames, the message says them as vgt info does (complete frames;
 * the records after the last FRAME_END are a partial frame): the reader's
 * "(7 frames)" counted the partial one in a 6-frame capture. */
/* VGT_E_NOTFOUND with the message naming the trace's frames when frame `rel`
 * (counted from its first, shown as base + rel) is past its end; VGT_OK. */
static vgt_status check_frame(const vgt_trace_reader *r, const char *path, uint64_t rel,
                              uint64_t base, const char *label, vgt_error *err)
{
    vgt_trace_info ii;
    vgt_trace_reader_info(r, &ii);
    if (rel < ii.frames) {
        return VGT_OK;
    }
    if (ii.frames == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no frame %" PRIu64 " in the trace (it holds none)", path,
                             base + rel);
    }
    char frames[96];
    vgt_cli_frames_text(frames, sizeof(frames), base, base + ii.frames - 1u,
                        ii.frames > ii.complete_frames);
    return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no frame %" PRIu64 " in the trace (%s%s)", path,
                         base + rel, label, frames);
}

static vgt_status seek_frame(vgt_trace_reader *r, const char *path, uint64_t rel, uint64_t base,
                             const char *label, vgt_error *err)
{
    vgt_status st = check_frame(r, path, rel, base, label, err);
    return st != VGT_OK ? st : vgt_trace_reader_seek_frame(r, rel, err);
}

/* Streams the decoded records of an SVGA trace (guest frames selected). */
static vgt_status dump_svga(vgt_trace_reader *r, const dump_options *o, vgt_error *err)
{
    size_t seen = 0;
    uint64_t start = vgt_trace_reader_header(r)->start_frame;
    if (o->frames) {
        if (o->last_frame < start) { /* trim's words, and the file named as past the end */
            if (o->first_frame == o->last_frame) {
                return vgt_error_set(err, VGT_E_NOTFOUND,
                                     "%s: frame %" PRIu64
                                     " is before the trace, which starts at guest frame %" PRIu64,
                                     o->path, o->first_frame, start);
            }
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "%s: frames %" PRIu64 "..%" PRIu64
                                 " are before the trace, which starts at guest frame %" PRIu64,
                                 o->path, o->first_frame, o->last_frame, start);
        }
        vgt_status st = seek_frame(r, o->path, o->first_frame > start ? o->first_frame - start : 0,
                                   start, "guest ", err);
        if (st != VGT_OK) {
            return st;
        }
    }
    svga_totals *t = calloc(1, sizeof(*t));
    if (!t) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
    }
    uint32_t *words = NULL;
    size_t cap = 0;
    printf("%10s %8s %s\n", "SEQ", "FRAME", "COMMAND");
    vgt_trace_record rec;
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, err)) == VGT_OK) {
        report_problems(r, &seen);
        uint64_t frame = start + rec.frame;
        if (o->frames && frame > o->last_frame) {
            st = VGT_E_END;
            break;
        }
        svga_line(&rec, frame, o->verbose, t, &words, &cap);
    }
    report_problems(r, &seen);
    svga_totals_table(t);
    free(words);
    free(t);
    return st;
}

/* Streams the records (of the selected frames); returns the final status.
 * *listed: the listing began (false when the frames are not in the trace:
 * then there is nothing to total, only the error to say). */
static vgt_status dump_records(vgt_trace_reader *r, const dump_options *o, dump_totals *t,
                               bool *listed, vgt_error *err)
{
    size_t seen = 0;
    *listed = false;
    if (o->frames) {
        vgt_status st = seek_frame(r, o->path, o->first_frame, 0, "", err);
        if (st != VGT_OK) {
            return st;
        }
    }
    *listed = true;
    printf("%10s %8s %20s %-16s %10s\n", "SEQ", "FRAME", "TIME_NS", "TYPE", "SIZE");
    vgt_trace_record rec;
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, err)) == VGT_OK) {
        report_problems(r, &seen);
        if (o->frames && rec.frame > o->last_frame) {
            st = VGT_E_END;
            break;
        }
        dump_record_line(&rec);
        t->records[rec.type]++;
        t->bytes[rec.type] += rec.size;
    }
    report_problems(r, &seen);
    return st;
}

static void dump_totals_table(const dump_totals *t)
{
    printf("\n%-16s %12s %16s\n", "TYPE", "RECORDS", "PAYLOAD_BYTES");
    uint64_t n = 0, bytes = 0;
    for (uint32_t type = 0; type < 0x10000; type++) {
        if (t->records[type]) {
            char buf[16];
            printf("%-16s %12" PRIu64 " %16" PRIu64 "\n",
                   type_label((uint16_t)type, buf, sizeof(buf)), t->records[type], t->bytes[type]);
            n += t->records[type];
            bytes += t->bytes[type];
        }
    }
    printf("%-16s %12" PRIu64 " %16" PRIu64 "\n", "total", n, bytes);
}

int vgt_cmd_dump(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        usage();
        return VGT_EXIT_OK;
    }
    dump_options o = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--chunks") == 0) {
            o.chunks = true;
        } else if (strcmp(argv[i], "--salvage") == 0) {
            o.salvage = true;
        } else if (strcmp(argv[i], "--records") == 0) {
            o.records = true;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            o.verbose = true;
        } else if (strcmp(argv[i], "--frames") == 0) {
            /* the range syntax of replay, trim and diff (A- included) */
            if (i + 1 >= argc) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "--frames needs a value: A-B, A- or A");
            }
            if (!vgt_cli_parse_range(argv[i + 1], &o.first_frame, &o.last_frame)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "dump",
                                    "--frames '%s': expected A-B with A <= B, A- or A",
                                    argv[i + 1]);
            }
            o.frames = true;
            i++;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return vgt_cli_bad_option("dump", argc, argv, i, NULL, 0);
        } else if (!o.path) {
            o.path = argv[i];
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "one FILE only (see vgt dump --help)");
        }
    }
    if (!o.path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "missing FILE (see vgt dump --help)");
    }
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = o.salvage;
    vgt_trace_reader *r;
    vgt_error err = {0};
    if (vgt_trace_reader_open(o.path, &ro, &r, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s", err.message);
    }
    int rc = VGT_EXIT_OK;
    if (o.chunks) {
        size_t seen = 0;
        report_problems(r, &seen);
        if (o.frames && check_frame(r, o.path, o.first_frame, 0, "", &err) != VGT_OK) {
            /* past the end: the error alone, as --records says it (it listed
             * every chunk, --frames unread, and exited 0) */
            rc = vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s", err.message);
        } else {
            dump_chunks(r, &o);
            rc = vgt_trace_reader_problem_count(r) ? VGT_EXIT_DATA : VGT_EXIT_OK;
        }
    } else if (!o.records && strcmp(vgt_trace_reader_header(r)->protocol_name,
                                    VGT_SVGA_TRACE_PROTOCOL_NAME) == 0) {
        vgt_status st = dump_svga(r, &o, &err);
        if (st != VGT_E_END) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s", err.message);
        } else if (vgt_trace_reader_problem_count(r)) {
            rc = VGT_EXIT_DATA;
        }
    } else {
        dump_totals *t = calloc(1, sizeof(*t));
        if (!t) {
            vgt_trace_reader_close(r);
            return vgt_cli_fail(VGT_EXIT_DATA, "dump", "out of memory");
        }
        bool listed = false;
        vgt_status st = dump_records(r, &o, t, &listed, &err);
        if (listed) {
            dump_totals_table(t);
        }
        free(t);
        if (st != VGT_E_END) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s", err.message);
        } else if (vgt_trace_reader_problem_count(r)) {
            rc = VGT_EXIT_DATA;
        }
    }
    vgt_trace_reader_close(r);
    return rc;
}
