//! Connecting to a browser by hand: "Connect to a browser…" in the sidebar and
//! `porthole connect PORT|URL`, whether it starts Porthole or hands the address to the
//! Porthole already running.
//!
//! The address is parsed by [`porthole_core::cdp::endpoint`] (loopback only, with the
//! reason when not). The browser discovery already lists on that port is the one
//! attached, with its pid; an address discovery cannot see (another user's browser, a
//! container's forwarded port) is attached by its address alone.

use tauri::{AppHandle, Manager};

use porthole_core::cdp::connection;
use porthole_core::cdp::endpoint::Endpoint;
use porthole_core::error::{Coded, UiError};

use crate::shell::state::AppState;
use crate::shell::{notify, window};

/// Checks that DevTools answer at `endpoint`, then shows that browser in the panel.
/// What the sidebar's form calls: a wrong address is said at once, in the form.
pub async fn connect_checked(app: &AppHandle, endpoint: Endpoint) -> Result<(), UiError> {
    connection::browser_ws_url(&endpoint.host, endpoint.port)
        .await
        .map_err(|e| e.to_ui())?;
    connect(app, endpoint);
    Ok(())
}

/// Shows the browser at `endpoint` in the panel and brings the window forward. A
/// browser that does not answer is said in the panel, as for any session.
pub fn connect(app: &AppHandle, endpoint: Endpoint) {
    let state = app.state::<AppState>();
    tracing::info!(host = %endpoint.host, port = endpoint.port, "connecting to a browser by hand");
    match state.connect(&endpoint) {
        Ok(changes) => notify::send(app, changes),
        Err(error) => tracing::warn!(error = %error.message, "cannot connect"),
    }
    window::show_main(app);
}

/// `porthole connect`'s address, parsed, or the reason it is refused, for a person.
pub fn parse(address: &str) -> Result<Endpoint, UiError> {
    address.parse::<Endpoint>().map_err(|e| e.to_ui())
}
