/* format_bench.h - the trace container benchmark (bench/format_bench.c). */
#ifndef VGT_FORMAT_BENCH_H
#define VGT_FORMAT_BENCH_H

/* Runs the format benchmark with command-line style arguments (argv[0] is
 * the benchmark name; see --help); prints its figures beside raw zstd
 * measured in the same run.  Returns a process exit code. */
int vgt_bench_format_main(int argc, char **argv);

#endif
