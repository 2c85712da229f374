//! What the desktop app decides, without drawing anything: [`arrivals`] (which browsers
//! the agent just opened), [`settings`] (what is remembered between runs),
//! [`auto_attach`] (what is attached by itself), [`tray_menu`] (what the tray lists),
//! [`workspace`] (which folder is the workspace) and [`vocabulary`] (the words a person reads for each status and group, in the window,
//! the tray and the command line alike).

pub mod arrivals;
pub mod auto_attach;
pub mod autostart;
pub mod settings;
pub mod tray_menu;
pub mod vocabulary;
pub mod workspace;
