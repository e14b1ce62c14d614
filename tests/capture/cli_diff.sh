#!/bin/sh
# vgt diff: two captures of one sample are equal (exit 0), one more draw per
# frame is one insertion per frame (exit 3), a mid-run capture compares on
# the frames both hold, usage errors (1), a missing trace and a damaged
# chunk (2; test_diff checks another protocol's).  Usage: cli_diff.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# the same sample twice: equal, though their timings differ
expect 0 "$VGT" run 2d-demo --frames 20 --capture "$T/a.vgt" --capture-chunk 16
expect 0 "$VGT" run 2d-demo --frames 20 --capture "$T/b.vgt"
expect 0 "$VGT" diff "$T/a.vgt" "$T/b.vgt"
grep -q "^compared: guest frames 0..19 (20 frames)$" "$T/out.txt" || fail "compared range: $(cat "$T/out.txt")"
grep -q "^commands: 0 of 20 frames differ" "$T/out.txt" || fail "no command differs"
grep -q "^frames: 20 equal pictures, 0 different" "$T/out.txt" || fail "frames equal"
grep -Eq "^  RECT_COPY +40 +40 " "$T/out.txt" || fail "cost row"
grep -q "^equal" "$T/out.txt" || fail "verdict"
expect 0 "$VGT" diff "$T/a.vgt" "$T/a.vgt" -q
[ -s "$T/out.txt" ] && fail "-q printed: $(cat "$T/out.txt")"

# draw-calls --count 100 against 101: one command only in B per frame
expect 0 "$VGT" run draw-calls --count 100 --frames 3 --backend null --capture "$T/d100.vgt"
expect 0 "$VGT" run draw-calls --count 101 --frames 3 --backend null --capture "$T/d101.vgt"
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --limit 2
grep -q "^commands: 4 of 4 frames differ: 0 changed, 0 only in A, 4 only in B" "$T/out.txt" ||
    fail "draw-calls counts: $(cat "$T/out.txt")"
grep -q "^  frame 1: 1 differing command (0 changed, 0 only in A, 1 only in B; A 103, B 104 commands), first at A #102 / B #102$" "$T/out.txt" ||
    fail "draw-calls frame 1"
grep -q "^    A #102 seq=[0-9]*: PRESENT " "$T/out.txt" || fail "A's command decoded"
grep -q "^    B #102 seq=[0-9]*: DRAW_PRIMITIVES cid=" "$T/out.txt" || fail "B's command decoded"
grep -q "^  ... 2 more frames differ (--limit 2)$" "$T/out.txt" || fail "--limit"
grep -Eq "^  DRAW_PRIMITIVES +400 +404 " "$T/out.txt" || fail "DRAW_PRIMITIVES cost row"
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --json --frames 2-3
grep -q '"compared": {"first": 2, "last": 3, "frames": 2},' "$T/out.txt" || fail "json compared"
grep -q '"equal": false,' "$T/out.txt" || fail "json equal"
grep -q '"frames_differ": 2, "changed": 0, "only_a": 0, "only_b": 2,' "$T/out.txt" || fail "json counts"
grep -q '"first_b": {"index": 102, "seq": [0-9]*, "id": 1063, "command": "DRAW_PRIMITIVES ' "$T/out.txt" ||
    fail "json first_b: $(cat "$T/out.txt")"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out.txt" || fail "not JSON"
fi

# a capture from frame 5: the common frames only
expect 0 "$VGT" run 2d-demo --frames 20 --capture "$T/m.vgt" --capture-start 5
expect 0 "$VGT" diff "$T/a.vgt" "$T/m.vgt"
grep -q "^compared: guest frames 5..19 (15 frames); only in A: 0..4$" "$T/out.txt" || fail "mid-run range"
expect 3 "$VGT" diff "$T/a.vgt" "$T/m.vgt" --frames 0-4 -q

# usage
expect 1 "$VGT" diff "$T/a.vgt"
grep -q "^vgt diff: " "$T/err.txt" || fail "usage message"
expect 1 "$VGT" diff "$T/a.vgt" "$T/b.vgt" "$T/m.vgt"
expect 1 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --frames 5-2
expect 1 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --limit x
expect 1 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --bogus
expect 0 "$VGT" diff --help
grep -q "Exit: 0 equal" "$T/out.txt" || fail "--help"

# data: missing, damaged (the chunk named)
expect 2 "$VGT" diff "$T/a.vgt" "$T/missing.vgt"
damage "$T/a.vgt" "$T/bad.vgt" "^1[0-9]-"
expect 2 "$VGT" diff "$T/b.vgt" "$T/bad.vgt"
grep -q "^vgt diff: B: .*bad.vgt: chunk $CHUNK .*offset $OFFSET" "$T/err.txt" || fail "damaged chunk message: $(cat "$T/err.txt")"
exit 0
