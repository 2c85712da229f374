// The timeline bar under the panel: the recorded session as a strip of markers in time,
// commands (failed ones stand out), navigations and console errors. Hovering a marker
// shows the page as it was then and what happened; clicking it shows that moment in the
// panel as the past; Left and Right step from command to command while the bar has focus.
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

export class TimelineBar {
  private markers: Entry[] = [];
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
  }

  render(entries: Entry[], picked: Entry | null): void {
    this.markers = marked(entries);
    this.picked = picked;
    const first = this.markers[0]?.at ?? 0;
    const last = this.markers[this.markers.length - 1]?.at ?? 0;
    const items = this.markers.map((e, i) => {
      const m = document.createElement("span");
      m.className = "marker";
      m.dataset.index = String(i);
      m.dataset.kind = e.kind;
      m.dataset.ok = String(e.ok);
      m.dataset.testid = "timeline-marker";
      m.style.left = `${position(e.at, first, last)}%`;
      if (e === picked) m.setAttribute("aria-current", "true");
      return m;
    });
    this.el.bar.replaceChildren(...items);
    this.el.bar.setAttribute("aria-valuetext", picked ? `${picked.text} at ${clock(picked.at)}` : "live");
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
