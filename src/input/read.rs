//! Reading the `-f` arguments: files, folders (see `walk.rs` for what a folder
//! yields) and stdin, within the size limits of `limits.rs`.
//!
//! A path the user names is trusted a little more than what a folder holds: a
//! named symlink to a regular file or folder is read (the user chose it), but a
//! named FIFO, socket or device, or anything whose canonical path is under
//! `/proc`, `/sys` or `/dev`, is refused with an error before anything is opened
//! (`-f /dev/stdin` on a pipe included: `-f -` reads stdin).
//!
//! Every file is opened with `O_NONBLOCK` (and, unless reached through a followed
//! symlink, `O_NOFOLLOW`), then checked again on the open handle: a file swapped
//! for a FIFO or a link after the walk cannot block or redirect the read. Reads are
//! bounded (`take(limit + 1)`), so a file that grows, or reports no size, cannot
//! exceed the limits either.
//!
//! A problem with one file (too large, not UTF-8, unreadable, special) is a
//! notification naming the file; the other files are still read and translated,
//! and an error makes the run's exit code 2, as other input errors do.

use super::SourceFile;
use super::limits::{ByteSize, ReadLimits};
use super::walk::{self, Found};
use crate::report::{Code, Notification, Severity};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A symlink in an input folder was not followed (or led to a file read already).
pub const SKIPPED_SYMLINK: Code = Code("skipped-symlink");
/// A FIFO, socket, device or system file was not read.
pub const SPECIAL_FILE: Code = Code("special-file");
/// A file, stdin, or the run's input is over its size limit.
pub const INPUT_TOO_LARGE: Code = Code("input-too-large");
/// A file is not UTF-8.
pub const NOT_UTF8: Code = Code("not-utf8");
/// A file or folder could not be read.
pub const UNREADABLE_FILE: Code = Code("unreadable-file");

/// Every code the reader raises.
pub const READ_CODES: [Code; 5] = [
    SKIPPED_SYMLINK,
    SPECIAL_FILE,
    INPUT_TOO_LARGE,
    NOT_UTF8,
    UNREADABLE_FILE,
];

/// What stdin is called in notifications.
const STDIN: &str = "<stdin>";

/// How input files are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub limits: ReadLimits,
    /// Follow symlinks found in folders (`--follow-symlinks`).
    pub follow_symlinks: bool,
}

/// An argument that is not read at all; the run stops (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A named FIFO, socket, device or system file.
    #[error("refusing to read {}: {}", .0.path, .0.problem)]
    Refused(FileProblem),
    /// A file [`read_sources`] could not take (too large, not UTF-8, …).
    #[error("{}: {}", .0.path, .0.problem)]
    NotRead(FileProblem),
}

/// What a file is when it is neither a regular file nor a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialKind {
    Fifo,
    Socket,
    Device,
    Symlink,
    Other,
}

impl std::fmt::Display for SpecialKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SpecialKind::Fifo => "a FIFO (named pipe)",
            SpecialKind::Socket => "a socket",
            SpecialKind::Device => "a device",
            SpecialKind::Symlink => "a symlink",
            SpecialKind::Other => "a special file",
        })
    }
}

/// Why a file was not read (or read only once).
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("symlink to {} not followed", .target.display())]
    SymlinkSkipped { target: PathBuf },
    #[error("leads to {}, read already: not read twice", .target.display())]
    AlreadyRead { target: PathBuf },
    #[error("{kind}, not a regular file: not read")]
    Special { kind: SpecialKind },
    #[error("leads to {}, under {root}: system files are never read", .target.display())]
    System { target: PathBuf, root: &'static str },
    #[error("larger than the limit of {limit} per file (--max-file-size): not read")]
    FileTooLarge { limit: ByteSize },
    #[error(
        "the input limit of {limit} per run (--max-input-size) is reached: {}",
        not_read(*.more)
    )]
    RunTooLarge { limit: ByteSize, more: usize },
    #[error(
        "not UTF-8: byte {byte:#04x} at byte offset {offset} (line {line}, column {column}); the file was not read"
    )]
    NotUtf8 {
        byte: u8,
        offset: usize,
        line: usize,
        column: usize,
        utf16: bool,
    },
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
}

fn not_read(more: usize) -> String {
    match more {
        0 => "this file was not read".to_string(),
        1 => "this file and 1 more were not read".to_string(),
        n => format!("this file and {n} more were not read"),
    }
}

/// A [`Problem`] with the file it concerns.
#[derive(Debug)]
pub struct FileProblem {
    pub path: String,
    pub problem: Problem,
}

impl FileProblem {
    pub(super) fn new(path: &Path, problem: Problem) -> Self {
        FileProblem {
            path: path.display().to_string(),
            problem,
        }
    }

    pub fn severity(&self) -> Severity {
        match self.problem {
            Problem::AlreadyRead { .. } => Severity::Info,
            Problem::SymlinkSkipped { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    pub fn notification(&self) -> Notification {
        let (code, suggestion) = match &self.problem {
            Problem::SymlinkSkipped { .. } => (
                SKIPPED_SYMLINK,
                "symlinks in input folders are not followed; pass --follow-symlinks to read them (never devices, FIFOs, sockets or /proc, /sys, /dev), or name the file with -f",
            ),
            Problem::AlreadyRead { .. } => (
                SKIPPED_SYMLINK,
                "its objects are translated once, from the first path",
            ),
            Problem::Special { .. } | Problem::System { .. } => (
                SPECIAL_FILE,
                "only regular files are read; remove it from the input folder",
            ),
            Problem::FileTooLarge { .. } => (
                INPUT_TOO_LARGE,
                "raise the limit with --max-file-size (e.g. --max-file-size 256Mi) if the file is genuine",
            ),
            Problem::RunTooLarge { .. } => (
                INPUT_TOO_LARGE,
                "raise the limit with --max-input-size (e.g. --max-input-size 2Gi), or translate fewer files per run",
            ),
            Problem::NotUtf8 { utf16: true, .. } => (
                NOT_UTF8,
                "the file looks UTF-16 encoded: convert it, e.g. `iconv -f UTF-16 -t UTF-8`; the other files were still translated",
            ),
            Problem::NotUtf8 { .. } => (
                NOT_UTF8,
                "save the file as UTF-8; the other files were still translated",
            ),
            Problem::Io(_) => (UNREADABLE_FILE, "the other files were still translated"),
        };
        let field = match &self.problem {
            Problem::NotUtf8 { line, column, .. } => format!("{}:{line}:{column}", self.path),
            _ => self.path.clone(),
        };
        Notification::new(self.severity(), code, self.problem.to_string())
            .field(field)
            .suggest(suggestion)
    }
}

/// The files read, and what was not read.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    pub files: Vec<SourceFile>,
    pub problems: Vec<FileProblem>,
}

impl ReadOutcome {
    /// One notification per problem.
    pub fn notifications(&self) -> Vec<Notification> {
        self.problems
            .iter()
            .map(FileProblem::notification)
            .collect()
    }

    /// Problems that make the input incomplete (exit code 2).
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity() == Severity::Error)
            .count()
    }
}

/// Reads every `-f` argument: comma-separated lists, folders recursively
/// (`*.yaml`, `*.yml`, `*.json`, sorted by path), `-` for stdin. A named argument
/// that does not exist or is refused is an error; problems with single files are
/// in the outcome.
pub fn read_inputs(args: &[String], options: &ReadOptions) -> Result<ReadOutcome, ReadError> {
    let mut reader = Reader {
        options,
        total: 0,
        over_limit: Vec::new(),
        out: ReadOutcome::default(),
    };
    for arg in args
        .iter()
        .flat_map(|a| a.split(','))
        .filter(|a| !a.is_empty())
    {
        reader.argument(arg)?;
    }
    Ok(reader.finish())
}

/// [`read_inputs`] with the default options, for callers without a report (tests,
/// tools): the first error problem is returned as the error.
pub fn read_sources(args: &[String]) -> Result<Vec<SourceFile>, ReadError> {
    let mut outcome = read_inputs(args, &ReadOptions::default())?;
    match outcome
        .problems
        .iter()
        .position(|p| p.severity() == Severity::Error)
    {
        Some(i) => Err(ReadError::NotRead(outcome.problems.swap_remove(i))),
        None => Ok(outcome.files),
    }
}

struct Reader<'a> {
    options: &'a ReadOptions,
    /// Bytes read so far.
    total: u64,
    /// Files not read because the run's limit was reached.
    over_limit: Vec<String>,
    out: ReadOutcome,
}

impl Reader<'_> {
    fn argument(&mut self, arg: &str) -> Result<(), ReadError> {
        if arg == "-" {
            self.stdin();
            return Ok(());
        }
        let path = PathBuf::from(arg);
        let io = |source| ReadError::Io {
            path: arg.to_string(),
            source,
        };
        // `metadata` follows links without opening anything: a FIFO cannot block it.
        let meta = std::fs::metadata(&path).map_err(io)?;
        if !meta.is_dir() && !meta.is_file() {
            let kind = walk::special_kind(&meta.file_type());
            return Err(ReadError::Refused(FileProblem::new(
                &path,
                Problem::Special { kind },
            )));
        }
        let canonical = std::fs::canonicalize(&path).map_err(io)?;
        if let Some(root) = walk::system_root(&canonical) {
            return Err(ReadError::Refused(FileProblem::new(
                &path,
                Problem::System {
                    target: canonical,
                    root,
                },
            )));
        }
        if meta.is_dir() {
            let found = walk::walk(
                &path,
                canonical,
                self.options.follow_symlinks,
                &mut self.out.problems,
            );
            for f in found {
                self.file(&f);
            }
        } else {
            // The user named it: follow a link to it.
            self.file(&Found {
                path,
                canonical,
                via_link: true,
            });
        }
        Ok(())
    }

    /// The most the next file may hold: its own limit, or what is left of the run's.
    fn budget(&self) -> (u64, bool) {
        let file = self.options.limits.max_file_size.bytes();
        let run = self
            .options
            .limits
            .max_input_size
            .bytes()
            .saturating_sub(self.total);
        if run < file {
            (run, true)
        } else {
            (file, false)
        }
    }

    fn stdin(&mut self) {
        let (budget, run_limited) = self.budget();
        let mut bytes = Vec::new();
        let read = std::io::stdin()
            .lock()
            .take(budget.saturating_add(1))
            .read_to_end(&mut bytes);
        self.text(Path::new(STDIN), read.map(|_| bytes), budget, run_limited);
    }

    fn file(&mut self, found: &Found) {
        if !self.over_limit.is_empty() {
            return self.over_limit.push(found.path.display().to_string());
        }
        let (budget, run_limited) = self.budget();
        match read_bounded(found, budget) {
            Ok(Some(bytes)) => self.text(&found.path, Ok(bytes), budget, run_limited),
            Ok(None) => self.over_budget(&found.path, run_limited),
            Err(problem) => self.problem(&found.path, problem),
        }
    }

    /// Checks the size and encoding of what was read, and keeps it.
    fn text(
        &mut self,
        path: &Path,
        bytes: std::io::Result<Vec<u8>>,
        budget: u64,
        run_limited: bool,
    ) {
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => return self.problem(path, Problem::Io(e)),
        };
        let len = bytes.len() as u64;
        if len > budget {
            return self.over_budget(path, run_limited);
        }
        self.total = self.total.saturating_add(len);
        match String::from_utf8(bytes) {
            Ok(text) => self.out.files.push(SourceFile {
                name: path.display().to_string(),
                text: Arc::from(text),
            }),
            Err(e) => {
                let problem = not_utf8(e.as_bytes(), e.utf8_error().valid_up_to());
                self.problem(path, problem);
            }
        }
    }

    fn over_budget(&mut self, path: &Path, run_limited: bool) {
        if run_limited {
            self.over_limit.push(path.display().to_string());
        } else {
            let limit = self.options.limits.max_file_size;
            self.problem(path, Problem::FileTooLarge { limit });
        }
    }

    fn problem(&mut self, path: &Path, problem: Problem) {
        self.out.problems.push(FileProblem::new(path, problem));
    }

    fn finish(mut self) -> ReadOutcome {
        // One notification for all the files the run's limit left out, at the first.
        if let Some(first) = self.over_limit.first() {
            self.out.problems.push(FileProblem {
                path: first.clone(),
                problem: Problem::RunTooLarge {
                    limit: self.options.limits.max_input_size,
                    more: self.over_limit.len() - 1,
                },
            });
        }
        self.out
    }
}

/// The bytes of a regular file, or `None` when it holds more than `budget`.
fn read_bounded(found: &Found, budget: u64) -> Result<Option<Vec<u8>>, Problem> {
    let mut file = open(&found.path, found.via_link)?;
    // Checked on the open handle: the walk's answer may be stale.
    let meta = file.metadata()?;
    if !meta.is_file() {
        let kind = walk::special_kind(&meta.file_type());
        return Err(Problem::Special { kind });
    }
    // The size says most over-large files before reading; `take` catches the
    // files that grow or report no size.
    if meta.len() > budget {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    (&mut file)
        .take(budget.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= budget).then_some(bytes))
}

/// Opens for reading without blocking on a FIFO and, unless `follow`, without
/// following a symlink.
fn open(path: &Path, follow: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | no_follow);
    }
    #[cfg(not(unix))]
    let _ = follow;
    options.open(path)
}

/// Where the first invalid byte is: byte offset, and line and column (in
/// characters, 1-based) of the valid text before it.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Problem {
    let valid = bytes
        .get(..valid_up_to)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default();
    let last_line = valid.rsplit('\n').next().unwrap_or_default();
    Problem::NotUtf8 {
        byte: bytes.get(valid_up_to).copied().unwrap_or_default(),
        offset: valid_up_to,
        line: valid.matches('\n').count() + 1,
        column: last_line.chars().count() + 1,
        utf16: bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_names_the_first_invalid_byte() {
        let bytes = b"a: 1\nb: \xc3\xa9\xff\n";
        let Err(e) = String::from_utf8(bytes.to_vec()) else {
            panic!("invalid")
        };
        let problem = not_utf8(e.as_bytes(), e.utf8_error().valid_up_to());
        assert_eq!(
            problem.to_string(),
            "not UTF-8: byte 0xff at byte offset 10 (line 2, column 5); the file was not read"
        );
        let utf16 = not_utf8(b"\xff\xfea\0", 0);
        assert!(matches!(utf16, Problem::NotUtf8 { utf16: true, .. }));
    }
}
