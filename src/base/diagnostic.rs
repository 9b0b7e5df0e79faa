//! Findings about a data file: errors stop a render, warnings do not.
//! Each names the key path in the data, and the place in the file once the
//! path has been located (see [`crate::input::source`]).

use std::fmt;
use std::ops::Range;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Key path in the data, e.g. `sections[2].sections[0].weight`.
    pub path: String,
    pub message: String,
    /// Byte range in the data file, when known.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// Where in which file, once placed by [`crate::input::source::DataFile::place`].
    pub location: Option<Location>,
    /// Key paths of the other figures the finding involves (the parts of a
    /// sum), so the line of whichever one is wrong is named too.
    #[serde(skip)]
    pub related: Vec<String>,
    /// Text inside the located value to point at (e.g. one character).
    #[serde(skip)]
    pub focus: Option<String>,
    /// Those paths placed: `file:line` and the line's text.
    #[serde(rename = "related")]
    pub related_locations: Vec<Location>,
    /// The place in the report as a reader sees it: the numbered titles of
    /// the sections the key is in (`三、绩效分析 › （一）预算编制情况`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub file: String,
    /// 1-based line and column (in characters); absent for a whole-file finding.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The text of that line, for showing it under the message.
    #[serde(skip)]
    pub line_text: Option<String>,
}

impl Location {
    /// A whole file, no line.
    pub fn file(file: impl Into<String>) -> Self {
        Location { file: file.into(), line: None, column: None, line_text: None }
    }
}

impl Finding {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { severity: Severity::Error, path: path.into(), message: message.into(), span: None, location: None, related: Vec::new(), focus: None, related_locations: Vec::new(), place: None }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { severity: Severity::Warning, path: path.into(), message: message.into(), span: None, location: None, related: Vec::new(), focus: None, related_locations: Vec::new(), place: None }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `file:line:col 错误：key：message`, then the offending line with a marker.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}", shown(&loc.file))?;
            if let (Some(line), Some(col)) = (loc.line, loc.column) {
                write!(f, ":{line}:{col}")?;
            }
            write!(f, " ")?;
        }
        write!(f, "{}：", self.severity.label())?;
        match (&self.place, self.path.is_empty()) {
            (Some(place), false) => write!(f, "{}（{}）：", shown(&self.path), shown(place))?,
            (Some(place), true) => write!(f, "{}：", shown(place))?,
            (None, false) => write!(f, "{}：", shown(&self.path))?,
            (None, true) => {}
        }
        write!(f, "{}", shown(&self.message))?;
        if let Some(Location { line: Some(line), column: Some(col), line_text: Some(text), .. }) = &self.location {
            // Tabs keep the caret's column honest; other controls are escaped below.
            let text = &text.replace('\t', " ");
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let width = |s: &str| -> usize { s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
            // Underline the value: from its column to the end of the span on that line.
            let mut head: String = text.chars().take(col - 1).collect();
            let span_len = self.span.as_ref().map_or(1, |s| s.len());
            let rest = &text[head.len()..];
            let mut marked: String =
                rest.chars().scan(0, |n, c| { *n += c.len_utf8(); (*n <= span_len.max(1)).then_some(c) }).collect();
            let mut tail = rest[marked.len()..].to_string();
            // Long lines (a paragraph is one line) are shown around the mark only.
            const KEEP: usize = 24;
            if head.chars().count() > KEEP + 8 {
                head = format!("…{}", head.chars().skip(head.chars().count() - KEEP).collect::<String>());
            }
            if marked.chars().count() > 2 * KEEP {
                marked = marked.chars().take(2 * KEEP).collect();
                tail = "…".into();
            } else if tail.chars().count() > KEEP {
                tail = format!("{}…", tail.chars().take(KEEP).collect::<String>());
            }
            let (head, marked, tail) = (shown(&head), shown(&marked), shown(&tail));
            write!(f, "\n{pad} |\n{gutter} | {head}{marked}{tail}\n{pad} | {}{}", " ".repeat(width(&head)), "^".repeat(width(&marked).max(1)))?;
        }
        for r in &self.related_locations {
            if let (Some(line), Some(text)) = (r.line, &r.line_text) {
                write!(f, "\n  = 相关：{}:{line}  {}", shown(&r.file), shown(text.trim()))?;
            }
        }
        Ok(())
    }
}

/// Text made safe for a terminal: control characters (C0, DEL, C1) and the
/// bidirectional controls that can disguise text are shown escaped
/// (`\u{1b}`), never sent raw, so a hostile title cannot retitle the window
/// or clear the screen. Line breaks are escaped too: a message's own layout
/// is added by the caller.
pub fn shown(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as [`shown`] text.
pub fn shown_path(p: &std::path::Path) -> String {
    shown(&p.display().to_string())
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Bidirectional formatting characters (UAX #9): they reorder what is
/// displayed, so a name could read differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}
