/* backend_soft.c - the soft renderer (vgt_soft) behind the vgt_backend
 * interface.
 *
 * The executor validates every command and hands over resolved Direct3D 9
 * style state whose values are SVGA3D protocol numbers; vgt_soft takes the
 * same numbers, so the adapter is a field-by-field copy of
 * vgt_backend_draw_state into a vgt_soft_draw_state kept in the backend (no
 * heap allocation per draw), plus the few conversions where the two differ:
 * the alpha reference (float -> byte), lights given in view space (moved to
 * world space), OUTPUTGAMMA 2.2 (sRGB write) and TS_GAMMA 2.2 (sRGB reads)
 * (vgt_backend_gamma_kind), stencil without a stencil
 * target (off).  What the soft renderer cannot draw faithfully is rejected
 * with VGT_E_UNSUPPORTED and a message naming the state; what only hints or
 * has no visible effect is ignored (docs/soft.md lists both).
 *
 * Surfaces whose format vgt_soft does not know (BUMPL8V8U8, L16, A2R10G10B10,
 * R/RG float, DXT2/4, D15S1) are kept as raw bytes in the executor's layout:
 * SURFACE_DMA and SURFACE_COPY move their bytes, anything that would
 * interpret them (draw, sample, clear, stretch, present) is rejected. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend_soft.h"
#include "vgt_soft.h"

/* A host surface: a vgt_soft surface, or raw bytes. */
typedef struct soft_be_surface {
    vgt_soft_surface *soft; /* NULL: raw */
    uint8_t *raw;
    const vgt_surface_format_info *fi;
    uint32_t sid, format, faces, mips;
    const vgt_surface_image *images; /* the executor's layout (borrowed, lives as long) */
    uint64_t total_bytes;
} soft_be_surface;

typedef struct soft_be_query {
    struct soft_be_query *next_active; /* the active list */
    bool active;
    uint64_t pixels;
} soft_be_query;

typedef struct soft_backend {
    vgt_soft_device *dev;
    soft_be_query *active;  /* queries between begin and end */
    vgt_soft_draw_state st; /* scratch for the draw being converted */
    /* instancing: per element of st, the instances sharing one value
     * (0: read per vertex) and the element's own offset and stride */
    uint32_t inst_step[VGT_SOFT_MAX_ELEMENTS];
    uint32_t el_divisor[VGT_SOFT_MAX_ELEMENTS]; /* each st element's divisor word */
    uint32_t inst_offset[VGT_SOFT_MAX_ELEMENTS], inst_stride[VGT_SOFT_MAX_ELEMENTS];
    vgt_backend_soft_counters counters;
    /* the fragment probe: on, and what the draws since the last take
     * recorded (with their range and instance) */
    bool probing;
    vgt_soft_fragment taken[VGT_SOFT_PROBE_MAX];
    vgt_backend_fragment frags[VGT_BACKEND_FRAGMENTS_MAX];
    uint32_t nfrags;
    uint64_t dropped;
    vgt_soft_rect *rects; /* a CLEAR's rects converted, for rects_cap of them */
    uint32_t rects_cap;
} soft_backend;

_Static_assert((int)VGT_SOFT_FATE_CLIPPED == (int)VGT_BACKEND_FATE_CLIPPED &&
                   (int)VGT_SOFT_FATE_PASSED == (int)VGT_BACKEND_FATE_PASSED &&
                   (int)VGT_SOFT_FATE_CLEARED == (int)VGT_BACKEND_FATE_CLEARED &&
                   (int)VGT_SOFT_FATE_CULLED_FRONT == (int)VGT_BACKEND_FATE_CULLED_FRONT &&
                   (int)VGT_SOFT_FATE_CULLED_BACK == (int)VGT_BACKEND_FATE_CULLED_BACK &&
                   (int)VGT_SOFT_FATE_TEXKILL == (int)VGT_BACKEND_FATE_TEXKILL &&
                   (int)VGT_SOFT_FATE_MASKED == (int)VGT_BACKEND_FATE_MASKED &&
                   (int)VGT_SOFT_FATE_DEPTH == (int)VGT_BACKEND_FATE_DEPTH &&
                   (int)VGT_SOFT_FATE_SCISSOR == (int)VGT_BACKEND_FATE_SCISSOR,
               "the soft fates are the backend's");
_Static_assert(VGT_SOFT_CLIP_NEAR == VGT_BACKEND_CLIP_NEAR &&
                   VGT_SOFT_CLIP_FAR == VGT_BACKEND_CLIP_FAR &&
                   VGT_SOFT_CLIP_PLANE(5) == VGT_BACKEND_CLIP_PLANE(5),
               "a fragment's clip_planes is copied as it is");

static const vgt_backend_ops soft_ops;

static soft_be_surface *surf(vgt_backend_surface *s)
{
    return (soft_be_surface *)(void *)s;
}

static vgt_soft_view soft_view(const vgt_backend_view *v)
{
    vgt_soft_view sv = {v->surface ? surf(v->surface)->soft : NULL, v->face, v->mip};
    return sv;
}

static const char *fmt_name(uint32_t format)
{
    const vgt_surface_format_info *fi = vgt_surface_format(format);
    return fi ? fi->name : "?";
}

/* ---- the fragment probe ---------------------------------------------------- */

static void be_fragment_probe(void *self, const vgt_backend_view *target, uint32_t x, uint32_t y)
{
    soft_backend *b = self;
    vgt_soft_surface *s = target && target->surface ? surf(target->surface)->soft : NULL;
    b->probing = s != NULL;
    b->nfrags = 0;
    b->dropped = 0;
    vgt_soft_probe_set(b->dev, s, s ? target->face : 0, s ? target->mip : 0, x, y);
}

/* After one vgt_soft_draw of range `range`, instance `inst`: its fragments. */
static void probe_collect(soft_backend *b, uint32_t range, uint32_t inst)
{
    uint64_t dropped;
    uint32_t n = vgt_soft_probe_take(b->dev, b->taken, VGT_SOFT_PROBE_MAX, &dropped);
    b->dropped += dropped;
    for (uint32_t i = 0; i < n; i++) {
        if (b->nfrags == VGT_BACKEND_FRAGMENTS_MAX) {
            b->dropped += n - i;
            break;
        }
        const vgt_soft_fragment *f = &b->taken[i];
        vgt_backend_fragment *o = &b->frags[b->nfrags++];
        *o = (vgt_backend_fragment){
            .range = range,
            .instance = inst,
            .primitive = f->primitive,
            .fate = f->fate,
            .shaded = f->shaded,
            .z = f->z,
            .has_depth = f->has_depth,
            .z_quant = f->z_quant,
            .z_buffer = f->z_buffer,
            .stencil_path = f->stencil_path,
            .stencil_op = f->stencil_op,
            .stencil_before = f->stencil_before,
            .stencil_after = f->stencil_after,
            .has_after = f->has_after,
            .target = f->target,
            .shader = f->shader,
            .z_written = f->z_written,
            .write_mask = f->write_mask,
            .blend = f->blend,
            .clear_flags = f->clear_flags,
            .depth_target = f->depth_target,
            .z_write = f->z_write,
            .z_after = f->z_after,
            .clip_planes = f->clip_planes, /* the same bits (vgt_soft.h) */
        };
        memcpy(o->color, f->color, sizeof(o->color));
        memcpy(o->after, f->after, sizeof(o->after));
    }
}

static uint32_t be_fragment_take(void *self, vgt_backend_fragment *out, uint32_t cap,
                                 uint64_t *dropped)
{
    soft_backend *b = self;
    return vgt_backend_fragments_move(out, cap, b->frags, &b->nfrags, &b->dropped, dropped);
}

/* ---- lifetime and caps ---------------------------------------------------- */

static void be_destroy(void *self)
{
    soft_backend *b = self;
    vgt_soft_device_destroy(b->dev);
    free(b->rects);
    free(b);
}

/* The vgt_soft formats, and what each may do. */
static bool soft_format(uint32_t format, vgt_soft_format_info *info)
{
    return vgt_soft_format_query(format, info, NULL) == VGT_OK;
}

static void be_get_caps(void *self, vgt_backend_caps *caps)
{
    (void)self;
    caps->hw_version = VGT_SVGA3D_HWVERSION_CURRENT;
#define CAP(i, v) vgt_backend_caps_set(caps, (i), (uint32_t)(v))
    CAP(VGT_SVGA3D_DEVCAP_3D, 1);
    CAP(VGT_SVGA3D_DEVCAP_MAX_LIGHTS, VGT_SOFT_MAX_LIGHTS);
    CAP(VGT_SVGA3D_DEVCAP_MAX_TEXTURES, VGT_SOFT_MAX_STAGES);
    CAP(VGT_SVGA3D_DEVCAP_MAX_CLIP_PLANES, VGT_SOFT_MAX_CLIP_PLANES);
    /* Shader model 3.0 (the interpreter, soft_shader*.c): SVGA3D numbers
     * SVGA3DVSVERSION_30 = 3 and SVGA3DPSVERSION_30 = 6. */
    CAP(VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION, 3);
    CAP(VGT_SVGA3D_DEVCAP_VERTEX_SHADER, 1);
    CAP(VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER_VERSION, 6);
    CAP(VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER, 1);
    /* COLOR0..3 (docs/soft.md "Multiple render targets") */
    CAP(VGT_SVGA3D_DEVCAP_MAX_RENDER_TARGETS, VGT_SOFT_MAX_COLOR_TARGETS);
    CAP(VGT_SVGA3D_DEVCAP_MAX_SIMULTANEOUS_RENDER_TARGETS, VGT_SOFT_MAX_COLOR_TARGETS);
    CAP(VGT_SVGA3D_DEVCAP_S23E8_TEXTURES, 1);
    CAP(VGT_SVGA3D_DEVCAP_S10E5_TEXTURES, 1);
    CAP(VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND, 4); /* WORLD..WORLD3 */
    CAP(VGT_SVGA3D_DEVCAP_D16_BUFFER_FORMAT, 1);
    CAP(VGT_SVGA3D_DEVCAP_D24S8_BUFFER_FORMAT, 1);
    CAP(VGT_SVGA3D_DEVCAP_D24X8_BUFFER_FORMAT, 1);
    CAP(VGT_SVGA3D_DEVCAP_QUERY_TYPES, 1u << VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    CAP(VGT_SVGA3D_DEVCAP_TEXTURE_GRADIENT_SAMPLING, 1); /* texldd */
    vgt_backend_caps_set_float(caps, VGT_SVGA3D_DEVCAP_MAX_POINT_SIZE, 64.0f);
    CAP(VGT_SVGA3D_DEVCAP_MAX_SHADER_TEXTURES, VGT_SOFT_MAX_STAGES);
    CAP(VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEXTURES, 0);
    CAP(VGT_SVGA3D_DEVCAP_MAX_TEXTURE_WIDTH, VGT_SOFT_MAX_DIMENSION);
    CAP(VGT_SVGA3D_DEVCAP_MAX_TEXTURE_HEIGHT, VGT_SOFT_MAX_DIMENSION);
    CAP(VGT_SVGA3D_DEVCAP_MAX_VOLUME_EXTENT, VGT_SOFT_MAX_DIMENSION);
    CAP(VGT_SVGA3D_DEVCAP_MAX_TEXTURE_REPEAT, 8192);
    CAP(VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ASPECT_RATIO, VGT_SOFT_MAX_DIMENSION);
    /* footprint assembly, up to 16 probes (docs/soft.md) */
    CAP(VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, VGT_SOFT_MAX_ANISOTROPY);
    CAP(VGT_SVGA3D_DEVCAP_MAX_PRIMITIVE_COUNT, VGT_SOFT_MAX_PRIMITIVES);
    CAP(VGT_SVGA3D_DEVCAP_MAX_VERTEX_INDEX, 0xFFFFFFFEu);
    CAP(VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_INSTRUCTIONS, VGT_SHADER_MAX_INSNS);
    CAP(VGT_SVGA3D_DEVCAP_MAX_FRAGMENT_SHADER_INSTRUCTIONS, VGT_SHADER_MAX_INSNS);
    CAP(VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEMPS, 32);
    CAP(VGT_SVGA3D_DEVCAP_MAX_FRAGMENT_SHADER_TEMPS, 32);
    static const uint32_t ops[] = {
        VGT_SVGA3D_TC_DISABLE,
        VGT_SVGA3D_TC_SELECTARG1,
        VGT_SVGA3D_TC_SELECTARG2,
        VGT_SVGA3D_TC_MODULATE,
        VGT_SVGA3D_TC_ADD,
        VGT_SVGA3D_TC_ADDSIGNED,
        VGT_SVGA3D_TC_SUBTRACT,
        VGT_SVGA3D_TC_BLENDTEXTUREALPHA,
        VGT_SVGA3D_TC_BLENDDIFFUSEALPHA,
        VGT_SVGA3D_TC_BLENDCURRENTALPHA,
        VGT_SVGA3D_TC_BLENDFACTORALPHA,
        VGT_SVGA3D_TC_MODULATE2X,
        VGT_SVGA3D_TC_MODULATE4X,
        VGT_SVGA3D_TC_DOTPRODUCT3,
        VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM,
        VGT_SVGA3D_TC_ADDSIGNED2X,
        VGT_SVGA3D_TC_ADDSMOOTH,
        VGT_SVGA3D_TC_MODULATEALPHA_ADDCOLOR,
        VGT_SVGA3D_TC_MODULATECOLOR_ADDALPHA,
        VGT_SVGA3D_TC_MODULATEINVALPHA_ADDCOLOR,
        VGT_SVGA3D_TC_MODULATEINVCOLOR_ADDALPHA,
        VGT_SVGA3D_TC_MULTIPLYADD,
        VGT_SVGA3D_TC_LERP,
        VGT_SVGA3D_TC_BUMPENVMAPLUMINANCE,
    };
    uint32_t texops = 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        texops |= VGT_SVGA3D_TC_CAP_BIT(ops[i]);
    }
    CAP(VGT_SVGA3D_DEVCAP_TEXTURE_OPS, texops);
    /* Per-format caps: D3D9 format-op bits for what vgt_soft does with it. */
    for (uint32_t i = VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8;
         i <= VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8; i++) {
        uint32_t fmt = vgt_svga3d_devcap_format(i);
        vgt_soft_format_info fi;
        uint32_t bits = 0;
        if (soft_format(fmt, &fi)) {
            if (fi.samplable) {
                /* vgt_soft samples 2D, cube and volume textures of every
                 * samplable format alike (depth formats: not as volumes,
                 * which Direct3D 9 has no use for) */
                bits |= VGT_SVGA3D_FORMAT_OP_TEXTURE | VGT_SVGA3D_FORMAT_OP_OFFSCREENPLAIN |
                        VGT_SVGA3D_FORMAT_OP_CUBETEXTURE;
                if (!fi.depth) {
                    bits |= VGT_SVGA3D_FORMAT_OP_VOLUMETEXTURE;
                }
            }
            if (fi.bump && fmt != VGT_SVGA3D_CXV8U8) {
                /* ps_1_x texbem, texbeml and bem read them (docs/soft.md
                 * "Bump environment mapping"); CxV8U8 is a normal-map
                 * format, which Wine and the gl backend do not flag */
                bits |= VGT_SVGA3D_FORMAT_OP_BUMPMAP;
            }
            if (fi.renderable) {
                bits |= VGT_SVGA3D_FORMAT_OP_OFFSCREEN_RENDERTARGET |
                        VGT_SVGA3D_FORMAT_OP_SAME_FORMAT_RENDERTARGET |
                        VGT_SVGA3D_FORMAT_OP_CONVERT_TO_ARGB | VGT_SVGA3D_FORMAT_OP_AUTOGENMIPMAP;
            }
            if (fi.depth) {
                bits |= VGT_SVGA3D_FORMAT_OP_ZSTENCIL |
                        VGT_SVGA3D_FORMAT_OP_ZSTENCIL_WITH_ARBITRARY_COLOR_DEPTH;
            }
            if (fmt == VGT_SVGA3D_X8R8G8B8 || fmt == VGT_SVGA3D_A8R8G8B8) {
                bits |= VGT_SVGA3D_FORMAT_OP_SRGBWRITE | VGT_SVGA3D_FORMAT_OP_DISPLAYMODE |
                        VGT_SVGA3D_FORMAT_OP_3DACCELERATION;
            }
            if (fmt == VGT_SVGA3D_R5G6B5) {
                bits |= VGT_SVGA3D_FORMAT_OP_DISPLAYMODE | VGT_SVGA3D_FORMAT_OP_3DACCELERATION;
            }
        }
        CAP(i, bits);
    }
#undef CAP
    caps->shaders = true;
    caps->max_color_targets = VGT_SOFT_MAX_COLOR_TARGETS;
    caps->max_lights = VGT_SOFT_MAX_LIGHTS;
    caps->max_texture_size = VGT_SOFT_MAX_DIMENSION;
    caps->max_volume_extent = VGT_SOFT_MAX_DIMENSION;
    caps->max_surface_bytes = VGT_SOFT_MAX_SURFACE_BYTES;
}

/* ---- surfaces --------------------------------------------------------------- */

static vgt_status be_surface_define(void *self, const vgt_backend_surface_desc *desc,
                                    vgt_backend_surface **out, vgt_error *err)
{
    soft_backend *b = self;
    *out = NULL;
    soft_be_surface *s = calloc(1, sizeof(*s));
    if (!s) {
        return vgt_error_set(err, VGT_E_NOMEM, "soft: out of memory for surface %u", desc->sid);
    }
    s->sid = desc->sid;
    s->format = desc->format;
    s->faces = desc->faces;
    s->mips = desc->mip_levels;
    s->images = desc->images;
    s->total_bytes = desc->total_bytes;
    s->fi = vgt_surface_format(desc->format);
    vgt_soft_format_info fi;
    if (soft_format(desc->format, &fi)) {
        vgt_soft_surface_desc sd = {desc->format,      desc->size.width,
                                    desc->size.height, desc->size.depth ? desc->size.depth : 1,
                                    desc->faces,       desc->mip_levels};
        vgt_status st = vgt_soft_surface_create(&sd, &s->soft, err);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "soft: surface %u", desc->sid);
            free(s);
            return st;
        }
    } else {
        if (desc->total_bytes > VGT_SOFT_MAX_SURFACE_BYTES) {
            free(s);
            return vgt_error_set(err, VGT_E_NOMEM,
                                 "soft: surface %u needs %llu bytes (at most %llu)", desc->sid,
                                 (unsigned long long)desc->total_bytes,
                                 (unsigned long long)VGT_SOFT_MAX_SURFACE_BYTES);
        }
        s->raw = calloc(1, desc->total_bytes ? (size_t)desc->total_bytes : 1u);
        if (!s->raw) {
            free(s);
            return vgt_error_set(err, VGT_E_NOMEM,
                                 "soft: out of memory for %llu bytes of surface %u",
                                 (unsigned long long)desc->total_bytes, desc->sid);
        }
        b->counters.raw_surfaces_alive++;
    }
    b->counters.surfaces_alive++;
    *out = (vgt_backend_surface *)(void *)s;
    return VGT_OK;
}

static void be_surface_destroy(void *self, vgt_backend_surface *hs)
{
    soft_backend *b = self;
    soft_be_surface *s = surf(hs);
    if (!s) {
        return;
    }
    if (s->raw) {
        b->counters.raw_surfaces_alive--;
    }
    b->counters.surfaces_alive--;
    vgt_soft_surface_destroy(s->soft);
    free(s->raw);
    free(s);
}

/* Geometry of one raw image: its bytes and a box in blocks. */
typedef struct raw_box {
    uint8_t *base; /* the image's first byte */
    uint32_t row_pitch;
    uint64_t slice_pitch;
    uint64_t x_bytes; /* box x in bytes */
    uint32_t by, bh;  /* box rows, in rows of blocks */
    uint64_t row_bytes;
} raw_box;

static raw_box raw_image_box(const soft_be_surface *s, uint32_t face, uint32_t mip,
                             const vgt_svga3d_box *box)
{
    const vgt_surface_image *im = &s->images[face * s->mips + mip];
    uint32_t kw = s->fi->block_width, kh = s->fi->block_height;
    raw_box r;
    r.base = s->raw + im->offset;
    r.row_pitch = im->row_pitch;
    r.slice_pitch = im->slice_pitch;
    r.x_bytes = (uint64_t)(box->x / kw) * s->fi->block_bytes;
    r.by = box->y / kh;
    r.bh = (box->h + kh - 1) / kh;
    r.row_bytes = (uint64_t)((box->w + kw - 1) / kw) * s->fi->block_bytes;
    return r;
}

/* Moves a box between a raw image and linear memory (the executor checked
 * the box against the image). */
static void raw_transfer(const soft_be_surface *s, uint32_t face, uint32_t mip,
                         const vgt_svga3d_box *box, uint8_t *mem, uint32_t row_pitch,
                         uint64_t slice_pitch, bool upload)
{
    raw_box r = raw_image_box(s, face, mip, box);
    for (uint32_t z = 0; z < box->d; z++) {
        for (uint32_t y = 0; y < r.bh; y++) {
            uint8_t *p = r.base + (uint64_t)(box->z + z) * r.slice_pitch +
                         (uint64_t)(r.by + y) * r.row_pitch + r.x_bytes;
            uint8_t *m = mem + z * slice_pitch + (uint64_t)y * row_pitch;
            if (upload) {
                memcpy(p, m, (size_t)r.row_bytes);
            } else {
                memcpy(m, p, (size_t)r.row_bytes);
            }
        }
    }
}

/* Bytes a transfer of `box` reads or writes in linear memory. */
static vgt_status transfer_len(const soft_be_surface *s, const vgt_svga3d_box *box,
                               uint32_t row_pitch, uint64_t slice_pitch, size_t *len,
                               vgt_error *err)
{
    uint32_t kw = s->fi->block_width, kh = s->fi->block_height;
    uint64_t rows = (box->h + kh - 1) / kh;
    uint64_t row_bytes = (uint64_t)((box->w + kw - 1) / kw) * s->fi->block_bytes;
    uint64_t n = 0;
    if (box->w && box->h && box->d) {
        n = (uint64_t)(box->d - 1) * slice_pitch + (rows - 1) * row_pitch + row_bytes;
    }
    if (n > SIZE_MAX || (box->d > 1 && slice_pitch > UINT32_MAX)) {
        return vgt_error_set(err, VGT_E_RANGE, "soft: transfer of %llu bytes is too large",
                             (unsigned long long)n);
    }
    *len = (size_t)n;
    return VGT_OK;
}

static vgt_status be_surface_upload(void *self, vgt_backend_surface *hs, uint32_t face,
                                    uint32_t mip, const vgt_svga3d_box *box, const uint8_t *src,
                                    uint32_t row_pitch, uint64_t slice_pitch, uint32_t dma_flags,
                                    vgt_error *err)
{
    soft_backend *b = self;
    soft_be_surface *s = surf(hs);
    size_t len;
    vgt_status st = transfer_len(s, box, row_pitch, slice_pitch, &len, err);
    if (st != VGT_OK) {
        return st;
    }
    b->counters.uploads++;
    if (s->raw) {
        raw_transfer(s, face, mip, box, (uint8_t *)src, row_pitch, slice_pitch, true);
        return VGT_OK;
    }
    vgt_soft_box sb = {box->x, box->y, box->z, box->w, box->h, box->d};
    return vgt_soft_surface_upload(s->soft, face, mip, &sb, src, len, row_pitch,
                                   box->d > 1 ? (uint32_t)slice_pitch : 0, err);
}

static vgt_status be_surface_download(void *self, vgt_backend_surface *hs, uint32_t face,
                                      uint32_t mip, const vgt_svga3d_box *box, uint8_t *dst,
                                      uint32_t row_pitch, uint64_t slice_pitch, vgt_error *err)
{
    soft_backend *b = self;
    soft_be_surface *s = surf(hs);
    size_t len;
    vgt_status st = transfer_len(s, box, row_pitch, slice_pitch, &len, err);
    if (st != VGT_OK) {
        return st;
    }
    b->counters.downloads++;
    if (s->raw) {
        raw_transfer(s, face, mip, box, dst, row_pitch, slice_pitch, false);
        return VGT_OK;
    }
    vgt_soft_box sb = {box->x, box->y, box->z, box->w, box->h, box->d};
    return vgt_soft_surface_download(s->soft, face, mip, &sb, dst, len, row_pitch,
                                     box->d > 1 ? (uint32_t)slice_pitch : 0, err);
}

static vgt_status be_surface_copy(void *self, const vgt_backend_view *dst,
                                  const vgt_backend_view *src, const vgt_svga3d_copy_box *boxes,
                                  uint32_t count, vgt_error *err)
{
    soft_backend *b = self;
    soft_be_surface *d = surf(dst->surface), *s = surf(src->surface);
    b->counters.copies++;
    if (d->soft && s->soft) {
        vgt_soft_view dv = soft_view(dst), sv = soft_view(src);
        vgt_soft_copy_box cb[32];
        for (uint32_t i = 0; i < count;) {
            uint32_t n = count - i < 32u ? count - i : 32u;
            for (uint32_t k = 0; k < n; k++) {
                const vgt_svga3d_copy_box *c = &boxes[i + k];
                cb[k] = (vgt_soft_copy_box){c->x, c->y,    c->z,    c->w,   c->h,
                                            c->d, c->srcx, c->srcy, c->srcz};
            }
            vgt_status st = vgt_soft_surface_copy(&dv, &sv, cb, n, err);
            if (st != VGT_OK) {
                vgt_error_prefix(err, "soft: SURFACE_COPY");
                return st;
            }
            i += n;
        }
        return VGT_OK;
    }
    /* A raw side: move rows through a bounce row (the block sizes match). */
    for (uint32_t i = 0; i < count; i++) {
        const vgt_svga3d_copy_box *c = &boxes[i];
        vgt_svga3d_box db = {c->x, c->y, c->z, c->w, c->h, c->d};
        vgt_svga3d_box sb = {c->srcx, c->srcy, c->srcz, c->w, c->h, c->d};
        if (!c->w || !c->h || !c->d) {
            continue;
        }
        /* One slice at a time through a staging buffer of the slice. */
        uint32_t kw = d->fi->block_width, kh = d->fi->block_height;
        uint64_t row = (uint64_t)((c->w + kw - 1) / kw) * d->fi->block_bytes;
        uint64_t rows = (c->h + kh - 1) / kh;
        if (row > UINT32_MAX || row * rows > ((uint64_t)1 << 30)) {
            return vgt_error_set(err, VGT_E_RANGE, "soft: SURFACE_COPY box %u is too large", i);
        }
        uint8_t *tmp = malloc((size_t)(row * rows));
        if (!tmp) {
            return vgt_error_set(err, VGT_E_NOMEM, "soft: out of memory for SURFACE_COPY");
        }
        vgt_status st = VGT_OK;
        for (uint32_t z = 0; z < c->d && st == VGT_OK; z++) {
            vgt_svga3d_box s1 = sb, d1 = db;
            s1.z += z;
            d1.z += z;
            s1.d = d1.d = 1;
            st = be_surface_download(self, src->surface, src->face, src->mip, &s1, tmp,
                                     (uint32_t)row, row * rows, err);
            if (st == VGT_OK) {
                st = be_surface_upload(self, dst->surface, dst->face, dst->mip, &d1, tmp,
                                       (uint32_t)row, row * rows, 0, err);
            }
        }
        free(tmp);
        if (st != VGT_OK) {
            vgt_error_prefix(err, "soft: SURFACE_COPY box %u", i);
            return st;
        }
    }
    return VGT_OK;
}

static vgt_status need_soft(const soft_be_surface *s, const char *what, vgt_error *err)
{
    if (s->soft) {
        return VGT_OK;
    }
    return vgt_error_set(err, VGT_E_UNSUPPORTED,
                         "soft: %s: surface %u is %s, a format the soft renderer only stores "
                         "(it cannot read or write its pixels)",
                         what, s->sid, fmt_name(s->format));
}

static vgt_status be_surface_stretch(void *self, const vgt_backend_view *dst,
                                     const vgt_svga3d_box *dst_box, const vgt_backend_view *src,
                                     const vgt_svga3d_box *src_box, uint32_t mode, vgt_error *err)
{
    soft_backend *b = self;
    vgt_status st;
    if ((st = need_soft(surf(dst->surface), "SURFACE_STRETCHBLT", err)) != VGT_OK ||
        (st = need_soft(surf(src->surface), "SURFACE_STRETCHBLT", err)) != VGT_OK) {
        return st;
    }
    vgt_soft_view dv = soft_view(dst), sv = soft_view(src);
    vgt_soft_box db = {dst_box->x, dst_box->y, dst_box->z, dst_box->w, dst_box->h, dst_box->d};
    vgt_soft_box sb = {src_box->x, src_box->y, src_box->z, src_box->w, src_box->h, src_box->d};
    b->counters.stretches++;
    st = vgt_soft_surface_stretch(&dv, &db, &sv, &sb, mode == VGT_SVGA3D_STRETCH_BLT_LINEAR, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "soft: SURFACE_STRETCHBLT");
    }
    return st;
}

static vgt_status be_generate_mipmaps(void *self, vgt_backend_surface *hs, uint32_t filter,
                                      vgt_error *err)
{
    soft_backend *b = self;
    soft_be_surface *s = surf(hs);
    vgt_status st = need_soft(s, "GENERATE_MIPMAPS", err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_soft_format_info fi;
    /* a format that is no render target (BUFFER, the bump formats) has no
     * encoder to write a filtered level with */
    if (!soft_format(s->format, &fi) || fi.compressed || fi.depth || !fi.renderable) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "soft: GENERATE_MIPMAPS of surface %u: %s levels cannot be filtered",
                             s->sid, fmt_name(s->format));
    }
    /* Each level from the one above: bilinear at pixel centres (a 2x2 box
     * filter for even sizes); point when the guest asked for NEAREST. */
    bool linear = filter != VGT_SVGA3D_TEX_FILTER_NEAREST;
    for (uint32_t f = 0; f < s->faces; f++) {
        for (uint32_t m = 1; m < s->mips; m++) {
            uint32_t sw, sh, sd, dw, dh, dd;
            vgt_soft_surface_level_size(s->soft, f, m - 1, &sw, &sh, &sd, NULL);
            vgt_soft_surface_level_size(s->soft, f, m, &dw, &dh, &dd, NULL);
            vgt_soft_view sv = {s->soft, f, m - 1}, dv = {s->soft, f, m};
            vgt_soft_box sb = {0, 0, 0, sw, sh, sd}, db = {0, 0, 0, dw, dh, dd};
            if ((st = vgt_soft_surface_stretch(&dv, &db, &sv, &sb, linear, err)) != VGT_OK) {
                vgt_error_prefix(err, "soft: GENERATE_MIPMAPS face %u level %u", f, m);
                return st;
            }
        }
    }
    b->counters.mipmap_generations++;
    return VGT_OK;
}

static vgt_status be_read_slice(void *self, const vgt_backend_view *src, uint32_t z,
                                const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                                vgt_error *err)
{
    soft_backend *b = self;
    vgt_status st = need_soft(surf(src->surface), "read pixels", err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_soft_view v = soft_view(src);
    b->counters.reads++;
    st =
        vgt_soft_surface_read_slice(&v, z, rect->x, rect->y, rect->w, rect->h, dst, dst_pitch, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "soft: read pixels of surface %u", surf(src->surface)->sid);
    }
    return st;
}

static vgt_status be_read_pixels(void *self, const vgt_backend_view *src,
                                 const vgt_svga3d_rect *rect, uint8_t *dst, uint32_t dst_pitch,
                                 vgt_error *err)
{
    return be_read_slice(self, src, 0, rect, dst, dst_pitch, err);
}

/* ---- clear ------------------------------------------------------------------- */

static bool same_image(const vgt_backend_view *a, const vgt_backend_view *b)
{
    return a->surface == b->surface && a->face == b->face && a->mip == b->mip;
}

/* The rects of a CLEAR as vgt_soft_rects, in b->rects (the executor keeps
 * x + w and y + h within INT32_MAX): all of them go to one vgt_soft_clear,
 * which writes their union once, however many there are. */
static vgt_status convert_rects(soft_backend *b, const vgt_svga3d_rect *rects, uint32_t count,
                                vgt_error *err)
{
    if (count > b->rects_cap) {
        size_t bytes;
        if (vgt_mul_overflow_size(count, sizeof(*b->rects), &bytes)) {
            return vgt_error_set(err, VGT_E_RANGE, "soft: CLEAR of %u rects is too large", count);
        }
        vgt_soft_rect *r = realloc(b->rects, bytes);
        if (!r) {
            return vgt_error_set(err, VGT_E_NOMEM, "soft: no memory for a CLEAR of %u rects",
                                 count);
        }
        b->rects = r;
        b->rects_cap = count;
    }
    for (uint32_t i = 0; i < count; i++) {
        const vgt_svga3d_rect *q = &rects[i];
        b->rects[i] = (vgt_soft_rect){(int32_t)q->x, (int32_t)q->y, q->w, q->h};
    }
    return VGT_OK;
}

static vgt_status clear_rects(soft_backend *b, const vgt_soft_view *color,
                              const vgt_soft_view *depth, uint32_t flags, uint32_t c, float z,
                              uint32_t stencil, uint32_t count, vgt_error *err)
{
    return vgt_soft_clear(b->dev, color, depth, flags, c, z, stencil, count ? b->rects : NULL,
                          count, err);
}

static vgt_status clear_all(soft_backend *b, const vgt_backend_draw_state *t, uint32_t flags,
                            uint32_t color, float depth, uint32_t stencil,
                            const vgt_svga3d_rect *rects, uint32_t count, vgt_error *err)
{
    vgt_status st;
    const vgt_backend_view *dv = t->depth_target.surface ? &t->depth_target : NULL;
    const vgt_backend_view *sv = t->stencil_target.surface ? &t->stencil_target : NULL;
    if (!sv && dv && vgt_surface_format(dv->format)->stencil) {
        sv = dv; /* the executor allows STENCIL on a depth target with stencil bits */
    }
    /* CLEAR COLOR clears every bound color target (Direct3D 9) */
    uint32_t ncolor = (flags & VGT_SVGA3D_CLEAR_COLOR) ? t->color_target_count : 0;
    for (uint32_t i = 0; i < ncolor; i++) {
        if (t->color_targets[i].surface &&
            (st = need_soft(surf(t->color_targets[i].surface), "CLEAR", err)) != VGT_OK) {
            return st;
        }
    }
    if ((flags & VGT_SVGA3D_CLEAR_DEPTH) && dv &&
        (st = need_soft(surf(dv->surface), "CLEAR", err)) != VGT_OK) {
        return st;
    }
    if ((flags & VGT_SVGA3D_CLEAR_STENCIL) && sv &&
        (st = need_soft(surf(sv->surface), "CLEAR", err)) != VGT_OK) {
        return st;
    }
    if ((st = convert_rects(b, rects, count, err)) != VGT_OK) {
        return st;
    }
    b->counters.clears++;
    for (uint32_t i = 0; i < ncolor; i++) {
        if (!t->color_targets[i].surface) {
            continue;
        }
        vgt_soft_view v = soft_view(&t->color_targets[i]);
        if ((st = clear_rects(b, &v, NULL, VGT_SVGA3D_CLEAR_COLOR, color, depth, stencil, count,
                              err)) != VGT_OK) {
            vgt_error_prefix(err, "soft: CLEAR color target %u", i);
            return st;
        }
    }
    uint32_t zs = flags & (VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL);
    if (!zs) {
        return VGT_OK;
    }
    if ((zs & VGT_SVGA3D_CLEAR_DEPTH) && (zs & VGT_SVGA3D_CLEAR_STENCIL) && dv && sv &&
        !same_image(dv, sv)) {
        /* Separate depth and stencil images: one clear each. */
        vgt_soft_view d = soft_view(dv), s = soft_view(sv);
        st = clear_rects(b, NULL, &d, VGT_SVGA3D_CLEAR_DEPTH, color, depth, stencil, count, err);
        if (st == VGT_OK) {
            st = clear_rects(b, NULL, &s, VGT_SVGA3D_CLEAR_STENCIL, color, depth, stencil, count,
                             err);
        }
    } else {
        const vgt_backend_view *zv = (zs & VGT_SVGA3D_CLEAR_DEPTH) ? dv : sv;
        if (!zv) {
            return VGT_OK;
        }
        vgt_soft_view v = soft_view(zv);
        if (!vgt_surface_format(zv->format)->stencil) {
            zs &= ~VGT_SVGA3D_CLEAR_STENCIL;
        }
        st = zs ? clear_rects(b, NULL, &v, zs, color, depth, stencil, count, err) : VGT_OK;
    }
    if (st != VGT_OK) {
        vgt_error_prefix(err, "soft: CLEAR depth/stencil");
    }
    return st;
}

/* The probe's fragments of one CLEAR: one (vgt_soft_clear records one a
 * call, and a CLEAR of several targets is several calls). */
static void probe_collect_clear(soft_backend *b)
{
    uint32_t first = b->nfrags;
    probe_collect(b, 0, 0);
    for (uint32_t i = first + 1; i < b->nfrags; i++) {
        b->frags[first].clear_flags |= b->frags[i].clear_flags;
    }
    if (b->nfrags > first) {
        b->nfrags = first + 1;
    }
}

static vgt_status be_clear(void *self, const vgt_backend_draw_state *t, uint32_t flags,
                           uint32_t color, float depth, uint32_t stencil,
                           const vgt_svga3d_rect *rects, uint32_t count, vgt_error *err)
{
    soft_backend *b = self;
    vgt_status st = clear_all(b, t, flags, color, depth, stencil, rects, count, err);
    if (b->probing) {
        probe_collect_clear(b);
    }
    return st;
}

/* ---- draw -------------------------------------------------------------------- */

static vgt_soft_color scolor(vgt_backend_color c)
{
    return (vgt_soft_color){c.r, c.g, c.b, c.a};
}

static vgt_soft_material smaterial(const vgt_backend_material *m)
{
    vgt_soft_material o = {scolor(m->diffuse), scolor(m->ambient), scolor(m->specular),
                           scolor(m->emissive), m->power};
    return o;
}

/* Inverse of a 4x4 matrix by cofactors; false when singular. */
static bool invert(const vgt_backend_matrix *in, float out[4][4])
{
    const float *m = &in->m[0][0];
    float inv[16];
    inv[0] = m[5] * m[10] * m[15] - m[5] * m[11] * m[14] - m[9] * m[6] * m[15] +
             m[9] * m[7] * m[14] + m[13] * m[6] * m[11] - m[13] * m[7] * m[10];
    inv[4] = -m[4] * m[10] * m[15] + m[4] * m[11] * m[14] + m[8] * m[6] * m[15] -
             m[8] * m[7] * m[14] - m[12] * m[6] * m[11] + m[12] * m[7] * m[10];
    inv[8] = m[4] * m[9] * m[15] - m[4] * m[11] * m[13] - m[8] * m[5] * m[15] +
             m[8] * m[7] * m[13] + m[12] * m[5] * m[11] - m[12] * m[7] * m[9];
    inv[12] = -m[4] * m[9] * m[14] + m[4] * m[10] * m[13] + m[8] * m[5] * m[14] -
              m[8] * m[6] * m[13] - m[12] * m[5] * m[10] + m[12] * m[6] * m[9];
    inv[1] = -m[1] * m[10] * m[15] + m[1] * m[11] * m[14] + m[9] * m[2] * m[15] -
             m[9] * m[3] * m[14] - m[13] * m[2] * m[11] + m[13] * m[3] * m[10];
    inv[5] = m[0] * m[10] * m[15] - m[0] * m[11] * m[14] - m[8] * m[2] * m[15] +
             m[8] * m[3] * m[14] + m[12] * m[2] * m[11] - m[12] * m[3] * m[10];
    inv[9] = -m[0] * m[9] * m[15] + m[0] * m[11] * m[13] + m[8] * m[1] * m[15] -
             m[8] * m[3] * m[13] - m[12] * m[1] * m[11] + m[12] * m[3] * m[9];
    inv[13] = m[0] * m[9] * m[14] - m[0] * m[10] * m[13] - m[8] * m[1] * m[14] +
              m[8] * m[2] * m[13] + m[12] * m[1] * m[10] - m[12] * m[2] * m[9];
    inv[2] = m[1] * m[6] * m[15] - m[1] * m[7] * m[14] - m[5] * m[2] * m[15] + m[5] * m[3] * m[14] +
             m[13] * m[2] * m[7] - m[13] * m[3] * m[6];
    inv[6] = -m[0] * m[6] * m[15] + m[0] * m[7] * m[14] + m[4] * m[2] * m[15] -
             m[4] * m[3] * m[14] - m[12] * m[2] * m[7] + m[12] * m[3] * m[6];
    inv[10] = m[0] * m[5] * m[15] - m[0] * m[7] * m[13] - m[4] * m[1] * m[15] +
              m[4] * m[3] * m[13] + m[12] * m[1] * m[7] - m[12] * m[3] * m[5];
    inv[14] = -m[0] * m[5] * m[14] + m[0] * m[6] * m[13] + m[4] * m[1] * m[14] -
              m[4] * m[2] * m[13] - m[12] * m[1] * m[6] + m[12] * m[2] * m[5];
    inv[3] = -m[1] * m[6] * m[11] + m[1] * m[7] * m[10] + m[5] * m[2] * m[11] -
             m[5] * m[3] * m[10] - m[9] * m[2] * m[7] + m[9] * m[3] * m[6];
    inv[7] = m[0] * m[6] * m[11] - m[0] * m[7] * m[10] - m[4] * m[2] * m[11] + m[4] * m[3] * m[10] +
             m[8] * m[2] * m[7] - m[8] * m[3] * m[6];
    inv[11] = -m[0] * m[5] * m[11] + m[0] * m[7] * m[9] + m[4] * m[1] * m[11] - m[4] * m[3] * m[9] -
              m[8] * m[1] * m[7] + m[8] * m[3] * m[5];
    inv[15] = m[0] * m[5] * m[10] - m[0] * m[6] * m[9] - m[4] * m[1] * m[10] + m[4] * m[2] * m[9] +
              m[8] * m[1] * m[6] - m[8] * m[2] * m[5];
    float det = m[0] * inv[0] + m[1] * inv[4] + m[2] * inv[8] + m[3] * inv[12];
    if (!(det != 0.0f) || !isfinite(det)) {
        return false;
    }
    float r = 1.0f / det;
    for (int i = 0; i < 16; i++) {
        out[i / 4][i % 4] = inv[i] * r;
    }
    return true;
}

/* v' = (v, w) * M, row vector. */
static void xform(const float m[4][4], const float v[3], float w, float out[3])
{
    for (int c = 0; c < 3; c++) {
        out[c] = v[0] * m[0][c] + v[1] * m[1][c] + v[2] * m[2][c] + w * m[3][c];
    }
}

/* Whether fixed function reads elements of `usage` (the blend's only while
 * VERTEXBLEND is on, so that they do not count against the element limit). */
static bool usage_used(uint32_t usage, bool blending)
{
    if (usage == VGT_SVGA3D_DECLUSAGE_BLENDWEIGHT || usage == VGT_SVGA3D_DECLUSAGE_BLENDINDICES) {
        return blending;
    }
    return usage == VGT_SVGA3D_DECLUSAGE_POSITION || usage == VGT_SVGA3D_DECLUSAGE_NORMAL ||
           usage == VGT_SVGA3D_DECLUSAGE_PSIZE || usage == VGT_SVGA3D_DECLUSAGE_TEXCOORD ||
           usage == VGT_SVGA3D_DECLUSAGE_POSITIONT || usage == VGT_SVGA3D_DECLUSAGE_COLOR;
}

static vgt_status buffer_bytes(soft_be_surface *s, const uint8_t **data, size_t *len,
                               vgt_error *err)
{
    if (s->raw) {
        *data = s->raw + s->images[0].offset;
        *len = (size_t)s->images[0].bytes;
        return VGT_OK;
    }
    uint8_t *p;
    vgt_status st = vgt_soft_surface_bytes(s->soft, 0, 0, &p, len, err);
    *data = p;
    return st;
}

static bool arg_ok(uint32_t a)
{
    uint32_t src = VGT_SVGA3D_TA_SOURCE(a);
    return src >= VGT_SVGA3D_TA_CONSTANT && src < VGT_SVGA3D_TA_MAX &&
           (a & ~(uint32_t)(VGT_SOFT_TA_SELECT_MASK | VGT_SVGA3D_TM_ALPHA |
                            VGT_SVGA3D_TM_ONE_MINUS)) == 0;
}

static uint32_t filter_of(uint32_t f)
{
    /* The cubic/quad filters of old hardware: filtered as LINEAR. */
    return f > VGT_SVGA3D_TEX_FILTER_ANISOTROPIC && f < VGT_SVGA3D_TEX_FILTER_MAX
               ? VGT_SVGA3D_TEX_FILTER_LINEAR
               : f;
}

static bool reads_texture(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2)
{
    return VGT_SVGA3D_TA_SOURCE(a0) == VGT_SVGA3D_TA_TEXTURE ||
           VGT_SVGA3D_TA_SOURCE(a1) == VGT_SVGA3D_TA_TEXTURE ||
           VGT_SVGA3D_TA_SOURCE(a2) == VGT_SVGA3D_TA_TEXTURE ||
           op == VGT_SVGA3D_TC_BLENDTEXTUREALPHA || op == VGT_SVGA3D_TC_BLENDTEXTUREALPHAPM;
}

#define REJECT(...) vgt_error_set(err, VGT_E_UNSUPPORTED, __VA_ARGS__)

/* Fills b->st from the executor's state.  Everything vgt_soft validates
 * itself (enum ranges, formats of targets and textures) is left to it. */
static vgt_status convert_state(soft_backend *b, const vgt_backend_draw_state *d,
                                const vgt_backend_draw_range *ranges, uint32_t count,
                                vgt_error *err)
{
    vgt_soft_draw_state *st = &b->st;
    uint32_t cid = d->cid;
    memset(st, 0, sizeof(*st));

    /* shaders (compiled at SHADER_DEFINE) and their constants */
    const vgt_soft_shader *vsp = (const vgt_soft_shader *)(const void *)d->vertex_shader;
    const vgt_soft_shader *psp = (const vgt_soft_shader *)(const void *)d->pixel_shader;
    if (vsp) {
        st->vertex_shader = d->vertex_shader_id ? d->vertex_shader_id : UINT32_MAX;
        st->vs_program = vsp;
        st->vs_consts =
            (vgt_soft_shader_consts){d->vs_float, VGT_BACKEND_VS_FLOAT_REGS, d->vs_int, d->vs_bool};
    }
    if (psp) {
        st->pixel_shader = d->pixel_shader_id ? d->pixel_shader_id : UINT32_MAX;
        st->ps_program = psp;
        st->ps_consts =
            (vgt_soft_shader_consts){d->ps_float, VGT_BACKEND_PS_FLOAT_REGS, d->ps_int, d->ps_bool};
    }

    /* targets (the executor caps them at VGT_SOFT_MAX_COLOR_TARGETS) */
    for (uint32_t i = 0; i < d->color_target_count && i < VGT_SOFT_MAX_COLOR_TARGETS; i++) {
        if (!d->color_targets[i].surface) {
            continue;
        }
        vgt_status rc =
            need_soft(surf(d->color_targets[i].surface), "DRAW_PRIMITIVES color target", err);
        if (rc != VGT_OK) {
            return rc;
        }
        *(i ? &st->more_color_targets[i - 1] : &st->color_target) = soft_view(&d->color_targets[i]);
    }
    bool has_depth = d->depth_target.surface != NULL;
    bool has_stencil = d->stencil_target.surface != NULL;
    if (has_depth && has_stencil && !same_image(&d->depth_target, &d->stencil_target)) {
        return REJECT("soft: context %u binds different images as depth (surface %u) and "
                      "stencil (surface %u); the soft backend needs one depth-stencil image",
                      cid, surf(d->depth_target.surface)->sid,
                      surf(d->stencil_target.surface)->sid);
    }
    const vgt_backend_view *zs =
        has_depth ? &d->depth_target : (has_stencil ? &d->stencil_target : NULL);
    if (zs) {
        vgt_status rc = need_soft(surf(zs->surface), "DRAW_PRIMITIVES depth/stencil target", err);
        if (rc != VGT_OK) {
            return rc;
        }
        st->depth_target = soft_view(zs);
    }
    st->viewport = (vgt_soft_rect){d->viewport.x, d->viewport.y, d->viewport.w, d->viewport.h};
    st->z_min = d->z_min;
    st->z_max = d->z_max;
    st->scissor_enable = d->scissor_enable;
    st->scissor = (vgt_soft_rect){d->scissor.x, d->scissor.y, d->scissor.w, d->scissor.h};

    /* vertex input: the elements fixed function reads */
    for (uint32_t i = 0; i < d->element_count; i++) {
        const vgt_backend_element *el = &d->elements[i];
        if (!vsp && !usage_used(el->usage, d->vertex_blend != VGT_SVGA3D_VBLEND_DISABLE)) {
            continue; /* TANGENT, FOG, ...: not read by fixed function */
        }
        if (el->method != VGT_SVGA3D_DECLMETHOD_DEFAULT) {
            return REJECT("soft: vertex element %u uses tessellation method %u", i, el->method);
        }
        if (st->element_count >= VGT_SOFT_MAX_ELEMENTS) {
            return REJECT("soft: more than %u vertex elements", VGT_SOFT_MAX_ELEMENTS);
        }
        b->inst_step[st->element_count] = vgt_backend_element_instance_step(el);
        b->el_divisor[st->element_count] = el->divisor;
        b->inst_offset[st->element_count] = el->offset;
        b->inst_stride[st->element_count] = el->stride;
        vgt_soft_element *o = &st->elements[st->element_count++];
        vgt_status rc = buffer_bytes(surf(el->buffer), &o->data, &o->length, err);
        if (rc != VGT_OK) {
            return rc;
        }
        if (o->length > el->buffer_bytes) {
            o->length = (size_t)el->buffer_bytes;
        }
        o->offset = el->offset;
        o->stride = el->stride;
        o->type = el->type;
        o->usage = el->usage;
        o->usage_index = el->usage_index;
    }

    /* transforms */
    memcpy(&st->world, &d->world, sizeof(st->world));
    memcpy(&st->view, &d->view, sizeof(st->view));
    memcpy(&st->projection, &d->projection, sizeof(st->projection));
    memcpy(st->world_n, d->world_n, sizeof(st->world_n));
    st->vertex_blend = d->vertex_blend;
    st->indexed_vertex_blend = d->indexed_vertex_blend;
    st->tween_factor = d->tween_factor;

    /* rasterizer */
    st->cull_face = d->cull_face;
    st->front_winding = d->front_winding;
    st->fill_mode = d->fill_mode;
    st->shade_mode =
        d->shade_mode == VGT_SVGA3D_SHADEMODE_PHONG ? VGT_SVGA3D_SHADEMODE_SMOOTH : d->shade_mode;
    st->clip_plane_enable = d->clip_plane_enable;
    memcpy(st->clip_planes, d->clip_planes, sizeof(st->clip_planes));
    st->depth_bias = d->depth_bias;
    st->slope_scale_depth_bias = d->slope_scale_depth_bias;
    float ps = d->point_size;
    if (!d->point_scale) {
        /* scaled: the library clamps after scaling */
        ps = ps < d->point_size_min ? d->point_size_min : ps;
        ps = ps > d->point_size_max ? d->point_size_max : ps;
    }
    st->point_size = ps;
    st->point_sprite = d->point_sprite;
    st->point_scale = d->point_scale;
    st->point_scale_abc[0] = d->point_scale_a;
    st->point_scale_abc[1] = d->point_scale_b;
    st->point_scale_abc[2] = d->point_scale_c;
    st->point_size_min = d->point_size_min;
    st->point_size_max = d->point_size_max;
    st->last_pixel = d->last_pixel;

    /* lighting */
    st->lighting = d->lighting;
    st->ambient = scolor(d->ambient);
    st->specular_enable = d->specular_enable;
    st->normalize_normals = d->normalize_normals;
    st->local_viewer = d->local_viewer;
    st->color_vertex = d->color_vertex;
    st->diffuse_source = d->diffuse_source;
    st->ambient_source = d->ambient_source;
    st->specular_source = d->specular_source;
    st->emissive_source = d->emissive_source;
    st->material = smaterial(&d->material);
    float inv_view[4][4];
    bool have_inv = false;
    for (uint32_t i = 0; i < d->light_count && i < VGT_SOFT_MAX_LIGHTS; i++) {
        const vgt_backend_light *l = &d->lights[i];
        vgt_soft_light *o = &st->lights[i];
        o->enabled = true;
        o->type = l->type;
        o->diffuse = scolor(l->diffuse);
        o->specular = scolor(l->specular);
        o->ambient = scolor(l->ambient);
        memcpy(o->position, l->position, sizeof(o->position));
        memcpy(o->direction, l->direction, sizeof(o->direction));
        o->range = l->range;
        o->falloff = l->falloff;
        o->attenuation0 = l->attenuation0;
        o->attenuation1 = l->attenuation1;
        o->attenuation2 = l->attenuation2;
        o->theta = l->theta;
        o->phi = l->phi;
        if (!l->in_world_space && d->lighting) {
            /* View space: world = view-space * inverse(VIEW). */
            if (!have_inv && !(have_inv = invert(&d->view, inv_view))) {
                return REJECT("soft: context %u: light %u is in view space and the view matrix "
                              "is singular",
                              cid, l->index);
            }
            xform(inv_view, l->position, 1.0f, o->position);
            xform(inv_view, l->direction, 0.0f, o->direction);
        }
    }

    /* fog */
    st->fog_enable = d->fog_enable;
    st->fog_function = d->fog_function;
    st->fog_type = d->fog_type;
    st->fog_base = d->range_fog ? VGT_SVGA3D_FOGBASE_RANGEBASED : d->fog_base;
    st->fog_color = d->fog_color;
    st->fog_start = d->fog_start;
    st->fog_end = d->fog_end;
    st->fog_density = d->fog_density;

    /* every stage's bump environment: ps_1_x texbem/bem read it whether or
     * not the stage has a texture */
    for (uint32_t s = 0; s < VGT_SOFT_MAX_STAGES; s++) {
        const vgt_backend_stage *g = &d->stages[s];
        vgt_soft_stage *o = &st->stages[s];
        memcpy(o->bump_env_mat, g->bump_env_mat, sizeof(o->bump_env_mat));
        o->bump_env_lscale = g->bump_env_lscale;
        o->bump_env_loffset = g->bump_env_loffset;
    }
    /* a pixel shader's samplers: stage s's texture and sampler states */
    for (uint32_t s = 0; psp && s < VGT_SOFT_MAX_STAGES; s++) {
        const vgt_backend_stage *g = &d->stages[s];
        vgt_soft_stage *o = &st->stages[s];
        if (g->texture.surface && (vgt_soft_shader_samplers(psp) & (1u << s))) {
            soft_be_surface *t = surf(g->texture.surface);
            vgt_status rc = need_soft(t, "texture", err);
            if (rc != VGT_OK) {
                return rc;
            }
            int gk = vgt_backend_gamma_kind(g->gamma);
            if (gk < 0) {
                return REJECT("soft: context %u sampler %u: texture gamma %g is not supported (1: "
                              "linear, 2.2: sRGB reads)",
                              cid, s, (double)g->gamma);
            }
            o->srgb = gk == 1; /* vgt_soft checks the format */
            o->texture = t->soft;
            if (!vsp && !vgt_backend_texcoord_is_plain(g)) {
                /* the fixed-function vertex side in front of a pixel shader
                 * passes the sets as they are */
                return REJECT("soft: context %u sampler %u: TEXCOORDINDEX 0x%x, TEXCOORDGEN %u, "
                              "TEXTURETRANSFORMFLAGS 0x%x: texture coordinate generation and "
                              "transforms in front of a pixel shader are not supported",
                              cid, s, g->texcoord_index, g->texcoord_gen, g->transform_flags);
            }
        }
        o->texcoord_index = g->texcoord_index;
        o->transform_flags = g->transform_flags; /* PROJECTED: ps_1_1..1_3 tex divides */
        o->address_u = g->address_u;
        o->address_v = g->address_v;
        o->address_w = g->address_w;
        o->border_color = g->border_color;
        o->mag_filter = filter_of(g->mag_filter);
        o->min_filter = filter_of(g->min_filter);
        o->mip_filter = filter_of(g->mip_filter);
        o->lod_bias = g->lod_bias;
        o->max_mip_level = g->max_mip_level;
        o->max_anisotropy = g->max_anisotropy; /* vgt_soft clamps to 1..16 */
    }
    /* texture stages (vgt_soft reads stages up to the first DISABLE) */
    for (uint32_t s = 0; !psp && s < VGT_SOFT_MAX_STAGES; s++) {
        const vgt_backend_stage *g = &d->stages[s];
        vgt_soft_stage *o = &st->stages[s];
        o->color_op = g->color_op;
        o->alpha_op = g->alpha_op;
        if (g->color_op == VGT_SVGA3D_TC_DISABLE) {
            break;
        }
        const uint32_t args[6] = {g->color_arg0, g->color_arg1, g->color_arg2,
                                  g->alpha_arg0, g->alpha_arg1, g->alpha_arg2};
        for (int a = 0; a < 6; a++) {
            if (!arg_ok(args[a])) {
                return vgt_error_set(err, VGT_E_INVALID,
                                     "soft: context %u texture stage %u: argument 0x%x is not an "
                                     "SVGA3D texture argument",
                                     cid, s, args[a]);
            }
        }
        o->color_arg0 = g->color_arg0;
        o->color_arg1 = g->color_arg1;
        o->color_arg2 = g->color_arg2;
        o->alpha_arg0 = g->alpha_arg0;
        o->alpha_arg1 = g->alpha_arg1;
        o->alpha_arg2 = g->alpha_arg2;
        if (!g->texture.surface) {
            /* Direct3D 9: a stage with no texture does no texture mapping;
             * an operation that reads the texture passes the current color
             * through (untextured geometry with the default stage 0 shows
             * its diffuse color). */
            if (reads_texture(g->color_op, g->color_arg0, g->color_arg1, g->color_arg2)) {
                o->color_op = VGT_SVGA3D_TC_SELECTARG1;
                o->color_arg1 = VGT_SVGA3D_TA_PREVIOUS;
            }
            if (g->alpha_op != VGT_SVGA3D_TC_DISABLE &&
                reads_texture(g->alpha_op, g->alpha_arg0, g->alpha_arg1, g->alpha_arg2)) {
                o->alpha_op = VGT_SVGA3D_TC_SELECTARG1;
                o->alpha_arg1 = VGT_SVGA3D_TA_PREVIOUS;
            }
        }
        uint32_t set = 0, gen = VGT_SVGA3D_TEXCOORD_GEN_OFF;
        if (!vgt_backend_texcoord_source(g, &set, &gen) && g->texture.surface) {
            return REJECT("soft: context %u texture stage %u: TEXCOORDINDEX 0x%x with TEXCOORDGEN "
                          "%u: not a coordinate set 0..7 with one generation mode",
                          cid, s, g->texcoord_index, g->texcoord_gen);
        }
        /* vgt_soft checks the mode and the flags (soft_texcoord_plan) */
        o->texcoord_gen = gen;
        o->transform_flags = g->transform_flags;
        memcpy(o->texture_transform.m, g->texture_transform.m, sizeof(o->texture_transform.m));
        int gk = vgt_backend_gamma_kind(g->gamma);
        if (gk < 0 && g->texture.surface) {
            return REJECT("soft: context %u texture stage %u: texture gamma %g is not supported "
                          "(1: linear, 2.2: sRGB reads)",
                          cid, s, (double)g->gamma);
        }
        o->srgb = gk == 1; /* vgt_soft checks the format of a texture it reads */
        if (g->texture.surface) {
            soft_be_surface *t = surf(g->texture.surface);
            vgt_status rc = need_soft(t, "texture", err);
            if (rc != VGT_OK) {
                return rc;
            }
            o->texture = t->soft;
        }
        o->texcoord_index = set;
        o->address_u = g->address_u;
        o->address_v = g->address_v;
        o->address_w = g->address_w;
        o->border_color = g->border_color;
        o->mag_filter = filter_of(g->mag_filter);
        o->min_filter = filter_of(g->min_filter);
        o->mip_filter = filter_of(g->mip_filter);
        o->lod_bias = g->lod_bias;
        o->max_mip_level = g->max_mip_level;
        o->max_anisotropy = g->max_anisotropy; /* vgt_soft clamps to 1..16 */
    }
    st->texture_factor = d->texture_factor;
    for (uint32_t i = 0; i < VGT_SOFT_MAX_WRAP; i++) {
        if (d->wrap[i] & ~VGT_SVGA3D_WRAPCOORD_ALL) {
            return REJECT("soft: context %u: RS WRAP%u = 0x%x: only bits 0..3 (u, v, w, q) "
                          "are defined",
                          cid, i, d->wrap[i]);
        }
        st->wrap[i] = d->wrap[i];
    }

    /* per pixel */
    st->alpha_test = d->alpha_test;
    st->alpha_func = d->alpha_func;
    float ar = d->alpha_ref;
    ar = ar > 0.0f ? (ar < 1.0f ? ar : 1.0f) : 0.0f; /* NaN -> 0 */
    st->alpha_ref = (uint32_t)(ar * 255.0f + 0.5f);
    st->z_enable = d->z_enable && has_depth;
    st->z_write = d->z_write;
    st->z_func = d->z_func;
    st->stencil_enable = d->stencil_enable && has_stencil;
    st->stencil_two_sided = d->stencil_two_sided;
    st->stencil_ref = d->stencil_ref;
    st->stencil_mask = d->stencil_mask;
    st->stencil_write_mask = d->stencil_write_mask;
    st->stencil_func = d->stencil_func;
    st->stencil_fail = d->stencil_fail;
    st->stencil_zfail = d->stencil_zfail;
    st->stencil_pass = d->stencil_pass;
    st->ccw_stencil_func = d->ccw_stencil_func;
    st->ccw_stencil_fail = d->ccw_stencil_fail;
    st->ccw_stencil_zfail = d->ccw_stencil_zfail;
    st->ccw_stencil_pass = d->ccw_stencil_pass;
    st->blend_enable = d->blend_enable;
    st->separate_alpha_blend = d->separate_alpha_blend;
    st->src_blend = d->src_blend;
    st->dst_blend = d->dst_blend;
    st->blend_eq = d->blend_eq;
    st->src_blend_alpha = d->src_blend_alpha;
    st->dst_blend_alpha = d->dst_blend_alpha;
    st->blend_eq_alpha = d->blend_eq_alpha;
    st->blend_color = d->blend_color;
    st->color_write_mask = d->color_write_mask[0] & VGT_SOFT_WRITE_ALL;
    for (uint32_t i = 1; i < VGT_SOFT_MAX_COLOR_TARGETS; i++) {
        st->more_color_write_masks[i - 1] = d->color_write_mask[i] & VGT_SOFT_WRITE_ALL;
    }
    /* OUTPUTGAMMA: 1 (or <= 0) is linear; 2.2 is what drivers set for sRGB
     * render targets. */
    int gk = vgt_backend_gamma_kind(d->output_gamma);
    if (gk < 0) {
        return REJECT("soft: context %u: OUTPUTGAMMA %g is not supported (1: linear, 2.2: sRGB)",
                      cid, (double)d->output_gamma);
    }
    st->srgb_write = gk == 1;
    return VGT_OK;
}

/* Points st's instance-data elements at instance n's values. */
static vgt_status place_instance(soft_backend *b, uint32_t n, vgt_error *err)
{
    for (uint32_t j = 0; j < b->st.element_count; j++) {
        uint32_t step = b->inst_step[j];
        if (step == 0) {
            continue;
        }
        uint64_t off = (uint64_t)b->inst_offset[j] + (uint64_t)(n / step) * b->inst_stride[j];
        if (off > UINT32_MAX) {
            return vgt_error_set(err, VGT_E_RANGE,
                                 "soft: instance %u of vertex element %u is at byte %llu, beyond "
                                 "32 bits",
                                 n, j, (unsigned long long)off);
        }
        b->st.elements[j].offset = (uint32_t)off;
        b->st.elements[j].stride = 0;
    }
    return VGT_OK;
}

static vgt_status be_draw(void *self, const vgt_backend_draw_state *d,
                          const vgt_backend_draw_range *ranges, uint32_t count,
                          vgt_backend_draw_stats *stats, vgt_error *err)
{
    soft_backend *b = self;
    vgt_status st = convert_state(b, d, ranges, count, err);
    if (st != VGT_OK) {
        return st;
    }
    uint64_t prims = 0, pixels = 0;
    /* instances x primitives <= VGT_SOFT_MAX_PRIMITIVES (the caps' limit):
     * the executor checked it for every range before the draw */
    uint32_t instances = d->instance_count ? d->instance_count : 1;
    for (uint32_t i = 0; i < count; i++) {
        const vgt_backend_draw_range *r = &ranges[i];
        vgt_soft_draw_call call = {0};
        call.primitive_type = r->primitive_type;
        call.primitive_count = r->primitive_count;
        if (r->index_buffer) {
            if ((st = buffer_bytes(surf(r->index_buffer), &call.indices, &call.index_length,
                                   err)) != VGT_OK) {
                return st;
            }
            if (call.index_length > r->index_buffer_bytes) {
                call.index_length = (size_t)r->index_buffer_bytes;
            }
            call.index_offset = r->index_offset;
            call.index_size = r->index_width;
        }
        call.base_vertex = r->index_bias;
        /* the vertex stream frequency of this range (the executor decided
         * where it applies and checked the last read of each element) */
        for (uint32_t j = 0; j < b->st.element_count; j++) {
            vgt_backend_element el = {.divisor = b->el_divisor[j]};
            b->st.elements[j].divisor = vgt_backend_element_vertex_step(&el, r);
            b->st.elements[j].first = (uint32_t)r->index_bias;
        }
        /* Each instance is one draw of the range, its instance-data
         * elements moved to the instance's value with stride 0 (every
         * vertex reads it): vgt_soft stays instancing-free, and still
         * checks every fetch.  Instance 0 checks the indices before any
         * pixel is written; the executor checked the instance reads. */
        for (uint32_t n = 0; n < instances; n++) {
            if ((st = place_instance(b, n, err)) != VGT_OK) {
                return st;
            }
            vgt_soft_draw_stats ds;
            st = vgt_soft_draw(b->dev, &b->st, &call, &ds, err);
            if (st != VGT_OK) {
                vgt_error_prefix(err, "soft: context %u DRAW_PRIMITIVES range %u instance %u",
                                 d->cid, i, n);
                return st;
            }
            prims += ds.primitives;
            pixels += ds.pixels_passed;
            if (b->probing) {
                probe_collect(b, i, n);
            }
        }
    }
    b->counters.draws++;
    b->counters.ranges += count;
    b->counters.primitives += prims;
    b->counters.pixels_passed += pixels;
    for (soft_be_query *q = b->active; q; q = q->next_active) {
        q->pixels += pixels;
    }
    if (stats) {
        stats->primitives += prims;
        stats->pixels_passed += pixels;
    }
    return VGT_OK;
}

/* ---- shaders and queries ------------------------------------------------------ */

/* SHADER_DEFINE: validated by vgt_shader_parse and compiled for the
 * interpreter; malformed bytecode is refused here, naming the token. */
static vgt_status be_shader_define(void *self, uint32_t type, const uint32_t *bytecode,
                                   uint32_t words, vgt_backend_shader **out, vgt_error *err)
{
    (void)self;
    vgt_soft_shader *sh = NULL;
    *out = NULL;
    vgt_status st = vgt_soft_shader_create(type, bytecode, words, &sh, err);
    if (st != VGT_OK) {
        return st;
    }
    *out = (vgt_backend_shader *)(void *)sh;
    return VGT_OK;
}

static void be_shader_destroy(void *self, vgt_backend_shader *sh)
{
    (void)self;
    if (sh) {
        vgt_soft_shader_destroy((vgt_soft_shader *)(void *)sh);
    }
}

static vgt_status be_query_create(void *self, uint32_t type, vgt_backend_query **out,
                                  vgt_error *err)
{
    if (type != VGT_SVGA3D_QUERYTYPE_OCCLUSION) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "soft: query type %u", type);
    }
    soft_be_query *q = calloc(1, sizeof(*q));
    if (!q) {
        return vgt_error_set(err, VGT_E_NOMEM, "soft: out of memory for a query");
    }
    *out = (vgt_backend_query *)(void *)q;
    return VGT_OK;
}

static void unlink_query(soft_backend *b, soft_be_query *q)
{
    for (soft_be_query **p = &b->active; *p; p = &(*p)->next_active) {
        if (*p == q) {
            *p = q->next_active;
            break;
        }
    }
    q->next_active = NULL;
    q->active = false;
}

static void be_query_destroy(void *self, vgt_backend_query *hq)
{
    soft_be_query *q = (soft_be_query *)(void *)hq;
    if (q) {
        unlink_query(self, q);
        free(q);
    }
}

static vgt_status be_query_begin(void *self, vgt_backend_query *hq, vgt_error *err)
{
    soft_backend *b = self;
    soft_be_query *q = (soft_be_query *)(void *)hq;
    if (!q->active) {
        q->next_active = b->active;
        b->active = q;
        q->active = true;
    }
    q->pixels = 0; /* beginning an active query restarts it */
    return VGT_OK;
}

static vgt_status be_query_end(void *self, vgt_backend_query *hq, uint64_t *result, vgt_error *err)
{
    soft_be_query *q = (soft_be_query *)(void *)hq;
    unlink_query(self, q);
    *result = q->pixels; /* rendering is synchronous: the result is final */
    return VGT_OK;
}

static const vgt_backend_ops soft_ops = {
    .name = "soft",
    .destroy = be_destroy,
    .get_caps = be_get_caps,
    .surface_define = be_surface_define,
    .surface_destroy = be_surface_destroy,
    .surface_upload = be_surface_upload,
    .surface_download = be_surface_download,
    .surface_copy = be_surface_copy,
    .surface_stretch = be_surface_stretch,
    .generate_mipmaps = be_generate_mipmaps,
    .clear = be_clear,
    .fragment_probe = be_fragment_probe,
    .fragment_take = be_fragment_take,
    .draw = be_draw,
    .read_pixels = be_read_pixels,
    .read_slice = be_read_slice,
    .shader_define = be_shader_define,
    .shader_destroy = be_shader_destroy,
    .query_create = be_query_create,
    .query_destroy = be_query_destroy,
    .query_begin = be_query_begin,
    .query_end = be_query_end,
    .gpu_time = NULL,
};

vgt_status vgt_backend_soft_create(const vgt_backend_options *opt, vgt_backend *out, vgt_error *err)
{
    (void)opt;
    memset(out, 0, sizeof(*out));
    soft_backend *b = calloc(1, sizeof(*b));
    if (!b) {
        return vgt_error_set(err, VGT_E_NOMEM, "soft backend: out of memory");
    }
    uint32_t threads = 0;
    const char *env = getenv("VGT_SOFT_THREADS");
    if (env && *env) {
        char *end;
        unsigned long n = strtoul(env, &end, 10);
        if (*end || n > 64) {
            free(b);
            return vgt_error_set(err, VGT_E_INVALID,
                                 "soft backend: VGT_SOFT_THREADS=%s: expected 0..64 (0: one per "
                                 "CPU)",
                                 env);
        }
        threads = (uint32_t)n;
    }
    vgt_status st = vgt_soft_device_create(threads, &b->dev, err);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "soft backend");
        free(b);
        return st;
    }
    out->ops = &soft_ops;
    out->self = b;
    return VGT_OK;
}

vgt_status vgt_backend_soft_counters_get(const vgt_backend *be, vgt_backend_soft_counters *out)
{
    if (!be || be->ops != &soft_ops) {
        return VGT_E_INVALID;
    }
    const soft_backend *b = be->self;
    *out = b->counters;
    out->clear_texels = vgt_soft_device_clear_texels(b->dev);
    return VGT_OK;
}
