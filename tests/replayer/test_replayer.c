/* test_replayer.c - the replayer on hand-made traces (verify, divergence,
 * commands that failed live, registers, a corrupted chunk with and without
 * salvage) and executor snapshots (save/load round trip, hostile input). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "exec3d.h"
#include "vgt_format.h"
#include "vgt_replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define W 64u
#define H 48u

static char tmpdir[1024];

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* ---- writing hand-made traces -------------------------------------------------- */

typedef struct tw {
    vgt_trace_writer *w;
    uint64_t seq; /* command numbers */
} tw;

/* Opens a trace whose device configuration is *given (NULL: a 2D device). */
static void tw_open_cfg(tw *t, const char *path, uint32_t chunk_size,
                        const vgt_trace_device_config *given)
{
    vgt_trace_device_config cfg = {
        .vram_size = 1u << 20, .fifo_size = 256u << 10, .max_width = 2560, .max_height = 1600};
    if (given) {
        cfg = *given;
    }
    uint8_t blob[VGT_TRACE_DEVCFG_FIXED + 4 * VGT_TRACE_MAX_3D_CAPS];
    size_t n = vgt_trace_devcfg_encode(&cfg, blob);
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    strcpy(h.protocol_name, VGT_SVGA_TRACE_PROTOCOL_NAME);
    h.device_config = blob;
    h.device_config_size = n;
    h.creator = "test_replayer";
    vgt_trace_writer_settings ws;
    vgt_trace_writer_settings_init(&ws);
    if (chunk_size) {
        ws.chunk_size = chunk_size;
    }
    vgt_error err = {0};
    memset(t, 0, sizeof(*t));
    assert_int_equal(vgt_trace_writer_open(path, &ws, &h, &t->w, &err), VGT_OK);
}

static void tw_open(tw *t, const char *path, uint32_t chunk_size)
{
    tw_open_cfg(t, path, chunk_size, NULL);
}

static void tw_reg(tw *t, uint32_t reg, uint32_t value)
{
    uint8_t p[8];
    vgt_store_le32(p, reg);
    vgt_store_le32(p + 4, value);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_REGISTER_WRITE, 0, 0, p, 8, NULL),
                     VGT_OK);
}

/* The mode registers of a W x H 32-bit screen, enabled. */
static void tw_mode(tw *t)
{
    tw_reg(t, VGT_SVGA_REG_WIDTH, W);
    tw_reg(t, VGT_SVGA_REG_HEIGHT, H);
    tw_reg(t, VGT_SVGA_REG_BITS_PER_PIXEL, 32);
    tw_reg(t, VGT_SVGA_REG_ENABLE, 1);
}

static uint64_t tw_cmd(tw *t, const uint32_t *words, uint32_t n)
{
    uint8_t buf[16 + 64 * 4];
    vgt_store_le64(buf, t->seq);
    vgt_store_le32(buf + 8, 0);
    vgt_store_le32(buf + 12, 0);
    for (uint32_t i = 0; i < n; i++) {
        vgt_store_le32(buf + 16 + 4 * i, words[i]);
    }
    assert_int_equal(
        vgt_trace_writer_append(t->w, VGT_REC_COMMAND, 0, 0, buf, 16 + (size_t)n * 4, NULL),
        VGT_OK);
    return t->seq++;
}

/* A COMMAND_BATCH payload of n commands (cmds[i] of lens[i] words) from seq
 * first, fetched at ts + 10 i; returns its size. */
static size_t batch_payload(uint8_t *buf, uint64_t first, const uint32_t *const *cmds,
                            const uint32_t *lens, uint32_t n)
{
    vgt_store_le64(buf, first);
    vgt_store_le32(buf + 8, n);
    vgt_store_le32(buf + 12, 0);
    size_t at = 16 + 12 * (size_t)n;
    for (uint32_t i = 0; i < n; i++) {
        vgt_store_le32(buf + 16 + 4 * i, lens[i]);
        vgt_store_le32(buf + 16 + 4 * n + 4 * i, 0x100u * i); /* FIFO offset */
        vgt_store_le32(buf + 16 + 8 * n + 4 * i, 10u * i);    /* fetch - timestamp */
        for (uint32_t k = 0; k < lens[i]; k++, at += 4) {
            vgt_store_le32(buf + at, cmds[i][k]);
        }
    }
    return at;
}

/* Records n commands as one COMMAND_BATCH; returns the first one's seq. */
static uint64_t tw_batch(tw *t, const uint32_t *const *cmds, const uint32_t *lens, uint32_t n)
{
    uint8_t buf[1024];
    size_t size = batch_payload(buf, t->seq, cmds, lens, n);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_COMMAND_BATCH, 0, 1000, buf, size, NULL),
                     VGT_OK);
    uint64_t first = t->seq;
    t->seq += n;
    return first;
}

static void tw_dma(tw *t, uint64_t seq, uint32_t gmr, uint32_t offset, const void *bytes,
                   uint32_t len)
{
    uint8_t pre[16];
    vgt_store_le64(pre, seq);
    vgt_store_le32(pre + 8, gmr);
    vgt_store_le32(pre + 12, offset);
    vgt_trace_iov iov[2] = {{pre, 16}, {bytes, len}};
    assert_int_equal(vgt_trace_writer_appendv(t->w, VGT_REC_DMA_DATA, 0, 0, iov, 2, NULL), VGT_OK);
}

/* A rectangle's reads as one DESC|ROWS record and its BYTES. */
static void tw_dma_rows(tw *t, uint64_t seq, uint32_t offset, uint32_t row_bytes, uint32_t pitch,
                        uint32_t rows, const void *bytes)
{
    uint8_t d[VGT_TRACE_DMA_ROWS];
    vgt_store_le64(d, seq);
    vgt_store_le32(d + 8, VGT_SVGA_GMR_FRAMEBUFFER);
    vgt_store_le32(d + 12, offset);
    vgt_store_le32(d + 16, row_bytes * rows);
    vgt_store_le32(d + 20, row_bytes);
    vgt_store_le32(d + 24, pitch);
    vgt_store_le32(d + 28, rows);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_DMA_DATA,
                                             VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, 0, d,
                                             sizeof(d), NULL),
                     VGT_OK);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_DMA_DATA, VGT_TRACE_DMA_F_BYTES, 0,
                                             bytes, (size_t)row_bytes * rows, NULL),
                     VGT_OK);
}

static void tw_error(tw *t, uint64_t seq, const char *msg)
{
    uint8_t p[16 + 64];
    size_t n = strlen(msg);
    vgt_store_le64(p, seq);
    vgt_store_le32(p + 8, 0);
    vgt_store_le32(p + 12, 5 /* execute */);
    memcpy(p + 16, msg, n);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_ERROR, 0, 0, p, 16 + n, NULL), VGT_OK);
}

static void tw_frame(tw *t, uint64_t frame, uint64_t hash, uint32_t w, uint32_t h)
{
    uint8_t p[VGT_TRACE_FRAME_HASH_SIZE];
    memset(p, 0, sizeof(p));
    vgt_store_le64(p, frame);
    vgt_store_le64(p + 8, t->seq ? t->seq - 1 : 0);
    vgt_store_le64(p + 16, hash);
    vgt_store_le32(p + 24, w);
    vgt_store_le32(p + 28, h);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_FRAME_HASH, 0, 0, p, sizeof(p), NULL),
                     VGT_OK);
    assert_int_equal(vgt_trace_writer_frame_end(t->w, 0, NULL), VGT_OK);
}

static void tw_close(tw *t)
{
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_close(t->w, &err), VGT_OK);
}

/* The framebuffer contents of frame f: a pattern that changes per frame. */
static void fb_pattern(uint32_t *px, uint32_t f)
{
    for (uint32_t i = 0; i < W * H; i++) {
        px[i] = (i * 2654435761u) ^ (f * 0x01010101u);
    }
}

/* The hash of what the host shows for that framebuffer (alpha forced). */
static uint64_t fb_hash(const uint32_t *px)
{
    vgt_image img;
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(&img, W, H, &err), VGT_OK);
    for (uint32_t i = 0; i < W * H; i++) {
        vgt_store_le32(img.pixels + 4 * i, px[i] | 0xFF000000u);
    }
    uint64_t h = vgt_trace_frame_hash_image(&img);
    vgt_image_free(&img);
    return h;
}

/* Mode registers, then `frames` frames of one full-screen UPDATE each. */
static void write_update_trace(const char *path, uint32_t frames, uint32_t chunk,
                               int bad_hash_frame, int bad_offset_frame)
{
    tw t;
    tw_open(&t, path, chunk);
    tw_mode(&t);
    static uint32_t px[W * H];
    for (uint32_t f = 0; f < frames; f++) {
        fb_pattern(px, f);
        uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, W, H};
        uint64_t seq = tw_cmd(&t, upd, 5);
        tw_dma(&t, seq, VGT_SVGA_GMR_FRAMEBUFFER, (int)f == bad_offset_frame ? 4u : 0u, px,
               W * H * 4);
        uint32_t fence[2] = {VGT_SVGA_CMD_FENCE, f + 1};
        tw_cmd(&t, fence, 2);
        tw_frame(&t, f, (int)f == bad_hash_frame ? 12345u : fb_hash(px), W, H);
    }
    tw_close(&t);
}

static vgt_status run(const char *path, bool verify, bool salvage, vgt_replay_stats *st,
                      vgt_error *err)
{
    vgt_replayer_options o = {
        .last_frame = UINT64_MAX, .compose = true, .verify = verify, .salvage = salvage};
    vgt_replayer *r = NULL;
    vgt_status s = vgt_replayer_open(path, &o, &r, err);
    if (s != VGT_OK) {
        return s;
    }
    s = vgt_replayer_run(r, st, err);
    vgt_replayer_close(r);
    return s;
}

/* ---- tests -------------------------------------------------------------------- */

static void test_verify_ok(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "ok.vgt");
    write_update_trace(path, 5, 0, -1, -1);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_OK);
    assert_int_equal(st.frames, 5);
    assert_int_equal(st.frames_verified, 5);
    assert_int_equal(st.commands, 10);
    assert_int_equal(st.device_commands, 5);
    assert_int_equal(st.dma_bytes, 5ull * W * H * 4);
    assert_false(st.mismatch.valid);
    assert_int_equal(st.commands_failed, 0);
}

static void test_verify_mismatch_names_frame_and_command(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "badhash.vgt");
    write_update_trace(path, 5, 0, 3, -1);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_E_CHECKSUM);
    assert_non_null(strstr(err.message, "frame 3 differs"));
    assert_non_null(strstr(err.message, "seq 7 FENCE"));
    assert_int_equal(st.frames_verified, 3);
    /* the same as values (vgt replay --json's first_mismatch) */
    static uint32_t px[W * H];
    fb_pattern(px, 3);
    assert_true(st.mismatch.valid);
    assert_int_equal(st.mismatch.frame, 3);
    assert_int_equal(st.mismatch.last_seq, 7);
    assert_int_equal(st.mismatch.last_cmd_id, VGT_SVGA_CMD_FENCE);
    assert_true(st.mismatch.captured_display);
    assert_true(st.mismatch.replayed_display);
    assert_int_equal(st.mismatch.captured_hash, 12345u);
    assert_int_equal(st.mismatch.replayed_hash, fb_hash(px));
    assert_int_equal(st.mismatch.captured_width, W);
    assert_int_equal(st.mismatch.captured_height, H);
    assert_int_equal(st.mismatch.replayed_width, W);
    assert_int_equal(st.mismatch.replayed_height, H);
    /* without --verify the frames are counted as differing, not fatal */
    assert_int_equal(run(path, false, false, &st, &err), VGT_OK);
    assert_int_equal(st.frames_differ, 1);
    assert_true(st.mismatch.valid);
    assert_int_equal(st.mismatch.frame, 3);
}

/* vgt_replayer_begin/_step: one frame a step, its image the replayed
 * picture (equal to the recorded hash), VGT_E_END and the run's stats after
 * the last; a range; a divergence ends the steps with the run's error; a
 * step without a run begun is refused. */
static void test_step_by_step(void **state)
{
    (void)state;
    char path[1200], bad[1200];
    tmp_path(path, sizeof(path), "step.vgt");
    tmp_path(bad, sizeof(bad), "step-diverge.vgt");
    write_update_trace(path, 5, 0, -1, -1);
    write_update_trace(bad, 4, 0, -1, 2);
    vgt_replayer_options o = {.first_frame = 1, .last_frame = 3, .compose = true};
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    vgt_replay_frame f;
    vgt_replay_stats st;
    assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_E_STATE);
    for (int pass = 0; pass < 2; pass++) { /* a second run from the start */
        assert_int_equal(vgt_replayer_begin(r, &err), VGT_OK);
        for (uint64_t k = 1; k <= 3; k++) {
            assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_OK);
            assert_int_equal(f.frame, k);
            assert_non_null(f.image);
            assert_int_equal(f.image->width, W);
            assert_true(f.match);
            assert_int_equal(f.hash, f.recorded_hash);
        }
        memset(&st, 0, sizeof(st));
        assert_int_equal(vgt_replayer_step(r, &f, &st, &err), VGT_E_END);
        assert_null(f.image);
        assert_int_equal(st.frames, 3);
        assert_int_equal(st.first_frame, 1);
        assert_int_equal(st.last_frame, 3);
        assert_int_equal(st.frames_verified, 3);
        assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_E_STATE);
    }
    vgt_replayer_close(r);
    /* frames 0 and 1, then the read of frame 2 diverges */
    o.first_frame = 0;
    o.last_frame = UINT64_MAX;
    assert_int_equal(vgt_replayer_open(bad, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_begin(r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_OK);
    assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_OK);
    assert_int_equal(f.frame, 1);
    assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_E_STATE);
    assert_non_null(strstr(err.message, "seq 4 (UPDATE, guest frame 2)"));
    vgt_replayer_close(r);
    /* a range outside the trace: begin fails as run does */
    o.first_frame = 7;
    o.last_frame = 9;
    assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_begin(r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_step(r, &f, NULL, &err), VGT_E_NOTFOUND);
    vgt_replayer_close(r);
}

static void test_divergent_read(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "diverge.vgt");
    write_update_trace(path, 4, 0, -1, 2);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_E_STATE);
    assert_non_null(strstr(err.message, "seq 4 (UPDATE, guest frame 2)"));
    assert_non_null(strstr(err.message, "offset 0"));
    assert_non_null(strstr(err.message, "offset 4"));
}

/* Frame 0 shows pattern 0 whole; frame 1 updates a 16 x 10 rectangle at
 * (8, 4) from pattern 1, its rows recorded as one DESC|ROWS extent (pitch
 * `pitch`: W * 4 is the framebuffer's, anything else diverges). */
static void write_rows_trace(const char *path, uint32_t pitch, uint64_t *hash1)
{
    tw t;
    tw_open(&t, path, 0);
    tw_mode(&t);
    static uint32_t px0[W * H], px1[W * H], shown[W * H];
    fb_pattern(px0, 0);
    fb_pattern(px1, 1);
    uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, W, H};
    uint64_t seq = tw_cmd(&t, upd, 5);
    tw_dma(&t, seq, VGT_SVGA_GMR_FRAMEBUFFER, 0, px0, W * H * 4);
    tw_frame(&t, 0, fb_hash(px0), W, H);
    enum { X = 8, Y = 4, RW = 16, RH = 10 };
    uint32_t rect[RW * RH];
    memcpy(shown, px0, sizeof(shown));
    for (uint32_t r = 0; r < RH; r++) {
        memcpy(rect + r * RW, px1 + (Y + r) * W + X, RW * 4);
        memcpy(shown + (Y + r) * W + X, px1 + (Y + r) * W + X, RW * 4);
    }
    uint32_t upd2[5] = {VGT_SVGA_CMD_UPDATE, X, Y, RW, RH};
    seq = tw_cmd(&t, upd2, 5);
    tw_dma_rows(&t, seq, (Y * W + X) * 4, RW * 4, pitch, RH, rect);
    *hash1 = fb_hash(shown);
    tw_frame(&t, 1, *hash1, W, H);
    tw_close(&t);
}

static void test_rows_extent_replays(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "rows.vgt");
    uint64_t hash1 = 0;
    write_rows_trace(path, W * 4, &hash1);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_OK);
    assert_int_equal(st.frames_verified, 2);
    assert_int_equal(st.dma_bytes, (uint64_t)W * H * 4 + 16u * 10u * 4u);
    /* rows recorded a pitch apart that the framebuffer does not have: row 1
     * is looked for elsewhere */
    tmp_path(path, sizeof(path), "rows-pitch.vgt");
    write_rows_trace(path, W * 4 + 4, &hash1);
    assert_int_equal(run(path, true, false, &st, &err), VGT_E_STATE);
    assert_non_null(strstr(err.message, "UPDATE"));
    char want[64];
    snprintf(want, sizeof(want), "offset %u", (4u * W + 8u) * 4u + W * 4u + 4u);
    assert_non_null(strstr(err.message, want));
}

/* Row descriptors that cannot be: each refused with its reason. */
static void test_rows_descriptor_checks(void **state)
{
    (void)state;
    struct {
        uint32_t size, length, row_bytes, pitch, rows, offset;
        uint16_t flags;
        const char *why;
    } cases[] = {
        {32, 64, 16, 32, 4, 0, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, NULL},
        {24, 64, 16, 32, 4, 0, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, "wrong size"},
        {32, 64, 16, 32, 4, 0, VGT_TRACE_DMA_F_ROWS, "without their descriptor"},
        {32, 60, 16, 32, 4, 0, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, "rows x row bytes"},
        {32, 64, 16, 8, 4, 0, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, "pitch >= row bytes"},
        {32, 0, 0, 32, 4, 0, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, "non-zero"},
        {32, 0, 16, 32, 0, 0, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, "non-zero"},
        {32, 64, 16, 0x60000000u, 4, 0x10, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS,
         "past 4 GiB"},
        {32, 64, 16, 0x20000000u, 4, 0x10, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t p[32];
        vgt_store_le64(p, 7);
        vgt_store_le32(p + 8, VGT_SVGA_GMR_FRAMEBUFFER);
        vgt_store_le32(p + 12, cases[i].offset);
        vgt_store_le32(p + 16, cases[i].length);
        vgt_store_le32(p + 20, cases[i].row_bytes);
        vgt_store_le32(p + 24, cases[i].pitch);
        vgt_store_le32(p + 28, cases[i].rows);
        vgt_trace_record rec = {
            .type = VGT_REC_DMA_DATA, .flags = cases[i].flags, .size = cases[i].size, .payload = p};
        vgt_trace_dma d;
        vgt_error err = {0};
        vgt_status st = vgt_trace_dma_parse(&rec, &d, &err);
        if (!cases[i].why) {
            assert_int_equal(st, VGT_OK);
            assert_int_equal(d.seq, 7);
            assert_int_equal(d.length, cases[i].length);
            assert_int_equal(d.rows, cases[i].rows);
            assert_int_equal(d.row_bytes, cases[i].row_bytes);
            assert_int_equal(d.pitch, cases[i].pitch);
            assert_null(d.bytes);
        } else {
            assert_int_not_equal(st, VGT_OK);
            if (!strstr(err.message, cases[i].why)) {
                fail_msg("case %zu: '%s' does not say '%s'", i, err.message, cases[i].why);
            }
        }
    }
    /* a plain extent is one row of its length */
    uint8_t p[20] = {0};
    vgt_store_le32(p + 12, 100);
    vgt_trace_record rec = {.type = VGT_REC_DMA_DATA, .flags = 0, .size = 20, .payload = p};
    vgt_trace_dma d;
    assert_int_equal(vgt_trace_dma_parse(&rec, &d, NULL), VGT_OK);
    assert_int_equal(d.length, 4);
    assert_int_equal(d.rows, 1);
    assert_int_equal(d.row_bytes, 4);
    assert_int_equal(d.pitch, 4);
}

/* The frame hash is XXH3_64 of the rows, however it is computed (vgt's
 * own AVX2 build where the CPU has AVX2): against the library's, for
 * widths that end inside XXH3's stripes and blocks, packed and with a
 * stride. */
static void test_frame_hash_is_xxh3_of_rows(void **state)
{
    (void)state;
    static const uint32_t widths[] = {1, 3, 16, 17, 64, 250, 640, 1031};
    static const uint32_t heights[] = {1, 2, 7, 480};
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
        for (size_t j = 0; j < sizeof(heights) / sizeof(heights[0]); j++) {
            uint32_t w = widths[i], h = heights[j];
            for (uint32_t pad = 0; pad <= 12; pad += 12) {
                size_t row = (size_t)w * 4u, stride = row + pad;
                uint8_t *px = malloc(stride * h);
                uint8_t *packed = malloc(row * h);
                assert_non_null(px);
                assert_non_null(packed);
                for (size_t k = 0; k < stride * h; k++) {
                    seed = seed * 1103515245u + 12345u;
                    px[k] = (uint8_t)(seed >> 16);
                }
                for (uint32_t y = 0; y < h; y++) {
                    memcpy(packed + y * row, px + y * stride, row);
                }
                vgt_image img = {.width = w, .height = h, .stride = (uint32_t)stride, .pixels = px};
                uint64_t want = XXH3_64bits(packed, row * h);
                if (vgt_trace_frame_hash_image(&img) != want) {
                    fail_msg("%ux%u stride %zu: frame hash differs from XXH3_64", w, h, stride);
                }
                free(px);
                free(packed);
            }
        }
    }
}

static void test_live_failure_is_expected(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "livefail.vgt");
    tw t;
    tw_open(&t, path, 0);
    tw_mode(&t);
    /* outside the framebuffer: the device rejected it live */
    uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, W, 0, 1, 1};
    uint64_t seq = tw_cmd(&t, upd, 5);
    tw_error(&t, seq, "UPDATE rectangle outside");
    uint32_t fence[2] = {VGT_SVGA_CMD_FENCE, 1};
    tw_cmd(&t, fence, 2);
    static uint32_t black[W * H];
    tw_frame(&t, 0, fb_hash(black), W, H);
    /* a command that succeeded live but claims no read: replay must say so */
    uint32_t upd2[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, 1, 1};
    tw_cmd(&t, upd2, 5);
    tw_frame(&t, 1, fb_hash(black), W, H);
    tw_close(&t);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_E_STATE);
    assert_int_equal(st.commands_failed, 2);
    /* the first failure, for vgt replay --json's device_errors */
    assert_int_equal(st.first_failed_seq, seq);
    assert_int_equal(st.first_failed_id, VGT_SVGA_CMD_UPDATE);
    assert_non_null(strstr(st.first_failed_message, "UPDATE"));
    assert_int_equal(st.frames_verified, 1);
    assert_non_null(strstr(err.message, "seq 2 (UPDATE, guest frame 1)"));
    assert_non_null(strstr(err.message, "no further read recorded"));
}

/* Commands recorded in batches replay as they do one a record: a batch's
 * last command reads the guest memory recorded after the batch. */
static void test_batch_replays(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "batch.vgt");
    tw t;
    tw_open(&t, path, 0);
    tw_mode(&t);
    static uint32_t px[W * H];
    for (uint32_t f = 0; f < 3; f++) {
        fb_pattern(px, f);
        uint32_t fence[2] = {VGT_SVGA_CMD_FENCE, 2 * f + 1};
        uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, W, H};
        const uint32_t *cmds[2] = {fence, upd};
        uint32_t lens[2] = {2, 5};
        uint64_t first = tw_batch(&t, cmds, lens, 2);
        tw_dma(&t, first + 1, VGT_SVGA_GMR_FRAMEBUFFER, 0, px, W * H * 4);
        uint32_t fence2[2] = {VGT_SVGA_CMD_FENCE, 2 * f + 2};
        tw_cmd(&t, fence2, 2); /* a COMMAND record among batches */
        tw_frame(&t, f, fb_hash(px), W, H);
    }
    tw_close(&t);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_OK);
    assert_int_equal(st.frames_verified, 3);
    assert_int_equal(st.commands, 9);
    assert_int_equal(st.device_commands, 6);
    assert_int_equal(st.dma_bytes, 3ull * W * H * 4);
}

/* A command before a batch's last has no recorded reads (writing them would
 * have ended the batch live): one that reads in replay finds only the last
 * command's reads and diverges, named. */
static void test_batch_read_before_last_diverges(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "batchdiv.vgt");
    tw t;
    tw_open(&t, path, 0);
    tw_mode(&t);
    static uint32_t px[W * H];
    uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, W, H};
    const uint32_t *cmds[2] = {upd, upd};
    uint32_t lens[2] = {5, 5};
    uint64_t first = tw_batch(&t, cmds, lens, 2);
    tw_dma(&t, first + 1, VGT_SVGA_GMR_FRAMEBUFFER, 0, px, W * H * 4);
    tw_frame(&t, 0, fb_hash(px), W, H);
    tw_close(&t);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, true, false, &st, &err), VGT_E_STATE);
    assert_non_null(strstr(err.message, "seq 0 (UPDATE, guest frame 0)"));
    assert_non_null(strstr(err.message, "no further read recorded"));
}

/* An empty COMMAND_BATCH record (found by fuzz_replayer: the replayer
 * copied its payload before parsing it) is refused, named. */
static void test_batch_empty(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "batchempty.vgt");
    tw t;
    tw_open(&t, path, 0);
    assert_int_equal(vgt_trace_writer_append(t.w, VGT_REC_COMMAND_BATCH, 0, 0, NULL, 0, NULL),
                     VGT_OK);
    tw_close(&t);
    vgt_replay_stats st;
    vgt_error err = {0};
    assert_int_equal(run(path, false, false, &st, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "record 0 (command_batch, 0 bytes"));
}

static vgt_status parse_batch(const uint8_t *p, uint32_t size, vgt_trace_commands *b,
                              vgt_error *err)
{
    vgt_trace_record rec = {
        .seq = 7, .type = VGT_REC_COMMAND_BATCH, .timestamp_ns = 5000, .size = size, .payload = p};
    return vgt_trace_commands_parse(&rec, b, err);
}

/* COMMAND_BATCH parsing: the commands with their seqs, offsets, fetch times
 * and words; every malformed layout refused with the record named. */
static void test_batch_parse(void **state)
{
    (void)state;
    uint32_t a[3] = {0x11, 0x12, 0x13}, b1[1] = {0x21};
    const uint32_t *cmds[2] = {a, b1};
    uint32_t lens[2] = {3, 1};
    uint8_t buf[256];
    size_t size = batch_payload(buf, 40, cmds, lens, 2);
    assert_int_equal(size, 16 + 24 + 16);
    vgt_trace_commands b;
    vgt_trace_command c;
    vgt_error err = {0};
    assert_int_equal(parse_batch(buf, (uint32_t)size, &b, &err), VGT_OK);
    assert_int_equal(b.count, 2);
    assert_true(vgt_trace_commands_next(&b, &c));
    assert_int_equal(c.seq, 40);
    assert_int_equal(c.nwords, 3);
    assert_int_equal(c.fifo_offset, 0);
    assert_int_equal(c.fetch_ns, 5000);
    assert_int_equal(vgt_load_le32(c.words + 8), 0x13);
    assert_true(vgt_trace_commands_next(&b, &c));
    assert_int_equal(c.seq, 41);
    assert_int_equal(c.nwords, 1);
    assert_int_equal(c.fifo_offset, 0x100);
    assert_int_equal(c.fetch_ns, 5010);
    assert_int_equal(vgt_load_le32(c.words), 0x21);
    assert_false(vgt_trace_commands_next(&b, &c));

    uint8_t bad[256];
    /* one word short, one word over */
    assert_int_equal(parse_batch(buf, (uint32_t)size - 4, &b, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "record 7"));
    memcpy(bad, buf, size);
    memset(bad + size, 0, 4);
    assert_int_equal(parse_batch(bad, (uint32_t)size + 4, &b, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "do not add up"));
    /* a size that is not whole words */
    assert_int_equal(parse_batch(bad, (uint32_t)size + 2, &b, &err), VGT_E_FORMAT);
    /* count 0, and a count whose columns alone overrun the payload */
    memcpy(bad, buf, size);
    vgt_store_le32(bad + 8, 0);
    assert_int_equal(parse_batch(bad, (uint32_t)size, &b, &err), VGT_E_FORMAT);
    vgt_store_le32(bad + 8, 0xFFFFFFFFu);
    assert_int_equal(parse_batch(bad, (uint32_t)size, &b, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "count"));
    /* a command of no words (the lengths still adding up) */
    memcpy(bad, buf, size);
    vgt_store_le32(bad + 16, 4);
    vgt_store_le32(bad + 20, 0);
    assert_int_equal(parse_batch(bad, (uint32_t)size, &b, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "no words"));
    /* seqs past 2^64 */
    memcpy(bad, buf, size);
    vgt_store_le64(bad, UINT64_MAX);
    assert_int_equal(parse_batch(bad, (uint32_t)size, &b, &err), VGT_E_FORMAT);
    /* shorter than its prefix */
    assert_int_equal(parse_batch(buf, 15, &b, &err), VGT_E_FORMAT);
}

/* A batch whose commands repeat the one before them (nwords with
 * VGT_TRACE_BATCH_REPEAT): yielded with that command's words; a repeat
 * first, or of another length, is refused. */
static void test_batch_repeats(void **state)
{
    (void)state;
    /* A (3 words), A again, B (1 word), B again, B again */
    static const uint32_t nw[5] = {3, 3 | VGT_TRACE_BATCH_REPEAT, 1, 1 | VGT_TRACE_BATCH_REPEAT,
                                   1 | VGT_TRACE_BATCH_REPEAT};
    static const uint32_t stored[4] = {0x11, 0x12, 0x13, 0x21};
    uint8_t buf[256];
    vgt_store_le64(buf, 100);
    vgt_store_le32(buf + 8, 5);
    vgt_store_le32(buf + 12, 0);
    for (uint32_t i = 0; i < 5; i++) {
        vgt_store_le32(buf + 16 + 4 * i, nw[i]);
        vgt_store_le32(buf + 36 + 4 * i, 0x40u * i);
        vgt_store_le32(buf + 56 + 4 * i, 7u * i);
    }
    for (uint32_t i = 0; i < 4; i++) {
        vgt_store_le32(buf + 76 + 4 * i, stored[i]);
    }
    uint32_t size = 76 + 16;
    vgt_trace_commands b;
    vgt_trace_command c;
    vgt_error err = {0};
    assert_int_equal(parse_batch(buf, size, &b, &err), VGT_OK);
    static const uint32_t want_n[5] = {3, 3, 1, 1, 1};
    static const uint32_t want_first[5] = {0x11, 0x11, 0x21, 0x21, 0x21};
    for (uint32_t i = 0; i < 5; i++) {
        assert_true(vgt_trace_commands_next(&b, &c));
        assert_int_equal(c.seq, 100 + i);
        assert_int_equal(c.nwords, want_n[i]);
        assert_int_equal(c.fifo_offset, 0x40u * i);
        assert_int_equal(c.fetch_ns, 5000 + 7u * i);
        assert_int_equal(vgt_load_le32(c.words), want_first[i]);
        if (want_n[i] == 3) {
            assert_int_equal(vgt_load_le32(c.words + 8), 0x13);
        }
    }
    assert_false(vgt_trace_commands_next(&b, &c));
    /* the stored words count once: one word more is refused */
    assert_int_equal(parse_batch(buf, size + 4, &b, &err), VGT_E_FORMAT);
    uint8_t bad[256];
    /* a repeat with nothing before it */
    memcpy(bad, buf, size);
    vgt_store_le32(bad + 16, 3 | VGT_TRACE_BATCH_REPEAT);
    assert_int_equal(parse_batch(bad, size, &b, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "repeat"));
    /* a repeat of another length than the command before it */
    memcpy(bad, buf, size);
    vgt_store_le32(bad + 20, 2 | VGT_TRACE_BATCH_REPEAT);
    assert_int_equal(parse_batch(bad, size, &b, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "repeat"));
    /* a repeat of no words */
    memcpy(bad, buf, size);
    vgt_store_le32(bad + 20, VGT_TRACE_BATCH_REPEAT);
    assert_int_equal(parse_batch(bad, size, &b, &err), VGT_E_FORMAT);
}

static void flip_byte(const char *path, uint64_t offset)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)offset, SEEK_SET), 0);
    int c = fgetc(f);
    assert_true(c != EOF);
    assert_int_equal(fseek(f, (long)offset, SEEK_SET), 0);
    fputc(c ^ 0x5A, f);
    fclose(f);
}

static void test_corrupt_chunk(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "corrupt.vgt");
    write_update_trace(path, 12, 16384, -1, -1);
    vgt_trace_reader *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_reader_open(path, NULL, &r, &err), VGT_OK);
    uint64_t chunks = vgt_trace_reader_chunk_count(r);
    assert_true(chunks >= 6);
    vgt_trace_chunk_info ci;
    uint64_t bad = chunks / 2;
    assert_true(vgt_trace_reader_chunk(r, bad, &ci));
    vgt_trace_reader_close(r);
    flip_byte(path, ci.offset + 80 + ci.compressed_size / 2);

    vgt_replay_stats st;
    assert_int_not_equal(run(path, true, false, &st, &err), VGT_OK);
    char want[64];
    snprintf(want, sizeof(want), "chunk %llu", (unsigned long long)bad);
    assert_non_null(strstr(err.message, want));
    assert_true(st.frames > 0); /* the readable part before it was replayed */
    assert_true(st.frames < 12);
    uint64_t before = st.frames;

    /* salvage: skip it, replay the rest (divergences after it are tolerated) */
    assert_int_equal(run(path, true, true, &st, &err), VGT_OK);
    assert_int_equal(st.chunks_skipped, 1);
    assert_true(st.frames > before);
}

static void test_snapshot_roundtrip(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "snap.vgt");
    write_update_trace(path, 3, 0, -1, -1);
    vgt_replayer_options o = {.last_frame = UINT64_MAX, .compose = true, .verify = true};
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_run(r, NULL, &err), VGT_OK);
    vgt_executor *ex = vgt_replayer_executor(r);
    vgt_executor_set_cursor(ex, true, 5, 6, VGT_SVGA_ID_INVALID);
    uint8_t *blob = NULL;
    size_t size = 0;
    assert_int_equal(vgt_executor_snapshot_save(ex, &blob, &size, &err), VGT_OK);
    assert_true(size > W * H * 4);
    const vgt_image *img = NULL;
    assert_int_equal(vgt_executor_compose(ex, &img, &err), VGT_OK);
    uint64_t want = vgt_trace_frame_hash_image(img);
    vgt_display_mode mode = vgt_executor_mode(ex);

    /* into a fresh executor: the same picture, the same mode */
    vgt_replayer *r2 = NULL;
    assert_int_equal(vgt_replayer_open(path, &o, &r2, &err), VGT_OK);
    vgt_executor *ex2 = vgt_replayer_executor(r2);
    assert_int_equal(vgt_executor_snapshot_load(ex2, blob, size, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(ex2, &img, &err), VGT_OK);
    assert_true(vgt_trace_frame_hash_image(img) == want);
    vgt_display_mode m2 = vgt_executor_mode(ex2);
    assert_int_equal(m2.width, mode.width);
    assert_int_equal(m2.bytes_per_line, mode.bytes_per_line);

    /* hostile: every truncation fails cleanly and leaves the executor reset */
    for (size_t cut = 0; cut < size; cut += (cut < 256 ? 1 : 997)) {
        assert_int_not_equal(vgt_executor_snapshot_load(ex2, blob, cut, &err), VGT_OK);
        assert_int_equal(vgt_executor_compose(ex2, &img, &err), VGT_E_STATE);
    }
    /* a screen larger than the executor allows */
    uint8_t *bad = malloc(size);
    memcpy(bad, blob, size);
    /* screen 0's width: after the header, the mode, the palette (768 bytes)
     * and the screen count */
    vgt_store_le32(bad + 8 + 24 + 768 + 4 + 20, 100000);
    assert_int_equal(vgt_executor_snapshot_load(ex2, bad, size, &err), VGT_E_FORMAT);
    free(bad);
    free(blob);
    vgt_replayer_close(r2);
    vgt_replayer_close(r);
}

/* The anisotropy the replay draws with is at most what the caps the guest
 * was shown said (the trace's DEVCAPS record), so a trace captured with
 * MAX_TEXTURE_ANISOTROPY 1 draws ANISOTROPIC as LINEAR, as it did live;
 * without the cap (or with a broken caps block) the backend's caps (null:
 * 16) alone. */
static void test_captured_anisotropy_caps(void **state)
{
    (void)state;
    static const struct {
        uint32_t words[8], n, want;
    } cases[] = {
        /* a DEVCAPS record of 3 pairs: 3D, MAX_TEXTURE_ANISOTROPY, a last */
        {{8, VGT_SVGA3D_CAPS_RECORD_DEVCAPS, VGT_SVGA3D_DEVCAP_3D, 1,
          VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, 1, VGT_SVGA3D_DEVCAP_MAX_LIGHTS, 8},
         8,
         1},
        {{4, VGT_SVGA3D_CAPS_RECORD_DEVCAPS, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, 4, 0}, 5, 4},
        /* after another record */
        {{3, VGT_SVGA3D_CAPS_RECORD_UNKNOWN, 24, 4, VGT_SVGA3D_CAPS_RECORD_DEVCAPS,
          VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, 2, 0},
         8,
         2},
        /* no such cap; a record running past the words; an empty block */
        {{4, VGT_SVGA3D_CAPS_RECORD_DEVCAPS, VGT_SVGA3D_DEVCAP_3D, 1, 0}, 5, 16},
        {{9, VGT_SVGA3D_CAPS_RECORD_DEVCAPS, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, 1}, 4, 16},
        {{0}, 0, 16},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[1200];
        tmp_path(path, sizeof(path), "aniso-caps.vgt");
        vgt_trace_device_config cfg = {.vram_size = 1u << 20,
                                       .fifo_size = 256u << 10,
                                       .max_width = 2560,
                                       .max_height = 1600,
                                       .flags = VGT_TRACE_DEVCFG_F_3D,
                                       .backend_3d = VGT_BACKEND_NULL,
                                       .caps_3d_count = cases[i].n};
        memcpy(cfg.caps_3d, cases[i].words, sizeof(cases[i].words));
        tw t;
        tw_open_cfg(&t, path, 0, &cfg);
        tw_mode(&t);
        tw_close(&t);
        vgt_replayer_options o = {.backend = VGT_REPLAY_BACKEND_NULL, .last_frame = UINT64_MAX};
        vgt_replayer *r = NULL;
        vgt_error err = {0};
        assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
        vgt_exec3d *e = vgt_exec_3d(vgt_replayer_executor(r));
        assert_non_null(e);
        if (e->max_anisotropy != cases[i].want) {
            fail_msg("case %zu: %u, expected %u", i, e->max_anisotropy, cases[i].want);
        }
        vgt_replayer_close(r);
        unlink(path);
    }
}

static void test_not_an_svga_trace(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "other.vgt");
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    strcpy(h.protocol_name, "other");
    vgt_trace_writer *w = NULL;
    vgt_error err = {0};
    assert_int_equal(vgt_trace_writer_open(path, NULL, &h, &w, &err), VGT_OK);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
    vgt_replayer *r = NULL;
    assert_int_equal(vgt_replayer_open(path, NULL, &r, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "not an SVGA trace"));
    /* a backend this build lacks: a clear error (gl, until it is built) */
    tmp_path(path, sizeof(path), "gl.vgt");
    write_update_trace(path, 1, 0, -1, -1);
    vgt_replayer_options o = {.backend = VGT_REPLAY_BACKEND_GL, .last_frame = UINT64_MAX};
    vgt_status st = vgt_replayer_open(path, &o, &r, &err);
    if (st == VGT_OK) {
        vgt_replayer_close(r);
    } else {
        assert_int_equal(st, VGT_E_UNSUPPORTED);
        assert_non_null(strstr(err.message, "backend gl"));
    }
}

/* The legacy cursor (bypass 2) replays as live: CURSOR_ON's REMOVE_FROM_FB
 * and RESTORE_TO_FB keep the cursor shown (svga_interface.txt: "these are
 * NOPs and the cursor will remain visible"), HIDE hides it. */
static void test_cursor_on_values_replay(void **state)
{
    (void)state;
    char path[1200];
    tmp_path(path, sizeof(path), "cursor-on.vgt");
    tw t;
    tw_open(&t, path, 0);
    tw_mode(&t);
    uint32_t cursor[6 + 16] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 4, 4};
    for (uint32_t i = 0; i < 16; i++) {
        cursor[6 + i] = 0xFFFF0000u; /* opaque red */
    }
    tw_cmd(&t, cursor, 6 + 16);
    tw_reg(&t, VGT_SVGA_REG_CURSOR_ID, 0);
    tw_reg(&t, VGT_SVGA_REG_CURSOR_X, 10);
    tw_reg(&t, VGT_SVGA_REG_CURSOR_Y, 10);
    const uint32_t on[] = {VGT_SVGA_CURSOR_ON_SHOW, VGT_SVGA_CURSOR_ON_REMOVE_FROM_FB,
                           VGT_SVGA_CURSOR_ON_RESTORE_TO_FB, VGT_SVGA_CURSOR_ON_HIDE, 7};
    const uint32_t want[] = {0xFFFF0000u, 0xFFFF0000u, 0xFFFF0000u, 0xFF000000u, 0xFF000000u};
    static uint32_t px[W * H]; /* a black framebuffer */
    for (uint32_t f = 0; f < 5; f++) {
        tw_reg(&t, VGT_SVGA_REG_CURSOR_ON, on[f]);
        uint32_t upd[5] = {VGT_SVGA_CMD_UPDATE, 0, 0, W, H};
        uint64_t seq = tw_cmd(&t, upd, 5);
        tw_dma(&t, seq, VGT_SVGA_GMR_FRAMEBUFFER, 0, px, W * H * 4);
        uint32_t fence[2] = {VGT_SVGA_CMD_FENCE, f + 1};
        tw_cmd(&t, fence, 2);
        tw_frame(&t, f, 0, W, H);
    }
    tw_close(&t);
    vgt_replayer_options o = {.last_frame = UINT64_MAX, .compose = true};
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    vgt_replay_frame fr;
    assert_int_equal(vgt_replayer_open(path, &o, &r, &err), VGT_OK);
    assert_int_equal(vgt_replayer_begin(r, &err), VGT_OK);
    for (uint32_t f = 0; f < 5; f++) {
        assert_int_equal(vgt_replayer_step(r, &fr, NULL, &err), VGT_OK);
        assert_non_null(fr.image);
        uint32_t got = vgt_load_le32(fr.image->pixels + 11u * fr.image->stride + 11u * 4u);
        if (got != want[f]) {
            fail_msg("frame %u (CURSOR_ON %u): pixel 0x%08x, expected 0x%08x", f, on[f], got,
                     want[f]);
        }
    }
    vgt_replayer_close(r);
}

int main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/tests/replayer/tmp-%d", VGT_BINARY_DIR, (int)getpid());
    mkdir(VGT_BINARY_DIR "/tests", 0777);
    mkdir(VGT_BINARY_DIR "/tests/replayer", 0777);
    if (mkdir(tmpdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s\n", tmpdir);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_ok),
        cmocka_unit_test(test_verify_mismatch_names_frame_and_command),
        cmocka_unit_test(test_divergent_read),
        cmocka_unit_test(test_step_by_step),
        cmocka_unit_test(test_cursor_on_values_replay),
        cmocka_unit_test(test_rows_extent_replays),
        cmocka_unit_test(test_rows_descriptor_checks),
        cmocka_unit_test(test_frame_hash_is_xxh3_of_rows),
        cmocka_unit_test(test_batch_replays),
        cmocka_unit_test(test_batch_read_before_last_diverges),
        cmocka_unit_test(test_batch_parse),
        cmocka_unit_test(test_batch_repeats),
        cmocka_unit_test(test_batch_empty),
        cmocka_unit_test(test_live_failure_is_expected),
        cmocka_unit_test(test_corrupt_chunk),
        cmocka_unit_test(test_snapshot_roundtrip),
        cmocka_unit_test(test_not_an_svga_trace),
        cmocka_unit_test(test_captured_anisotropy_caps),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0) {
        char cmd[1300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", tmpdir);
        }
    }
    return rc;
}
