//! Driving the real desktop app's WebKitGTK webview over WebDriver (W3C), for the end-to-end
//! GUI scenarios.
//!
//! Each [`Gui`] is a world of its own: an X server (Xvfb on a display it picks), a D-Bus session (the
//! single-instance plugin and the tray talk over it) and Debian's `WebKitWebDriver` on a free
//! port, started with `TAURI_WEBVIEW_AUTOMATION` so the app's webview accepts automation. The
//! driver starts the app itself: `/usr/bin/env` with the test's HOME and XDG folders, then the
//! `servicebot-desktop` binary with `--config`. Ending the session ends the app (the driver
//! kills it); dropping the `Gui` ends the whole process group.
//!
//! The client is the few W3C commands the scenarios use, over reqwest, with short timeouts so
//! a broken app fails the test instead of hanging it.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long to wait for the app's window (session creation) and for page state.
const START_TIMEOUT: Duration = Duration::from_secs(40);
pub const UI_TIMEOUT: Duration = Duration::from_secs(15);
/// The W3C name of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Keys for `send_keys` (the W3C code points).
pub const BACKSPACE: char = '\u{E003}';

/// An X server, a D-Bus session and a WebDriver server, for one app at a time.
#[derive(Debug)]
pub struct Gui {
    xvfb: Child,
    driver: Child,
    /// Other programs on this display (the tray host), ended with it.
    others: std::sync::Mutex<Vec<Child>>,
    url: String,
    /// The X display (`:99`), for checks from outside the webview (the window list).
    pub display: String,
    /// The D-Bus session address the app gets, so a second launch finds the first.
    pub dbus: String,
    pub log: PathBuf,
    http: reqwest::Client,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Gui {
    /// Starts the X server, the D-Bus session and the driver; `dir` holds their log.
    pub async fn start(dir: &Path) -> Self {
        let port = free_port();
        let env_file = dir.join("gui-env");
        let log = dir.join("driver.log");
        let log_file = std::fs::File::create(&log).expect("driver log");
        // Xvfb picks a free display itself and writes its number to `-displayfd` (stdout
        // here): unlike `xvfb-run -a`, two tests starting at once never share one. `-ac`: no
        // X authority, so the window list can be read from outside.
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1366x768x24",
                "-ac",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file.try_clone().expect("log"))
            .process_group(0)
            .spawn()
            .expect("Xvfb (scripts/test.sh installs it)");
        let mut number = String::new();
        if let Some(stdout) = xvfb.stdout.take() {
            use std::io::BufRead as _;
            let _ = std::io::BufReader::new(stdout).read_line(&mut number);
        }
        let display = format!(":{}", number.trim());
        let script = format!(
            "echo \"$DBUS_SESSION_BUS_ADDRESS\" > {env}.tmp; mv {env}.tmp {env}; \
             exec WebKitWebDriver --port={port}",
            env = env_file.display()
        );
        // In Xvfb's process group, so one signal ends the display, D-Bus and the driver.
        let group = i32::try_from(xvfb.id()).expect("pid");
        let driver = Command::new("dbus-run-session")
            .args(["--", "sh", "-c"])
            .arg(&script)
            .env("DISPLAY", &display)
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log"))
            .stderr(log_file)
            .process_group(group)
            .spawn()
            .expect("dbus-run-session and WebKitWebDriver (scripts/test.sh installs them)");
        let http = reqwest::Client::builder()
            .timeout(START_TIMEOUT)
            .build()
            .expect("http client");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let ready = match std::fs::read_to_string(&env_file) {
                Ok(_) => http.get(format!("{url}/status")).send().await.is_ok(),
                Err(_) => false,
            };
            if ready {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "WebKitWebDriver did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let dbus = std::fs::read_to_string(&env_file)
            .expect("gui env")
            .trim()
            .to_owned();
        Self {
            xvfb,
            driver,
            others: std::sync::Mutex::new(Vec::new()),
            url,
            display,
            dbus,
            log,
            http,
        }
    }

    /// Starts `binary` with `args` (after `/usr/bin/env` settings such as `HOME=…`) and opens a
    /// session on its first window.
    pub async fn launch(&self, env_args: &[String], binary: &Path, args: &[String]) -> Session {
        let mut all: Vec<String> = env_args.to_vec();
        all.push(binary.display().to_string());
        all.extend(args.iter().cloned());
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "webkitgtk:browserOptions": { "binary": "/usr/bin/env", "args": all }
            }}
        });
        let answer = self
            .http
            .post(format!("{}/session", self.url))
            .json(&capabilities)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status);
        let body: Value = match answer {
            Ok(response) => response.json().await.expect("session json"),
            Err(error) => panic!(
                "the app's window did not open ({error}); driver log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            ),
        };
        let id = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session in {body}"))
            .to_owned();
        Session {
            base: format!("{}/session/{id}", self.url),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("http client"),
        }
    }

    /// The processes of this world (its process group: the display, D-Bus, the driver, the
    /// app it started and everything the app started), each as its command line.
    pub fn processes(&self) -> Vec<String> {
        let group = self.xvfb.id().to_string();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().parse::<u32>().is_ok())
            .filter_map(|entry| {
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                // `pid (comm) state ppid pgrp …`: the name may hold spaces, so after its `)`.
                let after_name = &stat[stat.rfind(')')? + 1..];
                let pgrp = after_name.split_whitespace().nth(2)?;
                if pgrp != group {
                    return None;
                }
                let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
                Some(
                    String::from_utf8_lossy(&cmdline)
                        .split('\0')
                        .filter(|part| !part.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .collect()
    }

    /// How many X windows on this display are named `name` (`xwininfo -root -tree`).
    pub fn windows_named(&self, name: &str) -> usize {
        let output = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", &self.display])
            .output()
            .expect("xwininfo (x11-utils)");
        let quoted = format!("\"{name}\":");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.contains(&quoted))
            .count()
    }

    /// Where the window whose class contains `class` is on screen, once it is embedded in
    /// another window (a tray icon docked in the tray): `(x, y, width, height)` (from
    /// `xwininfo -root -tree`: `WxH+rx+ry  +absx+absy`, children indented under parents).
    pub fn docked_geometry(&self, class: &str) -> Option<(i32, i32, i32, i32)> {
        let output = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", &self.display])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        // A window of the root itself is indented by five spaces; a docked one by more.
        let line = text
            .lines()
            .find(|line| line.contains(class) && line.len() - line.trim_start().len() > 5)?;
        let mut fields = line.split_whitespace().rev();
        let absolute = fields.next()?;
        let size = fields.next()?;
        let (w, h) = size.split('+').next()?.split_once('x')?;
        let mut xy = absolute.trim_start_matches('+').split('+');
        let (x, y) = (xy.next()?.parse().ok()?, xy.next()?.parse().ok()?);
        Some((x, y, w.parse().ok()?, h.parse().ok()?))
    }

    /// How many windows on this display are mapped (a menu opening adds one).
    pub fn mapped_windows(&self) -> usize {
        let output = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", ""])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xdotool");
        String::from_utf8_lossy(&output.stdout).lines().count()
    }

    /// Runs `xdotool` on this display (mouse and keys, as a user would).
    pub fn xdotool(&self, args: &[&str]) {
        let status = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .status()
            .expect("xdotool");
        assert!(status.success(), "xdotool {args:?} failed");
    }

    /// Starts a system tray (`trayer`) on this display, as a desktop panel has one; ended
    /// with the display.
    pub fn start_tray_host(&self) {
        let group = i32::try_from(self.xvfb.id()).expect("pid");
        let tray = Command::new("trayer")
            .args(["--edge", "top", "--align", "right", "--widthtype", "pixel"])
            .args(["--width", "100", "--height", "24"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(group)
            .spawn()
            .expect("trayer (scripts/test.sh installs it)");
        self.others
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(tray);
        // An icon created before the tray owns its X selection never docks: wait for the owner.
        let owner = "import sys\nfrom Xlib import display\nd = display.Display(sys.argv[1])\n\
                     a = d.intern_atom('_NET_SYSTEM_TRAY_S0')\n\
                     print('owned' if d.get_selection_owner(a) else 'free')";
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let output = Command::new("/usr/bin/python3")
                .args(["-c", owner, &self.display])
                .output()
                .expect("Debian's python3 with python3-xlib");
            if String::from_utf8_lossy(&output.stdout).trim() == "owned" {
                return;
            }
            assert!(Instant::now() < deadline, "the tray host never started");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts a desktop notification server on this world's D-Bus session that clicks every
    /// notification offering a click (`support/notifications.py`); its lines (`notify …`,
    /// `clicked …`) go to `log`. Ended with the display.
    pub fn start_notification_server(&self, log: &Path) {
        let group = i32::try_from(self.xvfb.id()).expect("pid");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/notifications.py");
        let out = std::fs::File::create(log).expect("notification log");
        let server = Command::new("/usr/bin/python3")
            .arg(&script)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.dbus)
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .process_group(group)
            .spawn()
            .expect("Debian's python3 with python3-dbus and python3-gi");
        self.others
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(server);
        let deadline = Instant::now() + UI_TIMEOUT;
        while !std::fs::read_to_string(log)
            .unwrap_or_default()
            .contains("ready")
        {
            assert!(
                Instant::now() < deadline,
                "the notification server never started: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes the window named `name` the way a user does (its close button), from outside
    /// the webview.
    pub fn close_window(&self, name: &str) -> usize {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/close-window.py");
        let mut said = String::new();
        let deadline = Instant::now() + UI_TIMEOUT;
        while Instant::now() < deadline {
            let output = Command::new("/usr/bin/python3")
                .arg(&script)
                .args([&self.display, name])
                .output()
                .expect("Debian's python3 with python3-xlib");
            let stdout = String::from_utf8_lossy(&output.stdout);
            let asked: usize = stdout
                .lines()
                .find_map(|line| line.trim().strip_prefix("asked="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if asked > 0 {
                return asked;
            }
            said.push_str(&format!(
                "[{}] {stdout}{}\n",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
            std::thread::sleep(Duration::from_millis(100));
        }
        let tree = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", &self.display])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        panic!("no window named {name:?} could be asked to close: {said}\n{tree}");
    }
}

impl Drop for Gui {
    fn drop(&mut self) {
        // The whole group: Xvfb, dbus-daemon, the driver and any app it started.
        let group = format!("-{}", self.xvfb.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.wait();
        let others = self
            .others
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for other in others {
            let _ = other.wait();
        }
        let _ = self.xvfb.wait();
    }
}

/// A WebDriver session: the app's first window.
#[derive(Debug)]
pub struct Session {
    base: String,
    http: reqwest::Client,
}

/// An element found on the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let body: Value = response.json().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body["value"].clone())
        } else {
            Err(format!("{status}: {}", body["value"]))
        }
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// The first element matching `css`, if any.
    pub async fn find(&self, css: &str) -> Option<Element> {
        let found = self
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await
            .ok()?;
        found[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
    }

    /// Waits until `css` matches.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            assert!(Instant::now() < deadline, "nothing matched {css}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `css` matches an element whose text satisfies `check`; returns the text.
    pub async fn wait_for_text(&self, css: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        loop {
            if let Some(element) = self.find(css).await {
                last = self.text(&element).await;
                if check(&last) {
                    return last;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css} never matched; last text {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn text(&self, element: &Element) -> String {
        self.call(
            reqwest::Method::GET,
            &format!("/element/{}/text", element.0),
            None,
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
    }

    /// Clicks `element` after scrolling it to the middle of the page, so a pinned bar (the
    /// settings page's Save) never covers it.
    pub async fn click(&self, element: &Element) {
        let _ = self
            .post(
                "/execute/sync",
                json!({
                    "script": "arguments[0].scrollIntoView({ block: 'center' });",
                    "args": [{ ELEMENT_KEY: element.0 }]
                }),
            )
            .await;
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await
            .unwrap_or_else(|e| panic!("click failed: {e}"));
    }

    /// Clears an input and types `text` into it.
    pub async fn type_into(&self, element: &Element, text: &str) {
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .await
            .unwrap_or_else(|e| panic!("clear failed: {e}"));
        self.post(
            &format!("/element/{}/value", element.0),
            json!({ "text": text }),
        )
        .await
        .unwrap_or_else(|e| panic!("typing failed: {e}"));
    }

    /// Runs `script` in the page (`arguments` are `args`) and returns its result.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Runs `script` in the page asynchronously: it ends by calling its last argument with the
    /// result, which is returned.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Saves a PNG of the window, after two animation frames so the page has painted.
    pub async fn screenshot(&self, path: &Path) {
        let _ = self
            .post(
                "/execute/async",
                json!({
                    "script": "const done = arguments[0]; \
                               requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                    "args": []
                }),
            )
            .await;
        let data = self
            .call(reqwest::Method::GET, "/screenshot", None)
            .await
            .unwrap_or_else(|e| panic!("screenshot failed: {e}"));
        let png = decode_base64(data.as_str().unwrap_or_default());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("screenshot file");
    }

    /// Ends the session (the driver kills the app).
    pub async fn quit(self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
    }
}

/// Standard base64 (the screenshot encoding), without a crate for twenty lines.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes().filter_map(value) {
        buffer = (buffer << 6) | byte;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes() {
        assert_eq!(super::decode_base64("aGVsbG8="), b"hello");
        assert_eq!(super::decode_base64("UE5H"), b"PNG");
    }
}
