//! The data file: reading it, parsing it into the model, and finding where in
//! the file a key path stands, so every message can name file, line and key.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Finding, Location};
use crate::model::Report;

/// A data file as read from disk.
pub struct DataFile {
    pub path: PathBuf,
    pub text: String,
}

impl DataFile {
    /// Read `path`; a missing file, a directory or non-UTF-8 text is a finding.
    pub fn read(path: &Path) -> Result<DataFile, Finding> {
        let shown = path.display();
        if path.is_dir() {
            return Err(at_file(path, "这是一个目录，请给出数据文件（.toml）".into()));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "文件不存在".to_string(),
                std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
                _ => e.to_string(),
            };
            at_file(path, format!("无法读取：{why}"))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            // The bytes before the bad one are valid UTF-8: count lines and characters in them.
            let before = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            let mut f = Finding::error(
                "",
                format!("不是 UTF-8 编码的文本（第 {line} 行，第 {at} 字节处）；请在编辑器中另存为 UTF-8"),
            );
            f.location = Some(Location { line: Some(line), column: Some(column), ..Location::file(shown.to_string()) });
            f
        })?;
        Ok(DataFile { path: path.to_path_buf(), text })
    }

    /// Parse the text into a report. TOML syntax errors, wrong types and
    /// unknown keys come back as findings with their place in the file.
    pub fn parse(&self) -> Result<Report, Finding> {
        if self.text.trim().is_empty() {
            return Err(Finding::error("", "数据文件是空的：至少需要 unit（单位名称）和 year（年度）"));
        }
        toml::from_str::<Report>(&self.text).map_err(|e| {
            let mut f = Finding::error("", translate(e.message()));
            f.span = e.span();
            f
        })
    }

    /// Read a file the data names (a seal image), relative to the data file's
    /// folder. Absolute paths, and paths that leave the folder (by `..` or a
    /// link), are refused: a report reads nothing else of the machine.
    pub fn asset(&self, rel: &str, key: &str) -> Result<Vec<u8>, Finding> {
        let fail = |m: String| Finding::error(key, m);
        let p = Path::new(rel);
        if rel.trim().is_empty() {
            return Err(fail("图片路径为空".into()));
        }
        if p.is_absolute() || p.has_root() || rel.contains(':') {
            return Err(fail(format!("图片路径“{rel}”必须是相对于数据文件所在文件夹的路径，不能是绝对路径")));
        }
        let mut depth = 0i32;
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => depth -= 1,
                std::path::Component::Normal(_) => depth += 1,
                _ => {}
            }
            if depth < 0 {
                return Err(fail(format!("图片路径“{rel}”离开了数据文件所在的文件夹；请把图片放在数据文件旁边")));
            }
        }
        let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("png" | "svg" | "jpg" | "jpeg")) {
            return Err(fail(format!("图片“{rel}”须为 PNG、SVG 或 JPEG 文件")));
        }
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let full = dir.join(p);
        let inside = match (dir.canonicalize(), full.canonicalize()) {
            (Ok(d), Ok(f)) => f.starts_with(d),
            _ => return Err(fail(format!("找不到图片文件“{rel}”（相对于 {}）", dir.display()))),
        };
        if !inside {
            return Err(fail(format!("图片路径“{rel}”经链接指向了数据文件所在文件夹之外")));
        }
        std::fs::read(&full).map_err(|e| fail(format!("无法读取图片“{rel}”：{e}")))
    }

    /// Line and column (1-based, in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The byte range of the value at `path` (`a.b[2].c`), if it is in the file.
    pub fn locate(&self, path: &str) -> Option<Range<usize>> {
        let root = DeTable::parse(&self.text).ok()?;
        let mut span = root.span();
        let mut table: Option<&DeTable> = Some(root.get_ref());
        for part in path.split('.') {
            let (key, indices) = split_indices(part);
            let entry = table?.get(key)?;
            span = entry.span();
            let mut value = entry.get_ref();
            for i in indices {
                let DeValue::Array(items) = value else { return None };
                let item = items.get(i)?;
                span = item.span();
                value = item.get_ref();
            }
            table = match value {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        Some(span)
    }

    /// Give every finding its place in this file: from its span, else from its
    /// key path (a path not in the file, such as a default, falls back to its
    /// nearest parent), else the file alone.
    pub fn place(&self, findings: &mut [Finding]) {
        for f in findings.iter_mut().filter(|f| f.location.is_none()) {
            if f.span.is_none() && !f.path.is_empty() {
                let mut path = f.path.as_str();
                loop {
                    if let Some(span) = self.locate(path) {
                        f.span = Some(span);
                        break;
                    }
                    match path.rfind(['.', '[']) {
                        Some(i) => path = &path[..i],
                        None => break,
                    }
                }
            }
            if let (Some(span), Some(needle)) = (&f.span, &f.focus)
                && let Some(at) = self.text.get(span.clone()).and_then(|t| t.find(needle.as_str()))
            {
                f.span = Some(span.start + at..span.start + at + needle.len());
            }
            f.location = Some(self.location(f.span.as_ref()));
            f.related_locations = f
                .related
                .iter()
                .filter_map(|p| self.locate(p))
                .map(|span| self.location(Some(&span)))
                .collect();
        }
    }

    fn location(&self, span: Option<&Range<usize>>) -> Location {
        let mut loc = Location::file(self.path.display().to_string());
        if let Some(span) = span {
            let (line, col) = self.line_col(span.start);
            loc.line = Some(line);
            loc.column = Some(col);
            loc.line_text = self.text.lines().nth(line - 1).map(str::to_string);
        }
        loc
    }
}

fn at_file(path: &Path, message: String) -> Finding {
    let mut f = Finding::error("", message);
    f.location = Some(Location::file(path.display().to_string()));
    f
}

/// `sections[2][0]` → (`sections`, [2, 0]).
fn split_indices(part: &str) -> (&str, Vec<usize>) {
    let key_end = part.find('[').unwrap_or(part.len());
    let indices = part[key_end..]
        .split(['[', ']'])
        .filter_map(|s| s.parse().ok())
        .collect();
    (&part[..key_end], indices)
}

/// Turn serde's and toml's English messages into Chinese; keep anything
/// unrecognised as it is, behind a Chinese lead.
fn translate(message: &str) -> String {
    let msg = message.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices = backticked(expected);
        let mut out = format!("未知的键 `{field}`");
        if let Some(near) = nearest(field, &choices) {
            out.push_str(&format!("，是否想写 `{near}`？"));
        }
        if !choices.is_empty() {
            out.push_str(&format!("（此处可用的键：{}）", choices.join("、")));
        }
        return out;
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (variant, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices = backticked(expected);
        let mut out = format!("未知的取值或块类型 `{variant}`");
        if let Some(near) = nearest(variant, &choices) {
            out.push_str(&format!("，是否想写 `{near}`？"));
        }
        if !choices.is_empty() {
            out.push_str(&format!("（可用的有：{}）", choices.join("、")));
        }
        return out;
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("缺少必填的键 `{field}`");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!("类型不对：这里需要{}，实际是{}", expected_zh(expected), found_zh(found));
    }
    if msg.starts_with("duplicate key") {
        return format!("键重复出现（{msg}）");
    }
    if msg.contains("expected") || msg.contains("invalid") || msg.contains("unclosed") {
        return format!("TOML 语法错误：{msg}");
    }
    msg.to_string()
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn expected_zh(e: &str) -> String {
    match e {
        "a string" => "字符串".into(),
        "i32" | "u32" | "an integer" => "整数".into(),
        "a boolean" => "true 或 false".into(),
        "a sequence" => "数组".into(),
        _ if e.starts_with("struct") || e.starts_with("a map") => "表".into(),
        _ => e.to_string(),
    }
}

fn found_zh(f: &str) -> String {
    if let Some(s) = f.strip_prefix("string ") {
        return format!("字符串 {s}");
    }
    if let Some(n) = f.strip_prefix("integer ") {
        return format!("整数 {n}");
    }
    if let Some(n) = f.strip_prefix("floating point ") {
        return format!("小数 {n}");
    }
    match f {
        "sequence" => "数组".into(),
        "map" => "表".into(),
        _ if f.starts_with("boolean") => f.replace("boolean", "布尔值"),
        _ => f.to_string(),
    }
}

/// The choice closest to a mistyped key, when it is close enough to suggest.
fn nearest(word: &str, choices: &[String]) -> Option<String> {
    choices
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_the_near_one() {
        let m = translate("unknown field `titel`, expected one of `title`, `run_in`, `weight`");
        assert!(m.contains("未知的键 `titel`"), "{m}");
        assert!(m.contains("是否想写 `title`"), "{m}");
    }

    #[test]
    fn locates_nested_array_paths() {
        let text = "unit = \"x\"\nyear = 1\n[[sections]]\ntitle = \"a\"\n[[sections]]\ntitle = \"b\"\nweight = 5\n";
        let file = DataFile { path: "d.toml".into(), text: text.into() };
        let span = file.locate("sections[1].weight").unwrap();
        assert_eq!(&text[span.clone()], "5");
        assert_eq!(file.line_col(span.start), (7, 10));
    }
}
