//! Synthetic site generator for Candor (benchmarks and stress tests).
//!
//! ```text
//! cargo run --release --example gen -- --incidents 10000 --components 200 --regions 60 \
//!     [--groups 10] [--maintenance 200] [--seed 42] [--end 2026-11-01] OUT_DIR
//! cargo run --release --example gen -- --profile realistic --items 10000 \
//!     --components 200 --regions 60 OUT_DIR
//! ```
//!
//! Two profiles:
//!
//! - `light` (the default, so existing commands and tests keep their sites):
//!   1-4 updates of one to four sentences, a one-paragraph narrative, small
//!   affected blocks, 200 maintenance windows. Cheap to render.
//! - `realistic` ([`realistic`], `examples/gen/realistic.rs`): content shaped
//!   like a large cloud provider's status history. About 80% incidents and
//!   20% maintenance (`--items N` sets both), components in families of
//!   siblings that fail together (an incident can cover 800+ service x
//!   region cells), about 30% of services offered in only some regions,
//!   about 10 updates of 20-60 words per incident, a ~550-word Markdown
//!   narrative (headings, lists, task lists) in every incident, postmortems
//!   with action items on about 5% and credits on about 1.5%.
//!
//! Writes a complete site into OUT_DIR (which must not exist or be empty):
//! `status.toml`, `content/incidents/<id>.md`, `content/maintenance/<id>.md` and
//! `content/pages/about.md`. Everything is in UTC with `Z` datetimes. Output is a
//! pure function of the arguments (own PRNG, no clock, no hash-map iteration).
//!
//! Only `std` is used, so the file also builds alone:
//! `rustc --edition 2021 -O examples/gen.rs -o /tmp/gen`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ---------------------------------------------------------------------------
// Arguments

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Light,
    Realistic,
}

#[path = "gen/realistic.rs"]
mod realistic;

struct Args {
    profile: Profile,
    incidents: usize,
    components: usize,
    regions: usize,
    groups: usize,
    maintenance: usize,
    seed: u64,
    end_day: i64, // days since 1970-01-01 (UTC midnight of --end)
    out: PathBuf,
}

const USAGE: &str = "usage: gen [--profile light|realistic] (--incidents N | --items N) --components N \
--regions N [--groups N] [--maintenance N] [--seed N] [--end YYYY-MM-DD] OUT_DIR
  --items N  N incidents and maintenance windows together: 80% incidents, 20% maintenance";

fn parse_args() -> Result<Args, String> {
    let mut profile = Profile::Light;
    let mut items = None;
    let mut incidents = None;
    let mut components = None;
    let mut regions = None;
    let mut groups = 10usize;
    let mut maintenance = None;
    let mut seed = 42u64;
    let mut end_day = days_from_civil(2026, 11, 1);
    let mut out: Option<PathBuf> = None;

    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if a.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        let num = |name: &str, v: String| -> Result<u64, String> {
            v.parse::<u64>().map_err(|_| format!("{name}: expected a non-negative integer, got {v:?}"))
        };
        match flag.as_str() {
            "--profile" => {
                profile = match value("--profile")?.as_str() {
                    "light" => Profile::Light,
                    "realistic" => Profile::Realistic,
                    p => return Err(format!("--profile: expected light or realistic, got {p:?}")),
                }
            }
            "--items" => items = Some(num("--items", value("--items")?)? as usize),
            "--incidents" => incidents = Some(num("--incidents", value("--incidents")?)? as usize),
            "--components" => components = Some(num("--components", value("--components")?)? as usize),
            "--regions" => regions = Some(num("--regions", value("--regions")?)? as usize),
            "--groups" => groups = num("--groups", value("--groups")?)? as usize,
            "--maintenance" => maintenance = Some(num("--maintenance", value("--maintenance")?)? as usize),
            "--seed" => seed = num("--seed", value("--seed")?)?,
            "--end" => end_day = parse_date(&value("--end")?)?,
            "-h" | "--help" => return Err(String::new()),
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option {f}")),
            _ => {
                if out.is_some() {
                    return Err(format!("unexpected extra argument {a:?}"));
                }
                out = Some(PathBuf::from(a));
            }
        }
    }
    let (incidents, maintenance) = match (items, incidents) {
        (Some(_), Some(_)) => return Err("give --items or --incidents, not both".into()),
        (Some(n), None) => (n - n / 5, maintenance.unwrap_or(n / 5)),
        (None, Some(n)) => (n, maintenance.unwrap_or(200)),
        (None, None) => return Err("--incidents or --items is required".into()),
    };
    let components = components.ok_or("--components is required")?;
    let regions = regions.ok_or("--regions is required")?;
    if components == 0 {
        return Err("--components must be at least 1".into());
    }
    if regions == 0 {
        return Err("--regions must be at least 1".into());
    }
    let out = out.ok_or("OUT_DIR is required")?;
    Ok(Args { profile, incidents, components, regions, groups, maintenance, seed, end_day, out })
}

fn parse_date(s: &str) -> Result<i64, String> {
    let bad = || format!("--end: expected a date YYYY-MM-DD, got {s:?}");
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 || p[0].len() != 4 || p[1].len() != 2 || p[2].len() != 2 {
        return Err(bad());
    }
    let y: i64 = p[0].parse().map_err(|_| bad())?;
    let m: u32 = p[1].parse().map_err(|_| bad())?;
    let d: u32 = p[2].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(format!("--end: {s} is not a valid date"));
    }
    Ok(days_from_civil(y, m, d))
}

// ---------------------------------------------------------------------------
// Calendar (proleptic Gregorian, UTC); times are whole minutes since the epoch.

/// `n` groups: (id, name), names repeating with a number after the list.
fn group_names(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let base = GROUP_NAMES[i % GROUP_NAMES.len()];
            let name =
                if i < GROUP_NAMES.len() { base.to_string() } else { format!("{base} {}", i / GROUP_NAMES.len() + 1) };
            (format!("g-{i}"), name)
        })
        .collect()
}

/// `n` regions, names repeating with a number after the list.
fn region_list(n: usize) -> Vec<Region> {
    (0..n)
        .map(|i| {
            let (area, geo) = REGION_AREAS[i % REGION_AREAS.len()];
            let name = if i < REGION_AREAS.len() {
                area.to_string()
            } else {
                format!("{area} {}", i / REGION_AREAS.len() + 1)
            };
            Region { id: format!("r-{i}"), name, geography: geo.to_string() }
        })
        .collect()
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u64;
    let mp = if m > 2 { m - 3 } else { m + 9 } as u64;
    let doy = (153 * mp + 2) / 5 + d as u64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe as i64 - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = (z - era * 146097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

const DAY: i64 = 24 * 60;

/// `2026-10-31T22:05:00Z`
fn dt(min: i64) -> String {
    let (y, m, d) = civil_from_days(min.div_euclid(DAY));
    let r = min.rem_euclid(DAY);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z", r / 60, r % 60)
}

/// `2026-10-31`
fn date(min: i64) -> String {
    let (y, m, d) = civil_from_days(min.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `14:05`
fn hhmm(min: i64) -> String {
    let r = min.rem_euclid(DAY);
    format!("{:02}:{:02}", r / 60, r % 60)
}

/// `October 31, 2026`
fn long_date(min: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, d) = civil_from_days(min.div_euclid(DAY));
    format!("{} {d}, {y}", MONTHS[m as usize - 1])
}

fn human_duration(mins: i64) -> String {
    let (h, m) = (mins / 60, mins % 60);
    match (h, m) {
        (0, m) => format!("{m} minutes"),
        (1, 0) => "1 hour".into(),
        (h, 0) => format!("{h} hours"),
        (1, m) => format!("1 hour and {m} minutes"),
        (h, m) => format!("{h} hours and {m} minutes"),
    }
}

// ---------------------------------------------------------------------------
// Deterministic PRNG (splitmix64)

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut r = Rng(seed ^ 0x5eed_c0de_cafe_f00d);
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }
    /// Uniform in lo..=hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn idx(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
    /// True with probability `percent_x10 / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.idx(xs.len())]
    }
    /// `k` distinct indices from 0..n, in the order drawn.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut out: Vec<usize> = Vec::with_capacity(k);
        if k * 4 <= n {
            while out.len() < k {
                let x = self.idx(n);
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        } else {
            let mut all: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = i + self.idx(n - i);
                all.swap(i, j);
                out.push(all[i]);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// TOML helpers. Generated text never contains backslashes or triple quotes, but
// escape anyway so the output stays valid whatever the phrase lists hold.

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(o, "\\u{:04X}", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

/// `key = "value"\n`
fn kv_str(out: &mut String, key: &str, v: &str) {
    let _ = writeln!(out, "{key} = \"{}\"", esc(v));
}

/// `key = """\n...\n"""\n` (multi-line basic string)
fn kv_ml(out: &mut String, key: &str, v: &str) {
    let mut body = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => body.push_str("\\\\"),
            '"' => body.push_str("\\\""),
            '\n' | '\t' => body.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(body, "\\u{:04X}", c as u32);
            }
            c => body.push(c),
        }
    }
    let _ = writeln!(out, "{key} = \"\"\"\n{}\n\"\"\"", body.trim_end_matches('\n'));
}

fn str_array<S: AsRef<str>>(xs: &[S]) -> String {
    let mut o = String::from("[");
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            o.push_str(", ");
        }
        o.push('"');
        o.push_str(&esc(x.as_ref()));
        o.push('"');
    }
    o.push(']');
    o
}

// ---------------------------------------------------------------------------
// Vocabulary

const GROUP_NAMES: &[&str] = &[
    "Compute",
    "Storage",
    "Networking",
    "Databases",
    "Identity & Access",
    "Analytics",
    "Developer Tools",
    "Messaging",
    "Security",
    "Management",
    "AI & Machine Learning",
    "Media",
    "Integration",
    "Observability",
    "Edge",
    "Payments",
];

const SERVICES: &[&str] = &[
    "API Gateway",
    "Object Storage",
    "Block Storage",
    "Virtual Machines",
    "Load Balancer",
    "DNS",
    "CDN",
    "Identity",
    "Billing",
    "Web Console",
    "Message Queue",
    "Event Bus",
    "Kubernetes",
    "Container Registry",
    "Functions",
    "SQL Database",
    "Document Database",
    "Cache",
    "Search",
    "Monitoring",
    "Logging",
    "Alerting",
    "Email Delivery",
    "SMS Gateway",
    "Webhooks",
    "Key Management",
    "Secrets Manager",
    "VPN",
    "Private Link",
    "Backup",
    "Archive Storage",
    "Data Warehouse",
    "Stream Processing",
    "Batch Jobs",
    "Scheduler",
    "Notifications",
    "Payments API",
    "Single Sign-On",
    "Audit Logs",
    "File Shares",
    "Virtual Networks",
    "Firewall",
    "DDoS Protection",
    "Model Serving",
    "Video Encoding",
    "Maps",
    "Translation",
    "Speech",
    "Analytics",
    "Workflows",
];

const SERVICE_PREFIXES: &[&str] =
    &["", "Managed ", "Premium ", "Edge ", "Global ", "Legacy ", "Serverless ", "Dedicated "];

const SERVICE_DESCRIPTIONS: &[&str] = &[
    "Create, update and scale resources.",
    "Public endpoints and the management API.",
    "Reads, writes and replication.",
    "Provisioning and lifecycle operations.",
    "Request routing and TLS termination.",
    "Data plane and control plane.",
    "Customer-facing APIs and SDK endpoints.",
    "Background processing and delivery.",
];

const REGION_AREAS: &[(&str, &str)] = &[
    ("US East", "United States"),
    ("US West", "United States"),
    ("US Central", "United States"),
    ("US South", "United States"),
    ("Canada Central", "Canada"),
    ("Canada East", "Canada"),
    ("Brazil South", "Brazil"),
    ("Mexico Central", "Mexico"),
    ("Chile Central", "Chile"),
    ("UK South", "United Kingdom"),
    ("UK West", "United Kingdom"),
    ("Ireland", "Ireland"),
    ("France Central", "France"),
    ("Germany West", "Germany"),
    ("Germany North", "Germany"),
    ("Switzerland North", "Switzerland"),
    ("Norway East", "Norway"),
    ("Sweden Central", "Sweden"),
    ("Poland Central", "Poland"),
    ("Italy North", "Italy"),
    ("Spain Central", "Spain"),
    ("Netherlands", "Netherlands"),
    ("UAE North", "United Arab Emirates"),
    ("Qatar Central", "Qatar"),
    ("Israel Central", "Israel"),
    ("South Africa North", "South Africa"),
    ("India Central", "India"),
    ("India South", "India"),
    ("Japan East", "Japan"),
    ("Japan West", "Japan"),
    ("Korea Central", "South Korea"),
    ("Singapore", "Singapore"),
    ("Hong Kong", "Hong Kong"),
    ("Taiwan North", "Taiwan"),
    ("Indonesia Central", "Indonesia"),
    ("Malaysia West", "Malaysia"),
    ("Australia East", "Australia"),
    ("Australia Southeast", "Australia"),
    ("New Zealand North", "New Zealand"),
];

const SYMPTOMS: &[&str] = &[
    "Elevated error rates",
    "Increased latency",
    "Degraded performance",
    "Intermittent connectivity issues",
    "Service unavailable",
    "Failed requests",
    "Delayed processing",
    "Request timeouts",
    "Partial outage",
    "Sign-in failures",
    "Slow provisioning",
    "Replication delays",
    "Dropped connections",
    "Stale data in responses",
];

const CAUSES: &[&str] = &[
    "a faulty configuration change",
    "an expired TLS certificate",
    "a failed storage node",
    "a network device failure in one data center",
    "an overloaded database cluster",
    "a bug in a recent deployment",
    "exhausted connection pools",
    "a DNS misconfiguration",
    "a capacity shortfall during peak traffic",
    "a power event in one facility",
    "a memory leak in a background service",
    "an outage at an upstream provider",
    "an unexpected spike in traffic",
    "a certificate rotation error",
    "a stuck deployment pipeline",
    "a misrouted BGP announcement",
    "a full disk on a metadata server",
    "a race condition in the scheduler",
];

const INVESTIGATING: &[&str] = &[
    "We are investigating reports of {sym} affecting {comp}.",
    "Our engineers are looking into {sym} for {comp}{where}.",
    "Some customers may see errors when using {comp}.",
    "We have been alerted to an issue with {comp} and are investigating.",
    "Automated monitoring detected an increase in failed requests to {comp}{where}.",
    "The issue appears to be limited to a subset of requests.",
    "Customers may experience retries or slow responses.",
    "We are working to determine the scope of the impact.",
];

const IDENTIFIED: &[&str] = &[
    "We have identified the cause as {cause}.",
    "The issue has been traced to {cause}.",
    "A fix is being rolled out{where}.",
    "Engineers are applying mitigation steps for {comp}.",
    "We are rolling back a recent change to {comp}.",
    "Traffic is being shifted away from the affected infrastructure.",
    "Error rates have started to decrease.",
    "We expect to see recovery within the next hour.",
];

const MONITORING: &[&str] = &[
    "A fix has been implemented and we are monitoring the results.",
    "Error rates for {comp} have returned to normal levels.",
    "We are continuing to monitor {comp} for any further issues.",
    "Most customers should see full recovery.",
    "Latency has returned to expected values{where}.",
    "Queued work is being processed and backlogs are draining.",
];

// Every status sentence says something specific (at least six words, not
// only boilerplate), so no update trips `candor check`'s vague-update lint.
const RESOLVED: &[&str] = &[
    "This incident has been resolved and {comp} is back to normal{where}.",
    "{comp} is operating normally again, with error rates at baseline.",
    "All affected requests are now succeeding{where}.",
    "We will publish a postmortem if warranted.",
    "The root cause was {cause}.",
    "No further impact on {comp} is expected.",
];

const GENERIC: &[&str] = &[
    "We will provide another update within 30 minutes.",
    "Our status page will be updated as we learn more.",
    "No data has been lost.",
    "Customers do not need to take any action.",
    "Existing workloads are not affected.",
    "We apologize for the inconvenience.",
];

const TEAMS: &[&str] = &[
    "Platform team",
    "Storage team",
    "Network engineering",
    "Site reliability",
    "Identity team",
    "Database team",
    "Release engineering",
    "Capacity planning",
    "Security engineering",
];

const PREVENTION_TITLES: &[&str] = &[
    "Improve alerting",
    "Add a canary stage",
    "Review capacity headroom",
    "Automate certificate rotation",
    "Add integration tests",
    "Update the runbook",
    "Add a circuit breaker",
    "Rate-limit configuration pushes",
    "Add regional failover",
    "Audit dependency timeouts",
];

const PREVENTION_BODIES: &[&str] = &[
    "Page on-call when the error budget burn rate exceeds the threshold.",
    "Roll changes out to one region first and wait for health signals.",
    "Keep at least 30 percent spare capacity in every zone.",
    "Rotate certificates automatically well before they expire.",
    "Exercise the failure mode in the staging environment on every release.",
    "Document the mitigation steps so any responder can apply them.",
];

const WENT_WELL: &[&str] = &[
    "Automated alerts fired within two minutes.",
    "The rollback procedure worked as documented.",
    "Customer communication went out promptly.",
    "Regional isolation limited the blast radius.",
];

const WENT_WRONG: &[&str] = &[
    "The first mitigation attempt made things worse.",
    "Dashboards did not show the affected region separately.",
    "Escalation to the owning team took too long.",
    "The change was deployed to all regions at once.",
];

const MAINT_KINDS: &[&str] = &[
    "Database engine upgrade",
    "Network hardware replacement",
    "Storage firmware update",
    "Operating system patching",
    "Load balancer migration",
    "Certificate rotation",
    "Control plane upgrade",
    "Data center power maintenance",
    "Kernel security update",
    "Cache cluster resize",
];

// ---------------------------------------------------------------------------
// Model

struct Component {
    id: String,
    name: String,
    group: Option<usize>,
    regions: Option<Vec<usize>>, // sorted; None = every region
}

struct Region {
    id: String,
    name: String,
    geography: String,
}

fn fill(template: &str, comp: &str, sym: &str, cause: &str, where_: &str) -> String {
    template.replace("{comp}", comp).replace("{sym}", sym).replace("{cause}", cause).replace("{where}", where_)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// What an update is about: the incident's words and the update's time.
struct Topic<'a> {
    comp: &'a str,
    sym: &'a str,
    cause: &'a str,
    where_: &'a str,
    at: i64,
}

/// 1-4 sentences: one from the status list, then a mix of status and generic
/// ones. `used` holds the sentences earlier updates of the incident said, so
/// no update repeats one (`candor check` flags repeated updates).
fn body_text(rng: &mut Rng, list: &[&'static str], topic: &Topic, used: &mut Vec<&'static str>) -> String {
    let Topic { comp, sym, cause, where_, at } = *topic;
    let n = 1 + rng.idx(4);
    let mut out = String::new();
    for i in 0..n {
        let pool = if i == 0 || rng.chance(650) { list } else { GENERIC };
        let start = rng.idx(pool.len());
        let fresh = (0..pool.len()).map(|k| pool[(start + k) % pool.len()]).find(|t| !used.contains(t));
        let t = match fresh {
            Some(t) => t,
            // The status list is used up: the first sentence still says where things stand.
            None if i == 0 => {
                let share = 1 + (at.rem_euclid(89)) as u64;
                out.push_str(&format!("As of {} UTC, about {share}% of requests to {comp} are affected.", hhmm(at)));
                continue;
            }
            None => continue,
        };
        used.push(t);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&capitalize(&fill(t, comp, sym, cause, where_)));
    }
    out
}

// ---------------------------------------------------------------------------

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(a: &Args) -> Result<ExitCode, String> {
    // Refuse a non-empty OUT_DIR.
    if a.out.exists() {
        if !a.out.is_dir() {
            eprintln!("gen: {} exists and is not a directory; refusing to write", a.out.display());
            return Ok(ExitCode::from(2));
        }
        let mut rd = fs::read_dir(&a.out).map_err(|e| format!("cannot read {}: {e}", a.out.display()))?;
        if rd.next().is_some() {
            eprintln!(
                "gen: {} exists and is not empty; refusing to overwrite (pick a new or empty directory)",
                a.out.display()
            );
            return Ok(ExitCode::from(2));
        }
    }

    if a.profile == Profile::Realistic {
        return realistic::run(a);
    }
    let end = a.end_day * DAY; // minutes; every generated past instant is before this
    let span = a.incidents as i64 * 90 + 240;
    let earliest = end - span - 40 * DAY;
    if civil_from_days(earliest.div_euclid(DAY)).0 < 1971 {
        return Err(format!(
            "{} incidents 90 minutes apart would reach back before 1971 from --end; use fewer or a later --end",
            a.incidents
        ));
    }

    let mut rng = Rng::new(a.seed);

    // --- groups, regions, components
    let groups = group_names(a.groups);

    let regions = region_list(a.regions);

    let components: Vec<Component> = (0..a.components)
        .map(|i| {
            let per = SERVICES.len() * SERVICE_PREFIXES.len();
            let mut name = format!(
                "{}{}",
                SERVICE_PREFIXES[(i / SERVICES.len()) % SERVICE_PREFIXES.len()],
                SERVICES[i % SERVICES.len()]
            );
            if i >= per {
                let _ = write!(name, " {}", i / per + 1);
            }
            // contiguous blocks of components per group
            let group = if a.groups == 0 { None } else { Some(i * a.groups / a.components) };
            let regs = if a.regions > 1 && rng.chance(200) {
                let k = 1 + rng.idx(a.regions.min(12));
                let mut v = rng.distinct(a.regions, k);
                v.sort_unstable();
                Some(v)
            } else {
                None
            };
            Component { id: format!("c-{i}"), name, group, regions: regs }
        })
        .collect();

    // --- write
    let inc_dir = a.out.join("content").join("incidents");
    let mnt_dir = a.out.join("content").join("maintenance");
    let pages_dir = a.out.join("content").join("pages");
    for d in [&inc_dir, &mnt_dir, &pages_dir] {
        fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }

    let mut bytes = 0u64;
    bytes += write(&a.out.join("status.toml"), &status_toml(&groups, &regions, &components))?;
    bytes += write(&pages_dir.join("about.md"), &about_md(&groups, &regions, &components))?;

    let width = 6.max(a.incidents.to_string().len());
    for k in 0..a.incidents {
        let id = format!("i-{:0width$}", k + 1);
        let text = incident(&mut rng, a, k, end, &components, &regions);
        bytes += write(&inc_dir.join(format!("{id}.md")), &text)?;
    }

    let mwidth = 5.max(a.maintenance.to_string().len());
    for k in 0..a.maintenance {
        let id = format!("m-{:0mwidth$}", k + 1);
        let text = maintenance(&mut rng, a, k, end, span, &components);
        bytes += write(&mnt_dir.join(format!("{id}.md")), &text)?;
    }

    println!(
        "wrote {} incidents, {} maintenances, 1 page and status.toml ({} components, {} groups, {} regions; seed {}; {:.1} MB) to {}",
        a.incidents,
        a.maintenance,
        a.components,
        a.groups,
        a.regions,
        a.seed,
        bytes as f64 / 1e6,
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, s: &str) -> Result<u64, String> {
    fs::write(path, s).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(s.len() as u64)
}

// ---------------------------------------------------------------------------
// status.toml and the about page

fn status_toml(groups: &[(String, String)], regions: &[Region], components: &[Component]) -> String {
    let mut o = String::with_capacity(256 * (components.len() + regions.len()) + 1024);
    o.push_str("# Generated by `cargo run --example gen`; synthetic data.\n");
    kv_str(&mut o, "title", "Synthetic Cloud Status");
    kv_str(&mut o, "description", "Live and historical status of the Synthetic Cloud platform.");
    kv_str(&mut o, "base_url", "https://status.synthetic.example");
    kv_str(&mut o, "timezone", "UTC");
    kv_str(&mut o, "update_interval", "30m");
    o.push_str("uptime_days = 90\n");

    for (id, name) in groups {
        o.push_str("\n[[groups]]\n");
        kv_str(&mut o, "id", id);
        kv_str(&mut o, "name", name);
    }
    for r in regions {
        o.push_str("\n[[regions]]\n");
        kv_str(&mut o, "id", &r.id);
        kv_str(&mut o, "name", &r.name);
        kv_str(&mut o, "geography", &r.geography);
    }
    for (i, c) in components.iter().enumerate() {
        o.push_str("\n[[components]]\n");
        kv_str(&mut o, "id", &c.id);
        kv_str(&mut o, "name", &c.name);
        if let Some(g) = c.group {
            kv_str(&mut o, "group", &groups[g].0);
        }
        if let Some(rs) = &c.regions {
            let ids: Vec<&str> = rs.iter().map(|&r| regions[r].id.as_str()).collect();
            let _ = writeln!(o, "regions = {}", str_array(&ids));
        }
        kv_str(&mut o, "description", SERVICE_DESCRIPTIONS[i % SERVICE_DESCRIPTIONS.len()]);
    }
    o.push_str(
        "\n[uptime]\nmajor_outage = 1.0\npartial_outage = 0.3\ndegraded_performance = 0.0\n\
         \n[sla]\nbilling_timezone = \"UTC\"\n\
         tiers = [ { below = 99.95, credit = 10 }, { below = 99.0, credit = 25 } ]\n\
         \n[social]\nsite_name = \"Synthetic Cloud\"\nhashtags = [\"#SyntheticStatus\"]\n",
    );
    o
}

fn about_md(groups: &[(String, String)], regions: &[Region], components: &[Component]) -> String {
    let mut o = String::new();
    o.push_str("+++\n");
    kv_str(&mut o, "title", "About this page");
    kv_str(&mut o, "description", "What this status page covers and how to read it.");
    o.push_str("order = 1\n+++\n");
    let _ = write!(
        o,
        "This page reports the health of **{} components** in {} groups across **{} regions**. \
         It is synthetic data produced by the Candor site generator.\n\n\
         During an incident we post an update at least every 30 minutes. \
         Times are shown in UTC.\n\n\
         ## Service credits\n\n\
         | Monthly uptime | Credit |\n\
         |---|---|\n\
         | below 99.95% | 10% |\n\
         | below 99.0% | 25% |\n\n\
         Credits are calculated per billing month in UTC.[^sla]\n\n\
         [^sla]: See your agreement for the full terms.\n",
        components.len(),
        groups.len(),
        regions.len()
    );
    o
}

// ---------------------------------------------------------------------------
// Incidents

const STAGES: [&str; 4] = ["investigating", "identified", "monitoring", "resolved"];

fn incident(rng: &mut Rng, a: &Args, k: usize, end: i64, components: &[Component], regions: &[Region]) -> String {
    let n_inc = a.incidents;
    let open = k + 1 == n_inc;

    // --- timing (whole minutes). Newest first at end-60..180; others 90 min apart
    // going back, jitter +-35, so start times increase with the id.
    let started =
        if open { end - rng.range(60, 180) } else { end - 180 - (n_inc - 1 - k) as i64 * 90 + rng.range(-35, 35) };

    let impact = match rng.below(1000) {
        0..=79 => "none",
        80..=629 => "minor",
        630..=929 => "major",
        _ => "critical",
    };

    let resolved = if open {
        None
    } else {
        let dur = match rng.below(100) {
            0..=59 => rng.range(20, 120),
            60..=89 => rng.range(121, 360),
            _ => rng.range(361, 1440),
        };
        Some((started + dur).min(end - 1))
    };
    // the last instant any update may be at
    let last_at = resolved.unwrap_or_else(|| end - rng.range(2, 20));
    let dur = last_at - started; // >= 20 for resolved ones (see spacing), >= 40 for open

    let detected = if rng.chance(50) { Some(started + rng.range(1, (dur / 4).max(1))) } else { None };

    // --- affected blocks
    let n_blocks = 1 + rng.idx(3);
    struct Block {
        comps: Vec<usize>,
        regions: Option<Vec<usize>>, // None = "*"
        status: &'static str,
        from: Option<i64>,
        to: Option<i64>,
    }
    let mut blocks: Vec<Block> = Vec::with_capacity(n_blocks);
    for _ in 0..n_blocks {
        let n_c = (1 + rng.idx(4)).min(components.len());
        let first = rng.idx(components.len());
        let mut comps = vec![first];
        while comps.len() < n_c {
            // prefer a neighbour (same group, since groups are contiguous)
            let c = if rng.chance(600) {
                let lo = first.saturating_sub(6);
                let hi = (first + 6).min(components.len() - 1);
                lo + rng.idx(hi - lo + 1)
            } else {
                rng.idx(components.len())
            };
            if !comps.contains(&c) {
                comps.push(c);
            }
        }
        comps.sort_unstable();

        // regions every listed component runs in
        let common: Vec<usize> = (0..regions.len())
            .filter(|r| {
                comps.iter().all(|&c| match &components[c].regions {
                    None => true,
                    Some(rs) => rs.binary_search(r).is_ok(),
                })
            })
            .collect();
        let regs = if common.is_empty() || rng.chance(450) {
            None
        } else {
            let kk = 1 + rng.idx(5.min(common.len()));
            let mut v: Vec<usize> = rng.distinct(common.len(), kk).into_iter().map(|i| common[i]).collect();
            v.sort_unstable();
            Some(v)
        };

        let statuses: &[&str] = match impact {
            "none" => &["degraded_performance"],
            "minor" => &["degraded_performance", "degraded_performance", "partial_outage"],
            "major" => &["partial_outage", "partial_outage", "major_outage", "degraded_performance"],
            _ => &["major_outage", "major_outage", "partial_outage"],
        };
        let status = statuses[rng.idx(statuses.len())];

        let (from, to) = match rng.below(10) {
            0..=4 => (None, None),
            5..=6 => (Some(started + rng.range(0, dur / 3)), None),
            _ => {
                let f = started + rng.range(0, dur / 3);
                match resolved {
                    Some(r) => (Some(f), Some(r - rng.range(0, dur / 3))),
                    None => (Some(f), None),
                }
            }
        };
        blocks.push(Block { comps, regions: regs, status, from, to });
    }

    // --- words
    let main = &blocks[0];
    let comp_name = components[main.comps[0]].name.clone();
    let sym = SYMPTOMS[rng.idx(SYMPTOMS.len())];
    let sym_l = sym.to_lowercase();
    let cause = CAUSES[rng.idx(CAUSES.len())];
    let where_ = match &main.regions {
        Some(rs) if rs.len() == 1 => format!(" in {}", regions[rs[0]].name),
        Some(_) => " in several regions".to_string(),
        None => String::new(),
    };
    let title = {
        let mut t = format!("{sym} for {comp_name}");
        let mut all: Vec<usize> = blocks.iter().flat_map(|b| b.comps.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        let extra = all.len() - 1;
        if extra > 0 && rng.chance(400) {
            let _ = write!(t, " and {extra} other service{}", if extra > 1 { "s" } else { "" });
        }
        t.push_str(&where_);
        t
    };

    // --- updates
    let n_up = if open { 2 + rng.idx(3) } else { 2 + rng.idx(5) };
    let mut stages: Vec<usize> = Vec::with_capacity(n_up);
    stages.push(0);
    if open {
        // investigating ... then identified last
        stages.resize(n_up - 1, 0);
        stages.push(1);
    } else {
        let mut mids: Vec<usize> = (0..n_up - 2).map(|_| rng.idx(3)).collect();
        mids.sort_unstable();
        stages.extend(mids);
        stages.push(3);
    }
    let first_at = {
        let base = detected.unwrap_or(started);
        let room = last_at - base - (n_up as i64 - 1);
        base + rng.range(0, (room / 4).clamp(0, 15))
    };
    let times = spread(rng, first_at, last_at, n_up);

    // --- front matter
    let mut o = String::with_capacity(3072);
    o.push_str("+++\n");
    kv_str(&mut o, "title", &title);
    kv_str(&mut o, "impact", impact);
    let _ = writeln!(o, "started = {}", dt(started));
    if let Some(d) = detected {
        let _ = writeln!(o, "detected = {}", dt(d));
    }
    if let Some(r) = resolved {
        let _ = writeln!(o, "resolved = {}", dt(r));
    }

    for b in &blocks {
        o.push_str("\n[[affected]]\n");
        let ids: Vec<&str> = b.comps.iter().map(|&c| components[c].id.as_str()).collect();
        let _ = writeln!(o, "components = {}", str_array(&ids));
        match &b.regions {
            None => o.push_str("regions = [\"*\"]\n"),
            Some(rs) => {
                let ids: Vec<&str> = rs.iter().map(|&r| regions[r].id.as_str()).collect();
                let _ = writeln!(o, "regions = {}", str_array(&ids));
            }
        }
        kv_str(&mut o, "status", b.status);
        if let Some(f) = b.from {
            let _ = writeln!(o, "from = {}", dt(f));
        }
        if let Some(t) = b.to {
            let _ = writeln!(o, "to = {}", dt(t));
        }
    }

    let mut used = Vec::new();
    for (i, (&st, &at)) in stages.iter().zip(&times).enumerate() {
        o.push_str("\n[[updates]]\n");
        let _ = writeln!(o, "at = {}", dt(at));
        kv_str(&mut o, "status", STAGES[st]);
        let list = match st {
            0 => INVESTIGATING,
            1 => IDENTIFIED,
            2 => MONITORING,
            _ => RESOLVED,
        };
        let topic = Topic { comp: &comp_name, sym: &sym_l, cause, where_: &where_, at };
        let mut body = body_text(rng, list, &topic, &mut used);
        if i == 0 && rng.chance(150) {
            body.push_str(&format!(" Started at {} UTC.", hhmm(started)));
        }
        kv_ml(&mut o, "body", &body);
    }

    // --- postmortem: every major or critical incident gets one within a week
    // of its resolution (as `candor check` expects), 3% of the others; always
    // before --end.
    if let Some(r) = resolved {
        if rng.chance(30) || matches!(impact, "major" | "critical") {
            let published = r + rng.range(DAY, 7 * DAY);
            if published < end {
                o.push_str("\n[postmortem]\n");
                let _ = writeln!(o, "published = {}", dt(published));
                kv_ml(
                    &mut o,
                    "summary",
                    &format!(
                        "On {}, {} experienced {} for {} because of {}.",
                        long_date(started),
                        comp_name,
                        sym_l,
                        human_duration(r - started),
                        cause
                    ),
                );
                kv_ml(
                    &mut o,
                    "root_cause",
                    &capitalize(&format!(
                        "{cause} caused requests to {comp_name} to fail. {}",
                        GENERIC[rng.idx(GENERIC.len())]
                    )),
                );
                if rng.chance(500) {
                    kv_str(&mut o, "trigger", &format!("A routine change to {comp_name}."));
                }
                if rng.chance(600) {
                    let n = 1 + rng.idx(2);
                    let w = rng.distinct(WENT_WELL.len(), n);
                    let v: Vec<&str> = w.iter().map(|&i| WENT_WELL[i]).collect();
                    let _ = writeln!(o, "went_well = {}", str_array(&v));
                    let n = 1 + rng.idx(2);
                    let w = rng.distinct(WENT_WRONG.len(), n);
                    let v: Vec<&str> = w.iter().map(|&i| WENT_WRONG[i]).collect();
                    let _ = writeln!(o, "went_wrong = {}", str_array(&v));
                }
                o.push_str("\n[[postmortem.prevention]]\n");
                kv_str(&mut o, "title", rng.pick(PREVENTION_TITLES));
                kv_str(&mut o, "body", rng.pick(PREVENTION_BODIES));
                let status = rng.pick(&["planned", "in_progress", "done"]);
                let owner = rng.pick(TEAMS);
                let due = published + rng.range(14, 120) * DAY;
                // An item due before --end is done: overdue ones are flagged.
                let status = if due.div_euclid(DAY) < end.div_euclid(DAY) { "done" } else { status };
                kv_str(&mut o, "status", status);
                kv_str(&mut o, "owner", owner);
                let _ = writeln!(o, "due = {}", date(due));
            }
        }
    }

    // --- credits (2%)
    if !open && rng.chance(20) {
        o.push_str("\n[[credits]]\npercent = 10\n");
        let ids: Vec<&str> = main.comps.iter().map(|&c| components[c].id.as_str()).collect();
        let _ = writeln!(o, "components = {}", str_array(&ids));
        o.push_str("months = \"affected\"\n");
        if rng.chance(500) {
            kv_str(&mut o, "note", "Applied automatically to all affected customers.");
        }
    }
    o.push_str("+++\n");

    // --- narrative
    match resolved {
        None => {
            let _ = writeln!(
                o,
                "We are investigating {} affecting {}{}. Engineers have identified {} as the likely cause \
                 and are working on mitigation. Updates follow every 30 minutes.",
                sym_l, comp_name, where_, cause
            );
        }
        Some(r) => {
            let when = if started.div_euclid(DAY) == r.div_euclid(DAY) {
                format!("Between {} and {} UTC on {}", hhmm(started), hhmm(r), long_date(started))
            } else {
                format!("From {} UTC on {} to {} UTC on {}", hhmm(started), long_date(started), hhmm(r), long_date(r))
            };
            let _ = writeln!(
                o,
                "{}, customers using {}{} saw {}. The cause was {}. {}",
                when,
                comp_name,
                where_,
                sym_l,
                cause,
                GENERIC[rng.idx(GENERIC.len())]
            );
            if rng.chance(300) {
                o.push_str("\n## Timeline\n\n");
                for (&st, &at) in stages.iter().zip(&times) {
                    let _ = writeln!(o, "- **{}** {}", hhmm(at), STAGES[st]);
                }
            }
        }
    }
    o
}

/// `n` strictly increasing minutes from `first` to `last` inclusive (both ends
/// used when n >= 2), at least one minute apart.
fn spread(rng: &mut Rng, first: i64, last: i64, n: usize) -> Vec<i64> {
    if n == 1 {
        return vec![last];
    }
    let segs = n - 1;
    let total = last - first;
    debug_assert!(total >= segs as i64);
    let extra = total - segs as i64;
    let w: Vec<i64> = (0..segs).map(|_| rng.range(1, 100)).collect();
    let sum: i64 = w.iter().sum();
    let mut out = Vec::with_capacity(n);
    let mut t = first;
    out.push(t);
    let mut used = 0;
    for (i, wi) in w.iter().enumerate() {
        let e = if i + 1 == segs { extra - used } else { extra * wi / sum };
        used += e;
        t += 1 + e;
        out.push(t);
    }
    debug_assert_eq!(*out.last().unwrap(), last);
    out
}

// ---------------------------------------------------------------------------
// Maintenance: spread over the incident span plus up to 30 days past --end (the
// last ~5% are upcoming). Updates are only written when they are before --end.

fn maintenance(rng: &mut Rng, a: &Args, k: usize, end: i64, span: i64, components: &[Component]) -> String {
    let begin = end - span;
    // about 5% of them upcoming, at most 30 days ahead
    let range = span + (span / 19).clamp(DAY, 30 * DAY);
    let pos = begin + (range as i128 * (2 * k as i128 + 1) / (2 * a.maintenance as i128)) as i64;
    let day = pos.div_euclid(DAY);
    let hour = *rng.pick(&[&0i64, &1, &2, &3, &4, &22, &23]);
    let start = day * DAY + hour * 60 + if rng.chance(300) { 30 } else { 0 };
    let len = 60 * rng.range(1, 6);
    let stop = start + len;

    let n_c = (1 + rng.idx(5)).min(components.len());
    let mut comps = rng.distinct(components.len(), n_c);
    comps.sort_unstable();
    let kind = MAINT_KINDS[rng.idx(MAINT_KINDS.len())];
    let main = &components[comps[0]].name;

    let mut o = String::with_capacity(1024);
    o.push_str("+++\n");
    kv_str(&mut o, "title", &format!("{kind} for {main}"));
    let _ = writeln!(o, "scheduled_start = {}", dt(start));
    let _ = writeln!(o, "scheduled_end = {}", dt(stop));
    let ids: Vec<&str> = comps.iter().map(|&c| components[c].id.as_str()).collect();
    let _ = writeln!(o, "components = {}", str_array(&ids));
    o.push_str("regions = [\"*\"]\n");

    if rng.chance(200) {
        // Updates are optional; such a maintenance is linted, and these are
        // written on purpose.
        o.push_str("allow = [\"unannounced-maintenance\"]\n");
    } else {
        // upcoming ones are announced before --end as well
        let announce = (start - rng.range(2, 10) * DAY - rng.range(0, 600)).min(end - rng.range(60, 3 * DAY));
        let verify = start + len * 3 / 4;
        let cands: [(i64, &str, String); 4] = [
            (
                announce,
                "scheduled",
                format!(
                    "We will perform {} on {} from {} to {} UTC. {}",
                    kind.to_lowercase(),
                    main,
                    hhmm(start),
                    hhmm(stop),
                    rng.pick(&[
                        "No downtime is expected.",
                        "Brief interruptions are possible.",
                        "Some requests may be slower than usual.",
                        "Customers do not need to take any action."
                    ]),
                ),
            ),
            (start, "in_progress", format!("Maintenance on {main} has started.")),
            (verify, "verifying", "The work is done and we are verifying the results.".to_string()),
            (stop, "completed", format!("Maintenance on {main} is complete.")),
        ];
        let mut include_verify = rng.chance(500);
        if len < 120 {
            include_verify = false;
        }
        for (at, status, body) in cands.iter() {
            if *at >= end || (*status == "verifying" && !include_verify) {
                continue;
            }
            o.push_str("\n[[updates]]\n");
            let _ = writeln!(o, "at = {}", dt(*at));
            kv_str(&mut o, "status", status);
            kv_ml(&mut o, "body", body);
        }
    }
    o.push_str("+++\n");
    let scope = match comps.len() {
        1 => String::new(),
        2 => " and 1 related component".to_string(),
        n => format!(" and {} related components", n - 1),
    };
    let _ = writeln!(
        o,
        "{kind} for {main}{scope}. {}",
        rng.pick(&[
            "The work is performed one zone at a time.",
            "Traffic is drained before each host is updated.",
            "A rollback plan is in place.",
        ])
    );
    if rng.chance(250) {
        o.push_str("\n- Drain traffic\n- Apply the change\n- Verify health checks\n- Restore traffic\n");
    }
    o
}
