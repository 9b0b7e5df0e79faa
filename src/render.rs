//! The pipeline from a data file to PDF bytes: read, parse, check, resolve
//! fonts and text, check glyph coverage, typeset, export.

use std::path::Path;
use std::sync::Arc;

use typst_layout::PagedDocument;

use crate::check::{self, Derived};
use crate::diagnostic::{Finding, has_errors};
use crate::document::{self, Document};
use crate::fonts::{FontLibrary, FontOptions, FontSet};
use crate::glyphs::{coverage, missing_glyphs};
use crate::source::DataFile;
use crate::world::ReportWorld;
use crate::{model::Report, pdf};

/// What a run may vary: where fonts come from, whether tofu is tolerated.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub fonts: FontOptions,
    pub allow_missing_glyphs: bool,
}

impl Options {
    /// The font library these options describe: the shared embedded one when
    /// no other fonts are asked for.
    pub fn library(&self) -> Arc<FontLibrary> {
        if self.fonts.font_paths.is_empty() && !self.fonts.system_fonts {
            FontLibrary::embedded()
        } else {
            Arc::new(FontLibrary::new(&self.fonts))
        }
    }
}

/// Why a render failed.
#[derive(Debug)]
pub enum Failure {
    /// The data is wrong: exit 1. Findings carry their place in the file.
    Input(Vec<Finding>),
    /// The PDF could not be produced (typesetting or writing): exit 3.
    Output(String),
}

/// A data file read, checked and resolved, with its findings (warnings only,
/// when this succeeds).
pub struct Prepared {
    pub file: DataFile,
    pub report: Report,
    pub document: Document,
    pub fonts: Arc<FontSet>,
    pub derived: Derived,
    pub findings: Vec<Finding>,
}

/// Read and check a data file without typesetting it. Every finding comes
/// back placed in the file.
pub fn prepare(path: &Path, options: &Options) -> Result<Prepared, Vec<Finding>> {
    prepare_with(path, options, options.library())
}

/// As [`prepare`], with a font library shared between reports.
pub fn prepare_with(path: &Path, options: &Options, library: Arc<FontLibrary>) -> Result<Prepared, Vec<Finding>> {
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
    let fonts = FontSet::resolve(library, &|role| report.fonts.get(role), false);
    findings.extend(fonts.findings.iter().cloned());
    let document = match document::resolve(&report, &fonts) {
        Ok(d) => {
            findings.extend(coverage(&d, &fonts, options.allow_missing_glyphs));
            Some(d)
        }
        Err(errors) => {
            findings.extend(errors);
            None
        }
    };
    file.place(&mut findings);
    match document {
        Some(document) if !has_errors(&findings) => {
            Ok(Prepared { file, report, document, fonts: Arc::new(fonts), derived, findings })
        }
        _ => Err(findings),
    }
}

/// Typeset a prepared report.
pub fn typeset(prepared: &Prepared, options: &Options) -> Result<(PagedDocument, Vec<Finding>), Failure> {
    let json = serde_json::to_vec(&prepared.document).map_err(|e| Failure::Output(e.to_string()))?;
    let world = ReportWorld::new(prepared.fonts.clone(), json, None);
    let result = typst::compile::<PagedDocument>(&world);
    let mut findings: Vec<Finding> = result
        .warnings
        .iter()
        .map(|w| Finding::warning("", format!("排版警告（模板）：{}", w.message)))
        .collect();
    let doc = result.output.map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Failure::Output(format!("排版失败（模板内部错误，请报告此问题）：{}", msgs.join("；")))
    })?;
    for m in missing_glyphs(&doc) {
        let pages = m.pages.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("、");
        let message = format!("字符“{}”（U+{:04X}）在第 {pages} 页印成了方框（字体 {} 没有这个字）", m.ch, m.ch as u32, m.font);
        findings.push(if options.allow_missing_glyphs { Finding::warning("", message) } else { Finding::error("", message) });
    }
    Ok((doc, findings))
}

/// Render the data file at `path` to PDF bytes.
pub fn render(path: &Path, options: &Options) -> Result<(Vec<u8>, Prepared), Failure> {
    let mut prepared = prepare(path, options).map_err(Failure::Input)?;
    let (doc, mut findings) = typeset(&prepared, options)?;
    prepared.file.place(&mut findings);
    prepared.findings.append(&mut findings);
    if has_errors(&prepared.findings) {
        return Err(Failure::Input(prepared.findings));
    }
    let bytes = pdf::export(&doc).map_err(|e| Failure::Output(format!("PDF 导出失败：{e}")))?;
    Ok((bytes, prepared))
}
