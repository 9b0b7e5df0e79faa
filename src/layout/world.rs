//! The Typst world: the embedded template, the report as JSON data, and the
//! fonts. Nothing else is served, so a report cannot read the machine's files
//! and its output does not depend on where or when it is compiled.

use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::layout::fonts::{FontLibrary, FontSet};

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
}

impl ReportWorld {
    /// `data` is the report as JSON; `today` is the document date (never the clock).
    pub fn new(fonts: Arc<FontSet>, data: Vec<u8>, today: Option<Datetime>) -> Self {
        ReportWorld {
            book: LazyHash::new(fonts.book.clone()),
            fonts,
            main: MAIN.clone(),
            data_id: file_id(DATA_PATH),
            data: Bytes::new(data),
            files: Vec::new(),
            today,
        }
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
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_served(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}
