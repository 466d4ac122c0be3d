//! A content file read for editing (`update`, `resolve`), and finding it
//! by the id or path the user gave.

use super::edited::{shown, Edited};
use super::message;
use super::stamp::Stamp;
use crate::config::Config;
use crate::content::{check_file, read_config_and_lints};
use crate::diagnostic::did_you_mean;
use crate::edit::document::Document;
use crate::edit::lock::EditLock;
use crate::edit::tables::tables_mut;
use crate::edit::{new_warnings, save, Mode, Rules};
use crate::error::Error;
use crate::lint::check_file_at;
use crate::lint::settings::LintSettings;
use crate::time::{resolve, Instant};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};

/// A kind of content file the editing commands change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// Under the site root.
    pub folder: &'static str,
    /// "incident", "maintenance".
    pub noun: &'static str,
}

pub const INCIDENT: Kind = Kind { folder: super::incident::FOLDER, noun: "incident" };
pub const MAINTENANCE: Kind = Kind { folder: super::maintenance::FOLDER, noun: "maintenance" };

/// A content file read for editing, with the site's rules to check it by.
pub struct Opened {
    pub kind: Kind,
    pub config: Config,
    pub lints: LintSettings,
    /// Under the site root.
    pub rel: PathBuf,
    pub id: String,
    /// The file as read; it is replaced only if it still holds this.
    pub original: String,
    pub doc: Document,
    /// The zone the file's local times are read in (its own, else the site's).
    pub zone: Tz,
}

impl Opened {
    /// Opens the file `id` names (an id or a path), of one of `kinds`.
    pub fn open(root: &Path, id: &str, kinds: &[Kind]) -> Result<Opened, Error> {
        let (config, lints) = read_config_and_lints(root)?;
        let (kind, rel, id) = locate(root, id, kinds)?;
        let path = root.join(&rel);
        let original = crate::input::read_text(root, &path).map_err(|r| r.at(&path))?;
        let doc = Document::parse(&original).map_err(|reason| {
            // `check` explains a broken file best, with its line and a hint.
            let found = check_file(&rel, &original, &config);
            if found.has_errors() {
                Error::Content(found.into_sorted())
            } else {
                Error::Usage(format!("{}: {reason}", rel.display()))
            }
        })?;
        let zone = doc.zone(config.timezone);
        Ok(Opened { kind, config, lints, rel, id, original, doc, zone })
    }

    pub fn instant(&self, key: &str) -> Option<Instant> {
        resolve(self.doc.front.get(key)?.as_datetime()?, self.zone).ok()
    }

    /// The time of the last `[[updates]]`.
    pub fn last_update_at(&mut self) -> Option<Instant> {
        let zone = self.zone;
        let updates = self.doc.front.get_mut("updates")?;
        let last = tables_mut(updates).pop()?;
        resolve(last.get("at")?.as_datetime()?, zone).ok()
    }

    /// The status of the last `[[updates]]`.
    pub fn last_status(&mut self) -> Option<String> {
        let updates = self.doc.front.get_mut("updates")?;
        let last = tables_mut(updates).pop()?;
        last.get("status")?.as_str().map(str::to_owned)
    }

    /// Checks the edited file (lints at `now` included) and writes it.
    pub fn save(self, root: &Path, now: Instant, verb: &'static str, summary: String) -> Result<Edited, Error> {
        let text = self.doc.render();
        let rules = Rules { config: &self.config, lints: &self.lints, now };
        let after = save(root, &self.rel, &text, &rules, Mode::Replace { original: &self.original })?;
        let before = check_file_at(&self.rel, &self.original, &self.config, &self.lints, now).into_sorted();
        let (warnings, older_warnings) = new_warnings(after, &before);
        Ok(Edited { verb, path: shown(root, &self.rel), summary, warnings, older_warnings, notes: Vec::new() })
    }
}

/// What an edit of an existing file says it did: its verb and summary.
pub type Done = (&'static str, String);

/// Edits the file `id` names (of one of `kinds`), with a message when one
/// is given or `needs_message`, so that no concurrent command loses its
/// update.
///
/// `edit` runs twice. First on the file as it is, without the message, so
/// that every mistake is refused before the message is asked for (an
/// editor may be opened for it). Then, holding the site's edit lock
/// ([`EditLock`]), on the file read again (another command may have
/// written it meanwhile), stamped then, with the message; the result is
/// checked and written before the lock is let go. Without a message `edit`
/// changes the file without posting an update.
pub fn edit_with_message(
    root: &Path,
    id: &str,
    kinds: &[Kind],
    stamp: &Stamp,
    (message, needs_message): (Option<String>, bool),
    edit: impl Fn(&mut Opened, Instant, Option<&str>) -> Result<Done, Error>,
) -> Result<Edited, Error> {
    let mut draft = Opened::open(root, id, kinds)?;
    let clock = stamp.in_zone(draft.config.timezone)?;
    edit(&mut draft, clock.now(), None)?;
    let message = match (message, needs_message) {
        (None, false) => None,
        (given, _) => Some(message::obtain(given)?),
    };
    let _lock = EditLock::acquire(root)?;
    let mut file = Opened::open(root, id, kinds)?;
    let now = clock.now_after(file.last_update_at());
    let (verb, summary) = edit(&mut file, now, message.as_deref())?;
    let mut edited = file.save(root, now, verb, summary)?;
    edited.notes.extend(clock.note);
    Ok(edited)
}

/// The file `id` names among `kinds`: an id (a file name without `.md`) or
/// the path of a `.md` file in one of their folders. Returns its kind, its
/// path under the root and its id.
fn locate(root: &Path, id: &str, kinds: &[Kind]) -> Result<(Kind, PathBuf, String), Error> {
    let nouns = kinds.iter().map(|k| k.noun).collect::<Vec<_>>().join(" or ");
    // Ids hold no dots or slashes, so anything with one is a path.
    if id.contains(['.', '/', std::path::MAIN_SEPARATOR]) {
        let path = Path::new(id);
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let kind = kinds.iter().find(|k| match (parent.canonicalize(), root.join(k.folder).canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        });
        return match kind {
            Some(kind) if path.extension().is_some_and(|e| e == "md") => {
                let rel = Path::new(kind.folder).join(format!("{stem}.md"));
                match root.join(&rel).is_file() {
                    true => Ok((*kind, rel, stem)),
                    false => Err(Error::Usage(format!("no {} {stem}: {id} does not exist", kind.noun))),
                }
            }
            _ => Err(Error::Usage(format!(
                "{id} is not {} {nouns} file of the site: give its id (the file name without .md) or the path of a .md file in {}",
                article(&nouns),
                kinds.iter().map(|k| shown(root, Path::new(k.folder)).display().to_string()).collect::<Vec<_>>().join(" or ")
            ))),
        };
    }
    let found: Vec<&Kind> = kinds.iter().filter(|k| root.join(k.folder).join(format!("{id}.md")).is_file()).collect();
    match found[..] {
        [kind] => Ok((*kind, Path::new(kind.folder).join(format!("{id}.md")), id.to_owned())),
        [first, second, ..] => Err(Error::Usage(format!(
            "both {} {} and {} {} are called {id}: give the path of the file you mean, e.g. {}",
            article(first.noun),
            first.noun,
            article(second.noun),
            second.noun,
            shown(root, &Path::new(first.folder).join(format!("{id}.md"))).display()
        ))),
        [] => {
            let known: Vec<String> = kinds.iter().flat_map(|k| ids_in(&root.join(k.folder))).collect();
            let hint = match did_you_mean(id, known.iter().map(String::as_str)) {
                Some(near) => format!("did you mean {near}?"),
                None => format!(
                    "they are the .md files in {}",
                    kinds
                        .iter()
                        .map(|k| shown(root, Path::new(k.folder)).display().to_string())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            };
            Err(Error::Unknown(format!("no {nouns} {id}: {hint}")))
        }
    }
}

/// The ids of the `.md` files in `folder`.
fn ids_in(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries.filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".md").map(str::to_owned)).collect()
        })
        .unwrap_or_default()
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
