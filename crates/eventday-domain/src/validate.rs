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

/// The most people one figure may count: visitors, consultations or complaints of one log entry,
/// an activity's participants. A district's busiest venue sees a few thousand people in a day;
/// a million leaves room for anything real and keeps every sum far from overflowing.
pub const MAX_PEOPLE: i64 = 1_000_000;
/// The largest amount of money one figure may hold, in fen (10^10 fen = 100 million yuan).
pub const MAX_FEN: i64 = 10_000_000_000;
/// The largest quantity of a material: planned, allocated to a venue or handed out in one entry.
pub const MAX_QUANTITY: i64 = 10_000_000;
/// The largest estimated reach of one piece of media coverage (more than China's population).
pub const MAX_REACH: i64 = 2_000_000_000;
/// The most materials one log entry may name.
pub const MAX_MATERIALS_PER_ENTRY: usize = 200;

/// The maximum of a figure by its field name (as in the API, CSV and demo data): money
/// (`*_fen`), estimated reach, material quantities (`planned`, `quantity`), else people.
#[must_use]
pub fn max_of(field: &str) -> i64 {
    let name = field.rsplit('.').next().unwrap_or(field);
    if field.ends_with("_fen") {
        MAX_FEN
    } else if name == "estimated_reach" {
        MAX_REACH
    } else if matches!(name, "planned" | "quantity") || field.contains("materials") {
        MAX_QUANTITY
    } else {
        MAX_PEOPLE
    }
}

/// Checks a count or an amount lies in `0..=max` (a domain rule: no figure beyond what could be
/// real, so that no sum of stored figures can overflow).
pub fn bounded(errors: &mut FieldErrors, field: &str, value: i64, max: i64) {
    if value < 0 {
        errors.insert(field.into(), "must not be negative".into());
    } else if value > max {
        errors.insert(field.into(), format!("must be at most {max}"));
    }
}

/// Whether `link` is an absolute `http://` or `https://` URL with a host: the only links pages
/// render (a `javascript:` or `data:` link would run script when clicked).
#[must_use]
pub fn is_web_link(link: &str) -> bool {
    let lower = link.trim_start().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| r.split(['/', '?', '#']).next().is_some_and(|host| !host.is_empty()))
        && !link.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Checks an optional link is an `http(s)` URL (see [`is_web_link`]).
pub fn web_link(errors: &mut FieldErrors, field: &str, link: &str) {
    if !link.is_empty() && !is_web_link(link) {
        errors.insert(field.into(), "must be an http:// or https:// address".into());
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

/// An administrative division code: empty, or 6 to 12 digits (e.g. 420102).
pub fn division_code(errors: &mut FieldErrors, field: &str, value: &str) {
    let v = value.trim();
    let digits = (6..=12).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit());
    if !v.is_empty() && !digits {
        errors.insert(field.into(), "must be 6 to 12 digits (an administrative division code)".into());
    }
}

/// Checks a length in metres is finite, positive and at most 10 km.
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

    #[test]
    fn only_http_links_are_accepted() {
        for ok in ["https://example.com/a?b#c", "http://news.cn", "HTTPS://EXAMPLE.COM"] {
            assert!(is_web_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "//x.cn",
            "https://a b",
            "ftp://x",
        ] {
            assert!(!is_web_link(bad), "{bad}");
        }
    }

    #[test]
    fn figures_beyond_their_maximum_are_named() {
        let mut e = FieldErrors::new();
        bounded(&mut e, "visitors", MAX_PEOPLE, MAX_PEOPLE);
        bounded(&mut e, "consultations", MAX_PEOPLE + 1, MAX_PEOPLE);
        bounded(&mut e, "money_recovered_fen", i64::MAX, MAX_FEN);
        bounded(&mut e, "complaints_received", -1, MAX_PEOPLE);
        assert_eq!(
            e.keys().cloned().collect::<Vec<_>>(),
            ["complaints_received", "consultations", "money_recovered_fen"]
        );
        assert_eq!(e.get("consultations").map(String::as_str), Some("must be at most 1000000"));
    }
}

/// A heading without the numbers its writer typed in front ("一、", "（一）", "(一)", "1.",
/// "1、", "（1）", "(1)", with or without a space after, one or several): the report numbers
/// headings itself, so "一、活动概况" must not print as "一、一、活动概况", nor "六、X" as "（一）六、X".
#[must_use]
pub fn strip_heading_number(heading: &str) -> &str {
    let mut h = heading.trim();
    loop {
        let next = strip_one_number(h);
        if next == h {
            return h;
        }
        h = next;
    }
}

fn strip_one_number(heading: &str) -> &str {
    const CHINESE: &str = "零〇一二三四五六七八九十百";
    let h = heading.trim_start();
    let is_num = |c: char| c.is_ascii_digit() || c.is_numeric() || CHINESE.contains(c);
    let digits = |s: &str| s.char_indices().find(|(_, c)| !is_num(*c)).map_or(s.len(), |(i, _)| i);
    // "（一）" / "(1)": an opening bracket, a number, the closing bracket.
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = h.strip_prefix(open) {
            let n = digits(rest);
            if n > 0
                && let Some(after) = rest[n..].strip_prefix(close)
                && !after.trim().is_empty()
            {
                return after.trim_start();
            }
        }
    }
    // "一、" / "1." / "1、" / "1．": a number, then its mark.
    let n = digits(h);
    if n > 0 {
        for mark in ["、", ".", "．", "，"] {
            if let Some(after) = h[n..].strip_prefix(mark)
                && !after.trim().is_empty()
                && !after.starts_with(|c: char| c.is_ascii_digit())
            {
                return after.trim_start();
            }
        }
    }
    heading.trim()
}

#[cfg(test)]
mod heading_tests {
    use super::strip_heading_number as strip;

    #[test]
    fn a_typed_heading_number_is_stripped_once() {
        assert_eq!(strip("一、活动概况"), "活动概况");
        assert_eq!(strip("（一）六、分会场"), "分会场");
        assert_eq!(strip("(1) Results"), "Results");
        assert_eq!(strip("1. Results"), "Results");
        assert_eq!(strip("12、工作部署"), "工作部署");
        assert_eq!(strip("十、下一步工作"), "下一步工作");
    }

    #[test]
    fn headings_that_only_begin_with_a_number_keep_it() {
        assert_eq!(strip("3·15活动概况"), "3·15活动概况");
        assert_eq!(strip("2013年活动总结"), "2013年活动总结");
        assert_eq!(strip("1.5倍的增长"), "1.5倍的增长");
        assert_eq!(strip("一、"), "一、");
        assert_eq!(strip("  突出诚信经营 "), "突出诚信经营");
    }
}
