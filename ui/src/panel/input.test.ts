import { describe, expect, it } from "vitest";
import { fitFrame } from "./fit";
import { buttonName, isPaste, keyInput, modifiers, pageSize, textInput, toPage, virtualKeyCode, wheelPixels } from "./input";

const frame = { imageWidth: 1280, imageHeight: 633, deviceWidth: 1280 };
const key = (key: string, code: string, mods: Partial<Record<"altKey" | "ctrlKey" | "metaKey" | "shiftKey", boolean>> = {}) => ({
  key,
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe("toPage", () => {
  it("maps the displayed frame onto page CSS pixels at any panel size", () => {
    expect(toPage({ x: 320, y: 158.25 }, { width: 640, height: 316.5 }, frame), "half size").toEqual({ x: 640, y: 316.5 });
    expect(toPage({ x: 0, y: 0 }, { width: 1280, height: 633 }, frame), "the top left corner").toEqual({ x: 0, y: 0 });
  });

  it("reads a HiDPI frame (twice the page's CSS pixels) back in CSS pixels", () => {
    const hidpi = { imageWidth: 2560, imageHeight: 1266, deviceWidth: 1280 };
    expect(toPage({ x: 100, y: 50 }, { width: 1280, height: 633 }, hidpi)).toEqual({ x: 100, y: 50 });
  });

  it("lands on the same page point at any device pixel ratio", () => {
    // fitFrame shows a frame at most at its own pixels: on a 2x screen, half as many CSS pixels.
    for (const dpr of [1, 1.5, 2, 3]) {
      const shown = fitFrame({ width: frame.imageWidth, height: frame.imageHeight }, { width: 2000, height: 2000 }, dpr);
      expect(shown.width, `shown at ${dpr}x`).toBe(Math.round(frame.imageWidth / dpr));
      const corner = toPage({ x: shown.width * 0.75, y: shown.height * 0.25 }, shown, frame);
      expect(corner!.x, `x at ${dpr}x`).toBeCloseTo(960, 0);
      expect(corner!.y, `y at ${dpr}x`).toBeCloseTo(158.25, 0);
    }
  });

  it("ignores the letterbox and clamps a drag that leaves the frame", () => {
    const shown = { width: 640, height: 316.5 };
    expect(toPage({ x: -3, y: 10 }, shown, frame), "left of the frame").toBeNull();
    expect(toPage({ x: 10, y: 400 }, shown, frame), "below the frame").toBeNull();
    const pinned = toPage({ x: 700, y: -20 }, shown, frame, true);
    expect(pinned?.y, "pinned to the top edge").toBe(0);
    expect(pinned!.x, "pinned inside the right edge").toBeLessThan(1280);
    expect(pinned!.x).toBeGreaterThan(1279.9);
  });

  it("maps nothing before a frame is known", () => {
    expect(toPage({ x: 1, y: 1 }, { width: 0, height: 0 }, frame)).toBeNull();
    expect(toPage({ x: 1, y: 1 }, { width: 10, height: 10 }, { imageWidth: 0, imageHeight: 0, deviceWidth: 0 })).toBeNull();
  });
});

describe("keyInput", () => {
  it("sends a printable key with its text", () => {
    expect(keyInput(key("a", "KeyA"), "down")).toEqual({ eventType: "keyDown", key: "a", code: "KeyA", text: "a", windowsVirtualKeyCode: 65, modifiers: 0 });
    expect(keyInput(key("a", "KeyA"), "up"), "a release types nothing").toEqual({ eventType: "keyUp", key: "a", code: "KeyA", windowsVirtualKeyCode: 65, modifiers: 0 });
  });

  it("sends Enter with a carriage return, or forms do not submit", () => {
    expect(keyInput(key("Enter", "Enter"), "down")).toMatchObject({ eventType: "keyDown", text: "\r", windowsVirtualKeyCode: 13 });
  });

  it("sends keys that type nothing as rawKeyDown", () => {
    for (const [k, code, vk] of [
      ["Tab", "Tab", 9],
      ["ArrowLeft", "ArrowLeft", 37],
      ["ArrowDown", "ArrowDown", 40],
      ["Backspace", "Backspace", 8],
      ["Delete", "Delete", 46],
      ["Escape", "Escape", 27],
      ["Home", "Home", 36],
      ["End", "End", 35],
      ["PageUp", "PageUp", 33],
      ["PageDown", "PageDown", 34],
      ["F5", "F5", 116],
    ] as const) {
      const input = keyInput(key(k, code), "down");
      expect(input.eventType, k).toBe("rawKeyDown");
      expect(input.text, `${k} types nothing`).toBeUndefined();
      expect(input.windowsVirtualKeyCode, k).toBe(vk);
    }
  });

  it("keeps shifted characters and their modifier", () => {
    expect(keyInput(key("A", "KeyA", { shiftKey: true }), "down")).toMatchObject({ text: "A", windowsVirtualKeyCode: 65, modifiers: 8 });
    expect(keyInput(key("!", "Digit1", { shiftKey: true }), "down")).toMatchObject({ text: "!", windowsVirtualKeyCode: 49, modifiers: 8 });
  });

  it("types non-Latin characters with the physical key's code", () => {
    expect(keyInput(key("ф", "KeyA"), "down")).toMatchObject({ eventType: "keyDown", text: "ф", windowsVirtualKeyCode: 65 });
    expect(keyInput(key("é", "Digit2"), "down")).toMatchObject({ text: "é", windowsVirtualKeyCode: 50 });
  });

  it("sends shortcuts as raw keys with their modifiers", () => {
    expect(keyInput(key("a", "KeyA", { ctrlKey: true }), "down")).toEqual({ eventType: "rawKeyDown", key: "a", code: "KeyA", windowsVirtualKeyCode: 65, modifiers: 2 });
    expect(keyInput(key("z", "KeyZ", { ctrlKey: true, shiftKey: true }), "down").modifiers).toBe(10);
  });
});

describe("the rest of the translation", () => {
  it("computes CDP modifier bits", () => {
    expect(modifiers({ altKey: true, ctrlKey: true, metaKey: true, shiftKey: true })).toBe(15);
  });
  it("names buttons", () => {
    expect([0, 1, 2, 3].map(buttonName)).toEqual(["left", "middle", "right", "none"]);
  });
  it("normalises wheel deltas to pixels", () => {
    expect(wheelPixels(3, 0, 600)).toBe(3);
    expect(wheelPixels(3, 1, 600), "lines").toBe(120);
    expect(wheelPixels(1, 2, 600), "pages").toBe(600);
  });

  it("measures a page of scrolling in the page's CSS pixels, not the frame's", () => {
    const hidpi = { imageWidth: 2560, imageHeight: 1266, deviceWidth: 1280 };
    expect(pageSize(hidpi), "a 2x page's frame is twice its CSS size").toEqual({ width: 1280, height: 633 });
    expect(pageSize({ imageWidth: 1280, imageHeight: 633, deviceWidth: 1280 })).toEqual({ width: 1280, height: 633 });
    expect(wheelPixels(1, 2, pageSize(hidpi).height), "one page down on a 2x page").toBe(633);
  });
  it("finds virtual key codes from the key when the code is unknown", () => {
    expect(virtualKeyCode("", "q")).toBe(81);
    expect(virtualKeyCode("Unidentified", "Dead")).toBe(0);
  });
  it("recognises paste shortcuts and types composed text as it is", () => {
    expect(isPaste(key("v", "KeyV", { ctrlKey: true }))).toBe(true);
    expect(isPaste(key("Insert", "Insert", { shiftKey: true }))).toBe(true);
    expect(isPaste(key("v", "KeyV"))).toBe(false);
    expect(textInput("日本")).toEqual({ eventType: "char", key: "", code: "", text: "日本", windowsVirtualKeyCode: 0, modifiers: 0 });
  });
});
