//! Putting a release on an object store: its missing files uploaded as
//! objects and read back, then copied to their live paths in the order the
//! [module doc](super) gives, and put back as they were if that fails.

use super::{get, object, put, StoreReplica, META, PARALLEL};
use crate::error::Error;
use crate::output::manifest::{self, FileEntry, Manifest};
use crate::progress::Progress;
use crate::publish::origin::Origin;
use futures_util::stream::{self, StreamExt};
use object_store::path::Path as Key;
use object_store::ObjectStoreExt;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

impl StoreReplica {
    /// Uploads the files of `next` the store has no object for, from
    /// `local`, and reads each back; how many it uploaded.
    pub(super) fn upload(&self, local: &Path, next: &Manifest, progress: Option<&Progress>) -> Result<usize, Error> {
        let have = self.list(Some(&format!("{META}/objects")))?;
        let mut wanted: BTreeMap<String, &FileEntry> = BTreeMap::new();
        for file in &next.files {
            let key = object(file);
            if have.get(key.as_ref()) != Some(&file.size) {
                wanted.insert(key.to_string(), file);
            }
        }
        let count = wanted.len();
        if let Some(p) = progress {
            p.stage("uploading files", count);
        }
        let results: Vec<Result<(), Error>> = self.runtime.block_on(
            stream::iter(wanted.into_values())
                .map(|file| async move {
                    let from = local.join(&file.path);
                    let bytes = std::fs::read(&from).map_err(|e| Error::io(&from, e))?;
                    if manifest::hex(&manifest::sha256(&bytes)) != file.sha256 {
                        return Err(Error::Publish(format!(
                            "{} changed since the build (it no longer matches manifest.json): build again, then publish",
                            from.display()
                        )));
                    }
                    let key = object(file);
                    put(&self.store, &key, bytes, &file.path)
                        .await
                        .map_err(|e| self.fail(format!("uploading {}", file.path), e))?;
                    let checked = self.check(&key, file).await;
                    progress.inspect(|p| p.tick());
                    checked
                })
                .buffer_unordered(PARALLEL)
                .collect(),
        );
        results.into_iter().collect::<Result<(), Error>>().map(|()| count)
    }

    /// Reads `key` back and compares it with `file`'s manifest entry.
    async fn check(&self, key: &Key, file: &FileEntry) -> Result<(), Error> {
        match get(&self.store, key).await {
            Ok(Some(bytes))
                if bytes.len() as u64 == file.size && manifest::hex(&manifest::sha256(&bytes)) == file.sha256 =>
            {
                Ok(())
            }
            Ok(Some(_)) => {
                Err(Error::Publish(format!("{key} on {} reads back with other bytes than were written", self.url)))
            }
            Ok(None) => Err(Error::Publish(format!("{key} on {} is missing right after writing it", self.url))),
            Err(e) => Err(self.fail(format!("reading back {key}"), e)),
        }
    }

    /// Copies each of `files` from its object to its live path, then reads
    /// it back; every file is tried, and the first error returned.
    pub(super) fn place(&self, files: &[&FileEntry], progress: Option<&Progress>) -> Result<(), Error> {
        let results: Vec<Result<(), Error>> = self.runtime.block_on(
            stream::iter(files.iter().copied())
                .map(|file| async move {
                    let live = Key::from(file.path.as_str());
                    self.store
                        .copy(&object(file), &live)
                        .await
                        .map_err(|e| self.fail(format!("copying {} live", file.path), e))?;
                    let checked = self.check(&live, file).await;
                    progress.inspect(|p| p.tick());
                    checked
                })
                .buffer_unordered(PARALLEL)
                .collect(),
        );
        results.into_iter().collect()
    }

    /// Makes `next`, whose objects are all on the store, the live release
    /// in place of `previous` (see the module doc for the order). Before
    /// the first copy it records, in [`GOING_LIVE`], every release whose
    /// files may then sit at live paths; a go-live stopped for any reason
    /// (the store down, the process killed) leaves that record, and the
    /// next one copies and deletes every path those releases disagree on,
    /// not only what `previous` and `next` do. The caller drops the record
    /// ([`Self::settled`]) once `next` is whole, live and logged. Whether
    /// it put right files a go-live that did not finish had left.
    pub(super) fn go_live(
        &self,
        previous: Option<&Manifest>,
        next: &Manifest,
        progress: Option<&Progress>,
    ) -> Result<bool, Error> {
        let strays = self.strays()?;
        if let Some(known) = &strays {
            let mut touched: Vec<&str> = known.iter().map(|m| m.version.as_str()).collect();
            for version in previous.map(|p| p.version.as_str()).into_iter().chain([next.version.as_str()]) {
                if !touched.contains(&version) {
                    touched.push(version);
                }
            }
            self.write(&going_live(), serde_json::to_vec(&touched).expect("strings serialize"), GOING_LIVE)?;
        }
        let changed = unsettled(previous, strays.as_deref(), next);
        let (pages, rest): (Vec<&FileEntry>, Vec<&FileEntry>) = changed.iter().partition(|f| f.path.ends_with(".html"));
        if let Some(p) = progress {
            p.stage("copying files live", changed.len());
        }
        let placed = self
            .place(&rest, progress)
            .and_then(|()| self.place(&pages, progress))
            .and_then(|()| self.write(&Key::from(manifest::FILE), next.to_json(), manifest::FILE));
        if let Err(e) = placed {
            return Err(match self.put_back(previous, &changed) {
                Ok(()) if strays.as_ref().is_some_and(Vec::is_empty) => {
                    Error::Publish(format!("{e}; every file touched was put back as it was"))
                }
                Ok(()) => Error::Publish(format!(
                    "{e}; every file touched was put back as it was, which still holds files a publish stopped earlier left: run `candor publish` again to finish"
                )),
                Err(again) => Error::Publish(format!(
                    "{e}; putting back the previous files failed too ({again}), so the replica may serve a mix of two releases until `candor publish` runs again and finishes"
                )),
            });
        }
        let removed: Vec<Key> = match &strays {
            Some(known) => previous
                .into_iter()
                .chain(known)
                .flat_map(|m| &m.files)
                .map(|f| f.path.as_str())
                .filter(|p| next.get(p).is_none())
                .collect::<BTreeSet<&str>>()
                .into_iter()
                .map(Key::from)
                .collect(),
            None => self.served()?.into_keys().filter(|p| next.get(p).is_none()).map(Key::from).collect(),
        };
        self.delete(removed).map_err(|e| {
            Error::Publish(format!(
                "{} is live, but {e}: run it again to finish",
                crate::publish::plan::short(&next.version)
            ))
        })?;
        Ok(!strays.is_some_and(|known| known.is_empty()))
    }

    /// The releases a go-live that did not finish may have left files of
    /// at live paths (from [`GOING_LIVE`]): none after a finished one;
    /// `None` when the record cannot be read or names a release the store
    /// no longer keeps (or whose manifest cannot be read), so any path may
    /// hold anything. Such a record stays until a go-live finishes.
    pub(super) fn strays(&self) -> Result<Option<Vec<Manifest>>, Error> {
        let Some(bytes) = self.read(&going_live())? else { return Ok(Some(Vec::new())) };
        let Ok(versions) = serde_json::from_slice::<Vec<String>>(&bytes) else { return Ok(None) };
        let kept = self.releases()?;
        if versions.iter().any(|v| !kept.contains(v)) {
            return Ok(None);
        }
        Ok(versions.iter().map(|v| self.manifest(v).ok()).collect())
    }

    /// Whether there is a [`GOING_LIVE`] record, readable or not.
    pub(super) fn recorded(&self) -> Result<bool, Error> {
        Ok(self.read(&going_live())?.is_some())
    }

    /// Drops the [`GOING_LIVE`] record: the live release is whole.
    pub(super) fn settled(&self) -> Result<(), Error> {
        self.delete(vec![going_live()])
    }
    /// Undoes a failed [`Self::go_live`] at `paths`: the previous release's
    /// file where it had one, none where it had not.
    fn put_back(&self, previous: Option<&Manifest>, paths: &[&FileEntry]) -> Result<(), Error> {
        let (restore, delete): (Vec<&FileEntry>, Vec<&FileEntry>) =
            paths.iter().partition(|f| previous.and_then(|p| p.get(&f.path)).is_some());
        let old: Vec<&FileEntry> = restore.iter().filter_map(|f| previous.and_then(|p| p.get(&f.path))).collect();
        self.place(&old, None)?;
        self.delete(delete.iter().map(|f| Key::from(f.path.as_str())).collect())
    }
}

/// Where the record of a go-live under way is kept: the versions whose
/// files may sit at live paths until it finishes, as a JSON list.
pub(super) const GOING_LIVE: &str = "going-live.json";

fn going_live() -> Key {
    Key::from(format!("{META}/{GOING_LIVE}"))
}

/// The files of `next` to copy live over `previous` (the live release),
/// given the releases a stopped go-live may have left files of (`None`:
/// unknown): every one the live release or such a release has otherwise,
/// or lacks; all of them when nothing or anything may be there.
pub(super) fn unsettled<'a>(
    previous: Option<&Manifest>,
    strays: Option<&[Manifest]>,
    next: &'a Manifest,
) -> Vec<&'a FileEntry> {
    let (Some(previous), Some(strays)) = (previous, strays) else { return next.files.iter().collect() };
    next.files
        .iter()
        .filter(|f| previous.get(&f.path) != Some(*f) || strays.iter().any(|m| m.get(&f.path) != Some(*f)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(version: &str, files: &[(&str, &str)]) -> Manifest {
        Manifest::sample(version, files)
    }

    fn paths(files: Vec<&FileEntry>) -> Vec<&str> {
        files.into_iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn a_path_a_stopped_release_touched_is_copied_even_where_live_and_next_agree() {
        let live = release("l", &[("a", "1"), ("b", "1"), ("c", "1")]);
        let stopped = release("x", &[("a", "2"), ("b", "1"), ("c", "1")]);
        let next = release("y", &[("a", "1"), ("b", "1"), ("c", "3")]);
        assert_eq!(paths(unsettled(Some(&live), Some(&[]), &next)), ["c"]);
        assert_eq!(paths(unsettled(Some(&live), Some(std::slice::from_ref(&stopped)), &next)), ["a", "c"]);
        // The stopped release was `next` itself: it copied only what `next` has.
        assert_eq!(paths(unsettled(Some(&live), Some(std::slice::from_ref(&next)), &next)), ["c"]);
        // Nothing live yet, or a record that cannot be read: everything.
        assert_eq!(paths(unsettled(None, Some(std::slice::from_ref(&stopped)), &next)), ["a", "b", "c"]);
        assert_eq!(paths(unsettled(Some(&live), None, &next)), ["a", "b", "c"]);
    }
}
