//! Writing to stdout and stderr without panicking.
//!
//! `print!` panics when the write fails: `ing2gw print | head -1` closes the pipe
//! (EPIPE, since Rust ignores SIGPIPE), `> /dev/full` has no space. Every command
//! writes its stdout through [`write_stdout`] instead: a closed pipe stops the
//! output quietly and the run exits [`EXIT_BROKEN_PIPE`] (what a shell reports for a
//! tool killed by SIGPIPE, so `set -o pipefail` sees the truncation); any other
//! error is a message on stderr and exit 2. Messages to stderr go through
//! `say!` (in `cli/mod.rs`), which ignores write errors: once stderr is gone there is
//! nobody to tell.

use super::{EXIT_BROKEN_PIPE, EXIT_INPUT};
use std::io::{self, Write};

/// Why stdout could not take the output.
#[derive(Debug)]
pub enum StdoutError {
    /// The reader went away (`| head`): not an error of ing2gw.
    BrokenPipe,
    Other(io::Error),
}

/// Writes `text` to stdout through one locked, buffered writer, flushed.
pub fn write_stdout(text: &str) -> Result<(), StdoutError> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    w.write_all(text.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => StdoutError::BrokenPipe,
            _ => StdoutError::Other(e),
        })
}

/// The exit code for a failed stdout write; says why unless the pipe was closed.
pub fn stdout_failed(e: &StdoutError) -> u8 {
    match e {
        StdoutError::BrokenPipe => EXIT_BROKEN_PIPE,
        StdoutError::Other(e) => {
            say(format_args!("error: cannot write to stdout: {e}\n"));
            EXIT_INPUT
        }
    }
}

/// Writes `text` to stdout; the exit code to use if that failed.
pub fn print_or_code(text: &str) -> Option<u8> {
    write_stdout(text).err().map(|e| stdout_failed(&e))
}

/// Writes to stderr, ignoring failures (see the module documentation).
pub fn say(args: std::fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}
