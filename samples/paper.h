/* paper.h - private to samples/: the frame of the paper's microbenchmarks
 * (static-vertex, dynamic-vertex, filled-triangles, draw-calls).  Each
 * benchmark file gives a paper_ops: how to set up and draw one frame
 * virtualized (SVGA3D through the guest driver) and natively (the
 * equivalent OpenGL calls); paper_common.c does the rest (mode, context,
 * render target, unlit state, clear/present/fence per frame, timing, the
 * machine-readable line). */
#ifndef VGT_SAMPLES_PAPER_H
#define VGT_SAMPLES_PAPER_H

#include "native_gl.h"
#include "vgt_samples.h"

enum {
    PAPER_CID = 1,
    PAPER_SID_COLOR = 1,
    PAPER_SID_VB = 2,
    PAPER_GMR_STAGING = 1, /* vgt_drv3d_buffer for static uploads */
    PAPER_GMR_POOL = 8,    /* first GMR of the DMA pool */
};

/* The vertex of every microbenchmark: position and D3DCOLOR (as cube). */
typedef struct paper_vertex {
    float x, y, z;
    uint32_t color;
} paper_vertex;

/* The virtualized side of a run. */
typedef struct paper_virt {
    vgt_drv drv;
    vgt_drv3d_pool pool; /* created by a benchmark that needs one */
    vgt_drv3d_buffer staging;
    uint32_t param, width, height;
    uint64_t draws, triangles, upload_bytes;
    paper_vertex *scratch; /* benchmark-owned vertex memory (freed by the frame) */
    uint32_t vb_bytes;
} paper_virt;

/* The native side of a run (current GL context). */
typedef struct paper_native {
    vgt_native_gl *gl;
    uint32_t param, width, height;
    uint64_t draws, triangles, upload_bytes;
    GLuint vbo;
    paper_vertex *scratch;
} paper_native;

typedef struct paper_ops {
    vgt_paper_bench id;
    const char *name;       /* sample name */
    const char *param_name; /* "batch" or "count" */
    uint32_t default_param;
    uint32_t max_param;
    /* Virtual: define and fill PAPER_SID_VB (and a pool) after the common
     * state; report failures through v->drv.failed. */
    void (*v_setup)(paper_virt *v);
    /* Virtual: the draws of frame f (between CLEAR and PRESENT). */
    void (*v_frame)(paper_virt *v, uint32_t f);
    /* Native: create and fill n->vbo (bound). */
    vgt_status (*n_setup)(paper_native *n, vgt_error *err);
    /* Native: the draws of frame f (between glClear and glFinish). */
    void (*n_frame)(paper_native *n, uint32_t f);
} paper_ops;

extern const paper_ops paper_static_vertex_ops;
extern const paper_ops paper_dynamic_vertex_ops;
extern const paper_ops paper_filled_triangles_ops;
extern const paper_ops paper_draw_calls_ops;

/* The sample entry shared by the four samples: native or virtual by
 * args->native, prints `sample=... mode=... ...` unless quiet. */
int paper_sample_main(vgt_guest *guest, const paper_ops *ops, const vgt_sample_args *args);

/* DRAW_PRIMITIVES of `count` triangles of PAPER_SID_VB from vertex `first`
 * (non-indexed triangle list). */
void paper_v_draw(paper_virt *v, uint32_t first, uint32_t count);

/* Vertices of N zero-area triangles (three distinct points on a line, so
 * nothing is rasterised but every vertex is transformed and every
 * triangle set up), spread over the viewport by `seed`. */
void paper_zero_area_triangles(paper_vertex *out, uint32_t n, uint32_t seed);

/* Virtual: defines PAPER_SID_VB (static) holding `count` vertices and
 * uploads them once through a staging GMR. */
void paper_v_static_vb(paper_virt *v, const paper_vertex *verts, uint32_t count);
/* Native: fills the bound n->vbo with `count` vertices (GL_STATIC_DRAW). */
vgt_status paper_n_static_vb(paper_native *n, const paper_vertex *verts, uint32_t count,
                             vgt_error *err);

#endif /* VGT_SAMPLES_PAPER_H */
