// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use porthole::args::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => porthole::run_gui(cli.workspace, cli.measure),
        Some(command) => porthole::run_headless(command),
    }
}
