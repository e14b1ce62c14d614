#!/usr/bin/env bash
# check_exec3d_structured.sh REGRESS_BIN CORPUS_DIR: fuzz_exec3d's
# structure-aware mode makes what it is meant to make.  The seeds st-tri,
# st-shaders, st-v2-mipmaps and st-readback16, replayed with
# VGT_FUZZ_VERBOSE=1, must decode into exactly
# these commands (the generator's encoding through the guest driver, taken
# out of its ring one command at a time) and the executor must accept every
# one on soft: a context, its targets and buffers, a draw that is not
# refused, shaders the real assembler wrote.  A generator that loses,
# repeats or garbles a command, or encodes one the executor refuses, fails.
set -euo pipefail
bin=$1
corpus=$2
fail=0
check() {
    local seed=$1 expected=$2 got
    got=$(VGT_SOFT_THREADS=1 VGT_FUZZ_VERBOSE=1 "$bin" "$corpus/$seed" 2>&1 |
        grep -E ' -> ' | sed -E 's/^([A-Z_0-9]+) .* -> ([a-z ]+)(:.*)?$/\1 \2/' | tr '\n' ' ' || true)
    if [ "$got" != "$expected" ]; then
        echo "FAIL $seed"
        echo "  expected: $expected"
        echo "  got:      $got"
        fail=1
    else
        echo "ok $seed: $got"
    fi
}
# has SEED TEXT: the verbose replay of SEED shows TEXT (a field the
# generator must have encoded: a sample count, a filter, the mode's depth).
has() {
    local out
    out=$(VGT_SOFT_THREADS=1 VGT_FUZZ_VERBOSE=1 "$bin" "$corpus/$1" 2>&1 || true)
    if grep -qF -- "$2" <<<"$out"; then
        echo "ok $1 has: $2"
    else
        echo "FAIL $1 lacks: $2"
        fail=1
    fi
}
preamble="SURFACE_DEFINE ok SURFACE_DEFINE ok SURFACE_DEFINE ok SURFACE_DMA ok SURFACE_DEFINE ok SURFACE_DMA ok SURFACE_DEFINE ok SURFACE_DMA ok SURFACE_DEFINE ok SURFACE_DMA ok CONTEXT_DEFINE ok SETRENDERTARGET ok SETRENDERTARGET ok SETVIEWPORT ok SETZRANGE ok"
check st-tri "$preamble CLEAR ok DRAW_PRIMITIVES ok PRESENT ok "
check st-shaders "$preamble SURFACE_DEFINE ok SURFACE_DMA ok SETTEXTURESTATE ok SHADER_DEFINE ok SET_SHADER ok SHADER_DEFINE ok SET_SHADER ok CLEAR ok DRAW_PRIMITIVES ok PRESENT ok "
check st-v2-mipmaps "$preamble SURFACE_DEFINE_V2 ok SETRENDERTARGET ok CLEAR ok DRAW_PRIMITIVES ok GENERATE_MIPMAPS ok ACTIVATE_SURFACE ok DEACTIVATE_SURFACE ok DEFINE_SCREEN ok BLIT_SURFACE_TO_SCREEN ok "
has st-v2-mipmaps "multisample=4 autogen_filter=NONE sizes=[64x32x1] -> ok"
has st-v2-mipmaps "GENERATE_MIPMAPS sid=6 filter=LINEAR -> ok"
has st-v2-mipmaps "BLIT_SURFACE_TO_SCREEN src=7/0/0 src_rect=(0,0)-(63,31) screen=2 dst_rect=(0,0)-(31,19)"
check st-readback16 "$preamble CLEAR ok DRAW_PRIMITIVES ok PRESENT ok PRESENT_READBACK ok PRESENT_READBACK ok "
has st-readback16 "mode 64x48, 16 bits"
has st-readback16 "PRESENT_READBACK rects=1 -> ok"
has st-readback24 "mode 64x48, 24 bits"
exit $fail
