//! Triage of access logs from files and standard input: opens them, reads gzip transparently,
//! and runs the core's chunk parser (`diagnose::logs`) on worker threads whose tallies merge
//! at the end. `authdesk logs` and `authdesk run --log` both come through here.

use crate::diagnose::DiagnoseError;
use crate::diagnose::logs::{
    Chunk, FileSummary, Format, LogStream, LogsConfig, LogsReport, MAX_THREADS, Stats,
    build_report, process,
};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

/// The access logs named for a case (`run --log`, the app's log field), triaged with the
/// default settings and labelled by their paths, as `intake::Pastes` takes them; `None`
/// when no log is named.
pub fn case_logs(paths: &[PathBuf]) -> Option<(String, LogsReport)> {
    if paths.is_empty() {
        return None;
    }
    let label = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Some((label, triage_files(paths, &LogsConfig::default())))
}

/// Triage of several files; `-` is standard input. An unreadable file is reported in
/// [`LogsReport::errors`] and the others are still read.
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
    build_report(stats, files, &names, errors, cfg)
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
    Ok(build_report(
        stats,
        files,
        &[name.to_string()],
        Vec::new(),
        cfg,
    ))
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
    let mut stream = LogStream::new(reader, cfg);
    let format = stream.format();
    let threads = match cfg.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
    .min(MAX_THREADS);
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
                        let _ = free_tx.send(chunk.into_buffer());
                    }
                    st
                })
            })
            .collect();
        while let Some(chunk) = stream.next_chunk(|| free_rx.try_recv().unwrap_or_default()) {
            if work_tx.send(chunk).is_err() {
                break;
            }
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
    match stream.into_error() {
        Some(e) => Err(DiagnoseError::read(path, lines_read + 1, e)),
        None => Ok(format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io;

    /// The core's chunk API driven on this thread alone: what the workers must add up to.
    fn on_one_thread(text: &[u8], cfg: &LogsConfig) -> LogsReport {
        let mut stream = LogStream::new(Box::new(text), cfg);
        let format = stream.format();
        let mut stats = Stats::default();
        while let Some(chunk) = stream.next_chunk(Vec::new) {
            process(0, &chunk, format, cfg, &mut stats);
        }
        assert!(stream.into_error().is_none());
        let files = vec![FileSummary {
            path: "t.log".into(),
            format,
        }];
        build_report(stats, files, &["t.log".into()], Vec::new(), cfg)
    }

    /// A line as gateways, nginx and uvicorn write it, or a broken one.
    fn any_line() -> impl Strategy<Value = String> {
        let status = prop::sample::select(vec![200u16, 201, 401, 403, 429, 500]);
        prop_oneof![
            (status.clone(), 0u8..5, 0u32..60, 0u32..900).prop_map(|(s, k, m, l)| format!(
                r#"{{"ts":"2026-11-22T10:{m:02}:00Z","status":{s},"key_id":"k{k}","path":"/v1/orders","latency_ms":{l}}}"#
            )),
            (status, 1u8..255, 0u32..60).prop_map(|(s, ip, m)| format!(
                r#"10.0.0.{ip} - - [22/Nov/2026:10:{m:02}:00 +0000] "GET /v1/keys HTTP/1.1" {s} 12 "-" "curl/8.5""#
            )),
            "[ -~]{0,40}",
            Just(String::new()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn worker_threads_add_up_to_the_core_run_on_one_thread(
            lines in prop::collection::vec(any_line(), 0..60),
            chunk_size in 1usize..300,
            threads in 1usize..5,
        ) {
            let text = lines.join("\n");
            let cfg = LogsConfig { chunk_size, threads, ..LogsConfig::default() };
            let threaded = triage_reader(text.as_bytes(), "t.log", &cfg).unwrap();
            let alone = on_one_thread(text.as_bytes(), &cfg);
            prop_assert_eq!(
                serde_json::to_string(&threaded).unwrap(),
                serde_json::to_string(&alone).unwrap()
            );
        }
    }

    /// Bytes, then a read error.
    struct Broken(&'static [u8]);

    impl Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk gone"));
            }
            self.0.read(buf)
        }
    }

    #[test]
    fn a_read_error_names_the_line_after_the_last_one_read() {
        let cfg = LogsConfig {
            chunk_size: 8,
            threads: 2,
            ..LogsConfig::default()
        };
        let err = triage_reader(Broken(b"a 401\nb 401\nc 401\n"), "cut.log", &cfg).unwrap_err();
        assert_eq!(err.to_string(), "cut.log, line 4: disk gone");
    }

    #[test]
    fn a_missing_file_is_reported_and_the_next_one_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.log");
        std::fs::write(&good, "{\"status\":401,\"key_id\":\"k1\"}\n").unwrap();
        let missing = dir.path().join("missing.log");
        let report = triage_files(&[missing.clone(), good], &LogsConfig::default());
        assert_eq!(report.requests, 1);
        assert_eq!(report.errors.len(), 1);
        assert!(
            report.errors[0]
                .to_string()
                .starts_with(&format!("{}, line 0:", missing.display())),
            "{}",
            report.errors[0]
        );
    }
}
