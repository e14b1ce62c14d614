#!/bin/sh
# cli_info_salvage.sh VGT MAKE_TRACE DIR: `vgt info` on damaged traces
# reports every problem, in the file's order, in the words of the verbs
# that skip chunks ("skipped chunk N at offset O: ..."), and counts the
# readable part: what `vgt dump --salvage --records` lists, record for
# record and type for type.  The traces (make_trace) are hand-built, so
# their chunks, offsets and records are known: looked up in the intact
# trace's `vgt dump --chunks`.  Before, vgt info opened without salvage: a
# footerless trace's damaged chunk header (or gap) ended its walk, it
# named that one problem and counted the chunks before it, and it gave no
# readable counts at all.
NAME=cli_info_salvage
. "$(dirname "$0")/cli_format_common.sh"
"$MK" "$T/intact.vgt" intact || fail "make_trace intact"
"$VGT" dump --chunks --json "$T/intact.vgt" >"$T/intact.chunks" || fail "dump --chunks intact"
for kind in header gap gap2 hole corrupt nofooter-corrupt torn; do
    "$MK" "$T/$kind.vgt" "$kind" || fail "make_trace $kind"
    "$VGT" info "$T/$kind.vgt" >"$T/$kind.txt" 2>"$T/err.txt"
    [ $? -eq 2 ] || fail "$kind: vgt info did not exit 2: $(cat "$T/err.txt")"
    "$VGT" info --json "$T/$kind.vgt" >"$T/$kind.json" 2>"$T/err.txt"
    [ $? -eq 2 ] || fail "$kind: vgt info --json did not exit 2: $(cat "$T/err.txt")"
    "$VGT" dump --records --salvage "$T/$kind.vgt" >"$T/$kind.records" 2>"$T/$kind.dumperr"
    [ $? -eq 2 ] || fail "$kind: vgt dump --records --salvage did not exit 2"
    "$VGT" dump --chunks "$T/$kind.vgt" >/dev/null 2>"$T/$kind.chunkserr"
    [ $? -eq 2 ] || fail "$kind: vgt dump --chunks did not exit 2"
    wc -c <"$T/$kind.vgt" >"$T/$kind.size"
done
python3 - "$T" <<'PY' || exit 1
import json, sys
t = sys.argv[1]
def fail(msg):
    print("cli_info_salvage: " + msg, file=sys.stderr)
    sys.exit(1)
C = [json.loads(l) for l in open(f"{t}/intact.chunks")]
C = [c for c in C if c["type"] == "chunk"]
if len(C) != 8 or sum(c["records"] for c in C) != 640:
    fail(f"the intact trace's chunks changed: {C}")
NOFOOTER = "no footer index (the trace was not closed); index rebuilt from the chunks"
def header_bad(i):
    return f"skipped chunk {i} at offset {C[i]['offset']}: chunk header checksum mismatch"
def missing(i, before):
    last = C[i]["first_record"] + C[i]["records"] - 1
    return (f"skipped chunk {i} at offset {before}: missing "
            f"(records {C[i]['first_record']}..{last})")
def body_bad(i):
    return (f"skipped chunk {i} at offset {C[i]['offset']}: checksum mismatch in its "
            f"{C[i]['compressed']} compressed bytes")
size = {k: int(open(f"{t}/{k}.size").read()) for k in ("torn",)}
o7 = C[7]["offset"]
torn = (f"skipped chunk 7 at offset {o7}: torn: it needs "
        f"{80 + C[7]['compressed']} bytes, the file has {size['torn'] - o7}")
# kind: (problem lines, chunks lost, the index's chunks and records)
# (a gap a damaged header left is named at that header's offset, where
# its lost records were: it said the offset of the chunk after it)
cases = {
    "header": ([header_bad(4)], [4], 8, 640),
    "gap": ([NOFOOTER, header_bad(4), missing(4, C[4]["offset"])], [4], 7, 518),
    "gap2": ([NOFOOTER, header_bad(2), missing(2, C[2]["offset"]), header_bad(6),
              missing(6, C[6]["offset"])], [2, 6], 6, 399),
    "hole": ([NOFOOTER, missing(4, C[4]["offset"])], [4], 7, 518),
    "corrupt": ([body_bad(4)], [4], 8, 640),
    "nofooter-corrupt": ([NOFOOTER, body_bad(4)], [4], 8, 640),
    "torn": ([NOFOOTER, torn], [7], 7, 638),
}
# vgt dump --chunks (no --salvage): a damaged header it lists and goes past
# is skipped; the torn last chunk ends the chunks, stopped at; the missing
# footer is the incomplete trace's warning, as every verb gives it (it
# was NOFOOTER, the reader's problem, first among the problems)
INCOMPLETE = ("vgt dump: warning: torn.vgt is incomplete (no footer index; rebuilt from 7 "
              "chunks): listed up to its last complete chunk")
chunks_err = {
    "header": [header_bad(4), "vgt dump: header.vgt: 1 of the chunks listed damaged (the other "
               "views' --salvage skips them; vgt repack --salvage writes the readable records "
               "into a sound trace)"],
    "torn": [INCOMPLETE, torn.replace("skipped", "stopped at", 1)],
}
for kind, want in chunks_err.items():
    got = open(f"{t}/{kind}.chunkserr").read().splitlines()
    want = ["vgt dump: " + w if not w.startswith("vgt dump: ") else w for w in want]
    got = [g.replace(t + "/", "") for g in got]
    if got != want:
        fail(f"{kind}: vgt dump --chunks said\n" + "\n".join(got) + "\nwanted\n" +
             "\n".join(want))
# the chunks skipped, as every verb counts them (docs/format.md, "Skipped
# chunks"): the torn last chunk's records are lost, but it is no chunk
# skipped (an incomplete capture); vgt info said 1 where the others said 0
not_skipped = {"torn": 1}
for kind, (lines, lost, index_chunks, index_records) in cases.items():
    skipped = len(lost) - not_skipped.get(kind, 0)
    text = open(f"{t}/{kind}.txt").read().split("\n")
    info = json.load(open(f"{t}/{kind}.json"))
    # what vgt dump --salvage --records read: its record lines and totals
    recs = [l.split() for l in open(f"{t}/{kind}.records")]
    recs = [r for r in recs if len(r) >= 5 and r[0].isdigit()]
    by_type = {}
    for r in recs:
        n, b = by_type.get(r[3], (0, 0))
        by_type[r[3]] = (n + 1, b + int(r[4]))
    frames = len({r[1] for r in recs})
    ends = by_type.get("frame_end", (0, 0))[0]
    read = [c for c in C if c["chunk"] not in lost]
    want_records = 640 - sum(C[i]["records"] for i in lost)
    if len(recs) != want_records:
        fail(f"{kind}: vgt dump --salvage read {len(recs)} records, wanted {want_records}")
    # the problems, every one, in the file's order
    at = text.index(f"integrity:       {len(lines)} problem(s)") if \
        f"integrity:       {len(lines)} problem(s)" in text else fail(
            f"{kind}: no 'integrity: {len(lines)} problem(s)': {text}")
    got = text[at + 1:at + 1 + len(lines)]
    if got != ["  - " + l for l in lines]:
        fail(f"{kind}: problems\n" + "\n".join(got) + "\nwanted\n" + "\n".join(lines))
    # vgt dump --salvage says each one as vgt info lists it, in the order
    # it met them (a gap when the read reaches it); it printed the
    # reader's message ("vgt dump: chunk 7 at offset O is torn: ..."); the
    # missing footer as the incomplete trace's warning, as every verb (it
    # listed NOFOOTER)
    dl = open(f"{t}/{kind}.dumperr").read().splitlines()
    said = ["vgt dump: " + l for l in lines if l != NOFOOTER]
    if NOFOOTER in lines:
        said.append(f"vgt dump: warning: {t}/{kind}.vgt is incomplete (no footer index; rebuilt "
                    f"from {index_chunks} chunks): listed up to its last complete chunk")
    if sorted(dl) != sorted(said):
        fail(f"{kind}: vgt dump --salvage said\n" + "\n".join(dl) + "\nwanted\n" +
             "\n".join(lines))
    jl = [e["message"] for e in info["errors"]]
    if len(jl) != len(lines) or any(not l.endswith(m) for l, m in zip(lines, jl)):
        fail(f"{kind}: JSON errors {jl}, wanted {lines}")
    # the index's counts (the summary) and the readable part's
    if info["chunks"] != index_chunks or info["records"] != index_records:
        fail(f"{kind}: the index's {info['chunks']} chunks, {info['records']} records; wanted "
             f"{index_chunks}, {index_records}")
    if f"chunks:          {index_chunks}" not in text:
        fail(f"{kind}: no 'chunks: {index_chunks}' in {text}")
    comp = sum(c["compressed"] for c in read)
    uncomp = sum(c["uncompressed"] for c in read)
    payload = sum(b for n, b in by_type.values())
    block = [
        "readable part:   what a salvage read delivers; the counts above are the index's,",
        "                 these and the SVGA section's of the readable part only",
        f"  records:       {want_records}",
        f"  frames:        {frames} ({ends} complete)",
        f"  chunks:        {len(read)} read, {skipped} skipped",
        f"  compressed:    {comp} bytes",
        f"  uncompressed:  {uncomp} bytes",
        f"  payload:       {payload} bytes",
        "  records by type:",
        "    type    name                      records    payload bytes",
    ]
    for code, name in ((1, "frame_end"), (0x1000, "command"), (0x1001, "dma_data")):
        n, b = by_type[name]
        block.append(f"    0x{code:04x}  {name:<20} {n:12} {b:16}")
    at = text.index(block[0]) if block[0] in text else fail(f"{kind}: no readable part: {text}")
    if text[at:at + len(block)] != block:
        fail(f"{kind}: readable part\n" + "\n".join(text[at:at + len(block)]) + "\nwanted\n" +
             "\n".join(block))
    rd = info.get("readable")
    want = {"records": want_records, "frames": frames, "complete_frames": ends,
            "chunks": len(read), "chunks_skipped": skipped, "bytes_compressed": comp,
            "bytes_uncompressed": uncomp, "payload_bytes": payload, "stopped": False}
    # (partial: svga counts less than the index holds, chunks skipped; it
    # was true of the torn trace too, none skipped)
    if info.get("partial") is not (skipped > 0) or not rd or any(rd[k] != v for k, v in want.items()):
        fail(f"{kind}: JSON readable {rd}, partial {info.get('partial')}; wanted {want}")
    jt = {x["name"]: (x["records"], x["payload_bytes"]) for x in rd["types"]}
    if jt != by_type:
        fail(f"{kind}: JSON readable types {jt}, vgt dump --salvage {by_type}")
    if info["complete"] is not False:
        fail(f"{kind}: complete is not false")
PY
# --quick keeps to the header and the index: the footerless walk stops at
# the damaged header (the chunks before it counted), no readable part
"$VGT" info --quick "$T/gap.vgt" >"$T/quick.txt" 2>&1
[ $? -eq 2 ] || fail "--quick: not exit 2"
grep -qx "chunks: *4" "$T/quick.txt" && grep -qx "integrity: *2 problem(s)" "$T/quick.txt" &&
    grep -qx "  - stopped at chunk 4 at offset [0-9]*: chunk header checksum mismatch" "$T/quick.txt" ||
    fail "--quick: $(cat "$T/quick.txt")"
grep -q "readable" "$T/quick.txt" && fail "--quick read chunks: $(cat "$T/quick.txt")"
# an intact trace and one only without its footer (nothing lost): no
# readable part, no partial key
"$MK" "$T/nofooter.vgt" nofooter || fail "make_trace nofooter"
for kind in intact nofooter; do
    "$VGT" info "$T/$kind.vgt" >"$T/out.txt" 2>&1
    grep -q "readable" "$T/out.txt" && fail "$kind: $(cat "$T/out.txt")"
    "$VGT" info --json "$T/$kind.vgt" >"$T/out.txt" 2>&1
    grep -q "partial\|readable" "$T/out.txt" && fail "$kind: $(cat "$T/out.txt")"
done
# nothing readable: chunk 0's header damaged and the file cut inside chunk
# 1 (no footer): the index holds no chunk and the read delivers no record;
# both tables of records by type say "none" (they were a header with no
# row), as --json's empty "types" arrays do
python3 - "$T" <<'PY' || exit 1
import json, sys
t = sys.argv[1]
C = [json.loads(l) for l in open(f"{t}/intact.chunks")]
C = [c for c in C if c["type"] == "chunk"]
b = bytearray(open(f"{t}/intact.vgt", "rb").read())
b[C[0]["offset"] + 20] ^= 0x08
open(f"{t}/empty.vgt", "wb").write(b[:C[1]["offset"] + 100])
PY
"$VGT" info "$T/empty.vgt" >"$T/out.txt" 2>&1
[ $? -eq 2 ] || fail "empty: not exit 2: $(cat "$T/out.txt")"
grep -qx "records:  *0" "$T/out.txt" && grep -qx "  records:  *0" "$T/out.txt" ||
    fail "empty: $(cat "$T/out.txt")"
[ "$(grep -c "records by type" "$T/out.txt")" -eq 2 ] &&
    grep -qx "records by type: none" "$T/out.txt" && grep -qx "  records by type: none" "$T/out.txt" ||
    fail "empty: records by type: $(cat "$T/out.txt")"
grep -A1 "records by type" "$T/out.txt" | grep -q "type  *name" &&
    fail "empty: a table header with no row: $(cat "$T/out.txt")"
"$VGT" info --json "$T/empty.vgt" >"$T/out.json" 2>&1
[ $? -eq 2 ] || fail "empty: --json not exit 2"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["records"] == 0 and d["types"] == [] and d["readable"]["records"] == 0 and d["readable"]["types"] == [], d' \
    "$T/out.json" || fail "empty: --json: $(cat "$T/out.json")"
echo "cli_info_salvage: ok"
