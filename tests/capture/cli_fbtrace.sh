#!/bin/sh
# Framebuffer traces end to end on the CLI: vgt run fbtrace (a guest without
# a FIFO, shown by the host's refreshes) captured, replayed with --verify on
# soft and null equal to the live screenshots, vgt dump marking every
# refresh's UPDATE, vgt info, vgt trim of a middle part, vgt diff of two
# captures, a capture started at frame 5, and one with a refresh timer
# (--refresh-hz).
# Usage: cli_fbtrace.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run fbtrace --frames 30 --width 320 --height 240 --capture "$T/a.vgt" --screenshot "$T/live"
grep -q "fbtrace: 30 frames, 59 commands, 0 errors" "$T/out.txt" || fail "run summary"
expect 0 "$VGT" replay "$T/a.vgt" --verify --backend soft --screenshot "$T/rep"
grep -q "30 frames verified" "$T/out.txt" || fail "replay --verify (soft)"
same_shots "$T/rep" "$T/live" 30
expect 0 "$VGT" replay "$T/a.vgt" --verify --backend null
grep -q "30 frames verified" "$T/out.txt" || fail "replay --verify (null)"

# every command is a refresh's UPDATE, marked as the device's: the whole
# screen at frame 0, then two rectangles a frame (the block's, the bar's)
expect 0 "$VGT" dump "$T/a.vgt"
[ "$(grep -c ' UPDATE .*\[trace refresh\]$' "$T/out.txt")" -eq 59 ] || fail "dump: 59 marked refreshes"
grep -q '^ *0 *0 UPDATE x=0 y=0 w=320 h=240 \[trace refresh\]$' "$T/out.txt" || fail "dump: first refresh"
grep -q '^ *1 *1 UPDATE x=13 y=3 w=55 h=53 \[trace refresh\]$' "$T/out.txt" || fail "dump: the block's rectangle"
grep -q '^ *2 *1 UPDATE x=5 y=232 w=5 h=8 \[trace refresh\]$' "$T/out.txt" || fail "dump: the bar's rectangle"
expect 0 "$VGT" dump "$T/a.vgt" --verbose
[ "$(grep -c '\[trace refresh\] UPDATE' "$T/out.txt")" -eq 59 ] || fail "dump --verbose: marked"
expect 0 "$VGT" info "$T/a.vgt"
grep -q "commands: *59 (0 rejected.*; 59 of them the device's framebuffer trace refresh UPDATEs" "$T/out.txt" || fail "info: commands"
expect 0 "$VGT" info "$T/a.vgt" --json
grep -q '"trace_refreshes": 59' "$T/out.txt" || fail "info --json: trace_refreshes"

# a middle part replays on its own; a second capture equals the first
expect 0 "$VGT" trim "$T/a.vgt" --frames 10-19 -o "$T/t.vgt"
expect 0 "$VGT" replay "$T/t.vgt" --verify
grep -q "10 frames verified" "$T/out.txt" || fail "trimmed replay --verify"
expect 0 "$VGT" run fbtrace --frames 30 --width 320 --height 240 --capture "$T/b.vgt"
expect 0 "$VGT" diff "$T/a.vgt" "$T/b.vgt"
grep -q "equal: same commands and frame hashes" "$T/out.txt" || fail "diff: equal"

# a capture started mid-run: the snapshot has the display, the refreshes their rows
expect 0 "$VGT" run fbtrace --frames 20 --width 320 --height 240 --capture "$T/m.vgt" --capture-start 5
expect 0 "$VGT" replay "$T/m.vgt" --verify
grep -q "guest frames 5..19, 15 frames, 30 commands, 15 frames verified" "$T/out.txt" || fail "mid-run replay --verify"

# a 250 Hz refresh timer as well: refreshes may show a frame half drawn, and
# the capture still replays exactly what was shown
expect 0 "$VGT" run fbtrace --frames 20 --width 320 --height 240 --refresh-hz 250 --capture "$T/h.vgt"
expect 0 "$VGT" replay "$T/h.vgt" --verify
grep -q " frames verified" "$T/out.txt" || fail "timer replay --verify"
expect 1 "$VGT" run fbtrace --refresh-hz 5000
echo "cli_fbtrace: ok"
