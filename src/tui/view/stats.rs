//! The stats screen: figures over saved cases as bars drawn with block glyphs, like the text
//! of `authdesk stats`. Every name on it was read from a file anyone could have edited, so
//! each passes the terminal escape; rows that do not fit end with `…`. Narrow terminals get
//! one column; wide ones two, scrolled together.

use super::bars::{Bars, scaled};
use super::{fit, layout};
use crate::escape::line;
use crate::runbook::Resolution;
use crate::stats::{Count, Stats, duration};
use crate::tui::keymap::Context;
use crate::tui::msg::Action;
use crate::tui::state::{Load, Screen, State};
use crate::tui::stats::{Figures, StatsScreen};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Columns between the two columns of a wide terminal.
const GAP: u16 = 2;

pub fn draw(frame: &mut Frame, body: Rect, state: &State, screen: &StatsScreen, theme: &Theme) {
    let [header, content] = areas(body);
    frame.render_widget(
        Paragraph::new(fit::line(
            filters(state, screen, theme),
            header.width.saturating_sub(2) as usize,
        ))
        .block(framed(" Stats ", false, theme)),
        header,
    );
    let inner = layout::inset(content);
    let columns = columns(state, screen, inner.width, theme);
    let total = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let scroll = screen.scroll.min(total.saturating_sub(inner.height));
    let marker = format!(" {}/{} ", (scroll + inner.height).min(total), total);
    frame.render_widget(
        framed(" Figures ", true, theme).title(Line::styled(marker, theme.dim).right_aligned()),
        content,
    );
    let rects = column_areas(inner, columns.len());
    for (lines, rect) in columns.into_iter().zip(rects) {
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(usize::from(scroll))
            .take(usize::from(rect.height))
            .collect();
        frame.render_widget(Paragraph::new(shown), rect);
    }
}

/// How far the figures can scroll on a terminal of the state's size.
pub fn max_scroll(state: &State) -> u16 {
    let Screen::Stats(screen) = &state.screen else {
        return 0;
    };
    let body = layout::chrome(Rect::new(0, 0, state.size.0, state.size.1)).body;
    let inner = layout::inset(areas(body)[1]);
    let columns = columns(state, screen, inner.width, &Theme::no_color());
    let total = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    total.saturating_sub(inner.height)
}

/// The filters' box, then the figures.
fn areas(body: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(body)
}

/// One column, or two side by side where the terminal is wide.
fn column_areas(inner: Rect, count: usize) -> Vec<Rect> {
    if count < 2 {
        return vec![inner];
    }
    let [left, _, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(GAP),
        Constraint::Fill(1),
    ])
    .areas(inner);
    vec![left, right]
}

fn framed<'a>(title: &'a str, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .title(Span::styled(title, theme.title))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
}

/// "Runbook all (f) · Since all time (t)", with the keys that change them.
fn filters<'a>(state: &State, screen: &StatsScreen, theme: &Theme) -> Line<'a> {
    let key = |action| {
        state
            .keys
            .first_key(Context::Stats, action)
            .map_or_else(String::new, |k| format!(" ({k})"))
    };
    let runbook = screen
        .runbook
        .as_deref()
        .map_or_else(|| "all".to_string(), |r| line(r).into_owned());
    Line::from(vec![
        Span::styled("Runbook ", theme.dim),
        Span::styled(runbook, theme.accent),
        Span::styled(key(Action::FilterRunbook), theme.key),
        Span::styled("  ·  Since ", theme.dim),
        Span::styled(screen.since.label(), theme.accent),
        Span::styled(key(Action::FilterSince), theme.key),
    ])
}

/// The rows of each column at `width` (the inside of the figures' box).
fn columns<'a>(
    state: &State,
    screen: &StatsScreen,
    width: u16,
    theme: &Theme,
) -> Vec<Vec<Line<'a>>> {
    let figures = match &screen.data {
        Load::Loading { .. } => {
            let text = format!("{} Reading saved cases…", super::spinner(state.tick));
            return vec![vec![Line::styled(text, theme.dim)]];
        }
        Load::Failed(why) => {
            let again = state
                .keys
                .first_key(Context::Stats, Action::Refresh)
                .map_or_else(String::new, |k| {
                    format!("Press {k} to read the folders again.")
                });
            let w = width as usize;
            return vec![vec![
                Line::styled(fit::message(&format!("✗ {}", line(why)), w), theme.error),
                Line::styled(again, theme.dim),
            ]];
        }
        Load::Loaded(figures) => figures,
    };
    if width >= layout::WIDE - 2 {
        let w = usize::from(width.saturating_sub(GAP) / 2);
        let (left, right) = sections(figures, w, theme);
        vec![left, right]
    } else {
        let (mut left, right) = sections(figures, width as usize, theme);
        if !right.is_empty() {
            left.push(Line::default());
        }
        left.extend(right);
        vec![left]
    }
}

/// The left column (files skipped, cases, outcomes) and the right (questions, times, open
/// cases), each row at most `w` wide.
fn sections<'a>(f: &Figures, w: usize, theme: &Theme) -> (Vec<Line<'a>>, Vec<Line<'a>>) {
    let s = &f.stats;
    let mut left = Vec::new();
    if !f.skipped.is_empty() {
        left.push(Line::styled(
            format!("✗ {} file(s) skipped:", f.skipped.len()),
            theme.error,
        ));
        for skipped in &f.skipped {
            // The folder is one of two; the file's name is what tells them apart.
            let components: Vec<_> = skipped.path.components().collect();
            let tail = components[components.len().saturating_sub(2)..]
                .iter()
                .collect::<std::path::PathBuf>();
            let text = format!("  {}: {}", tail.display(), skipped.why);
            left.push(Line::styled(fit::end(&line(&text), w), theme.error));
        }
        left.push(Line::default());
    }
    left.extend(cases(s, w, theme));
    if s.cases == 0 {
        return (left, Vec::new());
    }
    left.push(Line::default());
    left.extend(outcomes(s, w, theme));
    let mut right = questions(s, w, theme);
    right.push(Line::default());
    right.extend(node_times(s, w, theme));
    if !s.open.is_empty() {
        right.push(Line::default());
        right.extend(open_cases(s, w, theme));
    }
    (left, right)
}

fn cases<'a>(s: &Stats, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled(format!("Cases: {}", s.cases), theme.title)];
    if s.cases == 0 {
        out.extend([
            Line::styled("No saved cases here.", theme.dim),
            Line::styled(
                "Finished cases count from their tickets, open ones from their sessions.",
                theme.dim,
            ),
        ]);
        return out.into_iter().map(|l| fit::line(l, w)).collect();
    }
    let rows = [
        ("finished", s.finished),
        ("unfinished", s.unfinished),
        ("abandoned", s.abandoned),
    ];
    let bars = Bars::new(w, 10, s.cases, None);
    out.extend(
        rows.iter()
            .map(|(label, n)| bars.row(label, *n, theme.text, None, theme)),
    );
    if let Some(t) = s.case_time {
        out.push(fit::line(
            Line::styled(
                format!(
                    "Time per finished case: median {}, p90 {}",
                    duration(t.median_secs),
                    duration(t.p90_secs)
                ),
                theme.dim,
            ),
            w,
        ));
    }
    out
}

fn outcomes<'a>(s: &Stats, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled("Outcomes per runbook", theme.title)];
    let all = || s.runbooks.iter().flat_map(|r| &r.outcomes);
    let max = all().map(|o| o.count).max().unwrap_or(0);
    let labels = all().map(|o| o.outcome.chars().count()).max().unwrap_or(0);
    let notes = all()
        .map(|o| resolution(&o.resolution).chars().count())
        .max();
    let bars = Bars::new(w, labels, max, notes);
    for rb in &s.runbooks {
        let head = format!(
            "{} v{} · {}",
            line(&rb.id),
            line(&rb.version),
            plural(rb.cases, "case")
        );
        out.push(fit::line(Line::styled(head, theme.accent), w));
        if rb.outcomes.is_empty() {
            out.push(Line::styled("    none finished yet", theme.dim));
        }
        for o in &rb.outcomes {
            let style = match o.resolution {
                Resolution::Resolve => theme.ok,
                Resolution::Escalate { .. } => theme.warn,
            };
            let note = resolution(&o.resolution);
            out.push(bars.row(&o.outcome, o.count, theme.text, Some((note, style)), theme));
        }
    }
    out
}

fn resolution(r: &Resolution) -> String {
    match r {
        Resolution::Resolve => "resolve".to_string(),
        Resolution::Escalate { team } => format!("escalate to {}", line(team)),
    }
}

fn questions<'a>(s: &Stats, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled(
        "Questions asked, by missing fact",
        theme.title,
    )];
    if s.missing_facts.is_empty() && s.asked_by_design.is_empty() {
        out.push(Line::styled("  none asked", theme.dim));
        return out;
    }
    let max = s
        .missing_facts
        .iter()
        .map(|m| m.count)
        .chain(s.asked_by_design.iter().map(|c| c.count))
        .max()
        .unwrap_or(0);
    let labels = s
        .missing_facts
        .iter()
        .map(|m| m.fact.chars().count())
        .chain(s.asked_by_design.iter().map(|c| c.node.chars().count()))
        .max()
        .unwrap_or(0);
    let bars = Bars::new(w, labels, max, Some(w / 3));
    for m in &s.missing_facts {
        let note = format!("→ {}", counts(&m.questions));
        out.push(bars.row(&m.fact, m.count, theme.text, Some((note, theme.dim)), theme));
    }
    if !s.asked_by_design.is_empty() {
        out.push(Line::styled(
            "  asked by design (no check before):",
            theme.dim,
        ));
        for c in &s.asked_by_design {
            out.push(bars.row(&c.node, c.count, theme.text, None, theme));
        }
    }
    out
}

/// `ask-a 3, ask-b 1`; a single question needs no count, the bar has it.
fn counts(items: &[Count]) -> String {
    match items {
        [only] => line(&only.node).into_owned(),
        _ => items
            .iter()
            .map(|c| format!("{} {}", line(&c.node), c.count))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Per runbook, slowest median first: the median as a solid bar, up to the p90 shaded.
fn node_times<'a>(s: &Stats, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled("Time per node (█ median, ░ p90)", theme.title)];
    let max = s
        .node_times
        .iter()
        .map(|t| t.timing.p90_secs)
        .max()
        .unwrap_or(0);
    let labels = s
        .node_times
        .iter()
        .map(|t| t.node.chars().count())
        .max()
        .unwrap_or(0);
    let text = |t: &crate::stats::Timing| {
        format!("{} · p90 {}", duration(t.median_secs), duration(t.p90_secs))
    };
    let values = s
        .node_times
        .iter()
        .map(|t| text(&t.timing).chars().count())
        .max()
        .unwrap_or(0);
    let bars = Bars::new(w, labels, 0, Some(values));
    let mut runbooks: Vec<&str> = s.node_times.iter().map(|t| t.runbook.as_str()).collect();
    runbooks.sort_unstable();
    runbooks.dedup();
    for rb in runbooks {
        out.push(fit::line(
            Line::styled(line(rb).into_owned(), theme.accent),
            w,
        ));
        for t in s.node_times.iter().filter(|t| t.runbook == rb) {
            let cells = bars.bar;
            let solid = scaled(t.timing.median_secs, max, cells);
            let shaded = scaled(t.timing.p90_secs, max, cells).saturating_sub(solid);
            let row = Line::from(vec![
                Span::styled(bars.label(&t.node), theme.text),
                Span::styled("█".repeat(solid), theme.accent),
                Span::styled("░".repeat(shaded), theme.accent),
                Span::raw(" ".repeat((cells + 1).saturating_sub(solid + shaded))),
                Span::styled(text(&t.timing), theme.dim),
            ]);
            out.push(fit::line(row, w));
        }
    }
    out
}

fn open_cases<'a>(s: &Stats, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled(
        "Unfinished cases (least recently touched first)",
        theme.title,
    )];
    // Two rows each, so the abandoned mark never falls off the end of a narrow one.
    for o in &s.open {
        let at = o.at.as_deref().map_or_else(|| "intake".into(), line);
        let mut first = vec![
            Span::styled(format!("  {}", line(&o.id)), theme.text),
            Span::styled(
                format!(" · {}", o.updated_at.format("%Y-%m-%d %H:%M")),
                theme.dim,
            ),
        ];
        if o.abandoned {
            first.push(Span::styled(" · abandoned", theme.warn));
        }
        out.push(fit::line(Line::from(first), w));
        let second = Line::from(vec![
            Span::styled(format!("    {}", line(&o.runbook)), theme.accent),
            Span::styled(format!(" at {at}"), theme.dim),
        ]);
        out.push(fit::line(second, w));
    }
    out
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
