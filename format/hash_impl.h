/* hash_impl.h - private to format/: the bodies of the trace's hashes,
 * included after <xxhash.h> by hash.c (the distribution's libxxhash) and by
 * hash_avx2.c (its own copy compiled for AVX2), so both compute them the
 * same way.  No include guard: each file includes it once. */

static uint64_t hash64_impl(const void *data, size_t size)
{
    return XXH3_64bits(data, size);
}

static void hash128_impl(const vgt_trace_iov *iov, size_t count, uint64_t *lo, uint64_t *hi)
{
    XXH128_hash_t h;
    if (count == 1) {
        h = XXH3_128bits(iov[0].data, iov[0].size);
    } else {
        XXH3_state_t s;
        XXH3_128bits_reset(&s);
        for (size_t i = 0; i < count; i++) {
            XXH3_128bits_update(&s, iov[i].data, iov[i].size);
        }
        h = XXH3_128bits_digest(&s);
    }
    *lo = h.low64;
    *hi = h.high64;
}

static uint64_t hash_rows_impl(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows)
{
    if (stride == row) {
        return XXH3_64bits(pixels, row * rows);
    }
    XXH3_state_t s;
    XXH3_64bits_reset(&s);
    for (uint32_t y = 0; y < rows; y++) {
        XXH3_64bits_update(&s, pixels + (size_t)y * stride, row);
    }
    return XXH3_64bits_digest(&s);
}

/* XXH3_64 of each of `count` rows into out[0..count-1]. */
static void each_row_impl(const uint8_t *pixels, size_t row, size_t stride, uint32_t count,
                          uint64_t *out)
{
    for (uint32_t y = 0; y < count; y++) {
        out[y] = XXH3_64bits(pixels + (size_t)y * stride, row);
    }
}

/* Feeds row hashes to s as 8 little-endian bytes each. */
static void update_le64s(XXH3_state_t *s, const uint64_t *h, uint32_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    XXH3_64bits_update(s, h, (size_t)n * 8u);
#else
    for (uint32_t i = 0; i < n; i++) {
        uint8_t b[8];
        vgt_store_le64(b, h[i]);
        XXH3_64bits_update(s, b, 8);
    }
#endif
}

static uint64_t of_row_hashes_impl(const uint64_t *h, uint32_t rows)
{
    XXH3_state_t s;
    XXH3_64bits_reset(&s);
    update_le64s(&s, h, rows);
    return XXH3_64bits_digest(&s);
}

/* The row tree in one pass, 64 rows' hashes at a time (no allocation). */
static uint64_t row_tree_impl(const uint8_t *pixels, size_t row, size_t stride, uint32_t rows)
{
    XXH3_state_t s;
    XXH3_64bits_reset(&s);
    uint64_t h[64];
    for (uint32_t y = 0; y < rows; y += 64) {
        uint32_t n = rows - y < 64 ? rows - y : 64;
        each_row_impl(pixels + (size_t)y * stride, row, stride, n, h);
        update_le64s(&s, h, n);
    }
    return XXH3_64bits_digest(&s);
}
