// Generated from the Rust definitions by `cargo test`. Do not edit.

import type { SessionStatus } from "./SessionStatus";

export const STATUS_LABEL: Record<SessionStatus, string> = {
  attachable: "Streaming",
  missing_stream: "Streaming off",
  stale: "Ended",
};

export const STATUS_HINT: Record<SessionStatus, string> = {
  attachable: "The stream of this session is on",
  missing_stream: "The daemon is running with streaming off; Porthole turns it on when it attaches",
  stale: "Its daemon is no longer running: only its files are left",
};

export const IN_THIS_WORKSPACE = "In this workspace";
export const ELSEWHERE = "Elsewhere";
export const ENDED_FOLDER_UNKNOWN = "Ended, folder unknown";
export const SEPARATOR = " · ";
export const NO_SESSION_HERE = "No agent-browser session runs here yet. Sessions the agent starts in this folder appear at once.";
