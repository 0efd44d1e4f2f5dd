//! `logs`: streaming triage of access logs (JSON lines, combined/common, uvicorn), plain or
//! gzip, from files or stdin. The file is read in large chunks cut at line ends; worker
//! threads parse chunks into per-thread tallies that merge at the end, so memory stays
//! bounded by the chunk queue and the tallies, not by the file.

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
pub use report::{Band, Group, LogsReport};
pub use service::{DEFAULT_PATTERN as DEFAULT_STATUS_PATTERN, ServiceConfig};

use crate::diagnose::DiagnoseError;
use chrono::{DateTime, Utc};
use stats::{Sample, Stats};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;

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

/// Triage of several files; `-` is standard input. An unreadable file is reported in
/// [`LogsReport::unreadable`] and the others are still read.
pub fn triage_files(paths: &[PathBuf], cfg: &LogsConfig) -> LogsReport {
    let mut stats = Stats::default();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (idx, path) in paths.iter().enumerate() {
        let opened: Result<Box<dyn Read>, DiagnoseError> = if path == Path::new("-") {
            Ok(Box::new(std::io::stdin()))
        } else {
            std::fs::File::open(path)
                .map(|f| Box::new(f) as Box<dyn Read>)
                .map_err(|e| DiagnoseError::read(path, 0, e))
        };
        let result = opened.and_then(|r| triage_one(idx, path, r, cfg, &mut stats));
        match result {
            Ok(format) => files.push(FileSummary {
                path: path.display().to_string(),
                format,
            }),
            Err(e) => errors.push(e),
        }
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    report::build(stats, files, &names, errors, cfg)
}

/// Triage of one stream, e.g. a log piped in; `name` labels it in samples and errors.
pub fn triage_reader(
    reader: impl Read,
    name: &str,
    cfg: &LogsConfig,
) -> Result<LogsReport, DiagnoseError> {
    let mut stats = Stats::default();
    let format = triage_one(0, Path::new(name), Box::new(reader), cfg, &mut stats)?;
    let files = vec![FileSummary {
        path: name.to_string(),
        format,
    }];
    Ok(report::build(
        stats,
        files,
        &[name.to_string()],
        Vec::new(),
        cfg,
    ))
}

struct Chunk {
    seq: u64,
    data: Vec<u8>,
    /// The head of a line cut after the chunk's lines.
    cut: Option<Vec<u8>>,
}

fn triage_one<'r>(
    file: usize,
    path: &Path,
    reader: Box<dyn Read + 'r>,
    cfg: &LogsConfig,
    total: &mut Stats,
) -> Result<Format, DiagnoseError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let is_gzip = buffered
        .fill_buf()
        .map_err(|e| DiagnoseError::read(path, 0, e))?
        .starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn Read + 'r> = if is_gzip {
        Box::new(flate2::bufread::MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    let mut chunker = chunks::Chunker::new(reader, cfg.chunk_size);
    // The format is decided on the first lines (within the first few MiB) however small the
    // chunks are, so the report never depends on where the input was cut (found by the
    // `log_line` fuzz property). The chunks read for it are then triaged in order.
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
    let format = formats::detect(&first, &cfg.fields);
    let threads = match cfg.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
    .min(MAX_THREADS);
    let mut read_error = None;
    // A bounded queue: the reader never gets more than one chunk per worker ahead of them.
    let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(threads);
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    let work_rx = Mutex::new(work_rx);
    let per_worker: Vec<Stats> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (work_rx, free_tx) = (&work_rx, free_tx.clone());
                s.spawn(move || {
                    let mut st = Stats::default();
                    loop {
                        // A poisoned lock means another worker panicked; that panic is
                        // re-raised at join, so carrying on here is harmless.
                        let next = work_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(chunk) = next else { break };
                        process(file, &chunk, format, cfg, &mut st);
                        let _ = free_tx.send(chunk.data);
                    }
                    st
                })
            })
            .collect();
        let mut head = head.into_iter();
        let mut seq = 0;
        loop {
            let (data, filled) = head.next().unwrap_or_else(|| {
                let mut data = free_rx.try_recv().unwrap_or_default();
                let filled = chunker.fill(&mut data);
                (data, filled)
            });
            let (done, cut) = match filled {
                Ok(f) => (f.eof, f.cut),
                Err(e) => {
                    read_error = Some(e);
                    (true, None)
                }
            };
            if work_tx.send(Chunk { seq, data, cut }).is_err() {
                break;
            }
            if done {
                break;
            }
            seq += 1;
        }
        drop(work_tx);
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let lines_read: u64 = per_worker
        .iter()
        .flat_map(|s| &s.chunk_lines)
        .map(|c| c.2)
        .sum();
    for st in per_worker {
        total.merge(st);
    }
    match read_error {
        Some(e) => Err(DiagnoseError::read(path, lines_read + 1, e)),
        None => Ok(format),
    }
}

fn process(file: usize, chunk: &Chunk, format: Format, cfg: &LogsConfig, st: &mut Stats) {
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
