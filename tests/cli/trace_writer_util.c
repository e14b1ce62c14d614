/* trace_writer_util.c - what the CLI tests share (test_diff, test_leaks,
 * test_dump_state, test_dump_json, test_shader_list): hand-made SVGA traces, a writer and one
 * record at a time, and a scratch directory per test run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trace_writer_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* tw_open with the device configuration's flags (VGT_TRACE_DEVCFG_F_*). */
static void open_flags(tw *t, const char *path, const char *protocol, uint32_t chunk,
                       uint32_t flags)
{
    /* a device configuration, for the replays of diff --images */
    vgt_trace_device_config cfg = {.vram_size = 1u << 20,
                                   .fifo_size = 256u << 10,
                                   .max_width = 2560,
                                   .max_height = 1600,
                                   .flags = flags};
    uint8_t blob[VGT_TRACE_DEVCFG_FIXED + 4 * VGT_TRACE_MAX_3D_CAPS];
    vgt_trace_header h;
    memset(&h, 0, sizeof(h));
    h.device_config = blob;
    h.device_config_size = vgt_trace_devcfg_encode(&cfg, blob);
    h.protocol_id = VGT_SVGA_TRACE_PROTOCOL_ID;
    snprintf(h.protocol_name, sizeof(h.protocol_name), "%s", protocol);
    h.creator = "vgt tests";
    vgt_trace_writer_settings ws;
    vgt_trace_writer_settings_init(&ws);
    if (chunk) {
        ws.chunk_size = chunk;
    }
    memset(t, 0, sizeof(*t));
    assert_int_equal(vgt_trace_writer_open(path, &ws, &h, &t->w, NULL), VGT_OK);
}

void tw_open(tw *t, const char *path, const char *protocol, uint32_t chunk)
{
    open_flags(t, path, protocol, chunk, 0);
}

void tw_open_3d(tw *t, const char *path)
{
    open_flags(t, path, VGT_SVGA_TRACE_PROTOCOL_NAME, 0, VGT_TRACE_DEVCFG_F_3D);
}

void tw_end_frame(tw *t, uint64_t frame, uint64_t hash)
{
    uint8_t p[VGT_TRACE_FRAME_HASH_SIZE] = {0};
    vgt_store_le64(p, frame);
    vgt_store_le64(p + 8, t->seq - 1u);
    vgt_store_le64(p + 16, hash);
    vgt_store_le32(p + 24, 64);
    vgt_store_le32(p + 28, 48);
    vgt_store_le32(p + 32, VGT_TRACE_FRAME_F_ROWS);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_FRAME_HASH, 0, 0, p, sizeof(p), NULL),
                     VGT_OK);
    assert_int_equal(vgt_trace_writer_frame_end(t->w, 0, NULL), VGT_OK);
}

void tw_close(tw *t)
{
    assert_int_equal(vgt_trace_writer_close(t->w, NULL), VGT_OK);
}

/* A register write (flags 0). */
void tw_reg(tw *t, uint32_t reg, uint32_t value)
{
    uint8_t p[8];
    vgt_store_le32(p, reg);
    vgt_store_le32(p + 4, value);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_REGISTER_WRITE, 0, 0, p, 8, NULL),
                     VGT_OK);
}

/* A command of n words (3D: {id, size} filled in). */
void tw_cmd(tw *t, const uint32_t *w, uint32_t n)
{
    uint8_t p[16 + 4 * 64];
    assert_true(n <= 64);
    vgt_store_le64(p, t->seq++);
    vgt_store_le64(p + 8, 0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = w[i];
        if (i == 1 && w[0] >= VGT_SVGA3D_CMD_BASE) {
            v = (n - 2u) * 4u;
        }
        vgt_store_le32(p + 16 + 4 * i, v);
    }
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_COMMAND, 0, 0, p, 16u + 4u * n, NULL),
                     VGT_OK);
}

int tw_tmpdir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "%s/tests/cli/%s-%d", VGT_BINARY_DIR, name, (int)getpid());
    mkdir(VGT_BINARY_DIR "/tests", 0777);
    mkdir(VGT_BINARY_DIR "/tests/cli", 0777);
    return mkdir(dir, 0777) == 0 ? 0 : -1;
}

int tw_tmpdir_remove(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

void tw_error(tw *t, uint64_t seq, uint32_t kind, const char *message)
{
    uint8_t p[16 + 64];
    size_t n = strlen(message);
    assert_true(n <= 64);
    vgt_store_le64(p, seq);
    vgt_store_le32(p + 8, 0);
    vgt_store_le32(p + 12, kind);
    memcpy(p + 16, message, n);
    assert_int_equal(vgt_trace_writer_append(t->w, VGT_REC_ERROR, 0, 0, p, 16 + n, NULL), VGT_OK);
}

void tw_cmd3(tw *t, uint32_t id, uint32_t a)
{
    const uint32_t c[] = {id, 0, a};
    tw_cmd(t, c, 3);
}

void tw_set_shader(tw *t, uint32_t cid, uint32_t type, uint32_t shid)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_SET_SHADER, 0, cid, type, shid};
    tw_cmd(t, c, 5);
}

void tw_clear(tw *t, uint32_t cid, uint32_t flags)
{
    const uint32_t c[] = {VGT_SVGA3D_CMD_CLEAR, 0, cid, flags, 0, 0, 0};
    tw_cmd(t, c, 7);
}

void tw_draw(tw *t, uint32_t cid, uint32_t vb, uint32_t ib)
{
    uint32_t c[] = {VGT_SVGA3D_CMD_DRAW_PRIMITIVES,
                    0,
                    cid,
                    2,
                    1,
                    VGT_SVGA3D_DECLTYPE_FLOAT3,
                    VGT_SVGA3D_DECLMETHOD_DEFAULT,
                    VGT_SVGA3D_DECLUSAGE_POSITION,
                    0,
                    vb,
                    0,
                    12,
                    0,
                    0,
                    VGT_SVGA3D_DECLTYPE_FLOAT3,
                    VGT_SVGA3D_DECLMETHOD_DEFAULT,
                    VGT_SVGA3D_DECLUSAGE_POSITION,
                    1,
                    vb,
                    36,
                    12,
                    0,
                    0,
                    VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                    1,
                    ib,
                    0,
                    2,
                    ib == VGT_SVGA3D_INVALID_ID ? 0u : 2u,
                    0};
    tw_cmd(t, c, sizeof(c) / 4);
}

void tw_shell_ok(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof(cmd));
    if (system(cmd) != 0) {
        fail_msg("failed: %s", cmd);
    }
}
