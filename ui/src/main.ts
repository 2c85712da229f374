import "./styles.css";
import { setupConnect } from "./sidebar/connect";
import { ActivityLog, clock } from "./panel/activity";
import { PastView } from "./panel/past";
import { TimelineBar } from "./panel/timelineBar";
import { appInfo, connect, copyScreenshot, defaultSessionName, errorMessage, onNewBrowser, openBrowser, setNotifyNewBrowser, setRecordTimeline, setRecordWhileHidden, setStartAtLogin, navigate, onAttachState, onDetached, onTimelineEntry, openExternal, saveScreenshot, sendInput, timeline, timelineStill, saveTimeline, clearTimeline, type AppInfo, type Entry } from "./ipc";
import { renderAbout } from "./app/about";
import { installToggle } from "./app/toggle";
import { installCompact } from "./app/compact";
import { installShortcuts } from "./app/shortcuts";
import { openedHint, setupNewBrowser } from "./sidebar/newBrowser";
import { AppState, follow, framePainter } from "./app/state";
import { WatchOnly } from "./app/watchOnly";
import { installWorkspace } from "./app/workspace";
import { installSplit } from "./layout/split";
import type { PanelElements } from "./panel/panel";
import { Toolbar } from "./panel/toolbar";
import { installViewport } from "./panel/viewport";
import { renderError } from "./sidebar/sessions";

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!node) throw new Error(`the page has no ${id}`);
  return node;
}

async function boot(): Promise<void> {
  const app = document.getElementById("app") as HTMLElement;
  const split = installSplit(app, byTestId("splitter"), byTestId<HTMLButtonElement>("sidebar-toggle"), window.localStorage);

  const sessions = byTestId("sessions");
  const showError = (error: unknown) => renderError(sessions, errorMessage(error));
  const panel: PanelElements = {
    session: byTestId("panel-session"),
    title: byTestId("page-title"),
    activity: byTestId("agent-activity"),
    readout: byTestId("readout"),
    badge: byTestId("panel-badge"),
    screen: byTestId<HTMLCanvasElement>("screen"),
    message: byTestId("panel-message"),
  };
  const viewport = byTestId("viewport");
  const info = await appInfo();

  const state = new AppState();
  const painter = framePainter(state, panel.screen, info.transport);
  const watchOnly = new WatchOnly(byTestId<HTMLButtonElement>("lock"), viewport, window.localStorage, info.workspace);
  const past = new PastView({
    root: byTestId("past"),
    image: byTestId<HTMLImageElement>("past-image"),
    caption: byTestId("past-caption"),
    back: byTestId<HTMLButtonElement>("back-to-live"),
  });
  // While a past moment is shown, nothing reaches the page.
  const drivable = () => state.live && !watchOnly.on && !past.shown;
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
  watchOnly.onChange(() => toolbar.setEnabled(drivable()));
  past.onChange(() => toolbar.setEnabled(drivable()));
  const keys = byTestId<HTMLTextAreaElement>("keys");
  installShortcuts(document, () => document.activeElement === keys, {
    address: () => {
      const url = byTestId<HTMLInputElement>("url-field");
      url.focus();
      url.select();
    },
    reload: () => byTestId<HTMLButtonElement>("nav-reload").click(),
    sidebar: () => split.toggle(),
    compact: () => byTestId<HTMLButtonElement>("compact").click(),
    watchOnly: () => byTestId<HTMLButtonElement>("lock").click(),
  });
  installViewport(viewport, panel.screen, keys, {
    geometry: () => painter.geometry(),
    enabled: drivable,
    send: (input) => {
      sendInput(input).catch((error) => console.warn("input not sent:", errorMessage(error)));
    },
  });

  // A command's moment is the page after it (the still it names, else the first after
  // its end); anything else's, the page as it was then.
  const stillFor = (entry: Entry) => {
    const request: [number, boolean] =
      entry.after != null ? [entry.after, false] : entry.kind === "command" ? [entry.at + (entry.durationMs ?? 0), true] : [entry.at, false];
    return timelineStill(...request);
  };
  const activity = new ActivityLog(
    {
      root: byTestId("activity"),
      toggle: byTestId<HTMLButtonElement>("activity-toggle"),
      activityTab: byTestId<HTMLButtonElement>("activity-tab"),
      consoleTab: byTestId<HTMLButtonElement>("console-tab"),
      errorsOnly: byTestId<HTMLInputElement>("errors-only"),
      list: byTestId<HTMLOListElement>("activity-list"),
      empty: byTestId("activity-empty"),
      save: byTestId<HTMLButtonElement>("timeline-save"),
      clear: byTestId<HTMLButtonElement>("timeline-clear"),
    },
    {
      fetch: timeline,
      pick: (entry) => {
        stillFor(entry).then(
          (url) => {
            if (!url) return toolbar.notify("No picture of the page was recorded for that moment.", "error");
            const when = clock(entry.at).slice(0, 8);
            past.show(url, `${entry.kind === "command" ? "after" : "at"} ${entry.text} · ${when}`);
          },
          (error) => toolbar.notify(errorMessage(error), "error"),
        );
      },
      save: saveTimeline,
      clear: clearTimeline,
      notify: (text, kind) => toolbar.notify(text, kind),
      describe: errorMessage,
    },
  );
  const bar = new TimelineBar(
    {
      bar: byTestId("timeline-bar"),
      preview: byTestId("timeline-preview"),
      previewImage: byTestId<HTMLImageElement>("timeline-preview-image"),
      previewText: byTestId("timeline-preview-text"),
    },
    { pick: (entry) => activity.pickEntry(entry), preview: stillFor },
  );
  const activityRoot = byTestId("activity");
  activity.onRender((entries, picked) => {
    if (!activityRoot.hidden) bar.render(entries, picked);
  });
  let recordedSession: string | null = null;
  await onAttachState((event) => {
    if (event.session.id === recordedSession) return;
    recordedSession = event.session.id;
    past.hide();
    void activity.reload();
  });
  await onDetached(() => {
    recordedSession = null;
    activity.clear();
    past.hide();
  });
  past.onChange((shown) => {
    // The page on show is not live while a past moment covers it: no "Live" beside it.
    panel.badge.hidden = shown;
    panel.readout.hidden = shown;
    if (!shown) activity.unpick();
  });
  await onTimelineEntry((entry) => (entry ? activity.add(entry) : void activity.reload()));

  const renderWorkspace = installWorkspace(
    {
      name: byTestId("workspace-name"),
      path: byTestId("workspace-path"),
      recent: byTestId("recent"),
      open: byTestId<HTMLButtonElement>("open-workspace"),
    },
    showError,
  );
  const showWorkspace = (next: AppInfo) => {
    renderWorkspace(next);
    watchOnly.switchTo(next.workspace);
  };
  setupConnect(
    {
      details: byTestId<HTMLDetailsElement>("connect"),
      form: byTestId<HTMLFormElement>("connect-form"),
      address: byTestId<HTMLInputElement>("connect-address"),
      submit: byTestId<HTMLButtonElement>("connect-submit"),
      error: byTestId("connect-error"),
    },
    (address) => connect(address),
    errorMessage,
  );
  const newBrowser = setupNewBrowser(
    {
      details: byTestId<HTMLDetailsElement>("new-browser"),
      form: byTestId<HTMLFormElement>("new-browser-form"),
      name: byTestId<HTMLInputElement>("new-browser-name"),
      url: byTestId<HTMLInputElement>("new-browser-url"),
      submit: byTestId<HTMLButtonElement>("new-browser-submit"),
      error: byTestId("new-browser-error"),
      force: byTestId<HTMLButtonElement>("new-browser-force"),
    },
    {
      open: (session, url, force) => openBrowser(session, url, force),
      defaultName: defaultSessionName,
      describe: errorMessage,
      opened: (opened) => toolbar.notify(openedHint(opened)),
    },
  );
  installCompact(byTestId<HTMLButtonElement>("compact"), app, info.compact, showError);
  installToggle(byTestId<HTMLInputElement>("start-at-login"), info.startAtLogin, setStartAtLogin, showError);
  installToggle(byTestId<HTMLInputElement>("notify-new-browser"), info.notifyNewBrowser, setNotifyNewBrowser, showError);
  installToggle(byTestId<HTMLInputElement>("record-timeline"), info.recordTimeline, setRecordTimeline, showError);
  installToggle(byTestId<HTMLInputElement>("record-while-hidden"), info.recordWhileHidden, setRecordWhileHidden, showError);
  renderAbout(byTestId("about"), info);

  const openNewBrowser = () => {
    if (app.classList.contains("sidebar-collapsed")) split.toggle();
    newBrowser.show();
  };
  await onNewBrowser(openNewBrowser);
  await follow(state, { sessions, panel, painter, toolbar, showWorkspace, newBrowser: openNewBrowser }, info);
}

void boot();
