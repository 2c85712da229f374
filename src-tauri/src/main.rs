// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use porthole::args::{Cli, Command};
use porthole::Launch;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let launch = |workspace, connect| Launch {
        workspace,
        measure: cli.measure.clone(),
        connect,
        hidden: cli.hidden,
    };
    match cli.command {
        None => porthole::run_gui(launch(cli.workspace.clone(), None)),
        Some(Command::Connect(ref args)) => match args.address.parse() {
            Ok(endpoint) => porthole::run_gui(launch(None, Some(endpoint))),
            Err(error) => {
                eprintln!("porthole connect: {error}");
                ExitCode::from(2)
            }
        },
        Some(command) => porthole::run_headless(command),
    }
}
