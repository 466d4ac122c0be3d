//! `candor verify` reading each replica's `public_url` over HTTPS, against
//! real TLS servers run here (rustls on 127.0.0.1) with certificates made
//! by rcgen: expiry thresholds, a version served that is not the one
//! published, a shared expiry week, untrusted and misnamed certificates.
//!
//! Certificates are dated from the wall clock, which `candor verify` judges
//! them at. The generated CA is made trusted by `SSL_CERT_FILE`, which
//! rustls-native-certs reads instead of the system store.

mod common;

use chrono::{Datelike, Utc};
use common::*;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

/// A certificate authority, its certificate in PEM written to `pem`.
struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: CertificateDer<'static>,
    pem: PathBuf,
}

impl Ca {
    fn new(dir: &std::path::Path, name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, format!("Candor Test CA {name}"));
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let pem = dir.join(format!("{name}.pem"));
        fs::write(&pem, cert.pem()).unwrap();
        Ca { issuer: Issuer::new(params, key), der: cert.der().clone(), pem }
    }

    /// A leaf for 127.0.0.1 (or `names`), valid from 60 days ago until
    /// midnight UTC `days` days from today (negative: already expired).
    fn leaf(&self, days: i64, names: &[&str]) -> Tls {
        let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(DnType::CommonName, names[0]);
        let ((y, m, d), (y2, m2, d2)) = (ymd(-60), ymd(days));
        params.not_before = rcgen::date_time_ymd(y, m, d);
        params.not_after = rcgen::date_time_ymd(y2, m2, d2);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        Tls { chain: vec![cert.der().clone(), self.der.clone()], key }
    }
}

/// A server's certificate chain and key.
struct Tls {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

/// The date `days` days from today (UTC), as rcgen takes it.
fn ymd(days: i64) -> (i32, u8, u8) {
    let day = Utc::now().date_naive() + chrono::Duration::days(days);
    (day.year(), day.month() as u8, day.day() as u8)
}

/// The date `days` days from today (UTC), as `candor verify` prints it.
fn date(days: i64) -> String {
    (Utc::now().date_naive() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// A listener on 127.0.0.1, bound before the site names its port.
struct Server {
    listener: TcpListener,
}

impl Server {
    fn bind() -> Server {
        Server { listener: TcpListener::bind("127.0.0.1:0").unwrap() }
    }

    fn port(&self) -> u16 {
        self.listener.local_addr().unwrap().port()
    }

    /// Answers every request with `body`, over TLS when `tls` is given,
    /// until the test ends.
    fn serve(self, tls: Option<Tls>, body: Vec<u8>) {
        let config = tls.map(|tls| {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let config = rustls::ServerConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(tls.chain, tls.key)
                .unwrap();
            Arc::new(config)
        });
        std::thread::spawn(move || {
            for tcp in self.listener.incoming() {
                let Ok(tcp) = tcp else { continue };
                tcp.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
                match &config {
                    Some(config) => {
                        let conn = rustls::ServerConnection::new(Arc::clone(config)).unwrap();
                        let mut stream = rustls::StreamOwned::new(conn, tcp);
                        if answer(&mut stream, &body) {
                            stream.conn.send_close_notify();
                            let _ = stream.flush();
                        }
                    }
                    None => {
                        let mut tcp = tcp;
                        answer(&mut tcp, &body);
                    }
                }
            }
        });
    }
}

/// Reads one request and answers it with `body`; false if the client went
/// away first (as it does on a certificate it refuses).
fn answer(stream: &mut (impl Read + Write), body: &[u8]) -> bool {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return false,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    assert!(request.starts_with(b"GET / HTTP/1.1\r\n"), "{}", String::from_utf8_lossy(&request));
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body)).and_then(|_| stream.flush()).is_ok()
}

/// The example site, built and published to one file:// replica per
/// server, each with a public_url at its server (`https` or `http`).
struct Site {
    dir: tempfile::TempDir,
    version: String,
}

impl Site {
    fn new(replicas: &[(&str, &Server, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_example(&dir.path().join("src"));
        let mut config = fs::read_to_string(dir.path().join("src/status.toml")).unwrap();
        for (name, server, scheme) in replicas {
            let url = format!("file://{}", path(&dir.path().join(name)));
            let public = format!("{scheme}://127.0.0.1:{}", server.port());
            config
                .push_str(&format!("\n[[replicas]]\nname = \"{name}\"\nurl = \"{url}\"\npublic_url = \"{public}\"\n"));
        }
        fs::write(dir.path().join("src/status.toml"), config).unwrap();
        let root = dir.path().join("src");
        build(&root, &root.join("site"));
        let out = candor(&["publish", "--root", path(&root)]);
        assert!(out.status.success(), "publish failed:\n{}{}", stdout(&out), stderr(&out));
        let manifest: serde_json::Value =
            serde_json::from_slice(&fs::read(root.join("site/manifest.json")).unwrap()).unwrap();
        Site { version: manifest["version"].as_str().unwrap().to_owned(), dir }
    }

    /// The front page the replica `name` has published.
    fn index(&self, name: &str) -> Vec<u8> {
        fs::read(self.dir.path().join(name).join("current/index.html")).unwrap()
    }

    /// `candor verify`, trusting only the certificates in `ca_pem`.
    fn verify(&self, ca_pem: &std::path::Path) -> Output {
        Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["verify", "--root", path(&self.dir.path().join("src"))])
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("SSL_CERT_DIR")
            .env("SSL_CERT_FILE", ca_pem)
            .output()
            .unwrap()
    }
}

/// The table line of replica `name`.
fn row<'a>(table: &'a str, name: &str) -> &'a str {
    table.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no row {name} in\n{table}"))
}

/// Serves one https replica, `west`, with a leaf expiring in `days` days,
/// and runs verify.
fn one_https(days: i64) -> (Output, String) {
    let work = tempfile::tempdir().unwrap();
    let ca = Ca::new(work.path(), "main");
    let server = Server::bind();
    let site = Site::new(&[("west", &server, "https")]);
    server.serve(Some(ca.leaf(days, &["127.0.0.1", "localhost"])), site.index("west"));
    let out = site.verify(&ca.pem);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    (out, text)
}

#[test]
fn a_healthy_certificate_shows_its_expiry_and_plain_http_is_read_without_tls() {
    let work = tempfile::tempdir().unwrap();
    let ca = Ca::new(work.path(), "main");
    let (west, east) = (Server::bind(), Server::bind());
    let site = Site::new(&[("west", &west, "https"), ("east", &east, "http")]);
    west.serve(Some(ca.leaf(90, &["127.0.0.1", "localhost"])), site.index("west"));
    east.serve(None, site.index("east"));
    let out = site.verify(&ca.pem);
    let table = stdout(&out);
    assert!(out.status.success(), "{table}{}", stderr(&out));
    assert!(table.starts_with("REPLICA") && table.lines().next().unwrap().contains("CERT"), "{table}");
    assert!(row(&table, "west").contains(&format!("ok, expires {} (89 d)  ok", date(90))), "{table}");
    assert!(row(&table, "east").contains("no TLS") && row(&table, "east").ends_with(" ok"), "{table}");
    assert!(!table.contains("warning"), "{table}");
}

#[test]
fn a_certificate_expiring_within_30_days_is_a_warning() {
    let (out, text) = one_https(20);
    assert!(out.status.success(), "{text}");
    assert!(row(&text, "west").contains(&format!("WARN expires in 19 d ({})", date(20))), "{text}");
    assert!(text.contains("warning: west: https://127.0.0.1:"), "{text}");
    assert!(text.contains(&format!("certificate of 127.0.0.1 expires in 19 d, on {}", date(20))), "{text}");
}

#[test]
fn a_certificate_expiring_within_7_days_fails() {
    let (out, text) = one_https(3);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(row(&text, "west").contains(&format!("FAIL expires in 2 d ({})", date(3))), "{text}");
    assert!(text.contains(&format!("certificate of 127.0.0.1 expires in 2 d, on {}: renew it", date(3))), "{text}");
    assert!(text.contains("not served right at the public_url"), "{text}");
}

#[test]
fn an_expired_certificate_fails_naming_the_day() {
    let (out, text) = one_https(-2);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(row(&text, "west").contains(&format!("FAIL expired {}", date(-2))), "{text}");
    assert!(text.contains(&format!("certificate of 127.0.0.1 expired on {}", date(-2))), "{text}");
}

#[test]
fn a_page_of_another_version_fails_naming_both() {
    let work = tempfile::tempdir().unwrap();
    let ca = Ca::new(work.path(), "main");
    let server = Server::bind();
    let site = Site::new(&[("west", &server, "https")]);
    let other = "0123456789abcdef".repeat(4);
    let page = String::from_utf8(site.index("west")).unwrap().replace(&site.version, &other);
    assert!(page.contains(&format!("<meta name=\"candor-version\" content=\"{other}\">")), "{page}");
    server.serve(Some(ca.leaf(90, &["127.0.0.1"])), page.into_bytes());
    let out = site.verify(&ca.pem);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("serves 0123456789ab, expected {}", &site.version[..12])), "{text}");
}

#[test]
fn replicas_whose_certificates_expire_the_same_week_are_warned_about() {
    let work = tempfile::tempdir().unwrap();
    let ca = Ca::new(work.path(), "main");
    let (west, east) = (Server::bind(), Server::bind());
    let site = Site::new(&[("west", &west, "https"), ("east", &east, "https")]);
    west.serve(Some(ca.leaf(40, &["127.0.0.1"])), site.index("west"));
    east.serve(Some(ca.leaf(45, &["127.0.0.1"])), site.index("east"));
    let out = site.verify(&ca.pem);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "warning: every replica's certificate expires between {} and {}: one renewal failure takes them all down",
            date(40),
            date(45)
        )),
        "{text}"
    );
}

#[test]
fn an_untrusted_or_misnamed_certificate_fails_as_what_it_is() {
    let work = tempfile::tempdir().unwrap();
    let (trusted, stranger) = (Ca::new(work.path(), "trusted"), Ca::new(work.path(), "stranger"));
    let (west, east) = (Server::bind(), Server::bind());
    let site = Site::new(&[("west", &west, "https"), ("east", &east, "https")]);
    west.serve(Some(stranger.leaf(90, &["127.0.0.1"])), site.index("west"));
    east.serve(Some(trusted.leaf(90, &["status.example.com"])), site.index("east"));
    let out = site.verify(&trusted.pem);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(row(&text, "west").contains("FAIL not trusted: unknown issuer"), "{text}");
    assert!(row(&text, "west").contains("certificate not trusted: unknown issuer"), "{text}");
    assert!(row(&text, "east").contains("certificate not valid for 127.0.0.1"), "{text}");
    assert!(!text.contains("every replica's certificate expires"), "{text}");
}
