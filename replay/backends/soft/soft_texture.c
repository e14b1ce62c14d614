/* soft_texture.c - texture sampling: addressing, point/linear filtering,
 * mip level selection.
 *
 * Direct3D 9 texel centers: texel i of an n-texel level covers
 * [i/n, (i+1)/n); point sampling takes texel floor(u*n); linear filtering
 * blends texels floor(u*n - 0.5) and the next one.  Addressing is applied
 * to integer texel indices.  The level of detail is
 * lambda = log2(max(|d(u,v)/dx|, |d(u,v)/dy|) in texels) + bias; lambda <= 0
 * uses the magnification filter on the most detailed allowed level. */
#include "soft_internal.h"

static inline int32_t to_index(float x)
{
    /* floor, clamped so that the int conversion is defined; NaN -> 0 */
    if (!(x > -16777216.0f)) {
        return x != x ? 0 : -16777216;
    }
    if (x > 16777216.0f) {
        return 16777216;
    }
    int32_t i = (int32_t)x;
    return (float)i > x ? i - 1 : i;
}

/* Maps a texel index into [0, n); returns -1 for "border". */
static inline int32_t address(int32_t i, int32_t n, uint32_t mode)
{
    switch (mode) {
    case VGT_SVGA3D_TEX_ADDRESS_WRAP:
        i %= n;
        return i < 0 ? i + n : i;
    case VGT_SVGA3D_TEX_ADDRESS_MIRROR: {
        int32_t p = 2 * n;
        i %= p;
        i = i < 0 ? i + p : i;
        return i >= n ? p - 1 - i : i;
    }
    case VGT_SVGA3D_TEX_ADDRESS_BORDER:
        return (i < 0 || i >= n) ? -1 : i;
    case VGT_SVGA3D_TEX_ADDRESS_MIRRORONCE:
        i = i < 0 ? -1 - i : i;
        return i >= n ? n - 1 : i;
    default: /* CLAMP, EDGE */
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }
}

static inline void texel(const soft_sampler *s, const soft_sampler_level *lv, int32_t x, int32_t y,
                         float out[4])
{
    x = address(x, (int32_t)lv->width, s->address_u);
    y = address(y, (int32_t)lv->height, s->address_v);
    if (x < 0 || y < 0) {
        out[0] = s->border[0];
        out[1] = s->border[1];
        out[2] = s->border[2];
        out[3] = s->border[3];
        return;
    }
    if (lv->decoded) {
        /* DXT: decoded rows are a whole number of blocks wide */
        uint32_t pitch = (lv->width + 3) & ~3u;
        uint32_t c = lv->decoded[(size_t)y * pitch + (uint32_t)x];
        soft_d3dcolor_to_float(c, out);
        return;
    }
    s->decode(lv->data + (uint64_t)y * lv->row_pitch + (uint64_t)x * s->bpp, out);
}

static void sample_level(const soft_sampler *s, uint32_t level, uint32_t filter, float u, float v,
                         float out[4])
{
    const soft_sampler_level *lv = &s->level[level];
    float fu = u * (float)lv->width, fv = v * (float)lv->height;
    if (filter != VGT_SVGA3D_TEX_FILTER_LINEAR && filter != VGT_SVGA3D_TEX_FILTER_ANISOTROPIC) {
        texel(s, lv, to_index(fu), to_index(fv), out);
        return;
    }
    fu -= 0.5f;
    fv -= 0.5f;
    int32_t x0 = to_index(fu), y0 = to_index(fv);
    float ax = fu - (float)x0, ay = fv - (float)y0;
    if (!(ax >= 0.0f && ax <= 1.0f)) {
        ax = 0.0f;
    }
    if (!(ay >= 0.0f && ay <= 1.0f)) {
        ay = 0.0f;
    }
    float t00[4], t10[4], t01[4], t11[4];
    texel(s, lv, x0, y0, t00);
    texel(s, lv, x0 + 1, y0, t10);
    texel(s, lv, x0, y0 + 1, t01);
    texel(s, lv, x0 + 1, y0 + 1, t11);
    for (int k = 0; k < 4; k++) {
        float top = t00[k] + (t10[k] - t00[k]) * ax;
        float bot = t01[k] + (t11[k] - t01[k]) * ax;
        out[k] = top + (bot - top) * ay;
    }
}

void soft_sample(const soft_sampler *s, float u, float v, float dudx, float dvdx, float dudy,
                 float dvdy, float out[4])
{
    uint32_t base = s->max_level < s->levels ? s->max_level : s->levels - 1;
    bool need_lod = (s->levels > 1 && s->mip != VGT_SVGA3D_TEX_FILTER_NONE) || s->min != s->mag;
    if (!need_lod) {
        sample_level(s, base, s->mag, u, v, out);
        return;
    }
    float w = (float)s->level[0].width, h = (float)s->level[0].height;
    float ax = dudx * w, ay = dvdx * h, bx = dudy * w, by = dvdy * h;
    float rx = ax * ax + ay * ay, ry = bx * bx + by * by;
    float r2 = rx > ry ? rx : ry;
    /* lambda = log2(sqrt(r2)) = 0.5 * log2(r2) */
    float lambda = (r2 > 0.0f ? 0.5f * soft_log2f(r2) : -64.0f) + s->lod_bias;
    if (!(lambda > 0.0f)) {
        sample_level(s, base, s->mag, u, v, out);
        return;
    }
    if (s->mip == VGT_SVGA3D_TEX_FILTER_NONE || s->levels == 1) {
        sample_level(s, base, s->min, u, v, out);
        return;
    }
    float maxl = (float)(s->levels - 1 - base);
    if (lambda > maxl) {
        lambda = maxl;
    }
    if (s->mip == VGT_SVGA3D_TEX_FILTER_NEAREST) {
        uint32_t l = base + (uint32_t)(lambda + 0.5f);
        if (l >= s->levels) {
            l = s->levels - 1;
        }
        sample_level(s, l, s->min, u, v, out);
        return;
    }
    uint32_t l0 = (uint32_t)lambda;
    float f = lambda - (float)l0;
    uint32_t la = base + l0;
    uint32_t lb = la + 1 < s->levels ? la + 1 : la;
    float a[4], b[4];
    sample_level(s, la, s->min, u, v, a);
    if (f == 0.0f || lb == la) {
        for (int k = 0; k < 4; k++) {
            out[k] = a[k];
        }
        return;
    }
    sample_level(s, lb, s->min, u, v, b);
    for (int k = 0; k < 4; k++) {
        out[k] = a[k] + (b[k] - a[k]) * f;
    }
}
