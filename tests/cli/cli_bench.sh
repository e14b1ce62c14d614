#!/bin/sh
# vgt bench with small counts: each benchmark runs, prints its figure beside
# its reference, and the ratios it prints are the quotients of the figures
# it prints (recomputed here from the printed numbers, within their
# rounding); a value with junk after it is refused.  No timing is asserted:
# only the arithmetic between the printed figures and their presence.
# Usage: cli_bench.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/../capture/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# ratio_ok NUM DEN RATIO WHAT: RATIO, as printed, is NUM/DEN as printed: the
# quotient of some values that round to NUM and DEN rounds to RATIO (each
# number's rounding is half a unit of its last printed digit).
ratio_ok() {
    awk -v n="$1" -v d="$2" -v r="$3" 'function half(x,  i) {
            i = index(x, "."); return i ? 0.5 / 10 ^ (length(x) - i) : 0.5
        }
        BEGIN {
            dl = d - half(d); dh = d + half(d)
            if (dl <= 0) exit 1 # DEN printed as 0: nothing to divide by
            lo = (n - half(n)) / dh; hi = (n + half(n)) / dl
            exit !(r + half(r) >= lo && r - half(r) <= hi)
        }' || fail "$4: $3 is not $1 / $2"
}

# replay: the three times and the two ratios of them (the times were
# printed to the millisecond: a short trace read "0.000 s" beside "replay
# / read 27.394")
expect 0 "$VGT" bench replay --sample cube --frames 20 --runs 2
grep -q "^replay: cube, [0-9]* records, 20 frames, [0-9]* commands" "$T/out.txt" ||
    fail "bench replay: $(cat "$T/out.txt")"
read_s=$(awk '/read all records \(decompress only\)/ { print $(NF - 1) }' "$T/out.txt")
replay_s=$(awk '/replay, null backend/ { print $4 }' "$T/out.txt")
verify_s=$(awk '/replay \+ compose \+ verify/ { print $6 }' "$T/out.txt")
r1=$(awk '/replay \/ read/ { print $4 }' "$T/out.txt")
r2=$(awk '/replay\+verify \/ read/ { print $4 }' "$T/out.txt")
[ -n "$read_s" ] && [ -n "$replay_s" ] && [ -n "$verify_s" ] && [ -n "$r1" ] && [ -n "$r2" ] ||
    fail "bench replay lines: $(cat "$T/out.txt")"
ratio_ok "$replay_s" "$read_s" "$r1" "replay / read"
ratio_ok "$verify_s" "$read_s" "$r2" "replay+verify / read"

# a trace of one's own: its counts are vgt info's of the same trace.  vgt
# run renders 3D on soft by default, whose frames the null replay does not
# reproduce: the compose pass is timed without the check ("frame 0 differs",
# exit 2 before, for every trace vgt run --capture made)
expect 0 "$VGT" run cube --frames 20 --capture "$T/soft.vgt"
expect 0 "$VGT" info "$T/soft.vgt"
info_records=$(awk '/^records:/ { print $2 }' "$T/out.txt")
info_commands=$(awk '/^commands:/ { print $2 }' "$T/out.txt")
expect 0 "$VGT" bench replay --trace "$T/soft.vgt" --runs 1
grep -q "^replay: $T/soft.vgt, $info_records records, 20 frames, $info_commands commands" \
    "$T/out.txt" || fail "bench replay --trace against vgt info: $(cat "$T/out.txt")"
grep -q "^  replay + compose (no verify) " "$T/out.txt" || fail "bench replay soft: $(cat "$T/out.txt")"
grep -q "^  (not verified: the trace's 3D frames were rendered by the soft backend, whose frames only it reproduces bit for bit)$" \
    "$T/out.txt" || fail "bench replay soft note: $(cat "$T/out.txt")"
grep -q "verify" "$T/err.txt" && fail "bench replay soft: $(cat "$T/err.txt")"
read_s=$(awk '/read all records/ { print $(NF - 1) }' "$T/out.txt")
compose_s=$(awk '/replay \+ compose \(no verify\)/ { print $6 }' "$T/out.txt")
ratio_ok "$compose_s" "$read_s" "$(awk '/replay\+compose \/ read/ { print $4 }' "$T/out.txt")" \
    "replay+compose / read"

# a damaged trace is refused, its damage named (a torn one printed "0
# records, 0 frames" and a ratio, exit 0); a missing one named once
size=$(wc -c <"$T/soft.vgt")
head -c $((size / 2)) "$T/soft.vgt" >"$T/torn.vgt"
expect 2 "$VGT" bench replay --trace "$T/torn.vgt" --runs 1
grep -q "^vgt bench: replay: $T/torn.vgt: damaged: chunk [0-9]* at offset [0-9]*: torn: .* (vgt info $T/torn.vgt lists its problems)$" \
    "$T/err.txt" || fail "bench replay torn: $(cat "$T/err.txt")"
grep -q "^replay:" "$T/out.txt" && fail "bench replay torn printed figures: $(cat "$T/out.txt")"
expect 2 "$VGT" bench replay --trace "$T/missing.vgt"
grep -q "^vgt bench: replay: $T/missing.vgt: cannot open" "$T/err.txt" ||
    fail "bench replay missing: $(cat "$T/err.txt")"

# --out FILE: the scratch capture goes there, is replayed, and is removed
# (the replay read the default path instead: cannot open, exit 2)
expect 0 "$VGT" bench replay --sample cube --frames 2 --runs 1 --out "$T/scratch.vgt"
grep -q "^replay: cube, [0-9]* records, 2 frames, " "$T/out.txt" || fail "bench replay --out: $(cat "$T/out.txt")"
[ -e "$T/scratch.vgt" ] && fail "bench replay --out kept its scratch trace"
# --trace with an option that shapes the capture it replaces, or on bench
# capture: both were taken and ignored (the trace replayed, exit 0)
expect 1 "$VGT" bench replay --trace "$T/soft.vgt" --sample cube --runs 1
grep -q "^vgt bench: replay: --sample shapes the capture that replaces --trace: give one or the other$" \
    "$T/err.txt" || fail "bench replay --trace --sample: $(cat "$T/err.txt")"
expect 1 "$VGT" bench replay --frames 5 --trace "$T/soft.vgt"
grep -q "^vgt bench: replay: --frames shapes" "$T/err.txt" || fail "bench replay --frames --trace: $(cat "$T/err.txt")"
expect 1 "$VGT" bench capture --trace "$T/soft.vgt" --runs 1
grep -q "^vgt bench: capture: --trace is vgt bench replay's" "$T/err.txt" ||
    fail "bench capture --trace: $(cat "$T/err.txt")"
# --loops was taken and did nothing
expect 1 "$VGT" bench replay --loops 3
grep -q "^vgt bench: replay: bad argument '--loops'" "$T/err.txt" || fail "bench replay --loops: $(cat "$T/err.txt")"

# one frame, one run: the counts singular ("1 frames", "1 runs" before)
expect 0 "$VGT" bench replay --sample cube --frames 1 --runs 1
grep -q "^replay: cube, [0-9]* records, 1 frame, 29 commands, .* (best of 1 run)$" "$T/out.txt" ||
    fail "bench replay of one frame: $(cat "$T/out.txt")"
expect 0 "$VGT" bench capture --sample cube --frames 1 --runs 1
grep -q "^capture: cube, 1 frame, 29 commands, null backend (1 run of each mode, in turn)$" \
    "$T/out.txt" || fail "bench capture of one frame: $(cat "$T/out.txt")"
# too few runs for a 95% interval: none is printed (one run's was a point
# that called the target met or not met)
grep -q "^  95% interval           none: 1 run, it needs 5 or more: target undecided (more runs)$" \
    "$T/out.txt" || fail "bench capture interval of one run: $(cat "$T/out.txt")"
expect 0 "$VGT" bench soft --size 16 --frames 1 --tris 1
grep -q "^soft backend: 16x16 A8R8G8B8 target, .* render threads, 1 frame, 1 triangle$" "$T/out.txt" ||
    fail "bench soft of one frame: $(cat "$T/out.txt")"

# capture: capture/plain of the medians and of the bests, capture/frame tap,
# frames/s of each mode's median
expect 0 "$VGT" bench capture --sample cube --frames 20 --runs 3
grep -q "^capture: cube, 20 frames, 124 commands, null backend (3 runs of each mode, in turn)" \
    "$T/out.txt" || fail "bench capture: $(cat "$T/out.txt")"
grep -q "^  95% interval           none: 3 runs, it needs 5 or more" "$T/out.txt" ||
    fail "bench capture interval of 3 runs: $(cat "$T/out.txt")"
med() { awk -v m="$1" 'index($0, m) == 3 { for (i = 1; i < NF; i++) if ($i == "median") print $(i + 1) }' "$T/out.txt"; }
best() { awk -v m="$1" 'index($0, m) == 3 { for (i = 1; i < NF; i++) if ($i == "best") print $(i + 1) }' "$T/out.txt"; }
fps() { awk -v m="$1" 'index($0, m) == 3 { for (i = 1; i < NF; i++) if ($(i + 1) == "frames/s") print $i }' "$T/out.txt"; }
mp=$(med "plain run")
mt=$(med "with a frame tap")
mc=$(med "with capture")
[ -n "$mp" ] && [ -n "$mt" ] && [ -n "$mc" ] || fail "bench capture medians: $(cat "$T/out.txt")"
ratio_ok "$mc" "$mp" "$(awk '/capture \/ plain/ { print $4 }' "$T/out.txt")" "capture / plain"
ratio_ok "$(best "with capture")" "$(best "plain run")" \
    "$(awk '/capture \/ plain/ { sub(",", "", $10); print $10 }' "$T/out.txt")" "best-of"
ratio_ok "$mc" "$mt" "$(awk '/capture \/ frame tap/ { print $5 }' "$T/out.txt")" "capture / frame tap"
ratio_ok 20 "$mp" "$(fps "plain run")" "plain frames/s"
ratio_ok 20 "$mc" "$(fps "with capture")" "capture frames/s"

# video: six cases, bilinear beside nearest, the ratio theirs; the sizes asked
expect 0 "$VGT" bench video --size 32x16 --runs 1
grep -q "^video overlay: 32x16 frames .* best of 1 run, destination" "$T/out.txt" ||
    fail "bench video of one run: $(head -2 "$T/out.txt")"
[ "$(grep -c "bilinear .* Mpixel/s   nearest .* Mpixel/s (nearest .*x)" "$T/out.txt")" -eq 6 ] ||
    fail "bench video: $(cat "$T/out.txt")"
grep -q "YUY2 2x up     ->   64x32 " "$T/out.txt" || fail "bench video: 2x of 32x16"
grep -q "YV12 half      ->   16x8 " "$T/out.txt" || fail "bench video: half of 32x16"
awk '/Mpixel\/s \(nearest/ { sub("x\\)", "", $NF); print $(NF - 6), $(NF - 3), $NF }' "$T/out.txt" >"$T/video.txt"
while read -r bl nn r; do
    ratio_ok "$nn" "$bl" "$r" "video nearest/bilinear"
done <"$T/video.txt"

# analyze: the store's rows/s beside the bare loop's, and their ratio
expect 0 "$VGT" bench analyze 2000
ours=$(awk '/^analyze store:/ { print $6 }' "$T/out.txt")
bare=$(awk '/^bare sqlite3:/ { print $5 }' "$T/out.txt")
r=$(awk '/^ratio:/ { sub("x", "", $2); print $2 }' "$T/out.txt")
[ -n "$ours" ] && [ -n "$bare" ] && [ -n "$r" ] || fail "bench analyze: $(cat "$T/out.txt")"
ratio_ok "$ours" "$bare" "$r" "analyze / bare"

# format: a small stream at a fast level; the seek line's sums
expect 0 "$VGT" bench format --size 1 --runs 1 --level -1 --chunk 64 --file "$T/f.vgt"
grep -q "zstd level -1, chunks of 64 KiB" "$T/out.txt" || fail "bench format: $(cat "$T/out.txt")"
grep -q "), 1 frame, .* zstd level -1" "$T/out.txt" || fail "bench format, one frame: $(cat "$T/out.txt")"
grep -q "^file: [0-9]* bytes, [0-9]* chunks*, 1 frame;" "$T/out.txt" || fail "bench format file line: $(cat "$T/out.txt")"
awk '/^seek to last frame/ {
        sub("\\(chunk ", ""); gsub("[():,%]", " ")
        for (i = 1; i <= NF; i++) {
            if ($i == "open") open = $(i + 2)
            if ($i == "seek" && $(i + 1) == "read") seek = $(i + 2)
            if ($i == "+") comp = $(i + 1)
        }
        pct = $(NF - 3)
        found = 1
    }
    /^file:/ { size = $2 }
    END {
        if (!found || seek != 80 + comp) exit 1
        want = 100 * (open + seek) / size
        exit !(want - pct <= 0.00006 && pct - want <= 0.00006)
    }' "$T/out.txt" || fail "bench format seek line: $(grep -e "^seek" -e "^file:" "$T/out.txt")"
[ -e "$T/f.vgt" ] && fail "bench format kept its trace without --keep"

# a value with junk after it, or none, is refused (exit 1): video's
# --runs 3x ran 3 runs, --size 64x48junk ran 64x48, format's atoi took 8x
for a in "--runs 3x" "--runs -1" "--runs" "--size 64x48junk" "--size 64x" "--size x48" "--size 64"; do
    # shellcheck disable=SC2086 # the option and its value, split
    expect 1 "$VGT" bench video $a
    grep -q "^vgt bench: video: bad argument '" "$T/err.txt" || fail "bench video $a: $(cat "$T/err.txt")"
done
for a in "--size 8x" "--size 0" "--runs 1x" "--level 3x" "--level --3" "--chunk 16k" "--threads 2x"; do
    # shellcheck disable=SC2086
    expect 1 "$VGT" bench format $a
    grep -q "^vgt bench format: bad argument '" "$T/err.txt" || fail "bench format $a: $(cat "$T/err.txt")"
done
for a in "--runs 3x" "--frames 20x" "--chunk 64k" "--runs 0"; do
    # shellcheck disable=SC2086
    expect 1 "$VGT" bench capture $a
    grep -q "^vgt bench: capture: bad argument '" "$T/err.txt" || fail "bench capture $a: $(cat "$T/err.txt")"
done
# soft and gl took "+64" and " 64" (strtoul); whole numbers only, as the others
for b in soft gl; do
    for a in "--size +64" "--tris +5" "--frames 1x" "--tris -1"; do
        # shellcheck disable=SC2086
        expect 1 "$VGT" bench $b $a
        grep -q "^vgt bench: $b: bad argument '" "$T/err.txt" || fail "bench $b $a: $(cat "$T/err.txt")"
    done
done

# a usage error writes nothing to stdout: the version line came first, so
# `vgt bench capture --runs x > figures.txt` left a line in the file
for b in fifo format capture replay soft gl video paper analyze tui; do
    expect 1 "$VGT" bench $b --no-such-option
    [ -s "$T/out.txt" ] && fail "bench $b, a usage error, wrote to stdout: $(cat "$T/out.txt")"
done
expect 1 "$VGT" bench replay --trace "$T/soft.vgt" --sample cube
[ -s "$T/out.txt" ] && fail "bench replay --trace --sample wrote to stdout: $(cat "$T/out.txt")"
# and a benchmark that runs says which build made its figures, first
expect 0 "$VGT" bench analyze 1000
head -n 1 "$T/out.txt" | grep -q "^vgt [0-9.]*, built with " || fail "bench analyze: no version line first: $(cat "$T/out.txt")"
exit 0
