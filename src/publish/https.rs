//! What a replica's `public_url` serves, read the way a reader's browser
//! reaches it: one `GET` of its front page over HTTPS (or plain HTTP), with
//! the certificate chain the server presents and whether it is trusted.
//!
//! The judging (thresholds, warnings) is in [`super::served`]; this module
//! only finds out. Trust roots come from `rustls-native-certs`: the system's
//! store, or only the PEM file named by `SSL_CERT_FILE` when that is set.
//! Certificates are verified at the instant given, not at the wall clock,
//! so one `candor verify` judges every replica at one time.
//!
//! Redirects are not followed: a 3xx is reported with where it leads.

use super::http::{self, Url};
use crate::time::Instant;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a connect, a read or a write may wait.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What a public URL was found to serve.
#[derive(Debug)]
pub struct Fetched {
    /// The chain the server presented, for `https://`; `None` for
    /// `http://`, or when no TLS handshake got as far as a certificate.
    pub chain: Option<Chain>,
    /// The response, or why there is none.
    pub page: Result<http::Page, String>,
}

/// A server's certificates, leaf first, and whether they are trusted.
#[derive(Debug)]
pub struct Chain {
    pub certs: Vec<Cert>,
    /// `Err` in plain words: "not trusted: unknown issuer", "expired", ...
    pub trusted: Result<(), String>,
}

/// One certificate of a chain.
#[derive(Debug, Clone)]
pub struct Cert {
    /// Its subject's common name, else the whole subject.
    pub subject: String,
    pub not_after: Instant,
}

impl Chain {
    /// The first of its certificates to expire.
    pub fn earliest(&self) -> Option<&Cert> {
        self.certs.iter().min_by_key(|c| c.not_after)
    }
}

/// `GET` of `url`'s path (or `/`), certificates verified at `now`.
pub fn fetch(url: &str, now: Instant) -> Fetched {
    let url = match Url::parse(url) {
        Ok(url) => url,
        Err(e) => return Fetched { chain: None, page: Err(e) },
    };
    let tcp = match connect(&url) {
        Ok(tcp) => tcp,
        Err(e) => return Fetched { chain: None, page: Err(e) },
    };
    if !url.https {
        return Fetched { chain: None, page: http::get(tcp, &url) };
    }
    let recorder = match Recorder::new() {
        Ok(r) => Arc::new(r),
        Err(e) => return Fetched { chain: None, page: Err(e) },
    };
    let page = tls_get(tcp, &url, Arc::clone(&recorder), now);
    let seen = recorder.seen.lock().map(|s| s.clone()).unwrap_or_default();
    let chain = seen.map(|(certs, verdict)| Chain { certs, trusted: verdict.map_err(|e| plain(&e, &url.host)) });
    Fetched { chain, page }
}

fn connect(url: &Url) -> Result<TcpStream, String> {
    let addrs =
        (url.host.as_str(), url.port).to_socket_addrs().map_err(|e| format!("cannot resolve {}: {e}", url.host))?;
    let mut last = format!("{} has no address", url.host);
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, TIMEOUT) {
            Ok(tcp) => {
                tcp.set_read_timeout(Some(TIMEOUT))
                    .and_then(|_| tcp.set_write_timeout(Some(TIMEOUT)))
                    .map_err(|e| e.to_string())?;
                return Ok(tcp);
            }
            Err(e) => last = format!("cannot connect to {addr}: {e}"),
        }
    }
    Err(last)
}

fn tls_get(tcp: TcpStream, url: &Url, recorder: Arc<Recorder>, now: Instant) -> Result<http::Page, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_details(provider, Arc::new(Clock(unix(now))))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(recorder)
        .with_no_client_auth();
    let name = ServerName::try_from(url.host.clone()).map_err(|e| format!("{}: {e}", url.host))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    http::get(rustls::StreamOwned::new(conn, tcp), url)
}

/// The clock rustls checks validity against: the `now` of the run.
#[derive(Debug)]
struct Clock(UnixTime);

impl rustls::time_provider::TimeProvider for Clock {
    fn current_time(&self) -> Option<UnixTime> {
        Some(self.0)
    }
}

fn unix(now: Instant) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(now.timestamp().max(0) as u64))
}

/// The WebPKI verifier, which also keeps the chain it was shown and its
/// verdict, so an expired or untrusted chain can still be described.
#[derive(Debug)]
struct Recorder {
    inner: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<Seen>>,
}

/// The chain a [`Recorder`] was shown, and the WebPKI verdict on it.
type Seen = (Vec<Cert>, Result<(), rustls::Error>);

impl Recorder {
    fn new() -> Result<Recorder, String> {
        let found = rustls_native_certs::load_native_certs();
        let mut roots = rustls::RootCertStore::empty();
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            let why = found.errors.first().map(|e| format!(": {e}")).unwrap_or_default();
            return Err(format!("no trusted root certificates found (system store or SSL_CERT_FILE){why}"));
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Recorder { inner, seen: Mutex::new(None) })
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        let certs = std::iter::once(end_entity).chain(intermediates).filter_map(describe).collect();
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((certs, verdict.as_ref().map(|_| ()).map_err(Clone::clone)));
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Subject and notAfter of a DER certificate; `None` if it cannot be read.
fn describe(der: &CertificateDer<'_>) -> Option<Cert> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let subject = cert.subject();
    let cn = subject.iter_common_name().next().and_then(|cn| cn.as_str().ok());
    let subject = cn.map(str::to_owned).unwrap_or_else(|| subject.to_string());
    let not_after = chrono::DateTime::from_timestamp(cert.validity().not_after.timestamp(), 0)?;
    Some(Cert { subject, not_after })
}

/// A verification failure in plain words (the dates are added by the
/// caller, who has the chain).
fn plain(e: &rustls::Error, host: &str) -> String {
    let rustls::Error::InvalidCertificate(e) = e else { return e.to_string() };
    match e {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired".into(),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => "not valid yet".into(),
        CertificateError::UnknownIssuer => "not trusted: unknown issuer".into(),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            format!("not valid for {host}")
        }
        CertificateError::BadSignature => "not trusted: bad signature".into(),
        CertificateError::Revoked => "revoked".into(),
        other => rustls::Error::InvalidCertificate(other.clone()).to_string(),
    }
}
