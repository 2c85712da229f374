// The sidebar's workspace parts: the header naming the open workspace, "Open Workspace…"
// to pick another folder, and the workspaces opened before, one click away. The app does
// the switching and then sends workspace-changed; drawing that is the returned `show`.
//
// Usage: `const show = installWorkspace(elements, showError)`; call `show` with the
// AppInfo at start and with every workspace-changed.
import { openWorkspace, pickWorkspace, type AppInfo } from "../ipc";

export interface WorkspaceElements {
  name: HTMLElement;
  path: HTMLElement;
  recent: HTMLElement;
  open: HTMLButtonElement;
}

export function installWorkspace(
  el: WorkspaceElements,
  showError: (error: unknown) => void,
): (info: AppInfo) => void {
  el.open.addEventListener("click", () => void pickWorkspace());
  const open = (path: string) => void openWorkspace(path).catch(showError);
  return (info) => {
    el.name.textContent = workspaceName(info.workspace);
    // The path is ellipsised at its start (direction: rtl).
    el.path.textContent = leftToRight(shortPath(info.workspace, info.home));
    el.path.title = info.workspace;
    renderRecent(el.recent, info, open);
  };
}

/** A path as a person writes it: `~/…` below their home folder. */
export function shortPath(path: string, home: string | null): string {
  if (!home || home === "/") return path;
  const base = home.replace(/\/+$/, "");
  if (path === base) return "~";
  return path.startsWith(`${base}/`) ? `~${path.slice(base.length)}` : path;
}

/** The folder name of a workspace path. */
export function workspaceName(path: string): string {
  return path.split("/").filter(Boolean).pop() ?? path;
}

/**
 * The workspaces opened before, but the open one, as buttons that call `open` with their
 * path; nothing at all, not even the heading, when there is none.
 */
export function renderRecent(
  container: HTMLElement,
  info: Pick<AppInfo, "workspace" | "recent" | "home">,
  open: (path: string) => void,
): void {
  const others = info.recent.filter((w) => w !== info.workspace);
  if (others.length === 0) return container.replaceChildren();
  const heading = document.createElement("h2");
  heading.textContent = "Recent workspaces";
  const buttons = others.map((w) => {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.testid = "recent-workspace";
    b.textContent = leftToRight(shortPath(w, info.home));
    b.title = `Open ${w}`;
    b.addEventListener("click", () => open(w));
    return b;
  });
  container.replaceChildren(heading, ...buttons);
}

/** A path between left-to-right marks, which keep its slashes where they belong in right-to-left text. */
function leftToRight(path: string): string {
  return `\u200e${path}\u200e`;
}
