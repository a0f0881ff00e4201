//! A small WebDriver client (just what the browser tests use) driving Debian's chromium through
//! chromedriver, started as a child process on a free loopback port.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The W3C key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Every wait in the browser tests gives up after this long.
pub const WAIT: Duration = Duration::from_secs(30);

fn find_program(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env)
        && !p.is_empty()
    {
        return Some(PathBuf::from(p)).filter(|p| p.exists());
    }
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

/// Chromium and chromedriver, if installed. `None` prints that the test is skipped, unless
/// `EVENTDAY_REQUIRE_BROWSER=1`, which turns a missing browser into a failure.
pub fn programs(test: &str) -> Option<(PathBuf, PathBuf)> {
    let chromium = find_program("EVENTDAY_CHROMIUM", &["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let driver = find_program("EVENTDAY_CHROMEDRIVER", &["/usr/bin/chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            let required = std::env::var("EVENTDAY_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{test}: chromium or chromedriver is missing and EVENTDAY_REQUIRE_BROWSER=1 (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "SKIPPED browser test {test}: chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
            );
            None
        }
    }
}

/// A chromedriver process with one browser session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    /// Where downloads land.
    pub downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless chromium of the given window size.
    pub async fn start(chromium: &Path, chromedriver: &Path, width: u32, height: u32) -> Browser {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("addr").port()
        };
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(r) = http.get(format!("{base}/status")).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let downloads = tempfile::tempdir().expect("download dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {"pageLoad": 30000, "script": 30000, "implicit": 0},
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                    "--disable-dev-shm-usage", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                ],
                "prefs": {
                    "download.default_directory": downloads.path().display().to_string(),
                    "download.prompt_for_download": false,
                    "safebrowsing.enabled": false,
                },
            },
        }}});
        let mut b = Browser { driver, base, session: String::new(), http, downloads, _profile: profile };
        let v = b.call("POST", "/session", Some(caps)).await;
        b.session = v["sessionId"].as_str().expect("session id").to_owned();
        // Chromium keeps windows at least ~500 px wide; the viewport itself is set exactly.
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        )
        .await;
        // Headless chromium saves downloads only when told where.
        let dir = b.downloads.path().display().to_string();
        b.cdp("Browser.setDownloadBehavior", json!({"behavior": "allow", "downloadPath": dir})).await;
        b
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, v) = self.try_call(method, path, body).await;
        assert!(status.is_success(), "webdriver {method} {path}: {status} {v}");
        v["value"].clone()
    }

    /// A WebDriver command's status and whole answer, without judging it.
    async fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> (reqwest::StatusCode, Value) {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let req = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self.http.post(&url).json(&body.unwrap_or(json!({}))),
        };
        let resp = req.send().await.unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"));
        let status = resp.status();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        (status, v)
    }

    /// Runs a Chrome DevTools Protocol command.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call("POST", "/goog/cdp/execute", Some(json!({"cmd": cmd, "params": params}))).await
    }

    /// Cuts the network off (`true`) or restores it, as DevTools' offline mode does
    /// (chromedriver keeps the setting across navigations).
    pub async fn offline(&self, off: bool) {
        if off {
            let conditions = json!({"network_conditions": {
                "offline": true, "latency": 0, "download_throughput": 0, "upload_throughput": 0}});
            self.call("POST", "/chromium/network_conditions", Some(conditions)).await;
        } else {
            self.call("DELETE", "/chromium/network_conditions", None).await;
        }
    }

    /// Opens a URL and waits for the document to load.
    pub async fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url}))).await;
    }

    /// Runs a script (its body; `arguments` holds `args`) and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": args}))).await
    }

    /// Finds the first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Value {
        self.wait_for(&format!("return !!document.querySelector({css:?})"), &format!("element {css}")).await;
        let v = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css}))).await;
        let mut m = serde_json::Map::new();
        assert!(v[ELEMENT].is_string(), "no element in {v}");
        m.insert(ELEMENT.to_owned(), v[ELEMENT].clone());
        Value::Object(m)
    }

    fn id(el: &Value) -> String {
        el[ELEMENT].as_str().expect("element reference").to_owned()
    }

    /// Clicks an element (scrolled into view first). A page that re-renders the element between
    /// finding and clicking it (a list refreshed from the server) gets the new one clicked.
    pub async fn click(&self, css: &str) {
        for attempt in 0..3 {
            let el = self.find(css).await;
            // Centre it first: the lead page's sticky status bar would cover an element at the top.
            let (_, moved) = self
                .try_call(
                    "POST",
                    "/execute/sync",
                    Some(json!({"script": "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'}); return true", "args": [el.clone()]})),
                )
                .await;
            let (status, v) = self.try_call("POST", &format!("/element/{}/click", Self::id(&el)), None).await;
            if status.is_success() {
                return;
            }
            let stale = v["value"]["error"] == "stale element reference"
                || moved["value"]["error"] == "stale element reference";
            assert!(stale && attempt < 2, "webdriver click {css}: {status} {v}");
        }
    }

    /// Types into an element.
    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.call("POST", &format!("/element/{}/value", Self::id(&el)), Some(json!({"text": text}))).await;
    }

    /// The text of the first element matching `css` ("" when absent).
    pub async fn text(&self, css: &str) -> String {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''",
            vec![json!(css)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Waits until a script returns true (polling every 100 ms), failing after [`WAIT`].
    pub async fn wait_for(&self, script: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            if self.js(script, vec![]).await == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element's text equals `want`.
    pub async fn wait_text(&self, css: &str, want: &str) {
        let script = format!(
            "const e = document.querySelector({css:?}); return !!e && e.textContent.trim() === {want:?}"
        );
        let deadline = Instant::now() + WAIT;
        loop {
            if self.js(&script, vec![]).await == Value::Bool(true) {
                return;
            }
            if Instant::now() >= deadline {
                panic!("timed out waiting for {css} to read {want:?}; it reads {:?}", self.text(css).await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Drags with the mouse from the centre of an element by (dx, dy) CSS pixels, in steps.
    pub async fn drag_by(&self, css: &str, dx: f64, dy: f64) {
        let el = self.find(css).await;
        let steps = 8;
        let mut actions = vec![
            json!({"type": "pointerMove", "duration": 0, "origin": el, "x": 0, "y": 0}),
            json!({"type": "pointerDown", "button": 0}),
        ];
        let (mut px, mut py) = (0.0_f64, 0.0_f64);
        for i in 1..=steps {
            let f = f64::from(i) / f64::from(steps);
            let (nx, ny) = ((dx * f).round(), (dy * f).round());
            actions.push(json!({"type": "pointerMove", "duration": 20, "origin": "pointer", "x": (nx - px) as i64, "y": (ny - py) as i64}));
            (px, py) = (nx, ny);
        }
        actions.push(json!({"type": "pointerUp", "button": 0}));
        let body = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": actions}]});
        self.call("POST", "/actions", Some(body)).await;
        self.call("DELETE", "/actions", None).await;
    }

    /// Drags with the mouse from the viewport point (x, y) by (dx, dy) CSS pixels, in steps.
    pub async fn drag_at(&self, x: f64, y: f64, dx: f64, dy: f64) {
        let steps = 8;
        let mut actions = vec![
            json!({"type": "pointerMove", "duration": 0, "origin": "viewport", "x": x.round() as i64, "y": y.round() as i64}),
            json!({"type": "pointerDown", "button": 0}),
        ];
        let (mut px, mut py) = (0.0_f64, 0.0_f64);
        for i in 1..=steps {
            let f = f64::from(i) / f64::from(steps);
            let (nx, ny) = ((dx * f).round(), (dy * f).round());
            actions.push(json!({"type": "pointerMove", "duration": 20, "origin": "pointer", "x": (nx - px) as i64, "y": (ny - py) as i64}));
            (px, py) = (nx, ny);
        }
        actions.push(json!({"type": "pointerUp", "button": 0}));
        let body = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": actions}]});
        self.call("POST", "/actions", Some(body)).await;
        self.call("DELETE", "/actions", None).await;
    }

    /// Prints the page as Chromium does to PDF (the page's own @page size and margins).
    pub async fn print_pdf(&self) -> Vec<u8> {
        let v =
            self.cdp("Page.printToPDF", json!({"preferCSSPageSize": true, "printBackground": true})).await;
        decode_base64(v["data"].as_str().unwrap_or_default())
    }

    /// Saves a PNG screenshot of the viewport.
    #[allow(dead_code)]
    pub async fn screenshot(&self, file: &Path) {
        let v = self.call("GET", "/screenshot", None).await;
        let bytes = decode_base64(v.as_str().unwrap_or_default());
        std::fs::write(file, bytes).expect("write screenshot");
    }

    /// Ends the session and chromedriver.
    pub async fn quit(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), async {
            let url = format!("{}/session/{}", self.base, self.session);
            self.http.delete(url).send().await.ok();
        })
        .await;
        self.driver.kill().ok();
        self.driver.wait().ok();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A failed test must not leave chromedriver (and its browser) behind.
        self.driver.kill().ok();
        self.driver.wait().ok();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let Some(v) = T.iter().position(|t| *t == c) else { continue };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}
