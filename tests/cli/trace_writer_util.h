/* trace_writer_util.h - hand-made SVGA traces for the CLI tests. */
#ifndef VGT_TRACE_WRITER_UTIL_H
#define VGT_TRACE_WRITER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "vgt_format.h"
#include "vgt_replay.h"

typedef struct tw {
    vgt_trace_writer *w;
    uint64_t seq;
} tw;

/* Opens path (protocol: "svga2" or another; chunk: the writer's chunk size,
 * 0 the default) with a small device configuration; seq counts from 0. */
void tw_open(tw *t, const char *path, const char *protocol, uint32_t chunk);
/* An SVGA trace of the default chunk size whose device has 3D enabled. */
void tw_open_3d(tw *t, const char *path);
void tw_end_frame(tw *t, uint64_t frame, uint64_t hash);
void tw_close(tw *t);
void tw_reg(tw *t, uint32_t reg, uint32_t value);
void tw_cmd(tw *t, const uint32_t *w, uint32_t n);
/* An ERROR record of device error `kind` about command seq (at most 64
 * bytes of message). */
void tw_error(tw *t, uint64_t seq, uint32_t kind, const char *message);
/* (tw_end_frame: a FRAME_HASH of the last command and the frame end;
 * tw_reg: a REGISTER_WRITE (flags 0); tw_cmd: a COMMAND of n <= 64 words,
 * a 3D command's size word filled in.) */

/* A 3D command of one argument word ({id, size, a}: CONTEXT_DEFINE ...). */
void tw_cmd3(tw *t, uint32_t id, uint32_t a);
/* SET_SHADER of context cid. */
void tw_set_shader(tw *t, uint32_t cid, uint32_t type, uint32_t shid);
/* CLEAR of context cid, its planes flags, depth 0.0. */
void tw_clear(tw *t, uint32_t cid, uint32_t flags);
/* DRAW_PRIMITIVES of context cid: two position arrays in vertex buffer vb,
 * one triangle indexed from ib (VGT_SVGA3D_INVALID_ID: not indexed). */
void tw_draw(tw *t, uint32_t cid, uint32_t vb, uint32_t ib);
/* Runs the shell command fmt makes (vgt, a check) and fails the test
 * unless it succeeds. */
void tw_shell_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Creates BINARY_DIR/tests/cli/NAME-PID into dir (a cmocka group setup's
 * return value: 0, or -1 when it cannot). */
int tw_tmpdir_make(char *dir, size_t size, const char *name);
/* Removes dir and what it holds (0, or -1). */
int tw_tmpdir_remove(const char *dir);

#endif
