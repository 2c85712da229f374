// "Start at login", in the sidebar's footer: a checkbox over the app's XDG autostart
// entry. The box shows what the app says; a refusal puts it back and says why.
//
// Usage: `installStartAtLogin(checkbox, info.startAtLogin, setStartAtLogin, showError)`.

export function installStartAtLogin(
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
