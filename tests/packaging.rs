//! Release packaging: the krew manifest template and the release step that
//! fills it (`tools/krew-manifest.sh`), run on stand-in archives.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const PLATFORMS: &[(&str, &str, &str)] = &[
    ("linux", "amd64", "tar.gz"),
    ("linux", "arm64", "tar.gz"),
    ("darwin", "amd64", "tar.gz"),
    ("darwin", "arm64", "tar.gz"),
    ("windows", "amd64", "zip"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn krew_manifest_is_filled_from_the_archives() {
    let dist = tempfile::tempdir().expect("temp dir");
    for (os, arch, ext) in PLATFORMS {
        std::fs::write(
            dist.path().join(format!("ing2gw-v1.2.3-{os}-{arch}.{ext}")),
            format!("archive {os} {arch}"),
        )
        .expect("write archive");
    }
    let out = Command::new("bash")
        .arg(root().join("tools/krew-manifest.sh"))
        .args(["v1.2.3", "https://example.org/releases/v1.2.3/"])
        .arg(dist.path())
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains("{{"), "a placeholder is left:\n{text}");
    let manifest: Value = serde_saphyr::from_str(&text).expect("the manifest is YAML");
    assert_eq!(manifest["kind"], "Plugin");
    assert_eq!(manifest["metadata"]["name"], "ing2gw");
    assert_eq!(manifest["spec"]["version"], "v1.2.3");
    let platforms = manifest["spec"]["platforms"].as_array().expect("platforms");
    assert_eq!(platforms.len(), PLATFORMS.len());
    for (p, (os, arch, ext)) in platforms.iter().zip(PLATFORMS) {
        assert_eq!(p["selector"]["matchLabels"]["os"], *os);
        assert_eq!(p["selector"]["matchLabels"]["arch"], *arch);
        assert_eq!(
            p["uri"],
            format!("https://example.org/releases/v1.2.3/ing2gw-v1.2.3-{os}-{arch}.{ext}")
        );
        assert_eq!(
            p["sha256"],
            sha256_hex(format!("archive {os} {arch}").as_bytes()),
            "{os}/{arch}"
        );
        let bin = if *os == "windows" {
            "kubectl-ing2gw.exe"
        } else {
            "kubectl-ing2gw"
        };
        assert_eq!(p["bin"], bin);
        assert_eq!(p["files"][0]["from"], bin);
    }

    // A missing archive is an error, not a manifest with a placeholder.
    std::fs::remove_file(dist.path().join("ing2gw-v1.2.3-darwin-arm64.tar.gz")).expect("rm");
    let out = Command::new("bash")
        .arg(root().join("tools/krew-manifest.sh"))
        .args(["v1.2.3", "https://example.org/r"])
        .arg(dist.path())
        .output()
        .expect("bash runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("darwin-arm64"));
}
