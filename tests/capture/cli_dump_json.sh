#!/bin/sh
# vgt dump --json, --calls and --only on captures of cube, textured, 2d-demo
# and video: every line of the JSON view parses, its commands and per-type
# counts are the text view's, specific values read back (a SURFACE_DMA's sid
# and box, render states by name, a CLEAR's colour and flags, an escape's
# video registers), --calls and --only list exactly the SEQs asked (text and
# JSON, with --frames too), and their usage errors.  (A rejected command's
# error and non-finite floats: test_dump_json, on a hand-made trace.)
# Usage: cli_dump_json.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
command -v jq >/dev/null || fail "jq is missing (scripts/setup-deps installs it)"

# check FILTER FILE: FILTER's results over FILE's objects are all true, and
# there is at least one (jq -e alone looks at the last input's only)
check() { jq -n -e "[inputs | $1] | length > 0 and all" "$2" >/dev/null; }
# seqs TEXT: the SEQ column of the text view's command lines, one a line
seqs() { awk '$1 ~ /^[0-9]+$/ { print $1 }' "$1"; }
# table TEXT: the text view's totals as "NAME COUNT" lines, sorted
table() { awk '/^COMMAND +COUNT$/ { on = 1; next } on && $1 != "total" { print $1, $2 }' "$1" | sort; }

for s in cube textured 2d-demo video; do
    expect 0 "$VGT" run "$s" --frames 4 --capture "$T/$s.vgt" -q
    for v in "" --verbose; do
        expect 0 "$VGT" dump "$T/$s.vgt" $v
        cp "$T/out.txt" "$T/text.txt"
        expect 0 "$VGT" dump "$T/$s.vgt" --json $v
        cp "$T/out.txt" "$T/json.txt"
        # every line one JSON object
        check 'type == "object" and has("type")' "$T/json.txt" 2>"$T/jq.txt" || fail "$s $v: a line is not a JSON object: $(cat "$T/jq.txt")"
        [ "$(grep -c . "$T/json.txt")" -eq "$(jq -c . "$T/json.txt" | grep -c .)" ] || fail "$s $v: lines and objects differ"
        # the same commands, in the same order, as the text view's
        seqs "$T/text.txt" >"$T/seq-text.txt"
        jq -r 'select(.type == "command") | .seq' "$T/json.txt" >"$T/seq-json.txt"
        [ -s "$T/seq-text.txt" ] || fail "$s: no commands in the text view"
        cmp -s "$T/seq-text.txt" "$T/seq-json.txt" || fail "$s $v: the JSON view's commands are not the text view's"
        # the same records between them (text lines with - in the SEQ column)
        [ "$(awk '$1 == "-"' "$T/text.txt" | grep -c .)" -eq "$(jq -r 'select(.type != "command" and .type != "summary") | .type' "$T/json.txt" | grep -c .)" ] ||
            fail "$s $v: the JSON view's records are not the text view's"
        # the last object is the summary: per-type counts as the text's table
        tail -n 1 "$T/json.txt" | jq -n -e 'input | .type == "summary"' >/dev/null || fail "$s $v: the last line is not the summary"
        table "$T/text.txt" >"$T/tab-text.txt"
        tail -n 1 "$T/json.txt" | jq -r '.counts | to_entries[] | "\(.key) \(.value)"' | sort >"$T/tab-json.txt"
        cmp -s "$T/tab-text.txt" "$T/tab-json.txt" || fail "$s $v: summary counts differ: $(diff "$T/tab-text.txt" "$T/tab-json.txt")"
        total=$(awk '$1 == "total" { print $2 }' "$T/text.txt")
        [ "$(tail -n 1 "$T/json.txt" | jq .commands)" = "$total" ] || fail "$s $v: summary total"
        [ "$(grep -c . "$T/seq-json.txt")" = "$total" ] || fail "$s $v: command lines != total"
        # each command's name and frame are the text line's
        awk '$1 ~ /^[0-9]+$/ { print $1, $2, $3 }' "$T/text.txt" >"$T/nf-text.txt"
        jq -r 'select(.type == "command") | "\(.seq) \(.frame) \(.cmd)"' "$T/json.txt" >"$T/nf-json.txt"
        cmp -s "$T/nf-text.txt" "$T/nf-json.txt" || fail "$s $v: names or frames differ"
    done
done

# ---- values read back -------------------------------------------------------------
# cube: the vertex buffer's upload (seq 5: sid 3, one 128x1x1 box from 0),
# its render states by name, its CLEAR (colour 0xff203040, COLOR|DEPTH, depth 1)
expect 0 "$VGT" dump "$T/cube.vgt" --json --verbose
check 'select(.type == "command" and .seq == 5) | .cmd == "SURFACE_DMA" and .id == 1044 and .args.host.sid == 3
       and .args.host.face == 0 and .args.guest == {"gmr": 1, "offset": 0}
       and .args.transfer == "WRITE_HOST_VRAM"
       and .args.boxes == [{"x":0,"y":0,"z":0,"w":128,"h":1,"d":1,"srcx":0,"srcy":0,"srcz":0}]
       and .args.max_offset == 128 and .args.dma_flags == []' "$T/out.txt" ||
    fail "cube: SURFACE_DMA seq 5: $(grep '"seq":5,' "$T/out.txt")"
check 'select(.cmd == "SETRENDERSTATE") | .args.states | map(select(.state == "ZFUNC"))[0].value == "LESS"' "$T/out.txt" ||
    fail "cube: ZFUNC LESS"
check 'select(.cmd == "SETRENDERSTATE") | .args.states | map(select(.state == "CULLMODE"))[0].value == "BACK"' "$T/out.txt" ||
    fail "cube: CULLMODE BACK"
check 'select(.cmd == "SETRENDERSTATE") | .args.states | length == 11' "$T/out.txt" || fail "cube: 11 render states"
[ "$(jq -c 'select(.cmd == "CLEAR") | .args' "$T/out.txt" | sort -u)" = \
  '{"cid":1,"flags":["COLOR","DEPTH"],"color":4280299584,"depth":1,"stencil":0,"rects":[]}' ] ||
    fail "cube: CLEAR args: $(jq -c 'select(.cmd == "CLEAR") | .args' "$T/out.txt" | sort -u)"
# without --verbose, an array the text view counts is its count
expect 0 "$VGT" dump "$T/cube.vgt" --json
check 'select(.type == "command" and .seq == 5) | .args.boxes == 1' "$T/out.txt" || fail "cube: boxes=1 without --verbose"
check 'select(.cmd == "SETRENDERSTATE") | .args.states == 11' "$T/out.txt" || fail "cube: states=11 without --verbose"
check 'select(.cmd == "DRAW_PRIMITIVES") | .args.ranges == [{"prim":"TRIANGLELIST","count":12,"index":{"sid":4,"offset":0,"stride":2,"width":2}}]' "$T/out.txt" || fail "cube: DRAW_PRIMITIVES ranges"
# textured: texture stage states by name, SETTRANSFORM's matrix as 16 numbers
expect 0 "$VGT" dump "$T/textured.vgt" --json --verbose
check 'select(.cmd == "SETTEXTURESTATE") | .args.states[] | select(.state == "MINFILTER") | .stage == 0 and (.value | type) == "string"' "$T/out.txt" || fail "textured: MINFILTER by name"
check 'select(.cmd == "SETTRANSFORM") | (.args.matrix | length == 16 and all(type == "number"))' "$T/out.txt" ||
    fail "textured: matrix"
# video: the overlay's registers by name
expect 0 "$VGT" dump "$T/video.vgt" --json --verbose
check 'select(.cmd == "ESCAPE" and .args.video == "SET_REGS" and .args.stream == 1) | .args.regs[0] == {"reg": "ENABLED", "value": 1}' "$T/out.txt" || fail "video: SET_REGS"
# 2d-demo: register writes by name and index
expect 0 "$VGT" dump "$T/2d-demo.vgt" --json
check 'select(.type == "register" and .reg == "WIDTH") | .index == 2 and .value == 640' "$T/out.txt" ||
    fail "2d-demo: register WIDTH"

# ---- --calls and --only --------------------------------------------------------------
expect 0 "$VGT" dump "$T/cube.vgt" --calls 5-9
seqs "$T/out.txt" | tr '\n' ' ' >"$T/s.txt"
[ "$(cat "$T/s.txt")" = "5 6 7 8 9 " ] || fail "--calls 5-9: $(cat "$T/s.txt")"
[ "$(awk '$1 == "-"' "$T/out.txt" | grep -c .)" -eq 0 ] || fail "--calls: records listed"
[ "$(awk '$1 == "total" { print $2 }' "$T/out.txt")" = 5 ] || fail "--calls 5-9: total"
grep -q "^SURFACE_DMA  *2$" "$T/out.txt" || fail "--calls 5-9: SURFACE_DMA count"
expect 0 "$VGT" dump "$T/cube.vgt" --calls 5-9 --json
[ "$(jq -r 'select(.type == "command") | .seq' "$T/out.txt" | tr '\n' ' ')" = "5 6 7 8 9 " ] || fail "--calls 5-9 --json"
[ "$(tail -n 1 "$T/out.txt" | jq -c .counts)" = '{"SURFACE_DMA":2,"FENCE":2,"CONTEXT_DEFINE":1}' ] || fail "--calls --json counts: $(tail -n 1 "$T/out.txt")"
[ "$(grep -c . "$T/out.txt")" -eq 6 ] || fail "--calls --json: other lines"
expect 0 "$VGT" dump "$T/cube.vgt" --calls 7
[ "$(seqs "$T/out.txt" | tr '\n' ' ')" = "7 " ] || fail "--calls 7"
# A-: to the end
expect 0 "$VGT" dump "$T/cube.vgt"
last=$(seqs "$T/out.txt" | tail -n 1)
expect 0 "$VGT" dump "$T/cube.vgt" --calls "$((last - 1))-"
[ "$(seqs "$T/out.txt" | tr '\n' ' ')" = "$((last - 1)) $last " ] || fail "--calls A-"
# --only: case-insensitive, several names, the text view's SEQs of those names
expect 0 "$VGT" dump "$T/cube.vgt"
awk '$1 ~ /^[0-9]+$/ && ($3 == "CLEAR" || $3 == "PRESENT") { print $1 }' "$T/out.txt" >"$T/want.txt"
[ "$(tr "\n" " " <"$T/want.txt")" = "19 21 24 26 29 31 34 36 " ] || fail "cube: 4 CLEARs and 4 PRESENTs expected: $(tr "\n" " " <"$T/want.txt")"
expect 0 "$VGT" dump "$T/cube.vgt" --only clear,Present
seqs "$T/out.txt" >"$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" || fail "--only clear,Present: $(tr '\n' ' ' <"$T/got.txt")"
grep -q "^CLEAR  *4$" "$T/out.txt" && grep -q "^PRESENT  *4$" "$T/out.txt" || fail "--only: counts"
[ "$(awk '$1 == "total" { print $2 }' "$T/out.txt")" = 8 ] || fail "--only: total"
expect 0 "$VGT" dump "$T/cube.vgt" --only CLEAR,PRESENT --json
jq -r 'select(.type == "command") | .seq' "$T/out.txt" >"$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" || fail "--only --json"
[ "$(tail -n 1 "$T/out.txt" | jq -c '[.counts, .commands]')" = '[{"CLEAR":4,"PRESENT":4},8]' ] || fail "--only --json summary"
# --calls, --only and --frames together: frame 2's CLEAR and PRESENT only
expect 0 "$VGT" dump "$T/cube.vgt"
awk '$1 ~ /^[0-9]+$/ && $2 == 2 && ($3 == "CLEAR" || $3 == "PRESENT") { print $1 }' "$T/out.txt" >"$T/want.txt"
[ "$(grep -c . "$T/want.txt")" -eq 2 ] || fail "cube frame 2: a CLEAR and a PRESENT"
expect 0 "$VGT" dump "$T/cube.vgt" --frames 2 --only CLEAR,PRESENT
seqs "$T/out.txt" >"$T/got.txt"
cmp -s "$T/want.txt" "$T/got.txt" || fail "--frames 2 --only"
first=$(head -n 1 "$T/want.txt")
expect 0 "$VGT" dump "$T/cube.vgt" --frames 1-3 --only CLEAR,PRESENT --calls "$first-$first" --json
[ "$(jq -r 'select(.type == "command") | "\(.seq) \(.frame) \(.cmd)"' "$T/out.txt")" = "$first 2 CLEAR" ] ||
    fail "--frames --only --calls: $(cat "$T/out.txt")"
# a range outside the commands read is exit 2 with the error alone, as
# --frames past the end is (it exited 0 with an empty listing): past the
# last command, in every view; outside the frames --frames reads; before a
# trimmed trace's first command
expect 0 "$VGT" dump "$T/cube.vgt"
last=$(seqs "$T/out.txt" | tail -n 1)
for v in "" --json --verbose; do
    expect 2 "$VGT" dump "$T/cube.vgt" --calls 100000-100001 $v
    [ ! -s "$T/out.txt" ] || fail "--calls past the end $v: printed $(cat "$T/out.txt")"
    [ "$(cat "$T/err.txt")" = "vgt dump: $T/cube.vgt: no command 100000 in the trace (its last command is $last)" ] ||
        fail "--calls past the end $v: $(cat "$T/err.txt")"
done
expect 2 "$VGT" dump "$T/cube.vgt" --calls "$((last + 1))-" --only CLEAR
[ "$(cat "$T/err.txt")" = "vgt dump: $T/cube.vgt: no command $((last + 1)) in the trace (its last command is $last)" ] ||
    fail "--calls A- past the end: $(cat "$T/err.txt")"
# frame 1's commands, and a range of frame 3's with --frames 1
expect 0 "$VGT" dump "$T/cube.vgt" --frames 1
f1_first=$(seqs "$T/out.txt" | head -n 1)
f1_last=$(seqs "$T/out.txt" | tail -n 1)
expect 2 "$VGT" dump "$T/cube.vgt" --frames 1 --calls "$((f1_last + 5))-$((f1_last + 6))"
[ ! -s "$T/out.txt" ] || fail "--frames 1 --calls after it: printed"
[ "$(cat "$T/err.txt")" = "vgt dump: $T/cube.vgt: no command $((f1_last + 5)) in guest frame 1 (its last command is $f1_last)" ] ||
    fail "--frames 1 --calls after it: $(cat "$T/err.txt")"
expect 2 "$VGT" dump "$T/cube.vgt" --frames 1-2 --calls 0-1 --json
[ "$(cat "$T/err.txt")" = "vgt dump: $T/cube.vgt: commands 0..1 are before guest frames 1..2, which start at command $f1_first" ] ||
    fail "--frames 1-2 --calls before them: $(cat "$T/err.txt")"
# a range in the trace that --only empties still lists nothing, exit 0
expect 0 "$VGT" dump "$T/cube.vgt" --calls 0-1 --only PRESENT --json
[ "$(jq -c 'select(.type == "summary") | [.counts, .commands]' "$T/out.txt")" = '[{},0]' ] || fail "--calls --only: nothing"
# a trimmed trace: its commands keep the original's numbers, from frame 2's first
expect 0 "$VGT" dump "$T/cube.vgt" --frames 2
f2_first=$(seqs "$T/out.txt" | head -n 1)
expect 0 "$VGT" trim "$T/cube.vgt" --frames 2-3 -o "$T/cube-2.vgt"
expect 2 "$VGT" dump "$T/cube-2.vgt" --calls 0-3
[ "$(cat "$T/err.txt")" = "vgt dump: $T/cube-2.vgt: commands 0..3 are before the trace, which starts at command $f2_first" ] ||
    fail "trimmed --calls before it: $(cat "$T/err.txt")"
expect 2 "$VGT" dump "$T/cube-2.vgt" --calls 2
[ "$(cat "$T/err.txt")" = "vgt dump: $T/cube-2.vgt: command 2 is before the trace, which starts at command $f2_first" ] ||
    fail "trimmed --calls 2: $(cat "$T/err.txt")"
expect 0 "$VGT" dump "$T/cube-2.vgt" --calls "$f2_first"
[ "$(seqs "$T/out.txt")" = "$f2_first" ] || fail "trimmed --calls its first"
# a trace of no command (the capture started past the guest's last frame)
expect 0 "$VGT" run cube --frames 2 --capture "$T/none.vgt" --capture-start 5 -q
expect 2 "$VGT" dump "$T/none.vgt" --calls 0- --json
[ ! -s "$T/out.txt" ] || fail "--calls on a trace of no command: printed"
[ "$(cat "$T/err.txt")" = "vgt dump: $T/none.vgt: no commands 0.. in the trace (it holds no command)" ] ||
    fail "--calls on a trace of no command: $(cat "$T/err.txt")"

# ---- usage errors ----------------------------------------------------------------------
expect 1 "$VGT" dump "$T/cube.vgt" --calls 9-5
grep -q "^vgt dump: --calls '9-5': expected A-B with A <= B, A- or A$" "$T/err.txt" || fail "--calls 9-5: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/cube.vgt" --calls x
grep -q "^vgt dump: --calls 'x': expected" "$T/err.txt" || fail "--calls x"
expect 1 "$VGT" dump "$T/cube.vgt" --calls
grep -q "^vgt dump: --calls needs a value" "$T/err.txt" || fail "--calls without a value"
expect 1 "$VGT" dump "$T/cube.vgt" --only CLAER
grep -q "^vgt dump: --only: no command named 'CLAER' (close: CLEAR)$" "$T/err.txt" || fail "--only CLAER: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/cube.vgt" --only CLEAR,surface_dm
grep -q "^vgt dump: --only: no command named 'surface_dm' (close: .*SURFACE_DMA" "$T/err.txt" || fail "--only surface_dm: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/cube.vgt" --only qqqqqqqqqqqq
grep -q "^vgt dump: --only: no command named 'qqqqqqqqqqqq' (the names are those vgt dump prints" "$T/err.txt" || fail "--only far: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/cube.vgt" --only CLEAR,
grep -q "^vgt dump: --only 'CLEAR,': expected command names separated by commas" "$T/err.txt" || fail "--only CLEAR,"
expect 1 "$VGT" dump "$T/cube.vgt" --calls 1-3 --records
grep -q "^vgt dump: --calls with --records: --calls and --only select the decoded SVGA view's commands; the container views list every record (--frames selects there)$" "$T/err.txt" ||
    fail "--calls --records: $(cat "$T/err.txt")"
expect 1 "$VGT" dump "$T/cube.vgt" --only CLEAR --chunks
grep -q "^vgt dump: --only with --chunks: " "$T/err.txt" || fail "--only --chunks"
# a frame past the trace is still exit 2 with its message, nothing on stdout
expect 2 "$VGT" dump "$T/cube.vgt" --json --frames 50
grep -q "no frame 50 in the trace" "$T/err.txt" || fail "--json --frames 50"
[ ! -s "$T/out.txt" ] || fail "--json --frames 50: output"

rm -rf "$T"
echo "cli_dump_json: ok"
