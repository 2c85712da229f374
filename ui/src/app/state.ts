// What the window knows of the agent's sessions, kept up to date by the app's events:
// the last sessions report (the sidebar's list) and the attachment on show (the Browser
// panel, its canvas and its toolbar). `follow` listens before it fetches what the app
// knows already, so nothing the app sends in between is lost.
//
// Usage: create an AppState, build the painter with `framePainter(state, …)`, let what
// may drive the page ask `state.live`, then `await follow(state, views, info)`.
import {
  attach,
  copyText,
  currentAttachment,
  errorMessage,
  framePainted,
  frameShown,
  setFrameSize,
  listSessions,
  onAttachState,
  onDetached,
  onFrame,
  onFrameReady,
  onPageInfo,
  onSessionsChanged,
  onWorkspaceChanged,
  registerFrameChannel,
  requestFrame,
  type AppInfo,
  type AttachEvent,
  type PageInfo,
  type Report,
} from "../ipc";
import type { Transport } from "../generated/Transport";
import { Painter } from "../panel/painter";
import { renderAttach, renderIdle, renderReadout, setPage, type PanelElements } from "../panel/panel";
import type { Toolbar } from "../panel/toolbar";
import { loaderFor } from "../panel/transport";
import { renderError, renderSessions, showAttachedTitle } from "../sidebar/sessions";
import { Ticker } from "./ticker";

/**
 * How often the readout (fps, latency) and a reconnect countdown are redrawn while they
 * change: painted frames and a reconnecting state start the redraw, and it stops once the
 * readout reads 0 fps and no countdown runs.
 */
const TICK_MS = 500;

export class AppState {
  /** The last sessions report; null before the first. */
  report: Report | null = null;
  /** The attachment on show; null when there is none. */
  attached: AttachEvent | null = null;

  /** Whether the attached session's page is Live. */
  get live(): boolean {
    return this.attached?.state.state === "live";
  }
}

/** Where the state is drawn. */
export interface StateViews {
  /** The sidebar's sessions list; failures are said there too. */
  sessions: HTMLElement;
  panel: PanelElements;
  painter: Painter;
  toolbar: Toolbar;
  /** Draws the open workspace: at start, and whenever it changes. */
  showWorkspace(info: AppInfo): void;
  /** Opens the "New browser…" form (offered where no browser runs yet). */
  newBrowser(): void;
}

/** Paints the attached session's frames; acks each painted frame, and shows the canvas once Live. */
export function framePainter(state: AppState, screen: HTMLCanvasElement, transport: Transport): Painter {
  return new Painter(
    screen,
    loaderFor(transport, registerFrameChannel),
    (seq) => {
      framePainted(seq).catch(() => undefined);
      if (state.live) screen.hidden = false;
    },
    (size) => setFrameSize(size).catch(() => undefined),
    () =>
      frameShown().then(
        (shown) => {
          if (state.live) screen.hidden = false;
          return shown;
        },
        () => null,
      ),
  );
}

/**
 * Follows the app's events, then draws what the app knew before: the workspace in `info`,
 * the sessions, and the attachment if there is one.
 */
export async function follow(state: AppState, views: StateViews, info: AppInfo): Promise<void> {
  const { sessions, panel, painter, toolbar } = views;
  const showError = (error: unknown) => renderError(sessions, errorMessage(error));
  const choose = (sessionId: string) => {
    attach(sessionId).catch(showError);
  };
  const actions = { retry: choose };

  let pageTitle = "";
  const showSessions = (next: Report) => {
    state.report = next;
    renderSessions(sessions, next, state.attached?.session.id ?? null, choose, views.newBrowser);
    showAttachedTitle(sessions, pageTitle);
    if (!state.attached) renderIdle(panel, next, copyText, views.newBrowser);
  };
  const showPage = (page: PageInfo) => {
    setPage(panel, page);
    toolbar.render(page);
    pageTitle = page.title;
    showAttachedTitle(sessions, pageTitle);
  };
  const tick = new Ticker(TICK_MS, () => {
    if (state.live) {
      const { fps, latencyMs } = painter.stats();
      renderReadout(panel, fps, latencyMs);
      return fps > 0;
    }
    if (state.attached?.state.state === "reconnecting") {
      renderAttach(panel, state.attached, actions);
      return true;
    }
    return false;
  });
  painter.onPaint(() => tick.start());
  const showAttach = (event: AttachEvent) => {
    if (state.attached?.session.id !== event.session.id) painter.clear();
    state.attached = event;
    renderAttach(panel, event, actions);
    if (event.state.state === "reconnecting") tick.start();
    showPage(event.page);
    if (state.report) {
      renderSessions(sessions, state.report, event.session.id, choose, views.newBrowser);
      showAttachedTitle(sessions, pageTitle);
    }
  };
  const showDetached = () => {
    state.attached = null;
    painter.clear();
    toolbar.render(null);
    renderIdle(panel, state.report, copyText, views.newBrowser);
    if (state.report) renderSessions(sessions, state.report, null, choose, views.newBrowser);
  };

  renderIdle(panel, null);
  await onWorkspaceChanged(views.showWorkspace);
  await onDetached(showDetached);
  await onSessionsChanged(showSessions);
  await onAttachState(showAttach);
  await onPageInfo(showPage);
  await onFrame((frame) => painter.push(frame));
  await onFrameReady(() => painter.push(null));

  try {
    views.showWorkspace(info);
    showSessions(await listSessions());
    const current = await currentAttachment();
    if (current) {
      showAttach(current);
      // The newest frame may have been sent before this page listened.
      await requestFrame();
    }
  } catch (error) {
    showError(error);
  }
}
