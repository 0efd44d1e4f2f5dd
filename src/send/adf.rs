//! The outline as an Atlassian Document Format document, the description Jira Cloud's REST v3
//! takes (<https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/>):
//! a `doc` of block nodes, text only in `text` nodes, which may not be empty.

use super::outline::Block;
use serde_json::{Value, json};

pub fn document(blocks: &[Block]) -> Value {
    json!({
        "version": 1,
        "type": "doc",
        "content": blocks.iter().map(block).collect::<Vec<_>>(),
    })
}

/// A `text` node list: none for empty text, since ADF refuses an empty `text`.
fn inline(s: &str) -> Vec<Value> {
    if s.is_empty() {
        Vec::new()
    } else {
        vec![json!({ "type": "text", "text": s })]
    }
}

fn paragraph(s: &str) -> Value {
    json!({ "type": "paragraph", "content": inline(s) })
}

fn list(kind: &str, items: &[String]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|i| json!({ "type": "listItem", "content": [paragraph(i)] }))
        .collect();
    json!({ "type": kind, "content": items })
}

fn row(cell: &str, cells: &[String]) -> Value {
    let cells: Vec<Value> = cells
        .iter()
        .map(|c| json!({ "type": cell, "content": [paragraph(c)] }))
        .collect();
    json!({ "type": "tableRow", "content": cells })
}

fn block(b: &Block) -> Value {
    match b {
        Block::Heading(h) => json!({
            "type": "heading", "attrs": { "level": 2 }, "content": inline(h),
        }),
        Block::Paragraph(p) => paragraph(p),
        Block::Bullets(items) => list("bulletList", items),
        Block::Numbered(items) => list("orderedList", items),
        Block::Code(text) => json!({
            "type": "codeBlock", "attrs": { "language": "text" }, "content": inline(text),
        }),
        Block::Table { header, rows } => {
            let mut all = vec![row("tableHeader", header)];
            all.extend(rows.iter().map(|r| row("tableCell", r)));
            json!({ "type": "table", "content": all })
        }
    }
}
