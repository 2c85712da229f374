// "Connect to a browser…": a port, host:port on loopback, or a ws:// DevTools URL. The
// Rust side parses and checks the address; what it refuses is shown under the field,
// in its words, and the field keeps what was typed.

export interface ConnectElements {
  details: HTMLDetailsElement;
  form: HTMLFormElement;
  address: HTMLInputElement;
  submit: HTMLButtonElement;
  error: HTMLElement;
}

export function setupConnect(
  el: ConnectElements,
  connect: (address: string) => Promise<void>,
  describe: (error: unknown) => string,
): void {
  el.details.addEventListener("toggle", () => {
    if (el.details.open) el.address.focus();
  });
  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const address = el.address.value.trim();
    if (!address) return;
    el.submit.disabled = true;
    el.error.hidden = true;
    connect(address)
      .then(() => {
        el.address.value = "";
        el.details.open = false;
      })
      .catch((error: unknown) => {
        el.error.textContent = describe(error);
        el.error.hidden = false;
      })
      .finally(() => {
        el.submit.disabled = false;
      });
  });
}
