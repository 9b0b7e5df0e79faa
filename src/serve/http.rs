//! The HTTP side: a blocking server on the loopback address; every request
//! must carry the session's token and name this server in its `Host`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value as Json, json};
use tiny_http::{Header, Method, Request, Response, Server};

use super::assets;
use super::session::{SaveError, Session};
use crate::render::Options;

/// The largest request body read (an edit is one value; a paragraph is small).
const MAX_BODY: u64 = 4 * 1024 * 1024;
const TOKEN_HEADER: &str = "X-Jixiao-Token";
const COOKIE: &str = "jixiao_token";

/// Bind `127.0.0.1:port` (0 for any free port); only the loopback address,
/// so no other machine can reach the editor.
pub fn bind(port: u16) -> Result<(Server, u16), String> {
    let server = Server::http(("127.0.0.1", port)).map_err(|e| format!("无法在 127.0.0.1:{port} 上启动：{e}"))?;
    let port = server.server_addr().to_ip().map(|a| a.port()).ok_or("无法取得端口")?;
    Ok((server, port))
}

/// A fresh random token: 128 bits, hex.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("无法生成随机令牌：{e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub struct Guard {
    pub token: String,
    pub port: u16,
}

impl Guard {
    /// The `Host` a browser sends for this server; any other is refused,
    /// so a web page cannot reach us through a name it points at 127.0.0.1
    /// (DNS rebinding).
    fn host_ok(&self, req: &Request) -> bool {
        let Some(host) = header(req, "Host") else { return false };
        let host = host.to_ascii_lowercase();
        host == format!("127.0.0.1:{}", self.port) || host == format!("localhost:{}", self.port)
    }

    /// The token from the query, the header or the cookie the first page set.
    fn token_ok(&self, req: &Request) -> bool {
        let from_query = query(req.url(), "token");
        let from_header = header(req, TOKEN_HEADER);
        let from_cookie = header(req, "Cookie").and_then(|c| {
            c.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| *k == COOKIE).map(|(_, v)| v.to_string())
        });
        [from_query, from_header, from_cookie].into_iter().flatten().any(|t| same(&t, &self.token))
    }
}

/// Compare without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.as_str().to_string())
}

/// A query parameter's value (tokens and numbers only: no decoding needed).
fn query(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

fn h(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// Headers every answer carries: nothing cached unless versioned, no
/// referrer (the token is in the URL), no framing, no sniffing.
fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(h("Content-Type", content_type))
        .with_header(h("X-Content-Type-Options", "nosniff"))
        .with_header(h("Referrer-Policy", "no-referrer"))
        .with_header(h("X-Frame-Options", "DENY"))
        .with_header(h("Cross-Origin-Resource-Policy", "same-origin"))
}

fn json_reply(status: u16, value: &Json) -> Reply {
    reply(status, "application/json; charset=utf-8", serde_json::to_vec(value).unwrap_or_default()).with_header(h("Cache-Control", "no-store"))
}

fn refuse(status: u16, message: &str) -> Reply {
    reply(status, "text/plain; charset=utf-8", message.as_bytes().to_vec()).with_header(h("Cache-Control", "no-store"))
}

/// What the server holds: the report being edited, or, before one is
/// opened, the folder a new one is written to.
pub struct App {
    pub session: Option<Session>,
    /// The data file's folder (the current one when started without a
    /// file): no file outside it is read or written.
    pub dir: PathBuf,
    pub options: Options,
}

impl App {
    /// Editing `session`, in its file's folder.
    pub fn editing(session: Session, options: Options) -> App {
        let dir = session.path().parent().map(Path::to_path_buf).unwrap_or_default();
        App { session: Some(session), dir, options }
    }

    /// Started without a data file: new ones go into `dir`.
    pub fn starting(dir: PathBuf, options: Options) -> App {
        App { session: None, dir, options }
    }
}

/// Serve until the process is stopped (Ctrl-C ends it through
/// [`crate::interrupt`], which removes a save's temporary file if one is
/// being written).
pub fn serve(server: &Server, app: &mut App, guard: &Guard) {
    for mut req in server.incoming_requests() {
        let resp = handle(&mut req, app, guard);
        let _ = req.respond(resp);
    }
}

fn handle(req: &mut Request, app: &mut App, guard: &Guard) -> Reply {
    if !guard.host_ok(req) {
        return refuse(421, "拒绝：请求的主机名不是本机地址");
    }
    if !guard.token_ok(req) {
        return refuse(403, "拒绝：缺少或错误的访问令牌；请使用 jixiao serve 打印的完整地址");
    }
    // A state-changing request from another site's page is refused even with a token.
    if *req.method() == Method::Post
        && let Some(origin) = header(req, "Origin")
        && origin != format!("http://127.0.0.1:{}", guard.port)
        && origin != format!("http://localhost:{}", guard.port)
    {
        return refuse(403, "拒绝：请求来自其他网站");
    }
    let url = req.url().to_string();
    let route = url.split('?').next().unwrap_or("").to_string();
    let Some(session) = app.session.as_mut() else {
        return start(req, app, &route, guard);
    };
    match (req.method().clone(), route.as_str()) {
        (Method::Get, "/") => page(guard),
        (Method::Get, "/api/model") => json_reply(200, &session.model()),
        (Method::Get, "/api/state") => {
            // Another program changed the file and nothing here is unsaved: take its version.
            if !session.dirty() && session.changed_on_disk() && session.reload().is_ok() {
                let mut m = session.model();
                m["reloaded"] = json!(true);
                return json_reply(200, &m);
            }
            json_reply(200, &session.state())
        }
        (Method::Post, "/api/edit") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let Some(path) = body.get("path").and_then(Json::as_str) else {
                return refuse(400, "缺少 path");
            };
            let value = body.get("value").and_then(Json::as_str);
            match session.edit(path, value) {
                Ok(()) => json_reply(200, &session.state()),
                Err(m) => json_reply(400, &json!({"error": m})),
            }
        }
        (Method::Post, "/api/outline") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let (Some(op), Some(path)) = (body.get("op").and_then(Json::as_str), body.get("path").and_then(Json::as_str)) else {
                return refuse(400, "缺少 op 或 path");
            };
            let count = body.get("count").and_then(Json::as_u64).map(|n| n.min(64) as usize);
            match session.structure(op, path, count) {
                Ok(focus) => {
                    let mut m = session.model();
                    m["focus"] = json!(focus);
                    json_reply(200, &m)
                }
                Err(m) => json_reply(400, &json!({"error": m})),
            }
        }
        (Method::Post, "/api/undo") => {
            session.undo();
            json_reply(200, &session.model())
        }
        (Method::Post, "/api/save") => {
            let force = body_json(req).ok().and_then(|b| b.get("force").and_then(Json::as_bool)).unwrap_or(false);
            match session.save(force) {
                Ok(()) => json_reply(200, &session.state()),
                Err(SaveError::Conflict) => json_reply(
                    409,
                    &json!({"error": "数据文件已在别处被修改（例如另一个编辑器）。为免覆盖那些修改，没有保存。", "state": session.state()}),
                ),
                Err(SaveError::Io(m)) => json_reply(500, &json!({"error": m})),
            }
        }
        (Method::Post, "/api/reload") => match session.reload() {
            Ok(()) => json_reply(200, &session.model()),
            Err(f) => json_reply(
                422,
                &json!({"error": f.iter().map(|f| format!("{}：{}", f.severity.label(), f.message)).collect::<Vec<_>>().join("\n")}),
            ),
        },
        (Method::Get, "/report.pdf") => match session.pdf() {
            Ok(bytes) => {
                let name = session.path().with_extension("pdf");
                let name = name.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report.pdf".into());
                let disposition = format!("attachment; filename=\"report.pdf\"; filename*=UTF-8''{}", percent(&name));
                reply(200, "application/pdf", bytes).with_header(h("Cache-Control", "no-store")).with_header(h("Content-Disposition", &disposition))
            }
            Err(m) => refuse(422, &m),
        },
        (Method::Get, r) if r.starts_with("/page/") && r.ends_with(".png") => {
            let n = r["/page/".len()..r.len() - 4].parse::<usize>().ok();
            let v = query(&url, "v").unwrap_or_default();
            match n.and_then(|n| session.page_png(n.wrapping_sub(1), &v)) {
                // The URL names the page's content: it may be kept.
                Some(png) => reply(200, "image/png", Arc::unwrap_or_clone(png)).with_header(h("Cache-Control", "private, max-age=31536000, immutable")),
                None => refuse(404, "没有这一页（页面已更新）"),
            }
        }
        _ => refuse(404, "没有这个地址"),
    }
}

/// The editor's page, with the token in a cookie for the page images.
fn page(guard: &Guard) -> Reply {
    let cookie = format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict", guard.token);
    reply(200, "text/html; charset=utf-8", assets::page(&guard.token).into_bytes())
        .with_header(h("Cache-Control", "no-store"))
        .with_header(h("Set-Cookie", &cookie))
        .with_header(h(
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ))
}

/// Before a report is open: the page offers `init` (a framework), `import`
/// (an uploaded report) or a data file already in the folder. The new
/// file goes into the folder, never over a file that is there.
fn start(req: &mut Request, app: &mut App, route: &str, guard: &Guard) -> Reply {
    let made = match (req.method().clone(), route) {
        (Method::Get, "/") => return page(guard),
        (Method::Get, "/api/model") | (Method::Get, "/api/state") => return json_reply(200, &json!({"start": start_info(&app.dir)})),
        (Method::Post, "/api/init") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let text = |k: &str| body.get(k).and_then(Json::as_str).map(str::trim).filter(|s| !s.is_empty());
            let year = match body.get("year").and_then(Json::as_i64) {
                Some(y) => y as i32,
                None => crate::starter::last_year(),
            };
            let name = match plain_name(text("name").unwrap_or("绩效自评报告.toml")) {
                Ok(n) => n,
                Err(m) => return json_reply(400, &json!({"error": m})),
            };
            match crate::starter::text(text("framework"), text("unit"), year) {
                Ok(t) => create(&app.dir, &name, &t).map(|p| {
                    let schema = app.dir.join(crate::starter::SCHEMA_FILE);
                    if std::fs::symlink_metadata(&schema).is_err() {
                        let _ = std::fs::write(&schema, crate::schema::schema_json() + "\n");
                    }
                    (p, None)
                }),
                Err(m) => Err(m),
            }
        }
        (Method::Post, "/api/import") => {
            let name = header(req, "X-File-Name").map(|n| percent_decode(&n)).unwrap_or_default();
            let year = query(req.url(), "year").and_then(|y| y.parse::<i32>().ok());
            if let Some(y) = year
                && !crate::model::YEARS.contains(&y)
            {
                return json_reply(400, &json!({"error": format!("年度 {y} 超出范围")}));
            }
            let mut bytes = Vec::new();
            if req.as_reader().take(crate::import::MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).is_err() {
                return refuse(400, "无法读取上传的文件");
            }
            // The uploaded file's own name, without any folder it names.
            let base = name.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            let (stem, ext) = base.rsplit_once('.').unwrap_or((base.as_str(), ""));
            let exe = std::env::current_exe().ok();
            match crate::import::import_bytes(&bytes, ext, year, exe.as_deref()) {
                Ok((text, summary)) => free_name(&app.dir, stem).and_then(|n| create(&app.dir, &n, &text)).map(|p| {
                    let mut notes = vec![format!("已从{}导入，写入 {}", summary.source_kind, p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())];
                    notes.extend(summary.notes);
                    (p, Some(notes))
                }),
                Err(m) => Err(m),
            }
        }
        (Method::Post, "/api/open") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            match body.get("name").and_then(Json::as_str).map(plain_name) {
                Some(Ok(n)) => {
                    let p = app.dir.join(&n);
                    match std::fs::symlink_metadata(&p) {
                        Ok(m) if m.is_file() => Ok((p, None)),
                        _ => Err(format!("文件夹中没有 {n}")),
                    }
                }
                Some(Err(m)) => Err(m),
                None => Err("缺少文件名".into()),
            }
        }
        _ => return json_reply(409, &json!({"error": "还没有打开数据文件：请先新建、导入或打开一份"})),
    };
    let (path, notes) = match made {
        Ok(m) => m,
        Err(m) => return json_reply(400, &json!({"error": m})),
    };
    match Session::open(&path, app.options.clone()) {
        Ok(s) => {
            let mut m = s.model();
            m["opened"] = json!(true);
            if let Some(n) = notes {
                m["notes"] = json!(n);
            }
            app.session = Some(s);
            json_reply(200, &m)
        }
        Err(f) => json_reply(
            422,
            &json!({"error": f.iter().map(|f| format!("{}：{}", f.severity.label(), f.message)).collect::<Vec<_>>().join("\n")}),
        ),
    }
}

/// What the start page offers: the frameworks, the year, the data files
/// already in the folder.
fn start_info(dir: &Path) -> Json {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.to_ascii_lowercase().ends_with(".toml") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    json!({
        "dir": crate::diagnostic::shown_path(dir),
        "year": crate::starter::last_year(),
        "frameworks": crate::starter::FRAMEWORKS.iter().map(|(k, d, _)| json!({"key": k, "label": d})).collect::<Vec<_>>(),
        "files": files,
    })
}

/// A file name typed or uploaded, as a name in the folder: no folders, not
/// hidden, ending in `.toml`.
fn plain_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    let bad = name.is_empty()
        || name.starts_with('.')
        || name.chars().count() > 120
        || name.chars().any(|c| matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() || crate::diagnostic::is_bidi_control(c));
    if bad {
        return Err(format!("文件名“{}”不能用：请只写文件名，不含文件夹和 / \\ : * ? \" < > | 等符号", crate::diagnostic::shown(name)));
    }
    Ok(if name.to_ascii_lowercase().ends_with(".toml") { name.to_string() } else { format!("{name}.toml") })
}

/// `stem.toml`, or `stem（2）.toml`… when that is taken.
fn free_name(dir: &Path, stem: &str) -> Result<String, String> {
    let stem = if stem.trim().is_empty() { "导入的报告" } else { stem.trim() };
    for n in 1..100 {
        let name = plain_name(&if n == 1 { format!("{stem}.toml") } else { format!("{stem}（{n}）.toml") })?;
        if std::fs::symlink_metadata(dir.join(&name)).is_err() {
            return Ok(name);
        }
    }
    Err("文件夹中同名的文件太多；请换一个文件名".into())
}

/// Write a new file `name` in `dir`; never over an existing one.
fn create(dir: &Path, name: &str, text: &str) -> Result<PathBuf, String> {
    let path = dir.join(name);
    match crate::pdf::write_new(&path, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(format!("{name} 已存在，未做任何改动；请换一个文件名")),
        Err(e) => return Err(format!("无法写入 {name}：{e}")),
    }
    Ok(path)
}

/// `%XX` sequences of a header value (the browser's encodeURIComponent).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn body_json(req: &mut Request) -> Result<Json, Reply> {
    let mut body = Vec::new();
    req.as_reader().take(MAX_BODY).read_to_end(&mut body).map_err(|_| refuse(400, "无法读取请求"))?;
    serde_json::from_slice(&body).map_err(|_| refuse(400, "请求不是 JSON"))
}

/// RFC 5987 encoding of a file name for `Content-Disposition`.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_comparison() {
        assert_eq!(query("/page/2.png?v=ab&token=t1", "token").as_deref(), Some("t1"));
        assert_eq!(query("/?token=t1", "v"), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert_eq!(percent("报告 1.pdf"), "%E6%8A%A5%E5%91%8A%201.pdf");
        assert_eq!(percent_decode("%E6%8A%A5%E5%91%8A%201.docx"), "报告 1.docx");
        assert_eq!(plain_name("报告").unwrap(), "报告.toml");
        assert_eq!(plain_name(" a.TOML ").unwrap(), "a.TOML");
        for bad in ["../x.toml", "a/b.toml", ".hidden.toml", "", "c:x", "a\\b"] {
            assert!(plain_name(bad).is_err(), "{bad}");
        }
    }
}
