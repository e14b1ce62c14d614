/* The executor on its own: commands decoded by protocol/, guest memory
 * through a fake interface that records every call in order (what replay
 * will feed back from a trace). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"
#include "vgt_replay.h"
#include "vgt_replayer.h"

#define VRAM_SIZE (1u << 20)

typedef struct fake_mem {
    uint8_t vram[VRAM_SIZE];
    uint8_t gmr1[64 * 1024];
    struct {
        bool write;
        uint32_t gmr, offset, len;
    } calls[4096];
    uint32_t ncalls;
} fake_mem;

static vgt_status fm_access(fake_mem *m, bool write, uint32_t gmr, uint32_t off, void *buf,
                            uint32_t len, vgt_error *err)
{
    uint8_t *base = gmr == VGT_SVGA_GMR_FRAMEBUFFER ? m->vram : gmr == 1 ? m->gmr1 : NULL;
    uint32_t size = gmr == VGT_SVGA_GMR_FRAMEBUFFER ? VRAM_SIZE : sizeof(m->gmr1);
    if (!base) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined", gmr);
    }
    if (!vgt_range_inside(off, len, size)) {
        return vgt_error_set(err, VGT_E_RANGE, "outside");
    }
    if (m->ncalls < 4096) {
        m->calls[m->ncalls].write = write;
        m->calls[m->ncalls].gmr = gmr;
        m->calls[m->ncalls].offset = off;
        m->calls[m->ncalls].len = len;
        m->ncalls++;
    }
    if (write) {
        memcpy(base + off, buf, len);
    } else {
        memcpy(buf, base + off, len);
    }
    return VGT_OK;
}

static vgt_status fm_read(void *ctx, uint32_t gmr, uint32_t off, void *dst, uint32_t len,
                          vgt_error *err)
{
    return fm_access(ctx, false, gmr, off, dst, len, err);
}

static vgt_status fm_write(void *ctx, uint32_t gmr, uint32_t off, const void *src, uint32_t len,
                           vgt_error *err)
{
    return fm_access(ctx, true, gmr, off, (void *)src, len, err);
}

typedef struct fixture {
    fake_mem *m;
    vgt_executor *ex;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->m = calloc(1, sizeof(fake_mem));
    vgt_executor_config cfg = {.mem = {.ctx = f->m, .read = fm_read, .write = fm_write},
                               .vram_size = VRAM_SIZE};
    vgt_error err = {0};
    if (vgt_executor_create(&cfg, &f->ex, &err) != VGT_OK) {
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vgt_executor_destroy(f->ex);
    free(f->m);
    free(f);
    return 0;
}

static vgt_status exec_words(fixture *f, const uint32_t *w, uint32_t n, vgt_exec_result *res,
                             vgt_error *err)
{
    vgt_cmd cmd;
    vgt_status st = vgt_cmd_decode(w, n, &cmd, err);
    if (st != VGT_OK) {
        fail_msg("decode: %s", err->message);
    }
    return vgt_executor_execute(f->ex, &cmd, res, err);
}

static void set_mode(fixture *f, uint32_t w, uint32_t h)
{
    vgt_display_mode m = {.enabled = true,
                          .width = w,
                          .height = h,
                          .bits_per_pixel = 32,
                          .bytes_per_line = w * 4u + 64u,
                          .fb_offset = 4096};
    vgt_error err = {0};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
}

static uint32_t px(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + (size_t)x * 4u);
}

static void test_update_reads_rows_in_order(void **state)
{
    fixture *f = *state;
    set_mode(f, 64, 32);
    uint32_t pitch = 64 * 4 + 64;
    for (uint32_t y = 0; y < 32; y++) {
        for (uint32_t x = 0; x < 64; x++) {
            vgt_store_le32(f->m->vram + 4096 + y * pitch + x * 4, (y << 8) | x);
        }
    }
    uint32_t w[] = {VGT_SVGA_CMD_UPDATE, 3, 5, 10, 4};
    vgt_exec_result res;
    vgt_error err = {0};
    assert_int_equal(exec_words(f, w, 5, &res, &err), VGT_OK);
    assert_true(res.screen_changed);
    assert_false(res.ends_frame);
    assert_int_equal(res.bytes_read, 4 * 40);
    assert_int_equal(f->m->ncalls, 4);
    for (uint32_t r = 0; r < 4; r++) {
        assert_false(f->m->calls[r].write);
        assert_int_equal(f->m->calls[r].offset, 4096 + (5 + r) * pitch + 12);
        assert_int_equal(f->m->calls[r].len, 40);
    }
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(img->width, 64);
    assert_int_equal(px(img, 3, 5), 0xFF000000u | (5 << 8) | 3);
    assert_int_equal(px(img, 12, 8), 0xFF000000u | (8 << 8) | 12);
    assert_int_equal(px(img, 2, 5), 0xFF000000u); /* not updated: host still shows black */
    /* Outside the framebuffer: rejected, nothing read. */
    uint32_t bad[] = {VGT_SVGA_CMD_UPDATE, 60, 0, 5, 1};
    f->m->ncalls = 0;
    assert_int_equal(exec_words(f, bad, 5, &res, &err), VGT_E_RANGE);
    assert_false(res.screen_changed);
    assert_int_equal(f->m->ncalls, 0);
}

static uint32_t rnd_state = 1;
static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

/* Composing only the boxes that changed since the last compose must show
 * what composing everything shows.  After each of 600 random display
 * operations (UPDATEs of freshly scribbled VRAM, RECT_COPYs, blits from
 * the GMRFB across two screens, cursor images and moves, a second screen
 * defined, moved and destroyed), composed now and then so that damage
 * gathers: the image against a fresh executor loaded from a snapshot of
 * this one, whose first compose is whole. */
static void test_compose_damage_matches_whole(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    rnd_state = 7;
    set_mode(f, 64, 48);
    const uint32_t pitch = 64 * 4 + 64;
    for (uint32_t i = 0; i < sizeof(f->m->gmr1); i++) {
        f->m->gmr1[i] = (uint8_t)rnd(256);
    }
    uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 256, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
    vgt_executor *whole = NULL;
    vgt_executor_config cfg = {.mem = {.ctx = f->m, .read = fm_read, .write = fm_write}};
    assert_int_equal(vgt_executor_create(&cfg, &whole, &err), VGT_OK);
    uint32_t compared = 0, video_snaps = 0;
    vgt_trace_row_cache rows = {0};
    for (uint32_t i = 0; i < 600; i++) {
        uint32_t x = rnd(64), y = rnd(48), w = 1 + rnd(64 - x), h = 1 + rnd(48 - y);
        switch (rnd(12)) {
        case 0:
        case 1: {
            for (uint32_t r = 0; r < h; r++) {
                for (uint32_t k = 0; k < w * 4u; k++) {
                    f->m->vram[4096 + (y + r) * pitch + x * 4u + k] = (uint8_t)rnd(256);
                }
            }
            uint32_t upd[] = {VGT_SVGA_CMD_UPDATE, x, y, w, h};
            assert_int_equal(exec_words(f, upd, 5, &res, &err), VGT_OK);
            break;
        }
        case 2: {
            uint32_t dx = rnd(64 - w + 1), dy = rnd(48 - h + 1);
            uint32_t rc[] = {VGT_SVGA_CMD_RECT_COPY, x, y, dx, dy, w, h};
            assert_int_equal(exec_words(f, rc, 7, &res, &err), VGT_OK);
            break;
        }
        case 3: {
            int32_t l = (int32_t)rnd(90) - 10, t = (int32_t)rnd(70) - 10;
            uint32_t blit[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN,
                               rnd(8),
                               rnd(64),
                               (uint32_t)l,
                               (uint32_t)t,
                               (uint32_t)(l + 1 + (int32_t)rnd(40)),
                               (uint32_t)(t + 1 + (int32_t)rnd(40)),
                               VGT_SVGA_ID_INVALID};
            (void)exec_words(f, blit, 8, &res, &err); /* may miss every screen */
            break;
        }
        case 4:
            vgt_executor_set_cursor(f->ex, rnd(4) != 0, (int32_t)rnd(90) - 10,
                                    (int32_t)rnd(70) - 10, VGT_SVGA_ID_INVALID);
            break;
        case 5: {
            uint32_t cw = 1 + rnd(6), ch = 1 + rnd(6);
            uint32_t cur[6 + 36] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, rnd(cw), rnd(ch), cw, ch};
            for (uint32_t k = 0; k < cw * ch; k++) {
                cur[6 + k] = rnd(0x10000) * 0x10001u; /* premultiplied or not: any */
            }
            assert_int_equal(exec_words(f, cur, 6 + cw * ch, &res, &err), VGT_OK);
            break;
        }
        case 6: {
            uint32_t sd[] = {VGT_SVGA_CMD_DEFINE_SCREEN,
                             28,
                             1,
                             VGT_SVGA_SCREEN_MUST_BE_SET,
                             8 + rnd(24),
                             8 + rnd(24),
                             rnd(80),
                             rnd(60)};
            uint32_t destroy[] = {VGT_SVGA_CMD_DESTROY_SCREEN, 1};
            if (rnd(3) == 0) {
                (void)exec_words(f, destroy, 2, &res, &err);
            } else {
                (void)exec_words(f, sd, 8, &res, &err);
            }
            break;
        }
        case 9:
        case 10: {
            /* a video overlay unit: a frame from GMR 1 (random bytes),
             * scaled anywhere, keyed to black now and then */
            bool yv12 = rnd(2) != 0;
            uint32_t stream = rnd(4);
            uint32_t fw = 1 + rnd(16), fh = 1 + rnd(16), sx = rnd(fw), sy = rnd(fh);
            const uint32_t pairs[][2] = {
                {VGT_SVGA_VIDEO_ENABLED, 1},
                {VGT_SVGA_VIDEO_FLAGS, rnd(3) == 0 ? VGT_SVGA_VIDEO_FLAG_COLORKEY : 0u},
                {VGT_SVGA_VIDEO_COLORKEY, 0},
                {VGT_SVGA_VIDEO_FORMAT, yv12 ? VGT_SVGA_FOURCC_YV12 : VGT_SVGA_FOURCC_UYVY},
                {VGT_SVGA_VIDEO_WIDTH, fw},
                {VGT_SVGA_VIDEO_HEIGHT, fh},
                {VGT_SVGA_VIDEO_SRC_X, sx},
                {VGT_SVGA_VIDEO_SRC_Y, sy},
                {VGT_SVGA_VIDEO_SRC_WIDTH, 1 + rnd(fw - sx)},
                {VGT_SVGA_VIDEO_SRC_HEIGHT, 1 + rnd(fh - sy)},
                {VGT_SVGA_VIDEO_DST_X, (uint32_t)((int32_t)rnd(90) - 10)},
                {VGT_SVGA_VIDEO_DST_Y, (uint32_t)((int32_t)rnd(70) - 10)},
                {VGT_SVGA_VIDEO_DST_WIDTH, 1 + rnd(40)},
                {VGT_SVGA_VIDEO_DST_HEIGHT, 1 + rnd(40)},
                {VGT_SVGA_VIDEO_PITCH_1, 64},
                {VGT_SVGA_VIDEO_PITCH_2, 32 + rnd(4)},
                {VGT_SVGA_VIDEO_PITCH_3, 32},
                {VGT_SVGA_VIDEO_DATA_OFFSET, rnd(4096)},
                {VGT_SVGA_VIDEO_DATA_GMRID, 1},
            };
            const uint32_t np = sizeof(pairs) / sizeof(pairs[0]);
            uint32_t set[5 + 2 * 19] = {VGT_SVGA_CMD_ESCAPE, VGT_SVGA_ESCAPE_NSID_VMWARE,
                                        8u + 8u * np, VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS,
                                        stream};
            memcpy(set + 5, pairs, sizeof(pairs));
            uint32_t flush[5] = {VGT_SVGA_CMD_ESCAPE, 0, 8, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH,
                                 stream};
            assert_int_equal(exec_words(f, set, 5 + 2 * np, &res, &err), VGT_OK);
            assert_int_equal(exec_words(f, flush, 5, &res, &err), VGT_OK);
            assert_true(res.screen_changed);
            break;
        }
        case 11: {
            uint32_t stream = rnd(4);
            uint32_t off[7] = {
                VGT_SVGA_CMD_ESCAPE,    0, 16, VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS, stream,
                VGT_SVGA_VIDEO_ENABLED, 0};
            uint32_t flush[5] = {VGT_SVGA_CMD_ESCAPE, 0, 8, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH,
                                 stream};
            assert_int_equal(exec_words(f, off, 7, &res, &err), VGT_OK);
            assert_int_equal(exec_words(f, flush, 5, &res, &err), VGT_OK);
            break;
        }
        default:
            break; /* compose with nothing new */
        }
        if (rnd(3) == 0) {
            continue; /* let damage gather */
        }
        const vgt_image *a, *b;
        assert_int_equal(vgt_executor_compose(f->ex, &a, &err), VGT_OK);
        uint8_t *snap = NULL;
        size_t size = 0;
        assert_int_equal(vgt_executor_snapshot_save(f->ex, &snap, &size, &err), VGT_OK);
        assert_int_equal(vgt_executor_snapshot_load(whole, snap, size, &err), VGT_OK);
        free(snap);
        snap = NULL;
        assert_int_equal(vgt_executor_snapshot_save_video(f->ex, &snap, &size, &err), VGT_OK);
        if (snap) {
            assert_int_equal(vgt_executor_snapshot_load_video(whole, snap, size, &err), VGT_OK);
            video_snaps++;
        }
        free(snap);
        assert_int_equal(vgt_executor_compose(whole, &b, &err), VGT_OK);
        /* The rows compose rewrote have new stamps, so the frame's row
         * tree, rehashing only rows with new stamps, is the whole image's:
         * a row changed under an old stamp would leave a stale hash. */
        const uint64_t *stamps = vgt_executor_composed_row_stamps(f->ex, a);
        assert_non_null(stamps);
        assert_null(vgt_executor_composed_row_stamps(f->ex, b)); /* not its image */
        uint64_t cached = vgt_trace_frame_row_hash(&rows, a, stamps);
        if (cached !=
            vgt_trace_hash_row_tree(a->pixels, (size_t)a->width * 4u, a->stride, a->height)) {
            fail_msg("operation %u: the row tree from the rows with new stamps differs from "
                     "the whole image's",
                     i);
        }
        assert_int_equal(a->width, b->width);
        assert_int_equal(a->height, b->height);
        for (uint32_t r = 0; r < a->height; r++) {
            if (memcmp(a->pixels + (size_t)r * a->stride, b->pixels + (size_t)r * b->stride,
                       (size_t)a->width * 4u) != 0) {
                fail_msg("operation %u: row %u of the composed display differs from a whole "
                         "compose",
                         i, r);
            }
        }
        compared++;
    }
    assert_true(compared > 300);
    assert_true(video_snaps > 200);
    vgt_trace_row_cache_free(&rows);
    vgt_executor_destroy(whole);
}

static void test_screens_and_virtual_blit(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    /* Two screens side by side, the second one lower, no legacy mode. */
    uint32_t s0[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 32, 16, 0, 0};
    uint32_t s1[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 1, VGT_SVGA_SCREEN_MUST_BE_SET, 16, 16, 32, 8};
    assert_int_equal(exec_words(f, s0, 8, &res, &err), VGT_OK);
    assert_int_equal(exec_words(f, s1, 8, &res, &err), VGT_OK);
    for (uint32_t i = 0; i < 64 * 64; i++) {
        vgt_store_le32(f->m->gmr1 + i * 4, 0x00100000u + i);
    }
    uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 256, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
    /* A virtual rectangle across both screens. */
    uint32_t blit[] = {
        VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 28, 10, 40, 14, VGT_SVGA_ID_INVALID};
    assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_OK);
    assert_true(res.screen_changed);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(img->width, 48);
    assert_int_equal(img->height, 24);
    /* Virtual (28,10) is GMRFB (0,0); (35,12) is GMRFB (7,2) on screen 1. */
    assert_int_equal(px(img, 28, 10), 0xFF100000u);
    assert_int_equal(px(img, 35, 12), 0xFF100000u + 2 * 64 + 7);
    assert_int_equal(px(img, 30, 20), 0xFF000000u); /* outside every screen: black */
    /* Read it back from screen 1 into the GMRFB. */
    uint32_t back[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 1, 1, 3, 2, 5, 4, 1};
    assert_int_equal(exec_words(f, back, 8, &res, &err), VGT_OK);
    /* screen 1 (3,2) is virtual (35,10), which came from GMRFB (7,0) */
    assert_int_equal(vgt_load_le32(f->m->gmr1 + 256 + 4), 0x00100000u + 7);
    /* Not inside the screen: rejected. */
    uint32_t back_bad[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 0, 0, 0, 17, 1, 1};
    assert_int_equal(exec_words(f, back_bad, 8, &res, &err), VGT_E_RANGE);
    uint32_t destroy[] = {VGT_SVGA_CMD_DESTROY_SCREEN, 1};
    assert_int_equal(exec_words(f, destroy, 2, &res, &err), VGT_OK);
    assert_int_equal(exec_words(f, destroy, 2, &res, &err), VGT_E_NOTFOUND);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(img->width, 32);
}

static void test_cursors(void **state)
{
    fixture *f = *state;
    set_mode(f, 16, 16);
    vgt_error err = {0};
    vgt_exec_result res;
    /* 2x1 monochrome cursor: pixel 0 AND=0 XOR=1 (white), pixel 1 AND=1 XOR=0 (clear). */
    uint32_t cur[] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 2, 1, 1, 1, 0x40u, 0x80u};
    assert_int_equal(exec_words(f, cur, 10, &res, &err), VGT_OK);
    assert_true(res.screen_changed);
    vgt_executor_set_cursor(f->ex, true, 4, 5, VGT_SVGA_ID_INVALID);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 5), 0xFFFFFFFFu);
    assert_int_equal(px(img, 5, 5), 0xFF000000u);
    /* Alpha cursor, premultiplied: half-transparent white over black. */
    uint32_t acur[] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 1, 1, 0x80808080u};
    assert_int_equal(exec_words(f, acur, 7, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 5), 0xFF808080u);
    vgt_executor_set_cursor(f->ex, false, 4, 5, VGT_SVGA_ID_INVALID);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 5), 0xFF000000u);
    uint32_t big[] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 300, 0};
    assert_int_equal(exec_words(f, big, 6, &res, &err), VGT_E_RANGE);
}

/* Cursor masks of a legacy mode's depth, through the decoder's row sizes
 * (svga.c's: depth x width bits a row, padded to 32): 16 bits (3 pixels: 2
 * words), 24 bits packed (3 pixels: 3 words); padding means nothing; AND
 * values keep or clear; a mask word count that disagrees with the header
 * is refused, and so is another legacy depth; in the 15-bit mode, masks of
 * 15 bits (packed 15-bit rows by that rule) are sized as the guest sized
 * them and refused, the cursor kept. */
static void test_cursor_legacy_masks(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    vgt_display_mode m = {
        .enabled = true, .width = 16, .height = 16, .bits_per_pixel = 16, .bytes_per_line = 32};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    /* AND 0xFFFF (keep) / 0x0000 / 0xFFFF; XOR red, 0x0821 (1/1/1), blue; the last
     * half-words are padding */
    uint32_t c16[] = {VGT_SVGA_CMD_DEFINE_CURSOR,
                      0,
                      0,
                      0,
                      3,
                      1,
                      16,
                      16,
                      0x0000FFFFu,
                      0xBEEFFFFFu,
                      0x0821F800u,
                      0xDEAD001Fu};
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(c16, 12, &cmd, &err), VGT_OK);
    assert_int_equal(cmd.and_mask_words, 2);
    assert_int_equal(cmd.xor_mask_words, 2);
    assert_int_equal(vgt_executor_execute(f->ex, &cmd, &res, &err), VGT_OK);
    /* the screen is black: keep and clear look alike; make it white */
    for (uint32_t x = 0; x < 16; x++) {
        f->m->vram[2 * x] = 0xFF;
        f->m->vram[2 * x + 1] = 0xFF;
    }
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, 16, 1};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    vgt_executor_set_cursor(f->ex, true, 4, 0, VGT_SVGA_ID_INVALID);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 0), 0xFF00FFFFu); /* white ^ red */
    assert_int_equal(px(img, 5, 0), 0xFF080408u); /* 0 ^ 0x0821: 5, 6, 5 bits widened */
    assert_int_equal(px(img, 6, 0), 0xFFFFFF00u); /* white ^ blue */
    assert_int_equal(px(img, 7, 0), 0xFFFFFFFFu);
    /* a mask word count the header disagrees with: refused, cursor kept */
    cmd.xor_mask_words = 1;
    assert_int_equal(vgt_executor_execute(f->ex, &cmd, &res, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "masks of 2/1 words, expected 2/2"));
    cmd.xor_mask_words = 2;
    cmd.and_mask_words = 3;
    assert_int_equal(vgt_executor_execute(f->ex, &cmd, &res, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "masks of 3/2 words, expected 2/2"));
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 5, 0), 0xFF080408u);
    /* 17 pixels of 16 bits: 9 words a row, AND depth 1 all 0; row 1 starts
     * at word 9: red there, the rest 0 */
    uint32_t c17[8 + 2 + 18] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 17, 2, 1, 16};
    c17[8 + 2 + 9] = 0x0000F800u;
    assert_int_equal(vgt_cmd_decode(c17, 28, &cmd, &err), VGT_OK);
    assert_int_equal(cmd.xor_mask_words, 18);
    assert_int_equal(vgt_executor_execute(f->ex, &cmd, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 1), 0xFFFF0000u);
    assert_int_equal(px(img, 5, 1), 0xFF000000u);
    assert_int_equal(px(img, 4, 0), 0xFF000000u);
    /* 15-bit masks in the 16-bit mode: refused */
    c16[6] = 15;
    c16[7] = 15;
    assert_int_equal(exec_words(f, c16, 12, &res, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "mask depths 15/15 (supported: 1, 32 or the "
                                        "framebuffer's 16)"));

    /* The 15-bit mode: 17 15-bit pixels are 255 bits, 8 words a row as
     * svga.c sizes them; decoded so (the FIFO stays in step), refused by
     * the executor with the cursor kept (row 1's red still shown). */
    m.bits_per_pixel = 15;
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    uint32_t c15[8 + 2 + 16] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 17, 2, 1, 15};
    assert_int_equal(vgt_cmd_decode(c15, 26, &cmd, &err), VGT_OK);
    assert_int_equal(cmd.xor_mask_words, 16);
    assert_int_equal(vgt_executor_execute(f->ex, &cmd, &res, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "mask depths 1/15: rows of packed 15-bit pixels"));
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 1), 0xFFFF0000u);

    /* 24 bits: 3 packed pixels in 3 words (9 bytes and 3 of padding); AND
     * depth 1, all 0: the XOR colours as they are */
    m.bits_per_pixel = 24;
    m.bytes_per_line = 48;
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    uint32_t c24[] = {VGT_SVGA_CMD_DEFINE_CURSOR,
                      0,
                      0,
                      0,
                      3,
                      1,
                      1,
                      24,
                      0xFF000000u,
                      0x04030201u,
                      0x08070605u,
                      0xAAAAAA09u};
    assert_int_equal(exec_words(f, c24, 12, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 4, 0), 0xFF030201u);
    assert_int_equal(px(img, 5, 0), 0xFF060504u);
    assert_int_equal(px(img, 6, 0), 0xFF090807u);
    /* in the 32-bit mode only 1 and 32 */
    set_mode(f, 16, 16);
    assert_int_equal(exec_words(f, c24, 12, &res, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "mask depths 1/24 (supported: 1 or 32)"));
}

static void test_rect_copy_and_rejections(void **state)
{
    fixture *f = *state;
    set_mode(f, 32, 32);
    vgt_error err = {0};
    vgt_exec_result res;
    uint32_t pitch = 32 * 4 + 64;
    vgt_store_le32(f->m->vram + 4096 + 2 * pitch + 3 * 4, 0xABCDEFu);
    uint32_t rc[] = {VGT_SVGA_CMD_RECT_COPY, 3, 2, 10, 11, 2, 2};
    assert_int_equal(exec_words(f, rc, 7, &res, &err), VGT_OK);
    assert_int_equal(res.bytes_read, 16);
    assert_int_equal(res.bytes_written, 16);
    assert_int_equal(vgt_load_le32(f->m->vram + 4096 + 11 * pitch + 10 * 4), 0xABCDEFu);
    /* reads before writes */
    assert_false(f->m->calls[0].write);
    assert_false(f->m->calls[1].write);
    assert_true(f->m->calls[2].write);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 11), 0xFFABCDEFu);
    /* source and destination overlapping, one pixel right and one row down:
     * the whole source is read before the destination is written, in the
     * framebuffer and on the screen */
    for (uint32_t y = 20; y < 23; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            vgt_store_le32(f->m->vram + 4096 + y * pitch + x * 4, y * 100u + x);
        }
    }
    uint32_t ov[] = {VGT_SVGA_CMD_RECT_COPY, 0, 20, 1, 21, 6, 2};
    assert_int_equal(exec_words(f, ov, 7, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t y = 21; y < 23; y++) {
        for (uint32_t x = 1; x < 7; x++) {
            uint32_t want = (y - 1u) * 100u + (x - 1u);
            assert_int_equal(vgt_load_le32(f->m->vram + 4096 + y * pitch + x * 4), want);
            assert_int_equal(px(img, x, y), 0xFF000000u | want);
        }
    }
    assert_int_equal(vgt_load_le32(f->m->vram + 4096 + 21 * pitch + 7 * 4), 2107u); /* untouched */
    /* device-level commands and 3D are refused with clear errors */
    uint32_t fence[] = {VGT_SVGA_CMD_FENCE, 1};
    assert_int_equal(exec_words(f, fence, 2, &res, &err), VGT_E_INVALID);
    uint32_t s3d[] = {VGT_SVGA3D_CMD_SURFACE_DESTROY, 4, 1};
    assert_int_equal(exec_words(f, s3d, 3, &res, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "3D not enabled"));
    /* a mode change drops screen objects and keeps screen 0's pixels */
    uint32_t s2[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 2, 1, 8, 8, 100, 100};
    assert_int_equal(exec_words(f, s2, 8, &res, &err), VGT_OK);
    set_mode(f, 40, 32);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(img->width, 40);
    assert_int_equal(img->height, 32);
    assert_int_equal(px(img, 10, 11), 0xFFABCDEFu);
    vgt_display_mode off = {0};
    assert_int_equal(vgt_executor_set_mode(f->ex, &off, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_E_STATE);
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, 1, 1};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_E_STATE);
}

/* All screens together are bounded (VGT_EXEC_MAX_SCREEN_PIXELS): a second
 * screen that would pass the budget is refused, resizing one within it works,
 * and nothing was allocated for the refused one. */
static void test_screen_memory_budget(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    uint32_t big[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 8192, 8192, 0, 0};
    assert_int_equal(exec_words(f, big, 8, NULL, &err), VGT_OK);
    uint32_t more[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 1, VGT_SVGA_SCREEN_MUST_BE_SET, 1, 1, 9000, 0};
    assert_int_equal(exec_words(f, more, 8, NULL, &err), VGT_E_RANGE);
    assert_non_null(strstr(err.message, "limit"));
    /* Redefining screen 0 smaller frees room for screen 1. */
    uint32_t smaller[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 64, 64, 0, 0};
    assert_int_equal(exec_words(f, smaller, 8, NULL, &err), VGT_OK);
    assert_int_equal(exec_words(f, more, 8, NULL, &err), VGT_OK);
    /* Screens far apart would compose a huge display: refused at compose. */
    uint32_t far[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 1, VGT_SVGA_SCREEN_MUST_BE_SET, 64, 64, 30000, 30000};
    assert_int_equal(exec_words(f, far, 8, NULL, &err), VGT_OK);
    const vgt_image *img = NULL;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_E_RANGE);
    assert_null(img);
}

/* A new executor over f's fake memory, loaded from a snapshot of f's
 * (the snapshot in *blob, *size: the caller frees both). */
static vgt_executor *snapshot_copy(fixture *f, uint8_t **blob, size_t *size)
{
    vgt_error err = {0};
    assert_int_equal(vgt_executor_snapshot_save(f->ex, blob, size, &err), VGT_OK);
    vgt_executor *ex2 = NULL;
    vgt_executor_config cfg = {.mem = {.ctx = f->m, .read = fm_read, .write = fm_write}};
    assert_int_equal(vgt_executor_create(&cfg, &ex2, &err), VGT_OK);
    assert_int_equal(vgt_executor_snapshot_load(ex2, *blob, *size, &err), VGT_OK);
    return ex2;
}

static uint32_t pal_rgb(uint32_t n)
{
    return (n ^ 0x5Au) << 16 | ((n * 3u) & 0xFFu) << 8 | (255u - n);
}

/* An 8-bit mode of w x h at pitch w (fb_offset 0) with the palette pal_rgb. */
static void set_8bit_mode(fixture *f, uint32_t w, uint32_t h)
{
    vgt_display_mode m = {
        .enabled = true, .width = w, .height = h, .bits_per_pixel = 8, .bytes_per_line = w};
    vgt_error err = {0};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = pal_rgb(n);
        assert_int_equal(vgt_executor_set_palette(f->ex, 3 * n, c >> 16, &err), VGT_OK);
        assert_int_equal(vgt_executor_set_palette(f->ex, 3 * n + 1, c >> 8, &err), VGT_OK);
        assert_int_equal(vgt_executor_set_palette(f->ex, 3 * n + 2, c, &err), VGT_OK);
    }
}

/* The 8-bit mode: 512x1000 indices at pitch 512 (fb_offset 0), the palette
 * pal_rgb, and a second screen over the lower right (so UPDATE and
 * RECT_COPY show the indices through put_virtual, in bands of rows). */
static void set_8bit(fixture *f)
{
    set_8bit_mode(f, 512, 1000);
    for (uint32_t y = 0; y < 1000; y++) {
        for (uint32_t x = 0; x < 512; x++) {
            f->m->vram[y * 512 + x] = (uint8_t)(x * 5u + y);
        }
    }
}

static void test_8bit_bands_and_screens(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    set_8bit(f);
    uint32_t s1[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 1, VGT_SVGA_SCREEN_MUST_BE_SET, 512, 600, 256, 500};
    assert_int_equal(exec_words(f, s1, 8, &res, &err), VGT_OK);
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, 512, 1000};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_int_equal(res.bytes_read, 512u * 1000u); /* one byte a pixel */
    /* within the GFB: a move inside the lower screen too */
    uint32_t rc[] = {VGT_SVGA_CMD_RECT_COPY, 0, 0, 300, 700, 100, 250};
    assert_int_equal(exec_words(f, rc, 7, &res, &err), VGT_OK);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(img->width, 768);
    assert_int_equal(img->height, 1100);
    for (uint32_t y = 0; y < 1100; y++) {
        for (uint32_t x = 0; x < 768; x++) {
            uint32_t want = 0; /* outside both screens, or screen 1 outside the GFB */
            if (x < 512 && y < 1000) {
                bool moved = x >= 300 && x < 400 && y >= 700 && y < 950;
                uint32_t sx = moved ? x - 300 : x, sy = moved ? y - 700 : y;
                want = pal_rgb((uint8_t)(sx * 5u + sy));
                assert_int_equal(f->m->vram[y * 512 + x], (uint8_t)(sx * 5u + sy));
            }
            if (px(img, x, y) != (0xFF000000u | want)) {
                fail_msg("pixel (%u,%u): 0x%08x, expected 0x%08x", x, y, px(img, x, y),
                         0xFF000000u | want);
            }
        }
    }
}

static void test_8bit_mode_palette_snapshot(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    /* depths and pitches the executor does not take */
    vgt_display_mode m = {.enabled = true, .width = 64, .height = 8, .bytes_per_line = 256};
    m.bits_per_pixel = 12;
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_E_UNSUPPORTED);
    m.bits_per_pixel = 8;
    m.bytes_per_line = 63;
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_E_RANGE);
    assert_int_equal(vgt_executor_set_palette(f->ex, 768, 1, &err), VGT_E_RANGE);
    /* the mode from the registers */
    bool big = false;
    m = vgt_display_mode_from_regs(1, 100, 10, 8, 0, 1u << 20, &big);
    assert_true(m.enabled && !big);
    assert_int_equal(m.bytes_per_line, 100);
    m = vgt_display_mode_from_regs(1, 100, 10, 32, 0, 1u << 20, &big);
    assert_int_equal(m.bytes_per_line, 400);
    m = vgt_display_mode_from_regs(1, 100, 10, 8, 128, 1279, &big);
    assert_true(!m.enabled && big);

    /* the palette and the depth survive a snapshot; version 1 (before the
     * palette) still loads, with a black palette */
    set_8bit(f);
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_executor *ex2 = snapshot_copy(f, &blob, &size);
    assert_int_equal(vgt_executor_mode(ex2).bits_per_pixel, 8);
    assert_int_equal(vgt_executor_mode(ex2).bytes_per_line, 512);
    for (uint32_t n = 0; n < 256; n++) {
        assert_int_equal(vgt_executor_palette_color(ex2, (uint8_t)n), pal_rgb(n));
    }
    /* a cut inside the palette fails */
    assert_int_equal(vgt_executor_snapshot_load(ex2, blob, 8 + 24 + 700, &err), VGT_E_FORMAT);
    /* the 8-bit mode writes version 4 (the index shadow); version 1 is
     * made from a 32-bit mode's version 2 (the same palette) */
    assert_int_equal(vgt_load_le32(blob), 4);
    free(blob);
    m = (vgt_display_mode){.enabled = true,
                           .width = 512,
                           .height = 1000,
                           .bits_per_pixel = 32,
                           .bytes_per_line = 2048};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    assert_int_equal(vgt_executor_snapshot_save(f->ex, &blob, &size, &err), VGT_OK);
    assert_int_equal(vgt_load_le32(blob), 2);
    uint8_t *v1 = malloc(size);
    vgt_store_le32(v1, 1);
    memcpy(v1 + 4, blob + 4, 28);
    memcpy(v1 + 32, blob + 32 + 768, size - 32 - 768);
    assert_int_equal(vgt_executor_snapshot_load(ex2, v1, size - 768, &err), VGT_OK);
    assert_int_equal(vgt_executor_mode(ex2).width, 512);
    assert_int_equal(vgt_executor_palette_color(ex2, 9), 0);
    vgt_store_le32(v1, 6);
    assert_int_equal(vgt_executor_snapshot_load(ex2, v1, size - 768, &err), VGT_E_VERSION);
    free(v1);
    free(blob);
    vgt_executor_destroy(ex2);
}

/* ---- the 8-bit mode's index cursors ------------------------------------ */

#define I8_W 64u
#define I8_H 32u

static uint8_t idx8(uint32_t x, uint32_t y)
{
    return (uint8_t)(x * 5u + y * 3u);
}

/* A 64x32 8-bit mode (pitch 64) showing idx8 through pal_rgb, except index
 * 0x5A at (10,10) and 0x3A at (30,20), all shown by one UPDATE. */
static void set_8bit_small(fixture *f)
{
    vgt_error err = {0};
    set_8bit_mode(f, I8_W, I8_H);
    for (uint32_t y = 0; y < I8_H; y++) {
        for (uint32_t x = 0; x < I8_W; x++) {
            f->m->vram[y * I8_W + x] = idx8(x, y);
        }
    }
    f->m->vram[10 * I8_W + 10] = 0x5A;
    f->m->vram[20 * I8_W + 30] = 0x3A;
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, I8_W, I8_H};
    vgt_exec_result res;
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
}

/* DEFINE_CURSOR of w x h (hotspot 0,0) with AND values and XOR values per
 * pixel: depth 1 takes a nonzero value as a set bit (MSB first), 8 a byte,
 * 32 a word.  Returns the executor's status. */
static vgt_status define_cursor_masks(fixture *f, uint32_t w, uint32_t h, uint32_t and_depth,
                                      uint32_t xor_depth, const uint32_t *and_v,
                                      const uint32_t *xor_v, vgt_error *err)
{
    uint32_t words[8 + 2 * 8 * 32] = {
        VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, w, h, and_depth, xor_depth};
    uint32_t n = 8;
    for (int m = 0; m < 2; m++) {
        uint32_t depth = m ? xor_depth : and_depth;
        const uint32_t *v = m ? xor_v : and_v;
        uint32_t pitch = (depth * w + 31u) / 32u; /* words a row */
        assert_true(n + pitch * h <= sizeof(words) / 4u);
        for (uint32_t y = 0; y < h; y++) {
            uint8_t *row = (uint8_t *)&words[n + y * pitch];
            memset(row, 0, pitch * 4u);
            for (uint32_t x = 0; x < w; x++) {
                uint32_t val = v[y * w + x];
                if (depth == 1) {
                    row[x / 8u] |= val ? (uint8_t)(0x80u >> (x % 8u)) : 0u;
                } else {
                    for (uint32_t b = 0; b < depth / 8u; b++) { /* 8, 16, 24 (packed), 32 */
                        row[x * (depth / 8u) + b] = (uint8_t)(val >> (8u * b));
                    }
                }
            }
        }
        n += pitch * h;
    }
    vgt_exec_result res;
    return exec_words(f, words, n, &res, err);
}

/* The colour the index cursor shows over index `under` (a screen pixel
 * showing pal_rgb(under)): AND value a, XOR index xi. */
static uint32_t want_index(uint8_t under, uint32_t a, uint32_t xi)
{
    if (a == 0xFFu && xi == 0) {
        return 0xFF000000u | pal_rgb(under);
    }
    return 0xFF000000u | pal_rgb((under & a) ^ xi);
}

static const uint32_t AND8[8] = {0x0F, 0xFF, 0x00, 0x3C, 0xFF, 0xA5, 0x81, 0xFF};
static const uint32_t XOR8[8] = {0x30, 0x00, 0x77, 0x01, 0x80, 0x00, 0xFF, 0x42};

/* The 4x2 cursor AND8/XOR8 at (10,10) over the indices `under` (4x2). */
static void assert_index_cursor(fixture *f, const uint8_t *under)
{
    const vgt_image *img;
    vgt_error err = {0};
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t x = 10 + i % 4u, y = 10 + i / 4u;
        uint32_t want = want_index(under[i], AND8[i], XOR8[i]);
        if (px(img, x, y) != want) {
            fail_msg("cursor pixel (%u,%u) over index 0x%02x: 0x%08x, expected 0x%08x", x, y,
                     under[i], px(img, x, y), want);
        }
    }
}

/* AND and XOR masks of depth 8 in the 8-bit mode work on the indices the
 * screen shows, every AND value: AND 0x0F, XOR 0x30 over index 0x5A shows
 * palette entry 0x3A; a palette change after the definition re-colours the
 * cursor at the next compose (the screen keeps its colours until an
 * update); RECT_COPY moves indices under it. */
static void test_8bit_index_cursor(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    set_8bit_small(f);
    assert_int_equal(define_cursor_masks(f, 4, 2, 8, 8, AND8, XOR8, &err), VGT_OK);
    vgt_executor_set_cursor(f->ex, true, 10, 10, VGT_SVGA_ID_INVALID);
    uint8_t under[8];
    for (uint32_t i = 0; i < 8; i++) {
        under[i] = f->m->vram[(10 + i / 4u) * I8_W + 10 + i % 4u];
    }
    assert_int_equal(under[0], 0x5A);
    assert_index_cursor(f, under);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0x3A));
    assert_int_equal(px(img, 14, 10), 0xFF000000u | pal_rgb(idx8(14, 10))); /* beside it */

    /* palette entry 0x3A changes: the cursor shows the new colour at once,
     * the screen's own 0x3A pixel keeps the old one (no update) */
    uint64_t gen = vgt_executor_display_generation(f->ex);
    assert_int_equal(vgt_executor_set_palette(f->ex, 3 * 0x3A, 0x12, &err), VGT_OK);
    assert_int_equal(vgt_executor_set_palette(f->ex, 3 * 0x3A + 1, 0x34, &err), VGT_OK);
    assert_int_equal(vgt_executor_set_palette(f->ex, 3 * 0x3A + 2, 0x56, &err), VGT_OK);
    assert_true(vgt_executor_display_generation(f->ex) > gen);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 10), 0xFF123456u);
    assert_int_equal(px(img, 30, 20), 0xFF000000u | pal_rgb(0x3A));
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 30, 20, 1, 1};
    vgt_exec_result res;
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 30, 20), 0xFF123456u);
    uint32_t c = pal_rgb(0x3A);
    assert_int_equal(vgt_executor_set_palette(f->ex, 3 * 0x3A, c >> 16, &err), VGT_OK);
    assert_int_equal(vgt_executor_set_palette(f->ex, 3 * 0x3A + 1, (c >> 8) & 0xFF, &err), VGT_OK);
    assert_int_equal(vgt_executor_set_palette(f->ex, 3 * 0x3A + 2, c & 0xFF, &err), VGT_OK);
    assert_index_cursor(f, under);

    /* RECT_COPY of other indices to under the cursor */
    for (uint32_t i = 0; i < 8; i++) {
        f->m->vram[(20 + i / 4u) * I8_W + 40 + i % 4u] = (uint8_t)(0xC3u + 17u * i);
    }
    uint32_t rc[] = {VGT_SVGA_CMD_RECT_COPY, 40, 20, 10, 10, 4, 2};
    assert_int_equal(exec_words(f, rc, 7, &res, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        under[i] = (uint8_t)(0xC3u + 17u * i);
    }
    assert_index_cursor(f, under);
}

/* A 1-bit AND mask with an 8-bit XOR mask is an index cursor (AND bit 1:
 * 0xFF, 0: 0x00), so is an 8-bit AND with a 1-bit XOR (bit 1: index 0xFF);
 * a 32-bit XOR keeps the colour cursor. */
static void test_8bit_index_cursor_depth1(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    set_8bit_small(f);
    vgt_executor_set_cursor(f->ex, true, 10, 10, VGT_SVGA_ID_INVALID);
    const uint32_t and1[8] = {1, 0, 1, 0, 1, 1, 0, 1};
    assert_int_equal(define_cursor_masks(f, 4, 2, 1, 8, and1, XOR8, &err), VGT_OK);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t x = 10 + i % 4u, y = 10 + i / 4u;
        uint8_t u = f->m->vram[y * I8_W + x];
        assert_int_equal(px(img, x, y), want_index(u, and1[i] ? 0xFFu : 0u, XOR8[i]));
    }
    /* (10,10): AND 0xFF, XOR 0x30 over 0x5A: index 0x6A */
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0x6A));
    const uint32_t xor1[8] = {1, 0, 0, 1, 1, 0, 1, 1};
    assert_int_equal(define_cursor_masks(f, 4, 2, 8, 1, AND8, xor1, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t x = 10 + i % 4u, y = 10 + i / 4u;
        uint8_t u = f->m->vram[y * I8_W + x];
        assert_int_equal(px(img, x, y), want_index(u, AND8[i], xor1[i] ? 0xFFu : 0u));
    }
    /* AND 0x0F, XOR 0xFF over 0x5A: 0xF5 */
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0xF5));
    /* 32-bit XOR colours: AND 0xFF keeps the colour and XORs it; a partial
     * AND value is refused there */
    const uint32_t andk[8] = {0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0};
    const uint32_t xor32[8] = {0x00102030, 0x00405060, 0, 0, 0, 0, 0, 0x00FFFFFF};
    assert_int_equal(define_cursor_masks(f, 4, 2, 8, 32, andk, xor32, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 10), 0xFF000000u | (pal_rgb(0x5A) ^ 0x00102030u));
    assert_int_equal(px(img, 11, 10), 0xFF405060u);
    assert_int_equal(define_cursor_masks(f, 4, 2, 8, 32, AND8, xor32, &err), VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "AND mask value 0x0f"));
}

/* One word of a snapshot changed, and the reason its load must give. */
typedef struct snap_patch {
    size_t at;
    uint32_t v;
    const char *why;
} snap_patch;

/* Each patch applied alone to a copy of the snapshot `blob`: ex's load
 * refuses it, naming its reason. */
static void assert_patches_refused(vgt_executor *ex, const uint8_t *blob, size_t size,
                                   const snap_patch *bad, size_t n)
{
    uint8_t *copy = malloc(size);
    assert_non_null(copy);
    vgt_error err = {0};
    for (size_t i = 0; i < n; i++) {
        memcpy(copy, blob, size);
        vgt_store_le32(copy + bad[i].at, bad[i].v);
        assert_int_equal(vgt_executor_snapshot_load(ex, copy, size, &err), VGT_E_FORMAT);
        if (!strstr(err.message, bad[i].why)) {
            fail_msg("case %zu: %s", i, err.message);
        }
    }
    free(copy);
}

/* ---- AND masks of the 16- and 24-bit modes' depth ----------------------- */

/* The host colour of a guest pixel of `bits` (16: R5-G6-B5, 24: B, G, R),
 * written here apart from the executor: a 5-bit channel c widened by
 * replication is floor(33c / 4), a 6-bit one floor(65c / 16). */
static uint32_t hc_rgb(uint32_t bits, uint32_t v)
{
    if (bits == 24) {
        return v & 0xFFFFFFu;
    }
    return ((v >> 11) & 31u) * 33u / 4u << 16 | ((v >> 5) & 63u) * 65u / 16u << 8 |
           (v & 31u) * 33u / 4u;
}

/* A host colour in the guest format, by PRESENT_READBACK's rule: each
 * channel's low bits dropped. */
static uint32_t hc_narrow(uint32_t bits, uint32_t rgb)
{
    if (bits == 24) {
        return rgb & 0xFFFFFFu;
    }
    uint32_t r = (rgb >> 16) & 0xFFu, g = (rgb >> 8) & 0xFFu, b = rgb & 0xFFu;
    return (r / 8u) << 11 | (g / 4u) << 5 | b / 8u;
}

#define HC_W 16u
#define HC_H 8u

/* The cursor's 4x2 AND values at (4,0): partial values, 0 and all ones;
 * (6,0) and (7,0) lie over a blitted host colour (all ones, partial). */
static void hc_masks(uint32_t bits, uint32_t and_v[8], uint32_t xor_v[8])
{
    static const uint32_t and16[8] = {0xF0F0, 0x7BEF, 0xFFFF, 0xC618, 0, 0xFFFF, 0x8421, 0x07E0};
    static const uint32_t xor16[8] = {0x0F00, 0x1111, 0x0841, 0x0000, 0xA5A5, 0x0821, 0, 0xF81F};
    static const uint32_t and24[8] = {0xF0F00F, 0x7F7F7F, 0xFFFFFF, 0xC0C0C0,
                                      0,        0xFFFFFF, 0x808001, 0x00FF00};
    static const uint32_t xor24[8] = {0x0F0F0F, 0x111111, 0x010203, 0,
                                      0xA5A5A5, 0x102030, 0,        0xFF00FF};
    memcpy(and_v, bits == 16 ? and16 : and24, sizeof(and16));
    memcpy(xor_v, bits == 16 ? xor16 : xor24, sizeof(xor16));
}

/* The guest pixel the test writes at (x, y); (4,0) is the task's example. */
static uint32_t hc_screen(uint32_t bits, uint32_t x, uint32_t y)
{
    if (x == 4 && y == 0) {
        return bits == 16 ? 0x1234u : 0x123456u;
    }
    uint32_t v = x * 0x9E37u + y * 0x4B1Du + 0x2A5u;
    return bits == 16 ? v & 0xFFFFu : (v * 0x101u) & 0xFFFFFFu;
}

/* A 16x8 mode of `bits` showing hc_screen by one UPDATE, then host colour
 * 0x123456 blitted from a 32-bit GMRFB onto (6,0) and (7,0), and the hc_masks
 * cursor at (4,0) (hotspot 0,0). */
static void hc_setup(fixture *f, uint32_t bits)
{
    vgt_error err = {0};
    vgt_exec_result res;
    uint32_t bpp = bits / 8u;
    vgt_display_mode m = {.enabled = true,
                          .width = HC_W,
                          .height = HC_H,
                          .bits_per_pixel = bits,
                          .bytes_per_line = HC_W * bpp};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    for (uint32_t y = 0; y < HC_H; y++) {
        for (uint32_t x = 0; x < HC_W; x++) {
            for (uint32_t b = 0; b < bpp; b++) {
                f->m->vram[(y * HC_W + x) * bpp + b] = (uint8_t)(hc_screen(bits, x, y) >> (8 * b));
            }
        }
    }
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, HC_W, HC_H};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    vgt_store_le32(f->m->gmr1, 0x00123456u);
    vgt_store_le32(f->m->gmr1 + 4, 0x00123456u);
    uint32_t gmrfb[5] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    assert_int_equal(exec_words(f, gmrfb, 5, &res, &err), VGT_OK);
    uint32_t blit[8] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 6, 0, 8, 1, 0};
    assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_OK);
    uint32_t and_v[8], xor_v[8];
    hc_masks(bits, and_v, xor_v);
    assert_int_equal(define_cursor_masks(f, 4, 2, bits, bits, and_v, xor_v, &err), VGT_OK);
    vgt_executor_set_cursor(f->ex, true, 4, 0, VGT_SVGA_ID_INVALID);
}

/* What the cursor pixel i (at (4 + i % 4, i / 4)) shows: (guest AND) XOR
 * xor in the guest's format, widened; over the blitted host colour the
 * guest pixel is that colour narrowed, except that all ones keeps it. */
static uint32_t hc_want(uint32_t bits, uint32_t i)
{
    uint32_t and_v[8], xor_v[8];
    hc_masks(bits, and_v, xor_v);
    uint32_t x = 4 + i % 4u, y = i / 4u, ones = bits == 16 ? 0xFFFFu : 0xFFFFFFu;
    bool host = y == 0 && x >= 6;
    if (host && and_v[i] == ones) {
        return 0xFF000000u | (0x123456u ^ hc_rgb(bits, xor_v[i]));
    }
    uint32_t g = host ? hc_narrow(bits, 0x123456u) : hc_screen(bits, x, y);
    return 0xFF000000u | hc_rgb(bits, (g & and_v[i]) ^ xor_v[i]);
}

/* AND masks of the mode's depth take any value at 16 and 24 bits: the
 * screen's pixel, narrowed into the mode's format, AND the value, XOR the
 * XOR value, widened as UPDATE widens (0x1234 AND 0xF0F0 XOR 0x0F00 at 16
 * bits shows 0x1F30); over a blitted host colour, the colour narrowed
 * (all ones keeps it as it is); beside the cursor the screen. A cursor of
 * only 0 and all ones (the plain compose) shows what the general rule
 * gives over guest pixels. */
static void check_partial_and(fixture *f, uint32_t bits)
{
    vgt_error err = {0};
    hc_setup(f, bits);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        uint32_t x = 4 + i % 4u, y = i / 4u;
        if (px(img, x, y) != hc_want(bits, i)) {
            fail_msg("%u bits: cursor pixel %u shows 0x%08x, expected 0x%08x", bits, i,
                     px(img, x, y), hc_want(bits, i));
        }
    }
    if (bits == 16) {
        assert_int_equal(px(img, 4, 0), 0xFF000000u | hc_rgb(16, 0x1F30));
        assert_int_equal(hc_rgb(16, 0x1F30), 0x18E784u);
    } else {
        assert_int_equal(px(img, 4, 0), 0xFF000000u | ((0x123456u & 0xF0F00Fu) ^ 0x0F0F0Fu));
    }
    assert_int_equal(px(img, 3, 0), 0xFF000000u | hc_rgb(bits, hc_screen(bits, 3, 0)));
    assert_int_equal(px(img, 8, 1), 0xFF000000u | hc_rgb(bits, hc_screen(bits, 8, 1)));
    assert_int_equal(px(img, 4, 2), 0xFF000000u | hc_rgb(bits, hc_screen(bits, 4, 2)));

    /* the same masks with every partial value made all ones: the plain
     * compose, the same pixels where the values were 0 or all ones */
    uint32_t and_v[8], xor_v[8], ones = bits == 16 ? 0xFFFFu : 0xFFFFFFu;
    hc_masks(bits, and_v, xor_v);
    uint32_t shown[8];
    for (uint32_t i = 0; i < 8; i++) {
        shown[i] = px(img, 4 + i % 4u, i / 4u);
        and_v[i] = and_v[i] == 0 ? 0 : ones;
    }
    assert_int_equal(define_cursor_masks(f, 4, 2, bits, bits, and_v, xor_v, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    uint32_t same = 0;
    hc_masks(bits, and_v, xor_v);
    for (uint32_t i = 0; i < 8; i++) {
        if (and_v[i] == 0 || and_v[i] == ones) {
            assert_int_equal(px(img, 4 + i % 4u, i / 4u), shown[i]);
            same++;
        }
    }
    assert_int_equal(same, 3);
}

static void test_cursor_partial_and(void **state)
{
    check_partial_and(*state, 16);
    check_partial_and(*state, 24);
}

/* A snapshot with such a cursor is version 5 (the cursor's AND depth
 * after version 4's trailer): the loaded executor composes the same
 * pixels; an AND depth other than 0, 16 or 24 and an AND value above the
 * depth are refused; a cursor of only 0 and all ones keeps version 2. */
static void test_cursor_partial_and_snapshot(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    hc_setup(f, 16);
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_executor *ex2 = snapshot_copy(f, &blob, &size);
    assert_int_equal(vgt_load_le32(blob), 5);
    assert_int_equal(vgt_load_le32(blob + size - 4), 16);      /* and_bits */
    assert_int_equal(vgt_load_le32(blob + size - 12), 0);      /* not indexed */
    assert_int_equal(vgt_load_le32(blob + size - 8), 0);       /* no shadow */
    assert_int_equal(vgt_load_le32(blob + size - 76), 0xF0F0); /* AND pixel 0 */
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(ex2, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        assert_int_equal(px(img, 4 + i % 4u, i / 4u), hc_want(16, i));
    }
    const snap_patch bad[] = {
        {size - 4, 8, "bad cursor AND depth"},
        {size - 4, 32, "bad cursor AND depth"},
        {size - 76, 0x10000, "cursor AND value above its depth"},
    };
    assert_patches_refused(ex2, blob, size, bad, sizeof(bad) / sizeof(bad[0]));
    /* the depth 24 with 16-bit values loads (they are below it) */
    uint8_t *copy = malloc(size);
    memcpy(copy, blob, size);
    vgt_store_le32(copy + size - 4, 24);
    assert_int_equal(vgt_executor_snapshot_load(ex2, copy, size, &err), VGT_OK);
    free(copy);
    free(blob);

    /* keep-all and keep-none only: the host masks, version 2 */
    const uint32_t and_v[8] = {0xFFFF, 0, 0xFFFF, 0, 0, 0xFFFF, 0, 0xFFFF}, xor_v[8] = {0};
    assert_int_equal(define_cursor_masks(f, 4, 2, 16, 16, and_v, xor_v, &err), VGT_OK);
    assert_int_equal(vgt_executor_snapshot_save(f->ex, &blob, &size, &err), VGT_OK);
    assert_int_equal(vgt_load_le32(blob), 2);
    free(blob);
    vgt_executor_destroy(ex2);
}

/* The small 8-bit mode with the AND8/XOR8 index cursor at (10,10), and
 * one 32-bit GMRFB pixel, 0xABCDEF, blitted onto screen 0 at (10,11)
 * (AND 0xFF, XOR 0x80 there): host colours, no index. */
static void index_cursor_over_blit(fixture *f)
{
    vgt_error err = {0};
    vgt_exec_result res;
    set_8bit_small(f);
    assert_int_equal(define_cursor_masks(f, 4, 2, 8, 8, AND8, XOR8, &err), VGT_OK);
    vgt_executor_set_cursor(f->ex, true, 10, 10, VGT_SVGA_ID_INVALID);
    vgt_store_le32(f->m->gmr1, 0x00ABCDEFu);
    uint32_t gmrfb[5] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    assert_int_equal(exec_words(f, gmrfb, 5, &res, &err), VGT_OK);
    uint32_t blit[8] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 10, 11, 11, 12, 0};
    assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_OK);
}

/* Pixels under an index cursor that do not show an index (host colours:
 * a GMRFB blit onto screen 0, another screen above it, the 32-bit mode and
 * the 8-bit mode again before an UPDATE) take the colour rule: AND 0xFF
 * keeps the colour, other values clear it, then XOR with the XOR index's
 * colour; an UPDATE shows indices again. */
static void test_8bit_index_cursor_host_colours(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    index_cursor_over_blit(f);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 11), 0xFF000000u | (0x00ABCDEFu ^ pal_rgb(0x80)));
    /* the rest of the cursor still over indices */
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0x3A));
    assert_int_equal(px(img, 11, 11), 0xFF000000u | pal_rgb(idx8(11, 11) & 0xA5u));
    /* an UPDATE shows the index again */
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, I8_W, I8_H};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 11), 0xFF000000u | pal_rgb(idx8(10, 11) ^ 0x80u));

    /* screen 1 over the cursor's right half shows the same colours (the
     * framebuffer too) but no index: the colour rule there */
    uint32_t s1[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 1, VGT_SVGA_SCREEN_MUST_BE_SET, 8, 8, 12, 8};
    assert_int_equal(exec_words(f, s1, 8, &res, &err), VGT_OK);
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0x3A));
    /* (12,10): AND 0x00, XOR 0x77: black XOR colour 0x77 */
    assert_int_equal(px(img, 12, 10), 0xFF000000u | pal_rgb(0x77));
    /* (12,11): AND 0x81, XOR 0xFF: cleared, XOR colour 0xFF */
    assert_int_equal(px(img, 12, 11), 0xFF000000u | pal_rgb(0xFF));
    /* (13,11): AND 0xFF, XOR 0x42: the colour XORed */
    assert_int_equal(px(img, 13, 11), 0xFF000000u | (pal_rgb(idx8(13, 11)) ^ pal_rgb(0x42)));
    uint32_t destroy[] = {VGT_SVGA_CMD_DESTROY_SCREEN, 1};
    assert_int_equal(exec_words(f, destroy, 2, &res, &err), VGT_OK);

    /* to 32 bits: screen 0 keeps its colours, no index */
    vgt_display_mode m = {.enabled = true,
                          .width = I8_W,
                          .height = I8_H,
                          .bits_per_pixel = 32,
                          .bytes_per_line = I8_W * 4u};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 11), 0xFF000000u | (pal_rgb(idx8(10, 11)) ^ pal_rgb(0x80)));
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0x30)); /* AND 0x0F: cleared */
    /* back to 8 bits: still no index until an UPDATE */
    m.bits_per_pixel = 8;
    m.bytes_per_line = I8_W;
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 11), 0xFF000000u | (pal_rgb(idx8(10, 11)) ^ pal_rgb(0x80)));
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    uint8_t under[8];
    for (uint32_t i = 0; i < 8; i++) {
        under[i] = f->m->vram[(10 + i / 4u) * I8_W + 10 + i % 4u];
    }
    assert_index_cursor(f, under);

    /* screen 0 redefined smaller keeps the indices where it overlaps, as it
     * keeps its pixels */
    uint32_t s0[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 16, 12, 0, 0};
    assert_int_equal(exec_words(f, s0, 8, &res, &err), VGT_OK);
    assert_index_cursor(f, under);
    /* destroyed and defined again: new pixels, no index */
    uint32_t d0[] = {VGT_SVGA_CMD_DESTROY_SCREEN, 0};
    assert_int_equal(exec_words(f, d0, 2, &res, &err), VGT_OK);
    assert_int_equal(exec_words(f, s0, 8, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 10, 10), 0xFF000000u | pal_rgb(0x30));
    assert_int_equal(px(img, 10, 11), 0xFF000000u | pal_rgb(0x80)); /* black XOR colour */
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_index_cursor(f, under);
}

/* A mid-run snapshot carries the index shadow and the index cursor
 * (version 4): the loaded executor composes the same image, and its cursor
 * still reads indices (the pixels under it came from UPDATE, not from VRAM
 * now); damaged trailers are refused. */
static void test_8bit_index_cursor_snapshot(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    index_cursor_over_blit(f); /* the known bitmap travels too */
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    uint8_t under[8];
    for (uint32_t i = 0; i < 8; i++) {
        under[i] = f->m->vram[(10 + i / 4u) * I8_W + 10 + i % 4u];
    }
    /* VRAM changes after the UPDATE: only the shadow knows what is shown */
    memset(f->m->vram, 0x11, I8_W * I8_H);
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_executor *ex2 = snapshot_copy(f, &blob, &size);
    assert_int_equal(vgt_load_le32(blob), 4);
    const vgt_image *img2;
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    assert_int_equal(img2->width, img->width);
    assert_int_equal(img2->height, img->height);
    for (uint32_t y = 0; y < I8_H; y++) {
        assert_memory_equal(img2->pixels + (size_t)y * img2->stride,
                            img->pixels + (size_t)y * img->stride, I8_W * 4u);
    }
    assert_int_equal(px(img2, 10, 10), 0xFF000000u | pal_rgb(0x3A));
    assert_int_equal(px(img2, 10, 11), 0xFF000000u | (0x00ABCDEFu ^ pal_rgb(0x80)));
    assert_int_equal(px(img2, 11, 11), want_index(under[5], AND8[5], XOR8[5]));
    /* the loaded palette re-colours the loaded cursor */
    assert_int_equal(vgt_executor_set_palette(ex2, 3 * 0x3A + 2, 0x99, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    assert_int_equal(px(img2, 10, 10), 0xFF000000u | (pal_rgb(0x3A) & 0xFFFF00u) | 0x99u);

    /* the trailer: indexed, present, w, h, 64*32 indices, 32 rows of 8 known bytes */
    size_t kn = 8u * I8_H, n = (size_t)I8_W * I8_H, trailer = 16u + n + kn;
    assert_true(size > trailer + 4u);
    assert_int_equal(vgt_load_le32(blob + size - trailer), 1);     /* indexed */
    assert_int_equal(vgt_load_le32(blob + size - trailer + 4), 1); /* present */
    assert_int_equal(vgt_load_le32(blob + size - trailer + 8), I8_W);
    assert_int_equal(blob[size - kn - n + 10 * I8_W + 10], 0x5A);
    const snap_patch bad[] = {
        {size - trailer + 4, 2, "outside the 8-bit mode"},
        {size - trailer + 8, I8_W + 1, "screen 0's size"},
        {size - trailer + 12, 0, "screen 0's size"},
        {size - trailer - 4, 0x100, "above 0xFF"}, /* the last XOR pixel */
    };
    assert_patches_refused(ex2, blob, size, bad, sizeof(bad) / sizeof(bad[0]));
    uint8_t *copy = malloc(size);
    /* cut inside the known bitmap, and one byte too many */
    assert_int_equal(vgt_executor_snapshot_load(ex2, blob, size - 1, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "cut short"));
    uint8_t *longer = calloc(size + 1, 1);
    memcpy(longer, blob, size);
    assert_int_equal(vgt_executor_snapshot_load(ex2, longer, size + 1, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "trailing"));
    free(longer);
    /* version 2 of the same state (no store words, no trailer; the cursor
     * then holds colours): loads in the 8-bit mode with no index known,
     * until an UPDATE */
    size_t at = 8 + 24 + 768 + 4 + 28; /* screen 0's store words */
    assert_int_equal(vgt_load_le32(blob + 8 + 24 + 768), 1);
    memcpy(copy, blob, at);
    memcpy(copy + at, blob + at + 16, size - at - 16 - trailer);
    vgt_store_le32(copy, 2);
    assert_int_equal(vgt_executor_snapshot_load(ex2, copy, size - 16 - trailer, &err), VGT_OK);
    vgt_cmd cmd;
    uint32_t cur[8 + 2 + 2] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 4, 2, 8, 8};
    for (uint32_t i = 0; i < 8; i++) {
        ((uint8_t *)&cur[8])[i] = (uint8_t)AND8[i];
        ((uint8_t *)&cur[10])[i] = (uint8_t)XOR8[i];
    }
    assert_int_equal(vgt_cmd_decode(cur, 12, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex2, &cmd, NULL, &err), VGT_OK);
    vgt_executor_set_cursor(ex2, true, 10, 10, VGT_SVGA_ID_INVALID);
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    assert_int_equal(px(img2, 11, 11), 0xFF000000u | pal_rgb(XOR8[4 + 1])); /* AND 0xA5: cleared */
    assert_int_equal(px(img2, 10, 11), 0xFF000000u | (0x00ABCDEFu ^ pal_rgb(0x80)));
    assert_int_equal(px(img2, 13, 11), 0xFF000000u | (pal_rgb(idx8(13, 11)) ^ pal_rgb(0x42)));
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, I8_W, I8_H};
    assert_int_equal(vgt_cmd_decode(up, 5, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex2, &cmd, NULL, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    assert_int_equal(px(img2, 11, 11), 0xFF000000u | pal_rgb(0x11 & 0xA5));
    assert_int_equal(px(img2, 13, 11), 0xFF000000u | pal_rgb(0x11 ^ 0x42));
    free(copy);
    free(blob);
    vgt_executor_destroy(ex2);
}

/* A 16-bit pixel widened to the host's colour, computed apart from the
 * executor: 5-bit channels floor(33c / 4), the 6-bit one floor(65c / 16). */
static uint32_t rgb565(uint32_t v)
{
    return ((v >> 11) * 33u / 4u) << 16 | ((v >> 5 & 63u) * 65u / 16u) << 8 | (v & 31u) * 33u / 4u;
}

static uint32_t test565(uint32_t x, uint32_t y)
{
    return (x * 131u + y * 977u) & 0xFFFFu;
}

/* The 16-bit mode through put_virtual in bands (a second screen over the
 * lower right, as for 8 bits): UPDATE and an overlapping RECT_COPY show
 * the exact colours and keep the guest's words in VRAM; the depth and the
 * pitch survive a snapshot, and the loaded executor shows the same. */
static void test_16bit_bands_and_snapshot(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    vgt_display_mode m = {.enabled = true,
                          .width = 512,
                          .height = 1000,
                          .bits_per_pixel = 16,
                          .bytes_per_line = 1024,
                          .fb_offset = 0};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    for (uint32_t y = 0; y < 1000; y++) {
        for (uint32_t x = 0; x < 512; x++) {
            uint32_t v = test565(x, y);
            f->m->vram[y * 1024 + 2 * x] = (uint8_t)v;
            f->m->vram[y * 1024 + 2 * x + 1] = (uint8_t)(v >> 8);
        }
    }
    uint32_t s1[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 1, VGT_SVGA_SCREEN_MUST_BE_SET, 512, 600, 256, 500};
    assert_int_equal(exec_words(f, s1, 8, &res, &err), VGT_OK);
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 0, 512, 1000};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_int_equal(res.bytes_read, 2u * 512u * 1000u);
    uint32_t rc[] = {VGT_SVGA_CMD_RECT_COPY, 0, 0, 3, 700, 400, 250};
    assert_int_equal(exec_words(f, rc, 7, &res, &err), VGT_OK);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t y = 0; y < 1000; y++) {
        for (uint32_t x = 0; x < 512; x++) {
            bool moved = x >= 3 && x < 403 && y >= 700 && y < 950;
            uint32_t v = moved ? test565(x - 3, y - 700) : test565(x, y);
            uint32_t word = f->m->vram[y * 1024 + 2 * x] | f->m->vram[y * 1024 + 2 * x + 1] << 8;
            if (word != v || px(img, x, y) != (0xFF000000u | rgb565(v))) {
                fail_msg("(%u,%u): 0x%04x shows 0x%08x, expected 0x%04x 0x%08x", x, y, word,
                         px(img, x, y), v, 0xFF000000u | rgb565(v));
            }
        }
    }
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_executor *ex2 = snapshot_copy(f, &blob, &size);
    assert_int_equal(vgt_executor_mode(ex2).bits_per_pixel, 16);
    assert_int_equal(vgt_executor_mode(ex2).bytes_per_line, 1024);
    const vgt_image *img2;
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    assert_int_equal(img2->width, img->width);
    assert_memory_equal(img2->pixels, img->pixels, (size_t)img->stride * img->height);
    /* the loaded executor converts as the first did */
    uint32_t up2[] = {VGT_SVGA_CMD_UPDATE, 5, 5, 1, 1};
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(up2, 5, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex2, &cmd, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    assert_int_equal(px(img2, 5, 5), 0xFF000000u | rgb565(test565(5, 5)));
    free(blob);
    vgt_executor_destroy(ex2);
}

/* EXVO sections that are malformed in any way are refused with
 * VGT_E_FORMAT (or VGT_E_VERSION) naming the byte, never read past their
 * end, and leave the units reset; a good one round-trips. */
static void test_video_snapshot_rejects(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    set_mode(f, 64, 48);
    for (uint32_t stream = 0; stream < 2; stream++) {
        uint32_t set[5 + 2 * 11] = {VGT_SVGA_CMD_ESCAPE,
                                    0,
                                    8 + 8 * 11,
                                    VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS,
                                    stream,
                                    VGT_SVGA_VIDEO_ENABLED,
                                    1 - stream, /* unit 1: registers only, not shown */
                                    VGT_SVGA_VIDEO_FORMAT,
                                    VGT_SVGA_FOURCC_YUY2,
                                    VGT_SVGA_VIDEO_WIDTH,
                                    4,
                                    VGT_SVGA_VIDEO_HEIGHT,
                                    2,
                                    VGT_SVGA_VIDEO_SRC_WIDTH,
                                    4,
                                    VGT_SVGA_VIDEO_SRC_HEIGHT,
                                    2,
                                    VGT_SVGA_VIDEO_DST_X,
                                    (uint32_t)-3,
                                    VGT_SVGA_VIDEO_DST_WIDTH,
                                    5,
                                    VGT_SVGA_VIDEO_DST_HEIGHT,
                                    3,
                                    VGT_SVGA_VIDEO_PITCH_1,
                                    8,
                                    VGT_SVGA_VIDEO_DATA_GMRID,
                                    1};
        uint32_t flush[5] = {VGT_SVGA_CMD_ESCAPE, 0, 8, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, stream};
        assert_int_equal(exec_words(f, set, 27, &res, &err), VGT_OK);
        assert_int_equal(exec_words(f, flush, 5, &res, &err), VGT_OK);
    }
    uint8_t *snap = NULL;
    size_t size = 0;
    assert_int_equal(vgt_executor_snapshot_save_video(f->ex, &snap, &size, &err), VGT_OK);
    /* header, unit 0 (registers, shown, 5x3 pixels), unit 1 (registers) */
    assert_int_equal(size, 12 + (4 + 84 + 4 + 32 + 15 * 4) + (4 + 84 + 4));
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    uint32_t shown = px(img, 1, 1);
    assert_int_equal(vgt_executor_snapshot_load_video(f->ex, snap, size, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 1, 1), shown);
    /* every cut is refused and leaves nothing shown */
    for (size_t cut = 0; cut < size; cut++) {
        uint8_t *part = malloc(cut ? cut : 1);
        memcpy(part, snap, cut);
        vgt_status st = vgt_executor_snapshot_load_video(f->ex, part, cut, &err);
        free(part);
        if (st != VGT_E_FORMAT) {
            fail_msg("cut at %zu: status %d (%s)", cut, st, err.message);
        }
        assert_non_null(strstr(err.message, "video overlay section"));
        assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
        assert_int_equal(px(img, 1, 1), 0xFF000000u);
    }
    /* trailing bytes, version, flags, counts, ids, sizes, positions */
    struct {
        size_t at;
        uint32_t value;
        vgt_status st;
        const char *why;
    } bad[] = {
        {0, 2, VGT_E_VERSION, "version 2"},
        {4, 1, VGT_E_FORMAT, "flags or unit count"},
        {8, 33, VGT_E_FORMAT, "flags or unit count"},
        {12, 32, VGT_E_FORMAT, "bad unit (id or duplicate)"},
        {12 + 184, 0, VGT_E_FORMAT, "bad unit (id or duplicate)"}, /* unit 1 says 0 */
        {12 + 116, 0, VGT_E_FORMAT, "bad unit size"},              /* w */
        {12 + 120, 8193, VGT_E_FORMAT, "bad unit size"},           /* h */
        {12 + 116, 100, VGT_E_FORMAT, "pixels are cut short"},
        {12 + 104, 4, VGT_E_FORMAT, "position out of range"}, /* x's high word */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t *copy = malloc(size);
        memcpy(copy, snap, size);
        vgt_store_le32(copy + bad[i].at, bad[i].value);
        vgt_status st = vgt_executor_snapshot_load_video(f->ex, copy, size, &err);
        free(copy);
        assert_int_equal(st, bad[i].st);
        if (!strstr(err.message, bad[i].why)) {
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.message, bad[i].why);
        }
    }
    uint8_t *longer = calloc(1, size + 4);
    memcpy(longer, snap, size);
    assert_int_equal(vgt_executor_snapshot_load_video(f->ex, longer, size + 4, &err), VGT_E_FORMAT);
    assert_non_null(strstr(err.message, "trailing bytes"));
    free(longer);
    free(snap);
}

/* docs/protocol-coverage.md's 2D rows say which commands a replay executes
 * (the table's EXEC_NULL/SOFT/GL flags): the executor runs those and
 * refuses only the others as the device's own. */
static void test_2d_coverage_flags_true(void **state)
{
    fixture *f = *state;
    set_mode(f, 32, 32);
    size_t n = 0;
    const vgt_cmd_desc *t = vgt_cmd_table(&n);
    uint32_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & VGT_CMD_F_3D) {
            continue;
        }
        assert_true(t[i].flags & VGT_CMD_F_EXEC_DEVICE);
        bool replayed = (t[i].flags & VGT_CMD_F_EXEC_NULL) != 0;
        assert_int_equal(replayed, (t[i].flags & VGT_CMD_F_EXEC_SOFT) != 0);
        assert_int_equal(replayed, (t[i].flags & VGT_CMD_F_EXEC_GL) != 0);
        vgt_cmd cmd;
        memset(&cmd, 0, sizeof(cmd));
        cmd.id = t[i].id; /* every field 0: it may fail, but not as the device's own */
        vgt_exec_result res;
        vgt_error err = {0};
        vgt_status st = vgt_executor_execute(f->ex, &cmd, &res, &err);
        bool refused = st != VGT_OK && strstr(err.message, "executed by the device") != NULL;
        if (refused == replayed) {
            fail_msg("%s: the table says %s on replay, the executor %s", t[i].name,
                     replayed ? "executed" : "not executed", refused ? "refuses it" : "runs it");
        }
        checked++;
    }
    assert_int_equal(checked, 17);
}

/* A screen with a backing store (SCREEN_OBJECT_2): DEFINE_SCREEN reads the
 * store row by row (pitch apart) in order, the EX2D snapshot (version 3)
 * carries the store so that a loaded executor writes blits into it, a
 * snapshot without a store stays version 2, and a version-3 section with a
 * store DEFINE_SCREEN would refuse is refused. */
static void test_backing_store_snapshot(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    const uint32_t off = 0x40000, pitch = 64;
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            vgt_store_le32(f->m->vram + off + y * pitch + x * 4u, 0x00100000u * y + x);
        }
    }
    uint8_t *blob = NULL;
    size_t size = 0;
    assert_int_equal(vgt_executor_snapshot_save(f->ex, &blob, &size, &err), VGT_OK);
    assert_int_equal(vgt_load_le32(blob), 2); /* no store yet */
    free(blob);
    uint32_t def[12] = {VGT_SVGA_CMD_DEFINE_SCREEN, 44,  2,     1, 8, 4, 10, 0,
                        VGT_SVGA_GMR_FRAMEBUFFER,   off, pitch, 0};
    f->m->ncalls = 0;
    assert_int_equal(exec_words(f, def, 12, NULL, &err), VGT_OK);
    assert_int_equal(f->m->ncalls, 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_false(f->m->calls[i].write);
        assert_int_equal(f->m->calls[i].offset, off + i * pitch);
        assert_int_equal(f->m->calls[i].len, 32);
    }
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 3, 2), 0xFF200003u);
    assert_int_equal(vgt_executor_snapshot_save(f->ex, &blob, &size, &err), VGT_OK);
    assert_int_equal(vgt_load_le32(blob), 3);
    /* header 8, mode 24, palette 768, count 4, screen {7 words}, then the store */
    const size_t store_at = 8 + 24 + 768 + 4 + 28;
    assert_int_equal(vgt_load_le32(blob + store_at), 1);
    assert_int_equal(vgt_load_le32(blob + store_at + 4), VGT_SVGA_GMR_FRAMEBUFFER);
    assert_int_equal(vgt_load_le32(blob + store_at + 8), off);
    assert_int_equal(vgt_load_le32(blob + store_at + 12), pitch);

    fake_mem *m2 = calloc(1, sizeof(fake_mem));
    vgt_executor_config cfg = {.mem = {.ctx = m2, .read = fm_read, .write = fm_write},
                               .vram_size = VRAM_SIZE};
    vgt_executor *ex2;
    assert_int_equal(vgt_executor_create(&cfg, &ex2, &err), VGT_OK);
    assert_int_equal(vgt_executor_snapshot_load(ex2, blob, size, &err), VGT_OK);
    assert_int_equal(m2->ncalls, 0); /* the pixels come from the snapshot */
    assert_int_equal(vgt_executor_compose(ex2, &img, &err), VGT_OK);
    assert_int_equal(px(img, 3, 2), 0xFF200003u);
    /* A blit to the loaded screen lands in its store. */
    vgt_store_le32(m2->gmr1, 0x00ABCDEFu);
    uint32_t gmrfb[5] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(gmrfb, 5, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex2, &cmd, NULL, &err), VGT_OK);
    uint32_t blit[8] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 2, 1, 3, 2, 2};
    assert_int_equal(vgt_cmd_decode(blit, 8, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex2, &cmd, NULL, &err), VGT_OK);
    assert_int_equal(vgt_load_le32(m2->vram + off + 1 * pitch + 2 * 4u), 0x00ABCDEFu);
    /* Stores DEFINE_SCREEN would refuse (the loader checks as it does). */
    const struct {
        size_t at;
        uint32_t v;
    } bad[] = {
        {store_at, 2},                           /* has_store not 0/1 */
        {store_at + 4, 7},                       /* a GMR, not VRAM */
        {store_at + 8, 2},                       /* unaligned offset */
        {store_at + 12, 28},                     /* pitch < 8 * 4 */
        {store_at + 8, VRAM_SIZE - 3 * 64 - 28}, /* the last row past VRAM */
        {store_at + 12, 0xFFFFFFFCu},            /* pitch * 3 past VRAM (64-bit) */
    };
    uint8_t *copy = malloc(size);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(copy, blob, size);
        vgt_store_le32(copy + bad[i].at, bad[i].v);
        vgt_error_clear(&err);
        assert_int_equal(vgt_executor_snapshot_load(ex2, copy, size, &err), VGT_E_FORMAT);
        assert_non_null(strstr(err.message, "backing store"));
    }
    free(copy);
    vgt_executor_destroy(ex2);
    /* An executor without SCREEN_OBJECT_2 takes no store. */
    cfg.no_screen_object_2 = true;
    assert_int_equal(vgt_executor_create(&cfg, &ex2, &err), VGT_OK);
    assert_int_equal(vgt_executor_snapshot_load(ex2, blob, size, &err), VGT_E_FORMAT);
    vgt_executor_destroy(ex2);
    free(m2);
    free(blob);
}

/* A 15-bit pixel widened apart from the executor: each 5-bit channel
 * floor(33c / 4) (bit replication), bit 15 ignored. */
static uint32_t rgb555(uint32_t v)
{
    return ((v >> 10 & 31u) * 33u / 4u) << 16 | ((v >> 5 & 31u) * 33u / 4u) << 8 |
           (v & 31u) * 33u / 4u;
}

/* The 5-word GMRFB section {defined, gmr, offset, pitch, format} in a
 * snapshot blob (the values are distinctive enough to be found). */
static size_t find_gmrfb(const uint8_t *blob, size_t size, uint32_t gmr, uint32_t off,
                         uint32_t pitch, uint32_t format)
{
    for (size_t i = 0; i + 20 <= size; i += 4) {
        if (vgt_load_le32(blob + i) == 1 && vgt_load_le32(blob + i + 4) == gmr &&
            vgt_load_le32(blob + i + 8) == off && vgt_load_le32(blob + i + 12) == pitch &&
            vgt_load_le32(blob + i + 16) == format) {
            return i;
        }
    }
    fail_msg("no GMRFB section in the snapshot");
    return 0;
}

/* Every 16-bit value, as 16/16 (R5G6B5) and 16/15 (X1R5G5B5) GMRFBs in
 * VRAM, blitted onto a 256x256 screen shows the bit-replicated colour;
 * read back into a second GMRFB of the same format each comes back as it
 * was (bit 15 of 16/15 as 0); a loaded snapshot keeps the format. */
static void test_gmrfb16_every_value_round_trip(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    uint32_t s0[] = {
        VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 256, 256, 0, 0};
    assert_int_equal(exec_words(f, s0, 8, &res, &err), VGT_OK);
    for (uint32_t v = 0; v < 65536; v++) {
        f->m->vram[2u * v] = (uint8_t)v;
        f->m->vram[2u * v + 1u] = (uint8_t)(v >> 8);
    }
    const uint32_t back_at = 0x40000;
    for (uint32_t depth = 15; depth <= 16; depth++) {
        uint32_t fmt = VGT_SVGA_GMRFB_FORMAT(16, depth);
        uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, VGT_SVGA_GMR_FRAMEBUFFER, 0, 512, fmt};
        assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
        uint32_t blit[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 256, 256, 0};
        assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_OK);
        const vgt_image *img;
        assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
        for (uint32_t v = 0; v < 65536; v++) {
            uint32_t want = 0xFF000000u | (depth == 16 ? rgb565(v) : rgb555(v));
            if (px(img, v & 255u, v >> 8) != want) {
                fail_msg("%u-bit value 0x%04x shows 0x%08x, not 0x%08x", depth, v,
                         px(img, v & 255u, v >> 8), want);
            }
        }
        uint32_t fb2[] = {VGT_SVGA_CMD_DEFINE_GMRFB, VGT_SVGA_GMR_FRAMEBUFFER, back_at, 512, fmt};
        assert_int_equal(exec_words(f, fb2, 5, &res, &err), VGT_OK);
        memset(f->m->vram + back_at, 0xAA, 0x20000);
        uint32_t back[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 0, 0, 0, 256, 256, 0};
        assert_int_equal(exec_words(f, back, 8, &res, &err), VGT_OK);
        uint32_t mask = depth == 16 ? 0xFFFFu : 0x7FFFu;
        for (uint32_t v = 0; v < 65536; v++) {
            uint32_t got = vgt_load_le16(f->m->vram + back_at + 2u * v);
            if (got != (v & mask)) {
                fail_msg("%u-bit value 0x%04x comes back as 0x%04x", depth, v, got);
            }
        }
    }
    /* The snapshot carries 16/16 (the last one defined): the loaded
     * executor blits as 16/16 */
    uint8_t *blob = NULL;
    size_t size = 0;
    vgt_executor *ex2 = snapshot_copy(f, &blob, &size);
    uint32_t blit1[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 255, 0, 0, 0, 1, 1, 0};
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(blit1, 8, &cmd, &err), VGT_OK);
    assert_int_equal(vgt_executor_execute(ex2, &cmd, NULL, &err), VGT_OK);
    const vgt_image *img2;
    assert_int_equal(vgt_executor_compose(ex2, &img2, &err), VGT_OK);
    /* back_at + 2 * 255 holds 0x00FF: green 7 of 63, blue 31 */
    assert_int_equal(px(img2, 0, 0), 0xFF000000u | rgb565(0x00FFu));
    vgt_executor_destroy(ex2);
    /* formats DEFINE_GMRFB refuses are refused by the loader too */
    size_t at = find_gmrfb(blob, size, VGT_SVGA_GMR_FRAMEBUFFER, back_at, 512,
                           VGT_SVGA_GMRFB_FORMAT(16, 16));
    const uint32_t bad[] = {VGT_SVGA_GMRFB_FORMAT(16, 24), VGT_SVGA_GMRFB_FORMAT(8, 8),
                            VGT_SVGA_GMRFB_FORMAT(32, 32), 0,
                            0x10000u | VGT_SVGA_GMRFB_FORMAT(16, 16)};
    uint8_t *copy = malloc(size);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(copy, blob, size);
        vgt_store_le32(copy + at + 16, bad[i]);
        vgt_error_clear(&err);
        assert_int_equal(vgt_executor_snapshot_load(f->ex, copy, size, &err), VGT_E_FORMAT);
        assert_non_null(strstr(err.message, "bad GMRFB format"));
    }
    /* an undefined GMRFB's format is not looked at */
    memcpy(copy, blob, size);
    vgt_store_le32(copy + at, 0);
    vgt_store_le32(copy + at + 16, 0xDEADBEEFu);
    assert_int_equal(vgt_executor_snapshot_load(f->ex, copy, size, &err), VGT_OK);
    free(copy);
    free(blob);
}

/* Channel extremes both ways: 16/16, 16/15 and 24/24 GMRFBs to the screen
 * and host colours back; 32 -> 16/15 drops the low bits of each channel. */
static void test_gmrfb_formats_extremes(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    uint32_t s0[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 16, 4, 0, 0};
    assert_int_equal(exec_words(f, s0, 8, &res, &err), VGT_OK);
    static const struct {
        uint32_t bpp, depth, n;
        uint8_t bytes[8][3];
        uint32_t host[8];
    } cases[] = {
        {16,
         16,
         8,
         {{0x00, 0x00},
          {0xFF, 0xFF},
          {0x00, 0xF8},
          {0xE0, 0x07},
          {0x1F, 0x00},
          {0x00, 0x08},
          {0x20, 0x00},
          {0x01, 0x00}},
         {0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0x080000, 0x000400, 0x000008}},
        {16,
         15,
         8,
         {{0x00, 0x00},
          {0xFF, 0x7F},
          {0x00, 0x7C},
          {0xE0, 0x03},
          {0x1F, 0x00},
          {0x00, 0x80},
          {0x20, 0x00},
          {0x01, 0x00}},
         {0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0x000000, 0x000800, 0x000008}},
        {24,
         24,
         4,
         {{0x00, 0x00, 0x00}, {0xFF, 0xFF, 0xFF}, {0x01, 0x02, 0x03}, {0xFE, 0x80, 0x7F}},
         {0x000000, 0xFFFFFF, 0x030201, 0x7F80FE}},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        uint32_t bpp = cases[c].bpp / 8u;
        memset(f->m->gmr1, 0, 256);
        for (uint32_t i = 0; i < cases[c].n; i++) {
            memcpy(f->m->gmr1 + 64 + (3 + i) * bpp, cases[c].bytes[i], bpp);
        }
        uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64,
                         VGT_SVGA_GMRFB_FORMAT(cases[c].bpp, cases[c].depth)};
        assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
        /* GMRFB (3,1) onwards to screen (5,2) */
        uint32_t blit[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 3, 1, 5, 2, 5 + cases[c].n, 3, 0};
        assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_OK);
        const vgt_image *img;
        assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
        for (uint32_t i = 0; i < cases[c].n; i++) {
            assert_int_equal(px(img, 5 + i, 2), 0xFF000000u | cases[c].host[i]);
        }
        assert_int_equal(px(img, 4, 2), 0xFF000000u); /* nothing outside the rectangle */
    }
    /* 32 -> 16/16 and 16/15: host colours from a 32-bit GMRFB, read back */
    const uint32_t host[6] = {0x00FFFFFFu, 0x00070307u, 0x00080408u,
                              0x00F8FCF8u, 0x00FF0000u, 0x0000FF00u};
    const uint16_t want16[6] = {0xFFFF, 0x0000, 0x0821, 0xFFFF, 0xF800, 0x07E0};
    const uint16_t want15[6] = {0x7FFF, 0x0000, 0x0401, 0x7FFF, 0x7C00, 0x03E0};
    for (uint32_t i = 0; i < 6; i++) {
        vgt_store_le32(f->m->gmr1 + 4u * i, host[i]);
    }
    uint32_t fb32[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    assert_int_equal(exec_words(f, fb32, 5, &res, &err), VGT_OK);
    uint32_t put[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 6, 1, 0};
    assert_int_equal(exec_words(f, put, 8, &res, &err), VGT_OK);
    for (uint32_t depth = 15; depth <= 16; depth++) {
        memset(f->m->gmr1 + 1024, 0xAA, 64);
        uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 1024, 64, VGT_SVGA_GMRFB_FORMAT(16, depth)};
        assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
        uint32_t back[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 1, 0, 0, 0, 6, 1, 0};
        assert_int_equal(exec_words(f, back, 8, &res, &err), VGT_OK);
        assert_int_equal(vgt_load_le16(f->m->gmr1 + 1024), 0xAAAA); /* before the origin */
        for (uint32_t i = 0; i < 6; i++) {
            assert_int_equal(vgt_load_le16(f->m->gmr1 + 1026 + 2u * i),
                             depth == 16 ? want16[i] : want15[i]);
        }
        assert_int_equal(vgt_load_le16(f->m->gmr1 + 1026 + 12), 0xAAAA); /* after the row */
    }
    /* 32 -> 24/24: B, G, R bytes */
    uint32_t fb24[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 2048, 64, VGT_SVGA_GMRFB_FORMAT(24, 24)};
    assert_int_equal(exec_words(f, fb24, 5, &res, &err), VGT_OK);
    uint32_t back24[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 0, 4, 0, 6, 1, 0};
    assert_int_equal(exec_words(f, back24, 8, &res, &err), VGT_OK);
    const uint8_t bgr[6] = {0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00}; /* red, green */
    assert_memory_equal(f->m->gmr1 + 2048, bgr, 6);
}

/* Formats outside svga_reg.h's list, and rows that overlap in bytesPerLine
 * per format, are refused with their reason; the GMRFB defined before
 * stays. */
static void test_gmrfb_hostile_formats(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    uint32_t s0[] = {VGT_SVGA_CMD_DEFINE_SCREEN, 28, 0, VGT_SVGA_SCREEN_MUST_BE_SET, 16, 4, 0, 0};
    assert_int_equal(exec_words(f, s0, 8, &res, &err), VGT_OK);
    uint32_t blit[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 1, 1, 0};
    vgt_error_clear(&err);
    assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_E_STATE);
    const uint32_t bad[] = {VGT_SVGA_GMRFB_FORMAT(16, 24), VGT_SVGA_GMRFB_FORMAT(8, 8),
                            VGT_SVGA_GMRFB_FORMAT(32, 32), VGT_SVGA_GMRFB_FORMAT(24, 16),
                            VGT_SVGA_GMRFB_FORMAT(15, 15), 0};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 64, bad[i]};
        vgt_error_clear(&err);
        assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_E_UNSUPPORTED);
        assert_non_null(strstr(err.message, "DEFINE_GMRFB"));
        assert_non_null(strstr(err.message, "supported: 32/24, 24/24, 16/16, 16/15"));
    }
    vgt_error_clear(&err);
    assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_E_STATE); /* still undefined */
    /* bytesPerLine 10: 5 pixels of 2 bytes fit a row, 6 do not, nor 3 of 4 */
    const struct {
        uint32_t bpp, depth, w;
        vgt_status want;
    } rows[] = {{16, 16, 5, VGT_OK},     {16, 16, 6, VGT_E_RANGE}, {16, 15, 6, VGT_E_RANGE},
                {24, 24, 3, VGT_OK},     {24, 24, 4, VGT_E_RANGE}, {32, 24, 2, VGT_OK},
                {32, 24, 3, VGT_E_RANGE}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 10,
                         VGT_SVGA_GMRFB_FORMAT(rows[i].bpp, rows[i].depth)};
        assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
        uint32_t to[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, rows[i].w, 2, 0};
        uint32_t from[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 0, 0, 0, rows[i].w, 2, 0};
        vgt_error_clear(&err);
        assert_int_equal(exec_words(f, to, 8, &res, &err), rows[i].want);
        assert_int_equal(exec_words(f, from, 8, &res, &err), rows[i].want);
        if (rows[i].want != VGT_OK) {
            assert_non_null(strstr(err.message, "overlap in bytesPerLine 10"));
        }
        /* one row needs no pitch */
        to[6] = from[6] = 1;
        assert_int_equal(exec_words(f, to, 8, &res, &err), VGT_OK);
        assert_int_equal(exec_words(f, from, 8, &res, &err), VGT_OK);
    }
    /* a 16-bit GMRFB whose last pixel ends past its GMR: refused, not read */
    uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 64 * 1024 - 6, 64,
                     VGT_SVGA_GMRFB_FORMAT(16, 16)};
    assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
    uint32_t fits[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 3, 1, 0};
    assert_int_equal(exec_words(f, fits, 8, &res, &err), VGT_OK);
    uint32_t past[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 1, 0, 0, 0, 3, 1, 0};
    assert_int_equal(exec_words(f, past, 8, &res, &err), VGT_E_RANGE);
    uint32_t past_back[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 1, 0, 0, 0, 3, 1, 0};
    assert_int_equal(exec_words(f, past_back, 8, &res, &err), VGT_E_RANGE);
    /* a huge origin in a huge pitch: 64-bit offsets, refused */
    uint32_t huge[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0xFFFFFFFEu, 0xFFFFFFFFu,
                       VGT_SVGA_GMRFB_FORMAT(16, 15)};
    assert_int_equal(exec_words(f, huge, 5, &res, &err), VGT_OK);
    uint32_t far[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0x7FFFFFFFu, 0x7FFFFFFFu, 0, 0, 2, 2, 0};
    assert_int_equal(exec_words(f, far, 8, &res, &err), VGT_E_RANGE);
    uint32_t far_back[] = {
        VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0x7FFFFFFFu, 0x7FFFFFFFu, 0, 0, 2, 2, 0};
    assert_int_equal(exec_words(f, far_back, 8, &res, &err), VGT_E_RANGE);
}

/* A 16/15 GMRFB onto legacy screen 0 in the 16-bit mode and onto a screen
 * with a backing store (the store takes host pixels); a 16/16 GMRFB over
 * the legacy framebuffer itself: BLIT_SCREEN_TO_GMRFB writes R5G6B5 words
 * into VRAM, shown only by the UPDATE that covers them, as any guest
 * write to the framebuffer. */
static void test_gmrfb16_legacy_screen_and_store(void **state)
{
    fixture *f = *state;
    vgt_error err = {0};
    vgt_exec_result res;
    vgt_display_mode m = {.enabled = true,
                          .width = 64,
                          .height = 32,
                          .bits_per_pixel = 16,
                          .bytes_per_line = 128,
                          .fb_offset = 0};
    assert_int_equal(vgt_executor_set_mode(f->ex, &m, &err), VGT_OK);
    const uint32_t store_at = 0x20000;
    uint32_t s2[12] = {VGT_SVGA_CMD_DEFINE_SCREEN,
                       44,
                       2,
                       VGT_SVGA_SCREEN_MUST_BE_SET,
                       16,
                       8,
                       64,
                       0,
                       VGT_SVGA_GMR_FRAMEBUFFER,
                       store_at,
                       64,
                       0};
    assert_int_equal(exec_words(f, s2, 12, &res, &err), VGT_OK);
    for (uint32_t i = 0; i < 80; i++) {
        uint32_t v = test565(i, 7) | 0x8000u; /* bit 15 set: ignored at 16/15 */
        f->m->gmr1[2 * i] = (uint8_t)v;
        f->m->gmr1[2 * i + 1] = (uint8_t)(v >> 8);
    }
    uint32_t fb[] = {VGT_SVGA_CMD_DEFINE_GMRFB, 1, 0, 160, VGT_SVGA_GMRFB_FORMAT(16, 15)};
    assert_int_equal(exec_words(f, fb, 5, &res, &err), VGT_OK);
    /* virtual 56..72 x 0..1: 8 pixels on screen 0, 8 on screen 2 */
    uint32_t blit[] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 56, 0, 72, 1, VGT_SVGA_ID_INVALID};
    assert_int_equal(exec_words(f, blit, 8, &res, &err), VGT_OK);
    const vgt_image *img;
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t want = rgb555(test565(i, 7));
        assert_int_equal(px(img, 56 + i, 0), 0xFF000000u | want);
        if (i >= 8) { /* the store holds the host pixel */
            assert_int_equal(vgt_load_le32(f->m->vram + store_at + 4u * (i - 8u)), want);
        }
    }
    for (uint32_t i = 0; i < 128; i++) {
        assert_int_equal(f->m->vram[i], 0); /* the framebuffer is not written */
    }
    /* Over the legacy framebuffer: screen 0's row 0 into its own VRAM row 1 */
    uint32_t over[] = {VGT_SVGA_CMD_DEFINE_GMRFB, VGT_SVGA_GMR_FRAMEBUFFER, 0, 128,
                       VGT_SVGA_GMRFB_FORMAT(16, 16)};
    assert_int_equal(exec_words(f, over, 5, &res, &err), VGT_OK);
    uint32_t back[] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 1, 56, 0, 64, 1, 0};
    assert_int_equal(exec_words(f, back, 8, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    assert_int_equal(px(img, 0, 1), 0xFF000000u); /* not shown yet */
    uint32_t up[] = {VGT_SVGA_CMD_UPDATE, 0, 1, 8, 1};
    assert_int_equal(exec_words(f, up, 5, &res, &err), VGT_OK);
    assert_int_equal(vgt_executor_compose(f->ex, &img, &err), VGT_OK);
    for (uint32_t i = 0; i < 8; i++) {
        /* 5-5-5 expanded, narrowed to 5-6-5 (low bits dropped), shown in
         * the 16-bit mode as 5-6-5: green may move by one 6-bit step */
        uint32_t c = rgb555(test565(i, 7));
        uint32_t r = c >> 16, g = c >> 8 & 255u, b = c & 255u;
        uint32_t word = (r >> 3) << 11 | (g >> 2) << 5 | b >> 3;
        assert_int_equal(px(img, i, 1), 0xFF000000u | rgb565(word));
        assert_int_equal(vgt_load_le16(f->m->vram + 128 + 2u * i), word);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_update_reads_rows_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compose_damage_matches_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screens_and_virtual_blit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_legacy_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_partial_and, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_partial_and_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rect_copy_and_rejections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screen_memory_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8bit_bands_and_screens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8bit_mode_palette_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8bit_index_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8bit_index_cursor_depth1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8bit_index_cursor_host_colours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_8bit_index_cursor_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_16bit_bands_and_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_video_snapshot_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_2d_coverage_flags_true, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backing_store_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gmrfb16_every_value_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gmrfb_formats_extremes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gmrfb_hostile_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gmrfb16_legacy_screen_and_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
