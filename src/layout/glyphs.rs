//! Glyph coverage: every character of every text goes through its role's
//! font chain before typesetting. A character the role's first face lacks
//! but a later one has is a warning (it prints, in another design); one that
//! no face has is an error, since Typst would print tofu without a word.
//!
//! After typesetting, the laid-out pages are searched for glyph 0 as well, a
//! safety net for text the template adds itself.

use std::collections::BTreeMap;

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use crate::base::diagnostic::Finding;
use crate::layout::document::{Document, Item};
use crate::layout::fonts::{FontSet, Role};

/// Check the document's texts against the resolved fonts.
pub fn coverage(doc: &Document, fonts: &FontSet, allow_missing: bool) -> Vec<Finding> {
    // (role, char) → (first path, occurrences), in a stable order.
    let mut seen: BTreeMap<(usize, char), (String, usize)> = BTreeMap::new();
    let mut note = |role: Role, text: &str, path: &str| {
        let r = Role::ALL.iter().position(|x| *x == role).unwrap_or(0);
        for c in text.chars().filter(|&c| !c.is_whitespace() && !c.is_control() && !is_default_ignorable(c)) {
            seen.entry((r, c)).or_insert_with(|| (path.to_string(), 0)).1 += 1;
        }
    };
    let title_path = if doc.title_is_default { "unit" } else { "title" };
    for line in &doc.title_lines {
        note(Role::Title, line, title_path);
    }
    let attachment_items = doc.attachments.iter().flat_map(|a| a.body.iter());
    for item in doc.body.iter().chain(attachment_items) {
        match item {
            Item::Heading { level, head, run_in, path, .. } => {
                note(heading_role(*level), head, &format!("{path}.title"));
                if let Some(t) = run_in {
                    note(Role::Body, t, &format!("{path}.run_in"));
                }
            }
            Item::Par { text, path } => note(Role::Body, text, path),
            Item::Table { table, path } => {
                for row in &table.header {
                    for cell in row {
                        note(Role::TableHeader, &cell.text, path);
                    }
                }
                for row in &table.rows {
                    for cell in row {
                        note(Role::Table, &cell.text, path);
                    }
                }
            }
        }
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        note(Role::Heading1, &a.label, &format!("attachments[{i}]"));
        note(Role::Title, &a.title, &a.title_path);
        if let Some(t) = &a.subtitle {
            note(Role::Body, t, &a.title_path);
        }
    }
    for line in &doc.attachment_note {
        note(Role::Body, &format!("附件：{line}"), "attachments");
    }
    if let Some(c) = &doc.closing {
        note(Role::Body, &c.unit, "closing");
        note(Role::Body, &c.date, "closing.date");
    }
    note(Role::PageNumber, "— 0123456789 —", "");

    let mut findings = Vec::new();
    for ((r, c), (path, count)) in seen {
        let role = Role::ALL[r];
        let chain = fonts.chain(role);
        let names: Vec<&str> = chain.steps.iter().map(|s| s.asked.as_str()).collect();
        let tried = names.join(" → ");
        let hit = chain.steps.iter().position(|s| fonts.face(s.face).covers(c));
        let more = if count > 1 { format!("（共 {count} 处）") } else { String::new() };
        match hit {
            Some(0) => {}
            Some(i) => findings.push(focused(
                Finding::warning(
                    path,
                    format!(
                        "字符“{c}”（U+{:04X}）：{}的首选字体 {} 没有这个字，改用 {}（依次尝试：{tried}）{more}",
                        c as u32,
                        role.label(),
                        names[0],
                        names[i]
                    ),
                ),
                c,
            )),
            None => {
                let message = format!(
                    "字符“{c}”（U+{:04X}）：{}的所有字体都没有这个字，会印成方框（依次尝试：{tried}）{more}；可用 --font-path 提供含此字的字体",
                    c as u32,
                    role.label()
                );
                let f = if allow_missing { Finding::warning(path, message) } else { Finding::error(path, message) };
                findings.push(focused(f, c));
            }
        }
    }
    findings
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt,
/// Unicode 16): characters that print nothing when a font lacks them, such
/// as U+200B ZERO WIDTH SPACE, U+200D ZWJ and the variation selectors. They
/// are never tofu. (The bidirectional ones among them are refused earlier,
/// by the text rules.)
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// Point the finding at the character itself within its text.
fn focused(mut f: Finding, c: char) -> Finding {
    f.focus = Some(c.to_string());
    f
}

pub fn heading_role(level: usize) -> Role {
    match level {
        1 => Role::Heading1,
        2 => Role::Heading2,
        3 => Role::Heading3,
        _ => Role::Heading4,
    }
}

/// A character printed without a glyph, with the face that lacked it and the
/// pages it stands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGlyph {
    pub ch: char,
    pub font: String,
    pub pages: Vec<usize>,
}

/// Glyph-0 (tofu) characters on the laid-out pages.
pub fn missing_glyphs(doc: &PagedDocument) -> Vec<MissingGlyph> {
    let mut found: BTreeMap<(char, String), Vec<usize>> = BTreeMap::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, &mut |ch, font| {
            let pages = found.entry((ch, font)).or_default();
            if pages.last() != Some(&(i + 1)) {
                pages.push(i + 1);
            }
        });
    }
    found.into_iter().map(|((ch, font), pages)| MissingGlyph { ch, font, pages }).collect()
}

fn walk(frame: &Frame, found: &mut impl FnMut(char, String)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, found),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    for ch in text.text[glyph.range()].chars().filter(|&c| !c.is_whitespace() && !is_default_ignorable(c)) {
                        found(ch, text.font.font().info().family.clone());
                    }
                }
            }
            _ => {}
        }
    }
}
