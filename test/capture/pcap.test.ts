import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PcapReader } from '../../src/capture/pcap.js';
import { concat, PcapWriter, readPackets } from '../helpers/pcap-writer.js';

const read = (file: Uint8Array, chunkSizes?: readonly number[], maxRecordLength?: number) => {
  const { packets, error } = readPackets(PcapReader, file, chunkSizes, { maxRecordLength });
  return { packets: packets.map(({ interfaceId: _, ...rest }) => rest), error };
};

function sample(options: { littleEndian?: boolean; nanos?: boolean; linkType?: number } = {}): Uint8Array {
  const w = new PcapWriter(options);
  return concat(
    w.header(),
    w.record(new Uint8Array([1, 2, 3]), 1_700_000_000, 123_456_789),
    w.record(new Uint8Array(0), 1_700_000_001, 0),
    w.record(new Uint8Array([9, 8, 7, 6, 5]), 4_000_000_000, 999_999_999, 1500),
  );
}

describe('PcapReader', () => {
  for (const littleEndian of [true, false]) {
    for (const nanos of [false, true]) {
      it(`reads ${littleEndian ? 'little' : 'big'}-endian files with ${nanos ? 'nano' : 'micro'}second timestamps`, () => {
        const { packets, error } = read(sample({ littleEndian, nanos, linkType: 113 }));
        expect(error).toBeUndefined();
        expect(packets).toEqual([
          {
            linkType: 113,
            seconds: 1_700_000_000,
            nanos: nanos ? 123_456_789 : 123_456_000,
            digits: nanos ? 9 : 6,
            data: [1, 2, 3],
            originalLength: 3,
            fileOffset: 24,
          },
          {
            linkType: 113,
            seconds: 1_700_000_001,
            nanos: 0,
            digits: nanos ? 9 : 6,
            data: [],
            originalLength: 0,
            fileOffset: 43,
          },
          {
            linkType: 113,
            seconds: 4_000_000_000,
            nanos: nanos ? 999_999_999 : 999_999_000,
            digits: nanos ? 9 : 6,
            data: [9, 8, 7, 6, 5],
            originalLength: 1500,
            fileOffset: 59,
          },
        ]);
      });
    }
  }

  it('gives the same packets however the file is cut into chunks', () => {
    const file = sample({ littleEndian: false, nanos: true });
    const whole = read(file).packets;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        expect(read(file, sizes).packets).toEqual(whole);
      }),
      { numRuns: 200 },
    );
    expect(read(file, [1]).packets).toEqual(whole);
  });

  it('reads only the low 16 bits of the link type field (the rest are FCS flags)', () => {
    const file = sample({ linkType: 1 });
    new DataView(file.buffer).setUint32(20, 0x1400_0001, true);
    expect(read(file).packets[0]!.linkType).toBe(1);
  });

  it('refuses a file that is not pcap, naming the magic number', () => {
    const file = sample();
    file.set([0x47, 0x45, 0x54, 0x20], 0);
    const { error } = read(file);
    expect(error?.code).toBe('AMPS_BAD_CAPTURE');
    expect(error?.offset).toBe(0);
    expect(error?.message).toBe('pcap: not a pcap file: magic number 0x47455420 at byte 0');
  });

  it('refuses an unknown major version', () => {
    const file = sample();
    new DataView(file.buffer).setUint16(4, 3, true);
    const { error } = read(file);
    expect(error?.code).toBe('AMPS_BAD_CAPTURE');
    expect(error?.offset).toBe(4);
  });

  it('refuses a captured length above the limit before gathering it', () => {
    const file = sample();
    new DataView(file.buffer).setUint32(24 + 8, 0x7fff_ffff, true);
    const { packets, error } = read(file, [30, 10]);
    expect(packets).toEqual([]);
    expect(error?.code).toBe('AMPS_BAD_CAPTURE');
    expect(error?.offset).toBe(32);
    expect(error?.message).toContain('declares 2147483647 captured bytes');
  });

  it('honours maxRecordLength', () => {
    const { packets, error } = read(sample(), undefined, 4);
    expect(packets).toHaveLength(2);
    expect(error?.offset).toBe(59 + 8);
  });

  it('refuses a timestamp fraction out of range', () => {
    const file = sample({ nanos: false });
    new DataView(file.buffer).setUint32(24 + 4, 1_000_000, true);
    expect(read(file).error?.offset).toBe(28);
  });

  it('reports an empty file', () => {
    expect(read(new Uint8Array(0)).error?.message).toBe('pcap: the file is empty: no pcap file header at byte 0');
  });

  it('cut at every byte: the whole packets before the cut, then a clear error (or none at a record boundary)', () => {
    const file = sample();
    const full = read(file).packets;
    const boundaries = new Set([24, 43, 59, file.length]);
    for (let cut = 0; cut <= file.length; cut++) {
      for (const sizes of [[cut || 1], [1], [7]]) {
        const { packets, error } = read(file.slice(0, cut), sizes);
        expect(packets).toEqual(full.filter((p) => p.fileOffset + 16 + p.data.length <= cut));
        if (boundaries.has(cut)) {
          expect(error).toBeUndefined();
        } else {
          expect(error?.code).toBe('AMPS_BAD_CAPTURE');
          expect(error?.message).toMatch(/the file (ends inside|is empty)/);
        }
      }
    }
  });

  it('never throws anything but StreamException on corrupt bytes', () => {
    const file = sample();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (edits) => {
          const bad = file.slice();
          for (const [at, value] of edits) bad[at] = value;
          read(bad, [5]); // throws (failing the property) on anything but StreamException
        },
      ),
      { numRuns: 300 },
    );
  });
});
