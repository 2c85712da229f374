import "./styles.css";
import {
  appInfo,
  attach,
  currentAttachment,
  errorMessage,
  framePainted,
  listSessions,
  onAttachState,
  onFrame,
  onPageInfo,
  onSessionsChanged,
  type AttachEvent,
  type Report,
} from "./ipc";
import { installSplit } from "./layout/split";
import { Painter } from "./panel/painter";
import { renderAttach, renderIdle, renderPage, renderReadout, type PanelElements } from "./panel/panel";
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
  const panel: PanelElements = {
    session: byTestId("panel-session"),
    title: byTestId("page-title"),
    url: byTestId("page-url"),
    readout: byTestId("readout"),
    badge: byTestId("panel-badge"),
    screen: byTestId<HTMLCanvasElement>("screen"),
    message: byTestId("panel-message"),
  };
  let report: Report | null = null;
  let attached: AttachEvent | null = null;

  const choose = (sessionId: string) => {
    attach(sessionId).catch((error) => renderError(sessions, errorMessage(error)));
  };
  const actions = { retry: choose };
  const painter = new Painter(panel.screen, (seq) => {
    framePainted(seq).catch(() => undefined);
    if (attached?.state.state === "live") panel.screen.hidden = false;
  });
  const showSessions = (next: Report) => {
    report = next;
    renderSessions(sessions, next, attached?.session.id ?? null, choose);
    if (!attached) renderIdle(panel, next);
  };
  const showAttach = (event: AttachEvent) => {
    if (attached?.session.id !== event.session.id) painter.clear();
    attached = event;
    renderAttach(panel, event, actions);
    renderPage(panel, event.page);
    if (report) renderSessions(sessions, report, event.session.id, choose);
  };

  renderIdle(panel, null);
  await onSessionsChanged(showSessions);
  await onAttachState(showAttach);
  await onPageInfo((page) => renderPage(panel, page));
  await onFrame((frame) => painter.push(frame));
  window.setInterval(() => {
    if (attached?.state.state === "live") {
      const { fps, latencyMs } = painter.stats();
      renderReadout(panel, fps, latencyMs);
    } else if (attached?.state.state === "reconnecting") {
      renderAttach(panel, attached, actions);
    }
  }, 500);

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
    showSessions(await listSessions());
    const current = await currentAttachment();
    if (current) showAttach(current);
  } catch (error) {
    renderError(sessions, errorMessage(error));
  }
}

void boot();
