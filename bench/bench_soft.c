/* bench_soft.c - speed of the soft reference renderer: fill rate of a large
 * textured, blended quad and the rate of small triangles, with 1 and 2
 * threads, each printed beside memset/memcpy of the same bytes measured in
 * the same run.  (The llvmpipe comparison comes with the gl backend.)
 *
 * usage: vgt_bench_soft [--size N] [--frames N] [--tris N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgt_soft.h"

typedef struct vtx {
    float x, y, z;
    uint32_t color;
    float u, v;
} vtx;

static void die(const char *what, const vgt_error *err)
{
    fprintf(stderr, "vgt_bench_soft: %s: %s\n", what, err->message);
    exit(2);
}

static void set_elements(vgt_soft_draw_state *st, const vtx *v, size_t n)
{
    const uint8_t *b = (const uint8_t *)v;
    size_t len = n * sizeof(vtx);
    st->element_count = 3;
    st->elements[0] = (vgt_soft_element){
        b, len, 0, sizeof(vtx), VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_POSITION, 0, 0, 0};
    st->elements[1] = (vgt_soft_element){
        b, len, 12, sizeof(vtx), VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, 0, 0};
    st->elements[2] = (vgt_soft_element){
        b, len, 16, sizeof(vtx), VGT_SVGA3D_DECLTYPE_FLOAT2, VGT_SVGA3D_DECLUSAGE_TEXCOORD,
        0, 0,   0};
}

static double seconds(uint64_t ns)
{
    return (double)ns / 1e9;
}

/* memset + memcpy of `bytes` bytes, `reps` times: returns GB/s of each. */
static void reference(size_t bytes, int reps, double *set_gbs, double *cpy_gbs)
{
    uint8_t *a = malloc(bytes), *b = malloc(bytes);
    if (!a || !b) {
        fprintf(stderr, "vgt_bench_soft: out of memory\n");
        exit(2);
    }
    memset(a, 1, bytes);
    memset(b, 2, bytes);
    uint64_t t0 = vgt_now_ns();
    for (int i = 0; i < reps; i++) {
        memset(a, i, bytes);
        __asm__ volatile("" : : "r"(a) : "memory");
    }
    uint64_t t1 = vgt_now_ns();
    for (int i = 0; i < reps; i++) {
        memcpy(b, a, bytes);
        __asm__ volatile("" : : "r"(b) : "memory");
    }
    uint64_t t2 = vgt_now_ns();
    *set_gbs = (double)bytes * reps / seconds(t1 - t0) / 1e9;
    *cpy_gbs = (double)bytes * reps / seconds(t2 - t1) / 1e9;
    free(a);
    free(b);
}

int main(int argc, char **argv)
{
    uint32_t size = 1024, frames = 10, ntris = 100000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--size") && i + 1 < argc) {
            size = (uint32_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--frames") && i + 1 < argc) {
            frames = (uint32_t)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--tris") && i + 1 < argc) {
            ntris = (uint32_t)strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: vgt_bench_soft [--size N] [--frames N] [--tris N]\n");
            return 1;
        }
    }
    if (size < 16 || size > 8192 || frames == 0 || ntris == 0 || ntris > 4000000) {
        fprintf(stderr, "vgt_bench_soft: size 16..8192, frames >= 1, tris 1..4000000\n");
        return 1;
    }
    vgt_error err = {0};
    vgt_soft_surface *rt, *ds, *tex;
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, size, size, 1, 1, 1};
    if (vgt_soft_surface_create(&d, &rt, &err)) {
        die("render target", &err);
    }
    d.format = VGT_SVGA3D_Z_D24S8;
    if (vgt_soft_surface_create(&d, &ds, &err)) {
        die("depth buffer", &err);
    }
    vgt_soft_surface_desc td = {VGT_SVGA3D_A8R8G8B8, 256, 256, 1, 1, 1};
    if (vgt_soft_surface_create(&td, &tex, &err)) {
        die("texture", &err);
    }
    uint32_t *texels = malloc(256 * 256 * 4);
    for (uint32_t y = 0; y < 256; y++) {
        for (uint32_t x = 0; x < 256; x++) {
            texels[y * 256 + x] = 0x80000000u | (x << 16) | (y << 8) | ((x ^ y) & 0xff);
        }
    }
    vgt_soft_box tb = {0, 0, 0, 256, 256, 1};
    if (vgt_soft_surface_upload(tex, 0, 0, &tb, texels, 256 * 256 * 4, 0, 0, &err)) {
        die("texture upload", &err);
    }
    free(texels);

    /* small triangles: a grid of right triangles of ~8 pixels each */
    vtx *tris = malloc(sizeof(vtx) * 3 * ntris);
    uint32_t side = 4; /* pixels: area 8 */
    uint32_t per_row = size / side;
    for (uint32_t i = 0; i < ntris; i++) {
        uint32_t cell = i % (per_row * per_row);
        float x0 = (float)(cell % per_row * side) + 0.3f,
              y0 = (float)(cell / per_row * side) + 0.6f;
        float fx[3] = {x0, x0 + (float)side, x0}, fy[3] = {y0, y0, y0 + (float)side};
        for (int k = 0; k < 3; k++) {
            vtx v = {fx[k] / (float)size * 2.0f - 1.0f,
                     1.0f - fy[k] / (float)size * 2.0f,
                     0.5f - (float)(i % 97) / 400.0f,
                     0xff000000u | (i * 2654435761u >> 8),
                     0,
                     0};
            tris[3 * i + (uint32_t)k] = v;
        }
    }
    vtx q[6] = {{-1, 1, 0.5f, 0xffffffffu, 0, 0}, {1, 1, 0.5f, 0xffffffffu, 4, 0},
                {1, -1, 0.5f, 0xffffffffu, 4, 4}, {-1, 1, 0.5f, 0xffffffffu, 0, 0},
                {1, -1, 0.5f, 0xffffffffu, 4, 4}, {-1, -1, 0.5f, 0xffffffffu, 0, 4}};

    uint64_t pixels = (uint64_t)size * size * frames;
    double set_gbs, cpy_gbs;
    reference((size_t)size * size * 4, (int)frames, &set_gbs, &cpy_gbs);
    printf("soft renderer benchmark: %ux%u A8R8G8B8 target\n", size, size);
    printf("reference (same run): memset %.2f GB/s = %.0f Mpixel/s, memcpy %.2f GB/s = %.0f "
           "Mpixel/s (4 bytes/pixel)\n",
           set_gbs, set_gbs * 1e3 / 4, cpy_gbs, cpy_gbs * 1e3 / 4);
    for (uint32_t threads = 1; threads <= 2; threads++) {
        vgt_soft_device *dev;
        if (vgt_soft_device_create(threads, &dev, &err)) {
            die("device", &err);
        }
        vgt_soft_view cv = {rt, 0, 0}, dv = {ds, 0, 0};
        /* fill rate: textured (bilinear), alpha blended full-target quad */
        vgt_soft_draw_state st;
        vgt_soft_draw_state_defaults(&st);
        st.color_target = cv;
        st.viewport = (vgt_soft_rect){0, 0, size, size};
        st.lighting = false;
        st.z_enable = false;
        st.cull_face = VGT_SVGA3D_FACE_NONE;
        st.stages[0].texture = tex;
        st.stages[0].mag_filter = st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
        st.blend_enable = true;
        st.src_blend = VGT_SVGA3D_BLENDOP_SRCALPHA;
        st.dst_blend = VGT_SVGA3D_BLENDOP_INVSRCALPHA;
        set_elements(&st, q, 6);
        vgt_soft_draw_call call = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, NULL, 0, 0, 0, 0};
        uint64_t t0 = vgt_now_ns();
        for (uint32_t f = 0; f < frames; f++) {
            if (vgt_soft_draw(dev, &st, &call, NULL, &err)) {
                die("fill draw", &err);
            }
        }
        double fill = (double)pixels / seconds(vgt_now_ns() - t0) / 1e6;
        /* the same quad, point sampled and not blended */
        st.blend_enable = false;
        st.stages[0].mag_filter = st.stages[0].min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        t0 = vgt_now_ns();
        for (uint32_t f = 0; f < frames; f++) {
            if (vgt_soft_draw(dev, &st, &call, NULL, &err)) {
                die("fill draw", &err);
            }
        }
        double fill_plain = (double)pixels / seconds(vgt_now_ns() - t0) / 1e6;
        /* small triangles: Gouraud, depth tested */
        vgt_soft_draw_state ts;
        vgt_soft_draw_state_defaults(&ts);
        ts.color_target = cv;
        ts.depth_target = dv;
        ts.viewport = st.viewport;
        ts.lighting = false;
        ts.cull_face = VGT_SVGA3D_FACE_NONE;
        ts.stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
        ts.stages[0].color_arg1 = VGT_SVGA3D_TA_DIFFUSE;
        set_elements(&ts, tris, (size_t)ntris * 3);
        vgt_soft_draw_call tc = {VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, ntris, NULL, 0, 0, 0, 0};
        vgt_soft_clear(dev, NULL, &dv, VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f, 0, NULL, 0, &err);
        vgt_soft_draw_stats stats;
        t0 = vgt_now_ns();
        if (vgt_soft_draw(dev, &ts, &tc, &stats, &err)) {
            die("triangle draw", &err);
        }
        double tri_s = seconds(vgt_now_ns() - t0);
        printf("threads %u: fill (bilinear texture + blend) %.1f Mpixel/s, fill (point, no "
               "blend) %.1f Mpixel/s, small triangles %.2f Mtri/s (%.1f px/tri)\n",
               threads, fill, fill_plain, (double)ntris / tri_s / 1e6,
               (double)stats.pixels_passed / ntris);
        vgt_soft_device_destroy(dev);
    }
    free(tris);
    vgt_soft_surface_destroy(rt);
    vgt_soft_surface_destroy(ds);
    vgt_soft_surface_destroy(tex);
    return 0;
}
