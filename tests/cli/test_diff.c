/* test_diff.c - vgt_diff (vgt diff): two captures of the same sample are
 * equal (timings aside), draw-calls --count 100 against 101 is one inserted
 * command per frame, a mid-run capture compares on the frames both hold;
 * on hand-made traces, the alignment's counts and first difference, the
 * positional fallback, pictures and guest memory that differ under equal
 * commands, a damaged chunk and a trace of another protocol; ignore_ids on
 * traces that number their objects otherwise; ignore (--ignore) of FENCE and
 * SURFACE_DMA commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../capture/capture_test_util.h"
#include "trace_writer_util.h"
#include "vgt_format.h"
#include "vgt_replay.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[1024];

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* ---- captures of the samples ------------------------------------------------------ */

/* Runs `sample` for `frames` frames (count: draw-calls' --count, 0 its
 * default) into path, recording from guest frame `start`; 3D samples on the
 * soft backend at 320x240, the others without 3D at their own mode. */
static void capture(const char *path, const char *sample, bool three_d, uint32_t frames,
                    uint32_t count, uint64_t start)
{
    vgt_backend_kind be = VGT_BACKEND_SOFT;
    vgt_sample_args args = {.frames = frames, .count = count};
    if (three_d) {
        args.width = 320;
        args.height = 240;
    }
    assert_true(capture_test_sample(path, sample, &args, three_d ? &be : NULL, start));
}

static void diff_ok(const char *a, const char *b, const vgt_diff_options *o, vgt_diff_result *d)
{
    vgt_error err = {0};
    vgt_status st = vgt_diff(a, b, o, d, &err);
    if (st != VGT_OK) {
        fprintf(stderr, "vgt_diff: %s\n", err.message);
    }
    assert_int_equal(st, VGT_OK);
}

static const vgt_trace_cmd_stat *stat_of(const vgt_trace_svga_summary *s, uint32_t id)
{
    for (size_t i = 0; i < s->ncmds; i++) {
        if (s->cmds[i].id == id) {
            return &s->cmds[i];
        }
    }
    return NULL;
}

/* Two captures of a deterministic sample: the same commands, frame hashes
 * and guest memory; the same counts per type (their timings differ). */
static void check_twice(const char *sample, bool three_d)
{
    char a[1200], b[1200];
    snprintf(a, sizeof(a), "%s/%s-1.vgt", tmpdir, sample);
    snprintf(b, sizeof(b), "%s/%s-2.vgt", tmpdir, sample);
    capture(a, sample, three_d, 10, 0, 0);
    capture(b, sample, three_d, 10, 0, 0);
    vgt_diff_result d;
    diff_ok(a, b, NULL, &d);
    assert_true(d.equal);
    assert_true(d.have_common);
    assert_int_equal(d.first, d.a.first_frame);
    assert_int_equal(d.frames, d.last - d.first + 1u);
    assert_true(d.frames >= 10);
    assert_int_equal(d.frames_commands_differ, 0);
    assert_int_equal(d.changed + d.only_a + d.only_b, 0);
    assert_int_equal(d.frames_picture_equal, d.frames);
    assert_int_equal(d.frames_picture_differ, 0);
    assert_int_equal(d.frames_memory_differ, 0);
    assert_int_equal(d.frames_regs_differ + d.frames_fences_differ + d.frames_errors_differ, 0);
    assert_int_equal(d.ncmd_frames, 0);
    assert_true(d.a.commands > 0);
    assert_int_equal(d.a.commands, d.b.commands);
    assert_int_equal(d.a.cost.ncmds, d.b.cost.ncmds);
    assert_int_equal(d.a.cost.commands, d.a.commands);
    for (size_t i = 0; i < d.a.cost.ncmds; i++) {
        assert_int_equal(d.a.cost.cmds[i].id, d.b.cost.cmds[i].id);
        assert_int_equal(d.a.cost.cmds[i].count, d.b.cost.cmds[i].count);
    }
    vgt_diff_result_free(&d);
    /* a trace against itself */
    diff_ok(a, a, NULL, &d);
    assert_true(d.equal);
    assert_int_equal(d.a.commands, d.b.commands);
    vgt_diff_result_free(&d);
}

static void test_diff_cube_twice(void **state)
{
    (void)state;
    check_twice("cube", true);
}

static void test_diff_2d_demo_twice(void **state)
{
    (void)state;
    check_twice("2d-demo", false);
}

/* draw-calls --count 100 against --count 101: every frame has one more
 * DRAW_PRIMITIVES, after the 100 others and before the PRESENT. */
static void test_diff_draw_calls_one_more(void **state)
{
    (void)state;
    char a[1200], b[1200];
    tmp_path(a, sizeof(a), "draw-100.vgt");
    tmp_path(b, sizeof(b), "draw-101.vgt");
    capture(a, "draw-calls", true, 5, 100, 0);
    capture(b, "draw-calls", true, 5, 101, 0);
    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 2};
    vgt_diff_result d;
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.first, 0);
    assert_int_equal(d.frames, 6); /* the setup frame 0 and 5 drawn */
    assert_int_equal(d.frames_commands_differ, 6);
    assert_int_equal(d.changed, 0);
    assert_int_equal(d.only_a, 0);
    assert_int_equal(d.only_b, 6);
    assert_int_equal(d.frames_positional, 0);
    assert_int_equal(d.b.commands, d.a.commands + 6u);
    assert_int_equal(d.frames_picture_equal, 6); /* the same triangle drawn again */
    assert_int_equal(d.ncmd_frames, 2);
    for (size_t i = 0; i < d.ncmd_frames; i++) {
        const vgt_diff_frame *f = &d.cmd_frames[i];
        assert_int_equal(f->frame, i);
        assert_int_equal(f->only_b, 1);
        assert_int_equal(f->changed + f->only_a, 0);
        assert_int_equal(f->b.commands, f->a.commands + 1u);
        assert_false(f->length_only);
        /* after the last of A's 100 draws: A's PRESENT, B's 101st draw */
        assert_true(f->first_a.present && f->first_b.present);
        assert_int_equal(f->first_a.index, f->first_b.index);
        assert_int_equal(f->first_a.index, f->a.commands - 1u);
        assert_non_null(f->first_a.words);
        assert_non_null(f->first_b.words);
        assert_int_equal(f->first_a.words[0], VGT_SVGA3D_CMD_PRESENT);
        assert_int_equal(f->first_b.words[0], VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    }
    assert_int_equal(d.cmd_frames[1].a.commands, 103); /* 100 draws, CLEAR, PRESENT, FENCE */
    const vgt_trace_cmd_stat *da = stat_of(&d.a.cost, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    const vgt_trace_cmd_stat *db = stat_of(&d.b.cost, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    assert_non_null(da);
    assert_non_null(db);
    assert_int_equal(da->count, 600);
    assert_int_equal(db->count, 606);
    assert_true(da->timed == da->count && db->timed == db->count);
    vgt_diff_result_free(&d);
}

/* A capture started at guest frame 5 against a whole one: frames 5..9. */
static void test_diff_mid_run(void **state)
{
    (void)state;
    char a[1200], b[1200];
    tmp_path(a, sizeof(a), "mid-full.vgt");
    tmp_path(b, sizeof(b), "mid-5.vgt");
    capture(a, "cube", true, 10, 0, 0);
    capture(b, "cube", true, 10, 0, 5);
    vgt_diff_result d;
    diff_ok(a, b, NULL, &d);
    assert_true(d.equal);
    assert_int_equal(d.a.first_frame, 0);
    assert_int_equal(d.b.first_frame, 5);
    assert_int_equal(d.first, 5);
    assert_int_equal(d.last, d.a.last_frame);
    assert_int_equal(d.last, d.b.last_frame);
    assert_int_equal(d.frames, d.last - 4u);
    assert_int_equal(d.frames_picture_equal, d.frames);
    assert_int_equal(d.a.commands, d.b.commands);
    vgt_diff_result_free(&d);
    /* --frames 7-8 of them */
    vgt_diff_options o = {.first_frame = 7, .last_frame = 8};
    diff_ok(b, a, &o, &d);
    assert_true(d.equal);
    assert_int_equal(d.first, 7);
    assert_int_equal(d.last, 8);
    assert_int_equal(d.frames, 2);
    vgt_diff_result_free(&d);
    /* frames neither holds in common: nothing compared, not equal */
    o.first_frame = 0;
    o.last_frame = 4;
    diff_ok(a, b, &o, &d);
    assert_false(d.have_common);
    assert_false(d.equal);
    assert_int_equal(d.frames, 0);
    vgt_diff_result_free(&d);
}

/* ---- hand-made traces ------------------------------------------------------------- */

/* An UPDATE of w x h pixels at (x, 0). */
static void tw_update_rect(tw *t, uint32_t x, uint32_t width, uint32_t height)
{
    uint8_t p[16 + 20];
    const uint32_t w[5] = {VGT_SVGA_CMD_UPDATE, x, 0, width, height};
    vgt_store_le64(p, t->seq++);
    vgt_store_le64(p + 8, 0);
    for (int i = 0; i < 5; i++) {
        vgt_store_le32(p + 16 + 4 * i, w[i]);
    }
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_COMMAND, 0, 0, p, sizeof(p), NULL),
                     VGT_OK);
}

/* An UPDATE of x..x+1 (x tells the commands apart). */
static void tw_update(tw *t, uint32_t x)
{
    tw_update_rect(t, x, 1, 1);
}

static void tw_dma(tw *t, uint8_t fill)
{
    uint8_t p[16 + 64];
    vgt_store_le64(p, t->seq - 1u);
    vgt_store_le32(p + 8, 1);
    vgt_store_le32(p + 12, 0);
    memset(p + 16, fill, 64);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_DMA_DATA, 0, 0, p, sizeof(p), NULL),
                     VGT_OK);
}

/* TIMING of seqs first..first+count-1: 1 us each. */
static void tw_timing(tw *t, uint64_t first, uint32_t count)
{
    uint8_t *p = calloc(1, 16u + 8u * count);
    assert_non_null(p);
    vgt_store_le64(p, first);
    vgt_store_le32(p + 8, count);
    for (uint32_t i = 0; i < count; i++) {
        vgt_store_le32(p + 16 + 8 * i + 4, 1000);
    }
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_TIMING, 0, 0, p, 16u + 8u * count, NULL),
                     VGT_OK);
    free(p);
}

/* A cursor sample (flags FIFO_CURSOR): visible at (x, y) of screen. */
static void tw_cursor(tw *t, uint64_t seq, int32_t x, int32_t y, uint32_t screen)
{
    uint8_t p[24];
    vgt_store_le64(p, seq);
    vgt_store_le32(p + 8, 1);
    vgt_store_le32(p + 12, (uint32_t)x);
    vgt_store_le32(p + 16, (uint32_t)y);
    vgt_store_le32(p + 20, screen);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_REGISTER_WRITE,
                                             VGT_TRACE_REG_F_FIFO_CURSOR, 0, p, sizeof(p), NULL),
                     VGT_OK);
}

/* A w x 48 32-bit mode, and an UPDATE of the whole screen whose guest
 * framebuffer read (one run of rows) holds px. */
#define PIC_W 64u
#define PIC_H 48u
static void tw_picture(tw *t, uint32_t w, const uint32_t *px)
{
    const uint32_t regs[4][2] = {{VGT_SVGA_REG_WIDTH, w},
                                 {VGT_SVGA_REG_HEIGHT, PIC_H},
                                 {VGT_SVGA_REG_BITS_PER_PIXEL, 32},
                                 {VGT_SVGA_REG_ENABLE, 1}};
    for (int i = 0; i < 4; i++) {
        tw_reg(t, regs[i][0], regs[i][1]);
    }
    tw_update_rect(t, 0, w, PIC_H);
    size_t n = 16u + (size_t)w * PIC_H * 4u;
    uint8_t *d = malloc(n);
    assert_non_null(d);
    vgt_store_le64(d, t->seq - 1u);
    vgt_store_le32(d + 8, VGT_SVGA_GMR_FRAMEBUFFER);
    vgt_store_le32(d + 12, 0);
    for (size_t i = 0; i < (size_t)w * PIC_H; i++) {
        vgt_store_le32(d + 16 + 4 * i, px[i]);
    }
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_DMA_DATA, 0, 0, d, n, NULL), VGT_OK);
    free(d);
}

/* A: frames of UPDATEs 0..n-1.  B: the same, but in frame 1 command 50
 * changed, 120 deleted, two inserted after 150; frame 2 two more at the end;
 * frame 3 the same commands with another picture and other guest memory.
 * A's frames 2 and 3 are timed (1 us a command), after their frame ends. */
static void write_pair(const char *a, const char *b, uint32_t n)
{
    tw ta, tb;
    tw_open(&ta, a, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_open(&tb, b, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    for (uint32_t f = 0; f < 4; f++) {
        if (f == 3) {
            tw_timing(&ta, 2u * n, n); /* a TIMING may follow its commands' frame end */
        }
        for (uint32_t i = 0; i < n; i++) {
            tw_update(&ta, i);
            if (f == 1 && i == 50) {
                tw_update(&tb, 100000);
            } else if (!(f == 1 && i == 120)) {
                tw_update(&tb, i);
            }
            if (f == 1 && i == 150) {
                tw_update(&tb, 200000);
                tw_update(&tb, 200001);
            }
        }
        if (f == 2) {
            tw_update(&tb, 300000);
            tw_update(&tb, 300001);
        }
        tw_dma(&ta, 0x11);
        tw_dma(&tb, f == 3 ? 0x22 : 0x11);
        tw_end_frame(&ta, f, 1000u + f);
        tw_end_frame(&tb, f, f == 3 ? 7u : 1000u + f);
    }
    /* A's timings of frame 3 past the last frame end */
    tw_timing(&ta, 3u * n, n);
    tw_close(&ta);
    tw_close(&tb);
}

static void test_diff_alignment(void **state)
{
    (void)state;
    char a[1200], b[1200];
    tmp_path(a, sizeof(a), "align-a.vgt");
    tmp_path(b, sizeof(b), "align-b.vgt");
    write_pair(a, b, 200);
    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 10};
    vgt_diff_result d;
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.frames, 4);
    assert_int_equal(d.frames_commands_differ, 2);
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.only_a, 1);
    assert_int_equal(d.only_b, 4);
    assert_int_equal(d.frames_positional, 0);
    assert_int_equal(d.frames_length_only, 1);
    assert_int_equal(d.ncmd_frames, 2);
    const vgt_diff_frame *f = &d.cmd_frames[0];
    assert_int_equal(f->frame, 1);
    assert_int_equal(f->changed, 1);
    assert_int_equal(f->only_a, 1);
    assert_int_equal(f->only_b, 2);
    assert_int_equal(f->first_a.index, 50);
    assert_int_equal(f->first_b.index, 50);
    assert_int_equal(f->first_a.seq, 250);
    assert_int_equal(f->first_b.seq, 250);
    assert_int_equal(f->first_a.nwords, 5);
    assert_int_equal(f->first_a.words[1], 50);
    assert_int_equal(f->first_b.words[1], 100000);
    f = &d.cmd_frames[1];
    assert_int_equal(f->frame, 2);
    assert_true(f->length_only);
    assert_int_equal(f->only_b, 2);
    assert_int_equal(f->first_a.index, 200);
    assert_false(f->first_a.present);
    assert_int_equal(f->first_b.words[1], 300000);
    /* frame 3: equal commands, another picture and other guest memory bytes */
    assert_int_equal(d.frames_picture_differ, 1);
    assert_int_equal(d.frames_picture_equal, 3);
    assert_int_equal(d.frames_memory_differ, 1);
    assert_int_equal(d.npic_frames, 1);
    f = &d.pic_frames[0];
    assert_int_equal(f->frame, 3);
    assert_true(f->picture_differs && f->memory_differs && !f->commands_differ);
    assert_int_equal(f->a.hash.hash, 1003);
    assert_int_equal(f->b.hash.hash, 7);
    assert_int_equal(f->a.dma_reads, 1);
    assert_int_equal(f->b.dma_reads, 1);
    assert_int_equal(f->a.dma_bytes, 64);
    assert_int_equal(f->b.dma_bytes, 64);
    assert_true(f->a.dma_hash != f->b.dma_hash);
    /* cost: 800 UPDATEs in A, 400 of them timed, at 1 us; B's untimed */
    const vgt_trace_cmd_stat *ua = stat_of(&d.a.cost, VGT_SVGA_CMD_UPDATE);
    const vgt_trace_cmd_stat *ub = stat_of(&d.b.cost, VGT_SVGA_CMD_UPDATE);
    assert_non_null(ua);
    assert_non_null(ub);
    assert_int_equal(ua->count, 800);
    assert_int_equal(ub->count, 803);
    assert_int_equal(ua->timed, 400);
    assert_int_equal(ua->exec_ns, 400000);
    assert_true(vgt_trace_cmd_stat_mean_exec_us(ua) == 1.0);
    assert_int_equal(ub->timed, 0);
    vgt_diff_result_free(&d);
    /* frames 2..2: the summary of frame 2 alone (its timing in frame 3) */
    o.first_frame = o.last_frame = 2;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames, 1);
    ua = stat_of(&d.a.cost, VGT_SVGA_CMD_UPDATE);
    assert_non_null(ua);
    assert_int_equal(ua->count, 200);
    assert_int_equal(ua->timed, 200);
    vgt_diff_result_free(&d);
    o.first_frame = 0;
    o.last_frame = UINT64_MAX;

    /* bounded: past max_align, or max_edits, position by position (the
     * shifted tail of frame 1 then differs everywhere) */
    o.max_align = 100;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames_positional, 1);
    assert_true(d.cmd_frames[0].positional);
    assert_int_equal(d.cmd_frames[0].first_a.index, 50);
    assert_int_equal(d.cmd_frames[0].changed, 32); /* 50 against 100000, then 120.. shifted */
    assert_int_equal(d.cmd_frames[0].only_b, 1);
    vgt_diff_result_free(&d);
    o.max_align = 0;
    o.max_edits = 3;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames_positional, 1);
    vgt_diff_result_free(&d);
    o.max_edits = 5;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames_positional, 0);
    assert_int_equal(d.changed, 1);
    vgt_diff_result_free(&d);
    /* limit 0: totals only */
    o.limit = 0;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.ncmd_frames + d.npic_frames, 0);
    assert_int_equal(d.only_b, 4);
    vgt_diff_result_free(&d);
}

/* A byte of a chunk body flipped: an error naming the chunk; another
 * protocol: refused. */
static void test_diff_damaged_and_foreign(void **state)
{
    (void)state;
    char a[1200], bad[1200], foreign[1200];
    tmp_path(a, sizeof(a), "dmg-a.vgt");
    tmp_path(bad, sizeof(bad), "dmg-b.vgt");
    tmp_path(foreign, sizeof(foreign), "foreign.vgt");
    tw t;
    for (int k = 0; k < 2; k++) {
        tw_open(&t, k ? bad : a, VGT_SVGA_TRACE_PROTOCOL_NAME, 4096);
        for (uint32_t f = 0; f < 40; f++) {
            for (uint32_t i = 0; i < 40; i++) {
                tw_update(&t, i * 7919u + f);
            }
            tw_end_frame(&t, f, f);
        }
        tw_close(&t);
    }
    struct stat sb;
    assert_int_equal(stat(bad, &sb), 0);
    FILE *fp = fopen(bad, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, sb.st_size / 2, SEEK_SET), 0);
    int c = fgetc(fp);
    assert_int_equal(fseek(fp, sb.st_size / 2, SEEK_SET), 0);
    fputc(c ^ 0x5a, fp);
    fclose(fp);
    vgt_diff_result d;
    vgt_error err = {0};
    vgt_status st = vgt_diff(a, bad, NULL, &d, &err);
    vgt_diff_result_free(&d);
    assert_true(st == VGT_E_CHECKSUM || st == VGT_E_FORMAT || st == VGT_E_TRUNCATED);
    assert_non_null(strstr(err.message, "B: "));
    assert_non_null(strstr(err.message, "chunk"));

    tw_open(&t, foreign, "other", 0);
    tw_update(&t, 1);
    tw_end_frame(&t, 0, 0);
    tw_close(&t);
    memset(&err, 0, sizeof(err));
    assert_int_equal(vgt_diff(foreign, a, NULL, &d, &err), VGT_E_UNSUPPORTED);
    vgt_diff_result_free(&d);
    assert_non_null(strstr(err.message, "not an SVGA trace"));
}

/* ---- salvage --------------------------------------------------------------------- */

/* Six frames of ten UPDATEs, each frame a chunk of its own (flushed at its
 * end): chunk k holds frame k whole, its FRAME_END last. */
static void write_framed(const char *path)
{
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    for (uint32_t f = 0; f < 6; f++) {
        for (uint32_t i = 0; i < 10; i++) {
            tw_update(&t, i * 31u + f);
        }
        tw_end_frame(&t, f, 500u + f);
        assert_int_equal(vgt_trace_writer_flush(t.w, NULL), VGT_OK);
    }
    tw_close(&t);
}

/* Flips a byte in the middle of chunk k of path (between its header and
 * the next chunk's), a chunk of frame `frame` alone (checked). */
static void damage_chunk(const char *path, uint64_t k, uint64_t frame)
{
    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, NULL), VGT_OK);
    vgt_trace_chunk_info c, next;
    assert_true(vgt_trace_reader_chunk(r, k, &c));
    assert_true(vgt_trace_reader_chunk(r, k + 1u, &next));
    assert_int_equal(c.first_frame, frame);
    assert_int_equal(c.last_frame, frame);
    vgt_trace_reader_close(r);
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    long at = (long)(c.offset + (next.offset - c.offset) / 2u);
    assert_int_equal(fseek(fp, at, SEEK_SET), 0);
    int ch = fgetc(fp);
    assert_int_equal(fseek(fp, at, SEEK_SET), 0);
    fputc(ch ^ 0x5a, fp);
    fclose(fp);
}

/* salvage: the cost rows count the compared frames alone.  Three frames
 * of ten UPDATEs; frame 1 is in two chunks, the first opening with the
 * TIMING of frame 0's commands, the second (damaged in B) holding the
 * rest of frame 1 and its TIMING.  Frame 1 is damaged: neither side counts
 * its commands (A counted its 10 and B the 5 it read: 30 against 25), and
 * frame 0's timings, read in frame 1, still count, in either order. */
static void test_diff_salvage_cost(void **state)
{
    (void)state;
    char a[1200], bad[1200];
    tmp_path(a, sizeof(a), "cost-a.vgt");
    tmp_path(bad, sizeof(bad), "cost-b.vgt");
    for (int k = 0; k < 2; k++) {
        tw t;
        tw_open(&t, k ? bad : a, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
        for (uint32_t i = 0; i < 10; i++) {
            tw_update(&t, i);
        }
        tw_end_frame(&t, 0, 500);
        assert_int_equal(vgt_trace_writer_flush(t.w, NULL), VGT_OK);
        tw_timing(&t, 0, 10);
        for (uint32_t i = 0; i < 5; i++) {
            tw_update(&t, 100 + i);
        }
        assert_int_equal(vgt_trace_writer_flush(t.w, NULL), VGT_OK);
        for (uint32_t i = 5; i < 10; i++) {
            tw_update(&t, 100 + i);
        }
        tw_timing(&t, 10, 10);
        tw_end_frame(&t, 1, 501);
        assert_int_equal(vgt_trace_writer_flush(t.w, NULL), VGT_OK);
        for (uint32_t i = 0; i < 10; i++) {
            tw_update(&t, 200 + i);
        }
        tw_timing(&t, 20, 10);
        tw_end_frame(&t, 2, 502);
        tw_close(&t);
    }
    damage_chunk(bad, 2, 1);
    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 10, .salvage = true};
    for (int order = 0; order < 2; order++) {
        vgt_diff_result d;
        diff_ok(order ? bad : a, order ? a : bad, &o, &d);
        assert_int_equal(d.frames, 3);
        assert_int_equal(d.frames_damaged, 1);
        assert_true(vgt_diff_frame_damaged(order ? &d.a : &d.b, 1));
        for (int side = 0; side < 2; side++) {
            const vgt_trace_cmd_stat *u =
                stat_of(side ? &d.b.cost : &d.a.cost, VGT_SVGA_CMD_UPDATE);
            assert_non_null(u);
            if (u->count != 20 || u->timed != 20 || u->exec_ns != 20000) {
                fail_msg("order %d, side %d: %llu UPDATEs, %llu timed, %llu ns; wanted 20, 20, "
                         "20000",
                         order, side, (unsigned long long)u->count, (unsigned long long)u->timed,
                         (unsigned long long)u->exec_ns);
            }
        }
        vgt_diff_result_free(&d);
    }
}

/* salvage: a chunk that holds one frame whole damages that frame only (the
 * chunk index's frames: the records read around the gap would name the
 * next frame too), two chunks apart are two ranges, a --frames range that
 * starts in a damaged chunk; the other frames compare equal. */
static void test_diff_salvage_frames(void **state)
{
    (void)state;
    char a[1200], bad[1200];
    tmp_path(a, sizeof(a), "slv-a.vgt");
    tmp_path(bad, sizeof(bad), "slv-b.vgt");
    write_framed(a);
    write_framed(bad);
    damage_chunk(bad, 2, 2);
    damage_chunk(bad, 4, 4);
    vgt_diff_result d;
    vgt_error err = {0};
    assert_int_not_equal(vgt_diff(a, bad, NULL, &d, &err), VGT_OK); /* without salvage */
    vgt_diff_result_free(&d);
    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 10, .salvage = true};
    for (int order = 0; order < 2; order++) {
        diff_ok(order ? bad : a, order ? a : bad, &o, &d);
        const vgt_diff_trace *dt = order ? &d.a : &d.b, *ok = order ? &d.b : &d.a;
        assert_int_equal(d.first, 0);
        assert_int_equal(d.last, 5);
        assert_int_equal(d.frames, 6);
        assert_int_equal(d.frames_damaged, 2);
        assert_int_equal(dt->ndamaged, 2);
        assert_int_equal(dt->damaged[0][0], 2);
        assert_int_equal(dt->damaged[0][1], 2);
        assert_int_equal(dt->damaged[1][0], 4);
        assert_int_equal(dt->damaged[1][1], 4);
        assert_int_equal(dt->nproblems, 2);
        assert_int_equal(dt->problems[0].problem.chunk, 2);
        assert_int_equal(dt->problems[1].problem.chunk, 4);
        assert_int_equal(ok->ndamaged, 0);
        assert_int_equal(ok->nproblems, 0);
        assert_true(vgt_diff_frame_damaged(dt, 2));
        assert_false(vgt_diff_frame_damaged(dt, 3));
        assert_true(d.equal);
        assert_int_equal(d.frames_picture_equal, 4);
        assert_int_equal(d.a.commands, 40);
        assert_int_equal(d.b.commands, 40);
        vgt_diff_result_free(&d);
    }
    /* from frame 2, in the damaged chunk: the seek stands there */
    o.first_frame = 2;
    diff_ok(a, bad, &o, &d);
    assert_int_equal(d.first, 2);
    assert_int_equal(d.frames, 4);
    assert_int_equal(d.frames_damaged, 2);
    assert_int_equal(d.b.ndamaged, 2);
    assert_int_equal(d.b.damaged[0][0], 2);
    assert_int_equal(d.b.damaged[0][1], 2);
    assert_int_equal(d.frames_picture_equal, 2);
    vgt_diff_result_free(&d);

    /* without its footer, chunk 2's header damaged: the rebuilt index
     * leaves the chunk out, so the frames are the gap's: from the one after
     * frame 1's end to the next record's, frame 3 (it may have started in
     * the chunk), both counted though the frame ends were lost */
    char nf[1200];
    tmp_path(nf, sizeof(nf), "slv-nf.vgt");
    vgt_trace_reader *r;
    assert_int_equal(vgt_trace_reader_open(a, NULL, &r, NULL), VGT_OK);
    vgt_trace_chunk_info c2, c5;
    assert_true(vgt_trace_reader_chunk(r, 2, &c2));
    assert_true(vgt_trace_reader_chunk(r, 5, &c5));
    vgt_trace_reader_close(r);
    FILE *in = fopen(a, "rb"), *out = fopen(nf, "wb");
    assert_non_null(in);
    assert_non_null(out);
    for (uint64_t i = 0; i < c5.offset + 80u + c5.compressed_size; i++) {
        int ch = fgetc(in);
        assert_int_not_equal(ch, EOF);
        fputc(i == c2.offset + 4u ? ch ^ 0x5a : ch, out); /* the header */
    }
    fclose(in);
    fclose(out);
    o.first_frame = 0;
    diff_ok(a, nf, &o, &d);
    assert_int_equal(d.last, 5);
    assert_int_equal(d.frames_damaged, 2);
    assert_int_equal(d.b.ndamaged, 1);
    assert_int_equal(d.b.damaged[0][0], 2);
    assert_int_equal(d.b.damaged[0][1], 3);
    assert_true(d.b.nproblems >= 1);
    assert_int_equal(d.b.problems[0].problem.chunk, 2);
    assert_int_equal(d.frames_picture_equal, 4);
    vgt_diff_result_free(&d);
}

/* ---- --ignore-ids ----------------------------------------------------------------- */

/* How write_ids numbers its objects. */
typedef struct ids {
    uint32_t sid0, sid1, cid, shid, fence; /* sid0 first defined, sid1 second */
    uint32_t draw_sid;                     /* the vertex array's surface (sid1 when consistent) */
} ids;

/* Three frames of 3D commands naming surfaces sid0 and sid1, context cid,
 * shader shid, and fences fence+1.., and a video overlay escape naming GMR
 * cid+2 and screen cid; each frame starts with one UPDATE (no id: equal
 * whatever the numbering).  14 commands hold ids. */
static void write_ids(const char *path, const ids *x)
{
    tw t;
    tw_open(&t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    const uint32_t I = VGT_SVGA3D_INVALID_ID, F = VGT_SVGA_CMD_FENCE;
    /* frame 0: 7 commands with ids */
    tw_update(&t, 1);
    const uint32_t ctx[] = {VGT_SVGA3D_CMD_CONTEXT_DEFINE, 0, x->cid};
    tw_cmd(&t, ctx, 3);
    for (int k = 0; k < 2; k++) {
        const uint32_t sd[] = {VGT_SVGA3D_CMD_SURFACE_DEFINE,
                               0,
                               k ? x->sid1 : x->sid0,
                               0,
                               VGT_SVGA3D_X8R8G8B8,
                               1,
                               0,
                               0,
                               0,
                               0,
                               0,
                               64,
                               64,
                               1};
        tw_cmd(&t, sd, 14);
    }
    const uint32_t sh[] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 0,          x->cid, x->shid,
                           VGT_SVGA3D_SHADERTYPE_VS,     0xFFFE0200u};
    tw_cmd(&t, sh, 6);
    const uint32_t rt[] = {
        VGT_SVGA3D_CMD_SETRENDERTARGET, 0, x->cid, VGT_SVGA3D_RT_COLOR0, x->sid0, 0, 0};
    tw_cmd(&t, rt, 7);
    const uint32_t ts[] = {VGT_SVGA3D_CMD_SETTEXTURESTATE, 0,      x->cid, 0,
                           VGT_SVGA3D_TS_BIND_TEXTURE,     x->sid1};
    tw_cmd(&t, ts, 6);
    const uint32_t f1[] = {F, x->fence + 1u};
    tw_cmd(&t, f1, 2);
    tw_end_frame(&t, 0, 1);
    /* frame 1: 4 */
    tw_update(&t, 2);
    const uint32_t ss[] = {VGT_SVGA3D_CMD_SET_SHADER, 0, x->cid, VGT_SVGA3D_SHADERTYPE_VS, x->shid};
    tw_cmd(&t, ss, 5);
    uint32_t dp[5 + 9 + 2 * 7] = {VGT_SVGA3D_CMD_DRAW_PRIMITIVES, 0, x->cid, 1, 2};
    dp[5 + 0] = VGT_SVGA3D_DECLTYPE_FLOAT3;
    dp[5 + 4] = x->draw_sid; /* array.surfaceId */
    dp[5 + 6] = 12;
    for (int k = 0; k < 2; k++) {
        uint32_t *r = &dp[14 + 7 * k];
        r[0] = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST;
        r[1] = 1;
        r[2] = k ? I : x->sid0; /* indexArray.surfaceId; INVALID: not indexed, kept */
        r[5] = 2;               /* index width */
    }
    tw_cmd(&t, dp, 28);
    const uint32_t pr[] = {VGT_SVGA3D_CMD_PRESENT, 0, x->sid0};
    tw_cmd(&t, pr, 3);
    const uint32_t f2[] = {F, x->fence + 2u};
    tw_cmd(&t, f2, 2);
    tw_end_frame(&t, 1, 1);
    /* frame 2: 3 (a video overlay's GMR and screen, named after cid) */
    tw_update(&t, 3);
    const uint32_t sx[] = {VGT_SVGA3D_CMD_SURFACE_DESTROY, 0, x->sid1};
    tw_cmd(&t, sx, 3);
    const uint32_t vid[] = {VGT_SVGA_CMD_ESCAPE,
                            VGT_SVGA_ESCAPE_NSID_VMWARE,
                            6 * 4,
                            VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS,
                            0,
                            VGT_SVGA_VIDEO_DATA_GMRID,
                            x->cid + 2u,
                            VGT_SVGA_VIDEO_DST_SCREEN_ID,
                            x->cid};
    tw_cmd(&t, vid, 9);
    const uint32_t f3[] = {F, x->fence + 3u};
    tw_cmd(&t, f3, 2);
    tw_end_frame(&t, 2, 1);
    tw_close(&t);
}

/* B numbers A's objects otherwise (+100, and its two surfaces in the
 * other order of value: A's 10, 11 are B's 111, 110) and its fences from
 * 1000: without ignore_ids every command holding an id differs, with it
 * none; the ids renamed per kind.  Then an inconsistent renaming (B's
 * draw reads the surface B's render target is, not its texture's): one
 * command differs, printed with its own ids. */
static void test_diff_ignore_ids(void **state)
{
    (void)state;
    char a[1200], b[1200], c[1200];
    tmp_path(a, sizeof(a), "ids-a.vgt");
    tmp_path(b, sizeof(b), "ids-b.vgt");
    tmp_path(c, sizeof(c), "ids-c.vgt");
    const ids xa = {.sid0 = 10, .sid1 = 11, .cid = 1, .shid = 5, .fence = 0, .draw_sid = 11};
    const ids xb = {
        .sid0 = 111, .sid1 = 110, .cid = 101, .shid = 105, .fence = 1000, .draw_sid = 110};
    ids xc = xb;
    xc.draw_sid = xb.sid0; /* one sid mapped to two */
    write_ids(a, &xa);
    write_ids(b, &xb);
    write_ids(c, &xc);

    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 10};
    vgt_diff_result d;
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.frames, 3);
    assert_int_equal(d.frames_commands_differ, 3);
    assert_int_equal(d.changed, 14);
    assert_int_equal(d.only_a + d.only_b, 0);
    assert_int_equal(d.cmd_frames[0].changed, 7);
    assert_int_equal(d.cmd_frames[1].changed, 4);
    assert_int_equal(d.cmd_frames[2].changed, 3);
    assert_int_equal(d.a.ids[VGT_ID_SURFACE], 0); /* nothing renamed */
    vgt_diff_result_free(&d);

    o.ignore_ids = true;
    diff_ok(a, b, &o, &d);
    assert_true(d.equal);
    assert_int_equal(d.frames_commands_differ, 0);
    assert_int_equal(d.changed + d.only_a + d.only_b, 0);
    assert_int_equal(d.a.commands, 17);
    for (int t = 0; t < 2; t++) {
        const vgt_diff_trace *x = t ? &d.b : &d.a;
        assert_int_equal(x->ids[VGT_ID_SURFACE], 2);
        assert_int_equal(x->ids[VGT_ID_CONTEXT], 1);
        assert_int_equal(x->ids[VGT_ID_SHADER], 1);
        assert_int_equal(x->ids[VGT_ID_GMR], 1);
        assert_int_equal(x->ids[VGT_ID_SCREEN], 1);
        assert_int_equal(x->ids[VGT_ID_FENCE], 3);
        assert_false(x->ids_overflow);
    }
    vgt_diff_result_free(&d);
    /* the frames compared alone: the renaming starts at the first of them */
    o.first_frame = o.last_frame = 1;
    diff_ok(a, b, &o, &d);
    assert_true(d.equal);
    assert_int_equal(d.a.ids[VGT_ID_SURFACE], 2); /* the draw names sid1, then sid0 */
    vgt_diff_result_free(&d);
    o.first_frame = 0;
    o.last_frame = UINT64_MAX;

    /* inconsistent: B's draw reads 111 (its sid0, renamed 0) where A's
     * reads 11 (its sid1, renamed 1) */
    diff_ok(a, c, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.frames_commands_differ, 1);
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.only_a + d.only_b, 0);
    assert_int_equal(d.ncmd_frames, 1);
    const vgt_diff_frame *f = &d.cmd_frames[0];
    assert_int_equal(f->frame, 1);
    assert_int_equal(f->first_a.index, 2);
    assert_int_equal(f->first_a.words[0], VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    /* printed as recorded, not renamed */
    assert_int_equal(f->first_a.words[2], 1);
    assert_int_equal(f->first_a.words[5 + 4], 11);
    assert_int_equal(f->first_b.words[2], 101);
    assert_int_equal(f->first_b.words[5 + 4], 111);
    vgt_diff_result_free(&d);

    /* on the command line: exit 3 without, 0 with */
    char cmd[4096];
    const char *vgt = VGT_BINARY_DIR "/vgt";
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' -q", vgt, a, b);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3);
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' -q --ignore-ids", vgt, a, b);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' -q --ignore-ids", vgt, a, c);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3);
}

/* Past VGT_DIFF_MAX_IDS surfaces in a trace the new ones are compared as
 * they are, and the result says so: 65537 SURFACE_DESTROYs of distinct
 * sids, B's shifted by 10^6: all but the last equal. */
static void test_diff_ignore_ids_overflow(void **state)
{
    (void)state;
    char a[1200], b[1200];
    tmp_path(a, sizeof(a), "ids-many-a.vgt");
    tmp_path(b, sizeof(b), "ids-many-b.vgt");
    for (int k = 0; k < 2; k++) {
        tw t;
        tw_open(&t, k ? b : a, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
        for (uint32_t i = 0; i <= VGT_DIFF_MAX_IDS; i++) {
            const uint32_t w[] = {VGT_SVGA3D_CMD_SURFACE_DESTROY, 0, i + (k ? 1000000u : 0u)};
            tw_cmd(&t, w, 3);
        }
        tw_end_frame(&t, 0, 1);
        tw_close(&t);
    }
    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 1, .ignore_ids = true};
    vgt_diff_result d;
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_true(d.a.ids_overflow && d.b.ids_overflow);
    assert_int_equal(d.a.ids[VGT_ID_SURFACE], VGT_DIFF_MAX_IDS);
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.cmd_frames[0].first_a.index, VGT_DIFF_MAX_IDS);
    vgt_diff_result_free(&d);
    /* against itself: the overflowing ids compare by value, equal */
    diff_ok(a, a, &o, &d);
    assert_true(d.equal);
    assert_true(d.a.ids_overflow);
    vgt_diff_result_free(&d);
}

/* ---- ignore: command types left out ---------------------------------------------- */

static void tw_fence_cmd(tw *t, uint32_t value)
{
    const uint32_t w[] = {VGT_SVGA_CMD_FENCE, value};
    tw_cmd(t, w, 2);
}

/* A SURFACE_DMA to surface 5 from the framebuffer GMR, one box of width w. */
static void tw_surface_dma(tw *t, uint32_t w)
{
    const uint32_t d[] = {VGT_SVGA3D_CMD_SURFACE_DMA,
                          0,
                          VGT_SVGA_GMR_FRAMEBUFFER,
                          0,
                          256,
                          5,
                          0,
                          0,
                          VGT_SVGA3D_WRITE_HOST_VRAM,
                          0,
                          0,
                          0,
                          w,
                          4,
                          1,
                          0,
                          0,
                          0};
    tw_cmd(t, d, 18);
}

/* Four frames of equal pictures.  0: UPDATE 1, FENCE 1, UPDATE 2 in both.
 * 1: UPDATE 1, FENCE 2; B two FENCEs more (3, 4).  2: SURFACE_DMA of a box
 * 4 wide (B: 8), UPDATE 3.  3: A FENCE 3 alone; B FENCE 5 and a SURFACE_DMA
 * (every command of the frame is FENCE or SURFACE_DMA).  FENCEs: A 3, B 5;
 * SURFACE_DMAs: A 1, B 2. */
static void write_ignore_pair(const char *a, const char *b)
{
    tw ta, tb;
    tw_open(&ta, a, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_open(&tb, b, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    for (int k = 0; k < 2; k++) {
        tw *t = k ? &tb : &ta;
        tw_update(t, 1);
        tw_fence_cmd(t, 1);
        tw_update(t, 2);
        tw_end_frame(t, 0, 9);
        tw_update(t, 1);
        tw_fence_cmd(t, 2);
        if (k) {
            tw_fence_cmd(t, 3);
            tw_fence_cmd(t, 4);
        }
        tw_end_frame(t, 1, 9);
        tw_surface_dma(t, k ? 8u : 4u);
        tw_update(t, 3);
        tw_end_frame(t, 2, 9);
        tw_fence_cmd(t, k ? 5u : 3u);
        if (k) {
            tw_surface_dma(t, 4);
        }
        tw_end_frame(t, 3, 9);
    }
    tw_close(&ta);
    tw_close(&tb);
}

static void test_diff_ignore_types(void **state)
{
    (void)state;
    char a[1200], b[1200];
    tmp_path(a, sizeof(a), "ign-a.vgt");
    tmp_path(b, sizeof(b), "ign-b.vgt");
    write_ignore_pair(a, b);
    const uint32_t fence_dma[] = {VGT_SVGA_CMD_FENCE, VGT_SVGA3D_CMD_SURFACE_DMA};
    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 10};
    vgt_diff_result d;

    /* nothing ignored: frames 1 (two FENCEs only in B), 2 (the SURFACE_DMA
     * changed) and 3 (FENCE changed, SURFACE_DMA only in B) differ */
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.frames_commands_differ, 3);
    assert_int_equal(d.changed, 2);
    assert_int_equal(d.only_b, 3);
    assert_int_equal(d.a.commands, 8);
    assert_int_equal(d.b.commands, 11);
    assert_int_equal(d.a.ignored + d.b.ignored, 0);
    vgt_diff_result_free(&d);

    /* FENCE ignored: B's extra FENCEs no longer differ; frame 2's
     * SURFACE_DMA does, and frame 3 is A's nothing against B's SURFACE_DMA */
    o.ignore = fence_dma;
    o.nignore = 1;
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.frames_commands_differ, 2);
    assert_int_equal(d.ncmd_frames, 2);
    assert_int_equal(d.cmd_frames[0].frame, 2);
    assert_int_equal(d.cmd_frames[0].changed, 1);
    assert_int_equal(d.cmd_frames[1].frame, 3);
    assert_true(d.cmd_frames[1].length_only);
    assert_int_equal(d.cmd_frames[1].only_b, 1);
    assert_int_equal(d.cmd_frames[1].a.commands, 0);
    assert_int_equal(d.cmd_frames[1].b.commands, 1);
    assert_int_equal(d.cmd_frames[1].a.ignored, 1);
    assert_int_equal(d.cmd_frames[1].b.ignored, 1);
    assert_false(d.cmd_frames[1].first_a.present);
    assert_true(d.cmd_frames[1].first_b.present);
    assert_int_equal(d.cmd_frames[1].first_b.words[0], VGT_SVGA3D_CMD_SURFACE_DMA);
    assert_int_equal(d.a.ignored, 3);
    assert_int_equal(d.b.ignored, 5);
    assert_int_equal(d.a.ignored_by[0], 3);
    assert_int_equal(d.b.ignored_by[0], 5);
    assert_int_equal(d.a.commands, 5);
    assert_int_equal(d.b.commands, 6);
    /* the cost still counts every command */
    assert_int_equal(d.a.cost.commands, 8);
    assert_int_equal(stat_of(&d.b.cost, VGT_SVGA_CMD_FENCE)->count, 5);
    vgt_diff_result_free(&d);

    /* FENCE and SURFACE_DMA: equal; frame 3 has no compared command */
    o.nignore = 2;
    diff_ok(a, b, &o, &d);
    assert_true(d.equal);
    assert_int_equal(d.frames_commands_differ, 0);
    assert_int_equal(d.a.commands, 4);
    assert_int_equal(d.b.commands, 4);
    assert_int_equal(d.a.ignored, 4);
    assert_int_equal(d.b.ignored, 7);
    assert_int_equal(d.a.ignored_by[1], 1);
    assert_int_equal(d.b.ignored_by[1], 2);
    vgt_diff_result_free(&d);

    /* SURFACE_DMA alone: the FENCEs differ (frames 1 and 3) */
    o.ignore = fence_dma + 1;
    o.nignore = 1;
    diff_ok(a, b, &o, &d);
    assert_false(d.equal);
    assert_int_equal(d.frames_commands_differ, 2);
    assert_int_equal(d.cmd_frames[0].frame, 1);
    assert_int_equal(d.cmd_frames[1].frame, 3);
    assert_int_equal(d.cmd_frames[1].changed, 1);
    assert_int_equal(d.cmd_frames[1].only_b, 0);
    assert_int_equal(d.b.ignored_by[0], 2);
    vgt_diff_result_free(&d);

    /* with ignore_ids: fences compare as 0, so frame 3's FENCE is equal and
     * only frame 1's extra two differ; the ignored SURFACE_DMAs name no
     * surface to the renaming */
    o.ignore_ids = true;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames_commands_differ, 1);
    assert_int_equal(d.cmd_frames[0].frame, 1);
    assert_int_equal(d.only_b, 2);
    assert_int_equal(d.a.ids[VGT_ID_SURFACE], 0);
    assert_int_equal(d.a.ids[VGT_ID_FENCE], 3);
    vgt_diff_result_free(&d);
    o.nignore = 0;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.a.ids[VGT_ID_SURFACE], 1);
    vgt_diff_result_free(&d);
    o.ignore_ids = false;

    /* with a frame range: counted over the compared frames only */
    o.ignore = fence_dma;
    o.nignore = 1;
    o.first_frame = 2;
    o.last_frame = 3;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames, 2);
    assert_int_equal(d.a.ignored, 1);
    assert_int_equal(d.b.ignored, 1);
    assert_int_equal(d.frames_commands_differ, 2);
    vgt_diff_result_free(&d);
    o.first_frame = 0;
    o.last_frame = UINT64_MAX;

    /* more types than the bound: refused */
    uint32_t many[VGT_DIFF_MAX_IGNORE + 1] = {0};
    o.ignore = many;
    o.nignore = VGT_DIFF_MAX_IGNORE + 1;
    vgt_error err = {0};
    assert_int_equal(vgt_diff(a, b, &o, &d, &err), VGT_E_RANGE);
    assert_non_null(strstr(err.message, "at most 64"));
    vgt_diff_result_free(&d);

    /* on the command line: text, names in any case, repeated or not */
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' > '%s/ign.txt'", VGT_BINARY_DIR, a, b,
             tmpdir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3);
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' --ignore fence > '%s/ign.txt'",
             VGT_BINARY_DIR, a, b, tmpdir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3);
    snprintf(cmd, sizeof(cmd),
             "grep -qx '  ignored (left out of the comparison): A 3 commands, B 5: FENCE A 3, B 5' "
             "'%s/ign.txt' && grep -qx '  frame 3: B has 1 more command at the end (A 0, B 1; "
             "ignored A 1, B 1)' '%s/ign.txt' && grep -qx '    B #0 seq=[0-9]*: SURFACE_DMA .*' "
             "'%s/ign.txt' && grep -Eqx '  FENCE \\(ignored\\) +3 +5 .*' '%s/ign.txt' && "
             "grep -qx 'different' '%s/ign.txt'",
             tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
    if (system(cmd) != 0) {
        snprintf(cmd, sizeof(cmd), "cat '%s/ign.txt' >&2", tmpdir);
        (void)system(cmd);
        fail_msg("vgt diff --ignore fence's lines");
    }
    snprintf(cmd, sizeof(cmd),
             "'%s/vgt' diff '%s' '%s' --ignore Fence --ignore surface_dma,FENCE > '%s/ign.txt'",
             VGT_BINARY_DIR, a, b, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd),
             "grep -qx '  ignored (left out of the comparison): A 4 commands, B 7: FENCE A 3, B "
             "5; SURFACE_DMA A 1, B 2' '%s/ign.txt' && grep -qx 'commands: 0 of 4 frames differ: "
             "0 changed, 0 only in A, 0 only in B (A 4 commands, B 4)' '%s/ign.txt' && grep -qx "
             "'equal: same commands (FENCE, SURFACE_DMA ignored) and frame hashes' '%s/ign.txt'",
             tmpdir, tmpdir, tmpdir);
    if (system(cmd) != 0) {
        snprintf(cmd, sizeof(cmd), "cat '%s/ign.txt' >&2", tmpdir);
        (void)system(cmd);
        fail_msg("vgt diff --ignore fence,surface_dma's lines");
    }
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' --ignore-ids --ignore SURFACE_DMA,FENCE -q",
             VGT_BINARY_DIR, a, b);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd),
             "'%s/vgt' diff '%s' '%s' --ignore-ids --ignore FENCE,SURFACE_DMA | grep -qx 'equal: "
             "same commands (ids, FENCE, SURFACE_DMA ignored) and frame hashes'",
             VGT_BINARY_DIR, a, b);
    assert_int_equal(system(cmd), 0);
    /* JSON */
    snprintf(cmd, sizeof(cmd),
             "'%s/vgt' diff '%s' '%s' --json --ignore FENCE,SURFACE_DMA > '%s/ign.json'",
             VGT_BINARY_DIR, a, b, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd),
             "grep -qx '  \"ignore\": \\[{\"id\": 30, \"name\": \"FENCE\", \"a\": 3, \"b\": 5}, "
             "{\"id\": 1044, \"name\": \"SURFACE_DMA\", \"a\": 1, \"b\": 2}\\],' '%s/ign.json' && "
             "grep -q '\"commands\": 4, \"ignored\": 7},' '%s/ign.json' && grep -q '\"equal\": "
             "true,' '%s/ign.json' && grep -q '\"name\": \"FENCE\", \"ignored\": true, "
             "\"count_a\": 3, \"count_b\": 5' '%s/ign.json' && grep -q '\"name\": \"UPDATE\", "
             "\"ignored\": false' '%s/ign.json'",
             tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
    if (system(cmd) != 0) {
        snprintf(cmd, sizeof(cmd), "cat '%s/ign.json' >&2", tmpdir);
        (void)system(cmd);
        fail_msg("vgt diff --json --ignore");
    }
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' --json > '%s/ign.json'", VGT_BINARY_DIR, a,
             b, tmpdir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3);
    snprintf(cmd, sizeof(cmd), "grep -qx '  \"ignore\": \\[\\],' '%s/ign.json'", tmpdir);
    assert_int_equal(system(cmd), 0);
    /* an unknown name: exit 1, the close one named */
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' --ignore FENCE,SURFACE_DAM 2> '%s/ign.err'",
             VGT_BINARY_DIR, a, b, tmpdir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
    snprintf(cmd, sizeof(cmd),
             "grep -qx \"vgt diff: --ignore: no command named 'SURFACE_DAM' (close: "
             "SURFACE_DMA)\" '%s/ign.err'",
             tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' --ignore 2> '%s/ign.err'", VGT_BINARY_DIR,
             a, b, tmpdir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' --ignore FENCE, 2> '%s/ign.err'",
             VGT_BINARY_DIR, a, b, tmpdir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
}

/* ---- events: register writes, fences, device errors ------------------------------- */

static void tw_fence(tw *t, uint32_t fence)
{
    uint8_t p[16];
    vgt_store_le64(p, t->seq - 1u);
    vgt_store_le32(p + 8, fence);
    vgt_store_le32(p + 12, 0);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_FENCE, 0, 0, p, 16, NULL), VGT_OK);
}

/* A and B: 4 frames of the same UPDATE, picture and guest memory; each
 * frame writes WIDTH 640 and passes a fence.  B: frame 0 writes one more
 * register; frame 1 WIDTH 800 (same count, other value); frame 2 its fence
 * is 1002 for A's 2 (same count) and it names GMR 9 where A names 3
 * (GMR_ID: renamed with ignore_ids); frame 3 an error A has not, and its
 * cursor sample on screen 40 where A's is on 4 (renamed too).  The
 * commands and pictures are equal: the traces are equal, the events
 * reported. */
static void test_diff_events(void **state)
{
    (void)state;
    char a[1200], b[1200];
    tmp_path(a, sizeof(a), "ev-a.vgt");
    tmp_path(b, sizeof(b), "ev-b.vgt");
    tw ta, tb;
    tw_open(&ta, a, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_open(&tb, b, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    for (uint32_t f = 0; f < 4; f++) {
        tw_reg(&ta, VGT_SVGA_REG_WIDTH, 640);
        tw_reg(&tb, VGT_SVGA_REG_WIDTH, f == 1 ? 800 : 640);
        if (f == 0) {
            tw_reg(&tb, VGT_SVGA_REG_HEIGHT, 480);
        }
        if (f == 2) {
            tw_reg(&ta, VGT_SVGA_REG_GMR_ID, 3);
            tw_reg(&tb, VGT_SVGA_REG_GMR_ID, 9);
        }
        if (f == 3) { /* the cursor on screen 4 in A, 40 in B */
            tw_cursor(&ta, 1, 10, 20, 4);
            tw_cursor(&tb, 1, 10, 20, 40);
        }
        tw_update(&ta, 1);
        tw_update(&tb, 1);
        tw_fence(&ta, f);
        tw_fence(&tb, f == 2 ? 1002u : f);
        if (f == 3) {
            tw_error(&tb, tb.seq - 1u, 1, "UPDATE: outside the screen");
        }
        tw_end_frame(&ta, f, 5);
        tw_end_frame(&tb, f, 5);
    }
    tw_close(&ta);
    tw_close(&tb);

    vgt_diff_options o = {.last_frame = UINT64_MAX, .limit = 10};
    vgt_diff_result d;
    diff_ok(a, b, &o, &d);
    assert_true(d.equal); /* events are reported, as guest memory is */
    assert_int_equal(d.frames, 4);
    assert_int_equal(d.frames_regs_differ, 4);
    assert_int_equal(d.frames_fences_differ, 1);
    assert_int_equal(d.frames_errors_differ, 1);
    assert_int_equal(d.frames_memory_differ, 0);
    assert_int_equal(d.frames_picture_differ, 0);
    assert_int_equal(d.npic_frames, 4);
    const vgt_diff_frame *f = &d.pic_frames[0];
    assert_int_equal(f->frame, 0);
    assert_true(f->regs_differ && !f->fences_differ && !f->errors_differ);
    assert_int_equal(f->a.reg_writes, 1);
    assert_int_equal(f->b.reg_writes, 2);
    f = &d.pic_frames[1];
    assert_int_equal(f->frame, 1);
    assert_true(f->regs_differ && !f->fences_differ && !f->errors_differ);
    assert_int_equal(f->a.reg_writes, 1);
    assert_int_equal(f->b.reg_writes, 1); /* the value differs, not the count */
    assert_true(f->a.reg_hash != f->b.reg_hash);
    f = &d.pic_frames[2];
    assert_int_equal(f->frame, 2);
    assert_true(f->regs_differ && f->fences_differ && !f->errors_differ);
    assert_int_equal(f->a.fences, 1);
    assert_int_equal(f->b.fences, 1);
    assert_true(f->a.fence_hash != f->b.fence_hash);
    f = &d.pic_frames[3];
    assert_int_equal(f->frame, 3);
    assert_true(f->regs_differ && !f->fences_differ && f->errors_differ);
    assert_int_equal(f->a.reg_writes, 2);
    assert_int_equal(f->b.reg_writes, 2);
    assert_int_equal(f->a.errors, 0);
    assert_int_equal(f->b.errors, 1);
    vgt_diff_result_free(&d);
    /* limit 1: the first listed, all counted */
    o.limit = 1;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.npic_frames, 1);
    assert_int_equal(d.frames_regs_differ, 4);
    vgt_diff_result_free(&d);
    /* ignore_ids: fence values are not compared, their count is; GMR 3
     * and 9 are both their trace's first GMR */
    o.last_frame = UINT64_MAX;
    o.ignore_ids = true;
    diff_ok(a, b, &o, &d);
    assert_int_equal(d.frames_fences_differ, 0);
    assert_int_equal(d.frames_regs_differ, 2);
    assert_int_equal(d.a.ids[VGT_ID_GMR], 1);
    assert_int_equal(d.a.ids[VGT_ID_SCREEN], 1);
    assert_int_equal(d.b.ids[VGT_ID_SCREEN], 1);
    assert_int_equal(d.frames_errors_differ, 1);
    vgt_diff_result_free(&d);
    /* on the command line */
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "'%s/vgt' diff '%s' '%s' > '%s/ev.txt'", VGT_BINARY_DIR, a, b,
             tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd),
             "grep -q '^frames: 4 equal pictures, 0 different, 0 without comparable hashes; guest "
             "memory reads differ in 0, register writes in 4, fences in 1, device errors in 1$' "
             "'%s/ev.txt' && grep -q '^  frame 0: pictures equal; guest memory reads equal (0 "
             "reads, 0 bytes); register writes differ (A 1, B 2)$' '%s/ev.txt' && grep -q '^  "
             "frame 1: .*; register writes differ (A 1, B 1; same count, other contents)$' "
             "'%s/ev.txt' && grep -q '^  "
             "frame 2: .*; fences differ (A 1, B 1; same count, other contents)$' '%s/ev.txt' && "
             "grep -q '^  frame 3: .*; register writes differ (A 2, B 2; same count, other "
             "contents); device errors differ (A 0, B 1)$' '%s/ev.txt'",
             tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
    if (system(cmd) != 0) {
        snprintf(cmd, sizeof(cmd), "cat '%s/ev.txt' >&2", tmpdir);
        (void)system(cmd);
        fail_msg("vgt diff's events lines");
    }
}

/* ---- diff --images ------------------------------------------------------------------ */

#define PIC_BASE 0x00204060u /* R 0x20, G 0x40, B 0x60 */

/* A and B: 4 frames of a 64x48 picture of PIC_BASE, equal but for frame 1,
 * where B's pixels 10..19 x 5..7 have blue + 3 and (40,30) red + 100, and
 * frame 3, where B's mode is 32 wide. */
static void write_pictures(const char *a, const char *b)
{
    uint32_t *pa = malloc(PIC_W * PIC_H * 4u), *pb = malloc(PIC_W * PIC_H * 4u);
    assert_true(pa && pb);
    tw ta, tb;
    tw_open(&ta, a, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_open(&tb, b, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    for (uint32_t f = 0; f < 4; f++) {
        for (uint32_t i = 0; i < PIC_W * PIC_H; i++) {
            pa[i] = pb[i] = PIC_BASE;
        }
        if (f == 1) {
            for (uint32_t y = 5; y < 8; y++) {
                for (uint32_t x = 10; x < 20; x++) {
                    pb[y * PIC_W + x] = PIC_BASE + 3u;
                }
            }
            pb[30 * PIC_W + 40] = PIC_BASE + (100u << 16);
        }
        tw_picture(&ta, PIC_W, pa);
        tw_picture(&tb, f == 3 ? PIC_W / 2u : PIC_W, pb);
        tw_end_frame(&ta, f, 1u);
        tw_end_frame(&tb, f, 1u);
    }
    tw_close(&ta);
    tw_close(&tb);
    free(pa);
    free(pb);
}

static void images_ok(const char *a, const char *b, const vgt_diff_images_options *o,
                      vgt_diff_images_result *r)
{
    vgt_error err = {0};
    vgt_status st = vgt_diff_images(a, b, o, r, &err);
    if (st != VGT_OK) {
        fprintf(stderr, "vgt_diff_images: %s\n", err.message);
    }
    assert_int_equal(st, VGT_OK);
}

static bool exists(const char *dir, uint64_t frame, const char *suffix)
{
    char path[1200];
    struct stat sb;
    assert_true(vgt_image_frame_path(path, sizeof(path), dir, frame, suffix));
    return stat(path, &sb) == 0;
}

static uint32_t png_px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + x * 4u);
}

static void read_png(const char *dir, uint64_t frame, const char *suffix, vgt_image *img)
{
    char path[1200];
    vgt_error err = {0};
    assert_true(vgt_image_frame_path(path, sizeof(path), dir, frame, suffix));
    assert_int_equal(vgt_image_read_png(img, path, &err), VGT_OK);
}

/* The replayed pictures of the hand-made pair: frame 1's 31 pixels, its
 * box, its largest delta, the three PNGs read back; frame 3 of another
 * size; --tolerance 3 leaves the red pixel, 100 none. */
static void test_diff_images_pixels(void **state)
{
    (void)state;
    char a[1200], b[1200], dir[1200];
    tmp_path(a, sizeof(a), "pic-a.vgt");
    tmp_path(b, sizeof(b), "pic-b.vgt");
    tmp_path(dir, sizeof(dir), "pic-images/new"); /* its parent exists, it does not */
    write_pictures(a, b);
    char parent[1200];
    tmp_path(parent, sizeof(parent), "pic-images");
    assert_int_equal(mkdir(parent, 0777), 0);
    vgt_diff_images_options o = {.first_frame = 0,
                                 .last_frame = UINT64_MAX,
                                 .backend = VGT_REPLAY_BACKEND_SOFT,
                                 .dir = dir,
                                 .limit = 10};
    vgt_diff_images_result r;
    images_ok(a, b, &o, &r);
    assert_false(r.equal);
    assert_int_equal(r.backend_a, VGT_REPLAY_BACKEND_SOFT);
    assert_int_equal(r.frames, 4);
    assert_int_equal(r.frames_equal, 2);
    assert_int_equal(r.frames_differ, 1);
    assert_int_equal(r.frames_size_differ, 1);
    assert_int_equal(r.frames_written, 1);
    assert_int_equal(r.nlist, 2);
    const vgt_diff_image_frame *f = &r.list[0];
    assert_int_equal(f->frame, 1);
    assert_false(f->size_differs);
    assert_true(f->written);
    assert_int_equal(f->diff.pixels_over, 31);
    assert_int_equal(f->diff.pixels_total, PIC_W * PIC_H);
    assert_int_equal(f->diff.max_channel_delta, 100);
    assert_int_equal(f->diff.x0, 10);
    assert_int_equal(f->diff.y0, 5);
    assert_int_equal(f->diff.x1, 41);
    assert_int_equal(f->diff.y1, 31);
    f = &r.list[1];
    assert_int_equal(f->frame, 3);
    assert_true(f->size_differs);
    assert_false(f->written);
    assert_true(f->a_display && f->b_display);
    assert_int_equal(f->a_width, PIC_W);
    assert_int_equal(f->b_width, PIC_W / 2u);
    assert_int_equal(f->b_height, PIC_H);
    vgt_diff_images_result_free(&r);
    for (uint64_t k = 0; k < 4; k++) {
        assert_int_equal(exists(dir, k, "-a"), k == 1);
        assert_int_equal(exists(dir, k, "-b"), k == 1);
        assert_int_equal(exists(dir, k, "-diff"), k == 1);
    }
    /* the pictures read back: A's and B's as replayed, the diff's marks */
    vgt_image ia, ib, id;
    read_png(dir, 1, "-a", &ia);
    read_png(dir, 1, "-b", &ib);
    read_png(dir, 1, "-diff", &id);
    assert_int_equal(id.width, PIC_W);
    assert_int_equal(id.height, PIC_H);
    assert_int_equal(png_px(&ia, 40, 30), 0xff000000u | PIC_BASE);
    assert_int_equal(png_px(&ib, 40, 30), 0xff000000u | (PIC_BASE + (100u << 16)));
    assert_int_equal(png_px(&ib, 10, 5), 0xff000000u | (PIC_BASE + 3u));
    assert_int_equal(png_px(&ib, 9, 5), 0xff000000u | PIC_BASE);
    uint32_t marks = 0;
    for (uint32_t y = 0; y < PIC_H; y++) {
        for (uint32_t x = 0; x < PIC_W; x++) {
            bool in = (x >= 10 && x < 20 && y >= 5 && y < 8) || (x == 40 && y == 30);
            /* A's 0x204060 dimmed: luma 58, grey 32 + 58 / 4 = 0x2e */
            assert_int_equal(png_px(&id, x, y), in ? VGT_IMAGE_DIFF_MARK : 0xff2e2e2eu);
            marks += in;
        }
    }
    assert_int_equal(marks, 31);
    vgt_image_free(&ia);
    vgt_image_free(&ib);
    vgt_image_free(&id);

    /* --tolerance 3: the blue + 3 pixels are equal, the red one is not */
    char dir3[1200];
    tmp_path(dir3, sizeof(dir3), "pic-images-3");
    o.dir = dir3;
    o.tolerance = 3;
    images_ok(a, b, &o, &r);
    assert_int_equal(r.frames_differ, 1);
    assert_int_equal(r.list[0].diff.pixels_over, 1);
    assert_int_equal(r.list[0].diff.max_channel_delta, 100);
    assert_true(r.list[0].diff.x0 == 40 && r.list[0].diff.y0 == 30);
    assert_true(r.list[0].diff.x1 == 41 && r.list[0].diff.y1 == 31);
    vgt_diff_images_result_free(&r);
    read_png(dir3, 1, "-diff", &id);
    assert_int_equal(png_px(&id, 40, 30), VGT_IMAGE_DIFF_MARK);
    assert_int_equal(png_px(&id, 10, 5), 0xff2e2e2eu);
    vgt_image_free(&id);
    /* --tolerance 100: frame 1 equal, nothing written; frame 3 still differs */
    char dir100[1200];
    tmp_path(dir100, sizeof(dir100), "pic-images-100");
    o.dir = dir100;
    o.tolerance = 100;
    images_ok(a, b, &o, &r);
    assert_false(r.equal);
    assert_int_equal(r.frames_equal, 3);
    assert_int_equal(r.frames_differ, 0);
    assert_int_equal(r.frames_size_differ, 1);
    assert_int_equal(r.frames_written, 0);
    assert_false(exists(dir100, 1, "-a") || exists(dir100, 1, "-diff"));
    vgt_diff_images_result_free(&r);
    /* frames 1..2 only, limit 0: counted, not listed */
    o.tolerance = 0;
    o.first_frame = 1;
    o.last_frame = 2;
    o.limit = 0;
    images_ok(a, b, &o, &r);
    assert_int_equal(r.frames, 2);
    assert_int_equal(r.frames_differ, 1);
    assert_int_equal(r.frames_size_differ, 0);
    assert_int_equal(r.nlist, 0);
    vgt_diff_images_result_free(&r);
    /* a trace against itself: equal, nothing written */
    char same[1200];
    tmp_path(same, sizeof(same), "pic-same");
    o.dir = same;
    o.first_frame = 0;
    o.last_frame = UINT64_MAX;
    images_ok(b, b, &o, &r);
    assert_true(r.equal);
    assert_int_equal(r.frames, 4);
    assert_int_equal(r.frames_equal, 4);
    assert_int_equal(r.frames_written, 0);
    vgt_diff_images_result_free(&r);
    for (uint64_t k = 0; k < 4; k++) {
        assert_false(exists(same, k, "-a"));
    }

    /* vgt diff's exit status: frame 1 has the same commands and recorded
     * hashes (vgt_diff: equal), only the replayed pictures differ */
    vgt_diff_options dopt = {.first_frame = 1, .last_frame = 1};
    vgt_diff_result d;
    diff_ok(a, b, &dopt, &d);
    assert_true(d.equal);
    vgt_diff_result_free(&d);
    char cmd[4096];
    const char *vgt = VGT_BINARY_DIR "/vgt";
    assert_int_equal(access(vgt, X_OK), 0);
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' --frames 1-1 -q", vgt, a, b);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' --frames 1-1 -q --images '%s'", vgt, a, b,
             same);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3);
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' --frames 1-1 -q --images '%s' --tolerance 100",
             vgt, a, b, same);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "'%s' diff '%s' '%s' --frames 0-0 -q --images '%s'", vgt, a, b,
             same);
    assert_int_equal(system(cmd), 0);

    /* a replay that fails: B's UPDATE of frame 0, before any mode, failed
     * in replay and not live; the error names B */
    char torn[1200];
    tmp_path(torn, sizeof(torn), "pic-noread.vgt");
    tw t;
    tw_open(&t, torn, VGT_SVGA_TRACE_PROTOCOL_NAME, 0);
    tw_update_rect(&t, 0, PIC_W, PIC_H);
    tw_end_frame(&t, 0, 1u);
    tw_close(&t);
    vgt_error rerr = {0};
    o.dir = same;
    vgt_status rst = vgt_diff_images(a, torn, &o, &r, &rerr);
    vgt_diff_images_result_free(&r);
    assert_int_equal(rst, VGT_E_STATE); /* diverged: it failed in replay, not live */
    assert_ptr_equal(strstr(rerr.message, "B: "), rerr.message);
    assert_non_null(strstr(rerr.message, "pic-noread.vgt"));

    /* refused: the null backend; a directory that cannot be made */
    vgt_error err = {0};
    o.backend = VGT_REPLAY_BACKEND_NULL;
    assert_int_equal(vgt_diff_images(a, b, &o, &r, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "null backend"));
    vgt_diff_images_result_free(&r);
    char bad[1300];
    snprintf(bad, sizeof(bad), "%s/sub", a); /* under a file */
    o.backend = VGT_REPLAY_BACKEND_SOFT;
    o.dir = bad;
    memset(&err, 0, sizeof(err));
    assert_int_equal(vgt_diff_images(a, b, &o, &r, &err), VGT_E_IO);
    assert_non_null(strstr(err.message, "cannot create"));
    vgt_diff_images_result_free(&r);
}

/* Two captures of cube replayed on soft: every frame's pictures equal, no
 * picture written. */
static void test_diff_images_cube_equal(void **state)
{
    (void)state;
    char a[1200], b[1200], dir[1200];
    tmp_path(a, sizeof(a), "img-cube-1.vgt");
    tmp_path(b, sizeof(b), "img-cube-2.vgt");
    tmp_path(dir, sizeof(dir), "img-cube");
    capture(a, "cube", true, 5, 0, 0);
    capture(b, "cube", true, 5, 0, 0);
    vgt_diff_images_options o = {
        .last_frame = UINT64_MAX, .backend = VGT_REPLAY_BACKEND_SOFT, .dir = dir, .limit = 10};
    vgt_diff_images_result r;
    images_ok(a, b, &o, &r);
    assert_true(r.equal);
    assert_true(r.frames >= 5);
    assert_int_equal(r.frames_equal, r.frames);
    assert_int_equal(r.frames_written + r.nlist, 0);
    vgt_diff_images_result_free(&r);
    char cmd[1300];
    snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", dir);
    assert_int_equal(system(cmd), 0); /* created, empty */
}

static int setup(void **state)
{
    (void)state;
    return tw_tmpdir_make(tmpdir, sizeof(tmpdir), "diff");
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_alignment),
        cmocka_unit_test(test_diff_damaged_and_foreign),
        cmocka_unit_test(test_diff_salvage_frames),
        cmocka_unit_test(test_diff_salvage_cost),
        cmocka_unit_test(test_diff_ignore_ids),
        cmocka_unit_test(test_diff_ignore_ids_overflow),
        cmocka_unit_test(test_diff_ignore_types),
        cmocka_unit_test(test_diff_events),
        cmocka_unit_test(test_diff_draw_calls_one_more),
        cmocka_unit_test(test_diff_cube_twice),
        cmocka_unit_test(test_diff_2d_demo_twice),
        cmocka_unit_test(test_diff_mid_run),
        cmocka_unit_test(test_diff_images_pixels),
        cmocka_unit_test(test_diff_images_cube_equal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
