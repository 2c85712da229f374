// Generated from src-tauri/src/events.rs by `cargo test`. Do not edit.

export const SESSIONS_CHANGED = "sessions-changed";
