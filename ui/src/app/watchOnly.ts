// Watch only: the header toggle that keeps the person's mouse and keys from the page, to
// watch an agent work without getting in its way. The viewport shows it (class
// `locked`), and the choice is remembered per workspace in localStorage.
//
// Usage: `new WatchOnly(button, viewport, localStorage, workspace)`; ask `on` before
// letting input through, call `switchTo` when another workspace opens, and `onToggle`
// to follow the person's clicks.

/** The localStorage key of a workspace's choice ("1" on, "0" off). */
export function watchOnlyKey(workspace: string): string {
  return `porthole.watchOnly:${workspace}`;
}

export class WatchOnly {
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

  /** Calls `listener` after each click has turned watch only on or off. */
  onToggle(listener: () => void): void {
    this.button.addEventListener("click", listener);
  }

  private remembered(): boolean {
    return this.storage.getItem(watchOnlyKey(this.workspace)) === "1";
  }

  private set(on: boolean): void {
    this.button.setAttribute("aria-pressed", String(on));
    this.viewport.classList.toggle("locked", on);
    this.storage.setItem(watchOnlyKey(this.workspace), on ? "1" : "0");
  }
}
