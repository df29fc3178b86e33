// Every fix tag and xml element name of WIRE.md section 6 (test/fixtures/fields.json) decodes to
// its field, and is exercised by the fixtures as well.
import { describe, expect, it } from 'vitest';
import { fix, nvfix, xml } from '../../src/index.js';
import { loadFixtures, loadJson, utf8 } from '../helpers/fixtures.js';

interface Row {
  name: string;
  fix: number[];
  xml: string[];
}
const rows = loadJson<Row[]>('fields.json');

function payloads(folder: string): string[] {
  return loadFixtures<{ payload: string }>(folder, 'valid').map(({ fixture }) => fixture.payload);
}

describe('every spelling of WIRE.md section 6', () => {
  it('each fix tag decodes to its field in fix and nvfix', () => {
    for (const row of rows) {
      for (const tag of row.fix) {
        for (const p of [fix, nvfix]) {
          const m = p.decode(utf8(`${tag}=0\x01\x02`)); // 0: a MessageLength needs digits
          expect(m.get(row.name), `${p.name} ${tag}`).toBe('0');
          expect([...m.fields()]).toHaveLength(1);
        }
      }
    }
  });

  it('each xml element name decodes to its field', () => {
    for (const row of rows) {
      for (const name of row.xml) {
        const m = xml.decode(
          utf8(`<SOAP-ENV:Envelope><SOAP-ENV:Header><${name}>v</${name}></SOAP-ENV:Header></SOAP-ENV:Envelope>`),
        );
        expect(m.get(row.name), name).toBe('v');
        expect([...m.fields()]).toHaveLength(1);
      }
    }
  });

  it('the fixtures use every spelling', () => {
    const fixWire = [...payloads('fix'), ...payloads('nvfix')].join('\n');
    const xmlWire = payloads('xml').join('\n');
    for (const row of rows) {
      for (const tag of row.fix) expect(fixWire.includes(`${tag}=`), `fix tag ${tag}`).toBe(true);
      for (const name of row.xml) expect(xmlWire.includes(`<${name}>`), `xml element ${name}`).toBe(true);
    }
  });
});
