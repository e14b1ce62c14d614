#!/bin/sh
# "N chunks skipped" means one thing in every verb (docs/format.md,
# "Skipped chunks"): the chunks whose records the reading lost, each chunk
# id once; a torn tail (a killed capture) and a missing footer lose none.
# The same damaged trace gave two counts: the damaged headers of chunks 1
# and 2 of a footerless capture (one gap in the rebuilt index, two chunk
# ids) were "2 skipped" to vgt info, "1 chunk skipped" to vgt replay,
# analyze (and its settings.salvage.chunks_skipped), trim, repack and diff,
# which counted the problems their read met (or the chunks they named); a
# torn last chunk was "1 skipped" to vgt info and none to the others, and
# the two headers' trace cut inside chunk 3 "3 skipped" to vgt info (the
# torn one too), 1 to the others.  Every verb's count line on each trace
# is asserted, text and --json.  Which chunk holds which frames varies
# from run to run (docs/conventions.md): looked up with vgt dump --chunks.
# A trace with more damaged chunks than vgt trim keeps problems for its
# list (VGT_TRIM_PROBLEMS_KEPT, 32): 40 bodies damaged.  vgt trim and
# repack counted from the kept problems, "32 damaged chunks skipped"
# where the other verbs said 40.
# A chunk wrong in its uncompressed checksum alone (its header's
# checksum right, its compressed bytes intact) is read by every read,
# which does not check that checksum (docs/format.md, "Checksums"): vgt
# info's verify skipped it, "1 skipped", where every other verb read it
# and said 0; now 0 to every verb, info and dump --chunks saying the
# mismatch (exit 2).  vgt info's SVGA section said "(of the readable
# part only: damaged chunks skipped)" of that chunk, and of a torn tail,
# where none was skipped; vgt diff listed a footerless trace's missing
# footer among its problems where the others warn (its "N more problems
# not listed" one higher), and so did vgt dump (all its views, --chunks
# too); vgt info --json said "partial": true of those traces too.
# Usage: cli_skipcount.sh VGT TMPDIR RECHUNK WRONG_UHASH
# (tests/capture/rechunk_trace, wrong_uhash)
set -u
VGT=$1
T=$2
RECHUNK=$3
WRONG_UHASH=$4
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run cube --frames 40 --capture "$T/c.vgt" --capture-chunk 4
"$VGT" dump "$T/c.vgt" --chunks >"$T/c-chunks.txt" 2>&1 || fail "dump --chunks"
NCH=$(awk '$1 ~ /^[0-9]+$/' "$T/c-chunks.txt" | wc -l)
[ "$NCH" -ge 6 ] || fail "cube in 4 KiB chunks: $NCH chunks: $(cat "$T/c-chunks.txt")"
# offset and compressed size of chunk $1 (of the chunks listed in
# $CHUNKS: c.vgt's unless set)
CHUNKS=$T/c-chunks.txt
off() { awk -v c="$1" '$1 == c { print $2 }' "$CHUNKS"; }
csize() { awk -v c="$1" '$1 == c { print $6 }' "$CHUNKS"; }
# where the last chunk ends: the footer starts there
END=$(awk '$1 ~ /^[0-9]+$/ { e = $2 + 80 + $6 } END { print e }' "$T/c-chunks.txt")
LAST=$((NCH - 1))

# body CHUNK FILE: 8 bytes of CHUNK's body overwritten (a checksum
# mismatch), in its middle past the 80-byte header (a chunk of a few
# records compresses to less than 80 bytes)
body() {
    printf '\001\002\003\004\005\006\007\010' |
        dd of="$2" bs=1 seek=$(($(off "$1") + 80 + $(csize "$1") / 2)) conv=notrunc 2>/dev/null ||
        fail "dd"
}
# magic CHUNK FILE: CHUNK's header magic damaged
magic() {
    printf '\377' | dd of="$2" bs=1 seek=$(($(off "$1") + 2)) conv=notrunc 2>/dev/null || fail "dd"
}

# h2: no footer, the headers of chunks 1 and 2 damaged: one gap of two ids
head -c "$END" "$T/c.vgt" >"$T/h2.vgt" || fail "head"
magic 1 "$T/h2.vgt"
magic 2 "$T/h2.vgt"
# h2t: h2 cut 100 bytes into chunk 3: the loss before the torn chunk
# is chunks 1 and 2 (the torn one none)
head -c $(($(off 3) + 100)) "$T/h2.vgt" >"$T/h2t.vgt" || fail "head"
# b1: one chunk body damaged (the footer whole)
cp "$T/c.vgt" "$T/b1.vgt" && body 1 "$T/b1.vgt"
# b2: two chunks apart, both bodies damaged
cp "$T/c.vgt" "$T/b2.vgt" && body 1 "$T/b2.vgt" && body 3 "$T/b2.vgt"
# hb: no footer, chunk 1's header and chunk 3's body damaged
head -c "$END" "$T/c.vgt" >"$T/hb.vgt" || fail "head"
magic 1 "$T/hb.vgt"
body 3 "$T/hb.vgt"
# tt: a killed capture, the file cut 100 bytes into its last chunk
head -c $(($(off $LAST) + 100)) "$T/c.vgt" >"$T/tt.vgt" || fail "head"
# ht: tt with chunk 1's header damaged too: one chunk lost, the tail torn
cp "$T/tt.vgt" "$T/ht.vgt" && magic 1 "$T/ht.vgt"

# listed WHAT N: with N problems (more than the 20 listed), $T/err.txt
# says the rest in one line, "N-20 more problems not listed" (vgt trim
# said the 12 past the 20 of the 32 it kept, then the 8 it did not keep,
# in two lines; vgt analyze kept 20 and said nothing of the others, and
# of a footerless trace, whose missing footer the warning says, it listed
# 19)
listed() {
    [ "$2" -gt 20 ] || return 0
    [ "$(grep -c "more problems* not listed" "$T/err.txt")" -eq 1 ] &&
        grep -q " $(($2 - 20)) more problems not listed\$" "$T/err.txt" ||
        fail "$1: $(grep "not listed" "$T/err.txt")"
}

# footer_said WHAT WHO DOING: $T/err.txt gives a footerless trace
# ($nofooter) the incomplete trace's warning, "vgt WHO is incomplete (no
# footer index; ...): DOING up to its last complete chunk", and not the
# reader's footer problem among the others; a trace with its footer
# neither
footer_said() {
    if [ "$nofooter" -eq 1 ]; then
        grep -qx "vgt $2 is incomplete (no footer index; rebuilt from [0-9]* chunks*): $3 up to its last complete chunk" \
            "$T/err.txt" && ! grep -q "no footer index (the trace was not closed)" "$T/err.txt" ||
            fail "$1: the footer: $(cat "$T/err.txt")"
    elif grep -q "incomplete\|no footer" "$T/err.txt"; then
        fail "$1: a footer said missing: $(cat "$T/err.txt")"
    fi
}

# counts TRACE N [M [P]]: every verb says N chunks skipped of TRACE
# (--salvage); vgt trim --frames 1- says M (default N); P problems are
# listed (default N: one per chunk)
counts() {
    f=$T/$1.vgt
    n=$2
    m=${3:-$2}
    np=${4:-$2}
    want=$((n > 0 ? 2 : 0))
    # vgt info: the readable part's line, and --json's
    expect 2 "$VGT" info "$f"
    nofooter=$((1 - $(grep -c '^footer: *present$' "$T/out.txt")))
    grep -Eqx "  chunks: +[0-9]+ read, $n skipped" "$T/out.txt" ||
        fail "$1: info: $(grep -A3 '^readable' "$T/out.txt")"
    # the SVGA section says it counts the readable part only exactly when
    # records were lost (it said so of a read chunk's wrong checksum and
    # of a torn tail, nothing skipped)
    if [ "$n" -gt 0 ]; then
        grep -qx " *(of the readable part only: damaged chunks skipped)" "$T/out.txt" ||
            fail "$1: info: no readable-part remark: $(cat "$T/out.txt")"
    elif grep -q "readable part only: damaged" "$T/out.txt"; then
        fail "$1: info: the readable-part remark, no chunk skipped: $(cat "$T/out.txt")"
    fi
    # (--json's "partial", that "svga" counts the readable part only, as
    # the text's remark: it was true whenever "readable" was there)
    expect 2 "$VGT" info "$f" --json
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=int(sys.argv[2]); sys.exit(d["readable"]["chunks_skipped"] != n or d["partial"] is not (n > 0))' \
        "$T/out.txt" "$n" || fail "$1: info --json: $(cat "$T/out.txt")"
    # vgt replay: its summary, and --json's count and error
    expect $want "$VGT" replay "$f" --backend null --salvage
    if [ "$n" -gt 0 ]; then
        grep -q ", $(count_of "$n" chunk) skipped, " "$T/out.txt" ||
            fail "$1: replay: $(cat "$T/out.txt")"
        listed "$1: replay" "$np"
    else
        ! grep -q "skipped," "$T/out.txt" || fail "$1: replay: $(cat "$T/out.txt")"
    fi
    expect $want "$VGT" replay "$f" --backend null --salvage --json
    python3 - "$T/out.txt" "$n" <<'PY' || fail "$1: replay --json: $(cat "$T/out.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
said = "%d damaged chunk%s skipped (--salvage): the trace is damaged" % (n, "" if n == 1 else "s")
sys.exit(d["chunks_skipped"] != n or d["error"] != (said if n else None))
PY
    # a second loop meets the same chunks: still N
    expect $want "$VGT" replay "$f" --backend null --salvage --loop 2
    [ "$n" -eq 0 ] || grep -q ", $(count_of "$n" chunk) skipped, " "$T/out.txt" ||
        fail "$1: replay --loop 2: $(cat "$T/out.txt")"
    # vgt analyze: its error line and the run's settings
    rm -f "$T/a.sqlite"
    expect $want "$VGT" analyze "$f" --salvage --backend null --runs 1 -q --db "$T/a.sqlite"
    if [ "$n" -gt 0 ]; then
        grep -q "^vgt analyze: $(count_of "$n" "damaged chunk") skipped (--salvage): the trace is damaged;" \
            "$T/err.txt" || fail "$1: analyze: $(cat "$T/err.txt")"
        listed "$1: analyze" "$np"
    fi
    python3 - "$T/a.sqlite" "$n" <<'PY' || fail "$1: analyze's settings.salvage.chunks_skipped"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
v = db.execute("SELECT json_extract(settings, '$.salvage.chunks_skipped') FROM runs").fetchone()[0]
sys.exit(v != int(sys.argv[2]))
PY
    # vgt repack and vgt trim (from frame 1: the replay to it and the copy,
    # two readers, each chunk counted once)
    expect $want "$VGT" repack "$f" -o "$T/r.vgt" --salvage
    if [ "$n" -gt 0 ]; then
        grep -q ", $(count_of "$n" "damaged chunk") skipped, " "$T/out.txt" ||
            fail "$1: repack: $(cat "$T/out.txt")"
        listed "$1: repack" "$np"
    else
        ! grep -q "skipped" "$T/out.txt" || fail "$1: repack: $(cat "$T/out.txt")"
    fi
    expect $((m > 0 ? 2 : 0)) "$VGT" trim "$f" --frames 1- -o "$T/r.vgt" --salvage
    if [ "$m" -gt 0 ]; then
        grep -q ", $(count_of "$m" "damaged chunk") skipped, " "$T/out.txt" ||
            fail "$1: trim: $(cat "$T/out.txt")"
        listed "$1: trim" "$np"
    else
        ! grep -q "skipped" "$T/out.txt" || fail "$1: trim: $(cat "$T/out.txt")"
    fi
    # vgt diff against the whole capture: B's count, text and --json; a
    # footerless B gets the incomplete trace's warning, not the footer
    # among its problems (its "more problems not listed" was one higher
    # than the other verbs')
    "$VGT" diff "$T/c.vgt" "$f" --salvage >"$T/out.txt" 2>"$T/err.txt"
    if [ "$n" -gt 0 ]; then
        grep -q "^damaged (chunks skipped: A 0, B $n): " "$T/out.txt" ||
            fail "$1: diff: $(cat "$T/out.txt")"
        listed "$1: diff" "$np"
    fi
    footer_said "$1: diff" "diff: warning: B ($f)" compared
    # vgt dump (the records, the decoded view, the chunks): a footerless
    # trace's missing footer in the same warning, not among the problems
    # (its "more problems not listed" was one higher); --json keeps its
    # "problem" object, every problem's
    for view in --records "" --chunks; do
        "$VGT" dump "$f" --salvage $view >"$T/out.txt" 2>"$T/err.txt"
        footer_said "$1: dump $view" "dump: warning: $f" listed
        [ "$view" = --chunks ] || listed "$1: dump $view" "$np"
    done
    "$VGT" dump "$f" --salvage --records --json >"$T/out.txt" 2>"$T/err.txt"
    [ "$(grep -c '^{"type":"problem","chunk":null,[^}]*"message":"no footer index (the trace was not closed)' "$T/out.txt")" -eq "$nofooter" ] ||
        fail "$1: dump --json: the footer's problem object: $(grep '"problem"' "$T/out.txt")"
    "$VGT" diff "$T/c.vgt" "$f" --salvage --json >"$T/out.txt" 2>"$T/err.txt"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])).get("damaged") or {}; sys.exit(d.get("skipped_chunks_b", 0) != int(sys.argv[2]))' \
        "$T/out.txt" "$n" || fail "$1: diff --json: $(cat "$T/out.txt")"
    # the walks (vgt leaks, surfaces, shader list) say whether any was
    for v in leaks surfaces "shader list"; do
        $VGT $v "$f" --salvage --json >"$T/out.txt" 2>"$T/err.txt"
        python3 -c 'import json,sys
t = open(sys.argv[1]).read()
d = json.loads(t.strip().splitlines()[-1]) if t.lstrip().startswith("{\"type\"") else json.loads(t)
sys.exit(d["skipped_chunks"] != (int(sys.argv[2]) > 0))' "$T/out.txt" "$n" ||
            fail "$1: $v --json: $(tail -2 "$T/out.txt")"
    done
}

# --frames (docs/cli.md): a chunk damaged after where the read stops is
# none skipped to a verb that stops there (vgt replay, trim: exit 0); one
# that reads into it counts it (exit 2); vgt analyze reads the whole
# trace's timings: counted, "after the range", exit 0.  fr: the body of
# chunk Z damaged, Z's first frame FF two past the previous chunk's (so
# frame FF - 2 and the first record after it are before chunk Z)
line=$(awk '$1 ~ /^[0-9]+$/ { split($5, f, "-")
    if (prev != "" && $1 >= 2 && f[1] >= prev + 2) { print $1, f[1]; exit }
    prev = f[1] }' "$T/c-chunks.txt")
[ -n "$line" ] || fail "no chunk for --frames: $(cat "$T/c-chunks.txt")"
Z=${line% *}
FF=${line#* }
cp "$T/c.vgt" "$T/fr.vgt" && body "$Z" "$T/fr.vgt"
expect 0 "$VGT" replay "$T/fr.vgt" --backend null --salvage --frames 0-$((FF - 2))
! grep -q "skipped," "$T/out.txt" || fail "fr: replay before: $(cat "$T/out.txt")"
expect 2 "$VGT" replay "$T/fr.vgt" --backend null --salvage --frames 0-$FF
grep -q ", 1 chunk skipped, " "$T/out.txt" || fail "fr: replay over: $(cat "$T/out.txt")"
expect 0 "$VGT" trim "$T/fr.vgt" --frames 1-$((FF - 2)) -o "$T/r.vgt" --salvage
! grep -q "skipped" "$T/out.txt" || fail "fr: trim before: $(cat "$T/out.txt")"
expect 2 "$VGT" trim "$T/fr.vgt" --frames 1-$FF -o "$T/r.vgt" --salvage
grep -q ", 1 damaged chunk skipped, " "$T/out.txt" || fail "fr: trim over: $(cat "$T/out.txt")"
rm -f "$T/a.sqlite"
expect 0 "$VGT" analyze "$T/fr.vgt" --salvage --backend null --runs 1 -q --db "$T/a.sqlite" \
    --frames 0-$((FF - 2))
grep -q "^vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged after the range;" \
    "$T/err.txt" || fail "fr: analyze before: $(cat "$T/err.txt")"
expect 2 "$VGT" info "$T/fr.vgt"
grep -Eqx "  chunks: +[0-9]+ read, 1 skipped" "$T/out.txt" || fail "fr: info: $(cat "$T/out.txt")"
# fh: fr's trace without its footer, chunk Z's header damaged instead of
# its body: the open's index rebuild meets the damage, which lies after a
# read that stops before Z.  vgt diff called such a trace damaged (exit 2,
# "damaged: 0 frames not compared") where replay and trim exit 0
head -c "$END" "$T/c.vgt" >"$T/fh.vgt" && magic "$Z" "$T/fh.vgt" || fail "fh"
expect 0 "$VGT" diff "$T/fh.vgt" "$T/c.vgt" --salvage --frames 0-$((FF - 2))
grep -q "^equal: same commands and frame hashes" "$T/out.txt" && ! grep -q "^damaged" "$T/out.txt" ||
    fail "fh: diff before: $(cat "$T/out.txt")"
grep -q "skipped chunk $Z at offset $(off "$Z"): bad chunk magic" "$T/err.txt" ||
    fail "fh: diff before, stderr: $(cat "$T/err.txt")"
expect 0 "$VGT" diff "$T/fh.vgt" "$T/c.vgt" --salvage --frames 0-$((FF - 2)) --json
python3 -c 'import json,sys; d = json.load(open(sys.argv[1]))
sys.exit(not (d["equal"] and d["damaged"]["skipped_chunks_a"] == 0))' "$T/out.txt" ||
    fail "fh: diff --json before: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/fh.vgt" --backend null --salvage --frames 0-$((FF - 2))
expect 2 "$VGT" diff "$T/fh.vgt" "$T/c.vgt" --salvage --frames 0-$FF
grep -q "^damaged: " "$T/out.txt" || fail "fh: diff over: $(cat "$T/out.txt")"
# fu: c.vgt with its footer index's bytes damaged (20 bytes before the
# trailer): the index is rebuilt, no chunk is lost; diff --salvage said
# the trace was damaged (exit 2), replay and trim exit 0
cp "$T/c.vgt" "$T/fu.vgt" &&
    printf '\377\377' | dd of="$T/fu.vgt" bs=1 seek=$(($(wc -c <"$T/c.vgt") - 60)) conv=notrunc 2>/dev/null ||
    fail "fu"
expect 0 "$VGT" replay "$T/fu.vgt" --backend null --salvage
grep -q "footer index unusable" "$T/err.txt" || fail "fu: replay: $(cat "$T/err.txt")"
expect 0 "$VGT" diff "$T/fu.vgt" "$T/c.vgt" --salvage
grep -q "footer index unusable" "$T/err.txt" && grep -q "^equal: same commands and frame hashes" "$T/out.txt" ||
    fail "fu: diff: $(cat "$T/out.txt" "$T/err.txt")"

# m40: c.vgt in chunks of 3 records, the bodies of 40 chunks damaged,
# every other one from the first chunk of frame 2 on (so no two problems
# share a chunk, and frame 0's setup is whole: vgt analyze replays what
# is left without a divergence)
RECS=$("$VGT" info "$T/c.vgt" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])') ||
    fail "info --json"
"$RECHUNK" "$T/c.vgt" "$T/m.vgt" $(seq 3 3 "$((RECS - 1))") || fail "rechunk_trace"
"$VGT" dump "$T/m.vgt" --chunks >"$T/m-chunks.txt" 2>&1 || fail "dump m.vgt --chunks"
CHUNKS=$T/m-chunks.txt
F2=$(awk '$1 ~ /^[0-9]+$/ { split($5, f, "-"); if (f[1] >= 2) { print $1; exit } }' "$CHUNKS")
[ -n "$F2" ] && [ -n "$(off $((F2 + 78)))" ] ||
    fail "m.vgt: no 79 chunks from frame 2 on: $(cat "$CHUNKS")"
cp "$T/m.vgt" "$T/m40.vgt" || fail "cp"
for c in $(seq "$F2" 2 $((F2 + 78))); do body "$c" "$T/m40.vgt"; done
# mh40: m.vgt without its footer, the headers of the same 40 chunks
# damaged: 80 problems (each header, found at the open, and the gap it
# left, when a read meets it), which vgt trim's two readers both find at
# their open (each kept once)
head -c "$(awk '$1 ~ /^[0-9]+$/ { e = $2 + 80 + $6 } END { print e }' "$CHUNKS")" "$T/m.vgt" \
    >"$T/mh40.vgt" || fail "head"
for c in $(seq "$F2" 2 $((F2 + 78))); do magic "$c" "$T/mh40.vgt"; done
CHUNKS=$T/c-chunks.txt

# u1: chunk 1 wrong in its uncompressed checksum alone; u1f: u1 without
# its footer (the index rebuilt, which checks that checksum)
cp "$T/c.vgt" "$T/u1.vgt" && "$WRONG_UHASH" "$T/u1.vgt" "$(off 1)" || fail "wrong_uhash"
head -c "$END" "$T/u1.vgt" >"$T/u1f.vgt" || fail "head"
for u in u1 u1f; do
    expect 2 "$VGT" info "$T/$u.vgt"
    said="chunk 1 at offset $(off 1): checksum mismatch in its $(awk '$1 == 1 { print $7 }' "$CHUNKS") uncompressed bytes (its records are read: its compressed bytes match their checksum)"
    grep -Fqx "  - $said" "$T/out.txt" || fail "$u: info: $(cat "$T/out.txt")"
    "$VGT" info "$T/$u.vgt" --json >"$T/out.txt"
    python3 -c 'import json,sys; e=[x for x in json.load(open(sys.argv[1]))["errors"] if "chunk" in x]; sys.exit(e != [{"code": "checksum mismatch", "chunk": 1, "offset": int(sys.argv[2]), "read": True, "message": sys.argv[3]}])' \
        "$T/out.txt" "$(off 1)" "$said" || fail "$u: info --json: $(cat "$T/out.txt")"
    expect 2 "$VGT" info "$T/$u.vgt"
    # the records of every chunk, the index's, as a read delivers them
    grep -Eqx "  records: +$(awk '$1 ~ /^[0-9]+$/ { n += $3 } END { print n }' "$CHUNKS")" \
        "$T/out.txt" || fail "$u: info's readable records: $(cat "$T/out.txt")"
    expect 2 "$VGT" dump "$T/$u.vgt" --chunks
    [ "$(awk '$1 == 1 { print $NF }' "$T/out.txt")" = checksum ] &&
        ! grep -q damaged "$T/out.txt" "$T/err.txt" && grep -Fqx "vgt dump: $said" "$T/err.txt" ||
        fail "$u: dump --chunks: $(cat "$T/out.txt" "$T/err.txt")"
done

counts m40 40
counts mh40 40 40 80

# The chunk S holding frame B-1's end and B's start damaged, 33 damaged
# chunks before it: vgt trim --frames B- meets S twice, in its replay to
# B-1 and in its copy's seek to B, past the 32 problems it keeps for the
# list; the count is 34 and S one problem ("14 more problems not listed")
CHUNKS=$T/m-chunks.txt
line=$(awk -v from=$((F2 + 64)) '$1 ~ /^[0-9]+$/ && $1 > from { split($5, f, "-")
    if (f[1] < f[2]) { print $1, f[2]; exit } }' "$CHUNKS")
[ -n "$line" ] || fail "m.vgt: no chunk after $((F2 + 64)) ends a frame: $(cat "$CHUNKS")"
S=${line% *}
B=${line#* }
cp "$T/m.vgt" "$T/ms.vgt" || fail "cp"
for c in $(seq "$F2" 2 $((F2 + 64))) "$S"; do body "$c" "$T/ms.vgt"; done
CHUNKS=$T/c-chunks.txt
expect 2 "$VGT" trim "$T/ms.vgt" --frames "$B-" -o "$T/r.vgt" --salvage
grep -q ", 34 damaged chunks skipped, " "$T/out.txt" || fail "ms: trim: $(cat "$T/out.txt")"
listed "ms: trim" 34
counts u1 0
counts u1f 0
counts h2 2
# (vgt trim --frames 1- copies to the last frame the index knows, chunk
# 0's: it never reaches the loss after it, and exits 0, as before)
counts h2t 2 0
counts b1 1
counts b2 2
counts hb 2
counts tt 0
counts ht 1
echo "cli_skipcount: ok"
