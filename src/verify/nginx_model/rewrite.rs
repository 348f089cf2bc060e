//! `rewrite "(?i)<path>" <target> break;` (reference §2.8): the whole normalised
//! URI is replaced by the target with `$1`…`$9` from the path regex's groups (nginx
//! has no `$0`: it rejects the configuration as an unknown variable); the
//! query string is kept; the URI sent upstream is re-escaped.

use super::pcre::Pcre;

/// Applies the rewrite to the normalised `uri`: `Ok(None)` when the regex does not
/// match (nginx then leaves the URI untouched), `Err` when not modelled.
pub fn apply(re: &Pcre, target: &str, uri: &str) -> Result<Option<String>, String> {
    if target.starts_with("http://") || target.starts_with("https://") || !target.starts_with('/') {
        return Err(format!(
            "rewrite-target `{target}` is not a local path (nginx redirects or builds an odd URI)"
        ));
    }
    let Some(caps) = re.captures(uri)? else {
        return Ok(None);
    };
    let mut out = String::new();
    let mut chars = target.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek().and_then(|d| d.to_digit(10)).filter(|&n| n > 0) {
            Some(n) => {
                chars.next();
                if let Some(Some(m)) = caps.get(n as usize) {
                    out.push_str(m);
                }
            }
            None => {
                return Err(format!("rewrite-target `{target}` uses an nginx variable"));
            }
        }
    }
    if out.is_empty() {
        return Err("rewrite produces an empty URI".into());
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_uri_with_captures() {
        let re = Pcre::new("/something(/|$)(.*)", true);
        assert_eq!(
            apply(&re, "/$2", "/something").unwrap().as_deref(),
            Some("/")
        );
        assert_eq!(
            apply(&re, "/$2", "/SOMETHING/new").unwrap().as_deref(),
            Some("/new")
        );
        let x = Pcre::new("/x", true);
        assert_eq!(
            apply(&x, "/new", "/xyz/anything").unwrap().as_deref(),
            Some("/new")
        );
        assert!(apply(&x, "/$host", "/x").is_err());
    }
}
