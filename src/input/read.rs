use super::SourceFile;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file or folder that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Reads every `-f` argument: comma-separated lists, folders recursively
/// (`*.yaml`, `*.yml`, `*.json`, sorted by path), `-` for stdin.
pub fn read_sources(args: &[String]) -> Result<Vec<SourceFile>, ReadError> {
    let mut files = Vec::new();
    for arg in args
        .iter()
        .flat_map(|a| a.split(','))
        .filter(|a| !a.is_empty())
    {
        if arg == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|source| ReadError {
                    path: "<stdin>".into(),
                    source,
                })?;
            files.push(SourceFile {
                name: "<stdin>".into(),
                text: Arc::from(text),
            });
            continue;
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|source| ReadError {
            path: arg.to_string(),
            source,
        })?;
        let mut paths = Vec::new();
        if meta.is_dir() {
            collect_dir(&path, &mut paths)?;
            paths.sort();
        } else {
            paths.push(path);
        }
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|source| ReadError {
                path: p.display().to_string(),
                source,
            })?;
            files.push(SourceFile {
                name: p.display().to_string(),
                text: Arc::from(text),
            });
        }
    }
    Ok(files)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let err = |source| ReadError {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let entry = entry.map_err(err)?;
        let p = entry.path();
        let ft = entry.file_type().map_err(err)?;
        if ft.is_dir() {
            collect_dir(&p, out)?;
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
    Ok(())
}
