// The sessions list in the sidebar: this workspace's sessions first, then the others
// grouped by the directory their daemon runs in. Every word for a status or a group comes
// from the Rust side (generated/vocabulary.ts), as the tray's and the CLI's do.
import { canAttach, type Report } from "../ipc";
import type { Session } from "../generated/Session";
import {
  ELSEWHERE,
  ENDED_FOLDER_UNKNOWN,
  IN_THIS_WORKSPACE,
  NO_SESSION_HERE,
  SEPARATOR,
  STATUS_HINT,
  KIND_BADGE,
  KIND_HINT,
  STATUS_LABEL,
} from "../generated/vocabulary";

/** Renders the list; clicking a live session calls `choose` with its id. With no
 * session here, the empty state offers `newBrowser` ("New browser…") when given. */
export function renderSessions(
  container: HTMLElement,
  report: Report,
  attachedId: string | null = null,
  choose: (sessionId: string) => void = () => undefined,
  newBrowser?: () => void,
): void {
  const ctx = { attachedId, choose };
  container.replaceChildren(
    group(IN_THIS_WORKSPACE, report.current, "current", ctx, emptyCurrent(newBrowser)),
    ...othersByCwd(report.other, ctx),
  );
}

interface ItemContext {
  attachedId: string | null;
  choose: (sessionId: string) => void;
}

export function renderError(container: HTMLElement, message: string): void {
  const p = el("p", "sessions-error", message);
  p.setAttribute("role", "alert");
  container.replaceChildren(p);
}

function emptyCurrent(newBrowser?: () => void): HTMLElement {
  const empty = el("p", "empty", NO_SESSION_HERE);
  if (newBrowser) {
    const button = el("button", "new-browser-button", "New browser…");
    button.setAttribute("type", "button");
    button.dataset.testid = "empty-new-browser";
    button.title = "Start the browser the agent will use here, to sign in or prepare it first";
    button.addEventListener("click", newBrowser);
    empty.append(" ", button);
  }
  return empty;
}

function othersByCwd(sessions: Session[], ctx: ItemContext): HTMLElement[] {
  const groups = new Map<string, Session[]>();
  for (const s of sessions) {
    const key = s.cwd ?? "";
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups].map(([cwd, list]) =>
    group(cwd ? `${ELSEWHERE}${SEPARATOR}${cwd}` : ENDED_FOLDER_UNKNOWN, list, "other", ctx),
  );
}

function group(
  title: string,
  sessions: Session[],
  kind: string,
  ctx: ItemContext,
  empty?: HTMLElement,
): HTMLElement {
  const section = el("section", `session-group ${kind}`);
  section.dataset.testid = `sessions-${kind}`;
  const heading = el("h2", "group-title", title);
  heading.title = title;
  section.append(heading);
  if (sessions.length === 0 && empty) {
    section.append(empty);
    return section;
  }
  const list = el("ul", "session-list");
  for (const s of sessions) list.append(item(s, ctx));
  section.append(list);
  return section;
}

function item(s: Session, ctx: ItemContext): HTMLElement {
  const li = el("li", "session");
  li.dataset.sessionId = s.id;
  li.dataset.status = s.status;
  if (s.id === ctx.attachedId) li.classList.add("attached");
  if (canAttach(s)) {
    li.tabIndex = 0;
    li.setAttribute("role", "button");
    li.title = `Show ${s.name} in the Browser panel`;
    li.addEventListener("click", () => ctx.choose(s.id));
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        ctx.choose(s.id);
      }
    });
  }
  const name = el("span", "session-name", s.namespace ? `${s.namespace}/${s.name}` : s.name);
  // A DevTools browser is always "on": its kind says more than its status, unless it
  // cannot be attached.
  const cdpLive = s.kind === "cdp" && canAttach(s);
  const badge = cdpLive
    ? el("span", "status status-cdp", KIND_BADGE[s.kind])
    : el("span", `status status-${s.status}`, STATUS_LABEL[s.status]);
  badge.title = s.problem ?? (cdpLive ? KIND_HINT[s.kind] : STATUS_HINT[s.status]);
  li.dataset.kind = s.kind;
  // A DevTools browser's name already says its port and pid.
  const details = s.kind === "cdp" ? "" : [
    s.streamPort !== null ? `port ${s.streamPort}` : null,
    s.pid !== null ? `pid ${s.pid}` : null,
    s.version ? `v${s.version}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  const meta = el("span", "session-meta", s.problem ?? details);
  li.append(name, badge, meta);
  return li;
}

/**
 * Names the attached DevTools browser's page in its entry ("Chromium · port 9222 · pid
 * 4242" says nothing of what it shows). An agent-browser session's entry keeps its
 * details.
 */
export function showAttachedTitle(container: HTMLElement, title: string): void {
  const meta = container.querySelector<HTMLElement>('.session.attached[data-kind="cdp"] .session-meta');
  if (meta) meta.textContent = title;
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
