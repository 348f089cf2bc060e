//! Listeners and routes by hostname, so a probe looks at the ones that can
//! accept its host instead of all of them (verify handles every probe of every
//! host: a scan per probe made it quadratic in the number of hosts).

use std::collections::HashMap;

/// Positions of items (listeners or routes) by the hostnames they accept.
#[derive(Debug, Clone, Default)]
pub(super) struct HostIndex {
    /// Exact hostnames (lowercased) → positions, ascending.
    exact: HashMap<String, Vec<usize>>,
    /// Items that may accept hosts not listed in `exact`: wildcard hostnames, or
    /// none at all (every host). Ascending.
    other: Vec<usize>,
}

impl HostIndex {
    /// Indexes items by their hostnames (an empty list accepts every host).
    pub(super) fn new<'a, I, H>(items: I) -> Self
    where
        I: IntoIterator<Item = H>,
        H: IntoIterator<Item = &'a str>,
    {
        let mut index = HostIndex::default();
        for (position, hostnames) in items.into_iter().enumerate() {
            let mut any = false;
            let mut other = false;
            for h in hostnames {
                any = true;
                if h.starts_with('*') {
                    other = true;
                } else {
                    let list = index.exact.entry(h.to_ascii_lowercase()).or_default();
                    if list.last() != Some(&position) {
                        list.push(position);
                    }
                }
            }
            if other || !any {
                index.other.push(position);
            }
        }
        index
    }

    /// Positions of the items that may accept `host` (normalised), ascending: a
    /// superset of those that do, which the caller still checks.
    pub(super) fn candidates(&self, host: &str) -> Vec<usize> {
        let exact = self.exact.get(host).map(Vec::as_slice).unwrap_or_default();
        let mut out = Vec::with_capacity(exact.len() + self.other.len());
        let (mut a, mut b) = (exact.iter().peekable(), self.other.iter().peekable());
        // Merge of two ascending lists, without duplicates.
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x < y => a.next(),
                (Some(&&x), Some(&&y)) if x > y => b.next(),
                (Some(_), Some(_)) => {
                    a.next();
                    b.next()
                }
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            out.extend(next.copied());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_exact_matches_and_wildcards_in_order() {
        let items: Vec<Vec<&str>> = vec![
            vec!["a.example.com"],
            vec![],
            vec!["*.example.com", "b.example.com"],
            vec!["A.example.com", "a.example.com"],
            vec!["c.example.com"],
        ];
        let index = HostIndex::new(items.iter().map(|h| h.iter().copied()));
        assert_eq!(index.candidates("a.example.com"), vec![0, 1, 2, 3]);
        assert_eq!(index.candidates("b.example.com"), vec![1, 2]);
        assert_eq!(index.candidates("c.example.com"), vec![1, 2, 4]);
        assert_eq!(index.candidates("other.test"), vec![1, 2]);
    }
}
