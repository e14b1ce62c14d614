/* soft_math.c - transcendental functions built from IEEE basic operations
 * only, so results are the same bits on every machine and libm. */
#include <string.h>

#include "soft_internal.h"

static inline uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static float soft_floorf(float x)
{
    if (!(x > -8388608.0f && x < 8388608.0f)) {
        return x; /* already integral, or NaN */
    }
    float t = (float)(int32_t)x;
    return t > x ? t - 1.0f : t;
}

float soft_exp2f(float x)
{
    if (x != x) {
        return x;
    }
    if (x >= 128.0f) {
        return u2f(0x7f800000u);
    }
    if (x < -126.0f) {
        return 0.0f;
    }
    float i = soft_floorf(x);
    float f = x - i; /* [0, 1) */
    /* 2^f = e^(f ln2), Taylor to degree 9: error < 1e-9 on [0, 1). */
    float t = f * 0.69314718056f;
    float p =
        1.0f +
        t * (1.0f +
             t * (0.5f +
                  t * (1.0f / 6.0f +
                       t * (1.0f / 24.0f +
                            t * (1.0f / 120.0f +
                                 t * (1.0f / 720.0f +
                                      t * (1.0f / 5040.0f +
                                           t * (1.0f / 40320.0f + t * (1.0f / 362880.0f)))))))));
    int32_t e = (int32_t)i;
    return p * u2f((uint32_t)(e + 127) << 23);
}

float soft_log2f(float x)
{
    if (!(x > 0.0f)) {
        return x == 0.0f ? -u2f(0x7f800000u) : u2f(0x7fc00000u);
    }
    uint32_t u = f2u(x);
    if (u >= 0x7f800000u) {
        return x;
    }
    int32_t e;
    if (u < 0x00800000u) { /* denormal: scale up */
        x *= 16777216.0f;
        u = f2u(x);
        e = (int32_t)(u >> 23) - 127 - 24;
    } else {
        e = (int32_t)(u >> 23) - 127;
    }
    float m = u2f((u & 0x007fffffu) | 0x3f800000u); /* [1, 2) */
    if (m > 1.41421356f) {
        m *= 0.5f;
        e += 1;
    }
    /* ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172 */
    float s = (m - 1.0f) / (m + 1.0f);
    float s2 = s * s;
    float ln =
        2.0f * s *
        (1.0f + s2 * (1.0f / 3.0f + s2 * (1.0f / 5.0f + s2 * (1.0f / 7.0f + s2 * (1.0f / 9.0f)))));
    return (float)e + ln * 1.44269504089f;
}

float soft_powf(float x, float y)
{
    if (y == 0.0f) {
        return 1.0f;
    }
    if (!(x > 0.0f)) {
        return 0.0f;
    }
    if (x == 1.0f) {
        return 1.0f;
    }
    return soft_exp2f(y * soft_log2f(x));
}

float soft_cosf(float x)
{
    const float two_pi = 6.28318530718f, pi = 3.14159265359f;
    if (x != x || x > 1e6f || x < -1e6f) {
        return 1.0f;
    }
    x = x - two_pi * soft_floorf(x / two_pi); /* [0, 2pi) */
    if (x > pi) {
        x = two_pi - x; /* [0, pi] */
    }
    float sign = 1.0f;
    if (x > pi * 0.5f) {
        x = pi - x;
        sign = -1.0f;
    }
    float x2 = x * x; /* x in [0, pi/2]: Taylor to x^16 */
    float c =
        1.0f -
        x2 * (0.5f - x2 * (1.0f / 24.0f -
                           x2 * (1.0f / 720.0f -
                                 x2 * (1.0f / 40320.0f -
                                       x2 * (1.0f / 3628800.0f -
                                             x2 * (1.0f / 479001600.0f -
                                                   x2 * (1.0f / 87178291200.0f -
                                                         x2 * (1.0f / 20922789888000.0f))))))));
    return sign * c;
}

float soft_half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ffu;
    if (exp == 0) {
        /* zero or denormal: mant * 2^-24, exact in float */
        float f = (float)mant * (1.0f / 16777216.0f);
        return sign ? -f : f;
    }
    if (exp == 31) {
        return u2f(sign | 0x7f800000u | (mant << 13));
    }
    return u2f(sign | ((exp + 112) << 23) | (mant << 13));
}

uint16_t soft_float_to_half(float f)
{
    uint32_t u = f2u(f);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    uint32_t exp = (u >> 23) & 0xff;
    uint32_t mant = u & 0x7fffffu;
    if (exp == 0xff) {
        return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0));
    }
    int32_t e = (int32_t)exp - 127 + 15;
    if (e >= 31) {
        return (uint16_t)(sign | 0x7c00u);
    }
    if (e <= 0) {
        if (e < -10) {
            return sign;
        }
        /* denormal, round to nearest even */
        mant |= 0x800000u;
        uint32_t shift = (uint32_t)(14 - e);
        uint32_t half = mant >> shift;
        uint32_t rem = mant & ((1u << shift) - 1);
        uint32_t mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1))) {
            half++;
        }
        return (uint16_t)(sign | half);
    }
    uint32_t half = ((uint32_t)e << 10) | (mant >> 13);
    uint32_t rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1))) {
        half++; /* may carry into the exponent: still correct (up to inf) */
    }
    return (uint16_t)(sign | half);
}

float soft_srgb_encode(float l)
{
    l = soft_sat(l);
    if (l <= 0.0031308f) {
        return l * 12.92f;
    }
    return 1.055f * soft_powf(l, 1.0f / 2.4f) - 0.055f;
}

float soft_srgb_decode(float s)
{
    s = soft_sat(s);
    if (s <= 0.04045f) {
        return s / 12.92f;
    }
    return soft_powf((s + 0.055f) / 1.055f, 2.4f);
}
