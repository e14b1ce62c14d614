#!/usr/bin/env python3
"""Writes fuzz_replayer seeds that no capture of a sample gives
(tests/fuzz/corpus/replayer/), in the harness's record-list form: a mode
byte, the start frame, the device configuration, then records {u8 kind,
u8 flags, u16 length, payload} (tests/fuzz/fuzz_replayer.c).

  mkseed_replayer.py queries OUT
      occlusion queries begun, ended and waited for across frames and
      contexts (no sample uses queries), mode bit 7: vgt trim's snapshots
      (--frames 1-2 and --calls 2-5) find a query in flight and one ended,
      so they checkpoint the live one (e3d_query_checkpoint) and write the
      ended one's row of the query table.
  mkseed_replayer.py nearest IN OUT
      IN is a record list of a `video` capture (fuzz_mkseed records); OUT is
      the same with the device configuration's VIDEO_BILINEAR flag cleared
      (a trace from before the bilinear filter, or a device configured with
      video_nearest: the overlay is replayed nearest neighbour,
      convert_nearest) and every framebuffer UPDATE made 0x0, its reads left
      out (76 KB a frame at 160x120; the overlay's frames are what matters).

Run from the source tree; the three replayer seeds were made so (B: a
build directory, C: tests/fuzz/corpus/replayer):
  python3 tests/fuzz/mkseed_replayer.py queries C/queries-records
  B/tests/fuzz/fuzz_mkseed trace C/queries-records q.vgt
  B/vgt trim q.vgt --frames 1-2 -o q-trim.vgt
  (printf '\\x81'; cat q-trim.vgt) > C/queries-trim-raw    # raw, mode bit 7
  B/vgt run video --frames 2 --width 160 --height 120 --capture v.vgt
  B/tests/fuzz/fuzz_mkseed records v.vgt v-records 30      # frame 0's records
  python3 tests/fuzz/mkseed_replayer.py nearest v-records C/video-nearest-records
"""
import struct
import sys

KIND_FRAME_END, KIND_COMMAND, KIND_DMA_DATA, KIND_FRAME_HASH, KIND_COMMAND_BATCH = 0, 2, 3, 6, 10
FRAME_HASH_NO_SCREEN = 1
DEVCFG_F_3D, DEVCFG_F_VIDEO_BILINEAR = 1, 2
GMR_FRAMEBUFFER = 0xFFFFFFFE
CMD_UPDATE = 1
CMD_CONTEXT_DEFINE, CMD_BEGIN_QUERY, CMD_END_QUERY, CMD_WAIT_FOR_QUERY = 1045, 1065, 1066, 1067
QUERY_OCCLUSION = 0


def devcfg(flags, hwversion):
    """The device configuration blob of docs/format.md (no caps words)."""
    return struct.pack('<4sIIIIIIIIIIIIII', b'VGDC', 1, 16 << 20, 256 << 10, flags, 1024, 768,
                       64, 4096, 65536, 0, 0, 0, hwversion, 0)


def record(kind, payload, flags=0):
    return struct.pack('<BBH', kind, flags, len(payload)) + payload


class Commands:
    """COMMAND records numbered from seq 0, as the device numbers them."""

    def __init__(self):
        self.seq = 0
        self.frame = 0
        self.out = b''

    def cmd3d(self, cid, *body):
        words = (cid, 4 * len(body)) + body
        self.out += record(KIND_COMMAND, struct.pack('<QII', self.seq, 0, 0) +
                           struct.pack('<%dI' % len(words), *words))
        self.seq += 1

    def wait_for_query(self, cid, gmr, offset, state=0):
        """WAIT_FOR_QUERY reads the guest's state word: PENDING (0) asks
        for the result (written again), as a guest waiting would."""
        self.cmd3d(CMD_WAIT_FOR_QUERY, cid, QUERY_OCCLUSION, gmr, offset)
        self.out += record(KIND_DMA_DATA, struct.pack('<QIII', self.seq - 1, gmr, offset + 4, state))

    def frame_end(self):
        """FRAME_HASH (no screen: hash 0), then the container's FRAME_END:
        the replayer ends a frame at its hash."""
        self.out += record(KIND_FRAME_HASH, struct.pack('<QQQIIII', self.frame, self.seq - 1, 0,
                                                          0, 0, FRAME_HASH_NO_SCREEN, 0))
        self.out += record(KIND_FRAME_END, b'')
        self.frame += 1


def queries():
    c = Commands()
    result = (GMR_FRAMEBUFFER, 0)  # where END_QUERY writes {state, result}
    # frame 0: context 1's query is begun before the --calls 2-5 cut and
    # still in flight at frame 1; context 2's ends in frame 0
    c.cmd3d(CMD_CONTEXT_DEFINE, 1)                      # seq 0
    c.cmd3d(CMD_BEGIN_QUERY, 1, QUERY_OCCLUSION)        # seq 1
    c.cmd3d(CMD_CONTEXT_DEFINE, 2)                      # seq 2
    c.cmd3d(CMD_BEGIN_QUERY, 2, QUERY_OCCLUSION)        # seq 3
    c.cmd3d(CMD_END_QUERY, 2, QUERY_OCCLUSION, *result)
    c.wait_for_query(2, *result)
    c.frame_end()
    # frame 1: the live one ends; the ended one is waited for again (after
    # a trim at frame 1, from the snapshot's query table); begun again
    c.cmd3d(CMD_END_QUERY, 1, QUERY_OCCLUSION, GMR_FRAMEBUFFER, 8)
    c.wait_for_query(1, GMR_FRAMEBUFFER, 8)
    c.wait_for_query(2, *result)
    c.cmd3d(CMD_BEGIN_QUERY, 1, QUERY_OCCLUSION)
    c.frame_end()
    # frame 2: ended again
    c.cmd3d(CMD_END_QUERY, 1, QUERY_OCCLUSION, GMR_FRAMEBUFFER, 8)
    c.frame_end()
    cfg = devcfg(DEVCFG_F_3D, 0x20000)
    # mode 0x80: records written by the harness, bit 7 (diff, leaks, trim ...)
    return struct.pack('<BBH', 0x80, 0, len(cfg)) + cfg + c.out


def parse_records(data):
    """(mode, start frame, device config, [(kind, flags, payload)])."""
    mode, start, n = struct.unpack_from('<BBH', data, 0)
    cfg = data[4:4 + n]
    pos, recs = 4 + n, []
    while len(data) - pos >= 4:
        kind, flags, ln = struct.unpack_from('<BBH', data, pos)
        recs.append((kind, flags, data[pos + 4:pos + 4 + ln]))
        pos += 4 + ln
    return mode, start, cfg, recs


def empty_updates(kind, p):
    """The record with every UPDATE's rectangle made 0x0 (it reads nothing
    then); True when it held one."""
    p = bytearray(p)
    starts = []  # the word offsets of the commands in p
    if kind == KIND_COMMAND and len(p) >= 20:
        starts = [16]
    elif kind == KIND_COMMAND_BATCH and len(p) >= 16:
        n = struct.unpack_from('<I', p, 8)[0]
        at = 16 + 12 * n
        for i in range(n):
            nw = struct.unpack_from('<I', p, 16 + 4 * i)[0]
            if nw & 0x80000000:
                continue  # a REPEAT: its words are the command's before it
            starts.append(at)
            at += 4 * nw
    found = False
    for at in starts:
        if struct.unpack_from('<I', p, at)[0] == CMD_UPDATE and at + 20 <= len(p):
            struct.pack_into('<II', p, at + 12, 0, 0)
            found = True
    return bytes(p), found


def nearest(data):
    mode, start, cfg, recs = parse_records(data)
    cfg = bytearray(cfg)
    flags = struct.unpack_from('<I', cfg, 16)[0]
    struct.pack_into('<I', cfg, 16, flags & ~DEVCFG_F_VIDEO_BILINEAR)
    out = struct.pack('<BBH', mode, start, len(cfg)) + bytes(cfg)
    dropping = False  # the reads of an UPDATE left out
    for kind, flags, p in recs:
        if kind % 11 == KIND_DMA_DATA and dropping:
            continue
        dropping = False
        if kind % 11 in (KIND_COMMAND, KIND_COMMAND_BATCH):
            p, dropping = empty_updates(kind % 11, p)
        out += record(kind, p, flags)
    return out


def main(argv):
    if len(argv) == 3 and argv[1] == 'queries':
        seed = queries()
    elif len(argv) == 4 and argv[1] == 'nearest':
        with open(argv[2], 'rb') as f:
            seed = nearest(f.read())
    else:
        sys.stderr.write(__doc__)
        return 1
    with open(argv[-1], 'wb') as f:
        f.write(seed)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
