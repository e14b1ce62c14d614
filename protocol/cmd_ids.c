/* cmd_ids.c - which words of a decoded command hold an id the guest chose
 * (surface, context, shader, GMR, screen) or a fence number: vgt diff
 * --ignore-ids renames them.  The positions come from the decoder's structs
 * (offsetof of the named members), never from a second list of numbers, so
 * a struct that changes moves them; the ids inside arrays are found from
 * the decoded view (items, ranges), as the decoder laid them out. */
#include "vgt_protocol.h"

#include <stddef.h>

/* One fixed-body id field: the command's word index (header included). */
typedef struct id_field {
    uint8_t word;
    uint8_t kind; /* vgt_id_kind */
} id_field;

typedef struct id_row {
    uint32_t id;
    id_field f[3];
    uint8_t n;
} id_row;

/* Word index of a member of a 2D command's body (after the id word) or a 3D
 * command's body (after the {id, size} header). */
#define W2(type, member) (uint8_t)(1u + offsetof(type, member) / 4u)
#define W3(type, member) (uint8_t)(2u + offsetof(type, member) / 4u)
#define F2(type, member, kind)                                                                     \
    {                                                                                              \
        W2(type, member), VGT_ID_##kind                                                            \
    }
#define F3(type, member, kind)                                                                     \
    {                                                                                              \
        W3(type, member), VGT_ID_##kind                                                            \
    }
#define CID(type) F3(type, cid, CONTEXT)

/* DEFINE_SCREEN's body is the screen object, struct_size first. */
#define SO(member, kind) F2(vgt_svga_screen_object, member, kind)

/* Every command of the table with an id field, sorted by id (the tests check
 * that each table command is either here or known to hold none).  The
 * cursor commands' id must be 0 (not a name the guest picks); ESCAPE's nsid
 * is a namespace, and its ids are in its payload (below). */
static const id_row rows[] = {
    {VGT_SVGA_CMD_FENCE, {F2(vgt_svga_cmd_fence, fence, FENCE)}, 1},
    {VGT_SVGA_CMD_ESCAPE, {{0, 0}}, 0},
    {VGT_SVGA_CMD_DEFINE_SCREEN, {SO(id, SCREEN), SO(backing_store.ptr.gmr_id, GMR)}, 2},
    {VGT_SVGA_CMD_DESTROY_SCREEN, {F2(vgt_svga_cmd_destroy_screen, screen_id, SCREEN)}, 1},
    {VGT_SVGA_CMD_DEFINE_GMRFB, {F2(vgt_svga_cmd_define_gmrfb, ptr.gmr_id, GMR)}, 1},
    {VGT_SVGA_CMD_BLIT_GMRFB_TO_SCREEN,
     {F2(vgt_svga_cmd_blit_gmrfb_to_screen, dest_screen_id, SCREEN)},
     1},
    {VGT_SVGA_CMD_BLIT_SCREEN_TO_GMRFB,
     {F2(vgt_svga_cmd_blit_screen_to_gmrfb, src_screen_id, SCREEN)},
     1},
    {VGT_SVGA_CMD_ANNOTATION_COPY, {F2(vgt_svga_cmd_annotation_copy, src_screen_id, SCREEN)}, 1},
    {VGT_SVGA_CMD_DEFINE_GMR2, {F2(vgt_svga_cmd_define_gmr2, gmr_id, GMR)}, 1},
    {VGT_SVGA_CMD_REMAP_GMR2, {F2(vgt_svga_cmd_remap_gmr2, gmr_id, GMR)}, 1},
    {VGT_SVGA3D_CMD_SURFACE_DEFINE, {F3(vgt_svga3d_cmd_surface_define, sid, SURFACE)}, 1},
    {VGT_SVGA3D_CMD_SURFACE_DESTROY, {F3(vgt_svga3d_cmd_surface_destroy, sid, SURFACE)}, 1},
    {VGT_SVGA3D_CMD_SURFACE_COPY,
     {F3(vgt_svga3d_cmd_surface_copy, src.sid, SURFACE),
      F3(vgt_svga3d_cmd_surface_copy, dest.sid, SURFACE)},
     2},
    {VGT_SVGA3D_CMD_SURFACE_STRETCHBLT,
     {F3(vgt_svga3d_cmd_surface_stretchblt, src.sid, SURFACE),
      F3(vgt_svga3d_cmd_surface_stretchblt, dest.sid, SURFACE)},
     2},
    {VGT_SVGA3D_CMD_SURFACE_DMA,
     {F3(vgt_svga3d_cmd_surface_dma, guest.ptr.gmr_id, GMR),
      F3(vgt_svga3d_cmd_surface_dma, host.sid, SURFACE)},
     2},
    {VGT_SVGA3D_CMD_CONTEXT_DEFINE, {CID(vgt_svga3d_cmd_context_define)}, 1},
    {VGT_SVGA3D_CMD_CONTEXT_DESTROY, {CID(vgt_svga3d_cmd_context_destroy)}, 1},
    {VGT_SVGA3D_CMD_SETTRANSFORM, {CID(vgt_svga3d_cmd_settransform)}, 1},
    {VGT_SVGA3D_CMD_SETZRANGE, {CID(vgt_svga3d_cmd_setzrange)}, 1},
    {VGT_SVGA3D_CMD_SETRENDERSTATE, {CID(vgt_svga3d_cmd_setrenderstate)}, 1},
    {VGT_SVGA3D_CMD_SETRENDERTARGET,
     {CID(vgt_svga3d_cmd_setrendertarget), F3(vgt_svga3d_cmd_setrendertarget, target.sid, SURFACE)},
     2},
    {VGT_SVGA3D_CMD_SETTEXTURESTATE, {CID(vgt_svga3d_cmd_settexturestate)}, 1},
    {VGT_SVGA3D_CMD_SETMATERIAL, {CID(vgt_svga3d_cmd_setmaterial)}, 1},
    {VGT_SVGA3D_CMD_SETLIGHTDATA, {CID(vgt_svga3d_cmd_setlightdata)}, 1},
    {VGT_SVGA3D_CMD_SETLIGHTENABLED, {CID(vgt_svga3d_cmd_setlightenabled)}, 1},
    {VGT_SVGA3D_CMD_SETVIEWPORT, {CID(vgt_svga3d_cmd_setviewport)}, 1},
    {VGT_SVGA3D_CMD_SETCLIPPLANE, {CID(vgt_svga3d_cmd_setclipplane)}, 1},
    {VGT_SVGA3D_CMD_CLEAR, {CID(vgt_svga3d_cmd_clear)}, 1},
    {VGT_SVGA3D_CMD_PRESENT, {F3(vgt_svga3d_cmd_present, sid, SURFACE)}, 1},
    {VGT_SVGA3D_CMD_SHADER_DEFINE,
     {CID(vgt_svga3d_cmd_shader_define), F3(vgt_svga3d_cmd_shader_define, shid, SHADER)},
     2},
    {VGT_SVGA3D_CMD_SHADER_DESTROY,
     {CID(vgt_svga3d_cmd_shader_destroy), F3(vgt_svga3d_cmd_shader_destroy, shid, SHADER)},
     2},
    {VGT_SVGA3D_CMD_SET_SHADER,
     {CID(vgt_svga3d_cmd_set_shader), F3(vgt_svga3d_cmd_set_shader, shid, SHADER)},
     2},
    {VGT_SVGA3D_CMD_SET_SHADER_CONST, {CID(vgt_svga3d_cmd_set_shader_const)}, 1},
    {VGT_SVGA3D_CMD_DRAW_PRIMITIVES, {CID(vgt_svga3d_cmd_draw_primitives)}, 1},
    {VGT_SVGA3D_CMD_SETSCISSORRECT, {CID(vgt_svga3d_cmd_setscissorrect)}, 1},
    {VGT_SVGA3D_CMD_BEGIN_QUERY, {CID(vgt_svga3d_cmd_begin_query)}, 1},
    {VGT_SVGA3D_CMD_END_QUERY,
     {CID(vgt_svga3d_cmd_end_query), F3(vgt_svga3d_cmd_end_query, guest_result.gmr_id, GMR)},
     2},
    {VGT_SVGA3D_CMD_WAIT_FOR_QUERY,
     {CID(vgt_svga3d_cmd_wait_for_query),
      F3(vgt_svga3d_cmd_wait_for_query, guest_result.gmr_id, GMR)},
     2},
    {VGT_SVGA3D_CMD_BLIT_SURFACE_TO_SCREEN,
     {F3(vgt_svga3d_cmd_blit_surface_to_screen, src_image.sid, SURFACE),
      F3(vgt_svga3d_cmd_blit_surface_to_screen, dest_screen_id, SCREEN)},
     2},
    {VGT_SVGA3D_CMD_SURFACE_DEFINE_V2, {F3(vgt_svga3d_cmd_surface_define_v2, sid, SURFACE)}, 1},
    {VGT_SVGA3D_CMD_GENERATE_MIPMAPS, {F3(vgt_svga3d_cmd_generate_mipmaps, sid, SURFACE)}, 1},
    {VGT_SVGA3D_CMD_ACTIVATE_SURFACE, {F3(vgt_svga3d_cmd_activate_surface, sid, SURFACE)}, 1},
    {VGT_SVGA3D_CMD_DEACTIVATE_SURFACE, {F3(vgt_svga3d_cmd_deactivate_surface, sid, SURFACE)}, 1},
};

static const id_row *row_of(uint32_t id)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (rows[i].id == id) {
            return &rows[i];
        }
    }
    return NULL;
}

bool vgt_cmd_has_ids(uint32_t id)
{
    return row_of(id) != NULL;
}

const char *vgt_id_kind_name(vgt_id_kind kind)
{
    static const char *const names[VGT_ID_KINDS] = {"surface", "context", "shader",
                                                    "gmr",     "screen",  "fence"};
    return (unsigned)kind < VGT_ID_KINDS ? names[kind] : "unknown";
}

bool vgt_id_is_reserved(vgt_id_kind kind, uint32_t value)
{
    switch (kind) {
    case VGT_ID_SURFACE:
    case VGT_ID_CONTEXT:
    case VGT_ID_SHADER:
        return value == VGT_SVGA3D_INVALID_ID;
    case VGT_ID_GMR:
        return value == VGT_SVGA_GMR_NULL || value == VGT_SVGA_GMR_FRAMEBUFFER;
    case VGT_ID_SCREEN:
        return value == VGT_SVGA_ID_INVALID;
    default:
        return false;
    }
}

/* Calls visit for word `word` of the command when it exists (the V1 screen
 * object is shorter than the struct). */
static size_t one(const vgt_cmd *cmd, uint32_t word, vgt_id_kind kind, vgt_cmd_id_visit visit,
                  void *ctx)
{
    if (word >= cmd->nwords) {
        return 0;
    }
    if (visit) {
        visit(ctx, word, kind);
    }
    return 1;
}

/* Word index of element i's member in an array of the decoded view. */
static uint32_t elem_word(const vgt_cmd *cmd, const vgt_cmd_array *a, uint32_t i, size_t offset)
{
    return (uint32_t)(a->words - cmd->words) + i * a->elem_words + (uint32_t)(offset / 4u);
}

/* A video overlay SET_REGS escape (svga_overlay.h: the escape type, the
 * stream, then {register, value} pairs): the values of DATA_GMRID (a GMR)
 * and DST_SCREEN_ID (a screen).  The stream is an overlay unit's index,
 * a fixed resource of the device like a register number: not renamed. */
static size_t video_escape_ids(const vgt_cmd *cmd, vgt_cmd_id_visit visit, void *ctx)
{
    if (cmd->u.escape.nsid != VGT_SVGA_ESCAPE_NSID_VMWARE || cmd->data_bytes < 8u ||
        cmd->data[0] != VGT_SVGA_ESCAPE_VMWARE_VIDEO_SET_REGS || (cmd->data_bytes - 8u) % 8u != 0) {
        return 0;
    }
    const uint32_t first = (uint32_t)(cmd->data - cmd->words), pairs = (cmd->data_bytes - 8u) / 8u;
    size_t n = 0;
    for (uint32_t i = 0; i < pairs; i++) {
        const uint32_t reg = cmd->data[2u + 2u * i], value_word = first + 3u + 2u * i;
        if (reg == VGT_SVGA_VIDEO_DATA_GMRID) {
            n += one(cmd, value_word, VGT_ID_GMR, visit, ctx);
        } else if (reg == VGT_SVGA_VIDEO_DST_SCREEN_ID) {
            n += one(cmd, value_word, VGT_ID_SCREEN, visit, ctx);
        }
    }
    return n;
}

size_t vgt_cmd_ids(const vgt_cmd *cmd, vgt_cmd_id_visit visit, void *ctx)
{
    const id_row *r = row_of(cmd->id);
    if (!r) {
        return 0;
    }
    size_t n = 0;
    for (uint8_t i = 0; i < r->n; i++) {
        n += one(cmd, r->f[i].word, (vgt_id_kind)r->f[i].kind, visit, ctx);
    }
    /* the ids inside the variable part, in word order */
    const vgt_cmd_array *items = &cmd->items;
    switch (cmd->id) {
    case VGT_SVGA_CMD_ESCAPE:
        n += video_escape_ids(cmd, visit, ctx);
        break;
    case VGT_SVGA_CMD_REMAP_GMR2:
        /* VIA_GMR: the page list is read from another GMR's guest pointer */
        if (cmd->u.remap_gmr2.flags & VGT_SVGA_REMAP_GMR2_VIA_GMR && items->count == 1) {
            n += one(cmd, elem_word(cmd, items, 0, offsetof(vgt_svga_guest_ptr, gmr_id)),
                     VGT_ID_GMR, visit, ctx);
        }
        break;
    case VGT_SVGA3D_CMD_SETTEXTURESTATE:
        /* BIND_TEXTURE's value is the stage's surface */
        for (uint32_t i = 0; i < items->count; i++) {
            vgt_svga3d_texture_state_entry e;
            vgt_cmd_array_get(items, i, &e);
            if (e.name == VGT_SVGA3D_TS_BIND_TEXTURE) {
                n += one(cmd,
                         elem_word(cmd, items, i, offsetof(vgt_svga3d_texture_state_entry, value)),
                         VGT_ID_SURFACE, visit, ctx);
            }
        }
        break;
    case VGT_SVGA3D_CMD_DRAW_PRIMITIVES:
        /* each vertex declaration's array, then each range's index array */
        for (uint32_t i = 0; i < items->count; i++) {
            n += one(cmd,
                     elem_word(cmd, items, i, offsetof(vgt_svga3d_vertex_decl, array.surface_id)),
                     VGT_ID_SURFACE, visit, ctx);
        }
        for (uint32_t i = 0; i < cmd->ranges.count; i++) {
            n += one(cmd,
                     elem_word(cmd, &cmd->ranges, i,
                               offsetof(vgt_svga3d_primitive_range, index_array.surface_id)),
                     VGT_ID_SURFACE, visit, ctx);
        }
        break;
    default:
        break;
    }
    return n;
}
