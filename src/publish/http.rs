//! The smallest HTTP/1.1 client `candor verify` needs: one `GET` with
//! `Connection: close` over any stream (a TCP socket, or rustls over one),
//! the status, `Location`, and the `candor-version` the page carries.
//!
//! The body is read to the end of the connection, at most [`CAP`] bytes,
//! and decoded when sent chunked; a `Content-Length` cuts it.

use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

/// The most of a response read; a front page is far smaller.
pub const CAP: usize = 2 * 1024 * 1024;

/// How long reading a whole response may take, however slowly it trickles.
const DEADLINE: Duration = Duration::from_secs(30);

/// A `public_url`, taken apart.
#[derive(Debug, PartialEq)]
pub struct Url {
    pub https: bool,
    /// Without brackets for IPv6.
    pub host: String,
    pub port: u16,
    /// `host[:port]` as written, for the `Host` header.
    pub authority: String,
    /// The path (and query) to get; `/` when the URL has none.
    pub path: String,
}

impl Url {
    pub fn parse(url: &str) -> Result<Url, String> {
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(format!("{url} is not an http(s) URL"));
        };
        let (authority, path) = rest.find(['/', '?']).map_or((rest, "/"), |i| rest.split_at(i));
        let path = if path.starts_with('?') { format!("/{path}") } else { path.to_owned() };
        let bad = || format!("{url}: cannot read its host and port");
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']').ok_or_else(bad)?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let port = match port {
            Some(p) => p.parse().map_err(|_| bad())?,
            None if https => 443,
            None => 80,
        };
        if host.is_empty() || host.contains('@') {
            return Err(bad());
        }
        Ok(Url { https, host: host.to_owned(), port, authority: authority.to_owned(), path })
    }
}

/// What a `GET` returned.
#[derive(Debug, PartialEq)]
pub struct Page {
    pub status: u16,
    /// Where a redirect leads.
    pub location: Option<String>,
    /// The `content` of its `<meta name="candor-version">`.
    pub version: Option<String>,
}

/// `GET url.path` over `stream`, to its end.
pub fn get(mut stream: impl Read + Write, url: &Url) -> Result<Page, String> {
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: candor/{} (verify)\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
        url.path,
        url.authority,
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .and_then(|_| stream.flush())
        .map_err(|e| format!("cannot send a request: {e}"))?;
    let started = Instant::now();
    let mut response = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    while response.len() < CAP && started.elapsed() < DEADLINE {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&buf[..n.min(CAP - response.len())]),
            // A server closing without TLS close_notify: the end, as HTTP/1.0 servers do.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof && !response.is_empty() => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if response.is_empty() => return Err(format!("no response: {e}")),
            Err(_) => break,
        }
    }
    parse(&response)
}

/// A whole (or capped) response taken apart.
pub fn parse(response: &[u8]) -> Result<Page, String> {
    let end = memchr::memmem::find(response, b"\r\n\r\n").ok_or("the response has no complete header")?;
    let head = String::from_utf8_lossy(&response[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|s| s.get(2..5))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {:?}", status_line.chars().take(40).collect::<String>()))?;
    let header = |name: &str| {
        head.split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
    };
    let mut body = &response[end + 4..];
    let decoded;
    if header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        decoded = dechunk(body);
        body = &decoded;
    } else if let Some(len) = header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        body = &body[..len.min(body.len())];
    }
    Ok(Page { status, location: header("location"), version: candor_version(body) })
}

/// A chunked body decoded, as far as it is whole.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = memchr::memmem::find(body, b"\r\n") {
        let size = String::from_utf8_lossy(&body[..eol]);
        let Ok(size) = usize::from_str_radix(size.split(';').next().unwrap_or_default().trim(), 16) else { break };
        let data = &body[eol + 2..];
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[..size.min(data.len())]);
        body = data.get(size + 2..).unwrap_or_default();
    }
    out
}

/// The `content` of the first `<meta name="candor-version" content="...">`.
pub fn candor_version(body: &[u8]) -> Option<String> {
    let at = memchr::memmem::find(body, b"name=\"candor-version\"")?;
    let tag_start = memchr::memrchr(b'<', &body[..at])?;
    let tag_end = at + memchr::memchr(b'>', &body[at..])?;
    let tag = String::from_utf8_lossy(&body[tag_start..tag_end]);
    let content = tag.split_once("content=\"")?.1;
    Some(content.split('"').next()?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_taken_apart() {
        let u = Url::parse("https://west.example.com").unwrap();
        assert_eq!((u.https, u.host.as_str(), u.port, u.path.as_str()), (true, "west.example.com", 443, "/"));
        let u = Url::parse("http://[::1]:8080/status?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.authority.as_str(), u.path.as_str()),
            ("::1", 8080, "[::1]:8080", "/status?x=1")
        );
        assert!(Url::parse("https://a:b@x").is_err());
        assert!(Url::parse("https://x:99999").is_err());
    }

    #[test]
    fn responses_are_read_plain_sized_or_chunked() {
        let page = b"<html><head>\n<meta name=\"candor-version\" content=\"abc\">\n";
        let plain = [b"HTTP/1.1 200 OK\r\nContent-Length: 9999\r\n\r\n".as_slice(), page].concat();
        assert_eq!(parse(&plain).unwrap().version.as_deref(), Some("abc"));
        let chunked = [
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n<html\r\n".as_slice(),
            format!("{:x}\r\n", page.len() - 5).as_bytes(),
            &page[5..],
            b"\r\n0\r\n\r\n",
        ]
        .concat();
        assert_eq!(parse(&chunked).unwrap().version.as_deref(), Some("abc"));
        let moved = parse(b"HTTP/1.1 301 Moved\r\nLocation: https://x/\r\n\r\n").unwrap();
        assert_eq!((moved.status, moved.location.as_deref(), moved.version), (301, Some("https://x/"), None));
        assert!(parse(b"SSH-2.0-OpenSSH\r\n\r\n").is_err());
    }
}
