"""Checks vgt analyze's reports of one run against its database.

usage: check_reports.py DB RUN_ID REPORT.json REPORT.html PERFETTO.json
"""
import json
import sqlite3
import sys

db_path, run, rep_path, html_path, pf_path = sys.argv[1:6]
run = int(run)
db = sqlite3.connect(db_path)
q = lambda sql, *a: db.execute(sql, a).fetchall()

rep = json.load(open(rep_path))
assert rep["run"]["run_id"] == run, rep["run"]
(cmds,), = q("SELECT count(*) FROM commands WHERE run_id=?", run)
assert rep["run"]["commands"] == cmds, (rep["run"]["commands"], cmds)
(runs,), = q("SELECT count(*) FROM runs")
assert runs == run, (runs, run)
types = {t["name"]: t for t in rep["types"]}
for name, count, total, ratio, below in q(
        "SELECT name, count, total_ns, ratio, native_below_resolution FROM type_stats "
        "JOIN command_types USING(type_id) WHERE run_id=?", run):
    t = types[name]
    assert t["count"] == count and t["total_ns"] == total, (name, t, count, total)
    assert (t["ratio"] is None) == (ratio is None), (name, t["ratio"], ratio)
    assert t["native_below_resolution"] == bool(below)
assert sum(t["count"] for t in rep["types"]) == cmds
(total,), = q("SELECT sum(total_ns) FROM commands WHERE run_id=?", run)
assert rep["run"]["total_ns"] == total
assert len(rep["frames"]) == q("SELECT count(*) FROM frames WHERE run_id=?", run)[0][0]
# frames: complete ones (runs.frames, the trace's FRAME_ENDs); the partial one
# (the commands after the last frame end) listed, flagged, in no ranking
(complete,), = q("SELECT count(*) FROM frames WHERE run_id=? AND partial=0", run)
(partial,), = q("SELECT count(*) FROM frames WHERE run_id=? AND partial=1", run)
(run_frames, trace_frames), = q("SELECT r.frames, t.frames FROM runs r JOIN traces t "
                                "USING(trace_id) WHERE run_id=?", run)
assert rep["run"]["frames"] == complete == run_frames == trace_frames, (rep["run"], complete)
assert rep["run"]["partial_frames"] == partial, (rep["run"], partial)
flags = dict(q("SELECT frame, partial FROM frames WHERE run_id=?", run))
assert all(f["partial"] == bool(flags[f["frame"]]) for f in rep["frames"])
slow = [r[0] for r in q("SELECT frame FROM frames WHERE run_id=? AND partial=0 "
                        "ORDER BY total_ns DESC, frame", run)]
assert [f["frame"] for f in rep["slowest_frames"]] == slow[:len(rep["slowest_frames"])]
assert rep["slowest_frames"] and not any(f["partial"] for f in rep["slowest_frames"])
assert rep["paper"]["per_draw"]["draws"] == types["DRAW_PRIMITIVES"]["count"]

# --sync frame: the frames' wall times, summarized from the frames table
(sync,), = q("SELECT json_extract(settings, '$.sync') FROM runs WHERE run_id=?", run)
assert rep["run"]["sync"] == sync, (rep["run"]["sync"], sync)
walls = q("SELECT frame, virtual_wall_ns, native_wall_ns FROM frames WHERE run_id=? "
          "AND virtual_wall_ns IS NOT NULL AND partial=0 ORDER BY frame", run)
(timed,), = q("SELECT count(*) FROM frames WHERE run_id=? AND virtual_wall_ns IS NOT NULL", run)
fw = rep["frame_walls"]
if sync == "frame":
    assert timed == len(rep["frames"]) and fw["frames"] == len(walls) == complete, (fw, walls)
    v = sorted(w[1] for w in walls)
    n = sorted(w[2] for w in walls)
    assert fw["virtual_median_ns"] == v[(len(v) - 1) // 2], fw
    assert fw["native_median_ns"] == n[(len(n) - 1) // 2], fw
    assert fw["virtual_total_ns"] == sum(v) and fw["native_total_ns"] == sum(n), fw
    worst = sorted(walls, key=lambda w: (-w[1], w[0]))
    assert [s["frame"] for s in fw["slowest"]] == [w[0] for w in worst[:len(fw["slowest"])]]
    by_frame = {f["frame"]: f for f in rep["frames"]}
    for frame, vw, nw in walls:
        assert by_frame[frame]["virtual_wall_ns"] == vw and by_frame[frame]["native_wall_ns"] == nw
else:
    assert fw is None and not walls and not timed, (fw, walls)
    assert all(f["virtual_wall_ns"] is None for f in rep["frames"])

html = open(html_path).read()
sections = 5 if sync == "frame" else 4
assert html.count("<section") == sections and html.count("<svg") == sections, "one chart each"
assert ("id='walls'" in html) == (sync == "frame")
assert "http://" not in html.replace("http://www.w3.org/2000/svg", ""), "self-contained"
assert (" is partial: the " in html) == (partial > 0)

pf = json.load(open(pf_path))
ev = pf["traceEvents"]
xs = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "command"]
assert len(xs) == cmds, (len(xs), cmds)
fev = [e for e in ev if e.get("cat") == "frame"]
assert len(fev) == len(rep["frames"])
assert all(e["name"].endswith(" (partial)") == bool(flags[int(e["name"].split()[1])])
           for e in fev), [e["name"] for e in fev]
for e in ev:
    if e.get("ph") == "X":
        assert e["dur"] >= 0 and e["ts"] >= 0
print("reports of run", run, "match the database:", cmds, "commands")
