//! `[[replicas]]` in `status.toml`: where `candor publish` puts the site.
//!
//! ```toml
//! [[replicas]]
//! name = "west"
//! url = "file:///srv/status-west"
//! phase = 1                                  # optional, default 1
//! public_url = "https://west.status.example.com"   # optional
//! ```
//!
//! Read with the site's spanned reader, so a mistake is reported at its
//! line like any other key of the config.

use crate::config::is_valid_id;
use crate::content::reader::{FileReader, Key, Table};
use std::collections::BTreeSet;
use std::path::PathBuf;

pub use crate::model::config::{Replica, Target};

const REPLICA: &[Key] = &[
    Key::req("name", "name = \"west\""),
    Key::req("url", "url = \"file:///srv/status-west\""),
    Key::opt("phase", "phase = 1"),
    Key::opt("public_url", "public_url = \"https://west.status.example.com\""),
];

/// The object stores the config accepts.
const STORES: [&str; 3] = ["s3", "az", "gs"];

/// Reads every `[[replicas]]` of the config's top table.
pub fn parse(r: &mut FileReader, top: &Table) -> Vec<Replica> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (table, span) in r.tables(top, "replicas") {
        let t = r.table(table, span, "[[replicas]]", REPLICA);
        let name = r.string(&t, "name");
        let url = r.string(&t, "url");
        let phase = match r.integer(&t, "phase") {
            None => Some(1),
            Some(p) if (1..=100).contains(&p.value) => Some(p.value as u32),
            Some(p) => {
                r.error(p.span, "`phase` must be between 1 and 100", "phase 1 is published first, then 2, ...");
                None
            }
        };
        let public_url = r.string(&t, "public_url").and_then(|u| {
            if u.value.starts_with("https://") || u.value.starts_with("http://") {
                Some(u.value.trim_end_matches('/').to_owned())
            } else {
                r.error(
                    u.span,
                    format!("public_url \"{}\" is not an absolute http(s) URL", u.value),
                    "write e.g. public_url = \"https://west.status.example.com\"",
                );
                None
            }
        });
        let target = url.as_ref().and_then(|u| match target(&u.value) {
            Ok(target) => Some(target),
            Err((message, hint)) => {
                r.error(u.span.clone(), message, hint);
                None
            }
        });
        if let Some(name) = &name {
            if !is_valid_id(&name.value) {
                r.error(
                    name.span.clone(),
                    format!("replica name \"{}\" may only hold a-z, 0-9 and -", name.value),
                    format!("write e.g. \"{}\"", crate::config::suggest_id(&name.value)),
                );
                continue;
            }
            if !seen.insert(name.value.clone()) {
                r.error(
                    name.span.clone(),
                    format!("duplicate replica \"{}\"", name.value),
                    "each replica needs its own name",
                );
                continue;
            }
        }
        if let (Some(name), Some(url), Some(target), Some(phase)) = (name, url, target, phase) {
            out.push(Replica { name: name.value, url: url.value, target, phase, public_url });
        }
    }
    out
}

/// What a replica URL points at, or why it cannot be one (message, hint).
pub fn target(url: &str) -> Result<Target, (String, String)> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err((
            format!("replica url \"{url}\" has no scheme"),
            "write a folder as url = \"file:///srv/status-west\" (an absolute path after file://)".into(),
        ));
    };
    match scheme {
        "file" => {
            if !rest.starts_with('/') {
                return Err((
                    format!("replica url \"{url}\" is not an absolute path"),
                    "file URLs name an absolute folder on this machine: file:///srv/status-west (three slashes)".into(),
                ));
            }
            Ok(Target::File(PathBuf::from(percent_encoding::percent_decode_str(rest).decode_utf8_lossy().as_ref())))
        }
        s if STORES.contains(&s) => {
            let scheme = STORES.iter().copied().find(|x| *x == s).unwrap_or("s3");
            if rest.is_empty() {
                return Err((format!("replica url \"{url}\" names no bucket"), format!("write e.g. {scheme}://my-bucket/status")));
            }
            Ok(Target::ObjectStore { scheme })
        }
        other => Err((
            format!("replica url scheme \"{other}\" is not one candor publishes to"),
            "use file:///path for a folder (a web server's document root, or a mount of one); s3://, az:// and gs:// object stores are accepted too. An HTTP(S) address belongs in public_url".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_or_refused_with_a_hint() {
        assert_eq!(target("file:///srv/a%20b").unwrap(), Target::File("/srv/a b".into()));
        assert_eq!(target("s3://bucket/x").unwrap(), Target::ObjectStore { scheme: "s3" });
        assert!(target("file://relative").unwrap_err().1.contains("three slashes"));
        assert!(target("https://example.com").unwrap_err().1.contains("public_url"));
        assert!(target("/srv/x").unwrap_err().0.contains("no scheme"));
    }
}
