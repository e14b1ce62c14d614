#!/bin/sh
# vgt replay --dump-at SEQ,... --dump-dir DIR: the state after commands
# whose numbers vgt dump prints (several, unsorted, repeated), valid JSON,
# the render target's and the display's pictures, with --verify and
# --frames; the null backend; the usage and data errors.
# Usage: cli_dumpstate.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run cube --frames 3 --capture "$T/c.vgt"
expect 0 "$VGT" dump "$T/c.vgt"
# frame 1's draw and present, the trace's last command
DRAW=$(awk '$2 == 1 && $3 == "DRAW_PRIMITIVES" { print $1; exit }' "$T/out.txt")
PRESENT=$(awk '$2 == 1 && $3 == "PRESENT" { print $1; exit }' "$T/out.txt")
LAST=$(awk '$1 ~ /^[0-9]+$/ { n = $1 } END { print n }' "$T/out.txt")
[ -n "$DRAW" ] && [ -n "$PRESENT" ] && [ -n "$LAST" ] || fail "no draw/present in frame 1"

# unsorted, repeated; with --verify and screenshots: the replay is undisturbed
expect 0 "$VGT" replay "$T/c.vgt" --backend soft --verify --screenshot "$T/S" \
    --dump-at "$PRESENT,$DRAW,$PRESENT" --dump-dir "$T/D"
grep -q "3 frames verified, 3 screenshots in $T/S, 2 state dumps in $T/D" "$T/out.txt" ||
    fail "summary: $(cat "$T/out.txt")"
[ "$(grep -c '^dump: ' "$T/out.txt")" -eq 2 ] || fail "two dump lines: $(cat "$T/out.txt")"
# in order of the replay, whatever the order given
head -n 1 "$T/out.txt" | grep -q "^dump: seq $DRAW DRAW_PRIMITIVES (guest frame 1): $T/D/seq-0*$DRAW: state.json, display.png, 3 surface PNGs, 2 buffer files$" ||
    fail "first dump line: $(head -n 1 "$T/out.txt")"
sed -n 2p "$T/out.txt" | grep -q "^dump: seq $PRESENT PRESENT (guest frame 1): " ||
    fail "second dump line: $(sed -n 2p "$T/out.txt")"
DD=$(printf '%s/D/seq-%08d' "$T" "$DRAW")
DP=$(printf '%s/D/seq-%08d' "$T" "$PRESENT")
for d in "$DD" "$DP"; do
    [ -s "$d/state.json" ] || fail "$d/state.json missing"
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$d/state.json" >/dev/null || fail "$d/state.json is not valid JSON"
    fi
    [ -s "$d/surface-1-X8R8G8B8.png" ] || fail "$d: no render target picture"
    # the depth buffer: its depth and stencil pictures, not a colour one
    [ ! -e "$d/surface-2-Z_D24S8.png" ] || fail "$d: a colour picture of the depth buffer"
    [ -s "$d/surface-2-Z_D24S8-depth.png" ] || fail "$d: no depth picture"
    [ -s "$d/surface-2-Z_D24S8-stencil.png" ] || fail "$d: no stencil picture"
    # the vertex and index buffers' bytes: 8 vertices of 16 bytes, 36 indices of 2
    [ "$(wc -c <"$d/surface-3-buffer.bin")" -eq 128 ] || fail "$d: vertex buffer file"
    [ "$(wc -c <"$d/surface-4-buffer.bin")" -eq 72 ] || fail "$d: index buffer file"
    grep -q '"file": "surface-3-buffer.bin", "file_bytes": 128}' "$d/state.json" ||
        fail "$d: buffer file in state.json"
done
# after the PRESENT the display is the frame's screenshot, byte for byte
cmp -s "$DP/display.png" "$T/S/frame-000001.png" || fail "display after PRESENT != frame 1"
# after the draw, before the PRESENT, it is still frame 0's
cmp -s "$DD/display.png" "$T/S/frame-000000.png" || fail "display after the draw != frame 0"
grep -q "\"seq\": $DRAW," "$DD/state.json" || fail "seq in state.json"
grep -q '"when": "after the command"' "$DD/state.json" || fail "when"
grep -q '{"name": "ZFUNC", "id": 36, "value": 2, "text": "LESS"}' "$DD/state.json" || fail "ZFUNC"
grep -q '{"name": "LIGHTINGENABLE", "id": 9, "value": 0, "text": "0"}' "$DD/state.json" ||
    fail "LIGHTINGENABLE"
grep -q '"ZENABLE"' "$DD/state.json" && fail "ZENABLE at its default listed"
grep -q '{"type": "FLOAT3", "method": "DEFAULT", "usage": "POSITION", "usage_index": 0, "surface": 3, "offset": 0, "stride": 16}' "$DD/state.json" ||
    fail "vertex declaration"
grep -q '"fences": {"passed": 4, "last": 4}' "$DD/state.json" || fail "fences"

# --frames: a SEQ in a frame replayed state-only is dumped too; -q: no lines
expect 0 "$VGT" replay "$T/c.vgt" --frames 2 --dump-at "$DRAW" --dump-dir "$T/F" -q
[ -s "$T/out.txt" ] && fail "-q printed: $(cat "$T/out.txt")"
cmp -s "$T/F/$(basename "$DD")/surface-1-X8R8G8B8.png" "$DD/surface-1-X8R8G8B8.png" ||
    fail "--frames 2: the dump in frame 1 differs"
# a SEQ after the replayed frames
expect 2 "$VGT" replay "$T/c.vgt" --frames 0 --dump-at "$DRAW" --dump-dir "$T/F"
grep -q "vgt replay: --dump-at $DRAW: after the replayed frames" "$T/err.txt" ||
    fail "after the frames: $(cat "$T/err.txt")"

# the null backend: the state, no surface pictures, said in the JSON
expect 0 "$VGT" replay "$T/c.vgt" --backend null --dump-at "$DRAW" --dump-dir "$T/N"
grep -q "1 surface PNGs\|[1-9] surface PNGs" "$T/out.txt" && fail "null: surface PNGs"
grep -q "0 surface PNGs, 0 buffer files (the backend keeps no surface contents)" "$T/out.txt" ||
    fail "null dump line: $(cat "$T/out.txt")"
ls "$T/N/$(basename "$DD")" | grep -q "^surface-" && fail "null: a surface PNG written"
grep -q '"surface_contents": false' "$T/N/$(basename "$DD")/state.json" || fail "null: contents"
grep -q '{"name": "ZFUNC", "id": 36, "value": 2, "text": "LESS"}' "$T/N/$(basename "$DD")/state.json" ||
    fail "null: the state"

# the gl backend (when built and working): a gl capture verifies with dumps
# taken (read-back through its read framebuffer disturbs nothing), and the
# display after the PRESENT is the frame's screenshot
if "$VGT" run cube --frames 3 --backend gl --capture "$T/g.vgt" >"$T/out.txt" 2>"$T/err.txt"; then
    expect 0 "$VGT" replay "$T/g.vgt" --verify --screenshot "$T/GS" --dump-at "$DRAW,$PRESENT" \
        --dump-dir "$T/G"
    grep -q "3 frames verified, 3 screenshots in $T/GS, 2 state dumps in $T/G" "$T/out.txt" ||
        fail "gl summary: $(cat "$T/out.txt")"
    cmp -s "$T/G/$(basename "$DP")/display.png" "$T/GS/frame-000001.png" ||
        fail "gl: display after PRESENT != frame 1"
    [ -s "$T/G/$(basename "$DD")/surface-1-X8R8G8B8.png" ] || fail "gl: no render target picture"
    # depth and stencil read back by SURFACE_DMA's download; the buffers' bytes as on soft
    [ -s "$T/G/$(basename "$DD")/surface-2-Z_D24S8-depth.png" ] || fail "gl: no depth picture"
    [ -s "$T/G/$(basename "$DD")/surface-2-Z_D24S8-stencil.png" ] || fail "gl: no stencil picture"
    cmp -s "$T/G/$(basename "$DD")/surface-3-buffer.bin" "$DD/surface-3-buffer.bin" ||
        fail "gl: the vertex buffer's bytes differ from soft's"
else
    echo "gl backend not available: the gl dumps skipped"
fi

# a 2D trace: the display after frame 1's last command (the cursor aside,
# which the FIFO cursor sample after it moves: that frame's picture is
# compared in test_dump_state)
expect 0 "$VGT" run 2d-demo --frames 3 --capture "$T/d.vgt"
expect 0 "$VGT" dump "$T/d.vgt"
F1=$(awk '$2 == 1 && $3 == "FENCE" { print $1; exit }' "$T/out.txt")
expect 0 "$VGT" replay "$T/d.vgt" --dump-at "$F1" --dump-dir "$T/2" --verify
grep -q "^dump: seq $F1 FENCE (guest frame 1): .*state.json, display.png, 0 surface PNGs, 0 buffer files$" "$T/out.txt" ||
    fail "2d dump line: $(cat "$T/out.txt")"
grep -q '"fences": {"passed": 3, "last": 3}' "$T/2/$(printf 'seq-%08d' "$F1")/state.json" ||
    fail "2d fences"

# errors: past the end (the SEQs before it are still dumped), not a command
expect 2 "$VGT" replay "$T/c.vgt" --dump-at "$DRAW,$((LAST + 1))" --dump-dir "$T/E"
grep -q "vgt replay: --dump-at $((LAST + 1)): past the trace's last command (seq $LAST); 1 SEQ(s) not dumped" "$T/err.txt" ||
    fail "past the end: $(cat "$T/err.txt")"
[ -s "$T/E/$(basename "$DD")/state.json" ] || fail "the SEQ before the bad one not dumped"
# a cut from command DRAW on: the commands before it are not in it
expect 0 "$VGT" trim "$T/c.vgt" --calls "$DRAW-" -o "$T/cut.vgt"
expect 2 "$VGT" replay "$T/cut.vgt" --dump-at 1 --dump-dir "$T/E"
grep -q "vgt replay: --dump-at 1: not a command of this trace (the replay ran commands seq $DRAW\.\.$LAST)" "$T/err.txt" ||
    fail "not a command: $(cat "$T/err.txt")"
expect 0 "$VGT" replay "$T/cut.vgt" --dump-at "$DRAW" --dump-dir "$T/C" --verify
cmp -s "$T/C/$(basename "$DD")/surface-1-X8R8G8B8.png" "$DD/surface-1-X8R8G8B8.png" ||
    fail "the cut's dump at its first command differs"
# usage
expect 1 "$VGT" replay "$T/c.vgt" --dump-at 5
grep -q "vgt replay: --dump-at SEQ and --dump-dir DIR go together" "$T/err.txt" || fail "alone"
expect 1 "$VGT" replay "$T/c.vgt" --dump-at 5,x --dump-dir "$T/E"
grep -q "vgt replay: --dump-at '5,x': expected SEQ\[,SEQ...\]" "$T/err.txt" || fail "bad list"
expect 1 "$VGT" replay "$T/c.vgt" --dump-at 5, --dump-dir "$T/E"
expect 1 "$VGT" replay "$T/c.vgt" --dump-at 5 --dump-dir "$T/E" --loop 2
grep -q "drop --loop" "$T/err.txt" || fail "--loop"
# DIR not writable: a file in its place
: >"$T/file"
expect 2 "$VGT" replay "$T/c.vgt" --dump-at 5 --dump-dir "$T/file"
grep -q "vgt replay: --dump-dir: cannot write into '$T/file'" "$T/err.txt" ||
    fail "unwritable dir: $(cat "$T/err.txt")"
expect 2 "$VGT" replay "$T/c.vgt" --dump-at 5 --dump-dir "$T/file/sub"
grep -q "vgt replay: --dump-dir: cannot create '$T/file/sub'" "$T/err.txt" ||
    fail "uncreatable dir: $(cat "$T/err.txt")"
echo "cli_dumpstate: ok"
