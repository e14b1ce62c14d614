/* rechunk_trace [--commands] IN OUT R...: copies every record of the trace
 * IN to OUT as it is (type, flags, timestamp, payload; FRAME_ENDs as frame
 * ends; IN's header: protocol, device configuration, start time and frame),
 * and ends a chunk before each record number R (ascending; R numbers OUT's
 * records), in chunks of up to 4 MiB otherwise.  A capture's chunk
 * boundaries fall where the device's batching puts them, which varies run
 * to run (docs/conventions.md); a test that needs a chunk to begin at a
 * given record (a frame's FRAME_END, a frame's first record) looks the
 * record up in the capture and makes its chunks here.  --commands writes
 * each COMMAND_BATCH as its commands' COMMAND records, one a command, as
 * traces from before batches hold them (docs/format.md: only a batch's
 * last command has records after it, so the order stays the format's):
 * a test that needs a chunk to begin at a given command looks it up in
 * the SVGA view, whose commands are then the records' in order (R may
 * then be left out: the records' numbers to look up).  Exit 0 done, 1
 * usage, 2 failure. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_format.h"
#include "vgt_trace_records.h"

static int fail(const vgt_error *err)
{
    fprintf(stderr, "rechunk_trace: %s\n", err->message);
    return 2;
}

/* Where OUT's chunks end: before each of the record numbers cuts[] (of
 * OUT), the next one cuts[next]; seq: OUT's next record's number. */
typedef struct cutter {
    vgt_trace_writer *w;
    const uint64_t *cuts;
    size_t ncuts, next;
    uint64_t seq;
} cutter;

/* Ends the chunk if OUT's next record is to begin one, and counts it. */
static vgt_status next_out(cutter *c, vgt_error *err)
{
    vgt_status st = VGT_OK;
    if (c->next < c->ncuts && c->cuts[c->next] == c->seq) {
        c->next++;
        st = vgt_trace_writer_flush(c->w, err);
    }
    c->seq++;
    return st;
}

/* Appends the commands of rec, a COMMAND_BATCH, to OUT as COMMAND records. */
static vgt_status write_commands(cutter *cut, const vgt_trace_record *rec, vgt_error *err)
{
    vgt_trace_commands b;
    vgt_status st = vgt_trace_commands_parse(rec, &b, err);
    vgt_trace_command c;
    while (st == VGT_OK && vgt_trace_commands_next(&b, &c)) {
        uint8_t prefix[16] = {0};
        vgt_store_le64(prefix, c.seq);
        vgt_store_le32(prefix + 8, c.fifo_offset);
        vgt_trace_iov iov[2] = {{prefix, sizeof(prefix)}, {c.words, (size_t)c.nwords * 4u}};
        if ((st = next_out(cut, err)) == VGT_OK) {
            st = vgt_trace_writer_appendv(cut->w, VGT_REC_COMMAND, 0, c.fetch_ns, iov, 2, err);
        }
    }
    return st;
}

int main(int argc, char **argv)
{
    bool commands = argc > 1 && strcmp(argv[1], "--commands") == 0;
    if (commands) {
        argc--;
        argv++;
    }
    if (argc < (commands ? 3 : 4)) {
        /* (--commands alone: the commands' records without a cut, to
         * look their numbers up) */
        fprintf(stderr, "usage: rechunk_trace IN OUT RECORD..., rechunk_trace --commands IN OUT "
                        "[RECORD...]\n");
        return 1;
    }
    size_t ncuts = (size_t)argc - 3u;
    uint64_t *cuts = calloc(ncuts + 1u, sizeof(*cuts));
    if (!cuts) {
        return 2;
    }
    for (size_t i = 0; i < ncuts; i++) {
        char *end = NULL;
        cuts[i] = strtoull(argv[3 + i], &end, 10);
        if (!end || *end || end == argv[3 + i] || (i > 0 && cuts[i] <= cuts[i - 1])) {
            fprintf(stderr, "rechunk_trace: '%s': expected ascending record numbers\n",
                    argv[3 + i]);
            free(cuts);
            return 1;
        }
    }
    vgt_error err = {0};
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    vgt_trace_reader *rd = NULL;
    if (vgt_trace_reader_open(argv[1], &ro, &rd, &err) != VGT_OK) {
        free(cuts);
        return fail(&err);
    }
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    vgt_trace_writer_settings ws;
    vgt_trace_writer_settings_init(&ws);
    ws.chunk_size = 4u << 20;
    ws.dedup_min_size = h->dedup_min_size;
    ws.start_frame = h->start_frame;
    ws.frame_limit = h->frame_limit;
    vgt_trace_header oh = {
        .protocol_id = h->protocol_id,
        .device_config = h->device_config,
        .device_config_size = h->device_config_size,
        .creator = "rechunk_trace",
        .start_time_ns = h->start_time_ns,
    };
    memcpy(oh.protocol_name, h->protocol_name, sizeof(oh.protocol_name));
    vgt_trace_writer *w = NULL;
    vgt_status st = vgt_trace_writer_open(argv[2], &ws, &oh, &w, &err);
    cutter cut = {.w = w, .cuts = cuts, .ncuts = ncuts};
    while (st == VGT_OK) {
        vgt_trace_record rec;
        if ((st = vgt_trace_reader_next(rd, &rec, &err)) != VGT_OK) {
            break;
        }
        if (commands && rec.type == VGT_REC_COMMAND_BATCH) {
            st = write_commands(&cut, &rec, &err);
        } else if ((st = next_out(&cut, &err)) != VGT_OK) {
            break;
        } else if (rec.type == VGT_REC_FRAME_END) {
            st = vgt_trace_writer_frame_end(w, rec.timestamp_ns, &err);
        } else {
            vgt_trace_iov iov = {rec.payload, rec.size};
            st = vgt_trace_writer_appendv(w, rec.type, rec.flags, rec.timestamp_ns, &iov, 1, &err);
        }
    }
    if (st == VGT_E_END && cut.next < ncuts) {
        st = vgt_error_set(&err, VGT_E_NOTFOUND, "%s: no record %" PRIu64, argv[2], cuts[cut.next]);
    }
    vgt_status cst = w ? vgt_trace_writer_close(w, st == VGT_E_END ? &err : NULL) : VGT_OK;
    vgt_trace_reader_close(rd);
    free(cuts);
    if (st == VGT_E_END) {
        st = cst;
    }
    return st == VGT_OK ? 0 : fail(&err);
}
