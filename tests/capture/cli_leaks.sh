#!/bin/sh
# vgt leaks: cube's capture is clean (exit 0); cut by vgt trim its surfaces
# and context come from the snapshot and are alive at the end (exit 3),
# used by the cut's CLEARs and draws through the snapshot's bindings (cube
# and floor: none never used, as in the whole traces and vgt surfaces);
# video's leaves its overlay units shown (exit 3, text and --json);
# --json is valid JSON; --limit bounds the lists; usage errors (1); a
# missing and a damaged trace (2), --salvage going on past the chunk.
# Usage: cli_leaks.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# cube defines surfaces 1..4, context 1 and GMR 1 and tears them all down
expect 0 "$VGT" run cube --frames 12 --capture "$T/t.vgt"
expect 0 "$VGT" leaks "$T/t.vgt"
grep -q "^  surface  4 defined (0 at the snapshot), 4 destroyed, 0 alive at the end$" "$T/out.txt" ||
    fail "cube surfaces: $(cat "$T/out.txt")"
grep -q "^  context  1 defined (0 at the snapshot), 1 destroyed, 0 alive at the end$" "$T/out.txt" ||
    fail "cube context"
grep -q "^  gmr      1 defined (0 at the snapshot), 1 destroyed, 0 alive at the end$" "$T/out.txt" ||
    fail "cube gmr"
grep -q "^clean: no leak, no misuse$" "$T/out.txt" || fail "cube clean"

# frames 4..6 of it: the snapshot's objects, alive at the cut's end
expect 0 "$VGT" trim "$T/t.vgt" --frames 4-6 -o "$T/u.vgt" -q
expect 3 "$VGT" leaks "$T/u.vgt"
grep -q "^starts at a snapshot (guest frame 4, seq [0-9]*): its objects count as defined there$" "$T/out.txt" ||
    fail "snapshot line: $(cat "$T/out.txt")"
grep -q "^  surface  4 defined (4 at the snapshot), 0 destroyed, 4 alive at the end$" "$T/out.txt" ||
    fail "cut surfaces"
grep -q "^  surface 1 X8R8G8B8 640x480x1: defined at the snapshot (seq [0-9]*, frame 4), last used seq [0-9]*$" "$T/out.txt" ||
    fail "cut surface 1"
grep -q "^  surface 2 Z_D24S8 640x480x1: defined at the snapshot" "$T/out.txt" || fail "cut surface 2"
grep -q "^found: leaks or misuse$" "$T/out.txt" || fail "cut found"
expect 3 "$VGT" leaks "$T/u.vgt" --limit 1
grep -q "^  \.\.\. 3 more$" "$T/out.txt" || fail "--limit 1: $(cat "$T/out.txt")"
grep -c "^  surface [0-9]" "$T/out.txt" | grep -qx 1 || fail "--limit 1 lists one surface"
expect 3 "$VGT" leaks "$T/u.vgt" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kinds"]["surface"]["alive"]==4, d; assert [o["id"] for o in d["alive"] if o["kind"]=="surface"]==[1,2,3,4]; assert d["found"] is True; assert d["snapshot"]["frame"]==4' "$T/out.txt" ||
    fail "--json: $(cat "$T/out.txt")"
expect 3 "$VGT" leaks "$T/u.vgt" --json
cp "$T/out.txt" "$T/j1.txt"
expect 3 "$VGT" leaks "$T/u.vgt" --json
cmp -s "$T/out.txt" "$T/j1.txt" || fail "--json not deterministic"

# A CLEAR or a draw uses the surfaces bound to its context, whether a
# command or the snapshot bound them: a cut's surfaces never used are the
# whole trace's (of those in both), for cube (its depth target, bound once
# before frame 0) and floor (its checker texture, bound once), and vgt
# surfaces finds none never used either.  never_used A: the surface ids of
# A's leaks --json never used (an unused issue, or alive without a use).
never_used() {
    expect "$2" "$VGT" leaks "$1" --json
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
s={i["id"] for i in d["issues"] if i["problem"]=="unused" and i["kind"]=="surface"}
s|={o["id"] for o in d["alive"] if o["kind"]=="surface" and o["last_use_seq"] is None}
print(" ".join(str(x) for x in sorted(s)) or "-", len([o for o in d["alive"] if o["kind"]=="surface"]))' "$T/out.txt"
}
expect 0 "$VGT" run floor --frames 12 --capture "$T/f.vgt"
expect 0 "$VGT" trim "$T/f.vgt" --frames 5-7 -o "$T/g.vgt" -q
for pair in "t.vgt u.vgt 4" "f.vgt g.vgt 3"; do
    set -- $pair
    whole=$(never_used "$T/$1" 0) || fail "never_used $1"
    cut=$(never_used "$T/$2" 3) || fail "never_used $2"
    # every surface of the whole trace is destroyed at its end and alive
    # at the cut's: both hold them all
    [ "$whole" = "- 0" ] || fail "$1 never used: $whole"
    [ "$cut" = "- $3" ] || fail "$2 never used: $cut (the whole trace's: $whole)"
    expect 0 "$VGT" surfaces "$T/$2"
    grep -q "^never used: 0; never destroyed: $3$" "$T/out.txt" || fail "surfaces $2: $(cat "$T/out.txt")"
done
expect 3 "$VGT" leaks "$T/u.vgt"
grep -q "^  surface 2 Z_D24S8 640x480x1: defined at the snapshot (seq [0-9]*, frame 4), last used seq [0-9]*$" "$T/out.txt" ||
    fail "cut depth target: $(cat "$T/out.txt")"
expect 3 "$VGT" leaks "$T/g.vgt"
grep -q "^  surface 3 A8R8G8B8 128x128x1: defined at the snapshot (seq [0-9]*, frame 5), last used seq [0-9]*$" "$T/out.txt" ||
    fail "cut floor texture: $(cat "$T/out.txt")"

# video leaves its two overlay units shown (and its frame GMR): exactly that
expect 0 "$VGT" run video --frames 30 --capture "$T/v.vgt"
expect 3 "$VGT" leaks "$T/v.vgt"
grep -q "^  overlay  3 shown (0 at the snapshot), 1 hidden, 2 shown at the end$" "$T/out.txt" ||
    fail "video overlays: $(cat "$T/out.txt")"
grep -q "^  overlay unit 1 [0-9]*x[0-9]*: defined seq [0-9]* frame 25 ESCAPE, last used seq [0-9]*$" "$T/out.txt" ||
    fail "video unit 1"
grep -q "^  fence    31 FENCE commands, each passed when the device ran it$" "$T/out.txt" || fail "video fences"
grep -q "^  misuse: 0 destroy-undefined, 0 destroy-twice, 0 redefine, 0 dangling, 0 unused, 0 query-open, 0 query-not-begun, 0 query-rebegun, 0 fence-reused$" "$T/out.txt" ||
    fail "video misuse"
expect 3 "$VGT" leaks "$T/v.vgt" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); o=[(x["id"],x["define_frame"]) for x in d["alive"] if x["kind"]=="overlay"]; assert o==[(0,0),(1,25)], o; assert d["kinds"]["overlay"]["alive"]==2 and d["kinds"]["fence"]["defined"]==31, d["kinds"]; assert list(d["problems"])[5:]==["query-open","query-not-begun","query-rebegun","fence-reused"]' "$T/out.txt" ||
    fail "video --json: $(cat "$T/out.txt")"

# usage
expect 1 "$VGT" leaks
expect 1 "$VGT" leaks "$T/t.vgt" --limit x
expect 1 "$VGT" leaks "$T/t.vgt" --bogus
expect 1 "$VGT" leaks "$T/t.vgt" "$T/u.vgt"
expect 0 "$VGT" help leaks
grep -q "^usage: vgt leaks TRACE" "$T/out.txt" || fail "help leaks"
# data errors
expect 2 "$VGT" leaks "$T/missing.vgt"
# small chunks, so that a damaged one in the middle leaves others: the first
# after chunk 0 that holds a frame end (its frames vary from run to run)
expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt" --capture-chunk 4
frame_end_chunk "$T/c.vgt" 1
damage "$T/c.vgt" "$T/d.vgt" "^$SPAN\$"
expect 2 "$VGT" leaks "$T/d.vgt"
# the chunk once, in the error line with the hint (a "stopped at chunk"
# line said it before it)
grep -q "^vgt leaks: .*: chunk $CHUNK at offset $OFFSET: .*(--salvage skips damaged chunks)$" "$T/err.txt" ||
    fail "damaged: $(cat "$T/err.txt")"
[ "$(grep -c "chunk $CHUNK at offset $OFFSET" "$T/err.txt")" -eq 1 ] ||
    fail "damaged: the chunk said twice: $(cat "$T/err.txt")"
# each line says the chunk and the file once ("stopped at chunk 3 at offset
# O: chunk 3 at offset O: ...", "d.vgt: d.vgt: chunk 3 ...")
! grep -q "chunk $CHUNK at offset $OFFSET: chunk $CHUNK at offset $OFFSET" "$T/err.txt" ||
    fail "damaged: the chunk twice: $(cat "$T/err.txt")"
! grep -qF "$T/d.vgt: $T/d.vgt:" "$T/err.txt" || fail "damaged: the file twice: $(cat "$T/err.txt")"
expect 2 "$VGT" leaks "$T/d.vgt" --salvage
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "salvage: $(cat "$T/err.txt")"
grep -q "^leaks: .*d.vgt: [0-9]* commands\?" "$T/out.txt" || fail "salvage: the report"
echo "cli_leaks: ok"
