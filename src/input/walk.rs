//! Walking an input folder: which entries become input files.
//!
//! Policy (docs/security.md, "Reading input"): the folder is untrusted (a pull
//! request can add any file, including symlinks), so the walk only ever yields
//! regular files inside it:
//!
//! * symlinks (to files or folders) are not followed: each one that could matter
//!   (a manifest name, or a link to a folder) is named in a `skipped-symlink`
//!   warning. With `--follow-symlinks` they are followed, but only to regular files
//!   and folders whose canonical path is outside `/proc`, `/sys` and `/dev`, and a
//!   folder or file reached twice (a symlinked cycle, a second link to the same
//!   file) is read once;
//! * FIFOs, sockets and devices with a manifest name are never opened (a FIFO blocks
//!   the reader forever, `/dev/zero` never ends): `special-file` error;
//! * folders are walked with an explicit stack (no recursion depth to exhaust) and
//!   every folder is entered once, by canonical path.
//!
//! The walk only looks at metadata (`lstat`, `stat`); opening happens in
//! `read.rs`, which checks the opened handle again.

use super::read::{FileProblem, Problem, SpecialKind};
use std::collections::BTreeSet;
use std::fs::{self, FileType};
use std::path::{Path, PathBuf};

/// A file the walk found: the path it is shown (and opened) by, and its canonical path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Found {
    pub path: PathBuf,
    pub canonical: PathBuf,
    /// Reached through a symlink (only with `--follow-symlinks`): opening follows links.
    pub via_link: bool,
}

/// The folders whose content is never read, wherever a path or link leads.
const SYSTEM_ROOTS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// The system folder that `canonical` lies in, if any.
pub(super) fn system_root(canonical: &Path) -> Option<&'static str> {
    SYSTEM_ROOTS
        .into_iter()
        .find(|root| canonical.starts_with(root))
}

/// Only these names are read from folders, as `kubectl apply -R` does.
pub(super) fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// What kind of non-regular, non-folder file this is.
pub(super) fn special_kind(ft: &FileType) -> SpecialKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return SpecialKind::Fifo;
        }
        if ft.is_socket() {
            return SpecialKind::Socket;
        }
        if ft.is_block_device() || ft.is_char_device() {
            return SpecialKind::Device;
        }
    }
    if ft.is_symlink() {
        return SpecialKind::Symlink;
    }
    SpecialKind::Other
}

/// The manifest files under folder `root` (canonical path `canonical`), sorted by
/// path and each listed once; what is not read is added to `problems`.
pub(super) fn walk(
    root: &Path,
    canonical: PathBuf,
    follow_symlinks: bool,
    problems: &mut Vec<FileProblem>,
) -> Vec<Found> {
    let mut walk = Walk {
        follow_symlinks,
        problems,
        visited: BTreeSet::from([canonical.clone()]),
        stack: vec![(root.to_path_buf(), canonical)],
        found: Vec::new(),
    };
    while let Some((dir, canonical)) = walk.stack.pop() {
        walk.folder(&dir, &canonical);
    }
    let found = sorted(walk.found);
    // Two links to one file, or a link to a file also reached directly: read the
    // first path only. Without --follow-symlinks every canonical path is distinct.
    let mut seen = std::collections::HashSet::new();
    let mut unique = Vec::with_capacity(found.len());
    for f in found {
        if seen.insert(f.canonical.clone()) {
            unique.push(f);
        } else {
            walk.problems.push(FileProblem::new(
                &f.path,
                Problem::AlreadyRead {
                    target: f.canonical,
                },
            ));
        }
    }
    unique
}

/// `found` in the order of [`Found`]: by path, component by component. Each
/// path's components are split once, not again in every comparison (a folder
/// written by `print --output-dir` holds thousands of files: comparing their
/// paths was most of reading them).
fn sorted(mut found: Vec<Found>) -> Vec<Found> {
    // Equal component lists are equal paths (a name holds no separator), and
    // one walk reaches a path once.
    found.sort_by_cached_key(|f| {
        f.path
            .components()
            .map(|c| c.as_os_str().to_os_string())
            .collect::<Vec<_>>()
    });
    found
}

struct Walk<'a> {
    follow_symlinks: bool,
    problems: &'a mut Vec<FileProblem>,
    /// Canonical paths of the folders already queued.
    visited: BTreeSet<PathBuf>,
    stack: Vec<(PathBuf, PathBuf)>,
    found: Vec<Found>,
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path, canonical: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.problems.push(FileProblem::new(dir, Problem::Io(e))),
        };
        let mut sorted = Vec::new();
        for entry in entries {
            let typed = entry.and_then(|e| Ok((e.file_type()?, e)));
            match typed {
                // `file_type` does not follow symlinks: a link is seen as a link.
                Ok((ft, e)) => sorted.push((ft.is_symlink(), e.file_name(), ft, e)),
                Err(e) => self.problems.push(FileProblem::new(dir, Problem::Io(e))),
            }
        }
        // read_dir's order depends on the file system; which of two ways into one
        // folder is taken (and named) must not. Real entries go before links, so a
        // folder reached both ways is named by its own path.
        sorted.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (_, _, ft, entry) in sorted {
            let path = entry.path();
            // Not a link, so its canonical path is its folder's plus its name.
            let entry_canonical = canonical.join(entry.file_name());
            if ft.is_symlink() {
                self.link(path);
            } else if ft.is_dir() {
                self.enter(path, entry_canonical);
            } else if !is_manifest_name(&path) {
                // Not a manifest: like kubectl, not read and not worth a notification.
            } else if ft.is_file() {
                self.found.push(Found {
                    path,
                    canonical: entry_canonical,
                    via_link: false,
                });
            } else {
                let kind = special_kind(&ft);
                self.problems
                    .push(FileProblem::new(&path, Problem::Special { kind }));
            }
        }
    }

    /// Queues a folder unless it is a system folder or was queued before.
    fn enter(&mut self, path: PathBuf, canonical: PathBuf) {
        if self.is_system(&path, &canonical) {
            return;
        }
        if self.visited.insert(canonical.clone()) {
            self.stack.push((path, canonical));
        } else {
            // A symlinked cycle, or a second way into a folder already read.
            self.problems.push(FileProblem::new(
                &path,
                Problem::AlreadyRead { target: canonical },
            ));
        }
    }

    /// True (and said) when `canonical` is under a system folder.
    fn is_system(&mut self, path: &Path, canonical: &Path) -> bool {
        let Some(root) = system_root(canonical) else {
            return false;
        };
        let target = canonical.to_path_buf();
        self.problems
            .push(FileProblem::new(path, Problem::System { target, root }));
        true
    }

    fn link(&mut self, path: PathBuf) {
        // `metadata` follows the link but opens nothing, so it cannot block.
        let target = fs::metadata(&path);
        let is_dir = target.as_ref().is_ok_and(|m| m.is_dir());
        if !is_dir && !is_manifest_name(&path) {
            return;
        }
        if !self.follow_symlinks {
            let target = fs::read_link(&path).unwrap_or_default();
            self.problems
                .push(FileProblem::new(&path, Problem::SymlinkSkipped { target }));
            return;
        }
        let (target, canonical) = match (target, fs::canonicalize(&path)) {
            (Ok(t), Ok(c)) => (t, c),
            (Err(e), _) | (_, Err(e)) => {
                return self.problems.push(FileProblem::new(&path, Problem::Io(e)));
            }
        };
        if self.is_system(&path, &canonical) {
            return;
        }
        if target.is_dir() {
            self.enter(path, canonical);
        } else if target.is_file() {
            self.found.push(Found {
                path,
                canonical,
                via_link: true,
            });
        } else {
            let kind = special_kind(&target.file_type());
            self.problems
                .push(FileProblem::new(&path, Problem::Special { kind }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_is_the_order_of_paths() {
        let names = [
            "a-b.yaml",
            "a/b.yaml",
            "a.yaml",
            "A.yaml",
            "a b/x.yaml",
            "a/b/c.json",
            "ab.yml",
            "a-/x.yaml",
            "é.yaml",
            "z/a.yaml",
            "a/.b.yaml",
            "a/b-.yaml",
        ];
        for root in ["./dir/", "dir", "/abs/dir", "."] {
            let found: Vec<Found> = names
                .iter()
                .rev()
                .map(|n| Found {
                    path: Path::new(root).join(n),
                    canonical: Path::new("/c").join(n),
                    via_link: false,
                })
                .collect();
            let mut want = found.clone();
            want.sort();
            assert_eq!(sorted(found), want, "{root}");
        }
    }
}
