#include "vgt_base.h"

#include <errno.h>
#include <inttypes.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

vgt_status vgt_image_alloc(vgt_image *img, uint32_t width, uint32_t height, vgt_error *err)
{
    size_t stride, bytes;
    memset(img, 0, sizeof(*img));
    if (width == 0 || height == 0 || vgt_mul_overflow_size(width, 4, &stride) ||
        vgt_mul_overflow_size(stride, height, &bytes) || stride > UINT32_MAX) {
        return vgt_error_set(err, VGT_E_INVALID, "image size %ux%u is invalid", width, height);
    }
    img->pixels = calloc(1, bytes);
    if (!img->pixels) {
        return vgt_error_set(err, VGT_E_NOMEM, "cannot allocate a %ux%u image", width, height);
    }
    img->width = width;
    img->height = height;
    img->stride = (uint32_t)stride;
    return VGT_OK;
}

vgt_status vgt_image_copy(vgt_image *dst, const vgt_image *src, vgt_error *err)
{
    vgt_status st = vgt_image_alloc(dst, src->width, src->height, err);
    if (st != VGT_OK) {
        return st;
    }
    for (uint32_t y = 0; y < src->height; y++) {
        memcpy(dst->pixels + (size_t)y * dst->stride, src->pixels + (size_t)y * src->stride,
               (size_t)src->width * 4u);
    }
    return VGT_OK;
}

void vgt_image_free(vgt_image *img)
{
    if (img) {
        free(img->pixels);
        memset(img, 0, sizeof(*img));
    }
}

vgt_status vgt_image_write_png(const vgt_image *img, const char *path, bool alpha, vgt_error *err)
{
    /* a new file, not an old one truncated (vgt_file_create says why) */
    int fd = vgt_file_create(path, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        return vgt_error_set(err, VGT_E_IO, "%s: cannot create: %s", path, strerror(e));
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *row = malloc((size_t)img->width * 4);
    if (!png || !info || !row) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(f);
        return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory writing PNG", path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(f);
        return vgt_error_set(err, VGT_E_IO, "%s: PNG write failed", path);
    }
    png_init_io(png, f);
    /* Level 6 is libpng's default; it is what makes golden images small. */
    png_set_compression_level(png, 6);
    png_set_IHDR(png, info, img->width, img->height, 8,
                 alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < img->height; y++) {
        const uint8_t *src = img->pixels + (size_t)y * img->stride;
        uint8_t *dst = row;
        for (uint32_t x = 0; x < img->width; x++, src += 4) {
            *dst++ = src[2];
            *dst++ = src[1];
            *dst++ = src[0];
            if (alpha) {
                *dst++ = src[3];
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    if (fclose(f) != 0) {
        return vgt_error_set(err, VGT_E_IO, "%s: write failed: %s", path, strerror(errno));
    }
    return VGT_OK;
}

vgt_status vgt_image_read_png(vgt_image *img, const char *path, vgt_error *err)
{
    png_image pi;
    memset(img, 0, sizeof(*img));
    memset(&pi, 0, sizeof(pi));
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&pi, path)) {
        return vgt_error_set(err, VGT_E_IO, "%s: cannot read PNG: %s", path, pi.message);
    }
    pi.format = PNG_FORMAT_BGRA;
    vgt_status st = vgt_image_alloc(img, pi.width, pi.height, err);
    if (st != VGT_OK) {
        png_image_free(&pi);
        return st;
    }
    if (!png_image_finish_read(&pi, NULL, img->pixels, (png_int_32)img->stride, NULL)) {
        vgt_image_free(img);
        return vgt_error_set(err, VGT_E_FORMAT, "%s: bad PNG: %s", path, pi.message);
    }
    return VGT_OK;
}

bool vgt_image_frame_path(char *buf, size_t size, const char *dir, uint64_t frame,
                          const char *suffix)
{
    int n = snprintf(buf, size, "%s/frame-%06" PRIu64 "%s.png", dir, frame, suffix);
    return n >= 0 && (size_t)n < size;
}

static vgt_status same_size(const vgt_image *a, const vgt_image *b, vgt_error *err)
{
    if (a->width != b->width || a->height != b->height) {
        return vgt_error_set(err, VGT_E_INVALID, "image sizes differ: %ux%u vs %ux%u", a->width,
                             a->height, b->width, b->height);
    }
    return VGT_OK;
}

/* The largest channel delta of one pixel (B, G, R, and A when alpha). */
static uint32_t pixel_delta(const uint8_t *pa, const uint8_t *pb, bool alpha)
{
    uint32_t worst = 0;
    for (int c = 0; c < (alpha ? 4 : 3); c++) {
        uint32_t d = (uint32_t)abs((int)pa[c] - (int)pb[c]);
        worst = d > worst ? d : worst;
    }
    return worst;
}

vgt_status vgt_image_compare(const vgt_image *a, const vgt_image *b, uint32_t tolerance,
                             bool compare_alpha, vgt_image_diff *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    vgt_status st = same_size(a, b, err);
    if (st != VGT_OK) {
        return st;
    }
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *pa = a->pixels + (size_t)y * a->stride;
        const uint8_t *pb = b->pixels + (size_t)y * b->stride;
        if (memcmp(pa, pb, (size_t)a->width * 4u) == 0) {
            continue; /* most rows of two replays are equal: ~10x faster than by channel */
        }
        for (uint32_t x = 0; x < a->width; x++, pa += 4, pb += 4) {
            uint32_t worst = pixel_delta(pa, pb, compare_alpha);
            if (worst > out->max_channel_delta) {
                out->max_channel_delta = worst;
            }
            if (worst > tolerance) {
                if (out->pixels_over++ == 0) {
                    out->x0 = x, out->y0 = y, out->x1 = x + 1u;
                }
                out->x0 = x < out->x0 ? x : out->x0;
                out->x1 = x >= out->x1 ? x + 1u : out->x1;
                out->y1 = y + 1u; /* rows are visited in order */
            }
        }
    }
    out->pixels_total = (uint64_t)a->width * a->height;
    return VGT_OK;
}

vgt_status vgt_image_diff_picture(const vgt_image *a, const vgt_image *b, uint32_t tolerance,
                                  bool compare_alpha, vgt_image *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    vgt_status st = same_size(a, b, err);
    if (st != VGT_OK || (st = vgt_image_alloc(out, a->width, a->height, err)) != VGT_OK) {
        return st;
    }
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *pa = a->pixels + (size_t)y * a->stride;
        const uint8_t *pb = b->pixels + (size_t)y * b->stride;
        uint8_t *po = out->pixels + (size_t)y * out->stride;
        for (uint32_t x = 0; x < a->width; x++, pa += 4, pb += 4, po += 4) {
            uint32_t v = VGT_IMAGE_DIFF_MARK;
            if (pixel_delta(pa, pb, compare_alpha) <= tolerance) {
                uint32_t luma = (77u * pa[2] + 150u * pa[1] + 29u * pa[0] + 128u) >> 8;
                uint32_t g = VGT_IMAGE_DIFF_GREY_BASE + luma / 4u;
                v = 0xff000000u | g << 16 | g << 8 | g;
            }
            vgt_store_le32(po, v);
        }
    }
    return VGT_OK;
}
