#!/bin/sh
# Every verb that reads a trace reports its problems the same way: each
# once, in the order of the file, the open's too (docs/cli.md, its
# opening section).  A killed capture of cube in 4 KiB chunks, chunk 1's header
# damaged (its magic) and the file cut inside chunk 2: vgt leaks,
# surfaces and shader list --salvage said only the gap the read met, as
# "skipped chunk 1 at offset O2: missing (records R1 and after)", O2 being
# chunk 2's offset; vgt diff --salvage named neither the torn chunk nor
# the missing footer; vgt analyze --salvage only the gap; vgt pixel
# nothing at all.  Without
# --salvage, the chunk that stopped the read was said twice (a "stopped
# at" line, then the error with the hint), and vgt replay said the
# missing footer twice.  Which chunk holds which records varies from run
# to run (docs/conventions.md): looked up with vgt dump --chunks.
# Usage: cli_problems.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run cube --frames 16 --capture "$T/c.vgt" --capture-chunk 4
"$VGT" dump "$T/c.vgt" --chunks >"$T/chunks.txt" 2>&1 || fail "dump --chunks"
O1=$(awk '$1 == 1 { print $2 }' "$T/chunks.txt")
R1=$(awk '$1 == 1 { print $4 }' "$T/chunks.txt")
O2=$(awk '$1 == 2 { print $2 }' "$T/chunks.txt")
C2=$(awk '$1 == 2 { print $6 }' "$T/chunks.txt")
[ -n "$O1" ] && [ -n "$R1" ] && [ -n "$O2" ] && [ -n "$C2" ] || fail "chunks: $(cat "$T/chunks.txt")"
# t.vgt: chunk 1's magic damaged, the file cut 100 bytes into chunk 2
# (its header whole, its body torn), no footer; h.vgt: the same header
# damage in the whole trace
cp "$T/c.vgt" "$T/h.vgt" || fail "cp"
printf '\377' | dd of="$T/h.vgt" bs=1 seek=$((O1 + 2)) conv=notrunc 2>/dev/null || fail "dd"
head -c $((O2 + 100)) "$T/h.vgt" >"$T/t.vgt" || fail "head"

BAD="skipped chunk 1 at offset $O1: bad chunk magic"
GAP="skipped chunk 1 at offset $O1: missing (records $R1 and after)"
TORN="skipped chunk 2 at offset $O2: torn: it needs $((80 + C2)) bytes, the file has 100"
FOOTER="no footer index (the trace was not closed); index rebuilt from the chunks"

# the lines of $T/err.txt that say a problem, the missing footer or the
# incomplete trace, against the lines given
said() {
    what=$1
    shift
    # (not vgt trim's note on a frame whose captured hash it left out, "...
    # lost records to a skipped chunk: ...": which frame depends on the
    # chunk layout, docs/conventions.md; cli_trim_edges asserts it)
    grep -E "skipped chunk|stopped at|chunk [0-9]+ at offset|no footer|incomplete|problem" \
        "$T/err.txt" | grep -v "captured frame hash is left out" >"$T/said.txt"
    : >"$T/want.txt"
    for l in "$@"; do
        printf '%s\n' "$l" >>"$T/want.txt"
    done
    cmp -s "$T/said.txt" "$T/want.txt" ||
        fail "$what: said
$(cat "$T/said.txt")
expected
$(cat "$T/want.txt")"
}
incomplete() {
    echo "vgt $1: warning: $T/t.vgt is incomplete (no footer index; rebuilt from 1 chunk): $2 up to its last complete chunk"
}

# --salvage: the footer (or the incomplete trace's warning, which says it),
# the damaged header, the records lost from there (at its offset), the
# torn chunk; in the order of the file, each once
for v in leaks:analyzed surfaces:read "shader list":read "replay --backend null":replaying; do
    cmd=${v%:*}
    verb=${cmd%% *}
    expect 2 "$VGT" $cmd "$T/t.vgt" --salvage
    said "$cmd --salvage" "$(incomplete "$verb" "${v#*:}")" "vgt $verb: $BAD" "vgt $verb: $GAP" \
        "vgt $verb: $TORN"
done
expect 2 "$VGT" analyze "$T/t.vgt" --salvage --backend null --runs 1 -q --db "$T/a.sqlite"
said "analyze --salvage" "$(incomplete analyze analyzed)" "vgt analyze: $BAD" "vgt analyze: $GAP" \
    "vgt analyze: $TORN"
# (vgt dump listed the footer among the problems, "vgt dump: $FOOTER",
# where the others warn; --chunks too, and said the chunks' problems as
# it checks them: the damaged header, the torn chunk, no gap, since the
# walked index has no chunk 1)
for view in --records "" --json; do
    expect 2 "$VGT" dump $view "$T/t.vgt" --salvage
    said "dump $view --salvage" "$(incomplete dump listed)" "vgt dump: $BAD" "vgt dump: $GAP" \
        "vgt dump: $TORN"
done
grep -q '"type":"problem","chunk":null,.*"no footer index (the trace was not closed)' "$T/out.txt" ||
    fail "dump --json --salvage: no footer problem object: $(cat "$T/out.txt")"
expect 2 "$VGT" dump --chunks "$T/t.vgt" --salvage
said "dump --chunks --salvage" "$(incomplete dump listed)" "vgt dump: $BAD" "vgt dump: $TORN"
expect 2 "$VGT" diff "$T/c.vgt" "$T/t.vgt" --salvage
B="vgt diff: B ($T/t.vgt)"
# (the missing footer in the warning the others give: it was "$B: $FOOTER")
said "diff --salvage" \
    "vgt diff: warning: B ($T/t.vgt) is incomplete (no footer index; rebuilt from 1 chunk): compared up to its last complete chunk" \
    "$B: $BAD" "$B: $GAP" "$B: $TORN"
# vgt pixel said no problem at all: a frame before the damage, replayed
# (the gap after it is not met), exit 0 as before
expect 0 "$VGT" pixel "$T/t.vgt" --frame 1 --at 10,10 --salvage
said "pixel --salvage" "$(incomplete pixel replayed)" "vgt pixel: $BAD" "vgt pixel: $TORN"
# a damaged chunk body its replay meets on the way to the last frame
# (the reader that looked the frame up went straight to it)
C1=$(awk '$1 == 1 { print $6 }' "$T/chunks.txt")
cp "$T/c.vgt" "$T/d.vgt" || fail "cp"
printf '\001\002\003\004\005\006\007\010' |
    dd of="$T/d.vgt" bs=1 seek=$((O1 + 40 + C1 / 2)) conv=notrunc 2>/dev/null || fail "dd"
# (frame 15's state lost records: exit 2, as vgt replay --salvage --frames
# 15-15; it was 0; a frame whose end is in chunk 0 is whole: exit 0)
expect 2 "$VGT" pixel "$T/d.vgt" --frame 15 --at 10,10 --salvage
said "pixel --salvage, a body" "vgt pixel: skipped chunk 1 at offset $O1: checksum mismatch in its $C1 compressed bytes"
grep -q "^pixel (10,10) " "$T/out.txt" || fail "pixel --salvage, a body: no history: $(cat "$T/out.txt")"
L0=$(awk '$1 == 0 { split($5, f, "-"); print f[2] }' "$T/chunks.txt")
[ "${L0:-0}" -ge 1 ] || fail "chunk 0 holds no whole frame: $(cat "$T/chunks.txt")"
expect 0 "$VGT" pixel "$T/d.vgt" --frame $((L0 - 1)) --at 10,10 --salvage
said "pixel --salvage, before the body"
# vgt trim and vgt repack said the problems as their readers met them,
# with their own words: "warning: problem at offset O: no footer index
# (...)" where the others give the incomplete trace's warning.  The
# problems of IN, after "IN: ", each once though trim reads IN twice (the
# replay to frame 1, then the copy)
TIN="$T/t.vgt: "
expect 2 "$VGT" repack "$T/t.vgt" -o "$T/y.vgt" --salvage
said "repack --salvage" "$(incomplete repack repacked)" "vgt repack: $TIN$BAD" \
    "vgt repack: $TIN$GAP" "vgt repack: $TIN$TORN"
# (frames before the damage: the gap is not met, exit 0; from frame 1,
# when chunk 0 holds it whole, the replay to it reads t.vgt first)
F=$((L0 >= 2 ? 1 : 0))
expect 0 "$VGT" trim "$T/t.vgt" --frames $F- -o "$T/y.vgt" --salvage
said "trim --salvage" "$(incomplete trim trimmed)" "vgt trim: $TIN$BAD" "vgt trim: $TIN$TORN"
expect 2 "$VGT" trim "$T/h.vgt" --frames $F- -o "$T/y.vgt" --salvage
said "trim h.vgt --salvage" "vgt trim: $T/h.vgt: $BAD"
expect 2 "$VGT" info "$T/t.vgt"
grep -A4 "^integrity:" "$T/out.txt" >"$T/err.txt"
said "info" "integrity:       4 problem(s)" "  - $FOOTER" "  - $BAD" "  - $GAP" "  - $TORN"

# without --salvage: the chunk that stopped the read once, in the error
# line with the hint; the missing footer once
STOP="$T/h.vgt: chunk 1 at offset $O1: bad chunk magic (--salvage skips damaged chunks)"
for cmd in leaks surfaces "shader list" "replay --backend null" "dump --records" dump; do
    verb=${cmd%% *}
    expect 2 "$VGT" $cmd "$T/h.vgt"
    said "$cmd" "vgt $verb: $STOP"
done
expect 2 "$VGT" analyze "$T/h.vgt" --backend null --runs 1 -q --db "$T/b.sqlite"
said "analyze" "vgt analyze: $STOP"
expect 2 "$VGT" diff "$T/c.vgt" "$T/h.vgt"
said "diff" "vgt diff: B: $STOP"
expect 2 "$VGT" pixel "$T/h.vgt" --frame 5 --at 10,10
said "pixel" "vgt pixel: $STOP"
STOP="$T/t.vgt: chunk 1 at offset $O1: bad chunk magic (--salvage skips damaged chunks)"
expect 2 "$VGT" replay --backend null "$T/t.vgt"
said "replay t.vgt" "$(incomplete replay replaying)" "vgt replay: $STOP"
expect 2 "$VGT" leaks "$T/t.vgt"
said "leaks t.vgt" "$(incomplete leaks analyzed)" "vgt leaks: $STOP"
expect 2 "$VGT" dump --records "$T/t.vgt"
said "dump t.vgt" "$(incomplete dump listed)" "vgt dump: $STOP"
# vgt diff without --salvage compared the frames before the damage of a
# footerless trace and exited 0, though the whole trace was asked for;
# the frames before the damage alone compare, exit 0
# (the missing footer in the incomplete trace's warning, as the others)
DIFFWARN="is incomplete (no footer index; rebuilt from 1 chunk): compared up to its last complete chunk"
expect 2 "$VGT" diff "$T/c.vgt" "$T/t.vgt"
said "diff t.vgt" "vgt diff: warning: B ($T/t.vgt) $DIFFWARN" "vgt diff: B: $STOP"
expect 0 "$VGT" diff "$T/c.vgt" "$T/t.vgt" --frames 0-1
said "diff t.vgt --frames 0-1" "vgt diff: warning: B ($T/t.vgt) $DIFFWARN" \
    "vgt diff: B ($T/t.vgt): stopped at chunk 1 at offset $O1: bad chunk magic"
expect 2 "$VGT" diff "$T/t.vgt" "$T/c.vgt"
said "diff t.vgt as A" "vgt diff: warning: A ($T/t.vgt) $DIFFWARN" "vgt diff: A: $STOP"
# without --salvage: vgt trim and repack said the stop twice ("IN:
# damaged chunk 1 ...", then the error line), and a footerless trace's
# missing footer in words of their own
for cmd in repack "trim --frames $F-"; do
    verb=${cmd%% *}
    expect 2 "$VGT" $cmd "$T/h.vgt" -o "$T/y.vgt"
    said "$cmd h.vgt" "vgt $verb: $T/h.vgt: chunk 1 at offset $O1: bad chunk magic (--salvage skips damaged chunks); $T/y.vgt not written"
done
expect 2 "$VGT" repack "$T/t.vgt" -o "$T/y.vgt"
said "repack t.vgt" "$(incomplete repack repacked)" "vgt repack: $STOP; $T/y.vgt not written"
[ ! -e "$T/y.vgt" ] || fail "y.vgt written without --salvage"
# frames before the damage: trimmed, exit 0, the stop said as vgt diff
# --frames says it (it was "warning: problem at offset O: no footer
# index ...", then the stop)
expect 0 "$VGT" trim "$T/t.vgt" --frames $F- -o "$T/y.vgt"
said "trim t.vgt" "$(incomplete trim trimmed)" \
    "vgt trim: $T/t.vgt: stopped at chunk 1 at offset $O1: bad chunk magic"
# more problems than a verb lists (20): the rest were left out unsaid;
# now counted in one line after the twentieth
expect 0 "$VGT" run draw-calls --frames 40 --capture "$T/m.vgt" --capture-chunk 4
"$VGT" dump "$T/m.vgt" --chunks >"$T/mchunks.txt" 2>&1 || fail "dump --chunks m.vgt"
cp "$T/m.vgt" "$T/md.vgt" || fail "cp"
n=0
for c in $(seq 1 23); do
    o=$(awk -v c=$c '$1 == c { print $2 + 40 + int($6 / 2) }' "$T/mchunks.txt")
    [ -n "$o" ] || fail "draw-calls has no chunk $c: $(cat "$T/mchunks.txt")"
    printf '\377\377\377\377' | dd of="$T/md.vgt" bs=1 seek="$o" conv=notrunc 2>/dev/null ||
        fail "dd"
    n=$((n + 1))
done
expect 2 "$VGT" leaks "$T/md.vgt" --salvage
[ "$(grep -c '^vgt leaks: skipped chunk' "$T/err.txt")" -eq 20 ] ||
    fail "leaks, $n damaged chunks: $(cat "$T/err.txt")"
[ "$(tail -n 1 "$T/err.txt")" = "vgt leaks: $((n - 20)) more problems not listed" ] ||
    fail "leaks, $n damaged chunks: the untold ones: $(tail -n 2 "$T/err.txt")"
echo "PASS"
