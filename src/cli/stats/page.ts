/** Placeholder replaced below. */
import type { StatsCollector, StatsReport } from './collector.js';
export function statsPage(_r: StatsReport, _c: StatsCollector): string {
  return '';
}
