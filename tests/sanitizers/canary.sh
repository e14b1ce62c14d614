#!/bin/sh
# Runs sanitizer_canary's three defects (make asan's tree only) and checks
# that each dies with a sanitizer report naming sanitizer_canary.c and the
# defect's line (the line marked CANARY KIND in the source).
# Usage: canary.sh CANARY_BINARY SOURCE
set -u
BIN=$1 SRC=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
for kind in overflow float-cast heap; do
    line=$(grep -n "CANARY $kind:" "$SRC" | cut -d: -f1)
    [ -n "$line" ] || fail "no CANARY $kind line in $SRC"
    out=$("$BIN" "$kind" 1 2>&1) && fail "$kind: the canary exited 0 (no sanitizer stopped it): $out"
    # a trap that no sanitizer reported is a bare SIGILL: the shell's 132
    echo "$out" | grep -q "sanitizer_canary.c:$line" ||
        fail "$kind: no report naming sanitizer_canary.c:$line (UBSan's traps need ASAN_OPTIONS=handle_sigill=1, as make asan sets):
$out"
    case $kind in
    heap) echo "$out" | grep -q "heap-buffer-overflow" || fail "heap: no heap-buffer-overflow report: $out" ;;
    *) echo "$out" | grep -Eq "AddressSanitizer: ILL|runtime error" || fail "$kind: neither a trap's nor UBSan's report: $out" ;;
    esac
    echo "$kind: reported at sanitizer_canary.c:$line"
done
# the same binary without a defect runs clean
"$BIN" overflow 0 >/dev/null 2>&1 || fail "overflow 0 (no defect) failed"
"$BIN" heap 0 >/dev/null 2>&1 || fail "heap 0 (no defect) failed"
