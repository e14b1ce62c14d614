/* gl_test_util.c - see gl_test_util.h. */
#include "gl_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <sys/stat.h>

void pin_mesa_driver(void)
{
    /* eglTerminate unloads the DRI driver and the libraries it pulled in;
     * leak reports at exit would then show their frames as "<unknown
     * module>", which no suppression can name.  Keeping every shared object
     * loaded now mapped until exit lets lsan.supp match Mesa's own
     * allocations (our code is in the executable, never suppressed). */
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    while (f && fgets(line, sizeof(line), f)) {
        char *path = strchr(line, '/');
        if (!path || !strstr(path, ".so")) {
            continue;
        }
        path[strcspn(path, "\n")] = '\0';
        void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
        (void)h; /* the reference is kept on purpose until exit */
    }
    if (f) {
        fclose(f);
    }
}

void scene_backend_gl(vgt_backend *be)
{
    vgt_gl_options opt = {0};
    /* VGT_TEST_GL_FALLBACKS=1 (ctest's test_gl_render_fallbacks): the paths
     * for drivers without ARB_clip_control and ARB_viewport_array (z remapped
     * and the half-pixel offset applied in the vertex shader) */
    const char *fb = getenv("VGT_TEST_GL_FALLBACKS");
    if (fb && *fb && strcmp(fb, "0") != 0) {
        opt.no_clip_control = true;
        opt.no_viewport_array = true;
    }
    scene_backend_gl_opts(be, &opt);
}

void scene_backend_gl_opts(vgt_backend *be, const vgt_gl_options *opt)
{
    vgt_error err = {0};
    vgt_status rc = vgt_backend_gl_create(opt, be, &err);
    if (rc == VGT_OK) {
        pin_mesa_driver();
        return;
    }
    /* only a machine without any EGL may skip: CI has Mesa's llvmpipe */
    if (strstr(err.message, "no EGL display")) {
        print_message("SKIP: %s\n", err.message);
        skip();
    }
    fail_msg("gl backend: %s", err.message);
}

static void identity(vgt_backend_matrix *m)
{
    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 4; i++) {
        m->m[i][i] = 1.0f;
    }
}

static void defaults(scene *s)
{
    vgt_backend_draw_state *st = &s->st;
    memset(st, 0, sizeof(*st));
    st->cid = 1;
    st->color_targets[0] = (vgt_backend_view){s->rt, 0, 0, s->rt_format, {s->w, s->h, 1}};
    st->color_target_count = 1;
    if (s->ds) {
        st->depth_target = (vgt_backend_view){s->ds, 0, 0, s->surf[1].format, {s->w, s->h, 1}};
        st->stencil_target = st->depth_target;
    }
    st->viewport = (vgt_backend_rect){0, 0, s->w, s->h};
    st->z_min = 0.0f;
    st->z_max = 1.0f;
    st->vertex_shader_id = st->pixel_shader_id = VGT_SVGA3D_INVALID_ID;
    identity(&st->world);
    for (int i = 0; i < 3; i++) {
        identity(&st->world_n[i]); /* WORLD1..3 (vertex blending) */
    }
    identity(&st->view);
    identity(&st->projection);
    st->cull_face = VGT_SVGA3D_FACE_NONE;
    st->front_winding = VGT_SVGA3D_FRONTWINDING_CW;
    st->fill_mode = VGT_SVGA3D_FILLMODE_FILL;
    st->shade_mode = VGT_SVGA3D_SHADEMODE_SMOOTH;
    st->clipping = true;
    st->point_size = 1.0f;
    st->point_size_min = 1.0f;
    st->point_size_max = 64.0f;
    st->line_width = 1.0f;
    st->coordinate_type = VGT_SVGA3D_COORDINATE_LEFTHANDED;
    st->lighting = false;
    st->color_vertex = true;
    st->diffuse_source = VGT_SVGA3D_VERTEXMATERIAL_DIFFUSE;
    st->specular_source = VGT_SVGA3D_VERTEXMATERIAL_SPECULAR;
    st->material.diffuse = (vgt_backend_color){1, 1, 1, 1};
    st->fog_function = VGT_SVGA3D_FOGFUNC_LINEAR;
    st->fog_type = VGT_SVGA3D_FOGTYPE_VERTEX;
    st->fog_base = VGT_SVGA3D_FOGBASE_DEPTHBASED;
    st->fog_end = 1.0f;
    st->fog_density = 1.0f;
    for (uint32_t i = 0; i < VGT_BACKEND_MAX_STAGES; i++) {
        vgt_backend_stage *g = &st->stages[i];
        g->color_op = i == 0 ? VGT_SVGA3D_TC_MODULATE : VGT_SVGA3D_TC_DISABLE;
        g->alpha_op = i == 0 ? VGT_SVGA3D_TC_SELECTARG1 : VGT_SVGA3D_TC_DISABLE;
        g->color_arg0 = g->alpha_arg0 = VGT_SVGA3D_TA_PREVIOUS;
        g->color_arg1 = g->alpha_arg1 = VGT_SVGA3D_TA_TEXTURE;
        g->color_arg2 = g->alpha_arg2 = VGT_SVGA3D_TA_PREVIOUS;
        g->texcoord_index = i;
        g->address_u = g->address_v = g->address_w = VGT_SVGA3D_TEX_ADDRESS_WRAP;
        g->mag_filter = g->min_filter = VGT_SVGA3D_TEX_FILTER_NEAREST;
        g->mip_filter = VGT_SVGA3D_TEX_FILTER_NONE;
        identity(&g->texture_transform);
    }
    st->texture_factor = 0xffffffffu;
    st->alpha_func = VGT_SVGA3D_CMP_ALWAYS;
    st->z_enable = s->ds != NULL;
    st->z_write = true;
    st->z_func = VGT_SVGA3D_CMP_LESSEQUAL;
    st->stencil_mask = st->stencil_write_mask = 0xffffffffu;
    st->stencil_func = st->ccw_stencil_func = VGT_SVGA3D_CMP_ALWAYS;
    st->stencil_fail = st->stencil_zfail = st->stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    st->ccw_stencil_fail = st->ccw_stencil_zfail = st->ccw_stencil_pass = VGT_SVGA3D_STENCILOP_KEEP;
    st->src_blend = st->src_blend_alpha = VGT_SVGA3D_BLENDOP_ONE;
    st->dst_blend = st->dst_blend_alpha = VGT_SVGA3D_BLENDOP_ZERO;
    st->blend_eq = st->blend_eq_alpha = VGT_SVGA3D_BLENDEQ_ADD;
    for (int i = 0; i < 4; i++) {
        st->color_write_mask[i] = 0xf;
    }
    st->render_states = s->render_states;
    st->texture_states = s->texture_states;
}

void scene_init(scene *s, const char *kind, uint32_t w, uint32_t h, uint32_t rt_format,
                uint32_t depth_format)
{
    memset(s, 0, sizeof(*s));
    s->name = kind;
    s->w = w;
    s->h = h;
    vgt_error err = {0};
    if (strcmp(kind, "gl") == 0) {
        scene_backend_gl(&s->be);
    } else if (strcmp(kind, "gl-no-s3tc") == 0) {
        vgt_gl_options opt = {.no_s3tc = true};
        scene_backend_gl_opts(&s->be, &opt);
    } else if (strcmp(kind, "gl-no-fb-fetch") == 0) {
        vgt_gl_options opt = {.no_fb_fetch = true};
        scene_backend_gl_opts(&s->be, &opt);
    } else if (strcmp(kind, "gl-clear-draw") == 0) {
        vgt_gl_options opt = {.clear_draw_min = 1}; /* every CLEAR's rectangles drawn */
        scene_backend_gl_opts(&s->be, &opt);
    } else if (strcmp(kind, "gl-clear-scissor") == 0) {
        vgt_gl_options opt = {.clear_draw_min = UINT32_MAX}; /* a scissored glClear each */
        scene_backend_gl_opts(&s->be, &opt);
    } else if (strcmp(kind, "gl-no-debug") == 0) {
        /* a context without KHR_debug output, made without robust access:
         * the backend checks index buffers against the vertices itself */
        vgt_gl_options opt = {.no_debug_output = true};
        scene_backend_gl_opts(&s->be, &opt);
    } else {
        assert_int_equal(vgt_backend_create(VGT_BACKEND_SOFT, NULL, &s->be, &err), VGT_OK);
    }
    s->rt_format = rt_format;
    s->rt = scene_define(s, rt_format, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, w, h, 1, 1, 1);
    if (depth_format) {
        s->ds = scene_define(s, depth_format, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, w, h, 1, 1, 1);
    }
    defaults(s);
}

void scene_fini(scene *s)
{
    for (uint32_t i = 0; i < s->nsurf; i++) {
        s->be.ops->surface_destroy(s->be.self, s->surf[i].host);
    }
    vgt_backend_destroy(&s->be);
}

uint32_t scene_multisample;

vgt_backend_surface *scene_define(scene *s, uint32_t format, uint32_t flags, uint32_t w, uint32_t h,
                                  uint32_t d, uint32_t faces, uint32_t mips)
{
    assert_true(s->nsurf < SCENE_MAX_SURFACES);
    assert_true(faces * mips <= SCENE_MAX_IMAGES);
    scene_surface *ss = &s->surf[s->nsurf];
    vgt_error err = {0};
    uint64_t off = 0;
    for (uint32_t f = 0; f < faces; f++) {
        for (uint32_t m = 0; m < mips; m++) {
            vgt_surface_image *im = &ss->images[f * mips + m];
            uint32_t mw = w >> m ? w >> m : 1, mh = h >> m ? h >> m : 1, md = d >> m ? d >> m : 1;
            im->size = (vgt_svga3d_size){mw, mh, md};
            assert_int_equal(vgt_surface_image_size(format, mw, mh, md, &im->row_pitch,
                                                    &im->slice_pitch, &im->bytes, &err),
                             VGT_OK);
            im->offset = off;
            off += im->bytes;
        }
    }
    vgt_backend_surface_desc desc = {.sid = 100 + s->nsurf,
                                     .multisample_count = scene_multisample,
                                     .format = format,
                                     .flags = flags | (faces == 6 ? VGT_SVGA3D_SURFACE_CUBEMAP : 0),
                                     .faces = faces,
                                     .mip_levels = mips,
                                     .size = {w, h, d},
                                     .total_bytes = off,
                                     .images = ss->images};
    vgt_status rc = s->be.ops->surface_define(s->be.self, &desc, &ss->host, &err);
    if (rc != VGT_OK) {
        fail_msg("%s: define format %u: %s", s->name, format, err.message);
    }
    ss->format = format;
    ss->faces = faces;
    ss->mips = mips;
    ss->size = desc.size;
    s->nsurf++;
    return ss->host;
}

static scene_surface *find(scene *s, vgt_backend_surface *h)
{
    for (uint32_t i = 0; i < s->nsurf; i++) {
        if (s->surf[i].host == h) {
            return &s->surf[i];
        }
    }
    fail_msg("unknown surface");
    return NULL;
}

void scene_upload(scene *s, vgt_backend_surface *surface, uint32_t face, uint32_t mip,
                  const void *data)
{
    scene_surface *ss = find(s, surface);
    const vgt_surface_image *im = &ss->images[face * ss->mips + mip];
    vgt_svga3d_box box = {0, 0, 0, im->size.width, im->size.height, im->size.depth};
    vgt_error err = {0};
    vgt_status rc = s->be.ops->surface_upload(s->be.self, surface, face, mip, &box, data,
                                              im->row_pitch, im->slice_pitch, 0, &err);
    if (rc != VGT_OK) {
        fail_msg("%s: upload: %s", s->name, err.message);
    }
}

void scene_element(vgt_backend_draw_state *st, vgt_backend_surface *vb, uint64_t bytes,
                   uint32_t offset, uint32_t stride, uint32_t type, uint32_t usage)
{
    vgt_backend_element *e = &st->elements[st->element_count++];
    memset(e, 0, sizeof(*e));
    e->buffer = vb;
    e->buffer_bytes = bytes;
    e->offset = offset;
    e->stride = stride;
    e->type = type;
    e->usage = usage;
}

void scene_tverts(scene *s, const tvert *v, uint32_t count)
{
    uint32_t bytes = count * (uint32_t)sizeof(tvert);
    s->vb =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->vb, 0, 0, v);
    vgt_backend_draw_state *st = &s->st;
    st->element_count = 0;
    scene_element(st, s->vb, bytes, 0, sizeof(tvert), VGT_SVGA3D_DECLTYPE_FLOAT3,
                  VGT_SVGA3D_DECLUSAGE_POSITION);
    scene_element(st, s->vb, bytes, 12, sizeof(tvert), VGT_SVGA3D_DECLTYPE_FLOAT3,
                  VGT_SVGA3D_DECLUSAGE_NORMAL);
    scene_element(st, s->vb, bytes, 24, sizeof(tvert), VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                  VGT_SVGA3D_DECLUSAGE_COLOR);
    scene_element(st, s->vb, bytes, 28, sizeof(tvert), VGT_SVGA3D_DECLTYPE_FLOAT2,
                  VGT_SVGA3D_DECLUSAGE_TEXCOORD);
}

void scene_indices(scene *s, const void *idx, uint32_t bytes)
{
    s->ib =
        scene_define(s, VGT_SVGA3D_BUFFER, VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER, bytes, 1, 1, 1, 1);
    scene_upload(s, s->ib, 0, 0, idx);
}

void scene_clear(scene *s, uint32_t flags, uint32_t color, float depth, uint32_t stencil)
{
    vgt_error err = {0};
    if (s->be.ops->clear(s->be.self, &s->st, flags, color, depth, stencil, NULL, 0, &err)) {
        fail_msg("%s: clear: %s", s->name, err.message);
    }
}

static uint32_t prim_vertices(uint32_t prim, uint32_t n)
{
    switch (prim) {
    case VGT_SVGA3D_PRIMITIVE_TRIANGLELIST:
        return 3 * n;
    case VGT_SVGA3D_PRIMITIVE_LINELIST:
        return 2 * n;
    case VGT_SVGA3D_PRIMITIVE_LINESTRIP:
        return n + 1;
    case VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP:
    case VGT_SVGA3D_PRIMITIVE_TRIANGLEFAN:
        return n + 2;
    default:
        return n;
    }
}

vgt_status scene_draw_rc(scene *s, uint32_t prim, uint32_t prim_count, uint32_t index_width,
                         uint32_t index_offset, int32_t bias, vgt_error *err)
{
    vgt_backend_draw_range r = {.primitive_type = prim,
                                .primitive_count = prim_count,
                                .vertex_count = prim_vertices(prim, prim_count),
                                .index_bias = bias};
    if (index_width) {
        r.index_buffer = s->ib;
        r.index_buffer_bytes = find(s, s->ib)->images[0].bytes;
        r.index_offset = index_offset;
        r.index_width = index_width;
    }
    vgt_backend_draw_stats stats = {0};
    return s->be.ops->draw(s->be.self, &s->st, &r, 1, &stats, err);
}

void scene_draw(scene *s, uint32_t prim, uint32_t prim_count)
{
    vgt_error err = {0};
    if (scene_draw_rc(s, prim, prim_count, 0, 0, 0, &err) != VGT_OK) {
        fail_msg("%s: draw: %s", s->name, err.message);
    }
}

void scene_read(scene *s, vgt_image *out)
{
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(out, s->w, s->h, &err), VGT_OK);
    vgt_backend_view v = {s->rt, 0, 0, s->rt_format, {s->w, s->h, 1}};
    vgt_svga3d_rect r = {0, 0, s->w, s->h};
    if (s->be.ops->read_pixels(s->be.self, &v, &r, out->pixels, out->stride, &err)) {
        fail_msg("%s: read_pixels: %s", s->name, err.message);
    }
}

void quad(tvert *out, float x0, float y0, float x1, float y1, float z, uint32_t color)
{
    /* screen y points down: (x0,y1) is the top left */
    tvert tl = {x0, y1, z, 0, 0, -1, color, 0, 0}, tr = {x1, y1, z, 0, 0, -1, color, 1, 0};
    tvert bl = {x0, y0, z, 0, 0, -1, color, 0, 1}, br = {x1, y0, z, 0, 0, -1, color, 1, 1};
    out[0] = tl;
    out[1] = tr;
    out[2] = bl;
    out[3] = bl;
    out[4] = tr;
    out[5] = br;
}

uint32_t scene_texel(uint32_t x, uint32_t y)
{
    static const uint32_t pal[8] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u,
                                    0xff00ffffu, 0xffff00ffu, 0xffffffffu, 0xff404040u};
    return pal[(x + 3 * y) & 7] ^ ((x * 37 + y * 11) & 0x3f);
}

vgt_backend_surface *scene_checker(scene *s, uint32_t w, uint32_t h)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, w, h, 1, 1, 1);
    uint32_t *px = malloc(w * h * 4);
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            vgt_store_le32(&px[y * w + x], scene_texel(x, y));
        }
    }
    scene_upload(s, t, 0, 0, px);
    free(px);
    return t;
}

void perspective(vgt_backend_matrix *m, float fov_y, float aspect, float zn, float zf)
{
    float ys = 1.0f / tanf(fov_y * 0.5f), xs = ys / aspect;
    memset(m, 0, sizeof(*m));
    m->m[0][0] = xs;
    m->m[1][1] = ys;
    m->m[2][2] = zf / (zf - zn);
    m->m[2][3] = 1.0f;
    m->m[3][2] = -zn * zf / (zf - zn);
}

void compare_images(const char *name, const vgt_image *gl, const vgt_image *soft, uint32_t tol,
                    double max_over_fraction)
{
    compare_images_as(name, "gl", gl, "soft", soft, tol, max_over_fraction);
}

void compare_images_as(const char *name, const char *label_a, const vgt_image *a,
                       const char *label_b, const vgt_image *b, uint32_t tol,
                       double max_over_fraction)
{
    vgt_error err = {0};
    char dir[1024], path[1200];
    snprintf(dir, sizeof(dir), "%s/gl-out", VGT_BINARY_DIR);
    mkdir(dir, 0777);
    snprintf(path, sizeof(path), "%s/%s-%s.png", dir, name, label_a);
    vgt_image_write_png(a, path, false, &err);
    snprintf(path, sizeof(path), "%s/%s-%s.png", dir, name, label_b);
    vgt_image_write_png(b, path, false, &err);
    vgt_image_diff d;
    assert_int_equal(vgt_image_compare(a, b, tol, false, &d, &err), VGT_OK);
    double frac = d.pixels_total ? (double)d.pixels_over / (double)d.pixels_total : 0.0;
    print_message("%-24s %s vs %s: max channel delta %3u, %6llu of %llu pixels over %u "
                  "(%.4f%%)\n",
                  name, label_a, label_b, d.max_channel_delta, (unsigned long long)d.pixels_over,
                  (unsigned long long)d.pixels_total, tol, 100.0 * frac);
    if (frac > max_over_fraction) {
        fail_msg("%s: %llu pixels (%.3f%%) of %s differ from %s by more than %u "
                 "(allowed %.3f%%); images in %s",
                 name, (unsigned long long)d.pixels_over, 100.0 * frac, label_a, label_b, tol,
                 100.0 * max_over_fraction, dir);
    }
}

uint32_t image_colors(const vgt_image *im, uint32_t max)
{
    uint32_t seen[256], colors = 0;
    max = max < 256 ? max : 256;
    for (uint32_t y = 0; y < im->height && colors < max; y++) {
        for (uint32_t x = 0; x < im->width && colors < max; x++) {
            uint32_t c = vgt_load_le32(im->pixels + (size_t)y * im->stride + 4u * x) & 0xffffffu;
            bool found = false;
            for (uint32_t k = 0; k < colors && !found; k++) {
                found = seen[k] == c;
            }
            if (!found) {
                seen[colors++] = c;
            }
        }
    }
    return colors;
}

void run_gl_and_soft(const char *name, uint32_t w, uint32_t h, uint32_t rtf, uint32_t dsf,
                     scene_fn fn, uint32_t tol, double max_over_fraction, uint32_t min_colors)
{
    run_kind_and_soft("gl", name, w, h, rtf, dsf, fn, tol, max_over_fraction, min_colors);
}

void run_kind_and_soft(const char *gl_kind, const char *name, uint32_t w, uint32_t h, uint32_t rtf,
                       uint32_t dsf, scene_fn fn, uint32_t tol, double max_over_fraction,
                       uint32_t min_colors)
{
    scene *g = calloc(1, sizeof(*g)), *r = calloc(1, sizeof(*r));
    assert_non_null(g);
    assert_non_null(r);
    vgt_image a, b;
    scene_init(g, gl_kind, w, h, rtf, dsf);
    fn(g);
    scene_read(g, &a);
    scene_init(r, "soft", w, h, rtf, dsf);
    fn(r);
    scene_read(r, &b);
    compare_images(name, &a, &b, tol, max_over_fraction);
    uint32_t colors = image_colors(&b, 256);
    if (colors < min_colors) {
        fail_msg("%s: the reference has %u colors (expected >= %u): not a real scene", name, colors,
                 min_colors);
    }
    vgt_image_free(&a);
    vgt_image_free(&b);
    scene_fini(g);
    scene_fini(r);
    free(g);
    free(r);
}

static const float zero_psf[VGT_BACKEND_PS_FLOAT_REGS][4];
static const float zero_vsf[VGT_BACKEND_VS_FLOAT_REGS][4];
static const int32_t zero_int[VGT_BACKEND_INT_REGS][4];
static const uint32_t zero_bool[VGT_BACKEND_BOOL_REGS];

static void scene_with_shader(scene *s, uint32_t type, const char *text, scene_fn draw)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_error err = {0};
    if (vgt_shader_assemble(text, strlen(text), &words, &n, NULL, &err) != VGT_OK) {
        fail_msg("assemble: %s", err.message);
    }
    vgt_backend_shader *sh = NULL;
    if (s->be.ops->shader_define(s->be.self, type, words, (uint32_t)n, &sh, &err) != VGT_OK) {
        fail_msg("%s: shader_define: %s", s->name, err.message);
    }
    free(words);
    bool ps = type == VGT_SVGA3D_SHADERTYPE_PS;
    *(ps ? &s->st.pixel_shader : &s->st.vertex_shader) = sh;
    *(ps ? &s->st.pixel_shader_id : &s->st.vertex_shader_id) = 1;
    s->st.ps_float = zero_psf;
    s->st.ps_int = zero_int;
    s->st.ps_bool = zero_bool;
    s->st.vs_float = zero_vsf;
    s->st.vs_int = zero_int;
    s->st.vs_bool = zero_bool;
    draw(s);
    *(ps ? &s->st.pixel_shader : &s->st.vertex_shader) = NULL;
    *(ps ? &s->st.pixel_shader_id : &s->st.vertex_shader_id) = VGT_SVGA3D_INVALID_ID;
    s->be.ops->shader_destroy(s->be.self, sh);
}

void scene_with_ps(scene *s, const char *ps_text, scene_fn draw)
{
    scene_with_shader(s, VGT_SVGA3D_SHADERTYPE_PS, ps_text, draw);
}

void scene_with_vs(scene *s, const char *vs_text, scene_fn draw)
{
    scene_with_shader(s, VGT_SVGA3D_SHADERTYPE_VS, vs_text, draw);
}

void gl_device_test_start(void)
{
    vgt_error gerr = {0};
    if (!vgt_backend_gl_available(&gerr) && strstr(gerr.message, "no EGL display")) {
        print_message("SKIP: %s\n", gerr.message);
        skip();
    }
    vgt_backend pin;
    scene_backend_gl(&pin);
    vgt_backend_destroy(&pin);
}

/* The blend scene of test_gl_render and test_gl_blend: an opaque background, then SRCALPHA /
 * INVSRCALPHA with an alpha gradient, ONE + ONE (additive, above 1 where
 * it overlaps), BLENDFACTOR / INVSRCCOLOR REVSUBTRACT and MAXIMUM. */
void scene_blend4(scene *s)
{
    tvert v[30];
    quad(v, -1, -1, 1, 1, 0.5f, 0xff2040c0u);
    quad(v + 6, -0.8f, -0.8f, 0.2f, 0.2f, 0.5f, 0x80ff8000u);
    quad(v + 12, -0.2f, -0.2f, 0.8f, 0.8f, 0.5f, 0x4000ff40u);
    quad(v + 18, -0.5f, 0.3f, 0.5f, 0.9f, 0.5f, 0xc0c0c0c0u);
    quad(v + 24, -0.9f, -0.95f, 0.9f, -0.6f, 0.5f, 0x60ffffffu);
    for (int i = 0; i < 6; i++) {
        v[6 + i].color = i < 3 ? 0x20ff0000u : 0xe0ffff00u; /* alpha gradient */
    }
    scene_tverts(s, v, 30);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    s->st.blend_enable = true;
    static const uint32_t st[4][3] = {
        {VGT_SVGA3D_BLENDOP_SRCALPHA, VGT_SVGA3D_BLENDOP_INVSRCALPHA, VGT_SVGA3D_BLENDEQ_ADD},
        {VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDEQ_ADD},
        {VGT_SVGA3D_BLENDOP_BLENDFACTOR, VGT_SVGA3D_BLENDOP_INVSRCCOLOR,
         VGT_SVGA3D_BLENDEQ_REVSUBTRACT},
        {VGT_SVGA3D_BLENDOP_BLENDFACTOR, VGT_SVGA3D_BLENDOP_INVSRCCOLOR,
         VGT_SVGA3D_BLENDEQ_MAXIMUM},
    };
    s->st.blend_color = 0x80406080u;
    for (uint32_t i = 0; i < 4; i++) {
        s->st.src_blend = st[i][0];
        s->st.dst_blend = st[i][1];
        s->st.blend_eq = st[i][2];
        vgt_error err = {0};
        vgt_backend_draw_range r = {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                    .primitive_count = 2,
                                    .vertex_count = 6,
                                    .index_bias = (int32_t)(6 + 6 * i)};
        assert_int_equal(s->be.ops->draw(s->be.self, &s->st, &r, 1, NULL, &err), VGT_OK);
    }
}

/* The factors and equations scene_blend4 leaves out, each over a part of what
 * the ones before drew: separate alpha (ZERO, INVSRCALPHA, REVSUBTRACT)
 * leaving the target's alpha below 1, DESTCOLOR x ZERO, INVDESTCOLOR / ONE
 * SUBTRACT, SRCALPHASAT / INVDESTALPHA, DESTALPHA / SRCCOLOR, BLENDFACTOR /
 * INVBLENDFACTOR (R, G, B apart) and MINIMUM. */
void scene_blend_factors(scene *s)
{
    tvert v[48];
    quad(v, -1, -1, 1, 1, 0.5f, 0xff2080c0u);
    quad(v + 6, -0.9f, -0.9f, 0.5f, 0.5f, 0.5f, 0x60ff8040u);
    quad(v + 12, -0.7f, -0.7f, 0.3f, 0.9f, 0.5f, 0xa0c0ff80u);
    quad(v + 18, -0.2f, -0.95f, 0.95f, 0.2f, 0.5f, 0x4030c0ffu);
    quad(v + 24, -0.95f, 0.1f, 0.6f, 0.95f, 0.5f, 0xc0ff40a0u);
    quad(v + 30, -0.5f, -0.5f, 0.9f, 0.4f, 0.5f, 0x80e0e020u);
    quad(v + 36, -0.6f, -0.3f, 0.7f, 0.7f, 0.5f, 0xc040ff80u);
    quad(v + 42, -0.85f, -0.2f, 0.2f, 0.8f, 0.5f, 0xffa0a0a0u);
    for (int i = 0; i < 3; i++) {
        v[12 + i].color = 0x20406080u; /* gradients */
        v[30 + i].color = 0xf0102030u;
        v[42 + i].color = 0xff30f060u;
    }
    scene_tverts(s, v, 48);
    s->st.z_enable = false;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
    scene_draw(s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2);
    s->st.blend_enable = true;
    s->st.blend_color = 0xff2060c0u;
    static const uint32_t st[7][6] = {
        /* src, dst, eq, src alpha, dst alpha, eq alpha (0: the colour's) */
        {VGT_SVGA3D_BLENDOP_SRCALPHA, VGT_SVGA3D_BLENDOP_INVSRCALPHA, VGT_SVGA3D_BLENDEQ_ADD,
         VGT_SVGA3D_BLENDOP_ZERO, VGT_SVGA3D_BLENDOP_INVSRCALPHA, VGT_SVGA3D_BLENDEQ_REVSUBTRACT},
        {VGT_SVGA3D_BLENDOP_DESTCOLOR, VGT_SVGA3D_BLENDOP_ZERO, VGT_SVGA3D_BLENDEQ_ADD, 0, 0, 0},
        {VGT_SVGA3D_BLENDOP_INVDESTCOLOR, VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDEQ_SUBTRACT, 0, 0,
         0},
        {VGT_SVGA3D_BLENDOP_SRCALPHASAT, VGT_SVGA3D_BLENDOP_INVDESTALPHA, VGT_SVGA3D_BLENDEQ_ADD, 0,
         0, 0},
        {VGT_SVGA3D_BLENDOP_DESTALPHA, VGT_SVGA3D_BLENDOP_SRCCOLOR, VGT_SVGA3D_BLENDEQ_ADD, 0, 0,
         0},
        {VGT_SVGA3D_BLENDOP_BLENDFACTOR, VGT_SVGA3D_BLENDOP_INVBLENDFACTOR, VGT_SVGA3D_BLENDEQ_ADD,
         0, 0, 0},
        {VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDOP_ONE, VGT_SVGA3D_BLENDEQ_MINIMUM, 0, 0, 0},
    };
    for (uint32_t i = 0; i < 7; i++) {
        s->st.src_blend = st[i][0];
        s->st.dst_blend = st[i][1];
        s->st.blend_eq = st[i][2];
        s->st.separate_alpha_blend = st[i][3] != 0;
        s->st.src_blend_alpha = st[i][3];
        s->st.dst_blend_alpha = st[i][4];
        s->st.blend_eq_alpha = st[i][5];
        vgt_error err = {0};
        vgt_backend_draw_range r = {.primitive_type = VGT_SVGA3D_PRIMITIVE_TRIANGLELIST,
                                    .primitive_count = 2,
                                    .vertex_count = 6,
                                    .index_bias = (int32_t)(6 + 6 * i)};
        assert_int_equal(s->be.ops->draw(s->be.self, &s->st, &r, 1, NULL, &err), VGT_OK);
    }
}
