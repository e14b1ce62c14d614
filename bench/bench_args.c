/* bench_args.c - the benchmarks' option values (bench_args.h). */
#include "bench_args.h"

#include <stdio.h>

static const char *bench_banner; /* one benchmark a process: vgt bench */

bool bench_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    uint64_t v;
    if (!vgt_parse_u64(s, lo, hi, &v)) {
        return false;
    }
    *out = (unsigned long)v;
    return true;
}

void bench_set_banner(const char *line)
{
    bench_banner = line;
}

void bench_print_banner(void)
{
    if (bench_banner) {
        fputs(bench_banner, stdout);
        fflush(stdout);
        bench_banner = NULL;
    }
}
