/* What the verbs that print SVGA traces share: a recorded command as a
 * decoded line (vgt dump, vgt diff), command names as a user types them
 * (vgt dump --only, vgt diff --ignore), and JSON strings (vgt info, vgt
 * diff). */
#include "vgt_cli.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

bool vgt_cli_command_decode(const uint32_t *words, uint32_t nwords, vgt_cmd *cmd, char *line,
                            size_t size)
{
    vgt_error e = {0};
    if (nwords == 0) {
        snprintf(line, size, "(no words)");
        return false;
    }
    if (vgt_cmd_decode(words, nwords, cmd, &e) != VGT_OK) {
        snprintf(line, size, "%s words=%u undecodable: %s", vgt_cmd_name(words[0]), nwords,
                 e.message);
        return false;
    }
    return true;
}

void vgt_cli_command_text(const uint32_t *words, uint32_t nwords, char *line, size_t size)
{
    vgt_cmd cmd;
    if (vgt_cli_command_decode(words, nwords, &cmd, line, size)) {
        vgt_cmd_format(line, size, &cmd, false);
    }
}

void vgt_cli_json_string(FILE *f, const char *s)
{
    vgt_json_string(f, s, strlen(s));
}

int vgt_cli_parse_command_names(const char *verb, const char *option, const char *text,
                                uint32_t *ids, size_t max, size_t *n)
{
    size_t count;
    const vgt_cmd_desc *table = vgt_cmd_table(&count);
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char name[64];
        if (len == 0 || len >= sizeof(name)) {
            return vgt_cli_fail(VGT_EXIT_USAGE, verb,
                                "%s '%s': expected command names separated by commas, as "
                                "vgt dump prints them (CLEAR,SURFACE_DMA)",
                                option, text);
        }
        memcpy(name, p, len);
        name[len] = '\0';
        const vgt_cmd_desc *found = NULL;
        for (size_t i = 0; i < count && !found; i++) {
            if (strcasecmp(table[i].name, name) == 0) {
                found = &table[i];
            }
        }
        if (!found) {
            vgt_cli_close close;
            vgt_cli_close_init(&close, name);
            for (size_t i = 0; i < count; i++) {
                vgt_cli_close_offer(&close, table[i].name);
            }
            if (close.count) {
                return vgt_cli_fail(VGT_EXIT_USAGE, verb, "%s: no command named '%s' (close: %s)",
                                    option, name, close.text);
            }
            return vgt_cli_fail(VGT_EXIT_USAGE, verb,
                                "%s: no command named '%s' (the names are those vgt dump "
                                "prints after SEQ and FRAME, e.g. SURFACE_DMA)",
                                option, name);
        }
        bool dup = false;
        for (size_t i = 0; i < *n; i++) {
            dup = dup || ids[i] == found->id;
        }
        if (!dup) {
            if (*n >= max) {
                return vgt_cli_fail(VGT_EXIT_USAGE, verb, "%s: at most %zu names", option, max);
            }
            ids[(*n)++] = found->id;
        }
        if (!end) {
            return VGT_EXIT_OK;
        }
        p = end + 1;
    }
}
