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
use crate::discovery::watch::{DiscoveryWatch, WatchOptions};
use crate::discovery::{Discovery, Report, Session};
use crate::error::UiError;
use crate::events;
use crate::settings::SettingsStore;

pub struct AppState {
    /// The open workspace, symlinks resolved; a second `porthole DIR` changes it.
    workspace: Mutex<PathBuf>,
    /// How frame bytes reach the window.
    pub transport: Transport,
    discovery: DiscoveryWatch,
    attached: Mutex<Option<Attached>>,
    /// The window's frame channel, with [`Transport::Channel`].
    frame_channel: Mutex<Option<Channel<InvokeResponseBody>>>,
    /// What is remembered between runs; `None` without a config folder.
    settings: Option<SettingsStore>,
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
            attached: Mutex::new(None),
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
        self.detach(app);
        self.auto_attach(app);
        true
    }

    /// Whether closing the window should quit rather than keep Porthole in the tray.
    pub fn quit_on_close(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| s.get().quit_on_close)
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

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Attached>> {
        self.attached.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The attachment on screen, if any.
    pub fn attachment(&self) -> Option<Arc<Attachment>> {
        self.slot().as_ref().map(|a| a.attachment.clone())
    }

    /// Attaches the session with this id, replacing (and ending) the current attachment.
    pub fn attach(&self, app: &AppHandle, session_id: &str) -> Result<(), UiError> {
        let session = self
            .discovery
            .current()
            .iter()
            .find(|s| s.id == session_id)
            .cloned()
            .ok_or_else(|| UiError {
                code: "session_not_found".into(),
                message: "that session is no longer there".into(),
                retryable: false,
            })?;
        let discovery = Discovery::new().map_err(|e| UiError {
            code: "process_table".into(),
            message: format!("cannot read the process table: {e}"),
            retryable: false,
        })?;
        let cli = AgentBrowserCli::locate(None);
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
        *self.slot() = Some(Attached {
            attachment,
            forward,
        });
        Ok(())
    }

    /// The person chose this session: attach it and remember the choice for this
    /// workspace, so auto-attach prefers it next time.
    pub fn choose(&self, app: &AppHandle, session_id: &str) -> Result<(), UiError> {
        self.attach(app, session_id)?;
        if let (Some(settings), Some(attached)) = (&self.settings, self.attachment()) {
            if self.report().current.iter().any(|s| s.id == session_id) {
                settings.remember_choice(&self.workspace(), &attached.session().name);
            }
        }
        Ok(())
    }

    /// Ends the current attachment; the panel goes back to its no-session state.
    pub fn detach(&self, app: &AppHandle) {
        if self.slot().take().is_some() {
            events::send_detached(app);
        }
    }

    /// Attaches the workspace's session when nothing is on screen, or when what is on
    /// screen has ended: the one the person chose last here if it is live, else the
    /// newest. A running attachment is never replaced, so the
    /// person's choice stands until it ends.
    pub fn auto_attach(&self, app: &AppHandle) {
        let report = self.report();
        let preferred = self
            .settings
            .as_ref()
            .and_then(|s| s.chosen_session(&self.workspace()));
        let Some(candidate) = report.auto_attach_candidate_preferring(preferred.as_deref()) else {
            return;
        };
        if let Some(current) = self.attachment() {
            // What ended is authoritative: discovery may not have noticed yet (its
            // liveness tick is a second), so the same daemon is never taken up again.
            // The same name under a new pid is a restarted daemon, and is.
            let same_daemon =
                current.session().id == candidate.id && current.session().pid == candidate.pid;
            if !current.state().borrow().is_over() || same_daemon {
                return;
            }
        }
        if let Err(error) = self.attach(app, &candidate.id) {
            tracing::warn!(%error, "auto-attach failed");
        }
    }
}
