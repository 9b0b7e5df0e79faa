//! OFD output (GB/T 33190-2016): the laid-out pages written as an OFD
//! package beside or instead of the PDF, from the same Typst frames. The
//! container (`OFD.xml`, `Doc_0/Document.xml`, resources, one `Content.xml`
//! per page, attachments) is a ZIP with fixed times and a fixed order, so the
//! same report gives the same bytes. `read` takes an OFD apart again, with
//! limits, for `verify`.

mod fonts;
mod outline;
mod page;
pub mod read;
mod truetype;
mod xml;

use std::io::Write;

use sha2::{Digest, Sha256};
use typst_layout::PagedDocument;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::archive::attachments::Attachment;
use crate::base::date::Date;
use page::{Shared, content};
use xml::{nums, part};

/// What `DocInfo` says: the report's title, its unit as author, its date.
pub struct Meta {
    pub title: String,
    pub author: String,
    pub date: Date,
}

/// Where the parts live in the package.
pub const DOC_ROOT: &str = "Doc_0/Document.xml";
const ATTACHMENTS: &str = "Doc_0/Attachs/Attachments.xml";

/// The OFD package of a typeset document.
pub fn export(doc: &PagedDocument, meta: &Meta, attachments: &[Attachment]) -> Result<Vec<u8>, String> {
    let pages = doc.pages();
    // Page ids first, so that outline destinations can name them.
    let page_ids: Vec<u32> = (1..=pages.len() as u32).collect();
    let mut shared = Shared { next_id: pages.len() as u32, fonts: fonts::Fonts::default(), media: Vec::new() };
    let contents: Vec<Vec<u8>> = pages.iter().map(|p| content(&p.frame, &mut shared)).collect();
    let mut files: Vec<(String, Vec<u8>, bool)> = Vec::new();
    let mut digest = Sha256::new();
    for c in &contents {
        digest.update(c);
    }
    let doc_id: String = digest.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    files.push(("OFD.xml".into(), ofd_xml(meta, &doc_id), true));

    // Fonts (public resources) and images (document resources).
    let mut public = part("ofd:Res");
    public.write_attribute("BaseLoc", "Res");
    public.start_element("ofd:Fonts");
    let mut font_files = Vec::new();
    for face in shared.fonts.faces() {
        let name = format!("font_{}.ttf", face.id);
        let info = face.font.info();
        public.start_element("ofd:Font");
        public.write_attribute("ID", &face.id);
        public.write_attribute("FontName", &info.family);
        public.write_attribute("FamilyName", &info.family);
        if info.variant.weight.to_number() >= 600 {
            public.write_attribute("Bold", "true");
        }
        public.start_element("ofd:FontFile");
        public.write_text(&name);
        public.end_element();
        public.end_element();
        font_files.push((format!("Doc_0/Res/{name}"), face.subset()?, true));
    }
    let public = public.end_document().into_bytes();
    let mut res = part("ofd:Res");
    res.write_attribute("BaseLoc", "Res");
    if !shared.media.is_empty() {
        res.start_element("ofd:MultiMedias");
        for m in &shared.media {
            let name = format!("image_{}.{}", m.id, if m.format == "PNG" { "png" } else { "jpg" });
            res.start_element("ofd:MultiMedia");
            res.write_attribute("ID", &m.id);
            res.write_attribute("Type", "Image");
            res.write_attribute("Format", m.format);
            res.start_element("ofd:MediaFile");
            res.write_text(&name);
            res.end_element();
            res.end_element();
            font_files.push((format!("Doc_0/Res/{name}"), m.bytes.clone(), false));
        }
        res.end_element();
    }
    let document_res = res.end_document().into_bytes();

    let outline = outline::entries(doc);
    let mut next_id = shared.next_id;
    let attachments_xml = (!attachments.is_empty()).then(|| attachments_xml(attachments, meta.date, &mut next_id, &mut files));
    let mut d = part("ofd:Document");
    d.start_element("ofd:CommonData");
    d.start_element("ofd:MaxUnitID");
    d.write_text(&next_id.to_string());
    d.end_element();
    d.start_element("ofd:PageArea");
    d.start_element("ofd:PhysicalBox");
    // A4, the report's paper; each page also states its own box.
    d.write_text(&nums(&[0.0, 0.0, 210.0, 297.0]));
    d.end_element();
    d.end_element();
    d.start_element("ofd:PublicRes");
    d.write_text("PublicRes.xml");
    d.end_element();
    d.start_element("ofd:DocumentRes");
    d.write_text("DocumentRes.xml");
    d.end_element();
    d.end_element();
    d.start_element("ofd:Pages");
    for (i, id) in page_ids.iter().enumerate() {
        d.start_element("ofd:Page");
        d.write_attribute("ID", id);
        d.write_attribute("BaseLoc", &format!("Pages/Page_{i}/Content.xml"));
        d.end_element();
    }
    d.end_element();
    outline::write(&mut d, &outline, &page_ids);
    if attachments_xml.is_some() {
        d.start_element("ofd:Attachments");
        d.write_text("Attachs/Attachments.xml");
        d.end_element();
    }
    files.insert(1, (DOC_ROOT.into(), d.end_document().into_bytes(), true));
    files.insert(2, ("Doc_0/PublicRes.xml".into(), public, true));
    files.insert(3, ("Doc_0/DocumentRes.xml".into(), document_res, true));
    let mut at = 4;
    for (i, c) in contents.into_iter().enumerate() {
        files.insert(at, (format!("Doc_0/Pages/Page_{i}/Content.xml"), c, true));
        at += 1;
    }
    for f in font_files {
        files.insert(at, f);
        at += 1;
    }
    if let Some(x) = attachments_xml {
        files.insert(at, (ATTACHMENTS.into(), x, true));
    }
    zip_up(&files, meta.date)
}

fn ofd_xml(meta: &Meta, doc_id: &str) -> Vec<u8> {
    let mut w = part("ofd:OFD");
    w.write_attribute("Version", "1.0");
    w.write_attribute("DocType", "OFD");
    w.start_element("ofd:DocBody");
    w.start_element("ofd:DocInfo");
    let date = format!("{:04}-{:02}-{:02}", meta.date.year, meta.date.month, meta.date.day);
    for (element, value) in [
        ("ofd:DocID", doc_id),
        ("ofd:Title", meta.title.as_str()),
        ("ofd:Author", meta.author.as_str()),
        ("ofd:CreationDate", date.as_str()),
        ("ofd:Creator", "jixiao"),
        ("ofd:CreatorVersion", env!("CARGO_PKG_VERSION")),
    ] {
        w.start_element(element);
        w.write_text(value);
        w.end_element();
    }
    w.end_element();
    w.start_element("ofd:DocRoot");
    w.write_text(DOC_ROOT);
    w.end_element();
    w.end_element();
    w.end_document().into_bytes()
}

/// `Attachments.xml`, its files added to `files`: the data byte for byte,
/// the images it names, how the report was made (as in the PDF).
fn attachments_xml(attachments: &[Attachment], date: Date, next_id: &mut u32, files: &mut Vec<(String, Vec<u8>, bool)>) -> Vec<u8> {
    let mut w = part("ofd:Attachments");
    for (i, a) in attachments.iter().enumerate() {
        let ext = a.name.rsplit_once('.').map(|(_, e)| e).filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric())).unwrap_or("bin");
        let file = format!("attach_{i}.{ext}");
        *next_id += 1;
        w.start_element("ofd:Attachment");
        w.write_attribute("ID", &next_id);
        w.write_attribute("Name", &a.name);
        w.write_attribute("Format", ext);
        w.write_attribute("CreationDate", &format!("{:04}-{:02}-{:02}T00:00:00", date.year, date.month, date.day));
        w.write_attribute("Size", &xml::num(a.bytes.len() as f64 / 1024.0));
        w.write_attribute("Visible", "true");
        w.write_attribute("Usage", &a.relationship);
        w.start_element("ofd:FileLoc");
        w.write_text(&file);
        w.end_element();
        w.end_element();
        files.push((format!("Doc_0/Attachs/{file}"), a.bytes.clone(), true));
    }
    w.end_document().into_bytes()
}

/// The ZIP container: entries in the given order, all dated `date`.
fn zip_up(files: &[(String, Vec<u8>, bool)], date: Date) -> Result<Vec<u8>, String> {
    let time = DateTime::from_date_and_time(date.year.clamp(1980, 2107) as u16, date.month, date.day, 0, 0, 0)
        .unwrap_or_default();
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, deflate) in files {
        let method = if *deflate { CompressionMethod::Deflated } else { CompressionMethod::Stored };
        let options = SimpleFileOptions::default().compression_method(method).last_modified_time(time).unix_permissions(0o644);
        zip.start_file(name.as_str(), options).map_err(|e| format!("OFD 打包失败：{e}"))?;
        zip.write_all(bytes).map_err(|e| format!("OFD 打包失败：{e}"))?;
    }
    zip.finish().map(|c| c.into_inner()).map_err(|e| format!("OFD 打包失败：{e}"))
}
