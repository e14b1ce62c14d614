#!/usr/bin/env python3
"""Writes fuzz_exec3d's structure-aware seeds (tests/fuzz/corpus/exec3d/st-*).

Each seed is the byte string that tests/fuzz/fuzz_exec3d_gen.h reads: flags
(bit 3 set; bit 0 soft, bit 1 null keeps contents), the guest memory's seed,
the setup byte, operations (op byte and the bytes that operation reads) and
the edits.  The helpers below follow the generator's reading order, so a
seed is a readable command list: a triangle list, indexed strips, shaders
from the generator's assembly (vs/ps 2.0 with a 2D texture, vs/ps 3.0 with a
cube map and 32-bit indices; again with a DXT1 texture), fixed-function lighting, stencil, blend and
alpha test with a texture stage, points with a size, instancing divisors,
clip planes, scissor, copies, queries and destroys, a 4-sample
SURFACE_DEFINE_V2 target with GENERATE_MIPMAPS, ACTIVATE/DEACTIVATE_SURFACE
and BLIT_SURFACE_TO_SCREEN onto a screen, PRESENT_READBACK at 16 and 24
bits (flags bits 4-5), and a triangle with three field edits.  Run it after changing the generator's reading order:
  python3 tests/fuzz/mkseed_exec3d_st.py tests/fuzz/corpus/exec3d
"""
import os
import struct
import sys
def u8(*v): return bytes(v)
def u32(v): return struct.pack('<I', v)
def seed(flags, rng, setup, ops, edits=b'\x00'):
    return u8(flags) + u32(rng) + u8(setup) + b''.join(ops) + edits
def draw(s, decls, ranges): # decls: list of (a,b,dv); ranges (a,b,ix)
    out = u8(0, s, 0)
    for a,b,dv in decls: out += u8(a,b,dv)
    for r in ranges: out += u8(*r)
    return out
def clear(flags, color): # s: n=0 -> (s>>2)%3==0, bit0 clear -> 0; flags (s>>4)&7
    s = (flags << 4)
    while (s >> 2) % 3 != 0 or s & 1: s += 4
    return u8(16, s, 0) + u32(color) + u8(0xFF, 200) + u8(0)  # float sel 0xFF->default range, byte 200; stencil
def rs(pairs):  # op 7
    out = u8(7, 0, len(pairs)-1)
    for st, val in pairs: out += u8(st, (val << 3) | 0)  # case 0: value s>>3
    return out
def present(): return u8(16, 1, 0)   # s=1: present n=0, sid byte 0 -> sid 1
def shader(ps, model, nins, extra):
    s = (1 if ps else 0) | (model << 1) | 0x20
    out = u8(14, s, 0, 0)  # cid 1, shid 0
    return out
seeds = {}
tri = draw(0x00, [(0,0x20,0)], [(0,15,0)])
seeds['st-tri'] = seed(0x09, 1, 0x1F, [clear(7, 0xFF204080), tri, present()])
seeds['st-tri-null'] = seed(0x0A, 1, 0x1F, [clear(7, 0xFF204080), tri, present()])
idx = draw(0x01, [(1,0x20,0),(0x08,0x21,0)], [(4,20,0x01)])  # FLOAT4 pos, color decl ; linestrip? prim 1+4%6=5 strip, indexed 16-bit
seeds['st-indexed'] = seed(0x09, 7, 0x27, [clear(3, 0x00FF00FF), rs([(5,1),(1,1)]), idx, present()])
F = u8(0xFF, 128)  # fg_float: default range, middle
NOPS = 24  # FG_NOPS: the op byte modulo it; ops 18 and 19 with bit 7 set
QUERY = 18 + 5 * NOPS    # 138: a query (18 without bit 7: a context)
DESTROY = 19 + 5 * NOPS  # 139: a destroy (19 without bit 7: a guest word poked)
def sampler(addr, filt, b2, b3, border=0xFF0000FF, sidb=5):  # op 20, stage 0, texture 6
    return u8(20, 0, 0, sidb, addr, filt, b2, b3) + u32(border) + F
def texture(sidb=7, fmt=1):  # fmt: an index into fg_formats (1 A8R8G8B8, 14 DXT1)
    return u8(3, sidb, 0, fmt, 0x20, 15, 15) + u8(4, 0x01, 0, 0, sidb, 0, 15, 15, 0, 0, 0)
def bind(sidb=7, extra=b''):  # op 9: stage 0 bind sid
    n = 1 + len(extra)//3
    return u8(9, 0, n-1, 0x10, 0, sidb) + extra
def ts(name, val): return u8(0, name-1, val << 3)
vs = u8(14, 0x22, 0, 0) + F + F + F + u8(0, 0x40)
ps = u8(14, 0x21, 0, 0) + F + u8(0xFF, 200) + u8(0, 1, 0x01, 0x04, 1)
texdraw = draw(0x02, [(0,0x00,0),(22,0x00,0),(11,0x00,0)], [(0,15,0)])
seeds['st-shaders'] = seed(0x09, 3, 0x1F, [texture(), bind(), vs, ps, clear(7, 0xFF000000), texdraw, present()])
# the same with a 16x16 DXT1 texture: soft decodes its blocks when the draw binds it
seeds['st-dxt1'] = seed(0x09, 3, 0x1F, [texture(fmt=14), bind(), vs, ps, clear(7, 0xFF000000), texdraw, present()])
# vs_3_0 + ps_3_0 with a cube texture; indexed 32-bit
vs3 = u8(14, 0x26, 0, 1) + F + F + F + u8(2, 0x04, 0x05, 0x81, 0x01, 0x40)
ps3 = u8(14, 0x23, 0, 1) + F + F + u8(1, 2, 0x41, 0x25, 0x20, 0x16, 2)
cube = u8(3, 6, 1, 0, 0x20, 7, 7) + u8(4, 0x05, 0, 0, 6, 3, 0, 7, 7, 0, 0, 0, 7, 7, 0, 0, 0)  # sid 7 cube; DMA face 3
seeds['st-shaders3'] = seed(0x09, 4, 0x5C, [cube, bind(6), vs3, ps3, clear(3, 0xFF102030),
    draw(0x02, [(1,0x00,0),(22,0x00,0),(11,0x00,0)], [(0,20,0x03)]), present()])
# fixed function: lighting, material, fog, stencil, blend, alpha test, textured
light = u8(13, 0, 0, 0, 0)     # s=0: light data type 0?  s%3==0, type (s>>2)%6 = 0 -> invalid; use s=0x0C
light = u8(13, 0x0C, 0, 0, 0) + u8(13, 0x04, 0, 0) + u8(13, 0x02, 0) + F*17
ffp_rs = rs([(9,1)]) + rs([(8,1),(38,8)]) + rs([(5,1),(32,5),(33,6)]) + rs([(3,1),(37,5)]) + rs([(35,1),(10,1),(7,1)])
normal_draw = draw(0x02, [(0,0x00,0),(30,0x00,0),(22,0x00,0)], [(4,30,0x01)])
seeds['st-ffp'] = seed(0x09, 5, 0x1F, [texture(), bind(5, ts(2, 4) + ts(12, 2)), light, ffp_rs, clear(7, 0xFF405060), normal_draw, present()])
# points with PSIZE, lines, clip plane, scissor, viewport, instancing, copies, queries, destroys
pts = draw(0x46, [(0,0x00,0x41),(0x24,0x00,0x81),(12,0x00,0x81)], [(1,40,0),(2,30,0x11,5)])
clip = u8(12, 0, 0) + F + F + F + F + rs([(27,1)])
scis = u8(11, 0x01, 0, 4, 4, 40, 20) + rs([(55,1)])
copies = u8(17, 0x00, 0, 5, 0, 0, 8, 8, 2, 2, 0, 0) + u8(17, 0x01, 5, 0, 0, 0, 15, 15, 1, 1, 30, 20) + u8(5, 0x41, 0, 0x10, 0, 0x01, 0, 0, 0, 0) 
vol = u8(3, 8, 2, 0, 0x20, 7, 7, 3) 
destroys = u8(DESTROY, 0, 7) + u8(DESTROY, 2, 0, 0) + u8(DESTROY, 1, 1)
seeds['st-mixed'] = seed(0x09, 6, 0x1F, [texture(), vol, u8(QUERY, 0, 0), clip, scis, clear(7, 0xFF00FF00), pts, u8(QUERY, 1, 0) + u8(QUERY, 2, 0), copies, present(), destroys])
# the triangle with edits: a primitive count, a decl type, a float
MIRRORONCE, BORDER = 5, 4
addr = lambda m: (m - 1) * (1 + 6 + 36)
ps_tex = u8(14, 0x21, 0, 2) + F + u8(0xFF, 200) + u8(0, 0, 1)
seeds['st-sampler-mirroronce'] = seed(0x09, 8, 0x1F, [sampler(addr(MIRRORONCE), 0x2A, 0, 10), vs, ps_tex,
    clear(7, 0xFF000000), texdraw, present()])
seeds['st-sampler-border'] = seed(0x09, 9, 0x1F, [sampler(addr(BORDER), 0x15, 0x05, 0x8A), clear(7, 0xFF000000),
    draw(0x01, [(0,0x00,0),(22,0x00,0)], [(0,20,0)]), present()])
seeds['st-tri-edits'] = seed(0x09, 1, 0x1F, [clear(7, 0xFF204080), tri, present()],
    edits=u8(3) + u8(14, 13, 1, 0) + u32(0x40) + u8(14, 4, 4, 0) + u32(9) + u8(13, 5, 2, 0) + u32(0))

# SURFACE_DEFINE_V2: a 4-sample 64x32 A8R8G8B8 target (sid 7) drawn into,
# then GENERATE_MIPMAPS of the 16x16 texture (linear), ACTIVATE/DEACTIVATE,
# a screen and BLIT_SURFACE_TO_SCREEN of the target scaled onto it
v2 = u8(21, 0x18, 6, 0, 63, 31) + u8(6, 2, 0, 6)
mips = u8(22, 0x09, 5) + u8(22, 1, 6) + u8(22, 2, 6)
screen = u8(23, 0x44, 63, 47, 0, 0)  # screen 2, primary
blit = u8(23, 1, 6, 0) + u8(0, 0, 63, 31, 3) + u8(131) + u8(0, 0, 31, 19, 3)
seeds['st-v2-mipmaps'] = seed(0x09, 10, 0x1F, [v2, clear(7, 0xFF336699), tri, mips, screen, blit])
# PRESENT_READBACK into a 16-bit and a 24-bit legacy framebuffer (flags
# bits 4-5): the whole screen, then one rectangle
readback = u8(23, 0) + u8(23, 0x06, 8, 8, 32, 24)
seeds['st-readback16'] = seed(0x19, 11, 0x1F, [clear(7, 0xFF204080), tri, present(), readback])
seeds['st-readback24'] = seed(0x39, 12, 0x1F, [clear(7, 0xFF804020), tri, present(), readback])

out = sys.argv[1] if len(sys.argv) > 1 else "."
for k, v in seeds.items():
    with open(os.path.join(out, k), "wb") as f:
        f.write(v)
