/* db.c - the analysis database: schema (docs/analysis-db.md), open/close,
 * helpers, and the insert benchmark. */
#include "analyze_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The schema.  Hot tables are WITHOUT ROWID, clustered on the key the
 * profiler reads them by: commands of a frame are a key range
 * (run_id, seq BETWEEN first_seq AND last_seq); per-type and per-frame
 * figures are pre-aggregated. */
static const char SCHEMA[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE traces(\n"
    "  trace_id INTEGER PRIMARY KEY,\n"
    "  path TEXT NOT NULL, file_bytes INTEGER NOT NULL,\n"
    "  protocol TEXT NOT NULL, creator TEXT NOT NULL,\n"
    "  start_time_ns INTEGER NOT NULL, start_frame INTEGER NOT NULL,\n"
    "  records INTEGER NOT NULL, commands INTEGER NOT NULL, frames INTEGER NOT NULL,\n"
    "  dma_bytes INTEGER NOT NULL, backend_captured TEXT NOT NULL,\n"
    "  has_3d INTEGER NOT NULL, timed_commands INTEGER NOT NULL,\n"
    "  added TEXT NOT NULL,\n"
    "  UNIQUE(start_time_ns, records, commands, file_bytes));\n"
    "CREATE TABLE runs(\n"
    "  run_id INTEGER PRIMARY KEY,\n"
    "  trace_id INTEGER NOT NULL REFERENCES traces(trace_id),\n"
    "  backend TEXT NOT NULL, host TEXT NOT NULL, os TEXT NOT NULL, date TEXT NOT NULL,\n"
    "  vgt_version TEXT NOT NULL, settings TEXT NOT NULL,\n"
    "  replays INTEGER NOT NULL, gpu INTEGER NOT NULL, native INTEGER NOT NULL,\n"
    "  native_complete INTEGER NOT NULL, native_ops INTEGER NOT NULL,\n"
    "  native_failed INTEGER NOT NULL,\n"
    "  timer_ns REAL NOT NULL, commands INTEGER NOT NULL, frames INTEGER NOT NULL,\n"
    "  commands_failed INTEGER NOT NULL,\n"
    "  total_ns INTEGER NOT NULL, native_ns INTEGER, overhead_ns INTEGER,\n"
    "  replay_ns INTEGER NOT NULL,\n"
    "  insert_rows INTEGER, insert_ns INTEGER, insert_rows_per_s REAL);\n"
    "CREATE INDEX runs_by_trace ON runs(trace_id, run_id);\n"
    "CREATE TABLE command_types(\n"
    "  type_id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);\n"
    "CREATE INDEX command_types_by_name ON command_types(name COLLATE NOCASE);\n"
    "CREATE TABLE commands(\n"
    "  run_id INTEGER NOT NULL, seq INTEGER NOT NULL,\n"
    "  frame INTEGER NOT NULL, type_id INTEGER NOT NULL, bytes INTEGER NOT NULL,\n"
    "  status INTEGER NOT NULL,\n"
    "  decode_ns INTEGER NOT NULL, dma_bytes INTEGER NOT NULL, dma_ns INTEGER NOT NULL,\n"
    "  translate_ns INTEGER NOT NULL, backend_ns INTEGER NOT NULL,\n"
    "  backend_calls INTEGER NOT NULL, gpu_ns INTEGER,\n"
    "  native_ns INTEGER, total_ns INTEGER NOT NULL, overhead_ns INTEGER,\n"
    "  queue_ns INTEGER, device_ns INTEGER, live_ns INTEGER,\n"
    "  primitives INTEGER NOT NULL, start_ns INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run_id, seq)) WITHOUT ROWID;\n"
    "CREATE INDEX commands_by_type ON commands(run_id, type_id, total_ns);\n"
    "CREATE TABLE frames(\n"
    "  run_id INTEGER NOT NULL, frame INTEGER NOT NULL,\n"
    "  first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,\n"
    "  commands INTEGER NOT NULL, draws INTEGER NOT NULL, primitives INTEGER NOT NULL,\n"
    "  dma_bytes INTEGER NOT NULL,\n"
    "  total_ns INTEGER NOT NULL, decode_ns INTEGER NOT NULL, dma_ns INTEGER NOT NULL,\n"
    "  translate_ns INTEGER NOT NULL, backend_ns INTEGER NOT NULL, gpu_ns INTEGER,\n"
    "  native_ns INTEGER, overhead_ns INTEGER,\n"
    "  queue_ns INTEGER, device_ns INTEGER, live_ns INTEGER,\n"
    "  start_ns INTEGER NOT NULL,\n"
    "  virtual_wall_ns INTEGER, native_wall_ns INTEGER,\n"
    "  partial INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run_id, frame)) WITHOUT ROWID;\n"
    "CREATE INDEX frames_by_time ON frames(run_id, total_ns);\n"
    "CREATE TABLE type_stats(\n"
    "  run_id INTEGER NOT NULL, type_id INTEGER NOT NULL,\n"
    "  count INTEGER NOT NULL, failed INTEGER NOT NULL, bytes INTEGER NOT NULL,\n"
    "  total_ns INTEGER NOT NULL, mean_ns REAL NOT NULL,\n"
    "  p50_ns INTEGER NOT NULL, p95_ns INTEGER NOT NULL, p99_ns INTEGER NOT NULL,\n"
    "  max_ns INTEGER NOT NULL,\n"
    "  decode_ns INTEGER NOT NULL, dma_bytes INTEGER NOT NULL, dma_ns INTEGER NOT NULL,\n"
    "  translate_ns INTEGER NOT NULL, backend_ns INTEGER NOT NULL, gpu_ns INTEGER,\n"
    "  native_ns INTEGER, overhead_ns INTEGER,\n"
    "  overhead_p50_ns INTEGER, overhead_p95_ns INTEGER, overhead_p99_ns INTEGER,\n"
    "  share REAL NOT NULL, ratio REAL, native_below_resolution INTEGER NOT NULL,\n"
    "  queue_ns INTEGER, device_ns INTEGER, primitives INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run_id, type_id)) WITHOUT ROWID;\n"
    "CREATE TABLE batch_stats(\n"
    "  run_id INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,\n"
    "  draws INTEGER NOT NULL, primitives INTEGER NOT NULL,\n"
    "  total_ns INTEGER NOT NULL, native_ns INTEGER, overhead_ns INTEGER,\n"
    "  ratio REAL, native_below_resolution INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run_id, lo)) WITHOUT ROWID;\n"
    "CREATE TABLE surfaces(\n"
    "  trace_id INTEGER NOT NULL, sid INTEGER NOT NULL, defined_seq INTEGER NOT NULL,\n"
    "  destroyed_seq INTEGER, format INTEGER NOT NULL, format_name TEXT NOT NULL,\n"
    "  flags INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,\n"
    "  depth INTEGER NOT NULL, faces INTEGER NOT NULL, mip_levels INTEGER NOT NULL,\n"
    "  bytes INTEGER NOT NULL, uploads INTEGER NOT NULL, upload_bytes INTEGER NOT NULL,\n"
    "  downloads INTEGER NOT NULL, download_bytes INTEGER NOT NULL,\n"
    "  PRIMARY KEY(trace_id, sid, defined_seq)) WITHOUT ROWID;\n"
    "CREATE TABLE shaders(\n"
    "  trace_id INTEGER NOT NULL, cid INTEGER, shid INTEGER, defined_seq INTEGER NOT NULL,\n"
    "  destroyed_seq INTEGER, type TEXT NOT NULL, words INTEGER NOT NULL,\n"
    "  hash TEXT NOT NULL,\n"
    "  PRIMARY KEY(trace_id, defined_seq, shid));\n";

/* Schema version 1 to 2: the columns version 2 added to the tables of version 1. */
#define MIGRATE_1_TO_2                                                                             \
    "ALTER TABLE frames ADD COLUMN virtual_wall_ns INTEGER;\n"                                     \
    "ALTER TABLE frames ADD COLUMN native_wall_ns INTEGER;\n"

/* Schema version 2 to 3: frames.partial, and runs.frames counting complete
 * frames only.  Both follow exactly from what every version stored:
 * traces.frames has always been the trace's complete frames (FRAME_END
 * records) and traces.start_frame its first guest frame, so a frame row at
 * or past start_frame + frames is the one after the guest's last frame end
 * (its teardown, or a capture cut short), and runs.frames, which counted
 * every frame row, is recounted without it.  The column is added last, where
 * a database created at version 3 has it too (the inserts are positional). */
#define MIGRATE_2_TO_3                                                                             \
    "ALTER TABLE frames ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;\n"                          \
    "UPDATE frames SET partial = 1 WHERE frame >= (SELECT t.start_frame + t.frames FROM runs r "   \
    "JOIN traces t USING(trace_id) WHERE r.run_id = frames.run_id);\n"                             \
    "UPDATE runs SET frames = (SELECT count(*) FROM frames f WHERE f.run_id = runs.run_id AND "    \
    "f.partial = 0);\n"

vgt_status an_db_error(vgt_analyze_db *db, const char *what, vgt_error *err)
{
    return vgt_error_set(err, VGT_E_IO, "%s: %s: %s", db->path, what, sqlite3_errmsg(db->db));
}

vgt_status an_db_exec(vgt_analyze_db *db, const char *sql, vgt_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        vgt_status st = vgt_error_set(err, VGT_E_IO, "%s: %.60s...: %s", db->path, sql,
                                      msg ? msg : sqlite3_errmsg(db->db));
        sqlite3_free(msg);
        return st;
    }
    return VGT_OK;
}

vgt_status an_db_prepare(vgt_analyze_db *db, const char *sql, sqlite3_stmt **out, vgt_error *err)
{
    if (sqlite3_prepare_v2(db->db, sql, -1, out, NULL) != SQLITE_OK) {
        return vgt_error_set(err, VGT_E_IO, "%s: preparing %.60s...: %s", db->path, sql,
                             sqlite3_errmsg(db->db));
    }
    return VGT_OK;
}

vgt_status an_db_check_intact(vgt_analyze_db *db, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(db, "PRAGMA quick_check(1)", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    int rc = sqlite3_step(s);
    const unsigned char *what = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
    if (rc == SQLITE_ROW && what && strcmp((const char *)what, "ok") == 0) {
        st = VGT_OK;
    } else if (rc == SQLITE_ROW || (sqlite3_errcode(db->db) & 0xff) == SQLITE_CORRUPT) {
        /* quick_check's first finding, on one line ("*** in database main
         * ***\nPage 11: ...") */
        char first[256];
        snprintf(first, sizeof(first), "%s", what ? (const char *)what : sqlite3_errmsg(db->db));
        for (char *p = first; *p; p++) {
            *p = *p == '\n' ? ' ' : *p;
        }
        st = vgt_error_set(err, VGT_E_FORMAT,
                           "%s: a damaged analysis database (%s); no run was added to it", db->path,
                           first);
    } else {
        st = an_db_error(db, "checking the file", err);
    }
    sqlite3_finalize(s);
    return st;
}

static vgt_status pragma_int(vgt_analyze_db *db, const char *sql, int64_t *out, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(db, sql, &s, err);
    if (st != VGT_OK) {
        return st;
    }
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        st = VGT_OK;
    } else {
        st = an_db_error(db, sql, err);
    }
    sqlite3_finalize(s);
    return st;
}

/* The columns of table `table` on connection c, "name:pk,name:pk,..." in
 * order, into buf ("" when there is no such table). */
static int table_columns(sqlite3 *c, const char *table, char *buf, size_t size)
{
    buf[0] = 0;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(c, "SELECT name, pk FROM pragma_table_info(?1)", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        return rc;
    }
    sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
    size_t len = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(s, 0);
        int k = snprintf(buf + len, size - len, "%s%s:%d", len ? "," : "",
                         name ? (const char *)name : "", sqlite3_column_int(s, 1));
        if (k < 0 || (size_t)k >= size - len) {
            break; /* a table far wider than any of ours: differs anyway */
        }
        len += (size_t)k;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The first difference between two column lists of table_columns(): a
 * message part such as "has no column partial" or "column 3 is x, not y". */
static void column_difference(const char *want, const char *have, char *buf, size_t size)
{
    for (int i = 1;; i++) {
        size_t wn = strcspn(want, ","), hn = strcspn(have, ",");
        if (!wn && !hn) {
            snprintf(buf, size, "differs");
            return;
        }
        if (!hn) {
            snprintf(buf, size, "has no column %.*s", (int)strcspn(want, ":"), want);
            return;
        }
        if (!wn) {
            snprintf(buf, size, "has a column %.*s that it should not", (int)strcspn(have, ":"),
                     have);
            return;
        }
        if (wn != hn || memcmp(want, have, wn) != 0) {
            size_t wname = strcspn(want, ":"), hname = strcspn(have, ":");
            if (wname == hname && memcmp(want, have, wname) == 0) {
                snprintf(buf, size, "column %.*s is %s its key", (int)wname, want,
                         want[wname + 1] != '0' ? "not part of" : "wrongly in");
            } else {
                snprintf(buf, size, "has column %.*s where it should have %.*s (column %d)",
                         (int)hname, have, (int)wname, want, i);
            }
            return;
        }
        want += wn + (want[wn] == ',');
        have += hn + (have[hn] == ',');
    }
}

vgt_status vgt_analyze_schema_check(sqlite3 *db, const char *path, int64_t version, vgt_error *err)
{
    if (version < VGT_ANALYZE_SCHEMA_OLDEST || version > VGT_ANALYZE_SCHEMA_VERSION) {
        return vgt_error_set(err, VGT_E_VERSION, "%s: no analysis schema version %" PRId64, path,
                             version);
    }
    /* The reference: the schema made in memory, taken back to `version` the
     * way the migrations went forward (each added columns at the end). */
    sqlite3 *ref = NULL;
    if (sqlite3_open(":memory:", &ref) != SQLITE_OK) {
        sqlite3_close(ref);
        return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory (schema check)");
    }
    char sql[sizeof(SCHEMA) + 256];
    snprintf(sql, sizeof(sql), "%s%s%s", SCHEMA,
             version <= 2 ? "ALTER TABLE frames DROP COLUMN partial;" : "",
             version <= 1 ? "ALTER TABLE frames DROP COLUMN virtual_wall_ns; ALTER TABLE frames "
                            "DROP COLUMN native_wall_ns;"
                          : "");
    vgt_status st = VGT_OK;
    sqlite3_stmt *tables = NULL;
    if (sqlite3_exec(ref, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ref, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                           -1, &tables, NULL) != SQLITE_OK) {
        st = vgt_error_set(err, VGT_E_STATE, "analyze: the schema check's reference: %s",
                           sqlite3_errmsg(ref));
    }
    while (st == VGT_OK && sqlite3_step(tables) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(tables, 0);
        char want[2048], have[2048], diff[256];
        if (table_columns(ref, table, want, sizeof(want)) != SQLITE_OK) {
            st = vgt_error_set(err, VGT_E_STATE, "analyze: the schema check's reference: %s",
                               sqlite3_errmsg(ref));
        } else if (table_columns(db, table, have, sizeof(have)) != SQLITE_OK) {
            st = (sqlite3_errcode(db) & 0xff) == SQLITE_CORRUPT
                     ? vgt_error_set(err, VGT_E_FORMAT, "%s: a damaged analysis database (%s)",
                                     path, sqlite3_errmsg(db))
                     : vgt_error_set(err, VGT_E_IO, "%s: reading the columns of table %s: %s", path,
                                     table, sqlite3_errmsg(db));
        } else if (!have[0]) {
            st = vgt_error_set(err, VGT_E_FORMAT,
                               "%s: says analysis schema version %" PRId64
                               " but has no table %s (a damaged database, or not one vgt wrote)",
                               path, version, table);
        } else if (strcmp(want, have) != 0) {
            column_difference(want, have, diff, sizeof(diff));
            st = vgt_error_set(err, VGT_E_FORMAT,
                               "%s: table %s %s (analysis schema version %" PRId64
                               "; a damaged database, or not one vgt wrote)",
                               path, table, diff, version);
        }
    }
    sqlite3_finalize(tables);
    sqlite3_close(ref);
    return st;
}

/* Migrates an older database to the current version in one transaction.
 * Version 2 added the frames' wall times of --sync frame: new columns, NULL
 * for the runs stored before (not measured), so every older query still
 * means what it meant.  Version 3 corrected runs.frames to complete frames
 * and marked the partial frame (MIGRATE_2_TO_3): the stored values are
 * rewritten to the new meaning, so no row of the file keeps the old one.
 * Once migrated, an older vgt refuses the file (its version is newer).  The
 * version is read again under the write lock: another vgt may have migrated
 * the file in between. */
_Static_assert(VGT_ANALYZE_SCHEMA_VERSION == 3, "migrate() ends at version 3");
static vgt_status migrate(vgt_analyze_db *db, vgt_error *err)
{
    int64_t version = 0;
    vgt_status st = an_db_exec(db, "BEGIN IMMEDIATE", err);
    if (st != VGT_OK) {
        return st;
    }
    st = pragma_int(db, "PRAGMA user_version", &version, err);
    if (st == VGT_OK && version == 1) {
        st = an_db_exec(db, MIGRATE_1_TO_2, err);
    }
    if (st == VGT_OK && version >= 1 && version <= 2) {
        st = an_db_exec(db, MIGRATE_2_TO_3 "PRAGMA user_version=3;", err);
    }
    if (st == VGT_OK) {
        return an_db_exec(db, "COMMIT", err);
    }
    an_db_exec(db, "ROLLBACK", NULL);
    return st;
}

vgt_status vgt_analyze_db_open(const char *path, vgt_analyze_db **out, vgt_error *err)
{
    *out = NULL;
    vgt_analyze_db *db = calloc(1, sizeof(*db));
    if (!db) {
        return vgt_error_set(err, VGT_E_NOMEM, "analyze: out of memory");
    }
    snprintf(db->path, sizeof(db->path), "%s", path);
    if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        vgt_status st = vgt_error_set(err, VGT_E_IO, "%s: cannot open the database: %s", path,
                                      db->db ? sqlite3_errmsg(db->db) : "out of memory");
        vgt_analyze_db_close(db);
        return st;
    }
    sqlite3_busy_timeout(db->db, 5000);
    int64_t version = 0, tables = 0;
    vgt_status st = pragma_int(db, "PRAGMA user_version", &version, err);
    if (st == VGT_OK) {
        st = pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables, err);
    }
    if (st != VGT_OK && sqlite3_errcode(db->db) == SQLITE_NOTADB) {
        /* sqlite's "PRAGMA user_version: file is not a database" told the
         * user a query, not that the file (often a trace) was the wrong one */
        vgt_analyze_db_close(db);
        return vgt_error_set(err, VGT_E_FORMAT,
                             "%s is not a vgt analysis database (not an SQLite file)", path);
    }
    if (st != VGT_OK && (sqlite3_errcode(db->db) & 0xff) == SQLITE_CORRUPT) {
        /* a truncated or overwritten file: say so before SQLite's words */
        vgt_status rc = vgt_error_set(err, VGT_E_FORMAT,
                                      "%s: a damaged analysis database (%s); nothing was written "
                                      "to it",
                                      path, sqlite3_errmsg(db->db));
        vgt_analyze_db_close(db);
        return rc;
    }
    if (st != VGT_OK) {
        vgt_analyze_db_close(db); /* busy, I/O: an_db_error's path and why */
        return st;
    }
    if (version < 0) {
        /* no vgt writes one: it would be taken for a current database */
        vgt_analyze_db_close(db);
        return vgt_error_set(err, VGT_E_FORMAT,
                             "%s: not a vgt analysis database (schema version %" PRId64 ")", path,
                             version);
    }
    if (version > VGT_ANALYZE_SCHEMA_VERSION) {
        vgt_analyze_db_close(db);
        return vgt_error_set(err, VGT_E_VERSION,
                             "%s: analysis schema version %" PRId64
                             " is newer than this vgt's (%d)",
                             path, version, VGT_ANALYZE_SCHEMA_VERSION);
    }
    if (version == 0 && tables != 0) {
        vgt_analyze_db_close(db);
        return vgt_error_set(err, VGT_E_FORMAT,
                             "%s: an SQLite database, but not a vgt analysis database (no "
                             "schema version, %" PRId64 " objects)",
                             path, tables);
    }
    /* a file that says it is ours must have our tables before anything is
     * migrated or added: the migration's ALTERs and the positional inserts
     * would otherwise fail half-way with SQLite's words, or store a run that
     * no query finds (a runs table without its key) */
    if (version >= VGT_ANALYZE_SCHEMA_OLDEST &&
        (st = vgt_analyze_schema_check(db->db, path, version, err)) != VGT_OK) {
        vgt_analyze_db_close(db);
        return st;
    }
    st = an_db_exec(db,
                    "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                    "PRAGMA cache_size=-65536; PRAGMA foreign_keys=ON;",
                    err);
    if (st == VGT_OK && version >= 1 && version < VGT_ANALYZE_SCHEMA_VERSION) {
        st = migrate(db, err);
    }
    if (st == VGT_OK && version == 0) {
        char sql[sizeof(SCHEMA) + 256];
        snprintf(sql, sizeof(sql),
                 "BEGIN;\n%s"
                 "INSERT INTO meta VALUES('creator', 'vgt %s');\n"
                 "PRAGMA user_version=%d;\nCOMMIT;",
                 SCHEMA, VGT_VERSION, VGT_ANALYZE_SCHEMA_VERSION);
        st = an_db_exec(db, sql, err);
    }
    if (st != VGT_OK) {
        vgt_analyze_db_close(db);
        return st;
    }
    *out = db;
    return VGT_OK;
}

void vgt_analyze_db_close(vgt_analyze_db *db)
{
    if (!db) {
        return;
    }
    sqlite3_close(db->db);
    free(db);
}

vgt_status vgt_analyze_last_run(vgt_analyze_db *db, int64_t *run_id, vgt_error *err)
{
    int64_t id = 0;
    vgt_status st = pragma_int(db, "SELECT coalesce(max(run_id), 0) FROM runs", &id, err);
    if (st != VGT_OK) {
        return st;
    }
    if (id == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no run stored yet", db->path);
    }
    *run_id = id;
    return VGT_OK;
}

/* ---- helpers ------------------------------------------------------------------------ */

void an_json_str(FILE *f, const char *s)
{
    s = s ? s : ""; /* a NULL column of a hand-edited database */
    vgt_json_string(f, s, strlen(s));
}

const char *an_fmt_ns(double ns, char *buf, size_t size)
{
    if (ns < 1e3) {
        snprintf(buf, size, "%.0f ns", ns);
    } else if (ns < 1e6) {
        snprintf(buf, size, "%.2f us", ns / 1e3);
    } else if (ns < 1e9) {
        snprintf(buf, size, "%.2f ms", ns / 1e6);
    } else {
        snprintf(buf, size, "%.3f s", ns / 1e9);
    }
    return buf;
}

/* ---- the insert benchmark ---------------------------------------------------------- */

static const char BENCH_INSERT[] =
    "INSERT INTO commands VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static vgt_status bench_fill(vgt_analyze_db *db, const char *sql, uint64_t rows, double *rate,
                             vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_exec(db, "BEGIN", err);
    if (st != VGT_OK || (st = an_db_prepare(db, sql, &s, err)) != VGT_OK) {
        return st;
    }
    uint64_t t0 = vgt_now_ns();
    uint64_t x = 88172645463325252ull;
    for (uint64_t i = 0; i < rows; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t v[21] = {1,
                         (int64_t)i,
                         (int64_t)(i / 1000),
                         1040 + (int64_t)(x % 30),
                         (int64_t)(16 + x % 64),
                         0,
                         (int64_t)(x % 500),
                         0,
                         0,
                         (int64_t)(x % 3000),
                         (int64_t)(x % 9000),
                         1,
                         0,
                         (int64_t)(x % 700),
                         (int64_t)(x % 12000),
                         (int64_t)(x % 11000),
                         (int64_t)(x % 100000),
                         (int64_t)(x % 20000),
                         (int64_t)i * 1000,
                         (int64_t)(x % 100),
                         (int64_t)(x % 15000)};
        for (int k = 0; k < 21; k++) {
            sqlite3_bind_int64(s, k + 1, v[k]);
        }
        if (sqlite3_step(s) != SQLITE_DONE) {
            st = an_db_error(db, "bench insert", err);
            break;
        }
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    if (st == VGT_OK) {
        st = an_db_exec(db, "COMMIT", err);
    }
    uint64_t ns = vgt_now_ns() - t0;
    *rate = ns ? (double)rows * 1e9 / (double)ns : 0;
    return st;
}

vgt_status vgt_analyze_bench_insert(uint64_t rows, double *ours_rows_s, double *bare_rows_s,
                                    vgt_error *err)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/vgt-bench-analyze-%d.sqlite", (int)getpid());
    vgt_analyze_db *db = NULL;
    unlink(path);
    vgt_status st = vgt_analyze_db_open(path, &db, err);
    if (st == VGT_OK) {
        st = bench_fill(db, BENCH_INSERT, rows, ours_rows_s, err);
    }
    vgt_analyze_db_close(db);
    unlink(path);
    if (st != VGT_OK) {
        return st;
    }
    /* The reference: the same 21 columns, one plain rowid table, no index,
     * default pragmas, the same loop. */
    vgt_analyze_db bare = {0};
    snprintf(bare.path, sizeof(bare.path), "%s", path);
    if (sqlite3_open(path, &bare.db) != SQLITE_OK) {
        st = an_db_error(&bare, "open", err);
    } else {
        st = an_db_exec(&bare, "CREATE TABLE commands(a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u)",
                        err);
        if (st == VGT_OK) {
            st = bench_fill(&bare, BENCH_INSERT, rows, bare_rows_s, err);
        }
    }
    sqlite3_close(bare.db);
    unlink(path);
    return st;
}
