/* perfetto.c - a run's timeline as Chrome trace-event JSON (Perfetto,
 * chrome://tracing, speedscope open it).
 *
 * Track "replay / commands": one complete event per command, laid out back to
 * back on the replay timeline (start_ns: the sum of the totals before it),
 * with its phases (decode+validate, DMA, translate, backend) as nested
 * complete events in that order.  Track "replay / frames": one event per
 * frame.  Process "capture (live)": each command where the device ran it
 * live (fetch + queue latency, device time), when the trace has TIMING. */
#include "analyze_internal.h"

#include <inttypes.h>

#define COL(s, i) ((int64_t)sqlite3_column_int64((s), (i)))

static void ev(FILE *f, bool *first, const char *name, const char *cat, int pid, int tid,
               double ts_ns, double dur_ns)
{
    fprintf(f, "%s\n{\"name\":", *first ? "" : ",");
    *first = false;
    an_json_str(f, name);
    fprintf(f, ",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f", cat,
            pid, tid, ts_ns / 1000.0, dur_ns / 1000.0);
}

static void meta(FILE *f, bool *first, const char *what, int pid, int tid, const char *name)
{
    fprintf(f, "%s\n{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
            *first ? "" : ",", what, pid, tid);
    *first = false;
    an_json_str(f, name);
    fputs("}}", f);
}

vgt_status vgt_analyze_perfetto(vgt_analyze_db *db, int64_t run_id, FILE *f, vgt_error *err)
{
    sqlite3_stmt *s;
    vgt_status st = an_db_prepare(db, "SELECT backend FROM runs WHERE run_id=?", &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, run_id);
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW) {
        st = step == SQLITE_DONE
                 ? vgt_error_set(err, VGT_E_NOTFOUND, "%s: no run %" PRId64, db->path, run_id)
                 : an_db_error(db, "reading the run", err);
        sqlite3_finalize(s);
        return st;
    }
    char proc[128];
    const unsigned char *backend = sqlite3_column_text(s, 0); /* NULL in a damaged row */
    snprintf(proc, sizeof(proc), "replay (run %" PRId64 ", %s backend)", run_id,
             backend ? (const char *)backend : "?");
    sqlite3_finalize(s);

    bool first = true;
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", f);
    meta(f, &first, "process_name", 1, 1, proc);
    meta(f, &first, "thread_name", 1, 1, "commands");
    meta(f, &first, "thread_name", 1, 2, "frames");
    meta(f, &first, "process_name", 2, 1, "capture (live device)");
    meta(f, &first, "thread_name", 2, 1, "device");

    st = an_db_prepare(db,
                       "SELECT c.seq, coalesce(t.name, '?'), c.frame, c.bytes, c.start_ns, "
                       "c.total_ns, c.decode_ns, c.dma_ns, c.translate_ns, c.backend_ns, "
                       "c.native_ns, c.overhead_ns, c.dma_bytes, c.gpu_ns, c.queue_ns, "
                       "c.device_ns, c.live_ns FROM commands c LEFT JOIN command_types t "
                       "USING(type_id) WHERE c.run_id=? ORDER BY c.seq",
                       &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, run_id);
    static const char *const phase[] = {"decode+validate", "DMA", "translate", "backend"};
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 1);
        double start = (double)COL(s, 4);
        double total = (double)COL(s, 5);
        ev(f, &first, name ? name : "?", "command", 1, 1, start, total);
        fprintf(f,
                ",\"args\":{\"seq\":%" PRId64 ",\"frame\":%" PRId64 ",\"bytes\":%" PRId64
                ",\"dma_bytes\":%" PRId64,
                COL(s, 0), COL(s, 2), COL(s, 3), COL(s, 12));
        if (sqlite3_column_type(s, 10) != SQLITE_NULL) {
            fprintf(f, ",\"native_ns\":%" PRId64 ",\"overhead_ns\":%" PRId64, COL(s, 10),
                    COL(s, 11));
        }
        if (sqlite3_column_type(s, 13) != SQLITE_NULL) {
            fprintf(f, ",\"gpu_ns\":%" PRId64, COL(s, 13));
        }
        fputs("}}", f);
        double t = start;
        for (int k = 0; k < 4; k++) {
            double d = (double)COL(s, 6 + k);
            if (d > 0) {
                ev(f, &first, phase[k], "phase", 1, 1, t, d);
                fputc('}', f);
                t += d;
            }
        }
        if (sqlite3_column_type(s, 14) != SQLITE_NULL) {
            double live = (double)COL(s, 16);
            double q = (double)COL(s, 14);
            double dev = (double)COL(s, 15);
            ev(f, &first, name ? name : "?", "live", 2, 1, live + q, dev);
            fprintf(f, ",\"args\":{\"seq\":%" PRId64 ",\"queue_ns\":%.0f}}", COL(s, 0), q);
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        return an_db_error(db, "reading commands", err);
    }
    st = an_db_prepare(db,
                       "SELECT frame, start_ns, total_ns, commands, partial FROM frames WHERE "
                       "run_id=? ORDER BY frame",
                       &s, err);
    if (st != VGT_OK) {
        return st;
    }
    sqlite3_bind_int64(s, 1, run_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char name[48];
        /* the commands after the guest's last frame end: on the track, named apart */
        bool partial = COL(s, 4) != 0;
        snprintf(name, sizeof(name), "frame %" PRId64 "%s", COL(s, 0), partial ? " (partial)" : "");
        ev(f, &first, name, "frame", 1, 2, (double)COL(s, 1), (double)COL(s, 2));
        fprintf(f, ",\"args\":{\"commands\":%" PRId64 ",\"partial\":%s}}", COL(s, 3),
                partial ? "true" : "false");
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        return an_db_error(db, "reading frames", err);
    }
    fputs("\n]}\n", f);
    if (ferror(f)) {
        return vgt_error_set(err, VGT_E_IO, "analyze: writing the trace-event file failed");
    }
    return VGT_OK;
}
