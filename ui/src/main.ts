import "./styles.css";
import { appInfo, errorMessage, listSessions, onSessionsChanged, type Report } from "./ipc";
import { installSplit } from "./layout/split";
import { renderPanel } from "./panel/panel";
import { renderError, renderSessions } from "./sidebar/sessions";

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!node) throw new Error(`the page has no ${id}`);
  return node;
}

async function boot(): Promise<void> {
  const app = document.getElementById("app") as HTMLElement;
  installSplit(app, byTestId("splitter"), window.localStorage);

  const sessions = byTestId("sessions");
  const badge = byTestId("panel-badge");
  const message = byTestId("panel-message");
  const show = (report: Report) => {
    renderSessions(sessions, report);
    renderPanel(badge, message, report);
  };
  renderPanel(badge, message, null);

  await onSessionsChanged(show);
  try {
    const info = await appInfo();
    const name = info.workspace.split("/").filter(Boolean).pop() ?? info.workspace;
    byTestId("workspace-name").textContent = name;
    const path = byTestId("workspace-path");
    // The path is ellipsised at its start (direction: rtl); the marks keep its slashes
    // where they belong.
    path.textContent = `\u200e${info.workspace}\u200e`;
    path.title = info.workspace;
    const about = byTestId("about");
    about.textContent = `Porthole ${info.version}`;
    if (info.logDir) about.title = `Logs: ${info.logDir}`;
    show(await listSessions());
  } catch (error) {
    renderError(sessions, errorMessage(error));
  }
}

void boot();
