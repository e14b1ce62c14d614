#!/bin/sh
# The profiler on a real terminal: tmux (private socket, fixed size) runs a
# shell; vgt tui opens a database analyzed from a captured cube; keys are
# sent and the pane is captured and checked against the database (python3's
# sqlite3).  Polls for text with a timeout instead of sleeping.
#   tmux_tui.sh VGT WORKDIR PYTHON3
set -eu
VGT=$1
DIR=$2
PY=$3
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed (scripts/setup-deps)"; exit 77; }
rm -rf "$DIR"
mkdir -p "$DIR"
SOCK="vgt-tui-test-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() { T kill-server >/dev/null 2>&1 || true; }
trap cleanup EXIT
TIMEOUT=${VGT_TUI_TIMEOUT:-60}

fail() {
    echo "FAIL: $*"
    echo "---- pane ----"
    T capture-pane -p -t tui 2>/dev/null || true
    echo "--------------"
    exit 1
}
pane() { T capture-pane -p -t tui; }
# wait_for TEXT: polls the pane until it shows TEXT (fixed string)
wait_for() {
    i=0
    while [ $i -lt $((TIMEOUT * 10)) ]; do
        if pane | grep -qF -- "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "timed out waiting for '$1'"
}
# poll_for TEXT SECONDS: true when the pane shows TEXT within SECONDS
poll_for() {
    i=0
    while [ $i -lt $(($2 * 10)) ]; do
        if pane | grep -qF -- "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# wait_re REGEX: the same with an extended regular expression
wait_re() {
    i=0
    while [ $i -lt $((TIMEOUT * 10)) ]; do
        if pane | grep -qE -- "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "timed out waiting for /$1/"
}
keys() { T send-keys -t tui "$@"; }
# clear_pane: the screen cleared, then its history.  Polls for the cleared
# pane, the prompt alone (it slept 0.2 s and waited for a prompt, which the
# screen before the clear shows too: a shell slower than that under load
# cleared after the history was, and the next wait_for could match a line
# of the command before, as its EXIT=2)
clear_pane() {
    keys clear Enter
    i=0
    until [ "$(pane | grep -c .)" -eq 1 ] && pane | grep -q '^tui-test\$ *$'; do
        i=$((i + 1))
        [ $i -lt $((TIMEOUT * 10)) ] || fail "timed out waiting for the cleared pane"
        sleep 0.1
    done
    T clear-history -t tui
}
sql() { "$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(*r) for r in c.execute(sys.argv[2])]' "$DIR/cube.db" "$1"; }
# the terminal is restored: the main screen, echo and canonical mode on
check_restored() {
    [ "$(T display -p -t tui '#{alternate_on}')" = "0" ] || fail "still on the alternate screen"
    keys 'stty -a | tr " ;" "\n\n" | grep -c -x -e echo -e icanon -e icrnl | sed "s/^/STTY=/"' Enter
    wait_for "STTY=3"
}

echo "$(date +%T) capture and analyze the cube"
"$VGT" run cube --frames 30 --backend null --capture "$DIR/cube.vgt" >/dev/null
"$VGT" analyze "$DIR/cube.vgt" --db "$DIR/cube.db" --runs 1 -q >/dev/null

T new-session -d -s tui -x 120 -y 40 "env PS1='tui-test\$ ' TERM=xterm-256color sh"
T set-option -t tui -g status off >/dev/null
wait_for 'tui-test$'

echo "$(date +%T) open the database"
keys "$VGT tui $DIR/cube.db; echo EXIT=\$?" Enter
wait_for "Hotspots:"
# the hotspot rows: the three slowest types with their counts, as in the DB
sql "SELECT t.name, s.count FROM type_stats s JOIN command_types t USING(type_id) WHERE s.run_id = 1 ORDER BY s.total_ns DESC, s.type_id DESC LIMIT 3" >"$DIR/top.txt"
[ -s "$DIR/top.txt" ] || fail "no type_stats rows"
while read -r name count; do
    wait_re "^ $name +$count "
done <"$DIR/top.txt"
# the complete frames, as vgt info counts them; the cube's teardown after its
# last frame end apart (the title said "Frames 31" for a 30-frame capture)
frames=$(sql "SELECT count(*) FROM frames WHERE run_id = 1 AND partial = 0")
[ "$frames" = 30 ] || fail "complete frames stored: $frames"
wait_for "Frames 30 (+ 1 partial)  [1/31] "
wait_for " 30 frames (+ 1 partial) | total "
# not a --sync frame run: no pipelined frame figures
if pane | grep -qF pipelined; then fail "pipelined figures for a run without them"; fi

echo "$(date +%T) search moves to the match"
first=$(sql "SELECT seq, frame FROM commands WHERE run_id = 1 AND type_id = 1063 ORDER BY seq LIMIT 2")
seq1=$(echo "$first" | sed -n 1p | cut -d' ' -f1)
frame1=$(echo "$first" | sed -n 1p | cut -d' ' -f2)
seq2=$(echo "$first" | sed -n 2p | cut -d' ' -f1)
frame2=$(echo "$first" | sed -n 2p | cut -d' ' -f2)
keys / D R A W _ P R I M Enter
wait_for "/DRAW_PRIM: #$seq1 DRAW_PRIMITIVES in frame $frame1"
wait_for "Commands of frame $frame1:"
keys n
wait_for "/DRAW_PRIM: #$seq2 DRAW_PRIMITIVES in frame $frame2"
wait_for "Commands of frame $frame2:"

echo "$(date +%T) drill down: the command's decoded fields"
keys Enter
wait_for "Command #$seq2 DRAW_PRIMITIVES (frame $frame2)"
wait_for "Decoded fields (from $DIR/cube.vgt)"
wait_for "  cid="
wait_re "^  ranges=\[\{TRIANGLELIST count=[0-9]+"
wait_for "Surfaces it touches"
wait_re "^  sid [0-9]+: BUFFER"
# counts in the singular for 1 (the cube's buffers: one face, one mip, one
# upload; it said "1 face(s), 1 mip(s)", "1 upload(s)")
wait_re "^  sid [0-9]+: BUFFER [0-9]+x1x1, 1 face, 1 mip, [0-9]+ bytes"
wait_re "1 upload [0-9]+ B, 0 downloads 0 B"
keys Escape
wait_for "Hotspots:"

echo "$(date +%T) sort and filter"
keys Escape Tab s
wait_for "command types by count"
keys f
wait_re "Commands of frame $frame2: [0-9]+, only "
keys f
wait_re "Commands of frame $frame2: [0-9]+, device order"
keys Escape Escape
wait_for "Hotspots:"

echo "$(date +%T) mouse: a click on a hotspot row selects it"
presents=$(sql "SELECT count FROM type_stats s JOIN command_types t USING(type_id) WHERE run_id = 1 AND t.name = 'PRESENT'")
# Up to three tries: on a loaded machine (the ASan pass beside other tests)
# the report's leading ESC can reach the profiler alone, past its 25 ms
# escape delay, and then reads as Escape and the rest as keys.
clicked=""
for try in 1 2 3; do
    row=$(pane | grep -n "^ PRESENT " | head -1 | cut -d: -f1)
    [ -n "$row" ] || fail "no PRESENT row"
    # an SGR mouse report (xterm-256color's kmous): press and release, 1-based column;row
    T send-keys -t tui -l "$(printf '\033[<0;4;%dM' "$row")"
    T send-keys -t tui -l "$(printf '\033[<0;4;%dm' "$row")"
    keys Enter
    if poll_for "PRESENT: $presents commands in the run, slowest first" 10; then
        clicked=1
        break
    fi
    echo "$(date +%T)   try $try: the click did not select PRESENT; back to the main view"
    keys Escape Escape
    wait_for "Hotspots:"
done
[ -n "$clicked" ] || fail "a click on the PRESENT row did not select it in three tries"
keys Escape
wait_for "Hotspots:"

echo "$(date +%T) resize to 80x24 and 200x60"
check_layout() {
    T resize-window -t tui -x "$1" -y "$2"
    wait_re "^ Frames $frames "
    i=0
    while :; do
        pane >"$DIR/pane.txt"
        if "$PY" - "$DIR/pane.txt" "$1" "$2" <<'EOF'; then break; fi
import sys
lines = open(sys.argv[1]).read().split("\n")
w, h = int(sys.argv[2]), int(sys.argv[3])
lines = lines[:h]
ok = (len(lines) == h and all(len(l) <= w for l in lines)
      and lines[0].startswith(" vgt tui | cube.vgt")
      and lines[2].startswith(" Frames ")
      and any(l.startswith(" Hotspots:") for l in lines)
      and any("Commands of frame" in l for l in lines)
      and lines[h - 1].lstrip().startswith(("q quit", "/", "hotspots", "commands")))
# side by side on a wide terminal
if w >= 160:
    ok = ok and any(l.startswith(" Hotspots:") and "Commands of frame" in l for l in lines)
sys.exit(0 if ok else 1)
EOF
        i=$((i + 1))
        [ $i -lt $((TIMEOUT * 10)) ] || fail "layout at $1x$2"
        sleep 0.1
    done
}
check_layout 80 24
check_layout 200 60
check_layout 120 40

echo "$(date +%T) help, then q exits 0 and restores the terminal"
keys '?'
wait_for "Help: keys"
keys x q
wait_for "EXIT=0"
check_restored

echo "$(date +%T) SIGTERM restores the terminal"
clear_pane
keys "sh -c 'echo \$\$ >$DIR/pid; exec $VGT tui $DIR/cube.db'; echo EXIT=\$?" Enter
wait_for "Hotspots:"
kill -TERM "$(cat "$DIR/pid")"
wait_for "EXIT=143"
check_restored

echo "$(date +%T) Ctrl-C restores the terminal"
clear_pane
keys "$VGT tui $DIR/cube.db; echo EXIT=\$?" Enter
wait_for "Hotspots:"
keys C-c
wait_for "EXIT=130"
check_restored

echo "$(date +%T) a trace: analyzed in the background, then opened"
clear_pane
keys "$VGT tui $DIR/cube.vgt --backend null; echo EXIT=\$?" Enter
wait_for "Hotspots:"
keys q
wait_for "EXIT=0"
check_restored

echo "$(date +%T) a --sync frame run: the pipelined frame figures as stored"
"$VGT" analyze "$DIR/cube.vgt" --backend null --sync frame --db "$DIR/walls.db" --runs 1 -q >/dev/null
# the header's medians (lower, over the complete frames, native over the
# frames timed virtually, as vgt analyze's report takes them) and frame 0's
# line, formatted as the
# profiler does
"$PY" - "$DIR/walls.db" >"$DIR/walls.txt" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
def fmt(v):
    if v is None or v < 0: return "-"
    if v < 1e3: return "%.0f ns" % v
    if v < 1e6: return "%.1f us" % (v / 1e3)
    if v < 1e9: return "%.2f ms" % (v / 1e6)
    return "%.2f s" % (v / 1e9)
def ratio(v, n):
    return "-" if v is None or n is None or n <= 0 else "%.2f" % (v / n)
rows = list(c.execute("SELECT virtual_wall_ns, native_wall_ns FROM frames WHERE run_id = 1 "
                      "AND virtual_wall_ns IS NOT NULL AND partial = 0"))
assert rows, "no frame wall times stored"
v = sorted(r[0] for r in rows)
n = sorted(r[1] for r in rows if r[1] is not None)
mv = v[(len(v) - 1) // 2]
mn = n[(len(n) - 1) // 2] if n else None
print("frames (pipelined): median %s virtualized vs %s native (virtual/native %s)"
      % (fmt(mv), fmt(mn), ratio(mv, mn)))
f0 = c.execute("SELECT frame, virtual_wall_ns, native_wall_ns FROM frames WHERE run_id = 1 "
               "ORDER BY frame LIMIT 1").fetchone()
print(" frame %d: " % f0[0])
print("| pipelined %s virtualized vs %s native (%s) |" % (fmt(f0[1]), fmt(f0[2]), ratio(f0[1], f0[2])))
EOF
clear_pane
# wide enough for every header figure in its full wording ("(+ 1 partial)"
# after the frame count made the line longer than 200 columns)
T resize-window -t tui -x 260 -y 60
keys "$VGT tui $DIR/walls.db; echo EXIT=\$?" Enter
wait_for "Hotspots:"
wait_for "$(sed -n 1p "$DIR/walls.txt")"
# frame 0 is selected: its line has frame 0's wall times
pane | grep -F -- "$(sed -n 2p "$DIR/walls.txt")" | grep -qF -- "$(sed -n 3p "$DIR/walls.txt")" ||
    fail "frame line: $(sed -n 2,3p "$DIR/walls.txt")"
keys q
wait_for "EXIT=0"
check_restored
T resize-window -t tui -x 120 -y 40

echo "$(date +%T) a bad database: an error, exit 2, terminal restored"
clear_pane
"$PY" -c 'import sys; open(sys.argv[1], "wb").write(b"SQLite format 3\0" + b"\xff" * 4080)' "$DIR/bad.sqlite"
keys "$VGT tui $DIR/bad.sqlite; echo EXIT=\$?" Enter
wait_for "EXIT=2"
check_restored

echo "$(date +%T) a damaged trace: exit 2 naming the chunk; --salvage opens it, then exit 2"
# cube in 4 KiB chunks, the second chunk's compressed body overwritten in its
# middle (which frames it holds varies run to run: looked up)
"$VGT" run cube --frames 12 --backend null --capture "$DIR/c.vgt" --capture-chunk 4 >/dev/null
"$VGT" dump "$DIR/c.vgt" --chunks >"$DIR/chunks.txt"
set -- $(awk '$1 == 1 { print $2, $5, $6 }' "$DIR/chunks.txt")
[ $# -eq 3 ] || fail "no chunk 1: $(cat "$DIR/chunks.txt")"
OFF=$1 SPAN=$2
cp "$DIR/c.vgt" "$DIR/d.vgt"
printf '\001\002\003\004\005\006\007\010' |
    dd of="$DIR/d.vgt" bs=1 seek=$((OFF + 40 + $3 / 2)) conv=notrunc 2>/dev/null
clear_pane
# wide enough for the messages with the trace's path unwrapped
T resize-window -t tui -x 260 -y 40
keys "$VGT tui $DIR/d.vgt --backend null; echo EXIT=\$?" Enter
wait_for "EXIT=2"
# the chunk once, in the error line with the hint (a "stopped at chunk"
# line said it before it)
wait_for "d.vgt: chunk 1 at offset $OFF: checksum mismatch"
wait_for "(--salvage skips damaged chunks)"
pane | grep -q "stopped at chunk 1" && fail "the chunk said twice: $(pane)"
check_restored
clear_pane
keys "$VGT tui $DIR/d.vgt --backend null --salvage; echo EXIT=\$?" Enter
wait_for "Hotspots:"
keys q
wait_for "EXIT=2"
wait_for "vgt tui: skipped chunk 1 at offset $OFF: checksum mismatch"
# (the frames of chunk 1's records: one frame is "guest frame A")
if [ "${SPAN%-*}" = "${SPAN#*-}" ]; then LOST="frame ${SPAN%-*}"; else LOST="frames ${SPAN%-*}..${SPAN#*-}"; fi
wait_for "vgt tui: 1 damaged chunk skipped (--salvage): the trace is damaged; guest $LOST lost records"
check_restored

echo "$(date +%T) --frames: guest frames 3..5 analyzed and shown; a range past the end is exit 2"
clear_pane
keys "$VGT tui $DIR/cube.vgt --backend null --frames 3-5 --db $DIR/range.db; echo EXIT=\$?" Enter
wait_for "Hotspots:"
wait_for " 3 frames (guest frames 3..5) | total "
keys q
wait_for "EXIT=0"
check_restored
got=$("$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(*c.execute("SELECT commands, frames, json_extract(settings, \"$.frames\") FROM runs").fetchall())' "$DIR/range.db")
want=$(sql "SELECT count(*) FROM commands WHERE run_id = 1 AND frame BETWEEN 3 AND 5")
[ "$got" = "($want, 3, '[3,5]')" ] || fail "--frames 3-5: runs row $got, commands $want"
clear_pane
keys "$VGT tui $DIR/cube.vgt --backend null --frames 50-60; echo EXIT=\$?" Enter
wait_for "EXIT=2"
wait_for "vgt tui: no frame 50..60 in the trace (guest frames 0..29)"
check_restored
T resize-window -t tui -x 120 -y 40

echo "$(date +%T) ok"
