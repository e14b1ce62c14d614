/* fuzz_replayer.c - the replayer on whole trace files (null backend).
 *
 * Input: one mode byte, then either (mode bit 0) a trace file or a list of
 * records that the harness writes with the real trace writer
 * (fuzz_trace_input.h).
 * Mode bit 1: salvage; bit 2: verify; bit 3: compose off; bit 4: frames
 * 1..2 only; bit 5: run twice (--loop); bit 6: 256-byte chunks; bit 7:
 * also vgt diff of the trace against itself (with --images on soft: two
 * replays stepped in lockstep, every picture compared, none may differ),
 * vgt trim of frames 1..2 and vgt trim --calls of commands 2..5 and 0..
 * (the verbs that read whole traces besides replay; 2..5 stops the replay
 * and splits batches mid-way in the traces this harness writes, whose seqs
 * start low); and the replay dumps its state (vgt replay --dump-at) after
 * its 2nd and 5th commands; and vgt leaks, vgt surfaces and vgt shader list read it
 * (vgt_leaks, vgt_surface_list, vgt_shader_list); and vgt
 * repack copies it whole into 4 KiB chunks; and vgt pixel follows a
 * display pixel through frame 1 and looks for the surface it shows, then
 * follows that surface and surface 1 on soft (the fragment probe). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_trace_input.h"
#include "vgt_format.h"
#include "vgt_replay.h"

static volatile uint64_t sink;

static int on_frame(void *ctx, const vgt_replay_frame *f)
{
    (void)ctx;
    if (f->image) {
        const vgt_image *im = f->image;
        sink += im->width + im->height;
        if (im->width && im->height) {
            sink += im->pixels[(size_t)im->stride * (im->height - 1u) + im->width * 4u - 1u];
        }
    }
    return 0;
}

/* vgt replay --dump-at (mode bit 7): the state after the 2nd and 5th
 * commands written (JSON, display and surface pictures) from whatever state
 * the trace left, then removed. */
typedef struct dump_ctx {
    vgt_replayer *r;
    uint64_t commands;
    char dir[96];
} dump_ctx;

static void remove_dump(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        return;
    }
    struct dirent *e;
    char path[4400];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
    rmdir(dir);
}

static int on_command(void *ctx, const vgt_replay_command *c)
{
    dump_ctx *d = ctx;
    d->commands++;
    if (d->commands == 2 || d->commands == 5) {
        vgt_state_dump_info info;
        vgt_error err = {0};
        vgt_status st = vgt_replayer_dump_state(d->r, c, d->dir, &info, &err);
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "dump at seq %llu: %d %s; %u surfaces, %u contexts, display %d\n",
                    (unsigned long long)c->seq, st, st ? err.message : "", info.surfaces,
                    info.contexts, info.display_png);
        }
        if (st == VGT_OK) {
            sink += info.pngs + info.surfaces;
            remove_dump(info.dir);
        }
        rmdir(d->dir);
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
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "open: could not write the trace\n");
        }
        return 0;
    }
    vgt_replayer_options opt;
    fuzz_replay_options(mode, VGT_REPLAY_BACKEND_NULL, &opt);
    opt.on_frame = on_frame;
    dump_ctx dump = {0};
    if (mode & 128u) {
        snprintf(dump.dir, sizeof(dump.dir), "/tmp/vgt-fuzz-dump-%d", (int)getpid());
        opt.on_command = on_command;
        opt.ctx = &dump;
    }
    vgt_replayer *r = NULL;
    vgt_error err = {0};
    if (vgt_replayer_open(path, &opt, &r, &err) == VGT_OK) {
        dump.r = r;
        for (int i = 0; i < ((mode & 32u) ? 2 : 1); i++) {
            vgt_replay_stats st;
            memset(&st, 0, sizeof(st));
            vgt_status rs = vgt_replayer_run(r, &st, &err);
            sink += st.commands;
            if (getenv("VGT_FUZZ_VERBOSE")) {
                fprintf(stderr, "replay: %d %s; %llu commands (%llu failed), %llu frames\n", rs,
                        rs ? err.message : "", (unsigned long long)st.commands,
                        (unsigned long long)st.commands_failed, (unsigned long long)st.frames);
            }
        }
        vgt_replayer_close(r);
    } else if (getenv("VGT_FUZZ_VERBOSE")) {
        fprintf(stderr, "open: %s\n", err.message);
    }
    if (mode & 128u) {
        /* diff: every frame's commands hashed and aligned (small bounds, so
         * the positional fallback runs too), guest memory and cost summed */
        vgt_diff_options dopt = {.first_frame = 0,
                                 .last_frame = UINT64_MAX,
                                 .limit = 2,
                                 .max_align = 64,
                                 .max_edits = 8};
        vgt_diff_result dres;
        memset(&dres, 0, sizeof(dres));
        (void)vgt_diff(path, path, &dopt, &dres, &err);
        vgt_diff_result_free(&dres);
        /* --ignore-ids: every command with ids decoded and renamed (bounded
         * maps); a trace against itself renames alike, so it is equal */
        dopt.ignore_ids = true;
        memset(&dres, 0, sizeof(dres));
        vgt_status ds = vgt_diff(path, path, &dopt, &dres, &err);
        if (ds == VGT_OK && dres.have_common && dres.frames_commands_differ != 0) {
            fprintf(stderr, "diff --ignore-ids: a trace against itself differs in %llu frames\n",
                    (unsigned long long)dres.frames_commands_differ);
            abort();
        }
        vgt_diff_result_free(&dres);
        /* diff --images: the same trace replayed twice must draw the same
         * pictures (a difference is a replay that is not deterministic) */
        char dir[96];
        snprintf(dir, sizeof(dir), "/tmp/vgt-fuzz-images-%d", (int)getpid());
        vgt_diff_images_options iopt = {.first_frame = 0,
                                        .last_frame = UINT64_MAX,
                                        .backend = VGT_REPLAY_BACKEND_SOFT,
                                        .dir = dir,
                                        .limit = 2};
        vgt_diff_images_result ires;
        vgt_status is = vgt_diff_images(path, path, &iopt, &ires, &err);
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "diff --images: %d %s; %llu frames\n", is, is ? err.message : "",
                    (unsigned long long)ires.frames);
        }
        if (is == VGT_OK && !ires.equal) {
            fprintf(stderr, "diff --images: a trace against itself differs in %llu frames\n",
                    (unsigned long long)(ires.frames_differ + ires.frames_size_differ));
            abort();
        }
        vgt_diff_images_result_free(&ires);
        rmdir(dir);
        /* leaks: every command decoded, its ids looked up in the bounded
         * maps, the snapshot's sections read; the kept lists stay within
         * the limit */
        vgt_trace_reader_options ropt;
        vgt_trace_reader_options_init(&ropt);
        ropt.salvage = (mode & 2u) != 0;
        vgt_trace_reader *lrd;
        if (vgt_trace_reader_open(path, &ropt, &lrd, &err) == VGT_OK) {
            vgt_leaks_options lopt = {.limit = 2};
            vgt_leaks_result lres;
            (void)vgt_leaks(lrd, &lopt, &lres, &err);
            if (lres.nalive > 2u * VGT_LEAK_KINDS || lres.nissues > 2u * VGT_LEAK_PROBLEMS) {
                fprintf(stderr, "leaks: %zu objects and %zu issues kept past the limit\n",
                        lres.nalive, lres.nissues);
                abort();
            }
            vgt_leaks_result_free(&lres);
            /* surfaces: the executor's define and DMA rules on every
             * command; a listed surface's sizes are the executor's */
            vgt_surface_list_result sres;
            if (vgt_surface_list(lrd, NULL, &sres, &err) == VGT_OK) {
                for (size_t i = 0; i < sres.ndefs; i++) {
                    const vgt_surface_def *d = &sres.defs[i];
                    if (!d->refused && (d->storage == 0 || d->faces * d->mips == 0)) {
                        fprintf(stderr, "surfaces: sid %u taken with %llu bytes\n", d->sid,
                                (unsigned long long)d->storage);
                        abort();
                    }
                }
            }
            vgt_surface_list_free(&sres);
            /* shaders: each define validated and hashed, the bindings
             * followed; a define is the same as an earlier one or itself */
            vgt_shader_list_result shres;
            if (vgt_shader_list(lrd, NULL, &shres, &err) == VGT_OK) {
                for (size_t i = 0; i < shres.ndefs; i++) {
                    const vgt_shader_def *d = &shres.defs[i];
                    if ((d->valid && d->tokens == 0) || d->same_as > i ||
                        shres.defs[d->same_as].hash != d->hash) {
                        fprintf(stderr, "shader list: define %zu (seq %llu) inconsistent\n", i,
                                (unsigned long long)d->seq);
                        abort();
                    }
                }
            }
            vgt_shader_list_free(&shres);
            vgt_trace_reader_close(lrd);
        }
        /* trim: the replay to frame 1, its snapshot, the copy; written
         * beside the process (a rename needs a real directory) */
        char out[96];
        snprintf(out, sizeof(out), "/tmp/vgt-fuzz-trim-%d.vgt", (int)getpid());
        vgt_trim_options topt = {.first_frame = 1,
                                 .last_frame = 2,
                                 .backend = VGT_REPLAY_BACKEND_NULL,
                                 .salvage = (mode & 2u) != 0};
        vgt_trim_stats tst;
        vgt_status ts = vgt_trim(path, out, &topt, &tst, &err);
        if (getenv("VGT_FUZZ_VERBOSE")) {
            fprintf(stderr, "trim --frames 1-2: %d %s\n", ts, ts ? err.message : "");
        }
        unlink(out);
        /* trim --calls: the replay's stop before a command (mid-batch),
         * the batches and timings cut, the records of others dropped */
        static const uint64_t calls[2][2] = {{2, 5}, {0, UINT64_MAX}};
        for (int i = 0; i < 2; i++) {
            vgt_trim_options copt = topt;
            copt.calls = true;
            copt.first_call = calls[i][0];
            copt.last_call = calls[i][1];
            ts = vgt_trim(path, out, &copt, &tst, &err);
            if (getenv("VGT_FUZZ_VERBOSE")) {
                fprintf(stderr, "trim --calls %llu-: %d %s\n", (unsigned long long)calls[i][0], ts,
                        ts ? err.message : "");
            }
            unlink(out);
        }
        /* repack: every record copied into small chunks */
        vgt_trim_options wopt = {.whole = true,
                                 .salvage = (mode & 2u) != 0,
                                 .chunk_size = 4096,
                                 .set_compression_level = true,
                                 .compression_level = -1};
        (void)vgt_trim(path, out, &wopt, &tst, &err);
        unlink(out);
        /* pixel: the display's history of frame 1 (composed after every
         * command of frames 0 and 1), and the scan for the surface frame 1
         * shows (then refused: the null backend keeps no pixels) */
        vgt_pixel_history ph;
        vgt_pixel_history_options po = {.frame = 1,
                                        .x = 1,
                                        .y = 1,
                                        .display = true,
                                        .backend = VGT_REPLAY_BACKEND_NULL,
                                        .salvage = (mode & 2u) != 0};
        (void)vgt_pixel_history_run(path, &po, &ph, &err);
        sink += ph.count;
        vgt_pixel_history_free(&ph);
        po.display = false;
        (void)vgt_pixel_history_run(path, &po, &ph, &err);
        vgt_pixel_history_free(&ph);
        /* on soft, the surface frame 1 shows and surface 1 (a depth
         * buffer, a G-buffer target or nothing): the fragment probe
         * records every fragment at the pixel, CLEARs and culled
         * triangles included */
        po.backend = VGT_REPLAY_BACKEND_SOFT;
        (void)vgt_pixel_history_run(path, &po, &ph, &err);
        for (size_t i = 0; i < ph.count; i++) {
            sink += ph.changes[i].fragment_count;
        }
        vgt_pixel_history_free(&ph);
        po.surface_given = true;
        po.sid = 1;
        (void)vgt_pixel_history_run(path, &po, &ph, &err);
        vgt_pixel_history_free(&ph);
    }
    close(fd);
    return 0;
}
