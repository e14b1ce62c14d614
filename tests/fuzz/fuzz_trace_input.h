/* fuzz_trace_input.h - the trace a replaying fuzz target reads, made from
 * its input (fuzz_replayer, fuzz_replay_gl): after the mode byte either
 *   - (mode bit 0) a trace file, checksums repaired (fuzz_trace_fix.h); or
 *   - a list of records that the real trace writer writes (so every record
 *     reaches the replayer with a valid container around it): u8 start
 *     frame, u16 device-config length + bytes, then records {u8 kind, u8
 *     flags, u16 length, payload}; kind % 11: 0 FRAME_END, 1 MARKER, 2.. the
 *     SVGA types COMMAND .. COMMAND_BATCH; mode bit 6: 256-byte chunks.
 * fuzz_trace_memfd writes it into a memfd; /proc/self/fd/N names it. */
#ifndef FUZZ_TRACE_INPUT_H
#define FUZZ_TRACE_INPUT_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_trace_fix.h"
#include "vgt_format.h"
#include "vgt_replay.h"

static inline bool fuzz_write_records(int fd, uint8_t mode, fz *in)
{
    vgt_trace_writer_settings s;
    vgt_trace_writer_settings_init(&s);
    s.compression_level = 1;
    s.chunk_size = (mode & 64u) ? 256u : 4096u;
    s.dedup_min_size = 64;
    s.start_frame = fz_u8(in);
    size_t cfg_len = 0;
    const uint8_t *cfg = fz_bytes(in, fz_u16(in), &cfg_len);
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    snprintf(h.protocol_name, sizeof(h.protocol_name), "%s", VGT_SVGA_TRACE_PROTOCOL_NAME);
    h.device_config = cfg;
    h.device_config_size = cfg_len;
    h.creator = "fuzz";
    h.start_time_ns = 1;
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    if (vgt_trace_writer_open_fd(fd, &s, &h, &w, &err) != VGT_OK) {
        return false;
    }
    uint64_t t = 0;
    while (fz_left(in) >= 4) {
        uint8_t kind = fz_u8(in) % 11u;
        uint8_t flags = fz_u8(in);
        size_t len = 0;
        const uint8_t *p = fz_bytes(in, fz_u16(in), &len);
        t += 1000;
        if (kind == 0) {
            vgt_trace_writer_frame_end(w, t, &err);
        } else {
            uint16_t type = kind == 1 ? VGT_REC_MARKER : (uint16_t)(VGT_REC_COMMAND + kind - 2u);
            vgt_trace_writer_append(w, type, flags, t, p, len, &err);
        }
    }
    return vgt_trace_writer_close(w, &err) == VGT_OK;
}

/* The trace of the input (the mode byte already read) in a new memfd, its
 * name in path; -1 when none could be written (nothing to replay). */
static inline int fuzz_trace_memfd(uint8_t mode, fz *in, char *path, size_t path_size)
{
    int fd = memfd_create("vgt-fuzz-replay", MFD_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    bool ok;
    if (mode & 1u) {
        size_t n = fz_left(in);
        uint8_t *file = malloc(n ? n : 1);
        ok = file != NULL;
        if (ok) {
            memcpy(file, in->p, n);
            fuzz_trace_fix(file, n);
            ok = write(fd, file, n) == (ssize_t)n;
            free(file);
        }
    } else {
        ok = fuzz_write_records(fd, mode, in);
    }
    if (!ok) {
        close(fd);
        return -1;
    }
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}

/* The mode byte (*mode) and the trace after it (fuzz_trace_memfd). */
static inline int fuzz_trace_input(const uint8_t *data, size_t size, uint8_t *mode, char *path,
                                   size_t path_size)
{
    fz in = {data, size};
    *mode = fz_u8(&in);
    return fuzz_trace_memfd(*mode, &in, path, path_size);
}

/* The replay options both targets take from the mode byte: bit 1 salvage,
 * bit 2 verify, bit 3 compose off, bit 4 guest frames 1..2 only. */
static inline void fuzz_replay_options(uint8_t mode, vgt_replay_backend backend,
                                       vgt_replayer_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->backend = backend;
    opt->salvage = (mode & 2u) != 0;
    opt->verify = (mode & 4u) != 0;
    opt->compose = (mode & 8u) == 0;
    opt->first_frame = (mode & 16u) ? 1 : 0;
    opt->last_frame = (mode & 16u) ? 2 : UINT64_MAX;
}

#endif
