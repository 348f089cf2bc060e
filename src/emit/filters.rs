//! Filter list clean-up before a rule is written out.

use crate::gwapi;

/// Gateway API accepts each header modifier type at most once per rule (CEL
/// validation of HTTPRoute); several passes may contribute edits, so they are
/// merged in order into the first filter of each type. A later `set` of the same
/// header (names compare case-insensitively) replaces an earlier one.
pub fn merge_header_modifiers(filters: Vec<gwapi::HttpRouteFilter>) -> Vec<gwapi::HttpRouteFilter> {
    let mut out: Vec<gwapi::HttpRouteFilter> = Vec::with_capacity(filters.len());
    for f in filters {
        let existing = out.iter_mut().find(|o| o.filter_type == f.filter_type);
        match (f.filter_type.as_str(), existing) {
            ("RequestHeaderModifier", Some(o)) => {
                if let (Some(into), Some(from)) = (
                    o.request_header_modifier.as_mut(),
                    f.request_header_modifier,
                ) {
                    merge(into, *from);
                }
            }
            ("ResponseHeaderModifier", Some(o)) => {
                if let (Some(into), Some(from)) = (
                    o.response_header_modifier.as_mut(),
                    f.response_header_modifier,
                ) {
                    merge(into, *from);
                }
            }
            _ => out.push(f),
        }
    }
    out
}

fn merge(into: &mut gwapi::HeaderModifier, from: gwapi::HeaderModifier) {
    for h in from.set {
        into.set.retain(|e| !e.name.eq_ignore_ascii_case(&h.name));
        into.set.push(h);
    }
    into.add.extend(from.add);
    for r in from.remove {
        if !into.remove.iter().any(|e| e.eq_ignore_ascii_case(&r)) {
            into.remove.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(t: &str, set: &[(&str, &str)], remove: &[&str]) -> gwapi::HttpRouteFilter {
        let m = gwapi::HeaderModifier {
            set: set
                .iter()
                .map(|(n, v)| gwapi::HttpHeader {
                    name: n.to_string(),
                    value: v.to_string(),
                })
                .collect(),
            add: Vec::new(),
            remove: remove.iter().map(|s| s.to_string()).collect(),
        };
        gwapi::HttpRouteFilter {
            filter_type: t.into(),
            request_header_modifier: (t == "RequestHeaderModifier").then(|| Box::new(m.clone())),
            response_header_modifier: (t == "ResponseHeaderModifier").then_some(Box::new(m)),
            ..Default::default()
        }
    }

    #[test]
    fn one_modifier_per_type() {
        let merged = merge_header_modifiers(vec![
            filter("ResponseHeaderModifier", &[("X-A", "1")], &[]),
            filter("RequestHeaderModifier", &[("X-R", "1")], &[]),
            filter("ResponseHeaderModifier", &[("x-a", "2")], &["Server"]),
            filter("ResponseHeaderModifier", &[], &["server"]),
        ]);
        assert_eq!(merged.len(), 2);
        let resp = merged[0].response_header_modifier.as_ref().unwrap();
        assert_eq!(resp.set.len(), 1);
        assert_eq!(resp.set[0].value, "2");
        assert_eq!(resp.remove, vec!["Server"]);
        assert_eq!(merged[1].filter_type, "RequestHeaderModifier");
    }
}
