/* capture_bench.h - the capture and replay benchmarks (bench/capture_bench.c). */
#ifndef VGT_CAPTURE_BENCH_H
#define VGT_CAPTURE_BENCH_H

/* `vgt bench capture`: a sample run without and with capture in the same
 * process, wall times and the ratio (target: capture adds <= 10%).  argv[0]
 * is the benchmark name; returns a process exit code. */
int vgt_bench_capture_main(int argc, char **argv);
/* `vgt bench replay`: null-backend replay of a trace beside the time to just
 * read (decompress) all its records (target: <= 1.5x). */
int vgt_bench_replay_main(int argc, char **argv);

#endif
