//! The headless face of Porthole: subcommands over the same core as the window.
//!
//! `porthole sessions` prints what discovery sees; with `--ensure NAME` it makes that
//! session's stream attachable through [`crate::stream_control::ensure_stream`], the same
//! call the window makes. Errors are printed as `{code, message, retryable}` with
//! `--json`, as a sentence otherwise, and exit non-zero.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::agent_browser::cli::AgentBrowserCli;
use crate::args::{SessionsArgs, WatchArgs};
use crate::discovery::{Discovery, Report, Session, SessionStatus};
use crate::error::{Coded, UiError};
use crate::stream_control::ensure_stream;

/// Exit code of a command that ran and failed.
const EXIT_FAILED: u8 = 1;

/// `porthole sessions`.
pub async fn sessions(args: SessionsArgs) -> ExitCode {
    let workspace = workspace_or_cwd(args.workspace.as_deref());
    let mut discovery = match Discovery::new() {
        Ok(d) => d,
        Err(e) => return fail(args.json, &process_table_error(e)),
    };
    let report = Report::for_workspace(&workspace, discovery.scan());
    let Some(name) = args.ensure else {
        if args.json {
            print_json(&report);
        } else {
            print_table(&report);
        }
        return ExitCode::SUCCESS;
    };
    let Some(session) = report.find(&name).cloned() else {
        let error = UiError {
            code: "session_not_found".into(),
            message: format!(
                "no agent-browser session named \"{name}\" was found (looked in {})",
                join_paths(&discovery.base_dirs())
            ),
            retryable: false,
        };
        return fail(args.json, &error);
    };
    let cli = AgentBrowserCli::locate(args.agent_browser.as_deref());
    match ensure_stream(&mut discovery, cli.as_ref(), &session).await {
        Ok(ensured) => {
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Out {
                #[serde(flatten)]
                session: Session,
                enabled_now: bool,
            }
            if args.json {
                print_json(&Out {
                    session: ensured.session,
                    enabled_now: ensured.enabled_now,
                });
            } else {
                let how = if ensured.enabled_now {
                    " (streaming was turned on)"
                } else {
                    ""
                };
                println!(
                    "{}: stream on port {}{how}",
                    ensured.session.name, ensured.port
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(args.json, &e.to_ui()),
    }
}

/// `porthole watch`: comes with the live stream client; until then it says so.
pub async fn watch(args: WatchArgs) -> ExitCode {
    let error = UiError {
        code: "not_available".into(),
        message: "`porthole watch` is not available in this version yet: the stream client it reports on is still being built".into(),
        retryable: false,
    };
    fail(args.json, &error)
}

fn workspace_or_cwd(dir: Option<&Path>) -> PathBuf {
    dir.map(Path::to_owned)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn process_table_error(e: sysinfo::Error) -> UiError {
    UiError {
        code: "process_table".into(),
        message: format!("cannot read the process table: {e}"),
        retryable: false,
    }
}

fn fail(json: bool, error: &UiError) -> ExitCode {
    if json {
        print_json(error);
    } else {
        eprintln!("porthole: {}", error.message);
    }
    ExitCode::from(EXIT_FAILED)
}

fn print_json<T: Serialize>(value: &T) {
    // Serializing these plain structs cannot fail; a closed stdout is not worth a panic.
    if let Ok(text) = serde_json::to_string_pretty(value) {
        let _ = writeln!(std::io::stdout(), "{text}");
    }
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_table(report: &Report) {
    println!("workspace {}", report.workspace.display());
    if report.current.is_empty() {
        println!("  no agent-browser session runs in this workspace");
    }
    for s in &report.current {
        println!("  {}", line(s));
    }
    let mut last_cwd = None;
    for s in &report.other {
        let cwd = s.cwd.as_deref();
        if last_cwd != Some(cwd) {
            match cwd {
                Some(dir) => println!("elsewhere {}", dir.display()),
                None => println!("stale (daemon gone)"),
            }
            last_cwd = Some(cwd);
        }
        println!("  {}", line(s));
    }
}

fn line(s: &Session) -> String {
    let status = match s.status {
        SessionStatus::Attachable => "attachable",
        SessionStatus::MissingStream => "streaming off",
        SessionStatus::Stale => "stale",
    };
    let mut out = match &s.namespace {
        Some(ns) => format!("{ns}/{}", s.name),
        None => s.name.clone(),
    };
    out.push_str(&format!("  {status}"));
    if let Some(port) = s.stream_port {
        out.push_str(&format!("  port {port}"));
    }
    if let Some(pid) = s.pid {
        out.push_str(&format!("  pid {pid}"));
    }
    if let Some(v) = &s.version {
        out.push_str(&format!("  agent-browser {v}"));
    }
    if let Some(problem) = &s.problem {
        out.push_str(&format!("  ({problem})"));
    }
    out
}
