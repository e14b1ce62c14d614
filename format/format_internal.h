/* format_internal.h - byte layouts of the trace file (private to format/).
 * docs/format.md is the specification; these constants must match it. */
#ifndef VGT_FORMAT_INTERNAL_H
#define VGT_FORMAT_INTERNAL_H

#include "vgt_format.h"

#include <stdint.h>

/* The hash vgt_trace_problem_same agrees with: equal problems hash equal
 * (problem.c: the set's index; reader.c: the problems it could not record). */
uint64_t vgt_trace_problem_hash(const vgt_trace_problem *p);

/* Message storage (problem.c), the sets' and the reader's deferred gaps':
 * room for n more bytes in t's newest block (VGT_E_NOMEM: t unchanged);
 * a copy of p's message (cut as the compare cuts it) that never moves,
 * NULL without memory; and every block freed. */
vgt_status vgt_trace_problem_text_reserve(vgt_trace_problem_text *t, size_t n);
const char *vgt_trace_problem_text_put(vgt_trace_problem_text *t, const vgt_trace_problem *p);
void vgt_trace_problem_text_free(vgt_trace_problem_text *t);

/* File header: fixed part, then creator bytes, device config bytes, and an
 * XXH3_64 of everything before it. */
#define FH_MAGIC          "VGTTRACE"
#define FH_OFF_MAJOR      8
#define FH_OFF_MINOR      10
#define FH_OFF_SIZE       12
#define FH_OFF_FLAGS      16
#define FH_OFF_PROTO_ID   20
#define FH_OFF_PROTO_NAME 24
#define FH_OFF_START_TIME 40
#define FH_OFF_LEVEL      48
#define FH_OFF_CHUNK_SIZE 52
#define FH_OFF_START_FRM  56
#define FH_OFF_FRM_LIMIT  64
#define FH_OFF_DEDUP_MIN  72
#define FH_OFF_CREATOR_LN 76
#define FH_OFF_CONFIG_LN  80
#define FH_OFF_FIXED_SIZE 84
#define FH_FIXED_SIZE     88u
#define FH_MAX_SIZE       (FH_FIXED_SIZE + VGT_TRACE_CREATOR_MAX + VGT_TRACE_DEVICE_CONFIG_MAX + 8u)

/* Chunk header (80 bytes), followed by `compressed size` bytes: one zstd frame. */
#define CH_MAGIC         0x43544756u /* "VGTC" */
#define CH_SIZE          80u
#define CH_OFF_FLAGS     4
#define CH_OFF_INDEX     8
#define CH_OFF_FIRST_REC 16
#define CH_OFF_FIRST_FRM 24
#define CH_OFF_LAST_FRM  32
#define CH_OFF_REC_COUNT 40
#define CH_OFF_RESERVED  44
#define CH_OFF_CSIZE     48
#define CH_OFF_USIZE     52
#define CH_OFF_CHASH     56
#define CH_OFF_UHASH     64
#define CH_OFF_HHASH     72

/* Record header (16 bytes), followed by the payload. */
#define REC_HDR_SIZE 16u
/* PAYLOAD_REF payload: u64 target record, u32 size, u16 type, u16 flags,
 * u64 hash low, u64 hash high. */
#define REF_SIZE 32u

/* Footer index. */
#define IX_MAGIC          "VGTINDEX"
#define IX_FIXED_SIZE     96u
#define IX_CHUNK_ENTRY    48u
#define IX_FRAME_ENTRY    16u
#define IX_TYPE_ENTRY     32u
#define IX_DEDUP_ENTRY    48u
#define IX_OFF_CHUNKS     8
#define IX_OFF_FRAMES     16
#define IX_OFF_RECORDS    24
#define IX_OFF_TYPES      32
#define IX_OFF_DEDUPS     40
#define IX_OFF_DEDUP_REFS 48
#define IX_OFF_DEDUP_SAVE 56
#define IX_OFF_USIZE      64
#define IX_OFF_CSIZE      72
#define IX_OFF_PAYLOAD    80
#define IX_OFF_COMPLETE   88

/* Trailer: the last 40 bytes of a closed file. */
#define TR_MAGIC "VGTTRAIL"
#define TR_SIZE  40u

/* Largest uncompressed chunk body: a chunk holding one maximal record. */
#define MAX_CHUNK_USIZE ((uint64_t)VGT_TRACE_MAX_PAYLOAD + REC_HDR_SIZE)

#endif
