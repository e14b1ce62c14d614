/* screens.c - sample "screens": two Screen Objects whose base layers live
 * in VRAM (SVGA_CAP_SCREEN_OBJECT_2 backing stores, gmrId
 * SVGA_GMR_FRAMEBUFFER, pitch width * 4, as Linux's vmwgfx defines them),
 * side by side.  The left screen is drawn only by BLIT_GMRFB_TO_SCREEN from
 * a GMR (a background once, then a sprite moved by erasing its old place
 * from the background copy); the right one only by the guest's CPU writing
 * its backing store, shown by an UPDATE of what changed (a scanning band).
 * Every frame the left screen's corner shows a thumbnail read back from
 * the right screen with BLIT_SCREEN_TO_GMRFB into a 16-bit GMRFB (format
 * 16/16, R5G6B5, over the same GMR) and blitted back from it, which the
 * guest also checks word for word against what it wrote, narrowed to 5-6-5
 * as the device narrows (each channel's low bits dropped).  Frames 8..10 blank the right
 * screen (SVGA_SCREEN_BLANKING: black, contents kept); frame 11 shows it
 * again.  A fence per frame, waited for; frame N always looks the same. */
#include "demo_util.h"
#include "vgt_samples.h"

#include <stdio.h>
#include <string.h>

#define SPRITE     16u /* the sprite's side */
#define BAND       8u  /* rows the CPU rewrites on the right screen a frame */
#define THUMB      32u /* the read-back square */
#define GMR_ID     1u
#define BLANK_FROM 8u
#define BLANK_TO   10u

typedef struct scr_demo {
    vgt_drv drv;
    uint32_t sw, h;      /* each screen's size */
    uint32_t off[2];     /* the backing stores' VRAM offsets */
    uint32_t pitch;      /* of both stores: sw * 4 */
    uint8_t *gmrfb;      /* GMR 1: background rows, sprite rows, thumbnail rows */
    uint32_t gmrfb_size; /* bytes */
} scr_demo;

/* The GMRFB's rows: 0..h-1 the left background, then the sprite, then the
 * thumbnail read back; sw pixels a row. */
static uint32_t sprite_row(const scr_demo *d)
{
    return d->h;
}

static uint32_t thumb_row(const scr_demo *d)
{
    return d->h + SPRITE;
}

static void gmrfb_put(scr_demo *d, uint32_t x, uint32_t y, uint32_t v)
{
    vgt_store_le32(d->gmrfb + (size_t)y * d->pitch + (size_t)x * 4u, v);
}

/* The thumbnail rows as a 16/16 GMRFB: THUMB pixels of 2 bytes a row,
 * rows d->pitch apart, from thumb_row on. */
static uint16_t thumb_get(const scr_demo *d, uint32_t x, uint32_t y)
{
    return vgt_load_le16(d->gmrfb + (size_t)(thumb_row(d) + y) * d->pitch + (size_t)x * 2u);
}

/* The GMRFB over the whole GMR in 32/24, or over the thumbnail rows in
 * 16/16 (DEFINE_GMRFB is light, svga_reg.h: defined before each use). */
static void use_gmrfb(scr_demo *d, bool thumb)
{
    vgt_svga_guest_ptr fb = {.gmr_id = GMR_ID, .offset = thumb ? thumb_row(d) * d->pitch : 0};
    vgt_drv_define_gmrfb(&d->drv, fb, d->pitch,
                         thumb ? VGT_SVGA_GMRFB_FORMAT(16, 16) : VGT_SVGA_GMRFB_FORMAT(32, 24));
}

static uint8_t *store(scr_demo *d, uint32_t s, uint32_t x, uint32_t y)
{
    return d->drv.fb + d->off[s] + (size_t)y * d->pitch + (size_t)x * 4u;
}

static uint32_t left_background(uint32_t x, uint32_t y)
{
    uint32_t check = ((x / 8u) ^ (y / 8u)) & 1u;
    return (0x20u + (x & 0x3Fu)) << 16 | (0x30u + (y & 0x7Fu)) << 8 | (check ? 0x90u : 0x50u);
}

/* The right screen's row y as frame f writes it: a band of stripes at the
 * frame's place, a steady gradient elsewhere. */
static uint32_t band_y(const scr_demo *d, uint32_t f)
{
    return (f * 5u) % (d->h - BAND);
}

static uint32_t right_pixel(uint32_t x, uint32_t y, uint32_t f, bool in_band)
{
    if (in_band) {
        uint32_t stripe = ((x + f * 3u) / 6u) & 1u;
        return stripe ? 0x00F0E040u : (0x00402000u | ((f * 9u) & 0xFFu));
    }
    return (0x10u + (y & 0xBFu)) << 8 | (0x18u + (x & 0x7Fu));
}

static void sprite_pos(const scr_demo *d, uint32_t f, uint32_t *x, uint32_t *y)
{
    *x = demo_tri(f * 4u + 3u, d->sw - SPRITE);
    *y = demo_tri(f * 3u + 5u, d->h - SPRITE - THUMB - 4u);
}

/* Frame f's sprite into the GMRFB's sprite rows: a ring whose colour
 * turns with f. */
static void draw_sprite(scr_demo *d, uint32_t f)
{
    for (uint32_t y = 0; y < SPRITE; y++) {
        for (uint32_t x = 0; x < SPRITE; x++) {
            int32_t dx = 2 * (int32_t)x - (int32_t)SPRITE + 1;
            int32_t dy = 2 * (int32_t)y - (int32_t)SPRITE + 1;
            int32_t r2 = dx * dx + dy * dy;
            bool ring = r2 >= 90 && r2 <= 225;
            uint32_t c = ring ? (0x00FF0000u | ((f * 12u) & 0xFFu) << 8 | 0x30u)
                              : left_background(x, y) ^ 0x00FFFFFFu;
            gmrfb_put(d, x, sprite_row(d) + y, c);
        }
    }
}

static void blit_left(scr_demo *d, uint32_t sx, uint32_t sy, uint32_t x, uint32_t y, uint32_t w,
                      uint32_t h)
{
    vgt_svga_signed_point src = {(int32_t)sx, (int32_t)sy};
    vgt_svga_signed_rect dst = {(int32_t)x, (int32_t)y, (int32_t)(x + w), (int32_t)(y + h)};
    vgt_drv_blit_gmrfb_to_screen(&d->drv, src, dst, 0);
}

static void define_screen(scr_demo *d, uint32_t id, uint32_t flags)
{
    vgt_svga_screen_object o = {.struct_size = VGT_SVGA_SCREEN_OBJECT_V2_BYTES,
                                .id = id,
                                .flags = VGT_SVGA_SCREEN_MUST_BE_SET | flags,
                                .width = d->sw,
                                .height = d->h,
                                .root_x = (int32_t)(id * d->sw),
                                .root_y = 0};
    o.backing_store.ptr.gmr_id = VGT_SVGA_GMR_FRAMEBUFFER;
    o.backing_store.ptr.offset = d->off[id];
    o.backing_store.pitch = d->pitch;
    vgt_drv_define_screen(&d->drv, &o);
}

/* The thumbnail read back last frame equals the right screen's store in
 * R5G6B5: each channel's top 5, 6, 5 bits. */
static bool thumb_matches(scr_demo *d)
{
    for (uint32_t y = 0; y < THUMB; y++) {
        for (uint32_t x = 0; x < THUMB; x++) {
            uint32_t p = vgt_load_le32(store(d, 1, x, y));
            uint32_t want = (p >> 19 & 31u) << 11 | (p >> 10 & 63u) << 5 | (p >> 3 & 31u);
            if (thumb_get(d, x, y) != want) {
                return false;
            }
        }
    }
    return true;
}

static int fail(scr_demo *d, bool quiet, const char *why)
{
    if (!quiet) {
        fprintf(stderr, "screens: %s\n", why);
    }
    vgt_drv_fini(&d->drv);
    return 2;
}

int vgt_sample_screens(vgt_guest *guest, const vgt_sample_args *args)
{
    scr_demo d;
    memset(&d, 0, sizeof(d));
    vgt_error err = {0};
    demo_args a;
    if (!demo_args_get("screens", args, 40u, 128u, 96u, false, &a)) {
        return 1;
    }
    bool quiet = a.quiet;
    if (vgt_drv_init(&d.drv, guest, &err) != VGT_OK ||
        vgt_drv_set_mode(&d.drv, a.w, a.h, 32, &err) != VGT_OK) {
        return fail(&d, quiet, err.message);
    }
    if (!(d.drv.capabilities & VGT_SVGA_CAP_SCREEN_OBJECT_2) ||
        !vgt_drv_has_fifo_cap(&d.drv, VGT_SVGA_FIFO_CAP_SCREEN_OBJECT_2)) {
        return fail(&d, quiet, "the device offers no screen object backing stores");
    }
    d.sw = a.w / 2u;
    d.h = a.h;
    d.pitch = d.sw * 4u;
    /* The stores after the legacy framebuffer, page-aligned (svga_reg.h). */
    uint64_t store_bytes = ((uint64_t)d.pitch * d.h + 4095u) & ~4095ull;
    uint64_t first = ((uint64_t)d.drv.pitch * d.drv.height + 4095u) & ~4095ull;
    if (first + 2u * store_bytes > d.drv.vram_size) {
        return fail(&d, quiet, "VRAM too small for two backing stores");
    }
    d.off[0] = (uint32_t)first;
    d.off[1] = (uint32_t)(first + store_bytes);
    d.gmrfb_size = d.pitch * (d.h + SPRITE + THUMB);
    uint32_t pages = (d.gmrfb_size + 4095u) / 4096u;
    uint64_t phys = 0;
    if (vgt_drv_gmr_define_contiguous(&d.drv, GMR_ID, pages, &phys) != VGT_OK ||
        !(d.gmrfb = vgt_guest_ptr(guest, phys, (uint64_t)pages * 4096u))) {
        return fail(&d, quiet, "cannot set up the GMRFB's GMR");
    }

    /* Frame 0: the left background into the GMRFB, the right store written
     * whole, frame 0's band included (the device reads the store when it
     * executes DEFINE_SCREEN, so the CPU does not write it again before
     * the frame's fence: writing a store the device is reading races, as
     * on hardware; TSan saw it); the screens defined on them (each shows
     * its store). */
    uint32_t band0 = band_y(&d, 0);
    for (uint32_t y = 0; y < d.h; y++) {
        for (uint32_t x = 0; x < d.sw; x++) {
            gmrfb_put(&d, x, y, left_background(x, y));
            bool in_band = y >= band0 && y < band0 + BAND;
            vgt_store_le32(store(&d, 1, x, y), right_pixel(x, y, 0, in_band));
        }
    }
    define_screen(&d, 0, VGT_SVGA_SCREEN_IS_PRIMARY);
    define_screen(&d, 1, 0);
    use_gmrfb(&d, false);
    blit_left(&d, 0, 0, 0, 0, d.sw, d.h);

    uint32_t sx = 0, sy = 0, old_band = 0;
    bool have_old = false;
    int rc = 0;
    for (uint32_t f = 0; f < a.frames && !d.drv.failed; f++) {
        /* The previous frame's fence passed: its read-back is in the GMRFB
         * and the device is done with the sprite rows. */
        if (f > 0 && !thumb_matches(&d)) {
            if (!quiet) {
                fprintf(stderr, "screens: frame %u: read-back differs from the store\n", f - 1u);
            }
            rc = 3;
            break;
        }
        /* Left: the thumbnail of last frame's read-back in the corner,
         * from the 16/16 GMRFB that read-back left defined (a capture
         * started here finds it in the snapshot); then, from the 32/24
         * one, the old sprite erased from the background copy and the new
         * one drawn (the sprite stays above the thumbnail). */
        if (f > 0) {
            blit_left(&d, 0, 0, 2, d.h - THUMB - 2u, THUMB, THUMB);
        }
        use_gmrfb(&d, false);
        if (have_old) {
            blit_left(&d, sx, sy, sx, sy, SPRITE, SPRITE);
        }
        draw_sprite(&d, f);
        sprite_pos(&d, f, &sx, &sy);
        blit_left(&d, 0, sprite_row(&d), sx, sy, SPRITE, SPRITE);
        have_old = true;
        /* Right: the CPU restores the old band's rows and writes the new
         * band, then one UPDATE covering both (virtual coordinates). */
        uint32_t by = band_y(&d, f);
        for (uint32_t x = 0; x < d.sw && f > 0; x++) { /* frame 0's: above */
            for (uint32_t y = old_band; y < old_band + BAND; y++) {
                vgt_store_le32(store(&d, 1, x, y), right_pixel(x, y, f, false));
            }
            for (uint32_t y = by; y < by + BAND; y++) {
                vgt_store_le32(store(&d, 1, x, y), right_pixel(x, y, f, true));
            }
        }
        uint32_t top = old_band < by ? old_band : by;
        uint32_t bottom = (old_band > by ? old_band : by) + BAND;
        vgt_drv_update(&d.drv, d.sw, top, d.sw, bottom - top);
        old_band = by;
        /* Read the right screen's corner back (the store as it is now). */
        use_gmrfb(&d, true);
        vgt_svga_signed_point at = {0, 0};
        vgt_svga_signed_rect from = {0, 0, (int32_t)THUMB, (int32_t)THUMB};
        vgt_drv_blit_screen_to_gmrfb(&d.drv, at, from, 1);
        if (f == BLANK_FROM || f == BLANK_TO + 1u) {
            define_screen(&d, 1, f == BLANK_FROM ? VGT_SVGA_SCREEN_BLANKING : 0u);
        }
        uint32_t fence = vgt_drv_insert_fence(&d.drv);
        vgt_drv_sync_to_fence(&d.drv, fence);
    }
    if (d.drv.failed) {
        if (!quiet) {
            fprintf(stderr, "screens: %s\n", d.drv.error.message);
        }
        rc = 2;
    }
    vgt_drv_fini(&d.drv);
    return rc;
}
