import { afterEach, describe, expect, it, vi } from "vitest";
import type { AttachState } from "../generated/AttachState";
import type { UiError } from "../generated/UiError";
import { session } from "../testing/session";
import { failureTitle, renderAttach, renderIdle, renderReadout, setActivity, shellQuote, startCommand, type PanelElements } from "./panel";

const agent = session({ name: "agent" });

function elements(): PanelElements {
  const make = () => document.body.appendChild(document.createElement("div"));
  return {
    session: make(),
    title: make(),
    activity: make(),
    readout: make(),
    badge: make(),
    screen: document.body.appendChild(document.createElement("canvas")),
    message: make(),
  };
}

function show(state: AttachState, retry = vi.fn()) {
  const el = elements();
  renderAttach(el, { session: agent, state, page: { title: "", url: "", tabs: [], agent: null } }, { retry }, 1_000);
  return { el, retry, heading: el.message.querySelector("h2")?.textContent ?? "", body: el.message.querySelector("p")?.textContent ?? "" };
}

describe("what the panel says in each state", () => {
  afterEach(() => document.body.replaceChildren());

  it("names every state in its badge and its message", () => {
    const cases: [AttachState, string, string][] = [
      [{ state: "activating" }, "Activating", "Turning streaming on"],
      [{ state: "connecting", port: 4000 }, "Connecting", "Connecting"],
      [{ state: "waiting_for_frame", port: 4000 }, "Waiting for first frame", "Waiting for the first frame"],
      [{ state: "reconnecting", attempt: 2, retryAtMs: 3_500, reason: "the stream closed" }, "Reconnecting", "Reconnecting (attempt 2)"],
      [{ state: "ended", atMs: 0, reason: "the session was closed" }, "Ended", "Session ended at"],
    ];
    for (const [state, badge, heading] of cases) {
      const shown = show(state);
      expect(shown.el.badge.textContent, `the badge of ${state.state}`).toBe(badge);
      expect(shown.heading, `the message of ${state.state}`).toContain(heading);
      expect(shown.el.session.textContent, "the header names the session").toBe("agent");
    }
  });

  it("says a still page sends no frame until it repaints", () => {
    expect(show({ state: "waiting_for_frame", port: 4000 }).body).toContain("only when the page repaints");
  });

  it("says when the next reconnect try comes, and why", () => {
    const { body } = show({ state: "reconnecting", attempt: 3, retryAtMs: 3_500, reason: "the stream closed" });
    expect(body).toBe("the stream closed. Next try in 3 s.");
  });

  it("is live with no message over the page", () => {
    const { el } = show({ state: "live", port: 4000 });
    expect(el.badge.textContent).toBe("Live");
    expect(el.message.hidden, "nothing covers a live page").toBe(true);
  });

  it("shows the canvas only once it holds a frame", () => {
    const el = elements();
    const live = { session: agent, state: { state: "live", port: 4000 } as AttachState, page: { title: "", url: "", tabs: [], agent: null } };
    el.screen.width = 0;
    renderAttach(el, live, { retry: vi.fn() });
    expect(el.screen.hidden, "no empty canvas before the first frame").toBe(true);
    el.screen.width = 800;
    renderAttach(el, live, { retry: vi.fn() });
    expect(el.screen.hidden, "the frame, once painted").toBe(false);
  });

  it("offers Retry only where retrying makes sense, and retries this session", () => {
    const error: UiError = { code: "enable_failed", message: "agent-browser could not turn streaming on", retryable: true };
    const retryable = show({ state: "failed", error });
    expect(retryable.el.badge.textContent).toBe("Error");
    expect(retryable.body, "the precise message").toBe(error.message);
    const button = retryable.el.message.querySelector<HTMLButtonElement>('[data-testid="retry"]');
    expect(button, "a Retry button").not.toBeNull();
    button!.click();
    expect(retryable.retry).toHaveBeenCalledWith(agent.id);

    const final = show({ state: "failed", error: { code: "cli_too_old", message: "too old", retryable: false } });
    expect(final.el.message.querySelector('[data-testid="retry"]'), "no Retry where it cannot help").toBeNull();
  });

  it("heads a failure by what stands in the way, from the error's code", () => {
    expect(failureTitle("cli_too_old"), "an agent-browser that cannot stream").toBe("This agent-browser cannot be shown");
    expect(failureTitle("enable_failed"), "a stream that would not turn on").toBe("Cannot turn this session's stream on");
    expect(failureTitle("session_gone"), "a session that is gone").toBe("This session has ended");
  });

  it("says what to do when no session is attached", () => {
    const el = elements();
    renderIdle(el, { workspace: "/ws", current: [], other: [] });
    expect(el.badge.textContent).toBe("No session");
    expect(el.message.textContent).toContain("Waiting for the agent's browser");
    expect(el.message.textContent, "and where it looks").toContain("/ws");
    renderIdle(el, { workspace: "/ws", current: [agent], other: [] });
    expect(el.message.textContent).toContain("Choose a session");
  });

  it("teaches how to open a browser when none runs, and copies the command", async () => {
    const el = elements();
    const copied: string[] = [];
    renderIdle(el, { workspace: "/home/me/shop", current: [], other: [] }, async (text) => void copied.push(text));
    const code = el.message.querySelector<HTMLElement>("[data-testid=teach-command]");
    expect(code?.textContent, "the command opens a browser in the workspace").toBe(
      "cd /home/me/shop && agent-browser open about:blank",
    );
    const button = el.message.querySelector<HTMLButtonElement>("[data-testid=teach-copy]");
    button?.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(copied, "Copy puts exactly the command shown on the clipboard").toEqual([code?.textContent]);
    expect(button?.textContent).toBe("Copied");
    renderIdle(el, { workspace: "/ws", current: [agent], other: [] }, async () => {});
    expect(el.message.querySelector("[data-testid=teach-command]"), "not while a session can be chosen").toBeNull();
  });

  it("quotes a workspace path for the shell only when it must", () => {
    expect(shellQuote("/home/me/shop")).toBe("/home/me/shop");
    expect(shellQuote("/home/me/my shop")).toBe("'/home/me/my shop'");
    expect(shellQuote("/tmp/it's")).toBe("'/tmp/it'\\''s'");
    expect(startCommand("/a b"), "a path with a space stays one argument").toBe("cd '/a b' && agent-browser open about:blank");
  });
});

describe("the frame readout", () => {
  afterEach(() => document.body.replaceChildren());

  it("leaves the page alone while its figures stay the same", () => {
    const el = elements();
    renderReadout(el, 0, 42);
    const node = el.readout.firstChild;
    renderReadout(el, 0, 42.2);
    expect(el.readout.firstChild, "the same text is not written again: WebKit would repaint for it").toBe(node);
    renderReadout(el, 12, 40);
    expect(el.readout.textContent, "new figures are shown").toBe("12 fps · 40 ms");
  });
});

describe("what the agent is doing, beside the page title", () => {
  const el = () => document.body.appendChild(document.createElement("span"));
  const navigate = { id: "r1", action: "navigate", target: "https://a.test/", navigation: true, outcome: null };

  it("shows the command while it runs, then how it ended", () => {
    const span = el();
    setActivity(span, navigate);
    expect(span.hidden).toBe(false);
    expect(span.textContent, "what, on what, and that it runs").toBe("navigate https://a.test/…");
    expect(span.dataset.outcome).toBe("running");
    setActivity(span, { ...navigate, outcome: { success: true, durationMs: 53 } });
    expect(span.textContent).toBe("✓ navigate https://a.test/");
    expect(span.title, "how long it took").toContain("53 ms");
    setActivity(span, { ...navigate, outcome: { success: false, durationMs: null } });
    expect(span.dataset.outcome, "a failure is marked as one").toBe("failed");
    expect(span.textContent).toBe("✗ navigate https://a.test/");
  });

  it("names the action alone when it has no target, and hides when there is none", () => {
    const span = el();
    setActivity(span, { ...navigate, action: "type", target: null, navigation: false });
    expect(span.textContent).toBe("type…");
    setActivity(span, null);
    expect(span.hidden, "nothing to say before the agent's first command").toBe(true);
  });
});
