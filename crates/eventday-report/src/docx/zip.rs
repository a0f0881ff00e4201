//! A streaming ZIP writer: entries are deflated straight into any `Write` (a file, an HTTP body)
//! with their sizes and CRC in a data descriptor after the data, so nothing needs seeking back
//! and an entry of any length passes through a fixed buffer. Only what a DOCX package needs:
//! deflated entries, UTF-8 names, no ZIP64 (an entry or the archive over 4 GiB is an error).

use std::io::Write;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// Bytes of compressed output written per `write` to the inner writer (at most).
const CHUNK: usize = 64 * 1024;
/// General purpose flags: sizes in a data descriptor (bit 3), UTF-8 names (bit 11).
const FLAGS: u16 = 0x0808;
/// 1 January 1980, 00:00: the DOS date of every entry (the package's dates are in docProps).
const DOS_DATE: u16 = 0x0021;

struct Entry {
    name: String,
    offset: u32,
    crc: u32,
    compressed: u32,
    size: u32,
}

/// A ZIP archive written as it goes.
pub(crate) struct ZipStream<W: Write> {
    out: W,
    /// Bytes written so far.
    pos: u64,
    entries: Vec<Entry>,
    /// The open entry: its name, offset, CRC, sizes so far.
    open: Option<(String, u64, Crc, u64)>,
    z: Compress,
    buf: Vec<u8>,
}

fn too_big() -> std::io::Error {
    std::io::Error::other("the document is too large for a ZIP archive without ZIP64 (4 GiB)")
}

impl<W: Write> ZipStream<W> {
    pub(crate) fn new(out: W) -> Self {
        Self {
            out,
            pos: 0,
            entries: Vec::new(),
            open: None,
            z: Compress::new(Compression::fast(), false),
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }

    /// Starts an entry (closing the open one).
    pub(crate) fn start(&mut self, name: &str) -> std::io::Result<()> {
        self.finish_entry()?;
        let offset = self.pos;
        let mut h = Vec::with_capacity(30 + name.len());
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0 (deflate)
        h.extend_from_slice(&FLAGS.to_le_bytes());
        h.extend_from_slice(&8u16.to_le_bytes()); // deflate
        h.extend_from_slice(&0u16.to_le_bytes()); // time
        h.extend_from_slice(&DOS_DATE.to_le_bytes());
        h.extend_from_slice(&[0; 12]); // CRC and sizes: in the data descriptor
        h.extend_from_slice(&u16::try_from(name.len()).map_err(|_| too_big())?.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        h.extend_from_slice(name.as_bytes());
        self.put(&h)?;
        self.z.reset();
        self.open = Some((name.to_owned(), offset, Crc::new(), self.pos));
        Ok(())
    }

    /// Writes data of the open entry.
    pub(crate) fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        if let Some((_, _, crc, _)) = self.open.as_mut() {
            crc.update(data);
        }
        self.deflate(data, FlushCompress::None)
    }

    fn deflate(&mut self, mut input: &[u8], flush: FlushCompress) -> std::io::Result<()> {
        loop {
            self.buf.clear();
            let before = self.z.total_in();
            let status = self.z.compress_vec(input, &mut self.buf, flush).map_err(std::io::Error::other)?;
            let used = usize::try_from(self.z.total_in() - before).unwrap_or(input.len());
            input = &input[used.min(input.len())..];
            if !self.buf.is_empty() {
                let out = std::mem::take(&mut self.buf);
                self.put(&out)?;
                self.buf = out;
            }
            let full = self.buf.len() == self.buf.capacity();
            match flush {
                FlushCompress::Finish if status == Status::StreamEnd => return Ok(()),
                FlushCompress::Finish => {}
                _ if input.is_empty() && !full => return Ok(()),
                _ => {}
            }
        }
    }

    /// Closes the open entry: the rest of the deflate stream and the data descriptor.
    fn finish_entry(&mut self) -> std::io::Result<()> {
        if self.open.is_none() {
            return Ok(());
        }
        self.deflate(&[], FlushCompress::Finish)?;
        let Some((name, offset, crc, data_start)) = self.open.take() else { return Ok(()) };
        let compressed = u32::try_from(self.pos - data_start).map_err(|_| too_big())?;
        let size = u32::try_from(self.z.total_in()).map_err(|_| too_big())?;
        let e = Entry {
            name,
            offset: u32::try_from(offset).map_err(|_| too_big())?,
            crc: crc.sum(),
            compressed,
            size,
        };
        let mut d = Vec::with_capacity(16);
        d.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
        d.extend_from_slice(&e.crc.to_le_bytes());
        d.extend_from_slice(&e.compressed.to_le_bytes());
        d.extend_from_slice(&e.size.to_le_bytes());
        self.put(&d)?;
        self.entries.push(e);
        Ok(())
    }

    /// A whole small entry.
    pub(crate) fn file(&mut self, name: &str, data: &[u8]) -> std::io::Result<()> {
        self.start(name)?;
        self.write(data)?;
        self.finish_entry()
    }

    /// Closes the archive (central directory), returning the writer and the bytes written.
    pub(crate) fn finish(mut self) -> std::io::Result<(W, u64)> {
        self.finish_entry()?;
        let cd_start = self.pos;
        let entries = std::mem::take(&mut self.entries);
        for e in &entries {
            let mut h = Vec::with_capacity(46 + e.name.len());
            h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            h.extend_from_slice(&20u16.to_le_bytes()); // made by: 2.0, MS-DOS
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&FLAGS.to_le_bytes());
            h.extend_from_slice(&8u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&DOS_DATE.to_le_bytes());
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&e.compressed.to_le_bytes());
            h.extend_from_slice(&e.size.to_le_bytes());
            h.extend_from_slice(&u16::try_from(e.name.len()).map_err(|_| too_big())?.to_le_bytes());
            h.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
            h.extend_from_slice(&e.offset.to_le_bytes());
            h.extend_from_slice(e.name.as_bytes());
            self.put(&h)?;
        }
        let cd_size = u32::try_from(self.pos - cd_start).map_err(|_| too_big())?;
        let n = u16::try_from(entries.len()).map_err(|_| too_big())?;
        let mut end = Vec::with_capacity(22);
        end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        end.extend_from_slice(&[0; 4]); // disk numbers
        end.extend_from_slice(&n.to_le_bytes());
        end.extend_from_slice(&n.to_le_bytes());
        end.extend_from_slice(&cd_size.to_le_bytes());
        end.extend_from_slice(&u32::try_from(cd_start).map_err(|_| too_big())?.to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes());
        self.put(&end)?;
        self.out.flush()?;
        Ok((self.out, self.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::ZipStream;

    #[test]
    fn entries_inflate_back_to_what_was_written() {
        let mut z = ZipStream::new(Vec::new());
        z.file("a.txt", b"hello").expect("write");
        z.start("big.xml").expect("start");
        let line = "<w:p>公文 text 123</w:p>".repeat(1000);
        for _ in 0..50 {
            z.write(line.as_bytes()).expect("write");
        }
        let (bytes, n) = z.finish().expect("finish");
        assert_eq!(n as usize, bytes.len());
        // The end record names two entries and the central directory's offset.
        let end = &bytes[bytes.len() - 22..];
        assert_eq!(&end[..4], &[0x50, 0x4b, 0x05, 0x06]);
        assert_eq!(u16::from_le_bytes([end[10], end[11]]), 2);
        // The second entry's data inflates to what was written.
        let start = 30 + "a.txt".len();
        let second = bytes[start..].windows(4).position(|w| w == [0x50, 0x4b, 0x03, 0x04]).expect("entry 2");
        let data = start + second + 30 + "big.xml".len();
        let mut out = Vec::with_capacity(line.len() * 50 + 16);
        let mut d = flate2::Decompress::new(false);
        d.decompress_vec(&bytes[data..], &mut out, flate2::FlushDecompress::Finish).expect("inflate");
        assert_eq!(out, line.repeat(50).into_bytes());
    }
}
