//! Large inputs that used to fail on size alone.

use std::process::Command;

fn ing2gw(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

/// `diff --against FILE` parsed the file with serde-saphyr's default budget
/// (250,000 nodes), so a valid manifest of a large estate was "not valid
/// YAML: budget breached"; it now gets the scaled budget every input has.
#[test]
fn diff_reads_an_against_file_larger_than_the_default_parser_budget() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ingress = dir.path().join("in.yaml");
    std::fs::write(
        &ingress,
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
    )
    .expect("write");
    // 2,000 objects of about 170 nodes each: 340,000 nodes.
    let mut against = String::new();
    for i in 0..2000 {
        against.push_str(&format!(
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r{i}\n  namespace: other\n  labels:\n"
        ));
        for l in 0..80 {
            against.push_str(&format!("    l{l}: v{l}\n"));
        }
        against.push_str("spec:\n  hostnames: [a.example.com]\n");
    }
    let against_path = dir.path().join("against.yaml");
    std::fs::write(&against_path, against).expect("write");
    let out = ing2gw(&[
        "diff",
        "-q",
        "-f",
        ingress.to_str().expect("utf-8 path"),
        "--against",
        against_path.to_str().expect("utf-8 path"),
        // The routes are not ing2gw's: compare them anyway, so all are parsed.
        "--include-unmanaged",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("budget"), "stderr: {stderr}");
    // Differences found (exit 1), not an input error (exit 2).
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("r1999"),
        "every object of the file is compared"
    );
}
