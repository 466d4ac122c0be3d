//! The text of an update: `--message`, else standard input when it is not
//! a terminal (`echo ... | candor update ...`), else an editor
//! (`$VISUAL`, then `$EDITOR`) on a temporary file.

use crate::error::Error;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// Where the message comes from when `--message` is not given.
#[derive(Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    /// The editor command, as the user set it (it may hold arguments).
    Editor(String),
}

/// Standard input if piped, else the first editor set; an error when
/// there is a terminal and no editor.
pub fn source(stdin_is_terminal: bool, visual: Option<String>, editor: Option<String>) -> Result<Source, Error> {
    if !stdin_is_terminal {
        return Ok(Source::Stdin);
    }
    match [visual, editor].into_iter().flatten().find(|e| !e.trim().is_empty()) {
        Some(command) => Ok(Source::Editor(command)),
        None => Err(Error::Usage(
            "no message: give --message TEXT, pipe the text to standard input, or set $VISUAL or $EDITOR to write it in an editor"
                .into(),
        )),
    }
}

/// The message, from `given` or else as [`source`] says; surrounding blank
/// space removed. An empty message is an error: nothing is posted.
pub fn obtain(given: Option<String>) -> Result<String, Error> {
    let text = match given {
        Some(text) => text,
        None => {
            let from =
                source(std::io::stdin().is_terminal(), std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())?;
            read(&from)?
        }
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::Usage("the message is empty: say what customers should know".into()));
    }
    Ok(text.to_owned())
}

fn read(from: &Source) -> Result<String, Error> {
    match from {
        Source::Stdin => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::Usage(format!("cannot read the message from standard input: {e}")))?;
            Ok(text)
        }
        Source::Editor(command) => edit(command),
    }
}

/// Opens `command` on an empty temporary `.md` file and returns what was saved.
pub fn edit(command: &str) -> Result<String, Error> {
    let file = tempfile::Builder::new()
        .prefix("candor-message-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    run_editor(command, file.path())?;
    std::fs::read_to_string(file.path()).map_err(|e| Error::io(file.path(), e))
}

/// Runs the editor through the shell, as git does, so `EDITOR="code --wait"` works.
fn run_editor(command: &str, path: &Path) -> Result<(), Error> {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("editor")
        .arg(path)
        .status()
        .map_err(|e| Error::Usage(format!("cannot start the editor `{command}`: {e}")))?;
    if !status.success() {
        return Err(Error::Usage(format!("the editor `{command}` failed ({status})")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piped_input_wins_then_visual_then_editor() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(source(false, some("vim"), None).unwrap(), Source::Stdin);
        assert_eq!(source(true, some("code --wait"), some("vi")).unwrap(), Source::Editor("code --wait".into()));
        assert_eq!(source(true, some(" "), some("nano")).unwrap(), Source::Editor("nano".into()));
        let err = source(true, None, None).unwrap_err().to_string();
        assert!(err.contains("give --message TEXT, pipe the text to standard input, or set $VISUAL or $EDITOR"));
    }

    #[cfg(unix)]
    #[test]
    fn the_editor_writes_the_message() {
        // An "editor" that appends a line to the file it is given.
        let text = edit("printf 'Fixed in *all* regions\\n' >>").unwrap();
        assert_eq!(text, "Fixed in *all* regions\n");
        let err = edit("false").unwrap_err().to_string();
        assert!(err.contains("the editor `false` failed"), "{err}");
    }

    #[test]
    fn given_messages_are_trimmed_and_must_say_something() {
        assert_eq!(obtain(Some("\n  We are on it.\n\n".into())).unwrap(), "We are on it.");
        assert!(obtain(Some(" \n".into())).unwrap_err().to_string().contains("the message is empty"));
    }
}
