/* fuzz_exec3d.c - the command decoder, the printer and the executor (2D
 * display model and SVGA3D state tracker) on the null and soft backends,
 * against a fake guest memory.
 *
 * Input: u8 flags (bit 0: soft backend, else null; bit 1: null keeps surface
 * contents; bit 2: no legacy mode), u16 guest memory size in words, the
 * guest memory bytes, then the command stream (little-endian words).  Every
 * GMR id below 4 and the framebuffer are the same guest memory (writes land
 * in it, so later reads see them); other ids are undefined.  Commands are
 * delimited with vgt_cmd_length as the device does (an unknown length skips
 * one word), decoded, printed and executed; device-level commands are
 * handed to the executor too (it must refuse them).  At the end the display
 * is composed and the caps block read.
 *
 * Flags bit 3 selects the structure-aware mode (fuzz_exec3d_gen.h): the
 * bytes after the flags drive a generator of plausible SVGA3D command
 * sequences, encoded by the real guest driver, with a few field edits on
 * top; the guest memory is the generator's (FG_MEM_SIZE bytes); flags bits
 * 4-5 pick the legacy mode's depth (32, 16, 15 or 24 bits).
 * VGT_FUZZ_EXEC3D_MODE=raw or =structured forces bit 3 clear or set (a run
 * in one mode, to compare them); unset, the fuzzer flips it too.
 *
 * Oracles: no crash, undefined behaviour, leak or timeout; and every command
 * the decoder or the executor refuses has a non-empty message (a user sees
 * it), else the harness aborts. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "fuzz_exec3d_gen.h"
#include "vgt_replay.h"

typedef struct fmem {
    uint8_t *bytes;
    uint32_t size;
} fmem;

static vgt_status fmem_check(fmem *m, uint32_t gmr, uint32_t offset, uint32_t len, vgt_error *err)
{
    if (gmr >= 4u && gmr != VGT_SVGA_GMR_FRAMEBUFFER) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined", gmr);
    }
    if (!vgt_range_inside(offset, len, m->size)) {
        return vgt_error_set(err, VGT_E_RANGE, "GMR %u: [%u, +%u) outside %u bytes", gmr, offset,
                             len, m->size);
    }
    return VGT_OK;
}

static vgt_status fmem_read(void *ctx, uint32_t gmr, uint32_t offset, void *dst, uint32_t len,
                            vgt_error *err)
{
    fmem *m = ctx;
    vgt_status st = fmem_check(m, gmr, offset, len, err);
    if (st == VGT_OK && len) {
        memcpy(dst, m->bytes + offset, len);
    }
    return st;
}

static vgt_status fmem_write(void *ctx, uint32_t gmr, uint32_t offset, const void *src,
                             uint32_t len, vgt_error *err)
{
    fmem *m = ctx;
    vgt_status st = fmem_check(m, gmr, offset, len, err);
    if (st == VGT_OK && len) {
        memcpy(m->bytes + offset, src, len);
    }
    return st;
}

static volatile uint64_t sink;

/* A refusal without a message: the user would see an empty error. */
static void check_message(const char *what, vgt_status st, const vgt_error *err, uint32_t id)
{
    if (st != VGT_OK && st != VGT_E_TRUNCATED && err->message[0] == '\0') {
        fprintf(stderr, "%s refused command %u (status %d) without a message\n", what, id, st);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("VGT_SOFT_THREADS", "1", 0); /* deterministic and light */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = {data, size};
    uint8_t flags = fz_u8(&in);
    const char *only = getenv("VGT_FUZZ_EXEC3D_MODE");
    if (only && strcmp(only, "raw") == 0) {
        flags &= (uint8_t)~8u;
    } else if (only && strcmp(only, "structured") == 0) {
        flags |= 8u;
    }
    fmem mem = {NULL, 0};
    uint32_t *words = NULL;
    size_t nwords = 0;
    if (flags & 8u) {
        mem.bytes = calloc(1, FG_MEM_SIZE);
        mem.size = FG_MEM_SIZE;
        if (!mem.bytes || !fg_generate(&in, mem.bytes, &words, &nwords)) {
            free(mem.bytes);
            return 0;
        }
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "generated %zu words\n", nwords);
        }
    } else {
        size_t mlen = 0;
        const uint8_t *mbytes = fz_bytes(&in, (size_t)fz_u16(&in) * 4u, &mlen);
        mem.bytes = malloc(mlen ? mlen : 1);
        mem.size = (uint32_t)mlen;
        nwords = fz_left(&in) / 4u;
        words = malloc(nwords ? nwords * 4u : 4u);
        if (mem.bytes && words) {
            memcpy(mem.bytes, mbytes, mlen);
            memcpy(words, in.p, nwords * 4u);
        }
    }
    if (!mem.bytes || !words) {
        free(mem.bytes);
        free(words);
        return 0;
    }

    vgt_executor_config cfg = {
        .mem = {.ctx = &mem, .read = fmem_read, .write = fmem_write},
        .enable_3d = true,
#ifdef FUZZ_EXEC3D_GL
        .backend = VGT_BACKEND_GL, /* fuzz_exec3d_gl.c: flags bits 0-1 unused */
#else
        .backend = (flags & 1u) ? VGT_BACKEND_SOFT : VGT_BACKEND_NULL,
#endif
        .backend_options = {.keep_contents = (flags & 2u) != 0},
    };
    vgt_executor *ex = NULL;
    vgt_error err = {0};
    if (vgt_executor_create(&cfg, &ex, &err) != VGT_OK) {
        free(mem.bytes);
        free(words);
        return 0;
    }
    if (!(flags & 4u)) {
        vgt_display_mode m = {true, 64, 48, 32, 256, 0};
        if (flags & 8u) {
            /* structured: PRESENT_READBACK's narrowing at 16, 15 and 24 bits */
            static const uint32_t bpp[4] = {32, 16, 15, 24};
            m.bits_per_pixel = bpp[(flags >> 4) & 3u];
            m.bytes_per_line = 64u * ((m.bits_per_pixel + 7u) / 8u);
        }
        vgt_executor_set_mode(ex, &m, &err);
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "mode %ux%u, %u bits\n", m.width, m.height, m.bits_per_pixel);
        }
    }
    size_t pos = 0;
    while (pos < nwords) {
        uint32_t avail =
            (uint32_t)(nwords - pos < VGT_CMD_MAX_WORDS ? nwords - pos : VGT_CMD_MAX_WORDS);
        uint32_t total = 0;
        vgt_error_clear(&err);
        vgt_status st = vgt_cmd_length(words + pos, avail, &total, &err);
        check_message("vgt_cmd_length", st, &err, words[pos]);
        if (st == VGT_E_TRUNCATED) {
            break;
        }
        if (st != VGT_OK) {
            pos += (total > 0 && total <= avail) ? total : 1u;
            continue;
        }
        if (total > avail) {
            break; /* the length is known, the words are not all there */
        }
        /* An exact-size copy: a decoder or executor reading past the
         * command is caught by ASan. */
        uint32_t *c = malloc((size_t)total * 4u);
        if (!c) {
            break;
        }
        memcpy(c, words + pos, (size_t)total * 4u);
        vgt_cmd cmd;
        vgt_error_clear(&err);
        st = vgt_cmd_decode(c, total, &cmd, &err);
        check_message("vgt_cmd_decode", st, &err, c[0]);
        if (st == VGT_OK) {
            char line[256];
            vgt_cmd_format(line, sizeof(line), &cmd, (pos & 1u) != 0);
            vgt_exec_result res;
            vgt_error_clear(&err);
            st = vgt_executor_execute(ex, &cmd, &res, &err);
            check_message("vgt_executor_execute", st, &err, c[0]);
            if (getenv("VGT_FUZZ_VERBOSE")) {
                fprintf(stderr, "%s -> %s%s%s\n", line, vgt_status_name(st), st ? ": " : "",
                        st ? err.message : "");
            }
            sink += res.bytes_read + res.bytes_written;
        }
        free(c);
        pos += total;
    }
    const vgt_image *img = NULL;
    if (vgt_executor_compose(ex, &img, &err) == VGT_OK && img->width && img->height) {
        sink += img->pixels[(size_t)img->stride * (img->height - 1u) + img->width * 4u - 1u];
    }
    uint32_t hw = 0, caps[256];
    sink += vgt_executor_3d_caps(ex, &hw, caps, 256);
    vgt_executor_destroy(ex);
    free(mem.bytes);
    free(words);
    return 0;
}
