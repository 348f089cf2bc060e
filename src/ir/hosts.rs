//! The virtual hosts of the IR and the index of their rules by source Ingress.
//!
//! Passes apply an Ingress's annotations to the rules that Ingress produced.
//! Finding those rules by scanning every host made translation quadratic (each
//! of N Ingresses scanned all N·k rules: 44 s for 10,000 Ingresses). The index
//! maps each Ingress to the hosts it owns or has rules in, so a lookup costs the
//! size of those hosts only.
//!
//! The index is kept by the only two ways rules and hosts enter the IR,
//! [`Hosts::push_rule`] and [`Hosts::insert`] (and [`Hosts::get_or_insert_with`]
//! for a host's owner): [`Rules`] has no way to add a rule, so no pass can
//! bypass it. Removing or reordering rules keeps it valid, since it may name a
//! host where the Ingress no longer has rules (lookups filter by object), but
//! never misses one.

use super::{HostId, Rule, VirtualHost};
use crate::report::ObjectRef;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::{Deref, DerefMut};

/// Every virtual host by id, and which hosts each source Ingress touches.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    map: BTreeMap<HostId, VirtualHost>,
    /// Hosts that an Ingress owns or has (or had) a rule in: a superset, never
    /// missing one. `BTreeSet` so lookups visit hosts in id order, like a scan.
    by_object: HashMap<ObjectRef, BTreeSet<HostId>>,
}

/// Where a rule is: its host and its position in the host's rules. Valid until
/// the host's rules are removed or reordered.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleAt {
    pub host: HostId,
    pub index: usize,
}

impl Hosts {
    pub fn get(&self, id: &HostId) -> Option<&VirtualHost> {
        self.map.get(id)
    }
    pub fn get_mut(&mut self, id: &HostId) -> Option<&mut VirtualHost> {
        self.map.get_mut(id)
    }
    pub fn contains_key(&self, id: &HostId) -> bool {
        self.map.contains_key(id)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Hosts in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &VirtualHost> + ExactSizeIterator {
        self.map.values()
    }
    /// Hosts in id order, mutably (their rules can be edited, removed or
    /// reordered, not added: see [`Hosts::push_rule`]).
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut VirtualHost> + ExactSizeIterator {
        self.map.values_mut()
    }
    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&HostId, &VirtualHost)> + ExactSizeIterator {
        self.map.iter()
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &HostId> + ExactSizeIterator {
        self.map.keys()
    }
    /// Hosts in id order, by value: the index goes first, each host when the
    /// iteration moves past it (an emitter that is done with the IR frees it
    /// host by host).
    pub fn into_values(self) -> impl Iterator<Item = VirtualHost> {
        drop(self.by_object);
        self.map.into_values()
    }

    /// The host `id`, created by `new` (and indexed under its owner) if missing.
    pub fn get_or_insert_with(
        &mut self,
        id: &HostId,
        new: impl FnOnce() -> VirtualHost,
    ) -> &mut VirtualHost {
        let Hosts { map, by_object } = self;
        map.entry(id.clone()).or_insert_with(|| {
            let host = new();
            debug_assert_eq!(&host.id, id, "a host is stored under its own id");
            note(by_object, &host.owner, id);
            host
        })
    }

    /// Adds (or replaces) a host with its rules, indexing its owner and every
    /// rule's Ingress.
    pub fn insert(&mut self, host: VirtualHost) {
        note(&mut self.by_object, &host.owner, &host.id);
        for obj in host.rules.iter().filter_map(|r| r.from.object.as_ref()) {
            note(&mut self.by_object, obj, &host.id);
        }
        self.map.insert(host.id.clone(), host);
    }

    /// Appends `rule` to host `id` (false when there is no such host).
    pub fn push_rule(&mut self, id: &HostId, rule: Rule) -> bool {
        let Some(host) = self.map.get_mut(id) else {
            return false;
        };
        if let Some(obj) = &rule.from.object {
            note(&mut self.by_object, obj, id);
        }
        host.rules.0.push(rule);
        true
    }

    /// Hosts `obj` owns or has rules in (possibly some where it no longer has
    /// any), in id order.
    pub fn of_object<'a>(&'a self, obj: &ObjectRef) -> impl Iterator<Item = &'a VirtualHost> + 'a {
        self.by_object
            .get(obj)
            .into_iter()
            .flatten()
            .filter_map(|id| self.map.get(id))
    }

    /// The rules generated from `obj`, in host id order then rule order: what a
    /// scan of every host's rules for `obj` finds.
    pub fn rules_of(&self, obj: &ObjectRef) -> Vec<RuleAt> {
        self.of_object(obj)
            .flat_map(|h| {
                h.rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.from.object.as_ref() == Some(obj))
                    .map(|(index, _)| RuleAt {
                        host: h.id.clone(),
                        index,
                    })
            })
            .collect()
    }

    /// The rule at `at`, if the host still has it.
    pub fn rule(&self, at: &RuleAt) -> Option<&Rule> {
        self.map.get(&at.host)?.rules.0.get(at.index)
    }

    /// The rule at `at`, if the host still has it.
    pub fn rule_mut(&mut self, at: &RuleAt) -> Option<&mut Rule> {
        self.map.get_mut(&at.host)?.rules.0.get_mut(at.index)
    }
}

/// Records that `obj` touches host `id` (cloning keys only the first time).
fn note(by_object: &mut HashMap<ObjectRef, BTreeSet<HostId>>, obj: &ObjectRef, id: &HostId) {
    match by_object.get_mut(obj) {
        Some(ids) => {
            if !ids.contains(id) {
                ids.insert(id.clone());
            }
        }
        None => {
            by_object.insert(obj.clone(), BTreeSet::from([id.clone()]));
        }
    }
}

impl<'a> IntoIterator for &'a Hosts {
    type Item = (&'a HostId, &'a VirtualHost);
    type IntoIter = std::collections::btree_map::Iter<'a, HostId, VirtualHost>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

/// A host's rules in ingress-nginx order. Rules can be read, edited, removed
/// and reordered here; they are added only through [`Hosts::push_rule`] (or
/// with a new host, [`Hosts::insert`]), which keeps the index by Ingress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules(Vec<Rule>);

impl Rules {
    /// Rules for a host about to be [`Hosts::insert`]ed.
    pub fn new(rules: Vec<Rule>) -> Self {
        Rules(rules)
    }
    pub fn retain(&mut self, f: impl FnMut(&Rule) -> bool) {
        self.0.retain(f);
    }
    pub fn remove(&mut self, index: usize) -> Option<Rule> {
        (index < self.0.len()).then(|| self.0.remove(index))
    }
    /// Rebuilds the rules from the current ones: for reordering, and for
    /// splitting a rule into variants of itself (same source Ingress). A rule
    /// from an Ingress not already in this host would escape the index, so
    /// debug builds check that none appears.
    pub fn rebuild(&mut self, f: impl FnOnce(Vec<Rule>) -> Vec<Rule>) {
        let before = std::mem::take(&mut self.0);
        #[cfg(debug_assertions)]
        let objects: BTreeSet<ObjectRef> = before
            .iter()
            .filter_map(|r| r.from.object.clone())
            .collect();
        self.0 = f(before);
        #[cfg(debug_assertions)]
        debug_assert!(
            self.0
                .iter()
                .filter_map(|r| r.from.object.as_ref())
                .all(|o| objects.contains(o)),
            "Rules::rebuild added a rule from another Ingress; use Hosts::push_rule"
        );
    }
}

impl Deref for Rules {
    type Target = [Rule];
    fn deref(&self) -> &[Rule] {
        &self.0
    }
}

impl DerefMut for Rules {
    fn deref_mut(&mut self) -> &mut [Rule] {
        &mut self.0
    }
}

impl<'a> IntoIterator for &'a Rules {
    type Item = &'a Rule;
    type IntoIter = std::slice::Iter<'a, Rule>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Rules {
    type Item = &'a mut Rule;
    type IntoIter = std::slice::IterMut<'a, Rule>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Action, GatewayId, HostKey, ImplicitRoot, PathMatch, Provenance, SourcePath, SourcePathType,
    };

    fn ingress(name: &str) -> ObjectRef {
        ObjectRef::new("Ingress", Some("ns"), name)
    }

    fn id(host: &str) -> HostId {
        HostId {
            gateway: GatewayId {
                namespace: "gw".into(),
                name: "nginx".into(),
            },
            host: HostKey::Named(host.into()),
        }
    }

    fn host(name: &str, owner: &ObjectRef) -> VirtualHost {
        VirtualHost {
            id: id(name),
            owner: owner.clone(),
            rules: Rules::default(),
            tls: None,
            regex_mode: None,
            implicit_root: ImplicitRoot {
                backend: None,
                https_redirect: None,
                from: Provenance::object(owner),
            },
        }
    }

    fn rule(from: &ObjectRef, path: &str) -> Rule {
        Rule::new(
            "ns",
            format!("{}-{path}", from.name),
            PathMatch::Prefix(path.into()),
            SourcePath::new(path, SourcePathType::Prefix),
            Action::Forward(Vec::new()),
            Provenance::object(from),
        )
    }

    fn paths(hosts: &Hosts, at: &[RuleAt]) -> Vec<String> {
        at.iter()
            .filter_map(|a| hosts.rule(a))
            .map(|r| r.source_path.path.clone())
            .collect()
    }

    #[test]
    fn rules_of_an_ingress_are_found_in_host_then_rule_order() {
        let (a, b) = (ingress("a"), ingress("b"));
        let mut hosts = Hosts::default();
        for name in ["z.example.com", "m.example.com"] {
            hosts.get_or_insert_with(&id(name), || host(name, &a));
        }
        hosts.push_rule(&id("z.example.com"), rule(&a, "/z1"));
        hosts.push_rule(&id("z.example.com"), rule(&b, "/zb"));
        hosts.push_rule(&id("m.example.com"), rule(&b, "/mb"));
        hosts.push_rule(&id("z.example.com"), rule(&a, "/z2"));
        hosts.push_rule(&id("m.example.com"), rule(&a, "/m1"));
        assert_eq!(
            paths(&hosts, &hosts.rules_of(&a)),
            ["/m1", "/z1", "/z2"],
            "hosts in id order (m before z), rules in insertion order"
        );
        assert_eq!(paths(&hosts, &hosts.rules_of(&b)), ["/mb", "/zb"]);
        assert!(hosts.rules_of(&ingress("nobody")).is_empty());
        // Pushing to a missing host adds nothing and indexes nothing.
        assert!(!hosts.push_rule(&id("missing.example.com"), rule(&b, "/x")));
        assert_eq!(hosts.of_object(&b).count(), 2);
    }

    #[test]
    fn the_index_agrees_with_a_scan_of_every_rule() {
        let ingresses: Vec<ObjectRef> = (0..7).map(|i| ingress(&format!("i{i}"))).collect();
        let mut hosts = Hosts::default();
        // Hosts created and filled in a scrambled order; removals and a rebuild after.
        for step in 0..60usize {
            let owner = &ingresses[step * 3 % ingresses.len()];
            let name = format!("h{}.example.com", step * 7 % 11);
            hosts.get_or_insert_with(&id(&name), || host(&name, owner));
            let from = &ingresses[step * 5 % ingresses.len()];
            hosts.push_rule(&id(&name), rule(from, &format!("/p{step}")));
        }
        if let Some(h) = hosts.get_mut(&id("h3.example.com")) {
            h.rules.retain(|r| r.source_path.path != "/p2");
            h.rules.remove(0);
            h.rules.rebuild(|mut rules| {
                rules.reverse();
                rules
            });
        }
        let mut copy = host("alias.example.com", &ingresses[0]);
        copy.rules = Rules::new(vec![rule(&ingresses[6], "/copied")]);
        hosts.insert(copy);
        for obj in &ingresses {
            let scanned: Vec<RuleAt> = hosts
                .values()
                .flat_map(|h| {
                    h.rules
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.from.object.as_ref() == Some(obj))
                        .map(|(index, _)| RuleAt {
                            host: h.id.clone(),
                            index,
                        })
                })
                .collect();
            assert_eq!(hosts.rules_of(obj), scanned, "{obj}");
            // Every owned host is reachable through the index too.
            for h in hosts.values().filter(|h| &h.owner == obj) {
                assert!(
                    hosts.of_object(obj).any(|x| x.id == h.id),
                    "{obj} owns {}",
                    h.id.host
                );
            }
        }
    }

    #[test]
    fn lookups_do_not_depend_on_insertion_order() {
        let (a, b) = (ingress("a"), ingress("b"));
        let build = |order: &[usize]| {
            let mut hosts = Hosts::default();
            let names = ["x.example.com", "c.example.com", "q.example.com"];
            for &i in order {
                hosts.get_or_insert_with(&id(names[i]), || host(names[i], &a));
                hosts.push_rule(&id(names[i]), rule(&a, &format!("/{i}")));
                hosts.push_rule(&id(names[i]), rule(&b, &format!("/b{i}")));
            }
            (
                paths(&hosts, &hosts.rules_of(&a)),
                paths(&hosts, &hosts.rules_of(&b)),
            )
        };
        let first = build(&[0, 1, 2]);
        for order in [[2, 1, 0], [1, 0, 2], [0, 2, 1]] {
            assert_eq!(build(&order), first);
        }
        assert_eq!(first.0, ["/1", "/2", "/0"], "c, q, x: host id order");
    }
}
