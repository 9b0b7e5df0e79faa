//! The HTTP side: a small blocking HTTP/1.1 server on the loopback address;
//! every request must carry the session's token and name this server in
//! its `Host`.
//!
//! Each connection is read on a thread of its own, within fixed limits: a
//! head of at most [`MAX_HEAD`] bytes, a body of a declared length no larger
//! than its route allows (checked before a byte of it is read; chunked
//! bodies are refused), and all of a request within [`REQUEST_TIMEOUT`].
//! The guards (host, token, origin) are checked on the head alone, so a
//! request without the token never has its body read. Requests read in full
//! are handed to the one thread that holds the report, one at a time; a slow
//! or hostile client holds up nobody but itself.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

use super::assets;
use super::session::{SaveError, Session};
use crate::pipeline::render::Options;

/// The largest request body read (an edit is one value; a paragraph is small).
const MAX_BODY: u64 = 4 * 1024 * 1024;
/// The largest request head: request line and headers together.
pub const MAX_HEAD: usize = 32 * 1024;
/// The most header lines in a head.
const MAX_HEADERS: usize = 64;
/// All of one request (the wait for it on an open connection, its head and
/// its body) must arrive within this time.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// An answer must be taken within this time.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections open at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
const TOKEN_HEADER: &str = "X-Jixiao-Token";

pub struct Server {
    listener: TcpListener,
}

/// Bind `127.0.0.1:port` (0 for any free port); only the loopback address,
/// so no other machine can reach the editor.
pub fn bind(port: u16) -> Result<(Server, u16), String> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("无法在 127.0.0.1:{port} 上启动：{e}"))?;
    let port = listener.local_addr().map(|a| a.port()).map_err(|_| "无法取得端口")?;
    Ok((Server { listener }, port))
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
        let Some(host) = req.header("Host") else { return false };
        let host = host.to_ascii_lowercase();
        host == format!("127.0.0.1:{}", self.port) || host == format!("localhost:{}", self.port)
    }

    /// The token from the query (the page's own address, its images and
    /// the PDF link) or the header (the page's requests). Never a cookie:
    /// a browser sends the cookies of 127.0.0.1 to every port on it.
    fn token_ok(&self, req: &Request) -> bool {
        let from_query = query(&req.url, "token");
        let from_header = req.header(TOKEN_HEADER).map(str::to_string);
        [from_query, from_header].into_iter().flatten().any(|t| same(&t, &self.token))
    }

    /// The guards, on a request's head: the reply that refuses it, if any.
    fn admit(&self, req: &Request) -> Option<Reply> {
        if !self.host_ok(req) {
            return Some(refuse(421, "拒绝：请求的主机名不是本机地址"));
        }
        if !self.token_ok(req) {
            return Some(refuse(403, "拒绝：缺少或错误的访问令牌；请使用 jixiao serve 打印的完整地址"));
        }
        // A state-changing request from another site's page is refused even with a token.
        if req.method != "GET"
            && let Some(origin) = req.header("Origin")
            && origin != format!("http://127.0.0.1:{}", self.port)
            && origin != format!("http://localhost:{}", self.port)
        {
            return Some(refuse(403, "拒绝：请求来自其他网站"));
        }
        None
    }
}

/// Compare without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A query parameter's value (tokens and numbers only: no decoding needed).
fn query(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

/// A request read in full: its head, and its body within the route's limit.
pub struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// HTTP/1.1 without `Connection: close`: the connection stays open.
    keep_alive: bool,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    fn route(&self) -> &str {
        self.url.split('?').next().unwrap_or("")
    }
}

/// An answer: status, headers, body.
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The bytes sent: status line, headers, length, body.
    fn bytes(&self, keep_alive: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\nConnection: {}\r\n\r\n", self.body.len(), if keep_alive { "keep-alive" } else { "close" }));
        let mut out = out.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Headers every answer carries: nothing cached unless versioned, no
/// referrer (the token is in the URL), no framing, no sniffing.
fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Reply { status, headers: Vec::new(), body }
        .with_header("Content-Type", content_type)
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "no-referrer")
        .with_header("X-Frame-Options", "DENY")
        .with_header("Cross-Origin-Resource-Policy", "same-origin")
}

fn json_reply(status: u16, value: &Json) -> Reply {
    reply(status, "application/json; charset=utf-8", serde_json::to_vec(value).unwrap_or_default()).with_header("Cache-Control", "no-store")
}

fn refuse(status: u16, message: &str) -> Reply {
    reply(status, "text/plain; charset=utf-8", message.as_bytes().to_vec()).with_header("Cache-Control", "no-store")
}

/// A request the connection's thread could not read in full: refused with
/// an answer as JSON (the page shows its `error`), and the connection closed.
fn bad_request(status: u16, message: &str) -> Reply {
    json_reply(status, &json!({"error": message}))
}

/// What became of the wait for a request on a connection.
enum Incoming {
    /// A complete request that passed the guards.
    Request(Request),
    /// Answer this and close the connection.
    Refused(Reply),
    /// The client went away, or an idle connection timed out: close quietly.
    Closed,
}

/// Read more of the connection into `buf`, at most `max` bytes, before
/// `deadline`. `Ok(0)` at the end of the stream; `Err(true)` on timeout.
fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>, max: usize, deadline: Instant) -> Result<usize, bool> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(true);
    }
    stream.set_read_timeout(Some(left)).map_err(|_| false)?;
    let mut chunk = [0u8; 16 * 1024];
    let want = max.min(chunk.len());
    loop {
        match stream.read(&mut chunk[..want]) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        }
    }
}

/// Read one request from the connection: the head (bounded), the guards,
/// then the body of the length it declares (bounded by its route). `buf`
/// holds what was read past the previous request.
fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant, guard: &Guard) -> Incoming {
    // The head.
    let head_len = loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match httparse::Request::new(&mut headers).parse(buf) {
                Ok(httparse::Status::Complete(n)) => break n,
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => return Incoming::Refused(bad_request(431, "请求头的行数太多")),
                Err(_) => return Incoming::Refused(bad_request(400, "请求的格式不对")),
            }
        }
        if buf.len() >= MAX_HEAD {
            return Incoming::Refused(bad_request(431, &format!("请求头太长（超过 {} KiB）", MAX_HEAD >> 10)));
        }
        match read_more(stream, buf, MAX_HEAD - buf.len(), deadline) {
            Ok(0) | Err(false) => return Incoming::Closed,
            Ok(_) => {}
            Err(true) if buf.is_empty() => return Incoming::Closed,
            Err(true) => return Incoming::Refused(bad_request(408, "请求发送得太慢，已超时")),
        }
    };
    let mut req = {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        if !matches!(parsed.parse(&buf[..head_len]), Ok(httparse::Status::Complete(_))) {
            return Incoming::Refused(bad_request(400, "请求的格式不对"));
        }
        let headers: Vec<(String, String)> =
            parsed.headers.iter().map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned())).collect();
        let close = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("Connection") && v.to_ascii_lowercase().contains("close"));
        Request {
            method: parsed.method.unwrap_or("").to_string(),
            url: parsed.path.unwrap_or("").to_string(),
            keep_alive: parsed.version == Some(1) && !close,
            headers,
            body: Vec::new(),
        }
    };
    buf.drain(..head_len);
    if let Some(refused) = guard.admit(&req) {
        return Incoming::Refused(refused);
    }
    // The body: only of a declared length, and only as long as the route takes.
    if req.header("Transfer-Encoding").is_some() {
        return Incoming::Refused(bad_request(411, "不接受分块传送的请求：请求须写明长度（Content-Length）"));
    }
    let lengths: Vec<&str> = req.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("Content-Length")).map(|(_, v)| v.trim()).collect();
    if lengths.iter().any(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_digit())) || lengths.windows(2).any(|w| w[0] != w[1]) {
        return Incoming::Refused(bad_request(400, "请求的长度（Content-Length）写法不对"));
    }
    let cap = if req.route() == "/api/import" { crate::import::MAX_INPUT_BYTES } else { MAX_BODY };
    // Digits only: a number too large for u64 is past the cap as well.
    let length = match lengths.first() {
        None => 0,
        Some(l) => l.parse::<u64>().unwrap_or(u64::MAX),
    };
    if length > cap {
        let what = if req.route() == "/api/import" { "上传的文件太大" } else { "请求太大" };
        return Incoming::Refused(bad_request(413, &format!("{what}（超过 {} MiB），没有读取", cap >> 20)));
    }
    let length = length as usize;
    if length > buf.len()
        && req.header("Expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
        && stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
    {
        return Incoming::Closed;
    }
    let mut body = Vec::new();
    std::mem::swap(&mut body, buf);
    if body.len() > length {
        *buf = body.split_off(length);
    }
    while body.len() < length {
        let want = length - body.len();
        match read_more(stream, &mut body, want, deadline) {
            Ok(0) | Err(false) => return Incoming::Closed,
            Ok(_) => {}
            Err(true) => return Incoming::Refused(bad_request(408, "请求发送得太慢，已超时")),
        }
    }
    req.body = body;
    Incoming::Request(req)
}

/// A request for the thread that holds the report, and where its answer goes.
type Job = (Request, mpsc::SyncSender<Reply>);

/// One connection: requests read and answered in turn until the client
/// closes it, a request is refused, or none comes in time.
fn connection(mut stream: TcpStream, guard: &Guard, jobs: &mpsc::Sender<Job>) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buf = Vec::new();
    loop {
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        match read_request(&mut stream, &mut buf, deadline, guard) {
            Incoming::Closed => return,
            Incoming::Refused(reply) => {
                let _ = stream.write_all(&reply.bytes(false));
                linger(stream);
                return;
            }
            Incoming::Request(req) => {
                let keep_alive = req.keep_alive;
                let (back, answer) = mpsc::sync_channel(1);
                if jobs.send((req, back)).is_err() {
                    return;
                }
                let Ok(reply) = answer.recv() else { return };
                if stream.write_all(&reply.bytes(keep_alive)).is_err() || !keep_alive {
                    return;
                }
            }
        }
    }
}

/// Close after a refusal without losing the answer: a close with unread
/// input resets the connection, and the client may lose what was sent.
/// So stop sending, and take (and drop) what still comes for a moment.
fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut taken = 0usize;
    let mut sink = Vec::new();
    while taken < 1 << 20 {
        sink.clear();
        match read_more(&mut stream, &mut sink, 16 * 1024, deadline) {
            Ok(n) if n > 0 => taken += n,
            _ => return,
        }
    }
}

/// Counts a connection as open while it lives.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serve until the process is stopped (Ctrl-C ends it through
/// [`crate::base::interrupt`], which removes a save's temporary file if one is
/// being written). Connections are read on threads of their own; the
/// report is edited on this thread only, one request at a time.
pub fn serve(server: Server, mut app: App, guard: Guard) {
    let guard = Arc::new(guard);
    let (jobs, requests) = mpsc::channel::<Job>();
    let listener = server.listener;
    let accepting = Arc::clone(&guard);
    std::thread::spawn(move || {
        let open = Arc::new(AtomicUsize::new(0));
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else {
                // Out of file descriptors, or the like: wait for some to close.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = stream.write_all(&bad_request(503, "同时打开的连接太多，请稍后再试").bytes(false));
                continue;
            }
            let counted = Open(Arc::clone(&open));
            let (guard, jobs) = (Arc::clone(&accepting), jobs.clone());
            let _ = std::thread::Builder::new().name("jixiao-serve-connection".into()).spawn(move || {
                let _counted = counted;
                connection(stream, &guard, &jobs);
            });
        }
    });
    for (req, back) in requests {
        // A defect in one request is that request's error, not the end of the editor.
        let run = std::panic::AssertUnwindSafe(|| handle(&req, &mut app, &guard));
        let reply = std::panic::catch_unwind(run)
            .unwrap_or_else(|_| bad_request(500, "内部错误：jixiao 的程序缺陷；这一步没有完成，请把操作步骤报告给开发者"));
        let _ = back.send(reply);
    }
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

/// Answer a request that passed the guards.
fn handle(req: &Request, app: &mut App, guard: &Guard) -> Reply {
    let url = req.url.as_str();
    let route = req.route();
    if app.session.is_none() {
        return start(req, app, route, guard);
    }
    if (req.method.as_str(), route) == ("POST", "/api/new_year") {
        return new_year(req, app);
    }
    let Some(session) = app.session.as_mut() else {
        return start(req, app, route, guard);
    };
    match (req.method.as_str(), route) {
        ("GET", "/") => page(guard),
        ("GET", "/api/model") => json_reply(200, &session.model()),
        ("GET", "/api/state") => {
            // Another program changed the file and nothing here is unsaved: take its version.
            if !session.dirty() && session.changed_on_disk() && session.reload().is_ok() {
                let mut m = session.model();
                m["reloaded"] = json!(true);
                return json_reply(200, &m);
            }
            json_reply(200, &session.state())
        }
        ("POST", "/api/edit") => {
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
        ("POST", "/api/outline") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let (Some(op), Some(path)) = (body.get("op").and_then(Json::as_str), body.get("path").and_then(Json::as_str)) else {
                return refuse(400, "缺少 op 或 path");
            };
            let count = body.get("count").and_then(Json::as_u64).map(|n| n.min(64) as usize);
            match session.structure(op, path, count, body.get("to").and_then(Json::as_str)) {
                Ok(focus) => {
                    let mut m = session.model();
                    m["focus"] = json!(focus);
                    json_reply(200, &m)
                }
                Err(m) => json_reply(400, &json!({"error": m})),
            }
        }
        ("POST", "/api/find") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let needle = body.get("find").and_then(Json::as_str).unwrap_or("");
            json_reply(200, &session.find(needle, body.get("number").and_then(Json::as_bool).unwrap_or(false)))
        }
        ("POST", "/api/replace") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let (Some(needle), Some(with)) = (body.get("find").and_then(Json::as_str), body.get("with").and_then(Json::as_str)) else {
                return refuse(400, "缺少 find 或 with");
            };
            if needle.is_empty() {
                return json_reply(400, &json!({"error": "请先填写要查找的文字"}));
            }
            let number = body.get("number").and_then(Json::as_bool).unwrap_or(false);
            let at = body.get("path").and_then(Json::as_str).map(|p| (p, body.get("nth").and_then(Json::as_u64).unwrap_or(0) as usize));
            match session.replace(needle, with, number, at) {
                Ok(n) => {
                    let mut m = session.model();
                    m["replaced"] = json!(n);
                    m["found"] = session.find(needle, number);
                    json_reply(200, &m)
                }
                Err(m) => json_reply(400, &json!({"error": m})),
            }
        }
        ("POST", "/api/todo") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let Some(item) = body.get("done").and_then(Json::as_str) else { return refuse(400, "缺少 done") };
            match session.tick(item) {
                Ok(()) => json_reply(200, &session.model()),
                Err(m) => json_reply(400, &json!({"error": m})),
            }
        }
        ("POST", "/api/undo") => {
            session.undo();
            json_reply(200, &session.model())
        }
        ("POST", "/api/save") => {
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
        ("POST", "/api/reload") => match session.reload() {
            Ok(()) => json_reply(200, &session.model()),
            Err(f) => json_reply(
                422,
                &json!({"error": f.iter().map(|f| format!("{}：{}", f.severity.label(), f.message)).collect::<Vec<_>>().join("\n")}),
            ),
        },
        ("GET", "/report.pdf") => match session.pdf() {
            Ok(bytes) => {
                let name = session.path().with_extension("pdf");
                let name = name.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report.pdf".into());
                let disposition = format!("attachment; filename=\"report.pdf\"; filename*=UTF-8''{}", percent(&name));
                reply(200, "application/pdf", bytes).with_header("Cache-Control", "no-store").with_header("Content-Disposition", &disposition)
            }
            Err(m) => refuse(422, &m),
        },
        ("GET", r) if r.starts_with("/page/") && r.ends_with(".png") => {
            let n = r["/page/".len()..r.len() - 4].parse::<usize>().ok();
            let v = query(url, "v").unwrap_or_default();
            match n.and_then(|n| session.page_png(n.wrapping_sub(1), &v)) {
                // The URL names the page's content: it may be kept.
                Some(png) => reply(200, "image/png", Arc::unwrap_or_clone(png)).with_header("Cache-Control", "private, max-age=31536000, immutable"),
                None => refuse(404, "没有这一页（页面已更新）"),
            }
        }
        _ => refuse(404, "没有这个地址"),
    }
}

/// 新年度: the report moved to a new year (see [`crate::input::new_year`])
/// in a new file named for it, which the editor then edits; last year's
/// file stays as it was saved. The answer lists where the old year is
/// still written.
fn new_year(req: &Request, app: &mut App) -> Reply {
    let Some(session) = app.session.as_ref() else { return refuse(409, "还没有打开数据文件") };
    let body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(year) = body.get("year").and_then(Json::as_i64).and_then(|y| i32::try_from(y).ok()) else {
        return json_reply(400, &json!({"error": "年度请写四位数字，如 2025"}));
    };
    let moved = match crate::input::new_year::advance(session.text(), year) {
        Ok(n) => n,
        Err(m) => return json_reply(400, &json!({"error": m})),
    };
    let old_name = session.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = session.path().file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let made = free_name(&app.dir, &crate::input::new_year::file_stem(&stem, moved.from, year)).and_then(|n| create(&app.dir, &n, &moved.text));
    let path = match made {
        Ok(p) => p,
        Err(m) => return json_reply(400, &json!({"error": m})),
    };
    let opened = match Session::open(&path, app.options.clone()) {
        Ok(s) => s,
        Err(f) => return json_reply(422, &json!({"error": f.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("\n")})),
    };
    let mut m = opened.model();
    m["new_year"] = json!({
        "from": moved.from,
        "to": year,
        "moved": moved.moved,
        "date_removed": moved.date_removed,
        "old_file": old_name,
        "file": path.file_name().map(|n| n.to_string_lossy().into_owned()),
        "found": moved.from.map(|y| opened.find(&y.to_string(), true)),
    });
    app.session = Some(opened);
    json_reply(200, &m)
}

/// The editor's page, with the token in its script (no cookie: a browser
/// would send it to every other service on 127.0.0.1).
fn page(guard: &Guard) -> Reply {
    reply(200, "text/html; charset=utf-8", assets::page(&guard.token).into_bytes())
        .with_header("Cache-Control", "no-store")
        .with_header(
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        )
}

/// Before a report is open: the page offers `init` (a framework), `import`
/// (an uploaded report) or a data file already in the folder. The new
/// file goes into the folder, never over a file that is there.
fn start(req: &Request, app: &mut App, route: &str, guard: &Guard) -> Reply {
    let made = match (req.method.as_str(), route) {
        ("GET", "/") => return page(guard),
        ("GET", "/api/model") | ("GET", "/api/state") => return json_reply(200, &json!({"start": start_info(&app.dir)})),
        ("POST", "/api/init") => {
            let body = match body_json(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let text = |k: &str| body.get(k).and_then(Json::as_str).map(str::trim).filter(|s| !s.is_empty());
            let year = match body.get("year").and_then(Json::as_i64) {
                Some(y) => y as i32,
                None => crate::input::starter::last_year(),
            };
            let name = match plain_name(text("name").unwrap_or("绩效自评报告.toml")) {
                Ok(n) => n,
                Err(m) => return json_reply(400, &json!({"error": m})),
            };
            match crate::input::starter::text(text("framework"), text("unit"), year) {
                Ok(t) => create(&app.dir, &name, &t).map(|p| {
                    let schema = app.dir.join(crate::input::starter::SCHEMA_FILE);
                    if std::fs::symlink_metadata(&schema).is_err() {
                        let _ = std::fs::write(&schema, crate::input::schema::schema_json() + "\n");
                    }
                    (p, None)
                }),
                Err(m) => Err(m),
            }
        }
        ("POST", "/api/import") => {
            let name = req.header("X-File-Name").map(|n| percent_decode(&n)).unwrap_or_default();
            let year = query(&req.url, "year").and_then(|y| y.parse::<i32>().ok());
            if let Some(y) = year
                && !crate::input::model::YEARS.contains(&y)
            {
                return json_reply(400, &json!({"error": format!("年度 {y} 超出范围")}));
            }
            let bytes = &req.body;
            // The uploaded file's own name, without any folder it names.
            let base = name.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            let (stem, ext) = base.rsplit_once('.').unwrap_or((base.as_str(), ""));
            let exe = std::env::current_exe().ok();
            // The new year is the same step as 新年度 (and `jixiao import --year`).
            let imported = crate::import::import_bytes(bytes, ext, exe.as_deref()).and_then(|(text, summary)| match year {
                None => Ok((text, summary, stem.to_string())),
                Some(y) if crate::input::new_year::year_of(&text) == Some(y) => Ok((text, summary, stem.to_string())),
                Some(y) => crate::input::new_year::advance(&text, y).map(|n| (n.text, summary, crate::input::new_year::file_stem(stem, n.from, y))),
            });
            match imported {
                Ok((text, summary, stem)) => free_name(&app.dir, &stem).and_then(|n| create(&app.dir, &n, &super::todo::prepend(&text, &summary.notes))).map(|p| {
                    // What import was unsure of is the to-do list in the file (see `todo`).
                    let notes = vec![format!("已从{}导入，写入 {}。请逐项核对；需要核对的地方列在“导入后待核对”中，核对一项勾掉一项。", summary.source_kind, p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())];
                    (p, Some(notes))
                }),
                Err(m) => Err(m),
            }
        }
        ("POST", "/api/open") => {
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
        "dir": crate::base::diagnostic::shown_path(dir),
        "year": crate::input::starter::last_year(),
        "frameworks": crate::input::starter::FRAMEWORKS.iter().map(|(k, d, _)| json!({"key": k, "label": d})).collect::<Vec<_>>(),
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
        || name.chars().any(|c| matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() || crate::base::diagnostic::is_bidi_control(c));
    if bad {
        return Err(format!("文件名“{}”不能用：请只写文件名，不含文件夹和 / \\ : * ? \" < > | 等符号", crate::base::diagnostic::shown(name)));
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
    match crate::base::files::write_new(&path, text.as_bytes()) {
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

fn body_json(req: &Request) -> Result<Json, Reply> {
    serde_json::from_slice(&req.body).map_err(|_| refuse(400, "请求不是 JSON"))
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
