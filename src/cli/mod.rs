//! Command-line interface.
//!
//! Exit codes (stable, CI depends on them):
//! * 0 — success;
//! * 1 — a notification at or above `--fail-on` (default `error`), or for `diff`
//!   and `verify`: a difference was found;
//! * 2 — input or usage error (unreadable file, a document that is not YAML/JSON,
//!   bad flag). Objects that parse but do not decode are error notifications (1).

mod annotations;
mod args;
mod completions;
mod diff;
pub mod input;
mod print;
mod scan;
mod verify;

pub use args::*;
pub use completions::script as completion_script;

use clap::{CommandFactory, Parser};
use std::io::IsTerminal;
use std::process::ExitCode;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { EXIT_OK });
        }
    };
    ExitCode::from(run(cli))
}

/// Runs a parsed command; returns the exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Print(a) => print::run(&a),
        Command::Scan(a) => scan::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::Annotations(a) => annotations::run(&a),
        Command::Verify(a) => verify::run(&a),
        Command::Completions { shell } => completions::run(shell),
    }
}

/// The clap command (for completions and docs).
pub fn command() -> clap::Command {
    Cli::command()
}

/// Colour only when stderr is a terminal and NO_COLOR is unset.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
