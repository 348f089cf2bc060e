//! `scan -o markdown` stays readable at estate scale: the issue 15 estate of
//! 5,000 Ingresses (benches' generator) gives a report a person can read (summary,
//! blockers, per-namespace groups with truncation) and JSON keeps every detail.

#[path = "../benches/support/estate.rs"]
#[allow(dead_code)]
mod estate;

use std::process::Command;

#[test]
fn markdown_at_5k_ingresses_is_sized_to_be_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("estate.yaml");
    let (yaml, _) = estate::realistic(5_000, 1);
    std::fs::write(&input, yaml).expect("write estate");
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
            .args(["scan", "-f", input.to_str().expect("utf-8"), "-o", format])
            .env_remove("KUBECONFIG")
            .output()
            .expect("ing2gw runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let markdown = run("markdown");
    if let Ok(dir) = std::env::var("ING2GW_SCAN_SIZE_KEEP") {
        std::fs::write(
            format!("{dir}/estate.yaml"),
            std::fs::read(&input).expect("estate"),
        )
        .expect("keep");
        std::fs::write(format!("{dir}/scan.md"), &markdown).expect("keep");
    }
    eprintln!("scan -o markdown at 5k Ingresses: {} bytes", markdown.len());
    let text = String::from_utf8(markdown).expect("utf-8");
    // 1,483,145 bytes before the decision-document layout (one row per Ingress).
    assert!(text.len() < 200_000, "{} bytes", text.len());
    let blockers = text.find("## Blockers").expect("blockers section");
    let detail = text.find("### Namespace").expect("namespace detail");
    assert!(
        text.find("## Estate summary")
            .is_some_and(|s| s < blockers && blockers < detail)
    );
    assert!(
        text.contains("access-fail-closed"),
        "fail-closed rules are blockers"
    );
    let json = run("json");
    let report: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    let listed: usize = report["namespaces"]
        .as_array()
        .expect("namespaces")
        .iter()
        .map(|n| n["ingresses"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(listed, 5_000, "the JSON keeps every Ingress");
}
