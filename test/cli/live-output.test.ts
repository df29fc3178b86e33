import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Interrupt } from '../../src/cli/interrupt.js';
import { LIVE_DELAY_MS, MemoryOutput, StreamOutput, type CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const SAMPLE = readFileSync(join(__dirname, '../../examples/sample.pcap'));

/** A writable that records what it is given; `full` makes write() report backpressure. */
class FakeStream extends EventEmitter {
  readonly written: string[] = [];
  full = false;
  write(chunk: string | Uint8Array): boolean {
    this.written.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return !this.full;
  }
  text(): string {
    return this.written.join('');
  }
}

describe('StreamOutput', () => {
  it('holds text until 64 KiB have gathered, unless live, where it goes within the delay', () => {
    let now = 1000;
    const stream = new FakeStream();
    const out = new StreamOutput(stream as unknown as NodeJS.WritableStream, () => now);
    out.write('a\n');
    now += 10 * LIVE_DELAY_MS;
    out.write('b\n');
    expect(stream.written).toEqual([]);
    out.push();
    expect(stream.written).toEqual(['a\nb\n']);
    out.live = true;
    out.write('c\n');
    now += LIVE_DELAY_MS - 1;
    out.write('d\n');
    expect(stream.written).toEqual(['a\nb\n']);
    now += 1;
    out.write('e\n');
    expect(stream.written).toEqual(['a\nb\n', 'c\nd\ne\n']);
    out.push();
    out.push();
    expect(stream.written).toHaveLength(2);
  });

  it('waiting for drain leaves no listeners behind, however many flushes wait', async () => {
    const stream = new FakeStream();
    const out = new StreamOutput(stream as unknown as NodeJS.WritableStream);
    const before = ['drain', 'close', 'error'].map((e) => stream.listenerCount(e));
    stream.full = true;
    for (let i = 0; i < 200; i++) {
      out.write('x'.repeat(5000));
      const waiting = out.flush();
      stream.emit('drain');
      await waiting;
    }
    expect(['drain', 'close', 'error'].map((e) => stream.listenerCount(e))).toEqual(before);
    // Several flushes waiting at once share one set of listeners.
    out.write('y'.repeat(5000));
    const a = out.flush();
    const b = out.flush();
    expect(stream.listenerCount('drain')).toBe(1);
    stream.emit('close');
    await Promise.all([a, b]);
    expect(stream.listenerCount('drain')).toBe(0);
  });
});

describe('StreamOutput and a destination that drained before the flush', () => {
  /** Like a Node Writable: after write() says false, needs a drain until 'drain' is emitted. */
  class DrainingStream extends FakeStream {
    writableNeedDrain = false;
    override write(chunk: string | Uint8Array): boolean {
      const ok = super.write(chunk);
      if (!ok) this.writableNeedDrain = true;
      return ok;
    }
    drain(): void {
      this.writableNeedDrain = false;
      this.emit('drain');
    }
  }

  it('does not wait for a drain that already happened', async () => {
    const stream = new DrainingStream();
    const out = new StreamOutput(stream as unknown as NodeJS.WritableStream);
    stream.full = true;
    out.write('x'.repeat(5000));
    out.push(); // the destination is behind now
    expect(out.backlogged).toBe(true);
    stream.drain(); // while the command was reading its next chunk, say
    let settled = false;
    const flushed = out.flush().then(() => (settled = true));
    await Promise.resolve();
    await flushed;
    expect(settled).toBe(true);
    expect(out.backlogged).toBe(false);
    expect(stream.listenerCount('drain')).toBe(0);
  });

  it('waits for the drain that is still to come', async () => {
    const stream = new DrainingStream();
    const out = new StreamOutput(stream as unknown as NodeJS.WritableStream);
    stream.full = true;
    out.write('x'.repeat(5000));
    let settled = false;
    const flushed = out.flush().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    stream.drain();
    await flushed;
    expect(settled).toBe(true);
  });
});

/** stdin that hands out `parts` one by one, running `before(i)` before part i (i ≥ 1). */
function stdinOf(parts: Uint8Array[], before: (i: number) => void | Promise<void>): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) await before(i);
      yield parts[i]!;
    }
  })();
}

describe('live input', () => {
  // Decodes the sample from stdin in two parts; returns the lines written to stdout before the second part was read.
  async function linesBeforeSecondPart(stdinIsFile: boolean): Promise<{ before: number; after: number }> {
    const stream = new FakeStream();
    let before = -1;
    const io: CliIo = {
      stdout: new StreamOutput(stream as unknown as NodeJS.WritableStream),
      stderr: new MemoryOutput(),
      stdin: stdinOf([SAMPLE.subarray(0, 1200), SAMPLE.subarray(1200)], () => {
        before = stream.text().split('\n').length - 1;
      }),
      env: {},
      stdinIsFile,
    };
    expect(await main(['decode', '-', '-f', 'jsonl'], io)).toBe(0);
    return { before, after: stream.text().split('\n').length - 1 };
  }

  it('each chunk of a pipe is decoded and written before the next one is read', async () => {
    // The first 1200 bytes complete the first frames: they were out before more was read.
    expect(await linesBeforeSecondPart(false)).toEqual({ before: 5, after: 23 });
  });

  it('a stdin that is a regular file is written in 64 KiB batches, as files are', async () => {
    expect(await linesBeforeSecondPart(true)).toEqual({ before: 0, after: 23 });
  });

  it('Ctrl-C stops reading (even while stdin waits) and ends with the summary', async () => {
    const interrupt = new Interrupt();
    const stderr = new MemoryOutput();
    const stdout = new MemoryOutput();
    const io: CliIo = {
      stdout,
      stderr,
      // The second part never comes: the interrupt arrives while waiting for it.
      stdin: stdinOf([SAMPLE.subarray(0, 3000), SAMPLE.subarray(3000)], () => {
        interrupt.request();
        return new Promise(() => undefined);
      }),
      env: {},
      interrupt,
    };
    expect(await main(['decode', '-', '-f', 'jsonl'], io)).toBe(0);
    expect(stdout.text().split('\n').length - 1).toBe(14);
    expect(stderr.text()).toContain('  frames    14: amps 11, fix 3');
    expect(stderr.text()).not.toContain('corrupt');
  });

  it('a reader that went away still gets the summary on stderr, exit 0', async () => {
    const stream = new FakeStream();
    const stdout = new StreamOutput(stream as unknown as NodeJS.WritableStream);
    const stderr = new MemoryOutput();
    let first = true;
    stream.write = function (chunk) {
      if (!first) return true;
      first = false;
      this.written.push(String(chunk));
      // EPIPE after the first write.
      queueMicrotask(() => this.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      return false;
    };
    const io: CliIo = {
      stdout,
      stderr,
      stdin: stdinOf([SAMPLE.subarray(0, 2000), SAMPLE.subarray(2000)], () => undefined),
      env: {},
    };
    expect(await main(['decode', '-', '-f', 'jsonl'], io)).toBe(0);
    expect(stderr.text()).toContain('amps-wire: 1 input');
  });
});

describe('--stats-interval', () => {
  it('writes the summary so far each time the interval has passed, by the clock it is given', async () => {
    let now = 0;
    const stderr = new MemoryOutput();
    const io: CliIo = {
      stdout: new MemoryOutput(),
      stderr,
      stdin: stdinOf([SAMPLE.subarray(0, 1200), SAMPLE.subarray(1200, 1300), SAMPLE.subarray(1300)], (i) => {
        now += i === 1 ? 5000 : 1000;
      }),
      env: {},
      clock: () => now,
    };
    expect(await main(['decode', '-', '-f', 'jsonl', '--stats-interval', '5s'], io)).toBe(0);
    const summaries = stderr
      .text()
      .split('amps-wire: ')
      .filter((s) => s.startsWith('1 input'));
    // Once after the second part (5 s on), not after the third (1 s more), and at the end.
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toContain('1 input, 1.3 KiB in 5.00 s');
    expect(summaries[0]).toContain('  frames    5: amps 5');
    expect(summaries[1]).toContain('  frames    23: amps 11, fix 6, xml 6');
  });

  it('a duration it cannot read is a usage error', async () => {
    const r = await runCliWith(['decode', '-', '--stats-interval', 'soon']);
    expect(r).toBe(2);
  });
});

async function runCliWith(argv: string[]): Promise<number> {
  return main(argv, {
    stdout: new MemoryOutput(),
    stderr: new MemoryOutput(),
    stdin: stdinOf([], () => undefined),
    env: {},
  });
}
