/** A progress bar on stderr for long decodes: shown only on a terminal, after a short while. */
import type { Output } from './io.js';

const START_AFTER_MS = 400;
const EVERY_MS = 150;

/** Progress through one input of known (or unknown) size. */
export class Progress {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stderr: Output,
    private readonly name: string,
    private readonly total: number | undefined,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Bytes done so far; redraws at most every 150 ms. */
  update(done: number): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < START_AFTER_MS || now - this.lastDraw < EVERY_MS) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = `${(done / 1e6 / seconds).toFixed(0)} MB/s`;
    let line: string;
    if (this.total !== undefined && this.total > 0) {
      const fraction = Math.min(1, done / this.total);
      const width = Math.max(10, Math.min(40, this.stderr.columns - 60));
      const filled = Math.round(fraction * width);
      line = `${this.name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(this.total)} MB ${rate}`;
    } else {
      line = `${this.name} ${mb(done)} MB ${rate}`;
    }
    this.stderr.write(`\r${line}\x1b[K`);
    // Shown now: a bar waiting in a buffer with other output is no progress bar.
    this.stderr.push();
    this.drawn = true;
  }

  /** Clears the bar. */
  finish(): void {
    if (this.drawn) {
      this.stderr.write('\r\x1b[K');
      this.stderr.push();
    }
    this.drawn = false;
  }
}

function mb(n: number): string {
  return (n / 1e6).toFixed(0);
}
