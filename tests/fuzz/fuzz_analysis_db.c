/* fuzz_analysis_db.c - an analysis database file (docs/analysis-db.md) as
 * vgt tui and vgt analyze read it.
 *
 * Input: the bytes of the file.  They are written to a scratch file, then
 *   - the tui's source opens it (read-only, the newest run), its view models
 *     are driven through every view by a fixed script of keys and rendered
 *     at 24x80 and 60x200, and a search by name runs from both ends of the
 *     seq range;
 *   - vgt_analyze_db_open opens it as vgt analyze --db does (checking the
 *     schema, migrating a version 1 or 2 file, making an empty one a
 *     database), and every report of its newest run is written (text, JSON,
 *     CSV, HTML, Perfetto) to /dev/null.
 * No run is added (that needs a trace and a replay: tests/analyze
 * test_hostile_db does it).  Any outcome is fine but a crash, a leak or
 * undefined behaviour. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "vgt_analyze.h"
#include "vgt_tui.h"

static char path[256], journal[300], wal[300], shm[300];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/vgt-fuzz-analysis-db-%d.sqlite", dir ? dir : "/tmp",
             (int)getpid());
    snprintf(journal, sizeof(journal), "%s-journal", path);
    snprintf(wal, sizeof(wal), "%s-wal", path);
    snprintf(shm, sizeof(shm), "%s-shm", path);
    devnull = fopen("/dev/null", "w");
    return 0;
}

static void remove_files(void)
{
    unlink(path);
    unlink(journal);
    unlink(wal);
    unlink(shm);
}

static void drive_tui(void)
{
    static const int script[] = {
        'j',
        'l',
        'G',
        'g',
        VGT_TUI_KEY_PGDN,
        VGT_TUI_KEY_END,
        VGT_TUI_KEY_ENTER,
        'j',
        VGT_TUI_KEY_PGDN,
        's',
        's',
        'G',
        VGT_TUI_KEY_ENTER,
        VGT_TUI_KEY_ESC,
        VGT_TUI_KEY_BACKSPACE,
        VGT_TUI_KEY_TAB,
        's',
        'j',
        'l',
        VGT_TUI_KEY_ENTER,
        'G',
        VGT_TUI_KEY_PGUP,
        'f',
        '/',
        'D',
        'R',
        'A',
        'W',
        VGT_TUI_KEY_ENTER,
        'n',
        'N',
        VGT_TUI_KEY_ESC,
        VGT_TUI_KEY_ESC,
        VGT_TUI_KEY_BTAB,
        VGT_TUI_KEY_HOME,
    };
    vgt_error err = {0};
    vgt_tui_source *src = NULL;
    if (vgt_tui_source_open(path, 0, &src, &err) != VGT_OK) {
        return;
    }
    uint64_t seq, frame;
    vgt_tui_source_search(src, "DRAW", INT64_MAX - 1, true, &seq, &frame, &err);
    vgt_tui_source_search(src, "DRAW", INT64_MIN + 1, false, &seq, &frame, &err);
    vgt_tui_app app;
    vgt_tui_textcanvas tc[2];
    if (vgt_tui_app_init(&app, src, 24, 80, &err) == VGT_OK) {
        if (vgt_tui_textcanvas_init(&tc[0], 24, 80, &err) == VGT_OK) {
            if (vgt_tui_textcanvas_init(&tc[1], 60, 200, &err) == VGT_OK) {
                for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
                    vgt_tui_app_resize(&app, i % 2 ? 60 : 24, i % 2 ? 200 : 80);
                    vgt_tui_render(&app, &tc[i % 2].canvas);
                    vgt_tui_app_key(&app, script[i]);
                }
                vgt_tui_textcanvas_free(&tc[1]);
            }
            vgt_tui_textcanvas_free(&tc[0]);
        }
        vgt_tui_app_free(&app);
    }
    vgt_tui_source_close(src);
}

static void reports(void)
{
    vgt_error err = {0};
    vgt_analyze_db *db = NULL;
    if (vgt_analyze_db_open(path, &db, &err) != VGT_OK) {
        return;
    }
    int64_t run = 0;
    if (vgt_analyze_last_run(db, &run, &err) == VGT_OK && devnull) {
        for (int fmt = 0; fmt < 3; fmt++) {
            vgt_analyze_report(db, run, (vgt_analyze_report_format)fmt, 5, devnull, &err);
        }
        vgt_analyze_html(db, run, devnull, &err);
        vgt_analyze_perfetto(db, run, devnull, &err);
    }
    vgt_analyze_db_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        LLVMFuzzerInitialize(NULL, NULL);
    }
    remove_files();
    FILE *f = fopen(path, "wb");
    if (!f) {
        return 0;
    }
    size_t wrote = size ? fwrite(data, 1, size, f) : 0;
    fclose(f);
    if (wrote != size) {
        remove_files();
        return 0;
    }
    drive_tui();
    reports();
    remove_files();
    return 0;
}
