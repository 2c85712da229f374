//! Porthole's command line: the window by default, or a headless subcommand.
//!
//! ```text
//! porthole [WORKSPACE]                        open the window on a workspace
//! porthole sessions [--workspace DIR] [--json] [--ensure NAME]
//! porthole watch    [--workspace DIR] [--session NAME] [--seconds S | --frames N] [--json]
//! ```

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "porthole",
    version,
    about = "A live window onto the browser your coding agent is driving",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// The workspace to open (the directory the agent works in). Default: the current directory.
    pub workspace: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the agent-browser sessions of a workspace, and of everything else.
    Sessions(SessionsArgs),
    /// Attach to a session's stream without a window and report frame statistics.
    Watch(WatchArgs),
}

#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// The workspace (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Make this session's stream attachable (enabling it when off) and print the session.
    #[arg(long, value_name = "NAME")]
    pub ensure: Option<String>,
    /// The agent-browser CLI to use (default: $PORTHOLE_AGENT_BROWSER, then agent-browser
    /// on PATH, then the copy pinned by this project).
    #[arg(long, value_name = "PATH", requires = "ensure")]
    pub agent_browser: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The workspace (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// The session to watch (default: the one the window would attach).
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,
    /// Stop after this many seconds.
    #[arg(long, conflicts_with = "frames")]
    pub seconds: Option<f64>,
    /// Stop after this many frames.
    #[arg(long)]
    pub frames: Option<u64>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The agent-browser CLI to use, should the stream need turning on.
    #[arg(long, value_name = "PATH")]
    pub agent_browser: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_bare_directory_opens_the_window_on_it() {
        let cli = Cli::try_parse_from(["porthole", "/tmp/ws"]).expect("parses");
        assert!(cli.command.is_none());
        assert_eq!(cli.workspace, Some(PathBuf::from("/tmp/ws")));
    }

    #[test]
    fn subcommands_take_their_own_flags() {
        let cli = Cli::try_parse_from(["porthole", "sessions", "--workspace", "/w", "--json"])
            .expect("parses");
        match cli.command {
            Some(Command::Sessions(a)) => {
                assert!(a.json);
                assert_eq!(a.workspace, Some(PathBuf::from("/w")));
            }
            other => panic!("expected sessions, got {other:?}"),
        }
        assert!(
            Cli::try_parse_from(["porthole", "watch", "--seconds", "1", "--frames", "2"]).is_err(),
            "a watch stops on time or on a frame count, not both"
        );
    }
}
