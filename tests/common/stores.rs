//! Real object-store servers for the publish tests, started by the test:
//! Azurite (the Azure Storage emulator, from npm: `tests/servers`) and
//! moto's S3 server (from PyPI). `.ci/run` installs both and sets
//! CANDOR_REQUIRE_SERVERS; without them a test says it was skipped.
//!
//! Candor reaches a server through a [`Proxy`] the test can cut, as a
//! network or a store that fails does; the test itself reads the server
//! directly.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server process, killed when dropped, behind a proxy.
pub struct Server {
    child: Child,
    /// The server's own port, for the test.
    pub port: u16,
    /// Environment for candor to reach it (through the proxy).
    pub env: Vec<(String, String)>,
    proxy: Proxy,
}

impl Server {
    /// The store stops answering: open connections are cut, new ones closed at once.
    pub fn stop(&mut self) {
        self.proxy.cut();
    }

    /// It answers again, with the data it had.
    pub fn restart(&mut self) {
        self.proxy.down.store(false, Ordering::SeqCst);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP proxy to a local port that can be cut and mended.
struct Proxy {
    port: u16,
    down: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(to: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (d, o) = (down.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if d.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", to)) else { continue };
                let mut list = o.lock().unwrap();
                list.retain(|s| s.peer_addr().is_ok());
                list.extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                drop(list);
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Proxy { port, down, open }
    }

    fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

fn skip(what: &str, install: &str) -> Option<Server> {
    assert!(
        std::env::var_os("CANDOR_REQUIRE_SERVERS").is_none(),
        "CANDOR_REQUIRE_SERVERS is set but {what} is missing ({install})"
    );
    eprintln!("skipped: no {what} ({install})");
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "the server on port {port} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Azurite's blob service (data in memory), and a container `name`.
pub fn azurite(container: &str) -> Option<Server> {
    let bin = super::repo().join("tests/servers/node_modules/.bin/azurite-blob");
    if !bin.exists() {
        return skip("Azurite", "cd tests/servers && npm ci");
    }
    let port = free_port();
    let child = Command::new(&bin)
        .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string(), "--silent", "--skipApiVersionCheck"])
        .arg("--inMemoryPersistence")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("azurite-blob starts");
    wait_for(port);
    let (status, _, body) = azure_request(port, "PUT", container, &[("restype", "container")], b"", &[]);
    assert_eq!(status, 201, "creating container {container}: {}", String::from_utf8_lossy(&body));
    let proxy = Proxy::start(port);
    let url = format!("http://127.0.0.1:{}", proxy.port);
    Some(Server {
        child,
        port,
        env: vec![("AZURE_STORAGE_USE_EMULATOR".into(), "true".into()), ("AZURITE_BLOB_STORAGE_URL".into(), url)],
        proxy,
    })
}

/// Azurite's well-known development account.
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// One request to Azurite, signed with the account key (Shared Key): the
/// status and body. `resource` is `container` or `container/blob`.
pub fn azure_request(
    port: u16,
    method: &str,
    resource: &str,
    query: &[(&str, &str)],
    body: &[u8],
    headers: &[(&str, &str)],
) -> (u16, String, Vec<u8>) {
    use base64::Engine;
    use hmac::Mac;
    let date = chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let mut ms: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    ms.extend([("x-ms-date".into(), date), ("x-ms-version".into(), "2021-08-06".into())]);
    ms.sort();
    let length = if body.is_empty() { String::new() } else { body.len().to_string() };
    let mut to_sign = format!("{method}\n\n\n{length}\n\n\n\n\n\n\n\n\n");
    for (k, v) in &ms {
        to_sign.push_str(&format!("{k}:{v}\n"));
    }
    to_sign.push_str(&format!("/{ACCOUNT}/{ACCOUNT}/{resource}"));
    let mut sorted = query.to_vec();
    sorted.sort();
    for (k, v) in &sorted {
        to_sign.push_str(&format!("\n{k}:{v}"));
    }
    let key = base64::engine::general_purpose::STANDARD.decode(KEY).unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let target = if query.is_empty() { resource.to_owned() } else { format!("{resource}?{}", query.join("&")) };
    let mut head = format!("{method} /{ACCOUNT}/{target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (k, v) in &ms {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Authorization: SharedKey {ACCOUNT}:{signature}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    split_answer(&answer)
}

/// An HTTP/1.1 answer's status, head (lowercase) and body (plain or chunked).
pub fn split_answer(answer: &[u8]) -> (u16, String, Vec<u8>) {
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP answer");
    let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut body = answer[end + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(line) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line]).trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[line + 2..line + 2 + size]);
            rest = &rest[line + 2 + size + 2..];
        }
        body = out;
    }
    (status, head, body)
}

/// moto's S3 server, and a bucket `name`.
pub fn moto(bucket: &str) -> Option<Server> {
    let pydeps = super::repo().join("tests/servers/.pydeps");
    let python_path = std::env::join_paths([pydeps].into_iter().chain(
        std::env::var_os("PYTHONPATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default(),
    ))
    .unwrap();
    let found = Command::new("python3")
        .args(["-c", "import moto.server"])
        .env("PYTHONPATH", &python_path)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        return skip("moto S3 server", "pip install 'moto[server]'");
    }
    let port = free_port();
    let child = Command::new("python3")
        .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
        .env("PYTHONPATH", &python_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto starts");
    wait_for(port);
    let status = http(
        port,
        &format!("PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    );
    assert!(status.starts_with("HTTP/1.1 200"), "creating bucket {bucket}: {status}");
    let proxy = Proxy::start(port);
    Some(Server {
        child,
        port,
        env: vec![
            ("AWS_ENDPOINT".into(), format!("http://127.0.0.1:{}", proxy.port)),
            ("AWS_ALLOW_HTTP".into(), "true".into()),
            ("AWS_ACCESS_KEY_ID".into(), "test".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "test".into()),
            ("AWS_REGION".into(), "us-east-1".into()),
        ],
        proxy,
    })
}

/// Sends one raw request; the status line of the answer.
fn http(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_owned()
}
