/* gl_shader.h - Direct3D 9 shader bytecode translated to GLSL 330 (private
 * to the gl backend).  gl_shader.c parses at SHADER_DEFINE, translates the
 * parsed form into a state-independent GLSL body, and links vs+ps programs
 * at the first draw that needs them (cached by the pair and the state the
 * wrapper depends on). */
#ifndef GL_SHADER_H
#define GL_SHADER_H

#include "gl_internal.h"
#include "vgt_backend.h"

typedef struct gl_shader gl_shader;
typedef struct gl_sprog gl_sprog;

/* What a linked program depends on besides the two shaders. */
typedef struct gl_sh_key {
    const gl_shader *vs, *ps; /* one of them may be NULL: fixed function on that side */
    gl_ff_key ff;             /* that side's fixed-function key (zero when both are shaders) */
    uint8_t ff_tcset[8];      /* FF vertex side: the coordinate set of stage n (TEXCOORDn) */
    uint8_t tex_kind[16];     /* ps sampler s<n>: 0 unbound, 1 2D, 2 cube, 3 3D */
    uint8_t zremap, out_mode, alpha_func;
    uint8_t mrt_out[3]; /* COLOR1..3: 0 not written, else 1 + the target's gl_out_mode */
    uint8_t fog;        /* ps < 3.0: 0 none, 1 FOG is the factor, 2 FOG is a distance (pixel fog) */
    uint8_t fog_func;   /* VGT_SVGA3D_FOGFUNC_* (fog 2) */
    uint8_t proj[8];    /* ps_1_1-1_3 tex t#: TEXTURETRANSFORMFLAGS PROJECTED, 0 or the
                         * component divided by (1 y, 2 z, 3 w) */
    uint8_t flat;       /* SHADEMODE_FLAT: COLOR varyings are flat */
    uint8_t clip;       /* user clip planes (clip space with a vertex shader) */
    uint8_t sprite;     /* points with POINTSPRITEENABLE: TEXCOORD inputs read gl_PointCoord */
    uint8_t guard;      /* points behind a vertex shader: x, y scaled by u_guard (guard band) */
    uint8_t srgb_out;   /* OUTPUTGAMMA 2.2: every output sRGB-encoded (gl_emit_output) */
    gl_blend_key blend; /* srgb_out with blending done by the shader (gl_blend_key) */
    gl_wrap_key wrap;   /* RS WRAPn: a geometry shader when wrap.prim */
    /* the fragment probe's variant (gl_probe.c): texkill does not discard,
     * so that its queries count a killed fragment; 0 in every draw's key
     * (it takes the struct's tail padding: the key is no larger) */
    uint8_t no_kill;
} gl_sh_key;

/* The draw's program as the fragment probe sees it (gl_probe.c): its key,
 * copied (linking a variant may empty a program cache), to bind the
 * variants the probe's queries need. */
struct gl_probe_prog {
    bool shaders;            /* sh is the key, else ff */
    gl_ff_key ff;            /* fixed function */
    gl_sh_key sh;            /* shaders */
    const gl_ff_uniforms *u; /* shaders with a fixed-function side: its uniforms */
    bool points;             /* the ranges are points (their guard band) */
};

/* Variants of the draw's program (gl_probe_use_program). */
enum {
    GL_PROBE_NO_ALPHA = 1u, /* without the alpha test (its discard) */
    GL_PROBE_NO_CLIP = 2u,  /* without the user clip planes (no gl_ClipDistance written) */
    GL_PROBE_NO_KILL = 4u   /* texkill does not discard (gl_sh_key.no_kill) */
};

/* Binds the draw's program (variant 0) or a variant of it with the
 * draw's uniforms and textures; false when it cannot be linked (nothing
 * bound then). */
bool gl_probe_use_program(gl_backend *b, const vgt_backend_draw_state *st, gl_probe_prog *pp,
                          unsigned variant);

/* Parses, validates and translates (SHADER_DEFINE); *out owned by the backend. */
vgt_status gl_shader_create(gl_backend *b, uint32_t type, const uint32_t *words, uint32_t n,
                            vgt_backend_shader **out, vgt_error *err);
/* Parses, validates and translates without a backend or a GL context
 * (gl_shader_create's work; fuzzing); *translate_ns gets the translation
 * time; *out owned by the caller (gl_shader_free). */
vgt_status gl_shader_new(uint32_t type, const uint32_t *words, uint32_t n, gl_shader **out,
                         uint64_t *translate_ns, vgt_error *err);
/* Frees a shader made by gl_shader_new (host memory only; no programs). */
void gl_shader_free(gl_shader *sh);
/* Frees a shader and every linked program using it. */
void gl_shader_release(gl_backend *b, vgt_backend_shader *sh);
/* Deletes every linked program (backend teardown). */
void gl_shader_cache_destroy(gl_backend *b);
/* Frees the cache's host memory without GL calls (the context is gone). */
void gl_shader_cache_free_host(gl_backend *b);
/* The GLSL source of key's vertex and fragment shaders (what the program
 * for key compiles), without any GL call; both malloc'd, owned by the caller. */
vgt_status gl_shader_source(const gl_sh_key *k, char **vs_src, char **fs_src, vgt_error *err);
/* The program for key (linked on first use, left bound); NULL with err filled. */
gl_sprog *gl_shader_program(gl_backend *b, const gl_sh_key *key, vgt_error *err);
/* The GL program name of a linked program. */
GLuint gl_sprog_name(const gl_sprog *p);
/* Sets the points' guard band scale (u_guard) of a bound program that has one. */
void gl_sprog_guard(const gl_sprog *p, const float scale[2]);
/* Sets texldl's terms of sampler (u_texl<sampler>: MAXMIPLEVEL, the stage's
 * LOD bias, the level used between 0 and MAXMIPLEVEL) of a bound program
 * that samples it with texldl; bind_stage (gl_draw.c) computes them. */
void gl_sprog_texl(const gl_sprog *p, uint32_t sampler, const float texl[3]);
/* Uploads the constants of both stages (defs override SET_SHADER_CONST)
 * and, with a fixed-function side, its uniforms ff (gl_ff_uniforms). */
/* Sets u_bumpm[8] (stage i's BUMPENVMAT00, 01, 10, 11: a column-major
 * mat2) and u_bumpl[8] (LSCALE, LOFFSET) of a program from st; a location
 * of -1 is skipped. */
void gl_upload_bump(GLint loc_m, GLint loc_l, const vgt_backend_draw_state *st);
void gl_shader_upload(gl_sprog *p, const vgt_backend_draw_state *st, const void *ff,
                      bool viewport_offset);
/* Vertex input v<reg>: false when not declared; else its usage and index. */
bool gl_shader_vs_input(const gl_shader *vs, uint32_t reg, uint32_t *usage, uint32_t *index);
/* The first instruction the translator does not run (ps_1_x texture-matrix
 * and bump instructions), or NULL. */
const char *gl_shader_unsupported(const gl_shader *sh);
/* The shader's version (VGT_SHADER_V(major, minor)). */
uint32_t gl_shader_version(const gl_shader *sh);
/* Samplers the pixel shader reads (bit n: s<n>). */
uint32_t gl_shader_samplers(const gl_shader *ps);
/* Whether the pixel shader has a texkill (a discard unless key.no_kill). */
bool gl_shader_kills(const gl_shader *ps);
/* Whether the pixel shader writes oDepth. */
bool gl_shader_writes_depth(const gl_shader *ps);
/* Color outputs the pixel shader writes (bit n: oC<n>; ps_1_x: 1, r0). */
uint32_t gl_shader_color_outputs(const gl_shader *ps);
/* The shader's GLSL body (tests). */
const char *gl_shader_body(const gl_shader *sh);
/* Translates a parsed shader to its GLSL body (malloc'd); for the bench. */
vgt_status gl_shader_translate(const vgt_shader *sh, char **body, vgt_error *err);

#endif
