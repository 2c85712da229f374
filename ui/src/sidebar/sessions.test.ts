import { afterEach, describe, expect, it } from "vitest";
import type { Report } from "../ipc";
import { session } from "../testing/session";
import { renderError, renderSessions } from "./sessions";

describe("renderSessions", () => {
  afterEach(() => document.body.replaceChildren());

  it("lists this workspace's sessions, then the others grouped by their directory", () => {
    const report: Report = {
      workspace: "/ws",
      current: [session({ name: "agent" }), session({ name: "off", status: "missing_stream", streamPort: null })],
      other: [
        session({ name: "x", cwd: "/elsewhere" }),
        session({ name: "y", cwd: "/elsewhere" }),
        session({ name: "dead", cwd: null, pid: 5, status: "stale", problem: "its daemon (pid 5) is not running" }),
      ],
    };
    const root = document.createElement("div");
    renderSessions(root, report);
    const titles = [...root.querySelectorAll(".group-title")].map((h) => h.textContent);
    expect(titles).toEqual(["In this workspace", "Elsewhere · /elsewhere", "Ended, folder unknown"]);
    const current = root.querySelector('[data-testid="sessions-current"]')!;
    expect(current.textContent, "the live session with its port").toContain("agentStreamingport 4000");
    expect(current.textContent, "streaming off is said plainly").toContain("offStreaming off");
    const dead = root.querySelector('[data-status="stale"]')!;
    expect(dead.textContent, "a stale session says why").toContain("not running");
  });

  it("says what to expect when the workspace has no session", () => {
    const root = document.createElement("div");
    renderSessions(root, { workspace: "/ws", current: [], other: [] });
    expect(root.textContent).toContain("No agent-browser session runs here yet");
  });

  it("shows errors as an alert", () => {
    const root = document.createElement("div");
    renderError(root, "boom");
    expect(root.querySelector('[role="alert"]')?.textContent).toBe("boom");
  });
});
