//! Training's files, at the edge: the remembered trainee name, result files and a results
//! folder read back. `authdesk train take/report` and the terminal app both use these, so a
//! result is named and read the same way whichever front end wrote it.

use crate::training::TrainingResult;
use std::path::{Path, PathBuf};

/// Where the last trainee's name is kept, under the data folder.
const TRAINEE_FILE: &str = "training/trainee";

#[derive(Debug, thiserror::Error)]
pub enum ResultFileError {
    #[error("cannot create {}: {source}", dir.display())]
    Dir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read results folder {}: {source}", dir.display())]
    Read {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the result: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The name the last trainee gave, if any was remembered.
pub fn remembered_trainee(data_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(data_dir.join(TRAINEE_FILE)).ok()?;
    let name = text.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// Remembers the trainee's name for next time, owner-only like everything in the data folder.
pub fn remember_trainee(data_dir: &Path, name: &str) -> Result<(), ResultFileError> {
    let path = data_dir.join(TRAINEE_FILE);
    let dir = path.parent().unwrap_or(data_dir).to_path_buf();
    crate::store::private_dir(&dir).map_err(|source| ResultFileError::Dir { dir, source })?;
    crate::store::replace(&path, format!("{name}\n").as_bytes())
        .map_err(|source| ResultFileError::Write { path, source })
}

/// Saves a result as `<trainee>-<scenario>-<time>.json`, owner-only, never over another.
pub fn save_result(result: &TrainingResult, dir: &Path) -> Result<PathBuf, ResultFileError> {
    crate::store::private_dir(dir).map_err(|source| ResultFileError::Dir {
        dir: dir.to_path_buf(),
        source,
    })?;
    let name = format!(
        "{}-{}-{}.json",
        file_safe(&result.trainee),
        file_safe(&result.scenario.id),
        result.finished_at.format("%Y%m%dT%H%M%S%.3fZ")
    );
    let path = dir.join(name);
    let json = serde_json::to_string_pretty(result)?;
    crate::store::write_new(&path, json.as_bytes()).map_err(|source| ResultFileError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Every result file (`*.json`) in `dir`, in name order; a file that cannot be read is
/// reported (path and why) and the rest still count.
pub fn read_results(dir: &Path) -> Result<(Vec<TrainingResult>, Vec<String>), ResultFileError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ResultFileError::Read {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut results = Vec::new();
    let mut skipped = Vec::new();
    for path in &paths {
        let read = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<TrainingResult>(&t).map_err(|e| e.to_string()));
        match read {
            Ok(r) => results.push(r),
            Err(e) => skipped.push(format!("{}: {e}", path.display())),
        }
    }
    Ok((results, skipped))
}

/// A results folder aggregated for the class report.
pub fn report_data(dir: &Path) -> Result<super::ReportData, String> {
    let (results, skipped) = read_results(dir).map_err(|e| e.to_string())?;
    Ok(super::ReportData {
        report: crate::training::report(&results),
        files: results.len() + skipped.len(),
        skipped,
    })
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trainee_name_is_remembered_and_a_blank_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remembered_trainee(dir.path()), None);
        remember_trainee(dir.path(), "ana").unwrap();
        assert_eq!(remembered_trainee(dir.path()).as_deref(), Some("ana"));
        remember_trainee(dir.path(), "  ").unwrap();
        assert_eq!(remembered_trainee(dir.path()), None);
    }

    #[test]
    fn names_keep_only_safe_characters() {
        assert_eq!(file_safe("ana/../x y"), "ana____x_y");
    }
}
