//! `logs`: streaming triage of access logs (JSON lines, combined/common, uvicorn). An input,
//! given as a reader, is cut into large chunks at line ends ([`LogStream`]); each chunk parses
//! into a tally ([`process`]) and the tallies merge ([`Stats::merge`]) into a [`LogsReport`],
//! so memory stays bounded by the chunks in flight and the tallies, not by the file. Opening
//! files, un-gzipping and running the workers is the edge's job (`crate::triage`).

mod chunks;
mod formats;
mod json_line;
mod json_ref;
mod json_scan;
mod number;
mod report;
mod service;
mod stats;
mod template;
mod times;

pub use formats::{FieldNames, Format, Record, parse_line};
pub use report::{Band, Group, LogsReport, build as build_report};
pub use service::{DEFAULT_PATTERN as DEFAULT_STATUS_PATTERN, ServiceConfig};
pub use stats::Stats;

use chrono::{DateTime, Utc};
use stats::Sample;
use std::io::{self, Read};

/// How to read and judge the logs.
#[derive(Debug, Clone, PartialEq)]
pub struct LogsConfig {
    pub fields: FieldNames,
    /// Only requests at or after this time (requests without a time are left out).
    pub since: Option<DateTime<Utc>>,
    /// Only requests before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only requests made with this key id.
    pub key: Option<String>,
    /// Whether the latency field measures authentication alone. Only then do the latency
    /// facts (`logs.auth_latency_*`) exist: whole-request time says nothing about auth.
    pub latency_is_auth: bool,
    /// Upper bounds of the normal, watch and investigate bands of the 401 rate.
    pub bands: [f64; 3],
    /// Entries in each top-N list.
    pub top: usize,
    /// Worker threads; 0 uses every core. At most [`MAX_THREADS`].
    pub threads: usize,
    /// Bytes per chunk handed to a worker.
    pub chunk_size: usize,
    /// Service logs: the status read from error messages, and `--by` grouping.
    pub service: ServiceConfig,
}

/// The most worker threads triage starts: beyond the cores there is nothing to gain, and
/// each thread costs a stack and two chunk buffers (100 000 of them abort the process).
pub const MAX_THREADS: usize = 256;

impl Default for LogsConfig {
    fn default() -> Self {
        Self {
            fields: FieldNames::default(),
            since: None,
            until: None,
            key: None,
            latency_is_auth: false,
            // What support teams use for an endpoint that validates every request.
            bands: [0.5, 0.7, 0.9],
            top: 10,
            threads: 0,
            chunk_size: 4 << 20,
            service: ServiceConfig::default(),
        }
    }
}

/// What the file list said about one input.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub path: String,
    pub format: Format,
}

/// One input's chunks in order, with the format decided on its first lines. The caller
/// reads the input through it (the reader is given, never opened here), hands the chunks to
/// [`process`] on as many threads as it likes and merges their [`Stats`].
pub struct LogStream<'r> {
    chunker: chunks::Chunker<'r>,
    /// The chunks read to decide the format, not yet handed out.
    head: std::vec::IntoIter<(Vec<u8>, io::Result<chunks::Filled>)>,
    format: Format,
    seq: u64,
    done: bool,
    error: Option<io::Error>,
}

impl<'r> LogStream<'r> {
    pub fn new(reader: Box<dyn Read + 'r>, cfg: &LogsConfig) -> Self {
        let mut chunker = chunks::Chunker::new(reader, cfg.chunk_size);
        // The format is decided on the first lines (within the first few MiB) however small
        // the chunks are, so the report never depends on where the input was cut (found by
        // the `log_line` fuzz property). The chunks read for it are then triaged in order.
        let mut head = Vec::new();
        let mut first = Vec::new();
        loop {
            let mut data = Vec::new();
            let filled = chunker.fill(&mut data);
            let more = matches!(&filled, Ok(f) if !f.eof);
            first.extend_from_slice(&data);
            head.push((data, filled));
            if !more
                || first.len() >= formats::DETECT_BYTES
                || formats::non_blank_lines(&first)
                    .nth(formats::DETECT_LINES - 1)
                    .is_some()
            {
                break;
            }
        }
        Self {
            chunker,
            head: head.into_iter(),
            format: formats::detect(&first, &cfg.fields),
            seq: 0,
            done: false,
            error: None,
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The next chunk, read into the buffer `spare` gives (one a worker handed back, or a
    /// new one); `None` after the last. A read error ends the input: the chunk read before
    /// it still comes out, and [`LogStream::into_error`] tells the error.
    pub fn next_chunk(&mut self, spare: impl FnOnce() -> Vec<u8>) -> Option<Chunk> {
        if self.done {
            return None;
        }
        let (data, filled) = self.head.next().unwrap_or_else(|| {
            let mut data = spare();
            let filled = self.chunker.fill(&mut data);
            (data, filled)
        });
        let (done, cut) = match filled {
            Ok(f) => (f.eof, f.cut),
            Err(e) => {
                self.error = Some(e);
                (true, None)
            }
        };
        self.done = done;
        let chunk = Chunk {
            seq: self.seq,
            data,
            cut,
        };
        self.seq += 1;
        Some(chunk)
    }

    /// The read error that ended the input early, if one did.
    pub fn into_error(self) -> Option<io::Error> {
        self.error
    }
}

/// Whole lines of one input, numbered in reading order.
pub struct Chunk {
    seq: u64,
    data: Vec<u8>,
    /// The head of a line cut after the chunk's lines.
    cut: Option<Vec<u8>>,
}

impl Chunk {
    /// The buffer back, to read a later chunk into.
    pub fn into_buffer(self) -> Vec<u8> {
        self.data
    }
}

/// Parses one chunk of input number `file` into `st`.
pub fn process(file: usize, chunk: &Chunk, format: Format, cfg: &LogsConfig, st: &mut Stats) {
    let data = chunk.data.as_slice();
    let since = cfg.since.map(|t| t.timestamp());
    let until = cfg.until.map(|t| t.timestamp());
    let timed = since.is_some() || until.is_some();
    let mut json = json_line::Picker::new(&cfg.fields);
    // The tallies read keys, IPs and paths of failures only; the key filter reads every key.
    let texts_for = cfg.key.is_none().then_some(&stats::FAILURE_STATUSES[..]);
    if let Some(statuses) = texts_for {
        json = json.texts_only_for(statuses);
    }
    let mut n = 0u64;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', data)
        .chain((start_of_tail(data) < data.len()).then_some(data.len()));
    for end in ends {
        let line = &data[start..end];
        start = end + 1;
        n += 1;
        let line = formats::trim(line);
        if line.is_empty() {
            continue;
        }
        st.lines += 1;
        let mut parsed = match format {
            // Judged cut wherever it lies, so a line's fate never depends on chunk bounds.
            _ if line.len() > chunks::MAX_LINE => None,
            Format::JsonLines => json.parse(line),
            _ => formats::parse_line(format, line, &cfg.fields, texts_for),
        };
        // Service logs: a status only in a message, or groups asked for by `--by`.
        let mut group = None;
        let by = &cfg.service.by;
        if format == Format::JsonLines
            && line.len() <= chunks::MAX_LINE
            && (parsed.is_none() || !by.is_empty())
            && let Some(v) = service::json(line)
        {
            if parsed.is_none() {
                parsed = service::record(&v, &cfg.fields, &cfg.service);
            }
            group = (!by.is_empty()).then(|| service::group(&v, by));
        }
        match parsed {
            Some(r) => {
                let out_of_window = timed
                    && r.ts.is_none_or(|t| {
                        since.is_some_and(|s| t < s) || until.is_some_and(|u| t >= u)
                    });
                let other_key = cfg
                    .key
                    .as_deref()
                    .is_some_and(|k| r.key.as_deref() != Some(k));
                if out_of_window || other_key {
                    st.filtered += 1;
                } else {
                    st.add(&r);
                    if let Some(g) = group {
                        st.add_group(g, r.status);
                    }
                }
            }
            None => malformed(st, file, chunk.seq, n, line),
        }
    }
    if let Some(head) = &chunk.cut {
        n += 1;
        st.lines += 1;
        malformed(st, file, chunk.seq, n, head);
    }
    st.chunk_lines.push((file, chunk.seq, n));
}

fn malformed(st: &mut Stats, file: usize, chunk: u64, line_in_chunk: u64, line: &[u8]) {
    st.malformed += 1;
    if st.samples.len() < stats::SAMPLES {
        let text = String::from_utf8_lossy(line);
        let text: String = crate::diagnose::redact::redact(&text)
            .chars()
            .take(200)
            .collect();
        st.sample(Sample {
            file,
            chunk,
            line_in_chunk,
            text,
        });
    }
}

/// Where the last line starts when the chunk does not end with a line break.
fn start_of_tail(data: &[u8]) -> usize {
    memchr::memrchr(b'\n', data).map_or(0, |p| p + 1)
}

#[cfg(test)]
mod tests;
