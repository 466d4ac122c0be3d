//! What a publish changes on a replica: the files of the new build
//! compared with those of the release it replaces, by path and SHA-256.

use crate::output::manifest::Manifest;

/// The difference between a replica's release and the build to publish.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files the release does not have.
    pub add: Vec<String>,
    /// Files it has with other bytes.
    pub change: Vec<String>,
    /// Files it has that the build does not.
    pub remove: Vec<String>,
    /// Files equal in both, taken from the release (hard-linked).
    pub same: Vec<String>,
    /// The bytes of the added and changed files: what is uploaded.
    pub upload_bytes: u64,
}

impl Plan {
    /// Compares `next` with `previous` (none: everything is added).
    pub fn new(previous: Option<&Manifest>, next: &Manifest) -> Plan {
        let mut plan = Plan::default();
        for file in &next.files {
            match previous.and_then(|p| p.get(&file.path)) {
                None => plan.add.push(file.path.clone()),
                Some(old) if old.sha256 != file.sha256 || old.size != file.size => plan.change.push(file.path.clone()),
                Some(_) => {
                    plan.same.push(file.path.clone());
                    continue;
                }
            }
            plan.upload_bytes += file.size;
        }
        if let Some(previous) = previous {
            plan.remove =
                previous.files.iter().filter(|f| next.get(&f.path).is_none()).map(|f| f.path.clone()).collect();
        }
        plan
    }

    /// "add 3, change 1,200, remove 2 (12.3 MiB to upload), 3,000 unchanged"
    pub fn describe(&self) -> String {
        format!(
            "add {}, change {}, remove {} ({} to upload), {} unchanged",
            self.add.len(),
            self.change.len(),
            self.remove.len(),
            human_bytes(self.upload_bytes),
            self.same.len()
        )
    }
}

pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

/// A version as shown in messages: its first 12 digits.
pub fn short(version: &str) -> &str {
    version.get(..12).unwrap_or(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest::sample("v", files)
    }

    #[test]
    fn adds_changes_removes_and_keeps() {
        let old = manifest(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = manifest(&[("a", "1"), ("b", "9"), ("d", "4")]);
        let plan = Plan::new(Some(&old), &new);
        assert_eq!(
            (plan.add, plan.change, plan.remove, plan.same),
            (vec!["d".into()], vec!["b".into()], vec!["c".into()], vec!["a".into()])
        );
        assert_eq!(plan.upload_bytes, 2);
        assert_eq!(Plan::new(None, &new).add.len(), 3);
    }
}
