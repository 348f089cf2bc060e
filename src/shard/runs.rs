//! The serialised output of a sharded run: each shard's objects as YAML text,
//! sorted, merged into print order only when written.

use crate::gwapi::{GatewayObject, ParentReference};
use crate::ir::GatewayId;
use serde::Serialize;
use std::collections::{BTreeMap, BinaryHeap};
use std::ops::Range;

/// Print order: kind rank, namespace, name ([`crate::emit::sort_objects`]).
pub type Key = (u8, String, String);

/// Which HTTPS host each provisional parent stands for.
pub type Provisional = BTreeMap<ParentReference, (GatewayId, String)>;

/// The final parent of every HTTPS host.
pub type Parents = BTreeMap<(GatewayId, String), ParentReference>;

/// One shard's objects (or the run-wide ones), serialised and sorted.
#[derive(Default)]
pub struct Run {
    entries: Vec<Entry>,
    text: String,
}

struct Entry {
    key: Key,
    kind: String,
    range: Range<usize>,
    /// A route whose HTTPS parents are provisional: its parents as emitted.
    pending: Option<Vec<ParentReference>>,
    /// The text once a provisional parent turned out to be a ListenerSet's.
    replaced: Option<String>,
}

impl Run {
    /// Serialises `objects` (on every core), noting the routes attached to a
    /// parent of `provisional`.
    pub fn new(objects: Vec<GatewayObject>, provisional: &Provisional) -> Result<Run, String> {
        use rayon::prelude::*;
        type Doc = (Key, String, String, Option<Vec<ParentReference>>);
        let docs: Vec<Result<Doc, String>> = objects
            .par_iter()
            .map(|o| {
                let (kind, namespace, name) = o.identity();
                let key = (o.kind_rank(), namespace, name);
                let pending = parents_of(o)
                    .filter(|ps| ps.iter().any(|p| provisional.contains_key(p)))
                    .map(<[ParentReference]>::to_vec);
                let text = crate::output::object_yaml(o)?;
                Ok((key, kind, text, pending))
            })
            .collect();
        let mut run = Run::default();
        for doc in docs {
            let (key, kind, text, pending) = doc?;
            let start = run.text.len();
            run.text.push_str(&text);
            run.entries.push(Entry {
                key,
                kind,
                range: start..run.text.len(),
                pending,
                replaced: None,
            });
        }
        // Stable: equal keys keep emission order, as the whole run's sort does.
        run.entries.sort_by(|a, b| a.key.cmp(&b.key));
        run.text.shrink_to_fit();
        Ok(run)
    }

    /// Gives the routes on a provisional parent their final one.
    pub fn resolve(&mut self, provisional: &Provisional, parents: &Parents) -> Result<(), String> {
        for e in &mut self.entries {
            let Some(old) = e.pending.take() else {
                continue;
            };
            let new: Vec<ParentReference> = old
                .iter()
                .map(|p| {
                    provisional
                        .get(p)
                        .and_then(|host| parents.get(host))
                        .unwrap_or(p)
                        .clone()
                })
                .collect();
            if new == old {
                continue;
            }
            let doc = self.text.get(e.range.clone()).unwrap_or_default();
            e.replaced = Some(splice_parents(doc, &old, &new)?);
        }
        Ok(())
    }

    fn doc(&self, i: usize) -> Option<(&Key, &str, &str)> {
        let e = self.entries.get(i)?;
        let text = match &e.replaced {
            Some(t) => t.as_str(),
            None => self.text.get(e.range.clone())?,
        };
        Some((&e.key, &e.kind, text))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parents_of(o: &GatewayObject) -> Option<&[ParentReference]> {
    match o {
        GatewayObject::HttpRoute(r) => Some(&r.spec.parent_refs),
        GatewayObject::GrpcRoute(r) => Some(&r.spec.parent_refs),
        _ => None,
    }
}

#[derive(Serialize)]
struct SpecOf<'a> {
    spec: ParentsOf<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ParentsOf<'a> {
    parent_refs: &'a [ParentReference],
}

/// `doc` (a route's YAML) with its `spec.parentRefs` block `old` replaced by
/// `new`, written as the serialiser writes it in place (`parentRefs` is the
/// first key of a route's spec, and a block nested the same way is written the
/// same way). When the block is not found verbatim the route is read back,
/// changed and written again.
pub fn splice_parents(
    doc: &str,
    old: &[ParentReference],
    new: &[ParentReference],
) -> Result<String, String> {
    let block = |parents| {
        serde_saphyr::to_string(&SpecOf {
            spec: ParentsOf {
                parent_refs: parents,
            },
        })
        .map_err(|e| e.to_string())
    };
    let (old_text, new_text) = (block(old)?, block(new)?);
    if let Some(at) = doc.find(&format!("\n{old_text}")) {
        let mut out = String::with_capacity(doc.len() + new_text.len());
        out.push_str(&doc[..=at]);
        out.push_str(&new_text);
        out.push_str(&doc[at + 1 + old_text.len()..]);
        return Ok(out);
    }
    let read = |e: serde_saphyr::Error| format!("a generated route does not read back: {e}");
    let object = if doc.starts_with("apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n") {
        let mut r: crate::gwapi::GrpcRoute = serde_saphyr::from_str(doc).map_err(read)?;
        r.spec.parent_refs = new.to_vec();
        GatewayObject::GrpcRoute(r)
    } else {
        let mut r: crate::gwapi::HttpRoute = serde_saphyr::from_str(doc).map_err(read)?;
        r.spec.parent_refs = new.to_vec();
        GatewayObject::HttpRoute(r)
    };
    crate::output::object_yaml(&object)
}

/// Every object of `runs` in print order; of equal keys, the first run's (the
/// run-wide objects come first). Each item: the run, the entry's key and text.
pub struct Merged<'a> {
    runs: &'a [Run],
    next: Vec<usize>,
    heap: BinaryHeap<std::cmp::Reverse<(&'a Key, usize)>>,
}

impl<'a> Merged<'a> {
    pub fn new(runs: &'a [Run]) -> Self {
        let mut heap = BinaryHeap::new();
        for (r, run) in runs.iter().enumerate() {
            if let Some(e) = run.entries.first() {
                heap.push(std::cmp::Reverse((&e.key, r)));
            }
        }
        Merged {
            runs,
            next: vec![0; runs.len()],
            heap,
        }
    }
}

impl<'a> Iterator for Merged<'a> {
    /// Key, kind, YAML text.
    type Item = (&'a Key, &'a str, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        let std::cmp::Reverse((_, r)) = self.heap.pop()?;
        let run = self.runs.get(r)?;
        let i = *self.next.get(r)?;
        if let Some(n) = self.next.get_mut(r) {
            *n += 1;
        }
        if let Some(e) = run.entries.get(i + 1) {
            self.heap.push(std::cmp::Reverse((&e.key, r)));
        }
        run.doc(i)
    }
}
