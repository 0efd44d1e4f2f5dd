//! The evidence panel: each query with its spinner or error in place, then the key card, the
//! audit changes, the recent failures by reason, and platform health, from the walk's facts.

use super::walk::block;
use crate::escape::line;
use crate::facts::{FactValue, Facts, lookup, name};
use crate::tui::evidence::Connection;
use crate::tui::state::{Case, Load, State, WalkPane, WalkScreen};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The key card's facts, in the order an agent reads them. Labels and units of every fact
/// the panel shows come from the schema.
const KEY_CARD: &[&str] = &[
    name::KEY_STATUS,
    name::KEY_ENV,
    name::KEY_FINGERPRINT,
    name::KEY_CUSTOMER_ID,
    name::CUSTOMER_STATUS,
    name::CUSTOMER_PLAN,
    name::KEY_CREATED_AT,
    name::KEY_EXPIRES_AT,
    name::KEY_REVOKED_AT,
    name::KEY_REVOKED_BY,
    name::KEY_REVOKE_REASON,
    name::KEY_LAST_USED_AT,
    name::KEY_ACCEPTED_HEADER,
    name::KEY_ACCEPTED_SCHEME,
    name::KEY_ALLOWED_IPS,
    name::IP_ALLOWED,
    name::IP_NEAREST_MISS,
    name::KEY_SCOPES,
    name::SCOPES_MISSING,
    name::USAGE_RATE_LIMIT,
    name::USAGE_RATE_REMAINING,
    name::USAGE_QUOTA_REMAINING,
];

/// Audit changes: (when-fact, by-fact); the when-fact's label says what changed.
const AUDIT: &[(&str, Option<&str>)] = &[
    (
        name::AUDIT_ROLE_CHANGED_AT,
        Some(name::AUDIT_ROLE_CHANGED_BY),
    ),
    (
        name::AUDIT_SCOPES_CHANGED_AT,
        Some(name::AUDIT_SCOPES_CHANGED_BY),
    ),
    (
        name::AUDIT_IP_RULES_CHANGED_AT,
        Some(name::AUDIT_IP_RULES_CHANGED_BY),
    ),
    (name::AUDIT_PLAN_CHANGED_AT, None),
    (name::AUDIT_RATE_LIMIT_CHANGED_AT, None),
    (name::AUDIT_KEY_ROTATED_AT, None),
];

/// The failure counts drawn as bars of their own; the rest is one bar.
const FAILURE_BARS: &[&str] = &[name::FAILURES_RATE_LIMITED, name::FAILURES_QUOTA_EXCEEDED];

const HEALTH: &[&str] = &[
    name::HEALTH_STATUS,
    name::HEALTH_AUTH_LATENCY_P50_MS,
    name::HEALTH_AUTH_LATENCY_P99_MS,
    name::INCIDENT_CUSTOMERS_AFFECTED,
];

/// A fact's label from the schema; its name where the schema gives none.
fn label(fact: &'static str) -> &'static str {
    lookup(fact).and_then(|d| d.label).unwrap_or(fact)
}

/// A fact's value for the panel (escaped: it came from outside), with the schema's unit.
fn shown(fact: &str, value: &FactValue) -> String {
    let text = line(&value.to_string()).into_owned();
    match lookup(fact).and_then(|d| d.unit) {
        Some(unit) => format!("{text} {unit}"),
        None => text,
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    case: &Case,
    ws: &WalkScreen,
    theme: &Theme,
) {
    let focused = ws.pane == WalkPane::Evidence;
    let content = paragraph(state, case, area.width, theme);
    let total = content.line_count(area.width.saturating_sub(2)) as u16;
    let visible = area.height.saturating_sub(2);
    let scroll = ws.evidence_scroll.min(total.saturating_sub(visible));
    let mut block = block(" Evidence ".into(), focused, theme);
    if total > visible {
        // Where the view stands, as the ticket preview shows it.
        block = block.title(
            Line::styled(
                format!(" {}/{} ", (scroll + visible).min(total), total),
                theme.dim,
            )
            .right_aligned(),
        );
    }
    frame.render_widget(content.scroll((scroll, 0)).block(block), area);
}

/// How far the pane in `area` can scroll before its last row leaves the bottom.
pub fn max_scroll(state: &State, case: &Case, area: Rect) -> u16 {
    // Measured with the app's own theme: styles do not change how text wraps.
    let content = paragraph(state, case, area.width, &Theme::no_color());
    let total = content.line_count(area.width.saturating_sub(2)) as u16;
    total.saturating_sub(area.height.saturating_sub(2))
}

/// The facts the pane in `area` shows in the rows scrolled into view: what a trainee has
/// actually had in front of them, for training's "evidence opened".
pub fn facts_in_view(state: &State, case: &Case, ws: &WalkScreen, area: Rect) -> Vec<&'static str> {
    let rows = rows(state, case, area.width, &Theme::no_color());
    let inner = area.width.saturating_sub(2);
    let wrapped = |line: Line<'static>| {
        Paragraph::new(line)
            .wrap(Wrap { trim: false })
            .line_count(inner)
    };
    let heights: Vec<usize> = rows.lines.iter().cloned().map(wrapped).collect();
    let total: usize = heights.iter().sum();
    let visible = usize::from(area.height.saturating_sub(2));
    let top = usize::from(ws.evidence_scroll).min(total.saturating_sub(visible));
    let bottom = top + visible;
    let mut at = 0;
    let mut seen = Vec::new();
    for (height, facts) in heights.into_iter().zip(rows.shows) {
        if at < bottom && at + height > top {
            seen.extend(facts);
        }
        at += height;
    }
    seen
}

/// The pane's lines before wrapping, each with the facts it shows.
#[derive(Default)]
struct Rows<'a> {
    lines: Vec<Line<'a>>,
    /// One entry per line: the schema names of the facts it shows.
    shows: Vec<Vec<&'static str>>,
}

impl<'a> Rows<'a> {
    fn push(&mut self, line: Line<'a>) {
        self.show(line, Vec::new());
    }

    fn show(&mut self, line: Line<'a>, facts: Vec<&'static str>) {
        self.lines.push(line);
        self.shows.push(facts);
    }
}

/// The pane's text, wrapped to a box `width` columns wide.
fn paragraph<'a>(state: &State, case: &Case, width: u16, theme: &Theme) -> Paragraph<'a> {
    Paragraph::new(rows(state, case, width, theme).lines).wrap(Wrap { trim: false })
}

fn rows<'a>(state: &State, case: &Case, width: u16, theme: &Theme) -> Rows<'a> {
    let facts = case
        .session
        .walk
        .as_ref()
        .map_or_else(|| case.evidence.facts.clone(), |w| w.facts());
    let width = width.saturating_sub(2) as usize;
    let mut rows = Rows::default();
    for line in conflicts(case, theme)
        .into_iter()
        .chain(queries(state, case, theme))
    {
        rows.push(line);
    }
    key_card(&mut rows, &facts, theme);
    audit(&mut rows, &facts, theme);
    failures(&mut rows, &facts, width, theme);
    health(&mut rows, &facts, theme);
    rows
}

/// Open conflicts first: they change what the ticket may say.
fn conflicts<'a>(case: &Case, theme: &Theme) -> Vec<Line<'a>> {
    let Some(walk) = &case.session.walk else {
        return Vec::new();
    };
    walk.open_conflicts()
        .iter()
        .map(|c| {
            let again = c.step.map_or_else(
                || " — choose the customer when saving".to_string(),
                |i| format!(" — select step {} in the path to answer again", i + 1),
            );
            Line::styled(
                line(&format!("⚠ Conflict: {}{again}", c.describe())).into_owned(),
                theme.warn,
            )
        })
        .collect()
}

fn queries<'a>(state: &State, case: &Case, theme: &Theme) -> Vec<Line<'a>> {
    let ev = &case.evidence;
    let mut lines = Vec::new();
    match &ev.connection {
        Connection::NotStarted if facts_from_api(case) => {
            lines.push(Line::styled(
                "From the saved session (r fetches again)",
                theme.dim,
            ));
        }
        Connection::NotStarted => {
            lines.push(Line::styled("No evidence asked for yet", theme.dim));
        }
        Connection::Asking => {
            lines.push(Line::styled(
                format!("{} asking the admin API…", super::spinner(state.tick)),
                theme.accent,
            ));
        }
        Connection::Offline(why) => {
            lines.push(Line::styled(format!("⚠ {}", line(why)), theme.warn));
            lines.push(Line::styled(
                "Checks ask you instead; answer from the admin dashboard.",
                theme.dim,
            ));
        }
        Connection::Live { demo } => {
            if *demo {
                lines.push(Line::styled(" DEMO DATA: built-in demo API ", theme.banner));
            }
        }
    }
    for (kind, load) in &ev.queries {
        let query = kind.label();
        let line = match load {
            _ if ev.not_applicable(*kind) => Line::from(vec![
                Span::styled("– ", theme.dim),
                Span::styled(query, theme.dim),
                Span::styled(": not applicable, the key does not exist", theme.dim),
            ]),
            Load::Loading { .. } => Line::from(vec![
                Span::styled(format!("{} ", super::spinner(state.tick)), theme.accent),
                Span::styled(query, theme.text),
            ]),
            Load::Loaded(took) => Line::from(vec![
                Span::styled("✓ ", theme.ok),
                Span::styled(query, theme.text),
                Span::styled(format!(" {} ms", took.as_millis()), theme.dim),
            ]),
            Load::Failed(why) => Line::from(vec![
                Span::styled("✗ ", theme.error),
                Span::styled(query, theme.text),
                Span::styled(format!(": {}", line(why)), theme.error),
            ]),
        };
        lines.push(line);
    }
    for (what, why) in &ev.gaps {
        lines.push(Line::from(vec![
            Span::styled("⚠ ", theme.warn),
            Span::styled(format!("{}: {}", line(what), line(why)), theme.warn),
        ]));
    }
    lines
}

fn facts_from_api(case: &Case) -> bool {
    case.session.walk.as_ref().is_some_and(|w| {
        w.facts()
            .iter()
            .any(|(_, f)| f.source == crate::facts::FactSource::AdminApi)
    })
}

fn heading(rows: &mut Rows, title: &str, theme: &Theme) {
    rows.push(Line::default());
    rows.push(Line::styled(format!("── {title} "), theme.title));
}

fn key_card(lines: &mut Rows, facts: &Facts, theme: &Theme) {
    // The ticket flags it as a contradiction; here the record's fingerprint says so.
    let other_key_pasted = !crate::ticket::key_mismatches(facts).is_empty();
    let rows: Vec<(Line, &'static str)> = KEY_CARD
        .iter()
        .filter_map(|fact| {
            let value = facts.value(fact)?;
            let (style, note) = match (*fact, value) {
                (name::KEY_STATUS, FactValue::Text(s)) if s != "active" => (theme.error, ""),
                (name::IP_ALLOWED, FactValue::Bool(false)) => (theme.error, ""),
                (name::KEY_FINGERPRINT, _) if other_key_pasted => {
                    (theme.error, " ≠ the pasted key: another key")
                }
                _ => (theme.text, ""),
            };
            let row = Line::from(vec![
                Span::styled(format!("{:<14} ", label(fact)), theme.dim),
                Span::styled(format!("{}{note}", shown(fact, value)), style),
            ]);
            Some((row, *fact))
        })
        .collect();
    heading(lines, "Key", theme);
    if rows.is_empty() {
        lines.push(Line::styled("unknown", theme.dim));
    }
    for (row, fact) in rows {
        lines.show(row, vec![fact]);
    }
}

fn audit(lines: &mut Rows, facts: &Facts, theme: &Theme) {
    type Change = (String, String, String, Vec<&'static str>);
    let mut rows: Vec<Change> = AUDIT
        .iter()
        .filter_map(|(at, by)| {
            let what = label(at);
            let FactValue::Time(t) = facts.value(at)? else {
                return None;
            };
            let by_value = by.and_then(|b| facts.value(b));
            let shows = match (by, by_value) {
                (Some(b), Some(_)) => vec![*at, b],
                _ => vec![*at],
            };
            let by = by_value.map_or_else(String::new, |v| line(&v.to_string()).into_owned());
            Some((
                t.format("%m-%d %H:%M").to_string(),
                what.to_string(),
                by,
                shows,
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0));
    heading(lines, "Audit (recent changes)", theme);
    if rows.is_empty() {
        lines.push(Line::styled("no changes known", theme.dim));
    }
    for (when, what, by, shows) in rows {
        let row = Line::from(vec![
            Span::styled(format!("{when}  "), theme.dim),
            Span::styled(format!("{what:<12}"), theme.text),
            Span::styled(by, theme.accent),
        ]);
        lines.show(row, shows);
    }
}

fn number(facts: &Facts, name: &str) -> Option<f64> {
    match facts.value(name)? {
        FactValue::Number(n) => Some(*n),
        _ => None,
    }
}

fn failures(lines: &mut Rows, facts: &Facts, width: usize, theme: &Theme) {
    heading(lines, "Recent failures by reason", theme);
    let Some(total) = number(facts, name::FAILURES_TOTAL) else {
        lines.push(Line::styled("unknown", theme.dim));
        return;
    };
    let mut bars: Vec<(String, f64, Vec<&'static str>)> = Vec::new();
    for fact in FAILURE_BARS {
        if let Some(n) = number(facts, fact).filter(|n| *n > 0.0) {
            bars.push((label(fact).to_string(), n, vec![*fact]));
        }
    }
    let counted: f64 = bars.iter().map(|(_, n, _)| n).sum();
    let top = facts
        .value(name::FAILURES_TOP_REASON)
        .map(|v| line(&v.to_string()).into_owned());
    if total - counted > 0.0 {
        let named = top.filter(|t| !bars.iter().any(|(b, _, _)| b == t) && t != "none");
        let shows = match named {
            Some(_) => vec![name::FAILURES_TOTAL, name::FAILURES_TOP_REASON],
            None => vec![name::FAILURES_TOTAL],
        };
        bars.push((
            named.unwrap_or_else(|| "other".to_string()),
            total - counted,
            shows,
        ));
    }
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let bar_room = width.saturating_sub(16 + 7).max(4);
    for (label, n, shows) in bars {
        let len = ((n / total.max(1.0)) * bar_room as f64).round().max(1.0) as usize;
        let row = Line::from(vec![
            Span::styled(format!("{:<15} ", super::fit::end(&label, 15)), theme.text),
            Span::styled("█".repeat(len), theme.accent),
            Span::styled(format!(" {n}"), theme.dim),
        ]);
        lines.show(row, shows);
    }
    lines.show(
        Line::styled(format!("{total} failures in the window"), theme.dim),
        vec![name::FAILURES_TOTAL],
    );
    if let Some(FactValue::TextList(reasons)) = facts.value(name::FAILURES_REASONS) {
        lines.show(
            Line::styled(
                format!(
                    "reasons seen: {}",
                    line(
                        &reasons
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                ),
                theme.dim,
            ),
            vec![name::FAILURES_REASONS],
        );
    }
}

fn health(lines: &mut Rows, facts: &Facts, theme: &Theme) {
    heading(lines, "Health", theme);
    let mut any = false;
    for fact in HEALTH {
        if let Some(v) = facts.value(fact) {
            any = true;
            let style = match v {
                FactValue::Text(s) if s != "ok" => theme.error,
                _ => theme.text,
            };
            let row = Line::from(vec![
                Span::styled(format!("{:<14} ", label(fact)), theme.dim),
                Span::styled(shown(fact, v), style),
            ]);
            lines.show(row, vec![*fact]);
        }
    }
    if !any {
        lines.push(Line::styled("unknown", theme.dim));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_card_says_when_the_pasted_key_is_another_key() {
        use crate::facts::FactSource;
        let text = |pasted: &str| {
            let now = crate::testing::now();
            let record = crate::secret::Fingerprint::of("sk_live_DEMOhealthy012345678901234567890");
            let mut facts = Facts::new();
            let given = [
                ("key_id", "key_healthy".to_string(), FactSource::Intake),
                ("key", pasted.to_string(), FactSource::Intake),
                (
                    name::KEY_FINGERPRINT,
                    record.to_string(),
                    FactSource::AdminApi,
                ),
            ];
            for (fact, value, source) in given {
                facts.insert_text(fact, &value, source, now).unwrap();
            }
            let mut rows = Rows::default();
            key_card(&mut rows, &facts, &Theme::no_color());
            rows.lines
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let other = text("sk_live_CANARY0123456789canary0123456789");
        assert!(
            other.contains("fingerprint    sha256:") && other.contains("≠ the pasted key"),
            "{other}"
        );
        let same = text("sk_live_DEMOhealthy012345678901234567890");
        assert!(same.contains("fingerprint    sha256:"), "{same}");
        assert!(!same.contains("≠"), "{same}");
    }

    #[test]
    fn every_fact_the_panel_shows_has_a_label_in_the_schema() {
        let shown = KEY_CARD
            .iter()
            .chain(AUDIT.iter().map(|(at, _)| at))
            .chain(FAILURE_BARS)
            .chain(HEALTH);
        for fact in shown {
            assert!(
                lookup(fact).is_some_and(|d| d.label.is_some()),
                "{fact} has no label in the schema"
            );
        }
    }
}
