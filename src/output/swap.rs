//! Putting a finished output in place, so that the output folder exists at
//! every moment: on Linux one atomic exchange of the new folder with the
//! old (`renameat2(RENAME_EXCHANGE)`), elsewhere (or on a file system
//! without it) two renames. And sweeping up the folders that builds killed
//! half-way left beside the output.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Swaps the folders `new` and `target`, both existing, in one step: after
/// it, `target` holds what `new` held and `new` the old output. Falls back
/// to two renames (with a moment without `target`) where the system cannot
/// exchange; `aside` is the name the old output goes to then, and what is
/// returned is where the old output ends up.
pub fn exchange(new: &Path, target: &Path, aside: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    match exchange_atomically(new, target) {
        Ok(()) => return Ok(new.to_path_buf()),
        // Not supported by this kernel or file system: rename instead.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP)) => {}
        Err(e) => return Err(e),
    }
    if aside.exists() {
        fs::remove_dir_all(aside)?;
    }
    fs::rename(target, aside)?;
    if let Err(e) = fs::rename(new, target) {
        let _ = fs::rename(aside, target);
        return Err(e);
    }
    Ok(aside.to_path_buf())
}

#[cfg(target_os = "linux")]
fn exchange_atomically(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput));
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The staging and set-aside folders of builds of `target` that are no
/// longer running (`.<name>.candor-new-<pid>`, `.<name>.candor-old-<pid>`
/// beside it), oldest builds' and ours alike.
pub fn leftovers(target: &Path, ours: u32) -> Vec<PathBuf> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = super::file_name(target);
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| {
            let file = entry.file_name();
            let Some(file) = file.to_str() else { return false };
            let pid = [".candor-new-", ".candor-old-"].iter().find_map(|infix| {
                file.strip_prefix('.')?.strip_prefix(name.as_str())?.strip_prefix(infix)?.parse::<u32>().ok()
            });
            match pid {
                Some(pid) => pid == ours || !is_running(pid),
                None => false,
            }
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

/// Whether a process with this id runs (another build, maybe). Where that
/// cannot be told, it is assumed to run, so its folder is left alone.
fn is_running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
        // SAFETY: signal 0 only checks that the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (new, target, aside) = (dir.path().join("new"), dir.path().join("site"), dir.path().join("aside"));
        fs::create_dir(&new).unwrap();
        fs::create_dir(&target).unwrap();
        fs::write(new.join("index.html"), "new").unwrap();
        fs::write(target.join("index.html"), "old").unwrap();
        let old = exchange(&new, &target, &aside).unwrap();
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(old.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn leftovers_are_those_of_builds_that_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        let running = std::process::id();
        // Process ids are below 2^22 on Linux; this one cannot run.
        let dead = 4_194_304 + 17;
        for name in [
            format!(".site.candor-new-{dead}"),
            format!(".site.candor-old-{dead}"),
            format!(".site.candor-new-{running}"),
            format!(".other.candor-new-{dead}"),
            format!(".site.candor-new-x{dead}"),
            "site".to_owned(),
        ] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        let names: Vec<String> =
            leftovers(&target, 1).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, [format!(".site.candor-new-{dead}"), format!(".site.candor-old-{dead}")]);
        assert_eq!(leftovers(&target, running).len(), 3, "our own are leftovers too");
    }
}
