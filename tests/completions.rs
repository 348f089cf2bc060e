//! The shell completion scripts in `completions/` are generated from the CLI
//! definition; this test regenerates them in memory and fails when a file is stale.
//! Regenerate with `ING2GW_BLESS=1 cargo test --test completions`.

use clap_complete::Shell;
use std::path::Path;

const FILES: &[(Shell, &str)] = &[
    (Shell::Bash, "ing2gw.bash"),
    (Shell::Zsh, "_ing2gw"),
    (Shell::Fish, "ing2gw.fish"),
    (Shell::PowerShell, "_ing2gw.ps1"),
    (Shell::Elvish, "ing2gw.elv"),
];

#[test]
fn completion_scripts_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("ING2GW_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (shell, file) in FILES {
        let fresh = ing2gw::cli::completion_script(*shell);
        assert!(
            fresh.contains("print") && fresh.contains("filename"),
            "{shell} script lacks the print command or its flags"
        );
        let path = dir.join(file);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != fresh {
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &fresh).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale completion scripts: {}\nregenerate them with: ING2GW_BLESS=1 cargo test --test completions",
        stale.join(", ")
    );
}
