// "New browser…" in the real window: a person opens a workspace before the agent has a
// browser, starts the one the agent will use, signs in through the panel, and the
// agent's CLI, run in the workspace with no --session, carries on in that browser.
import { until } from "selenium-webdriver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, DEMO_PAGE, env, evalInPage, runAsPerson, sandbox } from "../support/agentBrowser";
import { eventually } from "../support/eventually";
import { byTestId, launch, sandboxEnv, waitForPaint, waitForText, type App } from "../support/driver";

const box = sandbox("new-browser");
let app: App;
/** Porthole runs where the agent does: the same agent-browser settings. */
const appEnv = () => ({ ...env(box.sockets), ...sandboxEnv(box) });
let reach = "";
const shQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
/** Clicks the element once the window has drawn it. */
const clickWhenThere = async (id: string) =>
  (await app.driver.wait(until.elementLocated(byTestId(id)), 15_000, `${id} never appeared`)).click();

beforeAll(async () => {
  app = await launch([box.workspace], appEnv());
  await waitForText(app.driver, "panel-message", (t) => t.includes("Waiting for the agent's browser"));
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

describe("New browser…", () => {
  it("refuses where memory is short, saying why, and starts nothing", async () => {
    // The app was started without PORTHOLE_MIN_FREE_MB; the setting file can ask for more.
    await app.stop();
    app = await launch([box.workspace], { ...appEnv(), PORTHOLE_MIN_FREE_MB: "100000000" });
    await clickWhenThere("empty-new-browser");
    await app.driver.findElement(byTestId("new-browser-submit")).click();
    const error = await waitForText(app.driver, "new-browser-error", (t) => t.length > 0, 30_000);
    expect(error, "the refusal gives the figures").toMatch(/MB is available.*about 100000000 MB/);
    expect(await app.driver.findElement(byTestId("new-browser-force")).isDisplayed(), "Start anyway is offered").toBe(true);
    expect(await app.driver.findElement(byTestId("panel-badge")).getText(), "nothing was attached").toBe("No session");
    await app.stop();
    app = await launch([box.workspace], appEnv());
  });

  it("starts the agent's browser from the sidebar's empty state and shows it", async () => {
    await clickWhenThere("empty-new-browser");
    const name = app.driver.findElement(byTestId("new-browser-name"));
    await app.driver.wait(async () => (await name.getAttribute("placeholder")) === "default", 10_000, "the agent's default name is offered");
    await app.driver.findElement(byTestId("new-browser-url")).sendKeys(DEMO_PAGE);
    await app.driver.findElement(byTestId("new-browser-submit")).click();
    await waitForText(app.driver, "panel-session", (t) => t === "default", 60_000);
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    const notice = await waitForText(app.driver, "notice", (t) => t.length > 0);
    const said = notice.match(/The agent's next agent-browser command in this workspace uses this browser: (.*agent-browser) …$/);
    expect(said, `the panel says how the agent reaches this browser: ${notice}`).not.toBeNull();
    reach = said?.[1] ?? "";
  });

  it("lets the person sign in through the panel, and the agent carries on in the same browser", async () => {
    await waitForPaint(app.driver);
    const session = { name: "default", cwd: box.workspace, sockets: box.sockets };
    const field = await evalInPage<{ x: number; y: number }>(
      session,
      "(() => { const r = document.querySelector('#name').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()",
    );
    const g = await app.driver.executeScript<{ w: number; h: number; iw: number; ih: number }>(`
      const c = document.querySelector('[data-testid="screen"]');
      const r = c.getBoundingClientRect();
      return { w: r.width, h: r.height, iw: c.width, ih: c.height };
    `);
    const at = { x: Math.round((field.x * g.w) / g.iw - g.w / 2), y: Math.round((field.y * g.h) / g.ih - g.h / 2) };
    await app.driver.actions().move({ origin: app.driver.findElement(byTestId("screen")), ...at }).click().perform();
    await eventually(() => evalInPage<string>(session, "document.activeElement.id"), (id) => id === "name", "the click did not focus the field");
    await app.driver.actions().sendKeys("Ada").perform();
    // The agent runs the command line the panel showed, in the workspace, naming no
    // session: it gets the person's browser, with what the person typed.
    const value = await eventually(
      async () => (await runAsPerson(`cd ${shQuote(box.workspace)} && ${reach} get value '#name'`, box.sockets, "default")).trim(),
      (v) => v === "Ada",
      "the agent's CLI did not see what the person typed",
    );
    expect(value).toBe("Ada");
  });
});
