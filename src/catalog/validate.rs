//! Value syntax of annotations, as ingress-nginx's `parser/validators.go` checks it
//! (reference §1.0 validator legend). Go RE2 patterns are rewritten without the
//! needless escapes Rust's `regex` would reject; the accepted sets are the same.

use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock};

/// A validator of the controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Validator {
    /// Go `strconv.ParseBool`.
    Bool,
    /// Go `strconv.Atoi`.
    Int,
    /// Comma-separated IPs or CIDRs.
    Cidrs,
    /// `BasicCharsRegex`.
    Basic,
    /// `ExtendedCharsRegex`.
    Ext,
    /// `CharsWithSpace`.
    Space,
    /// `URLIsValidRegex`.
    Url,
    /// `URLWithNginxVariableRegex`.
    UrlVar,
    /// `RegexPathWithCapture`.
    PathCap,
    /// `IsValidRegex`.
    Rx,
    /// `ValidateServerName`.
    SrvName,
    /// `ValidateArrayOfServerName`.
    SrvNameList,
    /// `SizeRegex`.
    Size,
    /// `NGINXVariable`.
    NgxVar,
    /// `HeadersVariable`.
    Hdrs,
    /// `ValidateNull`: anything.
    Null,
    /// `ValidateServiceName`: a DNS-1035 label.
    Svc,
    /// `CommonNameAnnotationValidator`.
    Cn,
    /// `ValidateOptions`: one of the listed values.
    Options {
        values: &'static [&'static str],
        case_sensitive: bool,
    },
    /// An annotation-specific regular expression.
    Regex(&'static str),
    /// The same, matched after deleting every space (`removeSpace=true`).
    RegexNoSpace(&'static str),
}

const BASIC: &str = r"^[/\-._~a-zA-Z0-9:]*$";
const EXT: &str = r"^[/\-._~a-zA-Z0-9:, ]*$";
const SPACE: &str = r"^[/\-._~a-zA-Z0-9: ]*$";
const URL: &str = r"^[\-._~a-zA-Z0-9/:,?&=]*$";
const URL_VAR: &str = r"^[\-._~a-zA-Z0-9/:, ?&=$]*$";
const PATH_CAP: &str = r"^/?[\-._~a-zA-Z0-9/:$]*$";
const RX: &str = r"^[/\-._~a-zA-Z0-9:^$\[\](){}*+?|&=\\]*$";
const SIZE: &str = r"(?i)^\d+[bkmg]?$";
const NGX_VAR: &str = r"^[A-Za-z0-9\-_${}]*$";
const HDRS: &str = r"^[A-Za-z0-9\-_, ]*$";
const SVC: &str = r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

impl Validator {
    /// True when ingress-nginx's validator accepts `value`. Empty values are never
    /// validated by the controller.
    pub fn accepts(&self, value: &str) -> bool {
        if value.is_empty() {
            return true;
        }
        let regex_ok =
            |pattern: &'static str, v: &str| !v.contains(['\r', '\n']) && matches(pattern, v);
        match self {
            Validator::Bool => crate::passes::parse_go_bool(value).is_some(),
            Validator::Int => value.parse::<i64>().is_ok(),
            Validator::Cidrs => value.split(',').all(|c| is_ip_or_cidr(c.trim())),
            Validator::Basic => regex_ok(BASIC, value),
            Validator::Ext => regex_ok(EXT, value),
            Validator::Space => regex_ok(SPACE, value),
            Validator::Url => regex_ok(URL, value),
            Validator::UrlVar => regex_ok(URL_VAR, value),
            Validator::PathCap => regex_ok(PATH_CAP, value),
            Validator::Rx => regex_ok(RX, value),
            Validator::SrvName => regex_ok(RX, value.trim()),
            Validator::SrvNameList => value.split(',').all(|s| regex_ok(RX, s.trim())),
            Validator::Size => regex_ok(SIZE, value),
            Validator::NgxVar => regex_ok(NGX_VAR, value),
            Validator::Hdrs => regex_ok(HDRS, value),
            Validator::Null => true,
            Validator::Svc => regex_ok(SVC, value),
            Validator::Cn => value
                .strip_prefix("CN=")
                .is_some_and(|rest| Regex::new(rest).is_ok()),
            Validator::Options {
                values,
                case_sensitive,
            } => values.iter().any(|o| {
                if *case_sensitive {
                    *o == value
                } else {
                    o.eq_ignore_ascii_case(value)
                }
            }),
            Validator::Regex(p) => regex_ok(p, value),
            Validator::RegexNoSpace(p) => regex_ok(p, &value.replace(' ', "")),
        }
    }

    /// Short human description of the accepted syntax.
    pub fn describe(&self) -> String {
        match self {
            Validator::Bool => "boolean".into(),
            Validator::Int => "integer".into(),
            Validator::Cidrs => "comma-separated IPs/CIDRs".into(),
            Validator::Basic => "name, ns/name or path (`[/-._~a-zA-Z0-9:]`)".into(),
            Validator::Ext => "`[/-._~a-zA-Z0-9:, ]`".into(),
            Validator::Space => "`[/-._~a-zA-Z0-9: ]`".into(),
            Validator::Url => "URL (no `$ % # + @ ; *`)".into(),
            Validator::UrlVar => "URL, nginx variables allowed".into(),
            Validator::PathCap => "path, `$1`… captures allowed".into(),
            Validator::Rx => "regular expression".into(),
            Validator::SrvName => "server name".into(),
            Validator::SrvNameList => "comma-separated server names".into(),
            Validator::Size => "size (`\\d+[bkmg]`)".into(),
            Validator::NgxVar => "nginx variable".into(),
            Validator::Hdrs => "comma-separated header names".into(),
            Validator::Null => "any text".into(),
            Validator::Svc => "Service name (same namespace)".into(),
            Validator::Cn => "`CN=<regex>`".into(),
            Validator::Options { values, .. } => format!("one of {}", values.join(", ")),
            Validator::Regex(p) | Validator::RegexNoSpace(p) => format!("`{p}`"),
        }
    }
}

fn is_ip_or_cidr(s: &str) -> bool {
    match s.split_once('/') {
        None => s.parse::<IpAddr>().is_ok(),
        Some((ip, len)) => match (ip.parse::<IpAddr>(), len.parse::<u8>()) {
            (Ok(IpAddr::V4(_)), Ok(l)) => l <= 32 && !len.starts_with('+'),
            (Ok(IpAddr::V6(_)), Ok(l)) => l <= 128 && !len.starts_with('+'),
            _ => false,
        },
    }
}

/// Compiled patterns, shared by every validation of the run.
fn matches(pattern: &'static str, value: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = match cache.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(pattern)
        .or_insert_with(|| Regex::new(pattern).ok())
        .as_ref()
        // A pattern that does not compile accepts everything: never reject input
        // because of our own mistake (a unit test compiles every pattern).
        .is_none_or(|re| re.is_match(value))
}

/// Every pattern of the catalog compiles (test helper).
pub fn pattern_compiles(v: &Validator) -> bool {
    let p = match v {
        Validator::Basic => BASIC,
        Validator::Ext => EXT,
        Validator::Space => SPACE,
        Validator::Url => URL,
        Validator::UrlVar => URL_VAR,
        Validator::PathCap => PATH_CAP,
        Validator::Rx | Validator::SrvName | Validator::SrvNameList => RX,
        Validator::Size => SIZE,
        Validator::NgxVar => NGX_VAR,
        Validator::Hdrs => HDRS,
        Validator::Svc => SVC,
        Validator::Regex(p) | Validator::RegexNoSpace(p) => p,
        _ => return true,
    };
    Regex::new(p).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ANNOTATIONS;

    #[test]
    fn every_catalog_pattern_compiles() {
        for a in ANNOTATIONS {
            assert!(pattern_compiles(&a.syntax), "{}: {:?}", a.name, a.syntax);
        }
    }

    #[test]
    fn validators_accept_and_reject_like_the_controller() {
        assert!(Validator::Bool.accepts("True"));
        assert!(!Validator::Bool.accepts("yes"));
        assert!(Validator::Int.accepts("-3"));
        assert!(!Validator::Int.accepts("3s"));
        assert!(Validator::Cidrs.accepts("10.0.0.0/8, 192.168.1.1,::1/128"));
        assert!(!Validator::Cidrs.accepts("10.0.0.0/33"));
        assert!(!Validator::Cidrs.accepts("10.0.0.0/8;"));
        assert!(Validator::Url.accepts("https://example.com/a?b=c"));
        assert!(!Validator::Url.accepts("https://example.com$request_uri"));
        assert!(Validator::UrlVar.accepts("https://auth.example.com/x?rd=$escaped_request_uri"));
        assert!(Validator::PathCap.accepts("/$1/$2"));
        assert!(!Validator::PathCap.accepts("/a b"));
        assert!(Validator::Size.accepts("10M"));
        assert!(!Validator::Size.accepts("10MB"));
        assert!(!Validator::Basic.accepts("a\nb"));
        assert!(Validator::Null.accepts("anything; at all"));
        assert!(Validator::Cn.accepts("CN=client.*"));
        assert!(!Validator::Cn.accepts("client"));
        assert!(!Validator::Svc.accepts("My_Service"));
        let opts = Validator::Options {
            values: &["cookie"],
            case_sensitive: true,
        };
        assert!(opts.accepts("cookie") && !opts.accepts("Cookie"));
        assert!(Validator::Hdrs.accepts("X-Auth, X-User"));
        assert!(Validator::Rx.accepts("^/api/(v1|v2)$"));
        assert!(
            Validator::Rx.accepts(""),
            "empty values are never validated"
        );
    }
}
