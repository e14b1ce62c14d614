#!/bin/sh
# Frame ranges of a damaged trace: vgt trim --salvage whose frame A-1 ended
# in a skipped chunk takes the state at frame A's first readable record
# (it refused: "no state to start frame A from"), says so, writes a trim
# that replays on its own and exits 2 (when the first frame it reads lost
# its first records, the trim starts after that frame and says so:
# cli_trim_edges has both on fixed chunks); and vgt replay and vgt trim
# --salvage --frames A-B agree on the exit status as docs/cli.md gives it:
# 2 when the damage is in A..B or before it (the frames replayed for the
# state at A), 0 when it is after B (neither reads it).  A cube capture in
# 4 KiB chunks, one chunk that holds frame ends damaged (looked up: the
# chunk layout varies run to run, docs/conventions.md).
# Usage: cli_trim_salvage.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run cube --frames 16 --capture "$T/c.vgt" --capture-chunk 4
# a chunk from frame X (>= 2) into a later frame Y (< 14): it holds the
# ends of frames X..Y-1
frame_end_chunk "$T/c.vgt" 2 14
damage "$T/c.vgt" "$T/d.vgt" "^$SPAN\$"
X=${SPAN%-*}
Y=${SPAN#*-}
SKIP="skipped chunk $CHUNK at offset $OFFSET: "

# NEXTFIRST: the first frame of the chunk after the damaged one: Y when
# the damaged chunk ends inside Y, Y+1 when it ends with Y's end (the
# layout varies run to run).  YHASH: 1 when the damaged chunk ends inside
# Y before Y's FRAME_HASH, so that Y lost its first records and its hash
# is read (the chunk after it does not begin with Y's FRAME_END)
NEXTFIRST=$(awk -v c=$((CHUNK + 1)) '$1 == c { split($5, f, "-"); print f[1] }' "$T/chunks.txt")
NEXTREC=$(awk -v c=$((CHUNK + 1)) '$1 == c { print $4 }' "$T/chunks.txt")
B=$((Y + 2))
[ -n "$NEXTFIRST" ] && [ "$NEXTFIRST" -ge "$Y" ] && [ "$NEXTFIRST" -le $((Y + 1)) ] ||
    fail "the chunk after chunk $CHUNK: '$NEXTFIRST': $(cat "$T/chunks.txt")"
"$VGT" dump "$T/c.vgt" --records >"$T/records.txt" 2>&1 || fail "vgt dump --records"
NEXTTYPE=$(awk -v r="$NEXTREC" '$1 == r { print $4 }' "$T/records.txt")
YHASH=0
[ "$NEXTFIRST" -eq "$Y" ] && [ "$NEXTTYPE" != frame_end ] && YHASH=1
# XHASH: 1 when the damaged chunk begins with X's FRAME_END, X's
# FRAME_HASH the last record of the chunk before it: a replay then reads
# X's hash and counts frame X (cli_trim_edges, case 2), and the state at
# X+1 is whole (every record of X before its end read): no state line
FIRSTREC=$(awk -v c="$CHUNK" '$1 == c { print $4 }' "$T/chunks.txt")
XHASH=0
[ "$(awk -v r="$FIRSTREC" '$1 == r { print $4 }' "$T/records.txt")" = frame_end ] && XHASH=1

# frame A-1 = X ended in the skipped chunk (A = X+1).  With YHASH, the
# first frame read, Y, lost its first records: the trim starts at Y+1 and
# says so (it carried Y's captured FRAME_HASH, which its --verify failed);
# otherwise Y's hash is lost with them, or Y+1 is whole, and the state at
# A is taken where A's first readable record (Y's end, or Y+1's first)
# begins.  Either way the trim is written, exit 2
A=$((X + 1))
expect 2 "$VGT" trim "$T/d.vgt" --frames "$A-$B" -o "$T/t.vgt" --salvage
grep -q "^vgt trim: $T/d.vgt: ${SKIP}checksum mismatch" "$T/err.txt" ||
    fail "A-1's end skipped: the chunk: $(cat "$T/err.txt")"
[ "$(grep -c ": skipped chunk" "$T/err.txt")" -eq 1 ] || fail "A-1's end skipped: the chunk said twice: $(cat "$T/err.txt")"
if [ "$YHASH" -eq 1 ]; then
    if [ "$A" -eq "$Y" ]; then LOST="frame $Y lost its"; else LOST="frames $A..$Y lost their"; fi
    grep -qxF "vgt trim: $T/d.vgt: $LOST first records to a skipped chunk, and frame $Y's captured frame hash would not verify what is left of it: the trim starts at frame $((Y + 1))" "$T/err.txt" ||
        fail "A-1's end skipped: the start line: $(cat "$T/err.txt")"
    grep -q "the state at frame" "$T/err.txt" && fail "A-1's end skipped: a state line: $(cat "$T/err.txt")"
    TA=$((Y + 1))
elif [ "$XHASH" -eq 1 ]; then
    grep -q "the state at frame\|the trim starts at" "$T/err.txt" && fail "A-1's hash read: $(cat "$T/err.txt")"
    TA=$A
else
    grep -qxF "vgt trim: $T/d.vgt: the state at frame $A was taken after damaged frames (frame $X's end was in a skipped chunk): at frame $A's first readable record" "$T/err.txt" ||
        fail "A-1's end skipped: the state line: $(cat "$T/err.txt")"
    TA=$A
fi
grep -q "^trim: .*t.vgt: guest frames $TA..$B, $((B - TA + 1)) frames, snapshot at $TA (.*), .*1 damaged chunk skipped" "$T/out.txt" ||
    fail "A-1's end skipped: the summary: $(cat "$T/out.txt" "$T/err.txt")"
# whole, on its own: TA..B complete
expect 0 "$VGT" info "$T/t.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "trim: not complete: $(cat "$T/out.txt")"
grep -q "\"start_frame\": $TA," "$T/out.txt" || fail "trim: start frame"
grep -q "\"complete_frames\": $((B - TA + 1))," "$T/out.txt" || fail "trim: complete frames"
# the snapshot is at TA, before the command after the last one the state
# holds: after frame TA-1's FRAME_HASH, read when the trim starts after
# a frame that lost its first records, the command after the hash's
# last_seq (frame TA-1's tail may hold no command); with the state line,
# the command after the last readable one of the frames before TA
expect 0 "$VGT" dump "$T/t.vgt"
NEXT=$(awk '$3 == "SNAPSHOT" { for (i = 4; i <= NF; i++) if ($i ~ /^next_seq=/) { sub("next_seq=", "", $i); print $i } }' "$T/out.txt")
grep -q "^ *- *$TA SNAPSHOT frame=$TA next_seq=" "$T/out.txt" || fail "trim: the snapshot: $(head -n 3 "$T/out.txt")"
expect 2 "$VGT" dump "$T/d.vgt" --salvage
if [ "$TA" -ne "$A" ]; then
    LASTSEQ=$(awk -v f="frame=$((TA - 1))" '$3 == "FRAME_HASH" && $4 == f { sub("last_seq=", "", $5); print $5 }' "$T/out.txt")
else
    LASTSEQ=$(awk -v a="$TA" '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && $2 < a { l = $1 } END { print l }' "$T/out.txt")
fi
[ -n "$NEXT" ] && [ -n "$LASTSEQ" ] && [ "$NEXT" -eq $((LASTSEQ + 1)) ] ||
    fail "trim: the snapshot's next_seq '$NEXT', the last command before frame $TA '$LASTSEQ'"
# the frames after the damage (Y+1..B, their records all read) verify on
# soft; so does the whole trim (the frames before Y+1 in it have no
# captured hash left); every frame that has a picture is the salvaged
# replay's, pixel for pixel (the salvaged replay has the frames before TA
# too)
expect 0 "$VGT" replay "$T/t.vgt" --backend soft --verify --frames "$((Y + 1))-$B"
grep -q "guest frames $((Y + 1))..$B, 2 frames, .*2 frames verified" "$T/out.txt" ||
    fail "trim: --verify after the damage: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/t.vgt" --backend soft --verify
grep -q "2 frames verified" "$T/out.txt" || fail "trim: --verify: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/t.vgt" --backend soft --screenshot "$T/S1" -q
expect 2 "$VGT" replay "$T/d.vgt" --backend soft --salvage --frames "$A-$B" --screenshot "$T/S2" -q
same_shots "$T/S2" "$T/S1" "$(ls "$T/S1" | wc -l)"
# A = Y, the damage's last frame (the ends of X..Y-1 lost, and Y's first
# records: with YHASH the trim starts at Y+1)
expect 2 "$VGT" trim "$T/d.vgt" --frames "$Y-$B" -o "$T/t2.vgt" --salvage
if [ "$YHASH" -eq 1 ]; then
    grep -qxF "vgt trim: $T/d.vgt: frame $Y lost its first records to a skipped chunk, and frame $Y's captured frame hash would not verify what is left of it: the trim starts at frame $((Y + 1))" "$T/err.txt" ||
        fail "A = Y: the start line: $(cat "$T/err.txt")"
elif [ "$XHASH" -eq 1 ] && [ "$Y" -eq $((X + 1)) ]; then
    grep -q "the state at frame" "$T/err.txt" && fail "A = Y, X's hash read: $(cat "$T/err.txt")"
else
    grep -qxF "vgt trim: $T/d.vgt: the state at frame $Y was taken after damaged frames (frame $((Y - 1))'s end was in a skipped chunk): at frame $Y's first readable record" "$T/err.txt" ||
        fail "A = Y: the state line: $(cat "$T/err.txt")"
fi
expect 0 "$VGT" replay "$T/t2.vgt" --backend soft --verify --frames "$((Y + 1))-$B"
grep -q "2 frames verified" "$T/out.txt" || fail "A = Y: --verify: $(cat "$T/out.txt")"
# without --salvage: stopped at the chunk, no OUT
expect 2 "$VGT" trim "$T/d.vgt" --frames "$A-$B" -o "$T/t3.vgt"
grep -q "chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "no salvage: $(cat "$T/err.txt")"
[ -e "$T/t3.vgt" ] && fail "no salvage: t3.vgt written"
# A-1's FRAME_HASH and end intact: no state line.  A-1 is the first frame
# of the chunk after the damaged one, NEXTFIRST (the test assumed Y's end
# always intact), or the frame after it when that chunk begins with
# NEXTFIRST's FRAME_END (its hash lost: the replay to A stops at A's first
# record, the state line)
AI=$((NEXTFIRST + 1))
[ "$NEXTTYPE" = frame_end ] && AI=$((NEXTFIRST + 2))
expect 2 "$VGT" trim "$T/d.vgt" --frames "$AI-$B" -o "$T/t4.vgt" --salvage
grep -q "the state at frame" "$T/err.txt" && fail "A-1 intact: the state line: $(cat "$T/err.txt")"
grep -q "$SKIP" "$T/err.txt" || fail "A-1 intact: the chunk: $(cat "$T/err.txt")"

# vgt replay --frames whose last frame's end was skipped: it ends where
# the next frame begins (it ran on to frame Y, the next FRAME_HASH read,
# and composed and counted it); none of the range ended: 0 frames (it ran
# frame Y), exit 2.  With XHASH, X's FRAME_HASH was read before the
# chunk: X is composed and counted (the batching decides where the chunk
# begins, docs/conventions.md: a run put it between X's hash and end)
expect 2 "$VGT" replay "$T/d.vgt" --frames "$((X - 1))-$X" --salvage
if [ "$XHASH" -eq 1 ]; then RX="$((X - 1))..$X, 2 frames"; else RX="$((X - 1))..$((X - 1)), 1 frame"; fi
grep -q "^replay: .*d.vgt (soft backend): guest frames $RX, .*1 chunk skipped" "$T/out.txt" ||
    fail "replay to X: $(cat "$T/out.txt" "$T/err.txt")"
expect 2 "$VGT" replay "$T/d.vgt" --frames "$X-$X" --salvage
if [ "$XHASH" -eq 1 ]; then RX="guest frames $X..$X, 1 frame"; else RX="0 frames"; fi
grep -q "^replay: .*d.vgt (soft backend): $RX, [0-9]* commands, 1 chunk skipped" "$T/out.txt" ||
    fail "replay of X: $(cat "$T/out.txt" "$T/err.txt")"
grep -q "^vgt replay: $SKIP" "$T/err.txt" || fail "replay of X: the chunk: $(cat "$T/err.txt")"

# the exit status of a --frames range: 2 when the damage is in it or
# before it, 0 when after it (nothing read there), for replay and trim alike
for verb in replay trim; do
    for range in "0-$((X - 1)):0" "$X-$X:2" "$((Y + 1))-$B:2" "0-$B:2"; do
        r=${range%:*}
        code=${range#*:}
        if [ "$verb" = trim ]; then
            expect "$code" "$VGT" trim "$T/d.vgt" --frames "$r" -o "$T/r.vgt" --salvage
        else
            expect "$code" "$VGT" replay "$T/d.vgt" --frames "$r" --salvage
        fi
        if [ "$code" -eq 2 ]; then
            grep -q "^vgt $verb: .*$SKIP" "$T/err.txt" ||
                fail "$verb --frames $r: the chunk: $(cat "$T/err.txt")"
        else
            [ -s "$T/err.txt" ] && fail "$verb --frames $r: $(cat "$T/err.txt")"
        fi
    done
done
echo "cli_trim_salvage: ok"
