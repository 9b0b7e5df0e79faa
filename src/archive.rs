//! The archive side of a PDF: the files attached to it (the data, byte for
//! byte, the images it names, and a small JSON of how it was made), and
//! reading them back for `jixiao verify`.

use std::collections::BTreeMap;

use lopdf::{Document as Pdf, Object};
use serde::{Deserialize, Serialize};

use crate::pdf::Standard;

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

/// The embedded files of a PDF, by name.
pub fn read_attachments(pdf_bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let pdf = Pdf::load_mem(pdf_bytes).map_err(|e| format!("无法解析 PDF：{e}"))?;
    let mut files = BTreeMap::new();
    let catalog = pdf.catalog().map_err(|e| format!("PDF 没有目录对象：{e}"))?;
    let Some(names) = deref_dict(&pdf, catalog.get(b"Names").ok()) else { return Ok(files) };
    let Some(embedded) = deref_dict(&pdf, names.get(b"EmbeddedFiles").ok()) else { return Ok(files) };
    collect_name_tree(&pdf, embedded, &mut files, 0);
    Ok(files)
}

fn deref_dict<'a>(pdf: &'a Pdf, obj: Option<&'a Object>) -> Option<&'a lopdf::Dictionary> {
    match obj? {
        Object::Reference(id) => pdf.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn collect_name_tree(pdf: &Pdf, node: &lopdf::Dictionary, files: &mut BTreeMap<String, Vec<u8>>, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids") {
        for kid in kids {
            if let Some(k) = deref_dict(pdf, Some(kid)) {
                collect_name_tree(pdf, k, files, depth + 1);
            }
        }
    }
    let Ok(Object::Array(pairs)) = node.get(b"Names") else { return };
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
        let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        files.insert(name, data);
    }
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

/// The decompressed content of each page, in order.
pub fn page_contents(pdf_bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let pdf = Pdf::load_mem(pdf_bytes).map_err(|e| format!("无法解析 PDF：{e}"))?;
    Ok(pdf.get_pages().values().map(|&id| pdf.get_page_content(id).unwrap_or_default()).collect())
}
