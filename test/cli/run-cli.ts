/** Runs the command line in-process with in-memory stdout/stderr/stdin, for the CLI tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryOutput, type CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stdoutBytes: Uint8Array;
  stderr: string;
}

export interface RunOptions {
  stdin?: Uint8Array | string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  env?: Record<string, string | undefined>;
}

/** `amps-wire ...argv`, run in this process. */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new MemoryOutput(options.stdoutTTY ?? false, 120);
  const stderr = new MemoryOutput(options.stderrTTY ?? false, 120);
  const input = typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : options.stdin;
  const io: CliIo = {
    stdout,
    stderr,
    stdin: (async function* () {
      if (input !== undefined) for (let p = 0; p < input.length; p += 1000) yield input.slice(p, p + 1000);
    })(),
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.text(), stdoutBytes: stdout.bytes(), stderr: stderr.text() };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'amps-wire-cli-'));
}

/** Writes `bytes` to a new file in a temporary directory; returns its path. */
export function tempFile(name: string, bytes: Uint8Array | string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

/** The JSON objects of jsonl output. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
