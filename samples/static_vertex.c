/* static_vertex.c - sample "static-vertex" (the paper's static vertex
 * microbenchmark): one static vertex buffer of N zero-area triangles,
 * uploaded once, drawn with one DRAW_PRIMITIVES every frame.  Nothing is
 * rasterised, so the figure is vertex and triangle-setup throughput plus the
 * cost of one draw.  --batch N (default 1000); --native draws the same
 * buffer with glDrawArrays. */
#include "paper.h"

#include <stdlib.h>

static void v_setup(paper_virt *v)
{
    v->scratch = malloc((size_t)v->param * 3u * sizeof(paper_vertex));
    if (!v->scratch) {
        v->drv.failed = true;
        vgt_error_set(&v->drv.error, VGT_E_NOMEM, "out of memory");
        return;
    }
    paper_zero_area_triangles(v->scratch, v->param, 1);
    paper_v_static_vb(v, v->scratch, v->param * 3u);
}

static void v_frame(paper_virt *v, uint32_t f)
{
    (void)f;
    paper_v_draw(v, 0, v->param);
}

static vgt_status n_setup(paper_native *n, vgt_error *err)
{
    n->scratch = malloc((size_t)n->param * 3u * sizeof(paper_vertex));
    if (!n->scratch) {
        return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
    }
    paper_zero_area_triangles(n->scratch, n->param, 1);
    return paper_n_static_vb(n, n->scratch, n->param * 3u, err);
}

static void n_frame(paper_native *n, uint32_t f)
{
    (void)f;
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(n->param * 3u));
    n->draws++;
    n->triangles += n->param;
}

const paper_ops paper_static_vertex_ops = {
    VGT_PAPER_STATIC_VERTEX,
    "static-vertex",
    "batch",
    1000u,
    262144u,
    v_setup,
    v_frame,
    n_setup,
    n_frame,
};

int vgt_sample_static_vertex(vgt_guest *guest, const vgt_sample_args *args)
{
    return paper_sample_main(guest, &paper_static_vertex_ops, args);
}
