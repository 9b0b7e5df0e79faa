//! Reading and checking the signatures of a PDF, which may come from anyone:
//! the signature dictionaries are found by the limited child process (see
//! [`crate::archive::attachments::extract`]); here their byte ranges are checked against
//! the file and their CMS is decoded (DER, bounded by the size of /Contents)
//! and verified. Nothing here panics on bad input.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::OctetString;
use der::{Decode, Encode, Reader, SliceReader};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// ESS signing-certificate-v2 (RFC 5035), the attribute PAdES requires.
pub const ID_SIGNING_CERTIFICATE_V2: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_MESSAGE_DIGEST: der::oid::ObjectIdentifier = const_oid::db::rfc5911::ID_MESSAGE_DIGEST;
const ID_SHA256: der::oid::ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_256;
const RSA_ENCRYPTION: der::oid::ObjectIdentifier = const_oid::db::rfc5912::RSA_ENCRYPTION;
const SHA256_WITH_RSA: der::oid::ObjectIdentifier = const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION;
const ECDSA_WITH_SHA256: der::oid::ObjectIdentifier = const_oid::db::rfc5912::ECDSA_WITH_SHA_256;
const ID_SM2_WITH_SM3: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, … }
#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
pub struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
}

/// ESSCertIDv2 with the default hash, SHA-256, and no issuerSerial.
#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
pub struct EssCertIdV2 {
    pub cert_hash: OctetString,
}

/// The largest /Contents read (a signature with a long chain and a
/// timestamp is some 20 KB).
pub const MAX_CONTENTS_BYTES: usize = 512 * 1024;
/// The smallest RSA key that proves a signer (NIST SP 800-57, BSI TR-02102).
pub const MIN_RSA_BITS: usize = 2048;
/// The most signatures read from one PDF.
pub const MAX_SIGNATURES: usize = 32;

/// A signature dictionary as found in a PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSignature {
    pub byte_range: Vec<i64>,
    pub contents: Vec<u8>,
    /// /M, as written (D:YYYYMMDDHHmmSS…).
    pub time: String,
    pub sub_filter: String,
}

/// What was found of one signature.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The signer's subject (CN, O), when the CMS could be read.
    pub signer: Option<String>,
    pub time: String,
    /// The end of the signed range: the file up to the revision it signs.
    pub end: usize,
    /// `Ok(trusted)`: the signature holds (and the certificate chains to a
    /// trusted one); `Err`: why it does not.
    pub result: Result<Trust, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Chains to a certificate of `--trust`: the name of that anchor.
    Trusted(String),
    NotChecked,
    Untrusted(String),
}

/// Check one signature against the file it came from.
pub fn check(pdf: &[u8], raw: &RawSignature, anchors: &[Certificate]) -> Checked {
    let mut checked = Checked { signer: None, time: pdf_date_shown(&raw.time), end: 0, result: Ok(Trust::NotChecked) };
    checked.result = check_inner(pdf, raw, anchors, &mut checked);
    checked
}

fn check_inner(pdf: &[u8], raw: &RawSignature, anchors: &[Certificate], out: &mut Checked) -> Result<Trust, String> {
    // The range: [0 a b c], the gap [a, b) exactly the hex /Contents.
    let [0, a, b, c] = raw.byte_range[..] else {
        return Err("签名的 /ByteRange 不是 [0 a b c] 的形式".into());
    };
    let (a, b, c) = (usize::try_from(a), usize::try_from(b), usize::try_from(c));
    let (Ok(a), Ok(b), Ok(c)) = (a, b, c) else { return Err("签名的 /ByteRange 含负数".into()) };
    let end = b.checked_add(c).filter(|&e| a < b && e <= pdf.len()).ok_or("签名的 /ByteRange 超出了文件")?;
    out.end = end;
    let gap = &pdf[a..b];
    if gap.len() < 2 || gap[0] != b'<' || gap[gap.len() - 1] != b'>' || !gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit) {
        return Err("签名的 /ByteRange 留出的空隙不是签名值（/Contents）本身".into());
    }
    if !ends_revision(&pdf[..end]) {
        return Err("签名覆盖的范围没有在一个版本的结尾（%%EOF）处结束".into());
    }
    if raw.sub_filter == "adbe.x509.rsa_sha1" {
        return Err("签名是旧式的 adbe.x509.rsa_sha1，不受支持".into());
    }
    // The DER is followed by the zero padding of the placeholder.
    let mut reader = SliceReader::new(&raw.contents).map_err(|_| "签名值为空".to_string())?;
    let info = ContentInfo::decode(&mut reader).map_err(|_| "签名值不是 CMS 格式".to_string())?;
    let _ = reader.remaining_len();
    let signed: SignedData = info.content.decode_as().map_err(|_| "签名值不是 CMS SignedData".to_string())?;
    let certs: Vec<&Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c),
            _ => None,
        })
        .collect();
    let signer_info = signed.signer_infos.0.iter().next().ok_or("签名中没有签名者信息")?;
    let cert = find_signer(signer_info, &certs).ok_or("签名中没有签名者的证书")?;
    out.signer = Some(subject_name(cert));
    if signer_info.digest_alg.oid != ID_SHA256 {
        return Err(format!("签名的摘要算法（{}）不受支持，jixiao 只核验 SHA-256", signer_info.digest_alg.oid));
    }
    let attrs = signer_info.signed_attrs.as_ref().ok_or("签名没有签名属性（不是 CAdES 签名）")?;
    let digest = attrs
        .iter()
        .find(|a| a.oid == ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or("签名属性中没有消息摘要")?;
    let mut hasher = Sha256::new();
    hasher.update(&pdf[..a]);
    hasher.update(&pdf[b..end]);
    if digest.as_bytes() != hasher.finalize().as_slice() {
        return Err("签名覆盖的内容已被改动：摘要与签名时不符".into());
    }
    let message = attrs.to_der().map_err(|_| "签名属性无法编码".to_string())?;
    verify_with(cert, &signer_info.signature_algorithm.oid, &message, signer_info.signature.as_bytes())
        .map_err(|m| format!("签名值无效：{m}"))?;
    Ok(trust(cert, &certs, anchors))
}

/// Whether `bytes` ends as a PDF revision does: `%%EOF` and an optional EOL.
fn ends_revision(bytes: &[u8]) -> bool {
    let trimmed = bytes.strip_suffix(b"\r\n").or_else(|| bytes.strip_suffix(b"\n")).or_else(|| bytes.strip_suffix(b"\r")).unwrap_or(bytes);
    trimmed.ends_with(b"%%EOF")
}

fn find_signer<'a>(info: &SignerInfo, certs: &[&'a Certificate]) -> Option<&'a Certificate> {
    certs.iter().copied().find(|c| match &info.sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => {
            c.tbs_certificate.issuer == is.issuer && c.tbs_certificate.serial_number == is.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .get::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, k)| k.0 == ski.0),
    })
}

/// Verify `signature` over `message` with the public key of `cert`.
fn verify_with(cert: &Certificate, algorithm: &der::oid::ObjectIdentifier, message: &[u8], signature: &[u8]) -> Result<(), String> {
    use signature::Verifier;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key_der = spki.to_der().map_err(|_| "证书的公钥无法读取".to_string())?;
    let algorithm = *algorithm;
    if algorithm == RSA_ENCRYPTION || algorithm == SHA256_WITH_RSA {
        use spki::DecodePublicKey;
        let key = rsa::RsaPublicKey::from_public_key_der(&key_der).map_err(|_| "证书的 RSA 公钥无法读取".to_string())?;
        let bits = rsa::traits::PublicKeyParts::size(&key) * 8;
        if bits < MIN_RSA_BITS {
            return Err(format!("{} 的 RSA 密钥只有 {bits} 位，过弱（至少 {MIN_RSA_BITS} 位），不能证明签名者", subject_name(cert)));
        }
        let sig = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| "签名值格式不对".to_string())?;
        rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key).verify(message, &sig).map_err(|_| "与签名者证书的公钥不符".to_string())
    } else if algorithm == ECDSA_WITH_SHA256 {
        use spki::DecodePublicKey;
        let key =
            p256::ecdsa::VerifyingKey::from_public_key_der(&key_der).map_err(|_| "证书的公钥不是 ECDSA P-256 公钥".to_string())?;
        let sig = p256::ecdsa::DerSignature::from_bytes(signature).map_err(|_| "签名值格式不对".to_string())?;
        key.verify(message, &sig).map_err(|_| "与签名者证书的公钥不符".to_string())
    } else if algorithm == ID_SM2_WITH_SM3 {
        Err("签名是 SM2（国密），jixiao 暂不支持核验 SM2 签名".into())
    } else {
        Err(format!("签名算法（{algorithm}）不受支持，jixiao 只核验 RSA 与 ECDSA P-256"))
    }
}

/// Whether `cert` chains, through the certificates in the signature, to one
/// of `anchors`: each link's signature is checked; validity periods and
/// revocation are not.
fn trust(cert: &Certificate, pool: &[&Certificate], anchors: &[Certificate]) -> Trust {
    if anchors.is_empty() {
        return Trust::NotChecked;
    }
    let mut current = cert;
    for _ in 0..8 {
        for anchor in anchors {
            if anchor == current {
                return Trust::Trusted(subject_name(anchor));
            }
            if anchor.tbs_certificate.subject == current.tbs_certificate.issuer && signed_by(current, anchor) {
                return Trust::Trusted(subject_name(anchor));
            }
        }
        let issuer = pool
            .iter()
            .copied()
            .find(|c| *c != current && c.tbs_certificate.subject == current.tbs_certificate.issuer && signed_by(current, c));
        match issuer {
            Some(i) => current = i,
            None => break,
        }
    }
    Trust::Untrusted(format!("签名者证书不能链接到 --trust 给出的任何证书（签发者：{}）", name_of(&cert.tbs_certificate.issuer)))
}

fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = cert.tbs_certificate.to_der() else { return false };
    let Some(sig) = cert.signature.as_bytes() else { return false };
    verify_with(issuer, &cert.signature_algorithm.oid, &tbs, sig).is_ok()
}

/// Read the certificates of a PEM file (for `--trust`).
pub fn read_pem_certificates(text: &str) -> Result<Vec<Certificate>, String> {
    let certs = Certificate::load_pem_chain(text.as_bytes()).map_err(|e| format!("不是 PEM 格式的证书：{e}"))?;
    if certs.is_empty() {
        return Err("其中没有证书".into());
    }
    Ok(certs)
}

/// "CN，O" of a certificate's subject.
pub fn subject_name(cert: &Certificate) -> String {
    name_of(&cert.tbs_certificate.subject)
}

fn name_of(name: &x509_cert::name::Name) -> String {
    let mut cn = None;
    let mut o = None;
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            let slot = if atv.oid == const_oid::db::rfc4519::CN {
                &mut cn
            } else if atv.oid == const_oid::db::rfc4519::O {
                &mut o
            } else {
                continue;
            };
            *slot = directory_string(&atv.value);
        }
    }
    match (cn, o) {
        (Some(cn), Some(o)) if cn != o => format!("{cn}（{o}）"),
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => name.to_string(),
    }
}

fn directory_string(value: &der::Any) -> Option<String> {
    use der::{Tag, Tagged};
    let bytes = value.value();
    let s = match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString | Tag::VisibleString => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        Tag::BmpString => {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    Some(crate::base::diagnostic::shown(&s))
}

/// A PDF date (D:YYYYMMDDHHmmSS+hh'mm') as "YYYY-MM-DD HH:mm:SS +hh:mm".
pub fn pdf_date_shown(d: &str) -> String {
    let d = d.strip_prefix("D:").unwrap_or(d);
    let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 14 {
        return crate::base::diagnostic::shown(d);
    }
    let zone = &d[14..];
    let zone = match zone {
        "Z" | "" => " UTC".to_string(),
        z => format!(" {}", z.replace('\'', ":").trim_end_matches(':')),
    };
    format!(
        "{}-{}-{} {}:{}:{}{}",
        &digits[0..4],
        &digits[4..6],
        &digits[6..8],
        &digits[8..10],
        &digits[10..12],
        &digits[12..14],
        crate::base::diagnostic::shown(&zone)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_revision_ends() {
        assert_eq!(pdf_date_shown("D:20261129153000+00'00'"), "2026-11-29 15:30:00 +00:00");
        assert_eq!(pdf_date_shown("D:20261129153000Z"), "2026-11-29 15:30:00 UTC");
        assert!(ends_revision(b"...%%EOF\n"));
        assert!(!ends_revision(b"...%%EOF\nxx"));
    }

    #[test]
    fn bad_ranges_are_refused_not_panicked_on() {
        let pdf = b"%PDF-1.7\n<00>\n%%EOF\n";
        for range in [vec![], vec![0, 1], vec![0, 9, 14, 1000], vec![0, -1, 2, 3], vec![0, 5, 3, 1], vec![1, 9, 13, 7], vec![0, i64::MAX, i64::MAX, i64::MAX]] {
            let raw = RawSignature { byte_range: range.clone(), contents: vec![0; 4], ..Default::default() };
            assert!(check(pdf, &raw, &[]).result.is_err(), "{range:?}");
        }
        let raw = RawSignature { byte_range: vec![0, 9, 13, 7], contents: vec![0x30, 0x80, 0xff], ..Default::default() };
        assert!(check(pdf, &raw, &[]).result.is_err());
    }
}
