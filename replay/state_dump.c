/* state_dump.c - the device's state at a command, written to a directory
 * (vgt replay --dump-at, as apitrace's glretrace --dump-state and
 * RenderDoc's pipeline state and texture viewers give it): state.json (the
 * display model, the video overlay units, every 3D context's state that
 * differs from Direct3D 9's defaults, the surfaces), a PNG per readable
 * colour image (every slice of a volume), depth and stencil pictures, the
 * bytes of BUFFER surfaces, and the composed display.
 *
 * Reading must not disturb the replay: colour images are read through the
 * backend's read_pixels (read_slice for a volume's slices), the same read a
 * PRESENT makes, depth/stencil and buffers through surface_download, the
 * read of a SURFACE_DMA to the guest (no state of the backend's changes),
 * and the display through vgt_executor_compose, which
 * only refreshes its cached picture (the frame hashes stay those of the
 * recorded frames: vgt replay --verify passes with dumps). */
#include "exec3d.h"
#include "executor_internal.h"
#include "vgt_trace_records.h"
#include "vgt_replayer.h"
#include "vgt_shader.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- JSON output ---------------------------------------------------------- */

/* A string, escaped and valid UTF-8 (the one JSON string writer). */
static void j_str(FILE *f, const char *s)
{
    vgt_json_string(f, s, strlen(s));
}

/* A float as `vgt dump --json` writes one: the shortest decimal that reads
 * back as the same float, NaN and the infinities as the strings "nan",
 * "inf" and "-inf" (JSON has no number for them; null would lose which) */
static void j_float(FILE *f, float v)
{
    vgt_json_float(f, v);
}

static void j_floats(FILE *f, const float *v, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        j_float(f, v[i]);
    }
    fputc(']', f);
}

/* `, "key": [v0, ...]`: a member of n floats after another. */
static void j_member_floats(FILE *f, const char *key, const float *v, size_t n)
{
    fprintf(f, ", \"%s\": ", key);
    j_floats(f, v, n);
}

/* `, "key": v`. */
static void j_member_float(FILE *f, const char *key, float v)
{
    fprintf(f, ", \"%s\": ", key);
    j_float(f, v);
}

/* A name from a table, or the number when the table has none. */
static void j_name(FILE *f, const char *name, uint32_t v)
{
    if (name) {
        j_str(f, name);
    } else {
        fprintf(f, "\"%" PRIu32 "\"", v);
    }
}

/* Starts element i of a list (a comma before all but the first). */
static void j_item(FILE *f, uint32_t i, const char *indent)
{
    fprintf(f, "%s\n%s", i ? "," : "", indent);
}

/* ---- the display ---------------------------------------------------------- */

/* The video overlay units (SVGA_ESCAPE_VMWARE_VIDEO) that show a frame or
 * whose registers differ from their power-on values: the registers by
 * their svga_reg.h names as SET_REGS left them (they take effect at the
 * next FLUSH), and whether the unit shows a frame (the last FLUSH's). */
static void dump_overlays(FILE *f, const vgt_executor *ex)
{
    fputs("    \"video_overlays\": [", f);
    uint32_t n = 0;
    for (uint32_t u = 0; u < VGT_SVGA_NUM_OVERLAY_UNITS; u++) {
        const exec_overlay *o = &ex->overlays[u];
        bool set = o->shown;
        for (uint32_t r = 0; r < VGT_SVGA_VIDEO_NUM_REGS; r++) {
            set = set || o->regs[r] != vgt_exec_overlay_reg_default(r);
        }
        if (!set) {
            continue;
        }
        j_item(f, n++, "      ");
        fprintf(f, "{\"unit\": %" PRIu32 ", \"shown\": %s", u, o->shown ? "true" : "false");
        if (o->shown) {
            fprintf(f,
                    ", \"shown_at\": {\"x\": %" PRId64 ", \"y\": %" PRId64 ", \"width\": %" PRIu32
                    ", \"height\": %" PRIu32 "}",
                    o->x, o->y, o->w, o->h);
        }
        fputs(", \"registers\": {", f);
        for (uint32_t r = 0; r < VGT_SVGA_VIDEO_NUM_REGS; r++) {
            fprintf(f, "%s\"%s\": %" PRIu32, r ? ", " : "", vgt_svga_video_reg_name(r), o->regs[r]);
        }
        fputs("}}", f);
    }
    fputs(n ? "\n    ],\n" : "],\n", f);
}

static void dump_device(FILE *f, const vgt_executor *ex, const vgt_replay_command *c,
                        const vgt_snapshot_reg *regs, size_t nregs)
{
    const vgt_display_mode *m = &ex->mode;
    fprintf(f,
            "  \"device\": {\n    \"mode\": {\"enabled\": %s, \"width\": %" PRIu32
            ", \"height\": %" PRIu32 ", \"bits_per_pixel\": %" PRIu32
            ", \"bytes_per_line\": %" PRIu32 ", \"fb_offset\": %" PRIu32 "},\n",
            m->enabled ? "true" : "false", m->width, m->height, m->bits_per_pixel,
            m->bytes_per_line, m->fb_offset);
    fputs("    \"screens\": [", f);
    uint32_t n = 0;
    for (uint32_t i = 0; i < VGT_EXEC_MAX_SCREENS; i++) {
        const exec_screen *s = &ex->screens[i];
        if (!s->defined) {
            continue;
        }
        j_item(f, n++, "      ");
        fprintf(f,
                "{\"id\": %" PRIu32 ", \"legacy\": %s, \"flags\": %" PRIu32 ", \"x\": %" PRId32
                ", \"y\": %" PRId32 ", \"width\": %" PRIu32 ", \"height\": %" PRIu32,
                i, s->legacy ? "true" : "false", s->flags, s->x, s->y, s->w, s->h);
        /* SCREEN_OBJECT_2: where the screen's base layer lives in VRAM */
        if (s->has_store) {
            fprintf(f,
                    ", \"backing_store\": {\"gmr\": %" PRIu32 ", \"offset\": %" PRIu32
                    ", \"pitch\": %" PRIu32 "}}",
                    s->store_gmr, s->store_offset, s->store_pitch);
        } else {
            fputs(", \"backing_store\": null}", f);
        }
    }
    fputs(n ? "\n    ],\n" : "],\n", f);
    if (ex->gmrfb.defined) {
        fprintf(f,
                "    \"gmrfb\": {\"gmr\": %" PRIu32 ", \"offset\": %" PRIu32
                ", \"bytes_per_line\": %" PRIu32 ", \"format\": %" PRIu32 "},\n",
                ex->gmrfb.ptr.gmr_id, ex->gmrfb.ptr.offset, ex->gmrfb.bytes_per_line,
                ex->gmrfb.format);
    } else {
        fputs("    \"gmrfb\": null,\n", f);
    }
    const exec_cursor *cu = &ex->cursor;
    fprintf(f,
            "    \"cursor\": {\"defined\": %s, \"alpha\": %s, \"width\": %" PRIu32
            ", \"height\": %" PRIu32 ", \"hot_x\": %" PRIu32 ", \"hot_y\": %" PRIu32
            ", \"visible\": %s, \"x\": %" PRId32 ", \"y\": %" PRId32 ", \"screen\": %" PRIu32
            "},\n",
            cu->defined ? "true" : "false", cu->alpha ? "true" : "false", cu->w, cu->h, cu->hot_x,
            cu->hot_y, cu->visible ? "true" : "false", cu->x, cu->y, cu->screen_id);
    fprintf(f, "    \"fences\": {\"passed\": %" PRIu64 ", \"last\": %" PRIu32 "},\n", c->fences,
            c->last_fence);
    dump_overlays(f, ex);
    fputs("    \"registers\": [", f);
    for (size_t i = 0; i < nregs; i++) {
        j_item(f, (uint32_t)i, "      ");
        /* named as vgt dump names them; palette and unknown indexes by number */
        const char *name = vgt_trace_reg_name(regs[i].reg);
        fprintf(f, "{\"reg\": %" PRIu32 ", \"name\": ", regs[i].reg);
        if (name) {
            fprintf(f, "\"%s\"", name);
        } else {
            fputs("null", f);
        }
        fprintf(f, ", \"value\": %" PRIu32 "}", regs[i].value);
    }
    fputs(nregs ? "\n    ]\n  },\n" : "]\n  },\n", f);
}

/* ---- 3D contexts ------------------------------------------------------------ */

static const char *shader_kind(uint32_t t)
{
    return t == E3D_VS ? "VS" : "PS";
}

static void dump_shader(FILE *f, const e3d_context *c, uint32_t t)
{
    uint32_t id = c->shader_bound[t];
    fprintf(f, "        \"%s\": ", t == E3D_VS ? "vs" : "ps");
    const e3d_shader *sh = id < c->shader_cap[t] ? c->shaders[t][id] : NULL;
    if (id == VGT_SVGA3D_INVALID_ID || !sh) {
        fputs(id == VGT_SVGA3D_INVALID_ID ? "null" : "{\"id\": ", f);
        if (id != VGT_SVGA3D_INVALID_ID) {
            fprintf(f, "%" PRIu32 ", \"defined\": false}", id);
        }
        return;
    }
    fprintf(f, "{\"id\": %" PRIu32 ", \"words\": %" PRIu32 ", \"disassembly\": ", id, sh->words);
    /* The executor validated the bytecode at SHADER_DEFINE; parse it again
     * only to disassemble. */
    vgt_shader *p = NULL;
    char *text = NULL;
    vgt_error e;
    vgt_error_clear(&e);
    if (vgt_shader_parse(sh->bytecode, sh->words, &p, NULL, &e) == VGT_OK &&
        vgt_shader_disassemble(p, 0, &text, NULL, &e) == VGT_OK) {
        j_str(f, text);
    } else {
        fputs("null, \"error\": ", f);
        j_str(f, e.message);
    }
    free(text);
    vgt_shader_free(p);
    fputc('}', f);
}

static void dump_context(FILE *f, const e3d_context *c, const e3d_context *def)
{
    fprintf(f, "    {\n      \"id\": %" PRIu32 ",\n      \"render_targets\": [", c->cid);
    uint32_t n = 0;
    for (uint32_t t = 0; t < VGT_SVGA3D_RT_MAX; t++) {
        if (c->rt[t].sid == VGT_SVGA3D_INVALID_ID) {
            continue;
        }
        j_item(f, n++, "        ");
        fputs("{\"slot\": ", f);
        j_name(f, vgt_svga3d_rt_type_name(t), t);
        fprintf(f, ", \"surface\": %" PRIu32 ", \"face\": %" PRIu32 ", \"mip\": %" PRIu32 "}",
                c->rt[t].sid, c->rt[t].face, c->rt[t].mipmap);
    }
    fputs(n ? "\n      ],\n" : "],\n", f);
    if (c->viewport_set) {
        fprintf(f,
                "      \"viewport\": {\"x\": %" PRIu32 ", \"y\": %" PRIu32 ", \"w\": %" PRIu32
                ", \"h\": %" PRIu32 "},\n",
                c->viewport.x, c->viewport.y, c->viewport.w, c->viewport.h);
    } else {
        fputs("      \"viewport\": null,\n", f);
    }
    fputs("      \"zrange\": {\"min\": ", f);
    j_float(f, c->zrange.min);
    fputs(", \"max\": ", f);
    j_float(f, c->zrange.max);
    fprintf(f,
            "},\n      \"scissor\": {\"x\": %" PRIu32 ", \"y\": %" PRIu32 ", \"w\": %" PRIu32
            ", \"h\": %" PRIu32 "},\n",
            c->scissor.x, c->scissor.y, c->scissor.w, c->scissor.h);

    /* Render and texture stage states: those that differ from the defaults,
     * by id, each with its value as a number and as vgt dump reads it. */
    char text[128];
    fputs("      \"render_states\": [", f);
    n = 0;
    for (uint32_t i = 0; i < VGT_SVGA3D_RS_MAX; i++) {
        if (c->rs[i] == def->rs[i]) {
            continue;
        }
        j_item(f, n++, "        ");
        fputs("{\"name\": ", f);
        j_name(f, vgt_svga3d_render_state_name(i), i);
        vgt_svga3d_render_state_value_format(text, sizeof(text), i, c->rs[i]);
        fprintf(f, ", \"id\": %" PRIu32 ", \"value\": %" PRIu32 ", \"text\": ", i, c->rs[i]);
        j_str(f, text);
        fputc('}', f);
    }
    fputs(n ? "\n      ],\n" : "],\n", f);
    fputs("      \"texture_states\": [", f);
    n = 0;
    for (uint32_t s = 0; s < VGT_SVGA3D_MAX_TEXTURE_STAGES; s++) {
        for (uint32_t i = 0; i < VGT_SVGA3D_TS_MAX; i++) {
            if (c->ts[s][i] == def->ts[s][i]) {
                continue;
            }
            j_item(f, n++, "        ");
            fprintf(f, "{\"stage\": %" PRIu32 ", \"name\": ", s);
            j_name(f, vgt_svga3d_texture_state_name(i), i);
            vgt_svga3d_texture_state_value_format(text, sizeof(text), i, c->ts[s][i]);
            fprintf(f, ", \"id\": %" PRIu32 ", \"value\": %" PRIu32 ", \"text\": ", i, c->ts[s][i]);
            j_str(f, text);
            fputc('}', f);
        }
    }
    fputs(n ? "\n      ],\n" : "],\n", f);

    /* Shaders: the bound ones with their disassembly, then every id defined. */
    fputs("      \"shaders\": {\n", f);
    dump_shader(f, c, E3D_VS);
    fputs(",\n", f);
    dump_shader(f, c, E3D_PS);
    fputs(",\n        \"defined\": [", f);
    n = 0;
    for (uint32_t t = 0; t < 2; t++) {
        for (uint32_t id = 0; id < c->shader_cap[t]; id++) {
            if (c->shaders[t][id]) {
                j_item(f, n++, "          ");
                fprintf(f, "{\"type\": \"%s\", \"id\": %" PRIu32 "}", shader_kind(t), id);
            }
        }
    }
    fputs(n ? "\n        ]\n      },\n" : "]\n      },\n", f);

    /* Shader constants: the registers that are not zero (all start at 0). */
    static const uint32_t zero[4];
    fputs("      \"shader_constants\": [", f);
    n = 0;
    for (uint32_t t = 0; t < 2; t++) {
        uint32_t nf = t == E3D_VS ? VGT_BACKEND_VS_FLOAT_REGS : VGT_BACKEND_PS_FLOAT_REGS;
        for (uint32_t r = 0; r < nf; r++) {
            const float *v = t == E3D_VS ? c->vs_float[r] : c->ps_float[r];
            if (memcmp(v, zero, 16) != 0) {
                j_item(f, n++, "        ");
                fprintf(f,
                        "{\"shader\": \"%s\", \"type\": \"FLOAT\", \"reg\": %" PRIu32
                        ", \"values\": ",
                        shader_kind(t), r);
                j_floats(f, v, 4);
                fputc('}', f);
            }
        }
        for (uint32_t r = 0; r < VGT_BACKEND_INT_REGS; r++) {
            const int32_t *v = c->int_regs[t][r];
            if (memcmp(v, zero, 16) != 0) {
                j_item(f, n++, "        ");
                fprintf(f,
                        "{\"shader\": \"%s\", \"type\": \"INT\", \"reg\": %" PRIu32
                        ", \"values\": [%" PRId32 ", %" PRId32 ", %" PRId32 ", %" PRId32 "]}",
                        shader_kind(t), r, v[0], v[1], v[2], v[3]);
            }
        }
        for (uint32_t r = 0; r < VGT_BACKEND_BOOL_REGS; r++) {
            if (c->bool_regs[t][r]) {
                j_item(f, n++, "        ");
                fprintf(f,
                        "{\"shader\": \"%s\", \"type\": \"BOOL\", \"reg\": %" PRIu32
                        ", \"values\": [true]}",
                        shader_kind(t), r);
            }
        }
    }
    fputs(n ? "\n      ],\n" : "],\n", f);

    fputs("      \"transforms\": [", f);
    n = 0;
    for (uint32_t t = 0; t < VGT_SVGA3D_TRANSFORM_MAX; t++) {
        if (memcmp(c->transforms[t], def->transforms[t], sizeof(c->transforms[t])) != 0) {
            j_item(f, n++, "        ");
            fputs("{\"name\": ", f);
            j_name(f, vgt_svga3d_transform_type_name(t), t);
            fputs(", \"matrix\": ", f);
            j_floats(f, c->transforms[t], 16);
            fputc('}', f);
        }
    }
    fputs(n ? "\n      ],\n" : "],\n", f);

    fputs("      \"materials\": [", f);
    n = 0;
    for (uint32_t m = 0; m < 2; m++) {
        const vgt_svga3d_material *mt = &c->material[m];
        if (memcmp(mt, &def->material[m], sizeof(*mt)) == 0) {
            continue;
        }
        j_item(f, n++, "        ");
        fprintf(f, "{\"face\": \"%s\"", m ? "BACK" : "FRONT");
        j_member_floats(f, "diffuse", mt->diffuse, 4);
        j_member_floats(f, "ambient", mt->ambient, 4);
        j_member_floats(f, "specular", mt->specular, 4);
        j_member_floats(f, "emissive", mt->emissive, 4);
        j_member_float(f, "shininess", mt->shininess);
        fputc('}', f);
    }
    fputs(n ? "\n      ],\n" : "],\n", f);

    fputs("      \"lights\": [", f);
    n = 0;
    for (uint32_t i = 0; i < VGT_EXEC3D_MAX_LIGHT_INDEX; i++) {
        const vgt_svga3d_light_data *l = &c->lights[i];
        if (!c->light_enabled[i] && memcmp(l, &def->lights[i], sizeof(*l)) == 0) {
            continue;
        }
        j_item(f, n++, "        ");
        fprintf(f, "{\"index\": %" PRIu32 ", \"enabled\": %s, \"type\": ", i,
                c->light_enabled[i] ? "true" : "false");
        j_name(f, vgt_svga3d_light_type_name(l->type), l->type);
        fprintf(f, ", \"in_world_space\": %s", l->in_world_space ? "true" : "false");
        j_member_floats(f, "diffuse", l->diffuse, 4);
        j_member_floats(f, "specular", l->specular, 4);
        j_member_floats(f, "ambient", l->ambient, 4);
        j_member_floats(f, "position", l->position, 4);
        j_member_floats(f, "direction", l->direction, 4);
        const float att[3] = {l->attenuation0, l->attenuation1, l->attenuation2};
        j_member_float(f, "range", l->range);
        j_member_float(f, "falloff", l->falloff);
        j_member_floats(f, "attenuation", att, 3);
        j_member_float(f, "theta", l->theta);
        j_member_float(f, "phi", l->phi);
        fputc('}', f);
    }
    fputs(n ? "\n      ],\n" : "],\n", f);

    fputs("      \"clip_planes\": [", f);
    n = 0;
    for (uint32_t i = 0; i < VGT_SVGA3D_MAX_CLIP_PLANES; i++) {
        if (memcmp(c->clip_planes[i], def->clip_planes[i], sizeof(c->clip_planes[i])) != 0) {
            j_item(f, n++, "        ");
            fprintf(f, "{\"index\": %" PRIu32 ", \"plane\": ", i);
            j_floats(f, c->clip_planes[i], 4);
            fputc('}', f);
        }
    }
    fputs(n ? "\n      ],\n" : "],\n", f);

    /* The vertex declaration of the context's last draw (kept by the
     * executor for inspection). */
    fputs("      \"last_draw_vertex_decls\": [", f);
    uint32_t nd = c->decl_count <= VGT_SVGA3D_MAX_VERTEX_ARRAYS ? c->decl_count : 0;
    for (uint32_t i = 0; i < nd; i++) {
        const vgt_svga3d_vertex_decl *d = &c->decls[i];
        j_item(f, i, "        ");
        fputs("{\"type\": ", f);
        j_name(f, vgt_svga3d_decl_type_name(d->type), d->type);
        fputs(", \"method\": ", f);
        j_name(f, vgt_svga3d_decl_method_name(d->method), d->method);
        fputs(", \"usage\": ", f);
        j_name(f, vgt_svga3d_decl_usage_name(d->usage), d->usage);
        fprintf(f,
                ", \"usage_index\": %" PRIu32 ", \"surface\": %" PRIu32 ", \"offset\": %" PRIu32
                ", \"stride\": %" PRIu32,
                d->usage_index, d->array.surface_id, d->array.offset, d->array.stride);
        if (c->has_divisors) {
            fprintf(f, ", \"divisor\": %" PRIu32, c->divisors[i]);
        }
        fputc('}', f);
    }
    fputs(nd ? "\n      ],\n" : "],\n", f);

    fputs("      \"queries\": [", f);
    n = 0;
    for (uint32_t q = 0; q < VGT_SVGA3D_QUERYTYPE_MAX; q++) {
        const e3d_query *qu = &c->queries[q];
        if (qu->state == E3D_QUERY_IDLE) {
            continue;
        }
        j_item(f, n++, "        ");
        fputs("{\"type\": ", f);
        j_name(f, vgt_svga3d_query_type_name(q), q);
        fprintf(f, ", \"state\": \"%s\", \"last_result\": %" PRIu32 "}",
                qu->state == E3D_QUERY_ACTIVE ? "active" : "ended", qu->result);
    }
    fputs(n ? "\n      ]\n    }" : "]\n    }", f);
}

/* ---- surfaces and pictures --------------------------------------------------- */

typedef struct dumper {
    char dir[4096]; /* DIR/seq-NNNNNNNN */
    vgt_state_dump_info *info;
    bool contents; /* the backend keeps surface contents */
} dumper;

/* What was written of one image (face, mip): file names relative to the
 * dump directory ("" when none) and what the JSON says of them. */
typedef struct image_files {
    char png[512];     /* colour: the picture (a volume's: slice 0) */
    uint32_t slices;   /* colour volume: slice pictures written (0..depth) */
    char depth[512];   /* depth formats: the depth picture */
    char stencil[512]; /* formats with stencil: the stencil picture */
    uint32_t depth_raw_min, depth_raw_max, depth_raw_one;
    char bin[512]; /* BUFFER: the bytes */
    uint64_t bin_bytes;
    char note[sizeof(((vgt_error *)0)->message)]; /* why a picture is missing */
} image_files;

/* name = prefix + suffix (the file names of one image), or VGT_E_RANGE. */
static vgt_status file_name(char *name, size_t size, const char *prefix, const char *suffix,
                            vgt_error *err)
{
    int k = snprintf(name, size, "%s%s", prefix, suffix);
    if (k < 0 || (size_t)k >= size) {
        return vgt_error_set(err, VGT_E_RANGE, "%s%s: name too long", prefix, suffix);
    }
    return VGT_OK;
}

/* Writes img as DIR/name (PNG, alpha kept or not). */
static vgt_status write_png(dumper *d, const vgt_image *img, const char *name, bool alpha,
                            vgt_error *err)
{
    char path[8192];
    if (snprintf(path, sizeof(path), "%s/%s", d->dir, name) >= (int)sizeof(path)) {
        return vgt_error_set(err, VGT_E_RANGE, "%s: path too long", d->dir);
    }
    vgt_status st = vgt_image_write_png(img, path, alpha, err);
    if (st == VGT_OK) {
        d->info->pngs++;
    }
    return st;
}

/* A failed read of the backend: a note in the JSON, unless out of memory. */
static vgt_status read_failed(vgt_status st, const vgt_error *re, image_files *out, vgt_error *err)
{
    snprintf(out->note, sizeof(out->note), "%s", re->message);
    return st == VGT_E_NOMEM ? vgt_error_set(err, st, "%s", re->message) : VGT_OK;
}

/* Colour: a PNG of the image as the backend reads it as pixels, alpha as
 * stored; a volume's every slice (prefix-sliceZ.png) when the backend reads
 * slices. */
static vgt_status colour_pngs(vgt_exec3d *e, dumper *d, const e3d_surface *s, uint32_t face,
                              uint32_t mip, const char *prefix, image_files *out, vgt_error *err)
{
    const vgt_surface_image *im = &s->images[face * s->mips + mip];
    const vgt_backend_ops *ops = e->be.ops;
    bool volume = im->size.depth > 1;
    bool by_slice = volume && ops->read_slice; /* else read_pixels: slice 0 */
    uint32_t slices = by_slice ? im->size.depth : 1;
    vgt_image img = {0};
    vgt_status st = vgt_image_alloc(&img, im->size.width, im->size.height, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_backend_view v = e3d_view(s, face, mip);
    vgt_svga3d_rect r = {0, 0, im->size.width, im->size.height};
    for (uint32_t z = 0; z < slices && st == VGT_OK; z++) {
        vgt_error re;
        vgt_error_clear(&re);
        st = by_slice ? ops->read_slice(e->be.self, &v, z, &r, img.pixels, img.stride, &re)
                      : ops->read_pixels(e->be.self, &v, &r, img.pixels, img.stride, &re);
        if (st != VGT_OK) {
            /* not a picture this backend can make of the format: said in the JSON */
            st = read_failed(st, &re, out, err);
            break;
        }
        char suffix[32], name[512];
        snprintf(suffix, sizeof(suffix), volume ? "-slice%" PRIu32 ".png" : ".png", z);
        if ((st = file_name(name, sizeof(name), prefix, suffix, err)) == VGT_OK &&
            (st = write_png(d, &img, name, true, err)) == VGT_OK) {
            if (z == 0) {
                snprintf(out->png, sizeof(out->png), "%s", name);
            }
            out->slices += volume;
        }
    }
    if (st == VGT_OK && volume && !ops->read_slice && out->png[0]) {
        snprintf(out->note, sizeof(out->note), "the %s backend reads slice 0 of a volume only",
                 ops->name);
    }
    vgt_image_free(&img);
    return st;
}

/* The raw bytes of image (face, mip), slices [0, depth) as the image holds
 * them (rows row_pitch apart), read back as a SURFACE_DMA to the guest
 * reads them; NULL with out->note set when the backend cannot. */
static uint8_t *image_bytes(vgt_exec3d *e, const e3d_surface *s, uint32_t face, uint32_t mip,
                            uint32_t depth, image_files *out, vgt_error *err, vgt_status *st)
{
    const vgt_surface_image *im = &s->images[face * s->mips + mip];
    *st = VGT_OK;
    uint64_t bytes = im->slice_pitch * depth; /* <= im->bytes: the executor sized it */
    uint8_t *buf = bytes <= SIZE_MAX ? malloc(bytes ? (size_t)bytes : 1u) : NULL;
    if (!buf) {
        snprintf(out->note, sizeof(out->note), "out of memory for %" PRIu64 " bytes", bytes);
        return NULL;
    }
    vgt_svga3d_box box = {0, 0, 0, im->size.width, im->size.height, depth};
    vgt_error re;
    vgt_error_clear(&re);
    vgt_status rs = e->be.ops->surface_download(e->be.self, s->host, face, mip, &box, buf,
                                                im->row_pitch, im->slice_pitch, &re);
    if (rs != VGT_OK) {
        *st = read_failed(rs, &re, out, err);
        free(buf);
        return NULL;
    }
    return buf;
}

/* BUFFER: the bytes as the guest would read them back, as a file. */
static vgt_status buffer_file(vgt_exec3d *e, dumper *d, const e3d_surface *s, uint32_t face,
                              uint32_t mip, image_files *out, vgt_error *err)
{
    const vgt_surface_image *im = &s->images[face * s->mips + mip];
    vgt_status st;
    uint8_t *buf = image_bytes(e, s, face, mip, im->size.depth, out, err, &st);
    if (!buf) {
        return st;
    }
    char name[512], path[8192];
    int k = face == 0 && mip == 0
                ? snprintf(name, sizeof(name), "surface-%" PRIu32 "-buffer.bin", s->sid)
                : snprintf(name, sizeof(name),
                           "surface-%" PRIu32 "-buffer-face%" PRIu32 "-mip%" PRIu32 ".bin", s->sid,
                           face, mip);
    if (k < 0 || (size_t)k >= sizeof(name) ||
        snprintf(path, sizeof(path), "%s/%s", d->dir, name) >= (int)sizeof(path)) {
        free(buf);
        return vgt_error_set(err, VGT_E_RANGE, "%s: path too long", d->dir);
    }
    uint64_t bytes = im->slice_pitch * im->size.depth;
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(buf, 1, (size_t)bytes, f) == bytes;
    ok = f && fclose(f) == 0 && ok;
    free(buf);
    if (!ok) {
        return vgt_error_set(err, VGT_E_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    snprintf(out->bin, sizeof(out->bin), "%s", name);
    out->bin_bytes = bytes;
    d->info->files++;
    return VGT_OK;
}

/* Texel p of a depth format: its depth (*z, of *one at the far plane) and
 * stencil.  Layouts as Direct3D 9's: depth in the high bits, stencil in the
 * low. */
static void depth_texel(uint32_t format, const uint8_t *p, uint32_t *z, uint32_t *one,
                        uint32_t *stencil)
{
    uint32_t v;
    *stencil = 0;
    switch (format) {
    case VGT_SVGA3D_Z_D16:
        *z = vgt_load_le16(p);
        *one = 0xffffu;
        break;
    case VGT_SVGA3D_Z_D15S1:
        v = vgt_load_le16(p);
        *z = v >> 1;
        *one = 0x7fffu;
        *stencil = v & 1u;
        break;
    case VGT_SVGA3D_Z_D32:
        *z = vgt_load_le32(p);
        *one = 0xffffffffu;
        break;
    default: /* Z_D24S8, Z_D24X8 (its X byte is no stencil: the format says) */
        v = vgt_load_le32(p);
        *z = v >> 8;
        *one = 0xffffffu;
        *stencil = v & 0xffu;
        break;
    }
}

/* Depth: a greyscale PNG of slice 0, the image's depths mapped linearly
 * from their [min, max] to [0, 255] as RenderDoc's texture viewer shows a
 * depth buffer (a constant image is black; min and max are in the JSON to
 * read it by); with stencil, a PNG of the stencil values as they are. */
static vgt_status depth_pngs(vgt_exec3d *e, dumper *d, const e3d_surface *s, uint32_t face,
                             uint32_t mip, const char *prefix, image_files *out, vgt_error *err)
{
    const vgt_surface_image *im = &s->images[face * s->mips + mip];
    vgt_status st;
    uint8_t *buf = image_bytes(e, s, face, mip, 1, out, err, &st);
    if (!buf) {
        return st;
    }
    uint32_t w = im->size.width, h = im->size.height, bpp = s->fi->block_bytes;
    uint32_t lo = UINT32_MAX, hi = 0, one = 0, z, sv;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            depth_texel(s->format, buf + (uint64_t)y * im->row_pitch + (uint64_t)x * bpp, &z, &one,
                        &sv);
            lo = z < lo ? z : lo;
            hi = z > hi ? z : hi;
        }
    }
    vgt_image dimg = {0}, simg = {0};
    bool stencil = s->fi->stencil;
    if ((st = vgt_image_alloc(&dimg, w, h, err)) != VGT_OK ||
        (stencil && (st = vgt_image_alloc(&simg, w, h, err)) != VGT_OK)) {
        vgt_image_free(&dimg);
        free(buf);
        return st;
    }
    uint64_t range = (uint64_t)hi - lo;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            depth_texel(s->format, buf + (uint64_t)y * im->row_pitch + (uint64_t)x * bpp, &z, &one,
                        &sv);
            /* rounded to nearest; 64-bit: (2^32 - 1) * 255 fits */
            uint32_t g = range ? (uint32_t)(((uint64_t)(z - lo) * 255u + range / 2u) / range) : 0u;
            vgt_store_le32(dimg.pixels + (size_t)y * dimg.stride + (size_t)x * 4u,
                           0xff000000u | g * 0x010101u);
            if (stencil) {
                vgt_store_le32(simg.pixels + (size_t)y * simg.stride + (size_t)x * 4u,
                               0xff000000u | sv * 0x010101u);
            }
        }
    }
    free(buf);
    char name[512];
    if ((st = file_name(name, sizeof(name), prefix, "-depth.png", err)) == VGT_OK &&
        (st = write_png(d, &dimg, name, false, err)) == VGT_OK) {
        snprintf(out->depth, sizeof(out->depth), "%s", name);
        out->depth_raw_min = lo;
        out->depth_raw_max = hi;
        out->depth_raw_one = one;
    }
    if (st == VGT_OK && stencil &&
        (st = file_name(name, sizeof(name), prefix, "-stencil.png", err)) == VGT_OK &&
        (st = write_png(d, &simg, name, false, err)) == VGT_OK) {
        snprintf(out->stencil, sizeof(out->stencil), "%s", name);
    }
    vgt_image_free(&dimg);
    vgt_image_free(&simg);
    return st;
}

/* The files of one image, by its format's kind. */
static vgt_status image_files_write(vgt_exec3d *e, dumper *d, const e3d_surface *s, uint32_t face,
                                    uint32_t mip, image_files *out, vgt_error *err)
{
    char prefix[400];
    const char *fmt = s->fi ? s->fi->name : "unknown";
    int k =
        face == 0 && mip == 0
            ? snprintf(prefix, sizeof(prefix), "surface-%" PRIu32 "-%s", s->sid, fmt)
            : snprintf(prefix, sizeof(prefix), "surface-%" PRIu32 "-%s-face%" PRIu32 "-mip%" PRIu32,
                       s->sid, fmt, face, mip);
    if (k < 0 || (size_t)k >= sizeof(prefix)) {
        return vgt_error_set(err, VGT_E_RANGE, "surface %" PRIu32 ": name too long", s->sid);
    }
    if (!s->fi) {
        return VGT_OK;
    }
    if (s->fi->buffer) {
        return buffer_file(e, d, s, face, mip, out, err);
    }
    if (s->fi->depth) {
        return depth_pngs(e, d, s, face, mip, prefix, out, err);
    }
    return s->fi->color ? colour_pngs(e, d, s, face, mip, prefix, out, err) : VGT_OK;
}

/* `, "key": "name"` when name is not empty. */
static void j_member_str(FILE *f, const char *key, const char *name)
{
    if (name[0]) {
        fprintf(f, ", \"%s\": ", key);
        j_str(f, name);
    }
}

static vgt_status dump_surface(FILE *f, vgt_exec3d *e, dumper *d, const e3d_surface *s,
                               uint32_t index, vgt_error *err)
{
    j_item(f, index, "    ");
    fprintf(f, "{\"id\": %" PRIu32 ", \"format\": ", s->sid);
    j_name(f, vgt_svga3d_format_name(s->format), s->format);
    fprintf(f,
            ", \"format_id\": %" PRIu32 ", \"flags\": %" PRIu32 ", \"faces\": %" PRIu32
            ", \"mips\": %" PRIu32 ", \"multisample\": %" PRIu32 ", \"bytes\": %" PRIu64
            ",\n      \"images\": [",
            s->format, s->flags, s->faces, s->mips, s->multisample, s->total_bytes);
    for (uint32_t face = 0; face < s->faces; face++) {
        for (uint32_t mip = 0; mip < s->mips; mip++) {
            const vgt_surface_image *im = &s->images[face * s->mips + mip];
            j_item(f, face * s->mips + mip, "        ");
            fprintf(f,
                    "{\"face\": %" PRIu32 ", \"mip\": %" PRIu32 ", \"width\": %" PRIu32
                    ", \"height\": %" PRIu32 ", \"depth\": %" PRIu32 ", \"png\": ",
                    face, mip, im->size.width, im->size.height, im->size.depth);
            image_files o;
            memset(&o, 0, sizeof(o));
            if (d->contents) {
                vgt_status st = image_files_write(e, d, s, face, mip, &o, err);
                if (st != VGT_OK) {
                    return st;
                }
            }
            if (o.png[0]) {
                j_str(f, o.png);
            } else {
                fputs("null", f);
            }
            if (o.slices) {
                /* a volume's slices, slice z at index z */
                fputs(", \"slices\": [", f);
                for (uint32_t z = 0; z < o.slices; z++) {
                    char suffix[32];
                    snprintf(suffix, sizeof(suffix), "-slice%" PRIu32 ".png", z);
                    fputs(z ? ", \"" : "\"", f);
                    /* o.png is slice 0's name: the others differ in the suffix */
                    size_t base = strlen(o.png) - strlen("-slice0.png");
                    fprintf(f, "%.*s%s\"", (int)base, o.png, suffix);
                }
                fputc(']', f);
            }
            if (o.depth[0]) {
                double one = o.depth_raw_one;
                j_member_str(f, "depth_png", o.depth);
                fprintf(f,
                        ", \"depth_min\": %.9g, \"depth_max\": %.9g, \"depth_min_raw\": %" PRIu32
                        ", \"depth_max_raw\": %" PRIu32,
                        o.depth_raw_min / one, o.depth_raw_max / one, o.depth_raw_min,
                        o.depth_raw_max);
            }
            j_member_str(f, "stencil_png", o.stencil);
            if (o.bin[0]) {
                j_member_str(f, "file", o.bin);
                fprintf(f, ", \"file_bytes\": %" PRIu64, o.bin_bytes);
            }
            j_member_str(f, "png_note", o.note);
            fputc('}', f);
        }
    }
    fputs("\n      ]}", f);
    d->info->surfaces++;
    return VGT_OK;
}

/* DIR/seq-NNNNNNNN, created (DIR too when missing; one level). */
static vgt_status make_dirs(dumper *d, const char *dir, uint64_t seq, vgt_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        return vgt_error_set(err, VGT_E_IO, "cannot create '%s': %s", dir, strerror(errno));
    }
    int k = snprintf(d->dir, sizeof(d->dir), "%s/seq-%08" PRIu64, dir, seq);
    if (k < 0 || (size_t)k >= sizeof(d->dir)) {
        return vgt_error_set(err, VGT_E_RANGE, "'%s': path too long", dir);
    }
    if (mkdir(d->dir, 0777) != 0 && errno != EEXIST) {
        return vgt_error_set(err, VGT_E_IO, "cannot create '%s': %s", d->dir, strerror(errno));
    }
    return VGT_OK;
}

vgt_status vgt_replayer_dump_state(vgt_replayer *r, const vgt_replay_command *c, const char *dir,
                                   vgt_state_dump_info *info, vgt_error *err)
{
    vgt_state_dump_info local;
    if (!info) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));
    dumper d = {.info = info};
    vgt_status st = make_dirs(&d, dir, c->seq, err);
    if (st != VGT_OK) {
        return st;
    }
    snprintf(info->dir, sizeof(info->dir), "%s", d.dir);
    vgt_executor *ex = vgt_replayer_executor(r);
    vgt_exec3d *e = ex->e3d;
    vgt_backend_caps caps = {0};
    if (e) {
        caps = e->caps;
    }
    d.contents = e && !caps.no_contents;
    info->contents_absent = e && caps.no_contents;

    /* The composed display first: what --screenshot would save now. */
    const vgt_image *shown = NULL;
    vgt_error ce;
    vgt_error_clear(&ce);
    char path[8192];
    if (vgt_executor_compose(ex, &shown, &ce) == VGT_OK && shown) {
        snprintf(path, sizeof(path), "%s/display.png", d.dir);
        if ((st = vgt_image_write_png(shown, path, false, err)) != VGT_OK) {
            return st;
        }
        info->display_png = true;
    }

    snprintf(path, sizeof(path), "%s/state.json", d.dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        return vgt_error_set(err, VGT_E_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    const char *name = vgt_cmd_name(c->id);
    fprintf(f, "{\n  \"seq\": %" PRIu64 ",\n  \"command\": ", c->seq);
    j_name(f, name, c->id);
    fprintf(f,
            ",\n  \"command_id\": %" PRIu32 ",\n  \"frame\": %" PRIu64
            ",\n  \"when\": \"after the command\",\n  \"command_status\": ",
            c->id, c->frame);
    j_str(f, c->status == VGT_OK ? "ok" : vgt_status_name(c->status));
    fprintf(f, ",\n  \"backend\": \"%s\",\n", vgt_replay_backend_name(vgt_replayer_backend(r)));
    /* false without 3D (no surfaces) and on a backend that keeps no
     * contents (null), which the note says */
    fprintf(f, "  \"surface_contents\": %s,\n", d.contents ? "true" : "false");
    if (info->contents_absent) {
        fputs("  \"surface_contents_note\": \"the backend keeps no surface contents (null): no "
              "surface pictures\",\n",
              f);
    }
    fprintf(f, "  \"display_png\": %s,\n", info->display_png ? "\"display.png\"" : "null");
    vgt_snapshot_reg regs[VGT_REPLAYER_REGS];
    size_t nregs = vgt_replayer_registers(r, regs, VGT_REPLAYER_REGS);
    dump_device(f, ex, c, regs, nregs);

    fputs("  \"contexts\": [", f);
    uint32_t n = 0;
    e3d_context *def = NULL;
    if (e) {
        def = calloc(1, sizeof(*def));
        if (!def) {
            fclose(f);
            return vgt_error_set(err, VGT_E_NOMEM, "out of memory");
        }
        e3d_context_defaults(def);
        for (uint32_t cid = 0; cid < VGT_EXEC3D_MAX_CONTEXT_IDS; cid++) {
            const e3d_context *ctx = e->contexts[cid];
            if (ctx) {
                fputs(n++ ? ",\n" : "\n", f);
                dump_context(f, ctx, def);
                info->contexts++;
            }
        }
        free(def);
    }
    fputs(n ? "\n  ],\n" : "],\n", f);

    fputs("  \"surfaces\": [", f);
    n = 0;
    for (uint32_t sid = 0; e && sid < e->surface_cap; sid++) {
        const e3d_surface *s = e->surfaces[sid];
        if (s && (st = dump_surface(f, e, &d, s, n++, err)) != VGT_OK) {
            fclose(f);
            return st;
        }
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        return vgt_error_set(err, VGT_E_IO, "cannot write '%s'", path);
    }
    return VGT_OK;
}
