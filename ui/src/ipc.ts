// The one module that talks to Tauri. Types come from the Rust side (ui/src/generated,
// written by `cargo test`); nothing here redefines them.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppInfo } from "./generated/AppInfo";
import type { Report } from "./generated/Report";
import type { UiError } from "./generated/UiError";
import { SESSIONS_CHANGED } from "./generated/events";

export type { AppInfo, Report, UiError };

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}

export function listSessions(): Promise<Report> {
  return invoke<Report>("list_sessions");
}

export function onSessionsChanged(handler: (report: Report) => void): Promise<UnlistenFn> {
  return listen<Report>(SESSIONS_CHANGED, (event) => handler(event.payload));
}

/** Turns whatever a command rejected with into a message for a person. */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) {
    return String((error as UiError).message);
  }
  return String(error);
}
