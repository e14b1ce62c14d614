#!/bin/sh
# vgt pixel: the history of one pixel in a frame, read back after every
# command: the cube's CLEAR and draw on soft (exact values, the surface the
# frame presents, the display after PRESENT), its first frame, a background
# pixel no command changes, JSON, 2d-demo's display (RECT_COPY), gl when
# built, and the usage and data errors; the fragments the soft probe
# records under each draw (the cube's front face written and a back face
# culled, lit's torus behind the other failing the depth test), under each
# CLEAR (the value cleared), under pixel-shader draws (shaders' oC0,
# deferred's G-buffer target COLOR1: its oC1), on the depth buffer (cube,
# lit, shaders: the depth each fragment tested and left), floor's pixel of
# a quad the near plane clips (no clipped fragment where a piece covers)
# and gl's probe finding the same fragments (instanced's instances too).
# The planes that clipped a fragment, named (make_clip_trace's frame: near,
# far, user plane 2, the far plane and user plane 0), on soft and gl.
# Usage: cli_pixel.sh VGT TMPDIR MAKE_CLIP_TRACE
set -u
VGT=$1
T=$2
MKCLIP=$3
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
# has LINE: the output holds LINE with its spaces squeezed
has() { tr -s ' ' <"$T/out.txt" | grep -qxF "$1" || fail "no line '$1' in: $(cat "$T/out.txt")"; }

expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt"
# frame 5's centre: the CLEAR, then the cube drawn over it (soft, exact)
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240
has "pixel (320,240) of surface 1 face 0 mip 0 (640x480 X8R8G8B8, the surface the frame shows), guest frame 5, soft backend"
has " start of the frame argb ff9b7200 bytes 00 72 9b ff"
has " seq 44 CLEAR argb ff203040 bytes 40 30 20 ff"
has " seq 45 DRAW_PRIMITIVES argb ffa27200 bytes 00 72 a2 ff"
has " end of the frame argb ffa27200 bytes 00 72 a2 ff"
has "2 of the frame's 5 commands changed it"
[ "$(grep -c '^  seq ' "$T/out.txt")" -eq 2 ] || fail "more than two changes: $(cat "$T/out.txt")"
# the fragments there (the fragment probe, soft): the CLEAR's colour, the
# draw's front face (primitive 1 of the 12), its colour before blending and
# depth, written over the CLEAR's depth, and the back face behind it
# (primitive 3), culled before rasterizing
has " cleared: rgba 0.1255 0.1882 0.2510 1.0000, stored rgba 0.1255 0.1882 0.2510 1.0000"
has " range 0 primitive 1: rgba 0.6340 0.4456 0.0000 1.0000 z 0.830458 written (z d498ea vs the buffer's ffffff), after blending rgba 0.6353 0.4471 0.0000 1.0000"
has " range 0 primitive 3: culled (back face)"
[ "$(grep -c '^      range ' "$T/out.txt")" -eq 2 ] || fail "not two draw fragments: $(cat "$T/out.txt")"
[ "$(grep -c '^      cleared: ' "$T/out.txt")" -eq 1 ] || fail "not one CLEAR fragment: $(cat "$T/out.txt")"
has "0 more touched it without changing it"
cp "$T/out.txt" "$T/full5.txt"
# a capture started at frame 5: its snapshot gives the frame's start, and the
# history is the full capture's
expect 0 "$VGT" run cube --frames 12 --capture "$T/m.vgt" --capture-start 5
expect 0 "$VGT" pixel "$T/m.vgt" --frame 5 --at 320,240
cmp -s "$T/out.txt" "$T/full5.txt" || fail "mid-run capture's history: $(cat "$T/out.txt")"
# the same pixel of the display: only PRESENT shows the surface, same value
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --display
has "pixel (320,240) of the display, guest frame 5, soft backend"
has " seq 46 PRESENT argb ffa27200"
has "1 of the frame's 5 commands changed it"
# the surface named: the same history, not called the one the frame shows
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --surface 1/0/0
has "pixel (320,240) of surface 1 face 0 mip 0 (640x480 X8R8G8B8), guest frame 5, soft backend"
has " seq 45 DRAW_PRIMITIVES argb ffa27200 bytes 00 72 a2 ff"
# lit: where the two tori overlap, the second draw's fragment loses the
# depth test: the draw is listed as touching the pixel, not changing it
expect 0 "$VGT" run lit --frames 3 --capture "$T/l.vgt"
expect 0 "$VGT" pixel "$T/l.vgt" --frame 2 --at 350,300
has " seq 45 DRAW_PRIMITIVES argb ff58441c bytes 1c 44 58 ff"
has " range 0 primitive 2730: rgba 0.3467 0.2671 0.1117 1.0000 z 0.839220 written (z d6d71c vs the buffer's ffffff), after blending rgba 0.3451 0.2667 0.1098 1.0000"
has " range 0 primitive 2744: culled (back face)"
has " seq 48 DRAW_PRIMITIVES (touched, not changed)"
has " range 0 primitive 826: rgba 0.0514 0.0827 0.2194 1.0000 z 0.900355 depth test failed (z e67dae vs the buffer's d6d71c)"
has "2 of the frame's 10 commands changed it"
has "1 more touched it without changing it"
# lit's depth buffer there: the second torus's fragment tested and failed
expect 0 "$VGT" pixel "$T/l.vgt" --frame 2 --at 350,300 --surface 2
has " range 0 primitive 2730: z 0.839220 passed (z d6d71c vs the buffer's ffffff), depth now d6d71c"
has " seq 48 DRAW_PRIMITIVES (touched, not changed)"
has " range 0 primitive 826: z 0.900355 depth test failed (z e67dae vs the buffer's d6d71c)"
expect 0 "$VGT" pixel "$T/l.vgt" --frame 2 --at 350,300 --json
tr -d ' \n' <"$T/out.txt" >"$T/j.txt"
grep -qF '"changed":false,"fragments":[{"range":0,"instance":0,"primitive":823,"fate":"culledbackface"},{"range":0,"instance":0,"primitive":826,"fate":"depthtest","color":[0.0513726,0.0827451,0.219412,1],"z":0.900355279,"z_quant":15105454,"z_buffer":14079772,"target":0,"write_mask":15,"blend":false,"shader":false,"z_written":false}],"fragments_dropped":0}' "$T/j.txt" ||
    fail "json depth-failed fragment: $(cat "$T/j.txt")"
grep -qF '"fragments_recorded":true,"commands":10,"changed":2,' "$T/j.txt" || fail "json head: $(cat "$T/j.txt")"
# a background pixel: the CLEAR writes what was there, so nothing changes
# it; the CLEAR touched it
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 10,10
has " start of the frame argb ff203040 bytes 40 30 20 ff"
has " seq 44 CLEAR (touched, not changed)"
has " cleared: rgba 0.1255 0.1882 0.2510 1.0000, stored rgba 0.1255 0.1882 0.2510 1.0000"
has "0 of the frame's 5 commands changed it"
has "1 more touched it without changing it"
# the first frame: its first command is a FENCE, which runs nothing, so
# the start is what follows it: no surface yet; the surface comes into being
expect 0 "$VGT" pixel "$T/c.vgt" --frame 0 --at 320,240
has " start of the frame (no image)"
has " seq 1 SURFACE_DEFINE argb ff000000 bytes 00 00 00 00"
has " seq 19 CLEAR argb ff203040 bytes 40 30 20 ff"
# the first frame's display: the FENCE did not change it (it was listed as
# a change from "not known"), the PRESENT did, and only it
expect 0 "$VGT" pixel "$T/c.vgt" --frame 0 --at 10,10 --display
has " start of the frame argb ff000000"
has " seq 21 PRESENT argb ff203040"
has "1 of the frame's 22 commands changed it"
grep -q "FENCE" "$T/out.txt" && fail "the first frame's FENCE listed: $(cat "$T/out.txt")"
expect 0 "$VGT" pixel "$T/c.vgt" --frame 0 --at 10,10 --display --json
tr -d ' \n' <"$T/out.txt" >"$T/j.txt"
grep -qF '"changed":1,"start":{"state":"value","argb":"ff000000"},' "$T/j.txt" ||
    fail "json of the first frame's display: $(cat "$T/j.txt")"
# the depth buffer (surface 2, Z_D24S8): decoded, the draw's depth the
# depth its fragment wrote on the colour target (0.830458 above)
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --surface 2
has "pixel (320,240) of surface 2 face 0 mip 0 (640x480 Z_D24S8), guest frame 5, soft backend"
has " seq 44 CLEAR depth 1.000000 stencil 0 bytes 00 ff ff ff"
has " cleared: depth 1.000000 (z ffffff)"
has " seq 45 DRAW_PRIMITIVES depth 0.830458 stencil 0 bytes 00 ea 98 d4"
# the draw's fragments on its depth buffer: the depth each tested and left,
# no colour (it went to surface 1)
has " range 0 primitive 1: z 0.830458 passed (z d498ea vs the buffer's ffffff), depth now d498ea"
has " range 0 primitive 3: culled (back face)"
[ "$(grep -c '^      range ' "$T/out.txt")" -eq 2 ] || fail "depth: not two draw fragments: $(cat "$T/out.txt")"
grep -q "rgba" "$T/out.txt" && fail "a colour on the depth buffer: $(cat "$T/out.txt")"
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --surface 2 --json
tr -d ' \n' <"$T/out.txt" >"$T/j.txt"
grep -qF '"after":{"state":"value","bytes":"00ea98d4","depth":0.830458333,"stencil":0}' "$T/j.txt" ||
    fail "json depth: $(cat "$T/j.txt")"
grep -qF '"fragments":[{"range":0,"instance":0,"primitive":1,"fate":"passed","depth_target":true,"z_write":true,"z":0.830458343,"z_quant":13932778,"z_buffer":16777215,"z_after":13932778},{"range":0,"instance":0,"primitive":3,"fate":"culledbackface","depth_target":true,"z_write":true}]' "$T/j.txt" ||
    fail "json depth fragments: $(cat "$T/j.txt")"
# outside the image, and a surface that does not exist
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 640,0
has " start of the frame (outside the image)"
# the header names the image's size, which the pixel is outside of
[ "$(head -1 "$T/out.txt")" = "pixel (640,0) of surface 1 face 0 mip 0 (640x480 X8R8G8B8, the surface the frame shows), guest frame 5, soft backend" ] ||
    fail "pixel outside: $(head -1 "$T/out.txt")"
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 0,0 --surface 77
has " start of the frame (no image)"
has "0 of the frame's 5 commands changed it"
# JSON
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --json
tr -d ' \n' <"$T/out.txt" >"$T/j.txt"
grep -qF '"frame":5,"x":320,"y":240,"target":{"display":false,"sid":1,"face":0,"mip":0,"shown_by_frame":true,"format":"X8R8G8B8","width":640,"height":480},"backend":"soft","fragments_recorded":true,"commands":5,"changed":2,' "$T/j.txt" ||
    fail "json head: $(cat "$T/j.txt")"
grep -qF '{"seq":44,"command":"CLEAR","status":"ok","before":{"state":"value","argb":"ff9b7200","bytes":"00729bff"},"after":{"state":"value","argb":"ff203040","bytes":"403020ff"},"changed":true,"fragments":[{"range":0,"instance":0,"primitive":0,"fate":"cleared","after":[0.12549,0.188235,0.25098,1],"clear":{"color":[0.12549,0.188235,0.25098,1]}}],"fragments_dropped":0}' "$T/j.txt" ||
    fail "json CLEAR: $(cat "$T/j.txt")"
grep -qF '"fragments":[{"range":0,"instance":0,"primitive":1,"fate":"written","color":[0.633968,0.445592,0,1],"z":0.830458343,"z_quant":13932778,"z_buffer":16777215,"after":[0.635294,0.447059,0,1],"target":0,"write_mask":15,"blend":false,"shader":false,"z_written":false},{"range":0,"instance":0,"primitive":3,"fate":"culledbackface"}]' "$T/j.txt" ||
    fail "json fragment: $(cat "$T/j.txt")"
expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --surface 2 --json
tr -d ' \n' <"$T/out.txt" | grep -qF '"fragments":[{"range":0,"instance":0,"primitive":0,"fate":"cleared","clear":{"depth":1,"z_quant":16777215}}]' ||
    fail "json depth CLEAR: $(cat "$T/out.txt")"

# pixel shaders: shaders' ps_2_0 checkerboard, its oC0 written
expect 0 "$VGT" run shaders --frames 3 --capture "$T/s.vgt"
expect 0 "$VGT" pixel "$T/s.vgt" --frame 2 --at 320,240
has " seq 32 DRAW_PRIMITIVES argb ff574717 bytes 17 47 57 ff"
has " range 0 primitive 1776: oC0 rgba 0.3410 0.2800 0.0897 1.0000 z 0.568626 written (z 919178 vs the buffer's ffffff), after blending rgba 0.3412 0.2784 0.0902 1.0000"
grep -q "not recorded" "$T/out.txt" && fail "shaders: a draw not recorded: $(cat "$T/out.txt")"
# its depth buffer: the pixel shader's fragment there
expect 0 "$VGT" pixel "$T/s.vgt" --frame 2 --at 320,240 --surface 2
has " range 0 primitive 1776: z 0.568626 passed (z 919178 vs the buffer's ffffff), depth now 919178"
# deferred's G-buffer target 1 (surface 4, COLOR1 of the first pass): the
# CLEAR of every bound target, then the cube's pixel shader's oC1
expect 0 "$VGT" run deferred --frames 3 --capture "$T/g.vgt"
expect 0 "$VGT" pixel "$T/g.vgt" --frame 2 --at 200,240 --surface 4
has " seq 176 CLEAR argb ff303848 bytes 48 38 30 ff"
has " cleared: rgba 0.1882 0.2196 0.2824 1.0000, stored rgba 0.1882 0.2196 0.2824 1.0000"
has " seq 204 DRAW_PRIMITIVES argb fffb8d62 bytes 62 8d fb ff"
has " range 0 primitive 3: oC1 rgba 0.9837 0.5520 0.3845 1.0000 z 0.825892 written (z d36dab vs the buffer's ffffff), after blending rgba 0.9843 0.5529 0.3843 1.0000 [COLOR1, write mask f, blending off]"
has " range 0 primitive 10: culled (back face)"
expect 0 "$VGT" pixel "$T/g.vgt" --frame 2 --at 200,240 --surface 4 --json
tr -d ' \n' <"$T/out.txt" | grep -qF '{"range":0,"instance":0,"primitive":3,"fate":"written","color":[0.983692,0.551978,0.384499,1],"z":0.82589221,"z_quant":13856171,"z_buffer":16777215,"after":[0.984314,0.552941,0.384314,1],"target":1,"write_mask":15,"blend":false,"shader":true,"z_written":false}' ||
    fail "json COLOR1 fragment: $(cat "$T/out.txt")"

# a 2D trace: RECT_COPY scrolls the band at the top of 2d-demo's display
expect 0 "$VGT" run 2d-demo --frames 6 --capture "$T/d.vgt"
expect 0 "$VGT" pixel "$T/d.vgt" --frame 3 --at 10,10 --display
has " start of the frame argb ff222260"
has " seq 40 RECT_COPY argb ff222264"
has "1 of the frame's 12 commands changed it"

# floor: its quad reaches behind the camera (a vertex behind the eye: the
# near plane clips it, its removed part below the screen), so a pixel of
# the floor has the floor's one fragment and no clipped one (the probe
# records what clipping removed only where no piece of it covers)
expect 0 "$VGT" run floor --frames 3 --capture "$T/f.vgt"
expect 0 "$VGT" pixel "$T/f.vgt" --frame 2 --at 160,440
has " range 0 primitive 1: rgba 0.6270 0.6317 0.6167 1.0000 z 0.851721 written, after blending rgba 0.6275 0.6314 0.6157 1.0000"
[ "$(grep -c '^      range ' "$T/out.txt")" -eq 1 ] || fail "floor: not one fragment: $(cat "$T/out.txt")"
grep -q "clipped" "$T/out.txt" && fail "floor: a clipped fragment under a piece: $(cat "$T/out.txt")"

# which planes clipped: make_clip_trace's four triangles over a 16x16
# target (no sample shows a clipped pixel on screen); at (4,12) the four
# are clipped (before the near plane; beyond the far plane; by user plane
# 2; beyond the far plane and by user plane 0, each of which alone
# removes it), at (12,2) the third is written and the fourth clipped by
# the far plane alone (user plane 0 keeps the pixel)
expect 0 "$MKCLIP" "$T/clip.vgt"
clip_lines() {
    tr -s ' ' <"$T/out.txt" | grep '^ range ' >"$T/clip.txt"
    printf '%s\n' "$@" | cmp -s - "$T/clip.txt" || fail "$1...: $(cat "$T/out.txt")"
}
expect 0 "$VGT" pixel "$T/clip.vgt" --frame 0 --at 4,12
clip_lines " range 0 primitive 0: clipped by the near plane" \
    " range 0 primitive 0: clipped by the far plane" \
    " range 0 primitive 0: clipped by user plane 2" \
    " range 0 primitive 0: clipped by the far plane and user plane 0"
expect 0 "$VGT" pixel "$T/clip.vgt" --frame 0 --at 12,2
clip_lines " range 0 primitive 0: clipped by the near plane" \
    " range 0 primitive 0: clipped by the far plane" \
    " range 0 primitive 0: rgba 0.2510 0.7529 0.1255 1.0000 z 0.500000 written, after blending rgba 0.2510 0.7529 0.1255 1.0000" \
    " range 0 primitive 0: clipped by the far plane"
expect 0 "$VGT" pixel "$T/clip.vgt" --frame 0 --at 4,12 --json
tr -d ' \n' <"$T/out.txt" >"$T/j.txt"
for planes in '["near"]' '["far"]' '["plane2"]' '["far","plane0"]'; do
    grep -qF "\"fate\":\"clipped\",\"clip_planes\":$planes}" "$T/j.txt" ||
        fail "json clip_planes $planes: $(cat "$T/j.txt")"
done
# the same on gl, when this build has it (its queries, docs/gl.md)
if "$VGT" pixel "$T/clip.vgt" --frame 0 --at 4,12 --backend gl >"$T/out.txt" 2>"$T/err.txt"; then
    clip_lines " range 0 primitive 0: clipped by the near plane" \
        " range 0 primitive 0: clipped by the far plane" \
        " range 0 primitive 0: clipped by user plane 2" \
        " range 0 primitive 0: clipped by the far plane and user plane 0"
    expect 0 "$VGT" pixel "$T/clip.vgt" --frame 0 --at 12,2 --backend gl
    clip_lines " range 0 primitive 0: clipped by the near plane" \
        " range 0 primitive 0: clipped by the far plane" \
        " range 0 primitive 0: rgba 0.2510 0.7529 0.1255 1.0000 z 0.500000 written, after blending rgba 0.2510 0.7529 0.1255 1.0000" \
        " range 0 primitive 0: clipped by the far plane"
fi

# gl, when this build has it: the CLEAR exact, the draw changes it; its
# probe (occlusion queries, docs/gl.md) finds the same fragments as soft:
# the front face written (its colour as the target stores it, its depth as
# gl's rasterizer made it) and the back face culled; lit's torus behind
# failing the depth test; the depth buffer's fragments
if "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --backend gl >"$T/out.txt" 2>"$T/err.txt"; then
    has " seq 44 CLEAR argb ff203040 bytes 40 30 20 ff"
    has "2 of the frame's 5 commands changed it"
    has "0 more touched it without changing it"
    has " cleared: rgba 0.1255 0.1882 0.2510 1.0000, stored rgba 0.1255 0.1882 0.2510 1.0000"
    has " range 0 primitive 1: rgba 0.6353 0.4471 0.0000 1.0000 z 0.830458 written (z d498e6 vs the buffer's ffffff), after blending rgba 0.6353 0.4471 0.0000 1.0000"
    has " range 0 primitive 3: culled (back face)"
    [ "$(grep -c '^      range ' "$T/out.txt")" -eq 2 ] || fail "gl: not two draw fragments: $(cat "$T/out.txt")"
    grep -q "not recorded" "$T/out.txt" && fail "gl: not recorded: $(cat "$T/out.txt")"
    expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --backend gl --json
    tr -d ' \n' <"$T/out.txt" >"$T/j.txt"
    grep -qF '"backend":"gl","fragments_recorded":true,"commands":5,"changed":2,' "$T/j.txt" ||
        fail "gl json head: $(cat "$T/j.txt")"
    grep -qF '"fragments":[{"range":0,"instance":0,"primitive":1,"fate":"written","color":[0.635294,0.447059,0,1],"z":0.830458105,"z_quant":13932774,"z_buffer":16777215,"after":[0.635294,0.447059,0,1],"target":0,"write_mask":15,"blend":false,"shader":false,"z_written":false},{"range":0,"instance":0,"primitive":3,"fate":"culledbackface"}]' "$T/j.txt" ||
        fail "gl json fragment: $(cat "$T/j.txt")"
    expect 0 "$VGT" pixel "$T/c.vgt" --frame 5 --at 320,240 --backend gl --surface 2
    has " cleared: depth 1.000000 (z ffffff)"
    has " range 0 primitive 1: z 0.830458 passed (z d498e6 vs the buffer's ffffff), depth now d498e6"
    has " range 0 primitive 3: culled (back face)"
    expect 0 "$VGT" pixel "$T/l.vgt" --frame 2 --at 350,300 --backend gl
    has " seq 48 DRAW_PRIMITIVES (touched, not changed)"
    has " range 0 primitive 823: culled (back face)"
    has " range 0 primitive 826: rgba 0.0510 0.0824 0.2196 1.0000 z 0.900357 depth test failed (z e67dc4 vs the buffer's d6d722)"
    has "1 more touched it without changing it"
    # a pixel shader's oC1 on deferred's G-buffer target
    expect 0 "$VGT" pixel "$T/g.vgt" --frame 2 --at 200,240 --surface 4 --backend gl
    has " range 0 primitive 3: oC1 rgba 0.9843 0.5529 0.3843 1.0000 z 0.825892 written (z d36da7 vs the buffer's ffffff), after blending rgba 0.9843 0.5529 0.3843 1.0000 [COLOR1, write mask f, blending off]"
    has " range 0 primitive 10: culled (back face)"
    # its second pass, the full-screen quad drawn without a depth buffer:
    # its z as soft gives it (drawn into a depth texture of the probe's own)
    expect 0 "$VGT" pixel "$T/g.vgt" --frame 2 --at 200,240 --backend gl
    has " range 0 primitive 0: oC0 rgba 0.2941 0.6078 0.7020 1.0000 z 0.500000 written, after blending rgba 0.2941 0.6078 0.7020 1.0000"
    expect 0 "$VGT" pixel "$T/g.vgt" --frame 2 --at 200,240 --backend gl --json
    tr -d ' \n' <"$T/out.txt" | grep -qF '"fate":"written","color":[0.294118,0.607843,0.701961,1],"z":0.5,"after":' ||
        fail "gl json z without a depth buffer: $(cat "$T/out.txt")"
    # an instanced draw: each instance drawn alone by its base instance, the
    # fragments soft lists (instance 18's front face written, instance 26's
    # behind it failing the depth test, a back face of each culled)
    expect 0 "$VGT" run instanced --frames 3 --capture "$T/i.vgt"
    expect 0 "$VGT" pixel "$T/i.vgt" --frame 2 --at 250,250 --backend gl
    has " range 0 instance 18 primitive 5: oC0 rgba 0.2118 0.6196 0.5922 1.0000 z 0.739187 written (z bd3b58 vs the buffer's ffffff), after blending rgba 0.2118 0.6196 0.5922 1.0000"
    has " range 0 instance 18 primitive 8: culled (back face)"
    has " range 0 instance 26 primitive 6: culled (back face)"
    has " range 0 instance 26 primitive 10: oC0 rgba 0.1569 0.3176 0.5412 1.0000 z 0.760212 depth test failed (z c29d3c vs the buffer's bd3b58)"
    [ "$(grep -c '^      range ' "$T/out.txt")" -eq 4 ] || fail "gl instanced: not four fragments: $(cat "$T/out.txt")"
    # a CLEAR of deferred's second G-buffer target, read back at once (the
    # last target the CLEAR binds): llvmpipe returned the texels from before
    # it in 5 of 6 runs, the probe's texel in 1 of 8, until each read waits
    # for the rendering before it (gl_read_barrier); five runs, each exact
    expect 0 "$VGT" run deferred --frames 3 --width 160 --height 120 --backend gl --capture "$T/gs.vgt"
    for run in 1 2 3 4 5; do
        expect 0 "$VGT" pixel "$T/gs.vgt" --frame 1 --at 70,50 --surface 4 --backend gl
        has " start of the frame argb ffee9f48 bytes 48 9f ee ff"
        has " seq 106 CLEAR argb ff303848 bytes 48 38 30 ff"
        has " cleared: rgba 0.1882 0.2196 0.2824 1.0000, stored rgba 0.1882 0.2196 0.2824 1.0000"
        has " seq 126 DRAW_PRIMITIVES argb ffe7a53f bytes 3f a5 e7 ff"
        has "2 of the frame's 70 commands changed it"
    done
elif grep -q "gl" "$T/err.txt"; then
    echo "gl backend not available: the gl history skipped"
else
    cat "$T/err.txt" >&2
    fail "vgt pixel --backend gl"
fi

# errors: usage (exit 1), data (exit 2)
expect 0 "$VGT" pixel --help
grep -q "usage: vgt pixel TRACE --frame F --at X,Y" "$T/out.txt" || fail "pixel --help"
expect 1 "$VGT" pixel "$T/c.vgt" --frame 5
grep -q "vgt pixel: which pixel? (--frame F --at X,Y)" "$T/err.txt" || fail "no --at message"
expect 1 "$VGT" pixel "$T/c.vgt" --frame 5 --at 3
grep -q "vgt pixel: --at '3': expected X,Y" "$T/err.txt" || fail "--at 3 message"
expect 1 "$VGT" pixel "$T/c.vgt" --frame 5 --at 3,-1
expect 1 "$VGT" pixel "$T/c.vgt" --frame 5 --at 1,1 --surface 1/0
expect 1 "$VGT" pixel "$T/c.vgt" --frame 5 --at 1,1 --surface 1 --display
grep -q "vgt pixel: --surface or --display, not both" "$T/err.txt" || fail "both targets message"
expect 1 "$VGT" pixel "$T/c.vgt" --frame 5 --at 1,1 --backend null
grep -q "vgt pixel: the null backend keeps no pixels: replay on soft or gl" "$T/err.txt" ||
    fail "null message: $(cat "$T/err.txt")"
expect 1 "$VGT" pixel --frame 5 --at 1,1
expect 2 "$VGT" pixel "$T/c.vgt" --frame 40 --at 1,1
grep -q "no guest frame 40 in the trace (guest frames 0..12)" "$T/err.txt" || fail "frame 40 message: $(cat "$T/err.txt")"
expect 2 "$VGT" pixel "$T/d.vgt" --frame 3 --at 1,1
grep -q "guest frame 3 shows no 3D surface (no PRESENT or BLIT_SURFACE_TO_SCREEN): name one" "$T/err.txt" ||
    fail "2D frame without --display: $(cat "$T/err.txt")"
expect 2 "$VGT" pixel "$T/missing.vgt" --frame 3 --at 1,1
echo "cli_pixel: ok"
