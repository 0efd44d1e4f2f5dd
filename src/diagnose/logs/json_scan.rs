//! Byte-level helpers for the JSON-lines fast path: recognising a configured key from the
//! bytes after its opening quote, and finding where a string ends. They never decide what a
//! line means; `json_line` does.

/// One configured field name, prepared so that a key in a line is recognised with a few
/// integer operations on the 16 bytes after its opening quote, not a search and a compare
/// against every name.
pub struct Name {
    /// The name's first 16 bytes, little-endian, zero-padded.
    head: u128,
    /// Covers the name's bytes within those 16.
    mask: u128,
    bytes: Box<[u8]>,
    /// False for a name holding `"` or `\` (a line can only hold it escaped, which the fast
    /// path leaves to serde_json anyway), and for a repeat of an earlier field's name: the
    /// first field named so takes the value, so at most one name ever matches a key.
    matchable: bool,
}

impl Name {
    /// `earlier`: the names of the fields before this one.
    pub fn new(name: &str, earlier: &[&str]) -> Self {
        let bytes: Box<[u8]> = name.as_bytes().into();
        let mask = mask(bytes.len());
        Self {
            head: window(&bytes, 0) & mask,
            mask,
            matchable: !bytes.iter().any(|c| matches!(c, b'"' | b'\\')) && !earlier.contains(&name),
            bytes,
        }
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the key starting at `s` (after its opening quote) is this name.
    pub fn is_key_at(&self, b: &[u8], s: usize, w: u128) -> bool {
        let n = self.bytes.len();
        self.matchable
            && w & self.mask == self.head
            && b.get(s + n) == Some(&b'"')
            && (n <= 16 || b[s..].starts_with(&self.bytes))
    }
}

/// Covers the first `n` bytes of a window.
pub fn mask(n: usize) -> u128 {
    match n {
        0..16 => (1u128 << (8 * n)) - 1,
        _ => u128::MAX,
    }
}

/// A key seen in an earlier line, at most 16 bytes, and the slot it matched: a key with the
/// same bytes matches the same slot, so it need not be compared with every name again.
#[derive(Clone, Copy)]
pub struct Seen {
    head: u128,
    mask: u128,
    len: usize,
    pub slot: Option<usize>,
}

impl Seen {
    /// Matches no key.
    pub const NONE: Seen = Seen {
        head: 1,
        mask: 0,
        len: 0,
        slot: None,
    };

    /// The key `b[s..s + len]`, whose window is `w`.
    pub fn new(w: u128, len: usize, slot: Option<usize>) -> Self {
        if len > 16 {
            return Self::NONE;
        }
        Self {
            head: w & mask(len),
            mask: mask(len),
            len,
            slot,
        }
    }

    /// Where the key starting at `s` ends if it is this one.
    pub fn end_at(&self, b: &[u8], s: usize, w: u128) -> Option<usize> {
        (w & self.mask == self.head && b.get(s + self.len) == Some(&b'"')).then_some(s + self.len)
    }
}

/// The 16 bytes from `s` as a little-endian word, zero-padded past the end.
pub fn window(b: &[u8], s: usize) -> u128 {
    let rest = b.get(s..).unwrap_or_default();
    match rest.first_chunk::<16>() {
        Some(w) => u128::from_le_bytes(*w),
        None => {
            let mut w = [0u8; 16];
            w[..rest.len()].copy_from_slice(rest);
            u128::from_le_bytes(w)
        }
    }
}

/// The first `"` or `\` at or after `i`, eight bytes at a time: string values are mostly
/// 5 to 30 bytes, too short for memchr's vector loop to pay off.
pub fn quote_or_backslash(b: &[u8], i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let rest = b.get(i..)?;
    let mut words = rest.chunks_exact(8);
    for (k, w) in words.by_ref().enumerate() {
        // Every chunk is eight bytes; the zero fallback is never taken.
        let w = w.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
        // Only the lowest flagged byte is exact (borrows can flag bytes above it), and the
        // lowest is the one wanted.
        let hits =
            zero_byte(w ^ (ONES * u64::from(b'"'))) | zero_byte(w ^ (ONES * u64::from(b'\\')));
        if hits != 0 {
            return Some(i + 8 * k + hits.trailing_zeros() as usize / 8);
        }
    }
    let done = rest.len() - words.remainder().len();
    words
        .remainder()
        .iter()
        .position(|c| matches!(c, b'"' | b'\\'))
        .map(|p| i + done + p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn finds_the_first_quote_or_backslash(s in "[a-z\"\\\\]{0,40}", from in 0usize..45) {
            let b = s.as_bytes();
            let want = b.iter().enumerate().skip(from).find(|(_, c)| matches!(c, b'"' | b'\\')).map(|(i, _)| i);
            prop_assert_eq!(quote_or_backslash(b, from), want);
        }

        #[test]
        fn keys_match_exactly_their_name(name in "[a-z_]{0,20}", key in "[a-z_]{0,20}", tail in "[,: ]{0,3}") {
            let line = format!("\"{key}\"{tail}");
            let n = Name::new(&name, &[]);
            prop_assert_eq!(n.is_key_at(line.as_bytes(), 1, window(line.as_bytes(), 1)), key == name);
            let seen = Seen::new(window(name.as_bytes(), 0), name.len(), Some(3));
            let end = seen.end_at(line.as_bytes(), 1, window(line.as_bytes(), 1));
            prop_assert_eq!(end, (key == name && name.len() <= 16).then_some(1 + name.len()));
            let again = Name::new(&name, &["x", &name]);
            prop_assert!(!again.is_key_at(line.as_bytes(), 1, window(line.as_bytes(), 1)));
        }
    }
}
