// Porthole's benchmarks: `make bench` (or `npx vite-node tests/bench/run.ts -- [--rounds N]
// [--seconds S]`) measures the live path on a real agent-browser session showing the
// benchmark page (tests/pages/bench: repaints at 60 fps and paints its own clock), and
// writes the figures into docs/BENCHMARKS.md between its `bench:begin`/`bench:end`
// markers. The prose around the markers is written by hand and kept.
//
// What it measures:
// - the frame transports into the real webview (event with base64, Channel with raw
//   bytes, the `frame:` URI scheme) at three frame sizes, through `porthole
//   --measure-seconds`, which counts the frames the window acks as painted;
// - the same with WebKitGTK's DMA-BUF renderer on and off (no GPU here);
// - the Rust side alone (`porthole watch`, acking on receipt): the floor of the path;
// - what re-encoding frames as WebP would cost (examples/transcode.rs).
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { agentBrowser, closeAll, ROOT, sandbox, startSession } from "../support/agentBrowser";

const run = promisify(execFile);
const APP = join(ROOT, "target/debug/porthole");
const TRANSCODE = join(ROOT, "target/debug/examples/transcode");
const BENCH_PAGE = `file://${join(ROOT, "tests/pages/bench/index.html")}`;
const DOC = join(ROOT, "docs/BENCHMARKS.md");
const SIZES: Array<[number, number]> = [
  [640, 360],
  [1280, 720],
  [1920, 1080],
];
const TRANSPORTS = ["event", "channel", "scheme"] as const;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const ROUNDS = option("rounds", 3);
const SECONDS = option("seconds", 6);

interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}
interface Summary {
  frames: number;
  fps: number;
  latencyMs: Percentiles | null;
  bytes: number;
}
interface Measurement {
  transport: string;
  seconds: number;
  received: Summary;
  shown: Summary;
}

const box = sandbox("bench");

/** Opens the app on the bench workspace under its own Xvfb and measures what it shows. */
async function measureWindow(transport: string, env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
  const out = join(box.root, `measure-${transport}-${Date.now()}.json`);
  await run(
    "xvfb-run",
    [
      "-a",
      "-s",
      "-screen 0 1600x1000x24",
      "dbus-run-session",
      "--",
      APP,
      "--transport",
      transport,
      "--measure-seconds",
      String(SECONDS),
      "--measure-out",
      out,
      box.workspace,
    ],
    {
      env: { ...process.env, HOME: box.home, AGENT_BROWSER_SOCKET_DIR: box.sockets, XDG_RUNTIME_DIR: "", ...env },
      timeout: 120_000,
    },
  );
  return JSON.parse(readFileSync(out, "utf8")) as Measurement;
}

/** The Rust side alone: attach, ack every frame on receipt, decode nothing. */
async function measureWatch(saveFrame?: string): Promise<Summary> {
  const args = ["watch", "--workspace", box.workspace, "--seconds", String(SECONDS), "--json"];
  if (saveFrame) args.push("--save-frame", saveFrame);
  const { stdout } = await run(APP, args, {
    env: { ...process.env, AGENT_BROWSER_SOCKET_DIR: box.sockets, XDG_RUNTIME_DIR: "" },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Summary;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
};

/** Medians over rounds of fps and of each latency percentile. */
function combine(samples: Summary[]): { fps: number; p50: number; p90: number; p99: number; kb: number } {
  const pick = (f: (s: Summary) => number | undefined) => median(samples.map(f).filter((v): v is number => v !== undefined));
  return {
    fps: pick((s) => s.fps),
    p50: pick((s) => s.latencyMs?.p50),
    p90: pick((s) => s.latencyMs?.p90),
    p99: pick((s) => s.latencyMs?.p99),
    kb: pick((s) => (s.frames ? s.bytes / s.frames / 1024 : undefined)),
  };
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;

function machine(): string[] {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).trim().split("\n")[0];
    } catch {
      return "unknown";
    }
  };
  const webkit = version("dpkg-query", ["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"]);
  const os = readFileSync("/etc/os-release", "utf8").match(/PRETTY_NAME="(.*)"/)?.[1] ?? "Linux";
  return [
    `- Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, ${os}, no GPU (Xvfb).`,
    `- Chromium ${version("chromium", ["--version"]).replace(/^Chromium /, "")}, WebKitGTK ${webkit}, agent-browser ${JSON.parse(readFileSync(join(ROOT, "node_modules/agent-browser/package.json"), "utf8")).version}.`,
    `- Porthole ${version("git", ["-C", ROOT, "describe", "--always", "--dirty"])}, debug profile (what \`make run\` builds).`,
    `- ${ROUNDS} rounds of ${SECONDS} s per figure, medians over rounds; transports interleaved within each round.`,
  ];
}

async function main(): Promise<void> {
  const session = await startSession("bench", box.workspace, box.sockets, BENCH_PAGE);
  const lines: string[] = [];
  const started = new Date();
  lines.push(`Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC by \`make bench\`.`, "", ...machine(), "");

  // Transports at each frame size.
  lines.push(
    "### Frame transports into the webview",
    "",
    "Frames the window painted per second, and latency from Chrome's capture to the window's ack after drawing (ms). The Rust-side row is `porthole watch`: the same stream, acked on receipt, decoding nothing.",
    "",
    row(["Frame size", "Path", "fps", "p50", "p90", "p99", "KB/frame"]),
    row(["---", "---", "--:", "--:", "--:", "--:", "--:"]),
  );
  const frames: string[] = [];
  for (const [w, h] of SIZES) {
    await agentBrowser(session, "set", "viewport", String(w), String(h));
    const framePath = join(box.root, `frame-${w}x${h}.jpg`);
    const watch: Summary[] = [await measureWatch(framePath)];
    frames.push(framePath);
    const shown: Record<string, Summary[]> = Object.fromEntries(TRANSPORTS.map((t) => [t, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of TRANSPORTS) {
        shown[t].push((await measureWindow(t)).shown);
        process.stderr.write(`${w}x${h} ${t} round ${r + 1}/${ROUNDS}\n`);
      }
      if (r > 0) watch.push(await measureWatch());
    }
    const floor = combine(watch);
    lines.push(row([`${w}x${h}`, "Rust side (`watch`)", f1(floor.fps), f0(floor.p50), f0(floor.p90), f0(floor.p99), f1(floor.kb)]));
    for (const t of TRANSPORTS) {
      const c = combine(shown[t]);
      lines.push(row([`${w}x${h}`, `window, \`${t}\``, f1(c.fps), f0(c.p50), f0(c.p90), f0(c.p99), f1(c.kb)]));
    }
  }

  // The renderer, at 1280x720 with the default transport.
  await agentBrowser(session, "set", "viewport", "1280", "720");
  const renderer: Record<string, Summary[]> = { off: [], on: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Porthole turns the DMA-BUF renderer off by itself without a GPU; "0" keeps it on.
    renderer.off.push((await measureWindow("scheme")).shown);
    renderer.on.push((await measureWindow("scheme", { WEBKIT_DISABLE_DMABUF_RENDERER: "0" })).shown);
  }
  lines.push(
    "",
    "### WebKitGTK's DMA-BUF renderer without a GPU (1280x720, `scheme`)",
    "",
    row(["Renderer", "fps", "p50", "p90", "p99"]),
    row(["---", "--:", "--:", "--:", "--:"]),
  );
  for (const [name, label] of [
    ["off", "DMA-BUF off (Porthole's choice without a GPU)"],
    ["on", "DMA-BUF on (`WEBKIT_DISABLE_DMABUF_RENDERER=0`)"],
  ]) {
    const c = combine(renderer[name]);
    lines.push(row([label, f1(c.fps), f0(c.p50), f0(c.p90), f0(c.p99)]));
  }

  // WebP.
  const { stdout } = await run(TRANSCODE, frames);
  const table = stdout.trim().split("\n").slice(1).map((l) => l.split("\t"));
  lines.push(
    "",
    "### Re-encoding frames as WebP (per frame, codecs at opt-level 3)",
    "",
    row(["Frame size", "JPEG KB", "JPEG decode ms", "WebP q75 encode ms", "WebP q75 KB", "WebP q50 encode ms", "WebP q50 KB"]),
    row(["---", "--:", "--:", "--:", "--:", "--:", "--:"]),
  );
  for (const [, size, jpeg, decode, q75ms, q75, q50ms, q50] of table) {
    const kb = (b: string) => f1(Number(b) / 1024);
    lines.push(row([size, kb(jpeg), decode, q75ms, kb(q75), q50ms, kb(q50)]));
  }

  const doc = readFileSync(DOC, "utf8");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOC} lacks the ${begin} … ${end} markers`);
  writeFileSync(DOC, `${doc.slice(0, from + begin.length)}\n${lines.join("\n")}\n${doc.slice(to)}`);
  process.stderr.write(`wrote ${DOC}\n`);
}

mkdirSync(join(ROOT, "docs"), { recursive: true });
main()
  .catch((error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => closeAll());
