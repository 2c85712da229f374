// The pure half of input: where a point in the panel lands on the page, and what a
// browser KeyboardEvent becomes for Chrome (key, code, text, Windows virtual key code,
// modifiers). The DOM half is viewport.ts.
import type { KeyEventType } from "../generated/KeyEventType";
import type { KeyInput } from "../generated/KeyInput";
import type { MouseButton } from "../generated/MouseButton";

/** The frame on screen: its pixel size and the page width it shows, in CSS pixels. */
export interface FrameGeometry {
  imageWidth: number;
  imageHeight: number;
  /** The page viewport's width in CSS pixels (the frame's `deviceWidth`). */
  deviceWidth: number;
}

/**
 * Maps a point given in CSS pixels from the top left of the displayed frame (whose
 * displayed size is `shown`) to CSS pixels of the page. A point off the frame (the
 * letterbox) maps to null unless `clamp` (a drag that leaves the frame) pins it to the
 * nearest edge. The JPEG covers the page viewport at the page's device scale, so
 * image pixels / (image width / deviceWidth) are page CSS pixels; the page's height
 * follows from the image's, as the frame's `deviceHeight` counts the whole window.
 */
export function toPage(
  point: { x: number; y: number },
  shown: { width: number; height: number },
  frame: FrameGeometry,
  clamp = false,
): { x: number; y: number } | null {
  if (shown.width <= 0 || shown.height <= 0 || frame.imageWidth <= 0 || frame.imageHeight <= 0) return null;
  let { x, y } = point;
  const inside = x >= 0 && y >= 0 && x < shown.width && y < shown.height;
  if (!inside && !clamp) return null;
  x = Math.min(Math.max(x, 0), shown.width - 0.001);
  y = Math.min(Math.max(y, 0), shown.height - 0.001);
  const scale = pixelScale(frame);
  const imageX = (x / shown.width) * frame.imageWidth;
  const imageY = (y / shown.height) * frame.imageHeight;
  // Rounded to 1/100 px, and kept inside the page's last pixel.
  const inPage = (v: number, size: number) => Math.min(round2(v), round2(size / scale) - 0.01);
  return { x: inPage(imageX / scale, frame.imageWidth), y: inPage(imageY / scale, frame.imageHeight) };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Image pixels per page CSS pixel: the page's device scale as the frame shows it. */
function pixelScale(frame: FrameGeometry): number {
  return frame.deviceWidth > 0 ? frame.imageWidth / frame.deviceWidth : 1;
}

/** The page's viewport in CSS pixels (not the frame's pixels, which a HiDPI page doubles). */
export function pageSize(frame: FrameGeometry): { width: number; height: number } {
  const scale = pixelScale(frame);
  return { width: frame.imageWidth / scale, height: frame.imageHeight / scale };
}

/** CDP's modifier bits. */
export function modifiers(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): number {
  return (e.altKey ? 1 : 0) | (e.ctrlKey ? 2 : 0) | (e.metaKey ? 4 : 0) | (e.shiftKey ? 8 : 0);
}

/** DOM `button` to CDP's button name. */
export function buttonName(button: number): MouseButton {
  return button === 0 ? "left" : button === 1 ? "middle" : button === 2 ? "right" : "none";
}

/** Normalises a wheel delta to CSS pixels: lines are 40 px (Chrome's), pages a viewport. */
export function wheelPixels(delta: number, mode: number, pageSize: number): number {
  return mode === 1 ? delta * 40 : mode === 2 ? delta * pageSize : delta;
}

const NAMED: Record<string, number> = {
  Backspace: 8,
  Tab: 9,
  Enter: 13,
  NumpadEnter: 13,
  ShiftLeft: 16,
  ShiftRight: 16,
  ControlLeft: 17,
  ControlRight: 17,
  AltLeft: 18,
  AltRight: 18,
  Pause: 19,
  CapsLock: 20,
  Escape: 27,
  Space: 32,
  PageUp: 33,
  PageDown: 34,
  End: 35,
  Home: 36,
  ArrowLeft: 37,
  ArrowUp: 38,
  ArrowRight: 39,
  ArrowDown: 40,
  Insert: 45,
  Delete: 46,
  MetaLeft: 91,
  MetaRight: 92,
  ContextMenu: 93,
  NumpadMultiply: 106,
  NumpadAdd: 107,
  NumpadSubtract: 109,
  NumpadDecimal: 110,
  NumpadDivide: 111,
  Semicolon: 186,
  Equal: 187,
  Comma: 188,
  Minus: 189,
  Period: 190,
  Slash: 191,
  Backquote: 192,
  BracketLeft: 219,
  Backslash: 220,
  BracketRight: 221,
  Quote: 222,
  IntlBackslash: 226,
};

/**
 * The Windows virtual key code of a physical key (`code`), as on a US layout: what
 * Chrome expects whatever layout types the text. Falls back to the key's own letter.
 */
export function virtualKeyCode(code: string, key: string): number {
  if (code in NAMED) return NAMED[code];
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1].charCodeAt(0);
  m = /^Digit([0-9])$/.exec(code);
  if (m) return 48 + Number(m[1]);
  m = /^Numpad([0-9])$/.exec(code);
  if (m) return 96 + Number(m[1]);
  m = /^F([0-9]{1,2})$/.exec(code);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 24) return 111 + Number(m[1]);
  if ([...key].length === 1) {
    const upper = key.toUpperCase();
    if (/^[A-Z0-9]$/.test(upper)) return upper.charCodeAt(0);
  }
  return 0;
}

/** What a key types: its character, `\r` for Enter; nothing with Ctrl, Alt or Meta held. */
export function keyText(e: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): string | undefined {
  // AltGr (a layout's third level) is not Alt in DOM events: its characters have no altKey.
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (e.key === "Enter") return "\r";
  return [...e.key].length === 1 ? e.key : undefined;
}

interface KeyboardLike {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** A DOM key press or release as Chrome's input event. */
export function keyInput(e: KeyboardLike, phase: "down" | "up"): KeyInput {
  const text = phase === "down" ? keyText(e) : undefined;
  const eventType: KeyEventType = phase === "up" ? "keyUp" : text !== undefined ? "keyDown" : "rawKeyDown";
  const input: KeyInput = {
    eventType,
    key: e.key,
    code: e.code,
    windowsVirtualKeyCode: virtualKeyCode(e.code, e.key),
    modifiers: modifiers(e),
  };
  if (text !== undefined) input.text = text;
  return input;
}

/** Text that arrives without a key (IME composition, paste), typed as it is. */
export function textInput(text: string): KeyInput {
  return { eventType: "char", key: "", code: "", text, windowsVirtualKeyCode: 0, modifiers: 0 };
}

/** Whether the key asks to paste: the person's clipboard goes in as text instead. */
export function isPaste(e: KeyboardLike): boolean {
  return ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "v" && !e.altKey) || (e.shiftKey && e.key === "Insert");
}
