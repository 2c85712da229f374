// Auto-attach and the person's choice, in the built app on real sessions: with two
// sessions the newest is attached by itself; a session clicked in the sidebar is
// remembered for the workspace, and after a restart it is attached again, not the newest;
// when the session on screen ends, the panel follows to the workspace's next one.
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, killDaemon, sandbox, startSession, type AgentSession } from "../support/agentBrowser";
import { clickFresh, launchOn, waitForText, type App } from "../support/driver";

const box = sandbox("choice");
let app: App | undefined;
let older: AgentSession | undefined;
let newer: AgentSession | undefined;

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

const attachedName = (a: App) => waitForText(a.driver, "panel-session", (t) => t !== "Browser", 20_000);

describe("auto-attach and the person's choice", () => {
  it("attaches the newest session by itself, and remembers the one the person picks", async () => {
    older = await startSession("e2e-older", box.workspace, box.sockets);
    await new Promise((r) => setTimeout(r, 1_100)); // start times have a one-second grain
    newer = await startSession("e2e-newer", box.workspace, box.sockets);
    app = await launchOn(box);
    expect(await attachedName(app), "the most recently started session").toBe("e2e-newer");

    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 20_000);
    await clickFresh(app.driver, '[data-testid="sessions-current"] [data-status]:not(.attached)');
    await waitForText(app.driver, "panel-session", (t) => t === "e2e-older");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 20_000);
    await app.stop();
    app = undefined;

    app = await launchOn(box);
    expect(await attachedName(app), "after a restart, the session the person chose").toBe("e2e-older");
  });

  it("follows the agent when the session on screen ends, to one that runs or one that starts", async () => {
    killDaemon(older!);
    await waitForText(app!.driver, "panel-session", (t) => t === "e2e-newer", 20_000);
    await waitForText(app!.driver, "panel-badge", (t) => t === "Live", 20_000);

    killDaemon(newer!);
    await waitForText(app!.driver, "panel-badge", (t) => t === "Ended", 20_000);
    await startSession("e2e-next", box.workspace, box.sockets);
    await waitForText(app!.driver, "panel-session", (t) => t === "e2e-next", 20_000);
    await waitForText(app!.driver, "panel-badge", (t) => t === "Live", 20_000);
  });
});
