// A browser with DevTools open, started as Puppeteer or a person starts one: Debian's
// Chromium (or agent-browser's, from AGENT_BROWSER_EXECUTABLE_PATH), headless, in a
// directory of its own with its profile there.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";

/** Starts Chromium in `cwd` on `url`, DevTools on `port` (0: its own choice, written to
 * profile/DevToolsActivePort); `extra` arguments come before the URL. */
export function startChromium(cwd: string, port: number, url: string, extra: string[] = []): ChildProcess {
  mkdirSync(cwd, { recursive: true });
  return spawn(
    process.env.AGENT_BROWSER_EXECUTABLE_PATH ?? "/usr/bin/chromium",
    [
      "--headless=new",
      "--no-sandbox",
      "--no-first-run",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--remote-debugging-port=${port}`,
      "--user-data-dir=profile",
      ...extra,
      url,
    ],
    { cwd, stdio: "ignore" },
  );
}
