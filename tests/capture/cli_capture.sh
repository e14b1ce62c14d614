#!/bin/sh
# vgt run --capture / VGT_CAPTURE, vgt replay, vgt info, vgt dump: the CLI path
# of issue 6.  Usage: cli_capture.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# capture with live screenshots; replay verifies hashes and equals them pixel by pixel
expect 0 "$VGT" run 2d-demo --frames 25 --capture "$T/t.vgt" --screenshot "$T/live"
grep -q "capture: .*t.vgt: guest frames 0..24 (25 frames)" "$T/out.txt" || fail "capture summary"
expect 0 "$VGT" replay "$T/t.vgt" --verify --screenshot "$T/rep" --reference "$T/live"
grep -q "25 frames verified" "$T/out.txt" || fail "replay --verify summary"
grep -q "25 frames equal to" "$T/out.txt" || fail "replay --reference summary"
same_shots "$T/rep" "$T/live" 25
# a verification that compares nothing fails: the trace cut inside its
# first frames' chunk replays no frame (exit 0 without --verify, 2 with it)
head -c 2000 "$T/t.vgt" >"$T/torn.vgt" || fail "head"
expect 0 "$VGT" replay "$T/torn.vgt" --backend soft
grep -q "(soft backend): 0 frames, " "$T/out.txt" || fail "torn replay summary"
expect 2 "$VGT" replay "$T/torn.vgt" --backend soft --verify
grep -q "^vgt replay: --verify: nothing was verified: no frame was replayed$" "$T/err.txt" ||
    fail "torn replay --verify message"

# the video overlay sample the same way, on soft: the frames the device read
# at each FLUSH come from the trace; a capture from frame 22 (unit 1 off)
# replays alone with the live screenshots
expect 0 "$VGT" run video --frames 26 --width 320 --height 240 --capture "$T/v.vgt" --screenshot "$T/vlive"
expect 0 "$VGT" replay "$T/v.vgt" --backend soft --verify --screenshot "$T/vrep"
grep -q "26 frames verified" "$T/out.txt" || fail "video replay --verify summary"
# info names the overlay filter the trace replays with (traces from before
# the flag: nearest)
expect 0 "$VGT" info "$T/v.vgt"
grep -q "^svga device: .*, video overlay bilinear$" "$T/out.txt" || fail "info: video overlay filter"
expect 0 "$VGT" info --json "$T/v.vgt"
grep -q '"video_overlay": "bilinear"' "$T/out.txt" || fail "info --json: video_overlay"
expect 0 "$VGT" run video --frames 26 --width 320 --height 240 --capture "$T/v22.vgt" --capture-start 22
expect 0 "$VGT" replay "$T/v22.vgt" --backend soft --verify --screenshot "$T/vrep22"
grep -q "4 frames verified" "$T/out.txt" || fail "video mid-run replay --verify summary"
n=0
for f in "$T"/vlive/frame-*.png; do
    cmp -s "$f" "$T/vrep/$(basename "$f")" || fail "video $(basename "$f") differs"
    if [ -f "$T/vrep22/$(basename "$f")" ]; then
        cmp -s "$f" "$T/vrep22/$(basename "$f")" || fail "video from 22: $(basename "$f") differs"
        n=$((n + 1))
    fi
done
[ "$n" -eq 4 ] || fail "expected 4 screenshots of the capture from frame 22, found $n"

# --reference with outliers: a reference set whose frame 5 is really frame 6
# (the rectangles moved) fails at frame 5 with no outliers allowed, and passes
# when the moved pixels' share is allowed
mkdir -p "$T/shifted" && cp "$T"/live/frame-*.png "$T/shifted/" && cp "$T/live/frame-000006.png" "$T/shifted/frame-000005.png"
expect 2 "$VGT" replay "$T/t.vgt" --reference "$T/shifted" -q
grep -q "frame 5 differs.*0% allowed" "$T/err.txt" || fail "--reference strict message"
# the share allowed is printed as given, beside the frame's share: with
# --outliers just under the moved pixels' share the frame fails, and the
# message must not round the allowance up past the share (3 digits printed
# 1.0052% as "1.01% allowed" for 193 of 19200 pixels, 1.00521%)
over=$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) pixels.*differ by more than.*/\1 \2/p' "$T/err.txt")
[ -n "$over" ] || fail "--reference strict message: no pixel counts: $(cat "$T/err.txt")"
share=$(echo "$over" | awk '{ printf "%.6g", $1 * 100 / $2 }')
pct=$(echo "$over" | awk '{ printf "%.6g", $1 * 100 / $2 * 0.99999 }')
expect 2 "$VGT" replay "$T/t.vgt" --reference "$T/shifted" --outliers "$pct" -q
grep -q "frame 5 differs .*: ${over% *} of ${over#* } pixels differ by more than 0 (${share}%; max [0-9]*; ${pct}% allowed)" "$T/err.txt" ||
    fail "--outliers $pct (share $share): $(cat "$T/err.txt")"
# and a share equal to the allowance passes (the share to 17 digits)
exact=$(echo "$over" | awk '{ printf "%.17g", $1 * 100 / $2 }')
expect 0 "$VGT" replay "$T/t.vgt" --reference "$T/shifted" --outliers "$exact" -q
expect 0 "$VGT" replay "$T/t.vgt" --reference "$T/shifted" --outliers 50 -q
expect 1 "$VGT" replay "$T/t.vgt" --reference "$T/shifted" --outliers 101

# a frame range, loops, benchmark
expect 0 "$VGT" replay "$T/t.vgt" --frames 10-12 --loop 3 --verify --benchmark
grep -q "guest frames 10..12, 9 frames" "$T/out.txt" || fail "--frames 10-12 --loop 3"
grep -q "frames/s" "$T/out.txt" || fail "--benchmark figures"
# the seconds the benchmark line prints carry 4 significant digits, so that
# its frames and commands over them give its rates (printed as 0.015 s, a
# 25-frame replay's rates could not be checked; 0.000 s for a null one)
expect 0 "$VGT" replay "$T/t.vgt" --benchmark
grep "^benchmark: " "$T/out.txt" | awk '{
    gsub(/[(),]/, "")
    fps = $2; cps = $4; frames = $12; cmds = $14; secs = $16
    digits = secs; sub(/^0*\.?0*/, "", digits); sub(/\./, "", digits)
    if (length(digits) < 4 || frames != 25) { exit 1 }
    if (frames / secs > fps * 1.001 + 0.1 || frames / secs < fps * 0.999 - 0.1) { exit 1 }
    if (cmds / secs > cps * 1.001 + 1 || cmds / secs < cps * 0.999 - 1) { exit 1 }
    found = 1
} END { exit !found }' || fail "--benchmark: frames, commands and seconds disagree with the rates: $(cat "$T/out.txt")"
# the summary line prints the same seconds as the benchmark line, with the
# same digits (it printed %.3f: 0.015 s beside the benchmark's 0.01534 s)
summary_secs=$(grep "^replay: " "$T/out.txt" | sed -n 's/.*, \([0-9.]*\) s$/\1/p')
bench_secs=$(grep "^benchmark: " "$T/out.txt" | sed -n 's/.*, \([0-9.]*\) s)$/\1/p')
[ -n "$summary_secs" ] && [ "$summary_secs" = "$bench_secs" ] ||
    fail "--benchmark: the summary's seconds ($summary_secs) are not the benchmark's ($bench_secs): $(cat "$T/out.txt")"
# --loop with --screenshot: the first loop's frames, once each (the later
# loops replay the same frames into the same names); the counts say so
expect 0 "$VGT" replay "$T/t.vgt" --frames 10-12 --loop 3 --screenshot "$T/loopshots"
grep -q "guest frames 10..12, 9 frames, [0-9]* commands, 3 loops, 3 screenshots in $T/loopshots, " "$T/out.txt" ||
    fail "--loop 3 --screenshot: $(cat "$T/out.txt")"
[ "$(ls "$T/loopshots" | wc -l)" -eq 3 ] || fail "--loop 3 --screenshot: $(ls "$T/loopshots")"
for f in "$T"/loopshots/frame-*.png; do
    cmp -s "$f" "$T/live/$(basename "$f")" || fail "--loop 3 --screenshot: $(basename "$f") differs from live"
done

# a mid-run capture replays alone
expect 0 "$VGT" run 2d-demo --frames 25 --capture "$T/t10.vgt" --capture-start 10 --capture-frames 5 --capture-level 1 --capture-chunk 128
expect 0 "$VGT" replay "$T/t10.vgt" --verify --screenshot "$T/rep10"
grep -q "guest frames 10..14, 5 frames" "$T/out.txt" || fail "mid-run replay range"
for i in 10 11 12 13 14; do
    cmp -s "$T/live/frame-0000$i.png" "$T/rep10/frame-0000$i.png" || fail "mid-run frame $i differs"
done

# info and dump decode the commands
expect 0 "$VGT" info "$T/t.vgt"
grep -q "guest frames:    0..24" "$T/out.txt" || fail "info frames"
grep -Eq "^  UPDATE +[0-9]+ +0 " "$T/out.txt" || fail "info per-type counts"
grep -Eq "^  FENCE +26 " "$T/out.txt" || fail "info FENCE count"
expect 0 "$VGT" info --json "$T/t.vgt"
grep -q '"command_types"' "$T/out.txt" || fail "info --json svga"
expect 0 "$VGT" dump "$T/t.vgt"
grep -Eq "^ +[0-9]+ +3 RECT_COPY src=4,0 dst=0,0 w=632 h=24" "$T/out.txt" || fail "dump RECT_COPY line"
grep -Eq "^FENCE +26$" "$T/out.txt" || fail "dump totals"
expect 0 "$VGT" dump "$T/t.vgt" --frames 3 --verbose
grep -q "DMA_READ seq=" "$T/out.txt" || fail "dump --verbose DMA"
expect 0 "$VGT" dump "$T/t.vgt" --records
grep -q "dma_data" "$T/out.txt" || fail "dump --records"

# the environment variable captures an unmodified run
VGT_CAPTURE="$T/env.vgt" expect 0 "$VGT" run 2d-demo --frames 5
grep -q "(VGT_CAPTURE)" "$T/out.txt" || fail "VGT_CAPTURE summary"
expect 0 "$VGT" replay "$T/env.vgt" --verify -q

# negative (fast) zstd levels, from the flag and the environment; out of range refused
expect 0 "$VGT" run 2d-demo --frames 3 --capture "$T/lv.vgt" --capture-level -5
expect 0 "$VGT" info "$T/lv.vgt"
grep -q "zstd level -5," "$T/out.txt" || fail "--capture-level -5 not in the header"
VGT_CAPTURE="$T/lv2.vgt" VGT_CAPTURE_LEVEL=-3 expect 0 "$VGT" run 2d-demo --frames 3
expect 0 "$VGT" info "$T/lv2.vgt"
grep -q "zstd level -3," "$T/out.txt" || fail "VGT_CAPTURE_LEVEL=-3 not in the header"
expect 1 "$VGT" run 2d-demo --frames 3 --capture "$T/lv3.vgt" --capture-level -8
VGT_CAPTURE="$T/lv4.vgt" VGT_CAPTURE_LEVEL=23 expect 1 "$VGT" run 2d-demo --frames 3
grep -q "VGT_CAPTURE_LEVEL='23'" "$T/err.txt" || fail "VGT_CAPTURE_LEVEL=23 message"

# 3D: the cube on the null backend, captured and replayed bit-exact
if "$VGT" samples | grep -q "^cube "; then
    expect 0 "$VGT" run cube --backend null --frames 12 --capture "$T/cube.vgt" --screenshot "$T/cubelive"
    expect 0 "$VGT" replay "$T/cube.vgt" --verify --screenshot "$T/cuberep" --reference "$T/cubelive"
    grep -q "12 frames verified" "$T/out.txt" || fail "cube replay --verify"
    for f in "$T"/cubelive/frame-*.png; do
        cmp -s "$f" "$T/cuberep/$(basename "$f")" || fail "cube $(basename "$f") differs"
    done
    expect 0 "$VGT" info "$T/cube.vgt"
    grep -Eq "^  PRESENT +12 " "$T/out.txt" || fail "cube info PRESENT count"
    grep -q "3D on" "$T/out.txt" || fail "cube info 3D"
    # a 3D capture started mid-run (issue 6): the snapshot's EX3D section
    # restores surfaces, contexts and shaders; frames 10..19 replay with the
    # full capture's hashes on soft (bit-exact), within the gl tolerance of the
    # live screenshots on gl (when built), and without error on null
    expect 0 "$VGT" run cube --frames 20 --capture "$T/cubef.vgt" --screenshot "$T/cubesoft"
    expect 0 "$VGT" run cube --frames 20 --capture "$T/cube10.vgt" --capture-start 10 --capture-frames 10
    grep -q "guest frames 10..19 (10 frames)" "$T/out.txt" || fail "3D mid-run capture summary"
    expect 0 "$VGT" dump "$T/cube10.vgt"
    grep -q "SNAPSHOT frame=10 .*EX3D=" "$T/out.txt" || fail "3D snapshot section"
    expect 0 "$VGT" replay "$T/cube10.vgt" --verify --screenshot "$T/cube10rep"
    grep -q "guest frames 10..19, 10 frames, .*10 frames verified" "$T/out.txt" || fail "3D mid-run replay"
    "$VGT" dump "$T/cubef.vgt" | grep FRAME_HASH | awk '{print $4, $7}' | sed -n 11,20p >"$T/hf.txt"
    "$VGT" dump "$T/cube10.vgt" | grep FRAME_HASH | awk '{print $4, $7}' >"$T/h10.txt"
    [ "$(wc -l <"$T/h10.txt")" -eq 10 ] || fail "3D mid-run: 10 frame hashes"
    cmp -s "$T/hf.txt" "$T/h10.txt" || fail "3D mid-run hashes differ from the full capture's"
    for f in "$T"/cube10rep/frame-*.png; do
        cmp -s "$f" "$T/cubesoft/$(basename "$f")" || fail "3D mid-run $(basename "$f") differs"
    done
    "$VGT" replay "$T/cube10.vgt" --backend gl --reference "$T/cubesoft" --tolerance 2 \
        --outliers 0.1 >"$T/out.txt" 2>"$T/err.txt"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        grep -q "10 frames equal to" "$T/out.txt" || fail "3D mid-run gl replay"
        # --verify on another backend than the capture's verifies by the
        # reference (the captured hashes are soft's, bit for bit)
        expect 0 "$VGT" replay "$T/cube10.vgt" --backend gl --verify --reference "$T/cubesoft" \
            --tolerance 2 --outliers 0.1
        grep -q "^verify: captured with the soft backend, replayed on gl: frames are verified against" \
            "$T/out.txt" || fail "verify by reference on gl: note"
        grep -q "10 frames, .*commands, 10 frames equal to" "$T/out.txt" ||
            fail "verify by reference on gl: summary"
        grep -q "frames verified" "$T/out.txt" && fail "verify by reference on gl: hashes counted"
    elif grep -q "gl" "$T/err.txt" && [ "$rc" -eq 1 ]; then
        echo "gl backend not available: 3D mid-run gl replay skipped"
    else
        cat "$T/out.txt" "$T/err.txt" >&2
        fail "3D mid-run gl replay exited $rc"
    fi
    # on null (no pixels) the soft capture's hashes cannot match: the failure
    # says which backend reproduces them; against a reference it fails by pixels
    expect 2 "$VGT" replay "$T/cube10.vgt" --backend null --verify -q
    grep -q "frame 10 differs: .*(the trace was captured with the soft backend, whose frames only it reproduces bit for bit: verify on null against screenshots with --reference DIR, or replay with --backend soft)" \
        "$T/err.txt" || fail "verify on another backend: hint"
    expect 2 "$VGT" replay "$T/cube10.vgt" --backend null --verify --reference "$T/cubesoft" -q
    grep -q "frame 10 differs from .*cubesoft/frame-000010.png: " "$T/err.txt" ||
        fail "verify by reference on null: failure"
    grep -q "captured with the soft backend, whose" "$T/err.txt" && fail "verify by reference: hash hint"
    expect 0 "$VGT" run cube --backend null --frames 8 --capture "$T/cube3.vgt" --capture-start 3
    grep -q "keeps none" "$T/err.txt" || fail "3D snapshot without contents message"
    expect 0 "$VGT" replay "$T/cube3.vgt" --verify
    grep -q "5 frames verified" "$T/out.txt" || fail "3D mid-run null replay"
fi

# a capture whose start frame the run never reaches holds no frame, and its
# summary says none (it said "guest frames 9..9 (0 frames)", one frame by its
# range); one starting at the run's end holds the snapshot alone
expect 0 "$VGT" run 2d-demo --frames 5 --capture "$T/past.vgt" --capture-start 9
grep -q "^capture: $T/past.vgt: guest frames none (0 frames), 0 commands, " "$T/out.txt" ||
    fail "capture past the run's end: $(cat "$T/out.txt")"
grep -q "start frame 9 never reached; the trace holds no frames" "$T/err.txt" || fail "start 9: no warning"
expect 0 "$VGT" run 2d-demo --frames 5 --capture "$T/end.vgt" --capture-start 5
grep -q "^capture: $T/end.vgt: guest frames none (0 frames), 0 commands, " "$T/out.txt" ||
    fail "capture from the run's end: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/end.vgt"
grep -q "^guest frames:    none ended" "$T/out.txt" || fail "capture from the run's end: info"

# exit codes
expect 1 "$VGT" replay "$T/t.vgt" --backend nosuch
expect 1 "$VGT" replay "$T/t.vgt" --window
expect 1 "$VGT" replay "$T/t.vgt" --frames 9-3
expect 1 "$VGT" run 2d-demo --capture-start 3
expect 2 "$VGT" replay "$T/missing.vgt"
expect 2 "$VGT" replay "$T/t.vgt" --frames 100-200
expect 2 "$VGT" replay "$T/t10.vgt" --frames 0-5
rm -rf "$T"
echo ok
