//! Helpers of the signature tests: certificates made by the openssl
//! command line, signing and verifying through the binary, and the readers
//! the signed files are checked with (pdfsig, qpdf).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lopdf::{Document, Object};

use super::{bin, render_ok, run, seed_data, stderr};

pub const PASSWORD: &str = "测试 password";

/// A key and self-signed certificate in `dir`, as `NAME.p12` (with
/// [`PASSWORD`]) and `NAME.pem` (the certificate alone).
pub fn make_p12(dir: &Path, name: &str, cn: &str, ec: bool) -> PathBuf {
    let keyopts: &[&str] = if ec { &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] } else { &["-newkey", "rsa:2048"] };
    make_p12_with(dir, name, cn, keyopts)
}

/// As [`make_p12`], with the key given by openssl's `req` options.
pub fn make_p12_with(dir: &Path, name: &str, cn: &str, keyopts: &[&str]) -> PathBuf {
    let key = dir.join(format!("{name}.key"));
    let pem = dir.join(format!("{name}.pem"));
    let p12 = dir.join(format!("{name}.p12"));
    let subj = format!("/CN={cn}/O=乐昌市妇女联合会");
    let o = Command::new("openssl")
        .args(["req", "-x509", "-utf8", "-nodes", "-days", "30", "-subj", &subj, "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&pem)
        .args(keyopts)
        .output()
        .expect("openssl");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new("openssl")
        .args(["pkcs12", "-export", "-inkey"])
        .arg(&key)
        .arg("-in")
        .arg(&pem)
        .arg("-out")
        .arg(&p12)
        .args(["-passout", &format!("pass:{PASSWORD}")])
        .output()
        .expect("openssl");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_file(&key).unwrap();
    p12
}

pub fn password_file(dir: &Path) -> PathBuf {
    let p = dir.join("password.txt");
    std::fs::write(&p, format!("{PASSWORD}\n")).unwrap();
    p
}

pub fn sign(pdf: &Path, p12: &Path, out: &Path, extra: &[&str]) -> Output {
    let pw = password_file(p12.parent().unwrap());
    let mut args = vec!["sign", pdf.to_str().unwrap(), "--p12", p12.to_str().unwrap(), "--password-file", pw.to_str().unwrap()];
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(extra);
    bin().args(&args).env_remove("JIXIAO_P12_PASSWORD").output().unwrap()
}

pub fn sign_ok(pdf: &Path, p12: &Path, out: &Path) {
    let o = sign(pdf, p12, out, &["--location", "乐昌市"]);
    assert!(o.status.success(), "sign failed: {}", stderr(&o));
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn verify(pdf: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["verify", pdf.to_str().unwrap()];
    args.extend(extra);
    run(&args)
}

pub fn pdfsig(pdf: &Path) -> String {
    let o = Command::new("pdfsig").arg(pdf).output().expect("pdfsig (poppler-utils)");
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

pub fn xmp(pdf: &Path) -> String {
    let doc = Document::load(pdf).unwrap();
    let id = doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
    let Object::Stream(s) = doc.get_object(id).unwrap() else { panic!("no XMP stream") };
    String::from_utf8_lossy(&s.decompressed_content().unwrap_or_else(|_| s.content.clone())).into_owned()
}

pub fn qpdf_check(pdf: &Path) {
    let o = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf");
    assert!(o.status.success(), "qpdf --check: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
}

/// Append an incremental update holding `objects` (number, body) to a
/// PDF jixiao wrote.
pub fn append_update(bytes: &mut Vec<u8>, objects: &[(u32, String)]) {
    let doc = Document::load_mem(bytes).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap().max(objects.iter().map(|o| o.0 as i64 + 1).max().unwrap());
    let prev = doc.xref_start;
    bytes.extend_from_slice(b"\n");
    let mut xref = String::from("xref\n");
    for (n, body) in objects {
        xref.push_str(&format!("{n} 1\n{:010} 00000 n\r\n", bytes.len()));
        bytes.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let at = bytes.len();
    bytes.extend_from_slice(xref.as_bytes());
    bytes.extend_from_slice(
        format!("trailer\n<</Size {size}/Root {} 0 R/Info {} 0 R/Prev {prev}>>\nstartxref\n{at}\n%%EOF\n", root.0, info.0).as_bytes(),
    );
}

/// The text between `N 0 obj` and `endobj` of an object in a file jixiao wrote.
pub fn raw_object(bytes: &[u8], n: u32) -> Vec<u8> {
    let head = format!("\n{n} 0 obj\n");
    let start = bytes.windows(head.len()).position(|w| w == head.as_bytes()).unwrap() + head.len();
    let end = start + bytes[start..].windows(6).position(|w| w == b"endobj").unwrap();
    bytes[start..end].to_vec()
}

/// Sign a PDF changed by `change`, and return what verify says (it must fail).
pub fn sign_changed_and_verify(change: impl Fn(&mut Vec<u8>)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let mut bytes = std::fs::read(&pdf).unwrap();
    change(&mut bytes);
    let changed = dir.path().join("changed.pdf");
    std::fs::write(&changed, &bytes).unwrap();
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", false);
    let signed = dir.path().join("signed.pdf");
    sign_ok(&changed, &p12, &signed);
    assert!(pdfsig(&signed).contains("Signature is Valid"));
    let o = verify(&signed, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名 1：有效"), "{}", stdout(&o));
    stdout(&o)
}

