//! Notifications kept compact while a long run goes on.
//!
//! A sharded print of 100,000 Ingresses raises about 200,000 notifications,
//! mostly long sentences (150 MB as [`Notification`]s, more than the input).
//! They are needed only once the output is written, to sort, render and
//! report them: until then each shard's are kept here, their texts
//! lz4-compressed (they repeat a lot), the rest as it is.

use super::{Code, Notification, ObjectRef, Severity};
use crate::input::SourceSpan;
use std::io::{Read, Write};

/// The notifications of several batches, in the order they were added.
#[derive(Default)]
pub struct PackedNotes {
    batches: Vec<Batch>,
}

struct Batch {
    notes: Vec<Head>,
    /// Per note: message, field, suggestion, accepted reason, each a
    /// little-endian `u32` length (`u32::MAX`: none) and the bytes.
    texts: Vec<u8>,
}

/// What is not text.
struct Head {
    severity: Severity,
    code: Code,
    object: Option<ObjectRef>,
    span: Option<SourceSpan>,
    accepted: bool,
}

const NONE: u32 = u32::MAX;

impl PackedNotes {
    /// Packs `notes` as one more batch.
    pub fn add(&mut self, notes: Vec<Notification>) -> Result<(), String> {
        if notes.is_empty() {
            return Ok(());
        }
        let mut heads = Vec::with_capacity(notes.len());
        let mut encoder = lz4_flex::frame::FrameEncoder::new(Vec::new());
        let io = |e: std::io::Error| format!("notifications could not be packed: {e}");
        for n in notes {
            for text in [
                Some(n.message.as_str()),
                n.field.as_deref(),
                n.suggestion.as_deref(),
                n.accepted_reason.as_deref(),
            ] {
                write_text(&mut encoder, text).map_err(io)?;
            }
            heads.push(Head {
                severity: n.severity,
                code: n.code,
                object: n.object,
                span: n.span,
                accepted: n.accepted,
            });
        }
        let mut texts = encoder.finish().map_err(|e| e.to_string())?;
        texts.shrink_to_fit();
        self.batches.push(Batch {
            notes: heads,
            texts,
        });
        Ok(())
    }

    /// Every notification, in the order added.
    pub fn unpack(self) -> Result<Vec<Notification>, String> {
        let mut out = Vec::with_capacity(self.batches.iter().map(|b| b.notes.len()).sum());
        let io = |e: std::io::Error| format!("packed notifications do not read back: {e}");
        for batch in self.batches {
            let mut decoder = lz4_flex::frame::FrameDecoder::new(batch.texts.as_slice());
            for head in batch.notes {
                let message = read_text(&mut decoder).map_err(io)?.unwrap_or_default();
                let field = read_text(&mut decoder).map_err(io)?;
                let suggestion = read_text(&mut decoder).map_err(io)?;
                let accepted_reason = read_text(&mut decoder).map_err(io)?;
                out.push(Notification {
                    severity: head.severity,
                    code: head.code,
                    message,
                    object: head.object,
                    field,
                    span: head.span,
                    suggestion,
                    accepted: head.accepted,
                    accepted_reason,
                });
            }
        }
        Ok(out)
    }
}

fn write_text(w: &mut impl Write, text: Option<&str>) -> std::io::Result<()> {
    match text {
        None => w.write_all(&NONE.to_le_bytes()),
        Some(t) => {
            let len = u32::try_from(t.len())
                .ok()
                .filter(|&l| l != NONE)
                .ok_or_else(|| std::io::Error::other("a notification text over 4 GiB"))?;
            w.write_all(&len.to_le_bytes())?;
            w.write_all(t.as_bytes())
        }
    }
}

fn read_text(r: &mut impl Read) -> std::io::Result<Option<String>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len);
    if len == NONE {
        return Ok(None);
    }
    let mut bytes = vec![0; len as usize];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_read_back_as_they_were_packed() {
        let obj = ObjectRef::new("Ingress", Some("shop"), "web");
        let full = Notification::warning(Code("some-code"), "a message, ünïcode")
            .object(&obj)
            .field("nginx.ingress.kubernetes.io/x")
            .suggest("do this");
        let bare = Notification::info(Code("other"), "");
        let mut accepted = Notification::error(Code("third"), "m");
        accepted.accepted = true;
        accepted.accepted_reason = Some("known".into());
        let batch1 = vec![full.clone(), bare.clone()];
        let batch2 = vec![accepted.clone()];
        let mut packed = PackedNotes::default();
        packed.add(batch1).unwrap();
        packed.add(Vec::new()).unwrap();
        packed.add(batch2).unwrap();
        assert_eq!(packed.unpack().unwrap(), vec![full, bare, accepted]);
    }
}
