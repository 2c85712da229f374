// The built app in its real webview (WebKitGTK under Xvfb), on a workspace where a real
// agent-browser session runs: what a person sees, and what the webview may not do.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentBrowser, closeAll, killDaemon, pidOf, ROOT, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { byTestId, launchOn, waitForText, type App } from "../support/driver";

// A project in the person's home, as the README's screenshot shows it (~/projects/shop).
const box = sandbox("e2e", "home/projects/shop");
let app: App;
let demo: AgentSession;

beforeAll(async () => {
  demo = await startSession("shop", box.workspace, box.sockets);
  app = await launchOn(box);
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

describe("the window", () => {
  it("names the open workspace", async () => {
    const name = await waitForText(app.driver, "workspace-name", (t) => t !== "…");
    expect(name, "the sidebar shows the workspace's folder name").toBe(basename(box.workspace));
    const title = await app.driver.getTitle();
    expect(title, "the document is Porthole's own page").toBe("Porthole");
  });

  it("lists the agent's session of this workspace as streaming", async () => {
    const current = await waitForText(app.driver, "sessions-current", (t) => t.includes("shop"));
    expect(current, "the session is listed with its stream on").toContain("Streaming");
    expect(current).toContain(`pid ${pidOf(demo)}`);
  });

  it("shows a session the agent starts later, without any click", async () => {
    const later = await startSession("e2e-later", join(box.workspace, "web"), box.sockets);
    await waitForText(app.driver, "sessions-current", (t) => t.includes("e2e-later"), 20_000);
    killDaemon(later);
    const text = await waitForText(
      app.driver,
      "sessions-current",
      (t) => /e2e-later\s*Ended/.test(t),
      20_000,
    );
    expect(text, "a killed daemon stays in its workspace's list as stale, with the reason").toContain("not running");
  });

  it("resizes the split by dragging the handle, and keeps the panel on the right", async () => {
    const sidebar = await app.driver.findElement(byTestId("workspace-name"));
    const panel = await app.driver.findElement(byTestId("browser-panel"));
    const handle = await app.driver.findElement(byTestId("splitter"));
    const before = await handle.getRect();
    await app.driver.actions().move({ origin: handle }).press().move({ origin: handle, x: 150, y: 0 }).release().perform();
    const after = await handle.getRect();
    expect(after.x - before.x, "the handle follows the pointer").toBeGreaterThan(100);
    const panelRect = await panel.getRect();
    expect(panelRect.x, "the Browser panel starts right of the handle").toBeGreaterThanOrEqual(after.x);
    expect((await sidebar.getRect()).x, "the sidebar stays on the left").toBeLessThan(after.x);
  });

  it("lets the webview call Porthole's commands and nothing else", async () => {
    const outcome = async (cmd: string, args: object) =>
      app.driver.executeAsyncScript<string>(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
           .then(() => done("allowed"), (e) => done("denied: " + String(e)));`,
        cmd,
        args,
      );
    expect(await outcome("app_info", {}), "Porthole's own command").toBe("allowed");
    for (const [cmd, args] of [
      ["plugin:shell|execute", { program: "sh", args: ["-c", "true"] }],
      ["plugin:window|close", { label: "main" }],
      ["plugin:webview|create_webview_window", { options: { label: "x", url: "https://example.com" } }],
      // Plugins Porthole uses from Rust only.
      ["plugin:opener|open_url", { url: "https://example.com" }],
      ["plugin:dialog|open", { options: {} }],
      ["plugin:window-state|save_window_state", { flags: 0 }],
    ] as const) {
      expect(await outcome(cmd, args), `${cmd} is not for the webview`).toMatch(/^denied/);
    }
  });

  it("turns compact: a small window with only the panel, and back", async () => {
    const before = await app.driver.manage().window().getRect();
    const compact = await app.driver.findElement(byTestId("compact"));
    await compact.click();
    await app.driver.wait(async () => (await app.driver.manage().window().getRect()).width < before.width, 15_000, "the window never shrank");
    const sidebarShown = () =>
      app.driver.executeScript<boolean>(`return getComputedStyle(document.querySelector(".sidebar")).display !== "none"`);
    expect(await sidebarShown(), "only the panel in compact mode").toBe(false);

    // Quit while compact: Porthole comes back compact, and still knows the size to return to.
    await app.stop();
    app = await launchOn(box);
    await waitForText(app.driver, "workspace-name", (t) => t === basename(box.workspace));
    expect(await sidebarShown(), "compact mode is kept across a restart").toBe(false);
    const again = await app.driver.findElement(byTestId("compact"));
    expect(await again.getAttribute("aria-pressed"), "and the button says so").toBe("true");

    await again.click();
    await app.driver.wait(async () => (await app.driver.manage().window().getRect()).width === before.width, 15_000, "the size never came back");
    await app.driver.wait(sidebarShown, 15_000, "the sidebar never came back");
  });

  const screenshot = process.env.PORTHOLE_SCREENSHOT;
  it.runIf(Boolean(screenshot))("can be photographed for the README", async () => {
    const path = screenshot as string;
    // The page as a person's dev server would serve it, not a file in this checkout.
    const pages = join(ROOT, "tests/pages/demo");
    const server = createServer((req, res) => {
      const name = req.url === "/" ? "index.html" : basename(req.url ?? "");
      try {
        const body = readFileSync(join(pages, name));
        res.writeHead(200, { "content-type": name.endsWith(".html") ? "text/html" : "application/octet-stream" });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await agentBrowser(demo, "open", `http://shop.localhost:${port}/`);
    await app.driver.manage().window().setRect({ width: 1280, height: 760 });
    // The sidebar at its default width (an earlier test dragged it).
    await app.driver.actions().doubleClick(await app.driver.findElement(byTestId("splitter"))).perform();
    await app.driver.actions().move({ origin: await app.driver.findElement(byTestId("panel-session")) }).perform();
    await app.driver.executeScript("document.activeElement?.blur()");
    await waitForText(app.driver, "sessions-current", (t) => t.includes("shop"));
    // The agent at work: its last command shows beside the page title.
    await agentBrowser(demo, "fill", "#name", "Ada");
    await waitForText(app.driver, "agent-activity", (t) => t.startsWith("✓ fill"), 20_000);
    // The result comes before the frame that shows the filled field; let a few paint.
    await new Promise((r) => setTimeout(r, 1_000));
    const png = await app.driver.takeScreenshot();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(png, "base64"));
    server.close();
  });
});
