//! Porthole's command line: the window by default, or a headless subcommand.
//!
//! ```text
//! porthole [WORKSPACE]                        open the window on a workspace
//! porthole connect PORT|HOST:PORT|WS_URL      show a browser with DevTools open
//! porthole sessions [--workspace DIR] [--json] [--ensure NAME]
//! porthole watch    [--workspace DIR] [--session NAME] [--seconds S | --frames N] [--json]
//! porthole open     [--workspace DIR] [--session NAME] [URL] [--json] [--force]
//! porthole timeline [--workspace DIR] [--session NAME] [--json | --html FILE]
//! ```

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use porthole_core::stream::attachment::FrameSize;
use serde::Serialize;
use ts_rs::TS;

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

    /// Start hidden in the tray, as at login (shown as a window when the desktop has no
    /// tray).
    #[arg(long)]
    pub hidden: bool,

    #[command(flatten)]
    pub measure: MeasureArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How frame bytes travel from Rust to the window. An event always signals the frame;
/// the variants differ in how its JPEG gets there. `docs/BENCHMARKS.md` has the
/// measurements that chose the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// The JPEG rides in the event, base64.
    Event,
    /// Raw bytes over a Tauri `Channel`.
    Channel,
    /// The window fetches the newest frame from the `frame:` URI scheme.
    #[default]
    Scheme,
}

/// Options for measuring the window, used by the benchmarks; hidden from `--help`.
#[derive(Debug, Clone, Args, Default)]
pub struct MeasureArgs {
    /// How frames travel to the window.
    #[arg(long, value_enum, default_value_t, hide = true)]
    pub transport: Transport,
    /// Once the panel is Live, measure the frames it shows for this many seconds, write
    /// the figures to `--measure-out` as JSON, and quit.
    #[arg(long, value_name = "S", requires = "measure_out", hide = true, value_parser = seconds)]
    pub measure_seconds: Option<f64>,
    #[arg(long, value_name = "FILE", requires = "measure_seconds", hide = true)]
    pub measure_out: Option<PathBuf>,
    /// Seconds between the panel going Live and the start of the count: the window's
    /// first paints and caches settle in them.
    #[arg(long, value_name = "S", requires = "measure_seconds", hide = true, default_value_t = 1.0, value_parser = seconds)]
    pub measure_warmup: f64,
    /// Hide the window to the tray once the warm-up is over, as a person would, and
    /// measure what the hidden app and the agent's browser cost.
    #[arg(long, requires = "measure_seconds", hide = true)]
    pub measure_hidden: bool,
}

/// A duration in seconds: a finite number above zero, at most a day.
fn seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("“{text}” is not a number of seconds"))?;
    if value.is_finite() && value > 0.0 && value <= 86_400.0 {
        Ok(value)
    } else {
        Err(format!(
            "{text} is not a duration: give seconds above 0, at most 86400"
        ))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the agent-browser sessions of a workspace, and of everything else.
    Sessions(SessionsArgs),
    /// Attach to a session's stream without a window and report frame statistics.
    Watch(WatchArgs),
    /// Show a browser with DevTools open on this machine, in the running Porthole or a
    /// new one.
    Connect(ConnectArgs),
    /// Start the browser the agent will use in a workspace (an agent-browser session),
    /// open URL in it, and print the session once it is live.
    Open(OpenArgs),
    /// Print what the window recorded of a session: the agent's commands, console
    /// messages, page errors, navigations and tabs, oldest first.
    Timeline(TimelineArgs),
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The workspace the session's daemon runs in (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// The session (default: $AGENT_BROWSER_SESSION, else "default", as the agent's CLI).
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,
    /// Print the entries as JSON.
    #[arg(long, conflicts_with = "html")]
    pub json: bool,
    /// Write the timeline as one self-contained HTML page, for a bug report.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The workspace: the browser's daemon runs there (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// The session name (default: the one the agent's CLI uses when given none:
    /// $AGENT_BROWSER_SESSION, else "default").
    #[arg(long, value_name = "NAME")]
    pub session: Option<String>,
    /// The address to open.
    #[arg(value_name = "URL", default_value = "about:blank")]
    pub url: String,
    /// Print the session as JSON (the shape of `porthole sessions --json`'s entries).
    #[arg(long)]
    pub json: bool,
    /// Start even when there is less free memory than a session needs.
    #[arg(long)]
    pub force: bool,
    /// The agent-browser CLI to start it with (default: $PORTHOLE_AGENT_BROWSER, then
    /// agent-browser on PATH, then the copy pinned by this project).
    #[arg(long, value_name = "PATH")]
    pub agent_browser: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// A port (9222), host:port on loopback (127.0.0.1:9222, [::1]:9222), or the
    /// browser's ws:// DevTools URL.
    #[arg(value_name = "PORT|HOST:PORT|WS_URL")]
    pub address: String,
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
    #[arg(long, conflicts_with = "frames", value_parser = seconds)]
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
    /// Write the last frame's JPEG to this file (for the benchmarks).
    #[arg(long, value_name = "FILE", hide = true)]
    pub save_frame: Option<PathBuf>,
    /// Ask for frames no larger than WIDTHxHEIGHT device pixels, as the window asks
    /// for its panel's size. Only a DevTools browser can send them smaller.
    #[arg(long, value_name = "WIDTHxHEIGHT", value_parser = frame_size)]
    pub frame_size: Option<FrameSize>,
}

/// `WIDTHxHEIGHT`, each from 16 to 8192.
fn frame_size(text: &str) -> Result<FrameSize, String> {
    let bad = || format!("“{text}” is not a size: give WIDTHxHEIGHT, such as 640x360");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let side = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (16..=8192).contains(n))
    };
    match (side(w), side(h)) {
        (Some(width), Some(height)) => Ok(FrameSize { width, height }),
        _ => Err(bad()),
    }
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
        assert_eq!(cli.measure.transport, Transport::default());
    }

    #[test]
    fn a_measurement_needs_both_a_duration_and_a_file() {
        assert!(Cli::try_parse_from(["porthole", "--measure-seconds", "3"]).is_err());
        let cli = Cli::try_parse_from([
            "porthole",
            "--transport",
            "channel",
            "--measure-seconds",
            "3",
            "--measure-out",
            "/tmp/m.json",
        ])
        .expect("parses");
        assert_eq!(cli.measure.transport, Transport::Channel);
        assert_eq!(cli.measure.measure_seconds, Some(3.0));
        assert_eq!(
            cli.measure.measure_warmup, 1.0,
            "a second to settle unless told"
        );
        assert!(
            Cli::try_parse_from(["porthole", "--measure-warmup", "5"]).is_err(),
            "a warm-up alone measures nothing"
        );
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
        for bad in ["inf", "NaN", "-1", "0", "1e300", "soon"] {
            assert!(
                Cli::try_parse_from(["porthole", "watch", "--seconds", bad]).is_err(),
                "--seconds {bad} is refused with a message, not a panic later"
            );
        }
        assert!(Cli::try_parse_from(["porthole", "watch", "--seconds", "0.5"]).is_ok());
        match Cli::try_parse_from(["porthole", "watch", "--frame-size", "640x360"])
            .map(|c| c.command)
        {
            Ok(Some(Command::Watch(a))) => assert_eq!(
                a.frame_size,
                Some(FrameSize {
                    width: 640,
                    height: 360
                })
            ),
            other => panic!("expected watch, got {other:?}"),
        }
        for bad in ["640", "0x360", "640x", "axb", "99999x10"] {
            assert!(
                Cli::try_parse_from(["porthole", "watch", "--frame-size", bad]).is_err(),
                "--frame-size {bad} is refused"
            );
        }
        match Cli::try_parse_from(["porthole", "connect", "9222"]).map(|c| c.command) {
            Ok(Some(Command::Connect(a))) => assert_eq!(a.address, "9222"),
            other => panic!("expected connect, got {other:?}"),
        }
    }
}
