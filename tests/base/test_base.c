/* Tests for base/: error values, checked arithmetic, file creation, PNG round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vgt_base.h"

static void error_set_and_prefix(void **state)
{
    vgt_error err = {0};
    assert_int_equal(vgt_error_set(&err, VGT_E_RANGE, "offset %u", 12u), VGT_E_RANGE);
    vgt_error_prefix(&err, "chunk %d", 3);
    assert_string_equal(err.message, "chunk 3: offset 12");
    assert_int_equal(err.code, VGT_E_RANGE);
    assert_int_equal(vgt_error_set(NULL, VGT_E_IO, "ignored"), VGT_E_IO);
    vgt_error_clear(&err);
    assert_int_equal(err.code, VGT_OK);
    assert_string_equal(err.message, "");
}

static void checked_arithmetic(void **state)
{
    uint32_t r32;
    uint64_t r64;
    assert_false(vgt_add_overflow_u32(1, 2, &r32));
    assert_int_equal(r32, 3);
    assert_true(vgt_add_overflow_u32(UINT32_MAX, 1, &r32));
    assert_true(vgt_mul_overflow_u32(0x10000, 0x10000, &r32));
    assert_false(vgt_mul_overflow_u64(0x10000, 0x10000, &r64));
    assert_true(vgt_range_inside(0, 10, 10));
    assert_true(vgt_range_inside(10, 0, 10));
    assert_false(vgt_range_inside(11, 0, 10));
    assert_false(vgt_range_inside(5, UINT64_MAX, 10));
}

static void little_endian(void **state)
{
    uint8_t b[8];
    vgt_store_le64(b, 0x0102030405060708ull);
    assert_int_equal(b[0], 0x08);
    assert_int_equal(b[7], 0x01);
    assert_int_equal(vgt_load_le64(b), 0x0102030405060708ull);
    assert_int_equal(vgt_load_le16(b), 0x0708);
}

/* vgt_file_create(path), text written, closed. */
static void create_with(const char *path, const char *text)
{
    int fd = vgt_file_create(path, 0644);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

/* The whole content of an fd from its start, NUL-terminated (small files). */
static void read_all_fd(int fd, char *buf, size_t cap)
{
    ssize_t n = pread(fd, buf, cap - 1, 0);
    assert_true(n >= 0);
    buf[n] = '\0';
}

static void read_path(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    read_all_fd(fd, buf, cap);
    close(fd);
}

/* A temporary directory's path + "/" + name. */
static void tmp_path(char *out, size_t size, const char *dir, const char *name)
{
    assert_true((size_t)snprintf(out, size, "%s/%s", dir, name) < size);
}

/* vgt_file_create: a regular file with one link is replaced by a new file
 * (a reader of the old one keeps its bytes), while a symlink's target and a
 * hard-linked file are truncated and written in place. */
static void file_create_replaces_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/vgt-test-create-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], other[512], buf[256];
    tmp_path(path, sizeof(path), dir, "file");
    tmp_path(other, sizeof(other), dir, "other");

    /* a regular file: replaced, the old file intact behind an open fd */
    create_with(path, "first trace");
    int old = open(path, O_RDONLY);
    assert_true(old >= 0);
    create_with(path, "second");
    read_all_fd(old, buf, sizeof(buf));
    assert_string_equal(buf, "first trace");
    read_path(path, buf, sizeof(buf));
    assert_string_equal(buf, "second");
    close(old);

    /* a hard link: the file is truncated in place, both names see it */
    assert_int_equal(link(path, other), 0);
    create_with(path, "new");
    read_path(other, buf, sizeof(buf));
    assert_string_equal(buf, "new");
    unlink(other);

    /* a symlink: stays a symlink, its target written */
    assert_int_equal(symlink(path, other), 0);
    create_with(other, "via link");
    struct stat st;
    assert_int_equal(lstat(other, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    read_path(path, buf, sizeof(buf));
    assert_string_equal(buf, "via link");
    unlink(other);
    unlink(path);

    /* a path that cannot be made: -1 and errno */
    tmp_path(path, sizeof(path), dir, "no/such/dir");
    errno = 0;
    assert_int_equal(vgt_file_create(path, 0644), -1);
    assert_int_equal(errno, ENOENT);
    rmdir(dir);
}

/* A PNG written over an older one is a new file (vgt_file_create), and a
 * PNG that cannot be created is an IO error naming the path. */
static void png_write_replaces_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/vgt-test-pngnew-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], buf[256];
    tmp_path(path, sizeof(path), dir, "shot.png");
    create_with(path, "an older screenshot");
    int old = open(path, O_RDONLY);
    assert_true(old >= 0);
    vgt_image img, back;
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(&img, 3, 2, &err), VGT_OK);
    img.pixels[4] = 0x7f;
    assert_int_equal(vgt_image_write_png(&img, path, false, &err), VGT_OK);
    read_all_fd(old, buf, sizeof(buf));
    assert_string_equal(buf, "an older screenshot");
    close(old);
    assert_int_equal(vgt_image_read_png(&back, path, &err), VGT_OK);
    assert_int_equal(back.width, 3);
    assert_int_equal(back.pixels[4], 0x7f);
    vgt_image_free(&back);
    unlink(path);

    tmp_path(path, sizeof(path), dir, "missing/shot.png");
    assert_int_equal(vgt_image_write_png(&img, path, false, &err), VGT_E_IO);
    assert_non_null(strstr(err.message, "missing/shot.png: cannot create"));
    vgt_image_free(&img);
    rmdir(dir);
}

static void png_round_trip(void **state)
{
    vgt_image img, back;
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(&img, 7, 5, &err), VGT_OK);
    for (uint32_t y = 0; y < 5; y++) {
        for (uint32_t x = 0; x < 7; x++) {
            uint32_t px = 0xff000000u | (x * 30u) << 16 | (y * 50u) << 8 | (x + y);
            vgt_store_le32(img.pixels + y * img.stride + x * 4, px);
        }
    }
    char path[] = "/tmp/vgt-test-png-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(vgt_image_write_png(&img, path, false, &err), VGT_OK);
    assert_int_equal(vgt_image_read_png(&back, path, &err), VGT_OK);
    assert_int_equal(back.width, 7);
    assert_int_equal(back.height, 5);
    vgt_image_diff diff;
    assert_int_equal(vgt_image_compare(&img, &back, 0, true, &diff, &err), VGT_OK);
    assert_int_equal(diff.max_channel_delta, 0);
    assert_int_equal(diff.pixels_over, 0);
    /* One changed pixel is found and measured. */
    back.pixels[3 * back.stride + 2 * 4 + 1] ^= 0x10;
    assert_int_equal(vgt_image_compare(&img, &back, 0, false, &diff, &err), VGT_OK);
    assert_int_equal(diff.pixels_over, 1);
    assert_int_equal(diff.max_channel_delta, 0x10);
    unlink(path);
    vgt_image_free(&img);
    vgt_image_free(&back);
}

/* vgt_image_copy: a padded source (stride > width*4) comes out tight, every
 * pixel equal. */
static void image_copy(void **state)
{
    (void)state;
    vgt_image src = {3, 2, 20, NULL};
    uint8_t px[40];
    for (int i = 0; i < 40; i++) {
        px[i] = (uint8_t)(i * 7 + 1);
    }
    src.pixels = px;
    vgt_image dst;
    vgt_error err = {0};
    assert_int_equal(vgt_image_copy(&dst, &src, &err), VGT_OK);
    assert_int_equal(dst.width, 3);
    assert_int_equal(dst.height, 2);
    assert_int_equal(dst.stride, 12);
    assert_memory_equal(dst.pixels, px, 12);
    assert_memory_equal(dst.pixels + 12, px + 20, 12);
    vgt_image_free(&dst);
}

/* vgt_image_compare's bounding box and vgt_image_diff_picture's pixels on a
 * 6x4 image (b padded) with three known differences: G +5 at (1,1), R -40
 * at (4,2), alpha only at (0,3). */
static uint32_t px_at(const vgt_image *img, uint32_t x, uint32_t y)
{
    return vgt_load_le32(img->pixels + (size_t)y * img->stride + x * 4u);
}

static void image_diff_bbox_and_picture(void **state)
{
    (void)state;
    vgt_image a, pic;
    vgt_error err = {0};
    assert_int_equal(vgt_image_alloc(&a, 6, 4, &err), VGT_OK);
    uint8_t bpx[4 * 32];
    vgt_image b = {6, 4, 32, bpx};
    memset(bpx, 0xee, sizeof(bpx)); /* the padding must not count */
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 6; x++) {
            uint32_t v = x == 5 && y == 0 ? 0xffffffffu : 0xff102030u;
            vgt_store_le32(a.pixels + y * a.stride + x * 4, v);
            vgt_store_le32(bpx + y * 32 + x * 4, v);
        }
    }
    vgt_store_le32(bpx + 1 * 32 + 1 * 4, 0xff102530u); /* G + 5 */
    vgt_store_le32(a.pixels + 2 * a.stride + 4 * 4, 0xff502030u);
    vgt_store_le32(bpx + 2 * 32 + 4 * 4, 0xff282030u); /* R - 40 */
    vgt_store_le32(bpx + 3 * 32 + 0 * 4, 0x00102030u); /* alpha only */
    vgt_image_diff d;
    assert_int_equal(vgt_image_compare(&a, &b, 0, false, &d, &err), VGT_OK);
    assert_int_equal(d.pixels_over, 2);
    assert_int_equal(d.pixels_total, 24);
    assert_int_equal(d.max_channel_delta, 40);
    assert_int_equal(d.x0, 1);
    assert_int_equal(d.y0, 1);
    assert_int_equal(d.x1, 5);
    assert_int_equal(d.y1, 3);
    /* tolerance 5: the G + 5 pixel is equal; the box is the R pixel's alone */
    assert_int_equal(vgt_image_compare(&a, &b, 5, false, &d, &err), VGT_OK);
    assert_int_equal(d.pixels_over, 1);
    assert_int_equal(d.max_channel_delta, 40);
    assert_true(d.x0 == 4 && d.y0 == 2 && d.x1 == 5 && d.y1 == 3);
    assert_int_equal(vgt_image_compare(&a, &b, 40, false, &d, &err), VGT_OK);
    assert_int_equal(d.pixels_over, 0);
    assert_true(d.x0 == 0 && d.y0 == 0 && d.x1 == 0 && d.y1 == 0);
    /* with alpha: the last row's first pixel too */
    assert_int_equal(vgt_image_compare(&a, &b, 0, true, &d, &err), VGT_OK);
    assert_int_equal(d.pixels_over, 3);
    assert_int_equal(d.max_channel_delta, 255);
    assert_true(d.x0 == 0 && d.y0 == 1 && d.x1 == 5 && d.y1 == 4);

    /* the picture: magenta where over the tolerance, A's dimmed grey elsewhere
     * (0xff102030: luma 29, grey 32 + 7; white: luma 255, grey 95) */
    assert_int_equal(vgt_image_diff_picture(&a, &b, 0, false, &pic, &err), VGT_OK);
    assert_int_equal(pic.width, 6);
    assert_int_equal(pic.height, 4);
    assert_int_equal(px_at(&pic, 1, 1), VGT_IMAGE_DIFF_MARK);
    assert_int_equal(px_at(&pic, 4, 2), VGT_IMAGE_DIFF_MARK);
    assert_int_equal(px_at(&pic, 0, 0), 0xff272727u);
    assert_int_equal(px_at(&pic, 0, 3), 0xff272727u); /* alpha ignored */
    assert_int_equal(px_at(&pic, 5, 0), 0xff5f5f5fu);
    uint32_t marks = 0;
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 6; x++) {
            marks += px_at(&pic, x, y) == VGT_IMAGE_DIFF_MARK;
        }
    }
    assert_int_equal(marks, 2);
    vgt_image_free(&pic);
    assert_int_equal(vgt_image_diff_picture(&a, &b, 5, false, &pic, &err), VGT_OK);
    assert_int_equal(px_at(&pic, 1, 1), 0xff272727u);
    assert_int_equal(px_at(&pic, 4, 2), VGT_IMAGE_DIFF_MARK);
    vgt_image_free(&pic);
    assert_int_equal(vgt_image_diff_picture(&a, &b, 0, true, &pic, &err), VGT_OK);
    assert_int_equal(px_at(&pic, 0, 3), VGT_IMAGE_DIFF_MARK);
    vgt_image_free(&pic);
    /* sizes differ: refused, nothing allocated */
    b.height = 3;
    assert_int_equal(vgt_image_diff_picture(&a, &b, 0, false, &pic, &err), VGT_E_INVALID);
    assert_null(pic.pixels);
    assert_int_equal(vgt_image_compare(&a, &b, 0, false, &d, &err), VGT_E_INVALID);
    vgt_image_free(&a);
}

static void png_read_missing_file(void **state)
{
    vgt_image img;
    vgt_error err = {0};
    assert_int_equal(vgt_image_read_png(&img, "/nonexistent/x.png", &err), VGT_E_IO);
    assert_non_null(strstr(err.message, "/nonexistent/x.png"));
    assert_null(img.pixels);
}

/* The fast clock's arithmetic on made-up readings: 3 ticks a nanosecond. */
static void fast_clock_arithmetic(void **state)
{
    (void)state;
    vgt_fast_clock c;
    memset(&c, 0, sizeof(c));
    uint64_t ns = 0;
    assert_int_equal(vgt_fast_clock_anchor_at(&c, 1000, 5000), 1000);
    assert_false(vgt_fast_clock_at(&c, 5300, &ns)); /* no rate yet */
    /* 10 ms later: still no rate (it takes 20 ms) */
    assert_int_equal(vgt_fast_clock_anchor_at(&c, 1000 + 10000000, 5000 + 30000000), 10001000);
    assert_int_equal(c.mult, 0);
    /* 30 ms after the first anchor: 90 M ticks, a third of a ns each */
    uint64_t a = 1000 + 30000000, at = 5000 + 90000000;
    assert_int_equal(vgt_fast_clock_anchor_at(&c, a, at), a);
    assert_true(c.mult > 0);
    assert_true(vgt_fast_clock_at(&c, at + 3000, &ns));
    assert_true(ns >= a + 999 && ns <= a + 1000);
    assert_true(vgt_fast_clock_at(&c, at + 2999999, &ns));  /* just under 1 ms */
    assert_false(vgt_fast_clock_at(&c, at + 3000003, &ns)); /* past 1 ms: anchor again */
    assert_false(vgt_fast_clock_at(&c, at - 1, &ns));       /* the TSC went back */
    /* The system clock says less than the readings already given: the
     * anchor stays at the estimate, so readings never go backwards. */
    assert_true(vgt_fast_clock_at(&c, at + 30000, &ns));
    uint64_t est = ns;
    assert_int_equal(vgt_fast_clock_anchor_at(&c, a + 9000, at + 30000), est);
    /* and an anchor never goes below the previous one */
    assert_int_equal(vgt_fast_clock_anchor_at(&c, a, at + 30001), est);
    /* Past the span the rate is not used, but readings up to the span's
     * end were given: the anchor stays at or above the last of them when
     * the system clock says a little less (a rate that ran fast). */
    vgt_fast_clock e = c;
    uint64_t span_end_tsc = e.anchor_tsc + e.max_ticks;
    assert_true(vgt_fast_clock_at(&e, span_end_tsc, &ns));
    uint64_t span_end = ns;
    assert_int_equal(vgt_fast_clock_anchor_at(&e, span_end - 80, span_end_tsc + 10), span_end);
    /* with the system clock ahead, the system clock */
    e = c;
    assert_int_equal(vgt_fast_clock_anchor_at(&e, span_end + 500, span_end_tsc + 10),
                     span_end + 500);
    /* A TSC below the first anchor's (another machine's, a reset): the rate
     * is measured again, readings come from the system clock meanwhile. */
    uint64_t rate = c.rate;
    vgt_fast_clock_anchor_at(&c, a + 50000, 100);
    assert_int_equal(c.mult, 0);
    assert_false(vgt_fast_clock_at(&c, 200, &ns));
    /* A clock made with a rate (vgt_fast_clock_init's, measured once a
     * process) keeps it at its first anchor: readings from the start. */
    vgt_fast_clock d;
    memset(&d, 0, sizeof(d));
    d.rate = d.mult = rate;
    d.max_ticks = (uint64_t)((1000000ull << 32) / rate);
    assert_int_equal(vgt_fast_clock_anchor_at(&d, 7000, 11000), 7000);
    assert_int_equal(d.mult, rate);
    assert_true(vgt_fast_clock_at(&d, 11000 + 3000, &ns));
    assert_true(ns >= 7000 + 999 && ns <= 7000 + 1000);
    /* A first rate far too fast (its measurement disturbed: 2 ns a tick
     * for 1): the first anchor that shows a lead over 1 us, 200 us or more
     * after the base, measures the rate from the system clock at once; the
     * clock then runs 1/1024 slow until the system clock catches up. */
    vgt_fast_clock f;
    memset(&f, 0, sizeof(f));
    f.rate = f.mult = 2ull << 32;
    f.max_ticks = 500000; /* 1 ms at the claimed rate */
    assert_int_equal(vgt_fast_clock_anchor_at(&f, 1000000, 1000000), 1000000);
    assert_true(vgt_fast_clock_at(&f, 1000000 + 400000, &ns));
    assert_int_equal(ns, 1000000 + 800000);
    assert_int_equal(vgt_fast_clock_anchor_at(&f, 1600000, 1600000), 2000000); /* the span's end */
    assert_int_equal(f.rate, 1ull << 32);
    assert_int_equal(f.mult, (1ull << 32) - (1ull << 22));
    assert_true(vgt_fast_clock_at(&f, 1600000 + 1024, &ns));
    assert_int_equal(ns, 2000000 + 1023);
    /* the system clock ahead again: the measured rate, unslowed */
    assert_int_equal(vgt_fast_clock_anchor_at(&f, 4000000, 4000000), 4000000);
    assert_int_equal(f.mult, f.rate);
}

/* The real clock: readings (and anchors) that never go backwards, and stay
 * within a millisecond of the monotonic clock, with the first rate and
 * after the clock's own is measured. */
static void fast_clock_real(void **state)
{
    (void)state;
    vgt_fast_clock c;
    vgt_fast_clock_init(&c);
    if (c.use_tsc) {
        assert_true(c.mult > 0); /* the process's first rate: the TSC from the start */
    }
    uint64_t prev = vgt_fast_clock_anchor(&c), start = vgt_now_ns();
    uint64_t reads = 0;
    while (vgt_now_ns() - start < 60000000u) {
        for (int i = 0; i < 1000; i++) {
            uint64_t t = vgt_fast_clock_now(&c);
            assert_true(t >= prev);
            prev = t;
            reads++;
        }
        uint64_t sys = vgt_now_ns();
        uint64_t t = vgt_fast_clock_now(&c);
        assert_true(t >= prev);
        prev = t;
        assert_true(t + 1000000u >= sys && t <= sys + 1000000u);
        /* the first 30 ms with no anchor but the clock's own (a reading
         * past a span: where readings once went back 60-80 ns), then an
         * anchor every 8000 readings, as the device takes one a pass */
        if (reads % 8000 == 0 && sys - start > 30000000u) {
            t = vgt_fast_clock_anchor(&c);
            assert_true(t >= prev);
            prev = t;
        }
    }
    if (c.use_tsc) {
        assert_true(c.mult > 0); /* 60 ms: the rate is measured */
    }
}

static void sort_median(void **state)
{
    (void)state;
    double odd[5] = {3.0, 1.0, 5.0, 2.0, 4.0};
    assert_true(vgt_sort_median(odd, 5) == 3.0);
    assert_true(odd[0] == 1.0 && odd[4] == 5.0);
    double even[4] = {4.0, 1.0, 3.0, 2.0};
    assert_true(vgt_sort_median(even, 4) == 2.5);
    assert_true(even[0] == 1.0 && even[3] == 4.0);
    assert_true(vgt_sort_median(even, 0) == 0.0);
}

/* Nearest rank: the p99 of 100 values is the 99th, not their maximum
 * (vgt bench fifo's fence round trip printed the maximum as p99). */
static void percentile_index_nearest_rank(void **state)
{
    (void)state;
    assert_int_equal(vgt_percentile_index(100, 99), 98);
    assert_int_equal(vgt_percentile_index(2000, 99), 1979);
    assert_int_equal(vgt_percentile_index(101, 99), 99);
    assert_int_equal(vgt_percentile_index(1, 99), 0);
    assert_int_equal(vgt_percentile_index(10, 99), 9);
    assert_int_equal(vgt_percentile_index(5, 50), 2);
    assert_int_equal(vgt_percentile_index(4, 50), 1);
    assert_int_equal(vgt_percentile_index(100, 100), 99);
    assert_int_equal(vgt_percentile_index(0, 99), 0);
    assert_int_equal(vgt_percentile_index(SIZE_MAX, 100), SIZE_MAX - 1);
    assert_int_equal(vgt_percentile_index(SIZE_MAX, 200), SIZE_MAX - 1); /* clamped to 100 */
    assert_int_equal(vgt_percentile_index(10, 1000), 9);
}

/* Numbers from text: digits only, within min..max, no overflow; *out
 * untouched on a refusal. */
static void parse_u64_digits_only(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_true(vgt_parse_u64("0", 0, 10, &v));
    assert_int_equal(v, 0);
    assert_true(vgt_parse_u64("18446744073709551615", 0, UINT64_MAX, &v));
    assert_true(v == UINT64_MAX);
    assert_true(vgt_parse_u64("10", 1, 10, &v));
    assert_int_equal(v, 10);
    const char *refused[] = {NULL, "",   " 5",   "+5",  "-1",
                             "5x", "5 ", "0x10", "1e3", "18446744073709551616"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        v = 7;
        assert_false(vgt_parse_u64(refused[i], 0, UINT64_MAX, &v));
        assert_int_equal(v, 7);
    }
    assert_false(vgt_parse_u64("0", 1, 10, &v));  /* below min */
    assert_false(vgt_parse_u64("11", 1, 10, &v)); /* above max */
    assert_int_equal(v, 7);
    assert_string_equal(vgt_plural(0), "s");
    assert_string_equal(vgt_plural(1), "");
    assert_string_equal(vgt_plural(2), "s");
    /* a verb after "part of whole NOUNs": "0 of 1 frame differs", "1 of 2
     * frames differs", "0 of 2 frames differ", "2 of 5 frames differ" */
    assert_string_equal(vgt_verb_s(0, 1), "s");
    assert_string_equal(vgt_verb_s(1, 1), "s");
    assert_string_equal(vgt_verb_s(1, 2), "s");
    assert_string_equal(vgt_verb_s(0, 2), "");
    assert_string_equal(vgt_verb_s(2, 5), "");
    assert_string_equal(vgt_verb_s(0, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_set_and_prefix),
        cmocka_unit_test(checked_arithmetic),
        cmocka_unit_test(little_endian),
        cmocka_unit_test(png_round_trip),
        cmocka_unit_test(png_read_missing_file),
        cmocka_unit_test(image_copy),
        cmocka_unit_test(image_diff_bbox_and_picture),
        cmocka_unit_test(sort_median),
        cmocka_unit_test(percentile_index_nearest_rank),
        cmocka_unit_test(fast_clock_arithmetic),
        cmocka_unit_test(fast_clock_real),
        cmocka_unit_test(file_create_replaces_file),
        cmocka_unit_test(png_write_replaces_file),
        cmocka_unit_test(parse_u64_digits_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
