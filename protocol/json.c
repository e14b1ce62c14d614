/* json.c - the few JSON writers every JSON output of vgt shares (the
 * printer's JSON view of a command, vgt dump --json, vgt info and vgt diff
 * through vgt_cli_json_string, vgt analyze's reports and its settings):
 * strings escaped and kept valid UTF-8
 * whatever bytes a guest or a file gave, floats exact and never a bare
 * NaN or Inf (which JSON has no spelling for). */
#include "vgt_protocol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* The JSON spelling of one character of a string: `text` (`len` bytes,
 * either the input's own bytes or `esc`) stands for the `used` bytes of the
 * input.  One character at a time, so that the FILE writer and the buffer
 * writer share these rules and the buffer writer can cut between two
 * characters, never inside an escape or a UTF-8 sequence. */
typedef struct json_char {
    const char *text;
    size_t len, used;
    char esc[8];
} json_char;

/* The spelling of the character at p (n > 0 bytes left) into c. */
static void json_char_at(const unsigned char *p, size_t n, json_char *c)
{
    unsigned char b = p[0];
    c->text = c->esc;
    c->used = 1;
    if (b == '"' || b == '\\') {
        c->esc[0] = '\\';
        c->esc[1] = (char)b;
        c->len = 2;
    } else if (b == '\n') {
        memcpy(c->esc, "\\n", 2);
        c->len = 2;
    } else if (b == '\t') {
        memcpy(c->esc, "\\t", 2);
        c->len = 2;
    } else if (b < 0x20 || b == 0x7F) {
        c->len = (size_t)snprintf(c->esc, sizeof(c->esc), "\\u%04x", b);
    } else if (b < 0x80) {
        c->text = (const char *)p;
        c->len = 1;
    } else if ((c->used = utf8_len(p, n)) != 0) {
        c->text = (const char *)p;
        c->len = c->used;
    } else { /* a byte that is not UTF-8: the replacement character */
        memcpy(c->esc, "\\ufffd", 6);
        c->len = 6;
        c->used = 1;
    }
}

void vgt_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    json_char c;
    fputc('"', out);
    for (size_t i = 0; i < len; i += c.used) {
        json_char_at(p + i, len - i, &c);
        if (c.len == 1) { /* most characters: no fwrite call per byte */
            fputc(c.text[0], out);
        } else {
            fwrite(c.text, 1, c.len, out);
        }
    }
    fputc('"', out);
}

size_t vgt_json_string_buf(char *dst, size_t size, const char *s, size_t len)
{
    if (size < 3) { /* no room for "" and the NUL */
        if (size > 0) {
            dst[0] = 0;
        }
        return 0;
    }
    const unsigned char *p = (const unsigned char *)s;
    json_char c;
    size_t k = 0;
    dst[k++] = '"';
    /* k <= size - 2 throughout: the closing quote and the NUL always fit */
    for (size_t i = 0; i < len; i += c.used) {
        json_char_at(p + i, len - i, &c);
        if (c.len > size - 2 - k) {
            break; /* cut before this character, whole */
        }
        memcpy(dst + k, c.text, c.len);
        k += c.len;
    }
    dst[k++] = '"';
    dst[k] = 0;
    return k;
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
