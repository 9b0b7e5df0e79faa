//! The Typst world: the embedded template, the report as JSON data, and the
//! fonts. Nothing else is served, so a report cannot read the machine's files
//! and its output does not depend on where or when it is compiled.

use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult, SourceResult, Warned};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::layout::fonts::{FontLibrary, FontSet};
use crate::layout::glyphs::missing_glyphs;

/// The template, embedded at build time from `typst-templates/`.
pub const TEMPLATE: &str = include_str!("../../typst-templates/report.typ");
/// Where the template finds the report data in the virtual file system.
pub const DATA_PATH: &str = "/report.json";
const MAIN_PATH: &str = "/report.typ";

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// The template, parsed once per process and shared by every report.
static MAIN: LazyLock<Source> = LazyLock::new(|| Source::new(file_id(MAIN_PATH), TEMPLATE.to_string()));

/// Build what every render needs first on a second thread, while this one
/// reads and checks the data: Typst's standard library and its hash, the
/// parsed template, then the fonts ([`FontLibrary::warm_faces`]). Each is
/// built once and shared, so the output cannot change; without a thread
/// the work is done later, where it is needed.
pub fn warm_up(fonts: &Arc<FontLibrary>) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    let fonts = fonts.clone();
    STARTED.call_once(|| {
        let spawned = std::thread::Builder::new().name("warm-up".into()).spawn(move || {
            std::hash::Hash::hash(&*LIBRARY, &mut std::hash::DefaultHasher::new());
            LazyLock::force(&MAIN);
            fonts.warm_faces();
        });
        drop(spawned);
    });
}

/// Lay the report out. When the wide fallback was cut and a glyph came out
/// missing that the whole face has (a character the cut lacks: one Typst
/// wrote itself, say), lay it out again with the face whole, so that a box
/// always means the fonts lack the character.
pub fn compile(world: ReportWorld) -> Warned<SourceResult<PagedDocument>> {
    let result = typst::compile::<PagedDocument>(&world);
    let cut_lacked = |doc: &PagedDocument| missing_glyphs(doc).iter().any(|m| world.fonts.fallback_has(m.ch));
    if world.fallback_was_cut() && result.output.as_ref().is_ok_and(cut_lacked) {
        return typst::compile(&ReportWorld { fallback: None, ..world });
    }
    result
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("static virtual path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// A world for one report.
pub struct ReportWorld {
    fonts: Arc<FontSet>,
    book: LazyHash<FontBook>,
    main: Source,
    data_id: FileId,
    data: Bytes,
    /// Further files the template may read (attachments, the seal image).
    files: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
    /// The wide fallback face, cut to the characters this report may take
    /// from it (see [`crate::layout::fonts::cut`]), made when first asked for.
    fallback: Option<Fallback>,
}

struct Fallback {
    index: usize,
    font: std::sync::OnceLock<Option<Font>>,
}

impl ReportWorld {
    /// `data` is the report as JSON; `today` is the document date (never the clock).
    pub fn new(fonts: Arc<FontSet>, data: Vec<u8>, today: Option<Datetime>) -> Self {
        ReportWorld {
            book: LazyHash::new(fonts.book.clone()),
            main: MAIN.clone(),
            data_id: file_id(DATA_PATH),
            data: Bytes::new(data),
            files: Vec::new(),
            today,
            fallback: fonts.fallback_index().map(|index| Fallback { index, font: std::sync::OnceLock::new() }),
            fonts,
        }
    }

    /// Whether layout used the wide fallback face cut down.
    fn fallback_was_cut(&self) -> bool {
        self.fallback.as_ref().is_some_and(|f| f.font.get().is_some_and(Option::is_some))
    }

    /// The fallback cut to what the template, the data and the files
    /// served beside them may need of it.
    fn cut_fallback(&self) -> Option<Font> {
        let mut texts: Vec<&str> = vec![TEMPLATE, std::str::from_utf8(self.data.as_slice()).unwrap_or("")];
        texts.extend(self.files.iter().filter_map(|(_, b)| std::str::from_utf8(b.as_slice()).ok()));
        self.fonts.fallback_cut(texts)
    }

    /// Serve `bytes` at the virtual path `path` (e.g. `/assets/seal.png`).
    pub fn with_file(mut self, path: &str, bytes: Vec<u8>) -> Self {
        if let Ok(vpath) = VirtualPath::new(path) {
            self.files.push((RootedPath::new(VirtualRoot::Project, vpath).intern(), Bytes::new(bytes)));
        }
        self
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_served(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(TEMPLATE))
        } else if let Some((_, bytes)) = self.files.iter().find(|(f, _)| *f == id) {
            Ok(bytes.clone())
        } else {
            Err(not_served(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        match &self.fallback {
            Some(f) if f.index == index => f.font.get_or_init(|| self.cut_fallback()).clone().or_else(|| self.fonts.font(index)),
            _ => self.fonts.font(index),
        }
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_served(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::Role;
    use typst::layout::{Frame, FrameItem};

    /// The size of the font each character of the pages is drawn in.
    fn font_sizes(frame: &Frame, out: &mut Vec<(char, usize)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => font_sizes(&g.frame, out),
                FrameItem::Text(t) => out.extend(t.text.chars().map(|c| (c, t.font.font().data().len()))),
                _ => {}
            }
        }
    }

    /// Each character drawn with the size of its font's file, and the
    /// characters drawn as boxes.
    fn laid_out(main: &str) -> (Vec<(char, usize)>, Vec<char>) {
        let fonts = Arc::new(FontSet::resolve(FontLibrary::embedded(), &|_| None, true));
        let families = fonts.families(Role::Body).iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ");
        let mut world = ReportWorld::new(fonts, r#"{"name":"李柱焜"}"#.as_bytes().to_vec(), None);
        world.main = Source::new(file_id(MAIN_PATH), format!("#set text(font: ({families},))\n{main}"));
        let doc = compile(world).output.expect("laid out");
        let mut out = Vec::new();
        font_sizes(&doc.pages()[0].frame, &mut out);
        (out, missing_glyphs(&doc).iter().map(|m| m.ch).collect())
    }

    #[test]
    fn the_wide_fallback_is_cut_to_the_reports_characters_or_used_whole() {
        // 焜 is in the data: the fallback is cut to it.
        let (drawn, boxes) = laid_out(r#"#json("/report.json").name"#);
        let (_, size) = drawn.iter().find(|(c, _)| *c == '焜').expect("drawn");
        assert!(*size < 100_000, "cut: {size} bytes");
        assert!(boxes.is_empty(), "{boxes:?}");
        // 䶮 is written by the template alone, where the cut cannot see it:
        // laid out again with the whole face, it is no box.
        let (drawn, boxes) = laid_out(r#"#json("/report.json").name #str.from-unicode(0x4DAE)"#);
        let (_, size) = drawn.iter().find(|(c, _)| *c == '䶮').expect("drawn");
        assert!(*size > 20_000_000, "whole: {size} bytes");
        assert!(boxes.is_empty(), "{boxes:?}");
        // A character no face has stays a box, and costs no second layout.
        let (drawn, boxes) = laid_out(r#"#json("/report.json").name #str.from-unicode(0xE000)"#);
        let (_, size) = drawn.iter().find(|(c, _)| *c == '焜').expect("drawn");
        assert!(*size < 100_000, "still cut: {size} bytes");
        assert_eq!(boxes, ['\u{E000}']);
    }
}
