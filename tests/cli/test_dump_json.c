/* test_dump_json.c - vgt dump --json on a hand-made trace: a rejected
 * command and its device error (kind, seq, a message with quotes, a newline,
 * a control byte and a byte that is not UTF-8, escaped to valid JSON), a
 * SETZRANGE of NaN and infinity (written as strings: the JSON stays valid),
 * a CLEAR's colour, depth, stencil and rects, render states by name; what
 * --only and --calls keep of the device error; the text view of the same;
 * the JSON writers themselves, byte for byte (the buffer one cut to every
 * size); and the record printer's two
 * views of hand-made records (vgt_trace_record_format and
 * vgt_trace_record_print_json), byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trace_writer_util.h"
#include "vgt_trace_records.h"
#include "vgt_protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[1024];
static char trace[1200];

/* `vgt dump TRACE ARGS` into tmpdir/out.txt, exit 0. */
static void dump(const char *args)
{
    tw_shell_ok("'%s/vgt' dump '%s' %s > '%s/out.txt'", VGT_BINARY_DIR, trace, args, tmpdir);
}

/* jq FILTER over out.txt: every result true, and at least one. */
static void jq_all(const char *filter)
{
    tw_shell_ok("jq -n -e '[inputs | %s] | length > 0 and all' '%s/out.txt' > /dev/null", filter,
                tmpdir);
}

/* The lines of out.txt. */
static int lines(void)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/out.txt", tmpdir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int n = 0, c;
    while ((c = fgetc(f)) != EOF) {
        n += c == '\n';
    }
    fclose(f);
    return n;
}

/* seq 0 SETZRANGE (NaN, +inf), 1 SETRENDERSTATE, 2 CLEAR with two rects,
 * 3 SURFACE_DESTROY of a surface never defined (rejected: the ERROR record
 * after the next command), 4 SURFACE_DESTROY again, rejected with no error
 * recorded,
 * 5 SETRENDERTARGET of no surface (an invalid id: null), 6 SURFACE_DEFINE
 * with a flag bit that has no name, 7 CLEAR with a reserved flag (it does
 * not decode). */
static void write_trace(void)
{
    tw t;
    tw_open(&t, trace, "svga2", 0);
    tw_reg(&t, 2, 640);
    const uint32_t zrange[] = {VGT_SVGA3D_CMD_SETZRANGE, 0, 1, 0x7fc00000u, 0x7f800000u};
    tw_cmd(&t, zrange, 5);
    const uint32_t rs[] = {
        VGT_SVGA3D_CMD_SETRENDERSTATE, 0,          1, VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESS,
        VGT_SVGA3D_RS_FOGSTART,        0xff800000u};
    tw_cmd(&t, rs, 7);
    const uint32_t clear[] = {VGT_SVGA3D_CMD_CLEAR,
                              0,
                              1,
                              VGT_SVGA3D_CLEAR_COLOR,
                              0x11223344u,
                              0x3f000000u,
                              7,
                              0,
                              0,
                              4,
                              4,
                              2,
                              3,
                              5,
                              6};
    tw_cmd(&t, clear, 15);
    const uint32_t destroy[] = {VGT_SVGA3D_CMD_SURFACE_DESTROY, 0, 99};
    tw_cmd(&t, destroy, 3);
    tw_cmd(&t, destroy, 3);
    /* after the command that follows it, as a capture writes the error of a
     * command inside a batch: after the batch */
    tw_error(&t, 3, 5, "sid 99 \"not\" defined\n\x01\xff \xc3\xa9");
    const uint32_t rt[] = {VGT_SVGA3D_CMD_SETRENDERTARGET, 0, 1, VGT_SVGA3D_RT_DEPTH,
                           VGT_SVGA3D_INVALID_ID,          0, 0};
    tw_cmd(&t, rt, 7);
    const uint32_t define[] = {VGT_SVGA3D_CMD_SURFACE_DEFINE,
                               0,
                               7,
                               (1u << 5) | (1u << 20),
                               VGT_SVGA3D_X8R8G8B8,
                               1,
                               0,
                               0,
                               0,
                               0,
                               0,
                               4,
                               4,
                               1};
    tw_cmd(&t, define, 14);
    uint32_t reserved[15];
    memcpy(reserved, clear, sizeof(reserved));
    reserved[3] = VGT_SVGA3D_CLEAR_COLOR | 0x100u;
    tw_cmd(&t, reserved, 15);
    tw_end_frame(&t, 0, 1);
    tw_close(&t);
}

static void test_dump_json_values(void **state)
{
    (void)state;
    dump("--json --verbose");
    /* 1 register, 8 commands, the error, the frame hash, the frame end, the summary */
    assert_int_equal(lines(), 13);
    jq_all("select(.type == \"command\" and .seq == 0) | .cmd == \"SETZRANGE\" and .args == "
           "{\"cid\":1,\"min\":\"nan\",\"max\":\"inf\"}");
    jq_all(
        "select(.type == \"command\" and .seq == 1) | .args.states == "
        "[{\"state\":\"ZFUNC\",\"value\":\"LESS\"},{\"state\":\"FOGSTART\",\"value\":\"-inf\"}]");
    jq_all("select(.type == \"command\" and .seq == 2) | .args == {\"cid\":1,\"flags\":[\"COLOR\"],"
           "\"color\":287454020,\"depth\":0.5,\"stencil\":7,\"rects\":"
           "[{\"x\":0,\"y\":0,\"w\":4,\"h\":4},{\"x\":2,\"y\":3,\"w\":5,\"h\":6}]}");
    jq_all("select(.type == \"device_error\") | .seq == 3 and .frame == 0 and .kind == "
           "\"execute\" and .message == \"sid 99 \\\"not\\\" defined\\n\\u0001\\ufffd \\u00e9\"");
    jq_all("select(.type == \"register\") | .reg == \"WIDTH\" and .value == 640");
    jq_all("select(.type == \"summary\") | .counts == {\"SETZRANGE\":1,\"SETRENDERSTATE\":1,"
           "\"CLEAR\":2,\"SURFACE_DESTROY\":2,\"SETRENDERTARGET\":1,\"SURFACE_DEFINE\":1} and "
           ".commands == 8");
    jq_all("select(.type == \"command\" and .seq == 5) | .args == "
           "{\"cid\":1,\"type\":\"DEPTH\",\"target\":null}");
    /* without --verbose: the rects counted, the frame end left out as in the text view */
    jq_all("select(.type == \"command\" and .seq == 6) | .args.flags == [\"HINT_TEXTURE\",1048576] "
           "and .args.sizes == [{\"width\":4,\"height\":4,\"depth\":1}]");
    jq_all("select(.type == \"command\" and .seq == 7) | .cmd == \"CLEAR\" and .words == 15 and "
           "(has(\"args\") | not) and (.undecodable | startswith(\"CLEAR word 3 = 257 (0x101)\"))");
    dump("--json");
    assert_int_equal(lines(), 12);
    jq_all("select(.type == \"command\" and .seq == 2) | .args.rects == 2");
}

static void test_dump_json_selection(void **state)
{
    (void)state;
    /* --only keeps the rejected commands and the error about one of them */
    dump("--json --only surface_destroy");
    assert_int_equal(lines(), 4);
    jq_all("select(.type != \"summary\") | (.type == \"command\" and .cmd == \"SURFACE_DESTROY\") "
           "or (.type == \"device_error\" and .seq == 3)");
    /* a command not selected takes its error with it */
    dump("--json --calls 0-2");
    assert_int_equal(lines(), 4);
    jq_all("select(.type == \"summary\") | .commands == 3");
    jq_all("select(.type != \"summary\") | .type == \"command\" and .seq <= 2");
    dump("--json --calls 3 --only SURFACE_DESTROY,CLEAR");
    assert_int_equal(lines(), 3);
    jq_all("select(.type != \"summary\") | .seq == 3");
    /* the text view of the same selection */
    dump("--calls 3-4");
    tw_shell_ok("grep -q '^ *3 *0 SURFACE_DESTROY sid=99$' '%s/out.txt'", tmpdir);
    tw_shell_ok("grep -q '^ *- *0 DEVICE_ERROR seq=3 kind=execute ' '%s/out.txt'", tmpdir);
    tw_shell_ok("grep -q '^SURFACE_DESTROY  *2$' '%s/out.txt'", tmpdir);
    tw_shell_ok("! grep -q 'CLEAR\\|REG ' '%s/out.txt'", tmpdir);
    dump("--only surface_define");
    tw_shell_ok("grep -q '^ *6 *0 SURFACE_DEFINE sid=7 flags=HINT_TEXTURE|0x100000 ' '%s/out.txt'",
                tmpdir);
}

/* The JSON writers' bytes. */
static void test_json_writers(void **state)
{
    (void)state;
    char buf[256];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    assert_non_null(f);
    const float vals[] = {0.1f, 1.0f, -0.0f, 1e30f, 3.14159274f, 16777216.0f};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        vgt_json_float(f, vals[i]);
        fputc(' ', f);
    }
    float nan;
    uint32_t nan_bits = 0x7fc00001u;
    memcpy(&nan, &nan_bits, 4);
    vgt_json_float(f, nan);
    fputc(' ', f);
    vgt_json_float(f, -1.0f / 0.0f);
    fputc(' ', f);
    /* a cut UTF-8 sequence, an overlong one, a surrogate, DEL, a NUL */
    vgt_json_string(f, "a\"\\\t\xe2\x82\xac\xe2\x82 \xc0\xaf\xed\xa0\x80\x7f\0z", 18);
    fputc('\0', f);
    fclose(f);
    assert_string_equal(buf, "0.1 1 -0 1e+30 3.1415927 16777216 \"nan\" \"-inf\" "
                             "\"a\\\"\\\\\\t\xe2\x82\xac\\ufffd\\ufffd \\ufffd\\ufffd"
                             "\\ufffd\\ufffd\\ufffd\\u007f\\u0000z\"");
}

/* vgt_json_string_buf: the FILE writer's bytes, and cut to every size
 * between two whole characters (never inside an escape or a UTF-8
 * sequence), the closing quote and the NUL kept, nothing past `size`. */
static void test_json_string_buf(void **state)
{
    (void)state;
    /* each character of the input and its spelling */
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } ch[] = {
        {"a", 1, "a"},
        {"\"", 1, "\\\""},
        {"\\", 1, "\\\\"},
        {"\n", 1, "\\n"},
        {"\t", 1, "\\t"},
        {"\x01", 1, "\\u0001"},
        {"\0", 1, "\\u0000"},
        {"\xc3\xa9", 2, "\xc3\xa9"},
        {"\xe2\x82\xac", 3, "\xe2\x82\xac"},
        {"\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"},
        {"\xff", 1, "\\ufffd"},
        {"\x7f", 1, "\\u007f"},
        {"\xe2", 1, "\\ufffd"}, /* a cut 3-byte sequence: one U+FFFD a byte */
        {"\x82", 1, "\\ufffd"},
        {"z", 1, "z"},
    };
    const size_t nch = sizeof(ch) / sizeof(ch[0]);
    char in[64], full[128] = "\"";
    size_t len = 0;
    for (size_t i = 0; i < nch; i++) {
        memcpy(in + len, ch[i].in, ch[i].n);
        len += ch[i].n;
        strcat(full, ch[i].out);
    }
    strcat(full, "\"");
    /* the FILE writer writes the same */
    char fbuf[128];
    FILE *f = fmemopen(fbuf, sizeof(fbuf), "w");
    assert_non_null(f);
    vgt_json_string(f, in, len);
    fputc('\0', f);
    fclose(f);
    assert_string_equal(fbuf, full);
    for (size_t size = 0; size <= strlen(full) + 2; size++) {
        char want[128] = "", got[136];
        if (size >= 3) { /* the whole characters whose spellings fit */
            size_t t = 0, i = 0;
            strcat(want, "\"");
            while (i < nch && t + strlen(ch[i].out) <= size - 3) {
                strcat(want, ch[i].out);
                t += strlen(ch[i++].out);
            }
            strcat(want, "\"");
        }
        memset(got, '#', sizeof(got));
        size_t k = vgt_json_string_buf(got, size, in, len);
        if (size > 0) {
            assert_string_equal(got, want);
            assert_int_equal(k, strlen(want));
        }
        assert_int_equal(got[size], '#'); /* nothing written past size */
    }
}

/* One record, both views: its text (vgt_trace_record_format) and its JSON
 * object (frame 3), each exactly, and the status both return. */
static void record_views(uint16_t type, uint16_t flags, const uint8_t *payload, uint32_t size,
                         const char *text, const char *json, vgt_status want)
{
    vgt_trace_record rec = {
        .seq = 7, .frame = 1, .type = type, .flags = flags, .size = size, .payload = payload};
    char line[512];
    assert_int_equal(vgt_trace_record_format(&rec, line, sizeof(line)), want);
    assert_string_equal(line, text);
    char buf[1024];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    assert_non_null(f);
    assert_int_equal(vgt_trace_record_print_json(f, &rec, 3), want);
    fputc('\0', f);
    fclose(f);
    assert_string_equal(buf, json);
}

static void test_record_printer(void **state)
{
    (void)state;
    uint8_t p[64];
    memset(p, 0, sizeof(p));
    vgt_store_le32(p, 2);
    vgt_store_le32(p + 4, 640);
    record_views(VGT_REC_REGISTER_WRITE, 0, p, 8, "REG WIDTH=640 (0x280)",
                 "{\"type\":\"register\",\"frame\":3,\"reg\":\"WIDTH\",\"index\":2,\"value\":640}",
                 VGT_OK);
    vgt_store_le32(p, VGT_SVGA_PALETTE_BASE + 4);
    vgt_store_le32(p + 4, 7);
    record_views(VGT_REC_REGISTER_WRITE, 0, p, 8, "REG PALETTE[1].G=7 (0x7)",
                 "{\"type\":\"register\",\"frame\":3,\"reg\":\"PALETTE[1].G\",\"index\":1028,"
                 "\"value\":7}",
                 VGT_OK);
    vgt_store_le32(p, 3000);
    record_views(VGT_REC_REGISTER_WRITE, 0, p, 8, "REG 3000=7 (0x7)",
                 "{\"type\":\"register\",\"frame\":3,\"reg\":3000,\"index\":3000,\"value\":7}",
                 VGT_OK);
    /* a cursor sample: visible a boolean, the screen signed */
    vgt_store_le64(p, 9);
    vgt_store_le32(p + 8, 1);
    vgt_store_le32(p + 12, (uint32_t)-3);
    vgt_store_le32(p + 16, 4);
    vgt_store_le32(p + 20, UINT32_MAX);
    record_views(VGT_REC_REGISTER_WRITE, VGT_TRACE_REG_F_FIFO_CURSOR, p, 24,
                 "FIFO_CURSOR seq=9 visible=1 x=-3 y=4 screen=-1",
                 "{\"type\":\"fifo_cursor\",\"frame\":3,\"seq\":9,\"visible\":true,\"x\":-3,"
                 "\"y\":4,\"screen\":-1}",
                 VGT_OK);
    /* a framebuffer read of 4 rows, its bytes in the next record */
    vgt_store_le64(p, 12);
    vgt_store_le32(p + 8, VGT_SVGA_GMR_FRAMEBUFFER);
    vgt_store_le32(p + 12, 64);
    vgt_store_le32(p + 16, 32);
    vgt_store_le32(p + 20, 8);
    vgt_store_le32(p + 24, 16);
    vgt_store_le32(p + 28, 4);
    record_views(VGT_REC_DMA_DATA, VGT_TRACE_DMA_F_DESC | VGT_TRACE_DMA_F_ROWS, p, 32,
                 "DMA_READ seq=12 gmr=FB offset=64 bytes=32 rows=4 x 8 pitch=16 (bytes in the "
                 "next record)",
                 "{\"type\":\"dma_read\",\"frame\":3,\"seq\":12,\"gmr\":\"FB\",\"offset\":64,"
                 "\"bytes\":32,\"rows\":4,\"row_bytes\":8,\"pitch\":16,"
                 "\"bytes_in_next_record\":true}",
                 VGT_OK);
    /* one row, from GMR 2, bytes inline: the text leaves the rows out */
    vgt_store_le32(p + 8, 2);
    record_views(VGT_REC_DMA_DATA, 0, p, 20, "DMA_READ seq=12 gmr=2 offset=64 bytes=4",
                 "{\"type\":\"dma_read\",\"frame\":3,\"seq\":12,\"gmr\":2,\"offset\":64,"
                 "\"bytes\":4,\"rows\":1,\"row_bytes\":4,\"pitch\":4,"
                 "\"bytes_in_next_record\":false}",
                 VGT_OK);
    /* a frame hash: the 64 bits as 16 hex digits, a string in JSON */
    vgt_store_le64(p, 5);
    vgt_store_le64(p + 8, 40);
    vgt_store_le64(p + 16, 0x0123456789abcdefull);
    vgt_store_le32(p + 24, 640);
    vgt_store_le32(p + 28, 480);
    vgt_store_le32(p + 32, VGT_TRACE_FRAME_F_ROWS);
    record_views(VGT_REC_FRAME_HASH, 0, p, 40,
                 "FRAME_HASH frame=5 last_seq=40 size=640x480 hash=0123456789abcdef (rows)",
                 "{\"type\":\"frame_hash\",\"frame\":3,\"guest_frame\":5,\"last_seq\":40,"
                 "\"width\":640,\"height\":480,\"hash\":\"0123456789abcdef\",\"rows\":true}",
                 VGT_OK);
    /* a device error about no command: no seq in the text, null in JSON */
    vgt_store_le64(p, UINT64_MAX);
    vgt_store_le32(p + 8, 0x10);
    vgt_store_le32(p + 12, 5);
    memcpy(p + 16, "a \"b\"", 5);
    record_views(VGT_REC_ERROR, 0, p, 21, "DEVICE_ERROR kind=execute fifo_offset=0x10 \"a \"b\"\"",
                 "{\"type\":\"device_error\",\"frame\":3,\"seq\":null,\"kind\":\"execute\","
                 "\"fifo_offset\":16,\"message\":\"a \\\"b\\\"\"}",
                 VGT_OK);
    /* a message of 500 bytes: the text cuts it at 400, JSON has it whole */
    static uint8_t big[16 + 500];
    vgt_store_le64(big, 4);
    vgt_store_le32(big + 8, 0);
    vgt_store_le32(big + 12, 5);
    memset(big + 16, 'm', 500);
    char want_text[512], want_json[640];
    snprintf(want_text, sizeof(want_text),
             "DEVICE_ERROR seq=4 kind=execute fifo_offset=0x0 \"%.400s\"", (const char *)big + 16);
    snprintf(want_json, sizeof(want_json),
             "{\"type\":\"device_error\",\"frame\":3,\"seq\":4,\"kind\":\"execute\","
             "\"fifo_offset\":0,\"message\":\"%.500s\"}",
             (const char *)big + 16);
    record_views(VGT_REC_ERROR, 0, big, sizeof(big), want_text, want_json, VGT_OK);
    /* a snapshot of two sections (REGS of 4 bytes, EX2D of none); cut
     * inside its second section's header, it is malformed in both views,
     * not half a line */
    static uint8_t snap[24 + 16 + 4 + 16];
    vgt_store_le32(snap, VGT_TRACE_SNAPSHOT_MAGIC);
    vgt_store_le32(snap + 4, VGT_TRACE_SNAPSHOT_VERSION);
    vgt_store_le64(snap + 8, 2);
    vgt_store_le64(snap + 16, 27);
    memcpy(snap + 24, "REGS", 4);
    vgt_store_le64(snap + 32, 4);
    memcpy(snap + 44, "EX2D", 4);
    vgt_store_le64(snap + 52, 0);
    record_views(VGT_REC_SNAPSHOT, 0, snap, sizeof(snap),
                 "SNAPSHOT frame=2 next_seq=27 REGS=4B EX2D=0B",
                 "{\"type\":\"snapshot\",\"frame\":3,\"snapshot_frame\":2,\"next_seq\":27,"
                 "\"sections\":[{\"tag\":\"REGS\",\"bytes\":4},{\"tag\":\"EX2D\",\"bytes\":0}]}",
                 VGT_OK);
    record_views(VGT_REC_SNAPSHOT, 0, snap, sizeof(snap) - 8,
                 "MALFORMED record 7 (snapshot, 52 bytes, frame 1): snapshot section header cut "
                 "short",
                 "{\"type\":\"malformed\",\"frame\":3,\"record_type\":\"snapshot\",\"bytes\":52,"
                 "\"message\":\"record 7 (snapshot, 52 bytes, frame 1): snapshot section header "
                 "cut short\"}",
                 VGT_E_FORMAT);
    /* a type vgt has no name for, and a fence that does not parse */
    record_views(0x7777, 0, p, 5, "RECORD bytes=5",
                 "{\"type\":\"record\",\"frame\":3,\"record_type\":\"0x7777\",\"bytes\":5}",
                 VGT_OK);
    record_views(VGT_REC_FENCE, 0, p, 3,
                 "MALFORMED record 7 (fence, 3 bytes, frame 1): fence of the wrong size "
                 "(expected 16 bytes)",
                 "{\"type\":\"malformed\",\"frame\":3,\"record_type\":\"fence\",\"bytes\":3,"
                 "\"message\":\"record 7 (fence, 3 bytes, frame 1): fence of the wrong size "
                 "(expected 16 bytes)\"}",
                 VGT_E_FORMAT);
    /* the text cut at the buffer's size, NUL-terminated */
    vgt_store_le32(p, 2);
    vgt_store_le32(p + 4, 640);
    vgt_trace_record rec = {.type = VGT_REC_REGISTER_WRITE, .size = 8, .payload = p};
    char small[10];
    assert_int_equal(vgt_trace_record_format(&rec, small, sizeof(small)), VGT_OK);
    assert_string_equal(small, "REG WIDTH");
}

static int setup(void **state)
{
    (void)state;
    if (tw_tmpdir_make(tmpdir, sizeof(tmpdir), "dump-json") != 0) {
        return -1;
    }
    snprintf(trace, sizeof(trace), "%s/t.vgt", tmpdir);
    write_trace();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tw_tmpdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump_json_values), cmocka_unit_test(test_dump_json_selection),
        cmocka_unit_test(test_json_writers),     cmocka_unit_test(test_json_string_buf),
        cmocka_unit_test(test_record_printer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
