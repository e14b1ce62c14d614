/* vgt_bench_format: the trace container benchmark as its own program. */
#include "format_bench.h"

int main(int argc, char **argv)
{
    return vgt_bench_format_main(argc, argv);
}
