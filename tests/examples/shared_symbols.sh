#!/bin/sh
# libvgt.so exports exactly the functions the installed headers declare
# (cmake/vgt_shared.cmake): vgt installed into a scratch prefix, then
#   - the declared set: every installed header included into one file and
#     compiled by gcc with -aux-info, which writes each function declaration
#     the compiler saw with the file it came from; those from the installed
#     include/vgt/, not static (the headers' static inline helpers are the
#     embedder's own copies), each named vgt_;
#   - the exported set: `nm -D --defined-only` of the installed libvgt.so,
#     each a function (T);
#   - the two sets equal, both ways: a declared function not exported (a
#     public header without its visibility pragma, a definition that does
#     not see its header) and an exported one not declared (an internal
#     function made visible) both fail, named;
#   - every exported function is versioned (name@@VGT_0.N, the version
#     script cmake/vgt_shared.map), the newest node is the project's own
#     VGT_MAJOR.MINOR, and a program linked against the library records
#     that node among the versions it needs from libvgt.so.ABI_MAJOR;
#   - the library's SONAME is libvgt.so.ABI_MAJOR, the installed names are
#     libvgt.so -> libvgt.so.ABI_MAJOR -> libvgt.so.VERSION, it has no text
#     relocations (its objects are position-independent) and no RPATH or
#     RUNPATH (nothing of the build tree).
# Usage: shared_symbols.sh GCC NM READELF BUILDDIR LIBDIR VERSION ABI_MAJOR TMPDIR
set -u
GCC=$1 NM=$2 READELF=$3 B=$4 LIBDIR=$5 VERSION=$6 ABI=$7 T=$8
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"
trap 'rm -rf "$T"' EXIT

P="$T/prefix"
cmake --install "$B" --prefix "$P" >"$T/install.txt" 2>&1 || { cat "$T/install.txt" >&2; fail "cmake --install --prefix $P"; }
INC="$P/include/vgt"
L="$P/$LIBDIR"

# The library's names and ELF header.
[ "$(readlink "$L/libvgt.so")" = "libvgt.so.$ABI" ] || fail "libvgt.so links to '$(readlink "$L/libvgt.so")', not libvgt.so.$ABI"
[ "$(readlink "$L/libvgt.so.$ABI")" = "libvgt.so.$VERSION" ] ||
    fail "libvgt.so.$ABI links to '$(readlink "$L/libvgt.so.$ABI")', not libvgt.so.$VERSION"
[ -f "$L/libvgt.so.$VERSION" ] && [ ! -h "$L/libvgt.so.$VERSION" ] || fail "libvgt.so.$VERSION: not a file"
"$READELF" -d "$L/libvgt.so.$VERSION" >"$T/dynamic.txt" || fail "readelf -d libvgt.so.$VERSION"
grep -q "(SONAME).*\[libvgt\.so\.$ABI\]" "$T/dynamic.txt" || { cat "$T/dynamic.txt" >&2; fail "libvgt.so: SONAME is not libvgt.so.$ABI"; }
grep -q "(TEXTREL)" "$T/dynamic.txt" && fail "libvgt.so has text relocations (an object not built position-independent)"
grep -q "(RPATH)\|(RUNPATH)" "$T/dynamic.txt" && { grep "(RPATH)\|(RUNPATH)" "$T/dynamic.txt" >&2; fail "the installed libvgt.so has an RPATH/RUNPATH"; }

# The declared set.
n=0
for h in "$INC"/*.h; do
    echo "#include \"$(basename "$h")\"" >>"$T/all.c"
    n=$((n + 1))
done
[ "$n" -ge 12 ] || fail "$n installed headers, at least 12 expected"
"$GCC" -std=c11 -I"$INC" -aux-info "$T/aux.txt" -c "$T/all.c" -o "$T/all.o" >"$T/cc.txt" 2>&1 ||
    { cat "$T/cc.txt" >&2; fail "$GCC -aux-info over the installed headers"; }
# A line: /* FILE:LINE:NC */ extern TYPE NAME (PARAMS); (NF: defined there).
# The name is the identifier before the first " (" that does not open a
# declarator "(*" (a function returning a function pointer).
awk -v inc="$INC/" '
    /^\/\* / {
        loc = $2
        if (index(loc, inc) != 1) next
        decl = $0
        sub(/^\/\* [^ ]* \*\/ /, "", decl)
        if (decl ~ /^static /) next
        if (!match(decl, /[A-Za-z_][A-Za-z0-9_]* \([^*]/)) { print "UNPARSED " $0; next }
        name = substr(decl, RSTART, RLENGTH)
        sub(/ \(.*$/, "", name)
        print name
    }' "$T/aux.txt" | LC_ALL=C sort -u >"$T/declared.txt"
grep "^UNPARSED " "$T/declared.txt" >&2 && fail "a declaration the test cannot read (above)"
grep -v '^vgt_' "$T/declared.txt" >&2 && fail "an installed header declares a function not named vgt_ (above)"
nd=$(wc -l <"$T/declared.txt")
[ "$nd" -ge 200 ] || fail "only $nd functions declared by the installed headers: the -aux-info parse is broken"

# The exported set.
# nm prints a version node as an absolute symbol (A VGT_0.1) and each
# versioned function as NAME@@NODE.
"$NM" -D --defined-only "$L/libvgt.so.$VERSION" >"$T/nm.txt" || fail "nm -D libvgt.so"
awk '!($2 == "T" || ($2 == "A" && $3 ~ /^VGT_[0-9]+\.[0-9]+$/)) { print }' "$T/nm.txt" >"$T/notfn.txt"
[ -s "$T/notfn.txt" ] && { cat "$T/notfn.txt" >&2; fail "libvgt.so exports symbols other than functions and VGT_ version nodes (above)"; }
awk '$2 == "T" && $3 !~ /@@VGT_[0-9]+\.[0-9]+$/ { print }' "$T/nm.txt" >"$T/unversioned.txt"
[ -s "$T/unversioned.txt" ] && { cat "$T/unversioned.txt" >&2; fail "functions exported without a VGT_ version node (above)"; }
awk '$2 == "T" { sub(/@@.*$/, "", $3); print $3 }' "$T/nm.txt" | LC_ALL=C sort -u >"$T/exported.txt"
NODE="VGT_$(echo "$VERSION" | cut -d. -f1-2)"
newest=$(awk '$2 == "A" { print $3 }' "$T/nm.txt" | sort -t. -k2,2n | tail -n 1)
[ "$newest" = "$NODE" ] || fail "libvgt.so's newest version node is '$newest', not $NODE (the project's major.minor): a release adds its node to cmake/vgt_shared.map"

# A program linked against the installed library needs NODE from it.
fn=$(head -n 1 "$T/declared.txt")
# (Referenced, never called: the program only has to link, not run.)
printf 'extern void %s(void);\nint main(int argc, char **argv) { (void)argv; if (argc > 1000) %s(); return 0; }\n' "$fn" "$fn" >"$T/needs.c"
"$GCC" "$T/needs.c" -o "$T/needs" -L"$L" -lvgt -Wl,--allow-shlib-undefined >"$T/ld.txt" 2>&1 ||
    { cat "$T/ld.txt" >&2; fail "linking a program against the installed libvgt.so"; }
"$READELF" -V -W "$T/needs" >"$T/needs.txt" || fail "readelf -V of the linked program"
awk -v lib="libvgt.so.$ABI" -v node="$NODE" '
    /File: / { infile = ($0 ~ ("File: " lib "([^0-9]|$)")) }
    infile && $0 ~ ("Name: " node "([^0-9]|$)") { found = 1 }
    END { exit !found }' "$T/needs.txt" ||
    { cat "$T/needs.txt" >&2; fail "a program linked against libvgt.so does not record $NODE from libvgt.so.$ABI (above)"; }

LC_ALL=C comm -23 "$T/declared.txt" "$T/exported.txt" >"$T/missing.txt"
LC_ALL=C comm -13 "$T/declared.txt" "$T/exported.txt" >"$T/extra.txt"
[ -s "$T/missing.txt" ] && { cat "$T/missing.txt" >&2; fail "declared by the installed headers, not exported by libvgt.so (above)"; }
[ -s "$T/extra.txt" ] && { cat "$T/extra.txt" >&2; fail "exported by libvgt.so, declared by no installed header (above)"; }
echo "shared_symbols: ok ($nd functions declared and exported, each @@$NODE; a program linked against it needs $NODE)"
