//! `candor serve`: a small static server for previewing a built site.
//!
//! Safe by default: it binds loopback unless told otherwise, never serves a
//! path outside the output folder (see [`path`]), answers GET and HEAD with
//! the right content type, serves the site's own `404.html` with status 404,
//! and sends `Access-Control-Allow-Origin: *` for `api/` and the feeds, as a
//! real host should (docs/api.md). tiny_http reads every connection on a
//! thread of its own and a pool of workers answers the requests, so a slow
//! or half-open client cannot hold the others up.
//!
//! There is no file watching or live reload yet: rebuild and refresh.

pub mod mime;
pub mod path;

use crate::error::Error;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// How many requests are served at once.
pub const WORKERS: usize = 8;

/// A running server.
pub struct Serving {
    server: Arc<Server>,
    root: PathBuf,
}

impl Serving {
    /// Binds `addr` (port 0 picks a free port) to serve `root`.
    pub fn bind(addr: SocketAddr, root: &Path) -> Result<Serving, Error> {
        let server = Server::http(addr).map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        Ok(Serving { server: Arc::new(server), root: root.to_path_buf() })
    }

    /// The address actually bound.
    pub fn addr(&self) -> Option<SocketAddr> {
        self.server.server_addr().to_ip()
    }

    /// Serves until the process ends.
    pub fn run(self) {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let (server, root) = (Arc::clone(&self.server), self.root.clone());
                std::thread::spawn(move || {
                    for request in server.incoming_requests() {
                        respond(&root, request);
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

/// Answers one request; failures to write to a client that went away are
/// not errors of the server.
fn respond(root: &Path, request: Request) {
    let response = answer(root, request.method(), request.url());
    let _ = request.respond(response);
}

fn answer(root: &Path, method: &Method, target: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    if !matches!(method, Method::Get | Method::Head) {
        return Response::from_string("only GET and HEAD are served\n")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"));
    }
    let rel = match path::relative_path(target) {
        Ok(rel) => rel,
        Err(_) => return Response::from_string("bad request path\n").with_status_code(StatusCode(400)),
    };
    // A directory without a trailing slash: redirect so relative links work.
    if !target.split('?').next().unwrap_or("").ends_with('/') && root.join(&rel).is_dir() {
        let location = format!("{}/", target.split('?').next().unwrap_or(""));
        return Response::from_data(Vec::new())
            .with_status_code(StatusCode(301))
            .with_header(header("Location", &location));
    }
    let (status, file) = match path::file_under(root, &rel) {
        Some(file) => (200, file),
        None => match path::file_under(root, Path::new("404.html")) {
            Some(file) => (404, file),
            None => return Response::from_string("not found\n").with_status_code(StatusCode(404)),
        },
    };
    let Ok(bytes) = std::fs::read(&file) else {
        return Response::from_string("cannot read the file\n").with_status_code(StatusCode(500));
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut response = Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", mime::content_type(&name)))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-cache"))
        // Always a Content-Length, so HEAD tells the size.
        .with_chunked_threshold(usize::MAX);
    let shared = rel.starts_with("api") || name.ends_with(".atom") || name.ends_with(".rss") || name.ends_with(".ics");
    if shared {
        response = response.with_header(header("Access-Control-Allow-Origin", "*"));
    }
    response
}
