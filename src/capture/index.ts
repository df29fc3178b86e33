/**
 * Captured network traffic to AMPS frames: pcap and pcapng reading, link layers, IPv4/IPv6, TCP
 * reassembly per direction, TLS and WebSocket transports, and framing with gaps, joins
 * mid-stream and truncation reported.
 * Portable (plain Uint8Array, no Node APIs) and streaming: feed a file in chunks of any size.
 * Only what a capture reader needs is exported; writing captures is not part of the package.
 */
export {
  CaptureDecoder,
  captureFormat,
  newCaptureStats,
  type CaptureDecoderOptions,
  type CaptureFormat,
  type CaptureHandler,
  type CaptureStats,
} from './capture-decoder.js';
export {
  FrameStream,
  type FrameHandler,
  type FrameStreamOptions,
  type NoticeKind,
  type StreamNotice,
} from './frame-stream.js';
export { TcpDirection, type EndReason, type ReassemblyLimits, type StreamSink } from './tcp.js';
export { PcapReader } from './pcap.js';
export { PcapngReader } from './pcapng.js';
export type { RecordStreamOptions } from './record-stream.js';
export type { CapturePacket, PacketHandler } from './packet.js';
export { LinkType } from './link.js';
export { TcpFlag, type TcpSegment } from './ip.js';
export { formatAddress, formatEndpoint } from './address.js';
// Transports: TLS (decrypted with a key log) and WebSocket, each layer usable on its own.
export { TransportSink, type TransportOptions } from './transport.js';
export type { AeadCipher, AeadOpen, CaptureCrypto, Inflater, TlsHash, Transport } from './transport-support.js';
export { KeyLog, type ConnectionSecrets } from './key-log.js';
export { TlsRecords, MAX_RECORD, type TlsRecordHandler } from './tls-records.js';
export { TlsConnection, TlsDirection, type PlaintextSink } from './tls-session.js';
export { CIPHER_SUITES, hkdfExpandLabel, prf, type CipherSuite } from './tls-keys.js';
export { UpgradeReader, type UpgradeHead } from './http-upgrade.js';
export { WebSocketFrames, type WebSocketMessageHandler } from './websocket-frames.js';
export { WebSocketAmps } from './websocket-messages.js';
