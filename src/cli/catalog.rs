//! Finding runbook files: the configured folders first, then the built-in runbooks.

use crate::config::Config;
use crate::runbook::{BUILTIN, Catalog, Diagnostic, SourceFile};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Runbook files found, and those that could not be read, as problems of their own: one bad
/// file never hides the others.
#[derive(Default)]
struct Found {
    files: Vec<SourceFile>,
    unreadable: Vec<Diagnostic>,
}

impl Found {
    /// Adds the `.toml` files in the folder `path`, sorted, or `path` itself when not a folder.
    fn add(&mut self, path: &Path) {
        if !path.is_dir() {
            self.read(path);
            return;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => return self.problem(path, format!("cannot read runbook folder: {e}")),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            self.read(&p);
        }
    }

    fn read(&mut self, path: &Path) {
        match std::fs::read_to_string(path) {
            Ok(text) => self.files.push(SourceFile::new(path, text)),
            Err(e) => self.problem(path, format!("cannot read: {e}")),
        }
    }

    fn problem(&mut self, path: &Path, message: String) {
        self.unreadable.push(Diagnostic {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message,
        });
    }

    /// The catalog of the files read, its problems after those of the files not read.
    fn catalog(self) -> Catalog {
        let mut catalog = Catalog::load(self.files);
        catalog.diagnostics.splice(0..0, self.unreadable);
        catalog
    }
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
pub fn load(config: &Config) -> Catalog {
    load_with_sources(config).0
}

/// The catalog for the files named on the command line, with the built-in outcome library
/// when none of them is a library, so a new runbook can reach the shared escalations.
pub fn load_paths(paths: &[PathBuf]) -> Catalog {
    let mut found = Found::default();
    for p in paths {
        found.add(p);
    }
    let files = &mut found.files;
    let has_library = files.iter().any(|f| {
        f.text
            .lines()
            .any(|l| l.trim_start().starts_with("library"))
    });
    if !has_library {
        let libraries = builtins_not_in(files).into_iter().filter(|f| {
            f.text
                .lines()
                .any(|l| l.trim_start().starts_with("library"))
        });
        files.extend(libraries);
    }
    found.catalog()
}

/// The runbook named on the command line: an id (`401`, `403-forbidden`) or a file path.
pub fn runbook(name: &str, config: &Config) -> Result<crate::runbook::Runbook> {
    let path = Path::new(name);
    let catalog = if path.is_file() {
        let mut found = Found::default();
        found.add(path);
        for dir in &config.runbook_dirs.value {
            let mut more = Found::default();
            more.add(dir);
            found
                .files
                .extend(more.files.into_iter().filter(|f| f.path != path));
            found.unreadable.extend(more.unreadable);
        }
        let builtins = builtins_not_in(&found.files);
        found.files.extend(builtins);
        found.catalog()
    } else {
        load(config)
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

/// [`load`], with the source files it read (to point at a runbook's lines afterwards).
pub fn load_with_sources(config: &Config) -> (Catalog, Vec<SourceFile>) {
    let mut found = Found::default();
    for dir in &config.runbook_dirs.value {
        found.add(dir);
    }
    let builtins = builtins_not_in(&found.files);
    found.files.extend(builtins);
    let files = found.files.clone();
    (found.catalog(), files)
}
