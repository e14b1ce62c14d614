# What the CLI test scripts of tests/capture share (sourced; they set T).
# fail MESSAGE: report and exit 1.
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect CODE command...: runs it, its output in $T/out.txt and $T/err.txt;
# fails unless it exits CODE.
expect() {
    code=$1; shift
    "$@" >"$T/out.txt" 2>"$T/err.txt"
    rc=$?
    [ "$rc" -eq "$code" ] || { cat "$T/out.txt" "$T/err.txt" >&2; fail "'$*' exited $rc, expected $code"; }
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
