/* fuzz_exec3d_gl.c - fuzz_exec3d (its input, its structure-aware generator,
 * its oracles) on the gl backend, llvmpipe through EGL surfaceless: the
 * generator's contexts, targets, declarations, shaders and draws are what a
 * mutated trace rarely keeps valid, so this is the target that reaches
 * gl_draw.c, gl_ffp.c and gl_shader.c (fuzz_replay_gl mostly stops before
 * them).  Built only with the gl backend; without EGL the executor is not
 * created and an input does nothing.  Mesa's allocations kept until exit:
 * LSAN_OPTIONS=suppressions=tests/gl/lsan.supp. */
#define FUZZ_EXEC3D_GL 1
#include "fuzz_exec3d.c"
