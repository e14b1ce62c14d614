#!/bin/sh
# vgt dump --json's container views: --records and --chunks (of an SVGA
# capture and of a synthetic trace format_make_trace writes), and --json on
# a trace that is not SVGA (its records view).  Every line parses, the
# objects are the text view's lines field for field (the same counts, the
# same values), exact values for a few records, chunks and totals, problems
# (a damaged chunk, a missing footer) as "problem" objects with --salvage (in the decoded SVGA view
# too), and the refusals that remain (--calls and --only).
# Usage: cli_dump_json_records.sh VGT MAKE_TRACE TMPDIR
set -u
VGT=$1
MK=$2
T=$3
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
command -v jq >/dev/null || fail "jq is missing (scripts/setup-deps installs it)"

check() { jq -n -e "[inputs | $1] | length > 0 and all" "$2" >/dev/null; }
# parses FILE: every line is one JSON object with a type
parses() {
    check 'type == "object" and has("type")' "$1" 2>"$T/jq.txt" || fail "$1: a line is not a JSON object: $(cat "$T/jq.txt")"
    [ "$(grep -c . "$1")" -eq "$(jq -c . "$1" | grep -c .)" ] || fail "$1: lines and objects differ"
}
# records_same TEXT JSON: the record lines of the --records text view and
# the "record" objects of the JSON view, field for field (seq, frame, time,
# type, size, the deduplicated payload's record), and the per-type totals
records_same() {
    awk '$1 ~ /^[0-9]+$/ && NF >= 5 { r = ""; if ($6 == "(same") { r = $9; sub(/^#/, "", r); sub(/\)$/, "", r) } print $1, $2, $3, $4, $5, r }' "$1" >"$T/r-text.txt"
    jq -r 'select(.type == "record") | "\(.seq) \(.frame) \(.time_ns) \(.record_type) \(.size) \(.same_payload_as // "")"' "$2" >"$T/r-json.txt"
    [ -s "$T/r-text.txt" ] || fail "$1: no records in the text view"
    cmp -s "$T/r-text.txt" "$T/r-json.txt" || fail "$2: records differ from the text view's: $(diff "$T/r-text.txt" "$T/r-json.txt" | head -5)"
    awk '/^TYPE +RECORDS +PAYLOAD_BYTES$/ { on = 1; next } on { print $1, $2, $3 }' "$1" >"$T/t-text.txt"
    jq -r 'select(.type == "type_total") | "\(.record_type) \(.records) \(.payload_bytes)"' "$2" >"$T/t-json.txt"
    jq -r 'select(.type == "summary") | "total \(.records) \(.payload_bytes)"' "$2" >>"$T/t-json.txt"
    cmp -s "$T/t-text.txt" "$T/t-json.txt" || fail "$2: totals differ: $(diff "$T/t-text.txt" "$T/t-json.txt")"
    tail -n 1 "$2" | jq -n -e 'input | .type == "summary"' >/dev/null || fail "$2: the last line is not the summary"
}
# chunks_same TEXT JSON: the --chunks lines and the "chunk" objects, field
# for field, and the JSON's summary the sums of the chunks listed
chunks_same() {
    awk '$1 ~ /^[0-9]+$/ { print $1, $2, $3, $4, $5, $6, $7, $9 }' "$1" >"$T/c-text.txt"
    jq -r 'select(.type == "chunk") | "\(.chunk) \(.offset) \(.records) \(.first_record) \(.first_frame)-\(.last_frame) \(.compressed) \(.uncompressed) \(.status)"' "$2" >"$T/c-json.txt"
    [ -s "$T/c-text.txt" ] || fail "$1: no chunks in the text view"
    cmp -s "$T/c-text.txt" "$T/c-json.txt" || fail "$2: chunks differ from the text view's: $(diff "$T/c-text.txt" "$T/c-json.txt" | head -5)"
    want=$(awk '{ n++; r += $3; c += $6; u += $7; d += $8 != "ok" } END { printf "%d %d %d %d %d", n, r, c, u, d }' "$T/c-text.txt")
    got=$(jq -r 'select(.type == "summary") | "\(.chunks) \(.records) \(.compressed) \(.uncompressed) \(.damaged)"' "$2")
    [ "$got" = "$want" ] || fail "$2: chunk summary '$got', the chunks' sums '$want'"
}

# ---- a synthetic trace (protocol "synthetic", not SVGA) -------------------------------
"$MK" "$T/syn.vgt" intact || fail "make_trace intact"
expect 0 "$VGT" dump "$T/syn.vgt"
cp "$T/out.txt" "$T/text.txt"
# --json on a trace that is not SVGA is its records view, as --json --records
expect 0 "$VGT" dump "$T/syn.vgt" --json
cp "$T/out.txt" "$T/json.txt"
parses "$T/json.txt"
records_same "$T/text.txt" "$T/json.txt"
expect 0 "$VGT" dump "$T/syn.vgt" --json --records
cmp -s "$T/out.txt" "$T/json.txt" || fail "syn: --json and --json --records differ"
[ "$(jq -r 'select(.type == "record")' "$T/json.txt" | jq -s length)" = 640 ] || fail "syn: 640 records"
# exact values: the first command, a deduplicated payload, the last frame end
[ "$(jq -c 'select(.type == "record" and .seq == 0)' "$T/json.txt")" = \
  '{"type":"record","seq":0,"frame":0,"time_ns":1000,"record_type":"command","type_id":4096,"size":8,"same_payload_as":null}' ] ||
    fail "syn: record 0: $(head -n 1 "$T/json.txt")"
[ "$(jq -c 'select(.type == "record" and .seq == 638)' "$T/json.txt")" = \
  '{"type":"record","seq":638,"frame":19,"time_ns":1638,"record_type":"dma_data","type_id":4097,"size":8192,"same_payload_as":30}' ] ||
    fail "syn: record 638"
check 'select(.type == "record" and .seq == 639) | .record_type == "frame_end" and .type_id == 1 and .size == 0' "$T/json.txt" || fail "syn: record 639"
[ "$(jq -c 'select(.type == "type_total" and .record_type == "command") | [.type_id, .records, .payload_bytes]' "$T/json.txt")" = '[4096,600,10620]' ] ||
    fail "syn: command totals"
[ "$(tail -n 1 "$T/json.txt")" = '{"type":"summary","records":640,"payload_bytes":174460}' ] || fail "syn: summary: $(tail -n 1 "$T/json.txt")"
# --frames: the records of frame 19 only, from 608
expect 0 "$VGT" dump "$T/syn.vgt" --records --frames 19-19
cp "$T/out.txt" "$T/text.txt"
expect 0 "$VGT" dump "$T/syn.vgt" --json --frames 19-19
parses "$T/out.txt"
records_same "$T/text.txt" "$T/out.txt"
[ "$(jq -r 'select(.type == "record") | .seq' "$T/out.txt" | head -n 1)" = 608 ] || fail "syn --frames 19: first record"
[ "$(tail -n 1 "$T/out.txt" | jq .records)" = 32 ] || fail "syn --frames 19: 32 records"
# --chunks, all of them and those of frame 5
for f in "" "--frames 5"; do
    expect 0 "$VGT" dump "$T/syn.vgt" --chunks $f
    cp "$T/out.txt" "$T/text.txt"
    expect 0 "$VGT" dump "$T/syn.vgt" --chunks --json $f
    parses "$T/out.txt"
    chunks_same "$T/text.txt" "$T/out.txt"
done
[ "$(jq -r 'select(.type == "chunk") | "\(.first_frame) \(.last_frame)"' "$T/out.txt" | awk '$1 > 5 || $2 < 5' | grep -c .)" -eq 0 ] ||
    fail "syn --chunks --frames 5: a chunk without frame 5"
expect 0 "$VGT" dump "$T/syn.vgt" --chunks --json
check 'select(.type == "chunk" and .chunk == 0) | .first_record == 0 and .first_frame == 0' "$T/out.txt" || fail "syn: chunk 0"
[ "$(tail -n 1 "$T/out.txt" | jq .records)" = 640 ] || fail "syn: the chunks hold 640 records"
# a frame past the trace: the message alone, exit 2, in both container views
expect 2 "$VGT" dump "$T/syn.vgt" --json --frames 50
grep -q "no frame 50 in the trace" "$T/err.txt" && [ ! -s "$T/out.txt" ] || fail "syn --json --frames 50"
expect 2 "$VGT" dump "$T/syn.vgt" --json --chunks --frames 50
grep -q "no frame 50 in the trace" "$T/err.txt" && [ ! -s "$T/out.txt" ] || fail "syn --json --chunks --frames 50"

# ---- a damaged synthetic trace ---------------------------------------------------------
"$MK" "$T/cor.vgt" corrupt || fail "make_trace corrupt"
# --chunks reads and checks every chunk of the table: the damaged one is
# listed as such, with and without --salvage, the others "ok"
expect 2 "$VGT" dump "$T/cor.vgt" --salvage --chunks
cp "$T/out.txt" "$T/chunks.txt"
[ "$(awk '$1 ~ /^[0-9]+$/ && $9 == "damaged"' "$T/chunks.txt" | wc -l)" = 1 ] || fail "cor --chunks: not one damaged chunk: $(cat "$T/chunks.txt")"
[ "$(awk '$1 ~ /^[0-9]+$/ && $9 != "ok"' "$T/chunks.txt" | wc -l)" = 1 ] || fail "cor --chunks: a status neither ok nor damaged"
# in the other verbs' words (it was the reader's "vgt dump: chunk N at offset O: ...")
set -- $(awk '$1 ~ /^[0-9]+$/ && $9 == "damaged" { print $1, $2, $6 }' "$T/chunks.txt")
grep -qx "vgt dump: skipped chunk $1 at offset $2: checksum mismatch in its $3 compressed bytes" "$T/err.txt" ||
    fail "cor --chunks: the problem: $(cat "$T/err.txt")"
grep -q "^vgt dump: .*cor.vgt: 1 of the chunks listed damaged (" "$T/err.txt" || fail "cor --chunks: the count: $(cat "$T/err.txt")"
expect 2 "$VGT" dump "$T/cor.vgt" --chunks
cmp -s "$T/out.txt" "$T/chunks.txt" || fail "cor --chunks without --salvage: another table"
expect 2 "$VGT" dump "$T/cor.vgt" --salvage
cp "$T/out.txt" "$T/text.txt"
grep -q "checksum mismatch" "$T/err.txt" || fail "cor: the text view's report"
expect 2 "$VGT" dump "$T/cor.vgt" --salvage --json
cp "$T/out.txt" "$T/json.txt"
parses "$T/json.txt"
records_same "$T/text.txt" "$T/json.txt"
grep -q "checksum mismatch" "$T/err.txt" || fail "cor --json: stderr's report"
# the damaged chunk once, with its index and offset (the --chunks line's), in
# the listing where the records stop: the next record's seq is past it
[ "$(jq -r 'select(.type == "problem")' "$T/json.txt" | jq -s length)" = 1 ] || fail "cor: one problem object"
dmg=$(jq -r 'select(.type == "problem") | "\(.chunk) \(.offset)"' "$T/json.txt")
[ "$(awk '$9 == "damaged" { print $1, $2 }' "$T/chunks.txt")" = "$dmg" ] || fail "cor: damaged '$dmg' is not the chunk --chunks calls damaged"
check 'select(.type == "problem") | .code == "checksum mismatch" and (.message | test("checksum mismatch"))' "$T/json.txt" || fail "cor: damaged code and message"
before=$(awk '/"type":"problem"/ { exit } /"type":"record"/ { n++ } END { print n + 0 }' "$T/json.txt")
[ "$before" -gt 0 ] && [ "$before" -lt "$(jq -r 'select(.type == "record")' "$T/json.txt" | jq -s length)" ] || fail "cor: the problem object is not among the records ($before before it)"
expect 2 "$VGT" dump "$T/cor.vgt" --salvage --chunks --json
parses "$T/out.txt"
chunks_same "$T/chunks.txt" "$T/out.txt"
# the problem object just before the damaged chunk's line
[ "$(grep -A1 '"type":"problem"' "$T/out.txt" | jq -r 'select(.type == "chunk") | "\(.chunk) \(.offset) \(.status)"')" = "$dmg damaged" ] ||
    fail "cor --chunks --json: the problem is not before its chunk: $(cat "$T/out.txt")"
# a header damaged in a trace without footer: the walked index leaves that
# chunk out, and CHUNK is the number its header states, as the problems say
# (the table's position said 4 for chunk 5)
"$MK" "$T/gap.vgt" gap || fail "make_trace gap"
expect 2 "$VGT" dump "$T/gap.vgt" --chunks --salvage
lost=$(sed -n 's/^vgt dump: skipped chunk \([0-9]*\) at offset [0-9]*: chunk header checksum mismatch$/\1/p' "$T/err.txt")
[ -n "$lost" ] || fail "gap: no header problem: $(cat "$T/err.txt")"
awk -v l="$lost" '$1 ~ /^[0-9]+$/ { if ($1 == l || $1 != n + ($1 > l)) bad = 1; n++ } END { exit bad || n < 5 }' "$T/out.txt" ||
    fail "gap: CHUNK is not the chunks' own number around $lost: $(cat "$T/out.txt")"
# a trace without its footer: the chunks are found by walking the file, and
# the missing footer is reported before the chunks (chunk null); every
# chunk whole, exit 0, as every verb on a trace only missing its footer
# (docs/cli.md, "A missing footer alone")
"$MK" "$T/nof.vgt" nofooter || fail "make_trace nofooter"
expect 0 "$VGT" dump "$T/nof.vgt" --chunks
cp "$T/out.txt" "$T/chunks.txt"
expect 0 "$VGT" dump "$T/nof.vgt" --chunks --json
parses "$T/out.txt"
chunks_same "$T/chunks.txt" "$T/out.txt"
[ "$(jq -r 'select(.type == "problem")' "$T/out.txt" | jq -s length)" = 1 ] && check 'select(.type == "problem") | .chunk == null and .code == "truncated"' "$T/out.txt" || fail "nof --chunks --json: no problem object: $(cat "$T/err.txt")"
# without --salvage the listing stops at the chunk, exit 2 naming it
expect 2 "$VGT" dump "$T/cor.vgt" --json
parses "$T/out.txt"
grep -q "^vgt dump: $T/cor.vgt: chunk ${dmg%% *} at offset ${dmg##* }: checksum mismatch" "$T/err.txt" || fail "cor without --salvage: $(cat "$T/err.txt")"

# ---- an SVGA capture -------------------------------------------------------------------
expect 0 "$VGT" run 2d-demo --frames 4 --capture "$T/2d.vgt" -q
expect 0 "$VGT" dump "$T/2d.vgt" --records
cp "$T/out.txt" "$T/text.txt"
expect 0 "$VGT" dump "$T/2d.vgt" --records --json
parses "$T/out.txt"
records_same "$T/text.txt" "$T/out.txt"
check 'select(.type == "record" and .seq == 0) | .record_type == "register_write" and .type_id == 4098 and .size == 8 and .frame == 0' "$T/out.txt" ||
    fail "2d: record 0 is a register write: $(head -n 1 "$T/out.txt")"
expect 0 "$VGT" dump "$T/2d.vgt" --chunks
cp "$T/out.txt" "$T/text.txt"
expect 0 "$VGT" dump "$T/2d.vgt" --chunks --json
parses "$T/out.txt"
chunks_same "$T/text.txt" "$T/out.txt"
[ "$(jq -r 'select(.type == "chunk")' "$T/out.txt" | jq -s length)" -ge 2 ] || fail "2d: several chunks expected"
# a damaged capture: the decoded JSON view reports the chunk as an object too
damage "$T/2d.vgt" "$T/2d-bad.vgt" '^[1-9]'
expect 2 "$VGT" dump "$T/2d-bad.vgt" --json --salvage
parses "$T/out.txt"
[ "$(jq -r 'select(.type == "problem") | "\(.chunk) \(.offset)"' "$T/out.txt")" = "$CHUNK $OFFSET" ] ||
    fail "2d damaged: $(grep problem "$T/out.txt")"
check 'select(.type == "summary") | .commands > 0' "$T/out.txt" || fail "2d damaged: summary"

# ---- the refusals that remain ----------------------------------------------------------
expect 1 "$VGT" dump "$T/2d.vgt" --json --records --calls 1-5
grep -q "^vgt dump: --calls with --records: --calls and --only select the decoded SVGA view's commands; the container views list every record (--frames selects there)$" "$T/err.txt" ||
    fail "--calls --records: $(cat "$T/err.txt")"
[ ! -s "$T/out.txt" ] || fail "--calls --records: output"
expect 1 "$VGT" dump "$T/2d.vgt" --chunks --only CLEAR
grep -q "^vgt dump: --only with --chunks: --calls and --only select" "$T/err.txt" || fail "--only --chunks: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/syn.vgt" --json --only CLEAR
grep -q "^vgt dump: $T/syn.vgt: --only is the decoded SVGA view's; this trace's protocol is 'synthetic', not svga2 (vgt dump $T/syn.vgt lists its records)$" "$T/err.txt" ||
    fail "--only on syn: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/syn.vgt" --calls 1
grep -q "^vgt dump: $T/syn.vgt: --calls is the decoded SVGA view's" "$T/err.txt" || fail "--calls on syn"

rm -rf "$T"
echo "cli_dump_json_records: ok"
