import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { FrameFilter } from '../../src/cli/filters.js';
import { Message } from '../../src/core/message.js';
import { jsonLines, runCli } from './run-cli.js';

const SAMPLE = join(__dirname, '../../examples/sample.pcap');

function message(fields: Record<string, string>): Message {
  const m = new Message();
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
}

describe('FrameFilter', () => {
  it('--command: p is publish, on either side; an unknown command is a usage error naming the valid ones', () => {
    const f = new FrameFilter({ commands: ['p', 'sow'] });
    expect(f.keepsMessage(message({ Command: 'publish' }))).toBe(true);
    expect(f.keepsMessage(message({ Command: 'p' }))).toBe(true);
    expect(f.keepsMessage(message({ Command: 'sow' }))).toBe(true);
    expect(f.keepsMessage(message({ Command: 'ack' }))).toBe(false);
    expect(f.keepsMessage(message({ Topic: 't' }))).toBe(false);
    expect(() => new FrameFilter({ commands: ['publsh'] })).toThrow(UsageError);
    expect(() => new FrameFilter({ commands: ['publsh'] })).toThrow(
      /--command "publsh" is not an AMPS command; the commands are publish, delta_publish, .*group_end \(p means publish\)/,
    );
  });

  it('--field Name=glob: every rule must match; names and aliases as in the field table', () => {
    const f = new FrameFilter({ fields: ['SubscriptionId=4*', 'Filter=*qty*'] });
    expect(f.keepsMessage(message({ SubscriptionId: '42', Filter: '/qty > 1' }))).toBe(true);
    expect(f.keepsMessage(message({ SubscriptionId: '42' }))).toBe(false);
    expect(f.keepsMessage(message({ SubscriptionId: '52', Filter: '/qty > 1' }))).toBe(false);
    expect(new FrameFilter({ fields: ['Filter=a=b'] }).keepsMessage(message({ Filter: 'a=b' }))).toBe(true);
    expect(() => new FrameFilter({ fields: ['Nope=1'] })).toThrow(/--field "Nope" is not a header field/);
    expect(() => new FrameFilter({ fields: ['Topic'] })).toThrow(/--field takes Name=PATTERN; got "Topic"/);
  });

  it("--since (included) and --until (left out) on capture time; a time of day is on the first frame's day", () => {
    const at = (seconds: number, nanos = 0) => ({ seconds, nanos });
    const day = 1_705_276_800; // 2024-01-15T00:00:00Z
    const f = new FrameFilter({ since: '2024-01-15T14:30:00.0005Z', until: '2024-01-15 14:30:01' });
    expect(f.keepsTime(at(day + 52200, 499_999))).toBe(false);
    expect(f.keepsTime(at(day + 52200, 500_000))).toBe(true);
    expect(f.keepsTime(at(day + 52200, 999_999_999))).toBe(true);
    expect(f.keepsTime(at(day + 52201))).toBe(false);
    expect(f.keepsTime(undefined)).toBe(false);
    const g = new FrameFilter({ since: '14:30' });
    expect(g.keepsTime(at(day + 52199))).toBe(false);
    expect(g.keepsTime(at(day + 86400 + 10))).toBe(true);
    expect(new FrameFilter({}).keepsTime(undefined)).toBe(true);
    for (const bad of ['yesterday', '2024-02-30', '25:00', '2024-01-15T14:30:00.1234567890Z']) {
      expect(() => new FrameFilter({ since: bad })).toThrow(UsageError);
    }
  });
});

describe('filters on the command line', () => {
  it('an unknown command exits 2 with the valid names; nothing is decoded', async () => {
    const r = await runCli(['decode', SAMPLE, '--command', 'publsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'amps-wire decode: --command "publsh" is not an AMPS command; the commands are publish,',
    );
  });

  it('--command p, --field and --since/--until pick frames of the sample', async () => {
    const pick = async (...args: string[]) =>
      jsonLines((await runCli(['decode', SAMPLE, '-f', 'jsonl', ...args])).stdout).map(
        (l) => `${l['index']} ${(l['fields'] as Record<string, string>)['Command']}`,
      );
    expect(await pick('--command', 'p')).toEqual(['2 publish', '7 publish', '1 publish', '2 publish']);
    expect(await pick('--command', 'p', '--field', 'Bookmark=*')).toEqual(['7 publish']);
    expect(await pick('--since', '14:30:00.005040', '--until', '14:30:00.005280')).toEqual(['1 sow', '2 publish']);
  });
});
