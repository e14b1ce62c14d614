/* vgt dump FILE [--chunks] [--frames A-B] [--salvage] [--records]
 * [--verbose] [--json] [--calls A-B] [--only NAMES]: an SVGA trace decoded,
 * one line per command (as text, or as JSON Lines through the printer's
 * JSON view), or the container level view of any trace, one line per record
 * (or per chunk), then per-type totals. */
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
    bool json;    /* SVGA view as JSON Lines */
    bool calls;   /* SVGA view: only the commands first_call..last_call (SEQ) */
    uint64_t first_call, last_call;
    uint32_t only[64]; /* SVGA view: only the commands of these ids (--only) */
    size_t nonly;
    /* vgt_cli_warn_incomplete said the missing footer: not listed again
     * on stderr (the JSON views keep its "problem" object) */
    bool warned;
} dump_options;

/* Per-type totals of what was dumped. */
typedef struct dump_totals {
    uint64_t records[0x10000];
    uint64_t bytes[0x10000];
} dump_totals;

static void usage(void)
{
    printf("usage: vgt dump FILE [--chunks] [--frames A-B] [--salvage] [--records] [--verbose]\n"
           "                [--json] [--calls A-B] [--only NAME[,NAME...]]\n\n"
           "An SVGA trace (protocol svga2) is decoded: one line per command,\n"
           "SEQ FRAME NAME key=value ... (FRAME is the guest's frame number; --frames\n"
           "selects guest frames), with register writes, device errors, snapshots and\n"
           "frame ends between them, then the count per command type.\n"
           "  --verbose     arrays in full, and the guest memory reads, fences and timings\n"
           "  --json        JSON Lines: one object per line, a summary object last, in\n"
           "                every view (docs/cli.md, \"vgt dump --json\")\n"
           "  --calls A-B   only the commands A..B (the SEQ column; A- or A as --frames);\n"
           "                none of them in the trace (or the frames read): exit 2\n"
           "  --only NAMES  only the commands of these names (comma-separated, as the\n"
           "                COMMAND column prints them, any case); with --calls or\n"
           "                --only only the selected commands and their device errors\n"
           "                are listed, and the totals count them\n"
           "  --records     the container view below instead\n\n"
           "Other traces (and --records):\n"
           "Prints a trace at the container level: one line per record\n"
           "(SEQ FRAME TIME TYPE SIZE; a deduplicated payload shows the record it\n"
           "refers to), then the record count and payload bytes per type.\n\n"
           "  --chunks      one line per chunk instead (offset, records, frames, sizes),\n"
           "                each read and checked (STATUS ok or damaged);\n"
           "                with --frames only the chunks holding those frames\n"
           "  --frames A-B  only frames A to B (or --frames A for one frame); seeks\n"
           "                through the index, reading only the chunks needed\n"
           "  --salvage     skip damaged chunks (reporting them) instead of stopping\n"
           "  --calls and --only are the decoded SVGA view's (refused here)\n\n"
           "Exit status: 0 ok (a trace only missing its footer too: the warning says it),\n"
           "1 usage error, 2 unreadable or damaged trace (problems not recorded, out of\n"
           "memory, too), or --frames or --calls outside it.\n");
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

/* Reports problems recorded since *seen as they come: on stderr when
 * `say` (--chunks: a chunk's before its line; the other views say them
 * all after the read, in the order of the file, as every verb does:
 * vgt_cli_report_reader_problems), but not the missing footer when
 * `warned` (the incomplete trace's warning said it, as every verb says
 * it), and in a JSON view also as a "damaged" object in the listing (the
 * chunk, null when the problem is not about one, and its offset), so a
 * script sees where the records it got stop and start again. */
static void report_problems(const vgt_trace_reader *r, size_t *seen, bool json, bool salvage,
                            bool say, bool warned)
{
    /* those the reader kept whole; the ones past them have no message
     * (report_unlisted counts them) */
    size_t n = vgt_trace_reader_problems_listed(r);
    for (; *seen < n; (*seen)++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(r, *seen);
        bool tell = say && !(warned && vgt_cli_plain_missing_footer(p));
        /* a chunk's in the other verbs' words (it printed the reader's
         * message, "vgt dump: chunk 2 at offset 947: ...") */
        if (tell && p->chunk == UINT64_MAX) {
            fprintf(stderr, "vgt dump: %s\n", p->message);
        } else if (tell) {
            vgt_cli_print_problem("dump", salvage, p);
        }
        if (json) {
            fputs("{\"type\":\"problem\",\"chunk\":", stdout);
            if (p->chunk == UINT64_MAX) {
                fputs("null", stdout);
            } else {
                printf("%" PRIu64, p->chunk);
            }
            printf(",\"offset\":%" PRIu64 ",\"code\":", p->offset);
            vgt_cli_json_string(stdout, vgt_status_name(p->code));
            fputs(",\"message\":", stdout);
            vgt_cli_json_string(stdout, p->message);
            fputs("}\n", stdout);
        }
    }
}

/* In a JSON view, after the problems' objects: one object counting the
 * problems the reader kept compact, past those it listed (none is listed
 * for them), so that a script does not take the problems listed for all:
 * {"type":"problems_not_listed","count":K,"message":"K more problems not
 * listed"}. */
static void report_unlisted_json(const vgt_trace_reader *r, bool json)
{
    size_t unlisted = vgt_cli_reader_unlisted(r);
    if (!json || unlisted == 0) {
        return;
    }
    char words[64];
    vgt_cli_unlisted_words(words, sizeof(words), unlisted);
    printf("{\"type\":\"problems_not_listed\",\"count\":%zu,\"message\":", unlisted);
    vgt_cli_json_string(stdout, words);
    fputs("}\n", stdout);
}

/* In a JSON view, after the problems' objects: one object counting the
 * problems the reader found with no memory to record them (none is listed
 * for them), so that a script does not take the problems listed for all:
 * {"type":"problems_not_recorded","count":K,"message":"..."}; the one of
 * those kept compact before it. */
static void report_unrecorded_json(const vgt_trace_reader *r, bool json)
{
    report_unlisted_json(r, json);
    size_t lost = vgt_trace_reader_problems_lost(r);
    if (!json || lost == 0) {
        return;
    }
    char words[256];
    vgt_cli_integrity_words(words, sizeof(words), vgt_trace_reader_problem_count(r), lost, false);
    printf("{\"type\":\"problems_not_recorded\",\"count\":%zu,\"message\":", lost);
    vgt_cli_json_string(stdout, words);
    fputs("}\n", stdout);
}

/* Whether dump's exit status is 2 for the problems the reader found: any
 * it recorded but the plain missing footer (a killed capture whose chunks
 * are whole: everything the file holds was listed, and the warning said
 * it, exit 0 as in vgt replay and vgt leaks), or any it had no memory to
 * record (they may be damaged chunks). */
static bool problems_fail(const vgt_trace_reader *r)
{
    if (vgt_trace_reader_problems_lost(r) > 0) {
        return true;
    }
    /* (one kept compact, past those listed, is never the footer's: the
     * missing footer is the open's first problem) */
    if (vgt_cli_reader_unlisted(r) > 0) {
        return true;
    }
    for (size_t i = 0; i < vgt_trace_reader_problems_listed(r); i++) {
        if (!vgt_cli_plain_missing_footer(vgt_trace_reader_problem(r, i))) {
            return true;
        }
    }
    return false;
}

/* ---- the container views' lines, text or JSON ---------------------------------
 * Each line of --records and --chunks is written once, field by field, through
 * these: the text view's column (its width; negative: left-aligned) and the
 * JSON view's key side by side, so the two views list the same fields and
 * cannot drift apart.  Text: the fields separated by one space, a newline at
 * the end; JSON: {"type":TYPE,"key":value,...} on one line. */
typedef struct line_out {
    bool json;
    bool text_started; /* a text field was written on this line */
} line_out;

static void line_begin(line_out *l, const char *type)
{
    l->text_started = false;
    if (l->json) {
        printf("{\"type\":\"%s\"", type);
    }
}

static void text_sep(line_out *l)
{
    if (l->text_started) {
        putchar(' ');
    }
    l->text_started = true;
}

static void field_u64(line_out *l, const char *key, int width, uint64_t v)
{
    if (l->json) {
        printf(",\"%s\":%" PRIu64, key, v);
    } else {
        text_sep(l);
        printf("%*" PRIu64, width, v);
    }
}

static void field_str(line_out *l, const char *key, int width, const char *s)
{
    if (l->json) {
        printf(",\"%s\":", key);
        vgt_cli_json_string(stdout, s);
    } else {
        text_sep(l);
        printf("%*s", width, s);
    }
}

/* A number the JSON view has and the text view shows inside another
 * column (a chunk's FRAMES "A-B"), or not at all (a type's number). */
static void json_u64(line_out *l, const char *key, uint64_t v)
{
    if (l->json) {
        printf(",\"%s\":%" PRIu64, key, v);
    }
}

/* A column the text view has and the JSON view gives as json_u64 fields. */
static void text_str(line_out *l, int width, const char *s)
{
    if (!l->json) {
        text_sep(l);
        printf("%*s", width, s);
    }
}

static void line_end(line_out *l)
{
    fputs(l->json ? "}\n" : "\n", stdout);
}

/* One line per chunk; with --frames A-B (the FRAMES column's numbers, from
 * the trace's first frame, as --records counts them) only the chunks holding
 * records of frames A..B: the ones a seek to them decompresses.  Each listed
 * chunk is read and checked (as vgt info checks the whole trace, and zstd -t
 * a file): STATUS says whether it is sound, and a damaged one's problem is
 * reported before its line.  The table is the index's, so every chunk is
 * listed, damaged or not.  The JSON view ends with a summary of the chunks
 * listed (the text view has none).  Returns the number found damaged;
 * *unchecked: the number it had no memory to check (neither damaged nor
 * sound: said as such). */
static uint64_t dump_chunks(vgt_trace_reader *r, const dump_options *o, size_t *seen,
                            uint64_t *unchecked)
{
    *unchecked = 0;
    line_out l = {.json = o->json};
    if (!o->json) {
        printf("%8s %14s %10s %12s %21s %12s %12s %7s %s\n", "CHUNK", "OFFSET", "RECORDS",
               "FIRST_REC", "FRAMES", "COMPRESSED", "UNCOMPRESSED", "RATIO", "STATUS");
    }
    uint64_t listed = 0, records = 0, compressed = 0, uncompressed = 0, damaged = 0;
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r); i++) {
        vgt_trace_chunk_info c;
        char frames[48];
        vgt_trace_reader_chunk(r, i, &c);
        if (o->frames && (c.last_frame < o->first_frame || c.first_frame > o->last_frame)) {
            continue;
        }
        vgt_error err = {0};
        size_t before = vgt_trace_reader_problem_count(r);
        vgt_status st = vgt_trace_reader_check_chunk(r, i, &err);
        bool read = false; /* only its uncompressed checksum wrong: every read delivers it */
        vgt_trace_problem p;
        for (size_t k = before; st == VGT_E_CHECKSUM && vgt_trace_reader_problem_brief(r, k, &p);
             k++) {
            read = read || (p.read && p.chunk == c.id);
        }
        report_problems(r, seen, o->json, true, true, o->warned); /* the listing goes past it */
        const char *status = "ok";
        if (st == VGT_E_NOMEM) {
            /* not the chunk's fault: said, and not called damaged */
            fprintf(stderr, "vgt dump: %s\n", err.message);
            status = "unchecked";
        } else if (read) {
            status = "checksum"; /* said, and not called damaged: no view skips it */
        } else if (st != VGT_OK) {
            status = "damaged";
        }
        damaged += st != VGT_OK && st != VGT_E_NOMEM && !read;
        *unchecked += st == VGT_E_NOMEM;
        listed++;
        records += c.record_count;
        compressed += c.compressed_size;
        uncompressed += c.uncompressed_size;
        snprintf(frames, sizeof(frames), "%" PRIu64 "-%" PRIu64, c.first_frame, c.last_frame);
        line_begin(&l, "chunk");
        field_u64(&l, "chunk", 8, c.id);
        field_u64(&l, "offset", 14, c.offset);
        field_u64(&l, "records", 10, c.record_count);
        field_u64(&l, "first_record", 12, c.first_record);
        text_str(&l, 21, frames);
        json_u64(&l, "first_frame", c.first_frame);
        json_u64(&l, "last_frame", c.last_frame);
        field_u64(&l, "compressed", 12, c.compressed_size);
        field_u64(&l, "uncompressed", 12, c.uncompressed_size);
        /* the ratio is the text's column alone: JSON has both sizes */
        if (!o->json) {
            printf(" %7.2f",
                   c.compressed_size ? (double)c.uncompressed_size / c.compressed_size : 0.0);
        }
        field_str(&l, "status", 0, status); /* last: no padding after it */
        line_end(&l);
    }
    if (o->json) {
        printf("{\"type\":\"summary\",\"chunks\":%" PRIu64 ",\"records\":%" PRIu64
               ",\"compressed\":%" PRIu64 ",\"uncompressed\":%" PRIu64 ",\"damaged\":%" PRIu64,
               listed, records, compressed, uncompressed, damaged);
        if (*unchecked) {
            printf(",\"unchecked\":%" PRIu64, *unchecked); /* out of memory: not known sound */
        }
        printf("}\n");
    }
    return damaged;
}

static void dump_record_line(const vgt_trace_record *rec, bool json)
{
    char buf[16];
    line_out l = {.json = json};
    line_begin(&l, "record");
    field_u64(&l, "seq", 10, rec->seq);
    field_u64(&l, "frame", 8, rec->frame);
    field_u64(&l, "time_ns", 20, rec->timestamp_ns);
    field_str(&l, "record_type", -16, type_label(rec->type, buf, sizeof(buf)));
    json_u64(&l, "type_id", rec->type);
    field_u64(&l, "size", 10, rec->size);
    if (json) {
        fputs(",\"same_payload_as\":", stdout);
        if (rec->deduplicated) {
            printf("%" PRIu64, rec->ref_seq);
        } else {
            fputs("null", stdout);
        }
    } else if (rec->deduplicated) {
        printf("  (same payload as #%" PRIu64 ")", rec->ref_seq);
    }
    line_end(&l);
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

/* What the SVGA view carries from record to record: the totals, the
 * command words' buffer, and for --only the ids of the latest commands (a
 * device error names its command by seq; the capture writes it right after
 * the batch holding that command, so a few thousand back is plenty). */
#define RECENT_CMDS 8192u
typedef struct svga_view {
    const dump_options *o;
    svga_totals *t;
    uint32_t *words;
    size_t cap;
    uint64_t recent_seq[RECENT_CMDS];
    uint32_t recent_id[RECENT_CMDS];
    bool recent_set[RECENT_CMDS];
    bool past_calls; /* a command after --calls' last was seen */
    /* the commands read (whatever --calls and --only select), for --calls'
     * range outside them: said as --frames past the end is */
    bool any_cmd, calls_hit;
    uint64_t first_seq, last_seq;
    bool listing; /* the text view's column heads are out */
} svga_view;

/* The text view's column heads, before its first line: a --calls range
 * outside the commands read prints its error alone, as --frames does. */
static void listing_begin(svga_view *v)
{
    if (!v->listing && !v->o->json) {
        printf("%10s %8s %s\n", "SEQ", "FRAME", "COMMAND");
    }
    v->listing = true;
}

static bool selecting(const dump_options *o)
{
    return o->calls || o->nonly;
}

/* Whether --calls and --only select command seq of id `id`. */
static bool selected(const dump_options *o, uint64_t seq, uint32_t id)
{
    if (o->calls && (seq < o->first_call || seq > o->last_call)) {
        return false;
    }
    if (!o->nonly) {
        return true;
    }
    for (size_t i = 0; i < o->nonly; i++) {
        if (o->only[i] == id) {
            return true;
        }
    }
    return false;
}

/* The JSON view's start of one line: {"type":TYPE,"frame":F */
static void json_begin(const char *type, uint64_t frame)
{
    printf("{\"type\":\"%s\",\"frame\":%" PRIu64, type, frame);
}

/* One recorded command as a decoded line (text or JSON). */
static void svga_command_line(svga_view *v, const vgt_trace_command *cp, uint64_t frame)
{
    char line[4096];
    const dump_options *o = v->o;
    vgt_trace_command c = *cp;
    v->first_seq = v->any_cmd ? v->first_seq : c.seq;
    v->last_seq = c.seq;
    v->any_cmd = true;
    v->calls_hit |= o->calls && c.seq >= o->first_call && c.seq <= o->last_call;
    if (o->calls && c.seq > o->last_call) {
        v->past_calls = true;
        return;
    }
    /* a command of no words (a hostile COMMAND record) has no id: none of
     * --only's, and counted as id 0's name says (UNKNOWN_0) */
    uint32_t id = c.nwords ? vgt_load_le32(c.words) : 0;
    if (!selected(o, c.seq, id)) {
        return;
    }
    listing_begin(v);
    if (c.nwords > v->cap) {
        uint32_t *w = realloc(v->words, (size_t)c.nwords * 4u);
        if (!w) {
            if (o->json) {
                json_begin("command", frame);
                printf(",\"seq\":%" PRIu64
                       ",\"cmd\":null,\"words\":%u,\"error\":\"out of memory\"}\n",
                       c.seq, c.nwords);
            } else {
                printf("%10" PRIu64 " %8" PRIu64 " (out of memory for %u words)\n", c.seq, frame,
                       c.nwords);
            }
            return;
        }
        v->words = w;
        v->cap = c.nwords;
    }
    uint32_t *words = v->words;
    for (uint32_t i = 0; i < c.nwords; i++) {
        words[i] = vgt_load_le32(c.words + 4u * i);
    }
    size_t slot = c.seq % RECENT_CMDS;
    v->recent_seq[slot] = c.seq;
    v->recent_id[slot] = id;
    v->recent_set[slot] = true;
    svga_count(v->t, id);
    /* the device's own command (a framebuffer trace refresh), not the guest's */
    bool refresh = c.fifo_offset == VGT_TRACE_REFRESH_OFFSET;
    vgt_cmd cmd;
    if (o->json) {
        json_begin("command", frame);
        printf(",\"seq\":%" PRIu64 ",\"cmd\":", c.seq);
        if (c.nwords == 0) {
            printf("null,\"id\":null,\"words\":0,\"undecodable\":\"no words\"");
        } else {
            vgt_error e = {0};
            vgt_cli_json_string(stdout, vgt_cmd_name(id));
            printf(",\"id\":%" PRIu32, id);
            if (refresh) {
                fputs(",\"refresh\":true", stdout);
            }
            if (vgt_cmd_decode(words, c.nwords, &cmd, &e) == VGT_OK) {
                fputs(",\"args\":", stdout);
                vgt_cmd_print_json(stdout, &cmd, o->verbose);
            } else {
                printf(",\"words\":%u,\"undecodable\":", c.nwords);
                vgt_cli_json_string(stdout, e.message);
            }
        }
        fputs("}\n", stdout);
        return;
    }
    const char *origin = refresh ? " [trace refresh]" : "";
    if (o->verbose && vgt_cli_command_decode(words, c.nwords, &cmd, line, sizeof(line))) {
        printf("%10" PRIu64 " %8" PRIu64 "%s ", c.seq, frame, origin);
        vgt_cmd_print(stdout, &cmd, true);
        return;
    }
    if (!o->verbose) {
        vgt_cli_command_text(words, c.nwords, line, sizeof(line));
    }
    printf("%10" PRIu64 " %8" PRIu64 " %s%s\n", c.seq, frame, line, origin);
}

/* Whether a record other than a command is listed under --calls/--only:
 * only a device error about a selected command. */
static bool record_selected(const svga_view *v, const vgt_trace_record *rec)
{
    if (!selecting(v->o)) {
        return true;
    }
    vgt_trace_error e;
    vgt_error err = {0};
    if (rec->type != VGT_REC_ERROR || vgt_trace_error_parse(rec, &e, &err) != VGT_OK ||
        e.seq == UINT64_MAX) {
        return false;
    }
    size_t slot = e.seq % RECENT_CMDS;
    return v->recent_set[slot] && v->recent_seq[slot] == e.seq;
}

/* One record of an SVGA trace as decoded lines (a batch: one line per command). */
static void svga_line(svga_view *v, const vgt_trace_record *rec, uint64_t frame)
{
    char line[4096];
    const dump_options *o = v->o;
    if (vgt_trace_is_commands(rec->type)) {
        vgt_trace_commands b;
        vgt_error e = {0};
        if (vgt_trace_commands_parse(rec, &b, &e) != VGT_OK) {
            listing_begin(v);
            if (o->json) {
                json_begin("malformed", frame);
                fputs(",\"record_type\":\"COMMAND_BATCH\"", stdout);
                printf(",\"bytes\":%u,\"message\":", rec->size);
                vgt_cli_json_string(stdout, e.message);
                fputs("}\n", stdout);
            } else {
                printf("%10s %8" PRIu64 " MALFORMED_COMMAND_RECORD size=%u: %s\n", "-", frame,
                       rec->size, e.message);
            }
            return;
        }
        vgt_trace_command c;
        while (vgt_trace_commands_next(&b, &c)) {
            svga_command_line(v, &c, frame);
        }
        return;
    }
    if (!o->verbose && (rec->type == VGT_REC_DMA_DATA || rec->type == VGT_REC_FENCE ||
                        rec->type == VGT_REC_TIMING || rec->type == VGT_REC_FRAME_END)) {
        return;
    }
    if (!record_selected(v, rec)) {
        return;
    }
    listing_begin(v);
    /* the record's text and JSON come from one printer (trace_records.c),
     * which lists each record type's fields once for both views */
    if (o->json) {
        vgt_trace_record_print_json(stdout, rec, frame);
        putchar('\n');
        return;
    }
    vgt_trace_record_format(rec, line, sizeof(line));
    printf("%10s %8" PRIu64 " %s\n", "-", frame, line);
}

static void svga_totals_table(const svga_totals *t, bool json)
{
    uint64_t total = 0;
    if (json) {
        fputs("{\"type\":\"summary\",\"counts\":{", stdout);
        for (size_t i = 0; i < t->n; i++) {
            if (i) {
                fputc(',', stdout);
            }
            vgt_cli_json_string(stdout, vgt_cmd_name(t->ids[i]));
            printf(":%" PRIu64, t->counts[i]);
            total += t->counts[i];
        }
        /* other: commands of ids past the first 4096 distinct ones (a
         * hostile trace), counted in the total without a name */
        printf("},\"other\":%" PRIu64 ",\"commands\":%" PRIu64 "}\n", t->other, total + t->other);
        return;
    }
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

/* A range of the options as a message names it: "command 5", "commands
 * 5.." (A-), "commands 5..9" (`one`, `many`: the noun). */
static void range_text(char *buf, size_t size, const char *one, const char *many, uint64_t first,
                       uint64_t last)
{
    if (first == last) {
        snprintf(buf, size, "%s %" PRIu64, one, first);
    } else if (last == UINT64_MAX) {
        snprintf(buf, size, "%s %" PRIu64 "..", many, first);
    } else {
        snprintf(buf, size, "%s %" PRIu64 "..%" PRIu64, many, first, last);
    }
}

/* VGT_E_NOTFOUND for a --calls range that holds none of the commands read
 * (the trace's, or --frames' frames'), named as vgt trim names it: a range
 * past the end exited 0 with an empty listing, where --frames past the end
 * is exit 2 with the error alone. */
static vgt_status calls_outside(const svga_view *v, vgt_error *err)
{
    const dump_options *o = v->o;
    char calls[64], where[96] = "the trace";
    range_text(calls, sizeof(calls), "command", "commands", o->first_call, o->last_call);
    if (o->frames) {
        range_text(where, sizeof(where), "guest frame", "guest frames", o->first_frame,
                   o->last_frame);
    }
    bool several = o->frames && o->first_frame != o->last_frame; /* "its" frame, "their" frames */
    const char *its = several ? "their" : "its";
    if (!v->any_cmd) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no %s in %s (%s no command)", o->path, calls,
                             where, several ? "they hold" : "it holds");
    }
    if (o->first_call > v->last_seq) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: no command %" PRIu64 " in %s (%s last command is %" PRIu64 ")",
                             o->path, o->first_call, where, its, v->last_seq);
    }
    if (o->last_call < v->first_seq) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: %s %s before %s, which %s at command %" PRIu64, o->path, calls,
                             o->first_call == o->last_call ? "is" : "are", where,
                             several ? "start" : "starts", v->first_seq);
    }
    /* between two commands read (a salvage skipped the chunks holding them) */
    return vgt_error_set(err, VGT_E_NOTFOUND,
                         "%s: no %s in %s (%s commands read are %" PRIu64 "..%" PRIu64
                         ", without them)",
                         o->path, calls, where, its, v->first_seq, v->last_seq);
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
    svga_view *v = calloc(1, sizeof(*v));
    svga_totals *t = calloc(1, sizeof(*t));
    if (!v || !t) {
        free(v);
        free(t);
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
    }
    v->o = o;
    v->t = t;
    if (!o->calls) {
        listing_begin(v);
    }
    vgt_trace_record rec;
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, err)) == VGT_OK) {
        report_problems(r, &seen, o->json, o->salvage, false, false);
        uint64_t frame = start + rec.frame;
        if (o->frames && frame > o->last_frame) {
            st = VGT_E_END;
            break;
        }
        /* past --calls' last command, the frame's end is where its device
         * errors have all been written (the capture writes a command's
         * error before anything that follows it): stop reading there */
        if (v->past_calls && rec.type == VGT_REC_FRAME_END) {
            st = VGT_E_END;
            break;
        }
        svga_line(v, &rec, frame);
    }
    report_problems(r, &seen, o->json, o->salvage, false, false);
    report_unrecorded_json(r, o->json);
    if (st == VGT_E_END && o->calls && !v->calls_hit) {
        st = calls_outside(v, err);
    } else {
        listing_begin(v);
        svga_totals_table(t, o->json);
    }
    free(v->words);
    free(v);
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
    if (!o->json) {
        printf("%10s %8s %20s %-16s %10s\n", "SEQ", "FRAME", "TIME_NS", "TYPE", "SIZE");
    }
    vgt_trace_record rec;
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, err)) == VGT_OK) {
        report_problems(r, &seen, o->json, o->salvage, false, false);
        if (o->frames && rec.frame > o->last_frame) {
            st = VGT_E_END;
            break;
        }
        dump_record_line(&rec, o->json);
        t->records[rec.type]++;
        t->bytes[rec.type] += rec.size;
    }
    report_problems(r, &seen, o->json, o->salvage, false, false);
    report_unrecorded_json(r, o->json);
    return st;
}

/* The per-type totals, one line (object) per type, then the total (the
 * JSON view's "summary"). */
static void dump_totals_table(const dump_totals *t, bool json)
{
    line_out l = {.json = json};
    if (!json) {
        printf("\n%-16s %12s %16s\n", "TYPE", "RECORDS", "PAYLOAD_BYTES");
    }
    uint64_t n = 0, bytes = 0;
    for (uint32_t type = 0; type < 0x10000; type++) {
        if (t->records[type]) {
            char buf[16];
            line_begin(&l, "type_total");
            field_str(&l, "record_type", -16, type_label((uint16_t)type, buf, sizeof(buf)));
            json_u64(&l, "type_id", type);
            field_u64(&l, "records", 12, t->records[type]);
            field_u64(&l, "payload_bytes", 16, t->bytes[type]);
            line_end(&l);
            n += t->records[type];
            bytes += t->bytes[type];
        }
    }
    line_begin(&l, "summary");
    text_str(&l, -16, "total");
    field_u64(&l, "records", 12, n);
    field_u64(&l, "payload_bytes", 16, bytes);
    line_end(&l);
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
        } else if (strcmp(argv[i], "--json") == 0) {
            o.json = true;
        } else if (strcmp(argv[i], "--calls") == 0) {
            /* trim's --calls: the SEQ numbers dump prints, the same parser */
            if (i + 1 >= argc) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "--calls needs a value: A-B, A- or A");
            }
            int rc =
                vgt_cli_range_option("dump", "--calls", argv[i + 1], &o.first_call, &o.last_call);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
            o.calls = true;
            i++;
        } else if (strcmp(argv[i], "--only") == 0) {
            if (i + 1 >= argc) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "dump",
                                    "--only needs a value: NAME[,NAME...] (CLEAR,SURFACE_DMA)");
            }
            int rc = vgt_cli_parse_command_names("dump", "--only", argv[i + 1], o.only,
                                                 sizeof(o.only) / sizeof(o.only[0]), &o.nonly);
            if (rc != VGT_EXIT_OK) {
                return rc;
            }
            i++;
        } else if (strcmp(argv[i], "--frames") == 0) {
            /* the range syntax of replay, trim and diff (A- included) */
            if (i + 1 >= argc) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "dump", "--frames needs a value: A-B, A- or A");
            }
            int rc = vgt_cli_range_option("dump", "--frames", argv[i + 1], &o.first_frame,
                                          &o.last_frame);
            if (rc != VGT_EXIT_OK) {
                return rc;
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
    if (selecting(&o) && (o.records || o.chunks)) {
        /* the container views list every record (or chunk) of the frames
         * selected: a command's SEQ and name are the decoded view's */
        return vgt_cli_fail(VGT_EXIT_USAGE, "dump",
                            "%s %s: --calls and --only select the decoded SVGA view's commands; "
                            "the container views list every record (--frames selects there)",
                            o.calls ? "--calls" : "--only",
                            o.records ? "with --records" : "with --chunks");
    }
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = o.salvage;
    vgt_trace_reader *r;
    vgt_error err = {0};
    if (vgt_trace_reader_open(o.path, &ro, &r, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s", err.message);
    }
    /* the missing footer as every verb says it, before the listing */
    o.warned = vgt_cli_warn_incomplete("dump", r, o.path, "listed");
    int rc = VGT_EXIT_OK;
    if (o.chunks) {
        size_t seen = 0;
        report_problems(r, &seen, o.json, o.salvage, true, o.warned);
        if (o.frames && check_frame(r, o.path, o.first_frame, 0, "", &err) != VGT_OK) {
            /* past the end: the error alone, as --records says it (it listed
             * every chunk, --frames unread, and exited 0) */
            rc = vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s", err.message);
        } else {
            uint64_t unchecked;
            uint64_t damaged = dump_chunks(r, &o, &seen, &unchecked);
            report_unrecorded_json(r, o.json);
            if (vgt_cli_reader_unlisted(r) > 0) {
                /* past the problems the reader kept whole, as the other
                 * views' list says them (vgt_cli_report_reader_problems) */
                char words[64];
                vgt_cli_unlisted_words(words, sizeof(words), vgt_cli_reader_unlisted(r));
                fprintf(stderr, "vgt dump: %s\n", words);
            }
            vgt_cli_report_lost_problems("dump", "", r);
            if (damaged) {
                fprintf(stderr,
                        "vgt dump: %s: %" PRIu64 " of the chunks listed damaged (the other "
                        "views' --salvage skips them; vgt repack --salvage writes the readable "
                        "records into a sound trace)\n",
                        o.path, damaged);
            }
            if (unchecked) {
                /* each one's error was said before its line; not called sound */
                fprintf(stderr,
                        "vgt dump: %s: %" PRIu64 " of the chunks listed not checked (out of "
                        "memory)\n",
                        o.path, unchecked);
            }
            rc = damaged || unchecked || problems_fail(r) ? VGT_EXIT_DATA : VGT_EXIT_OK;
        }
    } else if (!o.records && strcmp(vgt_trace_reader_header(r)->protocol_name,
                                    VGT_SVGA_TRACE_PROTOCOL_NAME) == 0) {
        vgt_status st = dump_svga(r, &o, &err);
        vgt_cli_report_reader_problems("dump", "", r, o.salvage, o.warned,
                                       st != VGT_E_END ? err.message : NULL);
        if (st != VGT_E_END) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s%s", err.message,
                              vgt_cli_salvage_hint(r, o.salvage, err.message));
        } else if (problems_fail(r)) {
            rc = VGT_EXIT_DATA;
        }
    } else if (selecting(&o)) {
        rc = vgt_cli_fail(VGT_EXIT_USAGE, "dump",
                          "%s: %s is the decoded SVGA view's; this trace's protocol is '%s', "
                          "not " VGT_SVGA_TRACE_PROTOCOL_NAME " (vgt dump %s lists its records)",
                          o.path, o.calls ? "--calls" : "--only",
                          vgt_trace_reader_header(r)->protocol_name, o.path);
    } else {
        dump_totals *t = calloc(1, sizeof(*t));
        if (!t) {
            vgt_trace_reader_close(r);
            return vgt_cli_fail(VGT_EXIT_DATA, "dump", "out of memory");
        }
        bool listed = false;
        vgt_status st = dump_records(r, &o, t, &listed, &err);
        if (listed) {
            dump_totals_table(t, o.json);
        }
        free(t);
        vgt_cli_report_reader_problems("dump", "", r, o.salvage, o.warned,
                                       st != VGT_E_END ? err.message : NULL);
        if (st != VGT_E_END) {
            rc = vgt_cli_fail(VGT_EXIT_DATA, "dump", "%s%s", err.message,
                              vgt_cli_salvage_hint(r, o.salvage, err.message));
        } else if (problems_fail(r)) {
            rc = VGT_EXIT_DATA;
        }
    }
    vgt_trace_reader_close(r);
    return rc;
}
