//! The archive side of a PDF: the files attached to it (the data, byte for
//! byte, the images it names, and a small JSON of how it was made), and
//! reading them back for `jixiao verify`.

use std::collections::BTreeMap;

use lopdf::{Document as Pdf, Object};
use serde::{Deserialize, Serialize};

use crate::archive::pdf::Standard;
use crate::archive::signature::{MAX_CONTENTS_BYTES, MAX_SIGNATURES, RawSignature};

/// Name of the attached JSON describing the render.
pub const MANIFEST_NAME: &str = "jixiao.json";

/// How a PDF was made: enough to make it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderInfo {
    pub generator: String,
    pub version: String,
    /// File name of the attached data.
    pub source: String,
    /// File names (relative to the data) of the attached images.
    pub assets: Vec<String>,
    pub standard: Standard,
    /// Whether a blank score table was added (`--blank-score-table`).
    #[serde(default)]
    pub blank_score_table: bool,
    /// The families each font role used.
    pub fonts: BTreeMap<String, Vec<String>>,
    /// The document date the PDF was made with, so that `verify` renders
    /// with it whatever its own environment (`SOURCE_DATE_EPOCH`) says.
    #[serde(default)]
    pub date: Option<crate::base::date::Date>,
}

impl RenderInfo {
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}

/// A file to attach, with where the template reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// Name in the PDF's file list.
    pub name: String,
    /// Virtual path in the Typst world.
    pub vpath: String,
    pub mime: String,
    pub description: String,
    /// `source` for the data, `supplement` for the rest (PDF/A-3 AFRelationship).
    pub relationship: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// MIME type by file extension, for the attachments jixiao makes.
pub fn mime_for(name: &str) -> &'static str {
    match name.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("toml") => "application/toml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("jpg" | "jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Limits on what is read out of a PDF, which may have been made to hurt: a
/// small compressed stream can inflate to gigabytes.
pub const MAX_EMBEDDED_BYTES: usize = crate::input::source::MAX_DATA_BYTES as usize;
/// All decompressed page content together.
pub const MAX_PAGE_CONTENT_BYTES: usize = 256 * 1024 * 1024;

/// Parse a PDF; its parser's own words stay out of the message, which says
/// what the user can do about it.
pub fn load_pdf(pdf_bytes: &[u8]) -> Result<Pdf, String> {
    Pdf::load_mem(pdf_bytes).map_err(|_| "无法解析 PDF：文件已损坏，或者并不是 PDF".to_string())
}

/// The embedded files of a PDF, by name, each decompressed up to
/// [`MAX_EMBEDDED_BYTES`].
pub fn read_attachments(pdf_bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let pdf = load_pdf(pdf_bytes)?;
    attachments_of(&pdf)
}

fn attachments_of(pdf: &Pdf) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();
    let catalog = pdf.catalog().map_err(|e| format!("PDF 没有目录对象：{e}"))?;
    let Some(names) = deref_dict(pdf, catalog.get(b"Names").ok()) else { return Ok(files) };
    let Some(embedded) = deref_dict(pdf, names.get(b"EmbeddedFiles").ok()) else { return Ok(files) };
    collect_name_tree(pdf, embedded, &mut files, 0)?;
    Ok(files)
}

fn deref_dict<'a>(pdf: &'a Pdf, obj: Option<&'a Object>) -> Option<&'a lopdf::Dictionary> {
    match obj? {
        Object::Reference(id) => pdf.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn collect_name_tree(pdf: &Pdf, node: &lopdf::Dictionary, files: &mut BTreeMap<String, Vec<u8>>, depth: usize) -> Result<(), String> {
    if depth > 16 {
        return Err("PDF 的内嵌文件目录层级过深".into());
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids") {
        for kid in kids {
            if let Some(k) = deref_dict(pdf, Some(kid)) {
                collect_name_tree(pdf, k, files, depth + 1)?;
            }
        }
    }
    let Ok(Object::Array(pairs)) = node.get(b"Names") else { return Ok(()) };
    for pair in pairs.chunks(2) {
        let [key, spec] = pair else { continue };
        let Some(spec) = deref_dict(pdf, Some(spec)) else { continue };
        let name = match spec.get(b"UF").or_else(|_| spec.get(b"F")).or(Ok::<_, ()>(key)) {
            Ok(Object::String(bytes, _)) => decode_pdf_string(bytes),
            _ => continue,
        };
        let Some(ef) = deref_dict(pdf, spec.get(b"EF").ok()) else { continue };
        let Ok(Object::Reference(id)) = ef.get(b"F") else { continue };
        let Ok(Object::Stream(stream)) = pdf.get_object(*id) else { continue };
        let data = stream_bytes(stream, MAX_EMBEDDED_BYTES).map_err(|m| format!("内嵌文件“{}”{m}", crate::base::diagnostic::shown(&name)))?;
        if files.len() >= 64 {
            return Err("PDF 内嵌的文件过多".into());
        }
        files.insert(name, data);
    }
    Ok(())
}

/// A stream's bytes, decoded, never more than `cap`: only the filters jixiao
/// writes (none, or FlateDecode) are read.
pub fn stream_bytes(stream: &lopdf::Stream, cap: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let filters = stream.filters().unwrap_or_default();
    let out = match filters.as_slice() {
        [] => stream.content.clone(),
        [b"FlateDecode"] => {
            let mut out = Vec::new();
            let mut decoder = flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(cap as u64 + 1);
            decoder.read_to_end(&mut out).map_err(|_| "的压缩数据已损坏".to_string())?;
            out
        }
        _ => return Err("使用了 jixiao 不写的压缩方式".into()),
    };
    if out.len() > cap {
        return Err(format!("解压后超过 {} MiB 的上限", cap / 1024 / 1024));
    }
    Ok(out)
}

/// PDF text strings are UTF-16BE with a BOM, or PDFDocEncoding (ASCII here).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The decompressed content of each page, in order, within
/// [`MAX_PAGE_CONTENT_BYTES`] in all.
pub fn page_contents(pdf_bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let pdf = load_pdf(pdf_bytes)?;
    pages_of(&pdf)
}

fn pages_of(pdf: &Pdf) -> Result<Vec<Vec<u8>>, String> {
    let mut left = MAX_PAGE_CONTENT_BYTES;
    let mut pages = Vec::new();
    for (n, id) in pdf.page_iter().enumerate() {
        if n >= 100_000 {
            return Err("PDF 的页数多得不合理".into());
        }
        let mut content = Vec::new();
        for sid in pdf.get_page_contents(id) {
            let Ok(stream) = pdf.get_object(sid).and_then(Object::as_stream) else { continue };
            let bytes = stream_bytes(stream, left).map_err(|m| format!("第 {} 页的内容{m}", n + 1))?;
            left -= bytes.len();
            content.extend_from_slice(&bytes);
        }
        pages.push(content);
    }
    Ok(pages)
}

/// What `verify` needs of a PDF: its embedded files and the digest of each
/// page's content. Read in a separate, resource-limited process by the
/// command line (see [`crate::pipeline::verify`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub files: BTreeMap<String, Vec<u8>>,
    pub pages: Vec<[u8; 32]>,
    /// The signature dictionaries, in the order of the revisions they sign.
    pub signatures: Vec<RawSignature>,
}

/// Parse a PDF and take out what `verify` needs, within the limits above.
pub fn extract(pdf_bytes: &[u8]) -> Result<Extracted, String> {
    use sha2::{Digest, Sha256};
    let pdf = load_pdf(pdf_bytes)?;
    let files = attachments_of(&pdf)?;
    let pages = pages_of(&pdf)?.iter().map(|c| Sha256::digest(c).into()).collect();
    let signatures = signatures_of(&pdf)?;
    Ok(Extracted { files, pages, signatures })
}

/// Every signature dictionary (one with /ByteRange and /Contents), ordered
/// by the end of the range it signs.
fn signatures_of(pdf: &Pdf) -> Result<Vec<RawSignature>, String> {
    let mut out = Vec::new();
    for obj in pdf.objects.values() {
        let Object::Dictionary(d) = obj else { continue };
        let (Ok(Object::Array(range)), Ok(Object::String(contents, _))) = (d.get(b"ByteRange"), d.get(b"Contents")) else {
            continue;
        };
        if out.len() >= MAX_SIGNATURES {
            return Err(format!("PDF 中的签名多于 {MAX_SIGNATURES} 个，不予处理"));
        }
        if contents.len() > MAX_CONTENTS_BYTES || range.len() > 16 {
            return Err("PDF 中的签名值大得不合理，不予处理".into());
        }
        let text = |key: &[u8]| match d.get(key) {
            Ok(Object::String(s, _)) if s.len() <= 256 => decode_pdf_string(s),
            Ok(Object::Name(n)) if n.len() <= 256 => String::from_utf8_lossy(n).into_owned(),
            _ => String::new(),
        };
        out.push(RawSignature {
            byte_range: range.iter().map(|o| o.as_i64().unwrap_or(-1)).collect(),
            contents: contents.clone(),
            time: text(b"M"),
            sub_filter: text(b"SubFilter"),
        });
    }
    let end = |s: &RawSignature| s.byte_range.get(2).zip(s.byte_range.get(3)).map(|(b, c)| b.saturating_add(*c)).unwrap_or(i64::MAX);
    out.sort_by_key(end);
    Ok(out)
}

impl Extracted {
    /// A plain framing for the pipe between the processes: per file a
    /// length-prefixed name and content, then the page digests.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(self.files.len() as u32).to_le_bytes());
        for (name, data) in &self.files {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(data.len() as u64).to_le_bytes());
            out.extend_from_slice(data);
        }
        out.extend_from_slice(&(self.pages.len() as u32).to_le_bytes());
        for p in &self.pages {
            out.extend_from_slice(p);
        }
        let bytes = |out: &mut Vec<u8>, b: &[u8]| {
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        };
        out.extend_from_slice(&(self.signatures.len() as u32).to_le_bytes());
        for s in &self.signatures {
            out.extend_from_slice(&(s.byte_range.len() as u32).to_le_bytes());
            for n in &s.byte_range {
                out.extend_from_slice(&n.to_le_bytes());
            }
            bytes(&mut out, &s.contents);
            bytes(&mut out, s.time.as_bytes());
            bytes(&mut out, s.sub_filter.as_bytes());
        }
        out
    }

    pub fn decode(mut b: &[u8]) -> Option<Extracted> {
        fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            if b.len() < n {
                return None;
            }
            let (head, tail) = b.split_at(n);
            *b = tail;
            Some(head)
        }
        let u32_of = |b: &mut &[u8]| take(b, 4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]) as usize);
        let mut out = Extracted::default();
        for _ in 0..u32_of(&mut b)? {
            let n = u32_of(&mut b)?;
            let name = String::from_utf8(take(&mut b, n)?.to_vec()).ok()?;
            let len = u64::from_le_bytes(take(&mut b, 8)?.try_into().ok()?);
            let data = take(&mut b, usize::try_from(len).ok()?)?.to_vec();
            out.files.insert(name, data);
        }
        for _ in 0..u32_of(&mut b)? {
            out.pages.push(take(&mut b, 32)?.try_into().ok()?);
        }
        for _ in 0..u32_of(&mut b)?.min(MAX_SIGNATURES + 1) {
            let mut s = RawSignature::default();
            for _ in 0..u32_of(&mut b)?.min(16) {
                s.byte_range.push(i64::from_le_bytes(take(&mut b, 8)?.try_into().ok()?));
            }
            let n = u32_of(&mut b)?;
            s.contents = take(&mut b, n)?.to_vec();
            let n = u32_of(&mut b)?;
            s.time = String::from_utf8(take(&mut b, n)?.to_vec()).ok()?;
            let n = u32_of(&mut b)?;
            s.sub_filter = String::from_utf8(take(&mut b, n)?.to_vec()).ok()?;
            out.signatures.push(s);
        }
        b.is_empty().then_some(out)
    }
}
