//! The editor page, built into the binary: no CDN, no build step. The
//! style and script are inlined into the one HTML answer, so the page needs
//! no further request before it has its token.

const HTML: &str = include_str!("assets/index.html");
const CSS: &str = include_str!("assets/app.css");
const JS: &str = include_str!("assets/app.js");

/// The page for a session: its token goes in the script (the page is only
/// ever served to a request that already carries it).
pub fn page(token: &str) -> String {
    HTML.replace("/*CSS*/", CSS).replace("/*JS*/", &JS.replace("__TOKEN__", token))
}
