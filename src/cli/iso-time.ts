/** Capture times as ISO-8601 text in UTC, at the capture's precision. */
import type { FrameTime } from './format.js';

const DAY = 86400;

/**
 * `2024-01-15T14:30:00.000480Z`: the date and time of `time` in UTC with `time.digits` fraction
 * digits (6 when not given). Works for any whole number of seconds, also outside the range of a
 * JavaScript Date (years past 9999 are written in full, years before 0 with a minus sign).
 */
export function isoTime(time: FrameTime): string {
  // Frames coalesced in one packet share its time.
  const digits = time.digits ?? 6;
  if (time.nanos !== lastNanos || time.seconds !== lastIsoSeconds || digits !== lastDigits) {
    lastIso = secondsText(time.seconds) + '.' + fraction(time.nanos, digits) + 'Z';
    lastIsoSeconds = time.seconds;
    lastNanos = time.nanos;
    lastDigits = digits;
  }
  return lastIso;
}

let lastIso = '';
let lastIsoSeconds = Number.NaN;
let lastNanos = Number.NaN;
let lastDigits = 0;

/** The fraction digits of `nanos`, cut to `digits` (6 to 9). */
function fraction(nanos: number, digits: number): string {
  // 1 followed by the nine digits, leading zeros included, without padding.
  return String(1e9 + nanos).slice(1, 1 + Math.min(9, digits));
}

// Consecutive frames mostly fall in the same second: its text is kept.
let lastSeconds = Number.NaN;
let lastText = '';

/** `YYYY-MM-DDTHH:MM:SS` of whole seconds since the epoch. */
export function secondsText(seconds: number): string {
  if (seconds === lastSeconds) return lastText;
  const days = Math.floor(seconds / DAY);
  const inDay = seconds - days * DAY;
  const [y, m, d] = civilDate(days);
  const year =
    y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
  lastText = `${year}-${two(m)}-${two(d)}T${two(Math.floor(inDay / 3600))}:${two(Math.floor(inDay / 60) % 60)}:${two(inDay % 60)}`;
  lastSeconds = seconds;
  return lastText;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Year, month (1-12) and day of the proleptic Gregorian calendar for days since 1970-01-01. */
function civilDate(days: number): [number, number, number] {
  // Counted in 400-year eras from 0000-03-01, so the leap day ends each year.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
