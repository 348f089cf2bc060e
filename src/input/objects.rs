use super::{Origin, SourceSpan};
use crate::report::ObjectRef;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass, IngressRule};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The empty Ingress every packed or freed [`InputIngress`] points to.
pub fn empty_ingress() -> Arc<Ingress> {
    static EMPTY: std::sync::LazyLock<Arc<Ingress>> = std::sync::LazyLock::new(Default::default);
    EMPTY.clone()
}

/// An Ingress as read (v1beta1 already converted to v1), with where it came from.
#[derive(Debug, Clone)]
pub struct InputIngress {
    /// Shared so that a packed or freed Ingress costs a pointer: every
    /// emptied Ingress is the same empty one ([`empty_ingress`]).
    pub ingress: Arc<Ingress>,
    pub origin: Origin,
    /// The apiVersion as written in the input.
    pub api_version: String,
    pub obj: ObjectRef,
    /// `ingress` as JSON while packed ([`InputSet::pack_ingresses`]): `ingress`
    /// is then empty until [`InputIngress::unpack`].
    packed: Option<Box<[u8]>>,
}

impl InputIngress {
    pub fn new(ingress: Ingress, origin: Origin, api_version: String) -> Self {
        let ns = ingress
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = ingress.metadata.name.clone().unwrap_or_default();
        let obj = ObjectRef::new("Ingress", Some(&ns), &name);
        InputIngress {
            ingress: Arc::new(ingress),
            origin,
            api_version,
            obj,
            packed: None,
        }
    }
    /// Keeps the Ingress as compact JSON (about the size of its YAML, a
    /// quarter of the decoded object) until [`Self::unpack`]: a sharded run
    /// decodes the whole input first and translates it shard by shard.
    pub fn pack(&mut self) {
        if self.packed.is_some() {
            return;
        }
        if let Ok(json) = serde_json::to_vec(&*self.ingress) {
            self.packed = Some(json.into_boxed_slice());
            self.ingress = empty_ingress();
        }
    }
    /// The decoded Ingress back from [`Self::pack`] (no-op when not packed).
    pub fn unpack(&mut self) -> Result<(), String> {
        if self.packed.is_none() {
            return Ok(());
        }
        self.ingress = Arc::new(self.decoded()?.into_owned());
        self.packed = None;
        Ok(())
    }
    /// The decoded Ingress, read back from its JSON when packed (the packed
    /// copy stays).
    pub fn decoded(&self) -> Result<std::borrow::Cow<'_, Ingress>, String> {
        match &self.packed {
            None => Ok(std::borrow::Cow::Borrowed(&*self.ingress)),
            Some(json) => serde_json::from_slice(json)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| format!("Ingress {} does not read back: {e}", self.obj)),
        }
    }
    /// Whether the Ingress is packed (its `ingress` empty).
    pub fn is_packed(&self) -> bool {
        self.packed.is_some()
    }
    pub fn namespace(&self) -> &str {
        self.obj.namespace.as_deref().unwrap_or("default")
    }
    pub fn name(&self) -> &str {
        &self.obj.name
    }
    pub fn annotations(&self) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        self.ingress.metadata.annotations.as_ref().unwrap_or(&EMPTY)
    }
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations().get(key).map(String::as_str)
    }
    /// Span of the annotation key in the source file, when read from a file.
    pub fn span_of(&self, needle: &str) -> Option<SourceSpan> {
        self.origin.find_span(needle)
    }
    /// Like [`Self::span_of`] but `None` when `needle` does not occur.
    pub fn span_of_exact(&self, needle: &str) -> Option<SourceSpan> {
        self.origin.find_exact(needle)
    }
    pub fn doc_span(&self) -> Option<SourceSpan> {
        self.origin.doc_span()
    }
    /// `spec.rules` (empty when the spec or the list is missing).
    pub fn rules(&self) -> &[IngressRule] {
        self.ingress
            .spec
            .as_ref()
            .and_then(|s| s.rules.as_deref())
            .unwrap_or_default()
    }
}

/// A Service (for named ports and `appProtocol`).
#[derive(Debug, Clone)]
pub struct InputService {
    pub service: Service,
    pub origin: Origin,
    pub obj: ObjectRef,
}

/// An IngressClass.
#[derive(Debug, Clone)]
pub struct InputIngressClass {
    pub class: IngressClass,
    pub origin: Origin,
    pub obj: ObjectRef,
}

/// A ConfigMap: only name and data are kept.
#[derive(Debug, Clone)]
pub struct InputConfigMap {
    pub obj: ObjectRef,
    pub data: BTreeMap<String, String>,
    pub origin: Origin,
}

/// What we keep of a Secret: its name and type, never its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMeta {
    pub obj: ObjectRef,
    pub secret_type: Option<String>,
}

/// Everything decoded from the input.
#[derive(Debug, Clone, Default)]
pub struct InputSet {
    pub ingresses: Vec<InputIngress>,
    pub ingress_classes: Vec<InputIngressClass>,
    pub services: Vec<InputService>,
    pub config_maps: Vec<InputConfigMap>,
    pub secrets: Vec<SecretMeta>,
    /// Kinds we do not use, with how many objects of each were skipped.
    pub skipped_kinds: BTreeMap<String, usize>,
    /// Number of documents that are not valid YAML/JSON (exit code 2). Objects
    /// that parse but do not decode are error notifications instead.
    pub input_errors: usize,
    /// Documents skipped because they did not parse but look like no manifest
    /// (templates, `tsconfig.json`): the input may be incomplete.
    pub unparsed_skipped: usize,
    /// Decoding packs each Ingress as soon as it is read ([`InputIngress::pack`]).
    pub pack_ingresses: bool,
}

impl InputSet {
    /// Unpacks every packed Ingress ([`InputIngress::unpack`]).
    pub fn unpack_all(&mut self) -> Result<(), String> {
        self.ingresses.iter_mut().try_for_each(InputIngress::unpack)
    }
    pub fn service(&self, namespace: &str, name: &str) -> Option<&Service> {
        self.services
            .iter()
            .find(|s| s.obj.namespace.as_deref() == Some(namespace) && s.obj.name == name)
            .map(|s| &s.service)
    }
    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&InputConfigMap> {
        self.config_maps
            .iter()
            .find(|c| c.obj.namespace.as_deref() == Some(namespace) && c.obj.name == name)
    }
}
