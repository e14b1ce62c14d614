#include "vgt_base.h"

#include <stdio.h>
#include <string.h>

vgt_status vgt_error_setv(vgt_error *err, vgt_status code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
    }
    return code;
}

vgt_status vgt_error_set(vgt_error *err, vgt_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vgt_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void vgt_error_prefix(vgt_error *err, const char *fmt, ...)
{
    if (!err) {
        return;
    }
    char prefix[VGT_ERROR_MESSAGE_MAX];
    char old[VGT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof(old));
    /* Compose in a buffer large enough for both parts, then truncate. */
    char joined[2 * VGT_ERROR_MESSAGE_MAX + 2];
    snprintf(joined, sizeof(joined), "%s: %s", prefix, old);
    memcpy(err->message, joined, sizeof(err->message) - 1);
    err->message[sizeof(err->message) - 1] = '\0';
}

void vgt_error_clear(vgt_error *err)
{
    if (err) {
        err->code = VGT_OK;
        err->message[0] = '\0';
    }
}

const char *vgt_status_name(vgt_status code)
{
    switch (code) {
    case VGT_OK: return "ok";
    case VGT_E_INVALID: return "invalid";
    case VGT_E_NOMEM: return "out of memory";
    case VGT_E_IO: return "i/o error";
    case VGT_E_FORMAT: return "malformed data";
    case VGT_E_VERSION: return "unsupported version";
    case VGT_E_CHECKSUM: return "checksum mismatch";
    case VGT_E_TRUNCATED: return "truncated";
    case VGT_E_RANGE: return "out of range";
    case VGT_E_UNSUPPORTED: return "unsupported";
    case VGT_E_NOTFOUND: return "not found";
    case VGT_E_STATE: return "invalid state";
    case VGT_E_END: return "end of stream";
    default: return "unknown error";
    }
}
