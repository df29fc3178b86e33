/**
 * Link layers: where the IP header starts inside a captured packet.
 *
 *   Ethernet (1): dst 6, src 6, EtherType 2; 802.1Q/802.1ad tags (0x8100, 0x88a8, 0x9100) add
 *     4 bytes each and carry the next EtherType in their last 2
 *   Linux cooked SLL (113): 16 bytes, protocol (EtherType) in the last 2
 *   Linux cooked SLL2 (276): 20 bytes, protocol (EtherType) in the first 2
 *   BSD null/loopback (0): 4-byte address family in the capturing host's byte order
 *   OpenBSD loop (108): the same family in network byte order
 *   Raw IP (101, and DLT 12/14 on some systems), IPv4 (228), IPv6 (229): the IP header itself
 */
import { u16be, u32 } from './endian.js';

/** Link-layer type numbers (LINKTYPE_*) the readers understand. */
export const LinkType = Object.freeze({
  Null: 0,
  Ethernet: 1,
  RawBsd12: 12,
  RawBsd14: 14,
  Raw: 101,
  Loop: 108,
  LinuxSll: 113,
  IPv4: 228,
  IPv6: 229,
  LinuxSll2: 276,
} as const);

/** {@link ipOffset}: the packet carries something other than IP (ARP, LLDP, ...). */
export const NOT_IP = -1;
/** {@link ipOffset}: the link type is not one amps-wire reads. */
export const UNKNOWN_LINK = -2;
/** {@link ipOffset}: the packet is too short for its link header. */
export const SHORT_LINK = -3;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const MAX_VLAN_TAGS = 8;

/**
 * Offset of the IP header in `data` for link type `linkType`, or one of the negative codes
 * {@link NOT_IP}, {@link UNKNOWN_LINK}, {@link SHORT_LINK}.
 */
export function ipOffset(linkType: number, data: Uint8Array): number {
  switch (linkType) {
    case LinkType.Ethernet:
      return ethernet(data);
    case LinkType.LinuxSll:
      if (data.length < 16) return SHORT_LINK;
      return isIpEtherType(u16be(data, 14)) ? 16 : NOT_IP;
    case LinkType.LinuxSll2:
      if (data.length < 20) return SHORT_LINK;
      return isIpEtherType(u16be(data, 0)) ? 20 : NOT_IP;
    case LinkType.Null:
      if (data.length < 4) return SHORT_LINK;
      // Written in the capturing host's byte order, which the file does not record: a family
      // is a small number, so whichever reading is small is the right one.
      return isIpFamily(u32(data, 0, u32(data, 0, true) < 0x10000)) ? 4 : NOT_IP;
    case LinkType.Loop:
      if (data.length < 4) return SHORT_LINK;
      return isIpFamily(u32(data, 0, false)) ? 4 : NOT_IP;
    case LinkType.Raw:
    case LinkType.RawBsd12:
    case LinkType.RawBsd14:
    case LinkType.IPv4:
    case LinkType.IPv6:
      return 0;
    default:
      return UNKNOWN_LINK;
  }
}

function ethernet(data: Uint8Array): number {
  let p = 12;
  for (let tags = 0; tags <= MAX_VLAN_TAGS; tags++) {
    if (data.length < p + 2) return SHORT_LINK;
    const type = u16be(data, p);
    if (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
      p += 4;
      continue;
    }
    return isIpEtherType(type) ? p + 2 : NOT_IP;
  }
  return NOT_IP;
}

function isIpEtherType(type: number): boolean {
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6;
}

// AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
function isIpFamily(family: number): boolean {
  return family === 2 || family === 10 || family === 24 || family === 28 || family === 30;
}

/** A readable name for a link type, for messages. */
export function linkTypeName(linkType: number): string {
  for (const [name, value] of Object.entries(LinkType)) if (value === linkType) return name;
  return `link type ${linkType}`;
}
