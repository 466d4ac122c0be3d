//! Editing content files from the command line: new incident and
//! maintenance files, updates appended, affected cells changed
//! ([`windows`]), incidents resolved.
//!
//! The front matter is edited with `toml_edit`, so the author's comments, key
//! order and formatting survive, and the Markdown body is kept byte-for-byte.
//! Every result is checked by the same reader and validator as
//! `candor check` before it is written ([`save`]); a result with errors is
//! never written, and a write replaces the file in one rename, so a reader
//! (or a crash) sees the old file or the new one, never half of one.

pub mod affects;
pub mod document;
pub mod lock;
pub mod slug;
pub mod tables;
pub mod windows;

use crate::config::Config;
use crate::content::check_file;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::lint::check_file_at;
use crate::lint::settings::LintSettings;
use crate::time::Instant;
use std::fs;
use std::io::Write;
use std::path::Path;

/// How [`save`] may treat the file already at the path.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// There must be none (a new file).
    Create,
    /// It is replaced, provided it still holds `original` (what was edited).
    Replace { original: &'a str },
}

/// What a written file is checked against: the site's config, its
/// `[lints]` settings, and the clock the command stamped.
pub struct Rules<'a> {
    pub config: &'a Config,
    pub lints: &'a LintSettings,
    pub now: Instant,
}

/// Checks `text` as the content file `rel` of the site at `root` and, when
/// it has no errors, writes it there atomically. Returns its warnings, the
/// lints' at `rules.now` included, as `candor check` would give them; its
/// errors come back as [`Error::Content`] with the file untouched.
pub fn save(root: &Path, rel: &Path, text: &str, rules: &Rules, mode: Mode) -> Result<Vec<Diagnostic>, Error> {
    let diagnostics = check_file_at(rel, text, rules.config, rules.lints, rules.now);
    if diagnostics.has_errors() {
        let mut errors = diagnostics.into_sorted();
        if let Mode::Replace { original } = mode {
            mark_errors_already_there(&mut errors, &check_file(rel, original, rules.config).into_sorted());
        }
        return Err(Error::Content(errors));
    }
    write_atomic(&root.join(rel), text.as_bytes(), mode)?;
    Ok(diagnostics.into_sorted())
}

/// Splits the warnings of an edited file into those the edit brought and
/// how many the file had before it (`before`, checked at the same clock),
/// so a command in the middle of an incident shows what it caused, not
/// the file's whole history. Warnings are told apart by code and words.
pub fn new_warnings(after: Vec<Diagnostic>, before: &[Diagnostic]) -> (Vec<Diagnostic>, usize) {
    let mut old: Vec<(Option<&str>, &str)> =
        before.iter().filter(|d| d.severity == Severity::Warning).map(|d| (d.code, d.message.as_str())).collect();
    let mut fresh = Vec::new();
    let mut older = 0;
    for d in after {
        match old.iter().position(|k| *k == (d.code, d.message.as_str())) {
            Some(i) => {
                old.swap_remove(i);
                older += 1;
            }
            None => fresh.push(d),
        }
    }
    (fresh, older)
}

/// Says of each error the file already had before the edit that it was
/// there: the command cannot fix it, the author must.
fn mark_errors_already_there(errors: &mut [Diagnostic], before: &[Diagnostic]) {
    let is_error = |d: &&Diagnostic| d.severity == Severity::Error;
    let old: Vec<&str> = before.iter().filter(is_error).map(|d| d.message.as_str()).collect();
    for d in errors.iter_mut().filter(|d| d.severity == Severity::Error && old.contains(&d.message.as_str())) {
        let note = "this was in the file before the command changed it: fix it there, then run the command again";
        d.hint = Some(match d.hint.take() {
            Some(hint) => format!("{hint}\n  note: {note}"),
            None => note.to_owned(),
        });
    }
}

/// Writes a hidden temporary file beside `path` (the loader skips hidden
/// files), flushes it to disk and renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), Error> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // As for any new file: read-write for all, less the umask.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    if let Mode::Replace { original } = mode {
        let now = fs::read(path).map_err(|e| Error::io(path, e))?;
        if now != original.as_bytes() {
            return Err(Error::Usage(format!(
                "{} changed while it was being edited, so it was left as it is: run the command again",
                path.display()
            )));
        }
        let permissions = fs::metadata(path).map_err(|e| Error::io(path, e))?.permissions();
        fs::set_permissions(tmp.path(), permissions).map_err(|e| Error::io(tmp.path(), e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(tmp.path(), e))?;
    match mode {
        Mode::Create => tmp.persist_noclobber(path).map(drop),
        Mode::Replace { .. } => tmp.persist(path).map(drop),
    }
    .map_err(|e| Error::io(path, e.error))?;
    // The rename itself is durable once the folder is flushed.
    #[cfg(unix)]
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_create_replace_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content/incidents/a.md");
        write_atomic(&path, b"one", Mode::Create).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        let err = write_atomic(&path, b"two", Mode::Create).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        write_atomic(&path, b"two", Mode::Replace { original: "one" }).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let err = write_atomic(&path, b"three", Mode::Replace { original: "one" }).unwrap_err();
        assert!(err.to_string().contains("changed while it was being edited"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_the_file_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "one").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"two", Mode::Replace { original: "one" }).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    }
}
