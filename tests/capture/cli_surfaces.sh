#!/bin/sh
# vgt surfaces on captures of cube, textured, envmap and deferred: the
# defines, the SURFACE_DMA uploads (count and bytes of the boxes) and the
# storage counted again here from vgt dump --json by jq (a box's bytes: its
# pixels times the format's bytes, the formats these samples use), every
# JSON line parses, exact lines of cube and envmap (the cube map's 42
# uploads, the volume); a trimmed capture's snapshot surfaces; --frames,
# --sort; usage errors (1); a missing and a damaged trace (2), --salvage
# going on past the chunk.
# Usage: cli_surfaces.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# From vgt dump --verbose --json, independently of replay/surface_list.c:
# the defines, and the uploads' count and bytes (the format of each sid's
# latest define; a format not in the table fails: the sum would be wrong)
UPLOADS_JQ='def bpp: {"X8R8G8B8": 4, "A8R8G8B8": 4, "Z_D24S8": 4, "BUFFER": 1}[.] // error("format \(.)");
  reduce (inputs | select(.type == "command")) as $c ({fmt: {}, defines: 0, uploads: 0, bytes: 0};
  if ($c.cmd | startswith("SURFACE_DEFINE")) then
    .fmt[$c.args.sid | tostring] = $c.args.format | .defines += 1
  elif $c.cmd == "SURFACE_DMA" and $c.args.transfer == "WRITE_HOST_VRAM" then
    (.fmt[$c.args.host.sid | tostring] | bpp) as $b |
    .uploads += 1 | .bytes += ([$c.args.boxes[] | .w * .h * .d * $b] | add)
  else . end) | [.defines, .uploads, .bytes]'

for s in cube textured envmap deferred; do
    expect 0 "$VGT" run "$s" --frames 3 --capture "$T/$s.vgt"
    "$VGT" dump "$T/$s.vgt" --json --verbose --only SURFACE_DEFINE,SURFACE_DEFINE_V2,SURFACE_DMA |
        jq -c -n "$UPLOADS_JQ" >"$T/want.json" || fail "$s: jq over the dump"
    expect 0 "$VGT" surfaces "$T/$s.vgt" --json
    jq -c -s '[.[] | select(.type == "surface")] | [length, (map(.uploads) | add), (map(.upload_bytes) | add)]' \
        "$T/out.txt" >"$T/got.json" || fail "$s: --json does not parse"
    cmp -s "$T/got.json" "$T/want.json" ||
        fail "$s: [defines, uploads, upload bytes] $(cat "$T/got.json"), vgt dump says $(cat "$T/want.json")"
    jq -e -s --argjson w "$(cat "$T/want.json")" \
        '.[-1] | .type == "summary" and .defines == $w[0] and .uploads == $w[1] and .upload_bytes == $w[2] and .refused == 0' \
        "$T/out.txt" >/dev/null || fail "$s: the summary"
    # storage: a 2D surface of one level is its pixels times 4 (1 for BUFFER)
    jq -e -s '[.[] | select(.type == "surface" and .mips == 1 and .faces == 1)] |
        all(.storage == .width * .height * .depth * (if .format == "BUFFER" then 1 else 4 end))' \
        "$T/out.txt" >/dev/null || fail "$s: storage of the one-level surfaces"
    expect 0 "$VGT" surfaces "$T/$s.vgt"
    grep -q "^never used: 0; never destroyed: 0$" "$T/out.txt" || fail "$s: $(tail -3 "$T/out.txt")"
done

# cube: the target drawn to, cleared and presented each frame, the depth
# buffer, the vertex and index buffers
expect 0 "$VGT" surfaces "$T/cube.vgt"
grep -q "^ *1 *0 *1 X8R8G8B8 *640x480x1 *1 *1 *- *1228800 *0 *0 *0 *0 *0 *0 *0 *3 *3 *0 *0 *0 *3 destroy@[0-9]* *HINT_RENDERTARGET$" "$T/out.txt" ||
    fail "cube's target: $(cat "$T/out.txt")"
grep -q "^ *2 *0 *2 Z_D24S8 *640x480x1 *1 *1 *- *1228800 *0 *0 *0 *0 *0 *0 *0 *3 *3 *0 *0 *0 *0 destroy@" "$T/out.txt" ||
    fail "cube's depth buffer"
grep -q "^ *3 *0 *3 BUFFER *128x1x1 *1 *1 *- *128 *1 *128 .* 0 *3 *0 *0 destroy@" "$T/out.txt" || fail "cube's vertices"
grep -q "^ *4 *0 *4 BUFFER *72x1x1 .* 0 *0 *3 *0 destroy@" "$T/out.txt" || fail "cube's indices"
grep -q "^draws: 3 DRAW_PRIMITIVES and 3 CLEARs run" "$T/out.txt" || fail "cube's draws"
# envmap: a 64x64 cube map of 7 levels (6 x 7 uploads, 6 x 21844 bytes) and a 16^3 volume
expect 0 "$VGT" surfaces "$T/envmap.vgt" --json
jq -e -s 'map(select(.type == "surface" and .sid == 5))[0] |
    .faces == 6 and .mips == 7 and .storage == 131064 and .uploads == 42 and .upload_bytes == 131064 and
    .flags == ["CUBEMAP", "HINT_TEXTURE"] and .texture_draws == 6' "$T/out.txt" >/dev/null || fail "envmap's cube map"
jq -e -s 'map(select(.type == "surface" and .sid == 6))[0] |
    .depth == 16 and .storage == 16384 and .upload_bytes == 16384' "$T/out.txt" >/dev/null || fail "envmap's volume"
# --sort storage: the largest first
expect 0 "$VGT" surfaces "$T/envmap.vgt" --sort storage --json
jq -e -s '[.[] | select(.type == "surface") | .storage] | . == (sort | reverse)' "$T/out.txt" >/dev/null || fail "--sort storage"

# deferred cut by vgt trim mid-run: its snapshot's surfaces (marked, no
# seq), the G-buffer's targets drawn to in the cut's frames
expect 0 "$VGT" run deferred --frames 4 --capture "$T/d.vgt"
expect 0 "$VGT" trim "$T/d.vgt" --frames 2-3 -o "$T/cut.vgt" -q
expect 0 "$VGT" surfaces "$T/cut.vgt" --json
jq -e -s '[.[] | select(.type == "surface")] | length == 7 and all(.snapshot and .seq == null)' "$T/out.txt" >/dev/null ||
    fail "the cut's snapshot surfaces: $(cat "$T/out.txt")"
jq -e -s 'map(select(.type == "surface" and .sid == 3))[0] | .rt_draws == 24 and .uploads == 0' "$T/out.txt" >/dev/null ||
    fail "the cut's G-buffer target: draws of frames 2-3 only, the snapshot's contents no upload"
expect 0 "$VGT" surfaces "$T/cut.vgt"
grep -q "^  *snapshot  *[0-9]*  *3 A8R8G8B8 " "$T/out.txt" || fail "snapshot in text"
grep -q "^surfaces: 7 defines (0 refused, 7 from the snapshot)$" "$T/out.txt" || fail "cut summary"
# --frames: the defines are all in frame 0
expect 0 "$VGT" surfaces "$T/d.vgt" --frames 1-3 --json
jq -e -s '.[-1].defines == 0' "$T/out.txt" >/dev/null || fail "--frames 1-3 lists none"

# usage
expect 1 "$VGT" surfaces
expect 1 "$VGT" surfaces "$T/d.vgt" --bogus
expect 1 "$VGT" surfaces "$T/d.vgt" --frames x
expect 1 "$VGT" surfaces "$T/d.vgt" --sort size
expect 1 "$VGT" surfaces "$T/d.vgt" "$T/d.vgt"
expect 0 "$VGT" help surfaces
grep -q "vgt surfaces TRACE" "$T/out.txt" || fail "help surfaces"
# data errors
expect 2 "$VGT" surfaces "$T/missing.vgt"
expect 0 "$VGT" run deferred --frames 12 --capture "$T/c.vgt" --capture-chunk 4
damage "$T/c.vgt" "$T/dd.vgt" "^[3-9]-"
expect 2 "$VGT" surfaces "$T/dd.vgt"
# the chunk once, in the error line with the hint (a "stopped at chunk"
# line said it before it)
grep -q "^vgt surfaces: .*: chunk $CHUNK at offset $OFFSET: .*(--salvage skips damaged chunks)$" "$T/err.txt" ||
    fail "damaged: $(cat "$T/err.txt")"
[ "$(grep -c "chunk $CHUNK at offset $OFFSET" "$T/err.txt")" -eq 1 ] ||
    fail "damaged: the chunk said twice: $(cat "$T/err.txt")"
expect 2 "$VGT" surfaces "$T/dd.vgt" --salvage
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "salvage: $(cat "$T/err.txt")"
grep -q "^surfaces: 7 defines " "$T/out.txt" || fail "salvage: the listing"
expect 2 "$VGT" surfaces "$T/dd.vgt" --salvage --json
jq -e -s '.[-1] | .skipped_chunks == true and .defines == 7' "$T/out.txt" >/dev/null || fail "salvage --json"
echo "cli_surfaces: ok"
