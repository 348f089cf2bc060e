//! Snapshot tests: every `testdata/**/input.yaml` (or `input.json`) case is translated and its output
//! and notifications are compared with `snapshots/`. A case folder may hold an
//! `args` file with extra `ing2gw print` flags, one per line.

#[path = "support/cases.rs"]
mod cases;

use cases::{case_args, print_options};
use ing2gw::input::{SourceFile, read_sources};
use ing2gw::{output, pipeline, report::render};
use std::path::Path;
use std::sync::Arc;

/// Translates `files` with the flags of `dir/args`; returns the snapshot text.
fn translate(dir: &Path, files: &[SourceFile]) -> String {
    let loaded = pipeline::load(files);
    let t = pipeline::translate(
        &loaded.input,
        &print_options(&case_args(dir)),
        loaded.report,
    );
    let yaml = output::to_yaml(&t.objects).expect("serialisable");
    format!(
        "{yaml}# notifications\n{}",
        render::render_plain(&t.notifications)
    )
}

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every `testdata/**/input.yaml` and `input.json`, sorted, so failures come in a stable order.
fn cases() -> Vec<std::path::PathBuf> {
    cases::testdata_inputs(&["input.yaml", "input.json"])
}

#[test]
fn testdata_cases() {
    let cases = cases();
    assert!(!cases.is_empty(), "no testdata cases found");
    for path in cases {
        let dir = path.parent().unwrap();
        let files = read_sources(&[relative(&path)]).expect("readable");
        let text = translate(dir, &files);
        let name = relative(dir)
            .trim_start_matches("testdata/")
            .replace('/', "__");
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            input_file => &path,
        }, {
            insta::assert_snapshot!(name, text);
        });
    }
}

/// Same input, any document order: byte-identical output.
#[test]
fn output_is_independent_of_document_order() {
    for path in cases() {
        let path = path.as_path();
        let dir = path.parent().unwrap();
        let files = read_sources(&[relative(path)]).expect("readable");
        let forward = translate(dir, &files);
        let text = files[0].text.to_string();
        let mut docs: Vec<&str> = text.split("\n---\n").collect();
        docs.reverse();
        let reversed = SourceFile {
            name: files[0].name.clone(),
            text: Arc::from(docs.join("\n---\n")),
        };
        let backward = translate(dir, &[reversed]);
        // Notifications quote file positions, which move; compare the objects only.
        let objects = |s: &str| {
            s.split("# notifications\n")
                .next()
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(
            objects(&forward),
            objects(&backward),
            "output depends on document order for {}",
            path.display()
        );
    }
}
