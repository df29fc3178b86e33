/** One input of decode or stats read to its end through the pipeline, with progress on a terminal. */
import type { CaptureDecoder, CaptureDecoderOptions, CaptureHandler } from '../capture/capture-decoder.js';
import type { StreamException } from '../core/errors.js';
import { describeFileError, openInput } from './input.js';
import { InputDecoder } from './input-decoder.js';
import type { CliIo } from './io.js';
import { Progress } from './progress.js';

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
}

/** Reads `path` (or stdin for `-`) into `handler`, waiting for stdout when it is behind. */
export async function feedInput(path: string, handler: CaptureHandler, options: CaptureDecoderOptions, io: CliIo, hooks: FeedHooks): Promise<FeedResult> {
  let input;
  try {
    input = openInput(path, io);
  } catch (err) {
    return { unreadable: describeFileError(path, err) };
  }
  const decoder = new InputDecoder(input.name, handler, options, CAPTURE_NAME.test(path), hooks.onCapture);
  const progress = new Progress(io.stderr, input.name, input.size, hooks.progress);
  try {
    for await (const chunk of input.chunks) {
      decoder.push(chunk);
      progress.update(decoder.bytes);
      if (io.stdout.backlogged) await io.stdout.flush();
      if (io.stdout.closed) break;
    }
  } catch (err) {
    progress.finish();
    if (err instanceof Error && 'code' in err) return { unreadable: describeFileError(path, err) };
    throw err;
  } finally {
    input.close();
  }
  progress.finish();
  if (io.stdout.closed) return { stopped: true };
  return { name: input.name, decoder, failure: decoder.end() };
}
