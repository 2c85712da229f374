// How the window looks and answers the keyboard, in the real webview: it follows the
// desktop's light or dark preference, the sidebar collapses to a strip, and the app's
// shortcuts work everywhere but never take a key from the page while the panel has the
// keyboard.
import { Key } from "selenium-webdriver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, DEMO_PAGE, sandbox, startSession } from "../support/agentBrowser";
import { byTestId, launch, launchOn, sandboxEnv, waitForText, type App } from "../support/driver";

const box = sandbox("look");
let app: App;

const pressed = async (id: string) => app.driver.findElement(byTestId(id)).getAttribute("aria-pressed");
const activeTestId = () => app.driver.executeScript<string | null>("return document.activeElement?.dataset.testid ?? null");
const chord = async (...keys: string[]) => {
  const actions = app.driver.actions();
  const mods = keys.slice(0, -1);
  for (const m of mods) actions.keyDown(m);
  actions.sendKeys(keys[keys.length - 1]);
  for (const m of mods.reverse()) actions.keyUp(m);
  await actions.perform();
};
const sidebarWidth = async () => (await app.driver.findElement({ css: ".sidebar" }).getRect()).width;

beforeAll(async () => {
  await startSession("look-demo", box.workspace, box.sockets, DEMO_PAGE);
  app = await launchOn(box);
  await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

describe("the look", () => {
  it("collapses the sidebar to a strip and opens it again, from its button and Ctrl+B", async () => {
    const open = await sidebarWidth();
    expect(open, "a narrow sidebar by default leaves the page the room").toBeLessThan(260);
    await app.driver.findElement(byTestId("sidebar-toggle")).click();
    await app.driver.wait(async () => (await sidebarWidth()) < 60, 5_000, "the sidebar did not collapse to a strip");
    expect(await app.driver.findElement(byTestId("sessions")).isDisplayed(), "the strip hides the sessions").toBe(false);
    await app.driver.findElement(byTestId("workspace-name")).click().catch(() => {});
    await app.driver.executeScript("document.activeElement?.blur()");
    await chord(Key.CONTROL, "b");
    // The open width is a fraction of the window's, so it is compared within a few pixels:
    // the window manager may still be settling the window's size.
    let last = 0;
    await app.driver
      .wait(async () => Math.abs((last = await sidebarWidth()) - open) <= 4, 5_000)
      .catch(() => {
        throw new Error(`Ctrl+B did not open the sidebar again: ${last}px wide, ${open}px before`);
      });
  });

  it("runs the app's shortcuts when the panel does not have the keyboard", async () => {
    await app.driver.executeScript("document.activeElement?.blur()");
    await chord(Key.CONTROL, "l");
    expect(await activeTestId(), "Ctrl+L goes to the address bar").toBe("url-field");
    await app.driver.executeScript("document.activeElement?.blur()");
    expect(await pressed("lock")).toBe("false");
    await chord(Key.CONTROL, Key.SHIFT, "o");
    expect(await pressed("lock"), "Ctrl+Shift+O turns Watch only on").toBe("true");
    await chord(Key.CONTROL, Key.SHIFT, "o");
    expect(await pressed("lock"), "and off").toBe("false");
  });

  it("never takes a key from the page while the panel has the keyboard", async () => {
    await app.driver.findElement(byTestId("screen")).click();
    expect(await activeTestId(), "a click in the panel gives the page the keyboard").toBe("keys");
    await chord(Key.CONTROL, Key.SHIFT, "o");
    await chord(Key.CONTROL, "l");
    await chord(Key.CONTROL, "b");
    expect(await pressed("lock"), "Watch only did not change").toBe("false");
    expect(await activeTestId(), "the address bar did not take the focus").toBe("keys");
    expect(await sidebarWidth(), "the sidebar did not move").toBeGreaterThan(60);
  });

  it("follows the desktop's dark preference", async () => {
    const dark = () => app.driver.executeScript<boolean>("return matchMedia('(prefers-color-scheme: dark)').matches");
    const background = () => app.driver.executeScript<string>("return getComputedStyle(document.documentElement).backgroundColor");
    expect(await dark(), "the test display prefers light").toBe(false);
    const light = await background();
    await app.stop();
    app = await launch([box.workspace], { ...sandboxEnv(box), GTK_THEME: "Adwaita:dark" });
    await waitForText(app.driver, "workspace-name", (t) => t.length > 1 && t !== "…");
    expect(await dark(), "a dark desktop theme reaches the page as prefers-color-scheme: dark").toBe(true);
    expect(await background(), "and the window is dark").not.toBe(light);
  });
});
