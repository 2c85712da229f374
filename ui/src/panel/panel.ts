// The Browser panel. Until a session is attached it explains what it is waiting for.
import type { Report } from "../ipc";

export function renderPanel(badge: HTMLElement, message: HTMLElement, report: Report | null): void {
  badge.dataset.state = "none";
  badge.textContent = "No session";
  const title = document.createElement("h2");
  const body = document.createElement("p");
  const live = report?.current.filter((s) => s.status !== "stale") ?? [];
  if (live.length === 0) {
    title.textContent = "Waiting for the agent's browser";
    body.textContent =
      "When your agent opens a browser with agent-browser in this workspace, it shows up here.";
  } else {
    const names = live.map((s) => s.name).join(", ");
    title.textContent = live.length === 1 ? `Session ${names} found` : `${live.length} sessions found`;
    body.textContent = `The live view of ${names} is not available in this version yet; the session list on the left stays current.`;
  }
  message.replaceChildren(title, body);
}
