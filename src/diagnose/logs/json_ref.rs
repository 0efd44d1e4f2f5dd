//! The authoritative reading of a JSON-lines record, with serde_json walking the line in
//! order: a field's value is the last string, number, boolean or null whose path (its keys
//! joined by `.`, never through an array) is the configured name. The fast path
//! ([`super::json_line`]) must agree with it on every line; it also reads the rare lines
//! the fast path leaves to it.

use super::formats::{FieldNames, Record};
use super::json_line::{Leaf, latency_of, status_of, ts_of};
use super::times::iso_time;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

enum Found {
    Str(String),
    Num(f64),
    Other,
}

impl Found {
    fn leaf(&self) -> Leaf<'_> {
        match self {
            Found::Str(s) => Leaf::Str(s.as_bytes()),
            Found::Num(n) => Leaf::Num(*n),
            Found::Other => Leaf::Other,
        }
    }
}

struct Walk<'n> {
    names: [&'n str; 8],
    found: [Option<Found>; 8],
}

/// Where a value sits.
#[derive(Clone)]
enum Path {
    /// The line itself, which must be an object.
    Line,
    At(String),
    /// Inside an array: no field is there.
    Nowhere,
}

struct At<'w, 'n> {
    walk: &'w mut Walk<'n>,
    path: Path,
}

impl At<'_, '_> {
    fn leaf<E: Error>(self, v: Found) -> Result<(), E> {
        match &self.path {
            Path::Line => Err(E::custom("a line must be an object")),
            Path::Nowhere => Ok(()),
            Path::At(p) => {
                if let Some(slot) = self.walk.names.iter().position(|n| n == p) {
                    self.walk.found[slot] = Some(v);
                }
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for At<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for At<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: Error>(self, _: bool) -> Result<(), E> {
        self.leaf(Found::Other)
    }
    fn visit_unit<E: Error>(self) -> Result<(), E> {
        self.leaf(Found::Other)
    }
    fn visit_i64<E: Error>(self, v: i64) -> Result<(), E> {
        self.leaf(Found::Num(v as f64))
    }
    fn visit_u64<E: Error>(self, v: u64) -> Result<(), E> {
        self.leaf(Found::Num(v as f64))
    }
    fn visit_f64<E: Error>(self, v: f64) -> Result<(), E> {
        self.leaf(Found::Num(v))
    }
    fn visit_str<E: Error>(self, v: &str) -> Result<(), E> {
        self.leaf(Found::Str(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if matches!(self.path, Path::Line) {
            return Err(A::Error::custom("a line must be an object"));
        }
        while seq
            .next_element_seed(At {
                walk: &mut *self.walk,
                path: Path::Nowhere,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let path = match &self.path {
                Path::Line => Path::At(key.into_owned()),
                Path::At(p) => Path::At(format!("{p}.{key}")),
                Path::Nowhere => Path::Nowhere,
            };
            map.next_value_seed(At {
                walk: &mut *self.walk,
                path,
            })?;
        }
        Ok(())
    }
}

/// The record in `line`; `None` when it is not a JSON object or has no valid status.
pub fn read<'a>(line: &'a [u8], names: &FieldNames) -> Option<Record<'a>> {
    let mut walk = Walk {
        names: names.in_slot_order(),
        found: Default::default(),
    };
    let mut de = serde_json::Deserializer::from_slice(line);
    At {
        walk: &mut walk,
        path: Path::Line,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    let [status, key, ip, path, method, ts, latency, customer] = walk.found;
    let text = |f: Option<Found>| match f {
        Some(Found::Str(s)) => Some(Cow::Owned(s)),
        _ => None,
    };
    Some(Record {
        status: status_of(status?.leaf())?,
        ts: ts.and_then(|t| ts_of(t.leaf(), iso_time)),
        latency_ms: latency.and_then(|l| latency_of(l.leaf())),
        key: text(key),
        ip: text(ip),
        path: text(path),
        method: text(method),
        customer: text(customer),
    })
}
