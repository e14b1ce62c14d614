#!/bin/sh
# A killed capture (no footer) of cube whose one chunk holding frame ends
# has a damaged header: with --salvage the walk leaves the chunk out (a gap
# in the chunk ids) and the rebuilt index counts the FRAME_ENDs it held,
# from the first frame of the chunk after it (docs/format.md, "Recovery
# rules").  It counted only the FRAME_ENDs it read: the 12 frames were 0..4
# or so to vgt replay --salvage, which refused --frames after the gap.
# vgt info reads past it too, and counts what it could read.  Which chunk that is, and its
# frames, vary from run to run (docs/conventions.md): looked up.
# Usage: cli_gap.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt" --capture-chunk 4
frame_end_chunk "$T/c.vgt" 1 11
FA=${SPAN%-*}
line=$(awk -v s="$SPAN" '$1 ~ /^[0-9]+$/ && $5 == s { print $1, $2; exit }' "$T/chunks.txt")
CHUNK=${line% *}
OFFSET=${line#* }
# F2: the first frame of the chunk after it, the first one after the gap
F2=$(awk -v c="$CHUNK" '$1 == c { f = 1; next } f && $1 ~ /^[0-9]+$/ { split($5, r, "-"); print r[1]; exit }' \
    "$T/chunks.txt")
END=$(awk '$1 ~ /^[0-9]+$/ { e = $2 + 80 + $6 } END { print e }' "$T/chunks.txt")
[ -n "$line" ] && [ -n "$F2" ] && [ -n "$END" ] || fail "the chunk of frames $SPAN: $(cat "$T/chunks.txt")"
[ "$F2" -gt "$FA" ] && [ "$F2" -le 11 ] || fail "frames $SPAN, the next chunk from $F2: $(cat "$T/chunks.txt")"
head -c "$END" "$T/c.vgt" >"$T/nf.vgt" || fail "head"
printf '\377\377\377\377' | dd of="$T/nf.vgt" bs=1 seek=$((OFFSET + 4)) conv=notrunc 2>/dev/null || fail "dd"
# FZ: the damaged chunk's last frame.  The chunk after it starts with
# frame FZ's later records (F2 = FZ) or with frame FZ + 1's first (F2 =
# FZ + 1): the frames after FZ are whole either way.  Which records of
# frame FZ were lost (its FRAME_HASH, its FRAME_END) follows from where
# the chunk boundary fell: the records read say it.
FZ=${SPAN#*-}
"$VGT" dump "$T/nf.vgt" --records --salvage >"$T/records.txt" 2>/dev/null
HASHES=$(awk '$4 == "frame_hash"' "$T/records.txt" | wc -l)
ENDS=$(awk '$4 == "frame_end"' "$T/records.txt" | wc -l)
[ "$ENDS" -ge $((FA + 11 - FZ)) ] || fail "$ENDS frame ends read: $(cat "$T/chunks.txt")"

# vgt info: its walk goes past the damaged header, as the salvaging
# verbs' (it stopped there, counting only the chunks before it): the
# index counts every chunk but the lost one and the gap's frames (12
# complete, as vgt replay --salvage says them); both problems, the
# damaged header and the records the gap lost, in the other verbs'
# words; the readable part is what vgt dump --salvage read, and the SVGA
# section says it counts only that
GAP="skipped chunk $CHUNK at offset [0-9]+: missing \(records [0-9]+\.\.[0-9]+\)$"
NCHUNKS=$(awk '$1 ~ /^[0-9]+$/' "$T/chunks.txt" | wc -l)
RECORDS=$(awk '$1 ~ /^[0-9]+$/' "$T/records.txt" | wc -l)
expect 2 "$VGT" info "$T/nf.vgt"
grep -Eq "^frames: +[0-9]+ \(12 complete\)$" "$T/out.txt" || fail "info: $(grep '^frames' "$T/out.txt")"
grep -q "^chunks: *$((NCHUNKS - 1))$" "$T/out.txt" || fail "info: $(grep '^chunks' "$T/out.txt")"
grep -Eq "^guest frames: +0\.\.11 \($(count_of $HASHES "frame end"), " "$T/out.txt" ||
    fail "info: $(grep '^guest frames' "$T/out.txt")"
grep -qx "  - skipped chunk $CHUNK at offset $OFFSET: chunk header checksum mismatch" "$T/out.txt" ||
    fail "info: $(cat "$T/out.txt")"
grep -Eqx "  - $GAP" "$T/out.txt" || fail "info: $(cat "$T/out.txt")"
grep -qx "integrity: *3 problem(s)" "$T/out.txt" || fail "info: $(cat "$T/out.txt")"
grep -qx "  records: *$RECORDS" "$T/out.txt" || fail "info: $RECORDS records read: $(cat "$T/out.txt")"
grep -Eqx "  frames: +[0-9]+ \($ENDS complete\)" "$T/out.txt" || fail "info: $(cat "$T/out.txt")"
grep -qx "  chunks: *$((NCHUNKS - 1)) read, 1 skipped" "$T/out.txt" || fail "info: $(cat "$T/out.txt")"
grep -qx " *(of the readable part only: damaged chunks skipped)" "$T/out.txt" ||
    fail "info: $(cat "$T/out.txt")"
expect 2 "$VGT" info "$T/nf.vgt" --json
python3 - "$T/out.txt" "$NCHUNKS" "$RECORDS" "$ENDS" "$CHUNK" <<'PY' || fail "info --json: $(cat "$T/out.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
n, records, ends, chunk = (int(a) for a in sys.argv[2:])
assert d["complete_frames"] == 12 and d["chunks"] == n - 1, d
assert d["footer_present"] is False and d["complete"] is False and d["partial"] is True
r = d["readable"]
assert (r["records"], r["complete_frames"], r["chunks"], r["chunks_skipped"]) == \
    (records, ends, n - 1, 1), r
assert [e.get("chunk") for e in d["errors"]] == [None, chunk, chunk], d["errors"]
PY

# vgt replay --salvage: every frame but the gap's; the frames after the gap
# replay, and verify, on their own.  The gap is a chunk skipped, said when
# the reading crosses it: exit 2 (it was recorded at the open, where the
# readers do not count skipped chunks: exit 0, "clean" from vgt leaks)
expect 2 "$VGT" replay "$T/nf.vgt" --salvage --backend null
grep -Eq "^replay: .*nf.vgt \(null backend\): guest frames 0\.\.11, [0-9]+ frames, [0-9]+ commands, 1 chunk skipped, " "$T/out.txt" ||
    fail "replay --salvage: $(cat "$T/out.txt" "$T/err.txt")"
grep -Eq "^vgt replay: $GAP" "$T/err.txt" || fail "replay --salvage: $(cat "$T/err.txt")"
# the damaged header the open's walk left out, in the same words, once
# (it was "problem in chunk N at offset O: ..."); and so vgt dump --salvage
# (it printed the reader's "chunk N at offset O: ...") and vgt repack
HEADER="skipped chunk $CHUNK at offset $OFFSET: chunk header checksum mismatch"
[ "$(grep -cx "vgt replay: $HEADER" "$T/err.txt")" -eq 1 ] || fail "replay --salvage: $(cat "$T/err.txt")"
expect 2 "$VGT" dump "$T/nf.vgt" --salvage
[ "$(grep -c "chunk $CHUNK at offset" "$T/err.txt")" -eq 2 ] && grep -qx "vgt dump: $HEADER" "$T/err.txt" &&
    grep -Eqx "vgt dump: $GAP" "$T/err.txt" || fail "dump --salvage: $(cat "$T/err.txt")"
expect 2 "$VGT" repack "$T/nf.vgt" --salvage -o "$T/r.vgt"
grep -qx "vgt repack: $T/nf.vgt: $HEADER" "$T/err.txt" || fail "repack --salvage: $(cat "$T/err.txt")"
# a torn last chunk (a capture killed while writing it): every verb that
# says it says "skipped chunk L at offset O: torn: it needs B bytes, the
# file has F" (it was "... chunk L at offset O is torn: ...: skipped")
line=$(awk '$1 ~ /^[0-9]+$/ { l = $1 " " $2 " " $6 } END { print l }' "$T/chunks.txt")
set -- $line
head -c $(($2 + 80 + $3 / 2)) "$T/c.vgt" >"$T/torn.vgt" || fail "head"
TORN="skipped chunk $1 at offset $2: torn: it needs $((80 + $3)) bytes, the file has $((80 + $3 / 2))"
expect 0 "$VGT" replay "$T/torn.vgt" --salvage --backend null
grep -qx "vgt replay: $TORN" "$T/err.txt" || fail "replay torn: $(cat "$T/err.txt")"
expect 2 "$VGT" dump "$T/torn.vgt" --salvage
grep -qx "vgt dump: $TORN" "$T/err.txt" || fail "dump torn: $(cat "$T/err.txt")"
expect 0 "$VGT" repack "$T/torn.vgt" --salvage -o "$T/r.vgt"
grep -qx "vgt repack: $T/torn.vgt: $TORN" "$T/err.txt" || fail "repack torn: $(cat "$T/err.txt")"
expect 0 "$VGT" trim "$T/torn.vgt" --salvage --frames 0-0 -o "$T/t0.vgt"
grep -qx "vgt trim: $T/torn.vgt: $TORN" "$T/err.txt" || fail "trim torn: $(cat "$T/err.txt")"
expect 2 "$VGT" info "$T/torn.vgt"
grep -qx "  - $TORN" "$T/out.txt" || fail "info torn: $(cat "$T/out.txt")"
expect 2 "$VGT" replay "$T/nf.vgt" --salvage --frames "$F2-11" --backend soft --verify
# the frames after FZ replay and verify; frame FZ (F2 = FZ) lost its
# first records: the replay starts at it or after it (where its start
# record was decides), and it verifies or is not compared (whether the
# lost records drew decides)
set -- $(sed -En "s/^replay: .*nf.vgt \(soft backend\): guest frames ([0-9]+)\.\.11, ([0-9]+) frames?, [0-9]+ commands, ([0-9]+) frames? verified, 1 chunk skipped, 0 divergences after it, .*/\1 \2 \3/p" "$T/out.txt")
[ $# -eq 3 ] && [ "$1" -ge "$F2" ] && [ "$1" -le $((FZ + 1)) ] && [ "$2" -eq $((12 - $1)) ] &&
    [ "$3" -ge $((11 - FZ)) ] && [ "$3" -le "$2" ] ||
    fail "replay --salvage --frames $F2-11 (frames $SPAN lost): $(cat "$T/out.txt" "$T/err.txt")"
# the static readers and repack cross it too
for verb in leaks surfaces "shader list"; do
    expect 2 "$VGT" $verb "$T/nf.vgt" --salvage
    grep -Eq "^vgt ${verb% *}: $GAP" "$T/err.txt" || fail "$verb --salvage: $(cat "$T/err.txt")"
done
expect 2 "$VGT" repack "$T/nf.vgt" --salvage -o "$T/r.vgt"
grep -Eq ", 1 damaged chunk skipped, " "$T/out.txt" || fail "repack --salvage: $(cat "$T/out.txt")"
grep -Eq "^vgt repack: .*nf.vgt: $GAP" "$T/err.txt" || fail "repack --salvage: $(cat "$T/err.txt")"
# a trim of frames before the gap does not cross it: the damaged header
# the open's walk left out is said (as vgt replay says it: it was
# "warning: chunk N at offset O: ..."), the gap is not, and nothing is
# counted skipped
expect 0 "$VGT" trim "$T/nf.vgt" --salvage --frames 0-0 -o "$T/t0.vgt"
grep -qx "vgt trim: $T/nf.vgt: skipped chunk $CHUNK at offset $OFFSET: chunk header checksum mismatch" \
    "$T/err.txt" || fail "trim --frames 0-0: $(cat "$T/err.txt")"
grep -Eq "$GAP|warning: chunk" "$T/err.txt" && fail "trim --frames 0-0: $(cat "$T/err.txt")"
grep -q "skipped" "$T/out.txt" && fail "trim --frames 0-0: $(cat "$T/out.txt")"
# frames past the end: the trace's frames said (they were 0..FA + 11 - F2)
expect 2 "$VGT" replay "$T/nf.vgt" --salvage --frames 20-30 --backend null
grep -q "no frame 20\.\.30 in the trace (guest frames 0\.\.11)$" "$T/err.txt" ||
    fail "replay --salvage --frames 20-30: $(cat "$T/err.txt")"
# trim: frames after the gap are in range; frame F2-1's end was in the
# gap, so the state at F2 is taken at F2's first readable record, said, and
# the trim written whole, exit 2 (it refused: "no state to start frame F2
# from"); the frames after FZ verify on their own
expect 2 "$VGT" trim "$T/nf.vgt" --salvage --frames "$F2-11" -o "$T/t.vgt"
grep -qxF "vgt trim: $T/nf.vgt: the state at frame $F2 was taken after damaged frames (frame $((F2 - 1))'s end was in a skipped chunk): at frame $F2's first readable record" "$T/err.txt" ||
    fail "trim --frames $F2-11: $(cat "$T/err.txt")"
grep -q "guest frames $F2..11, $((12 - F2)) frames, snapshot at $F2 .*, 1 damaged chunk skipped" "$T/out.txt" ||
    fail "trim --frames $F2-11: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/t.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "trim --frames $F2-11: not complete"
grep -q "\"complete_frames\": $((12 - F2))," "$T/out.txt" || fail "trim --frames $F2-11: frames"
expect 0 "$VGT" replay "$T/t.vgt" --backend soft --verify --frames "$((FZ + 1))-11"
grep -Eq "guest frames $((FZ + 1))\.\.11, $((11 - FZ)) frames?, .*, $((11 - FZ)) frames? verified" "$T/out.txt" ||
    fail "trim --frames $F2-11: --verify: $(cat "$T/out.txt")"
exit 0
