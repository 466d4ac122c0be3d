//! The site's publish lock: `publish` (each run, or a whole `publish
//! --every` loop) and `rollback` hold it while they change replicas, so two
//! of them never interleave their writes to one replica. A second one
//! refuses at once, saying who holds it, rather than waiting: it would
//! otherwise publish a build made before the first finished.
//!
//! Like the edit lock ([`crate::edit::lock`]) it is an advisory lock on a
//! file under `.candor/`, dropped by the operating system when the process
//! ends, however it ends. A site folder this user may not write to (a
//! read-only checkout) gets the lock on its `status.toml`, opened for
//! reading, instead.

use crate::edit::lock::lock_file;
use crate::error::Error;
use std::fs::{File, TryLockError};
use std::path::Path;

/// The site's publish lock, held until dropped.
#[derive(Debug)]
pub struct PublishLock {
    _file: File,
}

impl PublishLock {
    /// Takes the lock of the site at `root`, or says that another command
    /// holds it. `what` names the command taking it ("publish", "rollback").
    pub fn acquire(root: &Path, what: &str) -> Result<PublishLock, Error> {
        let (file, path) = lock_file(root, "publish.lock")?;
        match file.try_lock() {
            Ok(()) => Ok(PublishLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Usage(format!(
                "another candor publish or rollback is running on this site (it holds {}), so this {what} did nothing: let it finish (a `candor publish --every` runs until stopped with Ctrl-C), then run this again",
                path.display()
            ))),
            Err(TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = PublishLock::acquire(dir.path(), "publish").unwrap();
        let err = PublishLock::acquire(dir.path(), "rollback").unwrap_err().to_string();
        assert!(err.contains("another candor publish or rollback is running"), "{err}");
        assert!(err.contains(".candor/publish.lock") && err.contains("this rollback did nothing"), "{err}");
        drop(first);
        PublishLock::acquire(dir.path(), "publish").expect("free once the first is dropped");
    }
}
