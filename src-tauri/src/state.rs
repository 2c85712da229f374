//! What the window's commands share: the workspace and the live discovery.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::watch;

use crate::discovery::watch::{DiscoveryWatch, WatchOptions};
use crate::discovery::{Discovery, Session};

pub struct AppState {
    pub workspace: PathBuf,
    discovery: DiscoveryWatch,
}

impl AppState {
    /// Starts discovery on Tauri's tokio runtime.
    pub fn start(workspace: PathBuf) -> Result<Self, Box<dyn std::error::Error>> {
        let discovery = Discovery::new()?;
        let watch = tauri::async_runtime::block_on(async {
            DiscoveryWatch::spawn(discovery, WatchOptions::default())
        });
        Ok(Self {
            workspace,
            discovery: watch,
        })
    }

    pub fn sessions(&self) -> Arc<Vec<Session>> {
        self.discovery.current()
    }

    pub fn subscribe(&self) -> watch::Receiver<Arc<Vec<Session>>> {
        self.discovery.subscribe()
    }
}
