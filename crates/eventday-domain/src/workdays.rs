//! Working days in mainland China: Monday to Friday, minus public holidays, plus the weekends
//! worked in exchange (调休), from the shipped table in [`table`]. The ODR clock (an enterprise
//! must handle a case within 10 working days) counts on it.

#[rustfmt::skip]
pub mod table;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Working days an enterprise has to handle a case referred through ODR.
pub const ODR_WORKING_DAYS: u32 = 10;

fn listed(list: &[(i32, u32, u32)], d: NaiveDate) -> bool {
    list.iter().any(|&(y, m, day)| y == d.year() && m == d.month() && day == d.day())
}

/// Whether the table covers `year` (outside it only weekends are known).
#[must_use]
pub fn covers(year: i32) -> bool {
    (table::FIRST_YEAR..=table::LAST_YEAR).contains(&year)
}

/// Whether the table's rows for `year` are provisional (not yet from the State Council's notice).
#[must_use]
pub fn provisional(year: i32) -> bool {
    !covers(year) || table::PROVISIONAL_YEARS.contains(&year)
}

/// Whether `d` is a working day.
#[must_use]
pub fn is_working_day(d: NaiveDate) -> bool {
    if listed(table::WORKING_WEEKENDS, d) {
        return true;
    }
    if listed(table::DAYS_OFF, d) {
        return false;
    }
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The `n`th working day after `start` (`start` itself does not count): a case referred on a
/// Friday with `n = 1` is due the next working Monday. `None` only past the calendar's end.
#[must_use]
pub fn add_working_days(start: NaiveDate, n: u32) -> Option<NaiveDate> {
    let mut d = start;
    let mut left = n;
    while left > 0 {
        d = d.checked_add_days(Days::new(1))?;
        if is_working_day(d) {
            left -= 1;
        }
    }
    Some(d)
}

/// The ODR deadline of a case referred on `referred_on`.
#[must_use]
pub fn odr_deadline(referred_on: NaiveDate) -> Option<NaiveDate> {
    add_working_days(referred_on, ODR_WORKING_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn an_odr_deadline_skips_weekends_and_the_dragon_boat_festival() {
        // Referred Monday 15 June 2026: 19 June (端午) and two weekends do not count.
        assert_eq!(odr_deadline(day(2026, 6, 15)), Some(day(2026, 6, 30)));
        assert!(!is_working_day(day(2026, 6, 19)));
    }

    #[test]
    fn adjusted_working_weekends_count_and_the_spring_festival_does_not() {
        // Referred Tuesday 10 February 2026: Saturdays 14 and 28 February are worked (调休),
        // 15–23 February are the Spring Festival.
        assert!(is_working_day(day(2026, 2, 14)) && is_working_day(day(2026, 2, 28)));
        assert_eq!(odr_deadline(day(2026, 2, 10)), Some(day(2026, 3, 2)));
    }

    #[test]
    fn every_listed_day_is_inside_the_covered_years_and_is_a_real_date() {
        for &(y, m, d) in table::DAYS_OFF.iter().chain(table::WORKING_WEEKENDS) {
            assert!(covers(y), "{y}");
            assert!(NaiveDate::from_ymd_opt(y, m, d).is_some(), "{y}-{m}-{d}");
        }
        for &(y, m, d) in table::WORKING_WEEKENDS {
            let wd = day(y, m, d).weekday();
            assert!(matches!(wd, Weekday::Sat | Weekday::Sun), "{y}-{m}-{d} is a {wd}");
        }
        assert!(provisional(2027) && !provisional(2026) && provisional(2030));
    }

    #[test]
    fn a_friday_referral_with_one_day_is_due_on_monday() {
        assert_eq!(add_working_days(day(2026, 3, 13), 1), Some(day(2026, 3, 16)));
    }
}
