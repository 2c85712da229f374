// Watch only: the header toggle that keeps the person's mouse and keys from the page, to
// watch an agent work without getting in its way. The viewport shows it (class
// `locked`), and the choice is remembered per workspace in localStorage.
//
// Usage: `new WatchOnly(button, viewport, localStorage, workspace)`; ask `on` before
// letting input through, call `switchTo` when another workspace opens, and `onChange`
// to follow every change, from a click or from another workspace's choice.

/** The localStorage key of a workspace's choice ("1" on, "0" off). */
export function watchOnlyKey(workspace: string): string {
  return `porthole.watchOnly:${workspace}`;
}

export class WatchOnly {
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly button: HTMLButtonElement,
    private readonly viewport: HTMLElement,
    private readonly storage: Pick<Storage, "getItem" | "setItem">,
    private workspace: string,
  ) {
    this.set(this.remembered());
    button.addEventListener("click", () => this.set(!this.on));
  }

  /** Whether input is kept from the page. */
  get on(): boolean {
    return this.button.getAttribute("aria-pressed") === "true";
  }

  /** Another workspace is open: takes up the choice remembered for it. */
  switchTo(workspace: string): void {
    this.workspace = workspace;
    this.set(this.remembered());
  }

  /** Calls `listener` after watch only turned on or off, by a click or a workspace switch. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private remembered(): boolean {
    return this.storage.getItem(watchOnlyKey(this.workspace)) === "1";
  }

  private set(on: boolean): void {
    const changed = on !== this.on;
    this.button.setAttribute("aria-pressed", String(on));
    this.viewport.classList.toggle("locked", on);
    this.storage.setItem(watchOnlyKey(this.workspace), on ? "1" : "0");
    if (changed) for (const listener of this.listeners) listener();
  }
}
