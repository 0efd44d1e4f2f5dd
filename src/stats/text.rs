//! The figures as plain text for a terminal. Ids and labels come from files anyone can edit,
//! so each is passed through [`crate::escape::line`] before it is printed.

use super::{Count, PathNode, Stats, Timing};
use crate::escape::line;
use crate::runbook::Resolution;
use std::fmt::Write;

/// Bars are scaled so the largest count fills this many cells.
const BAR_WIDTH: usize = 20;

pub fn to_text(stats: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Cases: {} ({} finished, {} unfinished, {} abandoned)",
        stats.cases, stats.finished, stats.unfinished, stats.abandoned
    );
    if let Some(t) = stats.case_time {
        let _ = writeln!(out, "Time per finished case: {}", timing(t));
    }
    for rb in &stats.runbooks {
        let _ = writeln!(
            out,
            "\n{} v{} ({})\n  Outcomes",
            line(&rb.id),
            line(&rb.version),
            plural(rb.cases, "case")
        );
        let max = rb.outcomes.iter().map(|o| o.count).max().unwrap_or(0);
        for o in &rb.outcomes {
            let how = match &o.resolution {
                Resolution::Resolve => "resolve".to_string(),
                Resolution::Escalate { team } => format!("escalate to {}", line(team)),
            };
            let _ = writeln!(
                out,
                "    {:<32} {:<24} {:>4} {}",
                line(&o.outcome),
                how,
                o.count,
                bar(o.count, max)
            );
        }
        out.push_str("  Paths\n");
        tree(&mut out, &rb.paths, "    ", true);
    }
    if !stats.missing_facts.is_empty() || !stats.asked_by_design.is_empty() {
        out.push_str("\nQuestions asked, by the fact a check was missing\n");
    }
    for m in &stats.missing_facts {
        let _ = writeln!(
            out,
            "  {}: missing {}×, at {}",
            line(&m.fact),
            m.count,
            counts(&m.checks)
        );
        for q in &m.questions {
            let _ = writeln!(out, "    {:<36} {:>4}", line(&q.node), q.count);
        }
    }
    if !stats.asked_by_design.is_empty() {
        out.push_str("  (no check before it: asked by design)\n");
        for q in &stats.asked_by_design {
            let _ = writeln!(out, "    {:<36} {:>4}", line(&q.node), q.count);
        }
    }
    if !stats.node_times.is_empty() {
        out.push_str("\nTime per node (median, p90, samples)\n");
    }
    for n in &stats.node_times {
        let _ = writeln!(
            out,
            "  {:<44} {}",
            format!("{} {}", line(&n.runbook), line(&n.node)),
            timing(n.timing)
        );
    }
    if !stats.open.is_empty() {
        out.push_str("\nUnfinished cases (least recently touched first)\n");
    }
    for o in &stats.open {
        let _ = writeln!(
            out,
            "  {}  {:<20} at {:<28} updated {}{}",
            line(&o.id),
            line(&o.runbook),
            o.at.as_deref().map_or("intake".into(), line),
            o.updated_at.format("%Y-%m-%d %H:%M"),
            if o.abandoned { "  abandoned" } else { "" }
        );
    }
    out
}

fn timing(t: Timing) -> String {
    format!(
        "median {}, p90 {}, {}",
        duration(t.median_secs),
        duration(t.p90_secs),
        plural(t.samples, "sample")
    )
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// "45s", "4m 05s", "2h 03m".
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

fn bar(count: usize, max: usize) -> String {
    let cells = (count * BAR_WIDTH).div_ceil(max.max(1));
    "█".repeat(cells)
}

fn counts(items: &[Count]) -> String {
    items
        .iter()
        .map(|c| format!("{} {}", line(&c.node), c.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The path tree; a run of nodes every case went through alike reads as one line, `a → b`.
fn tree(out: &mut String, level: &[PathNode], indent: &str, root: bool) {
    for (i, first) in level.iter().enumerate() {
        let (branch, more) = match (root, i + 1 == level.len()) {
            (true, _) => ("", ""),
            (false, true) => ("└─ ", "   "),
            (false, false) => ("├─ ", "│  "),
        };
        let mut names = vec![line(&first.node)];
        let mut n = first;
        while let [only] = n.next.as_slice()
            && only.cases == n.cases
            && n.open == 0
        {
            names.push(line(&only.node));
            n = only;
        }
        let open = if n.open > 0 {
            format!(" ({} open here)", n.open)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{indent}{branch}{} {}{open}",
            names.join(" → "),
            n.cases
        );
        tree(out, &n.next, &format!("{indent}{more}"), false);
    }
}
