import { describe, expect, it } from 'vitest';
import { MemoryOutput } from '../../src/cli/io.js';
import { Progress } from '../../src/cli/progress.js';

describe('Progress', () => {
  it('draws after a short while, at most every 150 ms, and clears itself', () => {
    let now = 1000;
    const err = new MemoryOutput(true, 100);
    const p = new Progress(err, 'big.pcap', 200e6, true, () => now);
    p.update(1e6);
    expect(err.text()).toBe(''); // not in the first 400 ms
    now += 500;
    p.update(50e6);
    expect(err.text()).toBe('\rbig.pcap [##########..............................]  25% 50/200 MB 100 MB/s\x1b[K');
    now += 100;
    p.update(60e6);
    expect(err.chunks).toHaveLength(1); // too soon to redraw
    now += 100;
    p.update(200e6);
    expect(err.chunks[1]).toBe('\rbig.pcap [########################################] 100% 200/200 MB 286 MB/s\x1b[K');
    p.finish();
    expect(err.chunks[2]).toBe('\r\x1b[K');
  });

  it('without a known size shows bytes and rate; disabled draws nothing', () => {
    let now = 0;
    const err = new MemoryOutput(true);
    const p = new Progress(err, 'stdin', undefined, true, () => now);
    now = 1000;
    p.update(5e6);
    expect(err.text()).toBe('\rstdin 5 MB 5 MB/s\x1b[K');
    const off = new MemoryOutput(true);
    const q = new Progress(off, 'x', 10, false, () => now);
    now = 5000;
    q.update(5);
    q.finish();
    expect(off.text()).toBe('');
  });
});
