//! An object-store replica (`s3://`, `az://`, `gs://`), through the
//! `object_store` crate, with each cloud's standard credentials from the
//! environment.
//!
//! ```text
//! az://container/prefix/
//!   index.html, incidents/..., ...      the live site (what the website endpoint serves)
//!   manifest.json                       the live release's manifest, written last
//!   _candor/objects/<sha256>.<ext>      every file of the kept releases, by content
//!   _candor/releases/<version>.json     the kept releases' manifests
//!   _candor/history                     "publish <version>" / "rollback <version>", one a line
//!   _candor/going-live.json             while a release goes live: the releases whose files may be at live paths
//! ```
//!
//! An object store has no link to switch, so a release goes live file by
//! file. What can be slow happens first, where no reader sees it: the files
//! the store lacks are uploaded under `_candor/objects/` and read back.
//! Then the store copies them to their live paths itself (no upload):
//! everything but the pages, then the pages, each read back, then
//! `manifest.json`; files the release dropped are deleted only after that.
//! A failure while going live puts back what the previous release had at
//! every path touched; only if that fails too (the store unreachable), or
//! the process is killed, does the replica serve a mix, which the error
//! says and `verify` reports. Before its first copy a go-live records
//! which releases' files may be at live paths (`going-live.json`) and
//! drops the record once it finished, so the next publish or rollback,
//! whatever release it brings, puts right every path a stopped one
//! touched (see [`live`]).

use super::origin::{whole, Origin, Problem, Published};
use super::plan::Plan;
use crate::error::Error;
use crate::output::manifest::{self, FileEntry, Manifest};
use crate::output::mime;
use crate::progress::Progress;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use object_store::path::Path as Key;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

mod live;

/// Requests in flight at once per replica.
const PARALLEL: usize = 16;
/// Where Candor keeps its own objects, beside the live site.
const META: &str = "_candor";

pub struct StoreReplica {
    url: String,
    store: Arc<dyn ObjectStore>,
    runtime: tokio::runtime::Runtime,
}

impl StoreReplica {
    /// Opens `url` (`az://container/prefix`); nothing is read yet.
    pub fn open(url: &str) -> Result<StoreReplica, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Publish(format!("cannot start the network runtime: {e}")))?;
        let store = super::connect::store(url)?;
        Ok(StoreReplica { url: url.to_owned(), store, runtime })
    }

    fn fail(&self, what: impl std::fmt::Display, e: object_store::Error) -> Error {
        Error::Publish(format!("{what} on {}: {}", self.url, super::connect::explain(&e)))
    }

    /// An object's bytes; `None` when there is none.
    fn read(&self, key: &Key) -> Result<Option<bytes::Bytes>, Error> {
        self.runtime.block_on(async { get(&self.store, key).await }).map_err(|e| self.fail(format!("reading {key}"), e))
    }

    fn write(&self, key: &Key, bytes: Vec<u8>, path: &str) -> Result<(), Error> {
        self.runtime.block_on(put(&self.store, key, bytes, path)).map_err(|e| self.fail(format!("writing {key}"), e))
    }

    /// Every object under `under` (all when `None`), with its size.
    fn list(&self, under: Option<&str>) -> Result<BTreeMap<String, u64>, Error> {
        let prefix = under.map(Key::from);
        self.runtime
            .block_on(
                self.store
                    .list(prefix.as_ref())
                    .map_ok(|meta| (meta.location.to_string(), meta.size))
                    .try_collect::<BTreeMap<_, _>>(),
            )
            .map_err(|e| self.fail("listing", e))
    }

    /// The manifest `manifest.json` says is live.
    fn live(&self) -> Result<Option<Manifest>, Error> {
        self.read(&Key::from(manifest::FILE))?.map(|bytes| parse(&bytes, manifest::FILE)).transpose()
    }

    /// The files served, with their sizes: everything but Candor's own.
    fn served(&self) -> Result<BTreeMap<String, u64>, Error> {
        let mut all = self.list(None)?;
        all.retain(|path, _| path != manifest::FILE && !path.starts_with(&format!("{META}/")));
        Ok(all)
    }

    fn delete(&self, keys: Vec<Key>) -> Result<(), Error> {
        let results: Vec<Result<(), Error>> = self.runtime.block_on(
            stream::iter(keys)
                .map(|key| async move {
                    match self.store.delete(&key).await {
                        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                        Err(e) => Err(self.fail(format!("deleting {key}"), e)),
                    }
                })
                .buffer_unordered(PARALLEL)
                .collect(),
        );
        results.into_iter().collect()
    }

    fn log(&self, why: &str, version: &str) -> Result<(), Error> {
        let key = Key::from(format!("{META}/history"));
        let mut text = self.read(&key)?.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        text.push_str(&format!("{why} {version}\n"));
        self.write(&key, text.into_bytes(), "history.txt")
    }

    /// Deletes the releases beyond the [`super::file::KEEP`] most recently
    /// published (never the live one) and the objects no kept release
    /// needs. Best effort: the new release is live already.
    fn prune(&self) -> Result<(), Error> {
        let current = self.current()?;
        let order = self.published_order()?;
        let keep: BTreeSet<&String> = order.iter().rev().take(super::file::KEEP).chain(current.as_ref()).collect();
        let mut needed = BTreeSet::new();
        let mut drop = Vec::new();
        for version in self.releases()? {
            if keep.contains(&version) {
                needed.extend(self.manifest(&version)?.files.iter().map(|f| object(f).to_string()));
            } else {
                drop.push(release(&version));
            }
        }
        drop.extend(
            self.list(Some(&format!("{META}/objects")))?.into_keys().filter(|k| !needed.contains(k)).map(Key::from),
        );
        self.delete(drop)
    }
}

impl Origin for StoreReplica {
    fn current(&self) -> Result<Option<String>, Error> {
        Ok(self.live()?.map(|m| m.version))
    }

    fn manifest(&self, version: &str) -> Result<Manifest, Error> {
        let key = release(version);
        match self.read(&key)? {
            Some(bytes) => parse(&bytes, key.as_ref()),
            None => Err(Error::Publish(format!("{} keeps no release {version}", self.url))),
        }
    }

    fn releases(&self) -> Result<Vec<String>, Error> {
        let under = format!("{META}/releases/");
        Ok(self
            .list(Some(&format!("{META}/releases")))?
            .into_keys()
            .filter_map(|k| k.strip_prefix(&under).and_then(|n| n.strip_suffix(".json")).map(str::to_owned))
            .collect())
    }

    fn published_order(&self) -> Result<Vec<String>, Error> {
        let text = self.read(&Key::from(format!("{META}/history")))?.unwrap_or_default();
        let mut order: Vec<String> = Vec::new();
        for version in String::from_utf8_lossy(&text).lines().filter_map(|l| l.strip_prefix("publish ")) {
            order.retain(|v| v != version);
            order.push(version.to_owned());
        }
        Ok(order)
    }

    fn publish(&self, local: &Path, next: &Manifest, progress: &Progress) -> Result<Published, Error> {
        let previous = self.live()?;
        let plan = Plan::new(previous.as_ref(), next);
        let kept = self.releases()?.contains(&next.version);
        let again = kept && self.published_order()?.contains(&next.version);
        let uploaded = self.upload(local, next, Some(progress))?;
        if !kept {
            self.write(&release(&next.version), next.to_json(), "release.json")?;
        }
        let unfinished = self.go_live(previous.as_ref(), next, Some(progress))?;
        self.log("publish", &next.version)?;
        self.settled()?;
        let _ = self.prune();
        Ok(match (unfinished, again && uploaded == 0) {
            (true, _) => Published::Finished(plan),
            (false, true) => Published::Kept(plan),
            (false, false) => Published::Written(plan),
        })
    }

    /// Checks by listing (presence and size; `verify` reads every byte),
    /// and puts back from the store's own objects; after a go-live that
    /// did not finish, also every file a release it left files of has
    /// otherwise. Counts what the listing showed wrong (missing, another
    /// size, extra), not those copied only because a stopped go-live may
    /// have touched them.
    fn repair(&self, local: &Path, next: &Manifest) -> Result<usize, Error> {
        let served = self.served()?;
        let strays = self.strays()?;
        let wrong: Vec<&FileEntry> = next.files.iter().filter(|f| served.get(&f.path) != Some(&f.size)).collect();
        let extra: Vec<Key> = served.keys().filter(|p| next.get(p).is_none()).map(|p| Key::from(p.as_str())).collect();
        let fixed = wrong.len() + extra.len();
        let mut copy: BTreeSet<&str> = wrong.iter().map(|f| f.path.as_str()).collect();
        copy.extend(live::unsettled(Some(next), strays.as_deref(), next).iter().map(|f| f.path.as_str()));
        if !copy.is_empty() || !extra.is_empty() {
            let copy: Vec<&FileEntry> = next.files.iter().filter(|f| copy.contains(f.path.as_str())).collect();
            self.upload(local, next, None)?;
            self.place(&copy, None)?;
            self.delete(extra)?;
        }
        self.settled()?;
        Ok(fixed)
    }

    fn problems(&self, manifest: &Manifest) -> Result<Vec<Problem>, Error> {
        let served = self.served()?;
        let found: Vec<Option<Problem>> = self.runtime.block_on(
            stream::iter(&manifest.files)
                .map(|file| async move {
                    match get(&self.store, &Key::from(file.path.as_str())).await {
                        Ok(Some(b))
                            if b.len() as u64 == file.size && manifest::hex(&manifest::sha256(&b)) == file.sha256 =>
                        {
                            None
                        }
                        Ok(Some(_)) => Some(Problem::new(&file.path, "differs from its manifest entry", false)),
                        Ok(None) => Some(Problem::new(&file.path, "is missing", false)),
                        Err(e) => Some(Problem::new(
                            &file.path,
                            format!("cannot be read: {}", super::connect::explain(&e)),
                            false,
                        )),
                    }
                })
                .buffered(PARALLEL)
                .collect(),
        );
        let mut problems: Vec<Problem> = found.into_iter().flatten().collect();
        problems.extend(
            served
                .keys()
                .filter(|p| manifest.get(p).is_none())
                .map(|p| Problem::new(p, "is not in the manifest", true)),
        );
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(problems)
    }

    fn restore(&self, version: &str) -> Result<(), Error> {
        let target = self.manifest(version)?;
        let objects = self.list(Some(&format!("{META}/objects")))?;
        let lacking: Vec<Problem> = target
            .files
            .iter()
            .filter(|f| objects.get(object(f).as_ref()) != Some(&f.size))
            .map(|f| Problem::new(&f.path, "has no stored copy", false))
            .collect();
        whole(version, &lacking)?;
        self.go_live(self.live()?.as_ref(), &target, None)?;
        self.log("rollback", version)?;
        self.settled()
    }

    fn unfinished(&self) -> Result<bool, Error> {
        self.recorded()
    }
}

/// Where a file's content is kept: by its SHA-256, with its extension so
/// the object carries the content type its live copies need.
fn object(file: &FileEntry) -> Key {
    let ext = file.path.rsplit_once('/').map_or(file.path.as_str(), |(_, name)| name).rsplit_once('.').map(|(_, e)| e);
    match ext {
        Some(ext) => Key::from(format!("{META}/objects/{}.{ext}", file.sha256)),
        None => Key::from(format!("{META}/objects/{}", file.sha256)),
    }
}

fn release(version: &str) -> Key {
    Key::from(format!("{META}/releases/{version}.json"))
}

fn parse(bytes: &[u8], what: &str) -> Result<Manifest, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::Publish(format!("{what}: not a Candor manifest ({e})")))
}

async fn get(store: &Arc<dyn ObjectStore>, key: &Key) -> Result<Option<bytes::Bytes>, object_store::Error> {
    match store.get(key).await {
        Ok(found) => found.bytes().await.map(Some),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` at `key`, with the headers a website endpoint serves
/// for a file named `path`.
async fn put(store: &Arc<dyn ObjectStore>, key: &Key, bytes: Vec<u8>, path: &str) -> Result<(), object_store::Error> {
    let attributes = Attributes::from_iter([
        (Attribute::ContentType, mime::content_type(path)),
        (Attribute::CacheControl, mime::cache_control(path)),
    ]);
    let options = PutOptions { attributes, ..PutOptions::default() };
    store.put_opts(key, PutPayload::from(bytes), options).await.map(|_| ())
}
