/* soft_bench.c - `vgt bench soft`: the soft backend's fill rate (a full
 * target textured, alpha-blended quad; and point-sampled, unblended) and
 * triangle rate (small Gouraud triangles, depth tested), measured through
 * the executor: SVGA3D commands decoded by vgt_cmd_decode and executed by
 * vgt_executor_execute on the soft backend, as a guest or a replay drives
 * it.  Each figure is printed beside the same scene drawn by vgt_soft
 * directly (the cost of the executor and the adapter) and memset/memcpy of
 * the target's bytes, all measured in the same run.  (The comparison with
 * Mesa llvmpipe through the gl backend is added with that backend.) */
#include "soft_bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_args.h"
#include "bench_scene.h"
#include "vgt_soft.h"

enum { SID_RT = 1, SID_DS = 2, SID_TEX = 3, SID_TRIS = 4, SID_QUAD = 5 };

/* A 20-instruction ps_2_0 (texture, arithmetic, a procedural pattern) for
 * the interpreter's fill rate; the fixed-function reference is the
 * point-sampled textured quad. */
static const char bench_ps[] = "ps_2_0\n"
                               "def c0, 0.5, 2, 0.25, 1\n"
                               "def c1, 4, 0.5, 0, 0.75\n"
                               "dcl t0.xy\n"
                               "dcl v0\n"
                               "dcl_2d s0\n"
                               "texld r0, t0, s0\n"
                               "mul r0, r0, v0\n"
                               "mad r1, r0, c0.x, c0.z\n"
                               "add r1, r1, -c0.z\n"
                               "mul r2, r1, r1\n"
                               "dp3 r3.x, r2, c0.y\n"
                               "rsq r3.y, r3.x\n"
                               "mul r3.z, r3.x, r3.y\n"
                               "mul r4.xy, t0, c1.x\n"
                               "frc r4.xy, r4\n"
                               "add r4.xy, r4, -c1.y\n"
                               "mul r4.x, r4.x, r4.y\n"
                               "cmp r5, r4.x, c0.w, c1.w\n"
                               "mul r0, r0, r5\n"
                               "lrp r6, r3.z, r0, r1\n"
                               "max r6, r6, c1.z\n"
                               "min r6, r6, c0.w\n"
                               "add r6.xyz, r6, r2\n"
                               "mov r6.w, r0.w\n"
                               "mov oC0, r6\n";

/* SHADER_DEFINE of bench_ps as pixel shader 1 and SET_SHADER. */
static void define_bench_ps(bench_cmd *c)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_shader_diag diag;
    if (vgt_shader_assemble(bench_ps, strlen(bench_ps), &words, &n, &diag, &c->err) != VGT_OK ||
        n > 500) {
        c->failed = true;
        free(words);
        return;
    }
    bench_begin(c, VGT_SVGA3D_CMD_SHADER_DEFINE);
    bench_put(c, BENCH_CID);
    bench_put(c, 1);
    bench_put(c, VGT_SVGA3D_SHADERTYPE_PS);
    for (size_t i = 0; i < n; i++) {
        bench_put(c, words[i]);
    }
    free(words);
    bench_run(c);
    bench_begin(c, VGT_SVGA3D_CMD_SET_SHADER);
    bench_put(c, BENCH_CID);
    bench_put(c, VGT_SVGA3D_SHADERTYPE_PS);
    bench_put(c, 1);
    bench_run(c);
}

static double secs(uint64_t ns)
{
    return (double)ns / 1e9;
}

/* The same three scenes with vgt_soft directly; figures in Mpixel/s and Mtri/s. */
typedef struct direct_result {
    double fill, fill_plain, tris;
    double aniso, aniso_linear; /* the 16 x 1 texel footprint quad */
} direct_result;

static void set_elements(vgt_soft_draw_state *st, const bench_vtx *v, size_t n)
{
    const uint8_t *b = (const uint8_t *)v;
    size_t len = n * sizeof(bench_vtx);
    st->element_count = 3;
    st->elements[0] = (vgt_soft_element){
        b, len, 0, sizeof(bench_vtx), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION,
        0, 0,   0};
    st->elements[1] = (vgt_soft_element){
        b, len, 12, sizeof(bench_vtx), VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR,
        0, 0,   0};
    st->elements[2] = (vgt_soft_element){
        b, len, 16, sizeof(bench_vtx), VGT_SVGA3D_DECLTYPE_FLOAT2, VGT_SVGA3D_DECLUSAGE_TEXCOORD,
        0, 0,   0};
}

static vgt_status direct(uint32_t threads, uint32_t size, uint32_t frames, const bench_vtx *quad,
                         const bench_vtx *tris, uint32_t ntris, const uint32_t *texels,
                         direct_result *out, vgt_error *err)
{
    vgt_soft_device *dev = NULL;
    vgt_soft_surface *rt = NULL, *ds = NULL, *tex = NULL;
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, size, size, 1, 1, 1};
    vgt_soft_surface_desc dd = {VGT_SVGA3D_Z_D24S8, size, size, 1, 1, 1};
    vgt_soft_surface_desc td = {VGT_SVGA3D_A8R8G8B8, 256, 256, 1, 1, 1};
    vgt_soft_box tb = {0, 0, 0, 256, 256, 1};
    vgt_status st;
    if ((st = vgt_soft_device_create(threads, &dev, err)) ||
        (st = vgt_soft_surface_create(&d, &rt, err)) ||
        (st = vgt_soft_surface_create(&dd, &ds, err)) ||
        (st = vgt_soft_surface_create(&td, &tex, err)) ||
        (st = vgt_soft_surface_upload(tex, 0, 0, &tb, texels, 256 * 256 * 4, 0, 0, err))) {
        goto done;
    }
    vgt_soft_draw_state *s = malloc(sizeof(*s));
    if (!s) {
        st = vgt_error_set(err, VGT_E_NOMEM, "bench: out of memory");
        goto done;
    }
    vgt_soft_draw_state_defaults(s);
    s->color_target = (vgt_soft_view){rt, 0, 0};
    s->viewport = (vgt_soft_rect){0, 0, size, size};
    s->lighting = false;
    s->z_enable = false;
    s->cull_face = VGT_SVGA3D_FACE_NONE;
    s->stages[0].texture = tex;
    s->stages[0].color_arg2 = VGT_SVGA3D_TA_DIFFUSE;
    s->stages[0].mag_filter = s->stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    s->blend_enable = true;
    s->src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
    s->dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
    set_elements(s, quad, 6);
    vgt_soft_draw_call call = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, 0, 0};
    uint64_t t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames && !st; f++) {
        st = vgt_soft_draw(dev, s, &call, NULL, err);
    }
    out->fill = bench_mpixel_s(size, frames, t0);
    s->blend_enable = false;
    s->stages[0].mag_filter = s->stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
    t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames && !st; f++) {
        st = vgt_soft_draw(dev, s, &call, NULL, err);
    }
    out->fill_plain = bench_mpixel_s(size, frames, t0);
    /* anisotropic: the quad with u 16 times as long (16 texels a pixel
     * along x, 1 along y: ratio 16), ANISOTROPIC 16 (16 bilinear probes)
     * beside LINEAR (one) on the same quad */
    bench_vtx aq[6];
    memcpy(aq, quad, sizeof(aq));
    for (int i = 0; i < 6; i++) {
        aq[i].u *= 16.0f;
    }
    set_elements(s, aq, 6);
    s->stages[0].max_anisotropy = 16;
    for (int k = 0; k < 2; k++) {
        s->stages[0].mag_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
        s->stages[0].min_filter =
            k == 0 ? VGT_SVGA3D_TEX_FILTER_ANISOTROPIC : VGT_SVGA3D_TEX_FILTER_LINEAR;
        t0 = vgt_now_ns();
        for (uint32_t f = 0; f < frames && !st; f++) {
            st = vgt_soft_draw(dev, s, &call, NULL, err);
        }
        *(k == 0 ? &out->aniso : &out->aniso_linear) = bench_mpixel_s(size, frames, t0);
    }
    s->stages[0].texture = NULL;
    s->stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
    s->stages[0].color_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    s->stages[0].alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    s->depth_target = (vgt_soft_view){ds, 0, 0};
    s->z_enable = true;
    set_elements(s, tris, (size_t)ntris * 3);
    vgt_soft_draw_call tc = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, ntris, NULL, 0, 0, 0, 0};
    vgt_soft_view cv = {rt, 0, 0}, dv = {ds, 0, 0};
    if (!st) {
        st = vgt_soft_clear(dev, &cv, &dv, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH,
                            0xFF000000u, 1.0f, 0, NULL, 0, err);
    }
    t0 = vgt_now_ns();
    if (!st) {
        st = vgt_soft_draw(dev, s, &tc, NULL, err);
    }
    out->tris = (double)ntris / secs(vgt_now_ns() - t0) / 1e6;
    free(s);
done:
    vgt_soft_surface_destroy(rt);
    vgt_soft_surface_destroy(ds);
    vgt_soft_surface_destroy(tex);
    vgt_soft_device_destroy(dev);
    return st;
}

static void reference(size_t bytes, uint32_t reps, double *set_gbs, double *cpy_gbs)
{
    uint8_t *a = malloc(bytes), *b = malloc(bytes);
    *set_gbs = *cpy_gbs = 0;
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    memset(a, 1, bytes);
    memset(b, 2, bytes);
    uint64_t t0 = vgt_now_ns();
    for (uint32_t i = 0; i < reps; i++) {
        memset(a, (int)i, bytes);
        __asm__ volatile("" : : "r"(a) : "memory");
    }
    uint64_t t1 = vgt_now_ns();
    for (uint32_t i = 0; i < reps; i++) {
        memcpy(b, a, bytes);
        __asm__ volatile("" : : "r"(b) : "memory");
    }
    uint64_t t2 = vgt_now_ns();
    *set_gbs = (double)bytes * reps / secs(t1 - t0) / 1e9;
    *cpy_gbs = (double)bytes * reps / secs(t2 - t1) / 1e9;
    free(a);
    free(b);
}

static int usage_error(const char *arg)
{
    fprintf(stderr,
            "vgt bench: soft: bad argument '%s' (--size 16..4096, --frames N, --tris "
            "1..1000000, --threads 0..64)\n",
            arg);
    return 1;
}

int vgt_bench_soft_main(int argc, char **argv)
{
    unsigned long size = 1024, frames = 10, ntris = 100000, threads = 0;
    bool threads_set = false;
    for (int i = 1; i < argc; i++) {
        unsigned long *dst = NULL, lo = 1, hi = 0;
        if (!strcmp(argv[i], "--size")) {
            dst = &size, lo = 16, hi = 4096;
        } else if (!strcmp(argv[i], "--frames")) {
            dst = &frames, hi = 100000;
        } else if (!strcmp(argv[i], "--tris")) {
            dst = &ntris, hi = 1000000;
        } else if (!strcmp(argv[i], "--threads")) {
            dst = &threads, lo = 0, hi = 64, threads_set = true;
        }
        if (!dst || i + 1 >= argc) {
            return usage_error(argv[i]);
        }
        if (!bench_parse_ulong(argv[++i], lo, hi, dst)) {
            return usage_error(argv[i]);
        }
    }
    bench_print_banner();
    if (threads_set) {
        char buf[16];
        snprintf(buf, sizeof(buf), "%lu", threads);
        setenv("VGT_SOFT_THREADS", buf, 1);
    }
    const char *env = getenv("VGT_SOFT_THREADS");
    threads = env && *env ? strtoul(env, NULL, 10) : 0;

    /* Scenes: a full-target quad (texture repeated 4x), and a grid of right
     * triangles of 4x4 pixels (area 8) at varying depths. */
    bench_vtx quad[6] = {{-1, 1, 0.5f, 0x80FFFFFFu, 0, 0}, {1, 1, 0.5f, 0x80FFFFFFu, 4, 0},
                         {1, -1, 0.5f, 0x80FFFFFFu, 4, 4}, {-1, 1, 0.5f, 0x80FFFFFFu, 0, 0},
                         {1, -1, 0.5f, 0x80FFFFFFu, 4, 4}, {-1, -1, 0.5f, 0x80FFFFFFu, 0, 4}};
    size_t tri_bytes = sizeof(bench_vtx) * 3 * ntris;
    bench_mem mem = {NULL, 0};
    mem.size = (uint32_t)(tri_bytes > 256 * 256 * 4 ? tri_bytes : 256 * 256 * 4);
    mem.gmr = malloc(mem.size);
    bench_vtx *tris = malloc(tri_bytes);
    uint32_t *texels = malloc(256 * 256 * 4);
    if (!mem.gmr || !tris || !texels) {
        fprintf(stderr, "vgt bench: soft: out of memory\n");
        free(mem.gmr);
        free(tris);
        free(texels);
        return 2;
    }
    bench_tex_fill(texels);
    uint32_t side = 4, per_row = (uint32_t)size / side;
    for (uint32_t i = 0; i < ntris; i++) {
        uint32_t cell = i % (per_row * per_row);
        float x0 = (float)(cell % per_row * side) + 0.3f,
              y0 = (float)(cell / per_row * side) + 0.6f;
        float fx[3] = {x0, x0 + (float)side, x0}, fy[3] = {y0, y0, y0 + (float)side};
        for (int k = 0; k < 3; k++) {
            bench_vtx v = {fx[k] / (float)size * 2.0f - 1.0f,
                           1.0f - fy[k] / (float)size * 2.0f,
                           0.5f - (float)(i % 97) / 400.0f,
                           0xff000000u | (i * 2654435761u >> 8),
                           0,
                           0};
            tris[3 * i + (uint32_t)k] = v;
        }
    }

    int rc = 0;
    bench_cmd c;
    if (bench_cmd_open(&c, &mem, VGT_BACKEND_SOFT) != VGT_OK) {
        fprintf(stderr, "vgt bench: soft: %s\n", c.err.message);
        free(mem.gmr);
        free(tris);
        free(texels);
        return 2;
    }
    uint32_t w = (uint32_t)size;
    bench_define(&c, SID_RT, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, w, w);
    bench_define(&c, SID_DS, VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, w, w);
    bench_define(&c, SID_TEX, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 256, 256);
    bench_define(&c, SID_TRIS, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER,
                 (uint32_t)tri_bytes, 1);
    bench_define(&c, SID_QUAD, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER,
                 sizeof(quad), 1);
    memcpy(mem.gmr, texels, 256 * 256 * 4);
    bench_dma_up(&c, SID_TEX, 256 * 4, 256, 256);
    memcpy(mem.gmr, tris, tri_bytes);
    bench_dma_up(&c, SID_TRIS, (uint32_t)tri_bytes, (uint32_t)tri_bytes, 1);
    memcpy(mem.gmr, quad, sizeof(quad));
    bench_dma_up(&c, SID_QUAD, sizeof(quad), sizeof(quad), 1);
    bench_context(&c, SID_RT, SID_DS);
    bench_rs(&c, VGT_SVGA3D_RS_ZENABLE, 0);
    bench_rs(&c, VGT_SVGA3D_RS_BLENDENABLE, 1);
    bench_rs(&c, VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_SRCALPHA);
    bench_rs(&c, VGT_SVGA3D_RS_DSTBLEND, VGT_SVGA3D_BLENDOP_INVSRCALPHA);
    bench_ts(&c, VGT_SVGA3D_TS_BIND_TEXTURE, SID_TEX);
    bench_ts(&c, VGT_SVGA3D_TS_COLORARG2, VGT_SVGA3D_TA_DIFFUSE);
    bench_ts(&c, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    bench_ts(&c, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    bench_clear(&c);

    uint64_t t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames; f++) {
        bench_draw(&c, SID_QUAD, 2);
    }
    double fill = bench_mpixel_s(w, (uint32_t)frames, t0);
    bench_rs(&c, VGT_SVGA3D_RS_BLENDENABLE, 0);
    bench_ts(&c, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
    bench_ts(&c, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
    t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames; f++) {
        bench_draw(&c, SID_QUAD, 2);
    }
    double fill_plain = bench_mpixel_s(w, (uint32_t)frames, t0);
    /* the same quad through a 20-instruction ps_2_0 */
    define_bench_ps(&c);
    t0 = vgt_now_ns();
    for (uint32_t f = 0; f < frames; f++) {
        bench_draw(&c, SID_QUAD, 2);
    }
    double fill_ps = bench_mpixel_s(w, (uint32_t)frames, t0);
    bench_begin(&c, VGT_SVGA3D_CMD_SET_SHADER);
    bench_put(&c, BENCH_CID);
    bench_put(&c, VGT_SVGA3D_SHADERTYPE_PS);
    bench_put(&c, VGT_SVGA3D_INVALID_ID);
    bench_run(&c);
    bench_ts(&c, VGT_SVGA3D_TS_BIND_TEXTURE, VGT_SVGA3D_INVALID_ID);
    bench_ts(&c, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1);
    bench_ts(&c, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE);
    bench_ts(&c, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE);
    bench_rs(&c, VGT_SVGA3D_RS_ZENABLE, 1);
    bench_clear(&c);
    t0 = vgt_now_ns();
    bench_draw(&c, SID_TRIS, (uint32_t)ntris);
    double tri = (double)ntris / secs(vgt_now_ns() - t0) / 1e6;
    if (c.failed) {
        fprintf(stderr, "vgt bench: soft: %s\n", c.err.message);
        rc = 2;
    }

    direct_result d = {0};
    vgt_error err = {0};
    if (!rc && direct((uint32_t)threads, w, (uint32_t)frames, quad, tris, (uint32_t)ntris, texels,
                      &d, &err) != VGT_OK) {
        fprintf(stderr, "vgt bench: soft: direct: %s\n", err.message);
        rc = 2;
    }
    if (!rc) {
        double set_gbs, cpy_gbs;
        reference((size_t)size * size * 4, (uint32_t)frames, &set_gbs, &cpy_gbs);
        printf("soft backend: %lux%lu A8R8G8B8 target, %s render threads, %lu frame%s, %lu "
               "triangle%s\n",
               size, size, threads ? env : "default (one per CPU, at most 8)", frames,
               vgt_plural(frames), ntris, vgt_plural(ntris));
        printf("  fill, bilinear texture + blend  executor %8.1f Mpixel/s   vgt_soft direct "
               "%8.1f Mpixel/s\n",
               fill, d.fill);
        printf("  fill, point texture, no blend   executor %8.1f Mpixel/s   vgt_soft direct "
               "%8.1f Mpixel/s\n",
               fill_plain, d.fill_plain);
        printf("  ps_2_0, 20 instructions         executor %8.1f Mpixel/s   fixed function "
               "(point texture) %8.1f Mpixel/s\n",
               fill_ps, fill_plain);
        printf("  anisotropic 16 (16 probes)      vgt_soft direct %8.1f Mpixel/s   bilinear, "
               "same quad %8.1f Mpixel/s\n",
               d.aniso, d.aniso_linear);
        printf("  small triangles (8 px, z test)  executor %8.2f Mtri/s     vgt_soft direct "
               "%8.2f Mtri/s\n",
               tri, d.tris);
        printf("  reference (same run)            memset %.0f Mpixel/s, memcpy %.0f Mpixel/s (4 "
               "bytes/pixel)\n",
               set_gbs * 1e3 / 4, cpy_gbs * 1e3 / 4);
    }
    vgt_executor_destroy(c.ex);
    free(mem.gmr);
    free(tris);
    free(texels);
    return rc;
}
