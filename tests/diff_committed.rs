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

/// An unchanged committed file is not parsed, but validation's checks across
/// documents still see what they read of it: a route whose file is unchanged
/// is named when the committed Gateway lost its listener, and an edited route
/// is named against the unchanged Gateway's listeners. (diff shows these
/// warnings when the folder also has an error: a copied file, here.)
#[test]
fn unchanged_files_still_take_part_in_the_checks_across_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.yaml");
    std::fs::write(
        &input,
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com, b.example.com], secretName: tls}]
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}
  - host: b.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}
",
    )
    .expect("write");
    let out = dir.path().join("out");
    let ing2gw = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ing2gw"))
            .args(args)
            .output()
            .expect("runs")
    };
    let printed = ing2gw(&[
        "print".as_ref(),
        "-f".as_ref(),
        input.as_os_str(),
        "--output-dir".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let diff = || {
        let o = ing2gw(&[
            "diff".as_ref(),
            "-f".as_ref(),
            input.as_os_str(),
            "--against".as_ref(),
            out.as_os_str(),
        ]);
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    assert!(!diff().contains("parent-listener-missing"), "{}", diff());
    std::fs::copy(
        out.join("shop/httproute-a.example.com-http.yaml"),
        out.join("shop/copy.yaml"),
    )
    .expect("copy");
    assert!(diff().contains("duplicate-object"), "{}", diff());
    assert!(!diff().contains("parent-listener-missing"), "{}", diff());
    let gateway = out.join("gateway-system/gateway-nginx.yaml");
    let route_b = out.join("shop/httproute-b.example.com.yaml");
    // Edits `file` (`from` → `to`) and expects the route of `named` to be
    // named; returns the file's text before the edit.
    let edit_and_expect = |file: &Path, from: &str, to: &str, named: &str| {
        let text = std::fs::read_to_string(file).expect("committed file");
        assert!(text.contains(from), "{text}");
        std::fs::write(file, text.replace(from, to)).expect("edit");
        let stderr = diff();
        assert!(
            stderr.contains("parent-listener-missing") && stderr.contains(named),
            "{stderr}"
        );
        text
    };
    // The Gateway loses a's listener: the unchanged route of a is named.
    let original = edit_and_expect(
        &gateway,
        "name: https-a.example.com",
        "name: https-gone",
        "httproute-a.example.com.yaml",
    );
    // The Gateway as printed, b's route edited to a missing listener: named.
    std::fs::write(&gateway, &original).expect("restore");
    edit_and_expect(
        &route_b,
        "sectionName: https-b.example.com",
        "sectionName: https-none",
        "httproute-b.example.com.yaml",
    );
}
