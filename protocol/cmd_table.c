/* cmd_table.c - the one command table: every 2D and legacy 3D command, its
 * fixed body size and the layout of what follows.  The decoder, the printer
 * and docs/protocol-coverage.md are all driven by it. */
#include "vgt_protocol.h"

#include <stdio.h>

#define D   VGT_CMD_F_DECODED
#define F3  (VGT_CMD_F_3D | VGT_CMD_F_DECODED)
#define DEP VGT_CMD_F_DEPRECATED
#define N   VGT_CMD_F_EXEC_NULL /* executed by the state tracker on the null backend */
#define SO  VGT_CMD_F_EXEC_SOFT /* executed by the state tracker on the soft backend */
#define GLB VGT_CMD_F_EXEC_GL   /* executed by the state tracker on the gl backend */
/* 2D: executed by the live device; X2 also by the executor on replay,
 * whatever the backend (the 2D path draws no 3D) */
#define DV (VGT_CMD_F_DECODED | VGT_CMD_F_EXEC_DEVICE)
#define X2 (DV | VGT_CMD_F_EXEC_NULL | VGT_CMD_F_EXEC_SOFT | VGT_CMD_F_EXEC_GL)

/* Sorted by id (vgt_cmd_lookup relies on it; the tests check it). */
static const vgt_cmd_desc table[] = {
    /* ---- 2D: id word, then the body ---- */
    {VGT_SVGA_CMD_UPDATE, "UPDATE", 4, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_RECT_COPY, "RECT_COPY", 6, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_DEFINE_CURSOR, "DEFINE_CURSOR", 7, VGT_CMD_LAYOUT_CURSOR, 0, X2,
     "AND mask then XOR mask, height rows of ceil(width*depth/32) words each"},
    {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, "DEFINE_ALPHA_CURSOR", 5, VGT_CMD_LAYOUT_ALPHA_CURSOR, 0, X2,
     "width*height BGRA words"},
    {VGT_SVGA_CMD_UPDATE_VERBOSE, "UPDATE_VERBOSE", 5, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_FRONT_ROP_FILL, "FRONT_ROP_FILL", 6, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_FENCE, "FENCE", 1, VGT_CMD_LAYOUT_FIXED, 0, DV, ""},
    {VGT_SVGA_CMD_ESCAPE, "ESCAPE", 2, VGT_CMD_LAYOUT_ESCAPE, 0, X2,
     "size bytes, padded to a whole word"},
    {VGT_SVGA_CMD_DEFINE_SCREEN, "DEFINE_SCREEN", 7, VGT_CMD_LAYOUT_SCREEN, 0, X2,
     "the screen object is struct_size bytes (28 V1, 44 V2, larger allowed up to 1024)"},
    {VGT_SVGA_CMD_DESTROY_SCREEN, "DESTROY_SCREEN", 1, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_DEFINE_GMRFB, "DEFINE_GMRFB", 4, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, "BLIT_GMRFB_TO_SCREEN", 7, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, "BLIT_SCREEN_TO_GMRFB", 7, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_ANNOTATION_FILL, "ANNOTATION_FILL", 1, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_ANNOTATION_COPY, "ANNOTATION_COPY", 3, VGT_CMD_LAYOUT_FIXED, 0, X2, ""},
    {VGT_SVGA_CMD_DEFINE_GMR2, "DEFINE_GMR2", 2, VGT_CMD_LAYOUT_FIXED, 0, DV, ""},
    {VGT_SVGA_CMD_REMAP_GMR2, "REMAP_GMR2", 4, VGT_CMD_LAYOUT_REMAP_GMR2, 0, DV,
     "VIA_GMR: a 2-word guest pointer; else num_pages (1 with SINGLE_PPN) PPNs of 1 or 2 "
     "(PPN64) words"},

    /* ---- 3D: {id, size} header, then size bytes ---- */
    {VGT_SVGA3D_CMD_SURFACE_DEFINE, "SURFACE_DEFINE", 9, VGT_CMD_LAYOUT_SURFACE_SIZES, 3,
     F3 | N | SO | GLB, "one 3-word size per mip level of each face (sum of the face mip counts)"},
    {VGT_SVGA3D_CMD_SURFACE_DESTROY, "SURFACE_DESTROY", 1, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SURFACE_COPY, "SURFACE_COPY", 6, VGT_CMD_LAYOUT_ARRAY, 9, F3 | N | SO | GLB,
     "copy boxes (9 words each)"},
    {VGT_SVGA3D_CMD_SURFACE_STRETCHBLT, "SURFACE_STRETCHBLT", 19, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SURFACE_DMA, "SURFACE_DMA", 7, VGT_CMD_LAYOUT_DMA, 9, F3 | N | SO | GLB,
     "copy boxes (9 words each), then an optional 3-word DMA suffix"},
    {VGT_SVGA3D_CMD_CONTEXT_DEFINE, "CONTEXT_DEFINE", 1, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_CONTEXT_DESTROY, "CONTEXT_DESTROY", 1, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SETTRANSFORM, "SETTRANSFORM", 18, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_SETZRANGE, "SETZRANGE", 3, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SETRENDERSTATE, "SETRENDERSTATE", 1, VGT_CMD_LAYOUT_ARRAY, 2, F3 | N | SO | GLB,
     "{state, value} pairs (2 words each)"},
    {VGT_SVGA3D_CMD_SETRENDERTARGET, "SETRENDERTARGET", 5, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SETTEXTURESTATE, "SETTEXTURESTATE", 1, VGT_CMD_LAYOUT_ARRAY, 3,
     F3 | N | SO | GLB, "{stage, name, value} entries (3 words each)"},
    {VGT_SVGA3D_CMD_SETMATERIAL, "SETMATERIAL", 19, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SETLIGHTDATA, "SETLIGHTDATA", 31, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_SETLIGHTENABLED, "SETLIGHTENABLED", 3, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SETVIEWPORT, "SETVIEWPORT", 5, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SETCLIPPLANE, "SETCLIPPLANE", 6, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_CLEAR, "CLEAR", 5, VGT_CMD_LAYOUT_ARRAY, 4, F3 | N | SO | GLB,
     "rects (4 words each)"},
    {VGT_SVGA3D_CMD_PRESENT, "PRESENT", 1, VGT_CMD_LAYOUT_ARRAY, 6, F3 | DEP | N | SO | GLB,
     "copy rects (6 words each)"},
    {VGT_SVGA3D_CMD_SHADER_DEFINE, "SHADER_DEFINE", 3, VGT_CMD_LAYOUT_WORDS, 1, F3 | N | SO | GLB,
     "shader bytecode words"},
    {VGT_SVGA3D_CMD_SHADER_DESTROY, "SHADER_DESTROY", 3, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_SET_SHADER, "SET_SHADER", 3, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_SET_SHADER_CONST, "SET_SHADER_CONST", 8, VGT_CMD_LAYOUT_ARRAY, 4,
     F3 | N | SO | GLB, "values of the registers after reg (4 words each)"},
    {VGT_SVGA3D_CMD_DRAW_PRIMITIVES, "DRAW_PRIMITIVES", 3, VGT_CMD_LAYOUT_DRAW, 9,
     F3 | N | SO | GLB,
     "num_vertex_decls decls (9 words), num_ranges ranges (7 words), optional "
     "num_vertex_decls divisor words"},
    {VGT_SVGA3D_CMD_SETSCISSORRECT, "SETSCISSORRECT", 5, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_BEGIN_QUERY, "BEGIN_QUERY", 2, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_END_QUERY, "END_QUERY", 4, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_WAIT_FOR_QUERY, "WAIT_FOR_QUERY", 4, VGT_CMD_LAYOUT_FIXED, 0, F3 | N | SO | GLB,
     ""},
    {VGT_SVGA3D_CMD_PRESENT_READBACK, "PRESENT_READBACK", 0, VGT_CMD_LAYOUT_ARRAY, 4,
     F3 | DEP | N | SO | GLB, "rects (4 words each)"},
    {VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN, "BLIT_SURFACE_TO_SCREEN", 12, VGT_CMD_LAYOUT_ARRAY, 4,
     F3 | N | SO | GLB, "clip rects (signed, 4 words each)"},
    {VGT_SVGA3D_CMD_SURFACE_DEFINE_V2, "SURFACE_DEFINE_V2", 11, VGT_CMD_LAYOUT_SURFACE_SIZES, 3,
     F3 | N | SO | GLB, "one 3-word size per mip level of each face (sum of the face mip counts)"},
    {VGT_SVGA3D_CMD_GENERATE_MIPMAPS, "GENERATE_MIPMAPS", 2, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_ACTIVATE_SURFACE, "ACTIVATE_SURFACE", 1, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
    {VGT_SVGA3D_CMD_DEACTIVATE_SURFACE, "DEACTIVATE_SURFACE", 1, VGT_CMD_LAYOUT_FIXED, 0,
     F3 | N | SO | GLB, ""},
};

const vgt_cmd_desc *vgt_cmd_table(size_t *count)
{
    if (count) {
        *count = sizeof(table) / sizeof(table[0]);
    }
    return table;
}

/* O(1) id -> row: every command is looked up several times on the FIFO
 * thread (length, decode, executor), and a binary search over the table was
 * a visible part of a small command's cost.  The ids live in two dense
 * windows (2D: 0..63, SVGA3D: 1040..1103); slot[] holds row index + 1 there
 * (0: no such command).  Ids outside the windows use the binary search. */
#define SLOT_WINDOW 64u
static uint8_t slot_2d[SLOT_WINDOW], slot_3d[SLOT_WINDOW];
_Static_assert(sizeof(table) / sizeof(table[0]) < 255, "row index + 1 fits a byte");

static const vgt_cmd_desc *lookup_bsearch(uint32_t id)
{
    size_t lo = 0;
    size_t hi = sizeof(table) / sizeof(table[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table[mid].id == id) {
            return &table[mid];
        }
        if (table[mid].id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* Filled once at load time, before any thread can look anything up (the
 * table is const, so this is the only writer). */
__attribute__((constructor)) static void build_slots(void)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        uint32_t id = table[i].id;
        if (id < SLOT_WINDOW) {
            slot_2d[id] = (uint8_t)(i + 1);
        } else if (id - VGT_SVGA3D_CMD_BASE < SLOT_WINDOW) {
            slot_3d[id - VGT_SVGA3D_CMD_BASE] = (uint8_t)(i + 1);
        }
    }
}

const vgt_cmd_desc *vgt_cmd_lookup(uint32_t id)
{
    uint32_t s;
    if (id < SLOT_WINDOW) {
        s = slot_2d[id];
    } else if (id - VGT_SVGA3D_CMD_BASE < SLOT_WINDOW) {
        s = slot_3d[id - VGT_SVGA3D_CMD_BASE];
    } else {
        return lookup_bsearch(id);
    }
    return s ? &table[s - 1] : NULL;
}

const char *vgt_cmd_name(uint32_t id)
{
    static _Thread_local char unknown[32];
    const vgt_cmd_desc *d = vgt_cmd_lookup(id);
    if (d) {
        return d->name;
    }
    snprintf(unknown, sizeof(unknown), "UNKNOWN_%u", id);
    return unknown;
}
