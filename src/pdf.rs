//! PDF output: the standard (PDF/A-3a with PDF/UA-1 by default), the document date that
//! makes output reproducible, export, and writing the file so that a failure
//! never leaves a truncated or stale-looking PDF behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::Report;

/// The PDF standards jixiao offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
pub enum Standard {
    /// PDF/A-3a and PDF/UA-1 together: archival, accessible (tagged
    /// structure, headings, table headers, alternative text), and may carry
    /// the source data (default).
    #[default]
    #[value(name = "a-3a")]
    #[serde(rename = "a-3a")]
    A3a,
    /// PDF/A-3b: archival, and may carry the source data.
    #[value(name = "a-3b")]
    #[serde(rename = "a-3b")]
    A3b,
    /// PDF/A-2b: archival; cannot carry attachments.
    #[value(name = "a-2b")]
    #[serde(rename = "a-2b")]
    A2b,
    /// Plain PDF 1.7.
    #[value(name = "1.7")]
    #[serde(rename = "1.7")]
    V17,
}

impl Standard {
    pub fn name(self) -> &'static str {
        match self {
            Standard::A3a => "a-3a",
            Standard::A3b => "a-3b",
            Standard::A2b => "a-2b",
            Standard::V17 => "1.7",
        }
    }

    pub fn is_pdfa(self) -> bool {
        matches!(self, Standard::A3a | Standard::A3b | Standard::A2b)
    }

    /// Whether the source data can be attached (PDF/A-2 forbids attachments).
    pub fn allows_attachments(self) -> bool {
        !matches!(self, Standard::A2b)
    }

    fn typst(self) -> &'static [PdfStandard] {
        match self {
            Standard::A3a => &[PdfStandard::A_3a, PdfStandard::Ua_1],
            Standard::A3b => &[PdfStandard::A_3b],
            Standard::A2b => &[PdfStandard::A_2b],
            Standard::V17 => &[PdfStandard::V_1_7],
        }
    }
}

/// A calendar date, for the document's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The document date, never the clock: the report's own date (落款日期); else
/// `SOURCE_DATE_EPOCH`; else 1 January of the year after the fiscal year,
/// when such reports are written.
pub fn document_date(report: &Report) -> Date {
    if let Some(d) = report.closing.as_ref().and_then(|c| c.date.as_ref()).and_then(|d| d.date) {
        return Date { year: d.year as i32, month: d.month, day: d.day };
    }
    if let Ok(Some(d)) = source_date_epoch() {
        return d;
    }
    Date { year: report.year + 1, month: 1, day: 1 }
}

/// `SOURCE_DATE_EPOCH` as a date: `None` when unset; an error (and ignored)
/// when it is not a number of seconds for a year from 1900 to 9999.
pub fn source_date_epoch() -> Result<Option<Date>, String> {
    let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") else { return Ok(None) };
    let secs = v.trim().parse::<i64>().map_err(|_| format!("环境变量 SOURCE_DATE_EPOCH“{}”不是秒数，已忽略", crate::diagnostic::shown(&v)))?;
    // 1900-01-01 to 9999-12-31, the years a PDF date can hold.
    if !(-2_208_988_800..=253_402_300_799).contains(&secs) {
        return Err(format!("环境变量 SOURCE_DATE_EPOCH {secs} 超出 1900 到 9999 年的范围，已忽略"));
    }
    Ok(Some(civil_from_days(secs.div_euclid(86_400))))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// Export options: the standard, the fixed timestamp, the creator.
pub fn options(standard: Standard, date: Date) -> Result<PdfOptions, String> {
    let standards = PdfStandards::new(standard.typst()).map_err(|e| e.message().to_string())?;
    let timestamp = Datetime::from_ymd_hms(date.year, date.month, date.day, 0, 0, 0).map(Timestamp::new_utc);
    Ok(PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some(format!("jixiao {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        standards,
        ..PdfOptions::default()
    })
}

pub fn export(doc: &PagedDocument, standard: Standard, date: Date) -> Result<Vec<u8>, String> {
    let options = options(standard, date)?;
    typst_pdf::pdf(doc, &options).map_err(|diags| {
        diags
            .iter()
            .map(|d| {
                let hints: String = d.hints.iter().map(|h| format!("（{}）", h.v)).collect();
                format!("{}{hints}", d.message)
            })
            .collect::<Vec<_>>()
            .join("；")
    })
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where an output may be written: a new name, or an existing regular file
/// (through a symbolic link, its target, as editors do) that is none of the
/// inputs. A FIFO, device, socket or folder is refused (run as root,
/// `-o /dev/null` would otherwise replace the system's node), and so is an
/// output that is an input by another name (same file, by inode): writing it
/// would destroy the data.
pub fn output_target(out: &Path, inputs: &[&Path]) -> Result<PathBuf, String> {
    let shown = crate::diagnostic::shown_path(out);
    let target = resolve_links(out).map_err(|e| format!("无法写入 {shown}：{e}"))?;
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => return Err(format!("{shown} 是一个文件夹；请给出 PDF 文件名")),
        Ok(meta) if !meta.is_file() => {
            return Err(format!("{shown} 不是普通文件（是管道、设备或套接字），不能写成 PDF；请给出普通的文件名"));
        }
        Ok(meta) => {
            for input in inputs {
                if same_file(&meta, input) {
                    return Err(format!(
                        "输出 {shown} 就是输入文件 {}，写入会毁掉它；请换一个输出文件名（如 报告.pdf）",
                        crate::diagnostic::shown_path(input)
                    ));
                }
            }
        }
        Err(_) => {}
    }
    Ok(target)
}

#[cfg(unix)]
fn same_file(meta: &std::fs::Metadata, other: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(other).is_ok_and(|o| o.dev() == meta.dev() && o.ino() == meta.ino())
}

#[cfg(not(unix))]
fn same_file(_meta: &std::fs::Metadata, other: &Path) -> bool {
    false
}

/// Follow symbolic links to the file they name, even when it does not exist
/// yet (a dangling link is written through, as editors do).
fn resolve_links(path: &Path) -> Result<PathBuf, String> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p).map_err(|e| e.to_string())?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err("符号链接循环（链接指向自身）".into())
}

/// Write `bytes` to `path` through a temporary file in the same folder,
/// renamed into place only once complete. The temporary file is removed if
/// the process is interrupted (SIGINT, SIGTERM, SIGHUP; see
/// [`crate::interrupt`]); after a SIGKILL the target is still the old or
/// the new complete file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, _pending) = complete_beside(path, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write `bytes` to the new file `path`, never over an existing one (an
/// error of kind `AlreadyExists`): complete in a temporary file first, as
/// [`write_atomically`], so no half-written file is left either.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, _pending) = complete_beside(path, bytes)?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` in a complete temporary file beside `path`, removed if the
/// process is interrupted before the guard is dropped.
fn complete_beside(path: &Path, bytes: &[u8]) -> std::io::Result<(tempfile::NamedTempFile, crate::interrupt::Pending)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jixiao-").suffix(".tmp");
    // A file replaced keeps its mode (a private 0600 data file stays
    // private); a new one is created as any program creates a file, 0666
    // less the user's umask, which the kernel applies at creation.
    #[cfg(unix)]
    let kept = {
        use std::os::unix::fs::PermissionsExt;
        let kept = std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(kept.unwrap_or(0o666)));
        kept
    };
    let mut tmp = builder.tempfile_in(dir)?;
    // The umask may have taken bits the replaced file had.
    #[cfg(unix)]
    if let Some(mode) = kept {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    let pending = crate::interrupt::Pending::new(tmp.path());
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    crate::interrupt::test_pause();
    Ok((tmp, pending))
}

/// Write `PDF.sha256` beside the PDF, as `sha256sum -c` reads it (run in the
/// PDF's folder).
pub fn write_manifest(pdf: &Path, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    let name = pdf.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut manifest = pdf.as_os_str().to_owned();
    manifest.push(".sha256");
    let manifest = std::path::PathBuf::from(manifest);
    write_atomically(&manifest, format!("{}  {name}\n", sha256_hex(bytes)).as_bytes())?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(civil_from_days(0), Date { year: 1970, month: 1, day: 1 });
        assert_eq!(civil_from_days(19_417), Date { year: 2023, month: 3, day: 1 });
        assert_eq!(civil_from_days(11_016), Date { year: 2000, month: 2, day: 29 });
    }
}
