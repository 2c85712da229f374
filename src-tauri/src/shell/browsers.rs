//! Browsers the person brings: "Connect to a browser…" in the sidebar and `porthole
//! connect PORT|URL` (whether it starts Porthole or hands the address to the Porthole
//! already running), and "New browser…", which starts the agent's browser in the open
//! workspace through [`porthole_core::launch`] and shows it.
//!
//! The address is parsed by [`porthole_core::cdp::endpoint`] (loopback only, with the
//! reason when not). The browser discovery already lists on that port is the one
//! attached, with its pid; an address discovery cannot see (another user's browser, a
//! container's forwarded port) is attached by its address alone.

use tauri::{AppHandle, Manager};

use porthole_core::agent_browser::cli::AgentBrowserCli;
use porthole_core::cdp::connection;
use porthole_core::cdp::endpoint::Endpoint;
use porthole_core::discovery::Discovery;
use porthole_core::error::{Coded, UiError};
use porthole_core::launch::{self, OpenError, OpenRequest, Opened};

use crate::shell::state::AppState;
use crate::shell::{notify, window};

/// Checks that DevTools answer at `endpoint`, then shows that browser in the panel.
/// What the sidebar's form calls: a wrong address is said at once, in the form.
pub async fn connect_checked(app: &AppHandle, endpoint: Endpoint) -> Result<(), UiError> {
    connection::browser_ws_url(&endpoint.host, endpoint.port)
        .await
        .map_err(|e| e.to_ui())?;
    show(app, endpoint).await;
    Ok(())
}

/// Shows the browser at `endpoint` in the panel and brings the window forward, on the
/// async runtime (the caller need not be on it). A browser that does not answer is
/// said in the panel, as for any session.
pub fn connect(app: &AppHandle, endpoint: Endpoint) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move { show(&app, endpoint).await });
}

async fn show(app: &AppHandle, endpoint: Endpoint) {
    let state = app.state::<AppState>();
    tracing::info!(host = %endpoint.host, port = endpoint.port, "connecting to a browser by hand");
    match state.connect(&endpoint).await {
        Ok(changes) => notify::send(app, changes),
        Err(error) => tracing::warn!(error = %error.message, "cannot connect"),
    }
    window::show_main(app);
}

/// `porthole connect`'s address, parsed, or the reason it is refused, for a person.
pub fn parse(address: &str) -> Result<Endpoint, UiError> {
    address.parse::<Endpoint>().map_err(|e| e.to_ui())
}

/// "New browser…": starts the session `session` (default: the one the agent's CLI
/// uses) in the open workspace on `url`, or finds it live, and shows it in the panel.
/// Refused where memory is short unless `force`.
pub async fn open(
    app: &AppHandle,
    session: Option<String>,
    url: String,
    force: bool,
) -> Result<Opened, UiError> {
    let state = app.state::<AppState>();
    let cli = AgentBrowserCli::locate(state.agent_browser().as_deref())
        .map_err(|e| OpenError::from(e).to_ui())?;
    let mut discovery = Discovery::new().map_err(|e| e.to_ui())?;
    let request = OpenRequest {
        workspace: state.workspace(),
        session: session.filter(|s| !s.trim().is_empty()),
        url,
        force,
        min_free_mb: state.min_free_mb(),
    };
    let opened = {
        let _starting = state.starting_browser();
        launch::open(&request, &cli, &mut discovery)
            .await
            .map_err(|e| e.to_ui())?
    };
    notify::send(app, state.show_session(opened.session.clone())?);
    window::show_main(app);
    Ok(opened)
}

/// The session name "New browser…" offers: the one the agent's CLI uses in the open
/// workspace when it is given none.
pub async fn default_name(app: &AppHandle) -> Result<String, UiError> {
    let state = app.state::<AppState>();
    let cli = AgentBrowserCli::locate(state.agent_browser().as_deref())
        .map_err(|e| OpenError::from(e).to_ui())?;
    cli.current_session(&state.workspace())
        .await
        .map_err(|e| OpenError::from(e).to_ui())
}
