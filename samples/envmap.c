/* envmap.c - sample "envmap": environment mapping with a cube map, a
 * volume texture and fixed-function texture coordinate generation.
 *
 * - a 64x64 A8R8G8B8 cube map with a full mip chain (7 levels per face),
 *   computed by the guest from a direction: sky with a sun (on +Y), a
 *   checkered ground with a road running towards +X (on -Y), and on the
 *   horizon one landmark per side face (+X a tall red tower, -X a low green
 *   block, +Z an orange mountain, -Z twin magenta towers), so a swapped or
 *   flipped face shows; every face and level uploaded by SURFACE_DMA
 *   through the DMA pool;
 * - the environment behind everything: a quad at the far end of the view
 *   whose stage 0 coordinate is its camera-space position (Direct3D 9's
 *   D3DTSS_TCI_CAMERASPACEPOSITION bits in TEXCOORDINDEX) times a texture
 *   matrix (SETTRANSFORM TEXTURE0, TEXTURETRANSFORMFLAGS S|T|R = COUNT3)
 *   that turns the environment about y with the frame number;
 * - a lit sphere (per-vertex normals, Gouraud, a directional light with
 *   specular) reflecting it: TEXCOORDGEN REFLECTIONVECTOR through the same
 *   matrix, the cube texel modulated with the lit color;
 * - a spinning box with a 16x16x16 A8R8G8B8 volume texture (concentric
 *   shells, a white corner post) at 3D coordinates (u, v, w) = its corners,
 *   w shifted by the frame through the texture matrix (ADDRESSW WRAP), so
 *   the shells sweep through it.
 *
 * Stage 0 state goes out only when it changes (as drivers filter redundant
 * state), so a draw may rely on what the previous frame left set: a capture
 * started mid-run must carry it.  One frame in flight: frame f waits for the
 * fence of frame f - 1.  Everything is a function of the frame number (no
 * libm), so frame N is always the same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CID = 1,
    SID_COLOR = 1,
    SID_DEPTH = 2,
    SID_VB = 3,
    SID_IB = 4,
    SID_ENV = 5,
    SID_VOLUME = 6,
    GMR_POOL = 1,
    POOL_SLOTS = 2, /* the uploads (~200 KiB, once, before the first frame) fill two */
    POOL_SLOT_SIZE = 128 * 1024,
    ENV_SIZE = 64,
    ENV_MIPS = 7,
    VOL_SIZE = 16,
};

/* Direct3D 9's D3DTSS_TCI_CAMERASPACEPOSITION: TEXCOORDINDEX bits 16-31. */
#define TCI_CAMERASPACEPOSITION 0x20000u

#define STACKS          24u /* sphere: rings from pole to pole */
#define SLICES          48u /* sphere: segments around */
#define SPHERE_VERTICES ((STACKS + 1u) * (SLICES + 1u))
#define SPHERE_TRIS     (STACKS * SLICES * 2u)
#define BOX_VERTICES    36u
#define BG_VERTICES     6u
#define ALL_VERTICES    (SPHERE_VERTICES + BOX_VERTICES + BG_VERTICES)
#define SPHERE_R        1.25f
#define VIEW_DIST       4.0f  /* the camera at z = -4 looking down +z */
#define BG_VIEW_Z       30.0f /* the background quad's view-space depth */
#define FAR_Z           40.0f
#define ENV_FRAMES      240.0f /* frames per turn of the environment */
#define BOX_FRAMES      300.0f /* frames per turn of the box */
#define VOL_FRAMES      96.0f  /* frames per sweep through the volume */

/* One layout for every mesh: the sphere reads position and normal, the box
 * position and (u, v, w), the background position only. */
typedef struct env_vertex {
    float x, y, z;
    float nx, ny, nz;
    float u, v, w;
} env_vertex;

typedef struct env_mesh {
    env_vertex v[ALL_VERTICES];
    uint16_t idx[SPHERE_TRIS * 3u];
} env_mesh;

/* ---- geometry ---------------------------------------------------------------- */

/* Whether p0, p1, p2 in this order face along `out`: front faces are
 * clockwise seen from outside (Direct3D), the plain cross product of the
 * edges then points out. */
static bool faces_out(const env_vertex *p0, const env_vertex *p1, const env_vertex *p2,
                      const float out[3])
{
    float e1[3] = {p1->x - p0->x, p1->y - p0->y, p1->z - p0->z};
    float e2[3] = {p2->x - p0->x, p2->y - p0->y, p2->z - p0->z};
    float c[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                  e1[0] * e2[1] - e1[1] * e2[0]};
    return c[0] * out[0] + c[1] * out[1] + c[2] * out[2] >= 0.0f;
}

static void build_sphere(env_mesh *m)
{
    for (uint32_t i = 0; i <= STACKS; i++) {
        float th = DEMO_PI * (float)i / (float)STACKS;
        float st = demo_sin(th), ct = demo_cos(th);
        for (uint32_t j = 0; j <= SLICES; j++) {
            float ph = 2.0f * DEMO_PI * (float)j / (float)SLICES;
            env_vertex *v = &m->v[i * (SLICES + 1u) + j];
            memset(v, 0, sizeof(*v));
            v->nx = st * demo_cos(ph);
            v->ny = ct;
            v->nz = st * demo_sin(ph);
            v->x = SPHERE_R * v->nx;
            v->y = SPHERE_R * v->ny;
            v->z = SPHERE_R * v->nz;
        }
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < STACKS; i++) {
        for (uint32_t j = 0; j < SLICES; j++) {
            uint16_t q[4] = {(uint16_t)(i * (SLICES + 1u) + j),
                             (uint16_t)((i + 1u) * (SLICES + 1u) + j),
                             (uint16_t)((i + 1u) * (SLICES + 1u) + j + 1u),
                             (uint16_t)(i * (SLICES + 1u) + j + 1u)};
            const uint16_t tris[2][3] = {{q[0], q[1], q[2]}, {q[0], q[2], q[3]}};
            for (int t = 0; t < 2; t++) {
                const env_vertex *p0 = &m->v[tris[t][0]], *p1 = &m->v[tris[t][1]],
                                 *p2 = &m->v[tris[t][2]];
                /* the pole triangles have no area: any order */
                float nrm[3] = {p0->nx + p1->nx + p2->nx, p0->ny + p1->ny + p2->ny,
                                p0->nz + p1->nz + p2->nz};
                bool out = faces_out(p0, p1, p2, nrm);
                m->idx[n++] = tris[t][0];
                m->idx[n++] = out ? tris[t][1] : tris[t][2];
                m->idx[n++] = out ? tris[t][2] : tris[t][1];
            }
        }
    }
}

/* The unit box centred on the origin, 6 faces of 2 triangles, each corner
 * with (u, v, w) = its position + 1/2: the whole volume inside. */
static void build_box(env_vertex *v)
{
    static const float corner[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    static const uint32_t tri[6] = {0, 1, 2, 0, 2, 3};
    uint32_t n = 0;
    for (uint32_t face = 0; face < 6; face++) {
        uint32_t axis = face / 2u, a1 = (axis + 1u) % 3u, a2 = (axis + 2u) % 3u;
        float side = (face & 1u) ? -0.5f : 0.5f;
        env_vertex quad[4];
        for (uint32_t k = 0; k < 4; k++) {
            float p[3];
            p[axis] = side;
            p[a1] = corner[k][0] - 0.5f;
            p[a2] = corner[k][1] - 0.5f;
            env_vertex *q = &quad[k];
            memset(q, 0, sizeof(*q));
            q->x = p[0], q->y = p[1], q->z = p[2];
            q->u = p[0] + 0.5f, q->v = p[1] + 0.5f, q->w = p[2] + 0.5f;
        }
        float out[3] = {0, 0, 0};
        out[axis] = side;
        for (uint32_t t = 0; t < 2; t++) {
            const env_vertex *p0 = &quad[tri[t * 3u]], *p1 = &quad[tri[t * 3u + 1u]],
                             *p2 = &quad[tri[t * 3u + 2u]];
            bool ok = faces_out(p0, p1, p2, out);
            v[n++] = *p0;
            v[n++] = ok ? *p1 : *p2;
            v[n++] = ok ? *p2 : *p1;
        }
    }
}

/* The unit square [-1, 1]^2 at z = 0 facing the camera (-z). */
static void build_background(env_vertex *v)
{
    static const float c[6][2] = {{-1, -1}, {-1, 1}, {1, 1}, {-1, -1}, {1, 1}, {1, -1}};
    for (uint32_t i = 0; i < 6; i++) {
        v[i] = (env_vertex){c[i][0], c[i][1], 0, 0, 0, -1, 0, 0, 0};
    }
    const float toward[3] = {0, 0, -1};
    for (uint32_t t = 0; t < 2; t++) {
        if (!faces_out(&v[t * 3u], &v[t * 3u + 1u], &v[t * 3u + 2u], toward)) {
            env_vertex s = v[t * 3u + 1u];
            v[t * 3u + 1u] = v[t * 3u + 2u];
            v[t * 3u + 2u] = s;
        }
    }
}

/* ---- texture contents (guest side) ---------------------------------------------- */

static uint32_t lerp_color(uint32_t a, uint32_t b, float t)
{
    t = t < 0.0f ? 0.0f : t > 1.0f ? 1.0f : t;
    uint32_t out = 0;
    for (uint32_t ch = 0; ch < 32; ch += 8) {
        float ca = (float)((a >> ch) & 0xFFu), cb = (float)((b >> ch) & 0xFFu);
        out |= (uint32_t)(ca + (cb - ca) * t + 0.5f) << ch;
    }
    return out;
}

static float absf(float v)
{
    return v < 0.0f ? -v : v;
}

static int32_t floor_i(float v)
{
    int32_t i = (int32_t)v;
    return (float)i > v ? i - 1 : i;
}

/* The environment seen along direction (x, y, z) (any length). */
static uint32_t env_color(float x, float y, float z)
{
    float inv = 1.0f / demo_sqrt(x * x + y * y + z * z);
    x *= inv, y *= inv, z *= inv;
    /* the sun, high up towards +x +z: on the +Y face, off its centre */
    float sun = x * 0.35f + y * 0.8f + z * 0.487f;
    if (sun > 0.993f) {
        return 0xFFFFF4B0u;
    }
    /* the landmarks stand on the horizon (a little below it, grounded);
     * their sizes are ratios to the face's major axis */
    if (y > -0.02f * (absf(x) + absf(z))) {
        if (x > 0.0f && absf(z) < 0.1f * x && y < 0.55f * x) {
            return 0xFFD83020u; /* +X: a tall thin red tower */
        }
        if (x < 0.0f && absf(z) < 0.3f * -x && y < 0.18f * -x) {
            return 0xFF28A040u; /* -X: a low wide green block */
        }
        if (z > 0.0f && y < 0.4f * z - 1.3f * absf(x)) {
            return 0xFFF08020u; /* +Z: an orange mountain */
        }
        if (z < 0.0f && absf(x) > 0.06f * -z && absf(x) < 0.16f * -z && y < 0.4f * -z) {
            return 0xFFC038C0u; /* -Z: twin magenta towers */
        }
    }
    if (y >= 0.0f) {
        uint32_t sky = lerp_color(0xFFB8D8F0u, 0xFF1C3C8Cu, y);
        return sun > 0.95f ? lerp_color(sky, 0xFFFFE890u, (sun - 0.95f) / 0.043f) : sky;
    }
    const uint32_t haze = 0xFFA8B8A8u;
    if (-y < 0.05f) {
        return haze;
    }
    /* the ground plane one unit below the eye */
    float gx = x / -y, gz = z / -y;
    uint32_t ground;
    if (gx > 0.0f && absf(gz) < 0.35f) {
        /* a road towards +X with a dashed yellow centre line */
        bool line = absf(gz) < 0.05f && (floor_i(gx * 2.0f) & 1) == 0;
        ground = line ? 0xFFE8D040u : 0xFF505058u;
    } else {
        ground = ((floor_i(gx * 2.0f) + floor_i(gz * 2.0f)) & 1) ? 0xFF3C7A34u : 0xFF6A9A3Cu;
    }
    return lerp_color(haze, ground, -y * 4.0f);
}

/* The direction of texel (sc, tc) in [-1, 1] of cube face `face`: the face
 * table Direct3D 9 and OpenGL share (+X: sc = -z, tc = -y; -X: +z, -y;
 * +Y: +x, +z; -Y: +x, -z; +Z: +x, -y; -Z: -x, -y), row 0 at tc = -1. */
static void face_dir(uint32_t face, float sc, float tc, float d[3])
{
    switch (face) {
    case VGT_SVGA3D_CUBEFACE_POSX:
        d[0] = 1.0f, d[1] = -tc, d[2] = -sc;
        break;
    case VGT_SVGA3D_CUBEFACE_NEGX:
        d[0] = -1.0f, d[1] = -tc, d[2] = sc;
        break;
    case VGT_SVGA3D_CUBEFACE_POSY:
        d[0] = sc, d[1] = 1.0f, d[2] = tc;
        break;
    case VGT_SVGA3D_CUBEFACE_NEGY:
        d[0] = sc, d[1] = -1.0f, d[2] = -tc;
        break;
    case VGT_SVGA3D_CUBEFACE_POSZ:
        d[0] = sc, d[1] = -tc, d[2] = 1.0f;
        break;
    default:
        d[0] = -sc, d[1] = -tc, d[2] = -1.0f;
        break;
    }
}

/* Volume texel (x, y, z): concentric shells around the centre, a white post
 * along one edge (u, v < 3/16) so u and v are told apart. */
static uint32_t volume_texel(uint32_t x, uint32_t y, uint32_t z)
{
    static const uint32_t shells[4] = {0xFFE04020u, 0xFFF0E0A0u, 0xFF2060C0u, 0xFF102040u};
    if (x < 3u && y < 3u) {
        return 0xFFFFFFFFu;
    }
    float cx = (float)x - 7.5f, cy = (float)y - 7.5f, cz = (float)z - 7.5f;
    uint32_t shell = (uint32_t)((cx * cx + cy * cy + cz * cz) / 14.0f);
    return shells[shell & 3u];
}

/* Uploads one image (face, mip) of surface sid through the pool. */
static void upload_image(vgt_drv3d_pool *pool, uint32_t sid, uint32_t face, uint32_t mip,
                         const uint32_t *px, uint32_t w, uint32_t h, uint32_t d)
{
    vgt_svga_guest_ptr g;
    void *dst = vgt_drv3d_pool_alloc(pool, w * h * d * 4u, &g);
    if (!dst) {
        if (!pool->drv->failed) {
            pool->drv->failed = true;
            vgt_error_set(&pool->drv->error, VGT_E_RANGE, "DMA pool: no room for %ux%ux%u", w, h,
                          d);
        }
        return;
    }
    memcpy(dst, px, (size_t)w * h * d * 4u);
    /* a box of several slices: the guest's slices follow each other at
     * pitch * h, as the surface's */
    vgt_svga3d_copy_box box = {0, 0, 0, w, h, d, 0, 0, 0};
    vgt_drv3d_surface_dma(pool->drv, g, w * 4u, (vgt_svga3d_surface_image_id){sid, face, mip},
                          VGT_SVGA3D_WRITE_HOST_VRAM, &box, 1, NULL);
}

/* Every face of the cube map: level 0 from env_color at the texel centres,
 * the rest by box filtering; each image by its own SURFACE_DMA. */
static void upload_environment(vgt_drv3d_pool *pool)
{
    uint32_t *a = malloc((size_t)ENV_SIZE * ENV_SIZE * 4u);
    uint32_t *b = malloc((size_t)ENV_SIZE * ENV_SIZE * 4u);
    if (!a || !b) {
        free(a);
        free(b);
        pool->drv->failed = true;
        vgt_error_set(&pool->drv->error, VGT_E_NOMEM, "out of memory");
        return;
    }
    for (uint32_t face = 0; face < 6 && !pool->drv->failed; face++) {
        for (uint32_t y = 0; y < ENV_SIZE; y++) {
            for (uint32_t x = 0; x < ENV_SIZE; x++) {
                float sc = 2.0f * ((float)x + 0.5f) / ENV_SIZE - 1.0f;
                float tc = 2.0f * ((float)y + 0.5f) / ENV_SIZE - 1.0f;
                float d[3];
                face_dir(face, sc, tc, d);
                a[y * ENV_SIZE + x] = env_color(d[0], d[1], d[2]);
            }
        }
        uint32_t size = ENV_SIZE;
        for (uint32_t m = 0; m < ENV_MIPS; m++) {
            upload_image(pool, SID_ENV, face, m, a, size, size, 1);
            demo_downsample(a, size, size, b);
            uint32_t *t = a;
            a = b;
            b = t;
            size = size > 1u ? size / 2u : 1u;
        }
    }
    free(a);
    free(b);
}

static void upload_volume(vgt_drv3d_pool *pool)
{
    uint32_t *px = malloc((size_t)VOL_SIZE * VOL_SIZE * VOL_SIZE * 4u);
    if (!px) {
        pool->drv->failed = true;
        vgt_error_set(&pool->drv->error, VGT_E_NOMEM, "out of memory");
        return;
    }
    for (uint32_t z = 0; z < VOL_SIZE; z++) {
        for (uint32_t y = 0; y < VOL_SIZE; y++) {
            for (uint32_t x = 0; x < VOL_SIZE; x++) {
                px[(z * VOL_SIZE + y) * VOL_SIZE + x] = volume_texel(x, y, z);
            }
        }
    }
    upload_image(pool, SID_VOLUME, 0, 0, px, VOL_SIZE, VOL_SIZE, VOL_SIZE);
    free(px);
}

/* ---- state ------------------------------------------------------------------------ */

/* What a draw needs of stage 0 (and lighting). */
typedef struct stage_use {
    uint32_t texture;  /* BIND_TEXTURE */
    uint32_t color_op; /* SELECTARG1: the texel; MODULATE: texel * lit diffuse */
    uint32_t tci;      /* TEXCOORDINDEX: set 0, with or without D3D9 TCI bits */
    uint32_t gen;      /* TEXCOORDGEN */
    uint32_t lighting; /* RS LIGHTINGENABLE */
    float matrix[16];  /* TRANSFORM_TEXTURE0 */
} stage_use;

typedef struct scene {
    vgt_drv *drv;
    uint32_t w, h;
    stage_use sent; /* what the device holds */
    bool have_sent; /* false: nothing sent yet */
} scene;

/* Sends the parts of `want` that differ from what was sent last. */
static void use_stage(scene *s, const stage_use *want)
{
    vgt_svga3d_texture_state_entry ts[4];
    uint32_t n = 0;
    const stage_use *had = s->have_sent ? &s->sent : NULL;
    if (!had || had->texture != want->texture) {
        ts[n++] = (vgt_svga3d_texture_state_entry){0, VGT_SVGA3D_TS_BIND_TEXTURE, want->texture};
    }
    if (!had || had->color_op != want->color_op) {
        ts[n++] = (vgt_svga3d_texture_state_entry){0, VGT_SVGA3D_TS_COLOROP, want->color_op};
    }
    if (!had || had->tci != want->tci) {
        ts[n++] = (vgt_svga3d_texture_state_entry){0, VGT_SVGA3D_TS_TEXCOORDINDEX, want->tci};
    }
    if (!had || had->gen != want->gen) {
        ts[n++] = (vgt_svga3d_texture_state_entry){0, VGT_SVGA3D_TS_TEXCOORDGEN, want->gen};
    }
    if (n) {
        vgt_drv3d_set_texture_states(s->drv, CID, ts, n);
    }
    if (!had || had->lighting != want->lighting) {
        const vgt_svga3d_render_state_pair rs = {VGT_SVGA3D_RS_LIGHTINGENABLE, want->lighting};
        vgt_drv3d_set_render_states(s->drv, CID, &rs, 1);
    }
    if (!had || memcmp(had->matrix, want->matrix, sizeof(want->matrix)) != 0) {
        vgt_drv3d_set_transform(s->drv, CID, VGT_SVGA3D_TRANSFORM_TEXTURE0, want->matrix);
    }
    s->sent = *want;
    s->have_sent = true;
}

static void setup_state(vgt_drv *drv, uint32_t w, uint32_t h)
{
    vgt_drv3d_setup_context(drv, CID, SID_COLOR, SID_DEPTH, w, h);
    const vgt_svga3d_render_state_pair rs[] = {
        {VGT_SVGA3D_RS_ZENABLE, 1},
        {VGT_SVGA3D_RS_ZWRITEENABLE, 1},
        {VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS},
        {VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK},
        {VGT_SVGA3D_RS_FRONTWINDING, VGT_SVGA3D_FRONTWINDING_CW},
        {VGT_SVGA3D_RS_SHADEMODE, VGT_SVGA3D_SHADEMODE_SMOOTH},
        {VGT_SVGA3D_RS_SPECULARENABLE, 1},
        {VGT_SVGA3D_RS_NORMALIZENORMALS, 1},
        {VGT_SVGA3D_RS_LOCALVIEWER, 1},
        {VGT_SVGA3D_RS_VERTEXMATERIALENABLE, 0},
        {VGT_SVGA3D_RS_AMBIENT, 0xFF505058u},
        {VGT_SVGA3D_RS_BLENDENABLE, 0},
        {VGT_SVGA3D_RS_ALPHATESTENABLE, 0},
        {VGT_SVGA3D_RS_STENCILENABLE, 0},
        {VGT_SVGA3D_RS_FOGENABLE, 0},
    };
    vgt_drv3d_set_render_states(drv, CID, rs, sizeof(rs) / sizeof(rs[0]));
    /* What every draw shares: the arguments (SELECTARG1 reads only the
     * texel), trilinear filtering (the volume has one level), u and v
     * clamped for the volume (a cube map clamps on its faces anyway), w
     * wrapped so the sweep repeats, and three transformed components: the
     * generated (x, y, z, 1) or the set's (u, v, w, 1) times TEXTURE0. */
    const vgt_svga3d_texture_state_entry ts[] = {
        {0, VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_COLORARG2, VGT_SVGA3D_TA_DIFFUSE},
        {0, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_SELECTARG1},
        {0, VGT_SVGA3D_TS_ALPHAARG1, VGT_SVGA3D_TA_TEXTURE},
        {0, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_MIPFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR},
        {0, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_CLAMP},
        {0, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_CLAMP},
        {0, VGT_SVGA3D_TS_ADDRESSW, VGT_SVGA3D_TEX_ADDRESS_WRAP},
        {0, VGT_SVGA3D_TS_TEXTURETRANSFORMFLAGS,
         VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_TRANSFORM_R},
        {1, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_DISABLE},
        {1, VGT_SVGA3D_TS_ALPHAOP, VGT_SVGA3D_TC_DISABLE},
    };
    vgt_drv3d_set_texture_states(drv, CID, ts, sizeof(ts) / sizeof(ts[0]));
    float view[16], proj[16];
    demo_mat_translate(view, 0.0f, 0.0f, VIEW_DIST);
    demo_mat_perspective(proj, w, h, 1.0f, FAR_Z);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_VIEW, view);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_PROJECTION, proj);

    /* A white directional light from the upper left, in front. */
    vgt_svga3d_light_data sun = {0};
    sun.type = VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL;
    sun.in_world_space = 1;
    sun.diffuse[0] = sun.diffuse[1] = sun.diffuse[2] = 0.85f, sun.diffuse[3] = 1.0f;
    sun.specular[0] = sun.specular[1] = sun.specular[2] = 0.9f, sun.specular[3] = 1.0f;
    sun.direction[0] = 0.45f, sun.direction[1] = -0.55f, sun.direction[2] = 0.7f;
    vgt_drv3d_set_light_data(drv, CID, 0, &sun);
    vgt_drv3d_set_light_enabled(drv, CID, 0, true);
    /* Chrome: a light grey that keeps the reflection bright on the shadowed
     * side (ambient 1 times the global ambient) and a tight highlight. */
    static const vgt_svga3d_material chrome = {
        {0.95f, 0.95f, 0.95f, 1.0f},
        {1.0f, 1.0f, 1.0f, 1.0f},
        {0.9f, 0.9f, 0.9f, 1.0f},
        {0.0f, 0.0f, 0.0f, 0.0f},
        32.0f,
    };
    vgt_drv3d_set_material(drv, CID, VGT_SVGA3D_FACE_FRONT_BACK, &chrome);
}

/* ---- drawing ------------------------------------------------------------------------ */

static void draw_mesh(vgt_drv *drv, uint32_t first_vertex, bool normals, bool texcoords,
                      const vgt_svga3d_primitive_range *range)
{
    uint32_t base = first_vertex * (uint32_t)sizeof(env_vertex);
    vgt_svga3d_vertex_decl decls[3] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3,
         VGT_SVGA3D_DECLMETHOD_DEFAULT,
         VGT_SVGA3D_DECLUSAGE_POSITION,
         0,
         {SID_VB, base, sizeof(env_vertex)},
         0,
         0},
    };
    uint32_t n = 1;
    if (normals) {
        decls[n++] = (vgt_svga3d_vertex_decl){VGT_SVGA3D_DECLTYPE_FLOAT3,
                                              VGT_SVGA3D_DECLMETHOD_DEFAULT,
                                              VGT_SVGA3D_DECLUSAGE_NORMAL,
                                              0,
                                              {SID_VB, base + 12u, sizeof(env_vertex)},
                                              0,
                                              0};
    }
    if (texcoords) {
        decls[n++] = (vgt_svga3d_vertex_decl){VGT_SVGA3D_DECLTYPE_FLOAT3,
                                              VGT_SVGA3D_DECLMETHOD_DEFAULT,
                                              VGT_SVGA3D_DECLUSAGE_TEXCOORD,
                                              0,
                                              {SID_VB, base + 24u, sizeof(env_vertex)},
                                              0,
                                              0};
    }
    vgt_drv3d_draw_primitives(drv, CID, decls, n, range, 1);
}

static void draw_frame(scene *s, uint32_t f)
{
    vgt_drv *drv = s->drv;
    /* The environment turns about y: a view-space direction d reads the
     * cube map at d * env, for the background and the reflection alike. */
    stage_use bg = {
        SID_ENV, VGT_SVGA3D_TC_SELECTARG1, TCI_CAMERASPACEPOSITION, VGT_SVGA3D_TEXCOORD_GEN_OFF, 0,
        {0}};
    demo_mat_rotate(bg.matrix, 1, 2.0f * DEMO_PI * (float)f / ENV_FRAMES);
    stage_use sphere = bg;
    sphere.color_op = VGT_SVGA3D_TC_MODULATE;
    sphere.tci = 0;
    sphere.gen = VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR;
    sphere.lighting = 1;
    /* The box's (u, v, w) shifted along w: the shells sweep through it. */
    stage_use box = {SID_VOLUME, VGT_SVGA3D_TC_SELECTARG1, 0, VGT_SVGA3D_TEXCOORD_GEN_OFF, 0, {0}};
    demo_mat_identity(box.matrix);
    box.matrix[14] = (float)(f % (uint32_t)VOL_FRAMES) / VOL_FRAMES;

    vgt_drv3d_clear(drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF000000u, 1.0f, 0,
                    NULL, 0);
    /* The background: the unit square scaled past the view's edges at
     * BG_VIEW_Z (tan 30 degrees = 0.57735), in world space in front of the
     * camera. */
    float m[16], t[16];
    float hh = 1.1f * 0.57735f * BG_VIEW_Z, hw = hh * (float)s->w / (float)s->h;
    demo_mat_identity(m);
    m[0] = hw;
    m[5] = hh;
    m[14] = BG_VIEW_Z - VIEW_DIST;
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, m);
    use_stage(s, &bg);
    const vgt_svga3d_primitive_range quad = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0};
    draw_mesh(drv, SPHERE_VERTICES + BOX_VERTICES, false, false, &quad);

    /* The sphere, a little left of centre. */
    demo_mat_translate(m, -0.3f, 0.0f, 0.0f);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, m);
    use_stage(s, &sphere);
    const vgt_svga3d_primitive_range tris = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, SPHERE_TRIS, {SID_IB, 0, 2}, 2, 0};
    draw_mesh(drv, 0, true, false, &tris);

    /* The box (0.8 units), spinning at the lower right. */
    float spin = 2.0f * DEMO_PI * (float)f / BOX_FRAMES;
    demo_mat_identity(m);
    m[0] = m[5] = m[10] = 0.8f;
    demo_mat_rotate(t, 1, spin);
    demo_mat_mul(m, m, t);
    demo_mat_rotate(t, 0, 0.6f + 0.5f * spin);
    demo_mat_mul(m, m, t);
    demo_mat_translate(t, 1.95f, -1.2f, -0.5f);
    demo_mat_mul(m, m, t);
    vgt_drv3d_set_transform(drv, CID, VGT_SVGA3D_TRANSFORM_WORLD, m);
    use_stage(s, &box);
    const vgt_svga3d_primitive_range cube = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, BOX_VERTICES / 3u, {VGT_SVGA3D_INVALID_ID, 0, 0}, 0, 0};
    draw_mesh(drv, SPHERE_VERTICES, false, true, &cube);
    vgt_drv3d_present(drv, SID_COLOR, NULL, 0);
}

int vgt_sample_envmap(vgt_guest *guest, const vgt_sample_args *args)
{
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    vgt_error err = {0};
    demo_args da;
    if (!demo_args_get("envmap", args, 240u, 16, 16, false, &da)) {
        return 1;
    }
    uint32_t frames = da.frames, w = da.w, h = da.h;
    bool quiet = da.quiet;
    env_mesh *mesh = malloc(sizeof(*mesh));
    if (!mesh) {
        return 2;
    }
    build_sphere(mesh);
    build_box(&mesh->v[SPHERE_VERTICES]);
    build_background(&mesh->v[SPHERE_VERTICES + BOX_VERTICES]);
    if (!vgt_drv3d_start(&drv, guest, "envmap", w, h, quiet)) {
        free(mesh);
        return 2;
    }
    vgt_drv3d_pool pool;
    if (vgt_drv3d_pool_create(&drv, GMR_POOL, POOL_SLOTS, POOL_SLOT_SIZE, &pool, &err) != VGT_OK) {
        if (!quiet) {
            fprintf(stderr, "envmap: %s\n", err.message);
        }
        vgt_drv_fini(&drv);
        free(mesh);
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, w, h);
    vgt_drv3d_define_surface(&drv, SID_VB,
                             VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(mesh->v), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_IB,
                             VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER | VGT_SVGA3D_SURFACE_HINT_STATIC,
                             VGT_SVGA3D_BUFFER, sizeof(mesh->idx), 1, 1, 1);
    vgt_drv3d_define_surface(&drv, SID_ENV,
                             VGT_SVGA3D_SURFACE_CUBEMAP | VGT_SVGA3D_SURFACE_HINT_TEXTURE,
                             VGT_SVGA3D_A8R8G8B8, ENV_SIZE, ENV_SIZE, 1, ENV_MIPS);
    vgt_drv3d_define_surface(&drv, SID_VOLUME, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8,
                             VOL_SIZE, VOL_SIZE, VOL_SIZE, 1);
    vgt_drv3d_pool_upload_buffer(&pool, SID_VB, 0, mesh->v, sizeof(mesh->v));
    vgt_drv3d_pool_upload_buffer(&pool, SID_IB, 0, mesh->idx, sizeof(mesh->idx));
    free(mesh);
    upload_environment(&pool);
    upload_volume(&pool);
    vgt_drv3d_pool_flush(&pool);
    setup_state(&drv, w, h);

    scene s = {&drv, w, h, {0}, false};
    uint32_t prev_fence = 0;
    for (uint32_t f = 0; f < frames && !drv.failed; f++) {
        draw_frame(&s, f);
        /* One frame in flight: wait for the previous frame, not this one. */
        uint32_t fence = vgt_drv_insert_fence(&drv);
        if (prev_fence) {
            vgt_drv_sync_to_fence(&drv, prev_fence);
        }
        prev_fence = fence;
    }
    if (prev_fence) {
        vgt_drv_sync_to_fence(&drv, prev_fence);
    }
    vgt_drv3d_teardown(&drv, CID, SID_COLOR, SID_VOLUME, NULL);
    vgt_drv3d_pool_destroy(&pool);
    return vgt_drv_sample_exit(&drv, "envmap", quiet);
}
