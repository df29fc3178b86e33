// Shared by the body tests: fixture loading, byte spelling, and error assertions.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { AMPSException, CommandException, StreamException, type ErrorCode } from '../../src/index.js';

export interface PairFixture<K> {
  name: string;
  separator?: string;
  body?: string;
  bodyHex?: string;
  fields?: [K, string][];
  map?: [K, string][];
  offset?: number;
  message?: string;
}

export function loadPairFixtures<K>(file: 'fix' | 'nvfix'): { valid: PairFixture<K>[]; invalid: PairFixture<K>[] } {
  return JSON.parse(readFileSync(new URL(`../fixtures/bodies/${file}.json`, import.meta.url), 'utf8')) as {
    valid: PairFixture<K>[];
    invalid: PairFixture<K>[];
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);
/** Decodes as the library promises: invalid bytes become U+FFFD, a leading U+FEFF stays. */
export const text = (bytes: Uint8Array): string => decoder.decode(bytes);
export const hex = (spaced: string): Uint8Array =>
  Uint8Array.from(
    spaced
      .split(' ')
      .filter(Boolean)
      .map((h) => Number.parseInt(h, 16)),
  );

export function fixtureBytes(f: PairFixture<unknown>): Uint8Array {
  return f.bodyHex !== undefined ? hex(f.bodyHex) : utf8(f.body!);
}

/** `bytes` copied into the middle of a larger buffer, so views with a byteOffset are exercised. */
export function offsetView(bytes: Uint8Array): Uint8Array {
  const big = new Uint8Array(bytes.length + 7).fill(0x3d);
  big.set(bytes, 3);
  return big.subarray(3, 3 + bytes.length);
}

import { thrown } from '../helpers/decoding.js';

export { thrown };

export function expectStreamError(fn: () => unknown, offset: number, protocol: string, message?: string): void {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(StreamException);
  const e = err as StreamException;
  expect(e.code).toBe('AMPS_BAD_BODY');
  expect(e.offset).toBe(offset);
  expect(e.protocol).toBe(protocol);
  if (message !== undefined) expect(e.message).toBe(message);
}

export function expectCommandError(fn: () => unknown, code: ErrorCode): void {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(CommandException);
  expect((err as CommandException).code).toBe(code);
}

/** Runs `fn`; any exception must be an AMPSException (what bad input may raise). */
export function onlyAmpsErrors(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
    return err;
  }
}

/** One character of awkward text: '=', non-ASCII, astral, U+FEFF, U+FFFD, control bytes, anything. */
export const textUnit = fc.oneof(
  fc.constantFrom('=', 'é', '😀', '\ufeff', '\ufffd', '\x02', 'a', '_'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** Text of up to `maxLength` units with every `banned` string (a separator, '=') taken out. */
export const textWithout = (maxLength: number, ...banned: string[]) =>
  fc.string({ unit: textUnit, maxLength }).map((s) => banned.reduce((acc, c) => acc.split(c).join(''), s));

/** One instance per separator for every run of a property, as a gateway keeps one shredder. */
export function perSeparator<T>(make: (sep: string) => T): (sep: string) => T {
  const made = new Map<string, T>();
  return (sep) => made.get(sep) ?? made.set(sep, make(sep)).get(sep)!;
}
