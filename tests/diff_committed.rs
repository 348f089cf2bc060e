//! `diff --against DIR` does not parse a committed file that still holds the
//! text `print --output-dir` writes for a generated object: it takes the
//! generated object's own value for it. That is only right if the text reads
//! back as that value, exactly (same tree, same key order, numbers of the same
//! representation). These tests check it for every object the testdata cases
//! and the shared corpus emit (standard and Envoy Gateway output), and for
//! strings YAML could read as something else.

#[path = "support/cases.rs"]
mod cases;

use ing2gw::gwapi::GatewayObject;
use ing2gw::output::object_yaml;
use serde_json::{Value, json};
use std::path::Path;

/// The objects `ing2gw print <args> --implementation <implementation>` emits.
fn translate(input: &Path, args: &[String], implementation: &str) -> Vec<GatewayObject> {
    cases::translate(input, args, implementation)
}

/// The object's printed text read back, as JSON text, next to its own value as
/// JSON text (JSON text tells `1` from `1.0` and `0.0` from `-0.0`).
fn read_back(o: &GatewayObject) -> (String, String) {
    let text = object_yaml(o).expect("serialisable");
    let parsed: Value = serde_saphyr::from_str(&text).expect("printed text parses");
    let own = serde_json::to_value(o).expect("serialisable");
    (
        serde_json::to_string(&parsed).expect("json"),
        serde_json::to_string(&own).expect("json"),
    )
}

fn check(label: &str, objects: &[GatewayObject], problems: &mut Vec<String>) -> usize {
    for o in objects {
        let (parsed, own) = read_back(o);
        if parsed != own {
            let (kind, ns, name) = o.identity();
            problems.push(format!(
                "{label}: {kind} {ns}/{name}:\n  read back {parsed}\n  generated {own}"
            ));
        }
    }
    objects.len()
}

#[test]
fn every_testdata_object_reads_back_as_itself() {
    let mut problems = Vec::new();
    let mut objects = 0;
    for input in cases::testdata_inputs(&["input.yaml", "input.json"]) {
        let dir = input.parent().expect("case folder");
        let args = cases::case_args(dir);
        for implementation in ["standard", "envoy-gateway"] {
            let emitted = translate(&input, &args, implementation);
            let label = format!("{} [{implementation}]", dir.display());
            objects += check(&label, &emitted, &mut problems);
        }
    }
    assert!(objects > 500, "the testdata must emit objects: {objects}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_corpus_object_reads_back_as_itself() {
    let Some(files) = cases::corpus_files(&["yaml", "yml", "json"]) else {
        eprintln!("corpus absent: skipped");
        return;
    };
    let mut problems = Vec::new();
    for file in files {
        for implementation in ["standard", "envoy-gateway"] {
            let emitted = translate(&file, &[], implementation);
            let label = format!("{} [{implementation}]", file.display());
            check(&label, &emitted, &mut problems);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Strings a YAML reader could take for another type, or change: quoted by
/// the printer, read back as the same strings; numbers keep their type.
#[test]
fn ambiguous_scalars_read_back_as_themselves() {
    let strings = [
        "",
        " ",
        "true",
        "True",
        "TRUE",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "null",
        "Null",
        "~",
        "1",
        "-1",
        "1.0",
        "1e3",
        "0x10",
        "0o17",
        "017",
        ".inf",
        "-.inf",
        ".nan",
        "1_000",
        "12:30",
        "2024-01-01",
        " lead",
        "trail ",
        "a: b",
        "a #b",
        "#c",
        "- x",
        "[x]",
        "{x}",
        "*a",
        "&a",
        "!t",
        "|",
        ">",
        "'q'",
        "\"q\"",
        "%d",
        "@x",
        "`x`",
        "a\nb",
        "a\n",
        "\tx",
        "ü",
        "\u{2028}",
        "---",
        "...",
        "a\\b",
        "=",
        "<<",
    ];
    let mut problems = Vec::new();
    for s in strings {
        let o = GatewayObject::Other(json!({
            "apiVersion": "gateway.envoyproxy.io/v1alpha1",
            "kind": "BackendTrafficPolicy",
            "metadata": {"name": "p", "namespace": "n", "annotations": {"a": s}},
            "spec": {"value": s, "list": [s, 1, -1, 1.5, 0.0, -0.0, 1e300, u64::MAX, true, null]},
        }));
        let (parsed, own) = read_back(&o);
        if parsed != own {
            problems.push(format!("{s:?}:\n  read back {parsed}\n  generated {own}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
