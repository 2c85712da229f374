// The sidebar footer's settings as checkboxes ("Start at login", over the app's XDG
// autostart entry; "Tell me when the agent opens a browser"). The box shows what the
// app says; a refusal puts it back and says why.
//
// Usage: `installToggle(checkbox, info.startAtLogin, setStartAtLogin, showError)`.

export function installToggle(
  box: HTMLInputElement,
  on: boolean,
  set: (on: boolean) => Promise<void>,
  onError: (error: unknown) => void,
): void {
  box.checked = on;
  box.addEventListener("change", () => {
    const wanted = box.checked;
    box.disabled = true;
    set(wanted)
      .catch((error: unknown) => {
        box.checked = !wanted;
        onError(error);
      })
      .finally(() => {
        box.disabled = false;
      });
  });
}
