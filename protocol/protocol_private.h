/* protocol_private.h - shared between the protocol library's own files. */
#ifndef VGT_PROTOCOL_PRIVATE_H
#define VGT_PROTOCOL_PRIVATE_H

#include <stdint.h>

/* Words of one cursor mask: height rows of ceil(width*depth/32) words
 * (saturates far above VGT_CMD_MAX_WORDS instead of overflowing). */
uint64_t vgt__cursor_mask_words(uint32_t width, uint32_t height, uint32_t depth);

#endif /* VGT_PROTOCOL_PRIVATE_H */
