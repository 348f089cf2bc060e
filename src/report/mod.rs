//! Notifications: what was translated, approximated or dropped, as data.
//!
//! Every pass reports through [`Report`]. A notification names its source object,
//! the annotation or field, the file span when the input came from a file, and a
//! suggestion. They render for people (miette, [`render`]) and as JSON (`--report`).

pub mod accept;
mod notification;
pub mod packed;
pub mod render;
pub mod sarif;

pub use notification::*;
