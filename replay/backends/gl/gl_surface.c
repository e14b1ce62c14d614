/* gl_surface.c - host surfaces as GL textures (2D, cube, 3D) and buffer
 * objects; SURFACE_DMA both ways, SURFACE_COPY, STRETCHBLT, mipmap
 * generation and read_pixels.
 *
 * Orientation: every image is stored top row first, exactly as the guest's
 * bytes (GL row 0 = the image's first row).  Draws render "upside down" in
 * GL terms (the vertex shader flips y), so render targets, textures and
 * DMA all share that layout and nothing is flipped on upload or readback.
 *
 * Uploads go straight from the caller's bytes into GL (GL_UNPACK_ROW_LENGTH
 * and GL_UNPACK_IMAGE_HEIGHT describe the guest pitches) unless the pitch is
 * not a whole number of texels or the format needs a CPU conversion.
 * Readbacks go through a pixel pack buffer.
 *
 * DXT without S3TC (the driver lacks GL_EXT_texture_compression_s3tc, or
 * vgt_gl_options.no_s3tc / VGT_GL_NO_S3TC=1), and DXT volumes (S3TC has no
 * 3D textures: glTexStorage3D refuses its formats): the texture is RGBA8; every
 * upload copies the guest's blocks into a CPU shadow and uploads the
 * blocks it touched decoded (vgt_svga3d_dxt_decode_block); downloads give
 * back the shadow's blocks, so they read what the guest wrote, as with
 * S3TC. */
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"

#define EDIT_UNIT GLB_MAX_STAGES /* texture unit used to edit textures */

static gl_backend *B(void *self)
{
    return (gl_backend *)self;
}

GLenum gl_face_target(const gl_surface *s, uint32_t face)
{
    return s->target == GL_TEXTURE_CUBE_MAP ? GL_TEXTURE_CUBE_MAP_POSITIVE_X + face : s->target;
}

void gl_attach_name(GLenum fbo_target, GLenum attachment, const gl_surface *s, GLuint name,
                    uint32_t face, uint32_t mip)
{
    if (!s) {
        glFramebufferTexture2D(fbo_target, attachment, GL_TEXTURE_2D, 0, 0);
        return;
    }
    if (s->target == GL_TEXTURE_3D) {
        glFramebufferTextureLayer(fbo_target, attachment, name, (GLint)mip, 0);
    } else {
        glFramebufferTexture2D(fbo_target, attachment, gl_face_target(s, face), name, (GLint)mip);
    }
}

void gl_attach(GLenum fbo_target, GLenum attachment, const gl_surface *s, uint32_t face,
               uint32_t mip)
{
    gl_attach_name(fbo_target, attachment, s, s ? s->tex : 0, face, mip);
}

GLenum gl_srgb_view_format(const gl_backend *b, const gl_surface *s)
{
    if (!b->info.texture_view || !s->tex || s->raw ||
        (s->format != VGT_SVGA3D_A8R8G8B8 && s->format != VGT_SVGA3D_X8R8G8B8 &&
         !s->fmt->compressed)) {
        return 0;
    }
    /* the view class of each storage (GL 4.3 table 8.22): RGBA8 (a DXT
     * surface decoded on the CPU too) and each S3TC format with its sRGB twin */
    switch (s->fmt->internal) {
    case GL_RGBA8:
        return GL_SRGB8_ALPHA8;
    case GL_COMPRESSED_RGBA_S3TC_DXT1_EXT:
        return GL_COMPRESSED_SRGB_ALPHA_S3TC_DXT1_EXT;
    case GL_COMPRESSED_RGBA_S3TC_DXT3_EXT:
        return GL_COMPRESSED_SRGB_ALPHA_S3TC_DXT3_EXT;
    case GL_COMPRESSED_RGBA_S3TC_DXT5_EXT:
        return GL_COMPRESSED_SRGB_ALPHA_S3TC_DXT5_EXT;
    default:
        return 0;
    }
}

GLuint gl_surface_srgb_view(gl_backend *b, gl_surface *s)
{
    if (s->srgb_view) {
        return s->srgb_view;
    }
    GLenum f = gl_srgb_view_format(b, s);
    if (!f) {
        return 0;
    }
    /* GL decodes the texels of an sRGB format before filtering, as soft
     * does; the view shares the storage, so uploads reach it too */
    GLuint v = 0;
    glGenTextures(1, &v);
    glTextureView(v, s->target, s->tex, f, 0, s->mips, 0, s->target == GL_TEXTURE_CUBE_MAP ? 6 : 1);
    glActiveTexture(GL_TEXTURE0 + EDIT_UNIT);
    glBindTexture(s->target, v);
    b->sc.active_unit = EDIT_UNIT;
    glTexParameteri(s->target, GL_TEXTURE_MAX_LEVEL, (GLint)s->mips - 1);
    glTexParameteri(s->target, GL_TEXTURE_BASE_LEVEL, 0);
    glTexParameteriv(s->target, GL_TEXTURE_SWIZZLE_RGBA, s->fmt->swizzle);
    glBindTexture(s->target, 0);
    s->srgb_view = v;
    s->srgb_base_level = 0;
    b->n.srgb_views_made++;
    return v;
}

static GLenum depth_attachment(const gl_surface *s)
{
    return s->fmt->internal == GL_DEPTH24_STENCIL8 ? GL_DEPTH_STENCIL_ATTACHMENT
                                                   : GL_DEPTH_ATTACHMENT;
}

static void bind_edit(gl_backend *b, const gl_surface *s)
{
    glActiveTexture(GL_TEXTURE0 + EDIT_UNIT);
    glBindTexture(s->target, s->tex);
    b->sc.active_unit = EDIT_UNIT;
}

static const vgt_surface_image *image_of(const gl_surface *s, uint32_t face, uint32_t mip)
{
    return &s->images[face * s->mips + mip];
}

/* Geometry of a box of image (face, mip) in blocks. */
typedef struct box_geom {
    uint32_t bx, by, bw, bh; /* in blocks */
    uint32_t row_bytes;      /* bw * block_bytes */
} box_geom;

static box_geom geom(const gl_surface *s, const vgt_svga3d_box *box)
{
    const gl_format *f = s->fmt;
    box_geom g;
    g.bx = box->x / f->block_w;
    g.by = box->y / f->block_h;
    g.bw = (box->w + f->block_w - 1) / f->block_w;
    g.bh = (box->h + f->block_h - 1) / f->block_h;
    g.row_bytes = g.bw * f->block_bytes;
    return g;
}

/* DMA between the caller and the CPU shadow of a raw or dxt_cpu surface,
 * in whole blocks (texels for raw formats). */
static void shadow_rows(gl_surface *s, const vgt_surface_image *im, const vgt_svga3d_box *box,
                        uint8_t *mem, uint32_t row_pitch, uint64_t slice_pitch, bool to_surface)
{
    box_geom g = geom(s, box);
    for (uint32_t z = 0; z < box->d; z++) {
        for (uint32_t r = 0; r < g.bh; r++) {
            uint8_t *p = s->shadow + im->offset + (uint64_t)(box->z + z) * im->slice_pitch +
                         (uint64_t)(g.by + r) * im->row_pitch +
                         (uint64_t)g.bx * s->fmt->block_bytes;
            uint8_t *q = mem + z * slice_pitch + (uint64_t)r * row_pitch;
            if (to_surface) {
                memcpy(p, q, g.row_bytes);
            } else {
                memcpy(q, p, g.row_bytes);
            }
        }
    }
}

/* dxt_cpu: decodes the shadow's blocks under box (block aligned, or ending
 * at the image's edge) and uploads their texels, clipped to the image, to
 * the RGBA8 texture as BGRA bytes (vgt_svga3d_dxt_decode_block gives
 * 0xAARRGGBB, stored little endian). */
static vgt_status dxt_cpu_upload(gl_backend *b, gl_surface *s, uint32_t face, uint32_t mip,
                                 const vgt_svga3d_box *box, vgt_error *err)
{
    const vgt_surface_image *im = image_of(s, face, mip);
    box_geom g = geom(s, box);
    uint32_t x0 = g.bx * 4, y0 = g.by * 4;
    uint32_t w = g.bw * 4, h = g.bh * 4;
    w = x0 + w > im->size.width ? im->size.width - x0 : w;
    h = y0 + h > im->size.height ? im->size.height - y0 : h;
    if (w == 0 || h == 0 || box->d == 0) {
        return VGT_OK;
    }
    uint64_t need = (uint64_t)w * h * box->d * 4u;
    uint8_t *tmp = need <= SIZE_MAX ? gl_scratch(b, (size_t)need) : NULL;
    if (!tmp) {
        return vgt_error_set(err, VGT_E_NOMEM,
                             "gl backend: out of memory decoding DXT blocks of surface %u", s->sid);
    }
    for (uint32_t z = 0; z < box->d; z++) {
        const uint8_t *slice = s->shadow + im->offset + (uint64_t)(box->z + z) * im->slice_pitch;
        uint8_t *out = tmp + (uint64_t)z * w * h * 4u;
        for (uint32_t by = 0; by < g.bh; by++) {
            for (uint32_t bx = 0; bx < g.bw; bx++) {
                uint32_t texels[16];
                vgt_svga3d_dxt_decode_block(s->fmt->svga,
                                            slice + (uint64_t)(g.by + by) * im->row_pitch +
                                                (uint64_t)(g.bx + bx) * s->fmt->block_bytes,
                                            texels);
                for (uint32_t ty = 0; ty < 4 && by * 4 + ty < h; ty++) {
                    for (uint32_t tx = 0; tx < 4 && bx * 4 + tx < w; tx++) {
                        uint8_t *o = out + ((uint64_t)(by * 4 + ty) * w + bx * 4 + tx) * 4u;
                        vgt_store_le32(o, texels[ty * 4 + tx]);
                    }
                }
            }
        }
        b->n.dxt_blocks_decoded += (uint64_t)g.bw * g.bh;
    }
    bind_edit(b, s);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
    if (s->target == GL_TEXTURE_3D) {
        glTexSubImage3D(s->target, (GLint)mip, (GLint)x0, (GLint)y0, (GLint)box->z, (GLsizei)w,
                        (GLsizei)h, (GLsizei)box->d, GL_BGRA, GL_UNSIGNED_BYTE, tmp);
    } else {
        glTexSubImage2D(gl_face_target(s, face), (GLint)mip, (GLint)x0, (GLint)y0, (GLsizei)w,
                        (GLsizei)h, GL_BGRA, GL_UNSIGNED_BYTE, tmp);
    }
    return VGT_OK;
}

/* ---- define / destroy ------------------------------------------------------ */

static vgt_status zero_fill(gl_backend *b, gl_surface *s, vgt_error *err)
{
    const gl_format *f = s->fmt;
    if (s->dxt_cpu) {
        /* the shadow is zeros: upload what zero blocks decode to, as S3TC
         * would sample them */
        for (uint32_t face = 0; face < s->faces; face++) {
            for (uint32_t m = 0; m < s->mips; m++) {
                const vgt_surface_image *im = image_of(s, face, m);
                vgt_svga3d_box whole = {0, 0, 0, im->size.width, im->size.height, im->size.depth};
                vgt_status rc = dxt_cpu_upload(b, s, face, m, &whole, err);
                if (rc) {
                    return rc;
                }
            }
        }
        return VGT_OK;
    }
    if (!f->compressed && !f->to_gl &&
        (b->info.gl_version >= 44 || epoxy_has_gl_extension("GL_ARB_clear_texture"))) {
        for (uint32_t m = 0; m < s->mips; m++) {
            glClearTexImage(s->tex, (GLint)m, f->format, f->type, NULL);
        }
        return VGT_OK;
    }
    /* upload zero bytes level by level */
    uint64_t biggest = 0;
    for (uint32_t i = 0; i < s->faces * s->mips; i++) {
        biggest = s->images[i].bytes > biggest ? s->images[i].bytes : biggest;
    }
    uint8_t *zero = calloc(1, (size_t)biggest * (f->to_gl ? f->gl_bytes : 1) + 16);
    if (!zero) {
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory clearing surface %u",
                             s->sid);
    }
    bind_edit(b, s);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
    for (uint32_t face = 0; face < s->faces; face++) {
        for (uint32_t m = 0; m < s->mips; m++) {
            const vgt_surface_image *im = image_of(s, face, m);
            GLsizei w = (GLsizei)im->size.width, h = (GLsizei)im->size.height;
            GLsizei d = (GLsizei)im->size.depth;
            if (f->compressed) {
                if (s->target == GL_TEXTURE_3D) {
                    glCompressedTexSubImage3D(s->target, (GLint)m, 0, 0, 0, w, h, d, f->internal,
                                              (GLsizei)im->bytes, zero);
                } else {
                    glCompressedTexSubImage2D(gl_face_target(s, face), (GLint)m, 0, 0, w, h,
                                              f->internal, (GLsizei)im->bytes, zero);
                }
            } else if (s->target == GL_TEXTURE_3D) {
                glTexSubImage3D(s->target, (GLint)m, 0, 0, 0, w, h, d, f->format, f->type, zero);
            } else {
                glTexSubImage2D(gl_face_target(s, face), (GLint)m, 0, 0, w, h, f->format, f->type,
                                zero);
            }
        }
    }
    free(zero);
    return VGT_OK;
}

static bool is_buffer(const vgt_backend_surface_desc *d, const gl_format *f)
{
    if (f->buffer) {
        return true;
    }
    uint32_t vbib = VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER | VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER;
    uint32_t tex = VGT_SVGA3D_SURFACE_HINT_TEXTURE | VGT_SVGA3D_SURFACE_HINT_RENDERTARGET |
                   VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL | VGT_SVGA3D_SURFACE_CUBEMAP;
    return (d->flags & vbib) && !(d->flags & tex) && d->faces == 1 && d->mip_levels == 1;
}

/* A format GL cannot hold (bump, D15S1, ...): the bytes live on the CPU, so
 * DMA and SURFACE_COPY still work as on the soft backend; draws refuse it. */
static vgt_status define_raw(const vgt_backend_surface_desc *d, vgt_backend_surface **out,
                             vgt_error *err)
{
    uint32_t nimg = d->faces * d->mip_levels;
    gl_surface *s = calloc(1, sizeof(*s));
    if (s) {
        s->images = malloc(sizeof(*s->images) * nimg);
        s->shadow = d->total_bytes <= SIZE_MAX ? calloc(1, (size_t)d->total_bytes + 1) : NULL;
    }
    if (!s || !s->images || !s->shadow || d->size.width == 0) {
        if (s) {
            free(s->images);
            free(s->shadow);
        }
        free(s);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for surface %u", d->sid);
    }
    memcpy(s->images, d->images, sizeof(*s->images) * nimg);
    s->sid = d->sid;
    s->format = d->format;
    s->flags = d->flags;
    s->faces = d->faces;
    s->mips = d->mip_levels;
    s->size = d->size;
    s->bytes = d->total_bytes;
    s->raw = true;
    s->raw_fmt.svga = d->format;
    s->raw_fmt.name = "raw (a format the gl backend cannot draw)";
    s->raw_fmt.block_w = s->raw_fmt.block_h = 1;
    s->raw_fmt.block_bytes = d->images[0].row_pitch / d->size.width;
    s->raw_fmt.gl_bytes = s->raw_fmt.block_bytes;
    s->fmt = &s->raw_fmt;
    *out = (vgt_backend_surface *)s;
    return VGT_OK;
}

vgt_status gl_surface_define(void *self, const vgt_backend_surface_desc *d,
                             vgt_backend_surface **out, vgt_error *err)
{
    gl_backend *b = B(self);
    const gl_format *f = gl_format_get(d->format);
    if (!f) {
        return define_raw(d, out, err);
    }
    /* multisample_count > 1 (SURFACE_DEFINE_V2) is drawn single sampled,
     * as soft draws it: the legacy caps offer no sample count, and a trace
     * replays alike on both (docs/gl.md "Surfaces and formats") */
    gl_surface *s = calloc(1, sizeof(*s));
    uint32_t nimg = d->faces * d->mip_levels;
    if (s) {
        s->images = malloc(sizeof(*s->images) * nimg);
    }
    if (!s || !s->images) {
        free(s);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for surface %u", d->sid);
    }
    memcpy(s->images, d->images, sizeof(*s->images) * nimg);
    s->sid = d->sid;
    s->format = d->format;
    s->flags = d->flags;
    s->faces = d->faces;
    s->mips = d->mip_levels;
    s->size = d->size;
    s->fmt = f;
    s->bytes = d->total_bytes;
    bool volume = d->faces != 6 && d->size.depth > 1;
    if (f->compressed && (!b->info.s3tc || volume)) {
        /* DXT without S3TC, or a DXT volume (S3TC has no 3D textures): an
         * RGBA8 texture of the decoded texels, the blocks on the CPU */
        s->dxt_cpu = true;
        s->raw_fmt = *f;
        s->raw_fmt.internal = GL_RGBA8;
        s->raw_fmt.format = GL_BGRA;
        s->raw_fmt.type = GL_UNSIGNED_BYTE;
        s->raw_fmt.gl_bytes = 4;
        s->fmt = f = &s->raw_fmt;
        s->shadow = d->total_bytes < SIZE_MAX ? calloc(1, (size_t)d->total_bytes + 1) : NULL;
        if (!s->shadow) {
            free(s->images);
            free(s);
            return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for surface %u",
                                 d->sid);
        }
    }
    if (gl_op_begin(b, "SURFACE_DEFINE", err)) {
        free(s->shadow);
        free(s->images);
        free(s);
        return err ? err->code : VGT_E_STATE;
    }
    vgt_status rc = VGT_OK;
    if (is_buffer(d, f)) {
        glGenBuffers(1, &s->buf);
        glBindBuffer(GL_COPY_WRITE_BUFFER, s->buf);
        uint8_t *zero = calloc(1, (size_t)(d->total_bytes ? d->total_bytes : 1));
        if (!zero) {
            rc =
                vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for surface %u", d->sid);
        } else {
            if (b->info.buffer_storage) {
                glBufferStorage(GL_COPY_WRITE_BUFFER, (GLsizeiptr)d->total_bytes, zero,
                                GL_DYNAMIC_STORAGE_BIT);
            } else {
                glBufferData(GL_COPY_WRITE_BUFFER, (GLsizeiptr)d->total_bytes, zero,
                             GL_DYNAMIC_DRAW);
            }
            free(zero);
        }
        if (!rc && !b->info.robust_access) {
            s->shadow = calloc(1, (size_t)d->total_bytes + 1);
            if (!s->shadow) {
                rc = vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for surface %u",
                                   d->sid);
            }
        }
    } else {
        s->target = d->faces == 6                      ? GL_TEXTURE_CUBE_MAP
                    : (d->size.depth > 1 && !f->depth) ? GL_TEXTURE_3D
                                                       : GL_TEXTURE_2D;
        if (d->faces != 1 && d->faces != 6) {
            rc = vgt_error_set(err, VGT_E_INVALID, "gl backend: surface %u has %u faces", d->sid,
                               d->faces);
        }
        if (!rc) {
            glGenTextures(1, &s->tex);
            bind_edit(b, s);
            GLsizei w = (GLsizei)d->size.width, h = (GLsizei)d->size.height;
            if (s->target == GL_TEXTURE_3D) {
                glTexStorage3D(s->target, (GLsizei)s->mips, f->internal, w, h,
                               (GLsizei)d->size.depth);
            } else {
                glTexStorage2D(s->target, (GLsizei)s->mips, f->internal, w, h);
            }
            glTexParameteri(s->target, GL_TEXTURE_MAX_LEVEL, (GLint)s->mips - 1);
            glTexParameteri(s->target, GL_TEXTURE_BASE_LEVEL, 0);
            glTexParameteriv(s->target, GL_TEXTURE_SWIZZLE_RGBA, f->swizzle);
            if (f->depth) {
                glTexParameteri(s->target, GL_TEXTURE_COMPARE_MODE, GL_NONE);
            }
            rc = zero_fill(b, s, err);
        }
    }
    rc = gl_op_end(b, rc, err, "surface %u, %s %ux%ux%u, %u faces, %u levels", d->sid, f->name,
                   d->size.width, d->size.height, d->size.depth, d->faces, d->mip_levels);
    if (rc) {
        gl_surface_destroy(self, (vgt_backend_surface *)s);
        return rc;
    }
    *out = (vgt_backend_surface *)s;
    return VGT_OK;
}

void gl_surface_destroy(void *self, vgt_backend_surface *hs)
{
    gl_backend *b = B(self);
    gl_surface *s = (gl_surface *)hs;
    if (!s) {
        return;
    }
    if (s->raw || !gl_make_current(b)) {
        /* the context lives on another thread: the names go with the context */
        free(s->shadow);
        free(s->images);
        free(s);
        return;
    }
    if (s->tex) {
        /* forget cached bindings of this name and of its sRGB view (GL
         * unbinds them on delete, and may give the names out again) */
        for (uint32_t i = 0; i < GLB_MAX_STAGES; i++) {
            if (b->sc.tex[i] == s->tex || (s->srgb_view && b->sc.tex[i] == s->srgb_view)) {
                b->sc.tex[i] = 0;
            }
        }
        if (s->srgb_view) {
            glDeleteTextures(1, &s->srgb_view);
            s->srgb_view = 0;
            b->n.srgb_views_deleted++;
        }
        bool attached = b->sc.draw_fbo_depth == s->tex;
        for (uint32_t i = 0; i < GLB_MAX_TARGETS; i++) {
            attached |= b->sc.draw_fbo_color[i] == s->tex ||
                        (s->srgb_view && b->sc.draw_fbo_color[i] == s->srgb_view);
        }
        if (attached) {
            /* detach everything: the next draw attaches its targets again */
            glBindFramebuffer(GL_FRAMEBUFFER, b->draw_fbo);
            for (uint32_t i = 0; i < GLB_MAX_TARGETS; i++) {
                b->sc.draw_fbo_color[i] = 0;
                b->sc.draw_fbo_color_key[i] = 0;
                glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, 0,
                                       0);
            }
            b->sc.draw_fbo_depth = 0;
            b->sc.draw_fbo_depth_key = 0;
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_TEXTURE_2D, 0,
                                   0);
        }
        glDeleteTextures(1, &s->tex);
    }
    if (s->buf) {
        /* GL resets the VAO's bindings of a deleted buffer to none but
         * leaves the arrays enabled: forget the binding, keep `on` (a later
         * draw rebinds or disables them) */
        b->ff_reuse.valid = false;
        for (uint32_t i = 0; i < GLB_ATTRIBS; i++) {
            if (b->attribs[i].buf == s->buf) {
                b->attribs[i].buf = 0;
                b->attribs[i].type = UINT32_MAX;
            }
        }
        if (b->sc.index_buf == s->buf) {
            b->sc.index_buf = 0;
        }
        glDeleteBuffers(1, &s->buf);
    }
    free(s->shadow);
    free(s->images);
    free(s);
}

/* ---- DMA ----------------------------------------------------------------- */

static vgt_status buffer_upload(gl_backend *b, gl_surface *s, const vgt_surface_image *im,
                                const vgt_svga3d_box *box, const uint8_t *src, uint32_t row_pitch,
                                uint64_t slice_pitch)
{
    box_geom g = geom(s, box);
    (void)b;
    glBindBuffer(GL_COPY_WRITE_BUFFER, s->buf);
    /* whole rows at the guest's pitch: one call per slice */
    bool rows_tight = row_pitch == im->row_pitch && g.row_bytes == im->row_pitch;
    for (uint32_t z = 0; z < box->d; z++) {
        uint64_t base = im->offset + (uint64_t)(box->z + z) * im->slice_pitch +
                        (uint64_t)g.by * im->row_pitch + (uint64_t)g.bx * s->fmt->block_bytes;
        const uint8_t *p = src + z * slice_pitch;
        uint32_t calls = rows_tight ? 1 : g.bh;
        uint64_t len = rows_tight ? (uint64_t)g.bh * g.row_bytes : g.row_bytes;
        for (uint32_t r = 0; r < calls; r++) {
            uint64_t off = base + (uint64_t)r * im->row_pitch;
            const uint8_t *q = p + (uint64_t)r * row_pitch;
            glBufferSubData(GL_COPY_WRITE_BUFFER, (GLintptr)off, (GLsizeiptr)len, q);
            if (s->shadow) {
                memcpy(s->shadow + off, q, (size_t)len);
            }
        }
    }
    return VGT_OK;
}

vgt_status gl_surface_upload(void *self, vgt_backend_surface *hs, uint32_t face, uint32_t mip,
                             const vgt_svga3d_box *box, const uint8_t *src, uint32_t row_pitch,
                             uint64_t slice_pitch, uint32_t dma_flags, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_surface *s = (gl_surface *)hs;
    const gl_format *f = s->fmt;
    const vgt_surface_image *im = image_of(s, face, mip);
    (void)dma_flags;
    b->n.uploads++;
    if (s->raw) {
        shadow_rows(s, im, box, (uint8_t *)src, row_pitch, slice_pitch, true);
        return VGT_OK;
    }
    if (gl_op_begin(b, "SURFACE_DMA upload", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    vgt_status rc = VGT_OK;
    if (s->buf) {
        rc = buffer_upload(b, s, im, box, src, row_pitch, slice_pitch);
        return gl_op_end(b, rc, err, "surface %u", s->sid);
    }
    if (s->dxt_cpu) {
        shadow_rows(s, im, box, (uint8_t *)src, row_pitch, slice_pitch, true);
        rc = dxt_cpu_upload(b, s, face, mip, box, err);
        return gl_op_end(b, rc, err, "surface %u face %u level %u box (%u,%u,%u) %ux%ux%u", s->sid,
                         face, mip, box->x, box->y, box->z, box->w, box->h, box->d);
    }
    box_geom g = geom(s, box);
    bind_edit(b, s);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    uint32_t texels = g.bw; /* per row, for 1x1 blocks */
    bool direct = !f->to_gl && row_pitch % f->block_bytes == 0 &&
                  (box->d == 1 || (slice_pitch % row_pitch == 0 && row_pitch > 0));
    if (f->compressed) {
        direct = row_pitch == g.row_bytes &&
                 (box->d == 1 || slice_pitch == (uint64_t)g.row_bytes * g.bh);
    }
    const uint8_t *data = src;
    uint32_t gl_row = f->to_gl ? texels * f->gl_bytes : g.row_bytes;
    if (direct) {
        if (!f->compressed) {
            glPixelStorei(GL_UNPACK_ROW_LENGTH, (GLint)(row_pitch / f->block_bytes));
            glPixelStorei(GL_UNPACK_IMAGE_HEIGHT,
                          box->d > 1 ? (GLint)(slice_pitch / row_pitch) : 0);
        }
    } else {
        /* repack (and convert) to tight rows */
        uint64_t need = (uint64_t)gl_row * g.bh * box->d;
        uint8_t *tmp = need <= SIZE_MAX ? gl_scratch(b, (size_t)need) : NULL;
        if (!tmp) {
            return gl_op_end(b,
                             vgt_error_set(err, VGT_E_NOMEM,
                                           "gl backend: out of memory staging an upload to "
                                           "surface %u",
                                           s->sid),
                             err, "surface %u", s->sid);
        }
        for (uint32_t z = 0; z < box->d; z++) {
            for (uint32_t r = 0; r < g.bh; r++) {
                const uint8_t *in = src + z * slice_pitch + (uint64_t)r * row_pitch;
                uint8_t *o = tmp + ((uint64_t)z * g.bh + r) * gl_row;
                if (f->to_gl) {
                    f->to_gl(in, o, texels);
                } else {
                    memcpy(o, in, g.row_bytes);
                }
            }
        }
        data = tmp;
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
    }
    GLsizei w = (GLsizei)box->w, h = (GLsizei)box->h, d = (GLsizei)box->d;
    if (f->compressed) {
        GLsizei bytes = (GLsizei)((uint64_t)g.row_bytes * g.bh * box->d);
        if (s->target == GL_TEXTURE_3D) {
            glCompressedTexSubImage3D(s->target, (GLint)mip, (GLint)box->x, (GLint)box->y,
                                      (GLint)box->z, w, h, d, f->internal, bytes, data);
        } else {
            glCompressedTexSubImage2D(gl_face_target(s, face), (GLint)mip, (GLint)box->x,
                                      (GLint)box->y, w, h, f->internal, bytes, data);
        }
    } else if (s->target == GL_TEXTURE_3D) {
        glTexSubImage3D(s->target, (GLint)mip, (GLint)box->x, (GLint)box->y, (GLint)box->z, w, h, d,
                        f->format, f->type, data);
    } else {
        glTexSubImage2D(gl_face_target(s, face), (GLint)mip, (GLint)box->x, (GLint)box->y, w, h,
                        f->format, f->type, data);
    }
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
    (void)im;
    return gl_op_end(b, rc, err, "surface %u face %u level %u box (%u,%u,%u) %ux%ux%u", s->sid,
                     face, mip, box->x, box->y, box->z, box->w, box->h, box->d);
}

/* Reads box of (face, mip) tightly packed in the GL layout (gl_bytes per
 * texel, or blocks) into the PBO and maps it; *out points at the mapping
 * until glUnmapBuffer(GL_PIXEL_PACK_BUFFER). */
static vgt_status read_box_mapped(gl_backend *b, gl_surface *s, uint32_t face, uint32_t mip,
                                  const vgt_svga3d_box *box, const uint8_t **out, uint64_t *out_row,
                                  vgt_error *err)
{
    const gl_format *f = s->fmt;
    const vgt_surface_image *im = image_of(s, face, mip);
    box_geom g = geom(s, box);
    bool sub = b->info.direct_state_access;
    /* without glGetTextureSubImage, the whole level (all faces' slice: one face) */
    uint32_t lw = sub ? box->w : im->size.width, lh = sub ? box->h : im->size.height;
    uint32_t ld = sub ? box->d : im->size.depth;
    uint64_t row =
        f->compressed ? (uint64_t)((lw + 3) / 4) * f->block_bytes : (uint64_t)lw * f->gl_bytes;
    uint64_t rows = f->compressed ? (lh + 3) / 4 : lh;
    uint64_t total = row * rows * ld;
    if (total > (1ull << 31)) {
        return vgt_error_set(err, VGT_E_RANGE, "gl backend: readback of %llu bytes is too large",
                             (unsigned long long)total);
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, b->pbo);
    if (total > b->pbo_size) {
        glBufferData(GL_PIXEL_PACK_BUFFER, (GLsizeiptr)total, NULL, GL_STREAM_READ);
        b->pbo_size = (size_t)total;
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    glPixelStorei(GL_PACK_IMAGE_HEIGHT, 0);
    gl_read_barrier();
    if (sub) {
        GLint zoff = s->target == GL_TEXTURE_CUBE_MAP ? (GLint)face : (GLint)box->z;
        if (f->compressed) {
            glGetCompressedTextureSubImage(s->tex, (GLint)mip, (GLint)box->x, (GLint)box->y, zoff,
                                           (GLsizei)box->w, (GLsizei)box->h, (GLsizei)box->d,
                                           (GLsizei)total, NULL);
        } else {
            glGetTextureSubImage(s->tex, (GLint)mip, (GLint)box->x, (GLint)box->y, zoff,
                                 (GLsizei)box->w, (GLsizei)box->h, (GLsizei)box->d, f->format,
                                 f->type, (GLsizei)total, NULL);
        }
    } else {
        bind_edit(b, s);
        if (f->compressed) {
            glGetCompressedTexImage(gl_face_target(s, face), (GLint)mip, NULL);
        } else {
            glGetTexImage(gl_face_target(s, face), (GLint)mip, f->format, f->type, NULL);
        }
    }
    const uint8_t *p =
        glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (GLsizeiptr)total, GL_MAP_READ_BIT);
    if (!p) {
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        return vgt_error_set(err, VGT_E_IO, "gl backend: cannot map the readback buffer");
    }
    if (!sub) {
        /* skip to the box inside the whole level */
        uint32_t gb = f->compressed ? f->block_bytes : f->gl_bytes;
        p += (uint64_t)box->z * row * rows + (uint64_t)g.by * row + (uint64_t)g.bx * gb;
    }
    *out = p;
    *out_row = row;
    (void)rows;
    return VGT_OK;
}

vgt_status gl_surface_download(void *self, vgt_backend_surface *hs, uint32_t face, uint32_t mip,
                               const vgt_svga3d_box *box, uint8_t *dst, uint32_t row_pitch,
                               uint64_t slice_pitch, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_surface *s = (gl_surface *)hs;
    const gl_format *f = s->fmt;
    const vgt_surface_image *im = image_of(s, face, mip);
    box_geom g = geom(s, box);
    b->n.downloads++;
    if (s->raw || s->dxt_cpu) {
        /* the shadow holds the bytes (dxt_cpu: the blocks the guest wrote) */
        shadow_rows(s, im, box, dst, row_pitch, slice_pitch, false);
        return VGT_OK;
    }
    if (gl_op_begin(b, "SURFACE_DMA download", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    vgt_status rc = VGT_OK;
    if (s->buf) {
        glBindBuffer(GL_COPY_READ_BUFFER, s->buf);
        for (uint32_t z = 0; z < box->d; z++) {
            for (uint32_t r = 0; r < g.bh; r++) {
                uint64_t off = im->offset + (uint64_t)(box->z + z) * im->slice_pitch +
                               (uint64_t)(g.by + r) * im->row_pitch +
                               (uint64_t)g.bx * f->block_bytes;
                glGetBufferSubData(GL_COPY_READ_BUFFER, (GLintptr)off, (GLsizeiptr)g.row_bytes,
                                   dst + z * slice_pitch + (uint64_t)r * row_pitch);
            }
        }
        return gl_op_end(b, rc, err, "surface %u", s->sid);
    }
    const uint8_t *p = NULL;
    uint64_t row = 0;
    rc = read_box_mapped(b, s, face, mip, box, &p, &row, err);
    if (rc == VGT_OK) {
        uint64_t slice =
            row * (b->info.direct_state_access
                       ? g.bh
                       : (f->compressed ? (im->size.height + 3) / 4 : im->size.height));
        for (uint32_t z = 0; z < box->d; z++) {
            for (uint32_t r = 0; r < g.bh; r++) {
                const uint8_t *in = p + z * slice + r * row;
                uint8_t *o = dst + z * slice_pitch + (uint64_t)r * row_pitch;
                if (f->from_gl) {
                    f->from_gl(in, o, g.bw);
                } else {
                    memcpy(o, in, g.row_bytes);
                }
            }
        }
        glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    }
    return gl_op_end(b, rc, err, "surface %u face %u level %u box (%u,%u,%u) %ux%ux%u", s->sid,
                     face, mip, box->x, box->y, box->z, box->w, box->h, box->d);
}

/* ---- copy / stretch / mipmaps ------------------------------------------------ */

static bool boxes_overlap(const vgt_svga3d_copy_box *c)
{
    return c->x < c->srcx + c->w && c->srcx < c->x + c->w && c->y < c->srcy + c->h &&
           c->srcy < c->y + c->h && c->z < c->srcz + c->d && c->srcz < c->z + c->d;
}

vgt_status gl_surface_copy(void *self, const vgt_backend_view *dst, const vgt_backend_view *src,
                           const vgt_svga3d_copy_box *boxes, uint32_t count, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_surface *ds = (gl_surface *)dst->surface, *ss = (gl_surface *)src->surface;
    bool same_image = ds == ss && dst->face == src->face && dst->mip == src->mip;
    for (uint32_t i = 0; i < count; i++) {
        const vgt_svga3d_copy_box *c = &boxes[i];
        if (c->w == 0 || c->h == 0 || c->d == 0) {
            continue;
        }
        bool fast = b->info.copy_image && ds->tex && ss->tex && ds->fmt == ss->fmt &&
                    !ds->dxt_cpu && !ss->dxt_cpu && !(same_image && boxes_overlap(c));
        if (fast) {
            if (gl_op_begin(b, "SURFACE_COPY", err)) {
                return err ? err->code : VGT_E_STATE;
            }
            GLint sz = ss->target == GL_TEXTURE_CUBE_MAP ? (GLint)src->face : (GLint)c->srcz;
            GLint dz = ds->target == GL_TEXTURE_CUBE_MAP ? (GLint)dst->face : (GLint)c->z;
            glCopyImageSubData(ss->tex, ss->target, (GLint)src->mip, (GLint)c->srcx, (GLint)c->srcy,
                               sz, ds->tex, ds->target, (GLint)dst->mip, (GLint)c->x, (GLint)c->y,
                               dz, (GLsizei)c->w, (GLsizei)c->h, (GLsizei)c->d);
            vgt_status rc =
                gl_op_end(b, VGT_OK, err, "surface %u -> %u box %u", ss->sid, ds->sid, i);
            if (rc) {
                return rc;
            }
            continue;
        }
        /* through the CPU: download the source box, upload it at the destination */
        vgt_svga3d_box sb = {c->srcx, c->srcy, c->srcz, c->w, c->h, c->d};
        vgt_svga3d_box db = {c->x, c->y, c->z, c->w, c->h, c->d};
        box_geom g = geom(ss, &sb);
        uint64_t bytes = (uint64_t)g.row_bytes * g.bh * c->d;
        uint8_t *tmp = bytes <= SIZE_MAX ? malloc((size_t)bytes + 1) : NULL;
        if (!tmp) {
            return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory for a copy");
        }
        vgt_status rc = gl_surface_download(self, src->surface, src->face, src->mip, &sb, tmp,
                                            g.row_bytes, (uint64_t)g.row_bytes * g.bh, err);
        if (rc == VGT_OK) {
            rc = gl_surface_upload(self, dst->surface, dst->face, dst->mip, &db, tmp, g.row_bytes,
                                   (uint64_t)g.row_bytes * g.bh, 0, err);
        }
        free(tmp);
        if (rc) {
            vgt_error_prefix(err, "SURFACE_COPY box %u", i);
            return rc;
        }
    }
    return VGT_OK;
}

vgt_status gl_surface_stretch(void *self, const vgt_backend_view *dst,
                              const vgt_svga3d_box *dst_box, const vgt_backend_view *src,
                              const vgt_svga3d_box *src_box, uint32_t mode, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_surface *ds = (gl_surface *)dst->surface, *ss = (gl_surface *)src->surface;
    if (!ds->tex || !ss->tex || ss->fmt->compressed || ds->fmt->compressed ||
        (!ds->fmt->renderable && !ds->fmt->depth) || ds->fmt->depth != ss->fmt->depth) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: SURFACE_STRETCHBLT from %s (surface %u) to %s (surface "
                             "%u) is not supported",
                             ss->fmt->name, ss->sid, ds->fmt->name, ds->sid);
    }
    if (gl_op_begin(b, "SURFACE_STRETCHBLT", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, b->read_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, b->aux_fbo);
    GLbitfield mask;
    if (ss->fmt->depth) {
        gl_attach(GL_READ_FRAMEBUFFER, depth_attachment(ss), ss, src->face, src->mip);
        gl_attach(GL_DRAW_FRAMEBUFFER, depth_attachment(ds), ds, dst->face, dst->mip);
        mask = GL_DEPTH_BUFFER_BIT |
               (ss->fmt->stencil && ds->fmt->stencil ? GL_STENCIL_BUFFER_BIT : 0);
    } else {
        gl_attach(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, ss, src->face, src->mip);
        gl_attach(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, ds, dst->face, dst->mip);
        glReadBuffer(GL_COLOR_ATTACHMENT0);
        glDrawBuffer(GL_COLOR_ATTACHMENT0);
        mask = GL_COLOR_BUFFER_BIT;
    }
    glDisable(GL_SCISSOR_TEST);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    glDepthMask(GL_TRUE);
    glStencilMask(0xff);
    GLenum filter =
        (mode == VGT_SVGA3D_STRETCH_BLT_LINEAR && !ss->fmt->depth) ? GL_LINEAR : GL_NEAREST;
    glBlitFramebuffer((GLint)src_box->x, (GLint)src_box->y, (GLint)(src_box->x + src_box->w),
                      (GLint)(src_box->y + src_box->h), (GLint)dst_box->x, (GLint)dst_box->y,
                      (GLint)(dst_box->x + dst_box->w), (GLint)(dst_box->y + dst_box->h), mask,
                      filter);
    /* detach so later uses of these names as textures are no feedback loops */
    if (ss->fmt->depth) {
        gl_attach(GL_READ_FRAMEBUFFER, depth_attachment(ss), NULL, 0, 0);
        gl_attach(GL_DRAW_FRAMEBUFFER, depth_attachment(ds), NULL, 0, 0);
    } else {
        gl_attach(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, NULL, 0, 0);
        gl_attach(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, NULL, 0, 0);
    }
    gl_state_invalidate(b);
    return gl_op_end(b, VGT_OK, err, "surface %u -> %u", ss->sid, ds->sid);
}

vgt_status gl_generate_mipmaps(void *self, vgt_backend_surface *hs, uint32_t filter, vgt_error *err)
{
    gl_backend *b = B(self);
    gl_surface *s = (gl_surface *)hs;
    (void)filter;
    if (!s->tex || s->fmt->compressed || s->fmt->depth) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: GENERATE_MIPMAPS of %s surface %u is not supported",
                             s->fmt->name, s->sid);
    }
    if (s->mips < 2) {
        return VGT_OK;
    }
    if (gl_op_begin(b, "GENERATE_MIPMAPS", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    bind_edit(b, s);
    glTexParameteri(s->target, GL_TEXTURE_BASE_LEVEL, 0);
    s->base_level = 0;
    glGenerateMipmap(s->target);
    return gl_op_end(b, VGT_OK, err, "surface %u", s->sid);
}

/* ---- read_pixels ------------------------------------------------------------- */

static inline uint32_t unorm8(float v)
{
    v = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
    return (uint32_t)(v * 255.0f + 0.5f);
}

vgt_status gl_read_pixels(void *self, const vgt_backend_view *v, const vgt_svga3d_rect *rect,
                          uint8_t *dst, uint32_t dst_pitch, vgt_error *err)
{
    return gl_read_slice(self, v, 0, rect, dst, dst_pitch, err);
}

vgt_status gl_read_slice(void *self, const vgt_backend_view *v, uint32_t z,
                         const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                         vgt_error *err)
{
    gl_backend *b = B(self);
    gl_surface *s = (gl_surface *)v->surface;
    const gl_format *f = s->fmt;
    b->n.read_pixels++;
    if (rect->w == 0 || rect->h == 0) {
        return VGT_OK;
    }
    if (!s->tex || f->depth || (!f->decode && !f->compressed)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "gl backend: cannot read %s surface %u as color pixels", f->name,
                             s->sid);
    }
    vgt_status rc = VGT_OK;
    if (z >= image_of(s, v->face, v->mip)->size.depth) {
        return vgt_error_set(err, VGT_E_RANGE, "gl backend: surface %u: no slice %u", s->sid, z);
    }
    if ((f->svga == VGT_SVGA3D_A8R8G8B8 || f->svga == VGT_SVGA3D_X8R8G8B8) &&
        s->target != GL_TEXTURE_3D) {
        /* the common case: one glReadPixels into the PBO, BGRA bytes as stored */
        if (gl_op_begin(b, "read_pixels", err)) {
            return err ? err->code : VGT_E_STATE;
        }
        uint64_t total = (uint64_t)rect->w * rect->h * 4u;
        gl_read_barrier();
        glBindFramebuffer(GL_READ_FRAMEBUFFER, b->read_fbo);
        gl_attach(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, s, v->face, v->mip);
        glReadBuffer(GL_COLOR_ATTACHMENT0);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, b->pbo);
        if (total > b->pbo_size) {
            glBufferData(GL_PIXEL_PACK_BUFFER, (GLsizeiptr)total, NULL, GL_STREAM_READ);
            b->pbo_size = (size_t)total;
        }
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        glReadPixels((GLint)rect->x, (GLint)rect->y, (GLsizei)rect->w, (GLsizei)rect->h, GL_BGRA,
                     GL_UNSIGNED_INT_8_8_8_8_REV, NULL);
        const uint8_t *p =
            glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (GLsizeiptr)total, GL_MAP_READ_BIT);
        if (p) {
            bool x = f->no_alpha;
            for (uint32_t r = 0; r < rect->h; r++) {
                uint8_t *o = dst + (uint64_t)r * dst_pitch;
                memcpy(o, p + (uint64_t)r * rect->w * 4u, (size_t)rect->w * 4u);
                if (x) {
                    for (uint32_t i = 0; i < rect->w; i++) {
                        o[4 * i + 3] = 0xff;
                    }
                }
            }
            glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
        } else {
            rc = vgt_error_set(err, VGT_E_IO, "gl backend: cannot map the readback buffer");
        }
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        gl_attach(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, NULL, 0, 0);
        rc = gl_op_end(b, rc, err, "surface %u rect (%u,%u) %ux%u", s->sid, rect->x, rect->y,
                       rect->w, rect->h);
    } else {
        /* any other color format: read the SVGA bytes and decode them */
        uint32_t bw = f->block_w, bh = f->block_h;
        vgt_svga3d_box box = {rect->x / bw * bw, rect->y / bh * bh, z, 0, 0, 1};
        const vgt_surface_image *im = image_of(s, v->face, v->mip);
        box.w = rect->x + rect->w - box.x;
        box.h = rect->y + rect->h - box.y;
        box.w = (box.w + bw - 1) / bw * bw;
        box.h = (box.h + bh - 1) / bh * bh;
        if (box.x + box.w > im->size.width) {
            box.w = im->size.width - box.x;
        }
        if (box.y + box.h > im->size.height) {
            box.h = im->size.height - box.y;
        }
        box_geom g = geom(s, &box);
        uint64_t bytes = (uint64_t)g.row_bytes * g.bh;
        uint8_t *tmp = bytes <= SIZE_MAX ? malloc((size_t)bytes + 1) : NULL;
        if (!tmp) {
            return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory reading pixels");
        }
        rc = gl_surface_download(self, v->surface, v->face, v->mip, &box, tmp, g.row_bytes, bytes,
                                 err);
        for (uint32_t y = 0; rc == VGT_OK && y < rect->h; y++) {
            uint32_t *o = (uint32_t *)(void *)(dst + (uint64_t)y * dst_pitch);
            for (uint32_t x = 0; x < rect->w; x++) {
                uint32_t px = rect->x + x - box.x, py = rect->y + y - box.y;
                uint32_t argb;
                if (f->compressed) {
                    uint32_t blk[16];
                    vgt_svga3d_dxt_decode_block(f->svga,
                                                tmp + (uint64_t)(py / 4) * g.row_bytes +
                                                    (uint64_t)(px / 4) * f->block_bytes,
                                                blk);
                    argb = blk[(py % 4) * 4 + px % 4];
                } else {
                    float c[4];
                    f->decode(tmp + (uint64_t)py * g.row_bytes + (uint64_t)px * f->block_bytes, c);
                    argb = (unorm8(c[3]) << 24) | (unorm8(c[0]) << 16) | (unorm8(c[1]) << 8) |
                           unorm8(c[2]);
                }
                vgt_store_le32(&o[x], argb);
            }
        }
        free(tmp);
    }
    return rc;
}
