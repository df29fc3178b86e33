/**
 * Messages per topic over capture time, in a fixed number of bins whose width doubles (merging
 * neighbours) whenever the capture outlasts them: memory is per topic, not per second.
 */

/** Bins per topic. */
export const TIMELINE_BINS = 240;
// The first width, 1 ms: a short capture still spreads over the bins.
const FIRST_WIDTH_NS = 1e6;

/** Counts of messages per topic and time bin. */
export class Timeline {
  /** Width of a bin in nanoseconds. */
  widthNs = FIRST_WIDTH_NS;
  /** Bins in use (the last one holding a message, plus one). */
  used = 0;
  readonly series = new Map<string, Uint32Array>();

  /**
   * Counts a message of `topic` at `atNs` nanoseconds after the capture's first message (not
   * negative). A new topic past `maxTopics` is not given a series and is left out.
   */
  add(topic: string, atNs: number, maxTopics: number): void {
    while (atNs >= TIMELINE_BINS * this.widthNs) this.widen();
    let bins = this.series.get(topic);
    if (bins === undefined) {
      if (this.series.size >= maxTopics) return;
      bins = new Uint32Array(TIMELINE_BINS);
      this.series.set(topic, bins);
    }
    const bin = Math.floor(Math.max(0, atNs) / this.widthNs);
    bins[bin]!++;
    if (bin >= this.used) this.used = bin + 1;
  }

  private widen(): void {
    for (const bins of this.series.values()) {
      for (let i = 0; i < TIMELINE_BINS / 2; i++) bins[i] = bins[2 * i]! + bins[2 * i + 1]!;
      bins.fill(0, TIMELINE_BINS / 2);
    }
    this.used = Math.ceil(this.used / 2);
    this.widthNs *= 2;
  }
}
