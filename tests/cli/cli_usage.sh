#!/bin/sh
# What a new user meets first: every verb's --help and -h, and the one-line
# messages of the obvious mistakes (an unknown option, an option without its
# value or with one out of range, a missing file), each with its exit code.
# The command line is refused before any file is read; one short capture
# checks vgt dump's --frames A- (the range syntax of replay, trim and diff).
# Usage: cli_usage.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/../capture/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# refused CODE MESSAGE command...: exits CODE with MESSAGE as its only line
# on stderr and nothing on stdout.
refused() {
    want=$2
    code=$1
    shift 2
    expect "$code" "$@"
    [ "$(cat "$T/err.txt")" = "$want" ] || fail "'$*': stderr '$(cat "$T/err.txt")', expected '$want'"
    [ ! -s "$T/out.txt" ] || fail "'$*': printed on stdout: $(head -1 "$T/out.txt")"
}

# no verb: the verb list, exit 1; vgt help (and its --help): the list, exit 0
expect 1 "$VGT"
grep -q "^verbs:" "$T/out.txt" || fail "vgt alone: no verb list"
for h in --help -h; do
    expect 0 "$VGT" help "$h"
    grep -q "^verbs:" "$T/out.txt" || fail "vgt help $h: no verb list"
    [ ! -s "$T/err.txt" ] || fail "vgt help $h: $(cat "$T/err.txt")"
done

# every verb vgt help lists answers --help and -h with its usage, exit 0
"$VGT" help | awk '/^verbs:/ { on = 1; next } on && NF { print $1 }' >"$T/verbs.txt"
[ "$(wc -l <"$T/verbs.txt")" -eq 17 ] || fail "expected 17 verbs, got $(tr '\n' ' ' <"$T/verbs.txt")"
while read -r verb; do
    [ "$verb" = help ] && continue
    for h in --help -h; do
        expect 0 "$VGT" "$verb" "$h"
        head -1 "$T/out.txt" | grep -q "^usage: vgt $verb" || fail "vgt $verb $h: $(head -1 "$T/out.txt")"
        [ ! -s "$T/err.txt" ] || fail "vgt $verb $h wrote to stderr: $(cat "$T/err.txt")"
    done
done <"$T/verbs.txt"
refused 1 "vgt help: unknown verb 'nosuch'" "$VGT" help nosuch
# a typo is answered with the names close to it (within 2 edits, or holding it)
refused 1 "vgt help: unknown verb 'dmp' (close: dump)" "$VGT" help dmp
refused 1 "vgt: unknown verb 'replayy' (close: replay; see 'vgt help')" "$VGT" replayy
refused 1 "vgt: unknown verb 'nosuch' (see 'vgt help')" "$VGT" nosuch
# vgt bench --help is the only help of the benchmarks: each one it lists has
# its options line ("fifo options: ...", "tui options: ...")
expect 0 "$VGT" bench --help
awk '/^benchmarks:/ { on = 1; next } on && !NF { exit } on { print $1 }' "$T/out.txt" >"$T/benches.txt"
[ "$(wc -l <"$T/benches.txt")" -ge 8 ] || fail "vgt bench --help lists $(wc -l <"$T/benches.txt") benchmarks"
while read -r b; do
    grep -q "^$b options: " "$T/out.txt" || fail "vgt bench --help: no '$b options:' line"
done <"$T/benches.txt"

# an option's value out of range or missing names the option, the value and
# what is allowed; an unknown option says so
refused 1 "vgt run: --frames '0': expected a frame count 1..100000000" "$VGT" run 2d-demo --frames 0
refused 1 "vgt run: --frames '-1': expected a frame count 1..100000000" "$VGT" run 2d-demo --frames -1
refused 1 "vgt run: --frames needs a value: a frame count 1..100000000" "$VGT" run 2d-demo --frames
refused 1 "vgt run: --vram '3': expected a power of two 1..256 (MiB)" "$VGT" run 2d-demo --vram 3
refused 1 "vgt run: --refresh-hz '1001': expected a rate 0..1000" "$VGT" run 2d-demo --refresh-hz 1001
refused 1 "vgt run: --capture-level '23': expected a zstd level -7..22" \
    "$VGT" run 2d-demo --capture "$T/x.vgt" --capture-level 23
refused 1 "vgt run: unknown option '--bogus' (see vgt run --help)" "$VGT" run 2d-demo --bogus
refused 1 "vgt run: unknown option '--bogus' (see vgt run --help)" "$VGT" run --bogus 2d-demo
refused 1 "vgt run: --backend 'sfot': expected null, soft or gl" "$VGT" run 2d-demo --backend sfot
refused 1 "vgt run: unknown sample 'nosuch' (vgt samples lists them)" "$VGT" run nosuch
refused 1 "vgt run: unknown sample 'cubee' (close: cube; vgt samples lists them)" "$VGT" run cubee
refused 1 "vgt run: unknown sample 'DEFERED' (close: deferred; vgt samples lists them)" "$VGT" run DEFERED
refused 1 "vgt bench: unknown benchmark 'nosuch' (vgt bench --help lists them)" "$VGT" bench nosuch
refused 1 "vgt bench: unknown benchmark 'captur' (close: capture; vgt bench --help lists them)" \
    "$VGT" bench captur
refused 1 "vgt run: --aniso '0': expected a level 1..4294967295" "$VGT" run floor --aniso 0
# an empty file or directory name is the command line's mistake (exit 2,
# "capture: no trace file given", before); a number is digits only (strtoull
# took ' 5', strtol '+3')
refused 1 "vgt run: --capture '': expected a trace file" "$VGT" run 2d-demo --capture ''
refused 1 "vgt run: --screenshot '': expected a directory" "$VGT" run 2d-demo --screenshot ''
refused 1 "vgt run: --frames ' 5': expected a frame count 1..100000000" "$VGT" run 2d-demo --frames ' 5'
refused 1 "vgt run: --capture-level '+3': expected a zstd level -7..22" \
    "$VGT" run 2d-demo --capture "$T/x.vgt" --capture-level +3
refused 1 "vgt run: --capture-level ' 3': expected a zstd level -7..22" \
    "$VGT" run 2d-demo --capture "$T/x.vgt" --capture-level ' 3'
# --native: only the microbenchmarks have an OpenGL twin (cube ran its
# virtual frames under --native, 2d-demo refused it as exit 2 after the VM
# booted); outside the VM there is nothing to capture or screenshot (an
# empty trace, exit 0)
for s in cube 2d-demo lit; do
    refused 1 "vgt run: --native: $s has no native mode (the microbenchmarks have one: static-vertex, dynamic-vertex, filled-triangles, draw-calls)" \
        "$VGT" run "$s" --native --frames 1
done
refused 1 "vgt run: --native draws with OpenGL outside the VM, where --capture records nothing: drop one of them" \
    "$VGT" run draw-calls --native --frames 1 --capture "$T/n.vgt"
refused 1 "vgt run: --native draws with OpenGL outside the VM, where --screenshot saves nothing: drop one of them" \
    "$VGT" run draw-calls --native --frames 1 --screenshot "$T/nshots"
refused 1 "vgt run: --native draws with OpenGL outside the VM, where VGT_CAPTURE records nothing: drop one of them" \
    env VGT_CAPTURE="$T/n.vgt" "$VGT" run draw-calls --native --frames 1
[ ! -e "$T/n.vgt" ] && [ ! -e "$T/nshots" ] || fail "vgt run --native: a refused run made files"
# the environment takes the values the options take, before the VM boots
# (VGT_CAPTURE_CHUNK=0 wrote 2 MiB chunks, VGT_CAPTURE_FRAMES=0 recorded
# every frame, a VGT_CAPTURE_START past 2^62 ran the sample and then failed)
refused 1 "vgt run: VGT_CAPTURE_CHUNK='0': expected a size 1..262144 (KiB)" \
    env VGT_CAPTURE="$T/e.vgt" VGT_CAPTURE_CHUNK=0 "$VGT" run 2d-demo --frames 1
refused 1 "vgt run: VGT_CAPTURE_FRAMES='0': expected a frame count 1..1099511627776" \
    env VGT_CAPTURE="$T/e.vgt" VGT_CAPTURE_FRAMES=0 "$VGT" run 2d-demo --frames 1
refused 1 "vgt run: VGT_CAPTURE_START='4611686018427387905': expected a guest frame 0..1099511627776" \
    env VGT_CAPTURE="$T/e.vgt" VGT_CAPTURE_START=4611686018427387905 "$VGT" run 2d-demo --frames 1
refused 1 "vgt run: VGT_CAPTURE_START=' 3': expected a guest frame 0..1099511627776" \
    env VGT_CAPTURE="$T/e.vgt" VGT_CAPTURE_START=' 3' "$VGT" run 2d-demo --frames 1
refused 1 "vgt run: VGT_CAPTURE_LEVEL='+3': expected a zstd level -7..22" \
    env VGT_CAPTURE="$T/e.vgt" VGT_CAPTURE_LEVEL=+3 "$VGT" run 2d-demo --frames 1
[ ! -e "$T/e.vgt" ] || fail "a refused VGT_CAPTURE setting made the trace file"
# floor says the anisotropy it uses: the level asked, clamped by the guest to
# the device's MAX_TEXTURE_ANISOTROPY (16 on null)
expect 0 "$VGT" run floor --aniso 64 --backend null --frames 1 --width 64 --height 48
grep -qx "floor: anisotropy 16 on the right (asked 64, the device's MAX_TEXTURE_ANISOTROPY 16), trilinear on the left" "$T/out.txt" ||
    fail "vgt run floor --aniso 64: $(head -1 "$T/out.txt")"
# --no-3d and --backend contradict, in either order (the later one won)
refused 1 "vgt run: --no-3d hides 3D from the guest and --backend picks what renders it: give one of them" \
    "$VGT" run cube --no-3d --backend null --frames 1
refused 1 "vgt run: --no-3d hides 3D from the guest and --backend picks what renders it: give one of them" \
    "$VGT" run cube --backend soft --no-3d --frames 1
refused 1 "vgt run: which sample? (vgt samples lists them)" "$VGT" run
# a 3D sample under --no-3d: the hint is the way out (it said "run it with
# --backend null", which --no-3d refuses); a paper microbenchmark alike
for s in cube lit floor draw-calls; do
    expect 2 "$VGT" run "$s" --no-3d --frames 1
    [ "$(cat "$T/err.txt")" = "$s: the device does not offer 3D (SVGA_CAP_3D is clear) (a 3D sample: run it without --no-3d)
vgt run: sample $s exited with 2" ] || fail "vgt run $s --no-3d: $(cat "$T/err.txt")"
done
refused 1 "vgt replay: --loop '0': expected a count 1..1073741824" "$VGT" replay "$T/x.vgt" --loop 0
refused 1 "vgt replay: --tolerance '256': expected 0..255 per channel" \
    "$VGT" replay "$T/x.vgt" --tolerance 256
# a comparison option without the comparison is refused, not ignored
refused 1 "vgt replay: --tolerance and --outliers are for the comparison with --reference DIR: add it, or drop them" \
    "$VGT" replay "$T/x.vgt" --tolerance 2
refused 1 "vgt replay: --tolerance and --outliers are for the comparison with --reference DIR: add it, or drop them" \
    "$VGT" replay "$T/x.vgt" --outliers 0.1
refused 1 "vgt replay: --frames needs a value: A-B, A- or A" "$VGT" replay "$T/x.vgt" --frames
# --outliers is a plain decimal percentage: strtod took "0x10" as 16,
# "1e1" as 10 and " 5" as 5; the message says what is wrong
for v in 0x10 1e1 inf nan " 5" "5 " +5 -5 .5 5% 1,5 ""; do
    refused 1 "vgt replay: --outliers '$v': not a plain decimal number: expected a percentage 0..100 in plain decimal (5, 0.5, 100)" \
        "$VGT" replay "$T/x.vgt" --outliers "$v"
done
refused 1 "vgt replay: --outliers '5.': no digit after the point: expected a percentage 0..100 in plain decimal (5, 0.5, 100)" \
    "$VGT" replay "$T/x.vgt" --outliers 5.
refused 1 "vgt replay: --outliers '100.5': over 100: expected a percentage 0..100 in plain decimal (5, 0.5, 100)" \
    "$VGT" replay "$T/x.vgt" --outliers 100.5
# the plain ones pass the parse (then the missing --reference is the error)
for v in 0 5 0.5 100 100.0 007.250; do
    refused 1 "vgt replay: --tolerance and --outliers are for the comparison with --reference DIR: add it, or drop them" \
        "$VGT" replay "$T/x.vgt" --outliers "$v"
done
# every other number is decimal digits only: strtoull skipped white space
# and took a sign after it (--frame ' -1' was frame 18446744073709551615,
# --frames '1- -2' the range 1..18446744073709551614, --loop ' 5' 5 loops)
refused 1 "vgt replay: --loop ' 5': expected a count 1..1073741824" "$VGT" replay "$T/x.vgt" --loop " 5"
refused 1 "vgt pixel: --frame ' -1': expected a guest frame number" "$VGT" pixel "$T/x.vgt" --frame " -1" --at 1,1
for r in " 1-2" "1- 2" "1- -2" "1-+2" "+1-2" "1-2 " "0x1-2"; do
    refused 1 "vgt replay: --frames '$r': expected A-B with A <= B, A- or A" "$VGT" replay "$T/x.vgt" --frames "$r"
    refused 1 "vgt dump: --calls '$r': expected A-B with A <= B, A- or A" "$VGT" dump "$T/x.vgt" --calls "$r"
done
refused 1 "vgt replay: unknown option '--bogus' (see vgt replay --help)" "$VGT" replay "$T/x.vgt" --bogus
refused 1 "vgt trim: -o needs a value: the output trace" "$VGT" trim "$T/x.vgt" --frames 1 -o
refused 1 "vgt trim: unknown option '--bogus' (see vgt trim --help)" "$VGT" trim "$T/x.vgt" --bogus
refused 1 "vgt diff: --images needs a value: a directory" "$VGT" diff "$T/a.vgt" "$T/b.vgt" --images
refused 1 "vgt diff: --ignore needs a value: command names NAME[,NAME...] (FENCE,SURFACE_DMA)" "$VGT" diff "$T/a.vgt" "$T/b.vgt" --ignore
refused 1 "vgt diff: --ignore: no command named 'fenc' (close: FENCE)" "$VGT" diff "$T/a.vgt" "$T/b.vgt" --ignore fenc
refused 1 "vgt diff: --ignore 'FENCE,,CLEAR': expected command names separated by commas, as vgt dump prints them (CLEAR,SURFACE_DMA)" "$VGT" diff "$T/a.vgt" "$T/b.vgt" --ignore FENCE,,CLEAR
refused 1 "vgt diff: unknown option '--bogus' (see vgt diff --help)" "$VGT" diff "$T/a.vgt" "$T/b.vgt" --bogus
# analyze and tui said "--bogus needs a value" for an unknown last option
refused 1 "vgt analyze: unknown option '--bogus' (see vgt analyze --help)" "$VGT" analyze "$T/x.vgt" --bogus
refused 1 "vgt analyze: --runs needs a value: 1..1000" "$VGT" analyze "$T/x.vgt" --runs
refused 1 "vgt tui: unknown option '--bogus' (see vgt tui --help)" "$VGT" tui --bogus
refused 1 "vgt tui: --db needs a value: a database file" "$VGT" tui "$T/x.vgt" --db
# one form in every verb: "(see vgt VERB --help)" (info, dump and leaks said
# "(see --help)"), "--OPT 'V': expected ..." (replay and diff said "unknown
# backend", analyze and tui left the value unquoted)
refused 1 "vgt info: unknown option '--bogus' (see vgt info --help)" "$VGT" info "$T/x.vgt" --bogus
refused 1 "vgt info: missing FILE (see vgt info --help)" "$VGT" info
refused 1 "vgt info: one FILE only (see vgt info --help)" "$VGT" info "$T/x.vgt" "$T/y.vgt"
refused 1 "vgt dump: unknown option '--bogus' (see vgt dump --help)" "$VGT" dump "$T/x.vgt" --bogus
refused 1 "vgt dump: missing FILE (see vgt dump --help)" "$VGT" dump
refused 1 "vgt leaks: unknown option '--bogus' (see vgt leaks --help)" "$VGT" leaks "$T/x.vgt" --bogus
refused 1 "vgt leaks: missing TRACE (see vgt leaks --help)" "$VGT" leaks
refused 1 "vgt leaks: --limit needs a value: a count 0..4294967295" "$VGT" leaks "$T/x.vgt" --limit
refused 1 "vgt leaks: --limit 'x': expected a count 0..4294967295" "$VGT" leaks "$T/x.vgt" --limit x
refused 1 "vgt analyze: no trace file (see vgt analyze --help)" "$VGT" analyze
refused 1 "vgt analyze: --top '0': expected 1..100000" "$VGT" analyze "$T/x.vgt" --top 0
refused 1 "vgt analyze: --backend 'z': expected null, soft or gl" "$VGT" analyze "$T/x.vgt" --backend z
refused 1 "vgt tui: --run '0': expected a run id" "$VGT" tui --run 0
refused 1 "vgt replay: --backend 'z': expected null, soft or gl" "$VGT" replay "$T/x.vgt" --backend z
refused 1 "vgt diff: --backend 'z': expected soft or gl" "$VGT" diff "$T/a.vgt" "$T/b.vgt" --backend z
refused 1 "vgt shader: asm needs a FILE (see vgt shader --help)" "$VGT" shader asm
# the other subcommand's option says whose it is
refused 1 "vgt shader: --dir is extract's option, not list's" "$VGT" shader list "$T/x.vgt" --dir d
refused 1 "vgt shader: --distinct is extract's option, not list's" "$VGT" shader list "$T/x.vgt" --distinct
refused 1 "vgt shader: --json is list's option, not extract's" \
    "$VGT" shader extract "$T/x.vgt" --json --dir d
refused 1 "vgt surfaces: needs a TRACE (see vgt surfaces --help)" "$VGT" surfaces
refused 1 "vgt surfaces: --sort needs a value: seq, storage, uploads or draws" "$VGT" surfaces "$T/x.vgt" --sort
# a benchmark's misspelt sample is a usage error (capture said exit 2, as a
# failed run), with the close names as vgt run gives them
for b in capture replay; do
    expect 1 "$VGT" bench "$b" --sample nosuch --runs 1
    [ "$(cat "$T/err.txt")" = "vgt bench: $b: unknown sample 'nosuch' (vgt samples lists them)" ] ||
        fail "vgt bench $b --sample nosuch: $(cat "$T/err.txt")"
    expect 1 "$VGT" bench "$b" --runs 1 --sample draw-cals
    [ "$(cat "$T/err.txt")" = "vgt bench: $b: unknown sample 'draw-cals' (close: draw-calls; vgt samples lists them)" ] ||
        fail "vgt bench $b --sample draw-cals: $(cat "$T/err.txt")"
done
# bench format's own --help is vgt bench's list: its error points there
expect 1 "$VGT" bench format --bogus
[ "$(cat "$T/err.txt")" = "vgt bench format: bad argument '--bogus' (see vgt bench --help)" ] ||
    fail "vgt bench format --bogus: $(cat "$T/err.txt")"
# ... and the standalone program's to its own, whose usage names it
BF=$(dirname "$VGT")/bench/vgt_bench_format
refused 1 "vgt_bench_format: bad argument '--bogus' (see vgt_bench_format --help)" "$BF" --bogus
expect 0 "$BF" --help
head -1 "$T/out.txt" | grep -q "^usage: vgt_bench_format \[--size MiB\]" || fail "vgt_bench_format --help: $(head -1 "$T/out.txt")"

# a missing file is a data error that says why
refused 2 "vgt tui: $T/none.sqlite: cannot open: No such file or directory" "$VGT" tui "$T/none.sqlite"
refused 2 "vgt info: $T/none.vgt: cannot open: No such file or directory" "$VGT" info "$T/none.vgt"
refused 2 "vgt replay: $T/none.vgt: cannot open: No such file or directory" "$VGT" replay "$T/none.vgt"
# a directory as the input: a data error in every verb (trim said exit 1,
# its usage code, for the reader's "not a regular file")
refused 2 "vgt trim: $T: not a regular file; $T/o.vgt not written" "$VGT" trim "$T" --frames 1 -o "$T/o.vgt"
refused 2 "vgt info: $T: not a regular file" "$VGT" info "$T"
refused 2 "vgt replay: $T: not a regular file" "$VGT" replay "$T"
# reporting from a mistyped database name: an error, and no empty database made
refused 2 "vgt analyze: $T/none.sqlite: cannot open: No such file or directory" \
    "$VGT" analyze --db "$T/none.sqlite"
[ ! -e "$T/none.sqlite" ] || fail "vgt analyze --db none.sqlite created it"
# a trace given as the database: one sentence naming it (it was "not an
# SQLite database?: FILE: PRAGMA user_version: file is not a database")
printf 'VGTTRACE and more, not SQLite' >"$T/not-db.vgt"
refused 2 "vgt analyze: $T/not-db.vgt is not a vgt analysis database (not an SQLite file)" \
    "$VGT" analyze --db "$T/not-db.vgt"
[ "$(cat "$T/not-db.vgt")" = "VGTTRACE and more, not SQLite" ] || fail "vgt analyze --db changed a non-SQLite file"

# vgt run -q: no summary lines, the capture still written; a failure still said
expect 0 "$VGT" run 2d-demo --frames 3 --capture "$T/q.vgt" -q
[ -s "$T/out.txt" ] && fail "vgt run -q printed: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/q.vgt"
grep -q "^guest frames:    0..2 (3 frame ends" "$T/out.txt" || fail "vgt run -q: capture"
expect 2 "$VGT" run 2d-demo --frames 3 --quiet --capture "$T/no-such-dir/q.vgt"
[ -s "$T/out.txt" ] && fail "vgt run --quiet printed on failure"
grep -q "vgt run: .*no-such-dir" "$T/err.txt" || fail "vgt run -q: failure not reported"

# vgt dump --frames: A- is to the trace's end, as in replay, trim and diff
expect 0 "$VGT" run 2d-demo --frames 6 --capture "$T/d.vgt"
expect 0 "$VGT" dump "$T/d.vgt" --frames 4-6
mv "$T/out.txt" "$T/dump46.txt"
expect 0 "$VGT" dump "$T/d.vgt" --frames 4-
cmp -s "$T/out.txt" "$T/dump46.txt" || fail "dump --frames 4- differs from --frames 4-6"
# the command lines' FRAME column: frames 4 and 5 only, 12 commands each
awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && NF > 2 { print $2 }' "$T/out.txt" | sort | uniq -c |
    awk '{ printf "%s:%s ", $2, $1 }' >"$T/frames.txt"
[ "$(cat "$T/frames.txt")" = "4:12 5:12 " ] || fail "dump --frames 4-: frames and commands $(cat "$T/frames.txt")"
# B = 18446744073709551615, the largest number, is A- (no frame lies past
# it: a trace's frames stay below 2^62 + its count); one more is refused
expect 0 "$VGT" dump "$T/d.vgt" --frames 4-18446744073709551615
cmp -s "$T/out.txt" "$T/dump46.txt" || fail "dump --frames 4-18446744073709551615 differs from --frames 4-"
refused 1 "vgt dump: --frames '4-18446744073709551616': expected A-B with A <= B, A- or A" \
    "$VGT" dump "$T/d.vgt" --frames 4-18446744073709551616
refused 1 "vgt dump: --frames '3-2': expected A-B with A <= B, A- or A" "$VGT" dump "$T/d.vgt" --frames 3-2
refused 1 "vgt dump: --frames needs a value: A-B, A- or A" "$VGT" dump "$T/d.vgt" --frames
# frames as vgt info counts them: the trace's 7th frame holds the register
# writes after the guest's last frame end (it said "(7 frames)")
refused 2 "vgt dump: $T/d.vgt: no frame 9 in the trace (guest frames 0..5 complete, 6 partial)" \
    "$VGT" dump "$T/d.vgt" --frames 9-
# past the end the error alone on every view: --records printed an empty
# totals table before it, --chunks ignored --frames (every chunk, exit 0)
refused 2 "vgt dump: $T/d.vgt: no frame 7 in the trace (frames 0..5 complete, 6 partial)" \
    "$VGT" dump "$T/d.vgt" --records --frames 7
refused 2 "vgt dump: $T/d.vgt: no frame 7 in the trace (frames 0..5 complete, 6 partial)" \
    "$VGT" dump "$T/d.vgt" --records --verbose --frames 7-
refused 2 "vgt dump: $T/d.vgt: no frame 7 in the trace (frames 0..5 complete, 6 partial)" \
    "$VGT" dump "$T/d.vgt" --chunks --frames 7
refused 2 "vgt dump: $T/d.vgt: no frame 9 in the trace (guest frames 0..5 complete, 6 partial)" \
    "$VGT" dump "$T/d.vgt" --verbose --frames 9
refused 2 "vgt dump: $T/d.vgt: no frame 8 in the trace (frames 0..5 complete, 6 partial)" \
    "$VGT" dump "$T/d.vgt" --salvage --records --frames 8
# --chunks --frames: the chunks holding those frames (of 1 KiB chunks, the
# ones whose FRAMES range meets 2..3), the header line first
expect 0 "$VGT" run 2d-demo --frames 6 --capture-chunk 1 --capture "$T/k.vgt"
expect 0 "$VGT" dump "$T/k.vgt" --chunks
awk 'NR > 1 { split($5, f, "-"); if (f[2] >= 2 && f[1] <= 3) print $1 }' "$T/out.txt" >"$T/want.txt"
[ "$(wc -l <"$T/want.txt")" -ge 1 ] && [ "$(wc -l <"$T/want.txt")" -lt "$(($(wc -l <"$T/out.txt") - 1))" ] ||
    fail "k.vgt: chunks $(wc -l <"$T/out.txt"), of frames 2..3 $(wc -l <"$T/want.txt")"
expect 0 "$VGT" dump "$T/k.vgt" --chunks --frames 2-3
awk 'NR > 1 { print $1 }' "$T/out.txt" >"$T/got.txt"
cmp -s "$T/got.txt" "$T/want.txt" || fail "dump --chunks --frames 2-3: chunks $(tr '\n' ' ' <"$T/got.txt"), expected $(tr '\n' ' ' <"$T/want.txt")"
head -1 "$T/out.txt" | grep -q "^ *CHUNK  *OFFSET" || fail "dump --chunks --frames 2-3: no header"
# before a mid-run capture's first frame: trim's words, the file named
expect 0 "$VGT" run 2d-demo --frames 4 --capture-start 2 --capture "$T/m.vgt"
refused 2 "vgt dump: $T/m.vgt: frame 1 is before the trace, which starts at guest frame 2" \
    "$VGT" dump "$T/m.vgt" --frames 1
refused 2 "vgt dump: $T/m.vgt: frames 0..1 are before the trace, which starts at guest frame 2" \
    "$VGT" dump "$T/m.vgt" --frames 0-1
# frame 6, the register writes after the guest's last frame end: the lines
# of frame 6 in the whole trace's dump, an IRQMASK write first.  Which writes
# those are depends on the threads (the driver's fence wait writes IRQMASK
# only when the fence had not passed at its check, and a write made before
# the device reached the fence belongs to frame 5), so they are taken from
# the trace rather than named
expect 0 "$VGT" dump "$T/d.vgt"
f6='$1 ~ /^([0-9]+|-)$/ && $2 == 6'
awk "$f6" "$T/out.txt" >"$T/f6-all.txt"
expect 0 "$VGT" dump "$T/d.vgt" --frames 6
awk "$f6" "$T/out.txt" >"$T/f6.txt"
[ -s "$T/f6.txt" ] && cmp -s "$T/f6.txt" "$T/f6-all.txt" ||
    fail "dump --frames 6: $(cat "$T/f6.txt"), the whole dump's frame 6: $(cat "$T/f6-all.txt")"
[ "$(sed -n 2p "$T/out.txt")" = "$(head -n 1 "$T/f6.txt")" ] && grep -q "^ *- *6 REG IRQMASK=" "$T/f6.txt" ||
    fail "dump --frames 6: $(sed -n 2p "$T/out.txt")"
# vgt shader list/extract and vgt surfaces take --frames "as vgt dump": a
# range past the trace or before it is dump's exit 2 (it was an empty list
# and exit 0, as if those frames defined nothing); the last frame lists
for v in "shader list" "shader extract" surfaces; do
    x="" j=--json
    [ "$v" = "shader extract" ] && x="--dir $T/sx" j=""
    verb=${v%% *}
    # shellcheck disable=SC2086
    refused 2 "vgt $verb: $T/d.vgt: no frame 9 in the trace (guest frames 0..5 complete, 6 partial)" \
        "$VGT" $v "$T/d.vgt" $x --frames 9-
    # shellcheck disable=SC2086
    refused 2 "vgt $verb: $T/d.vgt: no frame 7 in the trace (guest frames 0..5 complete, 6 partial)" \
        "$VGT" $v "$T/d.vgt" $x --frames 7
    # shellcheck disable=SC2086
    refused 2 "vgt $verb: $T/m.vgt: frames 0..1 are before the trace, which starts at guest frame 2" \
        "$VGT" $v "$T/m.vgt" $x --frames 0-1
    # shellcheck disable=SC2086
    refused 2 "vgt $verb: $T/m.vgt: frame 1 is before the trace, which starts at guest frame 2" \
        "$VGT" $v "$T/m.vgt" $x --frames 1 $j
    # shellcheck disable=SC2086
    expect 0 "$VGT" $v "$T/d.vgt" $x --frames 6
    # shellcheck disable=SC2086
    expect 0 "$VGT" $v "$T/m.vgt" $x --frames 1-2
done
# leaks: the guest's teardown after its last frame end is a partial frame
# (it said "guest frames 0..2" where info and replay say 0..1); a trace with
# no command after the last frame end says its complete frames alone
expect 0 "$VGT" run cube --frames 2 --capture "$T/c2.vgt"
expect 0 "$VGT" info "$T/c2.vgt"
grep -q "^guest frames:    0..1 (2 frame ends" "$T/out.txt" || fail "info c2.vgt: $(grep "^guest frames" "$T/out.txt")"
expect 0 "$VGT" leaks "$T/c2.vgt"
[ "$(head -1 "$T/out.txt")" = "leaks: $T/c2.vgt: 34 commands, guest frames 0..1 complete, 2 partial" ] ||
    fail "leaks c2.vgt: $(head -1 "$T/out.txt")"
expect 0 "$VGT" leaks "$T/d.vgt"
[ "$(head -1 "$T/out.txt")" = "leaks: $T/d.vgt: 75 commands, guest frames 0..5" ] ||
    fail "leaks d.vgt: $(head -1 "$T/out.txt")"

# vgt leaks on a killed capture (no footer): a warning that the analysis
# stops at the cut, as vgt replay gives; the report and exit status as before
size=$(wc -c <"$T/d.vgt")
head -c $((size - 1)) "$T/d.vgt" >"$T/cut.vgt"
chunks=$("$VGT" info "$T/d.vgt" --json | sed -n 's/^ *"chunks": \([0-9]*\),$/\1/p')
[ -n "$chunks" ] || fail "vgt info --json: no chunk count"
expect 0 "$VGT" leaks "$T/cut.vgt"
[ "$(cat "$T/err.txt")" = "vgt leaks: warning: $T/cut.vgt is incomplete (no footer index; rebuilt from $(count_of $chunks chunk)): analyzed up to its last complete chunk" ] ||
    fail "leaks on a cut trace: $(cat "$T/err.txt")"
grep -q "^clean: no leak, no misuse$" "$T/out.txt" || fail "leaks on a cut trace: report"
expect 0 "$VGT" leaks "$T/d.vgt"
[ ! -s "$T/err.txt" ] || fail "leaks on a whole trace warned: $(cat "$T/err.txt")"

# an output directory that is a file is refused before the work, not at the
# first PNG after the replay (exit 2 then, with "0 screenshots" on stdout)
refused 2 "vgt run: --screenshot: cannot write into '$T/c2.vgt': not a directory" \
    "$VGT" run cube --frames 2 --screenshot "$T/c2.vgt"
refused 2 "vgt replay: --screenshot: cannot write into '$T/c2.vgt': not a directory" \
    "$VGT" replay "$T/c2.vgt" --screenshot "$T/c2.vgt"
refused 2 "vgt shader: --dir: cannot write into '$T/c2.vgt': not a directory" \
    "$VGT" shader extract "$T/c2.vgt" --dir "$T/c2.vgt"
refused 2 "vgt replay: --screenshot: cannot write into '$T/none/shots': No such file or directory" \
    "$VGT" replay "$T/c2.vgt" --screenshot "$T/none/shots"

# vgt trim offers --salvage for a damaged chunk only: it cannot help a file
# whose header is refused (empty, a PNG)
: >"$T/empty.vgt"
printf '\211PNG\r\n\032\n%0400d' 0 >"$T/x.png"
refused 2 "vgt trim: $T/empty.vgt: not a vgt trace (0 bytes, shorter than a header); $T/o.vgt not written" \
    "$VGT" trim "$T/empty.vgt" --frames 0-1 -o "$T/o.vgt"
refused 2 "vgt trim: $T/x.png: not a vgt trace (bad magic at offset 0); $T/o.vgt not written" \
    "$VGT" trim "$T/x.png" --frames 0-1 -o "$T/o.vgt"
cp "$T/c2.vgt" "$T/bad.vgt"
dd if=/dev/zero of="$T/bad.vgt" bs=1 seek=900 count=64 conv=notrunc 2>/dev/null
expect 2 "$VGT" trim "$T/bad.vgt" --frames 0-1 -o "$T/o.vgt"
grep -q "(--salvage skips damaged chunks); $T/o.vgt not written\$" "$T/err.txt" ||
    fail "trim of a damaged chunk: $(cat "$T/err.txt")"

# vgt trim -o: a directory, or a file in a directory that is missing or is a
# file, is refused before the replay (the messages named the temporary
# OUT.trim-PID, or said "Device or resource busy" for a directory)
refused 1 "vgt trim: -o '$T' is a directory: name the trace to write" \
    "$VGT" trim "$T/c2.vgt" --frames 0-1 -o "$T"
refused 2 "vgt trim: -o '$T/none/o.vgt': cannot write into '$T/none': No such file or directory" \
    "$VGT" trim "$T/c2.vgt" --frames 0-1 -o "$T/none/o.vgt"
refused 2 "vgt repack: -o '$T/c2.vgt/o.vgt': '$T/c2.vgt' is not a directory" \
    "$VGT" repack "$T/c2.vgt" -o "$T/c2.vgt/o.vgt"
(cd "$T" && "$VGT" trim c2.vgt --frames 1 -o o1.vgt >/dev/null) || fail "trim -o with no directory part"
[ -s "$T/o1.vgt" ] || fail "trim -o o1.vgt: nothing written"

# vgt analyze --html into a missing folder says why it cannot create it,
# naming the folder, before the analysis (no database made)
expect 2 "$VGT" analyze "$T/c2.vgt" --backend null --runs 1 --db "$T/a.sqlite" --html "$T/none/a.html"
[ ! -e "$T/a.sqlite" ] || fail "analyze --html in a missing folder ran the analysis first"
[ "$(tail -1 "$T/err.txt")" = "vgt analyze: $T/none/a.html: cannot create: $T/none: No such file or directory" ] ||
    fail "analyze --html in a missing folder: $(cat "$T/err.txt")"

# vgt shader: -o without its file, a file that cannot be read (why), an
# assembly file given to dis (what dis reads)
printf 'ps_2_0\nmov oC0, c0\n' >"$T/p.asm"
refused 1 "vgt shader: -o needs a value: the output file" "$VGT" shader asm "$T/p.asm" -o
refused 1 "vgt shader: unknown option '--bogus' (see vgt shader --help)" "$VGT" shader dis "$T/p.asm" --bogus
refused 2 "vgt shader: cannot read $T/none.asm: No such file or directory" "$VGT" shader asm "$T/none.asm"
refused 2 "vgt shader: cannot read $T: Is a directory" "$VGT" shader dis "$T"
refused 2 "vgt shader: $T/p.asm: no shader bytecode (little-endian words starting with a vs/ps version token) and no 0x... words in its text" \
    "$VGT" shader dis "$T/p.asm"
expect 0 "$VGT" shader asm "$T/p.asm" -o "$T/p.bin"
expect 0 "$VGT" shader dis "$T/p.bin"
[ "$(cat "$T/out.txt")" = "$(printf 'ps_2_0\nmov oC0, c0')" ] || fail "shader dis p.bin: $(cat "$T/out.txt")"

# vgt samples: the summaries in one column, two spaces after the widest name
expect 0 "$VGT" samples
grep -q "^filled-triangles  paper microbenchmark" "$T/out.txt" || fail "samples: widest name's line"
grep -q "^cube              a spinning cube" "$T/out.txt" || fail "samples: a short name's line"
echo "ok"
