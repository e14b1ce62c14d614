/* bench_args.c - the benchmarks' option values (bench_args.h). */
#include "bench_args.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

bool bench_parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    /* strtoul skips spaces and takes a sign ("-1" is ULONG_MAX): only digits */
    if (!s || !isdigit((unsigned char)s[0])) {
        return false;
    }
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

const char *bench_plural(unsigned long long n)
{
    return n == 1 ? "" : "s";
}
