//! `candor verify`: every replica's current release read back, re-hashed
//! against its own manifest (corruption), and compared with the local
//! build (drift); and, for a replica with a `public_url`, what that URL
//! serves and its certificates ([`super::served`]).

use super::origin::Origin;
use super::plan::{short, Plan};
use super::{local_manifest, open, replicas};
use crate::error::Error;
use crate::output::manifest::Manifest;
use std::path::Path;

/// One replica as found.
#[derive(Debug)]
pub struct Row {
    pub replica: String,
    pub phase: u32,
    /// Its current version, shortened; "-" when it has none.
    pub version: String,
    /// Since its release was built, e.g. "3 h 12 min".
    pub age: String,
    /// Up to date and whole.
    pub ok: bool,
    /// "ok", or what is wrong.
    pub state: String,
    /// What its public_url serves, when it has one.
    pub served: Option<super::served::Served>,
}

/// Every replica's row, in rollout order.
pub fn verify(root: &Path, output: &Path, now: crate::time::Instant) -> Result<Vec<Row>, Error> {
    let local = local_manifest(output)?;
    let replicas = replicas(root)?;
    let mut rows: Vec<Row> = replicas
        .iter()
        .map(|replica| {
            let (version, age, ok, state) = match open(replica) {
                Ok(origin) => check(origin.as_ref(), &local, now),
                Err(e) => ("-".into(), "-".into(), false, format!("unreachable: {e}")),
            };
            Row { replica: replica.name.clone(), phase: replica.phase, version, age, ok, state, served: None }
        })
        .collect();
    super::served::annotate(&replicas, &mut rows, &local, now);
    Ok(rows)
}

fn check(dir: &dyn Origin, local: &Manifest, now: crate::time::Instant) -> (String, String, bool, String) {
    let current = match dir.current() {
        Ok(Some(v)) => v,
        Ok(None) => {
            let state = match dir.unfinished() {
                Ok(true) => {
                    "a first publish stopped before it went live; files of it may be served: run `candor publish`"
                }
                _ => "nothing published yet",
            };
            return ("-".into(), "-".into(), false, state.into());
        }
        Err(e) => return ("-".into(), "-".into(), false, format!("unreadable: {e}")),
    };
    let version = short(&current).to_owned();
    let manifest = match dir.manifest(&current) {
        Ok(m) => m,
        Err(e) => return (version, "-".into(), false, format!("no readable manifest: {e}")),
    };
    let age = chrono::DateTime::parse_from_rfc3339(&manifest.built)
        .map(|built| crate::time::human_duration(now.signed_duration_since(built)))
        .unwrap_or_else(|_| "-".into());
    let mut problems = Vec::new();
    match dir.problems(&manifest) {
        Ok(found) if found.is_empty() => {}
        Ok(found) => {
            problems.push(format!("corrupt: {} ({} in all)", found[0], found.len()));
            if let Ok(true) = dir.unfinished() {
                problems.push(format!(
                    "a publish or rollback stopped before it finished: run `candor publish`, or `candor rollback --to {version}`"
                ));
            }
        }
        Err(e) => problems.push(format!("unreadable: {e}")),
    }
    if manifest.version != current {
        problems.push(format!("its manifest says version {}", short(&manifest.version)));
    }
    if manifest.version != local.version {
        // What the replica lacks, has extra, or has otherwise, against the local build.
        let drift = Plan::new(Some(&manifest), local);
        problems.push(format!(
            "stale: the local build is {}; missing {}, extra {}, differing {}",
            short(&local.version),
            drift.add.len(),
            drift.remove.len(),
            drift.change.len()
        ));
    }
    let ok = problems.is_empty();
    (version, age, ok, if ok { "ok".into() } else { problems.join("; ") })
}

/// The rows as a table, one line each under a header (with a CERT column
/// when a replica has a public_url), then any warnings.
pub fn table(rows: &[Row]) -> String {
    let width = |f: fn(&Row) -> usize, title: &str| rows.iter().map(f).max().unwrap_or(0).max(title.len());
    let (wr, wv, wa) =
        (width(|r| r.replica.len(), "REPLICA"), width(|r| r.version.len(), "VERSION"), width(|r| r.age.len(), "AGE"));
    fn cert(r: &Row) -> &str {
        r.served.as_ref().map_or("-", |s| s.cert.as_str())
    }
    let wc = rows.iter().any(|r| r.served.is_some()).then(|| width(|r| cert(r).len(), "CERT"));
    let column = |text: &str| wc.map(|wc| format!("{text:wc$}  ")).unwrap_or_default();
    let mut out = format!("{:wr$}  PHASE  {:wv$}  {:wa$}  {}STATE\n", "REPLICA", "VERSION", "AGE", column("CERT"));
    for r in rows {
        out.push_str(&format!(
            "{:wr$}  {:>5}  {:wv$}  {:wa$}  {}{}\n",
            r.replica,
            r.phase,
            r.version,
            r.age,
            column(cert(r)),
            r.state
        ));
    }
    for note in super::served::notes(rows) {
        out.push_str(&note);
        out.push('\n');
    }
    out
}
