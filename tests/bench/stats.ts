// The figures every viewer in the benchmarks reports, in the shape `porthole
// --measure-out` and the floor client print.

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface Summary {
  frames: number;
  fps: number;
  latencyMs: Percentiles | null;
  bytes: number;
}

/** Nearest-rank percentiles, as the Rust side computes them. */
export function percentiles(samples: number[]): Percentiles | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(Math.max(Math.ceil((p / 100) * sorted.length), 1), sorted.length) - 1];
  return { p50: at(50), p90: at(90), p99: at(99) };
}

export function summarize(frames: number, seconds: number, latencies: number[]): Summary {
  return { frames, fps: seconds > 0 ? frames / seconds : 0, latencyMs: percentiles(latencies), bytes: 0 };
}

export function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
}
