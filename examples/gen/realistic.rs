//! The `realistic` profile: content shaped like a large provider's status
//! history, for benchmarks that should cost what real sites cost.
//!
//! - `--items N`: about 80% incidents, 20% maintenance windows, spread over
//!   the time before `--end` (incidents about every three hours, so the
//!   90-day uptime window holds several hundred of them).
//! - Components come in families of 3-16 siblings ("Kubernetes",
//!   "Kubernetes Control Plane", ...) that fail together; about 30% of the
//!   services are offered in only some regions (families share theirs).
//! - Incidents: 6-14 updates (about 10) of 20-60 words; affected windows
//!   that change status as the incident goes on; now and then a whole
//!   family in every region (800+ service x region cells at once); a
//!   ~550-word Markdown narrative (headings, lists, a task list, a table);
//!   a postmortem with action items on about 5%, credits on about 1.5%.
//! - Major and critical incidents without a postmortem are the norm on real
//!   pages, so `status.toml` allows `missing-postmortem`.

use super::*;

/// Sibling names within a family (the first sibling is the base name).
const SIBLINGS: &[&str] = &[
    "Control Plane",
    "Data Plane",
    "API",
    "Console",
    "Autoscaling",
    "Snapshots",
    "Replication",
    "Backups",
    "Networking",
    "Metrics",
    "Provisioning",
    "Quotas",
    "Images",
    "Scheduling",
    "Audit Trail",
    "Private Endpoints",
];

struct Family {
    first: usize,
    len: usize,
}

const FOLLOW_UPS: &[&str] = &[
    "Add an alert on the {comp} error budget burn rate",
    "Roll configuration changes out one region at a time",
    "Load-test {comp} at twice the current peak",
    "Document the manual failover steps for {comp}",
    "Add a canary stage for changes to {comp}",
    "Review connection pool limits for every dependant of {comp}",
    "Automate certificate rotation for {comp}",
    "Add per-region dashboards for {comp}",
    "Exercise this failure in the quarterly game day",
    "Cap the retry rate of internal clients",
];

const GUIDANCE: &[&str] = &[
    "Retry failed requests with exponential back-off; the SDKs do this by default.",
    "Requests that failed during the window can be safely repeated.",
    "If you pinned an endpoint in the affected region, you can move it back now.",
    "Check the activity log for operations that reported a failure and resubmit them.",
    "No action is needed for workloads that retried automatically.",
    "Contact support with your request IDs if you still see errors.",
];

const DETAIL: &[&str] = &[
    "Our monitoring recorded {n} failed health checks in the first {m} minutes, which triggered the page to the on-call engineer. The first responder confirmed customer impact {k} minutes later and opened this incident.",
    "At the peak, about {p}% of requests to {comp} failed or took longer than {m} seconds. Requests that did succeed were served from healthy capacity in unaffected zones.",
    "Internal services that depend on {comp} retried their calls, which added roughly {p}% more load while the system was already struggling. Rate limits held, but they also rejected some legitimate traffic.",
    "Engineers considered a full regional failover but decided against it, because moving {n} thousand active sessions at once would have caused a second wave of errors.",
    "The change had passed its canary stage, where it ran for {m} minutes on {k} hosts without a measurable difference in error rates.",
    "Recovery was gradual: capacity came back in batches of {k} hosts, each watched for {m} minutes before the next batch was released.",
    "We have reviewed every update posted during this incident and will post updates more often, at least every {m} minutes, during similar events.",
    "Customers with resources in more than one region were largely unaffected, since traffic moved to healthy regions within {k} minutes.",
];

const UP_INVESTIGATING: &[&str] = &[
    "We are investigating {sym} affecting {comp}{where}.",
    "Automated monitoring alerted us at {time} UTC to {sym} for {comp}.",
    "Some customers may see errors or slow responses when they use {comp}{where}.",
    "About {p}% of requests in the affected regions are failing or timing out.",
    "Engineers from the owning team are engaged and are reviewing recent changes.",
    "Requests to other services are not affected at this time.",
    "We are working to determine how many customers are affected and why.",
    "We will share more details as soon as we know more.",
];

const UP_IDENTIFIED: &[&str] = &[
    "We have identified the cause as {cause}.",
    "The issue has been traced to {cause}, and a fix is being prepared.",
    "A mitigation is being rolled out{where}, starting with the most affected zones.",
    "We are rolling back the change made at {time} UTC.",
    "Traffic is being moved away from the affected infrastructure.",
    "The share of failing requests has dropped to about {p}% and keeps falling.",
    "Engineers are restarting the affected hosts in batches of {n}.",
    "We expect the mitigation to be complete within {m} minutes.",
];

const UP_MONITORING: &[&str] = &[
    "A fix has been applied and we are monitoring the results.",
    "Error rates for {comp} are back to normal levels{where}.",
    "Latency has returned to its usual range, under {m} milliseconds at the median.",
    "Queued work is being processed; about {p}% of the backlog has drained.",
    "We are watching the affected regions closely before we close this incident.",
    "Customers should no longer see errors, but some operations may still be slow.",
];

const UP_RESOLVED: &[&str] = &[
    "This incident has been resolved and {comp} is operating normally{where}.",
    "All affected requests are succeeding again as of {time} UTC.",
    "The root cause was {cause}; we will review it with the teams involved.",
    "The backlog is fully drained and no data was lost.",
    "We are sorry for the disruption this caused you and your customers.",
    "Affected customers do not need to take any action.",
];

/// Words in a text, as a reader counts them.
fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Numbers that make each sentence specific.
struct Slots<'a> {
    comp: &'a str,
    sym: &'a str,
    cause: &'a str,
    where_: &'a str,
    time: String,
}

fn fill_slots(rng: &mut Rng, t: &str, s: &Slots) -> String {
    let mut o = fill(t, s.comp, s.sym, s.cause, s.where_).replace("{time}", &s.time);
    for (key, lo, hi) in [("{p}", 3, 95), ("{n}", 4, 400), ("{m}", 5, 90), ("{k}", 2, 40)] {
        if o.contains(key) {
            o = o.replace(key, &rng.range(lo, hi).to_string());
        }
    }
    capitalize(&o)
}

/// One sentence or two of detail, filled in.
fn detail(rng: &mut Rng, s: &Slots) -> String {
    let t = DETAIL[rng.idx(DETAIL.len())];
    fill_slots(rng, t, s)
}

/// An update body of 20-60 words from `pool`, none of its sentences used by
/// an earlier update of the incident.
fn update_body(rng: &mut Rng, pool: &[&'static str], s: &Slots, used: &mut Vec<&'static str>) -> String {
    let want = rng.range(20, 60) as usize;
    let mut out = String::new();
    let mut tries = 0;
    while word_count(&out) < want && tries < 40 {
        tries += 1;
        let list = if rng.chance(750) { pool } else { DETAIL };
        let t = list[rng.idx(list.len())];
        if used.contains(&t) && tries < 30 {
            continue;
        }
        let sentence = fill_slots(rng, t, s);
        let (have, more) = (word_count(&out), word_count(&sentence));
        if have >= 20 && have + more > 60 {
            continue;
        }
        used.push(t);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence);
    }
    out
}

pub fn run(a: &Args) -> Result<ExitCode, String> {
    let end = a.end_day * DAY;
    let gap = 180; // minutes between incident starts, on average
    let span = a.incidents as i64 * gap + 240;
    if civil_from_days((end - span - 60 * DAY).div_euclid(DAY)).0 < 1971 {
        return Err(format!("{} incidents 3 hours apart would reach back before 1971 from --end", a.incidents));
    }
    let mut rng = Rng::new(a.seed ^ 0x7ea1);

    let groups = group_names(a.groups);
    let regions = region_list(a.regions);

    // Families of siblings, contiguous; a family shares its regions.
    let mut families: Vec<Family> = Vec::new();
    let mut components: Vec<Component> = Vec::with_capacity(a.components);
    while components.len() < a.components {
        let f = families.len();
        let len = (3 + rng.idx(14)).min(a.components - components.len());
        let base = format!(
            "{}{}",
            SERVICE_PREFIXES[(f / SERVICES.len()) % SERVICE_PREFIXES.len()],
            SERVICES[f % SERVICES.len()]
        );
        let base = if f >= SERVICES.len() * SERVICE_PREFIXES.len() {
            format!("{base} {}", f / (SERVICES.len() * SERVICE_PREFIXES.len()) + 1)
        } else {
            base
        };
        // about 30% of services are offered in only some regions
        let family_regions = if a.regions > 2 && rng.chance(300) {
            let k = (a.regions / 4 + rng.idx(a.regions / 2 + 1)).clamp(1, a.regions - 1);
            let mut v = rng.distinct(a.regions, k);
            v.sort_unstable();
            Some(v)
        } else {
            None
        };
        let first = components.len();
        for s in 0..len {
            let i = first + s;
            let name = if s == 0 { base.clone() } else { format!("{base} {}", SIBLINGS[(s - 1) % SIBLINGS.len()]) };
            let group = if a.groups == 0 { None } else { Some(i * a.groups / a.components) };
            components.push(Component { id: format!("c-{i}"), name, group, regions: family_regions.clone() });
        }
        families.push(Family { first, len });
    }

    let inc_dir = a.out.join("content").join("incidents");
    let mnt_dir = a.out.join("content").join("maintenance");
    let pages_dir = a.out.join("content").join("pages");
    for d in [&inc_dir, &mnt_dir, &pages_dir] {
        fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }
    let mut bytes = 0u64;
    let mut toml = status_toml(&groups, &regions, &components);
    toml.push_str(
        "\n# Real status pages publish postmortems for a few incidents only.\n[lints]\nallow = [\"missing-postmortem\"]\n",
    );
    bytes += write(&a.out.join("status.toml"), &toml)?;
    bytes += write(&pages_dir.join("about.md"), &about_md(&groups, &regions, &components))?;

    let ctx = Ctx { a, end, gap, components: &components, regions: &regions, families: &families };
    let width = 6.max(a.incidents.to_string().len());
    for k in 0..a.incidents {
        let text = incident(&mut rng, &ctx, k);
        bytes += write(&inc_dir.join(format!("i-{:0width$}.md", k + 1)), &text)?;
    }
    let mwidth = 5.max(a.maintenance.to_string().len());
    for k in 0..a.maintenance {
        let text = maintenance(&mut rng, &ctx, k, span);
        bytes += write(&mnt_dir.join(format!("m-{:0mwidth$}.md", k + 1)), &text)?;
    }
    println!(
        "wrote {} incidents, {} maintenances, 1 page and status.toml (realistic profile; {} components in {} families, {} groups, {} regions; seed {}; {:.1} MB) to {}",
        a.incidents,
        a.maintenance,
        a.components,
        families.len(),
        a.groups,
        a.regions,
        a.seed,
        bytes as f64 / 1e6,
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

struct Ctx<'a> {
    a: &'a Args,
    end: i64,
    gap: i64,
    components: &'a [Component],
    regions: &'a [Region],
    families: &'a [Family],
}

impl Ctx<'_> {
    /// Regions every one of `comps` is offered in.
    fn common(&self, comps: &[usize]) -> Vec<usize> {
        (0..self.regions.len())
            .filter(|r| {
                comps.iter().all(|&c| match &self.components[c].regions {
                    None => true,
                    Some(rs) => rs.binary_search(r).is_ok(),
                })
            })
            .collect()
    }

    /// Some siblings of one family (`all`: the whole family).
    fn siblings(&self, rng: &mut Rng, all: bool) -> Vec<usize> {
        let f = &self.families[rng.idx(self.families.len())];
        if all {
            return (f.first..f.first + f.len).collect();
        }
        let n = (1 + rng.idx(f.len.min(4))).min(f.len);
        let mut v: Vec<usize> = rng.distinct(f.len, n).into_iter().map(|i| f.first + i).collect();
        v.sort_unstable();
        v
    }

    /// `regions = [...]` for these components: None for "*".
    fn pick_regions(&self, rng: &mut Rng, comps: &[usize], everywhere: bool, most: usize) -> Option<Vec<usize>> {
        let common = self.common(comps);
        if everywhere || common.is_empty() {
            return None;
        }
        let k = 1 + rng.idx(most.min(common.len()));
        let mut v: Vec<usize> = rng.distinct(common.len(), k).into_iter().map(|i| common[i]).collect();
        v.sort_unstable();
        Some(v)
    }
}

const LADDER: [&str; 3] = ["major_outage", "partial_outage", "degraded_performance"];

fn incident(rng: &mut Rng, c: &Ctx, k: usize) -> String {
    let (a, end) = (c.a, c.end);
    let open = k + 1 == a.incidents;
    let started = if open {
        end - rng.range(90, 240)
    } else {
        end - 240 - (a.incidents - 1 - k) as i64 * c.gap + rng.range(-60, 60)
    };
    let n_up = if open { 3 + rng.idx(3) } else { 6 + rng.idx(9) };
    let impact = match rng.below(1000) {
        0..=49 => "none",
        50..=699 => "minor",
        700..=949 => "major",
        _ => "critical",
    };
    let resolved = if open {
        None
    } else {
        let dur = match rng.below(100) {
            0..=49 => rng.range(60, 240),
            50..=84 => rng.range(241, 720),
            _ => rng.range(721, 2880),
        };
        Some((started + dur.max(n_up as i64 * 15)).min(end - 1))
    };
    let last_at = resolved.unwrap_or_else(|| end - rng.range(2, 20));
    let dur = last_at - started;

    // --- what is affected
    let shape = rng.below(100);
    let mut blocks: Vec<(Vec<usize>, Option<Vec<usize>>)> = Vec::new();
    match shape {
        // a whole family everywhere: hundreds of cells
        0..=6 => {
            let comps = c.siblings(rng, true);
            blocks.push((comps, None));
        }
        // two families in several regions
        7..=9 => {
            for _ in 0..2 {
                let comps = c.siblings(rng, false);
                let regs = c.pick_regions(rng, &comps, false, 12);
                blocks.push((comps, regs));
            }
        }
        // several siblings in a handful of regions
        10..=34 => {
            let comps = c.siblings(rng, false);
            let regs = {
                let everywhere = rng.chance(150);
                c.pick_regions(rng, &comps, everywhere, 15)
            };
            blocks.push((comps, regs));
        }
        // one service, one to three regions
        _ => {
            let comps = vec![c.siblings(rng, false)[0]];
            let regs = {
                let everywhere = rng.chance(80);
                c.pick_regions(rng, &comps, everywhere, 3)
            };
            blocks.push((comps, regs));
        }
    }
    let top = match impact {
        "none" => 2,
        "minor" => 1 + rng.idx(2),
        "major" => rng.idx(2),
        _ => 0,
    };

    // --- updates (investigating, identified, monitoring, resolved)
    let mut stages: Vec<usize> = Vec::with_capacity(n_up);
    if open {
        stages.resize(n_up - 1, 0);
        stages.push(1);
    } else {
        let mut mids: Vec<usize> = (0..n_up - 2).map(|_| rng.idx(3)).collect();
        mids.sort_unstable();
        stages.push(0);
        stages.extend(mids);
        stages.push(3);
    }
    let first_at = started + rng.range(3, 15).min((dur - n_up as i64) / 4).max(0);
    let times = spread(rng, first_at, last_at, n_up);

    // --- windows: each block steps down the ladder at update times
    struct Window<'b> {
        comps: &'b [usize],
        regions: &'b Option<Vec<usize>>,
        status: &'static str,
        from: Option<i64>,
        to: Option<i64>,
    }
    let mut windows: Vec<Window> = Vec::new();
    for (comps, regs) in &blocks {
        let steps = if resolved.is_some() { 1 + rng.idx(3) } else { 1 };
        let mut from = None;
        let mut level = top;
        for s in 0..steps {
            let to = if s + 1 < steps && level < 2 {
                let t = times[1 + rng.idx(n_up - 2)]; // not the last: a window after it would have no length
                match from {
                    Some(f) if t <= f => None,
                    _ => Some(t),
                }
            } else {
                None
            };
            windows.push(Window { comps, regions: regs, status: LADDER[level], from, to });
            match to {
                Some(t) => {
                    from = Some(t);
                    level += 1;
                }
                None => break,
            }
        }
    }

    // --- words
    let main_comps = &blocks[0].0;
    let comp_name = c.components[main_comps[0]].name.clone();
    let sym = SYMPTOMS[rng.idx(SYMPTOMS.len())];
    let sym_l = sym.to_lowercase();
    let cause = CAUSES[rng.idx(CAUSES.len())];
    let where_ = match &blocks[0].1 {
        Some(rs) if rs.len() == 1 => format!(" in {}", c.regions[rs[0]].name),
        Some(_) => " in several regions".to_string(),
        None => String::new(),
    };
    let mut all: Vec<usize> = blocks.iter().flat_map(|b| b.0.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let mut title = format!("{sym} for {comp_name}");
    if all.len() > 1 {
        let _ = write!(title, " and {} related service{}", all.len() - 1, if all.len() > 2 { "s" } else { "" });
    }
    title.push_str(&where_);

    let mut o = String::with_capacity(12 * 1024);
    o.push_str("+++\n");
    kv_str(&mut o, "title", &title);
    kv_str(&mut o, "impact", impact);
    let _ = writeln!(o, "started = {}", dt(started));
    if let Some(r) = resolved {
        let _ = writeln!(o, "resolved = {}", dt(r));
    }
    for w in &windows {
        o.push_str("\n[[affected]]\n");
        let ids: Vec<&str> = w.comps.iter().map(|&i| c.components[i].id.as_str()).collect();
        let _ = writeln!(o, "components = {}", str_array(&ids));
        match w.regions {
            None => o.push_str("regions = [\"*\"]\n"),
            Some(rs) => {
                let ids: Vec<&str> = rs.iter().map(|&r| c.regions[r].id.as_str()).collect();
                let _ = writeln!(o, "regions = {}", str_array(&ids));
            }
        }
        kv_str(&mut o, "status", w.status);
        if let Some(f) = w.from {
            let _ = writeln!(o, "from = {}", dt(f));
        }
        if let Some(t) = w.to {
            let _ = writeln!(o, "to = {}", dt(t));
        }
    }
    let mut used = Vec::new();
    for (&st, &at) in stages.iter().zip(&times) {
        o.push_str("\n[[updates]]\n");
        let _ = writeln!(o, "at = {}", dt(at));
        kv_str(&mut o, "status", STAGES[st]);
        let pool = [UP_INVESTIGATING, UP_IDENTIFIED, UP_MONITORING, UP_RESOLVED][st];
        let slots = Slots { comp: &comp_name, sym: &sym_l, cause, where_: &where_, time: hhmm(at - rng.range(5, 40)) };
        let body = update_body(rng, pool, &slots, &mut used);
        kv_ml(&mut o, "body", &body);
    }

    // --- postmortem (about 5%) and credits (about 1.5%)
    if let Some(r) = resolved {
        let published = r + rng.range(DAY, 7 * DAY);
        if rng.chance(55) && published < end {
            o.push_str("\n[postmortem]\n");
            let _ = writeln!(o, "published = {}", dt(published));
            kv_ml(
                &mut o,
                "summary",
                &format!(
                    "On {}, {} and {} related services had {} for {} because of {}.",
                    long_date(started),
                    comp_name,
                    all.len() - 1,
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
            let v: Vec<&str> = rng.distinct(WENT_WELL.len(), 2).into_iter().map(|i| WENT_WELL[i]).collect();
            let _ = writeln!(o, "went_well = {}", str_array(&v));
            let v: Vec<&str> = rng.distinct(WENT_WRONG.len(), 2).into_iter().map(|i| WENT_WRONG[i]).collect();
            let _ = writeln!(o, "went_wrong = {}", str_array(&v));
            for kind in ["prevention", "detection", "response", "recovery"] {
                for _ in 0..1 + rng.idx(2) {
                    let _ = write!(o, "\n[[postmortem.{kind}]]\n");
                    kv_str(&mut o, "title", rng.pick(PREVENTION_TITLES));
                    kv_str(&mut o, "body", rng.pick(PREVENTION_BODIES));
                    let due = published + rng.range(14, 180) * DAY;
                    let status = if due < end { "done" } else { rng.pick(&["planned", "in_progress"]) };
                    kv_str(&mut o, "status", status);
                    kv_str(&mut o, "owner", rng.pick(TEAMS));
                    let _ = writeln!(o, "due = {}", date(due));
                }
            }
        }
        if rng.chance(15) {
            let _ = write!(o, "\n[[credits]]\npercent = {}\n", rng.pick(&[&10, &25]));
            let ids: Vec<&str> = main_comps.iter().map(|&i| c.components[i].id.as_str()).collect();
            let _ = writeln!(o, "components = {}", str_array(&ids));
            o.push_str("months = \"affected\"\n");
            kv_str(&mut o, "note", "Applied automatically to every affected subscription.");
        }
    }
    o.push_str("+++\n");
    narrative(
        rng,
        c,
        &mut o,
        &NarrativeFacts {
            comp_name: &comp_name,
            sym: &sym_l,
            cause,
            where_: &where_,
            all: &all,
            started,
            resolved,
            stages: &stages,
            times: &times,
        },
    );
    o
}

struct NarrativeFacts<'a> {
    comp_name: &'a str,
    sym: &'a str,
    cause: &'a str,
    where_: &'a str,
    all: &'a [usize],
    started: i64,
    resolved: Option<i64>,
    stages: &'a [usize],
    times: &'a [i64],
}

/// A ~550-word Markdown narrative: summary, impact list and table, timeline,
/// root cause, customer guidance, a follow-up task list.
fn narrative(rng: &mut Rng, c: &Ctx, o: &mut String, f: &NarrativeFacts) {
    let start = o.len();
    let slots = Slots { comp: f.comp_name, sym: f.sym, cause: f.cause, where_: f.where_, time: hhmm(f.started) };
    let when = match f.resolved {
        Some(r) => {
            format!("From {} UTC on {} to {} UTC on {}", hhmm(f.started), long_date(f.started), hhmm(r), long_date(r))
        }
        None => format!("Since {} UTC on {}", hhmm(f.started), long_date(f.started)),
    };
    let _ = write!(
        o,
        "## Summary\n\n{when}, customers using {}{} saw {}. The cause was {}. {} {}\n\n",
        f.comp_name,
        f.where_,
        f.sym,
        f.cause,
        detail(rng, &slots),
        detail(rng, &slots),
    );
    o.push_str("## Impact\n\nThe following services were affected:\n\n");
    for &i in f.all.iter().take(6) {
        let _ = writeln!(o, "- **{}**: {} for about {}% of requests", c.components[i].name, f.sym, rng.range(2, 90));
    }
    if f.all.len() > 6 {
        let _ = writeln!(o, "- and {} more services in the same family", f.all.len() - 6);
    }
    o.push_str("\n| Measure | Value |\n|---|---|\n");
    let _ = writeln!(o, "| Peak error rate | {}% |", rng.range(2, 95));
    let _ = writeln!(o, "| Requests retried | {} thousand |", rng.range(5, 900));
    let _ = writeln!(o, "| Time to mitigate | {} minutes |\n", rng.range(10, 300));
    o.push_str("## Timeline\n\n");
    for (&st, &at) in f.stages.iter().zip(f.times) {
        let _ = writeln!(o, "- **{} UTC**: status set to *{}*", hhmm(at), STAGES[st]);
    }
    let _ = write!(
        o,
        "\n## Root cause\n\n{} {} {}\n\n{} {}\n\n",
        capitalize(&format!("{} led to {} for {}.", f.cause, f.sym, f.comp_name)),
        detail(rng, &slots),
        detail(rng, &slots),
        detail(rng, &slots),
        detail(rng, &slots),
    );
    o.push_str("## What you can do\n\n");
    for (n, i) in rng.distinct(GUIDANCE.len(), 3).into_iter().enumerate() {
        let _ = writeln!(o, "{}. {}", n + 1, GUIDANCE[i]);
    }
    o.push_str("\n## Follow-up\n\n");
    for i in rng.distinct(FOLLOW_UPS.len(), 5) {
        let mark = if rng.chance(400) { "x" } else { " " };
        let _ = writeln!(o, "- [{mark}] {}", fill(FOLLOW_UPS[i], f.comp_name, f.sym, f.cause, f.where_));
    }
    // Fill up to the drawn length with more detail.
    let want = rng.range(500, 600) as usize;
    let mut first = true;
    while word_count(&o[start..]) < want {
        if first {
            o.push_str("\n## More detail\n");
            first = false;
        }
        let _ = write!(o, "\n{}\n", detail(rng, &slots));
    }
}

fn maintenance(rng: &mut Rng, c: &Ctx, k: usize, span: i64) -> String {
    let (a, end) = (c.a, c.end);
    let begin = end - span;
    let range = span + (span / 19).clamp(DAY, 30 * DAY);
    let pos = begin + (range as i128 * (2 * k as i128 + 1) / (2 * a.maintenance as i128)) as i64;
    let start = pos.div_euclid(60) * 60 + if rng.chance(300) { 30 } else { 0 };
    let len = 60 * rng.range(1, 8);
    let stop = start + len;
    let whole = rng.chance(100);
    let comps = c.siblings(rng, whole);
    let everywhere = rng.chance(300);
    let regs = c.pick_regions(rng, &comps, everywhere, 8);
    let kind = MAINT_KINDS[rng.idx(MAINT_KINDS.len())];
    let main = &c.components[comps[0]].name;
    let where_ = match &regs {
        Some(rs) if rs.len() == 1 => format!(" in {}", c.regions[rs[0]].name),
        Some(rs) => format!(" in {} regions", rs.len()),
        None => " in every region".to_string(),
    };

    let mut o = String::with_capacity(2048);
    o.push_str("+++\n");
    kv_str(&mut o, "title", &format!("{kind} for {main}{where_}"));
    let _ = writeln!(o, "scheduled_start = {}", dt(start));
    let _ = writeln!(o, "scheduled_end = {}", dt(stop));
    let ids: Vec<&str> = comps.iter().map(|&i| c.components[i].id.as_str()).collect();
    let _ = writeln!(o, "components = {}", str_array(&ids));
    match &regs {
        None => o.push_str("regions = [\"*\"]\n"),
        Some(rs) => {
            let ids: Vec<&str> = rs.iter().map(|&r| c.regions[r].id.as_str()).collect();
            let _ = writeln!(o, "regions = {}", str_array(&ids));
        }
    }
    let announce = (start - rng.range(3, 14) * DAY - rng.range(0, 600)).min(end - rng.range(60, 3 * DAY));
    let updates = [
        (
            announce,
            "scheduled",
            format!(
                "We will perform {} on {main}{where_} between {} and {} UTC on {}. Existing resources keep running; \
                 management operations may be delayed for up to {} minutes during the window.",
                kind.to_lowercase(),
                hhmm(start),
                hhmm(stop),
                long_date(start),
                rng.range(5, 30)
            ),
        ),
        (
            start,
            "in_progress",
            format!(
                "The {} on {main} has started. We will post an update when the work is complete.",
                kind.to_lowercase()
            ),
        ),
        (
            stop,
            "completed",
            format!(
                "The {} on {main} is complete and every affected service is operating normally.",
                kind.to_lowercase()
            ),
        ),
    ];
    for (at, status, body) in updates.iter() {
        if *at >= end {
            continue;
        }
        o.push_str("\n[[updates]]\n");
        let _ = writeln!(o, "at = {}", dt(*at));
        kv_str(&mut o, "status", status);
        kv_ml(&mut o, "body", body);
    }
    o.push_str("+++\n");
    let _ = writeln!(
        o,
        "{kind} for {main} and {} related services{where_}. The work is performed one zone at a time and \
         traffic is drained before each host is updated.\n\n## Steps\n\n- Drain traffic\n- Apply the change\n\
         - Verify health checks\n- Restore traffic",
        comps.len() - 1
    );
    o
}
