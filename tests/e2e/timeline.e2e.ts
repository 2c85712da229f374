// The timeline in the real app: while the window shows a session, what the agent does
// to the page is recorded, and `porthole timeline` reads it back from a terminal, as
// JSON and as a self-contained HTML page that any browser opens.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Key } from "selenium-webdriver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentBrowser, closeAll, DEMO_PAGE, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { eventually } from "../support/eventually";
import { APP, byTestId, launchOn, sandboxEnv, waitForText, type App } from "../support/driver";

const run = promisify(execFile);
const box = sandbox("timeline");
let app: App;
let session: AgentSession;

interface Entry {
  at: number;
  kind: "command" | "navigation" | "console" | "error" | "tab";
  action: string | null;
  ok: boolean | null;
  text: string;
}

const SECOND_PAGE = "data:text/html,<title>Second</title><body style='background:%23c84;font:40px sans-serif'><p>the second page";
const SHOT = join(box.root, "after-navigate.png");
/** The agent's commands by the time the markers are counted: the four of `beforeAll`,
 * and the one that turns the page green after Back to live. */
const COMMANDS = 5;

const timeline = async (...args: string[]) =>
  run(APP, ["timeline", "--workspace", box.workspace, "--session", session.name, ...args], {
    env: { ...process.env, ...sandboxEnv(box) },
    timeout: 20_000,
  });

beforeAll(async () => {
  session = await startSession("timeline-demo", box.workspace, box.sockets, DEMO_PAGE);
  app = await launchOn(box);
  await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
  // What the agent does while the person watches.
  await agentBrowser(session, "click", "#no-such-button").then(
    () => {
      throw new Error("clicking a missing element should fail");
    },
    () => {},
  );
  await agentBrowser(session, "eval", "console.error('timeline test: the form broke'); 1");
  await agentBrowser(session, "open", SECOND_PAGE);
  // What the page looked like after the agent's last command, as the agent would see it.
  await agentBrowser(session, "screenshot", SHOT);
});

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

describe("the timeline", () => {
  it("lists the agent's commands in order with their results, the failed one marked, and the console error", async () => {
    const entries = await eventually(
      async () => {
        const { stdout } = await timeline("--json").catch(() => ({ stdout: "[]" }));
        return JSON.parse(stdout) as Entry[];
      },
      (list) => list.some((e) => e.kind === "command" && e.action === "screenshot"),
      "the last command never reached the timeline",
    );
    const commands = entries.filter((e) => e.kind === "command").map((e) => [e.action, e.ok]);
    expect(commands, "every command, oldest first, with whether it worked").toEqual([
      ["click", false],
      ["evaluate", true],
      ["navigate", true],
      ["screenshot", true],
    ]);
    const click = entries.find((e) => e.action === "click");
    expect(click?.text, "the command names its target").toBe("click #no-such-button");
    const error = entries.filter((e) => e.kind === "console" && e.text === "timeline test: the form broke");
    expect(error, "the page's console error is there once, marked").toEqual([
      expect.objectContaining({ action: "error", ok: false }),
    ]);
    expect(entries.some((e) => e.kind === "navigation" && e.text === SECOND_PAGE), "the URL change is there").toBe(true);
    const times = entries.map((e) => e.at);
    expect(times, "oldest first").toEqual([...times].sort((a, b) => a - b));
  });

  it("shows the commands in Activity, the failed one marked, and the console error under Errors only", async () => {
    const rows = async () =>
      app.driver.executeScript<Array<{ text: string; ok: string; result: string }>>(
        `return [...document.querySelectorAll('[data-testid="activity-list"] li')].map((li) => ({
           text: li.querySelector('.entry-text').textContent, ok: li.dataset.ok, result: li.querySelector('.entry-result').textContent }))`,
      );
    await app.driver.findElement(byTestId("activity-toggle")).click();
    const activity = await eventually(rows, (r) => r.some((e) => e.text.startsWith("navigate ")), "Activity never listed the navigation");
    const click = activity.find((e) => e.text === "click #no-such-button");
    expect(click, "the failed click is listed and marked").toMatchObject({ ok: "false" });
    expect(click?.result).toMatch(/^failed/);
    expect(activity.map((e) => e.text).indexOf("evaluate"), "commands in the order given").toBeGreaterThan(activity.indexOf(click!));
    await app.driver.findElement(byTestId("console-tab")).click();
    await app.driver.findElement(byTestId("errors-only")).click();
    const errors = await eventually(rows, (r) => r.length > 0, "Console listed nothing");
    expect(errors.map((e) => e.text), "errors only: the console error").toEqual(["timeline test: the form broke"]);
  });

  it("shows a command's moment in the panel as the past, as the page looked then, until Back to live", async () => {
    await app.driver.findElement(byTestId("activity-tab")).click();
    const navigate = await eventually(
      async () => {
        for (const li of await app.driver.findElements({ css: '[data-testid="activity-list"] li' })) {
          if ((await li.getText()).includes("navigate data:")) return li;
        }
        return null;
      },
      (li) => li !== null,
      "the navigation is not listed",
    );
    await navigate!.click();
    const caption = await waitForText(app.driver, "past-caption", (t) => t.length > 0, 10_000);
    expect(caption, "the moment is named").toMatch(/^after navigate data:/);
    expect(await app.driver.findElement(byTestId("nav-reload")).isEnabled(), "nothing reaches the page from the past").toBe(false);
    expect(await app.driver.findElement(byTestId("panel-badge")).isDisplayed(), "no Live badge while the past is shown").toBe(false);
    // The still and the agent's own screenshot of that moment, both shrunk to 64 px
    // wide, differ little pixel for pixel.
    const png = `data:image/png;base64,${readFileSync(SHOT).toString("base64")}`;
    const difference = await app.driver.executeAsyncScript<number>(
      `const [png, done] = arguments;
       const still = document.querySelector('[data-testid="past-image"]');
       const shot = new Image();
       const pixels = (img) => {
         const c = document.createElement('canvas'); c.width = 64; c.height = 32;
         const g = c.getContext('2d'); g.drawImage(img, 0, 0, 64, 32);
         return g.getImageData(0, 0, 64, 32).data;
       };
       const compare = () => {
         const a = pixels(still), b = pixels(shot);
         let sum = 0; for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i]-b[i]) + Math.abs(a[i+1]-b[i+1]) + Math.abs(a[i+2]-b[i+2]);
         done(sum / (64 * 32 * 3));
       };
       shot.onload = () => (still.complete && still.naturalWidth > 0 ? compare() : still.addEventListener('load', compare));
       shot.onerror = () => done(-1);
       shot.src = png;`,
      png,
    );
    expect(difference, "the still shows the page as the agent's screenshot did").toBeGreaterThanOrEqual(0);
    expect(difference, "the still shows the page as the agent's screenshot did").toBeLessThan(12);

    await app.driver.actions().sendKeys(Key.ESCAPE).perform();
    await app.driver.wait(async () => !(await app.driver.findElement(byTestId("past")).isDisplayed()), 5_000, "Esc did not go back to live");
    expect(await app.driver.findElement(byTestId("panel-badge")).getText(), "live again").toBe("Live");
    expect(await app.driver.findElement(byTestId("nav-reload")).isEnabled(), "and the page takes input again").toBe(true);
    // Frames flow again: what the agent changes now reaches the panel.
    await agentBrowser(session, "eval", "document.body.innerHTML = ''; document.body.style.background = 'rgb(0, 160, 0)'; 1");
    const centre = () =>
      app.driver.executeScript<number[]>(
        `const c = document.querySelector('[data-testid="screen"]');
         const d = c.getContext("2d").getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
         return [d[0], d[1], d[2]];`,
      );
    await eventually(centre, ([r, g, b]) => r < 40 && g > 120 && b < 40, "back to live, the panel never painted the page's new colour");
    // And the command that did it joins the timeline (its entry can come after the frame).
    await eventually(
      async () => (await app.driver.findElements({ css: '[data-testid="timeline-marker"][data-kind="command"]' })).length,
      (n) => n === COMMANDS,
      "the command that turned the page green never joined the timeline bar",
    );
  });

  it("marks the commands on the timeline bar, the failed one standing out; a click and the arrow keys show their moments", async () => {
    const markers = await app.driver.findElements({ css: '[data-testid="timeline-marker"][data-kind="command"]' });
    expect(markers.length, "a marker per command").toBe(COMMANDS);
    expect(await markers[0].getAttribute("data-ok"), "the failed click stands out").toBe("false");
    // The failed click and its console error come milliseconds apart; each can still be hovered.
    const overlaps = await app.driver.executeScript<string[]>(
      `const boxes = [...document.querySelectorAll('[data-testid="timeline-marker"]')].map((m) => m.getBoundingClientRect());
       return boxes.slice(1).flatMap((b, i) => (b.left < boxes[i].right ? [i + ': ' + boxes[i].right + ' > ' + b.left] : []));`,
    );
    expect(overlaps, "no marker is drawn over the one before it").toEqual([]);
    await app.driver.actions().move({ origin: markers[0] }).perform();
    await waitForText(app.driver, "timeline-preview-text", (t) => t.includes("click #no-such-button · failed"), 5_000);
    await app.driver.wait(
      async () => (await app.driver.findElement(byTestId("timeline-preview-image")).getAttribute("src"))?.startsWith("data:image/webp"),
      5_000,
      "hovering a marker shows the page as it was",
    );
    await markers[0].click();
    await waitForText(app.driver, "past-caption", (t) => t.startsWith("after click #no-such-button"), 5_000);
    await app.driver.findElement(byTestId("timeline-bar")).sendKeys(Key.ARROW_RIGHT);
    await waitForText(app.driver, "past-caption", (t) => t.startsWith("after evaluate"), 5_000);
    await app.driver.findElement(byTestId("back-to-live")).click();
    await app.driver.wait(async () => !(await app.driver.findElement(byTestId("past")).isDisplayed()), 5_000, "Back to live");
  });

  it("writes an HTML page that a browser opens with no network, listing the entries", async () => {
    const out = join(box.root, "timeline.html");
    await timeline("--html", out);
    const { stdout: dom } = await run(
      process.env.AGENT_BROWSER_EXECUTABLE_PATH ?? "/usr/bin/chromium",
      ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${join(box.root, "dump")}`, "--dump-dom", `file://${out}`],
      { timeout: 60_000, maxBuffer: 16 << 20 },
    );
    const rows = dom.match(/<tr class="command[^"]*"/g) ?? [];
    expect(rows.length, "a row per command").toBe(COMMANDS);
    expect(dom, "the failed click stands out").toMatch(/<tr class="command failed"[^>]*>.*click #no-such-button/);
    expect(dom, "the console error is listed").toContain("timeline test: the form broke");
    const commandRows = dom.split("\n").filter((line) => line.startsWith('<tr class="command'));
    expect(commandRows.length, "a line per command row").toBe(COMMANDS);
    for (const row of commandRows) {
      expect(row, `each command shows the page before and after it: ${row.slice(0, 200)}`).toMatch(
        /alt="the page before" src="data:image\/webp;base64,[^"]+".*alt="the page after" src="data:image\/webp;base64,/,
      );
    }
  });

  it("saves the timeline from the window as a page, and clears the history on a second click", async () => {
    await app.driver.findElement(byTestId("timeline-save")).click();
    const notice = await waitForText(app.driver, "notice", (t) => t.startsWith("Timeline saved to "), 15_000);
    const saved = notice.replace("Timeline saved to ", "");
    expect(saved.startsWith(box.home), `saved under the person's home: ${saved}`).toBe(true);
    expect(readFileSync(saved, "utf8"), "the page lists the failed click").toContain("click #no-such-button");

    const clear = app.driver.findElement(byTestId("timeline-clear"));
    await clear.click();
    expect(await clear.getText(), "one click only asks").toBe("Clear all?");
    await clear.click();
    await waitForText(app.driver, "activity-empty", (t) => t.length > 0, 10_000);
    const { stdout } = await timeline("--json");
    expect(JSON.parse(stdout), "the recorded history is gone").toEqual([]);
  });

  it("stops recording the session on screen when the setting goes off, and starts again when it comes back on", async () => {
    const consoleTexts = async () => {
      const { stdout } = await timeline("--json").catch(() => ({ stdout: "[]" }));
      return (JSON.parse(stdout) as Entry[]).filter((e) => e.kind === "console").map((e) => e.text);
    };
    const setting = app.driver.findElement(byTestId("record-timeline"));
    expect(await setting.isSelected(), "on by default").toBe(true);
    await setting.click();
    await app.driver.wait(async () => !(await setting.isSelected()), 5_000);
    await agentBrowser(session, "eval", "console.error('timeline test: while off'); 1");
    // Discovery and the stream are quick; anything recorded would be written by now.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await consoleTexts(), "nothing is recorded once the setting is off").not.toContain("timeline test: while off");

    await setting.click();
    await app.driver.wait(async () => await setting.isSelected(), 5_000);
    await agentBrowser(session, "eval", "console.error('timeline test: on again'); 1");
    await eventually(consoleTexts, (texts) => texts.includes("timeline test: on again"), "recording did not start again for the session on screen");
  });

  it("says plainly when a session was never recorded, and starts nothing", async () => {
    const failed = await run(APP, ["timeline", "--workspace", box.workspace, "--session", "never-seen", "--json"], {
      env: { ...process.env, ...sandboxEnv(box) },
    }).then(
      () => null,
      (e: { stdout: string; code: number }) => e,
    );
    expect(failed?.code, "it exits non-zero").toBe(1);
    expect(JSON.parse(failed?.stdout ?? "{}"), "with a code and a sentence").toMatchObject({ code: "not_recorded" });
  });
});
