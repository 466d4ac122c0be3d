//! Reading `status.toml` into a [`Config`]: the keys each table accepts,
//! and every field checked, with every problem reported at once.

use super::ids::{check_id, unknown_hint};
use super::{Component, Config, Group, Region, Sla, SlaTier, Social, UptimeWeights};
use crate::content::reader::{parse_toml, FileReader, Key, Located, Table};
use crate::diagnostic::{did_you_mean, Diagnostics, SourceMap};
use chrono::Duration;
use chrono_tz::Tz;
use std::collections::BTreeSet;

const TOP: &[Key] = &[
    Key::req("title", "title = \"Contoso Cloud Status\""),
    Key::req("base_url", "base_url = \"https://status.example.com\""),
    Key::req("timezone", "timezone = \"America/Los_Angeles\""),
    Key::opt("description", "description = \"...\""),
    Key::opt("update_interval", "update_interval = \"60m\""),
    Key::opt("stale_after", "stale_after = 3"),
    Key::opt("uptime_days", "uptime_days = 90"),
    Key::opt("recent_days", "recent_days = 14"),
    Key::opt("groups", "[[groups]]"),
    Key::req("regions", "[[regions]] with id = \"global\" and name = \"Global\""),
    Key::req("components", "[[components]] with id = \"api\" and name = \"API\""),
    Key::opt("uptime", "[uptime]"),
    Key::opt("sla", "[sla]"),
    Key::opt("social", "[social]"),
    Key::opt("lints", "[lints]"),
    Key::opt("replicas", "[[replicas]] with name = \"west\" and url = \"file:///srv/status-west\""),
];
const GROUP: &[Key] = &[
    Key::req("id", "id = \"compute\""),
    Key::req("name", "name = \"Compute\""),
    Key::opt("description", "description = \"...\""),
];
const REGION: &[Key] = &[
    Key::req("id", "id = \"us-west\""),
    Key::req("name", "name = \"US West\""),
    Key::opt("geography", "geography = \"United States\""),
    Key::opt("since", "since = 2026-03-01"),
];
const COMPONENT: &[Key] = &[
    Key::req("id", "id = \"api\""),
    Key::req("name", "name = \"API\""),
    Key::opt("group", "group = \"compute\""),
    Key::opt("regions", "regions = [\"us-west\"]"),
    Key::opt("description", "description = \"...\""),
    Key::opt("since", "since = 2026-03-01"),
];
const UPTIME: &[Key] = &[
    Key::opt("major_outage", "major_outage = 1.0"),
    Key::opt("partial_outage", "partial_outage = 0.3"),
    Key::opt("degraded_performance", "degraded_performance = 0.0"),
];
const SLA: &[Key] = &[
    Key::opt("billing_timezone", "billing_timezone = \"UTC\""),
    Key::opt("tiers", "tiers = [ { below = 99.95, credit = 10 } ]"),
];
const TIER: &[Key] = &[Key::req("below", "below = 99.95"), Key::req("credit", "credit = 10")];
const SOCIAL: &[Key] = &[
    Key::opt("site_name", "site_name = \"Contoso Cloud\""),
    Key::opt("hashtags", "hashtags = [\"#ContosoStatus\"]"),
    Key::opt("days", "days = 90"),
];

/// Parses `status.toml`; `None` when it has errors (all reported).
pub fn parse(map: &SourceMap, text: &str, diags: &mut Diagnostics) -> Option<Config> {
    parse_with_lints(map, text, diags).map(|(config, _)| config)
}

/// [`parse`], with the `[lints]` table (read by [`crate::lint::settings`]).
pub fn parse_with_lints(
    map: &SourceMap,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<(Config, crate::lint::settings::LintSettings)> {
    let before = diags.count(crate::diagnostic::Severity::Error);
    let (root, reported) = parse_toml(text, map, diags)?;
    let mut r = FileReader::new(map, diags, chrono_tz::UTC, reported);
    let top = r.table(root.get_ref(), 0..0, "status.toml", TOP);

    let title = r.text(&top, "title");
    let base_url = r.text(&top, "base_url").and_then(|u| check_base_url(&mut r, u));
    let timezone = zone(&mut r, &top, "timezone");
    let description = r.text(&top, "description").map(|d| d.value);
    let update_interval = match r.string(&top, "update_interval") {
        None => Some(Duration::minutes(60)),
        Some(s) => crate::time::parse_interval(&s.value).or_else(|| {
            r.error(
                s.span,
                format!("update_interval \"{}\" is not a duration", s.value),
                "write minutes, hours or days, e.g. \"60m\", \"1h30m\"",
            );
            None
        }),
    };
    let stale_after = positive(&mut r, &top, "stale_after", 3, 1000);
    let uptime_days = positive(&mut r, &top, "uptime_days", 90, 3660);
    let recent_days = positive(&mut r, &top, "recent_days", 14, 3660);

    // `since` dates are read in the site's zone.
    r.zone = timezone.unwrap_or(chrono_tz::UTC);
    let groups = parse_groups(&mut r, &top);
    let regions = parse_regions(&mut r, &top);
    let components = parse_components(&mut r, &top, &groups, &regions);
    let uptime = parse_uptime(&mut r, &top);
    let sla = parse_sla(&mut r, &top);
    let social = parse_social(&mut r, &top);
    let lints = crate::lint::settings::read(&mut r, &top);
    let replicas = crate::publish::replicas::parse(&mut r, &top);

    if r.diags.count(crate::diagnostic::Severity::Error) > before {
        return None;
    }
    let config = Config {
        title: title?.value,
        base_url: base_url?,
        description,
        timezone: timezone?,
        update_interval: update_interval?,
        stale_after,
        uptime_days,
        recent_days,
        groups,
        regions,
        components,
        uptime,
        sla: sla?,
        social,
        replicas,
    };
    Some((config, lints))
}

fn check_base_url(r: &mut FileReader, url: Located<String>) -> Option<String> {
    let ok = (url.value.starts_with("https://") || url.value.starts_with("http://"))
        && url.value.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.contains(' '));
    if !ok {
        r.error(
            url.span,
            format!("base_url \"{}\" is not an absolute http(s) URL", url.value),
            "write e.g. base_url = \"https://status.example.com\"",
        );
        return None;
    }
    Some(url.value.trim_end_matches('/').to_owned())
}

/// An IANA zone name, with a suggestion for near misses.
pub fn zone(r: &mut FileReader, t: &Table, key: &str) -> Option<Tz> {
    let name = r.string(t, key)?;
    match name.value.parse::<Tz>() {
        Ok(tz) => Some(tz),
        Err(_) => {
            let near = did_you_mean(&name.value, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()));
            let hint = match near {
                Some(n) => format!("did you mean \"{n}\"?"),
                None => "use an IANA zone name such as \"UTC\", \"Europe/Berlin\" or \"America/Los_Angeles\"".into(),
            };
            r.error(name.span, format!("unknown time zone \"{}\"", name.value), hint);
            None
        }
    }
}

fn positive(r: &mut FileReader, t: &Table, key: &str, default: u32, max: i64) -> u32 {
    match r.integer(t, key) {
        None => default,
        Some(n) if (1..=max).contains(&n.value) => n.value as u32,
        Some(n) => {
            r.error(n.span, format!("`{key}` must be between 1 and {max}"), format!("the default is {default}"));
            default
        }
    }
}

fn parse_groups(r: &mut FileReader, top: &Table) -> Vec<Group> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (table, span) in r.tables(top, "groups") {
        let t = r.table(table, span, "[[groups]]", GROUP);
        let (id, name) = (r.string(&t, "id"), r.text(&t, "name"));
        let description = r.text(&t, "description").map(|d| d.value);
        if let (Some(id), Some(name)) = (id, name) {
            if check_id(r, &id, "group", &mut seen) {
                out.push(Group { id: id.value, name: name.value, description });
            }
        }
    }
    out
}

fn parse_regions(r: &mut FileReader, top: &Table) -> Vec<Region> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (table, span) in r.tables(top, "regions") {
        let t = r.table(table, span, "[[regions]]", REGION);
        let (id, name) = (r.string(&t, "id"), r.text(&t, "name"));
        let geography = r.text(&t, "geography").map(|d| d.value);
        let since = r.day_or_instant(&t, "since").map(|s| s.value);
        if let (Some(id), Some(name)) = (id, name) {
            if check_id(r, &id, "region", &mut seen) {
                out.push(Region { id: id.value, name: name.value, geography, since });
            }
        }
    }
    if top.has("regions") && out.is_empty() && !r.diags.has_errors() {
        r.error(
            top.span_of("regions").unwrap_or(0..0),
            "no regions defined",
            "add at least one [[regions]]; a single-location site uses one, e.g. id = \"global\"",
        );
    }
    out
}

fn parse_components(r: &mut FileReader, top: &Table, groups: &[Group], regions: &[Region]) -> Vec<Component> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (table, span) in r.tables(top, "components") {
        let t = r.table(table, span, "[[components]]", COMPONENT);
        let (id, name) = (r.string(&t, "id"), r.text(&t, "name"));
        let description = r.text(&t, "description").map(|d| d.value);
        let since = r.day_or_instant(&t, "since").map(|s| s.value);
        let group = r.string(&t, "group").and_then(|g| {
            if groups.iter().any(|x| x.id == g.value) {
                return Some(g.value);
            }
            let ids = groups.iter().map(|x| x.id.as_str());
            r.error(g.span, format!("unknown group \"{}\"", g.value), unknown_hint(&g.value, ids, "[[groups]]"));
            None
        });
        let named_regions = r.strings(&t, "regions");
        let mut component_regions = Vec::new();
        match named_regions {
            None => component_regions.extend(regions.iter().map(|x| x.id.clone())),
            Some(list) => {
                for reg in list {
                    if !regions.iter().any(|x| x.id == reg.value) {
                        let ids = regions.iter().map(|x| x.id.as_str());
                        r.error(
                            reg.span,
                            format!("unknown region \"{}\"", reg.value),
                            unknown_hint(&reg.value, ids, "[[regions]]"),
                        );
                    } else if component_regions.contains(&reg.value) {
                        r.warning(reg.span, format!("region \"{}\" is listed twice", reg.value), "remove the repeat");
                    } else {
                        component_regions.push(reg.value);
                    }
                }
            }
        }
        if let (Some(id), Some(name)) = (id, name) {
            if check_id(r, &id, "component", &mut seen) {
                out.push(Component {
                    id: id.value,
                    name: name.value,
                    group,
                    regions: component_regions,
                    description,
                    since,
                });
            }
        }
    }
    out
}

fn parse_uptime(r: &mut FileReader, top: &Table) -> UptimeWeights {
    let mut w = UptimeWeights { major_outage: 1.0, partial_outage: 0.3, degraded_performance: 0.0 };
    let Some((table, span)) = r.sub_table(top, "uptime") else { return w };
    let t = r.table(table, span, "[uptime]", UPTIME);
    for (key, slot) in [
        ("major_outage", &mut w.major_outage),
        ("partial_outage", &mut w.partial_outage),
        ("degraded_performance", &mut w.degraded_performance),
    ] {
        if let Some(v) = r.float(&t, key) {
            if (0.0..=1.0).contains(&v.value) {
                *slot = v.value;
            } else {
                r.error(
                    v.span,
                    format!("uptime weight `{key}` must be between 0.0 and 1.0"),
                    "1.0 counts the whole interval as downtime, 0.0 none of it",
                );
            }
        }
    }
    w
}

fn parse_sla(r: &mut FileReader, top: &Table) -> Option<Sla> {
    let mut sla = Sla { billing_timezone: chrono_tz::UTC, tiers: Vec::new() };
    let Some((table, span)) = r.sub_table(top, "sla") else { return Some(sla) };
    let t = r.table(table, span, "[sla]", SLA);
    if t.has("billing_timezone") {
        sla.billing_timezone = zone(r, &t, "billing_timezone")?;
    }
    for (table, span) in r.tables(&t, "tiers") {
        let tier = r.table(table, span, "an SLA tier", TIER);
        let below = r.float(&tier, "below");
        let credit = r.integer(&tier, "credit");
        if let Some(b) = &below {
            if !(0.0..=100.0).contains(&b.value) {
                r.error(b.span.clone(), "`below` is a percentage between 0 and 100", "write e.g. below = 99.95");
            }
        }
        if let Some(c) = &credit {
            if !(0..=100).contains(&c.value) {
                r.error(c.span.clone(), "`credit` is a percentage between 0 and 100", "write e.g. credit = 10");
            }
        }
        if let (Some(b), Some(c)) = (below, credit) {
            sla.tiers.push(SlaTier { below: b.value, credit: c.value.clamp(0, 100) as u32 });
        }
    }
    sla.tiers.sort_by(|a, b| b.below.total_cmp(&a.below));
    Some(sla)
}

fn parse_social(r: &mut FileReader, top: &Table) -> Social {
    let Some((table, span)) = r.sub_table(top, "social") else { return Social::default() };
    let t = r.table(table, span, "[social]", SOCIAL);
    Social {
        site_name: r.text(&t, "site_name").map(|s| s.value),
        hashtags: r.strings(&t, "hashtags").unwrap_or_default().into_iter().map(|h| h.value).collect(),
        days: positive(r, &t, "days", 90, 36600),
    }
}
