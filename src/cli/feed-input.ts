/** One input of decode or stats read to its end through the pipeline, with progress on a terminal. */
import type { CaptureDecoder, CaptureDecoderOptions, CaptureHandler } from '../capture/capture-decoder.js';
import type { StreamException } from '../core/errors.js';
import { describeFileError, openInput } from './input.js';
import { InputDecoder } from './input-decoder.js';
import type { CliIo } from './io.js';
import type { Interrupt } from './interrupt.js';
import { Progress } from './progress.js';

// Chunks of a file read between two turns of the event loop (64 KiB each): 1 MiB.
const YIELD_EVERY = 16;

// Inputs named like captures must be captures, not raw frames.
const CAPTURE_NAME = /\.(pcap|pcapng|cap)$/i;

/** How reading an input ended. */
export type FeedResult =
  /** The input could not be opened or read: why. */
  | { readonly unreadable: string }
  /** The reader of stdout went away: nothing more is wanted. */
  | { readonly stopped: true }
  /** Read to its end; `failure` when it turned out to be a corrupt capture. */
  | { readonly name: string; readonly decoder: InputDecoder; readonly failure: StreamException | undefined };

/** What {@link feedInput} does besides feeding the handler. */
export interface FeedHooks {
  /** Called when the input turns out to be a capture, before its first packet. */
  onCapture?: (capture: CaptureDecoder) => void;
  /** Draw a progress bar on stderr. */
  progress: boolean;
  /** Called after each chunk, with the bytes of this input read so far. */
  tick?: (bytes: number) => void;
}

/** Reads `path` (or stdin for `-`) into `handler`, waiting for stdout when it is behind. */
export async function feedInput(
  path: string,
  handler: CaptureHandler,
  options: CaptureDecoderOptions,
  io: CliIo,
  hooks: FeedHooks,
): Promise<FeedResult> {
  let input;
  try {
    input = openInput(path, io);
  } catch (err) {
    return { unreadable: describeFileError(path, err) };
  }
  const decoder = new InputDecoder(input.name, handler, options, CAPTURE_NAME.test(path), hooks.onCapture);
  const progress = new Progress(io.stderr, input.name, input.size, hooks.progress);
  const interrupt = io.interrupt;
  const disarm = interrupt?.arm();
  if (input.live) {
    io.stdout.live = true;
    io.stderr.live = true;
  }
  try {
    const chunks = nextChunk(input.chunks, interrupt);
    for (let n = 1; ; n++) {
      const chunk = await chunks();
      if (chunk === undefined) break;
      decoder.push(chunk);
      progress.update(decoder.bytes);
      hooks.tick?.(decoder.bytes);
      if (input.live) {
        // What this chunk completed goes out now, not when 4 KiB have gathered.
        io.stdout.push();
        io.stderr.push();
      } else if (interrupt !== undefined && n % YIELD_EVERY === 0) {
        // A file is read without waiting: let a signal handler run now and then.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (io.stdout.backlogged) await io.stdout.flush();
      if (io.stdout.closed || interrupt?.requested === true) break;
    }
  } catch (err) {
    progress.finish();
    if (err instanceof Error && 'code' in err) return { unreadable: describeFileError(path, err) };
    throw err;
  } finally {
    disarm?.();
    input.close();
  }
  progress.finish();
  if (io.stdout.closed) return { stopped: true };
  const failure = decoder.end();
  // Stopped by Ctrl-C: a capture cut in the middle of a packet is no corrupt capture.
  return { name: input.name, decoder, failure: interrupt?.requested === true ? undefined : failure };
}

/**
 * The chunks of an input one at a time, undefined at the end or once `interrupt` is requested.
 * Waiting on stdin gives way to Ctrl-C without leaving a reaction behind per chunk (as racing
 * against the same long-lived promise every time would).
 */
function nextChunk(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  interrupt: Interrupt | undefined,
): () => Promise<Uint8Array | undefined> {
  if (!(Symbol.asyncIterator in chunks)) {
    const it = chunks[Symbol.iterator]();
    return async () => {
      const r = it.next();
      if (r.done === true) return undefined;
      return r.value;
    };
  }
  const it = chunks[Symbol.asyncIterator]();
  return () =>
    new Promise<Uint8Array | undefined>((resolve, reject) => {
      if (interrupt?.requested === true) {
        resolve(undefined);
        return;
      }
      if (interrupt !== undefined) {
        interrupt.onRequest = () => {
          resolve(undefined);
          // Stop reading stdin, so that nothing keeps the process waiting for it.
          void it.return?.();
        };
      }
      it.next().then((r) => resolve(r.done === true ? undefined : r.value), reject);
    });
}
