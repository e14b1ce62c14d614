#!/bin/sh
# vgt repack: every record written again at another zstd level or chunk size
# (the same records and payloads, the same replay), vgt trim keeping a fast
# negative level, a damaged trace's readable records salvaged into a complete
# trace, a killed capture completed, usage errors.
# Usage: cli_repack.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# same_records A B: vgt dump of A and B list the same records and commands
# (types, sizes, frames, timestamps; commands, guest memory, fences, timings)
same_records() {
    for v in --records --verbose; do
        "$VGT" dump "$1" $v >"$T/a.dump" 2>&1 || fail "vgt dump $1 $v"
        "$VGT" dump "$2" $v >"$T/b.dump" 2>&1 || fail "vgt dump $2 $v"
        cmp -s "$T/a.dump" "$T/b.dump" || fail "$2 ($v) is not $1: $(diff "$T/a.dump" "$T/b.dump" | head -5)"
    done
}

# 2d-demo, 30 frames, 16 KiB chunks: its records after the last frame end kept
expect 0 "$VGT" run 2d-demo --frames 30 --capture "$T/d.vgt" --capture-chunk 16
expect 0 "$VGT" repack "$T/d.vgt" -o "$T/d19.vgt" --level 19
grep -q "^repack: .*d.vgt -> .*d19.vgt: guest frames 0..29 (30 complete), zstd level 19, chunks of 16 KiB, \([0-9]*\) records (\1 read), [0-9]* -> [0-9]* bytes, " "$T/out.txt" ||
    fail "repack summary: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/d19.vgt"
grep -q "zstd level 19, chunks of 16384 bytes" "$T/out.txt" || fail "repack: level 19 in the header"
grep -q "^creator: *vgt .* repack" "$T/out.txt" || fail "repack: creator"
same_records "$T/d.vgt" "$T/d19.vgt"
expect 0 "$VGT" replay "$T/d19.vgt" --verify
grep -q "guest frames 0..29, 30 frames, .*30 frames verified" "$T/out.txt" || fail "repacked replay --verify"
# level 19 is smaller than the capture's level 1
[ "$(wc -c <"$T/d19.vgt")" -lt "$(wc -c <"$T/d.vgt")" ] || fail "level 19 not smaller than level 1"
# other chunks: 4 KiB, at the capture's own level (kept); then 256 KiB
expect 0 "$VGT" repack "$T/d.vgt" -o "$T/d4.vgt" --chunk 4 -q
[ -s "$T/out.txt" ] && fail "repack -q printed: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/d4.vgt" --json
grep -q '"compression_level": 1,' "$T/out.txt" || fail "repack: IN's level not kept: $(grep level "$T/out.txt")"
grep -q '"chunk_size": 4096,' "$T/out.txt" || fail "repack --chunk 4"
C4=$(awk -F'[:,]' '/"chunks":/ { print $2 + 0; exit }' "$T/out.txt")
expect 0 "$VGT" info "$T/d.vgt" --json
C16=$(awk -F'[:,]' '/"chunks":/ { print $2 + 0; exit }' "$T/out.txt")
[ "$C4" -gt "$C16" ] || fail "4 KiB chunks ($C4) not more than 16 KiB ones ($C16)"
same_records "$T/d.vgt" "$T/d4.vgt"
expect 0 "$VGT" repack "$T/d4.vgt" -o "$T/d256.vgt" --chunk 256 --level -5
same_records "$T/d.vgt" "$T/d256.vgt"
# a mid-run capture's snapshot is a record like the others
expect 0 "$VGT" run cube --frames 12 --capture "$T/m.vgt" --capture-start 5
expect 0 "$VGT" repack "$T/m.vgt" -o "$T/m2.vgt" --level 9
grep -q "guest frames 5..11 (7 complete)" "$T/out.txt" || fail "mid-run repack: $(cat "$T/out.txt")"
same_records "$T/m.vgt" "$T/m2.vgt"
expect 0 "$VGT" replay "$T/m2.vgt" --verify
grep -q "guest frames 5..11, 7 frames, .*7 frames verified" "$T/out.txt" || fail "mid-run repack --verify"

# vgt trim keeps IN's level, a fast negative one included (it fell back to 3)
expect 0 "$VGT" run 2d-demo --frames 8 --capture "$T/f.vgt" --capture-level -3
expect 0 "$VGT" trim "$T/f.vgt" --frames 2-5 -o "$T/f25.vgt"
expect 0 "$VGT" info "$T/f25.vgt"
grep -q "zstd level -3," "$T/out.txt" || fail "trim: level -3 not kept: $(grep level "$T/out.txt")"
expect 0 "$VGT" trim "$T/f.vgt" --frames 2-5 -o "$T/f25b.vgt" --level 12 --chunk 8
expect 0 "$VGT" info "$T/f25b.vgt"
grep -q "zstd level 12, chunks of 8192 bytes" "$T/out.txt" || fail "trim --level --chunk"

# a damaged chunk: without --salvage named, and no OUT; with it, OUT complete
# (index and footer), every readable record kept in its frame, exit 2
damage "$T/d.vgt" "$T/bad.vgt" "^15-"
BAD_CHUNK=$CHUNK BAD_OFFSET=$OFFSET
expect 2 "$VGT" repack "$T/bad.vgt" -o "$T/r.vgt"
grep -q "chunk $CHUNK .*offset $OFFSET.*(--salvage skips damaged chunks); .*r.vgt not written" "$T/err.txt" ||
    fail "damaged chunk message: $(cat "$T/err.txt")"
[ -e "$T/r.vgt" ] && fail "r.vgt written from a damaged trace"
ls "$T" | grep -q "r.vgt.trim" && fail "temporary file left"
expect 2 "$VGT" repack "$T/bad.vgt" -o "$T/r.vgt" --salvage
grep -q "vgt repack: .*bad.vgt: skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "salvage report: $(cat "$T/err.txt")"
grep -q ", 1 damaged chunk skipped" "$T/out.txt" || fail "salvage summary: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/r.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "salvaged trace not complete"
grep -q '"complete_frames": 30,' "$T/out.txt" || fail "salvaged trace: frames not kept: $(grep frames "$T/out.txt")"
# salvaged BAD OUT: OUT's records are what vgt dump --salvage reads of BAD,
# each in its frame (record numbers, and so dedup references, close up over
# the lost records; the frame ends a lost chunk held are written again, and
# counted by the callers)
salvaged() {
    "$VGT" dump "$1" --records --salvage >"$T/a.dump" 2>/dev/null
    expect 0 "$VGT" dump "$2" --records
    keep='$1 ~ /^[0-9]+$/ && $4 != "frame_end" { $1 = ""; sub(/ \(same payload as #[0-9]+\)/, ""); print }'
    awk "$keep" "$T/a.dump" >"$T/a.rec"
    awk "$keep" "$T/out.txt" >"$T/b.rec"
    [ -s "$T/b.rec" ] || fail "no records in the salvaged $2"
    cmp -s "$T/a.rec" "$T/b.rec" || fail "$2: salvaged records differ from the readable ones: $(diff "$T/a.rec" "$T/b.rec" | head -4)"
}
salvaged "$T/bad.vgt" "$T/r.vgt"
# the frames before the damage replay as they were captured
expect 0 "$VGT" replay "$T/r.vgt" --frames 0-9 --verify
grep -q "guest frames 0..9, 10 frames, .*10 frames verified" "$T/out.txt" || fail "salvaged trace's frames 0..9"

# a lost chunk holding frame ends (cube in 1 KiB chunks; the first chunk past
# frame 0 whose records run from a frame A into a later one, as 3-5): the
# frames after it keep their numbers.  Which chunk that is depends on how the
# device batched the guest's commands, so it is looked up, not named.
expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt" --capture-chunk 1
frame_end_chunk "$T/c.vgt" 1 12
damage "$T/c.vgt" "$T/cbad.vgt" "^$SPAN\$"
expect 2 "$VGT" repack "$T/cbad.vgt" -o "$T/cr.vgt" --salvage
expect 0 "$VGT" info "$T/cr.vgt" --json
grep -q '"complete_frames": 12,' "$T/out.txt" || fail "cube salvaged: frames not kept: $(grep frames "$T/out.txt")"
salvaged "$T/cbad.vgt" "$T/cr.vgt"

# a killed capture (cut inside its last chunks, no footer): repacked up to its
# last complete chunk, with a warning, into a complete trace.  Cut in the
# middle of frame 20's first chunk, after the damaged chunk of frame 15
# (cut at 2/3 of the file, the chunk lay 9 KB before the cut, the
# compressed sizes deciding: they vary from run to run, docs/conventions.md)
"$VGT" dump "$T/d.vgt" --chunks >"$T/chunks.txt" 2>&1 || fail "vgt dump d.vgt --chunks"
CUT=$(awk '$1 ~ /^[0-9]+$/ && $5 ~ /^20-/ { print $2 + 80 + int($6 / 2); exit }' "$T/chunks.txt")
[ -n "$CUT" ] && [ "$CUT" -gt $((BAD_OFFSET + 80)) ] || fail "no chunk of frame 20 after the damaged one: $(cat "$T/chunks.txt")"
head -c "$CUT" "$T/d.vgt" >"$T/k.vgt"
expect 0 "$VGT" repack "$T/k.vgt" -o "$T/k2.vgt"
grep -qx "vgt repack: warning: $T/k.vgt is incomplete (no footer index; rebuilt from [0-9]* chunks*): repacked up to its last complete chunk" "$T/err.txt" ||
    fail "killed capture: no warning: $(cat "$T/err.txt")"
expect 0 "$VGT" info "$T/k2.vgt" --json
grep -q '"complete": true' "$T/out.txt" || fail "repacked killed capture not complete"
expect 0 "$VGT" replay "$T/k2.vgt" --verify

# a killed capture with a damaged chunk (bad.vgt cut as k.vgt was): the open
# rebuilds the index and the chunk stays in it; each verb that salvages
# past it says so and exits 2 (they exited 0 without a word: the problem
# was recorded at the open, so it was never new to them)
head -c "$CUT" "$T/bad.vgt" >"$T/kb.vgt"
expect 2 "$VGT" repack "$T/kb.vgt" -o "$T/kb2.vgt" --salvage
grep -q "vgt repack: .*kb.vgt: skipped chunk $BAD_CHUNK at offset $BAD_OFFSET: checksum mismatch" "$T/err.txt" ||
    fail "killed + damaged repack: $(cat "$T/err.txt")"
grep -q ", 1 damaged chunk skipped" "$T/out.txt" || fail "killed + damaged repack summary: $(cat "$T/out.txt")"
for v in leaks surfaces "shader list"; do
    expect 2 "$VGT" $v "$T/kb.vgt" --salvage
    grep -q "skipped chunk $BAD_CHUNK at offset $BAD_OFFSET: checksum mismatch" "$T/err.txt" ||
        fail "killed + damaged $v: $(cat "$T/err.txt")"
done
expect 2 "$VGT" leaks "$T/kb.vgt"
grep -q "(--salvage skips damaged chunks)" "$T/err.txt" || fail "killed + damaged leaks: no hint: $(cat "$T/err.txt")"
expect 2 "$VGT" replay "$T/kb.vgt" --salvage --backend null
grep -q "skipped chunk $BAD_CHUNK at offset $BAD_OFFSET: checksum mismatch" "$T/err.txt" ||
    fail "killed + damaged replay: $(cat "$T/err.txt")"
grep -q ", 1 chunk skipped," "$T/out.txt" || fail "killed + damaged replay summary: $(cat "$T/out.txt")"
expect 2 "$VGT" replay "$T/kb.vgt" --backend null
grep -q "checksum mismatch.* (--salvage skips damaged chunks)$" "$T/err.txt" ||
    fail "killed + damaged replay without --salvage: $(cat "$T/err.txt")"

# usage: exit 1, nothing written
expect 0 "$VGT" repack --help
grep -q "usage: vgt repack IN -o OUT" "$T/out.txt" || fail "repack --help"
expect 1 "$VGT" repack "$T/d.vgt"
grep -q "vgt repack: no output trace (-o OUT)" "$T/err.txt" || fail "repack without -o: $(cat "$T/err.txt")"
expect 1 "$VGT" repack -o "$T/x.vgt"
grep -q "vgt repack: which trace? (vgt repack IN -o OUT)" "$T/err.txt" || fail "repack without IN"
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/d.vgt"
grep -q "the output is the input" "$T/err.txt" || fail "repack onto IN"
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/x.vgt" --level 23
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/x.vgt" --level -8
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/x.vgt" --chunk 0
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/x.vgt" --chunk 262145
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/x.vgt" --frames 1-2
grep -q "vgt repack: --frames: repack copies every record (no replay, no cut); a cut is vgt trim's" "$T/err.txt" ||
    fail "repack --frames message: $(cat "$T/err.txt")"
expect 1 "$VGT" repack "$T/d.vgt" -o "$T/x.vgt" --level
grep -q "a zstd level -7..22" "$T/err.txt" || fail "--level without a value: $(cat "$T/err.txt")"
[ -e "$T/x.vgt" ] && fail "x.vgt written by a usage error"
expect 2 "$VGT" repack "$T/missing.vgt" -o "$T/x.vgt"
[ -e "$T/x.vgt" ] && fail "x.vgt written from a missing trace"
echo "cli_repack: ok"
