//! Annotations of other controllers that ing2gw carries to the generated objects
//! (cert-manager, external-dns): listed by `ing2gw annotations` after the
//! ingress-nginx catalog. The passes are `crate::passes::cert_manager` and
//! `crate::passes::external_dns`; the cert-manager rows come from the pass's own
//! key list so the two cannot drift apart.

use crate::passes::cert_manager::GATEWAY_KEYS;
use std::fmt::Write;

/// One row: the annotation (or pattern), the tool, where it goes, and a note.
pub struct CarriedRow {
    pub key: String,
    pub tool: &'static str,
    pub carried_to: &'static str,
    pub note: &'static str,
}

/// Every row, cert-manager first.
pub fn rows() -> Vec<CarriedRow> {
    let mut out: Vec<CarriedRow> = GATEWAY_KEYS
        .iter()
        .map(|k| CarriedRow {
            key: format!("cert-manager.io/{k}"),
            tool: "cert-manager",
            carried_to: "Gateway",
            note: match *k {
                "issuer" => "the Issuer must be in the Gateway's namespace (warned otherwise)",
                "cluster-issuer" => {
                    "one issuer per Gateway: conflicting Ingresses are warned, the first wins"
                }
                _ => "read by cert-manager's gateway-shim for the listener Certificates",
            },
        })
        .collect();
    out.extend([
        CarriedRow {
            key: "acme.cert-manager.io/*, kubernetes.io/tls-acme, other cert-manager.io/*".into(),
            tool: "cert-manager",
            carried_to: "not carried",
            note: "no Gateway equivalent (warning); HTTP-01 for Gateways is set on the Issuer",
        },
        CarriedRow {
            key: "external-dns.alpha.kubernetes.io/target".into(),
            tool: "external-dns",
            carried_to: "Gateway",
            note: "the Gateway API sources read target on the Gateway only; conflicts warned",
        },
        CarriedRow {
            key: "external-dns.alpha.kubernetes.io/internal-hostname".into(),
            tool: "external-dns",
            carried_to: "not carried",
            note: "not read by the Gateway API sources (warning)",
        },
        CarriedRow {
            key: "external-dns.alpha.kubernetes.io/* (hostname, ttl, controller, provider-specific)".into(),
            tool: "external-dns",
            carried_to: "routes",
            note: "on every route generated from the Ingress; also the external-dns.kubernetes.io/ prefix",
        },
    ]);
    out
}

/// The section appended to the terminal table.
pub fn table_section() -> String {
    let mut out = String::from("\nAnnotations of other controllers, carried to the output:\n");
    for r in rows() {
        let _ = writeln!(
            out,
            "  {} [{}] → {}: {}",
            r.key, r.tool, r.carried_to, r.note
        );
    }
    out
}

/// The section appended to `docs/annotations.md`.
pub fn markdown_section() -> String {
    let mut out = String::from(
        "\n## Annotations of other controllers\n\nCarried from the Ingresses to the objects those controllers read for Gateway API (see docs/cutover.md).\n\n| Annotation | Tool | Carried to | Note |\n|---|---|---|---|\n",
    );
    for r in rows() {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            r.key, r.tool, r.carried_to, r.note
        );
    }
    out
}
