/* backend_soft.h - private to replay/: the soft renderer (vgt_soft) as a
 * vgt_backend.  The backend factory (vgt_backend_create with
 * VGT_BACKEND_SOFT) calls this; nothing else needs it.  See docs/soft.md. */
#ifndef VGT_BACKEND_SOFT_H
#define VGT_BACKEND_SOFT_H

#include "vgt_backend.h"

/* Creates a soft backend into *out (the caller owns it: vgt_backend_destroy).
 * opt may be NULL; keep_contents is implied (the soft backend always keeps
 * surface contents).  Renders with one thread per online CPU (at most 8),
 * or VGT_SOFT_THREADS from the environment; the output does not depend on
 * the thread count. */
vgt_status vgt_backend_soft_create(const vgt_backend_options *opt, vgt_backend *out,
                                   vgt_error *err);

/* Counters of what a soft backend did (for tests and `vgt bench soft`). */
typedef struct vgt_backend_soft_counters {
    uint64_t surfaces_alive, raw_surfaces_alive; /* raw: stored bytes only (format not drawable) */
    uint64_t clears, draws, ranges, primitives, pixels_passed;
    uint64_t uploads, downloads, copies, stretches, mipmap_generations, reads;
    uint64_t clear_texels; /* texels CLEARs wrote (vgt_soft_device_clear_texels) */
} vgt_backend_soft_counters;

/* Copies the counters of a soft backend; VGT_E_INVALID if be is another kind. */
vgt_status vgt_backend_soft_counters_get(const vgt_backend *be, vgt_backend_soft_counters *out);

#endif /* VGT_BACKEND_SOFT_H */
