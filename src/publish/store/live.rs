//! Putting a release on an object store: its missing files uploaded as
//! objects and read back, then copied to their live paths in the order the
//! [module doc](super) gives, and put back as they were if that fails.

use super::{get, object, put, StoreReplica, META, PARALLEL};
use crate::error::Error;
use crate::output::manifest::{self, FileEntry, Manifest};
use crate::progress::Progress;
use futures_util::stream::{self, StreamExt};
use object_store::path::Path as Key;
use object_store::ObjectStoreExt;
use std::collections::BTreeMap;
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
    /// in place of `previous` (see the module doc for the order).
    pub(super) fn go_live(
        &self,
        previous: Option<&Manifest>,
        next: &Manifest,
        progress: Option<&Progress>,
    ) -> Result<(), Error> {
        let changed: Vec<&FileEntry> =
            next.files.iter().filter(|f| previous.and_then(|p| p.get(&f.path)) != Some(*f)).collect();
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
                Ok(()) => Error::Publish(format!("{e}; every file touched was put back as it was")),
                Err(again) => Error::Publish(format!(
                    "{e}; putting back the previous files failed too ({again}), so the replica may serve a mix of two releases until `candor publish` runs again and finishes"
                )),
            });
        }
        let removed: Vec<Key> = previous
            .map(|p| {
                p.files.iter().filter(|f| next.get(&f.path).is_none()).map(|f| Key::from(f.path.as_str())).collect()
            })
            .unwrap_or_default();
        self.delete(removed).map_err(|e| {
            Error::Publish(format!(
                "{} is live, but {e}: run it again to finish",
                crate::publish::plan::short(&next.version)
            ))
        })
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
