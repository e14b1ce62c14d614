/* dma_pool.c - the guest driver's DMA pool: a ring of GMR-backed staging
 * buffers for SURFACE_DMA uploads, each reused only after the fence that
 * followed its last DMA has passed (the pattern of real SVGA drivers'
 * upload managers).  Used by the textured demo and dynamic-vertex. */
#include "vgt_samples.h"

#include <string.h>

vgt_status vgt_drv3d_pool_create(vgt_drv *drv, uint32_t first_gmr, uint32_t slots,
                                 uint32_t slot_size, vgt_drv3d_pool *pool, vgt_error *err)
{
    memset(pool, 0, sizeof(*pool));
    pool->drv = drv;
    if (slots == 0 || slots > VGT_DRV3D_POOL_MAX_SLOTS || slot_size == 0 ||
        slot_size > (1u << 30)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "DMA pool: %u buffers of %u bytes (expected 1..%u buffers, "
                             "1 byte..1 GiB each)",
                             slots, slot_size, VGT_DRV3D_POOL_MAX_SLOTS);
    }
    for (uint32_t i = 0; i < slots; i++) {
        vgt_status st = vgt_drv3d_buffer_create(drv, first_gmr + i, slot_size, &pool->buf[i]);
        if (st != VGT_OK) {
            pool->slots = i;
            vgt_drv3d_pool_destroy(pool);
            return vgt_error_set(err, st,
                                 "DMA pool: cannot create staging buffer %u (GMR %u, %u bytes)%s%s",
                                 i, first_gmr + i, slot_size, drv->failed ? ": " : "",
                                 drv->failed ? drv->error.message : "");
        }
    }
    pool->slots = slots;
    pool->slot_size = pool->buf[0].size;
    return VGT_OK;
}

void vgt_drv3d_pool_destroy(vgt_drv3d_pool *pool)
{
    if (!pool->drv) {
        return;
    }
    for (uint32_t i = 0; i < pool->slots; i++) {
        if (pool->fence[i]) {
            vgt_drv_sync_to_fence(pool->drv, pool->fence[i]);
            pool->fence[i] = 0;
        }
    }
    /* The buffer being filled may have DMAs in flight that no fence covers yet. */
    if (pool->used) {
        vgt_drv_sync_to_fence(pool->drv, vgt_drv_insert_fence(pool->drv));
    }
    for (uint32_t i = 0; i < pool->slots; i++) {
        vgt_drv3d_buffer_destroy(pool->drv, &pool->buf[i]);
    }
    pool->slots = 0;
    pool->drv = NULL;
}

void vgt_drv3d_pool_flush(vgt_drv3d_pool *pool)
{
    if (pool->used == 0) {
        return;
    }
    pool->fence[pool->cur] = vgt_drv_insert_fence(pool->drv);
    pool->cur = (pool->cur + 1u) % pool->slots;
    pool->used = 0;
}

void *vgt_drv3d_pool_alloc(vgt_drv3d_pool *pool, uint32_t size, vgt_svga_guest_ptr *gptr)
{
    if (pool->slots == 0 || size > pool->slot_size || pool->drv->failed) {
        return NULL;
    }
    uint32_t at = (pool->used + 15u) & ~15u;
    if (at > pool->slot_size || size > pool->slot_size - at) {
        vgt_drv3d_pool_flush(pool);
        at = 0;
    }
    if (pool->used == 0 && pool->fence[pool->cur]) {
        /* Starting a buffer again: the device must be done reading it. */
        if (!vgt_drv_has_fence_passed(pool->drv, pool->fence[pool->cur])) {
            pool->waits++;
            if (vgt_drv_sync_to_fence(pool->drv, pool->fence[pool->cur]) != VGT_OK) {
                return NULL;
            }
        }
        pool->fence[pool->cur] = 0;
    }
    vgt_drv3d_buffer *b = &pool->buf[pool->cur];
    pool->used = at + size;
    pool->allocations++;
    pool->bytes += size;
    *gptr = vgt_drv3d_buffer_ptr(b, at);
    return (uint8_t *)b->ptr + at;
}

vgt_status vgt_drv3d_pool_upload_buffer(vgt_drv3d_pool *pool, uint32_t sid, uint32_t offset,
                                        const void *data, uint32_t size)
{
    vgt_svga_guest_ptr g;
    void *p = vgt_drv3d_pool_alloc(pool, size, &g);
    if (!p) {
        return pool->drv->failed ? pool->drv->error.code : VGT_E_RANGE;
    }
    memcpy(p, data, size);
    vgt_svga3d_copy_box box = {offset, 0, 0, size, 1, 1, 0, 0, 0};
    vgt_svga3d_dma_suffix suffix = {sizeof(suffix), size, 0};
    vgt_drv3d_surface_dma(pool->drv, g, 0, (vgt_svga3d_surface_image_id){sid, 0, 0},
                          VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, &suffix);
    return pool->drv->failed ? pool->drv->error.code : VGT_OK;
}
