/* html.c - one self-contained HTML page per run: inline CSS and SVG, no
 * scripts, no external resources.  Four sections, one chart each: frame
 * time, hotspots, the overhead breakdown per command type, batch size; a
 * fifth, the frames' wall times, for a --sync frame run. */
#include "analyze_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W       900
#define PAD_L   70
#define PAD_R   20
#define PAD_T   20
#define PAD_B   40
#define MAX_BAR 600 /* frame buckets drawn at most */

static const char *const PHASE_NAME[] = {"decode+validate", "DMA", "translate",
                                         "backend (above native)", "native"};
static const char *const PHASE_COLOR[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f"};

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* A round axis maximum and a tick step for max. */
static double nice_max(double max, double *step)
{
    if (max <= 0) {
        max = 1;
    }
    double mag = pow(10, floor(log10(max)));
    double steps[] = {1, 2, 2.5, 5, 10};
    double st = mag;
    for (int i = 0; i < 5; i++) {
        st = steps[i] * mag / 4.0;
        if (max / st <= 5.0) {
            break;
        }
    }
    *step = st;
    return ceil(max / st) * st;
}

static void y_axis(FILE *f, double max, double step, int h, const char *unit)
{
    char b[32];
    for (double v = 0; v <= max + step / 2; v += step) {
        double y = PAD_T + (h - PAD_T - PAD_B) * (1 - v / max);
        fprintf(f,
                "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ddd'/>"
                "<text x='%d' y='%.1f' text-anchor='end' font-size='11'>%s</text>\n",
                PAD_L, W - PAD_R, y, y, PAD_L - 4, y + 4, an_fmt_ns(v, b, sizeof(b)));
    }
    fprintf(f,
            "<text x='12' y='%d' font-size='11' transform='rotate(-90 12 %d)' "
            "text-anchor='middle'>%s</text>\n",
            h / 2, h / 2, unit);
}

/* Opens a chart of height h (plus a legend row) with a y axis up to max
 * rounded up; returns the rounded maximum. */
static double svg_open(FILE *f, int h, double max, const char *unit)
{
    double step;
    max = nice_max(max, &step);
    fprintf(f,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
            "font-family='sans-serif'>\n",
            W, h + 20);
    y_axis(f, max, step, h, unit);
    return max;
}

static void legend(FILE *f, int x, int y, int from, int n)
{
    for (int i = 0; i < n; i++) {
        fprintf(f,
                "<rect x='%d' y='%d' width='10' height='10' fill='%s'/>"
                "<text x='%d' y='%d' font-size='11'>%s</text>\n",
                x, y, PHASE_COLOR[from + i], x + 14, y + 9, PHASE_NAME[from + i]);
        x += 30 + 7 * (int)strlen(PHASE_NAME[from + i]);
    }
}

/* The five stacked segments of a set of commands. */
static void segments(uint64_t decode, uint64_t dma, uint64_t translate, uint64_t backend,
                     int64_t native, double out[5])
{
    double nat = native > 0 ? (double)native : 0;
    double be = (double)backend;
    out[0] = (double)decode;
    out[1] = (double)dma;
    out[2] = (double)translate;
    out[4] = nat < be ? nat : be;
    out[3] = be - out[4];
}

/* The frames per bucket of a frame chart drawing n frames. */
static size_t bucket_frames(size_t n)
{
    return n > MAX_BAR ? (n + MAX_BAR - 1) / MAX_BAR : 1;
}

/* The number of frames in bucket b (per a bucket) of n frames. */
static size_t bucket_count(size_t b, size_t per, size_t n)
{
    return n - b * per < per ? n - b * per : per;
}

/* The frame charts draw the complete frames of rows[nrows], n of them: a
 * partial frame (the commands after the guest's last frame end) is not a
 * frame's cost, and the page says it apart.  They walk the report's one
 * array, skipping the partial rows, rather than a copy of every frame. */
static void chart_frames(FILE *f, const an_frame_row *rows, size_t nrows, size_t n)
{
    const int h = 300;
    size_t per = bucket_frames(n);
    size_t nb = n ? (n + per - 1) / per : 0;
    double(*seg)[5] = calloc(nb ? nb : 1, sizeof(*seg));
    double *live = calloc(nb ? nb : 1, sizeof(*live));
    uint64_t *first = calloc(nb ? nb : 1, sizeof(*first)); /* each bucket's first frame */
    double max = 0;
    for (size_t i = 0, c = 0; seg && live && first && i < nrows && c < n; i++) {
        const an_frame_row *fr = &rows[i];
        if (fr->partial) {
            continue;
        }
        size_t b = c / per;
        if (c++ % per == 0) {
            first[b] = fr->frame;
        }
        double s[5];
        segments(fr->decode, fr->dma, fr->translate, fr->backend, fr->native, s);
        for (int k = 0; k < 5; k++) {
            seg[b][k] += s[k];
        }
        live[b] += fr->live > 0 ? (double)fr->live : 0;
    }
    for (size_t b = 0; seg && live && first && b < nb; b++) {
        size_t cnt = bucket_count(b, per, n);
        double sum = 0;
        for (int k = 0; k < 5; k++) {
            seg[b][k] /= (double)cnt;
            sum += seg[b][k];
        }
        live[b] /= (double)cnt;
        max = sum > max ? sum : max;
    }
    max = svg_open(f, h, max, "replay time per frame");
    double bw = nb ? (double)(W - PAD_L - PAD_R) / (double)nb : 0;
    for (size_t b = 0; seg && b < nb; b++) {
        double y = h - PAD_B;
        for (int k = 0; k < 5; k++) {
            double hh = (h - PAD_T - PAD_B) * seg[b][k] / max;
            if (hh <= 0) {
                continue;
            }
            y -= hh;
            fprintf(f, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='%s'/>\n",
                    PAD_L + b * bw, y, bw > 1.5 ? bw - 0.5 : bw, hh, PHASE_COLOR[k]);
        }
    }
    fprintf(f,
            "<text x='%d' y='%d' font-size='11' text-anchor='middle'>frame (%zu per bar)</text>\n",
            (PAD_L + W - PAD_R) / 2, h - PAD_B + 28, per);
    for (size_t b = 0; first && b < nb; b += nb / 10 ? nb / 10 : 1) {
        fprintf(f, "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%" PRIu64 "</text>\n",
                PAD_L + (b + 0.5) * bw, h - PAD_B + 13, first[b]);
    }
    legend(f, PAD_L, h + 5, 0, 5);
    fputs("</svg>\n", f);
    free(seg);
    free(live);
    free(first);
}

/* --sync frame: each frame's wall time, virtualized and native, as two lines
 * (bucketed to MAX_BAR points, each the bucket's mean). */
static void chart_walls(FILE *f, const an_report *r, size_t n)
{
    static const char *const name[2] = {"virtualized (replay)", "native (re-issue)"};
    static const char *const color[2] = {"#4e79a7", "#59a14f"};
    const int h = 280;
    size_t per = bucket_frames(n);
    size_t nb = n ? (n + per - 1) / per : 0;
    double(*pt)[2] = calloc(nb ? nb : 1, sizeof(*pt));
    double max = 0;
    for (size_t i = 0, c = 0; pt && i < r->nframes && c < n; i++) {
        const an_frame_row *fr = &r->frames_all[i];
        if (fr->partial) {
            continue;
        }
        size_t b = c++ / per;
        pt[b][0] += fr->vwall > 0 ? (double)fr->vwall : 0;
        pt[b][1] += fr->nwall > 0 ? (double)fr->nwall : 0;
    }
    for (size_t b = 0; pt && b < nb; b++) {
        size_t cnt = bucket_count(b, per, n);
        for (int k = 0; k < 2; k++) {
            pt[b][k] /= (double)cnt;
            max = pt[b][k] > max ? pt[b][k] : max;
        }
    }
    max = svg_open(f, h, max, "wall time per frame");
    double bw = nb ? (double)(W - PAD_L - PAD_R) / (double)nb : 0;
    for (int k = 0; k < 2 && pt; k++) {
        if (k == 1 && !r->walls_native) {
            break;
        }
        fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='1.5' points='", color[k]);
        for (size_t b = 0; b < nb; b++) {
            fprintf(f, "%.1f,%.1f ", PAD_L + (b + 0.5) * bw,
                    h - PAD_B - (h - PAD_T - PAD_B) * pt[b][k] / max);
        }
        fprintf(f,
                "'/>\n<rect x='%d' y='%d' width='10' height='10' fill='%s'/>"
                "<text x='%d' y='%d' font-size='11'>%s</text>\n",
                PAD_L + 200 * k, h + 5, color[k], PAD_L + 200 * k + 14, h + 14, name[k]);
    }
    fprintf(
        f, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>frame (%zu per point)</text>\n",
        (PAD_L + W - PAD_R) / 2, h - PAD_B + 28, per);
    fputs("</svg>\n", f);
    free(pt);
}

static void chart_hotspots(FILE *f, const an_report *r, size_t n)
{
    const int row = 22, label = 200;
    int h = PAD_T + (int)n * row + 30;
    double max = n ? (double)r->types[0].total : 1;
    double step;
    max = nice_max(max, &step);
    fprintf(f,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
            "font-family='sans-serif'>\n",
            W, h);
    int x0 = label, x1 = W - 120;
    char b[32];
    for (size_t i = 0; i < n; i++) {
        const an_type_row *t = &r->types[i];
        double w = (x1 - x0) * (double)t->total / max;
        int y = PAD_T + (int)i * row;
        fprintf(f, "<text x='%d' y='%d' font-size='12' text-anchor='end'>", x0 - 6, y + 14);
        html_text(f, t->name);
        fprintf(f,
                "</text><rect x='%d' y='%d' width='%.2f' height='%d' fill='#4e79a7'/>"
                "<text x='%.1f' y='%d' font-size='11'>%s (%.1f%%)</text>\n",
                x0, y + 2, w, row - 6, x0 + w + 4, y + 14, an_fmt_ns((double)t->total, b, 32),
                t->share * 100);
    }
    fprintf(f,
            "<text x='%d' y='%d' font-size='11' text-anchor='middle'>total replay time per "
            "command type</text>\n",
            (x0 + x1) / 2, h - 8);
    fputs("</svg>\n", f);
}

static void chart_breakdown(FILE *f, const an_report *r, size_t n)
{
    const int row = 22, label = 200;
    int h = PAD_T + (int)n * row + 50;
    int x0 = label, x1 = W - 30;
    fprintf(f,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
            "font-family='sans-serif'>\n",
            W, h);
    for (size_t i = 0; i < n; i++) {
        const an_type_row *t = &r->types[i];
        double s[5], sum = 0;
        segments(t->decode, t->dma, t->translate, t->backend, t->native, s);
        for (int k = 0; k < 5; k++) {
            sum += s[k];
        }
        int y = PAD_T + (int)i * row;
        fprintf(f, "<text x='%d' y='%d' font-size='12' text-anchor='end'>", x0 - 6, y + 14);
        html_text(f, t->name);
        fputs("</text>\n", f);
        double x = x0;
        for (int k = 0; k < 5 && sum > 0; k++) {
            double w = (x1 - x0) * s[k] / sum;
            if (w <= 0) {
                continue;
            }
            fprintf(f,
                    "<rect x='%.2f' y='%d' width='%.2f' height='%d' fill='%s'><title>%s: "
                    "%.1f%%</title></rect>\n",
                    x, y + 2, w, row - 6, PHASE_COLOR[k], PHASE_NAME[k], 100 * s[k] / sum);
            x += w;
        }
    }
    for (int p = 0; p <= 100; p += 25) {
        double x = x0 + (x1 - x0) * p / 100.0;
        fprintf(f, "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%d%%</text>\n", x,
                PAD_T + (int)n * row + 10, p);
    }
    legend(f, x0, h - 18, 0, 5);
    fputs("</svg>\n", f);
}

static void chart_batches(FILE *f, const an_report *r)
{
    const int h = 280;
    size_t n = r->nbatches;
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        const an_batch_row *b = &r->batches[i];
        double m = (double)b->total / (double)b->draws;
        max = m > max ? m : max;
    }
    max = svg_open(f, h, max, "mean time per draw");
    double slot = n ? (double)(W - PAD_L - PAD_R) / (double)n : 0;
    double bw = slot * 0.35;
    for (size_t i = 0; i < n; i++) {
        const an_batch_row *b = &r->batches[i];
        double tot = (double)b->total / (double)b->draws;
        double nat = b->native > 0 ? (double)b->native / (double)b->draws : 0;
        double ov = b->overhead > 0 ? (double)b->overhead / (double)b->draws : 0;
        double x = PAD_L + slot * (double)i + slot * 0.15;
        double scale = (h - PAD_T - PAD_B) / max;
        fprintf(f,
                "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#e15759'><title>"
                "overhead per draw</title></rect>\n"
                "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#59a14f'><title>"
                "native per draw</title></rect>\n"
                "<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%" PRIu64 "-%" PRIu64
                "</text>\n",
                x, h - PAD_B - ov * scale, bw, ov * scale, x + bw, h - PAD_B - nat * scale, bw,
                nat * scale, x + bw, h - PAD_B + 13, b->lo, b->hi);
        (void)tot;
    }
    fprintf(f,
            "<text x='%d' y='%d' font-size='11' text-anchor='middle'>primitives per draw "
            "(batch size)</text>\n"
            "<rect x='%d' y='%d' width='10' height='10' fill='#e15759'/><text x='%d' y='%d' "
            "font-size='11'>overhead per draw</text>"
            "<rect x='%d' y='%d' width='10' height='10' fill='#59a14f'/><text x='%d' y='%d' "
            "font-size='11'>native per draw</text>\n",
            (PAD_L + W - PAD_R) / 2, h - PAD_B + 28, PAD_L, h + 5, PAD_L + 14, h + 14, PAD_L + 160,
            h + 5, PAD_L + 174, h + 14);
    if (n == 0) {
        fprintf(f,
                "<text x='%d' y='%d' font-size='13' text-anchor='middle'>no draw calls in "
                "this trace</text>\n",
                W / 2, h / 2);
    }
    fputs("</svg>\n", f);
}

static void ratio_cell(FILE *f, bool native, bool has, bool below, double ratio)
{
    if (!native) {
        fputs("<td>-</td>", f);
    } else if (below) {
        fputs("<td title='native below the timer resolution'>&infin;</td>", f);
    } else if (has) {
        fprintf(f, "<td>%.2f</td>", ratio);
    } else {
        fputs("<td>-</td>", f);
    }
}

static void opt_cell(FILE *f, int64_t v)
{
    char b[32];
    fprintf(f, "<td>%s</td>", v < 0 ? "-" : an_fmt_ns((double)v, b, sizeof(b)));
}

vgt_status vgt_analyze_html(vgt_analyze_db *db, int64_t run_id, FILE *f, vgt_error *err)
{
    an_report r;
    vgt_status st = an_report_load(db, run_id, 10, &r, err);
    if (st != VGT_OK) {
        return st;
    }
    char b[6][32];
    size_t ntop = r.ntypes < 12 ? r.ntypes : 12;
    /* the complete frames, for the charts: frames_all less its partial rows */
    size_t ncf = r.nframes - r.npartial;
    const an_frame_row *partial = NULL;
    /* " (+ 1 partial; guest frames 6..8 only, --frames)": the text
     * report's words */
    char plus[112];
    vgt_analyze_frames_note(plus, sizeof(plus), r.npartial, r.ranged, r.range_first, r.range_last,
                            " only, --frames");
    for (size_t i = 0; i < r.nframes && !partial; i++) {
        if (r.frames_all[i].partial) {
            partial = &r.frames_all[i];
        }
    }
    fputs("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>vgt analyze: ", f);
    html_text(f, r.trace_path);
    fputs("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222;max-width:960px}"
          "table{border-collapse:collapse;font-size:12px;margin:8px 0}"
          "td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}"
          "td:first-child,th:first-child{text-align:left}"
          "section{margin-bottom:36px}h2{border-bottom:2px solid #4e79a7}"
          ".note{color:#666;font-size:12px}</style></head><body>\n",
          f);
    fputs("<h1>vgt analyze: ", f);
    html_text(f, r.trace_path);
    fprintf(f, "</h1>\n<p>run %" PRId64 " on the <b>", r.run_id);
    html_text(f, r.backend);
    fputs("</b> backend, host ", f);
    html_text(f, r.host);
    char ratio[64] = "-";
    if (r.native && r.below) {
        snprintf(ratio, sizeof(ratio), "&infin; (native below the timer resolution)");
    } else if (r.native && r.has_ratio) {
        snprintf(ratio, sizeof(ratio), "%.2f", r.ratio);
    }
    fprintf(f,
            ", %s; %" PRIu64 " command%s, %" PRIu64 " frame%s%s; %u replay%s (median per "
            "command); %.1f ns per clock read subtracted.<br>total %s, native %s, overhead %s, "
            "virtual/native %s</p>\n",
            r.date, r.commands, vgt_plural(r.commands), r.frames, vgt_plural(r.frames), plus,
            r.replays, vgt_plural(r.replays), r.timer_ns, an_fmt_ns((double)r.total, b[0], 32),
            r.native_ns < 0 ? "-" : an_fmt_ns((double)r.native_ns, b[1], 32),
            r.overhead_ns < 0 ? "-" : an_fmt_ns((double)r.overhead_ns, b[2], 32), ratio);

    fputs("<section id='frames'><h2>Frame time</h2>\n", f);
    chart_frames(f, r.frames_all, r.nframes, ncf);
    if (partial) {
        fprintf(f,
                "<p class='note'>Frame %" PRIu64 " is partial: the %" PRIu64 " command%s after the "
                "guest's last frame end (its teardown, or a capture cut short), %s; in the totals "
                "and per-type figures, not in the charts and tables of frames.</p>\n",
                partial->frame, partial->commands, vgt_plural(partial->commands),
                an_fmt_ns((double)partial->total, b[0], 32));
    }
    fputs("<h3>Slowest frames</h3><table><tr><th>frame</th><th>commands</th><th>total</th>"
          "<th>native</th><th>overhead</th><th>live</th><th>top commands</th></tr>\n",
          f);
    for (size_t i = 0; i < r.nslow; i++) {
        const an_frame_row *fr = &r.slow[i];
        const an_frame_top *top = &r.slow_top[i];
        fprintf(f, "<tr><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%s</td>", fr->frame,
                fr->commands, an_fmt_ns((double)fr->total, b[0], 32));
        opt_cell(f, fr->native);
        opt_cell(f, fr->overhead);
        opt_cell(f, fr->live);
        fputs("<td>", f);
        for (int k = 0; k < top->n && k < 3; k++) {
            fputs(k ? ", " : "", f);
            html_text(f, top->cmd[k].name);
            fprintf(f, " #%" PRIu64 " %s", top->cmd[k].seq,
                    an_fmt_ns((double)top->cmd[k].total, b[1], 32));
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table></section>\n", f);

    if (r.walls) { /* --sync frame */
        int64_t nat = r.walls_native ? (int64_t)r.wall_n_p50 : -1;
        char rt[32] = "-";
        double wr;
        if (vgt_analyze_wall_ratio((int64_t)r.wall_v_p50, nat, &wr)) {
            snprintf(rt, sizeof(rt), "%.2f", wr);
        }
        fprintf(f,
                "<section id='walls'><h2>Frame cost, pipelined</h2>\n<p>Frames cost <b>%s</b> "
                "virtualized vs <b>%s</b> native (median frame, virtual/native <b>%s</b>).</p>\n"
                "<p class='note'>--sync frame: no wait per backend call, one at each frame's "
                "end; each frame timed whole on both sides (median of the replays). The "
                "per-command figures of this run are the calls' CPU cost.</p>\n",
                r.wall_frames ? an_fmt_ns((double)r.wall_v_p50, b[0], 32) : "-",
                nat < 0 ? "-" : an_fmt_ns((double)nat, b[1], 32), rt);
        chart_walls(f, &r, ncf);
        fputs("<table><tr><th>frame</th><th>commands</th><th>virtualized</th><th>native</th>"
              "<th>virtual/native</th></tr>\n",
              f);
        for (size_t i = 0; i < r.nworst; i++) {
            const an_frame_row *fr = &r.worst[i];
            fprintf(f, "<tr><td>%" PRIu64 "</td><td>%" PRIu64 "</td>", fr->frame, fr->commands);
            opt_cell(f, fr->vwall);
            opt_cell(f, fr->nwall);
            if (vgt_analyze_wall_ratio(fr->vwall, fr->nwall, &wr)) {
                fprintf(f, "<td>%.2f</td></tr>\n", wr);
            } else {
                fputs("<td>-</td></tr>\n", f);
            }
        }
        fputs("</table></section>\n", f);
    }

    fputs("<section id='hotspots'><h2>Hotspots: command types by total time</h2>\n", f);
    chart_hotspots(f, &r, ntop);
    fputs("<table><tr><th>command</th><th>count</th><th>total</th><th>mean</th><th>p50</th>"
          "<th>p95</th><th>p99</th><th>share</th><th>native</th><th>overhead</th>"
          "<th>virtual/native</th></tr>\n",
          f);
    for (size_t i = 0; i < r.ntypes; i++) {
        const an_type_row *t = &r.types[i];
        fputs("<tr><td>", f);
        html_text(f, t->name);
        fprintf(f,
                "</td><td>%" PRIu64 "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%.1f%%</td>",
                t->count, an_fmt_ns((double)t->total, b[0], 32), an_fmt_ns(t->mean, b[1], 32),
                an_fmt_ns((double)t->p50, b[2], 32), an_fmt_ns((double)t->p95, b[3], 32),
                an_fmt_ns((double)t->p99, b[4], 32), t->share * 100);
        opt_cell(f, t->native);
        opt_cell(f, t->overhead);
        ratio_cell(f, r.native, t->has_ratio, t->below, t->ratio);
        fputs("</tr>\n", f);
    }
    fputs("</table></section>\n", f);

    fputs("<section id='breakdown'><h2>Overhead breakdown per command type</h2>\n"
          "<p class='note'>Share of each phase of the overhead model in the type's replay "
          "time; native is the backend work re-issued without the virtualization layer.</p>\n",
          f);
    chart_breakdown(f, &r, ntop);
    fputs("</section>\n", f);

    fputs("<section id='batches'><h2>The paper's view: overhead versus batch size</h2>\n", f);
    chart_batches(f, &r);
    fputs("<table><tr><th>measure</th><th>value</th></tr>\n", f);
    if (r.draws) {
        fprintf(f, "<tr><td>per draw call (%" PRIu64 " draw%s): mean</td><td>%s</td></tr>\n",
                r.draws, vgt_plural(r.draws),
                an_fmt_ns((double)r.draw_total / (double)r.draws, b[0], 32));
        if (r.native) {
            fprintf(f, "<tr><td>per draw call: overhead</td><td>%s</td></tr>\n",
                    an_fmt_ns((double)r.draw_overhead / (double)r.draws, b[1], 32));
        }
    }
    if (r.upload_bytes) {
        fprintf(f,
                "<tr><td>per uploaded byte (SURFACE_DMA, %" PRIu64 " byte%s)</td><td>%.3f ns"
                "</td></tr>\n",
                r.upload_bytes, vgt_plural(r.upload_bytes),
                (double)r.upload_total / (double)r.upload_bytes);
    }
    if (r.dma_bytes_all) {
        fprintf(f,
                "<tr><td>per guest memory byte read (all, %" PRIu64 " byte%s)</td><td>%.3f ns"
                "</td></tr>\n",
                r.dma_bytes_all, vgt_plural(r.dma_bytes_all),
                (double)r.dma_total_all / (double)r.dma_bytes_all);
    }
    fputs("</table></section>\n", f);
    fprintf(f, "<p class='note'>vgt %s; stored %" PRIu64 " row%s at %.0f rows/s.</p>\n",
            VGT_VERSION, r.insert_rows, vgt_plural(r.insert_rows), r.insert_rows_per_s);
    fputs("</body></html>\n", f);
    an_report_free(&r);
    if (ferror(f)) {
        return vgt_error_set(err, VGT_E_IO, "analyze: writing the HTML report failed");
    }
    return VGT_OK;
}
