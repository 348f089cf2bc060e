//! The whole run: read → passes → IR → emit, with notifications.

use crate::gwapi::GatewayObject;
use crate::input::{self, InputSet, SourceFile, SourceMap};
use crate::ir::Ir;
use crate::options::TranslateOptions;
use crate::passes::{self, ControllerConfig, PassContext};
use crate::report::{Code, Notification, Report};

pub const CONFIGMAP_MISSING: Code = Code("configmap-missing");
/// The input holds no Ingress at all: an empty translation is almost always a
/// wrong path, namespace or selector, so it is said (a warning: exit 0 unless
/// `--fail-on warning`).
pub const NO_INGRESS: Code = Code("no-ingress");

/// Decoded input plus the notifications decoding produced.
pub struct Loaded {
    pub input: InputSet,
    pub sources: SourceMap,
    pub report: Report,
}

/// Decodes already-read files.
pub fn load(files: &[SourceFile]) -> Loaded {
    load_with(files, false)
}

/// [`load`], packing each Ingress as it is decoded when `pack` (a sharded
/// run, `crate::shard`: the decoded input is never held whole).
pub fn load_with(files: &[SourceFile], pack: bool) -> Loaded {
    let mut set = InputSet {
        pack_ingresses: pack,
        ..InputSet::default()
    };
    let mut report = Report::default();
    let mut sources = SourceMap::default();
    for f in files {
        let withheld = input::decode_documents(f, &mut set, &mut report);
        sources.insert_withholding(f, &withheld);
    }
    // The cluster keeps one object per identity: the last copy applied.
    input::keep_last_applied(&mut set, &mut report);
    if let Some(n) = input::skipped_kinds_notification(&set) {
        report.push(n);
    }
    Loaded {
        input: set,
        sources,
        report,
    }
}

/// The result of a translation.
pub struct Translation {
    pub ir: Ir,
    pub objects: Vec<GatewayObject>,
    pub notifications: Vec<Notification>,
    /// `--host-map`: original host → the name the objects serve it under.
    /// `verify` models the original hosts: give `objects` their names back with
    /// [`crate::emit::host_map::Mapped::unmap`] before verifying them.
    pub host_map: crate::emit::host_map::Mapped,
}

/// Translates decoded input with the emitter of `options.target`.
pub fn translate(input: &InputSet, options: &TranslateOptions, mut report: Report) -> Translation {
    let ir = build_ir(input, options, &mut report);
    emit(ir, options, report, Hosts::Kept)
}

/// [`translate`], dropping the decoded input once the passes have built the IR
/// (the emitter reads only the IR) and each host of the IR once its routes are
/// emitted, so neither shares the run's memory peak with the emitted objects
/// (issue 13). For callers that use neither the input nor the IR's hosts
/// afterwards (`print`, `diff`): the returned IR has no hosts.
pub fn translate_owned(
    input: InputSet,
    options: &TranslateOptions,
    mut report: Report,
) -> Translation {
    let ir = build_ir(&input, options, &mut report);
    drop(input);
    emit(ir, options, report, Hosts::Dropped)
}

/// Whether [`Translation::ir`] keeps its hosts after emission.
#[derive(PartialEq)]
enum Hosts {
    Kept,
    /// Freed during emission (`ir.hosts` is empty afterwards): for callers that
    /// read only the objects, so the IR's rules and the routes made of them do
    /// not both reach full size.
    Dropped,
}

/// Class selection, ordering, screening and every pass: the IR.
fn build_ir(input: &InputSet, options: &TranslateOptions, report: &mut Report) -> Ir {
    if input.ingresses.is_empty() {
        report.push(no_ingress());
    }
    let mut selected = passes::class_selection::select(input, options, report);
    selected.sort_by(|a, b| passes::ingress_order::compare(a.0, b.0));
    let config = controller_config(input, options, report);
    // The controller ignores some Ingresses entirely (risky or invalid annotations):
    // they must not turn into routes, nor own hosts.
    // The API server rejects an Ingress with an invalid host: the controller never sees it.
    let candidates: Vec<_> = selected.iter().map(|s| s.0).collect();
    let invalid_hosts = passes::hostnames::screen(&candidates, report);
    selected.retain(|(ing, _)| !invalid_hosts.contains(&ing.obj));
    let model = passes::controller_validation::model(options, &config, report);
    let candidates: Vec<_> = selected.iter().map(|s| s.0).collect();
    let verdicts =
        passes::controller_validation::screen(&candidates, input, options, &model, report);
    selected.retain(|(ing, _)| !verdicts.rejected.contains(&ing.obj));
    let (refs, classes): (Vec<_>, Vec<_>) = selected.into_iter().unzip();
    let cx = PassContext::new(options, input, refs, classes, config, verdicts);
    let mut ir = Ir::default();
    let registry = passes::registry();
    passes::run_passes(&cx, &registry, &mut ir, report);
    ir
}

/// The target's emitter and profile over the IR; the notifications, sorted.
fn emit(mut ir: Ir, options: &TranslateOptions, mut report: Report, hosts: Hosts) -> Translation {
    report.extend(crate::target::profile_notes(options));
    let emitter = crate::emit::emitter_for(&options.target);
    let mut objects = if hosts == Hosts::Dropped {
        emitter.emit_draining(&mut ir, options, &mut report)
    } else {
        emitter.emit(&ir, options, &mut report)
    };
    crate::emit::profile::apply(&mut objects, options, &mut report);
    crate::emit::carried::apply(&ir, &mut objects, &mut report);
    let host_map = crate::emit::host_map::apply(&options.host_map, &mut objects, &mut report);
    crate::emit::regex_dialect::apply(&mut objects, options.regex_dialect, &mut report);
    // Never print what the API server would reject: a failing object is withheld
    // and named (`output-invalid`, exit 1).
    crate::validate::check_emitted(&mut objects, options, &mut report);
    let mut notifications = report.finish();
    crate::target::notes::retarget(&mut notifications, &options.target);
    Translation {
        ir,
        objects,
        notifications,
        host_map,
    }
}

pub(crate) fn no_ingress() -> Notification {
    Notification::warning(
        NO_INGRESS,
        "no Ingress found in the input: nothing was translated",
    )
    .suggest(
        "check the -f paths (folders are read recursively: *.yaml, *.yml, *.json), or for the \
         cluster the context, -n/-A and -l",
    )
}

pub fn controller_config(
    input: &InputSet,
    options: &TranslateOptions,
    report: &mut Report,
) -> ControllerConfig {
    let Some((ns, name)) = &options.nginx_configmap else {
        return ControllerConfig::default();
    };
    match input.config_map(ns, name) {
        Some(cm) => ControllerConfig {
            data: cm.data.clone(),
            object: Some(cm.obj.clone()),
        },
        None => {
            report.push(
                Notification::warning(CONFIGMAP_MISSING, format!("controller ConfigMap {ns}/{name} is not in the input; ingress-nginx defaults are used"))
                    .suggest("pass the ConfigMap manifest with -f, or read from the cluster"),
            );
            ControllerConfig::default()
        }
    }
}
