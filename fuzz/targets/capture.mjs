/**
 * The whole capture pipeline of `amps-wire decode`: the input as a capture file (pcap or pcapng,
 * told by its magic number; anything else as a raw stream of frames) through reassembly,
 * framing, protocol detection and decoding, to the human and jsonl formats. Human output and
 * every stderr line must carry no control character but the newlines ending lines; jsonl must
 * be one JSON object per line, each naming its connection and index.
 *
 * The command line's modules are not part of the package root: `prepare(base)` imports them
 * from the folder holding the library (dist/esm, or src under the tests).
 */
import { Finding } from '../engine/oracles.mjs';

let cli;

/** A sink with the command line's Output interface that keeps the text. */
class TextSink {
  text = '';
  backlogged = false;
  closed = false;
  isTTY = false;
  columns = 80;
  write(text) {
    this.text += text;
  }
  writeBytes() {
    throw new Finding('contract', 'decode wrote bytes');
  }
  async flush() {}
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

function decodeOnce(input, jsonl) {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const format = jsonl
    ? new cli.JsonlFormat(true)
    : new cli.HumanFormat({ withBody: true, palette: cli.PLAIN, previewWidth: 80 });
  const reporter = new cli.FrameReporter({
    format,
    chooser: new cli.ProtocolChooser(undefined, new Map()),
    filters: new cli.FrameFilter(),
    stdout,
    stderr,
    quiet: false,
  });
  const decoder = new cli.InputDecoder(
    'input',
    reporter,
    { maxFrameLength: 1 << 20 },
    false,
    (capture) => (reporter.clock = capture),
  );
  // Two chunks, cut where the input's last byte says, so records and frames straddle them.
  const cut = input.length === 0 ? 0 : input[input.length - 1] % (input.length + 1);
  decoder.push(input.slice(0, cut));
  decoder.push(input.slice(cut));
  decoder.end();
  reporter.stats.summary(1, false);
  return { stdout: stdout.text, stderr: stderr.text };
}

export const capture = {
  name: 'capture',
  requires: ['amps'],
  dictionary: 'binary',
  code: ['capture', 'cli', 'frame'],
  fixtures: [],
  async prepare(base) {
    const load = (path) => import(base + path);
    cli = {
      ...(await load('cli/input-decoder.js')),
      ...(await load('cli/reporter.js')),
      ...(await load('cli/human.js')),
      ...(await load('cli/jsonl.js')),
      ...(await load('cli/protocol-choice.js')),
      ...(await load('cli/filters.js')),
      ...(await load('core/bytes.js')),
      writer: await load('cli/synthetic/capture-writer.js'),
    };
  },
  /** Small captures of every kind the pipeline reads, built with the capture writer. */
  seeds(lib) {
    const { PcapWriter, PcapngWriter, TcpConversation, buildPacket } = cli.writer;
    const frameOf = (text) => lib.frame(new TextEncoder().encode(text));
    const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const segments = [
      ...conv.handshake(),
      ...conv.send('client', frameOf('{"c":"publish","t":"orders","cid":"1"}{"id":1}'), { sizes: [7, 30] }),
      ...conv.send('server', frameOf('{"c":"sow","bs":2}{"k":"1","l":2}ab{"k":"2","l":0}')),
      ...conv.send('client', frameOf('20000=p\x0120005=t\x01\x02body')),
    ];
    const pcap = new PcapWriter({});
    const ng = new PcapngWriter();
    const concat = cli.concatBytes;
    return [
      concat([pcap.header(), ...segments.map((s, i) => pcap.record(buildPacket(s), 1_700_000_000, i * 1000))]),
      concat([
        ng.section(),
        ng.interface({ linkType: 1, tsresol: 9 }),
        ...segments.map((s, i) => ng.enhancedPacket(0, buildPacket(s), 1_700_000_000, i)),
      ]),
      concat([
        frameOf('{"c":"ack"}'),
        frameOf('<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>p</Cmd></SOAP-ENV:Header></SOAP-ENV:Envelope>'),
      ]),
    ];
  },
  run(_lib, input) {
    if (cli === undefined) throw new Error('the capture target was not prepared');
    for (const jsonl of [false, true]) {
      const { stdout, stderr } = decodeOnce(input, jsonl);
      for (const line of stderr.split('\n')) {
        if (CONTROL.test(line))
          throw new Finding('contract', `a control character reached stderr: ${JSON.stringify(line.slice(0, 200))}`);
      }
      if (stdout !== '' && !stdout.endsWith('\n')) throw new Finding('contract', 'output does not end with a newline');
      const lines = stdout === '' ? [] : stdout.slice(0, -1).split('\n');
      for (const line of lines) {
        if (CONTROL.test(line))
          throw new Finding(
            'contract',
            `a control character reached ${jsonl ? 'jsonl' : 'human'} output: ${JSON.stringify(line.slice(0, 200))}`,
          );
        if (!jsonl) continue;
        let object;
        try {
          object = JSON.parse(line);
        } catch {
          throw new Finding('contract', `a jsonl line is not JSON: ${line.slice(0, 200)}`);
        }
        if (typeof object?.conn !== 'string' || !Number.isInteger(object.index))
          throw new Finding('contract', `a jsonl object has no conn and index: ${line.slice(0, 200)}`);
      }
    }
  },
};
