/* json.c - the few JSON writers every JSON output of vgt shares (the
 * printer's JSON view of a command, vgt dump --json, vgt info and vgt diff
 * through vgt_cli_json_string): strings escaped and kept valid UTF-8
 * whatever bytes a guest or a file gave, floats exact and never a bare
 * NaN or Inf (which JSON has no spelling for). */
#include "vgt_protocol.h"

#include <math.h>
#include <stdlib.h>

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0 when
 * the bytes there are not one (overlong, surrogate, past U+10FFFF, cut). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t min, cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) {
        return 0;
    }
    return len;
}

void vgt_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else if (c == '\n') {
            fputs("\\n", out);
            i++;
        } else if (c == '\t') {
            fputs("\\t", out);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            fputc(c, out);
            i++;
        } else {
            size_t n = utf8_len(p + i, len - i);
            if (n) {
                fwrite(p + i, 1, n, out);
                i += n;
            } else { /* a byte that is not UTF-8: the replacement character */
                fputs("\\ufffd", out);
                i++;
            }
        }
    }
    fputc('"', out);
}

void vgt_json_float(FILE *out, float v)
{
    if (isnan(v)) {
        fputs("\"nan\"", out);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0 ? "\"inf\"" : "\"-inf\"", out);
        return;
    }
    /* the shortest decimal that reads back as the same float: 0.1f is 0.1,
     * not 0.100000001, and no float is rounded as %g's 6 digits round it */
    char buf[48];
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, (double)v);
        if (prec == 9 || strtof(buf, NULL) == v) {
            break;
        }
    }
    fputs(buf, out);
}
