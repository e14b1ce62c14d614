/* cmd_decode.c - the one decoder/validator: words -> vgt_cmd. */
#include "vgt_protocol.h"

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "protocol_private.h"

_Static_assert(sizeof(vgt_svga3d_copy_box) == 9 * 4, "copy box is 9 words");
_Static_assert(sizeof(vgt_svga3d_vertex_decl) == 9 * 4, "vertex decl is 9 words");
_Static_assert(sizeof(vgt_svga3d_primitive_range) == 7 * 4, "range is 7 words");
_Static_assert(sizeof(vgt_svga3d_cmd_setlightdata) == 31 * 4, "light data is 31 words");
_Static_assert(sizeof(vgt_svga3d_cmd_setmaterial) == 19 * 4, "material is 19 words");
_Static_assert(sizeof(vgt_svga3d_cmd_surface_stretchblt) == 19 * 4, "stretchblt is 19 words");
_Static_assert(sizeof(vgt_svga3d_cmd_blit_surface_to_screen) == 12 * 4, "blit is 12 words");
_Static_assert(sizeof(vgt_svga_screen_object) == VGT_SVGA_SCREEN_OBJECT_V2_BYTES, "screen V2");
_Static_assert(sizeof(((vgt_cmd *)0)->u) == VGT_CMD_BODY_MAX_WORDS * 4, "union is raw");

/* Fails with a message naming the command, the word index and its value. */
static vgt_status bad(const vgt_cmd *cmd, vgt_error *err, vgt_status code, uint32_t word,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static vgt_status bad(const vgt_cmd *cmd, vgt_error *err, vgt_status code, uint32_t word,
                      const char *fmt, ...)
{
    char what[VGT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    uint32_t value = word < cmd->nwords ? cmd->words[word] : 0;
    return vgt_error_set(err, code, "%s word %u = %u (0x%x): %s", cmd->desc->name, word, value,
                         value, what);
}

/* Checks lo <= words[word] < hi. */
static vgt_status range(const vgt_cmd *cmd, vgt_error *err, uint32_t word, uint32_t lo, uint32_t hi,
                        const char *what)
{
    uint32_t v = cmd->words[word];
    if (v < lo || v >= hi) {
        return bad(cmd, err, VGT_E_INVALID, word, "%s must be in %u..%u", what, lo, hi - 1);
    }
    return VGT_OK;
}

static void set_array(vgt_cmd_array *a, const uint32_t *w, uint32_t count, uint32_t elem)
{
    a->words = count ? w : NULL;
    a->count = count;
    a->elem_words = elem;
}

/* Copies the fixed body (a few words) into the typed union.  A plain word
 * loop: memcpy with a run-time size was a libc call per command, a visible
 * part of decoding a small command on the FIFO thread. */
static inline void copy_body(vgt_cmd *cmd, uint32_t words)
{
    memcpy(cmd->u.raw, cmd->body, (size_t)words * 4u); /* words <= VGT_CMD_BODY_MAX_WORDS */
}

/* ---- 2D ------------------------------------------------------------------ */

static vgt_status decode_2d(vgt_cmd *cmd, vgt_error *err)
{
    const vgt_cmd_desc *d = cmd->desc;
    const uint32_t *w = cmd->words;

    if (d->layout == VGT_CMD_LAYOUT_SCREEN) {
        uint32_t obj_words = w[1] / 4; /* checked by vgt_cmd_length */
        uint32_t v2_words = VGT_SVGA_SCREEN_OBJECT_V2_BYTES / 4;
        uint32_t copy = obj_words < v2_words ? obj_words : v2_words;
        memset(&cmd->u.define_screen, 0, sizeof(cmd->u.define_screen));
        memcpy(cmd->u.raw, cmd->body, copy * 4u);
        if (obj_words > v2_words) {
            cmd->data = cmd->body + v2_words;
            cmd->data_words = obj_words - v2_words;
            cmd->data_bytes = cmd->data_words * 4u;
        }
        return VGT_OK;
    }

    copy_body(cmd, d->body_words);
    const uint32_t *rest = cmd->body + d->body_words;
    uint32_t rest_words = cmd->body_words - d->body_words;
    if (rest_words) {
        cmd->data = rest;
        cmd->data_words = rest_words;
        cmd->data_bytes = rest_words * 4u;
    }

    switch (d->id) {
    case VGT_SVGA_CMD_DEFINE_CURSOR: {
        if (w[1] != 0) {
            return bad(cmd, err, VGT_E_INVALID, 1, "cursor id is reserved and must be 0");
        }
        const vgt_svga_cmd_define_cursor *c = &cmd->u.define_cursor;
        /* Both fit: vgt_cmd_length computed rest_words from them. */
        cmd->and_mask_words =
            (uint32_t)vgt__cursor_mask_words(c->width, c->height, c->and_mask_depth);
        cmd->xor_mask_words =
            (uint32_t)vgt__cursor_mask_words(c->width, c->height, c->xor_mask_depth);
        cmd->and_mask = cmd->and_mask_words ? rest : NULL;
        cmd->xor_mask = cmd->xor_mask_words ? rest + cmd->and_mask_words : NULL;
        return VGT_OK;
    }
    case VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR:
        if (w[1] != 0) {
            return bad(cmd, err, VGT_E_INVALID, 1, "cursor id is reserved and must be 0");
        }
        return VGT_OK;
    case VGT_SVGA_CMD_FRONT_ROP_FILL:
        if (w[6] != VGT_SVGA_ROP_COPY) {
            return bad(cmd, err, VGT_E_INVALID, 6, "raster operation must be COPY (3)");
        }
        return VGT_OK;
    case VGT_SVGA_CMD_ESCAPE:
        cmd->data_bytes = w[2];
        return VGT_OK;
    case VGT_SVGA_CMD_DEFINE_GMRFB:
        if (VGT_SVGA_GMRFB_RESERVED(w[4]) != 0) {
            return bad(cmd, err, VGT_E_INVALID, 4, "format bits 16-31 are reserved and must be 0");
        }
        return VGT_OK;
    case VGT_SVGA_CMD_REMAP_GMR2: {
        uint32_t flags = w[2];
        const uint32_t known = VGT_SVGA_REMAP_GMR2_VIA_GMR | VGT_SVGA_REMAP_GMR2_PPN64 |
                               VGT_SVGA_REMAP_GMR2_SINGLE_PPN;
        if (flags & ~known) {
            return bad(cmd, err, VGT_E_INVALID, 2, "unknown flag bits 0x%x", flags & ~known);
        }
        if (flags & VGT_SVGA_REMAP_GMR2_VIA_GMR) {
            set_array(&cmd->items, rest, 1, 2);
        } else {
            uint32_t elem = (flags & VGT_SVGA_REMAP_GMR2_PPN64) ? 2u : 1u;
            set_array(&cmd->items, rest, rest_words / elem, elem);
        }
        return VGT_OK;
    }
    default:
        return VGT_OK;
    }
}

/* ---- 3D ------------------------------------------------------------------ */

/* Word index of body word i. */
#define BW(i) (2u + (i))

static vgt_status check_surface_define(vgt_cmd *cmd, vgt_error *err, const uint32_t *rest,
                                       uint32_t rest_words)
{
    const uint32_t *b = cmd->body;
    vgt_status st = range(cmd, err, BW(2), 1, VGT_SVGA3D_FORMAT_MAX, "surface format");
    if (st) {
        return st;
    }
    bool cube = (b[1] & VGT_SVGA3D_SURFACE_CUBEMAP) != 0;
    uint32_t total = 0;
    for (uint32_t f = 0; f < VGT_SVGA3D_MAX_SURFACE_FACES; f++) {
        uint32_t mips = b[3 + f];
        if (mips > VGT_SVGA3D_MAX_MIP_LEVELS) {
            return bad(cmd, err, VGT_E_INVALID, BW(3 + f), "face %u has more than %u mip levels", f,
                       VGT_SVGA3D_MAX_MIP_LEVELS);
        }
        if (f == 0 && mips == 0) {
            return bad(cmd, err, VGT_E_INVALID, BW(3), "face 0 must have at least 1 mip level");
        }
        if (f > 0 && cube && mips != b[3]) {
            return bad(cmd, err, VGT_E_INVALID, BW(3 + f),
                       "a cube map's faces must all have face 0's %u mip levels", b[3]);
        }
        if (f > 0 && !cube && mips != 0) {
            return bad(cmd, err, VGT_E_INVALID, BW(3 + f),
                       "face %u of a surface that is not a cube map must have 0 mip levels", f);
        }
        total += mips; /* <= 6 * 32 */
    }
    if ((uint64_t)total * 3u != rest_words) {
        return bad(cmd, err, VGT_E_INVALID, 1,
                   "the faces declare %u mip level%s (%u words of sizes) but %u word%s "
                   "the fixed body",
                   total, vgt_plural(total), total * 3u, rest_words,
                   rest_words == 1 ? " follows" : "s follow");
    }
    set_array(&cmd->items, rest, total, 3);
    return VGT_OK;
}

static bool enum_ok(uint32_t v, uint32_t lo, uint32_t hi)
{
    return v >= lo && v < hi;
}

/* Validates one render state value; returns a description of the expected
 * range, or NULL when the value is acceptable. */
static const char *render_state_value_problem(uint32_t state, uint32_t v)
{
    switch (state) {
    case VGT_SVGA3D_RS_SRCBLEND:
    case VGT_SVGA3D_RS_DSTBLEND:
    case VGT_SVGA3D_RS_SRCBLENDALPHA:
    case VGT_SVGA3D_RS_DSTBLENDALPHA:
        return enum_ok(v, 1, VGT_SVGA3D_BLENDOP_MAX) ? NULL : "a blend op (1..13)";
    case VGT_SVGA3D_RS_BLENDEQUATION:
    case VGT_SVGA3D_RS_BLENDEQUATIONALPHA:
        return enum_ok(v, 1, VGT_SVGA3D_BLENDEQ_MAX) ? NULL : "a blend equation (1..5)";
    case VGT_SVGA3D_RS_CULLMODE:
        return enum_ok(v, 1, VGT_SVGA3D_FACE_MAX) ? NULL : "a face (1..4)";
    case VGT_SVGA3D_RS_ZFUNC:
    case VGT_SVGA3D_RS_ALPHAFUNC:
    case VGT_SVGA3D_RS_STENCILFUNC:
    case VGT_SVGA3D_RS_CCWSTENCILFUNC:
        return enum_ok(v, 1, VGT_SVGA3D_CMP_MAX) ? NULL : "a compare function (1..8)";
    case VGT_SVGA3D_RS_STENCILFAIL:
    case VGT_SVGA3D_RS_STENCILZFAIL:
    case VGT_SVGA3D_RS_STENCILPASS:
    case VGT_SVGA3D_RS_CCWSTENCILFAIL:
    case VGT_SVGA3D_RS_CCWSTENCILZFAIL:
    case VGT_SVGA3D_RS_CCWSTENCILPASS:
        return enum_ok(v, 1, VGT_SVGA3D_STENCILOP_MAX) ? NULL : "a stencil op (1..8)";
    case VGT_SVGA3D_RS_SHADEMODE:
        return enum_ok(v, 1, VGT_SVGA3D_SHADEMODE_MAX) ? NULL : "a shade mode (1..3)";
    case VGT_SVGA3D_RS_FILLMODE:
        return enum_ok(VGT_SVGA3D_FILLMODE_MODE(v), 1, VGT_SVGA3D_FILLMODE_MAX) &&
                       enum_ok(VGT_SVGA3D_FILLMODE_FACE(v), 1, VGT_SVGA3D_FACE_MAX)
                   ? NULL
                   : "a fill mode (mode 1..3 in bits 0-15, face 1..4 in bits 16-31)";
    case VGT_SVGA3D_RS_FOGMODE:
        return VGT_SVGA3D_FOGMODE_FUNCTION(v) < VGT_SVGA3D_FOGFUNC_MAX &&
                       VGT_SVGA3D_FOGMODE_TYPE(v) < VGT_SVGA3D_FOGTYPE_MAX &&
                       VGT_SVGA3D_FOGMODE_BASE(v) < VGT_SVGA3D_FOGBASE_MAX
                   ? NULL
                   : "a fog mode (function 0..4, type 0..2, base 0..2)";
    case VGT_SVGA3D_RS_FRONTWINDING:
        return enum_ok(v, 1, VGT_SVGA3D_FRONTWINDING_MAX) ? NULL : "a winding (1..2)";
    case VGT_SVGA3D_RS_COORDINATETYPE:
        return enum_ok(v, 1, VGT_SVGA3D_COORDINATE_MAX) ? NULL : "a coordinate type (1..2)";
    case VGT_SVGA3D_RS_DIFFUSEMATERIALSOURCE:
    case VGT_SVGA3D_RS_SPECULARMATERIALSOURCE:
    case VGT_SVGA3D_RS_AMBIENTMATERIALSOURCE:
    case VGT_SVGA3D_RS_EMISSIVEMATERIALSOURCE:
        return v < VGT_SVGA3D_VERTEXMATERIAL_MAX ? NULL : "a vertex material source (0..2)";
    case VGT_SVGA3D_RS_VERTEXBLEND:
        return v < VGT_SVGA3D_VBLEND_MAX || v == VGT_SVGA3D_VBLEND_TWEENING ||
                       v == VGT_SVGA3D_VBLEND_0WEIGHTS
                   ? NULL
                   : "a vertex blend (0..3, 255 tweening, 256 0WEIGHTS)";
    case VGT_SVGA3D_RS_TRANSPARENCYANTIALIAS:
        return v < VGT_SVGA3D_TRANSPARENCYANTIALIAS_MAX ? NULL
                                                        : "a transparency antialias mode (0..2)";
    default:
        return NULL;
    }
}

static const char *texture_state_value_problem(uint32_t name, uint32_t v)
{
    switch (name) {
    case VGT_SVGA3D_TS_COLOROP:
    case VGT_SVGA3D_TS_ALPHAOP:
        return enum_ok(v, 1, VGT_SVGA3D_TC_MAX) ? NULL : "a texture combiner (1..26)";
    case VGT_SVGA3D_TS_COLORARG0:
    case VGT_SVGA3D_TS_COLORARG1:
    case VGT_SVGA3D_TS_COLORARG2:
    case VGT_SVGA3D_TS_ALPHAARG0:
    case VGT_SVGA3D_TS_ALPHAARG1:
    case VGT_SVGA3D_TS_ALPHAARG2:
        return enum_ok(VGT_SVGA3D_TA_SOURCE(v), 1, VGT_SVGA3D_TA_MAX) &&
                       (v & ~(VGT_SVGA3D_TM_ALPHA | VGT_SVGA3D_TM_ONE_MINUS | 0xFu)) == 0
                   ? NULL
                   : "a texture argument (source 1..5, modifiers ALPHA/ONE_MINUS)";
    case VGT_SVGA3D_TS_ADDRESSU:
    case VGT_SVGA3D_TS_ADDRESSV:
    case VGT_SVGA3D_TS_ADDRESSW:
        return enum_ok(v, 1, VGT_SVGA3D_TEX_ADDRESS_MAX) ? NULL : "a texture address mode (1..6)";
    case VGT_SVGA3D_TS_MIPFILTER:
    case VGT_SVGA3D_TS_MAGFILTER:
    case VGT_SVGA3D_TS_MINFILTER:
        return v < VGT_SVGA3D_TEX_FILTER_MAX ? NULL : "a texture filter (0..7)";
    case VGT_SVGA3D_TS_TEXCOORDGEN:
        return v < VGT_SVGA3D_TEXCOORD_GEN_MAX ? NULL : "a texcoord generation mode (0..4)";
    default:
        return NULL;
    }
}

static vgt_status check_draw(vgt_cmd *cmd, vgt_error *err, const uint32_t *rest,
                             uint32_t rest_words)
{
    const vgt_svga3d_cmd_draw_primitives *dp = &cmd->u.draw_primitives;
    uint32_t ndecls = dp->num_vertex_decls, nranges = dp->num_ranges;
    if (ndecls > VGT_SVGA3D_MAX_VERTEX_ARRAYS) {
        return bad(cmd, err, VGT_E_RANGE, BW(1), "more than %u vertex declarations",
                   VGT_SVGA3D_MAX_VERTEX_ARRAYS);
    }
    if (nranges > VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES) {
        return bad(cmd, err, VGT_E_RANGE, BW(2), "more than %u primitive ranges",
                   VGT_SVGA3D_MAX_DRAW_PRIMITIVE_RANGES);
    }
    uint32_t need = ndecls * 9u + nranges * 7u; /* small: counts are capped above */
    bool divisors;
    if (rest_words == need) {
        divisors = false;
    } else if (ndecls > 0 && rest_words == need + ndecls) {
        divisors = true;
    } else {
        return bad(cmd, err, VGT_E_INVALID, 1,
                   "%u decl%s and %u range%s need %u words (or %u with divisors), %u follow%s",
                   ndecls, vgt_plural(ndecls), nranges, vgt_plural(nranges), need, need + ndecls,
                   rest_words, rest_words == 1 ? "s" : "");
    }
    uint32_t base = BW(3);
    for (uint32_t i = 0; i < ndecls; i++) {
        uint32_t wi = base + i * 9u;
        vgt_status st = range(cmd, err, wi + 0, 0, VGT_SVGA3D_DECLTYPE_MAX, "decl type");
        if (!st) {
            st = range(cmd, err, wi + 1, 0, VGT_SVGA3D_DECLMETHOD_MAX, "decl method");
        }
        if (!st) {
            st = range(cmd, err, wi + 2, 0, VGT_SVGA3D_DECLUSAGE_MAX, "decl usage");
        }
        if (st) {
            return st;
        }
    }
    base += ndecls * 9u;
    for (uint32_t i = 0; i < nranges; i++) {
        uint32_t wi = base + i * 7u;
        vgt_status st = range(cmd, err, wi, 1, VGT_SVGA3D_PRIMITIVE_MAX, "primitive type");
        if (st) {
            return st;
        }
        uint32_t index_sid = cmd->words[wi + 2], index_width = cmd->words[wi + 5];
        if (index_sid != VGT_SVGA3D_INVALID_ID && index_width != 2 && index_width != 4) {
            return bad(cmd, err, VGT_E_INVALID, wi + 5,
                       "index width must be 2 or 4 bytes for an indexed range");
        }
    }
    set_array(&cmd->items, rest, ndecls, 9);
    set_array(&cmd->ranges, rest + ndecls * 9u, nranges, 7);
    if (divisors) {
        set_array(&cmd->divisors, rest + need, ndecls, 1);
    }
    return VGT_OK;
}

static vgt_status check_dma(vgt_cmd *cmd, vgt_error *err, const uint32_t *rest, uint32_t rest_words)
{
    vgt_status st = range(cmd, err, BW(6), VGT_SVGA3D_WRITE_HOST_VRAM,
                          VGT_SVGA3D_READ_HOST_VRAM + 1, "transfer type");
    if (st) {
        return st;
    }
    cmd->dma_suffix.suffix_size = sizeof(vgt_svga3d_dma_suffix);
    cmd->dma_suffix.maximum_offset = 0xFFFFFFFFu;
    cmd->dma_suffix.flags = 0;
    uint32_t boxes_words = rest_words;
    if (rest_words % 9u == 3u) {
        uint32_t sw = rest_words - 3u; /* suffix starts here, relative to rest */
        uint32_t word = (uint32_t)(rest - cmd->words) + sw;
        if (rest[sw] != sizeof(vgt_svga3d_dma_suffix)) {
            return bad(cmd, err, VGT_E_INVALID, word,
                       "3 words follow the copy boxes but they are not a DMA suffix (its "
                       "size must be %zu)",
                       sizeof(vgt_svga3d_dma_suffix));
        }
        if (rest[sw + 2] & VGT_SVGA3D_DMA_FLAG_RESERVED_MASK) {
            return bad(cmd, err, VGT_E_INVALID, word + 2,
                       "DMA suffix flag bits 2-31 are reserved and must be 0");
        }
        memcpy(&cmd->dma_suffix, rest + sw, sizeof(cmd->dma_suffix));
        cmd->has_dma_suffix = true;
        boxes_words = sw;
    } else if (rest_words % 9u != 0) {
        return bad(cmd, err, VGT_E_INVALID, 1,
                   "%u word%s the fixed body: not a whole number of 9-word copy boxes "
                   "(plus an optional 3-word suffix)",
                   rest_words, rest_words == 1 ? " follows" : "s follow");
    }
    set_array(&cmd->items, rest, boxes_words / 9u, 9);
    return VGT_OK;
}

static vgt_status decode_3d(vgt_cmd *cmd, vgt_error *err)
{
    const vgt_cmd_desc *d = cmd->desc;
    if (cmd->body_words < d->body_words) {
        return bad(cmd, err, VGT_E_INVALID, 1, "size is smaller than the fixed body (%u bytes)",
                   d->body_words * 4u);
    }
    copy_body(cmd, d->body_words);
    memset(cmd->u.raw + d->body_words, 0, sizeof(cmd->u) - (size_t)d->body_words * 4u);
    const uint32_t *rest = cmd->body + d->body_words;
    uint32_t rest_words = cmd->body_words - d->body_words;
    if (rest_words) {
        cmd->data = rest;
        cmd->data_words = rest_words;
        cmd->data_bytes = rest_words * 4u;
    }

    /* Structure of the part after the fixed body. */
    vgt_status st = VGT_OK;
    switch (d->layout) {
    case VGT_CMD_LAYOUT_FIXED:
        if (rest_words) {
            return bad(cmd, err, VGT_E_INVALID, 1, "size must be exactly %u bytes",
                       d->body_words * 4u);
        }
        break;
    case VGT_CMD_LAYOUT_ARRAY:
        if (rest_words % d->elem_words) {
            return bad(cmd, err, VGT_E_INVALID, 1,
                       "%u word%s the fixed body: not a whole number of %u-word entries",
                       rest_words, rest_words == 1 ? " follows" : "s follow", d->elem_words);
        }
        set_array(&cmd->items, rest, rest_words / d->elem_words, d->elem_words);
        break;
    case VGT_CMD_LAYOUT_WORDS:
        set_array(&cmd->items, rest, rest_words, 1);
        break;
    case VGT_CMD_LAYOUT_SURFACE_SIZES:
        st = check_surface_define(cmd, err, rest, rest_words);
        break;
    case VGT_CMD_LAYOUT_DMA:
        st = check_dma(cmd, err, rest, rest_words);
        break;
    case VGT_CMD_LAYOUT_DRAW:
        st = check_draw(cmd, err, rest, rest_words);
        break;
    default:
        return bad(cmd, err, VGT_E_INVALID, 0, "no 3D layout rule (internal error)");
    }
    if (st) {
        return st;
    }

    /* Closed enums and reserved fields of the fixed body. */
    switch (d->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        return range(cmd, err, BW(10), 0, VGT_SVGA3D_TEX_FILTER_MAX, "autogen filter");
    case VGT_SVGA3D_CMD_SURFACE_STRETCHBLT:
        return range(cmd, err, BW(18), 0, VGT_SVGA3D_STRETCH_BLT_MAX, "stretch mode");
    case VGT_SVGA3D_CMD_SETTRANSFORM:
        return range(cmd, err, BW(1), 1, VGT_SVGA3D_TRANSFORM_MAX, "transform type");
    case VGT_SVGA3D_CMD_SETRENDERSTATE:
        for (uint32_t i = 0; i < cmd->items.count; i++) {
            uint32_t wi = BW(1) + i * 2u;
            st = range(cmd, err, wi, 1, VGT_SVGA3D_RS_MAX, "render state");
            if (st) {
                return st;
            }
            const char *p = render_state_value_problem(cmd->words[wi], cmd->words[wi + 1]);
            if (p) {
                return bad(cmd, err, VGT_E_INVALID, wi + 1, "render state %s must be %s",
                           vgt_svga3d_render_state_name(cmd->words[wi]), p);
            }
        }
        return VGT_OK;
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        return range(cmd, err, BW(1), 0, VGT_SVGA3D_RT_MAX, "render target type");
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        for (uint32_t i = 0; i < cmd->items.count; i++) {
            uint32_t wi = BW(1) + i * 3u;
            st = range(cmd, err, wi, 0, VGT_SVGA3D_MAX_TEXTURE_STAGES, "texture stage");
            if (!st) {
                st = range(cmd, err, wi + 1, 1, VGT_SVGA3D_TS_MAX, "texture state");
            }
            if (st) {
                return st;
            }
            const char *p = texture_state_value_problem(cmd->words[wi + 1], cmd->words[wi + 2]);
            if (p) {
                return bad(cmd, err, VGT_E_INVALID, wi + 2, "texture state %s must be %s",
                           vgt_svga3d_texture_state_name(cmd->words[wi + 1]), p);
            }
        }
        return VGT_OK;
    case VGT_SVGA3D_CMD_SETMATERIAL:
        return range(cmd, err, BW(1), 1, VGT_SVGA3D_FACE_MAX, "material face");
    case VGT_SVGA3D_CMD_SETLIGHTDATA:
        return range(cmd, err, BW(2), 1, VGT_SVGA3D_LIGHTTYPE_MAX, "light type");
    case VGT_SVGA3D_CMD_SETCLIPPLANE:
        return range(cmd, err, BW(1), 0, VGT_SVGA3D_MAX_CLIP_PLANES, "clip plane index");
    case VGT_SVGA3D_CMD_CLEAR:
        if (cmd->body[1] & ~VGT_SVGA3D_CLEAR_ALL) {
            return bad(cmd, err, VGT_E_INVALID, BW(1),
                       "clear flags other than COLOR, DEPTH, STENCIL (0x7) are reserved");
        }
        return VGT_OK;
    case VGT_SVGA3D_CMD_SHADER_DEFINE:
        st = range(cmd, err, BW(2), VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_SHADERTYPE_MAX,
                   "shader type");
        if (!st && rest_words == 0) {
            return bad(cmd, err, VGT_E_INVALID, 1, "a shader needs at least one bytecode word");
        }
        return st;
    case VGT_SVGA3D_CMD_SHADER_DESTROY:
        return range(cmd, err, BW(2), VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_SHADERTYPE_MAX,
                     "shader type");
    case VGT_SVGA3D_CMD_SET_SHADER:
        return range(cmd, err, BW(1), VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_SHADERTYPE_MAX,
                     "shader type");
    case VGT_SVGA3D_CMD_SET_SHADER_CONST:
        st = range(cmd, err, BW(2), VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_SHADERTYPE_MAX,
                   "shader type");
        if (!st) {
            st = range(cmd, err, BW(3), 0, VGT_SVGA3D_CONST_TYPE_MAX, "constant type");
        }
        return st;
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
    case VGT_SVGA3D_CMD_END_QUERY:
    case VGT_SVGA3D_CMD_WAIT_FOR_QUERY:
        return range(cmd, err, BW(1), 0, VGT_SVGA3D_QUERYTYPE_MAX, "query type");
    case VGT_SVGA3D_CMD_GENERATE_MIPMAPS:
        return range(cmd, err, BW(1), 0, VGT_SVGA3D_TEX_FILTER_MAX, "filter");
    default:
        return VGT_OK;
    }
}

#define MEMBER_SIZE(m) sizeof(((vgt_cmd *)0)->m)
/* The members after the union, summed (padding aside). */
#define VARIABLE_PART_BYTES                                                                        \
    (MEMBER_SIZE(data) + MEMBER_SIZE(data_words) + MEMBER_SIZE(data_bytes) +                       \
     MEMBER_SIZE(and_mask) + MEMBER_SIZE(and_mask_words) + MEMBER_SIZE(xor_mask) +                 \
     MEMBER_SIZE(xor_mask_words) + MEMBER_SIZE(items) + MEMBER_SIZE(ranges) +                      \
     MEMBER_SIZE(divisors) + MEMBER_SIZE(has_dma_suffix) + MEMBER_SIZE(dma_suffix))
_Static_assert(sizeof(vgt_cmd) - offsetof(vgt_cmd, data) <= VARIABLE_PART_BYTES + 16,
               "vgt_cmd has a new member after the union: clear it in clear_variable_part");

/* Zeroes what the decoders may leave unset: the members after the union.
 * Member by member, not memset: for these 112 bytes the compiler emitted
 * `rep stos`, whose start-up cost was about 40% of decoding a FENCE. */
static inline void clear_variable_part(vgt_cmd *cmd)
{
    static const vgt_cmd_array none = {NULL, 0, 0};
    cmd->data = NULL;
    cmd->data_words = 0;
    cmd->data_bytes = 0;
    cmd->and_mask = NULL;
    cmd->and_mask_words = 0;
    cmd->xor_mask = NULL;
    cmd->xor_mask_words = 0;
    cmd->items = none;
    cmd->ranges = none;
    cmd->divisors = none;
    cmd->has_dma_suffix = false;
    memset(&cmd->dma_suffix, 0, sizeof(cmd->dma_suffix));
}

vgt_status vgt_cmd_decode(const uint32_t *words, uint32_t nwords, vgt_cmd *cmd, vgt_error *err)
{
    if (!words || !cmd || nwords == 0) {
        return vgt_error_set(err, VGT_E_INVALID, "vgt_cmd_decode: no words given");
    }
    uint32_t total = 0;
    const vgt_cmd_desc *d = NULL;
    vgt_status st = vgt__cmd_length_desc(words, nwords, &total, &d, err);
    if (st == VGT_E_TRUNCATED) {
        return vgt_error_set(err, VGT_E_TRUNCATED,
                             "%s: %u word%s given, at least %u are needed to read its header",
                             vgt_cmd_name(words[0]), nwords, vgt_plural(nwords), total);
    }
    if (st) {
        return st;
    }
    bool is3d = (d->flags & VGT_CMD_F_3D) != 0;
    if (total > nwords) {
        return vgt_error_set(err, VGT_E_TRUNCATED,
                             "%s word %u = %u (0x%x): the command is %u words long, only %u "
                             "given",
                             d->name, is3d ? 1u : 0u, words[is3d ? 1 : 0], words[is3d ? 1 : 0],
                             total, nwords);
    }
    if (total < nwords) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "%s word %u = %u (0x%x): the command is %u word%s long, %u given "
                             "(pass exactly its length)",
                             d->name, is3d ? 1u : 0u, words[is3d ? 1 : 0], words[is3d ? 1 : 0],
                             total, vgt_plural(total), nwords);
    }
    /* Zero only what the decoders may leave unset: the variable-part fields
     * after the union.  The union is filled by the decoders from the body
     * (the screen object zeroes its own missing tail).  Clearing the whole
     * 300-byte struct was most of the cost of decoding a small command on
     * the FIFO thread. */
    clear_variable_part(cmd);
    cmd->id = words[0];
    cmd->desc = d;
    cmd->words = words;
    cmd->nwords = nwords;
    uint32_t hdr = is3d ? 2u : 1u;
    cmd->body = words + hdr;
    cmd->body_words = nwords - hdr;
    return is3d ? decode_3d(cmd, err) : decode_2d(cmd, err);
}
