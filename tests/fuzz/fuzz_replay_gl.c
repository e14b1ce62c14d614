/* fuzz_replay_gl.c - the replayer on the gl backend (llvmpipe through EGL
 * surfaceless, as the gl tests run it): the draws, clears, copies, DMA and
 * shaders of a fuzzed trace reach gl_draw.c, gl_surface.c and GL itself.
 *
 * Input: the mode byte and the trace of fuzz_replayer (fuzz_trace_input.h);
 * mode bit 1: salvage; bit 2: verify; bit 3: compose off; bit 4: frames
 * 1..2 only.  Each composed frame's last pixel is read.  Without EGL the
 * replayer does not open and the input does nothing (the regression run
 * passes on machines without GL, as the gl tests skip there).
 *
 * Mesa keeps allocations until exit: run under ASan with
 * LSAN_OPTIONS=suppressions=tests/gl/lsan.supp (Mesa, EGL and LLVM
 * libraries only).  One replay costs an EGL context and llvmpipe's shader
 * compiles, so this target runs tens of inputs a second, not thousands
 * (docs/security.md, "Fuzzing"). */
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_trace_input.h"
#include "vgt_replay.h"

static volatile uint64_t sink;

static int on_frame(void *ctx, const vgt_replay_frame *f)
{
    (void)ctx;
    const vgt_image *im = f->image;
    if (im && im->width && im->height) {
        sink += im->pixels[(size_t)im->stride * (im->height - 1u) + im->width * 4u - 1u];
    }
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t mode = 0;
    char path[64];
    int fd = fuzz_trace_input(data, size, &mode, path, sizeof(path));
    if (fd < 0) {
        return 0;
    }
    vgt_replayer_options opt;
    fuzz_replay_options(mode, VGT_REPLAY_BACKEND_GL, &opt);
    opt.on_frame = on_frame;
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    vgt_status st = vgt_replayer_open(path, &opt, &r, &err);
    if (st == VGT_OK) {
        vgt_replay_stats stats;
        memset(&stats, 0, sizeof(stats));
        st = vgt_replayer_run(r, &stats, &err);
        sink += stats.commands;
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "replay on gl: %d %s; %llu commands (%llu failed), %llu frames\n", st,
                    st ? err.message : "", (unsigned long long)stats.commands,
                    (unsigned long long)stats.commands_failed, (unsigned long long)stats.frames);
        }
        vgt_replayer_close(r);
    } else if (getenv("VGT_FUZZ_VERBOSE")) {
        fprintf(stderr, "open: %s\n", err.message);
    }
    close(fd);
    return 0;
}
