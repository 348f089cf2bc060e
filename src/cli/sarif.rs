//! Writes the SARIF file of a command (`--sarif FILE`, `--report FILE
//! --report-format sarif`): see [`crate::report::sarif`] and docs/ci.md.

use super::{EXIT_INPUT, ReportFormat, SarifArgs, VERSION};
use crate::input::InputSet;
use crate::report::Notification;
use crate::report::sarif::{ObjectSpans, SarifRoot, to_sarif_string};
use std::path::Path;

/// Writes `notes` as SARIF to every file asked for: `--sarif`, and `report`
/// (the command's `--report`) when `--report-format sarif`. `inputs` are the
/// `-f` arguments (they choose the default root). Returns the exit code of a
/// failure (2), with the error already said.
pub fn write(
    args: &SarifArgs,
    report: Option<&Path>,
    inputs: &[String],
    notes: &[Notification],
    objects: &ObjectSpans,
) -> Result<(), u8> {
    let mut targets: Vec<&Path> = Vec::new();
    if let Some(p) = &args.sarif {
        targets.push(p);
    }
    if args.report_format == ReportFormat::Sarif
        && let Some(p) = report
    {
        targets.push(p);
    }
    if targets.is_empty() {
        return Ok(());
    }
    let root = SarifRoot::new(args.sarif_root.as_deref(), inputs).map_err(|e| {
        say!("error: {e}");
        EXIT_INPUT
    })?;
    let text = to_sarif_string(notes, &root, objects, VERSION, env!("CARGO_PKG_VERSION"));
    for path in targets {
        if let Err(e) = std::fs::write(path, &text) {
            say!("error: cannot write {}: {e}", path.display());
            return Err(EXIT_INPUT);
        }
    }
    Ok(())
}

/// The document span of every Ingress, IngressClass and ConfigMap of the input.
pub fn object_spans(input: &InputSet) -> ObjectSpans {
    let ingresses = input.ingresses.iter().map(|i| (&i.obj, &i.origin));
    let classes = input.ingress_classes.iter().map(|c| (&c.obj, &c.origin));
    let maps = input.config_maps.iter().map(|c| (&c.obj, &c.origin));
    ingresses
        .chain(classes)
        .chain(maps)
        .filter_map(|(obj, origin)| Some((obj.clone(), origin.doc_span()?)))
        .collect()
}
