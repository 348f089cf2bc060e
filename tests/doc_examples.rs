//! Every command line quoted in README.md and docs/commands/*.md (lines starting
//! with `ing2gw ` in ```sh blocks) must parse with the real CLI definition, so a
//! renamed or removed flag in the docs fails here. Examples whose `-f` inputs
//! exist in the repository (or that need no input, like `annotations`) are also
//! run, and must end with an exit code the docs list.

use std::path::Path;
use std::process::Command;

/// The documented exit codes of every command (docs/commands/print.md, "Exit codes").
const DOCUMENTED_EXIT_CODES: &[i32] = &[0, 1, 2];

/// The `ing2gw …` command lines of the ```sh blocks in `text`: `$ ` prompts and
/// trailing `# comments` dropped, `\` continuations joined, and of a pipeline
/// (`kubectl … | ing2gw …`, `ing2gw … | jq …`) only the ing2gw part, without
/// its `> file` redirection.
fn examples(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            in_sh = !in_sh && matches!(lang, "sh" | "bash" | "shell" | "console");
            pending.clear();
            continue;
        }
        if !in_sh {
            continue;
        }
        let line = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
        let line = match line.find(" #") {
            Some(i) => line[..i].trim_end(),
            None => line,
        };
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head.trim_end());
            pending.push(' ');
            continue;
        }
        let full = std::mem::take(&mut pending) + line;
        for segment in full.split(" | ") {
            let segment = segment.trim();
            if segment.starts_with("ing2gw ") || segment == "ing2gw" {
                let segment = match segment.find(" > ") {
                    Some(i) => &segment[..i],
                    None => segment,
                };
                out.push(segment.trim().to_string());
            }
        }
    }
    out
}

/// A tiny POSIX-ish word splitter: whitespace, single and double quotes.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quote in {line:?}");
    if in_word {
        words.push(word);
    }
    words
}

/// Whether the example can run offline without writing into the repository:
/// `annotations` needs no input; other commands need every `-f` path to exist
/// and no output-writing flag.
fn runnable(root: &Path, words: &[String]) -> bool {
    if words.get(1).map(String::as_str) == Some("annotations") {
        return true;
    }
    if words
        .iter()
        .any(|w| w == "--output-dir" || w == "--report" || w == "-A" || w == "-")
    {
        return false;
    }
    let mut inputs = words
        .windows(2)
        .filter(|w| w[0] == "-f" || w[0] == "--filename")
        .flat_map(|w| w[1].split(',').map(str::to_string).collect::<Vec<_>>())
        .peekable();
    inputs.peek().is_some() && inputs.all(|p| root.join(p).exists())
}

#[test]
fn documented_command_lines_parse_and_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut pages: Vec<_> = std::fs::read_dir(root.join("docs/commands"))
        .expect("docs/commands exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    files.extend(pages);

    let mut failures = Vec::new();
    let mut ran = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("doc readable");
        let lines = examples(&text);
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        if text.contains("```sh") && text.contains("\ning2gw ") {
            assert!(!lines.is_empty(), "{name}: no ing2gw example extracted");
        }
        for line in lines {
            let words = split_words(&line);
            eprintln!("{name}: {line}");
            if let Err(e) = ing2gw::cli::command().try_get_matches_from(&words) {
                failures.push(format!("{name}: `{line}` does not parse:\n{e}"));
                continue;
            }
            if runnable(root, &words) {
                let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
                    .args(&words[1..])
                    .current_dir(root)
                    .env("NO_COLOR", "1")
                    .output()
                    .expect("binary runs");
                ran += 1;
                match out.status.code() {
                    Some(c) if DOCUMENTED_EXIT_CODES.contains(&c) => {
                        eprintln!("  ran: exit {c}")
                    }
                    other => failures.push(format!(
                        "{name}: `{line}` exited {other:?}, not a documented code\n{}",
                        String::from_utf8_lossy(&out.stderr)
                    )),
                }
            }
        }
    }
    assert!(ran > 0, "no documented example could run offline");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn extraction_handles_prompts_pipes_redirects_and_continuations() {
    let doc = "```sh\n$ ing2gw print -f a/ > out.yaml  # comment\n\
               kubectl get ingress -o yaml | ing2gw print -f -\n\
               ing2gw scan -f k8s/ \\\n  -o json | jq '.summary'\n```\n\
               ```yaml\ning2gw: not a command\n```\n";
    assert_eq!(
        examples(doc),
        [
            "ing2gw print -f a/",
            "ing2gw print -f -",
            "ing2gw scan -f k8s/ -o json",
        ]
    );
    assert_eq!(
        split_words("ing2gw x 'a b' \"c\""),
        ["ing2gw", "x", "a b", "c"]
    );
    // The parse check has teeth: a flag the CLI does not know is rejected.
    assert!(
        ing2gw::cli::command()
            .try_get_matches_from(split_words("ing2gw print -f a/ --no-such-flag"))
            .is_err()
    );
}

/// Every long flag of a command is documented on its page, or for the shared flags
/// on the pages the others refer to (print's translation and input flags in
/// docs/commands/print.md, the kubectl-style cluster flags in docs/cluster.md), so a
/// new flag cannot be left out of the tables.
#[test]
fn every_flag_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cluster = std::fs::read_to_string(root.join("docs/cluster.md")).expect("cluster.md");
    let print = std::fs::read_to_string(root.join("docs/commands/print.md")).expect("print.md");
    let mut missing = Vec::new();
    let mut checked = 0;
    for sub in ing2gw::cli::command().get_subcommands() {
        let page = root.join(format!("docs/commands/{}.md", sub.get_name()));
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        for arg in sub.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" {
                continue;
            }
            let flag = format!("--{long}");
            checked += 1;
            if ![&text, &cluster, &print].iter().any(|t| t.contains(&flag)) {
                missing.push(format!("{}: {flag}", page.display()));
            }
        }
    }
    assert!(checked > 0, "no flag checked");
    assert!(
        missing.is_empty(),
        "undocumented flags:\n{}",
        missing.join("\n")
    );
}

/// docs/commands/print.md says which kinds carry `ing2gw.io/sources`; the emitted
/// objects of a TLS input (Gateway, HTTPRoutes, ReferenceGrant) must agree.
#[test]
fn sources_annotation_doc_matches_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/commands/print.md")).expect("print.md");
    let start = text
        .find("Every object carries")
        .expect("print.md describes the annotations");
    let para = text[start..].split("\n\n").next().unwrap_or_default();
    let (carry, not_carry) = para
        .split_once(';')
        .expect("print.md names the kinds without ing2gw.io/sources");
    let out = Command::new(env!("CARGO_BIN_EXE_ing2gw"))
        .args([
            "print",
            "-f",
            "testdata/core/tls-redirect-default/input.yaml",
            "-o",
            "json",
        ])
        .current_dir(root)
        .output()
        .expect("binary runs");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let items = list["items"].as_array().expect("a List");
    let mut kinds = std::collections::BTreeSet::new();
    for item in items {
        let kind = item["kind"].as_str().expect("kind").to_string();
        let has = item["metadata"]["annotations"]
            .get("ing2gw.io/sources")
            .is_some();
        let doc_side = if has { carry } else { not_carry };
        assert!(
            doc_side.contains(&kind),
            "{kind} {} ing2gw.io/sources but print.md does not say so",
            if has { "carries" } else { "lacks" }
        );
        kinds.insert(kind);
    }
    assert!(kinds.contains("ReferenceGrant") && kinds.contains("Gateway"));
}
