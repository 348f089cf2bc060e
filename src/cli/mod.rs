//! Command-line interface.
//!
//! Exit codes (stable, CI depends on them):
//! * 0 — success;
//! * 1 — a notification at or above `--fail-on` (default `error`), or for `diff`
//!   and `verify`: a difference was found;
//! * 2 — input or usage error (unreadable file, a document that is not YAML/JSON,
//!   bad flag), an object that cannot be written to `--output-dir`, or an output
//!   that cannot be written (`--output-dir`, `--report`, stdout: disk full,
//!   read-only, permission). Objects that parse but do not decode are error
//!   notifications (1);
//! * 141 — stdout was closed before all output was written (`ing2gw print | head`):
//!   the output stops quietly, as for a tool killed by SIGPIPE (128 + 13);
//!   notifications and `--report` are still produced.

/// `eprintln!` without the panic when stderr is gone (see [`stdio`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::stdio::say(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod annotations;
mod args;
mod completions;
mod diff;
pub mod input;
mod print;
mod progress;
mod sarif;
mod scan;
mod status;
pub mod stdio;
mod validate;
mod verify;

pub use args::*;
pub use completions::script as completion_script;

use clap::CommandFactory;
use std::io::IsTerminal;
use std::process::ExitCode;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INPUT: u8 = 2;
/// stdout closed early (EPIPE): 128 + SIGPIPE, as a shell reports it.
pub const EXIT_BROKEN_PIPE: u8 = 141;

/// Which name the binary answers to in its help and usage lines. The choice is
/// made by the binary (`ing2gw` or `kubectl-ing2gw`), never from argv[0], so a
/// renamed or symlinked binary still documents itself the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `ing2gw …`
    Standalone,
    /// `kubectl ing2gw …`: the kubectl plugin binary `kubectl-ing2gw`, which
    /// kubectl runs with the arguments after `kubectl ing2gw`.
    KubectlPlugin,
}

impl Flavor {
    /// How a user types the command.
    pub fn invocation(self) -> &'static str {
        match self {
            Flavor::Standalone => "ing2gw",
            Flavor::KubectlPlugin => "kubectl ing2gw",
        }
    }
}

/// Entry point of the `ing2gw` binary.
pub fn main() -> ExitCode {
    main_as(Flavor::Standalone)
}

/// Entry point of a binary: `flavor` names it in help and usage.
pub fn main_as(flavor: Flavor) -> ExitCode {
    let parsed = command_as(flavor)
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            // `--help`/`--version` go to stdout: a closed pipe or a full disk is
            // handled as for every other output.
            let printed = e.print();
            if e.use_stderr() {
                return ExitCode::from(EXIT_INPUT);
            }
            return ExitCode::from(match printed {
                Ok(()) => EXIT_OK,
                Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => EXIT_BROKEN_PIPE,
                Err(io) => stdio::stdout_failed(&stdio::StdoutError::Other(io)),
            });
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
        Command::Status(a) => status::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Completions { shell } => completions::run(shell),
        Command::KubeNames { kind } => completions::kube_names(kind),
    }
}

/// The clap command (for completions and docs).
pub fn command() -> clap::Command {
    Cli::command().bin_name("ing2gw")
}

/// The clap command as `flavor` presents it: for the kubectl plugin, usage lines
/// and the examples of every `--help` read `kubectl ing2gw …`.
pub fn command_as(flavor: Flavor) -> clap::Command {
    let cmd = command();
    match flavor {
        Flavor::Standalone => cmd,
        Flavor::KubectlPlugin => {
            let cmd = cmd.bin_name(flavor.invocation());
            for_examples(cmd, flavor.invocation())
        }
    }
}

/// Rewrites the example lines (`  ing2gw …`, `| ing2gw …`) of every after-help
/// text of `cmd` and its subcommands to start with `invocation`.
fn for_examples(mut cmd: clap::Command, invocation: &str) -> clap::Command {
    if let Some(text) = cmd.get_after_help() {
        let text = text
            .to_string()
            .replace("\n  ing2gw ", &format!("\n  {invocation} "))
            .replace("| ing2gw ", &format!("| {invocation} "));
        cmd = cmd.after_help(text);
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sub| for_examples(sub, invocation));
    }
    cmd
}

/// Colour only when stderr is a terminal and NO_COLOR is unset.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
