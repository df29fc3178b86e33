import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PcapngReader } from '../../src/capture/pcapng.js';
import { concat, PcapngWriter, readPackets, type PacketSeen } from '../helpers/pcap-writer.js';

type Seen = Omit<PacketSeen, 'fileOffset'>;

const read = (file: Uint8Array, chunkSizes?: readonly number[]) => {
  const { packets, error } = readPackets(PcapngReader, file, chunkSizes);
  return { packets: packets.map(({ fileOffset: _, ...rest }): Seen => rest), error };
};

// Three interfaces with different link types and timestamp resolutions, an unknown block, a
// simple packet block, and a second section that starts its own interface list.
function sample(littleEndian: boolean): { file: Uint8Array; blocks: Uint8Array[] } {
  const w = new PcapngWriter({ littleEndian });
  const blocks = [
    w.section(),
    w.interface({ linkType: 1 }), // microseconds by default
    w.interface({ linkType: 113, tsresol: 9 }), // nanoseconds
    w.interface({ linkType: 276, tsresol: 0x80 | 20, tsoffset: 1_000_000_000 }), // 2^-20 s, offset
    w.block(0x0bad, new Uint8Array([1, 2, 3, 4, 5]), [[1, new Uint8Array(3)]]),
    w.enhancedPacket(0, new Uint8Array([1, 2, 3]), 1_700_000_000, 123_456_000),
    w.enhancedPacket(1, new Uint8Array([4, 5]), 1_700_000_001, 987_654_321, 60),
    w.enhancedPacket(2, new Uint8Array([6]), 1_700_000_002, 500_000_000),
    w.block(5, new Uint8Array(20), []), // interface statistics, skipped
    w.simplePacket(new Uint8Array([7, 7, 7, 7, 7])),
    w.section(),
    w.interface({ linkType: 101, tsresol: 3 }), // milliseconds
    w.enhancedPacket(0, new Uint8Array([8]), 1_800_000_000, 250_000_000),
  ];
  return { file: concat(...blocks), blocks };
}

const EXPECTED: Seen[] = [
  {
    interfaceId: 0,
    linkType: 1,
    seconds: 1_700_000_000,
    nanos: 123_456_000,
    digits: 6,
    data: [1, 2, 3],
    originalLength: 3,
  },
  {
    interfaceId: 1,
    linkType: 113,
    seconds: 1_700_000_001,
    nanos: 987_654_321,
    digits: 9,
    data: [4, 5],
    originalLength: 60,
  },
  {
    interfaceId: 2,
    linkType: 276,
    seconds: 1_700_000_002,
    nanos: 500_000_000,
    digits: 7,
    data: [6],
    originalLength: 1,
  },
  { interfaceId: 0, linkType: 1, seconds: 0, nanos: 0, digits: 6, data: [7, 7, 7, 7, 7], originalLength: 5 },
  {
    interfaceId: 0,
    linkType: 101,
    seconds: 1_800_000_000,
    nanos: 250_000_000,
    digits: 6,
    data: [8],
    originalLength: 1,
  },
];

describe('PcapngReader', () => {
  for (const littleEndian of [true, false]) {
    it(`reads ${littleEndian ? 'little' : 'big'}-endian sections with several interfaces, resolutions and skipped blocks`, () => {
      const { packets, error } = read(sample(littleEndian).file);
      expect(error).toBeUndefined();
      expect(packets).toEqual(EXPECTED);
    });
  }

  it('reads sections of different byte orders in one file', () => {
    const a = sample(true).file;
    const b = sample(false).file;
    expect(read(concat(a, b)).packets).toEqual([...EXPECTED, ...EXPECTED]);
  });

  it('gives the same packets however the file is cut into chunks', () => {
    const { file } = sample(false);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        expect(read(file, sizes).packets).toEqual(EXPECTED);
      }),
      { numRuns: 200 },
    );
  });

  it('splits 64-bit nanosecond timestamps exactly', () => {
    const w = new PcapngWriter();
    const file = concat(
      w.section(),
      w.interface({ linkType: 1, tsresol: 9 }),
      w.enhancedPacket(0, new Uint8Array(1), 4_102_444_799, 999_999_999),
    );
    expect(read(file).packets[0]).toMatchObject({ seconds: 4_102_444_799, nanos: 999_999_999 });
  });

  it('handles resolutions finer than nanoseconds', () => {
    const w = new PcapngWriter();
    const file = concat(
      w.section(),
      w.interface({ linkType: 1, tsresol: 0x80 | 40 }),
      w.enhancedPacket(0, new Uint8Array(1), 1_000, 500_000_000),
    );
    expect(read(file).packets[0]).toMatchObject({ seconds: 1_000, nanos: 500_000_000 });
  });

  it('caps a simple packet at the interface snaplen', () => {
    const w = new PcapngWriter();
    const file = concat(
      w.section(),
      w.interface({ linkType: 1, snaplen: 2 }),
      w.simplePacket(new Uint8Array([1, 2, 3, 4])),
    );
    expect(read(file).packets[0]).toMatchObject({ data: [1, 2], originalLength: 4 });
  });

  it('refuses a file whose first block is not a section header', () => {
    const w = new PcapngWriter();
    w.section();
    const { error } = read(w.interface({ linkType: 1 }));
    expect(error?.code).toBe('AMPS_BAD_CAPTURE');
    expect(error?.message).toBe(
      'pcapng: not a pcapng file: first block type 0x01000000 is not a section header at byte 0',
    );
  });

  it('refuses a bad byte-order magic, a bad block length, a trailer mismatch and an unknown interface', () => {
    const { file, blocks } = sample(true);
    const shb = blocks[0]!.length;
    const cases: [(f: DataView) => void, number, RegExp][] = [
      [(f) => f.setUint32(8, 0x11223344, true), 8, /byte-order magic 0x44332211/],
      [(f) => f.setUint32(shb + 4, 13, true), shb + 4, /block length 13 is not a multiple of 4/],
      [
        (f) => f.setUint32(shb + blocks[1]!.length - 4, 8, true),
        shb + blocks[1]!.length - 4,
        /trailer length 8 differs/,
      ],
      [
        (f) => f.setUint32(blocks.slice(0, 5).reduce((n, b) => n + b.length, 0) + 8, 7, true),
        blocks.slice(0, 5).reduce((n, b) => n + b.length, 0) + 8,
        /interface 7, but the section describes 3/,
      ],
      [(f) => f.setUint16(12, 2, true), 12, /unsupported pcapng version 2\.0/],
    ];
    for (const [edit, offset, message] of cases) {
      const bad = file.slice();
      edit(new DataView(bad.buffer));
      const { error } = read(bad);
      expect(error?.code).toBe('AMPS_BAD_CAPTURE');
      expect(error?.offset).toBe(offset);
      expect(error?.message).toMatch(message);
    }
  });

  it('refuses an enhanced packet whose captured length exceeds its block', () => {
    const w = new PcapngWriter();
    const head = concat(w.section(), w.interface({ linkType: 1 }));
    const epb = w.enhancedPacket(0, new Uint8Array(4), 1, 0);
    new DataView(epb.buffer).setUint32(20, 400, true);
    const { error } = read(concat(head, epb));
    expect(error?.offset).toBe(head.length + 20);
    expect(error?.message).toMatch(/declares 400 captured bytes but holds room for/);
  });

  it('cut at every byte: the whole packets before the cut, then a clear error (or none at a block boundary)', () => {
    const { file, blocks } = sample(false);
    const boundaries: number[] = [0];
    for (const b of blocks) boundaries.push(boundaries[boundaries.length - 1]! + b.length);
    for (let cut = 0; cut <= file.length; cut++) {
      const { packets, error } = read(file.slice(0, cut), [13]);
      expect(EXPECTED.slice(0, packets.length)).toEqual(packets);
      if (boundaries.includes(cut) && cut > 0) expect(error).toBeUndefined();
      else expect(error?.code).toBe('AMPS_BAD_CAPTURE');
    }
  });

  it('never throws anything but StreamException on corrupt bytes', () => {
    const { file } = sample(true);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (edits) => {
          const bad = file.slice();
          for (const [at, value] of edits) bad[at] = value;
          read(bad, [9]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
