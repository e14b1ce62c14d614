"""The schema docs/analysis-db.md describes is the one vgt writes.

usage: check_schema_doc.py DB docs/analysis-db.md

Every table of the database has a section of the doc ("### `name`", under
"## Tables") that names each of its columns in backticks, and says WITHOUT
ROWID exactly when the table is; every table the doc gives a section is in
the database; every index is named in the doc; the schema version the doc
states is PRAGMA user_version.  Prints what differs, exit 1.
"""
import re
import sqlite3
import sys

db_path, doc_path = sys.argv[1:3]
db = sqlite3.connect(db_path)
doc = open(doc_path, encoding="utf-8").read()
problems = []

tables = {name: sql for name, sql in db.execute(
    "SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
indexes = [r[0] for r in db.execute(
    "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")]

# the "## Tables" part: one "### " section per table (or per group of tables)
part = doc.split("\n## Tables\n", 1)
if len(part) != 2:
    sys.exit("no '## Tables' section in " + doc_path)
tables_part = part[1].split("\n## ", 1)[0]
sections = {}
for block in re.split(r"\n(?=### )", tables_part):
    if not block.startswith("### "):
        continue
    heading = block.split("\n", 1)[0]
    names = re.findall(r"`([a-z_]+)`", heading.split(":", 1)[0])
    for n in names:
        sections[n] = block

for name, sql in sorted(tables.items()):
    if name not in sections:
        problems.append(f"table {name}: no section '### `{name}`' under '## Tables'")
        continue
    block = sections[name]
    words = set()
    for span in re.findall(r"`([^`]+)`", block):
        words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span))
    for cid, col, *_ in db.execute(f"PRAGMA table_info({name})"):
        if col not in words:
            problems.append(f"table {name}: column {col} not named in its section")
    without_rowid = "WITHOUT ROWID" in sql.upper()
    if without_rowid != ("WITHOUT ROWID" in block):
        problems.append(f"table {name}: WITHOUT ROWID is {without_rowid} in the database, "
                        f"{not without_rowid} in the doc")
for name in sorted(sections):
    if name not in tables:
        problems.append(f"the doc has a section for table {name}, the database has no such table")
for idx in indexes:
    if f"`{idx}" not in doc:
        problems.append(f"index {idx} not named in the doc")
(version,), = db.execute("PRAGMA user_version")
m = re.search(r"`PRAGMA user_version` \((\d+)\)", doc)
if not m or int(m.group(1)) != version:
    problems.append(f"schema version: database {version}, doc {m.group(1) if m else 'none'}")

for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f"{len(tables)} tables, {len(indexes)} indexes: the doc matches the database")
