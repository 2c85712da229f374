//! The CDP frame source: a browser's page shown through `Page.startScreencast`, published
//! into the same channels as agent-browser's stream, so the panel, `porthole watch` and
//! the benchmarks cannot tell the two apart.
//!
//! It is started by [`crate::stream::attachment::Attachment::start`] for a session of
//! [`crate::discovery::SessionKind::Cdp`]. What it does to the browser, and nothing
//! more:
//!
//! - `Target.setDiscoverTargets` on its own connection, to follow the tabs;
//! - `Target.attachToTarget` (flat) to the page in front: the one `GET /json/list`
//!   names first, then any page the agent opens while attached;
//! - `Page.startScreencast` with JPEG and `maxWidth`/`maxHeight` of the panel in device
//!   pixels ([`crate::stream::attachment::Attachment::set_frame_size`]), restarted
//!   when that size changes;
//! - `Page.screencastFrameAck` only once the consumer acks the frame: the browser sends
//!   the next frame after that, so a slow panel lowers the rate and nothing queues;
//! - `Input.dispatchMouseEvent`, `Input.dispatchKeyEvent` and `Input.insertText` for
//!   the person's input, only while live;
//! - the toolbar's actions ([`crate::stream::attachment::Attachment::drive`]): history
//!   and reload through the `Page` domain, tabs through `Target`, a new tab only when
//!   the person asks for one;
//! - on detach, `Page.stopScreencast` and the socket closed.
//!
//! No emulation, no viewport change, no new target.

use std::sync::Arc;
use std::time::Duration;

use chromiumoxide_cdp::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, DispatchMouseEventParams, DispatchMouseEventType,
    InsertTextParams, MouseButton as CdpButton,
};
use chromiumoxide_cdp::cdp::browser_protocol::page::{
    GetNavigationHistoryParams, NavigateParams, NavigateToHistoryEntryParams, ReloadParams,
    ScreencastFrameAckParams, StartScreencastFormat, StartScreencastParams, StopScreencastParams,
};
use chromiumoxide_cdp::cdp::browser_protocol::target::{
    ActivateTargetParams, AttachToTargetParams, CloseTargetParams, CreateTargetParams,
    GetTargetInfoParams, GetTargetsParams, SetDiscoverTargetsParams, TargetId, TargetInfo,
};
use chromiumoxide_cdp::cdp::CdpEvent;

use crate::cdp::connection::{browser_ws_url, pages_by_activity, CdpError, Connection, Incoming};
use crate::control::navigation::{normalize_url, NavAction, NavError};
use crate::stream::attachment::{backoff, AckMode, AttachState, FrameSize, Link};
use crate::stream::frames::{now_ms, Frame};
use crate::stream::protocol::{
    FrameMessage, FrameMetadata, Input, KeyEventType, MouseButton, MouseEventType, Tab,
};
use crate::sync::lock;

/// JPEG quality asked of the browser: agent-browser's stream default.
const QUALITY: i64 = 80;
/// How often the page's title is read while its frames come. Chrome announces a
/// navigation (`Target.targetInfoChanged`) but not a title set by script, and offers no
/// event for it; a page that changes its title repaints, so the title is read again with
/// a frame, at most this often, and never while the page is still.
const TITLE_EVERY: Duration = Duration::from_secs(1);
/// How long the panel's size must hold still before the screencast is restarted at it.
const RESIZE_DEBOUNCE: Duration = Duration::from_millis(200);

/// Where the browser's DevTools listen.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    /// The browser's process, when known: its end is the session's end.
    pub pid: Option<u32>,
}

/// Runs until the browser is gone; every state goes to `link`.
pub(crate) async fn run(target: Target, mut link: Link) {
    let mut attempt: u32 = 0;
    loop {
        let outcome = attach_once(&target, &mut link).await;
        let reason = match outcome {
            Ok(()) => return,
            Err(reason) => reason,
        };
        if let Some(pid) = target.pid {
            if !process_alive(pid) {
                link.end(format!("the browser (pid {pid}) exited"));
                return;
            }
        }
        attempt += 1;
        if target.pid.is_none() && attempt > link.options.ensure_attempts {
            link.end(format!("{reason}; given up after {attempt} tries"));
            return;
        }
        let delay = backoff(attempt, link.options.min_backoff, link.options.max_backoff);
        link.state.send_replace(AttachState::Reconnecting {
            attempt,
            retry_at_ms: now_ms() + delay.as_secs_f64() * 1000.0,
            reason,
        });
        tokio::time::sleep(delay).await;
    }
}

/// Whether `pid` runs (and is not a zombie nobody reaped).
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// One connection, from the handshake to its end. `Err` says why it dropped.
async fn attach_once(target: &Target, link: &mut Link) -> Result<(), String> {
    let port = target.port;
    link.state.send_replace(AttachState::Connecting { port });
    let url = browser_ws_url(&target.host, port)
        .await
        .map_err(|e| e.to_string())?;
    let mut cdp = Connection::connect(&url).await.map_err(|e| e.to_string())?;
    tracing::info!(port, "DevTools connected");
    let mut pump = Pump {
        port,
        tabs: Vec::new(),
        attached: None,
        pending: None,
        title_read: None,
    };
    let result = pump.run(&mut cdp, target, link).await;
    link.set_awaiting_ack(false);
    if let Some((_, session)) = &pump.attached {
        let _ = cdp
            .send(StopScreencastParams::default(), Some(session.as_str()))
            .await;
    }
    cdp.close().await;
    match result {
        Ok(()) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

struct Pump {
    port: u16,
    /// The browser's pages, in the order they were first seen.
    tabs: Vec<TargetInfo>,
    /// The page shown, and the flat session attached to it.
    attached: Option<(TargetId, String)>,
    /// The frame awaiting the consumer's ack: its seq and the browser's frame number.
    pending: Option<(u64, i64)>,
    /// When the shown page's title was last read (see [`TITLE_EVERY`]).
    title_read: Option<tokio::time::Instant>,
}

impl Pump {
    async fn run(
        &mut self,
        cdp: &mut Connection,
        target: &Target,
        link: &mut Link,
    ) -> Result<(), CdpError> {
        cdp.call(SetDiscoverTargetsParams::new(true), None).await?;
        self.tabs = cdp
            .call(GetTargetsParams::default(), None)
            .await?
            .target_infos
            .into_iter()
            .filter(|t| t.r#type == "page")
            .collect();
        let front = pages_by_activity(&target.host, target.port)
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|id| self.tabs.iter().any(|t| t.target_id.inner() == id))
            .map(TargetId::new)
            .or_else(|| self.tabs.first().map(|t| t.target_id.clone()));
        link.state
            .send_replace(AttachState::WaitingForFrame { port: self.port });
        if let Some(front) = front {
            self.show(cdp, link, front).await?;
        }
        // Input given before this connection is stale.
        while link.inputs.try_recv().is_ok() {}
        let mut size = *link.frame_size.borrow();
        let resize = tokio::time::sleep(Duration::from_secs(3600));
        tokio::pin!(resize);
        let mut resize_due = false;
        let ack_timer = tokio::time::sleep(Duration::from_secs(3600));
        tokio::pin!(ack_timer);
        loop {
            tokio::select! {
                incoming = cdp.next() => {
                    if let Some(seq) = self.handle(cdp, link, incoming?).await? {
                        match link.options.ack {
                            AckMode::OnReceive => self.ack(cdp, link, seq).await?,
                            AckMode::Consumer => ack_timer.as_mut().reset(
                                tokio::time::Instant::now() + link.options.ack_timeout,
                            ),
                        }
                    }
                }
                Some(seq) = link.acks.recv() => self.ack(cdp, link, seq).await?,
                Some(input) = link.inputs.recv() => self.input(cdp, input).await?,
                Some((action, reply)) = link.controls.recv() => {
                    match self.navigate(cdp, link, action).await {
                        Ok(()) => {
                            let _ = reply.send(Ok(()));
                        }
                        Err(Driven::Refused(error)) => {
                            let _ = reply.send(Err(error));
                        }
                        Err(Driven::Lost(error)) => {
                            let _ = reply.send(Err(NavError::Browser(error.to_string())));
                            return Err(error);
                        }
                    }
                }
                changed = link.frame_size.changed() => {
                    if changed.is_err() {
                        return Ok(());
                    }
                    resize.as_mut().reset(tokio::time::Instant::now() + RESIZE_DEBOUNCE);
                    resize_due = true;
                }
                _ = &mut resize, if resize_due => {
                    resize_due = false;
                    let now = *link.frame_size.borrow();
                    if now != size {
                        size = now;
                        if let Some((_, session)) = self.attached.clone() {
                            cdp.send(StopScreencastParams::default(), Some(&session)).await?;
                            self.pending = None;
                            start_screencast(cdp, &session, size).await?;
                        }
                    }
                }
                _ = &mut ack_timer, if self.pending.is_some() => {
                    tracing::debug!("the consumer did not ack in time; acking for it");
                    if let Some((seq, _)) = self.pending {
                        self.ack(cdp, link, seq).await?;
                    }
                }
            }
            link.set_awaiting_ack(self.pending.is_some());
        }
    }

    /// A toolbar or tab action, carried out over this connection.
    async fn navigate(
        &mut self,
        cdp: &mut Connection,
        link: &mut Link,
        action: NavAction,
    ) -> Result<(), Driven> {
        let tab = |tab_id: &str| {
            self.tabs
                .iter()
                .find(|t| t.target_id.inner() == tab_id)
                .map(|t| t.target_id.clone())
                .ok_or_else(|| Driven::Refused(NavError::InvalidTab(tab_id.to_owned())))
        };
        match action {
            NavAction::SwitchTab { tab_id } => {
                let target = tab(&tab_id)?;
                cdp.call(ActivateTargetParams::new(target.clone()), None)
                    .await?;
                self.show(cdp, link, target).await?;
            }
            NavAction::CloseTab { tab_id } => {
                let target = tab(&tab_id)?;
                cdp.call(CloseTargetParams::new(target), None).await?;
            }
            // The new tab is followed when its Target.targetCreated arrives.
            NavAction::NewTab => {
                cdp.call(CreateTargetParams::new("about:blank"), None)
                    .await?;
            }
            NavAction::Open { url } => {
                let url = normalize_url(&url).map_err(Driven::Refused)?;
                let session = self.page_session()?;
                let answer = cdp.call(NavigateParams::new(url), Some(&session)).await?;
                if let Some(error) = answer.error_text.filter(|e| !e.is_empty()) {
                    return Err(Driven::Refused(NavError::Browser(error)));
                }
            }
            NavAction::Reload => {
                let session = self.page_session()?;
                cdp.call(ReloadParams::default(), Some(&session)).await?;
            }
            NavAction::Back | NavAction::Forward => {
                let session = self.page_session()?;
                let history = cdp
                    .call(GetNavigationHistoryParams::default(), Some(&session))
                    .await?;
                let step = if matches!(action, NavAction::Back) {
                    -1
                } else {
                    1
                };
                let entry = usize::try_from(history.current_index + step)
                    .ok()
                    .and_then(|i| history.entries.get(i))
                    .ok_or_else(|| {
                        Driven::Refused(NavError::Browser(format!(
                            "there is no page to go {} to",
                            if step < 0 { "back" } else { "forward" }
                        )))
                    })?;
                cdp.call(NavigateToHistoryEntryParams::new(entry.id), Some(&session))
                    .await?;
            }
        }
        Ok(())
    }

    /// The flat session of the page shown, for page-level commands.
    fn page_session(&self) -> Result<String, Driven> {
        self.attached
            .as_ref()
            .map(|(_, s)| s.clone())
            .ok_or_else(|| Driven::Refused(NavError::Browser("no page is shown".into())))
    }

    /// Shows page `target`: attaches to it and starts its screencast.
    async fn show(
        &mut self,
        cdp: &mut Connection,
        link: &mut Link,
        target: TargetId,
    ) -> Result<(), CdpError> {
        if let Some((_, old)) = self.attached.take() {
            let _ = cdp.send(StopScreencastParams::default(), Some(&old)).await;
        }
        self.pending = None;
        let mut attach = AttachToTargetParams::new(target.clone());
        attach.flatten = Some(true);
        let session = cdp.call(attach, None).await?.session_id;
        let session: String = session.into();
        let size = *link.frame_size.borrow();
        start_screencast(cdp, &session, size).await?;
        self.attached = Some((target, session));
        self.publish_tabs(link);
        Ok(())
    }

    /// Handles one message; returns the seq of a frame to ack.
    async fn handle(
        &mut self,
        cdp: &mut Connection,
        link: &mut Link,
        incoming: Incoming,
    ) -> Result<Option<u64>, CdpError> {
        let event = match incoming {
            Incoming::Answer {
                error: Some(error), ..
            } => {
                tracing::debug!(%error, "the browser refused a command");
                return Ok(None);
            }
            Incoming::Answer { .. } => return Ok(None),
            Incoming::Event(event) => event,
        };
        let ours = self.attached.as_ref().map(|(_, s)| s.as_str());
        match event.params {
            CdpEvent::PageScreencastFrame(frame) if event.session_id.as_deref() == ours => {
                let next = link.frames.borrow().as_ref().map_or(1, |f| f.seq + 1);
                let m = &frame.metadata;
                let message = FrameMessage {
                    seq: Some(next),
                    data: frame.data.into(),
                    metadata: FrameMetadata {
                        device_width: m.device_width,
                        device_height: m.device_height,
                        offset_top: m.offset_top,
                        page_scale_factor: m.page_scale_factor,
                        scroll_offset_x: m.scroll_offset_x,
                        scroll_offset_y: m.scroll_offset_y,
                        timestamp: m.timestamp.as_ref().map(|t| *t.inner()),
                    },
                };
                let frame_id = frame.session_id;
                let published = Frame::from_message(message, now_ms(), next);
                lock(&link.stats).record(&published);
                link.frames.send_replace(Some(Arc::new(published)));
                self.pending = Some((next, frame_id));
                self.read_title(cdp, link).await?;
                if !matches!(*link.state.borrow(), AttachState::Live { .. }) {
                    link.state
                        .send_replace(AttachState::Live { port: self.port });
                }
                Ok(Some(next))
            }
            CdpEvent::TargetTargetCreated(created) => {
                let info = created.target_info;
                if info.r#type != "page" || self.tabs.iter().any(|t| t.target_id == info.target_id)
                {
                    return Ok(None);
                }
                tracing::info!(target = %info.target_id.inner(), "a new tab opened; following it");
                let id = info.target_id.clone();
                self.tabs.push(info);
                self.show(cdp, link, id).await?;
                Ok(None)
            }
            CdpEvent::TargetTargetInfoChanged(changed) => {
                let info = changed.target_info;
                if let Some(tab) = self.tabs.iter_mut().find(|t| t.target_id == info.target_id) {
                    *tab = info;
                    self.publish_tabs(link);
                }
                Ok(None)
            }
            CdpEvent::TargetTargetDestroyed(destroyed) => {
                self.tabs.retain(|t| t.target_id != destroyed.target_id);
                let shown = self
                    .attached
                    .as_ref()
                    .is_some_and(|(id, _)| *id == destroyed.target_id);
                if shown {
                    self.attached = None;
                    self.pending = None;
                    match self.tabs.last().map(|t| t.target_id.clone()) {
                        Some(next) => self.show(cdp, link, next).await?,
                        None => {
                            link.state
                                .send_replace(AttachState::WaitingForFrame { port: self.port });
                        }
                    }
                }
                self.publish_tabs(link);
                Ok(None)
            }
            CdpEvent::TargetDetachedFromTarget(detached)
                if Some(detached.session_id.as_ref()) == ours =>
            {
                let target = self.attached.take().map(|(id, _)| id);
                self.pending = None;
                if let Some(target) =
                    target.filter(|id| self.tabs.iter().any(|t| t.target_id == *id))
                {
                    self.show(cdp, link, target).await?;
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// Reads the shown page's title again if [`TITLE_EVERY`] has passed.
    async fn read_title(&mut self, cdp: &mut Connection, link: &Link) -> Result<(), CdpError> {
        let now = tokio::time::Instant::now();
        if self.title_read.is_some_and(|at| now - at < TITLE_EVERY) {
            return Ok(());
        }
        self.title_read = Some(now);
        let Some((target, _)) = self.attached.clone() else {
            return Ok(());
        };
        let params = GetTargetInfoParams {
            target_id: Some(target),
        };
        let info = match cdp.call(params, None).await {
            Ok(answer) => answer.target_info,
            // A page closing meanwhile is followed by its own events.
            Err(CdpError::Refused { .. }) => return Ok(()),
            Err(error) => return Err(error),
        };
        let changed = self
            .tabs
            .iter_mut()
            .find(|t| t.target_id == info.target_id)
            .filter(|t| t.title != info.title || t.url != info.url)
            .map(|tab| *tab = info)
            .is_some();
        if changed {
            self.publish_tabs(link);
        }
        Ok(())
    }

    /// The consumer has shown frame `seq`: the browser may send the next one.
    async fn ack(
        &mut self,
        cdp: &mut Connection,
        link: &mut Link,
        seq: u64,
    ) -> Result<(), CdpError> {
        let Some((pending, frame_id)) = self.pending else {
            return Ok(());
        };
        if seq < pending {
            return Ok(());
        }
        self.pending = None;
        if link.options.ack == AckMode::Consumer {
            if let Some(frame) = link.frames.borrow().as_deref().filter(|f| f.seq == seq) {
                lock(&link.shown).record_shown(frame, now_ms());
            }
        }
        if let Some((_, session)) = &self.attached {
            let session = session.clone();
            cdp.send(ScreencastFrameAckParams::new(frame_id), Some(&session))
                .await?;
        }
        Ok(())
    }

    async fn input(&mut self, cdp: &mut Connection, input: Input) -> Result<(), CdpError> {
        let Some((_, session)) = self.attached.clone() else {
            return Ok(());
        };
        let session = Some(session.as_str());
        match input {
            Input::InputMouse(m) => {
                let button = match m.button {
                    MouseButton::None => CdpButton::None,
                    MouseButton::Left => CdpButton::Left,
                    MouseButton::Middle => CdpButton::Middle,
                    MouseButton::Right => CdpButton::Right,
                };
                let mut params = DispatchMouseEventParams::new(
                    match m.event_type {
                        MouseEventType::MousePressed => DispatchMouseEventType::MousePressed,
                        MouseEventType::MouseReleased => DispatchMouseEventType::MouseReleased,
                        MouseEventType::MouseMoved => DispatchMouseEventType::MouseMoved,
                        MouseEventType::MouseWheel => DispatchMouseEventType::MouseWheel,
                    },
                    m.x,
                    m.y,
                );
                // `buttons` says which are held, so a drag moves with its button down.
                let held = match (m.event_type, m.button) {
                    (MouseEventType::MouseReleased, _) | (_, MouseButton::None) => 0,
                    (_, MouseButton::Left) => 1,
                    (_, MouseButton::Right) => 2,
                    (_, MouseButton::Middle) => 4,
                };
                params.button = Some(button);
                params.buttons = Some(held);
                params.click_count = Some(i64::from(m.click_count));
                params.modifiers = Some(i64::from(m.modifiers));
                if m.event_type == MouseEventType::MouseWheel {
                    params.delta_x = Some(m.delta_x);
                    params.delta_y = Some(m.delta_y);
                }
                cdp.send(params, session).await?;
            }
            Input::InputKeyboard(k) if k.event_type == KeyEventType::Char => {
                // Text without a key (IME, paste) is inserted as text.
                if let Some(text) = k.text.filter(|t| !t.is_empty()) {
                    cdp.send(InsertTextParams::new(text), session).await?;
                }
            }
            Input::InputKeyboard(k) => {
                let mut params = DispatchKeyEventParams::new(match k.event_type {
                    KeyEventType::KeyDown => DispatchKeyEventType::KeyDown,
                    KeyEventType::RawKeyDown => DispatchKeyEventType::RawKeyDown,
                    KeyEventType::KeyUp => DispatchKeyEventType::KeyUp,
                    KeyEventType::Char => DispatchKeyEventType::Char,
                });
                params.key = Some(k.key);
                params.code = Some(k.code);
                params.unmodified_text = k.text.clone();
                params.text = k.text;
                params.windows_virtual_key_code = Some(i64::from(k.windows_virtual_key_code));
                params.modifiers = Some(i64::from(k.modifiers));
                cdp.send(params, session).await?;
            }
        }
        Ok(())
    }

    /// The tabs and the page in front, for the toolbar.
    fn publish_tabs(&self, link: &Link) {
        let front = self.attached.as_ref().map(|(id, _)| id);
        let tabs: Vec<Tab> = self
            .tabs
            .iter()
            .map(|t| Tab {
                tab_id: t.target_id.inner().clone(),
                title: t.title.clone(),
                url: t.url.clone(),
                active: Some(&t.target_id) == front,
            })
            .collect();
        link.page.send_modify(|page| {
            if let Some(active) = tabs.iter().find(|t| t.active) {
                page.title = active.title.clone();
                page.url = active.url.clone();
            }
            page.tabs = tabs;
        });
    }
}

/// Why an action did not happen: refused (the connection lives on) or lost with it.
enum Driven {
    Refused(NavError),
    Lost(CdpError),
}

impl From<CdpError> for Driven {
    fn from(error: CdpError) -> Self {
        match error {
            CdpError::Refused { .. } | CdpError::Timeout(_) | CdpError::Malformed { .. } => {
                Driven::Refused(NavError::Browser(error.to_string()))
            }
            other => Driven::Lost(other),
        }
    }
}

async fn start_screencast(
    cdp: &mut Connection,
    session: &str,
    size: Option<FrameSize>,
) -> Result<(), CdpError> {
    let mut params = StartScreencastParams {
        format: Some(StartScreencastFormat::Jpeg),
        quality: Some(QUALITY),
        every_nth_frame: Some(1),
        ..Default::default()
    };
    if let Some(size) = size {
        params.max_width = Some(i64::from(size.width));
        params.max_height = Some(i64::from(size.height));
    }
    cdp.call(params, Some(session)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_that_is_gone_is_not_alive() {
        assert!(process_alive(std::process::id()), "this test runs");
        assert!(!process_alive(u32::MAX - 1), "no such pid");
    }
}
