import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_FRACTION,
  MIN_PANEL_PX,
  MIN_SIDEBAR_PX,
  SPLIT_KEY,
  COLLAPSED_KEY,
  STRIP_PX,
  clampSidebar,
  installSplit,
  storedFraction,
} from "./split";
import { memoryStorage } from "../testing/storage";

describe("clampSidebar", () => {
  it("keeps the sidebar and the panel usable at any window width", () => {
    expect(clampSidebar(50, 1200), "never narrower than its minimum").toBe(MIN_SIDEBAR_PX);
    expect(clampSidebar(1100, 1200), "always leaves the panel its minimum").toBe(1200 - MIN_PANEL_PX);
    expect(clampSidebar(300.4, 1200)).toBe(300);
    expect(clampSidebar(400, 300), "a tiny window keeps the sidebar minimum").toBe(MIN_SIDEBAR_PX);
  });
});

describe("storedFraction", () => {
  it("falls back to the default for nothing, garbage or out-of-range values", () => {
    expect(storedFraction(memoryStorage())).toBe(DEFAULT_FRACTION);
    expect(storedFraction(memoryStorage({ [SPLIT_KEY]: "abc" }))).toBe(DEFAULT_FRACTION);
    expect(storedFraction(memoryStorage({ [SPLIT_KEY]: "1.5" }))).toBe(DEFAULT_FRACTION);
    expect(storedFraction(memoryStorage({ [SPLIT_KEY]: "0.3" }))).toBe(0.3);
  });
});

describe("installSplit", () => {
  afterEach(() => document.body.replaceChildren());

  function setup(storage = memoryStorage()) {
    const app = document.createElement("div");
    Object.defineProperty(app, "clientWidth", { value: 1000 });
    const handle = document.createElement("div");
    const button = document.createElement("button");
    app.append(handle, button);
    document.body.append(app);
    const split = installSplit(app, handle, button, storage);
    return { app, handle, button, storage, split };
  }

  it("collapses the sidebar to a strip and back, and remembers it", () => {
    const { app, button, storage, split } = setup(memoryStorage({ [SPLIT_KEY]: "0.3" }));
    expect(button.getAttribute("aria-expanded"), "open by default").toBe("true");
    button.click();
    expect(app.classList.contains("sidebar-collapsed"), "the button collapses it").toBe(true);
    expect(app.style.getPropertyValue("--sidebar-width")).toBe(`${STRIP_PX}px`);
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(storage.data.get(COLLAPSED_KEY), "remembered").toBe("1");
    split.toggle();
    expect(app.style.getPropertyValue("--sidebar-width"), "back at the width it had").toBe("300px");
    const again = setup(memoryStorage({ [COLLAPSED_KEY]: "1" }));
    expect(again.app.classList.contains("sidebar-collapsed"), "a restart keeps it collapsed").toBe(true);
  });

  it("applies the remembered width", () => {
    const { app } = setup(memoryStorage({ [SPLIT_KEY]: "0.35" }));
    expect(app.style.getPropertyValue("--sidebar-width")).toBe("350px");
  });

  it("moves with the arrow keys and remembers the result", () => {
    const { app, handle, storage } = setup();
    const start = parseInt(app.style.getPropertyValue("--sidebar-width"));
    handle.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight" }));
    const wider = parseInt(app.style.getPropertyValue("--sidebar-width"));
    expect(wider, "ArrowRight widens the sidebar").toBeGreaterThan(start);
    expect(Number(storage.data.get(SPLIT_KEY)), "the new width is stored").toBeCloseTo(wider / 1000, 3);
    handle.dispatchEvent(new KeyboardEvent("keydown", { key: "Home" }));
    expect(app.style.getPropertyValue("--sidebar-width"), "Home goes to the minimum").toBe(`${MIN_SIDEBAR_PX}px`);
  });
});
