//! How a venue is doing on the day, judged from its last log entry.

use chrono::{DateTime, Duration, Utc};

/// Minutes without a log entry after which an active venue counts as quiet.
pub const QUIET_AFTER_MINUTES: i64 = 30;

/// A venue's state on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VenueStatus {
    /// Nothing logged yet.
    NotStarted,
    /// Logged within the last [`QUIET_AFTER_MINUTES`].
    Active,
    /// Logged before, but nothing for [`QUIET_AFTER_MINUTES`] or more.
    Quiet,
    /// The venue's day was submitted or accepted, or the campaign is closed.
    Closed,
}

impl VenueStatus {
    /// Judges a venue: `day_status` is the venue's (`open`, `submitted`, `accepted`), `closed`
    /// says the campaign itself is closed.
    #[must_use]
    pub fn judge(
        now: DateTime<Utc>,
        last_log: Option<DateTime<Utc>>,
        day_status: crate::DayStatus,
        closed: bool,
    ) -> Self {
        if closed || day_status != crate::DayStatus::Open {
            return Self::Closed;
        }
        match last_log {
            None => Self::NotStarted,
            // An entry stamped later than now (a phone clock ahead) still counts as fresh.
            Some(t) if now - t < Duration::minutes(QUIET_AFTER_MINUTES) => Self::Active,
            Some(_) => Self::Quiet,
        }
    }

    /// The stable name used in CSS classes and the i18n table.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Active => "active",
            Self::Quiet => "quiet",
            Self::Closed => "closed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_venue_goes_quiet_thirty_minutes_after_its_last_entry() {
        let now = DateTime::from_timestamp(1_000_000, 0).unwrap_or_default();
        let judge = |mins: i64| {
            VenueStatus::judge(now, Some(now - Duration::minutes(mins)), crate::DayStatus::Open, false)
        };
        assert_eq!(judge(29), VenueStatus::Active);
        assert_eq!(judge(30), VenueStatus::Quiet);
        assert_eq!(VenueStatus::judge(now, None, crate::DayStatus::Open, false), VenueStatus::NotStarted);
        assert_eq!(VenueStatus::judge(now, None, crate::DayStatus::Submitted, false), VenueStatus::Closed);
        assert_eq!(VenueStatus::judge(now, Some(now), crate::DayStatus::Open, true), VenueStatus::Closed);
    }
}
