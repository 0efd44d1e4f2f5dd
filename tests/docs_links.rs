//! The documentation holds together: every relative link in README.md and docs/*.md points at
//! a file that exists (and, for `file.md#anchor`, at a heading that exists), and the README
//! stays short enough to be read.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn documents() -> Vec<PathBuf> {
    let mut docs = vec![Path::new(ROOT).join("README.md")];
    let mut in_docs: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("readable docs/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    in_docs.sort();
    docs.extend(in_docs);
    docs.push(Path::new(ROOT).join("fuzz/README.md"));
    docs
}

/// The text outside fenced code blocks and inline code spans, where links are links.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            // Inline code: every other backtick-delimited piece.
            for (i, piece) in line.split('`').enumerate() {
                if i % 2 == 0 {
                    out.push_str(piece);
                }
            }
            out.push('\n');
        }
    }
    out
}

/// Targets of inline links `[text](target)`.
fn link_targets(markdown: &str) -> Vec<String> {
    let text = prose(markdown);
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| rest[..end].trim().to_string())
        })
        .collect()
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(markdown: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#').replace('`', "").as_str()));
        }
    }
    out
}

fn broken_links(doc: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(doc).expect("document readable");
    let dir = doc.parent().expect("a document lives in a folder");
    let mut broken = Vec::new();
    for target in link_targets(&text) {
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
        let path = if file.is_empty() {
            doc.to_path_buf()
        } else {
            dir.join(file)
        };
        if !path.exists() {
            broken.push(format!("{target}: no such file"));
        } else if !anchor.is_empty() {
            let linked = std::fs::read_to_string(&path).unwrap_or_default();
            if !anchors(&linked).iter().any(|a| a == anchor) {
                broken.push(format!("{target}: no such heading"));
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut broken = Vec::new();
    let mut links = 0;
    for doc in documents() {
        links += link_targets(&std::fs::read_to_string(&doc).unwrap()).len();
        for b in broken_links(&doc) {
            broken.push(format!(
                "{}: {b}",
                doc.strip_prefix(ROOT).unwrap().display()
            ));
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The README links into every document: a parser that found nothing would pass vacuously.
    assert!(links >= 20, "only {links} links found");
}

#[test]
fn a_link_to_a_missing_file_or_heading_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("a.md");
    std::fs::write(dir.path().join("b.md"), "# Real heading\n").unwrap();
    std::fs::write(
        &doc,
        "[ok](b.md) [ok](b.md#real-heading) [gone](c.md) [bad](b.md#nope)\n\
         `[code](not-a-link.md)`\n```\n[fenced](nor-this.md)\n```\n[web](https://example.com)\n",
    )
    .unwrap();
    assert_eq!(
        broken_links(&doc),
        ["c.md: no such file", "b.md#nope: no such heading"]
    );
}

#[test]
fn headings_become_github_anchors() {
    assert_eq!(slug("A walk at 80x24"), "a-walk-at-80x24");
    assert_eq!(
        slug("The terminal app: first frame and one walk frame"),
        "the-terminal-app-first-frame-and-one-walk-frame"
    );
    assert_eq!(
        anchors("## `authdesk inspect request [FILE]`\n"),
        ["authdesk-inspect-request-file"]
    );
}

#[test]
fn the_readme_stays_under_300_lines() {
    let lines = std::fs::read_to_string(Path::new(ROOT).join("README.md"))
        .unwrap()
        .lines()
        .count();
    assert!(
        lines < 300,
        "README.md has {lines} lines: move detail into docs/"
    );
}
