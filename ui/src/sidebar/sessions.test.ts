import { afterEach, describe, expect, it } from "vitest";
import type { Report } from "../ipc";
import type { Session } from "../generated/Session";
import { session } from "../testing/session";
import { renderError, renderSessions, showAttachedTitle } from "./sessions";

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

  it("lists a DevTools browser as its own kind, and one it cannot reach as not clickable", () => {
    const chosen: string[] = [];
    const cdp = (over: Partial<Session>) =>
      session({ kind: "cdp", streamPort: null, version: null, ...over });
    const report: Report = {
      workspace: "/ws",
      current: [
        cdp({ id: "cdp:4242", name: "Chromium · port 9222 · pid 4242", cdpPort: 9222 }),
        cdp({
          id: "cdp:77",
          name: "Chromium · pid 77",
          status: "not_attachable",
          problem: "started with --remote-debugging-pipe",
        }),
      ],
      other: [],
    };
    const root = document.createElement("div");
    renderSessions(root, report, null, (id) => chosen.push(id));
    const live = root.querySelector<HTMLElement>('[data-session-id="cdp:4242"]')!;
    expect(live.dataset.kind).toBe("cdp");
    expect(live.textContent, "named with its port and pid, badged as DevTools").toBe(
      "Chromium · port 9222 · pid 4242DevTools",
    );
    live.click();
    expect(chosen, "a reachable DevTools browser is attached on click").toEqual(["cdp:4242"]);
    const pipe = root.querySelector<HTMLElement>('[data-session-id="cdp:77"]')!;
    expect(pipe.textContent, "an unreachable one says why").toContain("--remote-debugging-pipe");
    expect(pipe.textContent).toContain("Cannot attach");
    pipe.click();
    expect(chosen, "and is never attached").toEqual(["cdp:4242"]);
    expect(pipe.getAttribute("role")).toBeNull();
  });

  it("names the page an attached DevTools browser shows, and leaves other entries alone", () => {
    const report: Report = {
      workspace: "/ws",
      current: [
        session({ id: "cdp:1", kind: "cdp", name: "Chromium · port 9222 · pid 1", streamPort: null, cdpPort: 9222 }),
        session({ name: "agent" }),
      ],
      other: [],
    };
    const root = document.createElement("div");
    renderSessions(root, report, "cdp:1");
    showAttachedTitle(root, "Checkout – Shop");
    const cdp = root.querySelector('[data-session-id="cdp:1"] .session-meta')!;
    expect(cdp.textContent, "the page title, once attached").toBe("Checkout – Shop");
    renderSessions(root, report, "/run/ab/agent");
    showAttachedTitle(root, "Other page");
    const agent = root.querySelector('[data-session-id="/run/ab/agent"] .session-meta')!;
    expect(agent.textContent, "an agent-browser entry keeps its details").toContain("port 4000");
  });

  it("says what to expect when the workspace has no session", () => {
    const root = document.createElement("div");
    renderSessions(root, { workspace: "/ws", current: [], other: [] });
    expect(root.textContent).toContain("No agent-browser session or DevTools browser runs here yet");
  });

  it("shows errors as an alert", () => {
    const root = document.createElement("div");
    renderError(root, "boom");
    expect(root.querySelector('[role="alert"]')?.textContent).toBe("boom");
  });
});
