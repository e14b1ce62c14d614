/* make_ctab_trace OUT: captures (soft) one frame of a guest that defines
 * the shaders a Windows driver sends: the VMware SVGA developer kit's
 * simple_vs and simple_ps as Microsoft's compiler wrote them (a CTAB
 * comment block after the version token), the vertex shader with two
 * words after its end token, the pixel shader with a second comment block
 * between two instructions and one word after its end token.  For
 * cli_shader.sh: `vgt shader extract` must write .asm files that assemble
 * back into these .bin files byte for byte.  The words go into
 * SHADER_DEFINE as they are (no assembler on the way: the test must not
 * take its input from the code it checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit_shaders.h"
#include "capture_tool_main.h"

enum { CID = 1, SID_COLOR = 1, SID_DEPTH = 2, VS_ID = 7, PS_ID = 9, SIZE = 16 };

/* Words of the pixel shader: simple_ps with an extra comment block before
 * its last instruction, then one word after the end token. */
#define PS_EXTRA 4u

static void define(vgt_drv *drv, uint32_t type, uint32_t shid, const uint32_t *w, size_t n)
{
    uint32_t *c = vgt_drv3d_reserve(drv, VGT_SVGA3D_CMD_SHADER_DEFINE, (uint32_t)(12 + n * 4));
    if (c) {
        c[0] = CID;
        c[1] = shid;
        c[2] = type;
        memcpy(c + 3, w, n * 4);
        vgt_drv_fifo_commit_all(drv);
    }
}

static int guest_main(vgt_guest *guest, void *arg)
{
    (void)arg;
    vgt_drv drv;
    memset(&drv, 0, sizeof(drv));
    if (!vgt_drv3d_start(&drv, guest, "make_ctab_trace", 64, 48, false)) {
        return 2;
    }
    vgt_drv3d_define_screen_targets(&drv, SID_COLOR, SID_DEPTH, SIZE, SIZE);
    vgt_drv3d_setup_context(&drv, CID, SID_COLOR, SID_DEPTH, SIZE, SIZE);

    const size_t nvs = sizeof(kit_simple_vs) / 4, nps = sizeof(kit_simple_ps) / 4;
    uint32_t vs[sizeof(kit_simple_vs) / 4 + 2];
    memcpy(vs, kit_simple_vs, sizeof(kit_simple_vs));
    vs[nvs] = 0x0000ffff; /* an end token's twin after the end: data, not code */
    vs[nvs + 1] = 0xdeadbeef;
    define(&drv, VGT_SVGA3D_SHADERTYPE_VS, VS_ID, vs, nvs + 2);

    /* simple_ps ends with "mov oC0, r0" (3 tokens) and the end token: the
     * comment goes before that mov. */
    uint32_t ps[sizeof(kit_simple_ps) / 4 + PS_EXTRA];
    const size_t at = nps - 4;
    memcpy(ps, kit_simple_ps, at * 4);
    ps[at] = 0x0002fffe; /* a comment of two words: "vgt test" */
    ps[at + 1] = 0x20746776;
    ps[at + 2] = 0x74736574;
    memcpy(ps + at + 3, kit_simple_ps + at, 4 * 4);
    ps[nps + 3] = 0x00000001;
    define(&drv, VGT_SVGA3D_SHADERTYPE_PS, PS_ID, ps, nps + PS_EXTRA);

    vgt_drv3d_set_shader(&drv, CID, VGT_SVGA3D_SHADERTYPE_VS, VS_ID);
    vgt_drv3d_set_shader(&drv, CID, VGT_SVGA3D_SHADERTYPE_PS, PS_ID);
    vgt_drv3d_clear(&drv, CID, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0xff000000u, 1.0f,
                    0, NULL, 0);
    vgt_drv3d_present(&drv, SID_COLOR, NULL, 0);
    vgt_drv_sync_to_fence(&drv, vgt_drv_insert_fence(&drv));
    return vgt_drv_sample_exit(&drv, "make_ctab_trace", false);
}

int main(int argc, char **argv)
{
    return capture_tool_main("make_ctab_trace", argc, argv, guest_main);
}
