//! Connections, bounded. One thread accepts; one thread (the porter)
//! waits, with `poll(2)`, on every connection whose request has not fully
//! arrived; a fixed pool of [`WORKERS`] answers whole requests. So a client
//! that sends nothing, or its head byte by byte, costs a buffer and no
//! thread, and is cut off after [`REQUEST_TIMEOUT`]; a client that reads its
//! answer slowly holds a worker for [`WRITE_TIMEOUT`] at most. At most
//! [`MAX_CONNECTIONS`] are open at once (event streams, held by
//! [`super::live`], are counted there): a new one pushes out the oldest that
//! has not finished sending its request, else it is answered 503.

use super::http::{self, Head, Parsed, Response};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many requests are answered at once.
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
    /// A connection kept alive after an answer, with what it sent already.
    Back(Conn, Vec<u8>),
}

/// A connection whose request head has not fully arrived.
struct Pending {
    conn: Conn,
    buf: Vec<u8>,
    deadline: Instant,
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
    for _ in 0..WORKERS {
        let (jobs, inbox, wake, handler) =
            (Arc::clone(&job_rx), inbox_tx.clone(), Arc::clone(&wake), Arc::clone(&handler));
        std::thread::spawn(move || loop {
            let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
            let Ok(job) = job else { return };
            if let Some((conn, rest)) = work(job, &handler) {
                if inbox.send(Inbox::Back(conn, rest)).is_err() {
                    return;
                }
                let _ = (&*wake).write(&[1]);
            }
        });
    }
    std::thread::spawn(move || porter(inbox_rx, wake_rx, job_tx));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            match stream {
                Ok(stream) => {
                    if inbox_tx.send(Inbox::New(stream)).is_err() {
                        return;
                    }
                    let _ = (&*wake).write(&[1]);
                }
                // Out of file descriptors, or a client that gave up: wait
                // a little rather than spin.
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    Ok(())
}

/// Waits on every connection still sending its request, hands whole
/// requests to the workers, and closes the slow and the idle.
fn porter(inbox: Receiver<Inbox>, mut wake: UnixStream, jobs: std::sync::mpsc::Sender<Job>) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut pending: Vec<Pending> = Vec::new();
    loop {
        while let Ok(message) = inbox.try_recv() {
            let (conn, buf) = match message {
                Inbox::New(stream) => {
                    if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                        if pending.is_empty() {
                            refuse(stream, 503, "too many connections; try again\n");
                            continue;
                        }
                        // The oldest deadline is the client waited on longest.
                        let oldest = (0..pending.len()).min_by_key(|i| pending[*i].deadline).unwrap_or(0);
                        pending.swap_remove(oldest);
                    }
                    if stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    let _ = stream.set_nodelay(true);
                    open.fetch_add(1, Ordering::AcqRel);
                    (Conn { stream, _slot: Slot(Arc::clone(&open)) }, Vec::new())
                }
                Inbox::Back(conn, rest) => (conn, rest),
            };
            let p = Pending { conn, buf, deadline: Instant::now() + REQUEST_TIMEOUT };
            // A request sent along with the previous one is answered now.
            match take_head(p) {
                Step::Wait(p) => pending.push(p),
                Step::Done(job) => {
                    let _ = jobs.send(job);
                }
                Step::Close => {}
            }
        }
        let now = Instant::now();
        pending.retain(|p| p.deadline > now);
        let mut fds: Vec<libc::pollfd> = std::iter::once(wake.as_raw_fd())
            .chain(pending.iter().map(|p| p.conn.stream.as_raw_fd()))
            .map(|fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 })
            .collect();
        let next = pending.iter().map(|p| p.deadline).min();
        let timeout = next.map_or(1000, |d| d.saturating_duration_since(now).as_millis().clamp(1, 1000) as i32);
        // SAFETY: `fds` is a live, correctly sized array of pollfd.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if ready <= 0 {
            continue;
        }
        if fds[0].revents != 0 {
            while wake.read(&mut [0; 64]).is_ok_and(|n| n > 0) {}
        }
        let mut kept = Vec::with_capacity(pending.len());
        for (p, fd) in pending.drain(..).zip(&fds[1..]) {
            if fd.revents == 0 {
                kept.push(p);
                continue;
            }
            match read_more(p) {
                Step::Wait(p) => kept.push(p),
                Step::Done(job) => {
                    let _ = jobs.send(job);
                }
                Step::Close => {}
            }
        }
        pending = kept;
    }
}

enum Step {
    Wait(Pending),
    Done(Job),
    Close,
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
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Step::Close,
        }
    }
    take_head(p)
}

/// A job if the buffer holds a whole head.
fn take_head(mut p: Pending) -> Step {
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

/// Answers a refusal without waiting for the client, and closes.
fn refuse(stream: TcpStream, status: u16, text: &str) {
    let response = Response::text(status, text);
    let _ = stream.set_nonblocking(true);
    let mut bytes = response.head(false);
    bytes.extend_from_slice(&response.body);
    let _ = (&stream).write(&bytes);
}

/// Answers one request; the connection back if it may carry another.
fn work(job: Job, handler: &Handler) -> Option<(Conn, Vec<u8>)> {
    let Job { conn, head, rest } = job;
    conn.stream.set_nonblocking(false).ok()?;
    let response = match handler(&head) {
        Answer::Send(response) => response,
        Answer::TakeOver(take) => {
            let Conn { stream, _slot } = conn;
            take(stream);
            return None;
        }
    };
    let keep = head.keep_alive() && !head.has_body() && response.status < 400;
    let mut bytes = response.head(keep);
    if head.method != "HEAD" {
        bytes.extend_from_slice(&response.body);
    }
    write_within(&conn.stream, &bytes, WRITE_TIMEOUT).ok()?;
    if !keep {
        let _ = conn.stream.shutdown(std::net::Shutdown::Write);
        return None;
    }
    conn.stream.set_nonblocking(true).ok()?;
    Some((conn, rest))
}

/// Writes all of `bytes` unless the client takes longer than `limit`.
pub fn write_within(mut stream: &TcpStream, bytes: &[u8], limit: Duration) -> std::io::Result<()> {
    let deadline = Instant::now() + limit;
    for chunk in bytes.chunks(16 * 1024) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        stream.write_all(chunk)?;
    }
    stream.flush()
}
