#!/bin/sh
# vgt analyze --frames A-B through a checkpoint of the state at A
# (docs/analysis-db.md, "A range's checkpoint"): the frames before A are
# replayed once, by the trim that writes the state at A, not in every
# replay, and the range's rows are those of the whole trace's analysis
# restricted to A..B, command for command (seq, frame, type, bytes,
# status, DMA bytes, backend calls, primitives): on cube (3D), 2d-demo
# (2D, a cursor and fences), dynamic-vertex (buffers uploaded each frame)
# and envmap (many surfaces, a cube map and render targets; not on soft,
# 95 s under ASan), on null, soft and gl (exit 77 when gl does not open).  The
# checkpoint's scratch trace under $TMPDIR is removed; where trim refuses
# the state (a range from the first frame, --salvage, A past the complete
# frames), the settings say why and the frames before A replay as before.
# One sample on one backend a run (soft's three took 65 s under ASan);
# null's cube runs the refusals too.
# Usage: cli_analyze_checkpoint.sh VGT TMPDIR PYTHON3 null|soft|gl SAMPLE
set -u
VGT=$1
T=$2
PY=$3
be=$4
sample=$5
. "$(dirname "$0")/../capture/cli_common.sh"
rm -rf "$T" && mkdir -p "$T/tmp" || fail "mkdir $T"
TMPDIR=$T/tmp
export TMPDIR

# the rows of run RANGE_RUN equal WHOLE_RUN's of frames A..B; the frames
# before A were replayed once (the checkpoint's commands), none in a replay
check() { # DB WHOLE_RUN RANGE_RUN A B
    "$PY" - "$@" <<'PYEOF' || fail "$1: range run $3 (frames $4-$5) against run $2"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
whole, rng, a, b = (int(x) for x in sys.argv[2:])
CMD = "seq, frame, type_id, bytes, status, dma_bytes, backend_calls, primitives"
want = db.execute("SELECT %s FROM commands WHERE run_id=? AND frame BETWEEN ? AND ? ORDER BY seq"
                  % CMD, (whole, a, b)).fetchall()
got = db.execute("SELECT %s FROM commands WHERE run_id=? ORDER BY seq" % CMD, (rng,)).fetchall()
assert want and got == want, (len(got), len(want),
                              [(g, w) for g, w in zip(got, want) if g != w][:3])
s = json.loads(db.execute("SELECT settings FROM runs WHERE run_id=?", (rng,)).fetchone()[0])
before = db.execute("SELECT count(*) FROM commands WHERE run_id=? AND frame < ?",
                    (whole, a)).fetchone()[0]
cp = s["checkpoint"]
assert cp["taken"] is True, cp
# the prefix replayed once (by the trim), none of it by a replay
assert cp["commands"] == before > 0, (cp, before)
assert cp["frames"] == a, (cp, a)
assert cp["snapshot_bytes"] > 0, cp
assert s["state_only"]["commands"] == 0, s["state_only"]
calls = db.execute("SELECT count(*), sum(backend_calls) FROM commands WHERE run_id=?",
                   (rng,)).fetchone()
assert s["timed"] == {"commands": calls[0], "backend_calls": calls[1]}, (s["timed"], calls)
PYEOF
}

# the checkpoint's scratch directory is gone
no_scratch() {
    [ -z "$(ls -A "$T/tmp")" ] || fail "$1: left in TMPDIR: $(ls -A "$T/tmp")"
}

if [ "$be" = gl ] && ! "$VGT" run cube --frames 1 --backend gl -q >/dev/null 2>&1; then
    echo "cli_analyze_checkpoint: SKIPPED: the gl backend does not open here"
    rm -rf "$T"
    exit 77
fi

expect 0 "$VGT" run $sample --frames 6 --backend null --capture "$T/$sample.vgt"
db=$T/$sample.sqlite
expect 0 "$VGT" analyze "$T/$sample.vgt" --backend $be --runs 1 --db "$db" -q
# to the end (the teardown's partial frame too) and inside
expect 0 "$VGT" analyze "$T/$sample.vgt" --backend $be --runs 1 --frames 3- --db "$db" -q
no_scratch "$sample 3-"
check "$db" 1 2 3 99
expect 0 "$VGT" analyze "$T/$sample.vgt" --backend $be --runs 1 --frames 2-4 --db "$db" -q
no_scratch "$sample 2-4"
check "$db" 1 3 2 4
if [ "$be" != null ] || [ "$sample" != cube ]; then
    rm -rf "$T"
    echo "cli_analyze_checkpoint: ok ($sample, $be)"
    exit 0
fi

# where no checkpoint is taken: the settings say why
db=$T/refused.sqlite
expect 0 "$VGT" analyze "$T/cube.vgt" --backend null --runs 1 --frames 0-2 --db "$db" -q
expect 0 "$VGT" analyze "$T/cube.vgt" --backend null --runs 1 --frames 2-4 --salvage --db "$db" -q
# past the complete frames (the teardown's partial frame alone): no
# checkpoint, and the error is vgt replay's, as before
expect 2 "$VGT" analyze "$T/cube.vgt" --backend null --runs 1 --frames 6- --db "$db" -q
grep -qF "no frame 6..18446744073709551615 in the trace (guest frames 0..5)" "$T/err.txt" ||
    fail "6-: $(cat "$T/err.txt")"
no_scratch refused
expect 0 "$VGT" analyze "$T/cube.vgt" --backend null --runs 1 --db "$db" -q
"$PY" - "$db" <<'PYEOF' || fail "the runs without a checkpoint"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = [json.loads(r[0]) for r in db.execute("SELECT settings FROM runs ORDER BY run_id")]
why = [s["checkpoint"] for s in rows[:2]]
assert why[0] == {"taken": False, "why": "the range starts at the trace's first frame: "
                  "no state before it"}, why[0]
assert why[1]["taken"] is False and why[1]["why"].startswith("--salvage"), why[1]
assert "checkpoint" not in rows[2], rows[2]
# the old path: the frames before A replayed in each replay, untimed
before = db.execute("SELECT count(*) FROM commands WHERE run_id=3 AND frame < 2").fetchone()[0]
assert rows[1]["state_only"]["commands"] == before > 0, (rows[1], before)
PYEOF
rm -rf "$T"
echo "cli_analyze_checkpoint: ok ($sample, $be, and the refusals)"
