import { describe, expect, it } from 'vitest';
import * as capture from '../../src/capture/index.js';

describe('src/capture/index.ts', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(capture).sort()).toEqual([
      'CIPHER_SUITES',
      'CaptureDecoder',
      'FrameStream',
      'KeyLog',
      'LinkType',
      'MAX_RECORD',
      'PcapReader',
      'PcapngReader',
      'TcpDirection',
      'TcpFlag',
      'TlsConnection',
      'TlsDirection',
      'TlsRecords',
      'TransportSink',
      'UpgradeReader',
      'WebSocketAmps',
      'WebSocketFrames',
      'captureFormat',
      'formatAddress',
      'formatEndpoint',
      'hkdfExpandLabel',
      'newCaptureStats',
      'prf',
    ]);
  });
});
