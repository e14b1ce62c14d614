/* bench_args.h - the number parser the benchmarks' options share
 * (bench/bench_args.c): a value is a whole decimal number in a range, or
 * the option is refused (atoi and a bare strtoul took "3x" as 3). */
#ifndef VGT_BENCH_ARGS_H
#define VGT_BENCH_ARGS_H

#include <stdbool.h>

/* Parses s, a decimal number lo..hi with nothing after it (no sign, no
 * space, no suffix), into *out; false, *out untouched, when it is not one. */
bool bench_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);

/* "s" after a count other than 1, "" after 1, for the benchmarks' lines
 * ("1 frame", "2 frames"; --frames 1 printed "1 frames"). */
const char *bench_plural(unsigned long long n);

#endif
