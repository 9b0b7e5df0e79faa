//! The fonts jixiao embeds, so a report looks the same on every machine.
//!
//! Free faces of the four official styles (Fandol Song/Hei/Fang/Kai) cover
//! GB2312; Noto Serif CJK SC backs every role for the rarer characters of
//! names and places (e.g. 焜, U+711C, which no Fandol face has).

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};

/// One embedded font file and the face indices of it that jixiao offers.
struct Embedded {
    file: &'static str,
    data: &'static [u8],
    /// Faces of a collection to register; a TTC holds faces for several
    /// regions and only the mainland (SC) one is wanted.
    faces: &'static [u32],
}

macro_rules! embed {
    ($file:literal, $faces:expr) => {
        Embedded {
            file: $file,
            data: include_bytes!(concat!("../fonts/", $file)),
            faces: $faces,
        }
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

/// A font known to jixiao: where it comes from and its parsed face, loaded on
/// first use.
pub struct FontSlot {
    pub source: String,
    pub info: FontInfo,
    data: Bytes,
    index: u32,
    font: OnceLock<Option<Font>>,
}

impl FontSlot {
    pub fn get(&self) -> Option<Font> {
        self.font
            .get_or_init(|| Font::new(self.data.clone(), self.index))
            .clone()
    }
}

/// All fonts jixiao can use, with the book Typst selects from.
pub struct Fonts {
    pub book: FontBook,
    pub slots: Vec<FontSlot>,
}

impl Fonts {
    /// The embedded fonts only: the default, so output never depends on the machine.
    pub fn embedded() -> Fonts {
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        for e in EMBEDDED {
            for &index in e.faces {
                let Some(info) = FontInfo::new(e.data, index) else {
                    continue;
                };
                book.push(info.clone());
                slots.push(FontSlot {
                    source: format!("embedded:{}", e.file),
                    info,
                    data: Bytes::new(e.data),
                    index,
                    font: OnceLock::new(),
                });
            }
        }
        Fonts { book, slots }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_families_are_the_ones_the_template_names() {
        let fonts = Fonts::embedded();
        let families: Vec<&str> = fonts.slots.iter().map(|s| s.info.family.as_str()).collect();
        for want in ["FandolSong", "FandolHei", "FandolFang R", "FandolKai", "Noto Serif CJK SC"] {
            assert!(families.contains(&want), "{want} not in {families:?}");
        }
        assert!(!families.iter().any(|f| f.contains("JP")), "{families:?}");
    }
}
