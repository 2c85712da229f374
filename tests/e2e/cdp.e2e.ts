// A browser with DevTools open, as Puppeteer or a person starts one, shown in the real
// webview: Debian's Chromium on port 0 in the workspace is found, attached and painted,
// clicked, followed to a new tab, sized to the panel, and seen to end. Then one outside
// the workspace is connected to by hand. The page (tests/pages/cdp) says in its title
// what reached it, and the panel shows the title.
import { execFileSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, sandbox } from "../support/agentBrowser";
import { startChromium } from "../support/chromium";
import { eventually } from "../support/eventually";
import { APP, byTestId, launchOn, sandboxEnv, waitForPaint, waitForText, type App } from "../support/driver";

const CDP_PAGE = `file://${join(ROOT, "tests/pages/cdp/index.html")}`;
const box = sandbox("cdp");
/** The page's CSS size; the first click reports the real one. */
let pageSize = { w: 1280, h: 720 };
const browsers: ChildProcess[] = [];
let app: App;

/** Debian's Chromium, headless, in `cwd`, with DevTools on `port` (0: its own choice). */
function chromium(cwd: string, port: number): ChildProcess {
  const child = startChromium(cwd, port, CDP_PAGE, ["--window-size=1280,720"]);
  browsers.push(child);
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const title = () => app.driver.executeScript<string>(`return document.querySelector('[data-testid="page-title"]').textContent`);
const canvas = () => app.driver.findElement(byTestId("screen"));

/** Where page CSS pixel (x, y) is on the canvas, from the page's own size (its title says it). */
async function onCanvas(x: number, y: number, page: { w: number; h: number }): Promise<{ x: number; y: number }> {
  const r = await app.driver.executeScript<{ w: number; h: number }>(`
    const r = document.querySelector('[data-testid="screen"]').getBoundingClientRect();
    return { w: r.width, h: r.height };
  `);
  return { x: Math.round((x * r.w) / page.w - r.w / 2), y: Math.round((y * r.h) / page.h - r.h / 2) };
}

/** The frame's pixel width and the panel's width in device pixels. */
const sizes = () =>
  app.driver.executeScript<{ frame: number; panel: number }>(`
    const c = document.querySelector('[data-testid="screen"]');
    return { frame: c.width, panel: Math.round(c.parentElement.clientWidth * devicePixelRatio) };
  `);

beforeAll(async () => {
  chromium(box.workspace, 0);
  app = await launchOn(box);
  await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  await waitForPaint(app.driver);
});

afterAll(async () => {
  await app?.stop();
  for (const b of browsers) b.kill("SIGKILL");
});

describe("a browser with DevTools open in the workspace", () => {
  it("is listed as its own kind, with its port and pid, and attached by itself", async () => {
    const item = app.driver.findElement({ css: '[data-testid="sessions-current"] [data-kind="cdp"]' });
    const text = await item.getAttribute("textContent");
    expect(text, "named as a person recognises it").toMatch(/^Chromium · port \d+ · pid \d+DevTools/);
    expect(await app.driver.findElement(byTestId("panel-session")).getAttribute("textContent")).toMatch(/^Chromium · port/);
  });

  it("takes a click where it lands, within 2 CSS px", async () => {
    const ready = await eventually(title, (t) => t === "ready", "the page's title never showed");
    expect(ready).toBe("ready");
    // A first click, mapped for the window size Chromium was given, reports the page's
    // real CSS size in the title; the second is aimed with it.
    let at = await onCanvas(300, 180, pageSize);
    await app.driver.actions().move({ origin: await canvas(), ...at }).click().perform();
    const first = await eventually(title, (t) => t.startsWith("clicked"), "the click never reached the page");
    const [w, h] = (first.split(" ").pop() ?? "").split("x").map(Number);
    pageSize = { w, h };
    at = await onCanvas(300, 180, pageSize);
    await app.driver.executeScript(`document.querySelector('[data-testid="page-title"]').textContent = ""`);
    await app.driver.actions().move({ origin: await canvas(), ...at }).click().perform();
    const clicked = await eventually(title, (t) => t.startsWith("clicked"), "the second click never reached the page");
    const [, x, y] = clicked.split(" ").map(Number);
    expect(Math.abs(x - 300), `x ${x} (${clicked})`).toBeLessThanOrEqual(2);
    expect(Math.abs(y - 180), `y ${y} (${clicked})`).toBeLessThanOrEqual(2);
  });

  it("sends frames no larger than the panel, following a resize", async () => {
    const before = await eventually(sizes, (s) => s.frame > 0 && s.frame <= s.panel + 1, "frames are sized to the panel");
    const rect = await app.driver.manage().window().getRect();
    await app.driver.manage().window().setRect({ width: Math.max(700, rect.width - 400), height: rect.height });
    const after = await eventually(
      sizes,
      (s) => s.panel < before.panel && s.frame <= s.panel + 1 && s.frame < before.frame,
      "the frame never followed the smaller panel",
    );
    expect(after.frame, "the frame is as wide as the panel, not blurrier").toBeGreaterThanOrEqual(after.panel - 2);
    await app.driver.manage().window().setRect(rect);
  });

  it("follows a tab opened from the page", async () => {
    // After the resize above, let the panel settle on frames of its size first.
    await eventually(sizes, (s) => s.frame > 0 && s.frame <= s.panel + 1, "the panel never settled");
    const tabs = () =>
      app.driver.executeScript<{ tabs: number; active: string }>(`
        const tabs = [...document.querySelectorAll('[data-testid="tab"]')];
        const a = tabs.find((t) => t.getAttribute("aria-selected") === "true");
        return { tabs: tabs.length, active: a ? a.querySelector(".tab-title").title : "" };
      `);
    const followed = (s: { tabs: number; active: string }) => s.tabs >= 2 && s.active.endsWith("#second");
    // A click that lands while a frame of a new size is on its way may miss; a person
    // would click again.
    let state = await tabs();
    for (let attempt = 0; attempt < 3 && !followed(state); attempt++) {
      const at = await onCanvas(200, 350, pageSize);
      await app.driver.actions().move({ origin: await canvas(), ...at }).click().perform();
      state = await eventually(tabs, followed, "the new tab was not followed", 5_000).catch(() => tabs());
    }
    expect(followed(state), `the new tab is listed and shown: ${JSON.stringify(state)}`).toBe(true);
  });

  it("says Ended when the browser is killed, and starts nothing", async () => {
    browsers[0].kill("SIGKILL");
    await waitForText(app.driver, "panel-badge", (t) => t === "Ended", 20_000);
    const text = await app.driver.findElement(byTestId("panel-message")).getAttribute("textContent");
    expect(text, "the reason says the browser is gone").toContain("exited");
  });
});

describe("connecting to a browser by hand", () => {
  it("refuses an address off this machine, with the reason", async () => {
    await app.driver.findElement(byTestId("connect-toggle")).click();
    const field = app.driver.findElement(byTestId("connect-address"));
    await field.sendKeys("10.1.2.3:9222");
    await app.driver.findElement(byTestId("connect-submit")).click();
    const error = await waitForText(app.driver, "connect-error", (t) => t.length > 0);
    expect(error).toContain("not on this machine");
  });

  it("shows the browser on the port typed", async () => {
    const port = await freePort();
    chromium(join(box.root, "elsewhere"), port);
    const field = app.driver.findElement(byTestId("connect-address"));
    await field.clear();
    await field.sendKeys(String(port));
    // The browser takes a moment to listen: try until it answers, as a person would.
    // Once it does, the form closes and the panel goes Live in its own time.
    await eventually(
      async () => {
        const submit = app.driver.findElement(byTestId("connect-submit"));
        if (await submit.isDisplayed()) {
          await submit.click().catch(() => {}); // closed between the look and the click
        }
        await new Promise((r) => setTimeout(r, 500));
        return app.driver.findElement(byTestId("panel-badge")).getAttribute("textContent");
      },
      (badge) => badge === "Live",
      "the browser typed in was never shown",
    );
    expect(await app.driver.findElement(byTestId("panel-session")).getAttribute("textContent")).toContain(`port ${port}`);
  });

  it("takes `porthole connect PORT` from a terminal, handed to the running window", async () => {
    const port = await freePort();
    chromium(join(box.root, "terminal"), port);
    await eventually(
      async () => {
        try {
          execFileSync(APP, ["connect", String(port)], { env: { ...process.env, ...sandboxEnv(box) }, timeout: 20_000 });
        } catch {
          // The second instance exits once it handed over; a failure shows below.
        }
        await new Promise((r) => setTimeout(r, 500));
        return app.driver.findElement(byTestId("panel-session")).getAttribute("textContent");
      },
      (name) => (name ?? "").includes(`port ${port}`),
      "the address given on the command line was never shown",
    );
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  });
});
