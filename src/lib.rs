//! ing2gw: migrate Ingress-NGINX configuration to Gateway API.
//!
//! Pipeline: [`input`] (read and decode) → [`passes`] (one per ingress-nginx
//! behaviour or annotation family, filling the [`ir`]) → [`emit`] (Gateway API
//! objects) → [`output`] (YAML/JSON/files) and [`report`] (notifications).
//!
//! Manifests are untrusted input: outside tests nothing here may unwrap, expect
//! or panic (clippy enforces it); bad input becomes a notification or an error.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod catalog;
pub mod cli;
pub mod cluster;
pub mod diff;
pub mod emit;
pub mod gwapi;
pub mod input;
pub mod ir;
pub mod options;
pub mod output;
pub mod passes;
pub mod paths;
pub mod pipeline;
pub mod report;
pub mod scan;
pub mod selection;
pub mod shard;
pub mod target;
pub mod validate;
pub mod verify;
