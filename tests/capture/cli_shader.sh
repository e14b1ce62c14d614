#!/bin/sh
# vgt shader list / extract on captures: every sample whose capture holds a
# SHADER_DEFINE (shaders, instanced, deferred; the others none) lists as
# many defines as vgt dump shows, with the draws per define counted again
# here from vgt dump --json by jq (bindings per context and type); every
# .asm extract writes assembles back into its .bin byte for byte, also for
# a guest's fxc bytecode with its CTAB, comment blocks and words after the
# end token (make_ctab_trace), and an edited one keeps its CTAB; an
# assembler error names its line:column; --json lines parse; --frames selects; a trimmed capture's snapshot; usage errors (1); a missing
# and a damaged trace (2), --salvage going on past the chunk.
# Usage: cli_shader.sh VGT TMPDIR MAKE_CTAB_TRACE
set -u
VGT=$1
T=$2
MAKE_CTAB=$3
. "$(dirname "$0")/cli_common.sh"
rm -rf "$T" && mkdir -p "$T" || fail "mkdir $T"

# The draws per define (its seq) from vgt dump --json, independently of
# replay/shader_list.c: a define replaces its (cid, type, id), SET_SHADER
# binds an id, SHADER_DESTROY of the bound id unbinds, a context's destroy
# drops its shaders and bindings; a DRAW_PRIMITIVES counts for the bound.
DRAWS_JQ='reduce (inputs | select(.type == "command")) as $c ({def: {}, bound: {}, draws: {}};
  ($c.args.cid | tostring) as $cid |
  if $c.cmd == "SHADER_DEFINE" then
    .def["\($cid)/\($c.args.type)/\($c.args.shid)"] = ($c.seq | tostring) |
    .draws[$c.seq | tostring] = 0
  elif $c.cmd == "SET_SHADER" then .bound["\($cid)/\($c.args.type)"] = $c.args.shid
  elif $c.cmd == "SHADER_DESTROY" then
    del(.def["\($cid)/\($c.args.type)/\($c.args.shid)"]) |
    if .bound["\($cid)/\($c.args.type)"] == $c.args.shid then del(.bound["\($cid)/\($c.args.type)"]) else . end
  elif $c.cmd == "CONTEXT_DESTROY" then
    .def |= with_entries(select(.key | startswith("\($cid)/") | not)) |
    .bound |= with_entries(select(.key | startswith("\($cid)/") | not))
  elif $c.cmd == "DRAW_PRIMITIVES" then
    reduce ("VS", "PS") as $t (.;
      .def["\($cid)/\($t)/\(.bound["\($cid)/\($t)"])"] as $d |
      if $d then .draws[$d] += 1 else . end)
  else . end) | .draws'

total_defines=0
for s in $("$VGT" samples | awk '{print $1}'); do
    case $s in static-vertex|dynamic-vertex|filled-triangles|draw-calls|fbtrace) continue ;; esac
    expect 0 "$VGT" run "$s" --frames 3 --capture "$T/$s.vgt"
    expect 0 "$VGT" dump "$T/$s.vgt" --only SHADER_DEFINE --json
    want=$(grep -c '"cmd":"SHADER_DEFINE"' "$T/out.txt")
    expect 0 "$VGT" shader list "$T/$s.vgt" --json
    got=$(jq -s '[.[] | select(.type == "shader")] | length' "$T/out.txt") || fail "$s: --json does not parse"
    [ "$got" = "$want" ] || fail "$s: $got defines listed, vgt dump shows $want"
    jq -e 'select(.type == "summary") | .defines' "$T/out.txt" | grep -qx "$want" || fail "$s: summary"
    total_defines=$((total_defines + want))
    [ "$want" -eq 0 ] && continue
    # draws per define: the listing's against jq's count from the dump
    jq -S -s '[.[] | select(.type == "shader") | {key: (.seq | tostring), value: .draws}] | from_entries' \
        "$T/out.txt" >"$T/list-draws.json" || fail "$s: draws"
    "$VGT" dump "$T/$s.vgt" --json --only SHADER_DEFINE,SET_SHADER,SHADER_DESTROY,CONTEXT_DESTROY,DRAW_PRIMITIVES |
        jq -S -n "$DRAWS_JQ" >"$T/dump-draws.json" || fail "$s: jq over the dump"
    cmp -s "$T/list-draws.json" "$T/dump-draws.json" ||
        fail "$s: draws per define differ: $(cat "$T/list-draws.json") against $(cat "$T/dump-draws.json")"
    # every .asm assembles back into its .bin
    rm -rf "$T/x"
    expect 0 "$VGT" shader extract "$T/$s.vgt" --dir "$T/x"
    n=0
    for b in "$T"/x/*.bin; do
        expect 0 "$VGT" shader asm "${b%.bin}.asm" -o "$T/rt.bin"
        cmp -s "$b" "$T/rt.bin" || fail "$s: $(basename "$b") does not assemble back from its .asm"
        n=$((n + 1))
    done
    [ "$n" -eq "$want" ] || fail "$s: $n .bin files, $want defines"
    # the .bin is the define's bytecode: its size is TOKENS words
    jq -r 'select(.type == "shader") | "c\(.cid)-\(.shader_type)\(.shid)-\(.seq).bin \(.tokens * 4)"' \
        "$T/out.txt" >"$T/sizes.txt"
    while read -r f size; do
        [ "$(wc -c <"$T/x/$f")" -eq "$size" ] || fail "$s: $f is not $size bytes"
    done <"$T/sizes.txt"
done
# shaders, instanced and deferred define 2, 2 and 5; no other sample any
[ "$total_defines" -eq 9 ] || fail "$total_defines defines in all the samples, expected 9"

# deferred in text: its five defines, the draws each ran (48 + 12 a frame
# over 4 frames: vs1/ps1 the G-buffer's 12 cubes, vs2 the lighting pass
# and the 3 thumbnails, ps2 lighting, ps3 thumbnails); captured in 4 KiB
# chunks (the listing is by command, whatever the chunks), so that the
# damaged trace below has chunks after frame 0 to damage
expect 0 "$VGT" run deferred --frames 4 --capture "$T/d.vgt" --capture-chunk 4
expect 0 "$VGT" shader list "$T/d.vgt"
grep -q "^ *20 *0 *1 *vs *1 vs_2_0 *25 *7 [0-9a-f]\{16\} yes *48 context@[0-9]*$" "$T/out.txt" ||
    fail "deferred vs 1: $(cat "$T/out.txt")"
grep -q "^ *24 *0 *1 *ps *3 ps_2_0 *15 *4 [0-9a-f]\{16\} yes *8 context@[0-9]*$" "$T/out.txt" ||
    fail "deferred ps 3"
grep -q "^defines: 5 (2 vs, 3 ps), 5 distinct bytecodes, 0 invalid, 0 refused, 0 never drawn with$" "$T/out.txt" ||
    fail "deferred summary"
grep -q "^versions: vs_2_0 2, ps_2_0 3$" "$T/out.txt" || fail "deferred versions"
grep -q "^draws: 60 DRAW_PRIMITIVES run, in [0-9]* commands$" "$T/out.txt" || fail "deferred draws"
# --frames: the defines are all in frame 0
expect 0 "$VGT" shader list "$T/d.vgt" --frames 1-3
grep -q "^defines: 0 " "$T/out.txt" || fail "--frames 1-3 lists none"
expect 0 "$VGT" shader list "$T/d.vgt" --frames 0 --json
[ "$(jq -s '[.[] | select(.type == "shader")] | length' "$T/out.txt")" -eq 5 ] || fail "--frames 0"
# a capture cut mid-run by vgt trim: its snapshot defines the five shaders
# (vs 1, vs 2, then the pixel shaders) and binds them; the cut's 2 frames
expect 0 "$VGT" trim "$T/d.vgt" --frames 2-3 -o "$T/cut.vgt" -q
expect 0 "$VGT" shader list "$T/cut.vgt" --json
jq -e -s '[.[] | select(.type == "shader" and .snapshot and .seq == null)] | length == 5' "$T/out.txt" >/dev/null ||
    fail "the cut's snapshot defines: $(cat "$T/out.txt")"
jq -e -s '[.[] | select(.type == "shader")] | map([.shader_type, .shid, .draws]) == [["vs",1,24],["vs",2,6],["ps",1,24],["ps",2,2],["ps",3,4]]' "$T/out.txt" >/dev/null ||
    fail "the cut's draws (2 frames)"
rm -rf "$T/x"
expect 0 "$VGT" shader extract "$T/cut.vgt" --dir "$T/x"
[ -f "$T/x/c1-vs1-snapshot.bin" ] || fail "snapshot file name: $(ls "$T/x")"
mkdir -p "$T/y" && expect 0 "$VGT" shader extract "$T/d.vgt" --dir "$T/y"
for f in vs1 ps1 vs2 ps2 ps3; do
    cmp -s "$T/x/c1-$f-snapshot.bin" "$T/y/"c1-$f-*.bin || fail "$f: the snapshot's bytecode is not the capture's"
done

# A guest's shaders as a Windows driver sends them (make_ctab_trace): the
# kit's fxc bytecode with its CTAB, a second comment block between two
# instructions, words after the end token.  extract's .asm keeps them all
# and assembles back into the .bin byte for byte; an edited .asm keeps its
# CTAB.
expect 0 "$MAKE_CTAB" "$T/ctab.vgt"
rm -rf "$T/x"
expect 0 "$VGT" shader extract "$T/ctab.vgt" --dir "$T/x"
vs=$(ls "$T"/x/c1-vs7-*.bin) && ps=$(ls "$T"/x/c1-ps9-*.bin) || fail "ctab: $(ls "$T/x")"
[ "$(wc -c <"$vs")" -eq $((4 * (143 + 2))) ] || fail "ctab: the vs .bin is $(wc -c <"$vs") bytes"
[ "$(wc -c <"$ps")" -eq $((4 * (203 + 4))) ] || fail "ctab: the ps .bin is $(wc -c <"$ps") bytes"
for b in "$vs" "$ps"; do
    expect 0 "$VGT" shader asm "${b%.bin}.asm" -o "$T/rt.bin"
    cmp "$b" "$T/rt.bin" >&2 || fail "ctab: $(basename "$b") does not assemble back from its .asm"
    # the CTAB right after the version, its names in the text
    sed -n 2p "${b%.bin}.asm" | grep -q "^comment 0x42415443 0x0000001c " || fail "ctab: $(basename "$b"): no CTAB line"
    grep -q "(R) D3D" "${b%.bin}.asm" || fail "ctab: $(basename "$b"): the CTAB's text"
done
grep -q "^trailing 0x0000ffff 0xdeadbeef  *// " "${vs%.bin}.asm" || fail "ctab: the vs's trailing words"
grep -q "^trailing 0x00000001  *// " "${ps%.bin}.asm" || fail "ctab: the ps's trailing word"
# the second comment block of the ps, before its last instruction
tail -3 "${ps%.bin}.asm" | head -1 | grep -q "^comment 0x20746776 0x74736574  *// vgt test$" ||
    fail "ctab: the ps's second comment: $(tail -3 "${ps%.bin}.asm")"
# vgt shader dis --keep-comments prints what extract wrote; dis alone, without them
expect 0 "$VGT" shader dis "$vs" --keep-comments
cmp -s "$T/out.txt" "${vs%.bin}.asm" || fail "ctab: dis --keep-comments is not the extracted .asm"
expect 0 "$VGT" shader dis "$vs" --comments
grep -q "^// 1 comment block (46 words) not shown$" "$T/out.txt" || fail "ctab: dis --comments"
grep -q "^comment\|^trailing" "$T/out.txt" && fail "ctab: dis --comments shows the blocks"
# --offsets with --keep-comments: the CTAB's line names its comment token
# (1, right after the version), the ps's second block its own; the listing
# still assembles into the .bin
expect 0 "$VGT" shader dis "$vs" --keep-comments --offsets
sed -n 2p "$T/out.txt" | grep -q "^comment 0x42415443 0x0000001c .*  // @1 CTAB" ||
    fail "ctab: --offsets on the CTAB's line: $(sed -n 2p "$T/out.txt")"
cp "$T/out.txt" "$T/offsets.asm"
expect 0 "$VGT" shader asm "$T/offsets.asm" -o "$T/rt.bin"
cmp -s "$vs" "$T/rt.bin" || fail "ctab: the --offsets --keep-comments listing does not assemble back"
expect 0 "$VGT" shader dis "$ps" --keep-comments --offsets
at=$(grep "^comment 0x20746776 " "$T/out.txt" | sed -n 's|.*// @\([0-9]*\) vgt test$|\1|p')
# the token there is that block's: size 2, then "vgt " "test"
[ -n "$at" ] && [ "$(od -An -tx4 -j $((4 * at)) -N 12 "$ps" | tr -s ' ')" = " 0002fffe 20746776 74736574" ] ||
    fail "ctab: the ps's second comment's offset '$at': $(grep '^comment 0x2074' "$T/out.txt")"
# one 'trailing' statement: a second one is refused at its line:column
{ cat "${ps%.bin}.asm"; echo "  trailing 0x2"; } >"$T/two.asm"
expect 2 "$VGT" shader asm "$T/two.asm" -o "$T/two.bin"
grep -q "^vgt shader: $T/two.asm:$(wc -l <"$T/two.asm"):3: a second 'trailing' (the first is line $(grep -n '^trailing' "$T/two.asm" | cut -d: -f1))" "$T/err.txt" ||
    fail "ctab: a second trailing: $(cat "$T/err.txt")"
# edited (def c5's first float 8 -> 9): one word changes, the CTAB stays
sed 's/^def c5, 8, /def c5, 9, /' "${vs%.bin}.asm" >"$T/edit.asm"
expect 0 "$VGT" shader asm "$T/edit.asm" -o "$T/edit.bin"
[ "$(cmp -l "$vs" "$T/edit.bin" | wc -l)" -eq 1 ] || fail "ctab: the edit changed more than one byte"
grep -q "matWorldViewProj" "$T/edit.bin" || fail "ctab: the edited shader lost its CTAB"
# an assembler error names the line and column: a bad word on line 3
sed '3s/0x00000002/0x0000000g/' "${vs%.bin}.asm" >"$T/bad.asm"
expect 2 "$VGT" shader asm "$T/bad.asm" -o "$T/bad.bin"
grep -q "^vgt shader: $T/bad.asm:3:18: unexpected 'g' in a hex word$" "$T/err.txt" ||
    fail "ctab: the error: $(cat "$T/err.txt")"

# vgt shader dis on hostile files: exit 2, the reason and where
dis_refused() { # FILE MESSAGE
    expect 2 "$VGT" shader dis "$1"
    [ "$(cat "$T/err.txt")" = "vgt shader: $1: $2" ] || fail "dis $1: $(cat "$T/err.txt")"
}
: >"$T/empty.bin"
dis_refused "$T/empty.bin" "no shader bytecode (little-endian words starting with a vs/ps version token) and no 0x... words in its text"
# a vs_2_0 version token and 2 bytes: binary bytecode cut inside a word, not text
printf '\000\002\376\377\037\000' >"$T/odd.bin"
dis_refused "$T/odd.bin" "6 bytes: bytecode (version token 0xfffe0200) but not a whole number of 32-bit words: 2 bytes at offset 4 are left over"
printf 'junk 0x1234 more\n' >"$T/junk.txt"
dis_refused "$T/junk.txt" "shader token 0 (0x00001234): not a shader version token (want 0xFFFE.... for vs, 0xFFFF.... for ps)"
# a comment announcing 32767 words, one given; a mov with one of its 2 parameters
printf '\000\002\376\377\376\377\377\177\000\000\000\000' >"$T/comment.bin"
dis_refused "$T/comment.bin" "shader token 3 (past the last of 3 words): the comment at token 1 announces 32767 words, only 1 follows"
printf '\000\002\376\377\001\000\000\002\000\000\017\200' >"$T/insn.bin"
dis_refused "$T/insn.bin" "shader token 3 (past the last of 3 words): 'mov' at token 1 has 2 parameter tokens but the words end after 1"
# counts of one are singular (they read "after 1 tokens", "1 bytes ... are
# left over", "announces 1 words"): the version token alone, a byte past
# it, a comment of one word with none, a mov whose length field says 1
printf '\000\002\376\377' >"$T/version.bin"
dis_refused "$T/version.bin" "shader token 1 (past the last of 1 word): missing end token (0x0000FFFF): the words end after 1 token"
printf '\000\002\376\377\000' >"$T/odd1.bin"
dis_refused "$T/odd1.bin" "5 bytes: bytecode (version token 0xfffe0200) but not a whole number of 32-bit words: 1 byte at offset 4 is left over"
printf '\000\002\376\377\376\377\001\000' >"$T/comment1.bin"
dis_refused "$T/comment1.bin" "shader token 2 (past the last of 2 words): the comment at token 1 announces 1 word, only 0 follow"
printf '\000\002\376\377\001\000\000\001' >"$T/insn1.bin"
dis_refused "$T/insn1.bin" "shader token 2 (past the last of 2 words): 'mov' at token 1 has 1 parameter token but the words end after 0"
# a nop whose length field says 1 (its operands take none); an empty
# comment, its token the block's one word
printf '\000\002\376\377\000\000\000\001\000\000\017\200\377\377\000\000' >"$T/len1.bin"
dis_refused "$T/len1.bin" "shader token 1 (0x01000000): 'nop': the length field says 1 parameter token, the operands take 0"
printf '\000\002\377\377\376\377\000\000\377\377\000\000' >"$T/comment1w.bin"
expect 0 "$VGT" shader dis "$T/comment1w.bin" --comments
grep -qx "// 1 comment block (1 word) not shown" "$T/out.txt" || fail "dis --comments, one word: $(cat "$T/out.txt")"

# usage
expect 1 "$VGT" shader list
expect 1 "$VGT" shader list "$T/d.vgt" --bogus
expect 1 "$VGT" shader list "$T/d.vgt" --frames x
expect 1 "$VGT" shader list "$T/d.vgt" --dir "$T/x"
expect 1 "$VGT" shader extract "$T/d.vgt"
grep -q "^vgt shader: extract needs --dir DIR" "$T/err.txt" || fail "missing --dir: $(cat "$T/err.txt")"
expect 1 "$VGT" shader extract "$T/d.vgt" --dir
expect 1 "$VGT" shader extract "$T/d.vgt" --dir "$T/x" --json
expect 1 "$VGT" shader frob "$T/d.vgt"
expect 0 "$VGT" help shader
grep -q "vgt shader extract TRACE --dir DIR" "$T/out.txt" || fail "help shader"
# data errors
expect 2 "$VGT" shader list "$T/missing.vgt"
expect 2 "$VGT" shader extract "$T/d.vgt" --dir "$T/d.vgt"
# a chunk from frame 1 on damaged (the defines are all in frame 0)
damage "$T/d.vgt" "$T/dd.vgt" "^[1-3]-"
expect 2 "$VGT" shader list "$T/dd.vgt"
# the chunk once, in the error line with the hint (a "stopped at chunk"
# line said it before it)
grep -q "^vgt shader: .*: chunk $CHUNK at offset $OFFSET: .*(--salvage skips damaged chunks)$" "$T/err.txt" ||
    fail "damaged: $(cat "$T/err.txt")"
[ "$(grep -c "chunk $CHUNK at offset $OFFSET" "$T/err.txt")" -eq 1 ] ||
    fail "damaged: the chunk said twice: $(cat "$T/err.txt")"
expect 2 "$VGT" shader list "$T/dd.vgt" --salvage
grep -q "skipped chunk $CHUNK at offset $OFFSET" "$T/err.txt" || fail "salvage: $(cat "$T/err.txt")"
grep -q "^defines: 5 " "$T/out.txt" || fail "salvage: the listing"
expect 2 "$VGT" shader list "$T/dd.vgt" --salvage --json
jq -e -s '.[-1] | .skipped_chunks == true and .defines == 5' "$T/out.txt" >/dev/null || fail "salvage --json"
echo "cli_shader: ok"
