/* gl_wrap.c - RS WRAPn (Direct3D 9's cylindrical texture wrapping) on GL:
 * a geometry shader, inserted only when a wrap bit applies to a texture
 * coordinate the program interpolates, applies the soft renderer's rule
 * (Gallium softpipe's, docs/soft.md "Cylindrical wrapping") to the wrapped
 * components of each triangle or line and passes everything else through.
 *
 * It works on the generated vertex shader's text: every top-level
 * `[flat ]out vec4|float NAME;` is a varying.  The vertex shader's varyings
 * are renamed gsin_NAME (GLSL 3.30 matches stages by name, and the geometry
 * shader's input and output of one varying cannot share it); the geometry
 * shader reads gsin_NAME[] and writes NAME with the same qualifiers, so the
 * fragment shader is unchanged.  gl_Position, gl_PointSize (point fill of
 * triangles) and gl_ClipDistance (user clip planes) are copied when the
 * vertex shader writes them.  In front of a pixel shader the geometry shader
 * also writes v_pt<n>, pixel shader input TEXCOORDn's own wrapped copy of the
 * set it reads (gl_wrap_key.pt_set), which the fragment shader reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"

#define WRAP_MAX_VARYINGS 48

typedef struct varying {
    char name[32];
    bool flat, vec4;
    uint8_t mask; /* components to wrap (bit 0 x .. 3 w) */
} varying;

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The wrap mask of a varying by its name (gl_ffp.c's and gl_shader.c's
 * names): v_tc<n> is coordinate set n, v_st<i> stage i's own coordinate,
 * vy_5_<n> TEXCOORDn (VGT_SUSAGE_TEXCOORD = 5) between translated shaders. */
static uint8_t mask_of(const gl_wrap_key *w, const char *name)
{
    char *end = NULL;
    unsigned long n;
    if (strncmp(name, "v_tc", 4) == 0) {
        n = strtoul(name + 4, &end, 10);
        return end != name + 4 && !*end && n < 8 ? w->tc[n] : 0;
    }
    if (strncmp(name, "v_st", 4) == 0) {
        n = strtoul(name + 4, &end, 10);
        return end != name + 4 && !*end && n < 8 ? w->st[n] : 0;
    }
    if (strncmp(name, "vy_5_", 5) == 0) {
        n = strtoul(name + 5, &end, 10);
        return end != name + 5 && !*end && n < 16 ? w->vy[n] : 0;
    }
    return 0;
}

/* The varyings the vertex shader declares (at most WRAP_MAX_VARYINGS). */
static uint32_t find_varyings(const gl_wrap_key *w, const char *vs, varying *v)
{
    uint32_t n = 0;
    for (const char *line = vs; line && *line && n < WRAP_MAX_VARYINGS;) {
        const char *p = line;
        bool flat = strncmp(p, "flat ", 5) == 0;
        p += flat ? 5 : 0;
        if (strncmp(p, "out ", 4) == 0) {
            p += 4;
            bool vec4 = strncmp(p, "vec4 ", 5) == 0;
            if (vec4 || strncmp(p, "float ", 6) == 0) {
                p += vec4 ? 5 : 6;
                size_t len = 0;
                while (is_ident(p[len])) {
                    len++;
                }
                if (len && len < sizeof(v[n].name) && p[len] == ';' && strncmp(p, "gl_", 3) != 0) {
                    memcpy(v[n].name, p, len);
                    v[n].name[len] = '\0';
                    v[n].flat = flat;
                    v[n].vec4 = vec4;
                    v[n].mask = vec4 && !flat ? mask_of(w, v[n].name) & 0xfu : 0;
                    n++;
                }
            }
        }
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return n;
}

/* vs with every varying name (whole identifiers) prefixed by gsin_. */
static void rename_varyings(gl_sb *s, const char *vs, const varying *v, uint32_t n)
{
    const char *p = vs;
    while (*p) {
        if (!is_ident(*p)) {
            gl_sb_add(s, "%c", *p++);
            continue;
        }
        size_t len = 0;
        while (is_ident(p[len])) {
            len++;
        }
        bool hit = false;
        for (uint32_t i = 0; i < n && !hit; i++) {
            hit = strlen(v[i].name) == len && memcmp(v[i].name, p, len) == 0;
        }
        gl_sb_add(s, "%s%.*s", hit ? "gsin_" : "", (int)len, p);
        p += len;
    }
}

vgt_status gl_wrap_sources(const gl_wrap_key *w, char **vs_src, char **gs_src, vgt_error *err)
{
    *gs_src = NULL;
    if (!w->prim) {
        return VGT_OK;
    }
    varying v[WRAP_MAX_VARYINGS];
    uint32_t n = find_varyings(w, *vs_src, v);
    bool wanted = false; /* a wrap bit applies to a varying the shader writes */
    for (uint32_t i = 0; i < n; i++) {
        wanted |= v[i].mask != 0;
    }
    /* a pixel shader's own copies (v_pt<k>): the fragment shader reads them,
     * so the geometry shader is there whenever one is asked for; each reads
     * the vertex shader's v_tc<set> (src[k]: its index in v) */
    uint32_t src[8];
    for (uint32_t k = 0; k < 8; k++) {
        src[k] = n;
        if (!w->pt_set[k]) {
            continue;
        }
        char name[16];
        snprintf(name, sizeof(name), "v_tc%u", (unsigned)(w->pt_set[k] - 1u));
        for (uint32_t i = 0; i < n && src[k] == n; i++) {
            if (strcmp(v[i].name, name) == 0 && v[i].vec4 && !v[i].flat) {
                src[k] = i;
            }
        }
        if (src[k] == n) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "gl backend: RS WRAP%u: the fixed-function vertex shader does "
                                 "not write %s, which TEXCOORD%u reads",
                                 k, name, k);
        }
        wanted = true;
    }
    if (!wanted) {
        return VGT_OK;
    }
    bool tri = w->prim == 1;
    uint32_t nv = tri ? 3 : 2;
    bool psize = strstr(*vs_src, "gl_PointSize") != NULL;
    bool clip = strstr(*vs_src, "gl_ClipDistance") != NULL;
    gl_sb vs = {0}, gs = {0};
    rename_varyings(&vs, *vs_src, v, n);
    gl_sb_add(&gs, "#version 330 core\nlayout(%s) in;\nlayout(%s, max_vertices = %u) out;\n",
              tri ? "triangles" : "lines", tri ? "triangle_strip" : "line_strip", nv);
    if (clip) {
        gl_sb_add(&gs, "out float gl_ClipDistance[6];\n");
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *q = v[i].flat ? "flat " : "", *t = v[i].vec4 ? "vec4" : "float";
        gl_sb_add(&gs, "%sin %s gsin_%s[];\n%sout %s %s;\n", q, t, v[i].name, q, t, v[i].name);
    }
    for (uint32_t k = 0; k < 8; k++) {
        if (src[k] < n) {
            gl_sb_add(&gs, "out vec4 v_pt%u;\n", k);
        }
    }
    /* softpipe's edge rule: the coordinate more than half a turn behind
     * moves one turn forward */
    gl_sb_add(&gs, "void wrap_edge(inout float a, inout float b) {\n"
                   "    float d = b - a;\n"
                   "    if (d > 0.5) a += 1.0; else if (d < -0.5) b += 1.0;\n}\n"
                   "void main() {\n");
    for (uint32_t i = 0; i < n; i++) {
        if (!v[i].mask) {
            continue;
        }
        gl_sb_add(&gs,
                  "    vec4 w_%s[%u];\n    for (int j = 0; j < %u; j++) w_%s[j] = gsin_%s[j];\n",
                  v[i].name, nv, nv, v[i].name, v[i].name);
        for (int c = 0; c < 4; c++) {
            if (!(v[i].mask & (1u << c))) {
                continue;
            }
            /* edges v0-v1, v1-v2, v2-v0 in that order (a line: its one edge) */
            for (uint32_t e = 0; e < (tri ? 3u : 1u); e++) {
                gl_sb_add(&gs, "    wrap_edge(w_%s[%u].%c, w_%s[%u].%c);\n", v[i].name, e,
                          "xyzw"[c], v[i].name, (e + 1) % nv, "xyzw"[c]);
            }
        }
    }
    for (uint32_t k = 0; k < 8; k++) {
        if (src[k] == n) {
            continue;
        }
        const char *from = v[src[k]].name;
        gl_sb_add(&gs,
                  "    vec4 p_%u[%u];\n    for (int j = 0; j < %u; j++) p_%u[j] = gsin_%s[j];\n", k,
                  nv, nv, k, from);
        for (int c = 0; c < 4; c++) {
            for (uint32_t e = 0; e < (tri ? 3u : 1u) && (w->pt[k] & (1u << c)); e++) {
                gl_sb_add(&gs, "    wrap_edge(p_%u[%u].%c, p_%u[%u].%c);\n", k, e, "xyzw"[c], k,
                          (e + 1) % nv, "xyzw"[c]);
            }
        }
    }
    gl_sb_add(&gs,
              "    for (int j = 0; j < %u; j++) {\n        gl_Position = gl_in[j].gl_Position;\n",
              nv);
    if (psize) {
        gl_sb_add(&gs, "        gl_PointSize = gl_in[j].gl_PointSize;\n");
    }
    for (int k = 0; clip && k < 6; k++) {
        /* constant indices: the input array is unsized */
        gl_sb_add(&gs, "        gl_ClipDistance[%d] = gl_in[j].gl_ClipDistance[%d];\n", k, k);
    }
    for (uint32_t i = 0; i < n; i++) {
        gl_sb_add(&gs, "        %s = %s%s[j];\n", v[i].name, v[i].mask ? "w_" : "gsin_", v[i].name);
    }
    for (uint32_t k = 0; k < 8; k++) {
        if (src[k] < n) {
            gl_sb_add(&gs, "        v_pt%u = p_%u[j];\n", k, k);
        }
    }
    gl_sb_add(&gs, "        EmitVertex();\n    }\n    EndPrimitive();\n}\n");
    if (vs.oom || gs.oom) {
        free(vs.p);
        free(gs.p);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory generating GLSL");
    }
    free(*vs_src);
    *vs_src = vs.p;
    *gs_src = gs.p;
    return VGT_OK;
}
