//! Times are stored in UTC and shown in the campaign's zone.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name such as `Asia/Shanghai`.
///
/// # Errors
/// A message naming the zone when it is unknown.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| format!("unknown time zone {name:?}"))
}

/// The UTC instant of a local wall-clock time on `date` in `zone`.
///
/// # Errors
/// A message when the local time does not exist or is ambiguous in that zone (DST gaps).
pub fn local_to_utc(date: NaiveDate, time: NaiveTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    zone.from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{date} {time} does not exist once in {zone}"))
}

/// The UTC bounds `[start, end)` of the local calendar day `date` in `zone`.
///
/// # Errors
/// As [`local_to_utc`].
pub fn day_bounds(date: NaiveDate, zone: Tz) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let start = local_to_utc(date, NaiveTime::MIN, zone)?;
    let next = date.succ_opt().ok_or_else(|| format!("{date} has no next day"))?;
    let end = local_to_utc(next, NaiveTime::MIN, zone)?;
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_morning_is_the_previous_evening_utc() {
        let date = NaiveDate::from_ymd_opt(2013, 3, 15).unwrap_or_default();
        let t = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default();
        let utc = local_to_utc(date, t, chrono_tz::Asia::Shanghai).map(|d| d.to_rfc3339());
        assert_eq!(utc.as_deref(), Ok("2013-03-15T01:30:00+00:00"));
        let (s, e) = day_bounds(date, chrono_tz::Asia::Shanghai).unwrap_or_default();
        assert_eq!((e - s).num_hours(), 24);
        assert_eq!(s.to_rfc3339(), "2013-03-14T16:00:00+00:00");
    }
}
