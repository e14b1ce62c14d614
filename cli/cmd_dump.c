/* vgt dump FILE [--chunks] [--frames A-B] [--salvage]: the container level
 * view of a trace, one line per record (or per chunk), then per-type totals.
 * Each part is its own function so that the protocol layer can add a
 * decoded view of the records beside the container one. */
#include "vgt_cli.h"
#include "vgt_format.h"

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
} dump_options;

/* Per-type totals of what was dumped. */
typedef struct dump_totals {
    uint64_t records[0x10000];
    uint64_t bytes[0x10000];
} dump_totals;

static void usage(void)
{
    printf("usage: vgt dump FILE [--chunks] [--frames A-B] [--salvage]\n\n"
           "Prints a trace at the container level: one line per record\n"
           "(SEQ FRAME TIME TYPE SIZE; a deduplicated payload shows the record it\n"
           "refers to), then the record count and payload bytes per type.\n\n"
           "  --chunks      one line per chunk instead (offset, records, frames, sizes)\n"
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

static bool parse_frames(const char *text, dump_options *o)
{
    char buf[64];
    unsigned long long a, b;
    if (strlen(text) >= sizeof(buf)) {
        return false;
    }
    strcpy(buf, text);
    char *dash = strchr(buf, '-');
    if (dash) {
        *dash = '\0';
    }
    if (!vgt_cli_parse_u64(buf, UINT64_MAX, &a)) {
        return false;
    }
    b = a;
    if (dash && !vgt_cli_parse_u64(dash + 1, UINT64_MAX, &b)) {
        return false;
    }
    if (b < a) {
        return false;
    }
    o->frames = true;
    o->first_frame = a;
    o->last_frame = b;
    return true;
}

/* Prints problems recorded since *seen (salvage reports them as they come). */
static void report_problems(const vgt_trace_reader *r, size_t *seen)
{
    size_t n = vgt_trace_reader_problem_count(r);
    for (; *seen < n; (*seen)++) {
        fprintf(stderr, "vgt dump: %s\n", vgt_trace_reader_problem(r, *seen)->message);
    }
}

static void dump_chunks(const vgt_trace_reader *r)
{
    printf("%8s %14s %10s %12s %21s %12s %12s %7s\n", "CHUNK", "OFFSET", "RECORDS", "FIRST_REC",
           "FRAMES", "COMPRESSED", "UNCOMPRESSED", "RATIO");
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r); i++) {
        vgt_trace_chunk_info c;
        char frames[48];
        vgt_trace_reader_chunk(r, i, &c);
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

/* Streams the records (of the selected frames); returns the final status. */
static vgt_status dump_records(vgt_trace_reader *r, const dump_options *o, dump_totals *t,
                               vgt_error *err)
{
    size_t seen = 0;
    if (o->frames) {
        vgt_status st = vgt_trace_reader_seek_frame(r, o->first_frame, err);
        if (st != VGT_OK) {
            return st;
        }
    }
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
        } else if (strcmp(argv[i], "--frames") == 0) {
            if (i + 1 >= argc || !parse_frames(argv[i + 1], &o)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "--frames wants A-B or A (see --help)");
            }
            i++;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "unknown option '%s' (see --help)",
                                argv[i]);
        } else if (!o.path) {
            o.path = argv[i];
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "one FILE only (see --help)");
        }
    }
    if (!o.path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "missing FILE (see --help)");
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
        dump_chunks(r);
        rc = vgt_trace_reader_problem_count(r) ? VGT_EXIT_DATA : VGT_EXIT_OK;
    } else {
        dump_totals *t = calloc(1, sizeof(*t));
        if (!t) {
            vgt_trace_reader_close(r);
            return vgt_cli_fail(VGT_EXIT_DATA, "dump", "out of memory");
        }
        vgt_status st = dump_records(r, &o, t, &err);
        dump_totals_table(t);
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
