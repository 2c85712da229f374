import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Input } from "../generated/Input";
import { installViewport } from "./viewport";

// The viewport shows a 1280x633 page at half size, at the top left of the window.
const geometry = { imageWidth: 1280, imageHeight: 633, deviceWidth: 1280 };

function setup(enabled = true) {
  const box = document.body.appendChild(document.createElement("div"));
  const canvas = box.appendChild(document.createElement("canvas"));
  const keys = box.appendChild(document.createElement("textarea"));
  canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 640, height: 316.5, right: 640, bottom: 316.5, x: 0, y: 0, toJSON: () => ({}) });
  const sent: Input[] = [];
  installViewport(box, canvas, keys, { geometry: () => geometry, enabled: () => enabled, send: (i) => sent.push(i) });
  return { box, canvas, keys, sent };
}

/** happy-dom's events leave out some init fields (composition data, a wheel's position): set them as a browser would. */
function withFields<E extends Event>(event: E, fields: Record<string, unknown>): E {
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(event, key, { value });
  return event;
}

const mouse = (sent: Input[]) => sent.filter((i) => i.type === "input_mouse");
const keyboard = (sent: Input[]) => sent.filter((i) => i.type === "input_keyboard");

describe("the viewport", () => {
  beforeEach(() => {
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => setTimeout(() => f(0), 0));
  });
  afterEach(() => {
    document.body.replaceChildren();
    vi.unstubAllGlobals();
  });

  it("sends a right click where it lands on the page, and keeps the webview's menu away", () => {
    const { box, canvas, sent } = setup();
    canvas.dispatchEvent(new MouseEvent("mousedown", { button: 2, clientX: 100, clientY: 50, detail: 1, bubbles: true }));
    window.dispatchEvent(new MouseEvent("mouseup", { button: 2, clientX: 100, clientY: 50, detail: 1 }));
    const menu = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    box.dispatchEvent(menu);
    expect(menu.defaultPrevented, "the webview's own context menu does not open").toBe(true);
    expect(mouse(sent).map((m) => [m.eventType, m.button, m.x, m.y])).toEqual([
      ["mousePressed", "right", 200, 100],
      ["mouseReleased", "right", 200, 100],
    ]);
  });

  it("counts a triple click and sends the middle button", () => {
    const { canvas, sent } = setup();
    canvas.dispatchEvent(new MouseEvent("mousedown", { button: 0, clientX: 10, clientY: 10, detail: 3, bubbles: true }));
    window.dispatchEvent(new MouseEvent("mouseup", { button: 0, clientX: 10, clientY: 10, detail: 3 }));
    canvas.dispatchEvent(new MouseEvent("mousedown", { button: 1, clientX: 10, clientY: 10, detail: 1, bubbles: true }));
    expect(mouse(sent).map((m) => [m.eventType, m.button, m.clickCount])).toEqual([
      ["mousePressed", "left", 3],
      ["mouseReleased", "left", 3],
      ["mousePressed", "middle", 1],
    ]);
  });

  it("types what an input method composed, as text", () => {
    const { keys, sent } = setup();
    keys.dispatchEvent(new KeyboardEvent("keydown", { key: "Process", keyCode: 229, bubbles: true }));
    keys.dispatchEvent(new CompositionEvent("compositionstart", { data: "" }));
    keys.dispatchEvent(withFields(new CompositionEvent("compositionend"), { data: "日本" }));
    expect(keyboard(sent), "the composing key itself is not sent; the result is").toEqual([
      { type: "input_keyboard", eventType: "char", key: "", code: "", text: "日本", windowsVirtualKeyCode: 0, modifiers: 0 },
    ]);
  });

  it("types the person's clipboard text on paste, instead of Ctrl+V into the headless browser", () => {
    const { keys, sent } = setup();
    const ctrlV = new KeyboardEvent("keydown", { key: "v", code: "KeyV", ctrlKey: true, bubbles: true, cancelable: true });
    keys.dispatchEvent(ctrlV);
    const paste = new Event("paste", { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(paste, "clipboardData", { value: { getData: (type: string) => (type === "text/plain" ? "pasted text" : "") } });
    keys.dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    expect(keyboard(sent).map((k) => [k.eventType, k.text])).toEqual([["char", "pasted text"]]);
  });

  it("sends Enter with a carriage return and keeps the app's shortcuts from the keys", () => {
    const { keys, sent } = setup();
    const outside = vi.fn();
    document.body.addEventListener("keydown", outside);
    keys.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", bubbles: true, cancelable: true }));
    keys.dispatchEvent(new KeyboardEvent("keyup", { key: "Enter", code: "Enter", bubbles: true, cancelable: true }));
    expect(keyboard(sent).map((k) => [k.eventType, k.key, k.text, k.windowsVirtualKeyCode])).toEqual([
      ["keyDown", "Enter", "\r", 13],
      ["keyUp", "Enter", undefined, 13],
    ]);
    expect(outside, "no key reaches the app while the page has them").not.toHaveBeenCalled();
  });

  it("sums a frame's wheel deltas into one event, in pixels", async () => {
    const { canvas, sent } = setup();
    const wheel = (lines: number) =>
      withFields(new WheelEvent("wheel", { deltaY: lines, deltaMode: 1, cancelable: true }), { clientX: 20, clientY: 20 });
    canvas.dispatchEvent(wheel(3));
    canvas.dispatchEvent(wheel(2));
    await new Promise((r) => setTimeout(r, 10));
    expect(mouse(sent).map((m) => [m.eventType, m.deltaY, m.x, m.y])).toEqual([["mouseWheel", 200, 40, 40]]);
  });

  it("sends nothing while input is off (not Live, or Watch only)", async () => {
    const { canvas, keys, sent } = setup(false);
    canvas.dispatchEvent(new MouseEvent("mousedown", { button: 0, clientX: 10, clientY: 10, detail: 1, bubbles: true }));
    keys.dispatchEvent(new KeyboardEvent("keydown", { key: "a", code: "KeyA", bubbles: true, cancelable: true }));
    canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: 3, cancelable: true }));
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toEqual([]);
  });
});
