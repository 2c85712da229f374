// Compact mode: a small window on top of the others, with only the page. The header
// button asks the app to resize the window (the app keeps the mode across restarts and
// says at start whether it is on); the `compact` class on #app hides everything else.
//
// Usage: `installCompact(button, app, info.compact, showError)`, once at start.
import { setCompact } from "../ipc";

export function installCompact(
  button: HTMLButtonElement,
  app: HTMLElement,
  compact: boolean,
  showError: (error: unknown) => void,
): void {
  const show = (on: boolean) => {
    button.setAttribute("aria-pressed", String(on));
    app.classList.toggle("compact", on);
  };
  show(compact);
  button.addEventListener("click", () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    // The layout changes on the side where the window is larger: the sidebar goes
    // before the window shrinks, and comes back once the window has grown again.
    if (on) show(true);
    setCompact(on)
      .then(() => show(on))
      .catch((error) => {
        show(!on);
        showError(error);
      });
  });
}
