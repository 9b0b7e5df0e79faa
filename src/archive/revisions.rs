//! What the revisions appended to a PDF changed. A signed report is the
//! rendered file plus incremental updates; `verify` accepts those updates
//! only when they hold exactly what signatures need and nothing else:
//!
//! - the updates are read twice, strictly by [`crate::archive::pdf_syntax`] and by
//!   lopdf, and must read the same: a file that readers may resolve
//!   differently is bad input;
//! - every new or changed object must have a place in a signature: the
//!   catalog may gain /AcroForm; the form its signature fields; a field is a
//!   signature field whose widget shows nothing (a zero-size Rect, no
//!   action), with its signature dictionary and appearance; a page may gain
//!   those widgets in /Annots (and /Tabs /S); the structure tree may gain,
//!   after what it had, Form elements that tag those widgets and the parent
//!   tree entries for them. Anything else is named.
//!
//! Run in the limited child process, like [`crate::archive::attachments::extract`].

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId};

/// The most changes named; past them, one line says there are more.
const MAX_NAMED: usize = 20;

const PREFIX: &str = "生成之后追加的修订";

/// The changes made after the first `base` bytes that signatures do not
/// explain, in words; empty when there are none. `Err` when the updates
/// cannot be read unambiguously.
pub fn changes_after(pdf: &[u8], base: usize) -> Result<Vec<String>, String> {
    let revisions = crate::archive::pdf_syntax::appended_revisions(pdf, base)?;
    let old = crate::archive::attachments::load_pdf(pdf.get(..base).ok_or("签名前的版本超出了文件")?).map_err(|m| format!("签名前的版本：{m}"))?;
    let new = crate::archive::attachments::load_pdf(pdf)?;

    // The last definition of each object number in the updates.
    let mut latest: BTreeMap<u32, (u16, &Object)> = BTreeMap::new();
    for rev in &revisions {
        for (num, (_, generation, obj)) in &rev.objects {
            if *generation != 0 {
                return Err(format!("{PREFIX}中第 {num} 号对象的代号不是 0；不予认可"));
            }
            latest.insert(*num, (*generation, obj));
        }
    }
    two_readers_agree(&old, &new, &latest)?;

    let changed: BTreeSet<ObjectId> = latest
        .iter()
        .filter(|(num, (g, obj))| old.objects.get(&(**num, *g)).is_none_or(|was| !same(was, obj)))
        .map(|(num, (g, _))| (*num, *g))
        .collect();
    let mut walk = Walk { old: &old, new: &new, changed: &changed, accounted: BTreeSet::new(), problems: Vec::new() };
    walk.all();
    let mut problems = walk.problems;
    for id in &changed {
        if !walk.accounted.contains(id) {
            let info = new.trailer.get(b"Info").and_then(Object::as_reference).ok();
            let kind = if info == Some(*id) { "（文档信息 /Info）".to_string() } else { new.objects.get(id).map(type_of).unwrap_or_default() };
            let verb = if old.objects.contains_key(id) { "改动了" } else { "增加了" };
            problems.push(format!("{PREFIX}{verb}第 {} 号对象{kind}，它不是签名所需的", id.0));
        }
    }
    problems.dedup();
    if problems.len() > MAX_NAMED {
        let more = problems.len() - MAX_NAMED;
        problems.truncate(MAX_NAMED);
        problems.push(format!("另有 {more} 处改动"));
    }
    Ok(problems)
}

/// lopdf's reading of the whole file must hold exactly the base's objects
/// and the updates' objects as the strict reader read them.
fn two_readers_agree(old: &Pdf, new: &Pdf, latest: &BTreeMap<u32, (u16, &Object)>) -> Result<(), String> {
    let differ = |num: u32| format!("两个独立的读取器读出的第 {num} 号对象不同（文件的结构有歧义，不同的阅读器会显示不同的内容）；不予认可");
    for (num, (g, obj)) in latest {
        match new.objects.get(&(*num, *g)) {
            Some(seen) if same(seen, obj) => {}
            _ => return Err(differ(*num)),
        }
    }
    for (id, seen) in &new.objects {
        if latest.contains_key(&id.0) {
            continue;
        }
        match old.objects.get(id) {
            Some(was) if same(was, seen) => {}
            _ => return Err(differ(id.0)),
        }
    }
    for id in old.objects.keys() {
        if !new.objects.contains_key(id) && !latest.contains_key(&id.0) {
            return Err(format!("{PREFIX}删除了第 {} 号对象；不予认可", id.0));
        }
    }
    Ok(())
}

/// The walk from the catalog through what a signature may add, marking
/// each changed object that has its place.
struct Walk<'a> {
    old: &'a Pdf,
    new: &'a Pdf,
    changed: &'a BTreeSet<ObjectId>,
    accounted: BTreeSet<ObjectId>,
    problems: Vec<String>,
}

impl Walk<'_> {
    fn problem(&mut self, what: String) {
        self.problems.push(format!("{PREFIX}{what}"));
    }

    fn is_changed(&self, id: ObjectId) -> bool {
        self.changed.contains(&id)
    }

    /// A changed object reached in the role `what`: marked as accounted for.
    fn claim(&mut self, id: ObjectId) -> bool {
        self.is_changed(id) && self.accounted.insert(id)
    }

    fn all(&mut self) {
        let new = self.new;
        let old = self.old;
        if old.trailer.get(b"Root").ok() != new.trailer.get(b"Root").ok() {
            self.problem("换掉了文档的目录对象（/Root）".into());
            return;
        }
        if old.trailer.get(b"Info").ok() != new.trailer.get(b"Info").ok() {
            self.problem("换掉了文档信息（/Info）".into());
        }
        let Ok(root) = new.trailer.get(b"Root").and_then(Object::as_reference) else { return };
        let (Ok(was), Ok(now)) = (old.get_dictionary(root), new.get_dictionary(root)) else {
            self.problem("使目录对象无法读取".into());
            return;
        };
        if self.claim(root) {
            self.keys_only(root, was, now, &[b"AcroForm"]);
        }
        let mut widgets = BTreeSet::new();
        if let Ok(form) = now.get(b"AcroForm") {
            self.acroform(form, &mut widgets);
        }
        self.pages(&widgets);
        self.structure(&widgets);
    }

    /// Only `keys` differ between the two versions of object `id`.
    fn keys_only(&mut self, id: ObjectId, was: &Dictionary, now: &Dictionary, keys: &[&[u8]]) {
        let bad: Vec<String> = changed_keys(was, now)
            .iter()
            .filter(|k| !keys.contains(&k.as_slice()))
            .map(|k| format!("/{}", String::from_utf8_lossy(k)))
            .collect();
        if !bad.is_empty() {
            let kind = type_of(&Object::Dictionary(was.clone()));
            self.problem(format!("改动了第 {} 号对象{kind}的 {}", id.0, crate::base::diagnostic::shown(&bad.join("、"))));
        }
    }

    /// A direct object, or the changed object it refers to (claimed).
    fn resolve(&mut self, obj: &Object) -> Option<Object> {
        match obj {
            Object::Reference(id) => {
                self.claim(*id);
                self.new.objects.get(id).cloned()
            }
            o => Some(o.clone()),
        }
    }

    /// The form: its signature fields; nothing that runs or shows (/XFA,
    /// /NeedAppearances, calculation order).
    fn acroform(&mut self, form: &Object, widgets: &mut BTreeSet<ObjectId>) {
        let Some(Object::Dictionary(form)) = self.resolve(form) else {
            self.problem("写入的表单（/AcroForm）不是字典".into());
            return;
        };
        self.only_keys("表单（/AcroForm）", &form, &[b"Fields", b"SigFlags", b"DA", b"DR"]);
        if let Ok(dr) = form.get(b"DR")
            && !matches!(self.resolve(dr), Some(Object::Dictionary(d)) if d.is_empty() || no_references(&Object::Dictionary(d.clone())))
        {
            self.problem("在表单的默认资源（/DR）中加入了对象".into());
        }
        let fields = match form.get(b"Fields").ok().and_then(|f| self.resolve(f)) {
            Some(Object::Array(a)) => a.clone(),
            None => Vec::new(),
            _ => {
                self.problem("写入的表单字段列表（/Fields）不是数组".into());
                return;
            }
        };
        for f in fields {
            match f {
                Object::Reference(id) => self.field(id, None, widgets, 0),
                _ => self.problem("在表单中加入了直接写出的字段".into()),
            }
        }
    }

    fn only_keys(&mut self, what: &str, dict: &Dictionary, keys: &[&[u8]]) {
        let bad: Vec<String> =
            dict.iter().map(|(k, _)| k).filter(|k| !keys.contains(&k.as_slice())).map(|k| format!("/{}", String::from_utf8_lossy(k))).collect();
        if !bad.is_empty() {
            self.problem(format!("在{what}中写入了签名不需要的 {}", crate::base::diagnostic::shown(&bad.join("、"))));
        }
    }

    /// A signature field (and its widgets), when it is new or changed.
    fn field(&mut self, id: ObjectId, parent_ft: Option<&[u8]>, widgets: &mut BTreeSet<ObjectId>, depth: usize) {
        if !self.is_changed(id) || depth > 4 {
            return;
        }
        self.accounted.insert(id);
        let Ok(dict) = self.new.get_dictionary(id) else {
            self.problem(format!("加入的表单字段（第 {} 号对象）不是字典", id.0));
            return;
        };
        let ft = dict.get(b"FT").and_then(Object::as_name).ok().or(parent_ft);
        if ft != Some(b"Sig".as_slice()) {
            self.problem(format!("加入了签名以外的表单字段（第 {} 号对象）", id.0));
            return;
        }
        let field_keys: &[&[u8]] = &[b"FT", b"T", b"TU", b"TM", b"V", b"Ff", b"Kids", b"Parent", b"Lock", b"SV"];
        let widget_keys: &[&[u8]] = &[b"Type", b"Subtype", b"Rect", b"F", b"P", b"StructParent", b"AP", b"MK", b"DA", b"NM", b"M"];
        let is_widget = dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Widget");
        let keys: Vec<&[u8]> = field_keys.iter().chain(if is_widget { widget_keys } else { &[] }).copied().collect();
        self.only_keys(&format!("签名字段（第 {} 号对象）", id.0), dict, &keys);
        if let Ok(v) = dict.get(b"V") {
            match v {
                Object::Reference(sig) if self.is_changed(*sig) => {
                    self.accounted.insert(*sig);
                    self.signature_dictionary(*sig);
                }
                _ => self.problem(format!("签名字段（第 {} 号对象）的值不是新写入的签名", id.0)),
            }
        }
        if is_widget {
            self.widget(id, dict);
            widgets.insert(id);
        }
        if let Ok(Object::Array(kids)) = dict.get(b"Kids") {
            for kid in kids.clone() {
                let Object::Reference(kid) = kid else { continue };
                let Ok(k) = self.new.get_dictionary(kid) else { continue };
                if k.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Widget") && !k.has(b"FT") && !k.has(b"T") {
                    if self.is_changed(kid) {
                        self.accounted.insert(kid);
                        let mut keys = widget_keys.to_vec();
                        keys.push(b"Parent");
                        self.only_keys(&format!("签名控件（第 {} 号对象）", kid.0), k, &keys);
                        self.widget(kid, k);
                        widgets.insert(kid);
                    }
                } else {
                    self.field(kid, ft, widgets, depth + 1);
                }
            }
        }
    }

    /// A widget that shows nothing and does nothing.
    fn widget(&mut self, id: ObjectId, dict: &Dictionary) {
        if !zero_size(dict) {
            self.problem(format!("加入了可见的签名控件（第 {} 号对象，/Rect 不是零大小）", id.0));
        }
        if let Ok(ap) = dict.get(b"AP") {
            let Some(Object::Dictionary(ap)) = self.resolve(ap) else {
                self.problem(format!("签名控件（第 {} 号对象）的外观（/AP）不是字典", id.0));
                return;
            };
            for (key, stream) in ap.iter() {
                if key.as_slice() != b"N" {
                    self.problem(format!("签名控件（第 {} 号对象）的外观含签名不需要的 /{}", id.0, String::from_utf8_lossy(key)));
                    continue;
                }
                match stream {
                    Object::Reference(s) if self.is_changed(*s) => {
                        self.accounted.insert(*s);
                        self.appearance(*s);
                    }
                    _ => self.problem(format!("签名控件（第 {} 号对象）的外观不是新写入的外观流", id.0)),
                }
            }
        }
    }

    /// An appearance stream of an invisible widget: a form XObject whose
    /// resources refer to nothing.
    fn appearance(&mut self, id: ObjectId) {
        let Ok(Object::Stream(s)) = self.new.get_object(id) else {
            self.problem(format!("签名控件的外观（第 {} 号对象）不是流", id.0));
            return;
        };
        let dict = s.dict.clone();
        self.only_keys(
            &format!("签名控件的外观（第 {} 号对象）", id.0),
            &dict,
            &[b"Type", b"Subtype", b"BBox", b"Resources", b"Length", b"Filter", b"DecodeParms", b"Matrix", b"FormType"],
        );
        if !dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form") {
            self.problem(format!("签名控件的外观（第 {} 号对象）不是表单 XObject", id.0));
        }
        if let Ok(r) = dict.get(b"Resources")
            && !no_references(r)
        {
            self.problem(format!("签名控件的外观（第 {} 号对象）引用了其他对象（字体、图像等）", id.0));
        }
    }

    /// The signature dictionary: only what a signature says, nothing it
    /// refers to.
    fn signature_dictionary(&mut self, id: ObjectId) {
        let Ok(dict) = self.new.get_dictionary(id).cloned() else {
            self.problem(format!("签名（第 {} 号对象）不是字典", id.0));
            return;
        };
        self.only_keys(
            &format!("签名（第 {} 号对象）", id.0),
            &dict,
            &[
                b"Type", b"Filter", b"SubFilter", b"ByteRange", b"Contents", b"M", b"Name", b"Reason", b"Location", b"ContactInfo",
                b"Prop_Build", b"Prop_AuthTime", b"Prop_AuthType",
            ],
        );
        if !no_references(&Object::Dictionary(dict)) {
            self.problem(format!("签名（第 {} 号对象）引用了其他对象", id.0));
        }
    }

    /// Pages: only /Annots (with signature widgets added) and /Tabs /S.
    fn pages(&mut self, widgets: &BTreeSet<ObjectId>) {
        let old_pages = self.old.get_pages();
        let new_pages = self.new.get_pages();
        if old_pages != new_pages {
            self.problem("改动了页面的数目或次序".into());
            return;
        }
        for (n, id) in new_pages {
            let before: Vec<Object> = annots(self.old, id);
            if self.is_changed(id) {
                self.accounted.insert(id);
                let (Ok(was), Ok(now)) = (self.old.get_dictionary(id), self.new.get_dictionary(id)) else { continue };
                self.keys_only(id, was, now, &[b"Annots", b"Tabs"]);
                if let Ok(tabs) = now.get(b"Tabs")
                    && now.get(b"Tabs").ok() != was.get(b"Tabs").ok()
                    && tabs.as_name().ok() != Some(b"S".as_slice())
                {
                    self.problem(format!("改动了第 {n} 页的 /Tabs"));
                }
                if let Ok(Object::Reference(a)) = now.get(b"Annots") {
                    self.claim(*a);
                }
            } else if let Ok(Object::Reference(a)) = self.new.get_dictionary(id).and_then(|d| d.get(b"Annots")) {
                self.claim(*a);
            }
            let after = annots(self.new, id);
            if !after.starts_with(&before) {
                self.problem(format!("改动或删除了第 {n} 页原有的批注"));
                continue;
            }
            for a in &after[before.len()..] {
                let ok = matches!(a, Object::Reference(w) if widgets.contains(w) && self.new.get_dictionary(*w).is_ok_and(|d| d.get(b"P").ok() == Some(&Object::Reference(id)) || !d.has(b"P")));
                if !ok {
                    self.problem(format!("在第 {n} 页上增加了签名以外的或可见的批注"));
                    break;
                }
            }
        }
    }

    /// The structure tree: existing elements keep their children and gain
    /// Form elements that tag the new widgets; the parent tree gains their
    /// entries.
    fn structure(&mut self, widgets: &BTreeSet<ObjectId>) {
        let new = self.new;
        let old = self.old;
        let tree_ref = |doc: &Pdf| doc.catalog().ok().and_then(|c| c.get(b"StructTreeRoot").ok()).and_then(|o| o.as_reference().ok());
        let (Some(tree), Some(tree_was)) = (tree_ref(new), tree_ref(old)) else {
            if tree_ref(new) != tree_ref(old) {
                self.problem("改动了文档的结构树".into());
            }
            return;
        };
        if tree != tree_was {
            self.problem("换掉了文档的结构树".into());
            return;
        }
        let mut forms = BTreeSet::new();
        // Every changed structure element, the root among them.
        let elements: Vec<ObjectId> = self
            .changed
            .iter()
            .copied()
            .filter(|id| old.get_dictionary(*id).is_ok_and(|d| d.has_type(b"StructElem") || d.has_type(b"StructTreeRoot")))
            .collect();
        for id in elements {
            self.accounted.insert(id);
            let (Ok(was), Ok(now)) = (old.get_dictionary(id), new.get_dictionary(id)) else { continue };
            let is_root = id == tree;
            let keys: &[&[u8]] = if is_root { &[b"K", b"ParentTree", b"ParentTreeNextKey"] } else { &[b"K"] };
            self.keys_only(id, was, now, keys);
            let before = kids(was.get(b"K").ok());
            let after = kids(now.get(b"K").ok());
            if !after.starts_with(&before) {
                self.problem(format!("改动了结构元素（第 {} 号对象）原有的子元素", id.0));
                continue;
            }
            for k in &after[before.len()..] {
                match k {
                    Object::Reference(f) if self.is_changed(*f) && !old.objects.contains_key(f) => {
                        self.accounted.insert(*f);
                        if self.form_element(*f, id, widgets) {
                            forms.insert(*f);
                        }
                    }
                    _ => self.problem(format!("在结构元素（第 {} 号对象）下加入了签名以外的内容", id.0)),
                }
            }
        }
        // The parent tree: old entries kept, new ones for the Form elements.
        let parent_tree = |doc: &Pdf| doc.get_dictionary(tree).ok().and_then(|t| t.get(b"ParentTree").ok()).cloned();
        let (Some(pt_new), Some(pt_old)) = (parent_tree(new), parent_tree(old)) else { return };
        match (&pt_new, &pt_old) {
            (Object::Reference(a), Object::Reference(b)) if a == b => {
                if self.is_changed(*a) {
                    self.accounted.insert(*a);
                    let (Ok(was), Ok(now)) = (old.get_dictionary(*a), new.get_dictionary(*a)) else { return };
                    self.number_tree_node(*a, was, now, &forms);
                }
            }
            (Object::Dictionary(now), Object::Dictionary(was)) => self.number_tree_node(tree, was, now, &forms),
            _ => self.problem("换掉了结构树的父树（/ParentTree）".into()),
        }
    }

    /// A new Form element under `parent` whose content is object references
    /// to new signature widgets.
    fn form_element(&mut self, id: ObjectId, parent: ObjectId, widgets: &BTreeSet<ObjectId>) -> bool {
        let Ok(dict) = self.new.get_dictionary(id).cloned() else {
            self.problem(format!("加入的结构元素（第 {} 号对象）不是字典", id.0));
            return false;
        };
        self.only_keys(&format!("结构元素（第 {} 号对象）", id.0), &dict, &[b"Type", b"S", b"P", b"Pg", b"Alt", b"K", b"ActualText", b"Lang"]);
        let ok_kind = dict.get(b"S").and_then(Object::as_name).is_ok_and(|n| n == b"Form");
        let ok_parent = dict.get(b"P").ok() == Some(&Object::Reference(parent));
        let mut ok_kids = true;
        let k = dict.get(b"K").ok().cloned();
        let items = match k {
            Some(Object::Array(a)) => a,
            Some(o) => vec![o],
            None => Vec::new(),
        };
        for item in items {
            let objr = match &item {
                Object::Reference(r) if self.is_changed(*r) && !self.old.objects.contains_key(r) => {
                    self.accounted.insert(*r);
                    self.new.get_dictionary(*r).ok().cloned()
                }
                Object::Dictionary(d) => Some(d.clone()),
                _ => None,
            };
            let ok = objr.is_some_and(|d| {
                d.has_type(b"OBJR")
                    && d.iter().all(|(k, _)| [&b"Type"[..], b"Obj", b"Pg"].contains(&k.as_slice()))
                    && matches!(d.get(b"Obj"), Ok(Object::Reference(w)) if widgets.contains(w))
            });
            ok_kids &= ok;
        }
        if !(ok_kind && ok_parent && ok_kids) {
            self.problem(format!("加入的结构元素（第 {} 号对象）不是只标记签名控件的 Form 元素", id.0));
        }
        ok_kind && ok_parent && ok_kids
    }

    /// A number tree node of the parent tree: its /Nums and /Kids keep what
    /// they had and gain only entries for the new Form elements.
    /// `id` is the node's own object, or the structure tree root when the
    /// parent tree is written inside it.
    fn number_tree_node(&mut self, id: ObjectId, was: &Dictionary, now: &Dictionary, forms: &BTreeSet<ObjectId>) {
        self.keys_only(id, was, now, &[b"Nums", b"Kids"]);
        let list = |d: &Dictionary, k: &[u8]| d.get(k).and_then(Object::as_array).cloned().unwrap_or_default();
        let (nums_was, nums_now) = (list(was, b"Nums"), list(now, b"Nums"));
        if !nums_now.starts_with(&nums_was) || !self.new_pairs(&nums_now[nums_was.len()..], forms) {
            self.problem("在结构树的父树（/ParentTree）中改动了原有的或加入了签名以外的条目".into());
        }
        let (kids_was, kids_now) = (list(was, b"Kids"), list(now, b"Kids"));
        if !kids_now.starts_with(&kids_was) {
            self.problem("改动了结构树的父树（/ParentTree）原有的分支".into());
            return;
        }
        for kid in &kids_now[kids_was.len()..] {
            let leaf = match kid {
                Object::Reference(r) if self.is_changed(*r) && !self.old.objects.contains_key(r) => {
                    self.accounted.insert(*r);
                    self.new.get_dictionary(*r).ok().cloned()
                }
                _ => None,
            };
            let ok = leaf.is_some_and(|l| {
                l.iter().all(|(k, _)| [&b"Limits"[..], b"Nums"].contains(&k.as_slice()))
                    && self.new_pairs(l.get(b"Nums").and_then(Object::as_array).map(Vec::as_slice).unwrap_or(&[]), forms)
            });
            if !ok {
                self.problem("在结构树的父树（/ParentTree）中加入了签名以外的分支".into());
            }
        }
    }

    fn new_pairs(&self, pairs: &[Object], forms: &BTreeSet<ObjectId>) -> bool {
        pairs.len() % 2 == 0
            && pairs.chunks(2).all(|p| matches!((&p[0], &p[1]), (Object::Integer(_), Object::Reference(f)) if forms.contains(f)))
    }
}

/// " （/Type）" of an object, for messages.
fn type_of(obj: &Object) -> String {
    let dict = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        _ => return "（非字典对象）".into(),
    };
    match dict.get(b"Type").or_else(|_| dict.get(b"S")).and_then(Object::as_name) {
        Ok(t) => format!("（/{}）", crate::base::diagnostic::shown(&String::from_utf8_lossy(t))),
        Err(_) if matches!(obj, Object::Stream(_)) => "（流）".into(),
        Err(_) => String::new(),
    }
}

fn no_references(obj: &Object) -> bool {
    fn walk(o: &Object, depth: usize) -> bool {
        depth < 16
            && match o {
                Object::Reference(_) => false,
                Object::Array(a) => a.iter().all(|x| walk(x, depth + 1)),
                Object::Dictionary(d) => d.iter().all(|(_, v)| walk(v, depth + 1)),
                Object::Stream(s) => s.dict.iter().all(|(_, v)| walk(v, depth + 1)),
                _ => true,
            }
    }
    walk(obj, 0)
}

fn zero_size(dict: &Dictionary) -> bool {
    let rect: Vec<f32> =
        dict.get(b"Rect").and_then(Object::as_array).map(|a| a.iter().filter_map(|o| o.as_float().ok()).collect()).unwrap_or_default();
    rect.len() == 4 && ((rect[2] - rect[0]).abs() < 0.01 || (rect[3] - rect[1]).abs() < 0.01)
}

/// A structure element's children as a list.
fn kids(k: Option<&Object>) -> Vec<Object> {
    match k {
        None => Vec::new(),
        Some(Object::Array(a)) => a.clone(),
        Some(o) => vec![o.clone()],
    }
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

fn annots(doc: &Pdf, page: ObjectId) -> Vec<Object> {
    let Ok(dict) = doc.get_dictionary(page) else { return Vec::new() };
    match dict.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => doc.get_object(*id).and_then(Object::as_array).cloned().unwrap_or_default(),
        _ => Vec::new(),
    }
}
