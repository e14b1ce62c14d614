/* vgt_format.h - the vgt trace container: a file header, a body of
 * independent zstd-compressed chunks of typed records, a footer index and a
 * fixed-size trailer.  The container knows nothing of SVGA: it stores typed,
 * timestamped records, numbers records and frames, deduplicates large
 * payloads by content hash, and finds any frame through its index.  The byte
 * layout is specified in docs/format.md.
 *
 * Ownership: a writer or reader is created by its open function and freed by
 * its close function.  Pointers handed out by a reader (header strings,
 * record payloads, problem messages) belong to the reader; a record payload
 * stays valid until the next call on that reader.
 *
 * Threads: one writer is used by one appending thread (it runs its own
 * compression thread(s) inside).  One reader is used by one thread at a time.
 */
#ifndef VGT_FORMAT_H
#define VGT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vgt_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvgt.so exports every function this header declares and nothing else:
 * its objects are built with -fvisibility=hidden (cmake/vgt_shared.cmake),
 * so a declaration here is the export (test_shared_symbols checks both ways). */
#pragma GCC visibility push(default)

/* ---- versions and limits ------------------------------------------------ */

#define VGT_TRACE_VERSION_MAJOR 1
#define VGT_TRACE_VERSION_MINOR 0

/* Largest payload of one record (1 GiB).  A record larger than the chunk size
 * gets a chunk of its own. */
#define VGT_TRACE_MAX_PAYLOAD (1u << 30)
/* The largest guest frame number a trace may start at: guest frame numbers
 * (start frame + trace frame) stay far from wrapping around 2^64 (2^62
 * frames at 1000 a second is 146 million years). */
#define VGT_TRACE_MAX_START_FRAME (1ull << 62)
/* Chunk size setting: limits and default (uncompressed bytes per chunk). */
#define VGT_TRACE_MIN_CHUNK_SIZE     256u
#define VGT_TRACE_MAX_CHUNK_SIZE     (256u << 20)
#define VGT_TRACE_DEFAULT_CHUNK_SIZE (2u << 20)
/* Payloads of at least this many bytes are deduplicated by default. */
#define VGT_TRACE_DEFAULT_DEDUP_MIN 4096u
/* Longest protocol name (without the NUL) and creator string. */
#define VGT_TRACE_PROTOCOL_NAME_MAX 15u
#define VGT_TRACE_CREATOR_MAX       4096u
/* Largest device configuration blob stored in the header. */
#define VGT_TRACE_DEVICE_CONFIG_MAX (1u << 20)

/* ---- record types --------------------------------------------------------
 * Types 0x0000..0x0FFF belong to the container; 0x1000..0xFFFF to the caller.
 * The "well-known" user types below are names the vgt layers agree on; the
 * container treats them like any other user type. */
enum {
    VGT_REC_INVALID = 0x0000,     /* never stored */
    VGT_REC_FRAME_END = 0x0001,   /* ends the current frame (frame boundary) */
    VGT_REC_PAYLOAD_REF = 0x0002, /* dedup reference; resolved by the reader, never returned */
    VGT_REC_MARKER = 0x0003,      /* free-form annotation (e.g. UTF-8 text) */
    VGT_REC_CONTAINER_LAST = 0x0FFF,

    VGT_REC_USER_FIRST = 0x1000,
    VGT_REC_COMMAND = 0x1000,        /* a command as the guest wrote it (raw words) */
    VGT_REC_DMA_DATA = 0x1001,       /* bytes the device read from guest memory */
    VGT_REC_REGISTER_WRITE = 0x1002, /* a register write that matters */
    VGT_REC_FENCE = 0x1003,          /* a fence inserted/passed */
    VGT_REC_FRAME_HASH = 0x1004,     /* hash of a presented frame as rendered live */
    VGT_REC_TIMING = 0x1005,         /* timing sample */
    VGT_REC_ERROR = 0x1006,          /* an error the device raised */
    VGT_REC_SNAPSHOT = 0x1007,       /* device state snapshot */
    VGT_REC_COMMAND_BATCH = 0x1008,  /* consecutive commands, their words and offsets in columns */
    VGT_REC_USER_LAST = 0xFFFF,
};

/* Registers a display name for a record type (used by `vgt info`/`vgt dump`);
 * `name` must stay valid for the life of the process.  Call at start-up (not
 * thread-safe).  Fails with VGT_E_INVALID for container types. */
vgt_status vgt_trace_register_type_name(uint16_t type, const char *name);
/* The name of a record type (registered, well-known or container), or NULL. */
const char *vgt_trace_type_name(uint16_t type);

/* ---- header ---------------------------------------------------------------- */

/* What the file header holds.  For the writer, the caller fills the
 * descriptive part (protocol, device_config, creator, start time); pointers
 * are copied at open.  For the reader, every field is filled and pointers
 * belong to the reader. */
typedef struct vgt_trace_header {
    uint16_t version_major; /* reader: as stored; writer: ignored */
    uint16_t version_minor;
    uint32_t protocol_id;                                /* e.g. 0x32414753 for "SVGA2" */
    char protocol_name[VGT_TRACE_PROTOCOL_NAME_MAX + 1]; /* NUL-terminated, e.g. "svga2" */
    const void *device_config; /* opaque caller bytes (VRAM/FIFO sizes, 3D caps) */
    size_t device_config_size;
    const char *creator;    /* e.g. "vgt 0.1.0 capture"; NULL means "" */
    uint64_t start_time_ns; /* wall clock, ns since the epoch; writer: 0 means now */
    /* capture settings (the reader fills them from the file; the writer takes
     * them from vgt_trace_writer_settings) */
    int32_t compression_level;
    uint32_t chunk_size;
    uint32_t dedup_min_size; /* 0 when dedup was disabled */
    uint64_t start_frame; /* guest frame number of trace frame 0 (<= VGT_TRACE_MAX_START_FRAME) */
    uint64_t frame_limit; /* 0 = none (informational; capture enforces it) */
} vgt_trace_header;

/* ---- writer ------------------------------------------------------------------ */

/* Whether the writer takes this zstd level (zstd's own range: its negative
 * fast levels up to its maximum, 22). */
bool vgt_trace_compression_level_valid(int level);

typedef struct vgt_trace_writer vgt_trace_writer;

typedef struct vgt_trace_writer_settings {
    int compression_level;     /* zstd level, default 3 */
    uint32_t chunk_size;       /* uncompressed bytes per chunk, default 2 MiB */
    uint32_t queue_depth;      /* full chunks waiting for compression, default 4 */
    uint32_t compress_threads; /* background compression threads, default 1 */
    uint32_t dedup_min_size;   /* dedup payloads >= this, default 4096; 0 disables */
    uint64_t start_frame;      /* stored in the header (<= VGT_TRACE_MAX_START_FRAME) */
    uint64_t frame_limit;      /* stored in the header */
    bool fsync_on_flush;       /* flush/close also fdatasync() the file */
    /* > 0: the compression threads lower their priority to this nice value
     * (Linux: per thread), so that they use the CPU time the producer's
     * threads leave idle instead of preempting them; a producer that
     * outruns them waits for a free chunk as always. 0: unchanged. A
     * process already nicer keeps its own value (never raised). */
    int compress_nice;
    /* The compression threads run as SCHED_IDLE (Linux: per thread): any
     * other thread that wakes on their CPU takes it at once, where a nice
     * thread may first finish its slice.  When the policy cannot be set,
     * compress_nice applies. */
    bool compress_idle;
    /* Fault injection for tests: when non-zero, the file write that would take
     * the file past this many bytes writes up to the limit and then fails with
     * ENOSPC, as a full disk does. */
    uint64_t fail_after_bytes;
} vgt_trace_writer_settings;

/* Writer counters (see vgt_trace_writer_stats). */
typedef struct vgt_trace_writer_stats {
    uint64_t records;            /* records appended (references included) */
    uint64_t frames_ended;       /* FRAME_END records appended */
    uint64_t chunks_submitted;   /* chunks handed to the compressor */
    uint64_t chunks_written;     /* chunks on disk */
    uint64_t payload_bytes;      /* logical payload bytes appended */
    uint64_t bytes_uncompressed; /* record bytes put into chunks */
    uint64_t bytes_compressed;   /* compressed chunk bodies written */
    uint64_t file_bytes;         /* bytes written to the file so far */
    uint64_t dedup_refs;         /* payloads replaced by a reference */
    uint64_t dedup_bytes_saved;  /* payload bytes not stored thanks to dedup */
    uint64_t queue_waits;        /* times the appender blocked on a full queue */
    uint64_t queue_wait_ns;      /* total time it spent blocked */
    uint64_t compress_ns;        /* time the compressor threads spent in zstd */
    uint64_t write_ns;           /* time spent in write(2) for chunks */
    uint64_t compress_cpu_ns;    /* CPU time of the compression threads so far (all their work) */
    int compress_nice;           /* the nice value a compression thread runs at (once one ran) */
    bool compress_idle;          /* a compression thread runs as SCHED_IDLE (once one ran) */
} vgt_trace_writer_stats;

/* One piece of a gathered payload. */
typedef struct vgt_trace_iov {
    const void *data;
    size_t size;
} vgt_trace_iov;

/* The trace's hashes (docs/format.md), all seed 0: XXH3_64 of a byte
 * range (the chunk, index and trailer checks), XXH3_128 of a payload given
 * in pieces (deduplicated payloads and their references), and XXH3_64 of
 * `rows` rows of `row_bytes` bytes, `stride` bytes apart, as if they were
 * back to back (FRAME_HASH).  Through vgt's own AVX2 build where the CPU
 * has AVX2, else the distribution's libxxhash: the same values either way. */
uint64_t vgt_trace_hash64(const void *data, size_t size);
void vgt_trace_hash128(const vgt_trace_iov *iov, size_t count, uint64_t *lo, uint64_t *hi);
uint64_t vgt_trace_hash_rows(const uint8_t *pixels, size_t row_bytes, size_t stride, uint32_t rows);
/* The row tree: XXH3_64 of the rows' own XXH3_64 hashes, each as 8
 * little-endian bytes, top to bottom (FRAME_HASH with its ROWS flag), so
 * that a frame whose rows mostly did not change is hashed by its changed
 * rows.  vgt_trace_hash_row_tree computes it whole; vgt_trace_hash_each_row
 * hashes `count` rows from `pixels` into out[0..count-1], and
 * vgt_trace_hash_of_row_hashes combines a whole frame's row hashes. */
uint64_t vgt_trace_hash_row_tree(const uint8_t *pixels, size_t row_bytes, size_t stride,
                                 uint32_t rows);
void vgt_trace_hash_each_row(const uint8_t *pixels, size_t row_bytes, size_t stride, uint32_t count,
                             uint64_t *out);
uint64_t vgt_trace_hash_of_row_hashes(const uint64_t *hashes, uint32_t rows);
/* Whether these go through the AVX2 build: the CPU has AVX2 and
 * VGT_NO_AVX2 is unset, empty or "0" (decided at the first call). */
bool vgt_trace_hash_uses_avx2(void);

/* Fills settings with the defaults. */
void vgt_trace_writer_settings_init(vgt_trace_writer_settings *settings);
/* Creates `path` (vgt_file_create) and writes the header; settings may be NULL
 * (defaults).  On success *out is a writer the caller must close. */
vgt_status vgt_trace_writer_open(const char *path, const vgt_trace_writer_settings *settings,
                                 const vgt_trace_header *header, vgt_trace_writer **out,
                                 vgt_error *err);
/* Like vgt_trace_writer_open on an fd opened for writing by the caller; the
 * writer writes sequentially from the fd's current position and does not
 * close the fd. */
vgt_status vgt_trace_writer_open_fd(int fd, const vgt_trace_writer_settings *settings,
                                    const vgt_trace_header *header, vgt_trace_writer **out,
                                    vgt_error *err);
/* Appends one record (payload copied).  type must be a user type or
 * VGT_REC_MARKER or VGT_REC_FRAME_END (the latter ends the frame).  Blocks
 * while the compression queue is full.  Fails with the stored error after a
 * write failure. */
vgt_status vgt_trace_writer_append(vgt_trace_writer *w, uint16_t type, uint16_t flags,
                                   uint64_t timestamp_ns, const void *payload, size_t size,
                                   vgt_error *err);
/* Appends one record whose payload is the concatenation of iov[0..count). */
vgt_status vgt_trace_writer_appendv(vgt_trace_writer *w, uint16_t type, uint16_t flags,
                                    uint64_t timestamp_ns, const vgt_trace_iov *iov, size_t count,
                                    vgt_error *err);
/* The fast path for the small records a capture writes per command: when the
 * record fits the current chunk without ending it, belongs to the open frame,
 * is of a user type already written once and is below the dedup threshold,
 * writes its header, counts it, and returns where its `size` payload bytes go
 * (in the current chunk: the caller fills all of them before its next call on
 * this writer).  Otherwise (or after a failure) returns NULL and writes
 * nothing: the caller appends the record with vgt_trace_writer_append(v),
 * which handles every case.  The result is byte for byte the same. */
uint8_t *vgt_trace_writer_reserve(vgt_trace_writer *w, uint16_t type, uint16_t flags,
                                  uint64_t timestamp_ns, size_t size);
/* Appends a FRAME_END record: the current frame ends, the next record starts
 * frame vgt_trace_writer_frame()+1. */
vgt_status vgt_trace_writer_frame_end(vgt_trace_writer *w, uint64_t timestamp_ns, vgt_error *err);
/* The frame number the next record will belong to (trace frames count from 0). */
uint64_t vgt_trace_writer_frame(const vgt_trace_writer *w);
/* The record number the next record will get (records count from 0). */
uint64_t vgt_trace_writer_next_record(const vgt_trace_writer *w);
/* Ends the current chunk and waits until every chunk is written to the file
 * (and fdatasync'ed with fsync_on_flush).  After a write failure the file is
 * valid up to its last whole chunk and this returns the failure. */
vgt_status vgt_trace_writer_flush(vgt_trace_writer *w, vgt_error *err);
/* Flushes, writes the footer index and the trailer, closes the file and frees
 * the writer (always, even on failure).  NULL is a no-op. */
vgt_status vgt_trace_writer_close(vgt_trace_writer *w, vgt_error *err);
/* Copies the writer's counters into *out. */
void vgt_trace_writer_stats_get(vgt_trace_writer *w, vgt_trace_writer_stats *out);

/* ---- reader ------------------------------------------------------------------ */

typedef struct vgt_trace_reader vgt_trace_reader;

typedef struct vgt_trace_reader_options {
    bool salvage;           /* iterate past bad chunks (recording a problem) instead of failing */
    uint32_t chunk_cache;   /* decompressed chunks kept (LRU), default 4, min 2 */
    uint64_t payload_cache; /* bytes of dedup-target payloads kept, default 128 MiB */
    /* problems kept whole, with their messages; those past them are kept
       compact, counted and not listed (0: VGT_TRACE_PROBLEMS_LISTED) */
    size_t problems_listed;
} vgt_trace_reader_options;

/* One record as returned by the reader. */
typedef struct vgt_trace_record {
    uint64_t seq;          /* record number, from 0 */
    uint64_t frame;        /* trace frame number, from 0 */
    uint64_t timestamp_ns; /* as given by the writer's caller */
    uint16_t type;
    uint16_t flags;
    uint32_t size;          /* payload bytes */
    const uint8_t *payload; /* valid until the next call on the reader */
    bool deduplicated;      /* stored as a reference to record ref_seq */
    uint64_t ref_seq;
} vgt_trace_record;

/* Summary of a trace (see vgt_trace_reader_info). */
typedef struct vgt_trace_info {
    uint16_t version_major, version_minor;
    uint32_t protocol_id;
    char protocol_name[VGT_TRACE_PROTOCOL_NAME_MAX + 1];
    uint64_t file_size;
    uint64_t records;
    uint64_t frames;          /* frames with at least one record */
    uint64_t complete_frames; /* FRAME_END records */
    uint64_t chunks;
    uint64_t bytes_compressed;   /* compressed chunk bodies */
    uint64_t bytes_uncompressed; /* uncompressed chunk bodies (records as stored) */
    uint64_t payload_bytes;      /* logical payload bytes, references resolved */
    double ratio;                /* bytes_uncompressed / bytes_compressed */
    uint64_t dedup_refs;         /* reference records */
    uint64_t dedup_unique;       /* distinct payloads referenced */
    uint64_t dedup_bytes_saved;  /* payload bytes the references stand for */
    bool footer_present;         /* index read from the footer */
    bool index_rebuilt;          /* index rebuilt by walking the chunks */
    size_t
        problems; /* integrity problems found so far (with any not recorded for lack of memory) */
} vgt_trace_info;

/* The longest message a problem holds, its NUL included: a longer one is
 * cut to VGT_TRACE_PROBLEM_MESSAGE_MAX - 1 bytes where it is kept. */
#define VGT_TRACE_PROBLEM_MESSAGE_MAX 256u

/* One integrity problem. */
typedef struct vgt_trace_problem {
    vgt_status code; /* VGT_E_CHECKSUM, VGT_E_TRUNCATED, VGT_E_FORMAT, ... */
    /* the chunk's records were read all the same (chunks 0): only the
       checksum of its uncompressed bytes is wrong, which verify,
       check_chunk and the index rebuild check and a read does not
       (docs/format.md, "Checksums") */
    bool read;
    uint64_t chunk;  /* chunk index, or UINT64_MAX when not about one chunk */
    uint64_t offset; /* file offset where the problem is */
    /* the chunk ids from `chunk` whose records it lost: 1 for a damaged or
       torn chunk, every one a salvage gap lost ("missing, with the N chunks
       after it"), 0 when not about one chunk (the footer) */
    uint64_t chunks;
    /* NUL-terminated, owned by what holds the problem: a reader's or a
       set's message is stored at its own length in blocks that never move,
       valid until the reader is closed or the set freed (a damaged chunk of
       ~105 bytes in the file once cost a fixed 256-byte message; a hostile
       trace of them made the reader use 4.5 times the file's size) */
    const char *message;
} vgt_trace_problem;

/* A problem with its message held inline, for the results that outlive
 * the reader that found it (vgt_trim_stats, vgt_analyze_result,
 * vgt_diff_result, vgt_pixel_history).  problem.message is NULL: read it
 * through vgt_trace_problem_copy_view. */
typedef struct vgt_trace_problem_copy {
    vgt_trace_problem problem;
    char message[VGT_TRACE_PROBLEM_MESSAGE_MAX];
} vgt_trace_problem_copy;
/* Copies p, its message too (cut to VGT_TRACE_PROBLEM_MESSAGE_MAX - 1
 * bytes), into *c. */
void vgt_trace_problem_copy_set(vgt_trace_problem_copy *c, const vgt_trace_problem *p);
/* c's problem, its message pointing into c (valid while c is). */
vgt_trace_problem vgt_trace_problem_copy_view(const vgt_trace_problem_copy *c);

/* One entry of the chunk table. */
typedef struct vgt_trace_chunk_info {
    uint64_t id;     /* the chunk index its header states, as problems name it (a
                        walked index's entry i may be a later chunk: the ones it
                        could not read are left out) */
    uint64_t offset; /* file offset of the chunk header */
    uint64_t first_record;
    uint64_t first_frame;
    uint64_t last_frame; /* frame of the chunk's last record */
    uint32_t record_count;
    uint32_t compressed_size;
    uint32_t uncompressed_size;
} vgt_trace_chunk_info;

/* One entry of the frame index. */
typedef struct vgt_trace_frame_info {
    uint64_t chunk;        /* index of the chunk holding the frame's first record */
    uint64_t first_record; /* record number of the frame's first record (an index
                              rebuilt without the footer: a frame that starts in a
                              damaged chunk, the chunk's first record; a frame lost
                              to a salvage gap, chunk and record UINT64_MAX) */
} vgt_trace_frame_info;

/* Per-type totals (logical type: a reference counts as its original type). */
typedef struct vgt_trace_type_stat {
    uint16_t type;
    uint64_t records;
    uint64_t payload_bytes; /* logical */
    uint64_t stored_bytes;  /* payload bytes actually stored (references: 32 each) */
} vgt_trace_type_stat;

/* One dedup table entry: a stored payload that later records reference. */
typedef struct vgt_trace_dedup_info {
    uint64_t hash_lo, hash_hi; /* XXH3_128bits of the payload */
    uint64_t record;           /* record number of the stored copy */
    uint64_t chunk;            /* chunk holding it */
    uint32_t size;
    uint64_t references;
} vgt_trace_dedup_info;

/* Reader counters. */
typedef struct vgt_trace_reader_stats {
    uint64_t bytes_read;          /* bytes read from the file (header, index, chunks) */
    uint64_t chunks_decompressed; /* chunk decompressions (cache misses) */
    uint64_t chunk_cache_hits;
    uint64_t payload_cache_hits;
} vgt_trace_reader_stats;

/* Fills options with the defaults. */
void vgt_trace_reader_options_init(vgt_trace_reader_options *options);
/* Opens a trace: reads the header and the footer index, or rebuilds the index
 * by walking the chunks when the footer is missing or corrupt (problems are
 * recorded, not fatal; no memory for a chunk fails with VGT_E_NOMEM).  Fails for an unreadable
 * file (missing, or not a regular file, a FIFO at once without waiting for a writer:
 * VGT_E_IO), a bad header or a newer
 * major version (VGT_E_VERSION).  options may be NULL. */
vgt_status vgt_trace_reader_open(const char *path, const vgt_trace_reader_options *options,
                                 vgt_trace_reader **out, vgt_error *err);
/* Closes the file and frees the reader.  NULL is a no-op. */
void vgt_trace_reader_close(vgt_trace_reader *r);
/* The file header (owned by the reader). */
const vgt_trace_header *vgt_trace_reader_header(const vgt_trace_reader *r);
/* Fills *out with the summary of the trace. */
void vgt_trace_reader_info(const vgt_trace_reader *r, vgt_trace_info *out);
/* Returns the next record in *out (VGT_OK), VGT_E_END after the last one, or
 * an error naming the chunk and its offset.  In salvage mode a bad chunk is
 * recorded as a problem and skipped.  VGT_E_NOMEM (no memory to load or
 * decompress a chunk) is not a bad chunk: never skipped, and the next call
 * tries the same record again; other errors stay until a seek. */
vgt_status vgt_trace_reader_next(vgt_trace_reader *r, vgt_trace_record *out, vgt_error *err);
/* Positions the reader so that next() returns the first record of `frame`;
 * decompresses only the chunk holding it.  VGT_E_NOTFOUND if no such frame.
 * In salvage mode a damaged chunk holding it is recorded as a problem and
 * the reader stands at that chunk: next() skips it and returns the first
 * readable record after it (both seeks). */
vgt_status vgt_trace_reader_seek_frame(vgt_trace_reader *r, uint64_t frame, vgt_error *err);
/* Positions the reader so that next() returns record number `seq`.  A
 * failed seek (both seeks) other than VGT_E_NOTFOUND (a damaged chunk in
 * normal mode, no memory, a frame index that lies) leaves the reader
 * without a position: next() returns the seek's error until a seek
 * succeeds.  VGT_E_NOTFOUND leaves the reader where it was. */
vgt_status vgt_trace_reader_seek_record(vgt_trace_reader *r, uint64_t seq, vgt_error *err);
/* Reads and checks every chunk (checksums, record framing, references),
 * recording problems; returns VGT_OK when none was found, VGT_E_NOMEM when a
 * chunk could not be checked for lack of memory or when problems were found
 * with no memory to record them (vgt_trace_reader_problems_lost). */
vgt_status vgt_trace_reader_verify(vgt_trace_reader *r, vgt_error *err);
/* Whether the last vgt_trace_reader_verify of r stopped before the last
 * chunk for lack of memory (what it said of the chunks after is nothing);
 * false before any verify.  Its VGT_E_NOMEM says one of two things: this,
 * or problems it could not record. */
bool vgt_trace_reader_verify_stopped(const vgt_trace_reader *r);
/* Reads and checks chunk table entry i on its own, as verify checks each
 * chunk: its header against the index, both checksums, decompression, its
 * records' framing and its payload references against their targets (a
 * reference that does not match is this chunk's damage; a target chunk's
 * own damage is that chunk's, recorded naming it, and does not fail this
 * one).  A damaged chunk is recorded as a problem naming it.  Returns
 * VGT_OK when it is sound, VGT_E_CHECKSUM with a problem that has `read`
 * set when only its uncompressed checksum is wrong (reads deliver its
 * records), VGT_E_NOTFOUND when there is no entry i, VGT_E_NOMEM when it
 * could not be checked; the reader is rewound to record 0, as after
 * verify. */
vgt_status vgt_trace_reader_check_chunk(vgt_trace_reader *r, uint64_t i, vgt_error *err);
/* A problem's message without its leading "chunk N at offset O: " (every
 * message about a chunk begins so), for callers that print the chunk and
 * offset before it themselves; the whole message otherwise. */
const char *vgt_trace_problem_detail(const vgt_trace_problem *p);
/* True when a and b are one problem (code, chunk, offset and message: a
 * damaged chunk header and the gap it left share the rest), as a reader
 * records each once. */
bool vgt_trace_problem_same(const vgt_trace_problem *a, const vgt_trace_problem *b);
/* The problems a set keeps whole, with their messages, by default: the
 * first 4096 (a list longer than a person reads; at most ~1.3 MB with the
 * longest messages).  Past them a set keeps each problem compact: its
 * code, chunk, offset, lost chunks and a 52-bit hash of the rest (32 bytes
 * and its index slots, no message), so that a hostile trace of 10^6
 * damaged chunks costs ~40 bytes a problem where a damaged chunk is
 * 105-169 bytes of file, and every count stays exact (docs/security.md). */
#define VGT_TRACE_PROBLEMS_LISTED 4096u
/* A set of problems, each kept once (vgt_trace_problem_same) in the order
 * added: the reader's, and vgt trim's over its two readers.  The first
 * `listed` (VGT_TRACE_PROBLEMS_LISTED unless vgt_trace_problem_set_limit
 * says otherwise) are kept whole; every one after them compact (brief).
 * A problem is found in it through a hash index in O(1), not by a scan of
 * every one (a hostile trace of 10^6 damaged chunks: 5 * 10^11
 * compares).  Zero it to start, free it with vgt_trace_problem_set_free;
 * use the functions, not the fields. */
typedef struct vgt_trace_problem_index {
    uint32_t *slots; /* 1 + an index into the set's problems; 0: empty */
    size_t cap;      /* slots: 0 or a power of two */
    size_t count;    /* indices added */
} vgt_trace_problem_index;
/* The set's messages, each at its own length + 1, in blocks that never
 * move (a message stays where it was put as the set grows). */
typedef struct vgt_trace_problem_text {
    struct vgt_trace_problem_text_block *last; /* the newest block; each links to the one before */
    size_t bytes;                              /* allocated for every block */
} vgt_trace_problem_text;
typedef struct vgt_trace_problem_set {
    vgt_trace_problem *items; /* the problems kept whole */
    size_t count, cap;
    vgt_trace_problem_index index;
    vgt_trace_problem_text text;
    size_t listed; /* the most kept whole; 0: VGT_TRACE_PROBLEMS_LISTED */
    /* the compact problems after them, in blocks of a fixed size */
    struct vgt_trace_problem_brief **briefs;
    size_t nbrief, blocks, blocks_cap;
} vgt_trace_problem_set;
/* Keeps at most n problems whole (n >= 1), before the first add. */
void vgt_trace_problem_set_limit(vgt_trace_problem_set *s, size_t n);
/* Adds a copy of p, unless the set holds the same problem; *added (may be
 * NULL) says which.  Whole (its message copied into the set's storage, cut
 * to VGT_TRACE_PROBLEM_MESSAGE_MAX - 1 bytes) while the set has fewer than
 * its limit whole and none compact, compact after.  VGT_E_NOMEM (the set
 * unchanged, *added false) when it has no memory to grow: the caller
 * counts the problem as not recorded. */
vgt_status vgt_trace_problem_set_add(vgt_trace_problem_set *s, const vgt_trace_problem *p,
                                     bool *added);
/* vgt_trace_problem_set_add of problem i of `from`, whole or compact (a
 * compact one stays compact, its identity kept: vgt trim's union of its
 * two readers' problems). */
vgt_status vgt_trace_problem_set_add_from(vgt_trace_problem_set *s,
                                          const vgt_trace_problem_set *from, size_t i, bool *added);
/* Room for n problems, so that adding the first n needs no memory (the
 * reader's first problems at its open are recorded whatever is left). */
vgt_status vgt_trace_problem_set_reserve(vgt_trace_problem_set *s, size_t n);
/* Number of problems, whole and compact (exact: what every count says). */
size_t vgt_trace_problem_set_count(const vgt_trace_problem_set *s);
/* Number of problems kept whole: problems 0 .. listed - 1, the ones a
 * verb lists; count - listed are counted and not listed. */
size_t vgt_trace_problem_set_listed(const vgt_trace_problem_set *s);
/* Problem i kept whole (NULL at and past vgt_trace_problem_set_listed; the
 * pointer is valid until the next add, its message until the set is
 * freed). */
const vgt_trace_problem *vgt_trace_problem_set_get(const vgt_trace_problem_set *s, size_t i);
/* Problem i, whole or compact, copied into *out: code, read, chunk,
 * offset and chunks; message as get's for a whole one, "" for a compact
 * one.  False past the count.  What a consumer that walks every problem
 * for its chunk reads (damaged frames, skipped chunks). */
bool vgt_trace_problem_set_brief(const vgt_trace_problem_set *s, size_t i, vgt_trace_problem *out);
/* Replaces problem i by p, its message copied (the reader rewrites its
 * missing-footer problem once it knows more), keeping the index true;
 * no-op past the count; VGT_E_NOMEM (problem i as it was) without memory
 * for the message. */
vgt_status vgt_trace_problem_set_replace(vgt_trace_problem_set *s, size_t i,
                                         const vgt_trace_problem *p);
/* The bytes the set holds for its problems: the array, the index, the
 * messages' blocks and the compact problems' (what a hostile trace's
 * problems cost). */
size_t vgt_trace_problem_set_bytes(const vgt_trace_problem_set *s);
/* vgt_trace_chunks_skipped of the set's problems, whole and compact. */
uint64_t vgt_trace_problem_set_chunks_skipped(const vgt_trace_problem_set *s, uint64_t reach);
/* Frees the set's memory and zeroes it. */
void vgt_trace_problem_set_free(vgt_trace_problem_set *s);
/* "N chunks skipped", the one count every verb says (docs/format.md,
 * "Skipped chunks"): the chunk ids below reach whose records the
 * problems[0..n) say lost (a problem's [chunk, chunk + chunks)), each id
 * once however many problems, readers or passes name it.  reach: how far
 * the reads went (vgt_trace_reader_reach; the largest of several readers'),
 * UINT64_MAX for every chunk. */
uint64_t vgt_trace_chunks_skipped(const vgt_trace_problem *problems, size_t n, uint64_t reach);
/* 1 + the highest chunk id a read of r (next, after any seek) returned
 * records of or went past, UINT64_MAX once a read reached the end of the
 * trace, 0 before any read: a damaged chunk past it is one no read needed. */
uint64_t vgt_trace_reader_reach(const vgt_trace_reader *r);
/* vgt_trace_chunks_skipped of r's problems so far and its reach. */
uint64_t vgt_trace_reader_chunks_skipped(const vgt_trace_reader *r);
/* Number of integrity problems recorded so far, whole and compact
 * (vgt_trace_problem_set_count), and problem i kept whole (NULL at and
 * past vgt_trace_reader_problems_listed; owned by r: the pointer valid
 * until r reads on, its message until r is closed). */
size_t vgt_trace_reader_problem_count(const vgt_trace_reader *r);
/* Number of the recorded problems kept whole, the first ones (the reader
 * option problems_listed): the rest are counted, not listed. */
size_t vgt_trace_reader_problems_listed(const vgt_trace_reader *r);
/* Recorded problem i, whole or compact, into *out
 * (vgt_trace_problem_set_brief); false past the count. */
bool vgt_trace_reader_problem_brief(const vgt_trace_reader *r, size_t i, vgt_trace_problem *out);
/* r's problem set (owned by r), for a union of several readers' problems
 * (vgt_trace_problem_set_add_from). */
const vgt_trace_problem_set *vgt_trace_reader_problem_set(const vgt_trace_reader *r);
/* Number of integrity problems found so far with no memory left to record
 * them (counted, not listed: vgt_trace_info.problems includes them).  A
 * trace with any is not sound, whatever the recorded ones say. */
size_t vgt_trace_reader_problems_lost(const vgt_trace_reader *r);
const vgt_trace_problem *vgt_trace_reader_problem(const vgt_trace_reader *r, size_t i);
/* The index tables: counts, and entry i copied into *out (false if out of range). */
uint64_t vgt_trace_reader_chunk_count(const vgt_trace_reader *r);
bool vgt_trace_reader_chunk(const vgt_trace_reader *r, uint64_t i, vgt_trace_chunk_info *out);
/* The table entry of the chunk whose header states index `id` (as a
 * problem names its chunk), copied into *out; false when the table does
 * not list it (a walked index leaves out the chunks it could not read) or
 * id is UINT64_MAX (no chunk).  A binary search: the ids ascend. */
bool vgt_trace_reader_chunk_find(const vgt_trace_reader *r, uint64_t id, vgt_trace_chunk_info *out);
uint64_t vgt_trace_reader_frame_count(const vgt_trace_reader *r);
bool vgt_trace_reader_frame(const vgt_trace_reader *r, uint64_t i, vgt_trace_frame_info *out);
size_t vgt_trace_reader_type_stat_count(const vgt_trace_reader *r);
bool vgt_trace_reader_type_stat(const vgt_trace_reader *r, size_t i, vgt_trace_type_stat *out);
size_t vgt_trace_reader_dedup_count(const vgt_trace_reader *r);
bool vgt_trace_reader_dedup(const vgt_trace_reader *r, size_t i, vgt_trace_dedup_info *out);
/* Copies the reader's counters into *out. */
void vgt_trace_reader_stats_get(const vgt_trace_reader *r, vgt_trace_reader_stats *out);

/* ---- zstd contexts ---------------------------------------------------------
 * Every zstd context vgt makes (writer, reader, benchmarks, tools) comes from
 * these: libzstd then allocates through malloc/free called from vgt code, so
 * the allocation-failure tests reach its allocations too (format/zstd_mem.c).
 * Free them with ZSTD_freeCCtx / ZSTD_freeDCtx (the caller owns them). */
struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
/* A new compression context (NULL without memory), allocating through vgt. */
struct ZSTD_CCtx_s *vgt_zstd_cctx_create(void);
/* A new decompression context (NULL without memory), allocating through vgt. */
struct ZSTD_DCtx_s *vgt_zstd_dctx_create(void);

typedef struct vgt_zstd_mem_stats {
    uint64_t allocations; /* made by libzstd for vgt's contexts, process-wide */
    uint64_t failures;    /* of those, the ones malloc refused */
} vgt_zstd_mem_stats;
/* Copies the process-wide counts of libzstd's allocations into *out. */
void vgt_zstd_mem_stats_get(vgt_zstd_mem_stats *out);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* VGT_FORMAT_H */
