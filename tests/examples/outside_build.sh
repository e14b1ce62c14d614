#!/bin/sh
# examples/embed_minimal.c built as an outside program is: against an
# installed vgt, with pkg-config alone and with CMake's find_package
# (docs/device.md "Building against an installed vgt"), then run (it checks
# its own pixels).
#   1. `make install` with PREFIX and DESTDIR: every file lands under
#      DESTDIR/PREFIX, the installed files are exactly the expected list
#      (no private header, nothing missing), vgt.pc and vgt-static.pc name
#      PREFIX (PREFIX is in the scratch directory too: a DESTDIR ignored,
#      as root, must not write outside it);
#   2. the public headers' own includes close over the installed set, and
#      each installed header compiles alone (-std=c11 -pedantic -Wall
#      -Wextra -Werror and the compiler's default standard), its flags from
#      the staged vgt.pc relocated with --define-variable=prefix;
#   3. `cmake --install --prefix P`, then the example
#      (a) linked with `pkg-config --cflags --libs vgt` (libvgt.so, found at
#          run time through an rpath to the pc file's libdir): its NEEDED
#          names libvgt.so.ABI, ldd finds it in P, no vgt archive went in
#          (no -lvgt_ flag, no vgt_ function defined in the program); run,
#          captured through VGT_CAPTURE (the capture hook inside
#          libvgt.so), the capture replayed --verify by the installed vgt;
#      (c) linked with `pkg-config --cflags --libs --static vgt-static`
#          (the archives), no libvgt.so in its NEEDED; run, captured,
#          replayed --verify, as before;
#   4. the installed tree moved elsewhere (relocatable: no absolute path of
#      the source, build or scratch tree in its CMake files), then
#      (b) a small CMake project with find_package(vgt MAJOR.MINOR REQUIRED
#          COMPONENTS shared static), linking vgt::vgt and vgt::vgt_static:
#          both built and run, the first through the moved libvgt.so.ABI,
#          the second without it; another minor version (newer, older)
#          and an unknown component are refused.
# Usage: outside_build.sh CC PKG_CONFIG MAKE SRCDIR BUILDDIR LIBDIR VERSION
#                         ABI_MAJOR CONFIG TMPDIR
# (LIBDIR: CMAKE_INSTALL_LIBDIR, relative to the prefix; CONFIG: the build
# type, lower case, as in vgtTargets-CONFIG.cmake.)
set -u
CC=$1 PKGC=$2 MAKE=$3 S=$4 B=$5 LIBDIR=$6 VERSION=$7 ABI=$8 CONFIG=$9
shift 9
T=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# The installed files, relative to the prefix: vgt's archives, libvgt.so
# (the file, its SONAME link, its link-time name), the headers an
# embedder's #include "vgt_capture.h" / "vgt_device.h" reaches (each
# library's vgt_<folder>.h and what those include), the CLI, the two .pc
# files, the CMake package.
# Private headers (exec3d.h, executor_internal.h, format_internal.h, ...)
# and the backends' own headers (vgt_soft.h, vgt_gl.h) are not installed.
EXPECTED_HEADERS="vgt_backend.h vgt_base.h vgt_capture.h vgt_device.h
vgt_format.h vgt_protocol.h vgt_replay.h vgt_replayer.h vgt_shader.h vgt_svga.h vgt_svga3d.h vgt_trace_records.h"
{
    echo "bin/vgt"
    for h in $EXPECTED_HEADERS; do echo "include/vgt/$h"; done
    for l in backend_gl base capture device format protocol replay soft; do echo "$LIBDIR/libvgt_$l.a"; done
    echo "$LIBDIR/libvgt.so"
    echo "$LIBDIR/libvgt.so.$ABI"
    echo "$LIBDIR/libvgt.so.$VERSION"
    echo "$LIBDIR/pkgconfig/vgt.pc"
    echo "$LIBDIR/pkgconfig/vgt-static.pc"
    for f in vgtConfig vgtConfigVersion vgtTargets "vgtTargets-$CONFIG"; do echo "$LIBDIR/cmake/vgt/$f.cmake"; done
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
for pc in vgt vgt-static; do
    grep -qx "prefix=$PF" "$ST/$LIBDIR/pkgconfig/$pc.pc" || fail "$pc.pc: no prefix=$PF (the make install PREFIX)"
done

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
for pc in vgt vgt-static; do
    grep -qx "prefix=$P" "$P/$LIBDIR/pkgconfig/$pc.pc" || fail "$pc.pc: no prefix=$P (the cmake --install --prefix)"
done
export PKG_CONFIG_PATH="$P/$LIBDIR/pkgconfig"
for pc in vgt vgt-static; do
    [ "$("$PKGC" --modversion $pc)" = "$VERSION" ] || fail "pkg-config --modversion $pc: '$("$PKGC" --modversion $pc)', not $VERSION"
done
# run_example NAME: runs $T/NAME twice (plain, then captured through
# VGT_CAPTURE into $T/NAME.vgt), then the capture replayed --verify by the
# installed vgt.
run_example() {
    env -u VGT_CAPTURE "$T/$1" >"$T/out.txt" 2>&1 || { cat "$T/out.txt" >&2; fail "$1: the outside build's run"; }
    grep -q "^vgt_example_embed: ok$" "$T/out.txt" || fail "$1: the outside build's run: not ok"
    env VGT_CAPTURE="$T/$1.vgt" "$T/$1" >"$T/out.txt" 2>&1 || { cat "$T/out.txt" >&2; fail "$1: the outside build's run with VGT_CAPTURE"; }
    grep -q "^vgt_example_embed: ok$" "$T/out.txt" || fail "$1: the outside build's run with VGT_CAPTURE: not ok"
    "$2/bin/vgt" replay "$T/$1.vgt" --backend soft --verify >"$T/out.txt" 2>&1 ||
        { cat "$T/out.txt" >&2; fail "$1: the installed vgt replay --verify"; }
    grep -q "3 frames verified" "$T/out.txt" || { cat "$T/out.txt" >&2; fail "$1: the installed vgt replay --verify: not 3 frames verified"; }
}
# no_vgt_defined EXE: no vgt function defined in the program (none came
# from an archive: they are all libvgt.so's).
no_vgt_defined() {
    nm --defined-only "$1" | grep ' [Tt] vgt_' >"$T/nm.txt" &&
        { head -5 "$T/nm.txt" >&2; fail "$1: vgt functions linked into the program (a static archive went in)"; }
    return 0
}

# (a) libvgt.so, through `pkg-config --cflags --libs vgt`
flags=$("$PKGC" --cflags --libs vgt) || fail "pkg-config --cflags --libs vgt"
case " $flags " in *" -lvgt "*) ;; *) fail "pkg-config --libs vgt: no -lvgt in '$flags'" ;; esac
case "$flags" in *-lvgt_*) fail "pkg-config --libs vgt names a static archive: '$flags'" ;; esac
libdir=$("$PKGC" --variable=libdir vgt) || fail "pkg-config --variable=libdir vgt"
[ "$libdir" = "$P/$LIBDIR" ] || fail "pkg-config --variable=libdir vgt: '$libdir', not $P/$LIBDIR"
# shellcheck disable=SC2086
"$CC" -Wall -Wextra -Werror "$S/examples/embed_minimal.c" -o "$T/embed-shared" $flags -Wl,-rpath,"$libdir" >"$T/cc.txt" 2>&1 ||
    { cat "$T/cc.txt" >&2; fail "the example does not build with: $CC embed_minimal.c $flags -Wl,-rpath,$libdir"; }
readelf -d "$T/embed-shared" | grep "(NEEDED)" >"$T/needed.txt"
grep -q "\[libvgt\.so\.$ABI\]" "$T/needed.txt" || { cat "$T/needed.txt" >&2; fail "embed-shared: libvgt.so.$ABI not in its NEEDED"; }
ldd "$T/embed-shared" >"$T/ldd.txt" 2>&1 || { cat "$T/ldd.txt" >&2; fail "ldd embed-shared"; }
grep -q "libvgt\.so\.$ABI => $P/$LIBDIR/libvgt\.so\.$ABI " "$T/ldd.txt" ||
    { cat "$T/ldd.txt" >&2; fail "embed-shared: libvgt.so.$ABI not found in $P/$LIBDIR"; }
no_vgt_defined "$T/embed-shared"
run_example embed-shared "$P"

# (c) the static archives, through `pkg-config --cflags --libs --static vgt-static`
flags=$("$PKGC" --cflags --libs --static vgt-static) || fail "pkg-config --cflags --libs --static vgt-static"
# shellcheck disable=SC2086
"$CC" -Wall -Wextra -Werror "$S/examples/embed_minimal.c" -o "$T/embed-static" $flags >"$T/cc.txt" 2>&1 ||
    { cat "$T/cc.txt" >&2; fail "the example does not build with: $CC embed_minimal.c $flags"; }
readelf -d "$T/embed-static" | grep "(NEEDED)" >"$T/needed.txt"
grep -q "libvgt" "$T/needed.txt" && { cat "$T/needed.txt" >&2; fail "embed-static: links libvgt.so"; }
run_example embed-static "$P"

# 4. the tree moved: no absolute path of the source, build or install tree
# in its CMake files; vgt.pc still names the prefix installed to (by design:
# pkg-config --define-variable=prefix relocates it, step 2b)
P2="$T/moved/vgt"
mkdir -p "$T/moved" && mv "$P" "$P2" || fail "mv $P $P2"
for d in "$S" "$B" "$T"; do
    grep -rlF "$d" "$P2/$LIBDIR/cmake" >"$T/abs.txt" &&
        { cat "$T/abs.txt" >&2; fail "the installed CMake files name $d (not relocatable)"; }
done
# (b) find_package(vgt) in a CMake project, from the moved tree
# the version check accepts the same major.minor only (0.x: a minor release
# may change the API): a newer minor is refused, and so is an older one
major_minor=${VERSION%.*}
major=${major_minor%%.*} minor=${major_minor#*.}
others="$major.$((minor + 1))"
[ "$minor" -gt 0 ] && others="$others $major.$((minor - 1))"
mkdir -p "$T/cmake-src"
cat >"$T/cmake-src/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.18)
project(vgt_embed_cmake C)
foreach(v $others)
  find_package(vgt \${v} QUIET)
  if(vgt_FOUND)
    message(FATAL_ERROR "find_package(vgt \${v}) accepted vgt \${vgt_VERSION}")
  endif()
endforeach()
find_package(vgt QUIET COMPONENTS nosuch)
if(vgt_FOUND OR NOT vgt_NOT_FOUND_MESSAGE MATCHES "no component 'nosuch'")
  message(FATAL_ERROR "find_package(vgt COMPONENTS nosuch): found \${vgt_FOUND}, '\${vgt_NOT_FOUND_MESSAGE}'")
endif()
find_package(vgt $major_minor REQUIRED COMPONENTS shared static)
message(STATUS "vgt_VERSION=\${vgt_VERSION}")
add_executable(embed_cmake_shared "$S/examples/embed_minimal.c")
target_link_libraries(embed_cmake_shared PRIVATE vgt::vgt)
add_executable(embed_cmake_static "$S/examples/embed_minimal.c")
target_link_libraries(embed_cmake_static PRIVATE vgt::vgt_static)
EOF
cmake -S "$T/cmake-src" -B "$T/cmake-build" -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$P2" -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >"$T/cmake.txt" 2>&1 ||
    { cat "$T/cmake.txt" >&2; fail "the CMake project with find_package(vgt) does not configure"; }
grep -q "vgt_VERSION=$VERSION\$" "$T/cmake.txt" || { cat "$T/cmake.txt" >&2; fail "find_package(vgt): vgt_VERSION is not $VERSION"; }
cmake --build "$T/cmake-build" -j 1 >"$T/cmake.txt" 2>&1 ||
    { cat "$T/cmake.txt" >&2; fail "the CMake project with vgt::vgt and vgt::vgt_static does not build"; }
cp "$T/cmake-build/embed_cmake_shared" "$T/cmake-build/embed_cmake_static" "$T/" || fail "cp"
ldd "$T/embed_cmake_shared" >"$T/ldd.txt" 2>&1 || { cat "$T/ldd.txt" >&2; fail "ldd embed_cmake_shared"; }
grep -q "libvgt\.so\.$ABI => $P2/$LIBDIR/libvgt\.so\.$ABI " "$T/ldd.txt" ||
    { cat "$T/ldd.txt" >&2; fail "embed_cmake_shared: libvgt.so.$ABI not found in the moved $P2/$LIBDIR"; }
no_vgt_defined "$T/embed_cmake_shared"
readelf -d "$T/embed_cmake_static" | grep "(NEEDED)" >"$T/needed.txt"
grep -q "libvgt" "$T/needed.txt" && { cat "$T/needed.txt" >&2; fail "embed_cmake_static: links libvgt.so"; }
run_example embed_cmake_shared "$P2"
run_example embed_cmake_static "$P2"
echo "example_embed_outside: ok"
