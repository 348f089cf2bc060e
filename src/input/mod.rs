//! Reading and decoding input: files, folders, stdin (and, via `crate::cluster`,
//! a live cluster) into typed Kubernetes objects with their source positions.

mod decode;
mod objects;
mod read;
mod source;
mod v1beta1;

pub use decode::{
    INPUT_ERROR, INVALID_OBJECT, SKIPPED_KINDS, decode_documents, decode_values, for_each_document,
    skipped_kinds_notification,
};
pub use objects::*;
pub use read::{ReadError, read_sources};
pub use source::*;
