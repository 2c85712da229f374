//! Errors as a person sees them.
//!
//! Inside Porthole errors are `thiserror` types with their context. Whatever reaches the
//! window or the headless JSON output is a [`UiError`]: an [`ErrorCode`] the UI can
//! switch on, a `message` written for a person, and whether trying again makes sense.
//! Every error type that can reach a person implements [`Coded`]; nothing builds a
//! [`UiError`] by hand.
//!
//! ```
//! use porthole_core::error::{Coded, ErrorCode};
//! use porthole_core::stream::attachment::InputError;
//! let ui = InputError::NotLive.to_ui();
//! assert_eq!(ui.code, ErrorCode::NotLive);
//! assert!(ui.retryable);
//! ```

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error for the window and for `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UiError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
}

/// Implemented by every error that can reach a person.
pub trait Coded: std::fmt::Display {
    fn code(&self) -> ErrorCode;
    /// Whether the same action can succeed when tried again.
    fn retryable(&self) -> bool;

    fn to_ui(&self) -> UiError {
        UiError {
            code: self.code(),
            message: self.to_string(),
            retryable: self.retryable(),
        }
    }
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UiError {}

/// Defines [`ErrorCode`], its list and what each code means for a person, in one place.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])+ $variant:ident,)+) => {
        /// Every code a person can meet, in the window or in `--json` output. Serialized
        /// in snake_case (`session_gone`); the UI receives the same enum, generated.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order defined.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// What the code means, for a person (the docs list these).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => concat!($($doc),+).trim_start(),)+
                }
            }
        }
    };
}

error_codes! {
    /// No session of that name or id is there (any more).
    SessionNotFound,
    /// The session's daemon is gone; it is shown, never acted on.
    SessionGone,
    /// The session ended while `porthole watch` watched it.
    SessionEnded,
    /// The process table cannot be read, so no daemon can be checked.
    ProcessTable,
    /// No agent-browser CLI was found where Porthole looks for one.
    CliNotFound,
    /// The session's agent-browser cannot turn its stream on while running (before 0.22.3).
    CliTooOld,
    /// The CLI found is of another version than the daemon, and the daemon's own cannot be run.
    CliVersionMismatch,
    /// The CLI ran but gave no usable answer.
    CliFailed,
    /// The CLI did not answer in time.
    Timeout,
    /// `stream enable` was refused.
    EnableFailed,
    /// Streaming was turned on but its port does not answer for this session.
    VerifyFailed,
    /// Input goes only to a live page.
    NotLive,
    /// That input cannot be sent to a page.
    InvalidInput,
    /// No session is attached, so there is no page to act on.
    NotAttached,
    /// What was typed is not an address Porthole can open.
    InvalidUrl,
    /// No such tab in this browser.
    InvalidTab,
    /// The browser did not carry out a toolbar or tab action.
    NavigationFailed,
    /// The person's own browser could not be opened.
    OpenFailed,
    /// There is no frame on screen to save or copy yet.
    NoFrame,
    /// The frame on screen could not be decoded.
    FrameUndecodable,
    /// The picture could not be encoded.
    EncodeFailed,
    /// A file could not be written.
    WriteFailed,
    /// The clipboard refused the picture.
    Clipboard,
    /// The folder named is not one Porthole can open as a workspace.
    NotADirectory,
    /// The window could not change its mode.
    Window,
    /// The browser runs, but offers no DevTools port Porthole can connect to.
    NotAttachable,
    /// The DevTools address given is not one Porthole connects to (not loopback, not a
    /// port or a ws:// URL).
    InvalidEndpoint,
    /// A session name agent-browser would not accept (letters, digits, `-` and `_` only).
    InvalidName,
    /// There is not enough free memory to start another browser; it can be forced.
    NotEnoughMemory,
    /// agent-browser could not start the browser asked for.
    StartFailed,
    /// No timeline was recorded for that session in that workspace.
    NotRecorded,
    /// A recorded timeline could not be read.
    ReadFailed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_snake_case_and_explained() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("a code serializes");
            let text = json.as_str().expect("as a string");
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "codes are snake_case: {text}"
            );
            assert!(
                !code.meaning().is_empty(),
                "{text} says what it means for a person"
            );
        }
    }

    #[test]
    fn the_architecture_doc_lists_every_code() {
        let doc = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/ARCHITECTURE.md"
        ))
        .expect("docs/ARCHITECTURE.md is readable");
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("a code serializes");
            let text = format!("`{}`", json.as_str().expect("as a string"));
            assert!(
                doc.contains(&text),
                "docs/ARCHITECTURE.md lists the error code {text}"
            );
        }
    }
}
