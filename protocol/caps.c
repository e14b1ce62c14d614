/* caps.c - reading the SVGA3D caps block (vgt_svga3d.h: records of
 * {length, type} and, for DEVCAPS, {index, value} pairs).  One reader for the
 * guest driver, which copies the block out of FIFO memory, and the replayer,
 * which has it from the trace's device configuration. */
#include "vgt_protocol.h"

bool vgt_svga3d_caps_devcap(const uint32_t *words, uint32_t count, uint32_t index, uint32_t *value)
{
    /* a record shorter than its header (the zero length that ends the list)
     * or running past the words stops the walk */
    for (uint32_t at = 0; at + 1u < count;) {
        uint32_t len = words[at], type = words[at + 1u];
        if (len < 2u || len > count - at) {
            return false;
        }
        if (type >= VGT_SVGA3D_CAPS_RECORD_DEVCAPS_MIN &&
            type <= VGT_SVGA3D_CAPS_RECORD_DEVCAPS_MAX) {
            for (uint32_t i = 2u; i + 1u < len; i += 2u) {
                if (words[at + i] == index) {
                    *value = words[at + i + 1u];
                    return true;
                }
            }
        }
        at += len;
    }
    return false;
}
