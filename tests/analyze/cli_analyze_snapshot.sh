#!/bin/sh
# vgt analyze of a trimmed trace (vgt trim --frames 2-): the surfaces and
# shaders its snapshot makes before the first command are rows of the
# surfaces and shaders tables, as vgt surfaces and vgt shader list list them
# (defined_seq -n..-1 in the snapshot's order, docs/analysis-db.md); until
# 2026-12-01 they were left out, and a query joining the commands' uploads
# and draws to them found nothing.
set -eu
VGT=$1
TMP=$2
PY=$3
rm -rf "$TMP"
mkdir -p "$TMP"
"$VGT" run shaders --backend null --frames 4 --capture "$TMP/full.vgt" >/dev/null
"$VGT" trim "$TMP/full.vgt" --frames 2- -o "$TMP/cut.vgt" >/dev/null 2>&1
"$VGT" surfaces "$TMP/cut.vgt" --json >"$TMP/surfaces.json"
"$VGT" shader list "$TMP/cut.vgt" --json >"$TMP/shaders.json"
"$VGT" analyze "$TMP/cut.vgt" --backend null --db "$TMP/cut.sqlite" --runs 1 -q >/dev/null
# the full trace: every object is a command's, none has a negative seq
"$VGT" analyze "$TMP/full.vgt" --backend null --db "$TMP/full.sqlite" --runs 1 -q >/dev/null
"$PY" - "$TMP" <<'PYEOF'
import json, sqlite3, sys
tmp = sys.argv[1]

def lines(name, kind):
    rows = [json.loads(l) for l in open(f"{tmp}/{name}") if l.strip()]
    return [r for r in rows if r.get("type") == kind]

surfaces = lines("surfaces.json", "surface")
shaders = lines("shaders.json", "shader")
snap_surf = [s for s in surfaces if s["snapshot"]]
snap_sh = [s for s in shaders if s["snapshot"]]
assert len(snap_surf) >= 2 and len(snap_sh) == 2, (len(snap_surf), len(snap_sh))

db = sqlite3.connect(f"{tmp}/cut.sqlite")
db.row_factory = sqlite3.Row
rows = db.execute("SELECT * FROM surfaces WHERE defined_seq < 0 ORDER BY defined_seq").fetchall()
assert [r["defined_seq"] for r in rows] == list(range(-len(snap_surf), 0)), \
    [r["defined_seq"] for r in rows]
for r, s in zip(rows, snap_surf):
    got = (r["sid"], r["format"], r["flags"], r["width"], r["height"], r["depth"], r["faces"],
           r["mip_levels"], r["bytes"], r["uploads"], r["upload_bytes"], r["downloads"],
           r["download_bytes"], r["destroyed_seq"])
    want = (s["sid"], s["format_id"], s["flags_value"], s["width"], s["height"], s["depth"],
            s["faces"], s["mips"], s["storage"], s["uploads"], s["upload_bytes"], s["downloads"],
            s["download_bytes"], s["end_seq"] if s["end"] == "destroy" else None)
    assert got == want, (got, want)
    assert r["format_name"] == s["format"], (r["format_name"], s["format"])
# the commands' own defines are rows as before
cmd_surf = [s for s in surfaces if not s["snapshot"] and s["refused"] is None]
n = db.execute("SELECT count(*) FROM surfaces WHERE defined_seq >= 0").fetchone()[0]
assert n == len(cmd_surf), (n, len(cmd_surf))

rows = db.execute("SELECT * FROM shaders WHERE defined_seq < 0 ORDER BY defined_seq").fetchall()
assert [r["defined_seq"] for r in rows] == [-2, -1], [r["defined_seq"] for r in rows]
for r, s in zip(rows, snap_sh):
    # cid and shid: from the SNAPSHOT's own defines, which no command hook sees
    got = (r["type"], r["words"], r["hash"], r["destroyed_seq"], r["cid"], r["shid"])
    want = (s["shader_type"], s["tokens"], s["hash"], s["destroy_seq"], s["cid"], s["shid"])
    assert got == want, (got, want)
n = db.execute("SELECT count(*) FROM shaders WHERE defined_seq >= 0").fetchone()[0]
assert n == len([s for s in shaders if not s["snapshot"] and s["refused"] is None]), n

# a join of the draws to the surfaces they render into finds the snapshot's
# render target (the sample defines its surfaces once, before frame 2)
draws = db.execute("SELECT count(*) FROM commands c JOIN command_types t USING(type_id) "
                   "WHERE t.name = 'DRAW_PRIMITIVES'").fetchone()[0]
assert draws == 2, draws
rt = [s for s in snap_surf if s["rt_draws"] > 0]
assert rt and all(db.execute("SELECT count(*) FROM surfaces WHERE sid = ? AND defined_seq < 0",
                             (s["sid"],)).fetchone()[0] == 1 for s in rt)

full = sqlite3.connect(f"{tmp}/full.sqlite")
for table in ("surfaces", "shaders"):
    neg, = full.execute(f"SELECT count(*) FROM {table} WHERE defined_seq < 0").fetchone()
    assert neg == 0, (table, neg)
print(f"snapshot rows: {len(snap_surf)} surfaces, {len(snap_sh)} shaders; "
      f"command rows: {len(cmd_surf)} surfaces")
PYEOF
