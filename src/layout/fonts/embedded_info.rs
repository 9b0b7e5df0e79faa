//! Typst's `FontInfo` of each embedded face, computed when the fonts were
//! added rather than at every start: reading a CJK face's whole character
//! map and sorting it took most of a `check`. The test below recomputes
//! them with Typst and fails when they differ (a font file changed); it
//! writes the file anew when run with `JIXIAO_WRITE_FONT_INFO=1`.

use std::sync::OnceLock;

use typst::text::FontInfo;

/// `[{"file": …, "index": …, "info": FontInfo}]`, one entry per embedded face.
static TABLE: &str = include_str!("embedded-info.json");

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    file: String,
    index: u32,
    info: FontInfo,
}

fn entries() -> &'static [Entry] {
    static PARSED: OnceLock<Vec<Entry>> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(TABLE).unwrap_or_default())
}

/// The info of face `index` of the embedded file `file`.
pub fn get(file: &str, index: u32) -> Option<FontInfo> {
    entries().iter().find(|e| e.file == file && e.index == index).map(|e| e.info.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::{FaceSource, FontLibrary, FontOptions};

    #[test]
    fn the_table_is_what_typst_computes() {
        let library = FontLibrary::new(&FontOptions::default());
        let computed: Vec<Entry> = library
            .faces
            .iter()
            .filter_map(|f| match f.source {
                FaceSource::Embedded { file, data } => Some(Entry {
                    file: file.into(),
                    index: f.index,
                    info: FontInfo::new(data, f.index).expect("an embedded face parses"),
                }),
                FaceSource::File(_) => None,
            })
            .collect();
        let json = serde_json::to_string(&computed).expect("serialisable") + "\n";
        if std::env::var_os("JIXIAO_WRITE_FONT_INFO").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/layout/fonts/embedded-info.json"), &json).expect("written");
            return;
        }
        assert_eq!(computed.len(), entries().len(), "run with JIXIAO_WRITE_FONT_INFO=1 to write the table anew");
        for (c, e) in computed.iter().zip(entries()) {
            assert!(c.file == e.file && c.index == e.index && c.info == e.info, "{} {}: the table is out of date; run with JIXIAO_WRITE_FONT_INFO=1", c.file, c.index);
        }
    }
}
