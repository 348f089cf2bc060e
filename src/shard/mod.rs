//! Sharded translation: print's memory on large estates (issue 13).
//!
//! A whole run holds the decoded input, then the IR of every host, then every
//! emitted object: about 16× the input at 100,000 Ingresses. A sharded run
//! splits the Ingresses into shards that share nothing a pass reads
//! ([`partition`]), runs the passes and the emitter on one shard at a time,
//! serialises that shard's routes at once ([`runs::Run`]) and frees its decoded
//! Ingresses, so only one shard's IR and objects exist at any time. What needs
//! every host of the run is done once, afterwards, on facts the shards hand
//! over: the Gateways and their listener layout (a route's HTTPS parent becomes
//! a ListenerSet's once the layout is known), ReferenceGrants, the host-less
//! exposure check, and the merge into print order.
//!
//! The output is the whole run's, byte for byte (tests/sharded.rs compares both
//! on the corpus, every fixture and the bench's estates). Runs whose decisions
//! span hosts in ways the partition does not capture are not sharded: other
//! emitters than the standard one, `--host-map`, Gateway API versions without
//! ListenerSets, and gRPC backends ([`partition::shardable`]).

pub mod partition;
pub mod runs;

use crate::emit::standard::{self, StandardEmitter};
use crate::input::InputSet;
use crate::ir::{Gateway, GatewayId, Ir};
use crate::options::TranslateOptions;
use crate::passes::{self, PassContext};
use crate::pipeline::{self, Screened};
use crate::report::{Notification, Report};
use runs::{Merged, Provisional, Run};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Ingresses per shard: small enough that a shard's IR and objects are a
/// fraction of the input's size, large enough that the per-shard work (a pass
/// context, the emitter's setup) stays negligible.
pub const SHARD_INGRESSES: usize = 2_000;

/// A sharded run's result: the serialised objects and the notifications.
pub struct Sharded {
    runs: Vec<Run>,
    pub notifications: Vec<Notification>,
}

impl Sharded {
    /// Objects, as written (duplicates of an identity counted once).
    pub fn len(&self) -> usize {
        self.objects().count()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every object's YAML in print order, each identity once.
    pub fn objects(&self) -> impl Iterator<Item = &str> + '_ {
        let mut last: Option<&runs::Key> = None;
        Merged::new(&self.runs).filter_map(move |(key, _, text)| {
            if last == Some(key) {
                return None;
            }
            last = Some(key);
            Some(text)
        })
    }
    /// The multi-document YAML of [`crate::output::yaml_chunks`], in pieces.
    pub fn yaml_chunks(&self) -> impl Iterator<Item = String> + '_ {
        let mut docs = self.objects().peekable();
        std::iter::from_fn(move || {
            docs.peek()?;
            let mut out = String::new();
            for doc in docs.by_ref().take(512) {
                out.push_str("---\n");
                out.push_str(doc);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Some(out)
        })
    }
}

/// Whether `options` allow a sharded run over `input`.
pub fn eligible(input: &InputSet, options: &TranslateOptions) -> bool {
    use crate::target::Implementation;
    matches!(
        options.target.implementation,
        Implementation::Standard | Implementation::Istio
    ) && options.host_map.is_empty()
        && options.gateway_api().listener_set().is_some()
        && partition::shardable(input, &options.annotation_prefix)
}

/// [`pipeline::translate_owned`] shard by shard ([`eligible`] runs only), with
/// shards of at least `shard_ingresses` Ingresses.
pub fn translate(
    mut input: InputSet,
    options: &TranslateOptions,
    mut report: Report,
    shard_ingresses: usize,
) -> Result<Sharded, String> {
    let Screened {
        order,
        classes,
        config,
        verdicts,
    } = pipeline::screen(&input, options, &mut report);
    let shards = partition::shards(&input, &options.annotation_prefix, shard_ingresses);
    let mut shard_of = vec![0; input.ingresses.len()];
    for (s, members) in shards.iter().enumerate() {
        for &i in members {
            if let Some(slot) = shard_of.get_mut(i) {
                *slot = s;
            }
        }
    }
    let namespaces = {
        let selected: Vec<_> = order
            .iter()
            .filter_map(|&i| input.ingresses.get(i))
            .collect();
        Arc::new(passes::namespaces_of(&selected))
    };
    let registry = passes::registry();
    let mut gateways: BTreeMap<GatewayId, Gateway> = BTreeMap::new();
    let mut carried_gateway = BTreeMap::new();
    let mut hostless = standard::HostlessFacts::default();
    let mut references = BTreeMap::new();
    let mut provisional = Provisional::new();
    let mut runs: Vec<Run> = Vec::new();
    for (s, members) in shards.iter().enumerate() {
        let mut ir = Ir::default();
        {
            let (refs, shard_classes): (Vec<_>, Vec<_>) = order
                .iter()
                .zip(&classes)
                .filter(|(i, _)| shard_of.get(**i) == Some(&s))
                .filter_map(|(&i, class)| Some((input.ingresses.get(i)?, class.clone())))
                .unzip();
            if !refs.is_empty() {
                let cx = PassContext::new(
                    options,
                    &input,
                    refs,
                    shard_classes,
                    config.clone(),
                    verdicts.clone(),
                )
                .with_run_namespaces(namespaces.clone());
                passes::run_passes(&cx, &registry, &mut ir, &mut report);
            }
        }
        // The decoded Ingresses of this shard are read no more.
        for &i in members {
            if let Some(ing) = input.ingresses.get_mut(i) {
                ing.ingress = Default::default();
            }
        }
        let emission = StandardEmitter.emit_shard(&mut ir, options, &mut report);
        let mut objects = emission.objects;
        hostless.merge(emission.hostless);
        finish_objects(&ir, &mut objects, options, &mut report);
        crate::emit::grants::merge_references(
            &mut references,
            crate::emit::grants::references(&objects),
        );
        for gw in ir.gateways.values() {
            for l in gw.https.values() {
                provisional.insert(
                    standard::provisional_parent(&gw.id, &l.hostname),
                    (gw.id.clone(), l.hostname.clone()),
                );
            }
        }
        runs.push(Run::new(objects, &provisional)?);
        for (id, gw) in std::mem::take(&mut ir.gateways) {
            merge_gateway(&mut gateways, id, gw);
        }
        for (id, values) in std::mem::take(&mut ir.carried.gateway) {
            let on: &mut BTreeMap<_, _> = carried_gateway.entry(id).or_default();
            for (k, v) in values {
                on.entry(k).or_insert(v);
            }
        }
    }
    drop(input);
    passes::catch_all_server::keep_one_healthz_note(&mut report);
    report.extend(crate::target::profile_notes(options));
    hostless.report(&mut report);
    let (mut objects, parents) = standard::emit_gateways(&gateways, options, &mut report);
    objects.extend(standard::grants_for(references, options, &mut report));
    let global = Ir {
        gateways,
        carried: crate::ir::Carried {
            gateway: carried_gateway,
            routes: BTreeMap::new(),
        },
        ..Ir::default()
    };
    finish_objects(&global, &mut objects, options, &mut report);
    for run in &mut runs {
        run.resolve(&provisional, &parents)?;
    }
    // Run-wide objects first: of equal identities the whole run keeps the
    // first emitted, and it emits the Gateways first.
    runs.insert(0, Run::new(objects, &Provisional::new())?);
    refuse_duplicates(&runs, &mut report);
    let mut notifications = report.finish();
    crate::target::notes::retarget(&mut notifications, &options.target);
    Ok(Sharded {
        runs,
        notifications,
    })
}

/// What [`pipeline`] does to the emitted objects after the emitter, per object.
fn finish_objects(
    ir: &Ir,
    objects: &mut Vec<crate::gwapi::GatewayObject>,
    options: &TranslateOptions,
    report: &mut Report,
) {
    crate::emit::profile::apply(objects, options, report);
    crate::emit::carried::apply(ir, objects, report);
    crate::emit::regex_dialect::apply(objects, options.regex_dialect, report);
    crate::validate::check_emitted(objects, options, report);
}

/// A Gateway's facts from one more shard: hosts are never in two shards, so
/// the maps by hostname only gain entries.
fn merge_gateway(gateways: &mut BTreeMap<GatewayId, Gateway>, id: GatewayId, gw: Gateway) {
    match gateways.get_mut(&id) {
        None => {
            gateways.insert(id, gw);
        }
        Some(into) => {
            for (k, v) in gw.https {
                into.https.entry(k).or_insert(v);
            }
            for (k, v) in gw.passthrough {
                into.passthrough.entry(k).or_insert(v);
            }
            for (k, v) in gw.client_validation {
                into.client_validation.entry(k).or_insert(v);
            }
        }
    }
}

/// The emitter's `refuse_duplicates` over every run: one notification per
/// identity generated more than once (only the first is written).
fn refuse_duplicates(runs: &[Run], report: &mut Report) {
    let mut last: Option<(&runs::Key, &str)> = None;
    let mut count = 0;
    let flush = |last: Option<(&runs::Key, &str)>, count: usize, report: &mut Report| {
        if let Some(((_, ns, name), kind)) = last
            && count > 1
        {
            report.push(standard::duplicate_notification(kind, ns, name, count));
        }
    };
    for (key, kind, _) in Merged::new(runs) {
        if last.is_some_and(|(k, _)| k == key) {
            count += 1;
            continue;
        }
        flush(last, count, report);
        last = Some((key, kind));
        count = 1;
    }
    flush(last, count, report);
}
