/* vgt repack IN -o OUT: every record of a trace written again, at another
 * zstd level or chunk size, or, with --salvage, a damaged or killed
 * capture's readable records as a complete trace (apitrace repack).  The
 * copy is vgt trim's without a cut (vgt_cli_trim, replay/trim.c). */
#include "vgt_cli.h"

#include <stdio.h>

static int usage(void)
{
    printf("usage: vgt repack IN -o OUT [--level L] [--chunk KiB] [--salvage] [-q]\n\n"
           "Writes every record of the trace IN to OUT as it is (commands, guest memory,\n"
           "register writes, snapshots, frame hashes, timings, the records after the last\n"
           "frame end), compressed again: e.g. a capture taken at the fast default level 1\n"
           "kept at level 19, or cut into other chunks.  Nothing is replayed.  With\n"
           "--salvage, the readable records of a damaged trace become a complete one (each\n"
           "record keeps its frame; a skipped chunk's records are gone, and said).  A\n"
           "killed capture (no footer) is repacked up to its last complete chunk, with an\n"
           "index and a footer.\n\n"
           "  -o OUT         the trace to write (not IN); written whole or not at all\n"
           "  --level L      zstd level, -7..22 (default: IN's)\n"
           "  --chunk KiB    uncompressed chunk size, 1..262144 (default: IN's)\n"
           "  --salvage      skip damaged chunks of IN (reported) instead of stopping\n"
           "  -q             no progress line, no summary\n\n"
           "Exit: 0 ok, 1 usage, 2 bad trace (also after --salvage skipped chunks: OUT is\n"
           "written), I/O error.\n");
    return VGT_EXIT_OK;
}

int vgt_cmd_repack(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    return vgt_cli_trim(argc, argv, true);
}
