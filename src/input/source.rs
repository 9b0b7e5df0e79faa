//! The data file: reading it, parsing it into the model, and finding where in
//! the file a key path stands, so every message can name file, line and key.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::base::diagnostic::{Finding, Location, shown, shown_path};

/// The largest data file read: far above any real report (the seed is 40 KB),
/// low enough that a hostile file cannot exhaust memory.
pub const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;
/// The largest image the data may name (a seal scan is well under 1 MB).
pub const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;

/// A data file with the folder it names images in.
pub struct DataFile {
    pub path: PathBuf,
    pub text: String,
    folder: Folder,
    /// Byte offset of each line's start, computed on first use.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// Where the files a data file names come from: the folder beside it on disk,
/// or, for `verify`, the files embedded in a PDF, served from memory so that
/// nothing is ever written.
enum Folder {
    Disk(PathBuf),
    Memory(BTreeMap<String, Vec<u8>>),
}

impl DataFile {
    /// Read `path`; a missing file, anything but a regular file, a file over
    /// [`MAX_DATA_BYTES`] or non-UTF-8 text is a finding.
    pub fn read(path: &Path) -> Result<DataFile, Finding> {
        let bytes = read_regular(path, MAX_DATA_BYTES, "数据文件").map_err(|m| {
            let m = if m == "不存在" {
                // `render 报告` for 报告.toml: say what was meant.
                let with_ext = path.with_extension("toml");
                if path.extension().is_none() && with_ext.is_file() {
                    format!("文件不存在；是否想写 {}？", shown_path(&with_ext))
                } else {
                    "文件不存在".to_string()
                }
            } else {
                m
            };
            at_file(path, format!("无法读取数据文件：{m}"))
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
            f.location = Some(Location { line: Some(line), column: Some(column), ..Location::file(path.display().to_string()) });
            f
        })?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        Ok(DataFile { path: path.to_path_buf(), text, folder: Folder::Disk(dir), line_starts: Default::default() })
    }

    /// A data file whose text is given (an editor's unsaved text), naming
    /// images in the folder beside `path` on disk, as [`DataFile::read`] does.
    pub fn with_text(path: &Path, text: String) -> DataFile {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        DataFile { path: path.to_path_buf(), text, folder: Folder::Disk(dir), line_starts: Default::default() }
    }

    /// A data file held in memory with the files beside it (by relative
    /// name), as `verify` takes them out of a PDF.
    pub fn in_memory(name: &str, text: String, files: BTreeMap<String, Vec<u8>>) -> DataFile {
        DataFile { path: PathBuf::from(name), text, folder: Folder::Memory(files), line_starts: Default::default() }
    }

    /// Parse the text into a report, with every syntax error, wrong type,
    /// unknown and missing key found at once (see [`crate::input::parse`]).
    pub fn parse(&self) -> crate::input::parse::Parsed {
        crate::input::parse::parse(&self.text)
    }

    /// Read a file the data names (a seal image), relative to the data file's
    /// folder. Absolute paths, and paths that leave the folder (by `..` or a
    /// link), are refused: a report reads nothing else of the machine. The
    /// bytes must be an image of the kind the name says.
    pub fn asset(&self, rel: &str, key: &str) -> Result<Vec<u8>, Finding> {
        let fail = |m: String| Finding::error(key, m);
        check_relative(rel).map_err(fail)?;
        let p = Path::new(rel);
        let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let Some(kind) = ext.as_deref().and_then(ImageKind::from_extension) else {
            return Err(fail(format!("图片“{}”须为 PNG、JPEG 或 SVG 文件（扩展名 .png、.jpg、.jpeg 或 .svg）", shown(rel))));
        };
        let bytes = match &self.folder {
            Folder::Memory(files) => {
                files.get(rel).cloned().ok_or_else(|| fail(format!("PDF 中缺少内嵌的图片“{}”", shown(rel))))?
            }
            Folder::Disk(dir) => {
                let full = dir.join(p);
                let canon = |q: &Path| q.canonicalize();
                let inside = match (canon(dir), canon(&full)) {
                    (Ok(d), Ok(f)) => f.starts_with(d),
                    (_, Err(e)) => return Err(fail(format!("图片“{}”{}（相对于 {}）", shown(rel), io_why(&e), shown_path(dir)))),
                    (Err(e), _) => return Err(fail(format!("数据文件所在的文件夹 {} {}", shown_path(dir), io_why(&e)))),
                };
                if !inside {
                    return Err(fail(format!("图片路径“{}”经链接指向了数据文件所在文件夹之外", shown(rel))));
                }
                read_regular(&full, MAX_IMAGE_BYTES, "图片").map_err(|m| fail(format!("图片“{}”{m}", shown(rel))))?
            }
        };
        kind.validate(&bytes).map_err(|m| fail(format!("图片“{}”{m}", shown(rel))))?;
        Ok(bytes)
    }

    /// Line and column (1-based, in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts[line - 1];
        let col = self.text.get(start..offset).map_or(0, |t| t.chars().count()) + 1;
        (line, col)
    }

    /// The text of a line (1-based), without its line break.
    fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(self.text.len(), |&e| e - 1);
        self.text.get(start..end).map(|t| t.strip_suffix('\r').unwrap_or(t))
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| crate::input::parse::line_starts(&self.text))
    }

    /// The byte range of the value at `path` (`a.b[2].c`), if it is in the file.
    pub fn locate(&self, path: &str) -> Option<Range<usize>> {
        let root = DeTable::parse(&self.text).ok()?;
        locate_in(root.get_ref(), root.span(), path)
    }

    /// Give every finding its place in this file: from its span, else from its
    /// key path (a path not in the file, such as a default, falls back to its
    /// nearest parent), else the file alone. The file is parsed once for all
    /// of them: a report with thousands of findings is placed in linear time.
    pub fn place(&self, findings: &mut [Finding]) {
        if findings.iter().all(|f| f.location.is_some()) {
            return;
        }
        // Recovering: a file with syntax errors still has places to name.
        let parsed = Some(DeTable::parse_recoverable(&self.text).0);
        let locate = |path: &str| parsed.as_ref().and_then(|root| locate_in(root.get_ref(), root.span(), path));
        let numbering = parsed.as_ref().map(|root| numbering_of(root.get_ref())).unwrap_or_default();
        for f in findings.iter_mut().filter(|f| f.location.is_none()) {
            if f.place.is_none()
                && let Some(root) = &parsed
            {
                f.place = outline_place(root.get_ref(), &f.path, &numbering);
            }
            if f.span.is_none() && !f.path.is_empty() {
                let mut path = f.path.as_str();
                loop {
                    if let Some(span) = locate(path) {
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
                .filter_map(|p| locate(p))
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
            loc.line_text = self.line_text(line).map(str::to_string);
        }
        loc
    }
}

/// Read a regular file (after links), at most `cap` bytes. A FIFO, device,
/// socket or folder is refused before it is opened for reading, so
/// `/dev/zero` or a pipe can neither exhaust memory nor hang the read.
pub fn read_regular(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| io_why(&e))?;
    if meta.is_dir() {
        return Err(format!("这是一个目录（文件夹），不是{what}"));
    }
    if !meta.is_file() {
        return Err(format!("不是普通文件（可能是管道、设备或套接字），不能作为{what}读取"));
    }
    if meta.len() > cap {
        return Err(format!("太大（{} 字节，上限 {} MiB），不像是{what}", meta.len(), cap / 1024 / 1024));
    }
    let file = std::fs::File::open(path).map_err(|e| io_why(&e))?;
    // The file may grow between the look and the read: never read past the cap.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut bytes).map_err(|e| io_why(&e))?;
    if bytes.len() as u64 > cap {
        return Err(format!("太大（超过上限 {} MiB），不像是{what}", cap / 1024 / 1024));
    }
    Ok(bytes)
}

/// Why a file could not be read, in words.
pub fn io_why(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ if e.raw_os_error() == Some(libc::ELOOP) => "是循环的符号链接（链接指向自身）".into(),
        _ if e.raw_os_error() == Some(libc::ENAMETOOLONG) => "路径太长".into(),
        _ if e.raw_os_error() == Some(libc::ENOTDIR) => "路径中有一段不是文件夹".into(),
        _ => format!("无法读取（{e}）"),
    }
}

/// A path the data names must stay inside the data file's folder: relative,
/// without `..` that climbs out, without a drive or a root.
pub fn check_relative(rel: &str) -> Result<(), String> {
    let p = Path::new(rel);
    if rel.trim().is_empty() {
        return Err("图片路径为空".into());
    }
    if rel.chars().any(|c| c.is_control()) {
        return Err(format!("图片路径“{}”含有控制字符", shown(rel)));
    }
    if p.is_absolute() || p.has_root() || rel.contains(':') || rel.starts_with('\\') {
        return Err(format!("图片路径“{}”必须是相对于数据文件所在文件夹的路径，不能是绝对路径", shown(rel)));
    }
    let mut depth = 0i32;
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return Err(format!("图片路径“{}”离开了数据文件所在的文件夹；请把图片放在数据文件旁边", shown(rel)));
        }
    }
    Ok(())
}

/// The image formats a seal may be in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ImageKind {
    Png,
    Jpeg,
    Svg,
}

impl ImageKind {
    fn from_extension(ext: &str) -> Option<ImageKind> {
        match ext {
            "png" => Some(ImageKind::Png),
            "jpg" | "jpeg" => Some(ImageKind::Jpeg),
            "svg" => Some(ImageKind::Svg),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ImageKind::Png => "PNG",
            ImageKind::Jpeg => "JPEG",
            ImageKind::Svg => "SVG",
        }
    }

    /// The bytes are a readable image of this kind: decoded here, so a broken
    /// or mislabelled file is bad input at its key, not a template failure.
    fn validate(self, bytes: &[u8]) -> Result<(), String> {
        use typst::foundations::Bytes;
        use typst::visualize::{ImageFormat, RasterFormat, VectorFormat};
        if bytes.is_empty() {
            return Err("是空文件".into());
        }
        let found = ImageFormat::detect(bytes);
        let expected = match self {
            ImageKind::Png => ImageFormat::Raster(RasterFormat::Exchange(typst::visualize::ExchangeFormat::Png)),
            ImageKind::Jpeg => ImageFormat::Raster(RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg)),
            ImageKind::Svg => ImageFormat::Vector(VectorFormat::Svg),
        };
        match found {
            Some(f) if f == expected => {}
            Some(ImageFormat::Raster(RasterFormat::Exchange(typst::visualize::ExchangeFormat::Png))) => {
                return Err(format!("的内容是 PNG，与扩展名（{}）不符；请改正扩展名", self.name()));
            }
            Some(ImageFormat::Raster(RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg))) => {
                return Err(format!("的内容是 JPEG，与扩展名（{}）不符；请改正扩展名", self.name()));
            }
            Some(ImageFormat::Vector(VectorFormat::Svg)) => {
                return Err(format!("的内容是 SVG，与扩展名（{}）不符；请改正扩展名", self.name()));
            }
            _ => return Err(format!("不是可读的 {} 图片（文件已损坏，或并非图片）；请导出为 PNG、JPEG 或 SVG", self.name())),
        }
        let data = Bytes::new(bytes.to_vec());
        let decoded = match self {
            ImageKind::Svg => typst::visualize::SvgImage::new(data).map(|_| ()).map_err(|_| String::new()),
            ImageKind::Png | ImageKind::Jpeg => {
                let format = match self {
                    ImageKind::Png => typst::visualize::ExchangeFormat::Png,
                    _ => typst::visualize::ExchangeFormat::Jpg,
                };
                typst::visualize::RasterImage::new(data, format, Default::default()).map(|_| ()).map_err(|_| String::new())
            }
        };
        decoded.map_err(|_| format!("无法解码（{} 文件已损坏，或含有 XML 实体声明）；请重新导出图片", self.name()))?;
        if self == ImageKind::Svg
            && let Some(href) = external_reference(bytes)
        {
            return Err(format!(
                "引用了外部文件“{}”；印章图片须自成一体，不读取别的文件：请把图片直接嵌入 SVG，或导出为 PNG",
                shown(&href)
            ));
        }
        Ok(())
    }
}

/// The first `href` of an SVG that names something outside it (not a
/// `data:` URI, not a `#fragment` within the file). The typesetter would
/// refuse to load it anyway; naming it here makes it bad input at its key.
fn external_reference(svg: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(svg);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("href") {
        let at = from + i + 4;
        from = at;
        let rest = text[at..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|q| *q == '"' || *q == '\'') else { continue };
        let value: String = rest[1..].chars().take_while(|c| *c != quote).collect();
        let v = value.trim();
        if !(v.starts_with('#') || v.to_ascii_lowercase().starts_with("data:")) {
            return Some(v.to_string());
        }
    }
    None
}

/// The numbering patterns per level: the data's `[style] numbering`, else the default.
fn numbering_of(root: &DeTable) -> Vec<String> {
    let custom = root.get("style").and_then(|s| match s.get_ref() {
        DeValue::Table(t) => t.get("numbering"),
        _ => None,
    });
    if let Some(DeValue::Array(items)) = custom.map(|c| c.get_ref()) {
        let list: Vec<String> = items
            .iter()
            .filter_map(|i| match i.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect();
        if !list.is_empty() {
            return list;
        }
    }
    crate::input::model::Style::default().numbering
}

impl DataFile {
    /// Where each key path is, as a person names it: its place in the
    /// outline (`三、… › （一）…`), or else the part of the report it is in.
    pub fn places(&self, paths: &[&str]) -> Vec<String> {
        let parsed = DeTable::parse_recoverable(&self.text).0;
        let numbering = numbering_of(parsed.get_ref());
        paths.iter().map(|p| outline_place(parsed.get_ref(), p, &numbering).unwrap_or_else(|| part_of_report(p).to_string())).collect()
    }
}

/// The part of the report a key path outside the outline is in.
pub fn part_of_report(path: &str) -> &'static str {
    match path.split(['.', '[']).next().unwrap_or("") {
        "unit" => "单位名称",
        "year" => "年度",
        "title" => "标题",
        "finance" => "收支数字",
        "staffing" => "人员情况",
        "closing" => "落款",
        "indicators" | "scoring" => "指标评分",
        "attachments" => "附件",
        "projects" => "项目",
        "sections" => "正文",
        "style" => "版式",
        _ => "报告",
    }
}

/// `sections[2].sections[0].score` → `三、绩效分析 › （一）预算编制情况`: the
/// numbered titles of the sections (or the attachment) a key is in.
fn outline_place(root: &DeTable, path: &str, numbering: &[String]) -> Option<String> {
    let mut table = root;
    let mut parts = Vec::new();
    for part in path.split('.') {
        let (key, indices) = split_indices(part);
        let Some(&i) = indices.first() else { break };
        let Some(DeValue::Array(items)) = table.get(key).map(|v| v.get_ref()) else { break };
        let Some(DeValue::Table(t)) = items.get(i).map(|v| v.get_ref()) else { break };
        let title = match t.get("title").map(|v| v.get_ref()) {
            Some(DeValue::String(s)) => s.to_string(),
            _ => String::new(),
        };
        match key {
            "sections" => {
                let level = parts.len();
                let pattern = numbering.get(level).or(numbering.last()).map_or("{n}.", String::as_str);
                let number = crate::base::format::section_number(pattern, i as u32 + 1);
                let title = match crate::base::format::handwritten_number(&title) {
                    Some(n) if title[..n] == number => title[n..].to_string(),
                    _ => title,
                };
                parts.push(format!("{number}{title}"));
            }
            "attachments" if items.len() == 1 => parts.push(format!("附件《{title}》")),
            "attachments" => parts.push(format!("附件{}《{title}》", i + 1)),
            "projects" => {
                if let Some(DeValue::String(name)) = t.get("name").map(|v| v.get_ref()) {
                    parts.push(format!("项目“{name}”"));
                }
                break;
            }
            _ => break,
        }
        table = t;
    }
    (!parts.is_empty()).then(|| parts.join(" › "))
}

/// The byte range of the value at `path` within a parsed document.
fn locate_in(root: &DeTable, root_span: Range<usize>, path: &str) -> Option<Range<usize>> {
    let mut span = root_span;
    let mut table: Option<&DeTable> = Some(root);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_array_paths() {
        let text = "unit = \"x\"\nyear = 1\n[[sections]]\ntitle = \"a\"\n[[sections]]\ntitle = \"b\"\nweight = 5\n";
        let file = DataFile::in_memory("d.toml", text.into(), BTreeMap::new());
        let span = file.locate("sections[1].weight").unwrap();
        assert_eq!(&text[span.clone()], "5");
        assert_eq!(file.line_col(span.start), (7, 10));
    }
}
