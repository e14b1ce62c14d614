#!/bin/sh
# vgt diff: two captures of one sample are equal (exit 0; no register
# write, fence or device error differs either), one more draw per
# frame is one insertion per frame (exit 3), a mid-run capture compares on
# the frames both hold, usage errors (1), a missing trace and a damaged
# chunk (2; test_diff checks another protocol's); --images: equal captures
# write nothing (0), filled-triangles --batch 1 against 2 writes each
# frame's three pictures (3), --tolerance, frames of other sizes, the null
# backend refused, an uncreatable directory; --ignore-ids said in text and
# JSON (test_diff checks traces that number their objects otherwise);
# --salvage: a damaged chunk's frames named damaged, the rest compared (2),
# the cost rows theirs alone;
# --ignore DRAW_PRIMITIVES makes draw-calls --count 100 and 101 equal.
# Usage: cli_diff.sh VGT TMPDIR
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
grep -q "^frames: 20 equal pictures, 0 different, 0 without comparable hashes; guest memory reads differ in 0, register writes in 0, fences in 0, device errors in 0$" "$T/out.txt" ||
    fail "frames equal: $(cat "$T/out.txt")"
grep -Eq "^  RECT_COPY +40 +40 " "$T/out.txt" || fail "cost row"
grep -q "^equal" "$T/out.txt" || fail "verdict"
expect 0 "$VGT" diff "$T/a.vgt" "$T/a.vgt" -q
[ -s "$T/out.txt" ] && fail "-q printed: $(cat "$T/out.txt")"
# --json with -q: refused (it printed no JSON), before any reading
expect 1 "$VGT" diff "$T/a.vgt" "$T/none.vgt" --json -q
grep -qx "vgt diff: --json with -q: -q prints nothing (the exit status says equal or not) and --json prints the report; give one of them" "$T/err.txt" ||
    fail "--json -q: $(cat "$T/err.txt")"
[ -s "$T/out.txt" ] && fail "--json -q printed: $(cat "$T/out.txt")"

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
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --limit 3
grep -q "^  ... 1 more frame differs (--limit 3)$" "$T/out.txt" || fail "--limit 3: $(cat "$T/out.txt")"
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --json --frames 2-3
grep -q '"compared": {"first": 2, "last": 3, "frames": 2},' "$T/out.txt" || fail "json compared"
grep -q '"equal": false,' "$T/out.txt" || fail "json equal"
grep -q '"frames_differ": 2, "changed": 0, "only_a": 0, "only_b": 2,' "$T/out.txt" || fail "json counts"
grep -q '"memory_differ": 0, "regs_differ": 0, "fences_differ": 0, "errors_differ": 0,' "$T/out.txt" ||
    fail "json events"
grep -Eq '"reg_writes": [0-9]+, "reg_hash": "[0-9a-f]{16}", "fences": 1, "fence_hash": "[0-9a-f]{16}", "errors": 0, "error_hash": "0{16}"' "$T/out.txt" ||
    fail "json events per frame"
grep -q '"first_b": {"index": 102, "seq": [0-9]*, "id": 1063, "command": "DRAW_PRIMITIVES ' "$T/out.txt" ||
    fail "json first_b: $(cat "$T/out.txt")"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out.txt" || fail "not JSON"
fi

# --ignore-ids: the same sample numbers its objects alike, so the counts
# are those without it; the renamed ids are counted (over the compared
# frames: 2-3 hold no GMR) and the JSON says so
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --ignore-ids --limit 1
grep -q "^commands: 4 of 4 frames differ: 0 changed, 0 only in A, 4 only in B" "$T/out.txt" ||
    fail "--ignore-ids counts: $(cat "$T/out.txt")"
grep -q "^  ids ignored: renamed per trace by order of first appearance, fences as 0$" "$T/out.txt" ||
    fail "--ignore-ids said"
grep -Eq "^    A: [1-9][0-9]* surface, 1 context, 0 shader, 1 gmr, 0 screen ids; 5 fences$" "$T/out.txt" ||
    fail "--ignore-ids A's ids: $(cat "$T/out.txt")"
grep -q "^    B #115 seq=[0-9]*: DRAW_PRIMITIVES cid=1 " "$T/out.txt" || fail "--ignore-ids: B's own ids printed"
expect 0 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --ignore-ids
grep -q "^equal: same commands (ids ignored) and frame hashes$" "$T/out.txt" || fail "--ignore-ids verdict"
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --ignore-ids --json --frames 2-3
grep -q '"ignore_ids": true,' "$T/out.txt" || fail "json ignore_ids"
grep -Eq '"ids": \{"a": \{"surface": [1-9][0-9]*, "context": 1, "shader": 0, "gmr": 0, "screen": 0, "fence": 2\}, "b": \{.*\}, "overflow": false\},' "$T/out.txt" ||
    fail "json ids: $(cat "$T/out.txt")"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ignore_ids"] is True and d["ids"]["b"]["context"] == 1' "$T/out.txt" ||
        fail "--ignore-ids: not JSON"
fi
expect 3 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --json --frames 2-3
grep -q '"ignore_ids": false,' "$T/out.txt" || fail "json ignore_ids false"
grep -q '"ids": ' "$T/out.txt" && fail "json ids without --ignore-ids"

# --ignore: draw-calls --count 100 and 101 differ only in their number of
# DRAW_PRIMITIVES (the null backend draws none: the pictures are equal), so
# with that type ignored the captures are equal; counted per trace; the
# cost row kept and marked
expect 0 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --ignore draw_primitives
grep -q "^commands: 0 of 4 frames differ: 0 changed, 0 only in A, 0 only in B (A 25 commands, B 25)$" "$T/out.txt" ||
    fail "--ignore counts: $(cat "$T/out.txt")"
grep -q "^  ignored (left out of the comparison): A 400 commands, B 404: DRAW_PRIMITIVES A 400, B 404$" "$T/out.txt" ||
    fail "--ignore said"
grep -Eq "^  DRAW_PRIMITIVES \(ignored\) +400 +404 " "$T/out.txt" || fail "--ignore cost row"
grep -q "^equal: same commands (DRAW_PRIMITIVES ignored) and frame hashes$" "$T/out.txt" || fail "--ignore verdict"
expect 0 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --ignore DRAW_PRIMITIVES --ignore-ids --frames 2-3 --json
grep -q '"ignore": \[{"id": 1063, "name": "DRAW_PRIMITIVES", "a": 200, "b": 202}\],' "$T/out.txt" ||
    fail "--ignore json: $(cat "$T/out.txt")"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["equal"] is True and d["a"]["ignored"] == 200 and d["b"]["ignored"] == 202' "$T/out.txt" ||
        fail "--ignore: not JSON"
fi
expect 1 "$VGT" diff "$T/d100.vgt" "$T/d101.vgt" --ignore DRAW_PRIMITIVE
grep -q "^vgt diff: --ignore: no command named 'DRAW_PRIMITIVE' (close: DRAW_PRIMITIVES" "$T/err.txt" ||
    fail "--ignore unknown: $(cat "$T/err.txt")"

# a capture from frame 5: the common frames only
expect 0 "$VGT" run 2d-demo --frames 20 --capture "$T/m.vgt" --capture-start 5
expect 0 "$VGT" diff "$T/a.vgt" "$T/m.vgt"
grep -q "^compared: guest frames 5..19 (15 frames); only in A: 0..4$" "$T/out.txt" || fail "mid-run range"
expect 3 "$VGT" diff "$T/a.vgt" "$T/m.vgt" --frames 0-4 -q
# a cut from the middle: A's frames on both sides in one clause (it said
# "only in A: 0..4; only in A: 10..19")
expect 0 "$VGT" trim "$T/a.vgt" --frames 5-9 -o "$T/mid.vgt" -q
expect 0 "$VGT" diff "$T/a.vgt" "$T/mid.vgt"
grep -q "^compared: guest frames 5..9 (5 frames); only in A: 0..4 and 10..19$" "$T/out.txt" ||
    fail "middle cut: $(grep "^compared" "$T/out.txt")"

# --images: the same sample twice replays to the same pictures; DIR made, empty
expect 0 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --images "$T/img-eq"
grep -q "^images (soft backend, tolerance 0): 20 frames replayed: 20 equal, 0 differ, 0 of different sizes; 0 written to $T/img-eq$" "$T/out.txt" ||
    fail "images equal: $(cat "$T/out.txt")"
grep -q "^equal: same commands, frame hashes and replayed pictures$" "$T/out.txt" || fail "images verdict"
[ -d "$T/img-eq" ] || fail "--images DIR not created"
[ -z "$(ls -A "$T/img-eq")" ] || fail "pictures written for equal frames"
# a file as DIR: refused before the compare, though equal frames write nothing
: >"$T/img-file"
expect 2 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --images "$T/img-file"
grep -qx "vgt diff: --images: cannot write into '$T/img-file': not a directory" "$T/err.txt" ||
    fail "--images FILE: $(cat "$T/err.txt")"
[ -s "$T/out.txt" ] && fail "--images FILE printed a report"
expect 0 "$VGT" diff "$T/a.vgt" "$T/b.vgt" --images "$T/img-eq" -q
[ -s "$T/out.txt" ] && fail "-q --images printed: $(cat "$T/out.txt")"

# one triangle against two (soft, bit-exact): half the pixels of every frame
expect 0 "$VGT" run filled-triangles --batch 1 --frames 2 --width 320 --height 240 --capture "$T/t1.vgt"
expect 0 "$VGT" run filled-triangles --batch 2 --frames 2 --width 320 --height 240 --capture "$T/t2.vgt"
expect 3 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/img" --limit 2
grep -q "^images (soft backend, tolerance 0): 3 frames replayed: 0 equal, 3 differ, 0 of different sizes; 3 written to $T/img$" "$T/out.txt" ||
    fail "images counts: $(cat "$T/out.txt")"
grep -q "^  frame 1: 38160 of 76800 pixels differ, max delta 137, box 2,1 318x239; frame-000001-{a,b,diff}.png$" "$T/out.txt" ||
    fail "images frame 1"
# the images part's own line, after its frames (the commands part says it too)
sed -n '/^images /,$p' "$T/out.txt" | grep -q "^  ... 1 more frame differs (--limit 2)$" || fail "images --limit"
for f in 0 1 2; do
    for k in a b diff; do
        [ -s "$T/img/frame-00000$f-$k.png" ] || fail "frame-00000$f-$k.png missing"
    done
done
[ "$(ls "$T/img" | wc -l)" -eq 9 ] || fail "other files in $T/img: $(ls "$T/img")"
expect 3 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/img-json" --json --frames 1-1
grep -q '"images": {"dir": ".*img-json", "backend": "soft", "tolerance": 0, "compared": 1, "equal": 0, "differ": 1, "size_differ": 0, "written": 1,' "$T/out.txt" ||
    fail "images json: $(cat "$T/out.txt")"
grep -q '"pixels_differ": 38160, "pixels_total": 76800, "max_delta": 137, "bbox": {"x": 2, "y": 1, "width": 318, "height": 239}' "$T/out.txt" ||
    fail "images json frame"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["images"]["frames"][0]["frame"] == 1' "$T/out.txt" ||
        fail "images: not JSON"
fi
# --tolerance 137: every pixel within it (the commands still differ: 3)
expect 3 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/img-137" --tolerance 137
grep -q "^images (soft backend, tolerance 137): 3 frames replayed: 3 equal, 0 differ, 0 of different sizes; 0 written" "$T/out.txt" ||
    fail "images --tolerance: $(cat "$T/out.txt")"
[ -z "$(ls -A "$T/img-137")" ] || fail "pictures written within the tolerance"
# frames of other sizes: named, no pictures
expect 0 "$VGT" run filled-triangles --batch 1 --frames 2 --width 320 --height 200 --capture "$T/t3.vgt"
expect 3 "$VGT" diff "$T/t1.vgt" "$T/t3.vgt" --images "$T/img-size"
grep -q "^  frame 0: sizes differ (A 320x240, B 320x200): not compared$" "$T/out.txt" || fail "sizes differ: $(cat "$T/out.txt")"
[ -z "$(ls -A "$T/img-size")" ] || fail "pictures written for frames of other sizes"
# gl: two replayers with GL contexts in one process; the same counts as soft
"$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/img-gl" --backend gl --frames 1-1 >"$T/out.txt" 2>"$T/err.txt"
rc=$?
if [ "$rc" -eq 3 ]; then
    grep -q "^  frame 1: 38160 of 76800 pixels differ, max delta 137, box 2,1 318x239;" "$T/out.txt" ||
        fail "images gl: $(cat "$T/out.txt")"
    [ -s "$T/img-gl/frame-000001-diff.png" ] || fail "images gl: no diff picture"
elif [ "$rc" -eq 1 ] && grep -q "gl" "$T/err.txt"; then
    echo "gl backend not available: diff --images on gl skipped"
else
    cat "$T/out.txt" "$T/err.txt" >&2
    fail "diff --images --backend gl exited $rc"
fi
# refused: null backend, options without --images, bad tolerance; DIR under a file
expect 1 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/img-null" --backend null
grep -q "^vgt diff: --backend null: the null backend draws no 3D" "$T/err.txt" || fail "null refused: $(cat "$T/err.txt")"
[ -e "$T/img-null" ] && fail "null: DIR created"
expect 1 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --tolerance 3
expect 1 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/img" --tolerance 256
expect 2 "$VGT" diff "$T/t1.vgt" "$T/t2.vgt" --images "$T/t1.vgt/sub"
grep -qx "vgt diff: --images: cannot write into '$T/t1.vgt/sub': Not a directory" "$T/err.txt" || fail "DIR error: $(cat "$T/err.txt")"

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
grep -q "(--salvage skips damaged chunks)$" "$T/err.txt" || fail "damaged: the hint: $(cat "$T/err.txt")"
# once: the error line with the hint (a "stopped at chunk" line said it
# before it)
[ "$(grep -c "chunk $CHUNK at offset $OFFSET" "$T/err.txt")" -eq 1 ] ||
    fail "damaged: the chunk reported twice: $(cat "$T/err.txt")"

# --salvage: two equal captures in small chunks, one chunk of one holding
# a frame end damaged (frames FA..FB, looked up: they vary from run to run).
# Its frames are damaged, named and not compared; the others equal; exit 2
# after the whole report, in either order, in text and JSON
expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt" --capture-chunk 4
expect 0 "$VGT" run cube --frames 12 --capture "$T/e.vgt" --capture-chunk 4
frame_end_chunk "$T/c.vgt" 1 11
damage "$T/c.vgt" "$T/cd.vgt" "^$SPAN\$"
FA=${SPAN%-*}
FB=${SPAN#*-}
N=$((FB - FA + 1))
M=$((12 - N))
expect 2 "$VGT" diff "$T/e.vgt" "$T/cd.vgt"
grep -q "(--salvage skips damaged chunks)$" "$T/err.txt" || fail "no --salvage: the hint: $(cat "$T/err.txt")"
[ -s "$T/out.txt" ] && fail "no --salvage: a report: $(cat "$T/out.txt")"
for order in "e.vgt cd.vgt" "cd.vgt e.vgt"; do
    set -- $order
    expect 2 "$VGT" diff "$T/$1" "$T/$2" --salvage
    if [ "$1" = cd.vgt ]; then who=A; da="$FA..$FB"; db=none; ca=1; cb=0
    else who=B; da=none; db="$FA..$FB"; ca=0; cb=1; fi
    grep -qx "vgt diff: $who ($T/cd.vgt): skipped chunk $CHUNK at offset $OFFSET: .*" "$T/err.txt" ||
        fail "salvage $order: the chunk: $(cat "$T/err.txt")"
    [ "$(wc -l <"$T/err.txt")" -eq 1 ] || fail "salvage $order: one chunk reported: $(cat "$T/err.txt")"
    grep -qx "damaged (chunks skipped: A $ca, B $cb): $(count_of $N frame) not compared: A $da; B $db" "$T/out.txt" ||
        fail "salvage $order: damaged frames: $(cat "$T/out.txt")"
    grep -q "^commands: 0 of $(count_of $M frame) differ" "$T/out.txt" || fail "salvage $order: commands: $(cat "$T/out.txt")"
    grep -q "^frames: $(count_of $M "equal picture"), 0 different" "$T/out.txt" || fail "salvage $order: frames: $(cat "$T/out.txt")"
    [ "$(tail -n 1 "$T/out.txt")" = "damaged: $(count_of $N frame) not compared; the other $M equal" ] ||
        fail "salvage $order: verdict: $(tail -n 1 "$T/out.txt")"
    expect 2 "$VGT" diff "$T/$1" "$T/$2" --salvage --json
    python3 - "$T/out.txt" "$FA" "$FB" "$ca" "$cb" <<'PY' || fail "salvage $order --json: $(cat "$T/out.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
fa, fb, ca, cb = (int(x) for x in sys.argv[2:])
r = [[fa, fb]]
want = {"frames": fb - fa + 1, "skipped_chunks_a": ca, "skipped_chunks_b": cb,
        "a": r if ca else [], "b": r if cb else [], "intact_equal": True}
assert d["damaged"] == want, d["damaged"]
assert d["equal"] is False and d["compared"] == {"first": 0, "last": 11, "frames": 12}
assert d["commands"]["frames_differ"] == 0 and d["frames"]["picture_equal"] == 12 - (fb - fa + 1)
# the cost rows count the compared frames only, not a damaged frame's
# readable records (they counted the intact trace's whole damaged frames
# against the damaged one's remains): alike on both sides, one draw each
rows = {c["name"]: (c["count_a"], c["count_b"]) for c in d["cost"]}
assert all(a == b for a, b in rows.values()), rows
assert rows["DRAW_PRIMITIVES"] == (12 - (fb - fa + 1),) * 2, rows
PY
done
# both damaged alike: the same frames on both sides
expect 2 "$VGT" diff "$T/cd.vgt" "$T/cd.vgt" --salvage
grep -qx "damaged (chunks skipped: A 1, B 1): $(count_of $N frame) not compared: A $FA..$FB; B $FA..$FB" "$T/out.txt" ||
    fail "salvage both: $(cat "$T/out.txt")"
[ "$(wc -l <"$T/err.txt")" -eq 2 ] || fail "salvage both: two chunks reported: $(cat "$T/err.txt")"
# without its footer and with that chunk's header damaged, the rebuilt
# index leaves the chunk out: the damaged frames are the gap's, from FA
# to the first frame of the chunk after it (F2), its problems named
awk -v c="$CHUNK" '$1 == c { f = 1; next } f && $1 ~ /^[0-9]+$/ { split($5, r, "-"); print r[1]; exit }' \
    "$T/chunks.txt" >"$T/f2.txt"
F2=$(cat "$T/f2.txt")
END=$(awk '$1 ~ /^[0-9]+$/ { e = $2 + 80 + $6 } END { print e }' "$T/chunks.txt")
[ -n "$F2" ] && [ -n "$END" ] || fail "salvage: the chunk after $CHUNK: $(cat "$T/chunks.txt")"
head -c "$END" "$T/c.vgt" >"$T/nf.vgt" || fail "head"
printf '\377\377\377\377' | dd of="$T/nf.vgt" bs=1 seek=$((OFFSET + 4)) conv=notrunc 2>/dev/null || fail "dd"
expect 2 "$VGT" diff "$T/e.vgt" "$T/nf.vgt" --salvage
grep -qx "damaged (chunks skipped: A 0, B 1): $(count_of $((F2 - FA + 1)) frame) not compared: A none; B $FA..$F2" "$T/out.txt" ||
    fail "salvage, no footer: $(cat "$T/out.txt") $(cat "$T/err.txt") (chunk $CHUNK, $FA..$F2)"
grep -q "^vgt diff: B (.*nf.vgt): skipped chunk $CHUNK at offset $OFFSET: chunk header checksum mismatch$" "$T/err.txt" ||
    fail "salvage, no footer: the chunk: $(cat "$T/err.txt")"
# the cost rows: the other frames' draws, one each, on both sides
K=$((12 - (F2 - FA + 1)))
grep -Eq "^  DRAW_PRIMITIVES +$K +$K " "$T/out.txt" || fail "salvage, no footer: cost: $(cat "$T/out.txt")"
# undamaged traces: --salvage changes nothing (0, no damaged line)
expect 0 "$VGT" diff "$T/c.vgt" "$T/e.vgt" --salvage
grep -q "^damaged" "$T/out.txt" && fail "salvage, sound traces: $(cat "$T/out.txt")"
# --images: the replays skip the chunk too; the frames both replays
# composed that the commands part names damaged are not compared (none
# when the chunk held its frames whole: the salvaged replay composes none
# of them; the capture's batching decides, docs/conventions.md)
expect 2 "$VGT" diff "$T/e.vgt" "$T/cd.vgt" --salvage --images "$T/simg"
grep -Eq "^images \(soft backend, tolerance 0\): $(count_of $M frame) replayed: $M equal, 0 differ, 0 of different sizes; 0 written to $T/simg(; [0-9]+ damaged, not compared)?$" "$T/out.txt" ||
    fail "salvage --images: $(grep '^images' "$T/out.txt")"
[ -z "$(ls "$T/simg")" ] || fail "salvage --images wrote: $(ls "$T/simg")"
exit 0
