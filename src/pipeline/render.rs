//! The pipeline from a data file to PDF bytes: read, parse, check, resolve
//! fonts and text, check glyph coverage, typeset, export.

use std::path::Path;
use std::sync::Arc;

use typst_layout::PagedDocument;

use crate::archive::attachments::{Attachment, MANIFEST_NAME, RenderInfo, mime_for};
use crate::check;
use crate::derive::{self, Figures};
use crate::base::diagnostic::{Finding, has_errors};
use crate::layout::document::{self, Document};
use crate::layout::fonts::{FontLibrary, FontOptions, FontSet};
use crate::layout::glyphs::{coverage, missing_glyphs};
use crate::input::source::DataFile;
use crate::layout::world::ReportWorld;
use crate::archive::ofd;
use crate::archive::pdf::{self, Standard};
use crate::base::date::{Date, source_date_epoch};
use crate::input::model::Report;

/// What a run may vary: where fonts come from, whether tofu is tolerated,
/// the PDF standard, whether the source data goes inside the PDF.
#[derive(Debug, Clone)]
pub struct Options {
    pub fonts: FontOptions,
    pub allow_missing_glyphs: bool,
    pub standard: Standard,
    pub embed_source: bool,
    /// Append a blank score table (自评表) for filling in by hand, when the
    /// data has none.
    pub blank_score_table: bool,
    /// The document date to use instead of the data's own (for `verify`,
    /// which renders with the date recorded in the PDF).
    pub date: Option<Date>,
    /// Subset the fonts on a second thread while the main one converts the
    /// pages ([`crate::archive::subsets_ahead`]): for one report at a time;
    /// `batch` already keeps both cores busy with two reports.
    pub subsets_ahead: bool,
    /// Which files to write from the one layout: PDF, OFD or both.
    pub formats: Formats,
}

/// The output formats of a render; at least one is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub ofd: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { pdf: true, ofd: false }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fonts: FontOptions::default(),
            allow_missing_glyphs: false,
            standard: Standard::A3a,
            embed_source: true,
            blank_score_table: false,
            date: None,
            subsets_ahead: true,
            formats: Formats::default(),
        }
    }
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
    /// Files the data names (the seal image): relative name and bytes.
    pub assets: Vec<(String, Vec<u8>)>,
    pub report: Report,
    pub document: Document,
    pub fonts: Arc<FontSet>,
    pub derived: Figures,
    /// The document date (never the clock; see [`pdf::document_date`]).
    pub date: Date,
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
    prepare_file(file, options, library)
}

/// As [`prepare_with`], for a data file already read (or held in memory).
pub fn prepare_file(file: DataFile, options: &Options, library: Arc<FontLibrary>) -> Result<Prepared, Vec<Finding>> {
    let parsed = file.parse();
    let Some(mut report) = parsed.report.clone() else {
        let mut findings = parsed.findings;
        file.place(&mut findings);
        return Err(findings);
    };
    if parsed.findings.iter().any(Finding::is_error) {
        // The file has syntax or type errors: report them with every rule
        // finding that does not rest on an entry taken out, and stop there.
        let rules = check::check(&report, &derive::figures(&report));
        let mut findings = parsed.findings.clone();
        findings.extend(rules.into_iter().filter(|f| !parsed.is_tainted(f)));
        findings.extend(document::table_findings(&report).into_iter().filter(|f| !parsed.is_tainted(f)));
        file.place(&mut findings);
        return Err(findings);
    }
    if options.blank_score_table {
        add_blank_score_table(&mut report);
    }
    // The figures once, from the model; the rules and the layout read them.
    let derived = derive::figures(&report);
    let mut findings = check::check(&report, &derived);
    // The reading's own warnings (a block after subsections) come first, in file order.
    findings.splice(0..0, parsed.findings.iter().cloned());
    let mut assets = Vec::new();
    if let Some(rel) = report.closing.as_ref().and_then(|c| c.seal_image.as_ref()) {
        match file.asset(rel, "closing.seal_image") {
            Ok(bytes) => assets.push((rel.clone(), bytes)),
            Err(f) => findings.push(f),
        }
    }
    let fonts = FontSet::resolve(library, &|role| report.fonts.get(role), options.standard.is_pdfa());
    findings.extend(fonts.findings.iter().cloned());
    let document = match document::resolve(&report, &derived, &fonts) {
        Ok(d) => {
            let too_big = crate::layout::document::check_document(&d);
            if too_big.is_empty() {
                findings.extend(coverage(&d, &fonts, options.allow_missing_glyphs));
            }
            findings.extend(too_big);
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
            let date = match options.date {
                Some(d) => d,
                None => {
                    if let Err(m) = source_date_epoch() {
                        findings.push(Finding::warning("", m));
                    }
                    pdf::document_date(&report)
                }
            };
            Ok(Prepared { file, assets, report, document, fonts: Arc::new(fonts), derived, date, findings })
        }
        _ => Err(findings),
    }
}

/// The files to attach to the PDF: the data byte for byte, the images it
/// names, and how the PDF was made.
pub fn attachments(prepared: &Prepared, options: &Options) -> Vec<Attachment> {
    if !options.embed_source || !options.standard.allows_attachments() {
        return Vec::new();
    }
    let source = prepared.file.path.file_name().map_or("report.toml".into(), |n| n.to_string_lossy().into_owned());
    let info = RenderInfo {
        generator: "jixiao".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        source: source.clone(),
        assets: prepared.assets.iter().map(|(n, _)| n.clone()).collect(),
        standard: options.standard,
        blank_score_table: options.blank_score_table,
        fonts: prepared.document.fonts.families.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        date: Some(prepared.date),
    };
    let mut out = vec![Attachment {
        name: source,
        vpath: "/attach/0".into(),
        mime: "application/toml".into(),
        description: "报告数据（jixiao 数据文件，原样）".into(),
        relationship: "source".into(),
        bytes: prepared.file.text.as_bytes().to_vec(),
    }];
    for (name, bytes) in &prepared.assets {
        out.push(Attachment {
            name: name.clone(),
            vpath: format!("/attach/{}", out.len()),
            mime: mime_for(name).into(),
            description: "报告数据引用的图片".into(),
            relationship: "supplement".into(),
            bytes: bytes.clone(),
        });
    }
    out.push(Attachment {
        name: MANIFEST_NAME.into(),
        vpath: format!("/attach/{}", out.len()),
        mime: "application/json".into(),
        description: "生成信息：jixiao 版本、PDF 标准、字体".into(),
        relationship: "supplement".into(),
        bytes: info.to_json(),
    });
    out
}

/// Add 部门整体支出绩效自评表 as a blank form, unless the data has a score table.
fn add_blank_score_table(report: &mut Report) {
    use crate::input::model::{Attachment, Block, ScoreTableSpec};
    let has = report.attachments.iter().flat_map(|a| &a.blocks).any(|b| matches!(b, Block::ScoreTable(_)));
    if !has {
        report.attachments.push(Attachment {
            title: "部门整体支出绩效自评表".into(),
            landscape: false,
            blocks: vec![Block::ScoreTable(ScoreTableSpec { blank: true })],
        });
    }
}

/// Typeset a prepared report.
pub fn typeset(prepared: &Prepared, options: &Options) -> Result<(PagedDocument, Vec<Finding>), Failure> {
    let attached = attachments(prepared, options);
    let json = template_data(prepared, &attached).map_err(Failure::Output)?;
    let date = prepared.date;
    let today = typst::foundations::Datetime::from_ymd(date.year, date.month, date.day);
    let mut world = ReportWorld::new(prepared.fonts.clone(), json, today);
    for a in attached {
        world = world.with_file(&a.vpath, a.bytes);
    }
    if let (Some(vpath), Some((_, bytes))) =
        (prepared.document.closing.as_ref().and_then(|c| c.seal_image.as_ref()), prepared.assets.first())
    {
        world = world.with_file(vpath, bytes.clone());
    }
    let result = crate::layout::world::compile(world);
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
        // PDF/A forbids a missing glyph outright (its text could not be read back).
        findings.push(if options.allow_missing_glyphs && !options.standard.is_pdfa() {
            Finding::warning("", message)
        } else if options.allow_missing_glyphs {
            Finding::error("", format!("{message}；PDF/A 不允许缺字，请补充字体，或同时使用 --pdf-standard 1.7"))
        } else {
            Finding::error("", message)
        });
    }
    Ok((doc, findings))
}

/// A rendered report.
pub struct Rendered {
    /// The PDF (empty when only OFD was asked for).
    pub bytes: Vec<u8>,
    /// The OFD, when asked for.
    pub ofd: Option<Vec<u8>>,
    pub pages: usize,
    pub prepared: Prepared,
}

/// Render the data file at `path` to PDF bytes.
pub fn render(path: &Path, options: &Options) -> Result<Rendered, Failure> {
    render_with(path, options, options.library())
}

/// As [`render`], with a font library shared between reports.
pub fn render_with(path: &Path, options: &Options, library: Arc<FontLibrary>) -> Result<Rendered, Failure> {
    let file = DataFile::read(path).map_err(|f| Failure::Input(vec![f]))?;
    render_file(file, options, library)
}

/// As [`render_with`], for a data file already read (or held in memory).
pub fn render_file(file: DataFile, options: &Options, library: Arc<FontLibrary>) -> Result<Rendered, Failure> {
    crate::layout::world::warm_up(&library);
    let mut prepared = prepare_file(file, options, library).map_err(Failure::Input)?;
    let (doc, mut findings) = typeset(&prepared, options)?;
    prepared.file.place(&mut findings);
    prepared.findings.append(&mut findings);
    if has_errors(&prepared.findings) {
        return Err(Failure::Input(prepared.findings));
    }
    let bytes = if options.formats.pdf {
        if options.subsets_ahead {
            crate::archive::subsets_ahead::start(&doc);
        }
        pdf::export(&doc, options.standard, prepared.date).map_err(|e| Failure::Output(format!("PDF 导出失败：{e}")))?
    } else {
        Vec::new()
    };
    let ofd = if options.formats.ofd {
        let meta = ofd::Meta { title: prepared.document.title.clone(), author: prepared.report.unit.clone(), date: prepared.date };
        let attached = attachments(&prepared, options);
        Some(ofd::export(&doc, &meta, &attached).map_err(|e| Failure::Output(format!("OFD 导出失败：{e}")))?)
    } else {
        None
    };
    Ok(Rendered { bytes, ofd, pages: doc.pages().len(), prepared })
}

/// Write the Typst project a render compiles (the template and the report
/// as JSON) into `dir`, so that the typst CLI can compile the same document
/// for comparison (`examples/typst_project.rs`, `benches/cold.rs`). Plain
/// PDF: the CLI is run without jixiao's PDF/A options.
pub fn write_typst_project(data: &Path, dir: &Path) -> Result<(), String> {
    let options = Options { embed_source: false, ..Options::default() };
    let prepared = prepare(data, &options).map_err(|f| format!("{f:?}"))?;
    let json = template_data(&prepared, &attachments(&prepared, &options))?;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.typ"), crate::layout::world::TEMPLATE).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.json"), json).map_err(|e| e.to_string())
}

/// The JSON the template reads as /report.json: the document, the files to
/// embed, and the runs of its texts kept on one line
/// ([`crate::layout::linebreak::keeps_in`]).
fn template_data(prepared: &Prepared, attached: &[Attachment]) -> Result<Vec<u8>, String> {
    let mut data = serde_json::to_value(&prepared.document).map_err(|e| e.to_string())?;
    data["embedded_files"] = serde_json::to_value(attached).map_err(|e| e.to_string())?;
    let keeps = crate::layout::linebreak::keeps_in(&data);
    data["keeps"] = serde_json::to_value(keeps).map_err(|e| e.to_string())?;
    serde_json::to_vec(&data).map_err(|e| e.to_string())
}
