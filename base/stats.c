/* stats.c - the median the benchmarks report beside their best figure. */
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
