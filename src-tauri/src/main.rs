// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use porthole::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => porthole::run_gui(cli.workspace, cli.measure, None),
        Some(Command::Connect(args)) => match args.address.parse() {
            Ok(endpoint) => porthole::run_gui(None, cli.measure, Some(endpoint)),
            Err(error) => {
                eprintln!("porthole connect: {error}");
                ExitCode::from(2)
            }
        },
        Some(command) => porthole::run_headless(command),
    }
}
