/**
 * `--keylog FILE` (default: the file `SSLKEYLOGFILE` names) and the Node support the capture
 * decoder's TLS and WebSocket layers need.
 */
import { readFileSync } from 'node:fs';
import type { TransportOptions } from '../capture/transport.js';
import { nodeTransportOptions } from '../node/capture-support.js';
import { stringOption, UsageError, type OptionSpec, type ParsedArgs } from './args.js';

/** The option decode, stats and bench take. */
export const KEYLOG_OPTION: Record<string, OptionSpec> = { keylog: { type: 'string' } };

/**
 * Transport options from `--keylog` or `SSLKEYLOGFILE`. A `--keylog` file that cannot be read is a
 * usage error; a missing `SSLKEYLOGFILE` file only means no secrets (the variable is often set
 * for other programs).
 */
export function transportOptions(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
): TransportOptions {
  const named = stringOption(args, 'keylog');
  const path = named ?? (env['SSLKEYLOGFILE'] || undefined);
  if (path === undefined) return nodeTransportOptions();
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    if (named === undefined) return nodeTransportOptions();
    throw new UsageError(
      `--keylog ${JSON.stringify(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return nodeTransportOptions(text);
}
