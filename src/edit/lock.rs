//! The site's edit lock. The editing commands (`new`, `update`, `resolve`)
//! hold it from the moment they read a content file to the moment they
//! have written it back, so two commanders posting at once are served one
//! after the other: the second reads the file with the first's update in
//! it, and neither update is lost.
//!
//! The lock is an advisory lock (`flock` on Unix, `LockFileEx` on Windows)
//! on `.candor/edit.lock` under the site root. The operating system drops
//! it when the process ends, however it ends, so a killed command never
//! leaves the site locked.

use crate::error::Error;
use std::fs::{self, File, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Under the site root: the folder Candor keeps its own state in.
pub const STATE_FOLDER: &str = ".candor";

/// Opens the file a lock named `name` is taken on: `.candor/<name>` under
/// the site at `root`, or, where the site folder cannot be written (a
/// read-only checkout), its `status.toml`, opened for reading. With the
/// path, for messages.
pub fn lock_file(root: &Path, name: &str) -> Result<(File, PathBuf), Error> {
    let dir = root.join(STATE_FOLDER);
    let path = dir.join(name);
    let opened = fs::create_dir_all(&dir)
        .and_then(|()| fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path));
    match opened {
        Ok(file) => Ok((file, path)),
        Err(e) if matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => {
            let config = root.join("status.toml");
            Ok((File::open(&config).map_err(|e| Error::io(&config, e))?, config))
        }
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// How long a command waits for another to finish its edit.
const WAIT: Duration = Duration::from_secs(30);

/// The site's edit lock, held until dropped.
#[derive(Debug)]
pub struct EditLock {
    _file: File,
}

impl EditLock {
    /// Waits (up to 30 s) until no other command edits the site at `root`.
    pub fn acquire(root: &Path) -> Result<EditLock, Error> {
        Self::acquire_within(root, WAIT)
    }

    fn acquire_within(root: &Path, wait: Duration) -> Result<EditLock, Error> {
        let (file, path) = lock_file(root, "edit.lock")?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(EditLock { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::Usage(format!(
                        "another candor command has been editing this site for {} s (it holds {}): let it finish, or stop it, then run this command again",
                        wait.as_secs(),
                        path.display()
                    )))
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let first = EditLock::acquire(dir.path()).unwrap();
        let err = EditLock::acquire_within(dir.path(), Duration::from_millis(50)).unwrap_err().to_string();
        assert!(err.contains("another candor command has been editing this site"), "{err}");
        assert!(err.contains(".candor/edit.lock"), "{err}");
        drop(first);
        EditLock::acquire_within(dir.path(), Duration::from_millis(50)).expect("free once the first is dropped");
    }
}
