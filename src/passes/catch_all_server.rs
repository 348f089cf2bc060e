//! The controller's own catch-all server.
//!
//! ## What ingress-nginx does
//! Requests for a host without a server of its own reach the `_` server, which
//! besides the default backend has a built-in `location /healthz { return 200; }`
//! — a plain prefix location, so `/healthz`, `/healthz/x` and `/healthzfoo` answer
//! 200 for any unknown host (load balancer health checks often rely on it).
//!
//! ## What Gateway API offers
//! Nothing built in: a Gateway answers 404 when no route matches.
//!
//! ## What we emit / warn
//! Nothing is emitted (the endpoint belongs to the controller, not to an
//! Ingress); one **info** per run whose field is the path, so `ing2gw verify`
//! can attribute the differing requests to it. Info, not warning: no Ingress of
//! the user is translated differently, and it only matters if something (a load
//! balancer, an uptime check) calls `/healthz` on a host without an Ingress —
//! a warning raised on every run made `--fail-on warning` unusable.

use super::{Pass, PassContext};
use crate::ir::Ir;
use crate::report::{Code, Notification, Report};

pub const CATCH_ALL_HEALTHZ: Code = Code("catch-all-healthz");

/// The path prefix the catch-all server answers itself.
pub const HEALTHZ: &str = "/healthz";

pub struct CatchAllServer;

impl Pass for CatchAllServer {
    fn name(&self) -> &'static str {
        "catch-all-server"
    }
    fn run(&self, cx: &PassContext, _ir: &mut Ir, report: &mut Report) {
        if cx.ingresses.is_empty() {
            return;
        }
        report.push(
            Notification::info(
                CATCH_ALL_HEALTHZ,
                "ingress-nginx's catch-all server answers 200 to `/healthz` (and every path starting with it) for hosts without an Ingress rule; the Gateway answers 404",
            )
            .field(HEALTHZ)
            .suggest("if load balancer or uptime checks call /healthz on the ingress address, point them at a route of your own (e.g. an HTTPRoute with an Exact /healthz match) or at your implementation's health endpoint"),
        );
    }
}
