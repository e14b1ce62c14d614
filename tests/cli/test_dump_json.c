/* test_dump_json.c - vgt dump --json on a hand-made trace: a rejected
 * command and its device error (kind, seq, a message with quotes, a newline,
 * a control byte and a byte that is not UTF-8, escaped to valid JSON), a
 * SETZRANGE of NaN and infinity (written as strings: the JSON stays valid),
 * a CLEAR's colour, depth, stencil and rects, render states by name; what
 * --only and --calls keep of the device error; the text view of the same;
 * and the JSON writers themselves, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "trace_writer_util.h"
#include "vgt_protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[1024];
static char trace[1200];

static void shell_ok(const char *fmt, ...)
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

/* `vgt dump TRACE ARGS` into tmpdir/out.txt, exit 0. */
static void dump(const char *args)
{
    shell_ok("'%s/vgt' dump '%s' %s > '%s/out.txt'", VGT_BINARY_DIR, trace, args, tmpdir);
}

/* jq FILTER over out.txt: every result true, and at least one. */
static void jq_all(const char *filter)
{
    shell_ok("jq -n -e '[inputs | %s] | length > 0 and all' '%s/out.txt' > /dev/null", filter,
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
    shell_ok("grep -q '^ *3 *0 SURFACE_DESTROY sid=99$' '%s/out.txt'", tmpdir);
    shell_ok("grep -q '^ *- *0 DEVICE_ERROR seq=3 kind=execute ' '%s/out.txt'", tmpdir);
    shell_ok("grep -q '^SURFACE_DESTROY  *2$' '%s/out.txt'", tmpdir);
    shell_ok("! grep -q 'CLEAR\\|REG ' '%s/out.txt'", tmpdir);
    dump("--only surface_define");
    shell_ok("grep -q '^ *6 *0 SURFACE_DEFINE sid=7 flags=HINT_TEXTURE|0x100000 ' '%s/out.txt'",
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
        cmocka_unit_test(test_dump_json_values),
        cmocka_unit_test(test_dump_json_selection),
        cmocka_unit_test(test_json_writers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
