/** Ack types as bit flags, and their comma-separated wire form (docs/wire-format.md section 6). */
import { CommandException } from './errors.js';

/** Ack type bit flags; combine with `|`. */
export const AckType = Object.freeze({
  None: 0,
  Received: 1,
  Parsed: 2,
  Processed: 4,
  Persisted: 8,
  Completed: 16,
  Stats: 32,
} as const);

const NAMES: readonly (readonly [string, number])[] = [
  ['received', AckType.Received],
  ['parsed', AckType.Parsed],
  ['processed', AckType.Processed],
  ['persisted', AckType.Persisted],
  ['completed', AckType.Completed],
  ['stats', AckType.Stats],
];

/** The ack type names in bit order: name `i` is the flag `1 << i`. @internal */
export const ACK_TYPE_NAMES: readonly string[] = NAMES.map(([name]) => name);

/**
 * Flags for a comma-separated ack type list such as `'processed,completed'`. Whitespace around
 * names is ignored; `none` and empty items add nothing. An unknown name is a CommandException.
 */
export function parseAckTypes(text: string): number {
  const single = FLAGS_BY_NAME.get(text);
  if (single !== undefined) return single;
  let flags = 0;
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '' || name === 'none') continue;
    const hit = NAMES.find(([n]) => n === name);
    if (hit === undefined) throw new CommandException(`unknown ack type ${JSON.stringify(name)}`);
    flags |= hit[1];
  }
  return flags;
}

function formatFlags(flags: number): string {
  let out = '';
  for (const [name, bit] of NAMES) if (flags & bit) out = out === '' ? name : `${out},${name}`;
  return out === '' ? 'none' : out;
}

// Every combination of the six flags in its wire form, and each single name's flag: a command
// sets its ack type once per message.
const FORMATTED: readonly string[] = Array.from({ length: 1 << NAMES.length }, (_, flags) => formatFlags(flags));
const FLAGS_BY_NAME = new Map<string, number>([['none', 0], ['', 0], ...NAMES]);

/** The wire form of ack type flags, in the canonical order; `formatAckTypes(0)` is `'none'`. */
export function formatAckTypes(flags: number): string {
  // Bits above the six flags name no ack type.
  return FORMATTED[flags & (FORMATTED.length - 1)]!;
}
