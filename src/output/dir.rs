//! `--output-dir`: one file per object, a `kustomization.yaml`, and a manifest of
//! what ing2gw wrote, so a later run can remove what it no longer produces.
//!
//! Threat model: the input comes from a pull request and the folder is committed,
//! so both object identities and the folder's current content are untrusted.
//!
//! * Paths are built only from validated names ([`ObjectPath`]); an object whose
//!   kind, namespace or name is not a Kubernetes name is not written and becomes an
//!   `output-invalid-name` error (the run exits 2).
//! * Nothing is written through a symlink: the output folder itself, a namespace
//!   folder, an object file, `kustomization.yaml` or the manifest being a symlink
//!   (or not being the expected file type) refuses the whole write
//!   (`output-refused`). Temporary files are created with `create_new`
//!   (`O_CREAT|O_EXCL`, which never follows a symlink) and renamed over the target,
//!   and `rename` replaces a path without following it.
//! * All or nothing: every file is first written to a temporary file in its final
//!   folder; only when all succeeded are they renamed into place. On a
//!   failure the temporary files and the folders this run created are removed and
//!   the earlier content is untouched (`output-write-failed`).
//! * Stale files: [`MANIFEST`] lists the files the run wrote. The next run removes
//!   the files the earlier manifest lists that it no longer produces — only paths
//!   of this writer's shape, inside the folder, regular files, not through a
//!   symlink — and names each (`output-stale-removed` info). A run whose input was
//!   incomplete (unreadable documents, namespaces the cluster reader could not
//!   list) keeps them (`output-stale-kept` warning): a document that failed to
//!   parse must not look like a deleted Ingress.

use super::names::{InvalidComponent, ObjectPath};
use super::object_yaml;
use crate::gwapi::{GatewayObject, generator_value};
use crate::report::{Code, Notification, ObjectRef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An object whose identity is not a valid path component; not written.
pub const OUTPUT_INVALID_NAME: Code = Code("output-invalid-name");
/// The folder holds a symlink or a wrong file type where ing2gw would write.
pub const OUTPUT_REFUSED: Code = Code("output-refused");
/// Writing failed (disk full, read-only, permission); nothing was changed.
pub const OUTPUT_WRITE_FAILED: Code = Code("output-write-failed");
/// A file of an earlier run that this run no longer produces was removed.
pub const OUTPUT_STALE_REMOVED: Code = Code("output-stale-removed");
/// A file of an earlier run that this run no longer produces was kept.
pub const OUTPUT_STALE_KEPT: Code = Code("output-stale-kept");

/// The list of files ing2gw wrote, next to `kustomization.yaml`. Its name has no
/// `.yaml`/`.json` extension, so reading the folder back (`diff --against`,
/// `print -f`) skips it.
pub const MANIFEST: &str = ".ing2gw-manifest";
/// Largest manifest read back (about 100,000 entries).
const MANIFEST_MAX: u64 = 16 << 20;
/// The kustomization written beside the objects.
pub const KUSTOMIZATION: &str = "kustomization.yaml";

/// What the caller knows about the run.
#[derive(Debug, Clone, Copy)]
pub struct DirOptions {
    /// Remove files of an earlier run that this run no longer produces. Off when
    /// the input was incomplete.
    pub remove_stale: bool,
}

/// The outcome of [`write_dir`]; notifications say what went wrong or was removed.
#[derive(Debug, Default)]
pub struct DirWrite {
    /// Files of this run, relative to the folder, sorted.
    pub written: Vec<String>,
    /// Files of an earlier run that were removed, relative to the folder.
    pub removed: Vec<String>,
    /// Errors make the run exit 2: rejected objects, refusals, write failures.
    pub errors: usize,
    pub notifications: Vec<Notification>,
}

impl DirWrite {
    fn error(&mut self, n: Notification) {
        self.errors += 1;
        self.notifications.push(n);
    }
}

/// `kustomization.yaml`, serialised with serde so no value can add keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kustomization {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub resources: Vec<String>,
}

impl Kustomization {
    pub fn new(resources: Vec<String>) -> Self {
        Kustomization {
            api_version: "kustomize.config.k8s.io/v1beta1".into(),
            kind: "Kustomization".into(),
            resources,
        }
    }

    pub fn to_yaml(&self) -> Result<String, String> {
        serde_saphyr::to_string(self).map_err(|e| e.to_string())
    }
}

/// The content of [`MANIFEST`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    generator: String,
    files: Vec<String>,
}

/// Writes `objects` under `dir` (see the module documentation).
pub fn write_dir(dir: &Path, objects: &[GatewayObject], options: DirOptions) -> DirWrite {
    let mut out = DirWrite::default();
    let files = plan(objects, &mut out);
    let mut stage = Stage::default();
    match stage_all(dir, &files, &mut out, &mut stage) {
        Ok(true) => {}
        Ok(false) => {
            // Refused: nothing was created but possibly the root folder.
            stage.abort();
            return out;
        }
        Err(failure) => {
            stage.abort();
            out.error(failure.notification());
            return out;
        }
    }
    let previous = stage.previous.take();
    if let Err(failure) = stage.commit() {
        out.error(failure.notification());
        return out;
    }
    out.written = files.keys().map(ObjectPath::to_string).collect();
    let kept = remove_stale(dir, previous, &files, options, &mut out);
    let mut listed: BTreeSet<String> = out.written.iter().cloned().collect();
    listed.extend(kept);
    if let Err(failure) = write_manifest(dir, listed) {
        out.error(failure.notification());
    }
    out
}

/// Validated path and YAML per object; invalid and duplicate identities are errors.
fn plan(objects: &[GatewayObject], out: &mut DirWrite) -> BTreeMap<ObjectPath, String> {
    let mut files = BTreeMap::new();
    for o in objects {
        let (kind, ns, name) = o.identity();
        let object = shown_ref(&kind, &ns, &name);
        let path = match ObjectPath::new(&kind, &ns, &name) {
            Ok(p) => p,
            Err(invalid) => {
                out.error(invalid_name(&object, &invalid));
                continue;
            }
        };
        let yaml = match object_yaml(o) {
            Ok(y) => y,
            Err(e) => {
                out.error(
                    Notification::error(
                        OUTPUT_WRITE_FAILED,
                        format!("could not be serialised: {e}; not written to --output-dir"),
                    )
                    .object(&object),
                );
                continue;
            }
        };
        if files.contains_key(&path) {
            out.error(
                Notification::error(
                    OUTPUT_INVALID_NAME,
                    format!("two objects have this identity; only the first was written to {path}"),
                )
                .object(&object),
            );
            continue;
        }
        files.insert(path, yaml);
    }
    files
}

/// The identity as shown in messages: control characters escaped.
fn shown_ref(kind: &str, ns: &str, name: &str) -> ObjectRef {
    let esc = |s: &str| s.escape_debug().to_string();
    let ns = esc(ns);
    ObjectRef::new(
        &esc(kind),
        (!ns.is_empty()).then_some(ns.as_str()),
        &esc(name),
    )
}

fn invalid_name(object: &ObjectRef, invalid: &InvalidComponent) -> Notification {
    Notification::error(
        OUTPUT_INVALID_NAME,
        format!("not written to --output-dir: its {invalid}"),
    )
    .object(object)
    .suggest("fix metadata.namespace / metadata.name of the source object: a file path is never built from it unchecked")
}

/// A failure after which nothing (or, for a failed rename, part) was changed.
#[derive(Debug)]
struct Failure {
    code: Code,
    message: String,
}

impl Failure {
    fn io(action: &str, path: &Path, e: &io::Error) -> Self {
        Failure {
            code: OUTPUT_WRITE_FAILED,
            message: format!("cannot {action} {}: {e}", path.display()),
        }
    }
    fn refused(path: &Path, what: &str) -> Self {
        Failure {
            code: OUTPUT_REFUSED,
            message: format!("refusing to write through {}: it is {what}", path.display()),
        }
    }
    fn notification(&self) -> Notification {
        let n = Notification::error(self.code, self.message.clone());
        if self.code == OUTPUT_REFUSED {
            n.suggest(
                "remove it or choose another --output-dir; ing2gw never writes through a symlink",
            )
        } else {
            n.suggest("nothing in --output-dir was changed unless the message says otherwise; fix the cause and run again")
        }
    }
}

/// Temporary files waiting to be renamed, and folders this run created.
#[derive(Default)]
struct Stage {
    /// (temporary, final) in the order they are renamed.
    pending: Vec<(PathBuf, PathBuf)>,
    /// Folders created by this run, parents first.
    created: Vec<PathBuf>,
    previous: Option<Previous>,
    counter: usize,
}

/// The manifest of an earlier run.
struct Previous {
    files: Vec<ObjectPath>,
}

impl Stage {
    /// Writes `text` to a fresh temporary file in `path`'s folder.
    fn file(&mut self, path: PathBuf, text: &str) -> Result<(), Failure> {
        let folder = path.parent().unwrap_or(Path::new("."));
        self.counter += 1;
        let temp = folder.join(format!(
            ".ing2gw-{}-{}.tmp",
            std::process::id(),
            self.counter
        ));
        // `create_new` is O_CREAT|O_EXCL: it fails on any existing path, a
        // symlink included, so a link planted after the checks is not followed.
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| Failure::io("create", &temp, &e))?;
        self.pending.push((temp.clone(), path));
        // No fsync per file: it tripled the time of a 300-file folder, and
        // ENOSPC, EFBIG, EROFS and EIO are reported by `write` itself on local file
        // systems. Durability across a power loss is left to the file system.
        f.write_all(text.as_bytes())
            .map_err(|e| Failure::io("write", &temp, &e))
    }

    /// Creates `path` (whose parent exists) unless it exists as a real folder.
    fn folder(&mut self, path: &Path) -> Result<(), Failure> {
        match fs::symlink_metadata(path) {
            Ok(m) => check_folder(path, &m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(path) {
                Ok(()) => {
                    self.created.push(path.to_path_buf());
                    Ok(())
                }
                Err(e) => Err(Failure::io("create", path, &e)),
            },
            Err(e) => Err(Failure::io("inspect", path, &e)),
        }
    }

    /// Renames every temporary file into place.
    fn commit(mut self) -> Result<(), Failure> {
        let pending = std::mem::take(&mut self.pending);
        let total = pending.len();
        for (done, (temp, target)) in pending.iter().enumerate() {
            if let Err(e) = fs::rename(temp, target) {
                for (rest, _) in pending.iter().skip(done) {
                    let _ = fs::remove_file(rest);
                }
                let mut f = Failure::io("rename into", target, &e);
                f.message
                    .push_str(&format!(" ({done} of {total} files were already replaced)"));
                return Err(f);
            }
        }
        Ok(())
    }

    /// Removes the temporary files and the folders this run created.
    fn abort(self) {
        for (temp, _) in &self.pending {
            let _ = fs::remove_file(temp);
        }
        for folder in self.created.iter().rev() {
            // Only empty folders go; anything else stays.
            let _ = fs::remove_dir(folder);
        }
    }
}

fn check_folder(path: &Path, m: &fs::Metadata) -> Result<(), Failure> {
    if m.file_type().is_symlink() {
        Err(Failure::refused(path, "a symlink"))
    } else if !m.is_dir() {
        Err(Failure::refused(path, "not a folder"))
    } else {
        Ok(())
    }
}

/// `path` may be replaced: absent, or a regular file (not a symlink).
fn check_target(path: &Path) -> Result<(), Failure> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Failure::refused(path, "a symlink")),
        Ok(m) if !m.is_file() => Err(Failure::refused(path, "not a regular file")),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::io("inspect", path, &e)),
    }
}

/// Checks and stages everything; `Ok(false)` when a path was refused (reported).
fn stage_all(
    dir: &Path,
    files: &BTreeMap<ObjectPath, String>,
    out: &mut DirWrite,
    stage: &mut Stage,
) -> Result<bool, Failure> {
    // The output folder itself: refused if it is a symlink; its ancestors are the
    // user's choice (e.g. a temporary folder behind a system symlink).
    match fs::symlink_metadata(dir) {
        Ok(m) => check_folder(dir, &m)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let missing_parent = dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty() && fs::symlink_metadata(p).is_err());
            if let Some(parent) = missing_parent {
                fs::create_dir_all(parent).map_err(|e| Failure::io("create", parent, &e))?;
            }
            stage.folder(dir)?;
        }
        Err(e) => return Err(Failure::io("inspect", dir, &e)),
    }
    let manifest = dir.join(MANIFEST);
    let kustomization = dir.join(KUSTOMIZATION);
    // Every refusal is reported, not just the first.
    let mut refused = Vec::new();
    let mut folders = BTreeSet::new();
    for path in files.keys() {
        let Some(target) = path.under(dir) else {
            refused.push(Failure::refused(
                &dir.join(path.to_string()),
                "outside the folder",
            ));
            continue;
        };
        let folder = dir.join(path.dir());
        if folders.insert(folder.clone())
            && let Ok(m) = fs::symlink_metadata(&folder)
            && let Err(f) = check_folder(&folder, &m)
        {
            refused.push(f);
            continue;
        }
        if let Err(f) = check_target(&target) {
            refused.push(f);
        }
    }
    for target in [&kustomization, &manifest] {
        if let Err(f) = check_target(target) {
            refused.push(f);
        }
    }
    if !refused.is_empty() {
        for f in refused {
            out.error(f.notification());
        }
        return Ok(false);
    }
    stage.previous = read_manifest(&manifest, out);
    for (path, yaml) in files {
        let Some(target) = path.under(dir) else {
            continue;
        };
        stage.folder(&dir.join(path.dir()))?;
        stage.file(target, yaml)?;
    }
    let resources = files.keys().map(ObjectPath::to_string).collect();
    let text = Kustomization::new(resources)
        .to_yaml()
        .map_err(|e| Failure {
            code: OUTPUT_WRITE_FAILED,
            message: format!("cannot serialise {KUSTOMIZATION}: {e}"),
        })?;
    stage.file(kustomization, &text)?;
    Ok(true)
}

/// The earlier run's file list; entries this writer would not produce are ignored
/// with a warning (a hand-edited or hostile manifest names nothing else).
fn read_manifest(path: &Path, out: &mut DirWrite) -> Option<Previous> {
    // The folder is committed, so the manifest is input too: read a bounded prefix.
    let read = fs::File::open(path).and_then(|f| {
        let mut text = String::new();
        io::Read::read_to_string(&mut io::Read::take(f, MANIFEST_MAX + 1), &mut text)?;
        Ok(text)
    });
    let text = match read {
        Ok(t) if t.len() as u64 > MANIFEST_MAX => {
            out.notifications.push(Notification::warning(
                OUTPUT_STALE_KEPT,
                format!(
                    "{} is larger than {MANIFEST_MAX} bytes; files of the earlier run are not removed",
                    path.display()
                ),
            ));
            return None;
        }
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            out.notifications.push(Notification::warning(
                OUTPUT_STALE_KEPT,
                format!(
                    "cannot read {}: {e}; files of the earlier run are not removed",
                    path.display()
                ),
            ));
            return None;
        }
    };
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            out.notifications.push(Notification::warning(
                OUTPUT_STALE_KEPT,
                format!(
                    "{} is not an ing2gw manifest ({e}); files of the earlier run are not removed",
                    path.display()
                ),
            ));
            return None;
        }
    };
    let mut files = Vec::new();
    for entry in manifest.files {
        match ObjectPath::parse(&entry) {
            Some(p) => files.push(p),
            None => out.notifications.push(Notification::warning(
                OUTPUT_STALE_KEPT,
                format!(
                    "{} lists {:?}, which is not a file ing2gw writes; ignored",
                    path.display(),
                    entry
                ),
            )),
        }
    }
    Some(Previous { files })
}

/// Removes (or keeps, see [`DirOptions`]) what the earlier run wrote and this one
/// did not; returns the stale files that are still there.
fn remove_stale(
    dir: &Path,
    previous: Option<Previous>,
    files: &BTreeMap<ObjectPath, String>,
    options: DirOptions,
    out: &mut DirWrite,
) -> Vec<String> {
    let Some(previous) = previous else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    let stale: BTreeSet<ObjectPath> = previous
        .files
        .into_iter()
        .filter(|p| !files.contains_key(p))
        .collect();
    for path in stale {
        let shown = path.to_string();
        let Some(target) = path.under(dir) else {
            continue;
        };
        let folder = dir.join(path.dir());
        let folder_ok =
            fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir() && !m.file_type().is_symlink());
        let file = fs::symlink_metadata(&target);
        let regular = file.as_ref().is_ok_and(|m| m.is_file());
        if !folder_ok || file.is_err() {
            // Already gone (or its folder is not ours to look into): nothing to do.
            continue;
        }
        if !regular {
            out.notifications.push(Notification::warning(
                OUTPUT_STALE_KEPT,
                format!("{shown} was written by an earlier run but is no longer a regular file; not removed"),
            ));
            continue;
        }
        if !options.remove_stale {
            out.notifications.push(
                Notification::warning(
                    OUTPUT_STALE_KEPT,
                    format!("{shown} was written by an earlier run and is not produced by this one; kept because the input was incomplete"),
                )
                .suggest("fix the input errors and run again to remove it"),
            );
            kept.push(shown);
            continue;
        }
        match fs::remove_file(&target) {
            Ok(()) => {
                out.notifications.push(Notification::info(
                    OUTPUT_STALE_REMOVED,
                    format!("removed {shown}: written by an earlier run, not produced by this one"),
                ));
                out.removed.push(shown);
                // Only an emptied folder goes; remove_dir fails on anything else.
                let _ = fs::remove_dir(&folder);
            }
            Err(e) => {
                out.notifications.push(Notification::warning(
                    OUTPUT_STALE_KEPT,
                    format!("cannot remove stale {shown}: {e}"),
                ));
                kept.push(shown);
            }
        }
    }
    kept
}

fn write_manifest(dir: &Path, files: BTreeSet<String>) -> Result<(), Failure> {
    let manifest = Manifest {
        generator: generator_value(),
        files: files.into_iter().collect(),
    };
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Failure {
        code: OUTPUT_WRITE_FAILED,
        message: format!("cannot serialise {MANIFEST}: {e}"),
    })? + "\n";
    check_target(&path)?;
    let mut stage = Stage::default();
    match stage.file(path, &text) {
        Ok(()) => stage.commit(),
        Err(f) => {
            stage.abort();
            Err(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn other(kind: &str, ns: &str, name: &str) -> GatewayObject {
        GatewayObject::Other(json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": kind,
            "metadata": {"name": name, "namespace": ns},
        }))
    }

    const REMOVE: DirOptions = DirOptions { remove_stale: true };

    #[test]
    fn kustomization_values_cannot_add_keys() {
        let hostile = vec![
            "a\nnamespace: evil".to_string(),
            "- https://evil.example/x".to_string(),
            "x: y".to_string(),
            "'\"#{}[]&*!|>%@`".to_string(),
        ];
        let text = Kustomization::new(hostile.clone())
            .to_yaml()
            .expect("serialises");
        let back: serde_json::Value = serde_saphyr::from_str(&text).expect("parses");
        let keys: Vec<&String> = back.as_object().expect("map").keys().collect();
        assert_eq!(keys, ["apiVersion", "kind", "resources"], "{text}");
        let parsed: Kustomization = serde_saphyr::from_str(&text).expect("parses");
        assert_eq!(parsed, Kustomization::new(hostile));
    }

    #[test]
    fn invalid_identities_are_errors_and_not_written() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("out");
        let objects = [
            other("HTTPRoute", "../../x", "a"),
            other("HTTPRoute", "web", "../a"),
            other("HTTP/Route", "web", "a"),
            other("HTTPRoute", "web", "ok"),
        ];
        let w = write_dir(&out, &objects, REMOVE);
        assert_eq!(w.errors, 3, "{:?}", w.notifications);
        assert_eq!(w.written, ["web/httproute-ok.yaml"]);
        assert!(
            w.notifications
                .iter()
                .all(|n| n.code == OUTPUT_INVALID_NAME && n.object.is_some())
        );
        let top: Vec<_> = fs::read_dir(root.path())
            .expect("root")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(top, ["out"]);
    }

    #[test]
    fn same_file_twice_is_an_error() {
        let root = tempfile::tempdir().expect("tempdir");
        let objects = [
            other("HTTPRoute", "web", "a"),
            other("httproute", "web", "a"),
        ];
        let w = write_dir(root.path(), &objects, REMOVE);
        assert_eq!(w.errors, 1);
        assert_eq!(w.written, ["web/httproute-a.yaml"]);
    }

    #[test]
    fn manifest_lists_what_was_written_and_no_temporary_file_is_left() {
        let root = tempfile::tempdir().expect("tempdir");
        let objects = [other("HTTPRoute", "web", "a"), other("Gateway", "gw", "g")];
        let w = write_dir(root.path(), &objects, REMOVE);
        assert_eq!(w.errors, 0, "{:?}", w.notifications);
        let manifest: Manifest = serde_json::from_str(
            &fs::read_to_string(root.path().join(MANIFEST)).expect("manifest"),
        )
        .expect("json");
        assert_eq!(
            manifest.files,
            ["gw/gateway-g.yaml", "web/httproute-a.yaml"]
        );
        for folder in [root.path().to_path_buf(), root.path().join("web")] {
            for e in fs::read_dir(folder).expect("folder") {
                let name = e.expect("entry").file_name();
                assert!(!name.to_string_lossy().ends_with(".tmp"), "{name:?}");
            }
        }
    }
}
