/* filled_triangles.c - sample "filled-triangles" (the paper's fill
 * microbenchmark): one static vertex buffer of N triangles, each covering
 * half the viewport (alternately the upper-left and the lower-right half,
 * each its own color), drawn with one DRAW_PRIMITIVES every frame: fill
 * rate.  --batch N (default 16); --native draws the same with glDrawArrays. */
#include "paper.h"

#include <stdlib.h>

static void half_viewport_triangles(paper_vertex *out, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = 0xFF000000u | ((i * 0x9E3779B9u) & 0x00FFFFFFu);
        if (i % 2u == 0) { /* upper left: (-1,-1) (-1,1) (1,1) */
            out[i * 3u + 0] = (paper_vertex){-1.0f, -1.0f, 0.5f, c};
            out[i * 3u + 1] = (paper_vertex){-1.0f, 1.0f, 0.5f, c};
            out[i * 3u + 2] = (paper_vertex){1.0f, 1.0f, 0.5f, c};
        } else { /* lower right: (-1,-1) (1,1) (1,-1) */
            out[i * 3u + 0] = (paper_vertex){-1.0f, -1.0f, 0.5f, c};
            out[i * 3u + 1] = (paper_vertex){1.0f, 1.0f, 0.5f, c};
            out[i * 3u + 2] = (paper_vertex){1.0f, -1.0f, 0.5f, c};
        }
    }
}

static void v_setup(paper_virt *v)
{
    v->scratch = malloc((size_t)v->param * 3u * sizeof(paper_vertex));
    if (!v->scratch) {
        v->drv.failed = true;
        vgt_error_set(&v->drv.error, VGT_E_NOMEM, "out of memory");
        return;
    }
    half_viewport_triangles(v->scratch, v->param);
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
    half_viewport_triangles(n->scratch, n->param);
    return paper_n_static_vb(n, n->scratch, n->param * 3u, err);
}

static void n_frame(paper_native *n, uint32_t f)
{
    (void)f;
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(n->param * 3u));
    n->draws++;
    n->triangles += n->param;
}

const paper_ops paper_filled_triangles_ops = {
    VGT_PAPER_FILLED_TRIANGLES,
    "filled-triangles",
    "batch",
    16u,
    16384u,
    v_setup,
    v_frame,
    n_setup,
    n_frame,
};

int vgt_sample_filled_triangles(vgt_guest *guest, const vgt_sample_args *args)
{
    return paper_sample_main(guest, &paper_filled_triangles_ops, args);
}
