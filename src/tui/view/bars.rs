//! Horizontal bar charts drawn with block glyphs, as the text of `authdesk stats` draws
//! them: a label column, the bar in eighths of a cell, the count and a note, sized once per
//! chart so the bars of its rows line up.

use super::fit;
use crate::escape::line;
use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Eighths of a cell, so short bars still differ: `▏` is one eighth, `█` a whole cell.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// Rows of one chart: a label column, a bar column, the count, and an optional note, sized
/// once for the widest of each so the bars line up.
pub struct Bars {
    /// The whole row.
    width: usize,
    label: usize,
    /// Cells of the bar column.
    pub bar: usize,
    count: usize,
    max: usize,
}

/// Rows start indented under their heading.
const INDENT: usize = 2;

impl Bars {
    /// `labels` and `note` are the widest label and note; labels get at most two fifths of
    /// the row, notes a third, and the bar what is left (never fewer than 4 cells).
    pub fn new(w: usize, labels: usize, max: usize, note: Option<usize>) -> Self {
        let label = labels.clamp(4, (w * 2 / 5).max(4));
        let count = max.to_string().len();
        let note = note.map_or(0, |n| n.min(w / 3) + 2);
        let bar = w
            .saturating_sub(INDENT + label + 1 + 1 + count + note)
            .max(4);
        Bars {
            width: w,
            label,
            bar,
            count,
            max,
        }
    }

    /// The label escaped, cut or padded to its column, with the space after it.
    pub fn label(&self, text: &str) -> String {
        let text = fit::end(&line(text), self.label);
        format!("{}{text:<w$} ", " ".repeat(INDENT), w = self.label)
    }

    pub fn row<'a>(
        &self,
        label: &str,
        n: usize,
        style: Style,
        note: Option<(String, Style)>,
        theme: &Theme,
    ) -> Line<'a> {
        let bar = bar(n, self.max, self.bar);
        let pad = self.bar - bar.chars().count().min(self.bar);
        let mut spans = vec![
            Span::styled(self.label(label), style),
            Span::styled(bar, theme.accent),
            Span::raw(" ".repeat(pad + 1)),
            Span::styled(format!("{n:>w$}", w = self.count), theme.text),
        ];
        if let Some((note, style)) = note {
            spans.push(Span::styled(format!("  {note}"), style));
        }
        fit::line(Line::from(spans), self.width)
    }
}

/// `n` of `max` as a bar of at most `cells` cells, in eighths; anything above zero shows.
pub fn bar(n: usize, max: usize, cells: usize) -> String {
    if n == 0 || max == 0 {
        return String::new();
    }
    let eighths = (n.min(max) * cells * 8).div_ceil(max);
    let mut out = "█".repeat(eighths / 8);
    out.push_str(EIGHTHS[eighths % 8]);
    out
}

/// Whole cells out of `cells` for `value` of `max`; anything above zero shows.
pub fn scaled(value: i64, max: i64, cells: usize) -> usize {
    if value <= 0 || max <= 0 {
        return 0;
    }
    (value as u128 * cells as u128).div_ceil(max as u128) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_in_eighths_and_never_vanish() {
        assert_eq!(bar(4, 4, 5), "█████");
        assert_eq!(bar(2, 4, 5), "██▌");
        assert_eq!(bar(1, 1000, 5), "▏");
        assert_eq!(bar(0, 4, 5), "");
        assert_eq!(bar(3, 0, 5), "");
    }

    #[test]
    fn time_bars_scale_to_the_slowest_p90() {
        assert_eq!(scaled(60, 120, 10), 5);
        assert_eq!(scaled(1, 120, 10), 1);
        assert_eq!(scaled(0, 120, 10), 0);
    }
}
