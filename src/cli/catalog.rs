//! Finding runbook files: the configured folders first, then the built-in runbooks.

use crate::config::Config;
use crate::runbook::{BUILTIN, Catalog, SourceFile};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The `.toml` files in `dir`, sorted, or `dir` itself when it is a file.
pub fn files_at(path: &Path) -> Result<Vec<SourceFile>> {
    if path.is_file() {
        return Ok(vec![read(path)?]);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read runbook folder {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

fn read(path: &Path) -> Result<SourceFile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(SourceFile::new(path, text))
}

/// Built-in files not replaced by a file of the same name in `files`.
fn builtins_not_in(files: &[SourceFile]) -> Vec<SourceFile> {
    BUILTIN
        .iter()
        .filter(|(path, _)| {
            !files
                .iter()
                .any(|f| f.path.file_name() == Path::new(path).file_name())
        })
        .map(|(path, text)| SourceFile::new(*path, *text))
        .collect()
}

/// Every runbook the agent can use: configured folders, then the built-ins.
pub fn load(config: &Config) -> Result<Catalog> {
    let mut files = Vec::new();
    for dir in &config.runbook_dirs.value {
        files.extend(files_at(dir)?);
    }
    files.extend(builtins_not_in(&files));
    Ok(Catalog::load(files))
}

/// The catalog for the files named on the command line, with the built-in outcome library
/// when none of them is a library, so a new runbook can reach the shared escalations.
pub fn load_paths(paths: &[PathBuf]) -> Result<Catalog> {
    let mut files = Vec::new();
    for p in paths {
        files.extend(files_at(p)?);
    }
    let has_library = files.iter().any(|f| {
        f.text
            .lines()
            .any(|l| l.trim_start().starts_with("library"))
    });
    if !has_library {
        files.extend(builtins_not_in(&files).into_iter().filter(|f| {
            f.text
                .lines()
                .any(|l| l.trim_start().starts_with("library"))
        }));
    }
    Ok(Catalog::load(files))
}

/// The runbook named on the command line: an id (`401`, `403-forbidden`) or a file path.
pub fn runbook(name: &str, config: &Config) -> Result<crate::runbook::Runbook> {
    let path = Path::new(name);
    let catalog = if path.is_file() {
        let mut files = files_at(path)?;
        for dir in &config.runbook_dirs.value {
            files.extend(files_at(dir)?.into_iter().filter(|f| f.path != path));
        }
        files.extend(builtins_not_in(&files));
        Catalog::load(files)
    } else {
        load(config)?
    };
    let found = if path.is_file() {
        catalog.runbooks.iter().find(|r| r.path == path)
    } else {
        catalog.find(name)
    };
    if let Some(rb) = found {
        return Ok(rb.clone());
    }
    let problems: Vec<String> = catalog
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    if !problems.is_empty() {
        anyhow::bail!("runbook `{name}` cannot be used:\n{}", problems.join("\n"));
    }
    let ids: Vec<&str> = catalog.runbooks.iter().map(|r| r.id.as_str()).collect();
    anyhow::bail!("no runbook `{name}` (available: {})", ids.join(", "))
}
