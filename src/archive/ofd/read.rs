//! Taking an OFD apart for `verify`: the pages' `Content.xml` and the
//! attached files. The package may come from anyone: the archive's size,
//! each entry's size once unpacked, the number of entries and the XML are
//! bounded, names must be plain relative paths, and every failure is a
//! sentence, never a panic.

use std::collections::BTreeMap;
use std::io::Read;

use roxmltree::{Document, Node, ParsingOptions};

/// At most this many entries in a package.
pub const MAX_ENTRIES: usize = 10_000;
/// At most this many bytes in one entry once unpacked (a page, a font, the data).
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many bytes unpacked in all.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
const MAX_XML_NODES: u32 = 2_000_000;

/// What `verify` needs from an OFD.
#[derive(Debug, Default)]
pub struct Parts {
    /// Each page's `Content.xml`, in page order.
    pub pages: Vec<Vec<u8>>,
    /// The attached files by their `Name`.
    pub files: BTreeMap<String, Vec<u8>>,
}

struct Package<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    total: u64,
}

/// Read the pages and attachments of an OFD package.
pub fn read(bytes: &[u8]) -> Result<Parts, String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("不是有效的 OFD（ZIP 容器无法读取：{e}）"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!("OFD 包中有 {} 个文件，超过上限 {MAX_ENTRIES}", zip.len()));
    }
    for name in zip.file_names() {
        let name = name.map_err(|e| format!("不是有效的 OFD（ZIP 中的文件名无法读取：{e}）"))?;
        let name = name.as_ref();
        plain_path(name).map_err(|why| format!("OFD 包中的文件名“{}”{why}；不予处理", crate::base::diagnostic::shown(name)))?;
    }
    let mut p = Package { zip, total: 0 };
    let ofd = p.xml("OFD.xml")?;
    let root = child_text(&doc_of(&ofd, "OFD.xml")?.root_element(), &["DocBody", "DocRoot"])
        .ok_or("OFD.xml 中缺少 DocBody/DocRoot（文档入口）")?;
    let doc_path = resolve("", &root)?;
    let doc_text = p.xml(&doc_path)?;
    let doc = doc_of(&doc_text, &doc_path)?;
    let dir = parent(&doc_path);
    let mut parts = Parts::default();
    let pages = child(&doc.root_element(), "Pages").ok_or_else(|| format!("{doc_path} 中缺少 Pages"))?;
    for page in pages.children().filter(|n| n.has_tag_name((super::xml::NS, "Page"))) {
        let loc = page.attribute("BaseLoc").ok_or_else(|| format!("{doc_path} 中第 {} 页缺少 BaseLoc", parts.pages.len() + 1))?;
        let path = resolve(&dir, loc)?;
        parts.pages.push(p.entry(&path)?);
    }
    if let Some(loc) = child(&doc.root_element(), "Attachments").and_then(|n| n.text()) {
        let path = resolve(&dir, loc.trim())?;
        let text = p.xml(&path)?;
        let list = doc_of(&text, &path)?;
        let adir = parent(&path);
        for a in list.root_element().children().filter(|n| n.has_tag_name((super::xml::NS, "Attachment"))) {
            let name = a.attribute("Name").ok_or_else(|| format!("{path} 中有附件缺少 Name"))?;
            let loc = child(&a, "FileLoc").and_then(|n| n.text()).ok_or_else(|| format!("{path} 中附件 {name} 缺少 FileLoc"))?;
            let bytes = p.entry(&resolve(&adir, loc.trim())?)?;
            parts.files.insert(name.to_string(), bytes);
        }
    }
    Ok(parts)
}

impl Package<'_> {
    /// One entry, unpacked within the limits.
    fn entry(&mut self, path: &str) -> Result<Vec<u8>, String> {
        let shown = crate::base::diagnostic::shown(path);
        let file = self.zip.by_name(path).map_err(|_| format!("OFD 包中缺少 {shown}"))?;
        let mut out = Vec::new();
        let cap = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES - self.total);
        file.take(cap + 1).read_to_end(&mut out).map_err(|e| format!("OFD 包中的 {shown} 无法解压：{e}"))?;
        if out.len() as u64 > cap {
            return Err(format!(
                "OFD 包中的 {shown} 解压后超过 {} MiB（单个文件上限 {} MiB，合计上限 {} MiB）；可能是“压缩炸弹”，不予处理",
                cap / (1024 * 1024),
                MAX_ENTRY_BYTES / (1024 * 1024),
                MAX_TOTAL_BYTES / (1024 * 1024)
            ));
        }
        self.total += out.len() as u64;
        Ok(out)
    }

    fn xml(&mut self, path: &str) -> Result<String, String> {
        String::from_utf8(self.entry(path)?).map_err(|_| format!("OFD 包中的 {} 不是 UTF-8 文本", crate::base::diagnostic::shown(path)))
    }
}

fn doc_of<'a>(text: &'a str, path: &str) -> Result<Document<'a>, String> {
    Document::parse_with_options(text, ParsingOptions { nodes_limit: MAX_XML_NODES, ..ParsingOptions::default() })
        .map_err(|e| format!("OFD 包中的 {} 不是有效的 XML：{e}", crate::base::diagnostic::shown(path)))
}

fn child<'a, 'b>(node: &Node<'a, 'b>, name: &str) -> Option<Node<'a, 'b>> {
    node.children().find(|n| n.has_tag_name((super::xml::NS, name)))
}

fn child_text(node: &Node, path: &[&str]) -> Option<String> {
    let mut n = *node;
    for name in path {
        n = child(&n, name)?;
    }
    n.text().map(|t| t.trim().to_string())
}

/// A name inside the package: relative, no "..", no backslash, no control
/// characters, not too long.
fn plain_path(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 1024 {
        return Err("为空或过长");
    }
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err("是绝对路径或含“\\”“:”");
    }
    if name.split('/').any(|s| s == "..") {
        return Err("含“..”（路径穿越）");
    }
    if name.chars().any(char::is_control) {
        return Err("含控制字符");
    }
    Ok(())
}

fn parent(path: &str) -> String {
    path.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string())
}

/// A location as OFD writes it (absolute from the package root, or relative
/// to the part that names it) as an entry name.
fn resolve(dir: &str, loc: &str) -> Result<String, String> {
    let joined = match loc.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => loc.to_string(),
        None => format!("{dir}/{loc}"),
    };
    let path: Vec<&str> = joined.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    let path = path.join("/");
    plain_path(&path).map_err(|why| format!("OFD 中引用的位置“{}”{why}；不予处理", crate::base::diagnostic::shown(loc)))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_inside_the_package() {
        assert_eq!(resolve("Doc_0", "Pages/Page_0/Content.xml").unwrap(), "Doc_0/Pages/Page_0/Content.xml");
        assert_eq!(resolve("Doc_0", "/Doc_0/./a.xml").unwrap(), "Doc_0/a.xml");
        assert!(resolve("Doc_0", "../../etc/passwd").is_err());
        assert!(plain_path("a\\b").is_err());
    }

    #[test]
    fn not_a_zip_is_a_sentence() {
        let e = read(b"not a zip").unwrap_err();
        assert!(e.contains("不是有效的 OFD"), "{e}");
    }
}
