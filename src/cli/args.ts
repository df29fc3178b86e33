/** Argument parsing for the subcommands, over Node's util.parseArgs, with usage errors that exit 2. */
import { parseArgs } from 'node:util';

/** Bad usage: the command prints the message and a pointer to --help, and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One option: a flag, or an option taking a value (possibly repeated). */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly multiple?: boolean;
  readonly short?: string;
  /** The values a string option accepts. */
  readonly choices?: readonly string[];
}

/** Parsed arguments: option values by name, and the positionals in order. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses `argv` against `specs`; throws UsageError for an unknown option, a missing value or a bad choice. */
export function parseCommandLine(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const options: Record<string, { type: 'boolean' | 'string'; multiple?: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(cleanMessage(err));
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = parsed.values[name];
    if (spec.choices === undefined || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && !spec.choices.includes(v)) {
        throw new UsageError(`--${name} takes one of ${spec.choices.join(', ')}; got ${JSON.stringify(v)}`);
      }
    }
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
}

// util.parseArgs messages mention its own API ("To specify an option argument starting with
// a dash use --foo=-XYZ"): keep the first sentence, which names the problem.
function cleanMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('. ')[0] ?? message;
  return first.endsWith('.') ? first.slice(0, -1) : first;
}

/** A string option's value, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values, each split at commas. */
export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return raw.flatMap((s) => s.split(',')).filter((s) => s !== '');
}

/** A non-negative integer option (accepting `k`, `M`/`MiB` and `G` suffixes), or `fallback`. */
export function sizeOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const size = parseSize(v);
  if (size === undefined)
    throw new UsageError(`--${name} takes a whole number of bytes (e.g. 65536, 64k, 16M); got ${JSON.stringify(v)}`);
  return size;
}

/** `65536`, `64k`, `64KiB`, `16M`, `16MiB`, `1G` as a number of bytes; undefined when not such a size. */
export function parseSize(text: string): number | undefined {
  let digits = 0;
  while (digits < text.length && text.charCodeAt(digits) >= 0x30 && text.charCodeAt(digits) <= 0x39) digits++;
  if (digits === 0) return undefined;
  const n = Number(text.slice(0, digits));
  const unit = text.slice(digits).toLowerCase();
  const scale: Record<string, number> = {
    '': 1,
    b: 1,
    k: 1024,
    kb: 1024,
    kib: 1024,
    m: 1 << 20,
    mb: 1 << 20,
    mib: 1 << 20,
    g: 1 << 30,
    gb: 1 << 30,
    gib: 1 << 30,
  };
  const s = scale[unit];
  return s === undefined ? undefined : n * s;
}
