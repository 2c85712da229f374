// The one module that talks to Tauri. Types come from the Rust side (ui/src/generated,
// written by `cargo test`); nothing here redefines them.
import { invoke, type Channel } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppInfo } from "./generated/AppInfo";
import type { AttachEvent } from "./generated/AttachEvent";
import type { FrameEvent } from "./generated/FrameEvent";
import type { ImageFormat } from "./generated/ImageFormat";
import type { Input } from "./generated/Input";
import type { NavAction } from "./generated/NavAction";
import type { PageInfo } from "./generated/PageInfo";
import type { Report } from "./generated/Report";
import type { UiError } from "./generated/UiError";
import { ATTACH_STATE, DETACHED, FRAME, PAGE_INFO, SESSIONS_CHANGED, WORKSPACE_CHANGED } from "./generated/events";

export type { AppInfo, AttachEvent, FrameEvent, PageInfo, Report, UiError };

export const appInfo = () => invoke<AppInfo>("app_info");
export const listSessions = () => invoke<Report>("list_sessions");
export const attach = (sessionId: string) => invoke<void>("attach", { sessionId });
export const detach = () => invoke<void>("detach");
export const currentAttachment = () => invoke<AttachEvent | null>("attachment");
export const framePainted = (seq: number) => invoke<void>("frame_painted", { seq });
export const navigate = (action: NavAction) => invoke<void>("navigate", { action });
export const openExternal = (url: string) => invoke<void>("open_external", { url });
export const saveScreenshot = (format: ImageFormat) => invoke<string>("save_screenshot", { format });
export const copyScreenshot = () => invoke<void>("copy_screenshot");
export const openWorkspace = (path: string) => invoke<void>("open_workspace", { path });
export const pickWorkspace = () => invoke<void>("pick_workspace");
export const setCompact = (on: boolean) => invoke<void>("set_compact", { on });
export const requestFrame = () => invoke<void>("request_frame");
export const sendInput = (input: Input) => invoke<void>("send_input", { input });
export const registerFrameChannel = (channel: Channel<ArrayBuffer>) => invoke<void>("frame_channel", { channel });

function on<T>(name: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(name, (event) => handler(event.payload));
}

export const onSessionsChanged = (h: (r: Report) => void) => on(SESSIONS_CHANGED, h);
export const onAttachState = (h: (e: AttachEvent) => void) => on(ATTACH_STATE, h);
export const onFrame = (h: (f: FrameEvent) => void) => on(FRAME, h);
export const onPageInfo = (h: (p: PageInfo) => void) => on(PAGE_INFO, h);
export const onWorkspaceChanged = (h: (info: AppInfo) => void) => on(WORKSPACE_CHANGED, h);
export const onDetached = (h: () => void) => on<null>(DETACHED, () => h());

/** Turns whatever a command rejected with into a message for a person. */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) {
    return String((error as UiError).message);
  }
  return String(error);
}
