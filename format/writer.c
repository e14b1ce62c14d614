/* writer.c - the trace writer: records are appended into an in-memory chunk;
 * full chunks go through a bounded queue to background compression threads
 * and are written in order; close writes the footer index and trailer. */
#include "format_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

typedef struct job {
    uint64_t index;
    uint64_t first_record, first_frame, last_frame;
    uint32_t record_count;
    uint8_t *data;
    size_t size, cap;
} job;

typedef struct chunk_entry {
    uint64_t offset, first_record, first_frame, last_frame;
    uint32_t record_count, csize, usize;
} chunk_entry;

typedef struct dedup_entry {
    uint64_t lo, hi, record, chunk, refs;
    uint32_t size;
} dedup_entry;

typedef struct worker {
    struct vgt_trace_writer *w;
    ZSTD_CCtx *cctx;
    uint8_t *out;
    size_t out_cap;
    pthread_t thread;
    bool started;
    uint64_t cpu_ns; /* the thread's CPU time after its last chunk (under mu) */
} worker;

struct vgt_trace_writer {
    int fd;
    bool own_fd;
    off_t base; /* fd position of the trace's first byte (-1 if not seekable) */
    vgt_trace_writer_settings s;
    int compress_nice;  /* what a compression thread found itself running at */
    bool compress_idle; /* ... and whether as SCHED_IDLE */

    /* appender state (appending thread only) */
    job cur;
    uint64_t next_seq, frame;
    bool frame_open;
    vgt_trace_writer_stats st; /* appender counters; shared ones live below */
    uint32_t *type_slot;       /* type -> index+1 into types */
    vgt_trace_type_stat *types;
    size_t type_count;
    vgt_trace_frame_info *frames;
    size_t frame_count, frame_cap;
    dedup_entry *dedups;
    size_t dedup_count, dedup_cap;
    uint64_t *dedup_table; /* open addressing: dedup index + 1, 0 = empty */
    size_t dedup_table_cap;
    int failed_flag; /* atomic copy of `failed != 0` for the fast path */
    size_t fast_max; /* payloads below this may take vgt_trace_writer_reserve */

    /* shared state (mu) */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full, turn;
    job *queue;
    uint32_t qcap, qhead, qlen;
    uint64_t chunks_submitted, next_write;
    bool stop;
    uint64_t good_end;    /* end of the last whole chunk written */
    uint64_t raw_written; /* bytes given to write(2), torn ones included; atomic */
    uint64_t chunks_ok, bytes_compressed, compress_ns, write_ns;
    vgt_error fail; /* first write/compress failure */
    chunk_entry *chunks;
    size_t chunk_cap;
    uint8_t **pool;
    size_t *pool_caps;
    size_t pool_len, pool_max;
    worker *workers;
    uint32_t nworkers;
};

void vgt_trace_writer_settings_init(vgt_trace_writer_settings *s)
{
    memset(s, 0, sizeof(*s));
    s->compression_level = 3;
    s->chunk_size = VGT_TRACE_DEFAULT_CHUNK_SIZE;
    s->queue_depth = 4;
    s->compress_threads = 1;
    s->dedup_min_size = VGT_TRACE_DEFAULT_DEDUP_MIN;
}

/* ---- file output ---------------------------------------------------------- */

/* Writes all of buf (caller holds no lock, or is the only writer).  Honours
 * the fail_after_bytes fault injection. */
static vgt_status write_all(vgt_trace_writer *w, const void *buf, size_t len, vgt_error *err)
{
    const uint8_t *p = buf;
    size_t todo = len;
    bool inject = false;
    if (w->s.fail_after_bytes != 0 && w->raw_written + len > w->s.fail_after_bytes) {
        todo = w->s.fail_after_bytes > w->raw_written
                   ? (size_t)(w->s.fail_after_bytes - w->raw_written)
                   : 0;
        inject = true;
    }
    while (todo > 0) {
        ssize_t n = write(w->fd, p, todo);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return vgt_error_set(err, VGT_E_IO, "writing trace at offset %llu: %s",
                                 (unsigned long long)w->raw_written, strerror(errno));
        }
        if (n == 0) {
            return vgt_error_set(err, VGT_E_IO, "writing trace at offset %llu: write returned 0",
                                 (unsigned long long)w->raw_written);
        }
        p += n;
        todo -= (size_t)n;
        /* Atomic: stats_get reads it while the turn holder writes unlocked. */
        __atomic_store_n(&w->raw_written, w->raw_written + (uint64_t)n, __ATOMIC_RELAXED);
    }
    if (inject) {
        return vgt_error_set(err, VGT_E_IO,
                             "writing trace at offset %llu: %s (injected: fail_after_bytes=%llu)",
                             (unsigned long long)w->raw_written, strerror(ENOSPC),
                             (unsigned long long)w->s.fail_after_bytes);
    }
    return VGT_OK;
}

/* Cuts a torn write off so the file ends with its last whole chunk. */
static void truncate_to_good_end(vgt_trace_writer *w)
{
    if (w->base < 0) {
        return;
    }
    if (ftruncate(w->fd, w->base + (off_t)w->good_end) == 0) {
        if (lseek(w->fd, w->base + (off_t)w->good_end, SEEK_SET) >= 0) {
            __atomic_store_n(&w->raw_written, w->good_end, __ATOMIC_RELAXED);
        }
    }
}

/* ---- buffer pool (mu held) ------------------------------------------------ */

static void pool_put_locked(vgt_trace_writer *w, uint8_t *buf, size_t cap)
{
    if (!buf) {
        return;
    }
    if (cap > (size_t)w->s.chunk_size * 2 || w->pool_len >= w->pool_max) {
        free(buf);
        return;
    }
    w->pool[w->pool_len] = buf;
    w->pool_caps[w->pool_len] = cap;
    w->pool_len++;
}

/* ---- compression threads ---------------------------------------------------- */

static void fail_locked(vgt_trace_writer *w, const vgt_error *e)
{
    if (w->fail.code == VGT_OK) {
        w->fail = *e;
        __atomic_store_n(&w->failed_flag, 1, __ATOMIC_RELEASE);
    }
}

static void *worker_main(void *arg)
{
    worker *k = arg;
    vgt_trace_writer *w = k->w;
    vgt_thread_name("vgt-compress");
    /* setpriority on a thread id changes only this thread (Linux); a
     * failure only costs speed, and the stats say what it runs at */
    id_t tid = (id_t)syscall(SYS_gettid);
    bool idle = false;
    if (w->s.compress_idle) {
        struct sched_param sp = {0};
        idle = pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp) == 0;
    }
    if (!idle && w->s.compress_nice > 0) {
        /* only ever nicer: a process already running nicer than asked
         * (nice 19 under a batch job) must not have its compressor raised
         * above it, which root's setpriority would do */
        errno = 0;
        int now = getpriority(PRIO_PROCESS, tid);
        if (errno == 0 && now < w->s.compress_nice) {
            (void)setpriority(PRIO_PROCESS, tid, w->s.compress_nice);
        }
    }
    __atomic_store_n(&w->compress_idle, idle, __ATOMIC_RELAXED);
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0) {
        __atomic_store_n(&w->compress_nice, nice, __ATOMIC_RELAXED);
    }
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->qlen == 0 && !w->stop) {
            pthread_cond_wait(&w->not_empty, &w->mu);
        }
        if (w->qlen == 0) {
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        job j = w->queue[w->qhead];
        w->qhead = (w->qhead + 1) % w->qcap;
        w->qlen--;
        pthread_cond_signal(&w->not_full);
        bool failed = w->fail.code != VGT_OK;
        pthread_mutex_unlock(&w->mu);

        vgt_error e = {0};
        size_t csize = 0;
        uint64_t t0 = vgt_now_ns(), t1 = t0;
        if (!failed) {
            /* the header goes in front of the compressed bytes: one write(2)
             * a chunk (two cost the compression thread ~5 us more each) */
            size_t bound = CH_SIZE + ZSTD_compressBound(j.size);
            /* at least a full chunk's room: a small chunk (the last, or one
             * cut short by a big record) must not leave a buffer the next
             * full chunk allocates again */
            size_t room = CH_SIZE + ZSTD_compressBound(w->s.chunk_size);
            room = room > bound ? room : bound;
            if (bound > k->out_cap) {
                free(k->out);
                k->out = malloc(room);
                k->out_cap = k->out ? room : 0;
            }
            if (!k->out) {
                vgt_error_set(&e, VGT_E_NOMEM, "compressing chunk %llu: out of memory (%zu bytes)",
                              (unsigned long long)j.index, room);
            } else {
                csize = ZSTD_compressCCtx(k->cctx, k->out + CH_SIZE, k->out_cap - CH_SIZE, j.data,
                                          j.size, w->s.compression_level);
                if (ZSTD_isError(csize)) {
                    /* zstd allocates its workspace on the first chunk (through
                     * vgt_zstd_cctx_create's allocator), and again when a
                     * chunk needs a larger one */
                    if (ZSTD_getErrorCode(csize) == ZSTD_error_memory_allocation) {
                        vgt_error_set(&e, VGT_E_NOMEM,
                                      "compressing chunk %llu: out of memory for zstd's "
                                      "workspace (%s)",
                                      (unsigned long long)j.index, ZSTD_getErrorName(csize));
                    } else {
                        vgt_error_set(&e, VGT_E_IO, "compressing chunk %llu: %s",
                                      (unsigned long long)j.index, ZSTD_getErrorName(csize));
                    }
                } else if (csize > UINT32_MAX) {
                    vgt_error_set(&e, VGT_E_RANGE, "chunk %llu compressed to %zu bytes",
                                  (unsigned long long)j.index, csize);
                }
            }
            t1 = vgt_now_ns();
            if (e.code == VGT_OK) {
                uint8_t *hdr = k->out;
                memcpy(hdr, "VGTC", 4);
                vgt_store_le32(hdr + CH_OFF_FLAGS, 0);
                vgt_store_le64(hdr + CH_OFF_INDEX, j.index);
                vgt_store_le64(hdr + CH_OFF_FIRST_REC, j.first_record);
                vgt_store_le64(hdr + CH_OFF_FIRST_FRM, j.first_frame);
                vgt_store_le64(hdr + CH_OFF_LAST_FRM, j.last_frame);
                vgt_store_le32(hdr + CH_OFF_REC_COUNT, j.record_count);
                vgt_store_le32(hdr + CH_OFF_RESERVED, 0);
                vgt_store_le32(hdr + CH_OFF_CSIZE, (uint32_t)csize);
                vgt_store_le32(hdr + CH_OFF_USIZE, (uint32_t)j.size);
                vgt_store_le64(hdr + CH_OFF_CHASH, vgt_trace_hash64(k->out + CH_SIZE, csize));
                vgt_store_le64(hdr + CH_OFF_UHASH, vgt_trace_hash64(j.data, j.size));
                vgt_store_le64(hdr + CH_OFF_HHASH, vgt_trace_hash64(hdr, CH_OFF_HHASH));
            }
        }

        /* Write in chunk order: wait for this chunk's turn. */
        pthread_mutex_lock(&w->mu);
        while (w->next_write != j.index) {
            pthread_cond_wait(&w->turn, &w->mu);
        }
        w->compress_ns += t1 - t0;
        if (e.code != VGT_OK) {
            fail_locked(w, &e);
        }
        if (w->fail.code == VGT_OK) {
            /* Only the turn holder writes, so the lock can be dropped. */
            pthread_mutex_unlock(&w->mu);
            uint64_t w0 = vgt_now_ns();
            vgt_status st = write_all(w, k->out, CH_SIZE + csize, &e);
            uint64_t w1 = vgt_now_ns();
            pthread_mutex_lock(&w->mu);
            w->write_ns += w1 - w0;
            if (st == VGT_OK) {
                chunk_entry *c = &w->chunks[j.index];
                c->offset = w->good_end;
                c->csize = (uint32_t)csize;
                c->usize = (uint32_t)j.size;
                w->good_end += CH_SIZE + csize;
                w->bytes_compressed += csize;
                w->chunks_ok++;
            } else {
                vgt_error_prefix(&e, "chunk %llu", (unsigned long long)j.index);
                fail_locked(w, &e);
                truncate_to_good_end(w);
            }
        }
        w->next_write++;
        k->cpu_ns = vgt_thread_cpu_ns();
        pthread_cond_broadcast(&w->turn);
        pool_put_locked(w, j.data, j.cap);
        pthread_mutex_unlock(&w->mu);
        if (k->out_cap > CH_SIZE + ZSTD_compressBound(w->s.chunk_size) * 2) {
            free(k->out);
            k->out = NULL;
            k->out_cap = 0;
        }
    }
}

/* ---- appending -------------------------------------------------------------- */

static vgt_status stored_failure(vgt_trace_writer *w, vgt_error *err)
{
    pthread_mutex_lock(&w->mu);
    vgt_error f = w->fail;
    pthread_mutex_unlock(&w->mu);
    if (err) {
        *err = f;
    }
    return f.code;
}

/* Hands the current chunk to the compressor; blocks while the queue is full. */
static vgt_status submit(vgt_trace_writer *w, vgt_error *err)
{
    if (w->cur.size == 0) {
        return VGT_OK;
    }
    pthread_mutex_lock(&w->mu);
    if (w->chunks_submitted >= w->chunk_cap) {
        size_t ncap = w->chunk_cap ? w->chunk_cap * 2 : 64;
        chunk_entry *n = realloc(w->chunks, ncap * sizeof(*n));
        if (!n) {
            pthread_mutex_unlock(&w->mu);
            return vgt_error_set(err, VGT_E_NOMEM, "chunk table: out of memory");
        }
        w->chunks = n;
        w->chunk_cap = ncap;
    }
    chunk_entry *c = &w->chunks[w->chunks_submitted];
    memset(c, 0, sizeof(*c));
    c->first_record = w->cur.first_record;
    c->first_frame = w->cur.first_frame;
    c->last_frame = w->cur.last_frame;
    c->record_count = w->cur.record_count;
    if (w->qlen == w->qcap) {
        uint64_t t0 = vgt_now_ns();
        while (w->qlen == w->qcap) {
            pthread_cond_wait(&w->not_full, &w->mu);
        }
        w->st.queue_waits++;
        w->st.queue_wait_ns += vgt_now_ns() - t0;
    }
    w->cur.index = w->chunks_submitted;
    w->queue[(w->qhead + w->qlen) % w->qcap] = w->cur;
    w->qlen++;
    w->chunks_submitted++;
    /* Take a recycled buffer for the next chunk. */
    memset(&w->cur, 0, sizeof(w->cur));
    if (w->pool_len > 0) {
        w->pool_len--;
        w->cur.data = w->pool[w->pool_len];
        w->cur.cap = w->pool_caps[w->pool_len];
    }
    pthread_mutex_unlock(&w->mu);
    /* Signalled after the unlock: a compression thread woken while the
     * lock is still held would only block on it again (two more context
     * switches per chunk on the capturing thread's side). */
    pthread_cond_signal(&w->not_empty);
    return VGT_OK;
}

static vgt_status type_stat_add(vgt_trace_writer *w, uint16_t type, uint64_t logical,
                                uint64_t stored, vgt_error *err)
{
    uint32_t slot = w->type_slot[type];
    if (slot == 0) {
        vgt_trace_type_stat *n = realloc(w->types, (w->type_count + 1) * sizeof(*n));
        if (!n) {
            return vgt_error_set(err, VGT_E_NOMEM, "type statistics: out of memory");
        }
        w->types = n;
        memset(&w->types[w->type_count], 0, sizeof(*n));
        w->types[w->type_count].type = type;
        w->type_count++;
        slot = (uint32_t)w->type_count;
        w->type_slot[type] = slot;
    }
    vgt_trace_type_stat *t = &w->types[slot - 1];
    t->records++;
    t->payload_bytes += logical;
    t->stored_bytes += stored;
    return VGT_OK;
}

/* Writes a record's header at the end of the current chunk (which has room
 * for the record, in the open frame) and counts the record; returns where
 * its `size` payload bytes go.  put_record and the fast path share it. */
static inline uint8_t *put_header(vgt_trace_writer *w, uint16_t type, uint16_t flags, uint64_t ts,
                                  size_t size)
{
    size_t rec = REC_HDR_SIZE + size;
    uint8_t *p = w->cur.data + w->cur.size;
    vgt_store_le64(p, ts);
    vgt_store_le16(p + 8, type);
    vgt_store_le16(p + 10, flags);
    vgt_store_le32(p + 12, (uint32_t)size);
    w->cur.size += rec;
    w->cur.record_count++;
    w->cur.last_frame = w->frame;
    w->next_seq++;
    w->st.records++;
    w->st.bytes_uncompressed += rec;
    return p + REC_HDR_SIZE;
}

/* Appends one stored record to the current chunk; *chunk_out gets the index
 * of the chunk that holds it. */
static vgt_status put_record(vgt_trace_writer *w, uint16_t type, uint16_t flags, uint64_t ts,
                             const vgt_trace_iov *iov, size_t count, size_t total,
                             uint64_t *chunk_out, vgt_error *err)
{
    size_t rec = REC_HDR_SIZE + total;
    vgt_status st;
    if (w->cur.size > 0 && rec > w->s.chunk_size - w->cur.size) {
        if ((st = submit(w, err)) != VGT_OK) {
            return st;
        }
    }
    size_t need = rec > w->s.chunk_size ? rec : w->s.chunk_size;
    if (!w->cur.data || w->cur.cap < need) {
        uint8_t *n = realloc(w->cur.data, need);
        if (!n) {
            return vgt_error_set(err, VGT_E_NOMEM, "record of %zu bytes: out of memory", total);
        }
        w->cur.data = n;
        w->cur.cap = need;
    }
    if (w->cur.size == 0) {
        w->cur.first_record = w->next_seq;
        w->cur.first_frame = w->frame;
        w->cur.record_count = 0;
    }
    if (!w->frame_open) {
        if (w->frame_count == w->frame_cap) {
            size_t ncap = w->frame_cap ? w->frame_cap * 2 : 256;
            vgt_trace_frame_info *n = realloc(w->frames, ncap * sizeof(*n));
            if (!n) {
                return vgt_error_set(err, VGT_E_NOMEM, "frame index: out of memory");
            }
            w->frames = n;
            w->frame_cap = ncap;
        }
        w->frames[w->frame_count].chunk = w->chunks_submitted;
        w->frames[w->frame_count].first_record = w->next_seq;
        w->frame_count++;
        w->frame_open = true;
    }
    *chunk_out = w->chunks_submitted;
    uint8_t *p = put_header(w, type, flags, ts, total);
    for (size_t i = 0; i < count; i++) {
        if (iov[i].size) {
            memcpy(p, iov[i].data, iov[i].size);
            p += iov[i].size;
        }
    }
    if (type == VGT_REC_FRAME_END) {
        w->frame++;
        w->frame_open = false;
        w->st.frames_ended++;
    }
    if (w->cur.size >= w->s.chunk_size) {
        return submit(w, err);
    }
    return VGT_OK;
}

static size_t dedup_slot(const vgt_trace_writer *w, uint64_t lo, uint64_t hi)
{
    size_t mask = w->dedup_table_cap - 1;
    size_t i = (size_t)(lo ^ (hi * 0x9E3779B97F4A7C15ull)) & mask;
    while (w->dedup_table[i] != 0) {
        const dedup_entry *d = &w->dedups[w->dedup_table[i] - 1];
        if (d->lo == lo && d->hi == hi) {
            return i;
        }
        i = (i + 1) & mask;
    }
    return i;
}

static vgt_status dedup_insert(vgt_trace_writer *w, const dedup_entry *e, vgt_error *err)
{
    if ((w->dedup_count + 1) * 2 > w->dedup_table_cap) {
        size_t ncap = w->dedup_table_cap ? w->dedup_table_cap * 2 : 1024;
        uint64_t *nt = calloc(ncap, sizeof(*nt));
        if (!nt) {
            return vgt_error_set(err, VGT_E_NOMEM, "dedup table: out of memory");
        }
        free(w->dedup_table);
        w->dedup_table = nt;
        w->dedup_table_cap = ncap;
        for (size_t i = 0; i < w->dedup_count; i++) {
            size_t s = dedup_slot(w, w->dedups[i].lo, w->dedups[i].hi);
            w->dedup_table[s] = i + 1;
        }
    }
    if (w->dedup_count == w->dedup_cap) {
        size_t ncap = w->dedup_cap ? w->dedup_cap * 2 : 256;
        dedup_entry *n = realloc(w->dedups, ncap * sizeof(*n));
        if (!n) {
            return vgt_error_set(err, VGT_E_NOMEM, "dedup table: out of memory");
        }
        w->dedups = n;
        w->dedup_cap = ncap;
    }
    size_t s = dedup_slot(w, e->lo, e->hi);
    w->dedups[w->dedup_count] = *e;
    w->dedup_count++;
    w->dedup_table[s] = w->dedup_count;
    return VGT_OK;
}

vgt_status vgt_trace_writer_appendv(vgt_trace_writer *w, uint16_t type, uint16_t flags,
                                    uint64_t timestamp_ns, const vgt_trace_iov *iov, size_t count,
                                    vgt_error *err)
{
    if (!w || (count > 0 && !iov)) {
        return vgt_error_set(err, VGT_E_INVALID, "trace append: NULL argument");
    }
    if (__atomic_load_n(&w->failed_flag, __ATOMIC_ACQUIRE)) {
        return stored_failure(w, err);
    }
    if (type < VGT_REC_USER_FIRST && type != VGT_REC_FRAME_END && type != VGT_REC_MARKER) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "trace append: record type 0x%04x is reserved for the container",
                             type);
    }
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        if (iov[i].size > 0 && !iov[i].data) {
            return vgt_error_set(err, VGT_E_INVALID, "trace append: NULL payload piece %zu", i);
        }
        if (vgt_add_overflow_size(total, iov[i].size, &total)) {
            total = SIZE_MAX;
            break;
        }
    }
    if (total > VGT_TRACE_MAX_PAYLOAD) {
        return vgt_error_set(err, VGT_E_RANGE,
                             "trace append: payload of %zu bytes exceeds the %u byte limit", total,
                             VGT_TRACE_MAX_PAYLOAD);
    }
    vgt_status st;
    uint64_t chunk;
    if (w->s.dedup_min_size != 0 && total >= w->s.dedup_min_size && type != VGT_REC_FRAME_END) {
        uint64_t lo, hi;
        vgt_trace_hash128(iov, count, &lo, &hi);
        size_t slot = w->dedup_table_cap ? dedup_slot(w, lo, hi) : 0;
        dedup_entry *d = w->dedup_table_cap && w->dedup_table[slot]
                             ? &w->dedups[w->dedup_table[slot] - 1]
                             : NULL;
        if (d && d->size == total) {
            uint8_t ref[REF_SIZE];
            vgt_store_le64(ref, d->record);
            vgt_store_le32(ref + 8, (uint32_t)total);
            vgt_store_le16(ref + 12, type);
            vgt_store_le16(ref + 14, flags);
            vgt_store_le64(ref + 16, lo);
            vgt_store_le64(ref + 24, hi);
            vgt_trace_iov riov = {ref, REF_SIZE};
            if ((st = type_stat_add(w, type, total, REF_SIZE, err)) != VGT_OK) {
                return st;
            }
            d->refs++;
            w->st.dedup_refs++;
            w->st.dedup_bytes_saved += total;
            w->st.payload_bytes += total;
            return put_record(w, VGT_REC_PAYLOAD_REF, 0, timestamp_ns, &riov, 1, REF_SIZE, &chunk,
                              err);
        }
        if ((st = type_stat_add(w, type, total, total, err)) != VGT_OK) {
            return st;
        }
        dedup_entry e = {lo, hi, w->next_seq, 0, 0, (uint32_t)total};
        w->st.payload_bytes += total;
        st = put_record(w, type, flags, timestamp_ns, iov, count, total, &chunk, err);
        if (st == VGT_OK && !d) {
            e.chunk = chunk;
            st = dedup_insert(w, &e, err);
        }
        return st;
    }
    if ((st = type_stat_add(w, type, total, total, err)) != VGT_OK) {
        return st;
    }
    w->st.payload_bytes += total;
    return put_record(w, type, flags, timestamp_ns, iov, count, total, &chunk, err);
}

uint8_t *vgt_trace_writer_reserve(vgt_trace_writer *w, uint16_t type, uint16_t flags,
                                  uint64_t timestamp_ns, size_t size)
{
    /* Everything put_record and appendv would do besides the copy, for the
     * case where none of their branches is taken: the chunk has a record
     * already (so its buffer holds chunk_size bytes) and stays below
     * chunk_size after this one (so it is not submitted), the frame is
     * open, the type has its statistics slot, and dedup does not apply.
     * A capture appends ~100 such records per frame; through appendv each
     * cost ~450 instructions on the device's FIFO thread. */
    size_t used = w->cur.size;
    /* used - 1 < chunk_size - 1: the chunk holds a record and is not over
     * its size (a submit that failed leaves it so), in one compare */
    uint32_t slot = w->type_slot[type];
    if (size >= w->fast_max || used - 1u >= w->s.chunk_size - 1u ||
        REC_HDR_SIZE + size >= w->s.chunk_size - used || slot == 0 || type < VGT_REC_USER_FIRST ||
        !w->frame_open || __atomic_load_n(&w->failed_flag, __ATOMIC_ACQUIRE)) {
        return NULL;
    }
    w->st.payload_bytes += size;
    vgt_trace_type_stat *t = &w->types[slot - 1];
    t->records++;
    t->payload_bytes += size;
    t->stored_bytes += size;
    return put_header(w, type, flags, timestamp_ns, size);
}

vgt_status vgt_trace_writer_append(vgt_trace_writer *w, uint16_t type, uint16_t flags,
                                   uint64_t timestamp_ns, const void *payload, size_t size,
                                   vgt_error *err)
{
    vgt_trace_iov iov = {payload, size};
    return vgt_trace_writer_appendv(w, type, flags, timestamp_ns, &iov, 1, err);
}

vgt_status vgt_trace_writer_frame_end(vgt_trace_writer *w, uint64_t timestamp_ns, vgt_error *err)
{
    return vgt_trace_writer_appendv(w, VGT_REC_FRAME_END, 0, timestamp_ns, NULL, 0, err);
}

uint64_t vgt_trace_writer_frame(const vgt_trace_writer *w)
{
    return w ? w->frame : 0;
}

uint64_t vgt_trace_writer_next_record(const vgt_trace_writer *w)
{
    return w ? w->next_seq : 0;
}

vgt_status vgt_trace_writer_flush(vgt_trace_writer *w, vgt_error *err)
{
    if (!w) {
        return vgt_error_set(err, VGT_E_INVALID, "trace flush: NULL writer");
    }
    vgt_status st = VGT_OK;
    if (!__atomic_load_n(&w->failed_flag, __ATOMIC_ACQUIRE)) {
        st = submit(w, err);
    }
    pthread_mutex_lock(&w->mu);
    while (w->next_write < w->chunks_submitted) {
        pthread_cond_wait(&w->turn, &w->mu);
    }
    vgt_error f = w->fail;
    pthread_mutex_unlock(&w->mu);
    if (f.code != VGT_OK) {
        if (err) {
            *err = f;
        }
        return f.code;
    }
    if (st == VGT_OK && w->s.fsync_on_flush && fdatasync(w->fd) != 0 && errno != EINVAL) {
        return vgt_error_set(err, VGT_E_IO, "trace flush: fdatasync: %s", strerror(errno));
    }
    return st;
}

void vgt_trace_writer_stats_get(vgt_trace_writer *w, vgt_trace_writer_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!w) {
        return;
    }
    *out = w->st;
    pthread_mutex_lock(&w->mu);
    out->chunks_submitted = w->chunks_submitted;
    out->chunks_written = w->chunks_ok;
    out->bytes_compressed = w->bytes_compressed;
    out->file_bytes = __atomic_load_n(&w->raw_written, __ATOMIC_RELAXED);
    out->compress_ns = w->compress_ns;
    out->write_ns = w->write_ns;
    for (uint32_t i = 0; i < w->nworkers; i++) {
        out->compress_cpu_ns += w->workers[i].cpu_ns;
    }
    pthread_mutex_unlock(&w->mu);
    out->compress_nice = __atomic_load_n(&w->compress_nice, __ATOMIC_RELAXED);
    out->compress_idle = __atomic_load_n(&w->compress_idle, __ATOMIC_RELAXED);
}

/* ---- footer --------------------------------------------------------------- */

static int cmp_type_stat(const void *a, const void *b)
{
    const vgt_trace_type_stat *x = a, *y = b;
    return (int)x->type - (int)y->type;
}

static vgt_status write_footer(vgt_trace_writer *w, vgt_error *err)
{
    uint64_t nref = 0;
    for (size_t i = 0; i < w->dedup_count; i++) {
        nref += w->dedups[i].refs > 0;
    }
    uint64_t nchunks = w->chunks_submitted;
    size_t size = IX_FIXED_SIZE + nchunks * IX_CHUNK_ENTRY + w->frame_count * IX_FRAME_ENTRY +
                  w->type_count * IX_TYPE_ENTRY + nref * IX_DEDUP_ENTRY;
    uint8_t *ix = calloc(1, size);
    if (!ix) {
        return vgt_error_set(err, VGT_E_NOMEM, "footer index: out of memory (%zu bytes)", size);
    }
    uint64_t usize = 0;
    for (uint64_t i = 0; i < nchunks; i++) {
        usize += w->chunks[i].usize;
    }
    memcpy(ix, IX_MAGIC, 8);
    vgt_store_le64(ix + IX_OFF_CHUNKS, nchunks);
    vgt_store_le64(ix + IX_OFF_FRAMES, w->frame_count);
    vgt_store_le64(ix + IX_OFF_RECORDS, w->next_seq);
    vgt_store_le64(ix + IX_OFF_TYPES, w->type_count);
    vgt_store_le64(ix + IX_OFF_DEDUPS, nref);
    vgt_store_le64(ix + IX_OFF_DEDUP_REFS, w->st.dedup_refs);
    vgt_store_le64(ix + IX_OFF_DEDUP_SAVE, w->st.dedup_bytes_saved);
    vgt_store_le64(ix + IX_OFF_USIZE, usize);
    vgt_store_le64(ix + IX_OFF_CSIZE, w->bytes_compressed);
    vgt_store_le64(ix + IX_OFF_PAYLOAD, w->st.payload_bytes);
    vgt_store_le64(ix + IX_OFF_COMPLETE, w->st.frames_ended);
    uint8_t *p = ix + IX_FIXED_SIZE;
    for (uint64_t i = 0; i < nchunks; i++, p += IX_CHUNK_ENTRY) {
        const chunk_entry *c = &w->chunks[i];
        vgt_store_le64(p, c->offset);
        vgt_store_le64(p + 8, c->first_record);
        vgt_store_le64(p + 16, c->first_frame);
        vgt_store_le64(p + 24, c->last_frame);
        vgt_store_le32(p + 32, c->record_count);
        vgt_store_le32(p + 36, c->csize);
        vgt_store_le32(p + 40, c->usize);
    }
    for (size_t i = 0; i < w->frame_count; i++, p += IX_FRAME_ENTRY) {
        vgt_store_le64(p, w->frames[i].chunk);
        vgt_store_le64(p + 8, w->frames[i].first_record);
    }
    if (w->type_count > 1) {
        vgt_sort(w->types, w->type_count, sizeof(*w->types), cmp_type_stat);
    }
    for (size_t i = 0; i < w->type_count; i++, p += IX_TYPE_ENTRY) {
        vgt_store_le16(p, w->types[i].type);
        vgt_store_le64(p + 8, w->types[i].records);
        vgt_store_le64(p + 16, w->types[i].payload_bytes);
        vgt_store_le64(p + 24, w->types[i].stored_bytes);
    }
    for (size_t i = 0; i < w->dedup_count; i++) {
        const dedup_entry *d = &w->dedups[i];
        if (d->refs == 0) {
            continue;
        }
        vgt_store_le64(p, d->lo);
        vgt_store_le64(p + 8, d->hi);
        vgt_store_le64(p + 16, d->record);
        vgt_store_le64(p + 24, d->chunk);
        vgt_store_le32(p + 32, d->size);
        vgt_store_le64(p + 40, d->refs);
        p += IX_DEDUP_ENTRY;
    }
    uint8_t tr[TR_SIZE];
    memcpy(tr, TR_MAGIC, 8);
    vgt_store_le64(tr + 8, w->good_end);
    vgt_store_le64(tr + 16, size);
    vgt_store_le64(tr + 24, vgt_trace_hash64(ix, size));
    vgt_store_le64(tr + 32, vgt_trace_hash64(tr, 32));
    vgt_status st = write_all(w, ix, size, err);
    if (st == VGT_OK) {
        st = write_all(w, tr, TR_SIZE, err);
    }
    free(ix);
    if (st != VGT_OK) {
        vgt_error_prefix(err, "footer");
        truncate_to_good_end(w);
    }
    return st;
}

/* ---- open / close ---------------------------------------------------------- */

static void writer_free(vgt_trace_writer *w)
{
    if (!w) {
        return;
    }
    for (uint32_t i = 0; w->workers && i < w->nworkers; i++) {
        ZSTD_freeCCtx(w->workers[i].cctx);
        free(w->workers[i].out);
    }
    free(w->workers);
    for (size_t i = 0; i < w->pool_len; i++) {
        free(w->pool[i]);
    }
    for (uint32_t i = 0; i < w->qlen; i++) {
        free(w->queue[(w->qhead + i) % w->qcap].data);
    }
    free(w->pool);
    free(w->pool_caps);
    free(w->queue);
    free(w->cur.data);
    free(w->chunks);
    free(w->type_slot);
    free(w->types);
    free(w->frames);
    free(w->dedups);
    free(w->dedup_table);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->not_empty);
    pthread_cond_destroy(&w->not_full);
    pthread_cond_destroy(&w->turn);
    if (w->own_fd && w->fd >= 0) {
        close(w->fd);
    }
    free(w);
}

static void stop_workers(vgt_trace_writer *w)
{
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->not_empty);
    pthread_mutex_unlock(&w->mu);
    for (uint32_t i = 0; i < w->nworkers; i++) {
        if (w->workers[i].started) {
            pthread_join(w->workers[i].thread, NULL);
            w->workers[i].started = false;
        }
    }
}

bool vgt_trace_compression_level_valid(int level)
{
    return level >= ZSTD_minCLevel() && level <= ZSTD_maxCLevel();
}

static vgt_status check_settings(const vgt_trace_writer_settings *s, vgt_error *err)
{
    if (!vgt_trace_compression_level_valid(s->compression_level)) {
        return vgt_error_set(err, VGT_E_INVALID, "compression level %d outside %d..%d",
                             s->compression_level, ZSTD_minCLevel(), ZSTD_maxCLevel());
    }
    if (s->chunk_size < VGT_TRACE_MIN_CHUNK_SIZE || s->chunk_size > VGT_TRACE_MAX_CHUNK_SIZE) {
        return vgt_error_set(err, VGT_E_INVALID, "chunk size %u outside %u..%u", s->chunk_size,
                             VGT_TRACE_MIN_CHUNK_SIZE, VGT_TRACE_MAX_CHUNK_SIZE);
    }
    if (s->queue_depth < 1 || s->queue_depth > 1024) {
        return vgt_error_set(err, VGT_E_INVALID, "queue depth %u outside 1..1024", s->queue_depth);
    }
    if (s->compress_threads < 1 || s->compress_threads > 64) {
        return vgt_error_set(err, VGT_E_INVALID, "compress threads %u outside 1..64",
                             s->compress_threads);
    }
    if (s->start_frame > VGT_TRACE_MAX_START_FRAME) {
        return vgt_error_set(err, VGT_E_INVALID, "start frame %llu beyond 2^62",
                             (unsigned long long)s->start_frame);
    }
    return VGT_OK;
}

static vgt_status write_header(vgt_trace_writer *w, const vgt_trace_header *h, vgt_error *err)
{
    size_t name_len = strnlen(h->protocol_name, sizeof(h->protocol_name));
    if (name_len > VGT_TRACE_PROTOCOL_NAME_MAX) {
        return vgt_error_set(err, VGT_E_INVALID, "protocol name longer than %u bytes",
                             VGT_TRACE_PROTOCOL_NAME_MAX);
    }
    const char *creator = h->creator ? h->creator : "";
    size_t creator_len = strnlen(creator, VGT_TRACE_CREATOR_MAX + 1);
    if (creator_len > VGT_TRACE_CREATOR_MAX) {
        return vgt_error_set(err, VGT_E_INVALID, "creator string longer than %u bytes",
                             VGT_TRACE_CREATOR_MAX);
    }
    if (h->device_config_size > VGT_TRACE_DEVICE_CONFIG_MAX ||
        (h->device_config_size > 0 && !h->device_config)) {
        return vgt_error_set(err, VGT_E_INVALID,
                             "device configuration of %zu bytes (limit %u, or NULL data)",
                             h->device_config_size, VGT_TRACE_DEVICE_CONFIG_MAX);
    }
    size_t size = FH_FIXED_SIZE + creator_len + h->device_config_size + 8;
    uint8_t *b = calloc(1, size);
    if (!b) {
        return vgt_error_set(err, VGT_E_NOMEM, "trace header: out of memory");
    }
    memcpy(b, FH_MAGIC, 8);
    vgt_store_le16(b + FH_OFF_MAJOR, VGT_TRACE_VERSION_MAJOR);
    vgt_store_le16(b + FH_OFF_MINOR, VGT_TRACE_VERSION_MINOR);
    vgt_store_le32(b + FH_OFF_SIZE, (uint32_t)size);
    vgt_store_le32(b + FH_OFF_FLAGS, 0);
    vgt_store_le32(b + FH_OFF_PROTO_ID, h->protocol_id);
    memcpy(b + FH_OFF_PROTO_NAME, h->protocol_name, name_len);
    vgt_store_le64(b + FH_OFF_START_TIME, h->start_time_ns ? h->start_time_ns : vgt_wall_ns());
    vgt_store_le32(b + FH_OFF_LEVEL, (uint32_t)w->s.compression_level);
    vgt_store_le32(b + FH_OFF_CHUNK_SIZE, w->s.chunk_size);
    vgt_store_le64(b + FH_OFF_START_FRM, w->s.start_frame);
    vgt_store_le64(b + FH_OFF_FRM_LIMIT, w->s.frame_limit);
    vgt_store_le32(b + FH_OFF_DEDUP_MIN, w->s.dedup_min_size);
    vgt_store_le32(b + FH_OFF_CREATOR_LN, (uint32_t)creator_len);
    vgt_store_le32(b + FH_OFF_CONFIG_LN, (uint32_t)h->device_config_size);
    vgt_store_le32(b + FH_OFF_FIXED_SIZE, FH_FIXED_SIZE);
    memcpy(b + FH_FIXED_SIZE, creator, creator_len);
    if (h->device_config_size) {
        memcpy(b + FH_FIXED_SIZE + creator_len, h->device_config, h->device_config_size);
    }
    vgt_store_le64(b + size - 8, vgt_trace_hash64(b, size - 8));
    vgt_status st = write_all(w, b, size, err);
    free(b);
    if (st == VGT_OK) {
        w->good_end = size;
    }
    return st;
}

vgt_status vgt_trace_writer_open_fd(int fd, const vgt_trace_writer_settings *settings,
                                    const vgt_trace_header *header, vgt_trace_writer **out,
                                    vgt_error *err)
{
    if (!out || !header || fd < 0) {
        return vgt_error_set(err, VGT_E_INVALID, "trace writer open: bad argument");
    }
    *out = NULL;
    vgt_trace_writer_settings s;
    if (settings) {
        s = *settings;
    } else {
        vgt_trace_writer_settings_init(&s);
    }
    vgt_status st = check_settings(&s, err);
    if (st != VGT_OK) {
        return st;
    }
    vgt_trace_writer *w = calloc(1, sizeof(*w));
    if (!w) {
        return vgt_error_set(err, VGT_E_NOMEM, "trace writer: out of memory");
    }
    w->fd = fd;
    w->s = s;
    /* below the chunk size and, with dedup on, below its threshold */
    w->fast_max =
        s.dedup_min_size != 0 && s.dedup_min_size < s.chunk_size ? s.dedup_min_size : s.chunk_size;
    w->base = lseek(fd, 0, SEEK_CUR);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->not_empty, NULL);
    pthread_cond_init(&w->not_full, NULL);
    pthread_cond_init(&w->turn, NULL);
    w->qcap = s.queue_depth;
    w->nworkers = s.compress_threads;
    w->pool_max = (size_t)s.queue_depth + s.compress_threads + 1;
    w->queue = calloc(w->qcap, sizeof(*w->queue));
    w->pool = calloc(w->pool_max, sizeof(*w->pool));
    w->pool_caps = calloc(w->pool_max, sizeof(*w->pool_caps));
    w->type_slot = calloc(0x10000, sizeof(*w->type_slot));
    w->workers = calloc(w->nworkers, sizeof(*w->workers));
    if (!w->queue || !w->pool || !w->pool_caps || !w->type_slot || !w->workers) {
        writer_free(w);
        return vgt_error_set(err, VGT_E_NOMEM, "trace writer: out of memory");
    }
    for (uint32_t i = 0; i < w->nworkers; i++) {
        w->workers[i].w = w;
        w->workers[i].cctx = vgt_zstd_cctx_create();
        if (!w->workers[i].cctx) {
            uint32_t n = w->nworkers;
            writer_free(w);
            return vgt_error_set(err, VGT_E_NOMEM,
                                 "trace writer: cannot create zstd compression context %u of %u: "
                                 "out of memory",
                                 i + 1, n);
        }
    }
    st = write_header(w, header, err);
    if (st != VGT_OK) {
        writer_free(w);
        return st;
    }
    for (uint32_t i = 0; i < w->nworkers; i++) {
        int rc = pthread_create(&w->workers[i].thread, NULL, worker_main, &w->workers[i]);
        if (rc != 0) {
            stop_workers(w);
            writer_free(w);
            return vgt_error_set(err, VGT_E_NOMEM, "trace writer: cannot start thread: %s",
                                 strerror(rc));
        }
        w->workers[i].started = true;
    }
    *out = w;
    return VGT_OK;
}

vgt_status vgt_trace_writer_open(const char *path, const vgt_trace_writer_settings *settings,
                                 const vgt_trace_header *header, vgt_trace_writer **out,
                                 vgt_error *err)
{
    if (!path) {
        return vgt_error_set(err, VGT_E_INVALID, "trace writer open: NULL path");
    }
    int fd = vgt_file_create(path, 0644);
    if (fd < 0) {
        return vgt_error_set(err, VGT_E_IO, "%s: cannot create: %s", path, strerror(errno));
    }
    vgt_status st = vgt_trace_writer_open_fd(fd, settings, header, out, err);
    if (st != VGT_OK) {
        close(fd);
        vgt_error_prefix(err, "%s", path);
        return st;
    }
    (*out)->own_fd = true;
    return VGT_OK;
}

vgt_status vgt_trace_writer_close(vgt_trace_writer *w, vgt_error *err)
{
    if (!w) {
        return VGT_OK;
    }
    vgt_status st = vgt_trace_writer_flush(w, err);
    stop_workers(w);
    if (st == VGT_OK) {
        st = write_footer(w, err);
    }
    if (st == VGT_OK && w->s.fsync_on_flush && fdatasync(w->fd) != 0 && errno != EINVAL) {
        st = vgt_error_set(err, VGT_E_IO, "trace close: fdatasync: %s", strerror(errno));
    }
    if (w->own_fd) {
        int rc = close(w->fd);
        w->fd = -1;
        if (rc != 0 && st == VGT_OK) {
            st = vgt_error_set(err, VGT_E_IO, "trace close: %s", strerror(errno));
        }
    }
    writer_free(w);
    return st;
}
