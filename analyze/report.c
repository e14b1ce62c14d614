/* report.c - the report model loaded from the database, and its text, JSON
 * and CSV forms. */
#include "analyze_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading ----------------------------------------------------------------------- */

static int64_t col_opt(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, i);
}

static uint64_t col_u(sqlite3_stmt *s, int i)
{
    int64_t v = sqlite3_column_int64(s, i);
    return v < 0 ? 0 : (uint64_t)v;
}

/* A REAL column; an infinite one (SQLite stores +-Inf, a damaged or edited
 * file may hold one) reads as 0: JSON has no number for it. */
static double col_real(sqlite3_stmt *s, int i)
{
    double v = sqlite3_column_double(s, i);
    return isfinite(v) ? v : 0.0;
}

static void col_text(sqlite3_stmt *s, int i, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

static int cmp_u64_asc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

vgt_analyze_ratio_kind vgt_analyze_ratio(uint64_t total, int64_t native, uint64_t count,
                                         double timer_ns, double *ratio)
{
    if (ratio) {
        *ratio = 0;
    }
    /* no commands: 0/0 is no ratio, not a native cost below the resolution */
    if (native < 0 || count == 0) {
        return VGT_ANALYZE_RATIO_NONE;
    }
    if (native == 0 || (double)native < (double)count * timer_ns) {
        return VGT_ANALYZE_RATIO_BELOW;
    }
    if (ratio) {
        *ratio = (double)total / (double)native;
    }
    return VGT_ANALYZE_RATIO_OK;
}

static vgt_status load_frames(vgt_analyze_db *db, const char *sql, int64_t run_id, int64_t limit,
                              an_frame_row **out, size_t *n, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(db, sql, &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, limit);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            an_frame_row *p = realloc(*out, cap * sizeof(*p));
            if (!p) {
                sqlite3_finalize(s);
                return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory (frames)");
            }
            *out = p;
        }
        an_frame_row *f = &(*out)[(*n)++];
        memset(f, 0, sizeof(*f));
        f->frame = col_u(s, 0);
        f->first_seq = col_u(s, 1);
        f->last_seq = col_u(s, 2);
        f->commands = col_u(s, 3);
        f->draws = col_u(s, 4);
        f->total = col_u(s, 5);
        f->decode = col_u(s, 6);
        f->dma = col_u(s, 7);
        f->translate = col_u(s, 8);
        f->backend = col_u(s, 9);
        f->native = col_opt(s, 10);
        f->overhead = col_opt(s, 11);
        f->live = col_opt(s, 12);
        f->start = col_u(s, 13);
        f->vwall = col_opt(s, 14);
        f->nwall = col_opt(s, 15);
        f->partial = sqlite3_column_int(s, 16) != 0;
    }
    st = rc == SQLITE_DONE ? VGT_OK : an_db_error(db, "reading frames", err);
    sqlite3_finalize(s);
    return st;
}

#define FRAME_COLS                                                                                 \
    "frame, first_seq, last_seq, commands, draws, total_ns, decode_ns, dma_ns, translate_ns, "     \
    "backend_ns, native_ns, overhead_ns, live_ns, start_ns, virtual_wall_ns, native_wall_ns, "     \
    "partial"

bool vgt_analyze_wall_ratio(int64_t virt, int64_t native, double *ratio)
{
    if (virt < 0 || native <= 0) {
        return false;
    }
    *ratio = (double)virt / (double)native;
    return true;
}

/* The median (lower) of n values, sorted in place. */
static uint64_t median_u64(uint64_t *v, size_t n)
{
    vgt_sort(v, n, sizeof(*v), cmp_u64_asc);
    return n ? v[(n - 1) / 2] : 0;
}

/* --sync frame: the frames' wall times, their medians and sums, the slowest;
 * of the complete frames only: the partial one (the commands after the
 * guest's last frame end) is not what a frame costs. */
static vgt_status load_walls(vgt_analyze_db *db, an_report *r, uint32_t top, vgt_error *err)
{
    size_t n = 0, any = 0;
    for (size_t i = 0; i < r->nframes; i++) {
        any += r->frames_all[i].vwall >= 0;
        n += r->frames_all[i].vwall >= 0 && !r->frames_all[i].partial;
    }
    if (any > 0) {
        r->walls = true; /* a --sync frame run, even one without a complete frame */
    }
    if (n == 0) {
        return VGT_OK;
    }
    uint64_t *v = malloc(n * sizeof(*v)), *nv = malloc(n * sizeof(*nv));
    if (!v || !nv) {
        free(v);
        free(nv);
        return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory (frames)");
    }
    size_t k = 0, kn = 0;
    for (size_t i = 0; i < r->nframes; i++) {
        const an_frame_row *f = &r->frames_all[i];
        if (f->partial) {
            continue;
        }
        if (f->vwall >= 0) {
            v[k++] = (uint64_t)f->vwall;
            r->wall_v_sum += (uint64_t)f->vwall;
        }
        if (f->vwall >= 0 && f->nwall >= 0) {
            nv[kn++] = (uint64_t)f->nwall;
            r->wall_n_sum += (uint64_t)f->nwall;
        }
    }
    r->wall_frames = k;
    r->walls_native = kn > 0;
    r->wall_v_p50 = median_u64(v, k);
    r->wall_n_p50 = median_u64(nv, kn);
    free(v);
    free(nv);
    return load_frames(db,
                       "SELECT " FRAME_COLS " FROM frames WHERE run_id=? AND virtual_wall_ns IS "
                       "NOT NULL AND partial=0 ORDER BY virtual_wall_ns DESC, frame LIMIT ?",
                       r->run_id, top, &r->worst, &r->nworst, err);
}

/* The frame ranges [[A,B],...] at JSON path `path` of run_id's settings
 * (none when it is not an array), at most AN_REPORT_DAMAGED_MAX (*more
 * then). */
static vgt_status load_ranges(vgt_analyze_db *db, int64_t run_id, const char *path,
                              uint64_t (*ranges)[2], size_t *n, bool *more, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(
        db,
        "SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') FROM runs, "
        "json_each(runs.settings, ?2) j WHERE runs.run_id=?1 AND json_type(runs.settings, ?2) = "
        "'array' ORDER BY j.key",
        &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (*n == AN_REPORT_DAMAGED_MAX) {
            *more = true;
            break;
        }
        ranges[*n][0] = col_u(s, 0);
        ranges[(*n)++][1] = col_u(s, 1);
    }
    sqlite3_finalize(s);
    return VGT_OK;
}

/* The run's settings "salvage" member (vgt analyze --salvage): whether it
 * is there, the chunks skipped and the damaged frame ranges, read through
 * SQLite's JSON functions (a settings text that is not JSON, or a member of
 * another shape, is no salvage). */
static vgt_status load_salvage(vgt_analyze_db *db, an_report *r, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(
        db,
        "SELECT json_extract(settings, '$.salvage.chunks_skipped'), "
        "json_extract(settings, '$.salvage.damaged_frames_all') FROM runs WHERE run_id=? AND "
        "json_valid(settings) AND json_type(settings, '$.salvage.chunks_skipped') = 'integer'",
        &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, r->run_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        r->salvaged = true;
        r->chunks_skipped = col_u(s, 0);
        r->more_damaged = sqlite3_column_type(s, 1) != SQLITE_NULL && !sqlite3_column_int(s, 1);
    }
    sqlite3_finalize(s);
    if (!r->salvaged) {
        return VGT_OK;
    }
    bool more_state = false;
    if ((st = load_ranges(db, r->run_id, "$.salvage.damaged_frames", r->damaged, &r->ndamaged,
                          &r->more_damaged, err)) != VGT_OK) {
        return st;
    }
    return load_ranges(db, r->run_id, "$.salvage.damaged_state_frames", r->state_damaged,
                       &r->nstate_damaged, &more_state, err);
}

/* The run's settings "frames" member (vgt analyze --frames): the guest
 * frames it covers, [first, last]; a settings text that is not JSON, or a
 * member of another shape, is a run of every frame. */
static vgt_status load_range(vgt_analyze_db *db, an_report *r, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(
        db,
        "SELECT json_extract(settings, '$.frames[0]'), json_extract(settings, '$.frames[1]') "
        "FROM runs WHERE run_id=? AND json_valid(settings) AND "
        "json_type(settings, '$.frames[0]') = 'integer' AND "
        "json_type(settings, '$.frames[1]') = 'integer'",
        &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, r->run_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        r->ranged = true;
        r->range_first = col_u(s, 0);
        r->range_last = col_u(s, 1);
    }
    sqlite3_finalize(s);
    return VGT_OK;
}

vgt_status an_report_load(vgt_analyze_db *db, int64_t run_id, uint32_t top, an_report *r,
                          vgt_error *err)
{
    memset(r, 0, sizeof(*r));
    r->run_id = run_id;
    if (top == 0) {
        top = 10;
    }
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(
        db,
        "SELECT r.trace_id, t.path, r.backend, r.host, r.date, r.os, r.replays, r.native, "
        "r.native_complete, r.gpu, r.timer_ns, coalesce(r.insert_rows_per_s, 0), r.commands, "
        "r.frames, r.total_ns, r.native_ns, r.overhead_ns, r.replay_ns, "
        "coalesce(r.insert_rows, 0), CASE WHEN json_valid(r.settings) THEN "
        "coalesce(json_extract(r.settings, '$.sync'), '') ELSE '' END FROM runs r LEFT JOIN "
        "traces t USING(trace_id) WHERE r.run_id=?",
        &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, run_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        st = rc == SQLITE_DONE
                 ? vgt_error_set(err, VGT_E_NOTFOUND, "%s: no run %" PRId64, db->path, run_id)
                 : an_db_error(db, "reading the run", err);
        sqlite3_finalize(s);
        return st;
    }
    r->trace_id = sqlite3_column_int64(s, 0);
    col_text(s, 1, r->trace_path, sizeof(r->trace_path));
    col_text(s, 2, r->backend, sizeof(r->backend));
    col_text(s, 3, r->host, sizeof(r->host));
    col_text(s, 4, r->date, sizeof(r->date));
    col_text(s, 5, r->os, sizeof(r->os));
    r->replays = (uint32_t)sqlite3_column_int64(s, 6);
    r->native = sqlite3_column_int(s, 7) != 0;
    r->native_complete = sqlite3_column_int(s, 8) != 0;
    r->gpu = sqlite3_column_int(s, 9) != 0;
    r->timer_ns = col_real(s, 10);
    r->insert_rows_per_s = col_real(s, 11);
    r->commands = col_u(s, 12);
    r->frames = col_u(s, 13);
    r->total = col_u(s, 14);
    r->native_ns = col_opt(s, 15);
    r->overhead_ns = col_opt(s, 16);
    r->replay_ns = col_u(s, 17);
    r->insert_rows = col_u(s, 18);
    col_text(s, 19, r->sync, sizeof(r->sync));
    sqlite3_finalize(s);
    if ((st = load_salvage(db, r, err)) != VGT_OK || (st = load_range(db, r, err)) != VGT_OK) {
        return st;
    }
    vgt_analyze_ratio_kind rk =
        vgt_analyze_ratio(r->total, r->native_ns, r->commands, r->timer_ns, &r->ratio);
    r->has_ratio = rk == VGT_ANALYZE_RATIO_OK;
    r->below = rk == VGT_ANALYZE_RATIO_BELOW;

    /* per type */
    st = an_db_prepare(db,
                       "SELECT s.type_id, coalesce(c.name, '?'), count, failed, bytes, primitives, "
                       "total_ns, p50_ns, p95_ns, p99_ns, max_ns, mean_ns, share, decode_ns, "
                       "dma_ns, dma_bytes, translate_ns, backend_ns, gpu_ns, native_ns, "
                       "overhead_ns, overhead_p50_ns, overhead_p95_ns, overhead_p99_ns, ratio, "
                       "native_below_resolution FROM type_stats s LEFT JOIN command_types c "
                       "USING(type_id) WHERE run_id=? ORDER BY total_ns DESC, s.type_id",
                       &s, err);
    if (st != VGT_OK) {
        goto fail;
    }
    sqlite3_bind_int64(s, 1, run_id);
    size_t cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (r->ntypes == cap) {
            cap = cap ? cap * 2 : 64;
            an_type_row *p = realloc(r->types, cap * sizeof(*p));
            if (!p) {
                sqlite3_finalize(s);
                st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
                goto fail;
            }
            r->types = p;
        }
        an_type_row *t = &r->types[r->ntypes++];
        memset(t, 0, sizeof(*t));
        t->id = (uint32_t)sqlite3_column_int64(s, 0);
        col_text(s, 1, t->name, sizeof(t->name));
        t->count = col_u(s, 2);
        t->failed = col_u(s, 3);
        t->bytes = col_u(s, 4);
        t->prims = col_u(s, 5);
        t->total = col_u(s, 6);
        t->p50 = col_u(s, 7);
        t->p95 = col_u(s, 8);
        t->p99 = col_u(s, 9);
        t->max = col_u(s, 10);
        t->mean = col_real(s, 11);
        t->share = col_real(s, 12);
        t->decode = col_u(s, 13);
        t->dma = col_u(s, 14);
        t->dma_bytes = col_u(s, 15);
        t->translate = col_u(s, 16);
        t->backend = col_u(s, 17);
        t->gpu = col_opt(s, 18);
        t->native = col_opt(s, 19);
        t->overhead = col_opt(s, 20);
        t->ov_p50 = col_opt(s, 21);
        t->ov_p95 = col_opt(s, 22);
        t->ov_p99 = col_opt(s, 23);
        t->has_ratio = sqlite3_column_type(s, 24) != SQLITE_NULL &&
                       isfinite(sqlite3_column_double(s, 24)); /* Inf: no ratio */
        t->ratio = col_real(s, 24);
        t->below = sqlite3_column_int(s, 25) != 0;
        if (t->id == VGT_SVGA3D_CMD_DRAW_PRIMITIVES) {
            r->draws = t->count;
            r->draw_total = t->total;
            r->draw_native = t->native;
            r->draw_overhead = t->overhead;
        }
        if (t->id == VGT_SVGA3D_CMD_SURFACE_DMA) {
            r->upload_bytes = t->dma_bytes;
            r->upload_total = t->total;
            r->upload_overhead = t->overhead;
        }
        if (t->dma_bytes > 0) {
            r->dma_bytes_all += t->dma_bytes;
            r->dma_total_all += t->total;
            r->dma_overhead_all += t->overhead > 0 ? t->overhead : 0;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        st = an_db_error(db, "reading per-type figures", err);
        goto fail;
    }
    if (!r->native) {
        r->draw_native = r->draw_overhead = r->upload_overhead = r->dma_overhead_all = -1;
    }

    /* frames, and the slowest with their top commands */
    st = load_frames(db, "SELECT " FRAME_COLS " FROM frames WHERE run_id=? ORDER BY frame LIMIT ?",
                     run_id, -1, &r->frames_all, &r->nframes, err);
    if (st == VGT_OK) {
        st = load_frames(db,
                         "SELECT " FRAME_COLS " FROM frames WHERE run_id=? AND partial=0 "
                         "ORDER BY total_ns DESC, frame LIMIT ?",
                         run_id, top, &r->slow, &r->nslow, err);
    }
    for (size_t i = 0; st == VGT_OK && i < r->nframes; i++) {
        if (r->frames_all[i].partial && r->npartial++ == 0) {
            r->partial_frame = r->frames_all[i].frame;
        }
    }
    if (st == VGT_OK) {
        st = load_walls(db, r, top, err);
    }
    if (st != VGT_OK) {
        goto fail;
    }
    st = an_db_prepare(db,
                       "SELECT c.seq, coalesce(t.name, '?'), c.total_ns, c.overhead_ns FROM "
                       "commands c LEFT JOIN command_types t USING(type_id) WHERE c.run_id=? AND "
                       "c.seq BETWEEN ? AND ? ORDER BY c.total_ns DESC, c.seq LIMIT 5",
                       &s, err);
    if (st != VGT_OK) {
        goto fail;
    }
    r->slow_top = calloc(r->nslow ? r->nslow : 1, sizeof(*r->slow_top));
    if (!r->slow_top) {
        sqlite3_finalize(s);
        st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory (frames)");
        goto fail;
    }
    for (size_t i = 0; i < r->nslow; i++) {
        const an_frame_row *f = &r->slow[i];
        an_frame_top *tops = &r->slow_top[i];
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, (int64_t)f->first_seq);
        sqlite3_bind_int64(s, 3, (int64_t)f->last_seq);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && tops->n < 5) {
            an_top_cmd *c = &tops->cmd[tops->n++];
            c->seq = col_u(s, 0);
            col_text(s, 1, c->name, sizeof(c->name));
            c->total = col_u(s, 2);
            c->overhead = col_opt(s, 3);
        }
    }
    sqlite3_finalize(s);

    /* batch sizes */
    st = an_db_prepare(db,
                       "SELECT lo, hi, draws, primitives, total_ns, native_ns, overhead_ns, ratio, "
                       "native_below_resolution FROM batch_stats WHERE run_id=? ORDER BY lo",
                       &s, err);
    if (st != VGT_OK) {
        goto fail;
    }
    sqlite3_bind_int64(s, 1, run_id);
    cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (r->nbatches == cap) {
            cap = cap ? cap * 2 : 32;
            an_batch_row *p = realloc(r->batches, cap * sizeof(*p));
            if (!p) {
                sqlite3_finalize(s);
                st = vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
                goto fail;
            }
            r->batches = p;
        }
        an_batch_row *b = &r->batches[r->nbatches++];
        b->lo = col_u(s, 0);
        b->hi = col_u(s, 1);
        b->draws = col_u(s, 2);
        b->prims = col_u(s, 3);
        b->total = col_u(s, 4);
        b->native = col_opt(s, 5);
        b->overhead = col_opt(s, 6);
        b->has_ratio =
            sqlite3_column_type(s, 7) != SQLITE_NULL && isfinite(sqlite3_column_double(s, 7));
        b->ratio = col_real(s, 7);
        b->below = sqlite3_column_int(s, 8) != 0;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        st = an_db_error(db, "reading batch figures", err);
        goto fail;
    }
    return VGT_OK;
fail:
    an_report_free(r);
    return st;
}

void an_report_free(an_report *r)
{
    free(r->types);
    free(r->frames_all);
    free(r->slow);
    free(r->slow_top);
    free(r->worst);
    free(r->batches);
    memset(r, 0, sizeof(*r));
}

bool vgt_analyze_report_format_parse(const char *s, vgt_analyze_report_format *out)
{
    static const char *const names[] = {"text", "json", "csv"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (vgt_analyze_report_format)i;
            return true;
        }
    }
    return false;
}

/* ---- shared --------------------------------------------------------------------------- */

static const an_type_row **by_overhead(const an_report *r)
{
    const an_type_row **v = malloc((r->ntypes ? r->ntypes : 1) * sizeof(*v));
    if (!v) {
        return NULL;
    }
    for (size_t i = 0; i < r->ntypes; i++) {
        v[i] = &r->types[i];
    }
    /* insertion sort: a few dozen types */
    for (size_t i = 1; i < r->ntypes; i++) {
        const an_type_row *x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1]->overhead < x->overhead) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return v;
}

static double per(int64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : 0.0;
}

/* ---- text ------------------------------------------------------------------------------ */

static const char *ratio_text(bool has, bool below, double ratio, bool native, char *buf,
                              size_t size)
{
    if (!native) {
        return "-";
    }
    if (below) {
        return "inf*";
    }
    if (!has) {
        return "-";
    }
    snprintf(buf, size, "%.2f", ratio);
    return buf;
}

static const char *opt_ns(int64_t v, char *buf, size_t size)
{
    if (v < 0) {
        return "-";
    }
    return an_fmt_ns((double)v, buf, size);
}

static void text_types(FILE *f, const an_report *r, const an_type_row *const *rows, size_t n,
                       const char *title)
{
    char b[10][32];
    fprintf(f, "\n%s\n", title);
    fprintf(f, "%-26s %8s %10s %10s %10s %10s %10s %6s %10s %10s %8s\n", "command", "count",
            "total", "mean", "p50", "p95", "p99", "share", "native", "overhead", "virt/nat");
    for (size_t i = 0; i < n; i++) {
        const an_type_row *t = rows[i];
        fprintf(f, "%-26s %8" PRIu64 " %10s %10s %10s %10s %10s %5.1f%% %10s %10s %8s\n", t->name,
                t->count, an_fmt_ns((double)t->total, b[0], 32), an_fmt_ns(t->mean, b[1], 32),
                an_fmt_ns((double)t->p50, b[2], 32), an_fmt_ns((double)t->p95, b[3], 32),
                an_fmt_ns((double)t->p99, b[4], 32), t->share * 100.0, opt_ns(t->native, b[5], 32),
                opt_ns(t->overhead, b[6], 32),
                ratio_text(t->has_ratio, t->below, t->ratio, r->native, b[7], 32));
    }
}

/* A wall ratio for humans ("1.34", "-" without one). */
static const char *wall_ratio_text(int64_t virt, int64_t native, char *buf, size_t size)
{
    double ratio;
    if (!vgt_analyze_wall_ratio(virt, native, &ratio)) {
        return "-";
    }
    snprintf(buf, size, "%.2f", ratio);
    return buf;
}

/* "2 frames" with "(+ 1 partial)" when the run has a partial frame: the
 * words of vgt info and vgt leaks, whose frame count is the complete frames. */
static const char *frames_text(const an_report *r, char *buf, size_t size)
{
    char note[48];
    vgt_analyze_frames_note(note, sizeof(note), r->npartial, false, 0, 0, NULL);
    snprintf(buf, size, "%" PRIu64 " frame%s%s", r->frames, vgt_plural(r->frames), note);
    return buf;
}

/* --sync frame: what a frame costs, pipelined, virtualized vs native (the
 * complete frames). */
static void text_walls(FILE *f, const an_report *r)
{
    char b[6][32];
    int64_t nat_p50 = r->walls_native ? (int64_t)r->wall_n_p50 : -1;
    int64_t nat_sum = r->walls_native ? (int64_t)r->wall_n_sum : -1;
    fprintf(f, "\nframe cost, pipelined (--sync frame: no wait per backend call, one at each "
               "frame's end; each frame timed whole on both sides, median of the replays)\n");
    if (r->wall_frames == 0) {
        fprintf(f, "  no complete frame was timed (a partial frame is not a frame's cost)\n");
        return;
    }
    fprintf(f, "  frames cost %s virtualized vs %s native (median frame, virtual/native %s)\n",
            an_fmt_ns((double)r->wall_v_p50, b[0], 32), opt_ns(nat_p50, b[1], 32),
            wall_ratio_text((int64_t)r->wall_v_p50, nat_p50, b[2], 32));
    fprintf(f, "  all %" PRIu64 " frame%s: %s virtualized vs %s native (virtual/native %s)%s\n",
            r->wall_frames, vgt_plural(r->wall_frames), an_fmt_ns((double)r->wall_v_sum, b[3], 32),
            opt_ns(nat_sum, b[4], 32), wall_ratio_text((int64_t)r->wall_v_sum, nat_sum, b[5], 32),
            r->npartial ? " (the partial frame left out)" : "");
    fprintf(f, "  slowest frames (virtualized)\n  %8s %8s %12s %12s %8s\n", "frame", "commands",
            "virtual", "native", "virt/nat");
    for (size_t i = 0; i < r->nworst; i++) {
        const an_frame_row *fr = &r->worst[i];
        fprintf(f, "  %8" PRIu64 " %8" PRIu64 " %12s %12s %8s\n", fr->frame, fr->commands,
                opt_ns(fr->vwall, b[0], 32), opt_ns(fr->nwall, b[1], 32),
                wall_ratio_text(fr->vwall, fr->nwall, b[2], 32));
    }
    fprintf(f, "  (the per-command figures of this run are the calls' CPU cost: the backend's work "
               "is waited for only at frame ends)\n");
}

static void report_text(FILE *f, const an_report *r, uint32_t top)
{
    char b[8][32], fr_text[64];
    fprintf(f, "run %" PRId64 ": %s on the %s backend (host %s, %s)\n", r->run_id, r->trace_path,
            r->backend, r->host, r->date);
    fprintf(f,
            "%" PRIu64 " command%s, %s; %u replay%s (per command the median), "
            "%.1f ns per clock read subtracted\n",
            r->commands, vgt_plural(r->commands), frames_text(r, fr_text, sizeof(fr_text)),
            r->replays, vgt_plural(r->replays), r->timer_ns);
    fprintf(f, "total %s, native %s, overhead %s, virtual/native %s\n",
            an_fmt_ns((double)r->total, b[0], 32), opt_ns(r->native_ns, b[1], 32),
            opt_ns(r->overhead_ns, b[2], 32),
            ratio_text(r->has_ratio, r->below, r->ratio, r->native, b[3], 32));
    if (r->native && !r->native_complete) {
        fprintf(f, "note: uploads past the memory budget were re-issued from zeros (native)\n");
    }
    if (r->ranged) {
        fprintf(f,
                "guest frames %" PRIu64 "..%" PRIu64 " only (--frames): the frames before "
                "replayed for their state, not timed or stored\n",
                r->range_first, r->range_last);
    }
    if (r->npartial) {
        fprintf(f,
                "frame %" PRIu64 " is partial: the commands after the guest's last frame end (its "
                "teardown, or a capture cut short); in the totals and per-type figures, not in "
                "the per-frame ones\n",
                r->partial_frame);
    }
    if (r->salvaged) {
        fprintf(f, "salvaged (--salvage): %" PRIu64 " damaged chunk%s skipped; ", r->chunks_skipped,
                vgt_plural(r->chunks_skipped));
        char frames[512];
        vgt_analyze_salvage_text(frames, sizeof(frames), r->damaged, r->ndamaged, r->more_damaged,
                                 r->ranged, r->state_damaged, r->nstate_damaged);
        fprintf(f, "%s\n", frames);
    }
    if (r->walls) {
        text_walls(f, r);
    }
    size_t n = r->ntypes < top ? r->ntypes : top;
    const an_type_row **v = malloc((r->ntypes ? r->ntypes : 1) * sizeof(*v));
    if (v) {
        for (size_t i = 0; i < r->ntypes; i++) {
            v[i] = &r->types[i];
        }
        text_types(f, r, v, n, "top command types by total time");
        free(v);
    }
    if (r->native) {
        const an_type_row **o = by_overhead(r);
        if (o) {
            text_types(f, r, o, n, "top command types by virtualization overhead (total - native)");
            free(o);
        }
    }
    fprintf(f, "\nphases per command type (sums)\n");
    fprintf(f, "%-26s %10s %10s %12s %10s %10s %10s\n", "command", "decode", "dma", "dma bytes",
            "translate", "backend", "gpu");
    for (size_t i = 0; i < n; i++) {
        const an_type_row *t = &r->types[i];
        fprintf(f, "%-26s %10s %10s %12" PRIu64 " %10s %10s %10s\n", t->name,
                an_fmt_ns((double)t->decode, b[0], 32), an_fmt_ns((double)t->dma, b[1], 32),
                t->dma_bytes, an_fmt_ns((double)t->translate, b[2], 32),
                an_fmt_ns((double)t->backend, b[3], 32), opt_ns(t->gpu, b[4], 32));
    }
    fprintf(f, "\nslowest frames and their top commands%s\n",
            r->npartial ? " (complete frames)" : "");
    fprintf(f, "%8s %8s %10s %10s %10s %10s   %s\n", "frame", "commands", "total", "native",
            "overhead", "live", "top commands");
    for (size_t i = 0; i < r->nslow; i++) {
        const an_frame_row *fr = &r->slow[i];
        const an_frame_top *tops = &r->slow_top[i];
        fprintf(f, "%8" PRIu64 " %8" PRIu64 " %10s %10s %10s %10s  ", fr->frame, fr->commands,
                an_fmt_ns((double)fr->total, b[0], 32), opt_ns(fr->native, b[1], 32),
                opt_ns(fr->overhead, b[2], 32), opt_ns(fr->live, b[3], 32));
        for (int k = 0; k < tops->n && k < 3; k++) {
            fprintf(f, " %s#%" PRIu64 " %s", tops->cmd[k].name, tops->cmd[k].seq,
                    an_fmt_ns((double)tops->cmd[k].total, b[4], 32));
            fputc(k + 1 < tops->n && k < 2 ? ',' : ' ', f);
        }
        fputc('\n', f);
    }
    fprintf(f, "\nthe paper's view (Dowty & Sugerman 2008): cost of virtualization\n");
    if (r->draws) {
        fprintf(f, "  per draw call:      %" PRIu64 " draw%s, mean %s, native %s, overhead %s\n",
                r->draws, vgt_plural(r->draws),
                an_fmt_ns(per((int64_t)r->draw_total, r->draws), b[0], 32),
                r->native ? an_fmt_ns(per(r->draw_native, r->draws), b[1], 32) : "-",
                r->native ? an_fmt_ns(per(r->draw_overhead, r->draws), b[2], 32) : "-");
    } else {
        fprintf(f, "  per draw call:      no DRAW_PRIMITIVES in this trace\n");
    }
    if (r->upload_bytes) {
        fprintf(f,
                "  per uploaded byte:  %" PRIu64 " byte%s by SURFACE_DMA, %.3f ns/byte total, %s\n",
                r->upload_bytes, vgt_plural(r->upload_bytes),
                per((int64_t)r->upload_total, r->upload_bytes), r->native ? "" : "(no native)");
        if (r->native) {
            fprintf(f, "                      %.3f ns/byte overhead\n",
                    per(r->upload_overhead, r->upload_bytes));
        }
    }
    if (r->dma_bytes_all) {
        fprintf(f, "  guest memory read:  %" PRIu64 " byte%s by all commands, %.3f ns/byte total\n",
                r->dma_bytes_all, vgt_plural(r->dma_bytes_all),
                per((int64_t)r->dma_total_all, r->dma_bytes_all));
    }
    if (r->nbatches) {
        fprintf(f, "  versus batch size (draws grouped by primitive count):\n");
        fprintf(f, "  %13s %8s %12s %10s %10s %10s %12s %8s\n", "primitives", "draws", "prims/draw",
                "mean", "native", "overhead", "ovh/prim", "virt/nat");
        for (size_t i = 0; i < r->nbatches; i++) {
            const an_batch_row *bt = &r->batches[i];
            char range[32];
            snprintf(range, sizeof(range), "%" PRIu64 "-%" PRIu64, bt->lo, bt->hi);
            fprintf(f, "  %13s %8" PRIu64 " %12.1f %10s %10s %10s %12s %8s\n", range, bt->draws,
                    (double)bt->prims / (double)bt->draws,
                    an_fmt_ns((double)bt->total / (double)bt->draws, b[0], 32),
                    bt->native >= 0 ? an_fmt_ns(per(bt->native, bt->draws), b[1], 32) : "-",
                    bt->overhead >= 0 ? an_fmt_ns(per(bt->overhead, bt->draws), b[2], 32) : "-",
                    bt->overhead >= 0 && bt->prims
                        ? an_fmt_ns(per(bt->overhead, bt->prims), b[3], 32)
                        : "-",
                    ratio_text(bt->has_ratio, bt->below, bt->ratio, r->native, b[4], 32));
        }
    }
    /* the footnote of an inf* (the run's, a type's or a batch's ratio); an
     * empty run has none */
    bool any_below = r->below;
    for (size_t i = 0; i < r->ntypes; i++) {
        any_below |= r->types[i].below;
    }
    for (size_t i = 0; i < r->nbatches; i++) {
        any_below |= r->batches[i].below;
    }
    if (r->native && any_below) {
        fprintf(f,
                "\ninf*: the native cost is below the timer resolution (%.1f ns per "
                "command): the backend does (almost) nothing natively, so the ratio is "
                "unbounded\n",
                r->timer_ns);
    }
    fprintf(f, "stored %" PRIu64 " row%s at %.0f rows/s\n", r->insert_rows,
            vgt_plural(r->insert_rows), r->insert_rows_per_s);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void json_opt(FILE *f, int64_t v)
{
    if (v < 0) {
        fputs("null", f);
    } else {
        fprintf(f, "%" PRId64, v);
    }
}

static void json_ratio(FILE *f, bool has, double ratio)
{
    if (has) {
        fprintf(f, "%.6g", ratio);
    } else {
        fputs("null", f);
    }
}

static void json_type(FILE *f, const an_type_row *t)
{
    fprintf(f, "{\"type_id\":%u,\"name\":", t->id);
    an_json_str(f, t->name);
    fprintf(f,
            ",\"count\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"total_ns\":%" PRIu64
            ",\"mean_ns\":%.3f,\"p50_ns\":%" PRIu64 ",\"p95_ns\":%" PRIu64 ",\"p99_ns\":%" PRIu64
            ",\"max_ns\":%" PRIu64 ",\"share\":%.6f,\"decode_ns\":%" PRIu64 ",\"dma_ns\":%" PRIu64
            ",\"dma_bytes\":%" PRIu64 ",\"translate_ns\":%" PRIu64 ",\"backend_ns\":%" PRIu64
            ",\"gpu_ns\":",
            t->count, t->failed, t->total, t->mean, t->p50, t->p95, t->p99, t->max, t->share,
            t->decode, t->dma, t->dma_bytes, t->translate, t->backend);
    json_opt(f, t->gpu);
    fputs(",\"native_ns\":", f);
    json_opt(f, t->native);
    fputs(",\"overhead_ns\":", f);
    json_opt(f, t->overhead);
    fputs(",\"overhead_p50_ns\":", f);
    json_opt(f, t->ov_p50);
    fputs(",\"overhead_p95_ns\":", f);
    json_opt(f, t->ov_p95);
    fputs(",\"overhead_p99_ns\":", f);
    json_opt(f, t->ov_p99);
    fputs(",\"ratio\":", f);
    json_ratio(f, t->has_ratio, t->ratio);
    fprintf(f, ",\"native_below_resolution\":%s,\"primitives\":%" PRIu64 "}",
            t->below ? "true" : "false", t->prims);
}

/* top: a slow frame's top commands (NULL: the frame list's, without them) */
static void json_frame(FILE *f, const an_frame_row *fr, const an_frame_top *top)
{
    fprintf(f,
            "{\"frame\":%" PRIu64 ",\"first_seq\":%" PRIu64 ",\"last_seq\":%" PRIu64
            ",\"commands\":%" PRIu64 ",\"draws\":%" PRIu64 ",\"total_ns\":%" PRIu64
            ",\"native_ns\":",
            fr->frame, fr->first_seq, fr->last_seq, fr->commands, fr->draws, fr->total);
    json_opt(f, fr->native);
    fputs(",\"overhead_ns\":", f);
    json_opt(f, fr->overhead);
    fputs(",\"live_ns\":", f);
    json_opt(f, fr->live);
    fputs(",\"virtual_wall_ns\":", f);
    json_opt(f, fr->vwall);
    fputs(",\"native_wall_ns\":", f);
    json_opt(f, fr->nwall);
    fprintf(f, ",\"partial\":%s", fr->partial ? "true" : "false");
    if (top) {
        fputs(",\"top_commands\":[", f);
        for (int k = 0; k < top->n; k++) {
            fprintf(f, "%s{\"seq\":%" PRIu64 ",\"name\":", k ? "," : "", top->cmd[k].seq);
            an_json_str(f, top->cmd[k].name);
            fprintf(f, ",\"total_ns\":%" PRIu64 ",\"overhead_ns\":", top->cmd[k].total);
            json_opt(f, top->cmd[k].overhead);
            fputc('}', f);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

static void json_wall_ratio(FILE *f, int64_t virt, int64_t native)
{
    double ratio = 0;
    bool has = vgt_analyze_wall_ratio(virt, native, &ratio);
    json_ratio(f, has, ratio);
}

/* --sync frame: the frames' wall times summarized (null for other runs). */
static void json_walls(FILE *f, const an_report *r)
{
    if (!r->walls) {
        fputs("null", f);
        return;
    }
    int64_t nat_p50 = r->walls_native ? (int64_t)r->wall_n_p50 : -1;
    int64_t nat_sum = r->walls_native ? (int64_t)r->wall_n_sum : -1;
    int64_t v_p50 = r->wall_frames ? (int64_t)r->wall_v_p50 : -1;
    fprintf(f, "{\"frames\":%" PRIu64 ",\"virtual_median_ns\":", r->wall_frames);
    json_opt(f, v_p50);
    fputs(",\"native_median_ns\":", f);
    json_opt(f, nat_p50);
    fputs(",\"ratio_median\":", f);
    json_wall_ratio(f, v_p50, nat_p50);
    fputs(",\"virtual_total_ns\":", f);
    json_opt(f, r->wall_frames ? (int64_t)r->wall_v_sum : -1);
    fputs(",\"native_total_ns\":", f);
    json_opt(f, nat_sum);
    fputs(",\"ratio_total\":", f);
    json_wall_ratio(f, (int64_t)r->wall_v_sum, nat_sum);
    fputs(",\"slowest\":[", f);
    for (size_t i = 0; i < r->nworst; i++) {
        const an_frame_row *fr = &r->worst[i];
        fprintf(f, "%s{\"frame\":%" PRIu64 ",\"commands\":%" PRIu64 ",\"virtual_wall_ns\":",
                i ? "," : "", fr->frame, fr->commands);
        json_opt(f, fr->vwall);
        fputs(",\"native_wall_ns\":", f);
        json_opt(f, fr->nwall);
        fputs(",\"ratio\":", f);
        json_wall_ratio(f, fr->vwall, fr->nwall);
        fputc('}', f);
    }
    fputs("]}", f);
}

/* n frame ranges as JSON: [[A,B],...]. */
static void json_ranges(FILE *f, const uint64_t (*ranges)[2], size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s[%" PRIu64 ",%" PRIu64 "]", i ? "," : "", ranges[i][0], ranges[i][1]);
    }
    fputc(']', f);
}

static void report_json(FILE *f, const an_report *r, uint32_t top)
{
    fprintf(f, "{\"run\":{\"run_id\":%" PRId64 ",\"trace_id\":%" PRId64 ",\"trace\":", r->run_id,
            r->trace_id);
    an_json_str(f, r->trace_path);
    fputs(",\"backend\":", f);
    an_json_str(f, r->backend);
    fputs(",\"host\":", f);
    an_json_str(f, r->host);
    fputs(",\"date\":", f);
    an_json_str(f, r->date);
    fprintf(f,
            ",\"replays\":%u,\"timer_ns\":%.3f,\"commands\":%" PRIu64 ",\"frames\":%" PRIu64
            ",\"partial_frames\":%" PRIu64 ",\"total_ns\":%" PRIu64 ",\"sync\":",
            r->replays, r->timer_ns, r->commands, r->frames, r->npartial, r->total);
    if (r->sync[0]) {
        an_json_str(f, r->sync);
    } else {
        fputs("null", f);
    }
    fputs(",\"native_ns\":", f);
    json_opt(f, r->native_ns);
    fputs(",\"overhead_ns\":", f);
    json_opt(f, r->overhead_ns);
    fputs(",\"ratio\":", f);
    json_ratio(f, r->has_ratio, r->ratio);
    fprintf(f,
            ",\"native_below_resolution\":%s,\"native_complete\":%s,\"insert_rows\":%" PRIu64
            ",\"insert_rows_per_s\":%.1f,\"salvage\":",
            r->below ? "true" : "false", r->native_complete ? "true" : "false", r->insert_rows,
            r->insert_rows_per_s);
    if (r->salvaged) {
        fprintf(f, "{\"chunks_skipped\":%" PRIu64 ",\"damaged_frames\":", r->chunks_skipped);
        json_ranges(f, r->damaged, r->ndamaged);
        fprintf(f, ",\"damaged_frames_all\":%s", r->more_damaged ? "false" : "true");
        if (r->ranged) { /* a --frames run's state-only frames that lost records */
            fputs(",\"damaged_state_frames\":", f);
            json_ranges(f, r->state_damaged, r->nstate_damaged);
        }
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fputs(",\"frames_range\":", f);
    if (r->ranged) {
        fprintf(f, "[%" PRIu64 ",%" PRIu64 "]", r->range_first, r->range_last);
    } else {
        fputs("null", f);
    }
    fputs("},\n", f);
    size_t n = r->ntypes < top ? r->ntypes : top;
    fputs("\"types\":[", f);
    for (size_t i = 0; i < r->ntypes; i++) {
        fputs(i ? ",\n" : "\n", f);
        json_type(f, &r->types[i]);
    }
    fputs("],\n\"top_by_total\":[", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s", i ? "," : "");
        an_json_str(f, r->types[i].name);
    }
    fputs("],\n\"top_by_overhead\":[", f);
    const an_type_row **o = r->native ? by_overhead(r) : NULL;
    for (size_t i = 0; o && i < n; i++) {
        fprintf(f, "%s", i ? "," : "");
        an_json_str(f, o[i]->name);
    }
    free(o);
    fputs("],\n\"frame_walls\":", f);
    json_walls(f, r);
    fputs(",\n\"slowest_frames\":[", f);
    for (size_t i = 0; i < r->nslow; i++) {
        fputs(i ? ",\n" : "\n", f);
        json_frame(f, &r->slow[i], &r->slow_top[i]);
    }
    fputs("],\n\"paper\":{\"per_draw\":{", f);
    fprintf(f, "\"draws\":%" PRIu64 ",\"mean_ns\":%.3f,\"native_mean_ns\":", r->draws,
            per((int64_t)r->draw_total, r->draws));
    if (r->native && r->draws) {
        fprintf(f, "%.3f,\"overhead_mean_ns\":%.3f", per(r->draw_native, r->draws),
                per(r->draw_overhead, r->draws));
    } else {
        fputs("null,\"overhead_mean_ns\":null", f);
    }
    fprintf(f, "},\"per_uploaded_byte\":{\"bytes\":%" PRIu64 ",\"total_ns_per_byte\":%.6f,",
            r->upload_bytes, per((int64_t)r->upload_total, r->upload_bytes));
    if (r->native && r->upload_bytes) {
        fprintf(f, "\"overhead_ns_per_byte\":%.6f", per(r->upload_overhead, r->upload_bytes));
    } else {
        fputs("\"overhead_ns_per_byte\":null", f);
    }
    fprintf(f,
            "},\"guest_memory\":{\"bytes\":%" PRIu64 ",\"total_ns_per_byte\":%.6f},\"batches\":[",
            r->dma_bytes_all, per((int64_t)r->dma_total_all, r->dma_bytes_all));
    for (size_t i = 0; i < r->nbatches; i++) {
        const an_batch_row *b = &r->batches[i];
        fprintf(f,
                "%s\n{\"lo\":%" PRIu64 ",\"hi\":%" PRIu64 ",\"draws\":%" PRIu64
                ",\"primitives\":%" PRIu64 ",\"total_ns\":%" PRIu64 ",\"native_ns\":",
                i ? "," : "", b->lo, b->hi, b->draws, b->prims, b->total);
        json_opt(f, b->native);
        fputs(",\"overhead_ns\":", f);
        json_opt(f, b->overhead);
        fputs(",\"ratio\":", f);
        json_ratio(f, b->has_ratio, b->ratio);
        fprintf(f, ",\"native_below_resolution\":%s}", b->below ? "true" : "false");
    }
    fputs("]},\n\"frames\":[", f);
    for (size_t i = 0; i < r->nframes; i++) {
        fputs(i ? ",\n" : "\n", f);
        json_frame(f, &r->frames_all[i], NULL);
    }
    fputs("]}\n", f);
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static void csv_opt(FILE *f, int64_t v)
{
    if (v >= 0) {
        fprintf(f, "%" PRId64, v);
    }
}

/* A text field of the CSV: as it is, or quoted (quotes doubled, RFC 4180)
 * when it holds a separator, a quote or a line break (a name from an edited
 * database must not add columns or rows). */
static const char *csv_text(const char *s, char *buf, size_t size)
{
    if (!strpbrk(s, ",\"\r\n")) {
        return s;
    }
    size_t n = 0;
    buf[n++] = '"';
    for (; *s && n + 3 < size; s++) {
        if (*s == '"') {
            buf[n++] = '"';
        }
        buf[n++] = *s;
    }
    buf[n++] = '"';
    buf[n] = 0;
    return buf;
}

static void report_csv(FILE *f, const an_report *r)
{
    char q[160];
    /* the run: what the rows below are of; a --frames run's guest frames in
     * first_frame and last_frame, both empty for a run of every frame */
    fprintf(f, "# run\nrun_id,trace_id,backend,replays,commands,frames,partial_frames,first_frame,"
               "last_frame,total_ns,native_ns,overhead_ns,replay_ns\n");
    fprintf(f, "%" PRId64 ",%" PRId64 ",%s,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", r->run_id,
            r->trace_id, csv_text(r->backend, q, sizeof(q)), r->replays, r->commands, r->frames,
            r->npartial);
    if (r->ranged) {
        fprintf(f, "%" PRIu64 ",%" PRIu64, r->range_first, r->range_last);
    } else {
        fputc(',', f);
    }
    fprintf(f, ",%" PRIu64 ",", r->total);
    csv_opt(f, r->native_ns);
    fputc(',', f);
    csv_opt(f, r->overhead_ns);
    fprintf(f, ",%" PRIu64 "\n", r->replay_ns);
    fprintf(f, "# types\nrun_id,type_id,name,count,failed,total_ns,mean_ns,p50_ns,p95_ns,p99_ns,"
               "share,decode_ns,dma_ns,dma_bytes,translate_ns,backend_ns,gpu_ns,native_ns,"
               "overhead_ns,ratio,native_below_resolution\n");
    for (size_t i = 0; i < r->ntypes; i++) {
        const an_type_row *t = &r->types[i];
        fprintf(f,
                "%" PRId64 ",%u,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.3f,%" PRIu64 ",%" PRIu64
                ",%" PRIu64 ",%.6f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
                r->run_id, t->id, csv_text(t->name, q, sizeof(q)), t->count, t->failed, t->total,
                t->mean, t->p50, t->p95, t->p99, t->share, t->decode, t->dma, t->dma_bytes,
                t->translate, t->backend);
        csv_opt(f, t->gpu);
        fputc(',', f);
        csv_opt(f, t->native);
        fputc(',', f);
        csv_opt(f, t->overhead);
        fputc(',', f);
        if (t->has_ratio) {
            fprintf(f, "%.6g", t->ratio);
        }
        fprintf(f, ",%d\n", t->below ? 1 : 0);
    }
    fprintf(f, "# slowest_frames\nrun_id,frame,commands,total_ns,native_ns,overhead_ns,live_ns,"
               "top_command,top_seq,top_total_ns\n");
    for (size_t i = 0; i < r->nslow; i++) {
        const an_frame_row *fr = &r->slow[i];
        fprintf(f, "%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", r->run_id, fr->frame,
                fr->commands, fr->total);
        csv_opt(f, fr->native);
        fputc(',', f);
        csv_opt(f, fr->overhead);
        fputc(',', f);
        csv_opt(f, fr->live);
        const an_top_cmd *c = &r->slow_top[i].cmd[0];
        if (r->slow_top[i].n) {
            fprintf(f, ",%s,%" PRIu64 ",%" PRIu64 "\n", csv_text(c->name, q, sizeof(q)), c->seq,
                    c->total);
        } else {
            fputs(",,,\n", f);
        }
    }
    fprintf(f, "# batches\nrun_id,lo,hi,draws,primitives,total_ns,native_ns,overhead_ns,ratio,"
               "native_below_resolution\n");
    for (size_t i = 0; i < r->nbatches; i++) {
        const an_batch_row *b = &r->batches[i];
        fprintf(f, "%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
                r->run_id, b->lo, b->hi, b->draws, b->prims, b->total);
        csv_opt(f, b->native);
        fputc(',', f);
        csv_opt(f, b->overhead);
        fputc(',', f);
        if (b->has_ratio) {
            fprintf(f, "%.6g", b->ratio);
        }
        fprintf(f, ",%d\n", b->below ? 1 : 0);
    }
    if (r->walls) { /* --sync frame: every frame's wall times */
        fprintf(f, "# frame_walls\nrun_id,frame,commands,virtual_wall_ns,native_wall_ns,ratio,"
                   "partial\n");
        for (size_t i = 0; i < r->nframes; i++) {
            const an_frame_row *fr = &r->frames_all[i];
            double ratio;
            fprintf(f, "%" PRId64 ",%" PRIu64 ",%" PRIu64 ",", r->run_id, fr->frame, fr->commands);
            csv_opt(f, fr->vwall);
            fputc(',', f);
            csv_opt(f, fr->nwall);
            fputc(',', f);
            if (vgt_analyze_wall_ratio(fr->vwall, fr->nwall, &ratio)) {
                fprintf(f, "%.6g", ratio);
            }
            fprintf(f, ",%d\n", fr->partial ? 1 : 0);
        }
    }
    fprintf(f, "# frames\nrun_id,frame,commands,draws,total_ns,native_ns,overhead_ns,live_ns,"
               "partial\n");
    for (size_t i = 0; i < r->nframes; i++) {
        const an_frame_row *fr = &r->frames_all[i];
        fprintf(f, "%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", r->run_id,
                fr->frame, fr->commands, fr->draws, fr->total);
        csv_opt(f, fr->native);
        fputc(',', f);
        csv_opt(f, fr->overhead);
        fputc(',', f);
        csv_opt(f, fr->live);
        fprintf(f, ",%d\n", fr->partial ? 1 : 0);
    }
}

vgt_status vgt_analyze_report(vgt_analyze_db *db, int64_t run_id, vgt_analyze_report_format fmt,
                              uint32_t top, FILE *out, vgt_error *err)
{
    an_report r;
    if (top == 0) {
        top = 10;
    }
    vgt_status st = an_report_load(db, run_id, top, &r, err);
    if (st != VGT_OK) {
        return st;
    }
    switch (fmt) {
    case VGT_ANALYZE_REPORT_TEXT:
        report_text(out, &r, top);
        break;
    case VGT_ANALYZE_REPORT_JSON:
        report_json(out, &r, top);
        break;
    case VGT_ANALYZE_REPORT_CSV:
        report_csv(out, &r);
        break;
    }
    an_report_free(&r);
    if (ferror(out)) {
        return vgt_error_set(err, VGT_E_IO, "analyze: writing the report failed");
    }
    return VGT_OK;
}
