//! Writing Gateway API objects: multi-document YAML, a JSON `List`, or a folder
//! ([`dir`]: validated paths, no symlinks followed, all-or-nothing, stale files
//! removed).

pub mod dir;
pub mod names;

pub use dir::{DirOptions, DirWrite, write_dir};

use crate::gwapi::GatewayObject;

/// Serialises one object as YAML (no leading `---`).
pub fn object_yaml(o: &GatewayObject) -> Result<String, String> {
    serde_saphyr::to_string(o).map_err(|e| e.to_string())
}

/// Multi-document YAML, objects separated by `---`.
pub fn to_yaml(objects: &[GatewayObject]) -> Result<String, String> {
    let mut out = String::new();
    for chunk in yaml_chunks(objects) {
        out.push_str(&chunk?);
    }
    Ok(out)
}

/// Objects serialised at once (in parallel) by [`yaml_chunks`].
const YAML_CHUNK: usize = 512;

/// The multi-document YAML of [`to_yaml`] in consecutive pieces, so a caller can
/// write it out as it goes instead of holding all of it. Each piece's objects
/// are serialised on every core; the text is the same whatever the threads.
pub fn yaml_chunks(objects: &[GatewayObject]) -> impl Iterator<Item = Result<String, String>> + '_ {
    use rayon::prelude::*;
    objects.chunks(YAML_CHUNK).map(|chunk| {
        let docs: Vec<Result<String, String>> = chunk.par_iter().map(object_yaml).collect();
        let mut out = String::new();
        for doc in docs {
            out.push_str("---\n");
            out.push_str(&doc?);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        Ok(out)
    })
}

/// A `v1` `List` in pretty JSON.
pub fn to_json(objects: &[GatewayObject]) -> Result<String, String> {
    let list = serde_json::json!({ "apiVersion": "v1", "kind": "List", "items": objects });
    serde_json::to_string_pretty(&list)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}
