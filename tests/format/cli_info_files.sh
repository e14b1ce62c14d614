#!/bin/sh
# cli_info_files.sh VGT MAKE_TRACE DIR: `vgt info` on what is not a trace
# (an empty file, zeros, a cut header, a directory, a FIFO, "-"): one clear
# line naming the file and what is wrong, exit 2, never a hang or a crash;
# a file that is only a header is an empty trace without its footer.  A
# FIFO used to block the open (no writer ever came): the reader opens
# without waiting and refuses it as not a regular file.
NAME=cli_info_files
. "$(dirname "$0")/cli_format_common.sh"
# expect_error FILE MESSAGE: exit 2, MESSAGE the whole of stderr, nothing on stdout
expect_error() {
    timeout 60 "$VGT" info "$1" </dev/null >"$T/out.txt" 2>"$T/err.txt"
    rc=$?
    [ $rc -eq 2 ] || fail "$1: exit $rc, wanted 2: $(cat "$T/err.txt")"
    [ "$(cat "$T/err.txt")" = "$2" ] || fail "$1: '$(cat "$T/err.txt")', wanted '$2'"
    [ -s "$T/out.txt" ] && fail "$1: printed $(cat "$T/out.txt")"
    return 0
}
: >"$T/empty"
expect_error "$T/empty" "vgt info: $T/empty: not a vgt trace (0 bytes, shorter than a header)"
head -c 4096 /dev/zero >"$T/zeros"
expect_error "$T/zeros" "vgt info: $T/zeros: not a vgt trace (bad magic at offset 0)"
"$MK" "$T/t.vgt" intact || fail "make_trace"
head -c 50 "$T/t.vgt" >"$T/half"
expect_error "$T/half" "vgt info: $T/half: not a vgt trace (50 bytes, shorter than a header)"
mkdir "$T/dir"
expect_error "$T/dir" "vgt info: $T/dir: not a regular file"
mkfifo "$T/fifo" || fail "mkfifo"
expect_error "$T/fifo" "vgt info: $T/fifo: not a regular file"
expect_error - "vgt info: -: cannot open: No such file or directory"
# only the header (the first chunk's offset): an empty trace, not closed
off=$("$VGT" dump --chunks "$T/t.vgt" | awk '$1 == "0" { print $2 }')
[ -n "$off" ] || fail "no chunk 0 in $("$VGT" dump --chunks "$T/t.vgt")"
head -c "$off" "$T/t.vgt" >"$T/header"
"$VGT" info "$T/header" >"$T/out.txt" 2>"$T/err.txt"
[ $? -eq 2 ] || fail "header only: not exit 2"
grep -qx "records: *0" "$T/out.txt" && grep -qx "chunks: *0" "$T/out.txt" &&
    grep -qx "integrity: *1 problem(s)" "$T/out.txt" &&
    grep -qx "  - no footer index (the trace was not closed); index rebuilt from the chunks" "$T/out.txt" ||
    fail "header only: $(cat "$T/out.txt")"
grep -q "readable part" "$T/out.txt" && fail "header only, a readable part: $(cat "$T/out.txt")"
echo "cli_info_files: ok"
