//! `jixiao serve`: the report in a browser. A local server (127.0.0.1
//! only, a random token on every request) shows the outline and text as
//! fields and the pages beside them, re-rendered after every edit; edits
//! go into the TOML file with its comments and order kept.

pub mod assets;
pub mod edit;
mod expected;
pub mod http;
pub mod marks;
mod merge;
pub mod outline;
mod plain;
mod positions;
pub mod session;
mod summary;
mod todo;

pub use http::{App, Guard, bind, new_token, serve};
pub use session::{SaveError, Session};

/// The browser was sent to the editor through this file; it is removed
/// when the server ends (also on Ctrl-C, through [`crate::base::interrupt`]).
pub struct Opened {
    _dir: tempfile::TempDir,
    _pending: [crate::base::interrupt::Pending; 2],
}

/// Open the editor at `url` in the user's browser, without the token on
/// any command line (every user sees those in `ps`): the browser is given
/// a file only this user can read, in a private folder, that leads on to
/// `url` (as notebook servers do). A failure is not an error: the URL is
/// printed for opening by hand.
pub fn open_browser(url: &str) -> Option<Opened> {
    let (dir, file) = redirect_file(url).ok()?;
    let pending = [crate::base::interrupt::Pending::new(dir.path()), crate::base::interrupt::Pending::new(&file)];
    #[cfg(target_os = "windows")]
    let cmd = ("cmd", vec![std::ffi::OsStr::new("/C"), std::ffi::OsStr::new("start"), std::ffi::OsStr::new(""), file.as_os_str()]);
    #[cfg(target_os = "macos")]
    let cmd = ("open", vec![file.as_os_str()]);
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let cmd = ("xdg-open", vec![file.as_os_str()]);
    let _ = std::process::Command::new(cmd.0)
        .args(cmd.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    Some(Opened { _dir: dir, _pending: pending })
}

/// A new private folder (mode 0700) in the user's runtime folder
/// (`$XDG_RUNTIME_DIR`), or else the temporary folder, holding `open.html`
/// (mode 0600), a page that leads on to `url`.
fn redirect_file(url: &str) -> std::io::Result<(tempfile::TempDir, std::path::PathBuf)> {
    use std::io::Write;
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from).filter(|d| d.is_absolute() && d.is_dir());
    let mut builder = tempfile::Builder::new();
    builder.prefix("jixiao-serve-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let dir = builder.tempdir_in(runtime.unwrap_or_else(std::env::temp_dir))?;
    let file = dir.path().join("open.html");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&file)?;
    let url = url.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    write!(
        f,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"0;url={url}\">\n<title>jixiao serve</title>\n</head>\n<body>\n<p>正在打开编辑器。若没有自动打开，请点击 <a href=\"{url}\">{url}</a></p>\n</body>\n</html>\n"
    )?;
    Ok((dir, file))
}
