/* vgt pixel TRACE --frame F --at X,Y: the history of one pixel in one frame
 * (vgt_pixel_history_run, replay/pixel_history.c): which commands changed
 * it, and to what, as RenderDoc's pixel history answers "what drew this?". */
#include "vgt_cli.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    printf("usage: vgt pixel TRACE --frame F --at X,Y [--surface SID[/FACE/MIP] | --display]\n"
           "                 [--backend soft|gl] [--json] [--salvage]\n\n"
           "The history of one pixel in guest frame F: the trace is replayed to F (the\n"
           "frames before state-only) and the pixel is read back after every command of\n"
           "F; each command after which it differs is listed with the value before and\n"
           "after (the colour as 0xAARRGGBB and the texel's bytes as the guest would read\n"
           "them back).  Following a surface, each draw's fragments at the\n"
           "pixel are listed under it (primitive, colour before blending: a pixel\n"
           "shader's oCn when the surface is its colour target n, depth or oDepth, the\n"
           "clipping, culling or test that rejected it, texkill, or the value written;\n"
           "on a draw's depth/stencil surface the depth and stencil each tested and\n"
           "left, no colour), each CLEAR that covers it (the value cleared), and a draw\n"
           "that touched the pixel without changing it is listed too.  gl finds the\n"
           "same by occlusion queries, less texkill's fragments (docs/gl.md).\n\n"
           "  --frame F        the guest frame (vgt info lists them)\n"
           "  --at X,Y         the pixel, in the image followed\n"
           "  --surface SID    follow surface SID's image (FACE/MIP: a cube face, a mip\n"
           "                   level; default 0/0).  Default: the surface the frame's last\n"
           "                   PRESENT or BLIT_SURFACE_TO_SCREEN shows\n"
           "  --display        follow the composed display instead (what the host shows:\n"
           "                   2D commands, 3D output, overlays, the cursor)\n"
           "  --backend B      soft or gl (default: the one the trace was captured with;\n"
           "                   null keeps no pixels: refused for a surface)\n"
           "  --json           the history as JSON\n"
           "  --salvage        skip damaged chunks (reported) instead of stopping\n\n"
           "Exit: 0 ok, 1 usage (or a backend this build lacks), 2 bad trace, no such\n"
           "frame, a frame that shows no 3D surface (name one, or --display).\n");
    return VGT_EXIT_OK;
}

static const vgt_cli_value_option pixel_value_options[] = {
    {"--frame", "a guest frame number"},
    {"--at", "X,Y"},
    {"--surface", "SID or SID/FACE/MIP"},
    {"--backend", "soft, gl or null"},
};

/* "X,Y" (or SID/FACE/MIP with sep '/'): n unsigned 32-bit numbers. */
static bool parse_numbers(const char *s, char sep, uint32_t *out, int n)
{
    for (int i = 0; i < n; i++) {
        char *end;
        if (*s < '0' || *s > '9') {
            return false;
        }
        unsigned long long v = strtoull(s, &end, 10);
        if (v > UINT32_MAX || (i + 1 < n ? *end != sep : *end != '\0')) {
            return false;
        }
        out[i] = (uint32_t)v;
        s = end + 1;
    }
    return true;
}

static void text_value(const vgt_pixel_value *v, char *buf, size_t size)
{
    if (v->state == VGT_PIXEL_NO_IMAGE) {
        snprintf(buf, size, "(no image)");
        return;
    }
    if (v->state == VGT_PIXEL_OUTSIDE) {
        snprintf(buf, size, "(outside the image)");
        return;
    }
    int n = v->has_argb    ? snprintf(buf, size, "argb %08" PRIx32, v->argb)
            : v->has_depth ? snprintf(buf, size, "depth %.6f", v->depth)
                           : snprintf(buf, size, "argb -");
    if (v->has_stencil && n > 0 && (size_t)n < size) {
        n += snprintf(buf + n, size - (size_t)n, " stencil %" PRIu32, v->stencil);
    }
    for (uint32_t i = 0; i < v->raw_size && n > 0 && (size_t)n < size; i++) {
        n += snprintf(buf + n, size - (size_t)n, i ? " %02x" : "  bytes %02x", v->raw[i]);
    }
}

static void json_value(const vgt_pixel_value *v)
{
    static const char *states[] = {"no image", "outside", "value"};
    printf("{\"state\": \"%s\"", states[v->state]);
    if (v->state == VGT_PIXEL_VALUE) {
        if (v->has_argb) {
            printf(", \"argb\": \"%08" PRIx32 "\"", v->argb);
        }
        if (v->raw_size) {
            printf(", \"bytes\": \"");
            for (uint32_t i = 0; i < v->raw_size; i++) {
                printf("%02x", v->raw[i]);
            }
            printf("\"");
        }
        if (v->has_depth) {
            printf(", \"depth\": %.9g", v->depth);
        }
        if (v->has_stencil) {
            printf(", \"stencil\": %" PRIu32, v->stencil);
        }
    }
    printf("}");
}

static const char *fate_name(uint32_t fate)
{
    static const char *names[] = {"written",      "scissor",          "alpha test",
                                  "stencil test", "depth test",       "write mask",
                                  "texkill",      "culled back face", "culled front face",
                                  "cleared",      "passed",           "clipped"};
    return fate < sizeof(names) / sizeof(names[0]) ? names[fate] : "?";
}

/* Culled or clipped: never rasterized, nothing but the fate is known. */
static bool unrasterized(uint32_t fate)
{
    return fate == VGT_BACKEND_FATE_CULLED_BACK || fate == VGT_BACKEND_FATE_CULLED_FRONT ||
           fate == VGT_BACKEND_FATE_CLIPPED;
}

/* The clipping planes a fragment can name (VGT_BACKEND_CLIP_*), near and
 * far first: the JSON name and the text's. */
static const struct {
    uint32_t bit;
    const char *json, *text;
} clip_planes[] = {
    {VGT_BACKEND_CLIP_NEAR, "near", "the near plane"},
    {VGT_BACKEND_CLIP_FAR, "far", "the far plane"},
    {VGT_BACKEND_CLIP_PLANE(0), "plane0", "user plane 0"},
    {VGT_BACKEND_CLIP_PLANE(1), "plane1", "user plane 1"},
    {VGT_BACKEND_CLIP_PLANE(2), "plane2", "user plane 2"},
    {VGT_BACKEND_CLIP_PLANE(3), "plane3", "user plane 3"},
    {VGT_BACKEND_CLIP_PLANE(4), "plane4", "user plane 4"},
    {VGT_BACKEND_CLIP_PLANE(5), "plane5", "user plane 5"},
};

/* The indexes into clip_planes[] of the planes set in `planes`, in its
 * order; the count is returned. */
static uint32_t clip_plane_list(uint32_t planes, uint32_t out[8])
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < sizeof(clip_planes) / sizeof(clip_planes[0]); i++) {
        if (planes & clip_planes[i].bit) {
            out[n++] = i;
        }
    }
    return n;
}

/* "clipped by the near plane", "... by user plane 2", "... by the far
 * plane and user plane 0"; a backend that does not know which (0): the
 * plane left unnamed. */
static void print_clipped(uint32_t planes)
{
    uint32_t list[8];
    uint32_t n = clip_plane_list(planes, list);
    if (n == 0) {
        printf(" clipped away (near, far or a clip plane)");
        return;
    }
    printf(" clipped by");
    for (uint32_t i = 0; i < n; i++) {
        const char *sep = i == 0 ? " " : i + 1 == n ? " and " : ", ";
        printf("%s%s", sep, clip_planes[list[i]].text);
    }
}

static const char *stencil_path_name(uint32_t path)
{
    static const char *names[] = {"none", "fail", "zfail", "pass"};
    return path < 4 ? names[path] : "?";
}

static const char *stencil_op_name(uint32_t op)
{
    static const char *names[] = {"?",       "KEEP",   "ZERO", "REPLACE", "INCRSAT",
                                  "DECRSAT", "INVERT", "INCR", "DECR"};
    return op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

static void json_fragments(const vgt_pixel_change *c)
{
    printf(", \"changed\": %s, \"fragments\": [", c->changed ? "true" : "false");
    for (uint32_t i = 0; i < c->fragment_count; i++) {
        const vgt_backend_fragment *f = &c->fragments[i];
        printf("%s{\"range\": %" PRIu32 ", \"instance\": %" PRIu32 ", \"primitive\": %" PRIu32
               ", \"fate\": \"%s\"",
               i ? ", " : "", f->range, f->instance, f->primitive, fate_name(f->fate));
        bool cleared = f->fate == VGT_BACKEND_FATE_CLEARED;
        if (f->fate == VGT_BACKEND_FATE_CLIPPED && f->clip_planes) {
            /* the planes each of which alone removed it there (the key
             * left out: the backend does not know) */
            uint32_t list[8];
            uint32_t n = clip_plane_list(f->clip_planes, list);
            printf(", \"clip_planes\": [");
            for (uint32_t k = 0; k < n; k++) {
                printf("%s\"%s\"", k ? ", " : "", clip_planes[list[k]].json);
            }
            printf("]");
        }
        if (f->shaded && !cleared) {
            printf(", \"color\": [%.6g, %.6g, %.6g, %.6g]", f->color[0], f->color[1], f->color[2],
                   f->color[3]);
            if (!f->z_unknown) {
                printf(", \"z\": %.9g", f->z);
            }
        }
        if (f->depth_target && !cleared) {
            /* on the depth/stencil target: its depth, not a colour (none
             * known of a fragment culled or outside the scissor) */
            printf(", \"depth_target\": true, \"z_write\": %s", f->z_write ? "true" : "false");
            if (f->fate != VGT_BACKEND_FATE_SCISSOR && !unrasterized(f->fate)) {
                printf(", \"z\": %.9g", f->z);
            }
        }
        if (f->has_depth) {
            printf(", \"z_quant\": %" PRIu32 ", \"z_buffer\": %" PRIu32, f->z_quant, f->z_buffer);
            if (f->fate == VGT_BACKEND_FATE_PASSED) {
                printf(", \"z_after\": %" PRIu32, f->z_after);
            }
        }
        if (f->stencil_path) {
            printf(", \"stencil\": {\"path\": \"%s\", \"op\": \"%s\", \"before\": %" PRIu32
                   ", \"after\": %" PRIu32 "}",
                   stencil_path_name(f->stencil_path), stencil_op_name(f->stencil_op),
                   f->stencil_before, f->stencil_after);
        }
        if (f->has_after) {
            printf(", \"after\": [%.6g, %.6g, %.6g, %.6g]", f->after[0], f->after[1], f->after[2],
                   f->after[3]);
        }
        if (cleared) {
            /* what the CLEAR wrote into this image: each part it cleared */
            const char *sep = "";
            printf(", \"clear\": {");
            if (f->clear_flags & VGT_SVGA3D_CLEAR_COLOR) {
                printf("\"color\": [%.6g, %.6g, %.6g, %.6g]", f->color[0], f->color[1], f->color[2],
                       f->color[3]);
                sep = ", ";
            }
            if (f->clear_flags & VGT_SVGA3D_CLEAR_DEPTH) {
                printf("%s\"depth\": %.9g, \"z_quant\": %" PRIu32, sep, f->z, f->z_quant);
                sep = ", ";
            }
            if (f->clear_flags & VGT_SVGA3D_CLEAR_STENCIL) {
                printf("%s\"stencil\": %" PRIu32, sep, f->stencil_after);
            }
            printf("}");
        } else if (!unrasterized(f->fate) && !f->depth_target) {
            printf(", \"target\": %" PRIu32 ", \"write_mask\": %" PRIu32
                   ", \"blend\": %s, \"shader\": %s, \"z_written\": %s",
                   f->target, f->write_mask, f->blend ? "true" : "false",
                   f->shader ? "true" : "false", f->z_written ? "true" : "false");
        }
        printf("}");
    }
    printf("], \"fragments_dropped\": %" PRIu64, c->fragments_dropped);
}

/* A CLEAR's fragment: what it wrote into the image. */
static void text_cleared(const vgt_backend_fragment *f)
{
    printf("      cleared:");
    if (f->clear_flags & VGT_SVGA3D_CLEAR_COLOR) {
        printf(" rgba %.4f %.4f %.4f %.4f", f->color[0], f->color[1], f->color[2], f->color[3]);
    }
    if (f->clear_flags & VGT_SVGA3D_CLEAR_DEPTH) {
        printf(" depth %.6f (z %06" PRIx32 ")", f->z, f->z_quant);
    }
    if (f->clear_flags & VGT_SVGA3D_CLEAR_STENCIL) {
        printf(" stencil %" PRIu32, f->stencil_after);
    }
    if (f->has_after) {
        printf(", stored rgba %.4f %.4f %.4f %.4f", f->after[0], f->after[1], f->after[2],
               f->after[3]);
    }
    printf("\n");
}

/* One fragment, indented under its command. */
static void text_fragment(const vgt_backend_fragment *f)
{
    if (f->fate == VGT_BACKEND_FATE_CLEARED) {
        text_cleared(f);
        return;
    }
    printf("      range %" PRIu32, f->range);
    if (f->instance) {
        printf(" instance %" PRIu32, f->instance);
    }
    printf(" primitive %" PRIu32 ":", f->primitive);
    if (f->shaded) {
        /* a pixel shader's output register, or the fixed function's colour */
        char oc[8] = "";
        if (f->shader) {
            snprintf(oc, sizeof(oc), " oC%" PRIu32, f->target);
        }
        printf("%s rgba %.4f %.4f %.4f %.4f", oc, f->color[0], f->color[1], f->color[2],
               f->color[3]);
        if (!f->z_unknown) {
            /* (none where gl could not draw it into a depth buffer: left out) */
            printf(" %s %.6f", f->z_written ? "oDepth" : "z", f->z);
        }
    } else if (f->depth_target && f->fate != VGT_BACKEND_FATE_SCISSOR && !unrasterized(f->fate)) {
        /* on the depth/stencil target: its depth (its colour goes elsewhere) */
        printf(" %s %.6f", f->z_written ? "oDepth" : "z", f->z);
    }
    switch (f->fate) {
    case VGT_BACKEND_FATE_WRITTEN:
        printf(" written");
        break;
    case VGT_BACKEND_FATE_SCISSOR:
        printf(" outside the scissor");
        break;
    case VGT_BACKEND_FATE_ALPHA:
        printf(" alpha test failed");
        break;
    case VGT_BACKEND_FATE_STENCIL:
        printf(" stencil test failed");
        break;
    case VGT_BACKEND_FATE_DEPTH:
        printf(" depth test failed");
        break;
    case VGT_BACKEND_FATE_TEXKILL:
        printf(" discarded (texkill)");
        break;
    case VGT_BACKEND_FATE_CULLED_BACK:
        printf(" culled (back face)");
        break;
    case VGT_BACKEND_FATE_CULLED_FRONT:
        printf(" culled (front face)");
        break;
    case VGT_BACKEND_FATE_PASSED:
        printf(" passed");
        break;
    case VGT_BACKEND_FATE_CLIPPED:
        print_clipped(f->clip_planes);
        break;
    default:
        printf(" colour write mask 0: not written");
        break;
    }
    if (f->has_depth && f->fate != VGT_BACKEND_FATE_SCISSOR && f->fate != VGT_BACKEND_FATE_ALPHA &&
        f->fate != VGT_BACKEND_FATE_TEXKILL) {
        printf(" (z %06" PRIx32 " vs the buffer's %06" PRIx32 ")", f->z_quant, f->z_buffer);
    }
    if (f->stencil_path) {
        printf(" (stencil %s: %s, %" PRIu32 " -> %" PRIu32 ")", stencil_path_name(f->stencil_path),
               stencil_op_name(f->stencil_op), f->stencil_before, f->stencil_after);
    }
    if (f->fate == VGT_BACKEND_FATE_PASSED && f->has_depth) {
        if (f->z_write) {
            printf(", depth now %06" PRIx32, f->z_after);
        } else {
            printf(", depth not written (ZWRITEENABLE 0)");
        }
    }
    if (f->has_after) {
        printf(", after blending rgba %.4f %.4f %.4f %.4f", f->after[0], f->after[1], f->after[2],
               f->after[3]);
    }
    /* where it went, when not plainly COLOR0 written whole, unblended */
    if (!unrasterized(f->fate) && !f->depth_target &&
        (f->target || f->write_mask != 15u || f->blend)) {
        printf(" [COLOR%" PRIu32 ", write mask %" PRIx32 ", blending %s]", f->target, f->write_mask,
               f->blend ? "on" : "off");
    }
    printf("\n");
}

static void print_json(const vgt_pixel_history *h)
{
    printf("{\n  \"frame\": %" PRIu64 ",\n  \"x\": %" PRIu32 ",\n  \"y\": %" PRIu32 ",\n", h->frame,
           h->x, h->y);
    if (h->display) {
        printf("  \"target\": {\"display\": true},\n");
    } else {
        const vgt_surface_format_info *fi = vgt_surface_format(h->format);
        printf("  \"target\": {\"display\": false, \"sid\": %" PRIu32 ", \"face\": %" PRIu32
               ", \"mip\": %" PRIu32 ", \"shown_by_frame\": %s, \"format\": ",
               h->sid, h->face, h->mip, h->surface_found ? "true" : "false");
        if (fi && h->width) {
            vgt_cli_json_string(stdout, fi->name);
        } else {
            printf("null");
        }
        printf(", \"width\": %" PRIu32 ", \"height\": %" PRIu32 "},\n", h->width, h->height);
    }
    printf("  \"backend\": \"%s\",\n  \"fragments_recorded\": %s,\n  \"commands\": %" PRIu64
           ",\n  \"changed\": %zu,\n  \"start\": ",
           vgt_replay_backend_name(h->backend), h->fragments_recorded ? "true" : "false",
           h->commands, h->changed);
    json_value(&h->start);
    printf(",\n  \"end\": ");
    json_value(&h->end);
    printf(",\n  \"changes\": [");
    for (size_t i = 0; i < h->count; i++) {
        const vgt_pixel_change *c = &h->changes[i];
        printf("%s\n    {\"seq\": %" PRIu64 ", \"command\": ", i ? "," : "", c->seq);
        vgt_cli_json_string(stdout, vgt_cmd_name(c->id));
        printf(", \"status\": ");
        vgt_cli_json_string(stdout, c->status == VGT_OK ? "ok" : vgt_status_name(c->status));
        printf(", \"before\": ");
        json_value(&c->before);
        printf(", \"after\": ");
        json_value(&c->after);
        json_fragments(c);
        printf("}");
    }
    printf("%s]\n}\n", h->count ? "\n  " : "");
}

static void print_text(const vgt_pixel_history *h)
{
    char v[160];
    if (h->display) {
        printf("pixel (%" PRIu32 ",%" PRIu32 ") of the display, guest frame %" PRIu64
               ", %s backend\n",
               h->x, h->y, h->frame, vgt_replay_backend_name(h->backend));
    } else {
        const vgt_surface_format_info *fi = vgt_surface_format(h->format);
        char what[128] = "";
        if (fi && h->width) {
            snprintf(what, sizeof(what), "%" PRIu32 "x%" PRIu32 " %s", h->width, h->height,
                     fi->name);
        } else {
            snprintf(what, sizeof(what), "never defined in the frame");
        }
        printf("pixel (%" PRIu32 ",%" PRIu32 ") of surface %" PRIu32 " face %" PRIu32
               " mip %" PRIu32 " (%s%s), guest frame %" PRIu64 ", %s backend\n",
               h->x, h->y, h->sid, h->face, h->mip, what,
               h->surface_found ? ", the surface the frame shows" : "", h->frame,
               vgt_replay_backend_name(h->backend));
    }
    text_value(&h->start, v, sizeof(v));
    printf("  %-34s %s\n", "start of the frame", v);
    for (size_t i = 0; i < h->count; i++) {
        const vgt_pixel_change *c = &h->changes[i];
        char who[64];
        snprintf(who, sizeof(who), "seq %" PRIu64 " %s", c->seq, vgt_cmd_name(c->id));
        if (c->changed) {
            text_value(&c->after, v, sizeof(v));
        } else {
            snprintf(v, sizeof(v), "(touched, not changed)");
        }
        printf("  %-34s %s", who, v);
        if (c->status != VGT_OK) {
            printf("  (the command failed: %s)", vgt_status_name(c->status));
        }
        printf("\n");
        for (uint32_t j = 0; j < c->fragment_count; j++) {
            text_fragment(&c->fragments[j]);
        }
        if (c->fragments_dropped) {
            printf("      ... and %" PRIu64 " more fragment%s, not kept\n", c->fragments_dropped,
                   vgt_plural(c->fragments_dropped));
        }
    }
    text_value(&h->end, v, sizeof(v));
    printf("  %-34s %s\n", "end of the frame", v);
    printf("%zu of the frame's %" PRIu64 " command%s changed it\n", h->changed, h->commands,
           vgt_plural(h->commands));
    if (h->fragments_recorded) {
        printf("%zu more touched it without changing it\n", h->count - h->changed);
    } else if (!h->display) {
        printf("fragments: not recorded by the %s backend\n", vgt_replay_backend_name(h->backend));
    }
}

int vgt_cmd_pixel(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    const char *path = NULL;
    bool have_frame = false, have_at = false, json = false;
    vgt_pixel_history_options o = {.backend = VGT_REPLAY_BACKEND_AS_CAPTURED};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        unsigned long long v;
        uint32_t n[3];
        if (a[0] != '-') {
            if (path) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "pixel", "more than one trace ('%s', '%s')",
                                    path, a);
            }
            path = a;
        } else if (strcmp(a, "--frame") == 0 && has &&
                   vgt_cli_parse_u64(argv[i + 1], UINT64_MAX, &v)) {
            o.frame = v;
            have_frame = true;
            i++;
        } else if (strcmp(a, "--at") == 0 && has) {
            if (!parse_numbers(argv[++i], ',', n, 2)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "pixel", "--at '%s': expected X,Y", argv[i]);
            }
            o.x = n[0];
            o.y = n[1];
            have_at = true;
        } else if (strcmp(a, "--surface") == 0 && has) {
            const char *s = argv[++i];
            if (parse_numbers(s, '/', n, 3)) {
                o.face = n[1];
                o.mip = n[2];
            } else if (!parse_numbers(s, '/', n, 1)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "pixel",
                                    "--surface '%s': expected SID or SID/FACE/MIP", s);
            }
            o.sid = n[0];
            o.surface_given = true;
        } else if (strcmp(a, "--display") == 0) {
            o.display = true;
        } else if (strcmp(a, "--backend") == 0 && has) {
            vgt_backend_kind k;
            if (!vgt_backend_kind_parse(argv[++i], &k)) {
                return vgt_cli_fail(VGT_EXIT_USAGE, "pixel",
                                    "--backend '%s': expected soft, gl or null", argv[i]);
            }
            o.backend = (vgt_replay_backend)k;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--salvage") == 0) {
            o.salvage = true;
        } else {
            return vgt_cli_bad_option("pixel", argc, argv, i, pixel_value_options,
                                      sizeof(pixel_value_options) / sizeof(pixel_value_options[0]));
        }
    }
    if (!path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "pixel",
                            "which trace? (vgt pixel TRACE --frame F --at X,Y)");
    }
    if (!have_frame || !have_at) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "pixel", "which pixel? (--frame F --at X,Y)");
    }
    if (o.display && o.surface_given) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "pixel", "--surface or --display, not both");
    }
    vgt_pixel_history h;
    vgt_error err = {0};
    vgt_status st = vgt_pixel_history_run(path, &o, &h, &err);
    /* the trace's problems as every verb reports them (it said none: a
     * chunk --salvage skipped, a torn tail, the missing footer) */
    const vgt_trace_problem **list = vgt_cli_problem_pointers(h.problems, h.nproblems);
    size_t n = list ? h.nproblems : 0;
    bool warned = vgt_cli_warn_incomplete_chunks("pixel", h.trace_incomplete, h.trace_chunks, path,
                                                 "replayed");
    vgt_cli_report_problems("pixel", "", list, n, h.problems_unlisted, o.salvage, warned,
                            st != VGT_OK ? err.message : NULL);
    vgt_cli_report_unrecorded("pixel", "", h.nproblems + h.problems_unlisted, h.problems_lost);
    const char *hint = vgt_cli_salvage_hint_problems(list, n, o.salvage, err.message);
    free(list);
    if (st != VGT_OK) {
        vgt_pixel_history_free(&h);
        return vgt_cli_fail(st == VGT_E_UNSUPPORTED || st == VGT_E_INVALID ? VGT_EXIT_USAGE
                                                                           : VGT_EXIT_DATA,
                            "pixel", "%s%s", err.message, hint);
    }
    if (json) {
        print_json(&h);
    } else {
        print_text(&h);
    }
    /* the history is what was readable; a frame, or the state before it,
     * that lost records is exit 2, as vgt replay --salvage --frames */
    /* problems found with no memory to record them may be such chunks */
    int rc = h.chunks_skipped || h.problems_lost ? VGT_EXIT_DATA : VGT_EXIT_OK;
    vgt_pixel_history_free(&h);
    return rc;
}
