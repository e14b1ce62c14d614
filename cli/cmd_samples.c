/* vgt samples: lists the sample guest programs. */
#include "vgt_cli.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

int vgt_cmd_samples(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        printf("usage: vgt samples\n\n"
               "Lists the sample guest programs that `vgt run SAMPLE` can boot, one per line.\n");
        return VGT_EXIT_OK;
    }
    if (argc > 1) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "samples", "unexpected argument '%s'", argv[1]);
    }
    size_t n;
    const vgt_sample_info *s = vgt_samples(&n);
    /* the widest name sets the column, so a long one (filled-triangles) is
     * not run into its summary */
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(s[i].name);
        if (len > (size_t)width && len < 64) {
            width = (int)len;
        }
    }
    for (size_t i = 0; i < n; i++) {
        printf("%-*s  %s\n", width, s[i].name, s[i].summary);
    }
    return VGT_EXIT_OK;
}
