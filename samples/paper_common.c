/* paper_common.c - what the paper's four microbenchmarks share: the
 * virtual side (mode, 3D context, an X8R8G8B8 render target, unlit
 * untextured state with identity transforms, then per frame CLEAR, the
 * benchmark's draws, PRESENT and a fence the guest waits for) and the
 * native side (a headless GL context with the same framebuffer size, the
 * same vertex data and draws, glClear ... glFinish per frame), the timing
 * (one untimed warm-up frame, then `frames` timed frames) and the line
 * `sample=NAME mode=virtual|native [backend=B] param=N frames=F seconds=S`. */
#include "paper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAPER_DEFAULT_FRAMES 60u

static const paper_ops *const all_ops[VGT_PAPER_BENCH_COUNT] = {
    &paper_static_vertex_ops,
    &paper_dynamic_vertex_ops,
    &paper_filled_triangles_ops,
    &paper_draw_calls_ops,
};

const char *vgt_paper_bench_name(vgt_paper_bench b)
{
    return (unsigned)b < VGT_PAPER_BENCH_COUNT ? all_ops[b]->name : "unknown";
}

const char *vgt_paper_bench_param(vgt_paper_bench b)
{
    return (unsigned)b < VGT_PAPER_BENCH_COUNT ? all_ops[b]->param_name : "param";
}

static uint32_t param_of(const paper_ops *ops, const vgt_sample_args *args)
{
    uint32_t p = 0;
    if (args) {
        p = strcmp(ops->param_name, "count") == 0 ? args->count : args->batch;
    }
    return p ? p : ops->default_param;
}

uint32_t vgt_paper_param(vgt_paper_bench b, const vgt_sample_args *args)
{
    return (unsigned)b < VGT_PAPER_BENCH_COUNT ? param_of(all_ops[b], args) : 0;
}

void paper_zero_area_triangles(paper_vertex *out, uint32_t n, uint32_t seed)
{
    uint32_t s = seed * 2654435761u + 12345u;
    for (uint32_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        float x = (float)(s >> 8 & 0xFFFFu) / 65536.0f * 1.6f - 0.8f;
        s = s * 1664525u + 1013904223u;
        float y = (float)(s >> 8 & 0xFFFFu) / 65536.0f * 1.6f - 0.8f;
        uint32_t c = 0xFF000000u | (s & 0x00FFFFFFu);
        /* Three distinct points on one line: a triangle of zero area. */
        for (uint32_t k = 0; k < 3; k++) {
            out[i * 3u + k] = (paper_vertex){x + 0.01f * (float)k, y + 0.02f * (float)k, 0.5f, c};
        }
    }
}

/* ---- virtual ---------------------------------------------------------------- */

void paper_v_draw(paper_virt *v, uint32_t first, uint32_t count)
{
    const vgt_svga3d_vertex_decl decls[2] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {PAPER_SID_VB, first * (uint32_t)sizeof(paper_vertex), sizeof(paper_vertex)},
         0,
         0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_COLOR,
         0,
         {PAPER_SID_VB, first * (uint32_t)sizeof(paper_vertex) + 12u, sizeof(paper_vertex)},
         0,
         0},
    };
    const vgt_svga3d_primitive_range range = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, count, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0,
    };
    vgt_drv3d_draw_primitives(&v->drv, PAPER_CID, decls, 2, &range, 1);
    v->draws++;
    v->triangles += count;
}

void paper_v_static_vb(paper_virt *v, const paper_vertex *verts, uint32_t count)
{
    uint32_t bytes = count * (uint32_t)sizeof(paper_vertex);
    vgt_drv3d_define_surface(&v->drv, PAPER_SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, bytes, 1, 1, 1);
    v->vb_bytes = bytes;
    if (vgt_drv3d_buffer_create(&v->drv, PAPER_GMR_STAGING, bytes, &v->staging) != VGT_OK ||
        vgt_drv3d_upload_buffer(&v->drv, &v->staging, PAPER_SID_VB, verts, bytes) != VGT_OK) {
        if (!v->drv.failed) {
            v->drv.failed = true;
            vgt_error_set(&v->drv.error, VGT_E_NOMEM,
                          "cannot upload the %u-byte vertex buffer through a staging GMR", bytes);
        }
    }
}

vgt_status paper_n_static_vb(paper_native *n, const paper_vertex *verts, uint32_t count,
                             vgt_error *err)
{
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)count * (GLsizeiptr)sizeof(paper_vertex), verts,
                 GL_STATIC_DRAW);
    (void)n;
    return native_gl_check("glBufferData", err);
}

static void v_setup_state(paper_virt *v)
{
    vgt_drv *drv = &v->drv;
    vgt_drv3d_define_surface(drv, PAPER_SID_COLOR, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET,
                             VGT_SVGA3D_X8R8G8B8, v->width, v->height, 1, 1);
    vgt_drv3d_setup_context(drv, PAPER_CID, PAPER_SID_COLOR, VGT_SVGA3D_INVALID_ID, v->width,
                            v->height);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 0},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 0},
        {VGT_SVGA3D_RS_LIGHTINGENABLE, 0},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE},
        {VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_SMOOTH},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
        {VGT_SVGA3D_RS_ALPHATESTENABLE, 0},
        {VGT_SVGA3D_RS_STENCILENABLE, 0},
        {VGT_SVGA3D_RS_FOGENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, PAPER_CID, rs, sizeof(rs) / sizeof(rs[0]));
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(drv, PAPER_CID, ts, sizeof(ts) / sizeof(ts[0]));
    static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    vgt_drv3d_set_transform(drv, PAPER_CID, VGT_SVGA3D_TRANSFORM_WORLD, identity);
    vgt_drv3d_set_transform(drv, PAPER_CID, VGT_SVGA3D_TRANSFORM_VIEW, identity);
    vgt_drv3d_set_transform(drv, PAPER_CID, VGT_SVGA3D_TRANSFORM_PROJECTION, identity);
}

static void v_frame(paper_virt *v, const paper_ops *ops, uint32_t f)
{
    vgt_drv3d_clear(&v->drv, PAPER_CID, VGT_SVGA3D_CLEAR_COLOR, 0xFF102030u, 1.0f, 0, NULL, 0);
    ops->v_frame(v, f);
    vgt_drv3d_present(&v->drv, PAPER_SID_COLOR, NULL, 0);
    if (v->pool.drv) {
        vgt_drv3d_pool_flush(&v->pool);
    }
    vgt_drv_sync_to_fence(&v->drv, vgt_drv_insert_fence(&v->drv));
}

static int run_virtual(vgt_guest *guest, const paper_ops *ops, const vgt_sample_args *args,
                       vgt_paper_result *out)
{
    memset(out, 0, sizeof(*out));
    bool quiet = args && args->quiet;
    paper_virt *v = calloc(1, sizeof(*v));
    if (!v) {
        return 2;
    }
    uint32_t frames = args && args->frames ? args->frames : PAPER_DEFAULT_FRAMES;
    v->width = args && args->width ? args->width : 640u;
    v->height = args && args->height ? args->height : 480u;
    v->param = param_of(ops, args);
    if (v->width < 16 || v->height < 16 || v->param > ops->max_param) {
        if (!quiet) {
            fprintf(stderr,
                    "%s: mode %ux%u (at least 16x16) or --%s %u (at most %u) out of range\n",
                    ops->name, v->width, v->height, ops->param_name, v->param, ops->max_param);
        }
        free(v);
        return 1;
    }
    if (!vgt_drv3d_start(&v->drv, guest, ops->name, v->width, v->height, quiet)) {
        free(v);
        return 2;
    }
    v_setup_state(v);
    ops->v_setup(v);
    /* Warm-up frame (first-use costs: backend programs, JIT, page faults). */
    if (!v->drv.failed) {
        v_frame(v, ops, 0);
    }
    v->draws = v->triangles = v->upload_bytes = 0;
    uint64_t waits0 = v->pool.waits;
    uint64_t t0 = vgt_now_ns();
    for (uint32_t f = 1; f <= frames && !v->drv.failed; f++) {
        v_frame(v, ops, f);
    }
    uint64_t t1 = vgt_now_ns();
    out->frames = frames;
    out->seconds = (double)(t1 - t0) / 1e9;
    out->draws = v->draws;
    out->triangles = v->triangles;
    out->upload_bytes = v->upload_bytes;
    out->pool_waits = v->pool.waits - waits0;

    vgt_drv3d_destroy_context(&v->drv, PAPER_CID);
    vgt_drv3d_destroy_surface(&v->drv, PAPER_SID_COLOR);
    vgt_drv3d_destroy_surface(&v->drv, PAPER_SID_VB);
    vgt_drv_sync_to_fence(&v->drv, vgt_drv_insert_fence(&v->drv));
    vgt_drv3d_pool_destroy(&v->pool);
    if (v->staging.ptr) {
        vgt_drv3d_buffer_destroy(&v->drv, &v->staging);
    }
    int rc = 0;
    if (v->drv.failed) {
        if (!quiet) {
            fprintf(stderr, "%s: %s\n", ops->name, v->drv.error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(&v->drv);
    free(v->scratch);
    free(v);
    return rc;
}

int vgt_paper_run_virtual(vgt_guest *guest, vgt_paper_bench b, const vgt_sample_args *args,
                          vgt_paper_result *out)
{
    if ((unsigned)b >= VGT_PAPER_BENCH_COUNT) {
        return 1;
    }
    return run_virtual(guest, all_ops[b], args, out);
}

/* ---- native ----------------------------------------------------------------- */

static vgt_status run_native(const paper_ops *ops, const vgt_sample_args *args,
                             vgt_paper_result *out, vgt_image *last, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    if (last) {
        memset(last, 0, sizeof(*last));
    }
    paper_native n;
    memset(&n, 0, sizeof(n));
    uint32_t frames = args && args->frames ? args->frames : PAPER_DEFAULT_FRAMES;
    n.width = args && args->width ? args->width : 640u;
    n.height = args && args->height ? args->height : 480u;
    n.param = param_of(ops, args);
    if (n.width < 16 || n.height < 16 || n.param > ops->max_param) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s: mode %ux%u (at least 16x16) or --%s %u (at most %u) out of range",
                             ops->name, n.width, n.height, ops->param_name, n.param,
                             ops->max_param);
    }
    vgt_status st = vgt_native_gl_create(n.width, n.height, &n.gl, err);
    if (st != VGT_OK) {
        return st;
    }
    const native_prog *prog = native_gl_unlit(n.gl);
    if (!prog) {
        vgt_native_gl_destroy(n.gl);
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "native gl: the unlit program does not build");
    }
    glUseProgram(prog->program);
    native_gl_set_mvp(n.gl, NULL);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_BLEND);
    glClearColor(0x10 / 255.0f, 0x20 / 255.0f, 0x30 / 255.0f, 1.0f);
    glGenBuffers(1, &n.vbo);
    glBindBuffer(GL_ARRAY_BUFFER, n.vbo);
    st = ops->n_setup(&n, err);
    if (st == VGT_OK) {
        native_gl_vertex_layout(sizeof(paper_vertex));
        st = native_gl_check("setup", err);
    }
    uint64_t t0 = 0, t1 = 0;
    if (st == VGT_OK) {
        for (uint32_t f = 0; f <= frames; f++) {
            if (f == 1) {
                n.draws = n.triangles = n.upload_bytes = 0;
                t0 = vgt_now_ns();
            }
            glClear(GL_COLOR_BUFFER_BIT);
            ops->n_frame(&n, f);
            glFinish();
        }
        t1 = vgt_now_ns();
        st = native_gl_check(ops->name, err);
    }
    if (st == VGT_OK && last) {
        st = vgt_native_gl_read(n.gl, last, err);
    }
    out->frames = frames;
    out->seconds = (double)(t1 - t0) / 1e9;
    out->draws = n.draws;
    out->triangles = n.triangles;
    out->upload_bytes = n.upload_bytes;
    glDeleteBuffers(1, &n.vbo);
    free(n.scratch);
    vgt_native_gl_destroy(n.gl);
    return st;
}

vgt_status vgt_paper_run_native(vgt_paper_bench b, const vgt_sample_args *args,
                                vgt_paper_result *out, vgt_image *last, vgt_error *err)
{
    if ((unsigned)b >= VGT_PAPER_BENCH_COUNT) {
        return vgt_error_set(err, VGT_E_INVALID, "unknown microbenchmark %d", (int)b);
    }
    return run_native(all_ops[b], args, out, last, err);
}

/* ---- the sample entry ---------------------------------------------------------- */

int paper_sample_main(vgt_guest *guest, const paper_ops *ops, const vgt_sample_args *args)
{
    bool quiet = args && args->quiet;
    vgt_paper_result r;
    const char *mode = "virtual";
    if (args && args->native) {
        mode = "native";
        vgt_error err = {0};
        vgt_status st = run_native(ops, args, &r, NULL, &err);
        if (st != VGT_OK) {
            if (!quiet) {
                fprintf(stderr, "%s: %s\n", ops->name, err.message);
            }
            return st == VGT_E_RANGE ? 1 : 2;
        }
    } else {
        int rc = run_virtual(guest, ops, args, &r);
        if (rc != 0) {
            return rc;
        }
    }
    if (!quiet) {
        char backend[48] = "";
        if (!(args && args->native)) {
            snprintf(backend, sizeof(backend), " backend=%s",
                     args && args->backend ? args->backend : "unknown");
        }
        printf("sample=%s mode=%s%s param=%u frames=%u seconds=%.6f\n", ops->name, mode, backend,
               param_of(ops, args), r.frames, r.seconds);
        fflush(stdout);
    }
    return 0;
}
