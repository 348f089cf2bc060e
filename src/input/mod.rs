//! Reading and decoding input: files, folders, stdin (and, via `crate::cluster`,
//! a live cluster) into typed Kubernetes objects with their source positions.

mod decode;
mod documents;
mod duplicates;
mod limits;
mod locate;
mod objects;
mod read;
mod source;
mod token_index;
mod v1beta1;
pub mod validate;
mod walk;

pub use decode::{
    EMPTY_NAMESPACE, SKIPPED_KINDS, UNKNOWN_API_VERSION, decode_documents, decode_values,
    skipped_kinds_notification,
};
pub(crate) use documents::str_at;
pub use documents::{
    DocumentsRead, INPUT_ERROR, INVALID_OBJECT, NOT_KUBERNETES, TEMPLATE_SKIPPED,
    for_each_document, might_be_secret, yaml_options, yaml_stream_options,
};
pub use duplicates::{DUPLICATE_OBJECT, keep_last_applied};
pub(crate) use limits::number_and_unit;
pub use limits::{ByteSize, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_INPUT_SIZE, ReadLimits};
pub use objects::*;
pub use read::{
    FileProblem, INPUT_TOO_LARGE, NOT_UTF8, Problem, READ_CODES, ReadError, ReadOptions,
    ReadOutcome, SKIPPED_SYMLINK, SPECIAL_FILE, SpecialKind, UNREADABLE_FILE, read_inputs,
    read_sources,
};
pub use source::*;
pub use token_index::TokenIndex;
