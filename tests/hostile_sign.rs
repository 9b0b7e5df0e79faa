//! The attacks of issue 24 on `sign` and `verify`, each as it was
//! reproduced, and the outcome it must have now: a file that readers may
//! resolve differently is bad input; a revision before a trusted signature
//! may hold exactly what a signature needs; a second signature leaves the
//! first valid in pyHanko; weak keys neither sign nor verify as trusted; a
//! parser bomb is refused in words.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::sign::*;
use common::*;
use lopdf::Document;

const SMALL: &str = "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"我单位无下属单位。\"\n";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small report rendered in `dir`: its PDF bytes.
fn small(dir: &Path) -> Vec<u8> {
    let data = write_data(dir, "r.toml", SMALL);
    std::fs::read(render_ok(&data, dir)).unwrap()
}

/// Sign `bytes` with a trusted key of the unit and verify with that trust:
/// (exit code, what verify printed).
fn sign_trusted_and_verify(dir: &Path, bytes: &[u8]) -> (Option<i32>, String) {
    let changed = dir.join("changed.pdf");
    std::fs::write(&changed, bytes).unwrap();
    let p12 = make_p12(dir, "unit", "测试单位负责人", false);
    let signed = dir.join("signed.pdf");
    sign_ok(&changed, &p12, &signed);
    let o = verify(&signed, &["--trust", s(&dir.join("unit.pem"))]);
    (o.status.code(), stdout(&o) + &stderr(&o))
}

fn doc(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).unwrap()
}

fn first_page(bytes: &[u8]) -> (u32, String) {
    let d = doc(bytes);
    let page = *d.get_pages().get(&1).unwrap();
    (page.0, dict_body(bytes, page.0))
}

/// An object's dictionary text without its closing `>>`, to add keys to.
fn dict_body(bytes: &[u8], n: u32) -> String {
    String::from_utf8_lossy(&raw_object(bytes, n)).trim_end().trim_end_matches(">>").to_string()
}

fn root(bytes: &[u8]) -> u32 {
    doc(bytes).trailer.get(b"Root").unwrap().as_reference().unwrap().0
}

fn size(bytes: &[u8]) -> u32 {
    doc(bytes).trailer.get(b"Size").unwrap().as_i64().unwrap() as u32
}

/// Append a revision whose xref lists object `n` twice: first at `first`'s
/// copy, then at its original offset. lopdf takes the last entry, poppler
/// and qpdf the first.
fn append_twice_listed(bytes: &mut Vec<u8>, n: u32, body: &str) {
    let d = doc(bytes);
    let original = match d.reference_table.get(n) {
        Some(lopdf::xref::XrefEntry::Normal { offset, .. }) => *offset,
        other => panic!("object {n}: {other:?}"),
    };
    let root = d.trailer.get(b"Root").unwrap().as_reference().unwrap().0;
    let info = d.trailer.get(b"Info").unwrap().as_reference().unwrap().0;
    let (size, prev) = (d.trailer.get(b"Size").unwrap().as_i64().unwrap(), d.xref_start);
    bytes.extend_from_slice(b"\n");
    let at = bytes.len();
    bytes.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    let xref = bytes.len();
    bytes.extend_from_slice(
        format!(
            "xref\n{n} 1\n{at:010} 00000 n\r\n{n} 1\n{original:010} 00000 n\r\ntrailer\n<</Size {size}/Root {root} 0 R/Info {info} 0 R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
}

#[test]
fn an_object_listed_twice_in_one_xref_section_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = small(dir.path());
    let page = first_page(&bytes).0;
    let contents = doc(&bytes).get_dictionary((page, 0)).unwrap().get(b"Contents").unwrap().as_reference().unwrap().0;
    let tampered = "BT /F1 24 Tf 100 700 Td (TAMPERED) Tj ET";
    append_twice_listed(&mut bytes, contents, &format!("<</Length {}>>stream\n{tampered}\nendstream", tampered.len()));
    let changed = dir.path().join("twice-listed.pdf");
    std::fs::write(&changed, &bytes).unwrap();
    // The construction is a real differential: qpdf reads the tampered page.
    if let Ok(o) = Command::new("qpdf").arg(format!("--show-object={contents}")).arg("--filtered-stream-data").arg(&changed).output() {
        assert!(String::from_utf8_lossy(&o.stdout).contains("TAMPERED"), "qpdf should read the first entry");
    }
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("交叉引用表中第 {contents} 号对象出现了两次")) && out.contains("不予认可"), "{out}");
    assert!(!out.contains("其后的修订只增加了签名"), "{out}");
}

#[test]
fn xref_offsets_elsewhere_and_objects_no_xref_lists_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let base = small(dir.path());
    let n = root(&base);
    let catalog = dict_body(&base, n);
    // The entry points back at the catalog of the first revision, not at
    // the new one written in this revision: lopdf reads the old catalog, a
    // reader that repairs the file by scanning reads the new one.
    let mut bytes = base.clone();
    bytes.extend_from_slice(b"\n");
    let at = bytes.len();
    bytes.extend_from_slice(format!("{n} 0 obj\n{catalog}/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>\nendobj\n").as_bytes());
    let d = doc(&base);
    let elsewhere = match d.reference_table.get(n) {
        Some(lopdf::xref::XrefEntry::Normal { offset, .. }) => *offset,
        _ => panic!(),
    };
    let xref = bytes.len();
    let trailer = |prev: usize, xref: usize| {
        format!(
            "trailer\n<</Size {}/Root {n} 0 R/Info {} 0 R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
            size(&base),
            d.trailer.get(b"Info").unwrap().as_reference().unwrap().0
        )
    };
    bytes.extend_from_slice(format!("xref\n{n} 1\n{elsewhere:010} 00000 n\r\n").as_bytes());
    bytes.extend_from_slice(trailer(d.xref_start, xref).as_bytes());
    assert!(at > elsewhere as usize);
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("不予认可"), "{out}");

    // An object in the revision that no xref lists: only a reader that
    // repairs the file by scanning would find it.
    let mut bytes = base.clone();
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(format!("{} 0 obj\n<</S/JavaScript/JS(app.alert(1))>>\nendobj\n", size(&base)).as_bytes());
    let xref = bytes.len();
    bytes.extend_from_slice(b"xref\n0 1\n0000000000 65535 f\r\n");
    bytes.extend_from_slice(trailer(d.xref_start, xref).as_bytes());
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("不在交叉引用表中"), "{out}");
}

/// Catalog and page changes that add a form with `widget` (a field
/// dictionary body) on page 1.
fn with_widget(bytes: &mut Vec<u8>, widget: &str, acroform_extra: &str, extra: &[(u32, String)]) {
    let (page, page_body) = first_page(bytes);
    let n = root(bytes);
    let w = size(bytes) + extra.len() as u32;
    let catalog = format!("{}/AcroForm<</Fields[{w} 0 R]{acroform_extra}>>>>", dict_body(bytes, n));
    let mut objects = vec![(n, catalog), (page, format!("{page_body}/Annots[{w} 0 R]>>")), (w, widget.replace("PAGE", &page.to_string()))];
    objects.extend(extra.iter().cloned());
    append_update(bytes, &objects);
}

#[test]
fn a_revision_may_not_add_actions_xfa_or_a_new_structure_tree() {
    let dir = tempfile::tempdir().unwrap();
    let base = small(dir.path());
    let sig_widget = |extra: &str| format!("<</Type/Annot/Subtype/Widget/FT/Sig/T(x)/Rect[0 0 0 0]/F 132/P PAGE 0 R{extra}>>");

    // A JavaScript action on an invisible signature widget.
    let mut bytes = base.clone();
    with_widget(&mut bytes, &sig_widget("/A<</S/JavaScript/JS(app.alert(1))>>"), "", &[]);
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("/A"), "{out}");

    // A URI action as an additional action.
    let mut bytes = base.clone();
    with_widget(&mut bytes, &sig_widget("/AA<</U<</S/URI/URI(http://example.com/)>>>>"), "", &[]);
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("/AA"), "{out}");

    // An XFA form beside the fields.
    let mut bytes = base.clone();
    let xfa = size(&bytes);
    let xml = "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"/>";
    with_widget(&mut bytes, &sig_widget(""), &format!("/XFA {xfa} 0 R"), &[(xfa, format!("<</Length {}>>stream\n{xml}\nendstream", xml.len()))]);
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("/XFA"), "{out}");

    // An action when the document opens.
    let mut bytes = base.clone();
    let n = root(&bytes);
    let catalog = format!("{}/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>", dict_body(&bytes, n));
    append_update(&mut bytes, &[(n, catalog)]);
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("/OpenAction"), "{out}");

    // A replacement structure tree: what a screen reader reads.
    let mut bytes = base.clone();
    let d = doc(&bytes);
    let tree = d.catalog().unwrap().get(b"StructTreeRoot").unwrap().as_reference().unwrap().0;
    let elem = size(&bytes);
    let tree_body = String::from_utf8_lossy(&raw_object(&bytes, tree)).to_string();
    // typst writes the root's kids as `/K[n 0 R]`.
    let k_at = tree_body.find("/K[").unwrap();
    let k_end = k_at + tree_body[k_at..].find(']').unwrap() + 1;
    let new_tree = format!("{}/K[{elem} 0 R]{}", &tree_body[..k_at], &tree_body[k_end..]);
    let fake = format!("<</Type/StructElem/S/Document/P {tree} 0 R/K[]/ActualText(TAMPERED)>>");
    append_update(&mut bytes, &[(tree, new_tree), (elem, fake)]);
    let (code, out) = sign_trusted_and_verify(dir.path(), &bytes);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("原有的子元素"), "{out}");
}

fn pyhanko() -> Option<PathBuf> {
    let o = Command::new("pyhanko").arg("--version").output().ok()?;
    o.status.success().then(|| PathBuf::from("pyhanko"))
}

/// What pyHanko says of each signature, with the given trust anchors.
fn pyhanko_validate(pdf: &Path, trust: &[PathBuf]) -> String {
    let mut c = Command::new("pyhanko");
    c.args(["sign", "validate", "--pretty-print", "--no-revocation-check"]);
    for t in trust {
        c.arg("--trust").arg(t);
    }
    let o = c.arg(pdf).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn a_second_signature_leaves_the_first_valid_in_pyhanko_pdfsig_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pdf = render_ok(&seed_data(), d);
    let head = make_p12(d, "head", "单位负责人甲", false);
    let finance = make_p12(d, "finance", "财务负责人乙", true);
    let (once, twice) = (d.join("once.pdf"), d.join("twice.pdf"));
    sign_ok(&pdf, &head, &once);
    sign_ok(&once, &finance, &twice);
    let sig = pdfsig(&twice);
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    let trust = [d.join("head.pem"), d.join("finance.pem")];
    let both = d.join("both.pem");
    std::fs::write(&both, std::fs::read_to_string(&trust[0]).unwrap() + &std::fs::read_to_string(&trust[1]).unwrap()).unwrap();
    let o = verify(&twice, &["--trust", s(&both)]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(stdout(&o).matches("证书可信").count(), 2, "{}", stdout(&o));
    qpdf_check(&twice);

    // veraPDF, where it has been built (`VERAPDF` names its run.sh; see
    // docs/archive.md): the twice-signed file is still PDF/A-3a and PDF/UA-1.
    if let Some(run) = std::env::var_os("VERAPDF").map(PathBuf::from).filter(|p| p.exists()) {
        for flavour in ["3a", "ua1"] {
            let o = Command::new(&run).arg(&twice).arg(flavour).env("VERAPDF_CFF_FIX", "1").output().unwrap();
            let report = String::from_utf8_lossy(&o.stdout).into_owned();
            assert!(o.status.success() && report.starts_with("COMPLIANT"), "veraPDF {flavour}: {report}");
        }
    }

    let Some(_) = pyhanko() else {
        eprintln!("pyhanko is not installed: the pyHanko half of this test did not run");
        return;
    };
    let out = pyhanko_validate(&twice, &trust);
    // Each signature's report: intact, trusted, and nothing after it that
    // is not a signature (modification level no worse than form filling).
    assert_eq!(out.matches("The signature is judged VALID").count(), 2, "{out}");
    assert!(!out.contains("INVALID") && !out.contains("unexplained"), "{out}");
}

#[test]
fn rsa_keys_below_2048_bits_neither_sign_nor_verify_as_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bytes = small(d);
    let pdf = d.join("r.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    let weak = make_p12_with(d, "weak", "弱密钥", &["-newkey", "rsa:512"]);
    let o = sign(&pdf, &weak, &d.join("weak-signed.pdf"), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("只有 512 位") && stderr(&o).contains("2048"), "{}", stderr(&o));
    assert!(!d.join("weak-signed.pdf").exists());

    // A file signed with a 512-bit key elsewhere (openssl cms over the
    // signed range of a placeholder signature): verify names the weak key.
    let strong = make_p12(d, "strong", "强密钥", false);
    let signed = d.join("signed.pdf");
    sign_ok(&pdf, &strong, &signed);
    let mut bytes = std::fs::read(&signed).unwrap();
    let text = String::from_utf8_lossy(&bytes).to_string();
    let r = text.rfind("/ByteRange[").unwrap() + "/ByteRange[".len();
    let nums: Vec<usize> = text[r..r + 40].split(']').next().unwrap().split_whitespace().map(|x| x.parse().unwrap()).collect();
    let (a, b, c) = (nums[1], nums[2], nums[3]);
    let mut tbs = bytes[..a].to_vec();
    tbs.extend_from_slice(&bytes[b..b + c]);
    std::fs::write(d.join("tbs.bin"), &tbs).unwrap();
    let key = d.join("w.key");
    let cert = d.join("w.pem");
    let ok = Command::new("openssl")
        .args(["req", "-x509", "-nodes", "-days", "30", "-subj", "/CN=weak", "-newkey", "rsa:512", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .status()
        .unwrap();
    assert!(ok.success());
    let cms = d.join("cms.der");
    let o = Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-md", "sha256", "-nosmimecap", "-outform", "DER", "-in"])
        .arg(d.join("tbs.bin"))
        .arg("-signer")
        .arg(&cert)
        .arg("-inkey")
        .arg(&key)
        .arg("-out")
        .arg(&cms)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let hex: String = std::fs::read(&cms).unwrap().iter().map(|x| format!("{x:02x}")).collect();
    assert!(hex.len() <= b - a - 2);
    bytes[a + 1..a + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    let forged = d.join("weak.pdf");
    std::fs::write(&forged, &bytes).unwrap();
    let o = verify(&forged, &["--trust", s(&cert)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("只有 512 位") && !stdout(&o).contains("证书可信"), "{}", stdout(&o));
}

#[test]
fn sign_refuses_a_parser_bomb_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = small(dir.path());
    let n = size(&bytes);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    append_update(&mut bytes, &[(n, deep)]);
    let pdf = dir.path().join("deep.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", true);
    let out = dir.path().join("deep-signed.pdf");
    let o = sign(&pdf, &p12, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("无法解析 PDF"), "{}", stderr(&o));
    assert!(!out.exists());
}
