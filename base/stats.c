/* stats.c - the median and percentiles the benchmarks report beside their best figure. */
#include <stdlib.h>

#include "vgt_base.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double vgt_sort_median(double *v, size_t n)
{
    if (n == 0) {
        return 0.0;
    }
    vgt_sort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

size_t vgt_percentile_index(size_t n, unsigned pct)
{
    if (n == 0) {
        return 0;
    }
    pct = pct > 100 ? 100 : pct;
    /* ceil(n * pct / 100) values at or below it, without overflow */
    size_t rank = n / 100 * pct + (n % 100 * pct + 99) / 100;
    if (rank > n) {
        rank = n;
    }
    return rank ? rank - 1 : 0;
}
