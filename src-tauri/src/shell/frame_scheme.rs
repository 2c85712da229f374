//! The `frame:` URI scheme: the window loads the newest frame's JPEG from it.
//!
//! With [`crate::args::Transport::Scheme`] a new frame is signalled by the
//! `frame-ready` event, which carries nothing (see [`crate::shell::notify`] for why);
//! the window's `<img>` loads `frame://localhost/a` or `/b`, in turn
//! (`http://frame.localhost/…` on Windows), and gets the newest frame as `image/jpeg`,
//! its seq in the `x-frame-seq` header. Two paths, not one per frame: WebKit keeps a
//! little memory for every image URL it has loaded. The frame served is noted in the
//! state; the window's `frame_shown` acks it once drawn and learns its metadata.

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
    if let (Some(state), Some(frame)) = (app.try_state::<AppState>(), &newest) {
        state.note_served(frame.clone());
    }
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
