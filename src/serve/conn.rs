//! Connections, bounded. One thread accepts; one thread (the porter)
//! waits, with `poll(2)`, on every connection that is sending its request
//! or taking its answer; a fixed pool of [`WORKERS`] only makes answers. So
//! a client that sends nothing, or its head byte by byte, or reads its
//! answer slowly, costs a buffer and no thread, and is cut off after
//! [`REQUEST_TIMEOUT`] (sending) or [`WRITE_TIMEOUT`] (taking). At most
//! [`MAX_CONNECTIONS`] are open at once (event streams, held by
//! [`super::live`], are counted there): a new one pushes out the oldest
//! that has not finished sending its request, else it is answered 503.

use super::http::{self, Head, Parsed, Response};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many answers are made at once.
pub const WORKERS: usize = 8;
/// How many connections may be open at once, idle ones included.
pub const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send a whole request head, from connecting or
/// from the end of its previous answer (an idle keep-alive connection).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a client has to take a whole answer.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// What a request gets.
pub enum Answer {
    Send(Response),
    /// The connection is handed over (an event stream).
    TakeOver(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Answers one request head.
pub type Handler = Arc<dyn Fn(&Head) -> Answer + Send + Sync>;

/// An open connection; dropping it closes it and frees its place.
struct Conn {
    stream: TcpStream,
    _slot: Slot,
}

struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What the porter is given.
enum Inbox {
    New(TcpStream),
    /// A connection back from a worker: to read its next request, or to
    /// finish writing its answer.
    Back(Pending),
}

/// A connection the porter waits on: sending its request head (`out` is
/// `None`) or taking its answer.
struct Pending {
    conn: Conn,
    /// What it sent so far (while writing: what it sent after its request).
    buf: Vec<u8>,
    out: Option<Out>,
    deadline: Instant,
}

/// An answer being written.
struct Out {
    bytes: Vec<u8>,
    at: usize,
    /// Whether the connection reads another request afterwards.
    keep: bool,
}

/// A request head ready to answer.
struct Job {
    conn: Conn,
    head: Head,
    rest: Vec<u8>,
}

/// Starts the accepting thread, the porter and the workers; they run until
/// the process ends.
pub fn start(listener: TcpListener, handler: Handler) -> std::io::Result<()> {
    let (wake_tx, wake_rx) = UnixStream::pair()?;
    wake_tx.set_nonblocking(true)?;
    wake_rx.set_nonblocking(true)?;
    // Bounded, so a flood of connections waits in the kernel's backlog.
    let (inbox_tx, inbox_rx) = std::sync::mpsc::sync_channel::<Inbox>(64);
    let (job_tx, job_rx) = std::sync::mpsc::channel::<Job>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let wake = Arc::new(wake_tx);
    let post = move |inbox: &SyncSender<Inbox>, wake: &UnixStream, message| {
        let sent = inbox.send(message).is_ok();
        // Full means the porter has a wake-up waiting already.
        let _ = { wake }.write(&[1]);
        sent
    };
    for _ in 0..WORKERS {
        let (jobs, inbox, wake, handler) =
            (Arc::clone(&job_rx), inbox_tx.clone(), Arc::clone(&wake), Arc::clone(&handler));
        std::thread::spawn(move || loop {
            let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
            let Ok(job) = job else { return };
            if let Some(back) = work(job, &handler) {
                if !post(&inbox, &wake, Inbox::Back(back)) {
                    return;
                }
            }
        });
    }
    std::thread::spawn(move || porter(inbox_rx, wake_rx, job_tx));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            match stream {
                Ok(stream) => {
                    if !post(&inbox_tx, &wake, Inbox::New(stream)) {
                        return;
                    }
                }
                // Out of file descriptors, or a client that gave up: wait
                // a little rather than spin.
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    Ok(())
}

/// Waits on every connection sending its request or taking its answer,
/// hands whole requests to the workers, and closes the slow and the idle.
fn porter(inbox: Receiver<Inbox>, mut wake: UnixStream, jobs: Sender<Job>) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut pending: Vec<Pending> = Vec::new();
    loop {
        // A bounded helping, so a flood of new clients cannot starve the
        // ones already waiting.
        for message in inbox.try_iter().take(2 * MAX_CONNECTIONS) {
            let p = match message {
                Inbox::New(stream) => {
                    if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                        // The reader with the oldest deadline is the client
                        // waited on longest.
                        let readers = (0..pending.len()).filter(|i| pending[*i].out.is_none());
                        let Some(oldest) = readers.min_by_key(|i| pending[*i].deadline) else {
                            refuse(stream, 503, "too many connections; try again\n");
                            continue;
                        };
                        pending.swap_remove(oldest);
                    }
                    if stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    let _ = stream.set_nodelay(true);
                    open.fetch_add(1, Ordering::AcqRel);
                    let conn = Conn { stream, _slot: Slot(Arc::clone(&open)) };
                    Pending { conn, buf: Vec::new(), out: None, deadline: Instant::now() + REQUEST_TIMEOUT }
                }
                Inbox::Back(p) => p,
            };
            // A request sent along with the previous one is answered now.
            step(advance(p), &mut pending, &jobs);
        }
        let now = Instant::now();
        pending.retain(|p| p.deadline > now);
        let mut fds: Vec<libc::pollfd> = std::iter::once((wake.as_raw_fd(), libc::POLLIN))
            .chain(
                pending
                    .iter()
                    .map(|p| (p.conn.stream.as_raw_fd(), if p.out.is_some() { libc::POLLOUT } else { libc::POLLIN })),
            )
            .map(|(fd, events)| libc::pollfd { fd, events, revents: 0 })
            .collect();
        let next = pending.iter().map(|p| p.deadline).min();
        let timeout = next.map_or(1000, |d| d.saturating_duration_since(now).as_millis().clamp(1, 1000) as i32);
        // SAFETY: `fds` is a live array of `fds.len()` pollfd.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if ready <= 0 {
            continue;
        }
        if fds[0].revents != 0 {
            while wake.read(&mut [0; 64]).is_ok_and(|n| n > 0) {}
        }
        let mut waiting = Vec::with_capacity(pending.len());
        for (p, fd) in pending.drain(..).zip(&fds[1..]) {
            if fd.revents == 0 {
                waiting.push(p);
            } else if p.out.is_some() {
                step(advance(p), &mut waiting, &jobs);
            } else {
                step(read_more(p), &mut waiting, &jobs);
            }
        }
        pending = waiting;
    }
}

enum Step {
    Wait(Pending),
    Done(Job),
    Close,
}

fn step(step: Step, pending: &mut Vec<Pending>, jobs: &Sender<Job>) {
    match step {
        Step::Wait(p) => pending.push(p),
        Step::Done(job) => {
            let _ = jobs.send(job);
        }
        Step::Close => {}
    }
}

/// Reads what a connection sent since the last time.
fn read_more(mut p: Pending) -> Step {
    let mut chunk = [0u8; 4096];
    loop {
        match p.conn.stream.read(&mut chunk) {
            Ok(0) => return Step::Close,
            Ok(n) => {
                p.buf.extend_from_slice(&chunk[..n]);
                if p.buf.len() > http::MAX_HEAD {
                    break;
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Step::Close,
        }
    }
    advance(p)
}

/// Writes what the socket takes of the answer being written, if any;
/// `Ok(true)` while some remains, `Err` when the connection is done.
fn write_out(p: &mut Pending) -> Result<bool, ()> {
    let Some(out) = &mut p.out else { return Ok(false) };
    match write_some(&p.conn.stream, &out.bytes, &mut out.at) {
        Err(_) => Err(()),
        Ok(false) => Ok(true),
        Ok(true) if !out.keep => {
            let _ = p.conn.stream.shutdown(std::net::Shutdown::Write);
            Err(())
        }
        Ok(true) => {
            p.out = None;
            p.deadline = Instant::now() + REQUEST_TIMEOUT;
            Ok(false)
        }
    }
}

/// Goes on writing an answer; then a job if the buffer holds a whole
/// request head.
fn advance(mut p: Pending) -> Step {
    match write_out(&mut p) {
        Err(()) => return Step::Close,
        Ok(true) => return Step::Wait(p),
        Ok(false) => {}
    }
    match http::parse(&p.buf) {
        Parsed::Incomplete => Step::Wait(p),
        Parsed::Complete(head, used) => {
            let rest = p.buf.split_off(used);
            Step::Done(Job { conn: p.conn, head, rest })
        }
        Parsed::Bad(status) => {
            refuse(p.conn.stream, status, "bad request\n");
            Step::Close
        }
    }
}

/// Writes from `at` until the socket is full; whether all is written.
fn write_some(mut stream: &TcpStream, bytes: &[u8], at: &mut usize) -> std::io::Result<bool> {
    while *at < bytes.len() {
        match stream.write(&bytes[*at..]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => *at += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Answers a refusal without waiting for the client, and closes.
fn refuse(stream: TcpStream, status: u16, text: &str) {
    let response = Response::text(status, text);
    let _ = stream.set_nonblocking(true);
    let mut bytes = response.head(false);
    bytes.extend_from_slice(&response.body);
    let _ = (&stream).write(&bytes);
}

/// Makes the answer to one request and writes what the socket takes at
/// once; the connection goes back to the porter for the rest of the
/// answer, or for its next request.
fn work(job: Job, handler: &Handler) -> Option<Pending> {
    let Job { conn, head, rest } = job;
    let response = match handler(&head) {
        Answer::Send(response) => response,
        Answer::TakeOver(take) => {
            let Conn { stream, _slot } = conn;
            stream.set_nonblocking(false).ok()?;
            take(stream);
            return None;
        }
    };
    // Errors close the connection: the request may have been misread.
    let keep = head.keep_alive() && !head.has_body() && (response.status < 400 || response.status == 404);
    let mut bytes = response.head(keep);
    if head.method != "HEAD" {
        bytes.extend_from_slice(&response.body);
    }
    let out = Some(Out { bytes, at: 0, keep });
    let mut p = Pending { conn, buf: rest, out, deadline: Instant::now() + WRITE_TIMEOUT };
    write_out(&mut p).ok().map(|_| p)
}

/// Writes all of `bytes` unless the client takes longer than `limit`.
pub fn write_within(mut stream: &TcpStream, bytes: &[u8], limit: Duration) -> std::io::Result<()> {
    let deadline = Instant::now() + limit;
    for chunk in bytes.chunks(16 * 1024) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        stream.write_all(chunk)?;
    }
    stream.flush()
}
