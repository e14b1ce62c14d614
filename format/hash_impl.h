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
