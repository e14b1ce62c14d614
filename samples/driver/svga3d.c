/* svga3d.c - the guest driver's SVGA3D helpers, after the reference driver's
 * lib/refdriver/svga3d.c and svga3dutil.c: detect 3D and read the caps
 * block, then one helper per command (each reserves, fills and commits one
 * command), plus GMR-backed buffers for SURFACE_DMA and query results.
 * Our own code and names. */
#include "vgt_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- detection and caps -------------------------------------------------- */

vgt_status vgt_drv3d_init(vgt_drv *drv, vgt_error *err)
{
    if (!(drv->capabilities & VGT_SVGA_CAP_3D)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "the device does not offer 3D (SVGA_CAP_3D is clear)");
    }
    uint32_t hw = vgt_drv3d_hw_version(drv);
    if (hw < VGT_SVGA3D_HWVERSION_WS65_B1) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "3D hardware version %u.%u is older than 2.0 (WS65_B1)",
                             VGT_SVGA3D_HWVERSION_MAJOR(hw), VGT_SVGA3D_HWVERSION_MINOR(hw));
    }
    return VGT_OK;
}

uint32_t vgt_drv3d_hw_version(const vgt_drv *drv)
{
    if (vgt_drv_has_fifo_cap(drv, VGT_SVGA_FIFO_CAP_3D_HWVERSION_REVISED) &&
        vgt_drv_fifo_reg_valid(drv, VGT_SVGA_FIFO_3D_HWVERSION_REVISED)) {
        return vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_3D_HWVERSION_REVISED);
    }
    return vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_3D_HWVERSION);
}

bool vgt_drv3d_devcap(const vgt_drv *drv, uint32_t index, uint32_t *value)
{
    /* copied out of FIFO memory once, then read by the protocol's rule */
    uint32_t words[VGT_SVGA3D_CAPS_BLOCK_WORDS];
    for (uint32_t i = 0; i < VGT_SVGA3D_CAPS_BLOCK_WORDS; i++) {
        words[i] = vgt_drv_fifo_get(drv, VGT_SVGA_FIFO_3D_CAPS + i);
    }
    return vgt_svga3d_caps_devcap(words, VGT_SVGA3D_CAPS_BLOCK_WORDS, index, value);
}

/* ---- command helpers ----------------------------------------------------- */

void *vgt_drv3d_reserve(vgt_drv *drv, uint32_t id, uint32_t body_bytes)
{
    uint32_t *h = vgt_drv_fifo_reserve(drv, body_bytes + 8u);
    if (!h) {
        return NULL;
    }
    h[0] = id;
    h[1] = body_bytes;
    return h + 2;
}

/* Reserves, copies `bytes` of body and commits. */
static void send(vgt_drv *drv, uint32_t id, const void *body, uint32_t bytes)
{
    void *c = vgt_drv3d_reserve(drv, id, bytes);
    if (c) {
        memcpy(c, body, bytes);
        vgt_drv_fifo_commit_all(drv);
    }
}

/* Reserves a fixed body followed by `count` elements of `elem_bytes`. */
static void send_array(vgt_drv *drv, uint32_t id, const void *body, uint32_t body_bytes,
                       const void *elems, uint32_t elem_bytes, uint32_t count)
{
    uint8_t *c = vgt_drv3d_reserve(drv, id, body_bytes + elem_bytes * count);
    if (c) {
        memcpy(c, body, body_bytes);
        if (count) {
            memcpy(c + body_bytes, elems, (size_t)elem_bytes * count);
        }
        vgt_drv_fifo_commit_all(drv);
    }
}

void vgt_drv3d_define_context(vgt_drv *drv, uint32_t cid)
{
    send(drv, VGT_SVGA3D_CMD_CONTEXT_DEFINE, &cid, 4);
}

void vgt_drv3d_destroy_context(vgt_drv *drv, uint32_t cid)
{
    send(drv, VGT_SVGA3D_CMD_CONTEXT_DESTROY, &cid, 4);
}

void vgt_drv3d_define_surface(vgt_drv *drv, uint32_t sid, uint32_t flags, uint32_t format,
                              uint32_t width, uint32_t height, uint32_t depth, uint32_t mips)
{
    uint32_t faces = (flags & VGT_SVGA3D_SURFACE_CUBEMAP) ? 6u : 1u;
    vgt_svga3d_cmd_surface_define d = {.sid = sid, .surface_flags = flags, .format = format};
    for (uint32_t f = 0; f < faces; f++) {
        d.face_mip_levels[f] = mips;
    }
    uint8_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SURFACE_DEFINE,
                                   (uint32_t)sizeof(d) + faces * mips * 12u);
    if (!c) {
        return;
    }
    memcpy(c, &d, sizeof(d));
    vgt_svga3d_size *sizes = (vgt_svga3d_size *)(void *)(c + sizeof(d));
    for (uint32_t f = 0; f < faces; f++) {
        for (uint32_t m = 0; m < mips; m++) {
            vgt_svga3d_size s = {width >> m ? width >> m : 1u, height >> m ? height >> m : 1u,
                                 depth >> m ? depth >> m : 1u};
            memcpy(&sizes[f * mips + m], &s, sizeof(s));
        }
    }
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv3d_destroy_surface(vgt_drv *drv, uint32_t sid)
{
    send(drv, VGT_SVGA3D_CMD_SURFACE_DESTROY, &sid, 4);
}

void vgt_drv3d_surface_dma(vgt_drv *drv, vgt_svga_guest_ptr guest, uint32_t guest_pitch,
                           vgt_svga3d_surface_image_id host, uint32_t transfer,
                           const vgt_svga3d_copy_box *boxes, uint32_t count,
                           const vgt_svga3d_dma_suffix *suffix)
{
    vgt_svga3d_cmd_surface_dma d = {
        .guest = {guest, guest_pitch}, .host = host, .transfer = transfer};
    uint32_t bytes = (uint32_t)sizeof(d) + count * (uint32_t)sizeof(*boxes) +
                     (suffix ? (uint32_t)sizeof(*suffix) : 0u);
    uint8_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SURFACE_DMA, bytes);
    if (!c) {
        return;
    }
    memcpy(c, &d, sizeof(d));
    memcpy(c + sizeof(d), boxes, (size_t)count * sizeof(*boxes));
    if (suffix) {
        memcpy(c + sizeof(d) + (size_t)count * sizeof(*boxes), suffix, sizeof(*suffix));
    }
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv3d_set_render_target(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t sid)
{
    vgt_svga3d_cmd_setrendertarget d = {.cid = cid, .type = type, .target = {sid, 0, 0}};
    send(drv, VGT_SVGA3D_CMD_SETRENDERTARGET, &d, sizeof(d));
}

void vgt_drv3d_set_transform(vgt_drv *drv, uint32_t cid, uint32_t type, const float matrix[16])
{
    vgt_svga3d_cmd_settransform d = {.cid = cid, .type = type};
    memcpy(d.matrix, matrix, sizeof(d.matrix));
    send(drv, VGT_SVGA3D_CMD_SETTRANSFORM, &d, sizeof(d));
}

void vgt_drv3d_set_z_range(vgt_drv *drv, uint32_t cid, float zmin, float zmax)
{
    vgt_svga3d_cmd_setzrange d = {.cid = cid, .zrange = {zmin, zmax}};
    send(drv, VGT_SVGA3D_CMD_SETZRANGE, &d, sizeof(d));
}

void vgt_drv3d_set_viewport(vgt_drv *drv, uint32_t cid, uint32_t x, uint32_t y, uint32_t w,
                            uint32_t h)
{
    vgt_svga3d_cmd_setviewport d = {.cid = cid, .rect = {x, y, w, h}};
    send(drv, VGT_SVGA3D_CMD_SETVIEWPORT, &d, sizeof(d));
}

void vgt_drv3d_set_scissor(vgt_drv *drv, uint32_t cid, uint32_t x, uint32_t y, uint32_t w,
                           uint32_t h)
{
    vgt_svga3d_cmd_setscissorrect d = {.cid = cid, .rect = {x, y, w, h}};
    send(drv, VGT_SVGA3D_CMD_SETSCISSORRECT, &d, sizeof(d));
}

void vgt_drv3d_set_render_states(vgt_drv *drv, uint32_t cid,
                                 const vgt_svga3d_render_state_pair *states, uint32_t count)
{
    send_array(drv, VGT_SVGA3D_CMD_SETRENDERSTATE, &cid, 4, states, sizeof(*states), count);
}

void vgt_drv3d_set_texture_states(vgt_drv *drv, uint32_t cid,
                                  const vgt_svga3d_texture_state_entry *states, uint32_t count)
{
    send_array(drv, VGT_SVGA3D_CMD_SETTEXTURESTATE, &cid, 4, states, sizeof(*states), count);
}

void vgt_drv3d_set_material(vgt_drv *drv, uint32_t cid, uint32_t face,
                            const vgt_svga3d_material *material)
{
    vgt_svga3d_cmd_setmaterial d = {.cid = cid, .face = face, .material = *material};
    send(drv, VGT_SVGA3D_CMD_SETMATERIAL, &d, sizeof(d));
}

void vgt_drv3d_set_light_data(vgt_drv *drv, uint32_t cid, uint32_t index,
                              const vgt_svga3d_light_data *light)
{
    vgt_svga3d_cmd_setlightdata d = {.cid = cid, .index = index, .data = *light};
    send(drv, VGT_SVGA3D_CMD_SETLIGHTDATA, &d, sizeof(d));
}

void vgt_drv3d_set_light_enabled(vgt_drv *drv, uint32_t cid, uint32_t index, bool enabled)
{
    vgt_svga3d_cmd_setlightenabled d = {.cid = cid, .index = index, .enabled = enabled};
    send(drv, VGT_SVGA3D_CMD_SETLIGHTENABLED, &d, sizeof(d));
}

void vgt_drv3d_clear(vgt_drv *drv, uint32_t cid, uint32_t flags, uint32_t color, float depth,
                     uint32_t stencil, const vgt_svga3d_rect *rects, uint32_t count)
{
    vgt_svga3d_cmd_clear d = {
        .cid = cid, .clear_flag = flags, .color = color, .depth = depth, .stencil = stencil};
    send_array(drv, VGT_SVGA3D_CMD_CLEAR, &d, sizeof(d), rects, sizeof(*rects), count);
}

void vgt_drv3d_draw_primitives_instanced(vgt_drv *drv, uint32_t cid,
                                         const vgt_svga3d_vertex_decl *decls, uint32_t ndecls,
                                         const vgt_svga3d_primitive_range *ranges, uint32_t nranges,
                                         const uint32_t *divisors)
{
    vgt_svga3d_cmd_draw_primitives d = {
        .cid = cid, .num_vertex_decls = ndecls, .num_ranges = nranges};
    uint32_t bytes = (uint32_t)sizeof(d) + ndecls * (uint32_t)sizeof(*decls) +
                     nranges * (uint32_t)sizeof(*ranges) + (divisors ? ndecls * 4u : 0u);
    uint8_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, bytes);
    if (!c) {
        return;
    }
    uint8_t *p = c;
    memcpy(p, &d, sizeof(d));
    p += sizeof(d);
    memcpy(p, decls, (size_t)ndecls * sizeof(*decls));
    p += (size_t)ndecls * sizeof(*decls);
    memcpy(p, ranges, (size_t)nranges * sizeof(*ranges));
    p += (size_t)nranges * sizeof(*ranges);
    if (divisors) {
        memcpy(p, divisors, (size_t)ndecls * 4u);
    }
    vgt_drv_fifo_commit_all(drv);
}

void vgt_drv3d_draw_primitives(vgt_drv *drv, uint32_t cid, const vgt_svga3d_vertex_decl *decls,
                               uint32_t ndecls, const vgt_svga3d_primitive_range *ranges,
                               uint32_t nranges)
{
    vgt_drv3d_draw_primitives_instanced(drv, cid, decls, ndecls, ranges, nranges, NULL);
}

void vgt_drv3d_define_shader_text(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t shid,
                                  const char *text)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_shader_diag diag;
    vgt_error err = {0};
    if (vgt_shader_assemble(text, strlen(text), &words, &n, &diag, &err) != VGT_OK) {
        if (!drv->failed) {
            drv->failed = true;
            drv->error = err;
        }
        return;
    }
    uint32_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SHADER_DEFINE, (uint32_t)(12 + n * 4));
    if (c) {
        c[0] = cid;
        c[1] = shid;
        c[2] = type;
        memcpy(c + 3, words, n * 4);
        vgt_drv_fifo_commit_all(drv);
    }
    free(words);
}

void vgt_drv3d_set_shader(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t shid)
{
    uint32_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SET_SHADER, 12);
    if (c) {
        c[0] = cid;
        c[1] = type;
        c[2] = shid;
        vgt_drv_fifo_commit_all(drv);
    }
}

void vgt_drv3d_set_shader_consts(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t reg,
                                 const float (*v)[4], uint32_t n)
{
    if (n == 0) {
        return;
    }
    uint32_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SET_SHADER_CONST, 16u + 16u * n);
    if (c) {
        c[0] = cid;
        c[1] = reg;
        c[2] = type;
        c[3] = VGT_SVGA3D_CONST_TYPE_FLOAT;
        memcpy(c + 4, v, 16u * n);
        vgt_drv_fifo_commit_all(drv);
    }
}

void vgt_drv3d_set_shader_const(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t reg,
                                const float v[4])
{
    vgt_drv3d_set_shader_consts(drv, cid, type, reg, (const float(*)[4])v, 1);
}

void vgt_drv3d_present(vgt_drv *drv, uint32_t sid, const vgt_svga3d_copy_rect *rects,
                       uint32_t count)
{
    send_array(drv, VGT_SVGA3D_CMD_PRESENT, &sid, 4, rects, sizeof(*rects), count);
}

void vgt_drv3d_begin_query(vgt_drv *drv, uint32_t cid, uint32_t type)
{
    vgt_svga3d_cmd_begin_query d = {.cid = cid, .type = type};
    send(drv, VGT_SVGA3D_CMD_BEGIN_QUERY, &d, sizeof(d));
}

void vgt_drv3d_end_query(vgt_drv *drv, uint32_t cid, uint32_t type, vgt_svga_guest_ptr result)
{
    vgt_svga3d_cmd_end_query d = {.cid = cid, .type = type, .guest_result = result};
    send(drv, VGT_SVGA3D_CMD_END_QUERY, &d, sizeof(d));
}

void vgt_drv3d_wait_for_query(vgt_drv *drv, uint32_t cid, uint32_t type, vgt_svga_guest_ptr result)
{
    vgt_svga3d_cmd_wait_for_query d = {.cid = cid, .type = type, .guest_result = result};
    send(drv, VGT_SVGA3D_CMD_WAIT_FOR_QUERY, &d, sizeof(d));
}

/* ---- GMR-backed buffers --------------------------------------------------- */

vgt_status vgt_drv3d_buffer_create(vgt_drv *drv, uint32_t gmr_id, uint32_t size,
                                   vgt_drv3d_buffer *buf)
{
    memset(buf, 0, sizeof(*buf));
    uint32_t pages = (size + VGT_SVGA_PAGE_SIZE - 1u) / VGT_SVGA_PAGE_SIZE;
    uint64_t phys = 0;
    vgt_status st = vgt_drv_gmr_define_contiguous(drv, gmr_id, pages ? pages : 1u, &phys);
    if (st != VGT_OK) {
        return st;
    }
    buf->gmr_id = gmr_id;
    buf->pages = pages ? pages : 1u;
    buf->size = buf->pages * VGT_SVGA_PAGE_SIZE;
    buf->phys = phys;
    buf->ptr = vgt_guest_ptr(drv->guest, phys, buf->size);
    if (!buf->ptr) {
        return VGT_E_RANGE;
    }
    return VGT_OK;
}

void vgt_drv3d_buffer_destroy(vgt_drv *drv, vgt_drv3d_buffer *buf)
{
    if (!buf->ptr) {
        return;
    }
    vgt_drv_gmr_define(drv, buf->gmr_id, NULL, 0);
    vgt_guest_free_pages(drv->guest, buf->phys, buf->pages);
    memset(buf, 0, sizeof(*buf));
}

vgt_svga_guest_ptr vgt_drv3d_buffer_ptr(const vgt_drv3d_buffer *buf, uint32_t offset)
{
    return (vgt_svga_guest_ptr){buf->gmr_id, offset};
}

vgt_status vgt_drv3d_upload_buffer(vgt_drv *drv, vgt_drv3d_buffer *buf, uint32_t sid,
                                   const void *data, uint32_t size)
{
    if (size > buf->size) {
        return VGT_E_RANGE;
    }
    memcpy(buf->ptr, data, size);
    vgt_svga3d_copy_box box = {0, 0, 0, size, 1, 1, 0, 0, 0};
    vgt_svga3d_dma_suffix suffix = {sizeof(suffix), size, 0};
    vgt_drv3d_surface_dma(drv, vgt_drv3d_buffer_ptr(buf, 0), 0,
                          (vgt_svga3d_surface_image_id){sid, 0, 0}, VGT_SVGA3D_WRITE_HOST_VRAM,
                          &box, 1, &suffix);
    /* The buffer may be reused as soon as the DMA has passed. */
    return vgt_drv_sync_to_fence(drv, vgt_drv_insert_fence(drv));
}

/* ---- the 3D samples' scaffolding ---------------------------------------- */

void vgt_drv3d_upload_mesh(vgt_drv *drv, vgt_drv3d_buffer *staging, uint32_t gmr_id,
                           uint32_t staging_size, uint32_t sid_vb, const void *vertices,
                           uint32_t vertices_size, uint32_t sid_ib, const void *indices,
                           uint32_t indices_size)
{
    if (vgt_drv3d_buffer_create(drv, gmr_id, staging_size, staging) != VGT_OK ||
        vgt_drv3d_upload_buffer(drv, staging, sid_vb, vertices, vertices_size) != VGT_OK ||
        vgt_drv3d_upload_buffer(drv, staging, sid_ib, indices, indices_size) != VGT_OK) {
        if (!drv->failed) {
            drv->failed = true;
            vgt_error_set(&drv->error, VGT_E_NOMEM, "cannot set up the staging GMR");
        }
    }
}

void vgt_drv3d_teardown(vgt_drv *drv, uint32_t cid, uint32_t sid_first, uint32_t sid_last,
                        vgt_drv3d_buffer *staging)
{
    vgt_drv3d_destroy_context(drv, cid);
    for (uint32_t sid = sid_first; sid <= sid_last; sid++) {
        vgt_drv3d_destroy_surface(drv, sid);
    }
    vgt_drv_sync_to_fence(drv, vgt_drv_insert_fence(drv));
    if (staging) {
        vgt_drv3d_buffer_destroy(drv, staging);
    }
}

void vgt_drv3d_set_shader_matrix(vgt_drv *drv, uint32_t cid, uint32_t type, uint32_t reg,
                                 const float m[16], uint32_t ncols)
{
    float v[4][4];
    uint32_t n = ncols < 4 ? ncols : 4;
    for (uint32_t col = 0; col < n; col++) {
        v[col][0] = m[col];
        v[col][1] = m[4 + col];
        v[col][2] = m[8 + col];
        v[col][3] = m[12 + col];
    }
    vgt_drv3d_set_shader_consts(drv, cid, type, reg, (const float(*)[4])v, n);
}

void vgt_drv3d_shaders_from_text(vgt_drv *drv, uint32_t cid, uint32_t vs_id, const char *vs_text,
                                 uint32_t ps_id, const char *ps_text)
{
    vgt_drv3d_define_shader_text(drv, cid, VGT_SVGA3D_SHADERTYPE_VS, vs_id, vs_text);
    vgt_drv3d_define_shader_text(drv, cid, VGT_SVGA3D_SHADERTYPE_PS, ps_id, ps_text);
    vgt_drv3d_set_shader(drv, cid, VGT_SVGA3D_SHADERTYPE_VS, vs_id);
    vgt_drv3d_set_shader(drv, cid, VGT_SVGA3D_SHADERTYPE_PS, ps_id);
}

bool vgt_drv3d_start(vgt_drv *drv, vgt_guest *guest, const char *name, uint32_t w, uint32_t h,
                     bool quiet)
{
    vgt_error err = {0};
    bool no_3d = false;
    if (vgt_drv_init(drv, guest, &err) == VGT_OK &&
        vgt_drv_set_mode(drv, w, h, 32, &err) == VGT_OK) {
        if (vgt_drv3d_init(drv, &err) == VGT_OK) {
            return true;
        }
        no_3d = !(drv->capabilities & VGT_SVGA_CAP_3D);
    }
    if (!quiet) {
        /* vgt run gives every 3D sample a backend (soft by default); only
         * --no-3d (an embedder's enable_3d = false) takes SVGA_CAP_3D away */
        fprintf(stderr, "%s: %s%s\n", name, err.message,
                no_3d ? " (a 3D sample: run it without --no-3d)" : "");
    }
    vgt_drv_fini(drv);
    return false;
}

void vgt_drv3d_define_screen_targets(vgt_drv *drv, uint32_t sid_color, uint32_t sid_depth,
                                     uint32_t w, uint32_t h)
{
    vgt_drv3d_define_surface(drv, sid_color, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET,
                             VGT_SVGA3D_X8R8G8B8, w, h, 1, 1);
    vgt_drv3d_define_surface(drv, sid_depth, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL,
                             VGT_SVGA3D_Z_D24S8, w, h, 1, 1);
}

int vgt_drv_sample_exit(vgt_drv *drv, const char *name, bool quiet)
{
    int rc = 0;
    if (drv->failed) {
        if (!quiet) {
            fprintf(stderr, "%s: %s\n", name, drv->error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(drv);
    return rc;
}

void vgt_drv3d_setup_context(vgt_drv *drv, uint32_t cid, uint32_t color_sid, uint32_t depth_sid,
                             uint32_t w, uint32_t h)
{
    vgt_drv3d_define_context(drv, cid);
    vgt_drv3d_set_render_target(drv, cid, VGT_SVGA3D_RT_COLOR0, color_sid);
    if (depth_sid != VGT_SVGA3D_INVALID_ID) {
        vgt_drv3d_set_render_target(drv, cid, VGT_SVGA3D_RT_DEPTH, depth_sid);
    }
    vgt_drv3d_set_viewport(drv, cid, 0, 0, w, h);
    vgt_drv3d_set_z_range(drv, cid, 0.0f, 1.0f);
}
