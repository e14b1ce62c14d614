#!/bin/sh
# examples/embed_minimal.c built as an outside program is: no CMake target,
# only the include paths and the libraries docs/device.md ("The device
# API", Building) lists, then run (it checks its own pixels).
# Usage: outside_build.sh CC SRCDIR BUILDDIR HAVE_X11 TMPDIR
set -u
CC=$1 S=$2 B=$3 X11=$4 T=$5
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
x11=""
[ "$X11" = 1 ] && x11="-lX11"
# shellcheck disable=SC2086
"$CC" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
    -I"$S/capture" -I"$S/device" -I"$S/replay" -I"$S/protocol" -I"$S/format" -I"$S/base" \
    "$S/examples/embed_minimal.c" -o "$T/embed" \
    "$B/capture/libvgt_capture.a" "$B/device/libvgt_device.a" "$B/replay/libvgt_replay.a" \
    "$B/replay/backends/soft/libvgt_soft.a" "$B/replay/backends/gl/libvgt_backend_gl.a" \
    "$B/protocol/libvgt_protocol.a" "$B/format/libvgt_format.a" "$B/base/libvgt_base.a" \
    -lepoxy -lEGL $x11 -lzstd -lxxhash -lpng -lpthread -lm >"$T/cc.txt" 2>&1 ||
    { cat "$T/cc.txt" >&2; fail "the documented command does not build the example"; }
env -u VGT_CAPTURE "$T/embed" >"$T/out.txt" 2>&1 || { cat "$T/out.txt" >&2; fail "the outside build's run"; }
grep -q "^vgt_example_embed: ok$" "$T/out.txt" || fail "the outside build's run: not ok"
echo "example_embed_outside: ok"
