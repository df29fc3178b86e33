import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS, Message } from '../../src/index.js';
import { accessorsSource } from '../helpers/accessors-source.js';

const file = new URL('../../src/core/accessors.ts', import.meta.url);

describe('named accessors', () => {
  it('src/core/accessors.ts is generated from the field table', () => {
    const expected = accessorsSource();
    if (process.env['UPDATE_ACCESSORS'] === '1') writeFileSync(file, expected);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('every field and alias has a working getter and setter', () => {
    for (const f of FIELDS) {
      for (const name of [f.name, ...f.aliases]) {
        const m = new Message() as unknown as Record<string, (v?: unknown) => unknown>;
        expect(m[`set${name}`]!.call(m, '12')).toBe(m);
        const got = m[`get${name}`]!.call(m);
        expect(got).toEqual(f.name === 'Sequence' ? 12n : '12');
        expect((m as unknown as Message).get(f.id)).toBe('12');
      }
    }
  });
});
