/* snapshot_record.c - the SNAPSHOT record (docs/format.md): the register
 * file and the executor's display, 3D and video state, written by the
 * capture when it starts mid-run and by vgt trim when the cut starts after
 * the trace's first frame.  One writer of the layout for both. */
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void section(uint8_t *s, uint32_t tag, uint64_t size)
{
    vgt_store_le32(s, tag);
    vgt_store_le32(s + 4, 0);
    vgt_store_le64(s + 8, size);
}

vgt_status vgt_snapshot_append(vgt_trace_writer *w, vgt_executor *ex, uint64_t frame,
                               uint64_t next_seq, uint64_t timestamp_ns,
                               const vgt_snapshot_reg *regs, size_t nregs,
                               const uint32_t *last_fence, const char *too_large_hint,
                               vgt_snapshot_3d_info *info, uint64_t *bytes, vgt_error *err)
{
    vgt_snapshot_3d_info local;
    if (!info) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));
    if (bytes) {
        *bytes = 0;
    }
    if (nregs > VGT_SNAPSHOT_MAX_REGS) {
        return vgt_error_set(err, VGT_E_INVALID, "snapshot: %zu registers (at most %u)", nregs,
                             VGT_SNAPSHOT_MAX_REGS);
    }
    uint8_t *ex2d = NULL, *ex3d = NULL, *exvo = NULL;
    size_t ex2d_size = 0, ex3d_size = 0, exvo_size = 0;
    vgt_status st;
    if ((st = vgt_executor_snapshot_save(ex, &ex2d, &ex2d_size, err)) != VGT_OK ||
        (st = vgt_executor_snapshot_save_3d(ex, &ex3d, &ex3d_size, info, err)) != VGT_OK ||
        (st = vgt_executor_snapshot_save_video(ex, &exvo, &exvo_size, err)) != VGT_OK) {
        goto out;
    }
    if (ex2d_size + ex3d_size + exvo_size > VGT_TRACE_MAX_PAYLOAD - 1024u) {
        st = vgt_error_set(err, VGT_E_RANGE,
                           "the state snapshot at frame %" PRIu64 " (%zu bytes of 3D state, %zu "
                           "of display) is larger than a record may be (1 GiB)%s%s",
                           frame, ex3d_size, ex2d_size + exvo_size, too_large_hint ? "; " : "",
                           too_large_hint ? too_large_hint : "");
        goto out;
    }
    uint8_t regbuf[VGT_SNAPSHOT_MAX_REGS * 8u];
    for (size_t i = 0; i < nregs; i++) {
        vgt_store_le32(regbuf + 8u * i, regs[i].reg);
        vgt_store_le32(regbuf + 8u * i + 4u, regs[i].value);
    }
    uint8_t pre[VGT_TRACE_SNAPSHOT_PREFIX], s1[16], s2[16], s3[16], s4[16], s5[16], fenc[8];
    vgt_store_le32(pre, VGT_TRACE_SNAPSHOT_MAGIC);
    vgt_store_le32(pre + 4, VGT_TRACE_SNAPSHOT_VERSION);
    vgt_store_le64(pre + 8, frame);
    vgt_store_le64(pre + 16, next_seq);
    section(s1, VGT_TRACE_SNAP_REGS, nregs * 8u);
    section(s2, VGT_TRACE_SNAP_EX2D, ex2d_size);
    section(s3, VGT_TRACE_SNAP_EX3D, ex3d_size);
    section(s4, VGT_TRACE_SNAP_EXVO, exvo_size);
    section(s5, VGT_TRACE_SNAP_FENC, sizeof(fenc));
    vgt_store_le32(fenc, VGT_TRACE_SNAP_FENC_VERSION);
    vgt_store_le32(fenc + 4, last_fence ? *last_fence : 0);
    /* EX3D only when the guest has 3D objects, EXVO only when an overlay
     * unit is not as at power-on (EX2D's load resets both). */
    vgt_trace_iov iov[11] = {
        {pre, sizeof(pre)}, {s1, 16}, {regbuf, nregs * 8u}, {s2, 16}, {ex2d, ex2d_size}};
    size_t niov = 5;
    if (ex3d) {
        iov[niov++] = (vgt_trace_iov){s3, 16};
        iov[niov++] = (vgt_trace_iov){ex3d, ex3d_size};
    }
    if (exvo) {
        iov[niov++] = (vgt_trace_iov){s4, 16};
        iov[niov++] = (vgt_trace_iov){exvo, exvo_size};
    }
    /* The FIFO's FENCE register: a guest polls it (SVGA_FIFO_FENCE) to know
     * which fences passed, and a replay reports it (vgt replay --dump-at);
     * without it a replay from the snapshot says 0 until its first FENCE. */
    if (last_fence) {
        iov[niov++] = (vgt_trace_iov){s5, 16};
        iov[niov++] = (vgt_trace_iov){fenc, sizeof(fenc)};
    }
    if (bytes) {
        *bytes = sizeof(pre) + 32u + nregs * 8u + ex2d_size + (ex3d ? 16u + ex3d_size : 0) +
                 (exvo ? 16u + exvo_size : 0) + (last_fence ? 16u + sizeof(fenc) : 0);
    }
    st = vgt_trace_writer_appendv(w, VGT_REC_SNAPSHOT, 0, timestamp_ns, iov, niov, err);
out:
    free(ex2d);
    free(ex3d);
    free(exvo);
    return st;
}

void vgt_snapshot_report(FILE *log, const char *who, const char *path, uint64_t frame,
                         const vgt_executor *ex, const vgt_snapshot_3d_info *info)
{
    if (!log) {
        return;
    }
    if (info->contents_zero) {
        const vgt_backend *be = vgt_executor_backend(ex);
        fprintf(log,
                "%s: %s: the snapshot at frame %" PRIu64 " holds %u surfaces without their "
                "contents (the %s backend keeps none): they replay as zeros\n",
                who, path, frame, info->surfaces, be ? be->ops->name : "3D");
    }
    if (info->queries_restarted || info->queries_lost) {
        fprintf(log,
                "%s: %s: the snapshot at frame %" PRIu64 " restarts %u occlusion queries in "
                "flight at 0 (the backend could not read their count) and drops the result "
                "of %u ended ones\n",
                who, path, frame, info->queries_restarted, info->queries_lost);
    }
}
