//! Cutting a stream into chunks that end at line breaks, in time linear in its length and
//! memory bounded by the chunk size, whatever the lines look like: each byte is read once
//! and searched for a line break at most twice. A line longer than [`MAX_LINE`] is cut: its
//! head is kept to show it, and the rest is skipped up to the next line break.

use std::io::Read;

/// A line longer than this is cut and counted as malformed: no log line is that long, and
/// keeping one would let a single line hold the memory.
pub const MAX_LINE: usize = 1 << 20;

/// Bytes kept of a cut line, for the sample shown of a malformed line: far more than is
/// shown, so that a secret near its start is still whole when the sample is redacted.
const CUT_HEAD: usize = 64 << 10;

/// Room kept in a chunk buffer beyond its chunk size for a carried partial line.
const CARRY_SLACK: usize = 64 << 10;

/// One chunk's worth of reading.
#[derive(Debug, PartialEq)]
pub struct Filled {
    /// The input has ended.
    pub eof: bool,
    /// The head of the overlong line that follows the chunk's last line, if one was cut.
    pub cut: Option<Vec<u8>>,
}

pub struct Chunker<'r> {
    reader: Box<dyn Read + 'r>,
    chunk_size: usize,
    /// The partial line after the last chunk's final line break.
    carry: Vec<u8>,
    /// Inside a cut line: bytes are dropped up to the next line break.
    skipping: bool,
}

impl<'r> Chunker<'r> {
    pub fn new(reader: Box<dyn Read + 'r>, chunk_size: usize) -> Self {
        Self {
            reader,
            chunk_size: chunk_size.max(1),
            carry: Vec::new(),
            skipping: false,
        }
    }

    /// Fills `buf` with whole lines (the last one without a line break only at the end of
    /// input): the carried-over partial line plus at least one block of new bytes.
    pub fn fill(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Filled> {
        buf.clear();
        buf.append(&mut self.carry);
        // The carried partial line holds no line break, so searching starts after it.
        let mut searched = buf.len();
        loop {
            let old = buf.len();
            let eof = self.read_block(buf)?;
            if self.skipping {
                match memchr::memchr(b'\n', &buf[old..]) {
                    None => buf.truncate(old),
                    Some(p) => {
                        buf.drain(old..=old + p);
                        self.skipping = false;
                    }
                }
            }
            if eof {
                return Ok(Filled { eof, cut: None });
            }
            match memchr::memrchr(b'\n', &buf[searched..]) {
                Some(p) => {
                    let tail = searched + p + 1;
                    let cut = self.keep_tail(buf, tail);
                    return Ok(Filled { eof, cut });
                }
                None if buf.len() > MAX_LINE => {
                    let cut = self.keep_tail(buf, 0);
                    return Ok(Filled { eof, cut });
                }
                None => searched = buf.len(),
            }
        }
    }

    /// Moves the partial line from `tail` on into the carry, or cuts it when it is already
    /// too long.
    fn keep_tail(&mut self, buf: &mut Vec<u8>, tail: usize) -> Option<Vec<u8>> {
        let cut = if buf.len() - tail > MAX_LINE {
            self.skipping = true;
            Some(buf[tail..tail + CUT_HEAD].to_vec())
        } else {
            self.carry.extend_from_slice(&buf[tail..]);
            None
        };
        buf.truncate(tail);
        cut
    }

    /// Appends up to one chunk size of input; `Ok(true)` when the input ended.
    fn read_block(&mut self, buf: &mut Vec<u8>) -> std::io::Result<bool> {
        // Reserving exactly keeps read_to_end from doubling the buffer past what is read;
        // the slack lets a recycled buffer take the next chunk's carried partial line too,
        // where reserving only what is missing would reallocate (and copy) every other
        // chunk.
        if buf.capacity() - buf.len() < self.chunk_size {
            buf.reserve_exact(self.chunk_size + CARRY_SLACK);
        }
        let want = self.chunk_size as u64;
        let got = (&mut self.reader).take(want).read_to_end(buf)?;
        Ok((got as u64) < want)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every chunk, and the cut lines' heads, until the end.
    fn chunks(input: &[u8], chunk_size: usize) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        let mut c = Chunker::new(Box::new(input), chunk_size);
        let mut out = Vec::new();
        loop {
            let mut buf = Vec::new();
            let f = c.fill(&mut buf).unwrap();
            out.push((buf, f.cut));
            if f.eof {
                return out;
            }
        }
    }

    #[test]
    fn an_overlong_line_is_cut_and_the_next_line_kept() {
        let mut input = b"a\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3 * MAX_LINE));
        input.extend_from_slice(b"\nb\n");
        let got = chunks(&input, 1 << 16);
        let cuts: Vec<usize> = got
            .iter()
            .filter_map(|c| c.1.as_ref())
            .map(Vec::len)
            .collect();
        assert_eq!(cuts, [CUT_HEAD]);
        let text: Vec<u8> = got.iter().flat_map(|c| c.0.clone()).collect();
        assert_eq!(text, b"a\nb\n");
        assert!(got.iter().all(|c| c.0.len() <= MAX_LINE + (2 << 16)));
    }

    proptest! {
        #[test]
        fn short_lines_come_out_whole_and_in_order(
            lines in prop::collection::vec("[a-z]{0,30}", 0..40),
            chunk_size in 1usize..64,
            final_break in any::<bool>(),
        ) {
            let mut input = lines.join("\n");
            if final_break && !input.is_empty() {
                input.push('\n');
            }
            let got = chunks(input.as_bytes(), chunk_size);
            let text: Vec<u8> = got.iter().flat_map(|c| c.0.clone()).collect();
            prop_assert_eq!(text, input.as_bytes());
            for (data, cut) in &got[..got.len() - 1] {
                prop_assert!(cut.is_none());
                prop_assert!(data.is_empty() || data.ends_with(b"\n"));
            }
        }
    }
}
