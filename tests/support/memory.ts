// Memory over time, as the soak and the memory guard measure it: the resident set of a
// process and of the WebKit processes below it, read from /proc, and the straight line
// that fits the samples best (least squares). A slope fitted over every sample says
// whether memory grows; one sample against another says mostly when the GC ran.
import { readFileSync } from "node:fs";
import { descendants } from "./agentBrowser";

/** One reading of one process. */
export interface Reading {
  pid: number;
  /** What `comm` says: `porthole`, `WebKitWebProces`, `WebKitNetworkP`… */
  name: string;
  rssMb: number;
  /** User plus system CPU time so far, seconds. */
  cpuSeconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function read(pid: number): Reading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // After "pid (comm)": state is field 3, utime 14, stime 15 (1-based in proc(5)).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    if (!Number.isFinite(kb)) return null;
    return { pid, name, rssMb: kb / 1024, cpuSeconds };
  } catch {
    return null; // The process ended between listing and reading.
  }
}

/** `pid` itself and every WebKit process below it (web, network, GPU), in pid order. */
export function readTree(pid: number): Reading[] {
  return [pid, ...descendants(pid).sort((a, b) => a - b)]
    .map(read)
    .filter((r): r is Reading => r !== null && (r.pid === pid || r.name.startsWith("WebKit")));
}

/** A least-squares line through `(x, y)` points. */
export interface Fit {
  slope: number;
  intercept: number;
  at(x: number): number;
}

export function fitLine(points: Array<[number, number]>): Fit | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  const intercept = my - slope * mx;
  return { slope, intercept, at: (x) => intercept + slope * x };
}

/** How memory moved over a stretch of samples (minutes, MB). */
export interface Growth {
  /** The fitted slope, MB per minute. */
  mbPerMinute: number;
  /** The fitted line's rise from the first sample to the last, as a share of where it started. */
  percent: number;
  first: number;
  last: number;
  peak: number;
}

export function growth(points: Array<[number, number]>): Growth | null {
  const fit = fitLine(points);
  if (!fit) return null;
  const start = fit.at(points[0][0]);
  const end = fit.at(points[points.length - 1][0]);
  return {
    mbPerMinute: fit.slope,
    percent: start > 0 ? ((end - start) / start) * 100 : NaN,
    first: points[0][1],
    last: points[points.length - 1][1],
    peak: Math.max(...points.map(([, y]) => y)),
  };
}
