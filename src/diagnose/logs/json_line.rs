//! One JSON-lines record, read fast: a single pass over the line that checks it as strictly
//! as serde_json does and picks out the configured fields without building a document.
//! Nested objects and arrays are skipped unless a configured dotted name (`http.response.
//! status_code`) leads into them. A field's value is the last string, number, boolean or
//! null in the line whose path (its keys joined by `.`) is the configured name;
//! [`super::json_ref`] defines the same with serde_json, and only a line with an escaped
//! key on the way to a field is left to it.

use super::formats::{FieldNames, Record};
use super::json_ref;
use super::json_scan::{
    MAX_DEPTH, Name, Seen, skip_value, skip_ws, string_end, string_stop, unescape, window,
};
use super::number::{epoch_number, number, status_number, status_text};
use super::times::IsoMinute;
use std::borrow::Cow;

/// Why the fast path stopped early.
enum Stop {
    /// Not valid JSON, or not an object.
    Malformed,
    /// A key with escapes where a field could be: serde_json decides.
    Fallback,
}

/// Reads one line; for many lines, [`Picker::parse`] is faster.
pub fn parse<'a>(line: &'a [u8], names: &FieldNames) -> Option<Record<'a>> {
    Picker::new(names).parse(line)
}

// Slots of the configured names, in the order a line's key is matched against them.
const STATUS: usize = 0;
const KEY: usize = 1;
const IP: usize = 2;
const PATH: usize = 3;
const METHOD: usize = 4;
const TS: usize = 5;
const LATENCY: usize = 6;
const CUSTOMER: usize = 7;
/// How many configured fields a line is searched for.
const FIELDS: usize = 8;

#[derive(Clone, Copy)]
enum Val {
    /// A string's contents as a byte range of the line, and whether it holds escapes.
    Str(usize, usize, bool),
    Num(f64),
    /// `true`, `false`, `null`.
    Other,
}

/// A field's value as the conversions below read it, from either path.
pub enum Leaf<'x> {
    Str(&'x [u8]),
    Num(f64),
    Other,
}

/// The configured names that may still be reached inside an object: slot and how much of
/// the name the keys on the way have matched (up to and including a `.`).
#[derive(Clone, Copy, Default)]
struct Alive {
    at: [(usize, usize); FIELDS],
    len: usize,
}

impl Alive {
    fn iter(&self) -> impl Iterator<Item = &(usize, usize)> {
        self.at[..self.len].iter()
    }

    fn push(&mut self, slot: usize, off: usize) {
        self.at[self.len] = (slot, off);
        self.len += 1;
    }
}

/// The configured fields, prepared once per worker, and what the last line looked like:
/// the order of its keys and the minute of its `ts`.
pub struct Picker {
    fields: FieldNames,
    names: [Name; FIELDS],
    /// Names holding a `.`, each at most once (a repeated name belongs to its first field):
    /// the ones an object value can lead to.
    dotted: Alive,
    bytes: [Box<[u8]>; FIELDS],
    /// The n-th key of the last line. One producer writes the same keys in the same order
    /// on every line, so this one is tried first and usually is the one.
    seen: [Seen; 16],
    texts_for: Option<Box<[u16]>>,
    minute: IsoMinute,
}

impl Picker {
    pub fn new(fields: &FieldNames) -> Self {
        let names = fields.in_slot_order();
        let mut dotted = Alive::default();
        for (slot, name) in names.iter().enumerate() {
            if name.contains('.') && !names[..slot].contains(name) {
                dotted.push(slot, 0);
            }
        }
        Self {
            fields: fields.clone(),
            names: std::array::from_fn(|k| Name::new(names[k], &names[..k])),
            dotted,
            bytes: std::array::from_fn(|k| names[k].as_bytes().into()),
            seen: [Seen::NONE; 16],
            texts_for: None,
            minute: IsoMinute::default(),
        }
    }

    /// Leaves key, IP, path and method out of records whose status is not among `statuses`,
    /// for a caller that only reads them there: it saves checking and slicing them.
    pub fn texts_only_for(mut self, statuses: &[u16]) -> Self {
        self.texts_for = Some(statuses.into());
        self
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Option<Record<'a>> {
        match self.fast(line) {
            Ok(got) => self.record(line, &got),
            Err(Stop::Malformed) => None,
            Err(Stop::Fallback) => json_ref::read(line, &self.fields),
        }
    }

    /// The slot of the top-level key whose opening quote is at `i`, and where the key ends.
    /// `nth`: the key's place in the line.
    fn key(&mut self, b: &[u8], i: usize, nth: usize) -> Result<(Option<usize>, usize), Stop> {
        let s = i + 1;
        let w = window(b, s);
        if let Some(seen) = self.seen.get(nth)
            && let Some(end) = seen.end_at(b, s, w)
        {
            return Ok((seen.slot, end));
        }
        let slot = self.names.iter().position(|n| n.is_key_at(b, s, w));
        let end = match slot {
            Some(slot) => s + self.names[slot].len(),
            None => match string_stop(b, s) {
                Some(q) if b[q] == b'"' => q,
                Some(q) if b[q] == b'\\' => return Err(Stop::Fallback),
                _ => return Err(Stop::Malformed),
            },
        };
        if let Some(seen) = self.seen.get_mut(nth) {
            *seen = Seen::new(w, end - s, slot);
        }
        Ok((slot, end))
    }

    fn fast(&mut self, b: &[u8]) -> Result<[Option<Val>; FIELDS], Stop> {
        let mut got: [Option<Val>; FIELDS] = [None; FIELDS];
        let mut nth = 0;
        let mut i = skip_ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return Err(Stop::Malformed);
        }
        i = skip_ws(b, i + 1);
        if b.get(i) == Some(&b'}') {
            i += 1;
        } else {
            loop {
                if b.get(i) != Some(&b'"') {
                    return Err(Stop::Malformed);
                }
                let (slot, key_end) = self.key(b, i, nth)?;
                let key = &b[i + 1..key_end];
                i = colon(b, key_end + 1)?;
                let child = match b.get(i) {
                    Some(b'{') => self.dotted.step(&self.bytes, key).1,
                    _ => Alive::default(),
                };
                i = self.value(b, i, 1, slot, child, &mut got)?;
                nth += 1;
                match b.get(i) {
                    Some(b',') => i = skip_ws(b, i + 1),
                    Some(b'}') => {
                        i += 1;
                        break;
                    }
                    _ => return Err(Stop::Malformed),
                }
            }
        }
        if skip_ws(b, i) != b.len() {
            return Err(Stop::Malformed);
        }
        Ok(got)
    }

    /// Reads the value at `i` (`depth` containers around it) into `leaf`'s slot, or into
    /// the fields `child` leads to inside it; returns where the next token starts.
    fn value(
        &self,
        b: &[u8],
        i: usize,
        depth: usize,
        leaf: Option<usize>,
        child: Alive,
        got: &mut [Option<Val>; FIELDS],
    ) -> Result<usize, Stop> {
        let (val, end) = match b.get(i) {
            Some(b'"') => match string_end(b, i + 1) {
                Some((q, escaped)) => (Val::Str(i + 1, q, escaped), q + 1),
                None => return Err(Stop::Malformed),
            },
            Some(b'-' | b'0'..=b'9') => match number(b, i) {
                Some((e, v)) => (Val::Num(v), e),
                None => return Err(Stop::Malformed),
            },
            Some(b'{') if child.len > 0 && depth < MAX_DEPTH => {
                return Ok(skip_ws(b, self.object(b, i + 1, depth + 1, child, got)?));
            }
            Some(b'{' | b'[') => {
                let end = skip_value(b, i, depth).ok_or(Stop::Malformed)?;
                return Ok(skip_ws(b, end));
            }
            Some(b't') if b[i..].starts_with(b"true") => (Val::Other, i + 4),
            Some(b'f') if b[i..].starts_with(b"false") => (Val::Other, i + 5),
            Some(b'n') if b[i..].starts_with(b"null") => (Val::Other, i + 4),
            _ => return Err(Stop::Malformed),
        };
        if let Some(slot) = leaf {
            got[slot] = Some(val);
        }
        Ok(skip_ws(b, end))
    }

    /// A nested object from just after its `{`, where the names in `alive` may lead;
    /// returns where it ends.
    fn object(
        &self,
        b: &[u8],
        i: usize,
        depth: usize,
        alive: Alive,
        got: &mut [Option<Val>; FIELDS],
    ) -> Result<usize, Stop> {
        let mut i = skip_ws(b, i);
        if b.get(i) == Some(&b'}') {
            return Ok(i + 1);
        }
        loop {
            if b.get(i) != Some(&b'"') {
                return Err(Stop::Malformed);
            }
            let (q, escaped) = string_end(b, i + 1).ok_or(Stop::Malformed)?;
            if escaped {
                return Err(Stop::Fallback);
            }
            let (leaf, child) = alive.step(&self.bytes, &b[i + 1..q]);
            i = colon(b, q + 1)?;
            i = self.value(b, i, depth, leaf, child, got)?;
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => return Ok(i + 1),
                _ => return Err(Stop::Malformed),
            }
        }
    }

    /// The record from the values found; `None` without a valid status.
    fn record<'a>(&mut self, b: &'a [u8], got: &[Option<Val>; FIELDS]) -> Option<Record<'a>> {
        // Escaped strings are decoded only for the fields that are read.
        let bytes = |v: Option<Val>| -> Option<Cow<'a, [u8]>> {
            match v? {
                Val::Str(s, e, false) => Some(Cow::Borrowed(&b[s..e])),
                Val::Str(s, e, true) => unescape(b, s - 1, e).map(|t| Cow::Owned(t.into_bytes())),
                _ => None,
            }
        };
        let status_text = bytes(got[STATUS]);
        let status = status_of(leaf(got[STATUS], &status_text)?)?;
        let wanted = self.texts_for.as_ref().is_none_or(|w| w.contains(&status));
        // One UTF-8 check of the whole line is cheaper than one per field; when it fails,
        // each field is checked alone, so a bad byte elsewhere costs no field.
        let line = if wanted {
            std::str::from_utf8(b).ok()
        } else {
            None
        };
        let text = |v: Option<Val>| match v {
            _ if !wanted => None,
            Some(Val::Str(s, e, false)) => match line {
                Some(line) => line.get(s..e),
                None => std::str::from_utf8(&b[s..e]).ok(),
            }
            .map(Cow::Borrowed),
            Some(Val::Str(s, e, true)) => unescape(b, s - 1, e).map(Cow::Owned),
            _ => None,
        };
        let ts_text = bytes(got[TS]);
        let minute = &mut self.minute;
        let ts = leaf(got[TS], &ts_text).and_then(|l| ts_of(l, |t| minute.iso_time(t)));
        let latency_text = bytes(got[LATENCY]);
        let latency_ms = leaf(got[LATENCY], &latency_text).and_then(latency_of);
        Some(Record {
            status,
            key: text(got[KEY]),
            ip: text(got[IP]),
            path: text(got[PATH]),
            method: text(got[METHOD]),
            ts,
            latency_ms,
            customer: text(got[CUSTOMER]),
        })
    }
}

impl Alive {
    /// Past the key `key`: the slot it completes, and the names still alive inside it.
    fn step(&self, names: &[Box<[u8]>; FIELDS], key: &[u8]) -> (Option<usize>, Alive) {
        let mut leaf = None;
        let mut child = Alive::default();
        for &(slot, off) in self.iter() {
            let rest = &names[slot][off..];
            if rest == key {
                leaf = leaf.or(Some(slot));
            } else if rest.len() > key.len() && rest.starts_with(key) && rest[key.len()] == b'.' {
                child.push(slot, off + key.len() + 1);
            }
        }
        (leaf, child)
    }
}

/// A value found by the fast path, with its string contents decoded in `text`.
fn leaf<'x>(v: Option<Val>, text: &'x Option<Cow<'_, [u8]>>) -> Option<Leaf<'x>> {
    match (v?, text) {
        (Val::Num(n), _) => Some(Leaf::Num(n)),
        (Val::Other, _) => Some(Leaf::Other),
        (Val::Str(..), Some(t)) => Some(Leaf::Str(t)),
        (Val::Str(..), None) => None,
    }
}

/// Past the `:` after a key that ends before `i`, and the whitespace after it.
fn colon(b: &[u8], i: usize) -> Result<usize, Stop> {
    let i = skip_ws(b, i);
    if b.get(i) != Some(&b':') {
        return Err(Stop::Malformed);
    }
    Ok(skip_ws(b, i + 1))
}

/// A status is an integer 100..=999, as a JSON number or a three-digit string.
pub fn status_of(v: Leaf) -> Option<u16> {
    match v {
        Leaf::Num(n) => status_number(Some(n)),
        Leaf::Str(s) => status_text(s),
        Leaf::Other => None,
    }
}

/// A time is ISO 8601 text, or epoch seconds or milliseconds as a number.
pub fn ts_of(v: Leaf, iso: impl FnOnce(&[u8]) -> Option<i64>) -> Option<i64> {
    match v {
        Leaf::Str(s) => iso(s),
        Leaf::Num(n) => epoch_number(n),
        Leaf::Other => None,
    }
}

/// A latency in milliseconds, as a number or a number sent as a string; never negative.
pub fn latency_of(v: Leaf) -> Option<f64> {
    let n = match v {
        Leaf::Num(n) => n,
        Leaf::Str(s) => number(s, 0).filter(|(end, _)| *end == s.len())?.1,
        Leaf::Other => return None,
    };
    (n >= 0.0).then_some(n)
}

#[cfg(test)]
mod tests;
