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
//! emitters than the standard one, `--host-map`, Gateway API versions before
//! ListenerSets, and inputs with gRPC backends, client certificates or
//! wildcard CORS origins ([`partition::shards`]).

pub mod partition;
pub mod runs;

use crate::emit::standard::{self, StandardEmitter};
use crate::input::InputSet;
use crate::ir::{Gateway, GatewayId, Ir};
use crate::options::TranslateOptions;
use crate::passes::{self, PassContext};
use crate::pipeline;
use crate::report::packed::PackedNotes;
use crate::report::{Notification, Report};
use runs::{Merged, Provisional, Run};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Ingresses per shard: small enough that a shard's IR and objects are a
/// fraction of the input's size, large enough that the per-shard work (a pass
/// context, the emitter's setup) stays negligible.
pub const SHARD_INGRESSES: usize = 2_000;

/// mimalloc's `mi_option_purge_delay` (the enum of its v3 `mimalloc.h`, which
/// `libmimalloc-sys` does not name); checked by a test against its default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Asks the allocator to give freed memory back to the system after 10 ms
/// instead of a second: a sharded run frees each shard's input, IR and
/// objects, and the next shard reuses little of it, so the peak resident size
/// would otherwise follow what was allocated, not what is held. About 5% more
/// CPU time on the 100k estate, a fifth less peak (docs/performance.md).
pub fn purge_freed_memory_promptly() {
    // SAFETY: sets one integer option of the allocator; mimalloc reads options
    // atomically and allows changing them at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
}

/// The input size (bytes of all files) above which a run with shards of
/// `shard_ingresses` is sharded: 1 KiB per Ingress of a shard, 2 MB by
/// default. Below, the whole run is as small and a little faster (packing and
/// unpacking the input costs about a tenth of a second per megabyte); above, a
/// sharded run is faster too (realistic 10k estate, 6.8 MB: 1.35 s CPU against
/// 1.55 s, 85 MB peak against 139 MB).
pub fn pack_above(shard_ingresses: usize) -> u64 {
    (shard_ingresses as u64).saturating_mul(1024)
}

/// A sharded run's result: the serialised objects, and the notifications
/// still packed ([`Sharded::notifications`] once the objects are written).
pub struct Sharded {
    runs: Vec<Run>,
    /// The run-wide notifications.
    report: Report,
    /// Each shard's.
    packed: PackedNotes,
}

impl Sharded {
    /// Every notification of the run, sorted: after the objects are written,
    /// as their text is freed here before the notifications are unpacked.
    pub fn notifications(self, options: &TranslateOptions) -> Result<Vec<Notification>, String> {
        let Sharded {
            runs,
            mut report,
            packed,
        } = self;
        drop(runs);
        report.extend(packed.unpack()?);
        let mut notifications = report.finish();
        crate::target::notes::retarget(&mut notifications, &options.target);
        Ok(notifications)
    }
    /// Objects, as written (an identity generated twice counts once).
    pub fn len(&self) -> usize {
        let mut last = None;
        Merged::keys(&self.runs)
            .filter_map(Result::ok)
            .filter(|(key, _, _)| last.replace(*key) != Some(*key))
            .count()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The multi-document YAML of [`crate::output::yaml_chunks`], in pieces,
    /// each identity once (the first run's).
    pub fn yaml_chunks(&self) -> impl Iterator<Item = Result<String, String>> + '_ {
        let mut last: Option<&runs::Key> = None;
        let mut docs = Merged::new(&self.runs)
            .filter(move |doc| match doc {
                Ok((key, _, _)) => last.replace(*key) != Some(*key),
                Err(_) => true,
            })
            .peekable();
        std::iter::from_fn(move || {
            docs.peek()?;
            let mut out = String::new();
            for doc in docs.by_ref().take(512) {
                let (_, _, text) = match doc {
                    Ok(doc) => doc,
                    Err(e) => return Some(Err(e)),
                };
                out.push_str("---\n");
                out.push_str(&text);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Some(Ok(out))
        })
    }
}

/// Whether `options` allow a sharded run (the input may still not:
/// [`partition::shards`]).
pub fn eligible(options: &TranslateOptions) -> bool {
    use crate::target::Implementation;
    matches!(
        options.target.implementation,
        Implementation::Standard | Implementation::Istio
    ) && options.host_map.is_empty()
        // Routes get their ListenerSet parents after the profile rewrote
        // them: only the standard kind (Gateway API 1.5 on), which the profile
        // leaves as emitted.
        && options
            .gateway_api()
            .listener_set()
            .is_some_and(|k| k.kind == "ListenerSet" && k.group == crate::gwapi::GROUP)
}

/// [`pipeline::translate_owned`] shard by shard: `shards` from
/// [`partition::shards`], the options [`eligible`]. The input's Ingresses may
/// be packed ([`crate::input::InputIngress::pack`]): each shard unpacks its own,
/// screens them (class, hosts, what the controller rejects), translates them
/// and frees them.
pub fn translate(
    mut input: InputSet,
    shards: &[Vec<usize>],
    options: &TranslateOptions,
    mut report: Report,
) -> Result<Sharded, String> {
    if input.ingresses.is_empty() {
        report.push(pipeline::no_ingress());
    }
    let config = pipeline::controller_config(&input, options, &mut report);
    let model = passes::controller_validation::model(options, &config, &mut report);
    let namespaces = Arc::new(passes::namespaces_of(&input));
    let registry = passes::registry();
    let mut assumed = 0;
    let mut gateways: BTreeMap<GatewayId, Gateway> = BTreeMap::new();
    let mut carried_gateway = BTreeMap::new();
    let mut hostless = standard::HostlessFacts::default();
    let mut references = BTreeMap::new();
    let mut provisional = Provisional::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut packed = PackedNotes::default();
    for members in shards {
        // This shard's notifications, packed at its end.
        let mut shard_report = Report::default();
        for &i in members {
            if let Some(ing) = input.ingresses.get_mut(i) {
                ing.unpack()?;
            }
        }
        let mut ir = Ir::default();
        {
            // What the whole run does before its passes, for this shard:
            // every step is per Ingress, and the shard's order is the run's.
            let mine = members.iter().filter_map(|&i| input.ingresses.get(i));
            let (mut selected, n) =
                passes::class_selection::select_among(&input, mine, options, &mut shard_report);
            assumed += n;
            selected.sort_by(|a, b| passes::ingress_order::compare(a.0, b.0));
            let candidates: Vec<_> = selected.iter().map(|s| s.0).collect();
            let invalid_hosts = passes::hostnames::screen(&candidates, &mut shard_report);
            selected.retain(|(ing, _)| !invalid_hosts.contains(&ing.obj));
            let candidates: Vec<_> = selected.iter().map(|s| s.0).collect();
            let verdicts = passes::controller_validation::screen(
                &candidates,
                &input,
                options,
                &model,
                &mut shard_report,
            );
            selected.retain(|(ing, _)| !verdicts.rejected.contains(&ing.obj));
            if !selected.is_empty() {
                let (refs, classes) = selected.into_iter().unzip();
                let cx = PassContext::new(options, &input, refs, classes, config.clone(), verdicts)
                    .with_run_namespaces(namespaces.clone());
                passes::run_passes(&cx, &registry, &mut ir, &mut shard_report);
            }
        }
        // The decoded Ingresses of this shard are read no more.
        for &i in members {
            if let Some(ing) = input.ingresses.get_mut(i) {
                ing.ingress = crate::input::empty_ingress();
            }
        }
        let emission = StandardEmitter.emit_shard(&mut ir, options, &mut shard_report);
        let mut objects = emission.objects;
        hostless.merge(emission.hostless);
        provisional.extend(emission.provisional);
        finish_objects(&ir, &mut objects, options, &mut shard_report);
        crate::emit::grants::merge_references(
            &mut references,
            crate::emit::grants::references(&objects),
        );
        runs.push(Run::new(objects, &provisional)?);
        for (id, gw) in std::mem::take(&mut ir.gateways) {
            merge_gateway(&mut gateways, id, gw);
        }
        // The healthz note is decided once for the run (below).
        let (healthz, rest): (Vec<_>, Vec<_>) = shard_report
            .into_unsorted()
            .into_iter()
            .partition(|n| n.code == passes::catch_all_server::CATCH_ALL_HEALTHZ);
        report.extend(healthz);
        packed.add(rest)?;
        for (id, values) in std::mem::take(&mut ir.carried.gateway) {
            let on: &mut BTreeMap<_, _> = carried_gateway.entry(id).or_default();
            for (k, v) in values {
                on.entry(k).or_insert(v);
            }
        }
    }
    drop(input);
    if let Some(n) = passes::class_selection::assumed_note(options, assumed) {
        report.push(n);
    }
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
    Ok(Sharded {
        runs,
        report,
        packed,
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
    for (key, kind, _) in Merged::keys(runs).filter_map(Result::ok) {
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an option (mimalloc is linked, even when not the test
        // binary's global allocator).
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // v3's default purge delay (1 s): no other option defaults to it.
            assert_eq!(default, 1000);
        }
        super::purge_freed_memory_promptly();
        let now = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(now, 10);
    }
}
