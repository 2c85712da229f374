//! The errors the shell itself can meet, coded for the window like the core's (see
//! [`porthole_core::error`]).

use porthole_core::error::{Coded, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error("no session is attached, so there is no {0}")]
    NotAttached(&'static str),
    #[error("only web and file addresses open in your browser, not “{0}”")]
    NotAWebAddress(String),
    #[error("your browser could not be opened: {0}")]
    OpenFailed(String),
    #[error("the page could not be copied: {0}")]
    Clipboard(String),
    #[error("the window could not change its mode: {0}")]
    Window(#[from] tauri::Error),
    #[error("this system has no configuration folder for the login entry")]
    NoConfigFolder,
    #[error("Porthole cannot tell where its own program is: {0}")]
    NoExecutable(String),
    #[error("this session is not being recorded: turn on “Record what the agent does”, then show it again")]
    NotRecorded,
    #[error("{0}")]
    Timeline(String),
}

impl Coded for ShellError {
    fn code(&self) -> ErrorCode {
        match self {
            ShellError::NotAttached(_) => ErrorCode::NotAttached,
            ShellError::NotAWebAddress(_) => ErrorCode::InvalidUrl,
            ShellError::OpenFailed(_) => ErrorCode::OpenFailed,
            ShellError::Clipboard(_) => ErrorCode::Clipboard,
            ShellError::Window(_) => ErrorCode::Window,
            ShellError::NoConfigFolder | ShellError::NoExecutable(_) | ShellError::Timeline(_) => {
                ErrorCode::WriteFailed
            }
            ShellError::NotRecorded => ErrorCode::NotRecorded,
        }
    }

    fn retryable(&self) -> bool {
        matches!(
            self,
            ShellError::OpenFailed(_) | ShellError::Clipboard(_) | ShellError::Window(_)
        )
    }
}
