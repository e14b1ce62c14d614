/* test_capture.c - capture on the live device, replay of the trace: bit-exact
 * frames, mid-run start (2D and 3D snapshots), SIGKILL mid-capture, a failing
 * disk, per-type counts; vgt trim of those captures (vgt_trim). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_capture.h"
#include "vgt_format.h"
#include "vgt_replay.h"
#include "vgt_samples.h"
#include "vgt_test_groups.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FRAMES 64

static char tmpdir[1024];

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* What the live run showed, frame by frame (through a chained tap). */
typedef struct live_frames {
    uint64_t hash[MAX_FRAMES];
    vgt_image img[MAX_FRAMES];
    uint64_t frames;
    uint64_t cmd_count[2048]; /* per command id (ids < 2048) */
    uint64_t commands;
} live_frames;

static void live_frame_end(void *ctx, uint64_t frame, uint64_t seq, const vgt_image *display)
{
    (void)seq;
    live_frames *l = ctx;
    l->frames = frame + 1;
    if (frame < MAX_FRAMES && display) {
        /* the row tree, from scratch: the capture's and the replay's
         * hashes, which rehash only the rows compose rewrote, must equal it */
        l->hash[frame] = vgt_trace_hash_row_tree(display->pixels, (size_t)display->width * 4u,
                                                 display->stride, display->height);
        vgt_image *dst = &l->img[frame];
        vgt_error err = {0};
        (void)vgt_image_copy(dst, display, &err); /* a failed copy leaves the frame empty */
    }
}

static void live_cmd(void *ctx, uint64_t seq, uint32_t off, const uint32_t *w, uint32_t n,
                     uint64_t ns)
{
    (void)seq;
    (void)off;
    (void)n;
    (void)ns;
    live_frames *l = ctx;
    l->commands++;
    if (w[0] < 2048) {
        l->cmd_count[w[0]]++;
    }
}

static void live_free(live_frames *l)
{
    for (int i = 0; i < MAX_FRAMES; i++) {
        vgt_image_free(&l->img[i]);
    }
}

typedef struct run_result {
    int exit_code;
    uint64_t guest_cpu_ns, wall_ns; /* the guest thread's CPU time; the run's wall time */
    vgt_device_stats dev;
    vgt_capture_stats cap;
    vgt_status close_status;
} run_result;

/* Runs guest program `fn` with a capture (settings s) on a device with 3D
 * on backend *be3d (NULL: without 3D) and, when l is given, the live-frame
 * tap chained after it. */
/* REG_CAPABILITIES bits the next captured runs' devices hide (0: none). */
static uint32_t capture_hide_caps;
/* The device's legacy video overlay filter (a trace as vgt wrote before the
 * bilinear one: no VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR). */
static bool capture_video_nearest;

static void run_captured_guest(const vgt_capture_settings *s, const vgt_backend_kind *be3d,
                               int (*fn)(vgt_guest *, void *), void *arg, live_frames *l,
                               run_result *out)
{
    memset(out, 0, sizeof(*out));
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    cfg.device.hide_caps = capture_hide_caps;
    cfg.device.video_nearest = capture_video_nearest;
    if (be3d) {
        cfg.device.enable_3d = true;
        cfg.device.backend_3d = *be3d;
    }
    if (l) {
        memset(l, 0, sizeof(*l));
        cfg.device.taps.ctx = l;
        cfg.device.taps.frame_end = live_frame_end;
        cfg.device.taps.cmd_fetched = live_cmd;
    }
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    assert_int_equal(vgt_capture_create(s, &cap, &err), VGT_OK);
    vgt_capture_install(cap, &cfg.device);
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_vm_create(&cfg, &vm, &err), VGT_OK);
    assert_int_equal(vgt_capture_attach(cap, vgt_vm_device(vm), &err), VGT_OK);
    uint64_t t0 = vgt_now_ns();
    assert_int_equal(vgt_vm_run(vm, fn, arg, &out->exit_code, &err), VGT_OK);
    out->wall_ns = vgt_now_ns() - t0;
    out->guest_cpu_ns = vgt_vm_guest_cpu_ns(vm);
    vgt_device_get_stats(vgt_vm_device(vm), &out->dev);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    out->close_status = vgt_capture_close(cap, &out->cap, &err);
}

/* Runs 2d-demo for `frames` frames that way. */
static void run_captured(const vgt_capture_settings *s, uint32_t frames, live_frames *l,
                         run_result *out)
{
    vgt_sample_run ga = {vgt_sample_find("2d-demo"), {.frames = frames, .quiet = true}};
    assert_non_null(ga.sample);
    run_captured_guest(s, NULL, vgt_sample_guest, &ga, l, out);
}

typedef struct replay_seen {
    const live_frames *live;
    uint64_t hash[MAX_FRAMES];
    bool seen[MAX_FRAMES];
    uint64_t frames;
    uint64_t pixel_mismatches;
} replay_seen;

static int seen_frame(void *ctx, const vgt_replay_frame *f)
{
    replay_seen *s = ctx;
    s->frames++;
    if (f->frame < MAX_FRAMES) {
        s->hash[f->frame] = f->hash;
        s->seen[f->frame] = true;
        if (s->live && f->image) {
            const vgt_image *a = f->image, *b = &s->live->img[f->frame];
            if (a->width != b->width || a->height != b->height) {
                s->pixel_mismatches++;
            } else {
                for (uint32_t y = 0; y < a->height; y++) {
                    if (memcmp(a->pixels + (size_t)y * a->stride, b->pixels + (size_t)y * b->stride,
                               (size_t)a->width * 4u) != 0) {
                        s->pixel_mismatches++;
                        break;
                    }
                }
            }
        }
    }
    return 0;
}

static vgt_status replay(const char *path, uint64_t first, uint64_t last, bool verify, bool salvage,
                         replay_seen *seen, vgt_replay_stats *st, vgt_error *err)
{
    vgt_replayer_options o = {
        .backend = VGT_REPLAY_BACKEND_NULL,
        .first_frame = first,
        .last_frame = last,
        .compose = true,
        .verify = verify,
        .salvage = salvage,
        .on_frame = seen_frame,
        .ctx = seen,
    };
    vgt_replayer *r = NULL;
    vgt_status s = vgt_replayer_open(path, &o, &r, err);
    if (s != VGT_OK) {
        return s;
    }
    s = vgt_replayer_run(r, st, err);
    vgt_replayer_close(r);
    return s;
}

/* ---- tests ---------------------------------------------------------------------- */

/* The default settings, writing `path`, with no messages. */
static void quiet_settings(vgt_capture_settings *s, const char *path)
{
    vgt_capture_settings_init(s);
    s->path = path;
    s->log = NULL;
}

static void test_capture_replay_bit_exact(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "full.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    live_frames *live = calloc(1, sizeof(*live));
    run_result rr;
    run_captured(&s, 30, live, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_false(rr.cap.failed);
    assert_int_equal(rr.cap.frames, rr.dev.frames);
    assert_int_equal(rr.cap.commands, rr.dev.commands);
    assert_true(rr.dev.frames >= 30);
    /* the threads' CPU times: each did work, none more than the run took
     * (the compressor's until the trace was closed: at most its chunks) */
    assert_true(rr.guest_cpu_ns > 0 && rr.guest_cpu_ns <= rr.wall_ns);
    assert_true(rr.dev.fifo_cpu_ns > 0);
    assert_true(rr.cap.compress_cpu_ns > 0);

    replay_seen seen = {.live = live};
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(replay(path, 0, UINT64_MAX, true, false, &seen, &st, &err), VGT_OK);
    assert_int_equal(st.frames, rr.dev.frames);
    assert_int_equal(st.frames_verified, rr.dev.frames);
    assert_int_equal(st.commands, rr.dev.commands);
    assert_int_equal(seen.pixel_mismatches, 0);
    for (uint64_t f = 0; f < rr.dev.frames && f < MAX_FRAMES; f++) {
        assert_true(seen.seen[f]);
        assert_true(seen.hash[f] == live->hash[f]);
    }

    /* vgt info's per-type counts equal what the device fetched. */
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_svga_summary sum;
    assert_int_equal(vgt_trace_svga_summarize(r, &sum, &err), VGT_OK);
    assert_int_equal(sum.commands, rr.dev.commands);
    assert_int_equal(sum.frame_hashes, rr.dev.frames);
    uint64_t total = 0;
    for (size_t i = 0; i < sum.ncmds; i++) {
        assert_true(sum.cmds[i].id < 2048);
        assert_int_equal(sum.cmds[i].count, live->cmd_count[sum.cmds[i].id]);
        assert_int_equal(sum.cmds[i].timed, sum.cmds[i].count);
        total += sum.cmds[i].count;
    }
    assert_int_equal(total, live->commands);
    assert_true(sum.cfg_ok);
    assert_int_equal(sum.cfg.vram_size, 32u << 20);
    vgt_trace_svga_summary_free(&sum);
    vgt_trace_reader_close(r);
    live_free(live);
    free(live);
}

/* A guest of ESCAPEs: small ones (batched), a 4 KiB one (too long for a
 * batch: a COMMAND record of its own), small ones after it. */
static int escape_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv drv;
    vgt_error err = {0};
    if (vgt_drv_init(&drv, g, &err) != VGT_OK ||
        vgt_drv_set_mode(&drv, 320, 240, 32, &err) != VGT_OK) {
        return 1;
    }
    static const uint32_t sizes[] = {8, 12, 4096, 4, 16, 4};
    for (uint32_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint32_t *p = vgt_drv_fifo_reserve_escape(&drv, 7, sizes[i]);
        if (!p) {
            return 1;
        }
        for (uint32_t j = 0; j < sizes[i] / 4u; j++) {
            p[j] = i * 1000u + j;
        }
        vgt_drv_fifo_commit_all(&drv);
    }
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    int rc = drv.failed ? 1 : 0;
    vgt_drv_fini(&drv);
    return rc;
}

/* What the records of a capture say about its commands. */
typedef struct batch_walk {
    uint64_t commands, batches, singles, dma_records, escapes_seen;
    uint64_t single_words; /* words of the COMMAND records */
    uint64_t dma_bytes;    /* guest memory bytes the DMA records hold */
    uint64_t repeats;      /* batch commands recorded as repeats of the one before */
    uint64_t row_extents;  /* DESC|ROWS records, of row_reads rows in all */
    uint64_t row_reads;
    uint64_t timed; /* TIMING entries */
} batch_walk;

/* Walks a capture's records and checks the batching rules: commands in seq
 * order without gaps, fetch times that never go back, a batch below the
 * dedup threshold, a COMMAND record only for a command too long for a
 * batch, and every record about a command (its reads, its error) right
 * after the record holding it, which it ends. */
static void walk_batches(const char *path, batch_walk *out)
{
    memset(out, 0, sizeof(*out));
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_record rec;
    bool any = false;
    uint64_t next = 0, prev_fetch = 0;
    uint32_t prev_n = 0;
    static uint8_t prev_words[2048 * 4];
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (vgt_trace_is_commands(rec.type)) {
            vgt_trace_commands b;
            vgt_trace_command c;
            assert_int_equal(vgt_trace_commands_parse(&rec, &b, &err), VGT_OK);
            if (rec.type == VGT_REC_COMMAND_BATCH) {
                out->batches++;
                assert_true(rec.size < VGT_TRACE_DEFAULT_DEDUP_MIN);
            } else {
                out->singles++;
            }
            while (vgt_trace_commands_next(&b, &c)) {
                if (!any) {
                    next = c.seq;
                    any = true;
                }
                assert_int_equal(c.seq, next);
                next++;
                assert_true(c.fetch_ns >= prev_fetch);
                prev_fetch = c.fetch_ns;
                out->commands++;
                uint32_t id = vgt_load_le32(c.words);
                if (rec.type == VGT_REC_COMMAND_BATCH &&
                    (vgt_load_le32(b.nwords + (size_t)(c.seq - b.first_seq) * 4u) &
                     VGT_TRACE_BATCH_REPEAT)) {
                    /* the same words as the command before it */
                    assert_int_equal(c.nwords, prev_n);
                    assert_memory_equal(c.words, prev_words, (size_t)c.nwords * 4u);
                    out->repeats++;
                }
                prev_n = c.nwords;
                memcpy(prev_words, c.words, (size_t)(c.nwords < 2048 ? c.nwords : 2048) * 4u);
                if (rec.type == VGT_REC_COMMAND) {
                    assert_true(c.nwords * 4u > 3000u); /* over a batch's room */
                    out->single_words += c.nwords;
                }
                if (id == VGT_SVGA_CMD_ESCAPE) {
                    out->escapes_seen++;
                    /* the payload as the guest wrote it: i * 1000 + j */
                    uint32_t bytes = vgt_load_le32(c.words + 8);
                    assert_int_equal(c.nwords, 3u + bytes / 4u);
                    uint32_t w0 = vgt_load_le32(c.words + 12);
                    assert_int_equal(w0 % 1000u, 0);
                    assert_int_equal(vgt_load_le32(c.words + 12 + bytes - 4u),
                                     w0 + bytes / 4u - 1u);
                }
            }
        } else if (rec.type == VGT_REC_DMA_DATA && !(rec.flags & VGT_TRACE_DMA_F_BYTES)) {
            vgt_trace_dma d;
            assert_int_equal(vgt_trace_dma_parse(&rec, &d, &err), VGT_OK);
            assert_true(any);
            assert_int_equal(d.seq, next - 1);
            out->dma_records++;
            out->dma_bytes += d.length;
            if (rec.flags & VGT_TRACE_DMA_F_ROWS) {
                /* rows are recorded only when there are several, apart */
                assert_true(d.rows >= 2);
                assert_true(d.pitch > d.row_bytes);
                out->row_extents++;
                out->row_reads += d.rows;
            }
        } else if (rec.type == VGT_REC_ERROR) {
            vgt_trace_error e;
            assert_int_equal(vgt_trace_error_parse(&rec, &e, &err), VGT_OK);
            if (e.seq != UINT64_MAX) {
                assert_int_equal(e.seq, next - 1);
            }
        } else if (rec.type == VGT_REC_TIMING) {
            vgt_trace_timing t;
            assert_int_equal(vgt_trace_timing_parse(&rec, &t, &err), VGT_OK);
            assert_true(t.first_seq + t.count <= next); /* after the commands it times */
            for (uint32_t i = 0; i < t.count; i++) {
                /* no saturated time: a clock reading gone back made a
                 * command's end - start 4.29 s (UINT32_MAX ns) */
                uint32_t queue_ns, exec_ns;
                vgt_trace_timing_get(&t, i, &queue_ns, &exec_ns);
                assert_true(queue_ns < UINT32_MAX);
                assert_true(exec_ns < UINT32_MAX);
                out->timed++;
            }
        }
    }
    vgt_trace_reader_close(r);
}

static void test_capture_batches(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "batches.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    run_result rr;
    run_captured(&s, 12, NULL, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    batch_walk bw;
    walk_batches(path, &bw);
    assert_int_equal(bw.commands, rr.dev.commands);
    assert_int_equal(bw.commands, rr.cap.commands);
    assert_true(bw.batches > 0);
    assert_true(bw.dma_records > 0);
    /* fewer records than commands (2d-demo's reads end most batches early) */
    assert_true(bw.batches < bw.commands);
    /* every byte the device read, its UPDATE rectangles' rows merged: one
     * extent for many rows (the first frame's full-screen UPDATE is one
     * contiguous read) */
    assert_int_equal(bw.dma_bytes, rr.dev.bytes_read);
    assert_int_equal(bw.dma_bytes, rr.cap.dma_bytes);
    assert_true(bw.row_extents > 0);
    assert_true(bw.row_reads >= 10u * bw.row_extents);
    assert_true(bw.dma_records < bw.row_reads);

    /* a command too long for a batch: a COMMAND record between batches */
    run_captured_guest(&s, NULL, escape_guest, NULL, NULL, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    walk_batches(path, &bw);
    assert_int_equal(bw.commands, rr.dev.commands);
    assert_int_equal(bw.escapes_seen, 6);
    assert_int_equal(bw.singles, 1);
    assert_int_equal(bw.single_words, 3u + 4096u / 4u);
    assert_true(bw.batches >= 2); /* before and after it */
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(replay(path, 0, UINT64_MAX, false, false, &(replay_seen){0}, &st, &err),
                     VGT_OK);
    assert_int_equal(st.commands, rr.dev.commands);
}

static void test_capture_mid_run_start(void **state)
{
    (void)state;
    char full[1200], part[1200];
    tmp_path(full, sizeof(full), "mid-full.vgt");
    tmp_path(part, sizeof(part), "mid-10.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    run_result rr;
    run_captured(&s, 30, NULL, &rr);
    assert_int_equal(rr.close_status, VGT_OK);
    s.path = part;
    s.start_frame = 10;
    s.frame_count = 11;
    run_captured(&s, 30, NULL, &rr);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.cap.start_frame, 10);
    assert_int_equal(rr.cap.frames, 11);
    assert_true(rr.cap.finished);
    assert_true(rr.cap.snapshot_bytes > 640u * 480u * 4u);

    replay_seen a = {0}, b = {0};
    vgt_replay_stats sa, sb;
    vgt_error err = {0};
    assert_int_equal(replay(full, 10, 20, true, false, &a, &sa, &err), VGT_OK);
    assert_int_equal(replay(part, 0, UINT64_MAX, true, false, &b, &sb, &err), VGT_OK);
    assert_int_equal(sa.frames, 11);
    assert_int_equal(sb.frames, 11);
    assert_int_equal(sb.first_frame, 10);
    assert_int_equal(sb.last_frame, 20);
    assert_int_equal(sb.frames_verified, 11);
    for (int f = 10; f <= 20; f++) {
        assert_true(a.seen[f] && b.seen[f]);
        assert_true(a.hash[f] == b.hash[f]);
    }
    /* frames before the trace's start are refused with a clear error */
    replay_seen c = {0};
    assert_int_equal(replay(part, 5, 8, false, false, &c, &sb, &err), VGT_E_NOTFOUND);
    assert_non_null(strstr(err.message, "starts at guest frame 10"));
}

/* How often needle occurs in hay. */
static int count_in(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_capture_disk_full(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "full-disk.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    s.chunk_size = 64u * 1024u;
    s.fail_after_bytes = 300u * 1024u;
    char *logbuf = NULL;
    size_t logsize = 0;
    s.log = open_memstream(&logbuf, &logsize);
    assert_non_null(s.log);
    run_result rr;
    run_captured(&s, 60, NULL, &rr);
    fclose(s.log);
    /* one line, naming the file once */
    assert_non_null(logbuf);
    assert_int_equal(count_in(logbuf, "\n"), 1);
    assert_int_equal(count_in(logbuf, path), 1);
    assert_non_null(strstr(logbuf, "capture stopped after"));
    free(logbuf);
    /* the sample finished, the device saw nothing wrong */
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_true(rr.dev.frames >= 60);
    /* the capture stopped with a message */
    assert_true(rr.cap.failed);
    assert_int_not_equal(rr.close_status, VGT_OK);
    assert_non_null(strstr(rr.cap.failure, "space"));
    assert_true(rr.cap.frames < rr.dev.frames);
    /* the file is valid up to its last chunk: it replays (and verifies) */
    struct stat stt;
    assert_int_equal(stat(path, &stt), 0);
    assert_true((uint64_t)stt.st_size <= 300u * 1024u);
    replay_seen seen = {0};
    vgt_replay_stats st;
    vgt_error err = {0};
    vgt_status rs = replay(path, 0, UINT64_MAX, true, false, &seen, &st, &err);
    if (rs != VGT_OK) {
        fprintf(stderr, "replay: %s\n", err.message);
    }
    assert_int_equal(rs, VGT_OK);
    assert_true(st.frames > 0);
    assert_int_equal(st.frames_verified, st.frames);
}

/* A file whose header cannot be written (/dev/full): attach fails with the
 * reason, nothing is logged (the caller reports the error: the log used to
 * say the capture "stopped after 0 frames" and that the trace was valid up
 * to its last chunk, naming the file twice), and close does not write again
 * but returns the same failure. */
static void test_capture_header_unwritable(void **state)
{
    (void)state;
    char *logbuf = NULL;
    size_t logsize = 0;
    FILE *log = open_memstream(&logbuf, &logsize);
    assert_non_null(log);
    vgt_capture_settings s;
    quiet_settings(&s, "/dev/full");
    s.log = log;
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_OK);
    vgt_capture_install(cap, &cfg.device);
    assert_int_equal(vgt_vm_create(&cfg, &vm, &err), VGT_OK);
    assert_int_equal(vgt_capture_attach(cap, vgt_vm_device(vm), &err), VGT_E_IO);
    assert_int_equal(count_in(err.message, "/dev/full"), 1);
    assert_non_null(strstr(err.message, "offset 0"));
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    vgt_capture_stats cs;
    vgt_error cerr = {0};
    assert_int_equal(vgt_capture_close(cap, &cs, &cerr), VGT_E_IO);
    assert_true(cs.failed);
    assert_int_equal(cs.frames, 0);
    assert_non_null(strstr(cerr.message, "space"));
    fclose(log);
    assert_int_equal(logsize, 0);
    free(logbuf);
}

static void test_capture_sigkill(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "killed.vgt");
    unlink(path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        vgt_capture_settings s;
        quiet_settings(&s, path);
        s.chunk_size = 64u * 1024u;
        run_result rr;
        run_captured(&s, 1000000, NULL, &rr); /* killed long before the end */
        _exit(0);
    }
    /* Wait until a few chunks are on disk, then kill the capture mid-run:
     * polled, 60 s at most (a loaded machine is slow to get there); a
     * capture that ended or a file that never grew fails saying so. */
    struct stat stt;
    bool grown = false;
    int status = 0;
    for (int i = 0; i < 6000 && !grown; i++) {
        grown = stat(path, &stt) == 0 && stt.st_size > 600 * 1024;
        if (!grown && waitpid(pid, &status, WNOHANG) == pid) {
            fail_msg("the capture to be killed ended first (status 0x%x)", (unsigned)status);
        }
        if (!grown) {
            usleep(10000);
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (!grown) {
        fail_msg("%s did not grow past 600 KiB in 60 s", path);
    }
    assert_true(WIFSIGNALED(status));
    assert_int_equal(stat(path, &stt), 0);
    assert_true(stt.st_size > 600 * 1024);

    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_info info;
    vgt_trace_reader_info(r, &info);
    assert_false(info.footer_present);
    assert_true(info.index_rebuilt);
    assert_true(info.complete_frames > 0);
    uint64_t complete = info.complete_frames;
    vgt_trace_reader_close(r);

    replay_seen seen = {0};
    vgt_replay_stats st;
    assert_int_equal(replay(path, 0, UINT64_MAX, true, false, &seen, &st, &err), VGT_OK);
    assert_int_equal(st.frames, complete);
    assert_int_equal(st.frames_verified, complete);
}

static void test_capture_env(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "env.vgt");
    setenv("VGT_CAPTURE", path, 1);
    setenv("VGT_CAPTURE_START", "3", 1);
    setenv("VGT_CAPTURE_FRAMES", "4", 1);
    vgt_device_config cfg;
    vgt_device_config_default(&cfg);
    vgt_capture *cap = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_capture_from_env(&cfg, &cap, &err), VGT_OK);
    assert_non_null(cap);
    assert_ptr_equal(cfg.taps.ctx, cap);
    assert_non_null(cfg.taps.frame_end);
    vgt_capture_stats st;
    assert_int_equal(vgt_capture_close(cap, &st, &err), VGT_OK); /* never attached: empty trace */
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_header(r)->start_frame, 3);
    assert_int_equal(vgt_trace_reader_header(r)->frame_limit, 4);
    vgt_trace_reader_close(r);

    setenv("VGT_CAPTURE_FRAMES", "four", 1);
    vgt_device_config_default(&cfg);
    assert_int_equal(vgt_capture_from_env(&cfg, &cap, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "VGT_CAPTURE_FRAMES"));
    unsetenv("VGT_CAPTURE");
    unsetenv("VGT_CAPTURE_START");
    unsetenv("VGT_CAPTURE_FRAMES");
    vgt_device_config_default(&cfg);
    assert_int_equal(vgt_capture_from_env(&cfg, &cap, &err), VGT_OK);
    assert_null(cap);
    assert_null(cfg.taps.frame_end);
}

/* The embedding API's settings: a chunk size of 0 is the capture's 64 KiB
 * (it was the format writer's 2 MiB), a start frame past the format's 2^62
 * is refused at create (it was refused by the writer at close, after the
 * run), and the environment takes what --capture-* take (0 frames, 0 KiB
 * chunks, a start past 2^40 and signed or blank-led numbers refused). */
static void test_capture_settings_bounds(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "chunk0.vgt");
    vgt_capture_settings s;
    vgt_capture_settings_init(&s);
    s.path = path;
    s.chunk_size = 0;
    s.start_frame = 2; /* never reached: the trace is written at close */
    s.log = NULL;
    vgt_capture *cap = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_OK);
    vgt_capture_stats st;
    assert_int_equal(vgt_capture_close(cap, &st, &err), VGT_OK);
    vgt_trace_reader *r = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_header(r)->chunk_size, VGT_CAPTURE_DEFAULT_CHUNK_SIZE);
    vgt_trace_reader_close(r);

    tmp_path(path, sizeof(path), "far.vgt");
    s.start_frame = VGT_TRACE_MAX_START_FRAME + 1u;
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_E_INVALID);
    assert_null(cap);
    assert_string_equal(
        err.message, "capture: start frame 4611686018427387905 beyond 2^62 (the format's limit)");
    assert_int_equal(access(path, F_OK), -1); /* refused before the file is made */
    s.start_frame = VGT_TRACE_MAX_START_FRAME;
    assert_int_equal(vgt_capture_create(&s, &cap, &err), VGT_OK);
    vgt_capture_close(cap, NULL, NULL);

    static const struct {
        const char *name, *value, *message;
    } refused[] = {
        {"VGT_CAPTURE_CHUNK", "0", "VGT_CAPTURE_CHUNK='0': expected a size 1..262144 (KiB)"},
        {"VGT_CAPTURE_CHUNK", "262145",
         "VGT_CAPTURE_CHUNK='262145': expected a size 1..262144 (KiB)"},
        {"VGT_CAPTURE_FRAMES", "0",
         "VGT_CAPTURE_FRAMES='0': expected a frame count 1..1099511627776"},
        {"VGT_CAPTURE_START", "1099511627777",
         "VGT_CAPTURE_START='1099511627777': expected a guest frame 0..1099511627776"},
        {"VGT_CAPTURE_START", "-1",
         "VGT_CAPTURE_START='-1': expected a guest frame 0..1099511627776"},
        {"VGT_CAPTURE_START", " 3",
         "VGT_CAPTURE_START=' 3': expected a guest frame 0..1099511627776"},
        {"VGT_CAPTURE_LEVEL", "+3", "VGT_CAPTURE_LEVEL='+3': expected a zstd level -7..22"},
        {"VGT_CAPTURE_LEVEL", " 3", "VGT_CAPTURE_LEVEL=' 3': expected a zstd level -7..22"},
        {"VGT_CAPTURE_LEVEL", "-", "VGT_CAPTURE_LEVEL='-': expected a zstd level -7..22"},
    };
    setenv("VGT_CAPTURE", path, 1);
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        setenv(refused[i].name, refused[i].value, 1);
        vgt_capture_settings_init(&s);
        bool found = true;
        assert_int_equal(vgt_capture_settings_from_env(&s, &found, &err), VGT_E_INVALID);
        assert_false(found);
        assert_string_equal(err.message, refused[i].message);
        unsetenv(refused[i].name);
    }
    /* the bounds themselves are taken */
    setenv("VGT_CAPTURE_CHUNK", "262144", 1);
    setenv("VGT_CAPTURE_FRAMES", "1", 1);
    setenv("VGT_CAPTURE_START", "1099511627776", 1);
    setenv("VGT_CAPTURE_LEVEL", "-7", 1);
    vgt_capture_settings_init(&s);
    bool found = false;
    assert_int_equal(vgt_capture_settings_from_env(&s, &found, &err), VGT_OK);
    assert_true(found);
    assert_int_equal(s.chunk_size, 262144u * 1024u);
    assert_int_equal(s.frame_count, 1);
    assert_int_equal(s.start_frame, VGT_CAPTURE_MAX_FRAME);
    assert_int_equal(s.compression_level, -7);
    unsetenv("VGT_CAPTURE");
    unsetenv("VGT_CAPTURE_CHUNK");
    unsetenv("VGT_CAPTURE_FRAMES");
    unsetenv("VGT_CAPTURE_START");
    unsetenv("VGT_CAPTURE_LEVEL");
}

/* Runs `sample` for `frames` frames on a device with 3D (backend be) under
 * capture settings s, at the sample's own mode (w 0) or w x h. */
static void run_captured_sample(const vgt_capture_settings *s, const char *sample, uint32_t frames,
                                uint32_t w, uint32_t h, const vgt_backend_kind *be, live_frames *l,
                                run_result *out)
{
    vgt_sample_run ga = {vgt_sample_find(sample),
                         {.frames = frames, .width = w, .height = h, .quiet = true}};
    assert_non_null(ga.sample);
    run_captured_guest(s, be, vgt_sample_guest, &ga, l, out);
}

static void run_captured_mode(const vgt_capture_settings *s, const char *sample, uint32_t frames,
                              uint32_t w, uint32_t h, vgt_backend_kind be, run_result *out)
{
    run_captured_sample(s, sample, frames, w, h, &be, NULL, out);
}

static void run_captured_be(const vgt_capture_settings *s, const char *sample, uint32_t frames,
                            vgt_backend_kind be, run_result *out)
{
    run_captured_mode(s, sample, frames, 0, 0, be, out);
}

static void run_captured_3d(const vgt_capture_settings *s, const char *sample, uint32_t frames,
                            run_result *out)
{
    run_captured_be(s, sample, frames, VGT_BACKEND_NULL, out);
}

/* Replays path on backend be (verifying every frame against the trace). */
static vgt_status replay_be(const char *path, vgt_replay_backend be, replay_seen *seen,
                            vgt_replay_stats *st, vgt_error *err)
{
    vgt_replayer_options o = {
        .backend = be,
        .first_frame = 0,
        .last_frame = UINT64_MAX,
        .compose = true,
        .verify = true,
        .on_frame = seen_frame,
        .ctx = seen,
    };
    vgt_replayer *r = NULL;
    vgt_status s = vgt_replayer_open(path, &o, &r, err);
    if (s != VGT_OK) {
        return s;
    }
    s = vgt_replayer_run(r, st, err);
    vgt_replayer_close(r);
    return s;
}

/* draw-calls sends the same draw over and over: the capture records a
 * command with the words of the one before it as a repeat (walk_batches
 * checks each against that command), and replay runs every command and
 * shows every frame as captured. */
static void test_capture_repeats(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "repeats.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    run_result r;
    /* 300 frames (~10 ms): the device's clock anchors again ~10 times */
    run_captured_3d(&s, "draw-calls", 300, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.close_status, VGT_OK);
    batch_walk bw;
    walk_batches(path, &bw);
    assert_int_equal(bw.commands, r.dev.commands);
    assert_int_equal(bw.timed, r.dev.commands);
    assert_true(bw.repeats * 2 > bw.commands);
    replay_seen seen = {0};
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(replay_be(path, VGT_REPLAY_BACKEND_NULL, &seen, &st, &err), VGT_OK);
    assert_int_equal(st.commands, r.dev.commands);
    assert_int_equal(st.frames_verified, st.frames);
}

/* Issue #6: a capture of a 3D sample started at frame 10 for 10 frames
 * replays frames 10..19 with the frame hashes of the full capture's frames
 * 10..19 (soft backend, bit-exact): the snapshot's EX3D section restored the
 * surfaces with their contents, the contexts and the shaders. */
static void check_3d_mid_start_mode(const char *sample, uint32_t w, uint32_t h)
{
    char full[1200], part[1200];
    snprintf(full, sizeof(full), "%s/3d-%s-full.vgt", tmpdir, sample);
    snprintf(part, sizeof(part), "%s/3d-%s-10.vgt", tmpdir, sample);
    vgt_capture_settings s;
    quiet_settings(&s, full);
    run_result r;
    run_captured_mode(&s, sample, 20, w, h, VGT_BACKEND_SOFT, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.close_status, VGT_OK);
    assert_int_equal(r.cap.frames, 20);
    s.path = part;
    s.start_frame = 10;
    s.frame_count = 10;
    run_captured_mode(&s, sample, 20, w, h, VGT_BACKEND_SOFT, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.dev.errors, 0);
    assert_false(r.cap.failed);
    assert_int_equal(r.close_status, VGT_OK);
    assert_int_equal(r.cap.start_frame, 10);
    assert_int_equal(r.cap.frames, 10);
    assert_true(r.cap.snapshot_3d.surfaces > 0);
    assert_true(r.cap.snapshot_3d.contexts > 0);
    assert_true(r.cap.snapshot_3d.content_bytes > 0);
    assert_false(r.cap.snapshot_3d.contents_zero);

    replay_seen a = {0}, b = {0};
    vgt_replay_stats sa, sb;
    vgt_error err = {0};
    assert_int_equal(replay_be(full, VGT_REPLAY_BACKEND_SOFT, &a, &sa, &err), VGT_OK);
    assert_int_equal(replay_be(part, VGT_REPLAY_BACKEND_SOFT, &b, &sb, &err), VGT_OK);
    /* the full capture replays bit-exact: every frame hash verified */
    assert_int_equal(sa.frames_verified, 20);
    assert_int_equal(sb.first_frame, 10);
    assert_int_equal(sb.last_frame, 19);
    assert_int_equal(sb.frames_verified, 10);
    for (int f = 10; f <= 19; f++) {
        assert_true(a.seen[f] && b.seen[f]);
        assert_true(a.hash[f] == b.hash[f]);
    }
    for (int f = 0; f < 10; f++) {
        assert_false(b.seen[f]);
    }
}

static void check_3d_mid_start(const char *sample)
{
    check_3d_mid_start_mode(sample, 0, 0);
}

static void test_capture_3d_mid_start_cube(void **state)
{
    (void)state;
    check_3d_mid_start("cube");
}

static void test_capture_3d_mid_start_lit(void **state)
{
    (void)state;
    check_3d_mid_start("lit");
}

static void test_capture_3d_mid_start_textured(void **state)
{
    (void)state;
    check_3d_mid_start("textured");
}

static void test_capture_3d_mid_start_shaders(void **state)
{
    (void)state;
    check_3d_mid_start("shaders");
}

/* envmap: a cube map and a volume among the surfaces; stage 0's texture
 * matrix, TEXTURETRANSFORMFLAGS, ADDRESSW, TEXCOORDGEN and TEXCOORDINDEX
 * with TCI bits in the contexts.  The sample sends stage state only when it
 * changes, so frame 10's first draw relies on what frame 9 left set.  At
 * 320x240: its full-screen cube-mapped background costs the soft renderer
 * (under ASan ~1.3 s a frame at 640x480). */
static void test_capture_3d_mid_start_envmap(void **state)
{
    (void)state;
    check_3d_mid_start_mode("envmap", 320, 240);
}

/* instanced: the instance records are a vertex buffer uploaded at frames 0
 * and 30 only, so frames 10.. draw from what the snapshot carried. */
static void test_capture_3d_mid_start_instanced(void **state)
{
    (void)state;
    check_3d_mid_start("instanced");
}

/* deferred: two render targets that are textures too; COLOR1 is bound and
 * unbound every frame, so the snapshot is taken with COLOR1 unbound and the
 * G-buffer's contents from frame 9 in the surfaces. */
static void test_capture_3d_mid_start_deferred(void **state)
{
    (void)state;
    check_3d_mid_start_mode("deferred", 320, 240);
}

/* skinned: VERTEXBLEND and INDEXEDVERTEXBLENDENABLE change between draws
 * and WORLD1/WORLD2 are set per draw, so the snapshot holds the last
 * draw's (the indexed tentacle's). */
static void test_capture_3d_mid_start_skinned(void **state)
{
    (void)state;
    check_3d_mid_start("skinned");
}

/* floor: drawn with anisotropy 16 on its right half, so the full capture's
 * replay verifies only if the replay filters as live (the level clamped to
 * the caps the guest was shown, 16 on soft); stage 0's texture, MIPFILTER
 * and WRAP addressing are set once before frame 0, so frames 10.. draw with
 * what the snapshot carried.  At 320x240 (16 probes a far pixel). */
static void test_capture_3d_mid_start_floor(void **state)
{
    (void)state;
    check_3d_mid_start_mode("floor", 320, 240);
}

/* On the null backend (no kept contents) the snapshot holds the surfaces
 * with zeros, says so, and the trace replays without error. */
static void test_capture_3d_mid_start_null(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "3d-mid.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    s.start_frame = 5;
    run_result r;
    run_captured_3d(&s, "cube", 8, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.dev.errors, 0);
    assert_false(r.cap.failed);
    assert_int_equal(r.close_status, VGT_OK);
    assert_int_equal(r.cap.frames, 3);
    assert_true(r.cap.snapshot_3d.contents_zero);
    assert_true(r.cap.snapshot_3d.surfaces > 0);
    replay_seen b = {0};
    vgt_replay_stats sb;
    vgt_error err = {0};
    assert_int_equal(replay_be(path, VGT_REPLAY_BACKEND_NULL, &b, &sb, &err), VGT_OK);
    assert_int_equal(sb.frames_verified, 3);
    assert_int_equal(sb.first_frame, 5);
}

/* A 2D guest on a device with 3D enabled has no 3D state: a capture from a
 * later frame works and replays. */
static void test_capture_mid_start_3d_device_2d_guest(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "3d-dev-2d.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    s.start_frame = 3;
    run_result r;
    run_captured_3d(&s, "2d-demo", 8, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.dev.errors, 0);
    assert_false(r.cap.failed);
    assert_int_equal(r.cap.start_frame, 3);
    assert_int_equal(r.cap.frames, 5);
    assert_int_equal(r.close_status, VGT_OK);
}

/* The register writes of a trace that set the depth to `bpp` and a
 * palette component. */
static void count_mode_regs(const char *path, uint32_t bpp, uint64_t *nbpp, uint64_t *palette)
{
    *nbpp = *palette = 0;
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_record rec;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        vgt_trace_reg reg;
        if (rec.type != VGT_REC_REGISTER_WRITE || vgt_trace_reg_parse(&rec, &reg, &err) != VGT_OK ||
            reg.fifo_cursor) {
            continue;
        }
        *nbpp += reg.reg == VGT_SVGA_REG_BITS_PER_PIXEL && reg.value == bpp;
        *palette += reg.reg >= VGT_SVGA_PALETTE_BASE &&
                    reg.reg < VGT_SVGA_PALETTE_BASE + VGT_SVGA_NUM_PALETTE_REGS;
    }
    vgt_trace_reader_close(r);
}

/* Replays `path` on soft with --verify: frames first..first+n-1, each with
 * the live run's hash and pixels. */
static void assert_replays_live(const char *path, const live_frames *live, uint64_t first,
                                uint64_t n)
{
    replay_seen seen = {.live = live};
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(replay_be(path, VGT_REPLAY_BACKEND_SOFT, &seen, &st, &err), VGT_OK);
    assert_int_equal(st.first_frame, first);
    assert_int_equal(st.frames, n);
    assert_int_equal(st.frames_verified, n);
    assert_int_equal(seen.pixel_mismatches, 0);
    for (uint64_t f = first; f < first + n; f++) {
        assert_true(seen.seen[f] && seen.hash[f] == live->hash[f]);
    }
}

/* An 8-bit pseudocolor guest: the depth and every palette write are
 * recorded, and the replay on soft shows every frame bit-exact (frame
 * hashes and pixels); a capture started at frame 8 replays frames 8.. with
 * the live hashes: its snapshot carries the depth and the palette (the
 * sample programs its fixed entries, the block's and the band's colours, at
 * frame 0 only). */
static void test_capture_8bit(void **state)
{
    (void)state;
    char full[1200], part[1200];
    tmp_path(full, sizeof(full), "8bit-full.vgt");
    tmp_path(part, sizeof(part), "8bit-part.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    live_frames *live = calloc(1, sizeof(*live));
    run_result rr;
    run_captured_sample(&s, "palette", 16, 320, 240, NULL, live, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.dev.frames, 16);
    /* the palette cycle animates: consecutive frames differ */
    assert_true(live->hash[1] != live->hash[2]);
    uint64_t bpp8, pal;
    count_mode_regs(full, 8, &bpp8, &pal);
    assert_int_equal(bpp8, 1);
    assert_int_equal(pal,
                     16u * 3u + 16u * 240u * 3u); /* fixed entries once, the cycle each frame */

    assert_replays_live(full, live, 0, 16);

    s.path = part;
    s.start_frame = 8;
    run_captured_sample(&s, "palette", 16, 320, 240, NULL, NULL, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.cap.start_frame, 8);
    assert_int_equal(rr.cap.frames, 8);
    assert_replays_live(part, live, 8, 8);
    live_free(live);
    free(live);
}

/* The hicolor guest, 4 frames in each of the 16-, 15-, 24- and 32-bit
 * modes: each depth is recorded once, as its register write; the replay on
 * soft shows every frame bit-exact; captures started inside the 15-bit
 * (frame 6), the 24-bit (frame 9) and the 32-bit (frame 13) phases replay
 * their frames with the live hashes (the snapshot carries the depth) and
 * record the depths after them. */
static void test_capture_hicolor(void **state)
{
    (void)state;
    char full[1200], part[1200];
    tmp_path(full, sizeof(full), "hicolor-full.vgt");
    tmp_path(part, sizeof(part), "hicolor-part.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    live_frames *live = calloc(1, sizeof(*live));
    run_result rr;
    run_captured_sample(&s, "hicolor", 16, 160, 120, NULL, live, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.dev.frames, 16);
    assert_true(live->hash[1] != live->hash[2]); /* the block moves */
    static const uint32_t depths[] = {16, 15, 24, 32};
    for (uint32_t i = 0; i < 4; i++) {
        uint64_t n, pal;
        count_mode_regs(full, depths[i], &n, &pal);
        assert_int_equal(n, 1);
        assert_int_equal(pal, 0);
    }
    assert_replays_live(full, live, 0, 16);

    static const uint32_t starts[] = {6, 9, 13};
    for (uint32_t i = 0; i < 3; i++) {
        s.path = part;
        s.start_frame = starts[i];
        run_captured_sample(&s, "hicolor", 16, 160, 120, NULL, NULL, &rr);
        assert_int_equal(rr.exit_code, 0);
        assert_int_equal(rr.close_status, VGT_OK);
        assert_int_equal(rr.cap.start_frame, starts[i]);
        assert_int_equal(rr.cap.frames, 16u - starts[i]);
        assert_replays_live(part, live, starts[i], 16u - starts[i]);
        uint64_t n24, n32, pal;
        count_mode_regs(part, 24, &n24, &pal);
        count_mode_regs(part, 32, &n32, &pal);
        assert_int_equal(n24, starts[i] < 8 ? 1 : 0); /* recorded from the start on */
        assert_int_equal(n32, starts[i] < 12 ? 1 : 0);
    }
    live_free(live);
    free(live);
}

#define LC_W      64u
#define LC_H      48u
#define LC_FRAMES 6u

/* A guest in the legacy mode *arg (15, 16 or 24 bits): each frame a
 * framebuffer pattern shown by UPDATE, a 5x3 AND/XOR cursor with masks of
 * the mode's depth (at 15 bits, which takes no 15-bit masks, AND 1 bit
 * and XOR 32) (AND all ones, zero and, at 16 and 24 bits, partial values;
 * XOR colours per frame; frame 1 keeps frame 0's) moved by the FIFO
 * registers (at odd frames over the presented surface), a 16x16 surface presented, part of it read
 * back into the framebuffer (PRESENT_READBACK) and shown rounded by an UPDATE. */
static int legacy_cursor_readback_guest(vgt_guest *g, void *arg)
{
    uint32_t bpp = *(const uint32_t *)arg, b = bpp == 24 ? 3u : 2u;
    vgt_drv d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    if (vgt_drv_init(&d, g, &err) != VGT_OK || vgt_drv3d_init(&d, &err) != VGT_OK ||
        vgt_drv_set_mode(&d, LC_W, LC_H, bpp, &err) != VGT_OK) {
        vgt_drv_fini(&d);
        return 2;
    }
    uint8_t *src = d.fb + (1u << 20); /* past the framebuffer */
    for (uint32_t i = 0; i < 256; i++) {
        vgt_store_le32(src + 4u * i, 0x00C75BE3u + i * 0x00010307u);
    }
    vgt_drv3d_define_surface(&d, 1, 0, VGT_SVGA3D_X8R8G8B8, 16, 16, 1, 1);
    vgt_svga3d_copy_box box = {0, 0, 0, 16, 16, 1, 0, 0, 0};
    vgt_drv3d_surface_dma(&d, (vgt_svga_guest_ptr){VGT_SVGA_GMR_FRAMEBUFFER, 1u << 20}, 64,
                          (vgt_svga3d_surface_image_id){1, 0, 0}, VGT_SVGA3D_WRITE_HOST_VRAM, &box,
                          1, NULL);
    for (uint32_t f = 0; f < LC_FRAMES && !d.failed; f++) {
        for (uint32_t y = 0; y < LC_H; y++) {
            for (uint32_t x = 0; x < LC_W; x++) {
                vgt_drv_put_pixel(&d, x, y, (x * 0x0A0B0Du + y * 0x131701u + f * 0x2F1D07u));
            }
        }
        vgt_drv_update(&d, 0, 0, LC_W, LC_H);
        bool m15 = bpp == 15;
        uint32_t xb = m15 ? 4u : b; /* XOR bytes a pixel */
        vgt_svga_cmd_define_cursor info = {.hotspot_x = 1,
                                           .hotspot_y = 1,
                                           .width = 5,
                                           .height = 3,
                                           .and_mask_depth = m15 ? 1u : bpp,
                                           .xor_mask_depth = m15 ? 32u : bpp};
        void *am, *xm;
        /* guest frame 1 keeps frame 0's cursor: a capture from (device) frame 3 shows the
         * one its snapshot holds */
        if (f != 1 && vgt_drv_begin_define_cursor(&d, &info, &am, &xm)) {
            uint32_t and_pitch = m15 ? 4u : (5u * b + 3u) / 4u * 4u;
            uint32_t xor_pitch = (5u * xb + 3u) / 4u * 4u;
            memset(am, 0, and_pitch * 3u);
            memset(xm, 0, xor_pitch * 3u);
            for (uint32_t y = 0; y < 3; y++) {
                for (uint32_t x = 0; x < 5; x++) {
                    uint8_t *a = (uint8_t *)am + y * and_pitch;
                    bool keep = (x + y + f) % 2u;
                    if (m15) {
                        a[0] |= keep ? (uint8_t)(0x80u >> x) : 0u; /* MSB first */
                    } else if ((x + 2u * y + f) % 3u == 0) {
                        /* a value keeping some bits of each channel */
                        uint32_t v = 0x5AF0C3u * (x + 1u) + 0x3C0F69u * (y + f);
                        memcpy(a + x * b, &v, b); /* little-endian host */
                    } else {
                        memset(a + x * b, keep ? 0xFF : 0x00, b);
                    }
                    uint8_t *c = (uint8_t *)xm + y * xor_pitch + x * xb;
                    uint32_t v = 0x5A3C96u * (x + 1u) + 0x1F2E3Du * (y + f);
                    memcpy(c, &v, xb); /* little-endian host */
                }
            }
            vgt_drv_fifo_commit_all(&d);
        }
        /* odd frames: over the presented surface's host colours */
        vgt_drv_move_cursor(&d, 1, f % 2u ? 10 + f : 20 + f * 3u, f % 2u ? 14 : 30);
        vgt_svga3d_copy_rect r = {4 + f, 4, 16, 16, 0, 0};
        vgt_drv3d_present(&d, 1, &r, 1);
        uint32_t *rb = vgt_drv3d_reserve(&d, VGT_SVGA3D_CMD_PRESENT_READBACK, 16);
        if (rb) {
            rb[0] = 6 + f;
            rb[1] = 6;
            rb[2] = 7;
            rb[3] = 5;
            vgt_drv_fifo_commit_all(&d);
        }
        vgt_drv_update(&d, 4 + f, 4, 16, 8);
        uint32_t fence = vgt_drv_insert_fence(&d);
        vgt_drv_sync_to_fence(&d, fence);
    }
    int rc = d.failed ? 2 : 0;
    vgt_drv_fini(&d);
    return rc;
}

/* The version word of the EX2D section of the SNAPSHOT a trace starts with. */
static uint32_t snapshot_ex2d_version(const char *path)
{
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_record rec;
    uint32_t version = 0;
    while (!version && vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (rec.type != VGT_REC_SNAPSHOT) {
            continue;
        }
        uint64_t frame, next;
        size_t pos;
        assert_int_equal(vgt_trace_snapshot_parse(&rec, &frame, &next, &pos, &err), VGT_OK);
        vgt_trace_snapshot_section sec;
        while (vgt_trace_snapshot_next(&rec, &pos, &sec, &err) == VGT_OK) {
            if (sec.tag == VGT_TRACE_SNAP_EX2D && sec.size >= 4) {
                version = vgt_load_le32(sec.data);
            }
        }
    }
    vgt_trace_reader_close(r);
    return version;
}

/* Cursors with masks of the 16- and 24-bit modes' depth (1 and 32 bits in
 * the 15-bit mode; AND values other than 0 and all ones at 16 and 24, some
 * over 3D output) and PRESENT_READBACK into those modes' framebuffer, live
 * on soft: no error,
 * every command executed once a frame; the capture replays on soft bit-exact (hashes and pixels),
 * and so does a capture started at frame 3 (its snapshot: the mode, the cursor, the surface;
 * EX2D version 5 at 16 and 24 bits, the cursor's AND values being the guest's). */
static void test_capture_legacy_cursor_readback(void **state)
{
    (void)state;
    static const uint32_t depths[] = {16, 15, 24};
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t bpp = depths[i];
        char full[1200], part[1200];
        tmp_path(full, sizeof(full), "legacy-cr-full.vgt");
        tmp_path(part, sizeof(part), "legacy-cr-part.vgt");
        vgt_capture_settings s;
        quiet_settings(&s, full);
        live_frames *live = calloc(1, sizeof(*live));
        run_result rr;
        vgt_backend_kind be = VGT_BACKEND_SOFT;
        run_captured_guest(&s, &be, legacy_cursor_readback_guest, &bpp, live, &rr);
        assert_int_equal(rr.exit_code, 0);
        assert_int_equal(rr.dev.errors, 0);
        assert_int_equal(rr.close_status, VGT_OK);
        assert_true(rr.dev.frames >= LC_FRAMES);
        assert_true(live->cmd_count[VGT_SVGA3D_CMD_PRESENT_READBACK] == LC_FRAMES);
        assert_true(live->cmd_count[VGT_SVGA_CMD_DEFINE_CURSOR] == LC_FRAMES - 1u);
        assert_replays_live(full, live, 0, rr.dev.frames);
        uint64_t frames = rr.dev.frames;

        s.path = part;
        s.start_frame = 3;
        run_captured_guest(&s, &be, legacy_cursor_readback_guest, &bpp, NULL, &rr);
        assert_int_equal(rr.exit_code, 0);
        assert_int_equal(rr.dev.errors, 0);
        assert_int_equal(rr.close_status, VGT_OK);
        assert_int_equal(rr.dev.frames, frames);
        assert_int_equal(snapshot_ex2d_version(part), bpp == 15 ? 2u : 5u);
        assert_replays_live(part, live, 3, frames - 3u);
        live_free(live);
        free(live);
    }
}

static uint32_t image_px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

/* ---- an 8-bit guest with index cursors ---------------------------------- */

#define IC_W      64u
#define IC_H      48u
#define IC_FRAMES 6u
#define IC_CUR    8u

/* Palette `p`'s entry n. */
static void ic_rgb(uint32_t p, uint32_t n, uint8_t rgb[3])
{
    rgb[0] = (uint8_t)(n * 7u + p * 29u);
    rgb[1] = (uint8_t)(n ^ (p * 13u));
    rgb[2] = (uint8_t)(255u - n + p);
}

static void ic_palette(vgt_drv *d, uint32_t p)
{
    uint8_t rgb[256 * 3];
    for (uint32_t n = 0; n < 256; n++) {
        ic_rgb(p, n, &rgb[3u * n]);
    }
    vgt_drv_set_palette(d, 0, 256, rgb);
}

static uint8_t ic_bg(uint32_t x, uint32_t y)
{
    return (uint8_t)(x * 3u + y * 5u);
}

/* Definition k's AND value and XOR index at (x, y): every AND value
 * occurs over the definitions (0xFF and 0 included). */
static uint8_t ic_and(uint32_t k, uint32_t x, uint32_t y)
{
    return (uint8_t)(x * 37u + y * 11u + k * 101u);
}

static uint8_t ic_xor(uint32_t k, uint32_t x, uint32_t y)
{
    return (x + y + k) % 5u == 0 ? 0u : (uint8_t)(x * 13u + y * 7u + k * 3u);
}

static uint32_t ic_cursor_x(uint32_t f)
{
    return 4u + 9u * f;
}

/* Each even step f: palette f, the whole screen shown by UPDATE, an 8x8
 * block of other indices copied by RECT_COPY to under the cursor (8-bit
 * AND and XOR masks: an index cursor, redefined at step 3); every step the
 * cursor moves on 9 pixels (at odd steps over indices the previous step
 * showed, VRAM unchanged), then (after a fence) palette 100 + f is written,
 * which re-colours the cursor only, and a one-pixel UPDATE away from it
 * ends a frame. */
static int index_cursor_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    if (vgt_drv_init(&d, g, &err) != VGT_OK ||
        vgt_drv_set_mode(&d, IC_W, IC_H, 8, &err) != VGT_OK) {
        vgt_drv_fini(&d);
        return 2;
    }
    for (uint32_t y = 0; y < IC_H; y++) {
        for (uint32_t x = 0; x < IC_W; x++) {
            d.fb[(size_t)y * d.pitch + x] = ic_bg(x, y);
        }
    }
    for (uint32_t f = 0; f < IC_FRAMES && !d.failed; f++) {
        bool even = f % 2u == 0;
        if (even) {
            ic_palette(&d, f);
            vgt_drv_update(&d, 0, 0, IC_W, IC_H);
        }
        if (f == 0 || f == 3) {
            uint32_t k = f / 3u;
            vgt_svga_cmd_define_cursor info = {
                .width = IC_CUR, .height = IC_CUR, .and_mask_depth = 8, .xor_mask_depth = 8};
            void *am, *xm;
            if (vgt_drv_begin_define_cursor(&d, &info, &am, &xm)) {
                for (uint32_t y = 0; y < IC_CUR; y++) {
                    for (uint32_t x = 0; x < IC_CUR; x++) {
                        ((uint8_t *)am)[y * IC_CUR + x] = ic_and(k, x, y);
                        ((uint8_t *)xm)[y * IC_CUR + x] = ic_xor(k, x, y);
                    }
                }
                vgt_drv_fifo_commit_all(&d);
            }
        }
        if (even) {
            vgt_drv_rect_copy(&d, 48, 36, ic_cursor_x(f), 8, IC_CUR, IC_CUR);
        }
        vgt_drv_move_cursor(&d, 1, ic_cursor_x(f), 8);
        vgt_drv_sync_to_fence(&d, vgt_drv_insert_fence(&d));
        ic_palette(&d, 100u + f);               /* the screen keeps palette f's colours */
        vgt_drv_update(&d, 0, IC_H - 1u, 1, 1); /* a frame: one pixel away from the cursor */
        vgt_drv_sync_to_fence(&d, vgt_drv_insert_fence(&d));
    }
    int rc = d.failed ? 2 : 0;
    vgt_drv_fini(&d);
    return rc;
}

/* The 8-bit guest with index cursors (every AND value, palette writes
 * that re-colour the cursor only, RECT_COPY under it): the last frame's
 * cursor shows palette 100+f's colour of (index & AND) ^ XOR over the
 * indices step 4 showed; the capture replays bit-exact on soft, and so
 * does one started two frames before the end (the snapshot carries the
 * index shadow and the index cursor, which that frame's cursor reads). */
static void test_capture_8bit_index_cursor(void **state)
{
    (void)state;
    char full[1200], part[1200];
    tmp_path(full, sizeof(full), "ic-full.vgt");
    tmp_path(part, sizeof(part), "ic-part.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    live_frames *live = calloc(1, sizeof(*live));
    run_result rr;
    run_captured_guest(&s, NULL, index_cursor_guest, NULL, live, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_true(rr.dev.frames >= IC_FRAMES && rr.dev.frames < MAX_FRAMES);
    assert_int_equal(live->cmd_count[VGT_SVGA_CMD_DEFINE_CURSOR], 2);
    const vgt_image *img = &live->img[rr.dev.frames - 1u];
    uint32_t f = IC_FRAMES - 1u, cx = ic_cursor_x(f);
    uint32_t checked = 0;
    for (uint32_t y = 0; y < IC_CUR; y++) {
        for (uint32_t x = 0; x < IC_CUR; x++) {
            /* step 5 (odd): over what step 4's UPDATE showed in palette 4 */
            uint8_t under = ic_bg(cx + x, 8u + y), a = ic_and(1, x, y), xo = ic_xor(1, x, y);
            uint8_t rgb[3];
            bool alone = a == 0xFFu && xo == 0;
            ic_rgb(alone ? f - 1u : 100u + f, alone ? under : (uint8_t)((under & a) ^ xo), rgb);
            uint32_t want = 0xFF000000u | (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
            if (image_px(img, cx + x, 8u + y) != want) {
                fail_msg("cursor (%u,%u): 0x%08x, expected 0x%08x", x, y,
                         image_px(img, cx + x, 8u + y), want);
            }
            checked++;
        }
    }
    assert_int_equal(checked, IC_CUR * IC_CUR);
    /* beside the cursor the screen keeps palette 4's colours */
    uint8_t rgb[3];
    ic_rgb(f - 1u, ic_bg(cx + IC_CUR, 8), rgb);
    assert_int_equal(image_px(img, cx + IC_CUR, 8),
                     0xFF000000u | (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2]);
    uint64_t frames = rr.dev.frames;
    assert_replays_live(full, live, 0, frames);

    /* started two frames before the end: inside step 5, whose cursor is
     * over indices only the snapshot's shadow knows are shown */
    s.path = part;
    s.start_frame = frames - 2u;
    run_captured_guest(&s, NULL, index_cursor_guest, NULL, NULL, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.dev.frames, frames);
    assert_replays_live(part, live, frames - 2u, 2);
    live_free(live);
    free(live);
}

/* The screens sample (SCREEN_OBJECT_2): screens whose base layers are
 * VRAM backing stores, drawn by blits (written into the stores, which
 * capture does not record) and by CPU writes shown by UPDATE (read from
 * the stores, recorded as DMA_DATA).  The full capture replays bit-exact
 * on soft and null; captures started at frame 5 and at 9 (the right screen
 * blanked: its store must come back at frame 11's redefinition, read from
 * the trace) replay their frames with the full capture's hashes: the
 * snapshot (EX2D version 3) carries each screen's store, and the 16/16
 * GMRFB the previous frame's read-back left defined (each frame's first
 * blit, the thumbnail, reads through it before any DEFINE_GMRFB). */
static void test_capture_backing_stores(void **state)
{
    (void)state;
    char full[1200], part[1200];
    tmp_path(full, sizeof(full), "so2-full.vgt");
    tmp_path(part, sizeof(part), "so2-part.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    live_frames *live = calloc(1, sizeof(*live));
    run_result rr;
    run_captured_sample(&s, "screens", 16, 320, 240, NULL, live, &rr);
    assert_int_equal(rr.exit_code, 0); /* 3: a read-back differed from the store */
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.dev.frames, 16);
    assert_true(live->hash[3] != live->hash[4]);
    /* frame 9: the right screen (x 160..319) blanked, the left not */
    assert_int_equal(image_px(&live->img[9], 200, 100), 0xFF000000u);
    assert_true(image_px(&live->img[9], 100, 100) != 0xFF000000u);
    assert_true(image_px(&live->img[11], 200, 100) != 0xFF000000u);
    vgt_replay_backend bes[] = {VGT_REPLAY_BACKEND_SOFT, VGT_REPLAY_BACKEND_NULL};
    vgt_replay_stats st;
    vgt_error err = {0};
    for (int b = 0; b < 2; b++) {
        replay_seen seen = {.live = live};
        assert_int_equal(replay_be(full, bes[b], &seen, &st, &err), VGT_OK);
        assert_int_equal(st.frames, 16);
        assert_int_equal(st.frames_verified, 16);
        assert_int_equal(seen.pixel_mismatches, 0);
        for (uint64_t f = 0; f < 16; f++) {
            assert_true(seen.seen[f] && seen.hash[f] == live->hash[f]);
        }
    }
    const uint64_t starts[] = {5, 9};
    for (int i = 0; i < 2; i++) {
        s.path = part;
        s.start_frame = starts[i];
        run_captured_sample(&s, "screens", 16, 320, 240, NULL, NULL, &rr);
        assert_int_equal(rr.exit_code, 0);
        assert_int_equal(rr.close_status, VGT_OK);
        assert_int_equal(rr.cap.start_frame, starts[i]);
        replay_seen ps = {.live = live};
        assert_int_equal(replay_be(part, VGT_REPLAY_BACKEND_SOFT, &ps, &st, &err), VGT_OK);
        assert_int_equal(st.first_frame, starts[i]);
        assert_int_equal(st.frames_verified, 16 - starts[i]);
        assert_int_equal(ps.pixel_mismatches, 0);
        for (uint64_t f = starts[i]; f < 16; f++) {
            assert_true(ps.seen[f] && ps.hash[f] == live->hash[f]);
        }
    }
    live_free(live);
    free(live);
}

/* A guest that defines screen 0 with a backing store at VRAM 64 KiB
 * (64x48, a pattern written first), then changes the store's top rows and
 * UPDATEs them: two frames. */
static int store_guest(vgt_guest *g, void *arg)
{
    (void)arg;
    vgt_drv drv;
    vgt_error err = {0};
    if (vgt_drv_init(&drv, g, &err) != VGT_OK ||
        vgt_drv_set_mode(&drv, 64, 48, 32, &err) != VGT_OK) {
        return 2;
    }
    const uint32_t off = 64u << 10, pitch = 256;
    for (uint32_t y = 0; y < 48; y++) {
        for (uint32_t x = 0; x < 64; x++) {
            vgt_store_le32(drv.fb + off + y * pitch + x * 4u, 0x00400000u | (y << 8) | x);
        }
    }
    vgt_svga_screen_object o = {.struct_size = VGT_SVGA_SCREEN_OBJECT_V2_BYTES,
                                .id = 0,
                                .flags = VGT_SVGA_SCREEN_MUST_BE_SET,
                                .width = 64,
                                .height = 48};
    o.backing_store.ptr.gmr_id = VGT_SVGA_GMR_FRAMEBUFFER;
    o.backing_store.ptr.offset = off;
    o.backing_store.pitch = pitch;
    vgt_drv_define_screen(&drv, &o);
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    memset(drv.fb + off, 0x7F, pitch * 4u);
    vgt_drv_update(&drv, 0, 0, 64, 4);
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    int rc = drv.failed ? 2 : 0;
    vgt_drv_fini(&drv);
    return rc;
}

/* The trace's header carries SCREEN_OBJECT_2 hidden, and the replay takes
 * it: the store ignored (the screen black, then the legacy framebuffer's
 * zeros) as it was live, verified; offered, the same guest shows its
 * store, and that replays verified too. */
static void test_capture_backing_stores_hidden(void **state)
{
    (void)state;
    const uint32_t hides[] = {VGT_SVGA_CAP_SCREEN_OBJECT_2, 0};
    for (int i = 0; i < 2; i++) {
        char path[1200];
        tmp_path(path, sizeof(path), i == 0 ? "so2-hidden.vgt" : "so2-offered.vgt");
        vgt_capture_settings s;
        quiet_settings(&s, path);
        live_frames *live = calloc(1, sizeof(*live));
        run_result rr;
        capture_hide_caps = hides[i];
        run_captured_guest(&s, NULL, store_guest, NULL, live, &rr);
        capture_hide_caps = 0;
        assert_int_equal(rr.exit_code, 0);
        assert_int_equal(rr.dev.errors, 0);
        assert_int_equal(rr.dev.frames, 2);
        uint32_t want0 = i == 0 ? 0xFF000000u : 0xFF400000u | (10u << 8) | 5u;
        uint32_t want1 = i == 0 ? 0xFF000000u : 0xFF7F7F7Fu;
        assert_int_equal(image_px(&live->img[0], 5, 10), want0);
        assert_int_equal(image_px(&live->img[1], 5, 2), want1);
        replay_seen seen = {.live = live};
        vgt_replay_stats st;
        vgt_error err = {0};
        assert_int_equal(replay_be(path, VGT_REPLAY_BACKEND_SOFT, &seen, &st, &err), VGT_OK);
        assert_int_equal(st.frames_verified, 2);
        assert_int_equal(seen.pixel_mismatches, 0);
        live_free(live);
        free(live);
    }
}

/* The flags of a trace's device configuration. */
static uint32_t trace_devcfg_flags(const char *path)
{
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    vgt_trace_reader *rd = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, &ro, &rd, &err), VGT_OK);
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    vgt_trace_device_config cfg;
    assert_int_equal(vgt_trace_devcfg_parse(h->device_config, h->device_config_size, &cfg, &err),
                     VGT_OK);
    vgt_trace_reader_close(rd);
    return cfg.flags;
}

/* The video sample: overlay units whose frames the device reads at each
 * FLUSH through the tapped guest memory.  The full capture replays
 * bit-exact on soft and null, pixel for pixel the live frames; captures
 * started at frame 12 (both units shown) and at 22 (unit 1 switched off,
 * its registers set) replay their frames with the live hashes: the
 * snapshot's EXVO section carries the units.  The filter is the header's:
 * a capture with the legacy one (an old trace) replays nearest. */
static void test_capture_video(void **state)
{
    (void)state;
    char full[1200], part[1200];
    tmp_path(full, sizeof(full), "video-full.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    live_frames *live = calloc(1, sizeof(*live));
    run_result rr;
    run_captured_sample(&s, "video", 32, 320, 240, NULL, live, &rr);
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    assert_int_equal(rr.dev.frames, 32);
    /* the colour-keyed unit 1 covers its key box (198..303 x 144..223 at
     * 320x240; unit 0 reaches row 203) but for frames 20..24, when it is off */
    assert_true(image_px(&live->img[12], 251, 215) != 0xFFFF00FFu);
    assert_int_equal(image_px(&live->img[22], 251, 215), 0xFFFF00FFu);
    assert_true(image_px(&live->img[25], 251, 215) != 0xFFFF00FFu);

    const vgt_replay_backend bes[2] = {VGT_REPLAY_BACKEND_SOFT, VGT_REPLAY_BACKEND_NULL};
    for (int i = 0; i < 2; i++) {
        replay_seen seen = {.live = live};
        vgt_replay_stats st;
        vgt_error err = {0};
        assert_int_equal(replay_be(full, bes[i], &seen, &st, &err), VGT_OK);
        assert_int_equal(st.frames_verified, 32);
        assert_int_equal(st.commands, rr.dev.commands);
        assert_int_equal(seen.pixel_mismatches, 0);
    }
    /* the filter is in the header: this capture's is bilinear */
    assert_int_equal(trace_devcfg_flags(full) & VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR,
                     VGT_TRACE_DEVCFG_F_VIDEO_BILINEAR);

    /* A trace as vgt wrote before the bilinear filter: the device drew
     * nearest and the header has no filter flag.  It replays nearest, pixel
     * for pixel the live frames, and verifies; those frames differ from the
     * bilinear ones wherever a scaled unit shows. */
    char old[1200];
    tmp_path(old, sizeof(old), "video-nearest.vgt");
    s.path = old;
    live_frames *live_old = calloc(1, sizeof(*live_old));
    capture_video_nearest = true;
    run_captured_sample(&s, "video", 32, 320, 240, NULL, live_old, &rr);
    capture_video_nearest = false;
    assert_int_equal(rr.exit_code, 0);
    assert_int_equal(rr.dev.errors, 0);
    assert_int_equal(rr.close_status, VGT_OK);
    /* no flag at all (no 3D either): the header as vgt wrote it before */
    assert_int_equal(trace_devcfg_flags(old), 0);
    uint32_t differ = 0;
    for (uint32_t f = 0; f < 32; f++) {
        differ += live_old->hash[f] != live->hash[f];
    }
    assert_int_equal(differ, 32);
    /* unit 0 (YUY2 160x120 shown 240x180 at (tri(6f), 24)): frame 0's
     * destination (1, 1) is nearest source (0, 0) with its pair's chroma,
     * bilinear a blend */
    assert_true(image_px(&live_old->img[0], 1, 25) != image_px(&live->img[0], 1, 25));
    for (int i = 0; i < 2; i++) {
        replay_seen seen = {.live = live_old};
        vgt_replay_stats st;
        vgt_error err = {0};
        assert_int_equal(replay_be(old, bes[i], &seen, &st, &err), VGT_OK);
        assert_int_equal(st.frames_verified, 32);
        assert_int_equal(seen.pixel_mismatches, 0);
    }
    live_free(live_old);
    free(live_old);
    s.path = full;

    const uint32_t starts[2] = {12, 22};
    for (int i = 0; i < 2; i++) {
        snprintf(part, sizeof(part), "%s/video-%u.vgt", tmpdir, starts[i]);
        s.path = part;
        s.start_frame = starts[i];
        s.frame_count = 8;
        run_result pr;
        run_captured_sample(&s, "video", 32, 320, 240, NULL, NULL, &pr);
        assert_int_equal(pr.exit_code, 0);
        assert_int_equal(pr.close_status, VGT_OK);
        assert_int_equal(pr.cap.frames, 8);
        replay_seen b = {0};
        vgt_replay_stats sb;
        vgt_error err = {0};
        assert_int_equal(replay_be(part, VGT_REPLAY_BACKEND_SOFT, &b, &sb, &err), VGT_OK);
        assert_int_equal(sb.first_frame, starts[i]);
        assert_int_equal(sb.frames_verified, 8);
        for (uint32_t f = starts[i]; f < starts[i] + 8u; f++) {
            assert_true(b.seen[f]);
            assert_true(b.hash[f] == live->hash[f]);
        }
    }
    live_free(live);
    free(live);
}

/* ---- vgt trim ------------------------------------------------------------------- */

/* The FRAME_HASH records of a trace, by guest frame. */
typedef struct trace_hashes {
    uint64_t hash[MAX_FRAMES];
    bool have[MAX_FRAMES];
} trace_hashes;

static void read_hashes(const char *path, trace_hashes *h)
{
    memset(h, 0, sizeof(*h));
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    vgt_trace_record rec;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        vgt_trace_frame_hash fh;
        if (rec.type == VGT_REC_FRAME_HASH) {
            assert_int_equal(vgt_trace_frame_hash_parse(&rec, &fh, &err), VGT_OK);
            assert_true(fh.frame < MAX_FRAMES);
            h->hash[fh.frame] = fh.hash;
            h->have[fh.frame] = true;
        }
    }
    vgt_trace_reader_close(r);
}

static vgt_status trim(const char *in, const char *out, uint64_t a, uint64_t b, bool salvage,
                       vgt_trim_stats *st, vgt_error *err)
{
    vgt_trim_options o = {
        .first_frame = a,
        .last_frame = b,
        .backend = VGT_REPLAY_BACKEND_AS_CAPTURED,
        .salvage = salvage,
    };
    return vgt_trim(in, out, &o, st, err);
}

/* OUT holds IN's records of guest frames a..b as they are (after the
 * snapshot trim wrote at a, when `snapshot`), and nothing else; its header
 * is IN's with start frame a. */
static void check_copied(const char *in, const char *out, uint64_t a, uint64_t b, bool snapshot)
{
    vgt_trace_reader *ri = NULL, *ro = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(in, NULL, &ri, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_open(out, NULL, &ro, &err), VGT_OK);
    const vgt_trace_header *hi = vgt_trace_reader_header(ri), *ho = vgt_trace_reader_header(ro);
    assert_int_equal(ho->start_frame, a);
    assert_int_equal(ho->protocol_id, hi->protocol_id);
    assert_string_equal(ho->protocol_name, hi->protocol_name);
    assert_non_null(strstr(ho->creator, " trim"));
    assert_int_equal(ho->device_config_size, hi->device_config_size);
    assert_memory_equal(ho->device_config, hi->device_config, hi->device_config_size);
    vgt_trace_info info;
    vgt_trace_reader_info(ro, &info);
    assert_true(info.footer_present);
    assert_int_equal(info.problems, 0);
    assert_int_equal(info.complete_frames, b - a + 1u);

    vgt_trace_record r1, r2;
    if (snapshot) {
        assert_int_equal(vgt_trace_reader_next(ro, &r2, &err), VGT_OK);
        assert_int_equal(r2.type, VGT_REC_SNAPSHOT);
        assert_int_equal(r2.frame, 0);
        uint64_t frame, next_seq;
        size_t pos;
        assert_int_equal(vgt_trace_snapshot_parse(&r2, &frame, &next_seq, &pos, &err), VGT_OK);
        assert_int_equal(frame, a);
    }
    assert_int_equal(vgt_trace_reader_seek_frame(ri, a - hi->start_frame, &err), VGT_OK);
    uint64_t copied = 0;
    for (;;) {
        vgt_status si = vgt_trace_reader_next(ri, &r1, &err);
        if (si == VGT_E_END || hi->start_frame + r1.frame > b) {
            break;
        }
        assert_int_equal(si, VGT_OK);
        assert_int_equal(vgt_trace_reader_next(ro, &r2, &err), VGT_OK);
        assert_int_equal(r2.type, r1.type);
        assert_int_equal(r2.flags, r1.flags);
        assert_int_equal(r2.timestamp_ns, r1.timestamp_ns);
        assert_int_equal(ho->start_frame + r2.frame, hi->start_frame + r1.frame);
        assert_int_equal(r2.size, r1.size);
        if (r1.size) {
            assert_memory_equal(r2.payload, r1.payload, r1.size);
        }
        copied++;
    }
    assert_true(copied > b - a);
    assert_int_equal(vgt_trace_reader_next(ro, &r2, &err), VGT_E_END);
    vgt_trace_reader_close(ri);
    vgt_trace_reader_close(ro);
}

/* Replays OUT on soft: frames a..b exactly, each with the full capture's
 * hash. */
static void check_trim_replay(const char *out, const trace_hashes *full, uint64_t a, uint64_t b)
{
    replay_seen seen = {0};
    vgt_replay_stats st;
    vgt_error err = {0};
    vgt_status rs = replay_be(out, VGT_REPLAY_BACKEND_SOFT, &seen, &st, &err);
    if (rs != VGT_OK) {
        fprintf(stderr, "replay %s: %s\n", out, err.message);
    }
    assert_int_equal(rs, VGT_OK);
    assert_int_equal(st.first_frame, a);
    assert_int_equal(st.last_frame, b);
    assert_int_equal(st.frames, b - a + 1u);
    assert_int_equal(st.frames_verified, b - a + 1u);
    for (uint64_t f = 0; f < MAX_FRAMES; f++) {
        assert_int_equal(seen.seen[f], f >= a && f <= b);
        if (seen.seen[f]) {
            assert_true(full->have[f]);
            assert_true(seen.hash[f] == full->hash[f]);
        }
    }
}

/* Trims in to out at a..b, `replayed` frames replayed to a (0: no
 * snapshot), and checks the cut: IN's records, the frames of the full
 * capture (hashes h). */
static void check_trim(const char *in, const char *out, uint64_t a, uint64_t b, uint64_t replayed,
                       const trace_hashes *h, vgt_trim_stats *ts)
{
    vgt_error err = {0};
    vgt_status st = trim(in, out, a, b, false, ts, &err);
    if (st != VGT_OK) {
        fprintf(stderr, "trim %s: %s\n", in, err.message);
    }
    assert_int_equal(st, VGT_OK);
    assert_int_equal(ts->snapshot, replayed > 0);
    assert_int_equal(ts->frames_replayed, replayed);
    assert_int_equal(ts->frames, b - a + 1u);
    assert_int_equal(ts->first_frame, a);
    assert_int_equal(ts->last_frame, b);
    assert_int_equal(ts->chunks_skipped, 0);
    check_copied(in, out, a, b, replayed > 0);
    check_trim_replay(out, h, a, b);
}

/* Captures `sample` (be NULL: a device without 3D, at the sample's own
 * mode; else at 320x240, which keeps the soft backend's frames quick;
 * start: the capture's start frame) for `frames` frames into path. */
static void capture_for_trim(const char *path, const char *sample, const vgt_backend_kind *be,
                             uint32_t frames, uint64_t start)
{
    vgt_capture_settings s;
    quiet_settings(&s, path);
    s.start_frame = start;
    run_result r;
    run_captured_sample(&s, sample, frames, be ? 320 : 0, be ? 240 : 0, be, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.dev.errors, 0);
    assert_int_equal(r.close_status, VGT_OK);
    assert_int_equal(r.cap.start_frame, start);
    assert_int_equal(r.cap.frames, frames - start);
}

/* Captures `sample` for 24 frames on soft (be NULL: a device without 3D),
 * trims 10-20 and 0-5, and replays both cuts. */
static void check_trim_sample(const char *sample, const vgt_backend_kind *be)
{
    char full[1200], cut[1200], head[1200];
    snprintf(full, sizeof(full), "%s/trim-%s.vgt", tmpdir, sample);
    snprintf(cut, sizeof(cut), "%s/trim-%s-10-20.vgt", tmpdir, sample);
    snprintf(head, sizeof(head), "%s/trim-%s-0-5.vgt", tmpdir, sample);
    capture_for_trim(full, sample, be, 24, 0);
    trace_hashes h;
    read_hashes(full, &h);
    vgt_trim_stats ts;
    check_trim(full, cut, 10, 20, 10, &h, &ts);
    assert_false(ts.snapshot_3d.contents_zero);
    if (be) {
        assert_true(ts.snapshot_3d.surfaces > 0 && ts.snapshot_3d.content_bytes > 0);
    }
    check_trim(full, head, 0, 5, 0, &h, &ts);
}

/* cube; textured (textures); deferred (render targets, COLOR1 bound and
 * unbound every frame) */
static void test_trim_3d(void **state)
{
    (void)state;
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    static const char *samples[] = {"cube", "textured", "deferred"};
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        check_trim_sample(samples[i], &be);
    }
}

static void test_trim_2d_demo(void **state)
{
    (void)state;
    check_trim_sample("2d-demo", NULL);
}

/* A capture started at frame 6: trimmed at 12-15 (a new snapshot, from
 * IN's own and frames 6..11) and at 6-8 (IN's own snapshot, copied). */
static void test_trim_mid_run(void **state)
{
    (void)state;
    char full[1200], part[1200], cut[1200], head[1200];
    tmp_path(full, sizeof(full), "trim-mid-full.vgt");
    tmp_path(part, sizeof(part), "trim-mid-6.vgt");
    tmp_path(cut, sizeof(cut), "trim-mid-12-15.vgt");
    tmp_path(head, sizeof(head), "trim-mid-6-8.vgt");
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    capture_for_trim(full, "cube", &be, 20, 0);
    capture_for_trim(part, "cube", &be, 20, 6);
    trace_hashes h;
    read_hashes(full, &h);
    vgt_trim_stats ts;
    check_trim(part, cut, 12, 15, 6, &h, &ts);
    check_trim(part, head, 6, 8, 0, &h, &ts); /* its first record: IN's snapshot */
    vgt_trace_reader *rd = NULL;
    vgt_trace_record rec;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(head, NULL, &rd, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_OK);
    assert_int_equal(rec.type, VGT_REC_SNAPSHOT);
    vgt_trace_reader_close(rd);

    /* before the trace's start */
    assert_int_equal(trim(part, head, 5, 8, false, &ts, &err), VGT_E_NOTFOUND);
    assert_non_null(strstr(err.message, "starts at guest frame 6"));
}

/* A guest that moves the legacy cursor by CURSOR_X alone after frame 0 and
 * sets WIDTH alone at frame 15: a replay from a snapshot shows them right
 * only with the register values the snapshot restores. */
/* When a cursor_reg_guest's arg is an attach_gate, the guest waits after
 * frame `at` until the capture is attached (reached, then attached). */
typedef struct attach_gate {
    uint32_t at;
    atomic_bool reached, attached;
} attach_gate;

static int cursor_reg_guest(vgt_guest *g, void *arg)
{
    attach_gate *gate = arg;
    vgt_drv drv;
    vgt_error err = {0};
    if (vgt_drv_init(&drv, g, &err) != VGT_OK ||
        vgt_drv_set_mode(&drv, 320, 240, 32, &err) != VGT_OK) {
        return 1;
    }
    uint32_t *px = vgt_drv_begin_define_alpha_cursor(&drv, 0, 0, 8, 8);
    if (!px) {
        return 1;
    }
    for (uint32_t i = 0; i < 64; i++) {
        px[i] = 0xFFFF00FFu;
    }
    vgt_drv_fifo_commit_all(&drv);
    for (uint32_t f = 0; f < 24 && !drv.failed; f++) {
        uint32_t *fb = (uint32_t *)drv.fb;
        for (uint32_t x = 0; x < 320; x++) {
            fb[(f % 240u) * 320u + x] = 0xFF000000u | (f * 0x0A0B0Cu);
        }
        if (f == 15) {
            /* the FIFO is idle (frame 14's fence passed) */
            vgt_drv_write_reg(&drv, VGT_SVGA_REG_WIDTH, 256);
        }
        vgt_drv_update(&drv, 0, 0, f >= 15 ? 256 : 320, 240);
        if (f == 0) {
            vgt_drv_write_reg(&drv, VGT_SVGA_REG_CURSOR_ID, 0);
            vgt_drv_write_reg(&drv, VGT_SVGA_REG_CURSOR_Y, 30);
            vgt_drv_write_reg(&drv, VGT_SVGA_REG_CURSOR_ON, VGT_SVGA_CURSOR_ON_SHOW);
        }
        vgt_drv_write_reg(&drv, VGT_SVGA_REG_CURSOR_X, 20u + 7u * f);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
        if (gate && f == gate->at) {
            atomic_store(&gate->reached, true);
            while (!atomic_load(&gate->attached)) {
                usleep(200);
            }
        }
    }
    int rc = drv.failed ? 1 : 0;
    vgt_drv_fini(&drv);
    return rc;
}

typedef struct attacher {
    attach_gate *gate;
    vgt_capture *cap;
    vgt_device *dev;
    vgt_status st;
    uint32_t fence_at_attach; /* the FIFO's FENCE register when attaching */
} attacher;

static void *attach_thread(void *arg)
{
    attacher *a = arg;
    while (!atomic_load(&a->gate->reached)) {
        usleep(200);
    }
    vgt_error err = {0};
    /* the guest waits at the gate, its last fence passed: the register
     * holds still */
    a->fence_at_attach =
        __atomic_load_n(&vgt_device_fifo(a->dev, NULL)[VGT_SVGA_FIFO_FENCE], __ATOMIC_ACQUIRE);
    a->st = vgt_capture_attach(a->cap, a->dev, &err);
    atomic_store(&a->gate->attached, true);
    return NULL;
}

/* Runs `guest` in a VM of cfg with arg an attach_gate at frame `at`, and
 * the capture of s attached from another thread when the guest reaches
 * it; detaches and closes the capture (its stats in *cs).  The FIFO's
 * FENCE register at the attach goes to *fence_at_attach. */
static void run_attached(const vgt_capture_settings *s, const vgt_vm_config *cfg,
                         vgt_guest_main guest, uint32_t at, uint32_t *fence_at_attach,
                         vgt_capture_stats *cs)
{
    vgt_error err = {0};
    vgt_capture *cap = NULL;
    assert_int_equal(vgt_capture_create(s, &cap, &err), VGT_OK);
    vgt_vm *vm = NULL;
    assert_int_equal(vgt_vm_create(cfg, &vm, &err), VGT_OK);
    attach_gate gate = {.at = at};
    attacher a = {&gate, cap, vgt_vm_device(vm), VGT_E_STATE, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, attach_thread, &a), 0);
    int code = -1;
    assert_int_equal(vgt_vm_run(vm, guest, &gate, &code, &err), VGT_OK);
    pthread_join(th, NULL);
    assert_int_equal(code, 0);
    assert_int_equal(a.st, VGT_OK);
    vgt_capture_detach(cap);
    vgt_vm_destroy(vm);
    assert_int_equal(vgt_capture_close(cap, cs, &err), VGT_OK);
    if (fence_at_attach) {
        *fence_at_attach = a.fence_at_attach;
    }
}

/* A capture attached to a running device (not installed: the embedding
 * API's late attach) starts at the next frame boundary from a snapshot
 * whose registers are the device's: the guest moves its legacy cursor by
 * CURSOR_X alone after that, and the replay shows every captured frame as
 * live only when CURSOR_ON and CURSOR_Y came with the snapshot. */
static void test_capture_attach_running(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "attach-running.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    /* limits other than the defaults: the header must carry the device's */
    cfg.device.max_width = 1600;
    cfg.device.max_height = 1200;
    cfg.device.gmr_max_ids = 32;
    live_frames *live = calloc(1, sizeof(*live));
    assert_non_null(live);
    cfg.device.taps.ctx = live;
    cfg.device.taps.frame_end = live_frame_end;
    s.chain = cfg.device.taps; /* the live-frame tap runs on after the attach */
    vgt_capture_stats cs;
    run_attached(&s, &cfg, cursor_reg_guest, 5, NULL, &cs);
    /* the trace's header has the device's configuration (it had the
     * defaults: a late attach took an optional setting, usually unset) */
    vgt_error herr = {0};
    vgt_trace_reader *rd = NULL;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &rd, &herr), VGT_OK);
    const vgt_trace_header *h = vgt_trace_reader_header(rd);
    vgt_trace_device_config dc;
    assert_int_equal(vgt_trace_devcfg_parse(h->device_config, h->device_config_size, &dc, &herr),
                     VGT_OK);
    assert_int_equal(dc.max_width, 1600);
    assert_int_equal(dc.max_height, 1200);
    assert_int_equal(dc.gmr_max_ids, 32);
    assert_int_equal(dc.flags & VGT_TRACE_DEVCFG_F_3D, 0);
    vgt_trace_reader_close(rd);
    /* frames 0..5 ran before the attach, frame 6's end is the first
     * boundary the capture sees: it starts at 7 */
    assert_int_equal(cs.start_frame, 7);
    assert_int_equal(cs.frames, 17);

    replay_seen seen = {.live = live};
    vgt_replay_stats st;
    vgt_error err = {0};
    vgt_status rs = replay_be(path, VGT_REPLAY_BACKEND_NULL, &seen, &st, &err);
    if (rs != VGT_OK) {
        fail_msg("replay: %s", err.message);
    }
    assert_int_equal(st.first_frame, 7);
    assert_int_equal(st.frames_verified, 17);
    assert_int_equal(seen.pixel_mismatches, 0);
    for (uint64_t f = 7; f < 24; f++) {
        assert_true(seen.seen[f] && seen.hash[f] == live->hash[f]);
    }
    live_free(live);
    free(live);
}

static void test_trim_registers(void **state)
{
    (void)state;
    char full[1200], cut[1200];
    tmp_path(full, sizeof(full), "trim-regs.vgt");
    tmp_path(cut, sizeof(cut), "trim-regs-10-20.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    run_result r;
    run_captured_guest(&s, NULL, cursor_reg_guest, NULL, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.dev.errors, 0);
    assert_int_equal(r.close_status, VGT_OK);
    assert_int_equal(r.cap.frames, 24);
    trace_hashes h;
    read_hashes(full, &h);
    /* the cursor moves: frames differ */
    assert_true(h.hash[10] != h.hash[11]);
    vgt_trim_stats ts;
    check_trim(full, cut, 10, 20, 10, &h, &ts);

    /* the REGS section: the mode and the cursor as frame 9 left them */
    vgt_error err = {0};
    vgt_trace_reader *rd = NULL;
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_open(cut, NULL, &rd, &err), VGT_OK);
    assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_OK);
    uint64_t frame, next_seq;
    size_t pos;
    assert_int_equal(vgt_trace_snapshot_parse(&rec, &frame, &next_seq, &pos, &err), VGT_OK);
    vgt_trace_snapshot_section sec;
    assert_int_equal(vgt_trace_snapshot_next(&rec, &pos, &sec, &err), VGT_OK);
    assert_int_equal(sec.tag, VGT_TRACE_SNAP_REGS);
    uint32_t want[][2] = {
        {VGT_SVGA_REG_ENABLE, 1},
        {VGT_SVGA_REG_WIDTH, 320},
        {VGT_SVGA_REG_HEIGHT, 240},
        {VGT_SVGA_REG_BITS_PER_PIXEL, 32},
        {VGT_SVGA_REG_CURSOR_X, 20u + 7u * 9u},
        {VGT_SVGA_REG_CURSOR_Y, 30},
        {VGT_SVGA_REG_CURSOR_ON, VGT_SVGA_CURSOR_ON_SHOW},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        bool found = false;
        for (uint64_t k = 0; k + 8 <= sec.size; k += 8) {
            if (vgt_load_le32(sec.data + k) == want[i][0]) {
                assert_int_equal(vgt_load_le32(sec.data + k + 4), want[i][1]);
                found = true;
            }
        }
        assert_true(found);
    }
    vgt_trace_reader_close(rd);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Bad ranges, OUT = IN, and a damaged chunk: with and without salvage. */
static void test_trim_errors(void **state)
{
    (void)state;
    char full[1200], bad[1200], cut[1200];
    tmp_path(full, sizeof(full), "trim-err.vgt");
    tmp_path(bad, sizeof(bad), "trim-err-bad.vgt");
    tmp_path(cut, sizeof(cut), "trim-err-cut.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    s.chunk_size = 4096; /* many chunks */
    run_result r;
    run_captured(&s, 24, NULL, &r);
    assert_int_equal(r.close_status, VGT_OK);
    vgt_trim_stats ts;
    vgt_error err = {0};
    unlink(cut);
    assert_int_equal(trim(full, cut, 20, 10, false, &ts, &err), VGT_E_INVALID);
    assert_int_equal(trim(full, full, 10, 20, false, &ts, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "the output is the input"));
    assert_int_equal(trim(full, cut, 10, 24, false, &ts, &err), VGT_E_NOTFOUND);
    assert_non_null(strstr(err.message, "0..23"));
    assert_false(file_exists(cut));

    /* a chunk of frame 15 damaged (a byte of its compressed body) */
    char cmd[4000];
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", full, bad);
    assert_int_equal(system(cmd), 0);
    vgt_trace_reader *rd = NULL;
    assert_int_equal(vgt_trace_reader_open(full, NULL, &rd, &err), VGT_OK);
    vgt_trace_chunk_info ci = {0};
    uint64_t n = vgt_trace_reader_chunk_count(rd), victim = UINT64_MAX;
    for (uint64_t i = 0; i < n && victim == UINT64_MAX; i++) {
        assert_true(vgt_trace_reader_chunk(rd, i, &ci));
        if (ci.first_frame >= 15 && ci.first_frame <= 18) {
            victim = i;
        }
    }
    vgt_trace_reader_close(rd);
    assert_true(victim != UINT64_MAX);
    FILE *f = fopen(bad, "r+b");
    assert_non_null(f);
    uint64_t at = ci.offset + ci.compressed_size / 2u + 64u;
    assert_int_equal(fseek(f, (long)at, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, (long)at, SEEK_SET), 0);
    fputc(c ^ 0x5A, f);
    fclose(f);

    /* without salvage: an error naming the chunk, and no OUT (an old one
     * removed too) */
    f = fopen(cut, "wb");
    assert_non_null(f);
    fclose(f);
    vgt_status st = trim(bad, cut, 10, 20, false, &ts, &err);
    assert_true(st == VGT_E_CHECKSUM || st == VGT_E_FORMAT);
    char want[64];
    snprintf(want, sizeof(want), "chunk %" PRIu64, victim);
    assert_non_null(strstr(err.message, want));
    assert_false(file_exists(cut));
    /* with salvage: the chunk skipped and counted, OUT complete */
    assert_int_equal(trim(bad, cut, 10, 20, true, &ts, &err), VGT_OK);
    assert_int_equal(ts.chunks_skipped, 1);
    assert_int_equal(ts.frames, 11);
    assert_int_equal(vgt_trace_reader_open(cut, NULL, &rd, &err), VGT_OK);
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    assert_true(info.footer_present);
    assert_int_equal(info.problems, 0);
    assert_int_equal(info.complete_frames, 11);
    vgt_trace_reader_close(rd);
}

/* ---- vgt trim --calls ----------------------------------------------------------- */

/* The commands of a trace in order (words copied), with the record holding
 * each, and per guest frame the last command its FRAME_HASH names. */
typedef struct trace_cmds {
    size_t n, cap;
    uint64_t *seq, *frame, *rec_first, *rec_last;
    uint32_t *nwords;
    uint8_t **words;
    uint64_t last_seq[MAX_FRAMES];
    bool ended[MAX_FRAMES];
    bool snapshot; /* its first record is a SNAPSHOT */
    uint64_t snap_frame, snap_next;
    uint8_t *ex2d; /* the snapshot's EX2D section (copy) */
    size_t ex2d_size;
    /* the TIMING entries in order: seq, start - fetch, end - start */
    size_t ntimed, timed_cap;
    uint64_t (*timed)[3];
} trace_cmds;

static void read_cmds(const char *path, trace_cmds *c)
{
    memset(c, 0, sizeof(*c));
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    uint64_t start = vgt_trace_reader_header(r)->start_frame;
    vgt_trace_record rec;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (rec.seq == 0 && rec.type == VGT_REC_SNAPSHOT) {
            size_t pos;
            c->snapshot = true;
            assert_int_equal(
                vgt_trace_snapshot_parse(&rec, &c->snap_frame, &c->snap_next, &pos, &err), VGT_OK);
            vgt_trace_snapshot_section sec;
            while (vgt_trace_snapshot_next(&rec, &pos, &sec, &err) == VGT_OK) {
                if (sec.tag == VGT_TRACE_SNAP_EX2D) {
                    c->ex2d = malloc(sec.size);
                    assert_non_null(c->ex2d);
                    memcpy(c->ex2d, sec.data, sec.size);
                    c->ex2d_size = sec.size;
                }
            }
        }
        if (rec.type == VGT_REC_FRAME_HASH) {
            vgt_trace_frame_hash fh;
            assert_int_equal(vgt_trace_frame_hash_parse(&rec, &fh, &err), VGT_OK);
            assert_true(fh.frame < MAX_FRAMES);
            c->last_seq[fh.frame] = fh.last_seq;
            c->ended[fh.frame] = true;
        }
        if (rec.type == VGT_REC_TIMING) {
            vgt_trace_timing tm;
            assert_int_equal(vgt_trace_timing_parse(&rec, &tm, &err), VGT_OK);
            for (uint32_t i = 0; i < tm.count; i++) {
                if (c->ntimed == c->timed_cap) {
                    c->timed_cap = c->timed_cap ? 2 * c->timed_cap : 1024;
                    c->timed = realloc(c->timed, c->timed_cap * sizeof(c->timed[0]));
                    assert_non_null(c->timed);
                }
                uint32_t q, e;
                vgt_trace_timing_get(&tm, i, &q, &e);
                c->timed[c->ntimed][0] = tm.first_seq + i;
                c->timed[c->ntimed][1] = q;
                c->timed[c->ntimed++][2] = e;
            }
        }
        if (!vgt_trace_is_commands(rec.type)) {
            continue;
        }
        vgt_trace_commands b;
        assert_int_equal(vgt_trace_commands_parse(&rec, &b, &err), VGT_OK);
        vgt_trace_command cmd;
        while (vgt_trace_commands_next(&b, &cmd)) {
            if (c->n == c->cap) {
                c->cap = c->cap ? 2 * c->cap : 1024;
                c->seq = realloc(c->seq, c->cap * sizeof(uint64_t));
                c->frame = realloc(c->frame, c->cap * sizeof(uint64_t));
                c->rec_first = realloc(c->rec_first, c->cap * sizeof(uint64_t));
                c->rec_last = realloc(c->rec_last, c->cap * sizeof(uint64_t));
                c->nwords = realloc(c->nwords, c->cap * sizeof(uint32_t));
                c->words = realloc(c->words, c->cap * sizeof(uint8_t *));
                assert_true(c->seq && c->frame && c->rec_first && c->rec_last && c->nwords &&
                            c->words);
            }
            size_t i = c->n++;
            c->seq[i] = cmd.seq;
            c->frame[i] = start + rec.frame;
            c->rec_first[i] = b.first_seq;
            c->rec_last[i] = b.first_seq + b.count - 1u;
            c->nwords[i] = cmd.nwords;
            c->words[i] = malloc((size_t)cmd.nwords * 4u);
            assert_non_null(c->words[i]);
            memcpy(c->words[i], cmd.words, (size_t)cmd.nwords * 4u);
        }
    }
    vgt_trace_reader_close(r);
}

static void cmds_free(trace_cmds *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->words[i]);
    }
    free(c->seq);
    free(c->frame);
    free(c->rec_first);
    free(c->rec_last);
    free(c->nwords);
    free(c->words);
    free(c->ex2d);
    free(c->timed);
}

static size_t cmd_index(const trace_cmds *c, uint64_t seq)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->seq[i] == seq) {
            return i;
        }
    }
    fail_msg("no command %" PRIu64, seq);
    return 0;
}

/* The seq of command k (from 0) of guest frame f. */
static uint64_t frame_cmd(const trace_cmds *c, uint64_t f, size_t k)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->frame[i] == f) {
            assert_true(i + k < c->n && c->frame[i + k] == f);
            return c->seq[i + k];
        }
    }
    fail_msg("no command in frame %" PRIu64, f);
    return 0;
}

/* The executor's display state (EX2D) right before command `seq` executes
 * in a replay of path: what a snapshot before seq must hold, found without
 * the replayer's stop (its cmd_begin hook). */
typedef struct state_at {
    vgt_replayer *r;
    uint64_t seq;
    uint8_t *ex2d;
    size_t size;
} state_at;

static void save_state_at(void *ctx, uint64_t seq, const vgt_cmd *cmd)
{
    (void)cmd;
    state_at *s = ctx;
    vgt_error err = {0};
    if (seq == s->seq && !s->ex2d) {
        assert_int_equal(
            vgt_executor_snapshot_save(vgt_replayer_executor(s->r), &s->ex2d, &s->size, &err),
            VGT_OK);
    }
}

static void state_before(const char *path, uint64_t seq, state_at *s)
{
    memset(s, 0, sizeof(*s));
    s->seq = seq;
    vgt_replay_instrument ins = {.ctx = s, .cmd_begin = save_state_at};
    vgt_replayer_options o = {
        .backend = VGT_REPLAY_BACKEND_AS_CAPTURED, .last_frame = UINT64_MAX, .instrument = &ins};
    vgt_error err = {0};
    assert_int_equal(vgt_replayer_open(path, &o, &s->r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_run(s->r, NULL, &err), VGT_OK);
    vgt_replayer_close(s->r);
    assert_non_null(s->ex2d);
}

static vgt_status trim_calls(const char *in, const char *out, uint64_t a, uint64_t b, bool salvage,
                             vgt_trim_stats *st, vgt_error *err)
{
    vgt_trim_options o = {
        .calls = true,
        .first_call = a,
        .last_call = b,
        .backend = VGT_REPLAY_BACKEND_AS_CAPTURED,
        .salvage = salvage,
    };
    return vgt_trim(in, out, &o, st, err);
}

/* Cuts commands a..b of in (its commands ic, its frame hashes h) into out
 * and checks the cut: exactly IN's commands a..b, word for word; the
 * snapshot (when a is not in's first command) before a, at a's frame, with
 * the display state a replay of in has right before a (check_state); every
 * complete frame of out replays on soft with the full capture's hash. */
static void check_calls(const char *in, const char *out, const trace_cmds *ic,
                        const trace_hashes *h, uint64_t a, uint64_t b, bool check_state)
{
    vgt_trim_stats ts;
    vgt_error err = {0};
    vgt_status st = trim_calls(in, out, a, b, false, &ts, &err);
    if (st != VGT_OK) {
        fprintf(stderr, "trim --calls %" PRIu64 "-%" PRIu64 " %s: %s\n", a, b, in, err.message);
    }
    assert_int_equal(st, VGT_OK);
    size_t ia = cmd_index(ic, a), ib = cmd_index(ic, b);
    uint64_t fa = ic->frame[ia], fb = ic->frame[ib];
    bool b_ends = ic->ended[fb] && ic->last_seq[fb] == b;
    uint64_t complete = fb - fa + (b_ends ? 1u : 0u);
    bool snapshot = a > ic->seq[0];
    assert_int_equal(ts.calls, b - a + 1u);
    assert_int_equal(ts.first_call, a);
    assert_int_equal(ts.last_call, b);
    assert_int_equal(ts.snapshot, snapshot);
    assert_int_equal(ts.frames, complete);
    assert_int_equal(ts.partial_last, !b_ends);
    assert_int_equal(ts.first_frame, fa);
    assert_int_equal(ts.last_frame, fb);

    trace_cmds oc;
    read_cmds(out, &oc);
    assert_int_equal(oc.n, b - a + 1u);
    for (size_t i = 0; i < oc.n; i++) {
        assert_int_equal(oc.seq[i], a + i);
        assert_int_equal(oc.frame[i], ic->frame[ia + i]);
        assert_int_equal(oc.nwords[i], ic->nwords[ia + i]);
        assert_memory_equal(oc.words[i], ic->words[ia + i], (size_t)oc.nwords[i] * 4u);
    }
    /* the timings of a..b, each as IN has it, and no other */
    size_t nt = 0;
    for (size_t i = 0; i < ic->ntimed; i++) {
        if (ic->timed[i][0] >= a && ic->timed[i][0] <= b) {
            assert_true(nt < oc.ntimed);
            assert_memory_equal(oc.timed[nt], ic->timed[i], sizeof(ic->timed[i]));
            nt++;
        }
    }
    assert_true(nt > 0);
    assert_int_equal(oc.ntimed, nt);
    assert_int_equal(oc.snapshot, snapshot || ic->snapshot);
    if (snapshot) {
        assert_int_equal(oc.snap_frame, fa);
        assert_int_equal(oc.snap_next, a);
        if (check_state) {
            state_at sa;
            state_before(in, a, &sa);
            assert_int_equal(oc.ex2d_size, sa.size);
            assert_memory_equal(oc.ex2d, sa.ex2d, sa.size);
            free(sa.ex2d);
        }
    }
    vgt_trace_reader *rd = NULL;
    assert_int_equal(vgt_trace_reader_open(out, NULL, &rd, &err), VGT_OK);
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    assert_true(info.footer_present);
    assert_int_equal(info.problems, 0);
    assert_int_equal(info.complete_frames, complete);
    assert_int_equal(vgt_trace_reader_header(rd)->start_frame, fa);
    assert_non_null(strstr(vgt_trace_reader_header(rd)->creator, " trim"));
    vgt_trace_reader_close(rd);

    replay_seen seen = {0};
    vgt_replay_stats rs;
    st = replay_be(out, VGT_REPLAY_BACKEND_SOFT, &seen, &rs, &err);
    if (st != VGT_OK) {
        fprintf(stderr, "replay %s: %s\n", out, err.message);
    }
    assert_int_equal(st, VGT_OK);
    assert_int_equal(rs.commands, b - a + 1u);
    assert_int_equal(rs.frames, complete);
    assert_int_equal(rs.frames_verified, complete);
    for (uint64_t f = 0; f < MAX_FRAMES; f++) {
        assert_int_equal(seen.seen[f], f >= fa && f < fa + complete);
        if (seen.seen[f]) {
            assert_true(h->have[f]);
            assert_true(seen.hash[f] == h->hash[f]);
        }
    }
    cmds_free(&oc);
}

/* A sample's capture cut by command: mid-frame to mid-frame (A the
 * second command of frame 10, B the fourth of frame 14), frame to frame
 * (frame 5's first to frame 8's last), from the first command (no
 * snapshot), and within one frame. */
static void check_calls_sample(const char *sample, const vgt_backend_kind *be, bool check_state)
{
    char full[1200], cut[1200];
    snprintf(full, sizeof(full), "%s/calls-%s.vgt", tmpdir, sample);
    snprintf(cut, sizeof(cut), "%s/calls-%s-cut.vgt", tmpdir, sample);
    capture_for_trim(full, sample, be, 24, 0);
    trace_hashes h;
    read_hashes(full, &h);
    trace_cmds ic;
    read_cmds(full, &ic);
    check_calls(full, cut, &ic, &h, frame_cmd(&ic, 10, 1), frame_cmd(&ic, 14, 3), check_state);
    check_calls(full, cut, &ic, &h, frame_cmd(&ic, 5, 0), ic.last_seq[8], check_state);
    check_calls(full, cut, &ic, &h, ic.seq[0], frame_cmd(&ic, 3, 2), check_state);
    check_calls(full, cut, &ic, &h, frame_cmd(&ic, 12, 2), frame_cmd(&ic, 12, 3), check_state);
    /* to the trace's end (A-) */
    vgt_trim_stats ts;
    vgt_error err = {0};
    assert_int_equal(trim_calls(full, cut, frame_cmd(&ic, 20, 1), UINT64_MAX, false, &ts, &err),
                     VGT_OK);
    assert_int_equal(ts.last_call, ic.seq[ic.n - 1]);
    assert_int_equal(ts.frames, 4);
    cmds_free(&ic);
}

static void test_trim_calls_2d_demo(void **state)
{
    (void)state;
    check_calls_sample("2d-demo", NULL, true);
}

static void test_trim_calls_cube(void **state)
{
    (void)state;
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    check_calls_sample("cube", &be, false);
}

/* draw-calls draws the same triangle 100 times a frame: one COMMAND_BATCH
 * of repeats, cut inside (both ends in one batch), and from inside one
 * frame's batch to inside a later one's. */
static void test_trim_calls_batch(void **state)
{
    (void)state;
    char full[1200], cut[1200];
    tmp_path(full, sizeof(full), "calls-draw-calls.vgt");
    tmp_path(cut, sizeof(cut), "calls-draw-calls-cut.vgt");
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    vgt_capture_settings s;
    quiet_settings(&s, full);
    run_result r;
    run_captured_sample(&s, "draw-calls", 8, 320, 240, &be, NULL, &r);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.close_status, VGT_OK);
    trace_hashes h;
    read_hashes(full, &h);
    trace_cmds ic;
    read_cmds(full, &ic);
    /* both ends inside one batch of repeats, so the cut is a real split:
     * where the device's log flushed its batches depends on the threads'
     * timing (a slow run, under TSan, may flush mid-frame), so the frame
     * is looked for rather than assumed */
    uint64_t a = 0, b = 0;
    size_t ia = 0;
    bool found = false;
    for (uint32_t f = 1; f < 7 && !found; f++) {
        a = frame_cmd(&ic, f, 30);
        b = frame_cmd(&ic, f, 60);
        ia = cmd_index(&ic, a);
        found = ic.rec_first[ia] < a && ic.rec_last[ia] > b &&
                ic.rec_first[ia] == ic.rec_first[cmd_index(&ic, b)];
    }
    if (!found) {
        fail_msg("no frame of draw-calls has its commands 30..60 inside one batch");
    }
    check_calls(full, cut, &ic, &h, a, b, false);
    /* the cut's batch holds the repeats as repeats: one command's words */
    vgt_trace_reader *rd = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(cut, NULL, &rd, &err), VGT_OK);
    vgt_trace_record rec;
    assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_OK);
    assert_int_equal(rec.type, VGT_REC_SNAPSHOT);
    assert_int_equal(vgt_trace_reader_next(rd, &rec, &err), VGT_OK);
    assert_int_equal(rec.type, VGT_REC_COMMAND_BATCH);
    assert_int_equal(rec.size, VGT_TRACE_BATCH_PREFIX + 31u * 12u + ic.nwords[ia] * 4u);
    vgt_trace_reader_close(rd);
    /* from inside one frame's batch to inside a later one's (found as
     * above) */
    uint64_t a2 = 0, b2 = 0;
    found = false;
    for (uint32_t f = 1; f < 4 && !found; f++) {
        a2 = frame_cmd(&ic, f, 50);
        for (uint32_t g = f + 2; g < 7 && !found; g++) {
            b2 = frame_cmd(&ic, g, 40);
            found = ic.rec_first[cmd_index(&ic, a2)] < a2 && ic.rec_last[cmd_index(&ic, b2)] > b2;
        }
    }
    if (!found) {
        fail_msg("no two frames of draw-calls have commands 50 and 40 inside batches");
    }
    check_calls(full, cut, &ic, &h, a2, b2, false);
    cmds_free(&ic);
}

/* textured (alpha-blended quads: a draw replayed twice shows): a cut from
 * every command of frame 3 to its end renders frame 3 as captured, so the
 * snapshot is the state before A, neither after it nor before an earlier
 * command, wherever in the frame A is. */
static void test_trim_calls_every_start(void **state)
{
    (void)state;
    char full[1200], cut[1200];
    tmp_path(full, sizeof(full), "calls-textured.vgt");
    tmp_path(cut, sizeof(cut), "calls-textured-cut.vgt");
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    capture_for_trim(full, "textured", &be, 5, 0);
    trace_hashes h;
    read_hashes(full, &h);
    trace_cmds ic;
    read_cmds(full, &ic);
    assert_true(ic.ended[3]);
    uint64_t n = 0;
    for (uint64_t a = frame_cmd(&ic, 3, 0); a <= ic.last_seq[3]; a++, n++) {
        check_calls(full, cut, &ic, &h, a, ic.last_seq[3], false);
    }
    assert_true(n > 20);
    cmds_free(&ic);
}

/* The errors of a cut by command: B < A, A or B after the trace's last
 * command, A before a mid-run capture's first; no OUT left. */
static void test_trim_calls_errors(void **state)
{
    (void)state;
    char full[1200], part[1200], cut[1200];
    tmp_path(full, sizeof(full), "calls-err.vgt");
    tmp_path(part, sizeof(part), "calls-err-6.vgt");
    tmp_path(cut, sizeof(cut), "calls-err-cut.vgt");
    capture_for_trim(full, "2d-demo", NULL, 12, 0);
    capture_for_trim(part, "2d-demo", NULL, 12, 6);
    trace_cmds ic, pc;
    read_cmds(full, &ic);
    read_cmds(part, &pc);
    uint64_t last = ic.seq[ic.n - 1];
    vgt_trim_stats ts;
    vgt_error err = {0};
    unlink(cut);
    assert_int_equal(trim_calls(full, cut, 20, 10, false, &ts, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "B before A"));
    assert_int_equal(trim_calls(full, cut, last + 1u, last + 5u, false, &ts, &err), VGT_E_NOTFOUND);
    char want[64];
    snprintf(want, sizeof(want), "its last command is %" PRIu64, last);
    assert_non_null(strstr(err.message, want));
    assert_false(file_exists(cut));
    assert_int_equal(trim_calls(full, cut, 20, last + 1u, false, &ts, &err), VGT_E_NOTFOUND);
    assert_non_null(strstr(err.message, want));
    assert_false(file_exists(cut));
    /* the mid-run capture starts at its snapshot's command */
    assert_true(pc.snapshot && pc.seq[0] == pc.snap_next && pc.seq[0] > 0);
    assert_int_equal(trim_calls(part, cut, pc.seq[0] - 1u, pc.seq[0] + 5u, false, &ts, &err),
                     VGT_E_NOTFOUND);
    assert_non_null(strstr(err.message, "before the trace"));
    assert_false(file_exists(cut));
    /* from its first command: IN's own snapshot, copied */
    trace_hashes h;
    read_hashes(part, &h);
    check_calls(part, cut, &pc, &h, pc.seq[0], frame_cmd(&pc, 8, 2), false);
    check_calls(part, cut, &pc, &h, frame_cmd(&pc, 7, 2), frame_cmd(&pc, 9, 2), true);
    cmds_free(&ic);
    cmds_free(&pc);
}

/* ---- the FIFO's FENCE register across a snapshot ---------------------------------- */

/* The FENCE register after each command of a replay (on_command), by seq. */
#define FENCE_MAX_SEQ 4096u
typedef struct fence_seen {
    uint32_t last[FENCE_MAX_SEQ];
    bool seen[FENCE_MAX_SEQ];
    uint64_t first_seq; /* the replay's first command */
    uint64_t first_fences;
} fence_seen;

static int fence_on_command(void *ctx, const vgt_replay_command *c)
{
    fence_seen *f = ctx;
    if (f->first_seq == UINT64_MAX) {
        f->first_seq = c->seq;
        f->first_fences = c->fences;
    }
    if (c->seq < FENCE_MAX_SEQ) {
        f->last[c->seq] = c->last_fence;
        f->seen[c->seq] = true;
    }
    return 0;
}

static void replay_fences(const char *path, fence_seen *f)
{
    memset(f, 0, sizeof(*f));
    f->first_seq = UINT64_MAX;
    vgt_replayer_options o = {
        .backend = VGT_REPLAY_BACKEND_NULL,
        .last_frame = UINT64_MAX,
        .on_command = fence_on_command,
        .ctx = f,
    };
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
    vgt_status st = vgt_replayer_run(r, NULL, &err);
    vgt_replayer_close(r);
    if (st != VGT_OK) {
        fail_msg("replay of %s: %s", path, err.message);
    }
}

/* A replay from the snapshot in `path` reports the FIFO's FENCE register
 * as the full trace's replay does at every command, from the first one
 * (before its first FENCE, which the first command is not here), though it
 * replayed fewer FENCEs itself. */
static void check_fences_as_full(const char *path, const fence_seen *full)
{
    fence_seen cut;
    replay_fences(path, &cut);
    assert_true(cut.first_seq < FENCE_MAX_SEQ && full->seen[cut.first_seq]);
    if (cut.first_fences != 0) {
        fail_msg("%s: the first command (seq %" PRIu64 ") is a FENCE: the test needs another", path,
                 cut.first_seq);
    }
    assert_true(full->last[cut.first_seq] > 0);
    for (uint64_t seq = cut.first_seq; seq < FENCE_MAX_SEQ; seq++) {
        if (cut.seen[seq] != full->seen[seq] || cut.last[seq] != full->last[seq]) {
            fail_msg("%s: after command %" PRIu64 " the FENCE register is %" PRIu32
                     " (seen %d), the full trace's %" PRIu32 " (seen %d)",
                     path, seq, cut.last[seq], cut.seen[seq], full->last[seq], full->seen[seq]);
        }
    }
}

/* Six frames of CLEAR, FENCE (waited for), PRESENT: each frame ends at its
 * PRESENT, the next starts with a CLEAR, after a fence passed mid-frame.
 * With an attach_gate as arg, the guest waits after frame `at`'s fence
 * passed, before its PRESENT: a capture attached there starts after that
 * PRESENT, which no FENCE ends, and no fence passes in between. */
static int fence_mid_frame_guest(vgt_guest *g, void *arg)
{
    attach_gate *gate = arg;
    vgt_drv drv;
    if (!vgt_drv3d_start(&drv, g, "fence-mid-frame", 64, 48, true)) {
        return 1;
    }
    vgt_drv3d_define_screen_targets(&drv, 1, 2, 64, 48);
    vgt_drv3d_setup_context(&drv, 1, 1, 2, 64, 48);
    for (uint32_t f = 0; f < 6 && !drv.failed; f++) {
        vgt_drv3d_clear(&drv, 1, VGT_SVGA3D_CLEAR_COLOR, 0xFF000000u | (f * 40u), 1.0f, 0, NULL, 0);
        vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
        if (gate && f == gate->at) {
            atomic_store(&gate->reached, true);
            while (!atomic_load(&gate->attached)) {
                usleep(200);
            }
        }
        vgt_drv3d_present(&drv, 1, NULL, 0);
    }
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    return vgt_drv_sample_exit(&drv, "fence-mid-frame", true);
}

/* 2d-demo passes a fence a frame (the frame's last command: the device
 * ends the frame inside it): a capture started at frame 4, a trim at
 * frame 4 and one from the second command of frame 4 start after fences
 * passed, and so does a capture from frame 3 of fence_mid_frame_guest, and their replay's FENCE
 * register (vgt replay --dump-at's "fences" "last") says the last of them, not 0 (the snapshot's
 * FENC section, docs/format.md). */
static void test_snapshot_last_fence(void **state)
{
    (void)state;
    char full[1100], part[1100], cut[1100], calls[1100];
    tmp_path(full, sizeof(full), "fence-full.vgt");
    tmp_path(part, sizeof(part), "fence-part.vgt");
    tmp_path(cut, sizeof(cut), "fence-cut.vgt");
    tmp_path(calls, sizeof(calls), "fence-calls.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, full);
    run_result rr;
    run_captured(&s, 8, NULL, &rr);
    quiet_settings(&s, part);
    s.start_frame = 4;
    run_captured(&s, 8, NULL, &rr);

    vgt_error err = {0};
    vgt_trim_stats ts;
    assert_int_equal(trim(full, cut, 4, 7, false, &ts, &err), VGT_OK);
    trace_cmds ic;
    read_cmds(full, &ic);
    uint64_t a = frame_cmd(&ic, 4, 1);
    assert_int_equal(trim_calls(full, calls, a, ic.seq[ic.n - 1], false, &ts, &err), VGT_OK);
    cmds_free(&ic);

    fence_seen *f = malloc(sizeof(*f));
    assert_non_null(f);
    replay_fences(full, f);
    check_fences_as_full(part, f);
    check_fences_as_full(cut, f);
    check_fences_as_full(calls, f);

    /* A frame PRESENT ends, its FENCE before: the snapshot takes the last
     * fence passed (the fence_passed tap), not one in progress. */
    vgt_backend_kind be = VGT_BACKEND_NULL;
    quiet_settings(&s, full);
    run_captured_guest(&s, &be, fence_mid_frame_guest, NULL, NULL, &rr);
    assert_int_equal(rr.exit_code, 0);
    quiet_settings(&s, part);
    s.start_frame = 3;
    run_captured_guest(&s, &be, fence_mid_frame_guest, NULL, NULL, &rr);
    assert_int_equal(rr.exit_code, 0);
    replay_fences(full, f);
    check_fences_as_full(part, f);
    free(f);
}

/* Copies trace `in` to `out`, its SNAPSHOT's FENC section given `version`
 * and, when cut, 4 bytes fewer (the section's size says so). */
static void copy_with_fenc(const char *in, const char *out, uint32_t version, bool cut)
{
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(in, NULL, &r, &err), VGT_OK);
    vgt_trace_writer_settings ws;
    vgt_trace_writer_settings_init(&ws);
    vgt_trace_writer *w = NULL;
    assert_int_equal(vgt_trace_writer_open(out, &ws, vgt_trace_reader_header(r), &w, &err), VGT_OK);
    vgt_trace_record rec;
    bool patched = false;
    while (vgt_trace_reader_next(r, &rec, &err) == VGT_OK) {
        if (rec.type == VGT_REC_FRAME_END) {
            assert_int_equal(vgt_trace_writer_frame_end(w, rec.timestamp_ns, &err), VGT_OK);
            continue;
        }
        if (rec.type != VGT_REC_SNAPSHOT) {
            assert_int_equal(vgt_trace_writer_append(w, rec.type, rec.flags, rec.timestamp_ns,
                                                     rec.payload, rec.size, &err),
                             VGT_OK);
            continue;
        }
        uint8_t *p = malloc(rec.size);
        assert_non_null(p);
        memcpy(p, rec.payload, rec.size);
        uint32_t size = rec.size;
        /* the sections after the prefix: {tag, 0, u64 size} then the bytes */
        for (size_t pos = VGT_TRACE_SNAPSHOT_PREFIX; pos + 16u <= size;) {
            uint64_t n = vgt_load_le64(p + pos + 8);
            if (vgt_load_le32(p + pos) == VGT_TRACE_SNAP_FENC) {
                assert_int_equal(n, 8);
                vgt_store_le32(p + pos + 16, version);
                if (cut) {
                    /* the last section: its size and the record 4 bytes less */
                    assert_int_equal(pos + 24u, size);
                    vgt_store_le64(p + pos + 8, 4);
                    size -= 4u;
                }
                patched = true;
                break;
            }
            pos += 16u + (size_t)n;
        }
        assert_int_equal(
            vgt_trace_writer_append(w, rec.type, rec.flags, rec.timestamp_ns, p, size, &err),
            VGT_OK);
        free(p);
    }
    assert_true(patched);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    vgt_trace_reader_close(r);
}

/* A FENC section of another version or size fails the replay with
 * VGT_E_FORMAT naming the record and what this build reads; the copy
 * left as it was replays (the copy itself is sound). */
static void test_snapshot_fenc_refused(void **state)
{
    (void)state;
    char part[1100], same[1100], bad[1100];
    tmp_path(part, sizeof(part), "fenc-part.vgt");
    tmp_path(same, sizeof(same), "fenc-same.vgt");
    tmp_path(bad, sizeof(bad), "fenc-bad.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, part);
    s.start_frame = 2;
    run_result rr;
    run_captured(&s, 4, NULL, &rr);

    copy_with_fenc(part, same, VGT_TRACE_SNAP_FENC_VERSION, false);
    fence_seen *f = malloc(sizeof(*f));
    assert_non_null(f);
    replay_fences(same, f);
    assert_true(f->first_seq < FENCE_MAX_SEQ && f->last[f->first_seq] > 0);
    free(f);

    for (int k = 0; k < 2; k++) {
        copy_with_fenc(part, bad, k == 0 ? 2u : VGT_TRACE_SNAP_FENC_VERSION, k == 1);
        vgt_replay_stats st;
        vgt_error err = {0};
        assert_int_equal(replay(bad, 0, UINT64_MAX, false, false, NULL, &st, &err), VGT_E_FORMAT);
        if (!strstr(err.message, "snapshot FENC section of") ||
            !strstr(err.message, k == 0 ? "8 bytes, version 2" : "4 bytes") ||
            !strstr(err.message, "this build reads 8 bytes, version 1")) {
            fail_msg("unexpected message: %s", err.message);
        }
    }
}

/* The live FIFO's FENCE register after each command, by seq (a chained
 * fence_passed tap: the device calls it with the FENCE command's seq). */
typedef struct live_fences {
    uint32_t passed[FENCE_MAX_SEQ];
    bool at[FENCE_MAX_SEQ];
} live_fences;

static void live_fence_passed(void *ctx, uint64_t seq, uint32_t fence)
{
    live_fences *l = ctx;
    if (seq < FENCE_MAX_SEQ) {
        l->passed[seq] = fence;
        l->at[seq] = true;
    }
}

/* The register after command `seq`: the last fence passed at or before it
 * (0 before the first). */
static uint32_t live_fence_after(const live_fences *l, uint64_t seq)
{
    for (uint64_t s = seq + 1u; s-- > 0;) {
        if (l->at[s]) {
            return l->passed[s];
        }
    }
    return 0;
}

/* Runs `guest` (3D on null when be3d) with a capture attached from another
 * thread at its gate (frame 2 or 5), then replays the capture: its FENCE
 * register must be the live FIFO's after every command from the first on.
 * Returns the register at the attach and at the first command. */
static void check_attach_fence(vgt_guest_main guest, const vgt_backend_kind *be3d, uint32_t at,
                               uint32_t *at_attach, uint32_t *at_first)
{
    char path[1200];
    tmp_path(path, sizeof(path), "attach-fence.vgt");
    vgt_capture_settings s;
    quiet_settings(&s, path);
    vgt_vm_config cfg;
    vgt_vm_config_default(&cfg);
    cfg.ram_size = 64u << 20;
    if (be3d) {
        cfg.device.enable_3d = true;
        cfg.device.backend_3d = *be3d;
    }
    live_fences *live = calloc(1, sizeof(*live));
    assert_non_null(live);
    cfg.device.taps.ctx = live;
    cfg.device.taps.fence_passed = live_fence_passed;
    s.chain = cfg.device.taps; /* the live fences go on being recorded after the attach */
    vgt_capture_stats cs;
    run_attached(&s, &cfg, guest, at, at_attach, &cs);
    assert_true(cs.frames > 0);

    fence_seen *f = malloc(sizeof(*f));
    assert_non_null(f);
    replay_fences(path, f);
    assert_true(f->first_seq > 0 && f->first_seq < FENCE_MAX_SEQ);
    assert_int_equal(f->first_fences, 0); /* the first command is no FENCE */
    uint64_t checked = 0;
    for (uint64_t seq = f->first_seq; seq < FENCE_MAX_SEQ; seq++) {
        if (f->seen[seq]) {
            if (f->last[seq] != live_fence_after(live, seq)) {
                fail_msg("after command %" PRIu64 " the replay's FENCE register is %" PRIu32
                         ", the live FIFO's %" PRIu32,
                         seq, f->last[seq], live_fence_after(live, seq));
            }
            checked++;
        }
    }
    assert_true(checked > 3);
    *at_first = f->last[f->first_seq];
    free(f);
    free(live);
}

/* A capture attached to a running device whose guest has passed fences:
 * its snapshot carries the device's FENCE register (FENC), so a replay
 * reports it as the live FIFO had it after every command from the first
 * (until 2026-12-01 such a snapshot left FENC out: 0 until the first
 * FENCE replayed). */
static void test_attach_running_fence(void **state)
{
    (void)state;
    uint32_t at_attach = 0, at_first = 0;
    /* A frame no FENCE ends (3D: its PRESENT), no fence passed between the
     * attach and the snapshot: the register is the one at the attach, which
     * only the device knows (the capture saw none of the fences). */
    vgt_backend_kind be = VGT_BACKEND_NULL;
    check_attach_fence(fence_mid_frame_guest, &be, 2, &at_attach, &at_first);
    assert_true(at_attach > 0); /* the guest's fences of frames 0..2 passed */
    assert_int_equal(at_first, at_attach);
    /* 2D frames that each end inside their FENCE: the snapshot after the
     * attach is frame 6's end, inside its FENCE, whose fence is the one
     * after the command (from the command log since the attach), one after
     * the register at the attach. */
    check_attach_fence(cursor_reg_guest, NULL, 5, &at_attach, &at_first);
    assert_true(at_attach > 0);
    assert_int_equal(at_first, at_attach + 1u);
}

int main(int argc, char **argv)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/tests/capture/tmp-%d", VGT_BINARY_DIR, (int)getpid());
    mkdir(VGT_BINARY_DIR "/tests", 0777);
    mkdir(VGT_BINARY_DIR "/tests/capture", 0777);
    if (mkdir(tmpdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s\n", tmpdir);
        return 1;
    }
    /* each test in one of the ctest entries test_capture_part1..4
     * (tests/capture/CMakeLists.txt, PARTS 4), balanced by their CPU time
     * under ASan (2026-11-30, in s): 1 = textured 37 + lit 8 + the 2D
     * captures, 2 = shaders 34 + skinned 10 + cube 5 + the 2D modes, 3 =
     * envmap 22 + deferred 20 + instanced 8 + video 2, 4 = the trims (3D
     * 22, every start 17) + floor 10; 157 s wall as one entry (before floor) */
    static const vgt_test_grouped tests[] = {
        VGT_TEST_IN(1, test_capture_replay_bit_exact),
        VGT_TEST_IN(1, test_capture_batches),
        VGT_TEST_IN(1, test_capture_repeats),
        VGT_TEST_IN(1, test_capture_mid_run_start),
        VGT_TEST_IN(1, test_capture_disk_full),
        VGT_TEST_IN(1, test_capture_header_unwritable),
        VGT_TEST_IN(1, test_capture_sigkill),
        VGT_TEST_IN(1, test_capture_env),
        VGT_TEST_IN(1, test_capture_settings_bounds),
        VGT_TEST_IN(2, test_capture_3d_mid_start_null),
        VGT_TEST_IN(2, test_capture_3d_mid_start_cube),
        VGT_TEST_IN(1, test_capture_3d_mid_start_lit),
        VGT_TEST_IN(1, test_capture_3d_mid_start_textured),
        VGT_TEST_IN(2, test_capture_3d_mid_start_shaders),
        VGT_TEST_IN(3, test_capture_3d_mid_start_envmap),
        VGT_TEST_IN(3, test_capture_3d_mid_start_instanced),
        VGT_TEST_IN(3, test_capture_3d_mid_start_deferred),
        VGT_TEST_IN(2, test_capture_3d_mid_start_skinned),
        VGT_TEST_IN(4, test_capture_3d_mid_start_floor),
        VGT_TEST_IN(2, test_capture_mid_start_3d_device_2d_guest),
        VGT_TEST_IN(2, test_capture_8bit),
        VGT_TEST_IN(3, test_capture_8bit_index_cursor),
        VGT_TEST_IN(2, test_capture_hicolor),
        VGT_TEST_IN(3, test_capture_legacy_cursor_readback),
        VGT_TEST_IN(3, test_capture_video),
        VGT_TEST_IN(2, test_capture_backing_stores),
        VGT_TEST_IN(2, test_capture_backing_stores_hidden),
        VGT_TEST_IN(4, test_trim_3d),
        VGT_TEST_IN(4, test_trim_2d_demo),
        VGT_TEST_IN(4, test_trim_mid_run),
        VGT_TEST_IN(4, test_trim_registers),
        VGT_TEST_IN(4, test_capture_attach_running),
        VGT_TEST_IN(4, test_trim_errors),
        VGT_TEST_IN(4, test_trim_calls_2d_demo),
        VGT_TEST_IN(4, test_trim_calls_cube),
        VGT_TEST_IN(4, test_trim_calls_batch),
        VGT_TEST_IN(4, test_trim_calls_every_start),
        VGT_TEST_IN(4, test_trim_calls_errors),
        VGT_TEST_IN(4, test_snapshot_last_fence),
        VGT_TEST_IN(4, test_snapshot_fenc_refused),
        VGT_TEST_IN(4, test_attach_running_fence),
    };
    /* VGT_TEST_FILTER=GLOB: only the tests whose name matches;
     * VGT_TEST_SKIP=GLOB: not those (CI's ThreadSanitizer smoke pass skips
     * the 3D samples' mid-start captures, 20-65 s each under TSan:
     * `make tsan-smoke`) */
    if (getenv("VGT_TEST_FILTER")) {
        cmocka_set_test_filter(getenv("VGT_TEST_FILTER"));
    }
    if (getenv("VGT_TEST_SKIP")) {
        cmocka_set_skip_filter(getenv("VGT_TEST_SKIP"));
    }
    int rc = vgt_test_run_groups("test_capture", tests, sizeof(tests) / sizeof(tests[0]), argc,
                                 argv, NULL, NULL);
    if (rc == 0) {
        char cmd[1300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", tmpdir);
        }
    }
    return rc;
}
