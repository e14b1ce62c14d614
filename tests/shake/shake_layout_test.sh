#!/bin/sh
# shake_layout_test.sh VGT RECHUNK DIR: make shake's chunk-layout wrapper
# (shake_layout.sh) on a cube capture in 4 KiB chunks: each layout keeps
# every record (types, in order) and begins every chunk after the first
# where it says (on a record of the type, the first one from a capture
# boundary on; N records after each boundary), a type no record has leaves
# the file as it was, usage errors; and cli_common.sh's expect rechunks a
# `vgt run --capture` only when VGT_SHAKE_LAYOUT is set.
VGT=$1
RECHUNK=$2
T=$3
rm -rf "$T" && mkdir -p "$T" || exit 1
. "$(dirname "$0")/../capture/cli_common.sh"
LAYOUT="$(dirname "$0")/shake_layout.sh"

# without VGT_SHAKE_LAYOUT, expect leaves the capture as the device made it
unset VGT_SHAKE_LAYOUT
expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt" --capture-chunk 4
expect 0 "$VGT" info "$T/c.vgt"
grep -q "rechunk_trace" "$T/out.txt" && fail "expect rechunked without VGT_SHAKE_LAYOUT"
"$VGT" dump "$T/c.vgt" --chunks >"$T/c.chunks" || fail "dump --chunks"
"$VGT" dump "$T/c.vgt" --records >"$T/c.records" || fail "dump --records"
# FIRST_REC of the chunks after the first, and the records' types
bounds() { awk 'NR > 1 && $1 ~ /^[0-9]+$/ && $1 > 0 { print $4 }' "$1"; }
types() { awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $4 }' "$1"; }
bounds "$T/c.chunks" >"$T/c.bounds"
[ "$(wc -l <"$T/c.bounds")" -ge 2 ] || fail "cube in 4 KiB chunks: expected 3 chunks or more: $(cat "$T/c.chunks")"
types "$T/c.records" >"$T/c.types"

# shaken LAYOUT: the capture rechunked, its records the same, its chunks
# (after the first) beginning at the record numbers in $T/l.bounds
shaken() {
    cp "$T/c.vgt" "$T/l.vgt" || fail "cp"
    expect 0 sh "$LAYOUT" "$VGT" "$RECHUNK" "$T/l.vgt" "$1"
    expect 0 "$VGT" dump "$T/l.vgt" --records
    types "$T/out.txt" >"$T/l.types"
    cmp -s "$T/c.types" "$T/l.types" || fail "layout $1: the records changed"
    expect 0 "$VGT" dump "$T/l.vgt" --chunks
    bounds "$T/out.txt" >"$T/l.bounds"
}

# a type: each boundary on the first record of the type at or after a
# capture boundary (each such record once)
for type in frame_hash register_write command_batch; do
    shaken "$type"
    awk -v type="$type" '
        FILENAME ~ /c.types$/ { t[FNR - 1] = $1; n = FNR; next }
        { b = $1; while (b < n && t[b] != type) b++; if (b < n && b != last) print b; last = b }
    ' "$T/c.types" "$T/c.bounds" >"$T/want.bounds"
    [ -s "$T/want.bounds" ] || fail "$type: no boundary to move (cube has that record type)"
    cmp -s "$T/want.bounds" "$T/l.bounds" ||
        fail "layout $type: chunks begin at $(tr '\n' ' ' <"$T/l.bounds"), expected $(tr '\n' ' ' <"$T/want.bounds")"
done
# a number: N records after each boundary
shaken 2
awk '{ print $1 + 2 }' "$T/c.bounds" >"$T/want.bounds"
cmp -s "$T/want.bounds" "$T/l.bounds" ||
    fail "layout 2: chunks begin at $(tr '\n' ' ' <"$T/l.bounds"), expected $(tr '\n' ' ' <"$T/want.bounds")"
expect 0 "$VGT" replay "$T/l.vgt" --verify
# 1 KiB chunks, several to a frame: their boundaries all move onto the
# frame's one FRAME_END, which begins one chunk
expect 0 "$VGT" run cube --frames 4 --capture "$T/k.vgt" --capture-chunk 1
"$VGT" dump "$T/k.vgt" --chunks >"$T/k.chunks" || fail "dump --chunks"
"$VGT" dump "$T/k.vgt" --records >"$T/k.records" || fail "dump --records"
types "$T/k.records" >"$T/k.types"
bounds "$T/k.chunks" >"$T/k.bounds"
awk 'FILENAME ~ /k.types$/ { t[FNR - 1] = $1; n = FNR; next }
     { b = $1; while (b < n && t[b] != "frame_end") b++; if (b < n) print b }' \
    "$T/k.types" "$T/k.bounds" | uniq >"$T/want.bounds"
[ "$(wc -l <"$T/k.bounds")" -gt "$(wc -l <"$T/want.bounds")" ] ||
    fail "cube in 1 KiB chunks: expected two chunks to begin in one frame: $(cat "$T/k.chunks")"
expect 0 sh "$LAYOUT" "$VGT" "$RECHUNK" "$T/k.vgt" frame_end
expect 0 "$VGT" dump "$T/k.vgt" --chunks
bounds "$T/out.txt" >"$T/l.bounds"
cmp -s "$T/want.bounds" "$T/l.bounds" ||
    fail "1 KiB chunks, layout frame_end: chunks begin at $(tr '\n' ' ' <"$T/l.bounds"), expected $(tr '\n' ' ' <"$T/want.bounds")"
# a type no record has: nothing to move, the file as it was
cp "$T/c.vgt" "$T/l.vgt" || fail "cp"
expect 0 sh "$LAYOUT" "$VGT" "$RECHUNK" "$T/l.vgt" no_such_type
cmp -s "$T/c.vgt" "$T/l.vgt" || fail "layout no_such_type changed the file"
# usage, and a file that is no trace
expect 1 sh "$LAYOUT" "$VGT" "$RECHUNK" "$T/l.vgt"
grep -q "^usage: shake_layout.sh" "$T/err.txt" || fail "usage message: $(cat "$T/err.txt")"
printf 'not a trace' >"$T/bad.vgt"
expect 2 sh "$LAYOUT" "$VGT" "$RECHUNK" "$T/bad.vgt" frame_end
grep -q "bad.vgt: vgt dump failed" "$T/err.txt" || fail "bad trace message: $(cat "$T/err.txt")"

# with VGT_SHAKE_LAYOUT, expect rechunks what `vgt run` captured, by
# --capture and by VGT_CAPTURE
VGT_SHAKE_LAYOUT=frame_end VGT_SHAKE_RECHUNK=$RECHUNK expect 0 "$VGT" run cube --frames 12 --capture "$T/s.vgt" --capture-chunk 4
expect 0 "$VGT" info "$T/s.vgt"
grep -q "rechunk_trace" "$T/out.txt" || fail "--capture not rechunked: $(cat "$T/out.txt")"
expect 0 "$VGT" dump "$T/s.vgt" --records
types "$T/out.txt" >"$T/s.types"
expect 0 "$VGT" dump "$T/s.vgt" --chunks
for b in $(bounds "$T/out.txt"); do
    [ "$(sed -n "$((b + 1))p" "$T/s.types")" = frame_end ] || fail "chunk at record $b: not a frame_end"
done
VGT_CAPTURE="$T/e.vgt" VGT_CAPTURE_CHUNK=4 VGT_SHAKE_LAYOUT=1 VGT_SHAKE_RECHUNK=$RECHUNK \
    expect 0 "$VGT" run cube --frames 12
expect 0 "$VGT" info "$T/e.vgt"
grep -q "rechunk_trace" "$T/out.txt" || fail "VGT_CAPTURE not rechunked: $(cat "$T/out.txt")"
rm -rf "$T"
echo "shake_layout: ok"
