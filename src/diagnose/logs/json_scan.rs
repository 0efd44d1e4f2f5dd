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

/// The first `"`, `\` or control character (which JSON forbids raw in a string) at or after
/// `i`, eight bytes at a time: string values are mostly 5 to 30 bytes, too short for
/// memchr's vector loop to pay off.
pub fn string_stop(b: &[u8], i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let rest = b.get(i..)?;
    let mut words = rest.chunks_exact(8);
    for (k, w) in words.by_ref().enumerate() {
        // Every chunk is eight bytes; the zero fallback is never taken.
        let w = w.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
        // Only the lowest flagged byte is exact (borrows can flag bytes above it), and the
        // lowest is the one wanted. The last term flags bytes below 0x20.
        let hits = zero_byte(w ^ (ONES * u64::from(b'"')))
            | zero_byte(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if hits != 0 {
            return Some(i + 8 * k + hits.trailing_zeros() as usize / 8);
        }
    }
    let done = rest.len() - words.remainder().len();
    words
        .remainder()
        .iter()
        .position(|c| matches!(c, b'"' | b'\\' | 0..0x20))
        .map(|p| i + done + p)
}

/// The closing quote of the string whose contents start at `s`, and whether it holds
/// escapes; `None` when it is not valid JSON (unclosed, a raw control character, a bad
/// escape or an unpaired surrogate, which serde_json refuses too).
pub fn string_end(b: &[u8], s: usize) -> Option<(usize, bool)> {
    let mut i = s;
    let mut escaped = false;
    loop {
        let q = string_stop(b, i)?;
        match b[q] {
            b'"' => return Some((q, escaped)),
            b'\\' => {
                i = escape_end(b, q)?;
                escaped = true;
            }
            _ => return None,
        }
    }
}

/// Past the escape starting with the backslash at `q`.
fn escape_end(b: &[u8], q: usize) -> Option<usize> {
    match b.get(q + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(q + 2),
        b'u' => match hex4(b, q + 2)? {
            0xD800..=0xDBFF => {
                let low = b.get(q + 6..q + 8) == Some(&b"\\u"[..]);
                (low && matches!(hex4(b, q + 8)?, 0xDC00..=0xDFFF)).then_some(q + 12)
            }
            0xDC00..=0xDFFF => None,
            _ => Some(q + 6),
        },
        _ => None,
    }
}

fn hex4(b: &[u8], i: usize) -> Option<u16> {
    let digits = b.get(i..i + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    // from_str_radix takes a sign; JSON does not.
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

/// The contents of a string with escapes, from its opening quote at `q0` to its closing
/// quote at `q1`; `None` when they are not UTF-8.
pub fn unescape(b: &[u8], q0: usize, q1: usize) -> Option<String> {
    serde_json::from_slice(&b[q0..=q1]).ok()
}

/// Containers serde_json lets a line nest (its recursion limit): a deeper line is malformed.
pub const MAX_DEPTH: usize = 127;

/// Past the JSON value at `i`, checked as strictly as serde_json checks it, without
/// building it. `depth`: containers around `i`.
pub fn skip_value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i + 1).map(|(q, _)| q + 1),
        b'-' | b'0'..=b'9' => super::number::number(b, i).map(|(end, _)| end),
        b't' => literal(b, i, b"true"),
        b'f' => literal(b, i, b"false"),
        b'n' => literal(b, i, b"null"),
        open @ (b'{' | b'[') if depth < MAX_DEPTH => {
            let close = if open == b'{' { b'}' } else { b']' };
            let mut i = skip_ws(b, i + 1);
            if b.get(i) == Some(&close) {
                return Some(i + 1);
            }
            loop {
                if open == b'{' {
                    if b.get(i) != Some(&b'"') {
                        return None;
                    }
                    let (q, _) = string_end(b, i + 1)?;
                    i = skip_ws(b, q + 1);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                }
                i = skip_ws(b, skip_value(b, i, depth + 1)?);
                match *b.get(i)? {
                    b',' => i = skip_ws(b, i + 1),
                    c if c == close => return Some(i + 1),
                    _ => return None,
                }
            }
        }
        _ => None,
    }
}

fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    b[i..].starts_with(word).then_some(i + word.len())
}

/// Past JSON whitespace from `i`. Compact lines have none, and every byte that could be
/// whitespace is at most a space, so one compare settles the usual case.
pub fn skip_ws(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(c) if *c <= b' ' => skip_ws_from(b, i),
        _ => i,
    }
}

fn skip_ws_from(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn finds_the_first_quote_backslash_or_control(s in "[a-z\"\\\\\t\u{1f}\u{7f}é]{0,40}", from in 0usize..45) {
            let b = s.as_bytes();
            let want = b.iter().enumerate().skip(from).find(|(_, c)| matches!(c, b'"' | b'\\' | 0..0x20)).map(|(i, _)| i);
            prop_assert_eq!(string_stop(b, from), want);
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
