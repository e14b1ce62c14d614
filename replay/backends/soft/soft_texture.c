/* soft_texture.c - texture sampling: addressing, point/linear filtering,
 * mip level selection.
 *
 * Direct3D 9 texel centers: texel i of an n-texel level covers
 * [i/n, (i+1)/n); point sampling takes texel floor(u*n); linear filtering
 * blends texels floor(u*n - 0.5) and the next one.  Addressing is applied
 * to integer texel indices.  The level of detail is
 * lambda = log2(max(|d(u,v)/dx|, |d(u,v)/dy|) in texels) + bias; lambda <= 0
 * uses the magnification filter on the most detailed allowed level.
 *
 * Volumes: the same rules along w with ADDRESSW; linear filtering blends the
 * 8 texels around (u, v, w) inside a level; each level halves the depth too;
 * the LOD takes |d(u,v,w)/dx| and |d(u,v,w)/dy| in texels.
 *
 * Cube maps (faces +X, -X, +Y, -Y, +Z, -Z, SVGA3D's and Direct3D 9's face
 * order): the direction's major axis picks the face (ties: x before y before
 * z), then (sc, tc, ma) from the table Direct3D 9 and OpenGL share gives
 * s = (sc/|ma| + 1)/2, t = (tc/|ma| + 1)/2 on the face, row 0 of the face
 * image at t = 0.  Addressing on a face always clamps (Direct3D 9 cube maps
 * ignore ADDRESSU/V; filtering does not cross to the next face).  The LOD is
 * computed on the selected face: the derivatives of s and t by the quotient
 * rule, ds = (dsc * |ma| - sc * d|ma|) / (2 ma^2), times the face size.
 *
 * Anisotropic filtering (MINFILTER ANISOTROPIC, TEXTURE_ANISOTROPIC_LEVEL
 * N > 1; 2D textures and cube faces): footprint assembly.  X and Y, the
 * footprint along screen x and y in texels of level 0, give the major axis
 * (the longer, X on a tie) and the minor axis area / |major| (area =
 * |X x Y|, the parallelogram, as the Direct3D 11.3 specification's
 * anisotropic LOD).  r = min(|major| / minor, N); P = ceil(r) probes, fewer
 * when they would be closer than one texel (P <= ceil(|major|)); each probe
 * is a bilinear (trilinear with LINEAR mips) sample at the LOD of
 * |major| / r (|major| / P for a whole ratio), at the centres of P equal
 * pieces of the major axis, and the result is their plain average.  Magnification (the isotropic
 * LOD <= 0), P = 1, volumes and explicit LODs (texldl) stay isotropic, ANISOTROPIC being LINEAR
 * there: N = 1 draws exactly what LINEAR draws. */
#include <string.h>

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

static inline float absf(float x)
{
    return x < 0.0f ? -x : x;
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

/* sRGB reads: R, G, B of a texel of an 8-bit format (v = byte / 255,
 * which rounds back to the byte) through the exact curve; alpha stays
 * linear.  soft_setup_sampler allows srgb on 8-bit formats only. */
static inline void srgb_texel(const soft_sampler *s, float out[4])
{
    if (s->srgb) {
        for (int c = 0; c < 3; c++) {
            out[c] = soft_srgb_linear8[(uint32_t)(out[c] * 255.0f + 0.5f) & 255u];
        }
    }
}

static inline void texel(const soft_sampler *s, const soft_sampler_level *lv, uint32_t au,
                         uint32_t av, int32_t x, int32_t y, float out[4])
{
    x = address(x, (int32_t)lv->width, au);
    y = address(y, (int32_t)lv->height, av);
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
    } else {
        s->decode(lv->data + (uint64_t)y * lv->row_pitch + (uint64_t)x * s->bpp, out);
    }
    srgb_texel(s, out);
}

static inline bool is_linear(uint32_t filter)
{
    return filter == VGT_SVGA3D_TEX_FILTER_LINEAR || filter == VGT_SVGA3D_TEX_FILTER_ANISOTROPIC;
}

/* One 2D level (au/av: the addressing; cube faces clamp). */
static void sample_level(const soft_sampler *s, const soft_sampler_level *lv, uint32_t au,
                         uint32_t av, uint32_t filter, float u, float v, float out[4])
{
    float fu = u * (float)lv->width, fv = v * (float)lv->height;
    if (!is_linear(filter)) {
        texel(s, lv, au, av, to_index(fu), to_index(fv), out);
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
    texel(s, lv, au, av, x0, y0, t00);
    texel(s, lv, au, av, x0 + 1, y0, t10);
    texel(s, lv, au, av, x0, y0 + 1, t01);
    texel(s, lv, au, av, x0 + 1, y0 + 1, t11);
    for (int k = 0; k < 4; k++) {
        float top = t00[k] + (t10[k] - t00[k]) * ax;
        float bot = t01[k] + (t11[k] - t01[k]) * ax;
        out[k] = top + (bot - top) * ay;
    }
}

/* One texel of a volume level; -1 from any axis's addressing is "border". */
static inline void texel3(const soft_sampler *s, const soft_sampler_level *lv, int32_t x, int32_t y,
                          int32_t z, float out[4])
{
    x = address(x, (int32_t)lv->width, s->address_u);
    y = address(y, (int32_t)lv->height, s->address_v);
    z = address(z, (int32_t)lv->depth, s->address_w);
    if (x < 0 || y < 0 || z < 0) {
        memcpy(out, s->border, sizeof(s->border));
        return;
    }
    if (lv->decoded) {
        /* DXT: each slice is decoded as whole blocks (soft_level_decode) */
        uint64_t pitch = (lv->width + 3) & ~3u, rows = (lv->height + 3) & ~3u;
        uint32_t c = lv->decoded[((uint64_t)z * rows + (uint64_t)y) * pitch + (uint32_t)x];
        soft_d3dcolor_to_float(c, out);
    } else {
        s->decode(lv->data + (uint64_t)z * lv->slice_pitch + (uint64_t)y * lv->row_pitch +
                      (uint64_t)x * s->bpp,
                  out);
    }
    srgb_texel(s, out);
}

static inline float frac01(float f, int32_t i)
{
    float a = f - (float)i;
    return a >= 0.0f && a <= 1.0f ? a : 0.0f; /* NaN and huge values -> 0 */
}

static void sample_level3(const soft_sampler *s, const soft_sampler_level *lv, uint32_t filter,
                          const float c[3], float out[4])
{
    float fu = c[0] * (float)lv->width, fv = c[1] * (float)lv->height;
    float fw = c[2] * (float)lv->depth;
    if (!is_linear(filter)) {
        texel3(s, lv, to_index(fu), to_index(fv), to_index(fw), out);
        return;
    }
    fu -= 0.5f;
    fv -= 0.5f;
    fw -= 0.5f;
    int32_t x0 = to_index(fu), y0 = to_index(fv), z0 = to_index(fw);
    float ax = frac01(fu, x0), ay = frac01(fv, y0), az = frac01(fw, z0);
    float t[2][2][2][4]; /* [z][y][x] */
    for (int32_t dz = 0; dz < 2; dz++) {
        for (int32_t dy = 0; dy < 2; dy++) {
            for (int32_t dx = 0; dx < 2; dx++) {
                texel3(s, lv, x0 + dx, y0 + dy, z0 + dz, t[dz][dy][dx]);
            }
        }
    }
    for (int k = 0; k < 4; k++) {
        float p[2];
        for (int dz = 0; dz < 2; dz++) {
            float top = t[dz][0][0][k] + (t[dz][0][1][k] - t[dz][0][0][k]) * ax;
            float bot = t[dz][1][0][k] + (t[dz][1][1][k] - t[dz][1][0][k]) * ax;
            p[dz] = top + (bot - top) * ay;
        }
        out[k] = p[0] + (p[1] - p[0]) * az;
    }
}

/* The levels and the filter a level of detail selects: level la (and lb,
 * weighted f, when mipmaps are blended). */
typedef struct lod_choice {
    uint32_t la, lb;
    float f;
    uint32_t filter;
} lod_choice;

static inline uint32_t base_level(const soft_sampler *s)
{
    return s->max_level < s->levels ? s->max_level : s->levels - 1;
}

static inline bool anisotropic(const soft_sampler *s)
{
    return s->max_aniso > 1 && s->min == VGT_SVGA3D_TEX_FILTER_ANISOTROPIC;
}

/* Whether the level of detail matters at all (else: the base level, mag).
 * An anisotropic sampler needs the footprint even without mips. */
static inline bool need_lod(const soft_sampler *s)
{
    return (s->levels > 1 && s->mip != VGT_SVGA3D_TEX_FILTER_NONE) || s->min != s->mag ||
           anisotropic(s);
}

/* lambda: the level of detail, LOD bias included. */
static void choose_lod(const soft_sampler *s, float lambda, lod_choice *c)
{
    uint32_t base = base_level(s);
    c->la = c->lb = base;
    c->f = 0.0f;
    if (!(lambda > 0.0f)) {
        c->filter = s->mag;
        return;
    }
    c->filter = s->min;
    if (s->mip == VGT_SVGA3D_TEX_FILTER_NONE || s->levels == 1) {
        return;
    }
    /* MAXMIPLEVEL is the most detailed level used: lambda (measured on
     * level 0) is clamped to it, not added to it (Microsoft's texldl page,
     * the reference device: LOD = MAX(MAXMIPLEVEL, LOD); texldb's: "after
     * the biased LOD is computed, D3DSAMP_MAXMIPLEVEL is still honored");
     * the min/mag choice above is made before the clamp. */
    float maxl = (float)(s->levels - 1);
    if (lambda > maxl) {
        lambda = maxl;
    }
    if (lambda < (float)base) {
        lambda = (float)base;
    }
    if (s->mip == VGT_SVGA3D_TEX_FILTER_NEAREST) {
        uint32_t l = (uint32_t)(lambda + 0.5f);
        c->la = c->lb = l < s->levels ? l : s->levels - 1;
        return;
    }
    uint32_t l0 = (uint32_t)lambda;
    float f = lambda - (float)l0;
    c->la = l0;
    c->lb = c->la + 1 < s->levels ? c->la + 1 : c->la;
    if (f == 0.0f || c->lb == c->la) {
        c->lb = c->la;
        return;
    }
    c->f = f;
}

/* lambda from the squared lengths of the footprints along x and y (texels). */
static inline float lambda_of(const soft_sampler *s, float rx, float ry)
{
    float r2 = rx > ry ? rx : ry;
    /* lambda = log2(sqrt(r2)) = 0.5 * log2(r2) */
    return (r2 > 0.0f ? 0.5f * soft_log2f(r2) : -64.0f) + s->lod_bias;
}

/* ---- anisotropic filtering (footprint assembly; see the top) -------------- */

/* How the probes of one anisotropic sample are taken. */
typedef struct aniso_plan {
    uint32_t n;   /* probes, 2..max_aniso */
    bool xmajor;  /* the major axis is the footprint along screen x */
    lod_choice c; /* the probes' levels; filter LINEAR */
} aniso_plan;

/* ceil(x) for 0 <= x < 2^24 (callers compare x with a small count first). */
static inline uint32_t ceil_small(float x)
{
    uint32_t k = (uint32_t)x;
    return (float)k < x ? k + 1 : k;
}

/* lambda: the isotropic LOD (bias included); (ax, ay) and (bx, by): the
 * footprint along screen x and y in texels of level 0.  False: isotropic
 * (the sampler is not anisotropic, the texture magnified, or one probe). */
static bool aniso_plan_make(const soft_sampler *s, float lambda, float ax, float ay, float bx,
                            float by, aniso_plan *p)
{
    if (!anisotropic(s) || !(lambda > 0.0f)) {
        return false; /* magnification (and NaN) is isotropic */
    }
    float rx = ax * ax + ay * ay, ry = bx * bx + by * by;
    p->xmajor = !(ry > rx);
    float major2 = p->xmajor ? rx : ry;
    float major = __builtin_sqrtf(major2);
    /* r = |major| / minor = major^2 / area, at most N; a zero area (a
     * line of texels) or a NaN ratio takes N */
    float r = major2 / absf(ax * by - ay * bx);
    if (!(r < (float)s->max_aniso)) {
        r = (float)s->max_aniso;
    }
    uint32_t n = ceil_small(r);
    if ((float)n > major) {
        /* probes closer than a texel of level 0 add nothing */
        n = ceil_small(major);
    }
    if (n <= 1) {
        return false;
    }
    p->n = n;
    /* the LOD of |major| / r (the minor axis, or |major| / N): 0.5 *
     * log2(major^2 / r^2) + bias; with P = ceil(r) probes a whole ratio
     * gives |major| / P, and a fractional one does not make the minor
     * axis sharper than its footprint (which would alias) */
    choose_lod(s, lambda_of(s, major2 / (r * r), 0.0f), &p->c);
    /* bilinear probes, also where |major| / P magnifies (choose_lod
     * answered the mag filter on the most detailed level) */
    p->c.filter = VGT_SVGA3D_TEX_FILTER_LINEAR;
    return true;
}

/* Probe i of n: its offset along the major axis, in units of the axis:
 * the centre of the i-th of n equal pieces of [-1/2, 1/2]. */
static inline float aniso_offset(uint32_t i, uint32_t n)
{
    return (float)((int32_t)(2 * i + 1) - (int32_t)n) / (float)(2 * n);
}

static inline void blend(float a[4], const float b[4], float f)
{
    for (int k = 0; k < 4; k++) {
        a[k] = a[k] + (b[k] - a[k]) * f;
    }
}

static void sample_2d(const soft_sampler *s, const lod_choice *c, float u, float v, float out[4])
{
    sample_level(s, &s->level[c->la], s->address_u, s->address_v, c->filter, u, v, out);
    if (c->lb != c->la) {
        float b[4];
        sample_level(s, &s->level[c->lb], s->address_u, s->address_v, c->filter, u, v, b);
        blend(out, b, c->f);
    }
}

void soft_sample(const soft_sampler *s, float u, float v, float dudx, float dvdx, float dudy,
                 float dvdy, float out[4])
{
    lod_choice c = {base_level(s), base_level(s), 0.0f, s->mag};
    if (need_lod(s)) {
        float w = (float)s->level[0].width, h = (float)s->level[0].height;
        float ax = dudx * w, ay = dvdx * h, bx = dudy * w, by = dvdy * h;
        float lambda = lambda_of(s, ax * ax + ay * ay, bx * bx + by * by);
        aniso_plan ap;
        if (aniso_plan_make(s, lambda, ax, ay, bx, by, &ap)) {
            /* the probes along the major axis, in (u, v), summed in order */
            float du = ap.xmajor ? dudx : dudy, dv = ap.xmajor ? dvdx : dvdy;
            float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
            for (uint32_t i = 0; i < ap.n; i++) {
                float t = aniso_offset(i, ap.n), pr[4];
                sample_2d(s, &ap.c, u + du * t, v + dv * t, pr);
                for (int k = 0; k < 4; k++) {
                    acc[k] += pr[k];
                }
            }
            for (int k = 0; k < 4; k++) {
                out[k] = acc[k] / (float)ap.n;
            }
            return;
        }
        choose_lod(s, lambda, &c);
    }
    sample_2d(s, &c, u, v, out);
}

/* ---- volumes ---------------------------------------------------------------- */

static void sample_volume(const soft_sampler *s, const lod_choice *c, const float p[3],
                          float out[4])
{
    sample_level3(s, &s->level[c->la], c->filter, p, out);
    if (c->lb != c->la) {
        float b[4];
        sample_level3(s, &s->level[c->lb], c->filter, p, b);
        blend(out, b, c->f);
    }
}

static float volume_lambda(const soft_sampler *s, const float dx[3], const float dy[3])
{
    const soft_sampler_level *l0 = &s->level[0];
    float w = (float)l0->width, h = (float)l0->height, d = (float)l0->depth;
    float ax = dx[0] * w, ay = dx[1] * h, az = dx[2] * d;
    float bx = dy[0] * w, by = dy[1] * h, bz = dy[2] * d;
    return lambda_of(s, ax * ax + ay * ay + az * az, bx * bx + by * by + bz * bz);
}

/* ---- cube maps ----------------------------------------------------------------- */

/* Per face: the direction components giving sc, tc and ma, and their signs
 * (Direct3D 9 / OpenGL: +X sc = -z tc = -y; -X sc = +z tc = -y; +Y sc = +x
 * tc = +z; -Y sc = +x tc = -z; +Z sc = +x tc = -y; -Z sc = -x tc = -y). */
static const struct {
    uint8_t si, ti, mi;
    float ss, ts, ms;
} cube_axes[6] = {
    {2, 1, 0, -1.0f, -1.0f, 1.0f},  /* +X */
    {2, 1, 0, 1.0f, -1.0f, -1.0f},  /* -X */
    {0, 2, 1, 1.0f, 1.0f, 1.0f},    /* +Y */
    {0, 2, 1, 1.0f, -1.0f, -1.0f},  /* -Y */
    {0, 1, 2, 1.0f, -1.0f, 1.0f},   /* +Z */
    {0, 1, 2, -1.0f, -1.0f, -1.0f}, /* -Z */
};

static uint32_t cube_face(const float d[3])
{
    float ax = absf(d[0]), ay = absf(d[1]), az = absf(d[2]);
    if (ax >= ay && ax >= az) {
        return d[0] < 0.0f ? 1 : 0;
    }
    if (ay >= az) {
        return d[1] < 0.0f ? 3 : 2;
    }
    return d[2] < 0.0f ? 5 : 4;
}

/* Level m of cube face f (the surface's own layout). */
static inline void cube_level(const soft_sampler *s, uint32_t f, uint32_t m, soft_sampler_level *lv)
{
    const soft_level *L = &s->cube->levels[f][m];
    lv->data = s->cube->data + L->offset;
    lv->row_pitch = L->row_pitch;
    lv->slice_pitch = L->slice_pitch;
    lv->width = L->width;
    lv->height = L->height;
    lv->depth = 1;
    lv->decoded = s->level[0].decoded ? L->decoded : NULL;
}

typedef struct cube_pos {
    uint32_t face;
    float s, t;
    float sc, tc, ma; /* ma = |major axis| */
} cube_pos;

static void cube_project(const float d[3], cube_pos *p)
{
    p->face = cube_face(d);
    uint32_t f = p->face;
    p->sc = cube_axes[f].ss * d[cube_axes[f].si];
    p->tc = cube_axes[f].ts * d[cube_axes[f].ti];
    p->ma = cube_axes[f].ms * d[cube_axes[f].mi];
    if (!(p->ma > 0.0f)) {
        /* a zero (or NaN) direction: the centre of +X, deterministically */
        p->s = p->t = 0.5f;
        return;
    }
    float inv = 1.0f / p->ma;
    p->s = 0.5f * (p->sc * inv) + 0.5f;
    p->t = 0.5f * (p->tc * inv) + 0.5f;
}

/* The footprint (ds, dt) in texels of face level 0 for a change dd of the
 * direction (the quotient rule on s and t). */
static void cube_footprint(const soft_sampler *s, const cube_pos *p, const float dd[3], float *ds,
                           float *dt)
{
    if (!(p->ma > 0.0f)) {
        *ds = *dt = 0.0f;
        return;
    }
    uint32_t f = p->face;
    float dsc = cube_axes[f].ss * dd[cube_axes[f].si];
    float dtc = cube_axes[f].ts * dd[cube_axes[f].ti];
    float dma = cube_axes[f].ms * dd[cube_axes[f].mi];
    float k = 0.5f * (float)s->level[0].width / (p->ma * p->ma);
    *ds = (dsc * p->ma - p->sc * dma) * k;
    *dt = (dtc * p->ma - p->tc * dma) * k;
}

static void sample_cube(const soft_sampler *s, const lod_choice *c, const cube_pos *p, float out[4])
{
    const uint32_t clamp = VGT_SVGA3D_TEX_ADDRESS_CLAMP;
    soft_sampler_level lv;
    cube_level(s, p->face, c->la, &lv);
    sample_level(s, &lv, clamp, clamp, c->filter, p->s, p->t, out);
    if (c->lb != c->la) {
        float b[4];
        cube_level(s, p->face, c->lb, &lv);
        sample_level(s, &lv, clamp, clamp, c->filter, p->s, p->t, b);
        blend(out, b, c->f);
    }
}

/* ---- any kind ------------------------------------------------------------------- */

void soft_sample3(const soft_sampler *s, const float c[3], const float dx[3], const float dy[3],
                  float out[4])
{
    lod_choice lc = {base_level(s), base_level(s), 0.0f, s->mag};
    switch (s->kind) {
    case SOFT_TEX_CUBE: {
        cube_pos p;
        cube_project(c, &p);
        if (need_lod(s)) {
            float ax, ay, bx, by;
            cube_footprint(s, &p, dx, &ax, &ay);
            cube_footprint(s, &p, dy, &bx, &by);
            float lambda = lambda_of(s, ax * ax + ay * ay, bx * bx + by * by);
            aniso_plan ap;
            if (aniso_plan_make(s, lambda, ax, ay, bx, by, &ap)) {
                /* the probes along the major axis on the face, in (s, t)
                 * (faces are square: texels / width), clamped to it */
                float inv = 1.0f / (float)s->level[0].width;
                float ds = (ap.xmajor ? ax : bx) * inv, dt = (ap.xmajor ? ay : by) * inv;
                float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
                for (uint32_t i = 0; i < ap.n; i++) {
                    float t = aniso_offset(i, ap.n), pr[4];
                    cube_pos q = p;
                    q.s = p.s + ds * t;
                    q.t = p.t + dt * t;
                    sample_cube(s, &ap.c, &q, pr);
                    for (int k = 0; k < 4; k++) {
                        acc[k] += pr[k];
                    }
                }
                for (int k = 0; k < 4; k++) {
                    out[k] = acc[k] / (float)ap.n;
                }
                return;
            }
            choose_lod(s, lambda, &lc);
        }
        sample_cube(s, &lc, &p, out);
        return;
    }
    case SOFT_TEX_VOLUME:
        if (need_lod(s)) {
            choose_lod(s, volume_lambda(s, dx, dy), &lc);
        }
        sample_volume(s, &lc, c, out);
        return;
    default:
        soft_sample(s, c[0], c[1], dx[0], dx[1], dy[0], dy[1], out);
        return;
    }
}

void soft_sample3_lod(const soft_sampler *s, const float c[3], float lod, float out[4])
{
    lod_choice lc = {base_level(s), base_level(s), 0.0f, s->mag};
    if (need_lod(s)) {
        choose_lod(s, lod + s->lod_bias, &lc);
    }
    switch (s->kind) {
    case SOFT_TEX_CUBE: {
        cube_pos p;
        cube_project(c, &p);
        sample_cube(s, &lc, &p, out);
        return;
    }
    case SOFT_TEX_VOLUME:
        sample_volume(s, &lc, c, out);
        return;
    default:
        sample_2d(s, &lc, c[0], c[1], out);
        return;
    }
}
