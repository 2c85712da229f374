//! The commands the window may call. Thin: they read the shared state and translate;
//! the core decides.
//!
//! The command surface is defined once, by the [`surface!`] list at the end of this
//! file: each command's name, the arguments the window passes and what it gets back.
//! From that list come the invoke handler ([`handler`]), the TypeScript client
//! (`ui/src/generated/commands.ts`) and the capability that allows exactly these
//! commands (`capabilities/main.json`, which `build.rs` reads), all written by the
//! bindings test; the same test fails when a function's signature here disagrees with
//! its line in the list.

use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, State};

use porthole_core::agent_browser::cli::AgentBrowserCli;
use porthole_core::control::navigation::{self, NavAction};
use porthole_core::control::screenshot::{self, ImageFormat, ScreenshotError};
use porthole_core::desktop::autostart::Autostart;
use porthole_core::discovery::{Discovery, Report, SessionKind};
use porthole_core::error::{Coded, UiError};
use porthole_core::launch::Opened;
use porthole_core::stream::attachment::{Attachment, FrameSize};
use porthole_core::stream::protocol::Input;
use porthole_core::timeline::{report, store::TimelineDir, Entry};

use crate::shell::error::ShellError;
use crate::shell::notify::{self, AppInfo, AttachEvent, FrameEvent};
use crate::shell::state::AppState;
use crate::shell::{browsers, clipboard, window, workspaces};

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo::of(&state)
}

/// The sessions of the open workspace, and the others. Updates arrive as
/// `sessions-changed` events.
#[tauri::command]
pub fn list_sessions(state: State<'_, AppState>) -> Report {
    state.report()
}

/// Shows this session in the Browser panel (the person's choice).
#[tauri::command]
pub fn attach(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: String,
) -> Result<(), UiError> {
    notify::send(&app, state.choose(&session_id)?);
    Ok(())
}

/// Shows the browser whose DevTools are at `address` (a port, `host:port` on loopback,
/// or a `ws://` DevTools URL): "Connect to a browser…".
#[tauri::command]
pub async fn connect(app: AppHandle, address: String) -> Result<(), UiError> {
    let endpoint = browsers::parse(&address)?;
    browsers::connect_checked(&app, endpoint).await
}

/// "New browser…": starts the browser the agent will use in the open workspace (or
/// finds that session live), opens `url` in it and shows it. `session`: the name, empty
/// for the agent's default; `force`: start even where memory is short.
#[tauri::command]
pub async fn open_browser(
    app: AppHandle,
    session: Option<String>,
    url: String,
    force: bool,
) -> Result<Opened, UiError> {
    browsers::open(&app, session, url, force).await
}

/// The session name "New browser…" offers: the agent's CLI's default in this workspace.
#[tauri::command]
pub async fn default_session_name(app: AppHandle) -> Result<String, UiError> {
    browsers::default_name(&app).await
}

/// Empties the Browser panel.
#[tauri::command]
pub fn detach(app: AppHandle, state: State<'_, AppState>) {
    notify::send(&app, state.detach());
}

/// The attachment on screen, for a window that (re)loads.
#[tauri::command]
pub fn attachment(state: State<'_, AppState>) -> Option<AttachEvent> {
    state.attachment().map(|a| AttachEvent::of(&a))
}

/// The panel has painted frame `seq`: the daemon may send the next one.
#[tauri::command]
pub fn frame_painted(state: State<'_, AppState>, seq: u64) {
    if let Some(a) = state.attachment() {
        a.ack(seq);
    }
}

/// The window drew the frame the `frame:` scheme served last: acks it, and says which
/// frame it was (its seq, size and capture time), or nothing when none was served.
#[tauri::command]
pub fn frame_shown(state: State<'_, AppState>) -> Option<FrameEvent> {
    let frame = state.take_served()?;
    if let Some(a) = state.attachment() {
        a.ack(frame.seq);
    }
    Some(FrameEvent::of(&frame, false))
}

/// The panel shows frames at most this many device pixels (`null`: none shown). A
/// DevTools browser then sends frames of that size; agent-browser's stream cannot.
#[tauri::command]
pub fn set_frame_size(state: State<'_, AppState>, size: Option<FrameSize>) {
    state.set_frame_size(size);
}

/// Starts Porthole at login (hidden in the tray), or stops doing so: writes or removes
/// its XDG autostart entry.
#[tauri::command]
pub fn set_start_at_login(on: bool) -> Result<(), UiError> {
    let autostart =
        Autostart::default_location().ok_or_else(|| ShellError::NoConfigFolder.to_ui())?;
    let exe =
        std::env::current_exe().map_err(|e| ShellError::NoExecutable(e.to_string()).to_ui())?;
    autostart.set(on, &exe).map_err(|e| e.to_ui())
}

/// Announces, or stops announcing, a browser the agent opens while the window is hidden.
#[tauri::command]
pub fn set_notify_new_browser(state: State<'_, AppState>, on: bool) {
    state.set_notify_new_browser(on);
}

/// The latest entries recorded of the session on screen, oldest first (empty when it is
/// not recorded); the `timeline-entry` event brings the ones written after.
#[tauri::command]
pub fn timeline(state: State<'_, AppState>) -> Vec<Entry> {
    state.timeline().unwrap_or_default()
}

/// The page as it was at a moment of the timeline (`at`, epoch ms; with `after`, the
/// first still after it), as a `data:` URL of its WebP still, or nothing when none was
/// recorded.
#[tauri::command]
pub fn timeline_still(state: State<'_, AppState>, at: f64, after: bool) -> Option<String> {
    use base64::Engine;
    let webp = state.still(at, after)?;
    Some(format!(
        "data:image/webp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(webp)
    ))
}

/// Forgets what was recorded of the session on screen ("Clear history").
#[tauri::command]
pub fn clear_timeline(state: State<'_, AppState>) -> Result<(), UiError> {
    state
        .clear_timeline()
        .map_err(|e| ShellError::Timeline(format!("the history could not be cleared: {e}")).to_ui())
}

/// Writes the timeline of the session on screen as one self-contained HTML page in the
/// downloads folder ("Save timeline…"), and returns its path.
#[tauri::command]
pub fn save_timeline(state: State<'_, AppState>) -> Result<String, UiError> {
    let (workspace, session) = state
        .recorded()
        .ok_or_else(|| ShellError::NotRecorded.to_ui())?;
    let (entries, stills) = match TimelineDir::default_dir() {
        Some(dir) => (
            dir.read(&workspace, &session)
                .map_err(|e| e.to_ui())?
                .entries,
            dir.stills(&workspace, &session),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let dir = report::default_dir();
    let path =
        report::save(&session, &workspace, &entries, &stills, &dir).map_err(|(path, e)| {
            ShellError::Timeline(format!("{} could not be written: {e}", path.display())).to_ui()
        })?;
    tracing::info!(path = %path.display(), entries = entries.len(), "timeline saved");
    Ok(path.display().to_string())
}

/// Records, or stops recording, the agent's timeline: the session on screen at once,
/// and every attachment after.
#[tauri::command]
pub fn set_record_timeline(app: AppHandle, state: State<'_, AppState>, on: bool) {
    notify::send(&app, state.set_record_timeline(on));
}

/// Keeps recording the timeline while the window is hidden in the tray, or stops
/// doing so from the next time it is hidden.
#[tauri::command]
pub fn set_record_while_hidden(state: State<'_, AppState>, on: bool) {
    state.set_record_while_hidden(on);
}

/// The window's channel for frame bytes, used when the transport is `channel`.
#[tauri::command]
pub fn frame_channel(state: State<'_, AppState>, channel: Channel<InvokeResponseBody>) {
    state.set_frame_channel(channel);
}

/// Pointer and keyboard input for the attached page.
#[tauri::command]
pub fn send_input(state: State<'_, AppState>, input: Input) -> Result<(), UiError> {
    let attachment = state
        .attachment()
        .ok_or_else(|| ShellError::NotAttached("page to send input to").to_ui())?;
    attachment.send_input(input).map_err(|e| e.to_ui())
}

/// Sends the newest frame again. A window that loads after the attachment started
/// missed it, and a still page may send no other for a long time.
#[tauri::command]
pub fn request_frame(app: AppHandle, state: State<'_, AppState>) {
    let newest = state.attachment().and_then(|a| a.frames().borrow().clone());
    if let Some(frame) = newest {
        notify::send_frame(&app, &frame);
    }
}

/// Back, forward, reload, open a URL, or switch, open and close tabs: through the
/// attached session's agent-browser CLI, or a DevTools browser's own connection.
#[tauri::command]
pub async fn navigate(state: State<'_, AppState>, action: NavAction) -> Result<(), UiError> {
    let attachment = state
        .attachment()
        .ok_or_else(|| ShellError::NotAttached("browser to drive").to_ui())?;
    if attachment.session().kind == SessionKind::Cdp {
        return attachment.drive(action).await.map_err(|e| e.to_ui());
    }
    let cli = AgentBrowserCli::locate(state.agent_browser().as_deref());
    let mut discovery = Discovery::new().map_err(|e| e.to_ui())?;
    navigation::run(cli.as_ref(), &mut discovery, &attachment.session(), &action)
        .await
        .map_err(|e| e.to_ui())
}

/// Opens the page's address in the person's own browser. Only web and file addresses:
/// a page's `javascript:` or `data:` URL is never handed to the desktop.
#[tauri::command]
pub fn open_external(app: AppHandle, url: String) -> Result<(), UiError> {
    use tauri_plugin_opener::OpenerExt;
    let lower = url.to_ascii_lowercase();
    if !["http://", "https://", "file://"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Err(ShellError::NotAWebAddress(url).to_ui());
    }
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| ShellError::OpenFailed(e.to_string()).to_ui())
}

/// The attachment on screen and the JPEG of its newest frame.
fn shown_jpeg(state: &AppState) -> Result<(std::sync::Arc<Attachment>, Vec<u8>), UiError> {
    let attachment = state
        .attachment()
        .ok_or_else(|| ScreenshotError::NoFrame.to_ui())?;
    let frame = attachment
        .frames()
        .borrow()
        .clone()
        .ok_or_else(|| ScreenshotError::NoFrame.to_ui())?;
    let jpeg = frame
        .jpeg()
        .map_err(|e| ScreenshotError::Decode(e.to_string()).to_ui())?;
    Ok((attachment, jpeg))
}

/// Saves the frame on screen in the pictures folder; returns the file's path.
#[tauri::command]
pub fn save_screenshot(state: State<'_, AppState>, format: ImageFormat) -> Result<String, UiError> {
    let (attachment, jpeg) = shown_jpeg(&state)?;
    let path = screenshot::save(
        &jpeg,
        &attachment.session().name,
        format,
        &screenshot::default_dir(),
    )
    .map_err(|e| e.to_ui())?;
    tracing::info!(path = %path.display(), "screenshot saved");
    Ok(path.display().to_string())
}

/// Copies the frame on screen to the clipboard, as an image of the page's own pixels.
/// Synchronous, so Tauri runs it on the main thread, where GTK's clipboard lives.
#[tauri::command]
pub fn copy_screenshot(state: State<'_, AppState>) -> Result<(), UiError> {
    let (_, jpeg) = shown_jpeg(&state)?;
    let (width, height) =
        clipboard::copy_jpeg(&jpeg).map_err(|message| ShellError::Clipboard(message).to_ui())?;
    tracing::info!(width, height, "frame copied to the clipboard");
    Ok(())
}

/// Copies text the window offers to copy. Synchronous, so it runs on the main thread.
#[tauri::command]
pub fn copy_text(text: String) -> Result<(), UiError> {
    clipboard::copy_text(&text).map_err(|message| ShellError::Clipboard(message).to_ui())
}

/// Opens another workspace (from the recent list).
#[tauri::command]
pub fn open_workspace(app: AppHandle, path: String) -> Result<(), UiError> {
    workspaces::open_dir(&app, std::path::Path::new(&path), None).map_err(|e| e.to_ui())
}

/// Asks the person for a folder and opens it as the workspace.
#[tauri::command]
pub fn pick_workspace(app: AppHandle) {
    workspaces::pick(&app);
}

/// Compact mode: a small always-on-top window with only the panel.
#[tauri::command]
pub fn set_compact(app: AppHandle, on: bool) -> Result<(), UiError> {
    window::set_compact(&app, on).map_err(|e| ShellError::Window(e).to_ui())
}

/// One command of the surface, as the window sees it.
#[derive(Debug, Clone)]
pub struct Command {
    /// The command's name, as `invoke` takes it.
    pub name: &'static str,
    /// Each argument the window passes: its Rust name and its Rust type, as written.
    pub args: Vec<(&'static str, &'static str)>,
    /// The TypeScript of each argument.
    pub ts_args: Vec<String>,
    /// What a successful call resolves to, in Rust as written and in TypeScript. A
    /// command returning `Result<T, UiError>` is listed with `T`; it rejects with a
    /// `UiError`.
    pub returns: &'static str,
    pub ts_returns: String,
    /// The TypeScript types the client imports from `ui/src/generated/`.
    pub imports: Vec<&'static str>,
}

/// A type that crosses the IPC boundary as an argument or a result, and how TypeScript
/// spells it.
pub trait Ipc {
    fn ts() -> String;
    /// The generated file that defines it, if any.
    fn import() -> Option<&'static str> {
        None
    }
}

macro_rules! ipc_primitive {
    ($($ty:ty => $ts:literal),* $(,)?) => {$(
        impl Ipc for $ty {
            fn ts() -> String {
                $ts.to_owned()
            }
        }
    )*};
}

macro_rules! ipc_generated {
    ($($ty:ident),* $(,)?) => {$(
        impl Ipc for $ty {
            fn ts() -> String {
                stringify!($ty).to_owned()
            }
            fn import() -> Option<&'static str> {
                Some(stringify!($ty))
            }
        }
    )*};
}

ipc_primitive! {
    () => "void",
    bool => "boolean",
    String => "string",
    // Frame numbers stay far below 2^53.
    u64 => "number",
    f64 => "number",
    Channel<InvokeResponseBody> => "Channel<ArrayBuffer>",
}

ipc_generated!(
    AppInfo,
    Opened,
    FrameEvent,
    Report,
    AttachEvent,
    Input,
    NavAction,
    ImageFormat,
    FrameSize,
    Entry
);

impl<T: Ipc> Ipc for Vec<T> {
    fn ts() -> String {
        format!("Array<{}>", T::ts())
    }
    fn import() -> Option<&'static str> {
        T::import()
    }
}

impl<T: Ipc> Ipc for Option<T> {
    fn ts() -> String {
        format!("{} | null", T::ts())
    }
    fn import() -> Option<&'static str> {
        T::import()
    }
}

/// Defines the command surface from one list: `name(arg: Type, ...) -> Ok;`.
macro_rules! surface {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        /// The invoke handler for every command of the surface.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command the window may call, in the order listed.
        pub fn surface() -> Vec<Command> {
            vec![$(Command {
                name: stringify!($name),
                args: vec![$((stringify!($arg), stringify!($ty))),*],
                ts_args: vec![$(<$ty as Ipc>::ts()),*],
                returns: stringify!($ret),
                ts_returns: <$ret as Ipc>::ts(),
                imports: [$(<$ty as Ipc>::import(),)* <$ret as Ipc>::import()]
                    .into_iter()
                    .flatten()
                    .collect(),
            }),*]
        }
    };
}

surface! {
    app_info() -> AppInfo;
    list_sessions() -> Report;
    attach(session_id: String) -> ();
    connect(address: String) -> ();
    open_browser(session: Option<String>, url: String, force: bool) -> Opened;
    default_session_name() -> String;
    detach() -> ();
    attachment() -> Option<AttachEvent>;
    frame_painted(seq: u64) -> ();
    frame_shown() -> Option<FrameEvent>;
    set_frame_size(size: Option<FrameSize>) -> ();
    frame_channel(channel: Channel<InvokeResponseBody>) -> ();
    send_input(input: Input) -> ();
    request_frame() -> ();
    navigate(action: NavAction) -> ();
    open_external(url: String) -> ();
    save_screenshot(format: ImageFormat) -> String;
    copy_screenshot() -> ();
    copy_text(text: String) -> ();
    open_workspace(path: String) -> ();
    pick_workspace() -> ();
    set_compact(on: bool) -> ();
    set_start_at_login(on: bool) -> ();
    set_notify_new_browser(on: bool) -> ();
    set_record_timeline(on: bool) -> ();
    set_record_while_hidden(on: bool) -> ();
    timeline() -> Vec<Entry>;
    timeline_still(at: f64, after: bool) -> Option<String>;
    clear_timeline() -> ();
    save_timeline() -> String;
}
