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
