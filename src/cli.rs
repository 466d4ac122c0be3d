//! The command line: every command and its arguments (clap derive), and
//! the build's clock, resolved here once for `build`, `check` and `serve`
//! (the editing commands stamp with [`Stamp`]).

use candor::cmd::build::BuildOptions;
use candor::cmd::stamp::Stamp;
use candor::progress::Progress;
use candor::Error;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

/// The clock of `build`, `check` and `serve` when pinned: `--now`, else
/// `SOURCE_DATE_EPOCH`; `None` means the wall clock (`serve` reads it at
/// every rebuild).
pub fn pinned_clock(flag: Option<&str>) -> Result<Option<candor::time::Instant>, Error> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().filter(|s| !s.is_empty());
    match (flag, epoch) {
        (None, None) => Ok(None),
        (flag, epoch) => candor::time::build_now(flag, epoch.as_deref()).map(Some).map_err(Error::Usage),
    }
}

/// The clock of one build or check: pinned, else the wall clock now.
pub fn now(flag: Option<&str>) -> Result<candor::time::Instant, Error> {
    Ok(pinned_clock(flag)?.unwrap_or_else(chrono::Utc::now))
}

#[derive(Parser)]
#[command(name = "candor", version, about = "Static status pages and incident postmortems")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds; pages unchanged since the build already there are taken from it)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Fail on warnings too
        #[arg(long)]
        strict: bool,
        /// Replace the output folder even if candor did not write it (it has no .candor-output file)
        #[arg(long)]
        force: bool,
        /// Render every file, taking none unchanged from the build already in the output folder
        #[arg(long)]
        full: bool,
    },
    /// Validate the content and report every problem, writing nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        now: Option<String>,
        /// Fail on warnings too
        #[arg(long)]
        strict: bool,
    },
    /// Preview the site: build it into memory, serve it, rebuild and reload open tabs on every save
    Serve {
        /// The site folder, holding status.toml and content/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Pin the clock, RFC 3339 [default: $SOURCE_DATE_EPOCH, else the wall clock at each rebuild]
        #[arg(long)]
        now: Option<String>,
        /// Address to listen on; anything but loopback exposes the preview to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser once it is served
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (NAME or NAME:PORT; repeatable). Only
        /// localhost, 127.0.0.1, [::1] and the bound address, with the port, are answered
        /// otherwise (others get 421), so other sites cannot reach the preview by DNS rebinding
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Create a new site from the starter in DIR (new or empty)
    Init { dir: PathBuf },
    /// Create an incident or a maintenance file, checked before it is written
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Append an update, stamped now, to an incident or a maintenance
    Update {
        /// The incident's or maintenance's id (its file name without .md), or its file
        id: String,
        /// investigating | identified | monitoring; for a maintenance: scheduled | in_progress | verifying | completed [default: the last update's]
        #[arg(long)]
        status: Option<String>,
        /// The update's text (Markdown) [default: standard input if piped, else $VISUAL or $EDITOR; none when only --title, --impact or --started is given]
        #[arg(long)]
        message: Option<String>,
        /// Update a resolved incident: it is open again
        #[arg(long)]
        reopen: bool,
        /// From now (or --from) on, these cells have this status: COMPONENT[:REGION,...]=STATUS, STATUS one of operational, degraded_performance, partial_outage, major_outage (repeatable)
        #[arg(long = "set", value_name = "CELLS=STATUS")]
        sets: Vec<String>,
        /// When the --set changes took effect, if before now: RFC 3339 or a local time in the site's zone
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// A new title (posts no update unless --message is given)
        #[arg(long)]
        title: Option<String>,
        /// A new impact: none | minor | major | critical (posts no update unless --message is given)
        #[arg(long)]
        impact: Option<String>,
        /// When customers were first affected, if not when it was posted: RFC 3339 or a local time (posts no update unless --message is given)
        #[arg(long, value_name = "TIME")]
        started: Option<String>,
        #[command(flatten)]
        edit: EditArgs,
    },
    /// Resolve an incident now: `resolved`, the final update, open windows ended
    Resolve {
        /// The incident's id (its file name without .md), or its file
        id: String,
        /// The final update's text [default: standard input if piped, else $VISUAL or $EDITOR]
        #[arg(long)]
        message: Option<String>,
        #[command(flatten)]
        edit: EditArgs,
    },
    /// Add a draft postmortem to an incident: every part empty, shown nowhere until it has `published`
    Postmortem {
        /// The incident's id (its file name without .md), or its file
        id: String,
        #[command(flatten)]
        edit: EditArgs,
    },
    /// Publish the built output to every [[replicas]] of status.toml, phase by phase (build first)
    Publish {
        #[command(flatten)]
        out: OutputArgs,
        /// Print what each replica would get (files to add, change, remove; bytes), writing nothing
        #[arg(long, conflicts_with = "every")]
        dry_run: bool,
        /// Rebuild at the wall clock and publish, again every INTERVAL (30m, 1h, 2s...), until Ctrl-C; one line per round
        #[arg(long, value_name = "INTERVAL")]
        every: Option<String>,
    },
    /// Check every replica: its version, age, files re-hashed, drift from the local build, and what its public_url serves (HTTPS certificates, version)
    Verify {
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Put the previous (or a named) release back on every replica, phase by phase
    Rollback {
        /// The site folder, holding status.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The release to put back: a version, or its beginning [default: the one published before the current one]
        #[arg(long, value_name = "VERSION")]
        to: Option<String>,
    },
}

/// A site and its built output, for the publishing commands.
#[derive(clap::Args)]
pub struct OutputArgs {
    /// The site folder, holding status.toml
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The built site [default: ROOT/site]
    #[arg(long)]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    pub fn paths(self) -> (PathBuf, PathBuf) {
        let output = self.output.unwrap_or_else(|| self.root.join("site"));
        (self.root, output)
    }
}

#[derive(Subcommand)]
pub enum New {
    /// A new incident, started now, with a first "investigating" update
    Incident {
        /// What customers notice, e.g. "Elevated API errors"
        title: String,
        /// none | minor | major | critical [default: from --status]
        #[arg(long)]
        impact: Option<String>,
        /// What is affected: a component (or group) id, optionally with regions; repeat for more
        #[arg(long, value_name = "COMPONENT[:REGION,...]")]
        affects: Vec<String>,
        /// How: degraded_performance | partial_outage | major_outage
        #[arg(long)]
        status: Option<String>,
        /// The first update's text [default: names what is affected]
        #[arg(long)]
        message: Option<String>,
        #[command(flatten)]
        edit: EditArgs,
    },
    /// A scheduled maintenance, with a first "scheduled" update
    Maintenance {
        /// What is done, e.g. "Database engine upgrade"
        title: String,
        /// What it touches: a component (or group) id, optionally with regions; repeat for more
        #[arg(long, required = true, value_name = "COMPONENT[:REGION,...]")]
        affects: Vec<String>,
        /// When it starts: RFC 3339, or a local time in the site's zone (2026-12-05T02:00)
        #[arg(long)]
        start: String,
        /// When it ends, likewise
        #[arg(long)]
        end: String,
        /// The first update's text [default: what and when]
        #[arg(long)]
        message: Option<String>,
        #[command(flatten)]
        edit: EditArgs,
    },
}

/// The site an editing command changes, and its clock.
#[derive(clap::Args)]
pub struct EditArgs {
    /// The site folder, holding status.toml and content/
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The time to stamp: RFC 3339, or a local time in the site's zone (2026-12-05T02:00) [default: now; SOURCE_DATE_EPOCH is not read]
    #[arg(long)]
    pub now: Option<String>,
    /// Stamp a --now more than 5 minutes ahead of this machine's clock
    #[arg(long)]
    pub force: bool,
}

impl EditArgs {
    /// The site's folder and the time to stamp: `--now`, else the wall
    /// clock. `SOURCE_DATE_EPOCH` pins builds, not what is said to
    /// customers: shells set up for reproducible builds export it (Nix sets
    /// 1980-01-01), and an update stamped with it would be dated in the past.
    pub fn site(self) -> (PathBuf, Stamp) {
        (self.root, Stamp { text: self.now, force: self.force })
    }
}

/// Where the site is, where it goes, and the build's clock.
#[derive(clap::Args)]
pub struct SiteArgs {
    /// The site folder, holding status.toml and content/
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/site]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The build's clock, RFC 3339 [default: $SOURCE_DATE_EPOCH, else now]
    #[arg(long)]
    pub now: Option<String>,
}

impl SiteArgs {
    pub fn options(self, strict: bool, force: bool, progress: Arc<Progress>) -> Result<BuildOptions, Error> {
        let output = self.output.unwrap_or_else(|| self.root.join("site"));
        let now = now(self.now.as_deref())?;
        Ok(BuildOptions { now, root: self.root, output, strict, force, full: false, progress })
    }
}
