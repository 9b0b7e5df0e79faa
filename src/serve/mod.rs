//! `jixiao serve`: the report in a browser. A local server (127.0.0.1
//! only, a random token on every request) shows the outline and text as
//! fields and the pages beside them, re-rendered after every edit; edits
//! go into the TOML file with its comments and order kept.

pub mod assets;
pub mod edit;
pub mod http;
pub mod marks;
pub mod outline;
pub mod session;

pub use http::{App, Guard, bind, new_token, serve};
pub use session::{SaveError, Session};

/// Open `url` in the user's browser; a failure is not an error (the URL is
/// printed for opening by hand).
pub fn open_browser(url: &str) {
    #[cfg(target_os = "windows")]
    let cmd = ("cmd", vec!["/C", "start", "", url]);
    #[cfg(target_os = "macos")]
    let cmd = ("open", vec![url]);
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let cmd = ("xdg-open", vec![url]);
    let _ = std::process::Command::new(cmd.0)
        .args(cmd.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
