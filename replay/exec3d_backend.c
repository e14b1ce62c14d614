/* exec3d_backend.c - choosing and creating a rendering backend by kind. */
#include "vgt_backend.h"

#include <string.h>

#ifdef VGT_HAVE_SOFT_BACKEND
#include "backend_soft.h"
#endif
#ifdef VGT_HAVE_GL_BACKEND
#include "vgt_gl.h"
#endif

static const char *const kind_names[] = {"null", "soft", "gl"};

const char *vgt_backend_kind_name(vgt_backend_kind kind)
{
    return (unsigned)kind < 3u ? kind_names[kind] : "unknown";
}

bool vgt_backend_kind_parse(const char *name, vgt_backend_kind *out)
{
    for (unsigned i = 0; name && i < 3u; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (vgt_backend_kind)i;
            return true;
        }
    }
    return false;
}

vgt_status vgt_backend_create(vgt_backend_kind kind, const vgt_backend_options *opt,
                              vgt_backend *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    switch (kind) {
    case VGT_BACKEND_NULL:
        return vgt_backend_null_create(opt, out, err);
    case VGT_BACKEND_SOFT:
#ifdef VGT_HAVE_SOFT_BACKEND
        return vgt_backend_soft_create(opt, out, err);
#endif
    case VGT_BACKEND_GL:
#ifdef VGT_HAVE_GL_BACKEND
        if (kind == VGT_BACKEND_GL) {
            vgt_gl_options gopt = {0};
            gopt.window = opt && opt->window;
            return vgt_backend_gl_create(&gopt, out, err);
        }
#endif
        return vgt_error_set(err, VGT_E_UNSUPPORTED,
                             "the %s backend is not built yet (only null is available)",
                             vgt_backend_kind_name(kind));
    default:
        return vgt_error_set(err, VGT_E_INVALID, "unknown backend kind %d", (int)kind);
    }
}

void vgt_backend_destroy(vgt_backend *be)
{
    if (be && be->ops) {
        be->ops->destroy(be->self);
    }
    if (be) {
        memset(be, 0, sizeof(*be));
    }
}

void vgt_backend_caps_set(vgt_backend_caps *caps, uint32_t index, uint32_t value)
{
    caps->devcap_valid[index] = true;
    caps->devcap[index] = value;
}

void vgt_backend_caps_set_float(vgt_backend_caps *caps, uint32_t index, float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof(bits));
    vgt_backend_caps_set(caps, index, bits);
}
