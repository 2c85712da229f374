//! What the window's commands share: the workspace, the live discovery, and the one
//! attachment the Browser panel shows.
//!
//! The state tells no one about a change itself: every method that changes something
//! returns the [`Change`]s it made, and the caller hands them to
//! [`crate::shell::notify::send`], the one place that tells the window and the tray.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use tauri::ipc::{Channel, InvokeResponseBody};
use tokio::sync::{broadcast, watch};

use crate::args::Transport;
use porthole_core::agent_browser::cli::AgentBrowserCli;
use porthole_core::cdp::endpoint::Endpoint;
use porthole_core::desktop::auto_attach::{self, Hold, OnScreen};
use porthole_core::desktop::settings::{SettingsStore, WindowSize};
use porthole_core::discovery::watch::{DiscoveryWatch, WatchOptions};
use porthole_core::discovery::{
    self, Discovery, Gone, ProcessTableError, Report, Session, SessionKind,
};
use porthole_core::error::{Coded, UiError};
use porthole_core::stream::attachment::{AttachOptions, Attachment, FrameSize, Pace};
use porthole_core::stream::frames::Frame;
use porthole_core::sync::lock;
use porthole_core::timeline::store::{Recording, TimelineDir};
use porthole_core::timeline::{self, Entry};

/// What a change to the shared state means for the window and the tray.
#[derive(Clone)]
pub enum Change {
    /// This attachment went on screen: the window follows its state, frames and page.
    Attached(Arc<Attachment>),
    /// The app ended the attachment on screen (Detach, hiding, another workspace).
    Detached,
    /// Another workspace is open.
    Workspace,
    /// The sessions list changed (discovery, or another workspace to group them for).
    Sessions,
    /// The window is back on this attachment, which it did not see while hidden: the
    /// window hears its state and newest frame again.
    Shown(Arc<Attachment>),
    /// The attachment on screen started being recorded: the window lists its timeline.
    Recording,
}

pub struct AppState {
    /// The open workspace, symlinks resolved; a second `porthole DIR` changes it.
    workspace: Mutex<PathBuf>,
    /// How frame bytes reach the window.
    pub transport: Transport,
    discovery: DiscoveryWatch,
    screen: Mutex<Screen>,
    /// The window's frame channel, with [`Transport::Channel`].
    frame_channel: Mutex<Option<Channel<InvokeResponseBody>>>,
    /// The frame the `frame:` scheme served last: what the window says it drew.
    served: Mutex<Option<Arc<Frame>>>,
    /// What is remembered between runs; `None` without a config folder.
    settings: Option<SettingsStore>,
    /// How many browsers the person is starting ("New browser…"): auto-attach waits
    /// while one launches, and the finished one is shown as the person's choice.
    starting: std::sync::atomic::AtomicUsize,
}

/// Held while the person's browser starts; see [`AppState::starting_browser`].
pub struct StartingGuard<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for StartingGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// What the Browser panel shows, and what keeps auto-attach back. One lock, so that
/// deciding what to attach and attaching it cannot interleave with a pick.
#[derive(Default)]
struct Screen {
    attached: Option<Arc<Attachment>>,
    hold: Hold,
    /// The panel's size in device pixels, as the window last said: every attachment
    /// starts with it, so a CDP source sends frames no larger.
    frame_size: Option<FrameSize>,
    /// The timeline being recorded of the attachment on screen, if it is.
    recorded: Option<Recorded>,
}

impl Screen {
    /// The attachment on screen, unless it has ended or failed.
    fn live(&self) -> Option<Arc<Attachment>> {
        self.attached
            .as_ref()
            .filter(|a| !a.state().borrow().is_over())
            .cloned()
    }
}

/// How many of the latest entries the window lists.
pub const TIMELINE_SHOWN: usize = 2_000;

/// A timeline being recorded: where, and its entries as they are written.
struct Recorded {
    recording: Recording,
    workspace: PathBuf,
    session: String,
}

impl AppState {
    /// Starts discovery on Tauri's tokio runtime.
    pub fn start(
        workspace: PathBuf,
        transport: Transport,
        settings: Option<SettingsStore>,
    ) -> Result<Self, ProcessTableError> {
        let discovery = Discovery::new()?;
        let watch = tauri::async_runtime::block_on(async {
            DiscoveryWatch::spawn(discovery, WatchOptions::default())
        });
        if let Some(settings) = &settings {
            settings.remember_workspace(&workspace);
        }
        Ok(Self {
            workspace: Mutex::new(workspace),
            transport,
            discovery: watch,
            screen: Mutex::new(Screen::default()),
            frame_channel: Mutex::new(None),
            served: Mutex::new(None),
            settings,
            starting: Default::default(),
        })
    }

    pub fn workspace(&self) -> PathBuf {
        lock(&self.workspace).clone()
    }

    /// Switches to another workspace (already resolved): what is on screen is detached,
    /// the choice is remembered, and the workspace's own session is attached if any.
    /// Nothing changes when it was already open.
    pub fn open_workspace(&self, workspace: PathBuf) -> Vec<Change> {
        {
            let mut current = lock(&self.workspace);
            if *current == workspace {
                return Vec::new();
            }
            tracing::info!(workspace = %workspace.display(), "opening another workspace");
            *current = workspace.clone();
        }
        if let Some(settings) = &self.settings {
            settings.remember_workspace(&workspace);
        }
        let mut changes: Vec<Change> = self.end_attachment(Hold::Free).into_iter().collect();
        changes.extend(self.auto_attach());
        changes.extend([Change::Workspace, Change::Sessions]);
        changes
    }

    /// Whether closing the window should quit rather than keep Porthole in the tray.
    pub fn quit_on_close(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| s.get().quit_on_close)
    }

    /// The window's size before compact mode, while compact mode is on.
    pub fn compact(&self) -> Option<WindowSize> {
        self.settings.as_ref().and_then(|s| s.get().compact)
    }

    /// Turns compact mode on (remembering the size to return to) or off; kept across
    /// restarts, as the window's size is.
    pub fn set_compact(&self, from: Option<WindowSize>) {
        if let Some(settings) = &self.settings {
            settings.update(|s| s.compact = from);
        }
    }

    /// The agent-browser CLI the person set in settings.json, if any.
    pub fn agent_browser(&self) -> Option<PathBuf> {
        self.settings.as_ref().and_then(|s| s.get().agent_browser)
    }

    /// Workspaces opened before whose folder is still there, most recent first (the
    /// open one included).
    pub fn recent_workspaces(&self) -> Vec<PathBuf> {
        self.settings
            .as_ref()
            .map(|s| s.recent_existing())
            .unwrap_or_default()
    }

    /// The `minFreeMb` setting: the free memory a new browser needs, if the person set it.
    pub fn min_free_mb(&self) -> Option<u64> {
        self.settings.as_ref().and_then(|s| s.get().min_free_mb)
    }

    /// Whether a browser the agent opens is announced while the window is hidden.
    pub fn notify_new_browser(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| s.get().notify_new_browser)
    }

    pub fn set_notify_new_browser(&self, on: bool) {
        if let Some(settings) = &self.settings {
            settings.update(|s| s.notify_new_browser = on);
        }
    }

    /// Whether the agent's commands, console and errors are recorded while attached.
    pub fn record_timeline(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| s.get().record_timeline)
    }

    /// Turns the recording on or off, for the session on screen too: off stops its
    /// recording now; on starts recording it.
    pub fn set_record_timeline(&self, on: bool) -> Vec<Change> {
        if let Some(settings) = &self.settings {
            settings.update(|s| s.record_timeline = on);
        }
        let mut screen = self.screen();
        if !on {
            if let Some(recorded) = screen.recorded.take() {
                recorded.recording.stop();
                tracing::info!(session = %recorded.session, "recording stopped");
            }
            return Vec::new();
        }
        let Some(attachment) = screen.live() else {
            return Vec::new();
        };
        if screen.recorded.is_some() {
            return Vec::new();
        }
        // Commands run on the main thread, outside the runtime the recording's task needs.
        let _runtime = tauri::async_runtime::handle().inner().enter();
        screen.recorded = self.record(&attachment, &attachment.session());
        if screen.recorded.is_some() {
            vec![Change::Recording]
        } else {
            Vec::new()
        }
    }

    /// Whether a recorded attachment goes on while the window is hidden in the tray.
    pub fn record_while_hidden(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| s.get().record_while_hidden)
    }

    pub fn set_record_while_hidden(&self, on: bool) {
        if let Some(settings) = &self.settings {
            settings.update(|s| s.record_while_hidden = on);
        }
    }

    /// Records `attachment`'s timeline, if the person lets Porthole: agent-browser
    /// sessions only (a DevTools browser has no agent commands to show), under the
    /// session's own workspace, the daemon's folder.
    fn record(&self, attachment: &Attachment, session: &Session) -> Option<Recorded> {
        let settings = self.settings.as_ref().map(SettingsStore::get)?;
        if !settings.record_timeline || session.kind != SessionKind::AgentBrowser {
            return None;
        }
        let Some(dir) = TimelineDir::default_dir() else {
            tracing::warn!("no data folder: the timeline is not recorded");
            return None;
        };
        let workspace = session.cwd.clone().unwrap_or_else(|| self.workspace());
        match timeline::store::record(
            attachment.messages(),
            attachment.frames(),
            attachment.awaiting_ack(),
            &dir,
            &workspace,
            &session.name,
            settings.retention(),
        ) {
            Ok(recording) => Some(Recorded {
                recording,
                workspace,
                session: session.name.clone(),
            }),
            Err(error) => {
                tracing::warn!(%error, "cannot start recording the timeline");
                None
            }
        }
    }

    /// The latest [`TIMELINE_SHOWN`] entries recorded of the session on screen, oldest
    /// first; `None` when it is not recorded.
    pub fn timeline(&self) -> Option<Vec<Entry>> {
        // Read outside the lock: the file may be long.
        let (workspace, session) = self.recorded()?;
        let mut entries = TimelineDir::default_dir()?
            .read(&workspace, &session)
            .map(|t| t.entries)
            .unwrap_or_default();
        entries.drain(..entries.len().saturating_sub(TIMELINE_SHOWN));
        Some(entries)
    }

    /// The still of the session on screen nearest a moment: the page as it was at `at`
    /// (the latest still at or before it), or, with `after`, the first one after it.
    pub fn still(&self, at: f64, after: bool) -> Option<Vec<u8>> {
        let (workspace, session) = self.recorded()?;
        let path = TimelineDir::default_dir()?.still_at(&workspace, &session, at, after)?;
        std::fs::read(path).ok()
    }

    /// Forgets what was recorded of the session on screen.
    pub fn clear_timeline(&self) -> std::io::Result<()> {
        let Some((workspace, session)) = self.recorded() else {
            return Ok(());
        };
        match TimelineDir::default_dir() {
            Some(dir) => dir.clear(&workspace, &session),
            None => Ok(()),
        }
    }

    /// The workspace and session of the timeline being recorded.
    pub fn recorded(&self) -> Option<(PathBuf, String)> {
        let screen = self.screen();
        let recorded = screen.recorded.as_ref()?;
        Some((recorded.workspace.clone(), recorded.session.clone()))
    }

    /// The entries recorded of the session on screen from now on, as they are written.
    pub fn timeline_updates(&self) -> Option<broadcast::Receiver<Entry>> {
        self.screen()
            .recorded
            .as_ref()
            .map(|r| r.recording.subscribe())
    }

    /// Whether the window is hidden in the tray.
    pub fn is_hidden(&self) -> bool {
        matches!(self.screen().hold, Hold::Hidden { .. })
    }

    pub fn report(&self) -> Report {
        Report::for_workspace(&self.workspace(), self.discovery.current().as_ref().clone())
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<Vec<Session>>> {
        self.discovery.subscribe()
    }

    /// Where frame bytes go with [`Transport::Channel`]; a reloaded window replaces it.
    pub fn set_frame_channel(&self, channel: Channel<InvokeResponseBody>) {
        *lock(&self.frame_channel) = Some(channel);
    }

    /// Notes the frame the `frame:` scheme is serving.
    pub fn note_served(&self, frame: Arc<Frame>) {
        *lock(&self.served) = Some(frame);
    }

    /// The frame the `frame:` scheme served last, taken: the window drew it.
    pub fn take_served(&self) -> Option<Arc<Frame>> {
        lock(&self.served).take()
    }

    pub fn frame_channel(&self) -> Option<Channel<InvokeResponseBody>> {
        lock(&self.frame_channel).clone()
    }

    fn screen(&self) -> MutexGuard<'_, Screen> {
        lock(&self.screen)
    }

    /// The attachment on screen, if any.
    pub fn attachment(&self) -> Option<Arc<Attachment>> {
        self.screen().attached.clone()
    }

    /// The person chose this session: attach it, lift any hold, and remember the choice
    /// for this workspace, so auto-attach prefers it next time.
    pub fn choose(&self, session_id: &str) -> Result<Vec<Change>, UiError> {
        let session = self.live_session(session_id).map_err(|e| e.to_ui())?;
        self.show_session(session)
    }

    /// A browser the person asked for is starting: nothing attaches by itself until the
    /// returned guard is dropped (the browser is live, or failed to start). A half-launched
    /// session is never attached.
    pub fn starting_browser(&self) -> StartingGuard<'_> {
        self.starting
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        StartingGuard(&self.starting)
    }

    /// Attaches `session`, just found live by the caller (a browser the person started,
    /// which discovery's watch may not have seen yet), as the person's choice.
    pub fn show_session(&self, session: Session) -> Result<Vec<Change>, UiError> {
        let change = {
            let mut screen = self.screen();
            let change = self.attach_on(&mut screen, session.clone());
            let change = change.map_err(|e| e.to_ui())?;
            screen.hold = Hold::Free;
            change
        };
        if let Some(settings) = &self.settings {
            if self.report().current.iter().any(|s| s.id == session.id) {
                settings.remember_choice(&self.workspace(), &session.name);
            }
        }
        Ok(vec![change])
    }

    /// The person connected to the browser at `endpoint` by hand: attach it (the one
    /// discovery lists on that port, else one known by its address) and lift any hold.
    pub async fn connect(&self, endpoint: &Endpoint) -> Result<Vec<Change>, UiError> {
        // A browser started a moment ago may not be in the last scan yet: look now.
        let session = endpoint.session(&self.discovery.rescan().await);
        let mut screen = self.screen();
        let change = self
            .attach_on(&mut screen, session)
            .map_err(|e| e.to_ui())?;
        screen.hold = Hold::Free;
        Ok(vec![change])
    }

    /// The person's Detach: the panel empties and stays empty until they pick a
    /// session or open a workspace.
    pub fn detach(&self) -> Vec<Change> {
        self.end_attachment(Hold::Detached).into_iter().collect()
    }

    /// The window went to the tray: nothing streams while nobody can see it, unless the
    /// person asked for the timeline to be kept while hidden ("Keep recording while
    /// hidden"). Then a recorded attachment stays, at the few frames a second its stills
    /// need ([`Pace::Unseen`]), and the tray says it records.
    pub fn window_hidden(&self) -> Vec<Change> {
        // What hides with the window: the person's Detach holds while hidden too.
        let record = self.record_while_hidden() && self.record_timeline();
        let resume = {
            let mut screen = self.screen();
            let live = screen.live();
            let (resume, record) = match &screen.hold {
                Hold::Hidden { resume, .. } => (resume.clone(), record),
                Hold::Detached => (None, false),
                Hold::Free => (live.as_ref().map(|a| a.session().id), record),
            };
            if let (true, true, Some(attachment)) = (record, screen.recorded.is_some(), live) {
                attachment.set_pace(Pace::Unseen);
                screen.hold = Hold::Hidden { resume, record };
                tracing::info!(session = %attachment.session().name, "recording while hidden");
                return vec![Change::Sessions];
            }
            Hold::Hidden { resume, record }
        };
        let mut changes: Vec<Change> = self.end_attachment(resume).into_iter().collect();
        // Keeping the record, the workspace's session is recorded from now on even if
        // none was on screen (Porthole started hidden at login, say).
        changes.extend(self.auto_attach());
        changes
    }

    /// The session recorded while the window is hidden, if any.
    pub fn recording_hidden(&self) -> Option<String> {
        let screen = self.screen();
        if !matches!(screen.hold, Hold::Hidden { .. }) || screen.recorded.is_none() {
            return None;
        }
        screen.live().map(|a| a.session().name)
    }

    /// While the window is hidden: show `session_id` when it comes back, rather than
    /// what was on screen before (the person answered a notification about it).
    pub fn resume_on_show(&self, session_id: &str) {
        let mut screen = self.screen();
        if let Hold::Hidden { resume, .. } = &mut screen.hold {
            *resume = Some(session_id.to_owned());
        }
    }

    /// The window is back: the attachment kept while hidden is shown again at full
    /// pace; otherwise what was on screen when it was hidden is attached again if it is
    /// still alive, else auto-attach picks as usual.
    pub fn window_shown(&self) -> Vec<Change> {
        let (resume, kept) = {
            let mut screen = self.screen();
            let Hold::Hidden { resume, .. } = std::mem::take(&mut screen.hold) else {
                return Vec::new();
            };
            let kept = screen.live();
            (resume, kept)
        };
        // `resume` wins when it names another live session: the one on screen before
        // hiding, or the one a notification's Show asked for.
        let other = resume.filter(|id| kept.as_ref().is_none_or(|k| k.session().id != *id));
        match other.map(|id| self.live_session(&id)) {
            Some(Ok(session)) => {
                let mut screen = self.screen();
                match self.attach_on(&mut screen, session) {
                    Ok(change) => return vec![change],
                    Err(error) => {
                        tracing::warn!(%error, "cannot attach again after the window was shown")
                    }
                }
            }
            Some(Err(gone)) => tracing::info!(%gone, "what was on screen before hiding is gone"),
            None => {}
        }
        if let Some(attachment) = kept {
            attachment.set_pace(Pace::Shown);
            return vec![Change::Shown(attachment)];
        }
        self.auto_attach()
    }

    /// Attaches what [`auto_attach::decide`] says: the workspace's session when nothing
    /// runs on screen, unless a hold keeps it back.
    pub fn auto_attach(&self) -> Vec<Change> {
        if self.starting.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            return Vec::new();
        }
        let report = self.report();
        let preferred = self
            .settings
            .as_ref()
            .and_then(|s| s.chosen_session(&self.workspace()));
        let mut screen = self.screen();
        let current = screen
            .attached
            .as_ref()
            .map(|a| (a.session(), a.state().borrow().is_over()));
        let on_screen = current.as_ref().map(|(s, over)| OnScreen {
            id: &s.id,
            pid: s.pid,
            over: *over,
        });
        match auto_attach::decide(&report, preferred.as_deref(), on_screen, &screen.hold) {
            Some(candidate) => match self.attach_on(&mut screen, candidate.clone()) {
                Ok(change) => {
                    if let (Hold::Hidden { .. }, Change::Attached(attachment)) =
                        (&screen.hold, &change)
                    {
                        attachment.set_pace(Pace::Unseen);
                        tracing::info!(session = %candidate.name, "recording while hidden");
                    }
                    vec![change]
                }
                Err(error) => {
                    tracing::warn!(%error, "auto-attach failed");
                    Vec::new()
                }
            },
            None => Vec::new(),
        }
    }

    /// The live session with this id, as discovery sees it now.
    fn live_session(&self, id: &str) -> Result<Session, Gone> {
        discovery::find_alive(&self.discovery.current(), id)
    }

    /// Starts attaching `session` in `screen`, replacing (and ending) what was there.
    fn attach_on(
        &self,
        screen: &mut Screen,
        session: Session,
    ) -> Result<Change, ProcessTableError> {
        let discovery = Discovery::new()?;
        let cli = AgentBrowserCli::locate(self.agent_browser().as_deref());
        tracing::info!(session = %session.name, "attaching");
        // Commands and tray events run on the main thread, outside the async runtime
        // the attachment's task needs.
        let _runtime = tauri::async_runtime::handle().inner().enter();
        let attachment = Arc::new(Attachment::start(
            session.clone(),
            discovery,
            cli,
            AttachOptions::default(),
        ));
        screen.recorded = self.record(&attachment, &session);
        attachment.set_frame_size(screen.frame_size);
        screen.attached = Some(attachment.clone());
        Ok(Change::Attached(attachment))
    }

    /// The panel is now `size` device pixels (`None`: not showing frames).
    pub fn set_frame_size(&self, size: Option<FrameSize>) {
        let mut screen = lock(&self.screen);
        screen.frame_size = size;
        if let Some(attachment) = &screen.attached {
            attachment.set_frame_size(size);
        }
    }

    /// Ends the attachment on screen, if any, and sets the hold.
    fn end_attachment(&self, hold: Hold) -> Option<Change> {
        let ended = {
            let mut screen = self.screen();
            screen.hold = hold;
            screen.recorded = None;
            screen.attached.take()
        };
        ended.map(|_| Change::Detached)
    }
}
