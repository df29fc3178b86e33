// Message bodies (issue 6, "Speed"): a FIX order and an NVFIX body shredded into a Map, one FIX
// field looked up, and a composite body split into views of its parts, each against the way
// people write it by hand.
import assert from 'node:assert/strict';
import { CompositeMessageBuilder, CompositeMessageParser, FIXShredder, NVFIXShredder } from '../../dist/esm/index.js';

const SEP = '\x01';

const fixText =
  [
    '8=FIX.4.2',
    '9=178',
    '35=D',
    '49=SENDER',
    '56=TARGET',
    '34=12',
    '52=20240101-12:30:00.000',
    '11=ORD10001',
    '21=1',
    '55=IBM',
    '54=1',
    '38=100',
    '44=101.25',
  ].join(SEP) + SEP;
const fixBody = Buffer.from(fixText);

const nvfixText =
  [
    'symbol=IBM',
    'side=buy',
    'qty=100',
    'price=101.25',
    'account=ACC-7731',
    'trader=jsmith',
    'venue=XNYS',
    'tif=day',
  ].join(SEP) + SEP;
const nvfixBody = Buffer.from(nvfixText);

// Two short JSON parts and a 256-byte binary part, as a composite-json-binary body carries them.
const binary = new Uint8Array(256);
for (let i = 0; i < binary.length; i++) binary[i] = (i * 31 + 7) & 0xff;
const compositeBody = Buffer.from(
  new CompositeMessageBuilder()
    .append('{"id":1,"sym":"IBM"}')
    .append('{"qty":100,"px":101.25}')
    .append(binary)
    .getData(),
);

// The obvious way: decode the body, split on the separator, split each field at its first '='.
function obviousShred(body, numericKeys) {
  const map = new Map();
  for (const field of body.toString().split(SEP)) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = field.slice(0, eq);
    map.set(numericKeys ? Number(key) : key, field.slice(eq + 1));
  }
  return map;
}

function obviousGet(body, tag) {
  let value;
  for (const field of body.toString().split(SEP)) {
    const eq = field.indexOf('=');
    if (eq > 0 && Number(field.slice(0, eq)) === tag) value = field.slice(eq + 1);
  }
  return value;
}

// The obvious way: a DataView over the body and one Buffer#subarray per part.
function obviousParts(body, onPart) {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  while (at + 4 <= body.length) {
    const len = view.getUint32(at);
    const start = at + 4;
    if (start + len > body.length) break;
    onPart(body.subarray(start, start + len));
    at = start + len;
  }
}

const fix = new FIXShredder();
const nvfix = new NVFIXShredder();
const parser = new CompositeMessageParser();

let partBytes = 0;
const sumPart = (part) => {
  partBytes += part.length;
};

function oursParts() {
  const n = parser.parse(compositeBody);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += parser.getPartRaw(i).length;
  return sum;
}

function baselineParts() {
  partBytes = 0;
  obviousParts(compositeBody, sumPart);
  return partBytes;
}

export default [
  {
    name: 'fix-shred/13-field-order',
    issue: 6,
    goal: 2,
    ours: () => fix.toMap(fixBody),
    baselineName: 'toString + split + indexOf + Map.set',
    baseline: () => obviousShred(fixBody, true),
    check: () => assert.deepEqual([...fix.toMap(fixBody)], [...obviousShred(fixBody, true)]),
    bytes: fixBody.length,
    note: 'a 13-field FIX 4.2 order (118 bytes) into Map<number, string>; building the 13-entry Map alone costs either side about 250 ns.',
  },
  {
    name: 'fix-get/13-field-order',
    issue: 6,
    ours: () => fix.get(fixBody, 55),
    baselineName: 'toString + split + indexOf',
    baseline: () => obviousGet(fixBody, 55),
    check: () => assert.equal(fix.get(fixBody, 55), obviousGet(fixBody, 55)),
    bytes: fixBody.length,
    note: 'one field (55, the symbol) of the same order, the whole body checked by both.',
  },
  {
    name: 'nvfix-shred/8-field',
    issue: 6,
    goal: 2,
    ours: () => nvfix.toMap(nvfixBody),
    baselineName: 'toString + split + indexOf + Map.set',
    baseline: () => obviousShred(nvfixBody, false),
    check: () => assert.deepEqual([...nvfix.toMap(nvfixBody)], [...obviousShred(nvfixBody, false)]),
    bytes: nvfixBody.length,
    note: 'an 8-field name=value body (91 bytes) into Map<string, string>; the shredder reuses the names of the previous body.',
  },
  {
    name: `composite-parse/3-part-${compositeBody.length}B`,
    issue: 6,
    goal: 1.5,
    ours: oursParts,
    baselineName: 'DataView loop + Buffer#subarray per part',
    baseline: baselineParts,
    check: () => {
      const theirs = [];
      obviousParts(compositeBody, (p) => theirs.push([...p]));
      const n = parser.parse(compositeBody);
      assert.deepEqual(
        Array.from({ length: n }, (_, i) => [...parser.getPartRaw(i)]),
        theirs,
      );
      assert.equal(oursParts(), baselineParts());
    },
    bytes: compositeBody.length,
    note: 'two short JSON parts and a 256-byte binary part; both take a view of every part.',
  },
];
