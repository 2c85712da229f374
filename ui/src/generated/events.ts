// Generated from the Rust definitions by `cargo test`. Do not edit.

export const SESSIONS_CHANGED = "sessions-changed";
export const ATTACH_STATE = "attach-state";
export const FRAME = "frame";
export const FRAME_READY = "frame-ready";
export const PAGE_INFO = "page-info";
export const WORKSPACE_CHANGED = "workspace-changed";
export const DETACHED = "detached";
export const NEW_BROWSER = "new-browser";
export const TIMELINE_ENTRY = "timeline-entry";
