/* draw_calls.c - sample "draw-calls" (the paper's draw call
 * microbenchmark): N DRAW_PRIMITIVES per frame, each of the same small
 * triangle (a few pixels) from a static vertex buffer: the fixed cost of a
 * draw call.  --count N (default 100); --native issues N glDrawArrays. */
#include "paper.h"

/* One small triangle near the centre (a few pixels at any mode). */
static const paper_vertex small_triangle[3] = {
    {-0.02f, -0.02f, 0.5f, 0xFFF0C020u},
    {0.0f, 0.02f, 0.5f, 0xFFF0C020u},
    {0.02f, -0.02f, 0.5f, 0xFFF0C020u},
};

static void v_setup(paper_virt *v)
{
    paper_v_static_vb(v, small_triangle, 3);
}

static void v_frame(paper_virt *v, uint32_t f)
{
    (void)f;
    for (uint32_t i = 0; i < v->param && !v->drv.failed; i++) {
        paper_v_draw(v, 0, 1);
    }
}

static vgt_status n_setup(paper_native *n, vgt_error *err)
{
    return paper_n_static_vb(n, small_triangle, 3, err);
}

static void n_frame(paper_native *n, uint32_t f)
{
    (void)f;
    for (uint32_t i = 0; i < n->param; i++) {
        glDrawArrays(GL_TRIANGLES, 0, 3);
    }
    n->draws += n->param;
    n->triangles += n->param;
}

const paper_ops paper_draw_calls_ops = {
    VGT_PAPER_DRAW_CALLS, "draw-calls", "count", 100u, 100000u, v_setup, v_frame, n_setup, n_frame,
};

int vgt_sample_draw_calls(vgt_guest *guest, const vgt_sample_args *args)
{
    return paper_sample_main(guest, &paper_draw_calls_ops, args);
}
