//! Where a browser's DevTools endpoint is, as a person types it for "Connect to a
//! browser…" or `porthole connect`: a port, `host:port`, or a `ws://` DevTools URL.
//!
//! Only loopback is accepted. The DevTools protocol has no authentication: whoever
//! reaches the port owns the browser, its cookies and its pages, so Porthole never
//! connects to one across the network, and says so.
//!
//! ```
//! use porthole_core::cdp::endpoint::Endpoint;
//! let endpoint: Endpoint = "9222".parse().unwrap();
//! assert_eq!(endpoint.http_base(), "http://127.0.0.1:9222");
//! assert!("10.0.0.5:9222".parse::<Endpoint>().is_err());
//! ```

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use thiserror::Error;

use crate::discovery::{Session, SessionKind, SessionStatus};
use crate::error::{Coded, ErrorCode};

/// A DevTools endpoint on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The loopback host as given (`127.0.0.1`, `::1` or `localhost`).
    pub host: String,
    pub port: u16,
    /// The browser's WebSocket path (`/devtools/browser/UUID`), when a `ws://` URL gave
    /// it; otherwise it is read from `/json/version`.
    pub ws_path: Option<String>,
}

/// Why a typed endpoint is refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EndpointError {
    #[error(
        "give a port (9222), host:port on this machine (127.0.0.1:9222), or a ws:// DevTools URL"
    )]
    Empty,
    #[error("“{0}” is not a port: give a number from 1 to 65535")]
    BadPort(String),
    #[error("“{0}” is not on this machine. The DevTools protocol has no password: anyone who reaches the port controls the browser, so Porthole connects only to 127.0.0.1, ::1 or localhost")]
    NotLoopback(String),
    #[error("“{0}” is not a DevTools address: give a port, host:port, or a ws:// URL")]
    Unrecognised(String),
}

impl Endpoint {
    /// The HTTP side of the endpoint (`/json/version`, `/json/list`).
    pub fn http_base(&self) -> String {
        format!("http://{}:{}", self.url_host(), self.port)
    }

    /// The browser's WebSocket URL when the path is known.
    pub fn ws_url(&self) -> Option<String> {
        self.ws_path
            .as_ref()
            .map(|path| format!("ws://{}:{}{path}", self.url_host(), self.port))
    }

    fn url_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ws_url() {
            Some(url) => f.write_str(&url),
            None => write!(f, "{}:{}", self.url_host(), self.port),
        }
    }
}

fn port(text: &str) -> Result<u16, EndpointError> {
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(EndpointError::BadPort(text.to_owned())),
        Ok(port) => Ok(port),
    }
}

fn loopback(host: &str, whole: &str) -> Result<String, EndpointError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let is_loopback = bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if is_loopback {
        Ok(bare.to_ascii_lowercase())
    } else {
        Err(EndpointError::NotLoopback(whole.to_owned()))
    }
}

/// Splits `host:port`, `[v6]:port` or a bare port.
fn host_port(text: &str, whole: &str) -> Result<(String, u16), EndpointError> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| EndpointError::Unrecognised(whole.to_owned()))?;
        let port_text = after
            .strip_prefix(':')
            .ok_or_else(|| EndpointError::Unrecognised(whole.to_owned()))?;
        return Ok((loopback(host, whole)?, port(port_text)?));
    }
    match text.rsplit_once(':') {
        Some((host, port_text)) if !host.contains(':') => {
            Ok((loopback(host, whole)?, port(port_text)?))
        }
        Some(_) => Err(EndpointError::Unrecognised(whole.to_owned())),
        None if text.chars().all(|c| c.is_ascii_digit()) => Ok(("127.0.0.1".into(), port(text)?)),
        None => Err(EndpointError::Unrecognised(whole.to_owned())),
    }
}

impl Endpoint {
    /// The session to attach for this endpoint: the browser discovery already lists on
    /// this port (with its pid, so its end is seen), else one known by its address only.
    pub fn session(&self, discovered: &[Session]) -> Session {
        let loopback_v4 = self.host == "localhost" || self.host.starts_with("127.");
        let known = discovered
            .iter()
            .find(|s| s.kind == SessionKind::Cdp && s.cdp_port == Some(self.port) && loopback_v4);
        if let Some(known) = known {
            return known.clone();
        }
        Session {
            id: format!("cdp:{}:{}", self.host, self.port),
            kind: SessionKind::Cdp,
            name: format!("Browser · {}:{}", self.url_host(), self.port),
            namespace: None,
            socket_dir: std::path::PathBuf::new(),
            pid: None,
            cwd: None,
            status: SessionStatus::Attachable,
            stream_port: None,
            cdp_port: Some(self.port),
            cdp_host: Some(self.host.clone()),
            version: None,
            executable: None,
            started_at: None,
            problem: None,
        }
    }
}

impl FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EndpointError::Empty);
        }
        for scheme in ["ws://", "http://"] {
            if let Some(rest) = text.strip_prefix(scheme) {
                let (authority, path) = match rest.find('/') {
                    Some(at) => (&rest[..at], Some(&rest[at..])),
                    None => (rest, None),
                };
                let (host, port) = host_port(authority, text)?;
                let ws_path = path
                    .filter(|p| scheme == "ws://" && p.len() > 1)
                    .map(str::to_owned);
                return Ok(Self {
                    host,
                    port,
                    ws_path,
                });
            }
        }
        if text.contains("://") {
            return Err(EndpointError::Unrecognised(text.to_owned()));
        }
        let (host, port) = host_port(text, text)?;
        Ok(Self {
            host,
            port,
            ws_path: None,
        })
    }
}

impl Coded for EndpointError {
    fn code(&self) -> ErrorCode {
        ErrorCode::InvalidEndpoint
    }

    fn retryable(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_port_attaches_the_browser_discovered_there() {
        let discovered = crate::discovery::cdp_session(crate::cdp::browsers::CdpBrowser {
            pid: 42,
            product: "Chromium".into(),
            exe: "/usr/lib/chromium/chromium".into(),
            cwd: Some("/ws".into()),
            started_at: 1,
            reach: crate::cdp::browsers::Reach::Port {
                port: 9222,
                ws_path: None,
            },
        });
        let known = parse("9222")
            .expect("port")
            .session(std::slice::from_ref(&discovered));
        assert_eq!(known, discovered, "with its pid, so its end is seen");
        let unknown = parse("[::1]:9333").expect("v6").session(&[discovered]);
        assert_eq!(unknown.kind, SessionKind::Cdp);
        assert_eq!(unknown.pid, None);
        assert_eq!(unknown.cdp_host.as_deref(), Some("::1"));
        assert_eq!(unknown.cdp_port, Some(9333));
        assert_eq!(unknown.name, "Browser · [::1]:9333");
    }

    fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        text.parse()
    }

    #[test]
    fn a_bare_port_means_this_machine() {
        let e = parse(" 9222 ").expect("a port is enough");
        assert_eq!(
            (e.host.as_str(), e.port, e.ws_path),
            ("127.0.0.1", 9222, None)
        );
    }

    #[test]
    fn loopback_hosts_are_accepted_in_every_spelling() {
        for (text, host) in [
            ("127.0.0.1:9222", "127.0.0.1"),
            ("localhost:9222", "localhost"),
            ("LOCALHOST:9222", "localhost"),
            ("[::1]:9222", "::1"),
            ("127.1.2.3:9222", "127.1.2.3"),
        ] {
            let e = parse(text).unwrap_or_else(|e| panic!("{text} is loopback: {e}"));
            assert_eq!(e.host, host, "{text}");
            assert_eq!(e.port, 9222, "{text}");
        }
        assert_eq!(
            parse("[::1]:9222").map(|e| e.http_base()),
            Ok("http://[::1]:9222".to_owned()),
            "an IPv6 host is bracketed in URLs"
        );
    }

    #[test]
    fn a_ws_url_keeps_its_browser_path() {
        let e = parse("ws://127.0.0.1:41234/devtools/browser/2f4e").expect("a DevTools URL");
        assert_eq!(e.port, 41234);
        assert_eq!(
            e.ws_url().as_deref(),
            Some("ws://127.0.0.1:41234/devtools/browser/2f4e"),
            "the URL is used as given"
        );
        let e = parse("http://localhost:9222/").expect("the HTTP side");
        assert_eq!(
            e.ws_path, None,
            "an http:// address has no browser path to keep"
        );
    }

    #[test]
    fn other_machines_are_refused_with_the_reason() {
        for text in [
            "10.0.0.5:9222",
            "example.com:9222",
            "ws://192.168.1.2:9222/devtools/browser/x",
            "[2001:db8::1]:9222",
            "0.0.0.0:9222",
        ] {
            let error = parse(text).expect_err(text);
            assert!(
                matches!(error, EndpointError::NotLoopback(_)),
                "{text} is not on this machine: {error:?}"
            );
            assert!(
                error.to_string().contains("no password"),
                "the refusal says why: {error}"
            );
        }
    }

    #[test]
    fn nonsense_is_refused_plainly() {
        assert_eq!(parse(""), Err(EndpointError::Empty));
        assert!(matches!(parse("0"), Err(EndpointError::BadPort(_))));
        assert!(matches!(parse("70000"), Err(EndpointError::BadPort(_))));
        assert!(matches!(
            parse("localhost:http"),
            Err(EndpointError::BadPort(_))
        ));
        assert!(matches!(
            parse("chrome"),
            Err(EndpointError::Unrecognised(_))
        ));
        assert!(matches!(
            parse("ftp://localhost:21"),
            Err(EndpointError::Unrecognised(_))
        ));
        assert!(matches!(
            parse("::1:9222"),
            Err(EndpointError::Unrecognised(_))
        ));
    }
}
