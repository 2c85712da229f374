import "./styles.css";
import {
  appInfo,
  attach,
  currentAttachment,
  errorMessage,
  framePainted,
  listSessions,
  navigate,
  openExternal,
  openWorkspace,
  pickWorkspace,
  registerFrameChannel,
  saveScreenshot,
  copyScreenshot,
  requestFrame,
  sendInput,
  setCompact,
  onAttachState,
  onDetached,
  onWorkspaceChanged,
  onFrame,
  onPageInfo,
  onSessionsChanged,
  type AppInfo,
  type AttachEvent,
  type Report,
} from "./ipc";
import { installSplit } from "./layout/split";
import { Painter } from "./panel/painter";
import { loaderFor } from "./panel/transport";
import { installViewport } from "./panel/viewport";
import { Toolbar } from "./panel/toolbar";
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
    activity: byTestId("agent-activity"),
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
  const info = await appInfo();
  const painter = new Painter(panel.screen, loaderFor(info.transport, registerFrameChannel), (seq) => {
    framePainted(seq).catch(() => undefined);
    if (attached?.state.state === "live") panel.screen.hidden = false;
  });
  // Watch only: remembered per workspace.
  let workspace = info.workspace;
  const lock = byTestId<HTMLButtonElement>("lock");
  const lockKey = () => `porthole.watchOnly:${workspace}`;
  const setLocked = (locked: boolean) => {
    lock.setAttribute("aria-pressed", String(locked));
    byTestId("viewport").classList.toggle("locked", locked);
    window.localStorage.setItem(lockKey(), locked ? "1" : "0");
  };
  setLocked(window.localStorage.getItem(lockKey()) === "1");
  lock.addEventListener("click", () => setLocked(lock.getAttribute("aria-pressed") !== "true"));
  const drivable = () => attached?.state.state === "live" && lock.getAttribute("aria-pressed") !== "true";
  const toolbar = new Toolbar(
    {
      back: byTestId<HTMLButtonElement>("nav-back"),
      forward: byTestId<HTMLButtonElement>("nav-forward"),
      reload: byTestId<HTMLButtonElement>("nav-reload"),
      form: byTestId<HTMLFormElement>("url-form"),
      url: byTestId<HTMLInputElement>("url-field"),
      loading: byTestId("loading"),
      external: byTestId<HTMLButtonElement>("open-external"),
      shot: byTestId<HTMLButtonElement>("screenshot"),
      shotFormat: byTestId<HTMLSelectElement>("screenshot-format"),
      notice: byTestId("notice"),
      tabs: byTestId("tabs"),
    },
    {
      navigate,
      openExternal,
      saveScreenshot,
      copyScreenshot,
      enabled: drivable,
      describe: errorMessage,
    },
  );
  lock.addEventListener("click", () => toolbar.setEnabled(drivable()));
  installViewport(byTestId("viewport"), panel.screen, byTestId<HTMLTextAreaElement>("keys"), {
    geometry: () => painter.geometry(),
    enabled: drivable,
    send: (input) => {
      sendInput(input).catch((error) => console.warn("input not sent:", errorMessage(error)));
    },
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
    toolbar.render(event.page);
    if (report) renderSessions(sessions, report, event.session.id, choose);
  };

  const showWorkspace = (next: AppInfo) => {
    workspace = next.workspace;
    const name = next.workspace.split("/").filter(Boolean).pop() ?? next.workspace;
    byTestId("workspace-name").textContent = name;
    const path = byTestId("workspace-path");
    // The path is ellipsised at its start (direction: rtl); the marks keep its slashes
    // where they belong.
    path.textContent = `\u200e${next.workspace}\u200e`;
    path.title = next.workspace;
    setLocked(window.localStorage.getItem(lockKey()) === "1");
    renderRecent(next);
  };
  const recent = byTestId("recent");
  const renderRecent = (next: AppInfo) => {
    const others = next.recent.filter((w) => w !== next.workspace);
    if (others.length === 0) return recent.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = "Recent workspaces";
    const buttons = others.map((w) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.testid = "recent-workspace";
      b.textContent = `\u200e${w}\u200e`;
      b.title = `Open ${w}`;
      b.addEventListener("click", () => openWorkspace(w).catch((error) => renderError(sessions, errorMessage(error))));
      return b;
    });
    recent.replaceChildren(heading, ...buttons);
  };
  byTestId("open-workspace").addEventListener("click", () => void pickWorkspace());
  const compact = byTestId<HTMLButtonElement>("compact");
  compact.setAttribute("aria-pressed", String(info.compact));
  app.classList.toggle("compact", info.compact);
  const showCompact = (on: boolean) => {
    compact.setAttribute("aria-pressed", String(on));
    app.classList.toggle("compact", on);
  };
  compact.addEventListener("click", () => {
    const on = compact.getAttribute("aria-pressed") !== "true";
    // The layout changes on the side where the window is larger: the sidebar goes
    // before the window shrinks, and comes back once the window has grown again.
    if (on) showCompact(true);
    setCompact(on)
      .then(() => showCompact(on))
      .catch((error) => {
        showCompact(!on);
        renderError(sessions, errorMessage(error));
      });
  });
  const showDetached = () => {
    attached = null;
    painter.clear();
    toolbar.render(null);
    renderIdle(panel, report);
    if (report) renderSessions(sessions, report, null, choose);
  };

  renderIdle(panel, null);
  await onWorkspaceChanged(showWorkspace);
  await onDetached(showDetached);
  await onSessionsChanged(showSessions);
  await onAttachState(showAttach);
  await onPageInfo((page) => {
    renderPage(panel, page);
    toolbar.render(page);
  });
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
    showWorkspace(info);
    const about = byTestId("about");
    about.textContent = `Porthole ${info.version}`;
    if (info.logDir) about.title = `Logs: ${info.logDir}`;
    showSessions(await listSessions());
    const current = await currentAttachment();
    if (current) {
      showAttach(current);
      // The newest frame may have been sent before this page listened.
      await requestFrame();
    }
  } catch (error) {
    renderError(sessions, errorMessage(error));
  }
}

void boot();
