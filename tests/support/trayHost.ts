// The test tray host (src-tauri/examples/tray_host.rs) from TypeScript: start it on the
// session bus of the test's `dbus-run-session`, wait for the app's icon to register,
// read the menu and click its items as a person would in a desktop panel.
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

export class TrayHost {
  private readonly lines: Line[] = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly child: ChildProcess) {
    const reader = createInterface({ input: child.stdout! });
    reader.on("line", (text) => {
      try {
        this.lines.push(JSON.parse(text) as Line);
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

  async click(label: string): Promise<void> {
    await this.ask(`click ${label}`, "clicked");
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
