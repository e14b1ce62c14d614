/* gl_clear.c - CLEAR: the union of the rect list (vgt_rect_union_boxes,
 * disjoint rectangles) cleared once per image, whatever the overlaps.  A
 * few rectangles, and every large one (GLB_CLEAR_SCISSOR_AREA pixels or
 * more), get a scissored glClear each; from GLB_CLEAR_DRAW_MIN small ones
 * on, those are drawn as instanced quads by a program that writes the clear
 * colour and, through gl_FragDepth and stencil REPLACE, the depth and
 * stencil: one draw call per GLB_CLEAR_BATCH rectangles instead of a
 * glClear each (a scissored glClear costs llvmpipe a pass over the target's
 * tiles: 100 rects one pixel short of an 8192x8192 target took 1.8 s).
 * Render targets are stored top row first (docs/gl.md): a Direct3D row is
 * the GL window row with the same number, so rects are used unchanged.
 * A volume's level bound as a colour target is cleared in every slice, as
 * soft does: the image (sid, face, mip) is the whole level (docs/gl.md). */
#include <string.h>

#include "gl_internal.h"

/* What one image's clear writes. */
typedef struct clear_job {
    gl_backend *b;
    uint32_t w, h;
    bool color, depth, stencil;
    float rgba[4], z;
    GLint stencil_ref;
    bool drawing;    /* the quads' program and state are set */
    uint32_t queued; /* rectangles in b->clear_batch */
    uint64_t rects;  /* rectangles of the union so far */
    uint64_t small;  /* those of them below GLB_CLEAR_SCISSOR_AREA */
    uint8_t *mask;   /* b->clear_mask once the rest is drawn through it */
    /* a volume's level at COLOR0: its slices, the texture and level */
    uint32_t slices; /* 1: the image as bound */
    GLuint tex;
    GLint mip;
} clear_job;

static const char clear_vs[] =
    "#version 330 core\n"
    "layout(location = 0) in uvec4 box; /* x0, y0, x1, y1 in pixels */\n"
    "uniform vec2 size;\n"
    "void main() {\n"
    "    int i = gl_VertexID;\n"
    "    vec2 p = vec2((i & 1) != 0 ? box.z : box.x, (i & 2) != 0 ? box.w : box.y);\n"
    "    gl_Position = vec4(p / size * 2.0 - 1.0, 0.0, 1.0);\n"
    "}\n";

/* masked: one quad over the image, the pixels whose mask byte is 0 left */
static const char clear_fs[] =
    "#version 330 core\n"
    "uniform vec4 color;\n"
    "uniform float depth;\n"
    "uniform bool masked;\n"
    "uniform sampler2D mask;\n"
    "layout(location = 0) out vec4 o;\n"
    "void main() {\n"
    "    if (masked && texelFetch(mask, ivec2(gl_FragCoord.xy), 0).r == 0.0) {\n"
    "        discard;\n"
    "    }\n"
    "    o = color;\n"
    "    gl_FragDepth = depth;\n"
    "}\n";

/* The quads' program, vertex array and buffer, made at the first CLEAR
 * that draws; false when the program does not compile (then every
 * rectangle gets a scissored glClear, as before the quads). */
static bool clear_program(gl_backend *b)
{
    if (b->clear_prog || b->clear_prog_failed) {
        return b->clear_prog != 0;
    }
    char log[GLB_ERROR_TEXT] = "";
    GLuint prog = gl_link_program(clear_vs, NULL, clear_fs, log, sizeof(log));
    if (!prog) {
        b->clear_prog_failed = true;
        return false;
    }
    b->clear_prog = prog;
    b->clear_size_loc = glGetUniformLocation(prog, "size");
    b->clear_color_loc = glGetUniformLocation(prog, "color");
    b->clear_depth_loc = glGetUniformLocation(prog, "depth");
    b->clear_masked_loc = glGetUniformLocation(prog, "masked");
    glUseProgram(prog);
    glUniform1i(glGetUniformLocation(prog, "mask"), 0); /* texture unit 0 */
    glUseProgram(b->sc.program);
    glGenVertexArrays(1, &b->clear_vao);
    glGenBuffers(1, &b->clear_buf);
    glBindVertexArray(b->clear_vao);
    glBindBuffer(GL_ARRAY_BUFFER, b->clear_buf);
    glEnableVertexAttribArray(0);
    glVertexAttribIPointer(0, 4, GL_UNSIGNED_INT, sizeof(vgt_pixel_box), NULL);
    glVertexAttribDivisor(0, 1);
    glBindVertexArray(b->vao);
    return true;
}

/* The state of the quads: every pixel they cover written as glClear would
 * (all channels, no blending, depth ALWAYS and written, stencil REPLACE
 * with all bits); the state cache was invalidated by the CLEAR, so the next
 * draw sets its own again. */
static void begin_drawing(clear_job *j)
{
    gl_backend *b = j->b;
    glUseProgram(b->clear_prog);
    b->sc.program = b->clear_prog;
    glUniform2f(b->clear_size_loc, (float)j->w, (float)j->h);
    glUniform4fv(b->clear_color_loc, 1, j->rgba);
    glUniform1f(b->clear_depth_loc, j->z);
    glUniform1i(b->clear_masked_loc, 0);
    glBindVertexArray(b->clear_vao);
    glBindBuffer(GL_ARRAY_BUFFER, b->clear_buf);
    glViewport(0, 0, (GLsizei)j->w, (GLsizei)j->h);
    glDepthRange(0.0, 1.0);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    glDisable(GL_POLYGON_OFFSET_FILL);
    glDisable(GL_DEPTH_CLAMP);
    glPolygonMode(GL_FRONT_AND_BACK, GL_FILL);
    for (GLenum i = 0; i < 6; i++) {
        glDisable(GL_CLIP_DISTANCE0 + i);
    }
    if (j->depth) {
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_ALWAYS);
    } else {
        glDisable(GL_DEPTH_TEST);
    }
    if (j->stencil) {
        glEnable(GL_STENCIL_TEST);
        glStencilFunc(GL_ALWAYS, j->stencil_ref, 0xff);
        glStencilOp(GL_REPLACE, GL_REPLACE, GL_REPLACE);
    } else {
        glDisable(GL_STENCIL_TEST);
    }
    j->drawing = true;
}

static void end_drawing(clear_job *j)
{
    gl_backend *b = j->b;
    glBindVertexArray(b->vao);
    glEnable(GL_SCISSOR_TEST); /* as the scissored clears leave it */
    j->drawing = false;
}

/* One rectangle by a scissored glClear (the scissor test is on unless
 * the quads are being drawn, and they are drawn after every glClear). */
static void scissored_clear(clear_job *j, const vgt_pixel_box *r)
{
    glScissor((GLint)r->x0, (GLint)r->y0, (GLsizei)(r->x1 - r->x0), (GLsizei)(r->y1 - r->y0));
    if (j->color) {
        glClearBufferfv(GL_COLOR, 0, j->rgba);
    } else if (j->depth && j->stencil) {
        glClearBufferfi(GL_DEPTH_STENCIL, 0, j->z, j->stencil_ref);
    } else if (j->depth) {
        glClearBufferfv(GL_DEPTH, 0, &j->z);
    } else {
        glClearBufferiv(GL_STENCIL, 0, &j->stencil_ref);
    }
    j->b->n.clear_scissored++;
}

/* Clears the queued (small) rectangles: drawn once the image's union has
 * had the threshold's small rectangles, else a scissored glClear each. */
static void flush(clear_job *j)
{
    gl_backend *b = j->b;
    uint32_t n = j->queued;
    j->queued = 0;
    if (n == 0) {
        return;
    }
    uint32_t min = b->opt.clear_draw_min ? b->opt.clear_draw_min : GLB_CLEAR_DRAW_MIN;
    if (j->drawing || (j->small >= min && clear_program(b))) {
        if (!j->drawing) {
            begin_drawing(j);
        }
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(n * sizeof(vgt_pixel_box)), b->clear_batch,
                     GL_STREAM_DRAW);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, (GLsizei)n);
        b->n.clear_draw_calls++;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        scissored_clear(j, &b->clear_batch[i]);
    }
}

/* The small rectangles past the first GLB_CLEAR_MASK_MIN go into a byte
 * mask of the image instead of quads: a grid of one-pixel bars is 16.7
 * million rectangles on an 8192x8192 target, 0.4 us of llvmpipe each as
 * quads (27 s for COLOR, DEPTH and STENCIL); the mask costs a byte a pixel
 * written once, uploaded, and one quad (2.2 s). No memory for it: quads
 * on. */
static void start_mask(clear_job *j)
{
    gl_backend *b = j->b;
    if (j->small < GLB_CLEAR_MASK_MIN) {
        return;
    }
    size_t bytes = (size_t)j->w * j->h;
    if (bytes > b->clear_mask_cap) {
        uint8_t *m = realloc(b->clear_mask, bytes);
        if (!m) {
            return;
        }
        b->clear_mask = m;
        b->clear_mask_cap = bytes;
    }
    memset(b->clear_mask, 0, bytes);
    j->mask = b->clear_mask;
}

static void mask_box(clear_job *j, const vgt_pixel_box *r)
{
    for (uint32_t y = r->y0; y < r->y1; y++) {
        memset(j->mask + (size_t)y * j->w + r->x0, 0xff, r->x1 - r->x0);
    }
}

/* The masked pixels: the mask as texture unit 0's 2D texture (the state
 * cache told), one quad over the image. */
static void draw_mask(clear_job *j)
{
    gl_backend *b = j->b;
    if (!b->clear_mask_tex) {
        glGenTextures(1, &b->clear_mask_tex);
    }
    if (b->sc.active_unit != 0) {
        glActiveTexture(GL_TEXTURE0);
        b->sc.active_unit = 0;
    }
    if (b->sc.tex[0] && b->sc.tex_target[0] != GL_TEXTURE_2D) {
        glBindTexture(b->sc.tex_target[0], 0);
    }
    glBindTexture(GL_TEXTURE_2D, b->clear_mask_tex);
    b->sc.tex[0] = b->clear_mask_tex;
    b->sc.tex_target[0] = GL_TEXTURE_2D;
    /* one level: complete whatever filter unit 0's sampler has */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, (GLsizei)j->w, (GLsizei)j->h, 0, GL_RED, GL_UNSIGNED_BYTE,
                 j->mask);
    if (!j->drawing) {
        begin_drawing(j);
    }
    glUniform1i(b->clear_masked_loc, 1);
    b->clear_batch[0] = (vgt_pixel_box){0, 0, j->w, j->h};
    glBufferData(GL_ARRAY_BUFFER, sizeof(vgt_pixel_box), b->clear_batch, GL_STREAM_DRAW);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, 1);
    glUniform1i(b->clear_masked_loc, 0);
    b->n.clear_draw_calls++;
    b->n.clear_masks++;
    j->mask = NULL;
}

static void queue_box(void *ctx, const vgt_pixel_box *box)
{
    clear_job *j = ctx;
    j->rects++;
    /* a large rectangle: glClear writes its pixels faster than a quad,
     * and there are at most w x h / GLB_CLEAR_SCISSOR_AREA of them */
    if (!j->b->opt.clear_draw_min &&
        (uint64_t)(box->x1 - box->x0) * (box->y1 - box->y0) >= GLB_CLEAR_SCISSOR_AREA) {
        if (j->drawing) {
            glEnable(GL_SCISSOR_TEST);
        }
        scissored_clear(j, box);
        if (j->drawing) {
            glDisable(GL_SCISSOR_TEST);
        }
        return;
    }
    j->small++;
    if (j->mask) {
        mask_box(j, box);
        return;
    }
    j->b->clear_batch[j->queued++] = *box;
    if (j->queued == GLB_CLEAR_BATCH) {
        flush(j);
        if (j->drawing) {
            start_mask(j);
        }
    }
}

/* Clears the union of the rects (none: the whole image) on the bound
 * target of j->w x j->h; on a volume's level, in each of its j->slices
 * slices, attached one after the other at COLOR0 and each given the same
 * rectangles (the union swept again: its boxes stay in the scratch), then
 * slice 0 attached again, which the attachment cache holds. */
static vgt_status clear_image(clear_job *j, const vgt_svga3d_rect *rects, uint32_t count,
                              vgt_error *err)
{
    gl_backend *b = j->b;
    vgt_status rc = vgt_rect_union_begin(&b->clear_union, count ? count : 1u, j->w, j->h, err);
    if (rc != VGT_OK) {
        return rc;
    }
    if (count == 0) {
        vgt_rect_union_add(&b->clear_union, 0, 0, j->w, j->h);
    }
    for (uint32_t k = 0; k < count; k++) {
        vgt_rect_union_add(&b->clear_union, rects[k].x, rects[k].y, rects[k].w, rects[k].h);
    }
    for (uint32_t z = 0; z < j->slices; z++) {
        if (z > 0) {
            glFramebufferTextureLayer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, j->tex, j->mip,
                                      (GLint)z);
        }
        j->small = 0; /* each slice takes the paths the first took */
        vgt_rect_union_boxes(&b->clear_union, queue_box, j);
        flush(j);
        if (j->mask) {
            draw_mask(j);
        }
        if (j->drawing) {
            end_drawing(j);
        }
    }
    if (j->slices > 1) {
        glFramebufferTextureLayer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, j->tex, j->mip, 0);
    }
    b->n.clear_rects += j->rects;
    return VGT_OK;
}

vgt_status gl_clear(void *self, const vgt_backend_draw_state *t, uint32_t flags, uint32_t color,
                    float depth, uint32_t stencil, const vgt_svga3d_rect *rects, uint32_t count,
                    vgt_error *err)
{
    gl_backend *b = self;
    b->n.clears++;
    if (gl_op_begin(b, "CLEAR", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    vgt_status rc = VGT_OK;
    glEnable(GL_SCISSOR_TEST);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    glDepthMask(GL_TRUE);
    glStencilMask(0xff);
    gl_state_invalidate(b);
    b->sc.valid = false;
    if (flags & VGT_SVGA3D_CLEAR_COLOR) {
        for (uint32_t i = 0; i < t->color_target_count && rc == VGT_OK; i++) {
            const vgt_backend_view *v = &t->color_targets[i];
            gl_surface *s = (gl_surface *)v->surface;
            if (!s) {
                continue;
            }
            if ((rc = gl_bind_targets(b, v, 1, NULL, false, err))) {
                break;
            }
            clear_job j = {.b = b, .w = v->size.width, .h = v->size.height, .color = true};
            j.slices = 1;
            if (s->target == GL_TEXTURE_3D && v->mip < s->mips) {
                /* the level's slices as the surface has them (a volume has one face) */
                j.slices = s->images[v->mip].size.depth ? s->images[v->mip].size.depth : 1;
                j.tex = s->tex;
                j.mip = (GLint)v->mip;
            }
            float c[4];
            gl_d3dcolor(color, c);
            const gl_format *f = s->fmt;
            if (f->no_alpha) {
                c[3] = 1.0f;
            }
            memcpy(j.rgba, c, sizeof(c));
            if (f->out == GLB_OUT_A) {
                j.rgba[0] = c[3];
            } else if (f->out == GLB_OUT_LA) {
                j.rgba[1] = c[3];
            }
            rc = clear_image(&j, rects, count, err);
        }
    }
    uint32_t ds_flags = flags & (VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL);
    const vgt_backend_view *dv = t->depth_target.surface ? &t->depth_target : &t->stencil_target;
    if (rc == VGT_OK && ds_flags && dv->surface) {
        gl_surface *s = (gl_surface *)dv->surface;
        if ((rc = gl_bind_targets(b, NULL, 0, dv, false, err)) == VGT_OK) {
            clear_job j = {.b = b,
                           .w = dv->size.width,
                           .h = dv->size.height,
                           .depth = (ds_flags & VGT_SVGA3D_CLEAR_DEPTH) != 0,
                           .stencil = (ds_flags & VGT_SVGA3D_CLEAR_STENCIL) && s->fmt->stencil,
                           .z = depth,
                           .stencil_ref = (GLint)(stencil & 0xff),
                           .slices = 1};
            if (j.depth || j.stencil) {
                rc = clear_image(&j, rects, count, err);
            }
        }
    }
    if (rc == VGT_OK && b->probe.on) {
        gl_probe_clear(b, t, flags, color, rects, count);
    }
    return gl_op_end(b, rc, err, "context %u, flags 0x%x, %u rects", t->cid, flags, count);
}
