/** `--stats-interval 5s`: something done again every so often while a long (live) run reads. */
import { UsageError } from './args.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, '': 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `500ms`, `5s`, `5` (seconds), `2m`, `1h` in milliseconds; UsageError for anything else or zero. */
export function parseInterval(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(text);
  const unit = m === null ? undefined : UNITS[m[2]!];
  const ms = m === null || unit === undefined ? Number.NaN : Number(m[1]) * unit;
  if (!(ms > 0))
    throw new UsageError(`--${option} takes a duration such as 5s, 500ms or 1m; got ${JSON.stringify(text)}`);
  return ms;
}

/** Tells when another interval has passed, by a clock it is given. */
export class Every {
  private next: number;

  constructor(
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {
    this.next = now() + ms;
  }

  /** Whether the next interval has come (then counts from now). */
  due(): boolean {
    const t = this.now();
    if (t < this.next) return false;
    this.next = t + this.ms;
    return true;
  }
}
