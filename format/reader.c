/* reader.c - the trace reader: header, footer index (or an index rebuilt by
 * walking the chunks), streaming iteration, seeking, dedup resolution,
 * verification.  Every byte of the file is treated as hostile. */
#include "format_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

#define NO_CHUNK       UINT64_MAX
#define PROBLEMS_FIRST 8 /* problems the reader has room for from its open */
#define LOST_SEEN_BITS 8192u

typedef struct chunk_slot {
    uint64_t chunk; /* NO_CHUNK when empty */
    uint8_t *data;
    size_t size, cap;
    uint32_t *offsets; /* record offsets inside data */
    size_t offsets_cap;
    uint32_t count;
    uint64_t last_use;
} chunk_slot;

typedef struct rdedup {
    vgt_trace_dedup_info info;
    uint8_t *cached; /* copy of the payload, or NULL */
    uint64_t last_use;
} rdedup;

/* A gap in the chunk ids the salvage walk accepted, kept until a read
 * meets the chunk after it (meet_gap): the fields its message is made
 * of, formatted only then (gap_message).  Each kept its formatted message
 * (~60 bytes more a gap), and a hostile trace of 10^6 chunks, every other
 * header damaged, held 5 * 10^5 of them from the open on. */
typedef struct deferred_gap {
    uint64_t at;     /* the table index of the chunk after it (nchunks: the end) */
    uint64_t chunk;  /* the first chunk lost */
    uint64_t chunks; /* how many were lost */
    uint64_t offset; /* where the lost records were */
    uint64_t first_record, last_record; /* the lost records (last UINT64_MAX: "and after") */
} deferred_gap;

struct vgt_trace_reader {
    int fd;
    char *path;
    uint64_t file_size;
    vgt_trace_reader_options opt;
    vgt_trace_header hdr;
    char *creator;
    uint8_t *config;
    uint64_t header_size;

    vgt_trace_chunk_info *chunks;
    uint64_t *chunk_ids; /* walked index: the chunk index each header states (gaps in salvage) */
    uint64_t nchunks;
    vgt_trace_frame_info *frames;
    uint64_t nframes;
    vgt_trace_type_stat *types;
    size_t ntypes;
    rdedup *dedups;
    size_t ndedups;
    uint64_t records, complete_frames, usize, csize, payload_bytes, dedup_refs, dedup_saved;
    bool footer_present, rebuilt;
    vgt_status walk_error; /* the chunk walk stopped at a corrupt spot (not a torn end) */
    uint64_t index_at;     /* where the walk met an index's magic (NO_CHUNK: it did not) */
    vgt_error walk_err;

    vgt_trace_problem_set problems;
    size_t problems_lost; /* found with no memory left to record them */
    /* two bits per lost problem's hash (count_lost), inside the reader:
     * no memory is left to allocate when they are needed */
    uint64_t lost_seen[LOST_SEEN_BITS / 64];

    /* iteration */
    uint64_t cur_chunk;
    chunk_slot *cur;
    uint32_t cur_rec;
    uint64_t cur_frame;
    vgt_status sticky;
    vgt_error sticky_err;

    chunk_slot *slots;
    uint32_t nslots;
    uint64_t clock;
    uint8_t *cbuf;
    size_t cbuf_cap;
    ZSTD_DCtx *dctx;
    uint64_t payload_cached;
    bool full_check;     /* also check uncompressed checksums (verify, rebuild) */
    bool verify_stopped; /* the last verify ran out of memory before the end */
    bool uhash_wrong;    /* a chunk load found only the uncompressed checksum wrong */
    /* the index rebuild's chunk loads: a damaged chunk it keeps in the
     * index is not recorded then, but when a read meets it (see
     * rebuild_index) */
    bool unrecorded;
    /* salvage: the gaps in the chunk ids the walk accepted, each recorded
     * as a problem when a read meets the chunk after it (deferred_gap's
     * at, ascending): a reader counts the chunks
     * it skipped by the problems that appear while it reads, and one
     * recorded at the open left them reading past lost records without a
     * word (vgt replay, leaks, repack --salvage: exit 0) */
    deferred_gap *gaps;
    size_t ngaps, gaps_cap;
    /* how far the reads went (vgt_trace_reader_reach): a problem about a
     * chunk past it is no loss to what was read */
    uint64_t reach;
    vgt_trace_reader_stats st;
};

void vgt_trace_reader_options_init(vgt_trace_reader_options *o)
{
    memset(o, 0, sizeof(*o));
    o->chunk_cache = 4;
    o->payload_cache = 128ull << 20;
}

/* ---- problems ------------------------------------------------------------- */

/* Counts q, which r had no memory to record (the trace is not called
 * sound), unless it counted it before: a read that goes over the same
 * chunks again (verify after verify or after the open's walk, a walk's
 * second pass, a seek back) meets the same problems, and there is no list
 * to say which were met (vgt leaks, which reads twice, said "16 problem(s),
 * 8 of them not recorded" of 12 and 4).  Two bits per problem's hash in a
 * bitmap of the reader's own: exact for the few a reader loses in
 * practice; past thousands some are taken for counted (an undercount,
 * never 0). */
static void count_lost(vgt_trace_reader *r, const vgt_trace_problem *q)
{
    uint64_t h = vgt_trace_problem_hash(q);
    uint32_t a = (uint32_t)(h % LOST_SEEN_BITS), b = (uint32_t)((h >> 32) % LOST_SEEN_BITS);
    uint64_t ma = 1ull << (a % 64u), mb = 1ull << (b % 64u);
    bool seen = (r->lost_seen[a / 64u] & ma) && (r->lost_seen[b / 64u] & mb);
    r->lost_seen[a / 64u] |= ma;
    r->lost_seen[b / 64u] |= mb;
    if (!seen) {
        r->problems_lost++;
    }
}

/* Records q unless it is recorded already. */
static void keep_problem(vgt_trace_reader *r, const vgt_trace_problem *q)
{
    if (vgt_trace_problem_set_add(&r->problems, q, NULL) != VGT_OK) {
        count_lost(r, q);
    }
}

static void add_problem(vgt_trace_reader *r, vgt_status code, uint64_t chunk, uint64_t offset,
                        uint64_t chunks, const char *msg)
{
    /* (the set keeps the message cut to VGT_TRACE_PROBLEM_MESSAGE_MAX - 1
     * bytes, and compares it so) */
    vgt_trace_problem q = {
        .code = code, .chunk = chunk, .offset = offset, .chunks = chunks, .message = msg};
    keep_problem(r, &q);
}

/* The uncompressed checksum of chunk `chunk` (verify, check_chunk, the
 * index rebuild) is wrong, and nothing else: a problem that loses no
 * chunk (chunks 0, `read`), its records delivered (docs/format.md,
 * "Checksums").  The bytes stored are the ones written (the compressed
 * checksum, which covers every one, holds) and decompress to the size
 * written, and every read delivers their records without this check:
 * vgt info skipped the chunk, and said "1 skipped", where replay, trim,
 * repack, analyze and diff read it and said nothing.  The index rebuild
 * does not record it, as a read would not (its chunk is indexed whole). */
static void uhash_wrong(vgt_trace_reader *r, uint64_t chunk, uint64_t offset, uint32_t size)
{
    r->uhash_wrong = true;
    if (r->unrecorded) {
        return;
    }
    char msg[VGT_TRACE_PROBLEM_MESSAGE_MAX];
    vgt_trace_problem q = {.code = VGT_E_CHECKSUM,
                           .chunk = chunk,
                           .offset = offset,
                           .chunks = 0,
                           .read = true,
                           .message = msg};
    snprintf(msg, sizeof(msg),
             "chunk %llu at offset %llu: checksum mismatch in its %u uncompressed bytes (its "
             "records are read: its compressed bytes match their checksum)",
             (unsigned long long)chunk, (unsigned long long)offset, size);
    keep_problem(r, &q);
}

static vgt_status problem(vgt_trace_reader *r, vgt_error *err, vgt_status code, uint64_t chunk,
                          uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static vgt_status problem(vgt_trace_reader *r, vgt_error *err, vgt_status code, uint64_t chunk,
                          uint64_t offset, const char *fmt, ...)
{
    vgt_error e = {0};
    va_list ap;
    va_start(ap, fmt);
    vgt_error_setv(&e, code, fmt, ap);
    va_end(ap);
    if (!r->unrecorded) {
        /* a problem about a chunk loses its records (a gap, which loses
         * more, is defer_gap's) */
        add_problem(r, code, chunk, offset, chunk != NO_CHUNK ? 1u : 0u, e.message);
    }
    vgt_error_prefix(&e, "%s", r->path);
    if (err) {
        *err = e;
    }
    return code;
}

/* The file ends inside chunk `chunk` (its header or its body): a killed
 * capture's tail.  A problem about that chunk, but no chunk skipped
 * (chunks 0): its records never reached the file whole, and the trace is
 * incomplete, as the verbs warn (docs/format.md, "Skipped chunks"). */
static void tail_torn(vgt_trace_reader *r, uint64_t chunk, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void tail_torn(vgt_trace_reader *r, uint64_t chunk, uint64_t offset, const char *fmt, ...)
{
    char msg[VGT_TRACE_PROBLEM_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!r->unrecorded) {
        add_problem(r, VGT_E_TRUNCATED, chunk, offset, 0, msg);
    }
}

/* The message of gap g: "chunk 7 at offset 1965: missing, with the 2
 * chunks after it (records 12..20)", named by the first lost chunk and
 * the offset its lost records were at; the detail says only what else
 * was lost. */
static void gap_message(const deferred_gap *g, char *msg, size_t size)
{
    if (g->last_record == UINT64_MAX) {
        snprintf(msg, size, "chunk %llu at offset %llu: missing (records %llu and after)",
                 (unsigned long long)g->chunk, (unsigned long long)g->offset,
                 (unsigned long long)g->first_record);
        return;
    }
    uint64_t more = g->chunks - 1u; /* (a gap before a chunk lost one at least) */
    char also[64] = "";
    if (more) {
        snprintf(also, sizeof(also), ", with the %llu chunk%s after it", (unsigned long long)more,
                 more == 1 ? "" : "s");
    }
    snprintf(msg, size, "chunk %llu at offset %llu: missing%s (records %llu..%llu)",
             (unsigned long long)g->chunk, (unsigned long long)g->offset, also,
             (unsigned long long)g->first_record, (unsigned long long)g->last_record);
}

/* Records gap g as a problem. */
static void add_gap(vgt_trace_reader *r, const deferred_gap *g)
{
    char msg[VGT_TRACE_PROBLEM_MESSAGE_MAX];
    gap_message(g, msg, sizeof(msg));
    add_problem(r, VGT_E_FORMAT, g->chunk, g->offset, g->chunks, msg);
}

/* Keeps gap g in the chunk ids (salvage) for the read that meets it
 * (meet_gap). */
static void defer_gap(vgt_trace_reader *r, const deferred_gap *g)
{
    if (r->ngaps == r->gaps_cap) {
        size_t ncap = r->gaps_cap ? r->gaps_cap * 2 : 8;
        deferred_gap *n =
            ncap <= SIZE_MAX / sizeof(*n) ? realloc(r->gaps, ncap * sizeof(*n)) : NULL;
        if (!n) {
            /* the read that meets the gap cannot record it either */
            char msg[VGT_TRACE_PROBLEM_MESSAGE_MAX];
            gap_message(g, msg, sizeof(msg));
            vgt_trace_problem q = {.code = VGT_E_FORMAT,
                                   .chunk = g->chunk,
                                   .chunks = g->chunks,
                                   .offset = g->offset,
                                   .message = msg};
            count_lost(r, &q);
            return;
        }
        r->gaps = n;
        r->gaps_cap = ncap;
    }
    r->gaps[r->ngaps++] = *g;
}

/* A read meets table entry ci: the gap before it, if any, is a problem
 * now. */
static void meet_gap(vgt_trace_reader *r, uint64_t ci)
{
    size_t lo = 0, hi = r->ngaps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->gaps[mid].at < ci) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < r->ngaps && r->gaps[lo].at == ci && !r->unrecorded) {
        add_gap(r, &r->gaps[lo]);
    }
}

/* ---- file access ------------------------------------------------------------ */

static vgt_status read_at(vgt_trace_reader *r, uint64_t off, void *buf, size_t len, vgt_error *err)
{
    if (!vgt_range_inside(off, len, r->file_size)) {
        return vgt_error_set(
            err, VGT_E_TRUNCATED,
            "%s: %zu bytes at offset %llu lie past the end of the file (%llu bytes)", r->path, len,
            (unsigned long long)off, (unsigned long long)r->file_size);
    }
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(r->fd, p, len, (off_t)off);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return vgt_error_set(err, VGT_E_IO, "%s: read at offset %llu: %s", r->path,
                                 (unsigned long long)off, strerror(errno));
        }
        if (n == 0) {
            return vgt_error_set(err, VGT_E_TRUNCATED, "%s: file ends at offset %llu", r->path,
                                 (unsigned long long)off);
        }
        r->st.bytes_read += (uint64_t)n;
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return VGT_OK;
}

/* ---- header ------------------------------------------------------------------ */

static vgt_status read_header(vgt_trace_reader *r, vgt_error *err)
{
    uint8_t fixed[FH_FIXED_SIZE];
    if (r->file_size < FH_FIXED_SIZE) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "%s: not a vgt trace (%llu bytes, shorter than a header)", r->path,
                             (unsigned long long)r->file_size);
    }
    vgt_status st = read_at(r, 0, fixed, FH_FIXED_SIZE, err);
    if (st != VGT_OK) {
        return st;
    }
    if (memcmp(fixed, FH_MAGIC, 8) != 0) {
        return vgt_error_set(err, VGT_E_FORMAT, "%s: not a vgt trace (bad magic at offset 0)",
                             r->path);
    }
    uint16_t major = vgt_load_le16(fixed + FH_OFF_MAJOR);
    uint16_t minor = vgt_load_le16(fixed + FH_OFF_MINOR);
    if (major > VGT_TRACE_VERSION_MAJOR) {
        return vgt_error_set(err, VGT_E_VERSION,
                             "%s: trace format version %u.%u is newer than this reader "
                             "(supports %u.x); upgrade vgt",
                             r->path, major, minor, VGT_TRACE_VERSION_MAJOR);
    }
    if (major == 0) {
        return vgt_error_set(err, VGT_E_FORMAT, "%s: bad format version %u.%u", r->path, major,
                             minor);
    }
    uint32_t size = vgt_load_le32(fixed + FH_OFF_SIZE);
    uint32_t fixed_size = vgt_load_le32(fixed + FH_OFF_FIXED_SIZE);
    uint32_t creator_len = vgt_load_le32(fixed + FH_OFF_CREATOR_LN);
    uint32_t config_len = vgt_load_le32(fixed + FH_OFF_CONFIG_LN);
    uint64_t expect = (uint64_t)fixed_size + creator_len + config_len + 8;
    if (fixed_size < FH_FIXED_SIZE || fixed_size > 4096 || creator_len > VGT_TRACE_CREATOR_MAX ||
        config_len > VGT_TRACE_DEVICE_CONFIG_MAX || size != expect) {
        return vgt_error_set(err, VGT_E_FORMAT,
                             "%s: corrupt header (size %u, fixed part %u, creator %u bytes, "
                             "device config %u bytes)",
                             r->path, size, fixed_size, creator_len, config_len);
    }
    if (size > r->file_size) {
        return vgt_error_set(err, VGT_E_TRUNCATED, "%s: header needs %u bytes, the file has %llu",
                             r->path, size, (unsigned long long)r->file_size);
    }
    uint8_t *b = malloc(size);
    r->creator = malloc((size_t)creator_len + 1);
    r->config = malloc(config_len ? config_len : 1);
    if (!b || !r->creator || !r->config) {
        free(b);
        return vgt_error_set(err, VGT_E_NOMEM, "%s: header: out of memory", r->path);
    }
    /* the fixed part is in hand: read the rest only, so the reader's
     * bytes_read counts each byte of the file once (size >= fixed_size >=
     * FH_FIXED_SIZE, checked above) */
    memcpy(b, fixed, FH_FIXED_SIZE);
    if ((st = read_at(r, FH_FIXED_SIZE, b + FH_FIXED_SIZE, size - FH_FIXED_SIZE, err)) != VGT_OK) {
        free(b);
        return st;
    }
    if (vgt_trace_hash64(b, size - 8) != vgt_load_le64(b + size - 8)) {
        free(b);
        return vgt_error_set(err, VGT_E_CHECKSUM, "%s: header checksum mismatch (bytes 0..%u)",
                             r->path, size);
    }
    vgt_trace_header *h = &r->hdr;
    h->version_major = major;
    h->version_minor = minor;
    h->protocol_id = vgt_load_le32(b + FH_OFF_PROTO_ID);
    memcpy(h->protocol_name, b + FH_OFF_PROTO_NAME, VGT_TRACE_PROTOCOL_NAME_MAX);
    h->protocol_name[VGT_TRACE_PROTOCOL_NAME_MAX] = '\0';
    h->start_time_ns = vgt_load_le64(b + FH_OFF_START_TIME);
    h->compression_level = (int32_t)vgt_load_le32(b + FH_OFF_LEVEL);
    h->chunk_size = vgt_load_le32(b + FH_OFF_CHUNK_SIZE);
    h->start_frame = vgt_load_le64(b + FH_OFF_START_FRM);
    h->frame_limit = vgt_load_le64(b + FH_OFF_FRM_LIMIT);
    if (h->start_frame > VGT_TRACE_MAX_START_FRAME) {
        /* guest frame numbers (start + trace frame) must not wrap */
        vgt_status bad =
            vgt_error_set(err, VGT_E_FORMAT, "%s: header: start frame %llu beyond 2^62", r->path,
                          (unsigned long long)h->start_frame);
        free(b);
        return bad;
    }
    h->dedup_min_size = vgt_load_le32(b + FH_OFF_DEDUP_MIN);
    memcpy(r->creator, b + fixed_size, creator_len);
    r->creator[creator_len] = '\0';
    memcpy(r->config, b + fixed_size + creator_len, config_len);
    h->creator = r->creator;
    h->device_config = r->config;
    h->device_config_size = config_len;
    r->header_size = size;
    free(b);
    return VGT_OK;
}

/* ---- chunk headers ------------------------------------------------------------ */

/* Decodes and checks a chunk header (its own checksum and sizes). */
static bool decode_chunk_header(const uint8_t *b, vgt_trace_chunk_info *c, uint64_t *index,
                                uint64_t *chash, uint64_t *uhash, const char **why)
{
    if (vgt_load_le32(b) != CH_MAGIC) {
        *why = "bad chunk magic";
        return false;
    }
    if (vgt_trace_hash64(b, CH_OFF_HHASH) != vgt_load_le64(b + CH_OFF_HHASH)) {
        *why = "chunk header checksum mismatch";
        return false;
    }
    *index = vgt_load_le64(b + CH_OFF_INDEX);
    c->first_record = vgt_load_le64(b + CH_OFF_FIRST_REC);
    c->first_frame = vgt_load_le64(b + CH_OFF_FIRST_FRM);
    c->last_frame = vgt_load_le64(b + CH_OFF_LAST_FRM);
    c->record_count = vgt_load_le32(b + CH_OFF_REC_COUNT);
    c->compressed_size = vgt_load_le32(b + CH_OFF_CSIZE);
    c->uncompressed_size = vgt_load_le32(b + CH_OFF_USIZE);
    *chash = vgt_load_le64(b + CH_OFF_CHASH);
    *uhash = vgt_load_le64(b + CH_OFF_UHASH);
    if (c->uncompressed_size > MAX_CHUNK_USIZE || c->record_count == 0 ||
        c->record_count > c->uncompressed_size / REC_HDR_SIZE ||
        c->compressed_size > ZSTD_compressBound(c->uncompressed_size) ||
        c->last_frame < c->first_frame || c->last_frame - c->first_frame > c->record_count ||
        /* its records' numbers must not wrap: a header claiming records
         * from 2^64 - 1 made a salvage walk's next expected record small
         * again, and records were numbered twice */
        c->first_record > UINT64_MAX - c->record_count) {
        *why = "chunk header fields out of range";
        return false;
    }
    return true;
}

static vgt_status push_chunk(vgt_trace_reader *r, const vgt_trace_chunk_info *c, uint64_t id,
                             size_t *cap)
{
    if (r->nchunks == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        vgt_trace_chunk_info *n = realloc(r->chunks, ncap * sizeof(*n));
        if (!n) {
            return VGT_E_NOMEM;
        }
        r->chunks = n;
        uint64_t *ids = realloc(r->chunk_ids, ncap * sizeof(*ids));
        if (!ids) {
            return VGT_E_NOMEM;
        }
        r->chunk_ids = ids;
        *cap = ncap;
    }
    r->chunk_ids[r->nchunks] = id;
    r->chunks[r->nchunks++] = *c;
    return VGT_OK;
}

/* Finds the next offset > from holding a valid chunk header (salvage).
 * The blocks it reads grow from a small one, doubling up to 1 MiB: the
 * next header is most often near, and a first read of 1 MiB for each
 * damaged header made a hostile trace of damaged headers 105 bytes apart
 * quadratic (1000 of them in 210 KB: 105 MB read at the open); now a
 * resync reads about twice the distance it goes, plus a first block. */
static uint64_t resync(vgt_trace_reader *r, uint64_t from, uint64_t end)
{
    enum { FIRST_BLOCK = 256, BLOCK = 1 << 20 };
    size_t block = 0, cap = 0;
    uint8_t *buf = NULL;
    uint64_t off = from;
    while (off < end && end - off >= CH_SIZE) {
        block = block ? (block < BLOCK ? block * 2u : BLOCK) : FIRST_BLOCK;
        if (block + CH_SIZE > cap) {
            uint8_t *n = realloc(buf, block + CH_SIZE);
            if (!n) {
                break;
            }
            buf = n;
            cap = block + CH_SIZE;
        }
        size_t len = (size_t)((end - off) < block + CH_SIZE ? (end - off) : block + CH_SIZE);
        if (read_at(r, off, buf, len, NULL) != VGT_OK) {
            break;
        }
        for (size_t i = 0; i + CH_SIZE <= len; i++) {
            if (buf[i] == 'V' && memcmp(buf + i, "VGTC", 4) == 0) {
                vgt_trace_chunk_info c;
                uint64_t idx, ch, uh;
                const char *why;
                if (decode_chunk_header(buf + i, &c, &idx, &ch, &uh, &why)) {
                    free(buf);
                    return off + i;
                }
            }
        }
        if (len < block + CH_SIZE) {
            break;
        }
        off += block;
    }
    free(buf);
    return end;
}

/* Builds the chunk table by walking chunk headers from the end of the header. */
static vgt_status walk_chunks(vgt_trace_reader *r, vgt_error *err)
{
    size_t cap = 0;
    uint64_t off = r->header_size, end = r->file_size;
    uint64_t expect_index = 0, expect_rec = 0, min_frame = 0;
    free(r->chunks);
    free(r->chunk_ids);
    r->chunks = NULL;
    r->chunk_ids = NULL;
    r->nchunks = 0;
    r->ngaps = 0;
    /* salvage: a damaged chunk header since the last chunk taken, whose
     * loss a chunk taken after it states as a gap */
    bool lost_since = false;
    /* the id a torn last chunk's header states, when plausible after the
     * chunks taken (NO_CHUNK: none): the chunks a damage before it lost
     * end there */
    uint64_t torn_id = NO_CHUNK;
    /* where that damage began: the gap it left is named by the offset
     * where its lost records were, the first damaged header's, not the
     * offset of the chunk after them (it named "chunk 1 at offset 3095",
     * chunk 2's offset, for a chunk 1 damaged at 1965) */
    uint64_t lost_from = off;
    while (off < end) {
        uint8_t b[CH_SIZE];
        if (end - off < CH_SIZE) {
            if (end - off >= 8 && (read_at(r, off, b, 8, NULL) == VGT_OK) &&
                (memcmp(b, IX_MAGIC, 8) == 0 || memcmp(b, TR_MAGIC, 8) == 0)) {
                r->index_at = memcmp(b, IX_MAGIC, 8) == 0 ? off : NO_CHUNK;
                break;
            }
            /* "chunk N at offset O: " first, as every problem about a
             * chunk (vgt_trace_problem_detail); the verbs say "skipped" */
            tail_torn(r, expect_index, off,
                      "chunk %llu at offset %llu: torn header (%llu bytes, a header has %u)",
                      (unsigned long long)expect_index, (unsigned long long)off,
                      (unsigned long long)(end - off), CH_SIZE);
            break;
        }
        vgt_status st = read_at(r, off, b, CH_SIZE, err);
        if (st != VGT_OK) {
            return st;
        }
        if (memcmp(b, IX_MAGIC, 8) == 0) {
            r->index_at = off;
            break; /* the footer index: the chunks end here */
        }
        vgt_trace_chunk_info c = {0};
        uint64_t idx, ch, uh;
        const char *why = NULL;
        bool ok = decode_chunk_header(b, &c, &idx, &ch, &uh, &why);
        if (ok && !vgt_range_inside(off + CH_SIZE, c.compressed_size, end)) {
            tail_torn(r, idx, off,
                      "chunk %llu at offset %llu: torn: it needs %llu bytes, the file has %llu",
                      (unsigned long long)idx, (unsigned long long)off,
                      (unsigned long long)(CH_SIZE + c.compressed_size),
                      (unsigned long long)(end - off));
            /* plausible as the end of a loss: every chunk lost before it
             * held a record at least */
            if (idx > expect_index && c.first_record > expect_rec &&
                idx - expect_index <= c.first_record - expect_rec) {
                torn_id = idx;
            }
            break;
        }
        if (ok && idx == NO_CHUNK) {
            /* no chunk can follow it: the next id would wrap to 0, and
             * the table's ids must ascend (vgt_trace_reader_chunk_find);
             * a salvage gap took one, and the table held ..., 2^64 - 1,
             * 0, ... */
            ok = false;
            why = "chunk index out of range";
        }
        bool frame_ok = r->nchunks == 0
                            ? c.first_frame == 0
                            : (c.first_frame == min_frame || c.first_frame == min_frame + 1);
        if (ok && (idx != expect_index || c.first_record != expect_rec || !frame_ok ||
                   c.first_frame > c.first_record)) {
            why = "chunk numbering does not follow the previous chunk";
            /* Salvage accepts a gap (chunks lost to corruption) when it is
             * plausible: every frame holds at least one record. */
            if (r->opt.salvage && idx > expect_index && c.first_record > expect_rec &&
                c.first_frame >= min_frame && c.first_frame <= c.first_record &&
                c.first_frame - min_frame <= c.first_record - expect_rec + 1) {
                deferred_gap g = {.at = r->nchunks,
                                  .chunk = expect_index,
                                  .chunks = idx - expect_index,
                                  .offset = lost_since ? lost_from : off,
                                  .first_record = expect_rec,
                                  .last_record = c.first_record - 1}; /* inclusive */
                defer_gap(r, &g);
            } else {
                ok = false;
            }
        }
        if (!ok) {
            vgt_status code = strstr(why, "checksum") ? VGT_E_CHECKSUM : VGT_E_FORMAT;
            problem(r, NULL, code, expect_index, off, "chunk %llu at offset %llu: %s",
                    (unsigned long long)expect_index, (unsigned long long)off, why);
            if (!r->opt.salvage) {
                r->walk_error = code;
                vgt_error_set(&r->walk_err, code, "%s: chunk %llu at offset %llu: %s", r->path,
                              (unsigned long long)expect_index, (unsigned long long)off, why);
                break;
            }
            if (!lost_since) {
                lost_from = off;
            }
            lost_since = true;
            off = resync(r, off + 1, end);
            continue;
        }
        lost_since = false;
        c.offset = off;
        if (push_chunk(r, &c, idx, &cap) != VGT_OK) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s: chunk table: out of memory", r->path);
        }
        expect_index = idx + 1;
        expect_rec = c.first_record + c.record_count;
        min_frame = c.last_frame;
        off += CH_SIZE + c.compressed_size;
    }
    if (lost_since) {
        /* no chunk was taken after the damage (the rest torn, or none):
         * the loss is a gap before the end of the table, said when a read
         * reaches the end (vgt_trace_reader_next), as a gap before a chunk
         * is said when a read meets that chunk */
        deferred_gap g = {.at = r->nchunks,
                          .chunk = expect_index,
                          .chunks = torn_id != NO_CHUNK ? torn_id - expect_index : 1,
                          .offset = lost_from,
                          .first_record = expect_rec,
                          .last_record = UINT64_MAX};
        defer_gap(r, &g);
    }
    return VGT_OK;
}

/* The chunk index the file states for table entry ci. */
static uint64_t chunk_id(const vgt_trace_reader *r, uint64_t ci)
{
    return r->chunk_ids ? r->chunk_ids[ci] : ci;
}

/* A read returned records of table entry ci or went past it. */
static void note_reach(vgt_trace_reader *r, uint64_t ci)
{
    uint64_t id = chunk_id(r, ci);
    if (id < UINT64_MAX && id + 1u > r->reach) {
        r->reach = id + 1u;
    }
}

/* ---- chunk loading --------------------------------------------------------------- */

static uint64_t find_chunk_by_record(const vgt_trace_reader *r, uint64_t seq)
{
    uint64_t lo = 0, hi = r->nchunks;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (r->chunks[mid].first_record <= seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return NO_CHUNK;
    }
    const vgt_trace_chunk_info *c = &r->chunks[lo - 1];
    return seq - c->first_record < c->record_count ? lo - 1 : NO_CHUNK;
}

/* Checks the framing of a decompressed chunk and fills slot->offsets. */
static vgt_status index_records(vgt_trace_reader *r, uint64_t ci, chunk_slot *s, vgt_error *err)
{
    const vgt_trace_chunk_info *c = &r->chunks[ci];
    if (s->offsets_cap < c->record_count) {
        free(s->offsets);
        s->offsets = malloc((size_t)c->record_count * sizeof(*s->offsets));
        s->offsets_cap = s->offsets ? c->record_count : 0;
        if (!s->offsets) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s: chunk %llu: out of memory", r->path,
                                 (unsigned long long)ci);
        }
    }
    size_t pos = 0;
    uint32_t n = 0;
    uint64_t frame = c->first_frame, last = c->first_frame;
    while (pos < s->size) {
        const char *why = NULL;
        if (s->size - pos < REC_HDR_SIZE) {
            why = "record header cut off at the end of the chunk";
        } else if (n == c->record_count) {
            why = "more records than the chunk header says";
        }
        uint32_t len = 0;
        uint16_t type = 0;
        if (!why) {
            len = vgt_load_le32(s->data + pos + 12);
            type = vgt_load_le16(s->data + pos + 8);
            if (len > s->size - pos - REC_HDR_SIZE) {
                why = "record payload runs past the end of the chunk";
            } else if (type == VGT_REC_INVALID) {
                why = "record of type 0";
            } else if (type == VGT_REC_PAYLOAD_REF) {
                uint64_t target =
                    len == REF_SIZE ? vgt_load_le64(s->data + pos + REC_HDR_SIZE) : UINT64_MAX;
                if (len != REF_SIZE || target >= c->first_record + n) {
                    why = "bad payload reference";
                }
            }
        }
        if (why) {
            return problem(r, err, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
                           "chunk %llu at offset %llu: record %llu at byte %zu: %s",
                           (unsigned long long)chunk_id(r, ci), (unsigned long long)c->offset,
                           (unsigned long long)(c->first_record + n), pos, why);
        }
        s->offsets[n++] = (uint32_t)pos;
        last = frame;
        if (type == VGT_REC_FRAME_END) {
            frame++;
        }
        pos += REC_HDR_SIZE + len;
    }
    if (n != c->record_count || last != c->last_frame) {
        return problem(r, err, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: holds %u records ending in frame %llu, its "
                       "header says %u records ending in frame %llu",
                       (unsigned long long)chunk_id(r, ci), (unsigned long long)c->offset, n,
                       (unsigned long long)last, c->record_count,
                       (unsigned long long)c->last_frame);
    }
    s->count = n;
    return VGT_OK;
}

/* Returns the decompressed, checked chunk ci (from the cache or the file). */
static vgt_status load_chunk(vgt_trace_reader *r, uint64_t ci, chunk_slot **out, vgt_error *err)
{
    chunk_slot *victim = NULL;
    if (r->ngaps) {
        meet_gap(r, ci);
    }
    for (uint32_t i = 0; i < r->nslots; i++) {
        chunk_slot *s = &r->slots[i];
        if (s->chunk == ci) {
            s->last_use = ++r->clock;
            r->st.chunk_cache_hits++;
            *out = s;
            return VGT_OK;
        }
        if (s != r->cur && (!victim || s->chunk == NO_CHUNK ||
                            (victim->chunk != NO_CHUNK && s->last_use < victim->last_use))) {
            victim = s;
        }
    }
    const vgt_trace_chunk_info *c = &r->chunks[ci];
    uint64_t fid = chunk_id(r, ci);
    unsigned long long uci = fid, uoff = c->offset;
    size_t total = CH_SIZE + (size_t)c->compressed_size;
    if (!vgt_range_inside(c->offset, total, r->file_size)) {
        return problem(r, err, VGT_E_TRUNCATED, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: %zu bytes lie past the end of the file", uci,
                       uoff, total);
    }
    if (r->cbuf_cap < total) {
        free(r->cbuf);
        r->cbuf = malloc(total);
        r->cbuf_cap = r->cbuf ? total : 0;
        if (!r->cbuf) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s: chunk %llu: out of memory", r->path, uci);
        }
    }
    vgt_status st = read_at(r, c->offset, r->cbuf, total, err);
    if (st != VGT_OK) {
        return problem(r, err, st, chunk_id(r, ci), c->offset, "chunk %llu at offset %llu: %s", uci,
                       uoff, err ? err->message : "read failed");
    }
    vgt_trace_chunk_info h;
    uint64_t idx, chash, uhash;
    const char *why = NULL;
    if (!decode_chunk_header(r->cbuf, &h, &idx, &chash, &uhash, &why)) {
        return problem(r, err, strstr(why, "checksum") ? VGT_E_CHECKSUM : VGT_E_FORMAT, fid,
                       c->offset, "chunk %llu at offset %llu: %s", uci, uoff, why);
    }
    if (idx != fid || h.first_record != c->first_record || h.first_frame != c->first_frame ||
        h.last_frame != c->last_frame || h.record_count != c->record_count ||
        h.compressed_size != c->compressed_size || h.uncompressed_size != c->uncompressed_size) {
        return problem(r, err, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: header does not match the index", uci, uoff);
    }
    if (vgt_trace_hash64(r->cbuf + CH_SIZE, c->compressed_size) != chash) {
        return problem(r, err, VGT_E_CHECKSUM, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: checksum mismatch in its %u compressed bytes",
                       uci, uoff, c->compressed_size);
    }
    chunk_slot *s = victim;
    s->chunk = NO_CHUNK;
    if (s->cap < c->uncompressed_size || s->cap > 2 * (size_t)c->uncompressed_size + (8u << 20)) {
        free(s->data);
        s->data = malloc(c->uncompressed_size ? c->uncompressed_size : 1);
        s->cap = s->data ? c->uncompressed_size : 0;
        if (!s->data) {
            return vgt_error_set(err, VGT_E_NOMEM, "%s: chunk %llu: out of memory (%u bytes)",
                                 r->path, uci, c->uncompressed_size);
        }
    }
    size_t got = ZSTD_decompressDCtx(r->dctx, s->data, c->uncompressed_size, r->cbuf + CH_SIZE,
                                     c->compressed_size);
    if (ZSTD_isError(got) && ZSTD_getErrorCode(got) == ZSTD_error_memory_allocation) {
        /* the host's lack of memory, not a bad chunk: no problem recorded,
         * the chunk can be loaded again later */
        return vgt_error_set(err, VGT_E_NOMEM, "%s: chunk %llu: zstd out of memory (%s)", r->path,
                             uci, ZSTD_getErrorName(got));
    }
    if (ZSTD_isError(got) || got != c->uncompressed_size) {
        return problem(r, err, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: zstd frame does not decompress to %u bytes "
                       "(%s)",
                       uci, uoff, c->uncompressed_size,
                       ZSTD_isError(got) ? ZSTD_getErrorName(got) : "wrong size");
    }
    /* The compressed-bytes checksum above already covers every stored byte;
     * the uncompressed one (a guard against decompressor faults) is checked
     * by verify, check_chunk and the index rebuild, not on every read, and
     * a mismatch is said without losing the chunk, as the reads keep it */
    if (r->full_check && vgt_trace_hash64(s->data, got) != uhash) {
        uhash_wrong(r, fid, c->offset, c->uncompressed_size);
    }
    s->size = got;
    if ((st = index_records(r, ci, s, err)) != VGT_OK) {
        return st;
    }
    s->chunk = ci;
    s->last_use = ++r->clock;
    r->st.chunks_decompressed++;
    *out = s;
    return VGT_OK;
}

/* ---- dedup resolution ------------------------------------------------------------- */

static rdedup *find_dedup(const vgt_trace_reader *r, uint64_t record)
{
    size_t lo = 0, hi = r->ndedups;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->dedups[mid].info.record < record) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < r->ndedups && r->dedups[lo].info.record == record ? &r->dedups[lo] : NULL;
}

/* Keeps a copy of a dedup target's payload, evicting least recently used ones. */
static void cache_payload(vgt_trace_reader *r, rdedup *d, const uint8_t *payload)
{
    if (d->cached || d->info.size > r->opt.payload_cache) {
        return;
    }
    while (r->payload_cached + d->info.size > r->opt.payload_cache) {
        rdedup *old = NULL;
        for (size_t i = 0; i < r->ndedups; i++) {
            if (r->dedups[i].cached && (!old || r->dedups[i].last_use < old->last_use)) {
                old = &r->dedups[i];
            }
        }
        if (!old) {
            return;
        }
        free(old->cached);
        old->cached = NULL;
        r->payload_cached -= old->info.size;
    }
    d->cached = malloc(d->info.size ? d->info.size : 1);
    if (d->cached) {
        memcpy(d->cached, payload, d->info.size);
        r->payload_cached += d->info.size;
        d->last_use = ++r->clock;
    }
}

/* Fills out's payload from the record a PAYLOAD_REF names.  *target_bad
 * (when not NULL) tells a failure that is the target chunk's own damage
 * (its problem names that chunk) from one of the reference. */
static vgt_status resolve_ref(vgt_trace_reader *r, uint64_t ci, const uint8_t *ref,
                              vgt_trace_record *out, bool *target_bad, vgt_error *err)
{
    if (target_bad) {
        *target_bad = false;
    }
    const vgt_trace_chunk_info *c = &r->chunks[ci];
    uint64_t target = vgt_load_le64(ref);
    uint32_t size = vgt_load_le32(ref + 8);
    uint16_t type = vgt_load_le16(ref + 12);
    uint64_t lo = vgt_load_le64(ref + 16), hi = vgt_load_le64(ref + 24);
    out->type = type;
    out->flags = vgt_load_le16(ref + 14);
    out->size = size;
    out->deduplicated = true;
    out->ref_seq = target;
    if (type == VGT_REC_INVALID || type == VGT_REC_FRAME_END || type == VGT_REC_PAYLOAD_REF ||
        size > VGT_TRACE_MAX_PAYLOAD) {
        return problem(r, err, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: record %llu: bad payload reference",
                       (unsigned long long)chunk_id(r, ci), (unsigned long long)c->offset,
                       (unsigned long long)out->seq);
    }
    rdedup *d = find_dedup(r, target);
    if (d && d->cached && d->info.size == size && d->info.hash_lo == lo && d->info.hash_hi == hi) {
        d->last_use = ++r->clock;
        r->st.payload_cache_hits++;
        out->payload = d->cached;
        return VGT_OK;
    }
    uint64_t tci = find_chunk_by_record(r, target);
    if (tci == NO_CHUNK) {
        return problem(r, err, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: record %llu references record %llu, which is "
                       "not in the trace",
                       (unsigned long long)chunk_id(r, ci), (unsigned long long)c->offset,
                       (unsigned long long)out->seq, (unsigned long long)target);
    }
    chunk_slot *s;
    vgt_status st = load_chunk(r, tci, &s, err);
    if (st != VGT_OK) {
        if (target_bad) {
            *target_bad = true;
        }
        vgt_error_prefix(err, "record %llu references record %llu", (unsigned long long)out->seq,
                         (unsigned long long)target);
        return st;
    }
    const uint8_t *p = s->data + s->offsets[target - r->chunks[tci].first_record];
    vgt_trace_iov piece = {p + REC_HDR_SIZE, vgt_load_le32(p + 12)};
    uint64_t hlo, hhi;
    vgt_trace_hash128(&piece, 1, &hlo, &hhi);
    if (vgt_load_le16(p + 8) == VGT_REC_PAYLOAD_REF || vgt_load_le32(p + 12) != size || hlo != lo ||
        hhi != hi) {
        return problem(r, err, VGT_E_CHECKSUM, chunk_id(r, ci), c->offset,
                       "chunk %llu at offset %llu: record %llu references record %llu, whose "
                       "payload does not match the reference's size and hash",
                       (unsigned long long)chunk_id(r, ci), (unsigned long long)c->offset,
                       (unsigned long long)out->seq, (unsigned long long)target);
    }
    out->payload = p + REC_HDR_SIZE;
    if (d && d->info.size == size) {
        cache_payload(r, d, out->payload);
        if (d->cached) {
            out->payload = d->cached;
        }
    }
    return VGT_OK;
}

/* ---- iteration ------------------------------------------------------------------- */

/* Decodes record i of the loaded slot into out (references resolved). */
static vgt_status decode_record(vgt_trace_reader *r, uint64_t ci, chunk_slot *s, uint32_t i,
                                uint64_t frame, vgt_trace_record *out, vgt_error *err)
{
    const uint8_t *p = s->data + s->offsets[i];
    memset(out, 0, sizeof(*out));
    out->seq = r->chunks[ci].first_record + i;
    out->frame = frame;
    out->timestamp_ns = vgt_load_le64(p);
    out->type = vgt_load_le16(p + 8);
    out->flags = vgt_load_le16(p + 10);
    out->size = vgt_load_le32(p + 12);
    out->payload = p + REC_HDR_SIZE;
    if (out->type == VGT_REC_PAYLOAD_REF) {
        return resolve_ref(r, ci, p + REC_HDR_SIZE, out, NULL, err);
    }
    if (r->ndedups > 0 && r->hdr.dedup_min_size > 0 && out->size >= r->hdr.dedup_min_size &&
        r->opt.payload_cache > 0) {
        rdedup *d = find_dedup(r, out->seq);
        if (d && d->info.size == out->size && !d->cached) {
            vgt_trace_iov piece = {out->payload, out->size};
            uint64_t hlo, hhi;
            vgt_trace_hash128(&piece, 1, &hlo, &hhi);
            if (hlo == d->info.hash_lo && hhi == d->info.hash_hi) {
                cache_payload(r, d, out->payload);
            }
        }
    }
    return VGT_OK;
}

vgt_status vgt_trace_reader_next(vgt_trace_reader *r, vgt_trace_record *out, vgt_error *err)
{
    if (!r || !out) {
        return vgt_error_set(err, VGT_E_INVALID, "trace next: NULL argument");
    }
    if (r->sticky != VGT_OK) {
        if (err) {
            *err = r->sticky_err;
        }
        return r->sticky;
    }
    for (;;) {
        if (!r->cur) {
            if (r->cur_chunk >= r->nchunks) {
                if (r->walk_error != VGT_OK && !r->opt.salvage) {
                    r->sticky = r->walk_error;
                    r->sticky_err = r->walk_err;
                    if (err) {
                        *err = r->walk_err;
                    }
                    return r->walk_error;
                }
                if (r->ngaps) {
                    meet_gap(r, r->nchunks); /* records lost after the last chunk */
                }
                r->reach = UINT64_MAX; /* a lost tail (a torn chunk) is behind too */
                return vgt_error_set(err, VGT_E_END, "end of trace");
            }
            chunk_slot *s;
            vgt_status st = load_chunk(r, r->cur_chunk, &s, err);
            if (st == VGT_E_NOMEM) {
                return st; /* not a bad chunk: the next call loads it again */
            }
            if (st != VGT_OK) {
                if (r->opt.salvage) {
                    note_reach(r, r->cur_chunk);
                    r->cur_chunk++;
                    continue;
                }
                r->sticky = st;
                if (err) {
                    r->sticky_err = *err;
                } else {
                    vgt_error_set(&r->sticky_err, st, "%s: chunk %llu is bad", r->path,
                                  (unsigned long long)r->cur_chunk);
                }
                return st;
            }
            r->cur = s;
            r->cur_rec = 0;
            r->cur_frame = r->chunks[r->cur_chunk].first_frame;
        }
        if (r->cur_rec >= r->cur->count) {
            r->cur = NULL;
            r->cur_chunk++;
            continue;
        }
        uint32_t i = r->cur_rec++;
        uint64_t frame = r->cur_frame;
        if (vgt_load_le16(r->cur->data + r->cur->offsets[i] + 8) == VGT_REC_FRAME_END) {
            r->cur_frame++;
        }
        note_reach(r, r->cur_chunk);
        vgt_status st = decode_record(r, r->cur_chunk, r->cur, i, frame, out, err);
        if (st == VGT_E_NOMEM) {
            /* (loading a referenced chunk): the next call tries this
             * record again */
            r->cur_rec = i;
            r->cur_frame = frame;
            return st;
        }
        if (st != VGT_OK) {
            if (r->opt.salvage) {
                continue;
            }
            r->sticky = st;
            if (err) {
                r->sticky_err = *err;
            }
            return st;
        }
        return VGT_OK;
    }
}

/* A seek that failed after it left the reader's position (a damaged chunk
 * in normal mode, no memory, a lying frame index): the reader has no
 * position, so next() returns the seek's error until a seek succeeds.  It
 * used to go on from the start of the chunk read before the seek, and
 * returned records already read as if they came after the damage. */
static vgt_status seek_failed(vgt_trace_reader *r, vgt_status st, const vgt_error *err)
{
    r->cur = NULL;
    r->sticky = st;
    if (err) {
        r->sticky_err = *err;
    } else {
        vgt_error_set(&r->sticky_err, st, "%s: the last seek failed", r->path);
    }
    return st;
}

vgt_status vgt_trace_reader_seek_record(vgt_trace_reader *r, uint64_t seq, vgt_error *err)
{
    if (!r) {
        return vgt_error_set(err, VGT_E_INVALID, "trace seek: NULL reader");
    }
    uint64_t ci = find_chunk_by_record(r, seq);
    if (ci == NO_CHUNK) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no record %llu in the trace", r->path,
                             (unsigned long long)seq);
    }
    r->cur = NULL;
    r->sticky = VGT_OK;
    chunk_slot *s;
    vgt_status st = load_chunk(r, ci, &s, err);
    if (st != VGT_OK && st != VGT_E_NOMEM && r->opt.salvage) {
        /* the chunk is damaged (load_chunk recorded the problem): in
         * salvage mode the reader stands at its start, so that next() skips
         * it as it skips any bad chunk and returns the first readable
         * record after it (a damaged chunk 0 left every verb that reads
         * from the start with nothing, the readable rest included) */
        r->cur_chunk = ci;
        return VGT_OK;
    }
    if (st != VGT_OK) {
        return seek_failed(r, st, err);
    }
    r->cur = s;
    r->cur_chunk = ci;
    r->cur_rec = (uint32_t)(seq - r->chunks[ci].first_record);
    r->cur_frame = r->chunks[ci].first_frame;
    for (uint32_t i = 0; i < r->cur_rec; i++) {
        if (vgt_load_le16(s->data + s->offsets[i] + 8) == VGT_REC_FRAME_END) {
            r->cur_frame++;
        }
    }
    return VGT_OK;
}

vgt_status vgt_trace_reader_seek_frame(vgt_trace_reader *r, uint64_t frame, vgt_error *err)
{
    if (!r) {
        return vgt_error_set(err, VGT_E_INVALID, "trace seek: NULL reader");
    }
    if (frame >= r->nframes) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no frame %llu in the trace (%llu frames)",
                             r->path, (unsigned long long)frame, (unsigned long long)r->nframes);
    }
    if (r->frames[frame].chunk == NO_CHUNK) {
        /* inside the trace's frames, but every record of it was in chunks
         * the salvage walk lost ("no frame N in the trace (M frames)" with
         * N < M read as a contradiction) */
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "%s: frame %llu of the trace's %llu is lost: its records were in "
                             "damaged chunks that salvage skipped",
                             r->path, (unsigned long long)frame, (unsigned long long)r->nframes);
    }
    vgt_status st = vgt_trace_reader_seek_record(r, r->frames[frame].first_record, err);
    if (st == VGT_OK && r->cur && r->rebuilt && r->cur_frame < frame) {
        /* a rebuilt index names a frame that starts inside a chunk it could
         * not check by the chunk's first record (rebuild_index): the chunk
         * reads now (its damage is one the rebuild checks and a read does
         * not, the uncompressed checksum), so the frame is found in it */
        while (r->cur_frame < frame && r->cur_rec < r->cur->count) {
            if (vgt_load_le16(r->cur->data + r->cur->offsets[r->cur_rec++] + 8) ==
                VGT_REC_FRAME_END) {
                r->cur_frame++;
            }
        }
    }
    if (st == VGT_OK && r->cur && r->cur_frame != frame) {
        /* named like every other damage: the chunk (its id in the file, as
         * the other problems name it) and its offset */
        const vgt_trace_chunk_info *c = &r->chunks[r->cur_chunk];
        vgt_error e = {0};
        problem(r, &e, VGT_E_FORMAT, chunk_id(r, r->cur_chunk), c->offset,
                "chunk %llu at offset %llu: frame index says frame %llu starts at record "
                "%llu, but that record is in frame %llu",
                (unsigned long long)chunk_id(r, r->cur_chunk), (unsigned long long)c->offset,
                (unsigned long long)frame, (unsigned long long)r->frames[frame].first_record,
                (unsigned long long)r->cur_frame);
        if (err) {
            *err = e;
        }
        return seek_failed(r, e.code, &e);
    }
    return st;
}

static void rewind_reader(vgt_trace_reader *r)
{
    r->cur = NULL;
    r->cur_chunk = 0;
    r->cur_rec = 0;
    r->sticky = VGT_OK;
}

/* ---- footer index ------------------------------------------------------------------ */

static vgt_status load_footer(vgt_trace_reader *r, const char **why)
{
    uint8_t tr[TR_SIZE];
    *why = NULL;
    if (r->file_size < r->header_size + TR_SIZE ||
        read_at(r, r->file_size - TR_SIZE, tr, TR_SIZE, NULL) != VGT_OK ||
        memcmp(tr, TR_MAGIC, 8) != 0) {
        return VGT_E_NOTFOUND;
    }
    if (vgt_trace_hash64(tr, 32) != vgt_load_le64(tr + 32)) {
        *why = "trailer checksum mismatch";
        return VGT_E_CHECKSUM;
    }
    uint64_t ix_off = vgt_load_le64(tr + 8), ix_size = vgt_load_le64(tr + 16);
    if (ix_off < r->header_size || ix_size < IX_FIXED_SIZE ||
        !vgt_range_inside(ix_off, ix_size, r->file_size - TR_SIZE) ||
        ix_off + ix_size != r->file_size - TR_SIZE) {
        *why = "trailer points outside the file";
        return VGT_E_FORMAT;
    }
    uint8_t *ix = malloc(ix_size);
    if (!ix) {
        *why = "out of memory";
        return VGT_E_NOMEM;
    }
    vgt_status st = VGT_E_FORMAT;
    if (read_at(r, ix_off, ix, ix_size, NULL) != VGT_OK) {
        *why = "cannot read the index";
        goto out;
    }
    if (vgt_trace_hash64(ix, ix_size) != vgt_load_le64(tr + 24)) {
        *why = "index checksum mismatch";
        st = VGT_E_CHECKSUM;
        goto out;
    }
    if (memcmp(ix, IX_MAGIC, 8) != 0) {
        *why = "bad index magic";
        goto out;
    }
    uint64_t nchunks = vgt_load_le64(ix + IX_OFF_CHUNKS);
    uint64_t nframes = vgt_load_le64(ix + IX_OFF_FRAMES);
    uint64_t ntypes = vgt_load_le64(ix + IX_OFF_TYPES);
    uint64_t ndedups = vgt_load_le64(ix + IX_OFF_DEDUPS);
    uint64_t a, b, c, d, sum;
    if (vgt_mul_overflow_u64(nchunks, IX_CHUNK_ENTRY, &a) ||
        vgt_mul_overflow_u64(nframes, IX_FRAME_ENTRY, &b) ||
        vgt_mul_overflow_u64(ntypes, IX_TYPE_ENTRY, &c) ||
        vgt_mul_overflow_u64(ndedups, IX_DEDUP_ENTRY, &d) || vgt_add_overflow_u64(a, b, &sum) ||
        vgt_add_overflow_u64(sum, c, &sum) || vgt_add_overflow_u64(sum, d, &sum) ||
        sum != ix_size - IX_FIXED_SIZE || ntypes > 0x10000) {
        *why = "index table sizes do not add up";
        goto out;
    }
    r->records = vgt_load_le64(ix + IX_OFF_RECORDS);
    r->dedup_refs = vgt_load_le64(ix + IX_OFF_DEDUP_REFS);
    r->dedup_saved = vgt_load_le64(ix + IX_OFF_DEDUP_SAVE);
    r->usize = vgt_load_le64(ix + IX_OFF_USIZE);
    r->csize = vgt_load_le64(ix + IX_OFF_CSIZE);
    r->payload_bytes = vgt_load_le64(ix + IX_OFF_PAYLOAD);
    r->complete_frames = vgt_load_le64(ix + IX_OFF_COMPLETE);
    r->chunks = calloc(nchunks ? nchunks : 1, sizeof(*r->chunks));
    r->frames = calloc(nframes ? nframes : 1, sizeof(*r->frames));
    r->types = calloc(ntypes ? ntypes : 1, sizeof(*r->types));
    r->dedups = calloc(ndedups ? ndedups : 1, sizeof(*r->dedups));
    if (!r->chunks || !r->frames || !r->types || !r->dedups) {
        *why = "out of memory";
        st = VGT_E_NOMEM;
        goto out;
    }
    const uint8_t *p = ix + IX_FIXED_SIZE;
    uint64_t off = r->header_size, rec = 0, usum = 0, csum = 0;
    for (uint64_t i = 0; i < nchunks; i++, p += IX_CHUNK_ENTRY) {
        vgt_trace_chunk_info *e = &r->chunks[i];
        e->offset = vgt_load_le64(p);
        e->first_record = vgt_load_le64(p + 8);
        e->first_frame = vgt_load_le64(p + 16);
        e->last_frame = vgt_load_le64(p + 24);
        e->record_count = vgt_load_le32(p + 32);
        e->compressed_size = vgt_load_le32(p + 36);
        e->uncompressed_size = vgt_load_le32(p + 40);
        bool frame_ok = i == 0 ? e->first_frame == 0
                               : (e->first_frame == r->chunks[i - 1].last_frame ||
                                  e->first_frame == r->chunks[i - 1].last_frame + 1);
        if (e->offset != off || e->first_record != rec || !frame_ok || e->record_count == 0 ||
            e->last_frame < e->first_frame || e->last_frame - e->first_frame > e->record_count ||
            e->uncompressed_size > MAX_CHUNK_USIZE ||
            e->record_count > e->uncompressed_size / REC_HDR_SIZE ||
            e->compressed_size > ZSTD_compressBound(e->uncompressed_size)) {
            *why = "chunk table entry inconsistent";
            goto out;
        }
        off += CH_SIZE + e->compressed_size;
        rec += e->record_count;
        usum += e->uncompressed_size;
        csum += e->compressed_size;
        if (off > ix_off) {
            *why = "chunk table runs into the index";
            goto out;
        }
    }
    if (off != ix_off || rec != r->records || usum != r->usize || csum != r->csize) {
        *why = "chunk table totals do not match";
        goto out;
    }
    r->nchunks = nchunks; /* find_chunk_by_record below uses the table */
    uint64_t expect_frames = nchunks ? r->chunks[nchunks - 1].last_frame + 1 : 0;
    if (nframes != expect_frames || r->complete_frames > nframes) {
        *why = "frame count does not match the chunk table";
        goto out;
    }
    for (uint64_t f = 0; f < nframes; f++, p += IX_FRAME_ENTRY) {
        vgt_trace_frame_info *e = &r->frames[f];
        e->chunk = vgt_load_le64(p);
        e->first_record = vgt_load_le64(p + 8);
        if (e->chunk >= nchunks || find_chunk_by_record(r, e->first_record) != e->chunk ||
            f < r->chunks[e->chunk].first_frame || f > r->chunks[e->chunk].last_frame ||
            (f > 0 && e->first_record <= r->frames[f - 1].first_record)) {
            *why = "frame table entry inconsistent";
            goto out;
        }
    }
    uint64_t type_records = 0;
    for (uint64_t i = 0; i < ntypes; i++, p += IX_TYPE_ENTRY) {
        vgt_trace_type_stat *t = &r->types[i];
        t->type = vgt_load_le16(p);
        t->records = vgt_load_le64(p + 8);
        t->payload_bytes = vgt_load_le64(p + 16);
        t->stored_bytes = vgt_load_le64(p + 24);
        if ((i > 0 && t->type <= r->types[i - 1].type) ||
            vgt_add_overflow_u64(type_records, t->records, &type_records)) {
            *why = "type table inconsistent";
            goto out;
        }
    }
    if (type_records != r->records) {
        *why = "type table does not add up to the record count";
        goto out;
    }
    for (uint64_t i = 0; i < ndedups; i++, p += IX_DEDUP_ENTRY) {
        vgt_trace_dedup_info *e = &r->dedups[i].info;
        e->hash_lo = vgt_load_le64(p);
        e->hash_hi = vgt_load_le64(p + 8);
        e->record = vgt_load_le64(p + 16);
        e->chunk = vgt_load_le64(p + 24);
        e->size = vgt_load_le32(p + 32);
        e->references = vgt_load_le64(p + 40);
        if (e->record >= r->records || find_chunk_by_record(r, e->record) != e->chunk ||
            e->size > VGT_TRACE_MAX_PAYLOAD ||
            (i > 0 && e->record <= r->dedups[i - 1].info.record)) {
            *why = "dedup table entry inconsistent";
            goto out;
        }
    }
    r->nchunks = nchunks;
    r->nframes = nframes;
    r->ntypes = (size_t)ntypes;
    r->ndedups = (size_t)ndedups;
    st = VGT_OK;
out:
    free(ix);
    if (st != VGT_OK) {
        free(r->chunks);
        free(r->frames);
        free(r->types);
        free(r->dedups);
        r->chunks = NULL;
        r->frames = NULL;
        r->types = NULL;
        r->dedups = NULL;
        r->nchunks = r->nframes = 0;
        r->ntypes = r->ndedups = 0;
    }
    return st;
}

/* ---- rebuilding the index ------------------------------------------------------------ */

typedef struct ref_seen {
    uint64_t target, lo, hi;
    uint32_t size;
} ref_seen;

static int cmp_ref_seen(const void *a, const void *b)
{
    const ref_seen *x = a, *y = b;
    return x->target < y->target ? -1 : x->target > y->target;
}

static int cmp_type(const void *a, const void *b)
{
    const vgt_trace_type_stat *x = a, *y = b;
    return (int)x->type - (int)y->type;
}

/* Grows the rebuilt frame table to hold frame `last`, the new entries
 * empty (NO_CHUNK); false without memory. */
static bool frames_cover(vgt_trace_reader *r, uint64_t *fcap, uint64_t last)
{
    if (last < r->nframes) {
        return true;
    }
    if (last >= *fcap) {
        uint64_t ncap = *fcap ? *fcap * 2 : 256;
        while (ncap <= last) {
            ncap *= 2;
        }
        vgt_trace_frame_info *n = realloc(r->frames, ncap * sizeof(*n));
        if (!n) {
            return false;
        }
        r->frames = n;
        *fcap = ncap;
    }
    for (uint64_t f = r->nframes; f <= last; f++) {
        r->frames[f].chunk = NO_CHUNK;
        r->frames[f].first_record = NO_CHUNK;
    }
    r->nframes = last + 1;
    return true;
}

/* The frame entries a rebuilt index may hold without records read to back
 * them (frames lost to a salvage gap, a damaged chunk's frames as its
 * header states them): a hostile file must not make that table absurd. */
#define MAX_UNBACKED_FRAMES (1u << 20)

/* Ends the rebuilt index before chunk ci, whose frame number `frame` is past
 * MAX_UNBACKED_FRAMES: the problem names the chunk by its id in the file, as
 * every problem about a chunk (the table index differs after a gap). */
static void frames_implausible(vgt_trace_reader *r, uint64_t ci, uint64_t frame)
{
    const vgt_trace_chunk_info *c = &r->chunks[ci];
    problem(r, NULL, VGT_E_FORMAT, chunk_id(r, ci), c->offset,
            "chunk %llu at offset %llu: implausible frame number %llu; the chunks from here on "
            "are ignored",
            (unsigned long long)chunk_id(r, ci), (unsigned long long)c->offset,
            (unsigned long long)frame);
    r->nchunks = ci;
}

/* Decompresses every chunk of the walked chunk table to compute what the
 * footer would hold: frame table, per-type totals, dedup table. */
static vgt_status rebuild_index(vgt_trace_reader *r, vgt_error *err)
{
    vgt_status st = VGT_E_NOMEM;
    vgt_error chunk_err = {0}; /* a chunk that could not be loaded for lack of memory */
    uint32_t *slot = calloc(0x10000, sizeof(*slot));
    vgt_trace_type_stat *types = calloc(1, sizeof(*types));
    size_t ntypes = 0;
    ref_seen *refs = NULL;
    size_t nrefs = 0, refs_cap = 0;
    uint64_t fcap = 0, gap_total = 0;
    /* the frames whose FRAME_END is counted: 0..ended-1 (a gap's lost
     * frames are counted from here) */
    uint64_t ended = 0;
    if (!slot || !types) {
        goto out;
    }
    r->records = r->usize = r->csize = r->payload_bytes = r->complete_frames = 0;
    r->dedup_refs = r->dedup_saved = 0;
    r->nframes = 0;
    for (uint64_t ci = 0; ci < r->nchunks; ci++) {
        chunk_slot *s;
        const vgt_trace_chunk_info *c = &r->chunks[ci];
        /* Frames lost with chunks the walk skipped (salvage) leave empty
         * entries, and a damaged chunk's frames entries its header states;
         * neither is backed by records read, so a hostile file must not
         * make that table absurd with them. */
        uint64_t unbacked = c->first_frame > r->nframes ? c->first_frame - r->nframes : 0;
        if (unbacked > 0) {
            gap_total += unbacked;
            if (gap_total > MAX_UNBACKED_FRAMES) {
                frames_implausible(r, ci, c->first_frame);
                break;
            }
        }
        /* A gap in the chunk ids before it (salvage: chunks whose header
         * was damaged, the first one's too) held the FRAME_ENDs of the
         * frames from the last one counted to the one before its first:
         * counted as a footer would (vgt replay and trim --salvage saw
         * the trace shorter by them, and vgt diff counted them on its
         * own).  The walk keeps frame numbers
         * from going backwards; `ended` is at most the frame table's size,
         * so the guard above bounds this too. */
        bool after_gap = ci == 0 ? chunk_id(r, 0) != 0 : chunk_id(r, ci) != chunk_id(r, ci - 1) + 1;
        if (after_gap && c->first_frame > ended) {
            r->complete_frames += c->first_frame - ended;
            ended = c->first_frame;
        }
        /* A damaged chunk stays in the index (its header numbered it) and
         * its problem is recorded when a read meets it, as with a footer:
         * every reader of the trace (replay, trim, the walks) counts the
         * chunks it skipped by the problems that appear while it reads,
         * and one recorded here, at the open, made them skip it without a
         * word (exit 0, nothing said skipped).  verify (vgt info) and
         * check_chunk (vgt dump --chunks) meet every chunk. */
        r->unrecorded = true;
        vgt_status lst = load_chunk(r, ci, &s, &chunk_err);
        r->unrecorded = false;
        if (lst != VGT_OK) {
            if (chunk_err.code == VGT_E_NOMEM) {
                /* the host's lack of memory, not a bad chunk: an index
                 * without this readable chunk would lose its frames */
                goto out;
            }
            /* What the footer holds for it, as far as its header (which
             * its checksum vouches for) states it: its records, sizes and
             * frames, so that the counts (vgt info's, the frame ranges
             * trim and replay take, vgt dump --chunks' sums) and a seek to
             * one of its frames answer as with a footer (they counted
             * none of it: the trace looked shorter by its frames, and a
             * seek to a frame starting in it was "no frame N").  Its
             * records' types, payload bytes and references are unknown. */
            uint64_t from = c->first_frame > r->nframes ? c->first_frame : r->nframes;
            gap_total += c->last_frame >= from ? c->last_frame - from + 1 : 0;
            if (gap_total > MAX_UNBACKED_FRAMES) {
                frames_implausible(r, ci, c->last_frame);
                break;
            }
            if (!frames_cover(r, &fcap, c->last_frame)) {
                goto out;
            }
            for (uint64_t f = c->first_frame; f <= c->last_frame; f++) {
                if (r->frames[f].chunk == NO_CHUNK) {
                    /* the frame's own first record is not known without
                     * reading the chunk: its first record (seek_frame
                     * finds the frame in it if it reads after all) */
                    r->frames[f].chunk = ci;
                    r->frames[f].first_record = c->first_record;
                }
            }
            r->records += c->record_count;
            r->usize += c->uncompressed_size;
            r->csize += c->compressed_size;
            /* its FRAME_ENDs: the frames the next chunk's first record is
             * past its first one; before a gap up to its last frame (the
             * chunk after the gap counts the rest), and after the last
             * chunk the last record's is not known, and not counted */
            uint64_t upto = c->last_frame;
            if (ci + 1 < r->nchunks && chunk_id(r, ci + 1) == chunk_id(r, ci) + 1) {
                upto = r->chunks[ci + 1].first_frame;
            }
            r->complete_frames += upto - c->first_frame;
            ended = upto > ended ? upto : ended;
            continue;
        }
        r->usize += c->uncompressed_size;
        r->csize += c->compressed_size;
        uint64_t frame = c->first_frame;
        for (uint32_t i = 0; i < s->count; i++) {
            const uint8_t *p = s->data + s->offsets[i];
            uint16_t type = vgt_load_le16(p + 8);
            uint32_t len = vgt_load_le32(p + 12);
            uint64_t seq = c->first_record + i;
            uint16_t ltype = type;
            uint32_t llen = len;
            if (type == VGT_REC_PAYLOAD_REF) {
                ltype = vgt_load_le16(p + REC_HDR_SIZE + 12);
                llen = vgt_load_le32(p + REC_HDR_SIZE + 8);
                if (nrefs == refs_cap) {
                    size_t ncap = refs_cap ? refs_cap * 2 : 64;
                    ref_seen *n = realloc(refs, ncap * sizeof(*n));
                    if (!n) {
                        goto out;
                    }
                    refs = n;
                    refs_cap = ncap;
                }
                refs[nrefs].target = vgt_load_le64(p + REC_HDR_SIZE);
                refs[nrefs].size = llen;
                refs[nrefs].lo = vgt_load_le64(p + REC_HDR_SIZE + 16);
                refs[nrefs].hi = vgt_load_le64(p + REC_HDR_SIZE + 24);
                nrefs++;
                r->dedup_refs++;
                r->dedup_saved += llen;
            }
            if (slot[ltype] == 0) {
                vgt_trace_type_stat *n = realloc(types, (ntypes + 1) * sizeof(*n));
                if (!n) {
                    goto out;
                }
                types = n;
                memset(&types[ntypes], 0, sizeof(*n));
                types[ntypes].type = ltype;
                slot[ltype] = (uint32_t)++ntypes;
            }
            vgt_trace_type_stat *t = &types[slot[ltype] - 1];
            t->records++;
            t->payload_bytes += llen;
            t->stored_bytes += len;
            r->payload_bytes += llen;
            r->records++;
            /* frames advance by at most one per record: bounded by records */
            if (frame >= r->nframes && !frames_cover(r, &fcap, frame)) {
                goto out;
            }
            if (r->frames[frame].chunk == NO_CHUNK) {
                r->frames[frame].chunk = ci;
                r->frames[frame].first_record = seq;
            }
            if (type == VGT_REC_FRAME_END) {
                frame++;
                r->complete_frames++;
            }
        }
        ended = frame > ended ? frame : ended; /* a hostile header may repeat a frame */
    }
    if (r->complete_frames > r->nframes) {
        /* chunk headers that number a frame twice (hostile: the writer
         * never does) count its end twice; a footer that did so would be
         * refused as inconsistent (load_footer) */
        r->complete_frames = r->nframes;
    }
    if (ntypes > 1) {
        vgt_sort(types, ntypes, sizeof(*types), cmp_type);
    }
    free(r->types);
    r->types = types;
    r->ntypes = ntypes;
    types = NULL;
    if (nrefs > 1) {
        vgt_sort(refs, nrefs, sizeof(*refs), cmp_ref_seen);
    }
    size_t nd = 0;
    for (size_t i = 0; i < nrefs; i++) {
        nd += i == 0 || refs[i].target != refs[i - 1].target;
    }
    free(r->dedups);
    r->dedups = calloc(nd ? nd : 1, sizeof(*r->dedups));
    if (!r->dedups) {
        goto out;
    }
    r->ndedups = 0;
    for (size_t i = 0; i < nrefs; i++) {
        if (i > 0 && refs[i].target == refs[i - 1].target) {
            r->dedups[r->ndedups - 1].info.references++;
            continue;
        }
        vgt_trace_dedup_info *d = &r->dedups[r->ndedups++].info;
        d->hash_lo = refs[i].lo;
        d->hash_hi = refs[i].hi;
        d->record = refs[i].target;
        d->chunk = find_chunk_by_record(r, refs[i].target);
        d->size = refs[i].size;
        d->references = 1;
    }
    st = VGT_OK;
out:
    if (st != VGT_OK && chunk_err.code == VGT_E_NOMEM) {
        if (err) {
            *err = chunk_err;
        }
        vgt_error_prefix(err, "rebuilding the index");
    } else if (st != VGT_OK) {
        vgt_error_set(err, st, "%s: rebuilding the index: out of memory", r->path);
    }
    free(slot);
    free(types);
    free(refs);
    return st;
}

/* Says what a file whose chunks end at an index (the walk met its magic at
 * r->index_at) but whose last 40 bytes are no trailer has: bytes appended
 * after a whole footer, or a footer cut short.  Only the message changes
 * (the problem's code and offset stay those of a missing footer): "the
 * trace was not closed" was wrong for a closed trace with bytes after it.
 * The message goes into msg (msg_size bytes). */
static void footer_misplaced(vgt_trace_reader *r, char *msg, size_t msg_size)
{
    uint64_t at = r->index_at, left = r->file_size - at;
    uint64_t size = 0, a, b, c, d, end = 0;
    uint8_t ix[IX_FIXED_SIZE], tr[TR_SIZE];
    if (left < IX_FIXED_SIZE) {
        snprintf(msg, msg_size,
                 "no footer index: the file ends inside the footer at offset %llu (%llu bytes "
                 "of it; the trace was not closed); index rebuilt from the chunks",
                 (unsigned long long)at, (unsigned long long)left);
        return;
    }
    /* the footer's size (index and trailer) as its fixed part states it */
    bool sized = read_at(r, at, ix, IX_FIXED_SIZE, NULL) == VGT_OK &&
                 !vgt_mul_overflow_u64(vgt_load_le64(ix + IX_OFF_CHUNKS), IX_CHUNK_ENTRY, &a) &&
                 !vgt_mul_overflow_u64(vgt_load_le64(ix + IX_OFF_FRAMES), IX_FRAME_ENTRY, &b) &&
                 !vgt_mul_overflow_u64(vgt_load_le64(ix + IX_OFF_TYPES), IX_TYPE_ENTRY, &c) &&
                 !vgt_mul_overflow_u64(vgt_load_le64(ix + IX_OFF_DEDUPS), IX_DEDUP_ENTRY, &d) &&
                 !vgt_add_overflow_u64(a, b, &size) && !vgt_add_overflow_u64(size, c, &size) &&
                 !vgt_add_overflow_u64(size, d, &size) &&
                 !vgt_add_overflow_u64(size, IX_FIXED_SIZE + TR_SIZE, &size) &&
                 !vgt_add_overflow_u64(at, size, &end);
    if (sized && end < r->file_size && read_at(r, end - TR_SIZE, tr, TR_SIZE, NULL) == VGT_OK &&
        memcmp(tr, TR_MAGIC, 8) == 0 && vgt_load_le64(tr + 8) == at) {
        snprintf(msg, msg_size,
                 "no footer index at the end of the file: the footer at offset %llu ends at "
                 "offset %llu, and %llu bytes follow it; index rebuilt from the chunks",
                 (unsigned long long)at, (unsigned long long)end,
                 (unsigned long long)(r->file_size - end));
    } else if (sized && left < size) {
        snprintf(msg, msg_size,
                 "no footer index: the file ends inside the footer at offset %llu (%llu of its "
                 "%llu bytes; the trace was not closed); index rebuilt from the chunks",
                 (unsigned long long)at, (unsigned long long)left, (unsigned long long)size);
    } else {
        snprintf(msg, msg_size,
                 "no footer index at the end of the file: the chunks end at an index at offset "
                 "%llu, and the file's last 40 bytes are not its trailer; index rebuilt from "
                 "the chunks",
                 (unsigned long long)at);
    }
}

/* ---- open / close ------------------------------------------------------------------ */

void vgt_trace_reader_close(vgt_trace_reader *r)
{
    if (!r) {
        return;
    }
    if (r->fd >= 0) {
        close(r->fd);
    }
    for (uint32_t i = 0; r->slots && i < r->nslots; i++) {
        free(r->slots[i].data);
        free(r->slots[i].offsets);
    }
    for (size_t i = 0; i < r->ndedups; i++) {
        free(r->dedups[i].cached);
    }
    free(r->slots);
    free(r->cbuf);
    ZSTD_freeDCtx(r->dctx);
    free(r->chunks);
    free(r->chunk_ids);
    free(r->frames);
    free(r->types);
    free(r->dedups);
    vgt_trace_problem_set_free(&r->problems);
    free(r->gaps);
    free(r->creator);
    free(r->config);
    free(r->path);
    free(r);
}

vgt_status vgt_trace_reader_open(const char *path, const vgt_trace_reader_options *options,
                                 vgt_trace_reader **out, vgt_error *err)
{
    if (!path || !out) {
        return vgt_error_set(err, VGT_E_INVALID, "trace reader open: NULL argument");
    }
    *out = NULL;
    vgt_trace_reader *r = calloc(1, sizeof(*r));
    if (!r) {
        return vgt_error_set(err, VGT_E_NOMEM, "%s: out of memory", path);
    }
    r->fd = -1;
    if (options) {
        r->opt = *options;
    } else {
        vgt_trace_reader_options_init(&r->opt);
    }
    if (r->opt.chunk_cache < 2) {
        r->opt.chunk_cache = 2;
    }
    if (r->opt.chunk_cache > 64) {
        r->opt.chunk_cache = 64;
    }
    r->nslots = r->opt.chunk_cache;
    r->path = strdup(path);
    r->slots = calloc(r->nslots, sizeof(*r->slots));
    /* room for the first problems (a killed capture's missing footer and
     * torn chunk) before any is found: they are recorded whatever memory
     * is left then */
    if (r->opt.problems_listed > 0) {
        vgt_trace_problem_set_limit(&r->problems, r->opt.problems_listed);
    }
    bool room = vgt_trace_problem_set_reserve(&r->problems, PROBLEMS_FIRST) == VGT_OK;
    r->dctx = vgt_zstd_dctx_create();
    if (!r->path || !r->slots || !room || !r->dctx) {
        bool zstd = r->path && r->slots && room;
        vgt_trace_reader_close(r);
        return vgt_error_set(err, VGT_E_NOMEM, "%s: %s: out of memory", path,
                             zstd ? "cannot create zstd decompression context" : "reader");
    }
    for (uint32_t i = 0; i < r->nslots; i++) {
        r->slots[i].chunk = NO_CHUNK;
    }
    /* O_NONBLOCK: a FIFO's open would wait for a writer that may never
     * come (vgt info hung); it is refused below as not a regular file, and
     * a regular file's reads ignore the flag */
    r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    if (r->fd < 0 || fstat(r->fd, &sb) != 0) {
        vgt_status st = vgt_error_set(err, VGT_E_IO, "%s: cannot open: %s", path, strerror(errno));
        vgt_trace_reader_close(r);
        return st;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* a file that cannot be read as a trace, as a missing one: VGT_E_IO
         * (VGT_E_INVALID is a caller's bad argument, which vgt trim reports
         * as a usage error) */
        vgt_trace_reader_close(r);
        return vgt_error_set(err, VGT_E_IO, "%s: not a regular file", path);
    }
    r->file_size = (uint64_t)sb.st_size;
    vgt_status st = read_header(r, err);
    if (st != VGT_OK) {
        vgt_trace_reader_close(r);
        return st;
    }
    const char *why = NULL;
    st = load_footer(r, &why);
    if (st == VGT_OK) {
        r->footer_present = true;
    } else {
        size_t footer_problem = vgt_trace_problem_set_count(&r->problems);
        bool no_trailer = st == VGT_E_NOTFOUND;
        if (no_trailer) {
            problem(r, NULL, VGT_E_TRUNCATED, NO_CHUNK, r->file_size,
                    "no footer index (the trace was not closed); index rebuilt from the chunks");
        } else {
            problem(r, NULL, st, NO_CHUNK, r->file_size,
                    "footer index unusable (%s); index rebuilt from the chunks", why);
        }
        r->index_at = NO_CHUNK;
        st = walk_chunks(r, err);
        if (st == VGT_OK && no_trailer && r->index_at != NO_CHUNK &&
            footer_problem < vgt_trace_problem_set_listed(&r->problems)) {
            /* the chunks end at an index: the trace was closed, and its
             * trailer is not the file's last 40 bytes */
            char msg[VGT_TRACE_PROBLEM_MESSAGE_MAX];
            vgt_trace_problem q = *vgt_trace_problem_set_get(&r->problems, footer_problem);
            footer_misplaced(r, msg, sizeof(msg));
            q.message = msg;
            /* (without memory for the new message the old one stays: the
             * footer is missing all the same) */
            (void)vgt_trace_problem_set_replace(&r->problems, footer_problem, &q);
        }
        if (st == VGT_OK) {
            r->full_check = true;
            st = rebuild_index(r, err);
            r->full_check = false;
        }
        if (st != VGT_OK) {
            vgt_trace_reader_close(r);
            return st;
        }
        r->rebuilt = true;
    }
    rewind_reader(r);
    *out = r;
    return VGT_OK;
}

/* ---- queries -------------------------------------------------------------------------- */

const vgt_trace_header *vgt_trace_reader_header(const vgt_trace_reader *r)
{
    return &r->hdr;
}

void vgt_trace_reader_info(const vgt_trace_reader *r, vgt_trace_info *o)
{
    memset(o, 0, sizeof(*o));
    o->version_major = r->hdr.version_major;
    o->version_minor = r->hdr.version_minor;
    o->protocol_id = r->hdr.protocol_id;
    memcpy(o->protocol_name, r->hdr.protocol_name, sizeof(o->protocol_name));
    o->file_size = r->file_size;
    o->records = r->records;
    o->frames = r->nframes;
    o->complete_frames = r->complete_frames;
    o->chunks = r->nchunks;
    o->bytes_compressed = r->csize;
    o->bytes_uncompressed = r->usize;
    o->payload_bytes = r->payload_bytes;
    o->ratio = r->csize ? (double)r->usize / (double)r->csize : 0.0;
    o->dedup_refs = r->dedup_refs;
    o->dedup_unique = r->ndedups;
    o->dedup_bytes_saved = r->dedup_saved;
    o->footer_present = r->footer_present;
    o->index_rebuilt = r->rebuilt;
    o->problems = vgt_trace_problem_set_count(&r->problems) + r->problems_lost;
}

vgt_status vgt_trace_reader_verify(vgt_trace_reader *r, vgt_error *err)
{
    if (!r) {
        return vgt_error_set(err, VGT_E_INVALID, "trace verify: NULL reader");
    }
    size_t before = vgt_trace_problem_set_count(&r->problems);
    bool salvage = r->opt.salvage;
    r->opt.salvage = true;
    r->full_check = true;
    rewind_reader(r);
    /* Drop cached chunks so that every chunk is read and checked again. */
    for (uint32_t i = 0; i < r->nslots; i++) {
        r->slots[i].chunk = NO_CHUNK;
    }
    vgt_trace_record rec;
    vgt_error e = {0};
    vgt_status st;
    while ((st = vgt_trace_reader_next(r, &rec, &e)) == VGT_OK) {
    }
    r->opt.salvage = salvage;
    r->full_check = false;
    r->verify_stopped = st == VGT_E_NOMEM;
    if (st == VGT_E_NOMEM) {
        /* not every chunk was checked: no verdict */
        rewind_reader(r);
        if (err) {
            *err = e;
        }
        vgt_error_prefix(err, "verify");
        return st;
    }
    /* A walk that stopped at a damaged chunk header (normal mode) recorded
     * its problem at the open, naming the chunk and its offset: verify has
     * nothing to add (it once added the walk's error again, without the
     * chunk, so vgt info counted and listed that damage twice). */
    rewind_reader(r);
    size_t n = vgt_trace_problem_set_count(&r->problems);
    if (r->problems_lost > 0) {
        return vgt_error_set(err, VGT_E_NOMEM,
                             "%s: %zu integrity problem(s) found, %zu of them not recorded (out of "
                             "memory)",
                             r->path, n + r->problems_lost, r->problems_lost);
    }
    if (n > 0) {
        vgt_trace_problem p;
        (void)vgt_trace_problem_set_brief(&r->problems, before < n ? before : 0, &p);
        if (!*p.message) {
            /* one kept compact (past the problems listed): no message */
            return vgt_error_set(err, p.code,
                                 "%s: %zu integrity problem(s), first: chunk %llu at offset "
                                 "%llu (not listed)",
                                 r->path, n, (unsigned long long)p.chunk,
                                 (unsigned long long)p.offset);
        }
        return vgt_error_set(err, p.code, "%s: %zu integrity problem(s), first: %s", r->path, n,
                             p.message);
    }
    return VGT_OK;
}

vgt_status vgt_trace_reader_check_chunk(vgt_trace_reader *r, uint64_t i, vgt_error *err)
{
    if (!r) {
        return vgt_error_set(err, VGT_E_INVALID, "trace chunk check: NULL reader");
    }
    if (i >= r->nchunks) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "%s: no chunk %llu in the index (%llu chunks)",
                             r->path, (unsigned long long)i, (unsigned long long)r->nchunks);
    }
    rewind_reader(r);
    /* read from the file again, not from the cache, with the checksum of
     * the uncompressed bytes too */
    for (uint32_t k = 0; k < r->nslots; k++) {
        if (r->slots[k].chunk == i) {
            r->slots[k].chunk = NO_CHUNK;
        }
    }
    chunk_slot *s;
    r->full_check = true;
    r->uhash_wrong = false;
    vgt_status st = load_chunk(r, i, &s, err);
    /* Its payload references too, as verify checks them: a reference whose
     * target is not in the trace or does not match its size and hash is
     * this chunk's damage (it passed every checksum: they were written
     * with the reference), and vgt dump --chunks called the chunk sound
     * where vgt info reported it.  A target chunk's own damage is that
     * chunk's (its check reports it), not this one's. */
    r->cur = st == VGT_OK ? s : NULL; /* kept while targets load */
    for (uint32_t k = 0; st == VGT_OK && k < s->count; k++) {
        const uint8_t *p = s->data + s->offsets[k];
        if (vgt_load_le16(p + 8) != VGT_REC_PAYLOAD_REF) {
            continue;
        }
        vgt_trace_record rec = {.seq = r->chunks[i].first_record + k};
        bool target_bad = false;
        vgt_error rerr = {0}; /* err only when it fails this chunk */
        vgt_status rst = resolve_ref(r, i, p + REC_HDR_SIZE, &rec, &target_bad, &rerr);
        if (rst == VGT_E_NOMEM || (rst != VGT_OK && !target_bad)) {
            st = rst;
            if (err) {
                *err = rerr;
            }
        }
    }
    r->full_check = false;
    if (st == VGT_OK && r->uhash_wrong) {
        /* sound but for its uncompressed checksum: said (its problem has
         * `read`), not sound */
        const vgt_trace_chunk_info *c = &r->chunks[i];
        st = vgt_error_set(err, VGT_E_CHECKSUM,
                           "%s: chunk %llu at offset %llu: checksum mismatch in its %u "
                           "uncompressed bytes",
                           r->path, (unsigned long long)chunk_id(r, i),
                           (unsigned long long)c->offset, c->uncompressed_size);
    }
    rewind_reader(r);
    return st;
}

size_t vgt_trace_reader_problem_count(const vgt_trace_reader *r)
{
    return vgt_trace_problem_set_count(&r->problems);
}

bool vgt_trace_reader_verify_stopped(const vgt_trace_reader *r)
{
    return r && r->verify_stopped;
}

size_t vgt_trace_reader_problems_lost(const vgt_trace_reader *r)
{
    return r ? r->problems_lost : 0;
}

uint64_t vgt_trace_reader_reach(const vgt_trace_reader *r)
{
    return r ? r->reach : 0;
}

uint64_t vgt_trace_reader_chunks_skipped(const vgt_trace_reader *r)
{
    return r ? vgt_trace_problem_set_chunks_skipped(&r->problems, r->reach) : 0;
}

const vgt_trace_problem *vgt_trace_reader_problem(const vgt_trace_reader *r, size_t i)
{
    return vgt_trace_problem_set_get(&r->problems, i);
}

size_t vgt_trace_reader_problems_listed(const vgt_trace_reader *r)
{
    return vgt_trace_problem_set_listed(&r->problems);
}

bool vgt_trace_reader_problem_brief(const vgt_trace_reader *r, size_t i, vgt_trace_problem *out)
{
    return vgt_trace_problem_set_brief(&r->problems, i, out);
}

const vgt_trace_problem_set *vgt_trace_reader_problem_set(const vgt_trace_reader *r)
{
    return &r->problems;
}

uint64_t vgt_trace_reader_chunk_count(const vgt_trace_reader *r)
{
    return r->nchunks;
}

bool vgt_trace_reader_chunk(const vgt_trace_reader *r, uint64_t i, vgt_trace_chunk_info *out)
{
    if (i >= r->nchunks) {
        return false;
    }
    *out = r->chunks[i];
    out->id = chunk_id(r, i); /* the table keeps the ids beside it (NULL: the same) */
    return true;
}

bool vgt_trace_reader_chunk_find(const vgt_trace_reader *r, uint64_t id, vgt_trace_chunk_info *out)
{
    /* the ids ascend: a footer's table is numbered 0..n-1, and the walk
     * takes a chunk only with an id past the last one taken (walk_chunks'
     * expect_index, which never wraps).  Each caller scanned the table
     * for the id: vgt analyze --salvage and vgt diff --salvage, for each
     * damaged chunk (O(problems x chunks), endless on 10^6 of them). */
    uint64_t lo = 0, hi = r->nchunks;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (chunk_id(r, mid) < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return id != NO_CHUNK && lo < r->nchunks && chunk_id(r, lo) == id &&
           vgt_trace_reader_chunk(r, lo, out);
}

uint64_t vgt_trace_reader_frame_count(const vgt_trace_reader *r)
{
    return r->nframes;
}

bool vgt_trace_reader_frame(const vgt_trace_reader *r, uint64_t i, vgt_trace_frame_info *out)
{
    if (i >= r->nframes) {
        return false;
    }
    *out = r->frames[i];
    return true;
}

size_t vgt_trace_reader_type_stat_count(const vgt_trace_reader *r)
{
    return r->ntypes;
}

bool vgt_trace_reader_type_stat(const vgt_trace_reader *r, size_t i, vgt_trace_type_stat *out)
{
    if (i >= r->ntypes) {
        return false;
    }
    *out = r->types[i];
    return true;
}

size_t vgt_trace_reader_dedup_count(const vgt_trace_reader *r)
{
    return r->ndedups;
}

bool vgt_trace_reader_dedup(const vgt_trace_reader *r, size_t i, vgt_trace_dedup_info *out)
{
    if (i >= r->ndedups) {
        return false;
    }
    *out = r->dedups[i].info;
    return true;
}

void vgt_trace_reader_stats_get(const vgt_trace_reader *r, vgt_trace_reader_stats *out)
{
    *out = r->st;
}
