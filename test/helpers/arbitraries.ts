// fast-check arbitraries shared by the codec property tests: Messages with any subset of the
// header fields and awkward values.
import fc from 'fast-check';
import { FIELDS, Field, Message, type FieldDescriptor } from '../../src/index.js';

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings with quotes, backslashes, control characters, non-ASCII, markup and separators. */
export const awkwardString = (options: { loneSurrogates?: boolean; exclude?: string } = {}) => {
  const pieces = [
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom(
      '"',
      '\\',
      '\\u0041',
      '/',
      '\n',
      '\r',
      '\t',
      '\b',
      '\f',
      '\x00',
      '\x1f',
      '\x7f',
      'é',
      '€',
      '😀',
      '中文',
      '<',
      '>',
      '&',
      '&amp;',
      ']]>',
      '<![CDATA[',
      '=',
      ',',
      '|',
      ' ',
      '',
    ),
    ...(options.loneSurrogates ? [loneSurrogate] : []),
  ];
  const arb = fc.array(fc.oneof(...pieces), { maxLength: 5 }).map((parts) => parts.join(''));
  if (options.exclude === undefined) return arb;
  const banned = options.exclude;
  return arb.map((s) => [...s].filter((ch) => !banned.includes(ch)).join(''));
};

/** Unsigned integers as decimal text, from 0 to 2^64-1, biased to the edges. */
export const uintText = fc.oneof(
  fc.constantFrom('0', '1', '9007199254740991', '9007199254740992', '18446744073709551615'),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.nat().map(String),
);

/** A value for one field: digits for integer fields, any awkward string otherwise. */
export function fieldValue(f: FieldDescriptor, options: { loneSurrogates?: boolean; exclude?: string } = {}) {
  return f.type === 'int' ? uintText : awkwardString(options);
}

/** A list of [field, value] pairs over a random subset of `fields`, in random order. */
export function fieldSubset(
  fields: readonly FieldDescriptor[],
  options: { loneSurrogates?: boolean; exclude?: string } = {},
) {
  return fc
    .subarray([...fields])
    .chain((chosen) => fc.shuffledSubarray(chosen, { minLength: chosen.length, maxLength: chosen.length }))
    .chain((chosen) => fc.tuple(...chosen.map((f) => fieldValue(f, options).map((v) => [f, v] as const))));
}

/** A Message holding the given fields and body. */
export function messageOf(pairs: readonly (readonly [FieldDescriptor, string])[], data: Uint8Array): Message {
  const m = new Message();
  for (const [f, v] of pairs) m.set(f.id, v);
  return m.setData(data);
}

/** Field name → value of every field set on `m`. */
export function valuesOf(m: Message): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of m.fields()) out[FIELDS[id]!.name] = m.get(id)!;
  return out;
}

export const anyBytes = fc.uint8Array({ maxLength: 300 });

/**
 * The fields every header protocol spells (json spells all; fix has no GracePeriod; none has
 * SkipN), MessageLength aside: it is set from the body, as servers send it.
 */
export const COMMON_FIELDS = FIELDS.filter(
  (f) => f.fixTag !== undefined && f.xml !== undefined && f.id !== Field.MessageLength,
);

/** Whether `pairs` leave Command other than sow (a sow message needs a batch for a body). */
export const notSow = (pairs: readonly (readonly [FieldDescriptor, string])[]): boolean =>
  !pairs.some(([f, v]) => f.id === Field.Command && v === 'sow');

/** Messages every protocol can write: common fields, values without fix's separators, a body. */
export function commonMessages(maxBody: number) {
  return fc
    .tuple(fieldSubset(COMMON_FIELDS, { exclude: '\x01\x02' }).filter(notSow), fc.uint8Array({ maxLength: maxBody }))
    .map(([pairs, data]) => messageOf(pairs, data));
}
