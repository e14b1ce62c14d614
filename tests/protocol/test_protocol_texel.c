/* test_protocol_texel.c - the vgt_texel_* decoders soft and gl share: for
 * every format, chosen little-endian bytes and the exact RGBA they must give,
 * written out by hand from the channel layout (which bits, how many) rather
 * than from the decoder.  The bytes put a different value in each channel,
 * the top bit of wide fields (R5G6B5 green 32/63, D24 0x800000) and bits
 * a wrong mask or shift would read (D24S8's stencil byte 0xFF), so a
 * swapped channel, a narrowed mask or a forced alpha changes a float. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

typedef void (*texel_fn)(const uint8_t *p, float c[4]);

typedef struct texel_case {
    const char *name;
    texel_fn fn;
    uint8_t bytes[4];
    float want[4];
} texel_case;

/* The UNORM value v of a field whose largest value is max, computed the way
 * the decoders must (v * (1 / max)) so the comparison can be exact. */
#define U(v, max) ((float)(v) * (1.0f / (float)(max)))

static const texel_case cases[] = {
    /* X8R8G8B8: bytes B, G, R, X; X is ignored. */
    {"x8r8g8b8",
     vgt_texel_x8r8g8b8,
     {0x10, 0x80, 0xFF, 0x00},
     {1.0f, U(0x80, 255), U(0x10, 255), 1.0f}},
    {"x8r8g8b8 zero", vgt_texel_x8r8g8b8, {0, 0, 0, 0x55}, {0.0f, 0.0f, 0.0f, 1.0f}},
    /* A8R8G8B8: bytes B, G, R, A. */
    {"a8r8g8b8",
     vgt_texel_a8r8g8b8,
     {0x10, 0x80, 0xFF, 0x40},
     {1.0f, U(0x80, 255), U(0x10, 255), U(0x40, 255)}},
    {"a8r8g8b8 a0",
     vgt_texel_a8r8g8b8,
     {0x01, 0x02, 0x03, 0x00},
     {U(3, 255), U(2, 255), U(1, 255), 0.0f}},
    /* R5G6B5: bits 15-11 R, 10-5 G, 4-0 B. */
    {"r5g6b5 green", vgt_texel_r5g6b5, {0xE0, 0x07}, {0.0f, 1.0f, 0.0f, 1.0f}},
    {"r5g6b5 g32", vgt_texel_r5g6b5, {0x00, 0x04}, {0.0f, U(32, 63), 0.0f, 1.0f}},
    {"r5g6b5 red", vgt_texel_r5g6b5, {0x00, 0xF8}, {1.0f, 0.0f, 0.0f, 1.0f}},
    /* 0x8821: R 17, G 1, B 1. */
    {"r5g6b5 mix", vgt_texel_r5g6b5, {0x21, 0x88}, {U(17, 31), U(1, 63), U(1, 31), 1.0f}},
    /* X1R5G5B5: bit 15 ignored, 14-10 R, 9-5 G, 4-0 B.  0xFFFF has X set. */
    {"x1r5g5b5 x", vgt_texel_x1r5g5b5, {0xFF, 0xFF}, {1.0f, 1.0f, 1.0f, 1.0f}},
    /* 0x0C43: R 3, G 2, B 3. */
    {"x1r5g5b5 mix", vgt_texel_x1r5g5b5, {0x43, 0x0C}, {U(3, 31), U(2, 31), U(3, 31), 1.0f}},
    /* A1R5G5B5: bit 15 is alpha, 0 or 1. */
    {"a1r5g5b5 a0", vgt_texel_a1r5g5b5, {0xFF, 0x7F}, {1.0f, 1.0f, 1.0f, 0.0f}},
    {"a1r5g5b5 a1", vgt_texel_a1r5g5b5, {0x00, 0x80}, {0.0f, 0.0f, 0.0f, 1.0f}},
    /* 0x7C00: red only. */
    {"a1r5g5b5 red", vgt_texel_a1r5g5b5, {0x00, 0x7C}, {1.0f, 0.0f, 0.0f, 0.0f}},
    /* A4R4G4B4: 0x1234 is A 1, R 2, G 3, B 4. */
    {"a4r4g4b4", vgt_texel_a4r4g4b4, {0x34, 0x12}, {U(2, 15), U(3, 15), U(4, 15), U(1, 15)}},
    {"a4r4g4b4 a15", vgt_texel_a4r4g4b4, {0x00, 0xF0}, {0.0f, 0.0f, 0.0f, 1.0f}},
    /* LUMINANCE8: (L, L, L, 1); the byte after it is not read. */
    {"l8", vgt_texel_l8, {0x33, 0xEE}, {U(0x33, 255), U(0x33, 255), U(0x33, 255), 1.0f}},
    /* ALPHA8: (0, 0, 0, A). */
    {"a8", vgt_texel_a8, {0xC0, 0xEE}, {0.0f, 0.0f, 0.0f, U(0xC0, 255)}},
    /* LUMINANCE8_ALPHA8: byte 0 L, byte 1 A. */
    {"l8a8",
     vgt_texel_l8a8,
     {0x20, 0xA0},
     {U(0x20, 255), U(0x20, 255), U(0x20, 255), U(0xA0, 255)}},
    /* Z_D16: (D, D, D, 1) from 16 bits; the high byte matters. */
    {"d16",
     vgt_texel_d16,
     {0x00, 0x80},
     {U(0x8000, 65535), U(0x8000, 65535), U(0x8000, 65535), 1.0f}},
    {"d16 max", vgt_texel_d16, {0xFF, 0xFF, 0x12, 0x34}, {1.0f, 1.0f, 1.0f, 1.0f}},
    /* Z_D24S8: bits 31-8 depth, 7-0 stencil (not read). */
    {"d24s8",
     vgt_texel_d24,
     {0xFF, 0x00, 0x00, 0x80},
     {U(0x800000, 16777215), U(0x800000, 16777215), U(0x800000, 16777215), 1.0f}},
    {"d24s8 max", vgt_texel_d24, {0x00, 0xFF, 0xFF, 0xFF}, {1.0f, 1.0f, 1.0f, 1.0f}},
    {"d24s8 low",
     vgt_texel_d24,
     {0x00, 0x01, 0x00, 0x00},
     {U(1, 16777215), U(1, 16777215), U(1, 16777215), 1.0f}},
    /* Z_D32: the full 32 bits, 0 and 1 at the ends. */
    {"d32 max", vgt_texel_d32, {0xFF, 0xFF, 0xFF, 0xFF}, {1.0f, 1.0f, 1.0f, 1.0f}},
    {"d32 zero", vgt_texel_d32, {0, 0, 0, 0}, {0.0f, 0.0f, 0.0f, 1.0f}},
};

static void test_texel_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const texel_case *t = &cases[i];
        float c[4] = {-1.0f, -1.0f, -1.0f, -1.0f};
        t->fn(t->bytes, c);
        for (int k = 0; k < 4; k++) {
            if (c[k] != t->want[k])
                print_error("%s: channel %d is %.9g, want %.9g\n", t->name, k, (double)c[k],
                            (double)t->want[k]);
            assert_true(c[k] == t->want[k]);
        }
    }
}

/* D32's middle: 0x80000000 / 0xFFFFFFFF rounded once from double to float. */
static void test_texel_d32_half(void **state)
{
    (void)state;
    const uint8_t b[4] = {0x00, 0x00, 0x00, 0x80};
    float c[4];
    vgt_texel_d32(b, c);
    float want = (float)(2147483648.0 / 4294967295.0);
    for (int k = 0; k < 3; k++)
        assert_true(c[k] == want);
    assert_true(c[3] == 1.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texel_table),
        cmocka_unit_test(test_texel_d32_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
