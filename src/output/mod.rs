//! Writing Gateway API objects: multi-document YAML, a JSON `List`, or a folder.

use crate::gwapi::GatewayObject;
use std::collections::BTreeSet;
use std::path::Path;

/// Serialises one object as YAML (no leading `---`).
pub fn object_yaml(o: &GatewayObject) -> Result<String, String> {
    serde_saphyr::to_string(o).map_err(|e| e.to_string())
}

/// Multi-document YAML, objects separated by `---`.
pub fn to_yaml(objects: &[GatewayObject]) -> Result<String, String> {
    let mut out = String::new();
    for o in objects {
        out.push_str("---\n");
        out.push_str(&object_yaml(o)?);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// A `v1` `List` in pretty JSON.
pub fn to_json(objects: &[GatewayObject]) -> Result<String, String> {
    let list = serde_json::json!({ "apiVersion": "v1", "kind": "List", "items": objects });
    serde_json::to_string_pretty(&list)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// `DIR/<namespace>/<kind>-<name>.yaml` per object plus a `kustomization.yaml`.
pub fn write_dir(dir: &Path, objects: &[GatewayObject]) -> Result<Vec<String>, String> {
    let mut written = BTreeSet::new();
    for o in objects {
        let (kind, ns, name) = o.identity();
        let ns = if ns.is_empty() {
            "_cluster".to_string()
        } else {
            ns
        };
        let rel = format!("{ns}/{}-{name}.yaml", kind.to_ascii_lowercase());
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, object_yaml(o)?)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.insert(rel);
    }
    let mut k = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for r in &written {
        k.push_str(&format!("- {r}\n"));
    }
    let kpath = dir.join("kustomization.yaml");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&kpath, k).map_err(|e| format!("cannot write {}: {e}", kpath.display()))?;
    Ok(written.into_iter().collect())
}
