//! The `frame:` URI scheme: the window fetches the newest frame's JPEG from it.
//!
//! With [`crate::args::Transport::Scheme`] the `frame` event carries no bytes; the window
//! fetches `frame://localhost/SEQ` (`http://frame.localhost/SEQ` on Windows) and gets
//! the newest frame as `image/jpeg`, its seq in the `x-frame-seq` header. The newest,
//! not necessarily SEQ: with ack pacing they are the same, and when they are not the
//! newer frame is the one worth painting.

use tauri::http::{header, Request, Response, StatusCode};
use tauri::{AppHandle, Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::shell::state::AppState;

/// The scheme's name, as registered and as the window's URLs use it.
pub const SCHEME: &str = "frame";

/// Answers one request of the scheme.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    _request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app: AppHandle<R> = ctx.app_handle().clone();
    let newest = app
        .try_state::<AppState>()
        .and_then(|state| state.attachment())
        .and_then(|attachment| attachment.frames().borrow().clone());
    let response = match newest.map(|frame| (frame.seq, frame.jpeg())) {
        Some((seq, Ok(jpeg))) => Response::builder()
            .header(header::CONTENT_TYPE, "image/jpeg")
            .header(header::CACHE_CONTROL, "no-store")
            .header("x-frame-seq", seq.to_string())
            // The window's origin is tauri://localhost, another origin than this scheme.
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .header(header::ACCESS_CONTROL_EXPOSE_HEADERS, "x-frame-seq")
            .body(jpeg),
        Some((seq, Err(error))) => {
            tracing::warn!(%error, seq, "a frame is not valid base64");
            status(StatusCode::UNPROCESSABLE_ENTITY)
        }
        None => status(StatusCode::NOT_FOUND),
    };
    match response {
        Ok(response) => responder.respond(response),
        Err(error) => {
            tracing::warn!(%error, "cannot build a frame response");
            if let Ok(response) = status(StatusCode::INTERNAL_SERVER_ERROR) {
                responder.respond(response);
            }
        }
    }
}

fn status(code: StatusCode) -> tauri::http::Result<Response<Vec<u8>>> {
    Response::builder().status(code).body(Vec::new())
}
