import { describe, expect, it } from 'vitest';
import * as capture from '../../src/capture/index.js';

describe('src/capture/index.ts', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(capture).sort()).toEqual([
      'CaptureDecoder', 'FrameStream', 'LinkType', 'PcapReader', 'PcapWriter', 'PcapngReader', 'PcapngWriter',
      'TcpConversation', 'TcpDirection', 'TcpFlag', 'buildPacket', 'captureFormat', 'formatAddress', 'formatEndpoint',
      'ipOffset', 'newCaptureStats', 'newSegment', 'parseAddress', 'parseTcp', 'segmentAddress',
    ]);
  });
});
