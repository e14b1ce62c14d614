/* demo_util.h - private helpers of the demos and microbenchmarks (lit,
 * textured, static-vertex, ...): deterministic trigonometry (plain float
 * arithmetic, no libm, so frame N issues the same bytes on every machine)
 * and 4x4 matrices in the Direct3D layout (row vectors, m[row * 4 + col]);
 * a mip level box filter; the 3D samples' common arguments. */
#ifndef VGT_SAMPLES_DEMO_UTIL_H
#define VGT_SAMPLES_DEMO_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vgt_samples.h"

#define DEMO_PI 3.14159265358979f

/* A 3D sample's common arguments. */
typedef struct demo_args {
    uint32_t frames; /* --frames, or the sample's default */
    uint32_t w, h;   /* --width/--height, or 640x480 */
    bool quiet;
} demo_args;

/* Reads args (NULL: the defaults) for the sample `name`; false, after a
 * message on stderr unless quiet, for a mode below min_w x min_h or for
 * --native asked of a sample without a native path (only the
 * microbenchmarks have one). */
static inline bool demo_args_get(const char *name, const vgt_sample_args *args,
                                 uint32_t default_frames, uint32_t min_w, uint32_t min_h,
                                 bool has_native, demo_args *a)
{
    a->frames = args && args->frames ? args->frames : default_frames;
    a->w = args && args->width ? args->width : 640u;
    a->h = args && args->height ? args->height : 480u;
    a->quiet = args && args->quiet;
    if (a->w < min_w || a->h < min_h) {
        if (!a->quiet) {
            fprintf(stderr, "%s: mode %ux%u too small (at least %ux%u)\n", name, a->w, a->h, min_w,
                    min_h);
        }
        return false;
    }
    if (!has_native && args && args->native) {
        if (!a->quiet) {
            fprintf(stderr, "%s: no native mode (the microbenchmarks have one)\n", name);
        }
        return false;
    }
    return true;
}

/* A triangle wave in [0, range] (t = 0 at 0, range at range, back to 0 at
 * 2 * range): the 2D samples' bouncing positions. */
static inline uint32_t demo_tri(uint32_t t, uint32_t range)
{
    if (range == 0) {
        return 0;
    }
    uint32_t p = t % (2u * range);
    return p <= range ? p : 2u * range - p;
}

/* sin(x) by a Taylor series on x reduced to (-pi, pi]. */
static inline float demo_sin(float x)
{
    const float two_pi = 2.0f * DEMO_PI;
    if (x > DEMO_PI || x < -DEMO_PI) {
        float turns = x / two_pi;
        int32_t k = (int32_t)(turns < 0.0f ? turns - 0.5f : turns + 0.5f);
        x -= (float)k * two_pi;
    }
    if (x > DEMO_PI) {
        x -= two_pi;
    } else if (x < -DEMO_PI) {
        x += two_pi;
    }
    float x2 = x * x, term = x, sum = x;
    for (int n = 1; n < 10; n++) {
        term = -term * x2 / (float)((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

static inline float demo_cos(float x)
{
    return demo_sin(x + 0.5f * DEMO_PI);
}

/* 1/sqrt(v) by Newton steps from a float estimate (v > 0). */
static inline float demo_sqrt(float v)
{
    if (v <= 0.0f) {
        return 0.0f;
    }
    float r = v > 1.0f ? v : 1.0f;
    for (int i = 0; i < 40; i++) {
        r = 0.5f * (r + v / r);
    }
    return r;
}

static inline void demo_mat_identity(float m[16])
{
    memset(m, 0, 16 * sizeof(float));
    m[0] = m[5] = m[10] = m[15] = 1.0f;
}

/* out = a * b (row-vector convention: a is applied first). */
static inline void demo_mat_mul(float out[16], const float a[16], const float b[16])
{
    float r[16];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            float s = 0.0f;
            for (int k = 0; k < 4; k++) {
                s += a[i * 4 + k] * b[k * 4 + j];
            }
            r[i * 4 + j] = s;
        }
    }
    memcpy(out, r, sizeof(r));
}

/* Rotation by `a` radians about x, y or z (left-handed, as D3DXMatrixRotation*). */
static inline void demo_mat_rotate(float m[16], int axis, float a)
{
    float s = demo_sin(a), c = demo_cos(a);
    demo_mat_identity(m);
    if (axis == 0) {
        m[5] = c;
        m[6] = s;
        m[9] = -s;
        m[10] = c;
    } else if (axis == 1) {
        m[0] = c;
        m[2] = -s;
        m[8] = s;
        m[10] = c;
    } else {
        m[0] = c;
        m[1] = s;
        m[4] = -s;
        m[5] = c;
    }
}

static inline void demo_mat_translate(float m[16], float x, float y, float z)
{
    demo_mat_identity(m);
    m[12] = x;
    m[13] = y;
    m[14] = z;
}

/* Left-handed perspective (D3DXMatrixPerspectiveFovLH), 60-degree vertical
 * field of view (1/tan(30 deg) = sqrt(3)). */
static inline void demo_mat_perspective(float m[16], uint32_t w, uint32_t h, float zn, float zf)
{
    const float yscale = 1.7320508f;
    memset(m, 0, 16 * sizeof(float));
    m[0] = yscale * (float)h / (float)w;
    m[5] = yscale;
    m[10] = zf / (zf - zn);
    m[11] = 1.0f;
    m[14] = -zn * zf / (zf - zn);
}

/* The next mip level of 32-bit texels: a 2x2 box filter per byte channel
 * (odd sizes clamp), rounded, so a guest-built mip chain is exact. */
static inline void demo_downsample(const uint32_t *src, uint32_t sw, uint32_t sh, uint32_t *dst)
{
    uint32_t dw = sw > 1u ? sw / 2u : 1u, dh = sh > 1u ? sh / 2u : 1u;
    for (uint32_t y = 0; y < dh; y++) {
        for (uint32_t x = 0; x < dw; x++) {
            uint32_t sum[4] = {0, 0, 0, 0};
            for (uint32_t k = 0; k < 4; k++) {
                uint32_t sx = x * 2u + (k & 1u), sy = y * 2u + (k >> 1);
                sx = sx < sw ? sx : sw - 1u;
                sy = sy < sh ? sy : sh - 1u;
                uint32_t p = src[sy * sw + sx];
                for (uint32_t ch = 0; ch < 4; ch++) {
                    sum[ch] += (p >> (ch * 8u)) & 0xFFu;
                }
            }
            uint32_t out = 0;
            for (uint32_t ch = 0; ch < 4; ch++) {
                out |= ((sum[ch] + 2u) / 4u) << (ch * 8u);
            }
            dst[y * dw + x] = out;
        }
    }
}

#endif /* VGT_SAMPLES_DEMO_UTIL_H */
