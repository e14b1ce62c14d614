/* dynamic_vertex.c - sample "dynamic-vertex" (the paper's dynamic vertex
 * microbenchmark): 100 draws per frame, each preceded by an upload of N
 * fresh zero-area triangles.  Virtualized, the guest writes the vertices
 * into a DMA pool buffer (a ring of GMR-backed staging buffers reused after
 * their fences) and SURFACE_DMAs them into the vertex buffer before each
 * draw; natively, glMapBufferRange with GL_MAP_INVALIDATE_BUFFER_BIT (the
 * GL form of a D3D lock with DISCARD) and the vertices written in place.
 * --batch N (default 100). */
#include "paper.h"

#include <stdlib.h>

#define POOL_SLOTS    4u
#define POOL_MIN_SLOT (256u * 1024u)

static void v_setup(paper_virt *v)
{
    uint32_t bytes = v->param * 3u * (uint32_t)sizeof(paper_vertex);
    vgt_drv3d_define_surface(&v->drv, PAPER_SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_DYNAMIC,
                             VGT_SVGA3D_BUFFER, bytes, 1, 1, 1);
    v->vb_bytes = bytes;
    vgt_error err = {0};
    if (vgt_drv3d_pool_create(&v->drv, PAPER_GMR_POOL, POOL_SLOTS,
                              bytes > POOL_MIN_SLOT ? bytes : POOL_MIN_SLOT, &v->pool,
                              &err) != VGT_OK &&
        !v->drv.failed) {
        v->drv.failed = true;
        v->drv.error = err;
    }
}

static void v_frame(paper_virt *v, uint32_t f)
{
    for (uint32_t d = 0; d < VGT_PAPER_DYNAMIC_DRAWS && !v->drv.failed; d++) {
        vgt_svga_guest_ptr g;
        paper_vertex *p = vgt_drv3d_pool_alloc(&v->pool, v->vb_bytes, &g);
        if (!p) {
            if (!v->drv.failed) {
                v->drv.failed = true;
                vgt_error_set(&v->drv.error, VGT_E_RANGE, "DMA pool allocation failed");
            }
            return;
        }
        /* Fresh vertices, written straight into the staging buffer. */
        paper_zero_area_triangles(p, v->param, f * VGT_PAPER_DYNAMIC_DRAWS + d);
        vgt_svga3d_copy_box box = {0, 0, 0, v->vb_bytes, 1, 1, 0, 0, 0};
        vgt_svga3d_dma_suffix suffix = {sizeof(suffix), v->vb_bytes, 0};
        vgt_drv3d_surface_dma(&v->drv, g, 0, (vgt_svga3d_surface_image_id){PAPER_SID_VB, 0, 0},
                              VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, &suffix);
        v->upload_bytes += v->vb_bytes;
        paper_v_draw(v, 0, v->param);
    }
}

static vgt_status n_setup(paper_native *n, vgt_error *err)
{
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)n->param * 3 * (GLsizeiptr)sizeof(paper_vertex), NULL,
                 GL_STREAM_DRAW);
    return native_gl_check("glBufferData", err);
}

static void n_frame(paper_native *n, uint32_t f)
{
    GLsizeiptr bytes = (GLsizeiptr)n->param * 3 * (GLsizeiptr)sizeof(paper_vertex);
    for (uint32_t d = 0; d < VGT_PAPER_DYNAMIC_DRAWS; d++) {
        /* The D3D "lock with DISCARD, write, unlock" of a dynamic buffer:
         * map with invalidation and write the fresh vertices in place. */
        paper_vertex *p = glMapBufferRange(GL_ARRAY_BUFFER, 0, bytes,
                                           GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_BUFFER_BIT);
        if (!p) {
            return;
        }
        paper_zero_area_triangles(p, n->param, f * VGT_PAPER_DYNAMIC_DRAWS + d);
        glUnmapBuffer(GL_ARRAY_BUFFER);
        glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(n->param * 3u));
        n->upload_bytes += (uint64_t)bytes;
        n->draws++;
        n->triangles += n->param;
    }
}

const paper_ops paper_dynamic_vertex_ops = {
    VGT_PAPER_DYNAMIC_VERTEX,
    "dynamic-vertex",
    "batch",
    100u,
    65536u,
    v_setup,
    v_frame,
    n_setup,
    n_frame,
};

int vgt_sample_dynamic_vertex(vgt_guest *guest, const vgt_sample_args *args)
{
    return paper_sample_main(guest, &paper_dynamic_vertex_ops, args);
}
