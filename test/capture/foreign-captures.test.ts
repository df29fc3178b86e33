// Captures written by another tool (dumpcap, Wireshark's capture engine) on a real loopback
// interface, so capture reading is not only checked against amps-wire's own writer. The
// expectations in test/fixtures/captures/loopback.json were read off with tshark.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Message, amps, fix } from '../../src/index.js';
import { decodeCapture } from '../helpers/pcap-writer.js';

interface Expectations {
  files: Record<string, { client: string; server: string; times: string[] }>;
  frames: { from: 'client' | 'server'; index: number; text: string }[];
}

const dir = new URL('../fixtures/captures/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('loopback.json', dir), 'utf8')) as Expectations;

describe('captures made by dumpcap', () => {
  for (const [name, file] of Object.entries(expected.files)) {
    const bytes = new Uint8Array(readFileSync(new URL(name, dir)));
    const conn = { client: `${file.client}->${file.server}`, server: `${file.server}->${file.client}` };

    it(`${name}: every frame, in order, with the time of the packet that completed it`, () => {
      const { recorder, decoder, error } = decodeCapture(bytes);
      expect(error).toBeUndefined();
      const frames = recorder.of('frame').map((e) => ({
        conn: e.conn,
        index: e.index,
        text: e.text,
        time: `${e.seconds}.${String(e.nanos).padStart(9, '0')}`,
      }));
      expect(frames).toEqual(
        expected.frames.map((f, i) => ({ conn: conn[f.from], index: f.index, text: f.text, time: file.times[i] })),
      );
      expect(recorder.of('truncated')).toEqual([]);
      expect(recorder.of('frameError')).toEqual([]);
      expect(recorder.of('warning')).toEqual([]);
      expect(decoder.stats.packets).toBe(16);
    });

    it(`${name}: the same frames whatever the chunks the file arrives in`, () => {
      const whole = decodeCapture(bytes).recorder.frames();
      for (const size of [1, 7, 64]) expect(decodeCapture(bytes, [size]).recorder.frames()).toEqual(whole);
    });
  }

  it('the frames decode as the messages the client and server sent', () => {
    const [publish, ack, split, fixAck] = expected.frames.map((f) => new TextEncoder().encode(f.text));
    const m = new Message();
    expect(amps.decode(publish!, m).getTopic()).toBe('orders');
    expect(m.getData()).toEqual(new TextEncoder().encode('{"id":1,"qty":300}'));
    expect(amps.decode(ack!).getStatus()).toBe('success');
    expect(amps.decode(split!).getCommandId()).toBe('2');
    const last = fix.decode(fixAck!);
    expect([last.getCommand(), last.getCommandId(), last.getAckType()]).toEqual(['ack', '2', 'processed']);
  });
});
