/* coverage_main.c - prints docs/protocol-coverage.md to stdout. */
#include "vgt_protocol.h"

int main(void)
{
    return vgt_protocol_coverage_markdown(stdout) == VGT_OK ? 0 : 1;
}
