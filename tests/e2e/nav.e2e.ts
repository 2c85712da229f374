// The toolbar and the tab strip in the real webview, on a real agent-browser session:
// the URL field navigates, Back goes back, the strip follows tabs the agent opens and
// switches the page shown, a bad address is refused in place, and a screenshot is saved
// and copied.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Key } from "selenium-webdriver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentBrowser, closeAll, DEMO_PAGE, ROOT, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { eventually } from "../support/eventually";
import { byTestId, clickFresh, launchOn, waitForText, waitForValue, type App } from "../support/driver";

const ABOUT_PAGE = `file://${join(ROOT, "tests/pages/demo/about.html")}`;
const box = sandbox("nav");
let app: App;
let session: AgentSession;

beforeAll(async () => {
  session = await startSession("e2e-nav", box.workspace, box.sockets, DEMO_PAGE);
  app = await launchOn(box);
  await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

/** The active tab's URL, as the agent sees it. */
async function agentUrl(): Promise<string> {
  const out = JSON.parse(await agentBrowser(session, "--json", "get", "url")) as { data?: { url?: string } };
  return out.data?.url ?? "";
}

const tabCount = () =>
  app.driver.executeScript<number>(`return document.querySelectorAll('[data-testid="tab"]').length`);

describe("the toolbar and tabs", () => {
  it("navigates to the address typed in the URL field", async () => {
    const field = await app.driver.findElement(byTestId("url-field"));
    await field.click();
    await app.driver.executeScript("arguments[0].select()", field);
    await field.sendKeys(ABOUT_PAGE, Key.ENTER);
    await eventually(agentUrl, (u) => u.endsWith("about.html"), "the browser never opened the typed address");
    await waitForValue(app.driver, "url-field", (v) => v.endsWith("about.html"));
    await waitForText(app.driver, "page-title", (t) => t.includes("about"));
  });

  it("goes back with the Back button", async () => {
    await app.driver.findElement(byTestId("nav-back")).click();
    await eventually(agentUrl, (u) => u.endsWith("demo/index.html"), "Back did not return to the demo page");
    await waitForValue(app.driver, "url-field", (v) => v.endsWith("demo/index.html"));
  });

  it("refuses an address with spaces, in place", async () => {
    const field = await app.driver.findElement(byTestId("url-field"));
    await field.click();
    await app.driver.executeScript("arguments[0].select()", field);
    await field.sendKeys("two words", Key.ENTER);
    // The notice keeps its last text while hidden: wait for this refusal's own words.
    await waitForText(app.driver, "notice", (t) => t.includes("not an address"));
    expect(await agentUrl(), "the page stayed where it was").toMatch(/demo\/index\.html$/);
  });

  it("follows a tab the agent opens, and switches the page shown from the strip", async () => {
    await agentBrowser(session, "tab", "new", ABOUT_PAGE);
    await app.driver.wait(async () => (await tabCount()) === 2, 10_000, "the strip never showed the agent's new tab");
    await waitForText(app.driver, "page-title", (t) => t.includes("about"));
    await clickFresh(app.driver, '[data-testid="tab"] .tab-title');
    await eventually(agentUrl, (u) => u.endsWith("demo/index.html"), "the first tab did not become active");
    await waitForText(app.driver, "page-title", (t) => !t.includes("about"));
  });

  it("saves a screenshot of the page shown, and copies it to the clipboard", async () => {
    await app.driver.findElement(byTestId("screenshot")).click();
    const notice = await waitForText(app.driver, "notice", (t) => t.startsWith("Saved to "));
    expect(notice, "saved and copied").toContain("copied to the clipboard");
    const path = /^Saved to (.+?\.png)/.exec(notice)?.[1] ?? "";
    expect(path.startsWith(box.home), `saved in the person's folders: ${notice}`).toBe(true);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString(), "a PNG file").toBe("PNG");

    // What another program pastes: an image of the page's own size.
    const targets = execFileSync("xclip", ["-selection", "clipboard", "-t", "TARGETS", "-o"], { encoding: "utf8" });
    expect(targets, "the clipboard offers an image").toContain("image/png");
    const pasted = execFileSync("xclip", ["-selection", "clipboard", "-t", "image/png", "-o"]);
    expect(pasted.subarray(1, 4).toString(), "a PNG comes out").toBe("PNG");
    const size = (p: Buffer) => [p.readUInt32BE(16), p.readUInt32BE(20)];
    expect(size(pasted), "the same pixels as the saved screenshot").toEqual(size(png));
  });

  it("closes a tab from the strip", async () => {
    await clickFresh(app.driver, 'div[data-testid="tab"]:last-of-type [data-testid="tab-close"]');
    await app.driver.wait(async () => (await tabCount()) === 1, 10_000, "the closed tab stayed in the strip");
  });

  it("says what the agent asked the browser to do, and how it went", async () => {
    await agentBrowser(session, "open", ABOUT_PAGE);
    const shown = await waitForText(app.driver, "agent-activity", (t) => t.includes("navigate") && t.includes("about.html") && t.startsWith("✓"), 20_000);
    expect(shown, "the command and its URL, marked done").toContain(ABOUT_PAGE);
    await agentBrowser(session, "open", "file:///nonexistent/porthole-missing.html").catch(() => undefined);
    await waitForText(app.driver, "agent-activity", (t) => t.startsWith("✗") && t.includes("porthole-missing.html"), 20_000);
  });
});
