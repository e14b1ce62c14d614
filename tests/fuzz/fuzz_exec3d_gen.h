/* fuzz_exec3d_gen.h - fuzz_exec3d's structure-aware mode (flags bit 3): the
 * input drives a small generator of plausible SVGA3D command sequences, so
 * that mutations reach the state tracker and the soft rasterizer (clipper,
 * span loops, samplers, blend, stencil, shader interpreter) instead of
 * stopping at the decoder.
 *
 * The commands are encoded by the real guest driver (samples/driver:
 * vgt_drv3d_*, and vgt_drv3d_reserve for the commands it has no helper
 * for) writing into a FIFO that lives in plain memory: the harness takes
 * each committed command out of the ring and rewinds it, so no device is
 * involved.  After encoding, a few field edits (a count, a length, an id, a
 * float) keep the hostile side alive.
 *
 * Input after the flags byte: u32 seed of the guest memory's contents
 * (plausible vertex floats, 16- and 32-bit indices, texel bytes), u8 setup
 * (the first context's targets), then up to FG_MAX_OPS operations (u8 op +
 * its bytes), then u8 edit count and 8 bytes per edit.  Sizes are kept small
 * (surfaces up to 64 texels a side, 64 primitives a range) so that one input
 * stays fast on soft; only the edits make them large, as a hostile guest
 * would. */
#ifndef FUZZ_EXEC3D_GEN_H
#define FUZZ_EXEC3D_GEN_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "vgt_samples.h"
#include "vgt_shader.h"

#define FG_MEM_SIZE    49152u /* guest memory of the structured mode */
#define FG_VB_OFFSET   0u     /* vertex floats */
#define FG_VB_BYTES    16384u
#define FG_IB16_OFFSET 16384u /* 16-bit indices */
#define FG_IB32_OFFSET 20480u /* 32-bit indices */
#define FG_IB_BYTES    4096u
#define FG_TEX_OFFSET  24576u /* texel bytes, query results */
#define FG_MAX_OPS     48u
#define FG_NOPS        24u /* operation kinds: op byte % FG_NOPS */
#define FG_MAX_EDITS   8u
#define FG_RING_BYTES  (256u * 1024u)
#define FG_RING_MIN    4096u /* past the FIFO registers */

/* The commands generated, as one word stream, and where each starts. */
typedef struct fg_out {
    uint32_t *words;
    size_t n, cap;
    size_t starts[FG_MAX_OPS * 8u + 16u];
    size_t ncmds;
} fg_out;

typedef struct fg {
    fz *in;
    vgt_drv drv; /* the guest driver, on a ring in plain memory */
    uint32_t *ring;
    uint8_t *bounce;
    fg_out *out;
    uint64_t rng;
} fg;

static inline uint32_t fg_rand(fg *g)
{
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* Takes the command the driver just committed out of the ring and rewinds
 * it (NEXT_CMD and STOP back at MIN), so the next one starts there again.  A
 * command the driver refused (drv.failed: an assembly error, too large) is
 * dropped and the driver made usable again. */
static inline void fg_take(fg *g)
{
    vgt_drv *d = &g->drv;
    uint32_t next = vgt_drv_fifo_get(d, VGT_SVGA_FIFO_NEXT_CMD);
    if (!d->failed && next > FG_RING_MIN &&
        g->out->ncmds < sizeof(g->out->starts) / sizeof(size_t)) {
        size_t k = (next - FG_RING_MIN) / 4u;
        if (g->out->n + k > g->out->cap) {
            size_t cap = (g->out->n + k) * 2u;
            uint32_t *w = realloc(g->out->words, cap * 4u);
            if (!w) {
                return;
            }
            g->out->words = w;
            g->out->cap = cap;
        }
        g->out->starts[g->out->ncmds++] = g->out->n;
        memcpy(g->out->words + g->out->n, g->ring + FG_RING_MIN / 4u, k * 4u);
        g->out->n += k;
    }
    d->failed = false;
    d->fifo_state.reserved_size = 0;
    vgt_drv_fifo_set(d, VGT_SVGA_FIFO_NEXT_CMD, FG_RING_MIN);
    vgt_drv_fifo_set(d, VGT_SVGA_FIFO_STOP, FG_RING_MIN);
}

/* n bytes of the input in order.  The generator reads through this (or one
 * read per statement) wherever several values go into one initializer or
 * call: C leaves their order unspecified, and an input must mean the same
 * command sequence to gcc's build (the regression replay) and clang's (the
 * fuzzer). */
static inline void fg_u8s(fg *g, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        b[i] = fz_u8(g->in);
    }
}

/* A float: mostly in a sensible range, sometimes extreme or not finite. */
static inline float fg_float(fg *g, float lo, float hi)
{
    uint8_t s = fz_u8(g->in);
    switch (s >> 5) {
    case 0: {
        static const float odd[8] = {0.0f, -0.0f, 1.0f, -1.0f, 1e30f, -1e-30f, 65504.0f, 0.5f};
        return odd[s & 7u];
    }
    case 1: {
        uint32_t u = fz_u32(g->in);
        float f;
        memcpy(&f, &u, 4);
        return f; /* any bits: NaN, inf, denormals */
    }
    case 2:
        return (s & 1u) ? INFINITY : ((s & 2u) ? -INFINITY : NAN);
    default:
        return lo + (hi - lo) * (float)fz_u8(g->in) / 255.0f;
    }
}

/* A 32-bit state value: an enum value, a bool, a float's bits or extreme. */
static inline uint32_t fg_value(fg *g)
{
    uint8_t s = fz_u8(g->in);
    switch (s & 7u) {
    case 0:
    case 1:
    case 2:
        return s >> 3; /* 0..31: the enums and bools */
    case 3: {
        float f = fg_float(g, -2.0f, 64.0f);
        uint32_t u;
        memcpy(&u, &f, 4);
        return u;
    }
    case 4:
        return fz_u32(g->in);
    case 5:
        return (s & 8u) ? 0xFFFFFFFFu : 0x80000000u;
    default:
        return fz_u8(g->in); /* a colour channel, a reference value, a mask */
    }
}

/* A surface id: mostly one of the few the generator defines. */
static inline uint32_t fg_sid(fg *g)
{
    uint8_t s = fz_u8(g->in);
    if (s >= 250u) {
        return s == 255u ? VGT_SVGA3D_INVALID_ID : fz_u32(g->in);
    }
    return 1u + s % 10u;
}

static inline uint32_t fg_cid(fg *g)
{
    uint8_t s = fz_u8(g->in);
    return s < 240u ? 1u + (s & 1u) : (s == 255u ? fz_u32(g->in) : s % 4u);
}

static const uint32_t fg_formats[] = {
    VGT_SVGA3D_X8R8G8B8,    VGT_SVGA3D_A8R8G8B8,
    VGT_SVGA3D_R5G6B5,      VGT_SVGA3D_X1R5G5B5,
    VGT_SVGA3D_A1R5G5B5,    VGT_SVGA3D_A4R4G4B4,
    VGT_SVGA3D_Z_D32,       VGT_SVGA3D_Z_D16,
    VGT_SVGA3D_Z_D24S8,     VGT_SVGA3D_Z_D15S1,
    VGT_SVGA3D_LUMINANCE8,  VGT_SVGA3D_LUMINANCE4_ALPHA4,
    VGT_SVGA3D_LUMINANCE16, VGT_SVGA3D_LUMINANCE8_ALPHA8,
    VGT_SVGA3D_DXT1,        VGT_SVGA3D_DXT3,
    VGT_SVGA3D_DXT5,        VGT_SVGA3D_BUMPU8V8,
    VGT_SVGA3D_BUMPL6V5U5,  VGT_SVGA3D_BUMPX8L8V8U8,
    VGT_SVGA3D_ARGB_S10E5,  VGT_SVGA3D_ARGB_S23E8,
    VGT_SVGA3D_A2R10G10B10, VGT_SVGA3D_V8U8,
    VGT_SVGA3D_Q8W8V8U8,    VGT_SVGA3D_CXV8U8,
    VGT_SVGA3D_ALPHA8,      VGT_SVGA3D_R_S10E5,
    VGT_SVGA3D_R_S23E8,     VGT_SVGA3D_RG_S10E5,
    VGT_SVGA3D_RG_S23E8,    VGT_SVGA3D_BUFFER,
    VGT_SVGA3D_Z_D24X8,
};

static inline void fg_surface(fg *g)
{
    uint32_t sid = fg_sid(g);
    uint8_t kind = fz_u8(g->in);
    uint32_t fmt = fg_formats[fz_u8(g->in) % (sizeof(fg_formats) / sizeof(fg_formats[0]))];
    if (kind == 255u) {
        fmt = fz_u8(g->in); /* unknown formats too */
    }
    uint32_t flags = fz_u8(g->in) & 0x3Eu;
    uint32_t w = 1u + fz_u8(g->in) % 64u, h = 1u + fz_u8(g->in) % 64u, d = 1;
    switch (kind & 3u) {
    case 1:
        flags |= VGT_SVGA3D_SURFACE_CUBEMAP;
        h = w;
        break;
    case 2:
        d = 1u + fz_u8(g->in) % 8u; /* a volume */
        break;
    case 3:
        if (fmt == VGT_SVGA3D_BUFFER) {
            w = 64u * (1u + fz_u8(g->in) % 64u);
            h = 1;
        }
        break;
    default:
        break;
    }
    uint32_t mips = 1u + (kind >> 2) % 8u; /* up to one past the full chain */
    vgt_drv3d_define_surface(&g->drv, sid, flags, fmt, w, h, d, mips);
    fg_take(g);
}

static inline void fg_dma(fg *g, bool to_guest)
{
    uint8_t s = fz_u8(g->in);
    vgt_svga_guest_ptr ptr = {s & 0x80u ? VGT_SVGA_GMR_FRAMEBUFFER : 0u,
                              (uint32_t)fz_u16(g->in) % FG_MEM_SIZE};
    if ((s & 0x40u) == 0 && !to_guest) {
        ptr.offset = FG_TEX_OFFSET + ptr.offset % 8192u;
    }
    vgt_svga3d_surface_image_id host = {fg_sid(g), 0, (s >> 3) % 4u};
    if (s % 6u == 5u) {
        host.face = fz_u8(g->in) % 6u;
    }
    uint32_t pitch = (s & 0x20u) ? fz_u16(g->in) : 0u;
    vgt_svga3d_copy_box boxes[3];
    uint32_t count = s % 3u;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t b[5];
        fg_u8s(g, b, 5);
        boxes[i] = (vgt_svga3d_copy_box){b[0] & 15u,      (b[0] >> 4) & 15u, 0,
                                         1u + b[1] % 64u, 1u + b[2] % 64u,   1u + (b[0] >> 7),
                                         b[3] % 8u,       b[4] % 8u,         0};
    }
    if (count == 0) {
        /* one box over a buffer's bytes or a whole small image */
        boxes[0] = (vgt_svga3d_copy_box){0, 0, 0, 64u * (1u + fz_u8(g->in) % 64u), 1, 1, 0, 0, 0};
        count = 1;
    }
    vgt_svga3d_dma_suffix suffix = {12, 0xFFFFFFFFu, 0};
    if (s & 0x10u) {
        suffix.maximum_offset = fz_u16(g->in);
    }
    suffix.flags = fz_u8(g->in) & 3u;
    vgt_drv3d_surface_dma(&g->drv, ptr, pitch, host,
                          to_guest ? VGT_SVGA3D_READ_HOST_VRAM : VGT_SVGA3D_WRITE_HOST_VRAM, boxes,
                          count, (s & 8u) ? &suffix : NULL);
    fg_take(g);
}

/* The generator's vertex and pixel shaders: assembly text built from the
 * input (a few models, declarations, up to 12 instructions from a table),
 * assembled by the real assembler inside vgt_drv3d_define_shader_text. */
static inline void fg_shader_text(fg *g, char *t, size_t cap, bool ps, uint8_t model)
{
    static const char *vs_models[] = {"vs_1_1", "vs_2_0", "vs_2_x", "vs_3_0"};
    static const char *ps_models[] = {"ps_2_0", "ps_2_x", "ps_3_0", "ps_1_1", "ps_1_4"};
    static const char *ops2[] = {"add", "mul", "min", "max", "dp3", "dp4", "sge", "slt", "sub"};
    static const char *ops1[] = {"mov", "rcp", "rsq", "frc", "exp", "log", "abs", "nrm", "mov_sat"};
    size_t n = 0;
#define FG_EMIT(...)                                                                               \
    do {                                                                                           \
        int k_ = snprintf(t + n, cap - n, __VA_ARGS__);                                            \
        if (k_ > 0 && (size_t)k_ < cap - n) {                                                      \
            n += (size_t)k_;                                                                       \
        }                                                                                          \
    } while (0)
    bool v3, p1 = false;
    if (!ps) {
        uint32_t m = model % 4u;
        v3 = m == 3u;
        FG_EMIT("%s\n", vs_models[m]);
        double c[3];
        for (uint32_t i = 0; i < 3; i++) {
            c[i] = (double)fg_float(g, i < 2u ? -2.0f : 0.0f, i < 2u ? 2.0f : 4.0f);
        }
        FG_EMIT("def c90, %g, %g, %g, 1\n", c[0], c[1], c[2]);
        FG_EMIT("dcl_position v0\ndcl_texcoord0 v1\ndcl_color v2\n");
        if (v3) {
            FG_EMIT("dcl_position o0\ndcl_texcoord0 o1\ndcl_color o2\n");
        }
        FG_EMIT("mov r0, v0\nmov r1, v1\nmov r2, v2\nmov r3, c90\n");
    } else {
        uint32_t m = model % 5u;
        p1 = m >= 3u;
        FG_EMIT("%s\n", ps_models[m]);
        if (p1) {
            float k = fg_float(g, -1, 1);
            FG_EMIT("def c7, %g, 0.5, 0.25, 1\n", (double)k);
            /* the ps_1_x texture-address and bump instructions, chosen by
             * c7's value (no byte more read: the seeds decode as before) */
            static const char *const ps11[] = {
                "tex t0\nmul r0, t0, v0\nadd r1, r0, c7\nmul r0, r1, c0\n",
                "tex t0\ntexbem t1, t0\nmul r0, t1, v0\n",
                "tex t0\ntexbeml t1, t0\nadd r0, t1, c7\n",
                "tex t0\ntexm3x2pad t1, t0\ntexm3x2tex t2, t0\nmul r0, t2, v0\n",
                "tex t0\ntexreg2ar t1, t0\nmov r0, t1\n",
                ("tex t0\ntexm3x3pad t1, t0\ntexm3x3pad t2, t0\ntexm3x3tex t3, t0\n"
                 "mov r0, t3\n")};
            static const char *const ps14[] = {
                "texld r0, t0\ntexcrd r1.xyz, t1\nmul r0, r0, v0\nadd r0, r0, r1\n",
                ("texld r0, t0\ntexcrd r2.rgb, t0\nbem r1.rg, r2, r0\nphase\ntexld r1, r1\n"
                 "mul r0, r1, v0\n")};
            uint32_t pick; /* from k's bits: k can be 1e30 (no cast of it) */
            memcpy(&pick, &k, sizeof(pick));
            pick ^= pick >> 16;
            if (m == 3u) {
                FG_EMIT("%s", ps11[pick % (sizeof(ps11) / sizeof(ps11[0]))]);
            } else {
                FG_EMIT("%s", ps14[pick % (sizeof(ps14) / sizeof(ps14[0]))]);
            }
            return;
        }
        double c0 = (double)fg_float(g, -1, 1);
        double c1 = (double)fg_float(g, 0, 2);
        FG_EMIT("def c30, %g, %g, 0.5, 1\n", c0, c1);
        if (m == 2u) {
            FG_EMIT("dcl_texcoord0 v0\ndcl_color v1\n");
        } else {
            FG_EMIT("dcl t0\ndcl v0\n");
        }
        uint8_t st = fz_u8(g->in);
        FG_EMIT("%s s0\n",
                (st & 3u) == 1u ? "dcl_cube" : ((st & 3u) == 2u ? "dcl_volume" : "dcl_2d"));
        FG_EMIT("%s r0, %s, s0\n", (st & 4u) ? "texldp" : ((st & 8u) ? "texldb" : "texld"),
                m == 2u ? "v0" : "t0");
        FG_EMIT("mov r1, %s\nmov r2, c30\nmov r3, c0\n", m == 2u ? "v1" : "v0");
        v3 = m == 2u;
    }
    static const char *sw[] = {"", ".x", ".yzxw", ".wzyx", "_abs", ""};
    for (uint32_t i = 0, ni = fz_u8(g->in) % 12u; i < ni; i++) {
        uint8_t a = fz_u8(g->in), b = fz_u8(g->in);
        uint32_t d = a % 4u, s0 = b % 4u, s1 = (b >> 2) % 4u;
        const char *neg = (b & 0x80u) ? "-" : "";
        const char *swz = sw[(b >> 4) % 6u];
        if (swz[0] == '_' && !(ps && v3)) {
            swz = "";
        }
        if (a & 0x80u) {
            FG_EMIT("%s r%u, %sr%u%s\n", ops1[(a >> 2) % 9u], d, neg, s0, swz);
        } else if (a & 0x40u) {
            FG_EMIT("mad r%u, r%u, %sr%u, c%u\n", d, s0, neg, s1, (b >> 5) % 8u);
        } else if (ps && (a & 0x20u)) {
            FG_EMIT("%s r%u, r%u, r%u, c30\n", (a & 0x10u) ? "cmp" : "lrp", d, s0, s1);
        } else if (ps && (a & 0x10u) && (b & 1u)) {
            FG_EMIT("texkill r%u\n", d);
        } else {
            FG_EMIT("%s r%u, r%u, %sr%u%s\n", ops2[(a >> 2) % 9u], d, s0, neg, s1, swz);
        }
    }
    uint8_t o = fz_u8(g->in);
    if (!ps) {
        if (o & 1u) {
            FG_EMIT("m4x4 %s, r0, c%u\n", v3 ? "o0" : "oPos", (o >> 1) % 8u);
        } else {
            FG_EMIT("mov %s, r%u\n", v3 ? "o0" : "oPos", (o >> 1) % 4u);
        }
        FG_EMIT("mov %s, r%u\nmov %s, r%u\n", v3 ? "o1" : "oT0", (o >> 3) % 4u, v3 ? "o2" : "oD0",
                (o >> 5) % 4u);
    } else {
        FG_EMIT("mov oC0, r%u\n", o % 4u);
        if (o & 4u) {
            FG_EMIT("mov oDepth, r%u.x\n", (o >> 3) % 4u);
        }
    }
#undef FG_EMIT
}

static inline void fg_shader_define(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t cid = fg_cid(g), shid = fz_u8(g->in) % 4u;
    uint32_t type = (s & 1u) ? VGT_SVGA3D_SHADERTYPE_PS : VGT_SVGA3D_SHADERTYPE_VS;
    if (s & 0x80u) {
        /* bytes as bytecode, behind a version token of the right kind */
        size_t got = 0;
        const uint8_t *p = fz_bytes(g->in, 4u * (1u + fz_u8(g->in) % 64u), &got);
        uint32_t *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SHADER_DEFINE,
                                        (uint32_t)(16u + (got & ~(size_t)3u)));
        if (c) {
            c[0] = cid;
            c[1] = shid;
            c[2] = (s & 0x40u) ? s % 4u : type;
            c[3] = (type == VGT_SVGA3D_SHADERTYPE_PS ? 0xFFFF0000u : 0xFFFE0000u) |
                   (uint32_t)(2u + (s >> 3) % 2u) << 8;
            memcpy(c + 4, p, got & ~(size_t)3u);
            vgt_drv_fifo_commit_all(&g->drv);
        }
    } else {
        char text[2048];
        fg_shader_text(g, text, sizeof(text), type == VGT_SVGA3D_SHADERTYPE_PS, s >> 1);
        vgt_drv3d_define_shader_text(&g->drv, cid, type, shid, text);
    }
    fg_take(g);
    if (s & 0x20u) {
        vgt_drv3d_set_shader(&g->drv, cid, type, shid);
        fg_take(g);
    }
}

static inline void fg_draw(fg *g)
{
    static const uint32_t types[] = {VGT_SVGA3D_DECLTYPE_FLOAT1,   VGT_SVGA3D_DECLTYPE_FLOAT2,
                                     VGT_SVGA3D_DECLTYPE_FLOAT3,   VGT_SVGA3D_DECLTYPE_FLOAT4,
                                     VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLTYPE_FLOAT16_2,
                                     VGT_SVGA3D_DECLTYPE_FLOAT16_4};
    static const uint32_t usages[] = {
        VGT_SVGA3D_DECLUSAGE_POSITION, VGT_SVGA3D_DECLUSAGE_COLOR, VGT_SVGA3D_DECLUSAGE_TEXCOORD,
        VGT_SVGA3D_DECLUSAGE_NORMAL,   VGT_SVGA3D_DECLUSAGE_PSIZE, VGT_SVGA3D_DECLUSAGE_POSITIONT};
    uint8_t s = fz_u8(g->in);
    uint32_t cid = fg_cid(g);
    vgt_svga3d_vertex_decl decls[4];
    uint32_t divisors[4];
    uint32_t nd = 1u + s % 4u;
    for (uint32_t i = 0; i < nd; i++) {
        uint8_t a = fz_u8(g->in), b = fz_u8(g->in);
        uint32_t type = i == 0
                            ? ((a & 1u) ? VGT_SVGA3D_DECLTYPE_FLOAT4 : VGT_SVGA3D_DECLTYPE_FLOAT3)
                            : types[a % 7u];
        uint32_t usage =
            i == 0 ? ((a & 2u) ? VGT_SVGA3D_DECLUSAGE_POSITIONT : VGT_SVGA3D_DECLUSAGE_POSITION)
                   : usages[(a >> 3) % 6u];
        if (a == 255u) {
            type = fz_u8(g->in) % (VGT_SVGA3D_DECLTYPE_MAX + 2u);
            usage = fz_u8(g->in) % (VGT_SVGA3D_DECLUSAGE_MAX + 2u);
        }
        decls[i] = (vgt_svga3d_vertex_decl){
            .type = type,
            .method = (b & 0xC0u) == 0xC0u ? (b & 7u) : VGT_SVGA3D_DECLMETHOD_DEFAULT,
            .usage = usage,
            .usage_index = i == 0 ? 0u : (b >> 3) % 3u,
            .array = {(b & 0x30u) == 0x30u ? fg_sid(g) : 3u, 4u * (uint32_t)(b % 8u),
                      (b & 0x20u) ? 16u : 32u},
            .range_first = 0,
            .range_last = 0,
        };
        uint8_t dv = fz_u8(g->in);
        divisors[i] = (dv & 0x80u)
                          ? VGT_SVGA3D_DIVISOR_INSTANCE_DATA | (dv % 4u)
                          : ((dv & 0x40u) ? VGT_SVGA3D_DIVISOR_INDEXED_DATA | (1u + dv % 4u)
                                          : (dv & 0x20u ? dv : 0u));
    }
    vgt_svga3d_primitive_range ranges[2];
    uint32_t nr = 1u + (s >> 2) % 2u;
    for (uint32_t i = 0; i < nr; i++) {
        uint8_t a = fz_u8(g->in), b = fz_u8(g->in);
        uint32_t prim = 1u + a % (VGT_SVGA3D_PRIMITIVE_MAX - 1u);
        if (a >= 250u) {
            prim = a % 8u == 7u ? 0u : VGT_SVGA3D_PRIMITIVE_MAX; /* invalid ones */
        }
        uint32_t count = 1u + b % 64u;
        uint8_t ix = fz_u8(g->in);
        vgt_svga3d_primitive_range r = {.prim_type = prim, .primitive_count = count};
        r.index_array.surface_id = VGT_SVGA3D_INVALID_ID;
        if (ix & 1u) {
            bool wide = (ix & 2u) != 0;
            r.index_array.surface_id = (ix & 0x80u) ? fg_sid(g) : (wide ? 5u : 4u);
            r.index_array.offset = 2u * (uint32_t)((ix >> 2) % 8u);
            r.index_width = wide ? 4u : 2u;
            if ((ix & 0x60u) == 0x60u) {
                r.index_width = (ix >> 2) % 6u; /* 0, 1, 3, 5: refused */
            }
            r.index_array.stride = r.index_width;
            r.index_bias = (ix & 0x10u) ? (int32_t)(int8_t)fz_u8(g->in) : 0;
        }
        ranges[i] = r;
    }
    vgt_drv3d_draw_primitives_instanced(&g->drv, cid, decls, nd, ranges, nr,
                                        (s & 0x40u) ? divisors : NULL);
    fg_take(g);
}

static inline void fg_states(fg *g, bool texture)
{
    uint32_t cid = fg_cid(g);
    uint32_t n = 1u + fz_u8(g->in) % 4u;
    if (texture) {
        vgt_svga3d_texture_state_entry e[4];
        for (uint32_t i = 0; i < n; i++) {
            uint8_t a = fz_u8(g->in);
            e[i].stage = a < 240u ? a % 4u : a % 20u;
            e[i].name = 1u + fz_u8(g->in) % VGT_SVGA3D_TS_MAX;
            e[i].value =
                e[i].name == VGT_SVGA3D_TS_BIND_TEXTURE && (a & 0x10u) ? fg_sid(g) : fg_value(g);
        }
        vgt_drv3d_set_texture_states(&g->drv, cid, e, n);
    } else {
        vgt_svga3d_render_state_pair p[4];
        for (uint32_t i = 0; i < n; i++) {
            p[i].state = fz_u8(g->in) % (VGT_SVGA3D_RS_MAX + 1u);
            p[i].value = fg_value(g);
        }
        vgt_drv3d_set_render_states(&g->drv, cid, p, n);
    }
    fg_take(g);
}

/* A whole sampler in one SETTEXTURESTATE: a texture bound, addressing,
 * filters, border colour, LOD bias, top mip level, anisotropy and the
 * fixed-function colour operation; so that draws reach every addressing
 * mode and filter of the samplers without the fuzzer having to guess a
 * state id and its value at once. */
static inline void fg_sampler(fg *g)
{
    uint8_t stage = fz_u8(g->in);
    uint32_t cid = fg_cid(g);
    uint32_t sid = fg_sid(g);
    uint8_t b[4];
    fg_u8s(g, b, 4);
    uint32_t border = fz_u32(g->in);
    float bias = fg_float(g, -2.0f, 2.0f);
    uint32_t bias_bits;
    memcpy(&bias_bits, &bias, 4);
    uint32_t st = stage < 240u ? stage % 4u : stage % 20u;
    const vgt_svga3d_texture_state_entry e[11] = {
        {st, VGT_SVGA3D_TS_BIND_TEXTURE, sid},
        {st, VGT_SVGA3D_TS_ADDRESSU, 1u + b[0] % 6u},
        {st, VGT_SVGA3D_TS_ADDRESSV, 1u + (b[0] / 6u) % 6u},
        {st, VGT_SVGA3D_TS_ADDRESSW, 1u + (b[0] / 36u) % 6u},
        {st, VGT_SVGA3D_TS_MINFILTER, b[1] % 4u},
        {st, VGT_SVGA3D_TS_MAGFILTER, (b[1] >> 2) % 4u},
        {st, VGT_SVGA3D_TS_MIPFILTER, (b[1] >> 4) % 4u},
        {st, VGT_SVGA3D_TS_BORDERCOLOR, border},
        {st, VGT_SVGA3D_TS_TEXTURE_LOD_BIAS, bias_bits},
        {st, VGT_SVGA3D_TS_TEXTURE_MIPMAP_LEVEL, b[2] % 4u},
        {st, VGT_SVGA3D_TS_TEXTURE_ANISOTROPIC_LEVEL, (b[2] >> 2) % 17u},
    };
    /* b[3]: how many of them (the bind always), and COLOROP after them */
    vgt_svga3d_texture_state_entry all[12];
    uint32_t n = 1u + b[3] % 11u;
    memcpy(all, e, n * sizeof(e[0]));
    if (b[3] & 0x80u) {
        all[n++] = (vgt_svga3d_texture_state_entry){st, VGT_SVGA3D_TS_COLOROP, 1u + b[3] % 26u};
    }
    vgt_drv3d_set_texture_states(&g->drv, cid, all, n);
    fg_take(g);
}

static inline void fg_transform(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t cid = fg_cid(g);
    float m[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    for (uint32_t i = 0, k = s % 6u; i < k; i++) {
        uint8_t at = fz_u8(g->in);
        m[at % 16u] = fg_float(g, -2.0f, 2.0f);
    }
    uint32_t type = (s >> 3) % (VGT_SVGA3D_TRANSFORM_MAX + 1u);
    vgt_drv3d_set_transform(&g->drv, cid, type, m);
    fg_take(g);
}

static inline void fg_rects(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t cid = fg_cid(g);
    uint32_t x = fz_u8(g->in) % 72u, y = fz_u8(g->in) % 72u;
    uint32_t w = fz_u8(g->in) % 72u, h = fz_u8(g->in) % 72u;
    if (s & 0x80u) {
        w = fz_u32(g->in); /* a rectangle past every edge */
    }
    switch (s % 3u) {
    case 0:
        vgt_drv3d_set_viewport(&g->drv, cid, x, y, w, h);
        break;
    case 1:
        vgt_drv3d_set_scissor(&g->drv, cid, x, y, w, h);
        break;
    default: {
        float zmin = fg_float(g, 0, 1);
        float zmax = fg_float(g, 0, 1);
        vgt_drv3d_set_z_range(&g->drv, cid, zmin, zmax);
        break;
    }
    }
    fg_take(g);
}

static inline void fg_clip_plane(fg *g)
{
    vgt_svga3d_cmd_setclipplane d = {.cid = fg_cid(g)};
    d.index = fz_u8(g->in) % 8u;
    for (uint32_t i = 0; i < 4; i++) {
        d.plane[i] = fg_float(g, -1.0f, 1.0f);
    }
    void *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SETCLIPPLANE, sizeof(d));
    if (c) {
        memcpy(c, &d, sizeof(d));
        vgt_drv_fifo_commit_all(&g->drv);
    }
    fg_take(g);
}

static inline void fg_lighting(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t cid = fg_cid(g);
    if (s % 3u == 0) {
        vgt_svga3d_light_data l = {.type = (s >> 2) % (VGT_SVGA3D_LIGHTTYPE_MAX + 1u),
                                   .in_world_space = (s >> 5) & 1u};
        float *f = l.diffuse;
        for (uint32_t i = 0; i < 27; i++) {
            f[i] = (i < 12u) ? 0.5f : 0.0f;
        }
        l.direction[2] = 1.0f;
        l.range = 100.0f;
        l.attenuation0 = 1.0f;
        for (uint32_t i = 0, k = fz_u8(g->in) % 6u; i < k; i++) {
            uint8_t at = fz_u8(g->in);
            f[at % 27u] = fg_float(g, -2.0f, 2.0f);
        }
        vgt_drv3d_set_light_data(&g->drv, cid, fz_u8(g->in) % 10u, &l);
    } else if (s % 3u == 1) {
        vgt_drv3d_set_light_enabled(&g->drv, cid, fz_u8(g->in) % 10u, (s & 4u) != 0);
    } else {
        vgt_svga3d_material m;
        float *f = m.diffuse;
        for (uint32_t i = 0; i < 17; i++) {
            f[i] = fg_float(g, 0.0f, 1.0f);
        }
        vgt_drv3d_set_material(&g->drv, cid, (s >> 2) % (VGT_SVGA3D_FACE_MAX + 1u), &m);
    }
    fg_take(g);
}

static inline void fg_shader_const(fg *g)
{
    uint8_t s = fz_u8(g->in);
    vgt_svga3d_cmd_set_shader_const d = {
        .cid = fg_cid(g),

        .type = (s & 1u) ? VGT_SVGA3D_SHADERTYPE_PS : VGT_SVGA3D_SHADERTYPE_VS,
        .ctype = (s >> 1) % 4u == 3u ? (s >> 1) % 8u : (s >> 1) % 3u,
    };
    d.reg = s < 250u ? fz_u8(g->in) % 40u : fz_u32(g->in);
    for (uint32_t i = 0; i < 4; i++) {
        float f = fg_float(g, -2.0f, 2.0f);
        memcpy(&d.values[i], &f, 4);
        if (d.ctype != VGT_SVGA3D_CONST_TYPE_FLOAT) {
            d.values[i] = fz_u8(g->in) % 5u;
        }
    }
    void *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SET_SHADER_CONST, sizeof(d));
    if (c) {
        memcpy(c, &d, sizeof(d));
        vgt_drv_fifo_commit_all(&g->drv);
    }
    fg_take(g);
}

static inline void fg_copy(fg *g)
{
    uint8_t s = fz_u8(g->in);
    vgt_svga3d_surface_image_id src = {fg_sid(g), (s >> 1) % 2u, (s >> 2) % 2u};
    vgt_svga3d_surface_image_id dst = {fg_sid(g), 0, (s >> 3) % 2u};
    uint8_t b[8];
    fg_u8s(g, b, 8);
    if (s & 1u) {
        vgt_svga3d_cmd_surface_stretchblt d = {
            .src = src,
            .dest = dst,
            .box_src = {b[0] % 16u, b[1] % 16u, 0, 1u + b[2] % 64u, 1u + b[3] % 64u, 1},
            .box_dest = {b[4] % 16u, b[5] % 16u, 0, 1u + b[6] % 64u, 1u + b[7] % 64u, 1},
            .mode = (s >> 4) % 3u,
        };
        void *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SURFACE_STRETCHBLT, sizeof(d));
        if (c) {
            memcpy(c, &d, sizeof(d));
            vgt_drv_fifo_commit_all(&g->drv);
        }
    } else {
        vgt_svga3d_cmd_surface_copy d = {.src = src, .dest = dst};
        vgt_svga3d_copy_box box = {b[0] % 16u, b[1] % 16u, 0, 1u + b[2] % 64u, 1u + b[3] % 64u, 1,
                                   b[4] % 16u, b[5] % 16u, 0};
        uint8_t *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SURFACE_COPY,
                                       (uint32_t)(sizeof(d) + sizeof(box)));
        if (c) {
            memcpy(c, &d, sizeof(d));
            memcpy(c + sizeof(d), &box, sizeof(box));
            vgt_drv_fifo_commit_all(&g->drv);
        }
    }
    fg_take(g);
}

static inline void fg_query(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t cid = fg_cid(g), type = (s & 0x80u) ? 1u : VGT_SVGA3D_QUERYTYPE_OCCLUSION;
    vgt_svga_guest_ptr res = {0, FG_MEM_SIZE - 64u + 4u * (uint32_t)(s % 20u)};
    switch (s % 3u) {
    case 0:
        vgt_drv3d_begin_query(&g->drv, cid, type);
        break;
    case 1:
        vgt_drv3d_end_query(&g->drv, cid, type, res);
        break;
    default:
        vgt_drv3d_wait_for_query(&g->drv, cid, type, res);
        break;
    }
    fg_take(g);
}

static inline void fg_destroy(fg *g)
{
    uint8_t s = fz_u8(g->in);
    switch (s % 3u) {
    case 0:
        vgt_drv3d_destroy_surface(&g->drv, fg_sid(g));
        break;
    case 1:
        vgt_drv3d_destroy_context(&g->drv, fg_cid(g));
        break;
    default: {
        uint32_t d[3] = {fg_cid(g), 0, 1u + (s >> 2) % 2u};
        d[1] = fz_u8(g->in) % 4u;
        void *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SHADER_DESTROY, sizeof(d));
        if (c) {
            memcpy(c, d, sizeof(d));
            vgt_drv_fifo_commit_all(&g->drv);
        }
        break;
    }
    }
    fg_take(g);
}

static inline void fg_clear_present(fg *g)
{
    uint8_t s = fz_u8(g->in);
    vgt_svga3d_rect r[2];
    uint32_t n = (s >> 2) % 3u;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t b[4];
        fg_u8s(g, b, 4);
        r[i] = (vgt_svga3d_rect){b[0] % 72u, b[1] % 72u, b[2] % 72u, b[3] % 72u};
    }
    if (s & 1u) {
        vgt_svga3d_copy_rect p[2];
        for (uint32_t i = 0; i < n; i++) {
            p[i] = (vgt_svga3d_copy_rect){r[i].x, r[i].y, r[i].w, r[i].h, s % 8u, s % 5u};
        }
        vgt_drv3d_present(&g->drv, fg_sid(g), p, n);
    } else {
        uint32_t cid = fg_cid(g);
        uint32_t color = fz_u32(g->in);
        float depth = fg_float(g, 0, 1);
        uint32_t stencil = fz_u8(g->in);
        vgt_drv3d_clear(&g->drv, cid, (s >> 4) & 7u, color, depth, stencil, r, n);
    }
    fg_take(g);
}

/* SURFACE_DEFINE_V2: a surface with a sample count (0, 1, 2, 4, 8, 16 or
 * any) and an autogen filter, mostly a colour or depth render target of
 * the first context's size range, so that SETRENDERTARGET can draw into it
 * (the multisample path, drawn single-sampled). */
static inline void fg_surface_v2(fg *g)
{
    static const uint32_t fmts[6] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_X8R8G8B8,
                                     VGT_SVGA3D_R5G6B5,   VGT_SVGA3D_Z_D24S8,
                                     VGT_SVGA3D_Z_D16,    VGT_SVGA3D_ARGB_S10E5};
    static const uint32_t samples[8] = {0, 1, 2, 4, 8, 16, 3, 0};
    uint8_t s = fz_u8(g->in);
    vgt_svga3d_cmd_surface_define_v2 d = {.sid = fg_sid(g)};
    d.format = fmts[s % 6u];
    d.surface_flags = (s & 0x40u) ? VGT_SVGA3D_SURFACE_HINT_TEXTURE
                                  : (d.format == VGT_SVGA3D_Z_D24S8 || d.format == VGT_SVGA3D_Z_D16
                                         ? VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL
                                         : VGT_SVGA3D_SURFACE_HINT_RENDERTARGET);
    d.multisample_count = samples[(s >> 3) % 8u];
    if ((s >> 3) % 8u == 7u) {
        d.multisample_count = fz_u32(g->in); /* any count */
    }
    d.autogen_filter = fz_u8(g->in) % 9u;
    uint32_t w = 1u + fz_u8(g->in) % 64u;
    uint32_t h = 1u + fz_u8(g->in) % 64u;
    uint32_t mips = (s & 0x80u) ? 1u + (s & 3u) : 1u;
    d.face_mip_levels[0] = mips;
    uint8_t *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_SURFACE_DEFINE_V2,
                                   (uint32_t)sizeof(d) + mips * 12u);
    if (c) {
        memcpy(c, &d, sizeof(d));
        for (uint32_t m = 0; m < mips; m++) {
            vgt_svga3d_size sz = {w >> m ? w >> m : 1u, h >> m ? h >> m : 1u, 1};
            memcpy(c + sizeof(d) + 12u * m, &sz, sizeof(sz));
        }
        vgt_drv_fifo_commit_all(&g->drv);
    }
    fg_take(g);
}

/* GENERATE_MIPMAPS with every filter (and invalid ones), ACTIVATE_SURFACE
 * and DEACTIVATE_SURFACE (residency hints: a defined id or not). */
static inline void fg_mipmaps(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t sid = fg_sid(g);
    if (s % 3u == 0) {
        vgt_svga3d_cmd_generate_mipmaps d = {.sid = sid, .filter = (s >> 2) % 9u};
        if (s >= 0xF0u) {
            d.filter = fz_u32(g->in);
        }
        void *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_GENERATE_MIPMAPS, sizeof(d));
        if (c) {
            memcpy(c, &d, sizeof(d));
            vgt_drv_fifo_commit_all(&g->drv);
        }
    } else {
        void *c = vgt_drv3d_reserve(
            &g->drv,
            s % 3u == 1u ? VGT_SVGA3D_CMD_ACTIVATE_SURFACE : VGT_SVGA3D_CMD_DEACTIVATE_SURFACE, 4u);
        if (c) {
            memcpy(c, &sid, 4);
            vgt_drv_fifo_commit_all(&g->drv);
        }
    }
    fg_take(g);
}

/* A signed rectangle: mostly inside 72 x 72, sometimes inverted or far. */
static inline vgt_svga_signed_rect fg_srect(fg *g)
{
    uint8_t b[5];
    fg_u8s(g, b, 5);
    vgt_svga_signed_rect r = {b[0] % 72u, b[1] % 72u, 0, 0};
    r.right = r.left + (int32_t)(b[2] % 72u);
    r.bottom = r.top + (int32_t)(b[3] % 72u);
    switch (b[4] % 8u) {
    case 0:
        r.left = -(int32_t)(b[4] >> 3); /* starts off the edge */
        break;
    case 1: {
        int32_t t = r.left; /* inverted */
        r.left = r.right + 1;
        r.right = t;
        break;
    }
    case 2:
        r.right = INT32_MAX - (int32_t)(b[4] >> 3);
        break;
    default:
        break;
    }
    return r;
}

/* The screen side: PRESENT_READBACK into the legacy framebuffer (the
 * harness's mode is 32, 16, 15 or 24 bits, flags bits 4-5),
 * BLIT_SURFACE_TO_SCREEN (virtual coordinates or a screen, scaled, with clip
 * rectangles) and DEFINE_SCREEN for it to land on. */
static inline void fg_screen(fg *g)
{
    uint8_t s = fz_u8(g->in);
    uint32_t n = (s >> 2) % 3u;
    switch (s % 3u) {
    case 0: {
        vgt_svga3d_rect r[2];
        for (uint32_t i = 0; i < n; i++) {
            uint8_t b[4];
            fg_u8s(g, b, 4);
            r[i] = (vgt_svga3d_rect){b[0] % 72u, b[1] % 56u, b[2] % 72u, b[3] % 56u};
        }
        void *c =
            vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_PRESENT_READBACK, n * (uint32_t)sizeof(r[0]));
        if (c) {
            memcpy(c, r, n * sizeof(r[0]));
            vgt_drv_fifo_commit_all(&g->drv);
        }
        break;
    }
    case 1: {
        vgt_svga3d_cmd_blit_surface_to_screen d = {.src_image = {fg_sid(g), 0, 0}};
        uint8_t fm = fz_u8(g->in);
        d.src_image.face = fm % 7u == 6u ? fm % 6u : 0u;
        d.src_image.mipmap = (fm >> 4) % 3u;
        d.src_rect = fg_srect(g);
        uint8_t sc = fz_u8(g->in);
        d.dest_screen_id = sc < 128u ? VGT_SVGA_ID_INVALID : (sc < 250u ? sc % 3u : fz_u32(g->in));
        d.dest_rect = fg_srect(g);
        vgt_svga_signed_rect clip[2];
        for (uint32_t i = 0; i < n; i++) {
            clip[i] = fg_srect(g);
        }
        uint8_t *c = vgt_drv3d_reserve(&g->drv, VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN,
                                       (uint32_t)(sizeof(d) + n * sizeof(clip[0])));
        if (c) {
            memcpy(c, &d, sizeof(d));
            memcpy(c + sizeof(d), clip, n * sizeof(clip[0]));
            vgt_drv_fifo_commit_all(&g->drv);
        }
        break;
    }
    default: {
        vgt_svga_screen_object so = {.struct_size = VGT_SVGA_SCREEN_OBJECT_V1_BYTES};
        so.id = (s >> 2) % 3u;
        so.flags = (s & 0x40u) ? VGT_SVGA_SCREEN_IS_PRIMARY : 0u;
        so.width = 1u + fz_u8(g->in) % 64u;
        so.height = 1u + fz_u8(g->in) % 64u;
        so.root_x = (int32_t)(int8_t)fz_u8(g->in);
        so.root_y = (int32_t)(int8_t)fz_u8(g->in);
        vgt_drv_define_screen(&g->drv, &so);
        break;
    }
    }
    fg_take(g);
}

/* The first context: colour and depth targets of a few formats and sizes,
 * a vertex buffer and two index buffers loaded from the guest memory. */
static inline void fg_preamble(fg *g)
{
    static const uint32_t color_fmts[4] = {VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_X8R8G8B8,
                                           VGT_SVGA3D_R5G6B5, VGT_SVGA3D_ARGB_S23E8};
    static const uint32_t depth_fmts[4] = {VGT_SVGA3D_Z_D24S8, VGT_SVGA3D_Z_D16, VGT_SVGA3D_Z_D32,
                                           VGT_SVGA3D_Z_D24X8};
    uint8_t s = fz_u8(g->in);
    uint32_t w = 8u + 8u * (s & 7u), h = 8u + 8u * ((s >> 3) & 3u);
    vgt_drv3d_define_surface(&g->drv, 1, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET,
                             color_fmts[(s >> 5) & 3u], w, h, 1, 1);
    fg_take(g);
    bool depth = (s & 0x80u) == 0;
    if (depth) {
        vgt_drv3d_define_surface(&g->drv, 2, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL,
                                 depth_fmts[(s >> 5) & 3u], w, h, 1, 1);
        fg_take(g);
    }
    static const uint32_t bufs[3][3] = {{3, FG_VB_OFFSET, FG_VB_BYTES},
                                        {4, FG_IB16_OFFSET, FG_IB_BYTES},
                                        {5, FG_IB32_OFFSET, FG_IB_BYTES}};
    for (uint32_t i = 0; i < 3; i++) {
        vgt_drv3d_define_surface(&g->drv, bufs[i][0],
                                 i ? VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER
                                   : VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER,
                                 VGT_SVGA3D_BUFFER, bufs[i][2], 1, 1, 1);
        fg_take(g);
        vgt_svga3d_copy_box b = {0, 0, 0, bufs[i][2], 1, 1, 0, 0, 0};
        vgt_drv3d_surface_dma(&g->drv, (vgt_svga_guest_ptr){0, bufs[i][1]}, 0,
                              (vgt_svga3d_surface_image_id){bufs[i][0], 0, 0},
                              VGT_SVGA3D_WRITE_HOST_VRAM, &b, 1, NULL);
        fg_take(g);
    }
    /* a 16x16 texture with its mip chain (level 0 loaded) for the samplers */
    vgt_drv3d_define_surface(&g->drv, 6, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 16,
                             16, 1, 5);
    fg_take(g);
    vgt_svga3d_copy_box tb = {0, 0, 0, 16, 16, 1, 0, 0, 0};
    vgt_drv3d_surface_dma(&g->drv, (vgt_svga_guest_ptr){0, FG_TEX_OFFSET}, 0,
                          (vgt_svga3d_surface_image_id){6, 0, 0}, VGT_SVGA3D_WRITE_HOST_VRAM, &tb,
                          1, NULL);
    fg_take(g);
    /* the same commands vgt_drv3d_setup_context sends, each taken apart */
    vgt_drv3d_define_context(&g->drv, 1);
    fg_take(g);
    vgt_drv3d_set_render_target(&g->drv, 1, VGT_SVGA3D_RT_COLOR0, 1);
    fg_take(g);
    if (depth) {
        vgt_drv3d_set_render_target(&g->drv, 1, VGT_SVGA3D_RT_DEPTH, 2);
        fg_take(g);
    }
    vgt_drv3d_set_viewport(&g->drv, 1, 0, 0, w, h);
    fg_take(g);
    vgt_drv3d_set_z_range(&g->drv, 1, 0.0f, 1.0f);
    fg_take(g);
}

/* Guest memory of the structured mode: vertex floats (x, y in [-1.2, 1.2],
 * z in [0, 1], w 1 in FLOAT4 slots), indices mostly inside 48 vertices, and
 * texel bytes, all from the seed. */
static inline void fg_memory(fg *g, uint8_t *mem)
{
    for (uint32_t i = 0; i < FG_VB_BYTES / 4u; i++) {
        uint32_t r = fg_rand(g);
        float f = (i % 4u == 3u) ? 1.0f
                                 : ((i % 4u == 2u) ? (float)(r % 1000u) / 999.0f
                                                   : -1.2f + 2.4f * (float)(r % 1000u) / 999.0f);
        memcpy(mem + FG_VB_OFFSET + 4u * i, &f, 4);
    }
    for (uint32_t i = 0; i < FG_IB_BYTES / 2u; i++) {
        uint32_t r = fg_rand(g);
        uint16_t v = (uint16_t)((r & 0xFFF00u) == 0 ? r >> 16 : r % 48u);
        memcpy(mem + FG_IB16_OFFSET + 2u * i, &v, 2);
    }
    for (uint32_t i = 0; i < FG_IB_BYTES / 4u; i++) {
        uint32_t r = fg_rand(g);
        uint32_t v = (r & 0xFFF00u) == 0 ? r : r % 48u;
        memcpy(mem + FG_IB32_OFFSET + 4u * i, &v, 4);
    }
    for (uint32_t i = FG_TEX_OFFSET; i + 4u <= FG_MEM_SIZE; i += 4u) {
        uint32_t r = fg_rand(g);
        memcpy(mem + i, &r, 4);
    }
}

/* One edit of the generated words: a field of a command set to a small
 * number, moved by a delta, made a hostile float, or a bit flipped. */
static inline void fg_edit(fg_out *o, uint8_t which, uint8_t word, uint8_t how, uint32_t v)
{
    if (!o->ncmds) {
        return;
    }
    size_t c = which % o->ncmds;
    size_t start = o->starts[c];
    size_t end = c + 1u < o->ncmds ? o->starts[c + 1u] : o->n;
    size_t at = start + word % (end - start);
    uint32_t *w = &o->words[at];
    switch (how % 6u) {
    case 0:
        *w = v % 8u; /* an id, a count, a type */
        break;
    case 1:
        *w += (uint32_t)(int32_t)(int8_t)(v & 0xFFu); /* a count or a length off by a little */
        break;
    case 2: {
        static const uint32_t f[6] = {0x7FC00000u, 0x7F800000u, 0xFF800000u,
                                      0x7F7FFFFFu, 0x00000001u, 0x80000000u};
        *w = f[v % 6u];
        break;
    }
    case 3:
        *w ^= 1u << (v % 32u);
        break;
    case 4:
        *w = v; /* anything */
        break;
    default:
        *w = 0xFFFFFFFFu - (v % 4u);
        break;
    }
}

/* Builds the structured mode's guest memory (FG_MEM_SIZE bytes into mem)
 * and command words (*words, malloc'ed; *nwords).  false: out of memory. */
static inline bool fg_generate(fz *in, uint8_t *mem, uint32_t **words, size_t *nwords)
{
    fg g;
    memset(&g, 0, sizeof(g));
    fg_out out = {0};
    g.in = in;
    g.out = &out;
    g.rng = fz_u32(in);
    g.ring = calloc(1, FG_RING_BYTES);
    g.bounce = malloc(FG_RING_BYTES);
    if (!g.ring || !g.bounce) {
        free(g.ring);
        free(g.bounce);
        return false;
    }
    g.drv.fifo = g.ring;
    g.drv.fifo_size = FG_RING_BYTES;
    g.drv.fifo_state.bounce = g.bounce;
    g.drv.fifo_state.bounce_size = FG_RING_BYTES;
    g.drv.fifo_state.fifo_caps = VGT_SVGA_FIFO_CAP_RESERVE;
    vgt_drv_fifo_set(&g.drv, VGT_SVGA_FIFO_MIN, FG_RING_MIN);
    vgt_drv_fifo_set(&g.drv, VGT_SVGA_FIFO_MAX, FG_RING_BYTES);
    vgt_drv_fifo_set(&g.drv, VGT_SVGA_FIFO_NEXT_CMD, FG_RING_MIN);
    vgt_drv_fifo_set(&g.drv, VGT_SVGA_FIFO_STOP, FG_RING_MIN);
    fg_memory(&g, mem);
    fg_preamble(&g);
    for (uint32_t i = 0; i < FG_MAX_OPS && fz_left(in) > 1u; i++) {
        uint8_t op = fz_u8(in);
        switch (op % FG_NOPS) {
        case 0:
        case 1:
        case 2:
            fg_draw(&g); /* the point of the mode: draws weigh more */
            break;
        case 3:
            fg_surface(&g);
            break;
        case 4:
            fg_dma(&g, false);
            break;
        case 5:
            fg_dma(&g, true);
            break;
        case 6: {
            uint8_t s = fz_u8(in);
            uint32_t cid = fg_cid(&g);
            uint32_t sid = (s & 0x80u) ? VGT_SVGA3D_INVALID_ID : fg_sid(&g);
            vgt_drv3d_set_render_target(&g.drv, cid, s % (VGT_SVGA3D_RT_MAX + 1u), sid);
            fg_take(&g);
            break;
        }
        case 7:
        case 8:
            fg_states(&g, false);
            break;
        case 9:
            fg_states(&g, true);
            break;
        case 10:
            fg_transform(&g);
            break;
        case 11:
            fg_rects(&g);
            break;
        case 12:
            fg_clip_plane(&g);
            break;
        case 13:
            fg_lighting(&g);
            break;
        case 14:
            fg_shader_define(&g);
            break;
        case 15:
            fg_shader_const(&g);
            break;
        case 16:
            fg_clear_present(&g);
            break;
        case 17:
            fg_copy(&g);
            break;
        case 18:
            if (op & 0x80u) {
                fg_query(&g);
            } else {
                vgt_drv3d_define_context(&g.drv, fg_cid(&g));
                fg_take(&g);
            }
            break;
        case 20:
            fg_sampler(&g);
            break;
        case 21:
            fg_surface_v2(&g);
            break;
        case 22:
            fg_mipmaps(&g);
            break;
        case 23:
            fg_screen(&g);
            break;
        default:
            if (op & 0x80u) {
                fg_destroy(&g);
            } else {
                uint32_t at = fz_u16(in) % (FG_MEM_SIZE / 4u); /* a guest word poked */
                uint32_t v = fz_u32(in);
                memcpy(mem + 4u * at, &v, 4);
            }
            break;
        }
    }
    for (uint32_t i = 0, ne = fz_u8(in) % (FG_MAX_EDITS + 1u); i < ne && fz_left(in) >= 8u; i++) {
        uint8_t which = fz_u8(in), word = fz_u8(in), how = fz_u8(in);
        (void)fz_u8(in);
        fg_edit(&out, which, word, how, fz_u32(in));
    }
    free(g.ring);
    free(g.bounce);
    *words = out.words;
    *nwords = out.n;
    return true;
}

#endif
