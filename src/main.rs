//! The `candor` command: parses arguments, calls the library, prints the
//! result or the errors once, and exits 0 (success), 1 (content errors) or
//! 2 (usage or I/O errors).

use candor::cmd::build;
use candor::cmd::edited::Edited;
use candor::cmd::incident::{self, Change, NewIncident, ResolveIncident, UpdateIncident};
use candor::cmd::maintenance::{self, NewMaintenance};
use candor::cmd::postmortem::NewPostmortem;
use candor::diagnostic::Diagnostic;
use candor::progress::Progress;
use candor::Error;
use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// The build allocates and frees millions of small strings on every
/// thread; glibc's allocator spent about a fifth of a 10k-incident build in
/// its own bookkeeping, mimalloc a small part of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process. A build frees and
/// reallocates far more memory than it holds at once, and with huge pages
/// every fresh 2 MiB the allocator touches is zeroed whole by the kernel:
/// at realistic 10k that was a sixth of an incremental build's CPU (the
/// README's speed section has the measurement).
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it only sets a flag
    // on this process, and a failure leaves the default in place.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

mod cli;

use cli::{Cli, Command, New};

/// Runs `work`, drawing its progress on stderr while it runs if stderr is a
/// terminal and the work takes longer than a moment; otherwise output stays
/// as quiet and parseable as without it.
fn with_progress<T>(progress: &Arc<Progress>, work: impl FnOnce() -> T) -> T {
    use std::io::{IsTerminal, Write};
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let drawer = {
        let (progress, done) = (Arc::clone(progress), Arc::clone(&done));
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let mut drawn = false;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                let (stage, n, total) = progress.read();
                if started.elapsed().as_millis() >= 250 && !stage.is_empty() {
                    eprint!("\r\x1b[2K{stage}: {n}/{total}");
                    let _ = std::io::stderr().flush();
                    drawn = true;
                }
            }
            if drawn {
                eprint!("\r\x1b[2K");
            }
        })
    };
    let out = work();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = drawer.join();
    out
}

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    let writes = match cli.command {
        Command::Build { .. } => Writes::Site,
        Command::New { .. } => Writes::NewFile,
        Command::Update { .. } | Command::Resolve { .. } | Command::Postmortem { .. } => Writes::File,
        Command::Check { .. }
        | Command::Init { .. }
        | Command::Serve { .. }
        | Command::Publish { .. }
        | Command::Verify { .. }
        | Command::Rollback { .. } => Writes::Nothing,
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e, writes);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::Build { site, strict, force, full } => {
            let progress = Arc::new(Progress::default());
            let opts = build::BuildOptions { full, ..site.options(strict, force, Arc::clone(&progress))? };
            let report = with_progress(&progress, || build::build(&opts))?;
            print_warnings(&report.warnings);
            print_older(&report.older_warnings);
            println!(
                "built {} page{} and {} feed{} ({} files{}, {}) from {} incident{} and {} maintenance in {:.2} s -> {} (version {})",
                report.pages,
                plural(report.pages),
                report.feeds,
                plural(report.feeds),
                report.written.files,
                match report.written.reused {
                    0 => String::new(),
                    n => format!(", {n} unchanged from the previous build"),
                },
                human_bytes(report.written.bytes),
                report.incidents,
                plural(report.incidents),
                report.maintenance,
                report.elapsed.as_secs_f64(),
                opts.output.display(),
                candor::publish::plan::short(&report.version)
            );
        }
        Command::Serve { root, now: clock, bind, port, open, allow_host } => {
            serve(root, clock, std::net::SocketAddr::new(bind, port), open, allow_host)?
        }
        Command::Check { root, now: clock, strict } => {
            let report = build::check(&root, cli::now(clock.as_deref())?, strict)?;
            print_warnings(&report.warnings);
            let (files, incidents, warnings) = (report.files, report.incidents, report.warnings.len());
            println!(
                "ok: {files} file{}, {incidents} incident{}, {warnings} warning{}",
                plural(files),
                plural(incidents),
                plural(warnings)
            );
        }
        Command::Publish { out, every: Some(interval), .. } => {
            let (root, output) = out.paths();
            publish_every(root, output, &interval)?;
        }
        Command::Publish { out, dry_run, every: None } => {
            let (root, output) = out.paths();
            let progress = Arc::new(Progress::default());
            let opts = candor::publish::Options { root, output, dry_run, progress: Arc::clone(&progress) };
            with_progress(&progress, || candor::publish::publish(&opts, &mut |line| println!("{line}")))?;
        }
        Command::Verify { out } => {
            let (root, output) = out.paths();
            let rows = candor::publish::verify::verify(&root, &output, chrono::Utc::now())?;
            print!("{}", candor::publish::verify::table(&rows));
            let bad = rows.iter().filter(|r| !r.ok).count();
            let served = rows.iter().filter_map(|r| r.served.as_ref()).any(|s| !s.failures.is_empty());
            if bad > 0 {
                return Err(Error::Publish(format!(
                    "{bad} of {} replica{} not at the local build or not whole{}: run `candor build` if the site changed, then `candor publish`, which brings stale replicas to the local build and puts back files that differ from their manifest{}",
                    rows.len(),
                    if rows.len() == 1 { " is" } else { "s are" },
                    if served { ", or not served right at the public_url" } else { "" },
                    if served {
                        "; a certificate is renewed, and a public_url fixed, on the web server in front of the replica"
                    } else {
                        ""
                    }
                )));
            }
        }
        Command::Rollback { root, to } => {
            candor::publish::rollback::rollback(&root, to.as_deref(), &mut |line| println!("{line}"))?;
        }
        Command::Init { dir } => {
            let files = candor::cmd::init::init(&dir)?;
            for f in &files {
                println!("created {}", f.display());
            }
            println!(
                "next: candor serve --root {0} --open (a preview that reloads as you edit), or candor build --root {0} (the site in {0}/site, whose index.html opens in any browser)",
                dir.display()
            );
        }
        Command::New { what: New::Incident { title, impact, affects, status, message, edit } } => {
            let (root, now) = edit.site();
            print_edited(incident::new_incident(NewIncident { root, now, title, impact, affects, status, message })?);
        }
        Command::New { what: New::Maintenance { title, affects, start, end, message, edit } } => {
            let (root, now) = edit.site();
            print_edited(maintenance::new_maintenance(NewMaintenance {
                root,
                now,
                title,
                affects,
                start,
                end,
                message,
            })?);
        }
        Command::Update { id, status, message, reopen, sets, from, title, impact, started, edit } => {
            let (root, now) = edit.site();
            let change = Change { status, reopen, sets, from, title, impact, started };
            print_edited(incident::update(UpdateIncident { root, now, id, message, change })?);
        }
        Command::Resolve { id, message, edit } => {
            let (root, now) = edit.site();
            print_edited(incident::resolve_incident(ResolveIncident { root, now, id, message })?);
        }
        Command::Postmortem { id, edit } => {
            let (root, now) = edit.site();
            print_edited(candor::cmd::postmortem::add_postmortem(NewPostmortem { root, now, id })?);
        }
    }
    Ok(())
}

fn serve(
    root: PathBuf,
    clock: Option<String>,
    addr: std::net::SocketAddr,
    open: bool,
    allowed_hosts: Vec<String>,
) -> Result<(), Error> {
    use candor::serve::{Outcome, ServeOptions, Serving};
    let clock = cli::pinned_clock(clock.as_deref())?;
    if !addr.ip().is_loopback() {
        eprintln!("warning: listening on {}, so other machines can reach this preview", addr.ip());
    }
    let progress = Arc::new(Progress::default());
    let server = Serving::bind(ServeOptions { root, addr, clock, progress: Arc::clone(&progress), allowed_hosts })?;
    let addr = server.addr().map(|a| a.to_string()).unwrap_or_else(|| addr.to_string());
    let report = |outcome: &Outcome| match outcome {
        Outcome::Built { took, parsed, pages, incidents, warnings, older_warnings } => {
            print_warnings(warnings);
            print_older(older_warnings);
            println!(
                "built {pages} page{} from {incidents} incident{} in {:.2} s ({parsed} file{} read)",
                plural(*pages),
                plural(*incidents),
                took.as_secs_f64(),
                plural(*parsed)
            );
        }
        Outcome::Failed { took, error, serving_old } => {
            report_error(error, Writes::Nothing);
            let still = if *serving_old { "still serving the last good site" } else { "nothing to serve yet" };
            eprintln!(
                "rebuild failed after {:.2} s; {still}, with the errors shown in the browser",
                took.as_secs_f64()
            );
        }
    };
    report(&with_progress(&progress, || server.rebuild()));
    let on_change = move |outcome: &Outcome, changed: &[PathBuf]| {
        let first = changed.first().map(|p| p.display().to_string()).unwrap_or_default();
        let more = if changed.len() > 1 { format!(" and {} more", changed.len() - 1) } else { String::new() };
        println!("changed: {first}{more}");
        report(outcome);
    };
    let url = format!("http://{addr}/");
    println!("serving {url} (watching for changes; Ctrl-C to stop)");
    if open {
        if let Err(e) = opener::open_browser(&url) {
            eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
        }
    }
    let stopper = server.stopper();
    ctrlc::set_handler(move || stopper.stop()).map_err(|e| Error::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    server.run(on_change)?;
    println!("stopped");
    Ok(())
}

/// `candor publish --every INTERVAL`, stopped by Ctrl-C.
fn publish_every(root: PathBuf, output: PathBuf, text: &str) -> Result<(), Error> {
    use candor::publish::every::{every, EveryOptions, Stop};
    let interval = candor::time::parse_interval(text)
        .and_then(|d| d.to_std().ok())
        .ok_or_else(|| Error::Usage(format!("--every {text:?} is not a duration: write e.g. 30m, 1h, 1h30m or 10s")))?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (wake, rx) = std::sync::mpsc::channel();
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || {
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
            let _ = wake.send(());
        })
        .map_err(|e| Error::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    }
    println!("publishing every {text}: a build at the wall clock, then a publish of what changed (Ctrl-C to stop)");
    every(
        &EveryOptions { root, output, interval },
        &Stop { stop, wake: rx },
        &mut |line| println!("{line}"),
        &mut |line| eprintln!("{line}"),
    )
}

fn print_edited(edited: Edited) {
    print_warnings(&edited.warnings);
    if edited.older_warnings > 0 {
        let n = edited.older_warnings;
        eprintln!(
            "({n} older warning{} in {}, from before this command: `candor check` lists {})",
            plural(n),
            edited.path.display(),
            if n == 1 { "it" } else { "them" }
        );
    }
    for note in &edited.notes {
        eprintln!("warning: {note}");
    }
    println!("{} {} ({})", edited.verb, edited.path.display(), edited.summary);
}

/// One line counting the warnings about what is long over, if any.
fn print_older(older: &[(Option<&'static str>, usize)]) {
    if let Some(line) = candor::lint::older::older_line(older) {
        eprintln!("note: {line}");
    }
}

fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

/// What a command would have written, so that a failure can say it is untouched.
#[derive(Clone, Copy)]
enum Writes {
    Nothing,
    Site,
    /// A new content file.
    NewFile,
    /// Changes to a content file.
    File,
}

/// Prints the error once, and that what the command would have written is
/// as it was.
fn report_error(e: &Error, writes: Writes) {
    match e {
        Error::Content(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            let errors = diags.iter().filter(|d| d.severity == candor::diagnostic::Severity::Error).count();
            let warnings = diags.len() - errors;
            let files: std::collections::BTreeSet<_> = diags.iter().map(|d| &d.path).collect();
            eprintln!(
                "failed: {errors} error{}, {warnings} warning{} in {} file{}",
                plural(errors),
                plural(warnings),
                files.len(),
                plural(files.len()),
            );
        }
        other => eprintln!("error: {other}"),
    }
    // Problems in the edited file are reported at its lines as edited;
    // problems elsewhere (status.toml) are where they are.
    let in_edit = matches!(e, Error::Content(d) if d.iter().all(|d| d.path.starts_with("content")));
    match writes {
        Writes::Site => eprintln!("nothing was written: the output folder is as it was"),
        Writes::File if in_edit => eprintln!(
            "nothing was written: the lines above are those of the file as it would have been, and the file on disk is as it was"
        ),
        Writes::NewFile if in_edit => {
            eprintln!("nothing was written: the lines above are those of the file as it would have been")
        }
        Writes::File | Writes::NewFile => eprintln!("nothing was written"),
        Writes::Nothing => {}
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
