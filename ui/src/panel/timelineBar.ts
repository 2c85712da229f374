// The timeline bar under the panel: the recorded session as a strip of markers in time,
// commands (failed ones stand out), navigations and console errors. Hovering a marker
// shows the page as it was then and what happened; clicking it shows that moment in the
// panel as the past; Left and Right step from command to command while the bar has focus.
//
// Markers sit where their moment falls in time, except that no two are drawn closer
// than `MARKER_GAP_PX`: an agent's command, its console error and its navigation often
// come within a few milliseconds, and a marker drawn over another could never be hovered
// or clicked. Order is always kept, so the bar still reads left to right in time.
//
// Usage: `new TimelineBar(elements, { pick, preview })`, then `bar.render(entries, picked)`
// whenever the entries change (ActivityLog.onRender).
import type { Entry } from "../generated/Entry";
import { clock } from "./activity";

export interface TimelineBarElements {
  bar: HTMLElement;
  preview: HTMLElement;
  previewImage: HTMLImageElement;
  previewText: HTMLElement;
}

export interface TimelineBarActions {
  pick(entry: Entry): void;
  /** The still of the page at the entry's moment, as a URL; null when none was kept. */
  preview(entry: Entry): Promise<string | null>;
}

/** Entries the bar marks: commands, navigations, console errors and page errors. */
export function marked(entries: Entry[]): Entry[] {
  return entries.filter(
    (e) => e.kind === "command" || e.kind === "navigation" || e.kind === "error" || (e.kind === "console" && e.ok === false),
  );
}

/** Where `at` sits on a bar from `first` to `last`, in percent (the middle when they meet). */
export function position(at: number, first: number, last: number): number {
  if (last <= first) return 50;
  return ((at - first) / (last - first)) * 100;
}

/** The least distance between two markers' centres, in CSS pixels: the widest marker
 * (a failed command, 6 px) and a pixel either side. */
export const MARKER_GAP_PX = 8;

/**
 * Moves positions (percent, ascending) apart until neighbours are at least `gap` percent
 * apart, as little as it can, keeping their order and keeping them within 0..100. When
 * they cannot all fit, they are spread evenly.
 */
export function spread(positions: number[], gap: number): number[] {
  const n = positions.length;
  if (n < 2 || gap <= 0) return [...positions];
  if ((n - 1) * gap >= 100) return positions.map((_, i) => (i * 100) / (n - 1));
  const out = [...positions];
  for (let i = 1; i < n; i++) out[i] = Math.max(out[i], out[i - 1] + gap);
  out[n - 1] = Math.min(out[n - 1], 100);
  for (let i = n - 2; i >= 0; i--) out[i] = Math.min(out[i], out[i + 1] - gap);
  return out;
}

export class TimelineBar {
  private markers: Entry[] = [];
  /** Each marker's moment on the bar in percent, before `spread`. */
  private times: number[] = [];
  private picked: Entry | null = null;
  private hovering: Entry | null = null;

  constructor(
    private readonly el: TimelineBarElements,
    private readonly actions: TimelineBarActions,
  ) {
    el.bar.tabIndex = 0;
    el.bar.setAttribute("role", "slider");
    el.bar.setAttribute("aria-label", "The agent's commands in time");
    el.bar.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (step === 0) return;
      e.preventDefault();
      this.step(step);
    });
    el.bar.addEventListener("click", (e) => {
      const marker = (e.target as Element).closest<HTMLElement>(".marker");
      const entry = marker ? this.markers[Number(marker.dataset.index)] : undefined;
      if (entry) actions.pick(entry);
    });
    el.bar.addEventListener("mouseover", (e) => {
      const marker = (e.target as Element).closest<HTMLElement>(".marker");
      const entry = marker ? this.markers[Number(marker.dataset.index)] : undefined;
      if (entry && marker) this.showPreview(entry, marker);
    });
    el.bar.addEventListener("mouseleave", () => this.hidePreview());
    // The gap is in pixels, so the layout follows the bar's width (a resize, or the
    // timeline coming out of its collapsed state).
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => this.place()).observe(el.bar);
  }

  render(entries: Entry[], picked: Entry | null): void {
    this.markers = marked(entries);
    this.picked = picked;
    const first = this.markers[0]?.at ?? 0;
    const last = this.markers[this.markers.length - 1]?.at ?? 0;
    this.times = this.markers.map((e) => position(e.at, first, last));
    const items = this.markers.map((e, i) => {
      const m = document.createElement("span");
      m.className = "marker";
      m.dataset.index = String(i);
      m.dataset.kind = e.kind;
      m.dataset.ok = String(e.ok);
      m.dataset.testid = "timeline-marker";
      if (e === picked) m.setAttribute("aria-current", "true");
      return m;
    });
    this.el.bar.replaceChildren(...items);
    this.place();
    this.el.bar.setAttribute("aria-valuetext", picked ? `${picked.text} at ${clock(picked.at)}` : "live");
  }

  /** Sets each marker's place for the bar's width now (time alone while it has none). */
  private place(): void {
    const width = this.el.bar.clientWidth;
    const at = spread(this.times, width > 0 ? (MARKER_GAP_PX / width) * 100 : 0);
    const markers = this.el.bar.children;
    for (let i = 0; i < markers.length && i < at.length; i++) {
      (markers[i] as HTMLElement).style.left = `${at[i]}%`;
    }
  }

  /** Picks the command `step` away from the one picked (the last when none). */
  step(step: number): void {
    const commands = this.markers.filter((e) => e.kind === "command");
    if (commands.length === 0) return;
    const at = this.picked ? commands.indexOf(this.picked) : -1;
    const next = at < 0 ? (step > 0 ? 0 : commands.length - 1) : Math.min(commands.length - 1, Math.max(0, at + step));
    this.actions.pick(commands[next]);
  }

  private showPreview(entry: Entry, marker: HTMLElement): void {
    this.hovering = entry;
    const p = this.el.preview;
    this.el.previewText.textContent = `${clock(entry.at).slice(0, 8)} · ${entry.text}${entry.ok === false ? " · failed" : ""}`;
    p.style.left = marker.style.left;
    p.hidden = false;
    this.el.previewImage.hidden = true;
    this.actions.preview(entry).then(
      (url) => {
        if (this.hovering !== entry || !url) return;
        this.el.previewImage.src = url;
        this.el.previewImage.hidden = false;
      },
      () => {},
    );
  }

  private hidePreview(): void {
    this.hovering = null;
    this.el.preview.hidden = true;
    this.el.previewImage.removeAttribute("src");
  }
}
