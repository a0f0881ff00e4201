//! A ZIP archive written entry by entry as it streams out: entries are stored (JPEG, PNG and WebP
//! do not shrink under deflate), each one's CRC-32 and size are known before its header because
//! the whole file is at hand (one photo at a time), so no data descriptors are needed. Only the
//! central directory's few bytes per entry stay in memory. ZIP64 records are written when the
//! archive passes 4 GiB or 65,535 entries. Names are UTF-8 (general-purpose flag bit 11).

/// Builds the archive's bytes around the entries' data; the caller sends each piece as it comes.
#[derive(Default)]
pub struct ZipEncoder {
    /// Bytes handed out so far (the next local header's offset).
    offset: u64,
    central: Vec<u8>,
    entries: u64,
}

const ZIP64_LIMIT: u64 = 0xFFFF_FFFF;

/// A DOS date and time (local time as the archive's readers show it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    /// `(hour << 11) | (minute << 5) | (second / 2)`.
    pub time: u16,
    /// `((year - 1980) << 9) | (month << 5) | day`.
    pub date: u16,
}

impl DosTime {
    /// From a local date and time (years before 1980 become 1980-01-01).
    #[must_use]
    pub fn from(t: chrono::NaiveDateTime) -> Self {
        use chrono::{Datelike, Timelike};
        if t.year() < 1980 || t.year() > 2107 {
            return DosTime { time: 0, date: (1 << 5) | 1 };
        }
        let time = (t.hour() << 11) | (t.minute() << 5) | (t.second() / 2);
        let date = ((t.year() as u32 - 1980) << 9) | (t.month() << 5) | t.day();
        DosTime { time: u16::try_from(time).unwrap_or(0), date: u16::try_from(date).unwrap_or(0) }
    }
}

impl ZipEncoder {
    /// The local header of the next entry, whose data (`data`, stored) the caller sends right
    /// after it.
    pub fn entry_header(&mut self, name: &str, data: &[u8], when: DosTime) -> Vec<u8> {
        let crc = crc32fast::hash(data);
        let size = data.len() as u64;
        let name_bytes = name.as_bytes();
        let name_len = u16::try_from(name_bytes.len()).unwrap_or(u16::MAX);
        let name_bytes = &name_bytes[..usize::from(name_len)];
        // A photo is at most 5 MiB: sizes always fit 32 bits; only the offset may not.
        let size32 = u32::try_from(size).unwrap_or(u32::MAX);
        let mut local = Vec::with_capacity(30 + name_bytes.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes());
        local.extend_from_slice(&0x0800u16.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(&when.time.to_le_bytes());
        local.extend_from_slice(&when.date.to_le_bytes());
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&size32.to_le_bytes());
        local.extend_from_slice(&size32.to_le_bytes());
        local.extend_from_slice(&name_len.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(name_bytes);

        let big = self.offset >= ZIP64_LIMIT;
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        // Made by: Unix (3), spec 4.5; needed: 4.5 with a ZIP64 field, else 2.0.
        c.extend_from_slice(&0x032Du16.to_le_bytes());
        c.extend_from_slice(&(if big { 45u16 } else { 20 }).to_le_bytes());
        c.extend_from_slice(&0x0800u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&when.time.to_le_bytes());
        c.extend_from_slice(&when.date.to_le_bytes());
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&size32.to_le_bytes());
        c.extend_from_slice(&size32.to_le_bytes());
        c.extend_from_slice(&name_len.to_le_bytes());
        c.extend_from_slice(&(if big { 12u16 } else { 0 }).to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        // External attributes: a regular file, rw-r--r--.
        c.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        let off32 = if big { u32::MAX } else { u32::try_from(self.offset).unwrap_or(u32::MAX) };
        c.extend_from_slice(&off32.to_le_bytes());
        c.extend_from_slice(name_bytes);
        if big {
            c.extend_from_slice(&1u16.to_le_bytes());
            c.extend_from_slice(&8u16.to_le_bytes());
            c.extend_from_slice(&self.offset.to_le_bytes());
        }
        self.offset += local.len() as u64 + size;
        self.entries += 1;
        local
    }

    /// The central directory and the end records, after the last entry.
    #[must_use]
    pub fn finish(self) -> Vec<u8> {
        let ZipEncoder { offset, mut central, entries } = self;
        let cd_size = central.len() as u64;
        let cd_offset = offset;
        let zip64 = cd_offset >= ZIP64_LIMIT || cd_size >= ZIP64_LIMIT || entries >= 0xFFFF;
        if zip64 {
            let end64 = cd_offset + cd_size;
            central.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            central.extend_from_slice(&44u64.to_le_bytes());
            central.extend_from_slice(&45u16.to_le_bytes());
            central.extend_from_slice(&45u16.to_le_bytes());
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&entries.to_le_bytes());
            central.extend_from_slice(&entries.to_le_bytes());
            central.extend_from_slice(&cd_size.to_le_bytes());
            central.extend_from_slice(&cd_offset.to_le_bytes());
            central.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&end64.to_le_bytes());
            central.extend_from_slice(&1u32.to_le_bytes());
        }
        let n16 = if zip64 { u16::MAX } else { u16::try_from(entries).unwrap_or(u16::MAX) };
        let size32 = if zip64 { u32::MAX } else { u32::try_from(cd_size).unwrap_or(u32::MAX) };
        let off32 = if zip64 { u32::MAX } else { u32::try_from(cd_offset).unwrap_or(u32::MAX) };
        central.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&n16.to_le_bytes());
        central.extend_from_slice(&n16.to_le_bytes());
        central.extend_from_slice(&size32.to_le_bytes());
        central.extend_from_slice(&off32.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central
    }
}

/// A file-name part without path separators, characters Windows refuses, control characters or
/// spaces (made `-`), at most 40 characters; `fallback` when nothing is left.
#[must_use]
pub fn name_part(s: &str, fallback: &str) -> String {
    let cleaned: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '_' => '-',
            c if c.is_control() || c.is_whitespace() => '-',
            c => c,
        })
        .take(40)
        .collect();
    let trimmed = cleaned.trim_matches(['-', '.']).to_owned();
    if trimmed.is_empty() { fallback.to_owned() } else { trimmed }
}

/// Makes `name.ext` unique among `taken` by adding `-2`, `-3` ... before the extension.
pub fn unique_name(stem: &str, ext: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when() -> DosTime {
        DosTime::from(
            chrono::NaiveDate::from_ymd_opt(2013, 3, 15)
                .and_then(|d| d.and_hms_opt(9, 5, 0))
                .unwrap_or_default(),
        )
    }

    #[test]
    fn an_archive_lists_its_entries_in_the_central_directory() {
        let mut z = ZipEncoder::default();
        let mut out = z.entry_header("a.jpg", b"hello", when());
        out.extend_from_slice(b"hello");
        let h2 = z.entry_header("照片.txt", b"", when());
        out.extend_from_slice(&h2);
        out.extend_from_slice(&z.finish());
        assert!(out.starts_with(b"PK\x03\x04"));
        // End record: 2 entries, the directory right after the data.
        let end = &out[out.len() - 22..];
        assert_eq!(&end[..4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([end[8], end[9]]), 2);
        let cd_off = u32::from_le_bytes([end[16], end[17], end[18], end[19]]) as usize;
        assert_eq!(&out[cd_off..cd_off + 4], b"PK\x01\x02");
        assert_eq!(cd_off, 30 + 5 + 5 + 30 + "照片.txt".len());
        // CRC-32 of "hello".
        assert_eq!(&out[14..18], &0x3610_a686u32.to_le_bytes());
    }

    #[test]
    fn names_lose_separators_and_stay_unique() {
        assert_eq!(name_part(" 后湖/分会: A_B ", "x"), "后湖-分会--A-B");
        assert_eq!(name_part("..", "venue"), "venue");
        let mut taken = std::collections::HashSet::new();
        assert_eq!(unique_name("a", "jpg", &mut taken), "a.jpg");
        assert_eq!(unique_name("a", "jpg", &mut taken), "a-2.jpg");
        assert_eq!(unique_name("a", "jpg", &mut taken), "a-3.jpg");
    }
}
