//! `docs/implementations/coverage.md` is generated from the emitters' coverage
//! answers merged with the catalog: this test fails when they drift apart.
//! Regenerate with `ING2GW_BLESS=1 cargo test --test implementations_doc`.

use ing2gw::catalog::coverage;
use std::path::Path;

#[test]
fn docs_implementations_coverage_md_matches_the_emitters() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/implementations/coverage.md");
    let expected = coverage::markdown();
    if std::env::var_os("ING2GW_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("docs/implementations");
        std::fs::write(&path, &expected).expect("docs/implementations/coverage.md writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != expected {
        let diff = similar::TextDiff::from_lines(&committed, &expected);
        let shown: String = diff
            .unified_diff()
            .context_radius(1)
            .header("docs/implementations/coverage.md", "emitters + catalog")
            .to_string()
            .lines()
            .take(40)
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "docs/implementations/coverage.md is out of date; regenerate with `ING2GW_BLESS=1 cargo test --test implementations_doc`\n{shown}"
        );
    }
}

#[test]
fn every_target_has_a_section_with_every_annotation() {
    let md = coverage::markdown();
    for imp in ing2gw::target::Implementation::ALL {
        assert!(md.contains(&format!("`--implementation {}`", imp.name())));
    }
    let rows = md.lines().filter(|l| l.starts_with("| `")).count();
    assert!(rows >= 3 * ing2gw::catalog::ANNOTATIONS.len());
}

/// The tables of docs/implementations/README.md between the generated markers.
#[test]
fn docs_implementations_readme_tables_match_the_profiles() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/implementations/README.md");
    let text = std::fs::read_to_string(&path).expect("README.md");
    let (start, end) = ("<!-- generated:targets -->\n", "<!-- end:targets -->");
    let a = text.find(start).expect("start marker") + start.len();
    let b = text.find(end).expect("end marker");
    let expected = ing2gw::target::implementations::markdown_tables();
    if std::env::var_os("ING2GW_BLESS").is_some() {
        let new = format!("{}{expected}{}", &text[..a], &text[b..]);
        std::fs::write(&path, new).expect("writable");
        return;
    }
    assert_eq!(
        &text[a..b],
        expected,
        "docs/implementations/README.md tables are out of date; regenerate with `ING2GW_BLESS=1 cargo test --test implementations_doc`"
    );
}
