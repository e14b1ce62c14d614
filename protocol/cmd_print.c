/* cmd_print.c - one decoded command as one line of text:
 * "NAME key=value ...".  Enums by name, arrays as counts unless verbose. */
#include "vgt_protocol.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Short arrays (render/texture states, primitive ranges) are printed in full
 * even when not verbose, up to this many entries. */
#define PRINT_INLINE_MAX 8u

static float as_float(uint32_t v)
{
    float f;
    memcpy(&f, &v, sizeof(f));
    return f;
}

/* key=NAME, or key=<number> when the value has no name. */
static void put_enum(FILE *out, const char *key, const char *name, uint32_t v)
{
    if (name) {
        fprintf(out, " %s=%s", key, name);
    } else {
        fprintf(out, " %s=%" PRIu32, key, v);
    }
}

static void put_image(FILE *out, const char *key, const vgt_svga3d_surface_image_id *img)
{
    fprintf(out, " %s=%" PRIu32 "/%" PRIu32 "/%" PRIu32, key, img->sid, img->face, img->mipmap);
}

static void put_id(FILE *out, const char *key, uint32_t id)
{
    if (id == VGT_SVGA3D_INVALID_ID) {
        fprintf(out, " %s=none", key);
    } else {
        fprintf(out, " %s=%" PRIu32, key, id);
    }
}

static void put_srect(FILE *out, const char *key, const vgt_svga_signed_rect *r)
{
    fprintf(out, " %s=(%" PRId32 ",%" PRId32 ")-(%" PRId32 ",%" PRId32 ")", key, r->left, r->top,
            r->right, r->bottom);
}

static void put_rect(FILE *out, const char *key, const vgt_svga3d_rect *r)
{
    fprintf(out, " %s=%" PRIu32 ",%" PRIu32 ":%" PRIu32 "x%" PRIu32, key, r->x, r->y, r->w, r->h);
}

static void put_floats(FILE *out, const char *key, const float *f, unsigned n)
{
    fprintf(out, " %s=(", key);
    for (unsigned i = 0; i < n; i++) {
        fprintf(out, "%s%g", i ? "," : "", (double)f[i]);
    }
    fputc(')', out);
}

static void put_words(FILE *out, const char *key, const uint32_t *w, uint32_t n)
{
    fprintf(out, " %s=[", key);
    for (uint32_t i = 0; i < n; i++) {
        fprintf(out, "%s%08" PRIx32, i ? " " : "", w[i]);
    }
    fputc(']', out);
}

/* A VMware video overlay escape (svga_overlay.h): its type and stream, and
 * for SET_REGS the register count (verbose: each register by name).  False
 * for any other escape, printed as words. */
static bool print_video_escape(FILE *out, const vgt_cmd *c, bool verbose)
{
    if (c->u.escape.nsid != VGT_SVGA_ESCAPE_NSID_VMWARE || c->data_bytes < 8u ||
        (c->data[0] & VGT_SVGA_ESCAPE_VMWARE_MAJOR_MASK) != VGT_SVGA_ESCAPE_VMWARE_VIDEO) {
        return false;
    }
    const uint32_t type = c->data[0], stream = c->data[1];
    if (type == VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH) {
        fprintf(out, " video=FLUSH stream=%" PRIu32, stream);
        return true;
    }
    if (type != VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS || (c->data_bytes - 8u) % 8u != 0) {
        fprintf(out, " video=0x%08" PRIx32 " stream=%" PRIu32, type, stream);
        return false; /* unknown or malformed: the words too, when verbose */
    }
    const uint32_t n = (c->data_bytes - 8u) / 8u;
    fprintf(out, " video=SET_REGS stream=%" PRIu32, stream);
    if (!verbose) {
        fprintf(out, " regs=%" PRIu32, n);
        return true;
    }
    fputs(" regs=[", out);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id = c->data[2u + 2u * i], v = c->data[3u + 2u * i];
        if (id < VGT_SVGA_VIDEO_NUM_REGS) {
            fprintf(out, "%s%s=%" PRIu32, i ? " " : "", vgt_svga_video_reg_name(id), v);
        } else {
            fprintf(out, "%s%" PRIu32 "=%" PRIu32, i ? " " : "", id, v);
        }
    }
    fputc(']', out);
    return true;
}

static void put_flags(FILE *out, const char *key, uint32_t v, const char *const *names,
                      unsigned nbits)
{
    fprintf(out, " %s=", key);
    if (v == 0) {
        fputc('0', out);
        return;
    }
    bool first = true;
    for (unsigned b = 0; b < nbits; b++) {
        if ((v & (1u << b)) && names[b]) {
            fprintf(out, "%s%s", first ? "" : "|", names[b]);
            first = false;
            v &= ~(1u << b);
        }
    }
    if (v) {
        fprintf(out, "%s0x%" PRIx32, first ? "" : "|", v);
    }
}

/* How a render state's value reads (vgt_svga3d_render_state_value_format). */
static void put_render_state_value(FILE *out, uint32_t state, uint32_t v)
{
    const char *vn = NULL;
    switch (state) {
    case VGT_SVGA3D_RS_FOGSTART:
    case VGT_SVGA3D_RS_FOGEND:
    case VGT_SVGA3D_RS_FOGDENSITY:
    case VGT_SVGA3D_RS_POINTSIZE:
    case VGT_SVGA3D_RS_POINTSIZEMIN:
    case VGT_SVGA3D_RS_POINTSIZEMAX:
    case VGT_SVGA3D_RS_POINTSCALE_A:
    case VGT_SVGA3D_RS_POINTSCALE_B:
    case VGT_SVGA3D_RS_POINTSCALE_C:
    case VGT_SVGA3D_RS_ALPHAREF:
    case VGT_SVGA3D_RS_ZBIAS:
    case VGT_SVGA3D_RS_SLOPESCALEDEPTHBIAS:
    case VGT_SVGA3D_RS_DEPTHBIAS:
    case VGT_SVGA3D_RS_OUTPUTGAMMA:
    case VGT_SVGA3D_RS_TWEENFACTOR:
    case VGT_SVGA3D_RS_LINEWIDTH:
        fprintf(out, "%g", (double)as_float(v));
        return;
    case VGT_SVGA3D_RS_FOGCOLOR:
    case VGT_SVGA3D_RS_AMBIENT:
    case VGT_SVGA3D_RS_TEXTUREFACTOR:
    case VGT_SVGA3D_RS_BLENDCOLOR:
    case VGT_SVGA3D_RS_STENCILMASK:
    case VGT_SVGA3D_RS_STENCILWRITEMASK:
    case VGT_SVGA3D_RS_MULTISAMPLEMASK:
    case VGT_SVGA3D_RS_LINEPATTERN:
    case VGT_SVGA3D_RS_FOGMODE:
    case VGT_SVGA3D_RS_CLIPPLANEENABLE:
    case VGT_SVGA3D_RS_COLORWRITEENABLE:
    case VGT_SVGA3D_RS_COLORWRITEENABLE1:
    case VGT_SVGA3D_RS_COLORWRITEENABLE2:
    case VGT_SVGA3D_RS_COLORWRITEENABLE3:
        fprintf(out, "0x%" PRIx32, v);
        return;
    case VGT_SVGA3D_RS_SRCBLEND:
    case VGT_SVGA3D_RS_DSTBLEND:
    case VGT_SVGA3D_RS_SRCBLENDALPHA:
    case VGT_SVGA3D_RS_DSTBLENDALPHA:
        vn = vgt_svga3d_blend_op_name(v);
        break;
    case VGT_SVGA3D_RS_BLENDEQUATION:
    case VGT_SVGA3D_RS_BLENDEQUATIONALPHA:
        vn = vgt_svga3d_blend_eq_name(v);
        break;
    case VGT_SVGA3D_RS_CULLMODE:
        vn = vgt_svga3d_face_name(v);
        break;
    case VGT_SVGA3D_RS_ZFUNC:
    case VGT_SVGA3D_RS_ALPHAFUNC:
    case VGT_SVGA3D_RS_STENCILFUNC:
    case VGT_SVGA3D_RS_CCWSTENCILFUNC:
        vn = vgt_svga3d_cmp_func_name(v);
        break;
    case VGT_SVGA3D_RS_STENCILFAIL:
    case VGT_SVGA3D_RS_STENCILZFAIL:
    case VGT_SVGA3D_RS_STENCILPASS:
    case VGT_SVGA3D_RS_CCWSTENCILFAIL:
    case VGT_SVGA3D_RS_CCWSTENCILZFAIL:
    case VGT_SVGA3D_RS_CCWSTENCILPASS:
        vn = vgt_svga3d_stencil_op_name(v);
        break;
    case VGT_SVGA3D_RS_SHADEMODE:
        vn = vgt_svga3d_shade_mode_name(v);
        break;
    case VGT_SVGA3D_RS_VERTEXBLEND:
        vn = vgt_svga3d_vertex_blend_name(v);
        break;
    case VGT_SVGA3D_RS_FILLMODE: {
        const char *m = vgt_svga3d_fill_mode_name(VGT_SVGA3D_FILLMODE_MODE(v));
        const char *f = vgt_svga3d_face_name(VGT_SVGA3D_FILLMODE_FACE(v));
        if (m && f) {
            fprintf(out, "%s/%s", m, f);
        } else {
            fprintf(out, "0x%" PRIx32, v);
        }
        return;
    }
    default:
        break;
    }
    if (vn) {
        fputs(vn, out);
    } else {
        fprintf(out, "%" PRIu32, v);
    }
}

static void put_render_state(FILE *out, uint32_t state, uint32_t v)
{
    const char *name = vgt_svga3d_render_state_name(state);
    if (name) {
        fprintf(out, "%s=", name);
    } else {
        fprintf(out, "%" PRIu32 "=", state);
    }
    put_render_state_value(out, state, v);
}

/* How a texture stage state's value reads
 * (vgt_svga3d_texture_state_value_format). */
static void put_texture_state_value(FILE *out, uint32_t state, uint32_t v)
{
    const char *vn = NULL;
    switch (state) {
    case VGT_SVGA3D_TS_BIND_TEXTURE:
        if (v == VGT_SVGA3D_INVALID_ID) {
            fputs("none", out);
            return;
        }
        break;
    case VGT_SVGA3D_TS_COLOROP:
    case VGT_SVGA3D_TS_ALPHAOP:
        vn = vgt_svga3d_texture_combiner_name(v);
        break;
    case VGT_SVGA3D_TS_ADDRESSU:
    case VGT_SVGA3D_TS_ADDRESSV:
    case VGT_SVGA3D_TS_ADDRESSW:
        vn = vgt_svga3d_texture_address_name(v);
        break;
    case VGT_SVGA3D_TS_MIPFILTER:
    case VGT_SVGA3D_TS_MAGFILTER:
    case VGT_SVGA3D_TS_MINFILTER:
        vn = vgt_svga3d_texture_filter_name(v);
        break;
    case VGT_SVGA3D_TS_COLORARG0:
    case VGT_SVGA3D_TS_COLORARG1:
    case VGT_SVGA3D_TS_COLORARG2:
    case VGT_SVGA3D_TS_ALPHAARG0:
    case VGT_SVGA3D_TS_ALPHAARG1:
    case VGT_SVGA3D_TS_ALPHAARG2: {
        static const char *const src[] = {NULL,      "CONSTANT", "PREVIOUS",
                                          "DIFFUSE", "TEXTURE",  "SPECULAR"};
        uint32_t s = VGT_SVGA3D_TA_SOURCE(v);
        if (s >= 6 || !src[s] || (v & ~0x3Fu)) {
            break;
        }
        fputs(src[s], out);
        if (v & VGT_SVGA3D_TM_ALPHA) {
            fputs("|ALPHA", out);
        }
        if (v & VGT_SVGA3D_TM_ONE_MINUS) {
            fputs("|ONE_MINUS", out);
        }
        return;
    }
    case VGT_SVGA3D_TS_BORDERCOLOR:
        fprintf(out, "0x%" PRIx32, v);
        return;
    case VGT_SVGA3D_TS_BUMPENVMAT00:
    case VGT_SVGA3D_TS_BUMPENVMAT01:
    case VGT_SVGA3D_TS_BUMPENVMAT10:
    case VGT_SVGA3D_TS_BUMPENVMAT11:
    case VGT_SVGA3D_TS_TEXTURE_LOD_BIAS:
    case VGT_SVGA3D_TS_GAMMA:
    case VGT_SVGA3D_TS_BUMPENVLSCALE:
    case VGT_SVGA3D_TS_BUMPENVLOFFSET:
        fprintf(out, "%g", (double)as_float(v));
        return;
    default:
        break;
    }
    if (vn) {
        fputs(vn, out);
    } else {
        fprintf(out, "%" PRIu32, v);
    }
}

static void put_texture_state(FILE *out, const vgt_svga3d_texture_state_entry *e)
{
    const char *name = vgt_svga3d_texture_state_name(e->name);
    fprintf(out, "%" PRIu32 ":", e->stage);
    if (name) {
        fprintf(out, "%s=", name);
    } else {
        fprintf(out, "%" PRIu32 "=", e->name);
    }
    put_texture_state_value(out, e->name, e->value);
}

/* Runs put(out, state, value) into buf (always NUL-terminated, cut to fit). */
static void format_value(char *buf, size_t size, void (*put)(FILE *, uint32_t, uint32_t),
                         uint32_t state, uint32_t value)
{
    if (!buf || size == 0) {
        return;
    }
    buf[0] = '\0';
    FILE *f = fmemopen(buf, size, "w");
    if (!f) {
        snprintf(buf, size, "%" PRIu32, value);
        return;
    }
    put(f, state, value);
    long used = ftell(f);
    fclose(f);
    buf[used >= 0 && (size_t)used < size ? (size_t)used : size - 1] = '\0';
}

void vgt_svga3d_render_state_value_format(char *buf, size_t size, uint32_t state, uint32_t value)
{
    format_value(buf, size, put_render_state_value, state, value);
}

void vgt_svga3d_texture_state_value_format(char *buf, size_t size, uint32_t state, uint32_t value)
{
    format_value(buf, size, put_texture_state_value, state, value);
}

static void put_copy_box(FILE *out, const vgt_svga3d_copy_box *b)
{
    fprintf(out,
            "{dst=%" PRIu32 ",%" PRIu32 ",%" PRIu32 " size=%" PRIu32 "x%" PRIu32 "x%" PRIu32
            " src=%" PRIu32 ",%" PRIu32 ",%" PRIu32 "}",
            b->x, b->y, b->z, b->w, b->h, b->d, b->srcx, b->srcy, b->srcz);
}

/* Prints `key=count`, or in verbose mode `key=[e0 e1 ...]` via put_elem. */
typedef void (*put_elem_fn)(FILE *out, const vgt_cmd_array *a, uint32_t i);

static void put_array(FILE *out, const char *key, const vgt_cmd_array *a, bool full,
                      put_elem_fn put_elem)
{
    if (!full) {
        fprintf(out, " %s=%" PRIu32, key, a->count);
        return;
    }
    fprintf(out, " %s=[", key);
    for (uint32_t i = 0; i < a->count; i++) {
        if (i) {
            fputc(' ', out);
        }
        put_elem(out, a, i);
    }
    fputc(']', out);
}

static void elem_copy_box(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_copy_box b;
    vgt_cmd_array_get(a, i, &b);
    put_copy_box(out, &b);
}

static void elem_size(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_size s;
    vgt_cmd_array_get(a, i, &s);
    fprintf(out, "%" PRIu32 "x%" PRIu32 "x%" PRIu32, s.width, s.height, s.depth);
}

static void elem_rect(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_rect r;
    vgt_cmd_array_get(a, i, &r);
    fprintf(out, "%" PRIu32 ",%" PRIu32 ":%" PRIu32 "x%" PRIu32, r.x, r.y, r.w, r.h);
}

static void elem_copy_rect(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_copy_rect r;
    vgt_cmd_array_get(a, i, &r);
    fprintf(out,
            "{dst=%" PRIu32 ",%" PRIu32 ":%" PRIu32 "x%" PRIu32 " src=%" PRIu32 ",%" PRIu32 "}",
            r.x, r.y, r.w, r.h, r.srcx, r.srcy);
}

static void elem_srect(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga_signed_rect r;
    vgt_cmd_array_get(a, i, &r);
    fprintf(out, "(%" PRId32 ",%" PRId32 ")-(%" PRId32 ",%" PRId32 ")", r.left, r.top, r.right,
            r.bottom);
}

static void elem_render_state(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_render_state_pair p;
    vgt_cmd_array_get(a, i, &p);
    put_render_state(out, p.state, p.value);
}

static void elem_texture_state(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_texture_state_entry e;
    vgt_cmd_array_get(a, i, &e);
    put_texture_state(out, &e);
}

static void elem_decl(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_vertex_decl d;
    vgt_cmd_array_get(a, i, &d);
    const char *t = vgt_svga3d_decl_type_name(d.type);
    const char *u = vgt_svga3d_decl_usage_name(d.usage);
    fprintf(out, "{%s%" PRIu32 " %s sid=%" PRIu32 " offset=%" PRIu32 " stride=%" PRIu32,
            u ? u : "?", d.usage_index, t ? t : "?", d.array.surface_id, d.array.offset,
            d.array.stride);
    if (d.method != VGT_SVGA3D_DECLMETHOD_DEFAULT) {
        const char *m = vgt_svga3d_decl_method_name(d.method);
        fprintf(out, " method=%s", m ? m : "?");
    }
    if (d.range_first || d.range_last) {
        fprintf(out, " hint=%" PRIu32 "..%" PRIu32, d.range_first, d.range_last);
    }
    fputc('}', out);
}

static void elem_range(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_primitive_range r;
    vgt_cmd_array_get(a, i, &r);
    const char *t = vgt_svga3d_primitive_type_name(r.prim_type);
    fprintf(out, "{%s count=%" PRIu32, t ? t : "?", r.primitive_count);
    if (r.index_array.surface_id != VGT_SVGA3D_INVALID_ID) {
        fprintf(out, " index=sid:%" PRIu32 " offset=%" PRIu32 " stride=%" PRIu32 " width=%" PRIu32,
                r.index_array.surface_id, r.index_array.offset, r.index_array.stride,
                r.index_width);
    }
    if (r.index_bias) {
        fprintf(out, " bias=%" PRId32, r.index_bias);
    }
    fputc('}', out);
}

static void elem_word(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    fprintf(out, "%08" PRIx32, a->words[i * a->elem_words]);
}

/* A vertex divisor word as Direct3D 9's stream frequency reads:
 * "indexed:N" (the geometry, drawn N times), "instance:K" (advances every K
 * instances), "vertex:K" (a count without either flag: the vertex stream
 * frequency, read every K vertices in a non-indexed vs_3_0 draw), "0"
 * (none), and the raw word for both flags at once (refused). */
static void elem_divisor(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    uint32_t v = a->words[i * a->elem_words];
    uint32_t flags = v & (VGT_SVGA3D_DIVISOR_INDEXED_DATA | VGT_SVGA3D_DIVISOR_INSTANCE_DATA);
    if (flags == VGT_SVGA3D_DIVISOR_INDEXED_DATA) {
        fprintf(out, "indexed:%" PRIu32, VGT_SVGA3D_DIVISOR_COUNT(v));
    } else if (flags == VGT_SVGA3D_DIVISOR_INSTANCE_DATA) {
        fprintf(out, "instance:%" PRIu32, VGT_SVGA3D_DIVISOR_COUNT(v));
    } else if (v == 0) {
        fputc('0', out);
    } else if (flags == 0) {
        fprintf(out, "vertex:%" PRIu32, v);
    } else {
        fprintf(out, "0x%08" PRIx32, v);
    }
}

static void elem_ppn64(FILE *out, const vgt_cmd_array *a, uint32_t i)
{
    uint64_t v = (uint64_t)a->words[i * 2] | ((uint64_t)a->words[i * 2 + 1] << 32);
    fprintf(out, "%" PRIx64, v);
}

static void print_2d(FILE *out, const vgt_cmd *c, bool verbose)
{
    switch (c->id) {
    case VGT_SVGA_CMD_UPDATE: {
        const vgt_svga_cmd_update *u = &c->u.update;
        fprintf(out, " x=%" PRIu32 " y=%" PRIu32 " w=%" PRIu32 " h=%" PRIu32, u->x, u->y, u->width,
                u->height);
        break;
    }
    case VGT_SVGA_CMD_RECT_COPY: {
        const vgt_svga_cmd_rect_copy *r = &c->u.rect_copy;
        fprintf(out,
                " src=%" PRIu32 ",%" PRIu32 " dst=%" PRIu32 ",%" PRIu32 " w=%" PRIu32 " h=%" PRIu32,
                r->src_x, r->src_y, r->dest_x, r->dest_y, r->width, r->height);
        break;
    }
    case VGT_SVGA_CMD_DEFINE_CURSOR: {
        const vgt_svga_cmd_define_cursor *d = &c->u.define_cursor;
        fprintf(out,
                " hotspot=%" PRIu32 ",%" PRIu32 " size=%" PRIu32 "x%" PRIu32 " and_depth=%" PRIu32
                " xor_depth=%" PRIu32,
                d->hotspot_x, d->hotspot_y, d->width, d->height, d->and_mask_depth,
                d->xor_mask_depth);
        if (verbose) {
            put_words(out, "and_mask", c->and_mask, c->and_mask_words);
            put_words(out, "xor_mask", c->xor_mask, c->xor_mask_words);
        } else {
            fprintf(out, " mask_words=%" PRIu32 "+%" PRIu32, c->and_mask_words, c->xor_mask_words);
        }
        break;
    }
    case VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR: {
        const vgt_svga_cmd_define_alpha_cursor *d = &c->u.define_alpha_cursor;
        fprintf(out, " hotspot=%" PRIu32 ",%" PRIu32 " size=%" PRIu32 "x%" PRIu32, d->hotspot_x,
                d->hotspot_y, d->width, d->height);
        if (verbose) {
            put_words(out, "pixels", c->data, c->data_words);
        }
        break;
    }
    case VGT_SVGA_CMD_UPDATE_VERBOSE: {
        const vgt_svga_cmd_update_verbose *u = &c->u.update_verbose;
        fprintf(out, " x=%" PRIu32 " y=%" PRIu32 " w=%" PRIu32 " h=%" PRIu32 " reason=0x%" PRIx32,
                u->x, u->y, u->width, u->height, u->reason);
        break;
    }
    case VGT_SVGA_CMD_FRONT_ROP_FILL: {
        const vgt_svga_cmd_front_rop_fill *f = &c->u.front_rop_fill;
        fprintf(out,
                " color=0x%08" PRIx32 " x=%" PRIu32 " y=%" PRIu32 " w=%" PRIu32 " h=%" PRIu32
                " rop=COPY",
                f->color, f->x, f->y, f->width, f->height);
        break;
    }
    case VGT_SVGA_CMD_FENCE:
        fprintf(out, " fence=%" PRIu32, c->u.fence.fence);
        break;
    case VGT_SVGA_CMD_ESCAPE:
        fprintf(out, " nsid=0x%" PRIx32 " size=%" PRIu32, c->u.escape.nsid, c->u.escape.size);
        if (print_video_escape(out, c, verbose)) {
            break;
        }
        if (verbose) {
            put_words(out, "data", c->data, c->data_words);
        }
        break;
    case VGT_SVGA_CMD_DEFINE_SCREEN: {
        static const char *const fl[] = {"MUST_BE_SET", "IS_PRIMARY", "FULLSCREEN_HINT",
                                         "DEACTIVATE", "BLANKING"};
        const vgt_svga_screen_object *s = &c->u.define_screen;
        fprintf(out, " id=%" PRIu32, s->id);
        put_flags(out, "flags", s->flags, fl, 5);
        fprintf(out, " size=%" PRIu32 "x%" PRIu32 " root=%" PRId32 ",%" PRId32, s->width, s->height,
                s->root_x, s->root_y);
        if (s->struct_size > VGT_SVGA_SCREEN_OBJECT_V1_BYTES) {
            fprintf(out, " backing=%" PRIu32 ":%" PRIu32 " pitch=%" PRIu32,
                    s->backing_store.ptr.gmr_id, s->backing_store.ptr.offset,
                    s->backing_store.pitch);
        }
        if (s->struct_size >= VGT_SVGA_SCREEN_OBJECT_V2_BYTES) {
            fprintf(out, " clone_count=%" PRIu32, s->clone_count);
        }
        fprintf(out, " struct_size=%" PRIu32, s->struct_size);
        break;
    }
    case VGT_SVGA_CMD_DESTROY_SCREEN:
        fprintf(out, " id=%" PRIu32, c->u.destroy_screen.screen_id);
        break;
    case VGT_SVGA_CMD_DEFINE_GMRFB: {
        const vgt_svga_cmd_define_gmrfb *g = &c->u.define_gmrfb;
        fprintf(out,
                " ptr=%" PRIu32 ":%" PRIu32 " bytes_per_line=%" PRIu32 " format=%" PRIu32
                "/%" PRIu32,
                g->ptr.gmr_id, g->ptr.offset, g->bytes_per_line, VGT_SVGA_GMRFB_BPP(g->format),
                VGT_SVGA_GMRFB_DEPTH(g->format));
        break;
    }
    case VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN: {
        const vgt_svga_cmd_blit_gmrfb_to_screen *b = &c->u.blit_gmrfb_to_screen;
        fprintf(out, " src=%" PRId32 ",%" PRId32, b->src_origin.x, b->src_origin.y);
        put_srect(out, "dst", &b->dest_rect);
        put_id(out, "screen", b->dest_screen_id);
        break;
    }
    case VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB: {
        const vgt_svga_cmd_blit_screen_to_gmrfb *b = &c->u.blit_screen_to_gmrfb;
        fprintf(out, " dst=%" PRId32 ",%" PRId32, b->dest_origin.x, b->dest_origin.y);
        put_srect(out, "src", &b->src_rect);
        put_id(out, "screen", b->src_screen_id);
        break;
    }
    case VGT_SVGA_CMD_ANNOTATION_FILL:
        fprintf(out, " color=0x%08" PRIx32, c->u.annotation_fill.color);
        break;
    case VGT_SVGA_CMD_ANNOTATION_COPY: {
        const vgt_svga_cmd_annotation_copy *a = &c->u.annotation_copy;
        fprintf(out, " src=%" PRId32 ",%" PRId32, a->src_origin.x, a->src_origin.y);
        put_id(out, "screen", a->src_screen_id);
        break;
    }
    case VGT_SVGA_CMD_DEFINE_GMR2:
        fprintf(out, " gmr=%" PRIu32 " pages=%" PRIu32, c->u.define_gmr2.gmr_id,
                c->u.define_gmr2.num_pages);
        break;
    case VGT_SVGA_CMD_REMAP_GMR2: {
        static const char *const fl[] = {"VIA_GMR", "PPN64", "SINGLE_PPN"};
        const vgt_svga_cmd_remap_gmr2 *r = &c->u.remap_gmr2;
        fprintf(out, " gmr=%" PRIu32, r->gmr_id);
        put_flags(out, "flags", r->flags, fl, 3);
        fprintf(out, " offset_pages=%" PRIu32 " num_pages=%" PRIu32, r->offset_pages, r->num_pages);
        if (r->flags & VGT_SVGA_REMAP_GMR2_VIA_GMR) {
            vgt_svga_guest_ptr gp;
            vgt_cmd_array_get(&c->items, 0, &gp);
            fprintf(out, " via=%" PRIu32 ":%" PRIu32, gp.gmr_id, gp.offset);
        } else {
            put_array(out, "ppns", &c->items, verbose,
                      c->items.elem_words == 2 ? elem_ppn64 : elem_word);
        }
        break;
    }
    default:
        break;
    }
}

static void print_surface_define(FILE *out, const vgt_cmd *c, bool verbose)
{
    static const char *const fl[] = {
        "CUBEMAP",           "HINT_STATIC",        "HINT_DYNAMIC",      "HINT_INDEXBUFFER",
        "HINT_VERTEXBUFFER", "HINT_TEXTURE",       "HINT_RENDERTARGET", "HINT_DEPTHSTENCIL",
        "HINT_WRITEONLY",    "MASKABLE_ANTIALIAS", "AUTOGENMIPMAPS"};
    /* V1 and V2 share their first 9 words. */
    const vgt_svga3d_cmd_surface_define *s = &c->u.surface_define;
    fprintf(out, " sid=%" PRIu32, s->sid);
    put_flags(out, "flags", s->surface_flags, fl, 11);
    put_enum(out, "format", vgt_svga3d_format_name(s->format), s->format);
    fprintf(out, " mips=%" PRIu32, s->face_mip_levels[0]);
    for (unsigned f = 1; f < VGT_SVGA3D_MAX_SURFACE_FACES; f++) {
        fprintf(out, ",%" PRIu32, s->face_mip_levels[f]);
    }
    if (c->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2) {
        fprintf(out, " multisample=%" PRIu32, c->u.surface_define_v2.multisample_count);
        put_enum(out, "autogen_filter",
                 vgt_svga3d_texture_filter_name(c->u.surface_define_v2.autogen_filter),
                 c->u.surface_define_v2.autogen_filter);
    }
    if (!verbose && c->items.count > 0) {
        /* the base level's size is what a reader wants to see */
        vgt_svga3d_size sz;
        vgt_cmd_array_get(&c->items, 0, &sz);
        fprintf(out, " size=%" PRIu32 "x%" PRIu32 "x%" PRIu32, sz.width, sz.height, sz.depth);
    }
    put_array(out, "sizes", &c->items, verbose, elem_size);
}

static void print_3d(FILE *out, const vgt_cmd *c, bool verbose)
{
    switch (c->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        print_surface_define(out, c, verbose);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        fprintf(out, " sid=%" PRIu32, c->u.surface_destroy.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_COPY:
        put_image(out, "src", &c->u.surface_copy.src);
        put_image(out, "dst", &c->u.surface_copy.dest);
        put_array(out, "boxes", &c->items, verbose, elem_copy_box);
        break;
    case VGT_SVGA3D_CMD_SURFACE_STRETCHBLT: {
        const vgt_svga3d_cmd_surface_stretchblt *s = &c->u.surface_stretchblt;
        put_image(out, "src", &s->src);
        put_image(out, "dst", &s->dest);
        fprintf(out,
                " src_box=%" PRIu32 ",%" PRIu32 ",%" PRIu32 ":%" PRIu32 "x%" PRIu32 "x%" PRIu32
                " dst_box=%" PRIu32 ",%" PRIu32 ",%" PRIu32 ":%" PRIu32 "x%" PRIu32 "x%" PRIu32,
                s->box_src.x, s->box_src.y, s->box_src.z, s->box_src.w, s->box_src.h, s->box_src.d,
                s->box_dest.x, s->box_dest.y, s->box_dest.z, s->box_dest.w, s->box_dest.h,
                s->box_dest.d);
        put_enum(out, "mode", vgt_svga3d_stretch_mode_name(s->mode), s->mode);
        break;
    }
    case VGT_SVGA3D_CMD_SURFACE_DMA: {
        const vgt_svga3d_cmd_surface_dma *d = &c->u.surface_dma;
        fprintf(out, " guest=%" PRIu32 ":%" PRIu32 " pitch=%" PRIu32, d->guest.ptr.gmr_id,
                d->guest.ptr.offset, d->guest.pitch);
        put_image(out, "host", &d->host);
        put_enum(out, "transfer", vgt_svga3d_transfer_type_name(d->transfer), d->transfer);
        put_array(out, "boxes", &c->items, verbose, elem_copy_box);
        if (c->has_dma_suffix) {
            static const char *const fl[] = {"DISCARD", "UNSYNCHRONIZED"};
            fprintf(out, " max_offset=%" PRIu32, c->dma_suffix.maximum_offset);
            put_flags(out, "dma_flags", c->dma_suffix.flags, fl, 2);
        }
        break;
    }
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        fprintf(out, " cid=%" PRIu32, c->u.context_define.cid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        fprintf(out, " cid=%" PRIu32, c->u.context_destroy.cid);
        break;
    case VGT_SVGA3D_CMD_SETTRANSFORM:
        fprintf(out, " cid=%" PRIu32, c->u.settransform.cid);
        put_enum(out, "type", vgt_svga3d_transform_type_name(c->u.settransform.type),
                 c->u.settransform.type);
        if (verbose) {
            put_floats(out, "matrix", c->u.settransform.matrix, 16);
        }
        break;
    case VGT_SVGA3D_CMD_SETZRANGE:
        fprintf(out, " cid=%" PRIu32 " min=%g max=%g", c->u.setzrange.cid,
                (double)c->u.setzrange.zrange.min, (double)c->u.setzrange.zrange.max);
        break;
    case VGT_SVGA3D_CMD_SETRENDERSTATE:
        fprintf(out, " cid=%" PRIu32, c->u.setrenderstate.cid);
        put_array(out, "states", &c->items, verbose || c->items.count <= PRINT_INLINE_MAX,
                  elem_render_state);
        break;
    case VGT_SVGA3D_CMD_SETRENDERTARGET: {
        const vgt_svga3d_cmd_setrendertarget *r = &c->u.setrendertarget;
        fprintf(out, " cid=%" PRIu32, r->cid);
        put_enum(out, "type", vgt_svga3d_rt_type_name(r->type), r->type);
        if (r->target.sid == VGT_SVGA3D_INVALID_ID) {
            fprintf(out, " target=none");
        } else {
            put_image(out, "target", &r->target);
        }
        break;
    }
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        fprintf(out, " cid=%" PRIu32, c->u.settexturestate.cid);
        put_array(out, "states", &c->items, verbose || c->items.count <= PRINT_INLINE_MAX,
                  elem_texture_state);
        break;
    case VGT_SVGA3D_CMD_SETMATERIAL: {
        const vgt_svga3d_cmd_setmaterial *m = &c->u.setmaterial;
        fprintf(out, " cid=%" PRIu32, m->cid);
        put_enum(out, "face", vgt_svga3d_face_name(m->face), m->face);
        if (verbose) {
            put_floats(out, "diffuse", m->material.diffuse, 4);
            put_floats(out, "ambient", m->material.ambient, 4);
            put_floats(out, "specular", m->material.specular, 4);
            put_floats(out, "emissive", m->material.emissive, 4);
        }
        fprintf(out, " shininess=%g", (double)m->material.shininess);
        break;
    }
    case VGT_SVGA3D_CMD_SETLIGHTDATA: {
        const vgt_svga3d_cmd_setlightdata *l = &c->u.setlightdata;
        fprintf(out, " cid=%" PRIu32 " index=%" PRIu32, l->cid, l->index);
        put_enum(out, "type", vgt_svga3d_light_type_name(l->data.type), l->data.type);
        fprintf(out, " world=%" PRIu32, l->data.in_world_space);
        if (verbose) {
            put_floats(out, "diffuse", l->data.diffuse, 4);
            put_floats(out, "specular", l->data.specular, 4);
            put_floats(out, "ambient", l->data.ambient, 4);
            put_floats(out, "position", l->data.position, 4);
            put_floats(out, "direction", l->data.direction, 4);
            fprintf(out, " range=%g falloff=%g attenuation=(%g,%g,%g) theta=%g phi=%g",
                    (double)l->data.range, (double)l->data.falloff, (double)l->data.attenuation0,
                    (double)l->data.attenuation1, (double)l->data.attenuation2,
                    (double)l->data.theta, (double)l->data.phi);
        }
        break;
    }
    case VGT_SVGA3D_CMD_SETLIGHTENABLED:
        fprintf(out, " cid=%" PRIu32 " index=%" PRIu32 " enabled=%" PRIu32,
                c->u.setlightenabled.cid, c->u.setlightenabled.index, c->u.setlightenabled.enabled);
        break;
    case VGT_SVGA3D_CMD_SETVIEWPORT:
        fprintf(out, " cid=%" PRIu32, c->u.setviewport.cid);
        put_rect(out, "rect", &c->u.setviewport.rect);
        break;
    case VGT_SVGA3D_CMD_SETCLIPPLANE:
        fprintf(out, " cid=%" PRIu32 " index=%" PRIu32, c->u.setclipplane.cid,
                c->u.setclipplane.index);
        put_floats(out, "plane", c->u.setclipplane.plane, 4);
        break;
    case VGT_SVGA3D_CMD_CLEAR: {
        static const char *const fl[] = {"COLOR", "DEPTH", "STENCIL"};
        const vgt_svga3d_cmd_clear *k = &c->u.clear;
        fprintf(out, " cid=%" PRIu32, k->cid);
        put_flags(out, "flags", k->clear_flag, fl, 3);
        fprintf(out, " color=0x%08" PRIx32 " depth=%g stencil=%" PRIu32, k->color, (double)k->depth,
                k->stencil);
        put_array(out, "rects", &c->items, verbose, elem_rect);
        break;
    }
    case VGT_SVGA3D_CMD_PRESENT:
        fprintf(out, " sid=%" PRIu32, c->u.present.sid);
        put_array(out, "rects", &c->items, verbose, elem_copy_rect);
        break;
    case VGT_SVGA3D_CMD_SHADER_DEFINE: {
        const vgt_svga3d_cmd_shader_define *s = &c->u.shader_define;
        fprintf(out, " cid=%" PRIu32 " shid=%" PRIu32, s->cid, s->shid);
        put_enum(out, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        put_array(out, "bytecode", &c->items, verbose, elem_word);
        break;
    }
    case VGT_SVGA3D_CMD_SHADER_DESTROY: {
        const vgt_svga3d_cmd_shader_destroy *s = &c->u.shader_destroy;
        fprintf(out, " cid=%" PRIu32 " shid=%" PRIu32, s->cid, s->shid);
        put_enum(out, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        break;
    }
    case VGT_SVGA3D_CMD_SET_SHADER: {
        const vgt_svga3d_cmd_set_shader *s = &c->u.set_shader;
        fprintf(out, " cid=%" PRIu32, s->cid);
        put_enum(out, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        put_id(out, "shid", s->shid);
        break;
    }
    case VGT_SVGA3D_CMD_SET_SHADER_CONST: {
        const vgt_svga3d_cmd_set_shader_const *s = &c->u.set_shader_const;
        fprintf(out, " cid=%" PRIu32 " reg=%" PRIu32, s->cid, s->reg);
        put_enum(out, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        put_enum(out, "ctype", vgt_svga3d_const_type_name(s->ctype), s->ctype);
        fprintf(out, " values=(");
        for (unsigned i = 0; i < 4; i++) {
            if (s->ctype == VGT_SVGA3D_CONST_TYPE_FLOAT) {
                fprintf(out, "%s%g", i ? "," : "", (double)as_float(s->values[i]));
            } else if (s->ctype == VGT_SVGA3D_CONST_TYPE_INT) {
                fprintf(out, "%s%" PRId32, i ? "," : "", (int32_t)s->values[i]);
            } else {
                fprintf(out, "%s%" PRIu32, i ? "," : "", s->values[i]);
            }
        }
        fputc(')', out);
        break;
    }
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        fprintf(out, " cid=%" PRIu32, c->u.draw_primitives.cid);
        put_array(out, "decls", &c->items, verbose, elem_decl);
        put_array(out, "ranges", &c->ranges, verbose || c->ranges.count <= PRINT_INLINE_MAX,
                  elem_range);
        if (c->divisors.count) {
            put_array(out, "divisors", &c->divisors,
                      verbose || c->divisors.count <= PRINT_INLINE_MAX, elem_divisor);
        }
        break;
    case VGT_SVGA3D_CMD_SETSCISSORRECT:
        fprintf(out, " cid=%" PRIu32, c->u.setscissorrect.cid);
        put_rect(out, "rect", &c->u.setscissorrect.rect);
        break;
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
        fprintf(out, " cid=%" PRIu32, c->u.begin_query.cid);
        put_enum(out, "type", vgt_svga3d_query_type_name(c->u.begin_query.type),
                 c->u.begin_query.type);
        break;
    case VGT_SVGA3D_CMD_END_QUERY:
    case VGT_SVGA3D_CMD_WAIT_FOR_QUERY: {
        /* END_QUERY and WAIT_FOR_QUERY share their layout. */
        const vgt_svga3d_cmd_end_query *q = &c->u.end_query;
        fprintf(out, " cid=%" PRIu32, q->cid);
        put_enum(out, "type", vgt_svga3d_query_type_name(q->type), q->type);
        fprintf(out, " result=%" PRIu32 ":%" PRIu32, q->guest_result.gmr_id,
                q->guest_result.offset);
        break;
    }
    case VGT_SVGA3D_CMD_PRESENT_READBACK:
        put_array(out, "rects", &c->items, verbose, elem_rect);
        break;
    case VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN: {
        const vgt_svga3d_cmd_blit_surface_to_screen *b = &c->u.blit_surface_to_screen;
        put_image(out, "src", &b->src_image);
        put_srect(out, "src_rect", &b->src_rect);
        put_id(out, "screen", b->dest_screen_id);
        put_srect(out, "dst_rect", &b->dest_rect);
        put_array(out, "clip_rects", &c->items, verbose, elem_srect);
        break;
    }
    case VGT_SVGA3D_CMD_GENERATE_MIPMAPS:
        fprintf(out, " sid=%" PRIu32, c->u.generate_mipmaps.sid);
        put_enum(out, "filter", vgt_svga3d_texture_filter_name(c->u.generate_mipmaps.filter),
                 c->u.generate_mipmaps.filter);
        break;
    case VGT_SVGA3D_CMD_ACTIVATE_SURFACE:
        fprintf(out, " sid=%" PRIu32, c->u.activate_surface.sid);
        break;
    case VGT_SVGA3D_CMD_DEACTIVATE_SURFACE:
        fprintf(out, " sid=%" PRIu32, c->u.deactivate_surface.sid);
        break;
    default:
        break;
    }
}

vgt_status vgt_cmd_print(FILE *out, const vgt_cmd *cmd, bool verbose)
{
    if (!out || !cmd || !cmd->desc) {
        return VGT_E_INVALID;
    }
    fputs(cmd->desc->name, out);
    if (cmd->desc->flags & VGT_CMD_F_3D) {
        print_3d(out, cmd, verbose);
    } else {
        print_2d(out, cmd, verbose);
    }
    fputc('\n', out);
    return ferror(out) ? VGT_E_IO : VGT_OK;
}

vgt_status vgt_cmd_format(char *buf, size_t size, const vgt_cmd *cmd, bool verbose)
{
    if (!buf || size == 0) {
        return VGT_E_INVALID;
    }
    buf[0] = '\0';
    FILE *f = fmemopen(buf, size, "w");
    if (!f) {
        return VGT_E_NOMEM;
    }
    vgt_status st = vgt_cmd_print(f, cmd, verbose);
    long used = ftell(f);
    fclose(f);
    if (st) {
        return st;
    }
    if (used < 0 || (size_t)used >= size) {
        buf[size - 1] = '\0';
        return VGT_E_RANGE;
    }
    /* drop the newline */
    if (used > 0 && buf[used - 1] == '\n') {
        buf[used - 1] = '\0';
    }
    return VGT_OK;
}
