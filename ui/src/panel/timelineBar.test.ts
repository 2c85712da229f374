import { describe, expect, it, vi } from "vitest";
import type { Entry } from "../generated/Entry";
import { MARKER_GAP_PX, marked, position, spread, TimelineBar } from "./timelineBar";

const entry = (at: number, kind: Entry["kind"], text: string, ok: boolean | null = true): Entry => ({ at, kind, action: null, ok, text });

function elements() {
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.body.appendChild(document.createElement(tag));
  const preview = make("div");
  preview.hidden = true;
  return { bar: make("div"), preview, previewImage: make("img"), previewText: make("span") };
}

describe("the timeline bar", () => {
  const entries = [
    entry(1000, "command", "click #a"),
    entry(1500, "console", "hello"),
    entry(2000, "command", "click #b", false),
    entry(2500, "console", "broke", false),
    entry(3000, "navigation", "https://a.test/"),
  ];

  it("marks commands, navigations and errors, placed in time", () => {
    expect(marked(entries).map((e) => e.text), "a console log is not marked").toEqual(["click #a", "click #b", "broke", "https://a.test/"]);
    expect(position(2000, 1000, 3000)).toBe(50);
    expect(position(5, 5, 5), "one moment sits in the middle").toBe(50);
    const el = elements();
    new TimelineBar(el, { pick: () => {}, preview: async () => null }).render(entries, null);
    const markers = [...el.bar.querySelectorAll<HTMLElement>(".marker")];
    expect(markers.map((m) => m.style.left)).toEqual(["0%", "50%", "75%", "100%"]);
    expect(markers[1].dataset.ok, "the failed command stands out").toBe("false");
  });

  it("draws no marker over another, keeping their order and the bar's ends", () => {
    expect(spread([0, 50, 100], 10), "markers far apart stay where their moment is").toEqual([0, 50, 100]);
    expect(spread([0, 1, 2, 100], 10), "markers bunched at the start move right, in order").toEqual([0, 10, 20, 100]);
    expect(spread([0, 99, 99.5, 100], 10), "markers bunched at the end move left, in order").toEqual([0, 80, 90, 100]);
    expect(spread([0, 0, 0], 80), "too many to fit are spread evenly").toEqual([0, 50, 100]);
    expect(spread([0, 0.1, 100], 0), "with no width known, time alone places them").toEqual([0, 0.1, 100]);

    // A failed command and its console error a few milliseconds apart, on a bar 200 px wide.
    const el = elements();
    Object.defineProperty(el.bar, "clientWidth", { value: 200 });
    const bunched = [entry(1000, "command", "click #a", false), entry(1003, "console", "broke", false), entry(61_000, "command", "click #b")];
    new TimelineBar(el, { pick: () => {}, preview: async () => null }).render(bunched, null);
    const left = [...el.bar.querySelectorAll<HTMLElement>(".marker")].map((m) => (parseFloat(m.style.left) / 100) * 200);
    expect(left[1] - left[0], "the console error's marker does not cover the failed command's").toBeGreaterThanOrEqual(MARKER_GAP_PX - 1e-9);
    expect(left[2], "the last marker stays at the end").toBe(200);
  });

  it("picks a marker on a click, and steps from command to command with the arrow keys", () => {
    const el = elements();
    const pick = vi.fn();
    const bar = new TimelineBar(el, { pick, preview: async () => null });
    bar.render(entries, null);
    (el.bar.children[2] as HTMLElement).click();
    expect(pick).toHaveBeenLastCalledWith(entries[3]);
    el.bar.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft" }));
    expect(pick, "with nothing picked, Left is the last command").toHaveBeenLastCalledWith(entries[2]);
    bar.render(entries, entries[2]);
    el.bar.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft" }));
    expect(pick).toHaveBeenLastCalledWith(entries[0]);
  });

  it("shows the page as it was when a marker is hovered", async () => {
    const el = elements();
    const bar = new TimelineBar(el, { pick: () => {}, preview: async () => "data:image/webp;base64,AAAA" });
    bar.render(entries, null);
    el.bar.children[1].dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    expect(el.preview.hidden).toBe(false);
    expect(el.previewText.textContent).toContain("click #b · failed");
    await vi.waitFor(() => expect(el.previewImage.getAttribute("src")).toBe("data:image/webp;base64,AAAA"));
    el.bar.dispatchEvent(new MouseEvent("mouseleave"));
    expect(el.preview.hidden).toBe(true);
  });
});
