use crate::input::SourceSpan;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How serious a notification is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A stable, machine-readable notification code such as `unhandled-annotation`.
///
/// Codes are constants defined next to the pass that raises them; they never
/// change meaning once released (CI scripts filter on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(pub &'static str);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Identity of a Kubernetes object: kind, namespace, name — shared by reference.
///
/// Every notification, IR provenance and policy fact names its object, and they
/// are copies of the one identity decoded with the Ingress: a reference-counted
/// handle makes each copy a pointer instead of three strings (issue 13, memory).
/// Reads go through `Deref`; a write copies first (`Arc::make_mut`). Serialised,
/// ordered and hashed as the data it points to.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef(Arc<ObjectRefData>);

impl From<ObjectRefData> for ObjectRef {
    fn from(data: ObjectRefData) -> Self {
        ObjectRef(Arc::new(data))
    }
}

impl std::ops::Deref for ObjectRef {
    type Target = ObjectRefData;
    fn deref(&self) -> &ObjectRefData {
        &self.0
    }
}

impl std::ops::DerefMut for ObjectRef {
    fn deref_mut(&mut self) -> &mut ObjectRefData {
        Arc::make_mut(&mut self.0)
    }
}

impl fmt::Debug for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for ObjectRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// The data of an [`ObjectRef`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRefData {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn new(kind: &str, namespace: Option<&str>, name: &str) -> Self {
        ObjectRef::from(ObjectRefData {
            kind: kind.to_string(),
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
        })
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// One structured notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// The annotation key or field path the notification is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<SourceSpan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Acknowledged by `--accept` or the accept file: listed, counted in the
    /// summary as accepted, but not for `--fail-on` (see [`super::accept`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
    /// The accept entry's reason, if it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_reason: Option<String>,
}

impl Notification {
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Notification {
            severity,
            code,
            message: message.into(),
            object: None,
            field: None,
            span: None,
            suggestion: None,
            accepted: false,
            accepted_reason: None,
        }
    }
    pub fn info(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }
    pub fn object(mut self, object: &ObjectRef) -> Self {
        self.object = Some(object.clone());
        self
    }
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
    pub fn span(mut self, span: Option<SourceSpan>) -> Self {
        self.span = span;
        self
    }
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// The order that makes the report independent of input order: object,
    /// field, severity (descending), code, message. Compared in place: cached
    /// keys cloned every notification's strings, a copy of the whole report at
    /// the run's memory peak (issue 13).
    fn order(&self, other: &Self) -> std::cmp::Ordering {
        self.object
            .cmp(&other.object)
            .then_with(|| self.field.cmp(&other.field))
            .then_with(|| other.severity.cmp(&self.severity))
            .then_with(|| self.code.cmp(&other.code))
            .then_with(|| self.message.cmp(&other.message))
    }
}

/// Collects notifications during a run.
#[derive(Debug, Default, Clone)]
pub struct Report {
    notes: Vec<Notification>,
}

impl Report {
    pub fn push(&mut self, n: Notification) {
        self.notes.push(n);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Notification>) {
        self.notes.extend(other);
    }
    /// Notifications sorted (object, field, severity desc, code, message) and deduplicated.
    pub fn finish(mut self) -> Vec<Notification> {
        // Stable, as the cached-key sort it replaces: equal keys keep push order.
        self.notes.sort_by(Notification::order);
        self.notes.dedup();
        self.notes
    }
    pub fn iter(&self) -> impl Iterator<Item = &Notification> {
        self.notes.iter()
    }
    /// The notifications as pushed: neither sorted nor deduplicated (see
    /// [`Self::finish`]).
    pub fn into_unsorted(self) -> Vec<Notification> {
        self.notes
    }
    /// Withdraws notifications a later pass made obsolete (e.g. a match it replaced).
    pub fn retain(&mut self, keep: impl FnMut(&Notification) -> bool) {
        self.notes.retain(keep);
    }
    pub fn max_severity(&self) -> Option<Severity> {
        self.notes.iter().map(|n| n.severity).max()
    }
}
