//! China's public holidays (法定节假日, with the days taken off around them) and adjusted working
//! weekends (调休上班日), 2024–2027: the one table the working-day clock reads.
//!
//! Sources, one notice of the General Office of the State Council per year:
//! - 2024: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号), 25 October 2023.
//! - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), 12 November 2024,
//!   the first year under the revised 《全国年节及纪念日放假办法》 (Spring Festival and Labour Day
//!   one day longer).
//! - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号), November 2025.
//! - 2027: PROVISIONAL. Only the statutory days of 《全国年节及纪念日放假办法》 (2024 revision)
//!   on their 2027 dates (元旦 1 Jan; 春节 除夕 5 Feb to 初三 8 Feb; 清明 5 Apr; 劳动节 1–2 May;
//!   端午 9 Jun; 中秋 15 Sep; 国庆 1–3 Oct), with no adjusted working weekends, until the 2027
//!   notice is entered here: replace this year's rows with the notice's days off and working
//!   weekends when it is published, and update [`PROVISIONAL_YEARS`].
//!
//! Keeping it current: add a year's rows from its notice (each holiday period as its days off, each
//! 调休 Saturday or Sunday as a working day) and extend [`FIRST_YEAR`]/[`LAST_YEAR`].

/// The first year the table covers.
pub const FIRST_YEAR: i32 = 2024;
/// The last year the table covers.
pub const LAST_YEAR: i32 = 2027;
/// Years whose rows are not yet from the State Council's notice (see the module documentation).
pub const PROVISIONAL_YEARS: &[i32] = &[2027];

/// Days off: (year, month, day).
pub const DAYS_OFF: &[(i32, u32, u32)] = &[
    // 2024
    (2024, 1, 1),
    (2024, 2, 10), (2024, 2, 11), (2024, 2, 12), (2024, 2, 13), (2024, 2, 14), (2024, 2, 15), (2024, 2, 16), (2024, 2, 17),
    (2024, 4, 4), (2024, 4, 5), (2024, 4, 6),
    (2024, 5, 1), (2024, 5, 2), (2024, 5, 3), (2024, 5, 4), (2024, 5, 5),
    (2024, 6, 10),
    (2024, 9, 15), (2024, 9, 16), (2024, 9, 17),
    (2024, 10, 1), (2024, 10, 2), (2024, 10, 3), (2024, 10, 4), (2024, 10, 5), (2024, 10, 6), (2024, 10, 7),
    // 2025
    (2025, 1, 1),
    (2025, 1, 28), (2025, 1, 29), (2025, 1, 30), (2025, 1, 31), (2025, 2, 1), (2025, 2, 2), (2025, 2, 3), (2025, 2, 4),
    (2025, 4, 4), (2025, 4, 5), (2025, 4, 6),
    (2025, 5, 1), (2025, 5, 2), (2025, 5, 3), (2025, 5, 4), (2025, 5, 5),
    (2025, 5, 31), (2025, 6, 1), (2025, 6, 2),
    (2025, 10, 1), (2025, 10, 2), (2025, 10, 3), (2025, 10, 4), (2025, 10, 5), (2025, 10, 6), (2025, 10, 7), (2025, 10, 8),
    // 2026
    (2026, 1, 1), (2026, 1, 2), (2026, 1, 3),
    (2026, 2, 15), (2026, 2, 16), (2026, 2, 17), (2026, 2, 18), (2026, 2, 19), (2026, 2, 20), (2026, 2, 21), (2026, 2, 22), (2026, 2, 23),
    (2026, 4, 4), (2026, 4, 5), (2026, 4, 6),
    (2026, 5, 1), (2026, 5, 2), (2026, 5, 3), (2026, 5, 4), (2026, 5, 5),
    (2026, 6, 19), (2026, 6, 20), (2026, 6, 21),
    (2026, 9, 25), (2026, 9, 26), (2026, 9, 27),
    (2026, 10, 1), (2026, 10, 2), (2026, 10, 3), (2026, 10, 4), (2026, 10, 5), (2026, 10, 6), (2026, 10, 7),
    // 2027 (provisional: statutory days only)
    (2027, 1, 1),
    (2027, 2, 5), (2027, 2, 6), (2027, 2, 7), (2027, 2, 8),
    (2027, 4, 5),
    (2027, 5, 1), (2027, 5, 2),
    (2027, 6, 9),
    (2027, 9, 15),
    (2027, 10, 1), (2027, 10, 2), (2027, 10, 3),
];

/// Adjusted working weekends (调休上班): (year, month, day).
pub const WORKING_WEEKENDS: &[(i32, u32, u32)] = &[
    // 2024
    (2024, 2, 4), (2024, 2, 18), (2024, 4, 7), (2024, 4, 28), (2024, 5, 11), (2024, 9, 14), (2024, 9, 29), (2024, 10, 12),
    // 2025
    (2025, 1, 26), (2025, 2, 8), (2025, 4, 27), (2025, 9, 28), (2025, 10, 11),
    // 2026
    (2026, 1, 4), (2026, 2, 14), (2026, 2, 28), (2026, 5, 9), (2026, 9, 20), (2026, 10, 10),
];
