// Porthole's benchmarks: `make bench` (or `npx vite-node tests/bench/run.ts -- [--rounds N]
// [--seconds S] [--allow-busy] [--only cdp|session-cost|recording|compare]`) measures, in one run and on the same live agent-browser
// session showing the benchmark page (tests/pages/bench: repaints at 60 fps, paints its
// own clock), Porthole beside the alternatives a person has, and writes the figures into
// docs/BENCHMARKS.md between its `bench:begin`/`bench:end` markers, with a plot in
// docs/bench.svg. The prose around the markers is written by hand and kept.
//
// The viewers, measured one after the other within each round, at each frame size:
// - Porthole's window (`porthole --measure-seconds`: frames acked as painted, CPU and
//   peak RSS of the app and of its web process);
// - agent-browser's dashboard in headless Chromium (dashboard.ts);
// - the floor: a raw WebSocket client that decodes nothing (crates/porthole-core/examples/floor.rs).
// Then: attach times, input latency (input.ts), several sessions at once, the frame
// transports and WebKit's renderer, and what WebP re-encoding would cost.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { agentBrowser, type AgentSession, closeAll, pidOf, ROOT, sandbox, startSession } from "../support/agentBrowser";
import { treeCpu } from "./cpu";
import { chromiumOf, measureCdp } from "./cdp";
import { type DashboardRun, measureDashboard } from "./dashboard";
import { measureInput } from "./input";
import { measureSessionCost } from "./sessionCost";
import { measureSharpness } from "./sharpness";
import { plot } from "./plot";
import { median, percentiles, type Summary } from "./stats";

const run = promisify(execFile);
const APP = join(ROOT, "target/debug/porthole");
/** The build `make dist` packages; `make bench` builds it. */
const RELEASE_APP = join(ROOT, "target/release/porthole");
const FLOOR = join(ROOT, "target/debug/examples/floor");
const TRANSCODE = join(ROOT, "target/debug/examples/transcode");
const BENCH_PAGE = `file://${join(ROOT, "tests/pages/bench/index.html")}`;
/** A page that never repaints by itself, for the idle figure. */
const STILL_PAGE = `file://${join(ROOT, "tests/pages/demo/about.html")}`;
const DOC = join(ROOT, "docs/BENCHMARKS.md");
const SVG = join(ROOT, "docs/bench.svg");
const SIZES: Array<[number, number]> = [
  [640, 360],
  [960, 540],
  [1280, 720],
  [1920, 1080],
];
const MAIN: [number, number] = [1280, 720];
const sizeName = ([w, h]: [number, number]) => `${w}x${h}`;

/** The word after `--name` on the command line, or null. */
function flag(name: string): string | null {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? null) : null;
}
function option(name: string, fallback: number): number {
  const value = flag(name);
  return value === null ? fallback : Number(value);
}
const ROUNDS = option("rounds", 3);
/** `--only cdp` measures the CDP source alone (its own section of BENCHMARKS.md),
 * `--only session-cost` what one session costs in memory, and `--only recording` what
 * recording the timeline costs the window. */
const ONLY = flag("only");
const ONLY_CDP = ONLY === "cdp";
/** `--only compare --candidate PATH [--sizes 1280x720,1920x1080]`: the release build
 * beside another build of the app (a change being tried) and the dashboard, alternating
 * round by round at each size; prints a table and writes nothing into the doc. */
const CANDIDATE = flag("candidate");
const ONLY_SIZES = flag("sizes")
  ?.split(",")
  .map((s) => s.split("x").map(Number) as [number, number]);
const SECONDS = option("seconds", 6);
const PRESSES = 40;

interface Usage {
  pid: number;
  cpuPercent: number;
  peakRssMb: number;
}
/** What `porthole --measure-out` writes. */
interface WindowRun {
  transport: string;
  seconds: number;
  received: Summary;
  shown: Summary;
  openedAtMs: number;
  firstShownAtMs: number | null;
  firstShownLatencyMs: number | null;
  porthole: Usage | null;
  webview: Usage | null;
  /** Porthole's process by thread group, percent of one core. */
  threads: Record<string, number>;
  /** The machine by program, percent of one core. */
  programs: Record<string, number>;
}
/** The programs of a window's measurement that are Porthole's own: its app process and
 * WebKit's web and network processes (the only WebKit processes the bench runs). */
const PORTHOLE = "Porthole";
const WEBKIT = "WebKit (web and network processes)";
const portholeCpu = (w: WindowRun) => (w.programs[PORTHOLE] ?? NaN) + (w.programs[WEBKIT] ?? NaN);

/** What `porthole watch --json` prints. */
interface WatchRun extends Summary {
  cost: Usage | null;
}

const box = sandbox("bench");
/** The code measured, read before the run writes its first section into the doc (which
 * would make every later reading "-dirty"). */
const MEASURED = (() => {
  try {
    return execFileSync("git", ["-C", ROOT, "describe", "--always", "--dirty"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();
const env = { ...process.env, HOME: box.home, AGENT_BROWSER_SOCKET_DIR: box.sockets, XDG_RUNTIME_DIR: "" };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the app on `workspace` under its own Xvfb and measures what it shows. */
async function measureWindow(
  transport: string,
  workspace = box.workspace,
  extraEnv: NodeJS.ProcessEnv = {},
  app = APP,
  { seconds = SECONDS, warmup = 1, hidden = false } = {},
): Promise<WindowRun> {
  const out = join(box.root, `measure-${transport}-${Date.now()}.json`);
  const args = ["-a", "-s", "-screen 0 1600x1000x24", "dbus-run-session", "--", app];
  args.push("--transport", transport, "--measure-seconds", String(seconds), "--measure-warmup", String(warmup), "--measure-out", out);
  if (hidden) args.push("--measure-hidden");
  args.push(workspace);
  await run("xvfb-run", args, { env: { ...env, ...extraEnv }, timeout: 120_000 });
  return JSON.parse(readFileSync(out, "utf8")) as WindowRun;
}

const streamPort = (s: AgentSession) => Number(readFileSync(join(s.sockets, `${s.name}.stream`), "utf8").trim());

/** The floor client on `session` for `seconds`. */
async function measureFloor(session: AgentSession, seconds = SECONDS): Promise<Summary> {
  const { stdout } = await run(FLOOR, [String(streamPort(session)), String(seconds)], { timeout: 60_000 });
  return JSON.parse(stdout) as Summary;
}

/** The agent's Chromium and daemon with no viewer at all (no Porthole, no stream client)
 * for `seconds`: what the page itself costs, the floor under every viewer's row. */
async function measureNoViewer(session: AgentSession, seconds = SECONDS): Promise<{ chromium: number; daemon: number }> {
  const daemon = pidOf(session);
  const chromium = treeCpu(() => chromiumOf(daemon));
  const own = treeCpu(() => [daemon]);
  await pause(seconds * 1000);
  return { chromium: chromium.stop(), daemon: own.stop() };
}

/** Porthole's Rust side alone (`porthole watch`): acks on receipt, decodes nothing. */
async function measureWatch(saveFrame: string): Promise<WatchRun> {
  const args = ["watch", "--workspace", box.workspace, "--seconds", String(SECONDS), "--json", "--save-frame", saveFrame];
  const { stdout } = await run(RELEASE_APP, args, { env, timeout: 60_000 });
  return JSON.parse(stdout) as WatchRun;
}

/** Resolves with the time `file` appears in `dir` (watched from now on). */
function appearance(dir: string, file: string): { at: Promise<number>; stop: () => void } {
  let stop = () => {};
  const at = new Promise<number>((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name === file && existsSync(join(dir, file))) {
        resolve(Date.now());
        watcher.close();
      }
    });
    stop = () => watcher.close();
  });
  return { at, stop };
}

interface Figures {
  fps: number;
  p50: number;
  p90: number;
  p99: number;
}
/** Medians over rounds of fps and of each latency percentile. */
function combine(samples: Summary[]): Figures {
  const pick = (f: (s: Summary) => number | undefined) => median(samples.map(f).filter((v): v is number => v !== undefined));
  return {
    fps: pick((s) => s.fps),
    p50: pick((s) => s.latencyMs?.p50),
    p90: pick((s) => s.latencyMs?.p90),
    p99: pick((s) => s.latencyMs?.p99),
  };
}

/** Milliseconds of one core per painted frame, from CPU in percent of a core and frames a second. */
const perFrame = (cpuPercent: number, fps: number) => (fps > 0 ? (10 * cpuPercent) / fps : NaN);
const windowCpu = (runs: WindowRun[]) => median(runs.map(portholeCpu));
const dashboardCpu = (runs: DashboardRun[]) => median(runs.map((d) => d.cpuPercent));
const windowPerFrame = (runs: WindowRun[]) => median(runs.map((w) => perFrame(portholeCpu(w), w.shown.fps)));
const dashboardPerFrame = (runs: DashboardRun[]) => median(runs.map((d) => perFrame(d.cpuPercent, d.fps)));
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(2)}×` : "–");
const signed = (n: number) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(0)}` : "–");
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const header = (cells: string[]) => [row(cells), row(cells.map((_, i) => (i === 0 ? "---" : "--:")))];

/** The machine, the versions, and `builds`: which Porthole builds the rows measured. */
function machine(builds = "debug profile (what `make run` builds)"): string[] {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).trim().split("\n")[0];
    } catch {
      return "unknown";
    }
  };
  const webkit = version("dpkg-query", ["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"]);
  const os = readFileSync("/etc/os-release", "utf8").match(/PRETTY_NAME="(.*)"/)?.[1] ?? "Linux";
  const agent = JSON.parse(readFileSync(join(ROOT, "node_modules/agent-browser/package.json"), "utf8")).version;
  return [
    `- Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, ${os}, no GPU (Xvfb).`,
    `- Chromium ${version("chromium", ["--version"]).replace(/^Chromium /, "")}, WebKitGTK ${webkit}, agent-browser ${agent}.`,
    `- Porthole ${MEASURED}, ${builds}.`,
    `- ${ROUNDS} rounds of ${SECONDS} s per figure, medians over rounds; the viewers take turns within each round, never two at once.`,
  ];
}

/** `count` more sessions on the bench page, in a workspace of their own, each with a floor
 * client attached so its screencast runs. */
async function extraLoad(count: number): Promise<{ sessions: AgentSession[]; clients: ChildProcess[] }> {
  const sessions: AgentSession[] = [];
  for (let i = 0; i < count; i++) {
    const s = await startSession(`bench-extra-${i + 1}`, join(box.root, "other"), box.sockets, BENCH_PAGE);
    await agentBrowser(s, "set", "viewport", String(MAIN[0]), String(MAIN[1]));
    sessions.push(s);
  }
  const clients = sessions.map((s) => spawn(FLOOR, [String(streamPort(s)), "3600"], { stdio: "ignore" }));
  return { sessions, clients };
}

/** The pids of running processes named `comm`. */
function running(comm: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === comm;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** `--only compare`: see CANDIDATE. */
async function compareSection(session: AgentSession): Promise<void> {
  if (!CANDIDATE || !existsSync(CANDIDATE)) throw new Error(`--only compare needs --candidate PATH to a built porthole (got ${CANDIDATE})`);
  const out = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at ${MEASURED}, candidate ${CANDIDATE}, ${ROUNDS} alternating rounds of ${SECONDS} s`,
    "",
    ...header(["Frame size", "Viewer", "fps", "p50", "p99", "CPU %", "ms/frame", "web process ms/frame", "app main thread ms/frame"]),
  ];
  for (const size of ONLY_SIZES ?? SIZES) {
    await agentBrowser(session, "set", "viewport", String(size[0]), String(size[1]));
    const runs = { dashboard: [] as DashboardRun[], release: [] as WindowRun[], candidate: [] as WindowRun[] };
    for (let r = 0; r < ROUNDS; r++) {
      runs.dashboard.push(await measureDashboard(streamPort(session), SECONDS));
      runs.release.push(await measureWindow("scheme", box.workspace, {}, RELEASE_APP));
      runs.candidate.push(await measureWindow("scheme", box.workspace, {}, CANDIDATE));
      process.stderr.write(`${sizeName(size)} round ${r + 1}/${ROUNDS}\n`);
    }
    const d = combine(runs.dashboard);
    out.push(row([sizeName(size), "dashboard", f1(d.fps), f0(d.p50), f0(d.p99), f1(dashboardCpu(runs.dashboard)), f1(dashboardPerFrame(runs.dashboard)), "", ""]));
    for (const which of ["release", "candidate"] as const) {
      const w = runs[which];
      const fig = combine(w.map((x) => x.shown));
      out.push(
        row([
          sizeName(size),
          which,
          f1(fig.fps),
          f0(fig.p50),
          f0(fig.p99),
          f1(windowCpu(w)),
          f1(windowPerFrame(w)),
          f1(median(w.map((x) => perFrame(x.webview?.cpuPercent ?? NaN, x.shown.fps)))),
          f1(median(w.map((x) => perFrame(x.threads["main thread"] ?? NaN, x.shown.fps)))),
        ]),
      );
    }
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

async function main(): Promise<void> {
  // A browser left running (an orphan of a killed daemon, say) renders on the same cores
  // and skews every figure: refuse to measure beside one.
  const strays = running("chromium");
  if (strays.length && !process.argv.includes("--allow-busy")) {
    throw new Error(
      `${strays.length} Chromium processes are already running (pids ${strays.slice(0, 5).join(", ")}...); they would load the machine and skew the figures. Close them, or pass --allow-busy.`,
    );
  }
  if (ONLY === null || ONLY === "session-cost") await sessionCostSection();
  if (ONLY === "session-cost") return;
  const session = await startSession("bench", box.workspace, box.sockets, BENCH_PAGE);
  if (ONLY === null || ONLY === "recording") await recordingSection(session);
  if (ONLY === "recording") return;
  if (ONLY === "compare") return compareSection(session);
  await cdpSection(session);
  if (ONLY_CDP) return;
  const lines: string[] = [];
  lines.push(`Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`make bench\`.`, "", ...machine("release build (what `make dist` packages) and debug build (what `make run` builds): each table says which"), "");
  lines.push(
    "The commands behind each figure (PORT is the session's stream port, WS its workspace):",
    "",
    `- Porthole: \`xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- target/BUILD/porthole --transport scheme --measure-seconds ${SECONDS} --measure-out OUT.json WS\`, BUILD \`release\` or \`debug\``,
    `- Dashboard: \`measureDashboard(PORT, ${SECONDS})\` in tests/bench/dashboard.ts: headless Chromium (playwright-core) on \`http://127.0.0.1:PORT/\`; its CPU is every process of that Chromium (tests/bench/cpu.ts)`,
    `- Floor: \`target/debug/examples/floor PORT ${SECONDS}\``,
    `- Porthole's Rust side: \`target/release/porthole watch --workspace WS --seconds ${SECONDS} --json\``,
    `- Input: \`measureInput\` in tests/bench/input.ts (${PRESSES} presses through tauri-driver)`,
    "- WebP: `target/debug/examples/transcode FRAME.jpg ...` on a frame saved at each size",
    "- Sharpness: `measureSharpness` in tests/bench/sharpness.ts (the debug build's default window through tauri-driver: the canvas's pixels against its box on screen)",
    "",
  );

  // 1–4, 7: the viewers side by side at each frame size.
  type Viewer = "floor" | "dashboard" | "porthole" | "release";
  type Build = "porthole" | "release";
  const bySize = new Map<string, { floor: Summary[]; dashboard: DashboardRun[]; porthole: WindowRun[]; release: WindowRun[]; watch: WatchRun }>();
  const frames: string[] = [];
  for (const size of SIZES) {
    await agentBrowser(session, "set", "viewport", String(size[0]), String(size[1]));
    const framePath = join(box.root, `frame-${sizeName(size)}.jpg`);
    const watch = await measureWatch(framePath);
    frames.push(framePath);
    const runs = { floor: [] as Summary[], dashboard: [] as DashboardRun[], porthole: [] as WindowRun[], release: [] as WindowRun[], watch };
    for (let r = 0; r < ROUNDS; r++) {
      runs.floor.push(await measureFloor(session));
      runs.dashboard.push(await measureDashboard(streamPort(session), SECONDS));
      runs.release.push(await measureWindow("scheme", box.workspace, {}, RELEASE_APP));
      runs.porthole.push(await measureWindow("scheme"));
      process.stderr.write(`${sizeName(size)} round ${r + 1}/${ROUNDS}\n`);
    }
    bySize.set(sizeName(size), runs);
  }
  const sharpness = new Map((await measureSharpness(box, session, SIZES)).map((m, i) => [sizeName(SIZES[i]), m]));
  const figures = (size: string, viewer: Viewer): Figures => {
    const runs = bySize.get(size);
    if (!runs) throw new Error(`no runs at ${size}`);
    return combine(viewer === "porthole" || viewer === "release" ? runs[viewer].map((w) => w.shown) : runs[viewer]);
  };
  const BUILDS: Array<[Build, string]> = [
    ["release", "release"],
    ["porthole", "debug"],
  ];
  const threads = (size: string, group: string, build: Build = "release") => median((bySize.get(size)?.[build] ?? []).map((w) => w.threads[group] ?? 0));
  const usage = (size: string, which: "porthole" | "webview", build: Build = "release") => {
    const runs = bySize.get(size)?.[build] ?? [];
    const u = runs.map((w) => w[which]).filter((x): x is Usage => x !== null);
    return { cpu: median(u.map((x) => x.cpuPercent)), rss: u.length ? Math.max(...u.map((x) => x.peakRssMb)) : NaN };
  };

  lines.push(
    "### The viewers side by side",
    "",
    "Frames each viewer painted per second and the latency from Chrome's capture timestamp to the frame drawn (ms). **Floor**: a raw WebSocket client that decodes nothing, its latency taken on arrival; its rate is what the source sends. **Dashboard**: agent-browser's own viewer in headless Chromium, up to its `drawImage`. **Porthole**: the real window, up to the ack it sends after drawing, in the release build a person installs and in the debug build `make run` builds. *Porthole's Rust side* is `porthole watch` (release build, one run per size): Porthole's stream client alone, acking on receipt.",
    "",
    ...header(["Frame size", "Viewer", "fps", "% of source", "p50", "p90", "p99"]),
  );
  for (const size of SIZES.map(sizeName)) {
    const source = figures(size, "floor").fps;
    const watch = bySize.get(size)?.watch;
    for (const [label, f] of [
      ["Floor (raw client)", figures(size, "floor")],
      ["Dashboard", figures(size, "dashboard")],
      ["**Porthole**, release", figures(size, "release")],
      ["Porthole, debug", figures(size, "porthole")],
      ["*Porthole's Rust side*", watch ? combine([watch]) : combine([])],
    ] as Array<[string, Figures]>) {
      const pct = `${f0((100 * f.fps) / source)}%`;
      lines.push(row([size, label, f1(f.fps), pct, f0(f.p50), f0(f.p90), f0(f.p99)]));
    }
  }

  lines.push(
    "",
    "### Porthole against the others",
    "",
    "Ratios are Porthole's figure over the other's (fps above 1× is better, latency below 1× is better); against the floor, latency is also the milliseconds Porthole adds.",
    "",
    ...header(["Frame size", "Porthole build", "fps vs dashboard", "p50 vs dashboard", "p99 vs dashboard", "fps vs floor", "p50 vs floor", "p50 added, ms", "p99 added, ms"]),
  );
  for (const size of SIZES.map(sizeName)) {
    for (const [build, label] of BUILDS) {
      const [p, d, fl] = [figures(size, build), figures(size, "dashboard"), figures(size, "floor")];
      lines.push(
        row([size, label, ratio(p.fps, d.fps), ratio(p.p50, d.p50), ratio(p.p99, d.p99), ratio(p.fps, fl.fps), ratio(p.p50, fl.p50), signed(p.p50 - fl.p50), signed(p.p99 - fl.p99)]),
      );
    }
  }

  lines.push(
    "",
    "### What Porthole costs, one live session",
    "",
    "CPU is user+sys time over the measurement, in percent of one core (the machine has two: 200% is all of it); RSS is the peak (`VmHWM`) over the process's life, the highest of the rounds. *App process* is the window's own process, split by thread: its *main thread* runs GTK's main loop, which also paints the web process's output into the window (WebKit's UI side), Tauri's event loop and its IPC; its *async runtime* runs Porthole's stream client and frame pump. *Web process* is the webview's WebKitWebProcess, where the panel decodes and draws. *Rust side alone* is `porthole watch`: the stream client and frame pump with no window, acking every frame on receipt (so at the source's full rate).",
    "",
    ...header(["Frame size", "Build", "App process CPU %", "main thread", "async runtime", "other threads", "App peak RSS MB", "Web process CPU %", "Web peak RSS MB", "Rust side alone CPU % (release)", "Rust side alone peak RSS MB"]),
  );
  for (const size of SIZES.map(sizeName)) {
    for (const [build, label] of BUILDS) {
      const [a, w] = [usage(size, "porthole", build), usage(size, "webview", build)];
      const t = (group: string) => f1(threads(size, group, build));
      const alone = bySize.get(size)?.watch.cost;
      const aloneCells = build === "release" ? [f1(alone?.cpuPercent ?? NaN), f0(alone?.peakRssMb ?? NaN)] : ["", ""];
      lines.push(row([size, label, f1(a.cpu), t("main thread"), t("async runtime"), t("other threads"), f0(a.rss), f1(w.cpu), f0(w.rss), ...aloneCells]));
    }
  }

  // CPU per painted frame: the work each viewer does for one frame on screen.
  lines.push(
    "",
    "### CPU per painted frame",
    "",
    "The CPU a viewer spends for each frame it paints: its CPU over the measurement (percent of one core, medians over rounds) over the frames it painted, in milliseconds of one core per frame (medians of each round's ratio). **Dashboard**: every process of its headless Chromium. **Porthole**: its app process and WebKit's web and network processes, the only WebKit processes running. Neither counts the agent's own Chromium, which both make screencast alike.",
    "",
    ...header(["Frame size", "Dashboard CPU %", "Dashboard fps", "Dashboard ms/frame", "Porthole release CPU %", "release fps", "release ms/frame", "release vs dashboard", "Porthole debug ms/frame"]),
  );
  for (const size of SIZES.map(sizeName)) {
    const runs = bySize.get(size);
    if (!runs) continue;
    const [d, rel] = [dashboardPerFrame(runs.dashboard), windowPerFrame(runs.release)];
    lines.push(
      row([
        size,
        f1(dashboardCpu(runs.dashboard)),
        f1(figures(size, "dashboard").fps),
        f1(d),
        f1(windowCpu(runs.release)),
        f1(figures(size, "release").fps),
        f1(rel),
        ratio(rel, d),
        f1(windowPerFrame(runs.porthole)),
      ]),
    );
  }

  // The goals of beating the dashboard, release build, at every size.
  lines.push(
    "",
    "### Porthole's release build against the dashboard: the goals",
    "",
    "Frames painted at least 1.1× the dashboard's, latency p50 and p99 no higher, CPU per painted frame no more, and at least one frame pixel for each screen pixel that shows the frame (the table after this one); idle CPU has its own table below.",
    "",
    ...header(["Frame size", "fps ≥ 1.1× dashboard", "p50 ≤ dashboard", "p99 ≤ dashboard", "CPU per frame ≤ dashboard", "sharpness ≥ 1"]),
  );
  for (const size of SIZES.map(sizeName)) {
    const runs = bySize.get(size);
    if (!runs) continue;
    const [p, d] = [figures(size, "release"), figures(size, "dashboard")];
    const [cp, cd] = [windowPerFrame(runs.release), dashboardPerFrame(runs.dashboard)];
    const judged = (ok: boolean, text: string) => `${text} ${ok ? "met" : "**missed**"}`;
    lines.push(
      row([
        size,
        judged(p.fps >= 1.1 * d.fps, ratio(p.fps, d.fps)),
        judged(p.p50 <= d.p50, ratio(p.p50, d.p50)),
        judged(p.p99 <= d.p99, ratio(p.p99, d.p99)),
        judged(cp <= cd, ratio(cp, cd)),
        judged((sharpness.get(size)?.ratio ?? NaN) >= 1, (sharpness.get(size)?.ratio ?? NaN).toFixed(2)),
      ]),
    );
  }
  const px = (s: { width: number; height: number }) => `${s.width}x${s.height}`;
  lines.push(
    "",
    "### Sharpness",
    "",
    "The frame on screen against the screen area that shows it, in the app's default window (device pixels; the ratio is frame pixels per screen pixel on the poorer axis). The panel fits the frame in, keeping its aspect ratio, and never draws it larger than its own pixels: a frame smaller than the panel is shown pixel for pixel, a larger one is shrunk. A ratio above 1 is pixels decoded and drawn that the screen cannot show.",
    "",
    ...header(["Frame size", "frame", "shown on", "panel", "device pixel ratio", "frame pixels per screen pixel"]),
  );
  for (const size of SIZES.map(sizeName)) {
    const m = sharpness.get(size);
    if (m) lines.push(row([size, px(m.frame), px(m.shown), px(m.panel), String(m.devicePixelRatio), m.ratio.toFixed(2)]));
  }

  const PROGRAMS = [PORTHOLE, WEBKIT, "Chromium", "agent-browser daemon", "Xvfb", "everything else"];
  lines.push(
    "",
    "### Where the machine's CPU goes while Porthole shows the session",
    "",
    "Every process of the machine over the release window's measurement, summed by program, in percent of one core (medians over rounds; 200% is both cores). *Everything else* includes the benchmark's own Node.js.",
    "",
    ...header(["Frame size", ...PROGRAMS, "total"]),
  );
  for (const size of SIZES.map(sizeName)) {
    const runs = bySize.get(size)?.release ?? [];
    const cells = PROGRAMS.map((p) => median(runs.map((w) => w.programs[p] ?? 0)));
    const total = median(runs.map((w) => Object.values(w.programs).reduce((x, y) => x + y, 0)));
    lines.push(row([size, ...cells.map(f0), f0(total)]));
  }

  // Idle: the window visible on a page that does not change, counted once it has settled
  // (its first paints, the page's fonts and the readout's last redraw are over).
  const IDLE_WARMUP = 10;
  const IDLE_SECONDS = 15;
  const idleWorkspace = join(box.root, "idle");
  mkdirSync(idleWorkspace, { recursive: true });
  const still = await startSession("bench-idle", idleWorkspace, box.sockets, STILL_PAGE);
  const idle: WindowRun[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) idle.push(await measureWindow("scheme", idleWorkspace, {}, RELEASE_APP, { seconds: IDLE_SECONDS, warmup: IDLE_WARMUP }));
  } finally {
    await agentBrowser(still, "close");
  }
  const idleCpu = (program: string) => median(idle.map((w) => w.programs[program] ?? NaN));
  const idleTotal = median(idle.map((w) => (w.programs[PORTHOLE] ?? NaN) + (w.programs[WEBKIT] ?? NaN)));
  lines.push(
    "",
    "### Idle: the window on a page that does not change (release build)",
    "",
    `The window visible and Live on a still page (tests/pages/demo/about.html), counted for ${IDLE_SECONDS} s from ${IDLE_WARMUP} s after it went Live (\`--measure-warmup ${IDLE_WARMUP}\`), ${ROUNDS} rounds: what Porthole's processes use while nothing moves (percent of one core, medians; "together" is the median of each round's sum). The goal is under 1% together: no polling, no timer running per frame.`,
    "",
    ...header(["Porthole app process CPU %", "WebKit processes CPU %", "together", "frames painted per second", "under 1%"]),
    row([f1(idleCpu(PORTHOLE)), f1(idleCpu(WEBKIT)), f1(idleTotal), f1(median(idle.map((w) => w.shown.fps))), idleTotal < 1 ? "met" : "**missed**"]),
  );

  // 5: attach times.
  await agentBrowser(session, "set", "viewport", String(MAIN[0]), String(MAIN[1]));
  const opened = SIZES.flatMap((s) => bySize.get(sizeName(s))?.porthole ?? [])
    .map((w) => (w.firstShownAtMs ?? NaN) - w.openedAtMs)
    .filter(Number.isFinite);
  const fromCall: number[] = [];
  const fromReturn: number[] = [];
  const fromPidFile: number[] = [];
  const fromCapture: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const workspace = join(box.root, `attach-${r}`);
    mkdirSync(workspace, { recursive: true });
    const window = measureWindow("scheme", workspace, {}, RELEASE_APP);
    // Let the window come up and wait on the empty workspace.
    await pause(5000);
    const name = `bench-attach-${r}`;
    const pidFile = appearance(box.sockets, `${name}.pid`);
    const called = Date.now();
    const late = await startSession(name, workspace, box.sockets, BENCH_PAGE);
    const returned = Date.now();
    const w = await window;
    const started = await Promise.race([pidFile.at, pause(1000).then(() => NaN)]);
    pidFile.stop();
    if (w.firstShownAtMs !== null && w.openedAtMs < called) {
      fromCall.push(w.firstShownAtMs - called);
      fromReturn.push(w.firstShownAtMs - returned);
      fromPidFile.push(w.firstShownAtMs - started);
      fromCapture.push(w.firstShownLatencyMs ?? NaN);
    }
    await agentBrowser(late, "close");
  }
  const spread = (xs: number[]) =>
    xs.length ? `${f0(median(xs))} | ${f0(Math.min(...xs))} | ${f0(Math.max(...xs))} | ${xs.length}` : "– | – | – | 0";
  lines.push(
    "",
    "### Attach time (release build)",
    "",
    "To the first frame the window painted (ms). The new session is started by `agent-browser open` on the bench page, as an agent would, in the workspace a waiting Porthole has open. The CLI starts the daemon, which writes its pid file (the moment Porthole can know of the session), then launches Chromium and loads the page; `open` returns once the page has loaded, which can be after Chromium's first frame. The last row is Porthole's own share: from Chromium's capture of that first frame to the panel painting it.",
    "",
    ...header(["From", "median", "min", "max", "runs"]),
    row(["`porthole WORKSPACE` started, session already running", spread(opened)]),
    row(["`agent-browser open` called in the open workspace", spread(fromCall)]),
    row(["the session's daemon wrote its pid file", spread(fromPidFile.filter(Number.isFinite))]),
    row(["`agent-browser open` returned", spread(fromReturn)]),
    row(["Chromium captured its first frame", spread(fromCapture.filter(Number.isFinite))]),
  );

  // 6: input latency.
  const input = await measureInput(box, session, PRESSES);
  const ip = percentiles(input);
  lines.push(
    "",
    "### Input latency (1280x720, debug build)",
    "",
    `A pointer press on the panel (WebDriver, ${PRESSES} presses) to the page's \`mousedown\` handler: from the moment the webview's JavaScript sees the press to the moment the page's handler runs (ms).`,
    "",
    ...header(["Presses", "p50", "p90", "p99", "max"]),
    row([String(input.length), f1(ip?.p50 ?? NaN), f1(ip?.p90 ?? NaN), f1(ip?.p99 ?? NaN), f1(Math.max(...input))]),
  );

  // 7: several sessions at once.
  lines.push(
    "",
    "### Several live sessions (1280x720, release build)",
    "",
    "Porthole's window shows one session at a time. Here the bench session is in the panel while other sessions on the same page stream to a floor client each: how the panel holds up as the machine carries more live browsers.",
    "",
    ...header(["Live sessions", "Porthole fps", "p50", "p99", "Porthole CPU %", "Web process CPU %"]),
  );
  const main720 = bySize.get(sizeName(MAIN))?.release ?? [];
  const multi = (runs: WindowRun[]) => {
    const f = combine(runs.map((w) => w.shown));
    const cpu = (k: "porthole" | "webview") => median(runs.map((w) => w[k]?.cpuPercent ?? NaN));
    return [f1(f.fps), f0(f.p50), f0(f.p99), f1(cpu("porthole")), f1(cpu("webview"))];
  };
  lines.push(row(["1", ...multi(main720)]));
  for (const extra of [1, 2]) {
    const load = await extraLoad(extra);
    try {
      const runs: WindowRun[] = [];
      for (let r = 0; r < ROUNDS; r++) runs.push(await measureWindow("scheme", box.workspace, {}, RELEASE_APP));
      lines.push(row([String(extra + 1), ...multi(runs)]));
    } finally {
      for (const c of load.clients) c.kill();
      for (const s of load.sessions) await agentBrowser(s, "close");
    }
  }

  // The frame transports and the renderer, at 1280x720.
  const transports: Record<string, Summary[]> = { event: [], channel: [], dmabuf: [] };
  for (let r = 0; r < ROUNDS; r++) {
    transports.event.push((await measureWindow("event", box.workspace, {}, RELEASE_APP)).shown);
    transports.channel.push((await measureWindow("channel", box.workspace, {}, RELEASE_APP)).shown);
    // Porthole turns the DMA-BUF renderer off by itself without a GPU; "0" keeps it on.
    transports.dmabuf.push((await measureWindow("scheme", box.workspace, { WEBKIT_DISABLE_DMABUF_RENDERER: "0" }, RELEASE_APP)).shown);
  }
  lines.push(
    "",
    "### Frame transports and WebKit's renderer (1280x720, release build)",
    "",
    "The same window with the frame bytes carried another way (`--transport`), and with WebKitGTK's DMA-BUF renderer left on although there is no GPU.",
    "",
    ...header(["Window", "fps", "p50", "p90", "p99"]),
  );
  for (const [label, samples] of [
    ["`scheme` (the default), DMA-BUF off", main720.map((w) => w.shown)],
    ["`event` (base64 in the event)", transports.event],
    ["`channel` (raw bytes over a Channel)", transports.channel],
    ["`scheme`, DMA-BUF on (`WEBKIT_DISABLE_DMABUF_RENDERER=0`)", transports.dmabuf],
  ] as Array<[string, Summary[]]>) {
    const c = combine(samples);
    lines.push(row([label, f1(c.fps), f0(c.p50), f0(c.p90), f0(c.p99)]));
  }

  // WebP.
  const { stdout } = await run(TRANSCODE, frames);
  const table = stdout.trim().split("\n").slice(1).map((l) => l.split("\t"));
  lines.push(
    "",
    "### Re-encoding frames as WebP (per frame, codecs at opt-level 3)",
    "",
    ...header(["Frame size", "JPEG KB", "JPEG decode ms", "WebP q75 encode ms", "WebP q75 KB", "WebP q50 encode ms", "WebP q50 KB"]),
  );
  for (const [, size, jpeg, decode, q75ms, q75, q50ms, q50] of table) {
    const kb = (b: string) => f1(Number(b) / 1024);
    lines.push(row([size, kb(jpeg), decode, q75ms, kb(q75), q50ms, kb(q50)]));
  }

  // The targets.
  const main = sizeName(MAIN);
  const [p, fl] = [figures(main, "release"), figures(main, "floor")];
  const alone = bySize.get(main)?.watch.cost;
  const [aloneCpu, aloneRss] = [alone?.cpuPercent ?? NaN, alone?.peakRssMb ?? NaN];
  const app = usage(main, "porthole");
  const runtime = threads(main, "async runtime");
  const live = median(fromPidFile.filter(Number.isFinite));
  const own = median(fromCapture.filter(Number.isFinite));
  const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
  lines.push(
    "",
    "### Targets (1280x720, one live session, release build)",
    "",
    ...header(["Target", "Measured", "Verdict"]),
    row([
      "≥ 97% of the source's frames shown, source at 60 fps",
      `${f0((100 * p.fps) / fl.fps)}% of a ${f1(fl.fps)} fps source`,
      verdict(p.fps / fl.fps >= 0.97 && fl.fps >= 59),
    ]),
    row(["Latency p50 within 8 ms of the floor", `${signed(p.p50 - fl.p50)} ms`, verdict(p.p50 - fl.p50 <= 8)]),
    row(["Latency p99 within 25 ms of the floor", `${signed(p.p99 - fl.p99)} ms`, verdict(p.p99 - fl.p99 <= 25)]),
    row([
      "Rust side below 3% of one core",
      `${f1(aloneCpu)}% alone at 60 fps; in the window its async runtime ${f1(runtime)}%, the whole app process ${f1(app.cpu)}%`,
      verdict(aloneCpu < 3 && runtime < 3),
    ]),
    row(["Rust side below 60 MB RSS", `${f0(aloneRss)} MB peak alone; the app process with GTK and WebKit's UI side ${f0(app.rss)} MB`, verdict(aloneRss < 60)]),
    row([
      "A new session live within 500 ms of being started",
      `${f0(live)} ms from its pid file (median), of which ${f0(own)} ms from Chromium's first frame`,
      verdict(live <= 500),
    ]),
  );

  // The plot.
  const series = (name: string, colour: string, viewer: Viewer) => {
    const fs = SIZES.map((s) => figures(sizeName(s), viewer));
    return { name, colour, fps: fs.map((f) => f.fps), p50: fs.map((f) => f.p50), p99: fs.map((f) => f.p99) };
  };
  writeFileSync(
    SVG,
    plot("Frame rate and latency by frame size (one live session)", SIZES, [
      series("Porthole, release", "#1f6feb", "release"),
      series("Porthole, debug", "#79c0ff", "porthole"),
      series("agent-browser dashboard", "#e36209", "dashboard"),
      series("floor (raw WebSocket)", "#6e7781", "floor"),
    ]),
  );
  lines.push("", "![Frame rate and latency by frame size](bench.svg)");

  writeSection("bench", lines);
  process.stderr.write(`wrote ${DOC} and ${SVG}\n`);
}

/** Replaces what lies between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in BENCHMARKS.md. */
function writeSection(name: string, lines: string[]): void {
  const doc = readFileSync(DOC, "utf8");
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOC} lacks the ${begin} … ${end} markers`);
  writeFileSync(DOC, `${doc.slice(0, from + begin.length)}\n${lines.join("\n")}\n${doc.slice(to)}`);
}

/** The CDP source beside the stream (tests/bench/cdp.ts), into its own section. */
async function cdpSection(session: AgentSession): Promise<void> {
  await agentBrowser(session, "set", "viewport", String(MAIN[0]), String(MAIN[1]));
  const daemon = Number(readFileSync(join(session.sockets, `${session.name}.pid`), "utf8").trim());
  const lines = await measureCdp({
    app: APP,
    env,
    root: box.root,
    streamWorkspace: box.workspace,
    daemonPid: daemon,
    benchPage: BENCH_PAGE,
    seconds: SECONDS,
    rounds: ROUNDS,
    viewport: MAIN,
    panelSize: [640, 360],
    measureWindow: (workspace) => measureWindow("scheme", workspace),
  });
  const header = [`Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`make bench\` (\`BENCH_ARGS="--only cdp"\` for this section alone).`, "", ...machine(), ""];
  writeSection("bench-cdp", [...header, ...lines]);
  process.stderr.write(`wrote the CDP section of ${DOC}\n`);
}

/** Bytes under `dir`, every file counted once (a still linked twice is one still). */
function diskBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  const seen = new Set<string>();
  let total = 0;
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        const key = `${stat.dev}:${stat.ino}`;
        if (!seen.has(key)) total += stat.size;
        seen.add(key);
      }
    }
  };
  walk(dir);
  return total;
}

/**
 * What recording the timeline costs the window, at 1280x720 on the bench page: the same
 * window with recording on (the default) and off (the setting), in alternating runs,
 * and the disk the recording filled. Into its own section.
 */
async function recordingSection(session: AgentSession): Promise<void> {
  await agentBrowser(session, "set", "viewport", String(MAIN[0]), String(MAIN[1]));
  const on = { XDG_CONFIG_HOME: join(box.root, "record-on/config"), XDG_DATA_HOME: join(box.root, "record-on/data") };
  const off = { XDG_CONFIG_HOME: join(box.root, "record-off/config"), XDG_DATA_HOME: join(box.root, "record-off/data") };
  mkdirSync(join(off.XDG_CONFIG_HOME, "dev.porthole.app"), { recursive: true });
  writeFileSync(join(off.XDG_CONFIG_HOME, "dev.porthole.app/settings.json"), JSON.stringify({ recordTimeline: false }));
  const runs = { on: [] as WindowRun[], off: [] as WindowRun[] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.on.push(await measureWindow("scheme", box.workspace, on, RELEASE_APP));
    runs.off.push(await measureWindow("scheme", box.workspace, off, RELEASE_APP));
    process.stderr.write(`recording round ${r + 1}/${ROUNDS}\n`);
  }
  if (diskBytes(join(off.XDG_DATA_HOME, "dev.porthole.app/timeline")) > 0) {
    throw new Error("the window recorded with recordTimeline off: the comparison would mean nothing");
  }
  const seconds = runs.on.reduce((sum, w) => sum + w.seconds, 0);
  const bytes = diskBytes(join(on.XDG_DATA_HOME, "dev.porthole.app/timeline"));
  const cpu = (list: WindowRun[], pick: (w: WindowRun) => number | undefined) => median(list.map((w) => pick(w) ?? NaN));
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`make bench\` (\`BENCH_ARGS="--only recording"\` for this section alone), ${ROUNDS} alternating runs of ${SECONDS} s each, 1280x720, release build (the one \`make dist\` packages).`,
    "",
    ...machine().slice(0, 2),
    "",
    `- Recording on: \`target/release/porthole --measure-seconds ${SECONDS} WS\` with the default settings; off: the same with \`{"recordTimeline": false}\` in settings.json.`,
    "- CPU is percent of one core, the median of the runs; the recording's thread is the app's thread named `timeline` (stills decoded, shrunk, encoded; entries written).",
    "",
    ...header(["Window", "fps painted", "App process CPU %", "its timeline thread", "Web process CPU %", "Chromium CPU %", "App peak RSS MB"]),
  ];
  for (const [label, list] of [["recording on", runs.on], ["recording off", runs.off]] as Array<[string, WindowRun[]]>) {
    lines.push(
      row([
        label,
        f1(combine(list.map((w) => w.shown)).fps),
        f1(cpu(list, (w) => w.porthole?.cpuPercent)),
        f1(cpu(list, (w) => w.threads["timeline recording"] ?? 0)),
        f1(cpu(list, (w) => w.webview?.cpuPercent)),
        f1(cpu(list, (w) => w.programs["Chromium"])),
        f0(cpu(list, (w) => w.porthole?.peakRssMb)),
      ]),
    );
  }
  const extraMb = cpu(runs.on, (w) => w.porthole?.peakRssMb) - cpu(runs.off, (w) => w.porthole?.peakRssMb);
  lines.push(
    "",
    `On disk: ${(bytes / 1024).toFixed(0)} KB for ${seconds.toFixed(0)} s recorded, ${((bytes / seconds) * 3600 / 1024 / 1024).toFixed(1)} MB an hour of a page that never stops changing.`,
    "",
    `Memory: recording adds ${extraMb.toFixed(0)} MB to the app's peak RSS (medians, on minus off); the budget is 64 MB a recorded session, ${extraMb < 64 ? "met" : "**missed**"}. No still is held in memory; the soak below records for 30 minutes with the window's defaults.`,
  );

  // Hidden in the tray: what "Keep recording while hidden" costs the agent's browser.
  const hiddenOn = { XDG_CONFIG_HOME: join(box.root, "hidden-on/config"), XDG_DATA_HOME: join(box.root, "hidden-on/data") };
  const hiddenOff = { XDG_CONFIG_HOME: join(box.root, "hidden-off/config"), XDG_DATA_HOME: join(box.root, "hidden-off/data") };
  mkdirSync(join(hiddenOn.XDG_CONFIG_HOME, "dev.porthole.app"), { recursive: true });
  writeFileSync(join(hiddenOn.XDG_CONFIG_HOME, "dev.porthole.app/settings.json"), JSON.stringify({ recordWhileHidden: true }));
  const hidden = { on: [] as WindowRun[], off: [] as WindowRun[] };
  const alone: Array<{ chromium: number; daemon: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    hidden.on.push(await measureWindow("scheme", box.workspace, hiddenOn, RELEASE_APP, { warmup: 2, hidden: true }));
    hidden.off.push(await measureWindow("scheme", box.workspace, hiddenOff, RELEASE_APP, { warmup: 2, hidden: true }));
    // A second after the window closed, as the hidden count starts a second after hiding.
    await pause(1_000);
    alone.push(await measureNoViewer(session));
    process.stderr.write(`hidden round ${r + 1}/${ROUNDS}\n`);
  }
  if (median(hidden.on.map((w) => w.received.fps)) <= 0) {
    throw new Error("hidden with recordWhileHidden on, no frames reached the app: the setting did nothing");
  }
  lines.push(
    "",
    "Hidden in the tray (`--measure-hidden`: the window goes to the tray 2 s after it went Live, then the count starts a second later), the same page. " +
      'With "Keep recording while hidden" (`{"recordWhileHidden": true}`) the attachment stays, and asks the stream for 4 frames a second; without it (the default) the attachment ends. ' +
      "Chromium's own cost is the lever: it screencasts every repaint for as long as any client is connected, whatever that client takes.",
    "",
    ...header(["Window", "frames received per second", "App process CPU %", "its timeline thread", "Web process CPU %", "Chromium CPU %", "agent-browser daemon CPU %"]),
  );
  for (const [label, list] of [
    ["shown, recording", runs.on],
    ["hidden, recording while hidden", hidden.on],
    ["hidden, not recording (default)", hidden.off],
  ] as Array<[string, WindowRun[]]>) {
    lines.push(
      row([
        label,
        f1(median(list.map((w) => w.received.fps))),
        f1(cpu(list, (w) => w.porthole?.cpuPercent)),
        f1(cpu(list, (w) => w.threads["timeline recording"] ?? 0)),
        f1(cpu(list, (w) => w.webview?.cpuPercent)),
        f1(cpu(list, (w) => w.programs["Chromium"])),
        f1(cpu(list, (w) => w.programs["agent-browser daemon"])),
      ]),
    );
  }
  lines.push(
    row([
      "no viewer at all (Porthole closed)",
      "—",
      "—",
      "—",
      "—",
      f1(median(alone.map((a) => a.chromium))),
      f1(median(alone.map((a) => a.daemon))),
    ]),
    "",
    "The last row is the floor: the agent's Chromium running the 60 fps page with nothing connected, counted from /proc over its processes under the daemon. What a hidden window adds to the agent's browser is its row minus that one.",
  );
  writeSection("bench-recording", lines);
  process.stderr.write(`wrote the recording section of ${DOC}\n`);
}

/** What one session costs in memory (tests/bench/sessionCost.ts), into its own section. */
async function sessionCostSection(): Promise<void> {
  const lines = await measureSessionCost({
    workspace: box.workspace,
    sockets: box.sockets,
    page: `file://${join(ROOT, "tests/pages/demo/index.html")}`,
    rounds: 3,
    settleMs: 5_000,
  });
  const header = [`Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`make bench\` (\`BENCH_ARGS="--only session-cost"\` for this section alone).`, "", ...machine().slice(0, 2), ""];
  writeSection("bench-session-cost", [...header, ...lines]);
  process.stderr.write(`wrote the session cost section of ${DOC}\n`);
}

mkdirSync(join(ROOT, "docs"), { recursive: true });
main()
  .catch((error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => closeAll());
