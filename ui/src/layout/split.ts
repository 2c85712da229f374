// The resizable split between the sidebar and the Browser panel. The sidebar width is
// kept as a fraction of the window, so it follows window resizes, and remembered. The
// sidebar also collapses to a strip (its toggle button, or `toggle()`), which is
// remembered too; the page then has the window.
//
// Usage: `const split = installSplit(app, splitter, toggleButton, localStorage)`.

export const SPLIT_KEY = "porthole.sidebarFraction";
export const COLLAPSED_KEY = "porthole.sidebarCollapsed";
export const MIN_SIDEBAR_PX = 200;
export const MIN_PANEL_PX = 320;
/** About 230 px in a 1280 px window: the page has the room. */
export const DEFAULT_FRACTION = 0.18;
/** The collapsed sidebar: a strip wide enough for the logo and the toggle. */
export const STRIP_PX = 48;
const KEY_STEP_PX = 16;

/** The sidebar width in pixels for a wanted width, within the bounds of the window. */
export function clampSidebar(wanted: number, total: number): number {
  const max = Math.max(MIN_SIDEBAR_PX, total - MIN_PANEL_PX);
  return Math.round(Math.min(Math.max(wanted, MIN_SIDEBAR_PX), max));
}

/** A stored fraction, or the default when nothing valid is stored. */
export function storedFraction(storage: Pick<Storage, "getItem">): number {
  const value = Number(storage.getItem(SPLIT_KEY));
  return value > 0 && value < 1 ? value : DEFAULT_FRACTION;
}

export interface Split {
  /** Collapses the sidebar to its strip, or opens it again. */
  toggle(): void;
}

export function installSplit(
  app: HTMLElement,
  handle: HTMLElement,
  toggleButton: HTMLButtonElement,
  storage: Pick<Storage, "getItem" | "setItem">,
): Split {
  let fraction = storedFraction(storage);
  let collapsed = storage.getItem(COLLAPSED_KEY) === "1";
  const total = () => app.clientWidth || window.innerWidth;

  const apply = () => {
    app.classList.toggle("sidebar-collapsed", collapsed);
    toggleButton.setAttribute("aria-expanded", String(!collapsed));
    toggleButton.title = collapsed ? "Show the sidebar (Ctrl+B)" : "Collapse the sidebar to a strip (Ctrl+B)";
    toggleButton.setAttribute("aria-label", collapsed ? "Show the sidebar" : "Collapse the sidebar");
    const px = collapsed ? STRIP_PX : clampSidebar(fraction * total(), total());
    app.style.setProperty("--sidebar-width", `${px}px`);
    handle.setAttribute("aria-valuenow", String(Math.round((px / total()) * 100)));
  };
  const toggle = () => {
    collapsed = !collapsed;
    storage.setItem(COLLAPSED_KEY, collapsed ? "1" : "0");
    apply();
  };
  toggleButton.addEventListener("click", toggle);
  const setWidth = (px: number) => {
    fraction = clampSidebar(px, total()) / total();
    storage.setItem(SPLIT_KEY, fraction.toFixed(4));
    apply();
  };

  handle.setAttribute("aria-valuemin", "0");
  handle.setAttribute("aria-valuemax", "100");
  handle.addEventListener("pointerdown", (down) => {
    if (down.button !== 0) return;
    down.preventDefault();
    handle.setPointerCapture?.(down.pointerId);
    app.classList.add("resizing");
    const left = app.getBoundingClientRect().left;
    const move = (e: PointerEvent) => setWidth(e.clientX - left);
    const up = () => {
      app.classList.remove("resizing");
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", up);
  });
  handle.addEventListener("keydown", (e) => {
    const current = clampSidebar(fraction * total(), total());
    if (e.key === "ArrowLeft") setWidth(current - KEY_STEP_PX);
    else if (e.key === "ArrowRight") setWidth(current + KEY_STEP_PX);
    else if (e.key === "Home") setWidth(MIN_SIDEBAR_PX);
    else if (e.key === "End") setWidth(total());
    else return;
    e.preventDefault();
  });
  handle.addEventListener("dblclick", () => setWidth(DEFAULT_FRACTION * total()));
  window.addEventListener("resize", apply);
  apply();
  return { toggle };
}
