#!/bin/sh
# cli_damage.sh VGT MAKE_TRACE DIR: a trace whose middle chunk is damaged,
# read with its footer and without it (a killed capture): `vgt info` and
# `vgt dump --chunks` agree on the records, chunks and bytes, and the index
# rebuilt without the footer counts what the footer does (docs/format.md,
# "Recovery rules"); `vgt dump --salvage` delivers the same records both
# ways. Before the rebuilt index counted a damaged chunk from its header,
# vgt info said 518 records without the footer (640 with it; vgt dump
# --chunks 640 both ways) and 16 complete frames (20).
NAME=cli_damage
. "$(dirname "$0")/cli_format_common.sh"
for kind in corrupt nofooter-corrupt; do
    "$MK" "$T/$kind.vgt" "$kind" || fail "make_trace $kind"
    "$VGT" info --json "$T/$kind.vgt" >"$T/$kind.info" 2>"$T/err.txt"
    [ $? -eq 2 ] || fail "$kind: vgt info did not exit 2"
    "$VGT" dump --chunks --json "$T/$kind.vgt" >"$T/$kind.chunks" 2>"$T/err.txt"
    [ $? -eq 2 ] || fail "$kind: vgt dump --chunks did not exit 2"
    "$VGT" dump --records --salvage "$T/$kind.vgt" >"$T/$kind.records" 2>"$T/err.txt"
    [ $? -eq 2 ] || fail "$kind: vgt dump --records --salvage did not exit 2"
done
python3 - "$T" <<'PY' || exit 1
import json, sys
t = sys.argv[1]
def load(kind):
    info = json.load(open(f"{t}/{kind}.info"))
    lines = [json.loads(l) for l in open(f"{t}/{kind}.chunks")]
    summary = [l for l in lines if l["type"] == "summary"][0]
    chunks = [l for l in lines if l["type"] == "chunk"]
    return info, summary, chunks
def fail(msg):
    print("cli_damage: " + msg, file=sys.stderr)
    sys.exit(1)
fi, fs, fc = load("corrupt")
wi, ws, wc = load("nofooter-corrupt")
for kind, i, s, c in (("corrupt", fi, fs, fc), ("nofooter-corrupt", wi, ws, wc)):
    damaged = [x for x in c if x["status"] == "damaged"]
    if len(damaged) != 1:
        fail(f"{kind}: {len(damaged)} chunks damaged, wanted 1")
    for ik, sk in (("records", "records"), ("chunks", "chunks"),
                   ("bytes_compressed", "compressed"), ("bytes_uncompressed", "uncompressed")):
        if i[ik] != s[sk]:
            fail(f"{kind}: vgt info {ik} {i[ik]}, vgt dump --chunks {sk} {s[sk]}")
    if i["frames"] != c[-1]["last_frame"] + 1:
        fail(f"{kind}: vgt info frames {i['frames']}, last chunk ends in frame {c[-1]['last_frame']}")
if fi["records"] != 640 or fi["frames"] != 20 or fi["complete_frames"] != 20:
    fail(f"the footer's counts: {fi['records']} records, {fi['frames']} frames")
for k in ("records", "frames", "complete_frames", "chunks", "bytes_compressed",
          "bytes_uncompressed"):
    if fi[k] != wi[k]:
        fail(f"{k}: {fi[k]} with the footer, {wi[k]} rebuilt without it")
PY
# the same records, whatever the index (the lines past the header)
cmp -s "$T/corrupt.records" "$T/nofooter-corrupt.records" ||
    fail "vgt dump --records --salvage differs with and without the footer"
[ "$(wc -l <"$T/corrupt.records")" -gt 500 ] || fail "too few records dumped"
echo "cli_damage: ok"
