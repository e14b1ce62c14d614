/* video_bench.h - `vgt bench video`: the video overlay's conversion and
 * scaling through the executor, the bilinear filter beside the legacy
 * nearest one in the same run (bench/video_bench.c). */
#ifndef VGT_VIDEO_BENCH_H
#define VGT_VIDEO_BENCH_H

/* vgt bench video [--size WxH] [--runs N]; argv[0] is "video".  Returns an
 * exit code (0, 1 usage, 2 data). */
int vgt_bench_video_main(int argc, char **argv);

#endif
