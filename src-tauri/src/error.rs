//! Errors as a person sees them.
//!
//! Inside Porthole errors are `thiserror` types with their context. Whatever reaches the
//! window or the headless JSON output is a [`UiError`]: a stable `code` the UI can branch
//! on, a `message` written for a person, and whether trying again makes sense.

use serde::Serialize;
use ts_rs::TS;

/// An error for the window and for `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UiError {
    pub code: String,
    pub message: String,
    pub retryable: bool,
}

/// Implemented by every error that can reach a person.
pub trait Coded: std::fmt::Display {
    /// A stable snake_case code.
    fn code(&self) -> &'static str;
    /// Whether the same action can succeed when tried again.
    fn retryable(&self) -> bool;

    fn to_ui(&self) -> UiError {
        UiError {
            code: self.code().to_owned(),
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
