/**
 * Captured network traffic to AMPS frames: pcap and pcapng reading, link layers, IPv4/IPv6, TCP
 * reassembly per direction, and framing with gaps, joins mid-stream and truncation reported.
 * Portable (plain Uint8Array, no Node APIs) and streaming: feed a file in chunks of any size.
 * Only what a capture reader needs is exported; writing captures is not part of the package.
 */
export { CaptureDecoder, captureFormat, newCaptureStats, type CaptureDecoderOptions, type CaptureFormat, type CaptureHandler, type CaptureStats } from './capture-decoder.js';
export { FrameStream, type FrameHandler, type FrameStreamOptions, type NoticeKind, type StreamNotice } from './frame-stream.js';
export { TcpDirection, type EndReason, type ReassemblyLimits, type StreamSink } from './tcp.js';
export { PcapReader } from './pcap.js';
export { PcapngReader } from './pcapng.js';
export type { RecordStreamOptions } from './record-stream.js';
export type { CapturePacket, PacketHandler } from './packet.js';
export { LinkType } from './link.js';
export { TcpFlag, type TcpSegment } from './ip.js';
export { formatAddress, formatEndpoint } from './address.js';
