/* trace.c - what the database does not hold: a command's words, re-read from
 * the trace the run was made from (traces.path), decoded with the one
 * decoder; the detail pane's text (timing breakdown, decoded fields, the
 * surfaces and shaders a command touches, shader disassembly); the search
 * over decoded lines. */
#include "tui_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Commands a search decodes at most per keypress (it wraps around once). */
#define SEARCH_BUDGET 2000000u

bool vgt_tui_source_trace_ok(vgt_tui_source *s, vgt_error *err)
{
    if (!s->trace_tried) {
        s->trace_tried = true;
        vgt_error e = {0};
        vgt_trace_reader_options o;
        vgt_trace_reader_options_init(&o);
        if (vgt_trace_reader_open(s->run.trace_path, &o, &s->trace, &e) != VGT_OK) {
            snprintf(s->trace_err, sizeof(s->trace_err), "%.290s", e.message);
            s->trace = NULL;
        }
    }
    if (!s->trace && err) {
        vgt_error_set(err, VGT_E_IO, "%s", s->trace_err);
    }
    return s->trace != NULL;
}

/* The next command of trace frame tframe (false at the frame's end), from
 * COMMAND and COMMAND_BATCH records. */
static vgt_status next_command(vgt_tui_source *s, uint64_t tframe, bool any_frame,
                               vgt_trace_command *c, uint64_t *rec_frame, bool *got, vgt_error *err)
{
    *got = false;
    vgt_trace_record rec;
    vgt_status rc;
    for (;;) {
        if (s->cmds_valid && vgt_trace_commands_next(&s->cmds, c)) {
            *rec_frame = s->cmds_frame;
            *got = true;
            return VGT_OK;
        }
        s->cmds_valid = false;
        if ((rc = vgt_trace_reader_next(s->trace, &rec, err)) != VGT_OK) {
            break;
        }
        if (!any_frame && rec.frame != tframe) {
            return VGT_OK;
        }
        if (!vgt_trace_is_commands(rec.type)) {
            continue;
        }
        if ((rc = vgt_trace_commands_parse(&rec, &s->cmds, err)) != VGT_OK) {
            return rc;
        }
        s->cmds_valid = true;
        s->cmds_frame = rec.frame;
    }
    return rc == VGT_E_END ? VGT_OK : rc;
}

static vgt_status copy_words(vgt_tui_source *s, const vgt_trace_command *c, vgt_error *err)
{
    if (c->nwords > VGT_CMD_MAX_WORDS) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "command %" PRIu64 ": %u words, more than any command", c->seq,
                             c->nwords);
    }
    if (c->nwords > s->words_cap) {
        uint32_t *w = realloc(s->words, (size_t)c->nwords * 4u);
        if (!w) {
            return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
        }
        s->words = w;
        s->words_cap = c->nwords;
    }
    for (uint32_t i = 0; i < c->nwords; i++) {
        s->words[i] = vgt_load_le32(c->words + 4u * i);
    }
    return VGT_OK;
}

/* Seeks the trace (the commands record being read is left behind). */
static vgt_status seek_trace_frame(vgt_tui_source *s, uint64_t tframe, vgt_error *err)
{
    s->cmds_valid = false;
    return vgt_trace_reader_seek_frame(s->trace, tframe, err);
}

static vgt_status seek_guest_frame(vgt_tui_source *s, uint64_t frame, uint64_t *tframe,
                                   vgt_error *err)
{
    if (frame < s->run.trace_start_frame) {
        return vgt_error_set(err, VGT_E_RANGE, "frame %" PRIu64 " is before the trace's first",
                             frame);
    }
    *tframe = frame - s->run.trace_start_frame;
    return seek_trace_frame(s, *tframe, err);
}

vgt_status tui_trace_command(vgt_tui_source *s, uint64_t seq, uint64_t frame,
                             const uint32_t **words, uint32_t *n, vgt_error *err)
{
    if (!vgt_tui_source_trace_ok(s, err)) {
        return VGT_E_IO;
    }
    uint64_t tframe = 0, rf;
    vgt_status rc = seek_guest_frame(s, frame, &tframe, err);
    if (rc != VGT_OK) {
        return rc;
    }
    vgt_trace_command c;
    bool got;
    while ((rc = next_command(s, tframe, false, &c, &rf, &got, err)) == VGT_OK && got) {
        if (c.seq == seq) {
            if ((rc = copy_words(s, &c, err)) != VGT_OK) {
                return rc;
            }
            *words = s->words;
            *n = c.nwords;
            return VGT_OK;
        }
    }
    return rc != VGT_OK
               ? rc
               : vgt_error_set(err, VGT_E_NOTFOUND, "%s: command %" PRIu64 " not in frame %" PRIu64,
                               s->run.trace_path, seq, frame);
}

/* Whether command c's decoded line contains text. */
static bool matches(vgt_tui_source *s, const vgt_trace_command *c, const char *text)
{
    if (c->nwords == 0 || copy_words(s, c, NULL) != VGT_OK) {
        return false;
    }
    vgt_cmd cmd;
    char line[2048];
    if (vgt_cmd_decode(s->words, c->nwords, &cmd, NULL) == VGT_OK) {
        vgt_cmd_format(line, sizeof(line), &cmd, false);
    } else {
        snprintf(line, sizeof(line), "%s", tui_type_name(s, s->words[0]));
    }
    return strcasestr(line, text) != NULL;
}

vgt_status tui_trace_search(vgt_tui_source *s, const char *text, int64_t from, bool forward,
                            bool *found, uint64_t *seq, uint64_t *frame, vgt_error *err)
{
    *found = false;
    uint64_t from_frame;
    vgt_status rc = tui_source_frame_at(s, from, &from_frame, err);
    if (rc != VGT_OK) {
        return rc;
    }
    uint64_t budget = SEARCH_BUDGET, tframe = 0, rf;
    vgt_trace_command c;
    bool got;
    if (forward) {
        /* from the frame of `from` to the end, then from the start up to `from` */
        for (int pass = 0; pass < 2 && !*found; pass++) {
            rc = pass == 0 ? seek_guest_frame(s, from_frame, &tframe, err)
                           : seek_trace_frame(s, 0, err);
            if (rc != VGT_OK) {
                return rc;
            }
            while (budget && (rc = next_command(s, 0, true, &c, &rf, &got, err)) == VGT_OK && got) {
                budget--;
                if (pass == 1 && (int64_t)c.seq > from) {
                    break;
                }
                if ((pass == 1 || (int64_t)c.seq > from) && matches(s, &c, text)) {
                    *found = true;
                    *seq = c.seq;
                    *frame = rf + s->run.trace_start_frame;
                    break;
                }
            }
            if (rc != VGT_OK) {
                return rc;
            }
        }
        return VGT_OK;
    }
    /* backward: frame by frame from the frame of `from` down, then from the last frame */
    uint64_t first = s->run.first_frame, last = s->run.last_frame;
    uint64_t f = from_frame;
    for (uint64_t visited = 0; visited <= last - first + 1 && budget && !*found; visited++) {
        if ((rc = seek_guest_frame(s, f, &tframe, err)) != VGT_OK) {
            return rc;
        }
        while (budget && (rc = next_command(s, tframe, false, &c, &rf, &got, err)) == VGT_OK &&
               got) {
            budget--;
            bool before = visited == 0 ? (int64_t)c.seq < from : true;
            if (visited > 0 && f == from_frame &&
                (int64_t)c.seq <= from) { /* wrapped to the start */
                before = false;
            }
            if (before && matches(s, &c, text)) {
                *found = true;
                *seq = c.seq;
                *frame = f;
            }
        }
        if (rc != VGT_OK) {
            return rc;
        }
        f = f == first ? last : f - 1;
    }
    return VGT_OK;
}

/* ---- the detail text ------------------------------------------------------------------ */

typedef struct lines {
    char **v;
    size_t n, cap;
    bool nomem;
} lines;

static void add(lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(lines *l, const char *fmt, ...)
{
    if (l->nomem) {
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (!v) {
            l->nomem = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    if (!s) {
        l->nomem = true;
        return;
    }
    char *nl = strchr(s, '\n');
    if (nl) { /* one entry per line */
        *nl = 0;
        l->v[l->n++] = s;
        add(l, "    %s", nl + 1);
        return;
    }
    l->v[l->n++] = s;
}

void vgt_tui_lines_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static void timing_line(lines *l, const char *what, int64_t ns, uint64_t total, const char *extra)
{
    char t[32], bar[21];
    int w = 0;
    if (ns > 0 && total > 0) {
        /* a phase above its command's total (a damaged row) fills the bar;
         * clamped before the cast, which is undefined past INT_MAX */
        double cells = (double)ns / (double)total * 20.0 + 0.5;
        w = cells >= 20 ? 20 : (int)cells;
    }
    memset(bar, '#', (size_t)w);
    bar[w] = 0;
    add(l, "  %-16s %10s  %-20s %s", what, tui_fmt_ns(ns, t, sizeof(t)), bar, extra);
}

/* The decoded line split into "key=value" fields at the top level. */
static void add_fields(lines *l, const char *line)
{
    const char *p = line;
    int depth = 0;
    const char *start = p;
    for (;; p++) {
        if (*p == '[' || *p == '{' || *p == '(') {
            depth++;
        } else if ((*p == ']' || *p == '}' || *p == ')') && depth > 0) {
            depth--;
        }
        if (*p == 0 || (*p == ' ' && depth == 0)) {
            size_t len = (size_t)(p - start);
            /* long values (arrays) continue on following lines */
            for (size_t off = 0; off < len; off += 72) {
                size_t k = len - off < 72 ? len - off : 72;
                add(l, "  %s%.*s", off ? "    " : "", (int)k, start + off);
            }
            if (*p == 0) {
                break;
            }
            start = p + 1;
        }
    }
}

static void add_sid(uint32_t *sids, size_t *n, size_t max, uint32_t sid)
{
    if (sid == VGT_SVGA3D_INVALID_ID) {
        return;
    }
    for (size_t i = 0; i < *n; i++) {
        if (sids[i] == sid) {
            return;
        }
    }
    if (*n < max) {
        sids[(*n)++] = sid;
    }
}

/* The surfaces a decoded command names. */
static size_t touched_surfaces(const vgt_cmd *c, uint32_t *sids, size_t max)
{
    size_t n = 0;
    switch (c->id) {
    case VGT_SVGA3D_CMD_SURFACE_DEFINE:
        add_sid(sids, &n, max, c->u.surface_define.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DEFINE_V2:
        add_sid(sids, &n, max, c->u.surface_define_v2.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DESTROY:
        add_sid(sids, &n, max, c->u.surface_destroy.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_COPY:
        add_sid(sids, &n, max, c->u.surface_copy.src.sid);
        add_sid(sids, &n, max, c->u.surface_copy.dest.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_STRETCHBLT:
        add_sid(sids, &n, max, c->u.surface_stretchblt.src.sid);
        add_sid(sids, &n, max, c->u.surface_stretchblt.dest.sid);
        break;
    case VGT_SVGA3D_CMD_SURFACE_DMA:
        add_sid(sids, &n, max, c->u.surface_dma.host.sid);
        break;
    case VGT_SVGA3D_CMD_SETRENDERTARGET:
        add_sid(sids, &n, max, c->u.setrendertarget.target.sid);
        break;
    case VGT_SVGA3D_CMD_PRESENT:
        add_sid(sids, &n, max, c->u.present.sid);
        break;
    case VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN:
        add_sid(sids, &n, max, c->u.blit_surface_to_screen.src_image.sid);
        break;
    case VGT_SVGA3D_CMD_GENERATE_MIPMAPS:
        add_sid(sids, &n, max, c->u.generate_mipmaps.sid);
        break;
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        for (uint32_t i = 0; i < c->items.count; i++) {
            vgt_svga3d_texture_state_entry e;
            vgt_cmd_array_get(&c->items, i, &e);
            if (e.name == VGT_SVGA3D_TS_BIND_TEXTURE) {
                add_sid(sids, &n, max, e.value);
            }
        }
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        for (uint32_t i = 0; i < c->items.count; i++) {
            vgt_svga3d_vertex_decl d;
            vgt_cmd_array_get(&c->items, i, &d);
            add_sid(sids, &n, max, d.array.surface_id);
        }
        for (uint32_t i = 0; i < c->ranges.count; i++) {
            vgt_svga3d_primitive_range r;
            vgt_cmd_array_get(&c->ranges, i, &r);
            add_sid(sids, &n, max, r.index_array.surface_id);
        }
        break;
    default:
        break;
    }
    return n;
}

static void add_disassembly(lines *l, const uint32_t *words, uint32_t n)
{
    vgt_shader *sh = NULL;
    vgt_error e = {0};
    if (vgt_shader_parse(words, n, &sh, NULL, &e) != VGT_OK) {
        add(l, "  (bytecode rejected: %s)", e.message);
        return;
    }
    char *text = NULL;
    if (vgt_shader_disassemble(sh, 0, &text, NULL, &e) != VGT_OK) {
        add(l, "  (%s)", e.message);
    } else {
        for (char *p = text, *nl; *p; p = nl + 1) {
            nl = strchr(p, '\n');
            if (!nl) {
                add(l, "  %s", p);
                break;
            }
            add(l, "  %.*s", (int)(nl - p), p);
        }
    }
    free(text);
    vgt_shader_free(sh);
}

static const char *shader_type(uint32_t t)
{
    return t == VGT_SVGA3D_SHADERTYPE_VS ? "vs" : t == VGT_SVGA3D_SHADERTYPE_PS ? "ps" : "?";
}

/* Decoded fields, surfaces, shaders: everything that needs the trace. */
static void add_decoded(vgt_tui_source *s, lines *l, const vgt_tui_cmd_row *row)
{
    const uint32_t *w;
    uint32_t n;
    vgt_error e = {0};
    add(l, "Decoded fields (from %s)", s->run.trace_path);
    if (tui_trace_command(s, row->seq, row->frame, &w, &n, &e) != VGT_OK) {
        add(l, "  not available: %s", e.message);
        return;
    }
    /* keep our own copy: shader lookups below read other commands */
    uint32_t *words = malloc((size_t)n * 4u);
    if (!words) {
        add(l, "  out of memory");
        return;
    }
    memcpy(words, w, (size_t)n * 4u);
    vgt_cmd cmd;
    if (vgt_cmd_decode(words, n, &cmd, &e) != VGT_OK) {
        add(l, "  %u %s; the decoder rejects it: %s", n, tui_noun(n, "word", "words"), e.message);
        free(words);
        return;
    }
    size_t size = 65536;
    char *line = malloc(size);
    if (line) {
        /* a shader's bytecode is shown disassembled below, not as words */
        vgt_cmd_format(line, size, &cmd, cmd.id != VGT_SVGA3D_CMD_SHADER_DEFINE);
        add_fields(l, line);
        free(line);
    }
    uint32_t sids[32];
    size_t nsid = touched_surfaces(&cmd, sids, 32);
    add(l, "%s", "");
    add(l, "Surfaces it touches");
    if (!nsid) {
        add(l, "  none");
    }
    for (size_t i = 0; i < nsid; i++) {
        char buf[512];
        if (tui_source_surface(s, sids[i], row->seq, buf, sizeof(buf), &e) != VGT_OK) {
            add(l, "  sid %u: %s", sids[i], e.message);
        } else {
            add(l, "  %s", buf);
        }
    }
    bool define = cmd.id == VGT_SVGA3D_CMD_SHADER_DEFINE;
    bool set = cmd.id == VGT_SVGA3D_CMD_SET_SHADER;
    bool destroy = cmd.id == VGT_SVGA3D_CMD_SHADER_DESTROY;
    if (define || set || destroy) {
        uint32_t cid = define ? cmd.u.shader_define.cid
                       : set  ? cmd.u.set_shader.cid
                              : cmd.u.shader_destroy.cid;
        uint32_t shid = define ? cmd.u.shader_define.shid
                        : set  ? cmd.u.set_shader.shid
                               : cmd.u.shader_destroy.shid;
        uint32_t type = define ? cmd.u.shader_define.type
                        : set  ? cmd.u.set_shader.type
                               : cmd.u.shader_destroy.type;
        add(l, "%s", "");
        add(l, "Shaders");
        char buf[512];
        uint64_t def = UINT64_MAX;
        if (set && shid == VGT_SVGA3D_INVALID_ID) {
            add(l, "  %s unbound", shader_type(type));
        } else if (tui_source_shader(s, cid, shid, shader_type(type), row->seq, &def, buf,
                                     sizeof(buf), &e) != VGT_OK) {
            add(l, "  %s", e.message);
        } else {
            add(l, "  %s", buf);
        }
        if (define) {
            add(l, "%s", "");
            add(l, "Shader disassembly (%s shid %u)", shader_type(type), shid);
            add_disassembly(l, cmd.data, cmd.data_words);
        } else if (set && def != UINT64_MAX) {
            uint64_t dframe;
            vgt_cmd dc;
            if (tui_source_frame_of(s, def, &dframe, &e) == VGT_OK &&
                tui_trace_command(s, def, dframe, &w, &n, &e) == VGT_OK &&
                vgt_cmd_decode(w, n, &dc, &e) == VGT_OK) {
                add(l, "%s", "");
                add(l, "Shader disassembly (%s shid %u, defined by #%" PRIu64 ")",
                    shader_type(type), shid, def);
                add_disassembly(l, dc.data, dc.data_words);
            } else {
                add(l, "  disassembly not available: %s", e.message);
            }
        }
    }
    free(words);
}

vgt_status vgt_tui_source_detail(vgt_tui_source *s, const vgt_tui_cmd_row *c, char ***out,
                                 size_t *nout, vgt_error *err)
{
    lines l = {0};
    char a[32], b[32], x[96];
    add(&l, "%s  #%" PRIu64 "  frame %" PRIu64 "  %u %s  status %s", c->name, c->seq, c->frame,
        c->bytes, tui_noun(c->bytes, "byte", "bytes"),
        c->status == 0 ? "ok" : vgt_status_name((vgt_status)c->status));
    add(&l, "%s", "");
    add(&l, "Timing (replay on %s, the median of %" PRIu64 " %s)", s->run.backend, s->run.replays,
        tui_noun(s->run.replays, "replay", "replays"));
    timing_line(&l, "total", (int64_t)c->total, c->total, "");
    timing_line(&l, "decode+validate", (int64_t)c->decode, c->total, "");
    snprintf(x, sizeof(x), "%s read from guest memory", tui_fmt_bytes(c->dma_bytes, a, sizeof(a)));
    timing_line(&l, "DMA", (int64_t)c->dma, c->total, x);
    timing_line(&l, "translate", (int64_t)c->translate, c->total, "");
    snprintf(x, sizeof(x), "%u %s", c->backend_calls,
             tui_noun(c->backend_calls, "backend call", "backend calls"));
    timing_line(&l, "backend", (int64_t)c->backend, c->total, x);
    timing_line(&l, "GPU", c->gpu, c->total, c->gpu < 0 ? "(not measured)" : "");
    timing_line(&l, "native", c->native, c->total, c->native < 0 ? "(not measured)" : "");
    tui_fmt_ratio(c->total, c->native, 1, s->run.timer_ns, a, sizeof(a));
    snprintf(x, sizeof(x), "virtual/native %s%s", a,
             strcmp(a, "inf*") == 0 ? " (native below resolution)" : "");
    timing_line(&l, "overhead", c->overhead, c->total, x);
    add(&l, "  %-16s %10s  device %s (live, from the capture)", "queue latency",
        tui_fmt_ns(c->queue, a, sizeof(a)), tui_fmt_ns(c->device, b, sizeof(b)));
    add(&l, "  %-16s %10" PRIu64 "  replay start %s", "primitives", c->primitives,
        tui_fmt_ns((int64_t)c->start, a, sizeof(a)));
    add(&l, "%s", "");
    add_decoded(s, &l, c);
    if (l.nomem) {
        vgt_tui_lines_free(l.v, l.n);
        return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
    }
    *out = l.v;
    *nout = l.n;
    return VGT_OK;
}

/* ---- formatting -------------------------------------------------------------------------- */

const char *tui_fmt_ratio(uint64_t total, int64_t native, uint64_t count, double timer_ns,
                          char *buf, size_t size)
{
    /* vgt analyze's rule, so that a figure the tui shows is the one the
     * report prints: a native cost below one clock read per command is
     * noise, not a ratio (a null run's 258 ns over 49 commands is no 1974x) */
    double ratio = 0;
    switch (vgt_analyze_ratio(total, native, count, timer_ns, &ratio)) {
    case VGT_ANALYZE_RATIO_OK:
        snprintf(buf, size, "%.2f", ratio);
        break;
    case VGT_ANALYZE_RATIO_BELOW:
        snprintf(buf, size, "inf*");
        break;
    default:
        snprintf(buf, size, "-");
        break;
    }
    return buf;
}

const char *tui_fmt_ns(int64_t ns, char *buf, size_t size)
{
    double v = (double)ns;
    if (ns < 0) {
        snprintf(buf, size, "-");
    } else if (v < 1e3) {
        snprintf(buf, size, "%.0f ns", v);
    } else if (v < 1e6) {
        snprintf(buf, size, "%.1f us", v / 1e3);
    } else if (v < 1e9) {
        snprintf(buf, size, "%.2f ms", v / 1e6);
    } else {
        snprintf(buf, size, "%.2f s", v / 1e9);
    }
    return buf;
}

const char *tui_noun(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

const char *tui_fmt_bytes(uint64_t b, char *buf, size_t size)
{
    if (b < 1024) {
        snprintf(buf, size, "%" PRIu64 " B", b);
    } else if (b < 1024 * 1024) {
        snprintf(buf, size, "%.1f KiB", (double)b / 1024.0);
    } else {
        snprintf(buf, size, "%.1f MiB", (double)b / 1048576.0);
    }
    return buf;
}
