/* Linkage in the shader pipeline (soft interpreter, gl translation): vs outputs to ps inputs by
 * register (sm 2) and by semantic (sm 3), the fixed-function pixel pipeline behind a vertex shader,
 * the fixed-function vertex pipeline in front of a pixel shader, vFace, oDepth. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sht_harness.h"

#define PS VGT_SVGA3D_SHADERTYPE_PS
#define VS VGT_SVGA3D_SHADERTYPE_VS

static void define(sht_fx *f, uint32_t type, uint32_t id, const char *text)
{
    vgt_error err = {0};
    if (sht_define_asm(f, type, id, text, &err) != VGT_OK) {
        fail_msg("define: %s\n%s", err.message, text);
    }
    sht_bind(f, type, id);
}

static void expect(sht_fx *f, uint32_t x, uint32_t y, const char *what, float a, float b, float c,
                   float d, float tol)
{
    float got[4], want[4] = {a, b, c, d};
    sht_pixel(f, x, y, got);
    sht_assert4(what, got, want, tol);
}

static void fullscreen(sht_fx *f, float s, float t, uint32_t color)
{
    vgt_error err = {0};
    if (sht_fullscreen(f, s, t, color, &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
    sht_read_float(f);
}

static void test_sm2_registers(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    define(f, VS, 1,
           "vs_2_0\ndef c0, 0.25, 0.5, 0.75, 1\ndef c1, 3, 4, 5, 6\ndcl_position v0\n"
           "mov oPos, v0\nmov oD1, c0.wzyx\nmov oT3, c1\nmov oD0, c1\n");
    define(f, PS, 1, "ps_2_0\ndcl v1\ndcl t3\nadd r0, v1, t3\nmov oC0, r0\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 1, 1, "oD1 + oT3", 4.0f, 4.75f, 5.5f, 6.25f, 0);
    /* oD0 is clamped to [0, 1] before the pixel shader */
    define(f, PS, 1, "ps_2_0\ndcl v0\nmov oC0, v0\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 1, 1, "oD0 clamped", 1, 1, 1, 1, 0);
}

static void test_sm3_semantics(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    define(f, VS, 1,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndef c1, 5, 6, 7, 8\ndef c2, -1, -2, -3, -4\n"
           "dcl_position v0\ndcl_texcoord2 o5\ndcl_position o2\ndcl_color1 o0\n"
           "dcl_texcoord0 o7\nmov o2, v0\nmov o5, c0\nmov o0, c1\nmov o7, c2\n");
    define(f, PS, 1,
           "ps_3_0\ndcl_color1 v3\ndcl_texcoord2 v8\ndcl_texcoord5 v1\n"
           "mul r0, v8, c0.x\nadd r0, r0, v3\nadd r0, r0, v1\nmov oC0, r0\n");
    sht_constf(f, PS, 0, 10, 10, 10, 10);
    fullscreen(f, 0, 0, 0);
    /* texcoord5 is written by nobody: zeros; color1 is not clamped in sm 3 */
    expect(f, 2, 2, "by semantic", 15, 26, 37, 48, 0);
}

static void test_ff_behind_vs(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* no pixel shader: stage 0 modulates the vs's oD0 with a constant */
    define(f, VS, 1,
           "vs_1_1\ndef c0, 0.5, 0.25, 1, 0.75\ndcl_position v0\nmov oPos, v0\nmov oD0, c0\n");
    sht_ts(f, 0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE);
    sht_ts(f, 0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE);
    sht_ts(f, 0, VGT_SVGA3D_TS_COLORARG2, VGT_SVGA3D_TA_CONSTANT);
    sht_ts(f, 0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1);
    sht_ts(f, 0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE);
    sht_rs(f, VGT_SVGA3D_RS_TEXTUREFACTOR, 0xFF808080u);
    fullscreen(f, 0, 0, 0);
    float k = 128.0f / 255.0f;
    expect(f, 3, 3, "FF stage behind vs", 0.5f * k, 0.25f * k, k, 0.75f, 1e-6f);
}

static void test_ps_behind_ff(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* no vertex shader: FF (identity transforms, no lighting) feeds v0
     * (the vertex color) and t0 (stage 0's coordinates) */
    define(f, PS, 1, "ps_2_0\ndcl v0\ndcl t0\nadd r0, v0, t0\nmov oC0, r0\n");
    fullscreen(f, 0.25f, 0.5f, 0xFF336699u);
    expect(f, 4, 2, "FF -> ps_2_0", 0.2f + 0.5f, 0.4f + 0.25f, 0.6f + 0.25f, 1.0f + 0.5f, 1e-6f);
    /* ps_3_0 by semantic behind FF */
    define(f, PS, 1, "ps_3_0\ndcl_texcoord0 v4\ndcl_color0 v1\nmul r0, v4, v1\nmov oC0, r0\n");
    fullscreen(f, 2.0f, 4.0f, 0xFF336699u);
    expect(f, 4, 2, "FF -> ps_3_0", 0.2f * 0.5f, 0.4f * 0.25f, 0.6f * 2.0f, 4.0f, 1e-6f);
}

/* Semantic packing (Direct3D 9's dcl_semantics): a semantic keeps its
 * components' positions and only its declared mask carries it; the
 * register numbers may differ between the stages. */
static void test_sm3_packed_vs(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* two semantics in o3 (xy, zw) */
    define(f, VS, 1,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndcl_position v0\ndcl_position o0\n"
           "dcl_texcoord0 o3.xy\ndcl_texcoord1 o3.zw\nmov o0, v0\nmov o3, c0\n");
    /* unpacked on the ps side, other registers: v0 = TEXCOORD1 (0, 0, 3, 4),
     * v1 = TEXCOORD0 (1, 2, 0, 0) */
    define(f, PS, 1,
           "ps_3_0\ndcl_texcoord1 v0\ndcl_texcoord0 v1\n"
           "mul r0, v0, c0.x\nadd r0, r0, v1\nmov oC0, r0\n");
    sht_constf(f, PS, 0, 10, 10, 10, 10);
    fullscreen(f, 0, 0, 0);
    expect(f, 2, 2, "vs packed, ps not", 1, 2, 30, 40, 0);
    /* three semantics in o4: color1 x, texcoord0 yz, texcoord2 w (declared
     * in another order); the ps packs two of them into v7, color1 alone */
    define(f, VS, 2,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndcl_position v0\ndcl_texcoord2 o4.w\n"
           "dcl_position o0\ndcl_color1 o4.x\ndcl_texcoord0 o4.yz\nmov o0, v0\nmov o4, c0\n");
    define(f, PS, 2,
           "ps_3_0\ndcl_texcoord2 v7.w\ndcl_color1 v5.x\ndcl_texcoord0 v7.yz\n"
           "mul r0, v5, c0.x\nadd r0, r0, v7\nmov oC0, r0\n");
    sht_constf(f, PS, 0, 10, 10, 10, 10);
    fullscreen(f, 0, 0, 0);
    expect(f, 5, 3, "three packed on both sides", 10, 2, 3, 4, 0);
}

static void test_sm3_packed_ps(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* the vs writes each semantic in a register of its own; the ps packs
     * three into v2 (colour zw, declared first: the flat/colour slots) */
    define(f, VS, 1,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndef c1, 5, 6, 7, 8\ndef c2, -1, -2, -3, -4\n"
           "dcl_position v0\ndcl_position o0\ndcl_texcoord0 o1\ndcl_texcoord1 o2\n"
           "dcl_color0 o5\nmov o0, v0\nmov o1, c0\nmov o2, c1\nmov o5, c2\n");
    define(f, PS, 1,
           "ps_3_0\ndcl_color0 v2.zw\ndcl_texcoord1 v2.y\ndcl_texcoord0 v2.x\nmov oC0, v2\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 1, 6, "ps packed", 1, 6, -3, -4, 0);
    /* under flat shading the same (the colour is constant anyway) */
    sht_rs(f, VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_FLAT);
    fullscreen(f, 0, 0, 0);
    expect(f, 6, 1, "ps packed, flat", 1, 6, -3, -4, 0);
    /* no vertex shader: the fixed-function vertex side's COLOR0 and
     * TEXCOORD0 (u, v, s, t) by position into the packed v0 */
    sht_rs(f, VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_SMOOTH);
    sht_bind(f, VS, VGT_SVGA3D_INVALID_ID);
    define(f, PS, 2, "ps_3_0\ndcl_texcoord0 v0.zw\ndcl_color0 v0.xy\nmov oC0, v0\n");
    fullscreen(f, 2.0f, 4.0f, 0xFF336699u);
    expect(f, 4, 2, "FF -> packed ps_3_0", 0.2f, 0.4f, 2, 4, 1e-6f);
}

static void test_sm3_packed_positions(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* the vs has TEXCOORD1 at .zw, the ps asks for it at .xy: positions
     * are kept, so those components are outside the vs's mask and read 0
     * (Direct3D 9: the ps mask is "any subset of mask from vshader
     * semantic"; Wine reads 0 alike); TEXCOORD0 at .zw likewise */
    define(f, VS, 1,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndcl_position v0\ndcl_position o0\n"
           "dcl_texcoord0 o3.xy\ndcl_texcoord1 o3.zw\nmov o0, v0\nmov o3, c0\n");
    define(f, PS, 1,
           "ps_3_0\ndef c0, 0.5, 0.5, 0.5, 0.5\ndcl_texcoord1 v0.xy\ndcl_texcoord0 v0.zw\n"
           "add r0, v0, c0\nmov oC0, r0\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 3, 3, "swapped positions read 0", 0.5f, 0.5f, 0.5f, 0.5f, 0);
    /* a vs writing outside a lone partial declaration: those components
     * are not the semantic's either */
    define(f, VS, 2,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndcl_position v0\ndcl_position o0\n"
           "dcl_texcoord0 o3.xy\nmov o0, v0\nmov o3, c0\n");
    define(f, PS, 2, "ps_3_0\ndcl_texcoord0 v0\nmov oC0, v0\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 3, 3, "outside the declared mask", 1, 2, 0, 0, 0);
    /* a lone partial declaration on the ps side takes the whole vector
     * (as before packing): v0.xy declared, .zw read */
    define(f, VS, 3,
           "vs_3_0\ndef c0, 1, 2, 3, 4\ndcl_position v0\ndcl_position o0\n"
           "dcl_texcoord0 o3\nmov o0, v0\nmov o3, c0\n");
    define(f, PS, 3, "ps_3_0\ndcl_texcoord0 v0.xy\nmov oC0, v0\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 3, 3, "lone partial ps declaration", 1, 2, 3, 4, 0);
}

static void test_sm3_packed_to_old_consumers(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* a ps_2_0 behind a packed vs_3_0: v0 is COLOR0 (clamped), t0 TEXCOORD0 */
    define(f, VS, 1,
           "vs_3_0\ndef c0, 0.25, 0.5, 3, 4\ndcl_position v0\ndcl_position o0\n"
           "dcl_color0 o2.xy\ndcl_texcoord0 o2.zw\nmov o0, v0\nmov o2, c0\n");
    define(f, PS, 1, "ps_2_0\ndcl v0\ndcl t0\nadd r0, v0, t0\nmov oC0, r0\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 4, 4, "packed vs_3_0 -> ps_2_0", 0.25f, 0.5f, 3, 4, 0);
    /* no pixel shader: the fixed-function stage reads COLOR0 (xyz here; w
     * is TEXCOORD0's, so the diffuse alpha is 0) */
    define(f, VS, 2,
           "vs_3_0\ndef c0, 0.5, 0.25, 1, 0.75\ndcl_position v0\ndcl_position o0\n"
           "dcl_color0 o2.xyz\ndcl_texcoord0 o2.w\nmov o0, v0\nmov o2, c0\n");
    sht_bind(f, PS, VGT_SVGA3D_INVALID_ID);
    sht_ts(f, 0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_SELECTARG1);
    sht_ts(f, 0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_DIFFUSE);
    sht_ts(f, 0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1);
    sht_ts(f, 0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_DIFFUSE);
    fullscreen(f, 0, 0, 0);
    expect(f, 4, 4, "packed vs_3_0 -> fixed function", 0.5f, 0.25f, 1, 0, 1e-6f);
    /* the fixed-function fog factor is a scalar: FOG packed at .w */
    define(f, VS, 3,
           "vs_3_0\ndef c0, 0, 0, 0, 0.25\ndef c1, 0, 0, 0, 1\ndcl_position v0\n"
           "dcl_position o0\ndcl_color0 o2.xyz\ndcl_fog o2.w\ndcl_color1 o3\n"
           "mov o0, v0\nmov o2, c0\nmov o3, c1\n");
    sht_rs(f, VGT_SVGA3D_RS_FOGENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_FOGCOLOR, 0xFFFFFFFFu);
    sht_rs(f, VGT_SVGA3D_RS_FOGMODE,
           VGT_SVGA3D_FOGMODE(VGT_SVGA3D_FOGFUNC_PER_VERTEX, VGT_SVGA3D_FOGTYPE_VERTEX,
                              VGT_SVGA3D_FOGBASE_DEPTHBASED));
    fullscreen(f, 0, 0, 0);
    /* colour (0, 0, 0) fogged by 0.25 towards white: 0.75 */
    expect(f, 4, 4, "packed FOG .w", 0.75f, 0.75f, 0.75f, 0, 1e-6f);
}

static void test_sm3_packed_sprite(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* a point sprite gives TEXCOORD inputs (u, v, 0, 1) by component
     * position: TEXCOORD0 packed at v0.zw reads (0, 1), COLOR0 at v0.xy is
     * the vertex's */
    define(f, VS, 1,
           "vs_3_0\ndef c0, 0.25, 0.5, 0.75, 1\ndcl_position v0\ndcl_position o0\n"
           "dcl_color0 o1\ndcl_texcoord0 o2\nmov o0, v0\nmov o1, c0\nmov o2, c0\n");
    define(f, PS, 1, "ps_3_0\ndcl_color0 v0.xy\ndcl_texcoord0 v0.zw\nmov oC0, v0\n");
    float size = 4.0f;
    uint32_t u;
    memcpy(&u, &size, 4);
    sht_rs(f, VGT_SVGA3D_RS_POINTSIZE, u);
    sht_rs(f, VGT_SVGA3D_RS_POINTSPRITEENABLE, 1);
    /* the point at the target's centre (pixels 2..5) */
    sht_vtx v = {0, 0, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1};
    vgt_error err = {0};
    if (sht_draw(f, &v, 1, VGT_SVGA3D_PRIMITIVE_POINTLIST, 1, VGT_SVGA3D_DECLUSAGE_POSITION,
                 &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
    sht_read_float(f);
    expect(f, 4, 4, "sprite, packed .zw", 0.25f, 0.5f, 0, 1, 0);
    expect(f, 0, 0, "outside the point", 0, 0, 0, 0, 0);
}

/* The 8x8 pixels' .z after drawing with ps (texcoord0's u in .z). */
static void wrap_draw(sht_fx *f, const char *ps, uint32_t id, float out[SHT_W * SHT_H])
{
    define(f, PS, id, ps);
    fullscreen(f, 0, 0, 0);
    for (uint32_t y = 0; y < SHT_H; y++) {
        for (uint32_t x = 0; x < SHT_W; x++) {
            float p[4];
            sht_pixel(f, x, y, p);
            out[y * SHT_W + x] = p[2];
        }
    }
}

static void test_sm3_packed_wrap(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    /* RS WRAP0's bits name TEXCOORD0's components by position: with u in
     * .z and WRAP0 = 4 (coordinate 2) the packed .zw declaration wraps as
     * the whole-register one does */
    define(f, VS, 1,
           "vs_3_0\ndcl_position v0\ndcl_texcoord v1\ndcl_position o0\ndcl_texcoord o1\n"
           "mov o0, v0\nmov o1, v1.zwxy\n");
    static float plain[SHT_W * SHT_H], whole[SHT_W * SHT_H], packed[SHT_W * SHT_H];
    static const char *const ps_whole = "ps_3_0\ndcl_texcoord0 v0\nmov oC0, v0\n";
    wrap_draw(f, ps_whole, 1, plain);
    sht_rs(f, VGT_SVGA3D_RS_WRAP0, 4);
    wrap_draw(f, ps_whole, 2, whole);
    wrap_draw(f, "ps_3_0\ndcl_color0 v0.xy\ndcl_texcoord0 v0.zw\nmov oC0, v0\n", 3, packed);
    uint32_t differ = 0;
    for (uint32_t i = 0; i < SHT_W * SHT_H; i++) {
        if (fabsf(plain[i] - whole[i]) > 1e-3f) {
            differ++;
        }
        if (fabsf(packed[i] - whole[i]) > 1e-5f) {
            fail_msg("pixel %u: packed .z %g, whole register %g", i, packed[i], whole[i]);
        }
    }
    /* the wrap changed something (else the comparison proves nothing) */
    assert_true(differ > 0);
}

/* The most a pair can pack: 40 semantics, four in each of o1..o10 and
 * v0..v9 (the ps's registers in the reverse order). */
static void packed_full_text(char *vs, size_t nvs, char *ps, size_t nps)
{
    static const char *const u[3] = {"texcoord", "normal", "tangent"};
    size_t a = (size_t)snprintf(vs, nvs, "vs_3_0\ndcl_position v0\ndcl_position o0\n");
    size_t b = (size_t)snprintf(ps, nps, "ps_3_0\n");
    for (uint32_t r = 0; r < 10; r++) {
        for (uint32_t c = 0; c < 4; c++) {
            uint32_t k = r * 4 + c; /* texcoord0-15, normal0-15, tangent0-7 */
            a += (size_t)snprintf(vs + a, nvs - a, "dcl_%s%u o%u.%c\n", u[k / 16], k % 16, r + 1,
                                  "xyzw"[c]);
            b += (size_t)snprintf(ps + b, nps - b, "dcl_%s%u v%u.%c\n", u[k / 16], k % 16, 9 - r,
                                  "xyzw"[c]);
        }
    }
    a += (size_t)snprintf(vs + a, nvs - a, "mov o0, v0\n");
    for (uint32_t r = 0; r < 10; r++) {
        a += (size_t)snprintf(vs + a, nvs - a, "mov o%u, c%u\n", r + 1, r);
    }
    /* weights: v<k> * (k + 1), so a register read from the wrong place
     * changes the sum */
    b += (size_t)snprintf(ps + b, nps - b, "mul r0, v0, c0\n");
    for (uint32_t k = 1; k < 10; k++) {
        b += (size_t)snprintf(ps + b, nps - b, "mad r0, v%u, c%u, r0\n", k, k);
    }
    snprintf(ps + b, nps - b, "mov oC0, r0\n");
}

static void test_sm3_packed_full(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    char vs[4096], ps[4096];
    packed_full_text(vs, sizeof(vs), ps, sizeof(ps));
    define(f, VS, 1, vs);
    define(f, PS, 1, ps);
    for (uint32_t r = 0; r < 10; r++) {
        float m = (float)(r + 1);
        sht_constf(f, VS, r, m, 2 * m, 3 * m, 4 * m);
        sht_constf(f, PS, r, m, m, m, m);
    }
    vgt_error err = {0};
    vgt_status st = sht_fullscreen(f, 0, 0, 0, &err);
    assert_int_equal(st, VGT_OK);
    sht_read_float(f);
    /* v(9 - r) = (r + 1) * (1, 2, 3, 4) weighted by 10 - r: 220 * (1, 2, 3, 4) */
    expect(f, 7, 0, "40 packed semantics", 220, 440, 660, 880, 0);
}

static void test_vface_odepth(void **state)
{
    sht_fx *f = *state;
    sht_scene_float(f);
    define(f, PS, 1, "ps_3_0\ndcl vFace\nmov r0, vFace\nmov oC0, r0\n");
    /* a clockwise (front) and a counter-clockwise (back) triangle */
    sht_vtx cw[3] = {{-1, 1, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1},
                     {1, 1, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1},
                     {-1, -1, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1}};
    sht_vtx ccw[3] = {{1, 1, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1},
                      {-1, -1, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1},
                      {1, -1, 0.5f, 1, 0, 0, 0, 0, 0, 0, 0, 1}};
    vgt_error err = {0};
    assert_int_equal(sht_draw(f, cw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    assert_int_equal(sht_draw(f, ccw, 3, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1,
                              VGT_SVGA3D_DECLUSAGE_POSITION, &err),
                     VGT_OK);
    sht_read_float(f);
    expect(f, 1, 1, "vFace front", 1, 1, 1, 1, 0);
    expect(f, 6, 6, "vFace back", -1, -1, -1, -1, 0);
    /* oDepth 0.25 with z test LESS: a quad at 0.5 drawn after is hidden */
    sht_rs(f, VGT_SVGA3D_RS_ZENABLE, 1);
    sht_rs(f, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS);
    define(f, PS, 1, "ps_2_0\ndef c0, 0.25, 1, 0, 0\nmov oDepth, c0.x\nmov oC0, c0.y\n");
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f);
    fullscreen(f, 0, 0, 0);
    define(f, PS, 1, "ps_2_0\ndef c0, 0.5, 1, 0, 0\nmov oC0, c0.x\n");
    fullscreen(f, 0, 0, 0);
    expect(f, 3, 3, "oDepth hides the later quad", 1, 1, 1, 1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sm2_registers, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_semantics, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_ff_behind_vs, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_ps_behind_ff, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_vface_odepth, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_vs, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_ps, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_positions, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_to_old_consumers, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_sprite, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_wrap, sht_setup, sht_teardown),
        cmocka_unit_test_setup_teardown(test_sm3_packed_full, sht_setup, sht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
