//! Live reload: open tabs keep a server-sent-events connection to
//! [`ENDPOINT`] and reload when the site's generation changes. The script
//! that does it, and the overlay that shows a failed rebuild, are added to
//! HTML responses of the preview server only; `candor build` never sees them.

use crate::render::escape_markup;
use std::io::Write;
use std::sync::Mutex;

/// Where tabs listen for rebuilds.
pub const ENDPOINT: &str = "/__candor/live";

/// The open event streams.
#[derive(Default)]
pub struct Live {
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

/// One event telling a tab which generation of the site is current. The
/// `retry` makes a tab reconnect quickly when the server restarts.
fn event(generation: u64) -> String {
    format!("retry: 500\nevent: generation\ndata: {generation}\n\n")
}

impl Live {
    /// Takes over a client's connection as an event stream and tells it the
    /// current generation at once (a tab that loaded an older one reloads).
    pub fn subscribe(&self, request: tiny_http::Request, generation: u64) {
        let mut writer = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                    X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n";
        let ok = writer.write_all(head.as_bytes()).is_ok()
            && writer.write_all(event(generation).as_bytes()).is_ok()
            && writer.flush().is_ok();
        if ok {
            self.lock().push(writer);
        }
    }

    /// Tells every tab about a new generation; closed connections are dropped.
    pub fn announce(&self, generation: u64) {
        self.send(&event(generation));
    }

    /// A comment line, so connections that died unnoticed are found and
    /// dropped.
    pub fn keep_alive(&self) {
        self.send(": keep-alive\n\n");
    }

    /// How many tabs are listening.
    pub fn clients(&self) -> usize {
        self.lock().len()
    }

    fn send(&self, text: &str) {
        self.lock().retain_mut(|w| w.write_all(text.as_bytes()).is_ok() && w.flush().is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Write + Send>>> {
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
