/* soft_bench.h - `vgt bench soft`: the soft backend's fill rate and triangle
 * rate through the executor (bench/soft_bench.c). */
#ifndef VGT_SOFT_BENCH_H
#define VGT_SOFT_BENCH_H

/* Runs the soft backend benchmark with command-line style arguments
 * (argv[0] is the benchmark name; --size N, --frames N, --tris N,
 * --threads N); prints each figure beside the same scene drawn by vgt_soft
 * directly and memset/memcpy of the target, measured in the same run.
 * Returns a process exit code. */
int vgt_bench_soft_main(int argc, char **argv);

#endif
