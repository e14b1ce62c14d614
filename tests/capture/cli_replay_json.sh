#!/bin/sh
# vgt replay --json: one object on stdout with the replay's outcome, failures
# included; usage errors stay plain.  Usage: cli_replay_json.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
command -v jq >/dev/null || fail "jq is missing (scripts/setup-deps installs it)"
# j FILTER: jq -e on the last output (fails unless the filter is true)
j() { jq -e "$1" "$T/out.txt" >/dev/null || { cat "$T/out.txt" "$T/err.txt" >&2; fail "jq '$1'"; }; }

# a plain replay: the counts are vgt info's, nothing but the object on stdout
expect 0 "$VGT" run 2d-demo --frames 25 --capture "$T/t.vgt" --screenshot "$T/live"
expect 0 "$VGT" info "$T/t.vgt" --json
frames=$(jq .complete_frames "$T/out.txt")
cmds=$(jq .svga.commands "$T/out.txt")
[ "$frames" = 25 ] && [ "$cmds" -gt 0 ] || fail "info: $frames frames, $cmds commands"
expect 0 "$VGT" replay "$T/t.vgt" --json
[ "$(jq -s length "$T/out.txt")" = 1 ] || fail "stdout holds more than one JSON value"
j ".file == \"$T/t.vgt\" and .backend == \"soft\" and .frames == $frames and .commands == $cmds"
j '.range == {"first": 0, "last": null} and .guest_frames == {"first": 0, "last": 24}'
j '.loops == 1 and .wall_s > 0 and .benchmark == null and .verify == null and .per_loop == null'
j '.exit == 0 and .error == null and .chunks_skipped == 0 and .problems == []'
j '.device_errors == {"count": 0, "first": null}'
[ -s "$T/err.txt" ] && fail "plain --json: stderr not empty: $(cat "$T/err.txt")"

# --verify passes; --screenshot lists its files; --reference compares them
expect 0 "$VGT" replay "$T/t.vgt" --json --verify --screenshot "$T/rep" --reference "$T/live"
j '.verify == {"by": "hash", "frames_verified": 25, "frames_skipped": 0, "first_mismatch": null}'
j ".screenshots.written == 25 and (.screenshots.files | length) == 25 and .screenshots.files[3] == \"$T/rep/frame-000003.png\""
j '.reference.frames_compared == 25 and .reference.frames_equal == 25'
j '.reference.frames_with_outliers == 0 and .reference.worst_delta.max_channel_delta == 0'
j '.reference.most_outliers == null and .reference.first_failure == null'
same_shots "$T/rep" "$T/live" 25

# --dump-at: the dumps counted, their text line not on stdout
expect 0 "$VGT" replay "$T/t.vgt" --json --dump-at 5,9 --dump-dir "$T/dumps"
j ".dumps == {\"dir\": \"$T/dumps\", \"written\": 2}"
[ -f "$T/dumps/seq-00000009/state.json" ] || fail "--dump-at 9 with --json: no state.json"

# --frames and --loop: per-loop figures; --benchmark: its rates, positive
expect 0 "$VGT" replay "$T/t.vgt" --json --frames 10-12 --loop 3 --verify --benchmark
j '.range == {"first": 10, "last": 12} and .guest_frames == {"first": 10, "last": 12}'
j '.loops == 3 and .frames == 9 and (.per_loop | length) == 3 and all(.per_loop[]; .frames == 3)'
j '(.per_loop | map(.commands) | add) == .commands and .per_loop[0].commands == .per_loop[2].commands'
j '.loop_wall_s.min > 0 and .loop_wall_s.max >= .loop_wall_s.min'
j '.benchmark.frames_per_s > 0 and .benchmark.commands_per_s > 0 and .benchmark.guest_mib_per_s > 0'
j '.benchmark.wall_s > 0 and .benchmark.cpu_s > 0 and .verify.frames_verified == 9'
grep -q . "$T/out.txt" && ! grep -q "^benchmark:" "$T/out.txt" || fail "benchmark text on stdout with --json"
# --loop with --screenshot: "written" counts the files, the first loop's
expect 0 "$VGT" replay "$T/t.vgt" --json --frames 10-12 --loop 2 --screenshot "$T/loopshots"
j '.screenshots.written == 3 and (.screenshots.files | length) == 3 and .frames == 6'
[ "$(ls "$T/loopshots" | wc -l)" -eq 3 ] || fail "--loop 2 --screenshot --json: $(ls "$T/loopshots")"

# a failing verify: the cube captured on soft, replayed on null, differs at
# frame 0 (the method of cli_capture_replay); the error is stderr's text
expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt" --capture-chunk 4 --screenshot "$T/clive"
expect 2 "$VGT" replay "$T/c.vgt" --backend null --verify --json
j '.exit == 2 and .backend == "null" and .verify.by == "hash" and .verify.frames_verified == 0'
j '.frames == 1 and .verify.frames_skipped == 0'
j '.verify.first_mismatch.frame == 0 and .verify.first_mismatch.last_command == "PRESENT"'
j '.verify.first_mismatch.last_seq > 0 and .verify.first_mismatch.expected.width == 640'
j '(.verify.first_mismatch.expected.hash | length) == 16 and .verify.first_mismatch.expected.hash != .verify.first_mismatch.actual.hash'
err=$(sed -n 's/^vgt replay: //p' "$T/err.txt")
[ -n "$err" ] || fail "failing verify: no message on stderr"
jq -e --arg e "$err" '.error == $e' "$T/out.txt" >/dev/null || fail "error differs from stderr: $err"
seq=$(jq .verify.first_mismatch.last_seq "$T/out.txt")
h=$(jq -r .verify.first_mismatch.actual.hash "$T/out.txt")
grep -q "frame 0 differs: replayed $h (640x480), .*last command before it: seq $seq PRESENT" "$T/err.txt" ||
    fail "mismatch fields differ from the message"
# by reference: the comparison's figures and its first failure
expect 2 "$VGT" replay "$T/c.vgt" --backend null --reference "$T/clive" --json -q
j '.reference.frames_compared == 1 and .reference.frames_equal == 0 and .reference.frames_with_outliers == 1'
j '.reference.worst_delta.frame == 0 and .reference.worst_delta.max_channel_delta > 0'
j '.reference.most_outliers.frame == 0 and .reference.most_outliers.pixels > 0'
j '.reference.first_failure.frame == 0 and (.reference.first_failure.message | test("pixels differ"))'
expect 0 "$VGT" replay "$T/c.vgt" --backend null --reference "$T/clive" --tolerance 255 --json
j '.reference.frames_compared == 12 and .reference.frames_equal == 12 and .reference.first_failure == null'
j '.reference.worst_delta == {"frame": 1, "max_channel_delta": 255} and .reference.frames_with_outliers == 0'

# a damaged chunk with --salvage: the skipped chunk and exit 2 (the first
# chunk past chunk 0 that holds a frame end, so that frames are lost; which
# one that is varies from run to run)
frame_end_chunk "$T/c.vgt" 1
damage "$T/c.vgt" "$T/d.vgt" "^$SPAN\$"
expect 2 "$VGT" replay "$T/d.vgt" --salvage --json
j ".chunks_skipped >= 1 and any(.problems[]; .chunk == $CHUNK and .offset == $OFFSET)"
j '.exit == 2 and (.error | test("skipped")) and .frames > 0 and .frames < 12'
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "salvage: stderr lines"
! grep -q "chunk $CHUNK at offset $OFFSET: chunk $CHUNK at offset $OFFSET" "$T/err.txt" ||
    fail "salvage: the chunk twice: $(cat "$T/err.txt")"
# the first chunk damaged: --salvage replays the chunks after it (the seek
# to record 0 failed on it, and nothing was replayed)
damage "$T/c.vgt" "$T/d0.vgt" "^0-"
expect 2 "$VGT" replay "$T/d0.vgt" --salvage --json
j ".chunks_skipped == 1 and any(.problems[]; .chunk == 0 and .offset == $OFFSET) and .frames > 0"
# without --salvage: stopped, the error with the hint
expect 2 "$VGT" replay "$T/d.vgt" --json
j '.exit == 2 and (.error | test("--salvage skips damaged chunks")) and .chunks_skipped == 0'

# a trace that does not exist: exit 2, the object with the error
expect 2 "$VGT" replay "$T/none.vgt" --json
j ".exit == 2 and .backend == null and .frames == 0 and (.error | test(\"cannot open\"))"
grep -q "^vgt replay: .*none.vgt: cannot open" "$T/err.txt" || fail "missing trace: stderr"
# usage errors (exit 1) print no JSON, only the message
expect 1 "$VGT" replay "$T/t.vgt" --json --bogus
[ -s "$T/out.txt" ] && fail "usage error: stdout not empty"
grep -q "unknown option '--bogus'" "$T/err.txt" || fail "usage error message"
expect 1 "$VGT" replay "$T/t.vgt" --json --tolerance 3
[ -s "$T/out.txt" ] && fail "usage error: stdout not empty"
# ... also one found once the trace is open (--window on a soft trace)
DISPLAY=:99 expect 1 "$VGT" replay "$T/t.vgt" --json --window
[ -s "$T/out.txt" ] && fail "usage error at the trace: stdout not empty"
grep -q "captured with soft (add --backend gl" "$T/err.txt" || fail "--window usage message"
# --json names no frame of a range outside the trace; the error says why
expect 2 "$VGT" replay "$T/t.vgt" --json --frames 90-95
j '.frames == 0 and .guest_frames == null and (.error | test("no frame 90..95"))'
# the text output stays as it was without --json
expect 0 "$VGT" replay "$T/t.vgt" --verify
grep -q "^replay: .*t.vgt (soft backend): guest frames 0..24, 25 frames, $cmds commands, 25 frames verified, " "$T/out.txt" ||
    fail "text summary: $(cat "$T/out.txt")"
echo "cli_replay_json: ok"
