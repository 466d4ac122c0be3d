//! Live reload in a real browser: headless Chromium, driven over the W3C
//! WebDriver protocol by chromedriver, opens a page of `candor serve`; an
//! edit must reload the tab by itself (a marker set in the page is gone and
//! the new title shows), a broken save must put the error overlay on the
//! page, and the fix must take it away.
//!
//! Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them).
//! Without them the test says so and passes, unless CANDOR_REQUIRE_BROWSER
//! is set (as in CI), where a missing browser fails it.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default));
    path.is_file().then_some(path)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One HTTP request with a JSON body; the JSON answer's `value`.
fn call(addr: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver may keep the connection open: read by Content-Length.
    let mut reader = BufReader::new(stream);
    let (mut head, mut line) = (String::new(), String::new());
    while line != "\r\n" {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "{method} {path}: connection closed in the headers");
        head.push_str(&line);
    }
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
        .unwrap_or_else(|| panic!("{method} {path}: no Content-Length in {head}"));
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let raw = format!("{head}{}", String::from_utf8_lossy(&body));
    let json = String::from_utf8_lossy(&body);
    let value: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{method} {path}: {e}: {raw}"));
    assert!(value["value"]["error"].is_null(), "{method} {path}: {value}");
    value["value"].clone()
}

struct Browser {
    driver: String,
    session: String,
    _process: Killed,
}

impl Browser {
    fn start(chromedriver: &Path, chromium: &Path) -> Browser {
        let port = free_port();
        let process = Killed(
            Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let driver = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(&driver).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"];
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": chromium, "args": args}}}});
        let session = call(&driver, "POST", "/session", Some(caps))["sessionId"].as_str().unwrap().to_owned();
        Browser { driver, session, _process: process }
    }

    fn go(&self, url: &str) {
        call(&self.driver, "POST", &format!("/session/{}/url", self.session), Some(json!({ "url": url })));
    }

    fn run(&self, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        call(&self.driver, "POST", &format!("/session/{}/execute/sync", self.session), Some(body))
    }

    /// Runs `script` until `done` holds for its result.
    fn until(&self, what: &str, script: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let value = self.run(script);
            if done(&value) {
                return value;
            }
            assert!(Instant::now() < deadline, "{what}: still {value}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| call(&self.driver, "DELETE", &format!("/session/{}", self.session), None));
    }
}

const FILE: &str = "content/incidents/2025-01-14-kubernetes-control-plane-ap-southeast.md";
const TITLE: &str = "Managed Kubernetes API servers unreachable in Asia Pacific Southeast";
const STATE: &str = "var o = document.getElementById('candor-overlay'); \
    return { probe: typeof window.candorProbe, title: document.querySelector('h1').textContent, \
             overlay: o ? o.textContent : null };";

/// chromedriver and chromium, or `None` (the test then passes, saying so,
/// unless CANDOR_REQUIRE_BROWSER is set).
fn tools() -> Option<(PathBuf, PathBuf)> {
    let (Some(chromedriver), Some(chromium)) =
        (tool("CHROMEDRIVER", "/usr/bin/chromedriver"), tool("CHROMIUM", "/usr/bin/chromium"))
    else {
        assert!(
            std::env::var_os("CANDOR_REQUIRE_BROWSER").is_none(),
            "CANDOR_REQUIRE_BROWSER is set but chromium/chromedriver are missing (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        return None;
    };
    Some((chromedriver, chromium))
}

/// A page built long ago, opened from file:// (no server): age.js must say
/// it may be out of date, in a role="status" notice, and bring its "... ago"
/// and "ongoing for ..." up to the browser's clock.
#[test]
fn an_old_page_says_so_and_its_relative_times_follow_the_clock() {
    let Some((chromedriver, chromium)) = tools() else { return };
    let out = tempfile::tempdir().unwrap();
    // The example's Postgres incident is open then: both kinds of relative time.
    let built =
        candor(&["build", "--root", path(&repo()), "--output", path(out.path()), "--now", "2026-11-22T06:00:00Z"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let html = read(out.path(), "index.html");
    let first = |marker: &str| {
        let at = html.find(marker).unwrap_or_else(|| panic!("no {marker} in index.html")) + marker.len();
        let start = at + html[at..].find('>').unwrap() + 1;
        html[start..start + html[start..].find('<').unwrap()].to_owned()
    };
    let (ago, since) = (first("data-ago"), first("data-since="));
    assert!(!html.contains("stale-notice"), "the notice is the script's, not the page's");

    let browser = Browser::start(&chromedriver, &chromium);
    browser.go(&format!("file://{}/index.html", out.path().display()));
    let state = "var n = document.querySelector('.stale-notice'); \
        return { notice: n ? n.textContent : null, role: n ? n.getAttribute('role') : null, \
                 ago: document.querySelector('time[data-ago]').textContent, \
                 since: document.querySelector('[data-since]').textContent };";
    let seen = browser.until("age.js runs", state, |v| v["notice"].is_string());
    let notice = seen["notice"].as_str().unwrap();
    assert!(
        notice.starts_with("This page was last refreshed ") && notice.ends_with(" ago; it may be out of date."),
        "{notice}"
    );
    assert_eq!(seen["role"], "status");
    assert_ne!(seen["ago"], ago.as_str(), "the \"ago\" follows the clock");
    assert!(seen["ago"].as_str().unwrap().ends_with(" ago"), "{seen}");
    assert_ne!(seen["since"], since.as_str(), "\"ongoing for\" follows the clock");
}

#[test]
fn an_open_tab_reloads_on_save_and_shows_then_clears_the_error_overlay() {
    let Some((chromedriver, chromium)) = tools() else { return };
    let site = tempfile::tempdir().unwrap();
    copy_example(site.path());
    let mut serve = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--root", path(site.path()), "--port", "0", "--now", NOW])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(serve.stdout.take().unwrap());
    let _serve = Killed(serve);
    let addr = loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "candor serve exited");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in out.lines() {});

    let browser = Browser::start(&chromedriver, &chromium);
    browser.go(&format!("http://{addr}/incidents/2025-01-14-kubernetes-control-plane-ap-southeast/"));
    let first = browser.run(STATE);
    assert_eq!(first["title"], TITLE);
    assert!(first["overlay"].is_null());
    // Wait until the tab's event stream is open, then mark the page: a
    // reload forgets the mark, a script that patched the page would not.
    let listening = "return document.documentElement.getAttribute('data-candor-live');";
    browser.until("the tab listens for rebuilds", listening, |v| v == "open");
    browser.run("window.candorProbe = 1; return null;");

    let file = site.path().join(FILE);
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = original.replace(TITLE, "Kubernetes API servers unreachable (seen in a real browser)");
    std::fs::write(&file, &edited).unwrap();
    let after = browser.until("the tab reloads with the edit", STATE, |v| {
        v["title"] == "Kubernetes API servers unreachable (seen in a real browser)"
    });
    assert_eq!(after["probe"], "undefined", "the page was reloaded, not patched");

    browser.run("window.candorProbe = 2; return null;");
    std::fs::write(&file, edited.replacen("impact = ", "impcat = ", 1)).unwrap();
    let broken = browser.until("the overlay shows", STATE, |v| v["overlay"].is_string());
    let overlay = broken["overlay"].as_str().unwrap();
    assert!(overlay.contains(&format!("{FILE}:")) && overlay.contains("unknown key `impcat`"), "{overlay}");
    assert_eq!(
        broken["title"], "Kubernetes API servers unreachable (seen in a real browser)",
        "the last good page stays"
    );
    assert_eq!(broken["probe"], "undefined");

    std::fs::write(&file, &original).unwrap();
    let fixed = browser.until("the overlay goes", STATE, |v| v["overlay"].is_null() && v["title"] == TITLE);
    assert_eq!(fixed["probe"], "undefined");
}
