/* term.c - the only code that touches curses: the terminal's canvas, the key
 * and mouse loop, the background analysis with its progress bar, and the
 * terminal's restoration on quit, on error and on SIGINT/SIGTERM/SIGHUP.
 *
 * Signals: the handler only stores the signal number (async-signal-safe);
 * the loop wakes from getch() (a 100 ms timeout, and the signal interrupts
 * the wait), sees the flag, and leaves through the same endwin() path as q.
 * An atexit() hook ends curses too if anything exits the process early. */
#include "tui_internal.h"

#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_signal;
static bool g_curses_on;
static bool g_atexit_set;

static void on_signal(int sig)
{
    g_signal = sig;
}

static const int SIGNALS[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof(SIGNALS) / sizeof(SIGNALS[0]))

static void signals_install(struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: the wait in getch() returns */
    for (size_t i = 0; i < NSIGNALS; i++) {
        sigaction(SIGNALS[i], &sa, &old[i]);
    }
}

static void signals_restore(const struct sigaction *old)
{
    for (size_t i = 0; i < NSIGNALS; i++) {
        sigaction(SIGNALS[i], &old[i], NULL);
    }
}

static void term_stop(void)
{
    if (g_curses_on) {
        g_curses_on = false;
        mousemask(0, NULL);
        curs_set(1);
        endwin();
        fflush(stdout);
    }
}

static bool g_color;

static vgt_status term_start(vgt_error *err)
{
    const char *term = getenv("TERM");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "stdin and stdout must be a terminal");
    }
    /* newterm (unlike initscr) reports an unknown terminal instead of exiting */
    if (!newterm(NULL, stdout, stdin)) {
        return vgt_error_set(err, VGT_E_UNSUPPORTED, "cannot drive the terminal (TERM=%s)",
                             term ? term : "(unset)");
    }
    g_curses_on = true;
    if (!g_atexit_set) {
        atexit(term_stop);
        g_atexit_set = true;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    wtimeout(stdscr, 100);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
    mouseinterval(0);
    g_color = has_colors() && getenv("NO_COLOR") == NULL;
    if (g_color) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_BLUE, -1);    /* title (reversed: blue bar) */
        init_pair(2, COLOR_CYAN, -1);    /* decode */
        init_pair(3, COLOR_MAGENTA, -1); /* DMA */
        init_pair(4, COLOR_YELLOW, -1);  /* translate */
        init_pair(5, COLOR_GREEN, -1);   /* backend */
        init_pair(6, COLOR_WHITE, -1);   /* selected */
        init_pair(7, COLOR_RED, -1);     /* error */
        init_pair(8, COLOR_GREEN, -1);   /* bars */
    }
    return VGT_OK;
}

/* ---- the curses canvas ------------------------------------------------------------------ */

static void cz_put(void *ctx, int y, int x, const char *s, int n, unsigned a)
{
    (void)ctx;
    attr_t at = A_NORMAL;
    at |= a & VGT_TUI_A_BOLD ? A_BOLD : 0;
    at |= a & VGT_TUI_A_REVERSE ? A_REVERSE : 0;
    at |= a & VGT_TUI_A_DIM ? A_DIM : 0;
    at |= a & VGT_TUI_A_UNDERLINE ? A_UNDERLINE : 0;
    unsigned role = (a & VGT_TUI_C_MASK) >> 8;
    if (g_color && role) {
        at |= COLOR_PAIR((short)role);
    } else if (!g_color && role == 7) { /* errors stand out without color */
        at |= A_BOLD;
    }
    attrset(at);
    mvaddnstr(y, x, s, n);
    attrset(A_NORMAL);
}

static void cz_clear(void *ctx)
{
    (void)ctx;
    erase();
}

static int map_key(int ch)
{
    switch (ch) {
    case KEY_UP:
        return VGT_TUI_KEY_UP;
    case KEY_DOWN:
        return VGT_TUI_KEY_DOWN;
    case KEY_LEFT:
        return VGT_TUI_KEY_LEFT;
    case KEY_RIGHT:
        return VGT_TUI_KEY_RIGHT;
    case KEY_PPAGE:
        return VGT_TUI_KEY_PGUP;
    case KEY_NPAGE:
        return VGT_TUI_KEY_PGDN;
    case KEY_HOME:
        return VGT_TUI_KEY_HOME;
    case KEY_END:
        return VGT_TUI_KEY_END;
    case KEY_ENTER:
    case '\n':
    case '\r':
        return VGT_TUI_KEY_ENTER;
    case KEY_BACKSPACE:
    case 127:
    case 8:
        return VGT_TUI_KEY_BACKSPACE;
    case 27:
        return VGT_TUI_KEY_ESC;
    case '\t':
        return VGT_TUI_KEY_TAB;
    case KEY_BTAB:
        return VGT_TUI_KEY_BTAB;
    default:
        return ch >= 0 && ch < 256 ? ch : -1;
    }
}

static vgt_status ui_loop(vgt_tui_source *src, int64_t run_id, vgt_error *err)
{
    (void)run_id;
    vgt_tui_app app;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    vgt_status st = vgt_tui_app_init(&app, src, rows, cols, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_tui_canvas cv = {
        .rows = rows, .cols = cols, .color = g_color, .put = cz_put, .clear = cz_clear};
    bool dirty = true;
    while (!g_signal) {
        if (dirty) {
            getmaxyx(stdscr, cv.rows, cv.cols);
            vgt_tui_render(&app, &cv);
            refresh();
            dirty = false;
        }
        int ch = getch();
        if (ch == ERR) {
            continue; /* timeout, or a signal interrupted the wait */
        }
        dirty = true;
        if (ch == KEY_RESIZE) {
            getmaxyx(stdscr, rows, cols);
            vgt_tui_app_resize(&app, rows, cols);
            continue;
        }
        if (ch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) == OK && (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))) {
                vgt_tui_app_click(&app, ev.y, ev.x);
            }
            continue;
        }
        int key = map_key(ch);
        if (key >= 0 && !vgt_tui_app_key(&app, key)) {
            break;
        }
    }
    vgt_tui_app_free(&app);
    return VGT_OK;
}

/* ---- background analysis -------------------------------------------------------------------- */

typedef struct bg {
    pthread_mutex_t mu;
    const char *trace, *db;
    vgt_analyze_options opt;
    char phase[32];
    uint64_t done, total;
    bool finished;
    vgt_status st;
    vgt_error err;
    int64_t run_id;
    vgt_analyze_result res; /* the caller's copy once finished */
} bg;

static void bg_progress(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
    bg *b = ctx;
    pthread_mutex_lock(&b->mu);
    snprintf(b->phase, sizeof(b->phase), "%s", phase);
    b->done = done;
    b->total = total;
    pthread_mutex_unlock(&b->mu);
}

static void *bg_main(void *arg)
{
    bg *b = arg;
    vgt_thread_name("vgt-analyze");
    vgt_analyze_db *db = NULL;
    vgt_error err = {0};
    vgt_analyze_result res = {0};
    vgt_status st = vgt_analyze_db_open(b->db, &db, &err);
    if (st == VGT_OK) {
        st = vgt_analyze_trace(db, b->trace, &b->opt, &res, &err);
    }
    vgt_analyze_db_close(db);
    pthread_mutex_lock(&b->mu);
    b->st = st;
    b->err = err;
    b->run_id = st == VGT_OK ? res.run_id : 0;
    b->res = res;
    b->finished = true;
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Analyzes the trace on a thread while drawing a progress bar; VGT_E_STATE
 * when the user cancelled (q, or a signal). */
static vgt_status analyze_bg(const vgt_tui_options *o, const char *db, int64_t *run_id,
                             vgt_error *err)
{
    bg *b = calloc(1, sizeof(*b));
    if (!b) {
        return vgt_error_set(err, VGT_E_NOMEM, "tui: out of memory");
    }
    pthread_mutex_init(&b->mu, NULL);
    b->trace = o->trace_path;
    b->db = db;
    b->opt.backend = (vgt_replay_backend)o->backend;
    b->opt.runs = 3;
    b->opt.salvage = o->salvage;
    b->opt.frames = o->frames;
    b->opt.first_frame = o->first_frame;
    b->opt.last_frame = o->last_frame;
    b->opt.progress = bg_progress;
    b->opt.progress_ctx = b;
    snprintf(b->phase, sizeof(b->phase), "starting");
    pthread_t th;
    if (pthread_create(&th, NULL, bg_main, b) != 0) {
        free(b);
        return vgt_error_set(err, VGT_E_NOMEM, "tui: cannot start the analysis thread");
    }
    uint64_t t0 = vgt_now_ns();
    bool cancelled = false;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        bool fin = b->finished;
        char phase[32];
        snprintf(phase, sizeof(phase), "%s", b->phase);
        uint64_t done = b->done, total = b->total;
        pthread_mutex_unlock(&b->mu);
        if (fin) {
            break;
        }
        if (g_signal) {
            cancelled = true;
            break;
        }
        int rows, cols;
        getmaxyx(stdscr, rows, cols);
        erase();
        attrset(A_BOLD);
        mvprintw(rows / 2 - 2, 2, "vgt tui: analyzing %.*s", cols > 24 ? cols - 24 : 0,
                 o->trace_path);
        attrset(A_NORMAL);
        mvprintw(rows / 2 - 1, 2, "%-12s %" PRIu64 "/%" PRIu64 " commands   %.1f s", phase, done,
                 total, (double)(vgt_now_ns() - t0) / 1e9);
        int w = cols - 12 > 10 ? cols - 12 : 10;
        int fill = total ? (int)((double)done / (double)total * w) : 0;
        fill = fill > w ? w : fill;
        mvaddch(rows / 2, 2, '[');
        for (int i = 0; i < w; i++) {
            addch(i < fill ? '#' : '.');
        }
        printw("] %3d%%", total ? (int)(100.0 * (double)done / (double)total) : 0);
        mvprintw(rows / 2 + 2, 2, "(instrumented replays, then the native re-issue; q cancels)");
        refresh();
        int ch = getch();
        if (ch == 'q' || ch == 27) {
            cancelled = true;
            break;
        }
    }
    if (cancelled) {
        /* the analysis cannot be interrupted: leave it running detached,
         * the process exits after the terminal is restored */
        pthread_detach(th);
        return vgt_error_set(err, VGT_E_STATE, "analysis cancelled");
    }
    pthread_join(th, NULL);
    vgt_status st = b->st;
    if (st != VGT_OK) {
        *err = b->err;
    }
    *run_id = b->run_id;
    if (o->analysis) {
        *o->analysis = b->res;
    }
    pthread_mutex_destroy(&b->mu);
    free(b);
    return st;
}

vgt_status vgt_tui_main(const vgt_tui_options *o, int *signo, vgt_error *err)
{
    *signo = 0;
    g_signal = 0;
    struct sigaction old[NSIGNALS];
    signals_install(old);
    char tmp[64] = "";
    const char *db = o->db_path;
    vgt_status st = term_start(err);
    int64_t run_id = o->run_id;
    if (st == VGT_OK && o->trace_path) {
        if (o->keep_db) {
            db = o->keep_db;
        } else {
            const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
            snprintf(tmp, sizeof(tmp), "%.40s/vgt-tui-XXXXXX", dir);
            int fd = mkstemp(tmp);
            if (fd < 0) {
                st = vgt_error_set(err, VGT_E_IO, "%s: cannot create: %s", tmp, strerror(errno));
                tmp[0] = 0;
            } else {
                close(fd);
                db = tmp;
            }
        }
        if (st == VGT_OK) {
            st = analyze_bg(o, db, &run_id, err);
        }
    }
    vgt_tui_source *src = NULL;
    if (st == VGT_OK) {
        st = vgt_tui_source_open(db, run_id, &src, err);
    }
    if (st == VGT_OK) {
        st = ui_loop(src, run_id, err);
    }
    term_stop();
    vgt_tui_source_close(src);
    if (tmp[0]) {
        unlink(tmp);
    }
    signals_restore(old);
    if (g_signal) {
        *signo = g_signal;
        if (st == VGT_OK || st == VGT_E_STATE) {
            st = vgt_error_set(err, VGT_E_STATE, "interrupted by signal %d", (int)g_signal);
        }
    }
    return st;
}
