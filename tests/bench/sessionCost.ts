// What one agent-browser session costs in memory on this machine: the daemon and every
// process below it (Chromium's), on the demo page, a few seconds after it opened. It is
// what "New browser…" and `porthole open` check for before they start one
// (SESSION_NEED_MB in crates/porthole-core/src/launch.rs: this figure with a margin).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { agentBrowser, descendants, pidOf, ROOT, startSession } from "../support/agentBrowser";
import { median } from "./stats";

const kb = (path: string, field: string): number => {
  try {
    const line = readFileSync(path, "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${field}:`));
    return Number(line?.split(/\s+/)[1] ?? 0);
  } catch {
    return 0; // The process ended while it was read.
  }
};

/** The `SESSION_NEED_MB` the code uses, read from its source. */
function needInCode(): number {
  const source = readFileSync(join(ROOT, "crates/porthole-core/src/launch.rs"), "utf8");
  return Number(source.match(/pub const SESSION_NEED_MB: u64 = (\d+);/)?.[1] ?? NaN);
}

export async function measureSessionCost(options: {
  workspace: string;
  sockets: string;
  page: string;
  rounds: number;
  settleMs: number;
}): Promise<string[]> {
  const rows: Array<{ rss: number; pss: number; processes: number }> = [];
  for (let round = 0; round < options.rounds; round++) {
    const session = await startSession(`cost-${round}`, options.workspace, options.sockets, options.page);
    await new Promise((r) => setTimeout(r, options.settleMs));
    const daemon = pidOf(session);
    const pids = [daemon, ...descendants(daemon)];
    const rss = pids.reduce((sum, pid) => sum + kb(`/proc/${pid}/status`, "VmRSS"), 0) / 1024;
    const pss = pids.reduce((sum, pid) => sum + kb(`/proc/${pid}/smaps_rollup`, "Pss"), 0) / 1024;
    rows.push({ rss, pss, processes: pids.length });
    await agentBrowser(session, "close");
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const rss = median(rows.map((r) => r.rss));
  const pss = median(rows.map((r) => r.pss));
  const need = needInCode();
  return [
    `One session (the daemon and its Chromium) on the demo page, ${options.settleMs / 1000} s after \`agent-browser open\`, ${options.rounds} sessions one after another:`,
    "",
    "| session | processes | RSS, summed (MB) | PSS, summed (MB) |",
    "|---|---|---|---|",
    ...rows.map((r, i) => `| ${i + 1} | ${r.processes} | ${r.rss.toFixed(0)} | ${r.pss.toFixed(0)} |`),
    `| median | | ${rss.toFixed(0)} | ${pss.toFixed(0)} |`,
    "",
    `Summed RSS counts the pages Chromium's processes share once per process, so it is the cautious figure; PSS shares them out. ` +
      `\`SESSION_NEED_MB\` in crates/porthole-core/src/launch.rs is ${need} MB: ${(need / rss).toFixed(2)}× the median RSS` +
      (need >= rss * 1.2 ? ", a margin for a page heavier than the demo." : ". **It is below the measured cost with a margin of a fifth: raise it.**"),
  ];
}
