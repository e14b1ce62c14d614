# What the CLI test scripts of tests/capture share (sourced; they set T).
. "$(dirname "$0")/../common/python3.sh"
# fail MESSAGE: report and exit 1.
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect CODE command...: runs it, its output in $T/out.txt and $T/err.txt;
# fails unless it exits CODE.
expect() {
    code=$1; shift
    "$@" >"$T/out.txt" 2>"$T/err.txt"
    rc=$?
    [ "$rc" -eq "$code" ] || { cat "$T/out.txt" "$T/err.txt" >&2; fail "'$*' exited $rc, expected $code"; }
    [ -z "${VGT_SHAKE_LAYOUT:-}" ] || shake_layout "$@"
}
# shake_layout command...: make shake's layout runs only (VGT_SHAKE_LAYOUT
# set, docs/conventions.md): the capture a `vgt run` made (--capture FILE
# or VGT_CAPTURE) gets its chunk boundaries moved onto the next record of
# that type or that many records on (tests/shake/shake_layout.sh).
shake_layout() {
    [ "$2" = run ] || return 0
    shake_cap=${VGT_CAPTURE:-}
    while [ $# -gt 1 ]; do
        [ "$1" = --capture ] && shake_cap=$2
        shift
    done
    [ -n "$shake_cap" ] && [ -f "$shake_cap" ] || return 0
    sh "$(dirname "$0")/../shake/shake_layout.sh" "$VGT" "${VGT_SHAKE_RECHUNK:?make shake sets it}" \
        "$shake_cap" "$VGT_SHAKE_LAYOUT" || fail "shake_layout $VGT_SHAKE_LAYOUT of $shake_cap"
}
# count_of N NOUN: "N NOUN", "N NOUNs" when N is not 1, as the summaries
# say a count (vgt_cli_plural): for a count a capture's chunk layout decides
# (docs/conventions.md), which is 1 in some runs.
count_of() {
    if [ "$1" -eq 1 ]; then echo "$1 $2"; else echo "$1 $2s"; fi
}
# same_shots DIR REF COUNT: every REF/frame-*.png is in DIR byte for byte,
# and there are COUNT of them.
same_shots() {
    n=0
    for f in "$2"/frame-*.png; do
        cmp -s "$f" "$1/$(basename "$f")" || fail "$1: $(basename "$f") differs from $2"
        n=$((n + 1))
    done
    [ "$n" -eq "$3" ] || fail "expected $3 screenshots in $2, found $n"
}
# damage IN OUT PATTERN: OUT is IN with 8 bytes overwritten in the middle of
# the body of IN's first chunk whose frame range (vgt dump --chunks: A-B)
# matches the awk regex PATTERN; sets CHUNK and OFFSET (its index and file
# offset, as the reader's messages name it).  Needs VGT.
damage() {
    "$VGT" dump "$1" --chunks >"$T/chunks.txt" 2>&1 || fail "vgt dump $1 --chunks"
    line=$(awk -v p="$3" '$5 ~ p { print $1, $2, $6; exit }' "$T/chunks.txt")
    [ -n "$line" ] || fail "no chunk of frames $3 in $1"
    CHUNK=${line%% *}
    OFFSET=$(echo "$line" | cut -d' ' -f2)
    body=${line##* }
    cp "$1" "$2" || fail "cp $1 $2"
    damage_body "$2" "$OFFSET" "$body"
}
# damage_body TRACE OFFSET BODY: overwrites 8 bytes in the middle of the
# body (BODY compressed bytes) of TRACE's chunk at file offset OFFSET.
damage_body() {
    printf '\001\002\003\004\005\006\007\010' |
        dd of="$1" bs=1 seek=$(($2 + 40 + $3 / 2)) conv=notrunc 2>/dev/null || fail "dd"
}
# frame_end_chunk TRACE FIRST [END]: sets SPAN to the FRAMES range A-B (vgt
# dump --chunks) of TRACE's first chunk whose records run from a frame A >= FIRST
# into a later one B (so it holds A's frame end), with B < END when END is
# given; fails when there is none.  Which chunk that is, and its range,
# depend on how the device batched the guest's commands into records, which
# changes from run to run (under load the same capture of cube in 4 KiB
# chunks read 0-3 3-10 10-12 or 0-3 3-9 9-12), so a test looks the chunk up
# instead of naming its frames.  Use it as damage's PATTERN: "^$SPAN\$".
frame_end_chunk() {
    "$VGT" dump "$1" --chunks >"$T/chunks.txt" 2>&1 || fail "vgt dump $1 --chunks"
    SPAN=$(awk -v a="$2" -v e="${3:-}" '$1 ~ /^[0-9]+$/ && $5 ~ /^[0-9]+-[0-9]+$/ {
        split($5, f, "-")
        if (f[1] >= a && f[2] > f[1] && (e == "" || f[2] < e)) { print $5; exit }
    }' "$T/chunks.txt")
    [ -n "$SPAN" ] || fail "no chunk of $1 holds a frame end from frame $2 on${3:+ before $3}: $(cat "$T/chunks.txt")"
}
