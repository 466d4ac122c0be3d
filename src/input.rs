//! Reading the site's own files (`status.toml`, content, templates,
//! `static/`): regular files only, at most [`MAX_BYTES`], and never through
//! a symbolic link that leads outside the site.
//!
//! A named pipe would block a build forever, `/dev/zero` would read until
//! memory runs out, and a link to `/etc/...` would publish a file nobody
//! meant to: each is refused with what it is and what to do.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest file the site may hold: far above any incident or template.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Why a file of the site was not read.
#[derive(Debug)]
pub enum Refused {
    /// Not a regular file: a named pipe, a device, a socket, a folder.
    NotAFile(&'static str),
    /// Larger than [`MAX_BYTES`].
    TooLarge(u64),
    /// A symbolic link (itself or a folder on its way) leading outside the
    /// site, to this path.
    Outside(PathBuf),
    Io(io::Error),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NotAFile(what) => write!(f, "this is {what}, not a regular file, so it is not read"),
            Refused::TooLarge(len) => write!(
                f,
                "this file is {:.1} MiB, above the {} MiB a site's file may be, so it is not read",
                *len as f64 / (1 << 20) as f64,
                MAX_BYTES >> 20
            ),
            Refused::Outside(to) => {
                write!(f, "this is a symbolic link to {}, outside the site, so it is not read", to.display())
            }
            Refused::Io(e) => write!(f, "cannot read this file: {e}"),
        }
    }
}

impl Refused {
    /// What the author can do.
    pub fn hint(&self) -> &'static str {
        match self {
            Refused::NotAFile(_) => "replace it with a regular file, or move it out of the site",
            Refused::TooLarge(_) => "split it, or move large assets out of the site",
            Refused::Outside(_) => "copy the file into the site instead of linking to it",
            Refused::Io(_) => "check its permissions and that it is a regular file",
        }
    }
}

impl Refused {
    /// As the error of a command, naming the file `path`.
    pub fn at(self, path: &Path) -> crate::error::Error {
        crate::error::Error::Usage(format!("{}: {self}\n  hint: {}", path.display(), self.hint()))
    }
}

/// Whether `path` lies inside `root` once every link on the way is
/// resolved. The readers check each folder they read once with this, and
/// [`read`] each file that is itself a link.
pub fn inside(root: &Path, path: &Path) -> Result<(), Refused> {
    let real = path.canonicalize().map_err(Refused::Io)?;
    let root = root.canonicalize().map_err(Refused::Io)?;
    match real.starts_with(&root) {
        true => Ok(()),
        false => Err(Refused::Outside(real)),
    }
}

/// Reads the file at `path`, in a folder of `root` already found
/// [`inside`] it; a link must lead inside `root` too.
pub fn read(root: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
    if fs::symlink_metadata(path).map_err(Refused::Io)?.file_type().is_symlink() {
        inside(root, path)?;
    }
    let file = open(path).map_err(Refused::Io)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind_of(&meta)));
    }
    if meta.len() > MAX_BYTES {
        return Err(Refused::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read is still cut at the limit.
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Refused::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text; invalid UTF-8 is an I/O error naming the first
/// bad byte's line and column.
pub fn read_text(root: &Path, path: &Path) -> Result<String, Refused> {
    let bytes = read(root, path)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Refused::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is not UTF-8 text: the byte at line {line}, column {column} is not valid UTF-8"),
        ))
    })
}

/// Opens without blocking on a named pipe (whose open waits for a writer).
fn open(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "hello").unwrap();
        assert_eq!(read(dir.path(), &dir.path().join("a.md")).unwrap(), b"hello");
        assert!(matches!(read(dir.path(), dir.path()), Err(Refused::NotAFile("a folder"))));
    }

    #[test]
    fn refuses_what_is_too_large_before_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let big = fs::File::create(dir.path().join("big.md")).unwrap();
        big.set_len(MAX_BYTES + 1).unwrap();
        let err = read(dir.path(), &dir.path().join("big.md")).unwrap_err();
        assert!(matches!(err, Refused::TooLarge(_)), "{err}");
        assert!(err.to_string().contains("above the 10 MiB"), "{err}");
    }

    #[test]
    fn names_the_line_of_a_byte_that_is_not_utf8() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), b"one\ntwo\nth\xffree\n").unwrap();
        let err = read_text(dir.path(), &dir.path().join("a.md")).unwrap_err().to_string();
        assert!(err.contains("line 3, column 3"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_pipes_devices_and_links_out_of_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir(&site).unwrap();
        let fifo = site.join("pipe.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid path; mkfifo only creates the pipe.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = read(&site, &fifo).unwrap_err();
        assert!(err.to_string().contains("a named pipe"), "{err}");

        std::os::unix::fs::symlink("/dev/zero", site.join("zero.md")).unwrap();
        let err = read(&site, &site.join("zero.md")).unwrap_err();
        assert!(matches!(err, Refused::Outside(_)), "{err}");

        fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("secret.md")).unwrap();
        let err = read(&site, &site.join("secret.md")).unwrap_err().to_string();
        assert!(err.contains("symbolic link to") && err.contains("outside the site"), "{err}");

        let outside = dir.path().join("elsewhere");
        fs::create_dir(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("linked")).unwrap();
        assert!(matches!(inside(&site, &site.join("linked")), Err(Refused::Outside(_))));
        assert!(inside(&site, &site).is_ok());

        fs::write(site.join("real.md"), "inside").unwrap();
        std::os::unix::fs::symlink(site.join("real.md"), site.join("alias.md")).unwrap();
        assert_eq!(read(&site, &site.join("alias.md")).unwrap(), b"inside", "links within the site are fine");
    }
}
