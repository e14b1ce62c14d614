#!/bin/sh
# vgt analyze through the CLI: a cube capture analyzed twice into one
# database (null backend), reports checked against the database.
set -eu
VGT=$1
TMP=$2
PY=$3
CHECK=$4
rm -rf "$TMP"
mkdir -p "$TMP"
"$VGT" run cube --backend null --frames 5 --capture "$TMP/cube.vgt" >/dev/null
"$VGT" analyze "$TMP/cube.vgt" --db "$TMP/a.sqlite" --runs 2 --report json \
    --html "$TMP/r.html" --perfetto "$TMP/p.json" -q >"$TMP/r.json"
"$PY" "$CHECK" "$TMP/a.sqlite" 1 "$TMP/r.json" "$TMP/r.html" "$TMP/p.json"
# the schema docs/analysis-db.md describes is the one written: every table,
# column and index, WITHOUT ROWID, the version
SRC=$(dirname "$CHECK")/../..
"$PY" "$SRC/tests/analyze/check_schema_doc.py" "$TMP/a.sqlite" "$SRC/docs/analysis-db.md"
# a second run appended: the reports of run 2 match the database too
"$VGT" analyze "$TMP/cube.vgt" --db "$TMP/a.sqlite" --runs 1 --report csv -q >"$TMP/r.csv"
grep -q '^# types' "$TMP/r.csv"
"$VGT" analyze --db "$TMP/a.sqlite" --report json >"$TMP/r2.json"
"$VGT" analyze --db "$TMP/a.sqlite" --run 2 --html "$TMP/r2.html" --perfetto "$TMP/p2.json" >/dev/null
"$PY" "$CHECK" "$TMP/a.sqlite" 2 "$TMP/r2.json" "$TMP/r2.html" "$TMP/p2.json"
# --sync frame: run 3, its frames' wall times in every report
"$VGT" analyze "$TMP/cube.vgt" --db "$TMP/a.sqlite" --runs 2 --sync frame --report json \
    --html "$TMP/r3.html" --perfetto "$TMP/p3.json" -q >"$TMP/r3.json"
"$PY" "$CHECK" "$TMP/a.sqlite" 3 "$TMP/r3.json" "$TMP/r3.html" "$TMP/p3.json"
"$VGT" analyze --db "$TMP/a.sqlite" --run 3 --report csv >"$TMP/r3.csv"
grep -q '^# frame_walls' "$TMP/r3.csv"
"$VGT" analyze --db "$TMP/a.sqlite" --run 3 --report text | grep -q 'virtualized vs .* native'
if grep -q '^# frame_walls' "$TMP/r.csv"; then exit 1; fi
# the summary says the complete frames as vgt info does, and the teardown
# after the last frame end apart (it said "6 frames" for a 5-frame capture)
"$VGT" analyze "$TMP/cube.vgt" --runs 1 --report csv 2>"$TMP/sum.txt" >/dev/null
grep -q '^analyze: .*/cube.vgt: run 1, [0-9]* commands, 5 frames (+ 1 partial), 1 replay ' \
    "$TMP/sum.txt"
if grep -q warning "$TMP/sum.txt"; then exit 1; fi # a whole trace: no warning
# a killed capture (no footer, cut in its middle): its frames up to the last
# complete chunk, the last one partial unless a frame end closed it there
"$VGT" run cube --backend null --frames 40 --capture-chunk 1 --capture "$TMP/long.vgt" >/dev/null
size=$(wc -c <"$TMP/long.vgt")
head -c $((size * 2 / 3)) "$TMP/long.vgt" >"$TMP/cut.vgt"
set +e
"$VGT" info "$TMP/cut.vgt" --json >"$TMP/cut-info.json"
[ $? -eq 2 ] || exit 1
set -e
"$VGT" analyze "$TMP/cut.vgt" --db "$TMP/cut.sqlite" --runs 1 --report json -q >"$TMP/cut.json" \
    2>"$TMP/cut-err.txt"
chunks=$(sed -n 's/^ *"chunks": \([0-9]*\),$/\1/p' "$TMP/cut-info.json")
[ "$(cat "$TMP/cut-err.txt")" = "vgt analyze: warning: $TMP/cut.vgt is incomplete (no footer index; rebuilt from $chunks chunks): analyzed up to its last complete chunk" ]
"$PY" - "$TMP/cut-info.json" "$TMP/cut.json" <<'PYEOF'
import json, sys
info = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
assert not info["footer_present"], info
assert rep["run"]["frames"] == info["complete_frames"], (rep["run"], info)
# partial: the frame rows past the trace's FRAME_ENDs (one, when the cut left
# commands of the frame after the last one)
assert all(f["partial"] == (f["frame"] >= info["complete_frames"]) for f in rep["frames"])
partial = sum(f["partial"] for f in rep["frames"])
assert rep["run"]["partial_frames"] == partial <= info["frames"] - info["complete_frames"], rep["run"]
PYEOF
# a salvaged trace whose damaged chunk held a whole frame: the salvage keeps
# the frame numbers (a frame end for the lost frame), so that frame is
# complete, without commands; the run counts the trace's complete frames as
# vgt info does (it counted the frames with commands: one fewer)
"$VGT" dump "$TMP/long.vgt" --chunks --json >"$TMP/long-chunks.json"
"$VGT" dump "$TMP/long.vgt" --records --json >"$TMP/long-records.json"
"$PY" - "$TMP/long.vgt" "$TMP/long-chunks.json" "$TMP/long-records.json" "$TMP/hole.vgt" \
    "$TMP/hole-lost.txt" <<'PYEOF'
import json, sys
trace, chunks_path, records_path, out, lost_path = sys.argv[1:6]
chunks = [c for c in map(json.loads, open(chunks_path)) if c["type"] == "chunk"]
recs = [r for r in map(json.loads, open(records_path)) if r["type"] == "record"]
data = bytearray(open(trace, "rb").read())
for k, c in enumerate(chunks[:-1]):
    inside = range(c["first_record"], c["first_record"] + c["records"])
    for f in range(c["first_frame"], c["last_frame"] + 1):
        body = [r["seq"] for r in recs if r["frame"] == f]
        if f > 0 and body and all(b in inside for b in body):
            at = chunks[k + 1]["offset"] - c["compressed"] // 2  # in its compressed bytes
            data[at] ^= 0xFF
            open(out, "wb").write(data)
            # the frames whose commands the chunk holds all of (the live
            # capture's batching decides how many: one or more); a frame's
            # other records may lie outside it (the guest's IRQMASK write
            # before its first command, in the chunk before: that frame
            # loses every command, and its row, too)
            lost = 0
            for g in range(c["first_frame"], c["last_frame"] + 1):
                gcmds = [r["seq"] for r in recs if r["frame"] == g and
                         r["record_type"] in ("command_batch", "command")]
                lost += bool(gcmds) and all(b in inside for b in gcmds)
            open(lost_path, "w").write("%d\n" % lost)
            sys.exit(0)
sys.exit("no chunk holds a whole frame")
PYEOF
# exit 2: a damaged chunk was skipped
"$VGT" repack "$TMP/hole.vgt" -o "$TMP/hole-salvaged.vgt" --salvage -q 2>/dev/null || [ $? -eq 2 ]
"$VGT" info "$TMP/hole-salvaged.vgt" --json >"$TMP/hole-info.json"
"$VGT" analyze "$TMP/hole-salvaged.vgt" --db "$TMP/hole.sqlite" --runs 1 --report json -q \
    >"$TMP/hole.json"
"$PY" - "$TMP/hole-info.json" "$TMP/hole.json" "$TMP/hole.sqlite" "$TMP/hole-lost.txt" <<'PYEOF'
import json, sqlite3, sys
info = json.load(open(sys.argv[1]))
lost = int(open(sys.argv[4]).read())
rep = json.load(open(sys.argv[2]))
db = sqlite3.connect(sys.argv[3])
assert rep["run"]["frames"] == info["complete_frames"], (rep["run"]["frames"], info)
(runs_frames, trace_frames), = db.execute("SELECT r.frames, t.frames FROM runs r JOIN traces t USING(trace_id)")
assert runs_frames == trace_frames == info["complete_frames"], (runs_frames, trace_frames, info)
# a frame without commands has no row: a row fewer than the complete frames
# for each frame the damaged chunk held whole
(rows,), = db.execute("SELECT count(*) FROM frames WHERE partial=0")
assert lost >= 1 and rows == info["complete_frames"] - lost, (rows, lost, info)
PYEOF
# a stored run's --html alone writes the page and prints no report (as with a
# FILE: "text, unless only --html or --perfetto output is asked for")
"$VGT" analyze --db "$TMP/a.sqlite" --run 1 --html "$TMP/only.html" >"$TMP/only.out"
[ ! -s "$TMP/only.out" ]
[ -s "$TMP/only.html" ]
"$VGT" analyze --db "$TMP/a.sqlite" --run 1 --perfetto "$TMP/only.json" >"$TMP/only.out"
[ ! -s "$TMP/only.out" ]
[ -s "$TMP/only.json" ]
# an empty trace (a capture whose start frame was never reached): 0 commands,
# no ratio (0/0 is not "native below the timer resolution")
"$VGT" run cube --backend null --frames 2 --capture-start 5 --capture "$TMP/empty.vgt" -q \
    2>/dev/null
"$VGT" analyze "$TMP/empty.vgt" --db "$TMP/empty.sqlite" --runs 1 --report json -q \
    >"$TMP/empty.json"
"$PY" - "$TMP/empty.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))["run"]
assert r["commands"] == 0 and r["frames"] == 0 and r["total_ns"] == 0, r
assert r["ratio"] is None and r["native_below_resolution"] is False, r
PYEOF
"$VGT" analyze --db "$TMP/empty.sqlite" --report text >"$TMP/empty.txt"
grep -q '^total 0 ns, native 0 ns, overhead 0 ns, virtual/native -$' "$TMP/empty.txt"
if grep -q 'inf\*' "$TMP/empty.txt"; then exit 1; fi
"$VGT" analyze --db "$TMP/empty.sqlite" --html "$TMP/empty.html"
if grep -q '&infin;' "$TMP/empty.html"; then exit 1; fi
# usage and data errors
if "$VGT" analyze 2>/dev/null; then exit 1; fi
set +e
"$VGT" analyze "$TMP/missing.vgt" -q 2>/dev/null
[ $? -eq 2 ] || exit 1
"$VGT" analyze "$TMP/cube.vgt" --runs 0 2>/dev/null
[ $? -eq 1 ] || exit 1
"$VGT" analyze "$TMP/cube.vgt" --report xml 2>/dev/null
[ $? -eq 1 ] || exit 1
"$VGT" analyze "$TMP/cube.vgt" --sync never 2>/dev/null
[ $? -eq 1 ] || exit 1
# report files that cannot be written are refused before the analysis:
# no database made, no run's summary (it ran the whole analysis first)
"$VGT" analyze "$TMP/cube.vgt" --db "$TMP/nohtml.sqlite" --html "$TMP/no/such/r.html" \
    >/dev/null 2>"$TMP/nohtml-err.txt"
[ $? -eq 2 ] || exit 1
[ "$(cat "$TMP/nohtml-err.txt")" = "vgt analyze: $TMP/no/such/r.html: cannot create: $TMP/no/such: No such file or directory" ] || exit 1
[ ! -e "$TMP/nohtml.sqlite" ] || exit 1
"$VGT" analyze "$TMP/cube.vgt" --perfetto "$TMP" >/dev/null 2>"$TMP/noperf-err.txt"
[ $? -eq 2 ] || exit 1
[ "$(cat "$TMP/noperf-err.txt")" = "vgt analyze: $TMP: cannot create: a directory" ] || exit 1
# a database that lost a table (docs/analysis-db.md "A damaged or foreign
# database"): reporting it and adding a run to it exit 2 naming the file and
# the table, and leave it as it was
cp "$TMP/a.sqlite" "$TMP/lost.sqlite"
"$PY" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DROP TABLE batch_stats'); c.commit()" "$TMP/lost.sqlite"
cp "$TMP/lost.sqlite" "$TMP/lost-before.sqlite"
"$VGT" analyze --db "$TMP/lost.sqlite" >/dev/null 2>"$TMP/lost-err.txt"
[ $? -eq 2 ] || exit 1
[ "$(cat "$TMP/lost-err.txt")" = "vgt analyze: $TMP/lost.sqlite: says analysis schema version 3 but has no table batch_stats (a damaged database, or not one vgt wrote)" ] || exit 1
"$VGT" analyze "$TMP/cube.vgt" --db "$TMP/lost.sqlite" --runs 1 -q >/dev/null 2>"$TMP/lost-err2.txt"
[ $? -eq 2 ] || exit 1
cmp -s "$TMP/lost-err.txt" "$TMP/lost-err2.txt" || exit 1
cmp -s "$TMP/lost.sqlite" "$TMP/lost-before.sqlite" || exit 1
set -e
"$VGT" analyze --help | grep -q 'usage: vgt analyze'
echo ok
