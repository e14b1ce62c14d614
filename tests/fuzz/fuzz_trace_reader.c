/* fuzz_trace_reader.c - the trace container reader on whole files.
 *
 * Input: one mode byte, then either
 *   - (mode bit 2 clear) the file.  Mode bit 0: repair the checksums first
 *     (fuzz_trace_fix.h), so mutations reach the structure; or
 *   - (mode bit 2 set, the structure-aware mode) a trace described as records
 *     that the real writer writes, and structural edits applied to the file
 *     it wrote (fuzz_trace_edit.h): mutations of a raw file mostly stop in
 *     zstd, these keep every zstd frame valid and break the container.
 *     u8 setup (bits 0-1: chunk size 256/512/1024/4096; bit 2: dedup from 16
 *     bytes; bit 3: closed, else flushed only (no footer); bit 4: zstd level
 *     3, else 1), u8 record count, records {u8 kind, u8 flags, u8 len,
 *     payload}: kind % 6: 0 FRAME_END, 1 MARKER, 2 a user type (0x1000 +
 *     kind / 8), 3 a chunk boundary (flush; no payload), 4 the payload of an
 *     earlier record again (a dedup reference; len picks it), 5 a payload of
 *     16 * len bytes (past a small chunk size: a chunk of its own); then
 *     u8 edit count (up to 16), edits {u8 op, u8 a, u8 b, u8 how, u32 v}
 *     (op & 15: record header field, dedup reference field, chunk header
 *     field, records cut or repeated, recompressed differently, footer index
 *     field, trailer offset/size, truncation at a chunk boundary, inside a
 *     chunk or inside the footer, a chunk duplicated, moved or dropped,
 *     garbage between chunks; op bit 7: repair the checksums the edit
 *     breaks).  Bit 0 here: repair every checksum at the end too.  Oracle:
 *     when no edit touched chunk 0 (its bytes, its place, the index), salvage
 *     mode opens the file and returns every record of chunk 0.
 * Oracle in both modes: a problem about a chunk names the chunk and its
 * offset in its message, and the index counts no more complete frames than
 * frames.
 * VGT_FUZZ_TRACE_MODE=raw or =structured forces bit 2 clear or set (a run in
 * one mode).  Mode bit 1: open in salvage mode too.  The file is opened (footer index or
 * index rebuild), every table entry is read back, every record is iterated
 * (payload bytes touched), frames and records are seeked to at the edges,
 * and the whole file is verified. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_trace_edit.h"
#include "fuzz_trace_fix.h"
#include "vgt_format.h"

static volatile uint64_t sink;

/* Reads up to max records; returns how many had a number below `below`. */
static uint64_t iterate(vgt_trace_reader *r, uint64_t max, uint64_t below)
{
    vgt_trace_record rec;
    vgt_error err = {0};
    uint64_t n = 0;
    for (uint64_t i = 0; i < max; i++) {
        vgt_status st = vgt_trace_reader_next(r, &rec, &err);
        if (st != VGT_OK) {
            break;
        }
        n += rec.seq < below;
        if (rec.size) {
            sink += rec.payload[0] + rec.payload[rec.size - 1u] + rec.type + rec.frame;
        }
    }
    return n;
}

/* Returns how many records below `below` the first pass read. */
static uint64_t exercise(vgt_trace_reader *r, uint64_t below)
{
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    const vgt_trace_header *h = vgt_trace_reader_header(r);
    sink +=
        h->device_config_size + strlen(h->protocol_name) + (h->creator ? strlen(h->creator) : 0);
    if (h->device_config_size) {
        sink += ((const uint8_t *)h->device_config)[h->device_config_size - 1];
    }
    uint64_t chunks = vgt_trace_reader_chunk_count(r);
    for (uint64_t i = 0; i <= chunks && i < 4096; i++) {
        vgt_trace_chunk_info c;
        sink += vgt_trace_reader_chunk(r, i, &c);
    }
    uint64_t frames = vgt_trace_reader_frame_count(r);
    if (info.complete_frames > frames) {
        /* oracle: an index, the footer's or one rebuilt (the frames a
         * salvage gap took counted from the chunk after it), counts no
         * more complete frames than frames (docs/format.md, "Recovery
         * rules") */
        fprintf(stderr, "%llu complete frames of %llu\n", (unsigned long long)info.complete_frames,
                (unsigned long long)frames);
        abort();
    }
    for (uint64_t i = 0; i <= frames && i < 4096; i++) {
        vgt_trace_frame_info fi;
        sink += vgt_trace_reader_frame(r, i, &fi);
    }
    for (size_t i = 0; i <= vgt_trace_reader_type_stat_count(r) && i < 4096; i++) {
        vgt_trace_type_stat ts;
        sink += vgt_trace_reader_type_stat(r, i, &ts);
    }
    for (size_t i = 0; i <= vgt_trace_reader_dedup_count(r) && i < 4096; i++) {
        vgt_trace_dedup_info di;
        sink += vgt_trace_reader_dedup(r, i, &di);
    }
    uint64_t got = iterate(r, 100000, below);
    vgt_error err = {0};
    const uint64_t fr[] = {0, frames / 2, frames ? frames - 1 : 0, frames, UINT64_MAX};
    for (size_t i = 0; i < sizeof(fr) / sizeof(fr[0]); i++) {
        if (vgt_trace_reader_seek_frame(r, fr[i], &err) == VGT_OK) {
            iterate(r, 8, 0);
        }
    }
    const uint64_t rc[] = {0, info.records / 2, info.records ? info.records - 1 : 0, info.records,
                           UINT64_MAX};
    for (size_t i = 0; i < sizeof(rc) / sizeof(rc[0]); i++) {
        if (vgt_trace_reader_seek_record(r, rc[i], &err) == VGT_OK) {
            iterate(r, 8, 0);
        }
    }
    /* each chunk on its own (vgt dump --chunks), then the whole trace */
    for (uint64_t i = 0; i < vgt_trace_reader_chunk_count(r) && i < 64; i++) {
        vgt_trace_reader_check_chunk(r, i, &err);
    }
    vgt_trace_reader_verify(r, &err);
    for (size_t i = 0; i < vgt_trace_reader_problems_listed(r) && i < 64; i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(r, i);
        sink += strlen(p->message);
        /* oracle: damage in a chunk is reported naming the chunk and its
         * offset (docs/format.md, "Recovery rules"), in the message a user
         * reads, not only in the problem's fields */
        if (p->chunk != UINT64_MAX &&
            (!strstr(p->message, "chunk") || !strstr(p->message, "offset"))) {
            fprintf(stderr, "problem about chunk %llu names no chunk and offset: %s\n",
                    (unsigned long long)p->chunk, p->message);
            abort();
        }
    }
    return got;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* The structure-aware mode: writes the records with the real writer into a
 * memfd, reads the file back, applies the edits.  Returns the edited file
 * (malloc'ed) or NULL; *chunk0 is chunk 0's record count when the salvage
 * oracle applies (no edit touched chunk 0), else 0. */
static uint8_t *structured(uint8_t mode, fz *in, size_t *n, uint64_t *chunk0)
{
    static const uint32_t chunk_sizes[4] = {256, 512, 1024, 4096};
    uint8_t setup = fz_u8(in);
    vgt_trace_writer_settings s;
    vgt_trace_writer_settings_init(&s);
    s.compression_level = (setup & 16u) ? 3 : 1;
    s.chunk_size = chunk_sizes[setup & 3u];
    s.dedup_min_size = (setup & 4u) ? 16 : 0;
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = 0x5A5A5A5A;
    snprintf(h.protocol_name, sizeof(h.protocol_name), "fuzz");
    h.creator = "fuzz";
    h.start_time_ns = 1;
    int fd = memfd_create("vgt-fuzz-write", MFD_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    if (vgt_trace_writer_open_fd(fd, &s, &h, &w, &err) != VGT_OK) {
        close(fd);
        return NULL;
    }
    const uint8_t *prev[64];
    size_t prev_len[64], nprev = 0;
    uint8_t big[255 * 16];
    uint64_t t = 0;
    for (unsigned i = 0, nrec = fz_u8(in); i < nrec && fz_left(in) >= 3; i++) {
        uint8_t kind = fz_u8(in), flags = fz_u8(in), len = fz_u8(in);
        size_t got = 0;
        const uint8_t *p = NULL;
        t += 1000;
        switch (kind % 6u) {
        case 0:
            p = fz_bytes(in, len, &got);
            vgt_trace_writer_append(w, VGT_REC_FRAME_END, flags, t, p, got, &err);
            break;
        case 3:
            vgt_trace_writer_flush(w, &err);
            break;
        case 4:
            if (nprev) {
                size_t k = len % nprev;
                vgt_trace_writer_append(w, VGT_REC_COMMAND, flags, t, prev[k], prev_len[k], &err);
            }
            break;
        case 5:
            memset(big, flags, (size_t)len * 16u);
            vgt_trace_writer_append(w, VGT_REC_COMMAND, flags, t, big, (size_t)len * 16u, &err);
            break;
        default:
            p = fz_bytes(in, len, &got);
            vgt_trace_writer_append(
                w, kind % 6u == 1 ? VGT_REC_MARKER : (uint16_t)(0x1000u + kind / 8u), flags, t, p,
                got, &err);
            if (nprev < 64) {
                prev[nprev] = p;
                prev_len[nprev++] = got;
            }
            break;
        }
    }
    bool closed = (setup & 8u) != 0;
    if (!closed) {
        vgt_trace_writer_flush(w, &err); /* no footer: as a capture cut off */
    }
    off_t end = lseek(fd, 0, SEEK_CUR);
    if (closed) {
        vgt_trace_writer_close(w, &err);
        end = lseek(fd, 0, SEEK_END);
    }
    uint8_t *file = end > 0 ? malloc((size_t)end) : NULL;
    bool ok = file && pread(fd, file, (size_t)end, 0) == (ssize_t)end;
    if (!closed) {
        vgt_trace_writer_close(w, &err);
    }
    close(fd);
    fe_trace tr;
    if (!ok || !fe_split(&tr, file, (size_t)end)) {
        free(file);
        if (ok) {
            fe_free(&tr);
        }
        return NULL;
    }
    free(file);
    uint64_t rec0 = tr.nch ? fix_le32(tr.ch[0].hdr + 40) : 0;
    for (unsigned i = 0, nedit = fz_u8(in) % 17u; i < nedit && fz_left(in) >= 8; i++) {
        uint8_t op = fz_u8(in), a = fz_u8(in), b = fz_u8(in), how = fz_u8(in);
        fe_apply(&tr, op, a, b, how, fz_u32(in));
    }
    *chunk0 = tr.chunk0_intact ? rec0 : 0;
    size_t nch = tr.nch;
    file = fe_join(&tr, n);
    if (getenv("VGT_FUZZ_VERBOSE")) {
        fprintf(
            stderr,
            "written: %lld bytes, %zu chunks (after the edits), chunk 0 %s; edited: %zu bytes\n",
            (long long)end, nch, tr.chunk0_intact ? "intact" : "edited", *n);
    }
    fe_free(&tr);
    if (file && (mode & 1u)) {
        fuzz_trace_fix(file, *n);
    }
    return file;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t mode = data[0];
    /* VGT_FUZZ_TRACE_MODE=raw|structured keeps a run in one mode (to compare
     * the two modes' coverage); unset, the fuzzer mutates bit 2 too */
    const char *only = getenv("VGT_FUZZ_TRACE_MODE");
    if (only && strcmp(only, "raw") == 0) {
        mode &= (uint8_t)~4u;
    } else if (only && strcmp(only, "structured") == 0) {
        mode |= 4u;
    }
    size_t n = size - 1;
    uint64_t chunk0 = 0;
    uint8_t *file;
    if (mode & 4u) {
        fz in = {data + 1, size - 1};
        file = structured(mode, &in, &n, &chunk0);
    } else {
        file = malloc(n ? n : 1);
        if (file) {
            memcpy(file, data + 1, n);
            if (mode & 1u) {
                fuzz_trace_fix(file, n);
            }
        }
    }
    if (!file) {
        return 0;
    }
    int fd = memfd_create("vgt-fuzz-trace", MFD_CLOEXEC);
    if (fd < 0) {
        free(file);
        return 0;
    }
    if (n && write(fd, file, n) != (ssize_t)n) {
        close(fd);
        free(file);
        return 0;
    }
    free(file);
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    for (int salvage = 0; salvage < ((mode & 2u) ? 2 : 1); salvage++) {
        vgt_trace_reader_options opt;
        vgt_trace_reader_options_init(&opt);
        opt.salvage = salvage != 0;
        opt.chunk_cache = 2;
        opt.payload_cache = 1u << 20;
        vgt_trace_reader *r = NULL;
        vgt_error err = {0};
        vgt_status st = vgt_trace_reader_open(path, &opt, &r, &err);
        if (st == VGT_OK) {
            uint64_t got = exercise(r, chunk0);
            if (getenv("VGT_FUZZ_VERBOSE")) {
                vgt_trace_info info;
                vgt_trace_reader_info(r, &info);
                fprintf(stderr, "trace: %llu records, %llu frames, %zu problems%s\n",
                        (unsigned long long)info.records, (unsigned long long)info.frames,
                        info.problems, salvage ? " (salvage)" : "");
                for (size_t i = 0; i < vgt_trace_reader_problems_listed(r) && i < 8; i++) {
                    fprintf(stderr, "  %s\n", vgt_trace_reader_problem(r, i)->message);
                }
            }
            vgt_trace_reader_close(r);
            if (salvage && got != chunk0) {
                /* the readable part did not stay readable */
                fprintf(stderr, "salvage read %llu of chunk 0's %llu records\n",
                        (unsigned long long)got, (unsigned long long)chunk0);
                abort();
            }
        } else {
            if (getenv("VGT_FUZZ_VERBOSE")) {
                fprintf(stderr, "open: %s\n", err.message);
            }
            if (salvage && chunk0 && st != VGT_E_NOMEM) {
                fprintf(stderr, "salvage open failed with chunk 0 intact: %s\n", err.message);
                abort();
            }
        }
    }
    close(fd);
    return 0;
}
