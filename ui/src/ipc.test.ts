import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it } from "vitest";
import { errorMessage, listSessions, onSessionsChanged, type Report } from "./ipc";

const report: Report = { workspace: "/ws", current: [], other: [] };

describe("ipc", () => {
  afterEach(() => clearMocks());

  it("asks the Rust side for the sessions by the command's name", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "list_sessions") return report;
    });
    expect(await listSessions()).toEqual(report);
    expect(calls).toEqual(["list_sessions"]);
  });

  it("delivers sessions-changed events to the handler", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const seen: Report[] = [];
    const unlisten = await onSessionsChanged((r) => seen.push(r));
    await emit("sessions-changed", report);
    expect(seen, "the event's payload is the report").toEqual([report]);
    unlisten();
  });

  it("reads the message of a UiError, or any other rejection", () => {
    expect(errorMessage({ code: "session_gone", message: "for a person", retryable: false })).toBe("for a person");
    expect(errorMessage("plain")).toBe("plain");
  });
});
