#!/bin/sh
# A hostile trace of 20 000 tiny chunks, every one damaged (docs/security.md,
# "Hostile inputs"): each problem was checked against every one kept before
# it, by the reader and by vgt trim (quadratic: 10^6 damaged chunks in a
# 100 MB file, 5 * 10^11 compares); now found through a hash index.  What
# is asserted is the counts every verb gives (docs/format.md, "Skipped
# chunks"), each chunk once, never a time: the test's timeout is what a
# quadratic reader runs into, under ASan first.
#   bodies: 20 000 chunks, each compressed body damaged, the footer kept:
#     every chunk skipped, a problem each;
#   headers: 20 000 chunks without a footer, every even one's header
#     damaged: 10 000 damaged headers and the gaps they leave (20 001
#     problems with the missing footer), 10 000 chunks skipped, 10 000 read
#     (vgt trim --frames 1- said 10 001: one record read by its replay to
#     frame 1 and by its copy);
#   a trim of every frame of the bodies: no record to trim (it said "the
#     trace ends inside frame 0").
# The reader keeps the first 4096 problems whole (VGT_TRACE_PROBLEMS_LISTED)
# and the rest compact, without a message (a problem took ~135 bytes, the
# process 2.4-3.8 times the file): vgt info lists the 4096 and says
# "... and 15904 more problems not listed" (it listed all 20000), its
# --json and replay's "problems_not_listed", dump --chunks the same line;
# every count stays exact (problems, chunks skipped, the verbs' "N more
# problems not listed" past the 20 they show).
# Usage: cli_many_damaged.sh VGT TMPDIR MANY_DAMAGED (tests/capture/many_damaged)
set -u
VGT=$1
T=$2
MANY=$3
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
trap 'rm -rf "$T"' EXIT

"$MANY" "$T/bodies.vgt" 20000 body footer || fail "many_damaged bodies"
expect 2 "$VGT" info "$T/bodies.vgt"
grep -qx '  chunks:        0 read, 20000 skipped' "$T/out.txt" || fail "info bodies: $(grep chunks: "$T/out.txt")"
grep -qx 'integrity:       20000 problem(s)' "$T/out.txt" || fail "info bodies: $(grep integrity "$T/out.txt")"
[ "$(grep -c '^  - skipped chunk [0-9]* at offset [0-9]*: checksum mismatch in its' "$T/out.txt")" -eq 4096 ] \
    || fail "info bodies: not the first 4096 problems listed"
grep -q '^  - skipped chunk 4095 at offset ' "$T/out.txt" || fail "info bodies: no problem of chunk 4095"
grep -q '^  - skipped chunk 4096 at offset ' "$T/out.txt" && fail "info bodies: chunk 4096 listed"
[ "$(tail -n 1 "$T/out.txt")" = '  ... and 15904 more problems not listed' ] \
    || fail "info bodies: $(tail -n 1 "$T/out.txt")"
expect 2 "$VGT" info --json "$T/bodies.vgt"
grep -qx '  "problems_not_listed": 15904,' "$T/out.txt" || fail "info --json bodies: $(grep not_listed "$T/out.txt")"
grep -q '"chunks_skipped": 20000,' "$T/out.txt" || fail "info --json bodies: $(grep -o '"chunks_skipped": [0-9]*' "$T/out.txt")"
expect 2 "$VGT" replay "$T/bodies.vgt" --salvage --backend null
grep -q '^replay: .*: 0 frames, 0 commands, 20000 chunks skipped, ' "$T/out.txt" \
    || fail "replay bodies: $(cat "$T/out.txt")"
grep -qx 'vgt replay: 19980 more problems not listed' "$T/err.txt" || fail "replay bodies: $(tail -1 "$T/err.txt")"
expect 2 "$VGT" replay "$T/bodies.vgt" --salvage --backend null --json
grep -q '"chunks_skipped": 20000, ' "$T/out.txt" || fail "replay --json bodies: $(grep chunks_skipped "$T/out.txt")"
grep -qx '  "problems_not_listed": 15904,' "$T/out.txt" || fail "replay --json bodies: $(grep not_listed "$T/out.txt")"
expect 2 "$VGT" dump --chunks "$T/bodies.vgt"
[ "$(grep -c ' damaged$' "$T/out.txt")" -eq 20000 ] || fail "dump --chunks bodies: not 20000 damaged"
[ "$(grep -c '^vgt dump: skipped chunk' "$T/err.txt")" -eq 4096 ] || fail "dump --chunks bodies: not 4096 problems said"
grep -qx 'vgt dump: 15904 more problems not listed' "$T/err.txt" || fail "dump --chunks bodies: $(grep 'not listed' "$T/err.txt")"
expect 2 "$VGT" dump --chunks --json "$T/bodies.vgt"
grep -qx '{"type":"problems_not_listed","count":15904,"message":"15904 more problems not listed"}' "$T/out.txt" \
    || fail "dump --chunks --json bodies: $(grep not_listed "$T/out.txt")"
expect 2 "$VGT" repack "$T/bodies.vgt" --salvage -o "$T/bodies-repack.vgt"
grep -q ', 0 records (0 read), .* 20000 damaged chunks skipped, ' "$T/out.txt" \
    || fail "repack bodies: $(cat "$T/out.txt")"
# a trim of every frame: nothing readable to trim, said with the count the
# other verbs give (it said "the trace ends inside frame 0"), exit 2, no OUT
expect 2 "$VGT" trim "$T/bodies.vgt" --salvage --frames 0- -o "$T/bodies-trim.vgt"
tail -n 1 "$T/err.txt" | grep -qxF "vgt trim: $T/bodies.vgt: no record of frames 0..19999 was readable: skipped chunks held them all (20000 damaged chunks skipped); $T/bodies-trim.vgt not written" \
    || fail "trim bodies: $(tail -n 2 "$T/err.txt")"
grep -qx "vgt trim: $T/bodies.vgt: 19980 more problems not listed" "$T/err.txt" \
    || fail "trim bodies: $(grep 'not listed' "$T/err.txt")"
[ -e "$T/bodies-trim.vgt" ] && fail "trim bodies: OUT written"

"$MANY" "$T/headers.vgt" 20000 alternate nofooter || fail "many_damaged headers"
expect 2 "$VGT" info "$T/headers.vgt"
grep -qx '  chunks:        10000 read, 10000 skipped' "$T/out.txt" || fail "info headers: $(grep chunks: "$T/out.txt")"
grep -qx 'integrity:       20001 problem(s)' "$T/out.txt" || fail "info headers: $(grep integrity "$T/out.txt")"
# (the first 4096 found: the missing footer and 4095 damaged headers, which
# the open's walk finds before a read meets their gaps)
[ "$(grep -c '^  - skipped chunk [0-9]* at offset [0-9]*: chunk header checksum mismatch$' "$T/out.txt")" -eq 4095 ] \
    || fail "info headers: not the first 4095 damaged headers listed"
[ "$(tail -n 1 "$T/out.txt")" = '  ... and 15905 more problems not listed' ] \
    || fail "info headers: $(tail -n 1 "$T/out.txt")"
expect 2 "$VGT" replay "$T/headers.vgt" --salvage --backend null --json
grep -q '"chunks_skipped": 10000, ' "$T/out.txt" || fail "replay --json headers: $(grep chunks_skipped "$T/out.txt")"
grep -qx '  "problems_not_listed": 15905,' "$T/out.txt" || fail "replay --json headers: $(grep not_listed "$T/out.txt")"
expect 2 "$VGT" trim "$T/headers.vgt" --salvage --frames 1- -o "$T/headers-trim.vgt"
# (10000 read: the replay to frame 1 stops at frame 1's end, chunk 1's
# one record, which the copy reads again; it said 10001)
grep -q '^trim: .*: guest frames 1\.\.19999, 19999 frames, .*, 20000 records (10000 read), .* 10000 damaged chunks skipped, ' "$T/out.txt" \
    || fail "trim headers: $(cat "$T/out.txt")"
grep -qx "vgt trim: $T/headers.vgt: 19980 more problems not listed" "$T/err.txt" \
    || fail "trim headers: $(grep 'not listed' "$T/err.txt")"
# diff: each trace's problems past the 20 shown, the compact ones among
# them; its damaged frames from every problem's chunk (the odd frames but 1)
expect 2 "$VGT" diff --salvage "$T/headers.vgt" "$T/headers.vgt"
grep -qx "vgt diff: B ($T/headers.vgt): 19980 more problems not listed" "$T/err.txt" \
    || fail "diff headers: $(grep 'not listed' "$T/err.txt")"
grep -qx 'damaged (chunks skipped: A 10000, B 10000): 19999 frames not compared: A 0, 2..19999; B 0, 2..19999' "$T/out.txt" \
    || fail "diff headers: $(grep 'not compared' "$T/out.txt")"
expect 2 "$VGT" diff --salvage --json "$T/headers.vgt" "$T/headers.vgt"
grep -q '"problems_not_listed_a": 15905, "problems_not_listed_b": 15905' "$T/out.txt" \
    || fail "diff --json headers: $(grep -o '"problems_not_listed[^,]*' "$T/out.txt")"
expect 2 "$VGT" repack "$T/headers.vgt" --salvage -o "$T/headers-repack.vgt"
grep -q ', 20000 records (10000 read), .* 10000 damaged chunks skipped, ' "$T/out.txt" \
    || fail "repack headers: $(cat "$T/out.txt")"
echo "PASS"
