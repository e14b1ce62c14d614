#!/bin/sh
# examples/embed_minimal.c built as an outside program is: against an
# installed vgt, with pkg-config alone (docs/device.md "Building against an
# installed vgt"), then run (it checks its own pixels).
#   1. `make install` with PREFIX and DESTDIR: every file lands under
#      DESTDIR/PREFIX, the installed files are exactly the expected list
#      (no private header, nothing missing), vgt.pc names PREFIX (PREFIX
#      is in the scratch directory too: a DESTDIR ignored, as root, must
#      not write outside it);
#   2. the public headers' own includes close over the installed set, and
#      each installed header compiles alone (-std=c11 -pedantic -Wall
#      -Wextra -Werror and the compiler's default standard), its flags from
#      the staged vgt.pc relocated with --define-variable=prefix;
#   3. `cmake --install --prefix`, the example compiled and linked with
#      `pkg-config --cflags --libs --static vgt` only and run; captured
#      through VGT_CAPTURE and replayed --verify by the installed bin/vgt.
# Usage: outside_build.sh CC PKG_CONFIG MAKE SRCDIR BUILDDIR LIBDIR VERSION TMPDIR
# (LIBDIR: CMAKE_INSTALL_LIBDIR, relative to the prefix.)
set -u
CC=$1 PKGC=$2 MAKE=$3 S=$4 B=$5 LIBDIR=$6 VERSION=$7 T=$8
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# The installed files, relative to the prefix: vgt's archives, the headers
# an embedder's #include "vgt_capture.h" / "vgt_device.h" reaches (each
# library's vgt_<folder>.h and what those include), the CLI, the .pc.
# Private headers (exec3d.h, executor_internal.h, format_internal.h, ...)
# and the backends' own headers (vgt_soft.h, vgt_gl.h) are not installed.
EXPECTED_HEADERS="vgt_backend.h vgt_base.h vgt_capture.h vgt_device.h
vgt_format.h vgt_protocol.h vgt_replay.h vgt_replayer.h vgt_shader.h vgt_svga.h vgt_svga3d.h vgt_trace_records.h"
{
    echo "bin/vgt"
    for h in $EXPECTED_HEADERS; do echo "include/vgt/$h"; done
    for l in backend_gl base capture device format protocol replay soft; do echo "$LIBDIR/libvgt_$l.a"; done
    echo "$LIBDIR/pkgconfig/vgt.pc"
} | LC_ALL=C sort >"$T/expected.txt"

# 1. make install PREFIX=T/opt/vgt DESTDIR=T/stage (the build is up to
# date: make's build step finds nothing to do)
PF="$T/opt/vgt"
"$MAKE" -s -C "$S" install BUILD="$B" JOBS=1 PREFIX="$PF" DESTDIR="$T/stage" >"$T/make.txt" 2>&1 ||
    { cat "$T/make.txt" >&2; fail "make install PREFIX=$PF DESTDIR=$T/stage"; }
[ -e "$PF" ] && fail "make install: DESTDIR ignored, files in PREFIX $PF itself"
ST="$T/stage$PF"
[ "$(cd "$T/stage" && find . ! -type d | grep -v "^\.$PF/")" = "" ] ||
    fail "make install: files outside DESTDIR/PREFIX: $(cd "$T/stage" && find . ! -type d | grep -v "^\.$PF/")"
(cd "$ST" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort) >"$T/installed.txt"
diff "$T/expected.txt" "$T/installed.txt" >"$T/diff.txt" ||
    { cat "$T/diff.txt" >&2; fail "make install: the installed files differ from the expected list (< expected, > installed)"; }
grep -qx "prefix=$PF" "$ST/$LIBDIR/pkgconfig/vgt.pc" || fail "vgt.pc: no prefix=$PF (the make install PREFIX)"

# 2a. the headers' closure: from each library's public header, the quoted
# includes, transitively, taken from the source tree.  Must be exactly the
# installed set (nothing missing, nothing private leaking in).
srcof() { # a bare header name -> its one file in the library folders
    n=$(find "$S/base" "$S/format" "$S/protocol" "$S/replay" "$S/device" "$S/capture" -name "$1" | wc -l)
    [ "$n" = 1 ] || fail "header $1: $n files of that name in the library folders"
    find "$S/base" "$S/format" "$S/protocol" "$S/replay" "$S/device" "$S/capture" -name "$1"
}
todo="vgt_base.h vgt_format.h vgt_protocol.h vgt_replay.h vgt_device.h vgt_capture.h"
seen=""
while [ -n "$todo" ]; do
    set -- $todo
    h=$1
    shift
    todo="$*"
    case " $seen " in *" $h "*) continue ;; esac
    seen="$seen $h"
    f=$(srcof "$h") || exit 1
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        todo="$todo $inc"
    done
done
echo $seen | tr ' ' '\n' | LC_ALL=C sort >"$T/closure.txt"
ls "$ST/include/vgt" | LC_ALL=C sort >"$T/headers.txt"
diff "$T/closure.txt" "$T/headers.txt" >"$T/diff.txt" ||
    { cat "$T/diff.txt" >&2; fail "the public headers include (< closure) other than what is installed (> installed)"; }

# 2b. each installed header alone, flags from the staged vgt.pc (its
# paths are relative to ${prefix}; pkgconf's --define-variable rewrites
# every module's prefix, libpng's -I too: harmless, no header uses it)
export PKG_CONFIG_PATH="$ST/$LIBDIR/pkgconfig"
cflags=$("$PKGC" --define-variable=prefix="$ST" --cflags vgt) || fail "pkg-config --cflags vgt (staged)"
case "$cflags" in *"-I$ST/include/vgt"*) ;; *) fail "pkg-config --cflags vgt (staged): no -I$ST/include/vgt in '$cflags'" ;; esac
n=0
for h in $(cat "$T/headers.txt"); do
    printf '#include "%s"\nint vgt_header_alone_%s;\n' "$h" "$n" >"$T/alone.c"
    for std in "-std=c11 -pedantic" ""; do
        # shellcheck disable=SC2086
        "$CC" $std -Wall -Wextra -Werror $cflags -c "$T/alone.c" -o "$T/alone.o" >"$T/cc.txt" 2>&1 ||
            { cat "$T/cc.txt" >&2; fail "installed header $h does not compile alone (${std:-default standard})"; }
    done
    n=$((n + 1))
done
[ "$n" = 12 ] || fail "$n installed headers compiled, 12 expected"

# 3. cmake --install --prefix P, the example built with pkg-config alone
P="$T/prefix"
cmake --install "$B" --prefix "$P" >"$T/install.txt" 2>&1 || { cat "$T/install.txt" >&2; fail "cmake --install --prefix $P"; }
grep -qx "prefix=$P" "$P/$LIBDIR/pkgconfig/vgt.pc" || fail "vgt.pc: no prefix=$P (the cmake --install --prefix)"
export PKG_CONFIG_PATH="$P/$LIBDIR/pkgconfig"
[ "$("$PKGC" --modversion vgt)" = "$VERSION" ] || fail "pkg-config --modversion vgt: '$("$PKGC" --modversion vgt)', not $VERSION"
flags=$("$PKGC" --cflags --libs --static vgt) || fail "pkg-config --cflags --libs --static vgt"
# shellcheck disable=SC2086
"$CC" -Wall -Wextra -Werror "$S/examples/embed_minimal.c" -o "$T/embed" $flags >"$T/cc.txt" 2>&1 ||
    { cat "$T/cc.txt" >&2; fail "the example does not build with: $CC embed_minimal.c $flags"; }
env -u VGT_CAPTURE "$T/embed" >"$T/out.txt" 2>&1 || { cat "$T/out.txt" >&2; fail "the outside build's run"; }
grep -q "^vgt_example_embed: ok$" "$T/out.txt" || fail "the outside build's run: not ok"
env VGT_CAPTURE="$T/embed.vgt" "$T/embed" >"$T/out.txt" 2>&1 || { cat "$T/out.txt" >&2; fail "the outside build's run with VGT_CAPTURE"; }
grep -q "^vgt_example_embed: ok$" "$T/out.txt" || fail "the outside build's run with VGT_CAPTURE: not ok"
"$P/bin/vgt" replay "$T/embed.vgt" --backend soft --verify >"$T/out.txt" 2>&1 ||
    { cat "$T/out.txt" >&2; fail "the installed vgt replay --verify"; }
grep -q "3 frames verified" "$T/out.txt" || { cat "$T/out.txt" >&2; fail "the installed vgt replay --verify: not 3 frames verified"; }
echo "example_embed_outside: ok"
