/* null_backend.c - the null backend: accepts everything the executor
 * validated, renders nothing, and keeps surface bytes only when asked
 * (keep_contents), so that DMA readback returns what was written.  It is the
 * reference for measuring pure virtualization cost, so every call is as
 * cheap as possible: without keep_contents a surface is one small struct and
 * data calls only count. */
#include "vgt_backend.h"

#include <stdlib.h>
#include <string.h>

typedef struct null_surface {
    uint32_t format;
    uint32_t mips;
    const vgt_surface_image *images; /* the executor's, valid while the surface lives */
    const vgt_surface_format_info *fi;
    uint8_t *bytes;                   /* keep_contents only */
    struct null_surface *prev, *next; /* the backend's live surfaces */
} null_surface;

typedef struct null_backend {
    bool keep;
    vgt_backend_null_counters n;
    /* every surface alive, so that destroy frees what its user left alive, as
     * vgt_backend_ops.destroy promises: the analyzer's native re-issue of a
     * trace whose guest did not destroy its surfaces (a capture killed or
     * limited before the teardown) leaves them to it.  Two stores per define
     * and destroy. */
    null_surface *live;
} null_backend;

static const vgt_backend_ops null_ops;

static void null_destroy(void *self)
{
    null_backend *b = self;
    for (null_surface *s = b->live, *next; s; s = next) {
        next = s->next;
        free(s->bytes);
        free(s);
    }
    free(b);
}

/* The DEVCAP index of each per-format cap, in protocol order. */
static void null_get_caps(void *self, vgt_backend_caps *c)
{
    const null_backend *b = self;
    c->hw_version = VGT_SVGA3D_HWVERSION_CURRENT;
    c->no_contents = !b->keep; /* read_pixels gives zeros */
    /* Shaders are accepted (validated by the executor) and run nowhere, so
     * shader workloads can be measured on null like any other. */
    c->shaders = true;
    c->max_color_targets = VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS;
    c->max_lights = VGT_BACKEND_MAX_LIGHTS;
    c->max_texture_size = 8192;
    c->max_volume_extent = 2048;
    c->max_surface_bytes = 1ull << 30;
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_3D, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_LIGHTS, VGT_BACKEND_MAX_LIGHTS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURES, VGT_BACKEND_MAX_STAGES);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_CLIP_PLANES, VGT_SVGA3D_MAX_CLIP_PLANES);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION, 3); /* SVGA3DVSVERSION_30 */
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_VERTEX_SHADER, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER_VERSION, 6); /* SVGA3DPSVERSION_30 */
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_RENDER_TARGETS,
                         VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_S23E8_TEXTURES, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_S10E5_TEXTURES, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND, 4);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_D16_BUFFER_FORMAT, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_D24S8_BUFFER_FORMAT, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_D24X8_BUFFER_FORMAT, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_QUERY_TYPES, 1u << VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_TEXTURE_GRADIENT_SAMPLING, 0);
    vgt_backend_caps_set_float(c, VGT_SVGA3D_DEVCAP_MAX_POINT_SIZE, 64.0f);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_SHADER_TEXTURES, VGT_SVGA3D_MAX_TEXTURE_STAGES);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_WIDTH, c->max_texture_size);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_HEIGHT, c->max_texture_size);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VOLUME_EXTENT, c->max_volume_extent);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_REPEAT, 8192);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ASPECT_RATIO, 8192);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, 16);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_PRIMITIVE_COUNT, 1u << 20);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VERTEX_INDEX, (1u << 24) - 1u);
    uint32_t ops = 0;
    for (uint32_t op = 1; op < VGT_SVGA3D_TC_MAX; op++) {
        ops |= VGT_SVGA3D_TC_CAP_BIT(op);
    }
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_TEXTURE_OPS, ops);
    for (uint32_t cap = VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8;
         cap <= VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8; cap++) {
        const vgt_surface_format_info *f = vgt_surface_format(vgt_svga3d_devcap_format(cap));
        uint32_t v = 0;
        if (f->texture) {
            v |= VGT_SVGA3D_FORMAT_OP_TEXTURE | VGT_SVGA3D_FORMAT_OP_CUBETEXTURE |
                 (f->depth ? 0 : VGT_SVGA3D_FORMAT_OP_VOLUMETEXTURE);
        }
        if (f->render_target) {
            v |= VGT_SVGA3D_FORMAT_OP_OFFSCREEN_RENDERTARGET |
                 VGT_SVGA3D_FORMAT_OP_SAME_FORMAT_RENDERTARGET |
                 VGT_SVGA3D_FORMAT_OP_3DACCELERATION;
        }
        if (f->depth) {
            v |= VGT_SVGA3D_FORMAT_OP_ZSTENCIL |
                 VGT_SVGA3D_FORMAT_OP_ZSTENCIL_WITH_ARBITRARY_COLOR_DEPTH;
        }
        if (f->format == VGT_SVGA3D_X8R8G8B8) {
            v |= VGT_SVGA3D_FORMAT_OP_DISPLAYMODE;
        }
        vgt_backend_caps_set(c, cap, v);
    }
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEXTURES, 0);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_SIMULTANEOUS_RENDER_TARGETS,
                         VGT_SVGA3D_MAX_SIMULTANEOUS_RENDER_TARGETS);
}

static vgt_status null_surface_define(void *self, const vgt_backend_surface_desc *d,
                                      vgt_backend_surface **out, vgt_error *err)
{
    null_backend *b = self;
    null_surface *s = calloc(1, sizeof(*s));
    if (!s) {
        return vgt_error_set(err, VGT_E_NOMEM, "null backend: out of memory");
    }
    s->format = d->format;
    s->mips = d->mip_levels;
    s->images = d->images;
    s->fi = vgt_surface_format(d->format);
    if (b->keep && d->total_bytes) {
        s->bytes = d->total_bytes <= SIZE_MAX ? calloc(1, (size_t)d->total_bytes) : NULL;
        if (!s->bytes) {
            free(s);
            return vgt_error_set(err, VGT_E_NOMEM,
                                 "null backend: out of memory for %llu bytes of surface %u",
                                 (unsigned long long)d->total_bytes, d->sid);
        }
    }
    s->next = b->live;
    if (b->live) {
        b->live->prev = s;
    }
    b->live = s;
    b->n.surfaces_defined++;
    b->n.surfaces_alive++;
    *out = (vgt_backend_surface *)s;
    return VGT_OK;
}

static void null_surface_destroy(void *self, vgt_backend_surface *hs)
{
    null_backend *b = self;
    null_surface *s = (null_surface *)hs;
    if (!s) {
        return;
    }
    if (s->prev) {
        s->prev->next = s->next;
    } else {
        b->live = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    free(s->bytes);
    free(s);
    b->n.surfaces_destroyed++;
    b->n.surfaces_alive--;
}

/* Where row r of slice z of box starts in (face, mip), and its length.
 * NULL (and no pointer arithmetic on NULL) when the contents are not kept. */
static uint8_t *box_row(const null_surface *s, uint32_t face, uint32_t mip,
                        const vgt_svga3d_box *box, uint32_t z, uint32_t r, uint32_t *len)
{
    const vgt_surface_image *im = &s->images[face * s->mips + mip];
    const vgt_surface_format_info *f = s->fi;
    uint32_t bx = box->x / f->block_width, by = box->y / f->block_height;
    *len = (uint32_t)(((uint64_t)box->w + f->block_width - 1u) / f->block_width) * f->block_bytes;
    if (!s->bytes) {
        return NULL;
    }
    return s->bytes + im->offset + (uint64_t)(box->z + z) * im->slice_pitch +
           (uint64_t)(by + r) * im->row_pitch + (uint64_t)bx * f->block_bytes;
}

static uint32_t box_rows(const null_surface *s, const vgt_svga3d_box *box)
{
    return (uint32_t)(((uint64_t)box->h + s->fi->block_height - 1u) / s->fi->block_height);
}

static vgt_status null_upload(void *self, vgt_backend_surface *hs, uint32_t face, uint32_t mip,
                              const vgt_svga3d_box *box, const uint8_t *src, uint32_t row_pitch,
                              uint64_t slice_pitch, uint32_t dma_flags, vgt_error *err)
{
    null_backend *b = self;
    null_surface *s = (null_surface *)hs;
    uint32_t rows = box_rows(s, box), len = 0;
    b->n.uploads++;
    if (s->bytes) {
        for (uint32_t z = 0; z < box->d; z++) {
            for (uint32_t r = 0; r < rows; r++) {
                uint8_t *dst = box_row(s, face, mip, box, z, r, &len);
                memcpy(dst, src + z * slice_pitch + (uint64_t)r * row_pitch, len);
            }
        }
    } else {
        box_row(s, face, mip, box, 0, 0, &len);
    }
    b->n.upload_bytes += (uint64_t)len * rows * box->d;
    (void)dma_flags;
    (void)err;
    return VGT_OK;
}

static vgt_status null_download(void *self, vgt_backend_surface *hs, uint32_t face, uint32_t mip,
                                const vgt_svga3d_box *box, uint8_t *dst, uint32_t row_pitch,
                                uint64_t slice_pitch, vgt_error *err)
{
    null_backend *b = self;
    null_surface *s = (null_surface *)hs;
    uint32_t rows = box_rows(s, box), len = 0;
    b->n.downloads++;
    for (uint32_t z = 0; z < box->d; z++) {
        for (uint32_t r = 0; r < rows; r++) {
            uint8_t *o = dst + z * slice_pitch + (uint64_t)r * row_pitch;
            const uint8_t *row = box_row(s, face, mip, box, z, r, &len);
            if (s->bytes) {
                memcpy(o, row, len);
            } else {
                memset(o, 0, len);
            }
        }
    }
    b->n.download_bytes += (uint64_t)len * rows * box->d;
    (void)err;
    return VGT_OK;
}

static vgt_status null_copy(void *self, const vgt_backend_view *dst, const vgt_backend_view *src,
                            const vgt_svga3d_copy_box *boxes, uint32_t count, vgt_error *err)
{
    null_backend *b = self;
    null_surface *ds = (null_surface *)dst->surface, *ss = (null_surface *)src->surface;
    b->n.copies++;
    if (!ds->bytes || !ss->bytes) {
        return VGT_OK;
    }
    for (uint32_t i = 0; i < count; i++) {
        const vgt_svga3d_copy_box *c = &boxes[i];
        vgt_svga3d_box db = {c->x, c->y, c->z, c->w, c->h, c->d};
        vgt_svga3d_box sb = {c->srcx, c->srcy, c->srcz, c->w, c->h, c->d};
        uint32_t rows = box_rows(ss, &sb), len = 0;
        box_row(ss, src->face, src->mip, &sb, 0, 0, &len);
        /* Through a temporary: source and destination may overlap. */
        uint8_t *tmp = malloc((size_t)len * rows * c->d);
        if (!tmp) {
            return vgt_error_set(err, VGT_E_NOMEM, "null backend: out of memory for a copy");
        }
        for (uint32_t z = 0; z < c->d; z++) {
            for (uint32_t r = 0; r < rows; r++) {
                const uint8_t *row = box_row(ss, src->face, src->mip, &sb, z, r, &len);
                memcpy(tmp + ((size_t)z * rows + r) * len, row, len);
            }
        }
        for (uint32_t z = 0; z < c->d; z++) {
            for (uint32_t r = 0; r < rows; r++) {
                uint8_t *row = box_row(ds, dst->face, dst->mip, &db, z, r, &len);
                memcpy(row, tmp + ((size_t)z * rows + r) * len, len);
            }
        }
        free(tmp);
    }
    return VGT_OK;
}

static vgt_status null_stretch(void *self, const vgt_backend_view *dst,
                               const vgt_svga3d_box *dst_box, const vgt_backend_view *src,
                               const vgt_svga3d_box *src_box, uint32_t mode, vgt_error *err)
{
    ((null_backend *)self)->n.stretches++;
    return VGT_OK;
}

static vgt_status null_mipmaps(void *self, vgt_backend_surface *s, uint32_t filter, vgt_error *err)
{
    ((null_backend *)self)->n.mipmap_generations++;
    return VGT_OK;
}

static vgt_status null_clear(void *self, const vgt_backend_draw_state *t, uint32_t flags,
                             uint32_t color, float depth, uint32_t stencil,
                             const vgt_svga3d_rect *rects, uint32_t count, vgt_error *err)
{
    ((null_backend *)self)->n.clears++;
    return VGT_OK;
}

static vgt_status null_draw(void *self, const vgt_backend_draw_state *state,
                            const vgt_backend_draw_range *ranges, uint32_t count,
                            vgt_backend_draw_stats *stats, vgt_error *err)
{
    null_backend *b = self;
    b->n.draws++;
    b->n.draw_ranges += count;
    for (uint32_t i = 0; i < count; i++) {
        b->n.primitives += ranges[i].primitive_count;
        if (stats) {
            stats->primitives += ranges[i].primitive_count;
        }
    }
    return VGT_OK;
}

static vgt_status null_read_pixels(void *self, const vgt_backend_view *v,
                                   const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                                   vgt_error *err)
{
    null_backend *b = self;
    const null_surface *s = (const null_surface *)v->surface;
    b->n.reads++;
    b->n.read_pixels += (uint64_t)rect->w * rect->h;
    bool direct =
        s->bytes && (s->format == VGT_SVGA3D_X8R8G8B8 || s->format == VGT_SVGA3D_A8R8G8B8);
    const vgt_surface_image *im = &s->images[v->face * s->mips + v->mip];
    for (uint32_t y = 0; y < rect->h; y++) {
        uint8_t *o = dst + (uint64_t)y * dst_pitch;
        if (!direct) {
            memset(o, 0, (size_t)rect->w * 4u);
            continue;
        }
        memcpy(o,
               s->bytes + im->offset + (uint64_t)(rect->y + y) * im->row_pitch +
                   (uint64_t)rect->x * 4u,
               (size_t)rect->w * 4u);
        if (s->format == VGT_SVGA3D_X8R8G8B8) {
            for (uint32_t x = 0; x < rect->w; x++) {
                o[x * 4u + 3u] = 0xFF;
            }
        }
    }
    return VGT_OK;
}

static vgt_status null_shader_define(void *self, uint32_t type, const uint32_t *bytecode,
                                     uint32_t words, vgt_backend_shader **out, vgt_error *err)
{
    null_backend *b = self;
    b->n.shaders_defined++;
    b->n.shaders_alive++;
    *out = NULL; /* nothing to keep: the null backend runs no shader */
    return VGT_OK;
}

static void null_shader_destroy(void *self, vgt_backend_shader *sh)
{
    ((null_backend *)self)->n.shaders_alive--;
}

static const vgt_backend_ops null_ops = {
    .name = "null",
    .destroy = null_destroy,
    .get_caps = null_get_caps,
    .surface_define = null_surface_define,
    .surface_destroy = null_surface_destroy,
    .surface_upload = null_upload,
    .surface_download = null_download,
    .surface_copy = null_copy,
    .surface_stretch = null_stretch,
    .generate_mipmaps = null_mipmaps,
    .clear = null_clear,
    .draw = null_draw,
    .read_pixels = null_read_pixels,
    .shader_define = null_shader_define,
    .shader_destroy = null_shader_destroy,
};

vgt_status vgt_backend_null_create(const vgt_backend_options *opt, vgt_backend *out, vgt_error *err)
{
    null_backend *b = calloc(1, sizeof(*b));
    if (!b) {
        return vgt_error_set(err, VGT_E_NOMEM, "null backend: out of memory");
    }
    b->keep = opt && opt->keep_contents;
    out->ops = &null_ops;
    out->self = b;
    return VGT_OK;
}

vgt_status vgt_backend_null_counters_get(const vgt_backend *be, vgt_backend_null_counters *out)
{
    if (!be || be->ops != &null_ops) {
        return VGT_E_INVALID;
    }
    *out = ((const null_backend *)be->self)->n;
    return VGT_OK;
}
