#!/bin/sh
# examples/embed_minimal.c, a third-party embedder of the device, captured
# without changes (VGT_CAPTURE) and through the embedding API (--capture);
# each trace inspected (vgt info, vgt dump) and replayed on soft with
# --verify, its screenshots equal to the pixels the example read live.
# Usage: cli_embed.sh EXAMPLE VGT TMPDIR
set -u
EX=$1
VGT=$2
T=$3
. "$(dirname "$0")/../capture/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# without VGT_CAPTURE: no capture, no file
env -u VGT_CAPTURE "$EX" >"$T/out.txt" 2>"$T/err.txt" || { cat "$T/out.txt" "$T/err.txt" >&2; fail "plain run"; }
grep -q "capture on" "$T/out.txt" && fail "plain run: a capture without VGT_CAPTURE"
grep -q "^vgt_example_embed: ok$" "$T/out.txt" || fail "plain run: not ok"

# (a) unmodified, through the environment
expect 0 env VGT_CAPTURE="$T/env.vgt" "$EX" --screenshot "$T/live"
grep -q "capture on" "$T/out.txt" || fail "VGT_CAPTURE: no capture"
grep -q "^vmm: 8 commands, 3 fences, 3 frames, 2 interrupts raised, 0 errors$" "$T/out.txt" || fail "VGT_CAPTURE: device counts"
grep -q "^vmm: capture: 3 frames, 8 commands, " "$T/out.txt" || fail "VGT_CAPTURE: capture counts"
[ -s "$T/env.vgt" ] || fail "VGT_CAPTURE: no trace"

expect 0 "$VGT" info "$T/env.vgt"
grep -q "^commands: *8 (0 rejected by the device)" "$T/out.txt" || fail "info: commands"
grep -q "^guest frames: *0..2 (3 frame ends" "$T/out.txt" || fail "info: frames"
grep -q "^svga device: *VRAM 4096 KiB, FIFO 256 KiB" "$T/out.txt" || fail "info: device config"
grep -q "^integrity: *ok" "$T/out.txt" || fail "info: integrity"

expect 0 "$VGT" dump "$T/env.vgt"
for line in 'REG ID=2415919106 (0x90000002)' \
            '0 *0 UPDATE x=8 y=8 w=32 h=24' \
            '2 *1 RECT_COPY src=8,8 dst=64,40 w=32 h=24' \
            'REG GMR_DESCRIPTOR=256 (0x100)' \
            '4 *2 DEFINE_GMRFB ptr=1:0 bytes_per_line=64 format=32/24' \
            '5 *2 BLIT_GMRFB_TO_SCREEN src=0,0 dst=(100,8)-(116,24) screen=0' \
            '6 *2 DEFINE_CURSOR hotspot=2,1 size=8x8 and_depth=1 xor_depth=32' \
            '7 *2 FENCE fence=3' \
            'FIFO_CURSOR seq=7 visible=1 x=30 y=20'; do
    grep -q "$line" "$T/out.txt" || fail "dump: no '$line'"
done
[ "$(grep -c ' FRAME_HASH frame=' "$T/out.txt")" -eq 3 ] || fail "dump: 3 frame hashes"

expect 0 "$VGT" replay "$T/env.vgt" --backend soft --verify --screenshot "$T/rep"
grep -q "3 frames verified, 3 screenshots" "$T/out.txt" || fail "replay --verify (soft)"
same_shots "$T/rep" "$T/live" 3
expect 0 "$VGT" replay "$T/env.vgt" --backend soft --reference "$T/live" --tolerance 0
grep -q "3 frames equal to" "$T/out.txt" || fail "replay --reference (tolerance 0)"

# (b) through the embedding API's capture settings
expect 0 env -u VGT_CAPTURE "$EX" --capture "$T/api.vgt" --screenshot "$T/live-api"
grep -q "^vmm: capture: 3 frames, 8 commands, " "$T/out.txt" || fail "--capture: capture counts"
expect 0 "$VGT" replay "$T/api.vgt" --backend soft --verify --screenshot "$T/rep-api"
grep -q "3 frames verified" "$T/out.txt" || fail "replay --verify of the API capture"
same_shots "$T/rep-api" "$T/live-api" 3
same_shots "$T/rep-api" "$T/live" 3
expect 0 "$VGT" diff "$T/env.vgt" "$T/api.vgt"
grep -q "equal: same commands and frame hashes" "$T/out.txt" || fail "diff: the two captures"

# the environment refused: a malformed level, a file that cannot be created
# (vgt_capture_from_env fails before the device exists)
expect 2 env VGT_CAPTURE="$T/bad.vgt" VGT_CAPTURE_LEVEL=99 "$EX"
grep -q "VGT_CAPTURE_LEVEL" "$T/err.txt" || fail "bad level: message"
[ -e "$T/bad.vgt" ] && fail "bad level: a trace was created"
expect 2 env VGT_CAPTURE="$T/no-such-dir/x.vgt" "$EX"
grep -q "no-such-dir" "$T/err.txt" || fail "unwritable VGT_CAPTURE: message"
# a trace whose header cannot be written: vgt_capture_attach fails, the
# guest never runs
if [ -w /dev/full ]; then
    expect 2 env VGT_CAPTURE=/dev/full "$EX"
    grep -q "capture: /dev/full: writing trace at offset 0: No space left on device" "$T/err.txt" || fail "/dev/full: message"
    grep -q "^guest:" "$T/out.txt" && fail "/dev/full: the guest ran"
fi
echo "cli_example_embed: ok"
