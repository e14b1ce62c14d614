/* test_protocol_2d.c - length and decode of the 2D (SVGA II) commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

/* Length of a whole command given all its words. */
static uint32_t len_of(const uint32_t *w, uint32_t n)
{
    uint32_t total = 0;
    vgt_error err = {0};
    vgt_status st = vgt_cmd_length(w, n, &total, &err);
    if (st != VGT_OK) {
        fail_msg("vgt_cmd_length: %s", err.message);
    }
    return total;
}

/* Decodes and expects success. */
static void dec_ok(const uint32_t *w, uint32_t n, vgt_cmd *cmd)
{
    vgt_error err = {0};
    assert_int_equal(len_of(w, n), n);
    vgt_status st = vgt_cmd_decode(w, n, cmd, &err);
    if (st != VGT_OK) {
        fail_msg("vgt_cmd_decode: %s", err.message);
    }
    assert_int_equal(cmd->id, w[0]);
    assert_non_null(cmd->desc);
    assert_ptr_equal(cmd->words, w);
    assert_int_equal(cmd->nwords, n);
}

/* Expects decode to fail with code and a message containing `needle`. */
static void dec_fail(const uint32_t *w, uint32_t n, vgt_status code, const char *needle)
{
    vgt_cmd cmd;
    vgt_error err = {0};
    vgt_status st = vgt_cmd_decode(w, n, &cmd, &err);
    if (st != code || !strstr(err.message, needle)) {
        fail_msg("expected %d with '%s', got %d: '%s'", code, needle, st, err.message);
    }
}

/* Expects vgt_cmd_length to fail with code and message containing needle. */
static void len_fail(const uint32_t *w, uint32_t n, vgt_status code, const char *needle)
{
    uint32_t total = 0;
    vgt_error err = {0};
    vgt_status st = vgt_cmd_length(w, n, &total, &err);
    if (st != code || !strstr(err.message, needle)) {
        fail_msg("expected %d with '%s', got %d: '%s'", code, needle, st, err.message);
    }
}

static void test_fixed_lengths_need_only_the_id(void **state)
{
    (void)state;
    static const struct {
        uint32_t id, words;
    } fixed[] = {
        {VGT_SVGA_CMD_UPDATE, 5},
        {VGT_SVGA_CMD_RECT_COPY, 7},
        {VGT_SVGA_CMD_UPDATE_VERBOSE, 6},
        {VGT_SVGA_CMD_FRONT_ROP_FILL, 7},
        {VGT_SVGA_CMD_FENCE, 2},
        {VGT_SVGA_CMD_DESTROY_SCREEN, 2},
        {VGT_SVGA_CMD_DEFINE_GMRFB, 5},
        {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 8},
        {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 8},
        {VGT_SVGA_CMD_ANNOTATION_FILL, 2},
        {VGT_SVGA_CMD_ANNOTATION_COPY, 4},
        {VGT_SVGA_CMD_DEFINE_GMR2, 3},
    };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        uint32_t w = fixed[i].id;
        assert_int_equal(len_of(&w, 1), fixed[i].words);
    }
}

static void test_update_decodes(void **state)
{
    (void)state;
    uint32_t w[] = {VGT_SVGA_CMD_UPDATE, 10, 20, 300, 400};
    vgt_cmd cmd;
    dec_ok(w, 5, &cmd);
    assert_string_equal(cmd.desc->name, "UPDATE");
    assert_int_equal(cmd.u.update.x, 10);
    assert_int_equal(cmd.u.update.y, 20);
    assert_int_equal(cmd.u.update.width, 300);
    assert_int_equal(cmd.u.update.height, 400);
    assert_ptr_equal(cmd.body, w + 1);
    assert_int_equal(cmd.body_words, 4);
    assert_null(cmd.data);
    assert_int_equal(cmd.items.count, 0);
}

static void test_define_cursor_masks(void **state)
{
    (void)state;
    /* 3x2 cursor, AND depth 1 (1 word per row), XOR depth 32 (3 words per row). */
    uint32_t w[8 + 2 + 6] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 1, 2, 3, 2, 1, 32};
    for (int i = 8; i < 16; i++) {
        w[i] = 0x1000u + (uint32_t)i;
    }
    assert_int_equal(len_of(w, 8), 16);
    uint32_t total = 0;
    assert_int_equal(vgt_cmd_length(w, 7, &total, NULL), VGT_E_TRUNCATED);
    assert_int_equal(total, 8);
    vgt_cmd cmd;
    dec_ok(w, 16, &cmd);
    assert_int_equal(cmd.u.define_cursor.hotspot_x, 1);
    assert_int_equal(cmd.u.define_cursor.hotspot_y, 2);
    assert_int_equal(cmd.and_mask_words, 2);
    assert_int_equal(cmd.xor_mask_words, 6);
    assert_ptr_equal(cmd.and_mask, w + 8);
    assert_ptr_equal(cmd.xor_mask, w + 10);
    assert_ptr_equal(cmd.data, w + 8);
    assert_int_equal(cmd.data_words, 8);
    assert_int_equal(cmd.xor_mask[5], 0x100Fu);

    /* 33 pixels of depth 1 need 2 words per row. */
    uint32_t w2[8] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 33, 1, 1, 1};
    assert_int_equal(len_of(w2, 8), 8 + 2 + 2);
    /* svga.c's row size at every depth: 17 15-bit pixels are 255 bits, 8
     * words a row (packed, as the reference driver, QEMU and VirtualBox
     * size them; 9 would run the FIFO out of step); 24 bits are packed: 17
     * pixels in 51 bytes, 13 words; 16 bits: 9 words. */
    uint32_t w15[8] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 17, 2, 15, 24};
    assert_int_equal(len_of(w15, 8), 8 + 2 * 8 + 2 * 13);
    uint32_t w16[8] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 17, 2, 16, 1};
    assert_int_equal(len_of(w16, 8), 8 + 2 * 9 + 2 * 1);
}

static void test_define_cursor_errors(void **state)
{
    (void)state;
    uint32_t w[8 + 2] = {VGT_SVGA_CMD_DEFINE_CURSOR, 7, 0, 0, 1, 1, 1, 1, 0, 0};
    dec_fail(w, 10, VGT_E_INVALID, "DEFINE_CURSOR word 1 = 7");
    uint32_t bad_depth[8] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 1, 1, 3, 1};
    len_fail(bad_depth, 8, VGT_E_INVALID, "word 6 = 3 (0x3): AND mask depth must be 1, 8, 15, 16");
    uint32_t bad_xor[8] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 1, 1, 1, 12};
    len_fail(bad_xor, 8, VGT_E_INVALID, "word 7 = 12");
    /* 2^32-1 square at 32 bpp: far beyond the cap, no overflow. */
    uint32_t huge[8] = {VGT_SVGA_CMD_DEFINE_CURSOR, 0, 0, 0, 0xFFFFFFFFu, 0xFFFFFFFFu, 32, 32};
    len_fail(huge, 8, VGT_E_RANGE, "DEFINE_CURSOR word 4 = 4294967295");
    /* The masks are cut off: truncated, naming the command. */
    dec_fail(w, 9, VGT_E_TRUNCATED, "10 words long, only 9 given");
}

static void test_define_alpha_cursor(void **state)
{
    (void)state;
    uint32_t w[6 + 4] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 1, 1, 2, 2, 0xFF0000FFu, 2, 3, 4};
    vgt_cmd cmd;
    dec_ok(w, 10, &cmd);
    assert_int_equal(cmd.u.define_alpha_cursor.width, 2);
    assert_ptr_equal(cmd.data, w + 6);
    assert_int_equal(cmd.data_words, 4);
    assert_int_equal(cmd.data[0], 0xFF0000FFu);
    uint32_t huge[6] = {VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 0x10000u, 0x10000u};
    len_fail(huge, 6, VGT_E_RANGE, "word 4 = 65536");
    w[1] = 1;
    dec_fail(w, 10, VGT_E_INVALID, "DEFINE_ALPHA_CURSOR word 1 = 1");
}

static void test_escape(void **state)
{
    (void)state;
    uint32_t w[5] = {VGT_SVGA_CMD_ESCAPE, 0x00010000u, 5, 0x04030201u, 0x05};
    assert_int_equal(len_of(w, 3), 5);
    vgt_cmd cmd;
    dec_ok(w, 5, &cmd);
    assert_int_equal(cmd.u.escape.nsid, 0x00010000u);
    assert_int_equal(cmd.data_bytes, 5);
    assert_int_equal(cmd.data_words, 2);
    assert_ptr_equal(cmd.data, w + 3);
    uint32_t empty[3] = {VGT_SVGA_CMD_ESCAPE, 0, 0};
    dec_ok(empty, 3, &cmd);
    assert_int_equal(cmd.data_bytes, 0);
    uint32_t huge[3] = {VGT_SVGA_CMD_ESCAPE, 0, 0xFFFFFFFFu};
    len_fail(huge, 3, VGT_E_RANGE, "ESCAPE word 2 = 4294967295");
    uint32_t total = 0;
    assert_int_equal(vgt_cmd_length(w, 2, &total, NULL), VGT_E_TRUNCATED);
    assert_int_equal(total, 3);
}

/* Video overlay escapes print their type, stream and registers; other
 * escapes (and malformed video ones, verbose) their words. */
static void test_escape_video_printed(void **state)
{
    (void)state;
    struct {
        uint32_t w[9], n;
        bool verbose;
        const char *line;
    } cases[] = {
        {{VGT_SVGA_CMD_ESCAPE, 0, 24, VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS, 3,
          VGT_SVGA_VIDEO_FORMAT, VGT_SVGA_FOURCC_YUY2, VGT_SVGA_VIDEO_DST_SCREEN_ID, 1},
         9,
         false,
         "ESCAPE nsid=0x0 size=24 video=SET_REGS stream=3 regs=2"},
        {{VGT_SVGA_CMD_ESCAPE, 0, 24, VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS, 3,
          VGT_SVGA_VIDEO_FORMAT, 7, 21, 1},
         9,
         true,
         "ESCAPE nsid=0x0 size=24 video=SET_REGS stream=3 regs=[FORMAT=7 21=1]"},
        {{VGT_SVGA_CMD_ESCAPE, 0, 8, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, 31},
         5,
         true,
         "ESCAPE nsid=0x0 size=8 video=FLUSH stream=31"},
        {{VGT_SVGA_CMD_ESCAPE, 0, 12, VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS, 0, 1},
         6,
         true,
         "ESCAPE nsid=0x0 size=12 video=0x00020001 stream=0 data=[00020001 00000000 "
         "00000001]"},
        {{VGT_SVGA_CMD_ESCAPE, 7, 8, VGT_SVGA_ESCAPE_VMWARE_VIDEO_FLUSH, 0},
         5,
         false,
         "ESCAPE nsid=0x7 size=8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vgt_cmd cmd;
        dec_ok(cases[i].w, cases[i].n, &cmd);
        char line[256];
        assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, cases[i].verbose), VGT_OK);
        assert_string_equal(line, cases[i].line);
    }
}

static void test_define_screen_versions(void **state)
{
    (void)state;
    /* V1: 28 bytes, backing store absent -> zero. */
    uint32_t v1[8] = {VGT_SVGA_CMD_DEFINE_SCREEN,
                      28,
                      3,
                      VGT_SVGA_SCREEN_MUST_BE_SET,
                      640,
                      480,
                      (uint32_t)-10,
                      20};
    vgt_cmd cmd;
    dec_ok(v1, 8, &cmd);
    assert_int_equal(cmd.u.define_screen.struct_size, 28);
    assert_int_equal(cmd.u.define_screen.id, 3);
    assert_int_equal(cmd.u.define_screen.width, 640);
    assert_int_equal(cmd.u.define_screen.root_x, -10);
    assert_int_equal(cmd.u.define_screen.backing_store.ptr.gmr_id, 0);
    assert_int_equal(cmd.u.define_screen.clone_count, 0);
    assert_null(cmd.data);

    /* V2: 44 bytes. */
    uint32_t v2[12] = {VGT_SVGA_CMD_DEFINE_SCREEN, 44,   0,    3, 800, 600, 0, 0,
                       VGT_SVGA_GMR_FRAMEBUFFER,   4096, 3200, 2};
    dec_ok(v2, 12, &cmd);
    assert_int_equal(cmd.u.define_screen.backing_store.ptr.gmr_id, VGT_SVGA_GMR_FRAMEBUFFER);
    assert_int_equal(cmd.u.define_screen.backing_store.ptr.offset, 4096);
    assert_int_equal(cmd.u.define_screen.backing_store.pitch, 3200);
    assert_int_equal(cmd.u.define_screen.clone_count, 2);

    /* Larger than V2: the extra words are reported as data. */
    uint32_t v3[13] = {VGT_SVGA_CMD_DEFINE_SCREEN, 48, 0, 3, 800, 600, 0, 0, 1, 0, 0, 0, 77};
    dec_ok(v3, 13, &cmd);
    assert_int_equal(cmd.data_words, 1);
    assert_int_equal(cmd.data[0], 77);

    /* Between V1 and V2: fields the guest did not send are zero. */
    uint32_t mid[10] = {VGT_SVGA_CMD_DEFINE_SCREEN, 36, 0, 3, 8, 6, 0, 0, 5, 6};
    dec_ok(mid, 10, &cmd);
    assert_int_equal(cmd.u.define_screen.backing_store.ptr.offset, 6);
    assert_int_equal(cmd.u.define_screen.backing_store.pitch, 0);

    uint32_t bad[2] = {VGT_SVGA_CMD_DEFINE_SCREEN, 30};
    len_fail(bad, 2, VGT_E_INVALID, "DEFINE_SCREEN word 1 = 30");
    bad[1] = 24;
    len_fail(bad, 2, VGT_E_INVALID, "word 1 = 24");
    bad[1] = 0xFFFFFFFCu;
    len_fail(bad, 2, VGT_E_INVALID, "word 1 = 4294967292");
    uint32_t total = 0;
    assert_int_equal(vgt_cmd_length(bad, 1, &total, NULL), VGT_E_TRUNCATED);
    assert_int_equal(total, 2);
}

static void test_remap_gmr2(void **state)
{
    (void)state;
    vgt_cmd cmd;
    uint32_t via[7] = {VGT_SVGA_CMD_REMAP_GMR2, 5, VGT_SVGA_REMAP_GMR2_VIA_GMR, 0, 100, 9, 64};
    dec_ok(via, 7, &cmd);
    assert_int_equal(cmd.u.remap_gmr2.num_pages, 100);
    assert_int_equal(cmd.items.count, 1);
    assert_int_equal(cmd.items.elem_words, 2);
    vgt_svga_guest_ptr gp;
    vgt_cmd_array_get(&cmd.items, 0, &gp);
    assert_int_equal(gp.gmr_id, 9);
    assert_int_equal(gp.offset, 64);

    uint32_t p32[9] = {VGT_SVGA_CMD_REMAP_GMR2, 5, 0, 2, 4, 10, 11, 12, 13};
    dec_ok(p32, 9, &cmd);
    assert_int_equal(cmd.items.count, 4);
    assert_int_equal(cmd.items.elem_words, 1);
    assert_int_equal(cmd.items.words[3], 13);

    uint32_t p64[11] = {
        VGT_SVGA_CMD_REMAP_GMR2, 5, VGT_SVGA_REMAP_GMR2_PPN64, 0, 3, 1, 0, 2, 0, 3, 1};
    dec_ok(p64, 11, &cmd);
    assert_int_equal(cmd.items.count, 3);
    assert_int_equal(cmd.items.elem_words, 2);

    uint32_t single[7] = {VGT_SVGA_CMD_REMAP_GMR2,
                          5,
                          VGT_SVGA_REMAP_GMR2_PPN64 | VGT_SVGA_REMAP_GMR2_SINGLE_PPN,
                          0,
                          1000,
                          77,
                          0};
    dec_ok(single, 7, &cmd);
    assert_int_equal(cmd.items.count, 1);

    uint32_t huge[5] = {VGT_SVGA_CMD_REMAP_GMR2, 5, VGT_SVGA_REMAP_GMR2_PPN64, 0, 0xFFFFFFFFu};
    len_fail(huge, 5, VGT_E_RANGE, "REMAP_GMR2 word 4 = 4294967295");
    uint32_t unknown_flags[5] = {VGT_SVGA_CMD_REMAP_GMR2, 5, 0x10, 0, 0};
    dec_fail(unknown_flags, 5, VGT_E_INVALID, "REMAP_GMR2 word 2 = 16");
}

static void test_other_fixed_commands(void **state)
{
    (void)state;
    vgt_cmd cmd;
    uint32_t rc[7] = {VGT_SVGA_CMD_RECT_COPY, 1, 2, 3, 4, 5, 6};
    dec_ok(rc, 7, &cmd);
    assert_int_equal(cmd.u.rect_copy.dest_x, 3);
    assert_int_equal(cmd.u.rect_copy.height, 6);

    uint32_t uv[6] = {VGT_SVGA_CMD_UPDATE_VERBOSE, 1, 2, 3, 4, 0xABCD};
    dec_ok(uv, 6, &cmd);
    assert_int_equal(cmd.u.update_verbose.reason, 0xABCD);

    uint32_t rop[7] = {VGT_SVGA_CMD_FRONT_ROP_FILL, 0xFF00FF, 1, 2, 3, 4, VGT_SVGA_ROP_COPY};
    dec_ok(rop, 7, &cmd);
    assert_int_equal(cmd.u.front_rop_fill.color, 0xFF00FF);
    rop[6] = 4;
    dec_fail(rop, 7, VGT_E_INVALID, "FRONT_ROP_FILL word 6 = 4");

    uint32_t fence[2] = {VGT_SVGA_CMD_FENCE, 42};
    dec_ok(fence, 2, &cmd);
    assert_int_equal(cmd.u.fence.fence, 42);

    uint32_t ds[2] = {VGT_SVGA_CMD_DESTROY_SCREEN, 3};
    dec_ok(ds, 2, &cmd);
    assert_int_equal(cmd.u.destroy_screen.screen_id, 3);

    uint32_t fb[5] = {VGT_SVGA_CMD_DEFINE_GMRFB, 2, 128, 2560, VGT_SVGA_GMRFB_FORMAT(32, 24)};
    dec_ok(fb, 5, &cmd);
    assert_int_equal(cmd.u.define_gmrfb.ptr.gmr_id, 2);
    assert_int_equal(cmd.u.define_gmrfb.bytes_per_line, 2560);
    assert_int_equal(VGT_SVGA_GMRFB_DEPTH(cmd.u.define_gmrfb.format), 24);
    fb[4] |= 1u << 16;
    dec_fail(fb, 5, VGT_E_INVALID, "DEFINE_GMRFB word 4 = 71712");

    uint32_t b1[8] = {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, (uint32_t)-1, 2, 0, 0, 64, 32, 0};
    dec_ok(b1, 8, &cmd);
    assert_int_equal(cmd.u.blit_gmrfb_to_screen.src_origin.x, -1);
    assert_int_equal(cmd.u.blit_gmrfb_to_screen.dest_rect.right, 64);
    assert_int_equal(cmd.u.blit_gmrfb_to_screen.dest_screen_id, 0);

    uint32_t b2[8] = {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 5, 6, 1, 2, 3, 4, 9};
    dec_ok(b2, 8, &cmd);
    assert_int_equal(cmd.u.blit_screen_to_gmrfb.dest_origin.y, 6);
    assert_int_equal(cmd.u.blit_screen_to_gmrfb.src_rect.bottom, 4);
    assert_int_equal(cmd.u.blit_screen_to_gmrfb.src_screen_id, 9);

    uint32_t af[2] = {VGT_SVGA_CMD_ANNOTATION_FILL, 0x00112233};
    dec_ok(af, 2, &cmd);
    assert_int_equal(cmd.u.annotation_fill.color, 0x00112233);

    uint32_t ac[4] = {VGT_SVGA_CMD_ANNOTATION_COPY, 7, 8, 1};
    dec_ok(ac, 4, &cmd);
    assert_int_equal(cmd.u.annotation_copy.src_screen_id, 1);

    uint32_t g2[3] = {VGT_SVGA_CMD_DEFINE_GMR2, 4, 256};
    dec_ok(g2, 3, &cmd);
    assert_int_equal(cmd.u.define_gmr2.gmr_id, 4);
    assert_int_equal(cmd.u.define_gmr2.num_pages, 256);
}

static void test_bad_ids_and_sizes(void **state)
{
    (void)state;
    uint32_t two = 2;
    len_fail(&two, 1, VGT_E_INVALID, "word 0 = 2 (0x2): unknown command id");
    uint32_t zero = 0;
    len_fail(&zero, 1, VGT_E_INVALID, "word 0 = 0");
    uint32_t reserved[2] = {1000, 4};
    len_fail(reserved, 2, VGT_E_INVALID, "word 0 = 1000");
    reserved[0] = 1039;
    dec_fail(reserved, 2, VGT_E_INVALID, "word 0 = 1039");

    /* Unknown 3D id: an error, but the length is still reported. */
    uint32_t unknown3d[4] = {1100, 8, 0, 0};
    uint32_t total = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_cmd_length(unknown3d, 2, &total, &err), VGT_E_INVALID);
    assert_int_equal(total, 4);
    assert_non_null(strstr(err.message, "word 0 = 1100"));

    /* A 3D size that is not a multiple of 4. */
    uint32_t odd[3] = {VGT_SVGA3D_CMD_CONTEXT_DEFINE, 5, 0};
    len_fail(odd, 3, VGT_E_INVALID, "CONTEXT_DEFINE word 1 = 5");
    /* A 3D size beyond the cap. */
    uint32_t big[2] = {VGT_SVGA3D_CMD_SHADER_DEFINE, 0xFFFFFFFCu};
    len_fail(big, 2, VGT_E_RANGE, "SHADER_DEFINE word 1 = 4294967292");

    /* nwords must be exactly the length. */
    uint32_t up[6] = {VGT_SVGA_CMD_UPDATE, 0, 0, 1, 1, 99};
    dec_fail(up, 6, VGT_E_INVALID, "5 words long, 6 given");
    dec_fail(up, 4, VGT_E_TRUNCATED, "5 words long, only 4 given");
    uint32_t ctx[3] = {VGT_SVGA3D_CMD_CONTEXT_DEFINE, 4, 1};
    dec_fail(ctx, 1, VGT_E_TRUNCATED, "CONTEXT_DEFINE");
    dec_fail(ctx, 2, VGT_E_TRUNCATED, "CONTEXT_DEFINE word 1 = 4");

    assert_int_equal(vgt_cmd_length(NULL, 1, &total, NULL), VGT_E_INVALID);
    assert_int_equal(vgt_cmd_length(up, 0, &total, NULL), VGT_E_INVALID);
}

static void test_lookup_and_names(void **state)
{
    (void)state;
    assert_string_equal(vgt_cmd_name(VGT_SVGA_CMD_UPDATE), "UPDATE");
    assert_string_equal(vgt_cmd_name(VGT_SVGA3D_CMD_SURFACE_DMA), "SURFACE_DMA");
    assert_string_equal(vgt_cmd_name(2), "UNKNOWN_2");
    assert_string_equal(vgt_cmd_name(1999), "UNKNOWN_1999");
    assert_null(vgt_cmd_lookup(2));
    assert_null(vgt_cmd_lookup(1072));
    const vgt_cmd_desc *d = vgt_cmd_lookup(VGT_SVGA_CMD_REMAP_GMR2);
    assert_non_null(d);
    assert_int_equal(d->body_words, 4);
    assert_int_equal(d->layout, VGT_CMD_LAYOUT_REMAP_GMR2);
    assert_false(d->flags & VGT_CMD_F_3D);
    d = vgt_cmd_lookup(VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    assert_non_null(d);
    assert_true(d->flags & VGT_CMD_F_3D);

    size_t n = 0;
    const vgt_cmd_desc *t = vgt_cmd_table(&n);
    assert_int_equal(n, 17 + 34);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            assert_true(t[i - 1].id < t[i].id); /* sorted, unique */
        }
        assert_ptr_equal(vgt_cmd_lookup(t[i].id), &t[i]);
        assert_true(t[i].body_words <= VGT_CMD_BODY_MAX_WORDS);
        assert_true(t[i].flags & VGT_CMD_F_DECODED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_lengths_need_only_the_id),
        cmocka_unit_test(test_update_decodes),
        cmocka_unit_test(test_define_cursor_masks),
        cmocka_unit_test(test_define_cursor_errors),
        cmocka_unit_test(test_define_alpha_cursor),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_escape_video_printed),
        cmocka_unit_test(test_define_screen_versions),
        cmocka_unit_test(test_remap_gmr2),
        cmocka_unit_test(test_other_fixed_commands),
        cmocka_unit_test(test_bad_ids_and_sizes),
        cmocka_unit_test(test_lookup_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
