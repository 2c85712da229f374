// The person's pointer and keyboard, in the real webview, reaching a real agent-browser
// session's page (tests/pages/input): what the page saw is read back with
// `agent-browser eval`.
import { join } from "node:path";
import { Key } from "selenium-webdriver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentBrowser, closeAll, evalInPage, ROOT, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { eventually } from "../support/eventually";
import { byTestId, launchOn, waitForPaint, waitForText, type App } from "../support/driver";

const INPUT_PAGE = `file://${join(ROOT, "tests/pages/input/index.html")}`;
const box = sandbox("input");
let app: App;
let page: AgentSession;

beforeAll(async () => {
  page = await startSession("e2e-input", box.workspace, box.sockets, INPUT_PAGE);
  app = await launchOn(box);
  await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  await waitForPaint(app.driver);
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

/** Evaluates `expression` in the agent's page and parses its JSON value. */
const inPage = <T>(expression: string) => evalInPage<T>(page, expression);

/** Where page CSS pixel (x, y) is on the canvas, as an offset from its centre (WebDriver's origin). */
async function onCanvas(x: number, y: number): Promise<{ x: number; y: number }> {
  const g = await app.driver.executeScript<{ w: number; h: number; iw: number; ih: number }>(`
    const c = document.querySelector('[data-testid="screen"]');
    const r = c.getBoundingClientRect();
    return { w: r.width, h: r.height, iw: c.width, ih: c.height };
  `);
  // The session's frames are at device scale 1: image pixels are page CSS pixels.
  return { x: Math.round((x * g.w) / g.iw - g.w / 2), y: Math.round((y * g.h) / g.ih - g.h / 2) };
}

const canvas = () => app.driver.findElement(byTestId("screen"));

async function clickAt(x: number, y: number): Promise<void> {
  const at = await onCanvas(x, y);
  await app.driver.actions().move({ origin: await canvas(), ...at }).click().perform();
}

describe("input from the panel", () => {
  it("lands a click on the element under the pointer, within 2 CSS px", async () => {
    await clickAt(300, 180);
    const clicks = await eventually(() => inPage<Array<{ x: number; y: number }>>("window.__clicks"), (c) => c.length > 0, "the click never reached the page");
    expect(Math.abs(clicks[0].x - 300), `x ${clicks[0].x}`).toBeLessThanOrEqual(2);
    expect(Math.abs(clicks[0].y - 180), `y ${clicks[0].y}`).toBeLessThanOrEqual(2);
  });

  it("types into a field and submits the form with Enter", async () => {
    await clickAt(200, 335);
    await eventually(() => inPage<string>("document.activeElement.id"), (id) => id === "field", "the click did not focus the field");
    await app.driver.actions().sendKeys("hello", Key.ENTER).perform();
    const submitted = await eventually(() => inPage<string | null>("window.__submitted"), (v) => v !== null, "the form was never submitted");
    expect(submitted, "the typed text, submitted by Enter").toBe("hello");
  });

  it("applies :hover styles when the pointer rests on an element", async () => {
    const at = await onCanvas(640, 120);
    await app.driver.actions().move({ origin: await canvas(), ...at }).perform();
    const colour = await eventually(
      () => inPage<string>("getComputedStyle(document.getElementById('hover')).backgroundColor"),
      (c) => c === "rgb(255, 0, 0)",
      "the hover style never applied",
    );
    expect(colour).toBe("rgb(255, 0, 0)");
  });

  it("selects a word on double click", async () => {
    const at = await onCanvas(655, 232);
    await app.driver.actions().move({ origin: await canvas(), ...at }).doubleClick().perform();
    const selected = await eventually(() => inPage<string>("getSelection().toString().trim()"), (s) => s.length > 0, "nothing was selected");
    expect(selected, "the word under the pointer").toBe("bravo");
  });

  it("scrolls the page with the wheel", async () => {
    // A wheel event on the canvas, as the webview delivers one (three lines down).
    await app.driver.executeScript(`
      const c = document.querySelector('[data-testid="screen"]');
      const r = c.getBoundingClientRect();
      c.dispatchEvent(new WheelEvent("wheel", { deltaY: 3, deltaMode: 1, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
    `);
    try {
      // Chromium may animate the scroll: wait for where it ends, three lines of 40 px.
      await eventually(() => inPage<number>("window.scrollY"), (y) => y === 120, "the page did not scroll three lines");
    } finally {
      await agentBrowser(page, "eval", "window.scrollTo(0, 0)");
    }
  });

  it("sends nothing to the page while Watch only is on", async () => {
    const lock = () => app.driver.findElement(byTestId("lock"));
    await (await lock()).click();
    expect(await (await lock()).getAttribute("aria-pressed")).toBe("true");
    const before = await inPage<string[]>("window.__events");
    const clicksBefore = (await inPage<unknown[]>("window.__clicks")).length;
    await clickAt(300, 180);
    await app.driver.actions().sendKeys("x").perform();
    // A barrier instead of a pause: with the lock off again, one more click goes through;
    // once the page has it, anything the locked click or key let through would be there too.
    await (await lock()).click();
    expect(await (await lock()).getAttribute("aria-pressed")).toBe("false");
    await clickAt(300, 180);
    await eventually(() => inPage<unknown[]>("window.__clicks"), (c) => c.length > clicksBefore, "the unlocked click never reached the page");
    const after = await inPage<string[]>("window.__events");
    expect(after.slice(before.length), "only the unlocked click reached the page").toEqual(["mousedown", "mouseup"]);
  });
});
