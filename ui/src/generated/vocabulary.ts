// Generated from the Rust definitions by `cargo test`. Do not edit.

import type { SessionKind } from "./SessionKind";
import type { SessionStatus } from "./SessionStatus";

export const STATUS_LABEL: Record<SessionStatus, string> = {
  attachable: "Streaming",
  missing_stream: "Streaming off",
  stale: "Ended",
  not_attachable: "Cannot attach",
};

export const STATUS_HINT: Record<SessionStatus, string> = {
  attachable: "The stream of this session is on",
  missing_stream: "The daemon is running with streaming off; Porthole turns it on when it attaches",
  stale: "Its daemon is no longer running: only its files are left",
  not_attachable: "The browser runs, but it offers no DevTools port Porthole can connect to",
};

export const KIND_BADGE: Record<SessionKind, string> = {
  "agent-browser": "",
  "cdp": "DevTools",
};

export const KIND_HINT: Record<SessionKind, string> = {
  "agent-browser": "An agent-browser session, shown through its stream",
  "cdp": "A browser with DevTools open, driven by another tool; shown over the DevTools protocol",
};

export const IN_THIS_WORKSPACE = "In this workspace";
export const ELSEWHERE = "Elsewhere";
export const ENDED_FOLDER_UNKNOWN = "Ended, folder unknown";
export const SEPARATOR = " · ";
export const NO_SESSION_HERE = "No agent-browser session or DevTools browser runs here yet. Those the agent starts in this folder appear at once.";
