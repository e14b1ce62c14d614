/* What the verbs that print SVGA traces share: a recorded command as a
 * decoded line (vgt dump, vgt diff), and JSON strings (vgt info, vgt diff). */
#include "vgt_cli.h"

#include <stdio.h>
#include <string.h>

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
