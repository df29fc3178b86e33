/**
 * Inputs of the decode and bench commands: a file read in fresh chunks (readers downstream may
 * keep views of a chunk, so no buffer is reused), or stdin (`-`).
 */
import { Buffer } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { concatBytes } from '../core/bytes.js';
import type { CliIo } from './io.js';

/** One input: its name, size when known, and its bytes in chunks. */
export interface Input {
  readonly name: string;
  readonly size: number | undefined;
  readonly chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Read as it arrives (a pipe or a terminal): output should follow it at once. */
  readonly live: boolean;
  /** Releases the file when the chunks will not be read to the end. */
  close(): void;
}

/**
 * Bytes read from a file per chunk. Chunks are new each time and live as long as a frame holds
 * a view of them; measured on a 256 MiB capture, 64 KiB chunks keep V8's external memory near
 * 1 MiB where 256 KiB and 1 MiB chunks let it reach 64 MiB, at the same speed.
 */
export const CHUNK_SIZE = 64 * 1024;

/** Opens `path` (or stdin for `-`). Throws the file system's error when it cannot be read. */
export function openInput(path: string, io: CliIo): Input {
  if (path === '-')
    return { name: 'stdin', size: undefined, chunks: io.stdin, live: io.stdinIsFile !== true, close() {} };
  let fd: number | undefined = openSync(path, 'r');
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    return { name: path, size: info.size, chunks: readChunks(fd, close), live: false, close };
  } catch (err) {
    close();
    throw err;
  }
}

// Reads with readSync: the command does nothing else meanwhile, and awaiting a promise per
// 64 KiB read cost more than the read itself (measured: ten times the synchronous loop).
function* readChunks(fd: number, close: () => void): Generator<Uint8Array> {
  try {
    for (;;) {
      // Not zero-filled (the read overwrites it), and never a slice of Node's shared pool.
      const buffer = Buffer.allocUnsafeSlow(CHUNK_SIZE);
      const bytesRead = readSync(fd, buffer, 0, CHUNK_SIZE, null);
      if (bytesRead === 0) return;
      // A plain Uint8Array view: subarray() on a Buffer goes through its species constructor,
      // which costs on every packet cut from the chunk.
      yield new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
    }
  } finally {
    close();
  }
}

/** A readable explanation of a file system error. */
export function describeFileError(path: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    case 'EISDIR':
      return `${path}: is a directory`;
    default:
      return `${path}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The whole of an input, for small inputs (encode descriptions, data files). */
export async function readAll(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limit = 256 * 1024 * 1024,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) throw new Error(`input larger than ${limit} bytes`);
    parts.push(chunk);
  }
  return concatBytes(parts, total);
}
