/* fixture.c - shared helpers for the format tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "vgt_test_tmp.h"

static const uint8_t device_config[] = {0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
                                        0x00, 0x00, 0x04, 0x00, 0xca, 0xfe, 0xba, 0xbe};

void fx_header(vgt_trace_header *h)
{
    memset(h, 0, sizeof(*h));
    h->protocol_id = 0x32414753;
    strcpy(h->protocol_name, "svga2");
    h->device_config = device_config;
    h->device_config_size = sizeof(device_config);
    h->creator = "vgt format tests";
    h->start_time_ns = 1700000000123456789ull;
}

void fx_settings(vgt_trace_writer_settings *s, uint32_t chunk_size)
{
    vgt_trace_writer_settings_init(s);
    s->chunk_size = chunk_size;
    s->compression_level = 1;
    s->queue_depth = 2;
}

/* in this run's scratch directory, removed when the test exits (passed or not) */
void fx_path(char *out, size_t size, const char *name)
{
    const char *dir = vgt_test_tmpdir("format");
    assert_non_null(dir);
    snprintf(out, size, "%s/%s.vgt", dir, name);
}

vgt_status fx_try_add(fx_trace *t, vgt_trace_writer *w, uint16_t type, uint16_t flags,
                      const void *p, size_t n)
{
    vgt_error err = {0};
    t->ts += 1000 + (n & 0xff);
    vgt_status st = vgt_trace_writer_append(w, type, flags, t->ts, p, n, &err);
    if (st != VGT_OK) {
        return st;
    }
    fx_remember(t, type, flags, t->ts, p, n);
    return VGT_OK;
}

void fx_remember(fx_trace *t, uint16_t type, uint16_t flags, uint64_t ts, const void *p, size_t n)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->recs = realloc(t->recs, t->cap * sizeof(*t->recs));
        assert_non_null(t->recs);
    }
    fx_rec *r = &t->recs[t->n];
    r->seq = t->n;
    r->frame = t->frame;
    r->ts = ts;
    r->type = type;
    r->flags = flags;
    r->size = (uint32_t)n;
    r->payload = malloc(n ? n : 1);
    assert_non_null(r->payload);
    if (n) {
        memcpy(r->payload, p, n);
    }
    t->n++;
    if (type == VGT_REC_FRAME_END) {
        t->frame++;
    }
}

void fx_add(fx_trace *t, vgt_trace_writer *w, uint16_t type, uint16_t flags, const void *p,
            size_t n)
{
    vgt_status st = fx_try_add(t, w, type, flags, p, n);
    assert_int_equal(st, VGT_OK);
}

void fx_frame_end(fx_trace *t, vgt_trace_writer *w)
{
    fx_add(t, w, VGT_REC_FRAME_END, 0, NULL, 0);
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

void fx_fill(uint8_t *buf, size_t n, uint32_t seed)
{
    uint32_t s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        /* runs of a repeated byte with random breaks: compresses ~2-4x */
        if ((i & 7) == 0) {
            rnd(&s);
        }
        buf[i] = (uint8_t)((i & 3) == 0 ? (s >> (i & 24)) : (uint8_t)(i >> 5));
    }
}

void fx_generate(fx_trace *t, vgt_trace_writer *w, uint32_t seed, size_t count, size_t frame_every)
{
    uint32_t s = seed | 1;
    enum { LARGE_MAX = 12000 };
    uint8_t *buf = malloc(LARGE_MAX);
    assert_non_null(buf);
    for (size_t i = 0; i < count; i++) {
        uint32_t k = rnd(&s) % 100;
        size_t n;
        uint16_t type;
        uint32_t content = rnd(&s);
        if (k < 70) {
            n = 16 + rnd(&s) % 49;
            type = VGT_REC_COMMAND;
        } else if (k < 85) {
            n = 100 + rnd(&s) % 1900;
            type = VGT_REC_REGISTER_WRITE + (uint16_t)(rnd(&s) % 6);
        } else if (k < 95) {
            n = 4096 + rnd(&s) % (LARGE_MAX - 4096);
            type = VGT_REC_DMA_DATA;
        } else {
            /* one of four repeated large payloads */
            content = 77 + rnd(&s) % 4;
            n = 5000 + content;
            type = VGT_REC_DMA_DATA;
        }
        fx_fill(buf, n, content);
        fx_add(t, w, type, (uint16_t)(rnd(&s) & 0xffff), buf, n);
        if (frame_every && (i + 1) % frame_every == 0) {
            fx_frame_end(t, w);
        }
    }
    free(buf);
}

size_t fx_check(vgt_trace_reader *r, const fx_trace *t, size_t from, vgt_status *status)
{
    size_t got = 0;
    vgt_trace_record rec;
    vgt_error err = {0};
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, &err)) == VGT_OK) {
        assert_true(from + got < t->n);
        const fx_rec *e = &t->recs[from + got];
        assert_int_equal(rec.seq, e->seq);
        assert_int_equal(rec.frame, e->frame);
        assert_int_equal(rec.timestamp_ns, e->ts);
        assert_int_equal(rec.type, e->type);
        assert_int_equal(rec.flags, e->flags);
        assert_int_equal(rec.size, e->size);
        assert_memory_equal(rec.payload, e->payload, e->size);
        got++;
    }
    if (status) {
        *status = st;
    }
    return got;
}

void fx_write_file(const char *path, fx_trace *t, uint32_t chunk_size, size_t count,
                   size_t frame_every, uint32_t seed)
{
    vgt_trace_writer_settings s;
    vgt_trace_header h;
    vgt_trace_writer *w;
    vgt_error err = {0};
    fx_settings(&s, chunk_size);
    fx_header(&h);
    assert_int_equal(vgt_trace_writer_open(path, &s, &h, &w, &err), VGT_OK);
    fx_generate(t, w, seed, count, frame_every);
    assert_int_equal(vgt_trace_writer_close(w, &err), VGT_OK);
}

void fx_free(fx_trace *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->recs[i].payload);
    }
    free(t->recs);
    memset(t, 0, sizeof(*t));
}

uint8_t *fx_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return b;
}

void fx_write_bytes(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}
