#!/bin/sh
# vgt analyze --frames A-B: the rows of a range run are the whole trace's
# analysis restricted to frames A..B, command for command (type, frame,
# seq, bytes, status, counts; not times), its runs row counts the range's
# commands and complete frames, runs.settings and the reports say the
# range; the frames before A are replayed for their state only (a range
# that starts mid-trace replays as the whole trace does).  A range past
# the end, B < A and garbage exit as vgt replay does, with its words.  The
# trace's surfaces and shaders come from a run of every frame only: a
# database whose first run of a trace was a range gets them from the first
# whole run.
# Usage: cli_analyze_frames.sh VGT TMPDIR PYTHON3
set -u
VGT=$1
T=$2
PY=$3
. "$(dirname "$0")/../capture/cli_common.sh"
rm -rf "$T" && mkdir -p "$T/tmp" || fail "mkdir $T"
# a range's checkpoint (docs/analysis-db.md) is written under TMPDIR
TMPDIR=$T/tmp
export TMPDIR

# cube: guest frames 0..7 and its teardown after the last frame end (frame
# 8, partial)
expect 0 "$VGT" run cube --frames 8 --backend null --capture "$T/c.vgt"
# run 1: every frame
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --db "$T/a.sqlite" -q
grep -q "^guest frames" "$T/out.txt" && fail "whole: a range line: $(head -n 6 "$T/out.txt")"
# run 2: frames 3..5, text report
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 2 --frames 3-5 --db "$T/a.sqlite"
grep -qxF "guest frames 3..5 only (--frames): the frames before replayed for their state, not timed or stored" "$T/out.txt" ||
    fail "3-5: the report's line: $(head -n 6 "$T/out.txt")"
grep -q "^analyze: $T/c.vgt: run 2, [0-9]* commands, 3 frames (guest frames 3..5), 2 replays" "$T/err.txt" ||
    fail "3-5: the summary: $(cat "$T/err.txt")"
# run 3: frames 6 to the end (the partial frame 8 with them), JSON report
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames 6- --db "$T/a.sqlite" \
    --report json --html "$T/r3.html"
cp "$T/out.txt" "$T/r3.json"
grep -q "^analyze: $T/c.vgt: run 3, [0-9]* commands, 2 frames (+ 1 partial; guest frames 6..8), 1 replay " "$T/err.txt" ||
    fail "6-: the summary: $(cat "$T/err.txt")"
grep -qF " frames (+ 1 partial; guest frames 6..8 only, --frames); 1 replay " "$T/r3.html" ||
    fail "6-: the page: $(grep -m1 ' frames' "$T/r3.html")"
# run 4: one frame, with --salvage on an intact trace, and an HTML page
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames 0 --salvage \
    --db "$T/a.sqlite" -q --html "$T/r4.html"
grep -qF " commands, 1 frame (guest frames 0..0 only, --frames); 1 replay " "$T/r4.html" ||
    fail "0: the page: $(grep -m1 ' frames' "$T/r4.html")"
# run 5: --sync frame, whose frame spans are stored by frame index
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames 2-4 --sync frame \
    --db "$T/a.sqlite" -q
# run 6: --frames 0-7 and run 7: 0-: what every frame stores
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames 0-7 --db "$T/a.sqlite" -q
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames 0- --db "$T/a.sqlite" -q

"$PY" - "$T/a.sqlite" "$T/r3.json" <<'PYEOF' || fail "the database: see above"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
CMD = "seq, frame, type_id, bytes, status, dma_bytes, backend_calls, primitives"
FRM = "frame, first_seq, last_seq, commands, draws, primitives, dma_bytes, partial"
def rows(q, run):
    return db.execute(q, (run,)).fetchall()
def check(run, a, b, frames):
    whole = rows("SELECT " + CMD + " FROM commands WHERE run_id=? AND frame BETWEEN %d AND %d "
                 "ORDER BY seq" % (a, b), 1)
    got = rows("SELECT " + CMD + " FROM commands WHERE run_id=? ORDER BY seq", run)
    assert got and got == whole, (run, len(got), len(whole), got[:3], whole[:3])
    wf = rows("SELECT " + FRM + " FROM frames WHERE run_id=? AND frame BETWEEN %d AND %d "
              "ORDER BY frame" % (a, b), 1)
    gf = rows("SELECT " + FRM + " FROM frames WHERE run_id=? ORDER BY frame", run)
    assert gf == wf, (run, gf, wf)
    # per type: the counts of the range's commands
    wt = rows("SELECT type_id, count(*), sum(bytes), sum(primitives) FROM commands WHERE "
              "run_id=? AND frame BETWEEN %d AND %d GROUP BY type_id ORDER BY type_id" % (a, b), 1)
    gt = rows("SELECT type_id, count, bytes, primitives FROM type_stats WHERE run_id=? "
              "ORDER BY type_id", run)
    assert gt == wt, (run, gt, wt)
    # the run's counts are the range's; its timeline starts at its first command
    r = db.execute("SELECT commands, frames, total_ns, settings FROM runs WHERE run_id=?",
                   (run,)).fetchone()
    assert r[0] == len(whole) and r[1] == frames, (run, r[:2], len(whole), frames)
    assert r[2] == db.execute("SELECT sum(total_ns) FROM commands WHERE run_id=?",
                              (run,)).fetchone()[0], run
    first = db.execute("SELECT start_ns FROM commands WHERE run_id=? ORDER BY seq LIMIT 1",
                       (run,)).fetchone()[0]
    assert first == 0, (run, first)
    return json.loads(r[3])
s = check(2, 3, 5, 3)
assert s["frames"] == [3, 5] and s["runs"] == 2, s
# the frames before the range ran untimed: one replay timed the range's
# commands and backend calls only (the replayer's hooks, the wrapper's
# clock); the state-only frames' commands were replayed without them
n, calls = db.execute("SELECT count(*), sum(backend_calls) FROM commands WHERE run_id=2").fetchone()
state_n, state_calls = db.execute("SELECT count(*), sum(backend_calls) FROM commands WHERE "
                                  "run_id=1 AND frame < 3").fetchone()
assert s["timed"] == {"commands": n, "backend_calls": calls}, (s["timed"], n, calls)
# the state at 3 came from a checkpoint (cli_analyze_checkpoint): the
# frames before it replayed once, by the trim, and each replay applied its
# snapshot untimed (backend calls of no command: surfaces, contents)
cp = s["checkpoint"]
assert cp["taken"] is True and cp["commands"] == state_n > 0 and state_calls > 0, (cp, state_n)
st = s["state_only"]
assert st["commands"] == 0 and st["backend_calls"] > 0, st
assert st["native_calls"] > 0 and st["replay_ns"] > 0, st
# runs.replay_ns is the range's replay: at least its frames' commands
replay_ns, total = db.execute("SELECT replay_ns, total_ns FROM runs WHERE run_id=2").fetchone()
assert replay_ns >= total == db.execute("SELECT sum(total_ns) FROM frames WHERE run_id=2").fetchone()[0], (replay_ns, total)
s = check(3, 6, 8, 2)  # frames 6, 7 complete, 8 partial
assert s["frames"] == [6, 8], s
s = check(4, 0, 0, 1)
assert s["frames"] == [0, 0], s
assert s["salvage"] == {"chunks_skipped": 0, "damaged_frames": [], "damaged_frames_all": True,
                        "damaged_state_frames": []}, s
s = check(5, 2, 4, 3)
assert s["frames"] == [2, 4] and s["sync"] == "frame", s
spans = db.execute("SELECT count(*) FROM frames WHERE run_id=5 AND virtual_wall_ns > 0 AND "
                   "native_wall_ns IS NOT NULL").fetchone()[0]
assert spans == 3, spans
# one replay: each frame's span holds its commands (test_analyze's rule for
# --runs 1), its own frame's, not another's of the trace
bad = db.execute("SELECT frame FROM frames WHERE run_id=5 AND (virtual_wall_ns < total_ns OR "
                 "native_wall_ns < native_ns)").fetchall()
assert bad == [], bad
s = check(6, 0, 7, 8)
assert s["frames"] == [0, 7], s
# from the first frame: no state-only command, every command timed
assert s["state_only"]["commands"] == 0, s
assert s["timed"]["commands"] == db.execute("SELECT commands FROM runs WHERE run_id=6").fetchone()[0], s
s = check(7, 0, 8, 8)
assert s["frames"] == [0, 8], s
whole = db.execute("SELECT commands, frames, settings FROM runs WHERE run_id=1").fetchone()
assert "frames" not in json.loads(whole[2]), whole
assert "state_only" not in json.loads(whole[2]) and "timed" not in json.loads(whole[2]), whole
assert whole[:2] == db.execute("SELECT commands, frames FROM runs WHERE run_id=7").fetchone()
# the trace once, its objects once (from run 1)
assert db.execute("SELECT count(*) FROM traces").fetchone()[0] == 1
assert db.execute("SELECT count(*) FROM surfaces").fetchone()[0] > 0
# the JSON report of run 3 says its range; the whole run's says none
rep = json.load(open(sys.argv[2]))
assert rep["run"]["frames_range"] == [6, 8], rep["run"]
assert rep["run"]["commands"] == db.execute("SELECT commands FROM runs WHERE run_id=3").fetchone()[0]
PYEOF
expect 0 "$VGT" analyze --db "$T/a.sqlite" --run 1 --report json
grep -q '"frames_range":null' "$T/out.txt" || fail "whole: frames_range: $(head -c 600 "$T/out.txt")"

# the CSV's first section is the run: a range run's guest frames in
# first_frame and last_frame, both empty for a run of every frame
expect 0 "$VGT" analyze --db "$T/a.sqlite" --run 2 --report csv
cp "$T/out.txt" "$T/r2.csv"
expect 0 "$VGT" analyze --db "$T/a.sqlite" --run 1 --report csv
cp "$T/out.txt" "$T/r1.csv"
"$PY" - "$T/a.sqlite" "$T/r1.csv" "$T/r2.csv" <<'PYEOF' || fail "the CSV's run section: see above"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
HEAD = ("# run\nrun_id,trace_id,backend,replays,commands,frames,partial_frames,first_frame,"
        "last_frame,total_ns,native_ns,overhead_ns,replay_ns\n")
def want(run, rng):
    r = db.execute("SELECT run_id, trace_id, backend, replays, commands, frames, total_ns, "
                   "native_ns, overhead_ns, replay_ns FROM runs WHERE run_id=?", (run,)).fetchone()
    partial = db.execute("SELECT count(*) FROM frames WHERE run_id=? AND partial=1",
                         (run,)).fetchone()[0]
    return HEAD + "%d,%d,%s,%d,%d,%d,%d,%s,%d,%d,%d,%d\n# types\n" % (
        r[0], r[1], r[2], r[3], r[4], r[5], partial, rng, r[6], r[7], r[8], r[9])
for run, path, rng in ((1, sys.argv[2], ","), (2, sys.argv[3], "3,5")):
    got = open(path).read()
    w = want(run, rng)
    assert got.startswith(w), (run, got[:400], w)
PYEOF

# a range first: no objects stored (its replay stopped at frame 2); the
# first whole run stores them, as a whole run into a new database does
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames 1-2 --db "$T/b.sqlite" -q
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --db "$T/b.sqlite" -q
expect 0 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --db "$T/b.sqlite" -q
"$PY" - "$T/a.sqlite" "$T/b.sqlite" <<'PYEOF' || fail "the objects: see above"
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
for t in ("surfaces", "shaders"):
    q = "SELECT * FROM %s ORDER BY 1, 2, 3, 4" % t
    ra, rb = a.execute(q).fetchall(), b.execute(q).fetchall()
    assert ra == rb, (t, ra, rb)
assert b.execute("SELECT count(*) FROM surfaces").fetchone()[0] > 0
assert b.execute("SELECT traces.dma_bytes FROM traces").fetchone() == \
    a.execute("SELECT traces.dma_bytes FROM traces").fetchone()
PYEOF

# dynamic-vertex uploads every frame: a range first stores the trace's row
# with the guest memory its replay read (frames 0..1); the first whole run
# makes it the whole trace's, as a whole run into a new database says it
expect 0 "$VGT" run dynamic-vertex --frames 4 --batch 4 --backend null --capture "$T/d.vgt"
expect 0 "$VGT" analyze "$T/d.vgt" --backend null --runs 1 --frames 0-1 --db "$T/d1.sqlite" -q
expect 0 "$VGT" analyze "$T/d.vgt" --backend null --runs 1 --db "$T/d1.sqlite" -q
expect 0 "$VGT" analyze "$T/d.vgt" --backend null --runs 1 --db "$T/d2.sqlite" -q
"$PY" - "$T/d1.sqlite" "$T/d2.sqlite" <<'PYEOF' || fail "dynamic-vertex: see above"
import sqlite3, sys
a, b = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
q = "SELECT path, records, commands, frames, dma_bytes FROM traces"
ra, rb = a.execute(q).fetchall(), b.execute(q).fetchall()
assert ra == rb and rb[0][4] > 0, (ra, rb)
r01 = a.execute("SELECT sum(dma_bytes) FROM frames WHERE run_id=1").fetchone()[0]
assert 0 < r01 < rb[0][4], (r01, rb)
for t in ("surfaces", "shaders"):
    q = "SELECT * FROM %s ORDER BY 1, 2, 3, 4" % t
    assert a.execute(q).fetchall() == b.execute(q).fetchall(), t
PYEOF

# the errors of vgt replay --frames, in its words
for range in 50-60 9-; do
    expect 2 "$VGT" replay "$T/c.vgt" --backend null --frames "$range"
    sed 's/^vgt replay: /vgt analyze: /' "$T/err.txt" >"$T/want.txt"
    expect 2 "$VGT" analyze "$T/c.vgt" --backend null --runs 1 --frames "$range" --db "$T/e.sqlite" -q
    cmp -s "$T/err.txt" "$T/want.txt" || fail "$range: $(cat "$T/err.txt") vs $(cat "$T/want.txt")"
done
for range in 5-3 3-x x -3- ""; do
    expect 1 "$VGT" replay "$T/c.vgt" --frames "$range"
    sed 's/^vgt replay: /vgt analyze: /' "$T/err.txt" >"$T/want.txt"
    expect 1 "$VGT" analyze "$T/c.vgt" --frames "$range"
    cmp -s "$T/err.txt" "$T/want.txt" || fail "'$range': $(cat "$T/err.txt") vs $(cat "$T/want.txt")"
done
expect 1 "$VGT" analyze "$T/c.vgt" --frames 3-x
grep -qxF "vgt analyze: --frames '3-x': expected A-B with A <= B, A- or A" "$T/err.txt" ||
    fail "3-x: $(cat "$T/err.txt")"
expect 1 "$VGT" analyze "$T/c.vgt" --frames
grep -qxF "vgt analyze: --frames needs a value: A-B, A- or A" "$T/err.txt" ||
    fail "no value: $(cat "$T/err.txt")"
expect 1 "$VGT" analyze --db "$T/a.sqlite" --frames 1-2
grep -qxF "vgt analyze: --frames is for a trace: no FILE given" "$T/err.txt" ||
    fail "no FILE: $(cat "$T/err.txt")"
# nothing stored by the failed runs
"$PY" -c 'import sqlite3,sys; assert sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM runs").fetchone()[0] == 0' "$T/e.sqlite" ||
    fail "a failed range stored a run"
[ -z "$(ls -A "$T/tmp")" ] || fail "left in TMPDIR: $(ls -A "$T/tmp")"
rm -rf "$T"
echo "cli_analyze_frames: ok"
