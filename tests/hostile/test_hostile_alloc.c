/* test_hostile_alloc.c - allocation-failure injection: every allocation the
 * vgt libraries make during a workload fails once, in turn.
 *
 * The binary is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup (tests/hostile/CMakeLists.txt), so every call the vgt static
 * libraries and this file make to those functions lands in the __wrap_*
 * functions below (shared libraries - libc itself, libpng, Mesa, cmocka -
 * are not redirected).  libzstd is one too, but every zstd context vgt
 * makes allocates through format/zstd_mem.c (a ZSTD_customMem calling
 * malloc/free from vgt code), so zstd's allocations (its contexts and
 * workspaces) land here as well; vgt_zstd_mem_stats_get tells which failures
 * were zstd's, and every workload that uses zstd must reach some.
 *
 * A workload runs once with allocation #1 failing, then the next allocation
 * made from a call path that has not failed twice yet, ... until a run
 * completes without reaching one.  A call path is the allocation's whole
 * stack of return addresses and its kind (malloc, calloc, realloc of NULL,
 * realloc of a block, strdup): the same path reached again (a loop over
 * records, commands, frames, chunks) runs the same code to the same error
 * handling, so each path fails twice - its first time, and once more with
 * whatever its earlier passes left behind to free - and its third and
 * later allocations are not failed again.  VGT_ALLOC_EVERY=1 fails every
 * allocation in turn instead (the complete sweep: 2 223 runs against
 * 1 626 on 2026-12-01).  Each run must return VGT_OK (a documented
 * fallback) or VGT_E_NOMEM with a message (naming zstd when the failure
 * was zstd's), never crash, and free everything (LeakSanitizer checks that
 * in the ASan build).  A replay that succeeds must give the reference
 * frames, and a replayer that survived a failed run is run again without
 * injection and must give them too.
 *
 * Workloads: writing a trace (dedup, several chunks, compression; every
 * trace written is read back), reading one (open, iterate, seek, verify,
 * tables; with its footer and without, plainly and in salvage mode),
 * replaying recorded traces of the samples below (executor, 3D state
 * tracker, reader, replayer, compose) on null, soft and gl, and creating a
 * VM with a 3D device and a capture; and guest runs with only one thread's
 * allocations counted (the device's FIFO thread, the capture's compression
 * thread, where zstd allocates its workspace on the first chunk and again
 * for a larger one), so that their numbering follows that thread's work,
 * not the scheduling.
 *
 * VGT_ALLOC_VERBOSE=1 prints every run that did not fail with VGT_E_NOMEM
 * and every run whose failure was zstd's, VGT_ALLOC_TEST=GLOB selects tests,
 * and `break injected_failure if n == K` in gdb stops at allocation K. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_capture.h"
#include "vgt_device.h"
#include "vgt_format.h"
#include "vgt_replay.h"
#include "vgt_samples.h"
#include "vgt_test_groups.h"
#include "vgt_test_tmp.h"
#ifdef VGT_HAVE_GL_TEST
#include "gl_test_util.h" /* pin_mesa_driver */
#include "vgt_gl.h"
#endif

#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the interposer ----------------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);

static atomic_bool armed; /* count (and fail) allocations */
/* count only the allocations of the thread of this name (NULL: all) */
static const char *_Atomic only_thread;
static atomic_ulong alloc_calls;    /* allocations since arming */
static unsigned long fail_at;       /* fail the first new call path from this one on (1-based) */
static atomic_bool failure_reached; /* an allocation failed in this run */
static atomic_ulong failed_n;       /* its number */

/* ---- call paths ---------------------------------------------------------------- */

/* What an allocation was: part of its call path, since a realloc of NULL
 * (a first allocation) and of a block (a growth, whose old block the caller
 * must keep) fail into different error handling. */
typedef enum alloc_kind {
    KIND_MALLOC = 1,
    KIND_CALLOC,
    KIND_REALLOC_NEW,
    KIND_REALLOC_GROW,
    KIND_STRDUP
} alloc_kind;

#define PATH_DEPTH    48
#define PATH_SLOTS    (1u << 16) /* open addressing; a sweep meets a few thousand paths */
#define PATH_FAILURES 2u         /* failures a call path gets in a sweep */

typedef struct path_slot {
    uint64_t key; /* 0: free */
    unsigned failures;
} path_slot;

static path_slot paths[PATH_SLOTS]; /* this sweep's call paths that failed */
static unsigned long paths_used;
static pthread_mutex_t paths_lock = PTHREAD_MUTEX_INITIALIZER;
static bool fail_every; /* VGT_ALLOC_EVERY: every allocation fails in turn */

/* The call path of the allocation being made: FNV-1a over its return
 * addresses (backtrace unwinds through libzstd's frames too) and its kind.
 * Never 0. */
static uint64_t call_path(alloc_kind kind)
{
    void *frames[PATH_DEPTH];
    int n = backtrace(frames, PATH_DEPTH);
    uint64_t h = 14695981039346656037ull ^ (uint64_t)kind;
    for (int i = 0; i < n; i++) {
        h = (h ^ (uint64_t)(uintptr_t)frames[i]) * 1099511628211ull;
    }
    return h ? h : 1;
}

/* Counts a failure of the path `key`; false when it has had its
 * PATH_FAILURES already (or the table is full: then it fails again, the
 * old sweep's behaviour). */
static bool path_may_fail(uint64_t key)
{
    for (uint32_t i = (uint32_t)(key ^ key >> 32) & (PATH_SLOTS - 1);;
         i = (i + 1) & (PATH_SLOTS - 1)) {
        if (paths[i].key == key) {
            return paths[i].failures++ < PATH_FAILURES;
        }
        if (paths[i].key == 0) {
            if (paths_used + 1 >= PATH_SLOTS) {
                return true;
            }
            paths_used++;
            paths[i].key = key;
            paths[i].failures = 1;
            return true;
        }
    }
}

/* A new sweep: no call path has failed yet. */
static void paths_reset(void)
{
    memset(paths, 0, sizeof(paths));
    paths_used = 0;
}

/* Called for every injected failure (a breakpoint for gdb:
 * `break injected_failure if n == K`). */
__attribute__((noinline)) static void injected_failure(unsigned long n)
{
    __asm__ volatile("" ::"r"(n));
}

/* vgt names its threads ("vgt-fifo", "vgt-compress": vgt_thread_name)
 * before they allocate anything; read each time, not cached, so no thread
 * is judged before it has its name. */
static bool on_thread(const char *want)
{
    char name[16] = {0};
    return prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && strcmp(name, want) == 0;
}

/* True when this allocation is to fail: the run's one failure, the first
 * allocation from fail_at on whose call path may still fail. */
static bool inject(alloc_kind kind)
{
    if (!atomic_load(&armed)) {
        return false;
    }
    const char *want = atomic_load(&only_thread);
    if (want && !on_thread(want)) {
        return false;
    }
    unsigned long n = atomic_fetch_add(&alloc_calls, 1) + 1;
    if (fail_at == 0 || n < fail_at || atomic_load(&failure_reached)) {
        return false;
    }
    if (fail_every) {
        if (n != fail_at) {
            return false;
        }
    } else {
        uint64_t key = call_path(kind);
        pthread_mutex_lock(&paths_lock);
        /* another thread may have taken the run's failure meanwhile */
        bool fail = !atomic_load(&failure_reached) && path_may_fail(key);
        if (fail) {
            atomic_store(&failure_reached, true);
        }
        pthread_mutex_unlock(&paths_lock);
        if (!fail) {
            return false;
        }
    }
    atomic_store(&failure_reached, true);
    atomic_store(&failed_n, n);
    injected_failure(n);
    return true;
}

void *__wrap_malloc(size_t size)
{
    if (inject(KIND_MALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (inject(KIND_CALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    if (inject(p ? KIND_REALLOC_GROW : KIND_REALLOC_NEW)) {
        errno = ENOMEM;
        return NULL; /* p stays allocated, as with a real failure */
    }
    return __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    if (inject(KIND_STRDUP)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_strdup(s);
}

static void arm(unsigned long n)
{
    fail_at = n;
    atomic_store(&alloc_calls, 0);
    atomic_store(&failed_n, 0);
    atomic_store(&failure_reached, false);
    atomic_store(&armed, true);
}

/* The allocation that failed in this run (`armed_at`, the number the run
 * was armed with, before one did): for the workloads' messages. */
static unsigned long failed_alloc(unsigned long armed_at)
{
    unsigned long n = atomic_load(&failed_n);
    return n ? n : armed_at;
}

/* Disarms; true when the armed allocation was reached (and failed). */
static bool disarm(void)
{
    atomic_store(&armed, false);
    return atomic_load(&failure_reached);
}

/* ---- the loop ----------------------------------------------------------------- */

/* One workload: arms injection (arm(fail)) around the calls it wants
 * injected, disarms, and returns the status of the first call that failed
 * (err filled) or VGT_OK. */
typedef vgt_status (*workload_fn)(void *ctx, unsigned long fail, vgt_error *err);

typedef struct summary {
    unsigned long sites; /* runs in which the armed allocation was reached */
    unsigned long nomem, ok;
    unsigned long zstd;  /* runs whose failing allocation was libzstd's */
    unsigned long total; /* allocations of a complete run */
} summary;

/* Failures of libzstd's allocations so far (its contexts allocate through
 * format/zstd_mem.c, whose malloc calls land in __wrap_malloc). */
static uint64_t zstd_failures(void)
{
    vgt_zstd_mem_stats z;
    vgt_zstd_mem_stats_get(&z);
    return z.failures;
}

#define MAX_SITES 200000ul

/* Runs the workload with one allocation failing, the first from allocation
 * k on whose call path may still fail, then again from the one after it,
 * until a run has none to fail (the reference run). */
static void run_all(const char *name, workload_fn fn, void *ctx, summary *s)
{
    memset(s, 0, sizeof(*s));
    paths_reset();
    fail_every = getenv("VGT_ALLOC_EVERY") != NULL;
    unsigned long k = 1;
    while (s->sites < MAX_SITES) {
        vgt_error err = {0};
        uint64_t zstd_before = zstd_failures();
        vgt_status st = fn(ctx, k, &err);
        bool reached = atomic_load(&failure_reached);
        atomic_store(&armed, false);
        bool in_zstd = zstd_failures() != zstd_before;
        if (!reached) {
            /* Ran to the end failing nothing: the reference run. */
            if (st != VGT_OK) {
                fail_msg("%s: uninjected run failed: %s", name, err.message);
            }
            s->total = atomic_load(&alloc_calls);
            print_message("%s: %lu of %lu allocations failed in turn (%lu call paths): %lu "
                          "VGT_E_NOMEM, %lu succeeded anyway; %lu of them in zstd\n",
                          name, s->sites, s->total, paths_used, s->nomem, s->ok, s->zstd);
            return;
        }
        k = atomic_load(&failed_n);
        s->sites++;
        if (in_zstd) {
            /* zstd cannot work without the memory it asked for: the run
             * fails, saying zstd ran out of memory */
            s->zstd++;
            if (getenv("VGT_ALLOC_VERBOSE")) {
                print_message("%s: allocation %lu (zstd's): %s\n", name, k, err.message);
            }
            if (st != VGT_E_NOMEM || !strstr(err.message, "zstd")) {
                fail_msg("%s: allocation %lu (zstd's) failed: status %s: %s", name, k,
                         vgt_status_name(st), err.message);
            }
        }
        if (st == VGT_OK) {
            s->ok++;
            if (getenv("VGT_ALLOC_VERBOSE")) {
                print_message("%s: allocation %lu: succeeded anyway\n", name, k);
            }
        } else {
            if (err.message[0] == '\0') {
                fail_msg("%s: allocation %lu failed: status %s without a message", name, k,
                         vgt_status_name(st));
            }
            if (st != VGT_E_NOMEM) {
                /* e.g. a divergence or "malformed" for what was the host's
                 * lack of memory */
                fail_msg("%s: allocation %lu failed: status %s instead of VGT_E_NOMEM: %s", name, k,
                         vgt_status_name(st), err.message);
            }
            s->nomem++;
        }
        k++;
    }
    fail_msg("%s: more than %lu allocations", name, MAX_SITES);
}

/* ---- the recorded samples ------------------------------------------------------ */

static char tmpdir[1024];

#define SAMPLE_FRAMES 3u

/* The samples replayed (3D ones recorded on soft, which runs them all). */
static const char *const samples[] = {"cube",   "textured",  "lit",      "shaders", "2d-demo",
                                      "envmap", "instanced", "deferred", "skinned", "video"};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))
static char sample_path[NSAMPLES][1100];

/* Records SAMPLE_FRAMES frames of `name` on the soft backend (not injected). */
static void record_sample(const char *name, const char *path)
{
    vgt_capture_settings s;
    vgt_capture_settings_init(&s);
    s.path = path;
    s.log = NULL;
    s.chunk_size = 64u << 10; /* several chunks */
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = VGT_BACKEND_SOFT;
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_OK);
    vgt_capture_install(cap, &cfg.device);
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_vm_create(&cfg, &vm, &err), VGT_OK);
    assert_int_equal(vgt_capture_attach(cap, vgt_vm_device(vm), &err), VGT_OK);
    vgt_sample_run ga = {
        vgt_sample_find(name),
        {.frames = SAMPLE_FRAMES, .width = 160, .height = 120, .quiet = true, .backend = "soft"}};
    assert_non_null(ga.sample);
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, vgt_sample_guest, &ga, &code, &err), VGT_OK);
    assert_int_equal(code, 0);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_capture_stats st;
    assert_int_equal(vgt_capture_close(cap, &st, &err), VGT_OK);
    assert_true(st.frames >= SAMPLE_FRAMES);
}

/* The trace of samples[i], recorded the first time a test asks for it: a
 * part of the suite records only the samples its tests replay (parts 2 and
 * 3 half of them each), once. */
static const char *sample_trace(size_t i)
{
    if (sample_path[i][0] == '\0') {
        char path[sizeof(sample_path[i])];
        snprintf(path, sizeof(path), "%s/%s.vgt", tmpdir, samples[i]);
        record_sample(samples[i], path);
        memcpy(sample_path[i], path, sizeof(path));
    }
    return sample_path[i];
}

/* ---- workload: replay ---------------------------------------------------------- */

#define MAX_FRAMES 16u

typedef struct replay_ref {
    vgt_replay_backend backend;
    const char *path;
    uint64_t hash[MAX_FRAMES];
    uint64_t frames;
    bool have; /* the reference was taken */
} replay_ref;

typedef struct frames_seen {
    uint64_t hash[MAX_FRAMES];
    uint64_t frames;
} frames_seen;

static int on_frame(void *ctx, const vgt_replay_frame *f)
{
    frames_seen *s = ctx;
    if (s->frames < MAX_FRAMES) {
        s->hash[s->frames] = f->hash;
    }
    s->frames++;
    return 0;
}

static void check_frames(const replay_ref *ref, const frames_seen *seen, unsigned long fail,
                         const char *when)
{
    bool same = seen->frames == ref->frames;
    for (uint64_t i = 0; same && i < seen->frames && i < MAX_FRAMES; i++) {
        same = seen->hash[i] == ref->hash[i];
    }
    if (!same) {
        fail_msg("%s on %s: allocation %lu failed: %s gave other frames than the reference",
                 ref->path, vgt_replay_backend_name(ref->backend), failed_alloc(fail), when);
    }
}

/* Opens and runs the cube trace with allocation `failed_alloc(fail)` failing; when the
 * replayer survived a failed run, runs it again without injection: it must
 * give the reference frames. */
static vgt_status replay_workload(void *ctx, unsigned long fail, vgt_error *err)
{
    replay_ref *ref = ctx;
    frames_seen seen = {0};
    vgt_replayer_options o = {
        .backend = ref->backend,
        .last_frame = UINT64_MAX,
        .compose = true,
        .on_frame = on_frame,
        .ctx = &seen,
    };
    vgt_replayer *r = NULL;
    arm(fail);
    vgt_status st = vgt_replayer_open(ref->path, &o, &r, err);
    if (st == VGT_OK) {
        vgt_replay_stats stats;
        st = vgt_replayer_run(r, &stats, err);
    }
    bool reached = disarm();
    if (r) {
        if (!reached) {
            /* the reference run */
            if (!ref->have && st == VGT_OK) {
                memcpy(ref->hash, seen.hash, sizeof(seen.hash));
                ref->frames = seen.frames;
                ref->have = true;
            } else if (st == VGT_OK) {
                check_frames(ref, &seen, failed_alloc(fail), "the complete run");
            }
        } else if (ref->have) {
            if (st == VGT_OK) {
                /* a failure the replay absorbed must not change a frame */
                check_frames(ref, &seen, failed_alloc(fail), "the run that succeeded");
            }
            /* the same replayer, again, without injection */
            memset(&seen, 0, sizeof(seen));
            vgt_error err2 = {0};
            vgt_status again = vgt_replayer_run(r, NULL, &err2);
            if (again != VGT_OK) {
                fail_msg("replay after allocation %lu failed (%s): %s", failed_alloc(fail),
                         vgt_status_name(again), err2.message);
            }
            check_frames(ref, &seen, failed_alloc(fail), "the run after it");
        }
        vgt_replayer_close(r);
    }
    atomic_store(&failure_reached, reached);
    return st;
}

static void replay_on(vgt_replay_backend backend, const char *path, const char *name,
                      summary *total)
{
    replay_ref ref = {.backend = backend, .path = path};
    /* the reference first, without injection */
    vgt_error err = {0};
    atomic_store(&failure_reached, false);
    assert_int_equal(replay_workload(&ref, 0, &err), VGT_OK);
    assert_true(ref.have);
    assert_true(ref.frames >= SAMPLE_FRAMES);
    summary s;
    run_all(name, replay_workload, &ref, &s);
    assert_true(s.sites > 10);
    assert_true(s.zstd > 0); /* the reader's decompression context */
    total->sites += s.sites;
    total->nomem += s.nomem;
    total->ok += s.ok;
    total->zstd += s.zstd;
}

/* Samples [FIRST, END) replayed on BACKEND (LABEL its name). */
static void replay_samples_on(vgt_replay_backend backend, const char *label, size_t first,
                              size_t end)
{
    summary total = {0};
    for (size_t i = first; i < end; i++) {
        char name[128];
        snprintf(name, sizeof(name), "replay %s (%s)", samples[i], label);
        replay_on(backend, sample_trace(i), name, &total);
    }
    print_message("replay (%s, samples %zu..%zu): %lu allocations failed in turn in all: %lu "
                  "VGT_E_NOMEM, %lu succeeded anyway; %lu of them in zstd\n",
                  label, first, end - 1, total.sites, total.nomem, total.ok, total.zstd);
}

/* Every sample's trace replayed on null and on soft: three tests, soft's
 * half of the samples each, as one they took over two minutes under ASan
 * (soft alone 124 s of CPU), the whole suite's most. */
static void test_alloc_replay_null(void **state)
{
    (void)state;
    replay_samples_on(VGT_REPLAY_BACKEND_NULL, "null", 0, NSAMPLES);
}

/* cube, textured, lit, shaders, 2d-demo */
static void test_alloc_replay_soft_first(void **state)
{
    (void)state;
    replay_samples_on(VGT_REPLAY_BACKEND_SOFT, "soft", 0, NSAMPLES / 2);
}

/* envmap, instanced, deferred, skinned, video */
static void test_alloc_replay_soft_second(void **state)
{
    (void)state;
    replay_samples_on(VGT_REPLAY_BACKEND_SOFT, "soft", NSAMPLES / 2, NSAMPLES);
}

/* The cube and textured traces replayed on gl (skipped without EGL, or
 * built without the gl backend: defined either way, so that the check of
 * the ctest parts finds it in one): only vgt's allocations failed_alloc(fail), Mesa's are
 * not redirected. */
static void test_alloc_replay_gl(void **state)
{
    (void)state;
#ifdef VGT_HAVE_GL_TEST
    vgt_error err = {0};
    if (!vgt_backend_gl_available(&err)) {
        print_message("SKIP: %s\n", err.message);
        skip();
    }
    summary total = {0};
    for (size_t i = 0; i < 2; i++) { /* cube, textured */
        char name[128];
        snprintf(name, sizeof(name), "replay %s (gl)", samples[i]);
        replay_on(VGT_REPLAY_BACKEND_GL, sample_trace(i), name, &total);
        pin_mesa_driver();
    }
#else
    print_message("SKIP: built without the gl backend\n");
    skip();
#endif
}

/* ---- workload: the reader ------------------------------------------------------ */

typedef struct read_case {
    const char *path;
    bool salvage;         /* open in salvage mode */
    vgt_status truncated; /* verify's answer for a trace without footer: VGT_E_TRUNCATED */
    uint64_t records;     /* read by the uninjected run (0: not known yet) */
} read_case;

/* Opens, iterates, seeks, verifies; a run that succeeds must have read every
 * record (a chunk the reader had no memory for is not a bad chunk: neither
 * the index rebuild nor salvage mode may leave it out). */
/* vgt_trace_reader_verify, where a trace without footer has that one problem. */
static vgt_status verify_trace(vgt_trace_reader *r, const read_case *c, vgt_error *err)
{
    vgt_status st = vgt_trace_reader_verify(r, err);
    if (st != VGT_OK && st == c->truncated && strstr(err->message, "no footer index")) {
        st = VGT_OK; /* the one problem of a trace that was not closed */
    }
    return st;
}

static vgt_status read_workload(void *ctx, unsigned long fail, vgt_error *err)
{
    read_case *c = ctx;
    vgt_trace_reader_options o;
    vgt_trace_reader_options_init(&o);
    o.salvage = c->salvage;
    vgt_trace_reader *r = NULL;
    arm(fail);
    vgt_status st = vgt_trace_reader_open(c->path, &o, &r, err);
    uint64_t records = 0;
    vgt_status nomem = VGT_OK; /* next() said VGT_E_NOMEM (then tried again) */
    vgt_error nomem_err = {0};
    while (st == VGT_OK) {
        vgt_trace_record rec = {0};
        st = vgt_trace_reader_next(r, &rec, err);
        if (st == VGT_E_END) {
            st = VGT_OK;
            break;
        }
        if (st == VGT_E_NOMEM && nomem == VGT_OK) {
            /* the one failure is past: the next call reads the same record */
            nomem = st;
            nomem_err = *err;
            st = vgt_trace_reader_next(r, &rec, err);
            if (st != VGT_OK || rec.seq != records) {
                fail_msg("%s: allocation %lu: after VGT_E_NOMEM (%s), next() gave %s, record "
                         "%llu instead of %llu",
                         c->path, failed_alloc(fail), nomem_err.message, vgt_status_name(st),
                         (unsigned long long)rec.seq, (unsigned long long)records);
            }
        }
        records++;
    }
    bool read_all = st == VGT_OK;
    if (st == VGT_OK) {
        st = vgt_trace_reader_seek_frame(r, 1, err);
    }
    if (st == VGT_OK) {
        vgt_trace_record rec;
        st = vgt_trace_reader_next(r, &rec, err);
    }
    if (st == VGT_OK) {
        st = verify_trace(r, c, err);
    }
    if (st == VGT_OK) {
        /* a second reader verifies first thing: verify loads the chunks
         * itself (no memory for one: no verdict, VGT_E_NOMEM) */
        vgt_trace_reader *v = NULL;
        st = vgt_trace_reader_open(c->path, &o, &v, err);
        if (st == VGT_OK) {
            st = verify_trace(v, c, err);
        }
        vgt_trace_reader_close(v);
    }
    bool reached = disarm();
    if (r) {
        /* still usable: tables and info */
        vgt_trace_info info;
        vgt_trace_reader_info(r, &info);
        vgt_trace_chunk_info ci;
        (void)vgt_trace_reader_chunk(r, 0, &ci);
        vgt_trace_reader_close(r);
    }
    if (st == VGT_OK && !reached) {
        assert_true(records > 20);
        if (c->records == 0) {
            c->records = records;
        }
    }
    if (read_all && records != c->records) {
        fail_msg("%s: allocation %lu: the run read %llu records to the end, the complete run "
                 "read %llu",
                 c->path, failed_alloc(fail), (unsigned long long)records,
                 (unsigned long long)c->records);
    }
    atomic_store(&failure_reached, reached);
    if (nomem != VGT_OK && st == VGT_OK) {
        *err = nomem_err; /* the run met the failure (and read on after it) */
        st = nomem;
    }
    return st;
}

/* A copy of `from` without its trailer (40 bytes): the reader rebuilds the
 * index from the chunks. */
static void copy_without_trailer(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    assert_non_null(in);
    assert_int_equal(fseek(in, 0, SEEK_END), 0);
    long size = ftell(in);
    assert_true(size > 40);
    rewind(in);
    uint8_t *buf = malloc((size_t)size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, in), (size_t)size);
    fclose(in);
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(buf, 1, (size_t)size - 40, out), (size_t)size - 40);
    fclose(out);
    free(buf);
}

/* max_ok: runs that may succeed anyway (a documented fallback) */
static void read_case_run(const char *name, read_case *c, unsigned long max_ok)
{
    /* the reference first, without injection */
    vgt_error err = {0};
    atomic_store(&failure_reached, false);
    assert_int_equal(read_workload(c, 0, &err), VGT_OK);
    assert_true(c->records > 20);
    summary s;
    run_all(name, read_workload, c, &s);
    assert_true(s.sites > 5);
    assert_true(s.zstd > 0); /* the decompression context */
    assert_true(s.ok <= max_ok);
}

static void test_alloc_read_trace(void **state)
{
    (void)state;
    const char *cube_path = sample_trace(0);
    read_case with_footer = {cube_path, false, VGT_OK, 0};
    read_case_run("read trace", &with_footer, 0);
    /* salvage mode: a chunk next() has no memory for is not skipped */
    read_case with_footer_salvage = {cube_path, true, VGT_OK, 0};
    read_case_run("read trace (salvage)", &with_footer_salvage, 0);
    /* without its footer: the index is rebuilt by decompressing every chunk */
    char path[1200];
    snprintf(path, sizeof(path), "%s/no-footer.vgt", tmpdir);
    copy_without_trailer(cube_path, path);
    read_case rebuilt = {path, false, VGT_E_TRUNCATED, 0};
    /* none succeeds anyway: the reader has room for its first problems
     * from its open, and one it cannot record is counted (verify: NOMEM) */
    read_case_run("read trace without footer", &rebuilt, 0);
    read_case salvage = {path, true, VGT_E_TRUNCATED, 0};
    read_case_run("read trace without footer (salvage)", &salvage, 0);
    assert_int_equal(rebuilt.records, with_footer.records);
    unlink(path);
}

/* ---- workload: the writer ------------------------------------------------------ */

static vgt_status write_workload(void *ctx, unsigned long fail, vgt_error *err)
{
    (void)ctx;
    char path[1200];
    snprintf(path, sizeof(path), "%s/written.vgt", tmpdir);
    static uint8_t big[8192];
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 7u + (i >> 8));
    }
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    strcpy(h.protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME);
    h.creator = "test_hostile_alloc";
    vgt_trace_writer_settings ws;
    vgt_trace_writer_settings_init(&ws);
    ws.chunk_size = 16u << 10; /* several chunks */
    vgt_trace_writer *w = NULL;
    arm(fail);
    vgt_status st = vgt_trace_writer_open(path, &ws, &h, &w, err);
    for (uint32_t f = 0; f < 4 && st == VGT_OK; f++) {
        for (uint32_t i = 0; i < 8 && st == VGT_OK; i++) {
            uint8_t small[16];
            memset(small, (int)(f * 8 + i), sizeof(small));
            st = vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, 0, small, sizeof(small), err);
        }
        if (st == VGT_OK) {
            /* the same big payload every frame: stored once, then referenced */
            st = vgt_trace_writer_append(w, VGT_REC_DMA_DATA, 0, 0, big, sizeof(big), err);
        }
        if (st == VGT_OK) {
            st = vgt_trace_writer_frame_end(w, (uint64_t)f * 1000u, err);
        }
    }
    if (st == VGT_OK) {
        st = vgt_trace_writer_flush(w, err);
    }
    vgt_status cst = VGT_OK;
    bool opened = w != NULL;
    if (w) {
        vgt_error cerr = {0};
        cst = vgt_trace_writer_close(w, &cerr);
        if (st == VGT_OK && cst != VGT_OK) {
            st = cst;
            *err = cerr;
        }
    }
    bool reached = disarm();
    if (st == VGT_OK) {
        /* a run that succeeded wrote a whole trace the reader accepts */
        vgt_trace_reader *r = NULL;
        vgt_error rerr = {0};
        assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &rerr), VGT_OK);
        assert_int_equal(vgt_trace_reader_verify(r, &rerr), VGT_OK);
        assert_int_equal(vgt_trace_reader_frame_count(r), 4);
        vgt_trace_reader_close(r);
    } else if (opened) {
        /* a writer that failed left a trace valid up to its last whole
         * chunk: it opens (the index rebuilt) and reads to its end */
        vgt_trace_reader *r = NULL;
        vgt_error rerr = {0};
        vgt_status rs = vgt_trace_reader_open(path, NULL, &r, &rerr);
        vgt_trace_record rec;
        while (rs == VGT_OK && (rs = vgt_trace_reader_next(r, &rec, &rerr)) == VGT_OK) {
        }
        if (rs != VGT_E_END || vgt_trace_reader_frame_count(r) > 4) {
            fail_msg("allocation %lu: the failed writer's trace does not read (%s): %s",
                     failed_alloc(fail), vgt_status_name(rs), rerr.message);
        }
        vgt_trace_reader_close(r);
    }
    unlink(path);
    atomic_store(&failure_reached, reached);
    return st;
}

static void test_alloc_write_trace(void **state)
{
    (void)state;
    summary s;
    run_all("write trace", write_workload, NULL, &s);
    assert_true(s.sites > 5);
    assert_true(s.zstd >= 2); /* the compression context, its workspace (first chunk) */
}

/* ---- workload: creating a device and a capture ---------------------------------- */

/* A VM with a 3D device on `kind` and a capture attached, created and
 * destroyed (the FIFO thread starts and stops; the guest never runs). */
static vgt_status device_workload(void *ctx, unsigned long fail, vgt_error *err)
{
    vgt_backend_kind kind = *(const vgt_backend_kind *)ctx;
    char path[1200];
    snprintf(path, sizeof(path), "%s/device.vgt", tmpdir);
    vgt_capture_settings cs;
    vgt_capture_settings_init(&cs);
    cs.path = path;
    cs.log = NULL;
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = kind;
    vgt_capture *cap = NULL;
    vgt_vm *vm = NULL;
    arm(fail);
    vgt_status st = vgt_capture_create(&cs, &cap, err);
    if (st == VGT_OK) {
        vgt_capture_install(cap, &cfg.device);
        st = vgt_vm_create(&cfg, &vm, err);
    }
    if (st == VGT_OK) {
        st = vgt_capture_attach(cap, vgt_vm_device(vm), err);
    }
    if (cap && vm) {
        vgt_capture_detach(cap);
    }
    vgt_vm_destroy(vm);
    if (cap) {
        vgt_error cerr = {0};
        vgt_status cst = vgt_capture_close(cap, NULL, &cerr);
        if (st == VGT_OK && cst != VGT_OK) {
            st = cst;
            *err = cerr;
        }
    }
    bool reached = disarm();
    unlink(path);
    atomic_store(&failure_reached, reached);
    return st;
}

/* ---- workload: a guest run, one thread's allocations failing ------------------- */

/* Allocations on the FIFO thread while a guest runs (the executor's
 * surfaces, shaders, tables; the device's command buffer; the capture's
 * copies): numbered on that thread alone, so the numbering follows the
 * command stream, not the scheduling.  The guest must finish all its frames
 * (the device keeps running), and a failure the device did not absorb must
 * be reported as a device error whose first message is the lack of memory,
 * naming the command.
 * Allocations on the capture's compression thread (its output buffer, per
 * chunk size, and zstd's workspace): the device and the guest must not notice (no device error,
 * every frame), and the capture must stop saying it ran out of memory, with
 * a trace that opens and holds no more frames than it recorded. */
typedef struct thread_case {
    const char *sample;
    vgt_backend_kind kind;
    bool capture;        /* with a capture attached (its taps run on the FIFO thread) */
    const char *thread;  /* whose allocations failed_alloc(fail): "vgt-fifo" or "vgt-compress" */
    uint32_t chunk_size; /* the capture's chunk size (0: its default) */
} thread_case;

typedef struct device_errors {
    unsigned long count;
    char first[VGT_ERROR_MESSAGE_MAX];
} device_errors;

static void on_device_error(void *ctx, uint64_t seq, uint32_t fifo_offset,
                            vgt_device_error_kind kind, const char *reason)
{
    (void)seq;
    device_errors *e = ctx;
    if (e->count++ == 0) {
        snprintf(e->first, sizeof(e->first), "%s error at FIFO offset 0x%x: %s",
                 vgt_device_error_kind_name(kind), fifo_offset, reason);
    }
}

static vgt_status thread_workload(void *ctx, unsigned long fail, vgt_error *err)
{
    const thread_case *c = ctx;
    bool compress = strcmp(c->thread, "vgt-compress") == 0;
    char path[1200];
    snprintf(path, sizeof(path), "%s/fifo.vgt", tmpdir);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    cfg.device.enable_3d = true;
    cfg.device.backend_3d = c->kind;
    device_errors errors = {0};
    vgt_status capture_failure = VGT_OK;
    cfg.device.taps.device_error = on_device_error;
    cfg.device.taps.ctx = &errors;
    vgt_capture *cap = NULL;
    if (c->capture) {
        vgt_capture_settings cs;
        vgt_capture_settings_init(&cs);
        cs.path = path;
        cs.log = NULL;
        if (c->chunk_size) {
            cs.chunk_size = c->chunk_size;
        }
        assert_int_equal(vgt_capture_create(&cs, &cap, err), VGT_OK);
        vgt_capture_install(cap, &cfg.device); /* it passes device errors on to ours */
    }
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_vm_create(&cfg, &vm, err), VGT_OK);
    if (cap) {
        assert_int_equal(vgt_capture_attach(cap, vgt_vm_device(vm), err), VGT_OK);
    }
    vgt_sample_run ga = {vgt_sample_find(c->sample),
                         {.frames = SAMPLE_FRAMES,
                          .width = 160,
                          .height = 120,
                          .quiet = true,
                          .backend = vgt_backend_kind_name(c->kind)}};
    assert_non_null(ga.sample);
    int code = -1;
    atomic_store(&only_thread, c->thread);
    arm(fail);
    vgt_status st = vgt_vm_run(vm, vgt_sample_guest, &ga, &code, err);
    vgt_device_stats ds;
    vgt_device_get_stats(vgt_vm_device(vm), &ds);
    if (cap) {
        vgt_capture_detach(cap);
    }
    vgt_vm_destroy(vm);
    vgt_error cerr = {0};
    vgt_capture_stats cst = {0};
    vgt_status cs = VGT_OK;
    if (cap) {
        /* the last chunk is compressed while the capture closes */
        cs = vgt_capture_close(cap, &cst, &cerr);
    }
    bool reached = disarm();
    atomic_store(&only_thread, NULL);
    if (compress && errors.count != 0) {
        fail_msg("%s: allocation %lu on %s: the device reported errors: %s", c->sample,
                 failed_alloc(fail), c->thread, errors.first);
    }
    if (cap) {
        if (getenv("VGT_ALLOC_VERBOSE")) {
            print_message("  allocation %lu: capture %s (%s), %llu frames; %lu device errors "
                          "(%s)\n",
                          failed_alloc(fail), vgt_status_name(cs), cst.failure,
                          (unsigned long long)cst.frames, errors.count, errors.first);
        }
        if (cst.errors != errors.count) {
            fail_msg("%s: allocation %lu on %s: %lu device errors, %llu recorded", c->sample,
                     failed_alloc(fail), c->thread, errors.count, (unsigned long long)cst.errors);
        }
        if (cs != VGT_OK) {
            /* the capture stopped, said why, and kept what it had */
            if (cs != VGT_E_NOMEM || !cst.failed || !strstr(cerr.message, "memory")) {
                fail_msg("%s: allocation %lu on %s: the capture failed with %s: %s", c->sample,
                         failed_alloc(fail), c->thread, vgt_status_name(cs), cerr.message);
            }
            vgt_trace_reader *r = NULL;
            vgt_error rerr = {0};
            if (vgt_trace_reader_open(path, NULL, &r, &rerr) != VGT_OK) {
                fail_msg("%s: allocation %lu on %s: the stopped capture's trace "
                         "does not open: %s",
                         c->sample, failed_alloc(fail), c->thread, rerr.message);
            }
            /* the frames it ended, and the one it stopped in (docs/format.md);
             * a chunk that could not be compressed is not in the file */
            uint64_t frames = vgt_trace_reader_frame_count(r);
            if (compress ? frames > cst.frames + 1u
                         : frames != cst.frames && frames != cst.frames + 1u) {
                fail_msg("%s: the stopped capture's trace has %llu frames, its stats %llu",
                         c->sample, (unsigned long long)frames, (unsigned long long)cst.frames);
            }
            vgt_trace_reader_close(r);
            if (errors.count == 0) {
                *err = cerr;
                capture_failure = cs;
            }
        } else if (errors.count == 0) {
            /* (with errors, a failed command can take a frame's PRESENT
             * with it) */
            if (cst.frames < SAMPLE_FRAMES) {
                fail_msg("%s: allocation %lu on %s: %llu frames captured", c->sample,
                         failed_alloc(fail), c->thread, (unsigned long long)cst.frames);
            }
            /* a failure the capture absorbed (the frame hash's row cache)
             * must not change what it recorded: the replay verifies */
            vgt_replayer_options o = {.backend = c->kind == VGT_BACKEND_NULL
                                                     ? VGT_REPLAY_BACKEND_NULL
                                                     : VGT_REPLAY_BACKEND_SOFT,
                                      .last_frame = UINT64_MAX,
                                      .compose = true,
                                      .verify = true};
            vgt_replayer *r = NULL;
            vgt_error rerr = {0};
            vgt_status rs = vgt_replayer_open(path, &o, &r, &rerr);
            vgt_replay_stats rst = {0};
            if (rs == VGT_OK) {
                rs = vgt_replayer_run(r, &rst, &rerr);
            }
            vgt_replayer_close(r);
            if (rs != VGT_OK || rst.frames_verified != cst.frames) {
                fail_msg("%s: allocation %lu on %s: the capture does not verify "
                         "(%llu frames verified): %s",
                         c->sample, failed_alloc(fail), c->thread,
                         (unsigned long long)rst.frames_verified, rerr.message);
            }
        }
    }
    unlink(path);
    atomic_store(&failure_reached, reached);
    if (st != VGT_OK) {
        fail_msg("%s: allocation %lu on %s: the VM run failed: %s", c->sample, failed_alloc(fail),
                 c->thread, err->message);
    }
    if (code != 0) {
        fail_msg("%s: allocation %lu on %s: the guest exited with %d (device: %s)", c->sample,
                 failed_alloc(fail), c->thread, code, ds.last_error);
    }
    if (ds.errors != errors.count) {
        fail_msg("%s: %llu device errors counted, %lu reported", c->sample,
                 (unsigned long long)ds.errors, errors.count);
    }
    if (errors.count == 0) {
        return capture_failure; /* VGT_OK: absorbed (or the reference run) */
    }
    if (!reached) {
        fail_msg("%s: the uninjected run had device errors: %s", c->sample, errors.first);
    }
    /* the backends say "out of memory" or "cannot allocate" */
    if (!strstr(errors.first, "memory") && !strstr(errors.first, "cannot allocate")) {
        fail_msg("%s: allocation %lu on %s: the first device error is not the "
                 "lack of memory: %s",
                 c->sample, failed_alloc(fail), c->thread, errors.first);
    }
    return vgt_error_set(err, VGT_E_NOMEM, "%s", errors.first);
}

static void run_thread_cases(const thread_case *cases, size_t n, unsigned long min_sites,
                             unsigned long min_zstd)
{
    for (size_t i = 0; i < n; i++) {
        char name[128];
        snprintf(name, sizeof(name), "guest run %s (%s%s), %s", cases[i].sample,
                 vgt_backend_kind_name(cases[i].kind), cases[i].capture ? ", captured" : "",
                 cases[i].thread);
        summary s;
        run_all(name, thread_workload, (void *)&cases[i], &s);
        assert_true(s.sites >= min_sites);
        assert_true(s.zstd >= min_zstd);
    }
}

static void test_alloc_fifo_thread(void **state)
{
    (void)state;
    static const thread_case cases[] = {
        {"cube", VGT_BACKEND_SOFT, false, "vgt-fifo", 0},
        {"textured", VGT_BACKEND_SOFT, false, "vgt-fifo", 0},
        {"shaders", VGT_BACKEND_SOFT, false, "vgt-fifo", 0},
        {"2d-demo", VGT_BACKEND_NULL, false, "vgt-fifo", 0},
        {"video", VGT_BACKEND_NULL, false, "vgt-fifo", 0},
        {"lit", VGT_BACKEND_NULL, false, "vgt-fifo", 0},
        {"cube", VGT_BACKEND_SOFT, true, "vgt-fifo", 0},
    };
    run_thread_cases(cases, sizeof(cases) / sizeof(cases[0]), 2, 0);
}

/* Small chunks, so that several are compressed during the run and the
 * texture uploads make chunks larger than the rest (the output buffer
 * grows, and is given back after them). */
static void test_alloc_compress_thread(void **state)
{
    (void)state;
    static const thread_case cases[] = {
        {"textured", VGT_BACKEND_SOFT, true, "vgt-compress", 4096},
        {"draw-calls", VGT_BACKEND_NULL, true, "vgt-compress", 4096},
    };
    /* zstd's workspace is made on the first chunk, on this thread */
    run_thread_cases(cases, sizeof(cases) / sizeof(cases[0]), 1, 1);
}

static void test_alloc_device_and_capture(void **state)
{
    (void)state;
    summary s;
    vgt_backend_kind kind = VGT_BACKEND_NULL;
    run_all("device + capture (null)", device_workload, &kind, &s);
    assert_true(s.sites > 5);
    assert_true(s.zstd > 0); /* the capture writer's compression context */
    kind = VGT_BACKEND_SOFT;
    run_all("device + capture (soft)", device_workload, &kind, &s);
    assert_true(s.sites > 5);
    assert_true(s.zstd > 0);
}

int main(int argc, char **argv)
{
    /* one soft thread: the allocation numbering stays the same from run to run */
    setenv("VGT_SOFT_THREADS", "1", 1);
    /* this run's traces, removed at exit whether the tests passed or not */
    const char *dir = vgt_test_tmpdir("hostile");
    if (dir == NULL) {
        return 1;
    }
    snprintf(tmpdir, sizeof(tmpdir), "%s", dir);
    /* each test in one of the ctest entries test_hostile_alloc_part1..3
     * (tests/hostile/CMakeLists.txt), balanced by their CPU time under ASan
     * (2026-11-30): 1 = the rest (~40 s), 2 and 3 = soft's replays of half
     * the samples each (124 s together); each part records the samples its
     * tests replay (sample_trace) */
    /* one test a line */
    /* clang-format off */
    static const vgt_test_grouped tests[] = {
        VGT_TEST_IN(1, test_alloc_write_trace),
        VGT_TEST_IN(1, test_alloc_read_trace),
        VGT_TEST_IN(1, test_alloc_replay_null),
        VGT_TEST_IN(2, test_alloc_replay_soft_first),
        VGT_TEST_IN(3, test_alloc_replay_soft_second),
        VGT_TEST_IN(1, test_alloc_replay_gl),
        VGT_TEST_IN(1, test_alloc_device_and_capture),
        VGT_TEST_IN(1, test_alloc_fifo_thread),
        VGT_TEST_IN(1, test_alloc_compress_thread),
    };
    /* clang-format on */
    /* VGT_ALLOC_TEST=PATTERN: only the tests whose name matches */
    if (getenv("VGT_ALLOC_TEST")) {
        cmocka_set_test_filter(getenv("VGT_ALLOC_TEST"));
    }
    /* backtrace loads its unwinder (libgcc_s) on its first call: here, not
     * inside an allocation the interposer is counting */
    void *first[1];
    (void)backtrace(first, 1);
    return vgt_test_run_groups("test_hostile_alloc", tests, sizeof(tests) / sizeof(tests[0]), argc,
                               argv, NULL, NULL);
}
