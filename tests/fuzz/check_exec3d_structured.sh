#!/usr/bin/env bash
# check_exec3d_structured.sh REGRESS_BIN CORPUS_DIR: fuzz_exec3d's
# structure-aware mode makes what it is meant to make.  The seeds st-tri
# and st-shaders, replayed with VGT_FUZZ_VERBOSE=1, must decode into exactly
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
preamble="SURFACE_DEFINE ok SURFACE_DEFINE ok SURFACE_DEFINE ok SURFACE_DMA ok SURFACE_DEFINE ok SURFACE_DMA ok SURFACE_DEFINE ok SURFACE_DMA ok SURFACE_DEFINE ok SURFACE_DMA ok CONTEXT_DEFINE ok SETRENDERTARGET ok SETRENDERTARGET ok SETVIEWPORT ok SETZRANGE ok"
check st-tri "$preamble CLEAR ok DRAW_PRIMITIVES ok PRESENT ok "
check st-shaders "$preamble SURFACE_DEFINE ok SURFACE_DMA ok SETTEXTURESTATE ok SHADER_DEFINE ok SET_SHADER ok SHADER_DEFINE ok SET_SHADER ok CLEAR ok DRAW_PRIMITIVES ok PRESENT ok "
exit $fail
