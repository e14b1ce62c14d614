/* text.c - numbers read from text and counts written as words (vgt_base.h):
 * one rule for every library (the command line, the capture's environment,
 * the benchmarks, the analyzer's reports). */
#include "vgt_base.h"

#include <errno.h>
#include <stdlib.h>

bool vgt_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    /* strtoull skips blanks and takes a sign (" -1" is 2^64 - 1): a number
     * here starts with a digit and is nothing but digits */
    if (!text || *text < '0' || *text > '9') {
        return false;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

const char *vgt_plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

const char *vgt_verb_s(uint64_t part, uint64_t whole)
{
    /* the verb agrees with the part counted ("1 of 2 frames differs"), and
     * with the noun beside it when there is one ("0 of 1 frame differs") */
    return part == 1 || whole == 1 ? "s" : "";
}
