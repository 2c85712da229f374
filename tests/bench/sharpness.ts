// Sharpness: does the frame on screen have at least as many device pixels as the part of
// the panel that shows it? The app runs under WebDriver (tauri-driver, as in the
// end-to-end tests) in its default window; at each frame size the session's viewport is
// set, and once the panel's canvas holds a frame of that width the bench reads the
// canvas's own pixels (the frame, as decoded) and the box it is drawn in on screen (CSS
// pixels times the device pixel ratio). A ratio below 1 on either axis is a frame
// stretched over more screen pixels than it has: blurrier than the page.
import { type AgentSession, agentBrowser } from "../support/agentBrowser";
import { byTestId, launchOn, waitForText } from "../support/driver";
import { eventually } from "../support/eventually";

export interface Sharpness {
  /** The frame's own pixels (the canvas's backing store). */
  frame: { width: number; height: number };
  /** The device pixels of the screen area showing it. */
  shown: { width: number; height: number };
  /** The panel's whole area in device pixels, which the frame is fitted into. */
  panel: { width: number; height: number };
  devicePixelRatio: number;
  /** Frame pixels per screen pixel on the poorer axis: at least 1 is sharp. */
  ratio: number;
}

/** Measures each of `sizes` in one window, in turn. */
export async function measureSharpness(
  box: { workspace: string; sockets: string; home: string },
  session: AgentSession,
  sizes: Array<[number, number]>,
): Promise<Sharpness[]> {
  const app = await launchOn(box);
  try {
    await waitForText(app.driver, "panel-badge", (t) => t === "Live", 30_000);
    await app.driver.findElement(byTestId("screen"));
    const out: Sharpness[] = [];
    for (const [width, height] of sizes) {
      await agentBrowser(session, "set", "viewport", String(width), String(height));
      const read = () =>
        app.driver.executeScript<Omit<Sharpness, "ratio">>(`
          const c = document.querySelector('[data-testid="screen"]');
          const box = c.getBoundingClientRect();
          const dpr = window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
          const panel = c.parentElement;
          return {
            frame: { width: c.width, height: c.height },
            shown: { width: Math.round(box.width * dpr), height: Math.round(box.height * dpr) },
            panel: { width: Math.round(panel.clientWidth * dpr), height: Math.round(panel.clientHeight * dpr) },
            devicePixelRatio: dpr,
          };
        `);
      // The page repaints at 60 fps, so a frame of the new size comes at once; the
      // layout follows the frame that brought it.
      const seen = await eventually(
        read,
        (s) => s.frame.width === width && s.shown.width > 0,
        `the panel never showed a frame ${width} pixels wide`,
        15_000,
      );
      out.push({ ...seen, ratio: Math.min(seen.frame.width / seen.shown.width, seen.frame.height / seen.shown.height) });
    }
    return out;
  } finally {
    await app.stop();
  }
}
