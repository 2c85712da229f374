// CPU time of a tree of processes, read from /proc as the Rust side reads Porthole's
// (user + system time over wall time, 100% is one core busy): what lets the benchmarks
// put the dashboard's headless Chromium, all of its processes, beside Porthole's window.
//
//   const cpu = treeCpu(() => descendants(process.pid));   // starts counting
//   ...measure...
//   const percent = cpu.stop();     // percent of one core over the time between
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/PID/stat's times: 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid` in ticks; `null` when it has ended. */
function ticks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "PID (comm) STATE PPID ...": utime and stime are fields 14 and 15, the 12th and
    // 13th after the command name, which may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/);
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Starts counting the CPU of the processes `members` lists (asked again at the end).
 * Processes that start during the count are counted from their start; one that ends
 * before `stop` loses what it used, so the figure is a floor. */
export function treeCpu(members: () => number[]): { stop: () => number } {
  const startedAt = performance.now();
  const before = new Map<number, number>();
  for (const pid of members()) {
    const t = ticks(pid);
    if (t !== null) before.set(pid, t);
  }
  return {
    stop: () => {
      const seconds = (performance.now() - startedAt) / 1000;
      let used = 0;
      for (const pid of members()) {
        const t = ticks(pid);
        if (t !== null) used += t - (before.get(pid) ?? 0);
      }
      return seconds > 0 ? (100 * used) / TICKS_PER_SECOND / seconds : NaN;
    },
  };
}
