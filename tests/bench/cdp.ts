// The CDP frame source beside agent-browser's stream, on the same bench page at the same
// viewport: what each costs Chromium, and what the viewer gets.
//
// - Stream: `porthole watch` on the agent-browser session (its daemon screencasts at the
//   page's full size whatever the client wants).
// - CDP, full size: `porthole watch --session PORT` on a Chromium the bench starts with
//   `--remote-debugging-port=0`, as Puppeteer does.
// - CDP, panel size: the same with `--frame-size`, as the window asks for its panel.
// - The window on the CDP browser: the real panel, sized as the window opens.
//
// Chromium's CPU is the user+sys time of its processes over the run (the session's
// Chromium for the stream, the bench's for CDP; the daemon separately), in percent of one
// core. Each figure is a median over rounds.
import { execFile, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { descendants } from "../support/agentBrowser";
import { startChromium } from "../support/chromium";
import { median, type Summary } from "./stats";

const run = promisify(execFile);
const TICKS_PER_SECOND = 100;

/** CPU ticks (user + sys) of `pids`, read from /proc; a pid gone meanwhile counts 0. */
function ticks(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are fields 14 and 15 of stat; 12 and 13 after "(comm) ".
      sum += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended.
    }
  }
  return sum;
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** Chromium's processes under `root` (the root itself if it is Chromium). */
export function chromiumOf(root: number): number[] {
  return [root, ...descendants(root)].filter((p) => comm(p) === "chromium");
}

/**
 * Runs `work` with the processes `paused()` names stopped (SIGSTOP, then SIGCONT): the
 * other browser, which repaints the same page at 60 fps, would otherwise take the cores
 * the measured one needs.
 */
async function alone<T>(paused: () => number[], work: () => Promise<T>): Promise<T> {
  const pids = paused();
  const signal = (name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // Gone.
      }
    }
  };
  signal("SIGSTOP");
  try {
    return await work();
  } finally {
    signal("SIGCONT");
  }
}

/** Runs `work` while measuring the CPU of the processes `pids()` names, percent of one core. */
async function cpuDuring<T>(pids: () => number[], work: () => Promise<T>): Promise<{ result: T; cpu: number }> {
  const before = pids();
  const t0 = ticks(before);
  const start = Date.now();
  const result = await work();
  const seconds = (Date.now() - start) / 1000;
  // Processes that started during the run are counted from zero; ones that ended, not at all.
  const after = pids();
  const t1 = ticks([...new Set([...before, ...after])]);
  return { result, cpu: (100 * (t1 - t0)) / TICKS_PER_SECOND / seconds };
}

export interface CdpBenchContext {
  app: string;
  env: NodeJS.ProcessEnv;
  root: string;
  /** The agent-browser session's workspace and daemon pid. */
  streamWorkspace: string;
  daemonPid: number;
  benchPage: string;
  seconds: number;
  rounds: number;
  viewport: [number, number];
  panelSize: [number, number];
  /** Opens the window on a workspace and measures what it shows (run.ts's measureWindow). */
  measureWindow: (workspace: string) => Promise<{ shown: Summary; porthole: { cpuPercent: number } | null; webview: { cpuPercent: number } | null }>;
}

interface Row {
  label: string;
  fps: number[];
  p50: number[];
  p99: number[];
  kb: number[];
  chromium: number[];
  daemon: number[];
  viewer: number[];
}

const emptyRow = (label: string): Row => ({ label, fps: [], p50: [], p99: [], kb: [], chromium: [], daemon: [], viewer: [] });

function record(row: Row, s: Summary, chromium: number, daemon: number, viewer: number): void {
  row.fps.push(s.fps);
  row.p50.push(s.latencyMs?.p50 ?? NaN);
  row.p99.push(s.latencyMs?.p99 ?? NaN);
  row.kb.push(s.frames > 0 ? s.bytes / s.frames / 1024 : NaN);
  row.chromium.push(chromium);
  row.daemon.push(daemon);
  row.viewer.push(viewer);
}

/** Measures and returns the section's Markdown lines. */
export async function measureCdp(ctx: CdpBenchContext): Promise<string[]> {
  const workspace = join(ctx.root, "cdp");
  const [w, h] = ctx.viewport;
  const browser: ChildProcess = startChromium(workspace, 0, ctx.benchPage);
  let closeViewport = () => {};
  try {
    // Its port, as `porthole sessions` finds it.
    let port = 0;
    for (let i = 0; i < 100 && !port; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const { stdout } = await run(ctx.app, ["sessions", "--workspace", workspace, "--json"], { env: ctx.env });
      const found = (JSON.parse(stdout).current as Array<{ kind: string; cdpPort: number | null }>).find((s) => s.kind === "cdp" && s.cdpPort);
      port = found?.cdpPort ?? 0;
    }
    if (!port) throw new Error("the bench's Chromium never showed up with a DevTools port");
    // The page's viewport, as the stream session has it: through DevTools, with the
    // browser's own emulation, before anything is measured.
    closeViewport = await setViewport(port, w, h);
    const cdpPid = browser.pid ?? 0;
    const watch = async (args: string[]) => {
      const { stdout } = await run(ctx.app, ["watch", "--seconds", String(ctx.seconds), "--json", ...args], { env: ctx.env, timeout: 120_000 });
      return JSON.parse(stdout) as Summary & { cost: { cpuPercent: number } | null };
    };
    const rows = {
      stream: emptyRow(`Stream (agent-browser), ${w}x${h}`),
      full: emptyRow(`CDP, full size (${w}x${h})`),
      panel: emptyRow(`CDP, ${ctx.panelSize[0]}x${ctx.panelSize[1]} (\`--frame-size\`)`),
      window: emptyRow("CDP in the window, panel-sized"),
    };
    for (let r = 0; r < ctx.rounds; r++) {
      const cdpBrowser = () => chromiumOf(cdpPid);
      const sessionBrowser = () => chromiumOf(ctx.daemonPid);
      const stream = await alone(cdpBrowser, () =>
        cpuDuring(sessionBrowser, () => cpuDuring(() => [ctx.daemonPid], () => watch(["--workspace", ctx.streamWorkspace]))),
      );
      record(rows.stream, stream.result.result, stream.cpu, stream.result.cpu, stream.result.result.cost?.cpuPercent ?? NaN);
      const full = await alone(sessionBrowser, () => cpuDuring(cdpBrowser, () => watch(["--workspace", workspace, "--session", String(port)])));
      record(rows.full, full.result, full.cpu, 0, full.result.cost?.cpuPercent ?? NaN);
      const sized = await alone(sessionBrowser, () =>
        cpuDuring(cdpBrowser, () => watch(["--workspace", workspace, "--session", String(port), "--frame-size", `${ctx.panelSize[0]}x${ctx.panelSize[1]}`])),
      );
      record(rows.panel, sized.result, sized.cpu, 0, sized.result.cost?.cpuPercent ?? NaN);
      const shown = await alone(sessionBrowser, () => cpuDuring(cdpBrowser, () => ctx.measureWindow(workspace)));
      const viewer = (shown.result.porthole?.cpuPercent ?? NaN) + (shown.result.webview?.cpuPercent ?? NaN);
      record(rows.window, shown.result.shown, shown.cpu, 0, viewer);
      process.stderr.write(`cdp round ${r + 1}/${ctx.rounds}\n`);
    }
    const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
    const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    const lines = [
      "### The CDP frame source beside the stream",
      "",
      `The bench page at ${w}x${h} CSS px, shown through agent-browser's stream and through a Chromium with DevTools open (started by the bench with \`--remote-debugging-port=0\`, as Puppeteer starts one). fps and latency (capture to receipt, ms) are what the viewer got; *KB/frame* the JPEG's size; *Chromium CPU* the browser's processes over the run and *daemon CPU* agent-browser's, in percent of one core; *viewer CPU* is \`porthole watch\`'s own process, or for the window its app and web processes together. The window's panel is as large as the window opens on a 1600x1000 display, so its frames are panel-sized. While one browser is measured, the other is paused (SIGSTOP), so they never share the two cores.`,
      "",
      line(["Source", "fps", "p50", "p99", "KB/frame", "Chromium CPU %", "daemon CPU %", "viewer CPU %"]),
      line(["---", "--:", "--:", "--:", "--:", "--:", "--:", "--:"]),
    ];
    for (const row of Object.values(rows)) {
      lines.push(
        line([
          row.label,
          f1(median(row.fps)),
          f0(median(row.p50)),
          f0(median(row.p99)),
          f1(median(row.kb)),
          f0(median(row.chromium)),
          row.daemon.every((d) => d === 0) ? "–" : f0(median(row.daemon)),
          f1(median(row.viewer)),
        ]),
      );
    }
    lines.push(
      "",
      "Commands (WS is the session's workspace, CDPWS the bench Chromium's, PORT its DevTools port):",
      "",
      `- Stream: \`target/debug/porthole watch --workspace WS --seconds ${ctx.seconds} --json\``,
      `- CDP, full size: \`target/debug/porthole watch --workspace CDPWS --session PORT --seconds ${ctx.seconds} --json\``,
      `- CDP, panel size: the same with \`--frame-size ${ctx.panelSize[0]}x${ctx.panelSize[1]}\``,
      `- Window: \`xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- target/debug/porthole --measure-seconds ${ctx.seconds} --measure-out OUT.json CDPWS\``,
    );
    return lines;
  } finally {
    closeViewport();
    browser.kill("SIGKILL");
  }
}

/**
 * Sets the page's viewport to `w`x`h` CSS px over DevTools, as agent-browser's `set
 * viewport` does for its session. The override lasts as long as the connection that set
 * it: the returned function closes it. (`ws` comes with selenium-webdriver; Node 20 has
 * no WebSocket client of its own.)
 */
async function setViewport(port: number, w: number, h: number): Promise<() => void> {
  const { default: WebSocket } = await import("ws");
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
  const page = list.find((t) => t.type === "page");
  if (!page) throw new Error("the bench's Chromium has no page");
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => {
      socket.send(JSON.stringify({ id: 1, method: "Emulation.setDeviceMetricsOverride", params: { width: w, height: h, deviceScaleFactor: 1, mobile: false } }));
    });
    socket.on("message", (data: Buffer) => {
      if (JSON.parse(data.toString()).id === 1) resolve();
    });
    socket.once("error", reject);
  });
  return () => socket.close();
}
