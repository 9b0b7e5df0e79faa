//! The signer: a key and its certificates from a PKCS#12 file, held in
//! memory only (weak keys refused), and the CMS SignedData (CAdES detached,
//! PAdES B-B) it makes over a digest.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use zeroize::Zeroizing;

use crate::archive::signature::{EssCertIdV2, ID_SIGNING_CERTIFICATE_V2, SigningCertificateV2, subject_name};

/// The key and certificates of a PKCS#12 file, held in memory only.
pub struct Signer {
    key: Key,
    /// The signer's certificate, then the rest of the chain.
    pub certificate: Certificate,
    pub chain: Vec<Certificate>,
}

enum Key {
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
    P256(Box<p256::ecdsa::SigningKey>),
}

const ID_RSA: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ID_EC: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ID_P256: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// The SM2 curve (GB/T 32918), common on Chinese government certificates.
const ID_SM2: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");

impl Signer {
    /// Open a PKCS#12 file. `shown` names it in messages.
    pub fn from_pkcs12(p12: &[u8], password: &str, shown: &str) -> Result<Signer, String> {
        let store = p12_keystore::KeyStore::from_pkcs12(p12, password).map_err(|e| {
            format!("无法打开证书文件 {shown}：密码不对，或它不是 PKCS#12（.p12/.pfx）文件（{e}）；请检查密码文件或环境变量 JIXIAO_P12_PASSWORD")
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| format!("证书文件 {shown} 中没有私钥；请导出含私钥的 .p12 文件"))?;
        let pkcs8 = Zeroizing::new(chain.key().to_vec());
        let info = pkcs8::PrivateKeyInfo::try_from(pkcs8.as_slice())
            .map_err(|_| format!("证书文件 {shown} 中的私钥无法解析"))?;
        let curve = info.algorithm.parameters_oid().ok();
        let key = if info.algorithm.oid == ID_RSA {
            use pkcs8::DecodePrivateKey;
            let k = rsa::RsaPrivateKey::from_pkcs8_der(&pkcs8).map_err(|_| format!("证书文件 {shown} 中的 RSA 私钥无法解析"))?;
            let bits = rsa::traits::PublicKeyParts::size(&k) * 8;
            if bits < crate::archive::signature::MIN_RSA_BITS {
                return Err(format!(
                    "证书文件 {shown} 的 RSA 密钥只有 {bits} 位，过弱，签名不足以证明签名者：请使用至少 {} 位的 RSA 或 ECDSA P-256 证书",
                    crate::archive::signature::MIN_RSA_BITS
                ));
            }
            Key::Rsa(Box::new(rsa::pkcs1v15::SigningKey::<Sha256>::new(k)))
        } else if info.algorithm.oid == ID_EC && curve == Some(ID_P256) {
            use pkcs8::DecodePrivateKey;
            let k = p256::ecdsa::SigningKey::from_pkcs8_der(&pkcs8).map_err(|_| format!("证书文件 {shown} 中的 ECDSA 私钥无法解析"))?;
            Key::P256(Box::new(k))
        } else if info.algorithm.oid == ID_SM2 || curve == Some(ID_SM2) {
            return Err(format!(
                "证书文件 {shown} 的密钥是 SM2（国密）：jixiao 暂不支持 SM2 签名；请使用 RSA 或 ECDSA P-256 证书"
            ));
        } else {
            return Err(format!("证书文件 {shown} 的密钥类型（{}）不受支持；请使用 RSA 或 ECDSA P-256 证书", info.algorithm.oid));
        };
        let mut certs = Vec::new();
        for c in chain.chain() {
            certs.push(Certificate::from_der(c.as_der()).map_err(|_| format!("证书文件 {shown} 中的证书无法解析"))?);
        }
        // The signer's certificate is the one whose public key is the key's.
        let public = key.public_key_der()?;
        let at = certs
            .iter()
            .position(|c| c.tbs_certificate.subject_public_key_info.to_der().ok().as_deref() == Some(public.as_slice()))
            .ok_or_else(|| format!("证书文件 {shown} 中没有与私钥对应的证书"))?;
        let certificate = certs.remove(at);
        Ok(Signer { key, certificate, chain: certs })
    }

    /// The signer's name, as its certificate gives it (CN, O).
    pub fn name(&self) -> String {
        subject_name(&self.certificate)
    }

    /// A CMS SignedData (CAdES detached) over `digest`, DER-encoded.
    pub(super) fn cms(&self, digest: &[u8]) -> Result<Vec<u8>, String> {
        let fail = |e: &dyn std::fmt::Debug| format!("无法生成签名：{e:?}");
        let content = EncapsulatedContentInfo { econtent_type: const_oid::db::rfc5911::ID_DATA, econtent: None };
        let sha256 = AlgorithmIdentifierOwned { oid: const_oid::db::rfc5912::ID_SHA_256, parameters: None };
        let tbs = &self.certificate.tbs_certificate;
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        });
        // PAdES B-B binds the signer's certificate into the signed attributes
        // (ESS signing-certificate-v2); the signing time is the /M entry.
        let cert_hash = Sha256::digest(self.certificate.to_der().map_err(|e| fail(&e))?);
        let essv2 = SigningCertificateV2 {
            certs: vec![EssCertIdV2 { cert_hash: OctetString::new(cert_hash.to_vec()).map_err(|e| fail(&e))? }],
        };
        let mut values = SetOfVec::new();
        values.insert(Any::encode_from(&essv2).map_err(|e| fail(&e))?).map_err(|e| fail(&e))?;
        let attr = Attribute { oid: ID_SIGNING_CERTIFICATE_V2, values };
        let mut builder = SignedDataBuilder::new(&content);
        builder.add_digest_algorithm(sha256.clone()).map_err(|e| fail(&e))?;
        for c in std::iter::once(&self.certificate).chain(&self.chain) {
            builder.add_certificate(CertificateChoices::Certificate(c.clone())).map_err(|e| fail(&e))?;
        }
        match &self.key {
            Key::Rsa(k) => {
                let mut info = SignerInfoBuilder::new(&**k, sid, sha256, &content, Some(digest)).map_err(|e| fail(&e))?;
                info.add_signed_attribute(attr).map_err(|e| fail(&e))?;
                builder.add_signer_info::<_, rsa::pkcs1v15::Signature>(info).map_err(|e| fail(&e))?;
            }
            Key::P256(k) => {
                let mut info = SignerInfoBuilder::new(&**k, sid, sha256, &content, Some(digest)).map_err(|e| fail(&e))?;
                info.add_signed_attribute(attr).map_err(|e| fail(&e))?;
                builder.add_signer_info::<_, p256::ecdsa::DerSignature>(info).map_err(|e| fail(&e))?;
            }
        }
        let info = builder.build().map_err(|e| fail(&e))?;
        info.to_der().map_err(|e| fail(&e))
    }
}

impl Key {
    fn public_key_der(&self) -> Result<Vec<u8>, String> {
        use spki::EncodePublicKey;
        let der = match self {
            Key::Rsa(k) => signature::Keypair::verifying_key(&**k).to_public_key_der(),
            Key::P256(k) => k.verifying_key().to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec()).map_err(|e| format!("私钥无法使用：{e}"))
    }
}

