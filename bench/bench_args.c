/* bench_args.c - the benchmarks' option values (bench_args.h). */
#include "bench_args.h"

bool bench_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    uint64_t v;
    if (!vgt_parse_u64(s, lo, hi, &v)) {
        return false;
    }
    *out = (unsigned long)v;
    return true;
}
