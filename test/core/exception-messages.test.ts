// Exception messages quote names and values from the wire; none may carry a control character
// (C0, DEL, C1) into whatever prints or logs it: each is written as \xNN.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMPSException, CommandException, StreamException, amps, fix, xml } from '../../src/index.js';
import { CONTROL } from '../helpers/decoding.js';
import { utf8 } from '../helpers/fixtures.js';

const CONTROLS = new RegExp(CONTROL.source, 'g');

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AMPSException);
    return (error as AMPSException).message;
  }
  throw new Error('expected an exception');
}

describe('exception messages', () => {
  it('write every control character of any message as \\xNN and leave the rest as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const e = new StreamException(text, 'AMPS_BAD_JSON', 3, 'amps');
        expect(e.message).not.toMatch(CONTROL);
        const shown = text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
        expect(e.message).toBe(`amps: ${shown} at byte 3`);
        expect(new CommandException(text).message).toBe(shown);
      }),
    );
  });

  it('an xml element name holding a C1 control is quoted escaped', () => {
    // U+009B is CSI: a terminal given it raw would read "2J" as "clear the screen".
    const payload = utf8('<SOAP-ENV:Envelope><SOAP-ENV:Header><\u009b2J>x</Q></SOAP-ENV:Header></SOAP-ENV:Envelope>');
    expect(messageOf(() => xml.decode(payload))).toBe("xml: unexpected 'Q', expected '</\\x9b2J>' at byte 45");
  });

  it('a bad integer value holding ESC and CSI is quoted escaped, in json and fix', () => {
    const json = amps.decode(utf8('{"c":"p","s":"\\u001b[2J\u009b"}'));
    expect(messageOf(() => json.getSequence())).toBe(
      'amps: Sequence value "\\u001b[2J\\x9b" is not an unsigned integer at byte 14',
    );
    const tagged = fix.decode(utf8('20000=p\u000120036=\u001b[2J\u009b\u0001\u0002'));
    const text = messageOf(() => tagged.getSequence());
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('\\u001b[2J\\x9b');
  });
});
