//! `docs/configmap.md` is generated from the ConfigMap key catalog (`src/catalog/configmap.rs`): this test
//! fails when the catalog and the committed page drift apart. Regenerate with
//! `ING2GW_BLESS=1 cargo test --test configmap_doc`.

use ing2gw::catalog::configmap;
use std::path::Path;

#[test]
fn docs_configmap_md_matches_the_catalog() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configmap.md");
    let expected = configmap::markdown();
    if std::env::var_os("ING2GW_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("docs/configmap.md writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != expected {
        let diff = similar::TextDiff::from_lines(&committed, &expected);
        let shown: String = diff
            .unified_diff()
            .context_radius(1)
            .header("docs/configmap.md", "catalog")
            .to_string()
            .lines()
            .take(40)
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "docs/configmap.md is out of date; regenerate with `ING2GW_BLESS=1 cargo test --test configmap_doc`\n{shown}"
        );
    }
}
