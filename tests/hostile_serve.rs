//! `jixiao serve` against hostile clients (issue 24): sizes bounded before
//! anything is read, slow clients timed out while others are served, bad
//! requests answered with an error and never a crash, and a token that
//! stays off cookies and off the browser opener's command line.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PARAGRAPH_SECTION: &str = "sections[0].sections[0].sections[1]";
/// Long enough for a loaded 2-core machine; a healthy server answers in well under a second.
const PATIENCE: Duration = Duration::from_secs(60);

struct Served {
    child: Child,
    url: String,
    port: u16,
    token: String,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `jixiao serve` on a copy of the seed, with `env` added; `--no-open` unless `open`.
fn start_with(env: &[(&str, &Path)], open: bool) -> Served {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::seed_data(), dir.path().join("seed.toml")).unwrap();
    let mut cmd = common::bin();
    cmd.args(["serve", "seed.toml", "--port", "0"]);
    if !open {
        cmd.arg("--no-open");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.current_dir(dir.path()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap_or_else(|| panic!("first line is not the URL: {url:?}"));
    let (port, token) = rest.split_once("/?token=").unwrap();
    Served { port: port.parse().unwrap(), token: token.to_string(), url, child, _dir: dir }
}

fn start() -> Served {
    start_with(&[], false)
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    s.set_write_timeout(Some(PATIENCE)).unwrap();
    s
}

/// One response: status, lower-cased head, body (by its Content-Length).
/// An error when the connection ends or times out first.
fn read_response(s: &mut TcpStream) -> Result<(u16, String, Vec<u8>), String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    let (head, start) = loop {
        let n = s.read(&mut buf).map_err(|e| format!("no answer: {e}"))?;
        if n == 0 {
            return Err(format!("connection closed without an answer (read {} bytes)", out.len()));
        }
        out.extend_from_slice(&buf[..n]);
        if let Some(end) = out.windows(4).position(|w| w == b"\r\n\r\n") {
            break (String::from_utf8_lossy(&out[..end]).to_ascii_lowercase(), end + 4);
        }
    };
    let length = head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())).unwrap_or(0);
    while out.len() < start + length {
        let n = s.read(&mut buf).map_err(|e| format!("body cut off: {e}"))?;
        if n == 0 {
            return Err("body cut off".into());
        }
        out.extend_from_slice(&buf[..n]);
    }
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| format!("not HTTP: {head}"))?;
    Ok((status, head, out[start..start + length].to_vec()))
}

/// A complete request on a new connection; `token` adds the token header.
fn request(s: &Served, method: &str, path: &str, token: bool, headers: &[(&str, &str)], body: &str) -> Result<(u16, String, Vec<u8>), String> {
    let mut c = connect(s.port);
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n", s.port, body.len());
    if token {
        req.push_str(&format!("X-Jixiao-Token: {}\r\n", s.token));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    c.write_all(req.as_bytes()).map_err(|e| format!("could not send: {e}"))?;
    read_response(&mut c)
}

fn api(s: &Served, method: &str, path: &str, body: Value) -> (u16, Value) {
    let (status, _, bytes) = request(s, method, path, true, &[], &body.to_string()).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// The server is still running and answers the real user.
fn still_serves(s: &mut Served) {
    let t = Instant::now();
    let answer = request(s, "GET", "/api/state", true, &[], "");
    let elapsed = t.elapsed();
    if answer.is_err() {
        std::thread::sleep(Duration::from_millis(500));
    }
    if let Some(status) = s.child.try_wait().unwrap() {
        panic!("the server ended: {status}");
    }
    let (status, _, body) = answer.unwrap_or_else(|e| panic!("the real user was not served within {elapsed:?}: {e}"));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

/// The server's resident memory, in KiB.
fn rss_kib(s: &Served) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id())).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
}

fn is_chinese(text: &[u8]) -> bool {
    String::from_utf8_lossy(text).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_huge_content_length_is_refused_before_anything_is_read() {
    let mut s = start();
    for token in [false, true] {
        let mut c = connect(s.port);
        let auth = if token { format!("X-Jixiao-Token: {}\r\n", s.token) } else { String::new() };
        let head = format!("POST /api/edit HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{auth}Content-Length: 1000000000000\r\n\r\n{{}}", s.port);
        c.write_all(head.as_bytes()).unwrap();
        let (status, _, body) = read_response(&mut c).unwrap_or_else(|e| panic!("token {token}: {e}"));
        assert!((400..500).contains(&status), "token {token}: {status}");
        if token {
            assert_eq!(status, 413);
        }
        assert!(is_chinese(&body), "{}", String::from_utf8_lossy(&body));
        still_serves(&mut s);
    }
}

#[test]
fn a_slow_body_is_timed_out_while_others_are_served() {
    let mut s = start();
    // Two clients send the start of their body and wait: one without the token, one with it.
    let mut slow = Vec::new();
    for token in [false, true] {
        let mut c = connect(s.port);
        let auth = if token { format!("X-Jixiao-Token: {}\r\n", s.token) } else { String::new() };
        let head = format!("POST /api/edit HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{auth}Content-Length: 10000\r\n\r\n{{\"path\": ", s.port);
        c.write_all(head.as_bytes()).unwrap();
        slow.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    still_serves(&mut s);
    let (status, _, edited) = request(&s, "POST", "/api/edit", true, &[], &json!({"path": "unit", "value": "甲单位"}).to_string()).unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&edited));
    // The slow ones get an answer of their own (refused, or timed out), not a hang.
    for (mut c, token) in slow.into_iter().zip([false, true]) {
        let (status, _, body) = read_response(&mut c).unwrap_or_else(|e| panic!("token {token}: {e}"));
        assert!((400..500).contains(&status), "token {token}: {status}");
        if token {
            assert_eq!(status, 408);
        }
        assert!(is_chinese(&body));
    }
    // The half-sent edit left nothing behind: only the one complete edit is there.
    let (_, model) = api(&s, "GET", "/api/model", json!(null));
    assert_eq!(model["state"]["dirty"], true);
    let (status, _) = api(&s, "POST", "/api/undo", json!({}));
    assert_eq!(status, 200);
    let (_, state) = api(&s, "GET", "/api/state", json!(null));
    assert_eq!(state["dirty"], false, "{state}");
}

#[test]
fn an_endless_header_line_is_cut_off() {
    let mut s = start();
    let before = rss_kib(&s);
    let mut c = connect(s.port);
    c.write_all(b"GET /").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0usize;
    let mut refused = None;
    while sent < 64 << 20 {
        match c.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    assert!(refused.is_some(), "the server read {} MiB of one header line", sent >> 20);
    assert!(sent < 32 << 20, "the server read {} MiB before stopping", sent >> 20);
    let grown = rss_kib(&s).saturating_sub(before);
    assert!(grown < 16 << 10, "the server grew by {grown} KiB");
    still_serves(&mut s);
}

#[test]
fn an_endless_chunked_body_is_refused() {
    let mut s = start();
    let mut c = connect(s.port);
    let head = format!(
        "POST /api/edit HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Jixiao-Token: {}\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.port, s.token
    );
    c.write_all(head.as_bytes()).unwrap();
    let mut writer = c.try_clone().unwrap();
    // A chunk every 50 ms, for as long as the server takes them (at most a minute).
    let feeding = std::thread::spawn(move || {
        let t = Instant::now();
        while t.elapsed() < PATIENCE {
            if writer.write_all(b"1\r\n \r\n").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    still_serves(&mut s);
    let (status, _, body) = read_response(&mut c).expect("an answer to the chunked request");
    assert!(status == 411 || status == 413, "{status}");
    assert!(is_chinese(&body));
    drop(c);
    feeding.join().unwrap();
    still_serves(&mut s);
}

#[test]
fn structural_edits_past_the_end_are_errors_and_change_nothing() {
    let mut s = start();
    let big = usize::MAX.to_string();
    let cases = [
        ("paragraph_add", format!("{PARAGRAPH_SECTION}.blocks[99]")),
        ("paragraph_add", format!("{PARAGRAPH_SECTION}.blocks[{big}]")),
        ("section_after", "sections[99]".to_string()),
        ("up", "sections[99]".to_string()),
        ("down", format!("sections[{big}]")),
        ("indent", "sections[99]".to_string()),
        ("outdent", "sections[0].sections[99]".to_string()),
        ("delete", "sections[99]".to_string()),
        ("delete", format!("{PARAGRAPH_SECTION}.blocks[{big}]")),
    ];
    for (op, path) in &cases {
        let (status, _, body) = request(&s, "POST", "/api/outline", true, &[], &json!({"op": op, "path": path}).to_string())
            .unwrap_or_else(|e| panic!("{op} {path}: {e}"));
        assert_eq!(status, 400, "{op} {path}: {}", String::from_utf8_lossy(&body));
        assert!(is_chinese(&body), "{op} {path}");
        let (_, state) = api(&s, "GET", "/api/state", json!(null));
        assert_eq!(state["dirty"], false, "{op} {path} changed the report");
    }
    still_serves(&mut s);
}

#[test]
fn no_cookie_is_set_and_none_is_taken_for_the_token() {
    let s = start();
    let token_query = format!("/?token={}", s.token);
    let (status, head, _) = request(&s, "GET", &token_query, false, &[], "").unwrap();
    assert_eq!(status, 200);
    assert!(!head.contains("set-cookie"), "{head}");
    for (path, token) in [("/api/model", true), ("/api/model", false), ("/", false)] {
        let (_, head, _) = request(&s, "GET", path, token, &[], "").unwrap();
        assert!(!head.contains("set-cookie"), "{path}: {head}");
    }
    // A cookie of the old name opens nothing: any service on 127.0.0.1 sees the cookies of every port.
    let cookie = format!("jixiao_token={}", s.token);
    let (status, _, _) = request(&s, "GET", "/api/model", false, &[("Cookie", &cookie)], "").unwrap();
    assert_eq!(status, 403);
    // The page images load with the token in their address, as the page asks for them.
    let (_, model) = api(&s, "GET", "/api/model", json!(null));
    let v = model["state"]["pages"][0].as_str().expect("a page version").to_string();
    let (status, head, png) = request(&s, "GET", &format!("/page/1.png?v={v}&token={}", s.token), false, &[], "").unwrap();
    assert_eq!(status, 200);
    assert!(head.contains("image/png") && png.starts_with(b"\x89PNG"), "{head}");
}

/// A fake `xdg-open` first on PATH, which writes the arguments it was given
/// to `log`, and a private runtime folder for the redirect file.
#[cfg(target_os = "linux")]
struct FakeOpener {
    log: PathBuf,
    path: std::ffi::OsString,
    runtime: tempfile::TempDir,
    _bin: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
fn fake_opener() -> FakeOpener {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("args");
    let opener = bin.path().join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}.part' && mv '{0}.part' '{0}'\n", log.display())).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths([bin.path().to_path_buf()].into_iter().chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).unwrap();
    let runtime = tempfile::tempdir().unwrap();
    std::fs::set_permissions(runtime.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    FakeOpener { log, path, runtime, _bin: bin }
}

#[cfg(target_os = "linux")]
#[test]
fn the_browser_is_opened_through_a_private_file_not_a_token_on_the_command_line() {
    use std::os::unix::fs::PermissionsExt;
    let FakeOpener { log, path, runtime, _bin } = fake_opener();
    let s = start_with(&[("PATH", Path::new(&path)), ("XDG_RUNTIME_DIR", runtime.path())], true);
    let t = Instant::now();
    while !log.exists() {
        assert!(t.elapsed() < PATIENCE, "the browser opener was not run");
        std::thread::sleep(Duration::from_millis(50));
    }
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(!args.contains(&s.token), "the token is on the opener's command line: {args}");
    // The opener is given a file only this user can read, which leads to the address.
    let arg = args.lines().last().unwrap();
    let file = PathBuf::from(arg.strip_prefix("file://").unwrap_or(arg));
    let meta = std::fs::metadata(&file).unwrap_or_else(|e| panic!("{arg}: {e}"));
    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{arg}");
    let folder = std::fs::metadata(file.parent().unwrap()).unwrap();
    assert_eq!(folder.permissions().mode() & 0o077, 0, "{arg}: its folder is open to others");
    assert!(file.starts_with(runtime.path()), "{arg} is not in the user's runtime folder");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains(&s.url), "{html}");
    // It goes when the server is stopped.
    let mut s = s;
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    let _ = s.child.wait();
    assert!(!file.exists(), "{arg} is left behind");
}

/// Started with no arguments at all, as a double-click starts it: the
/// editor starts in the current folder, opens the browser and says in
/// Chinese what it does and how to stop it; no usage text.
#[cfg(target_os = "linux")]
#[test]
fn no_arguments_start_the_editor_in_the_current_folder_and_open_the_browser() {
    let FakeOpener { log, path, runtime, _bin } = fake_opener();
    let folder = tempfile::tempdir().unwrap();
    let err = folder.path().join("stderr.txt");
    let mut child = common::bin()
        .current_dir(folder.path())
        .env("PATH", &path)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap_or_else(|| panic!("first line is not the editor's address: {url:?}"));
    let (port, token) = rest.split_once("/?token=").unwrap();
    let t = Instant::now();
    while !log.exists() {
        assert!(t.elapsed() < PATIENCE, "the browser was not opened");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The start page answers, for the current folder.
    let mut s = connect(port.parse().unwrap());
    write!(s, "GET /api/state?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Jixiao-Token: {token}\r\nConnection: close\r\n\r\n").unwrap();
    let (status, _, body) = read_response(&mut s).unwrap();
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("\"start\""), "{}", String::from_utf8_lossy(&body));
    let said = std::fs::read_to_string(&err).unwrap();
    assert!(said.contains("正在启动报告编辑器") && said.contains("Ctrl+C") && !said.contains("Usage"), "{said}");
}
