import { describe, expect, it, vi } from "vitest";
import type { Entry } from "../generated/Entry";
import { ActivityLog, MAX_SHOWN, merge, result, visible, type ActivityActions, type ActivityElements } from "./activity";

const entry = (at: number, kind: Entry["kind"], text: string, ok: boolean | null = true, action: string | null = null): Entry => ({
  at,
  kind,
  action,
  ok,
  text,
});

function elements(): ActivityElements {
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.body.appendChild(document.createElement(tag));
  const label = make("label");
  const errorsOnly = document.createElement("input");
  errorsOnly.type = "checkbox";
  label.append(errorsOnly);
  return {
    root: make("section"),
    toggle: make("button"),
    activityTab: make("button"),
    consoleTab: make("button"),
    errorsOnly,
    list: make("ol"),
    empty: make("p"),
    save: make("button"),
    clear: make("button"),
  };
}

const actions = (fetch: () => Promise<Entry[]>, over: Partial<ActivityActions> = {}): ActivityActions => ({
  fetch,
  pick: () => {},
  save: async () => "/saved.html",
  clear: async () => {},
  notify: () => {},
  describe: String,
  ...over,
});

describe("the activity lists", () => {
  it("keep entries in time order, once each, however they arrive", () => {
    const list: Entry[] = [];
    expect(merge(list, entry(3, "command", "click #b"))).toBe(true);
    expect(merge(list, entry(1, "console", "hello"))).toBe(true);
    expect(merge(list, entry(3, "command", "click #b")), "the same entry by event and by read is one").toBe(false);
    expect(merge(list, entry(3, "navigation", "https://a.test/"))).toBe(true);
    expect(list.map((e) => e.text)).toEqual(["hello", "click #b", "https://a.test/"]);
  });

  it("keep the latest when there are too many", () => {
    const list: Entry[] = [];
    for (let i = 0; i < MAX_SHOWN + 10; i++) merge(list, entry(i, "console", `m${i}`));
    expect(list.length).toBe(MAX_SHOWN);
    expect(list[0].text, "the oldest went").toBe("m10");
  });

  it("show commands in Activity and console messages in Console, errors only on request", () => {
    const list = [
      entry(1, "command", "click #go", false, "click"),
      entry(2, "console", "hi", true, "log"),
      entry(3, "console", "broke", false, "error"),
      entry(4, "error", "Error: boom", false),
      entry(5, "navigation", "https://a.test/"),
    ];
    expect(visible(list, "activity", false).map((e) => e.text)).toEqual(["click #go", "https://a.test/"]);
    expect(visible(list, "console", false).map((e) => e.text)).toEqual(["hi", "broke", "Error: boom"]);
    expect(visible(list, "console", true).map((e) => e.text), "errors only").toEqual(["broke", "Error: boom"]);
    expect(result({ ...entry(1, "command", "click"), ok: false, durationMs: 12.4 })).toBe("failed · 12 ms");
    expect(result(entry(1, "command", "navigate", null))).toBe("never finished");
  });

  it("start from the recorded list and keep what arrived meanwhile", async () => {
    const el = elements();
    let answer: (entries: Entry[]) => void = () => {};
    const log = new ActivityLog(el, actions(() => new Promise((resolve) => (answer = resolve))));
    expect(el.root.hidden, "closed until asked").toBe(true);
    el.toggle.click();
    expect(el.toggle.getAttribute("aria-pressed")).toBe("true");
    const reading = log.reload();
    log.add(entry(5, "command", "click #late", true, "click"));
    answer([entry(1, "command", "navigate https://a.test/", true, "navigate")]);
    await reading;
    const rows = [...el.list.querySelectorAll("li")].map((li) => li.querySelector(".entry-text")?.textContent);
    expect(rows).toEqual(["navigate https://a.test/", "click #late"]);
    log.add(entry(6, "console", "bad", false, "error"));
    expect(el.consoleTab.textContent, "the Console tab counts errors").toBe("Console (1 error)");
    log.clear();
    expect(el.list.children.length).toBe(0);
    expect(el.empty.hidden).toBe(false);
  });

  it("jump to an entry's moment on a click, and step with the arrow keys", async () => {
    const el = elements();
    const pick = vi.fn();
    const log = new ActivityLog(
      el,
      actions(
        async () => [
          entry(1, "command", "click #a", true, "click"),
          entry(2, "command", "click #b", false, "click"),
          entry(3, "command", "click #c", true, "click"),
        ],
        { pick },
      ),
    );
    log.setOpen(true);
    await log.reload();
    (el.list.children[1] as HTMLElement).click();
    expect(pick).toHaveBeenLastCalledWith(expect.objectContaining({ text: "click #b" }));
    expect(el.list.children[1].getAttribute("aria-selected")).toBe("true");
    el.list.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight" }));
    expect(pick).toHaveBeenLastCalledWith(expect.objectContaining({ text: "click #c" }));
    el.list.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight" }));
    expect(pick, "the last stays the last").toHaveBeenLastCalledWith(expect.objectContaining({ text: "click #c" }));
    el.list.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft" }));
    el.list.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft" }));
    expect(pick).toHaveBeenLastCalledWith(expect.objectContaining({ text: "click #a" }));
    log.unpick();
    expect([...el.list.children].some((li) => li.getAttribute("aria-selected") === "true"), "back to live: nothing picked").toBe(false);
  });

  it("clear the history only on a second click", async () => {
    const el = elements();
    const clear = vi.fn(async () => {});
    const log = new ActivityLog(el, actions(async () => [entry(1, "command", "click #a", true, "click")], { clear }));
    log.setOpen(true);
    await log.reload();
    el.clear.click();
    expect(clear, "one click only asks").not.toHaveBeenCalled();
    expect(el.clear.textContent).toBe("Clear all?");
    el.clear.click();
    await Promise.resolve();
    await Promise.resolve();
    expect(clear).toHaveBeenCalledTimes(1);
    expect(el.list.children.length, "the list is emptied").toBe(0);
  });

  it("say where the timeline was saved, or why not", async () => {
    const el = elements();
    const notify = vi.fn();
    new ActivityLog(el, actions(async () => [], { notify, save: async () => "/home/me/Downloads/Porthole/s timeline.html" }));
    el.save.click();
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith("Timeline saved to /home/me/Downloads/Porthole/s timeline.html"));
    const failing = elements();
    new ActivityLog(failing, actions(async () => [], { notify, save: async () => Promise.reject(new Error("disk full")) }));
    failing.save.click();
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith("Error: disk full", "error"));
  });
});
