//! The pipeline from a data file to PDF bytes: read, parse, resolve, typeset,
//! check the glyphs, export.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use typst_layout::PagedDocument;

use crate::check::{self, Derived};
use crate::diagnostic::{Finding, has_errors};
use crate::document::{self, Document};
use crate::fonts::Fonts;
use crate::glyphs::missing_glyphs;
use crate::source::DataFile;
use crate::world::ReportWorld;
use crate::{model::Report, pdf};

/// The embedded fonts, parsed once per process.
static FONTS: LazyLock<Arc<Fonts>> = LazyLock::new(|| Arc::new(Fonts::embedded()));

/// Why a render failed.
#[derive(Debug)]
pub enum Failure {
    /// The data is wrong: exit 1. Findings carry their place in the file.
    Input(Vec<Finding>),
    /// The PDF could not be produced (typesetting or writing): exit 3.
    Output(String),
}

/// A data file read, parsed and resolved, with its findings (warnings only
/// when this succeeds).
pub struct Prepared {
    pub file: DataFile,
    pub report: Report,
    pub document: Document,
    pub derived: Derived,
    pub findings: Vec<Finding>,
}

/// Read and check a data file without typesetting it. Every finding comes
/// back placed in the file.
pub fn prepare(path: &Path) -> Result<Prepared, Vec<Finding>> {
    let file = DataFile::read(path).map_err(|f| vec![f])?;
    let report = match file.parse() {
        Ok(r) => r,
        Err(f) => {
            let mut findings = vec![f];
            file.place(&mut findings);
            return Err(findings);
        }
    };
    let (mut findings, derived) = check::check(&report);
    let document = match document::resolve(&report) {
        Ok(d) => Some(d),
        Err(errors) => {
            findings.extend(errors);
            None
        }
    };
    file.place(&mut findings);
    match document {
        Some(document) if !has_errors(&findings) => Ok(Prepared { file, report, document, derived, findings }),
        _ => Err(findings),
    }
}

/// Typeset a resolved document.
pub fn typeset(document: &Document) -> Result<(PagedDocument, Vec<Finding>), Failure> {
    let json = serde_json::to_vec(document).map_err(|e| Failure::Output(e.to_string()))?;
    let world = ReportWorld::new(FONTS.clone(), json, None);
    let result = typst::compile::<PagedDocument>(&world);
    let mut findings: Vec<Finding> = result
        .warnings
        .iter()
        .map(|w| Finding::warning("", format!("排版警告：{}", w.message)))
        .collect();
    let doc = result.output.map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Failure::Output(format!("排版失败：{}", msgs.join("；")))
    })?;
    for m in missing_glyphs(&doc) {
        let pages = m.pages.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("、");
        findings.push(Finding::error(
            "",
            format!(
                "字符“{}”（U+{:04X}）在字体 {} 及其后备字体中都没有字形，会印成方框（第 {pages} 页）",
                m.ch, m.ch as u32, m.font
            ),
        ));
    }
    Ok((doc, findings))
}

/// Render the data file at `path` to PDF bytes.
pub fn render(path: &Path) -> Result<(Vec<u8>, Prepared), Failure> {
    let mut prepared = prepare(path).map_err(Failure::Input)?;
    let (doc, mut findings) = typeset(&prepared.document)?;
    prepared.file.place(&mut findings);
    prepared.findings.append(&mut findings);
    if has_errors(&prepared.findings) {
        return Err(Failure::Input(prepared.findings));
    }
    let bytes = pdf::export(&doc).map_err(|e| Failure::Output(format!("PDF 导出失败：{e}")))?;
    Ok((bytes, prepared))
}
