//! `jixiao serve`: the address it prints, the guards on every request, edits
//! that keep the file's comments, the save, and a real headless Chromium
//! driving the page over the DevTools protocol.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lechang-fulian-2022.toml");
const CHROMIUM: &str = "/usr/bin/chromium";
const PARAGRAPH: &str = "sections[0].sections[0].sections[1].blocks[0].paragraph";
const PERSONNEL: &str = "finance.expenditure.personnel";

struct Served {
    child: Child,
    url: String,
    port: u16,
    token: String,
    dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn data(&self) -> PathBuf {
        self.dir.path().join("lechang-fulian-2022.toml")
    }
}

/// Start `jixiao serve` on a copy of the seed; the first line of stdout is the URL.
fn start() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("lechang-fulian-2022.toml");
    std::fs::copy(SEED, &data).unwrap();
    spawn(dir, &["serve", "lechang-fulian-2022.toml", "--port", "0", "--no-open"])
}

/// Start `jixiao serve` without a data file, in `dir`.
fn start_without_data(dir: tempfile::TempDir) -> Served {
    spawn(dir, &["serve", "--port", "0", "--no-open"])
}

fn spawn(dir: tempfile::TempDir, args: &[&str]) -> Served {
    // `JIXIAO_TEST_BIN` names another build (an older one, to show a test fails on it).
    let mut child = Command::new(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap_or_else(|| panic!("first line is not the URL: {url:?}"));
    let (port, token) = rest.split_once("/?token=").unwrap();
    assert!(token.len() >= 32 && token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    Served { port: port.parse().unwrap(), token: token.to_string(), url, child, dir }
}

/// One raw HTTP/1.1 request: status and body.
fn request(port: u16, method: &str, path: &str, host: &str, headers: &[(&str, &str)], body: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    // Read to the end of the body as its length says: not every server
    // (Chromium's DevTools) closes the connection when asked to.
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    let (head, body_start, length) = loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed before the headers");
        out.extend_from_slice(&buf[..n]);
        if let Some(end) = out.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&out[..end]).to_ascii_lowercase();
            let length = head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()));
            break (head, end + 4, length);
        }
    };
    match length {
        Some(len) => {
            while out.len() < body_start + len {
                let n = s.read(&mut buf).unwrap();
                assert!(n > 0, "connection closed in the body");
                out.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            s.read_to_end(&mut out).unwrap();
        }
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = out[body_start..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else { return out };
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 4 + n..];
    }
}

fn api(s: &Served, method: &str, path: &str, body: Value) -> (u16, Value) {
    let host = format!("127.0.0.1:{}", s.port);
    let (status, bytes) = request(s.port, method, path, &host, &[("X-Jixiao-Token", &s.token)], &body.to_string());
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[test]
fn the_address_is_printed_and_every_request_is_guarded() {
    let s = start();
    let host = format!("127.0.0.1:{}", s.port);
    let with_token = format!("/?token={}", s.token);
    // No token, a wrong token, a foreign Host (DNS rebinding): refused.
    assert_eq!(request(s.port, "GET", "/", &host, &[], "").0, 403);
    assert_eq!(request(s.port, "GET", "/?token=0123", &host, &[], "").0, 403);
    assert_eq!(request(s.port, "GET", "/api/model", &host, &[], "").0, 403);
    let (status, _) = request(s.port, "GET", &with_token, "evil.example", &[], "");
    assert!((400..500).contains(&status), "{status}");
    let (status, _) = request(s.port, "GET", &with_token, &format!("evil.example:{}", s.port), &[], "");
    assert!((400..500).contains(&status), "{status}");
    // A state-changing request from another site's page, even with the token.
    let (status, _) = request(s.port, "POST", "/api/save", &host, &[("X-Jixiao-Token", &s.token), ("Origin", "http://evil.example")], "{}");
    assert_eq!(status, 403);
    // With the token: the page, by 127.0.0.1 or localhost.
    let (status, page) = request(s.port, "GET", &with_token, &host, &[], "");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("绩效自评报告"));
    assert_eq!(request(s.port, "GET", &with_token, &format!("localhost:{}", s.port), &[], "").0, 200);
    // No cookie stands for the token (cookies of 127.0.0.1 go to every port on it).
    assert_eq!(request(s.port, "GET", "/api/model", &host, &[("Cookie", &format!("jixiao_token={}", s.token))], "").0, 403);
    // Nothing is served from the disk by name.
    let (status, _) = request(s.port, "GET", &format!("/lechang-fulian-2022.toml?token={}", s.token), &host, &[], "");
    assert_eq!(status, 404);
    let (status, _) = request(s.port, "GET", &format!("/../../etc/passwd?token={}", s.token), &host, &[], "");
    assert_eq!(status, 404);
    assert!(s.url.starts_with("http://127.0.0.1:"));
    listens_on_loopback_only(s.port);
}

/// The listening socket is bound to 127.0.0.1 (as `ss -ltn` shows it).
fn listens_on_loopback_only(port: u16) {
    let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else { return };
    let port_hex = format!(":{port:04X}");
    let listening: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols.get(1)?.ends_with(&port_hex) && cols.get(3) == Some(&"0A")).then_some(cols[1])
        })
        .collect();
    assert_eq!(listening, [format!("0100007F{port_hex}")], "{listening:?}");
    if let Ok(t6) = std::fs::read_to_string("/proc/net/tcp6") {
        assert!(!t6.lines().skip(1).any(|l| l.split_whitespace().nth(1).is_some_and(|a| a.ends_with(&port_hex))));
    }
}

#[test]
fn edits_keep_the_comments_and_a_save_changes_only_them() {
    let s = start();
    let before = std::fs::read_to_string(s.data()).unwrap();
    let (status, first) = api(&s, "GET", "/api/model", Value::Null);
    assert_eq!(status, 200);
    let pages: Vec<Value> = first["state"]["pages"].as_array().unwrap().clone();
    assert!(pages.len() > 10);
    let (status, state) = api(&s, "POST", "/api/edit", json!({"path": PARAGRAPH, "value": "我部门无下属单位（已核实）。"}));
    assert_eq!(status, 200);
    let changed = state["pages"].as_array().unwrap().iter().zip(&pages).filter(|(a, b)| a != b).count();
    assert!(changed >= 1, "no page changed");
    let (status, state) = api(&s, "POST", "/api/edit", json!({"path": PERSONNEL, "value": "1050805.99"}));
    assert_eq!(status, 200);
    let sum = state["findings"].as_array().unwrap().iter().find(|f| f["path"] == "finance.expenditure.basic").expect("the wrong sum is found");
    assert!(sum["message"].as_str().unwrap().contains("基本支出应为"), "{sum}");
    assert_eq!(state["stale"], true);
    // A bad path is refused, nothing changed.
    assert_eq!(api(&s, "POST", "/api/edit", json!({"path": "no[9].such", "value": "x"})).0, 400);
    // Saved: only those two lines differ; comments and order are kept.
    assert_eq!(api(&s, "POST", "/api/save", json!({})).0, 200);
    let after = std::fs::read_to_string(s.data()).unwrap();
    assert_only_changed(&before, &after);
    // A change made elsewhere is never overwritten blindly.
    std::fs::write(s.data(), format!("{after}# 另一个编辑器加的注释\n")).unwrap();
    api(&s, "POST", "/api/edit", json!({"path": PERSONNEL, "value": "1050805.88"}));
    let (status, body) = api(&s, "POST", "/api/save", json!({}));
    assert_eq!(status, 409, "{body}");
    assert!(std::fs::read_to_string(s.data()).unwrap().ends_with("# 另一个编辑器加的注释\n"));
    // Undo, then reload from disk.
    let (status, m) = api(&s, "POST", "/api/undo", json!({}));
    assert_eq!(status, 200);
    assert!(m["state"]["findings"].as_array().unwrap().iter().any(|f| f["path"] == "finance.expenditure.basic"));
    assert_eq!(api(&s, "POST", "/api/reload", json!({})).0, 200);
    let leftovers: Vec<_> = std::fs::read_dir(s.dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty());
}

fn assert_only_changed(before: &str, after: &str) {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    assert_eq!(a.len(), b.len());
    let diff: Vec<(&str, &str)> = a.iter().zip(&b).filter(|(x, y)| x != y).map(|(x, y)| (*x, *y)).collect();
    assert_eq!(
        diff,
        [
            ("personnel = \"1050805.88\"", "personnel = \"1050805.99\""),
            ("paragraph = \"我部门无下属单位。\"", "paragraph = \"我部门无下属单位（已核实）。\""),
        ]
    );
}

#[test]
fn the_pdf_download_is_the_render_output() {
    let s = start();
    let (status, pdf) = request(s.port, "GET", &format!("/report.pdf?token={}", s.token), &format!("127.0.0.1:{}", s.port), &[], "");
    assert_eq!(status, 200);
    let out = s.dir.path().join("rendered.pdf");
    let st = Command::new(env!("CARGO_BIN_EXE_jixiao")).arg("render").arg(s.data()).arg("-o").arg(&out).status().unwrap();
    assert!(st.success());
    assert!(std::fs::read(&out).unwrap() == pdf, "the download differs from jixiao render");
}

// ---- Headless Chromium

/// One browser at a time: two headless Chromiums started together by the
/// test threads stalled each other for minutes on a 2-core machine.
static BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn chromium_or_skip() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    eprintln!("跳过浏览器测试：没有 {CHROMIUM}（apt-get install chromium；.ci/run 会安装）");
    false
}

fn chromium_args(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1400,900",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

#[test]
fn a_headless_browser_dom_holds_the_unit_and_first_heading() {
    if !chromium_or_skip() {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let s = start();
    // Over the DevTools protocol, with a deadline: `--dump-dom` with a
    // virtual time budget could wait for ever on the page's own polling.
    let mut b = Browser::open(&s.url);
    b.wait_for("document.body.dataset.ready === '1'", "the editor to load");
    let dom = b.eval("document.documentElement.outerHTML");
    let dom = dom.as_str().unwrap_or("");
    assert!(dom.contains("乐昌市妇女联合会"), "{dom}");
    assert!(dom.contains("一、部门的基本情况"), "{dom}");
    assert!(dom.contains("data-page=\"1\""), "no page images in the DOM");
}

/// A page in Chromium, driven over the DevTools protocol.
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(CHROMIUM)
            .args(chromium_args(profile.path()))
            .arg("--remote-debugging-port=0")
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Chromium writes its DevTools port into the profile folder.
        let deadline = Instant::now() + Duration::from_secs(60);
        let port = loop {
            let file = std::fs::read_to_string(profile.path().join("DevToolsActivePort")).unwrap_or_default();
            if let Some(p) = file.lines().next().and_then(|l| l.trim().parse::<u16>().ok()) {
                break p;
            }
            assert!(Instant::now() < deadline, "Chromium wrote no DevTools port");
            std::thread::sleep(Duration::from_millis(100));
        };
        // The page target opened with the URL.
        let deadline = Instant::now() + Duration::from_secs(30);
        let ws_url = loop {
            let (_, body) = request(port, "GET", "/json/list", &format!("127.0.0.1:{port}"), &[], "");
            let list: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if let Some(t) = list.as_array().and_then(|l| l.iter().find(|t| t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.contains("token="))))
            {
                break t["webSocketDebuggerUrl"].as_str().unwrap().to_string();
            }
            assert!(Instant::now() < deadline, "no page target");
            std::thread::sleep(Duration::from_millis(200));
        };
        if std::env::var_os("JIXIAO_TEST_VERBOSE").is_some() {
            eprintln!("page target {ws_url}");
        }
        let (ws, _) = tungstenite::connect(ws_url.as_str()).unwrap();
        if let tungstenite::stream::MaybeTlsStream::Plain(t) = ws.get_ref() {
            t.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
        }
        Browser { child, ws, next: 1, _profile: profile }
    }

    /// Evaluate `js` in the page (awaiting a promise); its value as JSON.
    fn eval(&mut self, js: &str) -> Value {
        self.try_eval(js).unwrap_or_else(|e| panic!("{js}: {e}"))
    }

    /// Evaluate `js`; a script exception (the page not loaded yet) is an `Err`.
    fn try_eval(&mut self, js: &str) -> Result<Value, Value> {
        let id = self.next;
        self.next += 1;
        if std::env::var_os("JIXIAO_TEST_VERBOSE").is_some() {
            eprintln!("eval {id}: {}", js.chars().take(80).collect::<String>());
        }
        let msg = json!({"id": id, "method": "Runtime.evaluate", "params": {"expression": js, "awaitPromise": true, "returnByValue": true}});
        self.ws.send(tungstenite::Message::Text(msg.to_string().into())).unwrap();
        loop {
            let m = self.ws.read().unwrap_or_else(|e| panic!("no answer from Chromium to {js}: {e}"));
            let Ok(text) = m.to_text() else { continue };
            let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            if v["id"] == id {
                if let Some(e) = v["result"].get("exceptionDetails") {
                    return Err(e.clone());
                }
                return Ok(v["result"]["result"]["value"].clone());
            }
        }
    }

    fn wait_for(&mut self, js: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        // Until the page has loaded, `document.body` may be null: an exception is "not yet".
        loop {
            let last = self.try_eval(js);
            if last == Ok(Value::Bool(true)) {
                break;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: {last:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Type `value` into the field of `path`, as a user would.
    fn type_into(&mut self, path: &str, value: &str) {
        let js = format!(
            "(async () => {{ const i = document.querySelector('[data-path=\"{path}\"] .rich, [data-path=\"{path}\"] textarea, [data-path=\"{path}\"] input'); \
             i.focus(); i.value = {v}; i.dispatchEvent(new Event('input', {{bubbles: true}})); await window.jixiaoIdle(); return true; }})()",
            v = serde_json::to_string(value).unwrap()
        );
        assert_eq!(self.eval(&js), Value::Bool(true));
    }
}

/// One browser at a time (they share two cores), on a server of a copy of
/// the seed: the lock, the server, the file as it was, the loaded editor.
fn editor_on_seed() -> (std::sync::MutexGuard<'static, ()>, Served, String, Browser) {
    let one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let s = start();
    let before = std::fs::read_to_string(s.data()).unwrap();
    let mut b = Browser::open(&s.url);
    b.wait_for("document.body.dataset.ready === '1'", "the editor to load");
    (one, s, before, b)
}

#[test]
fn a_browser_edits_sees_findings_and_pages_and_saves() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, before, mut b) = editor_on_seed();
    assert_eq!(b.eval("document.getElementById('docname').textContent.includes('乐昌市妇女联合会')"), Value::Bool(true));
    assert_eq!(b.eval("document.querySelector('#tree a').textContent"), Value::from("一、部门的基本情况"));
    let srcs = "JSON.stringify([...document.querySelectorAll('#pagelist img')].map(i => i.getAttribute('src')))";
    b.wait_for("(() => { const i = document.querySelector('#pagelist img'); return i.complete && i.naturalWidth > 0; })()", "the first page to load");
    let first = b.eval(srcs);

    b.type_into(PARAGRAPH, "我部门无下属单位（已核实）。");
    let second = b.eval(srcs);
    assert_ne!(first, second, "no page image changed after the edit");
    // Every changed page image is served, as a PNG.
    let served = "(async () => { const out = []; for (const i of document.querySelectorAll('#pagelist img')) { \
        const r = await fetch(i.getAttribute('src')); out.push(r.status === 200 && r.headers.get('content-type') === 'image/png'); } \
        return out.every(x => x); })()";
    assert_eq!(b.eval(served), Value::Bool(true));

    b.type_into(PERSONNEL, "1050805.99");
    let finding = b.eval("(document.querySelector('[data-path=\"finance.expenditure.basic\"] .finding.error') || {}).textContent || ''");
    let finding = finding.as_str().unwrap();
    assert!(finding.starts_with("错误：基本支出应为 人员经费 1050805.99"), "{finding}");
    assert_eq!(b.eval("document.querySelector('[data-path=\"finance.expenditure.basic\"]').classList.contains('has-error')"), Value::Bool(true));
    assert_eq!(b.eval("document.getElementById('pagelist').classList.contains('stale')"), Value::Bool(true));

    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    assert_only_changed(&before, &std::fs::read_to_string(s.data()).unwrap());
    assert_eq!(b.eval("document.getElementById('status').textContent.includes('已保存')"), Value::Bool(true));
}

impl Browser {
    /// A real mouse click at (x, y) in the page's viewport.
    fn click_at(&mut self, x: f64, y: f64) {
        for kind in ["mousePressed", "mouseReleased"] {
            let id = self.next;
            self.next += 1;
            let msg = json!({"id": id, "method": "Input.dispatchMouseEvent",
                "params": {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}});
            self.ws.send(tungstenite::Message::Text(msg.to_string().into())).unwrap();
            loop {
                let m = self.ws.read().unwrap();
                let Ok(text) = m.to_text() else { continue };
                if serde_json::from_str::<Value>(text).unwrap_or(Value::Null)["id"] == id {
                    break;
                }
            }
        }
    }

    /// Click page `n` (1-based) at a fraction `y` of its height, in the
    /// middle of the line; the path of the field that took the focus.
    fn click_page(&mut self, n: usize, y: f64) -> Value {
        let img = format!("document.querySelector('#pagelist img[data-page=\"{n}\"]')");
        self.wait_for(&format!("(() => {{ const i = {img}; return !!i && i.complete && i.naturalWidth > 0; }})()"), "the page image");
        let rect = self.eval(&format!(
            "(() => {{ const i = {img}; i.scrollIntoView({{block: 'start'}}); const r = i.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }})()"
        ));
        let r: Vec<f64> = rect.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        self.eval("document.activeElement && document.activeElement.blur(), true");
        self.click_at(r[0] + r[2] * 0.5, r[1] + r[3] * y);
        self.eval("(() => { const a = document.activeElement; const f = a && a.closest('[data-path]'); return f ? f.dataset.path : null; })()")
    }

    /// Click the tool `op` of the element with `path` (a section, block,
    /// attachment or table row), as a user would.
    fn tool(&mut self, path: &str, op: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector('.section[data-path=\"{path}\"], .attachment[data-path=\"{path}\"], [data-block=\"{path}\"], [data-row=\"{path}\"]'); \
             const b = e && e.querySelector(':scope > .section-top [data-op=\"{op}\"], :scope > .block-bar [data-op=\"{op}\"], :scope > .att-row [data-op=\"{op}\"], :scope > td.act [data-op=\"{op}\"]'); \
             if (!b || b.disabled) return false; b.click(); return true; }})()"
        );
        assert_eq!(self.eval(&js), Value::Bool(true), "no {op} tool on {path}");
    }

    /// Wait until no edit is in flight.
    fn settle(&mut self) {
        self.wait_for("!document.body.classList.contains('busy') && !document.querySelector('.modal-back')", "the edit to finish");
        assert_eq!(self.eval("(async () => { await window.jixiaoIdle(); return true; })()"), Value::Bool(true));
    }

    /// Fill every indicator's score in the grid: full marks, but one point
    /// off the first. The number of scores filled.
    fn fill_every_score(&mut self) -> Value {
        self.eval(
            "(async () => { let n = 0; for (const tr of document.querySelectorAll('#scores tbody tr')) { \
               const i = tr.querySelector('[data-path$=\".score\"] input'); const wi = tr.children[1].querySelector('input'); \
               const w = wi ? wi.value || wi.placeholder : tr.children[1].textContent; if (!i || !w) continue; \
               i.value = String(Number(w) - (n === 0 ? 1 : 0)); i.dispatchEvent(new Event('input', {bubbles: true})); n++; } \
               await window.jixiaoIdle(); return n; })()",
        )
    }

    /// Pick `date` (YYYY-MM-DD) in the 成文日期 date picker.
    fn pick_closing_date(&mut self, date: &str) {
        self.eval(&format!(
            "(() => {{ const i = document.getElementById('closing-date'); i.value = '{date}'; i.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
        ));
    }
}

fn tree_links(b: &mut Browser) -> Vec<String> {
    let v = b.eval("JSON.stringify([...document.querySelectorAll('#tree > li > a')].map(a => a.textContent))");
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

/// The text of the PDF the page offers, without spaces.
fn pdf_text(s: &Served) -> String {
    let (status, pdf) = request(s.port, "GET", &format!("/report.pdf?token={}", s.token), &format!("127.0.0.1:{}", s.port), &[], "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
    jixiao::import::pdf::page_texts(&pdf).unwrap().concat().chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_browser_goes_from_page_to_field_and_edits_the_outline() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, before, mut b) = editor_on_seed();

    // Click the text on a page: its field takes the focus. Page 2 of the
    // seed begins with 2.纳入预算编制范围下属单位。(line 1), then the
    // paragraph 我部门无下属单位。(line 2), then 3.部门人员编制构成。(line 3).
    // The type area starts 37 mm down the 297 mm page; the lines are 29.6 pt
    // apart, 16 pt high; a click goes to the middle of one.
    let line = |n: f64| (37.0 / 25.4 * 72.0 + (n - 1.0) * 29.6 + 8.0) / 841.89;
    assert_eq!(b.click_page(2, line(2.0)), Value::from(PARAGRAPH));
    assert_eq!(b.click_page(2, line(3.0)), Value::from("sections[0].sections[0].sections[2].title"));
    assert_eq!(b.click_page(2, line(1.0)), Value::from("sections[0].sections[0].sections[1].title"));
    // The title, above the first heading of page 1.
    assert_eq!(b.click_page(1, 0.2), Value::from("title"));

    // Move 一、部门的基本情况 down: it becomes 二、, with everything under it.
    let pages = b.eval("JSON.stringify(state.pages)");
    b.tool("sections[0]", "down");
    b.settle();
    let links = tree_links(&mut b);
    assert_eq!(links[..3], ["一、自评结论", "二、部门的基本情况", "三、绩效分析"], "{links:?}");
    assert_ne!(b.eval("JSON.stringify(state.pages)"), pages, "the pages did not change");
    // A subsection under 一、自评结论, named as a user would type it.
    b.tool("sections[0]", "section_child");
    b.settle();
    assert_eq!(b.eval("document.activeElement.closest('[data-path]').dataset.path"), Value::from("sections[0].sections[0].title"));
    b.type_into("sections[0].sections[0].title", "新增的小节");
    b.type_into("sections[0].sections[0].blocks[0].paragraph", "新增小节的正文。");
    // Delete 六、相关建议, confirmed in the page's dialog.
    b.tool("sections[5]", "delete");
    b.wait_for("!!document.querySelector('.modal-back .confirm')", "the confirmation");
    b.eval("document.querySelector('.modal-back .confirm').click(), true");
    b.settle();
    assert_eq!(tree_links(&mut b).len(), 5);
    // Move 二、部门的基本情况 under 一、 (indent), then undo that.
    b.tool("sections[1]", "indent");
    b.settle();
    assert_eq!(tree_links(&mut b)[1], "二、绩效分析");
    b.eval("document.getElementById('undo').click(), true");
    b.wait_for("document.querySelectorAll('#tree > li > a').length === 5", "the undo");
    b.settle();
    assert_eq!(tree_links(&mut b)[..2], ["一、自评结论", "二、部门的基本情况"]);

    // The pages (the PDF they are drawn from) carry the new numbers.
    let text = pdf_text(&s);
    for heading in ["一、自评结论", "（一）新增的小节", "二、部门的基本情况", "三、绩效分析", "五、存在问题"] {
        assert!(text.contains(heading), "{heading} not in the PDF");
    }
    assert!(!text.contains("相关建议"));

    // Saved: the new order in the file; the comments travel with their sections.
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let after = std::fs::read_to_string(s.data()).unwrap();
    let data: toml::Table = toml::from_str(&after).unwrap();
    let titles: Vec<&str> = data["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["自评结论", "部门的基本情况", "绩效分析", "主要绩效", "存在问题"]);
    assert_eq!(data["sections"][0]["sections"][0]["title"].as_str(), Some("新增的小节"));
    assert_eq!(data["sections"][0]["sections"][0]["blocks"][0]["paragraph"].as_str(), Some("新增小节的正文。"));
    // Everything before the sections is as it was, byte for byte.
    let head = &before[..before.find("# 一、部门的基本情况").unwrap()];
    assert!(after.starts_with(head));
    assert!(after.find("# 二、自评结论\n[[sections]]\ntitle = \"自评结论\"").unwrap() < after.find("# 一、部门的基本情况\n[[sections]]").unwrap());
    let comments = |t: &str| t.lines().filter(|l| l.trim_start().starts_with('#')).map(str::to_string).collect::<std::collections::BTreeSet<_>>();
    let lost: Vec<String> = comments(&before).difference(&comments(&after)).cloned().collect();
    assert_eq!(lost, ["# 六、相关建议"]);
}

impl Browser {
    /// A DevTools command; its result.
    fn cdp(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.ws.send(tungstenite::Message::Text(json!({"id": id, "method": method, "params": params}).to_string().into())).unwrap();
        loop {
            let m = self.ws.read().unwrap();
            let Ok(text) = m.to_text() else { continue };
            let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// Choose `file` in the file input `selector`, as the file dialog would.
    fn choose_file(&mut self, selector: &str, file: &Path) {
        let root = self.cdp("DOM.getDocument", json!({}))["root"]["nodeId"].clone();
        let node = self.cdp("DOM.querySelector", json!({"nodeId": root, "selector": selector}))["nodeId"].clone();
        self.cdp("DOM.setFileInputFiles", json!({"nodeId": node, "files": [file.to_str().unwrap()]}));
    }

    fn set_input(&mut self, selector: &str, value: &str) {
        let js = format!(
            "(() => {{ const i = document.querySelector('{selector}'); i.value = {v}; i.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()",
            v = serde_json::to_string(value).unwrap()
        );
        assert_eq!(self.eval(&js), Value::Bool(true));
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn without_a_data_file_the_page_creates_or_imports_one() {
    if !chromium_or_skip() {
        return;
    }
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("绩效自评报告.toml");
    std::fs::write(&theirs, "# 别人的文件\nunit = \"某单位\"\n").unwrap();
    let s = start_without_data(dir);
    let mut b = Browser::open(&s.url);
    b.wait_for("document.body.dataset.ready === 'start'", "the start page");
    assert_eq!(b.eval("document.querySelector('[data-file]').textContent"), Value::from("绩效自评报告.toml"));
    // Before a file is open, nothing else answers.
    assert_eq!(api(&s, "POST", "/api/edit", json!({"path": "unit", "value": "x"})).0, 409);

    // A new report on the Sichuan framework, first under a name that is taken.
    b.set_input("#start-unit", "示例县财政局");
    b.eval("document.querySelector('input[name=framework][value=sichuan]').click(), true");
    b.set_input("#start-name", "绩效自评报告.toml");
    b.eval("document.getElementById('start-create').click(), true");
    b.wait_for("!document.getElementById('banner').hidden && document.getElementById('banner').textContent.includes('已存在')", "the refusal");
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "# 别人的文件\nunit = \"某单位\"\n");
    b.set_input("#start-name", "示例县财政局");
    b.eval("document.getElementById('start-create').click(), true");
    b.wait_for("document.body.dataset.ready === '1'", "the editor");
    assert_eq!(b.eval("document.getElementById('docname').textContent.includes('示例县财政局')"), Value::Bool(true));
    assert!(tree_links(&mut b).len() >= 3);
    let made = std::fs::read_to_string(s.dir.path().join("示例县财政局.toml")).unwrap();
    assert!(made.contains("unit = \"示例县财政局\""), "{made}");
    assert!(made.contains("部门决策"), "not the Sichuan framework");
    assert_eq!(files_in(s.dir.path()), ["jixiao.schema.json", "示例县财政局.toml", "绩效自评报告.toml"]);

    // Another server without a file, in the same browser: import last year's report.
    let s2 = start_without_data(tempfile::tempdir().unwrap());
    let upload = tempfile::tempdir().unwrap();
    let report = upload.path().join("去年的报告.txt");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed.txt"), &report).unwrap();
    b.eval(&format!("location.href = {}, true", serde_json::to_string(&s2.url).unwrap()));
    b.wait_for("document.body.dataset.ready === 'start'", "the second start page");
    b.choose_file("#start-file", &report);
    assert_eq!(b.eval("document.querySelector('.picker .chosen').textContent"), Value::from("去年的报告.txt"));
    b.eval("document.getElementById('start-import').click(), true");
    b.wait_for("document.body.dataset.ready === '1'", "the imported report in the editor");
    assert_eq!(tree_links(&mut b)[..2], ["一、部门的基本情况", "二、自评结论"]);
    assert_eq!(b.eval("document.getElementById('banner').textContent.includes('已从')"), Value::Bool(true));
    assert_eq!(files_in(s2.dir.path()), ["去年的报告.toml"]);
    let imported: toml::Table = toml::from_str(&std::fs::read_to_string(s2.dir.path().join("去年的报告.toml")).unwrap()).unwrap();
    assert_eq!(imported["unit"].as_str(), Some("乐昌市妇女联合会"));
}

#[test]
fn table_rows_and_attachments_are_edited_as_grids() {
    let dir = tempfile::tempdir().unwrap();
    let full = concat!(env!("CARGO_MANIFEST_DIR"), "/data/example-full.toml");
    std::fs::copy(full, dir.path().join("example-full.toml")).unwrap();
    let s = spawn(dir, &["serve", "example-full.toml", "--port", "0", "--no-open"]);
    let (_, m) = api(&s, "GET", "/api/model", Value::Null);
    // The attachments as rows; the 项目支出明细表 as a grid of its cells.
    let titles: Vec<&str> = m["attachments"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["部门整体支出绩效自评表", "部门整体支出基本情况表", "部门整体支出绩效目标完成情况表", "项目支出明细表"]);
    let grid = &m["attachments"][3]["blocks"][0];
    assert_eq!(grid["kind"], "table");
    assert_eq!(grid["columns"].as_array().unwrap().len(), 4);
    assert_eq!(grid["rows"][1]["cells"][0]["text"], "示例数据平台运行维护项目");
    // A merged cell is edited at its text.
    assert_eq!(m["attachments"][2]["blocks"][0]["rows"][0]["cells"][0]["path"], "attachments[2].blocks[0].table.rows[0][0].text");
    let rows = "attachments[3].blocks[0].table.rows";
    let (status, m) = api(&s, "POST", "/api/outline", json!({"op": "row_add", "path": rows, "count": 4}));
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["focus"], format!("{rows}[3]"));
    for (c, v) in ["办公设备购置项目", "50000.00", "49000.00", "98.00%"].iter().enumerate() {
        assert_eq!(api(&s, "POST", "/api/edit", json!({"path": format!("{rows}[3][{c}]"), "value": v})).0, 200);
    }
    assert_eq!(api(&s, "POST", "/api/outline", json!({"op": "delete", "path": format!("{rows}[0]")})).0, 200);
    // The first attachment moves down one; a new one is added.
    assert_eq!(api(&s, "POST", "/api/outline", json!({"op": "down", "path": "attachments[0]"})).0, 200);
    assert_eq!(api(&s, "POST", "/api/edit", json!({"path": "attachments[0].landscape", "value": "true"})).0, 200);
    assert_eq!(api(&s, "POST", "/api/outline", json!({"op": "attachment_add", "path": ""})).0, 200);
    let (_, state) = api(&s, "GET", "/api/state", Value::Null);
    assert!(!state["stale"].as_bool().unwrap(), "{state}");
    assert_eq!(api(&s, "POST", "/api/save", json!({})).0, 200);
    let saved = std::fs::read_to_string(s.dir.path().join("example-full.toml")).unwrap();
    let data: toml::Table = toml::from_str(&saved).unwrap();
    let atts = data["attachments"].as_array().unwrap();
    assert_eq!(atts[0]["title"].as_str(), Some("部门整体支出基本情况表"));
    assert_eq!(atts[0]["landscape"].as_bool(), Some(true));
    assert_eq!(atts[1]["title"].as_str(), Some("部门整体支出绩效自评表"));
    assert_eq!(atts[4]["title"].as_str(), Some("【请填写：附件标题】"));
    let rows = atts[3]["blocks"][0]["table"]["rows"].as_array().unwrap();
    let first: Vec<&str> = rows.iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(first, ["示例数据平台运行维护项目", "基层服务站点建设项目", "办公设备购置项目"]);
    // The 产出指标 comment inside the other table's rows is still there.
    assert!(saved.contains("  # 产出指标：30 行 = 数量 12 + 质量 8 + 时效 6 + 成本 4\n"));
}

/// The items of a list are added, moved and deleted one by one, and the
/// saved file has them in the new order.
#[test]
fn list_items_are_added_moved_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/data/lechang-fulian-2022.toml"), dir.path().join("seed.toml")).unwrap();
    let s = spawn(dir, &["serve", "seed.toml", "--port", "0", "--no-open"]);
    let items = "sections[0].sections[0].sections[0].blocks[0].list.items";
    let (_, m) = api(&s, "GET", "/api/model", Value::Null);
    let before = m.to_string();
    assert!(before.contains(items), "the seed's list is in the model");
    // One after the second item; the new one goes up one; the last goes.
    let (status, r) = api(&s, "POST", "/api/outline", json!({"op": "item_add", "path": format!("{items}[1]")}));
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["focus"], format!("{items}[2]"));
    assert_eq!(api(&s, "POST", "/api/edit", json!({"path": format!("{items}[2]"), "value": "新增的一项职责。"})).0, 200);
    assert_eq!(api(&s, "POST", "/api/outline", json!({"op": "up", "path": format!("{items}[2]")})).0, 200);
    assert_eq!(api(&s, "POST", "/api/outline", json!({"op": "delete", "path": format!("{items}[7]")})).0, 200);
    // Not a list: refused, in Chinese.
    let (status, r) = api(&s, "POST", "/api/outline", json!({"op": "item_add", "path": "sections[0].title"}));
    assert_eq!(status, 400, "{r}");
    assert!(r["error"].as_str().unwrap().contains("不是列举"), "{r}");
    assert_eq!(api(&s, "POST", "/api/save", json!({})).0, 200);
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(s.dir.path().join("seed.toml")).unwrap()).unwrap();
    let list = saved["sections"][0]["sections"][0]["sections"][0]["blocks"][0]["list"]["items"].as_array().unwrap();
    let texts: Vec<&str> = list.iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(texts.len(), 7, "{texts:?}");
    assert!(texts[0].starts_with("贯彻执行市委"), "{texts:?}");
    assert_eq!(texts[1], "新增的一项职责。");
    assert!(texts[2].starts_with("组织妇女学习"), "{texts:?}");
    assert!(texts[6].starts_with("密切与外地"), "{texts:?}");
}

/// A year typed with a slip (`2023年`) and then corrected reads as a year
/// again: no type finding, an integer in the file, and a PDF to download.
#[test]
fn a_field_recovers_when_its_value_is_corrected() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, _before, mut b) = editor_on_seed();
    b.type_into("year", "2023年");
    b.settle();
    let shown = "(document.querySelector('[data-path=\"year\"] .findings') || {}).textContent || ''";
    let slip = b.eval(shown);
    assert!(slip.as_str().unwrap().contains("类型不对"), "the slip is not shown: {slip}");
    b.type_into("year", "2023");
    b.settle();
    let now = b.eval(shown);
    assert_eq!(now.as_str().unwrap(), "", "the year still has a finding after the correction");
    let (_, state) = api(&s, "GET", "/api/state", Value::Null);
    let left: Vec<&Value> = state["findings"].as_array().unwrap().iter().filter(|f| f["path"] == "year").collect();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let saved = std::fs::read_to_string(s.data()).unwrap();
    assert!(saved.lines().any(|l| l == "year = 2023"), "the year is not saved as an integer: {:?}", saved.lines().find(|l| l.starts_with("year")));
    let (status, pdf) = request(s.port, "GET", &format!("/report.pdf?token={}", s.token), &format!("127.0.0.1:{}", s.port), &[], "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
}

/// Pinyin typed through an input method: the letters of a half-typed word
/// (`jiguan`) never reach the server; the word chosen does, as one edit.
#[test]
fn an_input_method_sends_only_the_composed_text() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, _before, mut b) = editor_on_seed();
    let (_, m) = api(&s, "GET", "/api/model", Value::Null);
    let at = |m: &Value| -> String {
        m["outline"][0]["sections"][0]["sections"][1]["blocks"][0]["text"].as_str().unwrap_or_else(|| panic!("no paragraph in {m}")).to_string()
    };
    let original = at(&m);
    assert_eq!(original, "我部门无下属单位。");
    let field = format!("document.querySelector('[data-path=\"{PARAGRAPH}\"] .rich')");
    b.eval(&format!("(() => {{ const i = {field}; i.focus(); i.dispatchEvent(new CompositionEvent('compositionstart', {{bubbles: true, data: ''}})); return true; }})()"));
    // As Chromium sends them: each input event of the composition has isComposing set,
    // the last one included; compositionend comes after it.
    for partial in ["j", "ji", "jig", "jigu", "jiguan", "机关"] {
        let js = format!(
            "(() => {{ const i = {field}; i.value = {v}; \
             i.dispatchEvent(new CompositionEvent('compositionupdate', {{bubbles: true, data: {d}}})); \
             i.dispatchEvent(new InputEvent('input', {{bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: {d}}})); return true; }})()",
            v = serde_json::to_string(&format!("{original}{partial}")).unwrap(),
            d = serde_json::to_string(partial).unwrap()
        );
        b.eval(&js);
        // Longer than the page's wait before it sends an edit.
        std::thread::sleep(Duration::from_millis(500));
        if partial == "jiguan" {
            let (_, m) = api(&s, "GET", "/api/model", Value::Null);
            assert_eq!(at(&m), original, "a half-typed word reached the server");
        }
    }
    b.eval(&format!("(() => {{ const i = {field}; i.dispatchEvent(new CompositionEvent('compositionend', {{bubbles: true, data: '机关'}})); return true; }})()"));
    b.settle();
    let (_, m) = api(&s, "GET", "/api/model", Value::Null);
    assert_eq!(at(&m), format!("{original}机关"));
    let text = pdf_text(&s);
    assert!(text.contains("我部门无下属单位。机关"), "the composed word is not on the pages");
    assert!(!text.contains("jiguan") && !text.contains("jig"), "pinyin on the pages");
    // One undo goes back to the text before the composition: the pinyin
    // was never a step of its own.
    let (status, m) = api(&s, "POST", "/api/undo", json!({}));
    assert_eq!(status, 200);
    assert_eq!(at(&m), original, "the undo history holds a half-typed word");
}

/// A report with no indicators and no 落款 (as an import may leave it).
const BARE: &str = "unit = \"示例县财政局\"\nyear = 2024\n\n[[sections]]\ntitle = \"部门基本情况\"\n\n[[sections.blocks]]\nparagraph = \"本局负责全县财政工作。\"\n";

/// The editor on `name` holding `text`, in a browser (one at a time).
fn editor_on(name: &str, text: &str) -> (std::sync::MutexGuard<'static, ()>, Served, Browser) {
    let one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let s = spawn(dir, &["serve", name, "--port", "0", "--no-open"]);
    let mut b = Browser::open(&s.url);
    b.wait_for("document.body.dataset.ready === '1'", "the editor to load");
    (one, s, b)
}

/// Every report shows its 落款 (the unit filled in, a date picker) and, when
/// it has no indicators, offers a framework; then every score is filled in
/// the grid, and the file, `check` and the PDF have them.
#[test]
fn any_report_gets_a_closing_and_a_score_grid() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, mut b) = editor_on("简单.toml", BARE);
    assert_eq!(b.eval("(document.getElementById('closing-unit') || {}).value || null"), Value::from("示例县财政局"), "no 落款单位 field with the unit");
    assert_eq!(b.eval("(document.getElementById('closing-date') || {}).type || null"), Value::from("date"), "no date picker for 成文日期");
    b.pick_closing_date("2025-03-15");
    b.settle();

    // No indicators: the frameworks are offered; the Guangdong one is added.
    assert_eq!(b.eval("!document.getElementById('scores').hidden && !!document.querySelector('#scores [data-framework=guangdong]')"), Value::Bool(true), "no framework offered");
    b.eval("document.querySelector('#scores [data-framework=guangdong]').click(), true");
    b.wait_for("!!document.querySelector('#scores table.grid')", "the score grid");
    b.settle();
    // Every indicator's score: full marks but one point off the first.
    let filled = b.fill_every_score();
    assert!(filled.as_u64().unwrap() >= 20, "{filled}");
    b.settle();
    assert_eq!(b.eval("document.getElementById('total-cell').textContent"), Value::from("99"));
    assert_eq!(b.eval("document.getElementById('grade-cell').textContent.includes('优')"), Value::Bool(true));
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));

    let saved = std::fs::read_to_string(s.dir.path().join("简单.toml")).unwrap();
    let data: toml::Table = toml::from_str(&saved).unwrap();
    assert_eq!(data["closing"]["date"].as_datetime().map(|d| d.to_string()).as_deref(), Some("2025-03-15"), "{saved}");
    assert!(data["closing"].get("unit").is_none(), "the unit itself is not written again: {saved}");
    assert_eq!(data["indicators"].as_array().unwrap().len(), 4, "{saved}");
    assert!(saved.starts_with(BARE), "the report's own text is not kept before the framework: {saved}");
    let check = Command::new(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
        .args(["check", "简单.toml"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    let text = pdf_text(&s);
    for want in ["部门整体支出绩效自评表", "预算编制合理性", "99", "2025年3月15日"] {
        assert!(text.contains(want), "{want} not in the PDF");
    }
}

/// 新年度: the report goes to a new file named for the new year (last
/// year's stays as it was), its figures become last year's, and every
/// other mention of the old year is listed by place with a replace each;
/// 查找/替换 finds over the whole report.
#[test]
fn the_new_year_step_and_find_and_replace() {
    if !chromium_or_skip() {
        return;
    }
    let seed = std::fs::read_to_string(SEED).unwrap();
    let (_one, s, mut b) = editor_on("乐昌市妇联2022年度报告.toml", &seed);
    assert_eq!(b.eval("!!document.getElementById('newyear')"), Value::Bool(true), "no 新年度 button");
    b.eval("document.getElementById('newyear').click(), true");
    b.wait_for("!!document.getElementById('newyear-year')", "the year question");
    assert_eq!(b.eval("document.getElementById('newyear-year').value"), Value::from("2023"));
    b.eval("document.getElementById('newyear-go').click(), true");
    b.wait_for("!document.getElementById('findpanel').hidden && !!document.getElementById('find-count')", "the list of mentions");
    b.settle();
    // Last year's file is as it was; this year's has its own name.
    assert_eq!(std::fs::read_to_string(s.dir.path().join("乐昌市妇联2022年度报告.toml")).unwrap(), seed);
    let new_file = s.dir.path().join("乐昌市妇联2023年度报告.toml");
    let made: toml::Table = toml::from_str(&std::fs::read_to_string(&new_file).unwrap()).unwrap();
    assert_eq!(made["year"].as_integer(), Some(2023));
    assert_eq!(made["finance"]["income"]["total"]["prior"].as_str(), Some("1485562.08"));
    assert_eq!(made["finance"]["expenditure"]["personnel"]["prior"].as_str(), Some("1050805.88"));
    assert_eq!(b.eval("document.getElementById('docname').textContent.includes('2023')"), Value::Bool(true));
    // Every mention by its place in the outline, with a replace each.
    let places = b.eval("JSON.stringify([...document.querySelectorAll('#findpanel li.match .place')].map(e => e.textContent))");
    let places: Vec<String> = serde_json::from_str(places.as_str().unwrap()).unwrap();
    assert!(places.len() >= 14, "{places:?}");
    assert!(places.iter().any(|p| p.starts_with("三、") && p.contains(" › ")), "{places:?}");
    assert!(places.iter().all(|p| !p.contains("sections")), "{places:?}");
    let count = places.len();
    // The first mention is replaced, the history ones stay.
    b.eval("document.querySelector('#findpanel li.match .replace-one').click(), true");
    b.wait_for(&format!("document.querySelectorAll('#findpanel li.match').length === {}", count - 1), "the list after a replace");
    b.settle();
    // 查找/替换 over the whole report.
    b.eval("document.getElementById('find-number').click(), true");
    b.settle();
    b.set_input("#find-text", "乐昌妇联");
    b.set_input("#find-with", "乐昌市妇联");
    b.eval("document.getElementById('find-go').click(), true");
    b.wait_for("(document.getElementById('find-count') || {}).textContent === '共 4 处：'", "four matches");
    b.eval("document.querySelector('#findpanel li.match .replace-one').click(), true");
    b.wait_for("(document.getElementById('find-count') || {}).textContent === '共 3 处：'", "three left");
    b.settle();
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let saved = std::fs::read_to_string(&new_file).unwrap();
    assert!(saved.contains("对2023年整体支出绩效认真开展自查"), "the first mention was not replaced");
    assert!(saved.contains("“2021年度全国妇女宣传舆论阵地建设先进单位”"), "history was changed");
    assert_eq!(saved.matches("乐昌妇联").count(), 3);
    assert_eq!(std::fs::read_to_string(s.dir.path().join("乐昌市妇联2022年度报告.toml")).unwrap(), seed);
}

/// One browser at a time, on the start page of a server without a data
/// file, and last year's report (`tests/fixtures/{fixture}`) copied as
/// `name` into a folder of its own, ready to upload.
fn start_page_with(name: &str, fixture: &str) -> (std::sync::MutexGuard<'static, ()>, Served, tempfile::TempDir, PathBuf, Browser) {
    let one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let s = start_without_data(tempfile::tempdir().unwrap());
    let upload = tempfile::tempdir().unwrap();
    let report = upload.path().join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture), &report).unwrap();
    let mut b = Browser::open(&s.url);
    b.wait_for("document.body.dataset.ready === 'start'", "the start page");
    (one, s, upload, report, b)
}

/// What the import was unsure of stays listed after a save and a new
/// start of the page, and goes item by item as each is ticked.
#[test]
fn the_import_to_do_list_stays_until_each_item_is_ticked() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, _upload, report, mut b) = start_page_with("去年的报告.txt", "seed.txt");
    b.choose_file("#start-file", &report);
    b.eval("document.getElementById('start-import').click(), true");
    b.wait_for("document.body.dataset.ready === '1'", "the imported report");
    let items = "JSON.stringify([...document.querySelectorAll('#todo li')].map(li => li.textContent))";
    let listed: Vec<String> = serde_json::from_str(b.eval(items).as_str().unwrap()).unwrap();
    assert!(!listed.is_empty() && listed.iter().any(|t| t.contains("人员编制")), "no to-do list: {listed:?}");
    // An edit, a save, the page opened again: the list is still there.
    b.type_into("unit", "乐昌市妇女联合会机关");
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    b.eval("location.reload(), true");
    std::thread::sleep(Duration::from_millis(300));
    b.wait_for("document.body.dataset.ready === '1'", "the editor again");
    let again: Vec<String> = serde_json::from_str(b.eval(items).as_str().unwrap()).unwrap();
    assert_eq!(again, listed, "the to-do list went with the save");
    // Ticked one by one: each goes, and with the last the list.
    for left in (0..listed.len()).rev() {
        b.eval("document.querySelector('#todo .todo-tick').click(), true");
        b.wait_for(&format!("document.querySelectorAll('#todo li').length === {left}"), "the item to go");
        b.settle();
    }
    assert_eq!(b.eval("document.getElementById('todo').hidden"), Value::Bool(true));
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let saved = std::fs::read_to_string(s.dir.path().join("去年的报告.toml")).unwrap();
    assert!(!saved.contains("待核对"), "{saved}");
    assert!(saved.contains("unit = \"乐昌市妇女联合会机关\""));
}

/// In the browser a finding speaks the officer's words: no line of a file
/// they never see, no table or key names; each is placed by the outline,
/// the counter in the bar lists them all, and a click goes to the field.
#[test]
fn findings_name_places_not_keys_and_lead_to_their_fields() {
    if !chromium_or_skip() {
        return;
    }
    // Income above expenditure with no carry-over stated: a warning that names keys on the command line.
    let seed = std::fs::read_to_string(SEED).unwrap().replacen("total = \"1485562.08\"", "total = \"1500000.00\"", 1).replace(
        "{ name = \"财政拨款收入\", amount = \"1485562.08\" }",
        "{ name = \"财政拨款收入\", amount = \"1500000.00\" }",
    );
    let (_one, _s, mut b) = editor_on("imbalance.toml", &seed);
    let texts = b.eval("JSON.stringify([...document.querySelectorAll('.finding')].map(f => f.textContent))");
    let texts: Vec<String> = serde_json::from_str(texts.as_str().unwrap()).unwrap();
    assert!(texts.iter().any(|t| t.contains("相差 14437.92") && t.contains("结转结余") && t.contains("年初")), "{texts:?}");
    for t in &texts {
        for jargon in ["（第", "[finance", "carry_over", "opening", "closing"] {
            assert!(!t.contains(jargon), "{jargon} in {t}");
        }
    }
    // A placeholder is a chip with its label and its value now.
    let chip = b.eval("(document.querySelector('[data-path=\"sections[0].sections[1].sections[0].blocks[0].figures\"] .chip[data-key=\"income.total\"]') || {}).textContent || ''");
    let chip = chip.as_str().unwrap();
    assert!(chip.contains("收入合计") && chip.contains("1500000.00"), "no chip for {{income.total}}: {chip:?}");
    // The counter opens the list; each entry is placed by the outline.
    assert_eq!(b.eval("!!document.getElementById('counter')"), Value::Bool(true), "the warning counter is not a button");
    b.eval("document.getElementById('counter').click(), true");
    b.wait_for("!document.getElementById('checks').hidden", "the list of findings");
    let places = b.eval("JSON.stringify([...document.querySelectorAll('#checks .finding-link .where')].map(e => e.textContent))");
    let places: Vec<String> = serde_json::from_str(places.as_str().unwrap()).unwrap();
    assert!(places.contains(&"收支数字".to_string()), "{places:?}");
    let deep = places.iter().find(|p| p.starts_with("四、主要绩效 › （五）")).unwrap_or_else(|| panic!("no outline place: {places:?}"));
    assert!(deep.contains(" › 3."), "{deep}");
    // A click goes to the field.
    b.eval("[...document.querySelectorAll('#checks .finding-link')].find(e => e.textContent.startsWith('四、')).click(), true");
    assert_eq!(b.eval("document.body.dataset.revealed"), Value::from("sections[3].sections[4].sections[2].run_in"));
    assert_eq!(
        b.eval("(() => { const f = document.activeElement.closest('[data-path]'); return f ? f.dataset.path : null; })()"),
        Value::from("sections[3].sections[4].sections[2].run_in")
    );
}

/// The structure an officer needs: a table with a title (its column titles
/// and cells typed in), a list, a section and a paragraph moved into
/// other sections; a click on the outline brings its page into view.
#[test]
fn tables_lists_and_moves_into_other_sections() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, _before, mut b) = editor_on_seed();
    let adder = |op: &str| format!("document.querySelector('.section[data-path=\"sections[1]\"] > .adders [data-op={op}]').click(), true");
    assert_eq!(b.eval("!!document.querySelector('.section[data-path=\"sections[1]\"] > .adders [data-op=table_add]')"), Value::Bool(true), "no 表格 adder");
    b.eval(&adder("table_add"));
    b.settle();
    b.wait_for("!!document.querySelector('[data-path=\"sections[1].blocks[3].table.columns[0].title\"] textarea')", "the new table");
    b.type_into("sections[1].blocks[2].paragraph", "表1 妇女议事会开展情况");
    for (i, t) in ["项目", "场次", "参与人次"].iter().enumerate() {
        b.type_into(&format!("sections[1].blocks[3].table.columns[{i}].title"), t);
    }
    for (i, t) in ["妇女议事会", "804", "8148"].iter().enumerate() {
        b.type_into(&format!("sections[1].blocks[3].table.rows[0][{i}]"), t);
    }
    b.eval("document.querySelector('[data-row=\"sections[1].blocks[3].table.rows[1]\"] [data-op=delete]').click(), true");
    b.wait_for("!!document.querySelector('.modal .confirm')", "the question");
    b.eval("document.querySelector('.modal .confirm').click(), true");
    b.settle();
    b.eval(&adder("list_add"));
    b.settle();
    b.type_into("sections[1].blocks[4].list.items[0]", "按时完成年度目标。");
    b.type_into("sections[1].blocks[4].list.items[1]", "资金使用规范。");
    // A section moves into another: 五、存在问题 › （一） becomes the last of 六、相关建议.
    b.tool("sections[4].sections[0]", "move_into");
    b.wait_for("!!document.querySelector('.modal [data-to=\"sections[5]\"]')", "the sections to move to");
    assert_eq!(b.eval("!!document.querySelector('.modal [data-to=\"sections[4].sections[0]\"]')"), Value::Bool(false), "a section is offered itself");
    b.eval("document.querySelector('.modal [data-to=\"sections[5]\"]').click(), true");
    b.settle();
    // A paragraph of 二、自评结论 moves to the end of 三、绩效分析.
    b.eval("document.querySelector('[data-block=\"sections[1].blocks[1]\"] [data-op=move_into]').click(), true");
    b.wait_for("!!document.querySelector('.modal [data-to=\"sections[2]\"]')", "the sections to move to");
    b.eval("document.querySelector('.modal [data-to=\"sections[2]\"]').click(), true");
    b.settle();
    // The outline entry of 六、相关建议 brings its page into view.
    b.eval("document.querySelector('#tree a[data-section=\"sections[5]\"]').click(), true");
    let shown = b.eval("Number(document.body.dataset.shownPage || 0)").as_f64().unwrap();
    assert!(shown >= 5.0, "the pages did not follow the outline: page {shown}");
    assert!(b.eval("document.getElementById('pages').scrollTop").as_f64().unwrap() > 1000.0);
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));

    let data: toml::Table = toml::from_str(&std::fs::read_to_string(s.data()).unwrap()).unwrap();
    let conclusion = data["sections"][1]["blocks"].as_array().unwrap();
    assert_eq!(conclusion.len(), 4, "{conclusion:?}");
    assert_eq!(conclusion[1]["paragraph"].as_str(), Some("表1 妇女议事会开展情况"));
    let table = &conclusion[2]["table"];
    assert_eq!(table["rows"].as_array().unwrap().len(), 1);
    assert_eq!(table["columns"][2]["title"].as_str(), Some("参与人次"));
    let moved_par = data["sections"][2]["blocks"].as_array().unwrap().last().unwrap()["paragraph"].as_str().unwrap().to_string();
    assert!(!moved_par.is_empty());
    let advice = data["sections"][5]["sections"].as_array().unwrap();
    assert_eq!(advice.len(), 3);
    assert!(advice[2]["title"].as_str().unwrap().starts_with("我单位无财会专业工作人员"));
    assert_eq!(data["sections"][4]["sections"].as_array().unwrap().len(), 1);
    let text = pdf_text(&s);
    for want in ["表1妇女议事会开展情况", "参与人次", "妇女议事会8048148", "资金使用规范。", "（三）我单位无财会专业工作人员"] {
        assert!(text.contains(want), "{want} not in the PDF");
    }
    assert!(text.find("六、相关建议").unwrap() < text.find("（三）我单位无财会专业工作人员").unwrap());
}

/// The whole path of issue 22, as the finance officer takes it in the
/// browser: no data file to start with, last year's Word report imported,
/// 新年度, five amounts changed so they add up, two paragraphs edited, a
/// 三级 section and a table added, a list item deleted, a section moved,
/// every score filled, the 落款 date picked, the `150万` slip made and
/// fixed, saved and downloaded. `check` passes on the file and the PDF has
/// it all. Prints how long the scripted part took.
#[test]
fn the_officer_makes_this_years_report_in_the_browser() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, _upload, report, mut b) = start_page_with("乐昌市妇联2022年度报告.docx", "import/seed.docx");
    let began = Instant::now();

    // Import, then the new year.
    b.choose_file("#start-file", &report);
    b.eval("document.getElementById('start-import').click(), true");
    b.wait_for("document.body.dataset.ready === '1'", "the imported report");
    b.eval("document.getElementById('newyear').click(), true");
    b.wait_for("!!document.getElementById('newyear-go')", "the year question");
    b.eval("document.getElementById('newyear-go').click(), true");
    b.wait_for("!document.getElementById('findpanel').hidden && !!document.getElementById('find-count')", "the mentions of 2022");
    b.settle();
    let data = s.dir.path().join("乐昌市妇联2023年度报告.toml");
    assert!(data.exists(), "{:?}", files_in(s.dir.path()));

    // Five amounts, so the sums still hold; the 150万 slip on the way.
    let source = b.eval("[...document.querySelectorAll('#finance [data-path]')].map(e => e.dataset.path).find(p => p.startsWith('finance.income.sources[0]'))");
    let source = source.as_str().unwrap().to_string();
    b.type_into("finance.expenditure.personnel", "150万");
    b.settle();
    let slip = b.eval("(document.querySelector('[data-path=\"finance.expenditure.personnel\"] .findings') || {}).textContent || ''");
    assert!(!slip.as_str().unwrap().is_empty(), "the slip is not shown");
    for (path, v) in [
        ("finance.income.total", "1585562.08"),
        (source.as_str(), "1585562.08"),
        ("finance.expenditure.total", "1585562.08"),
        ("finance.expenditure.basic", "1292005.88"),
        ("finance.expenditure.personnel", "1150805.88"),
    ] {
        b.type_into(path, v);
    }
    b.settle();
    let errors = b.eval("document.querySelectorAll('.finding.error').length");
    assert_eq!(errors, Value::from(0), "errors after the amounts");

    // Two paragraphs.
    b.type_into("sections[1].blocks[0].paragraph", "经自评，我会2023年度部门整体支出绩效得分{total_score}分，评价等级为“{grade}”。");
    b.type_into("sections[0].sections[2].blocks[0].paragraph", "2023年，我会围绕中心工作，完成年度目标任务。");
    // A 三级 section under （一）部门整体概况, with its text.
    b.tool("sections[0].sections[0]", "section_child");
    b.settle();
    let new_section = b.eval("document.body.dataset.revealed || ''").as_str().unwrap().replace(".title", "");
    assert!(new_section.starts_with("sections[0].sections[0].sections["), "{new_section}");
    b.type_into(&format!("{new_section}.title"), "档案数字化工作");
    b.type_into(&format!("{new_section}.blocks[0].paragraph"), "完成历年档案扫描入库1200卷。");
    // A table in 二、自评结论.
    b.eval("document.querySelector('.section[data-path=\"sections[1]\"] > .adders [data-op=table_add]').click(), true");
    b.settle();
    b.type_into("sections[1].blocks[2].paragraph", "表1 重点工作完成情况");
    for (i, t) in ["工作", "计划", "完成"].iter().enumerate() {
        b.type_into(&format!("sections[1].blocks[3].table.columns[{i}].title"), t);
        b.type_into(&format!("sections[1].blocks[3].table.rows[0][{i}]"), ["妇女议事会", "800场", "804场"][i]);
        b.type_into(&format!("sections[1].blocks[3].table.rows[1][{i}]"), ["两癌筛查", "6000人", "6058人"][i]);
    }
    // A list item goes.
    let items = b.eval("[...document.querySelectorAll('[data-path*=\".list.items[\"]')].map(e => e.dataset.path)[1]");
    let item = items.as_str().unwrap().to_string();
    let deleted_text = b.eval(&format!("document.querySelector('[data-path=\"{item}\"] .rich').value")).as_str().unwrap().to_string();
    b.eval(&format!("document.querySelector('[data-path=\"{item}\"]').closest('.list-item').querySelector('[data-op=delete]').click(), true"));
    b.wait_for("!!document.querySelector('.modal .confirm')", "the question");
    b.eval("document.querySelector('.modal .confirm').click(), true");
    b.settle();
    // A section moves: 五、存在问题 › （一） into 六、相关建议.
    b.tool("sections[4].sections[0]", "move_into");
    b.wait_for("!!document.querySelector('.modal [data-to=\"sections[5]\"]')", "the sections to move to");
    b.eval("document.querySelector('.modal [data-to=\"sections[5]\"]').click(), true");
    b.settle();
    // Every score: full marks but one point off the first.
    let filled = b.fill_every_score();
    assert!(filled.as_u64().unwrap() >= 10, "{filled}");
    b.settle();
    assert_eq!(b.eval("document.getElementById('total-cell').textContent"), Value::from("99"));
    // The 落款 date.
    b.pick_closing_date("2024-03-15");
    b.settle();
    // Save and download.
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let download = b.eval("(async () => { const r = await fetch(document.getElementById('pdf').getAttribute('href')); return r.status + ' ' + r.headers.get('content-type'); })()");
    assert_eq!(download, Value::from("200 application/pdf"));
    let text = pdf_text(&s);
    eprintln!("the officer's scenario took {:.1} s in the browser", began.elapsed().as_secs_f64());

    let check = Command::new(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
        .arg("check")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    for want in [
        "2023年度部门整体支出绩效自评报告",
        "1585562.08",
        "1292005.88",
        "1150805.88",
        "档案数字化工作",
        "完成历年档案扫描入库1200卷。",
        "表1重点工作完成情况",
        "两癌筛查6000人6058人",
        "经自评，我会2023年度部门整体支出绩效得分99分，评价等级为“优”。",
        "2024年3月15日",
    ] {
        assert!(text.contains(want), "{want} not in the PDF");
    }
    assert!(!text.contains(&deleted_text.chars().filter(|c| !c.is_whitespace()).collect::<String>()), "the deleted item is printed");
    assert!(text.find("六、相关建议").unwrap() < text.find("我单位无财会专业工作人员").unwrap(), "the section did not move");
}

/// 全部替换 of a common character by a long text would grow the report
/// without bound: refused, nothing changed; a find lists at most its cap.
#[test]
fn a_replace_cannot_grow_the_report_without_bound() {
    let s = start();
    let (status, found) = api(&s, "POST", "/api/find", json!({"find": "，"}));
    assert_eq!(status, 200, "{found}");
    let n = found["matches"].as_array().unwrap().len();
    assert!(n > 100 && n <= 500, "{n}");
    let long = "很长的文字".repeat(200_000);
    let (status, r) = api(&s, "POST", "/api/replace", json!({"find": "，", "with": long}));
    assert_eq!(status, 400, "{}", r.to_string().chars().take(200).collect::<String>());
    assert!(r["error"].as_str().unwrap().contains("太大"), "{r}");
    let (_, state) = api(&s, "GET", "/api/state", Value::Null);
    assert_eq!(state["dirty"], false);
}

/// 全部替换 replaces every occurrence, also past the 500 the find list
/// shows: 600 paragraphs each naming 甲 all become 乙.
#[test]
fn replace_all_reaches_past_the_listed_matches() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\n");
    for i in 0..600 {
        text.push_str(&format!("[[sections.blocks]]\nparagraph = \"第{i}段说到甲。\"\n"));
    }
    std::fs::write(dir.path().join("many.toml"), text).unwrap();
    let s = spawn(dir, &["serve", "many.toml", "--port", "0", "--no-open"]);
    let (status, found) = api(&s, "POST", "/api/find", json!({"find": "甲"}));
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["matches"].as_array().unwrap().len(), 500);
    let (status, r) = api(&s, "POST", "/api/replace", json!({"find": "甲", "with": "乙"}));
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["replaced"], 600, "{}", r["replaced"]);
    let (_, found) = api(&s, "POST", "/api/find", json!({"find": "甲"}));
    assert_eq!(found["matches"].as_array().unwrap().len(), 0, "甲 left after 全部替换");
}

/// A measurement, not a check (run it by name with `--ignored --nocapture`):
/// in a real Chromium on the seed, the time from a keystroke's input event
/// to the load event of the new page image, timed in the page, for 40
/// keystrokes 250 ms apart (a steady typist); prints median, p95 and max.
/// docs/performance.md quotes it.
#[test]
#[ignore]
fn keystroke_to_page_latency() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, _s, _before, mut b) = editor_on_seed();
    let js = r#"(async () => {
        const field = [...document.querySelectorAll('[data-path] .rich')].find((t) => /paragraph|text$/.test(t.closest('[data-path]').dataset.path));
        const list = document.getElementById('pagelist');
        const base = field.value;
        const times = [];
        for (let k = 0; k < 40; k++) {
          const t0 = performance.now();
          const shown = new Promise((res) => {
            const h = (e) => { if (e.target.tagName === 'IMG') { list.removeEventListener('load', h, true); res(performance.now()); } };
            list.addEventListener('load', h, true);
            setTimeout(() => { list.removeEventListener('load', h, true); res(NaN); }, 5000);
          });
          field.value = base + '字'.repeat(k + 1);
          field.dispatchEvent(new Event('input', { bubbles: true }));
          times.push((await shown) - t0);
          await window.jixiaoIdle();
          await new Promise((r) => setTimeout(r, 250));
        }
        return times;
    })()"#;
    let times = b.eval(js);
    let mut ms: Vec<f64> = times.as_array().expect("times").iter().filter_map(Value::as_f64).collect();
    assert_eq!(ms.len(), 40, "a page image did not load after a keystroke: {times}");
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    println!("keystroke → page image shown, {} keystrokes: median {:.0} ms, p95 {:.0} ms, max {:.0} ms", ms.len(), p(0.5), p(0.95), p(1.0));
}

impl Browser {
    /// With `JIXIAO_SHOTS` set to a folder (docs/), the page as it looks
    /// now is saved there as `name`, for the README.
    fn shot(&mut self, name: &str) {
        use base64::Engine;
        let Some(dir) = std::env::var_os("JIXIAO_SHOTS") else { return };
        let r = self.cdp("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64::engine::general_purpose::STANDARD.decode(r["data"].as_str().unwrap()).unwrap();
        std::fs::write(Path::new(&dir).join(name), png).unwrap();
    }

    /// Put the caret in `field` (a JS expression) before or after its chip of `key`.
    fn caret_at_chip(&mut self, field: &str, key: &str, after: bool) {
        let js = format!(
            "(() => {{ const f = {field}; f.focus(); const c = f.querySelector('.chip[data-key=\"{key}\"]'); if (!c) return false; \
             const r = document.createRange(); if ({after}) r.setStartAfter(c); else r.setStartBefore(c); r.collapse(true); \
             const s = getSelection(); s.removeAllRanges(); s.addRange(r); return true; }})()"
        );
        assert_eq!(self.eval(&js), Value::Bool(true), "no chip {key}");
    }

    /// A key pressed and released, as the keyboard sends it.
    fn press(&mut self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.cdp("Input.dispatchKeyEvent", json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}));
        }
    }
}

const FIGURES: &str = "sections[0].sections[1].sections[0].blocks[0].figures";

/// A placeholder is a chip in the text box itself, with its label and its
/// value now; what is typed around it is text, saved with the placeholder
/// kept; a Backspace after the chip takes the placeholder out.
#[test]
fn placeholders_are_chips_in_the_text_box_itself() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, _before, mut b) = editor_on_seed();
    let field = format!("document.querySelector('[data-path=\"{FIGURES}\"] [contenteditable]')");
    let chip = b.eval(&format!(
        "(() => {{ const f = {field}; const c = f && f.querySelector('.chip[data-key=\"income.total\"]'); \
         return c ? [c.querySelector('b').textContent, c.querySelector('.value').textContent, c.isContentEditable, f.isContentEditable] : null; }})()"
    ));
    assert_eq!(chip, json!(["收入合计", "1485562.08元", false, true]), "no chip inside the box");
    // No second copy of the text under the box.
    assert_eq!(b.eval(&format!("document.querySelectorAll('[data-path=\"{FIGURES}\"] .chip[data-key=\"income.total\"]').length")), Value::from(1));

    // Typed before the chip and at the end of the box, by the keyboard's text input.
    b.caret_at_chip(&field, "income.total", false);
    b.cdp("Input.insertText", json!({"text": "全年合计"}));
    b.eval(&format!("(() => {{ const f = {field}; const r = document.createRange(); r.selectNodeContents(f); r.collapse(false); \
                     const s = getSelection(); s.removeAllRanges(); s.addRange(r); return true; }})()"));
    b.cdp("Input.insertText", json!({"text": "（已核实）"}));
    b.settle();
    let (_, m) = api(&s, "GET", "/api/model", Value::Null);
    let text = |m: &Value| m["outline"][0]["sections"][1]["sections"][0]["blocks"][0]["text"].as_str().unwrap().to_string();
    assert_eq!(text(&m), "{year}年，我部门总收入为全年合计{income.total}，其中{income.sources}。（已核实）");
    assert_eq!(b.eval(&format!("{field}.querySelectorAll('.chip').length")), Value::from(3), "the chips did not survive the typing");
    b.eval(&format!("{field}.scrollIntoView({{block: 'center'}}), true"));
    b.shot("serve-chips.png");

    // Backspace right after the chip: the chip goes, and with it the placeholder.
    b.caret_at_chip(&field, "income.total", true);
    b.press("Backspace", 8);
    b.settle();
    assert_eq!(b.eval(&format!("{field}.querySelectorAll('.chip[data-key=\"income.total\"]').length")), Value::from(0));
    let (_, m) = api(&s, "GET", "/api/model", Value::Null);
    assert_eq!(text(&m), "{year}年，我部门总收入为全年合计，其中{income.sources}。（已核实）");
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let saved = std::fs::read_to_string(s.data()).unwrap();
    assert!(saved.contains("figures = \"{year}年，我部门总收入为全年合计，其中{income.sources}。（已核实）\"\n"), "{saved}");
    // 撤销 brings the chip back, in the box.
    assert_eq!(b.eval("document.getElementById('undo').click(), true"), Value::Bool(true));
    b.wait_for(&format!("!!{field}.querySelector('.chip[data-key=\"income.total\"]')"), "the chip back after 撤销");
}

/// With most scores blank, the blank ones are one warning ("还有 N 项指标未填
/// 自评得分") instead of one per indicator; the list of findings holds
/// each of them, a click away from its field. A few left are named one by one.
#[test]
fn many_blank_scores_are_one_finding() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, mut b) = editor_on("简单.toml", BARE);
    b.eval("document.querySelector('#scores [data-framework=guangdong]').click(), true");
    b.wait_for("!!document.querySelector('#scores table.grid')", "the score grid");
    b.settle();
    let inputs = b.eval("document.querySelectorAll('#scores tbody tr[data-indicator] [data-path$=\".score\"] input').length").as_u64().unwrap();
    assert!(inputs >= 20, "{inputs}");
    let first = b.eval("document.querySelector('#scores tbody .field[data-path$=\".score\"]').dataset.path").as_str().unwrap().to_string();
    b.type_into(&first, "4");
    b.settle();
    let blank = inputs - 1;
    let unscored = format!("还有 {blank} 项指标未填自评得分；各项都填写后才计算总分和等级");
    let summary = b.eval("document.getElementById('scores-summary').textContent");
    assert!(summary.as_str().unwrap().contains(&unscored), "{summary}");
    // No line per indicator in the grid; each blank field is tinted.
    assert_eq!(b.eval("[...document.querySelectorAll('#scores tbody .finding')].filter(f => f.textContent.includes('没有填写自评得分')).length"), Value::from(0));
    assert_eq!(b.eval("document.querySelectorAll('#scores .blank-score').length").as_u64(), Some(blank));
    // The counter counts it once; its list names each, and a click goes there.
    let (_, state) = api(&s, "GET", "/api/state", Value::Null);
    let warnings = state["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "warning").count();
    assert!(b.eval("document.getElementById('counter').textContent").as_str().unwrap().contains(&format!("{warnings} 个警告")));
    assert!(warnings < 5, "{state}");
    b.eval("document.getElementById('counter').click(), true");
    b.wait_for("!document.getElementById('checks').hidden", "the list of findings");
    let items = b.eval("JSON.stringify([...document.querySelectorAll('#checks .group-items .finding-link')].map(e => e.dataset.goto))");
    let items: Vec<String> = serde_json::from_str(items.as_str().unwrap()).unwrap();
    assert_eq!(items.len() as u64, blank);
    assert!(items.iter().all(|p| p.ends_with(".score") && *p != first), "{items:?}");
    b.eval("document.querySelector('#checks details').open = true, true");
    b.eval("document.getElementById('checks').scrollIntoView({block: 'start'}), true");
    b.shot("serve-unscored.png");
    b.eval("document.querySelectorAll('#checks .group-items .finding-link')[4].click(), true");
    assert_eq!(b.eval("document.body.dataset.revealed"), Value::from(items[4].as_str()));
    assert_eq!(b.eval("document.activeElement.closest('[data-path]').dataset.path"), Value::from(items[4].as_str()));

    // All but three filled: those three are named one by one.
    b.fill_every_score();
    b.settle();
    for p in &items[..3] {
        b.type_into(p, "");
    }
    b.settle();
    assert_eq!(b.eval("document.getElementById('scores-summary').textContent"), Value::from(""));
    let named = b.eval("[...document.querySelectorAll('#scores tbody .finding')].filter(f => f.textContent.includes('没有填写自评得分')).length");
    assert_eq!(named, Value::from(3));
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(s.dir.path().join("简单.toml")).unwrap()).unwrap();
    let scored = saved["indicators"].as_array().unwrap().iter().map(count_scores).sum::<usize>();
    assert_eq!(scored as u64, inputs - 3);
}

/// How many indicators under `v` (itself included) have a score.
fn count_scores(v: &toml::Value) -> usize {
    usize::from(v.get("score").is_some()) + v.get("indicators").and_then(|i| i.as_array()).map_or(0, |a| a.iter().map(count_scores).sum())
}

impl Browser {
    /// Click the grid tool `op` on the indicator row `path`.
    fn grid_tool(&mut self, path: &str, op: &str) {
        let js = format!(
            "(() => {{ const b = document.querySelector('#scores tr[data-indicator=\"{path}\"] [data-op=\"{op}\"]'); if (!b || b.disabled) return false; b.click(); return true; }})()"
        );
        assert_eq!(self.eval(&js), Value::Bool(true), "no {op} on {path}");
        // A delete first asks.
        if op != "delete" {
            self.settle();
        }
    }

    /// The grid's rows: path, name and weight (as typed, else the sum shown).
    fn grid_rows(&mut self) -> Vec<(String, String, String)> {
        let v = self.eval(
            "JSON.stringify([...document.querySelectorAll('#scores tr[data-indicator]')].map(tr => { const w = tr.children[1].querySelector('input'); \
             return [tr.dataset.indicator, tr.querySelector('.name input').value, w.value || w.placeholder]; }))",
        );
        serde_json::from_str(v.as_str().unwrap()).unwrap()
    }

    /// The words under the indicator row `path`.
    fn row_findings(&mut self, path: &str) -> String {
        self.eval(&format!("document.querySelector('[data-findings-of=\"{path}\"]').textContent")).as_str().unwrap().to_string()
    }
}

fn rows_of(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect()
}

/// A unit's own indicator tree, built in the grid: named, weighted, an
/// indicator and a level added and taken out; the sums and the total
/// follow, and check's findings on the weights are shown in plain words at
/// their rows; the file, `check` and the PDF have the tree.
#[test]
fn the_unit_builds_its_own_indicator_tree_in_the_grid() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, mut b) = editor_on("自建.toml", BARE);
    assert_eq!(b.eval("document.getElementById('own-indicators').click(), true"), Value::Bool(true));
    b.wait_for("!!document.querySelector('#scores table.grid.own')", "the grid of the unit's own indicators");
    b.settle();
    assert_eq!(b.grid_rows(), rows_of(&[("indicators[0]", "【请填写：指标名称】", "100")]));
    // The new indicator's name has the focus, to be typed over.
    assert_eq!(b.eval("document.activeElement.closest('[data-path]').dataset.path"), Value::from("indicators[0].name"));
    b.type_into("indicators[0].name", "履职效能");
    // A level below: its first indicator takes over the weight.
    b.grid_tool("indicators[0]", "indicator_child");
    b.type_into("indicators[0].indicators[0].name", "重点工作完成率");
    b.type_into("indicators[0].indicators[0].weight", "60");
    b.settle();
    let said = b.row_findings("indicators[0]");
    assert!(said.contains("指标“履职效能”的分值应为其下各项之和 重点工作完成率 60 = 60，实际填写 100"), "{said}");
    for jargon in ["weight", "（第", "indicators"] {
        assert!(!said.contains(jargon), "{jargon} in {said}");
    }
    b.grid_tool("indicators[0].indicators[0]", "indicator_after");
    b.type_into("indicators[0].indicators[1].name", "群众满意度");
    b.type_into("indicators[0].indicators[1].weight", "40");
    b.settle();
    assert_eq!(b.row_findings("indicators[0]"), "");
    // One more 一级指标: the top weights no longer make 100, and the grid says so.
    assert_eq!(b.eval("document.querySelector('#scores [data-op=indicator_top]').click(), true"), Value::Bool(true));
    b.settle();
    b.type_into("indicators[1].name", "管理效率");
    b.type_into("indicators[1].weight", "20");
    b.settle();
    assert_eq!(b.eval("document.getElementById('weight-total').textContent"), Value::from("120"));
    let said = b.row_findings("indicators[0]");
    assert!(said.contains("一级指标分值之和应为 100，实际为 履职效能 100 + 管理效率 20 = 120"), "{said}");
    b.type_into("indicators[0].weight", "80");
    b.type_into("indicators[0].indicators[0].weight", "50");
    b.type_into("indicators[0].indicators[1].weight", "30");
    b.settle();
    assert_eq!(b.eval("document.getElementById('weight-total').textContent"), Value::from("100"));
    // A level added under 管理效率 and taken out again; a third indicator added and deleted.
    b.grid_tool("indicators[1]", "indicator_child");
    assert_eq!(b.grid_rows().iter().filter(|r| r.0 == "indicators[1].indicators[0]").count(), 1);
    b.grid_tool("indicators[1].indicators[0]", "delete");
    b.wait_for("!!document.querySelector('.modal .confirm')", "the question");
    b.eval("document.querySelector('.modal .confirm').click(), true");
    b.settle();
    b.grid_tool("indicators[1]", "indicator_after");
    b.type_into("indicators[2].name", "临时指标");
    b.grid_tool("indicators[2]", "delete");
    b.wait_for("!!document.querySelector('.modal .confirm')", "the question");
    b.eval("document.querySelector('.modal .confirm').click(), true");
    b.settle();
    assert_eq!(
        b.grid_rows(),
        rows_of(&[
            ("indicators[0]", "履职效能", "80"),
            ("indicators[0].indicators[0]", "重点工作完成率", "50"),
            ("indicators[0].indicators[1]", "群众满意度", "30"),
            ("indicators[1]", "管理效率", "20"),
        ])
    );
    // Scores: the total follows.
    for (p, v) in [("indicators[0].indicators[0].score", "45"), ("indicators[0].indicators[1].score", "28"), ("indicators[1].score", "18")] {
        b.type_into(p, v);
    }
    b.settle();
    assert_eq!(b.eval("document.getElementById('total-cell').textContent"), Value::from("91"));
    b.eval("document.getElementById('scores').scrollIntoView({block: 'start'}), true");
    b.shot("serve-indicators.png");
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));

    let saved = std::fs::read_to_string(s.dir.path().join("自建.toml")).unwrap();
    assert!(saved.starts_with(BARE), "{saved}");
    let data: toml::Table = toml::from_str(&saved).unwrap();
    let tree = data["indicators"].as_array().unwrap();
    assert_eq!(tree.len(), 2, "{saved}");
    assert_eq!((tree[0]["name"].as_str(), tree[0]["weight"].as_integer()), (Some("履职效能"), Some(80)), "{saved}");
    assert_eq!(tree[0]["indicators"][1]["name"].as_str(), Some("群众满意度"));
    // A score is written as the editor's other scores are (a number as text).
    let score = &tree[1]["score"];
    assert_eq!(score.as_integer().map(|v| v.to_string()).or_else(|| score.as_str().map(String::from)).as_deref(), Some("18"), "{saved}");
    assert!(tree[1].get("indicators").is_none(), "the level taken out is still in the file: {saved}");
    let check = Command::new(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
        .args(["check", "自建.toml"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    let text = pdf_text(&s);
    for want in ["履职效能", "重点工作完成率", "群众满意度", "管理效率", "91"] {
        assert!(text.contains(want), "{want} not in the PDF");
    }
}

impl Browser {
    /// Click the cell `cell` of the table `table`, then its merge tool `op`.
    fn merge(&mut self, table: &str, cell: &str, op: &str) {
        let js = format!(
            "(() => {{ const t = document.querySelector('.table-edit[data-path=\"{table}\"]'); const c = t && t.querySelector('[data-cell=\"{cell}\"] textarea'); \
             if (!c) return 'no cell'; c.focus(); const b = t.querySelector('.merge-bar [data-op=\"{op}\"]'); \
             if (!b || b.disabled) return 'no tool'; b.click(); return true; }})()"
        );
        assert_eq!(self.eval(&js), Value::Bool(true), "{op} on {cell}");
        self.settle();
    }

    /// The spans of the cell `cell` as the page draws it.
    fn spans(&mut self, cell: &str) -> Value {
        self.eval(&format!("(() => {{ const c = document.querySelector('[data-cell=\"{cell}\"]'); return c ? [c.rowSpan, c.colSpan, c.tagName] : null; }})()"))
    }
}

/// A table's header rows are added and typed in, and its cells merged
/// right and down and split again in the page; the page, the file,
/// `check` and the PDF follow.
#[test]
fn table_headers_and_merged_cells_are_edited_in_the_page() {
    if !chromium_or_skip() {
        return;
    }
    let (_one, s, mut b) = editor_on("表格.toml", BARE);
    b.eval("document.querySelector('.section[data-path=\"sections[0]\"] > .adders [data-op=table_add]').click(), true");
    b.settle();
    let table = "sections[0].blocks[2].table";
    b.type_into("sections[0].blocks[1].paragraph", "表1：重点指标完成情况");
    assert_eq!(b.eval(&format!("document.querySelector('.table-edit[data-path=\"{table}\"] [data-op=header_add]').click(), true")), Value::Bool(true));
    b.settle();
    for (i, t) in ["指标", "完成情况", ""].iter().enumerate() {
        b.type_into(&format!("{table}.header[0][{i}]"), t);
    }
    for (i, t) in ["名称", "目标值", "实际值"].iter().enumerate() {
        b.type_into(&format!("{table}.columns[{i}].title"), t);
    }
    for (r, row) in [["产出指标", "100", "98"], ["", "95", "96"]].iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            b.type_into(&format!("{table}.rows[{r}][{c}]"), t);
        }
    }
    // The header's 完成情况 over both figures; 产出指标 over both rows.
    b.merge(table, &format!("{table}.header[0][1]"), "merge_right");
    assert_eq!(b.spans(&format!("{table}.header[0][1]")), json!([1, 2, "TH"]));
    b.merge(table, &format!("{table}.rows[0][0]"), "merge_down");
    assert_eq!(b.spans(&format!("{table}.rows[0][0]")), json!([2, 1, "TD"]));
    assert_eq!(b.eval(&format!("document.querySelector('tr[data-row=\"{table}.rows[1]\"]').querySelectorAll('[data-cell]').length")), Value::from(2));
    // Split and merged again.
    b.merge(table, &format!("{table}.rows[0][0]"), "unmerge");
    assert_eq!(b.spans(&format!("{table}.rows[0][0]")), json!([1, 1, "TD"]));
    assert_eq!(b.eval(&format!("document.querySelector('tr[data-row=\"{table}.rows[1]\"]').querySelectorAll('[data-cell]').length")), Value::from(3));
    b.merge(table, &format!("{table}.rows[0][0]"), "merge_down");
    // Not possible: refused in words, nothing changes.
    let (status, r) = api(&s, "POST", "/api/outline", json!({"op": "merge_right", "path": format!("{table}.rows[0][2]")}));
    assert_eq!(status, 400);
    assert_eq!(r["error"], "右边没有同样高的单元格可以合并");
    b.eval(&format!("document.querySelector('.table-edit[data-path=\"{table}\"]').scrollIntoView({{block: 'center'}}), true"));
    b.eval(&format!("document.querySelector('[data-cell=\"{table}.rows[0][1]\"] textarea').focus(), true"));
    b.shot("serve-merge.png");
    let (_, state) = api(&s, "GET", "/api/state", Value::Null);
    assert!(!state["stale"].as_bool().unwrap(), "{}", state["findings"]);
    assert_eq!(b.eval("(async () => { await window.jixiaoSave(false); return true; })()"), Value::Bool(true));

    let saved = std::fs::read_to_string(s.dir.path().join("表格.toml")).unwrap();
    let data: toml::Table = toml::from_str(&saved).unwrap();
    let t = &data["sections"][0]["blocks"][2]["table"];
    assert_eq!(t["header"], toml::Value::try_from(json!([["指标", {"text": "完成情况", "colspan": 2}]])).unwrap(), "{saved}");
    assert_eq!(t["rows"], toml::Value::try_from(json!([[{"text": "产出指标", "rowspan": 2}, "100", "98"], ["95", "96"]])).unwrap(), "{saved}");
    let check = Command::new(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
        .args(["check", "表格.toml"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    let text = pdf_text(&s);
    assert!(text.contains("指标完成情况") && text.contains("名称目标值实际值"), "{text}");
    assert_eq!(text.matches("产出指标").count(), 1, "{text}");
}
