import { describe, expect, it } from 'vitest';
import * as capture from '../../src/capture/index.js';

describe('src/capture/index.ts', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(capture).sort()).toEqual([
      'CIPHER_SUITES', 'CaptureDecoder', 'FrameStream', 'KeyLog', 'LinkType', 'MAX_RECORD', 'PcapReader', 'PcapWriter',
      'PcapngReader', 'PcapngWriter', 'TcpConversation', 'TcpDirection', 'TcpFlag', 'TlsConnection', 'TlsDirection',
      'TlsRecords', 'TransportSink', 'UpgradeReader', 'WebSocketAmps', 'WebSocketFrames', 'buildPacket', 'captureFormat',
      'formatAddress', 'formatEndpoint', 'hkdfExpandLabel', 'ipOffset', 'newCaptureStats', 'newSegment', 'parseAddress',
      'parseTcp', 'prf', 'segmentAddress',
    ]);
  });
});
