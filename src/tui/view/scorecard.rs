//! The score card and debrief: the verdict and the figures it came from, then the trainee's
//! path beside the expected one with the first divergence marked, then why and the trap.
//! One scrollable page; scenario and result text is escaped like all outside text.

use super::fit;
use super::training::{verdict, wrap};
use super::walk::block;
use crate::escape::line;
use crate::training::{PathStep, TrainingResult};
use crate::tui::theme::Theme;
use crate::tui::training::{Card, clock};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Columns given to the labels of the figures.
const LABEL: usize = 12;

pub fn draw(frame: &mut Frame, body: Rect, card: &Card, theme: &Theme) {
    let width = body.width.saturating_sub(2) as usize;
    let r = &card.result;
    let title = format!(
        " Score card · {} (v{}) ",
        line(&r.scenario.title),
        r.scenario.version
    );
    let lines = lines(card, width, theme);
    let visible = body.height.saturating_sub(2);
    let scroll = card
        .scroll
        .min((lines.len() as u16).saturating_sub(visible));
    let more = if (lines.len() as u16) > visible {
        format!(
            " {}/{} ",
            (scroll + visible).min(lines.len() as u16),
            lines.len()
        )
    } else {
        String::new()
    };
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            block(fit::end(&title, width), true, theme)
                .title(Line::styled(more, theme.dim).right_aligned()),
        ),
        body,
    );
}

fn figure<'a>(label: &str, value: Vec<Span<'a>>, width: usize, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), theme.dim)];
    spans.extend(value);
    fit::line(Line::from(spans), width)
}

pub fn lines<'a>(card: &Card, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let r = &card.result;
    let style = verdict(r.passed, theme);
    let mut out = vec![Line::from(vec![
        Span::styled(if r.passed { "PASS" } else { "FAIL" }, style),
        Span::styled(
            format!("  score {}/100 · grade {}", r.score, line(&r.grade)),
            theme.title,
        ),
        Span::styled(format!(" · {}", line(&r.trainee)), theme.dim),
    ])];
    out.push(Line::default());
    let right = r.outcome_reached == r.expected_outcome;
    let outcome = if right {
        vec![
            Span::styled(line(&r.outcome_reached).into_owned(), theme.text),
            Span::styled("  ✓ right", theme.ok),
        ]
    } else {
        vec![
            Span::styled(line(&r.outcome_reached).into_owned(), theme.text),
            Span::styled(
                format!("  ✗ wrong, expected {}", line(&r.expected_outcome)),
                theme.error,
            ),
        ]
    };
    out.push(figure("Outcome", outcome, width, theme));
    if r.critical_errors.is_empty() {
        out.push(figure(
            "Critical",
            vec![Span::styled("none", theme.ok)],
            width,
            theme,
        ));
    }
    for (i, c) in r.critical_errors.iter().enumerate() {
        let label = if i == 0 { "Critical" } else { "" };
        let text = format!("✗ {}: {}", line(&c.rule), line(&c.why));
        out.push(figure(
            label,
            vec![Span::styled(text, theme.error)],
            width,
            theme,
        ));
    }
    let over = r.questions_answered > r.par;
    out.push(figure(
        "Questions",
        vec![Span::styled(
            format!("{} answered, par {}", r.questions_answered, r.par),
            if over { theme.warn } else { theme.text },
        )],
        width,
        theme,
    ));
    let cost: u32 = r.hints_used.iter().map(|h| h.cost).sum();
    out.push(figure(
        "Hints",
        vec![Span::styled(
            format!("{} used (−{cost})", r.hints_used.len()),
            if cost > 0 { theme.warn } else { theme.text },
        )],
        width,
        theme,
    ));
    out.push(figure("Evidence", evidence(r, theme), width, theme));
    let path = match &r.first_divergence {
        Some(node) => Span::styled(
            format!("left the expected path at {} (▶ below)", line(node)),
            theme.error,
        ),
        None => Span::styled("the expected path", theme.ok),
    };
    out.push(figure("Path", vec![path], width, theme));
    out.push(figure(
        "Time",
        vec![Span::styled(
            format!("{} (par {})", clock(r.seconds), clock(r.par_seconds)),
            if r.seconds > r.par_seconds {
                theme.warn
            } else {
                theme.text
            },
        )],
        width,
        theme,
    ));
    for d in &r.deductions {
        out.push(figure(
            "",
            vec![Span::styled(
                format!("−{} {}", d.points, line(&d.what)),
                theme.dim,
            )],
            width,
            theme,
        ));
    }
    let saved = match &card.saved {
        None => Span::styled("saving…", theme.dim),
        Some(Ok(path)) => Span::styled(format!("✓ {}", path.display()), theme.ok),
        Some(Err(why)) => Span::styled(format!("✗ {}", line(why)), theme.error),
    };
    out.push(figure("Result", vec![saved], width, theme));
    out.push(Line::default());
    out.extend(paths(r, width, theme));
    out.push(Line::default());
    out.push(Line::styled("Debrief", theme.title));
    out.extend(
        wrap(&r.debrief.why, width)
            .into_iter()
            .map(|l| Line::styled(l, theme.text)),
    );
    out.push(Line::default());
    out.push(Line::styled("The trap", theme.title));
    out.extend(
        wrap(&r.debrief.trap, width)
            .into_iter()
            .map(|l| Line::styled(l, theme.text)),
    );
    out
}

/// The deciding facts, each ticked when the trainee had it on screen; then any opened
/// beyond those.
fn evidence<'a>(r: &TrainingResult, theme: &Theme) -> Vec<Span<'a>> {
    let opened = |f: &String| r.evidence_opened.contains(f);
    let seen = r.evidence_deciding.iter().filter(|f| opened(f)).count();
    let mut spans = vec![Span::styled(
        format!(
            "opened {seen} of the {} that decided it",
            r.evidence_deciding.len()
        ),
        theme.text,
    )];
    for f in &r.evidence_deciding {
        let (mark, style) = if opened(f) {
            ("✓", theme.ok)
        } else {
            ("·", theme.dim)
        };
        spans.push(Span::styled(format!("  {mark} {}", line(f)), style));
    }
    spans
}

fn step(s: Option<&PathStep>) -> String {
    match s {
        None => String::new(),
        // A question shows the answer given; a check, decided by evidence, only where it led.
        Some(s) => match &s.choice {
            Some(choice) => format!("{}: {} → {}", line(&s.node), line(choice), line(&s.next)),
            None => format!("{} → {}", line(&s.node), line(&s.next)),
        },
    }
}

/// Two columns, row by row; the first row where the paths part is marked ▶.
fn paths<'a>(r: &TrainingResult, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let col = width.saturating_sub(3) / 2;
    let mut out = vec![Line::styled(
        format!(
            "  {:<w$} {}",
            "Your path",
            "Expected path",
            w = col.saturating_sub(1)
        ),
        theme.title,
    )];
    let rows = r.path.len().max(r.expected_path.len());
    let mut marked = false;
    for i in 0..rows {
        let (mine, expected) = (r.path.get(i), r.expected_path.get(i));
        let parts = match (mine, expected) {
            (Some(a), Some(b)) => a.node != b.node || a.next != b.next,
            _ => true,
        };
        let first = !marked
            && parts
            && r.first_divergence.as_deref() == mine.or(expected).map(|s| s.node.as_str());
        marked |= first;
        let (mark, style) = if first {
            ("▶ ", theme.error)
        } else {
            ("  ", theme.text)
        };
        out.push(Line::from(vec![
            Span::styled(mark, style),
            Span::styled(
                format!(
                    "{:<w$} {}",
                    fit::end(&step(mine), col.saturating_sub(1)),
                    fit::end(&step(expected), col),
                    w = col.saturating_sub(1)
                ),
                style,
            ),
        ]));
    }
    if rows == 0 {
        out.push(Line::styled("  (no steps)", theme.dim));
    }
    if r.first_divergence.is_none() {
        out.push(Line::styled("  ✓ your path is the expected one", theme.ok));
    }
    out
}
