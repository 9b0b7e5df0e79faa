//! One open report: the TOML document being edited, its last good pages,
//! its findings, and what is on disk. Every edit goes through here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use toml_edit::DocumentMut;
use typst::layout::{Frame, FrameItem};
use typst_layout::Page;

use crate::derive::{self, Figures};
use crate::base::diagnostic::{Finding, has_errors};
use crate::layout::fonts::FontLibrary;
use crate::pipeline::render::{Failure, Options, prepare_file, render_file, typeset};
use crate::input::source::DataFile;

use super::edit;
use super::marks::{self, Marks};
use super::outline;

/// Pixels per point of the page images: 1.5 (108 dpi) is sharp on a
/// laptop screen and renders a page in tens of milliseconds.
const PIXELS_PER_PT: f64 = 1.5;
/// Undo steps kept.
const UNDO_DEPTH: usize = 200;

pub struct Session {
    /// The data file, links resolved, so a save replaces the file itself.
    path: PathBuf,
    doc: DocumentMut,
    /// The text as it would be saved.
    text: String,
    /// The file's text as last read or written by us.
    saved: String,
    saved_hash: [u8; 32],
    undo: Vec<String>,
    options: Options,
    library: Arc<FontLibrary>,
    /// The last good pages; kept while the data has errors.
    pages: Vec<Page>,
    hashes: Vec<u128>,
    images: HashMap<u128, Arc<Vec<u8>>>,
    findings: Vec<Finding>,
    derived: Option<Figures>,
    /// Where each block of the data starts on the pages shown.
    marks: Marks,
    /// The numbering of the last text that read (for the outline's numbers).
    style: crate::input::model::Style,
    /// The last report that read, for the values of placeholders.
    report: Option<crate::input::model::Report>,
    /// The pages shown are from an earlier text (this one has errors).
    stale: bool,
}

/// Why a save did not happen.
pub enum SaveError {
    /// The file changed on disk since we read it: never overwrite blindly.
    Conflict,
    Io(String),
}

fn hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

impl Session {
    /// Open the data file; its findings come with it. A file that is not
    /// TOML at all cannot be edited by key path: that is an error here.
    pub fn open(path: &Path, options: Options) -> Result<Session, Vec<Finding>> {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let file = DataFile::read(&path).map_err(|f| vec![f])?;
        let doc: DocumentMut = match file.text.parse() {
            Ok(d) => d,
            Err(_) => {
                let mut findings = file.parse().findings;
                file.place(&mut findings);
                if findings.is_empty() {
                    findings.push(Finding::error("", "TOML 写法有误"));
                }
                return Err(findings);
            }
        };
        let library = options.library();
        let text = file.text.clone();
        let mut s = Session {
            path,
            doc,
            saved_hash: hash(text.as_bytes()),
            saved: text.clone(),
            text,
            undo: Vec::new(),
            options,
            library,
            pages: Vec::new(),
            hashes: Vec::new(),
            images: HashMap::new(),
            findings: Vec::new(),
            derived: None,
            marks: Vec::new(),
            style: crate::input::model::Style::default(),
            report: None,
            stale: false,
        };
        s.compile();
        Ok(s)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Parse, check and typeset the current text. On errors the last good
    /// pages stay, marked stale.
    pub fn compile(&mut self) {
        let mut preview = self.options.clone();
        // The pages do not show attachments; leaving them out spares hashing the text.
        preview.embed_source = false;
        let file = DataFile::with_text(&self.path, self.text.clone());
        let library = self.library.clone();
        type Good = (Vec<Page>, Vec<Finding>, Figures, Marks, crate::input::model::Report);
        let run = std::panic::AssertUnwindSafe(|| -> Result<Good, (Vec<Finding>, Option<Figures>)> {
            let derived_of = |f: &DataFile| f.parse().report.map(|r| derive::figures(&r));
            let file_for_derived = DataFile::with_text(&self.path, self.text.clone());
            let prepared = prepare_file(file, &preview, library).map_err(|f| (f, derived_of(&file_for_derived)))?;
            match typeset(&prepared, &preview) {
                Ok((doc, mut more)) => {
                    prepared.file.place(&mut more);
                    let mut findings = prepared.findings.clone();
                    findings.extend(more);
                    let marks = marks::marks(&doc, &prepared.document);
                    Ok((doc.pages().to_vec(), findings, prepared.derived, marks, prepared.report.clone()))
                }
                Err(Failure::Input(f)) => Err((f, Some(prepared.derived))),
                Err(Failure::Output(m)) => Err((vec![Finding::error("", m)], Some(prepared.derived))),
            }
        });
        match std::panic::catch_unwind(run) {
            Ok(Ok((pages, findings, derived, marks, report))) => {
                self.stale = has_errors(&findings);
                self.style = report.style.clone();
                self.report = Some(report);
                if !self.stale {
                    self.marks = marks;
                    self.hashes = pages.iter().map(looks).collect();
                    self.pages = pages;
                    self.images.retain(|h, _| self.hashes.contains(h));
                }
                self.findings = findings;
                self.derived = Some(derived);
            }
            Ok(Err((findings, derived))) => {
                self.stale = true;
                self.findings = findings;
                self.derived = derived;
            }
            Err(_) => {
                self.stale = true;
                self.findings = vec![Finding::error("", "内部错误：jixiao 的程序缺陷；请把数据文件报告给开发者")];
            }
        }
        // Keep memory flat over a long session.
        typst::comemo::evict(10);
    }

    /// Set the value at `path` (None takes the key out), then compile.
    pub fn edit(&mut self, path: &str, value: Option<&str>) -> Result<(), String> {
        edit::set(&mut self.doc, path, value)?;
        self.changed();
        Ok(())
    }

    /// A structural edit (see [`outline::apply`]): sections, blocks,
    /// attachments, table rows. Returns the path of the element to show.
    /// Nothing changes when it fails.
    pub fn structure(&mut self, op: &str, path: &str, count: Option<usize>, to: Option<&str>) -> Result<String, String> {
        let mut doc = self.doc.clone();
        let focus = match (op, to) {
            ("move_into", Some(to)) => outline::move_into(&mut doc, path, to)?,
            _ => outline::apply(&mut doc, op, path, count)?,
        };
        self.doc = doc;
        self.changed();
        Ok(focus)
    }

    /// The document was edited: keep the text before for undo, compile.
    fn changed(&mut self) {
        let text = self.doc.to_string();
        if text == self.text {
            return;
        }
        let before = std::mem::replace(&mut self.text, text);
        self.undo.push(before);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.compile();
    }

    /// Go back one edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(text) = self.undo.pop() else { return false };
        match text.parse() {
            Ok(doc) => {
                self.doc = doc;
                self.text = text;
                self.compile();
                true
            }
            Err(_) => false,
        }
    }

    /// Unsaved edits?
    pub fn dirty(&self) -> bool {
        self.text != self.saved
    }

    /// Has the file on disk changed since we read or wrote it?
    pub fn changed_on_disk(&self) -> bool {
        match std::fs::read(&self.path) {
            Ok(bytes) => hash(&bytes) != self.saved_hash,
            Err(_) => true,
        }
    }

    /// Write the text atomically, unless the file changed on disk and
    /// `force` is not given.
    pub fn save(&mut self, force: bool) -> Result<(), SaveError> {
        if !force && self.changed_on_disk() {
            return Err(SaveError::Conflict);
        }
        crate::base::files::write_atomically(&self.path, self.text.as_bytes())
            .map_err(|e| SaveError::Io(format!("无法保存：{}", crate::base::diagnostic::shown(&e.to_string()))))?;
        self.saved = self.text.clone();
        self.saved_hash = hash(self.text.as_bytes());
        Ok(())
    }

    /// Read the file again, dropping unsaved edits.
    pub fn reload(&mut self) -> Result<(), Vec<Finding>> {
        let file = DataFile::read(&self.path).map_err(|f| vec![f])?;
        let doc: DocumentMut = file.text.parse().map_err(|_| {
            let mut findings = file.parse().findings;
            file.place(&mut findings);
            findings
        })?;
        self.undo.clear();
        self.doc = doc;
        self.saved_hash = hash(file.text.as_bytes());
        self.saved = file.text.clone();
        self.text = file.text;
        self.compile();
        Ok(())
    }

    /// The PDF of the current text, the bytes `jixiao render` writes for it.
    pub fn pdf(&self) -> Result<Vec<u8>, String> {
        let file = DataFile::with_text(&self.path, self.text.clone());
        match render_file(file, &self.options, self.library.clone()) {
            Ok(r) => Ok(r.bytes),
            Err(Failure::Input(f)) => {
                let n = f.iter().filter(|f| f.is_error()).count();
                Err(format!("数据有 {n} 个错误，未生成 PDF；请先按提示修改"))
            }
            Err(Failure::Output(m)) => Err(m),
        }
    }

    /// Page `n` (0-based) as PNG, if `version` is its current hash.
    pub fn page_png(&mut self, n: usize, version: &str) -> Option<Arc<Vec<u8>>> {
        let h = *self.hashes.get(n)?;
        if format!("{h:032x}") != version {
            return None;
        }
        if let Some(png) = self.images.get(&h) {
            return Some(png.clone());
        }
        let opts = typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(PIXELS_PER_PT), ..Default::default() };
        let pixmap = typst_render::render(&self.pages[n], &opts);
        let png = Arc::new(encode_png(pixmap.data(), pixmap.width(), pixmap.height())?);
        self.images.insert(h, png.clone());
        Some(png)
    }

    /// Findings, page versions and derived figures: what the page shows
    /// after every edit.
    pub fn state(&self) -> Json {
        let findings = super::summary::findings(&self.findings, finding_json);
        let d = self.derived.as_ref();
        let scores = d.map(|d| {
            let s = &d.scores;
            json!({
                "rows": s.categories.iter().flat_map(|c| rows(c, 0, &self.doc)).collect::<Vec<_>>(),
                "own": s.source == Some(crate::derive::scores::Source::Indicators),
                "full": crate::base::format::number(self.report.as_ref().map_or(rust_decimal::Decimal::ONE_HUNDRED, |r| r.scoring.total)),
                "bonuses": s.bonuses.iter().map(|b| json!({"path": b.path, "name": b.name, "score": b.score.map(crate::base::format::number), "cap": crate::base::format::number(b.rules.cap)})).collect::<Vec<_>>(),
                "sum": s.sum.map(crate::base::format::number),
                "stated": s.stated.map(crate::base::format::number),
                "total": s.total.map(|t| t.to_string()),
                "grade": s.grade,
                "any_given": s.any_given(),
            })
        });
        let money = d.and_then(|d| d.money.as_ref()).map(|t| {
            let u = t.unit.label();
            let nodes: Vec<Json> = t
                .nodes
                .iter()
                .map(|n| json!({"path": n.path, "name": n.name, "depth": n.depth, "breakdown": n.breakdown, "value": edit::get(&self.doc, &n.path)}))
                .collect();
            let sums: Vec<String> = t
                .sums
                .iter()
                .map(|rule| {
                    let parts: Vec<String> = rule.parts.iter().map(|&i| format!("{} {}", t.nodes[i].name, t.nodes[i].value.amount)).collect();
                    let sum: rust_decimal::Decimal = rule.parts.iter().map(|&i| t.nodes[i].value.amount).sum();
                    format!("{} = {} = {sum}{u}", rule.what, parts.join(" + "))
                })
                .collect();
            json!({"unit": u, "nodes": nodes, "sums": sums})
        });
        json!({
            "findings": findings,
            "pages": self.hashes.iter().map(|h| format!("{h:032x}")).collect::<Vec<_>>(),
            "marks": self.marks,
            "stale": self.stale,
            "dirty": self.dirty(),
            "external": self.changed_on_disk(),
            "can_undo": !self.undo.is_empty(),
            "scores": scores,
            "money": money,
            "execution_rate": d.and_then(|d| d.execution_rate).map(|r| r.to_string()),
            "placeholders": self.placeholders(),
        })
    }

    /// Every occurrence of `needle` in the report's text, each with its
    /// place (`三、… › （一）…`) and the text around it.
    pub fn find(&self, needle: &str, number: bool) -> Json {
        let found = crate::input::find::find(&self.doc, needle, number);
        let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
        let places = DataFile::with_text(&self.path, self.text.clone()).places(&paths);
        let matches: Vec<Json> = found
            .iter()
            .zip(places)
            .map(|(m, place)| json!({"path": m.path, "nth": m.nth, "place": place, "before": m.before, "found": m.found, "after": m.after}))
            .collect();
        json!({"needle": needle, "number": number, "matches": matches, "capped": found.len() >= crate::input::find::MAX_MATCHES})
    }

    /// Replace occurrences of `needle` by `with`: the `nth` one in the text
    /// at `path`, or (path None) every one in the report; one undo step.
    pub fn replace(&mut self, needle: &str, with: &str, number: bool, at: Option<(&str, usize)>) -> Result<usize, String> {
        use crate::input::find::{occurrences, paths_holding, replace_all, replace_nth};
        // Replaced everywhere, a long text could grow the report without bound: it
        // may grow to the largest data file read, no further.
        let grows = with.len().saturating_sub(needle.len());
        let times = match at {
            Some(_) => 1,
            None => occurrences(&self.text, needle, number).len(),
        };
        if self.text.len().saturating_add(grows.saturating_mul(times)) as u64 > crate::input::source::MAX_DATA_BYTES {
            return Err("替换后的报告太大；请换短一些的文字".into());
        }
        let mut doc = self.doc.clone();
        let mut count = 0;
        match at {
            Some((path, nth)) => {
                let text = edit::get(&doc, path).ok_or_else(|| format!("数据中没有 {path}"))?;
                let new = replace_nth(&text, needle, with, nth, number).ok_or("这一处已经改过了；请重新查找")?;
                edit::set(&mut doc, path, Some(&new))?;
                count = 1;
            }
            None => {
                for path in paths_holding(&self.doc, needle, number) {
                    let Some(text) = edit::get(&doc, &path) else { continue };
                    let (text, n) = replace_all(&text, needle, with, number);
                    count += n;
                    edit::set(&mut doc, &path, Some(&text))?;
                }
            }
        }
        self.doc = doc;
        self.changed();
        Ok(count)
    }

    /// Tick the to-do item `item` off: its line leaves the file's text (one undo step).
    pub fn tick(&mut self, item: &str) -> Result<(), String> {
        let text = super::todo::tick(&self.text, item).ok_or("这一项已经勾掉了")?;
        self.doc = text.parse().map_err(|_| "数据有写法错误，先改正后再勾掉".to_string())?;
        self.changed();
        Ok(())
    }

    /// Every placeholder the text uses: what it stands for and its value
    /// now, for the editor's chips.
    fn placeholders(&self) -> Json {
        let (Some(report), Some(derived)) = (&self.report, &self.derived) else { return json!({}) };
        let mut out = serde_json::Map::new();
        for m in crate::input::find::find(&self.doc, "{", false) {
            let Some(text) = edit::get(&self.doc, &m.path) else { continue };
            for key in crate::layout::placeholders::keys(&text) {
                if out.contains_key(&key) {
                    continue;
                }
                let (label, value) = crate::layout::placeholders::describe(&key, report, derived);
                out.insert(key, json!({"label": label, "value": value.ok()}));
            }
        }
        Json::Object(out)
    }

    /// Everything the editor builds its fields from, with the state.
    pub fn model(&self) -> Json {
        json!({
            "file": self.path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "basics": edit::basics(&self.doc),
            "outline": edit::outline(&self.doc, &self.style),
            "attachments": edit::attachments(&self.doc),
            "todo": super::todo::items(&self.text).into_iter().map(|item| json!({"text": super::plain::message(&item), "item": item})).collect::<Vec<_>>(),
            "frameworks": crate::input::starter::addable_frameworks().map(|(k, d, _)| json!({"key": k, "label": d})).collect::<Vec<_>>(),
            "state": self.state(),
        })
    }
}

/// A hash of what a page looks like. The introspection tags in its frame
/// are left out: the document's metadata (its description and keywords,
/// drawn from the whole text) is tagged on the last page, which would
/// otherwise change, and be drawn again, after every edit anywhere.
fn looks(page: &Page) -> u128 {
    struct Visible<'a>(&'a Frame);
    impl std::hash::Hash for Visible<'_> {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            self.0.size().hash(state);
            for (pos, item) in self.0.items() {
                match item {
                    FrameItem::Tag(_) => continue,
                    FrameItem::Group(g) => {
                        pos.hash(state);
                        g.transform.hash(state);
                        g.clip.hash(state);
                        Visible(&g.frame).hash(state);
                    }
                    other => {
                        pos.hash(state);
                        other.hash(state);
                    }
                }
            }
        }
    }
    typst::utils::hash128(&(Visible(&page.frame), &page.fill, &page.bleed))
}

/// A page image as PNG: RGB (a page is opaque), with the fast compression
/// of the `png` crate (fdeflate), several times quicker than the default
/// level for a page of text, and about as small.
/// `rgba` is premultiplied, as the renderer leaves it.
fn encode_png(rgba: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    // Premultiplied RGBA over white: each channel plus the missing alpha.
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| {
            let white = 255 - p[3];
            [p[0].saturating_add(white), p[1].saturating_add(white), p[2].saturating_add(white)]
        })
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&rgb).ok()?;
    writer.finish().ok()?;
    Some(out)
}

/// The rows of the score grid under `n`: each indicator with the paths
/// its name and weight are edited at, and the weight as written (none
/// when it is its children's sum).
fn rows(n: &crate::derive::scores::Node, depth: usize, doc: &DocumentMut) -> Vec<Json> {
    let name_path = format!("{}.{}", n.path, if n.path.starts_with("indicators") { "name" } else { "title" });
    let weight_path = format!("{}.weight", n.path);
    let mut out = vec![json!({
        "path": n.path,
        "name": n.name,
        "name_path": name_path,
        "weight_path": weight_path,
        "weight_written": edit::get(doc, &weight_path),
        "depth": depth,
        "weight": crate::base::format::number(n.weight),
        "given": n.given.map(crate::base::format::number),
        "score": n.score.map(crate::base::format::number),
        "leaf": n.children.is_empty(),
    })];
    for c in &n.children {
        out.extend(rows(c, depth + 1, doc));
    }
    out
}

/// A finding for the browser: in the officer's words (see [`super::plain`]),
/// at a place named by the outline or the part of the report.
fn finding_json(f: &Finding) -> Json {
    let place = f.place.clone().or_else(|| (!f.path.is_empty()).then(|| crate::input::source::part_of_report(&f.path).to_string()));
    json!({
        "severity": f.severity,
        "label": f.severity.label(),
        "path": f.path,
        "place": place,
        "message": super::plain::message(&f.message),
        "related": f.related,
    })
}
