/* bench.c - vgt bench tui: the latency of every keypress (view models and the
 * text renderer, headless) on a synthetic run built with the analyzer's
 * store, beside a bare SQLite point query on the same database. */
#include "tui_internal.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct step {
    int key; /* 0: a resize to (rows, cols) */
    int rows, cols;
    const char *label;
} step;

typedef struct sample {
    uint64_t ns;
    const char *label;
} sample;

static int cmp_sample(const void *a, const void *b)
{
    uint64_t x = ((const sample *)a)->ns, y = ((const sample *)b)->ns;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Appends n copies of a key to the script. */
static size_t add(step *s, size_t i, size_t cap, int key, int n, const char *label)
{
    for (int k = 0; k < n && i < cap; k++) {
        s[i++] = (step){.key = key, .label = label};
    }
    return i;
}

static size_t add_text(step *s, size_t i, size_t cap, const char *t, const char *label)
{
    for (; *t && i < cap; t++) {
        s[i++] = (step){.key = (unsigned char)*t, .label = label};
    }
    return i;
}

static size_t script(step *s, size_t cap)
{
    size_t i = 0;
    i = add(s, i, cap, 'l', 300, "timeline: next frame");
    i = add(s, i, cap, VGT_TUI_KEY_PGDN, 20, "timeline: page");
    i = add(s, i, cap, 'G', 1, "timeline: last frame");
    i = add(s, i, cap, 'h', 50, "timeline: previous frame");
    i = add(s, i, cap, 'g', 1, "timeline: first frame");
    i = add(s, i, cap, VGT_TUI_KEY_ENTER, 1, "timeline: drill into frame");
    i = add(s, i, cap, 'j', 150, "commands: down");
    i = add(s, i, cap, VGT_TUI_KEY_PGDN, 5, "commands: page");
    i = add(s, i, cap, 'G', 1, "commands: last");
    i = add(s, i, cap, 'k', 30, "commands: up");
    i = add(s, i, cap, 'g', 1, "commands: first");
    i = add(s, i, cap, 's', 3, "commands: sort");
    i = add(s, i, cap, 'l', 30, "commands: next frame");
    i = add(s, i, cap, VGT_TUI_KEY_ENTER, 1, "commands: open detail");
    i = add(s, i, cap, 'l', 20, "detail: next command");
    i = add(s, i, cap, 'j', 10, "detail: scroll");
    i = add(s, i, cap, VGT_TUI_KEY_ESC, 1, "detail: back");
    i = add(s, i, cap, 'f', 1, "commands: filter by type");
    i = add(s, i, cap, 'l', 30, "commands: next frame (filtered)");
    i = add(s, i, cap, 'j', 20, "commands: down (filtered)");
    i = add(s, i, cap, 'f', 1, "commands: filter off");
    i = add(s, i, cap, VGT_TUI_KEY_TAB, 2, "tab");
    i = add(s, i, cap, 'j', 6, "hotspots: down");
    i = add(s, i, cap, 's', 7, "hotspots: sort");
    i = add(s, i, cap, 'g', 1, "hotspots: first");
    i = add(s, i, cap, VGT_TUI_KEY_ENTER, 1, "hotspots: open type (slowest first)");
    i = add(s, i, cap, VGT_TUI_KEY_PGDN, 40, "type: page");
    i = add(s, i, cap, 'G', 1, "type: last");
    i = add(s, i, cap, VGT_TUI_KEY_PGUP, 10, "type: page up");
    i = add(s, i, cap, 's', 1, "type: fastest first");
    i = add(s, i, cap, 'G', 1, "type: last");
    i = add(s, i, cap, VGT_TUI_KEY_ENTER, 1, "type: open detail");
    i = add(s, i, cap, VGT_TUI_KEY_ESC, 2, "back");
    i = add(s, i, cap, '/', 1, "search: prompt");
    i = add_text(s, i, cap, "PRESENT", "search: typing");
    i = add(s, i, cap, VGT_TUI_KEY_ENTER, 1, "search: PRESENT");
    i = add(s, i, cap, 'n', 30, "search: next PRESENT");
    i = add(s, i, cap, 'N', 30, "search: previous PRESENT");
    i = add(s, i, cap, '/', 1, "search: prompt");
    i = add_text(s, i, cap, "SURFACE_DMA", "search: typing");
    i = add(s, i, cap, VGT_TUI_KEY_ENTER, 1, "search: SURFACE_DMA");
    i = add(s, i, cap, 'n', 30, "search: next SURFACE_DMA");
    i = add(s, i, cap, 'N', 10, "search: previous SURFACE_DMA");
    if (i + 4 < cap) {
        s[i++] = (step){.rows = 24, .cols = 80, .label = "resize 80x24"};
        s[i++] = (step){.rows = 60, .cols = 200, .label = "resize 200x60"};
    }
    i = add(s, i, cap, VGT_TUI_KEY_BTAB, 1, "shift-tab");
    i = add(s, i, cap, 'G', 1, "commands: last");
    i = add(s, i, cap, '?', 1, "help");
    i = add(s, i, cap, 'x', 1, "close help");
    return i;
}

static void pct(uint64_t *v, size_t n, uint64_t *p50, uint64_t *p99, uint64_t *max)
{
    vgt_sort(v, n, sizeof(*v), cmp_u64);
    *p50 = n ? v[(n - 1) / 2] : 0;
    *p99 = n ? v[(size_t)((double)(n - 1) * 0.99)] : 0;
    *max = n ? v[n - 1] : 0;
}

/* The process's resident set (VmRSS) or its peak since the last reset
 * (VmHWM), in KiB; 0 when /proc cannot tell. */
static uint64_t proc_kib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    uint64_t kib = 0;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kib = strtoull(line + n + 1, NULL, 10);
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return kib;
}

/* Resets VmHWM to the current RSS (Linux 4.0+), so that what follows has a
 * peak of its own; false where it cannot. */
static bool peak_reset(void)
{
    malloc_trim(0); /* what was freed goes back: the peak counts what is new */
    FILE *f = fopen("/proc/self/clear_refs", "w");
    bool ok = f && fputs("5", f) >= 0;
    if (f) {
        ok = fclose(f) == 0 && ok;
    }
    return ok;
}

vgt_status vgt_tui_bench(uint64_t commands, uint32_t per_frame, FILE *out, vgt_error *err)
{
    char path[96];
    snprintf(path, sizeof(path), "/tmp/vgt-bench-tui-%d.sqlite", (int)getpid());
    unlink(path);
    vgt_analyze_db *db = NULL;
    vgt_analyze_result res;
    uint64_t t0 = vgt_now_ns();
    vgt_status st = vgt_analyze_db_open(path, &db, err);
    if (st == VGT_OK) {
        st = vgt_analyze_store_synthetic(db, commands, per_frame, 1, &res, err);
    }
    vgt_analyze_db_close(db);
    if (st != VGT_OK) {
        unlink(path);
        return st;
    }
    fprintf(out,
            "synthetic run: %" PRIu64 " commands in %" PRIu64
            " frames, built in %.1f s with the analyzer's store (%.0f rows/s)\n",
            res.commands, res.frames, (double)(vgt_now_ns() - t0) / 1e9, res.insert_rows_per_s);

    vgt_tui_source *src = NULL;
    vgt_tui_app app;
    vgt_tui_textcanvas tc = {0};
    enum { CAP = 2048 };
    step *sc = calloc(CAP, sizeof(*sc));
    sample *lat = calloc(CAP, sizeof(*lat));
    uint64_t *v = calloc(CAP > 20000 ? CAP : 20000, sizeof(*v));
    if (!sc || !lat || !v) {
        st = vgt_error_set(err, VGT_E_NOMEM, "tui bench: out of memory");
        goto out;
    }
    /* the profiler's own peak: from here (the store's buffers gone) to the
     * end of the script */
    bool peaks = peak_reset();
    uint64_t rss0 = proc_kib("VmRSS");
    t0 = vgt_now_ns();
    if ((st = vgt_tui_source_open(path, 0, &src, err)) != VGT_OK ||
        (st = vgt_tui_app_init(&app, src, 60, 200, err)) != VGT_OK) {
        goto out;
    }
    if ((st = vgt_tui_textcanvas_init(&tc, 60, 200, err)) != VGT_OK) {
        vgt_tui_app_free(&app);
        goto out;
    }
    vgt_tui_render(&app, &tc.canvas);
    uint64_t open_ns = vgt_now_ns() - t0;

    size_t n = script(sc, CAP);
    uint64_t queries0 = vgt_tui_source_queries(src);
    for (size_t i = 0; i < n; i++) {
        uint64_t a = vgt_now_ns();
        if (sc[i].key == 0) {
            vgt_tui_app_resize(&app, sc[i].rows, sc[i].cols);
            vgt_tui_textcanvas_free(&tc);
            if ((st = vgt_tui_textcanvas_init(&tc, sc[i].rows, sc[i].cols, err)) != VGT_OK) {
                break;
            }
        } else {
            vgt_tui_app_key(&app, sc[i].key);
        }
        vgt_tui_render(&app, &tc.canvas);
        lat[i] = (sample){.ns = vgt_now_ns() - a, .label = sc[i].label};
        if (app.status_error) {
            fprintf(out, "  note: after '%s': %s\n", sc[i].label, app.status);
        }
    }
    uint64_t queries = vgt_tui_source_queries(src) - queries0;
    uint64_t tui_peak = proc_kib("VmHWM");
    vgt_tui_app_free(&app);
    if (st != VGT_OK) {
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = lat[i].ns;
    }
    uint64_t p50, p99, max;
    pct(v, n, &p50, &p99, &max);
    fprintf(out, "open (run, types, first frames, first draw): %.2f ms\n", (double)open_ns / 1e6);
    fprintf(out,
            "keypress (model + render at 200x60, %zu keys, %" PRIu64
            " SQL statements): median %.3f ms, p99 %.3f ms, max %.3f ms  (target: < 100 ms)\n",
            n, queries, (double)p50 / 1e6, (double)p99 / 1e6, (double)max / 1e6);
    vgt_sort(lat, n, sizeof(*lat), cmp_sample);
    fprintf(out, "slowest keys:");
    for (size_t k = 0; k < 5 && k < n; k++) {
        fprintf(out, "%s %s %.2f ms", k ? "," : "", lat[n - 1 - k].label,
                (double)lat[n - 1 - k].ns / 1e6);
    }
    fprintf(out, "\n");

    /* the reference: a bare point query on the same database */
    sqlite3 *bare = NULL;
    sqlite3_stmt *q = NULL;
    if (sqlite3_open_v2(path, &bare, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(bare, "SELECT total_ns FROM commands WHERE run_id = ? AND seq = ?", -1,
                           &q, NULL) != SQLITE_OK) {
        st = vgt_error_set(err, VGT_E_IO, "%s: %s", path, bare ? sqlite3_errmsg(bare) : "open");
    } else {
        uint64_t x = 88172645463325252ull, sum = 0;
        const size_t m = 20000;
        for (size_t i = 0; i < m; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint64_t a = vgt_now_ns();
            sqlite3_bind_int64(q, 1, res.run_id);
            sqlite3_bind_int64(q, 2, (int64_t)(x % commands));
            if (sqlite3_step(q) == SQLITE_ROW) {
                sum += (uint64_t)sqlite3_column_int64(q, 0);
            }
            sqlite3_reset(q);
            v[i] = vgt_now_ns() - a;
        }
        pct(v, m, &p50, &p99, &max);
        fprintf(out,
                "bare SQLite point query (commands by (run_id, seq), %zu random): median %.3f "
                "ms, p99 %.3f ms, max %.3f ms  (checksum %" PRIu64 ")\n",
                m, (double)p50 / 1e6, (double)p99 / 1e6, (double)max / 1e6, sum % 1000);
    }
    sqlite3_finalize(q);
    q = NULL;
    /* the memory reference: a bare connection (SQLite's default cache)
     * reading every frames and commands row of the run once, as sqlite3
     * 'SELECT * FROM ...' would */
    if (st == VGT_OK && peaks && tui_peak) {
        sqlite3_close(bare); /* a connection of its own, its cache empty */
        bare = NULL;
        peak_reset();
        uint64_t ref0 = proc_kib("VmRSS"), sum = 0;
        sqlite3_open_v2(path, &bare, SQLITE_OPEN_READONLY, NULL); /* failing: no rows below */
        static const char *const scan[] = {"SELECT * FROM frames WHERE run_id = ?",
                                           "SELECT * FROM commands WHERE run_id = ?"};
        for (int k = 0; k < 2; k++) {
            if (sqlite3_prepare_v2(bare, scan[k], -1, &q, NULL) == SQLITE_OK) {
                sqlite3_bind_int64(q, 1, res.run_id);
                while (sqlite3_step(q) == SQLITE_ROW) {
                    sum++;
                }
            }
            sqlite3_finalize(q);
            q = NULL;
        }
        uint64_t ref_peak = proc_kib("VmHWM");
        uint64_t tui_kib = tui_peak > rss0 ? tui_peak - rss0 : 0;
        uint64_t ref_kib = ref_peak > ref0 ? ref_peak - ref0 : 0;
        fprintf(out,
                "peak memory of the profiler (open, script): %" PRIu64 " KiB over the %" PRIu64
                " KiB before it: %.1f B/frame, %.2f B/command  (reference, a bare SQLite scan "
                "of every frames and commands row: %" PRIu64 " KiB, %.1f B/frame, %.2f "
                "B/command; %" PRIu64 " rows)\n",
                tui_kib, rss0, (double)tui_kib * 1024 / (double)(res.frames ? res.frames : 1),
                (double)tui_kib * 1024 / (double)commands, ref_kib,
                (double)ref_kib * 1024 / (double)(res.frames ? res.frames : 1),
                (double)ref_kib * 1024 / (double)commands, sum);
    } else if (st == VGT_OK) {
        fprintf(out, "peak memory: not measured (no /proc/self/clear_refs)\n");
    }
    sqlite3_close(bare);
out:
    vgt_tui_textcanvas_free(&tc);
    vgt_tui_source_close(src);
    free(sc);
    free(lat);
    free(v);
    unlink(path);
    return st;
}
