//! Live reload: open tabs keep a server-sent-events connection to
//! [`ENDPOINT`] and reload when the site's generation changes. The script
//! that does it, and the overlay that shows a failed rebuild, are added to
//! HTML responses of the preview server only; `candor build` never sees them.

use crate::render::escape_markup;
use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where tabs listen for rebuilds.
pub const ENDPOINT: &str = "/__candor/live";

/// How many event streams may be open at once; one more is answered 503
/// (a browser opens at most six connections to a host, so this is many
/// windows' worth).
pub const MAX_STREAMS: usize = 32;

/// How long a stream is kept before it is closed; the tab reconnects at
/// once, so a peer that vanished without a word is let go by then.
pub const MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// The open event streams.
#[derive(Default)]
pub struct Live {
    clients: Mutex<Vec<Client>>,
}

struct Client {
    /// Non-blocking: a tab that stops reading is dropped, never waited on.
    stream: TcpStream,
    since: Instant,
}

impl Client {
    /// Whether the peer is still there: it sends nothing on an event
    /// stream, so reading its end (a FIN) or an error means it is gone.
    fn alive(&self) -> bool {
        match self.stream.peek(&mut [0]) {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
        }
    }

    fn send(&mut self, text: &str) -> bool {
        // A partial write would cut an event in two: the tab is dropped.
        (&self.stream).write(text.as_bytes()).is_ok_and(|n| n == text.len())
    }
}

/// One event telling a tab which generation of the site is current. The
/// `retry` makes a tab reconnect quickly when the server restarts.
fn event(generation: u64) -> String {
    format!("retry: 500\nevent: generation\ndata: {generation}\n\n")
}

impl Live {
    /// Takes over a client's connection as an event stream and tells it the
    /// current generation at once (a tab that loaded an older one reloads).
    /// Past [`MAX_STREAMS`] (after dropping the peers that left) the client
    /// is answered 503.
    pub fn subscribe(&self, stream: TcpStream, generation: u64) {
        let mut clients = self.lock();
        clients.retain(Client::alive);
        if clients.len() >= MAX_STREAMS {
            drop(clients);
            let text = format!("at most {MAX_STREAMS} live-reload streams are served at once\n");
            let response = super::http::Response::text(503, &text);
            let mut bytes = response.head(false);
            bytes.extend_from_slice(&response.body);
            let _ = super::conn::write_within(&stream, &bytes, Duration::from_secs(2));
            return;
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n{}",
            event(generation)
        );
        let ok = super::conn::write_within(&stream, head.as_bytes(), Duration::from_secs(2)).is_ok();
        if ok && stream.set_nonblocking(true).is_ok() {
            clients.push(Client { stream, since: Instant::now() });
        }
    }

    /// Tells every tab about a new generation; closed connections are dropped.
    pub fn announce(&self, generation: u64) {
        let text = event(generation);
        self.lock().retain_mut(|c| c.send(&text));
    }

    /// A comment line, so connections that died unnoticed are found and
    /// dropped; streams older than [`MAX_AGE`] are closed (their tabs
    /// reconnect).
    pub fn keep_alive(&self) {
        self.lock().retain_mut(|c| c.since.elapsed() < MAX_AGE && c.alive() && c.send(": keep-alive\n\n"));
    }

    /// How many tabs are listening.
    pub fn clients(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Client>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Why the last rebuild failed, as the lines to show (each a
/// `file:line:column: error: message` with its hint, or an error text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub problems: Vec<String>,
}

impl Failure {
    pub fn from_error(error: &crate::Error) -> Failure {
        let problems = match error {
            crate::Error::Content(diags) => diags.iter().map(|d| d.to_string()).collect(),
            other => vec![other.to_string()],
        };
        Failure { problems }
    }
}

/// The script that reloads the tab when the generation is not `generation`.
fn script(generation: u64) -> String {
    format!(
        "<script data-candor-live>(function(){{var g=\"{generation}\";\
         var s=new EventSource(\"{ENDPOINT}\");\
         s.onopen=function(){{document.documentElement.setAttribute(\"data-candor-live\",\"open\");}};\
         s.addEventListener(\"generation\",function(e){{if(e.data!==g){{s.close();location.reload();}}}});}})();</script>"
    )
}

/// The overlay naming every problem of a failed rebuild.
fn overlay(failure: &Failure, has_site: bool) -> String {
    let mut html = String::from(
        "<div id=\"candor-overlay\" role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:2147483647;\
         max-height:70vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#fff;\
         font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border-bottom:4px solid #e5484d\">",
    );
    html.push_str("<p style=\"margin:0 0 .5rem;font-weight:bold\">Candor could not rebuild the site");
    if has_site {
        html.push_str(" — this is the last version that built");
    }
    html.push_str("</p><pre style=\"margin:0;white-space:pre-wrap\">");
    for problem in &failure.problems {
        html.push_str(&escape_markup(problem));
        html.push('\n');
    }
    html.push_str("</pre><p style=\"margin:.5rem 0 0\">Fix the file and save: this page reloads by itself.</p></div>");
    html
}

/// `page` with the reload script, and the overlay when the last rebuild
/// failed, inserted before its last `</body>` (or at the end).
pub fn inject(page: &[u8], generation: u64, failure: Option<&Failure>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(failure) = failure {
        extra.push_str(&overlay(failure, true));
    }
    extra.push_str(&script(generation));
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + extra.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The page shown when no version of the site has built yet.
pub fn error_page(generation: u64, failure: &Failure) -> Vec<u8> {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Candor: the site does not build</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>{}{}</body></html>",
        overlay(failure, false),
        script(generation)
    )
    .into_bytes()
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p><!-- </body> --></BODY></html>";
        let out = String::from_utf8(inject(page, 7, None)).unwrap();
        let at = out.find("<script data-candor-live>").unwrap();
        assert!(out[..at].ends_with("-->"), "{out}");
        assert!(out.ends_with("</script></BODY></html>"), "{out}");
        assert!(out.contains("var g=\"7\""));
        assert!(!out.contains("candor-overlay"));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"plain", 1, None)).unwrap();
        assert!(out.starts_with("plain<script data-candor-live>"));
    }

    #[test]
    fn the_overlay_escapes_what_it_quotes() {
        let failure =
            Failure { problems: vec!["content/incidents/a.md:3:9: error: unknown key `<script>` & more".into()] };
        let out = String::from_utf8(inject(b"<body></body>", 2, Some(&failure))).unwrap();
        assert!(out.contains("content/incidents/a.md:3:9: error: unknown key `&lt;script&gt;` &amp; more"), "{out}");
        assert!(out.contains("last version that built"));
        let page = String::from_utf8(error_page(3, &failure)).unwrap();
        assert!(page.contains("could not rebuild") && !page.contains("last version"));
    }
}
