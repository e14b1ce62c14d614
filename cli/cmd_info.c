/* vgt info FILE [--json] [--quick]: what a trace holds and whether it is
 * intact.  One function per section, so that higher layers (protocol
 * decoding, per-command statistics) can add sections next to these. */
#include "vgt_cli.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(void)
{
    printf("usage: vgt info FILE [--json] [--quick]\n\n"
           "Prints a trace's format version, protocol, capture settings, record, frame and\n"
           "chunk counts, compressed and uncompressed bytes, ratio, dedup savings, records\n"
           "per type, whether the footer index is present, and every integrity problem.\n"
           "Every chunk is read and checked unless --quick (header and index only), past\n"
           "damaged chunks and gaps as other verbs' --salvage; a damaged trace also gets its\n"
           "readable part counted (records, frames, chunks, bytes, per type: what a salvage\n"
           "read delivers), and its SVGA figures are of that part only.\n"
           "An SVGA trace (protocol svga2) also gets its device configuration, guest frame\n"
           "range and per-command-type counts (count, rejected, words, guest memory bytes,\n"
           "mean execution time); not with --quick.\n\n"
           "  --json   one JSON object (keys format_version, protocol, records, frames,\n"
           "           chunks, bytes_compressed, bytes_uncompressed, complete, errors, ...;\n"
           "           a damaged trace's also partial and readable)\n"
           "  --quick  do not read the chunks (problems in chunk bodies go unnoticed)\n\n"
           "Exit status: 0 intact, 1 usage error, 2 unreadable file or integrity problems.\n");
}

static void type_label(uint16_t type, char *buf, size_t size)
{
    const char *name = vgt_trace_type_name(type);
    if (name) {
        snprintf(buf, size, "%s", name);
    } else {
        snprintf(buf, size, "type_0x%04x", type);
    }
}

static void format_time(uint64_t ns, char *buf, size_t size)
{
    time_t secs = (time_t)(ns / 1000000000u);
    struct tm tm;
    if (gmtime_r(&secs, &tm) && strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0) {
        return;
    }
    snprintf(buf, size, "?");
}

/* ---- the readable part ------------------------------------------------------ */

/* What a salvage read delivers of a damaged trace: the records past the
 * damage too, none of a skipped chunk.  The summary's counts are the
 * index's (the footer's, or the one rebuilt from the chunks), which count
 * a body-damaged chunk from its header and know nothing of a lost one; a
 * user checking a suspect trace needs both (vgt dump --salvage --records
 * lists these records). */
typedef struct readable_part {
    uint64_t records, frames, complete_frames;
    uint64_t chunks,
        chunks_skipped; /* chunks that delivered records; vgt_trace_reader_chunks_skipped */
    uint64_t bytes_compressed, bytes_uncompressed, payload_bytes;
    uint64_t *type_records, *type_payload; /* [0x10000] each: per logical type */
    bool stopped;                          /* the read stopped early (no memory) */
} readable_part;

static void readable_free(readable_part *p)
{
    free(p->type_records);
    free(p->type_payload);
}

/* Whether a problem names a chunk (damaged, torn, lost, or read with a
 * wrong uncompressed checksum): the readable part is worth showing beside
 * the index's counts.  Whether records were lost is its chunks_skipped
 * (a read chunk and a torn tail lose none).  A missing footer alone
 * names no chunk. */
static bool chunk_damaged(const vgt_trace_reader *r)
{
    /* every problem, those kept compact too (past the ones listed) */
    vgt_trace_problem p;
    for (size_t i = 0; vgt_trace_reader_problem_brief(r, i, &p); i++) {
        if (p.chunk != UINT64_MAX) {
            return true;
        }
    }
    return false;
}

/* Reads every record r delivers (r salvages), counting them into *p; the
 * reader is rewound after.  False without memory for the tables. */
static bool count_readable(vgt_trace_reader *r, readable_part *p)
{
    memset(p, 0, sizeof(*p));
    p->type_records = calloc(0x10000, sizeof(*p->type_records));
    p->type_payload = calloc(0x10000, sizeof(*p->type_payload));
    if (!p->type_records || !p->type_payload) {
        readable_free(p);
        return false;
    }
    uint64_t nchunks = vgt_trace_reader_chunk_count(r);
    uint64_t ci = 0, last_counted = UINT64_MAX, last_frame = UINT64_MAX;
    vgt_trace_chunk_info c = {0};
    bool have_chunk = nchunks > 0 && vgt_trace_reader_chunk(r, 0, &c);
    vgt_trace_record rec;
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, NULL)) == VGT_OK) {
        p->records++;
        p->payload_bytes += rec.size;
        p->type_records[rec.type]++;
        p->type_payload[rec.type] += rec.size;
        if (rec.type == VGT_REC_FRAME_END) {
            p->complete_frames++;
        }
        if (rec.frame != last_frame) {
            p->frames++;
            last_frame = rec.frame;
        }
        /* the chunk holding it: records come in ascending order, and the
         * chunk table is in that order too */
        while (have_chunk && rec.seq - c.first_record >= c.record_count &&
               rec.seq >= c.first_record && ++ci < nchunks) {
            have_chunk = vgt_trace_reader_chunk(r, ci, &c);
        }
        if (have_chunk && rec.seq >= c.first_record && rec.seq - c.first_record < c.record_count &&
            ci != last_counted) {
            last_counted = ci;
            p->chunks++;
            p->bytes_compressed += c.compressed_size;
            p->bytes_uncompressed += c.uncompressed_size;
        }
    }
    p->stopped = st != VGT_E_END;
    /* as every verb counts them: each lost chunk id once, a torn tail none */
    p->chunks_skipped = vgt_trace_reader_chunks_skipped(r);
    return true;
}

/* ---- text sections ---------------------------------------------------------- */

static void text_header(const char *path, const vgt_trace_header *h)
{
    char when[64];
    format_time(h->start_time_ns, when, sizeof(when));
    printf("file:            %s\n", path);
    printf("format version:  %u.%u\n", h->version_major, h->version_minor);
    printf("protocol:        %s (id 0x%08x)\n", h->protocol_name, h->protocol_id);
    printf("creator:         %s\n", h->creator);
    printf("start time:      %s (%" PRIu64 " ns)\n", when, h->start_time_ns);
    printf("device config:   %zu bytes\n", h->device_config_size);
    printf("capture:         zstd level %d, chunks of %u bytes, dedup ", h->compression_level,
           h->chunk_size);
    if (h->dedup_min_size) {
        printf(">= %u bytes", h->dedup_min_size);
    } else {
        printf("off");
    }
    printf(", start frame %" PRIu64 ", frame limit ", h->start_frame);
    if (h->frame_limit) {
        printf("%" PRIu64 "\n", h->frame_limit);
    } else {
        printf("none\n");
    }
}

static void text_summary(const vgt_trace_info *i)
{
    printf("records:         %" PRIu64 "\n", i->records);
    printf("frames:          %" PRIu64 " (%" PRIu64 " complete)\n", i->frames, i->complete_frames);
    printf("chunks:          %" PRIu64 "\n", i->chunks);
    printf("compressed:      %" PRIu64 " bytes (file %" PRIu64 " bytes)\n", i->bytes_compressed,
           i->file_size);
    printf("uncompressed:    %" PRIu64 " bytes (ratio %.2f)\n", i->bytes_uncompressed, i->ratio);
    printf("payload:         %" PRIu64 " byte%s\n", i->payload_bytes, vgt_plural(i->payload_bytes));
    printf("dedup:           %" PRIu64 " reference%s to %" PRIu64 " payload%s, %" PRIu64
           " byte%s saved\n",
           i->dedup_refs, vgt_plural(i->dedup_refs), i->dedup_unique, vgt_plural(i->dedup_unique),
           i->dedup_bytes_saved, vgt_plural(i->dedup_bytes_saved));
    printf("footer:          %s\n",
           i->footer_present ? "present" : "missing (index rebuilt from the chunks)");
}

static void text_types(const vgt_trace_reader *r)
{
    size_t n = vgt_trace_reader_type_stat_count(r);
    if (n == 0) {
        printf("records by type: none\n"); /* a header with no row read as a cut listing */
        return;
    }
    printf("records by type:\n");
    printf("  %-6s  %-20s %12s %16s %16s\n", "type", "name", "records", "payload bytes",
           "stored bytes");
    for (size_t i = 0; i < n; i++) {
        vgt_trace_type_stat t;
        char name[32];
        vgt_trace_reader_type_stat(r, i, &t);
        type_label(t.type, name, sizeof(name));
        printf("  0x%04x  %-20s %12" PRIu64 " %16" PRIu64 " %16" PRIu64 "\n", t.type, name,
               t.records, t.payload_bytes, t.stored_bytes);
    }
}

/* A problem as the verbs that read a trace say it (vgt_cli_print_problem):
 * "skipped chunk N at offset O: ..." when the reading went past the chunk,
 * "stopped at chunk ..." when it ended there (--quick's walk); a problem of
 * no one chunk (the footer) as the reader words it. */
static void problem_text(const vgt_trace_problem *p, bool salvage, char *buf, size_t size)
{
    if (p->chunk == UINT64_MAX) {
        snprintf(buf, size, "%s", p->message);
        return;
    }
    vgt_cli_problem_words(buf, size, salvage, p);
}

/* The integrity line and every problem recorded; lost: problems found with
 * no memory to record them (counted, not listed), unfinished: verify ran
 * out of memory before the last chunk (vgt_cli_integrity_words: never "ok"
 * then, whatever was recorded). */
static void text_problems(const vgt_trace_reader *r, bool salvage, size_t lost, bool unfinished)
{
    size_t n = vgt_trace_reader_problem_count(r);
    char words[256];
    vgt_cli_integrity_words(words, sizeof(words), n, lost, unfinished);
    printf("integrity:       %s\n", words);
    if (n == 0) {
        return;
    }
    /* in the order of the file, so that a damaged chunk header comes
     * before the gap it left, which the reader records later */
    const vgt_trace_problem **o = vgt_cli_reader_problems(r, &n);
    for (size_t i = 0; i < n; i++) {
        char line[512];
        problem_text(o ? o[i] : vgt_trace_reader_problem(r, i), salvage, line, sizeof(line));
        printf("  - %s\n", line);
    }
    free(o);
    /* past the problems the reader kept whole: counted, no message */
    size_t unlisted = vgt_cli_reader_unlisted(r);
    if (unlisted > 0) {
        vgt_cli_unlisted_words(words, sizeof(words), unlisted);
        printf("  ... and %s\n", words);
    }
}

static void text_readable(const readable_part *p)
{
    printf("readable part:   what a salvage read delivers; the counts above are the index's,\n"
           "                 these and the SVGA section's of the readable part only\n");
    printf("  records:       %" PRIu64 "%s\n", p->records,
           p->stopped ? " (the read stopped early: out of memory)" : "");
    printf("  frames:        %" PRIu64 " (%" PRIu64 " complete)\n", p->frames, p->complete_frames);
    printf("  chunks:        %" PRIu64 " read, %" PRIu64 " skipped\n", p->chunks,
           p->chunks_skipped);
    printf("  compressed:    %" PRIu64 " byte%s\n", p->bytes_compressed,
           vgt_plural(p->bytes_compressed));
    printf("  uncompressed:  %" PRIu64 " byte%s\n", p->bytes_uncompressed,
           vgt_plural(p->bytes_uncompressed));
    printf("  payload:       %" PRIu64 " byte%s\n", p->payload_bytes, vgt_plural(p->payload_bytes));
    if (p->records == 0) {
        printf("  records by type: none\n"); /* JSON: "types": [] */
        return;
    }
    printf("  records by type:\n");
    printf("    %-6s  %-20s %12s %16s\n", "type", "name", "records", "payload bytes");
    for (uint32_t t = 0; t < 0x10000; t++) {
        if (p->type_records[t]) {
            char name[32];
            type_label((uint16_t)t, name, sizeof(name));
            printf("    0x%04x  %-20s %12" PRIu64 " %16" PRIu64 "\n", t, name, p->type_records[t],
                   p->type_payload[t]);
        }
    }
}

/* ---- SVGA section (protocol svga2: decoded records) ------------------------- */

/* Walks the trace with its own (salvaging) reader; false when it is not an
 * SVGA trace or cannot be read. */
static bool svga_summary(const char *path, const vgt_trace_header *h, vgt_trace_svga_summary *s)
{
    if (strcmp(h->protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME) != 0) {
        return false;
    }
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = true;
    vgt_trace_reader *r;
    if (vgt_trace_reader_open(path, &ro, &r, NULL) != VGT_OK) {
        return false;
    }
    bool ok = vgt_trace_svga_summarize(r, s, NULL) == VGT_OK;
    vgt_trace_reader_close(r);
    return ok;
}

/* The video overlay's filter, as replay draws it (a trace from before the
 * flag was drawn nearest live). */
static const char *video_filter(const vgt_trace_device_config *cfg)
{
    if (cfg->hide_fifo_caps & VGT_SVGA_FIFO_CAP_VIDEO) {
        return "hidden";
    }
    return (cfg->flags & VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR) ? "bilinear" : "nearest";
}

/* lost: the readable part skipped chunks, so these counts miss their
 * records (a read chunk's wrong checksum or a torn tail skips none: the
 * counts are the whole readable trace's, and no remark says otherwise). */
static void text_svga(const vgt_trace_svga_summary *s, bool lost)
{
    printf("svga device:     ");
    if (s->cfg_ok) {
        printf("VRAM %u KiB, FIFO %u KiB, max %ux%u, 3D %s", s->cfg.vram_size / 1024u,
               s->cfg.fifo_size / 1024u, s->cfg.max_width, s->cfg.max_height,
               (s->cfg.flags & VGT_TRACE_DEVCFG_F_3D) ? "on" : "off");
        if (s->cfg.flags & VGT_TRACE_DEVCFG_F_3D) {
            printf(" (hw version 0x%x, %u caps words)", s->cfg.hw_version_3d, s->cfg.caps_3d_count);
        }
        printf(", video overlay %s\n", video_filter(&s->cfg));
    } else {
        printf("(no valid device configuration in the header)\n");
    }
    if (s->has_frames) {
        printf("guest frames:    %" PRIu64 "..%" PRIu64 " (%" PRIu64 " frame end%s, %" PRIu64
               " without a display)\n",
               s->first_frame, s->last_frame, s->frame_hashes, vgt_plural(s->frame_hashes),
               s->frames_no_display);
    } else {
        printf("guest frames:    none ended\n");
    }
    printf("commands:        %" PRIu64 " (%" PRIu64 " rejected by the device), %" PRIu64 " word%s",
           s->commands, s->failed, s->words, vgt_plural(s->words));
    if (s->trace_refreshes) {
        printf("; %" PRIu64 " of them the device's framebuffer trace refresh UPDATEs",
               s->trace_refreshes);
    }
    printf("\n");
    printf("guest memory:    %" PRIu64 " byte%s read in %" PRIu64 " extent%s\n", s->dma_bytes,
           vgt_plural(s->dma_bytes), s->dma_records, vgt_plural(s->dma_records));
    printf("events:          %" PRIu64 " register write%s, %" PRIu64 " cursor sample%s, %" PRIu64
           " fence%s, %" PRIu64 " device error%s, %" PRIu64 " snapshot%s\n",
           s->reg_writes, vgt_plural(s->reg_writes), s->cursor_samples,
           vgt_plural(s->cursor_samples), s->fences, vgt_plural(s->fences), s->errors,
           vgt_plural(s->errors), s->snapshots, vgt_plural(s->snapshots));
    if (s->stopped) {
        printf("                 (counts stop at an unreadable chunk)\n");
    }
    if (lost) {
        printf("                 (of the readable part only: damaged chunks skipped)\n");
    }
    if (s->ncmds == 0) {
        printf("commands by type: none\n");
        return;
    }
    printf("commands by type:\n");
    printf("  %-28s %10s %9s %12s %14s %12s\n", "command", "count", "rejected", "words",
           "memory bytes", "mean exec us");
    for (size_t i = 0; i < s->ncmds; i++) {
        const vgt_trace_cmd_stat *c = &s->cmds[i];
        printf("  %-28s %10" PRIu64 " %9" PRIu64 " %12" PRIu64 " %14" PRIu64 " %12.2f\n",
               vgt_cmd_name(c->id), c->count, c->failed, c->words, c->dma_bytes,
               vgt_trace_cmd_stat_mean_exec_us(c));
    }
}

static void json_svga(const vgt_trace_svga_summary *s)
{
    printf("  \"svga\": {\n");
    if (s->cfg_ok) {
        printf("    \"vram_size\": %u, \"fifo_size\": %u, \"enable_3d\": %s, "
               "\"hw_version_3d\": %u, \"caps_3d_words\": %u, \"video_overlay\": \"%s\",\n",
               s->cfg.vram_size, s->cfg.fifo_size,
               (s->cfg.flags & VGT_TRACE_DEVCFG_F_3D) ? "true" : "false", s->cfg.hw_version_3d,
               s->cfg.caps_3d_count, video_filter(&s->cfg));
    }
    if (s->has_frames) {
        printf("    \"first_frame\": %" PRIu64 ", \"last_frame\": %" PRIu64 ",\n", s->first_frame,
               s->last_frame);
    }
    printf("    \"frame_hashes\": %" PRIu64 ", \"commands\": %" PRIu64 ", \"rejected\": %" PRIu64
           ", \"dma_bytes\": %" PRIu64 ", \"register_writes\": %" PRIu64 ", \"fences\": %" PRIu64
           ", \"device_errors\": %" PRIu64 ", \"snapshots\": %" PRIu64
           ", \"trace_refreshes\": %" PRIu64 ",\n",
           s->frame_hashes, s->commands, s->failed, s->dma_bytes, s->reg_writes, s->fences,
           s->errors, s->snapshots, s->trace_refreshes);
    printf("    \"command_types\": [");
    for (size_t i = 0; i < s->ncmds; i++) {
        const vgt_trace_cmd_stat *c = &s->cmds[i];
        printf("%s\n      {\"id\": %u, \"name\": ", i ? "," : "", c->id);
        vgt_cli_json_string(stdout, vgt_cmd_name(c->id));
        printf(", \"count\": %" PRIu64 ", \"rejected\": %" PRIu64 ", \"words\": %" PRIu64
               ", \"dma_bytes\": %" PRIu64 ", \"exec_ns\": %" PRIu64 "}",
               c->count, c->failed, c->words, c->dma_bytes, c->exec_ns);
    }
    printf("%s]\n  },\n", s->ncmds ? "\n    " : "");
}

/* ---- JSON sections ------------------------------------------------------------ */

static void json_header(const char *path, const vgt_trace_header *h)
{
    printf("  \"file\": ");
    vgt_cli_json_string(stdout, path);
    printf(",\n  \"format_version\": \"%u.%u\",\n", h->version_major, h->version_minor);
    printf("  \"protocol\": ");
    vgt_cli_json_string(stdout, h->protocol_name);
    printf(",\n  \"protocol_id\": %u,\n  \"creator\": ", h->protocol_id);
    vgt_cli_json_string(stdout, h->creator);
    printf(",\n  \"start_time_ns\": %" PRIu64 ",\n", h->start_time_ns);
    printf("  \"device_config_bytes\": %zu,\n", h->device_config_size);
    printf("  \"compression_level\": %d,\n  \"chunk_size\": %u,\n  \"dedup_min_size\": %u,\n",
           h->compression_level, h->chunk_size, h->dedup_min_size);
    printf("  \"start_frame\": %" PRIu64 ",\n  \"frame_limit\": %" PRIu64 ",\n", h->start_frame,
           h->frame_limit);
}

static void json_summary(const vgt_trace_info *i, bool unfinished)
{
    printf("  \"records\": %" PRIu64 ",\n  \"frames\": %" PRIu64 ",\n", i->records, i->frames);
    printf("  \"complete_frames\": %" PRIu64 ",\n  \"chunks\": %" PRIu64 ",\n", i->complete_frames,
           i->chunks);
    printf("  \"file_bytes\": %" PRIu64 ",\n", i->file_size);
    printf("  \"bytes_compressed\": %" PRIu64 ",\n  \"bytes_uncompressed\": %" PRIu64 ",\n",
           i->bytes_compressed, i->bytes_uncompressed);
    printf("  \"ratio\": %.4f,\n  \"payload_bytes\": %" PRIu64 ",\n", i->ratio, i->payload_bytes);
    printf("  \"dedup_references\": %" PRIu64 ",\n  \"dedup_unique\": %" PRIu64
           ",\n  \"dedup_bytes_saved\": %" PRIu64 ",\n",
           i->dedup_refs, i->dedup_unique, i->dedup_bytes_saved);
    printf("  \"footer_present\": %s,\n", i->footer_present ? "true" : "false");
    printf("  \"complete\": %s,\n",
           i->footer_present && i->problems == 0 && !unfinished ? "true" : "false");
}

/* What the errors list lacks, only for a trace that has it, so that an
 * intact trace's object is as it always was: "integrity" in vgt info's
 * words, the problems found with no memory to record them (i->problems
 * counts them, errors does not list them) and whether verify reached the
 * last chunk. */
static void json_unrecorded(const vgt_trace_reader *r, size_t lost, bool unfinished)
{
    if (lost == 0 && !unfinished) {
        return;
    }
    char words[256];
    vgt_cli_integrity_words(words, sizeof(words), vgt_trace_reader_problem_count(r), lost,
                            unfinished);
    printf("  \"integrity\": ");
    vgt_cli_json_string(stdout, words);
    printf(",\n  \"problems_not_recorded\": %zu,\n  \"checked_to_end\": %s,\n", lost,
           unfinished ? "false" : "true");
}

static void json_types(const vgt_trace_reader *r)
{
    size_t n = vgt_trace_reader_type_stat_count(r);
    printf("  \"types\": [");
    for (size_t i = 0; i < n; i++) {
        vgt_trace_type_stat t;
        char name[32];
        vgt_trace_reader_type_stat(r, i, &t);
        type_label(t.type, name, sizeof(name));
        printf("%s\n    {\"type\": %u, \"name\": ", i ? "," : "", t.type);
        vgt_cli_json_string(stdout, name);
        printf(", \"records\": %" PRIu64 ", \"payload_bytes\": %" PRIu64
               ", \"stored_bytes\": %" PRIu64 "}",
               t.records, t.payload_bytes, t.stored_bytes);
    }
    printf("%s],\n", n ? "\n  " : "");
}

/* The readable part (see text_readable), and "partial": whether "svga"
 * counts less than the whole trace, true exactly when chunks were skipped,
 * as the text's remark says it (a read chunk's wrong uncompressed checksum
 * and a torn tail, which the index leaves out too, lose no record of it);
 * only for a trace with problems, so that an intact trace's object is as
 * it always was. */
static void json_readable(const readable_part *p)
{
    printf("  \"partial\": %s,\n", p->chunks_skipped > 0 ? "true" : "false");
    printf("  \"readable\": {\"records\": %" PRIu64 ", \"frames\": %" PRIu64
           ", \"complete_frames\": %" PRIu64 ", \"chunks\": %" PRIu64
           ", \"chunks_skipped\": %" PRIu64 ", \"bytes_compressed\": %" PRIu64
           ", \"bytes_uncompressed\": %" PRIu64 ", \"payload_bytes\": %" PRIu64
           ", \"stopped\": %s,\n    \"types\": [",
           p->records, p->frames, p->complete_frames, p->chunks, p->chunks_skipped,
           p->bytes_compressed, p->bytes_uncompressed, p->payload_bytes,
           p->stopped ? "true" : "false");
    bool first = true;
    for (uint32_t t = 0; t < 0x10000; t++) {
        if (p->type_records[t]) {
            char name[32];
            type_label((uint16_t)t, name, sizeof(name));
            printf("%s\n      {\"type\": %u, \"name\": ", first ? "" : ",", t);
            vgt_cli_json_string(stdout, name);
            printf(", \"records\": %" PRIu64 ", \"payload_bytes\": %" PRIu64 "}",
                   p->type_records[t], p->type_payload[t]);
            first = false;
        }
    }
    printf("%s]},\n", first ? "" : "\n    ");
}

static void json_problems(const vgt_trace_reader *r)
{
    size_t n = vgt_trace_reader_problems_listed(r);
    size_t unlisted = vgt_cli_reader_unlisted(r);
    if (unlisted > 0) {
        /* errors lists the problems the reader kept whole; the ones past
         * them are counted here (only then: an intact trace's object is
         * as it always was) */
        printf("  \"problems_not_listed\": %zu,\n", unlisted);
    }
    printf("  \"errors\": [");
    const vgt_trace_problem **o = vgt_cli_reader_problems(r, &n);
    for (size_t i = 0; i < n; i++) {
        const vgt_trace_problem *p = o ? o[i] : vgt_trace_reader_problem(r, i);
        printf("%s\n    {\"code\": \"%s\", ", i ? "," : "", vgt_status_name(p->code));
        if (p->chunk != UINT64_MAX) {
            printf("\"chunk\": %" PRIu64 ", ", p->chunk);
        }
        printf("\"offset\": %" PRIu64 ", ", p->offset);
        if (p->read) {
            printf("\"read\": true, "); /* its records read all the same: none lost */
        }
        printf("\"message\": ");
        vgt_cli_json_string(stdout, p->message);
        printf("}");
    }
    free(o);
    printf("%s]\n", n ? "\n  " : "");
}

/* An unreadable file: still one JSON object, with the reason in errors. */
static void json_open_failure(const char *path, const vgt_error *err)
{
    printf("{\n  \"file\": ");
    vgt_cli_json_string(stdout, path);
    printf(",\n  \"complete\": false,\n  \"errors\": [\n    {\"code\": \"%s\", \"message\": ",
           vgt_status_name(err->code));
    vgt_cli_json_string(stdout, err->message);
    printf("}\n  ]\n}\n");
}

int vgt_cmd_info(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        usage();
        return VGT_EXIT_OK;
    }
    const char *path = NULL;
    bool json = false, quick = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--quick") == 0) {
            quick = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return vgt_cli_bad_option("info", argc, argv, i, NULL, 0);
        } else if (!path) {
            path = argv[i];
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "info", "one FILE only (see vgt info --help)");
        }
    }
    if (!path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "info", "missing FILE (see vgt info --help)");
    }
    /* Salvage (not with --quick, which reads no chunk): the walk that
     * rebuilds a footerless trace's index goes past a damaged chunk header
     * or a gap instead of ending there, so every problem is found and the
     * chunks after it are counted. */
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = !quick;
    vgt_trace_reader *r;
    vgt_error err = {0};
    if (vgt_trace_reader_open(path, &ro, &r, &err) != VGT_OK) {
        if (json) {
            json_open_failure(path, &err);
        }
        return vgt_cli_fail(VGT_EXIT_DATA, "info", "%s", err.message);
    }
    /* verify's VGT_E_NOMEM is either problems it found with no memory to
     * record them (counted: lost) or a walk that ran out of memory before
     * the last chunk, which says nothing of the chunks after it: neither
     * trace is intact ("integrity: ok" and exit 0 were said of both) */
    vgt_error verr = {0};
    if (!quick) {
        vgt_trace_reader_verify(r, &verr);
    }
    size_t lost = vgt_trace_reader_problems_lost(r);
    bool unfinished = vgt_trace_reader_verify_stopped(r);
    if (unfinished) {
        fprintf(stderr, "vgt info: %s\n", verr.message);
    }
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    const vgt_trace_header *h = vgt_trace_reader_header(r);
    vgt_trace_svga_summary svga;
    bool have_svga = !quick && svga_summary(path, h, &svga);
    /* a damaged trace's readable part (after verify: every problem is
     * known, so its count of skipped chunks is whole) */
    readable_part readable;
    bool have_readable = !quick && chunk_damaged(r) && count_readable(r, &readable);
    if (json) {
        printf("{\n");
        json_header(path, h);
        json_summary(&info, unfinished);
        json_types(r);
        if (have_readable) {
            json_readable(&readable);
        }
        if (have_svga) {
            json_svga(&svga);
        }
        json_unrecorded(r, lost, unfinished);
        json_problems(r);
        printf("}\n");
    } else {
        text_header(path, h);
        text_summary(&info);
        text_types(r);
        if (have_readable) {
            text_readable(&readable);
        }
        if (have_svga) {
            text_svga(&svga, have_readable && readable.chunks_skipped > 0);
        }
        text_problems(r, !quick, lost, unfinished);
    }
    if (have_svga) {
        vgt_trace_svga_summary_free(&svga);
    }
    if (have_readable) {
        readable_free(&readable);
    }
    size_t problems = vgt_trace_reader_problem_count(r) + lost;
    vgt_trace_reader_close(r);
    return problems || unfinished ? VGT_EXIT_DATA : VGT_EXIT_OK;
}
