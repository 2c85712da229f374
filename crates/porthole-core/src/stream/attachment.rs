//! One attachment: a session's stream, from turning it on to the session's end.
//!
//! [`Attachment::start`] spawns a task that makes the stream attachable
//! ([`ensure_stream`]), connects to `ws://127.0.0.1:PORT/?pacing=ack`, and publishes
//! what arrives: the newest frame, the page's tabs and URL, and an [`AttachState`] that
//! says where it stands. A dropped socket is retried with backoff (250 ms doubling to
//! 5 s), re-running discovery and `ensure_stream` each time, since a restarted daemon or
//! a re-enabled stream has a new port; when the session is gone for good the state is
//! [`AttachState::Ended`]. Dropping the [`Attachment`] ends its task and its socket.
//!
//! Backpressure: the daemon sends one frame and waits for its ack. With
//! [`AckMode::Consumer`] the ack goes out when the consumer calls
//! [`Attachment::ack`] (the window, once it has painted the frame), so a slow window
//! lowers the frame rate instead of growing a queue. A consumer that stops acking (a
//! reloaded page) is covered by a timeout after which the task acks by itself.
//!
//! [`Attachment::set_pace`] says whether anyone is looking: with [`Pace::Unseen`] (the
//! window hidden, the timeline still recorded) the daemon is asked for a few frames a
//! second, and each is acked as it arrives, since nothing will paint it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use ts_rs::TS;

use crate::agent_browser::cli::{AgentBrowserCli, CliError};
use crate::control::navigation::{NavAction, NavError};
use crate::discovery::{Discovery, Session, SessionKind, SessionStatus};
use crate::error::{Coded, ErrorCode, UiError};
use crate::stream::activity::AgentCommand;
use crate::stream::ensure::{devtools_endpoint, ensure_stream, EnsureError};
use crate::stream::frames::{now_ms, Frame, FrameStats};
use crate::stream::protocol::{self, ClientMessage, Input, ServerMessage, Tab};
use crate::sync::lock;

/// How many stream messages a subscriber of [`Attachment::messages`] may fall behind.
pub const MESSAGE_BACKLOG: usize = 1024;

/// Where an attachment stands; what the panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AttachState {
    /// Streaming is off; `stream enable` is running.
    Activating,
    /// Connecting to the stream.
    Connecting {
        port: u16,
    },
    /// Connected; Chrome sends a frame only when the page repaints.
    #[serde(rename_all = "camelCase")]
    WaitingForFrame {
        port: u16,
    },
    Live {
        port: u16,
    },
    /// The stream dropped; trying again.
    #[serde(rename_all = "camelCase")]
    Reconnecting {
        attempt: u32,
        /// When the next try starts, epoch milliseconds.
        retry_at_ms: f64,
        reason: String,
    },
    /// The session is gone for good.
    #[serde(rename_all = "camelCase")]
    Ended {
        at_ms: f64,
        reason: String,
    },
    /// Could not attach: trying again by itself would not help, or did not. The error
    /// says whether the person's Retry may.
    Failed {
        error: UiError,
    },
}

impl AttachState {
    /// Ended or failed: nothing more will come of this attachment.
    pub fn is_over(&self) -> bool {
        matches!(self, Self::Ended { .. } | Self::Failed { .. })
    }
}

/// The page the session shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct PageInfo {
    pub title: String,
    pub url: String,
    pub tabs: Vec<Tab>,
    /// The command the daemon was given last, and how it went.
    pub agent: Option<AgentCommand>,
}

/// Who acks frames to the daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckMode {
    /// The consumer, through [`Attachment::ack`], once it has shown the frame.
    Consumer,
    /// The attachment itself, on receipt (headless measurement).
    OnReceive,
}

/// Whether the frames are shown, or only recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pace {
    /// Every frame, acked as [`AttachOptions::ack`] says.
    #[default]
    Shown,
    /// Nothing shows the frames (the window is hidden; the timeline records): at most
    /// [`UNSEEN_FPS`] a second, each acked on arrival.
    Unseen,
}

/// Frames a second while [`Pace::Unseen`]: enough for the timeline's still a second and
/// its stills after commands, which want a frame captured soon after the result.
pub const UNSEEN_FPS: u32 = 4;

impl Pace {
    /// The stream `config` that asks the daemon for this pace.
    fn config(self) -> ClientMessage {
        ClientMessage::Config {
            max_fps: match self {
                Pace::Shown => 0,
                Pace::Unseen => UNSEEN_FPS,
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct AttachOptions {
    pub ack: AckMode,
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// How long a consumer may take to ack before the attachment acks by itself.
    pub ack_timeout: Duration,
    pub connect_timeout: Duration,
    /// How many times in a row the stream may fail to be made attachable (enable or
    /// verify failing, the CLI timing out) before the attachment stops with an error
    /// the person can retry, rather than asking agent-browser again forever.
    pub ensure_attempts: u32,
}

impl Default for AttachOptions {
    fn default() -> Self {
        Self {
            ack: AckMode::Consumer,
            min_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            ack_timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(3),
            ensure_attempts: 4,
        }
    }
}

/// The largest frame worth sending, in device pixels: the panel's size. Only the CDP
/// source can ask for it (agent-browser's stream size is fixed when its daemon starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
pub struct FrameSize {
    pub width: u32,
    pub height: u32,
}

/// What a frame source publishes into and reads from: the far side of an
/// [`Attachment`]. agent-browser's stream ([`Task`]) and the CDP source
/// ([`crate::cdp::source`]) both speak through it.
pub(crate) struct Link {
    pub options: AttachOptions,
    pub state: watch::Sender<AttachState>,
    pub frames: watch::Sender<Option<Arc<Frame>>>,
    pub page: watch::Sender<PageInfo>,
    pub acks: mpsc::UnboundedReceiver<u64>,
    pub inputs: mpsc::UnboundedReceiver<Input>,
    pub stats: Arc<Mutex<FrameStats>>,
    pub shown: Arc<Mutex<FrameStats>>,
    pub frame_size: watch::Receiver<Option<FrameSize>>,
    /// Toolbar and tab actions for a source that carries them out itself (CDP); the
    /// agent-browser path runs them through the CLI instead.
    pub controls: mpsc::UnboundedReceiver<Control>,
    /// Every stream message but frames, for whoever subscribed (the timeline).
    pub messages: broadcast::Sender<ServerMessage>,
    /// Whether anyone looks at the frames.
    pub pace: watch::Receiver<Pace>,
    /// Whether the newest frame waits for the consumer's ack: until it is acked, the
    /// source sends no newer one, however the page changes.
    pub awaiting_ack: watch::Sender<bool>,
}

/// A toolbar or tab action, and where its outcome goes.
pub(crate) type Control = (NavAction, oneshot::Sender<Result<(), NavError>>);

impl Link {
    /// Says whether the newest frame waits for the consumer's ack; a change only
    /// wakes those watching.
    pub fn set_awaiting_ack(&self, waits: bool) {
        self.awaiting_ack.send_if_modified(|current| {
            let changed = *current != waits;
            *current = waits;
            changed
        });
    }

    /// The session is gone for good.
    pub fn end(&self, reason: String) {
        tracing::info!(%reason, "attachment ended");
        self.state.send_replace(AttachState::Ended {
            at_ms: now_ms(),
            reason,
        });
    }
}

/// A running attachment. Dropping it ends the task and closes the socket.
pub struct Attachment {
    /// The session as last seen alive: a restarted daemon keeps its name under a new pid.
    session: watch::Receiver<Session>,
    state: watch::Receiver<AttachState>,
    frames: watch::Receiver<Option<Arc<Frame>>>,
    page: watch::Receiver<PageInfo>,
    stats: Arc<Mutex<FrameStats>>,
    shown: Arc<Mutex<FrameStats>>,
    acks: mpsc::UnboundedSender<u64>,
    inputs: mpsc::UnboundedSender<Input>,
    /// Whether this attachment ran `stream enable`.
    enabled: Arc<Mutex<bool>>,
    frame_size: watch::Sender<Option<FrameSize>>,
    controls: mpsc::UnboundedSender<Control>,
    messages: broadcast::Sender<ServerMessage>,
    pace: watch::Sender<Pace>,
    awaiting_ack: watch::Receiver<bool>,
    task: JoinHandle<()>,
}

impl Attachment {
    /// Starts attaching `session`. `cli` is only needed if the stream must be turned on.
    pub fn start(
        session: Session,
        discovery: Discovery,
        cli: Result<AgentBrowserCli, CliError>,
        options: AttachOptions,
    ) -> Self {
        let initial = if session.status == SessionStatus::MissingStream {
            AttachState::Activating
        } else {
            AttachState::Connecting {
                port: session.stream_port.or(session.cdp_port).unwrap_or(0),
            }
        };
        let (state_tx, state) = watch::channel(initial);
        let (kind, cdp_port, pid) = (session.kind, session.cdp_port, session.pid);
        let cdp_host = session
            .cdp_host
            .clone()
            .unwrap_or_else(|| "127.0.0.1".into());
        let (session_tx, session_rx) = watch::channel(session);
        let (frames_tx, frames) = watch::channel(None);
        let (page_tx, page) = watch::channel(PageInfo::default());
        let (acks, acks_rx) = mpsc::unbounded_channel();
        let (inputs, inputs_rx) = mpsc::unbounded_channel();
        let stats = Arc::new(Mutex::new(FrameStats::new()));
        let shown = Arc::new(Mutex::new(FrameStats::new()));
        let enabled = Arc::new(Mutex::new(false));
        let (frame_size, frame_size_rx) = watch::channel(None);
        let (controls, controls_rx) = mpsc::unbounded_channel();
        let (messages, _) = broadcast::channel(MESSAGE_BACKLOG);
        let (pace, pace_rx) = watch::channel(Pace::Shown);
        let (awaiting_ack_tx, awaiting_ack) = watch::channel(false);
        let link = Link {
            options,
            state: state_tx,
            frames: frames_tx,
            page: page_tx,
            acks: acks_rx,
            inputs: inputs_rx,
            stats: stats.clone(),
            shown: shown.clone(),
            frame_size: frame_size_rx,
            controls: controls_rx,
            messages: messages.clone(),
            pace: pace_rx,
            awaiting_ack: awaiting_ack_tx,
        };
        let task = match (kind, cdp_port) {
            (SessionKind::Cdp, Some(port)) => {
                let target = crate::cdp::source::Target {
                    host: cdp_host,
                    port,
                    pid,
                };
                tokio::spawn(crate::cdp::source::run(target, link))
            }
            _ => tokio::spawn(
                Task {
                    session: session_tx,
                    discovery,
                    cli,
                    link,
                    enabled: enabled.clone(),
                }
                .run(),
            ),
        };
        Self {
            session: session_rx,
            state,
            frames,
            page,
            stats,
            shown,
            acks,
            inputs,
            enabled,
            frame_size,
            controls,
            messages,
            pace,
            awaiting_ack,
            task,
        }
    }

    /// Whether anyone looks at the frames; see [`Pace`]. Frames keep reaching
    /// [`Attachment::frames`] either way.
    pub fn set_pace(&self, pace: Pace) {
        self.pace.send_if_modified(|current| {
            let changed = *current != pace;
            *current = pace;
            changed
        });
    }

    /// Every message of the stream from now on but its frames: commands and results,
    /// console messages, page errors, URL and tabs. The channel closes when the
    /// attachment is dropped; a receiver more than [`MESSAGE_BACKLOG`] behind is told
    /// how many it missed.
    pub fn messages(&self) -> broadcast::Receiver<ServerMessage> {
        self.messages.subscribe()
    }

    /// Carries out a toolbar or tab action over the browser's own connection. Only a
    /// DevTools browser ([`SessionKind::Cdp`]) takes them this way; an agent-browser
    /// session's go through its CLI ([`crate::control::navigation::run`]).
    pub async fn drive(&self, action: NavAction) -> Result<(), NavError> {
        let (reply, outcome) = oneshot::channel();
        self.controls
            .send((action, reply))
            .map_err(|_| NavError::SessionGone)?;
        outcome.await.unwrap_or(Err(NavError::SessionGone))
    }

    /// The panel's size in device pixels, or `None` for the page's own size. A source
    /// that can (CDP) sends frames no larger; agent-browser's stream ignores it.
    pub fn set_frame_size(&self, size: Option<FrameSize>) {
        self.frame_size.send_if_modified(|current| {
            let changed = *current != size;
            *current = size;
            changed
        });
    }

    /// The session as last seen alive (its pid follows a restarted daemon).
    pub fn session(&self) -> Session {
        self.session.borrow().clone()
    }

    pub fn state(&self) -> watch::Receiver<AttachState> {
        self.state.clone()
    }

    /// The newest frame; `changed()` wakes on every new one.
    pub fn frames(&self) -> watch::Receiver<Option<Arc<Frame>>> {
        self.frames.clone()
    }

    /// Whether the newest frame waits for the consumer's ack ([`Attachment::ack`], or
    /// the timeout): while it does, the page may have changed with no newer frame sent.
    /// Whoever needs a frame of the page as it is now (the timeline's still after a
    /// command) waits for it to turn false.
    pub fn awaiting_ack(&self) -> watch::Receiver<bool> {
        self.awaiting_ack.clone()
    }

    pub fn page(&self) -> watch::Receiver<PageInfo> {
        self.page.clone()
    }

    /// A copy of the frame statistics so far.
    pub fn stats(&self) -> FrameStats {
        lock(&self.stats).clone()
    }

    /// Statistics of the frames the consumer acked as shown (with [`AckMode::Consumer`]);
    /// latency runs from capture to the ack. Frames acked by the timeout are not counted.
    pub fn shown_stats(&self) -> FrameStats {
        lock(&self.shown).clone()
    }

    /// Whether Porthole turned the stream on for this attachment.
    pub fn enabled_stream(&self) -> bool {
        *lock(&self.enabled)
    }

    /// The consumer has shown frame `seq`: the daemon may send the next one.
    pub fn ack(&self, seq: u64) {
        // Fails only when the task has ended, when there is nothing left to ack.
        let _ = self.acks.send(seq);
    }
}

/// Why input did not reach the page.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("the page is not live; input is only sent to a live page")]
    NotLive,
    #[error("that input cannot be sent to a page")]
    Invalid,
}

impl Coded for InputError {
    fn code(&self) -> ErrorCode {
        match self {
            InputError::NotLive => ErrorCode::NotLive,
            InputError::Invalid => ErrorCode::InvalidInput,
        }
    }

    fn retryable(&self) -> bool {
        matches!(self, InputError::NotLive)
    }
}

impl Attachment {
    /// Sends input to the page. Only while Live: input given while the stream is down
    /// is refused rather than replayed later on a page that has moved on.
    pub fn send_input(&self, input: Input) -> Result<(), InputError> {
        if !input.is_valid() {
            return Err(InputError::Invalid);
        }
        if !matches!(*self.state.borrow(), AttachState::Live { .. }) {
            return Err(InputError::NotLive);
        }
        self.inputs.send(input).map_err(|_| InputError::NotLive)
    }
}

impl Drop for Attachment {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// agent-browser's stream as a frame source.
struct Task {
    /// The session as last seen alive, published to [`Attachment::session`].
    session: watch::Sender<Session>,
    discovery: Discovery,
    cli: Result<AgentBrowserCli, CliError>,
    link: Link,
    enabled: Arc<Mutex<bool>>,
}

/// Why a connection ended.
struct Dropped {
    reason: String,
    had_frames: bool,
}

impl Task {
    async fn run(mut self) {
        let mut attempt: u32 = 0;
        let mut ensure_failures: u32 = 0;
        loop {
            let id = self.session.borrow().id.clone();
            let now = match self.discovery.recheck(&id) {
                Ok(s) => s,
                Err(gone) => {
                    self.end(gone.reason);
                    return;
                }
            };
            let previous = self.session.send_replace(now.clone());
            if now.pid != previous.pid {
                tracing::info!(session = %now.name, pid = ?now.pid, "following the session's restarted daemon");
            }
            if now.status == SessionStatus::MissingStream {
                self.link.state.send_replace(AttachState::Activating);
            }
            let ensured = match ensure_stream(&mut self.discovery, self.cli.as_ref(), &now).await {
                Ok(e) => e,
                Err(e @ EnsureError::SessionGone { .. }) => {
                    self.end(e.to_string());
                    return;
                }
                Err(too_old @ EnsureError::CliTooOld { .. }) => {
                    // It cannot stream, but its browser speaks DevTools: show it that way.
                    match devtools_endpoint(&mut self.discovery, self.cli.as_ref(), &now).await {
                        Ok(endpoint) => {
                            tracing::info!(session = %now.name, port = endpoint.port, "the session cannot stream; showing its browser over DevTools");
                            let target = crate::cdp::source::Target {
                                host: endpoint.host,
                                port: endpoint.port,
                                pid: now.pid,
                            };
                            crate::cdp::source::run(target, self.link).await;
                            return;
                        }
                        Err(e) => {
                            tracing::warn!(session = %now.name, error = %e, "cannot attach");
                            let error = match e {
                                EnsureError::SessionGone { .. } => e,
                                _ => too_old,
                            };
                            self.link.state.send_replace(AttachState::Failed {
                                error: error.to_ui(),
                            });
                            return;
                        }
                    }
                }
                Err(e) if !e.retryable() => {
                    tracing::warn!(session = %self.session.borrow().name, error = %e, "cannot attach");
                    self.link
                        .state
                        .send_replace(AttachState::Failed { error: e.to_ui() });
                    return;
                }
                Err(e) => {
                    ensure_failures += 1;
                    if ensure_failures >= self.link.options.ensure_attempts {
                        tracing::warn!(session = %self.session.borrow().name, error = %e, attempts = ensure_failures, "giving up attaching");
                        self.link
                            .state
                            .send_replace(AttachState::Failed { error: e.to_ui() });
                        return;
                    }
                    attempt += 1;
                    self.back_off(attempt, e.to_string()).await;
                    continue;
                }
            };
            ensure_failures = 0;
            if ensured.enabled_now {
                *lock(&self.enabled) = true;
            }
            let port = ensured.port;
            self.link
                .state
                .send_replace(AttachState::Connecting { port });
            let url = format!("ws://127.0.0.1:{port}/?pacing=ack");
            let connected = tokio::time::timeout(
                self.link.options.connect_timeout,
                tokio_tungstenite::connect_async(url),
            )
            .await;
            let socket = match connected {
                Ok(Ok((socket, _))) => socket,
                Ok(Err(e)) => {
                    attempt += 1;
                    self.back_off(attempt, format!("cannot connect to port {port}: {e}"))
                        .await;
                    continue;
                }
                Err(_) => {
                    attempt += 1;
                    self.back_off(attempt, format!("port {port} did not accept in time"))
                        .await;
                    continue;
                }
            };
            tracing::info!(session = %self.session.borrow().name, port, "stream connected");
            self.link
                .state
                .send_replace(AttachState::WaitingForFrame { port });
            let dropped = self.pump(socket, port).await;
            self.link.set_awaiting_ack(false);
            tracing::info!(session = %self.session.borrow().name, reason = %dropped.reason, "stream dropped");
            attempt = if dropped.had_frames { 1 } else { attempt + 1 };
            self.back_off(attempt, dropped.reason).await;
        }
    }

    fn end(&self, reason: String) {
        tracing::info!(session = %self.session.borrow().name, "attachment ending");
        self.link.end(reason);
    }

    async fn back_off(&self, attempt: u32, reason: String) {
        let delay = backoff(
            attempt,
            self.link.options.min_backoff,
            self.link.options.max_backoff,
        );
        // One line a backoff, and backoffs grow: what a stalled attachment waits on.
        tracing::info!(session = %self.session.borrow().name, attempt, %reason, retry_in = ?delay, "attachment retrying");
        self.link.state.send_replace(AttachState::Reconnecting {
            attempt,
            retry_at_ms: now_ms() + delay.as_secs_f64() * 1000.0,
            reason,
        });
        tokio::time::sleep(delay).await;
    }

    async fn pump(
        &mut self,
        socket: tokio_tungstenite::WebSocketStream<
            tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
        >,
        port: u16,
    ) -> Dropped {
        let (mut sink, mut stream) = socket.split();
        // Input given while the stream was down is stale: drop it.
        while self.link.inputs.try_recv().is_ok() {}
        let mut had_frames = false;
        let mut pending: Option<u64> = None;
        let ack_timer = tokio::time::sleep(Duration::from_secs(3600));
        tokio::pin!(ack_timer);
        let dropped = |reason: String, had_frames| Dropped { reason, had_frames };
        // A new connection starts uncapped: only an unseen pace needs saying.
        let mut pace = *self.link.pace.borrow_and_update();
        if pace == Pace::Unseen {
            if let Err(e) = send(&mut sink, &pace.config()).await {
                return dropped(format!("cannot set the pace: {e}"), had_frames);
            }
        }
        loop {
            let mut ack_now = None;
            tokio::select! {
                message = stream.next() => match message {
                    None => return dropped("the stream closed".into(), had_frames),
                    Some(Err(e)) => return dropped(format!("the stream broke: {e}"), had_frames),
                    Some(Ok(Message::Close(_))) => {
                        return dropped("the daemon closed the stream".into(), had_frames)
                    }
                    Some(Ok(Message::Text(text))) => {
                        if let Some(seq) = self.handle(text.as_str(), port, &mut had_frames) {
                            match (pace, self.link.options.ack) {
                                (Pace::Unseen, _) | (_, AckMode::OnReceive) => ack_now = Some(seq),
                                (Pace::Shown, AckMode::Consumer) => {
                                    pending = Some(seq);
                                    ack_timer.as_mut().reset(tokio::time::Instant::now() + self.link.options.ack_timeout);
                                }
                            }
                        }
                    }
                    Some(Ok(_)) => {}
                },
                Some(seq) = self.link.acks.recv() => {
                    if pending.is_some_and(|p| seq >= p) {
                        ack_now = Some(seq);
                        if let Some(frame) = self.link.frames.borrow().as_deref().filter(|f| f.seq == seq) {
                            lock(&self.link.shown).record_shown(frame, now_ms());
                        }
                    }
                }
                Some(input) = self.link.inputs.recv() => {
                    match serde_json::to_string(&input) {
                        Ok(text) => {
                            if let Err(e) = sink.send(Message::Text(text.into())).await {
                                return dropped(format!("cannot send input: {e}"), had_frames);
                            }
                        }
                        Err(error) => tracing::warn!(%error, "cannot serialize input"),
                    }
                }
                _ = &mut ack_timer, if pending.is_some() => {
                    tracing::debug!("the consumer did not ack in time; acking for it");
                    ack_now = pending;
                }
                changed = self.link.pace.changed() => {
                    if changed.is_err() {
                        return dropped("the attachment was dropped".into(), had_frames);
                    }
                    pace = *self.link.pace.borrow_and_update();
                    tracing::info!(session = %self.session.borrow().name, ?pace, "frames paced");
                    if let Err(e) = send(&mut sink, &pace.config()).await {
                        return dropped(format!("cannot set the pace: {e}"), had_frames);
                    }
                    // A frame waiting for a window that is now hidden waits no longer.
                    if pace == Pace::Unseen {
                        ack_now = pending;
                    }
                }
            }
            if let Some(seq) = ack_now {
                pending = None;
                if let Err(e) = send(&mut sink, &ClientMessage::Ack { seq }).await {
                    return dropped(format!("cannot ack: {e}"), had_frames);
                }
            }
            self.link.set_awaiting_ack(pending.is_some());
        }
    }

    /// Publishes one message; returns the seq of a frame to ack.
    fn handle(&mut self, text: &str, port: u16, had_frames: &mut bool) -> Option<u64> {
        let parsed = protocol::parse(text);
        if let Ok(message) = &parsed {
            if !matches!(message, ServerMessage::Frame(_))
                && self.link.messages.receiver_count() > 0
            {
                let _ = self.link.messages.send(message.clone());
            }
        }
        match parsed {
            Ok(ServerMessage::Frame(message)) => {
                let next = self.link.frames.borrow().as_ref().map_or(1, |f| f.seq + 1);
                let frame = Frame::from_message(message, now_ms(), next);
                let seq = frame.seq;
                lock(&self.link.stats).record(&frame);
                self.link.frames.send_replace(Some(Arc::new(frame)));
                if !*had_frames {
                    *had_frames = true;
                    self.link.state.send_replace(AttachState::Live { port });
                }
                Some(seq)
            }
            Ok(ServerMessage::Tabs(tabs)) => {
                self.link.page.send_modify(|page| {
                    if let Some(active) = tabs.tabs.iter().find(|t| t.active) {
                        page.title = active.title.clone();
                        page.url = active.url.clone();
                    }
                    page.tabs = tabs.tabs;
                });
                None
            }
            Ok(ServerMessage::Url(url)) => {
                self.link.page.send_modify(|page| page.url = url.url);
                None
            }
            Ok(ServerMessage::Command(command)) => {
                if let Some(started) = AgentCommand::started(&command) {
                    self.link
                        .page
                        .send_modify(|page| page.agent = Some(started));
                }
                None
            }
            Ok(ServerMessage::Result(result)) => {
                self.link.page.send_if_modified(|page| {
                    page.agent
                        .as_mut()
                        .is_some_and(|agent| agent.finish(&result))
                });
                None
            }
            Ok(_) => None,
            Err(error) => {
                let mut stats = lock(&self.link.stats);
                stats.malformed += 1;
                if stats.malformed <= 5 {
                    tracing::warn!(%error, message = %text.chars().take(120).collect::<String>(), "malformed stream message ignored");
                }
                None
            }
        }
    }
}

/// Sends one message to the daemon.
async fn send<S>(sink: &mut S, message: &ClientMessage) -> Result<(), S::Error>
where
    S: futures_util::Sink<Message> + Unpin,
{
    match serde_json::to_string(message) {
        Ok(text) => sink.send(Message::Text(text.into())).await,
        Err(error) => {
            // Plain enums of numbers always serialize; nothing to send if one did not.
            tracing::warn!(%error, "cannot serialize a message to the daemon");
            Ok(())
        }
    }
}

/// The delay before try `attempt` (1-based): `min`, doubling, capped at `max`.
pub fn backoff(attempt: u32, min: Duration, max: Duration) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    min.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_250ms_to_5s() {
        let min = Duration::from_millis(250);
        let max = Duration::from_secs(5);
        let delays: Vec<u128> = (1..=7).map(|a| backoff(a, min, max).as_millis()).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 5000, 5000]);
        assert_eq!(backoff(u32::MAX, min, max), max, "never overflows");
    }

    #[test]
    fn states_serialize_for_the_panel() {
        let json = serde_json::to_value(AttachState::Reconnecting {
            attempt: 2,
            retry_at_ms: 10.0,
            reason: "r".into(),
        })
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"state": "reconnecting", "attempt": 2, "retryAtMs": 10.0, "reason": "r"})
        );
        let json = serde_json::to_value(AttachState::WaitingForFrame { port: 1 }).expect("json");
        assert_eq!(json["state"], "waiting_for_frame");
    }
}
