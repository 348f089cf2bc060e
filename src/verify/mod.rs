//! Offline behavioural equivalence: an executable model of ingress-nginx request
//! handling and one of Gateway API HTTPRoute matching, run on the same probes.
//!
//! `request` holds the vocabulary both models share: a [`Probe`] goes in, an
//! [`Outcome`] comes out, and two outcomes are compared with `==`.

pub mod nginx_conf;
pub mod nginx_model;
pub mod probes;
pub mod request;
