/* vgt_capture.h - the capture layer: records what a vgt_device does into a
 * trace file (format/), through the device's taps, so that `vgt replay` can
 * re-execute it anywhere.  The device never depends on this library.
 *
 * What is recorded (record payloads: replay/vgt_trace_records.h, docs/format.md
 * "SVGA records"): every command as the device copied it out of the FIFO
 * (rejected ones too, followed by an ERROR record), every byte the device
 * read from guest memory on a command's behalf, the register writes that
 * change device state, the FIFO cursor samples, fence completions, frame
 * boundaries with an XXH3_64 of what the host showed, per-command timestamps
 * (fetch, start, end), and in the file header the device configuration and
 * the 3D caps the guest saw.  A capture that starts at frame N > 0 (or
 * attaches to a running device) first writes a SNAPSHOT of the display state
 * and, when the guest has 3D objects, of the 3D state (docs/capture.md).
 *
 * Threads and failure: the taps run on the device's threads with the device
 * lock held; they copy into the writer's current chunk, and the writer
 * compresses and writes on its own thread(s).  When the writer falls behind,
 * the tap waits (nothing is dropped; the waits are counted in the stats).
 * When writing fails (disk full, I/O error), the capture stops with a message
 * on settings.log, the file stays valid up to its last whole chunk, and the
 * device keeps running.  A capture never changes what the device does.
 *
 * Use (see docs/capture.md):
 *   vgt_capture_create(&settings, &cap, &err);     creates the file
 *   vgt_capture_install(cap, &vm_cfg.device);       before creating the device
 *   vgt_vm_create(&vm_cfg, &vm, &err);
 *   vgt_capture_attach(cap, vgt_vm_device(vm), &err);
 *   ... run the guest ...
 *   vgt_capture_detach(cap); vgt_vm_destroy(vm);
 *   vgt_capture_close(cap, &stats, &err);          finishes the file
 * (a VMM that embeds the device itself: the same around vgt_device_create
 * and vgt_device_destroy, examples/embed_minimal.c)
 * or, for a program that should be capturable without changes, call
 * vgt_capture_from_env() where it fills its device configuration
 * (VGT_CAPTURE=FILE ...).
 */
#ifndef VGT_CAPTURE_H
#define VGT_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_base.h"
#include "vgt_device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

typedef struct vgt_capture vgt_capture;

typedef struct vgt_capture_settings {
    const char *path;          /* the trace file (created or truncated); copied */
    uint64_t start_frame;      /* first guest frame recorded (> 0: a state snapshot first;
                                * at most VGT_TRACE_MAX_START_FRAME) */
    uint64_t frame_count;      /* frames recorded, then the capture stops; 0 = until close */
    int compression_level;     /* zstd level, default 1 */
    uint32_t chunk_size;       /* uncompressed bytes per chunk, default (and 0) 64 KiB */
    uint32_t queue_depth;      /* full chunks waiting for compression, default 128 */
    uint32_t compress_threads; /* default 1 */
    bool no_dedup;             /* store repeated large payloads again */
    uint64_t fail_after_bytes; /* tests: the file write past this many bytes fails (ENOSPC) */
    FILE *log;                 /* messages (capture stopped, ...); default stderr, NULL = none */
    /* Attaching to a device that was created without vgt_capture_install:
     * the taps to call after the capture's own (the device's taps are
     * replaced).  The trace's header takes the device's own configuration
     * (vgt_device_config_of). */
    vgt_device_taps chain;
} vgt_capture_settings;

/* What a capture did. */
typedef struct vgt_capture_stats {
    bool recording; /* recording now */
    bool finished;  /* frame_count frames recorded */
    bool failed;    /* writing failed: capture stopped */
    char failure[VGT_ERROR_MESSAGE_MAX];
    uint64_t start_frame; /* guest frame of the trace's first frame */
    uint64_t frames;      /* frames recorded (FRAME_END records) */
    uint64_t commands;    /* COMMAND records */
    uint64_t dma_records; /* DMA_DATA extents (after merging continuous reads) */
    uint64_t dma_bytes;   /* guest memory bytes recorded */
    uint64_t reg_writes;  /* REGISTER_WRITE records */
    uint64_t fences, errors;
    uint64_t snapshot_bytes;
    vgt_snapshot_3d_info snapshot_3d; /* the snapshot's 3D state (zero without one) */
    /* from the writer */
    uint64_t records;
    uint64_t file_bytes;
    uint64_t bytes_uncompressed;
    uint64_t dedup_bytes_saved;
    uint64_t writer_waits;    /* times a tap waited for the compressor (queue full) */
    uint64_t writer_wait_ns;  /* total time waited */
    uint64_t compress_ns;     /* time the compression thread spent in zstd */
    uint64_t write_ns;        /* time spent in write(2) */
    uint64_t compress_cpu_ns; /* CPU time of the compression thread(s), all their work */
} vgt_capture_stats;

/* A capture's chunks are smaller than the format's default (see capture.c). */
#define VGT_CAPTURE_DEFAULT_CHUNK_SIZE (64u << 10)

/* The largest start frame and frame count a capture takes from the command
 * line (--capture-start, --capture-frames) and the environment
 * (VGT_CAPTURE_START, VGT_CAPTURE_FRAMES): far below the format's 2^62,
 * beyond any run, so that a mistyped number is refused before the run. */
#define VGT_CAPTURE_MAX_FRAME (1ull << 40)

/* The zstd levels a capture takes: negative levels trade size for speed. */
#define VGT_CAPTURE_LEVEL_MIN (-7)
#define VGT_CAPTURE_LEVEL_MAX 22

/* Fills settings with the defaults (no path). */
void vgt_capture_settings_init(vgt_capture_settings *settings);
/* Parses a compression level (decimal digits with an optional leading '-',
 * VGT_CAPTURE_LEVEL_MIN..MAX), for the command line and the environment
 * alike.  False for anything else (" 3" and "+3" too). */
bool vgt_capture_parse_level(const char *text, int *level);
/* Reads VGT_CAPTURE=FILE and the optional VGT_CAPTURE_START=N (0..2^40),
 * VGT_CAPTURE_FRAMES=M (1..2^40), VGT_CAPTURE_LEVEL=L, VGT_CAPTURE_CHUNK=KiB
 * (1..262144) into settings (path points into the environment); unset or
 * empty ones keep settings' values.  *found is false when VGT_CAPTURE is
 * unset or empty.  VGT_E_INVALID for a malformed or out-of-range value, the
 * message naming the variable, its value and what it takes. */
vgt_status vgt_capture_settings_from_env(vgt_capture_settings *settings, bool *found,
                                         vgt_error *err);
/* Checks the settings and creates the trace file (nothing is written yet). */
vgt_status vgt_capture_create(const vgt_capture_settings *settings, vgt_capture **out,
                              vgt_error *err);
/* Before vgt_device_create/vgt_vm_create: puts the capture's taps into
 * cfg->taps (the taps already there are called after the capture's own) and
 * takes the device configuration for the trace header.  A capture installed
 * this way sees the device from power-on. */
void vgt_capture_install(vgt_capture *cap, vgt_device_config *cfg);
/* Binds the capture to its device (after install), or attaches it to a
 * running device (without install: the device's taps are replaced, see
 * settings.chain; recording then starts at the next frame boundary with a
 * snapshot of the display and 3D state).  Recording starts at
 * settings.start_frame. */
vgt_status vgt_capture_attach(vgt_capture *cap, vgt_device *dev, vgt_error *err);
/* Stops recording and gives the device back its chained taps.  Call it
 * while the device exists (or destroy the device first).  Idempotent. */
void vgt_capture_detach(vgt_capture *cap);
/* Finishes the trace (flush, footer index), fills *stats (may be NULL) and
 * frees the capture.  Does not touch the device: detach first, or destroy
 * the device first.  Returns the writer's failure, if any (the file is then
 * valid up to its last whole chunk).  NULL is a no-op. */
vgt_status vgt_capture_close(vgt_capture *cap, vgt_capture_stats *stats, vgt_error *err);
/* Copies the counters so far (call from the thread that owns the device, or
 * after detach). */
void vgt_capture_stats_get(vgt_capture *cap, vgt_capture_stats *out);

/* The hook for embedders: when VGT_CAPTURE is set, creates a capture from
 * the environment and installs it into cfg (then call vgt_capture_attach
 * after creating the device, and detach/close at the end).  *out is NULL when
 * VGT_CAPTURE is unset.  An embedding program calls this once where it fills
 * its vgt_device_config (or vgt_vm_config.device). */
vgt_status vgt_capture_from_env(vgt_device_config *cfg, vgt_capture **out, vgt_error *err);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_CAPTURE_H */
