/* zstd_mem.c - every zstd context vgt creates allocates through here.
 *
 * libzstd is a shared library: the allocations it makes itself (the context,
 * and the workspace it sizes on a context's first use, or again when a larger
 * chunk needs a larger one) would call the C library's malloc from inside
 * libzstd, out of reach of tests/hostile/test_hostile_alloc.c, which fails
 * vgt's allocations in turn by linking with -Wl,--wrap=malloc.  Contexts made
 * with a ZSTD_customMem whose functions call malloc/free from vgt code put
 * those allocations where the wrapper sees them, so their failures are
 * injected and tested like any other.  The workspace is allocated once per
 * context and reused for every chunk: this costs nothing per chunk. */
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_customMem, ZSTD_create?Ctx_advanced */
#include "vgt_format.h"

#include <stdlib.h>
#include <zstd.h>

static uint64_t zstd_allocs, zstd_failures; /* atomics (relaxed): statistics only */

static void *zstd_mem_alloc(void *opaque, size_t size)
{
    (void)opaque;
    void *p = malloc(size);
    __atomic_add_fetch(p ? &zstd_allocs : &zstd_failures, 1, __ATOMIC_RELAXED);
    return p;
}

static void zstd_mem_free(void *opaque, void *p)
{
    (void)opaque;
    free(p);
}

static const ZSTD_customMem zstd_mem = {zstd_mem_alloc, zstd_mem_free, NULL};

ZSTD_CCtx *vgt_zstd_cctx_create(void)
{
    return ZSTD_createCCtx_advanced(zstd_mem);
}

ZSTD_DCtx *vgt_zstd_dctx_create(void)
{
    return ZSTD_createDCtx_advanced(zstd_mem);
}

void vgt_zstd_mem_stats_get(vgt_zstd_mem_stats *out)
{
    out->allocations = __atomic_load_n(&zstd_allocs, __ATOMIC_RELAXED);
    out->failures = __atomic_load_n(&zstd_failures, __ATOMIC_RELAXED);
}
