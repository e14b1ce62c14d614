#!/bin/sh
# vgt analyze of a trace with one damaged chunk: without --salvage exit 2,
# the chunk and its offset named with the hint every verb prints, no run
# stored; with --salvage (text and --report json) exit 2 after the run is
# stored and reported, the chunk named "skipped", runs.settings' "salvage"
# giving the count and the guest frames that lost records (the damaged
# chunk's, looked up: the chunk layout varies run to run), every other
# frame's row as the whole trace's analysis stores it.  A --frames run
# names the damaged frames of its range, and those before it (replayed
# for their state) apart.
# Usage: cli_analyze_salvage.sh VGT TMPDIR PYTHON3
set -u
VGT=$1
T=$2
PY=$3
. "$(dirname "$0")/../capture/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# small chunks, so that a damaged one in the middle leaves others
expect 0 "$VGT" run cube --frames 12 --backend null --capture "$T/c.vgt" --capture-chunk 4
# (before the last chunk, which holds frame 12: the footerless and the
# two-chunk cases below need one after it)
frame_end_chunk "$T/c.vgt" 1 12
damage "$T/c.vgt" "$T/d.vgt" "^$SPAN\$"
A=${SPAN%-*}
B=${SPAN#*-}
C1=$CHUNK
O1=$OFFSET
BODY1=$body # damage's: the chunk's compressed bytes
# the chunk after it, and the last one's offset
NEXT=$(awk -v c="$C1" '$1 == c + 1 { print $5; exit }' "$T/chunks.txt")
LAST=$(awk '$1 ~ /^[0-9]+$/ { o = $2 } END { print o }' "$T/chunks.txt")
[ -n "$NEXT" ] && [ -n "$LAST" ] || fail "no chunk after $C1: $(cat "$T/chunks.txt")"

# without --salvage: stopped, named, the hint, nothing stored
expect 2 "$VGT" analyze "$T/d.vgt" --backend null --runs 1 --db "$T/a.sqlite" -q
# (once: the error line names it, with the hint; a "stopped at" line
# before it said it again)
grep -q "^vgt analyze: .*d.vgt: chunk $CHUNK at offset $OFFSET: .*(--salvage skips damaged chunks)$" "$T/err.txt" ||
    fail "no salvage: the chunk: $(cat "$T/err.txt")"
[ "$(grep -c "chunk $CHUNK at offset $OFFSET" "$T/err.txt")" -eq 1 ] ||
    fail "no salvage: the chunk said twice: $(cat "$T/err.txt")"
grep -q "(--salvage skips damaged chunks)$" "$T/err.txt" ||
    fail "no salvage: the hint: $(cat "$T/err.txt")"
"$PY" - "$T/a.sqlite" <<'PYEOF' || fail "no salvage: a run was stored"
import sqlite3, sys
assert sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM runs").fetchone()[0] == 0
PYEOF

# --salvage: the run stored (run 1), then reported, exit 2
expect 2 "$VGT" analyze "$T/d.vgt" --salvage --backend null --runs 1 --db "$T/a.sqlite" -q
grep -q "^vgt analyze: skipped chunk $CHUNK at offset $OFFSET: " "$T/err.txt" ||
    fail "salvage: the chunk: $(cat "$T/err.txt")"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; guest frames $A..$B lost records" ||
    fail "salvage: the last line: $(cat "$T/err.txt")"
grep -q "salvage skips" "$T/err.txt" && fail "salvage: the hint given: $(cat "$T/err.txt")"
grep -q "^top command types by total time" "$T/out.txt" || fail "salvage: no report: $(cat "$T/out.txt")"
grep -qxF "salvaged (--salvage): 1 damaged chunk skipped; guest frames $A..$B lost records" "$T/out.txt" ||
    fail "salvage: the report's line: $(head -n 6 "$T/out.txt")"
# --report json: the same exit, the same lines, a whole JSON report (run 2)
expect 2 "$VGT" analyze "$T/d.vgt" --salvage --backend null --runs 1 --db "$T/a.sqlite" -q \
    --report json
grep -q "^vgt analyze: skipped chunk $CHUNK at offset $OFFSET: " "$T/err.txt" ||
    fail "json: the chunk: $(cat "$T/err.txt")"
cp "$T/out.txt" "$T/report.json"
# the whole trace, for comparison (run 3): its reports say no salvage
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --db "$T/a.sqlite" -q
grep -q "^salvaged" "$T/out.txt" && fail "whole: salvaged: $(head -n 6 "$T/out.txt")"
expect 0 "$VGT" analyze --db "$T/a.sqlite" --report json
cp "$T/out.txt" "$T/whole.json"

"$PY" - "$T/a.sqlite" "$T/report.json" "$A" "$B" "$T/whole.json" <<'PYEOF' || fail "the database: see above"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
a, b = int(sys.argv[3]), int(sys.argv[4])
rep = json.load(open(sys.argv[2]))
runs = db.execute("SELECT run_id, frames, commands, settings FROM runs ORDER BY run_id").fetchall()
assert [r[0] for r in runs] == [1, 2, 3], runs
want = {"chunks_skipped": 1, "damaged_frames": [[a, b]], "damaged_frames_all": True}
for r in runs[:2]:
    s = json.loads(r[3])
    assert s.get("salvage") == want, (s.get("salvage"), want)
assert "salvage" not in json.loads(runs[2][3]), runs[2][3]
# SQL finds them too
q = "SELECT json_extract(settings, '$.salvage.chunks_skipped') FROM runs ORDER BY run_id"
assert [x[0] for x in db.execute(q)] == [1, 1, None]
# complete frames as vgt info counts them (the index's frame ends): 12
assert [r[1] for r in runs] == [12, 12, 12], runs
assert rep["run"]["run_id"] == 2 and rep["run"]["frames"] == 12, rep["run"]
assert rep["run"]["commands"] == runs[1][2], (rep["run"], runs[1])
assert rep["run"]["salvage"] == want, rep["run"]
assert json.load(open(sys.argv[5]))["run"]["salvage"] is None
assert runs[0][2] == runs[1][2] < runs[2][2], runs
def frames(run):
    return {f: c for f, c in db.execute(
        "SELECT frame, commands FROM frames WHERE run_id=? AND partial=0", (run,))}
salv, whole = frames(1), frames(3)
assert frames(2) == salv
assert sorted(whole) == list(range(12)), whole
# every frame outside the damaged ones whole; the damaged ones lost commands
for f in range(12):
    if f < a or f > b:
        assert salv.get(f) == whole[f], (f, salv.get(f), whole[f])
lost = sum(whole[f] - salv.get(f, 0) for f in range(a, b + 1))
assert lost > 0 and all(salv.get(f, 0) <= whole[f] for f in range(a, b + 1)), (salv, whole)
assert lost == runs[2][2] - runs[1][2], (lost, runs)
print("salvaged frames", a, b, "commands lost", lost)
PYEOF

# a killed capture (no footer; its last chunk torn) with the damaged chunk:
# the torn tail is the incomplete capture's warning, not a chunk skipped
head -c $((LAST + 100)) "$T/d.vgt" >"$T/cut.vgt" || fail "head"
expect 2 "$VGT" analyze "$T/cut.vgt" --salvage --backend null --runs 1 -q --report json
grep -q "^vgt analyze: warning: .*cut.vgt is incomplete" "$T/err.txt" ||
    fail "cut: the warning: $(cat "$T/err.txt")"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; guest frames $A..$B lost records" ||
    fail "cut: the last line: $(cat "$T/err.txt")"
"$PY" -c 'import json, sys; s = json.load(open(sys.argv[1]))["run"]["salvage"]; assert s["chunks_skipped"] == 1, s' \
    "$T/out.txt" || fail "cut: the report's salvage"

# the damaged chunk's header, and the file cut in the chunk after it: the
# damaged chunk is the last whole one, no chunk is read after the damage,
# and the loss is still a chunk skipped at the end of the read (vgt replay
# and analyze --salvage exited 0 with nothing skipped)
"$VGT" dump "$T/c.vgt" --chunks >"$T/hchunks.txt" 2>&1 || fail "dump --chunks"
R1=$(awk -v c="$C1" '$1 == c { print $4; exit }' "$T/hchunks.txt")
O2=$(awk -v c="$C1" '$1 == c + 1 { print $2; exit }' "$T/hchunks.txt")
[ -n "$R1" ] && [ -n "$O2" ] || fail "header: chunks $(cat "$T/hchunks.txt")"
cp "$T/c.vgt" "$T/h.vgt" || fail "cp"
printf '\377' | dd of="$T/h.vgt" bs=1 seek=$((O1 + 20)) conv=notrunc 2>/dev/null || fail "dd"
head -c $((O2 + 100)) "$T/h.vgt" >"$T/hcut.vgt" || fail "head"
# the gap named where its lost records were, the damaged header (it said
# the offset of the torn chunk after it, chunk C1 + 1's)
MISSING="skipped chunk $C1 at offset $O1: missing (records $R1 and after)"
expect 2 "$VGT" replay "$T/hcut.vgt" --salvage --backend null
grep -qxF "vgt replay: $MISSING" "$T/err.txt" || fail "header: replay: $(cat "$T/err.txt")"
expect 2 "$VGT" analyze "$T/hcut.vgt" --salvage --backend null --runs 1 -q --db "$T/h.sqlite"
grep -qxF "vgt analyze: $MISSING" "$T/err.txt" || fail "header: analyze: $(cat "$T/err.txt")"
tail -n 1 "$T/err.txt" | grep -q "^vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; " ||
    fail "header: analyze's last line: $(cat "$T/err.txt")"

# two chunks in a row damaged: both skipped, their frames one range (the
# second begins in, or right after, the frame the first ends in)
damage "$T/c.vgt" "$T/e.vgt" "^$NEXT\$"
[ "$CHUNK" -eq $((C1 + 1)) ] || fail "two: chunk $CHUNK after $C1"
printf '\001\002\003\004\005\006\007\010' |
    dd of="$T/e.vgt" bs=1 seek=$((O1 + 40 + BODY1 / 2)) conv=notrunc 2>/dev/null || fail "dd"
E=${NEXT#*-}
expect 2 "$VGT" analyze "$T/e.vgt" --salvage --backend null --runs 1 -q --report json
[ "$(grep -c "^vgt analyze: skipped chunk" "$T/err.txt")" -eq 2 ] || fail "two: $(cat "$T/err.txt")"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 2 damaged chunks skipped (--salvage): the trace is damaged; guest frames $A..$E lost records" ||
    fail "two: the last line: $(cat "$T/err.txt")"
"$PY" -c 'import json, sys; s = json.load(open(sys.argv[1]))["run"]["salvage"]; assert s == {"chunks_skipped": 2, "damaged_frames": [[int(sys.argv[2]), int(sys.argv[3])]], "damaged_frames_all": True}, s' \
    "$T/out.txt" "$A" "$E" || fail "two: the report's salvage"

# --salvage with --frames: the range that holds the damaged frames and
# the frame after them, its rows those of the salvaged whole run (run 1)
# there, the settings both members; without --salvage the chunk is named
# with the hint
R1=$((B + 1))
expect 2 "$VGT" analyze "$T/d.vgt" --frames "$A-$R1" --backend null --runs 1 -q --db "$T/r.sqlite"
grep -q "^vgt analyze: .*d.vgt: chunk $C1 at offset $O1: " "$T/err.txt" ||
    fail "frames: the chunk: $(cat "$T/err.txt")"
grep -q "(--salvage skips damaged chunks)$" "$T/err.txt" || fail "frames: the hint: $(cat "$T/err.txt")"
expect 2 "$VGT" analyze "$T/d.vgt" --salvage --frames "$A-$R1" --backend null --runs 1 -q \
    --db "$T/r.sqlite" --report json
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; guest frames $A..$B lost records" ||
    fail "frames: the last line: $(cat "$T/err.txt")"
"$PY" - "$T/a.sqlite" "$T/r.sqlite" "$A" "$B" "$T/out.txt" <<'PYEOF' || fail "frames: see above"
import json, sqlite3, sys
a, r = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
lo, hi = int(sys.argv[3]), int(sys.argv[4]) + 1
q = "SELECT seq, frame, type_id, bytes, status, backend_calls FROM commands WHERE run_id=? AND frame BETWEEN ? AND ? ORDER BY seq"
assert r.execute(q, (1, lo, hi)).fetchall() == a.execute(q, (1, lo, hi)).fetchall()
s = json.loads(r.execute("SELECT settings FROM runs").fetchone()[0])
assert s["frames"] == [lo, hi] and s["salvage"]["damaged_frames"] == [[lo, hi - 1]], s
run = json.load(open(sys.argv[5]))["run"]
assert run["frames_range"] == [lo, hi] and run["salvage"]["chunks_skipped"] == 1, run
PYEOF

# --salvage --frames names the damaged frames of its range only: a range
# right after the damage (its state-only frames lost records) says none
# of the range did and names those before it apart; a range of the
# damage's first frame names that frame only (not the frames after it,
# which it never replays); a range before the damage names none, and
# exits 0 as vgt replay and vgt trim --frames of it do (they stop at its
# end; the analyzer's read of the capture's timings met the chunk: said)
R=$((B + 1))
expect 2 "$VGT" analyze "$T/d.vgt" --salvage --frames "$R" --backend null --runs 1 \
    --db "$T/s.sqlite"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; no frame of the range lost records; before the range, replayed for their state: guest frames $A..$B lost records" ||
    fail "after: the last line: $(cat "$T/err.txt")"
grep -qxF "salvaged (--salvage): 1 damaged chunk skipped; no frame of the range lost records; before the range, replayed for their state: guest frames $A..$B lost records" "$T/out.txt" ||
    fail "after: the report's line: $(head -n 6 "$T/out.txt")"
expect 2 "$VGT" analyze "$T/d.vgt" --salvage --frames "$A" --backend null --runs 1 -q \
    --db "$T/s.sqlite" --report json
cp "$T/out.txt" "$T/first.json"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; guest frame $A lost records" ||
    fail "first: the last line: $(cat "$T/err.txt")"
if [ "$A" -gt 0 ]; then
    expect 0 "$VGT" analyze "$T/d.vgt" --salvage --frames "0-$((A - 1))" --backend null \
        --runs 1 -q --db "$T/s.sqlite"
    grep -q "^vgt analyze: skipped chunk $C1 at offset $O1: " "$T/err.txt" ||
        fail "before: the chunk: $(cat "$T/err.txt")"
    tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged after the range; no frame of the range lost records" ||
        fail "before: the last line: $(cat "$T/err.txt")"
    expect 0 "$VGT" replay "$T/d.vgt" --salvage --frames "0-$((A - 1))" --backend null
    [ -s "$T/err.txt" ] && fail "before: replay: $(cat "$T/err.txt")"
    expect 0 "$VGT" trim "$T/d.vgt" --salvage --frames "0-$((A - 1))" -o "$T/before.vgt"
    [ -s "$T/err.txt" ] && fail "before: trim: $(cat "$T/err.txt")"
fi
# a range that starts inside the damage (frame_end_chunk's chunk spans
# two frames or more): the damage split at its first frame
IN="frames $((A + 1))..$B"
[ $((A + 1)) -eq "$B" ] && IN="frame $B"
expect 2 "$VGT" analyze "$T/d.vgt" --salvage --frames "$((A + 1))-$B" --backend null --runs 1 -q \
    --db "$T/s.sqlite"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; guest $IN lost records; before the range, replayed for their state: guest frame $A lost records" ||
    fail "inside: the last line: $(cat "$T/err.txt")"
"$PY" - "$T/s.sqlite" "$A" "$B" "$T/first.json" <<'PYEOF' || fail "the ranges' settings: see above"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
a, b = int(sys.argv[2]), int(sys.argv[3])
runs = [json.loads(r[0])["salvage"] for r in
        db.execute("SELECT settings FROM runs ORDER BY run_id")]
assert runs[0] == {"chunks_skipped": 1, "damaged_frames": [], "damaged_frames_all": True,
                   "damaged_state_frames": [[a, b]]}, runs[0]
assert runs[1] == {"chunks_skipped": 1, "damaged_frames": [[a, a]], "damaged_frames_all": True,
                   "damaged_state_frames": []}, runs[1]
assert json.load(open(sys.argv[4]))["run"]["salvage"] == runs[1]
if a > 0:
    assert runs[2] == {"chunks_skipped": 1, "damaged_frames": [], "damaged_frames_all": True,
                       "damaged_state_frames": []}, runs[2]
assert runs[-1]["damaged_frames"] == [[a + 1, b]] and runs[-1]["damaged_state_frames"] == [[a, a]], runs[-1]
PYEOF

# --salvage reads a trace, not a stored run
expect 1 "$VGT" analyze --db "$T/a.sqlite" --salvage
grep -qxF "vgt analyze: --salvage is for a trace: no FILE given" "$T/err.txt" ||
    fail "usage: $(cat "$T/err.txt")"
echo "cli_analyze_salvage: ok"
