//! `candor serve` on an ephemeral loopback port: pages, HEAD and CORS on the
//! API, the site's 404, the same bytes as `candor build`, traversal attempts
//! sent byte for byte, many concurrent clients, live reload on edits, the
//! error overlay for a broken file, and a clean exit on Ctrl-C.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    /// The rest of the server's stdout, line by line.
    out: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves the site at `root` with the pinned clock.
fn start(root: &Path) -> Server {
    start_with(root, &[], &[])
}

fn start_with(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--root", path(root), "--port", "0", "--now", NOW])
        .args(extra)
        .envs(env.iter().copied())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        let line = out.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("the server starts");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    Server { child, addr, out }
}

fn lines(stdout: ChildStdout) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A copy of the example site in a temporary folder.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    dir
}

/// Sends `target` exactly as given; returns (status, headers, body).
fn request(addr: &str, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a full response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn get(addr: &str, target: &str) -> (u16, String) {
    let (status, _, body) = request(addr, "GET", target);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The page as `candor build` writes it: without the live-reload script.
fn without_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let start = text.find("<script data-candor-live>").expect("served pages carry the reload script");
    let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

#[test]
fn serves_pages_api_and_the_sites_404() {
    let site = example();
    let server = start(site.path());
    let (status, head, body) = request(&server.addr, "GET", "/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Northwind Cloud Status"));

    let (status, head, body) = request(&server.addr, "HEAD", "/api/v2/summary.json");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/json"), "{head}");
    assert!(head.contains("Access-Control-Allow-Origin: *"), "{head}");
    let length: usize = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).expect("length").parse().unwrap();
    let (_, _, full) = request(&server.addr, "GET", "/api/v2/summary.json");
    assert_eq!(length, full.len());
    assert!(body.is_empty(), "HEAD sent a body");

    let (status, head, _) = request(&server.addr, "GET", "/history.atom");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/atom+xml"), "{head}");
    let (_, head, _) = request(&server.addr, "GET", "/index.html");
    assert!(!head.contains("Access-Control-Allow-Origin"), "pages need no CORS");

    let (status, _, body) = request(&server.addr, "GET", "/no/such/page");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"), "the site's own 404 page");

    let (status, head, _) = request(&server.addr, "GET", "/history");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /history/"), "{head}");
    let (status, _, _) = request(&server.addr, "POST", "/");
    assert_eq!(status, 405);
}

/// The process runs without transparent huge pages (`main` turns them
/// off: with them the kernel zeroed whole 2 MiB pages for a build that
/// frees and reallocates far more than it holds).
#[test]
#[cfg(target_os = "linux")]
fn the_process_runs_without_transparent_huge_pages() {
    let site = example();
    let server = start(site.path());
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let thp = status.lines().find_map(|l| l.strip_prefix("THP_enabled:")).expect("a kernel that says (5.0 and later)");
    assert_eq!(thp.trim(), "0", "{status}");
}

/// `serve` publishes what `build` publishes: an incident that starts after
/// the clock is not served yet.
#[test]
fn an_incident_that_has_not_started_is_not_served() {
    let site = example();
    std::fs::write(
        site.path().join("content/incidents/2026-11-23-dns-outage.md"),
        "+++\ntitle = \"DNS outage\"\nimpact = \"major\"\nstarted = 2026-11-23T06:00:00Z\n\
         [[updates]]\nat = 2026-11-23T06:05:00Z\nstatus = \"investigating\"\nbody = \"Name lookups fail in every region we serve.\"\n+++\n",
    )
    .unwrap();
    let server = start(site.path());
    let (status, _) = get(&server.addr, "/incidents/2026-11-23-dns-outage/index.html");
    assert_eq!(status, 404);
    for target in ["/index.html", "/api/v2/incidents/unresolved.json", "/history.atom"] {
        let (status, body) = get(&server.addr, target);
        assert_eq!(status, 200, "{target}");
        assert!(!body.contains("2026-11-23-dns-outage"), "{target} announces it");
    }
}

#[test]
fn traversal_attempts_are_all_refused() {
    let site = example();
    let dir = site.path();
    // Secrets in the site folder and beside it that no request may reach,
    // and a static/ folder (served as is) with a symlink leading out.
    std::fs::write(dir.join("secret.txt"), "TOP SECRET").unwrap();
    std::fs::create_dir_all(dir.join("static/sub")).unwrap();
    std::fs::write(dir.join("static/sub/ok.txt"), "fine").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("static/leak.txt")).unwrap();
    let server = start(dir);
    assert_eq!(get(&server.addr, "/sub/ok.txt"), (200, "fine".to_owned()), "static files are served");
    let attempts = [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/incidents/../../secret.txt",
        "/incidents/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/..%252fsecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%00/../secret.txt",
        "/index.html%00",
        "/C:/secret.txt",
        "/..;/secret.txt",
        "//../secret.txt",
        "/./../secret.txt",
        "/api/v2/../../../secret.txt",
        "/static/../secret.txt",
        "/sub/../../secret.txt",
        "/leak.txt",
        "/status.toml",
        "/../status.toml",
        &format!("/{}", dir.join("secret.txt").display()),
    ];
    for target in attempts {
        let (status, _, body) = request(&server.addr, "GET", target);
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("TOP SECRET") && !body.contains("[[components]]"), "{target} leaked a file");
        assert!(status == 400 || status == 404, "{target}: status {status}");
    }
}

#[test]
fn many_concurrent_clients_are_all_answered() {
    let site = example();
    let server = start(site.path());
    // A client that connects and sends nothing must not block the others.
    let _idle = TcpStream::connect(&server.addr).unwrap();
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let target = if i % 2 == 0 { "/api/v2/status.json" } else { "/history/index.html" };
                request(&addr, "GET", target).0
            })
        })
        .collect();
    let ok = threads.into_iter().map(|t| t.join().unwrap()).filter(|s| *s == 200).count();
    assert_eq!(ok, 200);
}

#[test]
fn serves_exactly_what_build_writes_and_build_has_no_reload_script() {
    let site = example();
    let out = tempfile::tempdir().unwrap();
    build(site.path(), &out.path().join("site"));
    let built = snapshot(&out.path().join("site"));
    let server = start(site.path());
    assert!(built.len() > 100, "the example has many outputs");
    // The marker saying the folder is a build output, and the manifest of
    // the build, are not the site's; the preview has no version, and shows
    // the placeholder the build replaces with it.
    let manifest: serde_json::Value = serde_json::from_slice(&built["manifest.json"]).unwrap();
    let version = manifest["version"].as_str().unwrap().to_owned();
    const PLACEHOLDER: &str = "unversioned00000000000000000000000000000000000000000000000000000";
    for (rel, bytes) in
        built.iter().filter(|(rel, _)| !matches!(rel.as_str(), ".candor-output" | ".candor-keys" | "manifest.json"))
    {
        let bytes = &if rel.ends_with(".html") || rel == "api/v2/summary.json" {
            String::from_utf8(bytes.clone()).unwrap().replace(&version, PLACEHOLDER).into_bytes()
        } else {
            bytes.clone()
        };
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("data-candor-live") && !text.contains("__candor"),
            "{rel}: build output has the reload script"
        );
        let (status, head, body) = request(&server.addr, "GET", &format!("/{rel}"));
        assert_eq!(status, 200, "{rel}");
        let served = if head.contains("Content-Type: text/html") { without_script(&body) } else { body };
        assert!(served == *bytes, "{rel}: served bytes differ from the built file");
    }
}

/// A live-reload connection, as a tab's EventSource makes it.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(stream, "GET /__candor/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut events = Events(BufReader::new(stream));
        let mut line = String::new();
        events.0.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut head = String::new();
        while line != "\r\n" {
            line.clear();
            events.0.read_line(&mut line).unwrap();
            head.push_str(&line);
        }
        assert!(head.contains("Content-Type: text/event-stream"), "{head}");
        events
    }

    /// The generation the next `generation` event names.
    fn next(&mut self) -> u64 {
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "no new generation within a minute");
            line.clear();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "the event stream ended");
            if let Some(n) = line.trim_end().strip_prefix("data: ") {
                return n.parse().unwrap();
            }
        }
    }
}

/// The generation a served page's reload script holds.
fn page_generation(page: &str) -> u64 {
    let at = page.find("var g=\"").expect("reload script") + 7;
    page[at..].split('"').next().unwrap().parse().unwrap()
}

const EDITED: &str = "content/incidents/2025-01-14-kubernetes-control-plane-ap-southeast.md";
const EDITED_PAGE: &str = "/incidents/2025-01-14-kubernetes-control-plane-ap-southeast/";

/// Saves `text` the way many editors do: a temporary file renamed over it.
fn save_atomically(file: &Path, text: &str) {
    let tmp = file.with_file_name(format!(".{}.tmp", file.file_name().unwrap().to_string_lossy()));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

#[test]
fn an_edit_reloads_open_tabs_and_a_broken_file_shows_the_overlay_until_fixed() {
    let site = example();
    let server = start(site.path());
    let (status, page) = get(&server.addr, EDITED_PAGE);
    assert_eq!(status, 200);
    let mut events = Events::open(&server.addr);
    let first = events.next();
    assert_eq!(first, page_generation(&page), "a fresh tab is told the generation it shows");

    // An edit saved in place: one reload event, and the new text served.
    let file = site.path().join(EDITED);
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = original.replace(
        "title = \"Managed Kubernetes API servers unreachable in Asia Pacific Southeast\"",
        "title = \"Kubernetes API servers unreachable (edited while serving)\"",
    );
    assert_ne!(edited, original);
    std::fs::write(&file, &edited).unwrap();
    let second = events.next();
    assert!(second > first);
    let (_, page) = get(&server.addr, EDITED_PAGE);
    assert!(page.contains("Kubernetes API servers unreachable (edited while serving)"), "new content served");
    assert_eq!(page_generation(&page), second);
    assert!(!page.contains("candor-overlay"));
    let (_, history) = get(&server.addr, "/history.atom");
    assert!(history.contains("edited while serving"), "channels are rebuilt too");

    // A broken save: the last good site, with the error over it.
    save_atomically(&file, &edited.replacen("impact = ", "impcat = ", 1));
    let third = events.next();
    assert!(third > second);
    let (status, page) = get(&server.addr, EDITED_PAGE);
    assert_eq!(status, 200, "the last good page is still served");
    assert!(page.contains("edited while serving"));
    assert!(page.contains("candor-overlay"), "the overlay is shown");
    let line = edited.lines().position(|l| l.starts_with("impact = ")).unwrap() + 1;
    let location = format!("{EDITED}:{line}:1: error: unknown key `impcat`");
    assert!(page.contains(&location), "the overlay names file, line and problem: {location}");
    let (_, front) = get(&server.addr, "/");
    assert!(front.contains(&location), "every page shows the overlay");

    // Fixed: the overlay goes away.
    save_atomically(&file, &original);
    let fourth = events.next();
    assert!(fourth > third);
    let (_, page) = get(&server.addr, EDITED_PAGE);
    assert!(!page.contains("candor-overlay"));
    assert!(page.contains("Managed Kubernetes API servers unreachable in Asia Pacific Southeast"));

    // The terminal hears of a rebuild after the tabs do: wait for its line.
    let mut log: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while log.iter().filter(|l| l.contains("(1 file read)")).count() < 2 {
        match server.out.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => log.push(line),
            Err(_) => break,
        }
    }
    assert!(log.iter().any(|l| l.starts_with("changed: content/incidents/")), "{log:?}");
    assert!(
        log.iter().filter(|l| l.contains("(1 file read)")).count() >= 2,
        "only the edited file is re-read: {log:?}"
    );
}

#[test]
fn templates_static_files_and_new_folders_are_watched() {
    let site = example();
    let server = start(site.path());
    let mut events = Events::open(&server.addr);
    let mut generation = events.next();

    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let notice = "{% extends \"base.html\" %}{% block content %}<p>TEMPLATE OVERRIDE</p>{% endblock %}";
    std::fs::write(site.path().join("templates/page.html"), notice).unwrap();
    // The folder is new: its creation is seen, then the file in it (one or
    // two rebuilds, depending on timing).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        generation = generation.max(events.next());
        let (_, page) = get(&server.addr, "/pages/about/");
        if page.contains("TEMPLATE OVERRIDE") {
            break;
        }
        assert!(Instant::now() < deadline, "the template override was never served");
    }

    std::fs::create_dir_all(site.path().join("static")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        std::fs::write(site.path().join("static/notice.txt"), "hello").unwrap();
        let next = events.next();
        assert!(next > generation);
        generation = next;
        if get(&server.addr, "/notice.txt") == (200, "hello".to_owned()) {
            break;
        }
        assert!(Instant::now() < deadline, "the static file was never served");
    }

    // A template error: the old site stays, with the error.
    std::fs::write(site.path().join("templates/page.html"), "{% block content %}{{ unclosed").unwrap();
    assert!(events.next() > generation);
    let (status, page) = get(&server.addr, "/pages/about/");
    assert_eq!(status, 200);
    assert!(page.contains("TEMPLATE OVERRIDE") && page.contains("candor-overlay"), "{page}");
    assert!(page.contains("page.html"), "the overlay names the template");
}

#[test]
fn a_site_that_does_not_build_at_start_shows_its_errors_then_serves_when_fixed() {
    let site = example();
    let file = site.path().join(EDITED);
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("started = ", "started = 2013-02-29T10:00:00Z\n# was ", 1)).unwrap();
    let server = start(site.path());
    let (status, page) = get(&server.addr, "/");
    assert_eq!(status, 500);
    assert!(page.contains("candor-overlay") && page.contains(EDITED), "{page}");
    let mut events = Events::open(&server.addr);
    let before = events.next();
    std::fs::write(&file, &good).unwrap();
    assert!(events.next() > before);
    let (status, page) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(page.contains("Northwind Cloud Status") && !page.contains("candor-overlay"));
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = example();
    let mut server = start(site.path());
    assert_eq!(get(&server.addr, "/").0, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    let log: Vec<String> = server.out.try_iter().collect();
    assert!(log.iter().any(|l| l == "stopped"), "{log:?}");
    assert!(TcpStream::connect(&server.addr).is_err(), "the port is closed");
}

#[test]
fn open_hands_the_url_to_the_browser() {
    let site = example();
    let opened = site.path().join("opened.txt");
    let browser = site.path().join("browser.sh");
    std::fs::write(&browser, format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display())).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::PermissionsExt::set_mode(&mut std::fs::metadata(&browser).unwrap().permissions(), 0o755);
    #[cfg(unix)]
    std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let server = start_with(site.path(), &["--open"], &[("BROWSER", path(&browser))]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !opened.exists() {
        assert!(Instant::now() < deadline, "no browser was started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(std::fs::read_to_string(&opened).unwrap().trim(), format!("http://{}/", server.addr));
}
