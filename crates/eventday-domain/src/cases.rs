//! Complaint cases: the receipt code, the consumer's phone (validated and masked), what a lead
//! or organizer sends at intake and at each later step, and how the case records reconcile with
//! the complaints the venues tallied.
//!
//! Personal information (China's Personal Information Protection Law): a consumer's name and
//! phone are taken only with an explicit consent tied to the stated purpose
//! ([`CONSENT_PURPOSE_ZH`]); without it the case is anonymous and neither is accepted.

use crate::error::{FieldErrors, ValidationError};
use crate::kinds::CaseStage;
use crate::validate::{self, MAX_FEN};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The purpose the consent tick states (shown beside it, stored with the case).
pub const CONSENT_PURPOSE_ZH: &str =
    "本人同意消费者协会为办理本投诉、联系本人告知处理结果而记录本人姓名和电话，办结并超过保存期限后删除。";
/// The same purpose in English.
pub const CONSENT_PURPOSE_EN: &str = "I agree that the consumers' association records my name and phone to handle this complaint and tell me its outcome; they are deleted once the retention period after the case ends has passed.";

/// The receipt code's alphabet: digits and capitals without 0/O, 1/I/L (read aloud and typed
/// from a slip without mistakes).
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a receipt code: 31^8 ≈ 8.5 × 10^11 codes, so guessing one is hopeless.
pub const CODE_LEN: usize = 8;
/// The longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;
/// The longest means or result text of a step, in characters.
pub const MAX_STEP_TEXT_CHARS: usize = 2_000;
/// Default retention of personal data after a case's intake, in days.
pub const DEFAULT_RETENTION_DAYS: i32 = 365;

/// A receipt code made from random bytes (one byte per character; the bias of `% 31` over 256
/// values is irrelevant for a lookup key).
#[must_use]
pub fn code_from_bytes(bytes: [u8; CODE_LEN]) -> String {
    bytes.iter().map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()])).collect()
}

/// Reads a receipt code as typed: trimmed, upper-cased; `None` unless it is [`CODE_LEN`]
/// characters of [`CODE_ALPHABET`].
#[must_use]
pub fn parse_code(s: &str) -> Option<String> {
    let c = s.trim().to_ascii_uppercase();
    (c.len() == CODE_LEN && c.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(c)
}

/// A phone number as stored: digits, with an optional leading `+` and the separators people
/// write (spaces, hyphens) removed; 5 to 20 digits.
///
/// # Errors
/// A reason when it is not a phone number.
pub fn normalize_phone(s: &str) -> Result<String, String> {
    let t = s.trim();
    let mut out = String::new();
    for (i, c) in t.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push(c),
            ' ' | '-' | '(' | ')' => {}
            _ => return Err("must be a phone number (digits only)".into()),
        }
    }
    let digits = out.trim_start_matches('+').len();
    if !(5..=20).contains(&digits) {
        return Err("must have 5 to 20 digits".into());
    }
    Ok(out)
}

/// A phone number as every page, export and report shows it: the first three and last four
/// digits of a mobile number (`138****1234`); shorter numbers keep only their last two digits.
#[must_use]
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n >= 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}****{tail}")
    } else if n > 2 {
        let tail: String = chars[n - 2..].iter().collect();
        format!("{}{tail}", "*".repeat(n - 2))
    } else {
        "*".repeat(n)
    }
}

/// A consumer's name as shown outside the organizers' case page: its first character and "*".
#[must_use]
pub fn mask_name(name: &str) -> String {
    match name.chars().next() {
        Some(c) => format!("{c}*"),
        None => String::new(),
    }
}

/// What intake sends: a complaint taken at a booth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseIntake {
    /// A client-made UUID: a retry with the same id answers the stored case.
    pub client_id: uuid::Uuid,
    /// The receipt code the phone already printed (offline); the server makes one when absent.
    #[serde(default)]
    pub code: Option<String>,
    /// Booth, if any.
    #[serde(default)]
    pub booth_id: Option<i32>,
    /// The enterprise complained about (a unit).
    #[serde(default)]
    pub enterprise_unit_id: Option<i32>,
    /// Category, e.g. "食品".
    pub category: String,
    /// What happened.
    #[serde(default)]
    pub description: String,
    /// Amount in dispute, fen.
    #[serde(default)]
    pub amount_claimed_fen: i64,
    /// The day it was received; defaults to the campaign day.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    /// The consumer ticked the consent statement ([`CONSENT_PURPOSE_ZH`]).
    #[serde(default)]
    pub consent: bool,
    /// The consumer's name (only with consent).
    #[serde(default)]
    pub consumer_name: Option<String>,
    /// The consumer's phone (only with consent).
    #[serde(default)]
    pub consumer_phone: Option<String>,
}

/// The personal data an intake keeps: none without consent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    /// Name, if given.
    pub name: Option<String>,
    /// Normalized phone, if given.
    pub phone: Option<String>,
}

impl CaseIntake {
    /// Checks every field and returns the contact to keep (nothing without consent).
    ///
    /// # Errors
    /// Names every bad field; a name or phone sent without consent is refused under `consent`.
    pub fn validate(&self) -> Result<Contact, ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "category", &self.category, 100);
        validate::text(&mut e, "description", &self.description, MAX_DESCRIPTION_CHARS);
        validate::bounded(&mut e, "amount_claimed_fen", self.amount_claimed_fen, MAX_FEN);
        if let Some(c) = &self.code
            && parse_code(c).is_none()
        {
            e.insert("code".into(), format!("must be {CODE_LEN} letters and digits of the receipt alphabet"));
        }
        let blank = |o: &Option<String>| o.as_deref().is_none_or(|s| s.trim().is_empty());
        let mut contact = Contact::default();
        if !self.consent {
            if !blank(&self.consumer_name) || !blank(&self.consumer_phone) {
                e.insert(
                    "consent".into(),
                    "a name or phone is kept only when the consumer ticks the consent statement".into(),
                );
            }
        } else {
            if let Some(n) = self.consumer_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                validate::name(&mut e, "consumer_name", n, 60);
                contact.name = Some(n.to_owned());
            }
            if let Some(p) = self.consumer_phone.as_deref().filter(|p| !p.trim().is_empty()) {
                match normalize_phone(p) {
                    Ok(p) => contact.phone = Some(p),
                    Err(why) => {
                        e.insert("consumer_phone".into(), why);
                    }
                }
            }
        }
        ValidationError::check(e)?;
        Ok(contact)
    }
}

/// One step of a case's workflow: where it moves, on which day, by what means, with what
/// result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseStepInput {
    /// The stage the case moves to.
    pub stage: CaseStage,
    /// The day it happened.
    pub on: NaiveDate,
    /// By what means (phone, on site, ODR platform ...).
    #[serde(default)]
    pub means: String,
    /// With what result.
    #[serde(default)]
    pub result: String,
    /// Money recovered, fen (settling only; required then).
    #[serde(default)]
    pub amount_recovered_fen: Option<i64>,
    /// The 12315 platform's case number (referring to 12315 only; required then).
    #[serde(default)]
    pub reference_12315: Option<String>,
}

impl CaseStepInput {
    /// Checks the move from `current` (received on `received_on`) and the fields it needs.
    ///
    /// # Errors
    /// Names every bad field; an illegal move is named under `stage`.
    pub fn validate(&self, current: CaseStage, received_on: NaiveDate) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        if !current.can_move_to(self.stage) {
            e.insert(
                "stage".into(),
                format!("a case that is {} cannot move to {}", current.as_str(), self.stage.as_str()),
            );
        }
        if self.on < received_on {
            e.insert("on".into(), "must not be before the day the case was received".into());
        }
        validate::line(&mut e, "means", &self.means, 200);
        validate::text(&mut e, "result", &self.result, MAX_STEP_TEXT_CHARS);
        match (self.stage, self.amount_recovered_fen) {
            (CaseStage::Settled, Some(a)) => validate::bounded(&mut e, "amount_recovered_fen", a, MAX_FEN),
            (CaseStage::Settled, None) => {
                e.insert("amount_recovered_fen".into(), "is required when settling (0 when nothing)".into());
            }
            (_, Some(_)) => {
                e.insert("amount_recovered_fen".into(), "is recorded only when settling".into());
            }
            (_, None) => {}
        }
        let reference = self.reference_12315.as_deref().map(str::trim).unwrap_or_default();
        match self.stage {
            CaseStage::Referred12315 if reference.is_empty() => {
                e.insert("reference_12315".into(), "the 12315 case number is required".into());
            }
            CaseStage::Referred12315 => validate::name(&mut e, "reference_12315", reference, 60),
            _ if !reference.is_empty() => {
                e.insert("reference_12315".into(), "is recorded only when referring to 12315".into());
            }
            _ => {}
        }
        ValidationError::check(e)
    }
}

/// How the case records stand against the complaints the venues tallied: "N cases recorded of M
/// complaints received". Pages and the report say it from this one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseReconciliation {
    /// Cases (dispute records) recorded.
    pub recorded: i64,
    /// Complaints received, from the venues' log and closing tallies.
    pub received: i64,
    /// Complaints received but not recorded as cases.
    pub unrecorded: i64,
    /// More cases recorded than complaints tallied: the tallies are short.
    pub more_cases_than_complaints: bool,
}

impl CaseReconciliation {
    /// From the campaign totals.
    #[must_use]
    pub fn of(totals: &crate::totals::CampaignTotals) -> Self {
        let recorded = totals.disputes.received;
        let received = totals.figures.complaints_received;
        CaseReconciliation {
            recorded,
            received,
            unrecorded: received.saturating_sub(recorded).max(0),
            more_cases_than_complaints: recorded > received,
        }
    }
}

/// The settlement rate in per mille of cases (settled / recorded), `None` without cases.
#[must_use]
pub fn settlement_rate_permille(settled: i64, recorded: i64) -> Option<i64> {
    (recorded > 0).then(|| settled.saturating_mul(1000) / recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intake() -> CaseIntake {
        CaseIntake {
            client_id: uuid::Uuid::nil(),
            code: None,
            booth_id: None,
            enterprise_unit_id: None,
            category: "食品".into(),
            description: String::new(),
            amount_claimed_fen: 100,
            received_on: None,
            consent: false,
            consumer_name: None,
            consumer_phone: None,
        }
    }

    #[test]
    fn phones_are_masked_to_the_first_three_and_last_four_digits() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("+8613812341234"), "+86****1234");
        assert_eq!(mask_phone("88776655"), "******55");
        assert_eq!(normalize_phone(" 138-1234 1234 ").as_deref(), Ok("13812341234"));
        assert!(normalize_phone("call me").is_err() && normalize_phone("123").is_err());
    }

    #[test]
    fn without_consent_a_name_or_phone_is_refused_and_with_it_they_are_kept() {
        let mut i = intake();
        assert_eq!(i.validate(), Ok(Contact::default()));
        i.consumer_phone = Some("13812341234".into());
        let err = i.validate().err().map(|e| e.fields).unwrap_or_default();
        assert!(err.contains_key("consent"), "{err:?}");
        i.consent = true;
        i.consumer_name = Some(" 张三 ".into());
        let c = i.validate().unwrap_or_default();
        assert_eq!((c.name.as_deref(), c.phone.as_deref()), (Some("张三"), Some("13812341234")));
    }

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        let c = code_from_bytes([0, 1, 2, 30, 31, 100, 200, 255]);
        assert_eq!(c.len(), CODE_LEN);
        assert_eq!(parse_code(&c.to_lowercase()), Some(c));
        assert_eq!(parse_code("ABCDEFG0"), None);
        assert_eq!(parse_code("ABCDEFGI"), None);
    }

    #[test]
    fn settling_needs_an_amount_and_a_12315_referral_its_number() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap_or_default();
        let step = |stage, amount, reference: Option<&str>| CaseStepInput {
            stage,
            on: day,
            means: String::new(),
            result: String::new(),
            amount_recovered_fen: amount,
            reference_12315: reference.map(str::to_owned),
        };
        let fields =
            |s: CaseStepInput, from| s.validate(from, day).err().map(|e| e.fields).unwrap_or_default();
        assert!(
            fields(step(CaseStage::Settled, None, None), CaseStage::Mediating)
                .contains_key("amount_recovered_fen")
        );
        assert!(
            fields(step(CaseStage::Referred12315, None, None), CaseStage::Received)
                .contains_key("reference_12315")
        );
        assert!(fields(step(CaseStage::Mediating, None, None), CaseStage::Settled).contains_key("stage"));
        assert!(step(CaseStage::Settled, Some(0), None).validate(CaseStage::ReferredOdr, day).is_ok());
    }
}
