//! `candor serve` under pressure: many connections that send nothing or
//! their request byte by byte cost no thread each and are cut off; the
//! live-reload streams are bounded and let dead peers go; requests for
//! another host (DNS rebinding) are refused unless allowed.

mod common;

use common::*;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--root", path(root), "--port", "0", "--now", NOW])
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let addr = loop {
        let line = out.next().expect("the server starts").unwrap();
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || out.for_each(drop));
    let port = addr.rsplit(':').next().unwrap().parse().unwrap();
    Server { child, addr, port }
}

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    dir
}

/// Sends `head` (request line and headers, without the blank line) on a
/// new connection; returns the status and the body.
fn send(addr: &str, head: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse(&raw)
}

fn parse(raw: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a full response");
    (head.split(' ').nth(1).unwrap().parse().unwrap(), body.to_owned())
}

/// A line of the server's /proc status, such as `Threads` or `VmRSS`.
fn proc_status(server: &Server, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let line = status.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Whether the server closed `stream` by `deadline`.
fn closed_by(mut stream: &TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return true,
            // A 503 or 408-like answer before the close is fine.
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return false,
            Err(_) => return true,
        }
    }
}

#[test]
fn idle_and_slow_clients_hold_no_thread_and_are_cut_off() {
    let site = example();
    let server = start(site.path(), &[]);
    let host = format!("Host: {}", server.addr);
    assert_eq!(send(&server.addr, &format!("GET / HTTP/1.1\r\n{host}")).0, 200);
    let threads = proc_status(&server, "Threads");
    let rss = proc_status(&server, "VmRSS");

    // 300 clients: most send nothing, some half a head, some a byte at a time.
    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = (0..300).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    for stream in idle.iter_mut().skip(200).take(80) {
        stream.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
    }
    let slow: Vec<TcpStream> = idle.iter().skip(280).map(|s| s.try_clone().unwrap()).collect();
    let trickle = std::thread::spawn(move || {
        let mut slow = slow;
        let started = Instant::now();
        let text = b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        for byte in text.iter().cycle() {
            slow.retain_mut(|s| s.write_all(&[*byte]).is_ok());
            if slow.is_empty() || started.elapsed() > Duration::from_secs(40) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        slow.len()
    });
    std::thread::sleep(Duration::from_millis(1500));

    let now = proc_status(&server, "Threads");
    assert!(now < threads + 8, "threads went from {threads} to {now} with 300 idle clients");
    let asked = Instant::now();
    assert_eq!(send(&server.addr, &format!("GET /history/ HTTP/1.1\r\n{host}")).0, 200);
    assert!(asked.elapsed() < Duration::from_secs(10), "a real request waited {:?}", asked.elapsed());

    let deadline = opened + Duration::from_secs(40);
    let closed = idle.iter().filter(|s| closed_by(s, deadline)).count();
    assert_eq!(closed, 300, "every idle or slow client is cut off (after {:?})", opened.elapsed());
    assert_eq!(trickle.join().unwrap(), 0, "a client sending its head byte by byte is cut off");
    assert!(proc_status(&server, "Threads") < threads + 8);
    let grown = proc_status(&server, "VmRSS").saturating_sub(rss);
    assert!(grown < 64 * 1024, "memory grew by {grown} kB");
    assert_eq!(send(&server.addr, &format!("GET / HTTP/1.1\r\n{host}")).0, 200, "still serving");
}

#[test]
fn clients_that_do_not_read_their_answer_hold_no_thread_and_are_cut_off() {
    let site = example();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/big.bin"), vec![b'x'; 16 << 20]).unwrap();
    let server = start(site.path(), &[]);
    let host = format!("Host: {}", server.addr);
    assert_eq!(send(&server.addr, &format!("GET / HTTP/1.1\r\n{host}")).0, 200);
    let threads = proc_status(&server, "Threads");
    // More than there are workers, each asking for 16 MB and reading none.
    let opened = Instant::now();
    let stalled: Vec<TcpStream> = (0..16)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            write!(stream, "GET /big.bin HTTP/1.1\r\n{host}\r\n\r\n").unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let now = proc_status(&server, "Threads");
    assert!(now < threads + 8, "threads went from {threads} to {now} with 16 stalled readers");
    let asked = Instant::now();
    assert_eq!(send(&server.addr, &format!("GET /history/ HTTP/1.1\r\n{host}")).0, 200);
    assert!(asked.elapsed() < Duration::from_secs(5), "a real request waited {:?}", asked.elapsed());
    // Past the write timeout (10 s), each has what the socket held, not all.
    std::thread::sleep((opened + Duration::from_secs(15)).saturating_duration_since(Instant::now()));
    for mut stream in stalled {
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut got = Vec::new();
        let ended = stream.read_to_end(&mut got);
        assert!(
            ended.is_ok() || ended.is_err_and(|e| e.kind() == ErrorKind::ConnectionReset),
            "a stalled reader is cut off"
        );
        assert!(got.len() < 16 << 20, "a stalled reader is cut off before the end");
    }
}

#[test]
fn a_kept_alive_connection_answers_again_then_is_closed_when_idle() {
    let site = example();
    let server = start(site.path(), &[]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    for target in ["/", "/api/v2/status.json"] {
        write!(stream, "HEAD {target} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0];
            assert_eq!(stream.read(&mut byte).unwrap(), 1, "an answer to {target}");
            head.push(byte[0]);
        }
        assert!(head.starts_with(b"HTTP/1.1 200 "), "{}", String::from_utf8_lossy(&head));
    }
    assert!(closed_by(&stream, Instant::now() + Duration::from_secs(30)), "an idle kept-alive connection is closed");
}

/// Opens an event stream; the status it was answered with.
fn subscribe(addr: &str) -> (u16, TcpStream) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET /__candor/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0];
        assert_eq!(stream.read(&mut byte).unwrap(), 1);
        head.push(byte[0]);
    }
    (String::from_utf8_lossy(&head).split(' ').nth(1).unwrap().parse().unwrap(), stream)
}

#[test]
fn live_reload_streams_are_bounded_and_dead_ones_let_go() {
    let site = example();
    let server = start(site.path(), &[]);
    let mut streams: Vec<TcpStream> = (0..32)
        .map(|_| {
            let (status, stream) = subscribe(&server.addr);
            assert_eq!(status, 200);
            stream
        })
        .collect();
    let threads = proc_status(&server, "Threads");
    assert_eq!(subscribe(&server.addr).0, 503, "one stream too many is refused");
    assert_eq!(send(&server.addr, &format!("GET / HTTP/1.1\r\nHost: {}", server.addr)).0, 200, "pages still served");
    // Tabs that close are noticed, and make room.
    streams.truncate(28);
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..4 {
        let (status, stream) = subscribe(&server.addr);
        assert_eq!(status, 200);
        streams.push(stream);
    }
    assert_eq!(subscribe(&server.addr).0, 503);
    assert!(proc_status(&server, "Threads") <= threads, "streams hold no thread");
}

#[test]
fn only_requests_for_this_host_are_answered() {
    let site = example();
    let server = start(site.path(), &["--allow-host", "preview.example", "--allow-host", "Pinned.Example:8443"]);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "preview.example".into(),
        "preview.example:9999".into(),
        "pinned.example:8443".into(),
    ] {
        assert_eq!(send(&server.addr, &format!("GET / HTTP/1.1\r\nHost: {host}")).0, 200, "{host}");
    }
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "pinned.example".into(),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let (status, body) = send(&server.addr, &format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 421, "{host}");
        assert!(body.contains("--allow-host"), "the refusal says what to do: {body}");
    }
    let (status, _) = send(&server.addr, "GET /__candor/live HTTP/1.1\r\nHost: evil.example");
    assert_eq!(status, 421, "the reload stream is refused too");
    assert_eq!(send(&server.addr, "GET /api/v2/status.json HTTP/1.0").0, 200, "HTTP/1.0 may omit Host");
    assert_eq!(send(&server.addr, "GET / HTTP/1.1").0, 400, "HTTP/1.1 must send Host");
    let help = stdout(&candor(&["serve", "--help"]));
    assert!(help.contains("--allow-host <NAME>"), "{help}");
}
