/* test_protocol_3d.c - malformed SVGA3D commands are rejected with the right
 * code and a message naming the word; plus a random-input robustness run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

/* Builds {id, size, body...} into w and returns the word count. */
static uint32_t mk(uint32_t *w, uint32_t id, const uint32_t *body, uint32_t nbody)
{
    w[0] = id;
    w[1] = nbody * 4u;
    memcpy(w + 2, body, nbody * 4u);
    return nbody + 2;
}

static void expect(uint32_t id, const uint32_t *body, uint32_t nbody, vgt_status code,
                   const char *needle)
{
    uint32_t w[256];
    assert_true(nbody + 2 <= 256);
    uint32_t n = mk(w, id, body, nbody);
    vgt_cmd cmd;
    vgt_error err = {0};
    vgt_status st = vgt_cmd_decode(w, n, &cmd, &err);
    if (st != code || (needle && !strstr(err.message, needle))) {
        fail_msg("%s: expected %d with '%s', got %d: '%s'", vgt_cmd_name(id), code,
                 needle ? needle : "", st, err.message);
    }
}

#define BODY(...)                                                                                  \
    ((const uint32_t[]){__VA_ARGS__}), (uint32_t)(sizeof((uint32_t[]){__VA_ARGS__}) / 4)

static void test_surface_define_rules(void **state)
{
    (void)state;
    const uint32_t id = VGT_SVGA3D_CMD_SURFACE_DEFINE;
    /* good: one mip, one size */
    expect(id, BODY(1, 0, VGT_SVGA3D_A8R8G8B8, 1, 0, 0, 0, 0, 0, 4, 4, 1), VGT_OK, NULL);
    expect(id, BODY(1, 0, 0, 1, 0, 0, 0, 0, 0, 4, 4, 1), VGT_E_INVALID,
           "word 4 = 0 (0x0): surface format");
    expect(id, BODY(1, 0, 39, 1, 0, 0, 0, 0, 0, 4, 4, 1), VGT_E_INVALID, "word 4 = 39");
    expect(id, BODY(1, 0, 2, 0, 0, 0, 0, 0, 0), VGT_E_INVALID, "word 5 = 0 (0x0): face 0");
    expect(id, BODY(1, 0, 2, 33, 0, 0, 0, 0, 0), VGT_E_INVALID, "word 5 = 33");
    /* not a cube map: faces 1..5 must be empty */
    expect(id, BODY(1, 0, 2, 1, 1, 0, 0, 0, 0, 4, 4, 1, 4, 4, 1), VGT_E_INVALID, "word 6 = 1");
    /* cube map: all faces alike */
    expect(id, BODY(1, VGT_SVGA3D_SURFACE_CUBEMAP, 2, 1, 1, 1, 2, 1, 1), VGT_E_INVALID,
           "word 8 = 2");
    /* sizes must match the mip count exactly */
    expect(id, BODY(1, 0, 2, 2, 0, 0, 0, 0, 0, 4, 4, 1), VGT_E_INVALID,
           "word 1 = 48 (0x30): the faces declare 2 mip levels");
    expect(id, BODY(1, 0, 2, 1, 0, 0, 0, 0, 0, 4, 4, 1, 2, 2, 1), VGT_E_INVALID, "word 1 = 60");
    /* size smaller than the fixed body */
    expect(id, BODY(1, 0, 2), VGT_E_INVALID, "word 1 = 12 (0xc): size is smaller");
    /* V2: autogen filter is a closed enum */
    expect(VGT_SVGA3D_CMD_SURFACE_DEFINE_V2, BODY(1, 0, 2, 1, 0, 0, 0, 0, 0, 0, 8, 4, 4, 1),
           VGT_E_INVALID, "word 12 = 8");
}

static void test_copy_and_dma_rules(void **state)
{
    (void)state;
    expect(VGT_SVGA3D_CMD_SURFACE_COPY, BODY(1, 0, 0, 2, 0, 0, 1, 2, 3), VGT_E_INVALID,
           "SURFACE_COPY word 1 = 36 (0x24): 3 words follow");
    const uint32_t dma = VGT_SVGA3D_CMD_SURFACE_DMA;
    expect(dma, BODY(2, 0, 0, 1, 0, 0, 0), VGT_E_INVALID, "word 8 = 0 (0x0): transfer type");
    expect(dma, BODY(2, 0, 0, 1, 0, 0, 3), VGT_E_INVALID, "word 8 = 3");
    /* no boxes, no suffix: fine */
    uint32_t w[64];
    uint32_t n = mk(w, dma, BODY(2, 0, 0, 1, 0, 0, 1));
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    assert_false(cmd.has_dma_suffix);
    assert_int_equal(cmd.dma_suffix.maximum_offset, 0xFFFFFFFFu);
    assert_int_equal(cmd.items.count, 0);
    /* a suffix alone */
    n = mk(w, dma, BODY(2, 0, 0, 1, 0, 0, 1, 12, 100, VGT_SVGA3D_DMA_FLAG_UNSYNCHRONIZED));
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    assert_true(cmd.has_dma_suffix);
    assert_int_equal(cmd.dma_suffix.maximum_offset, 100);
    /* 3 trailing words that are not a suffix */
    expect(dma, BODY(2, 0, 0, 1, 0, 0, 1, 16, 100, 0), VGT_E_INVALID,
           "word 9 = 16 (0x10): 3 words follow the copy boxes");
    /* suffix with reserved flag bits */
    expect(dma, BODY(2, 0, 0, 1, 0, 0, 1, 12, 100, 4), VGT_E_INVALID, "word 11 = 4");
    /* neither boxes nor boxes + suffix */
    expect(dma, BODY(2, 0, 0, 1, 0, 0, 1, 1, 2, 3, 4), VGT_E_INVALID, "4 words follow");
    expect(VGT_SVGA3D_CMD_SURFACE_STRETCHBLT,
           BODY(1, 0, 0, 2, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 2), VGT_E_INVALID,
           "word 20 = 2");
}

static void test_state_rules(void **state)
{
    (void)state;
    const uint32_t rs = VGT_SVGA3D_CMD_SETRENDERSTATE;
    expect(rs, BODY(1, VGT_SVGA3D_RS_ZENABLE), VGT_E_INVALID,
           "word 1 = 8 (0x8): 1 word follows the fixed body: not a whole number of 2-word");
    expect(rs, BODY(1, 0, 1), VGT_E_INVALID, "word 3 = 0 (0x0): render state");
    expect(rs, BODY(1, VGT_SVGA3D_RS_ZENABLE, 1, 100, 1), VGT_E_INVALID, "word 5 = 100");
    expect(rs, BODY(1, VGT_SVGA3D_RS_SRCBLEND, 0), VGT_E_INVALID,
           "word 4 = 0 (0x0): render state SRCBLEND must be a blend op");
    expect(rs, BODY(1, VGT_SVGA3D_RS_CULLMODE, 5), VGT_E_INVALID, "CULLMODE must be a face");
    expect(rs, BODY(1, VGT_SVGA3D_RS_FILLMODE, VGT_SVGA3D_FILLMODE(3, 9)), VGT_E_INVALID,
           "word 4 = 589827");
    expect(rs, BODY(1, VGT_SVGA3D_RS_STENCILPASS, 9), VGT_E_INVALID, "stencil op");
    expect(rs, BODY(1, VGT_SVGA3D_RS_FOGMODE, VGT_SVGA3D_FOGMODE(5, 0, 0)), VGT_E_INVALID,
           "fog mode");
    /* VERTEXBLEND: SVGA3D's 0..3 and Direct3D 9's TWEENING (255) and
     * 0WEIGHTS (256), which the renderers read; TWEENFACTOR is any float */
    expect(rs, BODY(1, VGT_SVGA3D_RS_VERTEXBLEND, 4), VGT_E_INVALID,
           "VERTEXBLEND must be a vertex blend (0..3, 255 tweening, 256 0WEIGHTS)");
    expect(rs, BODY(1, VGT_SVGA3D_RS_VERTEXBLEND, 257), VGT_E_INVALID, "vertex blend");
    expect(rs,
           BODY(1, VGT_SVGA3D_RS_VERTEXBLEND, 3, VGT_SVGA3D_RS_VERTEXBLEND, 255,
                VGT_SVGA3D_RS_VERTEXBLEND, 256),
           VGT_OK, NULL);
    expect(rs,
           BODY(1, VGT_SVGA3D_RS_TWEENFACTOR, 0x3F000000u, VGT_SVGA3D_RS_TWEENFACTOR, 0xBF800000u,
                VGT_SVGA3D_RS_TWEENFACTOR, 0x7FC00000u),
           VGT_OK, NULL);
    /* floats and plain values pass */
    expect(rs, BODY(1, VGT_SVGA3D_RS_FOGSTART, 0x7FC00000u, VGT_SVGA3D_RS_STENCILREF, 0xFFFFFFFFu),
           VGT_OK, NULL);
    /* zero entries is allowed */
    expect(rs, BODY(1), VGT_OK, NULL);

    const uint32_t ts = VGT_SVGA3D_CMD_SETTEXTURESTATE;
    expect(ts, BODY(1, 16, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE), VGT_E_INVALID,
           "word 3 = 16 (0x10): texture stage");
    expect(ts, BODY(1, 0, 30, 0), VGT_E_INVALID, "word 4 = 30");
    expect(ts, BODY(1, 0, VGT_SVGA3D_TS_COLOROP, 27), VGT_E_INVALID,
           "word 5 = 27 (0x1b): texture state COLOROP must be a texture combiner");
    expect(ts, BODY(1, 0, VGT_SVGA3D_TS_ALPHAARG2, VGT_SVGA3D_TA_DIFFUSE | 0x40), VGT_E_INVALID,
           "texture argument");
    expect(ts, BODY(1, 0, VGT_SVGA3D_TS_ADDRESSU, 0), VGT_E_INVALID, "address mode");
    expect(ts, BODY(1, 0, VGT_SVGA3D_TS_MAGFILTER, 8), VGT_E_INVALID, "filter");
    expect(ts, BODY(1, 0, VGT_SVGA3D_TS_BIND_TEXTURE, 0xFFFFFFFFu), VGT_OK, NULL);
}

static void test_fixed_body_rules(void **state)
{
    (void)state;
    /* extra words after a fixed body */
    expect(VGT_SVGA3D_CMD_CONTEXT_DEFINE, BODY(1, 2), VGT_E_INVALID,
           "CONTEXT_DEFINE word 1 = 8 (0x8): size must be exactly 4 bytes");
    expect(VGT_SVGA3D_CMD_CONTEXT_DEFINE, BODY(0), VGT_OK, NULL);
    expect(VGT_SVGA3D_CMD_SURFACE_DESTROY, (const uint32_t[]){0}, 0, VGT_E_INVALID,
           "size is smaller");

    uint32_t m[18] = {1, 15};
    expect(VGT_SVGA3D_CMD_SETTRANSFORM, m, 18, VGT_E_INVALID, "word 3 = 15 (0xf): transform type");
    m[1] = 0;
    expect(VGT_SVGA3D_CMD_SETTRANSFORM, m, 18, VGT_E_INVALID, "word 3 = 0");

    expect(VGT_SVGA3D_CMD_SETRENDERTARGET, BODY(1, 10, 1, 0, 0), VGT_E_INVALID, "word 3 = 10");
    uint32_t mat[19] = {1, 0};
    expect(VGT_SVGA3D_CMD_SETMATERIAL, mat, 19, VGT_E_INVALID, "word 3 = 0 (0x0): material face");
    uint32_t light[31] = {1, 0, 5};
    expect(VGT_SVGA3D_CMD_SETLIGHTDATA, light, 31, VGT_E_INVALID, "word 4 = 5 (0x5): light type");
    expect(VGT_SVGA3D_CMD_SETCLIPPLANE, BODY(1, 6, 0, 0, 0, 0), VGT_E_INVALID,
           "word 3 = 6 (0x6): clip plane index");
    expect(VGT_SVGA3D_CMD_CLEAR, BODY(1, 8, 0, 0, 0), VGT_E_INVALID,
           "word 3 = 8 (0x8): clear flags");
    expect(VGT_SVGA3D_CMD_CLEAR, BODY(1, 7, 0, 0, 0, 1, 2, 3), VGT_E_INVALID, "3 words follow");
    expect(VGT_SVGA3D_CMD_SHADER_DEFINE, BODY(1, 1, 0, 0xFFFE0200u), VGT_E_INVALID,
           "word 4 = 0 (0x0): shader type");
    expect(VGT_SVGA3D_CMD_SHADER_DEFINE, BODY(1, 1, 2), VGT_E_INVALID,
           "at least one bytecode word");
    expect(VGT_SVGA3D_CMD_SHADER_DESTROY, BODY(1, 1, 3), VGT_E_INVALID, "word 4 = 3");
    expect(VGT_SVGA3D_CMD_SET_SHADER, BODY(1, 3, 1), VGT_E_INVALID, "word 3 = 3");
    expect(VGT_SVGA3D_CMD_SET_SHADER, BODY(1, 2, 0xFFFFFFFFu), VGT_OK, NULL);
    expect(VGT_SVGA3D_CMD_SET_SHADER_CONST, BODY(1, 0, 1, 3, 0, 0, 0, 0), VGT_E_INVALID,
           "word 5 = 3 (0x3): constant type");
    expect(VGT_SVGA3D_CMD_BEGIN_QUERY, BODY(1, 1), VGT_E_INVALID, "word 3 = 1 (0x1): query type");
    expect(VGT_SVGA3D_CMD_END_QUERY, BODY(1, 7, 0, 0), VGT_E_INVALID, "word 3 = 7");
    expect(VGT_SVGA3D_CMD_WAIT_FOR_QUERY, BODY(1, 7, 0, 0), VGT_E_INVALID, "word 3 = 7");
    expect(VGT_SVGA3D_CMD_GENERATE_MIPMAPS, BODY(1, 8), VGT_E_INVALID, "word 3 = 8");
    expect(VGT_SVGA3D_CMD_PRESENT, BODY(1, 0, 0, 1, 1), VGT_E_INVALID, "4 words follow");
    expect(VGT_SVGA3D_CMD_PRESENT_READBACK, BODY(0, 0, 1), VGT_E_INVALID, "3 words follow");
    expect(VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN, BODY(1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 9),
           VGT_E_INVALID, "1 word follows the fixed body");
}

/* SET_SHADER_CONST: the fixed body sets register reg; a longer command
 * carries the registers after it, 4 words each (Mesa's svga driver,
 * SVGA3D_SetShaderConsts: sizeof *cmd + (numRegs - 1) * sizeof values). */
static void test_shader_const_runs(void **state)
{
    (void)state;
    const uint32_t id = VGT_SVGA3D_CMD_SET_SHADER_CONST;
    expect(id, BODY(1, 4, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), VGT_OK, NULL);
    expect(id, BODY(1, 4, 1, 1, 1, 2, 3, 4, 5, 6), VGT_E_INVALID,
           "SET_SHADER_CONST word 1 = 40 (0x28): 2 words follow the fixed body: not a whole "
           "number of 4-word entries");
    uint32_t w[64];
    uint32_t n = mk(w, id, BODY(1, 4, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0xFFFFFFFFu, 0, 0, 9));
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    assert_int_equal(cmd.u.set_shader_const.reg, 4);
    assert_int_equal(cmd.u.set_shader_const.values[3], 4);
    assert_int_equal(cmd.items.count, 2);
    assert_int_equal(cmd.items.elem_words, 4);
    assert_int_equal(cmd.items.words[4], 0xFFFFFFFFu);
    char line[512];
    assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, false), VGT_OK);
    assert_string_equal(line, "SET_SHADER_CONST cid=1 reg=4 type=VS ctype=INT values=(1,2,3,4) "
                              "more=[(5,6,7,8) (-1,0,0,9)]");
    /* JSON: the further registers as arrays under "more" */
    char *json = NULL;
    size_t json_len = 0;
    FILE *mem = open_memstream(&json, &json_len);
    assert_non_null(mem);
    assert_int_equal(vgt_cmd_print_json(mem, &cmd, false), VGT_OK);
    fclose(mem);
    assert_non_null(strstr(json, "\"values\":[1,2,3,4],\"more\":[[5,6,7,8],[-1,0,0,9]]"));
    free(json);
    /* past 8 further registers: their count, unless verbose */
    uint32_t big[4 + 4 * 10] = {1, 0, 2, 0};
    n = mk(w, id, big, 4 + 4 * 10);
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, false), VGT_OK);
    assert_string_equal(line, "SET_SHADER_CONST cid=1 reg=0 type=PS ctype=FLOAT values=(0,0,0,0) "
                              "more=9");
    assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, true), VGT_OK);
    assert_non_null(strstr(line, "more=[(0,0,0,0) (0,0,0,0) (0,0,0,0) (0,0,0,0) (0,0,0,0) "
                                 "(0,0,0,0) (0,0,0,0) (0,0,0,0) (0,0,0,0)]"));
    /* one register: printed as before the runs */
    n = mk(w, id, BODY(1, 4, 1, 2, 1, 0, 0, 0));
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    assert_int_equal(cmd.items.count, 0);
    assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, false), VGT_OK);
    assert_string_equal(line, "SET_SHADER_CONST cid=1 reg=4 type=VS ctype=BOOL values=(1,0,0,0)");
}

static void test_draw_primitives_rules(void **state)
{
    (void)state;
    const uint32_t id = VGT_SVGA3D_CMD_DRAW_PRIMITIVES;
    /* counts beyond the protocol limits, including ones whose products overflow */
    expect(id, BODY(1, 33, 0), VGT_E_RANGE, "word 3 = 33 (0x21): more than 32 vertex declarations");
    expect(id, BODY(1, 0xFFFFFFFFu, 1), VGT_E_RANGE, "word 3 = 4294967295");
    expect(id, BODY(1, 1, 33), VGT_E_RANGE, "word 4 = 33");
    expect(id, BODY(1, 0, 0x40000000u), VGT_E_RANGE, "word 4 = 1073741824");
    /* counts that do not match the words that follow */
    expect(id, BODY(1, 1, 1, 0, 0, 0, 0, 1, 0, 12, 0, 0), VGT_E_INVALID,
           "1 decl and 1 range need 16 words (or 17 with divisors), 9 follow");

    uint32_t b[3 + 9 + 7 + 1] = {1,
                                 1,
                                 1,
                                 /* decl */ VGT_SVGA3D_DECLTYPE_FLOAT2,
                                 0,
                                 VGT_SVGA3D_DECLUSAGE_POSITION,
                                 0,
                                 1,
                                 0,
                                 8,
                                 0,
                                 0,
                                 /* range */ VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP,
                                 2,
                                 VGT_SVGA3D_INVALID_ID,
                                 0,
                                 0,
                                 0,
                                 0,
                                 /* divisor */ 1};
    expect(id, b, 19, VGT_OK, NULL);
    expect(id, b, 20, VGT_OK, NULL);
    uint32_t w[32];
    uint32_t n = mk(w, id, b, 20);
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    assert_int_equal(cmd.divisors.count, 1);
    assert_int_equal(cmd.divisors.words[0], 1);
    /* printed as Direct3D 9's stream frequencies */
    char line[512];
    const uint32_t words[] = {1u,
                              VGT_SVGA3D_DIVISOR_INDEXED_DATA | 64u,
                              VGT_SVGA3D_DIVISOR_INSTANCE_DATA | 2u,
                              VGT_SVGA3D_DIVISOR_INDEXED_DATA | VGT_SVGA3D_DIVISOR_INSTANCE_DATA |
                                  1u,
                              0u,
                              3u};
    const char *const printed[] = {"divisors=[vertex:1]",   "divisors=[indexed:64]",
                                   "divisors=[instance:2]", "divisors=[0xc0000001]",
                                   "divisors=[0]",          "divisors=[vertex:3]"};
    for (uint32_t k = 0; k < 6; k++) {
        w[n - 1] = words[k];
        assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
        assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, false), VGT_OK);
        if (!strstr(line, printed[k])) {
            fail_msg("divisor 0x%08x printed as \"%s\", not %s", words[k], line, printed[k]);
        }
    }

    b[3] = VGT_SVGA3D_DECLTYPE_MAX;
    expect(id, b, 19, VGT_E_INVALID, "word 5 = 17 (0x11): decl type");
    b[3] = 0;
    b[4] = VGT_SVGA3D_DECLMETHOD_MAX;
    expect(id, b, 19, VGT_E_INVALID, "word 6 = 7");
    b[4] = 0;
    b[5] = VGT_SVGA3D_DECLUSAGE_MAX;
    expect(id, b, 19, VGT_E_INVALID, "word 7 = 14");
    b[5] = 0;
    b[12] = 0;
    expect(id, b, 19, VGT_E_INVALID, "word 14 = 0 (0x0): primitive type");
    b[12] = VGT_SVGA3D_PRIMITIVE_MAX;
    expect(id, b, 19, VGT_E_INVALID, "word 14 = 7");
    b[12] = VGT_SVGA3D_PRIMITIVE_LINELIST;
    b[14] = 5; /* indexed, width 3 */
    b[17] = 3;
    expect(id, b, 19, VGT_E_INVALID, "word 19 = 3 (0x3): index width");
    b[17] = 4;
    expect(id, b, 19, VGT_OK, NULL);
}

static void test_truncated_and_oversized(void **state)
{
    (void)state;
    uint32_t w[8] = {VGT_SVGA3D_CMD_SETVIEWPORT, 20, 1, 0, 0, 4, 4, 0};
    vgt_cmd cmd;
    vgt_error err = {0};
    assert_int_equal(vgt_cmd_decode(w, 6, &cmd, &err), VGT_E_TRUNCATED);
    assert_non_null(strstr(
        err.message, "SETVIEWPORT word 1 = 20 (0x14): the command is 7 words long, only 6 given"));
    assert_int_equal(vgt_cmd_decode(w, 8, &cmd, &err), VGT_E_INVALID);
    assert_non_null(strstr(err.message, "7 words long, 8 given"));
    assert_int_equal(vgt_cmd_decode(w, 7, &cmd, &err), VGT_OK);
    /* one word: singular ("1 words given" before) */
    assert_int_equal(vgt_cmd_decode(w, 1, &cmd, &err), VGT_E_TRUNCATED);
    assert_string_equal(err.message,
                        "SETVIEWPORT: 1 word given, at least 2 are needed to read its header");
    uint32_t total = 0;
    assert_int_equal(vgt_cmd_length(w, 1, &total, &err), VGT_E_TRUNCATED);
    assert_int_equal(total, 2);
}

/* Random words, biased towards real ids: never crashes, never reads past the
 * given words (ASan checks), and every success re-decodes identically. */
static void test_random_input_is_safe(void **state)
{
    (void)state;
    size_t ntable = 0;
    const vgt_cmd_desc *t = vgt_cmd_table(&ntable);
    uint32_t seed = 12345;
    unsigned ok = 0;
    for (int iter = 0; iter < 200000; iter++) {
        uint32_t w[48];
        uint32_t n = 1 + (seed % 48);
        for (uint32_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            w[i] = (r & 3) == 0 ? r : (r & 15); /* mostly small values */
        }
        seed = seed * 1103515245u + 12345u;
        w[0] = t[(seed >> 8) % ntable].id;
        if (t[(seed >> 8) % ntable].flags & VGT_CMD_F_3D && n > 1) {
            w[1] = (n - 2) * 4u; /* a size that fits, most of the time */
        }
        /* exact-size heap copy, so ASan sees any overread */
        uint32_t *copy = malloc(n * 4u);
        assert_non_null(copy);
        memcpy(copy, w, n * 4u);
        uint32_t total = 0;
        vgt_status st = vgt_cmd_length(copy, n, &total, NULL);
        if (st == VGT_OK && total <= n) {
            vgt_cmd cmd;
            if (vgt_cmd_decode(copy, total, &cmd, NULL) == VGT_OK) {
                char line[4096];
                vgt_status ps = vgt_cmd_format(line, sizeof(line), &cmd, true);
                assert_true(ps == VGT_OK || ps == VGT_E_RANGE);
                ok++;
            }
        }
        free(copy);
    }
    assert_true(ok > 1000); /* the generator does reach valid commands */
}

/* vgt_svga3d_texcoord_plan_make: TEXTURETRANSFORMFLAGS as Direct3D 9's
 * D3DTTFF_COUNTn (| PROJECTED), the same for 2D, cube and volume textures:
 * the matrix's results, the divisor and the components of (u, v, w) kept. */
static void test_texcoord_plan(void **state)
{
    (void)state;
    static const struct {
        uint32_t flags;
        bool pretransformed;
        uint32_t count;
        int proj;
        uint32_t keep;
    } cases[] = {
        {0, false, 0, -1, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_S, false, 1, -1, 1}, /* (u', 0, 0) */
        {VGT_SVGA3D_TEX_TRANSFORM_T, false, 2, -1, 2}, /* (u', v', 0) */
        {VGT_SVGA3D_TEX_TRANSFORM_R, false, 3, -1, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_Q, false, 4, -1, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED, false, 2, 1, 1}, /* u'/v' */
        {VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED, false, 3, 2, 2},
        {VGT_SVGA3D_TEX_TRANSFORM_Q | VGT_SVGA3D_TEX_PROJECTED, false, 4, 3, 3},
        {VGT_SVGA3D_TEX_PROJECTED, false, 0, 3, 3}, /* no matrix: by q */
        /* pretransformed: no matrix, the same division */
        {VGT_SVGA3D_TEX_TRANSFORM_S, true, 0, -1, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED, true, 0, 1, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vgt_svga3d_texcoord_plan p;
        vgt_error err = {0};
        assert_int_equal(vgt_svga3d_texcoord_plan_make(2, VGT_SVGA3D_TEXCOORD_GEN_OFF,
                                                       cases[i].flags, cases[i].pretransformed, &p,
                                                       &err),
                         VGT_OK);
        assert_int_equal(p.count, cases[i].count);
        assert_int_equal(p.proj, cases[i].proj);
        assert_int_equal(p.keep, cases[i].keep);
    }
    /* S | T is two results, S | T | R three (the highest bit) */
    vgt_svga3d_texcoord_plan p;
    vgt_error err = {0};
    assert_int_equal(
        vgt_svga3d_texcoord_plan_make(0, 0,
                                      VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_TRANSFORM_T |
                                          VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED,
                                      false, &p, &err),
        VGT_OK);
    assert_int_equal(p.count, 3);
    assert_int_equal(p.proj, 2);
    /* behind a vertex shader: no matrix; exactly COUNT3 | PROJECTED by z,
     * any other PROJECTED by w (Wine) */
    static const struct {
        uint32_t flags;
        int proj;
        uint32_t keep;
    } vs[] = {
        {VGT_SVGA3D_TEX_TRANSFORM_T, -1, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_R | VGT_SVGA3D_TEX_PROJECTED, 2, 2},
        {VGT_SVGA3D_TEX_TRANSFORM_T | VGT_SVGA3D_TEX_PROJECTED, 3, 3},
        {VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_PROJECTED, 3, 3},
        {VGT_SVGA3D_TEX_PROJECTED, 3, 3},
    };
    for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
        vgt_svga3d_texcoord_plan_behind_vs(vs[i].flags, &p);
        assert_int_equal(p.gen, VGT_SVGA3D_TEXCOORD_GEN_OFF);
        assert_int_equal(p.count, 0);
        assert_int_equal(p.proj, vs[i].proj);
        assert_int_equal(p.keep, vs[i].keep);
    }
    /* what stays refused, naming the stage and the value */
    static const struct {
        uint32_t gen, flags;
        bool pretransformed;
        const char *msg;
    } bad[] = {
        {0, VGT_SVGA3D_TEX_TRANSFORM_S | VGT_SVGA3D_TEX_PROJECTED, false,
         "texture stage 5: TEXTURETRANSFORMFLAGS 0x8001 (one transformed component divided by "
         "itself, D3DTTFF_COUNT1 | D3DTTFF_PROJECTED)"},
        {0, 0x10u, false, "texture stage 5: TEXTURETRANSFORMFLAGS 0x10 has bits other than"},
        {5, 0, false, "texture stage 5: TEXCOORDGEN 5 is not a generation mode"},
        {VGT_SVGA3D_TEXCOORD_GEN_SPHERE, 0, true,
         "texture stage 5: TEXCOORDGEN 4 with pretransformed (POSITIONT) vertices"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(vgt_svga3d_texcoord_plan_make(5, bad[i].gen, bad[i].flags,
                                                       bad[i].pretransformed, &p, &err),
                         VGT_E_UNSUPPORTED);
        if (!strstr(err.message, bad[i].msg)) {
            fail_msg("case %zu: \"%s\", want \"%s\"", i, err.message, bad[i].msg);
        }
    }
}

/* VERTEXBLEND values are printed by name, Direct3D 9's two extra ones too. */
static void test_vertex_blend_printed(void **state)
{
    (void)state;
    const uint32_t body[] = {1,
                             VGT_SVGA3D_RS_VERTEXBLEND,
                             VGT_SVGA3D_VBLEND_DISABLE,
                             VGT_SVGA3D_RS_VERTEXBLEND,
                             VGT_SVGA3D_VBLEND_3WEIGHT,
                             VGT_SVGA3D_RS_VERTEXBLEND,
                             VGT_SVGA3D_VBLEND_TWEENING,
                             VGT_SVGA3D_RS_VERTEXBLEND,
                             VGT_SVGA3D_VBLEND_0WEIGHTS};
    uint32_t w[16];
    uint32_t n = mk(w, VGT_SVGA3D_CMD_SETRENDERSTATE, body, 9);
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    char line[512];
    assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, false), VGT_OK);
    assert_string_equal(line, "SETRENDERSTATE cid=1 states=[VERTEXBLEND=DISABLE "
                              "VERTEXBLEND=3WEIGHTS VERTEXBLEND=TWEENING VERTEXBLEND=0WEIGHTS]");
    assert_null(vgt_svga3d_vertex_blend_name(4));
    assert_null(vgt_svga3d_vertex_blend_name(254));
}

/* TWEENFACTOR prints as the float it is. */
static void test_tween_factor_printed(void **state)
{
    (void)state;
    const uint32_t body[] = {1, VGT_SVGA3D_RS_TWEENFACTOR, 0x3F000000u};
    uint32_t w[8];
    uint32_t n = mk(w, VGT_SVGA3D_CMD_SETRENDERSTATE, body, 3);
    vgt_cmd cmd;
    assert_int_equal(vgt_cmd_decode(w, n, &cmd, NULL), VGT_OK);
    char line[256];
    assert_int_equal(vgt_cmd_format(line, sizeof(line), &cmd, false), VGT_OK);
    assert_string_equal(line, "SETRENDERSTATE cid=1 states=[TWEENFACTOR=0.5]");
}

/* vgt_svga3d_vertex_blend_plan_make's tweening: POSITION 1 always needed,
 * NORMAL 1 when NORMAL 0 is read; WORLD alone (no matrices, no weights);
 * nothing behind a vertex shader or for POSITIONT; the refusal a draw's
 * VGT_E_INVALID naming the element. */
static void test_tween_plan(void **state)
{
    (void)state;
    const uint32_t tw = VGT_SVGA3D_VBLEND_TWEENING;
    vgt_svga3d_vertex_blend_plan p;
    vgt_error err = {0};
    /* both positions and normals, lit */
    vgt_svga3d_vertex_blend_decl d = {.has_position1 = true,
                                      .has_normal = true,
                                      .has_normal1 = true,
                                      .normals_used = true,
                                      .has_indices = true,
                                      .index_type = VGT_SVGA3D_DECLTYPE_UBYTE4};
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, true, false, false, &d, &p, &err),
                     VGT_OK);
    assert_true(p.tween);
    assert_true(p.tween_normal);
    assert_int_equal(p.matrices, 0); /* WORLD alone */
    assert_int_equal(p.weights, 0);
    assert_false(p.indexed); /* INDEXEDVERTEXBLENDENABLE is not read */
    /* the normal not read: not tweened, NORMAL 1 not needed */
    d.normals_used = false;
    d.has_normal1 = false;
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, false, false, &d, &p, &err),
                     VGT_OK);
    assert_true(p.tween);
    assert_false(p.tween_normal);
    /* read without NORMAL 1: refused, naming it */
    d.normals_used = true;
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, false, false, &d, &p, &err),
                     VGT_E_INVALID);
    assert_string_equal(err.message, "VERTEXBLEND TWEENING: the vertex declaration has NORMAL 0 "
                                     "but no NORMAL element with usage index 1 to tween it "
                                     "towards");
    assert_false(p.tween);
    /* NORMAL 1 without NORMAL 0: no normal, as untweened */
    d.has_normal = false;
    d.has_normal1 = true;
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, false, false, &d, &p, &err),
                     VGT_OK);
    assert_true(p.tween);
    assert_false(p.tween_normal);
    /* no POSITION 1: refused whatever the normals */
    d.has_position1 = false;
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, false, false, &d, &p, &err),
                     VGT_E_INVALID);
    assert_string_equal(err.message, "VERTEXBLEND TWEENING: the vertex declaration has no "
                                     "POSITION element with usage index 1 to tween POSITION 0 "
                                     "towards");
    d.normals_used = false;
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, false, false, &d, &p, &err),
                     VGT_E_INVALID);
    /* ignored (and so not refused) behind a vertex shader and for POSITIONT */
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, true, false, &d, &p, &err),
                     VGT_OK);
    assert_false(p.tween);
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(tw, false, false, true, &d, &p, &err),
                     VGT_OK);
    assert_false(p.tween);
    /* the weighted modes do not tween */
    d.has_position1 = true;
    assert_int_equal(vgt_svga3d_vertex_blend_plan_make(VGT_SVGA3D_VBLEND_1WEIGHT, false, false,
                                                       false, &d, &p, &err),
                     VGT_OK);
    assert_false(p.tween);
    assert_int_equal(p.matrices, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_define_rules),
        cmocka_unit_test(test_copy_and_dma_rules),
        cmocka_unit_test(test_state_rules),
        cmocka_unit_test(test_fixed_body_rules),
        cmocka_unit_test(test_shader_const_runs),
        cmocka_unit_test(test_draw_primitives_rules),
        cmocka_unit_test(test_texcoord_plan),
        cmocka_unit_test(test_vertex_blend_printed),
        cmocka_unit_test(test_tween_factor_printed),
        cmocka_unit_test(test_tween_plan),
        cmocka_unit_test(test_truncated_and_oversized),
        cmocka_unit_test(test_random_input_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
