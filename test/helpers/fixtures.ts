// Loads fixture files: test/fixtures/<protocol>/{valid,invalid}/*.json, one case per file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../fixtures/', import.meta.url).pathname;

export function loadFixtures<T>(protocol: string, kind: 'valid' | 'invalid'): { name: string; fixture: T }[] {
  const dir = join(root, protocol, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), fixture: JSON.parse(readFileSync(join(dir, f), 'utf8')) as T }));
}

export function loadJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
}

const encoder = new TextEncoder();
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** The fields and body one SOW record of a fixture holds. */
export interface RecordCase {
  fields: Record<string, string>;
  body: string;
}

/** A payload that must decode: to these fields, body and records, and encode to `encoded`. */
export interface ValidCase<Options = never> {
  description: string;
  payload: string;
  fields: Record<string, string>;
  body?: string;
  records?: RecordCase[];
  encoded?: string;
  unknown?: Record<string, string>;
  absent?: string[];
  ints?: Record<string, number>;
  bigints?: Record<string, string>;
  options?: Options;
  /** Why some cuts of this payload decode (its body runs to the end of the payload). */
  truncationUndetectable?: string;
}

/** A payload that must fail with this code at this offset (and this exact message, where given). */
export interface InvalidCase<Options = never> {
  description?: string;
  payload: string;
  code: string;
  offset: number;
  message?: string;
  options?: Options;
}
