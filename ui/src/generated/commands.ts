// Generated from the Rust definitions by `cargo test`. Do not edit.

import { invoke, type Channel } from "@tauri-apps/api/core";
import type { AppInfo } from "./AppInfo";
import type { AttachEvent } from "./AttachEvent";
import type { Entry } from "./Entry";
import type { FrameEvent } from "./FrameEvent";
import type { FrameSize } from "./FrameSize";
import type { ImageFormat } from "./ImageFormat";
import type { Input } from "./Input";
import type { NavAction } from "./NavAction";
import type { Opened } from "./Opened";
import type { Report } from "./Report";

/** Every command the window may call. */
export const COMMANDS = [
  "app_info",
  "list_sessions",
  "attach",
  "connect",
  "open_browser",
  "default_session_name",
  "detach",
  "attachment",
  "frame_painted",
  "frame_shown",
  "set_frame_size",
  "frame_channel",
  "send_input",
  "request_frame",
  "navigate",
  "open_external",
  "save_screenshot",
  "copy_screenshot",
  "copy_text",
  "open_workspace",
  "pick_workspace",
  "set_compact",
  "set_start_at_login",
  "set_notify_new_browser",
  "set_record_timeline",
  "set_record_while_hidden",
  "timeline",
  "timeline_still",
  "clear_timeline",
  "save_timeline",
] as const;

export const appInfo = () => invoke<AppInfo>("app_info");

export const listSessions = () => invoke<Report>("list_sessions");

export const attach = (sessionId: string) => invoke<void>("attach", { sessionId });

export const connect = (address: string) => invoke<void>("connect", { address });

export const openBrowser = (session: string | null, url: string, force: boolean) => invoke<Opened>("open_browser", { session, url, force });

export const defaultSessionName = () => invoke<string>("default_session_name");

export const detach = () => invoke<void>("detach");

export const attachment = () => invoke<AttachEvent | null>("attachment");

export const framePainted = (seq: number) => invoke<void>("frame_painted", { seq });

export const frameShown = () => invoke<FrameEvent | null>("frame_shown");

export const setFrameSize = (size: FrameSize | null) => invoke<void>("set_frame_size", { size });

export const frameChannel = (channel: Channel<ArrayBuffer>) => invoke<void>("frame_channel", { channel });

export const sendInput = (input: Input) => invoke<void>("send_input", { input });

export const requestFrame = () => invoke<void>("request_frame");

export const navigate = (action: NavAction) => invoke<void>("navigate", { action });

export const openExternal = (url: string) => invoke<void>("open_external", { url });

export const saveScreenshot = (format: ImageFormat) => invoke<string>("save_screenshot", { format });

export const copyScreenshot = () => invoke<void>("copy_screenshot");

export const copyText = (text: string) => invoke<void>("copy_text", { text });

export const openWorkspace = (path: string) => invoke<void>("open_workspace", { path });

export const pickWorkspace = () => invoke<void>("pick_workspace");

export const setCompact = (on: boolean) => invoke<void>("set_compact", { on });

export const setStartAtLogin = (on: boolean) => invoke<void>("set_start_at_login", { on });

export const setNotifyNewBrowser = (on: boolean) => invoke<void>("set_notify_new_browser", { on });

export const setRecordTimeline = (on: boolean) => invoke<void>("set_record_timeline", { on });

export const setRecordWhileHidden = (on: boolean) => invoke<void>("set_record_while_hidden", { on });

export const timeline = () => invoke<Array<Entry>>("timeline");

export const timelineStill = (at: number, after: boolean) => invoke<string | null>("timeline_still", { at, after });

export const clearTimeline = () => invoke<void>("clear_timeline");

export const saveTimeline = () => invoke<string>("save_timeline");
