/* fuzz_trace_reader.c - the trace container reader on whole files.
 *
 * Input: one mode byte, then the file.  Mode bit 0: repair the checksums
 * first (fuzz_trace_fix.h), so mutations reach the structure; bit 1: open in
 * salvage mode too.  The file is opened (footer index or index rebuild),
 * every table entry is read back, every record is iterated (payload bytes
 * touched), frames and records are seeked to at the edges, and the whole
 * file is verified. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_trace_fix.h"
#include "vgt_format.h"

static volatile uint64_t sink;

static void iterate(vgt_trace_reader *r, uint64_t max)
{
    vgt_trace_record rec;
    vgt_error err = {0};
    for (uint64_t i = 0; i < max; i++) {
        vgt_status st = vgt_trace_reader_next(r, &rec, &err);
        if (st != VGT_OK) {
            break;
        }
        if (rec.size) {
            sink += rec.payload[0] + rec.payload[rec.size - 1u] + rec.type + rec.frame;
        }
    }
}

static void exercise(vgt_trace_reader *r)
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
    iterate(r, 100000);
    vgt_error err = {0};
    const uint64_t fr[] = {0, frames / 2, frames ? frames - 1 : 0, frames, UINT64_MAX};
    for (size_t i = 0; i < sizeof(fr) / sizeof(fr[0]); i++) {
        if (vgt_trace_reader_seek_frame(r, fr[i], &err) == VGT_OK) {
            iterate(r, 8);
        }
    }
    const uint64_t rc[] = {0, info.records / 2, info.records ? info.records - 1 : 0, info.records,
                           UINT64_MAX};
    for (size_t i = 0; i < sizeof(rc) / sizeof(rc[0]); i++) {
        if (vgt_trace_reader_seek_record(r, rc[i], &err) == VGT_OK) {
            iterate(r, 8);
        }
    }
    vgt_trace_reader_verify(r, &err);
    for (size_t i = 0; i < vgt_trace_reader_problem_count(r) && i < 64; i++) {
        sink += strlen(vgt_trace_reader_problem(r, i)->message);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t mode = data[0];
    size_t n = size - 1;
    uint8_t *file = malloc(n ? n : 1);
    if (!file) {
        return 0;
    }
    memcpy(file, data + 1, n);
    if (mode & 1u) {
        fuzz_trace_fix(file, n);
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
        if (vgt_trace_reader_open(path, &opt, &r, &err) == VGT_OK) {
            exercise(r);
            if (getenv("VGT_FUZZ_VERBOSE")) {
                vgt_trace_info info;
                vgt_trace_reader_info(r, &info);
                fprintf(stderr, "trace: %llu records, %llu frames, %zu problems\n",
                        (unsigned long long)info.records, (unsigned long long)info.frames,
                        info.problems);
            }
            vgt_trace_reader_close(r);
        } else if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "open: %s\n", err.message);
        }
    }
    close(fd);
    return 0;
}
