// The sidebar's footer: which Porthole this is and, on hover, where its logs are, for
// a person reporting a problem.
//
// Usage: `renderAbout(footer, info)`, once at start.
import type { AppInfo } from "../ipc";

export function renderAbout(el: HTMLElement, info: Pick<AppInfo, "version" | "logDir">): void {
  el.textContent = `Porthole ${info.version}`;
  if (info.logDir) el.title = `Logs: ${info.logDir}`;
}
