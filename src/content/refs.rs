//! References from content to the config: component, group and region ids.

use super::reader::{FileReader, Located, Table};
use crate::config::{unknown_hint, Config};
use crate::time::{display, Instant};

/// `components` and/or `groups` of a table, expanded to component ids (each
/// once, in config order). Reports unknown ids; `None` if any is unknown or
/// both lists are missing or empty.
pub fn component_ids(r: &mut FileReader, t: &Table, config: &Config, what: &str) -> Option<Vec<String>> {
    component_selection(r, t, config, what).map(|(ids, _)| ids)
}

/// [`component_ids`], and the entries of `components` as written (for
/// [`region_selection`] to point at).
pub fn component_selection(
    r: &mut FileReader,
    t: &Table,
    config: &Config,
    what: &str,
) -> Option<(Vec<String>, Vec<Located<String>>)> {
    let named = r.strings(t, "components").unwrap_or_default();
    let groups = r.strings(t, "groups").unwrap_or_default();
    let mut wanted = Vec::new();
    let mut ok = true;
    for c in &named {
        if config.component(&c.value).is_some() {
            wanted.push(c.value.as_str());
        } else {
            let ids = config.components.iter().map(|x| x.id.as_str());
            r.error(
                c.span.clone(),
                format!("unknown component \"{}\"", c.value),
                unknown_hint(&c.value, ids, "[[components]]"),
            );
            ok = false;
        }
    }
    for g in &groups {
        if config.group(&g.value).is_some() {
            wanted.extend(
                config.components.iter().filter(|c| c.group.as_deref() == Some(&g.value)).map(|c| c.id.as_str()),
            );
        } else {
            let ids = config.groups.iter().map(|x| x.id.as_str());
            r.error(
                g.span.clone(),
                format!("unknown group \"{}\"", g.value),
                unknown_hint(&g.value, ids, "[[groups]]"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    if wanted.is_empty() {
        let span = t.span_of("components").or_else(|| t.span_of("groups")).unwrap_or(t.span.clone());
        r.error(
            span,
            format!("{what} names no component"),
            "list the affected services: components = [\"api\"] or groups = [\"compute\"]",
        );
        return None;
    }
    let ids = config.components.iter().filter(|c| wanted.contains(&c.id.as_str())).map(|c| c.id.clone()).collect();
    Some((ids, named))
}

/// `regions` of a table: `None` for `["*"]` or no key (every region each
/// component runs in), else the listed ids, each checked to exist.
///
/// A block means the cells of its components x regions that are offered,
/// so a sparse grid needs no splitting; it is an error only when a listed
/// region holds none of the block's `components` (groups expanded), or
/// when a component named in `components` runs in none of the listed
/// regions. A group's components need not each run in one: the group
/// stands for those that do.
pub fn region_selection(
    r: &mut FileReader,
    t: &Table,
    config: &Config,
    (components, named): &(Vec<String>, Vec<Located<String>>),
) -> Option<Option<Vec<String>>> {
    let Some(list) = r.strings(t, "regions") else {
        return Some(None).filter(|_| !t.has("regions"));
    };
    if list.iter().any(|x| x.value == "*") {
        if list.len() > 1 {
            r.error(
                t.span_of("regions").unwrap_or(t.span.clone()),
                "\"*\" already means every region",
                "write regions = [\"*\"] alone, or list the regions",
            );
            return None;
        }
        return Some(None);
    }
    if list.is_empty() {
        r.error(
            t.span_of("regions").unwrap_or(t.span.clone()),
            "no regions listed",
            "list regions, or write regions = [\"*\"] for every region",
        );
        return None;
    }
    let runs = |c: &str, region: &str| config.component(c).is_some_and(|c| c.regions.iter().any(|x| x == region));
    let mut ok = true;
    let mut out: Vec<String> = Vec::new();
    for reg in &list {
        if config.region(&reg.value).is_none() {
            let ids = config.regions.iter().map(|x| x.id.as_str());
            r.error(
                reg.span.clone(),
                format!("unknown region \"{}\"", reg.value),
                unknown_hint(&reg.value, ids, "[[regions]]"),
            );
            ok = false;
            continue;
        }
        if !components.iter().any(|c| runs(c, &reg.value)) {
            r.error(
                reg.span.clone(),
                format!("{} in region \"{}\"", none_runs(components), reg.value),
                "remove the region, or add a component that runs there (status.toml says where each component runs)",
            );
            ok = false;
        }
        if !out.contains(&reg.value) {
            out.push(reg.value.clone());
        }
    }
    if !ok {
        return None;
    }
    // Only `components` is checked so: a group's components are not named
    // one by one.
    let mut seen = Vec::new();
    for named in named {
        if seen.contains(&&named.value) || out.iter().any(|reg| runs(&named.value, reg)) {
            continue;
        }
        seen.push(&named.value);
        let Some(c) = config.component(&named.value) else { continue };
        r.error(
            named.span.clone(),
            format!("component \"{}\" does not run in any of the regions named", named.value),
            format!("remove it from `components`, or name a region it runs in: {}", region_list(&c.regions)),
        );
        ok = false;
    }
    ok.then_some(Some(out))
}

/// Checks that the components and regions `t` names explicitly existed at
/// `at` (when the window or maintenance starts): one added later (its
/// `since` in status.toml) cannot have been affected then. "Every region"
/// and a group's components need no check: they mean those that existed
/// (see [`crate::derive::lookup::Lookup::cells`]). Returns whether all did.
pub fn named_existed(r: &mut FileReader, t: &Table, config: &Config, at: Instant, what: &str) -> bool {
    let mut ok = true;
    let zone = config.timezone;
    let lists = [("components", "component"), ("regions", "region")];
    for (key, noun) in lists {
        for named in r.strings(t, key).unwrap_or_default() {
            let since = match noun {
                "component" => config.component(&named.value).and_then(|c| c.since),
                _ => config.region(&named.value).and_then(|x| x.since),
            };
            let Some(since) = since.filter(|s| *s > at) else { continue };
            r.error(
                named.span,
                format!(
                    "{noun} \"{}\" was added {} (its `since` in status.toml), after this {what} starts ({})",
                    named.value,
                    display(since, zone),
                    display(at, zone)
                ),
                format!(
                    "remove it: an incident or maintenance before then cannot have affected it; or, if it existed then, move its `since` in status.toml back to {} or earlier",
                    display(at, zone)
                ),
            );
            ok = false;
        }
    }
    ok
}

/// "component \"a\" does not run", "none of components \"a\", \"b\" runs",
/// "none of the 12 components named runs".
fn none_runs(ids: &[String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|c| format!("\"{c}\"")).collect();
    match quoted.as_slice() {
        [one] => format!("component {one} does not run"),
        few if few.len() <= 3 => format!("none of components {} runs", few.join(", ")),
        many => format!("none of the {} components named runs", many.len()),
    }
}

/// "\"us-east\", \"eu-west\"", the first five and how many more.
fn region_list(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut out: Vec<String> = ids.iter().take(SHOWN).map(|x| format!("\"{x}\"")).collect();
    if ids.len() > SHOWN {
        out.push(format!("{} more", ids.len() - SHOWN));
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn says_which_components_do_not_run_in_a_region() {
        assert_eq!(none_runs(&ids(&["cdn"])), "component \"cdn\" does not run");
        assert_eq!(none_runs(&ids(&["cdn", "dns"])), "none of components \"cdn\", \"dns\" runs");
        assert_eq!(none_runs(&ids(&["a", "b", "c", "d"])), "none of the 4 components named runs");
    }

    #[test]
    fn lists_at_most_five_regions() {
        assert_eq!(region_list(&ids(&["us-east", "eu-west"])), "\"us-east\", \"eu-west\"");
        assert_eq!(
            region_list(&ids(&["a", "b", "c", "d", "e", "f", "g"])),
            "\"a\", \"b\", \"c\", \"d\", \"e\", 2 more"
        );
    }
}
