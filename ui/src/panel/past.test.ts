import { describe, expect, it, vi } from "vitest";
import { PastView } from "./past";

function elements() {
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.body.appendChild(document.createElement(tag));
  const root = make("div");
  root.hidden = true;
  return { root, image: make("img"), caption: make("span"), back: make("button") };
}

describe("the past in the panel", () => {
  it("shows a still as the past until Back to live, or Esc", () => {
    const el = elements();
    const past = new PastView(el);
    const changes = vi.fn();
    past.onChange(changes);
    past.show("data:image/webp;base64,AAAA", "after click #go · 14:03:07");
    expect(past.shown).toBe(true);
    expect(el.caption.textContent).toBe("after click #go · 14:03:07");
    el.back.click();
    expect(past.shown, "Back to live").toBe(false);
    expect(el.image.hasAttribute("src"), "the still is let go").toBe(false);
    past.show("data:image/webp;base64,AAAA", "x");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(past.shown, "Esc is Back to live").toBe(false);
    expect(changes.mock.calls.map((c) => c[0])).toEqual([true, false, true, false]);
  });
});
