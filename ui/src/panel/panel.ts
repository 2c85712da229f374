// The Browser panel: what it says in each state of the attachment, the header (session,
// page title and URL, a live readout, the status badge), and the canvas the painter
// draws on.
import type { AgentCommand } from "../generated/AgentCommand";
import type { AttachEvent } from "../generated/AttachEvent";
import type { AttachState } from "../generated/AttachState";
import type { PageInfo } from "../generated/PageInfo";
import type { ErrorCode } from "../generated/ErrorCode";
import { canAttach, errorMessage, type Report } from "../ipc";

export interface PanelElements {
  session: HTMLElement;
  title: HTMLElement;
  /** The last command the browser was given, and how it went. */
  activity: HTMLElement;
  readout: HTMLElement;
  badge: HTMLElement;
  screen: HTMLCanvasElement;
  message: HTMLElement;
}

export interface PanelActions {
  retry(sessionId: string): void;
}

const BADGE: Record<AttachState["state"] | "none", string> = {
  none: "No session",
  activating: "Activating",
  connecting: "Connecting",
  waiting_for_frame: "Waiting for first frame",
  live: "Live",
  reconnecting: "Reconnecting",
  ended: "Ended",
  failed: "Error",
};

/** Quotes `text` for a POSIX shell when it needs it. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** What a person runs to open a browser in `workspace` the way the agent does. */
export function startCommand(workspace: string): string {
  return `cd ${shellQuote(workspace)} && agent-browser open about:blank`;
}

/** No attachment: say what the panel is waiting for; with no session at all, teach how
 * to start one, the command copyable (`copy` puts text on the clipboard). */
export function renderIdle(
  el: PanelElements,
  report: Report | null,
  copy?: (text: string) => Promise<void>,
  newBrowser?: () => void,
): void {
  setBadge(el, "none");
  el.session.textContent = "Browser";
  setPage(el, null);
  el.readout.textContent = "";
  el.screen.hidden = true;
  const live = report?.current.filter(canAttach) ?? [];
  message(
    el,
    live.length ? "Choose a session" : "Waiting for the agent's browser",
    live.length
      ? "Click a session on the left to watch it here."
      : `When your agent opens a browser in ${report?.workspace ?? "this workspace"}, with agent-browser or with DevTools on a port, it shows up here by itself.`,
  );
  if (!live.length && report && copy) el.message.append(teach(startCommand(report.workspace), copy, newBrowser));
}

function teach(command: string, copy: (text: string) => Promise<void>, newBrowser?: () => void): HTMLElement {
  const box = document.createElement("div");
  box.className = "teach";
  const intro = document.createElement("p");
  intro.textContent = "To open one yourself, run this in a terminal:";
  const code = document.createElement("code");
  code.dataset.testid = "teach-command";
  code.textContent = command;
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.testid = "teach-copy";
  button.textContent = "Copy";
  button.title = "Copy the command";
  button.addEventListener("click", () => {
    copy(command).then(
      () => {
        button.textContent = "Copied";
      },
      (error: unknown) => {
        button.textContent = "Cannot copy";
        button.title = errorMessage(error);
      },
    );
  });
  box.append(intro, code, button);
  if (newBrowser) {
    const start = document.createElement("button");
    start.type = "button";
    start.dataset.testid = "teach-new-browser";
    start.className = "teach-start";
    start.textContent = "New browser…";
    start.title = "Start it from here, to sign in or prepare it before the agent carries on";
    start.addEventListener("click", newBrowser);
    const or = document.createElement("p");
    or.textContent = "Or start it here, sign in, and let the agent carry on in it:";
    box.append(or, start);
  }
  return box;
}

/** An attachment: its state, over the last frame where there is one. */
export function renderAttach(el: PanelElements, event: AttachEvent, actions: PanelActions, now = Date.now()): void {
  const { session, state } = event;
  setBadge(el, state.state);
  el.session.textContent = session.name;
  el.screen.hidden = !["live", "reconnecting", "ended"].includes(state.state) || el.screen.width === 0;
  el.screen.classList.toggle("dimmed", state.state === "ended" || state.state === "reconnecting");
  switch (state.state) {
    case "activating":
      return message(el, "Turning streaming on…", `Session ${session.name} had streaming off; Porthole is asking agent-browser to turn it on.`);
    case "connecting":
      return message(
        el,
        "Connecting…",
        session.kind === "cdp"
          ? `Connecting to ${session.name} over DevTools.`
          : `Connecting to the stream of ${session.name} on port ${state.port}.`,
      );
    case "waiting_for_frame":
      return message(
        el,
        "Waiting for the first frame",
        "Connected. Chrome sends a frame only when the page repaints, so a still page can stay blank until something on it changes.",
      );
    case "live":
      return clearMessage(el);
    case "reconnecting": {
      const seconds = Math.max(0, Math.ceil((state.retryAtMs - now) / 1000));
      return message(el, `Reconnecting (attempt ${state.attempt})`, `${state.reason}. Next try in ${seconds} s.`, "banner");
    }
    case "ended": {
      const at = new Date(state.atMs).toLocaleTimeString();
      el.readout.textContent = "";
      return message(el, `Session ended at ${at}`, state.reason, "banner");
    }
    case "failed": {
      el.readout.textContent = "";
      message(el, failureTitle(state.error.code), state.error.message);
      if (state.error.retryable) {
        const retry = document.createElement("button");
        retry.className = "retry";
        retry.dataset.testid = "retry";
        retry.textContent = "Retry";
        retry.addEventListener("click", () => actions.retry(session.id));
        el.message.append(retry);
      }
      return;
    }
  }
}

export function renderReadout(el: PanelElements, fps: number, latencyMs: number | null): void {
  const text = latencyMs === null ? `${fps} fps` : `${fps} fps · ${Math.round(latencyMs)} ms`;
  // Writing the same text still replaces the node, and WebKit repaints for it: on a
  // still page that was the window's only work, twice a second.
  if (el.readout.textContent !== text) el.readout.textContent = text;
}

function setBadge(el: PanelElements, state: keyof typeof BADGE): void {
  el.badge.dataset.state = state;
  el.badge.textContent = BADGE[state];
}

/** The page the session shows: its title (the URL on hover) and the browser's last command. */
export function setPage(el: PanelElements, page: PageInfo | null): void {
  el.title.textContent = page?.title ?? "";
  el.title.title = page?.url ?? "";
  setActivity(el.activity, page?.agent ?? null);
}

/**
 * The last command the session's browser was given (by the agent, or by the person from
 * the toolbar: the stream does not say who), beside the page title: "navigate https://…"
 * while it runs, then marked done or failed. A person sees why the page changed.
 */
export function setActivity(el: HTMLElement, agent: AgentCommand | null): void {
  el.hidden = agent === null;
  if (!agent) {
    el.textContent = "";
    delete el.dataset.outcome;
    return;
  }
  const what = agent.target ? `${agent.action} ${agent.target}` : agent.action;
  const outcome = agent.outcome === null ? "running" : agent.outcome.success ? "done" : "failed";
  el.dataset.outcome = outcome;
  const mark = { running: "…", done: "✓", failed: "✗" }[outcome];
  el.textContent = outcome === "running" ? `${what}${mark}` : `${mark} ${what}`;
  const took = agent.outcome?.durationMs;
  el.title =
    outcome === "running"
      ? `The browser's last command, running: ${what}`
      : `The browser's last command: ${what} (${outcome === "failed" ? "it failed" : "done"}${took == null ? "" : `, ${Math.round(took)} ms`})`;
}

function message(el: PanelElements, title: string, body: string, kind: "center" | "banner" = "center"): void {
  const h = document.createElement("h2");
  h.textContent = title;
  const p = document.createElement("p");
  p.textContent = body;
  el.message.className = `panel-message ${kind}`;
  el.message.hidden = false;
  el.message.replaceChildren(h, p);
}

function clearMessage(el: PanelElements): void {
  el.message.hidden = true;
  el.message.replaceChildren();
}

/** The panel's heading for a session that cannot be shown, by what stands in the way. */
export function failureTitle(code: ErrorCode): string {
  switch (code) {
    case "cli_not_found":
    case "cli_failed":
    case "timeout":
      return "Cannot reach agent-browser";
    case "cli_too_old":
    case "cli_version_mismatch":
      return "This agent-browser cannot be shown";
    case "session_gone":
    case "session_not_found":
    case "session_ended":
      return "This session has ended";
    case "enable_failed":
    case "verify_failed":
      return "Cannot turn this session's stream on";
    case "not_attachable":
    case "invalid_endpoint":
      return "Cannot connect to this browser";
    case "process_table":
    case "not_live":
    case "invalid_input":
    case "not_attached":
    case "invalid_url":
    case "invalid_tab":
    case "navigation_failed":
    case "open_failed":
    case "no_frame":
    case "frame_undecodable":
    case "encode_failed":
    case "write_failed":
    case "clipboard":
    case "not_a_directory":
    case "window":
    case "invalid_name":
    case "not_enough_memory":
    case "start_failed":
    case "not_recorded":
    case "read_failed":
      return "Cannot show this session";
  }
}
