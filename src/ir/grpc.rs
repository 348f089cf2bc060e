//! How an ingress-nginx path on a gRPC location maps to a GRPCRoute method match.

use super::PathMatch;

/// A gRPC service and optional method (`/pkg.Service/Method`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcMethod {
    pub service: String,
    pub method: Option<String>,
}

fn valid_service(s: &str) -> bool {
    let s = s.strip_prefix('.').unwrap_or(s);
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut b = part.bytes();
            b.next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
                && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
        })
}

fn valid_method(m: &str) -> bool {
    let mut b = m.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// `Some(None)`: every method (path `/`); `Some(Some(m))`: one service or method;
/// `None`: the path has no GRPCRoute equivalent.
pub fn grpc_method(path: &PathMatch) -> Option<Option<GrpcMethod>> {
    match path {
        PathMatch::Prefix(p) if p == "/" => Some(None),
        PathMatch::Prefix(p) => {
            let svc = p.strip_prefix('/')?.trim_end_matches('/');
            valid_service(svc).then(|| {
                Some(GrpcMethod {
                    service: svc.to_string(),
                    method: None,
                })
            })
        }
        PathMatch::Exact(p) => {
            let (svc, method) = p.strip_prefix('/')?.split_once('/')?;
            (valid_service(svc) && valid_method(method)).then(|| {
                Some(GrpcMethod {
                    service: svc.to_string(),
                    method: Some(method.to_string()),
                })
            })
        }
        PathMatch::Regex(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_to_methods() {
        assert_eq!(grpc_method(&PathMatch::Prefix("/".into())), Some(None));
        assert_eq!(
            grpc_method(&PathMatch::Prefix("/helloworld.Greeter/".into())),
            Some(Some(GrpcMethod {
                service: "helloworld.Greeter".into(),
                method: None
            }))
        );
        assert_eq!(
            grpc_method(&PathMatch::Exact("/helloworld.Greeter/SayHello".into())),
            Some(Some(GrpcMethod {
                service: "helloworld.Greeter".into(),
                method: Some("SayHello".into())
            }))
        );
        assert_eq!(grpc_method(&PathMatch::Prefix("/api/v1".into())), None);
        assert_eq!(grpc_method(&PathMatch::Regex("/x.*".into())), None);
    }
}
