#!/bin/sh
# No verb calls a trace intact when the reader found problems it had no
# memory to record, or when its check ran out of memory before the end
# (docs/cli.md, "Problems not recorded"); and a trace whose only problem
# is its missing footer is exit 0 in every verb but vgt info.
#   lost: 12 chunks, each body damaged, read by vgt run under an
#     LD_PRELOAD shim (failalloc_shim.c) that stops the reader's problem
#     set at 8: every verb says "integrity: 12 problem(s), 4 of them not
#     recorded (out of memory)" (none said the 4; vgt leaks, whose walk
#     reads twice, would have said 16 and 8) and exits 2, its --json too;
#   lost past a range: damaged chunks after frames 0..1 read with
#     --salvage: exit 0 when every problem was recorded (damage after the
#     range), exit 2 when some were not (where they lie is not known; it
#     was 0 in replay, trim, analyze, diff and pixel);
#   unfinished: a capture whose one chunk is too big for the memory left:
#     vgt info's verify stopped at chunk 0 and it said "integrity: ok",
#     exit 0; now "not checked to the end (out of memory)", exit 2;
#     vgt dump --chunks called the chunk it could not check damaged;
#   footerless: a capture cut before its footer, every chunk whole: vgt
#     dump exited 2 where replay, leaks and the others exit 0 with the
#     incomplete trace's warning.
# Usage: cli_lost_problems.sh VGT TMPDIR MANY_DAMAGED SHIM
set -u
VGT=$1
T=$2
MANY=$3
SHIM=$4
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
trap 'rm -rf "$T"' EXIT

# lost CODE ARGS...: vgt ARGS with room for 8 problems, exit CODE
lost() {
    code=$1
    shift
    expect "$code" env LD_PRELOAD="$SHIM" VGT_FAILALLOC_PROBLEMS_OVER=8 "$VGT" "$@"
}
# json_is FILE EXPR: the Python expression EXPR of j, FILE's JSON object, holds
json_is() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
        "$1" "$2" || fail "$2: $(cat "$1")"
}
# said WHO: $T/err.txt has vgt WHO's line for the 4 problems not recorded
said() {
    grep -Fqx "vgt $1integrity: 12 problem(s), 4 of them not recorded (out of memory)" "$T/err.txt" ||
        fail "vgt $1: no line for the problems not recorded: $(grep -v 'skipped chunk' "$T/err.txt")"
}

# cut_footer IN OUT: OUT is IN up to where its last chunk ends (a capture
# killed before its footer, every chunk whole); IN's chunks in $T/chunks.txt
cut_footer() {
    "$VGT" dump "$1" --chunks >"$T/chunks.txt" 2>&1 || fail "dump $1 --chunks"
    end=$(awk '$1 ~ /^[0-9]+$/ { e = $2 + 80 + $6 } END { print e }' "$T/chunks.txt")
    head -c "$end" "$1" >"$2" || fail "head"
}

# ---- lost ---------------------------------------------------------------------
"$MANY" "$T/m.vgt" 12 body footer || fail "many_damaged"
# without the shim: 12 problems, all recorded
expect 2 "$VGT" info "$T/m.vgt"
grep -qx 'integrity:       12 problem(s)' "$T/out.txt" || fail "info: $(grep integrity "$T/out.txt")"

lost 2 info "$T/m.vgt"
grep -qx 'integrity:       12 problem(s), 4 of them not recorded (out of memory)' "$T/out.txt" ||
    fail "info: $(grep integrity "$T/out.txt")"
[ "$(grep -c '^  - skipped chunk' "$T/out.txt")" -eq 8 ] || fail "info: not 8 problems listed"
lost 2 info "$T/m.vgt" --json
json_is "$T/out.txt" 'j["complete"] is False and j["problems_not_recorded"] == 4 and j["checked_to_end"] is True and j["integrity"] == "12 problem(s), 4 of them not recorded (out of memory)" and len(j["errors"]) == 8'

lost 2 dump "$T/m.vgt" --salvage
said "dump: "
lost 2 dump "$T/m.vgt" --records --salvage --json
grep -Fqx '{"type":"problems_not_recorded","count":4,"message":"12 problem(s), 4 of them not recorded (out of memory)"}' \
    "$T/out.txt" || fail "dump --records --json: $(grep -v '"record"' "$T/out.txt")"
lost 2 dump "$T/m.vgt" --chunks
said "dump: "

lost 2 replay "$T/m.vgt" --salvage --backend null
said "replay: "
lost 2 replay "$T/m.vgt" --salvage --backend null --json
json_is "$T/out.txt" 'j["problems_not_recorded"] == 4 and len(j["problems"]) == 8 and j["exit"] == 2'

lost 2 leaks "$T/m.vgt" --salvage
said "leaks: "
lost 2 leaks "$T/m.vgt" --salvage --json
json_is "$T/out.txt" 'j["problems_not_recorded"] == 4 and j["skipped_chunks"] is True'
lost 2 surfaces "$T/m.vgt" --salvage --json
said "surfaces: "
tail -n 1 "$T/out.txt" >"$T/summary.json"
json_is "$T/summary.json" 'j["type"] == "summary" and j["problems_not_recorded"] == 4'
lost 2 shader list "$T/m.vgt" --salvage --json
said "shader: "
tail -n 1 "$T/out.txt" >"$T/summary.json"
json_is "$T/summary.json" 'j["type"] == "summary" and j["problems_not_recorded"] == 4'

# trim and repack name IN, as their other lines do
lost 2 trim "$T/m.vgt" --salvage --frames 0- -o "$T/trim.vgt"
said "trim: $T/m.vgt: "
lost 2 repack "$T/m.vgt" --salvage -o "$T/repack.vgt"
said "repack: $T/m.vgt: "
lost 2 diff "$T/m.vgt" "$T/m.vgt" --salvage
said "diff: A ($T/m.vgt): "
said "diff: B ($T/m.vgt): "
lost 2 analyze "$T/m.vgt" --salvage --backend null
said "analyze: "
grep -Fq "vgt analyze: 8 damaged chunks skipped (--salvage): the trace is damaged; guest frames 0..7 lost records; 4 more problems not recorded (out of memory)" \
    "$T/err.txt" || fail "analyze: $(tail -n 1 "$T/err.txt")"
# pixel replays up to its frame: what it met, some of it not recorded
lost 2 pixel "$T/m.vgt" --salvage --frame 1 --at 1,1
grep -q "^vgt pixel: integrity: [0-9]* problem(s), [1-9][0-9]* of them not recorded (out of memory)$" \
    "$T/err.txt" || fail "pixel: $(grep -v 'skipped chunk' "$T/err.txt")"

# ---- lost past a range ------------------------------------------------------------
# A capture cut before its footer, the header of every other chunk after
# frame 4 damaged: more damaged headers than the reader has room for at its
# open.  A read of frames 0..1 stops before them: without the shim, damage
# after the range, exit 0 (docs/cli.md); with it, some problems were never
# recorded, so where they lie is not known: exit 2 (it was 0)
expect 0 "$VGT" run cube --frames 40 --capture "$T/r.vgt" --capture-chunk 1
cut_footer "$T/r.vgt" "$T/rd.vgt"
# the chunks whose first frame is 5 or later, every other one
awk '$1 ~ /^[0-9]+$/ { split($5, f, "-"); if (f[1] >= 5 && n++ % 2 == 0) print $2 }' \
    "$T/chunks.txt" >"$T/damaged.txt"
[ "$(wc -l <"$T/damaged.txt")" -ge 9 ] || fail "cube: too few chunks after frame 4: $(cat "$T/chunks.txt")"
while read -r o; do
    printf '\377' | dd of="$T/rd.vgt" bs=1 seek=$((o + 2)) conv=notrunc 2>/dev/null || fail "dd"
done <"$T/damaged.txt"
expect 0 "$VGT" replay "$T/rd.vgt" --salvage --frames 0-1 --backend null
lost 2 replay "$T/rd.vgt" --salvage --frames 0-1 --backend null
# the lines for the problems not recorded: what the read met
some_said() {
    grep -q "^vgt $1integrity: [0-9]* problem(s), [1-9][0-9]* of them not recorded (out of memory)$" \
        "$T/err.txt" || fail "$1: $(grep -v 'skipped chunk' "$T/err.txt")"
}
some_said "replay: "
# exactly: the open has room for the missing footer and 7 damaged headers;
# of N, the other N - 7 are counted, not recorded.  The gaps they leave
# are met by no read of frames 0..1: none is a problem (the reader's list
# of gaps was an array of problems, which the shim failed past 8, and
# N - 8 gaps were counted lost at the open; it holds a gap's fields now)
N=$(wc -l <"$T/damaged.txt")
grep -qx "vgt replay: integrity: $((N + 1)) problem(s), $((N - 7)) of them not recorded (out of memory)" \
    "$T/err.txt" || fail "replay, $N damaged headers: $(grep integrity "$T/err.txt")"
lost 2 trim "$T/rd.vgt" --salvage --frames 0-1 -o "$T/rd-trim.vgt"
some_said "trim: $T/rd.vgt: "
lost 2 analyze "$T/rd.vgt" --salvage --frames 0-1 --backend null
some_said "analyze: "
lost 2 diff "$T/rd.vgt" "$T/r.vgt" --salvage --frames 0-1
some_said "diff: A ($T/rd.vgt): "
lost 2 pixel "$T/rd.vgt" --salvage --frame 1 --at 320,240
some_said "pixel: "

# ---- unfinished -------------------------------------------------------------------
expect 0 "$VGT" run textured --frames 3 --capture "$T/t.vgt" --capture-chunk 1024
"$VGT" dump "$T/t.vgt" --chunks >"$T/chunks.txt" 2>&1 || fail "dump --chunks"
U=$(awk '$1 ~ /^[0-9]+$/ && $7 > u { u = $7 } END { print u }' "$T/chunks.txt")
# the largest chunk's buffer fails, not the decompression context (~100 KB)
[ "$U" -gt 131072 ] || fail "textured: its largest chunk is $U bytes: $(cat "$T/chunks.txt")"
above() {
    code=$1
    shift
    expect "$code" env LD_PRELOAD="$SHIM" VGT_FAILALLOC_ABOVE=$((U - 1)) "$VGT" "$@"
}
above 2 info "$T/t.vgt"
grep -qx 'integrity:       not checked to the end (out of memory)' "$T/out.txt" ||
    fail "info: $(grep integrity "$T/out.txt")"
grep -q "^vgt info: verify: $T/t.vgt: chunk [0-9]*: out of memory ($U bytes)$" "$T/err.txt" ||
    fail "info: $(cat "$T/err.txt")"
above 2 info "$T/t.vgt" --json
json_is "$T/out.txt" 'j["complete"] is False and j["checked_to_end"] is False and j["problems_not_recorded"] == 0 and j["integrity"] == "not checked to the end (out of memory)"'
above 2 dump "$T/t.vgt" --chunks
grep -q " unchecked$" "$T/out.txt" && ! grep -q "damaged" "$T/out.txt" "$T/err.txt" &&
    grep -q "^vgt dump: $T/t.vgt: [0-9]* of the chunks listed not checked (out of memory)$" "$T/err.txt" ||
    fail "dump --chunks: $(cat "$T/out.txt" "$T/err.txt")"
above 2 replay "$T/t.vgt" --backend null
grep -q "out of memory ($U bytes)" "$T/err.txt" || fail "replay: $(cat "$T/err.txt")"
above 2 leaks "$T/t.vgt"
grep -q "out of memory" "$T/err.txt" || fail "leaks: $(cat "$T/err.txt")"

# ---- footerless ---------------------------------------------------------------------
expect 0 "$VGT" run cube --frames 10 --capture "$T/c.vgt" --capture-chunk 4
cut_footer "$T/c.vgt" "$T/nf.vgt"
# incomplete VERB DOING: the warning, and no problem line
incomplete() {
    grep -qx "vgt $1: warning: $T/nf.vgt is incomplete (no footer index; rebuilt from [0-9]* chunks*): $2 up to its last complete chunk" \
        "$T/err.txt" && [ "$(wc -l <"$T/err.txt")" -eq 1 ] || fail "$1: $(cat "$T/err.txt")"
}
for view in "" --records --chunks --json --salvage; do
    expect 0 "$VGT" dump "$T/nf.vgt" $view
    incomplete dump listed
done
expect 0 "$VGT" replay "$T/nf.vgt" --backend null
incomplete replay replaying
expect 0 "$VGT" leaks "$T/nf.vgt"
incomplete leaks analyzed
expect 0 "$VGT" surfaces "$T/nf.vgt"
incomplete surfaces read
expect 0 "$VGT" shader list "$T/nf.vgt"
incomplete shader read
expect 0 "$VGT" repack "$T/nf.vgt" -o "$T/nf-repack.vgt"
incomplete repack repacked
# vgt info, the integrity check, lists the missing footer: exit 2
expect 2 "$VGT" info "$T/nf.vgt"
grep -qx 'integrity:       1 problem(s)' "$T/out.txt" || fail "info: $(grep integrity "$T/out.txt")"
echo "cli_lost_problems: ok"
