/* source.c - the profiler's data source: read-only queries on the analysis
 * database (every one a key lookup, a key range or a small pre-aggregated
 * table, see docs/analysis-db.md "Indexes and the profiler's queries"), and
 * the run's trace, re-read for a command's words. */
#include "tui_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- statements -------------------------------------------------------------------- */

/* A prepared statement for sql, from the cache (reset, bindings cleared). */
static vgt_status prep(vgt_tui_source *s, const char *sql, sqlite3_stmt **out, vgt_error *err)
{
    for (size_t i = 0; i < s->nstmt; i++) {
        if (strcmp(s->stmt[i].sql, sql) == 0) {
            sqlite3_reset(s->stmt[i].st);
            sqlite3_clear_bindings(s->stmt[i].st);
            *out = s->stmt[i].st;
            s->queries++;
            return VGT_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return vgt_error_set(err, VGT_E_IO, "%s: preparing %.60s...: %s", s->path, sql,
                             sqlite3_errmsg(s->db));
    }
    if (s->nstmt == TUI_STMT_CACHE) { /* evict the oldest */
        sqlite3_finalize(s->stmt[0].st);
        free(s->stmt[0].sql);
        memmove(&s->stmt[0], &s->stmt[1], sizeof(s->stmt[0]) * (TUI_STMT_CACHE - 1));
        s->nstmt--;
    }
    char *copy = strdup(sql);
    if (!copy) {
        sqlite3_finalize(st);
        return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
    }
    s->stmt[s->nstmt].sql = copy;
    s->stmt[s->nstmt].st = st;
    s->nstmt++;
    s->queries++;
    *out = st;
    return VGT_OK;
}

/* Steps st: SQLITE_ROW -> true, SQLITE_DONE -> false, an error -> *st_out set. */
static bool step(vgt_tui_source *s, sqlite3_stmt *st, vgt_status *rc_out, vgt_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc != SQLITE_DONE) {
        *rc_out = vgt_error_set(err, VGT_E_IO, "%s: %s", s->path, sqlite3_errmsg(s->db));
    }
    return false;
}

static int64_t col_opt(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

static uint64_t col_u(sqlite3_stmt *st, int i)
{
    int64_t v = sqlite3_column_int64(st, i);
    return v < 0 ? 0 : (uint64_t)v;
}

static void col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
}

const char *tui_type_name(const vgt_tui_source *s, uint32_t id)
{
    for (size_t i = 0; i < s->ntypes; i++) {
        if (s->types[i].id == id) {
            return s->types[i].name;
        }
    }
    const char *n = vgt_cmd_name(id);
    return n ? n : "?";
}

/* ---- open ----------------------------------------------------------------------------- */

/* The SQL condition "the frame row is complete" (ANDed to a frames query
 * whose ?3 is bound with bind_complete): the column from schema 3; before
 * it, the traces row's rule, the analyzer's own (frame < partial_from). */
static const char *complete_cond(const vgt_tui_source *s)
{
    return s->version >= 3 ? " AND partial = 0" : " AND frame < ?3";
}

static void bind_complete(const vgt_tui_source *s, sqlite3_stmt *st)
{
    /* (schema 3's condition has no ?3: SQLITE_RANGE, nothing bound) */
    sqlite3_bind_int64(st, 3, s->partial_from > INT64_MAX ? INT64_MAX : (int64_t)s->partial_from);
}

/* The lower median (row (n - 1) / 2 in order) of a wall column over n
 * complete frames of the run; -1 when n is 0.  sql: "SELECT col FROM frames
 * WHERE run_id = ?1 AND ...", ordered after the complete condition. */
static vgt_status wall_median(vgt_tui_source *s, const char *select, const char *order, uint64_t n,
                              int64_t *out, vgt_error *err)
{
    *out = -1;
    if (n == 0) {
        return VGT_OK;
    }
    char sql[512];
    snprintf(sql, sizeof(sql), "%s%s %s LIMIT 1 OFFSET ?2", select, complete_cond(s), order);
    sqlite3_stmt *st;
    vgt_status rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(st, 2, (int64_t)((n - 1) / 2));
    bind_complete(s, st);
    if (step(s, st, &rc, err)) {
        *out = col_opt(st, 0);
    }
    return rc;
}

/* --sync frame: the run's median frame, virtualized and native, the figures
 * vgt analyze's report gives ("frames cost X virtualized vs Y native"), over
 * the complete frames as the report takes them (a partial frame, the
 * commands after the guest's last frame end, is not a frame's cost).  Native
 * counts only the frames the virtual side timed too, as the report does.  Two
 * sorts of the run's frames (thousands of rows), once at open. */
static vgt_status load_walls(vgt_tui_source *s, vgt_tui_run_info *r, vgt_error *err)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT count(virtual_wall_ns), count(CASE WHEN virtual_wall_ns IS NOT NULL THEN "
             "native_wall_ns END) FROM frames WHERE run_id = ?1%s",
             complete_cond(s));
    sqlite3_stmt *st;
    vgt_status rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, r->run_id);
    bind_complete(s, st);
    uint64_t nv = 0, nn = 0;
    if (step(s, st, &rc, err)) {
        nv = col_u(st, 0);
        nn = col_u(st, 1);
    }
    if (rc != VGT_OK) {
        return rc;
    }
    r->wall_frames = nv;
    rc = wall_median(s,
                     "SELECT virtual_wall_ns FROM frames WHERE run_id = ?1 AND virtual_wall_ns IS "
                     "NOT NULL",
                     "ORDER BY virtual_wall_ns", nv, &r->virtual_wall_median, err);
    if (rc != VGT_OK) {
        return rc;
    }
    return wall_median(s,
                       "SELECT native_wall_ns FROM frames WHERE run_id = ?1 AND virtual_wall_ns IS "
                       "NOT NULL AND native_wall_ns IS NOT NULL",
                       "ORDER BY native_wall_ns", nn, &r->native_wall_median, err);
}

static vgt_status load_run(vgt_tui_source *s, int64_t run_id, vgt_error *err)
{
    vgt_status rc = VGT_OK;
    sqlite3_stmt *st;
    if (run_id == 0) {
        if ((rc = prep(s, "SELECT coalesce(max(run_id), 0) FROM runs", &st, err)) != VGT_OK) {
            return rc;
        }
        if (step(s, st, &rc, err)) {
            run_id = sqlite3_column_int64(st, 0);
        }
        if (rc != VGT_OK) {
            return rc;
        }
        if (run_id == 0) {
            return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no run stored yet (vgt analyze ...)",
                                 s->path);
        }
    }
    rc = prep(s,
              "SELECT r.trace_id, r.backend, r.host, r.date, r.vgt_version, r.commands, "
              "r.frames, r.commands_failed, r.replays, r.total_ns, r.native_ns, r.overhead_ns, "
              "r.timer_ns, r.replay_ns, t.path, t.start_frame, "
              "(SELECT count(*) FROM runs r2 WHERE r2.trace_id = r.trace_id), t.frames, "
              /* the guest frames of a vgt analyze --frames run (settings
               * "frames": [A, B]); NULL for a run of every frame, and for a
               * settings text that is not JSON or a member of another shape */
              "CASE WHEN json_valid(r.settings) THEN CASE WHEN json_type(r.settings, "
              "'$.frames[0]') = 'integer' AND json_type(r.settings, '$.frames[1]') = 'integer' "
              "THEN json_extract(r.settings, '$.frames[0]') END END, "
              "CASE WHEN json_valid(r.settings) THEN json_extract(r.settings, '$.frames[1]') END "
              "FROM runs r LEFT JOIN traces t USING(trace_id) WHERE r.run_id = ?",
              &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    /* LEFT JOIN: a run whose traces row is gone (a damaged or hand-edited
     * file) is still shown, its rows are all there; the trace's path and
     * start frame read as empty and 0, and before schema 3 no frame is taken
     * for partial (the rule needs the traces row) */
    sqlite3_bind_int64(st, 1, run_id);
    if (!step(s, st, &rc, err)) {
        return rc != VGT_OK
                   ? rc
                   : vgt_error_set(err, VGT_E_NOTFOUND, "%s: no run %" PRId64, s->path, run_id);
    }
    vgt_tui_run_info *r = &s->run;
    r->run_id = run_id;
    r->trace_id = sqlite3_column_int64(st, 0);
    col_text(st, 1, r->backend, sizeof(r->backend));
    col_text(st, 2, r->host, sizeof(r->host));
    col_text(st, 3, r->date, sizeof(r->date));
    col_text(st, 4, r->vgt_version, sizeof(r->vgt_version));
    r->commands = col_u(st, 5);
    r->commands_failed = col_u(st, 7);
    r->replays = col_u(st, 8);
    r->total_ns = col_u(st, 9);
    r->native_ns = col_opt(st, 10);
    r->overhead_ns = col_opt(st, 11);
    r->timer_ns = sqlite3_column_double(st, 12);
    r->replay_ns = col_u(st, 13);
    col_text(st, 14, r->trace_path, sizeof(r->trace_path));
    r->trace_start_frame = col_u(st, 15);
    r->runs_of_trace = col_u(st, 16);
    r->ranged = sqlite3_column_type(st, 18) == SQLITE_INTEGER;
    if (r->ranged) {
        r->range_first = col_u(st, 18);
        r->range_last = col_u(st, 19);
    }
    uint64_t complete = col_u(st, 17); /* traces.frames: the trace's FRAME_ENDs */
    s->partial_from =
        sqlite3_column_type(st, 17) == SQLITE_NULL || complete > UINT64_MAX - r->trace_start_frame
            ? UINT64_MAX
            : r->trace_start_frame + complete;
    /* the frame count is the complete frames (runs.frames of schema 3; a
     * schema 1 or 2 run's counted the partial frame too, so it is counted
     * here from the frames rows, the same either way) */
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT min(frame), max(frame), count(*), count(*) FILTER (WHERE 1%s) FROM frames "
             "WHERE run_id = ?1",
             complete_cond(s));
    rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, run_id);
    bind_complete(s, st);
    if (step(s, st, &rc, err)) {
        r->first_frame = col_u(st, 0);
        r->last_frame = col_u(st, 1);
        r->frame_rows = col_u(st, 2);
        r->frames = col_u(st, 3);
        r->partial_frames = r->frame_rows - r->frames;
    }
    if (rc != VGT_OK) {
        return rc;
    }
    s->frames_dense = r->frame_rows == 0 || r->last_frame - r->first_frame + 1 == r->frame_rows;
    r->virtual_wall_median = r->native_wall_median = -1;
    if (s->version >= 2 && (rc = load_walls(s, r, err)) != VGT_OK) {
        return rc;
    }
    /* the names of every type (tens of rows) */
    rc = prep(s, "SELECT type_id, name FROM command_types", &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    while (step(s, st, &rc, err)) {
        if (s->ntypes == s->types_cap) {
            size_t cap = s->types_cap ? s->types_cap * 2 : 64;
            tui_type_name_entry *t = realloc(s->types, cap * sizeof(*t));
            if (!t) {
                return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
            }
            s->types = t;
            s->types_cap = cap;
        }
        s->types[s->ntypes].id = (uint32_t)sqlite3_column_int64(st, 0);
        col_text(st, 1, s->types[s->ntypes].name, sizeof(s->types[s->ntypes].name));
        s->ntypes++;
    }
    return rc;
}

vgt_status vgt_tui_source_open(const char *db_path, int64_t run_id, vgt_tui_source **out,
                               vgt_error *err)
{
    *out = NULL;
    vgt_tui_source *s = calloc(1, sizeof(*s));
    if (!s) {
        return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
    }
    snprintf(s->path, sizeof(s->path), "%s", db_path);
    if (sqlite3_open_v2(db_path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        vgt_status rc = vgt_error_set(err, VGT_E_IO, "%s: cannot open the database: %s", db_path,
                                      s->db ? sqlite3_errmsg(s->db) : "out of memory");
        vgt_tui_source_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 2000);
    /* the open's scans (the frame count, the wall medians) read every frames
     * row once and never again: under the 64 MiB browsing cache they kept
     * ~37 bytes a frame resident (43 MB at a million frames), so they run
     * under a 2 MiB one and the browsing cache is set after them */
    sqlite3_exec(s->db, "PRAGMA cache_size=" TUI_OPEN_CACHE, NULL, NULL, NULL);
    sqlite3_stmt *st;
    vgt_status rc = prep(s, "PRAGMA user_version", &st, err);
    int64_t version = -1;
    if (rc == VGT_OK && step(s, st, &rc, err)) {
        version = sqlite3_column_int64(st, 0);
    }
    /* read-only: an older schema is read as it is (migrating needs a write) */
    int sqlite_rc = sqlite3_errcode(s->db) & 0xff;
    if (rc == VGT_E_IO && (sqlite_rc == SQLITE_CORRUPT || sqlite_rc == SQLITE_NOTADB)) {
        /* as vgt analyze says it: the file, then what is wrong with it */
        rc = sqlite_rc == SQLITE_NOTADB
                 ? vgt_error_set(err, VGT_E_FORMAT,
                                 "%s is not a vgt analysis database (not an SQLite file)", db_path)
                 : vgt_error_set(err, VGT_E_FORMAT, "%s: a damaged analysis database (%s)", db_path,
                                 sqlite3_errmsg(s->db));
    } else if (rc != VGT_OK || version < VGT_ANALYZE_SCHEMA_OLDEST ||
               version > VGT_ANALYZE_SCHEMA_VERSION) {
        if (rc == VGT_OK || rc == VGT_E_IO) {
            rc = version > VGT_ANALYZE_SCHEMA_VERSION
                     ? vgt_error_set(err, VGT_E_VERSION,
                                     "%s: analysis schema version %" PRId64
                                     " is newer than this vgt's (%d)",
                                     db_path, version, VGT_ANALYZE_SCHEMA_VERSION)
                     : vgt_error_set(err, VGT_E_FORMAT,
                                     "%s: not a vgt analysis database (vgt analyze TRACE --db "
                                     "FILE makes one)",
                                     db_path);
        }
        vgt_tui_source_close(s);
        return rc;
    }
    s->version = version;
    /* every query below names its tables and columns: a file that lost one
     * (or says a version its tables are not) is refused here, by name */
    if (rc == VGT_OK) {
        rc = vgt_analyze_schema_check(s->db, db_path, version, err);
    }
    if (rc != VGT_OK) {
        vgt_tui_source_close(s);
        return rc;
    }
    if ((rc = load_run(s, run_id, err)) != VGT_OK) {
        vgt_tui_source_close(s);
        return rc;
    }
    /* browsing: a page of commands, a frame's rows, read again and again */
    sqlite3_exec(s->db, "PRAGMA cache_size=" TUI_BROWSE_CACHE, NULL, NULL, NULL);
    *out = s;
    return VGT_OK;
}

void vgt_tui_source_close(vgt_tui_source *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->nstmt; i++) {
        sqlite3_finalize(s->stmt[i].st);
        free(s->stmt[i].sql);
    }
    sqlite3_close(s->db);
    vgt_trace_reader_close(s->trace);
    free(s->types);
    free(s->words);
    free(s);
}

const vgt_tui_run_info *vgt_tui_source_run(const vgt_tui_source *s)
{
    return &s->run;
}

uint64_t vgt_tui_source_queries(const vgt_tui_source *s)
{
    return s->queries;
}

/* ---- frames and types ------------------------------------------------------------------- */

/* The guest frame of frames row `row` (frame order) of a run whose frame
 * numbers have gaps, in *frame; false past the last row.  Counted from the
 * nearest known place, the start, the end or the last page's first row, so
 * a step or a jump to either end reads a few rows and not every one before
 * it (LIMIT/OFFSET from the start read the whole table for the last page,
 * and kept it in the page cache). */
static bool gap_frame_at(vgt_tui_source *s, uint64_t row, uint64_t *frame, vgt_status *rc,
                         vgt_error *err)
{
    static const char *const sql[4] = {
        "SELECT frame FROM frames WHERE run_id = ?1 ORDER BY frame LIMIT 1 OFFSET ?3",
        "SELECT frame FROM frames WHERE run_id = ?1 ORDER BY frame DESC LIMIT 1 OFFSET ?3",
        "SELECT frame FROM frames WHERE run_id = ?1 AND frame >= ?2 ORDER BY frame LIMIT 1 "
        "OFFSET ?3",
        "SELECT frame FROM frames WHERE run_id = ?1 AND frame < ?2 ORDER BY frame DESC LIMIT 1 "
        "OFFSET ?3",
    };
    uint64_t rows = s->run.frame_rows;
    if (row >= rows) {
        return false;
    }
    int pick = 0;
    uint64_t skip = row;
    if (rows - 1 - row < skip) {
        pick = 1;
        skip = rows - 1 - row;
    }
    if (s->frame_anchor) {
        uint64_t a = s->frame_anchor_row;
        if (row >= a && row - a < skip) {
            pick = 2;
            skip = row - a;
        } else if (row < a && a - 1 - row < skip) {
            pick = 3;
            skip = a - 1 - row;
        }
    }
    sqlite3_stmt *st;
    if ((*rc = prep(s, sql[pick], &st, err)) != VGT_OK) {
        return false;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(
        st, 2, s->frame_anchor_frame > INT64_MAX ? INT64_MAX : (int64_t)s->frame_anchor_frame);
    sqlite3_bind_int64(st, 3, skip > INT64_MAX ? INT64_MAX : (int64_t)skip);
    if (!step(s, st, rc, err)) {
        return false;
    }
    *frame = col_u(st, 0);
    s->frame_anchor = true;
    s->frame_anchor_row = row;
    s->frame_anchor_frame = *frame;
    return true;
}

vgt_status vgt_tui_source_frames(vgt_tui_source *s, uint64_t offset, uint32_t n,
                                 vgt_tui_frame_row *out, uint32_t *got, vgt_error *err)
{
    *got = 0;
    sqlite3_stmt *st;
#define FRAME_COLS                                                                                 \
    "SELECT frame, first_seq, last_seq, commands, draws, primitives, total_ns, decode_ns, "        \
    "dma_ns, translate_ns, backend_ns, native_ns, overhead_ns, "
    /* [schema]: a key range from the page's first frame (first_frame +
     * offset without gaps, else found by gap_frame_at); schema 1 has no wall
     * time columns, and NULL in their place reads as "not measured", as in a
     * run without --sync frame; before schema 3 the partial flag is the
     * traces row's rule (?4) */
#define WALLS_NONE "NULL, NULL, "
#define WALLS      "virtual_wall_ns, native_wall_ns, "
#define PARTIAL_V2 "frame >= ?4 FROM frames WHERE run_id = ?1"
#define PARTIAL_V3 "partial FROM frames WHERE run_id = ?1"
#define KEYED      " AND frame >= ?2 ORDER BY frame LIMIT ?3"
    static const char *const sql[3] = {
        FRAME_COLS WALLS_NONE PARTIAL_V2 KEYED,
        FRAME_COLS WALLS PARTIAL_V2 KEYED,
        FRAME_COLS WALLS PARTIAL_V3 KEYED,
    };
#undef FRAME_COLS
#undef WALLS_NONE
#undef WALLS
#undef PARTIAL_V2
#undef PARTIAL_V3
#undef KEYED
    vgt_status rc = VGT_OK;
    uint64_t first = s->run.first_frame + offset;
    if (!s->frames_dense && !gap_frame_at(s, offset, &first, &rc, err)) {
        return rc; /* past the last row, or the query failed */
    }
    int v = s->version >= 3 ? 2 : s->version >= 2 ? 1 : 0;
    rc = prep(s, sql[v], &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(st, 2, first > INT64_MAX ? INT64_MAX : (int64_t)first);
    sqlite3_bind_int64(st, 3, n);
    sqlite3_bind_int64(st, 4, s->partial_from > INT64_MAX ? INT64_MAX : (int64_t)s->partial_from);
    while (*got < n && step(s, st, &rc, err)) {
        vgt_tui_frame_row *f = &out[(*got)++];
        f->frame = col_u(st, 0);
        f->first_seq = col_u(st, 1);
        f->last_seq = col_u(st, 2);
        f->commands = col_u(st, 3);
        f->draws = col_u(st, 4);
        f->primitives = col_u(st, 5);
        f->total = col_u(st, 6);
        f->decode = col_u(st, 7);
        f->dma = col_u(st, 8);
        f->translate = col_u(st, 9);
        f->backend = col_u(st, 10);
        f->native = col_opt(st, 11);
        f->overhead = col_opt(st, 12);
        f->virtual_wall = col_opt(st, 13);
        f->native_wall = col_opt(st, 14);
        f->partial = sqlite3_column_int(st, 15) != 0;
    }
    return rc;
}

vgt_status vgt_tui_source_frame_index(vgt_tui_source *s, uint64_t frame, uint64_t *index,
                                      vgt_error *err)
{
    if (s->frames_dense) {
        *index = frame >= s->run.first_frame ? frame - s->run.first_frame : 0;
        return VGT_OK;
    }
    sqlite3_stmt *st;
    vgt_status rc = prep(s, "SELECT count(*) FROM frames WHERE run_id = ? AND frame < ?", &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(st, 2, (int64_t)frame);
    *index = 0;
    if (step(s, st, &rc, err)) {
        *index = col_u(st, 0);
    }
    return rc;
}

vgt_status vgt_tui_source_types(vgt_tui_source *s, vgt_tui_type_row **rows, size_t *n,
                                vgt_error *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st;
    vgt_status rc = prep(s,
                         "SELECT type_id, count, total_ns, max_ns, mean_ns, share, native_ns, "
                         "overhead_ns, ratio FROM type_stats WHERE run_id = ?",
                         &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    size_t cap = 0;
    while (step(s, st, &rc, err)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            vgt_tui_type_row *r = realloc(*rows, cap * sizeof(*r));
            if (!r) {
                free(*rows);
                *rows = NULL;
                *n = 0;
                return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
            }
            *rows = r;
        }
        vgt_tui_type_row *t = &(*rows)[(*n)++];
        memset(t, 0, sizeof(*t));
        t->type_id = (uint32_t)sqlite3_column_int64(st, 0);
        snprintf(t->name, sizeof(t->name), "%s", tui_type_name(s, t->type_id));
        t->count = col_u(st, 1);
        t->total = col_u(st, 2);
        t->max = col_u(st, 3);
        t->mean = sqlite3_column_double(st, 4);
        t->share = sqlite3_column_double(st, 5);
        t->native = col_opt(st, 6);
        t->overhead = col_opt(st, 7);
        t->ratio = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 8);
    }
    if (rc != VGT_OK) { /* a read error after some rows (a damaged page): none returned */
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- commands ---------------------------------------------------------------------------- */

#define CMD_COLS                                                                                   \
    "seq, frame, type_id, bytes, backend_calls, status, decode_ns, dma_bytes, dma_ns, "            \
    "translate_ns, backend_ns, total_ns, primitives, start_ns, gpu_ns, native_ns, overhead_ns, "   \
    "queue_ns, device_ns"

static void read_cmd(const vgt_tui_source *s, sqlite3_stmt *st, vgt_tui_cmd_row *c)
{
    c->seq = col_u(st, 0);
    c->frame = col_u(st, 1);
    c->type_id = (uint32_t)sqlite3_column_int64(st, 2);
    c->bytes = (uint32_t)sqlite3_column_int64(st, 3);
    c->backend_calls = (uint32_t)sqlite3_column_int64(st, 4);
    c->status = (int32_t)sqlite3_column_int64(st, 5);
    c->decode = col_u(st, 6);
    c->dma_bytes = col_u(st, 7);
    c->dma = col_u(st, 8);
    c->translate = col_u(st, 9);
    c->backend = col_u(st, 10);
    c->total = col_u(st, 11);
    c->primitives = col_u(st, 12);
    c->start = col_u(st, 13);
    c->gpu = col_opt(st, 14);
    c->native = col_opt(st, 15);
    c->overhead = col_opt(st, 16);
    c->queue = col_opt(st, 17);
    c->device = col_opt(st, 18);
    snprintf(c->name, sizeof(c->name), "%s", tui_type_name(s, c->type_id));
}

/* The WHERE clause of a query: ?1 run, ?2/?3 the seq range, ?4 the type. */
static void where(const vgt_tui_cmd_query *q, char *buf, size_t size)
{
    snprintf(buf, size, "WHERE run_id = ?1%s%s", q->whole_run ? "" : " AND seq BETWEEN ?2 AND ?3",
             q->type_id >= 0 ? " AND type_id = ?4" : "");
}

static void bind_q(vgt_tui_source *s, sqlite3_stmt *st, const vgt_tui_cmd_query *q)
{
    sqlite3_bind_int64(st, 1, s->run.run_id);
    if (!q->whole_run) {
        sqlite3_bind_int64(st, 2, (int64_t)q->lo_seq);
        sqlite3_bind_int64(st, 3, (int64_t)q->hi_seq);
    }
    if (q->type_id >= 0) {
        sqlite3_bind_int64(st, 4, q->type_id);
    }
}

vgt_status vgt_tui_source_cmd_count(vgt_tui_source *s, const vgt_tui_cmd_query *q, uint64_t *count,
                                    vgt_error *err)
{
    *count = 0;
    char w[128], sql[256];
    sqlite3_stmt *st;
    if (q->whole_run && q->type_id >= 0) { /* pre-aggregated */
        snprintf(sql, sizeof(sql),
                 "SELECT coalesce((SELECT count FROM type_stats WHERE run_id = ?1 AND "
                 "type_id = ?4), 0)");
    } else if (q->whole_run) {
        snprintf(sql, sizeof(sql), "SELECT commands FROM runs WHERE run_id = ?1");
    } else {
        where(q, w, sizeof(w));
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM commands %s", w);
    }
    vgt_status rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    bind_q(s, st, q);
    if (step(s, st, &rc, err)) {
        *count = col_u(st, 0);
    }
    return rc;
}

bool vgt_tui_cmd_sort_keyset(vgt_tui_cmd_sort sort)
{
    return sort != VGT_TUI_CMD_BY_OVERHEAD; /* overhead may be NULL: no row-value key */
}

vgt_status vgt_tui_source_cmd_seek(vgt_tui_source *s, const vgt_tui_cmd_query *q,
                                   const vgt_tui_cmd_row *anchor, bool backward, uint64_t skip,
                                   uint32_t n, vgt_tui_cmd_row *out, uint32_t *got, vgt_error *err)
{
    *got = 0;
    if ((anchor || backward) && !vgt_tui_cmd_sort_keyset(q->sort)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "tui: this order pages by offset only");
    }
    /* the list's order, and the key that continues it past the anchor */
    bool desc = q->sort == VGT_TUI_CMD_BY_TOTAL;
    bool by_total = q->sort == VGT_TUI_CMD_BY_TOTAL || q->sort == VGT_TUI_CMD_BY_TOTAL_ASC;
    bool down = desc != backward; /* the SQL order is descending */
    const char *key = "";
    if (anchor) {
        key = by_total
                  ? (down ? " AND (total_ns, seq) < (?7, ?8)" : " AND (total_ns, seq) > (?7, ?8)")
                  : (down ? " AND seq < ?8" : " AND seq > ?8");
    }
    const char *order =
        q->sort == VGT_TUI_CMD_BY_OVERHEAD ? " ORDER BY overhead_ns DESC, seq DESC"
        : by_total ? (down ? " ORDER BY total_ns DESC, seq DESC" : " ORDER BY total_ns, seq")
                   : (down ? " ORDER BY seq DESC" : " ORDER BY seq");
    char w[128], sql[512];
    where(q, w, sizeof(w));
    snprintf(sql, sizeof(sql), "SELECT " CMD_COLS " FROM commands %s%s%s LIMIT ?5 OFFSET ?6", w,
             key, order);
    sqlite3_stmt *st;
    vgt_status rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    bind_q(s, st, q);
    sqlite3_bind_int64(st, 5, n);
    sqlite3_bind_int64(st, 6, (int64_t)skip);
    if (anchor) {
        if (by_total) {
            sqlite3_bind_int64(st, 7, (int64_t)anchor->total);
        }
        sqlite3_bind_int64(st, 8, (int64_t)anchor->seq);
    }
    while (*got < n && step(s, st, &rc, err)) {
        read_cmd(s, st, &out[(*got)++]);
    }
    if (backward) { /* back into the list's order */
        for (uint32_t i = 0; i < *got / 2; i++) {
            vgt_tui_cmd_row t = out[i];
            out[i] = out[*got - 1 - i];
            out[*got - 1 - i] = t;
        }
    }
    return rc;
}

vgt_status vgt_tui_source_cmd_page(vgt_tui_source *s, const vgt_tui_cmd_query *q, uint64_t offset,
                                   uint32_t n, vgt_tui_cmd_row *out, uint32_t *got, vgt_error *err)
{
    return vgt_tui_source_cmd_seek(s, q, NULL, false, offset, n, out, got, err);
}

vgt_status vgt_tui_source_cmd_index(vgt_tui_source *s, const vgt_tui_cmd_query *q, uint64_t seq,
                                    uint64_t *index, vgt_error *err)
{
    *index = 0;
    if (q->sort != VGT_TUI_CMD_BY_SEQ) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "tui: position only in device order");
    }
    char w[128], sql[256];
    where(q, w, sizeof(w));
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM commands %s AND seq < ?5", w);
    sqlite3_stmt *st;
    vgt_status rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    bind_q(s, st, q);
    sqlite3_bind_int64(st, 5, (int64_t)seq);
    if (step(s, st, &rc, err)) {
        *index = col_u(st, 0);
    }
    return rc;
}

vgt_status tui_source_cmd(vgt_tui_source *s, uint64_t seq, vgt_tui_cmd_row *out, vgt_error *err)
{
    sqlite3_stmt *st;
    vgt_status rc =
        prep(s, "SELECT " CMD_COLS " FROM commands WHERE run_id = ? AND seq = ?", &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    if (step(s, st, &rc, err)) {
        read_cmd(s, st, out);
        return VGT_OK;
    }
    return rc != VGT_OK ? rc
                        : vgt_error_set(err, VGT_E_NOTFOUND, "run %" PRId64 ": no command %" PRIu64,
                                        s->run.run_id, seq);
}

/* ---- search by name ------------------------------------------------------------------------- */

/* Types whose name contains text, as "1040,1041" (empty: none). */
static void matching_types(const vgt_tui_source *s, const char *text, char *buf, size_t size,
                           uint32_t *ids, size_t *nids, size_t max)
{
    buf[0] = 0;
    *nids = 0;
    size_t len = 0;
    for (size_t i = 0; i < s->ntypes && *nids < max; i++) {
        if (strcasestr(s->types[i].name, text)) {
            int k = snprintf(buf + len, size - len, "%s%u", len ? "," : "", s->types[i].id);
            if (k < 0 || (size_t)k >= size - len) {
                break;
            }
            len += (size_t)k;
            ids[(*nids)++] = s->types[i].id;
        }
    }
}

/* The nearest command of the listed types after (forward) / before seq `from`;
 * from < 0 (forward) searches from the start, from > every seq (backward) from the end. */
static vgt_status find_name(vgt_tui_source *s, const char *list, const uint32_t *ids, size_t nids,
                            int64_t from, bool forward, bool *found, uint64_t *seq, vgt_error *err)
{
    *found = false;
    char sql[1024];
    sqlite3_stmt *st;
    /* 1: a short key range next to `from` (matches are usually close) */
    snprintf(sql, sizeof(sql),
             forward ? "SELECT seq FROM commands WHERE run_id = ?1 AND seq > ?2 AND seq <= ?3 "
                       "AND type_id IN (%s) ORDER BY seq LIMIT 1"
                     : "SELECT seq FROM commands WHERE run_id = ?1 AND seq < ?2 AND seq >= ?3 "
                       "AND type_id IN (%s) ORDER BY seq DESC LIMIT 1",
             list);
    vgt_status rc = prep(s, sql, &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(st, 2, from);
    /* from is a seq of the file, up to INT64_MAX: the range saturates */
    sqlite3_bind_int64(st, 3,
                       forward ? (from > INT64_MAX - 4096 ? INT64_MAX : from + 4096)
                               : (from < INT64_MIN + 4096 ? INT64_MIN : from - 4096));
    if (step(s, st, &rc, err)) {
        *found = true;
        *seq = col_u(st, 0);
        return VGT_OK;
    }
    if (rc != VGT_OK) {
        return rc;
    }
    /* 2: per type, on commands_by_type (reads only that type's index entries) */
    for (size_t i = 0; i < nids; i++) {
        rc = prep(s,
                  forward ? "SELECT min(seq) FROM commands INDEXED BY commands_by_type WHERE "
                            "run_id = ?1 AND type_id = ?2 AND seq > ?3"
                          : "SELECT max(seq) FROM commands INDEXED BY commands_by_type WHERE "
                            "run_id = ?1 AND type_id = ?2 AND seq < ?3",
                  &st, err);
        if (rc != VGT_OK) {
            return rc;
        }
        sqlite3_bind_int64(st, 1, s->run.run_id);
        sqlite3_bind_int64(st, 2, ids[i]);
        sqlite3_bind_int64(st, 3, from);
        if (step(s, st, &rc, err) && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            uint64_t v = col_u(st, 0);
            if (!*found || (forward ? v < *seq : v > *seq)) {
                *seq = v;
            }
            *found = true;
        }
        if (rc != VGT_OK) {
            return rc;
        }
    }
    return VGT_OK;
}

static vgt_status frame_of(vgt_tui_source *s, uint64_t seq, uint64_t *frame, vgt_error *err)
{
    vgt_tui_cmd_row c;
    vgt_status rc = tui_source_cmd(s, seq, &c, err);
    if (rc == VGT_OK) {
        *frame = c.frame;
    }
    return rc;
}

vgt_status vgt_tui_source_search(vgt_tui_source *s, const char *text, int64_t from, bool forward,
                                 uint64_t *seq, uint64_t *frame, vgt_error *err)
{
    if (!text[0]) {
        return vgt_error_set(err, VGT_E_INVALID, "empty search");
    }
    /* A run without commands (a capture started past the guest's last
     * frame): nothing to match, and no frame of it to seek the trace to */
    if (s->run.commands == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "no command matches '%s' (the run has none)",
                             text);
    }
    /* With the trace: every command's decoded line (its name first). */
    if (vgt_tui_source_trace_ok(s, NULL)) {
        bool found = false;
        vgt_status rc = tui_trace_search(s, text, from, forward, &found, seq, frame, err);
        if (rc != VGT_OK) {
            return rc;
        }
        return found ? VGT_OK : vgt_error_set(err, VGT_E_NOTFOUND, "no command matches '%s'", text);
    }
    char list[1024];
    uint32_t ids[128];
    size_t nids;
    matching_types(s, text, list, sizeof(list), ids, &nids, 128);
    if (!nids) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "no command type matches '%s' (arguments need the trace: %s)", text,
                             s->trace_err[0] ? s->trace_err : "not readable");
    }
    bool found = false;
    vgt_status rc = find_name(s, list, ids, nids, from, forward, &found, seq, err);
    if (rc == VGT_OK && !found) { /* wrap around once */
        rc = find_name(s, list, ids, nids, forward ? -1 : INT64_MAX, forward, &found, seq, err);
    }
    if (rc != VGT_OK) {
        return rc;
    }
    if (!found) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "no command matches '%s'", text);
    }
    return frame_of(s, *seq, frame, err);
}

vgt_status tui_source_surface(vgt_tui_source *s, uint32_t sid, uint64_t seq, char *buf, size_t size,
                              vgt_error *err)
{
    sqlite3_stmt *st;
    vgt_status rc = prep(s,
                         "SELECT defined_seq, destroyed_seq, format_name, width, height, depth, "
                         "faces, mip_levels, bytes, uploads, upload_bytes, downloads, "
                         "download_bytes FROM surfaces WHERE trace_id = ? AND sid = ? AND "
                         "defined_seq <= ? ORDER BY defined_seq DESC LIMIT 1",
                         &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.trace_id);
    sqlite3_bind_int64(st, 2, sid);
    sqlite3_bind_int64(st, 3, (int64_t)seq);
    if (!step(s, st, &rc, err)) {
        snprintf(buf, size, "sid %u: not in the surfaces table", sid);
        return rc;
    }
    char fmt[32], destroyed[32] = "alive at the end";
    col_text(st, 2, fmt, sizeof(fmt));
    if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
        snprintf(destroyed, sizeof(destroyed), "destroyed #%" PRIu64, col_u(st, 1));
    }
    uint64_t faces = col_u(st, 6), mips = col_u(st, 7), bytes = col_u(st, 8);
    uint64_t ups = col_u(st, 9), downs = col_u(st, 11);
    snprintf(
        buf, size,
        "sid %u: %s %" PRIu64 "x%" PRIu64 "x%" PRIu64 ", %" PRIu64 " %s, %" PRIu64 " %s, %" PRIu64
        " %s\ndefined #%" PRIu64 ", %s; %" PRIu64 " %s %" PRIu64 " B, %" PRIu64 " %s %" PRIu64 " B",
        sid, fmt, col_u(st, 3), col_u(st, 4), col_u(st, 5), faces, tui_noun(faces, "face", "faces"),
        mips, tui_noun(mips, "mip", "mips"), bytes, tui_noun(bytes, "byte", "bytes"), col_u(st, 0),
        destroyed, ups, tui_noun(ups, "upload", "uploads"), col_u(st, 10), downs,
        tui_noun(downs, "download", "downloads"), col_u(st, 12));
    return VGT_OK;
}

vgt_status tui_source_shader(vgt_tui_source *s, uint32_t cid, uint32_t shid, const char *type,
                             uint64_t seq, uint64_t *defined_seq, char *buf, size_t size,
                             vgt_error *err)
{
    sqlite3_stmt *st;
    vgt_status rc = prep(s,
                         "SELECT defined_seq, destroyed_seq, words, hash FROM shaders WHERE "
                         "trace_id = ? AND shid = ? AND (cid = ? OR cid IS NULL) AND type = ? "
                         "AND defined_seq <= ? ORDER BY defined_seq DESC LIMIT 1",
                         &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.trace_id);
    sqlite3_bind_int64(st, 2, shid);
    sqlite3_bind_int64(st, 3, cid);
    sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (int64_t)seq);
    *defined_seq = UINT64_MAX;
    if (!step(s, st, &rc, err)) {
        snprintf(buf, size, "%s shid %u (cid %u): not in the shaders table", type, shid, cid);
        return rc;
    }
    char hash[32], destroyed[32] = "alive at the end";
    col_text(st, 3, hash, sizeof(hash));
    if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
        snprintf(destroyed, sizeof(destroyed), "destroyed #%" PRIu64, col_u(st, 1));
    }
    *defined_seq = col_u(st, 0);
    uint64_t words = col_u(st, 2);
    snprintf(buf, size, "%s shid %u (cid %u): %" PRIu64 " %s, xxh3 %s, defined #%" PRIu64 ", %s",
             type, shid, cid, words, tui_noun(words, "word", "words"), hash, *defined_seq,
             destroyed);
    return VGT_OK;
}

vgt_status tui_source_frame_of(vgt_tui_source *s, uint64_t seq, uint64_t *frame, vgt_error *err)
{
    return frame_of(s, seq, frame, err);
}

vgt_status tui_source_frame_at(vgt_tui_source *s, int64_t seq, uint64_t *frame, vgt_error *err)
{
    sqlite3_stmt *st;
    vgt_status rc = prep(s,
                         "SELECT frame FROM commands WHERE run_id = ? AND seq <= ? ORDER BY seq "
                         "DESC LIMIT 1",
                         &st, err);
    if (rc != VGT_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, s->run.run_id);
    sqlite3_bind_int64(st, 2, seq);
    *frame = s->run.first_frame;
    if (step(s, st, &rc, err)) {
        *frame = col_u(st, 0);
    }
    return rc;
}
