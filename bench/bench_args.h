/* bench_args.h - the number parser the benchmarks' options share
 * (bench/bench_args.c): a value is a whole decimal number in a range, or
 * the option is refused (atoi and a bare strtoul took "3x" as 3).  Counts
 * are written with vgt_plural (vgt_base.h). */
#ifndef VGT_BENCH_ARGS_H
#define VGT_BENCH_ARGS_H

#include "vgt_base.h"

#include <stdbool.h>

/* Parses s, a decimal number lo..hi with nothing after it (no sign, no
 * space, no suffix), into *out; false, *out untouched, when it is not one
 * (vgt_parse_u64's rule). */
bool bench_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);

/* The line `vgt bench` prints before a benchmark's figures (the version and
 * the build's flags: figures compare only between builds alike).  Set by
 * the caller; each benchmark prints it once its options are accepted, so a
 * usage error writes nothing to stdout.  The programs in build/bench/ set
 * none and print none. */
void bench_set_banner(const char *line);
void bench_print_banner(void);

#endif
