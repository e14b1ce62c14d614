/* surface3d.c - SVGA3D surfaces: the format table, image size arithmetic
 * (overflow-checked, block-compressed and volume formats included), surface
 * definition and destruction, and the commands that move surface data:
 * SURFACE_DMA (both directions, with the suffix), SURFACE_COPY,
 * SURFACE_STRETCHBLT and GENERATE_MIPMAPS.  Every box is validated against
 * its image before the backend sees it. */
#include "exec3d.h"

#include <stdlib.h>
#include <string.h>

/* ---- the format table --------------------------------------------------- */

#define C  1u  /* color */
#define D  2u  /* depth */
#define S  4u  /* stencil */
#define X  8u  /* compressed */
#define RT 16u /* color render target */
#define T  32u /* texture */
#define B  64u /* buffer */

typedef struct fmt_row {
    uint32_t format;
    const char *name;
    uint8_t bw, bh, bytes;
    uint8_t flags;
} fmt_row;

static const fmt_row fmt_rows[] = {
    {VGT_SVGA3D_X8R8G8B8, "X8R8G8B8", 1, 1, 4, C | RT | T},
    {VGT_SVGA3D_A8R8G8B8, "A8R8G8B8", 1, 1, 4, C | RT | T},
    {VGT_SVGA3D_R5G6B5, "R5G6B5", 1, 1, 2, C | RT | T},
    {VGT_SVGA3D_X1R5G5B5, "X1R5G5B5", 1, 1, 2, C | RT | T},
    {VGT_SVGA3D_A1R5G5B5, "A1R5G5B5", 1, 1, 2, C | RT | T},
    {VGT_SVGA3D_A4R4G4B4, "A4R4G4B4", 1, 1, 2, C | RT | T},
    {VGT_SVGA3D_Z_D32, "Z_D32", 1, 1, 4, D | T},
    {VGT_SVGA3D_Z_D16, "Z_D16", 1, 1, 2, D | T},
    {VGT_SVGA3D_Z_D24S8, "Z_D24S8", 1, 1, 4, D | S | T},
    {VGT_SVGA3D_Z_D15S1, "Z_D15S1", 1, 1, 2, D | S | T},
    {VGT_SVGA3D_LUMINANCE8, "LUMINANCE8", 1, 1, 1, C | T},
    {VGT_SVGA3D_LUMINANCE4_ALPHA4, "LUMINANCE4_ALPHA4", 1, 1, 1, C | T},
    {VGT_SVGA3D_LUMINANCE16, "LUMINANCE16", 1, 1, 2, C | T},
    {VGT_SVGA3D_LUMINANCE8_ALPHA8, "LUMINANCE8_ALPHA8", 1, 1, 2, C | T},
    {VGT_SVGA3D_DXT1, "DXT1", 4, 4, 8, C | X | T},
    {VGT_SVGA3D_DXT2, "DXT2", 4, 4, 16, C | X | T},
    {VGT_SVGA3D_DXT3, "DXT3", 4, 4, 16, C | X | T},
    {VGT_SVGA3D_DXT4, "DXT4", 4, 4, 16, C | X | T},
    {VGT_SVGA3D_DXT5, "DXT5", 4, 4, 16, C | X | T},
    {VGT_SVGA3D_BUMPU8V8, "BUMPU8V8", 1, 1, 2, C | T},
    {VGT_SVGA3D_BUMPL6V5U5, "BUMPL6V5U5", 1, 1, 2, C | T},
    {VGT_SVGA3D_BUMPX8L8V8U8, "BUMPX8L8V8U8", 1, 1, 4, C | T},
    {VGT_SVGA3D_BUMPL8V8U8, "BUMPL8V8U8", 1, 1, 3, C | T},
    {VGT_SVGA3D_ARGB_S10E5, "ARGB_S10E5", 1, 1, 8, C | RT | T},
    {VGT_SVGA3D_ARGB_S23E8, "ARGB_S23E8", 1, 1, 16, C | RT | T},
    {VGT_SVGA3D_A2R10G10B10, "A2R10G10B10", 1, 1, 4, C | RT | T},
    {VGT_SVGA3D_V8U8, "V8U8", 1, 1, 2, C | T},
    {VGT_SVGA3D_Q8W8V8U8, "Q8W8V8U8", 1, 1, 4, C | T},
    {VGT_SVGA3D_CXV8U8, "CXV8U8", 1, 1, 2, C | T},
    {VGT_SVGA3D_X8L8V8U8, "X8L8V8U8", 1, 1, 4, C | T},
    {VGT_SVGA3D_A2W10V10U10, "A2W10V10U10", 1, 1, 4, C | T},
    {VGT_SVGA3D_ALPHA8, "ALPHA8", 1, 1, 1, C | T},
    {VGT_SVGA3D_R_S10E5, "R_S10E5", 1, 1, 2, C | RT | T},
    {VGT_SVGA3D_R_S23E8, "R_S23E8", 1, 1, 4, C | RT | T},
    {VGT_SVGA3D_RG_S10E5, "RG_S10E5", 1, 1, 4, C | RT | T},
    {VGT_SVGA3D_RG_S23E8, "RG_S23E8", 1, 1, 8, C | RT | T},
    {VGT_SVGA3D_BUFFER, "BUFFER", 1, 1, 1, B},
    {VGT_SVGA3D_Z_D24X8, "Z_D24X8", 1, 1, 4, D | T},
};

static vgt_surface_format_info fmt_info[VGT_SVGA3D_FORMAT_MAX];
static bool fmt_ready;

static void fmt_init(void)
{
    /* Idempotent: concurrent first calls write the same values. */
    for (size_t i = 0; i < sizeof(fmt_rows) / sizeof(fmt_rows[0]); i++) {
        const fmt_row *r = &fmt_rows[i];
        vgt_surface_format_info *f = &fmt_info[r->format];
        f->format = r->format;
        f->name = r->name;
        f->block_width = r->bw;
        f->block_height = r->bh;
        f->block_bytes = r->bytes;
        f->color = (r->flags & C) != 0;
        f->depth = (r->flags & D) != 0;
        f->stencil = (r->flags & S) != 0;
        f->compressed = (r->flags & X) != 0;
        f->render_target = (r->flags & RT) != 0;
        f->texture = (r->flags & T) != 0;
        f->buffer = (r->flags & B) != 0;
    }
    __atomic_store_n(&fmt_ready, true, __ATOMIC_RELEASE);
}

const vgt_surface_format_info *vgt_surface_format(uint32_t format)
{
    if (!__atomic_load_n(&fmt_ready, __ATOMIC_ACQUIRE)) {
        fmt_init();
    }
    if (format == 0 || format >= VGT_SVGA3D_FORMAT_MAX || !fmt_info[format].name) {
        return NULL;
    }
    return &fmt_info[format];
}

vgt_status vgt_surface_image_size(uint32_t format, uint32_t width, uint32_t height, uint32_t depth,
                                  uint32_t *row_pitch, uint64_t *slice_pitch, uint64_t *bytes,
                                  vgt_error *err)
{
    const vgt_surface_format_info *f = vgt_surface_format(format);
    if (!f) {
        return vgt_error_set(err, VGT_E_RANGE, "surface format %u is not a legacy SVGA3D format",
                             format);
    }
    if (width == 0 || height == 0 || depth == 0) {
        return vgt_error_set(err, VGT_E_RANGE, "%s image %ux%ux%u has a zero dimension", f->name,
                             width, height, depth);
    }
    uint64_t bx = ((uint64_t)width + f->block_width - 1u) / f->block_width;
    uint64_t by = ((uint64_t)height + f->block_height - 1u) / f->block_height;
    uint64_t row = bx * f->block_bytes; /* < 2^32 * 16: fits */
    uint64_t slice, total;
    if (row > UINT32_MAX || vgt_mul_overflow_u64(row, by, &slice) ||
        vgt_mul_overflow_u64(slice, depth, &total)) {
        return vgt_error_set(err, VGT_E_RANGE, "%s image %ux%ux%u: size overflows", f->name, width,
                             height, depth);
    }
    if (row_pitch) {
        *row_pitch = (uint32_t)row;
    }
    if (slice_pitch) {
        *slice_pitch = slice;
    }
    if (bytes) {
        *bytes = total;
    }
    return VGT_OK;
}

/* ---- surfaces ----------------------------------------------------------- */

e3d_surface *e3d_surface_get(const vgt_exec3d *e, uint32_t sid)
{
    return sid < e->surface_cap ? e->surfaces[sid] : NULL;
}

vgt_status e3d_image_find(const vgt_exec3d *e, const char *what,
                          const vgt_svga3d_surface_image_id *id, e3d_surface **s,
                          const vgt_surface_image **im, vgt_error *err)
{
    e3d_surface *sf = e3d_surface_get(e, id->sid);
    if (!sf) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: surface %u is not defined", what, id->sid);
    }
    if (id->face >= sf->faces || id->mipmap >= sf->mips) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s: surface %u has %u face(s) and %u mip level(s); face %u mip %u "
                             "does not exist",
                             what, id->sid, sf->faces, sf->mips, id->face, id->mipmap);
    }
    *s = sf;
    if (im) {
        *im = &sf->images[id->face * sf->mips + id->mipmap];
    }
    return VGT_OK;
}

vgt_backend_view e3d_view(const e3d_surface *s, uint32_t face, uint32_t mip)
{
    vgt_backend_view v = {.surface = s->host, .face = face, .mip = mip, .format = s->format};
    v.size = s->images[face * s->mips + mip].size;
    return v;
}

void e3d_surface_free(vgt_exec3d *e, e3d_surface *s)
{
    if (!s) {
        return;
    }
    e->be.ops->surface_destroy(e->be.self, s->host);
    e->surface_bytes -= s->total_bytes;
    free(s->images);
    free(s);
}

static uint32_t mip_dim(uint32_t base, uint32_t m)
{
    uint32_t v = m < 32 ? base >> m : 0;
    return v ? v : 1u;
}

static uint32_t log2_floor(uint32_t v)
{
    uint32_t r = 0;
    while (v >>= 1) {
        r++;
    }
    return r;
}

vgt_status e3d_surface_layout(const vgt_cmd *cmd, const vgt_backend_caps *caps, uint32_t *faces_out,
                              uint32_t *mips_out, vgt_surface_image **images_out,
                              uint64_t *total_out, vgt_error *err)
{
    /* SURFACE_DEFINE's fields are a prefix of SURFACE_DEFINE_V2's. */
    const vgt_svga3d_cmd_surface_define_v2 *c = &cmd->u.surface_define_v2;
    const char *name = cmd->desc->name;
    *images_out = NULL;
    if (c->sid >= VGT_EXEC3D_MAX_SURFACE_IDS) {
        return vgt_error_set(err, VGT_E_RANGE, "%s: surface id %u (ids are 0..%u)", name, c->sid,
                             VGT_EXEC3D_MAX_SURFACE_IDS - 1u);
    }
    const vgt_surface_format_info *fi = vgt_surface_format(c->format);
    if (!fi) {
        return vgt_error_set(err, VGT_E_INVALID, "%s: surface %u: unknown format %u", name, c->sid,
                             c->format);
    }
    bool cube = (c->surface_flags & VGT_SVGA3D_SURFACE_CUBEMAP) != 0;
    uint32_t faces = cube ? 6u : 1u;
    uint32_t mips = c->face_mip_levels[0]; /* the decoder checked the other faces */
    if (cmd->items.count != faces * mips) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s: surface %u: %u sizes for %u faces of %u levels", name, c->sid,
                             cmd->items.count, faces, mips);
    }
    vgt_svga3d_size base;
    vgt_cmd_array_get(&cmd->items, 0, &base);
    if (base.width == 0 || base.height == 0 || base.depth == 0) {
        return vgt_error_set(err, VGT_E_INVALID, "%s: surface %u: level 0 is %ux%ux%u (zero size)",
                             name, c->sid, base.width, base.height, base.depth);
    }
    if (fi->buffer) {
        if (cube || mips != 1) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s: surface %u: a BUFFER has one face and one level", name,
                                 c->sid);
        }
    } else {
        if (caps && (base.width > caps->max_texture_size || base.height > caps->max_texture_size ||
                     base.depth > caps->max_volume_extent)) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "%s: surface %u: %ux%ux%u exceeds the backend's limits "
                                 "(%u x %u, depth %u)",
                                 name, c->sid, base.width, base.height, base.depth,
                                 caps->max_texture_size, caps->max_texture_size,
                                 caps->max_volume_extent);
        }
        if (cube && (base.width != base.height || base.depth != 1)) {
            return vgt_error_set(err, VGT_E_INVALID,
                                 "%s: cube surface %u: faces must be square and 2D, not %ux%ux%u",
                                 name, c->sid, base.width, base.height, base.depth);
        }
        uint32_t big = base.width > base.height ? base.width : base.height;
        big = big > base.depth ? big : base.depth;
        if (mips > log2_floor(big) + 1u) {
            return vgt_error_set(
                err, VGT_E_INVALID,
                "%s: surface %u: %u mip levels for a %ux%ux%u level 0 (at most %u)", name, c->sid,
                mips, base.width, base.height, base.depth, log2_floor(big) + 1u);
        }
    }

    vgt_surface_image *images = calloc((size_t)faces * mips, sizeof(*images));
    if (!images) {
        return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory", name);
    }
    uint64_t total = 0;
    vgt_status st = VGT_OK;
    for (uint32_t f = 0; f < faces && st == VGT_OK; f++) {
        for (uint32_t m = 0; m < mips; m++) {
            vgt_svga3d_size sz;
            vgt_cmd_array_get(&cmd->items, f * mips + m, &sz);
            vgt_svga3d_size want = {mip_dim(base.width, m), mip_dim(base.height, m),
                                    mip_dim(base.depth, m)};
            if (sz.width != want.width || sz.height != want.height || sz.depth != want.depth) {
                st = vgt_error_set(err, VGT_E_INVALID,
                                   "%s: surface %u face %u level %u is %ux%ux%u; the mip chain of "
                                   "a %ux%ux%u level 0 needs %ux%ux%u",
                                   name, c->sid, f, m, sz.width, sz.height, sz.depth, base.width,
                                   base.height, base.depth, want.width, want.height, want.depth);
                break;
            }
            vgt_surface_image *im = &images[f * mips + m];
            im->size = sz;
            st = vgt_surface_image_size(c->format, sz.width, sz.height, sz.depth, &im->row_pitch,
                                        &im->slice_pitch, &im->bytes, err);
            if (st != VGT_OK) {
                vgt_error_prefix(err, "%s: surface %u face %u level %u", name, c->sid, f, m);
                break;
            }
            im->offset = total;
            if (vgt_add_overflow_u64(total, im->bytes, &total)) {
                st = vgt_error_set(err, VGT_E_RANGE, "%s: surface %u: total size overflows", name,
                                   c->sid);
                break;
            }
        }
    }
    if (st == VGT_OK && caps && total > caps->max_surface_bytes) {
        st = vgt_error_set(err, VGT_E_RANGE,
                           "%s: surface %u needs %llu bytes; the backend allows %llu per surface",
                           name, c->sid, (unsigned long long)total,
                           (unsigned long long)caps->max_surface_bytes);
    }
    if (st != VGT_OK) {
        free(images);
        return st;
    }
    *faces_out = faces;
    *mips_out = mips;
    *images_out = images;
    *total_out = total;
    return VGT_OK;
}

vgt_status e3d_surface_budget(const vgt_cmd *cmd, uint64_t total, uint64_t others, vgt_error *err)
{
    if (total > VGT_EXEC3D_MAX_TOTAL_BYTES - others) {
        return vgt_error_set(err, VGT_E_NOMEM,
                             "%s: surface %u (%llu bytes) would exceed the %llu-byte budget of all "
                             "surfaces (%llu in use)",
                             cmd->desc->name, cmd->u.surface_define.sid, (unsigned long long)total,
                             (unsigned long long)VGT_EXEC3D_MAX_TOTAL_BYTES,
                             (unsigned long long)others);
    }
    return VGT_OK;
}

vgt_status e3d_cmd_surface_define(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_surface_define_v2 *c = &cmd->u.surface_define_v2;
    bool v2 = cmd->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2;
    const char *name = cmd->desc->name;
    uint32_t faces, mips;
    vgt_surface_image *images;
    uint64_t total;
    vgt_status st = e3d_surface_layout(cmd, &e->caps, &faces, &mips, &images, &total, err);
    if (st != VGT_OK) {
        return st;
    }
    e3d_surface *s = calloc(1, sizeof(*s));
    if (!s) {
        free(images);
        return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory", name);
    }
    vgt_svga3d_size base = images[0].size;
    e3d_surface *old = e3d_surface_get(e, c->sid);
    st = e3d_surface_budget(cmd, total, e->surface_bytes - (old ? old->total_bytes : 0), err);
    if (st == VGT_OK && c->sid >= e->surface_cap) {
        uint32_t cap = e->surface_cap ? e->surface_cap : 64u;
        while (cap <= c->sid) {
            cap *= 2u;
        }
        e3d_surface **p = realloc(e->surfaces, (size_t)cap * sizeof(*p));
        if (!p) {
            st = vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory for the surface table", name);
        } else {
            memset(p + e->surface_cap, 0, (size_t)(cap - e->surface_cap) * sizeof(*p));
            e->surfaces = p;
            e->surface_cap = cap;
        }
    }
    if (st != VGT_OK) {
        free(images);
        free(s);
        return st;
    }
    s->sid = c->sid;
    s->format = c->format;
    s->flags = c->surface_flags;
    s->faces = faces;
    s->mips = mips;
    s->size = base;
    s->multisample = v2 ? c->multisample_count : 0;
    s->autogen_filter = v2 ? c->autogen_filter : 0;
    s->fi = vgt_surface_format(c->format);
    s->total_bytes = total;
    s->images = images;
    vgt_backend_surface_desc d = {
        .sid = s->sid,
        .format = s->format,
        .flags = s->flags,
        .faces = faces,
        .mip_levels = mips,
        .size = base,
        .multisample_count = s->multisample,
        .autogen_filter = s->autogen_filter,
        .total_bytes = total,
        .images = images,
    };
    /* The new host surface first: if it fails, the old surface is untouched. */
    st = e->be.ops->surface_define(e->be.self, &d, &s->host, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "%s: surface %u", name, c->sid);
        free(images);
        free(s);
        return st;
    }
    if (old) {
        /* Redefining a live id destroys the old surface (as hosts do). */
        e3d_unbind_surface(e, old->sid);
        e3d_surface_free(e, old);
        e->surface_count--;
    }
    e->surfaces[c->sid] = s;
    e->surface_count++;
    e->objects_gen++;
    e->surface_bytes += total;
    return VGT_OK;
}

vgt_status e3d_cmd_surface_destroy(vgt_exec3d *e, uint32_t sid, vgt_error *err)
{
    e3d_surface *s = e3d_surface_get(e, sid);
    if (!s) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "SURFACE_DESTROY: surface %u is not defined",
                             sid);
    }
    e3d_unbind_surface(e, sid);
    e->surfaces[sid] = NULL;
    e->surface_count--;
    e->objects_gen++;
    e3d_surface_free(e, s);
    return VGT_OK;
}

/* ---- boxes -------------------------------------------------------------- */

/* Checks that box (x, y, z, w, h, d) lies inside im and respects f's block
 * alignment (x, y on block boundaries; w, h whole blocks unless the box
 * reaches the image's edge). */
static vgt_status box_check(const char *what, const vgt_surface_format_info *f,
                            const vgt_surface_image *im, uint32_t x, uint32_t y, uint32_t z,
                            uint32_t w, uint32_t h, uint32_t d, vgt_error *err)
{
    if (!vgt_range_inside(x, w, im->size.width) || !vgt_range_inside(y, h, im->size.height) ||
        !vgt_range_inside(z, d, im->size.depth)) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s box (%u,%u,%u) %ux%ux%u is not inside the %ux%ux%u image", what, x,
                             y, z, w, h, d, im->size.width, im->size.height, im->size.depth);
    }
    if (x % f->block_width || y % f->block_height ||
        (w % f->block_width && (uint64_t)x + w != im->size.width) ||
        (h % f->block_height && (uint64_t)y + h != im->size.height)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s box (%u,%u) %ux%u is not aligned to %s's %ux%u blocks", what, x, y,
                             w, h, f->name, f->block_width, f->block_height);
    }
    return VGT_OK;
}

/* *acc += a * b; true on overflow. */
static bool mul_add(uint64_t *acc, uint64_t a, uint64_t b)
{
    uint64_t p;
    return vgt_mul_overflow_u64(a, b, &p) || vgt_add_overflow_u64(*acc, p, acc);
}

static uint32_t blocks(uint32_t v, uint32_t b)
{
    return (uint32_t)(((uint64_t)v + b - 1u) / b);
}

/* ---- SURFACE_DMA -------------------------------------------------------- */

vgt_status e3d_dma_box_check(const char *what, const vgt_surface_format_info *f,
                             const vgt_surface_image *im, const vgt_svga3d_copy_box *cb,
                             uint32_t *row_bytes, uint32_t *rows, vgt_error *err)
{
    vgt_status st = box_check(what, f, im, cb->x, cb->y, cb->z, cb->w, cb->h, cb->d, err);
    if (st != VGT_OK) {
        return st;
    }
    if (cb->srcx % f->block_width || cb->srcy % f->block_height) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s: guest origin (%u,%u) is not on a %ux%u block boundary", what,
                             cb->srcx, cb->srcy, f->block_width, f->block_height);
    }
    *row_bytes = blocks(cb->w, f->block_width) * f->block_bytes;
    *rows = blocks(cb->h, f->block_height);
    return VGT_OK;
}

typedef struct dma_box {
    vgt_svga3d_box box;
    uint64_t guest; /* absolute GMR offset of the box's first byte */
    uint32_t row_bytes, rows;
    uint64_t staged; /* offset in the staging buffer */
} dma_box;

vgt_status e3d_cmd_surface_dma(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_surface_dma *c = &cmd->u.surface_dma;
    bool write = c->transfer == VGT_SVGA3D_WRITE_HOST_VRAM; /* guest -> host */
    e3d_surface *s;
    const vgt_surface_image *im;
    vgt_status st = e3d_image_find(e, "SURFACE_DMA", &c->host, &s, &im, err);
    if (st != VGT_OK) {
        return st;
    }
    const vgt_surface_format_info *f = s->fi;
    uint32_t nbox = cmd->items.count;
    if (nbox == 0) {
        return VGT_OK;
    }
    /* The guest image has the host image's shape: rows of blocks `pitch`
     * bytes apart (0: tightly packed), slices pitch * block rows apart. */
    uint64_t pitch = c->guest.pitch ? c->guest.pitch : im->row_pitch;
    uint64_t gslice = pitch * blocks(im->size.height, f->block_height);
    uint64_t max_end =
        (uint64_t)c->guest.ptr.offset + (uint64_t)cmd->dma_suffix.maximum_offset; /* exclusive */
    dma_box *boxes = calloc(nbox, sizeof(*boxes));
    if (!boxes) {
        return vgt_error_set(err, VGT_E_NOMEM, "SURFACE_DMA: out of memory for %u boxes", nbox);
    }
    uint64_t total = 0;
    uint32_t used = 0;
    for (uint32_t i = 0; i < nbox; i++) {
        vgt_svga3d_copy_box cb;
        vgt_cmd_array_get(&cmd->items, i, &cb);
        if (cb.w == 0 || cb.h == 0 || cb.d == 0) {
            continue; /* an empty box moves nothing */
        }
        char what[48];
        snprintf(what, sizeof(what), "SURFACE_DMA box %u", i);
        dma_box *b = &boxes[used];
        st = e3d_dma_box_check(what, f, im, &cb, &b->row_bytes, &b->rows, err);
        if (st != VGT_OK) {
            break;
        }
        b->box = (vgt_svga3d_box){cb.x, cb.y, cb.z, cb.w, cb.h, cb.d};
        /* First byte: srcz slices, srcy/bh rows and srcx/bw blocks in; the
         * box ends (d-1) slices, (rows-1) rows and row_bytes after it. */
        uint64_t first = c->guest.ptr.offset, end = 0, bytes;
        bool ovf = mul_add(&first, cb.srcz, gslice) ||
                   mul_add(&first, cb.srcy / f->block_height, pitch) ||
                   mul_add(&first, cb.srcx / f->block_width, f->block_bytes);
        end = first;
        ovf = ovf || mul_add(&end, cb.d - 1u, gslice) || mul_add(&end, b->rows - 1u, pitch) ||
              mul_add(&end, 1, b->row_bytes);
        if (ovf || end > (1ull << 32)) {
            st = vgt_error_set(err, VGT_E_RANGE,
                               "%s: guest origin (%u,%u,%u) with pitch %llu reaches beyond 4 GiB "
                               "of GMR %u",
                               what, cb.srcx, cb.srcy, cb.srcz, (unsigned long long)pitch,
                               c->guest.ptr.gmr_id);
            break;
        }
        if (end > max_end) {
            st = vgt_error_set(err, VGT_E_RANGE,
                               "%s: guest bytes up to offset %llu exceed the DMA suffix's maximum "
                               "offset %u (from %u)",
                               what, (unsigned long long)(end - c->guest.ptr.offset),
                               cmd->dma_suffix.maximum_offset, c->guest.ptr.offset);
            break;
        }
        b->guest = first;
        bytes = (uint64_t)b->row_bytes * b->rows * cb.d;
        b->staged = total;
        if (vgt_add_overflow_u64(total, bytes, &total) || total > VGT_EXEC3D_MAX_DMA_BYTES) {
            st = vgt_error_set(err, VGT_E_RANGE,
                               "SURFACE_DMA moves more than %u bytes in one command; split it",
                               VGT_EXEC3D_MAX_DMA_BYTES);
            break;
        }
        used++;
    }
    uint8_t *buf = NULL;
    if (st == VGT_OK && used) {
        st = e3d_staging(e, total, &buf, err);
    }
    if (st != VGT_OK || used == 0) {
        free(boxes);
        return st;
    }
    /* Guest -> staging, then staging -> host: a guest memory failure leaves
     * the host surface untouched. */
    for (uint32_t i = 0; write && i < used && st == VGT_OK; i++) {
        dma_box *b = &boxes[i];
        uint8_t *dst = buf + b->staged;
        uint64_t box_rows = (uint64_t)b->rows * b->box.d;
        if (pitch == b->row_bytes && (b->box.d == 1 || gslice == pitch * b->rows)) {
            st = e3d_mem_read(e, c->guest.ptr.gmr_id, b->guest, dst, box_rows * b->row_bytes, err);
        } else {
            for (uint32_t z = 0; z < b->box.d && st == VGT_OK; z++) {
                for (uint32_t r = 0; r < b->rows && st == VGT_OK; r++) {
                    st = e3d_mem_read(e, c->guest.ptr.gmr_id, b->guest + z * gslice + r * pitch,
                                      dst, b->row_bytes, err);
                    dst += b->row_bytes;
                }
            }
        }
        if (st != VGT_OK) {
            vgt_error_prefix(err, "SURFACE_DMA box %u (guest GMR %u)", i, c->guest.ptr.gmr_id);
        }
    }
    for (uint32_t i = 0; i < used && st == VGT_OK; i++) {
        dma_box *b = &boxes[i];
        uint64_t slice = (uint64_t)b->row_bytes * b->rows;
        if (write) {
            st = e->be.ops->surface_upload(e->be.self, s->host, c->host.face, c->host.mipmap,
                                           &b->box, buf + b->staged, b->row_bytes, slice,
                                           cmd->dma_suffix.flags, err);
        } else {
            st = e->be.ops->surface_download(e->be.self, s->host, c->host.face, c->host.mipmap,
                                             &b->box, buf + b->staged, b->row_bytes, slice, err);
        }
        if (st != VGT_OK) {
            vgt_error_prefix(err, "SURFACE_DMA box %u", i);
        }
    }
    /* Staging -> guest (READ_HOST_VRAM): a failure here leaves the rows
     * before it written (guest memory is the guest's; the host is unchanged). */
    for (uint32_t i = 0; !write && i < used && st == VGT_OK; i++) {
        dma_box *b = &boxes[i];
        const uint8_t *src = buf + b->staged;
        for (uint32_t z = 0; z < b->box.d && st == VGT_OK; z++) {
            for (uint32_t r = 0; r < b->rows && st == VGT_OK; r++) {
                st = e3d_mem_write(e, c->guest.ptr.gmr_id, b->guest + z * gslice + r * pitch, src,
                                   b->row_bytes, err);
                src += b->row_bytes;
            }
        }
        if (st != VGT_OK) {
            vgt_error_prefix(err, "SURFACE_DMA box %u (guest GMR %u)", i, c->guest.ptr.gmr_id);
        }
    }
    if (st == VGT_OK) {
        if (write) {
            e->counters.dma_uploads++;
            e->counters.dma_bytes_in += total;
        } else {
            e->counters.dma_downloads++;
            e->counters.dma_bytes_out += total;
        }
    }
    free(boxes);
    return st;
}

/* ---- SURFACE_COPY, SURFACE_STRETCHBLT, GENERATE_MIPMAPS ------------------ */

vgt_status e3d_cmd_surface_copy(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_surface_copy *c = &cmd->u.surface_copy;
    e3d_surface *ss = NULL, *ds = NULL; /* set when VGT_OK (-O3 cannot see it) */
    const vgt_surface_image *si = NULL, *di = NULL;
    vgt_status st = e3d_image_find(e, "SURFACE_COPY source", &c->src, &ss, &si, err);
    if (st == VGT_OK) {
        st = e3d_image_find(e, "SURFACE_COPY destination", &c->dest, &ds, &di, err);
    }
    if (st != VGT_OK) {
        return st;
    }
    const vgt_surface_format_info *sf = ss->fi, *df = ds->fi;
    if (sf->block_bytes != df->block_bytes || sf->block_width != df->block_width ||
        sf->block_height != df->block_height) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "SURFACE_COPY: %s (surface %u) and %s (surface %u) have different "
                             "block sizes",
                             sf->name, ss->sid, df->name, ds->sid);
    }
    uint32_t n = cmd->items.count;
    vgt_svga3d_copy_box *boxes = n ? calloc(n, sizeof(*boxes)) : NULL;
    if (n && !boxes) {
        return vgt_error_set(err, VGT_E_NOMEM, "SURFACE_COPY: out of memory");
    }
    uint32_t used = 0;
    for (uint32_t i = 0; i < n && st == VGT_OK; i++) {
        vgt_svga3d_copy_box b;
        vgt_cmd_array_get(&cmd->items, i, &b);
        if (b.w == 0 || b.h == 0 || b.d == 0) {
            continue;
        }
        char what[64];
        snprintf(what, sizeof(what), "SURFACE_COPY box %u destination", i);
        st = box_check(what, df, di, b.x, b.y, b.z, b.w, b.h, b.d, err);
        if (st == VGT_OK) {
            snprintf(what, sizeof(what), "SURFACE_COPY box %u source", i);
            st = box_check(what, sf, si, b.srcx, b.srcy, b.srcz, b.w, b.h, b.d, err);
        }
        boxes[used++] = b;
    }
    if (st == VGT_OK && used) {
        vgt_backend_view dv = e3d_view(ds, c->dest.face, c->dest.mipmap);
        vgt_backend_view sv = e3d_view(ss, c->src.face, c->src.mipmap);
        st = e->be.ops->surface_copy(e->be.self, &dv, &sv, boxes, used, err);
    }
    free(boxes);
    return st;
}

vgt_status e3d_cmd_surface_stretchblt(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_surface_stretchblt *c = &cmd->u.surface_stretchblt;
    e3d_surface *ss = NULL, *ds = NULL; /* set when VGT_OK (-O3 cannot see it) */
    const vgt_surface_image *si = NULL, *di = NULL;
    vgt_status st = e3d_image_find(e, "SURFACE_STRETCHBLT source", &c->src, &ss, &si, err);
    if (st == VGT_OK) {
        st = e3d_image_find(e, "SURFACE_STRETCHBLT destination", &c->dest, &ds, &di, err);
    }
    if (st == VGT_OK) {
        const vgt_svga3d_box *sb = &c->box_src, *db = &c->box_dest;
        st = box_check("SURFACE_STRETCHBLT source", ss->fi, si, sb->x, sb->y, sb->z, sb->w, sb->h,
                       sb->d, err);
        if (st == VGT_OK) {
            st = box_check("SURFACE_STRETCHBLT destination", ds->fi, di, db->x, db->y, db->z, db->w,
                           db->h, db->d, err);
        }
    }
    if (st != VGT_OK) {
        return st;
    }
    if (ss->fi->compressed || ds->fi->compressed || ss->fi->buffer || ds->fi->buffer) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "SURFACE_STRETCHBLT: %s -> %s: compressed and BUFFER surfaces cannot "
                             "be stretched",
                             ss->fi->name, ds->fi->name);
    }
    if (ss->fi->depth != ds->fi->depth ||
        (ss->fi->depth && (ss->format != ds->format || c->mode != VGT_SVGA3D_STRETCH_BLT_POINT))) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "SURFACE_STRETCHBLT: %s -> %s: depth surfaces stretch only to the "
                             "same format with POINT",
                             ss->fi->name, ds->fi->name);
    }
    if (c->box_src.w == 0 || c->box_src.h == 0 || c->box_src.d == 0 || c->box_dest.w == 0 ||
        c->box_dest.h == 0 || c->box_dest.d == 0) {
        return VGT_OK;
    }
    vgt_backend_view dv = e3d_view(ds, c->dest.face, c->dest.mipmap);
    vgt_backend_view sv = e3d_view(ss, c->src.face, c->src.mipmap);
    return e->be.ops->surface_stretch(e->be.self, &dv, &c->box_dest, &sv, &c->box_src, c->mode,
                                      err);
}

vgt_status e3d_mipmaps_check(const vgt_surface_format_info *f, uint32_t sid, vgt_error *err)
{
    if (f->compressed || f->buffer || f->depth) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "GENERATE_MIPMAPS: surface %u is %s; mipmaps are generated for "
                             "uncompressed color formats only",
                             sid, f->name);
    }
    return VGT_OK;
}

vgt_status e3d_cmd_generate_mipmaps(vgt_exec3d *e, const vgt_cmd *cmd, vgt_error *err)
{
    const vgt_svga3d_cmd_generate_mipmaps *c = &cmd->u.generate_mipmaps;
    e3d_surface *s = e3d_surface_get(e, c->sid);
    if (!s) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GENERATE_MIPMAPS: surface %u is not defined",
                             c->sid);
    }
    vgt_status st = e3d_mipmaps_check(s->fi, c->sid, err);
    if (st != VGT_OK) {
        return st;
    }
    if (s->mips < 2) {
        return VGT_OK;
    }
    return e->be.ops->generate_mipmaps(e->be.self, s->host, c->filter, err);
}
