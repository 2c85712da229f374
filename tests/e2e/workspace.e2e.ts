// Workspaces in the built app: opened on a workspace with no session it waits, and goes
// Live by itself when the agent starts one; a second `porthole OTHER_DIR` hands the
// directory to the running app, which switches and attaches there; a bare `porthole`
// after a restart reopens the last workspace.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, runAsPerson, sandbox, startSession } from "../support/agentBrowser";
import { APP, byTestId, launchOn, sandboxEnv, waitForText, type App } from "../support/driver";

const run = promisify(execFile);

/** Runs a second `porthole` beside the app; its exit code, stderr and how long it took. */
async function porthole(args: string[]): Promise<{ code: number | string; stderr: string; ms: number }> {
  const started = Date.now();
  try {
    const { stderr } = await run(APP, args, { env: { ...process.env, ...sandboxEnv(box) }, timeout: 30_000 });
    return { code: 0, stderr, ms: Date.now() - started };
  } catch (e) {
    const failed = e as { code?: number; signal?: string; killed?: boolean; stderr?: string };
    const code = failed.killed ? `killed after ${Date.now() - started} ms` : (failed.code ?? failed.signal ?? "?");
    return { code, stderr: failed.stderr ?? String(e), ms: Date.now() - started };
  }
}
const box = sandbox("workspace");
const other = join(box.root, "other-workspace");
mkdirSync(other, { recursive: true });
let app: App | undefined;

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

describe("workspaces", () => {
  it("waits on a workspace without a session, and goes Live when the agent starts one", async () => {
    app = await launchOn(box);
    const message = await waitForText(app.driver, "panel-message", (t) => t.includes(box.workspace));
    expect(message, "says what it waits for, and where").toContain("Waiting for the agent's browser");
    await startSession("e2e-arrives", box.workspace, box.sockets);
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 20_000);
    expect(await waitForText(app.driver, "panel-session", () => true)).toBe("e2e-arrives");
  });

  it("switches to the workspace a second porthole names, and attaches there", async () => {
    await startSession("e2e-elsewhere", other, box.sockets);
    const second = await porthole([other]);
    expect(second.code, `the second porthole hands over and exits cleanly: ${second.stderr}`).toBe(0);
    expect(second.ms, "it does not wait for the switch itself").toBeLessThan(30_000);
    await waitForText(app!.driver, "workspace-name", (t) => t === basename(other));
    await waitForText(app!.driver, "panel-session", (t) => t === "e2e-elsewhere", 20_000);
    await waitForText(app!.driver, "panel-badge", (t) => t === "Live", 20_000);
  });

  it("refuses a second porthole on a folder that does not exist, and stays where it is", async () => {
    const missing = join(box.root, "no-such-folder");
    const second = await porthole([missing]);
    expect(second.code, "a workspace that is not a folder is an error").not.toBe(0);
    expect(second.stderr, "and says so").toContain("the workspace must be an existing directory");
    expect(await waitForText(app!.driver, "workspace-name", () => true)).toBe(basename(other));
  });

  it("reopens the last workspace after a restart", async () => {
    await app!.stop();
    app = undefined;
    app = await launchOn(box, null);
    await waitForText(app.driver, "workspace-name", (t) => t === basename(other));
    await waitForText(app.driver, "panel-session", (t) => t === "e2e-elsewhere", 20_000);
  });

  it("goes back to a recent workspace from the sidebar", async () => {
    const recent = await app!.driver.findElement({ css: '[data-testid="recent-workspace"]' });
    expect(await recent.getAttribute("title"), "the first workspace is listed as recent").toBe(`Open ${box.workspace}`);
    await recent.click();
    await waitForText(app!.driver, "workspace-name", (t) => t === basename(box.workspace));
    await waitForText(app!.driver, "panel-session", (t) => t === "e2e-arrives", 20_000);
  });

  it("teaches the command that opens a browser in an empty workspace, and the command works", async () => {
    const empty = join(box.root, "empty workspace");
    mkdirSync(empty, { recursive: true });
    const second = await porthole([empty]);
    expect(second.code, `the second porthole hands over: ${second.stderr}`).toBe(0);
    await waitForText(app!.driver, "workspace-name", (t) => t === basename(empty));
    const command = await waitForText(app!.driver, "teach-command", (t) => t.includes(empty));
    await app!.driver.findElement(byTestId("teach-copy")).click();
    await waitForText(app!.driver, "teach-copy", (t) => t === "Copied");
    const pasted = execFileSync("xclip", ["-selection", "clipboard", "-o"], { encoding: "utf8" });
    expect(pasted, "the clipboard holds the command shown").toBe(command);
    // Run as pasted: the session it opens is this workspace's, and is shown by itself.
    await runAsPerson(pasted, box.sockets, "default");
    await waitForText(app!.driver, "panel-session", (t) => t === "default", 30_000);
    await waitForText(app!.driver, "panel-badge", (t) => t === "Live", 30_000);
  });
});
