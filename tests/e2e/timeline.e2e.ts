// The timeline in the real app: while the window shows a session, what the agent does
// to the page is recorded, and `porthole timeline` reads it back from a terminal, as
// JSON and as a self-contained HTML page that any browser opens.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
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

const SECOND_PAGE = "data:text/html,<title>Second</title><p>the second page";

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
      (list) => list.some((e) => e.kind === "command" && e.action === "navigate"),
      "the navigation never reached the timeline",
    );
    const commands = entries.filter((e) => e.kind === "command").map((e) => [e.action, e.ok]);
    expect(commands, "every command, oldest first, with whether it worked").toEqual([
      ["click", false],
      ["evaluate", true],
      ["navigate", true],
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

  it("writes an HTML page that a browser opens with no network, listing the entries", async () => {
    const out = join(box.root, "timeline.html");
    await timeline("--html", out);
    const { stdout: dom } = await run(
      process.env.AGENT_BROWSER_EXECUTABLE_PATH ?? "/usr/bin/chromium",
      ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${join(box.root, "dump")}`, "--dump-dom", `file://${out}`],
      { timeout: 60_000, maxBuffer: 16 << 20 },
    );
    const rows = dom.match(/<tr class="command[^"]*"/g) ?? [];
    expect(rows.length, "a row per command").toBe(3);
    expect(dom, "the failed click stands out").toMatch(/<tr class="command failed"[^>]*>.*click #no-such-button/);
    expect(dom, "the console error is listed").toContain("timeline test: the form broke");
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
