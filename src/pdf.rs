//! PDF output: export options and writing the file so that a failure never
//! leaves a truncated or stale-looking PDF behind.

use std::io::Write;
use std::path::Path;

use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

/// Export options. No timestamp is taken from the clock, so the same data
/// gives the same bytes.
pub fn options() -> PdfOptions {
    PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some(format!("jixiao {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        ..PdfOptions::default()
    }
}

pub fn export(doc: &PagedDocument) -> Result<Vec<u8>, String> {
    typst_pdf::pdf(doc, &options()).map_err(|diags| {
        diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("；")
    })
}

/// Write `bytes` to `path` through a temporary file in the same folder,
/// renamed into place only once complete.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".jixiao-").suffix(".pdf.tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // Temporary files are private (0600); a report is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
