// The tray, end to end: a StatusNotifier host of the test's own (src-tauri/examples/
// tray_host.rs) owns org.kde.StatusNotifierWatcher on the test's session bus, so the
// app's icon registers as on a desktop panel; the test reads and clicks its menu over
// com.canonical.dbusmenu, as a person would.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentBrowser, closeAll, DEMO_PAGE, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { APP, byTestId, launch, launchOn, sandboxEnv, waitForText, type App } from "../support/driver";
import { eventually } from "../support/eventually";
import { type MenuEntry, TrayHost } from "../support/trayHost";

const box = sandbox("tray");
let tray: TrayHost;
let app: App;
let here: AgentSession;

const run = promisify(execFile);

/** What `porthole timeline --json` prints, as far as this test reads it. */
interface TimelineEntry {
  at: number;
  kind: string;
  action: string | null;
  ok: boolean | null;
  text: string;
  before?: number;
  after?: number;
}

const entry = (menu: MenuEntry[], name: string) => menu.find((e) => e.label.startsWith(`${name} — `));
const attachedName = (menu: MenuEntry[]) => menu.find((e) => e.checked === true)?.label.split(" — ")[0] ?? null;
const panelSession = () => waitForText(app.driver, "panel-session", () => true);

/** Clicks the entry `pick` finds in the menu, reading the menu again when the label was
 * gone by the time of the click (a session's label carries its live status). */
async function clickWhere(pick: (menu: MenuEntry[]) => string | undefined, what: string): Promise<void> {
  let last: unknown = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const label = pick(await tray.menu());
    try {
      if (label) return await tray.click(label);
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the tray menu's ${what} could not be clicked: ${String(last)}`);
}

const clickSession = (name: string) => clickWhere((menu) => entry(menu, name)?.label, `entry for ${name}`);
const visible = () => app.driver.executeScript<boolean>("return document.visibilityState === 'visible'");

/** Each test below starts from the window on screen, whatever the one before left, so a
 * failure is reported where it happens rather than again in every later test. */
async function onScreen(): Promise<void> {
  if (await visible()) return;
  await tray.click("Show/Hide Porthole");
  await app.driver.wait(visible, 10_000, "the window did not come back for the next test");
}

beforeAll(async () => {
  tray = await TrayHost.start();
  here = await startSession("tray-here", box.workspace, box.sockets, DEMO_PAGE);
  await startSession("tray-there", join(box.root, "elsewhere"), box.sockets, DEMO_PAGE);
  app = await launchOn(box);
});

afterAll(async () => {
  await app?.stop();
  tray?.stop();
  await closeAll();
});

describe("the tray", () => {
  it("registers its icon with the desktop's tray host", async () => {
    const registered = await tray.registered();
    expect(String(registered.registered), "the item's bus name").not.toBe("");
  });

  it("lists the sessions, this workspace's first, and marks the one attached", async () => {
    const menu = await tray.menuWhere((m) => !!entry(m, "tray-here") && !!entry(m, "tray-there") && attachedName(m) === "tray-here");
    const labels = menu.map((e) => e.label);
    const here = labels.findIndex((l) => l.startsWith("tray-here — "));
    const there = labels.findIndex((l) => l.startsWith("tray-there — "));
    const heading = labels.findIndex((l) => l.startsWith("In this workspace"));
    expect(heading, `a heading for this workspace: ${labels.join(" | ")}`).toBeGreaterThanOrEqual(0);
    expect(heading).toBeLessThan(here);
    expect(here, `this workspace's session comes before the others: ${labels.join(" | ")}`).toBeLessThan(there);
    expect(labels.slice(there - 1, there).join(), "the other under its directory").toContain("elsewhere");
  });

  it("attaches the session chosen in the menu", async () => {
    await clickSession("tray-there");
    await waitForText(app.driver, "panel-session", (t) => t === "tray-there");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await tray.menuWhere((m) => attachedName(m) === "tray-there");
  });

  it("empties the panel on Detach", async () => {
    await tray.click("Detach");
    await waitForText(app.driver, "panel-badge", (t) => t === "No session");
    const menu = await tray.menuWhere((m) => attachedName(m) === null);
    expect(menu.find((e) => e.label === "Detach")?.enabled, "nothing left to detach").toBe(false);
  });

  it("hides the window to the tray with nothing streaming, and shows it again attached", async () => {
    await clickSession("tray-here");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await tray.click("Show/Hide Porthole");
    const hidden = await tray.menuWhere((m) => attachedName(m) === null);
    expect(attachedName(hidden), "nothing streams while the window is hidden").toBeNull();
    await tray.click("Show/Hide Porthole");
    await tray.menuWhere((m) => attachedName(m) === "tray-here");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    expect(await panelSession()).toBe("tray-here");
    expect(await app.driver.findElement(byTestId("panel-session")).isDisplayed(), "the window is back").toBe(true);
  });

  it("with Keep recording while hidden, records what the agent does meanwhile, and says so", async () => {
    const setting = app.driver.findElement(byTestId("record-while-hidden"));
    expect(await setting.isSelected(), "off by default").toBe(false);
    await setting.click();
    await app.driver.wait(async () => await setting.isSelected(), 5_000);
    await waitForText(app.driver, "panel-session", (t) => t === "tray-here");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await tray.click("Show/Hide Porthole");
    const recording = "● Recording tray-here while hidden";
    const hidden = await tray.menuWhere((m) => m.some((e) => e.label === recording));
    expect(attachedName(hidden), "the session stays attached while it is recorded").toBe("tray-here");
    expect(await visible(), "the window is in the tray").toBe(false);

    const given = Date.now();
    await agentBrowser(here, "eval", "console.error('tray test: while hidden'); 1");
    await agentBrowser(here, "open", "data:text/html,<title>Hidden</title><body style='background:%2344a'>changed while hidden");
    const entries = await eventually(
      async () => {
        const { stdout } = await run(APP, ["timeline", "--workspace", box.workspace, "--session", "tray-here", "--json"], {
          env: { ...process.env, ...sandboxEnv(box) },
          timeout: 20_000,
        }).catch(() => ({ stdout: "[]" }));
        return (JSON.parse(stdout) as TimelineEntry[]).filter((e) => e.at >= given);
      },
      (list) => list.some((e) => e.kind === "command" && e.action === "navigate" && e.after !== undefined),
      "the command given while hidden never reached the timeline with its still after",
    );
    expect(
      entries.filter((e) => e.kind === "command").map((e) => [e.action, e.ok]),
      "the commands given while the window was hidden, in order",
    ).toEqual([
      ["evaluate", true],
      ["navigate", true],
    ]);
    expect(entries.some((e) => e.kind === "console" && e.text === "tray test: while hidden"), "the console error too").toBe(true);
    const navigate = entries.find((e) => e.action === "navigate");
    expect(navigate?.before, "a still of the page before the command").toBeDefined();

    await tray.click("Show/Hide Porthole");
    await app.driver.wait(visible, 10_000, "Show did not bring the window back");
    const shown = await tray.menuWhere((m) => !m.some((e) => e.label === recording));
    expect(attachedName(shown), "the same attachment is on screen again").toBe("tray-here");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await setting.click();
    await app.driver.wait(async () => !(await setting.isSelected()), 5_000);
  });
});

describe("the close button and notifications", () => {
  beforeEach(onScreen);

  it("closing the window hides it to the tray, and Show brings it back attached", async () => {
    await clickSession("tray-here");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await tray.close("Porthole");
    await app.driver.wait(async () => !(await visible()), 10_000, "the close button did not hide the window");
    const hidden = await tray.menuWhere((m) => attachedName(m) === null);
    expect(attachedName(hidden), "nothing streams once the window is closed to the tray").toBeNull();
    expect(hidden.some((e) => e.label === "Show/Hide Porthole"), "Porthole is still running, in the tray").toBe(true);
    await tray.click("Show/Hide Porthole");
    await app.driver.wait(visible, 10_000, "Show did not bring the window back");
    await waitForText(app.driver, "panel-session", (t) => t === "tray-here");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  });

  it("announces a browser the agent opens while the window is hidden, and Show shows it", async () => {
    await tray.close("Porthole");
    await app.driver.wait(async () => !(await visible()), 10_000, "the window did not hide");
    const before = tray.notices.length;
    await startSession("tray-new", box.workspace, box.sockets, DEMO_PAGE);
    const notice = await tray.notice((n) => n.body.includes("tray-new"));
    expect(notice.summary, "it names the workspace").toBe(`The agent opened a browser in ${basename(box.workspace)}`);
    expect(notice.app).toBe("Porthole");
    expect(notice.actions, "it offers to show the browser").toContain("show");
    expect(tray.notices.length - before, "one notification for one browser").toBe(1);
    await tray.act(notice.id, "show");
    await app.driver.wait(visible, 10_000, "the notification's Show did not bring the window");
    await waitForText(app.driver, "panel-session", (t) => t === "tray-new", 30_000);
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  });

  it("stays quiet when the person turned the announcement off", async () => {
    const setting = app.driver.findElement(byTestId("notify-new-browser"));
    expect(await setting.isSelected(), "on by default").toBe(true);
    await setting.click();
    await app.driver.wait(async () => !(await setting.isSelected()), 5_000);
    await tray.close("Porthole");
    await app.driver.wait(async () => !(await visible()), 10_000, "the window did not hide");
    const before = tray.notices.length;
    await startSession("tray-quiet", box.workspace, box.sockets, DEMO_PAGE);
    // Discovery has seen it once the tray lists it; any announcement would go out then.
    await tray.menuWhere((m) => !!entry(m, "tray-quiet"));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(tray.notices.slice(before).map((n) => n.body), "no notification with the setting off").toEqual([]);
    await tray.click("Show/Hide Porthole");
    await app.driver.wait(visible, 10_000, "Show did not bring the window back");
  });
});

describe("New browser… in the tray", () => {
  beforeEach(onScreen);

  it("brings the window with its New browser… form open", async () => {
    await tray.click("Show/Hide Porthole");
    await app.driver.wait(async () => !(await visible()), 10_000, "the window did not hide");
    await tray.click("New browser…");
    await app.driver.wait(visible, 10_000, "New browser… did not bring the window");
    const form = app.driver.findElement(byTestId("new-browser"));
    await app.driver.wait(async () => (await form.getAttribute("open")) !== null, 10_000, "the form did not open");
  });
});

describe("start at login", () => {
  const entryFile = join(box.home, ".config/autostart/dev.porthole.app.desktop");
  beforeEach(onScreen);

  it("writes an autostart entry that starts Porthole hidden, and removes it", async () => {
    const box_ = app.driver.findElement(byTestId("start-at-login"));
    expect(await box_.isSelected(), "off by default").toBe(false);
    expect(existsSync(entryFile)).toBe(false);
    await box_.click();
    await app.driver.wait(async () => existsSync(entryFile), 10_000, "the autostart entry was never written");
    const text = readFileSync(entryFile, "utf8");
    expect(text).toMatch(/^Exec=.*porthole --hidden$/m);
    await box_.click();
    await app.driver.wait(async () => !existsSync(entryFile), 10_000, "the autostart entry was never removed");
  });

  it("with --hidden, starts in the tray and comes out of it on Show", async () => {
    await app.stop();
    app = await launch([box.workspace, "--hidden"], sandboxEnv(box));
    await tray.registered();
    await tray.menuWhere((m) => !!entry(m, "tray-here"));
    await app.driver.wait(async () => !(await visible()), 10_000, "the window did not start hidden");
    expect(attachedName(await tray.menu()), "nothing streams while it is hidden").toBeNull();
    await tray.click("Show/Hide Porthole");
    await app.driver.wait(visible, 10_000, "Show did not bring the window");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  });
});
