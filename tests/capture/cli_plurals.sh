#!/bin/sh
# Counts of one in the verbs' text summaries: a capture of one frame, and
# of it a trace of one command (vgt trim --calls), say "1 frame", "1
# command", "1 frame end", "1 CLEAR" (they said "1 frames", "1 commands"),
# and a verb after "0 of 1 frame" agrees ("differs"; it said "differ");
# the seconds of vgt run, trim and repack's summaries have the digits vgt
# replay --benchmark gives them (at least 4 significant: %.3f said 0.001 s
# of a small trim).  The counts asserted are the guest's (29 commands, one
# frame, one DRAW on the partial frame of the trimmed trace), not the
# records' (docs/conventions.md).
# Usage: cli_plurals.sh VGT TMPDIR
set -u
VGT=$1
T=$2
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# has LINE-REGEX: a line of out.txt matches it (grep -E, whole line)
has() { grep -Eqx "$1" "$T/out.txt" || fail "no line '$1' in: $(cat "$T/out.txt")"; }
# secs_ok S: S has 4 significant digits or more (3 decimals from 1 s on)
secs_ok() {
    echo "$1" | grep -Eq '^([1-9][0-9]*\.[0-9]{3}|0\.0*[1-9][0-9]{3,})$' || fail "seconds '$1': $(cat "$T/out.txt")"
}

expect 0 "$VGT" run cube --frames 1 --capture "$T/one.vgt"
has "cube: 1 frame, 29 commands, 0 errors, [0-9.]+ s"
secs_ok "$(awk '/^cube:/ { print $(NF - 1) }' "$T/out.txt")"
has "capture: $T/one.vgt: guest frames 0\.\.0 \(1 frame\), 29 commands, .*"

expect 0 "$VGT" info "$T/one.vgt"
has "guest frames: +0\.\.0 \(1 frame end, 0 without a display\)"

expect 0 "$VGT" diff "$T/one.vgt" "$T/one.vgt"
has "compared: guest frames 0\.\.0 \(1 frame\)"
has "commands: 0 of 1 frame differs: 0 changed, 0 only in A, 0 only in B \(A 22 commands, B 22\)"
has "frames: 1 equal picture, 0 different, 0 without comparable hashes; .*"
expect 0 "$VGT" diff "$T/one.vgt" "$T/one.vgt" --images "$T/img"
has "images \(soft backend, tolerance 0\): 1 frame replayed: 1 equal, 0 differ, 0 of different sizes; 0 written to $T/img"

expect 0 "$VGT" surfaces "$T/one.vgt"
has "draws: 1 DRAW_PRIMITIVES and 1 CLEAR run, in 29 commands"

expect 0 "$VGT" replay "$T/one.vgt" --benchmark
has "benchmark: .* \(1 frame, 29 commands, [0-9.]+ s\)"

expect 0 "$VGT" trim "$T/one.vgt" --frames 0-0 -o "$T/f.vgt"
has "trim: $T/one.vgt -> $T/f.vgt: guest frames 0\.\.0, 1 frame, [0-9]+ records \([0-9]+ read\), [0-9]+ -> [0-9]+ bytes, [0-9.]+ s"
secs_ok "$(awk '{ print $(NF - 1) }' "$T/out.txt")"
expect 0 "$VGT" repack "$T/one.vgt" -o "$T/r.vgt"
has "repack: $T/one.vgt -> $T/r.vgt: guest frames 0\.\.0 \(1 complete\), .* bytes, [0-9.]+ s"
secs_ok "$(awk '{ print $(NF - 1) }' "$T/out.txt")"

expect 0 "$VGT" analyze "$T/one.vgt" --runs 1 --report text --html "$T/one.html"
has "[0-9]+ commands, 1 frame \(\+ 1 partial\); 1 replay \(per command the median\), .*"
has "  per draw call:      1 draw, mean .*"
grep -qF "; 29 commands, 1 frame (+ 1 partial); 1 replay (median per command)" "$T/one.html" ||
    fail "the page's run line: $(grep -m1 ' replay' "$T/one.html")"
grep -qF "<tr><td>per draw call (1 draw): mean</td>" "$T/one.html" ||
    fail "the page's draws: $(grep -m1 'per draw call' "$T/one.html")"
grep -Eq "^analyze: .*one.vgt: run 1, 29 commands, 1 frame \(\+ 1 partial\), 1 replay \(median [0-9.]+ s\)" "$T/err.txt" ||
    fail "analyze's line: $(cat "$T/err.txt")"
secs_ok "$(sed -n 's/^analyze: .*(median \([0-9.]*\) s).*/\1/p' "$T/err.txt")"

# a killed capture's warning: the chunks its index was rebuilt from
chunks=$("$VGT" info "$T/one.vgt" --json | sed -n 's/^ *"chunks": \([0-9]*\),$/\1/p')
[ -n "$chunks" ] || fail "vgt info --json: no chunk count"
size=$(wc -c <"$T/one.vgt")
head -c $((size - 1)) "$T/one.vgt" >"$T/cut.vgt" || fail "head"
expect 0 "$VGT" surfaces "$T/cut.vgt"
grep -qx "vgt surfaces: warning: $T/cut.vgt is incomplete (no footer index; rebuilt from $(count_of "$chunks" chunk)): .*" "$T/err.txt" ||
    fail "the warning: $(cat "$T/err.txt")"

# the DRAW_PRIMITIVES alone (command 20 of cube's frame 0), from the snapshot
expect 0 "$VGT" dump "$T/one.vgt" --only DRAW_PRIMITIVES
DRAW=$(awk '$3 == "DRAW_PRIMITIVES" { print $1; exit }' "$T/out.txt")
[ -n "$DRAW" ] || fail "no DRAW_PRIMITIVES: $(cat "$T/out.txt")"
expect 0 "$VGT" trim "$T/one.vgt" --calls "$DRAW-$DRAW" -o "$T/c.vgt"
has "trim: .*: commands $DRAW\.\.$DRAW \(1\), guest frames 0\.\.0, 0 complete frames and a partial last one, .*"
expect 3 "$VGT" leaks "$T/c.vgt" # its snapshot objects are alive at the end
has "leaks: $T/c.vgt: 1 command, guest frame 0 partial"
expect 0 "$VGT" pixel "$T/c.vgt" --frame 0 --at 320,240 --surface 1
has "1 of the frame's 1 command changed it"
exit 0
