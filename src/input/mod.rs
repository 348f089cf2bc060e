//! Reading and decoding input: files, folders, stdin (and, via `crate::cluster`,
//! a live cluster) into typed Kubernetes objects with their source positions.

mod decode;
mod documents;
mod locate;
mod objects;
mod read;
mod source;
mod v1beta1;
pub mod validate;

pub use decode::{
    EMPTY_NAMESPACE, SKIPPED_KINDS, UNKNOWN_API_VERSION, decode_documents, decode_values,
    skipped_kinds_notification,
};
pub use documents::{
    DocumentsRead, INPUT_ERROR, INVALID_OBJECT, NOT_KUBERNETES, TEMPLATE_SKIPPED,
    for_each_document, might_be_secret,
};
pub use objects::*;
pub use read::{ReadError, read_sources};
pub use source::*;
