//! The errors a command can end with. Content problems are a list of
//! diagnostics; everything else is one error with its context. Only
//! `main` prints them.

use crate::diagnostic::Diagnostic;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// The content has errors: nothing was written.
    Content(Vec<Diagnostic>),
    /// A file or folder could not be read or written.
    Io { path: PathBuf, source: std::io::Error },
    /// The command was asked for something it cannot do.
    Usage(String),
    /// A command named something the site does not have (a component,
    /// region, status, incident): a content error like those in files,
    /// with "did you mean", but at no place in a file.
    Unknown(String),
    /// A template (built-in or the site's own) failed.
    Template(String),
    /// Publishing, verifying or rolling back replicas stopped or found a
    /// problem: what happened, where, and what to run next.
    Publish(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.to_path_buf(), source }
    }

    /// The process exit code: 1 for content, 2 for usage and I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Template(_) | Error::Unknown(_) => 1,
            Error::Io { .. } | Error::Usage(_) | Error::Publish(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(diags) => {
                for d in diags {
                    writeln!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Usage(message) | Error::Unknown(message) | Error::Publish(message) => write!(f, "{message}"),
            Error::Template(message) => write!(f, "template error: {message}"),
        }
    }
}

impl std::error::Error for Error {}
