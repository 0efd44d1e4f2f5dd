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
