// The test desktop (src-tauri/examples/tray_host.rs) from TypeScript: start it on the
// session bus of the test's `dbus-run-session`, wait for the app's icon to register,
// read the menu and click its items as a person would in a desktop panel, see the
// notifications the app shows and answer them, and close a window as its close button
// does.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ROOT } from "./agentBrowser";

export const TRAY_HOST = join(ROOT, "target/debug/examples/tray_host");

export interface MenuEntry {
  id: number;
  label: string;
  enabled: boolean;
  /** Whether a check item is checked; null for plain items. */
  checked: boolean | null;
}

type Line = Record<string, unknown>;

/** A notification the app showed. */
export interface Notice {
  id: number;
  app: string;
  icon: string;
  summary: string;
  body: string;
  /** Action keys and labels, alternating, as the notification service receives them. */
  actions: string[];
}

export class TrayHost {
  private readonly lines: Line[] = [];
  /** Every notification shown so far, oldest first; they come on the app's own time. */
  readonly notices: Notice[] = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly child: ChildProcess) {
    const reader = createInterface({ input: child.stdout! });
    reader.on("line", (text) => {
      try {
        const line = JSON.parse(text) as Line;
        if (line.notified) this.notices.push(line.notified as Notice);
        else this.lines.push(line);
      } catch {
        this.lines.push({ error: `not JSON: ${text}` });
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Starts the host; resolves once it owns the watcher's name. */
  static async start(): Promise<TrayHost> {
    const child = spawn(TRAY_HOST, [], { stdio: ["pipe", "pipe", "inherit"] });
    const host = new TrayHost(child);
    await host.next((line) => line.ready === true, 10_000, "the tray host did not start");
    return host;
  }

  /** Waits for a line that `match` accepts, taking it and every line before it. */
  private async next(match: (line: Line) => boolean, timeoutMs: number, failure: string): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.lines.findIndex(match);
      if (at >= 0) return this.lines.splice(0, at + 1)[at];
      const left = deadline - Date.now();
      if (left <= 0 || this.child.exitCode !== null) throw new Error(failure);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once an item has registered (the app's tray icon is shown). */
  registered(timeoutMs = 30_000): Promise<Line> {
    return this.next((line) => typeof line.registered === "string", timeoutMs, "no tray item registered");
  }

  private async ask(command: string, key: string): Promise<Line> {
    this.child.stdin!.write(`${command}\n`);
    const line = await this.next((l) => key in l || "error" in l, 10_000, `the tray host did not answer “${command}”`);
    if ("error" in line) throw new Error(`tray host: ${String(line.error)}`);
    return line;
  }

  async menu(): Promise<MenuEntry[]> {
    return (await this.ask("menu", "menu")).menu as MenuEntry[];
  }

  /**
   * Clicks the item labelled `label`. The app redraws its menu on every change, and a
   * redraw between the host's read and its click makes the item's id stale: the click
   * is then made again on the new menu, a few times.
   */
  async click(label: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ask(`click ${label}`, "clicked");
        return;
      } catch (error) {
        if (attempt >= 5 || !String(error).includes("does not refer to a menu item")) throw error;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  /** Waits for a notification that `match` accepts, among those shown so far and after. */
  async notice(match: (notice: Notice) => boolean, timeoutMs = 30_000): Promise<Notice> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notices.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no such notification; shown: ${this.notices.map((n) => n.summary).join(" | ") || "none"}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Clicks action `key` of notification `id`, as a person does. */
  async act(id: number, key: string): Promise<void> {
    await this.ask(`action ${id} ${key}`, "invoked");
  }

  /** Closes the mapped window of WM_CLASS class `wmClass`, as its close button does. */
  async close(wmClass: string): Promise<void> {
    await this.ask(`close ${wmClass}`, "closed");
  }

  /** Polls the menu until `ready` accepts it; the menu is redrawn on the app's own time. */
  async menuWhere(ready: (menu: MenuEntry[]) => boolean, timeoutMs = 60_000): Promise<MenuEntry[]> {
    const deadline = Date.now() + timeoutMs;
    let menu: MenuEntry[] = [];
    while (Date.now() < deadline) {
      try {
        menu = await this.menu();
        if (ready(menu)) return menu;
      } catch {
        // No item yet, or it is between menus.
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the tray menu never got there; last: ${menu.map((e) => e.label).join(" | ")}`);
  }

  stop(): void {
    this.child.kill();
  }
}
