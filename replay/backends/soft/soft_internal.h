/* soft_internal.h - private structures of the software renderer. */
#ifndef SOFT_INTERNAL_H
#define SOFT_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "vgt_soft.h"

/* ---- deterministic math (soft_math.c) ---------------------------------- */

/* These use only IEEE +, -, *, / and bit manipulation, so they give the
 * same bits on every machine and every libm. */
float soft_exp2f(float x);
float soft_log2f(float x);
float soft_powf(float x, float y); /* x >= 0 */
float soft_cosf(float x);
float soft_half_to_float(uint16_t h);
uint16_t soft_float_to_half(float f);
float soft_srgb_encode(float linear); /* [0,1] -> [0,1] */
float soft_srgb_decode(float srgb);
extern const float soft_srgb_linear8[256]; /* sRGB byte -> linear (exact curve) */

static inline float soft_clampf(float v, float lo, float hi)
{
    /* NaN maps to lo. */
    return v > lo ? (v < hi ? v : hi) : lo;
}
static inline float soft_sat(float v)
{
    return soft_clampf(v, 0.0f, 1.0f);
}
static inline uint32_t soft_unorm(float v, uint32_t max)
{
    return (uint32_t)(soft_sat(v) * (float)max + 0.5f);
}
/* A depth in [0, 1] as the integer the depth format stores. */
static inline uint32_t soft_depth_quant(uint32_t fmt, float z)
{
    double d = (double)soft_sat(z);
    if (fmt == VGT_SVGA3D_Z_D16) {
        return (uint32_t)(d * 65535.0 + 0.5);
    }
    if (fmt == VGT_SVGA3D_Z_D32) {
        return (uint32_t)(d * 4294967295.0 + 0.5);
    }
    return (uint32_t)(d * 16777215.0 + 0.5);
}
static inline void soft_d3dcolor_to_float(uint32_t c, float out[4])
{
    out[0] = (float)((c >> 16) & 0xff) * (1.0f / 255.0f);
    out[1] = (float)((c >> 8) & 0xff) * (1.0f / 255.0f);
    out[2] = (float)(c & 0xff) * (1.0f / 255.0f);
    out[3] = (float)(c >> 24) * (1.0f / 255.0f);
}

/* ---- formats (soft_format.c) ------------------------------------------- */

typedef void (*soft_decode_fn)(const uint8_t *p, float rgba[4]);
typedef void (*soft_encode_fn)(const float rgba[4], uint8_t *p);

typedef struct soft_format {
    vgt_soft_format_info info;
    soft_decode_fn decode; /* one texel of a 1x1-block format (NULL for DXT) */
    soft_encode_fn encode; /* NULL when not a color render target */
} soft_format;

const soft_format *soft_format_get(uint32_t format);

/* ---- surfaces (soft_surface.c) ----------------------------------------- */

typedef struct soft_level {
    uint32_t width, height, depth;
    uint32_t blocks_w, blocks_h;
    uint64_t row_pitch;   /* bytes per row of blocks */
    uint64_t slice_pitch; /* bytes per slice */
    uint64_t offset;      /* into surface->data */
    uint64_t bytes;
    uint32_t *decoded; /* DXT: decoded 0xAARRGGBB texels, or NULL */
    bool decoded_valid;
} soft_level;

struct vgt_soft_surface {
    vgt_soft_surface_desc desc;
    const soft_format *fmt;
    uint8_t *data;
    uint64_t size;
    soft_level levels[VGT_SOFT_MAX_FACES][VGT_SOFT_MAX_MIPS];
};

/* Returns the level or NULL (with err filled) when face/mip is out of range. */
soft_level *soft_surface_level(const vgt_soft_surface *s, uint32_t face, uint32_t mip,
                               vgt_error *err);
/* Marks decoded caches of a level stale after a write. */
void soft_level_touch(soft_level *lv);
/* Makes sure a DXT level has its decoded cache. */
vgt_status soft_level_decode(const vgt_soft_surface *s, soft_level *lv, vgt_error *err);

/* ---- worker pool (soft_pool.c) ----------------------------------------- */

typedef void (*soft_job_fn)(void *arg, uint32_t item, uint32_t worker);

typedef struct soft_pool {
    uint32_t nthreads; /* including the caller */
    pthread_t *threads;
    pthread_mutex_t mu;
    pthread_cond_t cv_start, cv_done;
    uint64_t generation;
    uint32_t running;
    bool quit;
    soft_job_fn fn;
    void *arg;
    uint32_t items;
    atomic_uint next;
} soft_pool;

vgt_status soft_pool_init(soft_pool *p, uint32_t nthreads, vgt_error *err);
void soft_pool_fini(soft_pool *p);
/* Runs fn(arg, item, worker) for every item in [0, items) on all threads and
 * waits.  Which thread runs an item is not fixed; each item runs once. */
void soft_pool_run(soft_pool *p, soft_job_fn fn, void *arg, uint32_t items);

/* ---- the pipeline ------------------------------------------------------ */

#define SOFT_SUBPIXEL_BITS 8
#define SOFT_SUBPIXEL      (1 << SOFT_SUBPIXEL_BITS)
#define SOFT_BAND_ROWS     16
#define SOFT_SPAN_MAX      64

/* varying slots */
#define SOFT_V_DIFFUSE  0 /* 4 floats */
#define SOFT_V_SPECULAR 4 /* 4 floats */
#define SOFT_V_FOG      8 /* fog factor (vertex fog) or fog distance (pixel fog) */
#define SOFT_V_TEX      9 /* per stage that samples: u, v, w (cube, volume), q (projected) */
/* With a pixel shader the layout is the shader's: 4 floats per input
 * (colors first), then the fog (soft_shader.h): at most 10 * 4 + 1. */
#define SOFT_MAX_VARY 44

/* A vertex after transform and lighting. */
typedef struct soft_vtx {
    float clip[4];                       /* clip space; pretransformed: screen x, y, z and rhw */
    float ucd[VGT_SOFT_MAX_CLIP_PLANES]; /* user clip distances */
    float psize;
    float v[SOFT_MAX_VARY];
} soft_vtx;

enum { SOFT_PRIM_TRI = 0, SOFT_PRIM_LINE = 1, SOFT_PRIM_POINT = 2 };

/* A primitive ready to rasterize: coverage data plus attribute planes.
 * Attributes are a(px, py) = (p0 + px' * pdx + py' * pdy) / W with
 * px' = px - ox, py' = py - oy and W the same kind of plane for 1/w. */
typedef struct soft_prim {
    uint8_t kind;
    uint8_t ccw;                    /* counter-clockwise on screen (two-sided stencil) */
    uint8_t x_major;                /* lines */
    int32_t minx, miny, maxx, maxy; /* inclusive pixel bounds, clipped */
    int64_t ea[3], eb[3], ec[3];    /* triangle edges: E = ea*px + eb*py + ec >= 0 */
    float lx0, ly0, lx1, ly1;       /* line endpoints (screen) */
    float ox, oy;
    float z0, zdx, zdy; /* screen-linear z (bias included) */
    float w0, wdx, wdy; /* 1/w */
    uint32_t planes;    /* index of the first of nvary*3 floats */
    uint32_t src;       /* the primitive of the draw call it comes from (the probe) */
} soft_prim;

typedef struct soft_sampler_level {
    const uint8_t *data;
    uint64_t row_pitch;
    uint64_t slice_pitch; /* volumes */
    uint32_t width, height, depth;
    const uint32_t *decoded; /* DXT: rows of whole blocks, slices after each other */
} soft_sampler_level;

/* What a sampler's texture is. */
enum { SOFT_TEX_2D = 0, SOFT_TEX_CUBE = 1, SOFT_TEX_VOLUME = 2 };

typedef struct soft_sampler {
    bool bound;
    uint8_t kind;   /* SOFT_TEX_* */
    uint8_t ncoord; /* texture coordinate components read: 2, or 3 (cube, volume) */
    soft_decode_fn decode;
    uint32_t bpp;
    uint32_t levels;
    soft_sampler_level level[VGT_SOFT_MAX_MIPS]; /* cube: face 0 (+X) */
    const vgt_soft_surface *cube; /* cube: the other faces' levels are read from it */
    uint32_t address_u, address_v, address_w;
    float border[4];
    uint32_t mag, min, mip;
    float lod_bias;
    uint32_t max_level;
    uint32_t max_aniso; /* 1..VGT_SOFT_MAX_ANISOTROPY; > 1 with min ANISOTROPIC: probes */
    int tc_slot;        /* varying slot of its texcoords, -1 = none */
    /* ps_1_1..1_3 tex: the coordinate the others are divided by (1..3:
     * TEXTURETRANSFORMFLAGS PROJECTED, vgt_svga3d_ps1x_tex_projection),
     * 0: not projected */
    uint8_t ps1x_proj;
    /* TS_GAMMA 2.2: the texels' R, G, B are sRGB bytes, made linear as they
     * are read, before filtering (the border colour is not) */
    bool srgb;
} soft_sampler;

/* One color target of a draw (data NULL: not bound). */
typedef struct soft_target {
    uint8_t *data;
    uint64_t pitch;
    const soft_format *fmt;
    uint32_t write_mask; /* VGT_SVGA3D_COLORMASK_* */
} soft_target;

/* The fragment probe (vgt_soft_probe_set): written by the one thread
 * that rasterizes the probed pixel's band, in draw order. */
typedef struct soft_probe {
    bool on;
    const vgt_soft_surface *surface;
    uint32_t face, mip;
    int32_t x, y;
    vgt_soft_fragment frags[VGT_SOFT_PROBE_MAX];
    uint32_t count;
    uint64_t dropped;
    /* the draw being rasterized: where the image is bound, its mask and
     * blending, a shader's or not (copied into each fragment's slot) */
    uint32_t target, write_mask;
    bool blend, shader;
    bool depth, z_write; /* the image is the draw's depth/stencil target; ZWRITEENABLE */
} soft_probe;

/* A slot for the next fragment of the probe, or NULL (counted dropped). */
vgt_soft_fragment *soft_probe_slot(soft_probe *p, uint32_t primitive);
typedef struct soft_draw_ctx {
    const vgt_soft_draw_state *st;
    soft_probe *probe; /* NULL unless this draw writes the probed image (at probe->target) */
    /* color targets COLOR0..COLOR3 (fixed function writes rt[0] only) */
    soft_target rt[VGT_SOFT_MAX_COLOR_TARGETS];
    /* depth target */
    uint8_t *depth;
    uint64_t depth_pitch;
    uint32_t dfmt; /* format id */
    /* pixel bounds: [x0, x1) x [y0, y1) */
    int32_t x0, y0, x1, y1;
    /* constants */
    float blend_color[4], tfactor[4], fog_color[4];
    uint32_t nstages;
    soft_sampler samplers[VGT_SOFT_MAX_STAGES];
    /* stage s's tc_n slots from tc_slot: its ncoord components, and when
     * tc_q the divisor q at tc_qoff: sampled at (u/q, v/q) or, cube and
     * volume textures, (u/q, v/q, w/q), of which those from tc_keep on
     * read 0 (vgt_svga3d_texcoord_plan) */
    bool tc_q[VGT_SOFT_MAX_STAGES];
    uint8_t tc_n[VGT_SOFT_MAX_STAGES], tc_qoff[VGT_SOFT_MAX_STAGES];
    uint8_t tc_keep[VGT_SOFT_MAX_STAGES];
    bool need_temp;
    bool pixel_fog;
    bool pretransformed;
    bool flat_colors; /* color planes hold the provoking vertex's colors, not /w */
    uint32_t nvary;
    uint32_t nflat; /* flat shading holds varyings [0, nflat) (the colors) constant */
    /* RS WRAPn: bit k set when varying float k is a wrapped component of
     * a texture coordinate (SOFT_MAX_VARY <= 64) */
    uint64_t wrap_mask;
    const struct soft_shader_draw *sh; /* shaders of the draw (soft_shader.h), or NULL */
    /* primitives */
    soft_prim *prims;
    uint32_t nprims;
    float *planes;
    /* bins: the primitives touching band b are bin_items[bin_start[b] ..
     * bin_start[b + 1]), in draw order */
    uint32_t *bin_start;
    uint32_t *bin_items;
    /* per band results */
    uint64_t *band_pixels;
    uint32_t nbands;
} soft_draw_ctx;

/* The depth and stencil buffers at the probed fragment (x, py), before its
 * test (soft_raster.c). */
void soft_probe_ds_before(const soft_draw_ctx *ctx, int32_t py, int32_t x, float z,
                          vgt_soft_fragment *f);
/* After the depth/stencil test of the probed fragment: the stencil op it
 * took and, when the test killed it (live false), which test did. */
void soft_probe_ds_after(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t x,
                         bool live, vgt_soft_fragment *f);

/* Whether the line (lx0, ly0)-(lx1, ly1) (screen, snapped; LASTPIXEL
 * `last`) covers pixel (px, py), scissor aside: the rasterizer's own walk
 * for one pixel (the probe, for a line outside the scissor). */
bool soft_line_covers(float lx0, float ly0, float lx1, float ly1, bool last, int32_t px,
                      int32_t py);
/* Rasterizes every primitive into rows [band*16, band*16+16) (soft_raster.c). */
void soft_raster_band(soft_draw_ctx *ctx, uint32_t band);
/* Samples a 2D texture at (u, v) with derivatives (soft_texture.c). */
void soft_sample(const soft_sampler *s, float u, float v, float dudx, float dvdx, float dudy,
                 float dvdy, float out[4]);
/* Samples any texture at c: (u, v) of a 2D texture, (u, v, w) of a volume,
 * the direction of a cube; dx and dy are c's derivatives (the LOD). */
void soft_sample3(const soft_sampler *s, const float c[3], const float dx[3], const float dy[3],
                  float out[4]);
/* The same at level of detail lod (texldl; the stage's LOD bias is added). */
void soft_sample3_lod(const soft_sampler *s, const float c[3], float lod, float out[4]);

struct vgt_soft_device {
    soft_pool pool;
    /* scratch reused from draw to draw */
    uint32_t *idx;
    size_t idx_cap;
    soft_vtx *vtx;
    size_t vtx_cap;
    soft_prim *prims;
    size_t prims_cap;
    float *planes;
    size_t planes_cap;
    uint64_t *band_pixels;
    size_t band_cap;
    uint32_t *bin_start;
    size_t bin_start_cap;
    uint32_t *bin_items;
    size_t bin_items_cap;
    uint32_t *list; /* the dense vertex list */
    size_t list_cap;
    uint32_t *bin_fill; /* the bins' fill cursors */
    size_t bin_fill_cap;
    soft_probe probe;
    /* a CLEAR's rects, clipped and swept (soft_surface.c) */
    vgt_rect_union clear_union;
    /* the texels CLEARs wrote (colour pixels of every slice, depth-stencil
     * texels): what shows that a CLEAR writes each texel once */
    uint64_t clear_texels;
};

/* Sets up sampler sm from stage g (texture bound) (soft_draw.c). */
vgt_status soft_setup_sampler(soft_sampler *sm, const vgt_soft_stage *g, uint32_t s,
                              vgt_error *err);
/* Reads element e of vertex `index` as 4 floats (missing = 0, 0, 0, 1); 0 bytes
 * when the type is unknown (soft_vertex.c). */
vgt_status soft_vertex_fetch(const vgt_soft_element *e, uint32_t index, float out[4],
                             vgt_error *err);
uint32_t soft_decl_size(uint32_t type);
/* Depth/stencil test of pixels [xa, xa + n) of row py (soft_raster.c). */
void soft_ds_test(const soft_draw_ctx *ctx, const soft_prim *pr, int32_t py, int32_t xa, uint32_t n,
                  const float *z, uint8_t *live);
/* Blends and writes colors col[0..n) of the live pixels [xa, xa + n) of row py
 * into target t (one of ctx->rt, bound). */
void soft_write_pixels(const soft_draw_ctx *ctx, const soft_target *t, int32_t py, int32_t xa,
                       uint32_t n, const uint8_t *live, float (*col)[4]);
/* Compares a and b with an SVGA3D comparison function. */
bool soft_cmp_u32(uint32_t func, uint32_t a, uint32_t b);

/* Fog factor for distance d under st's fog function (soft_vertex.c). */
float soft_fog_factor(const vgt_soft_draw_state *st, float d);

/* Stage g's texture coordinate plan (vgt_svga3d_texcoord_plan_make: its
 * rules and refusals, shared with the gl backend). */
vgt_status soft_texcoord_plan(const vgt_soft_stage *g, uint32_t s, bool pretransformed,
                              vgt_svga3d_texcoord_plan *out, vgt_error *err);

/* Transforms and lights `count` vertices whose indices are idx[i] (soft_vertex.c). */
vgt_status soft_process_vertices(const vgt_soft_draw_state *st, const soft_draw_ctx *ctx,
                                 const uint32_t *idx, size_t count, soft_vtx *out, vgt_error *err);

#endif /* SOFT_INTERNAL_H */
