//! `candor verify`'s checks of what each replica's `public_url` serves,
//! and the rules it judges them by. Every rule is here:
//!
//! - **Certificates** (`https://` only; every certificate the server
//!   presents counts, the first to expire decides):
//!   - expiring within [`WARN_DAYS`] (30) days: a warning;
//!   - expiring within [`FAIL_DAYS`] (7) days, expired, not yet valid, not
//!     trusted (unknown issuer, bad signature) or not valid for the host:
//!     a failure, the replica is not ok.
//! - **The page**: its front page must answer 2xx (a redirect is reported
//!   with where it leads, not followed) and carry
//!   `<meta name="candor-version">` equal to the version the replica has
//!   published (else the local build's): otherwise a failure, "serves X,
//!   expected Y".
//! - **Across replicas**: when there are at least two `https://` replicas,
//!   every one of them presents a trusted chain, and the first certificate
//!   to expire of each expires within the same [`SHARED_WINDOW_DAYS`] (7)
//!   days, a warning: one renewal failure takes them all down.
//!
//! Everything is judged at the one `now` of the run (the wall clock, in
//! UTC; certificates are verified at it too, see [`super::https`]) and
//! dates are printed as UTC dates. A plain `http://` public_url is fetched
//! and its version checked; its CERT column says "no TLS".

use super::https::{self, Fetched};
use super::plan::short;
use super::replicas::Replica;
use super::verify::Row;
use crate::output::manifest::Manifest;
use crate::time::Instant;
use chrono::Duration;

/// A certificate expiring within this many days is a warning.
pub const WARN_DAYS: i64 = 30;
/// A certificate expiring within this many days is a failure.
pub const FAIL_DAYS: i64 = 7;
/// Every replica's certificate expiring within one window this wide is a warning.
pub const SHARED_WINDOW_DAYS: i64 = 7;

/// What one replica's public_url was found to serve, judged.
#[derive(Debug, Clone)]
pub struct Served {
    pub url: String,
    /// The CERT column: "ok, expires 2027-03-01 (84 d)", "WARN expires in
    /// 20 d (2026-12-27)", "FAIL expired 2026-12-01", "no TLS", "-".
    pub cert: String,
    /// What makes the replica not ok.
    pub failures: Vec<String>,
    pub warnings: Vec<String>,
    /// When the first certificate of its chain expires, if the chain is
    /// trusted (`https://` only).
    pub earliest: Option<Instant>,
}

/// Fetches every replica's public_url (all at once) and adds what was
/// found to its row: the CERT column, failures to its state.
pub fn annotate(replicas: &[Replica], rows: &mut [Row], local: &Manifest, now: Instant) {
    let found: Vec<Option<Served>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = replicas
            .iter()
            .map(|replica| {
                let url = replica.public_url.clone()?;
                let expected = expected(replica, local);
                Some(scope.spawn(move || judge(&url, &https::fetch(&url, now), &expected, now)))
            })
            .collect();
        jobs.into_iter().map(|job| job.and_then(|j| j.join().ok())).collect()
    });
    for (row, served) in rows.iter_mut().zip(found) {
        if let Some(served) = &served {
            if !served.failures.is_empty() {
                let failures = served.failures.join("; ");
                row.state = if row.ok { failures } else { format!("{}; {failures}", row.state) };
                row.ok = false;
            }
        }
        row.served = served;
    }
}

/// The version the replica should serve: the one it has published, else
/// (unreadable) the local build's.
fn expected(replica: &Replica, local: &Manifest) -> String {
    super::open(replica).ok().and_then(|o| o.current().ok().flatten()).unwrap_or_else(|| local.version.clone())
}

/// `fetched` (from `url`) judged by the rules of this module.
pub fn judge(url: &str, fetched: &Fetched, expected: &str, now: Instant) -> Served {
    let mut s = Served { url: url.to_owned(), cert: "-".into(), failures: vec![], warnings: vec![], earliest: None };
    let mut untrusted = false;
    if !url.starts_with("https://") {
        s.cert = "no TLS".into();
    } else if let Some(chain) = &fetched.chain {
        let first = chain.earliest();
        s.earliest = first.filter(|_| chain.trusted.is_ok()).map(|c| c.not_after);
        let left = first.map(|c| c.not_after - now);
        match (&chain.trusted, first, left) {
            (Err(why), Some(c), _) if why == "expired" => {
                s.cert = format!("FAIL expired {}", date(c.not_after));
                s.failures.push(format!("{url}: certificate of {} expired on {}", c.subject, date(c.not_after)));
            }
            (Err(why), _, _) => {
                s.cert = format!("FAIL {why}");
                s.failures.push(format!("{url}: certificate {why}"));
            }
            (Ok(()), Some(c), Some(left)) if left < Duration::days(FAIL_DAYS) => {
                s.cert = format!("FAIL expires in {} d ({})", left.num_days(), date(c.not_after));
                s.failures.push(format!(
                    "{url}: certificate of {} expires in {} d, on {}: renew it",
                    c.subject,
                    left.num_days(),
                    date(c.not_after)
                ));
            }
            (Ok(()), Some(c), Some(left)) if left < Duration::days(WARN_DAYS) => {
                s.cert = format!("WARN expires in {} d ({})", left.num_days(), date(c.not_after));
                s.warnings.push(format!(
                    "{url}: certificate of {} expires in {} d, on {}",
                    c.subject,
                    left.num_days(),
                    date(c.not_after)
                ));
            }
            (Ok(()), Some(c), Some(left)) => {
                s.cert = format!("ok, expires {} ({} d)", date(c.not_after), left.num_days())
            }
            (Ok(()), _, _) => s.cert = "ok".into(),
        }
        untrusted = chain.trusted.is_err();
    }
    match &fetched.page {
        // The handshake was refused over the certificate, already named.
        Err(_) if untrusted => {}
        Err(e) => s.failures.push(format!("{url}: {e}")),
        Ok(page) if (300..400).contains(&page.status) => s.failures.push(format!(
            "{url} redirects (HTTP {}) to {}: set public_url to where readers end up",
            page.status,
            page.location.as_deref().unwrap_or("nowhere")
        )),
        Ok(page) if !(200..300).contains(&page.status) => {
            s.failures.push(format!("{url} answers HTTP {}", page.status))
        }
        Ok(page) => match &page.version {
            None => s.failures.push(format!("{url} serves a page without <meta name=\"candor-version\">")),
            Some(v) if v != expected => {
                s.failures.push(format!("{url} serves {}, expected {}", short(v), short(expected)))
            }
            Some(_) => {}
        },
    }
    s
}

/// The warnings to print below the table: each replica's, then the shared
/// expiry ([`SHARED_WINDOW_DAYS`]).
pub fn notes(rows: &[Row]) -> Vec<String> {
    let mut notes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.served.as_ref().map(|s| (r, s)))
        .flat_map(|(r, s)| s.warnings.iter().map(move |w| format!("warning: {}: {w}", r.replica)))
        .collect();
    let https: Vec<Option<Instant>> = rows
        .iter()
        .filter_map(|r| r.served.as_ref())
        .filter(|s| s.url.starts_with("https://"))
        .map(|s| s.earliest)
        .collect();
    let known: Vec<Instant> = https.iter().flatten().copied().collect();
    if let (Some(a), Some(b)) = (known.iter().min(), known.iter().max()) {
        if known.len() >= 2 && known.len() == https.len() && *b - *a <= Duration::days(SHARED_WINDOW_DAYS) {
            let when = if date(*a) == date(*b) {
                format!("on {}", date(*a))
            } else {
                format!("between {} and {}", date(*a), date(*b))
            };
            notes.push(format!(
                "warning: every replica's certificate expires {when}: one renewal failure takes them all down; stagger their renewals"
            ));
        }
    }
    notes
}

/// "2027-03-01" (UTC).
fn date(instant: Instant) -> String {
    instant.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::http::Page;
    use crate::publish::https::{Cert, Chain};

    fn fetched(days_left: i64, now: Instant, version: &str) -> Fetched {
        let cert = Cert { subject: "west".into(), not_after: now + Duration::days(days_left) };
        let page = Page { status: 200, location: None, version: Some(version.into()) };
        Fetched { chain: Some(Chain { certs: vec![cert], trusted: Ok(()) }), page: Ok(page) }
    }

    #[test]
    fn thresholds_fall_where_documented() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z").unwrap().to_utc();
        let cert = |days| judge("https://w", &fetched(days, now, "v"), "v", now);
        assert_eq!(cert(WARN_DAYS).cert, "ok, expires 2027-01-06 (30 d)");
        assert!(cert(WARN_DAYS - 1).cert.starts_with("WARN") && cert(WARN_DAYS - 1).failures.is_empty());
        assert!(cert(FAIL_DAYS).cert.starts_with("WARN"));
        assert_eq!(cert(FAIL_DAYS - 1).cert, "FAIL expires in 6 d (2026-12-13)");
        let stale = judge("https://w", &fetched(90, now, "old"), "new", now);
        assert_eq!(stale.failures, ["https://w serves old, expected new"]);
        let plain = judge("http://w", &Fetched { chain: None, page: Err("refused".into()) }, "v", now);
        assert_eq!((plain.cert.as_str(), plain.failures[0].as_str()), ("no TLS", "http://w: refused"));
    }
}
