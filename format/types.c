/* types.c - record type names. */
#include "format_internal.h"

/* Names registered by higher layers, indexed by type - VGT_REC_USER_FIRST. */
static const char *registered_names[0x10000 - VGT_REC_USER_FIRST];

vgt_status vgt_trace_register_type_name(uint16_t type, const char *name)
{
    if (type < VGT_REC_USER_FIRST) {
        return VGT_E_INVALID;
    }
    registered_names[type - VGT_REC_USER_FIRST] = name;
    return VGT_OK;
}

const char *vgt_trace_type_name(uint16_t type)
{
    if (type >= VGT_REC_USER_FIRST && registered_names[type - VGT_REC_USER_FIRST]) {
        return registered_names[type - VGT_REC_USER_FIRST];
    }
    switch (type) {
    case VGT_REC_FRAME_END:
        return "frame_end";
    case VGT_REC_PAYLOAD_REF:
        return "payload_ref";
    case VGT_REC_MARKER:
        return "marker";
    case VGT_REC_COMMAND:
        return "command";
    case VGT_REC_DMA_DATA:
        return "dma_data";
    case VGT_REC_REGISTER_WRITE:
        return "register_write";
    case VGT_REC_FENCE:
        return "fence";
    case VGT_REC_FRAME_HASH:
        return "frame_hash";
    case VGT_REC_TIMING:
        return "timing";
    case VGT_REC_ERROR:
        return "error";
    case VGT_REC_SNAPSHOT:
        return "snapshot";
    case VGT_REC_COMMAND_BATCH:
        return "command_batch";
    default:
        return NULL;
    }
}
