#!/bin/sh
# shake_layout.sh VGT RECHUNK TRACE LAYOUT: rewrites the capture TRACE with
# each of its chunk boundaries moved later, onto the next record of type
# LAYOUT (frame_end, frame_hash, register_write, timing, fence,
# command_batch, ...: a type as `vgt dump --records` names it) or LAYOUT
# records on (a number), through RECHUNK (tests/capture's
# capture_rechunk_trace, which keeps every record as it is).  A boundary
# with no such record after it goes away.  make shake (tests/shake/
# run_shake.sh) runs the chunk-cutting tests with VGT_SHAKE_LAYOUT=LAYOUT,
# and tests/capture/cli_common.sh's expect passes every capture a test
# makes through here: a live capture's boundaries fall wherever the
# device's batching puts them (docs/conventions.md), and these are the
# places a test most often assumes they do not.  The rewritten trace is
# rechunk_trace's: its header names no capture chunk size or zstd level of
# the capture's.  Exit 0 done, 1 usage, 2 failure (said on stderr).
VGT=$1
RECHUNK=$2
TRACE=$3
LAYOUT=$4
if [ $# -ne 4 ] || [ -z "$LAYOUT" ]; then
    echo "usage: shake_layout.sh VGT RECHUNK TRACE LAYOUT" >&2
    exit 1
fi
tmp="$TRACE.shake-layout"
trap 'rm -f "$tmp" "$tmp.chunks" "$tmp.records"' EXIT
"$VGT" dump "$TRACE" --chunks >"$tmp.chunks" 2>&1 &&
    "$VGT" dump "$TRACE" --records >"$tmp.records" 2>&1 || {
    echo "shake_layout.sh: $TRACE: vgt dump failed: $(tail -n 3 "$tmp.chunks" "$tmp.records" 2>/dev/null)" >&2
    exit 2
}
# The capture's boundaries: the FIRST_REC of every chunk after the first.
# Each one moved: to the first record from it on whose TYPE is LAYOUT, or
# LAYOUT records on; kept ascending and once (two boundaries can move onto
# one record).
cuts=$(awk -v layout="$LAYOUT" '
    FNR == 1 { file++; next }
    file == 1 && $1 ~ /^[0-9]+$/ && $1 > 0 { bound[++nb] = $4; next }
    file == 2 && $1 ~ /^[0-9]+$/ { nrec = $1 + 1; type[$1] = $4 }
    END {
        last = 0
        for (i = 1; i <= nb; i++) {
            b = bound[i]
            if (layout ~ /^[0-9]+$/) {
                r = b + layout
            } else {
                for (r = b; r < nrec && type[r] != layout; r++) { }
            }
            if (r < nrec && r > last) { printf "%s%d", (last ? " " : ""), r; last = r }
        }
    }' "$tmp.chunks" "$tmp.records")
if [ -z "$cuts" ]; then
    exit 0 # no boundary with such a record after it: the capture as it is
fi
# shellcheck disable=SC2086 # the record numbers, one argument each
"$RECHUNK" "$TRACE" "$tmp" $cuts >&2 || {
    echo "shake_layout.sh: $TRACE: rechunk_trace failed (layout $LAYOUT, cuts $cuts)" >&2
    exit 2
}
mv "$tmp" "$TRACE" || exit 2
