import { describe, expect, it } from 'vitest';
import { FIELDS, FIELD_COUNT, Field, fieldId } from '../../src/index.js';
import { loadJson } from '../helpers/fixtures.js';

interface Row {
  name: string;
  type: string;
  json: string[];
  fix: number[];
  xml: string[];
}

// test/fixtures/fields.json is the WIRE.md section 6 table transcribed as data.
const rows = loadJson<Row[]>('fields.json');

describe('the field table', () => {
  it('holds the 49 fields of WIRE.md section 6 in order, with ids matching Field', () => {
    expect(FIELD_COUNT).toBe(49);
    expect(FIELDS.map((f) => f.name)).toEqual(rows.map((r) => r.name));
    FIELDS.forEach((f, i) => {
      expect(f.id).toBe(i);
      expect(Field[f.name as keyof typeof Field]).toBe(i);
    });
    expect(Object.keys(Field)).toEqual(rows.map((r) => r.name));
  });

  it('spells every field as WIRE.md does in every protocol', () => {
    for (const [i, row] of rows.entries()) {
      const f = FIELDS[i]!;
      expect({
        name: f.name,
        type: f.type,
        json: [f.json, ...f.jsonAliases],
        fix: f.fixTag === undefined ? [] : [f.fixTag, ...f.fixAliases],
        xml: f.xml === undefined ? [] : [f.xml, ...f.xmlAliases],
      }).toEqual(row);
    }
  });

  it('has no spelling shared by two fields in any protocol', () => {
    for (const spellings of <(string | number)[][]>[
      FIELDS.flatMap((f) => [f.json, ...f.jsonAliases]),
      FIELDS.flatMap((f) => (f.fixTag === undefined ? [] : [f.fixTag, ...f.fixAliases])),
      FIELDS.flatMap((f) => (f.xml === undefined ? [] : [f.xml, ...f.xmlAliases])),
    ]) {
      expect(new Set(spellings).size).toBe(spellings.length);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(FIELDS)).toBe(true);
    expect(Object.isFrozen(FIELDS[0])).toBe(true);
    expect(Object.isFrozen(Field)).toBe(true);
  });

  it('resolves names, seed aliases and ids', () => {
    expect(fieldId('Topic')).toBe(Field.Topic);
    expect(fieldId('TransmissionTime')).toBe(Field.Timestamp);
    expect(fieldId('TopNRecordsReturned')).toBe(Field.TopN);
    expect(fieldId('SowDelete')).toBe(Field.RecordsDeleted);
    expect(fieldId(Field.SkipN)).toBe(48);
    expect(fieldId(49)).toBeUndefined();
    expect(fieldId(-1)).toBeUndefined();
    expect(fieldId(1.5)).toBeUndefined();
    expect(fieldId('topic')).toBeUndefined();
    expect(fieldId('__proto__')).toBeUndefined();
  });
});
