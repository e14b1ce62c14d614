/* gl_backend.c - the OpenGL backend's vgt_backend_ops table: creation (the
 * context and the long-lived GL objects), capabilities, destruction. */
#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"
#include "gl_shader.h"

static const vgt_backend_ops gl_ops;

static void gl_destroy(void *self)
{
    gl_backend *b = self;
    if (!b) {
        return;
    }
    if (b->dpy != EGL_NO_DISPLAY && b->ctx != EGL_NO_CONTEXT && gl_make_current(b)) {
        if (b->timer_active) {
            glEndQuery(GL_TIME_ELAPSED);
        }
        if (b->programs) {
            gl_ff_cache_destroy(b);
        }
        gl_shader_cache_destroy(b);
        gl_probe_destroy(b);
        glDeleteFramebuffers(1, &b->draw_fbo);
        glDeleteFramebuffers(1, &b->read_fbo);
        glDeleteFramebuffers(1, &b->aux_fbo);
        glDeleteVertexArrays(1, &b->vao);
        glDeleteVertexArrays(1, &b->clear_vao);
        glDeleteBuffers(1, &b->clear_buf);
        glDeleteTextures(1, &b->clear_mask_tex);
        if (b->clear_prog) {
            glDeleteProgram(b->clear_prog);
        }
        glDeleteBuffers(1, &b->pbo);
        glDeleteBuffers(1, &b->freq_buf);
        glDeleteTextures(1, &b->win_tex);
        glDeleteSamplers(GLB_MAX_STAGES, b->samplers);
        glDeleteQueries(1, &b->timer_query);
    }
    gl_context_destroy(b);
    free(b->probe.frags); /* when the context could not be made current above */
    if (b->programs) {
        /* Host memory of the program cache is freed even when the context
         * could not be made current above (its GL objects died with it). */
        for (uint32_t i = 0; i < GLB_PROGRAM_CACHE; i++) {
            free(b->programs[i].last);
        }
    }
    gl_shader_cache_free_host(b); /* left when the context could not be made current */
    free(b->programs);
    free(b->scratch);
    vgt_rect_union_free(&b->clear_union);
    free(b->clear_mask);
    free(b);
}

static void gl_get_caps(void *self, vgt_backend_caps *c)
{
    gl_backend *b = self;
    GLint max_tex = 4096, max_3d = 256;
    /* called while the executor is set up, maybe on another thread than the
     * one that will draw: borrow the context and give it back */
    bool was_current = eglGetCurrentContext() == b->ctx;
    if (gl_make_current(b)) {
        glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_tex);
        glGetIntegerv(GL_MAX_3D_TEXTURE_SIZE, &max_3d);
        if (!was_current) {
            gl_release_current(b);
        }
    }
    c->hw_version = VGT_SVGA3D_HWVERSION_CURRENT;
    c->shaders = true; /* translated to GLSL (gl_shader.c) */
    /* COLOR0..3: draw buffers of the draw FBO (docs/gl.md "Multiple render targets") */
    c->max_color_targets = GLB_MAX_TARGETS;
    c->max_lights = GLB_MAX_LIGHTS;
    c->max_texture_size = (uint32_t)(max_tex < 16384 ? max_tex : 16384);
    c->max_volume_extent = (uint32_t)max_3d;
    c->max_surface_bytes = 1ull << 30;
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_3D, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_LIGHTS, GLB_MAX_LIGHTS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURES, GLB_MAX_STAGES);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_CLIP_PLANES, VGT_SVGA3D_MAX_CLIP_PLANES);
    /* shader model 3.0 through the GLSL translator: SVGA3DVSVERSION_30 = 3,
     * SVGA3DPSVERSION_30 = 6 */
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_VERTEX_SHADER_VERSION, 3);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_VERTEX_SHADER, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER_VERSION, 6);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_FRAGMENT_SHADER, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_INSTRUCTIONS, VGT_SHADER_MAX_INSNS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_FRAGMENT_SHADER_INSTRUCTIONS,
                         VGT_SHADER_MAX_INSNS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEMPS, 32);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_FRAGMENT_SHADER_TEMPS, 32);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_RENDER_TARGETS, GLB_MAX_TARGETS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_SIMULTANEOUS_RENDER_TARGETS, GLB_MAX_TARGETS);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_S23E8_TEXTURES, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_S10E5_TEXTURES, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_FIXED_VERTEXBLEND, 4); /* WORLD..WORLD3 */
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_D16_BUFFER_FORMAT, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_D24S8_BUFFER_FORMAT, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_D24X8_BUFFER_FORMAT, 1);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_QUERY_TYPES, 1u << VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_TEXTURE_GRADIENT_SAMPLING,
                         1); /* texldd: textureGrad */
    vgt_backend_caps_set_float(c, VGT_SVGA3D_DEVCAP_MAX_POINT_SIZE, 256.0f);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_SHADER_TEXTURES, GLB_MAX_STAGES);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_WIDTH, c->max_texture_size);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_HEIGHT, c->max_texture_size);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VOLUME_EXTENT, c->max_volume_extent);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_REPEAT, c->max_texture_size);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ASPECT_RATIO, c->max_texture_size);
    /* the driver's anisotropic filtering, up to 16 as the soft backend
     * and SVGA3D hosts; 1 without the extension (gl_aniso_max) */
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_TEXTURE_ANISOTROPY, gl_aniso_max(b));
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_PRIMITIVE_COUNT, 1u << 24);
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VERTEX_INDEX, (1u << 24) - 1u);
    uint32_t ops = 0;
    for (uint32_t op = 1; op < VGT_SVGA3D_TC_MAX; op++) {
        /* DSDT's meaning in SVGA3D is not established (a host maps it to
         * DISABLE); PREMODULATE is not done */
        if (op != VGT_SVGA3D_TC_DSDT && op != VGT_SVGA3D_TC_PREMODULATE) {
            ops |= VGT_SVGA3D_TC_CAP_BIT(op);
        }
    }
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_TEXTURE_OPS, ops);
    for (uint32_t cap = VGT_SVGA3D_DEVCAP_SURFACEFMT_X8R8G8B8;
         cap <= VGT_SVGA3D_DEVCAP_SURFACEFMT_ARGB_S23E8; cap++) {
        const gl_format *f = gl_format_get(vgt_svga3d_devcap_format(cap));
        uint32_t v = 0;
        /* DXT is advertised with or without S3TC: without it the blocks are
         * decoded on the CPU (gl_surface.c) */
        if (f) {
            v |= VGT_SVGA3D_FORMAT_OP_TEXTURE | VGT_SVGA3D_FORMAT_OP_CUBETEXTURE;
            if (!f->depth) {
                v |= VGT_SVGA3D_FORMAT_OP_VOLUMETEXTURE;
            }
            if (f->renderable) {
                v |= VGT_SVGA3D_FORMAT_OP_OFFSCREEN_RENDERTARGET |
                     VGT_SVGA3D_FORMAT_OP_SAME_FORMAT_RENDERTARGET |
                     VGT_SVGA3D_FORMAT_OP_3DACCELERATION;
            }
            if (f->depth) {
                v |= VGT_SVGA3D_FORMAT_OP_ZSTENCIL |
                     VGT_SVGA3D_FORMAT_OP_ZSTENCIL_WITH_ARBITRARY_COLOR_DEPTH;
            }
            if (f->svga == VGT_SVGA3D_X8R8G8B8) {
                v |= VGT_SVGA3D_FORMAT_OP_DISPLAYMODE;
            }
            /* du, dv for texbem, texbeml and bem (gl_shader.c); CxV8U8 is a
             * normal-map format (Wine flags it no bump map either) */
            if (f->svga == VGT_SVGA3D_BUMPU8V8 || f->svga == VGT_SVGA3D_BUMPX8L8V8U8 ||
                f->svga == VGT_SVGA3D_Q8W8V8U8) {
                v |= VGT_SVGA3D_FORMAT_OP_BUMPMAP;
            }
        }
        vgt_backend_caps_set(c, cap, v);
    }
    vgt_backend_caps_set(c, VGT_SVGA3D_DEVCAP_MAX_VERTEX_SHADER_TEXTURES, 0);
}

static vgt_status gl_shader_define(void *self, uint32_t type, const uint32_t *bytecode,
                                   uint32_t words, vgt_backend_shader **out, vgt_error *err)
{
    return gl_shader_create(self, type, bytecode, words, out, err);
}

static void gl_shader_destroy(void *self, vgt_backend_shader *sh)
{
    gl_shader_release(self, sh);
}

static void gl_finish(void *self)
{
    gl_backend *b = self;
    if (gl_make_current(b)) {
        glFinish();
    }
}

static const vgt_backend_ops gl_ops = {
    .name = "gl",
    .destroy = gl_destroy,
    .get_caps = gl_get_caps,
    .surface_define = gl_surface_define,
    .surface_destroy = gl_surface_destroy,
    .surface_upload = gl_surface_upload,
    .surface_download = gl_surface_download,
    .surface_copy = gl_surface_copy,
    .surface_stretch = gl_surface_stretch,
    .generate_mipmaps = gl_generate_mipmaps,
    .clear = gl_clear,
    .draw = gl_draw,
    .read_pixels = gl_read_pixels,
    .read_slice = gl_read_slice,
    .shader_define = gl_shader_define,
    .shader_destroy = gl_shader_destroy,
    .query_create = gl_query_create,
    .query_destroy = gl_query_destroy,
    .query_begin = gl_query_begin,
    .query_end = gl_query_end,
    .gpu_time = gl_gpu_time,
    .finish = gl_finish,
    .show_image = gl_show_image,
    .fragment_probe = gl_fragment_probe,
    .fragment_take = gl_fragment_take,
};

vgt_status vgt_backend_gl_create(const vgt_gl_options *opt, vgt_backend *out, vgt_error *err)
{
    memset(out, 0, sizeof(*out));
    gl_backend *b = calloc(1, sizeof(*b));
    if (!b) {
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory");
    }
    if (opt) {
        b->opt = *opt;
    }
    b->id = gl_new_backend_id();
    b->dpy = EGL_NO_DISPLAY;
    b->ctx = EGL_NO_CONTEXT;
    b->surf = EGL_NO_SURFACE;
    b->programs = calloc(GLB_PROGRAM_CACHE, sizeof(*b->programs));
    if (!b->programs) {
        free(b);
        return vgt_error_set(err, VGT_E_NOMEM, "gl backend: out of memory");
    }
    vgt_status rc = gl_context_create(b, err);
    if (rc) {
        gl_destroy(b);
        return rc;
    }
    if (gl_op_begin(b, "create", err)) {
        return err ? err->code : VGT_E_STATE;
    }
    glGenFramebuffers(1, &b->draw_fbo);
    glGenFramebuffers(1, &b->read_fbo);
    glGenFramebuffers(1, &b->aux_fbo);
    glGenVertexArrays(1, &b->vao);
    glBindVertexArray(b->vao);
    glGenBuffers(1, &b->pbo);
    glGenSamplers(GLB_MAX_STAGES, b->samplers);
    for (GLuint i = 0; i < GLB_MAX_STAGES; i++) {
        glBindSampler(i, b->samplers[i]);
    }
    glGenQueries(1, &b->timer_query);
    if (b->info.clip_control) {
        glClipControl(GL_LOWER_LEFT, GL_ZERO_TO_ONE);
    }
    glProvokingVertex(GL_FIRST_VERTEX_CONVENTION);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    for (uint32_t i = 0; i < GLB_ATTRIBS; i++) {
        b->attribs[i].type = UINT32_MAX;
    }
    gl_state_invalidate(b);
    rc = gl_op_end(b, VGT_OK, err, "%s", b->info.renderer);
    if (rc) {
        gl_destroy(b);
        return rc;
    }
    /* release the context: the executor may call from another thread */
    gl_release_current(b);
    out->ops = &gl_ops;
    out->self = b;
    return VGT_OK;
}

vgt_status vgt_backend_gl_info(const vgt_backend *be, vgt_gl_info *out)
{
    if (!be || be->ops != &gl_ops) {
        return VGT_E_INVALID;
    }
    *out = ((const gl_backend *)be->self)->info;
    return VGT_OK;
}

vgt_status vgt_backend_gl_counters(const vgt_backend *be, vgt_gl_counters *out)
{
    if (!be || be->ops != &gl_ops) {
        return VGT_E_INVALID;
    }
    *out = ((const gl_backend *)be->self)->n;
    return VGT_OK;
}

void vgt_backend_gl_make_current(const vgt_backend *be)
{
    if (be && be->ops == &gl_ops) {
        /* other code may have made its own context current on this thread
         * since the backend last did: ask EGL again */
        gl_forget_current();
        gl_make_current((gl_backend *)be->self);
    }
}

void vgt_backend_gl_context_changed(void)
{
    gl_forget_current();
}

bool vgt_backend_gl_available(vgt_error *err)
{
    vgt_backend be;
    vgt_gl_options opt = {0};
    if (vgt_backend_gl_create(&opt, &be, err) != VGT_OK) {
        return false;
    }
    be.ops->destroy(be.self);
    return true;
}
