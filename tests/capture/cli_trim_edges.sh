#!/bin/sh
# Frame ranges at the edges of a damaged chunk, for vgt trim, replay and
# analyze --salvage.  A cube capture's chunk boundaries fall where the
# device's batching puts them (docs/conventions.md), so the chunks are made
# here: rechunk_trace copies the capture's records as they are and begins a
# chunk at records looked up in `vgt dump --records`; one chunk is damaged.
#  1. chunk 0 of frames 0..1 damaged: `trim --frames 0-1` said "the trace
#     ends inside frame 0"; it refuses, saying that no record of 0..1 was
#     readable, and a chunk 0 ending inside frame 1 leaves no frame of 0..1
#     to trim (frame 1's start lost) and starts `--frames 0-3` at frame 2.
#  2. a damaged chunk that begins with frame B's FRAME_END (its FRAME_HASH
#     in the chunk before): B lost a record (the end belongs to its frame,
#     docs/format.md); replay stopped at B's hash and exited 0 where trim
#     and analyze exited 2: all three exit 2 and name the chunk.
#  3. a damaged chunk that holds frame A's first records: the trim of A-B
#     carried A's captured FRAME_HASH and its --verify failed at frame A;
#     the trim starts at A+1 and says so, and its --verify passes.
#  4. frame A-1 wholly in the damaged chunk and A whole: the trim starts
#     at A, from the state at A's first record (said), and verifies; a
#     range whose end is right before the chunk exits 0 for all three.
#  5. frame A's first records and its FRAME_HASH in the damaged chunk, its
#     FRAME_END after it: no captured hash left to fail; the trim starts
#     at A as asked.
#  6. a frame that lost records but not the first frame's start (3's A
#     inside A-1..9, the --calls cut from A-1, and records of A after its
#     first lost): its captured FRAME_HASH was copied and the trim's
#     --verify failed at it; the hash is left out, said, and every other
#     frame verifies.
#  7. a --calls cut whose command A's frame lost records before A (the
#     replay to A went past them): the copy begins at A, mid-frame, saw no
#     loss and kept the frame's captured FRAME_HASH, and the trim's
#     --verify failed at that frame; the hash is left out, said, and every
#     other frame verifies (a cut from a frame that lost nothing keeps it).
# Usage: cli_trim_edges.sh VGT TMPDIR RECHUNK
set -u
VGT=$1
T=$2
RECHUNK=$3
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

expect 0 "$VGT" run cube --frames 12 --capture "$T/c.vgt"
expect 0 "$VGT" dump "$T/c.vgt" --records
cp "$T/out.txt" "$T/records.txt"
# first_rec F: the number of guest frame F's first record
first_rec() {
    awk -v f="$1" '$1 ~ /^[0-9]+$/ && $2 == f { print $1; exit }' "$T/records.txt"
}
# rec_of TYPE F: the number of guest frame F's first record of TYPE
rec_of() {
    awk -v t="$1" -v f="$2" '$1 ~ /^[0-9]+$/ && $2 == f && $4 == t { print $1; exit }' "$T/records.txt"
}
# rechunk OUT N R...: c.vgt in chunks beginning at records R... (and 0;
# chunks of 4 MiB hold the rest whole), chunk N damaged (8 bytes in the
# middle of its body); sets CHUNK and OFFSET as the reader's messages name
# it, and SKIP, the start of the line that says it skipped
rechunk() {
    out=$1
    CHUNK=$2
    shift 2
    "$RECHUNK" "$T/c.vgt" "$out" "$@" || fail "rechunk_trace $*"
    "$VGT" dump "$out" --chunks >"$T/chunks.txt" 2>&1 || fail "vgt dump $out --chunks"
    line=$(awk -v c="$CHUNK" '$1 == c { print $2, $6; exit }' "$T/chunks.txt")
    [ -n "$line" ] || fail "no chunk $CHUNK: $(cat "$T/chunks.txt")"
    OFFSET=${line% *}
    SKIP="skipped chunk $CHUNK at offset $OFFSET: "
    damage_body "$out" "$OFFSET" "${line#* }"
}
# all_three CODE TRACE A-B [OPTION...]: vgt replay, trim and analyze of
# frames A..B of TRACE exit CODE; at 2 each names the damaged chunk, at 0
# replay and trim say nothing on stderr (analyze says damage after the
# range, docs/cli.md)
all_three() {
    want=$1
    tr=$2
    r=$3
    shift 3
    for verb in replay trim analyze; do
        case $verb in
        replay) expect "$want" "$VGT" replay "$tr" --frames "$r" "$@" ;;
        trim) expect "$want" "$VGT" trim "$tr" --frames "$r" -o "$T/three.vgt" "$@" ;;
        analyze) expect "$want" "$VGT" analyze "$tr" --frames "$r" --backend null --runs 1 -q \
            --db "$T/three.sqlite" "$@" ;;
        esac
        if [ "$want" -eq 2 ]; then
            grep -q "chunk $CHUNK at offset $OFFSET: " "$T/err.txt" ||
                fail "$verb $tr --frames $r $*: the chunk: $(cat "$T/err.txt")"
        elif [ $verb != analyze ] && [ -s "$T/err.txt" ]; then
            fail "$verb $tr --frames $r $*: $(cat "$T/err.txt")"
        fi
    done
}

# trim_starts_after TRACE A B F LOST OUT: vgt trim --salvage --frames A-B
# of TRACE, whose frame F lost its first records (LOST: "frame F lost
# its", "frames A..F lost their"), writes OUT from frame F+1, says so and
# names the damaged chunk once, exit 2
trim_starts_after() {
    expect 2 "$VGT" trim "$1" --frames "$2-$3" -o "$6" --salvage
    grep -qxF "vgt trim: $1: $5 first records to a skipped chunk, and frame $4's captured frame hash would not verify what is left of it: the trim starts at frame $(($4 + 1))" "$T/err.txt" ||
        fail "trim $1 $2-$3: the line: $(cat "$T/err.txt")"
    grep -q "^vgt trim: $1: skipped chunk $CHUNK at offset $OFFSET: checksum mismatch" "$T/err.txt" ||
        fail "trim $1 $2-$3: the chunk: $(cat "$T/err.txt")"
    [ "$(grep -c ": skipped chunk" "$T/err.txt")" -eq 1 ] || fail "trim $1 $2-$3: the chunk said twice: $(cat "$T/err.txt")"
    # (read: every record up to B's end but the damaged chunk's, each once;
    # the record the abandoned start at A read, which the replay to F+1
    # reads again, was counted twice)
    nread=$(($(rec_of frame_end "$3") + 1 - $(awk -v c="$CHUNK" '$1 == c { print $3 }' "$T/chunks.txt")))
    grep -q "^trim: .*$6: guest frames $(($4 + 1))..$3, $(($3 - $4)) frames, snapshot at $(($4 + 1)) (.*), [0-9]* records ($nread read), .*1 damaged chunk skipped" "$T/out.txt" ||
        fail "trim $1 $2-$3: the summary ($nread read): $(cat "$T/out.txt")"
}

# ---- 1. chunk 0 of frames 0..1, damaged ----------------------------------
rechunk "$T/z.vgt" 0 "$(first_rec 2)"
grep -q "^ *0 .* 0-1 " "$T/chunks.txt" || fail "chunk 0: $(cat "$T/chunks.txt")"
expect 2 "$VGT" trim "$T/z.vgt" --frames 0-1 -o "$T/z01.vgt" --salvage
grep -q "^vgt trim: $T/z.vgt: ${SKIP}checksum mismatch" "$T/err.txt" ||
    fail "1: the chunk: $(cat "$T/err.txt")"
tail -n 1 "$T/err.txt" | grep -qxF "vgt trim: $T/z.vgt: no record of frames 0..1 was readable: skipped chunks held them all (1 damaged chunk skipped); $T/z01.vgt not written" ||
    fail "1: the refusal: $(cat "$T/err.txt")"
[ -e "$T/z01.vgt" ] && fail "1: z01.vgt written"
# ... and replay says 0 frames of the range, exit 2
expect 2 "$VGT" replay "$T/z.vgt" --frames 0-1 --salvage
grep -q "^vgt replay: $SKIP" "$T/err.txt" || fail "1: replay: $(cat "$T/err.txt")"
# the frames after it are trimmed (frames 0..1 empty: their records lost)
expect 2 "$VGT" trim "$T/z.vgt" --frames 0-3 -o "$T/z03.vgt" --salvage
grep -q "^trim: .*z03.vgt: guest frames 0..3, 4 frames, " "$T/out.txt" || fail "1: 0-3: $(cat "$T/out.txt" "$T/err.txt")"
# chunk 0 ending inside frame 1 (before its FRAME_HASH): frame 1 lost its
# first records, 0 all of them: nothing of 0..1 to trim; 0-3 starts at 2
rechunk "$T/y.vgt" 0 "$(rec_of frame_hash 1)"
expect 2 "$VGT" trim "$T/y.vgt" --frames 0-1 -o "$T/y01.vgt" --salvage
tail -n 1 "$T/err.txt" | grep -qxF "vgt trim: $T/y.vgt: no frame of 0..1 to trim: frames 0..1 lost their first records to a skipped chunk, and frame 1's captured frame hash would not verify what is left of it; $T/y01.vgt not written" ||
    fail "1: inside frame 1: $(cat "$T/err.txt")"
[ -e "$T/y01.vgt" ] && fail "1: y01.vgt written"
trim_starts_after "$T/y.vgt" 0 3 1 "frames 0..1 lost their" "$T/y03.vgt"
expect 0 "$VGT" info "$T/y03.vgt" --json
grep -q "\"start_frame\": 2," "$T/out.txt" || fail "1: 0-3: start frame: $(cat "$T/out.txt")"

# ---- 2. the damaged chunk begins with frame B's FRAME_END -----------------
B=4
rechunk "$T/e.vgt" 1 "$(rec_of frame_end $B)" "$(first_rec $((B + 2)))"
grep -q "^ *$CHUNK .* $B-$((B + 1)) " "$T/chunks.txt" || fail "2: the chunk: $(cat "$T/chunks.txt")"
# the three verbs: exit 2, the chunk named, the frames of the range replayed
expect 2 "$VGT" replay "$T/e.vgt" --frames 2-$B --salvage
grep -q "^vgt replay: ${SKIP}checksum mismatch" "$T/err.txt" || fail "2: replay: $(cat "$T/err.txt")"
grep -q "^replay: .*e.vgt (soft backend): guest frames 2..$B, 3 frames, .*1 chunk skipped" "$T/out.txt" ||
    fail "2: replay: $(cat "$T/out.txt")"
expect 2 "$VGT" trim "$T/e.vgt" --frames 2-$B -o "$T/e24.vgt" --salvage
grep -q "^vgt trim: $T/e.vgt: ${SKIP}checksum mismatch" "$T/err.txt" || fail "2: trim: $(cat "$T/err.txt")"
grep -q "^trim: .*e24.vgt: guest frames 2..$B, 3 frames, .*1 damaged chunk skipped" "$T/out.txt" ||
    fail "2: trim: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/e24.vgt" --verify
grep -q "guest frames 2..$B, 3 frames, .*3 frames verified" "$T/out.txt" || fail "2: trim --verify: $(cat "$T/out.txt")"
expect 2 "$VGT" analyze "$T/e.vgt" --frames 2-$B --salvage --backend null --runs 1 -q --db "$T/e.sqlite"
grep -q "^vgt analyze: ${SKIP}checksum mismatch" "$T/err.txt" || fail "2: analyze: $(cat "$T/err.txt")"
tail -n 1 "$T/err.txt" | grep -qxF "vgt analyze: 1 damaged chunk skipped (--salvage): the trace is damaged; guest frame $B lost records" ||
    fail "2: analyze: $(cat "$T/err.txt")"
# without --salvage, all three stop at the chunk (the replay stopped at
# B's hash, exit 0); the range before B, whose frames' records are all
# before the chunk, exits 0
all_three 2 "$T/e.vgt" 2-$B
all_three 0 "$T/e.vgt" 2-$((B - 1)) --salvage

# ---- 3. the damaged chunk holds frame A's first records ------------------
A=6
rechunk "$T/a.vgt" 1 "$(first_rec $A)" "$(rec_of frame_hash $A)"
grep -q "^ *$CHUNK .* $A-$A " "$T/chunks.txt" || fail "3: the chunk: $(cat "$T/chunks.txt")"
trim_starts_after "$T/a.vgt" $A 9 $A "frame $A lost its" "$T/a69.vgt"
# the trim verifies, every frame, on its own
expect 0 "$VGT" replay "$T/a69.vgt" --verify
grep -q "guest frames $((A + 1))..9, 3 frames, .*3 frames verified" "$T/out.txt" ||
    fail "3: --verify: $(cat "$T/out.txt")"
expect 0 "$VGT" info "$T/a69.vgt" --json
grep -q "\"start_frame\": $((A + 1))," "$T/out.txt" || fail "3: start frame: $(cat "$T/out.txt")"
# its frames are the salvaged trace's
expect 0 "$VGT" replay "$T/a69.vgt" --screenshot "$T/S1" -q
expect 2 "$VGT" replay "$T/a.vgt" --salvage --frames $((A + 1))-9 --screenshot "$T/S2" -q
same_shots "$T/S1" "$T/S2" 3
# A alone: nothing to trim
expect 2 "$VGT" trim "$T/a.vgt" --frames $A-$A -o "$T/a66.vgt" --salvage
tail -n 1 "$T/err.txt" | grep -qxF "vgt trim: $T/a.vgt: no frame of $A..$A to trim: frame $A lost its first records to a skipped chunk, and frame $A's captured frame hash would not verify what is left of it; $T/a66.vgt not written" ||
    fail "3: A alone: $(cat "$T/err.txt")"
# A-1 whole: the trim starts at A-1 as asked
expect 2 "$VGT" trim "$T/a.vgt" --frames $((A - 1))-9 -o "$T/a59.vgt" --salvage
grep -q "the trim starts at" "$T/err.txt" && fail "3: A-1: $(cat "$T/err.txt")"
grep -q "^trim: .*a59.vgt: guest frames $((A - 1))..9, 5 frames" "$T/out.txt" || fail "3: A-1: $(cat "$T/out.txt")"
# A inside the range lost its first records: its captured hash is left
# out, said (it was copied, and the trim's --verify failed at frame A);
# every other frame verifies
grep -qxF "vgt trim: $T/a.vgt: frame $A lost records to a skipped chunk: its captured frame hash is left out of $T/a59.vgt (it would not verify what is left of the frame)" "$T/err.txt" ||
    fail "3: A-1: the hash line: $(cat "$T/err.txt")"
expect 0 "$VGT" replay "$T/a59.vgt" --verify
grep -q "guest frames $((A - 1))..9, 4 frames, .*4 frames verified" "$T/out.txt" ||
    fail "3: A-1: --verify: $(cat "$T/out.txt" "$T/err.txt")"
# (its records' frames numbered from the trim's first, A-1: A is 1)
expect 0 "$VGT" dump "$T/a59.vgt" --records
[ "$(awk '$1 ~ /^[0-9]+$/ && $4 == "frame_hash" { printf "%s ", $2 }' "$T/out.txt")" = "0 2 3 4 " ] ||
    fail "3: A-1: the hashes: $(cat "$T/out.txt")"
# the same cut by command, from frame A-1's first command: A's hash left
# out too, every other frame verifies
expect 0 "$VGT" dump "$T/c.vgt" --frames $((A - 1))
CALL=$(awk '$1 ~ /^[0-9]+$/ { print $1; exit }' "$T/out.txt")
[ -n "$CALL" ] || fail "3: no command in frame $((A - 1)): $(cat "$T/out.txt")"
# (an intact trace's cut by command to its end reads each record once:
# the record of command A, where the replay stopped, and the records of
# the look-up of IN's first command were counted twice, 90 of 80)
expect 0 "$VGT" trim "$T/c.vgt" --calls "$CALL-" -o "$T/cc.vgt"
NREC=$(awk '$1 ~ /^[0-9]+$/ { n++ } END { print n }' "$T/records.txt")
grep -q "^trim: .*cc.vgt: commands $CALL\.\..* records ($NREC read), " "$T/out.txt" ||
    fail "3: --calls of c.vgt: the records read, $NREC: $(cat "$T/out.txt")"
expect 2 "$VGT" trim "$T/a.vgt" --calls "$CALL-" -o "$T/ac.vgt" --salvage
grep -qxF "vgt trim: $T/a.vgt: frame $A lost records to a skipped chunk: its captured frame hash is left out of $T/ac.vgt (it would not verify what is left of the frame)" "$T/err.txt" ||
    fail "3: --calls: the hash line: $(cat "$T/err.txt")"
# (frames A-1..11 ended, the guest's teardown after them a partial 12)
expect 0 "$VGT" replay "$T/ac.vgt" --verify
grep -q "guest frames $((A - 1))..11, 6 frames, .*6 frames verified" "$T/out.txt" ||
    fail "3: --calls: --verify: $(cat "$T/out.txt" "$T/err.txt")"

# ---- 4. frame A-1 wholly in the damaged chunk, A whole -------------------
A=6
# (the state at A is taken at A's first record, said; every frame of the
# trim has its own records and verifies)
rechunk "$T/w.vgt" 1 "$(first_rec $((A - 1)))" "$(first_rec $A)"
grep -q "^ *$CHUNK .* $((A - 1))-$((A - 1)) " "$T/chunks.txt" || fail "4: the chunk: $(cat "$T/chunks.txt")"
expect 2 "$VGT" trim "$T/w.vgt" --frames $A-9 -o "$T/w69.vgt" --salvage
grep -qxF "vgt trim: $T/w.vgt: the state at frame $A was taken after damaged frames (frame $((A - 1))'s end was in a skipped chunk): at frame $A's first readable record" "$T/err.txt" ||
    fail "4: the state line: $(cat "$T/err.txt")"
grep -q "the trim starts at" "$T/err.txt" && fail "4: $(cat "$T/err.txt")"
grep -q "^trim: .*w69.vgt: guest frames $A..9, 4 frames, snapshot at $A (.*), .*1 damaged chunk skipped" "$T/out.txt" ||
    fail "4: the summary: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/w69.vgt" --verify
grep -q "guest frames $A..9, 4 frames, .*4 frames verified" "$T/out.txt" || fail "4: --verify: $(cat "$T/out.txt")"
# the damaged chunk begins right after frame A-2's FRAME_END: not A-2's
# damage; the three verbs read up to that end and exit 0
all_three 0 "$T/w.vgt" 2-$((A - 2)) --salvage

# ---- 5. the damaged chunk ends right after frame A's FRAME_HASH ----------
# (A's first records and its hash lost, its FRAME_END read: no hash to
# fail, so the trim starts at A as asked, A an empty frame, and verifies)
rechunk "$T/h.vgt" 1 "$(first_rec $A)" "$(rec_of frame_end $A)"
expect 2 "$VGT" trim "$T/h.vgt" --frames $A-9 -o "$T/h69.vgt" --salvage
grep -q "the trim starts at\|the state at frame" "$T/err.txt" && fail "5: $(cat "$T/err.txt")"
grep -q "^vgt trim: $T/h.vgt: ${SKIP}checksum mismatch" "$T/err.txt" || fail "5: the chunk: $(cat "$T/err.txt")"
grep -q "^trim: .*h69.vgt: guest frames $A..9, 4 frames, snapshot at $A (.*), .*1 damaged chunk skipped" "$T/out.txt" ||
    fail "5: the summary: $(cat "$T/out.txt")"
expect 0 "$VGT" replay "$T/h69.vgt" --verify
grep -q "guest frames $((A + 1))..9, 3 frames, .*3 frames verified" "$T/out.txt" || fail "5: --verify: $(cat "$T/out.txt")"

# ---- 6. the damaged chunk holds frame A's records after its first --------
# (A's first record and its FRAME_HASH read, records between them lost:
# the hash is left out and said, the trim starts where asked, and it
# verifies; it copied the hash, and its --verify failed at frame A)
F=$(first_rec $A)
H=$(rec_of frame_hash $A)
[ $((F + 1)) -lt "$H" ] || fail "6: frame $A has no record between its first, $F, and its hash, $H"
rechunk "$T/m.vgt" 1 $((F + 1)) "$H"
for from in $A $((A - 1)); do
    expect 2 "$VGT" trim "$T/m.vgt" --frames "$from-9" -o "$T/m9.vgt" --salvage
    grep -qxF "vgt trim: $T/m.vgt: frame $A lost records to a skipped chunk: its captured frame hash is left out of $T/m9.vgt (it would not verify what is left of the frame)" "$T/err.txt" ||
        fail "6: $from-9: the hash line: $(cat "$T/err.txt")"
    grep -q "the trim starts at\|the state at frame" "$T/err.txt" && fail "6: $from-9: $(cat "$T/err.txt")"
    grep -q "^trim: .*m9.vgt: guest frames $from..9, $((10 - from)) frames, snapshot at $from (.*), .*1 damaged chunk skipped" "$T/out.txt" ||
        fail "6: $from-9: the summary: $(cat "$T/out.txt")"
    # every frame with a hash verifies (A has none: from A, 7..9)
    if [ "$from" -eq "$A" ]; then first=$((A + 1)); else first=$from; fi
    expect 0 "$VGT" replay "$T/m9.vgt" --verify
    grep -q "guest frames $first..9, $((9 - from)) frames, .*$((9 - from)) frames verified" "$T/out.txt" ||
        fail "6: $from-9: --verify: $(cat "$T/out.txt" "$T/err.txt")"
done
# ---- 7. --calls from command A, A's frame lost records before A ---------
# (the batches of c.vgt as one COMMAND record a command, so that a chunk
# holds frame A's SETTRANSFORM of WORLD alone: its cube drawn with frame
# A-1's turn, not the captured picture; frame A+1 sets its own)
"$RECHUNK" --commands "$T/c.vgt" "$T/k0.vgt" || fail "7: rechunk_trace --commands"
expect 0 "$VGT" dump "$T/k0.vgt" --records
cp "$T/out.txt" "$T/krecords.txt"
expect 0 "$VGT" dump "$T/k0.vgt" --frames $A
XF=$(awk '$3 == "SETTRANSFORM" { print $1; exit }' "$T/out.txt")
CL=$(awk '$3 == "CLEAR" { print $1; exit }' "$T/out.txt")
[ -n "$XF" ] && [ "$CL" = $((XF + 1)) ] || fail "7: frame $A: no SETTRANSFORM right before a CLEAR: $(cat "$T/out.txt")"
# command_rec SEQ: the record of command SEQ (the commands' records in
# order, SEQ from 0)
command_rec() {
    awk -v s="$1" '$4 == "command" { if (n++ == s) { print $1; exit } }' "$T/krecords.txt"
}
[ "$(awk -v r="$(command_rec "$XF")" '$1 == r { print $2 }' "$T/krecords.txt")" = $A ] ||
    fail "7: command $XF's record is not in frame $A: $(cat "$T/krecords.txt")"
# (chunk 1 is SETTRANSFORM's record alone: the record after it need not
# be CLEAR's, as a register write the guest made while the device ran the
# batch can fall between them)
XR=$(command_rec "$XF")
"$RECHUNK" --commands "$T/c.vgt" "$T/k.vgt" "$XR" $((XR + 1)) ||
    fail "7: rechunk_trace --commands $XR $((XR + 1))"
"$VGT" dump "$T/k.vgt" --chunks >"$T/chunks.txt" 2>&1 || fail "7: dump --chunks: $(cat "$T/chunks.txt")"
line=$(awk '$1 == 1 { print $2, $6; exit }' "$T/chunks.txt")
[ "$(awk '$1 == 1 { print $3 }' "$T/chunks.txt")" = 1 ] || fail "7: chunk 1: $(cat "$T/chunks.txt")"
damage_body "$T/k.vgt" "${line% *}" "${line#* }"
expect 2 "$VGT" trim "$T/k.vgt" --calls "$CL-" -o "$T/kc.vgt" --salvage
grep -qxF "vgt trim: $T/k.vgt: frame $A lost records to a skipped chunk: its captured frame hash is left out of $T/kc.vgt (it would not verify what is left of the frame)" "$T/err.txt" ||
    fail "7: the hash line: $(cat "$T/err.txt")"
grep -q "^trim: .*kc.vgt: commands $CL\.\..*, guest frames $A\.\..*1 damaged chunk skipped" "$T/out.txt" ||
    fail "7: the summary: $(cat "$T/out.txt")"
# (frame A's hash left out, A+1..11 verified, the teardown a partial 12)
expect 0 "$VGT" replay "$T/kc.vgt" --verify
grep -q "guest frames $((A + 1))..11, $((11 - A)) frames, .*$((11 - A)) frames verified" "$T/out.txt" ||
    fail "7: --verify: $(cat "$T/out.txt" "$T/err.txt")"
# a cut from frame A+1's CLEAR: that frame lost nothing, its hash stays
# and verifies
expect 0 "$VGT" dump "$T/k0.vgt" --frames $((A + 1))
CL1=$(awk '$3 == "CLEAR" { print $1; exit }' "$T/out.txt")
expect 2 "$VGT" trim "$T/k.vgt" --calls "$CL1-" -o "$T/kd.vgt" --salvage
grep -q "captured frame hash is left out" "$T/err.txt" && fail "7: from $CL1: $(cat "$T/err.txt")"
expect 0 "$VGT" replay "$T/kd.vgt" --verify
grep -q "guest frames $((A + 1))..11, $((11 - A)) frames, .*$((11 - A)) frames verified" "$T/out.txt" ||
    fail "7: from $CL1: --verify: $(cat "$T/out.txt" "$T/err.txt")"
echo "cli_trim_edges: ok"
