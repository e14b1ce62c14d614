#!/bin/sh
# vgt trim: a cut of a capture replays on its own, with the frames of the
# whole; its usage and data errors; a damaged and a truncated input.
# Usage: cli_trim.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# cube, 30 frames, cut at 10-20: a snapshot at 10, then the frames as captured
expect 0 "$VGT" run cube --frames 30 --capture "$T/t.vgt"
expect 0 "$VGT" trim "$T/t.vgt" --frames 10-20 -o "$T/u.vgt"
grep -q "trim: .*u.vgt: guest frames 10..20, 11 frames, snapshot at 10 ([0-9]* bytes, 10 frames replayed on soft)" "$T/out.txt" ||
    fail "trim summary: $(cat "$T/out.txt")"
grep -q "records (.* read), [0-9]* -> [0-9]* bytes" "$T/out.txt" || fail "trim summary counts"
expect 0 "$VGT" info "$T/u.vgt" --json
grep -q '"start_frame": 10,' "$T/out.txt" || fail "info: start frame 10"
grep -q '"complete": true' "$T/out.txt" || fail "info: complete"
grep -q '"complete_frames": 11,' "$T/out.txt" || fail "info: 11 complete frames"
grep -q 'trim' "$T/out.txt" || fail "info: creator"
expect 0 "$VGT" replay "$T/u.vgt" --verify
grep -q "guest frames 10..20, 11 frames, .*11 frames verified" "$T/out.txt" || fail "replay --verify of the cut"
# the cut's frames are the whole trace's frames 10..20, pixel for pixel
expect 0 "$VGT" replay "$T/u.vgt" --screenshot "$T/D" -q
expect 0 "$VGT" replay "$T/t.vgt" --frames 10-20 --screenshot "$T/D2" -q
same_shots "$T/D" "$T/D2" 11
[ "$(ls "$T/D" | wc -l)" -eq 11 ] || fail "the cut replays frames outside 10-20"
# from the first frame: no snapshot; A-: to the last complete frame; -q: silent
expect 0 "$VGT" trim "$T/t.vgt" --frames 0-5 -o "$T/h.vgt" -q
[ -s "$T/out.txt" ] && fail "-q printed: $(cat "$T/out.txt")"
expect 0 "$VGT" dump "$T/h.vgt" --records
grep -q "SNAPSHOT\|snapshot" "$T/out.txt" && fail "a cut from frame 0 has a snapshot"
expect 0 "$VGT" replay "$T/h.vgt" --verify
grep -q "guest frames 0..5, 6 frames" "$T/out.txt" || fail "replay of 0-5"
expect 0 "$VGT" trim "$T/t.vgt" --frames 25- -o "$T/e.vgt"
grep -q "guest frames 25..29, 5 frames" "$T/out.txt" || fail "--frames 25-"
# the null backend keeps no surface contents, and says so
expect 0 "$VGT" trim "$T/t.vgt" --frames 10-12 -o "$T/n.vgt" --backend null
grep -q "replay as zeros" "$T/err.txt" || fail "null backend note"

# usage errors: exit 1; data errors: exit 2, and no OUT
expect 0 "$VGT" trim --help
grep -q "usage: vgt trim IN --frames A-B -o OUT" "$T/out.txt" || fail "trim --help"
expect 1 "$VGT" trim "$T/t.vgt" --frames 20-10 -o "$T/x.vgt"
grep -q "vgt trim: --frames '20-10'" "$T/err.txt" || fail "B < A message"
expect 1 "$VGT" trim "$T/t.vgt" --frames 10-20
grep -q "vgt trim: no output trace (-o OUT)" "$T/err.txt" || fail "missing -o message"
expect 1 "$VGT" trim "$T/t.vgt" -o "$T/x.vgt"
expect 1 "$VGT" trim "$T/t.vgt" --frames 10-20 -o "$T/t.vgt"
grep -q "the output is the input" "$T/err.txt" || fail "same file message"
ln -s t.vgt "$T/link.vgt"
expect 1 "$VGT" trim "$T/t.vgt" --frames 10-20 -o "$T/link.vgt"
expect 1 "$VGT" trim "$T/t.vgt" --frames 10-20 -o "$T/x.vgt" --backend vulkan
expect 2 "$VGT" trim "$T/t.vgt" --frames 10-40 -o "$T/x.vgt"
grep -q "no frame 10..40 in the trace (complete guest frames 0..29)" "$T/err.txt" || fail "range message"
[ -e "$T/x.vgt" ] && fail "x.vgt written"
expect 2 "$VGT" trim "$T/missing.vgt" --frames 1-2 -o "$T/x.vgt"

# a damaged chunk in frames 10-20: named, with its offset, and no OUT (an old
# one removed); with --salvage skipped, reported, OUT complete, exit 2
expect 0 "$VGT" run 2d-demo --frames 30 --capture "$T/d.vgt" --capture-chunk 16
# (2d-demo scrolls by RECT_COPY: each frame builds on the one before, so a
# cut that starts from the wrong state fails its --verify)
expect 0 "$VGT" trim "$T/d.vgt" --frames 10-20 -o "$T/d10.vgt"
expect 0 "$VGT" replay "$T/d10.vgt" --verify
grep -q "guest frames 10..20, 11 frames, .*11 frames verified" "$T/out.txt" || fail "2d-demo cut --verify"
damage "$T/d.vgt" "$T/bad.vgt" "^15-"
: >"$T/y.vgt"
expect 2 "$VGT" trim "$T/bad.vgt" --frames 10-20 -o "$T/y.vgt"
grep -q "chunk $CHUNK .*offset $OFFSET" "$T/err.txt" || fail "damaged chunk message: $(cat "$T/err.txt")"
grep -q "\-\-salvage" "$T/err.txt" || fail "damaged chunk: --salvage hint"
[ -e "$T/y.vgt" ] && fail "y.vgt left after a failed trim"
ls "$T" | grep -q "y.vgt.trim" && fail "temporary file left"
expect 2 "$VGT" trim "$T/bad.vgt" --frames 10-20 -o "$T/y.vgt" --salvage
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "salvage report"
grep -q "1 damaged chunks skipped" "$T/out.txt" || fail "salvage summary"
expect 0 "$VGT" info "$T/y.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "salvaged cut complete"

# a capture cut off mid-file (as a SIGKILLed capture leaves it): trimmed up
# to its last complete frame, --salvage or not
size=$(wc -c <"$T/d.vgt")
head -c $((size * 6 / 10)) "$T/d.vgt" >"$T/cut.vgt"
expect 2 "$VGT" info "$T/cut.vgt" --json
last=$(sed -n 's/.*"complete_frames": \([0-9]*\),.*/\1/p' "$T/out.txt")
[ -n "$last" ] && [ "$last" -gt 8 ] || fail "truncated trace: $last complete frames"
last=$((last - 1))
expect 0 "$VGT" trim "$T/cut.vgt" --frames 5-$last -o "$T/z.vgt" --salvage
grep -q "warning: .*no footer" "$T/err.txt" || fail "truncated: no footer warning"
expect 0 "$VGT" replay "$T/z.vgt" --verify
grep -q "guest frames 5..$last, " "$T/out.txt" || fail "replay of the truncated trace's cut"
expect 2 "$VGT" trim "$T/cut.vgt" --frames 5-$((last + 1)) -o "$T/z2.vgt" --salvage

# a trim stopped by a signal while it replays to A leaves neither OUT nor
# its temporary trace (OUT.trim-PID): 300 frames replayed on soft take
# long enough to catch the temporary file and stop it then
expect 0 "$VGT" run cube --frames 320 --width 320 --height 240 --capture "$T/long.vgt"
"$VGT" trim "$T/long.vgt" --frames 300-310 -o "$T/s.vgt" -q &
pid=$!
n=0
while ! ls "$T"/s.vgt.trim-* >/dev/null 2>&1; do
    n=$((n + 1))
    [ $n -gt 2000 ] && fail "no temporary trace appeared"
    sleep 0.005
done
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "trim stopped by SIGTERM exited $rc (finished before the signal?)"
ls "$T"/s.vgt* >/dev/null 2>&1 && fail "a stopped trim left $(ls "$T"/s.vgt*)"
exit 0
