//! The little HTTP/1.1 the preview needs, as pure functions: reading a
//! request head out of the bytes received so far, writing a response head,
//! and deciding whether the `Host` a request names is one this server
//! answers for. No bodies are read: the preview serves GET and HEAD only.

use std::net::{IpAddr, SocketAddr};

/// The longest request head read; a longer one is refused with 431.
pub const MAX_HEAD: usize = 16 * 1024;

/// A request line and its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    pub target: String,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    pub headers: Vec<(String, String)>,
}

/// What the bytes received so far hold.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Not a whole head yet.
    Incomplete,
    /// A head, and how many bytes of the buffer it took.
    Complete(Head, usize),
    /// Not HTTP/1.x, or a head too long: answer with this status and close.
    Bad(u16),
}

impl Head {
    /// The value of the header `name` (case-insensitive), if sent once.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).count()
    }

    /// Whether the request announces a body (which is never read, so the
    /// connection cannot be used again).
    pub fn has_body(&self) -> bool {
        self.header("Transfer-Encoding").is_some() || self.header("Content-Length").is_some_and(|l| l.trim() != "0")
    }

    /// Whether the client wants the connection kept for another request.
    pub fn keep_alive(&self) -> bool {
        let connection = self.header("Connection").unwrap_or("").to_ascii_lowercase();
        let says = |word: &str| connection.split(',').any(|t| t.trim() == word);
        if self.minor == 0 {
            says("keep-alive")
        } else {
            !says("close")
        }
    }
}

/// Reads a request head from the start of `buf` (blank lines before it are
/// skipped, as RFC 9112 allows).
pub fn parse(buf: &[u8]) -> Parsed {
    let start = buf.iter().position(|b| *b != b'\r' && *b != b'\n').unwrap_or(buf.len());
    let Some(end) = head_end(&buf[start..]) else {
        return if buf.len() > MAX_HEAD { Parsed::Bad(431) } else { Parsed::Incomplete };
    };
    if start + end > MAX_HEAD {
        return Parsed::Bad(431);
    }
    let Ok(text) = std::str::from_utf8(&buf[start..start + end]) else { return Parsed::Bad(400) };
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).filter(|l| !l.is_empty());
    let Some(line) = lines.next() else { return Parsed::Bad(400) };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Parsed::Bad(400);
    };
    let minor = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        _ => return Parsed::Bad(if version.starts_with("HTTP/") { 505 } else { 400 }),
    };
    if method.is_empty() || target.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Parsed::Bad(400);
    }
    let mut headers = Vec::new();
    for line in lines {
        // A folded line (obsolete) or a name with spaces is refused.
        let Some((name, value)) = line.split_once(':') else { return Parsed::Bad(400) };
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace()) {
            return Parsed::Bad(400);
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let head = Head { method: method.to_owned(), target: target.to_owned(), minor, headers };
    Parsed::Complete(head, start + end)
}

/// Where the blank line ending a head ends, if it arrived.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(n) = buf[at..].iter().position(|b| *b == b'\n') {
        let next = at + n + 1;
        match buf.get(next) {
            Some(b'\n') => return Some(next + 1),
            Some(b'\r') if buf.get(next + 1) == Some(&b'\n') => return Some(next + 2),
            _ => at = next,
        }
    }
    None
}

/// A whole response, its body in memory.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: Vec<u8>) -> Response {
        Response { status, headers: Vec::new(), body }
    }

    /// A short plain-text answer.
    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, body.as_bytes().to_vec()).with("Content-Type", "text/plain; charset=utf-8")
    }

    pub fn with(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// The status line and headers, `Content-Length` and `Connection`
    /// included.
    pub fn head(&self, keep_alive: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        out.push_str(if keep_alive { "Connection: keep-alive\r\n\r\n" } else { "Connection: close\r\n\r\n" });
        out.into_bytes()
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// The names a request's `Host` may give: the loopback names and the
/// bound address, each with the bound port, and the names allowed on the
/// command line (`--allow-host`), with any port unless one is given.
#[derive(Debug, Clone)]
pub struct Hosts {
    port: u16,
    own: Vec<String>,
    allowed: Vec<(String, Option<u16>)>,
}

impl Hosts {
    /// `allowed` holds names as given to `--allow-host` (`NAME` or
    /// `NAME:PORT`); an entry that is not a host name is an error.
    pub fn new(bound: SocketAddr, allowed: &[String]) -> Result<Hosts, String> {
        // The bound address even when it is 0.0.0.0 (the address printed):
        // DNS rebinding brings a name, never an address, in `Host`.
        let mut own: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).to_vec();
        own.push(host_name(bound.ip()));
        let allowed = allowed
            .iter()
            .map(|a| split_host(a).filter(|(n, _)| !n.is_empty() && !n.contains(['/', '@'])).ok_or(a))
            .collect::<Result<_, _>>()
            .map_err(|a| {
                format!(
                    "--allow-host {a:?} is not a host name (give a name like preview.example, optionally with :PORT)"
                )
            })?;
        Ok(Hosts { port: bound.port(), own, allowed })
    }

    /// Whether a request with this `Host` (`None`: none sent) is answered.
    /// HTTP/1.1 requires the header; a browser always sends it, so an
    /// HTTP/1.0 request without one (a script) cannot come from a page.
    pub fn check(&self, head: &Head) -> Result<(), Response> {
        let refuse = |host: &str| {
            let name = split_host(host).map(|(n, _)| n).unwrap_or_else(|| host.to_owned());
            Response::text(
                421,
                &format!(
                    "candor serve answers only requests for localhost:{port}, 127.0.0.1:{port} or [::1]:{port}, \
                     not for {host:?}.\nTo preview the site under another name, restart it with \
                     --allow-host {name}\n",
                    port = self.port
                ),
            )
        };
        match (head.count("Host"), head.header("Host")) {
            (0, _) if head.minor == 0 => Ok(()),
            (1, Some(host)) => match split_host(host) {
                Some((name, port)) => {
                    let own = self.own.contains(&name) && port.unwrap_or(80) == self.port;
                    let allowed = self.allowed.iter().any(|(n, p)| *n == name && p.is_none_or(|p| Some(p) == port));
                    if own || allowed {
                        Ok(())
                    } else {
                        Err(refuse(host))
                    }
                }
                None => Err(refuse(host)),
            },
            _ => Err(Response::text(400, "send exactly one Host header\n")),
        }
    }
}

/// How an address is written in a `Host` header.
fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// A `Host` value as its lowercased name (an IPv6 address keeps its
/// brackets, a final dot is dropped) and its port; `None` if malformed.
fn split_host(host: &str) -> Option<(String, Option<u16>)> {
    let host = host.trim().to_ascii_lowercase();
    let (name, port) = if host.starts_with('[') {
        let close = host.find(']')?;
        let rest = &host[close + 1..];
        let port = if rest.is_empty() { None } else { Some(rest.strip_prefix(':')?) };
        (host[..=close].to_owned(), port)
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name.to_owned(), Some(port)),
            None => (host.clone(), None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    let name = name.strip_suffix('.').map(str::to_owned).unwrap_or(name);
    if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace() || b == b':' && !name.starts_with('[')) {
        return None;
    }
    Some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Head {
        match parse(raw.as_bytes()) {
            Parsed::Complete(head, _) => head,
            other => panic!("{raw:?}: {other:?}"),
        }
    }

    #[test]
    fn heads_are_read_only_when_whole() {
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: a"), Parsed::Incomplete);
        assert_eq!(parse(b""), Parsed::Incomplete);
        let raw = b"\r\nGET /x?y HTTP/1.1\r\nHost: a:1\r\nX:  v \r\n\r\nGET /next";
        let Parsed::Complete(h, used) = parse(raw) else { panic!() };
        assert_eq!((h.method.as_str(), h.target.as_str(), h.minor), ("GET", "/x?y", 1));
        assert_eq!((h.header("host"), h.header("x")), (Some("a:1"), Some("v")));
        assert_eq!(&raw[used..], b"GET /next");
        assert_eq!(head("HEAD / HTTP/1.0\n\n").minor, 0);
    }

    #[test]
    fn bad_heads_get_a_status() {
        for (raw, status) in [
            ("GET /\r\n\r\n", 400),
            ("GET / HTTP/2.0\r\n\r\n", 505),
            ("GET  / HTTP/1.1\r\n\r\n", 400),
            ("get / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
        ] {
            assert_eq!(parse(raw.as_bytes()), Parsed::Bad(status), "{raw:?}");
        }
        let long = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD));
        assert_eq!(parse(long.as_bytes()), Parsed::Bad(431));
    }

    #[test]
    fn keep_alive_follows_the_version_and_connection() {
        assert!(head("GET / HTTP/1.1\r\n\r\n").keep_alive());
        assert!(!head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive());
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive());
        assert!(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive());
        assert!(head("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").has_body());
        assert!(!head("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").has_body());
    }

    #[test]
    fn only_own_and_allowed_hosts_are_answered() {
        let bound: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let hosts = Hosts::new(bound, &["Preview.Example".into(), "pinned.example:8443".into()]).unwrap();
        let check = |raw: &str| hosts.check(&head(raw)).map_err(|r| r.status);
        for ok in ["localhost:4000", "LOCALHOST:4000", "127.0.0.1:4000", "[::1]:4000", "localhost.:4000"] {
            assert_eq!(check(&format!("GET / HTTP/1.1\r\nHost: {ok}\r\n\r\n")), Ok(()), "{ok}");
        }
        for ok in ["preview.example", "preview.example:80", "preview.example:9", "pinned.example:8443"] {
            assert_eq!(check(&format!("GET / HTTP/1.1\r\nHost: {ok}\r\n\r\n")), Ok(()), "{ok}");
        }
        for bad in
            ["evil.example:4000", "localhost:4001", "localhost", "127.0.0.2:4000", "pinned.example", "[::1", "a b", ""]
        {
            assert_eq!(check(&format!("GET / HTTP/1.1\r\nHost: {bad}\r\n\r\n")), Err(421), "{bad}");
        }
        assert_eq!(check("GET / HTTP/1.0\r\n\r\n"), Ok(()), "HTTP/1.0 needs no Host");
        assert_eq!(check("GET / HTTP/1.1\r\n\r\n"), Err(400));
        assert_eq!(check("GET / HTTP/1.1\r\nHost: localhost:4000\r\nHost: evil\r\n\r\n"), Err(400));
        let refused = hosts.check(&head("GET / HTTP/1.1\r\nHost: evil.example:4000\r\n\r\n")).unwrap_err();
        assert!(String::from_utf8(refused.body).unwrap().contains("--allow-host evil.example\n"));
    }

    #[test]
    fn the_bound_address_is_its_own_host_and_bad_names_are_refused() {
        let hosts = Hosts::new("[::1]:80".parse().unwrap(), &[]).unwrap();
        assert!(hosts.check(&head("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")).is_ok(), "port 80 is implied");
        let lan = Hosts::new("192.168.1.5:1111".parse().unwrap(), &[]).unwrap();
        assert!(lan.check(&head("GET / HTTP/1.1\r\nHost: 192.168.1.5:1111\r\n\r\n")).is_ok());
        let any = Hosts::new("0.0.0.0:1111".parse().unwrap(), &[]).unwrap();
        assert!(any.check(&head("GET / HTTP/1.1\r\nHost: 0.0.0.0:1111\r\n\r\n")).is_ok());
        assert!(any.check(&head("GET / HTTP/1.1\r\nHost: 192.168.1.5:1111\r\n\r\n")).is_err());
        for bad in ["", "a/b", "user@host", "host:port"] {
            assert!(Hosts::new("127.0.0.1:1".parse().unwrap(), &[bad.into()]).is_err(), "{bad}");
        }
    }
}
