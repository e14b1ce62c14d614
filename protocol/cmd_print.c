/* cmd_print.c - one decoded command as one line of text,
 * "NAME key=value ...", or as the JSON object of its arguments.  Enums by
 * name, arrays as counts unless verbose.  Both views go through the same
 * put_* helpers and one output context (pr), which writes each key and
 * value either way: a field added or renamed in one view is in the other,
 * so they cannot drift apart.  The text branches write exactly what the
 * printer wrote before the JSON view existed (tests and docs pin it). */
#include "vgt_protocol.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Short arrays (render/texture states, primitive ranges) are printed in full
 * even when not verbose, up to this many entries. */
#define PRINT_INLINE_MAX 8u

/* Deepest nesting of JSON objects and arrays the printer writes (args,
 * an array, its element object, an object inside it), with room to spare. */
#define PR_DEPTH_MAX 8u

/* Where the printer writes and how.  JSON: whether the innermost open
 * object or array has a member yet (the comma before every later one). */
typedef struct pr {
    FILE *out;
    bool json;
    unsigned depth;
    bool has[PR_DEPTH_MAX];
} pr;

static float as_float(uint32_t v)
{
    float f;
    memcpy(&f, &v, sizeof(f));
    return f;
}

/* ---- the output context: keys, values, containers ----------------------- */

/* JSON: the comma before a member that is not its container's first. */
static void sep(pr *p)
{
    if (p->depth && p->has[p->depth - 1]) {
        fputc(',', p->out);
    }
    if (p->depth) {
        p->has[p->depth - 1] = true;
    }
}

/* Starts member `key`: text " key=", JSON "key": */
static void key(pr *p, const char *k)
{
    if (p->json) {
        sep(p);
        vgt_json_string(p->out, k, strlen(k));
        fputc(':', p->out);
    } else {
        fprintf(p->out, " %s=", k);
    }
}

/* JSON containers ('{' or '['); text writes nothing for them. */
static void jopen(pr *p, char c)
{
    fputc(c, p->out);
    if (p->depth < PR_DEPTH_MAX) {
        p->has[p->depth] = false;
    }
    p->depth++;
}

static void jclose(pr *p, char c)
{
    fputc(c, p->out);
    if (p->depth) {
        p->depth--;
    }
}

/* JSON: an array element starts (its comma). */
static void jelem(pr *p)
{
    sep(p);
}

static void jstr(pr *p, const char *s)
{
    vgt_json_string(p->out, s, strlen(s));
}

/* JSON "key":number (the text view writes signed fields in its own formats). */
static void ji(pr *p, const char *k, int32_t v)
{
    key(p, k);
    fprintf(p->out, "%" PRId32, v);
}

/* A float value: text %g, JSON exact (non-finite as a string). */
static void val_float(pr *p, float v)
{
    if (p->json) {
        vgt_json_float(p->out, v);
    } else {
        fprintf(p->out, "%g", (double)v);
    }
}

/* key=<unsigned> in both views. */
static void put_u32(pr *p, const char *k, uint32_t v)
{
    key(p, k);
    fprintf(p->out, "%" PRIu32, v);
}

/* A record of n integer fields (a rect, a box, an image id): JSON
 * {"names[0]":v[0],...}; text the values between the n + 1 strings of
 * `text` (text[i] before v[i], text[n] after the last), so that each
 * record keeps its own text layout ("3/0/0", "0,0:64x64", "(0,0)-(8,8)"). */
static void val_ints(pr *p, unsigned n, const char *const *names, const int64_t *v,
                     const char *const *text)
{
    if (p->json) {
        jopen(p, '{');
        for (unsigned i = 0; i < n; i++) {
            key(p, names[i]);
            fprintf(p->out, "%" PRId64, v[i]);
        }
        jclose(p, '}');
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        fprintf(p->out, "%s%" PRId64, text[i], v[i]);
    }
    fputs(text[n], p->out);
}

/* key=0x<hex> (fmt: the text's format, "0x%08" PRIx32 or "0x%" PRIx32);
 * JSON: the number. */
static void put_hex(pr *p, const char *k, const char *fmt, uint32_t v)
{
    key(p, k);
    fprintf(p->out, p->json ? "%" PRIu32 : fmt, v);
}

static void put_float(pr *p, const char *k, float v)
{
    key(p, k);
    val_float(p, v);
}

/* key=NAME, or key=<number> when the value has no name. */
static void put_enum(pr *p, const char *k, const char *name, uint32_t v)
{
    key(p, k);
    if (name) {
        if (p->json) {
            jstr(p, name);
        } else {
            fputs(name, p->out);
        }
    } else {
        fprintf(p->out, "%" PRIu32, v);
    }
}

/* A pair: text key=A,B (sep ","), JSON {"a":A,"b":B}. */
static void put_pair_u(pr *p, const char *k, const char *ka, uint32_t a, const char *kb, uint32_t b,
                       const char *text_sep)
{
    key(p, k);
    val_ints(p, 2, (const char *const[]){ka, kb}, (const int64_t[]){a, b},
             (const char *const[]){"", text_sep, ""});
}

static void put_pair_i(pr *p, const char *k, const char *ka, int32_t a, const char *kb, int32_t b)
{
    key(p, k);
    val_ints(p, 2, (const char *const[]){ka, kb}, (const int64_t[]){a, b},
             (const char *const[]){"", ",", ""});
}

/* A guest pointer: text key=GMR:OFFSET, JSON {"gmr":G,"offset":O}. */
static void put_gptr(pr *p, const char *k, uint32_t gmr, uint32_t offset)
{
    put_pair_u(p, k, "gmr", gmr, "offset", offset, ":");
}

static void put_image(pr *p, const char *k, const vgt_svga3d_surface_image_id *img)
{
    static const char *const names[] = {"sid", "face", "mipmap"}, *const text[] = {"", "/", "/",
                                                                                   ""};
    key(p, k);
    val_ints(p, 3, names, (const int64_t[]){img->sid, img->face, img->mipmap}, text);
}

/* An id: text "none" for SVGA3D_INVALID_ID, JSON null. */
static void put_id(pr *p, const char *k, uint32_t id)
{
    key(p, k);
    if (id == VGT_SVGA3D_INVALID_ID) {
        fputs(p->json ? "null" : "none", p->out);
    } else {
        fprintf(p->out, "%" PRIu32, id);
    }
}

static void val_srect(pr *p, const vgt_svga_signed_rect *r)
{
    static const char *const names[] = {"left", "top", "right", "bottom"}, *const text[] = {
                                                                               "(", ",", ")-(", ",",
                                                                               ")"};
    val_ints(p, 4, names, (const int64_t[]){r->left, r->top, r->right, r->bottom}, text);
}

static void put_srect(pr *p, const char *k, const vgt_svga_signed_rect *r)
{
    key(p, k);
    val_srect(p, r);
}

static void val_rect(pr *p, const vgt_svga3d_rect *r)
{
    static const char *const names[] = {"x", "y", "w", "h"}, *const text[] = {"", ",", ":", "x",
                                                                              ""};
    val_ints(p, 4, names, (const int64_t[]){r->x, r->y, r->w, r->h}, text);
}

static void put_rect(pr *p, const char *k, const vgt_svga3d_rect *r)
{
    key(p, k);
    val_rect(p, r);
}

/* A box: text X,Y,Z:WxHxD, JSON {"x":..,"y":..,"z":..,"w":..,"h":..,"d":..}. */
static void put_box(pr *p, const char *k, const vgt_svga3d_box *b)
{
    static const char *const names[] = {"x", "y", "z", "w", "h", "d"}, *const text[] = {
                                                                           "",  ",", ",", ":",
                                                                           "x", "x", ""};
    key(p, k);
    val_ints(p, 6, names, (const int64_t[]){b->x, b->y, b->z, b->w, b->h, b->d}, text);
}

/* Floats: text key=(a,b,...), JSON an array. */
static void put_floats(pr *p, const char *k, const float *f, unsigned n)
{
    key(p, k);
    if (p->json) {
        jopen(p, '[');
        for (unsigned i = 0; i < n; i++) {
            jelem(p);
            vgt_json_float(p->out, f[i]);
        }
        jclose(p, ']');
        return;
    }
    fputc('(', p->out);
    for (unsigned i = 0; i < n; i++) {
        fprintf(p->out, "%s%g", i ? "," : "", (double)f[i]);
    }
    fputc(')', p->out);
}

/* Words: text key=[hex hex ...], JSON an array of numbers. */
static void put_words(pr *p, const char *k, const uint32_t *w, uint32_t n)
{
    key(p, k);
    if (p->json) {
        jopen(p, '[');
        for (uint32_t i = 0; i < n; i++) {
            jelem(p);
            fprintf(p->out, "%" PRIu32, w[i]);
        }
        jclose(p, ']');
        return;
    }
    fputc('[', p->out);
    for (uint32_t i = 0; i < n; i++) {
        fprintf(p->out, "%s%08" PRIx32, i ? " " : "", w[i]);
    }
    fputc(']', p->out);
}

/* Flags: text A|B|0x<rest> ("0" for none), JSON an array of the names,
 * then the bits without a name as one number. */
static void put_flags(pr *p, const char *k, uint32_t v, const char *const *names, unsigned nbits)
{
    key(p, k);
    if (p->json) {
        jopen(p, '[');
        for (unsigned b = 0; b < nbits; b++) {
            if ((v & (1u << b)) && names[b]) {
                jelem(p);
                jstr(p, names[b]);
                v &= ~(1u << b);
            }
        }
        if (v) {
            jelem(p);
            fprintf(p->out, "%" PRIu32, v);
        }
        jclose(p, ']');
        return;
    }
    if (v == 0) {
        fputc('0', p->out);
        return;
    }
    bool first = true;
    for (unsigned b = 0; b < nbits; b++) {
        if ((v & (1u << b)) && names[b]) {
            fprintf(p->out, "%s%s", first ? "" : "|", names[b]);
            first = false;
            v &= ~(1u << b);
        }
    }
    if (v) {
        fprintf(p->out, "%s0x%" PRIx32, first ? "" : "|", v);
    }
}

/* A value read as a name (a string in JSON), as hex (a number in JSON) or
 * as a plain number. */
static void val_name(pr *p, const char *s)
{
    if (p->json) {
        jstr(p, s);
    } else {
        fputs(s, p->out);
    }
}

static void val_hex(pr *p, uint32_t v)
{
    fprintf(p->out, p->json ? "%" PRIu32 : "0x%" PRIx32, v);
}

/* A VMware video overlay escape (svga_overlay.h): its type and stream, and
 * for SET_REGS the register count (verbose: each register by name).  False
 * for any other escape, printed as words. */
static bool print_video_escape(pr *p, const vgt_cmd *c, bool verbose)
{
    if (c->u.escape.nsid != VGT_SVGA_ESCAPE_NSID_VMWARE || c->data_bytes < 8u ||
        (c->data[0] & VGT_SVGA_ESCAPE_VMWARE_MAJOR_MASK) != VGT_SVGA_ESCAPE_VMWARE_VIDEO) {
        return false;
    }
    const uint32_t type = c->data[0], stream = c->data[1];
    if (type == VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH) {
        key(p, "video");
        val_name(p, "FLUSH");
        put_u32(p, "stream", stream);
        return true;
    }
    if (type != VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS || (c->data_bytes - 8u) % 8u != 0) {
        put_hex(p, "video", "0x%08" PRIx32, type);
        put_u32(p, "stream", stream);
        return false; /* unknown or malformed: the words too, when verbose */
    }
    const uint32_t n = (c->data_bytes - 8u) / 8u;
    key(p, "video");
    val_name(p, "SET_REGS");
    put_u32(p, "stream", stream);
    if (!verbose) {
        put_u32(p, "regs", n);
        return true;
    }
    key(p, "regs");
    if (p->json) {
        jopen(p, '[');
    } else {
        fputc('[', p->out);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id = c->data[2u + 2u * i], v = c->data[3u + 2u * i];
        if (p->json) {
            jelem(p);
            jopen(p, '{');
            key(p, "reg");
            if (id < VGT_SVGA_VIDEO_NUM_REGS) {
                jstr(p, vgt_svga_video_reg_name(id));
            } else {
                fprintf(p->out, "%" PRIu32, id);
            }
            put_u32(p, "value", v);
            jclose(p, '}');
        } else if (id < VGT_SVGA_VIDEO_NUM_REGS) {
            fprintf(p->out, "%s%s=%" PRIu32, i ? " " : "", vgt_svga_video_reg_name(id), v);
        } else {
            fprintf(p->out, "%s%" PRIu32 "=%" PRIu32, i ? " " : "", id, v);
        }
    }
    if (p->json) {
        jclose(p, ']');
    } else {
        fputc(']', p->out);
    }
    return true;
}

/* How a render state's value reads (vgt_svga3d_render_state_value_format). */
static void put_render_state_value(pr *p, uint32_t state, uint32_t v)
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
        val_float(p, as_float(v));
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
        val_hex(p, v);
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
            char s[64];
            snprintf(s, sizeof(s), "%s/%s", m, f);
            val_name(p, s);
        } else {
            val_hex(p, v);
        }
        return;
    }
    default:
        break;
    }
    if (vn) {
        val_name(p, vn);
    } else {
        fprintf(p->out, "%" PRIu32, v);
    }
}

/* A (state, value) pair: text NAME=value, JSON {"state":NAME,"value":v}
 * (the state's number when it has no name). */
static void put_state_pair(pr *p, const char *name, uint32_t state)
{
    if (p->json) {
        key(p, "state");
        if (name) {
            jstr(p, name);
        } else {
            fprintf(p->out, "%" PRIu32, state);
        }
        key(p, "value");
    } else if (name) {
        fprintf(p->out, "%s=", name);
    } else {
        fprintf(p->out, "%" PRIu32 "=", state);
    }
}

static void put_render_state(pr *p, uint32_t state, uint32_t v)
{
    if (p->json) {
        jopen(p, '{');
    }
    put_state_pair(p, vgt_svga3d_render_state_name(state), state);
    put_render_state_value(p, state, v);
    if (p->json) {
        jclose(p, '}');
    }
}

/* How a texture stage state's value reads
 * (vgt_svga3d_texture_state_value_format). */
static void put_texture_state_value(pr *p, uint32_t state, uint32_t v)
{
    const char *vn = NULL;
    switch (state) {
    case VGT_SVGA3D_TS_BIND_TEXTURE:
        if (v == VGT_SVGA3D_INVALID_ID) {
            fputs(p->json ? "null" : "none", p->out);
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
        char t[48];
        snprintf(t, sizeof(t), "%s%s%s", src[s], (v & VGT_SVGA3D_TM_ALPHA) ? "|ALPHA" : "",
                 (v & VGT_SVGA3D_TM_ONE_MINUS) ? "|ONE_MINUS" : "");
        val_name(p, t);
        return;
    }
    case VGT_SVGA3D_TS_BORDERCOLOR:
        val_hex(p, v);
        return;
    case VGT_SVGA3D_TS_BUMPENVMAT00:
    case VGT_SVGA3D_TS_BUMPENVMAT01:
    case VGT_SVGA3D_TS_BUMPENVMAT10:
    case VGT_SVGA3D_TS_BUMPENVMAT11:
    case VGT_SVGA3D_TS_TEXTURE_LOD_BIAS:
    case VGT_SVGA3D_TS_GAMMA:
    case VGT_SVGA3D_TS_BUMPENVLSCALE:
    case VGT_SVGA3D_TS_BUMPENVLOFFSET:
        val_float(p, as_float(v));
        return;
    default:
        break;
    }
    if (vn) {
        val_name(p, vn);
    } else {
        fprintf(p->out, "%" PRIu32, v);
    }
}

static void put_texture_state(pr *p, const vgt_svga3d_texture_state_entry *e)
{
    if (p->json) {
        jopen(p, '{');
        put_u32(p, "stage", e->stage);
    } else {
        fprintf(p->out, "%" PRIu32 ":", e->stage);
    }
    put_state_pair(p, vgt_svga3d_texture_state_name(e->name), e->name);
    put_texture_state_value(p, e->name, e->value);
    if (p->json) {
        jclose(p, '}');
    }
}

/* Runs put(state, value) as text into buf (always NUL-terminated, cut to fit). */
static void format_value(char *buf, size_t size, void (*put)(pr *, uint32_t, uint32_t),
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
    pr p = {.out = f};
    put(&p, state, value);
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

static void put_copy_box(pr *p, const vgt_svga3d_copy_box *b)
{
    static const char *const names[] = {"x", "y", "z", "w", "h", "d", "srcx", "srcy", "srcz"},
                             *const text[] = {"{dst=", ",",     ",", " size=", "x",
                                              "x",     " src=", ",", ",",      "}"};
    val_ints(p, 9, names,
             (const int64_t[]){b->x, b->y, b->z, b->w, b->h, b->d, b->srcx, b->srcy, b->srcz},
             text);
}

/* Prints `key=count`, or in full `key=[e0 e1 ...]` via put_elem (JSON: the
 * count as a number, or an array). */
typedef void (*put_elem_fn)(pr *p, const vgt_cmd_array *a, uint32_t i);

static void put_array(pr *p, const char *k, const vgt_cmd_array *a, bool full, put_elem_fn put_elem)
{
    key(p, k);
    if (!full) {
        fprintf(p->out, "%" PRIu32, a->count);
        return;
    }
    if (p->json) {
        jopen(p, '[');
    } else {
        fputc('[', p->out);
    }
    for (uint32_t i = 0; i < a->count; i++) {
        if (p->json) {
            jelem(p);
        } else if (i) {
            fputc(' ', p->out);
        }
        put_elem(p, a, i);
    }
    if (p->json) {
        jclose(p, ']');
    } else {
        fputc(']', p->out);
    }
}

/* One shader constant register: (a,b,c,d) or a JSON array, by type. */
static void val_shader_const(pr *p, uint32_t ctype, const uint32_t v[4])
{
    if (p->json) {
        jopen(p, '[');
    } else {
        fputc('(', p->out);
    }
    for (unsigned i = 0; i < 4; i++) {
        if (p->json) {
            jelem(p);
        } else if (i) {
            fputc(',', p->out);
        }
        if (ctype == VGT_SVGA3D_CONST_TYPE_FLOAT) {
            val_float(p, as_float(v[i]));
        } else if (ctype == VGT_SVGA3D_CONST_TYPE_INT) {
            fprintf(p->out, "%" PRId32, (int32_t)v[i]);
        } else {
            fprintf(p->out, "%" PRIu32, v[i]);
        }
    }
    if (p->json) {
        jclose(p, ']');
    } else {
        fputc(')', p->out);
    }
}

static void elem_copy_box(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_copy_box b;
    vgt_cmd_array_get(a, i, &b);
    put_copy_box(p, &b);
}

static void val_size(pr *p, const vgt_svga3d_size *s)
{
    static const char *const names[] = {"width", "height", "depth"}, *const text[] = {"", "x", "x",
                                                                                      ""};
    val_ints(p, 3, names, (const int64_t[]){s->width, s->height, s->depth}, text);
}

static void elem_size(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_size s;
    vgt_cmd_array_get(a, i, &s);
    val_size(p, &s);
}

static void elem_rect(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_rect r;
    vgt_cmd_array_get(a, i, &r);
    val_rect(p, &r);
}

static void elem_copy_rect(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_copy_rect r;
    vgt_cmd_array_get(a, i, &r);
    static const char *const names[] = {"x", "y", "w", "h", "srcx", "srcy"}, *const text[] = {
                                                                                 "{dst=", ",",
                                                                                 ":",     "x",
                                                                                 " src=", ",",
                                                                                 "}"};
    val_ints(p, 6, names, (const int64_t[]){r.x, r.y, r.w, r.h, r.srcx, r.srcy}, text);
}

static void elem_srect(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga_signed_rect r;
    vgt_cmd_array_get(a, i, &r);
    val_srect(p, &r);
}

static void elem_render_state(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_render_state_pair rs;
    vgt_cmd_array_get(a, i, &rs);
    put_render_state(p, rs.state, rs.value);
}

static void elem_texture_state(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_texture_state_entry e;
    vgt_cmd_array_get(a, i, &e);
    put_texture_state(p, &e);
}

/* JSON "key":NAME, or the number when it has no name (the text's "?"). */
static void jname(pr *p, const char *k, const char *name, uint32_t v)
{
    key(p, k);
    if (name) {
        jstr(p, name);
    } else {
        fprintf(p->out, "%" PRIu32, v);
    }
}

static void elem_decl(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_vertex_decl d;
    vgt_cmd_array_get(a, i, &d);
    const char *t = vgt_svga3d_decl_type_name(d.type);
    const char *u = vgt_svga3d_decl_usage_name(d.usage);
    if (p->json) {
        jopen(p, '{');
        jname(p, "usage", u, d.usage);
        put_u32(p, "usage_index", d.usage_index);
        jname(p, "decl_type", t, d.type);
        put_u32(p, "sid", d.array.surface_id);
        put_u32(p, "offset", d.array.offset);
        put_u32(p, "stride", d.array.stride);
    } else {
        fprintf(p->out, "{%s%" PRIu32 " %s sid=%" PRIu32 " offset=%" PRIu32 " stride=%" PRIu32,
                u ? u : "?", d.usage_index, t ? t : "?", d.array.surface_id, d.array.offset,
                d.array.stride);
    }
    if (d.method != VGT_SVGA3D_DECLMETHOD_DEFAULT) {
        const char *m = vgt_svga3d_decl_method_name(d.method);
        if (p->json) {
            jname(p, "method", m, d.method);
        } else {
            fprintf(p->out, " method=%s", m ? m : "?");
        }
    }
    if (d.range_first || d.range_last) {
        if (p->json) {
            put_pair_u(p, "hint", "first", d.range_first, "last", d.range_last, "..");
        } else {
            fprintf(p->out, " hint=%" PRIu32 "..%" PRIu32, d.range_first, d.range_last);
        }
    }
    if (p->json) {
        jclose(p, '}');
    } else {
        fputc('}', p->out);
    }
}

static void elem_range(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    vgt_svga3d_primitive_range r;
    vgt_cmd_array_get(a, i, &r);
    const char *t = vgt_svga3d_primitive_type_name(r.prim_type);
    if (p->json) {
        jopen(p, '{');
        jname(p, "prim", t, r.prim_type);
        put_u32(p, "count", r.primitive_count);
        if (r.index_array.surface_id != VGT_SVGA3D_INVALID_ID) {
            key(p, "index");
            jopen(p, '{');
            put_u32(p, "sid", r.index_array.surface_id);
            put_u32(p, "offset", r.index_array.offset);
            put_u32(p, "stride", r.index_array.stride);
            put_u32(p, "width", r.index_width);
            jclose(p, '}');
        }
        if (r.index_bias) {
            ji(p, "bias", r.index_bias);
        }
        jclose(p, '}');
        return;
    }
    fprintf(p->out, "{%s count=%" PRIu32, t ? t : "?", r.primitive_count);
    if (r.index_array.surface_id != VGT_SVGA3D_INVALID_ID) {
        fprintf(
            p->out, " index=sid:%" PRIu32 " offset=%" PRIu32 " stride=%" PRIu32 " width=%" PRIu32,
            r.index_array.surface_id, r.index_array.offset, r.index_array.stride, r.index_width);
    }
    if (r.index_bias) {
        fprintf(p->out, " bias=%" PRId32, r.index_bias);
    }
    fputc('}', p->out);
}

static void elem_word(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    fprintf(p->out, p->json ? "%" PRIu32 : "%08" PRIx32, a->words[i * a->elem_words]);
}

/* A vertex divisor word as Direct3D 9's stream frequency reads:
 * "indexed:N" (the geometry, drawn N times), "instance:K" (advances every K
 * instances), "vertex:K" (a count without either flag: the vertex stream
 * frequency, read every K vertices in a non-indexed vs_3_0 draw), "0"
 * (none), and the raw word for both flags at once (refused).  JSON: the
 * same text as a string. */
static void elem_divisor(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    uint32_t v = a->words[i * a->elem_words];
    uint32_t flags = v & (VGT_SVGA3D_DIVISOR_INDEXED_DATA | VGT_SVGA3D_DIVISOR_INSTANCE_DATA);
    char s[32];
    if (flags == VGT_SVGA3D_DIVISOR_INDEXED_DATA) {
        snprintf(s, sizeof(s), "indexed:%" PRIu32, VGT_SVGA3D_DIVISOR_COUNT(v));
    } else if (flags == VGT_SVGA3D_DIVISOR_INSTANCE_DATA) {
        snprintf(s, sizeof(s), "instance:%" PRIu32, VGT_SVGA3D_DIVISOR_COUNT(v));
    } else if (v == 0) {
        snprintf(s, sizeof(s), "0");
    } else if (flags == 0) {
        snprintf(s, sizeof(s), "vertex:%" PRIu32, v);
    } else {
        snprintf(s, sizeof(s), "0x%08" PRIx32, v);
    }
    val_name(p, s);
}

static void elem_ppn64(pr *p, const vgt_cmd_array *a, uint32_t i)
{
    uint64_t v = (uint64_t)a->words[i * 2] | ((uint64_t)a->words[i * 2 + 1] << 32);
    fprintf(p->out, p->json ? "%" PRIu64 : "%" PRIx64, v);
}

static void print_2d(pr *p, const vgt_cmd *c, bool verbose)
{
    switch (c->id) {
    case VGT_SVGA_CMD_UPDATE: {
        const vgt_svga_cmd_update *u = &c->u.update;
        put_u32(p, "x", u->x);
        put_u32(p, "y", u->y);
        put_u32(p, "w", u->width);
        put_u32(p, "h", u->height);
        break;
    }
    case VGT_SVGA_CMD_RECT_COPY: {
        const vgt_svga_cmd_rect_copy *r = &c->u.rect_copy;
        put_pair_u(p, "src", "x", r->src_x, "y", r->src_y, ",");
        put_pair_u(p, "dst", "x", r->dest_x, "y", r->dest_y, ",");
        put_u32(p, "w", r->width);
        put_u32(p, "h", r->height);
        break;
    }
    case VGT_SVGA_CMD_DEFINE_CURSOR: {
        const vgt_svga_cmd_define_cursor *d = &c->u.define_cursor;
        put_pair_u(p, "hotspot", "x", d->hotspot_x, "y", d->hotspot_y, ",");
        put_pair_u(p, "size", "w", d->width, "h", d->height, "x");
        put_u32(p, "and_depth", d->and_mask_depth);
        put_u32(p, "xor_depth", d->xor_mask_depth);
        if (verbose) {
            put_words(p, "and_mask", c->and_mask, c->and_mask_words);
            put_words(p, "xor_mask", c->xor_mask, c->xor_mask_words);
        } else {
            put_pair_u(p, "mask_words", "and", c->and_mask_words, "xor", c->xor_mask_words, "+");
        }
        break;
    }
    case VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR: {
        const vgt_svga_cmd_define_alpha_cursor *d = &c->u.define_alpha_cursor;
        put_pair_u(p, "hotspot", "x", d->hotspot_x, "y", d->hotspot_y, ",");
        put_pair_u(p, "size", "w", d->width, "h", d->height, "x");
        if (verbose) {
            put_words(p, "pixels", c->data, c->data_words);
        }
        break;
    }
    case VGT_SVGA_CMD_UPDATE_VERBOSE: {
        const vgt_svga_cmd_update_verbose *u = &c->u.update_verbose;
        put_u32(p, "x", u->x);
        put_u32(p, "y", u->y);
        put_u32(p, "w", u->width);
        put_u32(p, "h", u->height);
        put_hex(p, "reason", "0x%" PRIx32, u->reason);
        break;
    }
    case VGT_SVGA_CMD_FRONT_ROP_FILL: {
        const vgt_svga_cmd_front_rop_fill *f = &c->u.front_rop_fill;
        put_hex(p, "color", "0x%08" PRIx32, f->color);
        put_u32(p, "x", f->x);
        put_u32(p, "y", f->y);
        put_u32(p, "w", f->width);
        put_u32(p, "h", f->height);
        key(p, "rop");
        val_name(p, "COPY");
        break;
    }
    case VGT_SVGA_CMD_FENCE:
        put_u32(p, "fence", c->u.fence.fence);
        break;
    case VGT_SVGA_CMD_ESCAPE:
        put_hex(p, "nsid", "0x%" PRIx32, c->u.escape.nsid);
        put_u32(p, "size", c->u.escape.size);
        if (print_video_escape(p, c, verbose)) {
            break;
        }
        if (verbose) {
            put_words(p, "data", c->data, c->data_words);
        }
        break;
    case VGT_SVGA_CMD_DEFINE_SCREEN: {
        static const char *const fl[] = {"MUST_BE_SET", "IS_PRIMARY", "FULLSCREEN_HINT",
                                         "DEACTIVATE", "BLANKING"};
        const vgt_svga_screen_object *s = &c->u.define_screen;
        put_u32(p, "id", s->id);
        put_flags(p, "flags", s->flags, fl, 5);
        put_pair_u(p, "size", "w", s->width, "h", s->height, "x");
        put_pair_i(p, "root", "x", s->root_x, "y", s->root_y);
        if (s->struct_size > VGT_SVGA_SCREEN_OBJECT_V1_BYTES) {
            put_gptr(p, "backing", s->backing_store.ptr.gmr_id, s->backing_store.ptr.offset);
            put_u32(p, "pitch", s->backing_store.pitch);
        }
        if (s->struct_size >= VGT_SVGA_SCREEN_OBJECT_V2_BYTES) {
            put_u32(p, "clone_count", s->clone_count);
        }
        put_u32(p, "struct_size", s->struct_size);
        break;
    }
    case VGT_SVGA_CMD_DESTROY_SCREEN:
        put_u32(p, "id", c->u.destroy_screen.screen_id);
        break;
    case VGT_SVGA_CMD_DEFINE_GMRFB: {
        const vgt_svga_cmd_define_gmrfb *g = &c->u.define_gmrfb;
        put_gptr(p, "ptr", g->ptr.gmr_id, g->ptr.offset);
        put_u32(p, "bytes_per_line", g->bytes_per_line);
        put_pair_u(p, "format", "bpp", VGT_SVGA_GMRFB_BPP(g->format), "depth",
                   VGT_SVGA_GMRFB_DEPTH(g->format), "/");
        break;
    }
    case VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN: {
        const vgt_svga_cmd_blit_gmrfb_to_screen *b = &c->u.blit_gmrfb_to_screen;
        put_pair_i(p, "src", "x", b->src_origin.x, "y", b->src_origin.y);
        put_srect(p, "dst", &b->dest_rect);
        put_id(p, "screen", b->dest_screen_id);
        break;
    }
    case VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB: {
        const vgt_svga_cmd_blit_screen_to_gmrfb *b = &c->u.blit_screen_to_gmrfb;
        put_pair_i(p, "dst", "x", b->dest_origin.x, "y", b->dest_origin.y);
        put_srect(p, "src", &b->src_rect);
        put_id(p, "screen", b->src_screen_id);
        break;
    }
    case VGT_SVGA_CMD_ANNOTATION_FILL:
        put_hex(p, "color", "0x%08" PRIx32, c->u.annotation_fill.color);
        break;
    case VGT_SVGA_CMD_ANNOTATION_COPY: {
        const vgt_svga_cmd_annotation_copy *a = &c->u.annotation_copy;
        put_pair_i(p, "src", "x", a->src_origin.x, "y", a->src_origin.y);
        put_id(p, "screen", a->src_screen_id);
        break;
    }
    case VGT_SVGA_CMD_DEFINE_GMR2:
        put_u32(p, "gmr", c->u.define_gmr2.gmr_id);
        put_u32(p, "pages", c->u.define_gmr2.num_pages);
        break;
    case VGT_SVGA_CMD_REMAP_GMR2: {
        static const char *const fl[] = {"VIA_GMR", "PPN64", "SINGLE_PPN"};
        const vgt_svga_cmd_remap_gmr2 *r = &c->u.remap_gmr2;
        put_u32(p, "gmr", r->gmr_id);
        put_flags(p, "flags", r->flags, fl, 3);
        put_u32(p, "offset_pages", r->offset_pages);
        put_u32(p, "num_pages", r->num_pages);
        if (r->flags & VGT_SVGA_REMAP_GMR2_VIA_GMR) {
            vgt_svga_guest_ptr gp;
            vgt_cmd_array_get(&c->items, 0, &gp);
            put_gptr(p, "via", gp.gmr_id, gp.offset);
        } else {
            put_array(p, "ppns", &c->items, verbose,
                      c->items.elem_words == 2 ? elem_ppn64 : elem_word);
        }
        break;
    }
    default:
        break;
    }
}

static void print_surface_define(pr *p, const vgt_cmd *c, bool verbose)
{
    const char *fl[11];
    for (uint32_t b = 0; b < 11; b++) {
        fl[b] = vgt_svga3d_surface_flag_name(b);
    }
    /* V1 and V2 share their first 9 words. */
    const vgt_svga3d_cmd_surface_define *s = &c->u.surface_define;
    put_u32(p, "sid", s->sid);
    put_flags(p, "flags", s->surface_flags, fl, 11);
    put_enum(p, "format", vgt_svga3d_format_name(s->format), s->format);
    key(p, "mips");
    if (p->json) {
        jopen(p, '[');
    }
    for (unsigned f = 0; f < VGT_SVGA3D_MAX_SURFACE_FACES; f++) {
        if (p->json) {
            jelem(p);
        }
        fprintf(p->out, "%s%" PRIu32, f && !p->json ? "," : "", s->face_mip_levels[f]);
    }
    if (p->json) {
        jclose(p, ']');
    }
    if (c->id == VGT_SVGA3D_CMD_SURFACE_DEFINE_V2) {
        put_u32(p, "multisample", c->u.surface_define_v2.multisample_count);
        put_enum(p, "autogen_filter",
                 vgt_svga3d_texture_filter_name(c->u.surface_define_v2.autogen_filter),
                 c->u.surface_define_v2.autogen_filter);
    }
    if (!verbose && c->items.count > 0) {
        /* the base level's size is what a reader wants to see */
        vgt_svga3d_size sz;
        vgt_cmd_array_get(&c->items, 0, &sz);
        key(p, "size");
        val_size(p, &sz);
    }
    put_array(p, "sizes", &c->items, verbose, elem_size);
}

static void print_3d(pr *p, const vgt_cmd *c, bool verbose)
{
    switch (c->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        print_surface_define(p, c, verbose);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        put_u32(p, "sid", c->u.surface_destroy.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_COPY:
        put_image(p, "src", &c->u.surface_copy.src);
        put_image(p, "dst", &c->u.surface_copy.dest);
        put_array(p, "boxes", &c->items, verbose, elem_copy_box);
        break;
    case VGT_SVGA3D_CMD_SURFACE_STRETCHBLT: {
        const vgt_svga3d_cmd_surface_stretchblt *s = &c->u.surface_stretchblt;
        put_image(p, "src", &s->src);
        put_image(p, "dst", &s->dest);
        put_box(p, "src_box", &s->box_src);
        put_box(p, "dst_box", &s->box_dest);
        put_enum(p, "mode", vgt_svga3d_stretch_mode_name(s->mode), s->mode);
        break;
    }
    case VGT_SVGA3D_CMD_SURFACE_DMA: {
        const vgt_svga3d_cmd_surface_dma *d = &c->u.surface_dma;
        put_gptr(p, "guest", d->guest.ptr.gmr_id, d->guest.ptr.offset);
        put_u32(p, "pitch", d->guest.pitch);
        put_image(p, "host", &d->host);
        put_enum(p, "transfer", vgt_svga3d_transfer_type_name(d->transfer), d->transfer);
        put_array(p, "boxes", &c->items, verbose, elem_copy_box);
        if (c->has_dma_suffix) {
            static const char *const fl[] = {"DISCARD", "UNSYNCHRONIZED"};
            put_u32(p, "max_offset", c->dma_suffix.maximum_offset);
            put_flags(p, "dma_flags", c->dma_suffix.flags, fl, 2);
        }
        break;
    }
    case VGT_SVGA3D_CMD_CONTEXT_DEFINE:
        put_u32(p, "cid", c->u.context_define.cid);
        break;
    case VGT_SVGA3D_CMD_CONTEXT_DESTROY:
        put_u32(p, "cid", c->u.context_destroy.cid);
        break;
    case VGT_SVGA3D_CMD_SETTRANSFORM:
        put_u32(p, "cid", c->u.settransform.cid);
        put_enum(p, "type", vgt_svga3d_transform_type_name(c->u.settransform.type),
                 c->u.settransform.type);
        if (verbose) {
            put_floats(p, "matrix", c->u.settransform.matrix, 16);
        }
        break;
    case VGT_SVGA3D_CMD_SETZRANGE:
        put_u32(p, "cid", c->u.setzrange.cid);
        put_float(p, "min", c->u.setzrange.zrange.min);
        put_float(p, "max", c->u.setzrange.zrange.max);
        break;
    case VGT_SVGA3D_CMD_SETRENDERSTATE:
        put_u32(p, "cid", c->u.setrenderstate.cid);
        put_array(p, "states", &c->items, verbose || c->items.count <= PRINT_INLINE_MAX,
                  elem_render_state);
        break;
    case VGT_SVGA3D_CMD_SETRENDERTARGET: {
        const vgt_svga3d_cmd_setrendertarget *r = &c->u.setrendertarget;
        put_u32(p, "cid", r->cid);
        put_enum(p, "type", vgt_svga3d_rt_type_name(r->type), r->type);
        if (r->target.sid == VGT_SVGA3D_INVALID_ID) {
            put_id(p, "target", r->target.sid);
        } else {
            put_image(p, "target", &r->target);
        }
        break;
    }
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        put_u32(p, "cid", c->u.settexturestate.cid);
        put_array(p, "states", &c->items, verbose || c->items.count <= PRINT_INLINE_MAX,
                  elem_texture_state);
        break;
    case VGT_SVGA3D_CMD_SETMATERIAL: {
        const vgt_svga3d_cmd_setmaterial *m = &c->u.setmaterial;
        put_u32(p, "cid", m->cid);
        put_enum(p, "face", vgt_svga3d_face_name(m->face), m->face);
        if (verbose) {
            put_floats(p, "diffuse", m->material.diffuse, 4);
            put_floats(p, "ambient", m->material.ambient, 4);
            put_floats(p, "specular", m->material.specular, 4);
            put_floats(p, "emissive", m->material.emissive, 4);
        }
        put_float(p, "shininess", m->material.shininess);
        break;
    }
    case VGT_SVGA3D_CMD_SETLIGHTDATA: {
        const vgt_svga3d_cmd_setlightdata *l = &c->u.setlightdata;
        put_u32(p, "cid", l->cid);
        put_u32(p, "index", l->index);
        put_enum(p, "type", vgt_svga3d_light_type_name(l->data.type), l->data.type);
        put_u32(p, "world", l->data.in_world_space);
        if (verbose) {
            const float att[3] = {l->data.attenuation0, l->data.attenuation1, l->data.attenuation2};
            put_floats(p, "diffuse", l->data.diffuse, 4);
            put_floats(p, "specular", l->data.specular, 4);
            put_floats(p, "ambient", l->data.ambient, 4);
            put_floats(p, "position", l->data.position, 4);
            put_floats(p, "direction", l->data.direction, 4);
            put_float(p, "range", l->data.range);
            put_float(p, "falloff", l->data.falloff);
            put_floats(p, "attenuation", att, 3);
            put_float(p, "theta", l->data.theta);
            put_float(p, "phi", l->data.phi);
        }
        break;
    }
    case VGT_SVGA3D_CMD_SETLIGHTENABLED:
        put_u32(p, "cid", c->u.setlightenabled.cid);
        put_u32(p, "index", c->u.setlightenabled.index);
        put_u32(p, "enabled", c->u.setlightenabled.enabled);
        break;
    case VGT_SVGA3D_CMD_SETVIEWPORT:
        put_u32(p, "cid", c->u.setviewport.cid);
        put_rect(p, "rect", &c->u.setviewport.rect);
        break;
    case VGT_SVGA3D_CMD_SETCLIPPLANE:
        put_u32(p, "cid", c->u.setclipplane.cid);
        put_u32(p, "index", c->u.setclipplane.index);
        put_floats(p, "plane", c->u.setclipplane.plane, 4);
        break;
    case VGT_SVGA3D_CMD_CLEAR: {
        static const char *const fl[] = {"COLOR", "DEPTH", "STENCIL"};
        const vgt_svga3d_cmd_clear *k = &c->u.clear;
        put_u32(p, "cid", k->cid);
        put_flags(p, "flags", k->clear_flag, fl, 3);
        put_hex(p, "color", "0x%08" PRIx32, k->color);
        put_float(p, "depth", k->depth);
        put_u32(p, "stencil", k->stencil);
        put_array(p, "rects", &c->items, verbose, elem_rect);
        break;
    }
    case VGT_SVGA3D_CMD_PRESENT:
        put_u32(p, "sid", c->u.present.sid);
        put_array(p, "rects", &c->items, verbose, elem_copy_rect);
        break;
    case VGT_SVGA3D_CMD_SHADER_DEFINE: {
        const vgt_svga3d_cmd_shader_define *s = &c->u.shader_define;
        put_u32(p, "cid", s->cid);
        put_u32(p, "shid", s->shid);
        put_enum(p, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        put_array(p, "bytecode", &c->items, verbose, elem_word);
        break;
    }
    case VGT_SVGA3D_CMD_SHADER_DESTROY: {
        const vgt_svga3d_cmd_shader_destroy *s = &c->u.shader_destroy;
        put_u32(p, "cid", s->cid);
        put_u32(p, "shid", s->shid);
        put_enum(p, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        break;
    }
    case VGT_SVGA3D_CMD_SET_SHADER: {
        const vgt_svga3d_cmd_set_shader *s = &c->u.set_shader;
        put_u32(p, "cid", s->cid);
        put_enum(p, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        put_id(p, "shid", s->shid);
        break;
    }
    case VGT_SVGA3D_CMD_SET_SHADER_CONST: {
        const vgt_svga3d_cmd_set_shader_const *s = &c->u.set_shader_const;
        put_u32(p, "cid", s->cid);
        put_u32(p, "reg", s->reg);
        put_enum(p, "type", vgt_svga3d_shader_type_name(s->type), s->type);
        put_enum(p, "ctype", vgt_svga3d_const_type_name(s->ctype), s->ctype);
        key(p, "values");
        val_shader_const(p, s->ctype, s->values);
        /* The registers after reg, when the command carries a run. */
        if (c->items.count) {
            key(p, "more");
            if (!verbose && c->items.count > PRINT_INLINE_MAX) {
                fprintf(p->out, "%" PRIu32, c->items.count);
                break;
            }
            if (p->json) {
                jopen(p, '[');
            } else {
                fputc('[', p->out);
            }
            for (uint32_t i = 0; i < c->items.count; i++) {
                uint32_t v[4];
                vgt_cmd_array_get(&c->items, i, v);
                if (p->json) {
                    jelem(p);
                } else if (i) {
                    fputc(' ', p->out);
                }
                val_shader_const(p, s->ctype, v);
            }
            if (p->json) {
                jclose(p, ']');
            } else {
                fputc(']', p->out);
            }
        }
        break;
    }
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        put_u32(p, "cid", c->u.draw_primitives.cid);
        put_array(p, "decls", &c->items, verbose, elem_decl);
        put_array(p, "ranges", &c->ranges, verbose || c->ranges.count <= PRINT_INLINE_MAX,
                  elem_range);
        if (c->divisors.count) {
            put_array(p, "divisors", &c->divisors, verbose || c->divisors.count <= PRINT_INLINE_MAX,
                      elem_divisor);
        }
        break;
    case VGT_SVGA3D_CMD_SETSCISSORRECT:
        put_u32(p, "cid", c->u.setscissorrect.cid);
        put_rect(p, "rect", &c->u.setscissorrect.rect);
        break;
    case VGT_SVGA3D_CMD_BEGIN_QUERY:
        put_u32(p, "cid", c->u.begin_query.cid);
        put_enum(p, "type", vgt_svga3d_query_type_name(c->u.begin_query.type),
                 c->u.begin_query.type);
        break;
    case VGT_SVGA3D_CMD_END_QUERY:
    case VGT_SVGA3D_CMD_WAIT_FOR_QUERY: {
        /* END_QUERY and WAIT_FOR_QUERY share their layout. */
        const vgt_svga3d_cmd_end_query *q = &c->u.end_query;
        put_u32(p, "cid", q->cid);
        put_enum(p, "type", vgt_svga3d_query_type_name(q->type), q->type);
        put_gptr(p, "result", q->guest_result.gmr_id, q->guest_result.offset);
        break;
    }
    case VGT_SVGA3D_CMD_PRESENT_READBACK:
        put_array(p, "rects", &c->items, verbose, elem_rect);
        break;
    case VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN: {
        const vgt_svga3d_cmd_blit_surface_to_screen *b = &c->u.blit_surface_to_screen;
        put_image(p, "src", &b->src_image);
        put_srect(p, "src_rect", &b->src_rect);
        put_id(p, "screen", b->dest_screen_id);
        put_srect(p, "dst_rect", &b->dest_rect);
        put_array(p, "clip_rects", &c->items, verbose, elem_srect);
        break;
    }
    case VGT_SVGA3D_CMD_GENERATE_MIPMAPS:
        put_u32(p, "sid", c->u.generate_mipmaps.sid);
        put_enum(p, "filter", vgt_svga3d_texture_filter_name(c->u.generate_mipmaps.filter),
                 c->u.generate_mipmaps.filter);
        break;
    case VGT_SVGA3D_CMD_ACTIVATE_SURFACE:
        put_u32(p, "sid", c->u.activate_surface.sid);
        break;
    case VGT_SVGA3D_CMD_DEACTIVATE_SURFACE:
        put_u32(p, "sid", c->u.deactivate_surface.sid);
        break;
    default:
        break;
    }
}

static void print_args(pr *p, const vgt_cmd *cmd, bool verbose)
{
    if (cmd->desc->flags & VGT_CMD_F_3D) {
        print_3d(p, cmd, verbose);
    } else {
        print_2d(p, cmd, verbose);
    }
}

vgt_status vgt_cmd_print(FILE *out, const vgt_cmd *cmd, bool verbose)
{
    if (!out || !cmd || !cmd->desc) {
        return VGT_E_INVALID;
    }
    pr p = {.out = out};
    fputs(cmd->desc->name, out);
    print_args(&p, cmd, verbose);
    fputc('\n', out);
    return ferror(out) ? VGT_E_IO : VGT_OK;
}

vgt_status vgt_cmd_print_json(FILE *out, const vgt_cmd *cmd, bool verbose)
{
    if (!out || !cmd || !cmd->desc) {
        return VGT_E_INVALID;
    }
    pr p = {.out = out, .json = true};
    jopen(&p, '{');
    print_args(&p, cmd, verbose);
    jclose(&p, '}');
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
