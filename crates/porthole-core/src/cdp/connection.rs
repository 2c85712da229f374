//! One DevTools connection: a WebSocket to a browser, commands typed by chromiumoxide's
//! protocol crate, events read as they come.
//!
//! Why not chromiumoxide's `Browser`: connecting it to a browser attaches to every
//! target with `waitForDebuggerOnStart`, enables the Network, Runtime, Log and
//! Performance domains on every page, and by default tells the browser to ignore
//! certificate errors. Porthole watches a browser someone else drives and must change
//! nothing in it, so it speaks the protocol itself: it sends only the commands the
//! frame source needs, with chromiumoxide's types, over the WebSocket crate the stream
//! client already uses.
//!
//! ```no_run
//! # async fn demo() -> Result<(), porthole_core::cdp::connection::CdpError> {
//! use porthole_core::cdp::connection::Connection;
//! use chromiumoxide_cdp::cdp::browser_protocol::target::GetTargetsParams;
//! let url = porthole_core::cdp::connection::browser_ws_url("127.0.0.1", 9222).await?;
//! let mut cdp = Connection::connect(&url).await?;
//! let targets = cdp.call(GetTargetsParams::default(), None).await?;
//! println!("{} targets", targets.target_infos.len());
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::time::Duration;

use chromiumoxide_cdp::cdp::CdpEventMessage;
use chromiumoxide_types::{CallId, Command, Message};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::agent_browser::stream_probe;
use crate::error::{Coded, ErrorCode};

/// How long a command may take before the connection is given up on.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong talking to a browser.
#[derive(Debug, thiserror::Error)]
pub enum CdpError {
    #[error("nothing answers DevTools on {host}:{port}: {reason}")]
    NoAnswer {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("{host}:{port} answered, but not as a browser's DevTools ({reason})")]
    NotDevTools {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("cannot open the DevTools connection: {0}")]
    Connect(String),
    #[error("the DevTools connection closed")]
    Closed,
    #[error("the DevTools connection broke: {0}")]
    Broken(String),
    #[error("the browser refused {method}: {message}")]
    Refused { method: String, message: String },
    #[error("the browser did not answer {0} in time")]
    Timeout(String),
    #[error("the browser's answer to {method} could not be read: {reason}")]
    Malformed { method: String, reason: String },
}

impl Coded for CdpError {
    fn code(&self) -> ErrorCode {
        ErrorCode::NotAttachable
    }

    /// A browser still starting, or restarted, may answer on a second try.
    fn retryable(&self) -> bool {
        true
    }
}

#[derive(Deserialize)]
struct Version {
    #[serde(rename = "webSocketDebuggerUrl")]
    ws_url: String,
}

/// `GET path` on the DevTools HTTP side of `host:port`, parsed as JSON; `Err(status)`
/// inside when it answers with another status than 200.
async fn get_json<T: serde::de::DeserializeOwned>(
    host: &str,
    port: u16,
    path: &str,
) -> Result<Result<T, u16>, CdpError> {
    let no_answer = |reason| CdpError::NoAnswer {
        host: host.into(),
        port,
        reason,
    };
    let (status, body) = tokio::time::timeout(
        Duration::from_secs(3),
        stream_probe::get_from(host, port, path),
    )
    .await
    .map_err(|_| no_answer("no answer within 3 s".into()))?
    .map_err(no_answer)?;
    if status != 200 {
        return Ok(Err(status));
    }
    serde_json::from_slice(&body)
        .map(Ok)
        .map_err(|e| CdpError::NotDevTools {
            host: host.into(),
            port,
            reason: format!("{path}: {e}"),
        })
}

/// The browser's own WebSocket URL, from `GET /json/version` on `host:port`.
pub async fn browser_ws_url(host: &str, port: u16) -> Result<String, CdpError> {
    get_json::<Version>(host, port, "/json/version")
        .await?
        .map(|v| v.ws_url)
        .map_err(|status| CdpError::NotDevTools {
            host: host.into(),
            port,
            reason: format!("/json/version answered HTTP {status}"),
        })
}

/// The page targets in the order `GET /json/list` gives them: most recently active
/// first, which is how a viewer finds the tab in front.
pub async fn pages_by_activity(host: &str, port: u16) -> Result<Vec<String>, CdpError> {
    #[derive(Deserialize)]
    struct Entry {
        id: String,
        #[serde(rename = "type")]
        kind: String,
    }
    let entries = get_json::<Vec<Entry>>(host, port, "/json/list").await?;
    Ok(entries
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.kind == "page")
        .map(|e| e.id)
        .collect())
}

/// Something the browser said.
#[derive(Debug)]
pub enum Incoming {
    /// An event, with the session it belongs to (`None` for the browser's own).
    Event(Box<CdpEventMessage>),
    /// The answer to a command sent with [`Connection::send`]; errors are logged.
    Answer { id: CallId, error: Option<String> },
}

/// An open DevTools connection. Dropping it closes the socket.
pub struct Connection {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: usize,
    /// Events that arrived while [`Connection::call`] waited for its answer.
    queued: VecDeque<Incoming>,
}

impl Connection {
    /// Opens the browser's WebSocket (`ws://…/devtools/browser/…`).
    pub async fn connect(ws_url: &str) -> Result<Self, CdpError> {
        let (socket, _) = tokio::time::timeout(
            Duration::from_secs(3),
            tokio_tungstenite::connect_async(ws_url),
        )
        .await
        .map_err(|_| CdpError::Connect(format!("{ws_url} did not accept within 3 s")))?
        .map_err(|e| CdpError::Connect(format!("{ws_url}: {e}")))?;
        Ok(Self {
            socket,
            next_id: 1,
            queued: VecDeque::new(),
        })
    }

    /// Sends `command` without waiting for its answer; returns its id.
    pub async fn send<C: Command>(
        &mut self,
        command: C,
        session: Option<&str>,
    ) -> Result<CallId, CdpError> {
        let id = self.next_id;
        self.next_id += 1;
        let method = command.identifier();
        let params = serde_json::to_value(&command).map_err(|e| CdpError::Malformed {
            method: method.to_string(),
            reason: e.to_string(),
        })?;
        let mut request = serde_json::json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            request["sessionId"] = session.into();
        }
        let text = request.to_string();
        self.socket
            .send(WsMessage::Text(text.into()))
            .await
            .map_err(|e| CdpError::Broken(e.to_string()))?;
        Ok(CallId::new(id))
    }

    /// Sends `command` and waits for its answer; events that arrive meanwhile are kept
    /// for [`Connection::next`].
    pub async fn call<C: Command>(
        &mut self,
        command: C,
        session: Option<&str>,
    ) -> Result<C::Response, CdpError> {
        let method = command.identifier().to_string();
        let id = self.send(command, session).await?;
        let answer = tokio::time::timeout(CALL_TIMEOUT, async {
            loop {
                match self.read().await? {
                    Read::Response(response) if response.id == id => return Ok(response),
                    Read::Response(response) => self.queued.push_back(answer_of(response)),
                    Read::Event(event) => self.queued.push_back(Incoming::Event(event)),
                    Read::Other => {}
                }
            }
        })
        .await
        .map_err(|_| CdpError::Timeout(method.clone()))??;
        if let Some(error) = answer.error {
            return Err(CdpError::Refused {
                method,
                message: error.message,
            });
        }
        C::response_from_value(answer.result.unwrap_or_default()).map_err(|e| CdpError::Malformed {
            method,
            reason: e.to_string(),
        })
    }

    /// The next thing the browser says; `Err(Closed)` when it hung up.
    pub async fn next(&mut self) -> Result<Incoming, CdpError> {
        if let Some(queued) = self.queued.pop_front() {
            return Ok(queued);
        }
        loop {
            match self.read().await? {
                Read::Response(response) => return Ok(answer_of(response)),
                Read::Event(event) => return Ok(Incoming::Event(event)),
                Read::Other => {}
            }
        }
    }

    /// Closes the socket politely.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(1), self.socket.close(None)).await;
    }

    async fn read(&mut self) -> Result<Read, CdpError> {
        let message = match self.socket.next().await {
            None | Some(Ok(WsMessage::Close(_))) => return Err(CdpError::Closed),
            Some(Err(e)) => return Err(CdpError::Broken(e.to_string())),
            Some(Ok(WsMessage::Text(text))) => text,
            Some(Ok(_)) => return Ok(Read::Other),
        };
        match serde_json::from_str::<Message<CdpEventMessage>>(message.as_str()) {
            Ok(Message::Response(response)) => Ok(Read::Response(response)),
            Ok(Message::Event(event)) => Ok(Read::Event(Box::new(event))),
            Err(error) => {
                tracing::debug!(%error, "unreadable DevTools message ignored");
                Ok(Read::Other)
            }
        }
    }
}

enum Read {
    Response(chromiumoxide_types::Response),
    Event(Box<CdpEventMessage>),
    Other,
}

fn answer_of(response: chromiumoxide_types::Response) -> Incoming {
    Incoming::Answer {
        id: response.id,
        error: response.error.map(|e| e.message),
    }
}
