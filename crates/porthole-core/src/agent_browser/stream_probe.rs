//! Does a stream port answer, and for which session?
//!
//! The port of a session's stream server also serves HTTP: `GET /api/sessions` answers
//! `[{"session":"NAME","port":PORT,...}]`. Asking that, rather than opening the
//! WebSocket, checks the port without starting a screencast, and tells a live stream of
//! this session from a port that a restarted daemon or another program now holds.
//!
//! Older stream servers (agent-browser 0.22) speak only WebSocket: a plain request gets
//! an empty reply. For them the probe falls back to a WebSocket handshake, closed as
//! soon as it is answered, which says that a stream server is there but not whose.

use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What the port said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// The stream server of this session answers on this port.
    Serves,
    /// An agent-browser stream server answers, but for other sessions only.
    OtherSession,
    /// Something answered HTTP without the session list: an older daemon, or another
    /// program now on the port. Usable only when the daemon itself names the port.
    Unverified,
    /// Nothing useful answers (refused, timed out, not HTTP).
    NoAnswer(String),
}

#[derive(Deserialize)]
struct Entry {
    session: String,
}

/// Asks `127.0.0.1:port` which sessions it streams, within `timeout`.
pub async fn probe(port: u16, session: &str, timeout: Duration) -> Probe {
    let ask = async {
        match get(port, "/api/sessions").await {
            Ok((status, body)) => classify(status, &body, session),
            Err(_) if upgrades(port).await => Probe::Unverified,
            Err(reason) => Probe::NoAnswer(reason),
        }
    };
    tokio::time::timeout(timeout, ask)
        .await
        .unwrap_or_else(|_| {
            Probe::NoAnswer(format!("port {port} did not answer within {timeout:?}"))
        })
}

/// Whether `127.0.0.1:port` completes a WebSocket handshake; the socket is dropped at
/// once.
async fn upgrades(port: u16) -> bool {
    tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}/"))
        .await
        .is_ok()
}

fn classify(status: u16, body: &[u8], session: &str) -> Probe {
    if status != 200 {
        return Probe::Unverified;
    }
    match serde_json::from_slice::<Vec<Entry>>(body) {
        Ok(entries) if entries.iter().any(|e| e.session == session) => Probe::Serves,
        Ok(_) => Probe::OtherSession,
        Err(_) => Probe::Unverified,
    }
}

/// A minimal HTTP/1.1 GET to `127.0.0.1:port`.
async fn get(port: u16, path: &str) -> Result<(u16, Vec<u8>), String> {
    get_from("127.0.0.1", port, path).await
}

/// A minimal HTTP/1.1 GET with `Connection: close` to a loopback `host` (an IP
/// address); the response is parsed by httparse. Also how the DevTools endpoints of
/// [`crate::cdp`] are read.
pub(crate) async fn get_from(host: &str, port: u16, path: &str) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("port {port}: {e}"))?;
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("port {port}: {e}"))?;
    // Read until the body is whole: Chrome's DevTools server keeps the connection open
    // whatever the request says, so the end of the stream cannot be waited for.
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("port {port}: {e}"))?;
        raw.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        if let Ok(httparse::Status::Complete(offset)) = response.parse(&raw) {
            let length = response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| {
                    std::str::from_utf8(h.value)
                        .ok()?
                        .trim()
                        .parse::<usize>()
                        .ok()
                });
            let whole = length.is_some_and(|len| raw.len() >= offset + len);
            if n == 0 || whole {
                let end = length.map_or(raw.len(), |len| (offset + len).min(raw.len()));
                return Ok((response.code.unwrap_or(0), raw[offset..end].to_vec()));
            }
        } else if n == 0 {
            return Err(format!("port {port} did not answer HTTP"));
        }
        if raw.len() > 1 << 20 {
            return Err(format!("port {port} answered more than 1 MiB"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_list_decides_whose_stream_it_is() {
        let body = br#"[{"engine":"chrome","port":40455,"session":"t2"}]"#;
        assert_eq!(classify(200, body, "t2"), Probe::Serves);
        assert_eq!(
            classify(200, body, "demo"),
            Probe::OtherSession,
            "a port that now streams another session is not this session's stream"
        );
        assert_eq!(classify(404, b"", "t2"), Probe::Unverified, "older daemons");
        assert_eq!(classify(200, b"<html>", "t2"), Probe::Unverified);
    }

    #[tokio::test]
    async fn a_closed_port_is_no_answer() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        assert!(matches!(
            probe(port, "x", Duration::from_secs(1)).await,
            Probe::NoAnswer(_)
        ));
    }
}
