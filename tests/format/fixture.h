/* fixture.h - shared helpers for the format tests: a writer that also keeps
 * what it wrote, and a checker that compares a reader with it byte by byte. */
#ifndef VGT_TEST_FORMAT_FIXTURE_H
#define VGT_TEST_FORMAT_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgt_format.h"

typedef struct fx_rec {
    uint64_t seq, frame, ts;
    uint16_t type, flags;
    uint32_t size;
    uint8_t *payload;
} fx_rec;

typedef struct fx_trace {
    fx_rec *recs;
    size_t n, cap;
    uint64_t frame; /* current frame */
    uint64_t ts;
} fx_trace;

/* A header with protocol "svga2", a device config blob and a creator. */
void fx_header(vgt_trace_header *h);
/* Settings with small chunks (chunk_size bytes) for tests. */
void fx_settings(vgt_trace_writer_settings *s, uint32_t chunk_size);
/* A path in the build tree for a test file (static buffer per call site is fine). */
void fx_path(char *out, size_t size, const char *name);
/* Appends a record to w and remembers it; asserts success. */
void fx_add(fx_trace *t, vgt_trace_writer *w, uint16_t type, uint16_t flags, const void *p,
            size_t n);
/* Remembers a record written by other means. */
void fx_remember(fx_trace *t, uint16_t type, uint16_t flags, uint64_t ts, const void *p, size_t n);
/* Appends FRAME_END; asserts success. */
void fx_frame_end(fx_trace *t, vgt_trace_writer *w);
/* Like fx_add but returns the status instead of asserting (for failure tests). */
vgt_status fx_try_add(fx_trace *t, vgt_trace_writer *w, uint16_t type, uint16_t flags,
                      const void *p, size_t n);
/* Appends `count` generated records (small commands, medium and large
 * payloads, some large ones repeated) with a frame end every `frame_every`. */
void fx_generate(fx_trace *t, vgt_trace_writer *w, uint32_t seed, size_t count, size_t frame_every);
/* Fills buf with deterministic bytes (compressible, seeded). */
void fx_fill(uint8_t *buf, size_t n, uint32_t seed);
/* Reads records with next() and checks each equals t->recs[from + i];
 * returns the number read; *status gets the final status (VGT_E_END, ...). */
size_t fx_check(vgt_trace_reader *r, const fx_trace *t, size_t from, vgt_status *status);
/* Writes t with the given settings into path (generated content). */
void fx_write_file(const char *path, fx_trace *t, uint32_t chunk_size, size_t count,
                   size_t frame_every, uint32_t seed);
/* Frees t's copies. */
void fx_free(fx_trace *t);
/* Reads a whole file into memory (caller frees); *size gets its length. */
uint8_t *fx_read_file(const char *path, size_t *size);
/* Writes bytes to path. */
void fx_write_bytes(const char *path, const uint8_t *b, size_t n);

#endif
