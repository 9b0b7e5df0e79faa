//! `jixiao sign` and the signature side of `verify`, with certificates made
//! here by the openssl command line (RSA and ECDSA P-256), checked by
//! poppler's pdfsig and qpdf as well as by jixiao itself.

mod common;

use std::process::Command;

use common::sign::*;
use common::*;
use lopdf::Document;

#[test]
fn rsa_signature_is_valid_covers_the_file_and_keeps_pdfa() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", false);
    let signed = dir.path().join("signed.pdf");
    sign_ok(&pdf, &p12, &signed);
    let (before, after) = (std::fs::read(&pdf).unwrap(), std::fs::read(&signed).unwrap());
    assert!(after.starts_with(&before) && after.len() > before.len(), "the signed file must begin with the unsigned bytes");

    let sig = pdfsig(&signed);
    assert!(sig.contains("Signature is Valid"), "{sig}");
    assert!(sig.contains("Total document signed"), "{sig}");
    assert!(sig.contains("测试单位负责人"), "{sig}");
    assert!(sig.contains("ETSI.CAdES.detached"), "{sig}");

    let o = verify(&signed, &[]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(out.contains("签名 1：有效") && out.contains("测试单位负责人（乐昌市妇女联合会）"), "{out}");
    assert!(out.contains("签名完整，但证书未经核验"), "{out}");
    assert!(out.contains("其后的修订只增加了签名"), "{out}");

    qpdf_check(&signed);
    let x = xmp(&signed);
    assert!(x.contains("<pdfaid:part>3</pdfaid:part>") && x.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{x}");
    // The unsigned file is untouched, and the key never reaches the disk.
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".key")));
}

#[test]
fn two_signers_rsa_then_ecdsa_both_verify() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let head = make_p12(dir.path(), "head", "单位负责人甲", false);
    let finance = make_p12(dir.path(), "finance", "财务负责人乙", true);
    let once = dir.path().join("once.pdf");
    let twice = dir.path().join("twice.pdf");
    sign_ok(&pdf, &head, &once);
    sign_ok(&once, &finance, &twice);
    assert!(std::fs::read(&twice).unwrap().starts_with(&std::fs::read(&once).unwrap()));

    let sig = pdfsig(&twice);
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    assert_eq!(sig.matches("Total document signed").count(), 1, "{sig}");
    assert!(sig.contains("ECDSA") || sig.contains("ecdsa") || sig.contains("财务负责人乙"), "{sig}");

    let o = verify(&twice, &[]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(out.contains("签名 1：有效。签名者：单位负责人甲") && out.contains("签名 2：有效。签名者：财务负责人乙"), "{out}");
    qpdf_check(&twice);
    assert!(xmp(&twice).contains("<pdfaid:part>3</pdfaid:part>"));

    // A trust store: both chain to their own (self-signed) certificates;
    // with only one of them, the other signature fails.
    let both = dir.path().join("both.pem");
    let text = std::fs::read_to_string(dir.path().join("head.pem")).unwrap() + &std::fs::read_to_string(dir.path().join("finance.pem")).unwrap();
    std::fs::write(&both, text).unwrap();
    let o = verify(&twice, &["--trust", both.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(stdout(&o).matches("证书可信").count(), 2, "{}", stdout(&o));
    let o = verify(&twice, &["--trust", dir.path().join("head.pem").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名 2：签名者证书不能链接到 --trust"), "{}", stdout(&o));
}

#[test]
fn a_changed_byte_or_appended_bytes_fail_verify_and_say_which() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", true);
    let signed = dir.path().join("signed.pdf");
    sign_ok(&pdf, &p12, &signed);
    let bytes = std::fs::read(&signed).unwrap();

    // A byte of the header's binary comment: the file still parses, but the
    // signature no longer matches it.
    let mut changed = bytes.clone();
    assert_eq!(changed[9], b'%');
    changed[11] ^= 0x01;
    let bad = dir.path().join("changed.pdf");
    std::fs::write(&bad, &changed).unwrap();
    let o = verify(&bad, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名 1（签名者：测试单位负责人（乐昌市妇女联合会））无效：签名覆盖的内容已被改动"), "{}", stdout(&o));
    assert!(!pdfsig(&bad).contains("Signature is Valid"));

    let mut appended = bytes.clone();
    appended.extend_from_slice(b"% appended after signing\n");
    let bad = dir.path().join("appended.pdf");
    std::fs::write(&bad, &appended).unwrap();
    let o = verify(&bad, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名 1：有效"), "{}", stdout(&o));
    assert!(stdout(&o).contains("最后一个签名之后追加了 25 字节"), "{}", stdout(&o));
}

/// Incremental updates that change what the document says or shows before
/// it is signed: the signature holds, but verify names the change.
#[test]
fn a_change_made_before_signing_is_named() {
    let root = |bytes: &[u8]| Document::load_mem(bytes).unwrap().trailer.get(b"Root").unwrap().as_reference().unwrap().0;
    // Same catalog, another language: a change no signature makes.
    let out = sign_changed_and_verify(|bytes| {
        let n = root(bytes);
        let catalog = String::from_utf8_lossy(&raw_object(bytes, n)).replace("/Lang(zh-CN)", "/Lang(en-US)");
        assert!(catalog.contains("en-US"));
        append_update(bytes, &[(n, catalog)]);
    });
    assert!(out.contains("生成之后追加的修订改动了第 ") && out.contains("（/Catalog）的 /Lang"), "{out}");

    // A visible annotation on page 1: the page may gain /Annots, but only
    // invisible signature widgets.
    let out = sign_changed_and_verify(|bytes| {
        let doc = Document::load_mem(bytes).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap() as u32;
        let body = String::from_utf8_lossy(&raw_object(bytes, page.0)).trim_end().trim_end_matches(">>").to_string();
        let note = "<</Type/Annot/Subtype/Square/Rect[100 100 300 200]/F 4/Contents(x)>>".to_string();
        append_update(bytes, &[(page.0, format!("{body}/Annots[{size} 0 R]>>")), (size, note)]);
    });
    assert!(out.contains("在第 1 页上增加了签名以外的或可见的批注"), "{out}");
}


#[test]
fn render_sign_in_one_step_with_the_password_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", true);
    let out = dir.path().join("report.pdf");
    let o = bin()
        .args(["render", seed_data().to_str().unwrap(), "-o", out.to_str().unwrap(), "--sign", p12.to_str().unwrap()])
        .env("JIXIAO_P12_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pdfsig(&out).contains("Signature is Valid"));
    let o = verify(&out, &[]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn passwords_and_outputs_are_refused_with_the_right_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", false);
    let out = dir.path().join("signed.pdf");
    let base = ["sign", pdf.to_str().unwrap(), "--p12", p12.to_str().unwrap(), "-o", out.to_str().unwrap()];

    // No password: a usage error, and the password is not taken as an argument.
    let o = bin().args(base).env_remove("JIXIAO_P12_PASSWORD").output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("JIXIAO_P12_PASSWORD"), "{}", stderr(&o));
    let o = bin().args(base).arg("--password").arg(PASSWORD).output().unwrap();
    assert_eq!(o.status.code(), Some(2));

    // A wrong password: bad input, naming the file.
    let o = bin().args(base).env("JIXIAO_P12_PASSWORD", "wrong").output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("unit.p12") && stderr(&o).contains("密码"), "{}", stderr(&o));
    assert!(!out.exists());

    // --tsa is said to be unavailable, not ignored.
    let o = bin().args(base).args(["--tsa", "http://tsa.example"]).env("JIXIAO_P12_PASSWORD", PASSWORD).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--tsa 暂不可用"), "{}", stderr(&o));

    // Never onto the input.
    let o = bin()
        .args(["sign", pdf.to_str().unwrap(), "--p12", p12.to_str().unwrap(), "-o", pdf.to_str().unwrap()])
        .env("JIXIAO_P12_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // The default output is beside the input, and the input is kept.
    let before = std::fs::read(&pdf).unwrap();
    let o = bin().args(["sign", pdf.to_str().unwrap(), "--p12", p12.to_str().unwrap()]).env("JIXIAO_P12_PASSWORD", PASSWORD).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("out.signed.pdf").exists());
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
}

#[test]
fn unsigned_pdf_with_a_trust_store_fails() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    make_p12(dir.path(), "unit", "测试单位负责人", false);
    let o = verify(&pdf, &["--trust", dir.path().join("unit.pem").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("PDF 没有数字签名"), "{}", stdout(&o));
    // Without one, an unsigned PDF verifies as before.
    assert!(verify(&pdf, &[]).status.success());
}

#[test]
fn sm2_certificates_are_named_as_unsupported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = d.join("sm2.key");
    let ok = |c: &mut Command| c.output().is_ok_and(|o| o.status.success());
    let made = ok(Command::new("openssl").args(["genpkey", "-algorithm", "SM2", "-out"]).arg(&key))
        && ok(Command::new("openssl")
            .args(["req", "-x509", "-new", "-utf8", "-subj", "/CN=国密测试", "-days", "30", "-sm3", "-key"])
            .arg(&key)
            .arg("-out")
            .arg(d.join("sm2.pem")))
        && ok(Command::new("openssl")
            .args(["pkcs12", "-export", "-inkey"])
            .arg(&key)
            .arg("-in")
            .arg(d.join("sm2.pem"))
            .arg("-out")
            .arg(d.join("sm2.p12"))
            .args(["-passout", &format!("pass:{PASSWORD}")]));
    if !made {
        eprintln!("this openssl cannot make SM2 certificates; skipped");
        return;
    }
    let pdf = render_ok(&seed_data(), d);
    let out = d.join("signed.pdf");
    let o = sign(&pdf, &d.join("sm2.p12"), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("SM2（国密）") && stderr(&o).contains("暂不支持"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// A damaged signature value, or a byte range that leaves out more than the
/// signature, is an invalid signature: exit 1, said in words, no panic.
#[test]
fn damaged_signature_values_and_forged_ranges_are_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let p12 = make_p12(dir.path(), "unit", "测试单位负责人", false);
    let signed = dir.path().join("signed.pdf");
    sign_ok(&pdf, &p12, &signed);
    let bytes = std::fs::read(&signed).unwrap();
    let at = bytes.windows(10).rposition(|w| w == b"/Contents<").unwrap() + 10;

    // The CMS's first bytes: not CMS any more.
    let mut damaged = bytes.clone();
    damaged[at..at + 4].copy_from_slice(b"ffff");
    let bad = dir.path().join("damaged.pdf");
    std::fs::write(&bad, &damaged).unwrap();
    let o = verify(&bad, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名值不是 CMS 格式"), "{}", stdout(&o));
    assert!(!stderr(&o).contains("内部错误"), "{}", stderr(&o));

    // A byte range that leaves a gap larger than the signature value.
    let range_at = bytes.windows(11).rposition(|w| w == b"/ByteRange[").unwrap() + 11;
    let end = range_at + bytes[range_at..].iter().position(|&b| b == b']').unwrap();
    let text = String::from_utf8(bytes[range_at..end].to_vec()).unwrap();
    let n: Vec<i64> = text.split_whitespace().map(|x| x.parse().unwrap()).collect();
    let forged = format!("0 {} {} {}", n[1] - 100, n[2], n[3]);
    let mut damaged = bytes.clone();
    damaged[range_at..end].copy_from_slice(format!("{forged:<w$}", w = end - range_at).as_bytes());
    std::fs::write(&bad, &damaged).unwrap();
    let o = verify(&bad, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("无效"), "{}", stdout(&o));
    assert!(!stderr(&o).contains("内部错误"), "{}", stderr(&o));
}
