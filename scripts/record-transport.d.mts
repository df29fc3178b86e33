// Types of record-transport.mjs, for the tests that import it.
export interface Chunk {
  conn: number;
  side: 'client' | 'server';
  bytes: Uint8Array;
  time: bigint;
}
export const CLIENT_FRAMES: readonly string[];
export const SERVER_MESSAGES: readonly (readonly string[])[];
export function answer(text: string): string;
export function frame(text: string): Uint8Array;
export function recordTls(options: {
  version: 'TLSv1.2' | 'TLSv1.3';
  cipher: string;
  cert?: 'rsa' | 'ec';
  frames?: readonly string[];
}): Promise<{ chunks: Chunk[]; keyLog: string; suite: string }>;
export function recordWebSocket(options: {
  secure?: boolean;
  deflate?: boolean;
  framing: 'client' | 'binary';
  fragment?: boolean;
  bigBody?: number;
}): Promise<{ chunks: Chunk[]; keyLog: string; extensions: string }>;
