/* vgt_base.h - what every vgt library shares: error values, checked integer
 * arithmetic, a monotonic clock, and 32-bit images with PNG load/save.
 *
 * Errors are values.  A function that can fail returns a vgt_status (0 on
 * success, a negative VGT_E_* code otherwise) and, when the caller passes a
 * vgt_error, fills it with a message a user can act on (which file, which
 * offset, which command, what was expected).
 */
#ifndef VGT_BASE_H
#define VGT_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ---- errors ------------------------------------------------------------ */

typedef int vgt_status;

enum {
    VGT_OK = 0,
    VGT_E_INVALID = -1,     /* bad argument or bad guest input */
    VGT_E_NOMEM = -2,       /* allocation failed or size too large */
    VGT_E_IO = -3,          /* read/write/open failed */
    VGT_E_FORMAT = -4,      /* corrupt or malformed data */
    VGT_E_VERSION = -5,     /* data written by a newer, incompatible version */
    VGT_E_CHECKSUM = -6,    /* checksum mismatch */
    VGT_E_TRUNCATED = -7,   /* data ends early */
    VGT_E_RANGE = -8,       /* index, offset or size out of range */
    VGT_E_UNSUPPORTED = -9, /* valid but not supported by this build/backend */
    VGT_E_NOTFOUND = -10,   /* id or name does not exist */
    VGT_E_STATE = -11,      /* call not valid in the current state */
    VGT_E_END = -12,        /* end of stream (not an error for iterators) */
};

#define VGT_ERROR_MESSAGE_MAX 512

/* A status code with its message.  Zero-initialise before use. */
typedef struct vgt_error {
    vgt_status code;
    char message[VGT_ERROR_MESSAGE_MAX];
} vgt_error;

/* Fills err (if not NULL) with code and a printf-style message; returns code. */
vgt_status vgt_error_set(vgt_error *err, vgt_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like vgt_error_set, with a va_list. */
vgt_status vgt_error_setv(vgt_error *err, vgt_status code, const char *fmt, va_list ap);
/* Prepends "prefix: " to err's message (for adding context on the way up). */
void vgt_error_prefix(vgt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Resets err to VGT_OK with an empty message. */
void vgt_error_clear(vgt_error *err);
/* A short constant name for a status code ("invalid", "io", ...). */
const char *vgt_status_name(vgt_status code);

/* ---- checked arithmetic (every size from a guest or a file) ------------- */

/* Each returns true when the result overflowed; *out is then unspecified. */
static inline bool vgt_add_overflow_u32(uint32_t a, uint32_t b, uint32_t *out)
{
    return __builtin_add_overflow(a, b, out);
}
static inline bool vgt_mul_overflow_u32(uint32_t a, uint32_t b, uint32_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}
static inline bool vgt_add_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_add_overflow(a, b, out);
}
static inline bool vgt_mul_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}
static inline bool vgt_add_overflow_size(size_t a, size_t b, size_t *out)
{
    return __builtin_add_overflow(a, b, out);
}
static inline bool vgt_mul_overflow_size(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}
/* qsort that takes an empty array as it is: a NULL base with n 0 (an
 * empty list never allocated) is undefined for qsort, whose base glibc
 * declares nonnull (fuzz_analysis_db found one through the tui). */
static inline void vgt_sort(void *base, size_t n, size_t size,
                            int (*cmp)(const void *, const void *))
{
    if (n > 1) {
        qsort(base, n, size, cmp);
    }
}
/* True when [offset, offset+length) lies inside [0, limit), without overflow. */
static inline bool vgt_range_inside(uint64_t offset, uint64_t length, uint64_t limit)
{
    return offset <= limit && length <= limit - offset;
}

/* ---- time -------------------------------------------------------------- */

/* Monotonic clock in nanoseconds (CLOCK_MONOTONIC). */
uint64_t vgt_now_ns(void);
/* Wall clock in nanoseconds since the Unix epoch (CLOCK_REALTIME). */
uint64_t vgt_wall_ns(void);
/* The calling thread's CPU time (ns; CLOCK_THREAD_CPUTIME_ID). */
uint64_t vgt_thread_cpu_ns(void);
/* Names the calling thread (Linux keeps 15 bytes; longer names are cut),
 * so top -H, perf, gdb and /proc/PID/task/TID/comm tell the VM's threads
 * apart: "vgt-guest", "vgt-fifo", "vgt-compress", "vgt-soft-N". */
void vgt_thread_name(const char *name);
/* Any clock's reading in nanoseconds (another thread's CPU clock from
 * pthread_getcpuclockid, say); 0 when it cannot be read. */
uint64_t vgt_clock_ns(clockid_t clock);

/* A cheaper reading of the monotonic clock for timestamps taken per event
 * (the device times every command): where the kernel itself clocks by the
 * TSC, the TSC read alone (~10 ns on this project's VMs, ~2 ns among other
 * work) against clock_gettime (~24 ns), converted by a rate measured
 * against the monotonic clock: over 200 us once a process when a clock is
 * made, then from its first anchor once 20 ms have passed, refined at
 * every anchor.  The owner may call vgt_fast_clock_anchor at natural
 * points and calls vgt_fast_clock_now in between; a reading further than
 * ~1 ms from the anchor anchors again.  Readings never go backwards; they
 * may lead CLOCK_MONOTONIC by what a rate a little fast carried them over
 * a span (< 1 us with the first rate's error; more only when its
 * measurement was disturbed, and then the rate is measured again at once),
 * a lead that shrinks by ~1 us a millisecond while over 1 us; and they are exactly
 * vgt_now_ns() where there is no TSC to use.  One per thread: no locking. */
typedef struct vgt_fast_clock {
    uint64_t base_ns, base_tsc;     /* the first anchor's system reading and TSC: the rate's base */
    uint64_t anchor_ns, anchor_tsc; /* the latest anchor: its reading (not below any before) */
    uint64_t rate;                  /* measured ns per tick, 32.32 fixed point; 0: none */
    uint64_t mult;                  /* the rate in use (rate, 1/1024 slower while > 1 us ahead);
                                     * 0: read the system clock */
    uint64_t max_ticks;             /* anchor again past this many ticks */
    bool use_tsc;                   /* the kernel's clocksource is the TSC (x86) */
} vgt_fast_clock;

void vgt_fast_clock_init(vgt_fast_clock *c);
/* Reads the monotonic clock, anchors the TSC to it, refines the rate;
 * returns the reading (not below any earlier one). */
uint64_t vgt_fast_clock_anchor(vgt_fast_clock *c);
/* The arithmetic of an anchor for a reading pair (tests drive it). */
uint64_t vgt_fast_clock_anchor_at(vgt_fast_clock *c, uint64_t sys, uint64_t tsc);
/* The reading for a TSC value; false when it must anchor instead (no rate
 * yet, or too far from the anchor). */
static inline bool vgt_fast_clock_at(const vgt_fast_clock *c, uint64_t tsc, uint64_t *ns)
{
    uint64_t d = tsc - c->anchor_tsc;
    if (c->mult == 0 || d > c->max_ticks) {
        return false;
    }
    /* d <= max_ticks (~1 ms of ticks) keeps d * mult inside 64 bits */
    *ns = c->anchor_ns + ((d * c->mult) >> 32);
    return true;
}

static inline uint64_t vgt_fast_clock_now(vgt_fast_clock *c)
{
#if defined(__x86_64__) || defined(__i386__)
    uint64_t ns;
    if (c->use_tsc && vgt_fast_clock_at(c, __builtin_ia32_rdtsc(), &ns)) {
        return ns;
    }
#endif
    return vgt_fast_clock_anchor(c);
}

/* Sorts v[0..n) ascending and returns its median (the mean of the middle
 * two when n is even; 0 when n is 0): v[0] and v[n-1] are then its range. */
double vgt_sort_median(double *v, size_t n);
/* The index of the pct-th percentile (1..100) in n > 0 sorted values, by
 * nearest rank: the smallest value with pct% of the n at or below it
 * (v[n * 99 / 100] made the p99 of 100 values their maximum). */
size_t vgt_percentile_index(size_t n, unsigned pct);

/* ---- little-endian byte access (file formats are little-endian) -------- */

static inline uint16_t vgt_load_le16(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint16_t)(b[0] | (b[1] << 8));
}
static inline uint32_t vgt_load_le32(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}
static inline uint64_t vgt_load_le64(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint64_t)vgt_load_le32(b) | ((uint64_t)vgt_load_le32(b + 4) << 32);
}
/* The stores are one memcpy on little-endian hosts: GCC 12 turned a row of
 * byte-wise stores (a record header: le64, le16, le16, le32) into ~60
 * shift-and-or instructions, a third of a capture's per-command cost. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VGT_LE_HOST 1
#else
#define VGT_LE_HOST 0
#endif
static inline void vgt_store_le16(void *p, uint16_t v)
{
    if (VGT_LE_HOST) {
        memcpy(p, &v, 2);
        return;
    }
    uint8_t *b = (uint8_t *)p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}
static inline void vgt_store_le32(void *p, uint32_t v)
{
    if (VGT_LE_HOST) {
        memcpy(p, &v, 4);
        return;
    }
    uint8_t *b = (uint8_t *)p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}
static inline void vgt_store_le64(void *p, uint64_t v)
{
    if (VGT_LE_HOST) {
        memcpy(p, &v, 8);
        return;
    }
    vgt_store_le32(p, (uint32_t)v);
    vgt_store_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

/* ---- images ------------------------------------------------------------ */

/* ---- files ------------------------------------------------------------- */

/* Opens `path` for writing a new file (write-only, close-on-exec; -1 and
 * errno on failure).  An existing regular file with one link is unlinked
 * and a new file made in its place, not truncated: ext4 starts writing back
 * a file that was truncated to zero when it is closed (its auto_da_alloc),
 * which made a capture's close ~0.45 ms longer whenever its trace replaced
 * an older one, and costs a screenshot over an older one as much.  A
 * symlink, a file with other hard links or anything not a regular file is
 * opened and truncated (what its other names point at stays the file
 * written), as is a file in a directory that refuses the unlink.  The new
 * file's mode is `mode` less the umask. */
int vgt_file_create(const char *path, mode_t mode);

/* Reads all of the file at `path` into a new buffer (free() it), with a
 * '\0' after the last byte so that text can be parsed in place; *len gets
 * the byte count.  NULL on failure with errno saying why (open, read or out
 * of memory), for the caller's message. */
char *vgt_file_read_all(const char *path, size_t *len);

/* A 32-bit image in the SVGA framebuffer's byte order: each pixel is a
 * little-endian uint32 0xAARRGGBB (bytes B, G, R, A in memory).  Rows are
 * `stride` bytes apart.  Owns `pixels` when created by vgt_image_alloc or
 * vgt_image_read_png. */
typedef struct vgt_image {
    uint32_t width;
    uint32_t height;
    uint32_t stride; /* bytes per row, >= width * 4 */
    uint8_t *pixels;
} vgt_image;

/* Allocates a zeroed width x height image (stride = width*4). */
vgt_status vgt_image_alloc(vgt_image *img, uint32_t width, uint32_t height, vgt_error *err);
/* Allocates *dst as a copy of src's pixels (stride = width*4). */
vgt_status vgt_image_copy(vgt_image *dst, const vgt_image *src, vgt_error *err);
/* Frees the pixels of an image made by vgt_image_alloc/read_png. */
void vgt_image_free(vgt_image *img);
/* Writes img to path as PNG.  With `alpha` false the alpha byte is ignored
 * (written as RGB), which is what an X8R8G8B8 framebuffer means. */
vgt_status vgt_image_write_png(const vgt_image *img, const char *path, bool alpha, vgt_error *err);
/* Reads a PNG (any bit depth/colour type) into a newly allocated image. */
vgt_status vgt_image_read_png(vgt_image *img, const char *path, vgt_error *err);

/* The file of guest frame `frame`'s picture in dir, as vgt run and vgt
 * replay --screenshot write it, --reference reads it and vgt diff --images
 * writes it: "DIR/frame-NNNNNN" suffix ".png" (suffix "" or e.g. "-a").
 * False when it does not fit in size bytes. */
bool vgt_image_frame_path(char *buf, size_t size, const char *dir, uint64_t frame,
                          const char *suffix);

/* Result of comparing two images of the same size. */
typedef struct vgt_image_diff {
    uint32_t max_channel_delta; /* largest |a-b| over B, G, R (and A if compared) */
    uint64_t pixels_over;       /* pixels with any channel delta > tolerance */
    uint64_t pixels_total;
    /* The bounding box of the pixels over the tolerance: columns x0..x1-1,
     * rows y0..y1-1 (all 0 when pixels_over is 0). */
    uint32_t x0, y0, x1, y1;
} vgt_image_diff;

/* Compares a and b channel by channel; fails with VGT_E_INVALID if sizes
 * differ.  With compare_alpha false the alpha byte is ignored. */
vgt_status vgt_image_compare(const vgt_image *a, const vgt_image *b, uint32_t tolerance,
                             bool compare_alpha, vgt_image_diff *out, vgt_error *err);

/* The colours of vgt_image_diff_picture: a pixel over the tolerance, and the
 * grey a pixel within it is dimmed into (VGT_IMAGE_DIFF_GREY_BASE + luma / 4). */
#define VGT_IMAGE_DIFF_MARK      0xffff00ffu /* opaque magenta */
#define VGT_IMAGE_DIFF_GREY_BASE 32u
/* A picture of where a and b (same size) differ, for a human, into *out
 * (allocated; the caller frees): a pixel whose channel delta (B, G, R, and A
 * with compare_alpha) exceeds tolerance is VGT_IMAGE_DIFF_MARK; any other
 * is a dim opaque grey of a's luma (77 R + 150 G + 29 B + 128) / 256:
 * GREY_BASE + luma / 4, at most 95, so that the marks stand out of the
 * context they are in.  VGT_E_INVALID if the sizes differ. */
vgt_status vgt_image_diff_picture(const vgt_image *a, const vgt_image *b, uint32_t tolerance,
                                  bool compare_alpha, vgt_image *out, vgt_error *err);

/* ---- numbers in text ---------------------------------------------------- */

/* Reads text as a decimal number min..max into *out: digits only (no blank,
 * no sign, nothing after them), no overflow.  False, *out untouched,
 * otherwise. */
bool vgt_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* "s" after a count other than 1, "" after 1: "1 frame", "2 frames". */
const char *vgt_plural(uint64_t n);

/* The ending of a present-tense verb whose subject is "part of whole
 * NOUNs": "s" when part or whole is 1 ("1 of 2 frames differs", "0 of 1
 * frame differs"), "" otherwise ("0 of 2 frames differ"). */
const char *vgt_verb_s(uint64_t part, uint64_t whole);

#ifdef VGT_SHAKE
/* make shake's build only (CMake VGT_SHAKE, docs/conventions.md): the next
 * number 0..n-1 (n > 0) of one of two streams (each one thread's: the
 * device's FIFO thread, the guest driver), seeded from VGT_SHAKE_SEED or,
 * when that is unset, from the time and pid (then said once on stderr), so
 * that a seed gives each stream its decisions again. */
enum { VGT_SHAKE_DEVICE, VGT_SHAKE_DRIVER, VGT_SHAKE_STREAMS };
uint32_t vgt_shake_below(unsigned stream, uint32_t n);
#endif

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_BASE_H */
