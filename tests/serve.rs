//! `candor serve` on an ephemeral loopback port: pages, HEAD and CORS on the
//! API, the site's 404, traversal attempts sent byte for byte, and many
//! concurrent clients.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(output: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--root", path(&repo()), "--output", path(output), "--port", "0", "--now", NOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Server { child, addr }
}

/// Sends `target` exactly as given; returns (status, headers, body).
fn request(addr: &str, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a full response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

#[test]
fn serves_pages_api_and_the_sites_404() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("site"));
    let (status, head, body) = request(&server.addr, "GET", "/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Northwind Cloud Status"));

    let (status, head, body) = request(&server.addr, "HEAD", "/api/v2/summary.json");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/json"), "{head}");
    assert!(head.contains("Access-Control-Allow-Origin: *"), "{head}");
    let length: usize = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).expect("length").parse().unwrap();
    assert_eq!(length, std::fs::metadata(dir.path().join("site/api/v2/summary.json")).unwrap().len() as usize);
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

#[test]
fn traversal_attempts_are_all_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A secret beside the output folder that no request may reach.
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = start(&dir.path().join("site"));
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
        &format!("/{}", dir.path().join("secret.txt").display()),
    ];
    for target in attempts {
        let (status, _, body) = request(&server.addr, "GET", target);
        assert!(!String::from_utf8_lossy(&body).contains("TOP SECRET"), "{target} leaked the secret");
        assert!(status == 400 || status == 404, "{target}: status {status}");
    }
}

#[test]
fn many_concurrent_clients_are_all_answered() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("site"));
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
