/* bench_gl.c - `vgt bench gl`.
 *
 * 1. draw calls: many small draws (a SETTRANSFORM WORLD and a 2-triangle
 *    DRAW_PRIMITIVES each) decoded and executed by the executor on the gl
 *    backend, beside a native GL path in the same process and context that
 *    issues the equivalent GL calls (one uniform update and one glDrawArrays
 *    per draw, same vertex format, same targets).
 * 2. static vertices: one big vertex buffer (uploaded once) drawn per frame,
 *    executor + gl backend beside the native glDrawArrays.
 * For both: CPU time per draw to submit (the loop), and the time including
 * glFinish; the ratio executor/native is the figure (target <= 1.5x). The
 * commands are built before the timed loop (that is the guest's work, as
 * the native path's matrix is its own); the loop decodes and executes them.
 * The native path has its own GL context (as a native program would), and
 * the two run in alternating rounds: on a shared 2-CPU host the speed of a
 * thread moves by up to 2x from one second (and process) to the next, so
 * the figure is the median of the per-round ratios, beside the totals.
 * 3. fill rate: a full-target textured alpha-blended quad through the
 *    executor on the soft backend and on the gl backend (Mesa llvmpipe),
 *    in Mpixel/s, measured in the same run. */
#include "bench_gl.h"

#include <epoxy/gl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vgt_gl.h"
#include "vgt_samples.h"
#include "bench_args.h"
#include "bench_scene.h"

enum { SID_RT = 1, SID_DS = 2, SID_TEX = 3, SID_QUAD = 4, SID_BIG = 5 };

static void world(bench_cmd *c, float tx, float ty)
{
    bench_begin(c, VGT_SVGA3D_CMD_SETTRANSFORM);
    bench_put(c, BENCH_CID);
    bench_put(c, VGT_SVGA3D_TRANSFORM_WORLD);
    const float m[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, tx, ty, 0, 1};
    for (int i = 0; i < 16; i++) {
        bench_putf(c, m[i]);
    }
    bench_run(c);
}

/* ---- scenes ---------------------------------------------------------------------- */

typedef struct scenes {
    bench_vtx quad[6]; /* a small quad (draw calls) */
    bench_vtx full[6]; /* the full target (fill rate) */
    bench_vtx *big;    /* static vertices */
    uint32_t big_tris;
} scenes;

static void make_quad(bench_vtx *q, float x0, float y0, float x1, float y1, uint32_t color,
                      float uv)
{
    bench_vtx v[6] = {{x0, y1, 0.5f, color, 0, 0},  {x1, y1, 0.5f, color, uv, 0},
                      {x0, y0, 0.5f, color, 0, uv}, {x0, y0, 0.5f, color, 0, uv},
                      {x1, y1, 0.5f, color, uv, 0}, {x1, y0, 0.5f, color, uv, uv}};
    memcpy(q, v, sizeof(v));
}

/* Sets up an executor on `kind` with targets, texture and buffers. */
static vgt_status setup(bench_cmd *c, bench_mem *mem, vgt_backend_kind kind, uint32_t size,
                        const scenes *sc)
{
    vgt_status st = bench_cmd_open(c, mem, kind);
    if (st != VGT_OK) {
        return st;
    }
    bench_define(c, SID_RT, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, size, size);
    bench_define(c, SID_DS, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, size, size);
    bench_define(c, SID_TEX, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 256, 256);
    bench_tex_fill((uint32_t *)(void *)mem->gmr);
    bench_dma_up(c, SID_TEX, 1024, 256, 256);
    uint32_t qb = (uint32_t)sizeof(sc->quad) * 2;
    bench_define(c, SID_QUAD, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, qb, 1);
    memcpy(mem->gmr, sc->quad, sizeof(sc->quad));
    memcpy(mem->gmr + sizeof(sc->quad), sc->full, sizeof(sc->full));
    bench_dma_up(c, SID_QUAD, qb, qb, 1);
    uint32_t bb = sc->big_tris * 3u * (uint32_t)sizeof(bench_vtx);
    bench_define(c, SID_BIG, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bb, 1);
    memcpy(mem->gmr, sc->big, bb);
    bench_dma_up(c, SID_BIG, bb, bb, 1);
    bench_context(c, SID_RT, SID_DS);
    bench_rs(c, VGT_SVGA3D_RS_ZENABLE, 1);
    /* the native path draws with culling off: so do these (Direct3D's default culls) */
    bench_rs(c, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    bench_ts(c, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1);
    bench_ts(c, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE);
    bench_ts(c, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1);
    bench_ts(c, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE);
    bench_clear(c);
    return c->failed ? c->err.code : VGT_OK;
}

static void finish(bench_cmd *c)
{
    const vgt_backend *be = vgt_executor_backend(c->ex);
    if (be && be->ops && strcmp(be->ops->name, "gl") == 0) {
        vgt_backend_gl_make_current(be);
        glFinish();
    }
}

typedef struct timing {
    double submit_ns, total_ns; /* per draw, wall clock */
    /* per draw, the submitting thread's CPU time (vgt_thread_cpu_ns): on a
     * shared 2-CPU host the submit loop's wall clock also counts the time
     * other processes (and llvmpipe's rasterizer threads) held the CPU */
    double submit_cpu_ns;
} timing;

/* Records `draws` SETTRANSFORM + DRAW_PRIMITIVES pairs (the guest's part,
 * not timed); exec_draw_calls plays them. */
static void record_draw_calls(bench_cmd *c, uint32_t draws)
{
    bench_record_begin(c);
    for (uint32_t i = 0; i < draws && !c->failed; i++) {
        world(c, (float)(i % 37) * 0.04f - 0.7f, (float)(i % 29) * 0.05f - 0.7f);
        bench_draw(c, SID_QUAD, 2);
    }
    bench_record_end(c);
}

static timing exec_draw_calls(bench_cmd *c, uint32_t draws)
{
    timing t;
    vgt_backend_gl_make_current(vgt_executor_backend(c->ex));
    bench_clear(c);
    finish(c);
    uint64_t c0 = vgt_thread_cpu_ns();
    uint64_t t0 = vgt_now_ns();
    bench_play(c);
    uint64_t t1 = vgt_now_ns();
    uint64_t c1 = vgt_thread_cpu_ns();
    finish(c);
    uint64_t t2 = vgt_now_ns();
    t.submit_ns = (double)(t1 - t0) / draws;
    t.submit_cpu_ns = (double)(c1 - c0) / draws;
    t.total_ns = (double)(t2 - t0) / draws;
    return t;
}

/* The draw-call loop with a vs_2_0 + ps_2_0 pair bound: SET_SHADER_CONST
 * (the translation in c4) + DRAW_PRIMITIVES per draw, as the fixed-function
 * loop's SETTRANSFORM + DRAW_PRIMITIVES.  Unbinds the shaders after. */
static timing exec_shader_draw_calls(bench_cmd *c, uint32_t draws)
{
    static const char vs[] = "vs_2_0\ndef c0, 1, 0, 0, 0\ndef c1, 0, 1, 0, 0\n"
                             "def c2, 0, 0, 1, 0\ndcl_position v0\ndcl_color v1\n"
                             "mov r0, v0\nadd r0.xy, r0, c4\nm3x3 oPos.xyz, r0, c0\n"
                             "mov oPos.w, c0.x\nmov oD0, v1\n";
    static const char ps[] = "ps_2_0\ndcl v0\nmov oC0, v0\n";
    const char *text[2] = {vs, ps};
    timing t = {0, 0, 0};
    for (uint32_t k = 0; k < 2 && !c->failed; k++) {
        uint32_t *w = NULL;
        size_t n = 0;
        if (vgt_shader_assemble(text[k], strlen(text[k]), &w, &n, NULL, &c->err)) {
            c->failed = true;
            return t;
        }
        if (n + 5 > sizeof(c->w) / sizeof(c->w[0])) { /* the command buffer's size */
            free(w);
            c->failed = true;
            vgt_error_set(&c->err, VGT_E_RANGE, "bench shader of %zu words is too long", n);
            return t;
        }
        bench_begin(c, VGT_SVGA3D_CMD_SHADER_DEFINE);
        bench_put(c, BENCH_CID);
        bench_put(c, 1);
        bench_put(c, k ? VGT_SVGA3D_SHADERTYPE_PS : VGT_SVGA3D_SHADERTYPE_VS);
        for (size_t i = 0; i < n; i++) {
            bench_put(c, w[i]);
        }
        free(w);
        bench_run(c);
        bench_begin(c, VGT_SVGA3D_CMD_SET_SHADER);
        bench_put(c, BENCH_CID);
        bench_put(c, k ? VGT_SVGA3D_SHADERTYPE_PS : VGT_SVGA3D_SHADERTYPE_VS);
        bench_put(c, 1);
        bench_run(c);
    }
    bench_clear(c);
    uint64_t t0 = 0, t1 = 0, c0 = 0, c1 = 0;
    for (int pass = 0; pass < 2; pass++) { /* pass 0 links the program */
        uint32_t nd = pass ? draws : 100;
        bench_record_begin(c); /* the guest's part is not timed */
        for (uint32_t i = 0; i < nd && !c->failed; i++) {
            bench_begin(c, VGT_SVGA3D_CMD_SET_SHADER_CONST);
            bench_put(c, BENCH_CID);
            bench_put(c, 4);
            bench_put(c, VGT_SVGA3D_SHADERTYPE_VS);
            bench_put(c, VGT_SVGA3D_CONST_TYPE_FLOAT);
            bench_putf(c, (float)(i % 37) * 0.04f - 0.7f);
            bench_putf(c, (float)(i % 29) * 0.05f - 0.7f);
            bench_putf(c, 0);
            bench_putf(c, 0);
            bench_run(c);
            bench_draw(c, SID_QUAD, 2);
        }
        bench_record_end(c);
        finish(c);
        c0 = vgt_thread_cpu_ns();
        t0 = vgt_now_ns();
        bench_play(c);
        t1 = vgt_now_ns();
        c1 = vgt_thread_cpu_ns();
    }
    finish(c);
    uint64_t t2 = vgt_now_ns();
    t.submit_ns = (double)(t1 - t0) / draws;
    t.submit_cpu_ns = (double)(c1 - c0) / draws;
    t.total_ns = (double)(t2 - t0) / draws;
    for (uint32_t k = 0; k < 2; k++) {
        bench_begin(c, VGT_SVGA3D_CMD_SET_SHADER);
        bench_put(c, BENCH_CID);
        bench_put(c, k ? VGT_SVGA3D_SHADERTYPE_PS : VGT_SVGA3D_SHADERTYPE_VS);
        bench_put(c, VGT_SVGA3D_INVALID_ID);
        bench_run(c);
    }
    return t;
}

static timing exec_static(bench_cmd *c, uint32_t frames, uint32_t tris)
{
    timing t;
    world(c, 0, 0);
    bench_clear(c);
    finish(c);
    uint64_t c0 = vgt_thread_cpu_ns();
    uint64_t t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames && !c->failed; f++) {
        bench_draw(c, SID_BIG, tris);
    }
    uint64_t t1 = vgt_now_ns();
    uint64_t c1 = vgt_thread_cpu_ns();
    finish(c);
    uint64_t t2 = vgt_now_ns();
    t.submit_ns = (double)(t1 - t0) / frames;
    t.submit_cpu_ns = (double)(c1 - c0) / frames;
    t.total_ns = (double)(t2 - t0) / frames;
    return t;
}

/* Fill rate (Mpixel/s) of the full-target textured blended quad. */
static double exec_fill(bench_cmd *c, uint32_t size, uint32_t frames)
{
    world(c, 0, 0);
    bench_rs(c, VGT_SVGA3D_RS_ZENABLE, 0);
    bench_rs(c, VGT_SVGA3D_RS_BLENDENABLE, 1);
    bench_rs(c, VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_SRCALPHA);
    bench_rs(c, VGT_SVGA3D_RS_DSTBLEND, VGT_SVGA3D_BLENDOP_INVSRCALPHA);
    bench_ts(c, VGT_SVGA3D_TS_BIND_TEXTURE, SID_TEX);
    bench_ts(c, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE);
    bench_ts(c, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE);
    bench_ts(c, VGT_SVGA3D_TS_COLORARG2, VGT_SVGA3D_TA_DIFFUSE);
    bench_ts(c, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    bench_ts(c, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    finish(c);
    uint64_t t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames && !c->failed; f++) {
        /* the full-target quad is the second 6 vertices of SID_QUAD */
        bench_draw_at(c, SID_QUAD, 6u * (uint32_t)sizeof(bench_vtx), 2);
    }
    finish(c);
    return bench_mpixel_s(size, frames, t0);
}

/* ---- the native GL path ------------------------------------------------------------ */

static const char *native_vs =
    "#version 330 core\n"
    "layout(location = 0) in vec3 pos;\n"
    "layout(location = 2) in vec4 color;\n"
    "uniform mat4 u_world;\n"
    "out vec4 v_color;\n"
    "void main() { gl_Position = u_world * vec4(pos, 1.0); v_color = color; }\n";
static const char *native_fs = "#version 330 core\n"
                               "in vec4 v_color;\n"
                               "layout(location = 0) out vec4 o;\n"
                               "void main() { o = v_color; }\n";

typedef struct native {
    GLuint prog, vao, vb_quad, vb_big, fbo, color, depth;
    GLint loc_world;
} native;

static GLuint shader(GLenum type, const char *src)
{
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &src, NULL);
    glCompileShader(s);
    return s;
}

static void native_setup(native *n, uint32_t size, const scenes *sc)
{
    memset(n, 0, sizeof(*n));
    n->prog = glCreateProgram();
    GLuint vs = shader(GL_VERTEX_SHADER, native_vs), fs = shader(GL_FRAGMENT_SHADER, native_fs);
    glAttachShader(n->prog, vs);
    glAttachShader(n->prog, fs);
    glLinkProgram(n->prog);
    glDeleteShader(vs);
    glDeleteShader(fs);
    n->loc_world = glGetUniformLocation(n->prog, "u_world");
    glGenTextures(1, &n->color);
    glBindTexture(GL_TEXTURE_2D, n->color);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, (GLsizei)size, (GLsizei)size);
    glGenTextures(1, &n->depth);
    glBindTexture(GL_TEXTURE_2D, n->depth);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_DEPTH24_STENCIL8, (GLsizei)size, (GLsizei)size);
    glGenFramebuffers(1, &n->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, n->fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, n->color, 0);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_TEXTURE_2D, n->depth, 0);
    GLenum db = GL_COLOR_ATTACHMENT0;
    glDrawBuffers(1, &db);
    glGenVertexArrays(1, &n->vao);
    glBindVertexArray(n->vao);
    glGenBuffers(1, &n->vb_quad);
    glBindBuffer(GL_ARRAY_BUFFER, n->vb_quad);
    glBufferData(GL_ARRAY_BUFFER, sizeof(sc->quad), sc->quad, GL_STATIC_DRAW);
    glGenBuffers(1, &n->vb_big);
    glBindBuffer(GL_ARRAY_BUFFER, n->vb_big);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)sc->big_tris * 3 * (GLsizeiptr)sizeof(bench_vtx),
                 sc->big, GL_STATIC_DRAW);
    glUseProgram(n->prog);
    glViewport(0, 0, (GLsizei)size, (GLsizei)size);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    glDisable(GL_STENCIL_TEST);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
    glDepthMask(GL_TRUE);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}

static void native_vertices(GLuint vb)
{
    glBindBuffer(GL_ARRAY_BUFFER, vb);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, sizeof(bench_vtx), (const void *)0);
    glVertexAttribPointer(2, GL_BGRA, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(bench_vtx),
                          (const void *)12);
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(2);
}

static void native_clear(void)
{
    glClearColor(0, 0, 0, 1);
    glClearDepth(1.0);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    glFinish();
}

static timing native_draw_calls(native *n, uint32_t draws)
{
    timing t;
    native_vertices(n->vb_quad);
    native_clear();
    uint64_t c0 = vgt_thread_cpu_ns();
    uint64_t t0 = vgt_now_ns();
    for (uint32_t i = 0; i < draws; i++) {
        float tx = (float)(i % 37) * 0.04f - 0.7f, ty = (float)(i % 29) * 0.05f - 0.7f;
        const float m[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, tx, ty, 0, 1};
        glUniformMatrix4fv(n->loc_world, 1, GL_FALSE, m);
        glDrawArrays(GL_TRIANGLES, 0, 6);
    }
    uint64_t t1 = vgt_now_ns();
    uint64_t c1 = vgt_thread_cpu_ns();
    glFinish();
    uint64_t t2 = vgt_now_ns();
    t.submit_ns = (double)(t1 - t0) / draws;
    t.submit_cpu_ns = (double)(c1 - c0) / draws;
    t.total_ns = (double)(t2 - t0) / draws;
    return t;
}

static timing native_static(native *n, uint32_t frames, uint32_t tris)
{
    timing t;
    native_vertices(n->vb_big);
    const float m[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    glUniformMatrix4fv(n->loc_world, 1, GL_FALSE, m);
    native_clear();
    uint64_t c0 = vgt_thread_cpu_ns();
    uint64_t t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames; f++) {
        glDrawArrays(GL_TRIANGLES, 0, (GLsizei)tris * 3);
    }
    uint64_t t1 = vgt_now_ns();
    uint64_t c1 = vgt_thread_cpu_ns();
    glFinish();
    uint64_t t2 = vgt_now_ns();
    t.submit_ns = (double)(t1 - t0) / frames;
    t.submit_cpu_ns = (double)(c1 - c0) / frames;
    t.total_ns = (double)(t2 - t0) / frames;
    return t;
}

static void native_free(native *n)
{
    glDeleteProgram(n->prog);
    glDeleteVertexArrays(1, &n->vao);
    glDeleteBuffers(1, &n->vb_quad);
    glDeleteBuffers(1, &n->vb_big);
    glDeleteFramebuffers(1, &n->fbo);
    glDeleteTextures(1, &n->color);
    glDeleteTextures(1, &n->depth);
}

/* ---- main ---------------------------------------------------------------------------- */

/* ---- shader translation (issue 11) ------------------------------------------ */

/* The corpus: the shaders sample's ripple and checkerboard, a lit vs_3_0
 * with a loop over lights, its textured ps_3_0, and a ps_3_0 with flow
 * control and subroutines. */
static const char *const corpus[] = {
    "vs_2_0\ndef c5, 0, 1, 0.5, 0.159154937\ndef c6, 6.28318548, -3.14159274, 0.35, 0.65\n"
    "def c7, -1.55009923e-06, -2.17013894e-05, 0.00260416674, 0.00026041668\n"
    "def c8, -0.020833334, -0.125, 1, 0.5\ndcl_position v0\nmul r0, v0, v0\n"
    "add r0.x, r0.x, r0.z\nrsq r0.y, r0.x\nmul r0.y, r0.x, r0.y\nmad r0.z, r0.y, c4.y, -c4.x\n"
    "mad r0.z, r0.z, c5.w, c5.z\nfrc r0.z, r0.z\nmad r0.z, r0.z, c6.x, c6.y\n"
    "sincos r1.xy, r0.z, c7, c8\nmov r2, v0\nmul r2.y, r1.y, c4.z\nm4x4 oPos, r2, c0\n"
    "mad oD0, r1.x, c6.z, c6.w\nmov oT0, v0.xzyw\n",
    "ps_2_0\ndef c0, 4, 0.5, 1, 0\ndef c1, 0.95, 0.78, 0.25, 1\ndef c2, 0.12, 0.32, 0.72, 1\n"
    "dcl t0.xy\ndcl v0\nmul r0.xy, t0, c0.x\nfrc r0.xy, r0\nadd r0.xy, r0, -c0.y\n"
    "mul r0.x, r0.x, r0.y\ncmp r1, r0.x, c1, c2\nmul r1.xyz, r1, v0\nmov oC0, r1\n",
    "vs_3_0\ndef c9, 0, 0, 0, 0\ndcl_position v0\ndcl_normal v1\ndcl_texcoord v2\n"
    "dcl_position o0\ndcl_texcoord0 o1\ndcl_color0 o2\ndcl_texcoord1 o3\nm4x4 o0, v0, c0\n"
    "mov o1, v2\nmov r0, c8\nloop aL, i0\ndp3 r1.x, v1, c10[aL]\nmax r1.x, r1.x, c9.x\n"
    "mad r0, r1.x, c11[aL], r0\nendloop\nmov o2, r0\nmov o3, v1\n",
    "ps_3_0\ndef c0, 0, 0, -1, 24\ndef c1, -0.48666426, 0.58399711, -0.64888568, 0\n"
    "def c2, 0.9, 0.9, 0.8, 0\ndcl_texcoord0 v0\ndcl_color0 v1\ndcl_texcoord1 v2\ndcl_2d s0\n"
    "texld r0, v0, s0\nmul r0, r0, v1\nnrm r1.xyz, v2\nadd r2.xyz, c1, -c0\nnrm r2.xyz, r2\n"
    "dp3 r3.x, r1, r2\nmax r3.x, r3.x, c0.x\npow r3.x, r3.x, c0.w\nmad r0.xyz, r3.x, c2, r0\n"
    "mov oC0, r0\n",
    "ps_3_0\ndefi i0, 4, 0, 1, 0\ndcl_texcoord v0\ndcl_2d s0\ndcl vPos.xy\nmov r0, v0\n"
    "rep i0\nsetp_gt p0, r0, c0\n(p0) add r0, r0, -c1\nbreakp p0.y\nendrep\n"
    "if_lt vPos.x, c2.x\ntexld r1, r0, s0\nelse\ndsx r1, r0\nendif\ncall l0\nmov oC0, r1\nret\n"
    "label l0\ntexkill r0\nlog r1.w, r1.x\nret\n",
};

/* Prints the mean translation time per shader beside the fixed-function
 * GLSL generation time; 0 or 2 (a corpus shader does not assemble). */
static int bench_translation(void)
{
    enum { N = sizeof(corpus) / sizeof(corpus[0]) };
    uint32_t *words[N] = {0};
    size_t nwords[N] = {0};
    vgt_error err = {0};
    int rc = 0;
    for (size_t i = 0; i < N && rc == 0; i++) {
        if (vgt_shader_assemble(corpus[i], strlen(corpus[i]), &words[i], &nwords[i], NULL, &err)) {
            fprintf(stderr, "vgt bench: gl: corpus shader %zu: %s\n", i, err.message);
            rc = 2;
        }
    }
    double tr = 0, pa = 0, ff = 0;
    if (rc == 0 && vgt_gl_translate_bench((const uint32_t *const *)words, nwords, N, 2000, &tr, &pa,
                                          &ff, &err)) {
        fprintf(stderr, "vgt bench: gl: %s\n", err.message);
        rc = 2;
    }
    if (rc == 0) {
        printf("shader translation: %d shaders (vs/ps 2.0 and 3.0), 2000 rounds\n", (int)N);
        printf("  D3D9 bytecode -> GLSL %7.2f us/shader (+ parse %.2f us)   fixed-function GLSL "
               "%7.2f us/program\n",
               tr, pa, ff);
    }
    for (size_t i = 0; i < N; i++) {
        free(words[i]);
    }
    return rc;
}

static int usage_error(const char *arg)
{
    fprintf(stderr,
            "vgt bench: gl: bad argument '%s' (--draws 1..1000000, --frames 1..10000, --tris "
            "1..1000000, --size 16..4096, --no-fill)\n",
            arg);
    return 1;
}

/* Rounds of the executor and the native path in turn. */
#define BENCH_ROUNDS 10

typedef struct rounds {
    timing e, n;                /* sums of the per-draw figures */
    double ratio[BENCH_ROUNDS]; /* CPU, executor/native, per round */
    int count;
} rounds;

static void rounds_add(rounds *r, timing e, timing n)
{
    r->e.submit_ns += e.submit_ns;
    r->e.submit_cpu_ns += e.submit_cpu_ns;
    r->e.total_ns += e.total_ns;
    r->n.submit_ns += n.submit_ns;
    r->n.submit_cpu_ns += n.submit_cpu_ns;
    r->n.total_ns += n.total_ns;
    if (r->count < BENCH_ROUNDS) {
        r->ratio[r->count++] = n.submit_cpu_ns > 0 ? e.submit_cpu_ns / n.submit_cpu_ns : 0;
    }
}

static void print_rounds(const char *what, rounds *r)
{
    if (r->count == 0) {
        return;
    }
    double k = r->count;
    timing e = {r->e.submit_ns / k, r->e.total_ns / k, r->e.submit_cpu_ns / k};
    timing n = {r->n.submit_ns / k, r->n.total_ns / k, r->n.submit_cpu_ns / k};
    double sorted[BENCH_ROUNDS];
    memcpy(sorted, r->ratio, sizeof(double) * (size_t)r->count);
    double median = vgt_sort_median(sorted, (size_t)r->count);
    printf("  %-14s CPU    %9.2f us/draw   native %9.2f us/draw   ratio %5.2fx   per round: "
           "median %.2fx (%.2f-%.2fx)\n",
           what, e.submit_cpu_ns / 1e3, n.submit_cpu_ns / 1e3,
           n.submit_cpu_ns > 0 ? e.submit_cpu_ns / n.submit_cpu_ns : 0, median, sorted[0],
           sorted[r->count - 1]);
    printf("  %-14s submit %9.2f us/draw   native %9.2f us/draw   ratio %5.2fx\n", "",
           e.submit_ns / 1e3, n.submit_ns / 1e3, n.submit_ns > 0 ? e.submit_ns / n.submit_ns : 0);
    printf("  %-14s +finish %8.2f us/draw   native %9.2f us/draw   ratio %5.2fx\n", "",
           e.total_ns / 1e3, n.total_ns / 1e3, n.total_ns > 0 ? e.total_ns / n.total_ns : 0);
}

int vgt_bench_gl_main(int argc, char **argv)
{
    unsigned long draws = 20000, frames = 30, ntris = 100000, size = 1024;
    bool fill = true;
    for (int i = 1; i < argc; i++) {
        unsigned long *dst = NULL, lo = 1, hi = 0;
        if (!strcmp(argv[i], "--no-fill")) {
            fill = false; /* the per-draw figures only (the fill rates take most of the time) */
            continue;
        }
        if (!strcmp(argv[i], "--draws")) {
            dst = &draws, hi = 1000000;
        } else if (!strcmp(argv[i], "--frames")) {
            dst = &frames, hi = 10000;
        } else if (!strcmp(argv[i], "--tris")) {
            dst = &ntris, hi = 1000000;
        } else if (!strcmp(argv[i], "--size")) {
            dst = &size, lo = 16, hi = 4096;
        }
        if (!dst || i + 1 >= argc) {
            return usage_error(argv[i]);
        }
        if (!bench_parse_ulong(argv[++i], lo, hi, dst)) {
            return usage_error(argv[i]);
        }
    }
    bench_print_banner();
    scenes sc;
    make_quad(sc.quad, -0.05f, -0.05f, 0.05f, 0.05f, 0xff40c080u, 1.0f);
    make_quad(sc.full, -1, -1, 1, 1, 0x80ffffffu, 4.0f);
    sc.big_tris = (uint32_t)ntris;
    sc.big = malloc(sizeof(bench_vtx) * 3 * ntris);
    bench_mem mem = {NULL, 0};
    size_t need = sizeof(bench_vtx) * 3 * ntris;
    mem.size = (uint32_t)(need > 256 * 256 * 4 ? need : 256 * 256 * 4);
    mem.gmr = malloc(mem.size);
    if (!sc.big || !mem.gmr) {
        fprintf(stderr, "vgt bench: gl: out of memory\n");
        free(sc.big);
        free(mem.gmr);
        return 2;
    }
    uint32_t grid = 1;
    while (grid * grid * 2 < ntris) {
        grid++;
    }
    for (uint32_t i = 0; i < ntris; i++) {
        uint32_t cell = i / 2, gx = cell % grid, gy = cell / grid;
        float x0 = -1.0f + 2.0f * gx / grid, x1 = -1.0f + 2.0f * (gx + 1) / grid;
        float y0 = -1.0f + 2.0f * gy / grid, y1 = -1.0f + 2.0f * (gy + 1) / grid;
        uint32_t col = 0xff000000u | (i * 2654435761u >> 8);
        bench_vtx a = {x0, y1, 0.5f, col, 0, 0}, b = {x1, y1, 0.5f, col, 0, 0},
                  c = {x0, y0, 0.5f, col, 0, 0}, d = {x1, y0, 0.5f, col, 0, 0};
        bench_vtx *o = &sc.big[3 * i];
        if (i & 1) {
            o[0] = c, o[1] = b, o[2] = d;
        } else {
            o[0] = a, o[1] = b, o[2] = c;
        }
    }
    int rc = 0;
    bench_cmd gl;
    vgt_status st = setup(&gl, &mem, VGT_BACKEND_GL, (uint32_t)size, &sc);
    if (st != VGT_OK) {
        fprintf(stderr, "vgt bench: gl: %s\n", gl.err.message);
        vgt_executor_destroy(gl.ex);
        free(sc.big);
        free(mem.gmr);
        return 2;
    }
    vgt_gl_info info;
    vgt_backend_gl_info(vgt_executor_backend(gl.ex), &info);
    printf("gl: %s, OpenGL %s (%s), target %lux%lu\n", info.renderer, info.version, info.platform,
           size, size);
    /* the native path's own context (made current by its creation) */
    vgt_native_gl *ngl = NULL;
    vgt_error nerr = {0};
    if (vgt_native_gl_create((uint32_t)size, (uint32_t)size, &ngl, &nerr) != VGT_OK) {
        fprintf(stderr, "vgt bench: gl: native context: %s\n", nerr.message);
        vgt_executor_destroy(gl.ex);
        free(sc.big);
        free(mem.gmr);
        return 2;
    }
    native n;
    native_setup(&n, (uint32_t)size, &sc);
    /* warm up both: compile the programs, fault the buffers in */
    uint32_t per_round = (uint32_t)(draws / BENCH_ROUNDS ? draws / BENCH_ROUNDS : 1);
    uint32_t frames_round = (uint32_t)(frames / BENCH_ROUNDS ? frames / BENCH_ROUNDS : 1);
    record_draw_calls(&gl, per_round);
    exec_draw_calls(&gl, per_round);
    exec_static(&gl, 1, (uint32_t)ntris);
    vgt_native_gl_make_current(ngl);
    native_draw_calls(&n, per_round);
    native_static(&n, 1, (uint32_t)ntris);
    rounds r_calls = {0}, r_static = {0};
    for (int k = 0; k < BENCH_ROUNDS && !gl.failed; k++) {
        timing e = exec_draw_calls(&gl, per_round);
        vgt_native_gl_make_current(ngl);
        rounds_add(&r_calls, e, native_draw_calls(&n, per_round));
    }
    for (int k = 0; k < BENCH_ROUNDS && !gl.failed; k++) {
        vgt_backend_gl_make_current(vgt_executor_backend(gl.ex));
        timing e = exec_static(&gl, frames_round, (uint32_t)ntris);
        vgt_native_gl_make_current(ngl);
        rounds_add(&r_static, e, native_static(&n, frames_round, (uint32_t)ntris));
    }
    native_free(&n);
    vgt_native_gl_destroy(ngl);
    vgt_backend_gl_make_current(vgt_executor_backend(gl.ex));
    double fill_gl = fill ? exec_fill(&gl, (uint32_t)size, (uint32_t)frames) : 0;
    timing e_shader = exec_shader_draw_calls(&gl, (uint32_t)draws);
    if (gl.failed) {
        fprintf(stderr, "vgt bench: gl: %s\n", gl.err.message);
        rc = 2;
    }
    bench_record_free(&gl);
    vgt_executor_destroy(gl.ex);

    printf("draw calls: %lu draws of 2 triangles (SETTRANSFORM + DRAW_PRIMITIVES each), %d "
           "rounds\n",
           (unsigned long)per_round * BENCH_ROUNDS, BENCH_ROUNDS);
    print_rounds("executor+gl", &r_calls);
    printf("  %-14s CPU    %9.2f us/draw   submit %9.2f us/draw   +finish %8.2f us/draw\n"
           "  %-14s (vs_2_0 + ps_2_0 bound, SET_SHADER_CONST + DRAW each; fixed function above)\n",
           "shaders", e_shader.submit_cpu_ns / 1e3, e_shader.submit_ns / 1e3,
           e_shader.total_ns / 1e3, "");
    printf("static vertices: one %lu-triangle buffer drawn per frame, %lu frames, %d rounds\n",
           ntris, (unsigned long)frames_round * BENCH_ROUNDS, BENCH_ROUNDS);
    print_rounds("executor+gl", &r_static);

    /* issue 5: the soft backend's fill rate beside llvmpipe's */
    bench_cmd soft = {0};
    st = fill ? setup(&soft, &mem, VGT_BACKEND_SOFT, (uint32_t)size, &sc) : VGT_E_UNSUPPORTED;
    if (st == VGT_OK) {
        double fill_soft = exec_fill(&soft, (uint32_t)size, (uint32_t)frames);
        printf("fill rate: %lux%lu textured (bilinear) alpha-blended quad, %lu frame%s\n", size,
               size, frames, vgt_plural(frames));
        printf("  soft backend %9.1f Mpixel/s   gl backend (llvmpipe) %9.1f Mpixel/s   soft/gl "
               "%5.2fx\n",
               fill_soft, fill_gl, fill_gl > 0 ? fill_soft / fill_gl : 0);
    } else if (fill) {
        printf("fill rate: the soft backend is not available (%s); gl backend (llvmpipe) %.1f "
               "Mpixel/s\n",
               soft.err.message, fill_gl);
    }
    vgt_executor_destroy(soft.ex);
    free(sc.big);
    free(mem.gmr);
    int trc = bench_translation();
    return rc ? rc : trc;
}
