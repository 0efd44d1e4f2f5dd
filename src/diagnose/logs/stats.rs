//! The running tally one worker keeps over its chunks, and how two tallies merge. Memory
//! grows with the distinct keys, IPs and path templates among failures and with the minutes
//! covered, never with the number of lines.

use super::formats::Record;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Statuses whose keys, IPs and paths are tallied, and that count as failures per minute.
pub const FAILURE_STATUSES: [u16; 3] = [401, 403, 429];
/// Latencies are tallied per whole millisecond up to this cap, so percentiles are exact at
/// that resolution in constant memory.
pub const LATENCY_CAP_MS: usize = 60_000;
/// Malformed lines kept as examples, per run.
pub const SAMPLES: usize = 5;

/// FxHash (rustc's hasher): the tallies hash short ids millions of times, and SipHash's
/// DoS resistance buys nothing for a local log file.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type Counts = HashMap<Box<str>, u64, BuildHasherDefault<FxHasher>>;

fn bump(map: &mut Counts, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.into(), 1);
        }
    }
}

/// Keys, client IPs and path templates seen with one failure status.
#[derive(Default)]
pub struct FailureTally {
    pub count: u64,
    pub keys: Counts,
    pub ips: Counts,
    pub paths: Counts,
    pub customers: Counts,
}

/// A malformed line kept to show: where it was and its (redacted, shortened) text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sample {
    pub file: usize,
    pub chunk: u64,
    pub line_in_chunk: u64,
    pub text: String,
}

pub struct Stats {
    pub requests: u64,
    pub malformed: u64,
    pub filtered: u64,
    pub lines: u64,
    pub by_status: Vec<u64>,
    pub failures: [FailureTally; 3],
    pub per_minute: HashMap<i64, u64, BuildHasherDefault<FxHasher>>,
    pub latency: Vec<u64>,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub samples: Vec<Sample>,
    /// Lines in each chunk, by (file, chunk), to turn sample positions into line numbers.
    pub chunk_lines: Vec<(usize, u64, u64)>,
    /// Requests and failures per `--by` group.
    pub groups: HashMap<Vec<String>, GroupTally>,
    /// The path template being built, reused so tallying a path allocates nothing.
    scratch: String,
}

/// One `--by` group: its requests and, in `FAILURE_STATUSES` order, its failures.
#[derive(Debug, Default, Clone, Copy)]
pub struct GroupTally {
    pub requests: u64,
    pub failures: [u64; 3],
}

impl Default for Stats {
    fn default() -> Self {
        Self {
            requests: 0,
            malformed: 0,
            filtered: 0,
            lines: 0,
            by_status: vec![0; 1000],
            failures: Default::default(),
            per_minute: HashMap::default(),
            latency: Vec::new(),
            first_ts: None,
            last_ts: None,
            samples: Vec::new(),
            chunk_lines: Vec::new(),
            groups: HashMap::new(),
            scratch: String::new(),
        }
    }
}

impl Stats {
    pub fn add(&mut self, r: &Record) {
        self.requests += 1;
        self.by_status[usize::from(r.status)] += 1;
        if let Some(ts) = r.ts {
            self.first_ts = Some(self.first_ts.map_or(ts, |f| f.min(ts)));
            self.last_ts = Some(self.last_ts.map_or(ts, |l| l.max(ts)));
        }
        if let Some(ms) = r.latency_ms {
            if self.latency.is_empty() {
                self.latency = vec![0; LATENCY_CAP_MS + 1];
            }
            // Truncation is the point: whole milliseconds, capped.
            self.latency[(ms as usize).min(LATENCY_CAP_MS)] += 1;
        }
        let Some(slot) = FAILURE_STATUSES.iter().position(|s| *s == r.status) else {
            return;
        };
        if let Some(ts) = r.ts {
            *self.per_minute.entry(ts.div_euclid(60)).or_default() += 1;
        }
        let tally = &mut self.failures[slot];
        tally.count += 1;
        if let Some(k) = &r.key {
            bump(&mut tally.keys, k);
        }
        if let Some(ip) = &r.ip {
            bump(&mut tally.ips, ip);
        }
        if let Some(c) = &r.customer {
            bump(&mut tally.customers, c);
        }
        if let Some(p) = &r.path {
            super::template::path_template(p, &mut self.scratch);
            bump(&mut tally.paths, &self.scratch);
        }
    }

    pub fn add_group(&mut self, group: Vec<String>, status: u16) {
        let tally = self.groups.entry(group).or_default();
        tally.requests += 1;
        if let Some(slot) = FAILURE_STATUSES.iter().position(|s| *s == status) {
            tally.failures[slot] += 1;
        }
    }

    pub fn sample(&mut self, sample: Sample) {
        if self.samples.len() < SAMPLES {
            self.samples.push(sample);
        }
    }

    pub fn merge(&mut self, other: Stats) {
        self.requests += other.requests;
        self.malformed += other.malformed;
        self.filtered += other.filtered;
        self.lines += other.lines;
        for (a, b) in self.by_status.iter_mut().zip(&other.by_status) {
            *a += b;
        }
        for (mine, theirs) in self.failures.iter_mut().zip(other.failures) {
            mine.count += theirs.count;
            for (m, t) in [
                (&mut mine.keys, theirs.keys),
                (&mut mine.ips, theirs.ips),
                (&mut mine.paths, theirs.paths),
                (&mut mine.customers, theirs.customers),
            ] {
                for (k, n) in t {
                    *m.entry(k).or_default() += n;
                }
            }
        }
        for (minute, n) in other.per_minute {
            *self.per_minute.entry(minute).or_default() += n;
        }
        if self.latency.is_empty() {
            self.latency = other.latency;
        } else {
            for (a, b) in self.latency.iter_mut().zip(&other.latency) {
                *a += b;
            }
        }
        self.first_ts = [self.first_ts, other.first_ts].into_iter().flatten().min();
        self.last_ts = [self.last_ts, other.last_ts].into_iter().flatten().max();
        // Each side holds its own first samples; the run's first ones are among them.
        self.samples.extend(other.samples);
        self.samples.sort();
        self.samples.truncate(SAMPLES);
        self.chunk_lines.extend(other.chunk_lines);
        for (group, t) in other.groups {
            let mine = self.groups.entry(group).or_default();
            mine.requests += t.requests;
            for (a, b) in mine.failures.iter_mut().zip(t.failures) {
                *a += b;
            }
        }
    }
}
