//! Rendered coverage of a target (`ing2gw annotations --implementation NAME`):
//! per annotation, translated / approximated / not expressible on that target,
//! with the emitted kind and field. The rows come from
//! [`crate::emit::coverage::for_target`] (the emitter's answers merged with the
//! catalog's); `docs/implementations/coverage.md` is [`markdown`] (drift test
//! `tests/implementations_doc.rs`).

use crate::emit::coverage::{self, CoverageLevel, CoverageRow, Origin};
use crate::target::{Implementation, Target};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

fn display_key(r: &CoverageRow) -> String {
    match crate::catalog::lookup(r.entry.key).and_then(|a| a.alias_of) {
        Some(of) => format!("{} (alias of {of})", r.entry.key),
        None => r.entry.key.to_string(),
    }
}

fn kind_field(r: &CoverageRow) -> String {
    match (r.entry.kind, r.entry.field) {
        ("", "") => String::new(),
        (k, "") => k.to_string(),
        ("", f) => f.to_string(),
        (k, f) => format!("{k} {f}"),
    }
}

/// Counts per level over the canonical annotations and extra keys.
pub fn counts(rows: &[CoverageRow]) -> Vec<(CoverageLevel, usize)> {
    let canonical =
        |r: &&CoverageRow| crate::catalog::lookup(r.entry.key).is_none_or(|a| a.alias_of.is_none());
    CoverageLevel::ALL
        .iter()
        .map(|l| {
            (
                *l,
                rows.iter()
                    .filter(canonical)
                    .filter(|r| r.entry.level == *l)
                    .count(),
            )
        })
        .collect()
}

fn summary(target: &Target, rows: &[CoverageRow]) -> String {
    let parts: Vec<String> = counts(rows)
        .iter()
        .map(|(l, n)| format!("{n} {}", l.as_str()))
        .collect();
    format!(
        "{}: {}.",
        target.implementation.display_name(),
        parts.join(", ")
    )
}

/// A terminal table for one target.
pub fn table(target: &Target, width: Option<u16>) -> String {
    let rows = coverage::for_target(target);
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "annotation",
            target.implementation.name(),
            "kind / field",
            "note",
        ]);
    if let Some(w) = width {
        t.set_width(w);
    }
    for r in &rows {
        t.add_row(vec![
            display_key(r),
            r.entry.level.as_str().to_string(),
            kind_field(r),
            r.entry.note.to_string(),
        ]);
    }
    format!("{t}\n{}\n", summary(target, &rows))
}

/// JSON for one target: `{implementation, rows: [{key, level, kind, field, note, origin}]}`.
pub fn json(target: &Target) -> String {
    let rows = coverage::for_target(target);
    let v = serde_json::json!({
        "implementation": target.implementation.name(),
        "rows": rows,
    });
    serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// Markdown section for one target (level, kind/field, note).
pub fn markdown_for(target: &Target) -> String {
    let rows = coverage::for_target(target);
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", summary(target, &rows));
    out.push_str("| Annotation | Level | Kind / field | Note | From |\n|---|---|---|---|---|\n");
    for r in &rows {
        let kf = kind_field(r);
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            display_key(r),
            r.entry.level.as_str(),
            if kf.is_empty() {
                String::new()
            } else {
                format!("`{}`", kf.replace('|', "\\|"))
            },
            r.entry.note.replace('|', "\\|"),
            match r.origin {
                Origin::Emitter => "emitter",
                Origin::Catalog => "catalog",
            }
        );
    }
    out
}

/// `docs/implementations/coverage.md`: every target, one section each.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# What each implementation target expresses\n\n");
    out.push_str("<!-- Generated from the emitters' coverage answers and the annotation catalog;\n     do not edit. Regenerate with `ING2GW_BLESS=1 cargo test --test implementations_doc`. -->\n\n");
    out.push_str("`ing2gw annotations --implementation NAME` prints the same rows. Levels:\n\n");
    out.push_str(
        "- **translated**: the target reproduces the behaviour with the kind/field named;\n",
    );
    out.push_str(
        "- **approximated**: reproduced in part (the note and a notification say what differs);\n",
    );
    out.push_str("- **not-expressible**: not with ing2gw's output for this target; a notification says\n  what happens instead (access controls fail closed).\n\n");
    out.push_str("*From* says where the answer comes from: `emitter` (the target's own resources) or\n`catalog` (the standard Gateway API translation every target starts from; its kind and\nfield are in [annotations.md](../annotations.md)).\n");
    for imp in Implementation::ALL {
        let target = Target::new(imp);
        let _ = write!(
            out,
            "\n## {} (`--implementation {}`)\n\n",
            imp.display_name(),
            imp.name()
        );
        out.push_str(&markdown_for(&target));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_answers_follow_the_catalog_levels() {
        let rows = coverage::for_target(&Target::default());
        let by = |k: &str| coverage::answer(&rows, k).map(|r| r.entry.level);
        assert_eq!(by("rewrite-target"), Some(CoverageLevel::Approximated));
        assert_eq!(by("limit-rps"), Some(CoverageLevel::NotExpressible));
        let total: usize = counts(&rows).iter().map(|c| c.1).sum();
        assert_eq!(total, crate::catalog::canonical().count());
        let t = table(&Target::default(), Some(200));
        assert!(t.contains("not-expressible") && t.contains("limit-rps"));
        let j: serde_json::Value = serde_json::from_str(&json(&Target::default())).unwrap();
        assert_eq!(j["implementation"], "standard");
        assert_eq!(j["rows"][0]["origin"], "catalog");
    }
}
