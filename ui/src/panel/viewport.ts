// The DOM half of input: listens on the panel's viewport and sends the person's pointer
// and keyboard to the page (see input.ts for the translation).
//
// Keys go through a hidden textarea that takes focus when the viewport is clicked: it
// is what lets the webview's IME compose text and what receives pastes. While it has
// focus, every key goes to the page and none to the app (the viewport shows a focus
// ring). Moves, with or without a button, are sent at most once per animation frame;
// wheel deltas are summed over a frame.
import type { Input } from "../generated/Input";
import type { MouseButton } from "../generated/MouseButton";
import type { MouseEventType } from "../generated/MouseEventType";
import { buttonName, isPaste, keyInput, modifiers, pageSize, textInput, toPage, wheelPixels, type FrameGeometry } from "./input";

export interface ViewportOptions {
  /** The frame on screen, or null before the first one. */
  geometry(): FrameGeometry | null;
  /** Whether input may reach the page (Live and not locked). */
  enabled(): boolean;
  send(input: Input): void;
}

export function installViewport(
  box: HTMLElement,
  canvas: HTMLCanvasElement,
  keys: HTMLTextAreaElement,
  options: ViewportOptions,
): void {
  let pressed: MouseButton | null = null;
  let pendingMove: MouseEvent | null = null;
  let wheel = { x: 0, y: 0, at: null as MouseEvent | null };

  const point = (e: MouseEvent, clamp: boolean) => {
    const geometry = options.geometry();
    if (!geometry || canvas.hidden) return null;
    const rect = canvas.getBoundingClientRect();
    return toPage({ x: e.clientX - rect.left, y: e.clientY - rect.top }, rect, geometry, clamp);
  };

  const mouse = (type: MouseEventType, e: MouseEvent, button: MouseButton, clickCount: number, clamp: boolean, delta = { x: 0, y: 0 }) => {
    const at = point(e, clamp);
    if (!at) return;
    options.send({
      type: "input_mouse",
      eventType: type,
      x: at.x,
      y: at.y,
      button,
      clickCount,
      deltaX: delta.x,
      deltaY: delta.y,
      modifiers: modifiers(e),
    });
  };

  const flush = () => {
    if (pendingMove) {
      const e = pendingMove;
      pendingMove = null;
      if (options.enabled()) mouse("mouseMoved", e, pressed ?? "none", 0, pressed !== null);
    }
    if (wheel.at) {
      const { at, x, y } = wheel;
      wheel = { x: 0, y: 0, at: null };
      if (options.enabled()) mouse("mouseWheel", at, "none", 0, false, { x, y });
    }
  };
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      flush();
    });
  };

  canvas.addEventListener("mousedown", (e) => {
    // Focus first: a click on the page also means "my keys go there now".
    keys.focus({ preventScroll: true });
    e.preventDefault();
    if (!options.enabled()) return;
    flush();
    pressed = buttonName(e.button);
    mouse("mousePressed", e, pressed, Math.max(1, Math.min(e.detail, 3)), false);
  });
  window.addEventListener("mousemove", (e) => {
    if (pressed === null && e.target !== canvas) return;
    pendingMove = e;
    schedule();
  });
  window.addEventListener("mouseup", (e) => {
    if (pressed === null) return;
    flush();
    const button = buttonName(e.button);
    pressed = null;
    if (options.enabled()) mouse("mouseReleased", e, button, Math.max(1, Math.min(e.detail, 3)), true);
  });
  canvas.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      if (!options.enabled()) return;
      const geometry = options.geometry();
      const page = geometry ? pageSize(geometry) : { width: 800, height: 600 };
      wheel.x += wheelPixels(e.deltaX, e.deltaMode, page.width);
      wheel.y += wheelPixels(e.deltaY, e.deltaMode, page.height);
      wheel.at = e;
      schedule();
    },
    { passive: false },
  );
  // The page gets right clicks; the webview's own menu stays away from it.
  box.addEventListener("contextmenu", (e) => e.preventDefault());

  keys.addEventListener("keydown", (e) => {
    e.stopPropagation();
    // Composition (IME) and paste arrive as text of their own, below.
    if (e.isComposing || e.keyCode === 229 || isPaste(e)) return;
    e.preventDefault();
    if (options.enabled()) options.send({ type: "input_keyboard", ...keyInput(e, "down") });
  });
  keys.addEventListener("keyup", (e) => {
    e.stopPropagation();
    if (e.isComposing || e.keyCode === 229 || isPaste(e)) return;
    e.preventDefault();
    if (options.enabled()) options.send({ type: "input_keyboard", ...keyInput(e, "up") });
  });
  let composing = false;
  keys.addEventListener("compositionstart", () => {
    composing = true;
  });
  keys.addEventListener("compositionend", (e) => {
    composing = false;
    if (e.data && options.enabled()) options.send({ type: "input_keyboard", ...textInput(e.data) });
    keys.value = "";
  });
  keys.addEventListener("paste", (e) => {
    e.preventDefault();
    const text = e.clipboardData?.getData("text/plain") ?? "";
    if (text && options.enabled()) options.send({ type: "input_keyboard", ...textInput(text) });
  });
  // Nothing typed stays in the textarea.
  keys.addEventListener("input", () => {
    if (!composing) keys.value = "";
  });
}
