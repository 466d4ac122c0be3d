//! A maintenance's `--affects`: all its values become one block with one
//! region list, so they are checked, described and written together.

use super::{check_all, grid, in_regions, Affects};
use crate::config::Config;
use crate::words::join_words;
use toml_edit::Array;

/// Checks a maintenance's `--affects`, which become one block: unknown ids
/// and regions as [`check_all`]; then, as for any block, each region named
/// must have one of the services, and each component named (not a group)
/// must run in one of the regions. Values with different regions are left
/// to [`maintenance_keys`] to refuse.
pub fn check_shared(list: &[Affects], config: &Config) -> Result<(), String> {
    let same = list.windows(2).all(|w| w[0].regions == w[1].regions);
    if !same {
        return check_all(list, config);
    }
    let mut problems = Vec::new();
    let mut components = Vec::new();
    let mut regions = None;
    for a in list {
        match (a.components(config, "--affects"), a.region_indexes(config, "--affects")) {
            (Ok(cs), Ok(rs)) => {
                components.push((a, cs));
                regions = rs;
            }
            (Err(e), _) | (_, Err(e)) => problems.push(e),
        }
    }
    if let (true, Some(regions)) = (problems.is_empty(), regions) {
        let all: Vec<usize> = components.iter().flat_map(|(_, cs)| cs.iter().copied()).collect();
        let cells = grid(config, &all, Some(&regions));
        for &r in regions.iter().filter(|&&r| !cells.iter().any(|&(_, cr)| cr == r)) {
            problems.push(format!(
                "none of the services named runs in {}, so --affects cannot name it",
                config.regions[r].id
            ));
        }
        for (a, cs) in &components {
            let single = config.component(&a.id).is_some();
            if single && !cells.iter().any(|(c, _)| cs.contains(c)) {
                problems.push(format!(
                    "{} does not run in any of the regions named, so --affects cannot name it there",
                    a.id
                ));
            }
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\n")),
    }
}

/// A maintenance's `--affects`, which share one region list:
/// "Managed PostgreSQL and Managed Redis in EU West".
pub fn describe_shared(list: &[Affects], config: &Config) -> String {
    let parts: Vec<(String, Vec<String>)> = list.iter().map(|a| a.names(config)).collect();
    let regions = parts.first().map(|(_, r)| r.clone()).unwrap_or_default();
    in_regions(join_words(&parts.into_iter().map(|(name, _)| name).collect::<Vec<_>>()), &regions)
}

/// The top-level `components`, `groups` and `regions` keys of a maintenance,
/// which has one region list for all it touches.
pub fn maintenance_keys(list: &[Affects], config: &Config) -> Result<Vec<(&'static str, Array)>, String> {
    let Some(first) = list.first() else {
        return Err("a maintenance needs --affects: name the components it touches, e.g. --affects api:eu-west".into());
    };
    if let Some(other) = list.iter().find(|a| a.regions != first.regions) {
        return Err(format!(
            "--affects {} and --affects {} name different regions, but a maintenance has one region list for all its components: give each the same regions, or create one maintenance per set of regions",
            spec(first),
            spec(other)
        ));
    }
    let mut keys = Vec::new();
    for key in ["components", "groups"] {
        let ids: Vec<&str> = list.iter().filter(|a| a.key(config) == key).map(|a| a.id.as_str()).collect();
        if !ids.is_empty() {
            keys.push((key, Array::from_iter(ids)));
        }
    }
    if !first.regions.is_empty() {
        keys.push(("regions", Array::from_iter(&first.regions)));
    }
    Ok(keys)
}

fn spec(a: &Affects) -> String {
    if a.regions.is_empty() {
        a.id.clone()
    } else {
        format!("{}:{}", a.id, a.regions.join(","))
    }
}
