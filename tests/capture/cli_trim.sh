#!/bin/sh
# vgt trim: a cut of a capture replays on its own, with the frames of the
# whole; its usage and data errors; a damaged and a truncated input; the
# cut by command (--calls), with numbers taken from vgt dump.
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
# an OUT from before is removed by a trim that fails, as it is after a
# failed copy and by --calls (a range outside IN and an unreadable IN left
# it: a trace of other frames under the name asked for)
cp "$T/h.vgt" "$T/x.vgt"
expect 2 "$VGT" trim "$T/t.vgt" --frames 10-40 -o "$T/x.vgt"
grep -q "no frame 10..40 in the trace (complete guest frames 0..29)" "$T/err.txt" || fail "range message"
[ -e "$T/x.vgt" ] && fail "x.vgt left after a range outside the trace"
cp "$T/h.vgt" "$T/x.vgt"
expect 2 "$VGT" trim "$T/missing.vgt" --frames 1-2 -o "$T/x.vgt"
[ -e "$T/x.vgt" ] && fail "x.vgt left after a missing IN"
# one past the last complete frame, in every form: exit 2 and no OUT (A-
# with A past the last frame wrote an empty trace, "guest frames 30..29, 0
# frames", and exited 0; 35- said "no frame 35 in the trace (31 frames)",
# counting the teardown's partial frame)
for r in 30 30- 35- 29-30 18446744073709551615; do
    expect 2 "$VGT" trim "$T/t.vgt" --frames "$r" -o "$T/x.vgt"
    [ -e "$T/x.vgt" ] && fail "--frames $r: x.vgt written"
done
grep -q "vgt trim: $T/t.vgt: no frame 18446744073709551615 in the trace (complete guest frames 0..29)" \
    "$T/err.txt" || fail "--frames past the end: $(cat "$T/err.txt")"
expect 2 "$VGT" trim "$T/t.vgt" --frames 30- -o "$T/x.vgt"
grep -q "vgt trim: $T/t.vgt: no frame 30 in the trace (complete guest frames 0..29)" "$T/err.txt" ||
    fail "--frames 30-: $(cat "$T/err.txt")"
# the last frame alone, as A and as A-
expect 0 "$VGT" trim "$T/t.vgt" --frames 29- -o "$T/l.vgt"
grep -q "guest frames 29..29, 1 frame," "$T/out.txt" || fail "--frames 29-: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/l.vgt" --verify
grep -q "guest frames 29..29, 1 frame, .*1 frame verified" "$T/out.txt" || fail "replay of 29-"

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
grep -q "1 damaged chunk skipped" "$T/out.txt" || fail "salvage summary"
expect 0 "$VGT" info "$T/y.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "salvaged cut complete"
# a damaged chunk holding a frame end in a trace without its footer (a
# killed capture): the index rebuilt from the chunks counts that chunk's
# frames from its header, as the footer does, so a cut to the last complete
# frame keeps frame 29 (it ended at 28: the rebuilt index counted none of
# the damaged chunk's frame ends, docs/format.md "Recovery rules")
keep="$CHUNK $OFFSET" # bad.vgt's, for --calls below
frame_end_chunk "$T/d.vgt" 5 25
damage "$T/d.vgt" "$T/bad2.vgt" "^$SPAN\$"
end=$(awk '$1 ~ /^[0-9]+$/ { e = $2 + 80 + $6 } END { print e }' "$T/chunks.txt")
head -c "$end" "$T/bad2.vgt" >"$T/cut2.vgt" || fail "head -c $end"
expect 2 "$VGT" trim "$T/cut2.vgt" --frames 0- -o "$T/w.vgt" --salvage
grep -q "no footer index" "$T/err.txt" || fail "footerless: no warning: $(cat "$T/err.txt")"
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "footerless: salvage report"
grep -q "guest frames 0..29, 30 frames" "$T/out.txt" ||
    fail "footerless damaged trace cut to its last frame: $(cat "$T/out.txt")"
# the damaged chunk holds frame B's end: B ends where the next frame
# begins, as a frame before B does (it said "the trace ends inside frame
# B" and wrote nothing, though B+1..29 were there)
b=${SPAN%-*}
expect 2 "$VGT" trim "$T/bad2.vgt" --frames "$((b - 3))-$b" -o "$T/w2.vgt" --salvage
grep -q "guest frames $((b - 3))..$b, 4 frames, .*1 damaged chunk skipped" "$T/out.txt" ||
    fail "B's end in a skipped chunk: $(cat "$T/out.txt" "$T/err.txt")"
expect 0 "$VGT" info "$T/w2.vgt" --json
grep -q '"complete_frames": 4,' "$T/out.txt" || fail "B's end skipped: 4 complete frames"
grep -q '"complete": true' "$T/out.txt" || fail "B's end skipped: complete"
CHUNK=${keep% *}
OFFSET=${keep#* }

# --calls A-B: commands A..B by the SEQ numbers vgt dump prints.  2d-demo
# (d.vgt, 30 frames): A the 2nd command of frame 10, B the 4th of frame 14:
# a snapshot mid-frame 10, frames 10..13 verified, frame 14 partial
seqs() { awk -v f="$2" -v k="$3" '$2 == f && $1 ~ /^[0-9]+$/ { if (++n == k) { print $1; exit } }' "$1"; }
# same_commands IN_DUMP OUT: vgt dump OUT's command lines are IN_DUMP's A..B
same_commands() {
    awk -v a="$A" -v b="$B" '$1 ~ /^[0-9]+$/ && $1 >= a && $1 <= b' "$1" >"$T/in.cmds"
    expect 0 "$VGT" dump "$2"
    awk '$1 ~ /^[0-9]+$/' "$T/out.txt" >"$T/out.cmds"
    cmp -s "$T/in.cmds" "$T/out.cmds" || fail "$2: its commands are not IN's $A..$B"
}
expect 0 "$VGT" dump "$T/d.vgt"
cp "$T/out.txt" "$T/d.dump"
A=$(seqs "$T/d.dump" 10 2)
B=$(seqs "$T/d.dump" 14 4)
[ -n "$A" ] && [ -n "$B" ] || fail "no commands in vgt dump's output"
expect 0 "$VGT" trim "$T/d.vgt" --calls "$A-$B" -o "$T/c.vgt"
grep -q "trim: .*c.vgt: commands $A..$B ($((B - A + 1))), guest frames 10..14, 4 complete frames and a partial last one, snapshot at command $A (" "$T/out.txt" ||
    fail "trim --calls summary: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/c.vgt" --verify
grep -q "guest frames 10..13, 4 frames, $((B - A + 1)) commands, 4 frames verified" "$T/out.txt" ||
    fail "replay --verify of the --calls cut: $(cat "$T/out.txt")"
# the cut's commands are IN's A..B, as vgt dump prints them
same_commands "$T/d.dump" "$T/c.vgt"
expect 0 "$VGT" info "$T/c.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "--calls cut: complete (footer)"
grep -q '"complete_frames": 4,' "$T/out.txt" || fail "--calls cut: 4 complete frames"
# aligned to frames: frame 5's first command to frame 8's last (the one its
# FRAME_HASH names): frames 5..8, all verified, no partial frame
A=$(seqs "$T/d.dump" 5 1)
B=$(awk '/FRAME_HASH frame=8 / { sub("last_seq=", "", $5); print $5; exit }' "$T/d.dump")
expect 0 "$VGT" trim "$T/d.vgt" --calls "$A-$B" -o "$T/c2.vgt"
grep -q "guest frames 5..8, 4 complete frames, snapshot" "$T/out.txt" || fail "aligned --calls: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/c2.vgt" --verify
grep -q "guest frames 5..8, 4 frames, .*4 frames verified" "$T/out.txt" || fail "aligned --calls replay"
# inside draw-calls' batches of 100 repeated draws: from the 50th command of
# frame 2 to the 40th of frame 3
expect 0 "$VGT" run draw-calls --frames 6 --capture "$T/dc.vgt"
expect 0 "$VGT" dump "$T/dc.vgt"
cp "$T/out.txt" "$T/dc.dump"
A=$(seqs "$T/dc.dump" 2 50)
B=$(seqs "$T/dc.dump" 3 40)
expect 0 "$VGT" trim "$T/dc.vgt" --calls "$A-$B" -o "$T/dc2.vgt"
expect 0 "$VGT" replay "$T/dc2.vgt" --verify
grep -q "guest frames 2..2, 1 frame, $((B - A + 1)) commands, 1 frame verified" "$T/out.txt" ||
    fail "draw-calls --calls replay: $(cat "$T/out.txt")"
same_commands "$T/dc.dump" "$T/dc2.vgt"
# errors: usage (exit 1), a range outside the trace (exit 2, no OUT)
LAST=$(awk '$1 ~ /^[0-9]+$/ { l = $1 } END { print l }' "$T/d.dump")
expect 1 "$VGT" trim "$T/d.vgt" --calls 10-20 --frames 1-2 -o "$T/x.vgt"
grep -q "vgt trim: --frames or --calls, not both" "$T/err.txt" || fail "both ranges message"
expect 1 "$VGT" trim "$T/d.vgt" --calls 20-10 -o "$T/x.vgt"
grep -q "vgt trim: --calls '20-10'" "$T/err.txt" || fail "--calls B < A message"
expect 2 "$VGT" trim "$T/d.vgt" --calls "$((LAST + 1))-$((LAST + 9))" -o "$T/x.vgt"
grep -q "no command $((LAST + 1)) in the trace (its last command is $LAST)" "$T/err.txt" ||
    fail "--calls A beyond: $(cat "$T/err.txt")"
expect 2 "$VGT" trim "$T/d.vgt" --calls "100-$((LAST + 1))" -o "$T/x.vgt"
grep -q "no command $((LAST + 1)) in the trace (its last command is $LAST" "$T/err.txt" ||
    fail "--calls B beyond: $(cat "$T/err.txt")"
[ -e "$T/x.vgt" ] && fail "x.vgt written"
# the damaged chunk of frame 15 inside the range: as --frames, named without
# --salvage (no OUT), skipped and reported with it (OUT complete, exit 2)
A=$(seqs "$T/d.dump" 10 2)
B=$(seqs "$T/d.dump" 20 4)
expect 2 "$VGT" trim "$T/bad.vgt" --calls "$A-$B" -o "$T/y.vgt"
grep -q "chunk $CHUNK .*offset $OFFSET" "$T/err.txt" || fail "--calls damaged chunk message: $(cat "$T/err.txt")"
[ -e "$T/y.vgt" ] && fail "y.vgt left after a failed --calls trim"
expect 2 "$VGT" trim "$T/bad.vgt" --calls "$A-$B" -o "$T/y.vgt" --salvage
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "--calls salvage report"
grep -q "1 damaged chunk skipped" "$T/out.txt" || fail "--calls salvage summary"
expect 0 "$VGT" info "$T/y.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "salvaged --calls cut complete"

# a capture cut off mid-file (as a SIGKILLed capture leaves it): trimmed up
# to its last complete frame, --salvage or not
size=$(wc -c <"$T/d.vgt")
head -c $((size * 6 / 10)) "$T/d.vgt" >"$T/cut.vgt"
expect 2 "$VGT" info "$T/cut.vgt" --json
# (the summary's line: the readable part's object, which a damaged
# trace's JSON adds, has a complete_frames of its own)
last=$(sed -n 's/^  "complete_frames": \([0-9]*\),$/\1/p' "$T/out.txt")
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
