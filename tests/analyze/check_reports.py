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
assert rep["paper"]["per_draw"]["draws"] == types["DRAW_PRIMITIVES"]["count"]

html = open(html_path).read()
assert html.count("<section") == 4 and html.count("<svg") == 4, "one chart per section"
assert "http://" not in html.replace("http://www.w3.org/2000/svg", ""), "self-contained"

pf = json.load(open(pf_path))
ev = pf["traceEvents"]
xs = [e for e in ev if e.get("ph") == "X" and e.get("cat") == "command"]
assert len(xs) == cmds, (len(xs), cmds)
assert len([e for e in ev if e.get("cat") == "frame"]) == len(rep["frames"])
for e in ev:
    if e.get("ph") == "X":
        assert e["dur"] >= 0 and e["ts"] >= 0
print("reports of run", run, "match the database:", cmds, "commands")
