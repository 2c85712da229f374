// The one module that talks to Tauri. Types, event names and the command client come
// from the Rust side (ui/src/generated, written by `cargo test`); nothing here redefines
// them.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppInfo } from "./generated/AppInfo";
import type { AttachEvent } from "./generated/AttachEvent";
import type { FrameEvent } from "./generated/FrameEvent";
import type { PageInfo } from "./generated/PageInfo";
import type { Report } from "./generated/Report";
import type { Session } from "./generated/Session";
import type { ErrorCode } from "./generated/ErrorCode";
import type { UiError } from "./generated/UiError";
import type { Entry } from "./generated/Entry";
import { ATTACH_STATE, DETACHED, FRAME, FRAME_READY, NEW_BROWSER, PAGE_INFO, SESSIONS_CHANGED, TIMELINE_ENTRY, WORKSPACE_CHANGED } from "./generated/events";

export type { AppInfo, AttachEvent, Entry, ErrorCode, FrameEvent, PageInfo, Report, UiError };

export {
  appInfo,
  listSessions,
  attach,
  connect,
  openBrowser,
  defaultSessionName,
  detach,
  attachment as currentAttachment,
  framePainted,
  frameShown,
  navigate,
  openExternal,
  saveScreenshot,
  copyScreenshot,
  copyText,
  openWorkspace,
  pickWorkspace,
  setCompact,
  setStartAtLogin,
  setNotifyNewBrowser,
  setRecordTimeline,
  setRecordWhileHidden,
  timeline,
  saveTimeline,
  timelineStill,
  clearTimeline,
  setFrameSize,
  requestFrame,
  sendInput,
  frameChannel as registerFrameChannel,
} from "./generated/commands";

/** Alive and reachable: what a click may attach. */
export function canAttach(s: Session): boolean {
  return s.status === "attachable" || s.status === "missing_stream";
}

function on<T>(name: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(name, (event) => handler(event.payload));
}

export const onSessionsChanged = (h: (r: Report) => void) => on(SESSIONS_CHANGED, h);
export const onAttachState = (h: (e: AttachEvent) => void) => on(ATTACH_STATE, h);
export const onFrame = (h: (f: FrameEvent) => void) => on(FRAME, h);
export const onFrameReady = (h: () => void) => on<null>(FRAME_READY, () => h());
export const onPageInfo = (h: (p: PageInfo) => void) => on(PAGE_INFO, h);
export const onWorkspaceChanged = (h: (info: AppInfo) => void) => on(WORKSPACE_CHANGED, h);
export const onDetached = (h: () => void) => on<null>(DETACHED, () => h());
export const onNewBrowser = (h: () => void) => on<null>(NEW_BROWSER, () => h());
/** A timeline entry was recorded; `null` when some were missed and the list must be read again. */
export const onTimelineEntry = (h: (e: Entry | null) => void) => on<Entry | null>(TIMELINE_ENTRY, h);

/** Turns whatever a command rejected with into a message for a person. */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) {
    return String((error as UiError).message);
  }
  return String(error);
}
