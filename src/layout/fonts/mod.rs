//! Fonts: where they come from (embedded, `--font-path`, the system), the
//! ordered face each typographic role asks for, and the set Typst is given.
//!
//! Each role prefers the official faces (by every name they go by), then the
//! bundled free face, then the bundled wide fallback (Noto Serif CJK SC).
//! jixiao resolves these chains itself, against every family name a font
//! carries (also the Chinese ones, such as `仿宋_GB2312`), and hands Typst
//! only the faces it chose, with Typst's own fallback switched off: no face
//! is ever picked silently.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};

use crate::base::diagnostic::Finding;

pub mod cut;
mod embedded_info;
mod resident;

pub use crate::input::model::Role;

/// The bundled wide-coverage face behind every role.
pub const FALLBACK: &str = "Noto Serif CJK SC";

const XIAOBIAOSONG: &[&str] = &["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"];
const FANGSONG: &[&str] = &["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"];
const HEITI: &[&str] = &["黑体", "SimHei"];
const KAITI: &[&str] = &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"];
const SONGTI: &[&str] = &["宋体", "SimSun"];

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Title,
        Role::Body,
        Role::Heading1,
        Role::Heading2,
        Role::Heading3,
        Role::Heading4,
        Role::Table,
        Role::TableHeader,
        Role::PageNumber,
    ];

    /// The key of the role in the data's `[fonts]` table.
    pub fn key(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Body => "body",
            Role::Heading1 => "heading1",
            Role::Heading2 => "heading2",
            Role::Heading3 => "heading3",
            Role::Heading4 => "heading4",
            Role::Table => "table",
            Role::TableHeader => "table_header",
            Role::PageNumber => "page_number",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Title => "标题",
            Role::Body => "正文",
            Role::Heading1 => "一级标题",
            Role::Heading2 => "二级标题",
            Role::Heading3 => "三级标题",
            Role::Heading4 => "四级标题",
            Role::Table => "表格",
            Role::TableHeader => "表头",
            Role::PageNumber => "页码",
        }
    }

    /// Whether the role's text is bold: the title, whose free substitute for
    /// 小标宋 is bold Song.
    pub fn bold(self) -> bool {
        matches!(self, Role::Title)
    }

    /// The default preference list: official faces, bundled face, fallback.
    pub fn default_chain(self) -> Vec<String> {
        let (official, bundled): (&[&str], &str) = match self {
            Role::Title => (XIAOBIAOSONG, "FandolSong"),
            Role::Body | Role::Heading3 | Role::Heading4 | Role::Table => (FANGSONG, "FandolFang R"),
            Role::Heading1 | Role::TableHeader => (HEITI, "FandolHei"),
            Role::Heading2 => (KAITI, "FandolKai"),
            Role::PageNumber => (SONGTI, "FandolSong"),
        };
        official.iter().copied().chain([bundled, FALLBACK]).map(String::from).collect()
    }
}

/// Where a face's bytes are.
#[derive(Debug, Clone)]
pub enum FaceSource {
    Embedded { file: &'static str, data: &'static [u8] },
    File(PathBuf),
}

impl FaceSource {
    pub fn describe(&self) -> String {
        match self {
            FaceSource::Embedded { file, .. } => format!("内置 {file}"),
            FaceSource::File(p) => p.display().to_string(),
        }
    }
}

/// A face jixiao can use, loaded on first use.
pub struct Face {
    /// Every family name the face carries, in every language.
    pub names: Vec<String>,
    pub italic: bool,
    pub index: u32,
    pub source: FaceSource,
    /// OS/2 fsType forbids embedding ("Restricted License").
    pub restricted: bool,
    /// Typst's description of the face: read from the file, or for an
    /// embedded face taken from [`embedded_info`], computed when it was built.
    info: OnceLock<Option<FontInfo>>,
    /// The file's bytes, read once for both the info and the font.
    bytes: OnceLock<Option<Bytes>>,
    font: OnceLock<Option<Font>>,
    /// Typst's hash of the font's whole file, taken once (see
    /// [`Face::hashed_font`]).
    hashed: std::sync::Once,
    /// Covered code points as sorted inclusive ranges, for [`Face::covers`].
    ranges: OnceLock<Vec<(u32, u32)>>,
}

impl Face {
    fn new(names: Vec<String>, italic: bool, index: u32, source: FaceSource, restricted: bool) -> Face {
        Face { names, italic, index, source, restricted, info: OnceLock::new(), bytes: OnceLock::new(), font: OnceLock::new(), hashed: std::sync::Once::new(), ranges: OnceLock::new() }
    }

    fn data(&self) -> Option<Bytes> {
        self.bytes
            .get_or_init(|| {
                Some(match &self.source {
                    FaceSource::Embedded { data, .. } => Bytes::new(*data),
                    FaceSource::File(p) => Bytes::new(std::fs::read(p).ok()?),
                })
            })
            .clone()
    }

    /// The font, parsed on first use (only a render needs it).
    pub fn font(&self) -> Option<Font> {
        self.font.get_or_init(|| Font::new(self.data()?, self.index)).clone()
    }

    /// The font with Typst's hash of its whole file taken (Typst takes it
    /// when layout first uses the font). When the warm-up thread is taking
    /// it, layout waits for that instead of hashing the file a second time.
    pub fn hashed_font(&self) -> Option<Font> {
        let font = self.font()?;
        self.hashed.call_once(|| std::hash::Hash::hash(&font, &mut std::hash::DefaultHasher::new()));
        Some(font)
    }

    pub fn info(&self) -> Option<&FontInfo> {
        self.info
            .get_or_init(|| match &self.source {
                FaceSource::Embedded { file, .. } => embedded_info::get(file, self.index),
                FaceSource::File(_) => FontInfo::new(&self.data()?, self.index),
            })
            .as_ref()
    }

    /// The family name as Typst knows it.
    pub fn typst_family(&self) -> Option<&str> {
        self.info().map(|i| i.family.as_str())
    }

    /// The weight as Typst selects by it (100–900).
    pub fn weight(&self) -> u16 {
        self.info().map_or(400, |i| i.variant.weight.to_number())
    }

    /// Whether the face has a glyph for `c`. Typst's `Coverage::contains`
    /// scans its runs linearly, too slow for every character of a report, so
    /// the runs become sorted ranges once and are searched by bisection.
    pub fn covers(&self, c: char) -> bool {
        let ranges = self.ranges.get_or_init(|| {
            let mut out: Vec<(u32, u32)> = Vec::new();
            for cp in self.info().map(|i| i.coverage.iter().collect::<Vec<_>>()).unwrap_or_default() {
                match out.last_mut() {
                    Some(last) if last.1 + 1 == cp => last.1 = cp,
                    _ => out.push((cp, cp)),
                }
            }
            out
        });
        let c = c as u32;
        let i = ranges.partition_point(|r| r.1 < c);
        ranges.get(i).is_some_and(|r| r.0 <= c)
    }

    fn answers_to(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

struct Embedded {
    file: &'static str,
    data: &'static [u8],
    /// Faces of a collection to offer; of the Noto TTC only the mainland (SC) one.
    faces: &'static [u32],
}

macro_rules! embed {
    ($file:literal, $faces:expr) => {
        Embedded { file: $file, data: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $file)), faces: $faces }
    };
}

static EMBEDDED: &[Embedded] = &[
    embed!("FandolSong-Regular.otf", &[0]),
    embed!("FandolSong-Bold.otf", &[0]),
    embed!("FandolHei-Regular.otf", &[0]),
    embed!("FandolFang-Regular.otf", &[0]),
    embed!("FandolKai-Regular.otf", &[0]),
    // Face 2 of the collection is "Noto Serif CJK SC" (0 JP, 1 KR, 3 TC, 4 HK).
    embed!("NotoSerifCJK-Regular.ttc", &[2]),
];

/// Where to look for fonts besides the embedded ones.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    pub font_paths: Vec<PathBuf>,
    pub system_fonts: bool,
}

/// Every face known to this run. User and system fonts come first, so an
/// official face found on disk wins over a bundled one of the same name.
pub struct FontLibrary {
    pub faces: Vec<Face>,
    /// Set once [`FontLibrary::warm_faces`] has run.
    warming: std::sync::Once,
}

impl FontLibrary {
    pub fn new(options: &FontOptions) -> FontLibrary {
        let mut faces = Vec::new();
        if !options.font_paths.is_empty() || options.system_fonts {
            // fontdb reads only the name tables (memory-mapped); the rest of a
            // file is read when the face is used.
            let mut db = fontdb::Database::new();
            for dir in &options.font_paths {
                if dir.is_file() {
                    let _ = db.load_font_file(dir);
                } else {
                    db.load_fonts_dir(dir);
                }
            }
            if options.system_fonts {
                db.load_system_fonts();
            }
            for info in db.faces() {
                let fontdb::Source::File(path) = &info.source else { continue };
                let restricted = db
                    .with_face_data(info.id, |data, index| {
                        let face = ttf_parser::Face::parse(data, index).ok()?;
                        Some(face.tables().os2?.permissions() == Some(ttf_parser::Permissions::Restricted))
                    })
                    .flatten()
                    .unwrap_or(false);
                faces.push(Face::new(
                    info.families.iter().map(|(n, _)| n.clone()).chain([info.post_script_name.clone()]).collect(),
                    info.style != fontdb::Style::Normal,
                    info.index,
                    FaceSource::File(path.clone()),
                    restricted,
                ));
            }
        }
        for e in EMBEDDED {
            for &index in e.faces {
                let Ok(face) = ttf_parser::Face::parse(e.data, index) else { continue };
                let names = family_names(&face);
                faces.push(Face::new(names, face.is_italic(), index, FaceSource::Embedded { file: e.file, data: e.data }, false));
            }
        }
        FontLibrary { faces, warming: std::sync::Once::new() }
    }

    /// The embedded fonts only: the default, so output never depends on the machine.
    pub fn embedded() -> Arc<FontLibrary> {
        static LIB: OnceLock<Arc<FontLibrary>> = OnceLock::new();
        LIB.get_or_init(|| Arc::new(FontLibrary::new(&FontOptions::default()))).clone()
    }

    /// Parse the embedded faces and hash their bytes, in the order a report
    /// first uses them; see [`crate::layout::world::warm_up`], which does
    /// this on a second thread while the first reads and lays out the data.
    /// Typst hashes a font's whole file (31 MB for the bundled Fandol faces)
    /// the first time it uses it; the results are shared (each face parses
    /// once, each hash is kept), so the output cannot change. The wide
    /// fallback is not among them: a report uses it cut down to what it
    /// needs ([`FontSet::fallback_cut`]).
    pub fn warm_faces(&self) {
        self.warming.call_once(|| {
            // In the order layout first uses them: the body's 仿宋 at once,
            // the headings' 黑体 and 楷体, the title's bold Song.
            const ORDER: [&str; 5] = [
                "FandolFang-Regular.otf",
                "FandolHei-Regular.otf",
                "FandolKai-Regular.otf",
                "FandolSong-Bold.otf",
                "FandolSong-Regular.otf",
            ];
            let rank = |f: &Face| match f.source {
                FaceSource::Embedded { file, .. } => ORDER.iter().position(|o| *o == file).unwrap_or(ORDER.len()),
                FaceSource::File(_) => usize::MAX,
            };
            let mut faces: Vec<&Face> = self.faces.iter().filter(|f| rank(f) < ORDER.len()).collect();
            faces.sort_by_key(|f| rank(f));
            for face in faces {
                face.hashed_font();
                // Hashing read every page of the file; layout and subsetting
                // need only a few of them.
                if let FaceSource::Embedded { data, .. } = face.source {
                    resident::release(data);
                }
            }
        });
    }

    /// Indices of the upright faces answering to `name`.
    fn family(&self, name: &str) -> Vec<usize> {
        (0..self.faces.len()).filter(|&i| self.faces[i].answers_to(name) && !self.faces[i].italic).collect()
    }
}

/// Family names of a face: typographic and legacy, every language.
fn family_names(face: &ttf_parser::Face) -> Vec<String> {
    let mut names = Vec::new();
    for n in face.names() {
        if matches!(n.name_id, ttf_parser::name_id::FAMILY | ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
            && let Some(s) = n.to_string()
            && !names.contains(&s)
        {
            names.push(s);
        }
    }
    names
}

/// One available step of a role's chain: the name asked for and its faces.
#[derive(Debug, Clone)]
pub struct ChainStep {
    pub asked: String,
    /// The face Typst will select for the role's weight.
    pub face: usize,
    /// All faces of the family (regular, bold…), to put in Typst's book.
    pub faces: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct RoleChain {
    pub role: Role,
    pub steps: Vec<ChainStep>,
    /// Names asked for that no font answers to.
    pub missing: Vec<String>,
    /// The role wants bold and its first face has no bold weight.
    pub synthetic_bold: bool,
}

/// The fonts a report is typeset with.
pub struct FontSet {
    pub library: Arc<FontLibrary>,
    pub chains: Vec<RoleChain>,
    pub book: FontBook,
    /// Library face index of each book entry.
    slots: Vec<usize>,
    /// Licence and availability notes found while resolving.
    pub findings: Vec<Finding>,
}

impl FontSet {
    /// Resolve every role's chain. `overrides` replaces a role's list (the
    /// wide fallback is still appended); `pdfa` excludes faces whose licence
    /// forbids embedding.
    pub fn resolve(library: Arc<FontLibrary>, overrides: &dyn Fn(Role) -> Option<Vec<String>>, pdfa: bool) -> FontSet {
        let mut chains = Vec::new();
        let mut findings = Vec::new();
        let mut used: Vec<usize> = Vec::new();
        for role in Role::ALL {
            let (mut asked, path) = match overrides(role) {
                Some(list) => (list, format!("fonts.{}", role.key())),
                None => (role.default_chain(), String::new()),
            };
            if !asked.iter().any(|a| a == FALLBACK) {
                asked.push(FALLBACK.into());
            }
            let want = if role.bold() { 700 } else { 400 };
            let mut steps: Vec<ChainStep> = Vec::new();
            let mut missing = Vec::new();
            for name in asked {
                let mut faces = library.family(&name);
                if pdfa {
                    let (bad, ok): (Vec<usize>, Vec<usize>) = faces.iter().partition(|&&i| library.faces[i].restricted);
                    if let Some(&b) = bad.first() {
                        findings.push(Finding::warning(
                            path.clone(),
                            format!(
                                "字体“{name}”（{}）的授权禁止嵌入（OS/2 fsType：Restricted License），不能放进 PDF/A；{}改用内置的“{}”",
                                library.faces[b].source.describe(),
                                role.label(),
                                bundled_for(role)
                            ),
                        ));
                    }
                    faces = ok;
                }
                // Faces that cannot be read are as good as missing.
                faces.retain(|&i| library.faces[i].info().is_some());
                if faces.is_empty() {
                    missing.push(name);
                    continue;
                }
                // Typst picks the closest weight within a family.
                let face = *faces.iter().min_by_key(|&&i| (library.faces[i].weight() as i32 - want).abs()).unwrap_or(&faces[0]);
                if steps.iter().any(|s| s.face == face) {
                    continue;
                }
                used.extend(&faces);
                steps.push(ChainStep { asked: name, face, faces });
            }
            if !path.is_empty() {
                findings.extend(misspelled_families(&library, &path, &missing, steps.iter().any(|s| s.asked != FALLBACK), role));
            }
            let synthetic_bold = role_bold_option(role) && steps.first().is_some_and(|s| library.faces[s.face].weight() < 600);
            chains.push(RoleChain { role, steps, missing, synthetic_bold });
        }
        used.sort_unstable();
        used.dedup();
        let mut book = FontBook::new();
        for &i in &used {
            if let Some(info) = library.faces[i].info() {
                book.push(info.clone());
            }
        }
        FontSet { library, chains, book, slots: used, findings }
    }

    pub fn chain(&self, role: Role) -> &RoleChain {
        self.chains.iter().find(|c| c.role == role).expect("every role is resolved")
    }

    /// Typst family names of a role's chain, in order, for the template.
    pub fn families(&self, role: Role) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.chain(role).steps {
            if let Some(f) = self.library.faces[s.face].typst_family()
                && !out.iter().any(|o| o == f)
            {
                out.push(f.to_string());
            }
        }
        out
    }

    /// The font of book entry `index`, for the Typst world.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.library.faces[*self.slots.get(index)?].hashed_font()
    }

    pub fn face(&self, i: usize) -> &Face {
        &self.library.faces[i]
    }
}

/// Roles where bold is a style choice (`style.heading3_bold`) and may need
/// synthesising.
/// A family the data asks for that no font answers to: named, with the
/// families that exist nearby, when it looks like a typo or when the role
/// falls back to the bundled face because none of its own names was found.
fn misspelled_families(library: &FontLibrary, path: &str, missing: &[String], some_found: bool, role: Role) -> Vec<Finding> {
    let mut families: Vec<&str> = library.faces.iter().flat_map(|f| f.names.iter().map(String::as_str)).collect();
    families.sort_unstable();
    families.dedup();
    let mut out = Vec::new();
    for name in missing.iter().filter(|n| n.as_str() != FALLBACK) {
        let mut near: Vec<(usize, &str)> =
            families.iter().map(|f| (crate::input::parse::edit_distance(&name.to_lowercase(), &f.to_lowercase()), *f)).collect();
        near.sort();
        let close = near.first().is_some_and(|(d, f)| *d <= 3.max(f.chars().count() / 3));
        if some_found && !close {
            continue;
        }
        let listed: Vec<String> = near.iter().take(5).map(|(_, f)| format!("“{f}”")).collect();
        let fallback = if some_found { String::new() } else { format!("，{}只剩后备字体“{FALLBACK}”可用（内置的同类字体是“{}”）", role.label(), bundled_for(role)) };
        let mut f = Finding::warning(
            path,
            format!("找不到字体“{}”{fallback}；相近的字体有：{}（字体名须与 jixiao fonts 列出的一致）", crate::base::diagnostic::shown(name), listed.join("、")),
        );
        f.focus = Some(name.clone());
        out.push(f);
    }
    out
}

fn role_bold_option(role: Role) -> bool {
    matches!(role, Role::Heading3)
}

fn bundled_for(role: Role) -> &'static str {
    match role {
        Role::Title | Role::PageNumber => "FandolSong",
        Role::Body | Role::Heading3 | Role::Heading4 | Role::Table => "FandolFang R",
        Role::Heading1 | Role::TableHeader => "FandolHei",
        Role::Heading2 => "FandolKai",
    }
}

/// The directories named by `JIXIAO_FONT_PATHS`, split as the platform does.
pub fn env_font_paths() -> Vec<PathBuf> {
    std::env::var_os("JIXIAO_FONT_PATHS").map(|v| std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_chains_resolve_to_the_bundled_faces() {
        let set = FontSet::resolve(FontLibrary::embedded(), &|_| None, false);
        assert_eq!(set.families(Role::Body), ["FandolFang R", FALLBACK]);
        assert_eq!(set.families(Role::Heading1), ["FandolHei", FALLBACK]);
        assert_eq!(set.families(Role::Heading2), ["FandolKai", FALLBACK]);
        assert_eq!(set.families(Role::Title), ["FandolSong", FALLBACK]);
        // The title asks for bold: FandolSong Bold is chosen.
        let title = set.chain(Role::Title);
        assert!(set.face(title.steps[0].face).weight() >= 700);
        assert!(set.chain(Role::Body).missing.contains(&"仿宋_GB2312".to_string()));
        assert!(!set.families(Role::Body).iter().any(|f| f.contains("JP")));
    }
}
