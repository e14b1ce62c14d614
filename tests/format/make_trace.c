/* make_trace OUT MODE: writes a small trace for the CLI tests of `vgt info`
 * and `vgt dump`.  MODE: intact; nofooter; corrupt: one byte of the middle
 * chunk's compressed bytes flipped; gap: no footer, and the middle chunk's
 * header damaged, so that the index the reader walks leaves that chunk
 * out; nofooter-corrupt: no footer, and the middle chunk's compressed bytes
 * damaged as in corrupt (the rebuilt index keeps that chunk); header: the
 * middle chunk's header damaged, the footer kept; gap2: no footer, the
 * headers of the chunks at a quarter and three quarters damaged; hole: no
 * footer, the middle chunk's bytes cut out of the file (a gap in the chunk
 * ids, no damaged header); torn: no footer, the file cut in the middle of
 * the last chunk's compressed bytes. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgt_format.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_trace OUT intact|nofooter|corrupt|gap|nofooter-corrupt|"
                        "header|gap2|hole|torn\n");
        return 1;
    }
    vgt_trace_writer_settings s;
    vgt_trace_writer_settings_init(&s);
    s.chunk_size = 4096;
    vgt_trace_header h = {0};
    h.protocol_id = 0x54535953; /* "SYST": synthetic records, not SVGA */
    strcpy(h.protocol_name, "synthetic");
    h.creator = "make_trace";
    vgt_trace_writer *w;
    vgt_error err = {0};
    if (vgt_trace_writer_open(argv[1], &s, &h, &w, &err) != VGT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    static uint8_t blob[8192];
    for (size_t i = 0; i < sizeof(blob); i++) {
        blob[i] = (uint8_t)(i * 7 + i / 100);
    }
    uint64_t ts = 1000;
    for (int f = 0; f < 20; f++) {
        for (int i = 0; i < 30; i++) {
            uint32_t words[8] = {(uint32_t)f, (uint32_t)i, 0x41, 0x42, 5, 6, 7, 8};
            vgt_trace_writer_append(w, VGT_REC_COMMAND, 0, ts++, words, 8 + (size_t)i % 24, &err);
        }
        vgt_trace_writer_append(w, VGT_REC_DMA_DATA, 0, ts++, blob, sizeof(blob), &err);
        if (vgt_trace_writer_frame_end(w, ts++, &err) != VGT_OK) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
    }
    if (vgt_trace_writer_close(w, &err) != VGT_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    if (strcmp(argv[2], "intact") == 0) {
        return 0;
    }
    vgt_trace_reader *r;
    if (vgt_trace_reader_open(argv[1], NULL, &r, &err) != VGT_OK) {
        return 1;
    }
    uint64_t nchunks = vgt_trace_reader_chunk_count(r);
    vgt_trace_chunk_info last, mid, quarter, three_quarters;
    vgt_trace_reader_chunk(r, nchunks - 1, &last);
    vgt_trace_reader_chunk(r, nchunks / 2, &mid);
    vgt_trace_reader_chunk(r, nchunks / 4, &quarter);
    vgt_trace_reader_chunk(r, nchunks * 3 / 4, &three_quarters);
    vgt_trace_reader_close(r);
    const char *mode = argv[2];
    bool gap = strcmp(mode, "gap") == 0, gap2 = strcmp(mode, "gap2") == 0;
    bool hole = strcmp(mode, "hole") == 0, torn = strcmp(mode, "torn") == 0;
    bool cut = gap || gap2 || hole || strcmp(mode, "nofooter") == 0 ||
               strcmp(mode, "nofooter-corrupt") == 0;
    if (cut && truncate(argv[1], (off_t)(last.offset + 80 + last.compressed_size)) != 0) {
        return 1;
    }
    if (torn) {
        return truncate(argv[1], (off_t)(last.offset + 80 + last.compressed_size / 2)) == 0 ? 0 : 1;
    }
    if (strcmp(mode, "nofooter") == 0) {
        return 0;
    }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) {
        return 1;
    }
    if (hole) {
        /* the chunks after the middle one move down over it */
        uint64_t from = mid.offset + 80 + mid.compressed_size;
        uint64_t end = last.offset + 80 + last.compressed_size;
        static uint8_t rest[1 << 20];
        if (end - from > sizeof(rest) || fseek(f, (long)from, SEEK_SET) != 0 ||
            fread(rest, 1, end - from, f) != end - from ||
            fseek(f, (long)mid.offset, SEEK_SET) != 0 ||
            fwrite(rest, 1, end - from, f) != end - from || fclose(f) != 0) {
            return 1;
        }
        return truncate(argv[1], (off_t)(mid.offset + (end - from))) == 0 ? 0 : 1;
    }
    /* gap, header, gap2: a byte of the header (its record count), so its
     * checksum fails; else one of the compressed bytes */
    bool in_header = gap || gap2 || strcmp(mode, "header") == 0;
    long at[2] = {(long)(in_header ? mid.offset + 40 : mid.offset + 80 + mid.compressed_size / 2),
                  -1};
    if (gap2) {
        at[0] = (long)(quarter.offset + 40);
        at[1] = (long)(three_quarters.offset + 40);
    }
    for (int i = 0; i < 2 && at[i] >= 0; i++) {
        if (fseek(f, at[i], SEEK_SET) != 0) {
            return 1;
        }
        int c = fgetc(f);
        fseek(f, -1, SEEK_CUR);
        fputc(c ^ 0x20, f);
    }
    fclose(f);
    return 0;
}
