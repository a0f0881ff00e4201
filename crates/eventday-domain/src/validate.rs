//! Field-level checks shared by the API, the CSV import and the demo loader.

use crate::error::FieldErrors;

/// The longest name accepted anywhere (characters).
pub const MAX_NAME_CHARS: usize = 200;
/// The longest free text accepted (characters): notes, narrative bodies.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// Checks a required single-line name: not blank, at most `max` characters, no control characters.
pub fn name(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.insert(field.into(), "must not be empty".into());
    } else if value.chars().count() > max {
        errors.insert(field.into(), format!("must be at most {max} characters"));
    } else if value.chars().any(char::is_control) {
        errors.insert(field.into(), "must not contain control characters".into());
    }
}

/// Checks an optional multi-line text: at most `max` characters, no NUL or other control
/// characters except newline and tab.
pub fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.insert(field.into(), format!("must be at most {max} characters"));
    } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        errors.insert(field.into(), "must not contain control characters".into());
    }
}

/// Checks an optional single-line text: may be empty, at most `max` characters, no control characters.
pub fn line(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.insert(field.into(), format!("must be at most {max} characters"));
    } else if value.chars().any(char::is_control) {
        errors.insert(field.into(), "must not contain control characters".into());
    }
}

/// Checks a wall-clock time written `HH:MM` (24-hour).
pub fn hhmm(errors: &mut FieldErrors, field: &str, value: &str) {
    if chrono::NaiveTime::parse_from_str(value, "%H:%M").is_err() || value.len() != 5 {
        errors.insert(field.into(), "must be a time written HH:MM".into());
    }
}

/// Checks a coordinate in metres is a finite number within 10 km of the origin.
pub fn coordinate(errors: &mut FieldErrors, field: &str, value: f64) {
    if !value.is_finite() || value.abs() > 10_000.0 {
        errors.insert(field.into(), "must be a number of metres between -10000 and 10000".into());
    }
}

/// Checks a count or an amount is not negative.
pub fn non_negative(errors: &mut FieldErrors, field: &str, value: i64) {
    if value < 0 {
        errors.insert(field.into(), "must not be negative".into());
    }
}

/// Checks a length in metres is positive and sane (at most 10 km).
pub fn positive_metres(errors: &mut FieldErrors, field: &str, value: f64) {
    if !value.is_finite() || value <= 0.0 || value > 10_000.0 {
        errors.insert(field.into(), "must be a positive number of metres up to 10000".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reject_blank_long_and_control_characters() {
        let mut e = FieldErrors::new();
        name(&mut e, "a", "  ", 10);
        name(&mut e, "b", &"长".repeat(11), 10);
        name(&mut e, "c", "x\0y", 10);
        name(&mut e, "d", "后湖分会", 10);
        assert_eq!(e.keys().cloned().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn negative_counts_are_named() {
        let mut e = FieldErrors::new();
        non_negative(&mut e, "visitors", -1);
        non_negative(&mut e, "consultations", 0);
        assert_eq!(e.get("visitors").map(String::as_str), Some("must not be negative"));
        assert!(!e.contains_key("consultations"));
    }
}
