// The Activity and Console lists under the panel: what the agent did to the page, and
// what the page said, as the timeline recorded them (see porthole_core::timeline).
//
// Activity lists every command with its result and how long it took; failed ones stand
// out. Console lists the page's console messages and errors, and can show errors only.
// The lists start from what was recorded before (the `timeline` command) and grow with
// each `timeline-entry` event. Closed, they take no room from the page; the toggle
// button in the toolbar opens them.
//
// "Save timeline…" writes the whole recorded timeline as one HTML page in the downloads
// folder; "Clear history" empties it, after a second click to confirm.
//
// Each entry jumps to its moment: clicking it (or stepping with the arrow keys while the
// list has focus) asks for the page as it was then, which the panel shows as the past.
//
// Usage: `const log = new ActivityLog(elements, actions); log.reload(); log.add(entry);`
import type { Entry } from "../generated/Entry";

export type View = "activity" | "console";

export interface ActivityElements {
  root: HTMLElement;
  toggle: HTMLButtonElement;
  activityTab: HTMLButtonElement;
  consoleTab: HTMLButtonElement;
  errorsOnly: HTMLInputElement;
  list: HTMLOListElement;
  empty: HTMLElement;
  save: HTMLButtonElement;
  clear: HTMLButtonElement;
}

export interface ActivityActions {
  /** The person picked an entry: show its moment. */
  pick(entry: Entry): void;
  /** The recorded entries, oldest first. */
  fetch(): Promise<Entry[]>;
  /** Writes the timeline as a page; its path. */
  save(): Promise<string>;
  /** Forgets the recorded timeline. */
  clear(): Promise<void>;
  /** Says something to the person (the panel's notice). */
  notify(text: string, kind?: "info" | "error"): void;
  describe(error: unknown): string;
}

/** How long "Clear history" waits for its confirming click. */
export const CONFIRM_MS = 4_000;

/** The most entries kept in the window; the file keeps them all. */
export const MAX_SHOWN = 2_000;

const key = (e: Entry) => `${e.at}|${e.kind}|${e.action ?? ""}|${e.text}`;

/** Inserts `entry` in time order unless it is there already; says whether it was added. */
export function merge(list: Entry[], entry: Entry): boolean {
  const k = key(entry);
  let i = list.length;
  while (i > 0 && list[i - 1].at > entry.at) i--;
  for (let j = i - 1; j >= 0 && list[j].at === entry.at; j--) if (key(list[j]) === k) return false;
  list.splice(i, 0, entry);
  if (list.length > MAX_SHOWN) list.splice(0, list.length - MAX_SHOWN);
  return true;
}

/** The entries a view lists, oldest first. */
export function visible(list: Entry[], view: View, errorsOnly: boolean): Entry[] {
  if (view === "activity") return list.filter((e) => e.kind === "command" || e.kind === "navigation" || e.kind === "tab");
  return list.filter((e) => (e.kind === "console" || e.kind === "error") && (!errorsOnly || e.ok === false));
}

/** `14:03:07.250`, local time. */
export function clock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

/** What the result column says. */
export function result(e: Entry): string {
  if (e.kind === "command") {
    if (e.ok === null) return "never finished";
    const took = e.durationMs == null ? "" : ` · ${Math.round(e.durationMs)} ms`;
    return (e.ok ? "ok" : "failed") + took;
  }
  if (e.kind === "console") return e.action ?? "log";
  if (e.kind === "error") return "error";
  return e.kind;
}

export class ActivityLog {
  private entries: Entry[] = [];
  private view: View = "activity";
  private generation = 0;
  private confirming: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly el: ActivityElements,
    private readonly actions: ActivityActions,
  ) {
    el.toggle.addEventListener("click", () => this.setOpen(el.root.hidden));
    el.save.addEventListener("click", () => {
      actions.save().then(
        (path) => actions.notify(`Timeline saved to ${path}`),
        (error) => actions.notify(actions.describe(error), "error"),
      );
    });
    el.clear.addEventListener("click", () => this.clearClicked());
    el.activityTab.addEventListener("click", () => this.show("activity"));
    el.consoleTab.addEventListener("click", () => this.show("console"));
    el.errorsOnly.addEventListener("change", () => this.render());
    el.list.tabIndex = 0;
    el.list.addEventListener("click", (e) => {
      const li = (e.target as Element).closest("li");
      const index = li ? [...el.list.children].indexOf(li) : -1;
      if (index >= 0) this.pickAt(index);
    });
    el.list.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
      if (step === 0) return;
      e.preventDefault();
      this.step(step);
    });
    this.show("activity");
    this.setOpen(false);
  }

  /** Opens or closes the lists. */
  setOpen(open: boolean): void {
    this.el.root.hidden = !open;
    this.el.toggle.setAttribute("aria-pressed", String(open));
    if (open) this.render();
  }

  /** Reads the recorded list again (another session on screen, or entries missed). */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const fetched = await this.actions.fetch().catch(() => [] as Entry[]);
    if (generation !== this.generation) return;
    const arrived = this.entries;
    this.entries = [];
    for (const e of fetched) merge(this.entries, e);
    // What came by event while the list was read stays.
    for (const e of arrived) merge(this.entries, e);
    this.render();
  }

  /** Nothing on screen: the lists are emptied. */
  clear(): void {
    this.generation++;
    this.entries = [];
    this.render();
  }

  private clearClicked(): void {
    if (this.confirming === null) {
      this.el.clear.textContent = "Clear all?";
      this.confirming = setTimeout(() => this.endConfirm(), CONFIRM_MS);
      return;
    }
    this.endConfirm();
    this.actions.clear().then(
      () => this.clear(),
      (error) => this.actions.notify(this.actions.describe(error), "error"),
    );
  }

  private endConfirm(): void {
    if (this.confirming !== null) clearTimeout(this.confirming);
    this.confirming = null;
    this.el.clear.textContent = "Clear history";
  }

  add(entry: Entry): void {
    if (merge(this.entries, entry)) this.render();
  }

  /** The entry picked last, as listed now. */
  private picked: Entry | null = null;

  /** Picks the entry `step` away from the one picked (the first or last when none). */
  step(step: number): void {
    const shown = visible(this.entries, this.view, this.el.errorsOnly.checked);
    if (shown.length === 0) return;
    const at = this.picked ? shown.indexOf(this.picked) : -1;
    const next = at < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + step));
    this.pickAt(next);
  }

  private renderListeners: Array<(entries: Entry[], picked: Entry | null) => void> = [];

  /** Called with every entry (oldest first) and the pick, whenever either changes. */
  onRender(listener: (entries: Entry[], picked: Entry | null) => void): void {
    this.renderListeners.push(listener);
    listener(this.entries, this.picked);
  }

  /** Picks `entry` (from the timeline bar), showing the list it belongs to. */
  pickEntry(entry: Entry): void {
    const view: View = entry.kind === "console" || entry.kind === "error" ? "console" : "activity";
    if (view !== this.view) this.show(view);
    let index = visible(this.entries, this.view, this.el.errorsOnly.checked).indexOf(entry);
    if (index < 0 && this.el.errorsOnly.checked) {
      this.el.errorsOnly.checked = false;
      this.render();
      index = visible(this.entries, this.view, false).indexOf(entry);
    }
    if (index >= 0) this.pickAt(index);
  }

  private pickAt(index: number): void {
    const entry = visible(this.entries, this.view, this.el.errorsOnly.checked)[index];
    if (!entry) return;
    this.picked = entry;
    this.markPicked();
    this.el.list.children[index]?.scrollIntoView({ block: "nearest" });
    this.actions.pick(entry);
  }

  /** Forgets the pick (back to live). */
  unpick(): void {
    this.picked = null;
    this.markPicked();
  }

  private markPicked(): void {
    const shown = visible(this.entries, this.view, this.el.errorsOnly.checked);
    [...this.el.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(shown[i] === this.picked)));
    for (const l of this.renderListeners) l(this.entries, this.picked);
  }

  private show(view: View): void {
    this.view = view;
    this.el.activityTab.setAttribute("aria-selected", String(view === "activity"));
    this.el.consoleTab.setAttribute("aria-selected", String(view === "console"));
    this.el.errorsOnly.parentElement?.toggleAttribute("hidden", view !== "console");
    this.render();
  }

  private render(): void {
    for (const l of this.renderListeners) l(this.entries, this.picked);
    const errors = this.entries.filter((e) => e.kind === "error" || (e.kind === "console" && e.ok === false)).length;
    this.el.consoleTab.textContent = errors > 0 ? `Console (${errors} ${errors === 1 ? "error" : "errors"})` : "Console";
    if (this.el.root.hidden) return;
    const shown = visible(this.entries, this.view, this.el.errorsOnly.checked);
    const items = shown.map((e) => {
      const li = document.createElement("li");
      li.className = "entry";
      li.dataset.kind = e.kind;
      li.dataset.ok = String(e.ok);
      li.dataset.testid = "activity-entry";
      const time = document.createElement("time");
      time.dateTime = new Date(e.at).toISOString();
      time.textContent = clock(e.at);
      const text = document.createElement("span");
      text.className = "entry-text";
      text.textContent = e.text;
      const outcome = document.createElement("span");
      outcome.className = "entry-result";
      outcome.textContent = result(e);
      li.append(time, text, outcome);
      return li;
    });
    this.el.list.replaceChildren(...items);
    this.markPicked();
    this.el.empty.hidden = items.length > 0;
    this.el.empty.textContent =
      this.view === "activity"
        ? "Nothing recorded yet: the agent's commands show here as it gives them."
        : "The page has said nothing in its console.";
    if (!this.picked) this.el.list.lastElementChild?.scrollIntoView({ block: "nearest" });
  }
}
