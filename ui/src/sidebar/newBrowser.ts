// "New browser…": starts the browser the agent will use in this workspace, so a person
// can sign in, pass a 2FA prompt or a cookie banner before the agent carries on in it.
// The name field offers the session the agent's CLI uses when given none (asked of the
// app when the form opens); the address defaults to about:blank. Where memory is short
// the app refuses with the figures, and the form offers "Start anyway".
//
// Usage: `const form = setupNewBrowser(elements, actions)`; `form.show()` opens it (from
// the tray, or the empty state's button).
import type { Opened } from "../generated/Opened";
import type { UiError } from "../generated/UiError";

export interface NewBrowserElements {
  details: HTMLDetailsElement;
  form: HTMLFormElement;
  name: HTMLInputElement;
  url: HTMLInputElement;
  submit: HTMLButtonElement;
  error: HTMLElement;
  force: HTMLButtonElement;
}

export interface NewBrowserActions {
  open(session: string | null, url: string, force: boolean): Promise<Opened>;
  defaultName(): Promise<string>;
  describe(error: unknown): string;
  /** Told once the browser is live (and shown in the panel). */
  opened(opened: Opened): void;
}

/** What the panel says once the browser is live: how the agent reaches it. */
export function openedHint(opened: Opened): string {
  const name = opened.session.name;
  const reach = `${opened.agentCommand} …`;
  return opened.started
    ? `Started “${name}” with agent-browser ${opened.cliVersion}. The agent's next agent-browser command in this workspace uses this browser: ${reach}`
    : `“${name}” was already running; nothing was started. The agent reaches it with ${reach}`;
}

function code(error: unknown): string | null {
  return error && typeof error === "object" && "code" in error ? String((error as UiError).code) : null;
}

export function setupNewBrowser(el: NewBrowserElements, actions: NewBrowserActions): { show(): void } {
  el.details.addEventListener("toggle", () => {
    if (!el.details.open) return;
    el.name.focus();
    actions.defaultName().then(
      (name) => {
        el.name.placeholder = name;
      },
      () => {
        el.name.placeholder = "default";
      },
    );
  });
  const start = (force: boolean) => {
    el.submit.disabled = true;
    el.force.disabled = true;
    el.error.hidden = true;
    el.force.hidden = true;
    const name = el.name.value.trim();
    actions
      .open(name || null, el.url.value.trim() || "about:blank", force)
      .then((opened) => {
        el.name.value = "";
        el.url.value = "";
        el.details.open = false;
        actions.opened(opened);
      })
      .catch((error: unknown) => {
        el.error.textContent = actions.describe(error);
        el.error.hidden = false;
        el.force.hidden = code(error) !== "not_enough_memory";
      })
      .finally(() => {
        el.submit.disabled = false;
        el.force.disabled = false;
      });
  };
  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    start(false);
  });
  el.force.addEventListener("click", () => start(true));
  return {
    show() {
      el.details.open = true;
      el.details.scrollIntoView({ block: "nearest" });
    },
  };
}
