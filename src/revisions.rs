//! What the revisions appended to a PDF changed. A signed report is the
//! rendered file plus incremental updates; `verify` accepts those updates
//! only when they add signatures and change nothing that is shown: the
//! catalog may gain a form (/AcroForm), a page its (invisible) signature
//! widgets, the structure tree the elements that tag them. Anything else
//! (page content, fonts, the embedded data, metadata, a visible annotation)
//! is named. Run in the limited child process, like [`crate::archive::extract`].

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId};

/// The most changes named; past them, one line says there are more.
const MAX_NAMED: usize = 20;

/// The changes made after the first `base` bytes that a signature does not
/// explain, in words; empty when there are none.
pub fn changes_after(pdf: &[u8], base: usize) -> Result<Vec<String>, String> {
    let old = crate::archive::load_pdf(pdf.get(..base).ok_or("签名前的版本超出了文件")?).map_err(|m| format!("签名前的版本：{m}"))?;
    let new = crate::archive::load_pdf(pdf)?;
    let mut problems = Vec::new();
    if old.trailer.get(b"Root").ok() != new.trailer.get(b"Root").ok() {
        problems.push("生成之后追加的修订换掉了文档的目录对象（/Root）".to_string());
    }
    if old.trailer.get(b"Info").ok() != new.trailer.get(b"Info").ok() {
        problems.push("生成之后追加的修订换掉了文档信息（/Info）".to_string());
    }
    let parent_tree = struct_tree(&old).and_then(|t| t.get(b"ParentTree").ok()).and_then(|o| o.as_reference().ok());
    for id in old.objects.keys() {
        if !new.objects.contains_key(id) {
            problems.push(format!("生成之后追加的修订删除了第 {} 号对象", id.0));
        }
    }
    for (id, now) in &new.objects {
        let Some(was) = old.objects.get(id) else { continue };
        if same(was, now) {
            continue;
        }
        if let Err(m) = allowed(*id, was, now, parent_tree) {
            problems.push(m);
        }
    }
    let old_pages = old.get_pages();
    let new_pages = new.get_pages();
    if old_pages != new_pages {
        problems.push("生成之后追加的修订改动了页面的数目或次序".to_string());
    }
    for (n, id) in &new_pages {
        let before = annots(&old, *id);
        for a in annots(&new, *id) {
            if before.contains(&a) {
                continue;
            }
            if !invisible_signature_widget(&new, &a) {
                problems.push(format!("生成之后追加的修订在第 {n} 页上增加了签名以外的或可见的批注"));
                break;
            }
        }
    }
    if problems.len() > MAX_NAMED {
        let more = problems.len() - MAX_NAMED;
        problems.truncate(MAX_NAMED);
        problems.push(format!("另有 {more} 处改动"));
    }
    Ok(problems)
}

/// Whether an object's change is one a signature makes.
fn allowed(id: ObjectId, was: &Object, now: &Object, parent_tree: Option<ObjectId>) -> Result<(), String> {
    let (Object::Dictionary(was), Object::Dictionary(now)) = (was, now) else {
        return Err(format!("生成之后追加的修订改动了第 {} 号对象（流或其他非字典对象，如页面内容、字体、内嵌数据、元数据）", id.0));
    };
    let kind = was.get(b"Type").and_then(Object::as_name).unwrap_or(b"");
    let keys: &[&[u8]] = match kind {
        b"Catalog" => &[b"AcroForm"],
        b"Page" => &[b"Annots", b"Tabs"],
        b"StructTreeRoot" => &[b"K", b"ParentTree", b"ParentTreeNextKey"],
        b"StructElem" => &[b"K"],
        _ if Some(id) == parent_tree => &[b"Nums", b"Kids"],
        _ => &[],
    };
    let changed = changed_keys(was, now);
    let bad: Vec<String> =
        changed.iter().filter(|k| !keys.contains(&k.as_slice())).map(|k| String::from_utf8_lossy(k).into_owned()).collect();
    if bad.is_empty() {
        return Ok(());
    }
    let what = if kind.is_empty() { String::new() } else { format!("（/{}）", String::from_utf8_lossy(kind)) };
    Err(format!("生成之后追加的修订改动了第 {} 号对象{what}的 {}", id.0, crate::diagnostic::shown(&bad.join("、"))))
}

fn changed_keys(a: &Dictionary, b: &Dictionary) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = a.iter().chain(b.iter()).map(|(k, _)| k.clone()).collect();
    keys.sort();
    keys.dedup();
    keys.retain(|k| match (a.get(k), b.get(k)) {
        (Ok(x), Ok(y)) => !same(x, y),
        (Err(_), Err(_)) => false,
        _ => true,
    });
    keys
}

/// Equal as PDF objects: a string written in hex is the same string written
/// as a literal.
fn same(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::String(x, _), Object::String(y, _)) => x == y,
        (Object::Array(x), Object::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Object::Dictionary(x), Object::Dictionary(y)) => same_dict(x, y),
        (Object::Stream(x), Object::Stream(y)) => x.content == y.content && same_dict(&x.dict, &y.dict),
        _ => a == b,
    }
}

fn same_dict(x: &Dictionary, y: &Dictionary) -> bool {
    x.len() == y.len() && changed_keys(x, y).is_empty()
}

fn struct_tree(doc: &Pdf) -> Option<&Dictionary> {
    let root = doc.catalog().ok()?;
    match root.get(b"StructTreeRoot").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn annots(doc: &Pdf, page: ObjectId) -> Vec<Object> {
    let Ok(dict) = doc.get_dictionary(page) else { return Vec::new() };
    match dict.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => doc.get_object(*id).and_then(Object::as_array).cloned().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A signature widget that shows nothing: a zero-size Rect.
fn invisible_signature_widget(doc: &Pdf, annot: &Object) -> bool {
    let dict = match annot {
        Object::Reference(id) => match doc.get_dictionary(*id) {
            Ok(d) => d,
            Err(_) => return false,
        },
        Object::Dictionary(d) => d,
        _ => return false,
    };
    let is_widget = dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Widget");
    let field_type = dict.get(b"FT").ok().or_else(|| {
        let parent = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
        doc.get_dictionary(parent).ok()?.get(b"FT").ok()
    });
    let is_sig = field_type.and_then(|o| o.as_name().ok()).is_some_and(|n| n == b"Sig");
    let rect: Vec<f32> = dict
        .get(b"Rect")
        .and_then(Object::as_array)
        .map(|a| a.iter().filter_map(|o| o.as_float().ok()).collect())
        .unwrap_or_default();
    let empty = rect.len() == 4 && ((rect[2] - rect[0]).abs() < 0.01 || (rect[3] - rect[1]).abs() < 0.01);
    is_widget && is_sig && empty
}
