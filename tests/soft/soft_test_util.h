/* soft_test_util.h - helpers shared by the soft renderer's tests. */
#ifndef SOFT_TEST_UTIL_H
#define SOFT_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vgt_soft.h"

/* A simple vertex: position, diffuse color, one texcoord set. */
typedef struct tvert {
    float x, y, z;
    uint32_t color;
    float u, v;
} tvert;

/* A render target + depth buffer pair and a default state drawing into it. */
typedef struct tscene {
    vgt_soft_device *dev;
    vgt_soft_surface *rt, *ds;
    uint32_t w, h;
    vgt_soft_draw_state st;
} tscene;

/* Creates a w x h A8R8G8B8 target (and a D24S8 buffer when depth) with
 * lighting off and culling off, cleared to opaque black / depth 1. */
void tscene_init(tscene *s, uint32_t w, uint32_t h, bool depth, uint32_t threads);
void tscene_fini(tscene *s);
/* Clears the color target to opaque black. */
void tscene_clear(tscene *s);
/* Points the state's elements at an array of tvert. */
void tscene_use_tverts(tscene *s, const tvert *v, size_t count);
/* Draws and asserts success. */
void tscene_draw(tscene *s, uint32_t prim, uint32_t count);
/* Draws and returns the status. */
vgt_status tscene_draw_rc(tscene *s, uint32_t prim, uint32_t count, const void *indices,
                          size_t index_len, uint32_t index_size, vgt_soft_draw_stats *stats,
                          vgt_error *err);
/* Restricts drawing to cell (cx, cy) of a grid of n x n cells (viewport). */
void tscene_cell(tscene *s, uint32_t n, uint32_t cx, uint32_t cy);
/* Reads a pixel of the target as 0xAARRGGBB. */
uint32_t tscene_pixel(const tscene *s, uint32_t x, uint32_t y);
/* Compares the target with tests/data/golden/soft/<name>.png (RGB, exact);
 * with VGT_UPDATE_GOLDEN=1 writes it instead.  Also writes the image to
 * VGT_BINARY_DIR/soft-out/<name>.png for inspection. */
void tscene_check_golden(const tscene *s, const char *name);
/* A w x h A8R8G8B8 texture filled by a function of (x, y). */
vgt_soft_surface *make_texture(uint32_t w, uint32_t h, uint32_t mips,
                               uint32_t (*texel)(uint32_t x, uint32_t y, uint32_t mip));
/* Assembles `text` (vgt_shader_assemble) into a soft shader of `type`
 * (asserts each step); the caller destroys it. */
vgt_soft_shader *test_shader(uint32_t type, const char *text);
/* A quad covering NDC [x0,x1]x[y0,y1] as 6 tverts (2 triangles, CW on screen). */
void quad(tvert *out, float x0, float y0, float x1, float y1, float z, uint32_t color);

#endif
