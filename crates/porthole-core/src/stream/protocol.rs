//! The messages of agent-browser's stream WebSocket, typed.
//!
//! The daemon sends JSON text messages tagged by `type`; Porthole parses each into a
//! [`ServerMessage`]. A type it does not know becomes [`ServerMessage::Unknown`] (newer
//! daemons add types); a message that is not valid JSON, or a known type with a broken
//! shape, is a [`serde_json::Error`] for the caller to count and log, never a reason to
//! drop the connection. Checked against agent-browser 0.41.2 on the wire: frames carry
//! `seq`, base64 JPEG `data` and `metadata` whose `timestamp` is in epoch milliseconds,
//! and frames can arrive with a timestamp older than the frame before. agent-browser
//! 0.22 sends no `seq`, a `timestamp` of 0, and pushes every frame (no ack pacing).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A message from the daemon.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Frame(FrameMessage),
    Status(StatusMessage),
    Tabs(TabsMessage),
    Url(UrlMessage),
    Console(serde_json::Value),
    Command(CommandMessage),
    Result(ResultMessage),
    PageError(serde_json::Value),
    Error(serde_json::Value),
    #[serde(other)]
    Unknown,
}

/// One screencast frame.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FrameMessage {
    /// Counts the frames the daemon sent. Older daemons (0.22) send none, and push
    /// every frame whatever the pacing asked.
    #[serde(default)]
    pub seq: Option<u64>,
    /// Base64 of a JPEG.
    pub data: String,
    #[serde(default)]
    pub metadata: FrameMetadata,
}

/// Where a frame sits in the page: its size in CSS pixels, scroll and when Chrome
/// captured it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct FrameMetadata {
    pub device_width: f64,
    pub device_height: f64,
    pub offset_top: f64,
    pub page_scale_factor: f64,
    pub scroll_offset_x: f64,
    pub scroll_offset_y: f64,
    /// When Chrome captured the frame, epoch milliseconds.
    pub timestamp: Option<f64>,
}

impl FrameMetadata {
    /// The capture time in epoch milliseconds. Chrome's own screencast reports seconds;
    /// agent-browser forwards milliseconds; both are accepted.
    pub fn timestamp_ms(&self) -> Option<f64> {
        self.timestamp
            .filter(|t| t.is_finite() && *t > 0.0)
            .map(|t| if t < 1e11 { t * 1000.0 } else { t })
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusMessage {
    #[serde(default)]
    pub connected: bool,
    #[serde(default)]
    pub screencasting: bool,
    #[serde(default)]
    pub viewport_width: Option<u32>,
    #[serde(default)]
    pub viewport_height: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TabsMessage {
    #[serde(default)]
    pub tabs: Vec<Tab>,
}

/// A tab of the session's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Tab {
    #[serde(default)]
    pub tab_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UrlMessage {
    #[serde(default)]
    pub url: String,
}

/// A command the daemon was given through its CLI (by the agent, or by Porthole's own
/// toolbar): `{"type":"command","action":"navigate","id":"r372357","params":{...}}`.
/// Every CLI call is preceded by a `launch` command, which says nothing of the page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommandMessage {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub params: serde_json::Value,
}

/// How a command ended: `{"type":"result","action":"navigate","id":"r372357",
/// "data":{...},"success":false,"duration_ms":53,...}`, with the command's `id`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResultMessage {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub success: Option<bool>,
    /// What the command returned; `null` when it failed.
    #[serde(default)]
    pub data: Option<serde_json::Value>,
    #[serde(default)]
    pub duration_ms: Option<f64>,
}

impl ResultMessage {
    /// Whether the command worked. agent-browser 0.41.2 sends `"success":false` for
    /// every command, failed or not (checked on the wire); what tells them apart is
    /// `data`, which a failed command leaves `null`. A daemon that says `true` is
    /// believed.
    pub fn succeeded(&self) -> bool {
        self.success == Some(true) || self.data.as_ref().is_some_and(|d| !d.is_null())
    }
}

/// A message to the daemon.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Cumulative: the daemon may send the next (newest) frame.
    Ack { seq: u64 },
    /// At most `max_fps` frames a second to this client (0: no cap). The daemon still
    /// screencasts every repaint; it drops what it does not send.
    Config {
        #[serde(rename = "maxFps")]
        max_fps: u32,
    },
}

/// Input for the page, as the panel sends it and the daemon takes it: coordinates in
/// CSS pixels of the page viewport, modifiers as CDP's bit set (Alt 1, Ctrl 2, Meta 4,
/// Shift 8). The same type crosses the window's IPC and goes on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Input {
    InputMouse(MouseInput),
    InputKeyboard(KeyInput),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MouseInput {
    pub event_type: MouseEventType,
    pub x: f64,
    pub y: f64,
    pub button: MouseButton,
    pub click_count: u32,
    #[serde(default)]
    pub delta_x: f64,
    #[serde(default)]
    pub delta_y: f64,
    #[serde(default)]
    pub modifiers: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MouseEventType {
    MousePressed,
    MouseReleased,
    MouseMoved,
    MouseWheel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MouseButton {
    None,
    Left,
    Middle,
    Right,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyInput {
    pub event_type: KeyEventType,
    pub key: String,
    pub code: String,
    /// What the key types, if anything: `"\r"` for Enter, the composed text for `char`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<String>,
    pub windows_virtual_key_code: u32,
    #[serde(default)]
    pub modifiers: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KeyEventType {
    /// A key that types text.
    KeyDown,
    /// A key that types nothing (arrows, Backspace, shortcuts).
    RawKeyDown,
    KeyUp,
    /// Text without a key: IME composition, paste.
    Char,
}

impl Input {
    /// Whether the event is one the page can take: finite coordinates and deltas, a
    /// click count a person can make, text no longer than a paste.
    pub fn is_valid(&self) -> bool {
        match self {
            Input::InputMouse(m) => {
                [m.x, m.y, m.delta_x, m.delta_y]
                    .iter()
                    .all(|v| v.is_finite())
                    && m.x >= 0.0
                    && m.y >= 0.0
                    && m.click_count <= 3
            }
            Input::InputKeyboard(k) => {
                k.key.len() <= 64
                    && k.code.len() <= 64
                    && k.text.as_ref().is_none_or(|t| t.len() <= 1 << 20)
            }
        }
    }
}

/// Parses one text message.
pub fn parse(text: &str) -> Result<ServerMessage, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_frame_as_agent_browser_sends_it() {
        let text = r#"{"type":"frame","seq":7,"data":"/9j/","metadata":{"deviceHeight":720,"deviceWidth":1280,"offsetTop":0,"pageScaleFactor":1,"scrollOffsetX":0,"scrollOffsetY":12.5,"timestamp":1795347719108}}"#;
        let ServerMessage::Frame(frame) = parse(text).expect("a frame") else {
            panic!("the frame type is recognised");
        };
        assert_eq!(frame.seq, Some(7));
        assert_eq!(frame.metadata.device_width, 1280.0);
        assert_eq!(frame.metadata.scroll_offset_y, 12.5);
        assert_eq!(frame.metadata.timestamp_ms(), Some(1795347719108.0));
    }

    #[test]
    fn parses_a_frame_of_an_older_daemon_without_seq_or_time() {
        // As agent-browser 0.22.3 sends it: no seq, and a timestamp of 0.
        let text = r#"{"data":"/9j/","metadata":{"deviceHeight":633,"deviceWidth":1280,"offsetTop":0.0,"pageScaleFactor":1.0,"scrollOffsetX":0.0,"scrollOffsetY":0.0,"timestamp":0},"type":"frame"}"#;
        let ServerMessage::Frame(frame) = parse(text).expect("a frame") else {
            panic!("the frame type is recognised");
        };
        assert_eq!(frame.seq, None);
        assert_eq!(
            frame.metadata.timestamp_ms(),
            None,
            "a zero timestamp is no capture time"
        );
    }

    #[test]
    fn parses_the_commands_the_daemon_is_given_and_their_results() {
        // As agent-browser 0.41.2 sends them for `agent-browser open URL`.
        let command = r#"{"action":"navigate","id":"r372357","params":{"action":"navigate","id":"r372357","url":"file:///tmp/about.html"},"timestamp":1795422032375,"type":"command"}"#;
        let ServerMessage::Command(command) = parse(command).expect("a command") else {
            panic!("the command type is recognised");
        };
        assert_eq!(command.action, "navigate");
        assert_eq!(command.id, "r372357");
        assert_eq!(command.params["url"], "file:///tmp/about.html");
        let failed = r#"{"action":"navigate","data":null,"duration_ms":53,"id":"r372357","success":false,"timestamp":1795422032429,"type":"result"}"#;
        let ServerMessage::Result(failed) = parse(failed).expect("a result") else {
            panic!("the result type is recognised");
        };
        assert_eq!(
            (failed.id.as_str(), failed.duration_ms),
            ("r372357", Some(53.0)),
            "a result names its command and how long it took"
        );
        assert!(!failed.succeeded(), "no data: the command failed");
        // 0.41.2 says `"success":false` of a command that worked, too.
        let worked = r##"{"action":"click","data":{"clicked":"#pad"},"duration_ms":20,"id":"r70891","success":false,"timestamp":1795422203095,"type":"result"}"##;
        let ServerMessage::Result(worked) = parse(worked).expect("a result") else {
            panic!("the result type is recognised");
        };
        assert!(worked.succeeded(), "data returned: the command worked");
    }

    #[test]
    fn timestamps_in_seconds_are_read_as_milliseconds() {
        let meta = FrameMetadata {
            timestamp: Some(1795347719.108),
            ..Default::default()
        };
        assert_eq!(meta.timestamp_ms(), Some(1795347719108.0));
        let none = FrameMetadata::default();
        assert_eq!(none.timestamp_ms(), None, "no timestamp, no latency");
    }

    #[test]
    fn parses_status_tabs_and_url() {
        let status = r#"{"connected":true,"engine":"chrome","recording":false,"screencasting":true,"type":"status","viewportHeight":720,"viewportWidth":1280}"#;
        assert!(
            matches!(parse(status), Ok(ServerMessage::Status(s)) if s.screencasting && s.viewport_width == Some(1280))
        );
        let tabs = r#"{"tabs":[{"active":true,"label":null,"tabId":"t1","targetId":"X","title":"Demo","type":"page","url":"file:///d.html"}],"timestamp":1,"type":"tabs"}"#;
        let Ok(ServerMessage::Tabs(t)) = parse(tabs) else {
            panic!("tabs parse");
        };
        assert_eq!(t.tabs[0].title, "Demo");
        assert!(t.tabs[0].active);
        assert!(
            matches!(parse(r#"{"type":"url","url":"https://a.test/"}"#), Ok(ServerMessage::Url(u)) if u.url == "https://a.test/")
        );
    }

    #[test]
    fn unknown_types_are_tolerated_and_broken_messages_are_errors() {
        assert_eq!(
            parse(r#"{"type":"recording_started","x":1}"#).ok(),
            Some(ServerMessage::Unknown),
            "a type from a newer daemon is ignored"
        );
        assert!(parse("not json").is_err(), "garbage is an error to count");
        assert!(
            parse(r#"{"type":"frame","seq":"x"}"#).is_err(),
            "a frame without its fields is an error, not a frame"
        );
        assert!(parse(r#"{"seq":1}"#).is_err(), "a message without a type");
    }

    #[test]
    fn input_serializes_as_the_daemon_expects() {
        let click = Input::InputMouse(MouseInput {
            event_type: MouseEventType::MousePressed,
            x: 10.5,
            y: 20.0,
            button: MouseButton::Left,
            click_count: 2,
            delta_x: 0.0,
            delta_y: 0.0,
            modifiers: 8,
        });
        assert_eq!(
            serde_json::to_value(&click).expect("json"),
            serde_json::json!({"type":"input_mouse","eventType":"mousePressed","x":10.5,"y":20.0,"button":"left","clickCount":2,"deltaX":0.0,"deltaY":0.0,"modifiers":8})
        );
        let enter = Input::InputKeyboard(KeyInput {
            event_type: KeyEventType::KeyDown,
            key: "Enter".into(),
            code: "Enter".into(),
            text: Some("\r".into()),
            windows_virtual_key_code: 13,
            modifiers: 0,
        });
        assert_eq!(
            serde_json::to_value(&enter).expect("json"),
            serde_json::json!({"type":"input_keyboard","eventType":"keyDown","key":"Enter","code":"Enter","text":"\r","windowsVirtualKeyCode":13,"modifiers":0})
        );
        let arrow = Input::InputKeyboard(KeyInput {
            event_type: KeyEventType::RawKeyDown,
            key: "ArrowLeft".into(),
            code: "ArrowLeft".into(),
            text: None,
            windows_virtual_key_code: 37,
            modifiers: 0,
        });
        let json = serde_json::to_value(&arrow).expect("json");
        assert!(
            json.get("text").is_none(),
            "a key that types nothing sends no text"
        );
    }

    #[test]
    fn input_from_the_window_is_checked() {
        let mouse = |x: f64, clicks: u32| {
            Input::InputMouse(MouseInput {
                event_type: MouseEventType::MouseMoved,
                x,
                y: 1.0,
                button: MouseButton::None,
                click_count: clicks,
                delta_x: 0.0,
                delta_y: 0.0,
                modifiers: 0,
            })
        };
        assert!(mouse(5.0, 0).is_valid());
        assert!(!mouse(f64::NAN, 0).is_valid(), "NaN never reaches the page");
        assert!(!mouse(-1.0, 0).is_valid(), "no negative coordinates");
        assert!(!mouse(5.0, 9).is_valid(), "no nine-fold clicks");
    }

    #[test]
    fn acks_serialize_as_the_daemon_expects() {
        let text = serde_json::to_string(&ClientMessage::Ack { seq: 42 }).expect("json");
        assert_eq!(text, r#"{"type":"ack","seq":42}"#);
        let text = serde_json::to_string(&ClientMessage::Config { max_fps: 4 }).expect("json");
        assert_eq!(
            text, r#"{"type":"config","maxFps":4}"#,
            "the daemon reads the frame cap as maxFps"
        );
    }
}
