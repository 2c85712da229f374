// The soak: `make soak` (or `npx vite-node tests/soak/run.ts -- [--build release|debug]
// [--minutes M] [--idle-minutes M] [--transport T] [--no-write]`, under Xvfb and a
// private session bus) opens Porthole as a person does, on a workspace whose live
// agent-browser session shows the benchmark page (tests/pages/bench: repaints at 60 fps)
// at 1280x720, and keeps it open:
//
// 1. live for M minutes (`SOAK_MINUTES`, default 30), the window in view and painting;
// 2. hidden in the tray for the idle minutes (`SOAK_IDLE_MINUTES`, default 3), chosen
//    from the tray menu;
// 3. shown again, then detached from the tray menu, for the idle minutes.
//
// The tray is a real StatusNotifier host of the test's own (tray_host). Every 10 s it
// reads the resident set and CPU time of the app and of every WebKit process below it.
// It fails (exit 1) when, by the straight line fitted through each process's samples,
// memory grew 5% or more over the live phase after its first minute, or 2% or more over
// either idle phase. It writes the curve (docs/soak-BUILD.svg) and the figures into
// docs/BENCHMARKS.md between the `soak-BUILD:begin`/`soak-BUILD:end` markers.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { agentBrowser, closeAll, ROOT, sandbox, startSession } from "../support/agentBrowser";
import { growth, type Growth, readTree } from "../support/memory";
import { type MenuEntry, TrayHost } from "../support/trayHost";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}
const BUILD = option("build", "release");
const MINUTES = Number(option("minutes", process.env.SOAK_MINUTES ?? "30"));
const IDLE_MINUTES = Number(option("idle-minutes", process.env.SOAK_IDLE_MINUTES ?? "3"));
const TRANSPORT = option("transport", "");
const WRITE = !process.argv.includes("--no-write");
const SAMPLE_MS = 10_000;
const LIVE_LIMIT = 5;
const IDLE_LIMIT = 2;
const SIZE: [number, number] = [1280, 720];

const APP = join(ROOT, `target/${BUILD}/porthole`);
const BENCH_PAGE = `file://${join(ROOT, "tests/pages/bench/index.html")}`;
const DOC = join(ROOT, "docs/BENCHMARKS.md");
const SVG = join(ROOT, `docs/soak-${BUILD}.svg`);

type Phase = "live" | "hidden" | "detached";
interface Sample {
  minute: number;
  phase: Phase;
  /** By process label: `porthole`, `WebKitWebProcess 1234`… */
  rssMb: Record<string, number>;
  cpuSeconds: Record<string, number>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const box = sandbox("soak");
const env = { ...process.env, HOME: box.home, AGENT_BROWSER_SOCKET_DIR: box.sockets, XDG_RUNTIME_DIR: "" };

function label(name: string, pid: number, app: number): string {
  if (pid === app) return "porthole";
  const full = name.startsWith("WebKitWebProces") ? "WebKitWebProcess" : name.startsWith("WebKitNetwork") ? "WebKitNetworkProcess" : name;
  return `${full} ${pid}`;
}

const attached = (menu: MenuEntry[]) => menu.some((e) => e.checked === true);

async function main(): Promise<void> {
  if (!Number.isFinite(MINUTES) || MINUTES < 2) throw new Error("the live phase needs at least 2 minutes");
  const session = await startSession("soak", box.workspace, box.sockets, BENCH_PAGE);
  await agentBrowser(session, "set", "viewport", String(SIZE[0]), String(SIZE[1]));
  const tray = await TrayHost.start();
  const args = TRANSPORT ? ["--transport", TRANSPORT, box.workspace] : [box.workspace];
  const app = spawn(APP, args, { env, stdio: ["ignore", "ignore", "inherit"] });
  const appPid = app.pid ?? 0;
  // Interrupted (Ctrl-C, a timeout), the soak still closes the session it started: its
  // Chromium would otherwise keep rendering the bench page and load the machine.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      app.kill();
      tray.stop();
      void closeAll().finally(() => process.exit(130));
    });
  }
  const samples: Sample[] = [];
  let phase: Phase = "live";
  let started = 0;
  const sample = () => {
    const readings = readTree(appPid);
    if (!readings.some((r) => r.pid === appPid)) throw new Error("Porthole is gone: it crashed or quit during the soak");
    const s: Sample = { minute: (Date.now() - started) / 60_000, phase, rssMb: {}, cpuSeconds: {} };
    for (const r of readings) {
      s.rssMb[label(r.name, r.pid, appPid)] = r.rssMb;
      s.cpuSeconds[label(r.name, r.pid, appPid)] = r.cpuSeconds;
    }
    samples.push(s);
    const line = Object.entries(s.rssMb).map(([k, v]) => `${k.split(" ")[0]} ${v.toFixed(0)} MB`);
    process.stderr.write(`${s.minute.toFixed(1)} min, ${phase}: ${line.join(", ")}\n`);
  };
  const hold = async (minutes: number) => {
    const until = Date.now() + minutes * 60_000;
    while (Date.now() < until) {
      await pause(Math.min(SAMPLE_MS, until - Date.now()));
      sample();
    }
  };
  // When a step never completes, what every thread of the app was doing, before it is
  // killed: a stalled window is a main thread waiting on something.
  const stacks = () => {
    const file = join(box.root, "app-stacks.txt");
    try {
      const out = execFileSync("gdb", ["-p", String(appPid), "-batch", "-ex", "set pagination off", "-ex", "thread apply all bt 40"], {
        encoding: "utf8",
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      writeFileSync(file, out);
      process.stderr.write(`the app's threads, as it stalled: ${file}\n`);
    } catch (error) {
      process.stderr.write(`could not read the app's threads (gdb): ${String(error)}\n`);
    }
  };
  try {
    await tray.registered();
    await tray.menuWhere(attached);
    started = Date.now();
    sample();
    await hold(MINUTES);
    phase = "hidden";
    process.stderr.write(`${new Date().toISOString()} hiding the window from the tray\n`);
    await tray.click("Show/Hide Porthole");
    sample();
    await hold(IDLE_MINUTES);
    process.stderr.write(`${new Date().toISOString()} showing the window from the tray\n`);
    await tray.click("Show/Hide Porthole");
    await tray.menuWhere(attached);
    phase = "detached";
    await tray.click("Detach");
    await tray.menuWhere((menu) => !attached(menu));
    sample();
    await hold(IDLE_MINUTES);
  } catch (error) {
    process.stderr.write(`${new Date().toISOString()} the soak stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    stacks();
    throw error;
  } finally {
    app.kill();
    tray.stop();
    await closeAll();
  }
  report(samples);
}

interface Row {
  phase: Phase;
  process: string;
  minutes: number;
  growth: Growth;
  cpuPercent: number;
  limit: number;
}

function analyse(samples: Sample[]): Row[] {
  const rows: Row[] = [];
  for (const phase of ["live", "hidden", "detached"] as Phase[]) {
    // The live phase is judged after its first minute: the window and its caches fill up.
    const stretch = samples.filter((s) => s.phase === phase && (phase !== "live" || s.minute >= 1));
    if (stretch.length < 2) continue;
    const first = stretch[0];
    const last = stretch[stretch.length - 1];
    const minutes = last.minute - first.minute;
    for (const name of Object.keys(last.rssMb)) {
      const points = stretch.filter((s) => name in s.rssMb).map((s) => [s.minute, s.rssMb[name]] as [number, number]);
      const g = growth(points);
      if (!g) continue;
      const cpu = name in first.cpuSeconds ? ((last.cpuSeconds[name] - first.cpuSeconds[name]) / (minutes * 60)) * 100 : NaN;
      rows.push({ phase, process: name, minutes, growth: g, cpuPercent: cpu, limit: phase === "live" ? LIVE_LIMIT : IDLE_LIMIT });
    }
  }
  return rows;
}

const COLOURS = ["#1f6feb", "#e36209", "#2da44e", "#8250df", "#6e7781", "#cf222e"];

/** The RSS of each process over the soak, phases shaded. */
function curve(samples: Sample[], title: string): string {
  const W = 920;
  const H = 400;
  const P = { left: 70, top: 50, width: 820, height: 270 };
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.rssMb)))];
  const xMax = Math.max(1, ...samples.map((s) => s.minute));
  const yMax = Math.ceil((Math.max(1, ...samples.flatMap((s) => Object.values(s.rssMb))) * 1.1) / 50) * 50;
  const x = (m: number) => P.left + (m / xMax) * P.width;
  const y = (mb: number) => P.top + P.height - (mb / yMax) * P.height;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${title}</text>`,
  ];
  for (const phase of ["hidden", "detached"] as Phase[]) {
    const inPhase = samples.filter((s) => s.phase === phase);
    if (inPhase.length === 0) continue;
    const from = x(inPhase[0].minute);
    const to = x(inPhase[inPhase.length - 1].minute);
    out.push(
      `<rect x="${from}" y="${P.top}" width="${Math.max(1, to - from)}" height="${P.height}" fill="#f0f0f0"/>`,
      `<text x="${(from + to) / 2}" y="${P.top + 14}" text-anchor="middle" fill="#555">${phase}</text>`,
    );
  }
  const yStep = yMax / 5;
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(
      `<line x1="${P.left}" x2="${P.left + P.width}" y1="${y(v)}" y2="${y(v)}" stroke="#e4e4e4"/>`,
      `<text x="${P.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v.toFixed(0)}</text>`,
    );
  }
  const xStep = xMax > 20 ? 5 : xMax > 8 ? 2 : 1;
  for (let m = 0; m <= xMax + 1e-9; m += xStep) {
    out.push(`<text x="${x(m)}" y="${P.top + P.height + 18}" text-anchor="middle" fill="#555">${m}</text>`);
  }
  out.push(
    `<text x="${P.left + P.width / 2}" y="${P.top + P.height + 36}" text-anchor="middle">minutes</text>`,
    `<text x="18" y="${P.top + P.height / 2}" transform="rotate(-90 18 ${P.top + P.height / 2})" text-anchor="middle">RSS, MB</text>`,
    `<rect x="${P.left}" y="${P.top}" width="${P.width}" height="${P.height}" fill="none" stroke="#999"/>`,
  );
  names.forEach((name, i) => {
    const points = samples.filter((s) => name in s.rssMb).map((s) => `${x(s.minute).toFixed(1)},${y(s.rssMb[name]).toFixed(1)}`);
    const colour = COLOURS[i % COLOURS.length];
    out.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    const lx = P.left + i * 280;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${H - 20}" y2="${H - 20}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${lx + 30}" y="${H - 16}">${name}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function report(samples: Sample[]): void {
  const rows = analyse(samples);
  const broken = rows.filter((r) => !(r.growth.percent < r.limit));
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  const lines = [
    `Measured at ${commit} by \`make soak\` (${BUILD} build, transport ${TRANSPORT || "default"}), on ${cpus().length} cores and ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GB: ${MINUTES} minutes live at ${SIZE[0]}x${SIZE[1]} on the bench page, then ` +
      `${IDLE_MINUTES} hidden in the tray and ${IDLE_MINUTES} detached. Growth is the rise of the least-squares line through ` +
      `a process's samples (every 10 s) over the phase, the live phase from its first minute on. ` +
      `Limits: under ${LIVE_LIMIT}% live, under ${IDLE_LIMIT}% hidden or detached. Curve: [soak-${BUILD}.svg](soak-${BUILD}.svg).`,
    "",
    "| phase | process | minutes | RSS first → last MB | peak MB | slope MB/min | growth | CPU % of a core | verdict |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.phase} | ${r.process.split(" ")[0]} | ${r.minutes.toFixed(1)} | ${r.growth.first.toFixed(0)} → ${r.growth.last.toFixed(0)} | ` +
        `${r.growth.peak.toFixed(0)} | ${r.growth.mbPerMinute.toFixed(2)} | ${r.growth.percent.toFixed(1)}% | ${r.cpuPercent.toFixed(1)} | ` +
        `${r.growth.percent < r.limit ? "pass" : "**fail**"} |`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const live = rows.filter((r) => r.phase === "live" && r.process.startsWith("WebKitWebProcess"));
  // A window that painted nothing would pass trivially; the web process works for every frame.
  const painted = live.some((r) => r.cpuPercent >= 5);
  if (WRITE) {
    writeFileSync(SVG, curve(samples, `Porthole's memory over a soak (${BUILD} build, ${commit})`));
    const doc = readFileSync(DOC, "utf8");
    const begin = `<!-- soak-${BUILD}:begin -->`;
    const end = `<!-- soak-${BUILD}:end -->`;
    const from = doc.indexOf(begin);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${DOC} lacks the ${begin} … ${end} markers`);
    writeFileSync(DOC, `${doc.slice(0, from + begin.length)}\n${lines.join("\n")}\n${doc.slice(to)}`);
    process.stderr.write(`wrote ${DOC} and ${SVG}\n`);
  }
  if (!painted) {
    process.stderr.write("the web process did no work while live: the window was not painting, so the soak proves nothing\n");
    process.exitCode = 1;
  }
  if (broken.length > 0) {
    process.stderr.write(`memory grew past its limit: ${broken.map((r) => `${r.phase} ${r.process}`).join(", ")}\n`);
    process.exitCode = 1;
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await closeAll();
  process.exit(1);
});
