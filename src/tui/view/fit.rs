//! Text that must fit a width: cut with `…` at the end, or in the middle of a path so the
//! file name stays. Every list, pane and line that does not wrap goes through here, so
//! nothing is cut without a sign.

use ratatui::text::{Line, Span};

/// `text` cut to `width` columns, ending with `…` when cut.
pub fn end(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// `text` cut to `width` columns by dropping its middle, so both ends (a path's root and
/// its file name) stay readable.
pub fn middle(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len <= width {
        return text.to_string();
    }
    if width < 3 {
        return end(text, width);
    }
    // More of the end than the start: the file name is what tells files apart.
    let head = (width - 1) / 3;
    let tail = width - 1 - head;
    let start: String = text.chars().take(head).collect();
    let finish: String = text.chars().skip(len - tail).collect();
    format!("{start}…{finish}")
}

/// A status message cut to `width`: paths in it lose their middle first (longest first),
/// then what still does not fit is cut at the end.
pub fn message(text: &str, width: usize) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let total = |w: &[String]| w.iter().map(|s| s.chars().count()).sum::<usize>() + w.len() - 1;
    while total(&words) > width {
        let Some((i, len)) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.contains('/') && w.chars().count() > 8)
            .map(|(i, w)| (i, w.chars().count()))
            .max_by_key(|(_, len)| *len)
        else {
            break;
        };
        let over = total(&words) - width;
        let keep = len.saturating_sub(over).max(8);
        if keep >= len {
            break;
        }
        words[i] = middle(&words[i], keep);
    }
    end(&words.join(" "), width)
}

/// A styled line cut to `width` columns, its last visible cell turned into `…` when cut.
pub fn line(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    let style = line.style;
    let alignment = line.alignment;
    let mut room = width;
    let mut spans: Vec<Span> = Vec::new();
    for span in line.spans {
        if room == 0 {
            break;
        }
        let len = span.content.chars().count();
        if len < room {
            room -= len;
            spans.push(span);
        } else {
            let cut: String = span.content.chars().take(room).collect();
            spans.push(Span::styled(cut, span.style));
            room = 0;
        }
    }
    // The last cell becomes the ellipsis, in the style of the span it replaces.
    if let Some(last) = spans.last_mut() {
        let mut text: String = last.content.to_string();
        text.pop();
        text.push('…');
        last.content = text.into();
    }
    let mut out = Line::from(spans).style(style);
    out.alignment = alignment;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_cut_line_ends_with_an_ellipsis_in_the_cut_spans_style() {
        let l = Line::from(vec![Span::raw("abc "), Span::raw("defghij")]);
        let cut = line(l, 6);
        let text: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "abc d…");
    }

    #[test]
    fn a_status_path_keeps_its_file_name() {
        let msg = "Saved T-20261202-0001.md and T-20261202-0001.json in /home/agent/.local/share/authdesk/tickets/2026/12";
        let cut = message(msg, 70);
        assert!(cut.chars().count() <= 70, "{cut}");
        assert!(cut.contains("T-20261202-0001.json"), "{cut}");
        assert!(cut.ends_with("2026/12"), "{cut}");
        assert!(cut.contains('…'), "{cut}");
    }

    proptest! {
        #[test]
        fn fitted_text_never_exceeds_the_width_and_marks_any_cut(
            // One-column characters: widths here are counted in chars, as the views count them.
            text in "[ -~é/…]{0,80}", width in 0usize..60
        ) {
            for f in [end, middle, message] {
                let out = f(&text, width);
                prop_assert!(out.chars().count() <= width);
                if out != text {
                    prop_assert!(out.contains('…') || width == 0);
                }
            }
            let l = line(Line::raw(text.clone()), width);
            prop_assert!(l.width() <= width);
        }
    }
}
