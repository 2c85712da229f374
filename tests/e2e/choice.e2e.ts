// Auto-attach and the person's choice, in the built app on real sessions: with two
// sessions the newest is attached by itself; a session clicked in the sidebar is
// remembered for the workspace, and after a restart it is attached again, not the newest.
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, sandbox, startSession } from "../support/agentBrowser";
import { launchOn, waitForText, type App } from "../support/driver";

const box = sandbox("choice");
let app: App | undefined;

afterAll(async () => {
  await app?.stop();
  await closeAll();
});

const attachedName = (a: App) => waitForText(a.driver, "panel-session", (t) => t !== "Browser", 20_000);

describe("auto-attach and the person's choice", () => {
  it("attaches the newest session by itself, and remembers the one the person picks", async () => {
    await startSession("e2e-older", box.workspace, box.sockets);
    await new Promise((r) => setTimeout(r, 1_100)); // start times have a one-second grain
    await startSession("e2e-newer", box.workspace, box.sockets);
    app = await launchOn(box);
    expect(await attachedName(app), "the most recently started session").toBe("e2e-newer");

    const older = await app.driver.findElement({ css: '[data-testid="sessions-current"] [data-status]:not(.attached)' });
    await older.click();
    await waitForText(app.driver, "panel-session", (t) => t === "e2e-older");
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 20_000);
    await app.stop();
    app = undefined;

    app = await launchOn(box);
    expect(await attachedName(app), "after a restart, the session the person chose").toBe("e2e-older");
  });
});
