/* soft_surface.c - host surfaces: layout, DMA upload/download, copies,
 * stretch blits, clears, read-back. */
#include <stdlib.h>
#include <string.h>

#include "soft_internal.h"

vgt_status vgt_soft_surface_create(const vgt_soft_surface_desc *desc, vgt_soft_surface **out,
                                   vgt_error *err)
{
    *out = NULL;
    const soft_format *f = soft_format_get(desc->format);
    if (!f) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "surface format %u is not supported by the soft renderer",
                             desc->format);
    }
    if (desc->faces != 1 && desc->faces != 6) {
        return vgt_error_set(err, VGT_E_INVALID, "surface has %u faces: expected 1 or 6",
                             desc->faces);
    }
    if (desc->mip_levels == 0 || desc->mip_levels > VGT_SOFT_MAX_MIPS) {
        return vgt_error_set(err, VGT_E_INVALID, "surface has %u mip levels: expected 1..%u",
                             desc->mip_levels, VGT_SOFT_MAX_MIPS);
    }
    if (desc->faces == 6 && (desc->width != desc->height || desc->depth != 1)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "cube surface %ux%ux%u: faces must be square and depth 1", desc->width,
                             desc->height, desc->depth);
    }
    vgt_soft_surface *s = calloc(1, sizeof(*s));
    if (!s) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate a surface");
    }
    s->desc = *desc;
    s->fmt = f;
    uint64_t total = 0;
    for (uint32_t face = 0; face < desc->faces; face++) {
        for (uint32_t m = 0; m < desc->mip_levels; m++) {
            soft_level *lv = &s->levels[face][m];
            lv->width = desc->width >> m ? desc->width >> m : 1;
            lv->height = desc->height >> m ? desc->height >> m : 1;
            lv->depth = desc->depth >> m ? desc->depth >> m : 1;
            vgt_status rc = vgt_soft_image_size(desc->format, lv->width, lv->height, lv->depth,
                                                &lv->row_pitch, &lv->bytes, err);
            if (rc) {
                vgt_error_prefix(err, "surface face %u mip %u", face, m);
                free(s);
                return rc;
            }
            lv->blocks_w = (lv->width + f->info.block_width - 1) / f->info.block_width;
            lv->blocks_h = (lv->height + f->info.block_height - 1) / f->info.block_height;
            lv->slice_pitch = lv->row_pitch * lv->blocks_h;
            lv->offset = total;
            if (vgt_add_overflow_u64(total, lv->bytes, &total) ||
                total > VGT_SOFT_MAX_SURFACE_BYTES) {
                free(s);
                return vgt_error_set(err, VGT_E_RANGE,
                                     "surface %ux%ux%u with %u faces and %u mips needs more "
                                     "than %llu bytes",
                                     desc->width, desc->height, desc->depth, desc->faces,
                                     desc->mip_levels,
                                     (unsigned long long)VGT_SOFT_MAX_SURFACE_BYTES);
            }
        }
    }
    s->size = total;
    s->data = calloc(1, (size_t)total);
    if (!s->data) {
        free(s);
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate %llu bytes for a surface",
                             (unsigned long long)total);
    }
    *out = s;
    return VGT_OK;
}

void vgt_soft_surface_destroy(vgt_soft_surface *s)
{
    if (!s) {
        return;
    }
    for (uint32_t f = 0; f < VGT_SOFT_MAX_FACES; f++) {
        for (uint32_t m = 0; m < VGT_SOFT_MAX_MIPS; m++) {
            free(s->levels[f][m].decoded);
        }
    }
    free(s->data);
    free(s);
}

const vgt_soft_surface_desc *vgt_soft_surface_describe(const vgt_soft_surface *s)
{
    return &s->desc;
}

soft_level *soft_surface_level(const vgt_soft_surface *s, uint32_t face, uint32_t mip,
                               vgt_error *err)
{
    if (!s) {
        vgt_error_set(err, VGT_E_INVALID, "no surface");
        return NULL;
    }
    if (face >= s->desc.faces || mip >= s->desc.mip_levels) {
        vgt_error_set(err, VGT_E_RANGE,
                      "face %u mip %u does not exist: the surface has %u faces and %u mips", face,
                      mip, s->desc.faces, s->desc.mip_levels);
        return NULL;
    }
    return (soft_level *)&s->levels[face][mip];
}

void soft_level_touch(soft_level *lv)
{
    lv->decoded_valid = false;
}

vgt_status soft_level_decode(const vgt_soft_surface *s, soft_level *lv, vgt_error *err)
{
    if (!s->fmt->info.compressed || lv->decoded_valid) {
        return VGT_OK;
    }
    if (!lv->decoded) {
        size_t n = (size_t)lv->blocks_w * 4 * lv->blocks_h * 4 * lv->depth;
        lv->decoded = malloc(n * 4);
        if (!lv->decoded) {
            return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate a decoded texture");
        }
    }
    uint32_t tw = lv->blocks_w * 4;
    const uint8_t *base = s->data + lv->offset;
    for (uint32_t z = 0; z < lv->depth; z++) {
        for (uint32_t by = 0; by < lv->blocks_h; by++) {
            for (uint32_t bx = 0; bx < lv->blocks_w; bx++) {
                uint32_t texels[16];
                vgt_svga3d_dxt_decode_block(s->desc.format,
                                            base + z * lv->slice_pitch + by * lv->row_pitch +
                                                (uint64_t)bx * s->fmt->info.block_bytes,
                                            texels);
                uint32_t *dst = lv->decoded + ((size_t)z * lv->blocks_h * 4 + by * 4) * tw + bx * 4;
                for (int r = 0; r < 4; r++) {
                    memcpy(dst + (size_t)r * tw, texels + r * 4, 16);
                }
            }
        }
    }
    lv->decoded_valid = true;
    return VGT_OK;
}

vgt_status vgt_soft_surface_level_size(const vgt_soft_surface *s, uint32_t face, uint32_t mip,
                                       uint32_t *w, uint32_t *h, uint32_t *d, vgt_error *err)
{
    soft_level *lv = soft_surface_level(s, face, mip, err);
    if (!lv) {
        return err ? err->code : VGT_E_RANGE;
    }
    if (w) {
        *w = lv->width;
    }
    if (h) {
        *h = lv->height;
    }
    if (d) {
        *d = lv->depth;
    }
    return VGT_OK;
}

vgt_status vgt_soft_surface_bytes(vgt_soft_surface *s, uint32_t face, uint32_t mip, uint8_t **data,
                                  size_t *length, vgt_error *err)
{
    soft_level *lv = soft_surface_level(s, face, mip, err);
    if (!lv) {
        return VGT_E_RANGE;
    }
    *data = s->data + lv->offset;
    *length = (size_t)lv->bytes;
    return VGT_OK;
}

/* Checks a box against a level; gives its extent in blocks. */
static vgt_status check_box(const vgt_soft_surface *s, const soft_level *lv,
                            const vgt_soft_box *box, const char *what, uint32_t *bx, uint32_t *by,
                            uint32_t *bw, uint32_t *bh, vgt_error *err)
{
    if (!vgt_range_inside(box->x, box->w, lv->width) ||
        !vgt_range_inside(box->y, box->h, lv->height) ||
        !vgt_range_inside(box->z, box->d, lv->depth)) {
        return vgt_error_set(
            err, VGT_E_RANGE, "%s box (%u,%u,%u) %ux%ux%u is outside the %ux%ux%u image", what,
            box->x, box->y, box->z, box->w, box->h, box->d, lv->width, lv->height, lv->depth);
    }
    uint32_t kw = s->fmt->info.block_width, kh = s->fmt->info.block_height;
    if (box->x % kw || box->y % kh || (box->w % kw && box->x + box->w != lv->width) ||
        (box->h % kh && box->y + box->h != lv->height)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s box (%u,%u) %ux%u is not aligned to %s's %ux%u blocks", what,
                             box->x, box->y, box->w, box->h, s->fmt->info.name, kw, kh);
    }
    *bx = box->x / kw;
    *by = box->y / kh;
    *bw = (box->w + kw - 1) / kw;
    *bh = (box->h + kh - 1) / kh;
    return VGT_OK;
}

static vgt_status transfer(vgt_soft_surface *s, uint32_t face, uint32_t mip,
                           const vgt_soft_box *box, uint8_t *mem, size_t mem_len,
                           uint32_t row_pitch, uint32_t slice_pitch, bool upload, vgt_error *err)
{
    const char *what = upload ? "upload" : "download";
    soft_level *lv = soft_surface_level(s, face, mip, err);
    if (!lv) {
        return VGT_E_RANGE;
    }
    uint32_t bx = 0, by = 0, bw = 0, bh = 0; /* set when check_box succeeds */
    vgt_status rc = check_box(s, lv, box, what, &bx, &by, &bw, &bh, err);
    if (rc) {
        return rc;
    }
    if (box->w == 0 || box->h == 0 || box->d == 0) {
        return VGT_OK;
    }
    uint64_t row_bytes = (uint64_t)bw * s->fmt->info.block_bytes;
    uint64_t rp = row_pitch ? row_pitch : row_bytes;
    uint64_t sp = slice_pitch ? slice_pitch : rp * bh;
    if (rp < row_bytes) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s: row pitch %llu is less than a row (%llu bytes)", what,
                             (unsigned long long)rp, (unsigned long long)row_bytes);
    }
    /* last byte touched: (d-1)*sp + (bh-1)*rp + row_bytes */
    uint64_t need, t;
    if (vgt_mul_overflow_u64(box->d - 1, sp, &need) || vgt_mul_overflow_u64(bh - 1, rp, &t) ||
        vgt_add_overflow_u64(need, t, &need) || vgt_add_overflow_u64(need, row_bytes, &need) ||
        need > mem_len) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "%s of %ux%ux%u %s texels with pitch %llu/%llu needs more than the "
                             "%zu bytes given",
                             what, box->w, box->h, box->d, s->fmt->info.name,
                             (unsigned long long)rp, (unsigned long long)sp, mem_len);
    }
    for (uint32_t z = 0; z < box->d; z++) {
        for (uint32_t y = 0; y < bh; y++) {
            uint8_t *surf = s->data + lv->offset + (uint64_t)(box->z + z) * lv->slice_pitch +
                            (uint64_t)(by + y) * lv->row_pitch +
                            (uint64_t)bx * s->fmt->info.block_bytes;
            uint8_t *m = mem + z * sp + y * rp;
            if (upload) {
                memcpy(surf, m, (size_t)row_bytes);
            } else {
                memcpy(m, surf, (size_t)row_bytes);
            }
        }
    }
    if (upload) {
        soft_level_touch(lv);
    }
    return VGT_OK;
}

vgt_status vgt_soft_surface_upload(vgt_soft_surface *s, uint32_t face, uint32_t mip,
                                   const vgt_soft_box *box, const void *src, size_t src_len,
                                   uint32_t row_pitch, uint32_t slice_pitch, vgt_error *err)
{
    return transfer(s, face, mip, box, (uint8_t *)src, src_len, row_pitch, slice_pitch, true, err);
}

vgt_status vgt_soft_surface_download(const vgt_soft_surface *s, uint32_t face, uint32_t mip,
                                     const vgt_soft_box *box, void *dst, size_t dst_len,
                                     uint32_t row_pitch, uint32_t slice_pitch, vgt_error *err)
{
    return transfer((vgt_soft_surface *)s, face, mip, box, dst, dst_len, row_pitch, slice_pitch,
                    false, err);
}

vgt_status vgt_soft_surface_copy(const vgt_soft_view *dst, const vgt_soft_view *src,
                                 const vgt_soft_copy_box *boxes, uint32_t box_count, vgt_error *err)
{
    soft_level *dl = soft_surface_level(dst->surface, dst->face, dst->mip, err);
    if (!dl) {
        vgt_error_prefix(err, "copy destination");
        return VGT_E_RANGE;
    }
    soft_level *sl = soft_surface_level(src->surface, src->face, src->mip, err);
    if (!sl) {
        vgt_error_prefix(err, "copy source");
        return VGT_E_RANGE;
    }
    const soft_format *df = dst->surface->fmt, *sf = src->surface->fmt;
    if (df->info.block_bytes != sf->info.block_bytes ||
        df->info.block_width != sf->info.block_width ||
        df->info.block_height != sf->info.block_height) {
        return vgt_error_set(err, VGT_E_INVALID, "copy from %s to %s: block sizes differ",
                             sf->info.name, df->info.name);
    }
    for (uint32_t i = 0; i < box_count; i++) {
        const vgt_soft_copy_box *b = &boxes[i];
        vgt_soft_box db = {b->x, b->y, b->z, b->w, b->h, b->d};
        vgt_soft_box sb = {b->srcx, b->srcy, b->srcz, b->w, b->h, b->d};
        uint32_t dbx, dby, bw, bh, sbx, sby;
        vgt_status rc =
            check_box(dst->surface, dl, &db, "copy destination", &dbx, &dby, &bw, &bh, err);
        if (!rc) {
            rc = check_box(src->surface, sl, &sb, "copy source", &sbx, &sby, &bw, &bh, err);
        }
        if (rc) {
            vgt_error_prefix(err, "copy box %u", i);
            return rc;
        }
        size_t row = (size_t)bw * df->info.block_bytes;
        /* within one image, walk backwards when the source lies before the
         * destination so that overlapping boxes copy like memmove */
        bool back = dl == sl && (b->srcz < b->z || (b->srcz == b->z && sby < dby));
        for (uint32_t zi = 0; zi < b->d; zi++) {
            uint32_t z = back ? b->d - 1 - zi : zi;
            for (uint32_t yi = 0; yi < bh; yi++) {
                uint32_t y = back ? bh - 1 - yi : yi;
                uint8_t *dp =
                    dst->surface->data + dl->offset + (uint64_t)(b->z + z) * dl->slice_pitch +
                    (uint64_t)(dby + y) * dl->row_pitch + (uint64_t)dbx * df->info.block_bytes;
                const uint8_t *sp =
                    src->surface->data + sl->offset + (uint64_t)(b->srcz + z) * sl->slice_pitch +
                    (uint64_t)(sby + y) * sl->row_pitch + (uint64_t)sbx * sf->info.block_bytes;
                memmove(dp, sp, row);
            }
        }
    }
    soft_level_touch(dl);
    return VGT_OK;
}

static void fetch_texel(const vgt_soft_surface *s, const soft_level *lv, uint32_t x, uint32_t y,
                        uint32_t z, float c[4])
{
    const uint8_t *p = s->data + lv->offset + (uint64_t)z * lv->slice_pitch +
                       (uint64_t)y * lv->row_pitch + (uint64_t)x * s->fmt->info.block_bytes;
    s->fmt->decode(p, c);
}

vgt_status vgt_soft_surface_stretch(const vgt_soft_view *dst, const vgt_soft_box *dst_box,
                                    const vgt_soft_view *src, const vgt_soft_box *src_box,
                                    bool linear, vgt_error *err)
{
    soft_level *dl = soft_surface_level(dst->surface, dst->face, dst->mip, err);
    if (!dl) {
        vgt_error_prefix(err, "stretch destination");
        return VGT_E_RANGE;
    }
    soft_level *sl = soft_surface_level(src->surface, src->face, src->mip, err);
    if (!sl) {
        vgt_error_prefix(err, "stretch source");
        return VGT_E_RANGE;
    }
    const soft_format *df = dst->surface->fmt, *sf = src->surface->fmt;
    uint32_t a, b, c, d;
    vgt_status rc =
        check_box(dst->surface, dl, dst_box, "stretch destination", &a, &b, &c, &d, err);
    if (rc) {
        return rc;
    }
    rc = check_box(src->surface, sl, src_box, "stretch source", &a, &b, &c, &d, err);
    if (rc) {
        return rc;
    }
    bool depth = df->info.depth || sf->info.depth;
    if (depth && (df != sf || linear)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "stretch between depth formats needs the same format and point "
                             "filtering (%s to %s)",
                             sf->info.name, df->info.name);
    }
    /* a bump texel is no colour: Direct3D 9's StretchRect takes no bump
     * format, and converting (du, dv) to a colour would invent a meaning */
    if (!depth && (!df->encode || !sf->decode || sf->info.bump)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "stretch from %s to %s is not supported",
                             sf->info.name, df->info.name);
    }
    if (dst_box->w == 0 || dst_box->h == 0 || dst_box->d == 0 || src_box->w == 0 ||
        src_box->h == 0 || src_box->d == 0) {
        return VGT_OK;
    }
    uint32_t bpp = df->info.block_bytes, sbpp = sf->info.block_bytes;
    float sx = (float)src_box->w / (float)dst_box->w;
    float sy = (float)src_box->h / (float)dst_box->h;
    float sz = (float)src_box->d / (float)dst_box->d;
    uint8_t *tmp = malloc((size_t)dst_box->w * bpp);
    if (!tmp) {
        return vgt_error_set(err, VGT_E_NOMEM, "stretch: cannot allocate a row");
    }
    /* Rows are staged in tmp so that src == dst works row by row. */
    for (uint32_t z = 0; z < dst_box->d; z++) {
        uint32_t szi = src_box->z + (uint32_t)(((float)z + 0.5f) * sz);
        if (szi >= src_box->z + src_box->d) {
            szi = src_box->z + src_box->d - 1;
        }
        for (uint32_t y = 0; y < dst_box->h; y++) {
            float fy = ((float)y + 0.5f) * sy;
            for (uint32_t x = 0; x < dst_box->w; x++) {
                float fx = ((float)x + 0.5f) * sx;
                uint8_t *out = tmp + (size_t)x * bpp;
                if (depth || !linear) {
                    uint32_t ix = (uint32_t)fx, iy = (uint32_t)fy;
                    ix = ix >= src_box->w ? src_box->w - 1 : ix;
                    iy = iy >= src_box->h ? src_box->h - 1 : iy;
                    const uint8_t *p = src->surface->data + sl->offset +
                                       (uint64_t)szi * sl->slice_pitch +
                                       (uint64_t)(src_box->y + iy) * sl->row_pitch +
                                       (uint64_t)(src_box->x + ix) * sbpp;
                    if (depth) {
                        memcpy(out, p, bpp);
                    } else {
                        float cc[4];
                        sf->decode(p, cc);
                        df->encode(cc, out);
                    }
                    continue;
                }
                float px = fx - 0.5f, py = fy - 0.5f;
                px = px < 0 ? 0 : px;
                py = py < 0 ? 0 : py;
                uint32_t x0 = (uint32_t)px, y0 = (uint32_t)py;
                float ax = px - (float)x0, ay = py - (float)y0;
                x0 = x0 >= src_box->w ? src_box->w - 1 : x0;
                y0 = y0 >= src_box->h ? src_box->h - 1 : y0;
                uint32_t x1 = x0 + 1 < src_box->w ? x0 + 1 : x0;
                uint32_t y1 = y0 + 1 < src_box->h ? y0 + 1 : y0;
                float t00[4], t10[4], t01[4], t11[4], cc[4];
                fetch_texel(src->surface, sl, src_box->x + x0, src_box->y + y0, szi, t00);
                fetch_texel(src->surface, sl, src_box->x + x1, src_box->y + y0, szi, t10);
                fetch_texel(src->surface, sl, src_box->x + x0, src_box->y + y1, szi, t01);
                fetch_texel(src->surface, sl, src_box->x + x1, src_box->y + y1, szi, t11);
                for (int k = 0; k < 4; k++) {
                    float top = t00[k] + (t10[k] - t00[k]) * ax;
                    float bot = t01[k] + (t11[k] - t01[k]) * ax;
                    cc[k] = top + (bot - top) * ay;
                }
                df->encode(cc, out);
            }
            uint8_t *drow = dst->surface->data + dl->offset +
                            (uint64_t)(dst_box->z + z) * dl->slice_pitch +
                            (uint64_t)(dst_box->y + y) * dl->row_pitch + (uint64_t)dst_box->x * bpp;
            memcpy(drow, tmp, (size_t)dst_box->w * bpp);
        }
    }
    free(tmp);
    soft_level_touch(dl);
    return VGT_OK;
}

vgt_status vgt_soft_surface_read_rect(const vgt_soft_view *view, uint32_t x, uint32_t y, uint32_t w,
                                      uint32_t h, uint8_t *dst, size_t dst_pitch, vgt_error *err)
{
    return vgt_soft_surface_read_slice(view, 0, x, y, w, h, dst, dst_pitch, err);
}

vgt_status vgt_soft_surface_read_slice(const vgt_soft_view *view, uint32_t z, uint32_t x,
                                       uint32_t y, uint32_t w, uint32_t h, uint8_t *dst,
                                       size_t dst_pitch, vgt_error *err)
{
    soft_level *lv = soft_surface_level(view->surface, view->face, view->mip, err);
    if (!lv) {
        return VGT_E_RANGE;
    }
    const vgt_soft_surface *s = view->surface;
    if (!s->fmt->decode && !s->fmt->info.compressed) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "cannot read %s as an image",
                             s->fmt->info.name);
    }
    if (!vgt_range_inside(x, w, lv->width) || !vgt_range_inside(y, h, lv->height)) {
        return vgt_error_set(err, VGT_E_RANGE, "read of (%u,%u) %ux%u: outside the %ux%u image", x,
                             y, w, h, lv->width, lv->height);
    }
    if (z >= lv->depth) {
        return vgt_error_set(err, VGT_E_RANGE, "read of slice %u: the image has %u", z, lv->depth);
    }
    vgt_status rc = soft_level_decode(s, lv, err);
    if (rc) {
        return rc;
    }
    uint32_t fmt = s->desc.format;
    for (uint32_t r = 0; r < h; r++) {
        uint8_t *out = dst + (size_t)r * dst_pitch;
        const uint8_t *row = s->data + lv->offset + (uint64_t)z * lv->slice_pitch +
                             (uint64_t)(y + r) * lv->row_pitch;
        if (fmt == VGT_SVGA3D_A8R8G8B8) {
            memcpy(out, row + (size_t)x * 4, (size_t)w * 4);
            continue;
        }
        if (fmt == VGT_SVGA3D_X8R8G8B8) {
            memcpy(out, row + (size_t)x * 4, (size_t)w * 4);
            for (uint32_t i = 0; i < w; i++) {
                out[(size_t)i * 4 + 3] = 0xff;
            }
            continue;
        }
        for (uint32_t i = 0; i < w; i++) {
            uint32_t argb;
            if (s->fmt->info.compressed) {
                /* decoded slices are blocks_h * 4 rows each (soft_level_decode) */
                argb =
                    lv->decoded[((size_t)z * lv->blocks_h * 4 + y + r) * lv->blocks_w * 4 + x + i];
            } else {
                float c[4];
                fetch_texel(s, lv, x + i, y + r, z, c);
                argb = (soft_unorm(c[3], 255) << 24) | (soft_unorm(c[0], 255) << 16) |
                       (soft_unorm(c[1], 255) << 8) | soft_unorm(c[2], 255);
            }
            vgt_store_le32(out + (size_t)i * 4, argb);
        }
    }
    return VGT_OK;
}

vgt_status vgt_soft_surface_read_image(const vgt_soft_view *view, vgt_image *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    uint32_t w = 0, h = 0, d = 0;
    vgt_status rc =
        vgt_soft_surface_level_size(view->surface, view->face, view->mip, &w, &h, &d, err);
    if (rc) {
        return rc;
    }
    if ((rc = vgt_image_alloc(out, w, h, err))) {
        return rc;
    }
    if ((rc = vgt_soft_surface_read_rect(view, 0, 0, w, h, out->pixels, out->stride, err))) {
        vgt_image_free(out);
    }
    return rc;
}

/* Rect r clipped to a w x h image; false when nothing of it is inside. */
static bool clip_rect(const vgt_soft_rect *r, uint32_t w, uint32_t h, uint32_t *x0, uint32_t *y0,
                      uint32_t *x1, uint32_t *y1)
{
    int64_t a = r->x, b = r->y, c = (int64_t)r->x + r->w, d = (int64_t)r->y + r->h;
    a = a < 0 ? 0 : a;
    b = b < 0 ? 0 : b;
    c = c > w ? w : c;
    d = d > h ? h : d;
    if (a >= c || b >= d) {
        return false;
    }
    *x0 = (uint32_t)a;
    *y0 = (uint32_t)b;
    *x1 = (uint32_t)c;
    *y1 = (uint32_t)d;
    return true;
}

/* ---- a CLEAR's rect list as its union ------------------------------------ */

/* Calls fn for every band of rows of the union of `rects` clipped to a
 * w x h image (vgt_rect_union_bands: each pixel of the union in one band
 * once, O(n log n + bands * covering rects + the pixels fn writes)), with
 * the device's scratch, bounded by the command's rects. */
static vgt_status clear_union(vgt_soft_device *dev, const vgt_soft_rect *rects, uint32_t n,
                              uint32_t w, uint32_t h, vgt_rect_band_fn fn, void *ctx,
                              vgt_error *err)
{
    vgt_status st = vgt_rect_union_begin(&dev->clear_union, n, w, h, err);
    if (st != VGT_OK) {
        return st;
    }
    for (uint32_t i = 0; i < n; i++) {
        vgt_rect_union_add(&dev->clear_union, rects[i].x, rects[i].y, rects[i].w, rects[i].h);
    }
    vgt_rect_union_bands(&dev->clear_union, fn, ctx);
    return VGT_OK;
}

/* The texels of a band's row: the spans' widths. */
static uint64_t spans_width(const vgt_pixel_span *spans, uint32_t count)
{
    uint64_t width = 0;
    for (uint32_t k = 0; k < count; k++) {
        width += spans[k].x1 - spans[k].x0;
    }
    return width;
}

/* Copies the spans of row `from` (texels of bpp bytes) into row `to`. */
static void copy_spans(uint8_t *to, const uint8_t *from, const vgt_pixel_span *spans,
                       uint32_t count, uint32_t bpp)
{
    for (uint32_t k = 0; k < count; k++) {
        size_t at = (size_t)spans[k].x0 * bpp;
        memcpy(to + at, from + at, (size_t)(spans[k].x1 - spans[k].x0) * bpp);
    }
}

/* What a colour CLEAR writes: the encoded pixel, into every slice. */
typedef struct color_fill {
    vgt_soft_surface *s;
    const soft_level *lv;
    uint8_t px[16];
    uint32_t bpp;
    uint64_t texels;
} color_fill;

static void fill_color_band(void *ctx, uint32_t y0, uint32_t y1, const vgt_pixel_span *spans,
                            uint32_t count)
{
    color_fill *f = ctx;
    const soft_level *lv = f->lv;
    uint8_t *level = f->s->data + lv->offset;
    /* the pixel and its size in locals: written through ctx, the stores
     * into the image could alias them and reload them at every pixel */
    uint8_t px[sizeof(f->px)];
    memcpy(px, f->px, sizeof(px));
    const uint32_t bpp = f->bpp;
    /* the band's first row pixel by pixel, then row copies: a clear runs
     * at memcpy's speed, not a 4-byte memcpy a pixel (a volume target of
     * 200 MB took 0.4 s a CLEAR) */
    uint8_t *first = level + (size_t)y0 * lv->row_pitch;
    for (uint32_t k = 0; k < count; k++) {
        for (uint32_t x = spans[k].x0; x < spans[k].x1; x++) {
            memcpy(first + (size_t)x * bpp, px, bpp);
        }
    }
    for (uint32_t z = 0; z < lv->depth; z++) {
        for (uint32_t y = z ? y0 : y0 + 1; y < y1; y++) {
            copy_spans(level + (size_t)z * lv->slice_pitch + (size_t)y * lv->row_pitch, first,
                       spans, count, bpp);
        }
    }
    f->texels += spans_width(spans, count) * (y1 - y0) * lv->depth;
}

/* What a depth/stencil CLEAR writes (depth quantized for fmt), and
 * whether no old bit survives it: all of D16 or D32, D24S8 with both. */
typedef struct depth_fill {
    vgt_soft_surface *s;
    const soft_level *lv;
    uint32_t fmt, flags, depth, stencil;
    bool no_old_bits;
    uint64_t texels;
} depth_fill;

/* Writes the clear's depth and/or stencil into texel x of row. */
static void clear_depth_texel(const depth_fill *f, uint8_t *row, uint32_t x)
{
    uint32_t fmt = f->fmt, flags = f->flags;
    if (fmt == VGT_SVGA3D_Z_D16) {
        if (flags & VGT_SVGA3D_CLEAR_DEPTH) {
            vgt_store_le16(row + 2 * (size_t)x, (uint16_t)f->depth);
        }
    } else if (fmt == VGT_SVGA3D_Z_D32) {
        if (flags & VGT_SVGA3D_CLEAR_DEPTH) {
            vgt_store_le32(row + 4 * (size_t)x, f->depth);
        }
    } else {
        uint32_t v = vgt_load_le32(row + 4 * (size_t)x);
        if (flags & VGT_SVGA3D_CLEAR_DEPTH) {
            v = (v & 0xffu) | (f->depth << 8);
        }
        if ((flags & VGT_SVGA3D_CLEAR_STENCIL) && fmt == VGT_SVGA3D_Z_D24S8) {
            v = (v & ~0xffu) | (f->stencil & 0xffu);
        }
        vgt_store_le32(row + 4 * (size_t)x, v);
    }
}

static void fill_depth_band(void *ctx, uint32_t y0, uint32_t y1, const vgt_pixel_span *spans,
                            uint32_t count)
{
    depth_fill *f = ctx;
    const depth_fill d = *f; /* in a local: not reloaded after each store (see fill_color_band) */
    const soft_level *lv = d.lv;
    uint8_t *level = d.s->data + lv->offset;
    /* Where no old bit survives, the band's first row is written and
     * copied to the others, as colours are; otherwise every pixel is read
     * and written. */
    const uint8_t *first = level + (size_t)y0 * lv->row_pitch;
    for (uint32_t y = y0; y < y1; y++) {
        uint8_t *row = level + (size_t)y * lv->row_pitch;
        if (y > y0 && d.no_old_bits) {
            copy_spans(row, first, spans, count, d.s->fmt->info.block_bytes);
            continue;
        }
        for (uint32_t k = 0; k < count; k++) {
            for (uint32_t x = spans[k].x0; x < spans[k].x1; x++) {
                clear_depth_texel(&d, row, x);
            }
        }
    }
    f->texels += spans_width(spans, count) * (y1 - y0);
}

/* The fragment probe: a CLEAR of image v (its level lv) by `flags` (the
 * parts it writes there) covering the probed pixel is one fragment. */
static void probe_clear(vgt_soft_device *dev, const vgt_soft_view *v, const soft_level *lv,
                        uint32_t flags, uint32_t color, float z, uint32_t stencil,
                        const vgt_soft_rect *rects, uint32_t rect_count)
{
    soft_probe *p = &dev->probe;
    if (!p->on || !flags || v->surface != p->surface || v->face != p->face || v->mip != p->mip) {
        return;
    }
    bool covered = false;
    for (uint32_t i = 0; i < rect_count && !covered; i++) {
        uint32_t x0, y0, x1, y1;
        covered = clip_rect(&rects[i], lv->width, lv->height, &x0, &y0, &x1, &y1) &&
                  (uint32_t)p->x >= x0 && (uint32_t)p->x < x1 && (uint32_t)p->y >= y0 &&
                  (uint32_t)p->y < y1;
    }
    vgt_soft_fragment *f = covered ? soft_probe_slot(p, 0) : NULL;
    if (!f) {
        return;
    }
    /* no draw's target, mask or blending: a CLEAR ignores them */
    f->target = f->write_mask = 0;
    f->blend = f->shader = false;
    f->depth_target = f->z_write = false;
    f->fate = VGT_SOFT_FATE_CLEARED;
    f->clear_flags = flags;
    const vgt_soft_surface *s = v->surface;
    if (flags & VGT_SVGA3D_CLEAR_COLOR) {
        soft_d3dcolor_to_float(color, f->color);
        f->shaded = true;
        f->has_after = true;
        s->fmt->decode(s->data + lv->offset + (size_t)p->y * lv->row_pitch +
                           (size_t)p->x * s->fmt->info.block_bytes,
                       f->after);
    }
    if (flags & VGT_SVGA3D_CLEAR_DEPTH) {
        f->z = z;
        f->z_quant = soft_depth_quant(s->desc.format, z);
    }
    if (flags & VGT_SVGA3D_CLEAR_STENCIL) {
        f->stencil_after = stencil & 0xffu;
    }
}

uint64_t vgt_soft_device_clear_texels(const vgt_soft_device *dev)
{
    return dev->clear_texels;
}

vgt_status vgt_soft_clear(vgt_soft_device *dev, const vgt_soft_view *color_target,
                          const vgt_soft_view *depth_target, uint32_t flags, uint32_t color,
                          float depth, uint32_t stencil, const vgt_soft_rect *rects,
                          uint32_t rect_count, vgt_error *err)
{
    if (flags & ~7u) {
        return vgt_error_set(err, VGT_E_INVALID, "clear flags 0x%x: unknown bits", flags);
    }
    soft_level *cl = NULL, *dl = NULL;
    if (flags & VGT_SVGA3D_CLEAR_COLOR) {
        if (!color_target || !color_target->surface) {
            return vgt_error_set(err, VGT_E_STATE, "clear color without a render target");
        }
        cl = soft_surface_level(color_target->surface, color_target->face, color_target->mip, err);
        if (!cl) {
            return VGT_E_RANGE;
        }
        if (!color_target->surface->fmt->encode) {
            return vgt_error_set(err, VGT_E_UNSUPPORTED, "clear color of a %s surface",
                                 color_target->surface->fmt->info.name);
        }
    }
    if (flags & (VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL)) {
        if (!depth_target || !depth_target->surface) {
            return vgt_error_set(err, VGT_E_STATE, "clear depth/stencil without a depth target");
        }
        dl = soft_surface_level(depth_target->surface, depth_target->face, depth_target->mip, err);
        if (!dl) {
            return VGT_E_RANGE;
        }
        if (!depth_target->surface->fmt->info.depth) {
            return vgt_error_set(err, VGT_E_INVALID, "clear depth of a %s surface",
                                 depth_target->surface->fmt->info.name);
        }
    }
    vgt_soft_rect whole = {0, 0, UINT32_MAX >> 1, UINT32_MAX >> 1};
    if (rect_count == 0) {
        rects = &whole;
        rect_count = 1;
    }
    /* Each image gets the union of the rects clipped to it, each texel
     * written once: a rect list is no longer a whole clear per rect (100
     * whole-target rects on 8192x8192 took 4.3 s). */
    vgt_status st;
    if (cl) {
        color_fill f = {.s = color_target->surface,
                        .lv = cl,
                        .bpp = color_target->surface->fmt->info.block_bytes};
        float c[4];
        soft_d3dcolor_to_float(color, c);
        f.s->fmt->encode(c, f.px);
        st = clear_union(dev, rects, rect_count, cl->width, cl->height, fill_color_band, &f, err);
        dev->clear_texels += f.texels;
        if (st != VGT_OK) {
            return st;
        }
        soft_level_touch(cl);
        probe_clear(dev, color_target, cl, VGT_SVGA3D_CLEAR_COLOR, color, 0.0f, 0, rects,
                    rect_count);
    }
    if (dl) {
        uint32_t fmt = depth_target->surface->desc.format;
        float zc = soft_sat(depth);
        depth_fill f = {.s = depth_target->surface,
                        .lv = dl,
                        .fmt = fmt,
                        .flags = flags,
                        .depth = soft_depth_quant(fmt, zc),
                        .stencil = stencil,
                        .no_old_bits =
                            ((fmt == VGT_SVGA3D_Z_D16 || fmt == VGT_SVGA3D_Z_D32) &&
                             (flags & VGT_SVGA3D_CLEAR_DEPTH)) ||
                            (fmt == VGT_SVGA3D_Z_D24S8 && (flags & VGT_SVGA3D_CLEAR_DEPTH) &&
                             (flags & VGT_SVGA3D_CLEAR_STENCIL))};
        st = clear_union(dev, rects, rect_count, dl->width, dl->height, fill_depth_band, &f, err);
        dev->clear_texels += f.texels;
        if (st != VGT_OK) {
            return st;
        }
        soft_level_touch(dl);
        /* STENCIL writes only a format with stencil bits */
        uint32_t zs = flags & (VGT_SVGA3D_CLEAR_DEPTH |
                               (fmt == VGT_SVGA3D_Z_D24S8 ? VGT_SVGA3D_CLEAR_STENCIL : 0u));
        probe_clear(dev, depth_target, dl, zs, 0, zc, stencil, rects, rect_count);
    }
    return VGT_OK;
}
