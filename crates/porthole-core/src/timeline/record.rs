//! From stream messages to timeline entries.
//!
//! [`Recorder::take`] is given every message of a session's stream but its frames, and
//! returns the entries that are complete: a console message, an error, a URL or tab
//! change at once; a command when its result comes (its entry is dated when it was
//! given). [`Recorder::finish`] returns the commands still running when the recording
//! stops, marked as never finished. It is pure bookkeeping: no clock, no I/O, so the
//! tests feed it the messages seen on the wire.
//!
//! Two things seen on agent-browser 0.41.2's wire shape it:
//! - every console message and page error arrives twice, the copies of several
//!   messages interleaved: 1 to 30 ms apart on an idle machine, over 100 ms on a busy
//!   one. Each message absorbs one identical message within [`DUPLICATE_WINDOW_MS`], so
//!   n messages sent twice are n entries, whatever the order;
//! - a failed command's `result` carries no error text (`"data":null`, nothing else),
//!   so its entry says it failed and not why.

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::stream::activity::{self, AgentCommand};
use crate::stream::protocol::{ServerMessage, Tab};
use crate::timeline::{Entry, EntryKind};

/// An identical console message or page error this soon after the last is the
/// daemon's copy of it.
pub const DUPLICATE_WINDOW_MS: f64 = 1_000.0;

/// The most commands kept waiting for their result. A daemon answers every command it is
/// given, but one killed mid-command never does: past this many, the oldest is written
/// out as never finished, so the recording's memory stays bounded.
pub const MAX_RUNNING: usize = 256;

/// The longest message text kept; a longer one ends in "…".
const MAX_TEXT_CHARS: usize = 2_000;

/// Turns one session's stream messages into entries.
#[derive(Debug, Default)]
pub struct Recorder {
    /// Commands given and not yet answered, by id.
    running: HashMap<String, Entry>,
    /// The console messages and page errors of the last [`DUPLICATE_WINDOW_MS`]: what,
    /// when, and whether its copy came already.
    recent: VecDeque<(EntryKind, String, f64, bool)>,
    url: Option<String>,
    /// The tabs as last seen: their ids, and the active one.
    tabs: Option<(BTreeSet<String>, Option<String>)>,
}

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The entries `message`, received at `now` (epoch ms), completes.
    pub fn take(&mut self, message: &ServerMessage, now: f64) -> Vec<Entry> {
        match message {
            ServerMessage::Command(command) => {
                if let Some(started) = AgentCommand::started(command) {
                    let text = match &started.target {
                        Some(target) => format!("{} {target}", started.action),
                        None => started.action.clone(),
                    };
                    self.running.insert(
                        started.id,
                        Entry {
                            at: now,
                            kind: EntryKind::Command,
                            action: Some(started.action),
                            ok: None,
                            text,
                            duration_ms: None,
                            before: None,
                            after: None,
                        },
                    );
                }
                if self.running.len() > MAX_RUNNING {
                    return self.oldest_running().into_iter().collect();
                }
                Vec::new()
            }
            ServerMessage::Result(result) => match self.running.remove(&result.id) {
                Some(mut entry) => {
                    entry.ok = Some(result.succeeded());
                    entry.duration_ms = result.duration_ms;
                    vec![entry]
                }
                None => Vec::new(),
            },
            ServerMessage::Console(value) => {
                let level = value
                    .get("level")
                    .and_then(|l| l.as_str())
                    .unwrap_or("log")
                    .to_owned();
                let text = text_of(value);
                let at = timestamp(value).unwrap_or(now);
                if self.is_copy(EntryKind::Console, &format!("{level}\n{text}"), at) {
                    return Vec::new();
                }
                vec![Entry {
                    at,
                    kind: EntryKind::Console,
                    ok: Some(level != "error"),
                    action: Some(level),
                    text,
                    duration_ms: None,
                    before: None,
                    after: None,
                }]
            }
            ServerMessage::PageError(value) => {
                let text = text_of(value);
                let at = timestamp(value).unwrap_or(now);
                if self.is_copy(EntryKind::Error, &text, at) {
                    return Vec::new();
                }
                vec![Entry {
                    at,
                    kind: EntryKind::Error,
                    action: None,
                    ok: Some(false),
                    text,
                    duration_ms: None,
                    before: None,
                    after: None,
                }]
            }
            ServerMessage::Url(url) => {
                if url.url.is_empty() || self.url.as_deref() == Some(url.url.as_str()) {
                    return Vec::new();
                }
                self.url = Some(url.url.clone());
                vec![Entry {
                    at: now,
                    kind: EntryKind::Navigation,
                    action: None,
                    ok: Some(true),
                    text: clip(&url.url),
                    duration_ms: None,
                    before: None,
                    after: None,
                }]
            }
            ServerMessage::Tabs(tabs) => self.tabs_changed(&tabs.tabs, now),
            _ => Vec::new(),
        }
    }

    /// Gives up on the command given first, as never finished.
    fn oldest_running(&mut self) -> Option<Entry> {
        let id = self
            .running
            .iter()
            .min_by(|a, b| a.1.at.total_cmp(&b.1.at))
            .map(|(id, _)| id.clone())?;
        self.running.remove(&id)
    }

    /// The commands still running, oldest first, as never finished.
    pub fn finish(self) -> Vec<Entry> {
        let mut left: Vec<Entry> = self.running.into_values().collect();
        left.sort_by(|a, b| a.at.total_cmp(&b.at));
        left
    }

    /// Whether this message is the daemon's copy of one just before.
    fn is_copy(&mut self, kind: EntryKind, key: &str, at: f64) -> bool {
        self.recent
            .retain(|(_, _, when, _)| (at - when).abs() <= DUPLICATE_WINDOW_MS);
        let original = self
            .recent
            .iter_mut()
            .find(|(k, text, _, copied)| !*copied && *k == kind && text == key);
        match original {
            Some((_, _, _, copied)) => {
                *copied = true;
                true
            }
            None => {
                self.recent.push_back((kind, key.to_owned(), at, false));
                false
            }
        }
    }

    /// Tab entries for what changed since the tabs were last seen; none for the first
    /// list, which is where the recording starts rather than a change.
    fn tabs_changed(&mut self, tabs: &[Tab], now: f64) -> Vec<Entry> {
        let ids: BTreeSet<String> = tabs.iter().map(|t| t.tab_id.clone()).collect();
        let active = tabs.iter().find(|t| t.active).map(|t| t.tab_id.clone());
        let Some((before, was_active)) = self.tabs.replace((ids.clone(), active.clone())) else {
            return Vec::new();
        };
        let describe = |tab: &Tab| {
            let name = if tab.title.is_empty() || tab.title == tab.url {
                tab.url.clone()
            } else {
                format!("{} ({})", tab.title, tab.url)
            };
            clip(&format!("{}: {name}", tab.tab_id))
        };
        let entry = |text: String| Entry {
            at: now,
            kind: EntryKind::Tab,
            action: None,
            ok: Some(true),
            text,
            duration_ms: None,
            before: None,
            after: None,
        };
        let mut entries: Vec<Entry> = tabs
            .iter()
            .filter(|t| !before.contains(&t.tab_id))
            .map(|t| entry(format!("opened {}", describe(t))))
            .collect();
        entries.extend(
            before
                .difference(&ids)
                .map(|id| entry(format!("closed {id}"))),
        );
        let opened_active = active.as_ref().is_some_and(|a| !before.contains(a));
        if active != was_active && !opened_active {
            if let Some(tab) = tabs.iter().find(|t| t.active) {
                entries.push(entry(format!("switched to {}", describe(tab))));
            }
        }
        entries
    }
}

/// A console message's or page error's text.
fn text_of(value: &serde_json::Value) -> String {
    clip(
        value
            .get("text")
            .and_then(|t| t.as_str())
            .unwrap_or_default(),
    )
}

/// The daemon's own time for a message, epoch ms.
fn timestamp(value: &serde_json::Value) -> Option<f64> {
    value
        .get("timestamp")
        .and_then(|t| t.as_f64())
        .filter(|t| t.is_finite() && *t > 0.0)
}

fn clip(text: &str) -> String {
    activity::clip(text, MAX_TEXT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::protocol::parse;

    /// Feeds wire messages (as agent-browser 0.41.2 sent them) at 1 ms apart.
    fn record(lines: &[&str]) -> (Vec<Entry>, Recorder) {
        let mut recorder = Recorder::new();
        let mut entries = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let message = parse(line).expect("a valid message");
            entries.extend(recorder.take(&message, 1_000.0 + i as f64));
        }
        (entries, recorder)
    }

    #[test]
    fn a_command_is_recorded_with_its_result_and_dated_when_given() {
        let (entries, recorder) = record(&[
            r##"{"type":"command","action":"launch","id":"r0","params":{}}"##,
            r##"{"type":"command","action":"click","id":"r1","params":{"selector":"#nope"}}"##,
            r##"{"type":"result","action":"click","id":"r1","data":null,"success":false,"duration_ms":2}"##,
            r##"{"type":"command","action":"fill","id":"r2","params":{"selector":"#pw","value":"hunter2"}}"##,
            r##"{"type":"result","action":"fill","id":"r2","data":{},"success":false,"duration_ms":7}"##,
        ]);
        assert_eq!(
            entries.len(),
            2,
            "launch is not the agent's doing: {entries:?}"
        );
        assert_eq!(entries[0].text, "click #nope");
        assert_eq!(
            entries[0].ok,
            Some(false),
            "data null means the click failed"
        );
        assert_eq!(
            entries[0].at, 1_001.0,
            "dated when given, not when answered"
        );
        assert_eq!(entries[0].duration_ms, Some(2.0));
        assert_eq!(
            entries[1].text, "fill #pw",
            "the field, never what was typed"
        );
        assert_eq!(entries[1].ok, Some(true));
        assert!(recorder.finish().is_empty(), "every command was answered");
    }

    #[test]
    fn a_long_timeline_of_unanswered_commands_keeps_its_memory_bounded() {
        let mut recorder = Recorder::new();
        let mut written = 0;
        for i in 0..10_000 {
            let line = format!(
                r##"{{"type":"command","action":"click","id":"r{i}","params":{{"selector":"#b{i}"}}}}"##
            );
            let out = recorder.take(&parse(&line).expect("valid"), f64::from(i));
            for entry in &out {
                assert_eq!(entry.ok, None, "given up on as never finished");
            }
            written += out.len();
            assert!(
                recorder.running.len() <= MAX_RUNNING,
                "at most {MAX_RUNNING} wait"
            );
        }
        assert_eq!(
            written,
            10_000 - MAX_RUNNING,
            "the oldest were written out, none lost"
        );
        let left = recorder.finish();
        assert_eq!(left.len(), MAX_RUNNING);
        assert_eq!(
            left[0].text,
            format!("click #b{}", 10_000 - MAX_RUNNING),
            "oldest first"
        );
    }

    #[test]
    fn a_command_left_running_is_kept_as_never_finished() {
        let (entries, recorder) = record(&[
            r##"{"type":"command","action":"navigate","id":"r1","params":{"url":"https://a.test/"}}"##,
        ]);
        assert!(entries.is_empty(), "not complete until its result");
        let left = recorder.finish();
        assert_eq!(left.len(), 1);
        assert_eq!(
            left[0].ok, None,
            "it never finished, so it neither worked nor failed"
        );
    }

    #[test]
    fn the_daemons_copies_of_console_messages_and_errors_are_dropped() {
        let (entries, _) = record(&[
            r##"{"type":"console","level":"log","text":"hello 42","timestamp":1796324310145}"##,
            r##"{"type":"console","level":"error","text":"bad thing","timestamp":1796324310145}"##,
            r##"{"type":"console","level":"log","text":"hello 42","timestamp":1796324310146}"##,
            r##"{"type":"console","level":"error","text":"bad thing","timestamp":1796324310146}"##,
            r##"{"type":"page_error","text":"Error: boom","line":0,"column":79,"timestamp":1796324310157}"##,
            r##"{"type":"page_error","text":"Error: boom","line":0,"column":79,"timestamp":1796324310182}"##,
            r##"{"type":"console","level":"error","text":"bad thing","timestamp":1796324312000}"##,
        ]);
        let seen: Vec<(EntryKind, Option<&str>, &str, Option<bool>)> = entries
            .iter()
            .map(|e| (e.kind, e.action.as_deref(), e.text.as_str(), e.ok))
            .collect();
        assert_eq!(
            seen,
            vec![
                (EntryKind::Console, Some("log"), "hello 42", Some(true)),
                (EntryKind::Console, Some("error"), "bad thing", Some(false)),
                (EntryKind::Error, None, "Error: boom", Some(false)),
                (EntryKind::Console, Some("error"), "bad thing", Some(false)),
            ],
            "each copy is dropped, interleaved or not; the same text seconds later is news"
        );
        assert_eq!(
            entries[0].at, 1796324310145.0,
            "dated by the daemon's timestamp"
        );
    }

    #[test]
    fn a_message_the_page_logs_twice_is_two_entries() {
        let (entries, _) = record(&[
            r##"{"type":"console","level":"log","text":"tick","timestamp":5000}"##,
            r##"{"type":"console","level":"log","text":"tick","timestamp":5000}"##,
            r##"{"type":"console","level":"log","text":"tick","timestamp":5001}"##,
            r##"{"type":"console","level":"log","text":"tick","timestamp":5001}"##,
        ]);
        assert_eq!(
            entries.len(),
            2,
            "two messages, each sent twice: {entries:?}"
        );
    }

    #[test]
    fn url_and_tab_changes_are_recorded_once() {
        let (entries, _) = record(&[
            r##"{"type":"tabs","tabs":[{"tabId":"t1","title":"about:blank","url":"about:blank","active":true}]}"##,
            r##"{"type":"url","url":"https://a.test/"}"##,
            r##"{"type":"url","url":"https://a.test/"}"##,
            r##"{"type":"tabs","tabs":[{"tabId":"t1","title":"A","url":"https://a.test/","active":true}]}"##,
            r##"{"type":"tabs","tabs":[{"tabId":"t1","title":"A","url":"https://a.test/","active":false},{"tabId":"t2","title":"about:blank","url":"about:blank","active":true}]}"##,
            r##"{"type":"tabs","tabs":[{"tabId":"t1","title":"A","url":"https://a.test/","active":true},{"tabId":"t2","title":"about:blank","url":"about:blank","active":false}]}"##,
            r##"{"type":"tabs","tabs":[{"tabId":"t1","title":"A","url":"https://a.test/","active":true}]}"##,
        ]);
        let texts: Vec<(EntryKind, &str)> =
            entries.iter().map(|e| (e.kind, e.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                (EntryKind::Navigation, "https://a.test/"),
                (EntryKind::Tab, "opened t2: about:blank"),
                (EntryKind::Tab, "switched to t1: A (https://a.test/)"),
                (EntryKind::Tab, "closed t2"),
            ],
            "the first tab list is the start, a repeated URL or a title change is no news"
        );
    }
}
