//! The timeline: a record of what the agent did to the page, kept on disk so a person
//! can look back at it after the fact.
//!
//! An agent works for minutes at a time; the panel shows the page now and the last
//! command only. The stream already tells every client each `command` and its
//! `result`, the page's `console` messages and `page_error`s, and its URL and tabs.
//! This module turns those messages into [`Entry`]s ([`record`]), appends them to a file
//! per workspace and session in the app's data folder ([`store`]), where the app, or
//! `porthole timeline` from a terminal, reads them back, and writes them as one
//! self-contained HTML page for a bug report ([`report`]).
//!
//! What is recorded, and what is not:
//! - commands with their target and duration and whether they worked; never what was
//!   typed (`fill` names its field only, as the panel does);
//! - URL changes, tabs opened, closed and switched, console messages with their level,
//!   and page errors;
//! - stills of the page: before and after each command, and one a second while the page
//!   changes ([`stills`]).
//!
//! ```no_run
//! use porthole_core::timeline::store::TimelineDir;
//! let dir = TimelineDir::default_dir().expect("a data folder");
//! let timeline = dir.read(std::path::Path::new("/home/me/shop"), "default").expect("readable");
//! for entry in &timeline.entries {
//!     println!("{} {:?} {}", entry.at, entry.kind, entry.text);
//! }
//! ```

pub mod record;
pub mod report;
pub mod stills;
pub mod store;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One moment of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// When it happened, epoch milliseconds (a command: when it was given).
    pub at: f64,
    pub kind: EntryKind,
    /// A command's action as agent-browser names it (`navigate`, `click`, `fill`, …);
    /// a console message's level (`log`, `warning`, `error`, …).
    pub action: Option<String>,
    /// Whether it went well: a command worked, a console message is not an error. A
    /// page error never did; a command that never finished is `None`.
    pub ok: Option<bool>,
    /// What a person reads: the command and its target, the URL, the message.
    pub text: String,
    /// How long a command took, in milliseconds, as the daemon measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub duration_ms: Option<f64>,
    /// A command's still of the page as it was given: its time (see
    /// [`stills::file_name`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before: Option<f64>,
    /// A command's still of the page after it: its time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<f64>,
}

/// What kind of moment an [`Entry`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A command given to the session's daemon, by the agent or through Porthole.
    Command,
    /// The page's URL changed.
    Navigation,
    /// A console message from the page.
    Console,
    /// An uncaught error in the page.
    Error,
    /// A tab opened, closed or switched to.
    Tab,
}

impl EntryKind {
    /// The word a person reads, and the one `--json` writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Command => "command",
            Self::Navigation => "navigation",
            Self::Console => "console",
            Self::Error => "error",
            Self::Tab => "tab",
        }
    }
}
