//! Offline behavioural equivalence: an executable model of ingress-nginx request
//! handling and one of Gateway API HTTPRoute matching, run on the same probes.
//!
//! `request` holds the vocabulary both models share: a [`Probe`] goes in, an
//! [`Outcome`] comes out, and two outcomes are compared with `==`.
//!
//! [`Probe`]: request::Probe
//! [`Outcome`]: request::Outcome

pub mod gateway_model;
pub mod request;
