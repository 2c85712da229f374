// The app's keyboard shortcuts. They never take a key from the page: while the panel has
// the keyboard (its focus ring shows), every key goes to the page, Ctrl+L and Ctrl+R
// included, as they would in the agent's own browser. Click outside the panel (or Tab
// away from it) and the shortcuts are the app's again.
//
//   Ctrl+L        the address bar
//   Ctrl+R, F5    reload the page
//   Ctrl+B        collapse or open the sidebar
//   Ctrl+Shift+M  compact mode
//   Ctrl+Shift+O  watch only
//
// Usage: `installShortcuts(document, () => document.activeElement === keys, actions)`.

export interface ShortcutActions {
  address(): void;
  reload(): void;
  sidebar(): void;
  compact(): void;
  watchOnly(): void;
}

export type Shortcut = keyof ShortcutActions;

type Keys = Pick<KeyboardEvent, "key" | "ctrlKey" | "shiftKey" | "altKey" | "metaKey">;

/** The shortcut a key press means, if any. */
export function shortcutFor(e: Keys): Shortcut | null {
  if (e.altKey || e.metaKey) return null;
  const key = e.key.toLowerCase();
  if (!e.ctrlKey) return !e.shiftKey && e.key === "F5" ? "reload" : null;
  if (e.shiftKey) {
    if (key === "m") return "compact";
    if (key === "o") return "watchOnly";
    return null;
  }
  if (key === "l") return "address";
  if (key === "r") return "reload";
  if (key === "b") return "sidebar";
  return null;
}

/** The tooltip suffix that names a shortcut, e.g. " (Ctrl+R)". */
export const SHORTCUT_LABELS: Record<Shortcut, string> = {
  address: "Ctrl+L",
  reload: "Ctrl+R",
  sidebar: "Ctrl+B",
  compact: "Ctrl+Shift+M",
  watchOnly: "Ctrl+Shift+O",
};

export function installShortcuts(target: Pick<Document, "addEventListener">, pageHasKeys: () => boolean, actions: ShortcutActions): void {
  target.addEventListener("keydown", (e: KeyboardEvent) => {
    if (pageHasKeys()) return;
    const shortcut = shortcutFor(e);
    if (!shortcut) return;
    e.preventDefault();
    actions[shortcut]();
  });
}
