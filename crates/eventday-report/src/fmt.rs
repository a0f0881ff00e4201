//! Number formatting shared by the layout and the tests.

use crate::Lang;

/// A count with thousands separators: `1234567` -> `"1,234,567"`.
#[must_use]
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

fn group(digits: &str) -> String {
    let b = digits.as_bytes();
    let mut out = String::with_capacity(b.len() + b.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (b.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Money given in fen, shown in yuan with two decimals (`12,345.60元`), or in 万元 from one million yuan
/// up in Chinese; English uses `¥12,345.60`.
#[must_use]
pub fn money(fen: i64, lang: Lang) -> String {
    let neg = fen < 0;
    let abs = i128::from(fen).unsigned_abs();
    let sign = if neg { "-" } else { "" };
    match lang {
        Lang::Zh if abs >= 100_000_000 => {
            // Hundredths of 万元, rounded half up.
            let h = (abs + 5_000) / 10_000;
            format!("{sign}{}.{:02}万元", group(&(h / 100).to_string()), h % 100)
        }
        Lang::Zh => format!("{sign}{}.{:02}元", group(&(abs / 100).to_string()), abs % 100),
        Lang::En => format!("{sign}¥{}.{:02}", group(&(abs / 100).to_string()), abs % 100),
    }
}

/// A signed change with an explicit sign and, when the base is not zero, a percentage (in
/// full-width brackets in Chinese); `is_money` shows amounts in fen as money.
#[must_use]
pub fn change(now: i128, before: i128, lang: Lang, is_money: bool) -> String {
    let d = now - before;
    let abs = if is_money {
        money(i64::try_from(d.unsigned_abs()).unwrap_or(i64::MAX), lang)
    } else {
        group(&d.unsigned_abs().to_string())
    };
    let sign = if d > 0 {
        "+"
    } else if d < 0 {
        "−"
    } else {
        "±"
    };
    if before > 0 {
        let pct = (d as f64) / (before as f64) * 100.0;
        match lang {
            Lang::En => format!("{sign}{abs} ({sign}{:.1}%)", pct.abs()),
            _ => format!("{sign}{abs}（{sign}{:.1}%）", pct.abs()),
        }
    } else {
        format!("{sign}{abs}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_money_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(money(123456, Lang::Zh), "1,234.56元");
        assert_eq!(money(5, Lang::En), "¥0.05");
        assert_eq!(money(123_456_789_000, Lang::Zh), "123,456.79万元");
        assert_eq!(money(i64::MIN, Lang::Zh).chars().next(), Some('-'));
    }
}
