import { describe, expect, it } from 'vitest';
import { formatAddress } from '../../src/capture/address.js';
import {
  IP_FRAGMENT,
  IP_MALFORMED,
  IP_OTHER,
  IP_TCP,
  newSegment,
  parseTcp,
  segmentAddress,
} from '../../src/capture/ip.js';
import { ipOffset, LinkType, NOT_IP, SHORT_LINK, UNKNOWN_LINK } from '../../src/capture/link.js';
import { buildPacket, parseAddress, type PacketOptions, type SegmentSpec } from '../helpers/pcap-writer.js';

const V4: SegmentSpec = {
  src: '10.0.0.1',
  dst: '10.0.0.2',
  srcPort: 51000,
  dstPort: 9007,
  seq: 0xfffffff0,
  ack: 77,
  flags: 0x18,
  payload: new Uint8Array([1, 2, 3]),
};
const V6: SegmentSpec = { ...V4, src: '2001:db8::1', dst: 'fe80::aa:0:0:2' };

function parse(seg: SegmentSpec, options: PacketOptions) {
  const data = buildPacket(seg, options);
  const at = ipOffset(options.linkType ?? LinkType.Ethernet, data);
  const out = newSegment();
  const result = at < 0 ? at : parseTcp(data, at, out);
  return { at, result, out, data };
}

describe('link layers and IP', () => {
  const links: [string, PacketOptions, number, number][] = [
    ['Ethernet', { linkType: LinkType.Ethernet }, 14, 14],
    ['Ethernet with two 802.1Q tags', { linkType: LinkType.Ethernet, vlans: [10, 20] }, 22, 22],
    ['Linux SLL', { linkType: LinkType.LinuxSll }, 16, 16],
    ['Linux SLL2', { linkType: LinkType.LinuxSll2 }, 20, 20],
    ['BSD null (AF_INET6 = 30, macOS)', { linkType: LinkType.Null }, 4, 4],
    ['BSD null (AF_INET6 = 24, NetBSD)', { linkType: LinkType.Null, nullIpv6Family: 24 }, 4, 4],
    ['BSD null (AF_INET6 = 10, Linux)', { linkType: LinkType.Null, nullIpv6Family: 10 }, 4, 4],
    ['OpenBSD loop', { linkType: LinkType.Loop }, 4, 4],
    ['raw IP (101)', { linkType: LinkType.Raw }, 0, 0],
    ['raw IP (DLT 12)', { linkType: LinkType.RawBsd12 }, 0, 0],
    ['raw IPv4 (228) / IPv6 (229)', { linkType: LinkType.IPv4 }, 0, 0],
  ];
  for (const [name, options, at4, at6] of links) {
    it(`${name}: finds the IP header and reads the TCP segment over IPv4 and IPv6`, () => {
      for (const [seg, at] of [
        [V4, at4],
        [V6, at6],
      ] as const) {
        const { at: found, result, out } = parse(seg, options);
        expect(found).toBe(at);
        expect(result).toBe(IP_TCP);
        expect(formatAddress(segmentAddress(out, true))).toBe(seg.src);
        expect(formatAddress(segmentAddress(out, false))).toBe(seg.dst);
        expect([out.srcPort, out.dstPort, out.seq, out.ack, out.flags]).toEqual([51000, 9007, 0xfffffff0, 77, 0x18]);
        expect([...out.payload]).toEqual([1, 2, 3]);
        expect(out.wireLength).toBe(3);
      }
    });
  }

  it('reads a big-endian null/loopback family too', () => {
    const data = buildPacket(V4, { linkType: LinkType.Null });
    data.set([0, 0, 0, 2], 0);
    expect(ipOffset(LinkType.Null, data)).toBe(4);
  });

  it('skips IPv4 options and IPv6 extension headers', () => {
    const v4 = parse(V4, { ipOptions: new Uint8Array([1, 1, 1, 0, 0x94, 4, 0, 0]) });
    expect(v4.result).toBe(IP_TCP);
    expect([...v4.out.payload]).toEqual([1, 2, 3]);
    const v6 = parse(V6, { ipv6Extensions: [0, 60, 43] });
    expect(v6.result).toBe(IP_TCP);
    expect([...v6.out.payload]).toEqual([1, 2, 3]);
  });

  it('trims Ethernet padding after the IP packet', () => {
    const { out } = parse(V4, { padding: 6 });
    expect([...out.payload]).toEqual([1, 2, 3]);
  });

  it('reads an offloaded capture whose IPv4 total length is 0', () => {
    const data = buildPacket(V4, { linkType: LinkType.Raw });
    data[2] = 0;
    data[3] = 0;
    const out = newSegment();
    expect(parseTcp(data, 0, out)).toBe(IP_TCP);
    expect([...out.payload]).toEqual([1, 2, 3]);
  });

  it('reports IPv4 and IPv6 fragments as unsupported instead of misreading them', () => {
    const first = parse(V4, { ipv4Fragment: 0x2000 });
    expect(first.result).toBe(IP_FRAGMENT);
    expect(first.out.problem).toBe('IPv4 fragment (offset 0, more fragments): fragments are not reassembled');
    const later = parse(V4, { ipv4Fragment: 185 });
    expect(later.result).toBe(IP_FRAGMENT);
    expect(later.out.problem).toBe('IPv4 fragment (offset 1480): fragments are not reassembled');
    const v6 = parse(V6, { ipv6Extensions: [44] });
    v6.data[14 + 40 + 3] = 1; // more fragments
    const out = newSegment();
    expect(parseTcp(v6.data, 14, out)).toBe(IP_FRAGMENT);
    // An atomic fragment (offset 0, no more fragments) is a whole packet.
    expect(parse(V6, { ipv6Extensions: [44] }).result).toBe(IP_TCP);
  });

  it('skips what is not TCP over IP', () => {
    const arp = buildPacket(V4);
    arp.set([0x08, 0x06], 12);
    expect(ipOffset(LinkType.Ethernet, arp)).toBe(NOT_IP);
    const udp = buildPacket(V4, { linkType: LinkType.Raw });
    udp[9] = 17;
    expect(parseTcp(udp, 0, newSegment())).toBe(IP_OTHER);
    const esp = buildPacket(V6, { linkType: LinkType.Raw });
    esp[6] = 50;
    expect(parseTcp(esp, 0, newSegment())).toBe(IP_OTHER);
    expect(ipOffset(147, arp)).toBe(UNKNOWN_LINK);
  });

  it('reports malformed headers, and headers cut at every byte, without throwing', () => {
    for (const seg of [V4, V6]) {
      const data = buildPacket(seg, { linkType: LinkType.Ethernet, vlans: [5] });
      for (let cut = 0; cut < data.length - 3; cut++) {
        const part = data.subarray(0, cut);
        const at = ipOffset(LinkType.Ethernet, part);
        if (at < 0) {
          expect(at).toBe(SHORT_LINK);
          continue;
        }
        const out = newSegment();
        const result = parseTcp(part, at, out);
        if (result === IP_TCP) {
          // Only the payload may be cut: the capture's snaplen.
          expect(out.payload.length).toBeLessThan(3);
          expect(out.wireLength).toBe(3);
        } else {
          expect(result).toBe(IP_MALFORMED);
          expect(out.problem).not.toBe('');
        }
      }
    }
    const bad = buildPacket(V4, { linkType: LinkType.Raw });
    bad[0] = 0x43; // header length 12
    const out = newSegment();
    expect(parseTcp(bad, 0, out)).toBe(IP_MALFORMED);
    expect(out.problem).toBe('IPv4 header length 12');
    bad[0] = 0x75;
    expect(parseTcp(bad, 0, out)).toBe(IP_MALFORMED);
    expect(out.problem).toBe('IP version 7');
  });

  it('formats IPv6 addresses in RFC 5952 form', () => {
    const cases = [
      '::',
      '::1',
      '2001:db8::1',
      '2001:db8:0:1:1:1:1:1',
      '2001:0:0:1::1',
      'fe80::aa:0:0:2',
      '1:2:3:4:5:6:7:8',
      '2001:db8::',
    ];
    for (const text of cases) expect(formatAddress(parseAddress(text))).toBe(text);
    expect(formatAddress(parseAddress('2001:0db8:0000:0000:0001:0000:0000:0001'))).toBe('2001:db8::1:0:0:1');
  });
});
