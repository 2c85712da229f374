// agent-browser's own dashboard viewer (served on the session's stream port), opened in
// headless Chromium on a session and measured as Porthole is: the frames it paints per
// second, the time from Chrome's capture to the frame drawn on its canvas, and the CPU
// of that Chromium, every process of it, over the same seconds.
//
// The dashboard keeps no capture times, so a script injected before its own (and
// changing nothing it does) follows each frame: the WebSocket message gives the frame's
// capture time; `atob` of the same base64, `createImageBitmap` of those bytes and the
// `drawImage` of that bitmap carry it to the paint.
import { chromium } from "playwright-core";
import { descendants } from "../support/agentBrowser";
import { treeCpu } from "./cpu";
import { summarize, type Summary } from "./stats";

/** The dashboard's figures, with its headless Chromium's CPU, percent of one core. */
export interface DashboardRun extends Summary {
  cpuPercent: number;
}

/** Runs in the dashboard page before its scripts. */
function instrument(): void {
  interface Bench {
    counting: boolean;
    latencies: number[];
    painted: number;
  }
  const bench: Bench = { counting: false, latencies: [], painted: 0 };
  (window as unknown as { __bench: Bench }).__bench = bench;
  const now = () => performance.timeOrigin + performance.now();
  // A frame's base64 is known by its length and 32 characters from its middle.
  const key = (s: string, from: number, to: number) => {
    const mid = from + ((to - from) >> 1);
    return `${to - from}:${s.slice(mid, mid + 32)}`;
  };
  const captured = new Map<string, number>();
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Registered before the dashboard sets `onmessage`, so it runs first.
      this.addEventListener("message", (e: MessageEvent) => {
        const text = e.data;
        if (typeof text !== "string" || !text.includes('"type":"frame"')) return;
        const from = text.indexOf('"data":"') + 8;
        const to = text.indexOf('"', from);
        const at = text.lastIndexOf('"timestamp":');
        if (from < 8 || to < 0 || at < 0) return;
        captured.set(key(text, from, to), parseFloat(text.slice(at + 12)));
        // Frames the dashboard skips are never looked up: keep the map small.
        if (captured.size > 240) captured.delete(captured.keys().next().value as string);
      });
    }
  };
  let pending: number | null = null;
  const nativeAtob = window.atob;
  window.atob = function (data: string) {
    const k = key(data, 0, data.length);
    pending = captured.get(k) ?? null;
    captured.delete(k);
    return nativeAtob.call(window, data);
  };
  const tagged = new WeakMap<object, number>();
  const nativeBitmap = window.createImageBitmap;
  window.createImageBitmap = function (...args: Parameters<typeof createImageBitmap>) {
    const at = pending;
    pending = null;
    return (nativeBitmap as (...a: unknown[]) => Promise<ImageBitmap>).apply(window, args).then((bitmap) => {
      if (at !== null) tagged.set(bitmap, at);
      return bitmap;
    });
  } as typeof createImageBitmap;
  const proto = CanvasRenderingContext2D.prototype;
  const nativeDraw = proto.drawImage;
  proto.drawImage = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
    (nativeDraw as (...a: unknown[]) => void).apply(this, args);
    const at = tagged.get(args[0] as object);
    if (at !== undefined && bench.counting) {
      bench.painted++;
      bench.latencies.push(Math.max(0, now() - at));
    }
  } as typeof proto.drawImage;
}

/** Opens the dashboard of the session streaming on `port` and measures it for `seconds`. */
export async function measureDashboard(port: number, seconds: number): Promise<DashboardRun> {
  const browser = await chromium.launch({
    executablePath: process.env.AGENT_BROWSER_EXECUTABLE_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(instrument);
    await page.goto(`http://127.0.0.1:${port}/`);
    // The first painted frame, then a second of warm-up as for Porthole.
    await page.waitForFunction(
      () => {
        const b = (window as unknown as { __bench: { counting: boolean; painted: number } }).__bench;
        b.counting = true;
        return b.painted > 0;
      },
      undefined,
      { timeout: 30_000, polling: 100 },
    );
    await new Promise((r) => setTimeout(r, 1000));
    await page.evaluate(() => {
      const b = (window as unknown as { __bench: { latencies: number[]; painted: number } }).__bench;
      b.latencies = [];
      b.painted = 0;
    });
    // The headless Chromium is this process's only child while the dashboard is measured.
    const cpu = treeCpu(() => descendants(process.pid));
    const started = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const { latencies, painted } = await page.evaluate(() => {
      const b = (window as unknown as { __bench: { latencies: number[]; painted: number } }).__bench;
      return { latencies: [...b.latencies], painted: b.painted };
    });
    const cpuPercent = cpu.stop();
    return { ...summarize(painted, (performance.now() - started) / 1000, latencies), cpuPercent };
  } finally {
    await browser.close();
  }
}
