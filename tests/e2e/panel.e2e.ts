// The Browser panel in the real webview, on a real agent-browser session showing the
// animated demo page: it goes Live by itself, its pixels move and match what
// agent-browser's own screenshot shows, it follows a stream turned off and on, and it
// says Ended, keeping the last frame, when the daemon is killed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentBrowser, closeAll, killDaemon, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { launchOn, waitForText, waitForValue, type App } from "../support/driver";

const box = sandbox("panel");
let app: App;
let live: AgentSession;

const badge = () => waitForText(app.driver, "panel-badge", () => true);

beforeAll(async () => {
  live = await startSession("e2e-live", box.workspace, box.sockets);
  app = await launchOn(box);
  // Record every badge state the panel goes through, as a person would see them.
  await waitForText(app.driver, "panel-badge", () => true);
  await app.driver.executeScript(`
    const badge = document.querySelector('[data-testid="panel-badge"]');
    window.__states = [badge.dataset.state];
    new MutationObserver(() => {
      const s = badge.dataset.state;
      if (window.__states[window.__states.length - 1] !== s) window.__states.push(s);
    }).observe(badge, { attributes: true });
  `);
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

/** A fingerprint of the canvas: a sample of its pixels. */
function canvasSample(): Promise<number[]> {
  return app.driver.executeScript<number[]>(`
    const c = document.querySelector('[data-testid="screen"]');
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4 * 997) out.push(d[i], d[i + 1], d[i + 2]);
    return out;
  `);
}

describe("the Browser panel", () => {
  it("shows the workspace's session live without a click", async () => {
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 20_000);
    expect(await waitForText(app.driver, "panel-session", (t) => t === "e2e-live")).toBe("e2e-live");
    const url = await waitForValue(app.driver, "url-field", (t) => t.includes("demo/index.html"));
    expect(url, "the URL field shows the page's URL").toContain("file://");
    // The readout counts frames painted in the last second, so it can read "0 fps" for a
    // moment after the badge turns Live on a slow machine; wait for a painted frame.
    const readout = await waitForText(app.driver, "readout", (t) => /[1-9]\d* fps · \d+ ms/.test(t), 15_000);
    expect(readout, "a live fps and latency readout").toMatch(/\d+ fps · \d+ ms/);
  });

  it("paints frame after frame: the pixels change", async () => {
    // Nothing around the canvas is blurred: WebKit would blur it again on every frame.
    const blurs = await app.driver.executeScript<string[]>(`
      const style = getComputedStyle(document.querySelector('[data-testid="screen"]'));
      const shadows = style.boxShadow === "none" ? [] : style.boxShadow.split(/,(?![^(]*\\))/);
      return [...shadows.map((s) => (s.match(/-?[\\d.]+px/g) ?? [])[2] ?? "0px"), style.filter === "none" ? "0px" : style.filter];
    `);
    expect(blurs.filter((b) => b !== "0px"), "the live canvas has no blurred shadow or filter").toEqual([]);
    const first = await canvasSample();
    await app.driver.wait(
      async () => (await canvasSample()).some((v, k) => v !== first[k]),
      15_000,
      "the animated page never moved on the canvas",
    );
  });

  it("shows what agent-browser's own screenshot shows", async () => {
    const png = join(box.root, "shot.png");
    await agentBrowser(live, "screenshot", png);
    const b64 = readFileSync(png).toString("base64");
    const result = await app.driver.executeAsyncScript<{ w: number; h: number; cw: number; ch: number; diff: number }>(
      `const done = arguments[arguments.length - 1];
       const img = new Image();
       img.onload = () => {
         const c = document.querySelector('[data-testid="screen"]');
         const off = document.createElement("canvas");
         off.width = img.width; off.height = img.height;
         const o = off.getContext("2d"); o.drawImage(img, 0, 0);
         // The still part of the demo page: the form and link cards, below the animation.
         const y0 = 240, y1 = Math.min(img.height, c.height, 560);
         const a = o.getImageData(0, y0, img.width, y1 - y0).data;
         const b = c.getContext("2d").getImageData(0, y0, c.width, y1 - y0).data;
         let sum = 0, n = 0;
         for (let i = 0; i < a.length && i < b.length; i += 4 * 7) {
           sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
           n += 3;
         }
         done({ w: img.width, h: img.height, cw: c.width, ch: c.height, diff: sum / n });
       };
       img.src = "data:image/png;base64," + arguments[0];`,
      b64,
    );
    expect([result.cw, result.ch], "the canvas holds the page at its own size").toEqual([result.w, result.h]);
    expect(result.diff, "the panel matches the screenshot, up to JPEG noise").toBeLessThan(6);
  });

  it("follows the stream when it is turned off, back to Live", async () => {
    await app.driver.executeScript("window.__states = [document.querySelector('[data-testid=\"panel-badge\"]').dataset.state]");
    await agentBrowser(live, "stream", "disable");
    // The badge can leave Live for less than a poll: wait on what the observer recorded.
    await app.driver.wait(
      () => app.driver.executeScript<boolean>("return window.__states.some((s) => s !== 'live')"),
      20_000,
      "the panel never left Live",
    );
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 20_000);
    const states = await app.driver.executeScript<string[]>("return window.__states");
    expect(states[0]).toBe("live");
    expect(states, "it went through Reconnecting or Activating").toEqual(
      expect.arrayContaining([expect.stringMatching(/^(reconnecting|activating)$/)]),
    );
    expect(states[states.length - 1]).toBe("live");
  });

  it("says Ended, keeping the last frame dimmed, when the daemon is killed", async () => {
    killDaemon(live);
    await waitForText(app.driver, "panel-badge", (t) => t === "Ended", 20_000);
    const message = await waitForText(app.driver, "panel-message", (t) => t.includes("Session ended at"));
    expect(message, "with the reason").toContain("not running");
    const screen = await app.driver.executeScript<{ hidden: boolean; dimmed: boolean }>(`
      const c = document.querySelector('[data-testid="screen"]');
      return { hidden: c.hidden, dimmed: c.classList.contains("dimmed") };
    `);
    expect(screen, "the last frame stays, dimmed").toEqual({ hidden: false, dimmed: true });
    expect(await badge()).toBe("Ended");
  });
});
