/* gl_probe.c - the gl backend's fragment probe (vgt pixel): a pixel
 * history built from GL occlusion queries, as RenderDoc builds one on GL,
 * since the backend cannot see its fragments.
 *
 * A draw into the probed image (bound as colour target n) is drawn for
 * real first, exactly as without the probe, and the image's pixel and
 * the depth/stencil texel under it are saved (1x1 copies, before and
 * after).  The pixel and texel are then put back as they were before,
 * and the draw is replayed one primitive at a time, scissored to the
 * pixel: occlusion queries find the primitives that cover it (halving the
 * range, O(k log n) queries for k of n), each one's fate comes from
 * queries with the tests switched on one at a time in Direct3D 9's order,
 * its colour before blending from a draw with blending and the tests off,
 * and it is then drawn for real so that the next sees the buffers as the
 * real draw left them.  At the end the saved "after" copies are put back:
 * every texel is exactly what the draw alone wrote.  docs/gl.md "The
 * fragment probe" lists what it records and what it cannot know. */
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"
#include "gl_shader.h"

/* the 1x1 copies */
enum { P_COLOR_BEFORE, P_COLOR_AFTER, P_COLOR_CUR, P_DS_BEFORE, P_DS_AFTER, P_DS_CUR, P_COPIES };
_Static_assert(P_COPIES == sizeof(((gl_probe *)0)->tex) / sizeof(GLuint),
               "gl_probe.tex holds every copy");

static gl_backend *B(void *self)
{
    return (gl_backend *)self;
}

void gl_fragment_probe(void *self, const vgt_backend_view *target, uint32_t x, uint32_t y)
{
    gl_backend *b = B(self);
    gl_probe *p = &b->probe;
    p->count = 0;
    p->dropped = 0;
    p->on = false;
    if (!target || !target->surface) {
        return;
    }
    if (!p->frags) {
        p->frags = calloc(VGT_BACKEND_FRAGMENTS_MAX, sizeof(*p->frags));
        if (!p->frags) {
            return; /* out of memory: nothing recorded, the replay goes on */
        }
    }
    p->surface = target->surface;
    p->face = target->face;
    p->mip = target->mip;
    p->x = x;
    p->y = y;
    /* glCopyImageSubData (the exact 1x1 copies) and glGetTextureSubImage
     * (one texel read): GL 4.3 and 4.5, or their extensions */
    p->on = b->info.copy_image && b->info.direct_state_access;
}

uint32_t gl_fragment_take(void *self, vgt_backend_fragment *out, uint32_t cap, uint64_t *dropped)
{
    gl_probe *p = &B(self)->probe;
    return vgt_backend_fragments_move(out, cap, p->frags, &p->count, &p->dropped, dropped);
}

void gl_probe_destroy(gl_backend *b)
{
    gl_probe *p = &b->probe;
    if (p->query) {
        glDeleteQueries(1, &p->query);
    }
    if (p->fan_buf) {
        glDeleteBuffers(1, &p->fan_buf);
    }
    glDeleteTextures(P_COPIES, p->tex);
    if (p->clip_fbo) {
        glDeleteFramebuffers(1, &p->clip_fbo);
    }
    if (p->clip_depth) {
        glDeleteTextures(1, &p->clip_depth);
    }
    free(p->frags);
    memset(p, 0, sizeof(*p));
}

/* A fresh slot (NULL past the cap: counted as dropped). */
static vgt_backend_fragment *slot(gl_probe *p)
{
    if (p->count >= VGT_BACKEND_FRAGMENTS_MAX) {
        p->dropped++;
        return NULL;
    }
    vgt_backend_fragment *f = &p->frags[p->count++];
    memset(f, 0, sizeof(*f));
    f->z_unknown = true;
    return f;
}

/* The probed pixel inside image (face, mip) of s. */
static bool pixel_inside(const gl_probe *p, const gl_surface *s, uint32_t face, uint32_t mip)
{
    if (mip >= s->mips || face >= s->faces || mip >= 32) {
        return false;
    }
    uint32_t w = s->size.width >> mip, h = s->size.height >> mip;
    w = w ? w : 1;
    h = h ? h : 1;
    return p->x < w && p->y < h;
}

/* One texel of (face, mip) of s at the pixel, decoded as the format's
 * decode reads it (the SVGA layout: what soft's probe reads). */
static bool read_texel(const gl_probe *p, const gl_surface *s, float out[4])
{
    const gl_format *f = s->fmt;
    uint8_t gl[16] = {0}, svga[16] = {0};
    if (f->compressed || f->gl_bytes > sizeof(gl) || f->block_bytes > sizeof(svga) || !f->decode) {
        return false;
    }
    GLint z = s->target == GL_TEXTURE_CUBE_MAP ? (GLint)p->face : 0;
    gl_read_barrier();
    glGetTextureSubImage(s->tex, (GLint)p->mip, (GLint)p->x, (GLint)p->y, z, 1, 1, 1, f->format,
                         f->type, (GLsizei)sizeof(gl), gl);
    if (f->from_gl) {
        f->from_gl(gl, svga, 1);
    } else {
        memcpy(svga, gl, f->block_bytes);
    }
    f->decode(svga, out);
    return true;
}

/* The depth/stencil texel under the pixel: the depth as the format stores
 * it (D24: the high 24 bits of the word) and the stencil (D24S8's low
 * byte; D24X8's X byte, as soft reads it). */
static void read_ds(const gl_probe *p, const vgt_backend_view *dv, uint32_t *z, uint32_t *stencil)
{
    const gl_surface *s = (const gl_surface *)dv->surface;
    uint8_t t[4] = {0};
    GLint layer = s->target == GL_TEXTURE_CUBE_MAP ? (GLint)dv->face : 0; /* a cube's face */
    gl_read_barrier();
    glGetTextureSubImage(s->tex, (GLint)dv->mip, (GLint)p->x, (GLint)p->y, layer, 1, 1, 1,
                         s->fmt->format, s->fmt->type, (GLsizei)sizeof(t), t);
    uint32_t w = vgt_load_le32(t);
    *stencil = 0;
    if (s->fmt->svga == VGT_SVGA3D_Z_D16) {
        *z = vgt_load_le16(t);
    } else if (s->fmt->svga == VGT_SVGA3D_Z_D32) {
        *z = w;
    } else {
        *z = w >> 8;
        *stencil = w & 0xffu;
    }
}

/* The largest depth the format stores (z = z_quant / it). */
static double depth_max(const gl_surface *s)
{
    return s->fmt->svga == VGT_SVGA3D_Z_D16   ? 65535.0
           : s->fmt->svga == VGT_SVGA3D_Z_D32 ? 4294967295.0
                                              : 16777215.0;
}

/* A 1x1 texture of s's internal format (made again when it changes). */
static GLuint copy_tex(gl_probe *p, int i, const gl_surface *s)
{
    if (p->tex[i] && p->tex_fmt[i] == s->fmt->internal) {
        return p->tex[i];
    }
    if (p->tex[i]) {
        glDeleteTextures(1, &p->tex[i]);
    }
    glCreateTextures(GL_TEXTURE_2D, 1, &p->tex[i]);
    glTextureStorage2D(p->tex[i], 1, s->fmt->internal, 1, 1);
    p->tex_fmt[i] = s->fmt->internal;
    return p->tex[i];
}

/* Copies the texel at the pixel of view v into copy i (save) or back (!save). */
static void copy_texel(gl_probe *p, int i, const vgt_backend_view *v, bool save)
{
    const gl_surface *s = (const gl_surface *)v->surface;
    GLuint t = copy_tex(p, i, s);
    GLint z = s->target == GL_TEXTURE_CUBE_MAP ? (GLint)v->face : 0;
    if (save) {
        glCopyImageSubData(s->tex, s->target, (GLint)v->mip, (GLint)p->x, (GLint)p->y, z, t,
                           GL_TEXTURE_2D, 0, 0, 0, 0, 1, 1, 1);
    } else {
        glCopyImageSubData(t, GL_TEXTURE_2D, 0, 0, 0, 0, s->tex, s->target, (GLint)v->mip,
                           (GLint)p->x, (GLint)p->y, z, 1, 1, 1);
    }
}

/* The GL state the probe changes, as the draw set it. */
typedef struct saved_state {
    GLboolean scissor, depth, stencil, cull, blend[GLB_MAX_TARGETS];
    GLboolean depth_clamp, clip[6]; /* near/far clipping off; the user clip planes */
    GLint box[4], cull_mode, front_face, depth_func;
    GLboolean depth_mask, color_mask[GLB_MAX_TARGETS][4];
    GLint stencil_wm[2];
} saved_state;

static void save_state(saved_state *s)
{
    s->scissor = glIsEnabled(GL_SCISSOR_TEST);
    s->depth = glIsEnabled(GL_DEPTH_TEST);
    s->stencil = glIsEnabled(GL_STENCIL_TEST);
    s->cull = glIsEnabled(GL_CULL_FACE);
    s->depth_clamp = glIsEnabled(GL_DEPTH_CLAMP);
    for (GLenum i = 0; i < 6; i++) {
        s->clip[i] = glIsEnabled(GL_CLIP_DISTANCE0 + i);
    }
    glGetIntegerv(GL_SCISSOR_BOX, s->box);
    glGetIntegerv(GL_CULL_FACE_MODE, &s->cull_mode);
    glGetIntegerv(GL_FRONT_FACE, &s->front_face);
    glGetIntegerv(GL_DEPTH_FUNC, &s->depth_func);
    glGetBooleanv(GL_DEPTH_WRITEMASK, &s->depth_mask);
    glGetIntegerv(GL_STENCIL_WRITEMASK, &s->stencil_wm[0]);
    glGetIntegerv(GL_STENCIL_BACK_WRITEMASK, &s->stencil_wm[1]);
    for (GLuint i = 0; i < GLB_MAX_TARGETS; i++) {
        s->blend[i] = glIsEnabledi(GL_BLEND, i);
        glGetBooleani_v(GL_COLOR_WRITEMASK, i, s->color_mask[i]);
    }
}

static void set_cap(GLenum cap, bool on)
{
    if (on) {
        glEnable(cap);
    } else {
        glDisable(cap);
    }
}

static void restore_state(const saved_state *s)
{
    set_cap(GL_SCISSOR_TEST, s->scissor);
    set_cap(GL_DEPTH_TEST, s->depth);
    set_cap(GL_STENCIL_TEST, s->stencil);
    set_cap(GL_CULL_FACE, s->cull);
    set_cap(GL_DEPTH_CLAMP, s->depth_clamp);
    for (GLenum i = 0; i < 6; i++) {
        set_cap(GL_CLIP_DISTANCE0 + i, s->clip[i]);
    }
    glScissor(s->box[0], s->box[1], s->box[2], s->box[3]);
    glCullFace((GLenum)s->cull_mode);
    glFrontFace((GLenum)s->front_face);
    glDepthFunc((GLenum)s->depth_func);
    glDepthMask(s->depth_mask);
    glStencilMaskSeparate(GL_FRONT, (GLuint)s->stencil_wm[0]);
    glStencilMaskSeparate(GL_BACK, (GLuint)s->stencil_wm[1]);
    for (GLuint i = 0; i < GLB_MAX_TARGETS; i++) {
        if (s->blend[i]) {
            glEnablei(GL_BLEND, i);
        } else {
            glDisablei(GL_BLEND, i);
        }
        glColorMaski(i, s->color_mask[i][0], s->color_mask[i][1], s->color_mask[i][2],
                     s->color_mask[i][3]);
    }
}

/* probe_primitive's n when the followed image is the depth/stencil buffer */
#define NO_TARGET 0xffffffffu

/* What a probe draw of one primitive switches on (the rest off, nothing
 * written but what `color` says, scissored to the pixel). */
enum {
    T_CULL = 1u,       /* the draw's culling */
    T_STENCIL = 2u,    /* the draw's stencil test (not written) */
    T_DEPTH = 4u,      /* the draw's depth test (not written) */
    T_WRITE_RGBA = 8u, /* target n written, all channels, blending off */
    T_UNCLIPPED = 16u, /* no near/far or user plane clipping (x/y clipping stays), no
                        * alpha test, no texkill */
    T_NO_ALPHA = 32u,  /* the draw's program without the alpha test or texkill's discard */
    T_KILL = 64u       /* with T_NO_ALPHA: texkill's discard kept (its own query) */
};

/* The variants of the draw's program it has: GL_PROBE_NO_ALPHA when it
 * tests alpha, GL_PROBE_NO_CLIP when it has user clip planes,
 * GL_PROBE_NO_KILL when its pixel shader has a texkill. */
static unsigned program_variants(const gl_probe_prog *pp)
{
    bool alpha = pp->shaders ? (pp->sh.alpha_func || pp->sh.ff.alpha_func) : pp->ff.alpha_func;
    bool clip = pp->shaders ? (pp->sh.clip || pp->sh.ff.clip_planes) : pp->ff.clip_planes;
    bool kill = pp->shaders && pp->sh.ps && gl_shader_kills(pp->sh.ps);
    return (alpha ? GL_PROBE_NO_ALPHA : 0u) | (clip ? GL_PROBE_NO_CLIP : 0u) |
           (kill ? GL_PROBE_NO_KILL : 0u);
}

/* Binds variant v of the draw's program (0: the draw's own) unless bound. */
static bool use_program(gl_backend *b, unsigned v)
{
    gl_probe *p = &b->probe;
    v &= program_variants(p->pp);
    if (v == p->variant) {
        return true;
    }
    if (!gl_probe_use_program(b, p->st, p->pp, v)) {
        return false;
    }
    p->variant = v;
    return true;
}

static void probe_state(gl_backend *b, const saved_state *s, uint32_t n, uint32_t t)
{
    const gl_probe *p = &b->probe;
    /* the alpha test and texkill are discards no query sees past; the
     * user clip planes are written by the program (Mesa's draw module
     * clips by every written gl_ClipDistance when none is enabled) */
    bool shaded = (t & (T_NO_ALPHA | T_UNCLIPPED)) != 0;
    (void)use_program(b, (shaded ? GL_PROBE_NO_ALPHA : 0u) |
                             (shaded && !(t & T_KILL) ? GL_PROBE_NO_KILL : 0u) |
                             ((t & T_UNCLIPPED) ? GL_PROBE_NO_CLIP : 0u));
    glEnable(GL_SCISSOR_TEST);
    glScissor((GLint)p->x, (GLint)p->y, 1, 1);
    set_cap(GL_CULL_FACE, (t & T_CULL) && s->cull);
    set_cap(GL_STENCIL_TEST, (t & T_STENCIL) && s->stencil);
    set_cap(GL_DEPTH_TEST, (t & T_DEPTH) && s->depth);
    /* the unclipped footprint: GL_DEPTH_CLAMP switches near and far
     * clipping off, the user planes are disabled; GL still clips x and y
     * (-w <= x, y <= w), so what is behind the eye (w <= 0) stays out */
    bool unclipped = (t & T_UNCLIPPED) != 0;
    set_cap(GL_DEPTH_CLAMP, unclipped || s->depth_clamp);
    for (GLenum i = 0; i < 6; i++) {
        set_cap(GL_CLIP_DISTANCE0 + i, !unclipped && s->clip[i]);
    }
    glDepthMask(GL_FALSE);
    glStencilMask(0);
    for (GLuint i = 0; i < GLB_MAX_TARGETS; i++) {
        glDisablei(GL_BLEND, i);
        bool w = (t & T_WRITE_RGBA) && i == n;
        glColorMaski(i, w, w, w, w);
    }
}

/* The real draw's state scissored to the pixel, writing target n only
 * (another target's pixel keeps what the real draw wrote). */
static void real_state(gl_backend *b, const saved_state *s, uint32_t n)
{
    const gl_probe *p = &b->probe;
    (void)use_program(b, 0);
    restore_state(s);
    glScissor((GLint)p->x, (GLint)p->y, 1, 1);
    for (GLuint i = 0; i < GLB_MAX_TARGETS; i++) {
        if (i != n) {
            glColorMaski(i, GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
        }
    }
}

/* Primitives [lo, hi) of range r as a range of their own (the primitive
 * types gl_probe_recordable accepts). */
static vgt_backend_draw_range sub_range(const vgt_backend_draw_range *r, uint32_t lo, uint32_t hi)
{
    vgt_backend_draw_range s = *r;
    uint32_t first, count, n = hi - lo;
    switch (r->primitive_type) {
    case VGT_SVGA3D_PRIMITIVE_POINTLIST:
        first = lo;
        count = n;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINELIST:
        first = 2 * lo;
        count = 2 * n;
        break;
    case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
        first = lo;
        count = n + 1;
        break;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
        first = lo;
        count = n + 2;
        break;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
        /* a prefix of the fan (lo 0); draw_fan draws the others */
        first = 0;
        count = hi + 2;
        break;
    default: /* TRIANGLELIST */
        first = 3 * lo;
        count = 3 * n;
        break;
    }
    s.primitive_count = n;
    s.vertex_count = count;
    if (r->index_buffer) {
        s.index_offset = r->index_offset + first * r->index_width;
    } else {
        s.index_bias = r->index_bias + (int32_t)first;
    }
    return s;
}

/* The primitive types whose primitives can be drawn one at a time. */
static bool recordable_type(uint32_t t)
{
    return t == VGT_SVGA3D_PRIMITIVE_POINTLIST || t == VGT_SVGA3D_PRIMITIVE_LINELIST ||
           t == VGT_SVGA3D_PRIMITIVE_LINESTRIP || t == VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP ||
           t == VGT_SVGA3D_PRIMITIVE_TRIANGLELIST || t == VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN;
}

/* Triangles [lo, hi) (lo > 0) of fan r: they share the fan's first vertex
 * with the triangles before them, so no sub-range draws them; a fan of
 * their own does, its vertices (the first, lo + 1 .. hi + 1) as 32-bit
 * indices in the probe's buffer, each triangle the same vertices in the
 * same order (winding, provoking vertex) as in r.  Nothing is drawn when
 * memory runs out or r's indices are not all inside its buffer. */
static void draw_fan(gl_backend *b, const vgt_backend_draw_state *st,
                     const vgt_backend_draw_range *r, uint32_t lo, uint32_t hi)
{
    gl_probe *p = &b->probe;
    uint32_t n = hi - lo + 2; /* hi <= primitive_count <= 2^24: no overflow */
    if (hi + 2u > r->vertex_count) {
        return;
    }
    uint32_t *idx = malloc((size_t)n * sizeof(*idx));
    if (!idx) {
        return;
    }
    const gl_surface *ib = (const gl_surface *)r->index_buffer;
    if (ib) {
        uint32_t w = r->index_width == 2 ? 2u : 4u;
        uint64_t end = r->index_offset + (uint64_t)(hi + 2u) * w;
        uint8_t *raw = end <= r->index_buffer_bytes ? malloc((size_t)n * w) : NULL;
        if (!raw) {
            free(idx);
            return;
        }
        glGetNamedBufferSubData(ib->buf, (GLintptr)r->index_offset, (GLsizeiptr)w, raw);
        glGetNamedBufferSubData(ib->buf, (GLintptr)(r->index_offset + (uint64_t)(lo + 1u) * w),
                                (GLsizeiptr)((uint64_t)(n - 1u) * w), raw + w);
        for (uint32_t i = 0; i < n; i++) {
            idx[i] = w == 2 ? vgt_load_le16(raw + 2 * i) : vgt_load_le32(raw + 4 * i);
        }
        free(raw);
    } else {
        idx[0] = 0;
        for (uint32_t i = 1; i < n; i++) {
            idx[i] = lo + i;
        }
    }
    if (!p->fan_buf) {
        glCreateBuffers(1, &p->fan_buf);
    }
    glNamedBufferData(p->fan_buf, (GLsizeiptr)((size_t)n * sizeof(*idx)), idx, GL_STREAM_DRAW);
    free(idx);
    gl_issue_probe(b, st, r, p->fan_buf, n);
}

/* Draws primitives [lo, hi) of r, of the probed instance alone; a
 * triangle strip's odd triangle drawn alone keeps its winding (GL would
 * take it as an even one). */
static void draw_prims(gl_backend *b, const vgt_backend_draw_state *st, const saved_state *s,
                       const vgt_backend_draw_range *r, uint32_t lo, uint32_t hi)
{
    const gl_probe *p = &b->probe;
    if (r->primitive_type == VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN && lo > 0) {
        draw_fan(b, st, r, lo, hi);
        return;
    }
    vgt_backend_draw_range sr = sub_range(r, lo, hi);
    bool flip = r->primitive_type == VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP && (lo & 1u);
    if (flip) {
        glFrontFace(s->front_face == GL_CCW ? GL_CW : GL_CCW);
    }
    if (p->instances > 1) {
        gl_issue_probe(b, st, &sr, 0, 0);
    } else {
        gl_issue_plain(b, st, &sr, 1, NULL);
    }
    if (flip) {
        glFrontFace((GLenum)s->front_face);
    }
}

/* Whether primitives [lo, hi) of r pass what probe_state(t) switched on. */
static bool passes(gl_backend *b, const vgt_backend_draw_state *st, const saved_state *s,
                   const vgt_backend_draw_range *r, uint32_t lo, uint32_t hi)
{
    gl_probe *p = &b->probe;
    glBeginQuery(GL_SAMPLES_PASSED, p->query);
    draw_prims(b, st, s, r, lo, hi);
    glEndQuery(GL_SAMPLES_PASSED);
    GLuint64 v = 0;
    glGetQueryObjectui64v(p->query, GL_QUERY_RESULT, &v);
    return v != 0;
}

/* The covering primitives of [lo, hi) (known to cover together), in
 * order, into out (at most cap; *n counts all). */
static void find_covering(gl_backend *b, const vgt_backend_draw_state *st, const saved_state *s,
                          const vgt_backend_draw_range *r, uint32_t lo, uint32_t hi, uint32_t *out,
                          uint32_t cap, uint32_t *n)
{
    if (hi - lo == 1) {
        if (*n < cap) {
            out[*n] = lo;
        }
        (*n)++;
        return;
    }
    uint32_t mid = lo + (hi - lo) / 2;
    if (passes(b, st, s, r, lo, mid)) {
        find_covering(b, st, s, r, lo, mid, out, cap, n);
    }
    if (passes(b, st, s, r, mid, hi)) {
        find_covering(b, st, s, r, mid, hi, out, cap, n);
    }
}

/* The probe's own framebuffer, a 32-bit float depth texture alone, at
 * least (x + 1) x (y + 1) so that it holds the pixel (made again when
 * smaller), for what must not touch the draw's buffers: the near/far
 * query (clipped_planes) and the depth of a draw without a depth buffer
 * (own_depth); 0 when GL refuses it. */
static GLuint clip_framebuffer(gl_probe *p)
{
    uint32_t w = p->x + 1u, h = p->y + 1u;
    if (p->clip_fbo && p->clip_w >= w && p->clip_h >= h) {
        return p->clip_fbo;
    }
    if (p->clip_depth) {
        glDeleteTextures(1, &p->clip_depth);
    }
    if (!p->clip_fbo) {
        glCreateFramebuffers(1, &p->clip_fbo);
    }
    w = w > p->clip_w ? w : p->clip_w;
    h = h > p->clip_h ? h : p->clip_h;
    glCreateTextures(GL_TEXTURE_2D, 1, &p->clip_depth);
    glTextureStorage2D(p->clip_depth, 1, GL_DEPTH_COMPONENT32F, (GLsizei)w, (GLsizei)h);
    glNamedFramebufferTexture(p->clip_fbo, GL_DEPTH_ATTACHMENT, p->clip_depth, 0);
    glNamedFramebufferDrawBuffer(p->clip_fbo, GL_NONE);
    p->clip_w = w;
    p->clip_h = h;
    if (glCheckNamedFramebufferStatus(p->clip_fbo, GL_DRAW_FRAMEBUFFER) !=
        GL_FRAMEBUFFER_COMPLETE) {
        p->clip_w = p->clip_h = 0; /* tried again next time */
        return 0;
    }
    return p->clip_fbo;
}

/* A clipped primitive's planes (VGT_BACKEND_CLIP_*): those each of which
 * alone removes the pixel, as soft names them (docs/soft.md), from
 * queries with the primitive's other clipping off.  A user plane: the
 * draw's program (it writes every gl_ClipDistance; GL clips by the
 * enabled ones when one is) with that distance alone enabled and
 * GL_DEPTH_CLAMP on.  Near and far: GL_DEPTH_CLAMP off, the program
 * without gl_ClipDistance; when that removes the pixel, which of the two
 * (a point cannot be before the near plane and beyond the far one): with
 * GL_DEPTH_CLAMP on and the depth range [0, 1], the fragment's depth is 0
 * before the near plane and 1 beyond the far one, tested LESS against
 * 0.5 in a depth texture of the probe's own (the draw's buffers left
 * alone).  0 where none alone removes it (the planes only together). */
static uint32_t clipped_planes(gl_backend *b, const vgt_backend_draw_state *st,
                               const saved_state *s, const vgt_backend_draw_range *r, uint32_t k,
                               uint32_t n)
{
    gl_probe *p = &b->probe;
    uint32_t planes = 0;
    for (GLenum i = 0; i < 6; i++) {
        if (!s->clip[i]) {
            continue;
        }
        probe_state(b, s, n, T_NO_ALPHA);
        glEnable(GL_DEPTH_CLAMP);
        for (GLenum j = 0; j < 6; j++) {
            set_cap(GL_CLIP_DISTANCE0 + j, j == i);
        }
        if (!passes(b, st, s, r, k, k + 1)) {
            planes |= VGT_BACKEND_CLIP_PLANE(i);
        }
    }
    if (s->depth_clamp) {
        return planes; /* no near or far clipping */
    }
    probe_state(b, s, n, T_UNCLIPPED);
    glDisable(GL_DEPTH_CLAMP);
    if (passes(b, st, s, r, k, k + 1)) {
        return planes;
    }
    GLint draw_fbo = 0;
    GLfloat range[2] = {0.0f, 1.0f};
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fbo);
    glGetFloatv(GL_DEPTH_RANGE, range);
    GLuint fbo = clip_framebuffer(p);
    if (!fbo) {
        return planes | VGT_BACKEND_CLIP_NEAR | VGT_BACKEND_CLIP_FAR; /* not told apart */
    }
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fbo);
    glEnable(GL_DEPTH_CLAMP);
    glDepthRange(0.0, 1.0);
    glDepthMask(GL_TRUE);
    const GLfloat half = 0.5f;
    glClearNamedFramebufferfv(fbo, GL_DEPTH, 0, &half); /* the pixel (scissored) */
    glDepthMask(GL_FALSE);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    bool near = passes(b, st, s, r, k, k + 1);
    glDepthFunc((GLenum)s->depth_func);
    glDepthRange(range[0], range[1]);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)draw_fbo);
    return planes | (near ? VGT_BACKEND_CLIP_NEAR : VGT_BACKEND_CLIP_FAR);
}

/* The depth of primitive k at the pixel in a draw without a depth buffer
 * (soft knows every fragment's z): drawn with the depth test ALWAYS
 * writing depth into the probe's own 32-bit float depth texture
 * (clip_framebuffer: the draw's buffers left alone), the draw's depth
 * range and clamping kept, read back as the float GL stored; false when
 * GL refuses that framebuffer.  A shader's oDepth is what it stores (the
 * shader clamps it to [0, 1], as soft saturates it). */
static bool own_depth(gl_backend *b, const vgt_backend_draw_state *st, const saved_state *s,
                      const vgt_backend_draw_range *r, uint32_t k, uint32_t n, float *z)
{
    gl_probe *p = &b->probe;
    GLint draw_fbo = 0;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fbo);
    GLuint fbo = clip_framebuffer(p);
    if (!fbo) {
        return false;
    }
    probe_state(b, s, n, T_NO_ALPHA);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fbo);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_ALWAYS);
    glDepthMask(GL_TRUE);
    draw_prims(b, st, s, r, k, k + 1);
    glDepthMask(GL_FALSE);
    glDepthFunc((GLenum)s->depth_func);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)draw_fbo);
    float v = 0.0f;
    gl_read_barrier();
    glGetTextureSubImage(p->clip_depth, 0, (GLint)p->x, (GLint)p->y, 0, 1, 1, 1, GL_DEPTH_COMPONENT,
                         GL_FLOAT, (GLsizei)sizeof(v), &v);
    *z = v;
    return true;
}

/* Records primitive k of range ri (r) into the image bound as colour
 * target n, and draws it for real. */
static void probe_primitive(gl_backend *b, const vgt_backend_draw_state *st, const saved_state *s,
                            uint32_t ri, const vgt_backend_draw_range *r, uint32_t k, uint32_t n,
                            const vgt_backend_view *dv, bool scissored)
{
    gl_probe *p = &b->probe;
    bool depth_target = n == NO_TARGET; /* following the depth/stencil buffer dv */
    const vgt_backend_view *cv = depth_target ? NULL : &st->color_targets[n];
    const gl_surface *cs = cv ? (const gl_surface *)cv->surface : NULL;
    vgt_backend_fragment *f = slot(p);
    if (f) {
        f->range = ri;
        f->instance = p->instance;
        f->primitive = k;
        if (depth_target) {
            /* its colour goes to the colour targets, not here */
            f->depth_target = true;
            f->z_write = st->z_enable && st->z_write;
        } else {
            f->target = n;
            f->write_mask = st->color_write_mask[n];
            f->blend = st->blend_enable;
            f->shader = st->pixel_shader_id != VGT_SVGA3D_INVALID_ID;
        }
    }
    /* found unclipped (find_covering): a primitive none of whose clipped
     * pieces covers the pixel lost it to clipping (Direct3D 9's first
     * fate, before culling; soft's rule, docs/soft.md) */
    probe_state(b, s, n, T_NO_ALPHA);
    if (!passes(b, st, s, r, k, k + 1)) {
        if (f) {
            f->fate = VGT_BACKEND_FATE_CLIPPED;
            f->clip_planes = clipped_planes(b, st, s, r, k, n);
        }
        return;
    }
    if (scissored) {
        /* outside the scissor rectangle: neither shaded nor written */
        if (f) {
            f->fate = VGT_BACKEND_FATE_SCISSOR;
        }
        return;
    }
    bool tri = r->primitive_type == VGT_SVGA3D_PRIMITIVE_TRIANGLELIST ||
               r->primitive_type == VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP ||
               r->primitive_type == VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN;
    if (tri && s->cull) {
        probe_state(b, s, n, T_CULL | T_NO_ALPHA);
        if (!passes(b, st, s, r, k, k + 1)) {
            if (f) {
                bool front = st->cull_face == VGT_SVGA3D_FACE_FRONT;
                if (st->cull_face == VGT_SVGA3D_FACE_FRONT_BACK) {
                    /* both culled: the face GL_BACK alone lets through is the front */
                    glCullFace(GL_BACK);
                    front = passes(b, st, s, r, k, k + 1);
                    glCullFace((GLenum)s->cull_mode);
                }
                f->fate = front ? VGT_BACKEND_FATE_CULLED_FRONT : VGT_BACKEND_FATE_CULLED_BACK;
                f->write_mask = 0;
                f->blend = f->shader = false;
                f->target = 0;
            }
            return; /* never rasterized: nothing to draw */
        }
    }
    if (f) {
        /* shaded: a pixel shader writing oDepth gives its depth (the
         * gl_FragDepth the depth draw below stores), as soft marks it */
        const gl_probe_prog *pp = p->pp;
        f->z_written = pp->shaders && pp->sh.ps && gl_shader_writes_depth(pp->sh.ps);
    }
    /* the colour before blending: drawn with blending and the tests off
     * into the pixel, read back (as the target stores it), put back. A
     * blend the fragment shader does (sRGB writes through framebuffer
     * fetch) cannot be switched off: no colour then. */
    bool shader_blends = !depth_target && st->blend_enable && !s->blend[n];
    if (f && cv && !shader_blends) {
        copy_texel(p, P_COLOR_CUR, cv, true);
        probe_state(b, s, n, T_WRITE_RGBA | T_NO_ALPHA);
        draw_prims(b, st, s, r, k, k + 1);
        f->shaded = read_texel(p, cs, f->color);
        copy_texel(p, P_COLOR_CUR, cv, false);
    }
    if (f && dv) {
        /* the buffer's depth before it, and its own: drawn with the depth
         * test ALWAYS writing depth (GL writes none with the test off),
         * read back as the format stores it, put back */
        const gl_surface *ds = (const gl_surface *)dv->surface;
        read_ds(p, dv, &f->z_buffer, &f->stencil_before);
        f->stencil_after = f->stencil_before;
        copy_texel(p, P_DS_CUR, dv, true);
        probe_state(b, s, n, T_NO_ALPHA);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_ALWAYS);
        glDepthMask(GL_TRUE);
        draw_prims(b, st, s, r, k, k + 1);
        uint32_t unused;
        read_ds(p, dv, &f->z_quant, &unused);
        glDepthFunc((GLenum)s->depth_func);
        copy_texel(p, P_DS_CUR, dv, false);
        /* its depth is known (drawn above); a comparison with the buffer
         * only when the draw tests depth or stencil (GL, as soft, leaves
         * the buffer alone otherwise) */
        f->has_depth = st->z_enable || st->stencil_enable;
        f->z = (float)((double)f->z_quant / depth_max(ds));
        f->z_unknown = false;
    } else if (f) {
        /* no depth buffer: its depth from the probe's own, no comparison
         * (has_depth false, as soft: none is made) */
        f->z_unknown = !own_depth(b, st, s, r, k, n, &f->z);
    }
    /* the stencil ops of a two-sided test are the triangle's facing's: a
     * triangle GL_BACK culling lets through is a front face */
    bool cw = true;
    if (f && s->stencil && st->stencil_two_sided && tri) {
        probe_state(b, s, n, T_NO_ALPHA);
        glEnable(GL_CULL_FACE);
        glCullFace(GL_BACK);
        bool front = passes(b, st, s, r, k, k + 1);
        cw = front == (st->front_winding != VGT_SVGA3D_FRONTWINDING_CCW);
    }
    vgt_backend_fate fate = VGT_BACKEND_FATE_WRITTEN;
    unsigned vars = program_variants(p->pp);
    if (vars & GL_PROBE_NO_KILL) {
        /* texkill, before the alpha test (Direct3D 9's order, soft's):
         * the draw's program with its discard, without the alpha test */
        probe_state(b, s, n, T_NO_ALPHA | T_KILL);
        if (!passes(b, st, s, r, k, k + 1)) {
            fate = VGT_BACKEND_FATE_TEXKILL;
        }
    }
    if (fate == VGT_BACKEND_FATE_WRITTEN && (vars & GL_PROBE_NO_ALPHA)) {
        /* the alpha test, before the stencil test (Direct3D 9's order) */
        probe_state(b, s, n, 0);
        if (!passes(b, st, s, r, k, k + 1)) {
            fate = VGT_BACKEND_FATE_ALPHA;
        }
    }
    if (fate == VGT_BACKEND_FATE_WRITTEN && s->stencil) {
        probe_state(b, s, n, T_STENCIL);
        if (!passes(b, st, s, r, k, k + 1)) {
            fate = VGT_BACKEND_FATE_STENCIL;
        }
    }
    if (fate == VGT_BACKEND_FATE_WRITTEN && s->depth) {
        probe_state(b, s, n, T_STENCIL | T_DEPTH);
        if (!passes(b, st, s, r, k, k + 1)) {
            fate = VGT_BACKEND_FATE_DEPTH;
        }
    }
    if (depth_target) {
        fate = fate == VGT_BACKEND_FATE_WRITTEN ? VGT_BACKEND_FATE_PASSED : fate;
    } else if (fate == VGT_BACKEND_FATE_WRITTEN && !s->color_mask[n][0] && !s->color_mask[n][1] &&
               !s->color_mask[n][2] && !s->color_mask[n][3]) {
        fate = VGT_BACKEND_FATE_MASKED;
    }
    /* for real: the stencil ops and depth writes of a rejected fragment too */
    real_state(b, s, n);
    draw_prims(b, st, s, r, k, k + 1);
    if (f) {
        f->fate = fate;
        /* discarded before the depth and stencil tests */
        bool discarded = fate == VGT_BACKEND_FATE_ALPHA || fate == VGT_BACKEND_FATE_TEXKILL;
        if (discarded) {
            f->has_depth = false; /* its z is known, but never tested (as soft) */
        }
        if (s->stencil && !discarded) {
            /* (a discarded fragment never reaches the stencil test) */
            f->stencil_path = fate == VGT_BACKEND_FATE_STENCIL ? 1u
                              : fate == VGT_BACKEND_FATE_DEPTH ? 2u
                                                               : 3u;
            f->stencil_op = f->stencil_path == 1u ? (cw ? st->stencil_fail : st->ccw_stencil_fail)
                            : f->stencil_path == 2u
                                ? (cw ? st->stencil_zfail : st->ccw_stencil_zfail)
                                : (cw ? st->stencil_pass : st->ccw_stencil_pass);
        }
        if (dv) {
            read_ds(p, dv, &f->z_after, &f->stencil_after);
        }
        if (fate == VGT_BACKEND_FATE_WRITTEN && cs) {
            f->has_after = read_texel(p, cs, f->after);
        }
    }
}

/* The colour target slot the probed image is bound at, or -1. */
static int probed_slot(const gl_probe *p, const vgt_backend_draw_state *st)
{
    for (uint32_t i = 0; i < st->color_target_count && i < GLB_MAX_TARGETS; i++) {
        const vgt_backend_view *v = &st->color_targets[i];
        if (v->surface == p->surface && v->face == p->face && v->mip == p->mip) {
            return (int)i;
        }
    }
    return -1;
}

/* The number of range c, a copy gl_draw made: a draw with the vertex
 * stream frequency issues each of its ranges alone, in order, as a copy
 * (a divided one from vertex 0 of attributes moved to its first vertex:
 * index_bias 0), so c is the first range after those already matched
 * that it equals (its first vertex aside when divided); ranges skipped
 * (no vertices) match no copy.  False when none does. */
static bool copy_range(gl_probe *p, uint64_t draw, const vgt_backend_draw_range *c, uint32_t *ri)
{
    if (p->copy_draw != draw) {
        p->copy_draw = draw;
        p->copy_next = 0;
    }
    for (uint32_t i = p->copy_next; i < p->nranges; i++) {
        const vgt_backend_draw_range *r = &p->ranges[i];
        if (r->primitive_type == c->primitive_type && r->primitive_count == c->primitive_count &&
            r->vertex_count == c->vertex_count && r->index_buffer == c->index_buffer &&
            r->index_offset == c->index_offset && r->index_width == c->index_width &&
            r->stream_frequency == c->stream_frequency &&
            (c->stream_frequency || r->index_bias == c->index_bias)) {
            p->copy_next = i + 1;
            *ri = i;
            return true;
        }
    }
    return false;
}

void gl_probe_draw(gl_backend *b, const vgt_backend_draw_state *st,
                   const vgt_backend_draw_range *ranges, uint32_t count,
                   vgt_backend_draw_stats *stats, gl_probe_prog *pp)
{
    gl_probe *p = &b->probe;
    int slot_n = probed_slot(p, st);
    const vgt_backend_view *dv = st->depth_target.surface     ? &st->depth_target
                                 : st->stencil_target.surface ? &st->stencil_target
                                                              : NULL;
    const gl_surface *ds = dv ? (const gl_surface *)dv->surface : NULL;
    /* a 2D depth/stencil buffer or a cube's face (the 1x1 copies and
     * reads take the face as z); the backend makes no 3D one */
    if (ds && (!pixel_inside(p, ds, dv->face, dv->mip) ||
               (ds->target != GL_TEXTURE_2D && ds->target != GL_TEXTURE_CUBE_MAP))) {
        dv = NULL;
        ds = NULL;
    }
    /* the followed image: a colour target, or else the depth/stencil
     * buffer (n NO_TARGET), listed only when the draw tests depth or
     * stencil there (one that tests neither leaves it alone, as soft) */
    uint32_t n = slot_n >= 0 ? (uint32_t)slot_n : NO_TARGET;
    const vgt_backend_view *cv = slot_n >= 0 ? &st->color_targets[slot_n] : NULL;
    const gl_surface *cs = cv ? (const gl_surface *)cv->surface : NULL;
    bool follow_ds = !cv && ds && ds == p->surface && dv->face == p->face && dv->mip == p->mip &&
                     (glIsEnabled(GL_DEPTH_TEST) || glIsEnabled(GL_STENCIL_TEST));
    /* the range numbers are the DRAW_PRIMITIVES' (gl_draw gave its ranges,
     * or, in a draw with the vertex stream frequency, a copy of one) */
    bool ours = ranges >= p->ranges && ranges + count <= p->ranges + p->nranges;
    uint32_t base = ours ? (uint32_t)(ranges - p->ranges) : 0;
    if (!ours && count == 1) {
        ours = copy_range(p, b->n.draws, ranges, &base);
    }
    if ((!follow_ds && (!cs || !pixel_inside(p, cs, p->face, p->mip) ||
                        (cs->target != GL_TEXTURE_2D && cs->target != GL_TEXTURE_CUBE_MAP))) ||
        !ours) {
        gl_issue_plain(b, st, ranges, count, stats);
        return;
    }
    /* 1: the pixel (and the texel under it) before, the real draw, after */
    if (cv) {
        copy_texel(p, P_COLOR_BEFORE, cv, true);
    }
    if (dv) {
        copy_texel(p, P_DS_BEFORE, dv, true);
    }
    gl_issue_plain(b, st, ranges, count, stats);
    if (cv) {
        copy_texel(p, P_COLOR_AFTER, cv, true);
    }
    if (dv) {
        copy_texel(p, P_DS_AFTER, dv, true);
    }
    /* 2: a guest occlusion query would count the probe's draws: paused,
     * what it counted so far carried over to its end (gl_query_end) */
    gl_query *gq = b->active_query;
    if (gq) {
        glEndQuery(GL_SAMPLES_PASSED);
        GLuint64 v = 0;
        glGetQueryObjectui64v(gq->q, GL_QUERY_RESULT, &v);
        gq->carry += v;
    }
    if (!p->query) {
        glGenQueries(1, &p->query);
    }
    if (cv) {
        copy_texel(p, P_COLOR_BEFORE, cv, false);
    }
    if (dv) {
        copy_texel(p, P_DS_BEFORE, dv, false);
    }
    saved_state s;
    save_state(&s);
    /* the program variants the queries use (without the alpha test, and
     * without the user clip planes), linked first: a draw whose variant GL
     * refuses is not recorded */
    p->pp = pp;
    p->st = st;
    p->variant = 0;
    p->instance = 0;
    p->instances = st->instance_count > 1 ? st->instance_count : 1;
    unsigned vars = program_variants(pp);
    bool linked = use_program(b, vars) &&
                  use_program(b, vars & (GL_PROBE_NO_ALPHA | GL_PROBE_NO_KILL)) &&
                  use_program(b, vars & GL_PROBE_NO_ALPHA) && use_program(b, 0);
    /* the scissor box is the draw's viewport and scissor rectangle: a pixel
     * outside the viewport is never rasterized, one inside it but outside
     * the scissor rectangle lists its covering primitives as scissored */
    bool in_box = (int64_t)p->x >= s.box[0] && (int64_t)p->x < (int64_t)s.box[0] + s.box[2] &&
                  (int64_t)p->y >= s.box[1] && (int64_t)p->y < (int64_t)s.box[1] + s.box[3];
    bool in_viewport = (int64_t)p->x >= st->viewport.x &&
                       (int64_t)p->x < (int64_t)st->viewport.x + st->viewport.w &&
                       (int64_t)p->y >= st->viewport.y &&
                       (int64_t)p->y < (int64_t)st->viewport.y + st->viewport.h;
    uint32_t *prims = NULL;
    for (uint32_t i = 0; i < count && linked && in_viewport && (in_box || st->scissor_enable);
         i++) {
        const vgt_backend_draw_range *r = &ranges[i];
        if (r->vertex_count == 0 || r->primitive_count == 0 ||
            !recordable_type(r->primitive_type)) {
            continue;
        }
        if (!prims) {
            prims = malloc(VGT_BACKEND_FRAGMENTS_MAX * sizeof(*prims));
            if (!prims) {
                break; /* out of memory: nothing more recorded */
            }
        }
        /* each instance in turn (as GL and soft draw them), its
         * instance data where instance 0's is read */
        for (p->instance = 0; p->instance < p->instances; p->instance++) {
            if (p->instances > 1) {
                gl_probe_instance_attribs(b, p->instance);
            }
            /* the primitives whose unclipped footprint covers the pixel, no
             * test or culling on (probe_primitive tells the clipped ones) */
            probe_state(b, &s, n, T_UNCLIPPED);
            uint32_t found = 0;
            if (passes(b, st, &s, r, 0, r->primitive_count)) {
                find_covering(b, st, &s, r, 0, r->primitive_count, prims, VGT_BACKEND_FRAGMENTS_MAX,
                              &found);
            }
            uint32_t kept = found < VGT_BACKEND_FRAGMENTS_MAX ? found : VGT_BACKEND_FRAGMENTS_MAX;
            for (uint32_t j = 0; j < kept; j++) {
                probe_primitive(b, st, &s, base + (uint32_t)(r - ranges), r, prims[j], n, dv,
                                !in_box);
            }
            p->dropped += found - kept;
        }
    }
    if (p->instances > 1) {
        gl_probe_instance_attribs(b, 0); /* as the draw set them */
    }
    p->instance = 0;
    free(prims);
    (void)use_program(b, 0);
    restore_state(&s);
    /* 3: exactly what the real draw left */
    if (cv) {
        copy_texel(p, P_COLOR_AFTER, cv, false);
    }
    if (dv) {
        copy_texel(p, P_DS_AFTER, dv, false);
    }
    if (gq) {
        glBeginQuery(GL_SAMPLES_PASSED, gq->q);
    }
}

/* Whether a CLEAR's rects (none: the whole image) cover the pixel. */
static bool covers(const gl_probe *p, const vgt_svga3d_rect *rects, uint32_t count)
{
    bool covered = count == 0;
    for (uint32_t k = 0; k < count && !covered; k++) {
        const vgt_svga3d_rect *r = &rects[k];
        covered = p->x >= r->x && (uint64_t)p->x < (uint64_t)r->x + r->w && p->y >= r->y &&
                  (uint64_t)p->y < (uint64_t)r->y + r->h;
    }
    return covered;
}

void gl_probe_clear(gl_backend *b, const vgt_backend_draw_state *t, uint32_t flags, uint32_t color,
                    const vgt_svga3d_rect *rects, uint32_t count)
{
    gl_probe *p = &b->probe;
    const vgt_backend_view *dv = t->depth_target.surface ? &t->depth_target : &t->stencil_target;
    const gl_surface *ds = (const gl_surface *)dv->surface;
    uint32_t zs =
        flags & (VGT_SVGA3D_CLEAR_DEPTH | (ds && ds->fmt->stencil ? VGT_SVGA3D_CLEAR_STENCIL : 0u));
    if (zs && ds && ds == p->surface && dv->face == p->face && dv->mip == p->mip &&
        pixel_inside(p, ds, dv->face, dv->mip) && covers(p, rects, count)) {
        vgt_backend_fragment *f = slot(p);
        if (f) {
            /* what it wrote there, as the buffer stores it */
            f->z_unknown = false;
            f->fate = VGT_BACKEND_FATE_CLEARED;
            f->clear_flags = zs;
            uint32_t z, stencil;
            read_ds(p, dv, &z, &stencil);
            if (zs & VGT_SVGA3D_CLEAR_DEPTH) {
                f->z_quant = z;
                f->z = (float)((double)z / depth_max(ds));
            }
            if (zs & VGT_SVGA3D_CLEAR_STENCIL) {
                f->stencil_after = stencil;
            }
        }
        return;
    }
    if (!(flags & VGT_SVGA3D_CLEAR_COLOR)) {
        return;
    }
    for (uint32_t i = 0; i < t->color_target_count; i++) {
        const vgt_backend_view *v = &t->color_targets[i];
        const gl_surface *s = (const gl_surface *)v->surface;
        if (!s || s != p->surface || v->face != p->face || v->mip != p->mip ||
            !pixel_inside(p, s, p->face, p->mip)) {
            continue;
        }
        vgt_backend_fragment *f = covers(p, rects, count) ? slot(p) : NULL;
        if (!f) {
            return;
        }
        f->z_unknown = false;
        f->fate = VGT_BACKEND_FATE_CLEARED;
        f->clear_flags = VGT_SVGA3D_CLEAR_COLOR;
        gl_d3dcolor(color, f->color);
        f->shaded = true;
        f->has_after = read_texel(p, s, f->after);
        return;
    }
}
