/* vgt_protocol.h - the SVGA II + SVGA3D wire protocol: definitions, the
 * command decoder/validator and the command printer.  No execution.
 *
 * The FIFO consumer (device/) and the replayer (replay/) both call
 * vgt_cmd_length() and vgt_cmd_decode() on the same words: this is the one
 * decoder of the project.  Both are driven by one command table
 * (vgt_cmd_table()), which also drives the printer and
 * docs/protocol-coverage.md.
 */
#ifndef VGT_PROTOCOL_H
#define VGT_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vgt_base.h"
#include "vgt_svga.h"
#include "vgt_svga3d.h"
#include "vgt_shader.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ---- command length ----------------------------------------------------
 * The FIFO consumer copies a command out of guest memory once, word by word,
 * growing its copy until vgt_cmd_length() knows the whole length.
 *
 * vgt_cmd_length(words, avail, &total, err):
 *   - VGT_OK: the command occupies `total` words (header included);
 *   - VGT_E_TRUNCATED: more words are needed to know the length; `total` is
 *     set to the number of words needed to decide (always > avail);
 *   - another error (VGT_E_INVALID, VGT_E_RANGE): the length can never be
 *     known or is illegal (unknown id, size not a multiple of 4, arithmetic
 *     overflow, larger than VGT_CMD_MAX_WORDS); err says why, naming the word.
 * `avail` must be >= 1.  Only words[0 .. avail-1] are read.
 *
 * Lengths: a 2D command is its id word, its fixed body, and the variable part
 * its fixed body announces (cursor masks, escape bytes, screen object,
 * GMR2 page list).  A 3D command (id >= 1040) is {id, size} then size bytes.
 * Ids 1000..1039 (obsolete SVGA3D) and ids not in the table are errors
 * (VGT_E_INVALID).  For an id in 1040..1999 that is not in the table, when
 * its header is complete and its size legal, `total` is still set to
 * 2 + size/4 before the error is returned, so a consumer that wants to skip
 * unknown 3D commands can. */
#define VGT_CMD_MAX_WORDS (1u << 22) /* 16 MiB: no legal command is larger */
vgt_status vgt_cmd_length(const uint32_t *words, uint32_t avail, uint32_t *total, vgt_error *err);

/* The largest screen object DEFINE_SCREEN accepts (struct_size, bytes). */
#define VGT_SVGA_SCREEN_OBJECT_MAX_BYTES 1024u

/* ---- the command table --------------------------------------------------
 * One row per command the protocol knows (2D and legacy 3D). */

/* How the part after a command's fixed body is laid out. */
typedef enum vgt_cmd_layout {
    VGT_CMD_LAYOUT_FIXED = 0,     /* nothing follows the fixed body */
    VGT_CMD_LAYOUT_CURSOR,        /* DEFINE_CURSOR: AND mask then XOR mask */
    VGT_CMD_LAYOUT_ALPHA_CURSOR,  /* DEFINE_ALPHA_CURSOR: width*height pixels */
    VGT_CMD_LAYOUT_ESCAPE,        /* ESCAPE: `size` bytes, padded to a word */
    VGT_CMD_LAYOUT_SCREEN,        /* DEFINE_SCREEN: a screen object of struct_size bytes */
    VGT_CMD_LAYOUT_REMAP_GMR2,    /* REMAP_GMR2: guest pointer or page list, by flags */
    VGT_CMD_LAYOUT_ARRAY,         /* 3D: zero or more elements of elem_words words */
    VGT_CMD_LAYOUT_WORDS,         /* 3D: any number of words (shader bytecode) */
    VGT_CMD_LAYOUT_SURFACE_SIZES, /* 3D: one size per mip level per face */
    VGT_CMD_LAYOUT_DMA,           /* 3D: copy boxes, then an optional DMA suffix */
    VGT_CMD_LAYOUT_DRAW,          /* 3D: vertex decls, ranges, optional divisors */
} vgt_cmd_layout;

/* Row flags. */
#define VGT_CMD_F_3D          (1u << 0)  /* {id, size} header; id >= 1040 */
#define VGT_CMD_F_DECODED     (1u << 1)  /* vgt_cmd_decode() decodes and validates it */
#define VGT_CMD_F_DEPRECATED  (1u << 2)  /* the protocol marks it deprecated */
#define VGT_CMD_F_EXEC_DEVICE (1u << 8)  /* executed by the device (2D) */
#define VGT_CMD_F_EXEC_NULL   (1u << 9)  /* executed by the null backend */
#define VGT_CMD_F_EXEC_SOFT   (1u << 10) /* executed by the soft backend */
#define VGT_CMD_F_EXEC_GL     (1u << 11) /* executed by the gl backend */

typedef struct vgt_cmd_desc {
    uint32_t id;
    const char *name;      /* without prefix: "UPDATE", "SURFACE_DMA" */
    uint32_t body_words;   /* fixed body, in words after the id word (2D) or header (3D);
                            * DEFINE_SCREEN: the smallest (V1) screen object */
    vgt_cmd_layout layout; /* what follows the fixed body */
    uint32_t elem_words;   /* ARRAY, DMA, DRAW: words per (first) element, else 0 */
    uint32_t flags;        /* VGT_CMD_F_* */
    const char *variable;  /* what follows the fixed body, in words ("" when nothing) */
} vgt_cmd_desc;

/* The row for a command id, or NULL when the protocol has no such command. */
const vgt_cmd_desc *vgt_cmd_lookup(uint32_t id);
/* The command's name ("UPDATE"), or "UNKNOWN_<id>" from a static per-thread
 * buffer (valid until the next call on the same thread) for unknown ids. */
const char *vgt_cmd_name(uint32_t id);
/* The whole table, sorted by id; *count receives the number of rows.  The
 * rows are static and owned by the library. */
const vgt_cmd_desc *vgt_cmd_table(size_t *count);

/* ---- names of enum values -----------------------------------------------
 * Each returns a static string without prefix, or NULL for a value the
 * protocol does not define. */

/* Surface format (vgt_svga3d_surface_format), e.g. "A8R8G8B8". NULL when unknown. */
const char *vgt_svga3d_format_name(uint32_t v);
/* Surface flag bit `bit` (VGT_SVGA3D_SURFACE_*: 0 CUBEMAP .. 10
 * AUTOGENMIPMAPS), as vgt dump prints it. NULL past them. */
const char *vgt_svga3d_surface_flag_name(uint32_t bit);
/* The surface format a per-format devcap (VGT_SVGA3D_DEVCAP_SURFACEFMT_*)
 * describes, or VGT_SVGA3D_FORMAT_INVALID for any other devcap index. */
uint32_t vgt_svga3d_devcap_format(uint32_t devcap);
/* Decodes one 4x4 block of a DXT1..DXT5 surface into 16 texels, row by row,
 * as 0xAARRGGBB (DXT2/DXT4 alpha as DXT3/DXT5: premultiplication is not
 * undone).  `block` holds 8 (DXT1) or 16 bytes. */
void vgt_svga3d_dxt_decode_block(uint32_t format, const uint8_t *block, uint32_t out[16]);
/* Render state id, e.g. "ZENABLE". NULL when unknown. */
const char *vgt_svga3d_render_state_name(uint32_t v);
/* A render state's value as vgt dump prints it: a name ("LESSEQUAL",
 * "SRCALPHA"), a float ("1.5"), a mask ("0xf") or a number, into buf
 * (NUL-terminated, cut to fit). */
void vgt_svga3d_render_state_value_format(char *buf, size_t size, uint32_t state, uint32_t value);
/* The same for a texture stage state's value ("MODULATE", "TEXTURE|ALPHA", "none"). */
void vgt_svga3d_texture_state_value_format(char *buf, size_t size, uint32_t state, uint32_t value);
/* Texture stage state id, e.g. "COLOROP". NULL when unknown. */
const char *vgt_svga3d_texture_state_name(uint32_t v);
/* Transform type, e.g. "WORLD". NULL when unknown. */
const char *vgt_svga3d_transform_type_name(uint32_t v);
/* Primitive type, e.g. "TRIANGLELIST". NULL when unknown. */
const char *vgt_svga3d_primitive_type_name(uint32_t v);
/* Vertex declaration type, e.g. "FLOAT3". NULL when unknown. */
const char *vgt_svga3d_decl_type_name(uint32_t v);
/* Vertex declaration usage, e.g. "POSITION". NULL when unknown. */
const char *vgt_svga3d_decl_usage_name(uint32_t v);
/* Vertex declaration method, e.g. "DEFAULT". NULL when unknown. */
const char *vgt_svga3d_decl_method_name(uint32_t v);
/* Light type, e.g. "DIRECTIONAL". NULL when unknown. */
const char *vgt_svga3d_light_type_name(uint32_t v);
/* Shader type, e.g. "VS". NULL when unknown. */
const char *vgt_svga3d_shader_type_name(uint32_t v);
/* Shader constant type, e.g. "FLOAT". NULL when unknown. */
const char *vgt_svga3d_const_type_name(uint32_t v);
/* A video overlay unit's register (VGT_SVGA_VIDEO_*, svga_reg.h), e.g.
 * "DATA_GMRID". NULL when unknown. */
const char *vgt_svga_video_reg_name(uint32_t v);
/* Query type, e.g. "OCCLUSION". NULL when unknown. */
const char *vgt_svga3d_query_type_name(uint32_t v);
/* Render target slot, e.g. "COLOR0". NULL when unknown. */
const char *vgt_svga3d_rt_type_name(uint32_t v);
/* Blend op, e.g. "SRCALPHA". NULL when unknown. */
const char *vgt_svga3d_blend_op_name(uint32_t v);
/* Blend equation, e.g. "ADD". NULL when unknown. */
const char *vgt_svga3d_blend_eq_name(uint32_t v);
/* Compare function, e.g. "LESSEQUAL". NULL when unknown. */
const char *vgt_svga3d_cmp_func_name(uint32_t v);
/* Stencil op, e.g. "KEEP". NULL when unknown. */
const char *vgt_svga3d_stencil_op_name(uint32_t v);
/* Face (cull mode, material), e.g. "BACK". NULL when unknown. */
const char *vgt_svga3d_face_name(uint32_t v);
/* Shade mode, e.g. "SMOOTH". NULL when unknown. */
const char *vgt_svga3d_shade_mode_name(uint32_t v);
/* Vertex blend mode (RS_VERTEXBLEND), e.g. "2WEIGHTS", "0WEIGHTS". NULL when unknown. */
const char *vgt_svga3d_vertex_blend_name(uint32_t v);
/* Fill mode type (low 16 bits of RS_FILLMODE), e.g. "FILL". NULL when unknown. */
const char *vgt_svga3d_fill_mode_name(uint32_t v);
/* Texture combiner op, e.g. "MODULATE". NULL when unknown. */
const char *vgt_svga3d_texture_combiner_name(uint32_t v);
/* Texture address mode, e.g. "CLAMP". NULL when unknown. */
const char *vgt_svga3d_texture_address_name(uint32_t v);
/* Texture filter, e.g. "LINEAR". NULL when unknown. */
const char *vgt_svga3d_texture_filter_name(uint32_t v);
/* DMA transfer type: "WRITE_HOST_VRAM" or "READ_HOST_VRAM". NULL when unknown. */
const char *vgt_svga3d_transfer_type_name(uint32_t v);
/* Stretch blit mode, e.g. "LINEAR". NULL when unknown. */
const char *vgt_svga3d_stretch_mode_name(uint32_t v);
/* 3D device capability index, e.g. "MAX_TEXTURE_WIDTH". NULL when unknown. */
const char *vgt_svga3d_devcap_name(uint32_t v);

/* ---- the decoded view --------------------------------------------------- */

/* A run of equal-size elements inside the command's words (a pointer into the
 * caller's words, never a copy).  Read element i with vgt_cmd_array_get(),
 * which copies it into a typed struct (no unaligned or aliased access). */
typedef struct vgt_cmd_array {
    const uint32_t *words; /* element 0; NULL when count is 0 */
    uint32_t count;        /* number of elements */
    uint32_t elem_words;   /* words per element */
} vgt_cmd_array;

/* Copies element i (i < a->count) into out, which must hold elem_words words
 * (e.g. a vgt_svga3d_copy_box for a copy box array). */
static inline void vgt_cmd_array_get(const vgt_cmd_array *a, uint32_t i, void *out)
{
    memcpy(out, a->words + (size_t)i * a->elem_words, (size_t)a->elem_words * 4u);
}

/* The largest fixed body of any command, in words. */
#define VGT_CMD_BODY_MAX_WORDS 32u

/* A decoded command.  Everything that is a pointer points into the words
 * given to vgt_cmd_decode(), which must outlive the view.
 *
 * Variable parts, by command (fields not listed are zero/NULL):
 *   DEFINE_CURSOR        data/data_words: both masks; and_mask/and_mask_words,
 *                        xor_mask/xor_mask_words: each mask (rows padded to 32 bits)
 *   DEFINE_ALPHA_CURSOR  data/data_words: width*height BGRA pixels
 *   ESCAPE               data/data_words: the payload words; data_bytes: its size
 *   DEFINE_SCREEN        u.define_screen: the screen object, fields the guest did
 *                        not send (V1 form) are zero; data/data_words: words past
 *                        the V2 form (newer, unknown fields), usually none
 *   REMAP_GMR2           items: with VIA_GMR one element of 2 words (a
 *                        vgt_svga_guest_ptr); otherwise the page list: num_pages
 *                        (1 with SINGLE_PPN) elements of 1 word (PPN32) or 2
 *                        words (PPN64, low word first)
 *   SURFACE_DEFINE(_V2)  items: one vgt_svga3d_size per mip level, face 0's
 *                        levels first (count = sum of face_mip_levels)
 *   SURFACE_COPY         items: vgt_svga3d_copy_box entries
 *   SURFACE_DMA          items: vgt_svga3d_copy_box entries; has_dma_suffix and
 *                        dma_suffix: the optional trailer (not in items)
 *   SETRENDERSTATE       items: vgt_svga3d_render_state_pair entries
 *   SETTEXTURESTATE      items: vgt_svga3d_texture_state_entry entries
 *   CLEAR                items: vgt_svga3d_rect entries (none: the whole target)
 *   PRESENT              items: vgt_svga3d_copy_rect entries
 *   PRESENT_READBACK     items: vgt_svga3d_rect entries
 *   SHADER_DEFINE        items (elem_words 1) and data/data_words: the bytecode
 *   SET_SHADER_CONST     items (elem_words 4): the values of registers reg + 1,
 *                        reg + 2, ... (a run of consecutive registers, as
 *                        Mesa's svga driver sends; none: u.set_shader_const
 *                        alone)
 *   DRAW_PRIMITIVES      items: vgt_svga3d_vertex_decl entries (num_vertex_decls);
 *                        ranges: vgt_svga3d_primitive_range entries (num_ranges);
 *                        divisors: num_vertex_decls divisor words, or count 0
 *   BLIT_SURFACE_TO_SCREEN items: vgt_svga_signed_rect clip rects
 * Except for DEFINE_SCREEN, data/data_words is the whole part after the fixed
 * body (NULL/0 when there is none); data_bytes is data_words * 4 except for
 * ESCAPE, where it is the payload's size in bytes. */
typedef struct vgt_cmd {
    uint32_t id;
    const vgt_cmd_desc *desc; /* the command's table row */
    const uint32_t *words;    /* the whole command, header included */
    uint32_t nwords;
    const uint32_t *body; /* first word after the id (2D) or the {id,size} header (3D) */
    uint32_t body_words;  /* nwords minus the header */

    /* A copy of the fixed body, as the command's typed struct; the member is
     * named after the command in lower case. */
    union {
        uint32_t raw[VGT_CMD_BODY_MAX_WORDS];
        /* 2D */
        vgt_svga_cmd_update update;
        vgt_svga_cmd_rect_copy rect_copy;
        vgt_svga_cmd_define_cursor define_cursor;
        vgt_svga_cmd_define_alpha_cursor define_alpha_cursor;
        vgt_svga_cmd_update_verbose update_verbose;
        vgt_svga_cmd_front_rop_fill front_rop_fill;
        vgt_svga_cmd_fence fence;
        vgt_svga_cmd_escape escape;
        vgt_svga_screen_object define_screen;
        vgt_svga_cmd_destroy_screen destroy_screen;
        vgt_svga_cmd_define_gmrfb define_gmrfb;
        vgt_svga_cmd_blit_gmrfb_to_screen blit_gmrfb_to_screen;
        vgt_svga_cmd_blit_screen_to_gmrfb blit_screen_to_gmrfb;
        vgt_svga_cmd_annotation_fill annotation_fill;
        vgt_svga_cmd_annotation_copy annotation_copy;
        vgt_svga_cmd_define_gmr2 define_gmr2;
        vgt_svga_cmd_remap_gmr2 remap_gmr2;
        /* 3D */
        vgt_svga3d_cmd_surface_define surface_define;
        vgt_svga3d_cmd_surface_destroy surface_destroy;
        vgt_svga3d_cmd_surface_copy surface_copy;
        vgt_svga3d_cmd_surface_stretchblt surface_stretchblt;
        vgt_svga3d_cmd_surface_dma surface_dma;
        vgt_svga3d_cmd_context_define context_define;
        vgt_svga3d_cmd_context_destroy context_destroy;
        vgt_svga3d_cmd_settransform settransform;
        vgt_svga3d_cmd_setzrange setzrange;
        vgt_svga3d_cmd_setrenderstate setrenderstate;
        vgt_svga3d_cmd_setrendertarget setrendertarget;
        vgt_svga3d_cmd_settexturestate settexturestate;
        vgt_svga3d_cmd_setmaterial setmaterial;
        vgt_svga3d_cmd_setlightdata setlightdata;
        vgt_svga3d_cmd_setlightenabled setlightenabled;
        vgt_svga3d_cmd_setviewport setviewport;
        vgt_svga3d_cmd_setclipplane setclipplane;
        vgt_svga3d_cmd_clear clear;
        vgt_svga3d_cmd_present present;
        vgt_svga3d_cmd_shader_define shader_define;
        vgt_svga3d_cmd_shader_destroy shader_destroy;
        vgt_svga3d_cmd_set_shader set_shader;
        vgt_svga3d_cmd_set_shader_const set_shader_const;
        vgt_svga3d_cmd_draw_primitives draw_primitives;
        vgt_svga3d_cmd_setscissorrect setscissorrect;
        vgt_svga3d_cmd_begin_query begin_query;
        vgt_svga3d_cmd_end_query end_query;
        vgt_svga3d_cmd_wait_for_query wait_for_query;
        /* PRESENT_READBACK has no fixed body */
        vgt_svga3d_cmd_blit_surface_to_screen blit_surface_to_screen;
        vgt_svga3d_cmd_surface_define_v2 surface_define_v2;
        vgt_svga3d_cmd_generate_mipmaps generate_mipmaps;
        vgt_svga3d_cmd_activate_surface activate_surface;
        vgt_svga3d_cmd_deactivate_surface deactivate_surface;
    } u;

    /* Variable parts (see the table above). */
    const uint32_t *data;
    uint32_t data_words;
    uint32_t data_bytes;
    const uint32_t *and_mask;
    uint32_t and_mask_words;
    const uint32_t *xor_mask;
    uint32_t xor_mask_words;
    vgt_cmd_array items;
    vgt_cmd_array ranges;             /* DRAW_PRIMITIVES: primitive ranges */
    vgt_cmd_array divisors;           /* DRAW_PRIMITIVES: divisor words (count 0 when absent) */
    bool has_dma_suffix;              /* SURFACE_DMA: the body ends with a DMA suffix */
    vgt_svga3d_dma_suffix dma_suffix; /* SURFACE_DMA: a copy of it, or the defaults
                                       * {12, 0xFFFFFFFF, 0} when absent */
} vgt_cmd;

/* Decodes and validates one command of exactly `nwords` words (its length as
 * given by vgt_cmd_length()) into *cmd.  Validates the structure: sizes
 * against the declared length, array counts against the remaining words,
 * closed enums against their ranges, reserved fields that must be zero.  It
 * does not check that ids exist or that surfaces are big enough (that is the
 * executor's job).  Never reads outside words[0 .. nwords-1].  On error
 * returns VGT_E_TRUNCATED (nwords shorter than the command), VGT_E_INVALID or
 * VGT_E_RANGE, with a message naming the command, the word index and its
 * value; *cmd is then unspecified. */
vgt_status vgt_cmd_decode(const uint32_t *words, uint32_t nwords, vgt_cmd *cmd, vgt_error *err);

/* ---- id fields (protocol/cmd_ids.c) --------------------------------------
 * The words of a command that name an object whose number the guest chose:
 * two captures of the same guest may number their objects differently and
 * still say the same thing (vgt diff --ignore-ids renames them).  Shader ids
 * are one kind although SVGA3D scopes them by context and shader type. */
typedef enum vgt_id_kind {
    VGT_ID_SURFACE = 0, /* sid: surfaces, also in arrays (vertex/index, BIND_TEXTURE) */
    VGT_ID_CONTEXT,     /* cid */
    VGT_ID_SHADER,      /* shid */
    VGT_ID_GMR,         /* gmr_id, also in guest pointers (DMA, queries, GMRFB) */
    VGT_ID_SCREEN,      /* screen object ids */
    VGT_ID_FENCE,       /* FENCE's value: a number, not an object */
    VGT_ID_KINDS
} vgt_id_kind;

/* "surface", "context", "shader", "gmr", "screen", "fence". */
const char *vgt_id_kind_name(vgt_id_kind kind);
/* Whether value is a sentinel of the protocol rather than a name the guest
 * chose: SVGA3D_INVALID_ID (unbind, not indexed), GMR_NULL,
 * GMR_FRAMEBUFFER, SVGA_ID_INVALID (virtual coordinates).  Fences: never. */
bool vgt_id_is_reserved(vgt_id_kind kind, uint32_t value);
/* Whether the command (an id of the table) may hold an id field at all
 * (ESCAPE: when its payload is a video overlay SET_REGS naming a GMR or a
 * screen). */
bool vgt_cmd_has_ids(uint32_t id);

/* Called with the index in cmd->words of one id field and its kind. */
typedef void (*vgt_cmd_id_visit)(void *ctx, uint32_t word, vgt_id_kind kind);
/* Calls visit (may be NULL: count only) for every id field of a command
 * vgt_cmd_decode() decoded, in the order of the words, whatever its value
 * (a reserved one included), and returns their number.  The fixed body's
 * fields come from the decoded structs (offsetof), the arrays' from the
 * decoded view: SETTEXTURESTATE entries naming BIND_TEXTURE (the value),
 * DRAW_PRIMITIVES' vertex declarations' array.surface_id and ranges'
 * index_array.surface_id, REMAP_GMR2 VIA_GMR's guest pointer, a video
 * overlay SET_REGS escape's DATA_GMRID (GMR) and DST_SCREEN_ID (screen)
 * values.  Not ids: the overlay stream (a unit's index), other escapes. */
size_t vgt_cmd_ids(const vgt_cmd *cmd, vgt_cmd_id_visit visit, void *ctx);

/* ---- the printer -------------------------------------------------------- */

/* ---- texel reads both renderers share ----------------------------------- */

/* A surface texel of the format in the name at p (little-endian) as float
 * RGBA: UNORM channels v / (2^bits - 1), X channels and the missing ones of
 * LUMINANCE (L, L, L, 1) and depth (D, D, D, 1) read 1, ALPHA8 (0, 0, 0, A).
 * Inline so that each renderer reads them under its own floating-point
 * rules, and a renderer's format table can point at them. */
static inline float vgt_texel_unorm(uint32_t v, float max)
{
    return (float)v * (1.0f / max); /* max is a constant: a multiply */
}
static inline void vgt_texel_x8r8g8b8(const uint8_t *p, float c[4])
{
    c[0] = vgt_texel_unorm(p[2], 255.0f);
    c[1] = vgt_texel_unorm(p[1], 255.0f);
    c[2] = vgt_texel_unorm(p[0], 255.0f);
    c[3] = 1.0f;
}
static inline void vgt_texel_a8r8g8b8(const uint8_t *p, float c[4])
{
    vgt_texel_x8r8g8b8(p, c);
    c[3] = vgt_texel_unorm(p[3], 255.0f);
}
static inline void vgt_texel_r5g6b5(const uint8_t *p, float c[4])
{
    uint32_t v = vgt_load_le16(p);
    c[0] = vgt_texel_unorm(v >> 11, 31.0f);
    c[1] = vgt_texel_unorm((v >> 5) & 63, 63.0f);
    c[2] = vgt_texel_unorm(v & 31, 31.0f);
    c[3] = 1.0f;
}
static inline void vgt_texel_x1r5g5b5(const uint8_t *p, float c[4])
{
    uint32_t v = vgt_load_le16(p);
    c[0] = vgt_texel_unorm((v >> 10) & 31, 31.0f);
    c[1] = vgt_texel_unorm((v >> 5) & 31, 31.0f);
    c[2] = vgt_texel_unorm(v & 31, 31.0f);
    c[3] = 1.0f;
}
static inline void vgt_texel_a1r5g5b5(const uint8_t *p, float c[4])
{
    vgt_texel_x1r5g5b5(p, c);
    c[3] = (float)(vgt_load_le16(p) >> 15);
}
static inline void vgt_texel_a4r4g4b4(const uint8_t *p, float c[4])
{
    uint32_t v = vgt_load_le16(p);
    c[0] = vgt_texel_unorm((v >> 8) & 15, 15.0f);
    c[1] = vgt_texel_unorm((v >> 4) & 15, 15.0f);
    c[2] = vgt_texel_unorm(v & 15, 15.0f);
    c[3] = vgt_texel_unorm(v >> 12, 15.0f);
}
static inline void vgt_texel_l8(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = vgt_texel_unorm(p[0], 255.0f);
    c[3] = 1.0f;
}
static inline void vgt_texel_a8(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = 0.0f;
    c[3] = vgt_texel_unorm(p[0], 255.0f);
}
static inline void vgt_texel_l8a8(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = vgt_texel_unorm(p[0], 255.0f);
    c[3] = vgt_texel_unorm(p[1], 255.0f);
}
static inline void vgt_texel_d16(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = vgt_texel_unorm(vgt_load_le16(p), 65535.0f);
    c[3] = 1.0f;
}
static inline void vgt_texel_d24(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = vgt_texel_unorm(vgt_load_le32(p) >> 8, 16777215.0f);
    c[3] = 1.0f;
}
static inline void vgt_texel_d32(const uint8_t *p, float c[4])
{
    c[0] = c[1] = c[2] = (float)((double)vgt_load_le32(p) / 4294967295.0);
    c[3] = 1.0f;
}

/* ---- fixed-function rules both renderers share (ffp_rules.c) ----------- */

/* How many components a vertex element of declaration type `type` holds
 * (FLOAT2 2, D3DCOLOR 4, ...; unknown types 4). */
uint32_t vgt_svga3d_decl_components(uint32_t type);

/* What a fixed-function stage's TEXCOORDGEN and TEXTURETRANSFORMFLAGS ask
 * for, as Direct3D 9 reads them (docs/soft.md): the coordinate (the set, or
 * one generated in view space), then the stage's TEXTURE<n> matrix when
 * `count` says so, then the division of the first `keep` components by
 * component `proj`.  Of (u, v, w) the components from `keep` on read 0:
 * COUNT1 gives (u, 0, 0), COUNT2 | PROJECTED (u/v, 0, 0), COUNT3 |
 * PROJECTED (u/w, v/w, 0), COUNT4 | PROJECTED (u/q, v/q, w/q). */
typedef struct vgt_svga3d_texcoord_plan {
    uint32_t gen;   /* vgt_svga3d_texcoord_gen */
    uint32_t count; /* results of the texture transform (1..4), 0: no transform */
    int proj;       /* the component the others are divided by per pixel, -1: none */
    uint32_t keep;  /* components of (u, v, w) kept (1..3), the others read 0 */
} vgt_svga3d_texcoord_plan;

/* Makes the plan of `stage` (gen: the generation mode, from TEXCOORDGEN or
 * TEXCOORDINDEX's high bits; flags: TEXTURETRANSFORMFLAGS), the same for
 * 2D, cube and volume textures.  What the renderers do not do fails with
 * VGT_E_UNSUPPORTED naming the stage, the state and its value: unknown bits
 * or modes, COUNT1 | PROJECTED (nothing left to divide), generation with
 * pretransformed vertices. */
vgt_status vgt_svga3d_texcoord_plan_make(uint32_t stage, uint32_t gen, uint32_t flags,
                                         bool pretransformed, vgt_svga3d_texcoord_plan *out,
                                         vgt_error *err);

/* The plan of a sampled stage's texture coordinate behind a vertex shader
 * (the shader's oT#; flags: TEXTURETRANSFORMFLAGS): generation and the
 * matrix do not apply (the shader replaces vertex processing), PROJECTED
 * does, as Wine reads it: COUNT3 | PROJECTED (x/z, y/z, 0), any other
 * PROJECTED (x/w, y/w, z/w). */
void vgt_svga3d_texcoord_plan_behind_vs(uint32_t flags, vgt_svga3d_texcoord_plan *out);

/* The coordinate a ps_1_1..1_3 `tex` divides the others by, for its
 * stage's TEXTURETRANSFORMFLAGS: -1 without PROJECTED, else 1 (v: COUNT2),
 * 2 (w: COUNT3) or 3 (q: COUNT4, no count, COUNT1).  Both renderers. */
int vgt_svga3d_ps1x_tex_projection(uint32_t flags);

/* The value of DEVCAP `index` in the caps block `words` (count words, as
 * the FIFO's 3D caps hold them: vgt_svga3d.h); false when no DEVCAPS
 * record holds it, or a record's length is short or runs past the words
 * first (the walk stops there, as a guest's would). */
bool vgt_svga3d_caps_devcap(const uint32_t *words, uint32_t count, uint32_t index, uint32_t *value);

/* The fixed-function normal matrix: the inverse transpose of the upper 3x3
 * of world*view `m`, for row vectors (n' = n * inverse(M)^T), computed as
 * the cofactor matrix over the determinant; a singular matrix gives zeros.
 * Inline so that each renderer computes it under its own floating-point
 * rules (soft: no fused multiply-add, bit-exact everywhere). */
static inline void vgt_svga3d_normal_matrix(const float m[4][4], float out[3][3])
{
    float c[3][3];
    c[0][0] = m[1][1] * m[2][2] - m[1][2] * m[2][1];
    c[0][1] = m[1][2] * m[2][0] - m[1][0] * m[2][2];
    c[0][2] = m[1][0] * m[2][1] - m[1][1] * m[2][0];
    c[1][0] = m[0][2] * m[2][1] - m[0][1] * m[2][2];
    c[1][1] = m[0][0] * m[2][2] - m[0][2] * m[2][0];
    c[1][2] = m[0][1] * m[2][0] - m[0][0] * m[2][1];
    c[2][0] = m[0][1] * m[1][2] - m[0][2] * m[1][1];
    c[2][1] = m[0][2] * m[1][0] - m[0][0] * m[1][2];
    c[2][2] = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    float det = m[0][0] * c[0][0] + m[0][1] * c[0][1] + m[0][2] * c[0][2];
    float inv = det != 0.0f ? 1.0f / det : 0.0f;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            out[i][j] = c[i][j] * inv;
        }
    }
}

/* Whether POINTSCALEENABLE scales points: only without a vertex shader.
 * With one, a point's size is the shader's oPts when it writes it, else
 * POINTSIZE, either clamped to [POINTSIZE_MIN, POINTSIZE_MAX], as with scaling off
 * (Direct3D 9's point size formula is fixed-function vertex processing,
 * which the shader replaces; Wine's wined3d alike: ffp_rules.c).
 * POINTSPRITEENABLE needs no such rule: with a vertex shader the sprite's
 * (u, v, 0, 1) replaces the texture coordinates that are read, the pixel
 * shader's texture coordinate inputs or, without one, every fixed-function
 * stage's coordinates (the shader's oT#), exactly as without a vertex
 * shader: Direct3D 9's page speaks of the texture coordinates with no
 * exception for shaders, and wined3d's state_pointsprite enables
 * GL_POINT_SPRITE with coordinate replacement on the texture units the
 * fixed-function stages or the pixel shader read, whatever the vertex
 * side (its FIXME names both: use_ps, lowest_disabled_stage). */
bool vgt_svga3d_point_scale_applies(bool point_scale, bool vertex_shader);

/* The depth fixed-function pixel (table) fog measures (Direct3D 9's "Pixel
 * Fog" page, Wine's wined3d_ffp_get_vs_settings): the device z (the
 * projected z, w being 1) when the projection matrix m (Direct3D layout,
 * m[row][col]) is affine, its fourth column (0, 0, 0, 1), else the
 * eye-space depth |z|; never the range, which is vertex fog's only ("Vertex
 * Fog": range-based fog is computed by the transform engine for vertex fog
 * alone).  Both backends follow it for transformed vertices. */
bool vgt_svga3d_pixel_fog_uses_device_z(const float m[4][4]);

/* Fixed-function vertex blending (Direct3D 9's VERTEXBLEND and
 * INDEXEDVERTEXBLENDENABLE) over the world matrices SVGA3D has: WORLD,
 * WORLD1, WORLD2, WORLD3.  A blend index above the last one reads WORLD3
 * (SVGA3D has no cap for the index; Direct3D 9 with
 * MaxVertexBlendMatrixIndex 3 leaves higher indices undefined). */
#define VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX 3u

/* How a draw blends: position = sum of w_i * (P * World_i) over `matrices`
 * matrices, the first `weights` weights from BLENDWEIGHT (missing
 * components 0) and the last 1 minus their sum; the normal likewise with
 * each world*view's inverse transpose.  Or, tweening, P = POSITION0 + t *
 * (POSITION1 - POSITION0) with t RS TWEENFACTOR (and the normal from NORMAL0
 * and NORMAL1 alike when `tween_normal`), then WORLD alone. */
typedef struct vgt_svga3d_vertex_blend_plan {
    uint32_t matrices;  /* 0: no blending (WORLD alone), else 1..4 */
    uint32_t weights;   /* BLENDWEIGHT components read: matrices - 1 */
    bool indexed;       /* BLENDINDICES component i picks matrix i, else World_i */
    bool color_indices; /* the indices are a D3DCOLOR: byte i of the element is index i */
    bool tween;         /* VERTEXBLEND TWEENING: POSITION0 to POSITION1 by TWEENFACTOR */
    bool tween_normal;  /* tweening reads the normal: NORMAL0 to NORMAL1 as well */
} vgt_svga3d_vertex_blend_plan;

/* What vertex blending reads of a draw's vertex declaration (usage index 0
 * unless said). */
typedef struct vgt_svga3d_vertex_blend_decl {
    bool has_indices;    /* BLENDINDICES */
    uint32_t index_type; /* its declaration type */
    bool has_position1;  /* POSITION usage index 1 (tweening) */
    bool has_normal;     /* NORMAL */
    bool has_normal1;    /* NORMAL usage index 1 (tweening) */
    /* the draw reads the normal: lighting, or a texture stage generating
     * from it */
    bool normals_used;
} vgt_svga3d_vertex_blend_decl;

/* Makes the plan from RS VERTEXBLEND and INDEXEDVERTEXBLENDENABLE.  No
 * blending with a vertex shader or pretransformed vertices (Direct3D 9
 * ignores the states then), with VERTEXBLEND DISABLE, and indexed only when
 * the declaration has a BLENDINDICES element, as Wine.  TWEENING needs
 * POSITION 1, and NORMAL 1 when NORMAL 0 is there and read: VGT_E_INVALID
 * naming the missing element.  VGT_E_UNSUPPORTED naming the state for
 * indices that are not UBYTE4 or D3DCOLOR; VGT_E_INVALID for a value that
 * is no blend mode. */
vgt_status vgt_svga3d_vertex_blend_plan_make(uint32_t vertex_blend, bool indexed,
                                             bool vertex_shader, bool pretransformed,
                                             const vgt_svga3d_vertex_blend_decl *decl,
                                             vgt_svga3d_vertex_blend_plan *out, vgt_error *err);

/* The world matrix (0: WORLD .. 3: WORLD3) a blend index read as a float
 * picks: rounded, above VGT_SVGA3D_MAX_VERTEX_BLEND_MATRIX_INDEX clamped to
 * it, negative or NaN 0. */
uint32_t vgt_svga3d_vertex_blend_matrix(float index);

/* ---- a CLEAR's rect list as its union ---------------------------------- */

/* Pixels x0..x1-1 of rows y0..y1-1 (not empty). */
typedef struct vgt_pixel_box {
    uint32_t x0, y0, x1, y1;
} vgt_pixel_box;

/* Columns x0..x1-1 of a band's rows. */
typedef struct vgt_pixel_span {
    uint32_t x0, x1;
} vgt_pixel_span;

/* The union of a list of rects clipped to a w x h image.  Zero-initialise
 * it; its scratch (56 bytes a rect: bounded by the command's rects, none
 * by the image) is kept for the next list until vgt_rect_union_free. */
typedef struct vgt_rect_union {
    void *scratch;
    uint32_t cap;   /* rects the scratch holds */
    uint32_t count; /* rects added since vgt_rect_union_begin, clipped, not empty */
    uint32_t w, h;
} vgt_rect_union;

/* Writes rows y0..y1-1 at the spans (sorted by x0, disjoint, not touching). */
typedef void (*vgt_rect_band_fn)(void *ctx, uint32_t y0, uint32_t y1, const vgt_pixel_span *spans,
                                 uint32_t count);
/* Takes one rectangle of the union (disjoint from every other). */
typedef void (*vgt_rect_box_fn)(void *ctx, const vgt_pixel_box *box);

/* Starts a union of up to n rects on a w x h image (the scratch grown to
 * n); VGT_E_RANGE / VGT_E_NOMEM when it cannot be. */
vgt_status vgt_rect_union_begin(vgt_rect_union *u, uint32_t n, uint32_t w, uint32_t h,
                                vgt_error *err);
/* Adds rect (x, y, w, h) clipped to the image (empty or outside: nothing;
 * past the n of vgt_rect_union_begin: ignored). */
void vgt_rect_union_add(vgt_rect_union *u, int64_t x, int64_t y, uint32_t w, uint32_t h);
/* Calls fn for every band of rows of the union, top to bottom, with its
 * column runs: at most 2n bands (and at most h), every pixel of the union
 * in one band once; O(n log n + bands x rects covering them). */
void vgt_rect_union_bands(vgt_rect_union *u, vgt_rect_band_fn fn, void *ctx);
/* Calls fn for every rectangle of the union: the bands' runs, a run with
 * the same columns as one in the band right above it merged with it (nested
 * or stacked rects give one rectangle).  At most bands x runs rectangles
 * (and at most the pixels of the union); returns how many. */
uint64_t vgt_rect_union_boxes(vgt_rect_union *u, vgt_rect_box_fn fn, void *ctx);
/* Frees the scratch (the struct zeroed, ready for another begin). */
void vgt_rect_union_free(vgt_rect_union *u);

/* Prints a decoded command as one line "NAME key=value ...\n" to out (the
 * caller owns out).  Enum values by name (format=A8R8G8B8, type=TRIANGLELIST,
 * render state names); arrays as counts (boxes=3) unless `verbose`, which
 * prints them in full (boxes=[{...} {...}]); short state/range lists are
 * printed in full either way.  VGT_E_IO if writing fails. */
vgt_status vgt_cmd_print(FILE *out, const vgt_cmd *cmd, bool verbose);
/* Like vgt_cmd_print into buf (NUL-terminated, no newline); VGT_E_RANGE
 * when the line was cut to fit `size`. */
vgt_status vgt_cmd_format(char *buf, size_t size, const vgt_cmd *cmd, bool verbose);
/* Writes a decoded command's arguments to out as one JSON object, no
 * newline: the keys of vgt_cmd_print's key=value pairs in the same order,
 * numbers as numbers, enum values by name as strings (their number when
 * they have none), invalid ids as null, rects, boxes and pointers as
 * objects, arrays as arrays when vgt_cmd_print writes them in full (else
 * their count), floats through vgt_json_float (docs/cli.md, "vgt dump
 * --json").  VGT_E_IO if writing fails. */
vgt_status vgt_cmd_print_json(FILE *out, const vgt_cmd *cmd, bool verbose);
/* Writes len bytes of s as a JSON string: quoted, escaped, and valid UTF-8
 * whatever the bytes (a byte that is not part of a UTF-8 sequence is
 * written as U+FFFD). */
void vgt_json_string(FILE *out, const char *s, size_t len);
/* Writes len bytes of s into dst as vgt_json_string writes them to a FILE,
 * quotes included, NUL-terminated; cut to fit `size` between two whole
 * characters (never inside an escape or a UTF-8 sequence), so that the
 * result is always a valid JSON string (at least "" from size 3 on).
 * Returns its length; 0, dst empty, when size < 3 (no room for quotes). */
size_t vgt_json_string_buf(char *dst, size_t size, const char *s, size_t len);
/* Writes a float as a JSON number, the shortest decimal that reads back as
 * the same float; NaN and infinities, which JSON has no number for, as the
 * strings "nan", "inf" and "-inf". */
void vgt_json_float(FILE *out, float v);

/* Writes docs/protocol-coverage.md (one row per table command: decoded,
 * executed by device/null/soft/gl, tested) to out. */
vgt_status vgt_protocol_coverage_markdown(FILE *out);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_PROTOCOL_H */
