//! What the window's commands share: the workspace, the live discovery, and the one
//! attachment the Browser panel shows.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::AppHandle;
use tokio::sync::watch;

use crate::agent_browser::cli::AgentBrowserCli;
use crate::args::Transport;
use crate::attach::{AttachOptions, Attachment};
use crate::auto_attach::{self, Hold, OnScreen};
use crate::discovery::watch::{DiscoveryWatch, WatchOptions};
use crate::discovery::{Discovery, Report, Session};
use crate::error::UiError;
use crate::events;
use crate::settings::{SettingsStore, WindowSize};

pub struct AppState {
    /// The open workspace, symlinks resolved; a second `porthole DIR` changes it.
    workspace: Mutex<PathBuf>,
    /// How frame bytes reach the window.
    pub transport: Transport,
    discovery: DiscoveryWatch,
    screen: Mutex<Screen>,
    /// The window's frame channel, with [`Transport::Channel`].
    frame_channel: Mutex<Option<Channel<InvokeResponseBody>>>,
    /// What is remembered between runs; `None` without a config folder.
    settings: Option<SettingsStore>,
}

/// What the Browser panel shows, and what keeps auto-attach back. One lock, so that
/// deciding what to attach and attaching it cannot interleave with a pick.
#[derive(Default)]
struct Screen {
    attached: Option<Attached>,
    hold: Hold,
}

/// The attachment on screen and the task that forwards it to the window.
struct Attached {
    attachment: Arc<Attachment>,
    forward: tauri::async_runtime::JoinHandle<()>,
}

impl Drop for Attached {
    fn drop(&mut self) {
        self.forward.abort();
    }
}

impl AppState {
    /// Starts discovery on Tauri's tokio runtime.
    pub fn start(
        workspace: PathBuf,
        transport: Transport,
        settings: Option<SettingsStore>,
    ) -> Result<Self, Box<dyn std::error::Error>> {
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
            settings,
        })
    }

    pub fn workspace(&self) -> PathBuf {
        self.workspace
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Switches to another workspace (already resolved): what is on screen is detached,
    /// the choice is remembered, and the workspace's own session is attached if any.
    /// Returns false when it was already open.
    pub fn open_workspace(&self, app: &AppHandle, workspace: PathBuf) -> bool {
        {
            let mut current = self.workspace.lock().unwrap_or_else(|p| p.into_inner());
            if *current == workspace {
                return false;
            }
            tracing::info!(workspace = %workspace.display(), "opening another workspace");
            *current = workspace.clone();
        }
        if let Some(settings) = &self.settings {
            settings.remember_workspace(&workspace);
        }
        self.end_attachment(app, Hold::Free);
        self.auto_attach(app);
        true
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

    /// Workspaces opened before, most recent first (the open one included).
    pub fn recent_workspaces(&self) -> Vec<PathBuf> {
        self.settings
            .as_ref()
            .map(|s| s.get().recent)
            .unwrap_or_default()
    }

    pub fn report(&self) -> Report {
        Report::for_workspace(&self.workspace(), self.discovery.current().as_ref().clone())
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<Vec<Session>>> {
        self.discovery.subscribe()
    }

    /// Where frame bytes go with [`Transport::Channel`]; a reloaded window replaces it.
    pub fn set_frame_channel(&self, channel: Channel<InvokeResponseBody>) {
        *self.frame_channel.lock().unwrap_or_else(|p| p.into_inner()) = Some(channel);
    }

    pub fn frame_channel(&self) -> Option<Channel<InvokeResponseBody>> {
        self.frame_channel
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn screen(&self) -> std::sync::MutexGuard<'_, Screen> {
        self.screen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The attachment on screen, if any.
    pub fn attachment(&self) -> Option<Arc<Attachment>> {
        self.screen()
            .attached
            .as_ref()
            .map(|a| a.attachment.clone())
    }

    /// The person chose this session: attach it, lift any hold, and remember the choice
    /// for this workspace, so auto-attach prefers it next time.
    pub fn choose(&self, app: &AppHandle, session_id: &str) -> Result<(), UiError> {
        let session = self.live_session(session_id).ok_or_else(|| UiError {
            code: "session_not_found".into(),
            message: "that session is no longer there".into(),
            retryable: false,
        })?;
        {
            let mut screen = self.screen();
            self.attach_on(&mut screen, app, session.clone())?;
            screen.hold = Hold::Free;
        }
        if let Some(settings) = &self.settings {
            if self.report().current.iter().any(|s| s.id == session.id) {
                settings.remember_choice(&self.workspace(), &session.name);
            }
        }
        Ok(())
    }

    /// The person's Detach: the panel empties and stays empty until they pick a
    /// session or open a workspace.
    pub fn detach(&self, app: &AppHandle) {
        self.end_attachment(app, Hold::Detached);
    }

    /// The window went to the tray: nothing streams while nobody can see it.
    pub fn window_hidden(&self, app: &AppHandle) {
        let resume = {
            let screen = self.screen();
            match &screen.hold {
                Hold::Hidden { resume } => resume.clone(),
                _ => screen
                    .attached
                    .as_ref()
                    .filter(|a| !a.attachment.state().borrow().is_over())
                    .map(|a| a.attachment.session().id),
            }
        };
        self.end_attachment(app, Hold::Hidden { resume });
    }

    /// The window is back: what was on screen when it was hidden is attached again if
    /// it is still alive, else auto-attach picks as usual.
    pub fn window_shown(&self, app: &AppHandle) {
        let resume = {
            let mut screen = self.screen();
            let Hold::Hidden { resume } = std::mem::take(&mut screen.hold) else {
                return;
            };
            resume
        };
        let resumed = resume.and_then(|id| self.live_session(&id)).map(|session| {
            let mut screen = self.screen();
            self.attach_on(&mut screen, app, session)
        });
        match resumed {
            Some(Ok(())) => {}
            Some(Err(error)) => {
                tracing::warn!(%error, "cannot attach again after the window was shown");
                self.auto_attach(app);
            }
            None => self.auto_attach(app),
        }
    }

    /// Attaches what [`auto_attach::decide`] says: the workspace's session when nothing
    /// runs on screen, unless a hold keeps it back.
    pub fn auto_attach(&self, app: &AppHandle) {
        let report = self.report();
        let preferred = self
            .settings
            .as_ref()
            .and_then(|s| s.chosen_session(&self.workspace()));
        let mut screen = self.screen();
        let current = screen.attached.as_ref().map(|a| {
            let session = a.attachment.session();
            let over = a.attachment.state().borrow().is_over();
            (session, over)
        });
        let on_screen = current.as_ref().map(|(s, over)| OnScreen {
            id: &s.id,
            pid: s.pid,
            over: *over,
        });
        let Some(candidate) =
            auto_attach::decide(&report, preferred.as_deref(), on_screen, &screen.hold)
        else {
            return;
        };
        if let Err(error) = self.attach_on(&mut screen, app, candidate.clone()) {
            tracing::warn!(%error, "auto-attach failed");
        }
    }

    /// The live session with this id, as discovery sees it now.
    fn live_session(&self, id: &str) -> Option<Session> {
        self.discovery
            .current()
            .iter()
            .find(|s| s.id == id && s.is_alive())
            .cloned()
    }

    /// Starts attaching `session` in `screen`, replacing (and ending) what was there.
    fn attach_on(
        &self,
        screen: &mut Screen,
        app: &AppHandle,
        session: Session,
    ) -> Result<(), UiError> {
        let discovery = Discovery::new().map_err(|e| UiError {
            code: "process_table".into(),
            message: format!("cannot read the process table: {e}"),
            retryable: false,
        })?;
        let cli = AgentBrowserCli::locate(self.agent_browser().as_deref());
        tracing::info!(session = %session.name, "attaching");
        // Commands and tray events run on the main thread, outside the async runtime
        // the attachment's task needs.
        let _runtime = tauri::async_runtime::handle().inner().enter();
        let attachment = Arc::new(Attachment::start(
            session,
            discovery,
            cli,
            AttachOptions::default(),
        ));
        let forward = events::forward_attachment(app, attachment.clone());
        screen.attached = Some(Attached {
            attachment,
            forward,
        });
        Ok(())
    }

    /// Ends the attachment on screen, if any, and sets the hold.
    fn end_attachment(&self, app: &AppHandle, hold: Hold) {
        let ended = {
            let mut screen = self.screen();
            screen.hold = hold;
            screen.attached.take()
        };
        if ended.is_some() {
            drop(ended);
            events::send_detached(app);
        }
    }
}
