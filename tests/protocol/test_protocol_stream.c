/* test_protocol_stream.c - a hand-built FIFO stream holding every command of
 * the table goes through vgt_cmd_length, vgt_cmd_decode and vgt_cmd_print;
 * decoded fields and printed lines are checked, and the test fails when a
 * table row has no sample here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vgt_protocol.h"

typedef struct stream {
    uint32_t w[2048];
    uint32_t n;
} stream;

static void put(stream *s, uint32_t v)
{
    assert_true(s->n < sizeof(s->w) / sizeof(s->w[0]));
    s->w[s->n++] = v;
}

static void putf(stream *s, float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    put(s, v);
}

static void putn(stream *s, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        put(s, va_arg(ap, uint32_t));
    }
    va_end(ap);
}

#define PUT(s, ...) putn((s), (int)(sizeof((uint32_t[]){__VA_ARGS__}) / 4), __VA_ARGS__)

/* Starts a 3D command; returns its first word's index for end3d. */
static uint32_t begin3d(stream *s, uint32_t id)
{
    uint32_t at = s->n;
    put(s, id);
    put(s, 0);
    return at;
}

static void end3d(stream *s, uint32_t at)
{
    s->w[at + 1] = (s->n - at - 2) * 4u;
}

/* Every command of the table, in an order a guest might use. */
static void build(stream *s)
{
    uint32_t at;
    memset(s, 0, sizeof(*s));
    /* ---- 2D ---- */
    PUT(s, VGT_SVGA_CMD_UPDATE, 0, 0, 640, 480);
    PUT(s, VGT_SVGA_CMD_RECT_COPY, 0, 0, 10, 10, 100, 50);
    PUT(s, VGT_SVGA_CMD_DEFINE_CURSOR, 0, 1, 2, 3, 2, 1, 32, /* masks: */ 0xE0000000u, 0xA0000000u,
        1, 2, 3, 4, 5, 6);
    PUT(s, VGT_SVGA_CMD_DEFINE_ALPHA_CURSOR, 0, 0, 0, 2, 1, 0xFFFF0000u, 0x80808080u);
    PUT(s, VGT_SVGA_CMD_UPDATE_VERBOSE, 1, 2, 3, 4, 0x55);
    PUT(s, VGT_SVGA_CMD_FRONT_ROP_FILL, 0x00FF00, 5, 6, 7, 8, VGT_SVGA_ROP_COPY);
    PUT(s, VGT_SVGA_CMD_FENCE, 7);
    PUT(s, VGT_SVGA_CMD_ESCAPE, 0x00010000u, 6, 0x64636261u, 0x6665u);
    PUT(s, VGT_SVGA_CMD_DEFINE_SCREEN, 44, 0,
        VGT_SVGA_SCREEN_MUST_BE_SET | VGT_SVGA_SCREEN_IS_PRIMARY, 1024, 768, 0, 0,
        VGT_SVGA_GMR_FRAMEBUFFER, 0, 4096, 0);
    PUT(s, VGT_SVGA_CMD_DESTROY_SCREEN, 1);
    PUT(s, VGT_SVGA_CMD_DEFINE_GMRFB, 2, 0, 4096, VGT_SVGA_GMRFB_FORMAT(32, 24));
    PUT(s, VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 10, 20, 110, 70, 0);
    PUT(s, VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 0, 0, 0, 16, 16, 0);
    PUT(s, VGT_SVGA_CMD_ANNOTATION_FILL, 0x00336699);
    PUT(s, VGT_SVGA_CMD_ANNOTATION_COPY, 4, 4, VGT_SVGA_ID_INVALID);
    PUT(s, VGT_SVGA_CMD_DEFINE_GMR2, 3, 16);
    PUT(s, VGT_SVGA_CMD_REMAP_GMR2, 3, 0, 0, 2, 0x1000, 0x1001);

    /* ---- 3D ---- */
    at = begin3d(s, VGT_SVGA3D_CMD_SURFACE_DEFINE);
    PUT(s, 1, 0, VGT_SVGA3D_A8R8G8B8, 2, 0, 0, 0, 0, 0, 64, 32, 1, 32, 16, 1);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SURFACE_DEFINE_V2);
    PUT(s, 2, VGT_SVGA3D_SURFACE_CUBEMAP, VGT_SVGA3D_X8R8G8B8, 1, 1, 1, 1, 1, 1, 0,
        VGT_SVGA3D_TEX_FILTER_LINEAR);
    for (int f = 0; f < 6; f++) {
        PUT(s, 16, 16, 1);
    }
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_CONTEXT_DEFINE);
    PUT(s, 1);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SURFACE_DMA);
    PUT(s, 2, 0, 0, /* host */ 1, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    PUT(s, 0, 0, 0, 64, 32, 1, 0, 0, 0);
    PUT(s, 12, 8191, VGT_SVGA3D_DMA_FLAG_DISCARD); /* suffix */
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SURFACE_COPY);
    PUT(s, 1, 0, 0, 2, 0, 0);
    PUT(s, 1, 2, 0, 3, 4, 1, 5, 6, 0);
    PUT(s, 0, 0, 0, 1, 1, 1, 0, 0, 0);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SURFACE_STRETCHBLT);
    PUT(s, 1, 0, 0, 2, 0, 1, 0, 0, 0, 64, 32, 1, 0, 0, 0, 8, 8, 1, VGT_SVGA3D_STRETCH_BLT_LINEAR);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETTRANSFORM);
    PUT(s, 1, VGT_SVGA3D_TRANSFORM_PROJECTION);
    for (int i = 0; i < 16; i++) {
        putf(s, i % 5 == 0 ? 1.0f : 0.0f);
    }
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETZRANGE);
    put(s, 1);
    putf(s, 0.0f);
    putf(s, 1.0f);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETRENDERSTATE);
    PUT(s, 1, VGT_SVGA3D_RS_ZENABLE, 1, VGT_SVGA3D_RS_SRCBLEND, VGT_SVGA3D_BLENDOP_SRCALPHA,
        VGT_SVGA3D_RS_ZFUNC, VGT_SVGA3D_CMP_LESSEQUAL, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_BACK,
        VGT_SVGA3D_RS_FILLMODE,
        VGT_SVGA3D_FILLMODE(VGT_SVGA3D_FILLMODE_LINE, VGT_SVGA3D_FACE_FRONT_BACK));
    put(s, VGT_SVGA3D_RS_FOGSTART);
    putf(s, 0.5f);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETRENDERTARGET);
    PUT(s, 1, VGT_SVGA3D_RT_COLOR0, 1, 0, 0);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETTEXTURESTATE);
    PUT(s, 1, 0, VGT_SVGA3D_TS_BIND_TEXTURE, 1, 0, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE, 0,
        VGT_SVGA3D_TS_COLORARG1, VGT_SVGA3D_TA_TEXTURE | VGT_SVGA3D_TM_ALPHA, 1,
        VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_LINEAR);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETMATERIAL);
    PUT(s, 1, VGT_SVGA3D_FACE_FRONT_BACK);
    for (int i = 0; i < 16; i++) {
        putf(s, 0.25f);
    }
    putf(s, 8.0f);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETLIGHTDATA);
    PUT(s, 1, 0, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL, 1);
    for (int i = 0; i < 27; i++) {
        putf(s, 1.0f);
    }
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETLIGHTENABLED);
    PUT(s, 1, 0, 1);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETVIEWPORT);
    PUT(s, 1, 0, 0, 64, 32);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETCLIPPLANE);
    PUT(s, 1, 2);
    putf(s, 0.0f);
    putf(s, 1.0f);
    putf(s, 0.0f);
    putf(s, -2.5f);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SETSCISSORRECT);
    PUT(s, 1, 4, 4, 8, 8);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_CLEAR);
    PUT(s, 1, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xFF000080u);
    putf(s, 1.0f);
    PUT(s, 0, /* rect */ 0, 0, 64, 32);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SHADER_DEFINE);
    PUT(s, 1, 7, VGT_SVGA3D_SHADERTYPE_VS, 0xFFFE0200u, 0x0000FFFFu);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SET_SHADER);
    PUT(s, 1, VGT_SVGA3D_SHADERTYPE_VS, 7);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SET_SHADER_CONST);
    PUT(s, 1, 4, VGT_SVGA3D_SHADERTYPE_VS, VGT_SVGA3D_CONST_TYPE_FLOAT);
    putf(s, 1.0f);
    putf(s, 0.5f);
    putf(s, 0.25f);
    putf(s, -1.0f);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    PUT(s, 1, 2, 1);
    PUT(s, VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLMETHOD_DEFAULT, VGT_SVGA3D_DECLUSAGE_POSITION,
        0, 3, 0, 24, 0, 0);
    PUT(s, VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLMETHOD_DEFAULT, VGT_SVGA3D_DECLUSAGE_COLOR,
        0, 3, 12, 24, 0, 0);
    PUT(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 4, 0, 2, 2, 0);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_BEGIN_QUERY);
    PUT(s, 1, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_END_QUERY);
    PUT(s, 1, VGT_SVGA3D_QUERYTYPE_OCCLUSION, 5, 256);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_WAIT_FOR_QUERY);
    PUT(s, 1, VGT_SVGA3D_QUERYTYPE_OCCLUSION, 5, 256);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_GENERATE_MIPMAPS);
    PUT(s, 1, VGT_SVGA3D_TEX_FILTER_LINEAR);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_PRESENT);
    PUT(s, 1, 0, 0, 64, 32, 0, 0);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_PRESENT_READBACK);
    PUT(s, 0, 0, 64, 32);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN);
    PUT(s, 1, 0, 0, 0, 0, 64, 32, 0, 100, 100, 164, 132, /* clip */ 0, 0, 32, 32);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_DEACTIVATE_SURFACE);
    PUT(s, 1);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_ACTIVATE_SURFACE);
    PUT(s, 1);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SHADER_DESTROY);
    PUT(s, 1, 7, VGT_SVGA3D_SHADERTYPE_VS);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_CONTEXT_DESTROY);
    PUT(s, 1);
    end3d(s, at);
    at = begin3d(s, VGT_SVGA3D_CMD_SURFACE_DESTROY);
    PUT(s, 1);
    end3d(s, at);
}

/* What one command of the stream decoded to and printed. */
typedef struct seen {
    uint32_t id;
    uint32_t at;
    uint32_t nwords;
    char line[512];
    char verbose[2048];
} seen;

static seen g_seen[128];
static uint32_t g_nseen;
static stream g_stream;

/* Walks the stream as the FIFO consumer would: grows the window until the
 * length is known, then decodes exactly that many words. */
static void walk(void)
{
    build(&g_stream);
    g_nseen = 0;
    uint32_t pos = 0;
    while (pos < g_stream.n) {
        uint32_t avail = 1, total = 0;
        vgt_error err = {0};
        vgt_status st;
        while ((st = vgt_cmd_length(g_stream.w + pos, avail, &total, &err)) == VGT_E_TRUNCATED) {
            assert_true(total > avail);
            avail = total;
            assert_true(pos + avail <= g_stream.n);
        }
        if (st != VGT_OK) {
            fail_msg("length at word %u: %s", pos, err.message);
        }
        assert_true(pos + total <= g_stream.n);
        vgt_cmd cmd;
        st = vgt_cmd_decode(g_stream.w + pos, total, &cmd, &err);
        if (st != VGT_OK) {
            fail_msg("decode at word %u: %s", pos, err.message);
        }
        seen *s = &g_seen[g_nseen++];
        s->id = cmd.id;
        s->at = pos;
        s->nwords = total;
        assert_int_equal(vgt_cmd_format(s->line, sizeof(s->line), &cmd, false), VGT_OK);
        assert_int_equal(vgt_cmd_format(s->verbose, sizeof(s->verbose), &cmd, true), VGT_OK);
        pos += total;
    }
    assert_int_equal(pos, g_stream.n);
}

static const seen *find(uint32_t id)
{
    for (uint32_t i = 0; i < g_nseen; i++) {
        if (g_seen[i].id == id) {
            return &g_seen[i];
        }
    }
    return NULL;
}

static void decode_at(uint32_t id, vgt_cmd *cmd)
{
    const seen *s = find(id);
    assert_non_null(s);
    assert_int_equal(vgt_cmd_decode(g_stream.w + s->at, s->nwords, cmd, NULL), VGT_OK);
}

static void test_every_table_row_has_a_sample(void **state)
{
    (void)state;
    walk();
    size_t n = 0;
    const vgt_cmd_desc *t = vgt_cmd_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (!find(t[i].id)) {
            fail_msg("command %s (%u) has no sample in the test stream", t[i].name, t[i].id);
        }
    }
    assert_int_equal(g_nseen, n);
    if (getenv("VGT_PRINT_STREAM")) {
        for (uint32_t i = 0; i < g_nseen; i++) {
            printf("%s\n%s\n", g_seen[i].line, g_seen[i].verbose);
        }
    }
}

static void expect_line(uint32_t id, const char *line)
{
    const seen *s = find(id);
    assert_non_null(s);
    assert_string_equal(s->line, line);
}

static void expect_verbose(uint32_t id, const char *line)
{
    const seen *s = find(id);
    assert_non_null(s);
    assert_string_equal(s->verbose, line);
}

static void test_printed_lines(void **state)
{
    (void)state;
    walk();
    expect_line(VGT_SVGA_CMD_UPDATE, "UPDATE x=0 y=0 w=640 h=480");
    expect_line(VGT_SVGA_CMD_DEFINE_CURSOR,
                "DEFINE_CURSOR hotspot=1,2 size=3x2 and_depth=1 xor_depth=32 mask_words=2+6");
    expect_line(VGT_SVGA_CMD_DEFINE_SCREEN,
                "DEFINE_SCREEN id=0 flags=MUST_BE_SET|IS_PRIMARY size=1024x768 root=0,0 "
                "backing=4294967294:0 pitch=4096 clone_count=0 struct_size=44");
    expect_line(VGT_SVGA_CMD_ANNOTATION_COPY, "ANNOTATION_COPY src=4,4 screen=none");
    expect_line(VGT_SVGA_CMD_REMAP_GMR2,
                "REMAP_GMR2 gmr=3 flags=0 offset_pages=0 num_pages=2 ppns=2");
    expect_verbose(VGT_SVGA_CMD_REMAP_GMR2,
                   "REMAP_GMR2 gmr=3 flags=0 offset_pages=0 num_pages=2 ppns=[00001000 00001001]");
    expect_line(VGT_SVGA3D_CMD_SURFACE_DEFINE,
                "SURFACE_DEFINE sid=1 flags=0 format=A8R8G8B8 mips=2,0,0,0,0,0 size=64x32x1 "
                "sizes=2");
    expect_verbose(VGT_SVGA3D_CMD_SURFACE_DEFINE,
                   "SURFACE_DEFINE sid=1 flags=0 format=A8R8G8B8 mips=2,0,0,0,0,0 "
                   "sizes=[64x32x1 32x16x1]");
    expect_line(VGT_SVGA3D_CMD_SURFACE_DEFINE_V2,
                "SURFACE_DEFINE_V2 sid=2 flags=CUBEMAP format=X8R8G8B8 mips=1,1,1,1,1,1 "
                "multisample=0 autogen_filter=LINEAR size=16x16x1 sizes=6");
    expect_line(VGT_SVGA3D_CMD_SURFACE_DMA,
                "SURFACE_DMA guest=2:0 pitch=0 host=1/0/0 transfer=WRITE_HOST_VRAM boxes=1 "
                "max_offset=8191 dma_flags=DISCARD");
    expect_verbose(VGT_SVGA3D_CMD_SURFACE_DMA,
                   "SURFACE_DMA guest=2:0 pitch=0 host=1/0/0 transfer=WRITE_HOST_VRAM "
                   "boxes=[{dst=0,0,0 size=64x32x1 src=0,0,0}] max_offset=8191 "
                   "dma_flags=DISCARD");
    expect_line(VGT_SVGA3D_CMD_SURFACE_COPY, "SURFACE_COPY src=1/0/0 dst=2/0/0 boxes=2");
    expect_line(VGT_SVGA3D_CMD_SETTRANSFORM, "SETTRANSFORM cid=1 type=PROJECTION");
    expect_line(VGT_SVGA3D_CMD_SETRENDERSTATE,
                "SETRENDERSTATE cid=1 states=[ZENABLE=1 SRCBLEND=SRCALPHA ZFUNC=LESSEQUAL "
                "CULLMODE=BACK FILLMODE=LINE/FRONT_BACK FOGSTART=0.5]");
    expect_line(VGT_SVGA3D_CMD_SETTEXTURESTATE,
                "SETTEXTURESTATE cid=1 states=[0:BIND_TEXTURE=1 0:COLOROP=MODULATE "
                "0:COLORARG1=TEXTURE|ALPHA 1:MINFILTER=LINEAR]");
    expect_line(VGT_SVGA3D_CMD_SETRENDERTARGET, "SETRENDERTARGET cid=1 type=COLOR0 target=1/0/0");
    expect_line(VGT_SVGA3D_CMD_CLEAR,
                "CLEAR cid=1 flags=COLOR|DEPTH color=0xff000080 depth=1 stencil=0 rects=1");
    expect_line(VGT_SVGA3D_CMD_SHADER_DEFINE, "SHADER_DEFINE cid=1 shid=7 type=VS bytecode=2");
    expect_verbose(VGT_SVGA3D_CMD_SHADER_DEFINE,
                   "SHADER_DEFINE cid=1 shid=7 type=VS bytecode=[fffe0200 0000ffff]");
    expect_line(VGT_SVGA3D_CMD_SET_SHADER_CONST,
                "SET_SHADER_CONST cid=1 reg=4 type=VS ctype=FLOAT values=(1,0.5,0.25,-1)");
    expect_line(VGT_SVGA3D_CMD_DRAW_PRIMITIVES,
                "DRAW_PRIMITIVES cid=1 decls=2 ranges=[{TRIANGLELIST count=2 index=sid:4 "
                "offset=0 stride=2 width=2}]");
    expect_verbose(VGT_SVGA3D_CMD_DRAW_PRIMITIVES,
                   "DRAW_PRIMITIVES cid=1 decls=[{POSITION0 FLOAT3 sid=3 offset=0 stride=24} "
                   "{COLOR0 D3DCOLOR sid=3 offset=12 stride=24}] ranges=[{TRIANGLELIST count=2 "
                   "index=sid:4 offset=0 stride=2 width=2}]");
    expect_line(VGT_SVGA3D_CMD_SETCLIPPLANE, "SETCLIPPLANE cid=1 index=2 plane=(0,1,0,-2.5)");
    expect_line(VGT_SVGA3D_CMD_END_QUERY, "END_QUERY cid=1 type=OCCLUSION result=5:256");
    expect_line(VGT_SVGA3D_CMD_PRESENT_READBACK, "PRESENT_READBACK rects=1");
    expect_line(VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN,
                "BLIT_SURFACE_TO_SCREEN src=1/0/0 src_rect=(0,0)-(64,32) screen=0 "
                "dst_rect=(100,100)-(164,132) clip_rects=1");
    expect_line(VGT_SVGA3D_CMD_GENERATE_MIPMAPS, "GENERATE_MIPMAPS sid=1 filter=LINEAR");
    expect_line(VGT_SVGA3D_CMD_SURFACE_DESTROY, "SURFACE_DESTROY sid=1");
}

static void test_decoded_3d_fields(void **state)
{
    (void)state;
    walk();
    vgt_cmd c;

    decode_at(VGT_SVGA3D_CMD_SURFACE_DEFINE, &c);
    assert_int_equal(c.u.surface_define.sid, 1);
    assert_int_equal(c.u.surface_define.format, VGT_SVGA3D_A8R8G8B8);
    assert_int_equal(c.u.surface_define.face_mip_levels[0], 2);
    assert_int_equal(c.items.count, 2);
    vgt_svga3d_size sz;
    vgt_cmd_array_get(&c.items, 1, &sz);
    assert_int_equal(sz.width, 32);
    assert_int_equal(sz.height, 16);
    assert_int_equal(sz.depth, 1);

    decode_at(VGT_SVGA3D_CMD_SURFACE_DEFINE_V2, &c);
    assert_int_equal(c.items.count, 6);
    assert_int_equal(c.u.surface_define_v2.autogen_filter, VGT_SVGA3D_TEX_FILTER_LINEAR);

    decode_at(VGT_SVGA3D_CMD_SURFACE_DMA, &c);
    assert_int_equal(c.u.surface_dma.guest.ptr.gmr_id, 2);
    assert_int_equal(c.u.surface_dma.host.sid, 1);
    assert_int_equal(c.u.surface_dma.transfer, VGT_SVGA3D_WRITE_HOST_VRAM);
    assert_int_equal(c.items.count, 1);
    assert_true(c.has_dma_suffix);
    assert_int_equal(c.dma_suffix.suffix_size, 12);
    assert_int_equal(c.dma_suffix.maximum_offset, 8191);
    assert_int_equal(c.dma_suffix.flags, VGT_SVGA3D_DMA_FLAG_DISCARD);
    vgt_svga3d_copy_box box;
    vgt_cmd_array_get(&c.items, 0, &box);
    assert_int_equal(box.w, 64);
    assert_int_equal(box.h, 32);
    assert_int_equal(box.d, 1);

    decode_at(VGT_SVGA3D_CMD_SURFACE_COPY, &c);
    assert_int_equal(c.u.surface_copy.dest.sid, 2);
    assert_int_equal(c.items.count, 2);
    vgt_cmd_array_get(&c.items, 0, &box);
    assert_int_equal(box.x, 1);
    assert_int_equal(box.srcy, 6);

    decode_at(VGT_SVGA3D_CMD_SURFACE_STRETCHBLT, &c);
    assert_int_equal(c.u.surface_stretchblt.dest.mipmap, 1);
    assert_int_equal(c.u.surface_stretchblt.box_dest.w, 8);
    assert_int_equal(c.u.surface_stretchblt.mode, VGT_SVGA3D_STRETCH_BLT_LINEAR);

    decode_at(VGT_SVGA3D_CMD_SETTRANSFORM, &c);
    assert_true(c.u.settransform.matrix[0] == 1.0f);
    assert_true(c.u.settransform.matrix[1] == 0.0f);
    assert_true(c.u.settransform.matrix[15] == 1.0f);

    decode_at(VGT_SVGA3D_CMD_SETZRANGE, &c);
    assert_true(c.u.setzrange.zrange.max == 1.0f);

    decode_at(VGT_SVGA3D_CMD_SETRENDERSTATE, &c);
    assert_int_equal(c.items.count, 6);
    vgt_svga3d_render_state_pair rs;
    vgt_cmd_array_get(&c.items, 1, &rs);
    assert_int_equal(rs.state, VGT_SVGA3D_RS_SRCBLEND);
    assert_int_equal(rs.value, VGT_SVGA3D_BLENDOP_SRCALPHA);

    decode_at(VGT_SVGA3D_CMD_SETTEXTURESTATE, &c);
    assert_int_equal(c.items.count, 4);
    vgt_svga3d_texture_state_entry ts;
    vgt_cmd_array_get(&c.items, 3, &ts);
    assert_int_equal(ts.stage, 1);
    assert_int_equal(ts.name, VGT_SVGA3D_TS_MINFILTER);

    decode_at(VGT_SVGA3D_CMD_SETMATERIAL, &c);
    assert_true(c.u.setmaterial.material.shininess == 8.0f);
    assert_true(c.u.setmaterial.material.emissive[3] == 0.25f);

    decode_at(VGT_SVGA3D_CMD_SETLIGHTDATA, &c);
    assert_int_equal(c.u.setlightdata.data.type, VGT_SVGA3D_LIGHTTYPE_DIRECTIONAL);
    assert_true(c.u.setlightdata.data.phi == 1.0f);

    decode_at(VGT_SVGA3D_CMD_CLEAR, &c);
    assert_int_equal(c.u.clear.clear_flag, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH);
    assert_true(c.u.clear.depth == 1.0f);
    assert_int_equal(c.items.count, 1);

    decode_at(VGT_SVGA3D_CMD_SHADER_DEFINE, &c);
    assert_int_equal(c.data_words, 2);
    assert_int_equal(c.data[0], 0xFFFE0200u);
    assert_int_equal(c.items.count, 2);

    decode_at(VGT_SVGA3D_CMD_DRAW_PRIMITIVES, &c);
    assert_int_equal(c.items.count, 2);
    assert_int_equal(c.ranges.count, 1);
    assert_int_equal(c.divisors.count, 0);
    vgt_svga3d_vertex_decl decl;
    vgt_cmd_array_get(&c.items, 1, &decl);
    assert_int_equal(decl.usage, VGT_SVGA3D_DECLUSAGE_COLOR);
    assert_int_equal(decl.array.offset, 12);
    vgt_svga3d_primitive_range pr;
    vgt_cmd_array_get(&c.ranges, 0, &pr);
    assert_int_equal(pr.prim_type, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST);
    assert_int_equal(pr.primitive_count, 2);
    assert_int_equal(pr.index_array.surface_id, 4);

    decode_at(VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN, &c);
    assert_int_equal(c.u.blit_surface_to_screen.dest_rect.right, 164);
    assert_int_equal(c.items.count, 1);
    vgt_svga_signed_rect clip;
    vgt_cmd_array_get(&c.items, 0, &clip);
    assert_int_equal(clip.right, 32);

    decode_at(VGT_SVGA3D_CMD_PRESENT, &c);
    assert_int_equal(c.u.present.sid, 1);
    vgt_svga3d_copy_rect cr;
    vgt_cmd_array_get(&c.items, 0, &cr);
    assert_int_equal(cr.w, 64);

    decode_at(VGT_SVGA3D_CMD_WAIT_FOR_QUERY, &c);
    assert_int_equal(c.u.wait_for_query.guest_result.offset, 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_row_has_a_sample),
        cmocka_unit_test(test_printed_lines),
        cmocka_unit_test(test_decoded_3d_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
