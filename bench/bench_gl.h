/* bench_gl.h - `vgt bench gl`: the gl backend's per-draw CPU cost through
 * the executor beside the same GL calls issued natively, and fill rates of
 * the soft backend beside llvmpipe (bench/bench_gl.c). */
#ifndef VGT_BENCH_GL_H
#define VGT_BENCH_GL_H

/* Runs the gl benchmark with command-line style arguments (argv[0] is the
 * benchmark name; --draws N, --frames N, --tris N, --size N); prints each
 * figure beside its reference measured in the same run.  Returns a process
 * exit code (2 when no GL context can be had). */
int vgt_bench_gl_main(int argc, char **argv);

#endif
