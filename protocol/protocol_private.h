/* protocol_private.h - shared between the protocol library's own files. */
#ifndef VGT_PROTOCOL_PRIVATE_H
#define VGT_PROTOCOL_PRIVATE_H

#include <stdint.h>

#include "vgt_protocol.h"

/* Words of one cursor mask: height rows of ceil(width*depth/32) words
 * (saturates far above VGT_CMD_MAX_WORDS instead of overflowing). */
uint64_t vgt__cursor_mask_words(uint32_t width, uint32_t height, uint32_t depth);

/* vgt_cmd_length for words != NULL, avail >= 1, that also gives the
 * command's table row (*desc, NULL for an unknown id): the decoder reuses it
 * instead of looking the id up again. */
vgt_status vgt__cmd_length_desc(const uint32_t *words, uint32_t avail, uint32_t *total,
                                const vgt_cmd_desc **desc, vgt_error *err);

#endif /* VGT_PROTOCOL_PRIVATE_H */
