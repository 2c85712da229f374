import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { installCompact } from "./compact";

/** Answers set_compact when the test says so. */
function pendingSetCompact() {
  const calls: unknown[] = [];
  let answer: (error?: string) => void = () => undefined;
  mockIPC((cmd, args) => {
    if (cmd !== "set_compact") return;
    calls.push((args as { on: boolean }).on);
    return new Promise<void>((resolve, reject) => {
      answer = (error) => (error ? reject(error) : resolve());
    });
  });
  return { calls, answer: (error?: string) => answer(error) };
}

function setup(on = false, showError = vi.fn()) {
  const app = document.body.appendChild(document.createElement("div"));
  const button = app.appendChild(document.createElement("button"));
  installCompact(button, app, on, showError);
  const shown = () => ({ pressed: button.getAttribute("aria-pressed"), compact: app.classList.contains("compact") });
  return { button, shown, showError };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("installCompact", () => {
  afterEach(() => {
    clearMocks();
    document.body.replaceChildren();
  });

  it("starts as the app says", () => {
    expect(setup(true).shown(), "compact at start when the app is").toEqual({ pressed: "true", compact: true });
    expect(setup(false).shown()).toEqual({ pressed: "false", compact: false });
  });

  it("hides the sidebar before the window shrinks, and shows it once the window has grown", async () => {
    const app = pendingSetCompact();
    const { button, shown } = setup();
    button.click();
    expect(shown(), "compact at once, before the app answers").toEqual({ pressed: "true", compact: true });
    app.answer();
    await settle();
    button.click();
    await settle();
    expect(shown(), "still compact while the window grows").toEqual({ pressed: "true", compact: true });
    app.answer();
    await settle();
    expect(shown(), "the sidebar back once the window has grown").toEqual({ pressed: "false", compact: false });
    expect(app.calls, "the app is asked for each change").toEqual([true, false]);
  });

  it("goes back and says why when the app cannot resize the window", async () => {
    const app = pendingSetCompact();
    const { button, shown, showError } = setup();
    button.click();
    app.answer("no window");
    await settle();
    expect(shown(), "as it was before the click").toEqual({ pressed: "false", compact: false });
    expect(showError, "the failure is shown").toHaveBeenCalledWith("no window");
  });
});
