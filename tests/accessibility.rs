//! The accessible archive: PDF/A-3a with PDF/UA-1 by default. What veraPDF
//! checks is asserted here from the PDF itself (veraPDF cannot be built in
//! CI; docs/archive.md records its verdicts): the XMP declarations, the
//! catalog entries, the tag tree's headings in order without a skipped
//! level, header cells in every table, the seal's alternative text, and the
//! embedded title face's CFF Top DICT.

mod common;

use std::path::Path;

use common::*;
use lopdf::{Dictionary, Document, Object};

fn render(data: &Path, dir: &Path, extra: &[&str]) -> Document {
    let out = dir.join("a.pdf");
    let mut args = vec!["render", data.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    Document::load(&out).unwrap()
}

fn xmp(doc: &Document) -> String {
    let id = doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
    let Object::Stream(s) = doc.get_object(id).unwrap() else { panic!("no XMP") };
    String::from_utf8_lossy(&s.decompressed_content().unwrap_or_else(|_| s.content.clone())).into_owned()
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// The structure elements in document order: (type, alternative text).
fn structure(doc: &Document) -> Vec<(String, Option<String>)> {
    fn walk(doc: &Document, o: &Object, out: &mut Vec<(String, Option<String>)>, depth: usize) {
        assert!(depth < 200, "structure tree too deep");
        match o {
            Object::Array(items) => items.iter().for_each(|i| walk(doc, i, out, depth + 1)),
            _ => {
                let Some(d) = dict(doc, o) else { return };
                if let Ok(s) = d.get(b"S").and_then(Object::as_name) {
                    let alt = d.get(b"Alt").ok().and_then(|a| match a {
                        Object::String(b, _) => Some(decode(b)),
                        _ => None,
                    });
                    out.push((String::from_utf8_lossy(s).into_owned(), alt));
                }
                if let Ok(k) = d.get(b"K") {
                    walk(doc, k, out, depth + 1);
                }
            }
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    let root = dict(doc, root).unwrap();
    let mut out = Vec::new();
    walk(doc, root.get(b"K").unwrap(), &mut out, 0);
    out
}

fn decode(b: &[u8]) -> String {
    match b.strip_prefix(&[0xFE, 0xFF]) {
        Some(r) => String::from_utf16_lossy(&r.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()),
        None => String::from_utf8_lossy(b).into_owned(),
    }
}

/// Heading levels in order must start at 1 and never skip one going down
/// (ISO 14289-1 §7.4.2).
fn assert_heading_order(tags: &[(String, Option<String>)]) -> usize {
    let levels: Vec<u32> = tags.iter().filter_map(|(s, _)| s.strip_prefix('H').and_then(|n| n.parse().ok())).collect();
    assert_eq!(levels.first(), Some(&1), "{levels:?}");
    for w in levels.windows(2) {
        assert!(w[1] <= w[0] + 1, "heading level {} follows {}: {levels:?}", w[1], w[0]);
    }
    levels.len()
}

#[test]
fn the_seed_declares_pdfa3a_and_pdfua1_and_its_tags_follow_the_visible_levels() {
    let dir = tempfile::tempdir().unwrap();
    let doc = render(&seed_data(), dir.path(), &[]);
    let x = xmp(&doc);
    assert!(x.contains("<pdfaid:part>3</pdfaid:part>") && x.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{x}");
    assert!(x.contains("<pdfuaid:part>1</pdfuaid:part>"), "{x}");
    let catalog = doc.catalog().unwrap();
    let prefs = dict(&doc, catalog.get(b"ViewerPreferences").unwrap()).unwrap();
    assert_eq!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap(), true);
    assert_eq!(decode(catalog.get(b"Lang").unwrap().as_str().unwrap()), "zh-CN");
    let mark = dict(&doc, catalog.get(b"MarkInfo").unwrap()).unwrap();
    assert_eq!(mark.get(b"Marked").unwrap().as_bool().unwrap(), true);
    let tags = structure(&doc);
    // The seed has 4 levels, its level-3 titles run in: they are headings too.
    let n = assert_heading_order(&tags);
    assert!(n >= 60, "only {n} headings tagged");
    assert!(tags.iter().any(|(s, _)| s == "H4"));
}

#[test]
fn example_full_tables_have_header_cells_and_the_seal_its_alternative_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("example-full.toml");
    std::fs::copy(repo().join("data/example-full.toml"), &data).unwrap();
    std::fs::copy(repo().join("tests/fixtures/seal-test.png"), dir.path().join("seal.png")).unwrap();
    let text = std::fs::read_to_string(&data).unwrap().replacen("seal = true", "seal = true\nseal_image = \"seal.png\"", 1);
    std::fs::write(&data, text).unwrap();
    let doc = render(&data, dir.path(), &[]);
    let tags = structure(&doc);
    assert_heading_order(&tags);
    let tables = tags.iter().filter(|(s, _)| s == "Table").count();
    let headers = tags.iter().filter(|(s, _)| s == "TH").count();
    assert!(tables >= 4, "{tables} tables");
    assert!(headers >= 4 * tables.min(4), "{headers} header cells for {tables} tables");
    // Every table has header cells: a TH appears between each Table and the next.
    let mut in_table_without_th = false;
    for (s, _) in &tags {
        match s.as_str() {
            "Table" => {
                assert!(!in_table_without_th, "a table without header cells");
                in_table_without_th = true;
            }
            "TH" => in_table_without_th = false,
            _ => {}
        }
    }
    assert!(!in_table_without_th, "the last table has no header cells");
    let figures: Vec<&Option<String>> = tags.iter().filter(|(s, _)| s == "Figure").map(|(_, a)| a).collect();
    assert_eq!(figures, [&Some("印章".to_string())]);
}

#[test]
fn a3b_stays_available_and_declares_b() {
    let dir = tempfile::tempdir().unwrap();
    let doc = render(&seed_data(), dir.path(), &["--pdf-standard", "a-3b"]);
    let x = xmp(&doc);
    assert!(x.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{x}");
    assert!(!x.contains("pdfuaid"), "{x}");
}

/// veraPDF 1.28 misreads a CFF Top DICT whose FontMatrix follows ROS directly
/// (ISO 19005-3 6.2.11.5). The subset Typst embeds keeps the face's Notice
/// between them, so every bundled CFF face must carry one.
#[test]
fn every_embedded_cff_face_has_a_notice_between_ros_and_fontmatrix() {
    let dir = tempfile::tempdir().unwrap();
    let doc = render(&seed_data(), dir.path(), &[]);
    let mut checked = 0;
    for obj in doc.objects.values() {
        let Object::Dictionary(d) = obj else { continue };
        let Ok(ff) = d.get(b"FontFile3").and_then(Object::as_reference) else { continue };
        let Ok(Object::Stream(s)) = doc.get_object(ff) else { continue };
        let cff = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let ops = top_dict_operators(&cff);
        let ros = ops.iter().position(|&o| o == 1230).expect("a CID-keyed face");
        let name = String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap()).into_owned();
        assert_ne!(ops.get(ros + 1), Some(&1207), "{name}: FontMatrix directly after ROS ({ops:?})");
        checked += 1;
    }
    assert!(checked >= 4, "{checked} CFF faces");
}

/// The operators of a CFF font's Top DICT, in order (12 x as 1200 + x).
fn top_dict_operators(cff: &[u8]) -> Vec<u16> {
    // Header, then the Name INDEX, then the Top DICT INDEX.
    let hdr = cff[2] as usize;
    let after_index = |at: usize| -> (usize, Vec<(usize, usize)>) {
        let count = u16::from_be_bytes([cff[at], cff[at + 1]]) as usize;
        if count == 0 {
            return (at + 2, Vec::new());
        }
        let size = cff[at + 2] as usize;
        let off = |i: usize| (0..size).fold(0usize, |acc, k| acc << 8 | cff[at + 3 + i * size + k] as usize);
        let data = at + 3 + (count + 1) * size - 1;
        let items = (0..count).map(|i| (data + off(i), data + off(i + 1))).collect();
        (data + off(count), items)
    };
    let (top_at, _) = after_index(hdr);
    let (_, tops) = after_index(top_at);
    let (mut i, end) = tops[0];
    let mut ops = Vec::new();
    while i < end {
        let b = cff[i];
        match b {
            12 => {
                ops.push(1200 + cff[i + 1] as u16);
                i += 2;
            }
            0..=21 => {
                ops.push(b as u16);
                i += 1;
            }
            28 => i += 3,
            29 => i += 5,
            30 => {
                i += 1;
                while i < end && cff[i] & 0x0F != 0x0F && cff[i] >> 4 != 0x0F {
                    i += 1;
                }
                i += 1;
            }
            32..=246 => i += 1,
            247..=254 => i += 2,
            _ => i += 1,
        }
    }
    ops
}
