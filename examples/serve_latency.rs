//! Measures how long an edit takes to show in `candor serve`: from writing
//! an incident file to (1) the live-reload event that makes open tabs
//! reload and (2) the reloaded incident page served with the new text —
//! what a browser does on that event.
//!
//!   cargo build --release --bin candor --examples
//!   target/release/examples/gen --profile realistic --items 10000 --components 200 --regions 60 \
//!       --seed 42 --end 2026-11-01 /tmp/r10k
//!   target/release/examples/serve_latency /tmp/r10k [--edits 20] [--candor target/release/candor]
//!
//! The server runs at `--now 2026-11-01T00:00:00Z`, the end of the sites
//! `scripts/bench.sh` generates (and of the one above).
//!
//! Uses only the standard library: the server is the real binary, talked to
//! over loopback as a tab would. The edited file is restored at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut site = None;
    let mut edits = 20;
    let mut candor = PathBuf::from("target/release/candor");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage("--edits N")),
            "--candor" => candor = args.next().map(PathBuf::from).unwrap_or_else(|| usage("--candor PATH")),
            "-h" | "--help" => usage(""),
            other if site.is_none() => site = Some(PathBuf::from(other)),
            other => usage(&format!("unexpected argument {other}")),
        }
    }
    let site = site.unwrap_or_else(|| usage("SITE is required"));
    if !candor.is_file() {
        usage(&format!("{} not found: run `cargo build --release` first", candor.display()));
    }

    let file = pick_incident(&site);
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    let original = std::fs::read_to_string(&file).expect("read the incident");
    let incidents = std::fs::read_dir(site.join("content/incidents")).map(|d| d.count()).unwrap_or(0);

    let started = Instant::now();
    let mut child = Command::new(&candor)
        .args(["serve", "--root"])
        .arg(&site)
        .args(["--port", "0", "--now", "2026-11-01T00:00:00Z"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start candor serve");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            panic!("candor serve exited before serving");
        }
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    let first_build = started.elapsed();
    std::thread::spawn(move || for _ in out.lines() {});
    let page = format!("/incidents/{id}/");
    let t = Instant::now();
    get(&addr, &page);
    let first_page = t.elapsed();

    let mut events = Events::open(&addr);
    let mut generation = events.next();
    let (mut to_event, mut to_page) = (Vec::new(), Vec::new());
    for i in 0..edits {
        let marker = format!("latency probe {i}");
        let text = original.replacen("title = \"", &format!("title = \"{marker}: "), 1);
        let t0 = Instant::now();
        std::fs::write(&file, text).expect("write the incident");
        let next = events.next();
        assert!(next > generation, "a new generation");
        generation = next;
        to_event.push(t0.elapsed());
        let body = get(&addr, &page);
        to_page.push(t0.elapsed());
        assert!(body.contains(&marker), "the served page has the edit");
        std::thread::sleep(Duration::from_millis(150));
    }
    std::fs::write(&file, &original).expect("restore the incident");
    let _ = child.kill();
    let _ = child.wait();

    println!("site: {} ({incidents} incident files); edited {id}", site.display());
    println!(
        "first build and serve: {:.2} s; first render of the incident page: {:.0} ms",
        first_build.as_secs_f64(),
        ms(first_page)
    );
    println!("edit -> reload event:        {}", stats(&mut to_event));
    println!("edit -> new page served:     {}", stats(&mut to_page));
    println!("({edits} edits; the watcher waits {} ms for quiet before rebuilding)", 40);
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("serve_latency: {problem}");
    }
    eprintln!("usage: serve_latency SITE [--edits N] [--candor PATH]");
    std::process::exit(2)
}

/// The incident in the middle of the sorted list: not first or last by name.
fn pick_incident(site: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/incidents"))
        .unwrap_or_else(|e| usage(&format!("{}: no content/incidents ({e})", site.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    if files.is_empty() {
        usage("the site has no incidents");
    }
    files.swap_remove(files.len() / 2)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(samples: &mut [Duration]) -> String {
    samples.sort();
    let n = samples.len();
    let median = if n % 2 == 1 { ms(samples[n / 2]) } else { (ms(samples[n / 2 - 1]) + ms(samples[n / 2])) / 2.0 };
    format!("median {median:.0} ms, min {:.0} ms, max {:.0} ms", ms(samples[0]), ms(samples[n - 1]))
}

fn get(addr: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read the response");
    assert!(raw.starts_with("HTTP/1.1 200"), "GET {target}: {}", raw.lines().next().unwrap_or(""));
    raw
}

struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(stream, "GET /__candor/live HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        Events(BufReader::new(stream))
    }

    fn next(&mut self) -> u64 {
        let mut line = String::new();
        loop {
            line.clear();
            if self.0.read_line(&mut line).expect("an event within a minute") == 0 {
                panic!("the event stream ended");
            }
            if let Some(n) = line.trim_end().strip_prefix("data: ") {
                return n.parse().expect("a generation number");
            }
        }
    }
}
