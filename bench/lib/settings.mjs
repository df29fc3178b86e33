// How long and how often things are measured, in full runs and in --quick runs (CI).

/** Case runs: warm-up (CPU ms), sample length (CPU ms), interleaved rounds, allocation batches. */
export const CASE_SETTINGS = {
  quick: { warmupMs: 150, sampleMs: 2, rounds: 6, allocSamples: 2, allocMaxOps: 100_000, allocBatchMs: 20 },
  full: { warmupMs: 500, sampleMs: 20, rounds: 31, allocSamples: 5, allocMaxOps: 1_000_000, allocBatchMs: 300 },
};

/**
 * Throughput mode: size of the mixed stream and of each size-series stream, timed passes, and
 * how long to warm up first (the mixed stream, then each series point).
 */
export const THROUGHPUT_SETTINGS = {
  quick: { mixedBytes: 4 << 20, seriesBytes: 1 << 20, passes: 1, warmupMs: 150, seriesWarmupMs: 20 },
  full: { mixedBytes: 256 << 20, seriesBytes: 64 << 20, passes: 3, warmupMs: 1000, seriesWarmupMs: 250 },
};
