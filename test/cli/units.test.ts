import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/cli/args.js';
import { clock } from '../../src/cli/human.js';
import { quoteJson } from '../../src/cli/jsonl.js';
import { detectProtocol } from '../../src/cli/protocol-choice.js';
import { globMatch } from '../../src/cli/filters.js';
import { preview } from '../../src/cli/text.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('command-line helpers', () => {
  it("tells the protocol from a payload's first bytes", () => {
    expect(detectProtocol(bytes('{"c":"p"}'))).toBe('amps');
    expect(detectProtocol(bytes(' \r\n{'))).toBe('amps');
    expect(detectProtocol(bytes('20000=publish\x01'))).toBe('fix');
    expect(detectProtocol(bytes('<SOAP-ENV:Envelope>'))).toBe('xml');
    expect(detectProtocol(bytes('2000'))).toBeUndefined();
    expect(detectProtocol(bytes('12x=3'))).toBeUndefined();
    expect(detectProtocol(bytes('GET /'))).toBeUndefined();
    expect(detectProtocol(new Uint8Array(0))).toBeUndefined();
  });

  it('matches topics with * patterns', () => {
    expect(globMatch('orders', 'orders')).toBe(true);
    expect(globMatch('orders', 'orders2')).toBe(false);
    expect(globMatch('orders*', 'orders/east')).toBe(true);
    expect(globMatch('*east', 'orders/east')).toBe(true);
    expect(globMatch('o*s/*t', 'orders/east')).toBe(true);
    expect(globMatch('o*s/*t', 'orders/eas')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('a*a*a', 'aaaa')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });

  it('reads sizes with units', () => {
    expect(parseSize('65536')).toBe(65536);
    expect(parseSize('64k')).toBe(65536);
    expect(parseSize('16MiB')).toBe(16 << 20);
    expect(parseSize('1G')).toBe(1 << 30);
    expect(parseSize('1.5M')).toBeUndefined();
    expect(parseSize('M')).toBeUndefined();
    expect(parseSize('12 parsecs')).toBeUndefined();
  });

  it('formats capture times and previews bodies', () => {
    expect(clock({ seconds: 1705329000, nanos: 123_456_789 })).toBe('14:30:00.123456');
    expect(preview(bytes('55=IBM\x0154=1\x01'), 80)).toBe('55=IBM|54=1|');
    expect(preview(bytes('a\tb'), 80)).toBe('a\\x09b');
    expect(preview(bytes('x'.repeat(10)), 4)).toBe('xxxx…');
    expect(preview(new Uint8Array([0xff, 0, 1, 2, 3, 4, 5]), 12)).toBe('<binary ff 00 01 02 …>');
  });
});

// JSON.stringify, with DEL and the C1 controls escaped too (valid JSON either way).
const stringifyNoControls = (s: string) =>
  JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);

describe('quoteJson', () => {
  it('escapes as JSON.stringify does, lone surrogates included, and DEL and C1 besides', () => {
    for (const s of ['', 'plain', 'a"b\\c', '\x00\x1f', '\b\f\n\r\t', '\ud83d\ude00', '\ud800x', 'x\udc00', 'é€😀'])
      expect(quoteJson(s)).toBe(JSON.stringify(s));
    expect(quoteJson('a\x7fb\x85c\x9f')).toBe('"a\\u007fb\\u0085c\\u009f"');
    // Past the escapes it builds in pieces, the same text.
    const many = '\x7f"'.repeat(2000);
    expect(quoteJson(many)).toBe(stringifyNoControls(many));
    expect(JSON.parse(quoteJson(many))).toBe(many);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }), (units) => {
        const s = String.fromCharCode(...units);
        expect(quoteJson(s)).toBe(stringifyNoControls(s));
        expect(JSON.parse(quoteJson(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});
