//! Log entries as leads send them: validation and the content fingerprint that makes a
//! retried submission idempotent.

use crate::totals::Figures;
use crate::validate::{self, MAX_NAME_CHARS};
use crate::{FieldErrors, ValidationError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The longest note on a log entry (characters).
pub const MAX_NOTE_CHARS: usize = 4_000;

/// A log entry ready to be stored; ids already resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLogEntry {
    /// Client-made UUID.
    pub id: uuid::Uuid,
    /// Venue.
    pub venue_id: i64,
    /// Booth, if any.
    pub booth_id: Option<i64>,
    /// Activity, if any.
    pub activity_id: Option<i64>,
    /// When it happened (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Who wrote it.
    pub author_name: String,
    /// Figures.
    pub figures: Figures,
    /// material id -> handed out.
    pub materials: BTreeMap<i64, i64>,
    /// Note.
    pub note: String,
}

impl NewLogEntry {
    /// Checks figures, texts and quantities, and that the time lies in `[day_start, day_end)`.
    ///
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self, day_start: DateTime<Utc>, day_end: DateTime<Utc>) -> Result<(), ValidationError> {
        let mut e: FieldErrors = self.figures.validate().err().map(|e| e.fields).unwrap_or_default();
        validate::name(&mut e, "author_name", &self.author_name, MAX_NAME_CHARS);
        validate::text(&mut e, "note", &self.note, MAX_NOTE_CHARS);
        if self.materials.len() > validate::MAX_MATERIALS_PER_ENTRY {
            e.insert(
                "materials".into(),
                format!("may name at most {} materials", validate::MAX_MATERIALS_PER_ENTRY),
            );
        } else {
            for (material, qty) in &self.materials {
                validate::bounded(&mut e, &format!("materials.{material}"), *qty, validate::MAX_QUANTITY);
            }
        }
        if self.recorded_at < day_start || self.recorded_at >= day_end {
            e.insert("recorded_at".into(), "must be within the campaign day".into());
        }
        ValidationError::check(e)
    }

    /// A fingerprint of everything the client sent: the same id with the same content is a
    /// retry, the same id with other content is a conflict.
    #[must_use]
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        // serde_json of a struct with a BTreeMap is deterministic.
        h.update(self.venue_id.to_le_bytes());
        for part in [
            self.booth_id.map(|b| b.to_string()).unwrap_or_default(),
            self.activity_id.map(|b| b.to_string()).unwrap_or_default(),
            self.recorded_at.timestamp_micros().to_string(),
            self.author_name.clone(),
            format!(
                "{}/{}/{}/{}/{}",
                self.figures.visitors,
                self.figures.consultations,
                self.figures.complaints_received,
                self.figures.complaints_settled,
                self.figures.money_recovered_fen
            ),
            self.materials.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
            self.note.clone(),
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The longest reason for a correction (characters).
pub const MAX_REASON_CHARS: usize = 500;

/// What makes a log entry a correction: the entry it corrects, why, and whether it voids it.
///
/// The log stays append-only. A correction is an entry of its own (its own client id, sent and
/// retried like any entry); the corrected entry stops counting and the correction's figures
/// count instead, so a void (a correction without figures) leaves nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The corrected entry.
    pub corrects: uuid::Uuid,
    /// Why.
    pub reason: String,
    /// Takes the corrected entry out of every total.
    pub void: bool,
}

impl Correction {
    /// The correction described by `corrects`, `reason` and `void`, checked against the entry
    /// that carries it: a reason is required with `corrects` and only with it; a void carries
    /// no figures and no materials; an entry cannot correct itself. Bad parts go to `errors`.
    pub fn check(
        corrects: Option<uuid::Uuid>,
        reason: &str,
        void: bool,
        entry: &NewLogEntry,
        errors: &mut FieldErrors,
    ) -> Option<Correction> {
        let Some(corrects) = corrects else {
            if !reason.is_empty() {
                errors.insert("reason".into(), "only a correction (with corrects) has a reason".into());
            }
            if void {
                errors.insert("void".into(), "only a correction (with corrects) can void an entry".into());
            }
            return None;
        };
        validate::name(errors, "reason", reason, MAX_REASON_CHARS);
        if corrects == entry.id {
            errors.insert("corrects".into(), "an entry cannot correct itself".into());
        }
        if void {
            if entry.figures != Figures::default() {
                errors.insert("void".into(), "a void carries no figures".into());
            }
            if !entry.materials.is_empty() {
                errors.insert("materials".into(), "a void carries no materials".into());
            }
        }
        Some(Correction { corrects, reason: reason.to_owned(), void })
    }

    /// The content fingerprint of `entry` carrying this correction (see
    /// [`NewLogEntry::content_hash`]); `entry_hash` is the entry's own.
    #[must_use]
    pub fn content_hash(&self, entry_hash: &str) -> String {
        let mut h = Sha256::new();
        for part in
            [entry_hash, &self.corrects.to_string(), &self.reason, if self.void { "void" } else { "" }]
        {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry() -> NewLogEntry {
        NewLogEntry {
            id: uuid::Uuid::nil(),
            venue_id: 1,
            booth_id: None,
            activity_id: None,
            recorded_at: Utc.with_ymd_and_hms(2013, 3, 15, 2, 0, 0).single().unwrap_or_default(),
            author_name: "后湖分会 xx".into(),
            figures: Figures { visitors: 10, ..Figures::default() },
            materials: BTreeMap::from([(1, 5)]),
            note: String::new(),
        }
    }

    #[test]
    fn content_hash_changes_with_any_field_and_only_then() {
        let a = entry();
        assert_eq!(a.content_hash(), entry().content_hash());
        let mut b = entry();
        b.figures.visitors = 11;
        assert_ne!(a.content_hash(), b.content_hash());
        let mut c = entry();
        c.materials.insert(1, 6);
        assert_ne!(a.content_hash(), c.content_hash());
        assert_eq!(a.content_hash().len(), 64);
    }

    #[test]
    fn a_correction_needs_a_reason_and_a_void_carries_no_figures() {
        let target = uuid::Uuid::from_u128(7);
        let mut e = FieldErrors::new();
        assert!(Correction::check(Some(target), " ", false, &entry(), &mut e).is_some());
        assert!(e.contains_key("reason"), "{e:?}");
        let mut e = FieldErrors::new();
        Correction::check(Some(target), "typed 500 for 50", true, &entry(), &mut e);
        assert!(e.contains_key("void") && e.contains_key("materials"), "{e:?}");
        let mut e = FieldErrors::new();
        assert!(Correction::check(None, "why", true, &entry(), &mut e).is_none());
        assert!(e.contains_key("reason") && e.contains_key("void"), "{e:?}");
        let mut e = FieldErrors::new();
        let c = Correction::check(Some(target), "typed 500 for 50", false, &entry(), &mut e);
        assert!(e.is_empty(), "{e:?}");
        let c = c.unwrap_or_else(|| Correction { corrects: target, reason: String::new(), void: true });
        assert_ne!(c.content_hash(&entry().content_hash()), entry().content_hash());
        let voided = Correction { void: true, ..c.clone() };
        assert_ne!(c.content_hash("x"), voided.content_hash("x"));
    }

    #[test]
    fn time_outside_the_day_is_rejected() {
        let day = Utc.with_ymd_and_hms(2013, 3, 14, 16, 0, 0).single().unwrap_or_default();
        let end = day + chrono::Duration::hours(24);
        assert!(entry().validate(day, end).is_ok());
        let mut late = entry();
        late.recorded_at = end;
        let err = late.validate(day, end).err().map(|e| e.fields).unwrap_or_default();
        assert!(err.contains_key("recorded_at"));
    }
}
