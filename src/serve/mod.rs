//! `candor serve`: the preview server. It builds the site into memory
//! ([`snapshot`]), serves it, watches the sources ([`watch`]), rebuilds on
//! every change, re-reading only the files that changed
//! ([`crate::content::LoadCache`]), and reloads open tabs ([`live`]). A
//! rebuild that fails keeps the last good site and shows its errors over
//! every page until a save fixes them. Nothing is written to disk.
//!
//! Safe by default: it binds loopback unless told otherwise, never serves a
//! path outside the site (see [`path`]), answers GET and HEAD with the right
//! content type, serves the site's own `404.html` with status 404, and sends
//! `Access-Control-Allow-Origin: *` for `api/` and the feeds, as a real host
//! should (docs/api.md). It answers only requests addressed to it (the
//! `Host` header, see [`http::Hosts`]), so a page elsewhere cannot reach it
//! through DNS rebinding. Connections are bounded in number, time and
//! threads ([`conn`]): a slow or half-open client cannot hold the others up
//! nor make the server grow; event streams are handed to one broadcaster,
//! hold no worker and are bounded too ([`live`]).

pub mod conn;
pub mod http;
pub mod live;
pub mod path;
pub mod snapshot;
pub mod watch;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::time::Instant;
use conn::Answer;
pub use conn::WORKERS;
use http::{Head, Hosts, Response};
use live::{Failure, Live};
use snapshot::{Found, Snapshot};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How often open event streams get a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub struct ServeOptions {
    pub root: PathBuf,
    pub addr: SocketAddr,
    /// A pinned clock; `None` reads the wall clock at every rebuild, so
    /// "current" status and "last update 5 min ago" stay true while writing.
    pub clock: Option<Instant>,
    /// Counts the files each build parses, for a progress line.
    pub progress: Arc<crate::progress::Progress>,
    /// Host names answered besides the loopback names and the bound
    /// address (`--allow-host`), as `NAME` or `NAME:PORT`.
    pub allowed_hosts: Vec<String>,
}

/// What one build of the preview did, for the terminal.
pub enum Outcome {
    Built {
        took: Duration,
        /// Content files read and parsed (the others were unchanged).
        parsed: usize,
        pages: usize,
        incidents: usize,
        /// Warnings shown in full: those about what is current.
        warnings: Vec<Diagnostic>,
        /// The others, counted by code ([`crate::lint::older`]).
        older_warnings: Vec<(Option<&'static str>, usize)>,
    },
    Failed {
        took: Duration,
        error: Error,
        /// Whether an older version of the site is still being served.
        serving_old: bool,
    },
}

/// The version being served, and why the latest rebuild failed if it did.
#[derive(Default)]
struct Current {
    snapshot: Option<Arc<Snapshot>>,
    failure: Option<Arc<Failure>>,
    /// Counts every change of what is shown; tabs reload when it moves.
    generation: u64,
}

#[derive(Default)]
struct Shared {
    current: RwLock<Current>,
    live: Live,
}

struct Builder {
    root: PathBuf,
    clock: Option<Instant>,
    cache: crate::build::Cache,
    /// The theme the last good snapshot was made with (see [`theme_stamp`]).
    theme: Option<Vec<(String, u64, Option<std::time::SystemTime>)>>,
}

/// What tells the site's own templates changed: each file's name, size and
/// modification time (the built-in theme is part of the binary).
fn theme_stamp(root: &Path) -> Vec<(String, u64, Option<std::time::SystemTime>)> {
    let mut stamp: Vec<_> = std::fs::read_dir(root.join("templates"))
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let e = e.ok()?;
            let meta = e.metadata().ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), meta.len(), meta.modified().ok()))
        })
        .collect();
    stamp.sort();
    stamp
}

/// A bound server, not yet answering.
pub struct Serving {
    listener: Option<TcpListener>,
    addr: SocketAddr,
    hosts: Hosts,
    shared: Arc<Shared>,
    builder: Mutex<Builder>,
    stop: (std::sync::mpsc::Sender<()>, std::sync::mpsc::Receiver<()>),
}

/// Ends [`Serving::run`] from another thread (a Ctrl-C handler).
#[derive(Clone)]
pub struct Stopper(std::sync::mpsc::Sender<()>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(());
    }
}

impl Serving {
    /// Binds `opts.addr` (port 0 picks a free port); call [`Serving::rebuild`]
    /// for the first build, then [`Serving::run`].
    pub fn bind(opts: ServeOptions) -> Result<Serving, Error> {
        if !opts.root.join("status.toml").is_file() {
            // The same message a build gives, before a port is taken.
            crate::content::load(&opts.root, crate::time::build_now(None, None).map_err(Error::Usage)?)?;
        }
        let addr = opts.addr;
        let listener = TcpListener::bind(addr).map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        let bound = listener.local_addr().map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        Ok(Serving {
            listener: Some(listener),
            addr: bound,
            hosts: Hosts::new(bound, &opts.allowed_hosts).map_err(Error::Usage)?,
            shared: Arc::default(),
            builder: Mutex::new(Builder {
                root: opts.root,
                clock: opts.clock,
                cache: crate::build::Cache::remembering().with_progress(opts.progress),
                theme: None,
            }),
            stop: std::sync::mpsc::channel(),
        })
    }

    /// The address actually bound.
    pub fn addr(&self) -> Option<SocketAddr> {
        Some(self.addr)
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.stop.0.clone())
    }

    /// Builds the site again and serves the result; a failure keeps the
    /// last good version and shows the errors over it. Open tabs reload.
    pub fn rebuild(&self) -> Outcome {
        let started = std::time::Instant::now();
        let built = self.builder.lock().unwrap_or_else(|e| e.into_inner()).build();
        let took = started.elapsed();
        // What to report is made before readers are held up.
        let built = built.map(|(snapshot, parsed)| {
            let quiet = crate::lint::older::quiet(snapshot.site(), snapshot.warnings().to_vec());
            let outcome = Outcome::Built {
                took,
                parsed,
                pages: snapshot.page_count(),
                incidents: snapshot.site().incidents.len(),
                warnings: quiet.shown,
                older_warnings: quiet.older,
            };
            (Arc::new(snapshot), outcome)
        });
        let mut current = self.shared.current.write().unwrap_or_else(|e| e.into_inner());
        current.generation += 1;
        let generation = current.generation;
        let (outcome, old) = match built {
            Ok((snapshot, outcome)) => {
                current.failure = None;
                (outcome, current.snapshot.replace(snapshot))
            }
            Err(error) => {
                current.failure = Some(Arc::new(Failure::from_error(&error)));
                (Outcome::Failed { took, error, serving_old: current.snapshot.is_some() }, None)
            }
        };
        drop(current);
        self.shared.live.announce(generation);
        // Freeing a large site takes tens of milliseconds: only once tabs heard of the new one.
        if let Some(old) = old {
            std::thread::spawn(move || drop(old));
        }
        outcome
    }

    /// Answers requests and rebuilds on every change of the sources until
    /// stopped; `report` hears of every rebuild and the changes behind it.
    pub fn run(mut self, report: impl Fn(&Outcome, &[PathBuf]) + Send + 'static) -> Result<(), Error> {
        let root = self.builder.lock().unwrap_or_else(|e| e.into_inner()).root.clone();
        let mut watch = watch::Watch::start(&root)?;
        let (shared, hosts) = (Arc::clone(&self.shared), self.hosts.clone());
        let handler: conn::Handler = Arc::new(move |head: &Head| respond(&shared, &hosts, head));
        if let Some(listener) = self.listener.take() {
            conn::start(listener, handler).map_err(|e| Error::Usage(format!("cannot serve: {e}")))?;
        }
        let shared = Arc::clone(&self.shared);
        std::thread::spawn(move || loop {
            std::thread::sleep(KEEP_ALIVE);
            shared.live.keep_alive();
        });
        let stop = self.stop.1;
        let serving = Serving { stop: std::sync::mpsc::channel(), listener: None, ..self };
        std::thread::spawn(move || {
            while let Some(changed) = watch.next_batch() {
                report(&serving.rebuild(), &changed);
            }
        });
        let _ = stop.recv();
        Ok(())
    }
}

impl Builder {
    /// Loads (re-reading changed files only), compiles the theme, prepares
    /// the pages; returns the snapshot and how many files were parsed.
    fn build(&mut self) -> Result<(Snapshot, usize), Error> {
        let now = self.clock.unwrap_or_else(chrono::Utc::now);
        let theme = theme_stamp(&self.root);
        let steps = crate::build::Steps::default();
        let prepared = crate::build::prepare(&self.root, now, false, &mut self.cache, &steps);
        steps.print_if_asked();
        let prepared = prepared?;
        let smoke = self.theme.as_ref() != Some(&theme);
        let snapshot = Snapshot::new(prepared, &self.root, smoke)?;
        self.theme = Some(theme);
        Ok((snapshot, self.cache.load.parsed()))
    }
}

/// Answers one request, or takes its connection over as an event stream.
fn respond(shared: &Arc<Shared>, hosts: &Hosts, head: &Head) -> Answer {
    if let Err(refused) = hosts.check(head) {
        return Answer::Send(refused);
    }
    if head.target.split('?').next() == Some(live::ENDPOINT) && head.method == "GET" {
        let shared = Arc::clone(shared);
        return Answer::TakeOver(Box::new(move |stream| {
            let generation = shared.current.read().unwrap_or_else(|e| e.into_inner()).generation;
            shared.live.subscribe(stream, generation);
        }));
    }
    Answer::Send(answer(shared, &head.method, &head.target))
}

fn answer(shared: &Shared, method: &str, target: &str) -> Response {
    if !matches!(method, "GET" | "HEAD") {
        return Response::text(405, "only GET and HEAD are served\n").with("Allow", "GET, HEAD");
    }
    let rel = match path::relative_path(target) {
        Ok(rel) => slash_path(&rel),
        Err(_) => return Response::text(400, "bad request path\n"),
    };
    let wants_folder = target.split(['?', '#']).next().unwrap_or("").ends_with('/');
    let rel = if wants_folder && !rel.is_empty() { format!("{rel}/index.html") } else { rel };
    let (snapshot, failure, generation) = {
        let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
        (current.snapshot.clone(), current.failure.clone(), current.generation)
    };
    let Some(snapshot) = snapshot else {
        let failure = failure.unwrap_or_else(|| Arc::new(Failure { problems: vec!["the site is being built".into()] }));
        return file_response(500, "error.html", live::error_page(generation, &failure), &rel);
    };
    let (status, name, bytes) = match snapshot.find(&rel) {
        Ok(Found::File(bytes)) => (200, rel.as_str(), bytes),
        Ok(Found::Folder) => {
            let location = format!("{}/", target.split('?').next().unwrap_or(""));
            return Response::new(301, Vec::new()).with("Location", &location);
        }
        Ok(Found::Missing) => match snapshot.not_found() {
            Ok(bytes) => (404, "404.html", bytes),
            Err(e) => return render_failure(generation, e, &rel),
        },
        Err(e) => return render_failure(generation, e, &rel),
    };
    let name = if rel.is_empty() { "index.html" } else { name };
    let body = if crate::output::mime::content_type(name).starts_with("text/html") {
        live::inject(&bytes, generation, failure.as_deref())
    } else {
        bytes.to_vec()
    };
    file_response(status, name, body, &rel)
}

fn render_failure(generation: u64, error: String, rel: &str) -> Response {
    file_response(500, "error.html", live::error_page(generation, &Failure { problems: vec![error] }), rel)
}

fn file_response(status: u16, name: &str, body: Vec<u8>, rel: &str) -> Response {
    // Always a Content-Length (see [`Response::head`]), so HEAD tells the size.
    let mut response = Response::new(status, body)
        .with("Content-Type", crate::output::mime::content_type(name))
        .with("X-Content-Type-Options", "nosniff")
        .with("Cache-Control", "no-cache");
    let shared = rel.starts_with("api/") || [".atom", ".rss", ".ics"].iter().any(|e| name.ends_with(e));
    if shared {
        response = response.with("Access-Control-Allow-Origin", "*");
    }
    response
}

/// A checked relative path as the `/`-separated string outputs are named by.
fn slash_path(rel: &Path) -> String {
    rel.iter().map(|s| s.to_string_lossy()).collect::<Vec<_>>().join("/")
}
