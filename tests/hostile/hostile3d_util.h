/* hostile3d_util.h - the 3D executor tests' fake guest memory and command
 * builder (tests/exec3d/exec3d_test_util.h), on any backend, plus a runner
 * that reports the decoder's verdict as well as the executor's. */
#ifndef HOSTILE3D_UTIL_H
#define HOSTILE3D_UTIL_H

#include "exec3d_test_util.h"

/* The backends every hostile 3D test runs on: null without contents, null
 * keeping contents, soft. */
typedef struct h3d_backend {
    vgt_backend_kind kind;
    bool keep;
    const char *name;
} h3d_backend;

static const h3d_backend h3d_backends[] = {
    {VGT_BACKEND_NULL, false, "null"},
    {VGT_BACKEND_NULL, true, "null+contents"},
    {VGT_BACKEND_SOFT, false, "soft"},
};
#define H3D_BACKENDS (sizeof(h3d_backends) / sizeof(h3d_backends[0]))

static inline t3d *h3d_new(const h3d_backend *b)
{
    setenv("VGT_SOFT_THREADS", "1", 0);
    t3d *t = t3d_new(b->keep);
    if (b->kind != VGT_BACKEND_NULL) {
        vgt_executor_destroy(t->ex);
        vgt_executor_config cfg = {
            .mem = {.ctx = &t->mem, .read = fake_read, .write = fake_write},
            .enable_3d = true,
            .backend = b->kind,
            .backend_options = {.keep_contents = b->keep},
        };
        assert_int_equal(vgt_executor_create(&cfg, &t->ex, &t->err), VGT_OK);
        t->e = vgt_exec_3d(t->ex);
        assert_non_null(t->e);
    }
    return t;
}

/* Where a hostile command was stopped. */
typedef enum h3d_stage { H3D_ACCEPTED, H3D_DECODER, H3D_EXECUTOR } h3d_stage;

/* Decodes and executes the command built so far (the header size is
 * filled in unless keep_size); returns where it stopped and the status. */
static inline h3d_stage h3d_try(t3d *t, bool keep_size, vgt_status *st)
{
    if (!keep_size) {
        t->words[1] = (t->n - 2u) * 4u;
    }
    vgt_cmd cmd;
    vgt_error_clear(&t->err);
    uint32_t total = 0;
    *st = vgt_cmd_length(t->words, t->n, &total, &t->err);
    if (*st == VGT_OK && total != t->n) {
        *st = VGT_E_TRUNCATED;
    }
    if (*st == VGT_OK) {
        *st = vgt_cmd_decode(t->words, t->n, &cmd, &t->err);
    }
    if (*st != VGT_OK) {
        return H3D_DECODER;
    }
    *st = vgt_executor_execute(t->ex, &cmd, &t->res, &t->err);
    return *st == VGT_OK ? H3D_ACCEPTED : H3D_EXECUTOR;
}

/* The command must be refused (by the decoder or the executor). */
#define REFUSED(t)                                                                                 \
    do {                                                                                           \
        vgt_status st_;                                                                            \
        if (h3d_try((t), false, &st_) == H3D_ACCEPTED) {                                           \
            fail_msg("%s:%d: a hostile command was accepted", __FILE__, __LINE__);                 \
        }                                                                                          \
    } while (0)

#endif
