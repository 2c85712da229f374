// Input latency: a pointer press in Porthole's panel to the page's `mousedown` handler.
// The app runs under WebDriver (tauri-driver, as in the end-to-end tests), which presses
// on the panel's canvas; a listener added to the window (capturing, so it runs before
// Porthole's own) notes when the webview saw each press, and the bench page notes when
// its handler ran (`window.__presses`). Both clocks are the machine's wall clock.
import { type AgentSession, evalInPage } from "../support/agentBrowser";
import { byTestId, launchOn, waitForText } from "../support/driver";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Presses `count` times on the panel showing `session`; returns each press's latency in ms. */
export async function measureInput(
  box: { workspace: string; sockets: string; home: string },
  session: AgentSession,
  count: number,
): Promise<number[]> {
  const app = await launchOn(box);
  try {
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await pause(1000);
    await app.driver.executeScript(`
      window.__downs = [];
      addEventListener("pointerdown", () => window.__downs.push(performance.timeOrigin + performance.now()), true);
    `);
    await evalInPage(session, "(window.__presses = []).length");
    const canvas = await app.driver.findElement(byTestId("screen"));
    for (let i = 0; i < count; i++) {
      // A few pixels apart, so no two presses make a double click.
      await app.driver
        .actions()
        .move({ origin: canvas, x: (i % 5) * 7 - 14, y: 0 })
        .press()
        .release()
        .perform();
      await pause(150);
    }
    await pause(500);
    const downs = await app.driver.executeScript<number[]>("return window.__downs");
    const handled = (await evalInPage<Array<{ t: number }>>(session, "window.__presses")).map((p) => p.t);
    // Presses are 150 ms apart and each takes a few: they cannot arrive out of order.
    if (downs.length !== count || handled.length !== count) {
      throw new Error(`${count} presses: the webview saw ${downs.length}, the page handled ${handled.length}`);
    }
    const latencies = downs.map((down, i) => handled[i] - down);
    return latencies;
  } finally {
    await app.stop();
  }
}
