//! `sign`: add a PAdES baseline B-B signature (CAdES detached, SHA-256) to a
//! PDF as an incremental update, so that the signed file begins with the
//! original bytes and every earlier signature stays valid.
//!
//! The signature field is invisible (a widget with a zero-size Rect at the
//! page's origin, printed and locked, /F 132): PDF/A needs no appearance for
//! it, and PDF/UA counts it as outside the page. The first signature tags it
//! as a Form element and gives the page /Tabs /S; a later one changes only
//! the form and the page's /Annots, so that validators that compare
//! revisions (pyHanko's difference analysis) see nothing but a signature
//! added after an earlier signature.

use std::collections::BTreeMap;

use der::Encode;
use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

mod signer;
mod syntax;

pub use signer::Signer;
pub use syntax::text;
use syntax::write_object;

/// What the signature says besides the signer.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    pub reason: Option<String>,
    pub location: Option<String>,
}

/// A point in time, UTC, for the signature's /M.
#[derive(Debug, Clone, Copy)]
pub struct Time {
    pub date: crate::base::date::Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Time {
    pub fn now() -> Time {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let rem = secs.rem_euclid(86_400);
        Time {
            date: crate::base::date::civil_from_days(secs.div_euclid(86_400)),
            hour: (rem / 3600) as u8,
            minute: (rem / 60 % 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    fn pdf_date(self) -> String {
        let d = self.date;
        format!("D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'", d.year, d.month, d.day, self.hour, self.minute, self.second)
    }
}

/// Room for the CMS beyond the certificates: the signed attributes and the
/// signature value (RSA-4096 is 512 bytes), with a margin.
const CMS_OVERHEAD: usize = 4096;

/// Sign `pdf`: the result is `pdf`, an end-of-line if it lacked one, and an
/// incremental update holding the signature.
pub fn sign_pdf(pdf: &[u8], signer: &Signer, options: &SignOptions, time: Time) -> Result<Vec<u8>, String> {
    let doc = crate::archive::attachments::load_pdf(pdf)?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err("PDF 已加密，不能签名".into());
    }
    let prev = crate::archive::pdf_syntax::last_startxref(pdf).ok_or("PDF 末尾没有 startxref，文件不完整")?;
    let root_id = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| "PDF 没有目录对象（/Root）".to_string())?;
    let catalog = doc.get_dictionary(root_id).map_err(|_| "PDF 没有目录对象（/Root）".to_string())?.clone();
    let size = doc.trailer.get(b"Size").and_then(Object::as_i64).unwrap_or(0).max(i64::from(doc.max_id) + 1) as u32;
    let page_id = *doc.get_pages().values().next().ok_or("PDF 没有页面")?;
    let mut page = doc.get_dictionary(page_id).map_err(|_| "PDF 的第 1 页无法读取".to_string())?.clone();

    let mut next = size;
    let mut alloc = || {
        next += 1;
        (next - 1, 0)
    };
    let sig_id = alloc();
    let field_id = alloc();
    let mut update: BTreeMap<ObjectId, Object> = BTreeMap::new();

    // The form: the existing fields plus this one.
    let mut acroform = deref(&doc, catalog.get(b"AcroForm").ok()).and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default();
    let mut fields = deref(&doc, acroform.get(b"Fields").ok()).and_then(|o| o.as_array().ok()).cloned().unwrap_or_default();
    let number = fields.len() + 1;
    let signed_before = fields.iter().any(|f| deref(&doc, Some(f)).and_then(|o| o.as_dict().ok()).is_some_and(is_signature_field));
    fields.push(Object::Reference(field_id));
    acroform.set("Fields", Object::Array(fields));
    if !signed_before {
        acroform.set("SigFlags", 3);
    }
    let mut new_catalog = catalog.clone();
    new_catalog.set("AcroForm", Object::Dictionary(acroform));

    let signer_name = signer.name();
    let mut field = Dictionary::new();
    field.set("Type", Object::Name(b"Annot".to_vec()));
    field.set("Subtype", Object::Name(b"Widget".to_vec()));
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", text(&format!("Signature{number}")));
    field.set("TU", text(&format!("数字签名：{signer_name}")));
    field.set("V", Object::Reference(sig_id));
    field.set("Rect", Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]));
    // Print (4) as PDF/A requires, Locked (128); never Hidden, which PDF/A forbids.
    field.set("F", 132);
    field.set("P", Object::Reference(page_id));

    // Tag the widget: a Form element under the document's top element,
    // pointing at it through an object reference, as PDF/UA asks of widgets.
    // Only the first signature: a later one may change nothing but the form
    // and the page's annotations.
    let tree = catalog.get(b"StructTreeRoot").ok().and_then(|o| o.as_reference().ok()).filter(|_| !signed_before);
    if let Some(tree_id) = tree {
        let mut tree = doc.get_dictionary(tree_id).map_err(|_| "PDF 的结构树无法读取".to_string())?.clone();
        let key = tree.get(b"ParentTreeNextKey").and_then(Object::as_i64).unwrap_or(0);
        let form_id = alloc();
        let (parent_ref, parent) = match tree.get(b"K") {
            Ok(Object::Reference(id)) => (Some(*id), *id),
            Ok(Object::Array(kids)) if kids.len() == 1 && kids[0].as_reference().is_ok() => {
                let id = kids[0].as_reference().unwrap_or(tree_id);
                (Some(id), id)
            }
            _ => (None, tree_id),
        };
        let mut objr = Dictionary::new();
        objr.set("Type", Object::Name(b"OBJR".to_vec()));
        objr.set("Obj", Object::Reference(field_id));
        objr.set("Pg", Object::Reference(page_id));
        let mut form = Dictionary::new();
        form.set("Type", Object::Name(b"StructElem".to_vec()));
        form.set("S", Object::Name(b"Form".to_vec()));
        form.set("P", Object::Reference(parent));
        form.set("Pg", Object::Reference(page_id));
        form.set("Alt", text(&format!("数字签名：{signer_name}")));
        form.set("K", Object::Dictionary(objr));
        update.insert(form_id, Object::Dictionary(form));
        match parent_ref {
            Some(id) => {
                let mut elem = doc.get_dictionary(id).map_err(|_| "PDF 的结构树无法读取".to_string())?.clone();
                let kids = append_kid(&doc, elem.get(b"K").ok(), form_id);
                elem.set("K", kids);
                update.insert(id, Object::Dictionary(elem));
            }
            None => {
                let kids = append_kid(&doc, tree.get(b"K").ok(), form_id);
                tree.set("K", kids);
            }
        }
        // The parent tree maps the widget's StructParent to its element.
        match tree.get(b"ParentTree") {
            Ok(Object::Reference(id)) => {
                let id = *id;
                let node = doc.get_dictionary(id).map_err(|_| "PDF 的结构树无法读取".to_string())?.clone();
                let node = add_to_number_tree(node, key, form_id, &mut alloc, &mut update);
                update.insert(id, Object::Dictionary(node));
            }
            Ok(Object::Dictionary(node)) => {
                let node = add_to_number_tree(node.clone(), key, form_id, &mut alloc, &mut update);
                tree.set("ParentTree", Object::Dictionary(node));
            }
            _ => {
                let mut node = Dictionary::new();
                node.set("Nums", Object::Array(vec![key.into(), Object::Reference(form_id)]));
                tree.set("ParentTree", Object::Dictionary(node));
            }
        }
        tree.set("ParentTreeNextKey", key + 1);
        update.insert(tree_id, Object::Dictionary(tree));
        field.set("StructParent", key);
        // PDF/UA: a page with annotations gives their tab order by structure.
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }
    let mut annots = deref(&doc, page.get(b"Annots").ok()).and_then(|o| o.as_array().ok()).cloned().unwrap_or_default();
    annots.push(Object::Reference(field_id));
    page.set("Annots", Object::Array(annots));
    update.insert(page_id, Object::Dictionary(page));
    update.insert(root_id, Object::Dictionary(new_catalog));
    update.insert(field_id, Object::Dictionary(field));
    let size = next;

    // Write the update, the signature dictionary with placeholders first.
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") && !out.ends_with(b"\r") {
        out.push(b'\n');
    }
    let capacity = std::iter::once(&signer.certificate)
        .chain(&signer.chain)
        .map(|c| c.to_der().map(|d| d.len()).unwrap_or(4096))
        .sum::<usize>()
        + CMS_OVERHEAD;
    let mut offsets: BTreeMap<u32, usize> = BTreeMap::new();
    offsets.insert(sig_id.0, out.len());
    out.extend_from_slice(format!("{} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached", sig_id.0).as_bytes());
    out.extend_from_slice(b"/M");
    write_object(&mut out, &text(&time.pdf_date()));
    out.extend_from_slice(b"/Name");
    write_object(&mut out, &text(&signer_name));
    if let Some(r) = &options.reason {
        out.extend_from_slice(b"/Reason");
        write_object(&mut out, &text(r));
    }
    if let Some(l) = &options.location {
        out.extend_from_slice(b"/Location");
        write_object(&mut out, &text(l));
    }
    out.extend_from_slice(b"/ByteRange");
    let range_at = out.len();
    out.extend_from_slice(format!("[0 {0} {0} {0}]", "0".repeat(10)).as_bytes());
    out.extend_from_slice(b"/Contents");
    let contents_at = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', capacity * 2));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b">>\nendobj\n");
    for (id, obj) in &update {
        offsets.insert(id.0, out.len());
        out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        write_object(&mut out, obj);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    let ids: Vec<u32> = offsets.keys().copied().collect();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", ids[i], j - i + 1).as_bytes());
        for id in &ids[i..=j] {
            out.extend_from_slice(format!("{:010} 00000 n\r\n", offsets[id]).as_bytes());
        }
        i = j + 1;
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", i64::from(size));
    trailer.set("Root", Object::Reference(root_id));
    if let Ok(info) = doc.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    // Keep the document's permanent identifier; change the second one, as
    // every revision should.
    let first_id = match doc.trailer.get(b"ID").and_then(Object::as_array) {
        Ok(ids) if !ids.is_empty() => ids[0].clone(),
        _ => Object::String(Sha256::digest(pdf)[..16].to_vec(), StringFormat::Hexadecimal),
    };
    let mut this_id = Sha256::new();
    this_id.update(pdf);
    this_id.update(time.pdf_date().as_bytes());
    this_id.update(signer_name.as_bytes());
    trailer.set("ID", Object::Array(vec![first_id, Object::String(this_id.finalize()[..16].to_vec(), StringFormat::Hexadecimal)]));
    trailer.set("Prev", prev as i64);
    out.extend_from_slice(b"trailer\n");
    write_object(&mut out, &Object::Dictionary(trailer));
    out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());

    // Fill in the byte range, hash what it covers, sign, fill in the signature.
    let range = format!("[0 {contents_at} {contents_end} {}", out.len() - contents_end);
    let width = 3 + 30 + 3; // "[0 " + three ten-digit numbers with spaces + "]"
    let range = format!("{range:<w$}]", w = width - 1);
    out[range_at..range_at + width].copy_from_slice(range.as_bytes());
    let mut hasher = Sha256::new();
    hasher.update(&out[..contents_at]);
    hasher.update(&out[contents_end..]);
    let der = signer.cms(&hasher.finalize())?;
    if der.len() > capacity {
        return Err(format!("签名数据（{} 字节）超出预留的空间（{capacity} 字节）", der.len()));
    }
    let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// A signed signature field: /FT /Sig with a value.
fn is_signature_field(d: &Dictionary) -> bool {
    d.get(b"FT").and_then(Object::as_name).is_ok_and(|n| n == b"Sig") && d.has(b"V")
}

fn deref<'a>(doc: &'a Pdf, obj: Option<&'a Object>) -> Option<&'a Object> {
    match obj? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

/// A structure element's /K with `kid` added at the end.
fn append_kid(doc: &Pdf, k: Option<&Object>, kid: ObjectId) -> Object {
    let mut kids = match k {
        None => Vec::new(),
        Some(Object::Array(a)) => a.clone(),
        Some(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(a)) => a.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Some(o) => vec![o.clone()],
    };
    kids.push(Object::Reference(kid));
    Object::Array(kids)
}

/// Add `key → value` to a number tree whose keys are all below `key`: at the
/// end of a leaf's /Nums, or as a new leaf of a root with /Kids.
fn add_to_number_tree(
    mut node: Dictionary,
    key: i64,
    value: ObjectId,
    alloc: &mut impl FnMut() -> ObjectId,
    update: &mut BTreeMap<ObjectId, Object>,
) -> Dictionary {
    if let Ok(Object::Array(kids)) = node.get(b"Kids") {
        let mut kids = kids.clone();
        let mut leaf = Dictionary::new();
        leaf.set("Limits", Object::Array(vec![key.into(), key.into()]));
        leaf.set("Nums", Object::Array(vec![key.into(), Object::Reference(value)]));
        let id = alloc();
        update.insert(id, Object::Dictionary(leaf));
        kids.push(Object::Reference(id));
        node.set("Kids", Object::Array(kids));
    } else {
        let mut nums = node.get(b"Nums").and_then(Object::as_array).cloned().unwrap_or_default();
        nums.push(key.into());
        nums.push(Object::Reference(value));
        node.set("Nums", Object::Array(nums));
    }
    node
}

