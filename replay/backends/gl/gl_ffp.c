/* gl_ffp.c - the Direct3D 9 fixed-function pipeline as generated GLSL 330.
 *
 * A gl_ff_key (built by gl_draw.c from the resolved draw state) says which
 * vertex inputs exist, which lights of which type are on, the material
 * sources, the fog mode, the texture stage operations and arguments, the
 * alpha test and the shading.  The key selects one vertex + fragment
 * program, generated and linked on first use and kept in a hash table.
 * Values that change often (matrices, colors, light parameters) are in the
 * uniform block FF, shared by every program.
 *
 * The equations are the soft renderer's (replay/backends/soft/soft_vertex.c
 * and soft_raster.c), which follow Direct3D 9.  Coordinates: the vertex
 * shader flips y and shifts by half a pixel so that GL's pixel centres
 * (x + 0.5) sample where Direct3D 9's (x) do, and remaps z from [0, w] to
 * [-w, w] when the context has no ARB_clip_control. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"

#include <xxhash.h>

/* ---- the string builder of the generated GLSL (gl_internal.h) ------------- */

void gl_sb_add(gl_sb *s, const char *fmt, ...)
{
    if (s->oom) {
        return;
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = s->cap - s->len;
        int n = s->p ? vsnprintf(s->p + s->len, room, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        size_t cap = s->cap ? s->cap * 2 : 16384;
        while (n >= 0 && cap < s->len + (size_t)n + 1) {
            cap *= 2;
        }
        char *q = realloc(s->p, cap);
        if (!q) {
            s->oom = true;
            return;
        }
        s->p = q;
        s->cap = cap;
    }
}

/* ---- shared text -------------------------------------------------------------- */

/* The uniforms: gl_ff_uniforms as two arrays of vec4 in the default uniform
 * block (uploaded with glUniform4fv, as a native GL program would), one per
 * stage, each only as long as the program reads: a stage's constants are
 * copied again (llvmpipe: uploaded, and for the fragment stage stored in
 * every binned scene) whenever one of them changes. With one 1.4 KB array
 * for both stages, every SETTRANSFORM cost about 1 us per draw on llvmpipe;
 * a plain transformed draw now sends 10 vec4s. */
static const char *const vs_block_text = "#define u_wv mat4(ff[0], ff[1], ff[2], ff[3])\n"
                                         "#define u_proj mat4(ff[4], ff[5], ff[6], ff[7])\n"
                                         "#define u_vp ff[8]\n"
                                         "#define u_halfpix ff[9]\n"
                                         "#define u_misc ff[10]\n"
                                         "#define u_fog ff[11]\n"
                                         "#define u_world mat4(ff[12], ff[13], ff[14], ff[15])\n"
                                         "#define u_clip(i) ff[16 + (i)]\n"
                                         "#define u_nrm mat4(ff[22], ff[23], ff[24], ff[25])\n"
                                         "#define u_mat_d ff[26]\n"
                                         "#define u_mat_a ff[27]\n"
                                         "#define u_mat_s ff[28]\n"
                                         "#define u_mat_e ff[29]\n"
                                         "#define u_ambient ff[30]\n"
                                         "#define u_lpos(i) ff[31 + 7 * (i)]\n"
                                         "#define u_ldir(i) ff[32 + 7 * (i)]\n"
                                         "#define u_ld(i) ff[33 + 7 * (i)]\n"
                                         "#define u_ls(i) ff[34 + 7 * (i)]\n"
                                         "#define u_la(i) ff[35 + 7 * (i)]\n"
                                         "#define u_latt(i) ff[36 + 7 * (i)]\n"
                                         "#define u_lspot(i) ff[37 + 7 * (i)]\n";
static const char *const fs_block_text = "uniform vec4 ffp[4];\n"
                                         "#define u_fog ffp[0]\n"
                                         "#define u_misc ffp[1]\n"
                                         "#define u_fog_color ffp[2]\n"
                                         "#define u_tfactor ffp[3]\n";

_Static_assert(sizeof(gl_ff_uniforms) == GL_FF_VEC4S * 16, "gl_ff_uniforms is 91 vec4s");
_Static_assert(offsetof(gl_ff_uniforms, fog) == GL_FF_FS_FIRST * 16, "ffp[] starts at fog");
_Static_assert(offsetof(gl_ff_uniforms, vp) == 8 * 16 &&
                   offsetof(gl_ff_uniforms, fog_vs) == 11 * 16 &&
                   offsetof(gl_ff_uniforms, clip) == 16 * 16 &&
                   offsetof(gl_ff_uniforms, ambient) == 30 * 16 &&
                   offsetof(gl_ff_uniforms, lights) == 31 * 16 && sizeof(gl_ff_light) == 7 * 16,
               "ff[] macros match gl_ff_uniforms");

uint32_t gl_ff_vs_vec4s(const gl_ff_key *k)
{
    uint32_t n = 10; /* wv, proj, vp, halfpix */
    if (k->points || k->tween) {
        n = 11; /* misc: the point size; x: the tween factor */
    }
    if (k->fog == 1 || k->point_scale) {
        n = 12; /* fog: the vertex fog factor; w: POINTSCALE_C */
    }
    if (k->clip_planes) {
        n = 22; /* world, clip planes */
    }
    if (k->tc_normal) {
        n = 26; /* the normal matrix */
    }
    if (k->lighting) {
        n = 31; /* normal matrix, material, ambient */
        for (uint32_t i = 0; i < GLB_MAX_LIGHTS; i++) {
            if (k->light_type[i]) {
                n = 31 + 7 * (i + 1);
            }
        }
    }
    return n;
}

/* Whether the fragment side reads the specular color (added, or a stage
 * argument). */
static bool reads_specular(const gl_ff_key *k)
{
    if (k->specular) {
        return true;
    }
    for (int i = 0; i < k->nstages; i++) {
        for (int a = 0; a < 3; a++) {
            if ((k->stages[i].color_arg[a] & 0x0f) == VGT_SVGA3D_TA_SPECULAR ||
                (k->stages[i].alpha_arg[a] & 0x0f) == VGT_SVGA3D_TA_SPECULAR) {
                return true;
            }
        }
    }
    return false;
}

/* The varyings: the vertex side writes them all (gl_shader.c's pixel
 * shaders read them too); the fragment side reads only what it uses, and
 * the linker drops the rest. */
static void varyings(gl_sb *s, const gl_ff_key *k, const char *dir)
{
    const char *q = k->flat ? "flat " : "";
    bool out = dir[0] == 'o';
    gl_sb_add(s, "%s%s vec4 v_diffuse;\n", q, dir);
    if (out || reads_specular(k)) {
        gl_sb_add(s, "%s%s vec4 v_specular;\n", q, dir);
    }
    if (out || k->fog) {
        gl_sb_add(s, "%s float v_fog;\n", dir);
    }
    for (int i = 0; i < 8; i++) {
        if (k->tc_mask & (1u << i)) {
            gl_sb_add(s, "%s vec4 v_tc%d;\n", dir, i);
        }
    }
    for (int i = 0; i < k->nstages; i++) {
        if (k->stages[i].own) {
            gl_sb_add(s, "%s vec4 v_st%d;\n", dir, i);
        }
    }
}

static void fog_function(gl_sb *s, const gl_ff_key *k)
{
    gl_sb_add(s, "float fog_factor(float d) {\n    float f = 1.0;\n");
    switch (k->fog_func) {
    case VGT_SVGA3D_FOGFUNC_LINEAR:
        gl_sb_add(s, "    f = u_fog.y != u_fog.x ? (u_fog.y - d) / (u_fog.y - u_fog.x)"
                     " : (d < u_fog.y ? 1.0 : 0.0);\n");
        break;
    case VGT_SVGA3D_FOGFUNC_EXP:
        gl_sb_add(s, "    f = exp2(-d * u_fog.z * 1.44269504089);\n");
        break;
    case VGT_SVGA3D_FOGFUNC_EXP2:
        gl_sb_add(s, "    float t = d * u_fog.z;\n    f = exp2(-t * t * 1.44269504089);\n");
        break;
    default:
        break;
    }
    gl_sb_add(s, "    return clamp(f, 0.0, 1.0);\n}\n");
}

/* ---- vertex shader --------------------------------------------------------------- */

static const char *src_name(uint8_t src, const char *material)
{
    return src == 1 ? "c0" : (src == 2 ? "c1" : material);
}

static void gen_light(gl_sb *s, const gl_ff_key *k, int i)
{
    uint8_t t = k->light_type[i];
    gl_sb_add(s, "    {\n        vec3 L; float f = 1.0;\n");
    if (t == VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL) {
        gl_sb_add(s, "        L = -u_ldir(%d).xyz;\n", i);
    } else {
        gl_sb_add(
            s,
            "        L = u_lpos(%d).xyz - pe.xyz;\n"
            "        float d = sqrt(dot(L, L));\n"
            "        if (d > u_lpos(%d).w) {\n            f = 0.0;\n        } else {\n"
            "            if (d > 0.0) L /= d;\n"
            "            float den = u_latt(%d).x + u_latt(%d).y * d + u_latt(%d).z * d * d;\n"
            "            f = den > 0.0 ? 1.0 / den : 0.0;\n",
            i, i, i, i, i);
        if (t == VGT_SVGA3D_LIGHTTYPE_SPOT1 || t == VGT_SVGA3D_LIGHTTYPE_SPOT2) {
            gl_sb_add(s,
                      "            float rho = -dot(L, u_ldir(%d).xyz), spot;\n"
                      "            if (rho > u_lspot(%d).x) spot = 1.0;\n"
                      "            else if (rho <= u_lspot(%d).y) spot = 0.0;\n"
                      "            else {\n"
                      "                float tt = (rho - u_lspot(%d).y) / (u_lspot(%d).x - "
                      "u_lspot(%d).y);\n"
                      "                spot = u_ldir(%d).w == 1.0 ? tt : pow(tt, u_ldir(%d).w);\n"
                      "            }\n"
                      "            f *= spot;\n",
                      i, i, i, i, i, i, i, i);
        }
        gl_sb_add(s, "        }\n");
    }
    gl_sb_add(s,
              "        if (f != 0.0) {\n"
              "            amb += f * u_la(%d).rgb;\n"
              "            float ndl = dot(n, L);\n"
              "            if (ndl > 0.0) {\n"
              "                dif += f * ndl * u_ld(%d).rgb;\n",
              i, i);
    if (k->specular) {
        gl_sb_add(
            s,
            "                vec3 h = nrmz(L + V);\n"
            "                float ndh = dot(n, h);\n"
            "                if (ndh > 0.0) spe += f * pow(ndh, u_ambient.w) * u_ls(%d).rgb;\n",
            i);
    }
    gl_sb_add(s, "            }\n        }\n    }\n");
}

/* Vertex blending (soft_vertex.c's blend_of and blend_xform): the weights
 * bw[i] (the last 1 minus the others), the matrices bm[i] (0..3, indices
 * clamped to WORLD3 as vgt_svga3d_vertex_blend_matrix), and the blended
 * view-space position pe; bn(), the blended normal, when one is read. */
static void gen_blend(gl_sb *s, const gl_ff_key *k, bool normal)
{
    gl_sb_add(s, "    vec4 bwv = %s;\n", k->has_blendw ? "a_bw" : "vec4(0.0)");
    gl_sb_add(s, "    float bw[4];\n    float bl = 1.0;\n");
    for (int i = 0; i + 1 < k->blend; i++) {
        gl_sb_add(s, "    bw[%d] = bwv[%d];\n    bl -= bw[%d];\n", i, i, i);
    }
    gl_sb_add(s, "    bw[%d] = bl;\n", k->blend - 1);
    if (k->blend_index) {
        /* D3DCOLOR (read as GL_BGRA): byte i of the element is .zyxw[i] */
        gl_sb_add(s, "    ivec4 bm = ivec4(min(%s + 0.5, vec4(%u.0)));\n",
                  k->blend_index == 2 ? "a_bi.zyxw * 255.0" : "a_bi",
                  VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX);
    } else {
        gl_sb_add(s, "    ivec4 bm = ivec4(0, 1, 2, 3);\n");
    }
    gl_sb_add(s, "    vec4 pe = vec4(0.0);\n");
    for (int i = 0; i < k->blend; i++) {
        gl_sb_add(s, "    pe += bw[%d] * (u_blend[bm[%d]] * p);\n", i, i);
    }
    if (normal) {
        gl_sb_add(s, "    vec3 bn = vec3(0.0);\n");
        for (int i = 0; i < k->blend; i++) {
            gl_sb_add(s, "    bn += bw[%d] * (mat3(u_blend[8 + bm[%d]]) * nin);\n", i, i);
        }
    }
}

/* Stage i's own coordinate v_st<i>: the set or a generated view-space
 * vector, times its TEXTURE<i> matrix (soft_vertex.c stage_texcoord). */
static void gen_stage_texcoord(gl_sb *s, const gl_ff_key *k, int i)
{
    const gl_stage_key *g = &k->stages[i];
    gl_sb_add(s, "    {\n        vec4 t = vec4(0.0, 0.0, 0.0, 1.0);\n");
    switch (g->gen) {
    case VGT_SVGA3D_TEXCOORD_GEN_EYE_POSITION:
        gl_sb_add(s, "        t = vec4(pe.xyz * (pe.w != 0.0 ? 1.0 / pe.w : 1.0), 1.0);\n");
        break;
    case VGT_SVGA3D_TEXCOORD_GEN_EYE_NORMAL:
        gl_sb_add(s, "        t = vec4(tn, 1.0);\n");
        break;
    case VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR:
    case VGT_SVGA3D_TEXCOORD_GEN_SPHERE:
        gl_sb_add(s, "        vec3 e = nrmz(pe.xyz);\n"
                     "        vec3 r = e - 2.0 * dot(tn, e) * tn;\n");
        if (g->gen == VGT_SVGA3D_TEXCOORD_GEN_REFLECTIONVECTOR) {
            gl_sb_add(s, "        t = vec4(r, 1.0);\n");
        } else {
            gl_sb_add(s, "        float zz = r.z + 1.0;\n"
                         "        float len = sqrt(r.x * r.x + r.y * r.y + zz * zz);\n"
                         "        float inv = len > 0.0 ? 1.0 / (2.0 * len) : 0.0;\n"
                         "        t = vec4(r.x * inv + 0.5, r.y * inv + 0.5, 0.0, 1.0);\n");
        }
        break;
    default:
        if (k->tc_have & (1u << g->tc)) {
            gl_sb_add(s, "        t = a_tc%d;\n", g->tc);
            /* Direct3D 9: (u) is (u, 1, 0, 0), (u, v) is (u, v, 1, 0) */
            if (g->count && g->comps == 1) {
                gl_sb_add(s, "        t = vec4(t.x, 1.0, 0.0, 0.0);\n");
            } else if (g->count && g->comps == 2) {
                gl_sb_add(s, "        t = vec4(t.xy, 1.0, 0.0);\n");
            }
        }
        break;
    }
    if (g->count) {
        gl_sb_add(s, "        t = u_texm[%d] * t;\n", i);
    }
    if (g->proj || g->keep < 3) {
        /* (u, v, w) with those from `keep` on 0 (vgt_svga3d_texcoord_plan),
         * then the divisor, or 1 */
        gl_sb_add(s, "        t = vec4(");
        for (int j = 0; j < 3; j++) {
            if (j < g->keep) {
                gl_sb_add(s, "t.%c, ", "xyz"[j]);
            } else {
                gl_sb_add(s, "0.0, ");
            }
        }
        if (g->proj) {
            gl_sb_add(s, "t.%c);\n", "xyzw"[g->proj - 1]);
        } else {
            gl_sb_add(s, "1.0);\n");
        }
    }
    gl_sb_add(s, "        v_st%d = t;\n    }\n", i);
}

static void gen_vs(gl_sb *s, const gl_ff_key *k)
{
    gl_sb_add(s, "#version 330 core\nuniform vec4 ff[%u];\n%s", gl_ff_vs_vec4s(k), vs_block_text);
    if (k->points) {
        /* the guard band (gl_draw.c, points_guard): x, y scaled into a
         * wider GL viewport, so that GL's clip by the centre becomes
         * Direct3D's clip of the whole square */
        gl_sb_add(s, "uniform vec2 u_guard;\n");
    }
    if (k->tc_matrix) {
        gl_sb_add(s, "uniform mat4 u_texm[%d];\n", GLB_MAX_STAGES);
    }
    if (k->blend) {
        gl_sb_add(s, "uniform mat4 u_blend[%u];\n", GL_BLEND_MATRICES);
    }
    gl_sb_add(s, "layout(location = 0) in vec4 a_pos;\n");
    if (k->has_normal) {
        gl_sb_add(s, "layout(location = 1) in vec3 a_normal;\n");
    }
    if (k->has_color0) {
        gl_sb_add(s, "layout(location = 2) in vec4 a_color0;\n");
    }
    if (k->has_color1) {
        gl_sb_add(s, "layout(location = 3) in vec4 a_color1;\n");
    }
    if (k->has_psize) {
        gl_sb_add(s, "layout(location = 4) in float a_psize;\n");
    }
    for (int i = 0; i < 8; i++) {
        if (k->tc_have & (1u << i)) {
            gl_sb_add(s, "layout(location = %d) in vec4 a_tc%d;\n", 5 + i, i);
        }
    }
    if (k->has_blendw) {
        gl_sb_add(s, "layout(location = 13) in vec4 a_bw;\n");
    }
    if (k->blend_index) {
        gl_sb_add(s, "layout(location = 14) in vec4 a_bi;\n");
    }
    if (k->tween) {
        gl_sb_add(s, "layout(location = 13) in vec4 a_pos1;\n");
    }
    if (k->tween_normal) {
        gl_sb_add(s, "layout(location = 14) in vec3 a_normal1;\n");
    }
    varyings(s, k, "out");
    if (k->clip_planes) {
        gl_sb_add(s, "out float gl_ClipDistance[6];\n");
    }
    gl_sb_add(s, "vec3 nrmz(vec3 v) {\n    float l = dot(v, v);\n"
                 "    return l > 0.0 ? v / sqrt(l) : v;\n}\n");
    if (k->fog == 1) {
        fog_function(s, k);
    }
    gl_sb_add(s, "void main() {\n");
    gl_sb_add(s, "    vec4 c0 = %s;\n", k->has_color0 ? "clamp(a_color0, 0.0, 1.0)" : "vec4(1.0)");
    gl_sb_add(s, "    vec4 c1 = %s;\n", k->has_color1 ? "clamp(a_color1, 0.0, 1.0)" : "vec4(0.0)");
    gl_sb_add(s, "    float fog = 1.0;\n");
    /* the model-space position and normal: tweened (soft_vertex.c's
     * tween3, the same form) or as they come */
    gl_sb_add(s, "    vec3 pin = %s;\n",
              k->tween ? "a_pos.xyz + u_misc.x * (a_pos1.xyz - a_pos.xyz)" : "a_pos.xyz");
    if (k->has_normal) {
        gl_sb_add(s, "    vec3 nin = %s;\n",
                  k->tween_normal ? "a_normal + u_misc.x * (a_normal1 - a_normal)" : "a_normal");
    }
    if (k->pretransformed) {
        /* screen x, y (pixels), z and rhw */
        gl_sb_add(s, "    float w = a_pos.w > 0.0 ? 1.0 / a_pos.w : 1.0;\n"
                     "    vec2 ndc = (a_pos.xy + 0.5 - u_vp.xy) / u_vp.zw * 2.0 - 1.0;\n");
        gl_sb_add(s, "    gl_Position = vec4(ndc * w, %s, w);\n",
                  k->zremap ? "(2.0 * a_pos.z - 1.0) * w" : "a_pos.z * w");
        gl_sb_add(s, "    v_diffuse = c0;\n    v_specular = c1;\n");
        if (k->fog == 2) {
            gl_sb_add(s, "    fog = a_pos.z;\n");
        } else if (k->fog) {
            gl_sb_add(s, "    fog = %s;\n", k->has_color1 ? "c1.a" : "1.0");
        }
    } else {
        if (k->blend) {
            gl_sb_add(s, "    vec4 p = vec4(pin, 1.0);\n");
            gen_blend(s, k, k->has_normal && (k->lighting || k->tc_normal));
            gl_sb_add(s, "    vec4 clip = u_proj * pe;\n");
        } else if (k->fold_proj) {
            /* u_wv holds world * view * projection (fill_transforms) */
            gl_sb_add(s, "    vec4 p = vec4(pin, 1.0);\n"
                         "    vec4 clip = u_wv * p;\n");
        } else {
            gl_sb_add(s, "    vec4 p = vec4(pin, 1.0);\n"
                         "    vec4 pe = u_wv * p;\n"
                         "    vec4 clip = u_proj * pe;\n");
        }
        if (k->fog == 2 && k->fog_device_z) {
            /* Direct3D's projected z (w is 1), before GL's conventions */
            gl_sb_add(s, "    float zfog = clip.z;\n");
        }
        gl_sb_add(s, "    clip.y = -clip.y;\n");
        if (k->halfpix) {
            gl_sb_add(s, "    clip.xy += u_halfpix.xy * clip.w;\n");
        }
        if (k->zremap) {
            gl_sb_add(s, "    clip.z = 2.0 * clip.z - clip.w;\n");
        }
        gl_sb_add(s, "    gl_Position = clip;\n");
        if (k->clip_planes) {
            if (k->blend) {
                gl_sb_add(s, "    vec4 pw = vec4(0.0);\n");
                for (int i = 0; i < k->blend; i++) {
                    gl_sb_add(s, "    pw += bw[%d] * (u_blend[4 + bm[%d]] * p);\n", i, i);
                }
            } else {
                gl_sb_add(s, "    vec4 pw = u_world * p;\n");
            }
            gl_sb_add(s,
                      "    for (int i = 0; i < 6; i++) gl_ClipDistance[i] = dot(u_clip(i), pw);\n");
        }
        if (k->lighting) {
            gl_sb_add(s, "    vec3 n = vec3(0.0);\n");
            if (k->has_normal) {
                gl_sb_add(s, "    n = %s;\n", k->blend ? "bn" : "mat3(u_nrm) * nin");
                if (k->normalize) {
                    gl_sb_add(s, "    n = nrmz(n);\n");
                }
            }
            gl_sb_add(s, "    vec4 cd = %s, ca = %s, cs = %s, ce = %s;\n",
                      src_name(k->src_diffuse, "u_mat_d"), src_name(k->src_ambient, "u_mat_a"),
                      src_name(k->src_specular, "u_mat_s"), src_name(k->src_emissive, "u_mat_e"));
            gl_sb_add(s, "    vec3 amb = u_ambient.rgb, dif = vec3(0.0), spe = vec3(0.0);\n");
            gl_sb_add(s, "    vec3 V = %s;\n",
                      k->local_viewer ? "nrmz(-pe.xyz)" : "vec3(0.0, 0.0, -1.0)");
            for (int i = 0; i < GLB_MAX_LIGHTS; i++) {
                if (k->light_type[i]) {
                    gen_light(s, k, i);
                }
            }
            gl_sb_add(s,
                      "    v_diffuse = vec4(clamp(ce.rgb + ca.rgb * amb + cd.rgb * dif, 0.0, 1.0),"
                      " clamp(cd.a, 0.0, 1.0));\n"
                      "    v_specular = vec4(clamp(cs.rgb * spe, 0.0, 1.0), clamp(cs.a, 0.0, "
                      "1.0));\n");
        } else {
            gl_sb_add(s, "    v_diffuse = c0;\n    v_specular = c1;\n");
        }
        if (k->fog == 3) {
            gl_sb_add(s, "    fog = %s;\n", k->has_color1 ? "c1.a" : "1.0");
        } else if (k->fog == 2 && k->fog_device_z) {
            gl_sb_add(s, "    fog = zfog;\n");
        } else if (k->fog == 1 || k->fog == 2) {
            gl_sb_add(s, "    float d = %s;\n", k->fog_range ? "length(pe.xyz)" : "abs(pe.z)");
            gl_sb_add(s, "    fog = %s;\n", k->fog == 1 ? "fog_factor(d)" : "d");
        }
    }
    gl_sb_add(s, "    v_fog = fog;\n");
    if (k->tc_normal) {
        const char *raw = k->blend ? "bn" : "mat3(u_nrm) * nin";
        gl_sb_add(s, "    vec3 tn = vec3(0.0);\n");
        if (k->has_normal) {
            gl_sb_add(s, k->normalize ? "    tn = nrmz(%s);\n" : "    tn = %s;\n", raw);
        }
    }
    for (int i = 0; i < k->nstages; i++) {
        if (k->stages[i].own) {
            gen_stage_texcoord(s, k, i);
        }
    }
    for (int i = 0; i < 8; i++) {
        if (k->tc_mask & (1u << i)) {
            if (k->tc_have & (1u << i)) {
                gl_sb_add(s, "    v_tc%d = a_tc%d;\n", i, i);
            } else {
                gl_sb_add(s, "    v_tc%d = vec4(0.0, 0.0, 0.0, 1.0);\n", i);
            }
        }
    }
    if (k->points && k->point_scale) {
        /* soft_vertex.c's scaled_point_size: a denominator that is not
         * positive is an infinite size (the maximum); comparisons that a
         * NaN fails pick the minimum */
        gl_sb_add(s, "    float ps = %s;\n", k->has_psize ? "a_psize" : "u_misc.y");
        if (!k->pretransformed) {
            gl_sb_add(s, "    float de = length(pe.xyz);\n"
                         "    float q = u_halfpix.z + u_halfpix.w * de + u_fog.w * de * de;\n"
                         "    ps = q > 0.0 ? u_vp.w * ps * sqrt(1.0 / q) : 3.0e38;\n");
        }
        gl_sb_add(s, "    ps = ps >= u_misc.z ? ps : u_misc.z;\n"
                     "    ps = ps <= u_misc.w ? ps : u_misc.w;\n"
                     "    gl_PointSize = ps >= 1.0 ? min(ps, 256.0) : 1.0;\n");
    } else if (k->points) {
        gl_sb_add(s, "    gl_PointSize = clamp(%s, 1.0, 256.0);\n",
                  k->has_psize ? "a_psize" : "u_misc.y");
    }
    if (k->points) {
        gl_sb_add(s, "    gl_Position.xy *= u_guard;\n");
    }
    gl_sb_add(s, "}\n");
}

/* ---- fragment shader ---------------------------------------------------------------- */

static void arg_expr(gl_sb *s, uint8_t arg)
{
    const char *src;
    switch (arg & 0x0f) {
    case VGT_SVGA3D_TA_CONSTANT:
        src = "u_tfactor";
        break;
    case VGT_SVGA3D_TA_DIFFUSE:
        src = "diffuse";
        break;
    case VGT_SVGA3D_TA_TEXTURE:
        src = "tex";
        break;
    case VGT_SVGA3D_TA_SPECULAR:
        src = "specular";
        break;
    case VGT_SVGA3D_TA_PREVIOUS:
        src = "current";
        break;
    default:
        src = "vec4(0.0)"; /* TEMP: never written by SVGA3D */
        break;
    }
    if (arg & VGT_SVGA3D_TM_ONE_MINUS) {
        gl_sb_add(s, "(vec4(1.0) - %s)", src);
    } else {
        gl_sb_add(s, "%s", src);
    }
    if (arg & VGT_SVGA3D_TM_ALPHA) {
        gl_sb_add(s, ".aaaa");
    }
}

/* One combiner result into `res` (a vec4; the caller picks channels). */
static void op_expr(gl_sb *s, uint8_t op)
{
    const char *e;
    switch (op) {
    case VGT_SVGA3D_TC_SELECTARG1:
        e = "x";
        break;
    case VGT_SVGA3D_TC_SELECTARG2:
        e = "y";
        break;
    case VGT_SVGA3D_TC_MODULATE:
        e = "x * y";
        break;
    case VGT_SVGA3D_TC_MODULATE2X:
        e = "x * y * 2.0";
        break;
    case VGT_SVGA3D_TC_MODULATE4X:
        e = "x * y * 4.0";
        break;
    case VGT_SVGA3D_TC_ADD:
        e = "x + y";
        break;
    case VGT_SVGA3D_TC_ADDSIGNED:
        e = "x + y - 0.5";
        break;
    case VGT_SVGA3D_TC_ADDSIGNED2X:
        e = "(x + y - 0.5) * 2.0";
        break;
    case VGT_SVGA3D_TC_SUBTRACT:
        e = "x - y";
        break;
    case VGT_SVGA3D_TC_ADDSMOOTH:
        e = "x + y - x * y";
        break;
    case VGT_SVGA3D_TC_BLENDDIFFUSEALPHA:
        e = "x * diffuse.a + y * (1.0 - diffuse.a)";
        break;
    case VGT_SVGA3D_TC_BLENDTEXTUREALPHA:
        e = "x * tex.a + y * (1.0 - tex.a)";
        break;
    case VGT_SVGA3D_TC_BLENDFACTORALPHA:
        e = "x * u_tfactor.a + y * (1.0 - u_tfactor.a)";
        break;
    case VGT_SVGA3D_TC_BLENDCURRENTALPHA:
        e = "x * current.a + y * (1.0 - current.a)";
        break;
    case VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM:
        e = "x + y * (1.0 - tex.a)";
        break;
    case VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR:
        e = "vec4(x.rgb + x.a * y.rgb, x.a)";
        break;
    case VGT_SVGA3D_TC_MODULATECOLOR_ADDALPHA:
        e = "vec4(x.rgb * y.rgb + x.a, x.a)";
        break;
    case VGT_SVGA3D_TC_MODULATEINVALPHA_ADDCOLOR:
        e = "vec4((1.0 - x.a) * y.rgb + x.rgb, x.a)";
        break;
    case VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA:
        e = "vec4((1.0 - x.rgb) * y.rgb + x.a, x.a)";
        break;
    case VGT_SVGA3D_TC_MULTIPLYADD:
        e = "x + y * z";
        break;
    case VGT_SVGA3D_TC_LERP:
        e = "z * x + (1.0 - z) * y";
        break;
    case VGT_SVGA3D_TC_DOTPRODUCT3:
        e = "vec4(clamp(4.0 * dot(x.rgb - 0.5, y.rgb - 0.5), 0.0, 1.0))";
        break;
    default:
        e = "x";
        break;
    }
    gl_sb_add(s, "clamp(%s, 0.0, 1.0)", e);
}

static void stage_args(gl_sb *s, const uint8_t args[3])
{
    gl_sb_add(s, "        z = ");
    arg_expr(s, args[0]);
    gl_sb_add(s, ";\n        x = ");
    arg_expr(s, args[1]);
    gl_sb_add(s, ";\n        y = ");
    arg_expr(s, args[2]);
    gl_sb_add(s, ";\n");
}

static const char *const sampler_types[4] = {"", "sampler2D", "samplerCube", "sampler3D"};

void gl_emit_alpha_test(gl_sb *s, uint8_t alpha_func, const char *ref)
{
    static const char *const cmp[] = {"", "false", "<", "==", "<=", ">", "!=", ">=", "true"};
    if (!alpha_func) {
        return;
    }
    gl_sb_add(s,
              "    uint a8 = uint(clamp(o.a, 0.0, 1.0) * 255.0 + 0.5);\n"
              "    uint ref = uint(%s);\n",
              ref);
    if (alpha_func == VGT_SVGA3D_CMP_NEVER) {
        gl_sb_add(s, "    discard;\n");
    } else if (alpha_func < VGT_SVGA3D_CMP_ALWAYS) {
        gl_sb_add(s, "    if (!(a8 %s ref)) discard;\n", cmp[alpha_func]);
    }
}

void gl_emit_fs_version(gl_sb *s, const gl_blend_key *bl)
{
    gl_sb_add(s, "#version 330 core\n%s",
              bl->on ? "#extension GL_EXT_shader_framebuffer_fetch : require\n" : "");
}

const char *gl_output_qualifier(const gl_blend_key *bl)
{
    return bl->on ? "inout" : "out";
}

/* A Direct3D blend factor as GLSL over s (source), d (target, decoded) and
 * the blend colour bc: of the colour (rgb, a vec3) or of alpha (a float);
 * soft_raster.c's blend_factor. */
static const char *blend_factor_glsl(uint8_t f, bool rgb)
{
    switch (f) {
    case VGT_SVGA3D_BLENDOP_ZERO:
        return rgb ? "vec3(0.0)" : "0.0";
    case VGT_SVGA3D_BLENDOP_SRCCOLOR:
        return rgb ? "S.rgb" : "S.a";
    case VGT_SVGA3D_BLENDOP_INVSRCCOLOR:
        return rgb ? "(1.0 - S.rgb)" : "(1.0 - S.a)";
    case VGT_SVGA3D_BLENDOP_SRCALPHA:
        return rgb ? "vec3(S.a)" : "S.a";
    case VGT_SVGA3D_BLENDOP_INVSRCALPHA:
        return rgb ? "vec3(1.0 - S.a)" : "(1.0 - S.a)";
    case VGT_SVGA3D_BLENDOP_DESTALPHA:
        return rgb ? "vec3(D.a)" : "D.a";
    case VGT_SVGA3D_BLENDOP_INVDESTALPHA:
        return rgb ? "vec3(1.0 - D.a)" : "(1.0 - D.a)";
    case VGT_SVGA3D_BLENDOP_DESTCOLOR:
        return rgb ? "D.rgb" : "D.a";
    case VGT_SVGA3D_BLENDOP_INVDESTCOLOR:
        return rgb ? "(1.0 - D.rgb)" : "(1.0 - D.a)";
    case VGT_SVGA3D_BLENDOP_SRCALPHASAT:
        return rgb ? "vec3(min(S.a, 1.0 - D.a))" : "1.0";
    case VGT_SVGA3D_BLENDOP_BLENDFACTOR:
        return rgb ? "BC.rgb" : "BC.a";
    case VGT_SVGA3D_BLENDOP_INVBLENDFACTOR:
        return rgb ? "(1.0 - BC.rgb)" : "(1.0 - BC.a)";
    default:
        return rgb ? "vec3(1.0)" : "1.0";
    }
}

/* A Direct3D blend equation as GLSL (soft_raster.c's blend_eq): x the
 * component(s) (rgb or a), fs/fd the factors. */
static void blend_eq_glsl(gl_sb *s, const char *dst, uint8_t eq, const char *x, const char *fs,
                          const char *fd)
{
    switch (eq) {
    case VGT_SVGA3D_BLENDEQ_SUBTRACT:
        gl_sb_add(s, "        %s = clamp(S.%s * %s - D.%s * %s, 0.0, 1.0);\n", dst, x, fs, x, fd);
        break;
    case VGT_SVGA3D_BLENDEQ_REVSUBTRACT:
        gl_sb_add(s, "        %s = clamp(D.%s * %s - S.%s * %s, 0.0, 1.0);\n", dst, x, fd, x, fs);
        break;
    case VGT_SVGA3D_BLENDEQ_MINIMUM:
        gl_sb_add(s, "        %s = min(S.%s, D.%s);\n", dst, x, x);
        break;
    case VGT_SVGA3D_BLENDEQ_MAXIMUM:
        gl_sb_add(s, "        %s = max(S.%s, D.%s);\n", dst, x, x);
        break;
    default:
        gl_sb_add(s, "        %s = clamp(S.%s * %s + D.%s * %s, 0.0, 1.0);\n", dst, x, fs, x, fd);
        break;
    }
}

void gl_emit_output(gl_sb *s, const char *dst, const char *o, uint8_t out_mode, bool srgb,
                    const gl_blend_key *bl)
{
    char enc[48], blended[48], quant[48];
    if (bl && bl->on) {
        /* soft's blend (soft_raster.c write_pixels) on a fixed-point
         * target or with an sRGB write: the saturated source, the target
         * as stored (alpha 1 without alpha), with an sRGB write its R, G,
         * B decoded (soft_srgb_decode of the saturated value) and blended
         * in linear light, the result saturated; then written (encoded
         * below) as an unblended write.  dst, an inout, still holds the
         * target's pixel (framebuffer fetch). */
        snprintf(blended, sizeof(blended), "%s_bl", dst);
        gl_sb_add(s, "    vec4 %s;\n    {\n        vec4 S = clamp(%s, 0.0, 1.0);\n", blended, o);
        if (srgb) {
            gl_sb_add(s,
                      "        vec4 D = vec4(clamp(%s.rgb, 0.0, 1.0), %s.a);\n"
                      "        D.rgb = mix(D.rgb / 12.92, pow((D.rgb + 0.055) / 1.055, "
                      "vec3(2.4)),\n"
                      "                    greaterThan(D.rgb, vec3(0.04045)));\n",
                      dst, dst);
        } else {
            gl_sb_add(s, "        vec4 D = %s;\n", dst);
        }
        if (bl->no_dst_alpha) {
            gl_sb_add(s, "        D.a = 1.0;\n");
        }
        gl_sb_add(s, "        vec4 BC = vec4(%u.0, %u.0, %u.0, %u.0) / 255.0;\n", bl->color[0],
                  bl->color[1], bl->color[2], bl->color[3]);
        char x[64];
        snprintf(x, sizeof(x), "%s.rgb", blended);
        blend_eq_glsl(s, x, bl->eq, "rgb", blend_factor_glsl(bl->src, true),
                      blend_factor_glsl(bl->dst, true));
        snprintf(x, sizeof(x), "%s.a", blended);
        blend_eq_glsl(s, x, bl->eq_a, "a", blend_factor_glsl(bl->src_a, false),
                      blend_factor_glsl(bl->dst_a, false));
        gl_sb_add(s, "    }\n");
        o = blended;
    }
    if (srgb) {
        /* OUTPUTGAMMA 2.2, the soft backend's write rule (soft_srgb_encode
         * of the saturated colour, alpha linear), done here because the
         * shader's output is the colour written: GL blending after it
         * would blend encoded values, so blending is done above (float
         * and single 16-bit targets with framebuffer fetch) or refused
         * (gl_draw.c) */
        snprintf(enc, sizeof(enc), "%s_srgb", dst);
        gl_sb_add(
            s,
            "    vec3 %s_c = clamp(%s.rgb, 0.0, 1.0);\n"
            "    vec4 %s = vec4(mix(%s_c * 12.92, 1.055 * pow(%s_c, vec3(1.0 / 2.4)) - 0.055,\n"
            "                       greaterThan(%s_c, vec3(0.0031308))), %s.a);\n",
            enc, o, enc, enc, enc, enc, o);
        o = enc;
    }
    if (bl && (bl->quant[0] | bl->quant[1] | bl->quant[2] | bl->quant[3])) {
        /* a 16-bit target: each channel rounded to the nearest of its steps
         * (soft_unorm: floor(x * max + 0.5)), so that GL's conversion,
         * exact on k / max whether it rounds or truncates, stores what
         * Direct3D's rounding stores; a 0 leaves the channel to GL */
        snprintf(quant, sizeof(quant), "%s_q", dst);
        gl_sb_add(s,
                  "    vec4 %s_m = vec4(%u.0, %u.0, %u.0, %u.0);\n"
                  "    vec4 %s = mix(%s, floor(clamp(%s, 0.0, 1.0) * %s_m + 0.5) / max(%s_m, "
                  "1.0),\n"
                  "                  greaterThan(%s_m, vec4(0.0)));\n",
                  quant, bl->quant[0], bl->quant[1], bl->quant[2], bl->quant[3], quant, o, o, quant,
                  quant, quant);
        o = quant;
    }
    switch (out_mode) {
    case GLB_OUT_L:
        gl_sb_add(s, "    %s = vec4(%s.r, 0.0, 0.0, %s.a);\n", dst, o, o);
        break;
    case GLB_OUT_A:
        gl_sb_add(s, "    %s = vec4(%s.a, 0.0, 0.0, %s.a);\n", dst, o, o);
        break;
    case GLB_OUT_LA:
        gl_sb_add(s, "    %s = vec4(%s.r, %s.a, 0.0, %s.a);\n", dst, o, o, o);
        break;
    default:
        gl_sb_add(s, "    %s = %s;\n", dst, o);
        break;
    }
}

static void gen_fs(gl_sb *s, const gl_ff_key *k)
{
    gl_emit_fs_version(s, &k->sblend);
    gl_sb_add(s, "%s", fs_block_text);
    varyings(s, k, "in");
    for (int i = 0; i < k->nstages; i++) {
        if (k->stages[i].tex_kind) {
            gl_sb_add(s, "uniform %s u_tex%d;\n", sampler_types[k->stages[i].tex_kind & 3], i);
        }
    }
    gl_sb_add(s, "layout(location = 0) %s vec4 o_color;\n", gl_output_qualifier(&k->sblend));
    gl_sb_add(s, "uniform vec4 u_bumpm[8];\nuniform vec2 u_bumpl[8];\n");
    if (k->fog == 2) {
        fog_function(s, k);
    }
    gl_sb_add(s,
              "void main() {\n"
              "    vec4 diffuse = clamp(v_diffuse, 0.0, 1.0);\n"
              "    vec4 specular = %s;\n"
              "    vec4 current = diffuse;\n",
              reads_specular(k) ? "clamp(v_specular, 0.0, 1.0)" : "vec4(0.0)");
    if (k->nstages) {
        gl_sb_add(s, "    vec4 tex, x, y, z, res, bumpv = vec4(0.0);\n");
    }
    if (k->point_sprite) {
        /* Direct3D's (0, 0) is the square's top-left; GL's upper-left
         * origin is at the top of its window, which is our bottom row
         * (targets are stored top row first, the vertex shader flips y) */
        gl_sb_add(s, "    vec2 spc = vec2(gl_PointCoord.x, 1.0 - gl_PointCoord.y);\n");
    }
    for (int i = 0; i < k->nstages; i++) {
        const gl_stage_key *g = &k->stages[i];
        bool bumped = i > 0 && k->stages[i - 1].color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE;
        gl_sb_add(s, "    {\n");
        if (g->tex_kind && k->point_sprite) {
            /* every stage reads the sprite's (s, t, 0, 1): a projected
             * one divides by 1, a cube or volume reads w = 0 */
            gl_sb_add(s, "        tex = texture(u_tex%d, %s);\n", i,
                      g->tex_kind == 1 ? "spc" : "vec3(spc, 0.0)");
        } else if (g->tex_kind && g->proj && g->own) {
            /* divided by the divisor (moved to w) after the
             * perspective-correct interpolation */
            gl_sb_add(s, "        tex = texture(u_tex%d, v_st%d.%s / v_st%d.w);\n", i, i,
                      g->tex_kind == 1 ? "xy" : "xyz", i);
        } else if (g->tex_kind && g->proj) {
            /* behind a vertex shader: its oT# divided by z (then w reads 0)
             * or by w (vgt_svga3d_texcoord_plan_behind_vs) */
            char d = "xyzw"[g->proj - 1];
            if (g->tex_kind == 1) {
                gl_sb_add(s, "        tex = texture(u_tex%d, v_tc%d.xy / v_tc%d.%c);\n", i, g->tc,
                          g->tc, d);
            } else if (g->keep < 3) {
                gl_sb_add(s, "        tex = texture(u_tex%d, vec3(v_tc%d.xy / v_tc%d.%c, 0.0));\n",
                          i, g->tc, g->tc, d);
            } else {
                gl_sb_add(s, "        tex = texture(u_tex%d, v_tc%d.xyz / v_tc%d.%c);\n", i, g->tc,
                          g->tc, d);
            }
        } else if (g->tex_kind && bumped) {
            /* after BUMPENVMAPLUMINANCE (Direct3D 9; Wine's GLSL pipeline):
             * (u, v) + the bump stage's BUMPENVMAT * (du, dv) (u_bumpm as
             * gl_shader.c's texbem), the texel, all four components, times
             * the saturated l * LSCALE + LOFFSET (Wine: tex *= clamp(...);
             * 2D, unprojected only: build_key) */
            gl_sb_add(s,
                      "        tex = texture(u_tex%d, %s%d.xy + mat2(u_bumpm[%d]) * bumpv.xy);\n"
                      "        tex *= clamp(bumpv.z * u_bumpl[%d].x + u_bumpl[%d].y, 0.0, "
                      "1.0);\n",
                      i, g->own ? "v_st" : "v_tc", g->own ? i : g->tc, i - 1, i - 1, i - 1);
        } else if (g->tex_kind && g->own) {
            gl_sb_add(s, "        tex = texture(u_tex%d, v_st%d.%s);\n", i, i,
                      g->tex_kind == 1 ? "xy" : "xyz");
        } else if (g->tex_kind) {
            gl_sb_add(s, "        tex = texture(u_tex%d, v_tc%d.%s);\n", i, g->tc,
                      g->tex_kind == 1 ? "xy" : "xyz");
        } else {
            gl_sb_add(s, "        tex = vec4(0.0, 0.0, 0.0, 1.0);\n");
        }
        if (g->color_op == VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE) {
            /* the bump stage keeps its (du, dv, l) for the next stage and
             * passes CURRENT on, colour and alpha: Wine's fixed-function
             * pipeline runs neither operation of a bump stage (as soft) */
            gl_sb_add(s, "        bumpv = tex;\n        res = current;\n");
        } else {
            stage_args(s, g->color_arg);
            gl_sb_add(s, "        res = ");
            op_expr(s, g->color_op);
            gl_sb_add(s, ";\n");
        }
        if (g->color_op != VGT_SVGA3D_TC_DOTPRODUCT3 &&
            g->color_op != VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE) {
            if (g->alpha_op == VGT_SVGA3D_TC_DISABLE) {
                gl_sb_add(s, "        res.a = current.a;\n");
            } else {
                gl_sb_add(s, "        vec4 rgb = res;\n");
                stage_args(s, g->alpha_arg);
                gl_sb_add(s, "        res = vec4(rgb.rgb, (");
                op_expr(s, g->alpha_op);
                gl_sb_add(s, ").a);\n");
            }
        }
        gl_sb_add(s, "        current = res;\n    }\n");
    }
    gl_sb_add(s, "    vec4 o = current;\n");
    if (k->specular) {
        gl_sb_add(s, "    o.rgb = clamp(o.rgb + specular.rgb, 0.0, 1.0);\n");
    }
    if (k->fog) {
        gl_sb_add(s, "    float f = %s;\n",
                  k->fog == 2 ? "fog_factor(v_fog)" : "clamp(v_fog, 0.0, 1.0)");
        gl_sb_add(s, "    o.rgb = f * o.rgb + (1.0 - f) * u_fog_color.rgb;\n");
    }
    gl_emit_alpha_test(s, k->alpha_func, "u_misc.x");
    gl_sb_add(s, "    o = clamp(o, 0.0, 1.0);\n");
    gl_emit_output(s, "o_color", "o", k->out_mode, k->srgb_out, &k->sblend);
    gl_sb_add(s, "}\n");
}

vgt_status gl_ff_source(const gl_ff_key *key, char **vs, char **fs, vgt_error *err)
{
    gl_sb a = {0}, b = {0};
    gen_vs(&a, key);
    gen_fs(&b, key);
    if (a.oom || b.oom) {
        free(a.p);
        free(b.p);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory generating GLSL");
    }
    *vs = a.p;
    *fs = b.p;
    return VGT_OK;
}

/* ---- compile and cache ----------------------------------------------------------- */

static GLuint compile(GLenum type, const char *src, char *log, size_t log_size)
{
    GLuint sh = glCreateShader(type);
    glShaderSource(sh, 1, &src, NULL);
    glCompileShader(sh);
    GLint ok = 0;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        glGetShaderInfoLog(sh, (GLsizei)log_size, NULL, log);
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

GLuint gl_link_program(const char *vs_src, const char *gs_src, const char *fs_src, char *log,
                       size_t log_size)
{
    if (getenv("VGT_GL_DUMP_GLSL")) {
        fprintf(stderr, "---- vs\n%s---- gs\n%s---- fs\n%s", vs_src, gs_src ? gs_src : "", fs_src);
    }
    GLuint vs = compile(GL_VERTEX_SHADER, vs_src, log, log_size);
    GLuint gs = vs && gs_src ? compile(GL_GEOMETRY_SHADER, gs_src, log, log_size) : 0;
    GLuint fs = vs && (gs || !gs_src) ? compile(GL_FRAGMENT_SHADER, fs_src, log, log_size) : 0;
    GLuint prog = 0;
    if (vs && fs) {
        prog = glCreateProgram();
        glAttachShader(prog, vs);
        if (gs) {
            glAttachShader(prog, gs);
        }
        glAttachShader(prog, fs);
        glLinkProgram(prog);
        GLint ok = 0;
        glGetProgramiv(prog, GL_LINK_STATUS, &ok);
        if (!ok) {
            glGetProgramInfoLog(prog, (GLsizei)log_size, NULL, log);
            glDeleteProgram(prog);
            prog = 0;
        }
    }
    if (vs) {
        glDeleteShader(vs);
    }
    if (gs) {
        glDeleteShader(gs);
    }
    if (fs) {
        glDeleteShader(fs);
    }
    return prog;
}

static GLuint build(const gl_ff_key *k, vgt_error *err)
{
    char *vs_src = NULL, *gs_src = NULL, *fs_src = NULL;
    if (gl_ff_source(k, &vs_src, &fs_src, err)) {
        return 0;
    }
    if (gl_wrap_sources(&k->wrap, &vs_src, &gs_src, err)) {
        free(vs_src);
        free(fs_src);
        return 0;
    }
    char log[1024] = "";
    GLuint prog = gl_link_program(vs_src, gs_src, fs_src, log, sizeof(log));
    free(gs_src);
    if (!prog) {
        vgt_error_set(err, VGT_E_INVALID,
                      "gl backend: the generated fixed-function program does not compile (a "
                      "backend bug): %s",
                      log);
    } else {
        glUseProgram(prog);
        for (int i = 0; i < k->nstages; i++) {
            char name[24]; /* "u_tex" and any int */
            snprintf(name, sizeof(name), "u_tex%d", i);
            GLint loc = glGetUniformLocation(prog, name);
            if (loc >= 0) {
                glUniform1i(loc, i);
            }
        }
    }
    free(vs_src);
    free(fs_src);
    return prog;
}

static uint64_t hash_key(const gl_ff_key *k)
{
    return XXH3_64bits(k, sizeof(*k));
}

void gl_ff_cache_destroy(gl_backend *b)
{
    b->ff_reuse.valid = false; /* it points at a program here */
    if (!b->programs) {
        return;
    }
    for (uint32_t i = 0; i < GLB_PROGRAM_CACHE; i++) {
        if (b->programs[i].used) {
            glDeleteProgram(b->programs[i].prog);
            free(b->programs[i].last);
            b->programs[i].last = NULL;
            b->programs[i].used = false;
        }
    }
    b->program_count = 0;
    b->ff_last = NULL;
}

/* How many elements of the uniform array `name` the linker kept: it may
 * drop the unused tail of an array (Mesa does), and an element past the
 * kept ones has no location.  0 when the program does not use it. */
static uint32_t active_elements(GLuint prog, const char *name)
{
    GLuint index = GL_INVALID_INDEX;
    glGetUniformIndices(prog, 1, &name, &index);
    if (index == GL_INVALID_INDEX) {
        return 0;
    }
    GLint size = 0;
    glGetActiveUniformsiv(prog, 1, &index, GL_UNIFORM_SIZE, &size);
    return size > 0 ? (uint32_t)size : 0;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

gl_program *gl_ff_program(gl_backend *b, const gl_ff_key *key, vgt_error *err)
{
    /* draws in a row mostly share their state: no hashing for those */
    if (b->ff_last && memcmp(&b->ff_last->key, key, sizeof(*key)) == 0) {
        b->n.program_cache_hits++;
        return b->ff_last;
    }
    uint32_t mask = GLB_PROGRAM_CACHE - 1;
    uint32_t i = (uint32_t)hash_key(key) & mask;
    for (uint32_t probe = 0; probe < GLB_PROGRAM_CACHE; probe++, i = (i + 1) & mask) {
        gl_program *p = &b->programs[i];
        if (!p->used) {
            break;
        }
        if (memcmp(&p->key, key, sizeof(*key)) == 0) {
            b->n.program_cache_hits++;
            b->ff_last = p;
            return p;
        }
    }
    if (b->program_count >= GLB_PROGRAM_CACHE / 2) {
        /* a full table: start again (keeps probing short) */
        gl_ff_cache_destroy(b);
        b->sc.program = 0;
        i = (uint32_t)hash_key(key) & mask;
    }
    GLuint prog = build(key, err);
    if (!prog) {
        return NULL;
    }
    b->sc.program = prog; /* build() left it bound */
    while (b->programs[i].used) {
        i = (i + 1) & mask;
    }
    b->programs[i].used = true;
    b->programs[i].key = *key;
    b->programs[i].prog = prog;
    b->programs[i].loc = glGetUniformLocation(prog, "ff");
    b->programs[i].loc_fs = glGetUniformLocation(prog, "ffp");
    b->programs[i].loc_texm = key->tc_matrix ? glGetUniformLocation(prog, "u_texm") : -1;
    b->programs[i].loc_blend = key->blend ? glGetUniformLocation(prog, "u_blend") : -1;
    b->programs[i].loc_guard = key->points ? glGetUniformLocation(prog, "u_guard") : -1;
    b->programs[i].loc_bumpm = glGetUniformLocation(prog, "u_bumpm");
    b->programs[i].loc_bumpl = glGetUniformLocation(prog, "u_bumpl");
    b->programs[i].vs_vec4s = gl_ff_vs_vec4s(key);
    b->programs[i].vs_active = min_u32(active_elements(prog, "ff"), b->programs[i].vs_vec4s);
    b->programs[i].fs_active = min_u32(active_elements(prog, "ffp"), GL_FF_VEC4S - GL_FF_FS_FIRST);
    b->ff_last = &b->programs[i];
    b->programs[i].last = NULL;
    b->program_count++;
    b->n.programs_compiled++;
    return &b->programs[i];
}
