import { describe, expect, it } from 'vitest';
import * as capture from '../../src/capture/index.js';

describe('src/capture/index.ts', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(capture).sort()).toEqual([
      'CaptureDecoder', 'FrameStream', 'LinkType', 'PcapReader', 'PcapngReader', 'TcpDirection', 'TcpFlag',
      'captureFormat', 'formatAddress', 'formatEndpoint', 'newCaptureStats',
    ]);
  });
});
