import { afterEach, describe, expect, it } from "vitest";
import { WatchOnly, watchOnlyKey } from "./watchOnly";
import { memoryStorage } from "../testing/storage";

function setup(storage = memoryStorage(), workspace = "/ws") {
  const button = document.body.appendChild(document.createElement("button"));
  const viewport = document.body.appendChild(document.createElement("div"));
  return { button, viewport, storage, watchOnly: new WatchOnly(button, viewport, storage, workspace) };
}

describe("watchOnlyKey", () => {
  it("gives each workspace its own key", () => {
    expect(watchOnlyKey("/ws"), "the key names the workspace").toBe("porthole.watchOnly:/ws");
    expect(watchOnlyKey("/a"), "two workspaces never share a choice").not.toBe(watchOnlyKey("/b"));
  });
});

describe("WatchOnly", () => {
  afterEach(() => document.body.replaceChildren());

  it("starts off, and with what was chosen for the workspace", () => {
    expect(setup().watchOnly.on, "input reaches the page unless the person chose otherwise").toBe(false);
    const { watchOnly, button, viewport } = setup(memoryStorage({ [watchOnlyKey("/ws")]: "1" }));
    expect(watchOnly.on, "the remembered choice").toBe(true);
    expect(button.getAttribute("aria-pressed"), "the button says so").toBe("true");
    expect(viewport.classList.contains("locked"), "and so does the viewport").toBe(true);
  });

  it("toggles on a click, remembers it, and tells the listener after the change", () => {
    const { watchOnly, button, viewport, storage } = setup();
    const seen: boolean[] = [];
    watchOnly.onChange(() => seen.push(watchOnly.on));
    button.click();
    expect(watchOnly.on).toBe(true);
    expect(viewport.classList.contains("locked")).toBe(true);
    expect(storage.data.get(watchOnlyKey("/ws")), "the choice is stored for the workspace").toBe("1");
    button.click();
    expect(storage.data.get(watchOnlyKey("/ws")), "turning it off is stored too").toBe("0");
    expect(seen, "the listener sees the state after each click").toEqual([true, false]);
  });

  it("takes up each workspace's own choice when the workspace changes", () => {
    const { watchOnly, button, storage } = setup(memoryStorage({ [watchOnlyKey("/other")]: "1" }));
    watchOnly.switchTo("/other");
    expect(watchOnly.on, "the other workspace was watch only").toBe(true);
    button.click();
    watchOnly.switchTo("/ws");
    expect(watchOnly.on, "the first workspace's choice is untouched").toBe(false);
    expect(storage.data.get(watchOnlyKey("/other")), "the click was remembered for the workspace it was made in").toBe("0");
  });

  it("tells the listener when another workspace's choice changes it, and only then", () => {
    const { watchOnly } = setup(memoryStorage({ [watchOnlyKey("/locked")]: "1" }));
    const seen: boolean[] = [];
    watchOnly.onChange(() => seen.push(watchOnly.on));
    watchOnly.switchTo("/also-open");
    expect(seen, "a workspace with the same choice changes nothing").toEqual([]);
    watchOnly.switchTo("/locked");
    expect(seen, "so the toolbar can follow a workspace that is watch only").toEqual([true]);
  });
});
