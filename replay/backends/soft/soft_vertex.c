/* soft_vertex.c - vertex fetch, transform, lighting and vertex fog: the
 * Direct3D 9 fixed-function vertex pipeline.
 *
 * Lighting is done in camera (eye) space as D3D9 specifies:
 *   diffuse  = Ce + Ca*Ga + sum_i atten_i*spot_i*(Ca*La_i + Cd*Ld_i*max(N.L_i, 0))
 *   specular = sum_i atten_i*spot_i*Cs*Ls_i*(N.H_i)^P      (SPECULARENABLE only)
 * with atten = 1/(a0 + a1*d + a2*d^2) (0 beyond the range), the spot factor
 * ((rho - cos(phi/2)) / (cos(theta/2) - cos(phi/2)))^falloff, and
 * H = normalize(L + V), V = normalize(-P) with a local viewer or (0, 0, -1)
 * otherwise.  Normals use the inverse transpose of world*view.
 *
 * Vertex blending (vgt_svga3d_vertex_blend_plan_make): the view-space
 * position is sum_i w_i * (P * World_i * View) and the normal sum_i w_i *
 * (N * inverse transpose of World_i * View), normalized after the sum with
 * NORMALIZENORMALS, as Wine's fixed-function vertex shader; lighting, fog,
 * texture generation and the clip planes (world space: sum_i w_i * P *
 * World_i) read the blended values.  Tweening (VERTEXBLEND TWEENING) mixes
 * the model-space inputs first: P = POSITION0 + t * (POSITION1 -
 * POSITION0) and N = NORMAL0 + t * (NORMAL1 - NORMAL0), t = TWEENFACTOR,
 * which then go through WORLD alone like an unblended vertex.
 *
 * Texture coordinates (soft_texcoord_plan): the stage's TEXCOORDINDEX set,
 * or one generated in view space as Wine's wined3d does it (its fixed-function
 * vertex shader, glsl_shader.c): the normal (x, y, z, 1), the position
 * (x, y, z, 1), the reflection R = E - 2 (N.E) N of E = normalize(position)
 * (the eye at the origin; LOCALVIEWER is not consulted) or the sphere map
 * (R.x / m + 0.5, R.y / m + 0.5, 0, 1) with m = 2 |(R.x, R.y, R.z + 1)|.
 * Then the texture transform multiplies (x, y, z, w) by the stage's matrix,
 * a set of fewer than four components extended by a 1 after its last one
 * (Direct3D 9: (u, v) is (u, v, 1, 0), so a 2D translation is in row 2). */
#include <string.h>

#include "soft_shader.h"

typedef struct vlayout {
    const vgt_soft_element *pos, *post, *normal, *color[2], *tex[8], *psize;
    const vgt_soft_element *blendw, *blendi; /* BLENDWEIGHT, BLENDINDICES */
    const vgt_soft_element *pos1, *normal1;  /* usage index 1: tweening's targets */
} vlayout;

#define BLEND_MATRICES (VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX + 1u)

/* One vertex's blend: `count` world matrices (0: no blending), each with
 * its weight and which of WORLD..WORLD3 it is. */
typedef struct vblend {
    uint32_t count;
    float w[BLEND_MATRICES];
    uint32_t m[BLEND_MATRICES];
} vblend;

typedef struct vconsts {
    float wv[4][4], proj[4][4], world[4][4];
    float nrm[3][3]; /* normal matrix (row-vector form) */
    vgt_svga3d_vertex_blend_plan blend;
    /* with blending: WORLD..WORLD3, each times VIEW, and their normal matrices */
    float worldb[BLEND_MATRICES][4][4], wvb[BLEND_MATRICES][4][4];
    float nrmb[BLEND_MATRICES][3][3];
    struct {
        bool on;
        uint32_t type;
        float pos[3], dir[3]; /* eye space, dir normalized, points from the light */
        float cos_theta, cos_phi;
        float d[4], s[4], a[4];
        float range, falloff, a0, a1, a2;
    } light[VGT_SOFT_MAX_LIGHTS];
    vgt_svga3d_texcoord_plan tc[VGT_SOFT_MAX_STAGES];
    bool tc_normal; /* a stage generates from the normal */
} vconsts;

uint32_t soft_decl_size(uint32_t type)
{
    switch (type) {
    case VGT_SVGA3D_DECLTYPE_FLOAT1:
    case VGT_SVGA3D_DECLTYPE_D3DCOLOR:
    case VGT_SVGA3D_DECLTYPE_UBYTE4:
    case VGT_SVGA3D_DECLTYPE_UBYTE4N:
    case VGT_SVGA3D_DECLTYPE_SHORT2:
    case VGT_SVGA3D_DECLTYPE_SHORT2N:
    case VGT_SVGA3D_DECLTYPE_USHORT2N:
    case VGT_SVGA3D_DECLTYPE_FLOAT16_2:
        return 4;
    case VGT_SVGA3D_DECLTYPE_FLOAT2:
    case VGT_SVGA3D_DECLTYPE_SHORT4:
    case VGT_SVGA3D_DECLTYPE_SHORT4N:
    case VGT_SVGA3D_DECLTYPE_USHORT4N:
    case VGT_SVGA3D_DECLTYPE_FLOAT16_4:
        return 8;
    case VGT_SVGA3D_DECLTYPE_FLOAT3:
        return 12;
    case VGT_SVGA3D_DECLTYPE_FLOAT4:
        return 16;
    default:
        return 0;
    }
}

static float ldf(const uint8_t *p)
{
    uint32_t u = vgt_load_le32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* Reads element e of vertex `index` as 4 floats (missing = 0, 0, 0, 1). */
vgt_status soft_vertex_fetch(const vgt_soft_element *e, uint32_t index, float out[4],
                             vgt_error *err)
{
    uint32_t size = soft_decl_size(e->type);
    uint64_t elem = index;
    if (e->divisor > 1) {
        if (index < e->first) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "vertex %u: before the first vertex %u of an element read "
                                 "every %u vertices (usage %u.%u)",
                                 index, e->first, e->divisor, e->usage, e->usage_index);
        }
        elem = e->first / e->divisor + (index - e->first) / e->divisor;
    }
    uint64_t off = (uint64_t)e->offset + elem * e->stride;
    if (!e->data || !vgt_range_inside(off, size, e->length)) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "vertex %u: element (usage %u.%u) at byte %llu + %u lies outside "
                             "its %zu-byte buffer",
                             index, e->usage, e->usage_index, (unsigned long long)off, size,
                             e->length);
    }
    const uint8_t *p = e->data + off;
    out[0] = out[1] = out[2] = 0.0f;
    out[3] = 1.0f;
    switch (e->type) {
    case VGT_SVGA3D_DECLTYPE_FLOAT4:
        out[3] = ldf(p + 12);
        /* fall through */
    case VGT_SVGA3D_DECLTYPE_FLOAT3:
        out[2] = ldf(p + 8);
        /* fall through */
    case VGT_SVGA3D_DECLTYPE_FLOAT2:
        out[1] = ldf(p + 4);
        /* fall through */
    case VGT_SVGA3D_DECLTYPE_FLOAT1:
        out[0] = ldf(p);
        break;
    case VGT_SVGA3D_DECLTYPE_D3DCOLOR:
        out[0] = (float)p[2] / 255.0f;
        out[1] = (float)p[1] / 255.0f;
        out[2] = (float)p[0] / 255.0f;
        out[3] = (float)p[3] / 255.0f;
        break;
    case VGT_SVGA3D_DECLTYPE_UBYTE4:
    case VGT_SVGA3D_DECLTYPE_UBYTE4N:
        for (int i = 0; i < 4; i++) {
            out[i] = e->type == VGT_SVGA3D_DECLTYPE_UBYTE4 ? (float)p[i] : (float)p[i] / 255.0f;
        }
        break;
    case VGT_SVGA3D_DECLTYPE_SHORT2:
    case VGT_SVGA3D_DECLTYPE_SHORT4:
    case VGT_SVGA3D_DECLTYPE_SHORT2N:
    case VGT_SVGA3D_DECLTYPE_SHORT4N: {
        int n = (e->type == VGT_SVGA3D_DECLTYPE_SHORT2 || e->type == VGT_SVGA3D_DECLTYPE_SHORT2N)
                    ? 2
                    : 4;
        bool norm =
            e->type == VGT_SVGA3D_DECLTYPE_SHORT2N || e->type == VGT_SVGA3D_DECLTYPE_SHORT4N;
        for (int i = 0; i < n; i++) {
            float v = (float)(int16_t)vgt_load_le16(p + 2 * i);
            if (norm) {
                v = v / 32767.0f;
                v = v < -1.0f ? -1.0f : v;
            }
            out[i] = v;
        }
        break;
    }
    case VGT_SVGA3D_DECLTYPE_USHORT2N:
    case VGT_SVGA3D_DECLTYPE_USHORT4N: {
        int n = e->type == VGT_SVGA3D_DECLTYPE_USHORT2N ? 2 : 4;
        for (int i = 0; i < n; i++) {
            out[i] = (float)vgt_load_le16(p + 2 * i) / 65535.0f;
        }
        break;
    }
    case VGT_SVGA3D_DECLTYPE_FLOAT16_2:
    case VGT_SVGA3D_DECLTYPE_FLOAT16_4: {
        int n = e->type == VGT_SVGA3D_DECLTYPE_FLOAT16_2 ? 2 : 4;
        for (int i = 0; i < n; i++) {
            out[i] = soft_half_to_float(vgt_load_le16(p + 2 * i));
        }
        break;
    }
    default:
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "vertex element type %u", e->type);
    }
    return VGT_OK;
}

static void mat_mul(const float a[4][4], const float b[4][4], float out[4][4])
{
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            out[i][j] =
                a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j] + a[i][3] * b[3][j];
        }
    }
}

static void xform4(const float v[4], const float m[4][4], float out[4])
{
    for (int j = 0; j < 4; j++) {
        out[j] = v[0] * m[0][j] + v[1] * m[1][j] + v[2] * m[2][j] + v[3] * m[3][j];
    }
}

static void xform_dir(const float v[3], const float m[4][4], float out[3])
{
    for (int j = 0; j < 3; j++) {
        out[j] = v[0] * m[0][j] + v[1] * m[1][j] + v[2] * m[2][j];
    }
}

static float dot3(const float a[3], const float b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void normalize3(float v[3])
{
    float l2 = dot3(v, v);
    if (l2 > 0.0f) {
        float inv = 1.0f / __builtin_sqrtf(l2);
        v[0] *= inv;
        v[1] *= inv;
        v[2] *= inv;
    }
}

static void color4(const vgt_soft_color *c, float out[4])
{
    out[0] = c->r;
    out[1] = c->g;
    out[2] = c->b;
    out[3] = c->a;
}

vgt_status soft_texcoord_plan(const vgt_soft_stage *g, uint32_t s, bool pretransformed,
                              vgt_svga3d_texcoord_plan *out, vgt_error *err)
{
    return vgt_svga3d_texcoord_plan_make(s, g->texcoord_gen, g->transform_flags, pretransformed,
                                         out, err);
}

/* The blend's matrices (WORLD..WORLD3 with VIEW and their normal
 * matrices), once the plan is known (it depends on k->tc_normal). */
static void setup_blend(const vgt_soft_draw_state *st, const vgt_svga3d_vertex_blend_plan *blend,
                        vconsts *k)
{
    k->blend = *blend;
    for (uint32_t i = 0; k->blend.matrices && i < BLEND_MATRICES; i++) {
        memcpy(k->worldb[i], i ? st->world_n[i - 1].m : st->world.m, sizeof(k->worldb[i]));
        mat_mul(k->worldb[i], st->view.m, k->wvb[i]);
        vgt_svga3d_normal_matrix(k->wvb[i], k->nrmb[i]);
    }
}

static void setup_consts(const vgt_soft_draw_state *st, vconsts *k)
{
    memset(k, 0, sizeof(*k));
    memcpy(k->world, st->world.m, sizeof(k->world));
    mat_mul(st->world.m, st->view.m, k->wv);
    memcpy(k->proj, st->projection.m, sizeof(k->proj));
    vgt_svga3d_normal_matrix(k->wv, k->nrm);
    for (uint32_t i = 0; i < VGT_SOFT_MAX_LIGHTS; i++) {
        const vgt_soft_light *l = &st->lights[i];
        if (!l->enabled) {
            continue;
        }
        k->light[i].on = true;
        k->light[i].type = l->type;
        float p[4] = {l->position[0], l->position[1], l->position[2], 1.0f}, pe[4];
        xform4(p, st->view.m, pe);
        memcpy(k->light[i].pos, pe, sizeof(k->light[i].pos));
        xform_dir(l->direction, st->view.m, k->light[i].dir);
        normalize3(k->light[i].dir);
        float theta = l->theta, phi = l->phi;
        if (l->type == VGT_SVGA3D_LIGHTTYPE_SPOT1) {
            theta *= 3.14159265359f / 180.0f;
            phi *= 3.14159265359f / 180.0f;
        }
        k->light[i].cos_theta = soft_cosf(theta * 0.5f);
        k->light[i].cos_phi = soft_cosf(phi * 0.5f);
        color4(&l->diffuse, k->light[i].d);
        color4(&l->specular, k->light[i].s);
        color4(&l->ambient, k->light[i].a);
        k->light[i].range = l->range;
        k->light[i].falloff = l->falloff;
        k->light[i].a0 = l->attenuation0;
        k->light[i].a1 = l->attenuation1;
        k->light[i].a2 = l->attenuation2;
    }
}

static void pick_source(uint32_t src, const float *vcol0, const float *vcol1, const float mat[4],
                        bool color_vertex, float out[4])
{
    const float *c = mat;
    if (color_vertex) {
        if (src == VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE && vcol0) {
            c = vcol0;
        } else if (src == VGT_SVGA3D_VERTEXMATERIAL_SPECULAR && vcol1) {
            c = vcol1;
        }
    }
    memcpy(out, c, 4 * sizeof(float));
}

/* The view-space normal: times the inverse transpose of world*view (with
 * blending, the weighted sum over the blend's matrices), normalized with
 * NORMALIZENORMALS. */
static void eye_normal(const vgt_soft_draw_state *st, const vconsts *k, const vblend *b,
                       const float n_in[3], float n[3])
{
    if (!b->count) {
        for (int j = 0; j < 3; j++) {
            n[j] = n_in[0] * k->nrm[0][j] + n_in[1] * k->nrm[1][j] + n_in[2] * k->nrm[2][j];
        }
    } else {
        n[0] = n[1] = n[2] = 0.0f;
        for (uint32_t i = 0; i < b->count; i++) {
            const float(*m)[3] = k->nrmb[b->m[i]];
            for (int j = 0; j < 3; j++) {
                n[j] += b->w[i] * (n_in[0] * m[0][j] + n_in[1] * m[1][j] + n_in[2] * m[2][j]);
            }
        }
    }
    if (st->normalize_normals) {
        normalize3(n);
    }
}

/* Stage s's coordinate of vertex vi as (u, v, w) (the plan's `keep` first
 * of them, the others 0) and the divisor q when projected; pe is the
 * view-space position, n the view-space normal. */
static vgt_status stage_texcoord(const vgt_soft_draw_state *st, const vconsts *k,
                                 const vlayout *lay, uint32_t s, uint32_t vi, const float pe[4],
                                 const float n[3], float out[4], vgt_error *err)
{
    const vgt_soft_stage *g = &st->stages[s];
    const vgt_svga3d_texcoord_plan *m = &k->tc[s];
    float t[4] = {0.0f, 0.0f, 0.0f, 1.0f};
    switch (g->texcoord_gen) {
    case VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION: {
        float w = pe[3] != 0.0f ? 1.0f / pe[3] : 1.0f;
        t[0] = pe[0] * w;
        t[1] = pe[1] * w;
        t[2] = pe[2] * w;
        break;
    }
    case VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL:
        memcpy(t, n, 3 * sizeof(float));
        break;
    case VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR:
    case VGT_SVGA3D_TEXCOORD_GEN_SPHERE: {
        float e[3] = {pe[0], pe[1], pe[2]};
        normalize3(e);
        float d = 2.0f * dot3(n, e);
        float r[3] = {e[0] - d * n[0], e[1] - d * n[1], e[2] - d * n[2]};
        if (g->texcoord_gen == VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR) {
            memcpy(t, r, sizeof(r));
        } else {
            float zz = r[2] + 1.0f;
            float len = __builtin_sqrtf(r[0] * r[0] + r[1] * r[1] + zz * zz);
            /* R = (0, 0, -1), straight back at the viewer, has no sphere
             * map point: the centre */
            float inv = len > 0.0f ? 1.0f / (2.0f * len) : 0.0f;
            t[0] = r[0] * inv + 0.5f;
            t[1] = r[1] * inv + 0.5f;
        }
        break;
    }
    default: {
        const vgt_soft_element *te = lay->tex[g->texcoord_index & 7];
        if (te) {
            vgt_status rc = soft_vertex_fetch(te, vi, t, err);
            if (rc) {
                return rc;
            }
            uint32_t c = vgt_svga3d_decl_components(te->type);
            if (m->count && c < 3) {
                /* (u) is (u, 1, 0, 0), (u, v) is (u, v, 1, 0) */
                t[c] = 1.0f;
                t[3] = 0.0f;
            }
        }
        break;
    }
    }
    if (m->count) {
        float r[4];
        xform4(t, g->texture_transform.m, r);
        memcpy(t, r, sizeof(r));
    }
    for (uint32_t j = 0; j < 3; j++) {
        out[j] = j < m->keep ? t[j] : 0.0f;
    }
    out[3] = m->proj >= 0 ? t[m->proj] : 1.0f;
    return VGT_OK;
}

static void light_vertex(const vgt_soft_draw_state *st, const vconsts *k, const vblend *b,
                         const float pe[3], const float n_in[3], bool has_normal,
                         const float *vcol0, const float *vcol1, float diffuse[4],
                         float specular[4])
{
    float cd[4], ca[4], cs[4], ce[4], m[4];
    color4(&st->material.diffuse, m);
    pick_source(st->diffuse_source, vcol0, vcol1, m, st->color_vertex, cd);
    color4(&st->material.ambient, m);
    pick_source(st->ambient_source, vcol0, vcol1, m, st->color_vertex, ca);
    color4(&st->material.specular, m);
    pick_source(st->specular_source, vcol0, vcol1, m, st->color_vertex, cs);
    color4(&st->material.emissive, m);
    pick_source(st->emissive_source, vcol0, vcol1, m, st->color_vertex, ce);

    float n[3] = {0, 0, 0};
    if (has_normal) {
        eye_normal(st, k, b, n_in, n);
    }
    float amb[3] = {st->ambient.r, st->ambient.g, st->ambient.b};
    float dif[3] = {0, 0, 0}, spe[3] = {0, 0, 0};
    float v[3] = {0.0f, 0.0f, -1.0f};
    if (st->local_viewer) {
        v[0] = -pe[0];
        v[1] = -pe[1];
        v[2] = -pe[2];
        normalize3(v);
    }
    for (uint32_t i = 0; i < VGT_SOFT_MAX_LIGHTS; i++) {
        if (!k->light[i].on) {
            continue;
        }
        const __typeof__(k->light[0]) *l = &k->light[i];
        float L[3], atten = 1.0f, spot = 1.0f;
        if (l->type == VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL) {
            L[0] = -l->dir[0];
            L[1] = -l->dir[1];
            L[2] = -l->dir[2];
        } else {
            L[0] = l->pos[0] - pe[0];
            L[1] = l->pos[1] - pe[1];
            L[2] = l->pos[2] - pe[2];
            float d = __builtin_sqrtf(dot3(L, L));
            if (d > l->range) {
                continue;
            }
            if (d > 0.0f) {
                L[0] /= d;
                L[1] /= d;
                L[2] /= d;
            }
            float den = l->a0 + l->a1 * d + l->a2 * d * d;
            atten = den > 0.0f ? 1.0f / den : 0.0f;
            if (l->type == VGT_SVGA3D_LIGHTTYPE_SPOT1 || l->type == VGT_SVGA3D_LIGHTTYPE_SPOT2) {
                float rho = -dot3(L, l->dir);
                if (rho > l->cos_theta) {
                    spot = 1.0f;
                } else if (rho <= l->cos_phi) {
                    spot = 0.0f;
                } else {
                    float t = (rho - l->cos_phi) / (l->cos_theta - l->cos_phi);
                    spot = l->falloff == 1.0f ? t : soft_powf(t, l->falloff);
                }
            }
        }
        float f = atten * spot;
        if (f == 0.0f) {
            continue;
        }
        for (int c = 0; c < 3; c++) {
            amb[c] += f * l->a[c];
        }
        float ndl = dot3(n, L);
        if (ndl > 0.0f) {
            for (int c = 0; c < 3; c++) {
                dif[c] += f * ndl * l->d[c];
            }
            if (st->specular_enable) {
                float h[3] = {L[0] + v[0], L[1] + v[1], L[2] + v[2]};
                normalize3(h);
                float ndh = dot3(n, h);
                if (ndh > 0.0f) {
                    float p = soft_powf(ndh, st->material.power);
                    for (int c = 0; c < 3; c++) {
                        spe[c] += f * p * l->s[c];
                    }
                }
            }
        }
    }
    for (int c = 0; c < 3; c++) {
        diffuse[c] = soft_sat(ce[c] + ca[c] * amb[c] + cd[c] * dif[c]);
        specular[c] = soft_sat(cs[c] * spe[c]);
    }
    diffuse[3] = soft_sat(cd[3]);
    specular[3] = soft_sat(cs[3]);
}

static float fog_factor(const vgt_soft_draw_state *st, float d)
{
    float f;
    switch (st->fog_function) {
    case VGT_SVGA3D_FOGFUNC_LINEAR:
        f = st->fog_end != st->fog_start ? (st->fog_end - d) / (st->fog_end - st->fog_start)
                                         : (d < st->fog_end ? 1.0f : 0.0f);
        break;
    case VGT_SVGA3D_FOGFUNC_EXP:
        f = soft_exp2f(-d * st->fog_density * 1.44269504089f);
        break;
    case VGT_SVGA3D_FOGFUNC_EXP2: {
        float t = d * st->fog_density;
        f = soft_exp2f(-t * t * 1.44269504089f);
        break;
    }
    default:
        f = 1.0f;
        break;
    }
    return soft_sat(f);
}

float soft_fog_factor(const vgt_soft_draw_state *st, float d)
{
    return fog_factor(st, d);
}

/* The size of a point under POINTSCALEENABLE (Direct3D 9's rule, as Wine's
 * fixed-function shader computes it): viewport height * size * sqrt(1 / (A
 * + B*De + C*De^2)), De the eye-space distance, for transformed vertices;
 * pretransformed ones keep their size.  Then [POINTSIZE_MIN, POINTSIZE_MAX].
 * A denominator that is not positive (A = B = C = 0, negative, NaN) makes
 * the size infinite, so the maximum, as 1 / sqrt(0) does in Wine's GLSL; a
 * NaN size becomes the minimum.  gl_ffp.c's vertex shader does the same. */
static float scaled_point_size(const vgt_soft_draw_state *st, float size, const float pe[4],
                               bool pre)
{
    float s = size;
    if (!pre) {
        float de = __builtin_sqrtf(pe[0] * pe[0] + pe[1] * pe[1] + pe[2] * pe[2]);
        const float *abc = st->point_scale_abc;
        float q = abc[0] + abc[1] * de + abc[2] * de * de;
        s = q > 0.0f ? (float)st->viewport.h * size * __builtin_sqrtf(1.0f / q) : __builtin_inff();
    }
    s = s >= st->point_size_min ? s : st->point_size_min;
    return s <= st->point_size_max ? s : st->point_size_max;
}

/* Vertex vi's weights and matrices (k->blend: how many, indexed or not).
 * The first weights come from BLENDWEIGHT (none: 0), the last is 1 minus
 * their sum; index i is BLENDINDICES' component i, of a D3DCOLOR its byte
 * i (the color's .zyxw * 255, as Direct3D 9's D3DCOLORtoUBYTE4), clamped
 * to WORLD3 (vgt_svga3d_vertex_blend_matrix). */
static vgt_status blend_of(const vconsts *k, const vlayout *lay, uint32_t vi, vblend *b,
                           vgt_error *err)
{
    b->count = k->blend.matrices;
    float w[4] = {0.0f, 0.0f, 0.0f, 0.0f}, ix[4] = {0.0f, 1.0f, 2.0f, 3.0f};
    vgt_status rc;
    if (k->blend.weights && lay->blendw && (rc = soft_vertex_fetch(lay->blendw, vi, w, err))) {
        return rc;
    }
    if (k->blend.indexed) {
        if ((rc = soft_vertex_fetch(lay->blendi, vi, ix, err))) {
            return rc;
        }
        if (k->blend.color_indices) {
            /* soft_vertex_fetch gave (byte 2, byte 1, byte 0, byte 3) / 255 */
            float c[4] = {ix[2] * 255.0f, ix[1] * 255.0f, ix[0] * 255.0f, ix[3] * 255.0f};
            memcpy(ix, c, sizeof(c));
        }
    }
    float last = 1.0f;
    for (uint32_t i = 0; i < b->count; i++) {
        b->w[i] = i < k->blend.weights ? w[i] : last;
        last -= b->w[i];
        b->m[i] = vgt_svga3d_vertex_blend_matrix(ix[i]);
    }
    return VGT_OK;
}

/* v0 + t * (v1 - v0) in the first three components (tweening; the same
 * form as gl_ffp.c's vertex shader). */
static void tween3(float v0[4], const float v1[4], float t)
{
    for (int j = 0; j < 3; j++) {
        v0[j] = v0[j] + t * (v1[j] - v0[j]);
    }
}

/* Element e of vertex vi mixed into v (tween3) by t. */
static vgt_status tween_fetch(const vgt_soft_element *e, uint32_t vi, float t, float v[4],
                              vgt_error *err)
{
    float v1[4];
    vgt_status rc = soft_vertex_fetch(e, vi, v1, err);
    if (rc == VGT_OK) {
        tween3(v, v1, t);
    }
    return rc;
}

/* sum_i w_i * (p * m_i) over the blend's matrices of `mats`. */
static void blend_xform(const vblend *b, const float p[4], const float (*mats)[4][4], float out[4])
{
    out[0] = out[1] = out[2] = out[3] = 0.0f;
    for (uint32_t i = 0; i < b->count; i++) {
        float r[4];
        xform4(p, mats[b->m[i]], r);
        for (int j = 0; j < 4; j++) {
            out[j] += b->w[i] * r[j];
        }
    }
}

vgt_status soft_process_vertices(const vgt_soft_draw_state *st, const soft_draw_ctx *ctx,
                                 const uint32_t *idx, size_t count, soft_vtx *out, vgt_error *err)
{
    if (ctx->sh && ctx->sh->vs) {
        return soft_shader_vertices(st, ctx, idx, count, out, err);
    }
    vlayout lay;
    memset(&lay, 0, sizeof(lay));
    for (uint32_t i = 0; i < st->element_count; i++) {
        const vgt_soft_element *e = &st->elements[i];
        if (soft_decl_size(e->type) == 0) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED, "vertex element %u: type %u", i, e->type);
        }
        switch (e->usage) {
        case VGT_SVGA3D_DECLUSAGE_POSITION:
            if (e->usage_index == 0 && !lay.pos) {
                lay.pos = e;
            } else if (e->usage_index == 1 && !lay.pos1) {
                lay.pos1 = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_POSITIONT:
            if (e->usage_index == 0 && !lay.post) {
                lay.post = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_NORMAL:
            if (e->usage_index == 0 && !lay.normal) {
                lay.normal = e;
            } else if (e->usage_index == 1 && !lay.normal1) {
                lay.normal1 = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_PSIZE:
            if (e->usage_index == 0 && !lay.psize) {
                lay.psize = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT:
            if (e->usage_index == 0 && !lay.blendw) {
                lay.blendw = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_BLENDINDICES:
            if (e->usage_index == 0 && !lay.blendi) {
                lay.blendi = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_COLOR:
            if (e->usage_index < 2 && !lay.color[e->usage_index]) {
                lay.color[e->usage_index] = e;
            }
            break;
        case VGT_SVGA3D_DECLUSAGE_TEXCOORD:
            if (e->usage_index < 8 && !lay.tex[e->usage_index]) {
                lay.tex[e->usage_index] = e;
            }
            break;
        default:
            break; /* not used by fixed function */
        }
    }
    if (!lay.pos && !lay.post) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "the vertex declaration has no POSITION or POSITIONT element");
    }
    bool pre = lay.post != NULL;
    vconsts k;
    setup_consts(st, &k);
    for (uint32_t s = 0; s < ctx->nstages; s++) {
        if (ctx->samplers[s].tc_slot < 0) {
            continue;
        }
        vgt_status rc = soft_texcoord_plan(&st->stages[s], s, pre, &k.tc[s], err);
        if (rc) {
            return rc;
        }
        uint32_t gen = st->stages[s].texcoord_gen;
        k.tc_normal |= gen == VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL ||
                       gen == VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR ||
                       gen == VGT_SVGA3D_TEXCOORD_GEN_SPHERE;
    }
    bool normals_used = (st->lighting && !pre) || k.tc_normal;
    const vgt_svga3d_vertex_blend_decl decl = {
        .has_indices = lay.blendi != NULL,
        .index_type = lay.blendi ? lay.blendi->type : 0,
        .has_position1 = lay.pos1 != NULL,
        .has_normal = lay.normal != NULL,
        .has_normal1 = lay.normal1 != NULL,
        .normals_used = normals_used,
    };
    vgt_svga3d_vertex_blend_plan blend;
    vgt_status brc = vgt_svga3d_vertex_blend_plan_make(st->vertex_blend, st->indexed_vertex_blend,
                                                       false, pre, &decl, &blend, err);
    if (brc) {
        vgt_error_prefix(err, "soft");
        return brc;
    }
    setup_blend(st, &blend, &k);
    bool fog_vertex = st->fog_enable && !ctx->pixel_fog;
    /* pixel (table) fog: depth, never range; the device z under an affine
     * projection (vgt_svga3d_pixel_fog_uses_device_z) */
    const bool ortho_fog =
        ctx->pixel_fog && !pre && vgt_svga3d_pixel_fog_uses_device_z(st->projection.m);
    for (size_t i = 0; i < count; i++) {
        uint32_t vi = idx[i];
        soft_vtx *o = &out[i];
        memset(o, 0, sizeof(*o));
        float p[4], c0[4], c1[4], n[4] = {0, 0, 0, 0};
        vgt_status rc = soft_vertex_fetch(pre ? lay.post : lay.pos, vi, p, err);
        if (rc) {
            return rc;
        }
        bool has0 = lay.color[0] != NULL, has1 = lay.color[1] != NULL;
        if (has0 && (rc = soft_vertex_fetch(lay.color[0], vi, c0, err))) {
            return rc;
        }
        if (has1 && (rc = soft_vertex_fetch(lay.color[1], vi, c1, err))) {
            return rc;
        }
        o->psize = st->point_size;
        if (lay.psize) {
            float ps[4];
            if ((rc = soft_vertex_fetch(lay.psize, vi, ps, err))) {
                return rc;
            }
            o->psize = ps[0];
        }
        float pe[4] = {0, 0, 0, 1};
        vblend bw = {0};
        if (!pre && k.blend.matrices && (rc = blend_of(&k, &lay, vi, &bw, err))) {
            return rc;
        }
        if (pre) {
            /* screen x, y, z and rhw are passed through */
            memcpy(o->clip, p, sizeof(o->clip));
            memset(o->ucd, 0, sizeof(o->ucd));
        } else {
            if (k.blend.tween && (rc = tween_fetch(lay.pos1, vi, st->tween_factor, p, err))) {
                return rc;
            }
            p[3] = 1.0f; /* D3D fixed function: position w is always 1 */
            if (bw.count) {
                blend_xform(&bw, p, (const float(*)[4][4])k.wvb, pe);
            } else {
                xform4(p, k.wv, pe);
            }
            xform4(pe, k.proj, o->clip);
            if (st->clip_plane_enable) {
                float pw[4];
                if (bw.count) {
                    blend_xform(&bw, p, (const float(*)[4][4])k.worldb, pw);
                } else {
                    xform4(p, k.world, pw);
                }
                for (uint32_t c = 0; c < VGT_SOFT_MAX_CLIP_PLANES; c++) {
                    const float *pl = st->clip_planes[c];
                    o->ucd[c] = pl[0] * pw[0] + pl[1] * pw[1] + pl[2] * pw[2] + pl[3] * pw[3];
                }
            }
        }
        if (st->point_scale) {
            o->psize = scaled_point_size(st, o->psize, pe, pre);
        }
        float *dif = &o->v[SOFT_V_DIFFUSE], *spe = &o->v[SOFT_V_SPECULAR];
        if (normals_used && lay.normal && (rc = soft_vertex_fetch(lay.normal, vi, n, err))) {
            return rc;
        }
        if (k.blend.tween_normal && (rc = tween_fetch(lay.normal1, vi, st->tween_factor, n, err))) {
            return rc;
        }
        if (st->lighting && !pre) {
            light_vertex(st, &k, &bw, pe, n, lay.normal != NULL, has0 ? c0 : NULL, has1 ? c1 : NULL,
                         dif, spe);
        } else {
            for (int c = 0; c < 4; c++) {
                dif[c] = has0 ? soft_sat(c0[c]) : 1.0f;
                spe[c] = has1 ? soft_sat(c1[c]) : 0.0f;
            }
        }
        float fog = 1.0f;
        if (st->fog_enable) {
            if (pre && ctx->pixel_fog) {
                fog = p[2]; /* table fog of pre-transformed vertices: the screen z */
            } else if (pre || st->fog_function == VGT_SVGA3D_FOGFUNC_PER_VERTEX) {
                fog = has1 ? soft_sat(c1[3]) : 1.0f;
            } else if (ortho_fog) {
                fog = o->clip[2]; /* w is 1 under an affine projection */
            } else {
                float d = fog_vertex && st->fog_base == VGT_SVGA3D_FOGBASE_RANGEBASED
                              ? __builtin_sqrtf(pe[0] * pe[0] + pe[1] * pe[1] + pe[2] * pe[2])
                              : (pe[2] < 0.0f ? -pe[2] : pe[2]);
                fog = fog_vertex ? fog_factor(st, d) : d;
            }
        }
        if (ctx->sh && ctx->sh->ps) {
            /* fixed-function vertex outputs to the pixel shader's inputs:
             * oT<n> is stage n's texture coordinate set */
            float tex[8][4];
            for (uint32_t t = 0; t < 8; t++) {
                tex[t][0] = tex[t][1] = tex[t][2] = 0.0f;
                tex[t][3] = 1.0f;
                const vgt_soft_element *te = lay.tex[st->stages[t].texcoord_index & 7];
                if (te && (ctx->sh->ff_tex & (1u << t)) &&
                    (rc = soft_vertex_fetch(te, vi, tex[t], err))) {
                    return rc;
                }
            }
            float d4[4], s4[4];
            memcpy(d4, dif, sizeof(d4));
            memcpy(s4, spe, sizeof(s4));
            soft_shader_ff_outputs(ctx, d4, s4, fog, (const float(*)[4])tex, o);
            continue;
        }
        o->v[SOFT_V_FOG] = fog;
        float ne[3] = {0.0f, 0.0f, 0.0f};
        if (k.tc_normal && lay.normal) {
            eye_normal(st, &k, &bw, n, ne);
        }
        for (uint32_t s = 0; s < ctx->nstages; s++) {
            const soft_sampler *sm = &ctx->samplers[s];
            if (sm->tc_slot < 0) {
                continue;
            }
            float t[4];
            if ((rc = stage_texcoord(st, &k, &lay, s, vi, pe, ne, t, err))) {
                return rc;
            }
            /* u, v, w (cube and volume textures), then q (projected) */
            memcpy(&o->v[sm->tc_slot], t, sm->ncoord * sizeof(float));
            if (ctx->tc_q[s]) {
                o->v[sm->tc_slot + ctx->tc_qoff[s]] = t[3];
            }
        }
    }
    return VGT_OK;
}
