//! Reading and decoding input: files, folders, stdin (and, via `crate::cluster`,
//! a live cluster) into typed Kubernetes objects with their source positions.

mod decode;
mod limits;
mod objects;
mod read;
mod source;
mod v1beta1;
mod walk;

pub use decode::{
    INPUT_ERROR, INVALID_OBJECT, SKIPPED_KINDS, decode_documents, decode_values, for_each_document,
    skipped_kinds_notification,
};
pub(crate) use limits::number_and_unit;
pub use limits::{ByteSize, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_INPUT_SIZE, ReadLimits};
pub use objects::*;
pub use read::{
    FileProblem, INPUT_TOO_LARGE, NOT_UTF8, Problem, READ_CODES, ReadError, ReadOptions,
    ReadOutcome, SKIPPED_SYMLINK, SPECIAL_FILE, SpecialKind, UNREADABLE_FILE, read_inputs,
    read_sources,
};
pub use source::*;
