//! Writing output files so that a failure never leaves a truncated or
//! stale-looking file behind, never onto an input, a device or a pipe.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

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
    let shown = crate::base::diagnostic::shown_path(out);
    let target = resolve_links(out).map_err(|e| format!("无法写入 {shown}：{e}"))?;
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => return Err(format!("{shown} 是一个文件夹；请给出要写入的文件名")),
        Ok(meta) if !meta.is_file() => {
            return Err(format!("{shown} 不是普通文件（是管道、设备或套接字），不能写入；请给出普通的文件名"));
        }
        Ok(meta) => {
            for input in inputs {
                if same_file(&meta, input) {
                    return Err(format!(
                        "输出 {shown} 就是输入文件 {}，写入会毁掉它；请换一个输出文件名（如 报告.pdf）",
                        crate::base::diagnostic::shown_path(input)
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
/// [`crate::base::interrupt`]); after a SIGKILL the target is still the old or
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
fn complete_beside(path: &Path, bytes: &[u8]) -> std::io::Result<(tempfile::NamedTempFile, crate::base::interrupt::Pending)> {
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
    let pending = crate::base::interrupt::Pending::new(tmp.path());
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    crate::base::interrupt::test_pause();
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

