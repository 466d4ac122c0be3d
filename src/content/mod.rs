//! Loading: `status.toml` and every content file, parsed in parallel into
//! the validated [`Site`], or every problem found on the way.
//!
//! Files are found in sorted order and problems are sorted by file and line,
//! so what is reported never depends on thread timing.

pub mod cache;
mod front;
pub mod frontmatter;
pub mod incident;
mod kept;
pub mod maintenance;
pub mod page;
pub mod places;
pub mod reader;
pub mod refs;
mod stamp;

use crate::config::{self, is_valid_id, suggest_id, Config};
use crate::diagnostic::{Diagnostics, SourceMap};
use crate::error::Error;
use crate::lint::settings::LintSettings;
use crate::model::{Incident, Maintenance, Page, Site};
use crate::time::Instant;
pub use cache::LoadCache;
use places::{FilePlaces, Places};
use reader::{parse_toml, FileReader};
use std::path::{Path, PathBuf};

/// What loading found: the site when nothing is wrong, and all diagnostics.
pub struct Loaded {
    pub site: Option<Site>,
    pub diagnostics: Diagnostics,
    /// How many content files were read.
    pub files: usize,
    /// Where things were written, and the lint settings, for [`crate::lint`].
    pub places: Places,
}

/// The kinds of content file, by the folder they sit in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Incident,
    Maintenance,
    Page,
}

const FOLDERS: [(&str, Kind); 3] =
    [("content/incidents", Kind::Incident), ("content/maintenance", Kind::Maintenance), ("content/pages", Kind::Page)];

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) enum Parsed {
    Incident(Box<Incident>),
    Maintenance(Maintenance),
    Page(Page),
}

/// Reads and validates the site under `root`. I/O problems (no status.toml,
/// unreadable folders) are errors; content problems are diagnostics.
pub fn load(root: &Path, now: Instant) -> Result<Loaded, Error> {
    load_with(root, now, &mut LoadCache::disabled())
}

/// [`load`], re-reading only the files that changed since the last load
/// with the same `cache` (the preview server keeps one across rebuilds).
pub fn load_with(root: &Path, now: Instant, cache: &mut LoadCache) -> Result<Loaded, Error> {
    let mut diagnostics = Diagnostics::new();
    let (text, parsed) = parse_config(root, &mut diagnostics)?;
    let Some((config, settings)) = parsed else {
        return Ok(Loaded { site: None, diagnostics, files: 0, places: Places::default() });
    };
    let mut places = Places::new(settings);

    let files = list_files(root, &mut diagnostics)?;
    shared_ids(&files, &mut diagnostics);
    cache.config_is(&text);
    let results = cache.files(
        root,
        &files,
        |rel| read_file(root, rel),
        |kind, rel, bytes| parse_bytes(kind, rel, bytes, &config),
    );

    let count = files.len();
    let (mut incidents, mut maintenance, mut pages) = (Vec::new(), Vec::new(), Vec::new());
    for ((_, rel), (parsed, file_places, diags)) in files.iter().zip(results) {
        diagnostics.extend(diags);
        if let Some(p) = file_places {
            places.insert(rel.clone(), p);
        }
        match parsed {
            Some(Parsed::Incident(i)) => incidents.push(*i),
            Some(Parsed::Maintenance(m)) => maintenance.push(m),
            Some(Parsed::Page(p)) => pages.push(p),
            None => {}
        }
    }
    // Warnings with a code are silenced where `allow` says so.
    diagnostics.retain(|d| !d.code.is_some_and(|code| places.allows(&d.path, code)));
    if diagnostics.has_errors() {
        return Ok(Loaded { site: None, diagnostics, files: count, places });
    }
    incidents.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.id.cmp(&b.id)));
    maintenance.sort_by(|a, b| a.scheduled_start.cmp(&b.scheduled_start).then_with(|| a.id.cmp(&b.id)));
    pages.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    let site = Site::new(config, incidents, maintenance, pages, now);
    Ok(Loaded { site: Some(site), diagnostics, files: count, places })
}

/// Reads `status.toml` under `root`: its text, and the config with the
/// lint settings, `None` when it has errors (in `diagnostics`).
fn parse_config(root: &Path, diagnostics: &mut Diagnostics) -> Result<(String, Option<(Config, LintSettings)>), Error> {
    let config_path = root.join("status.toml");
    let bytes = crate::input::read(root, &config_path).map_err(|refused| match refused {
        crate::input::Refused::Io(e) if e.kind() == std::io::ErrorKind::NotFound => Error::Usage(format!(
            "no status.toml in {}: run candor in a site's folder, pass --root, or create a site with `candor init DIR`",
            display_dir(root)
        )),
        refused => refused.at(&config_path),
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            not_utf8(Path::new("status.toml"), e.as_bytes(), e.utf8_error(), diagnostics);
            return Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), None));
        }
    };
    let map = SourceMap::new("status.toml", &text, 0);
    let parsed = config::parse_with_lints(&map, &text, diagnostics);
    Ok((text, parsed))
}

/// The site's validated `status.toml`, or its problems as [`Error::Content`].
pub fn read_config(root: &Path) -> Result<Config, Error> {
    read_config_and_lints(root).map(|(config, _)| config)
}

/// [`read_config`], with the lint settings of its `[lints]` table.
pub fn read_config_and_lints(root: &Path) -> Result<(Config, LintSettings), Error> {
    let mut diagnostics = Diagnostics::new();
    match parse_config(root, &mut diagnostics)?.1 {
        Some(parsed) if !diagnostics.has_errors() => Ok(parsed),
        _ => Err(Error::Content(diagnostics.into_sorted())),
    }
}

/// Checks the text of one content file exactly as [`load`] would: `rel` is
/// its path under the site root, whose folder says its kind and whose name
/// is its id. Returns every problem found (warnings too).
pub fn check_file(rel: &Path, text: &str, config: &Config) -> Diagnostics {
    check_file_parsed(rel, text, config).0
}

/// [`check_file`], with what the file holds when it has no errors and where
/// things were written in it, for the lints ([`crate::lint::check_file_at`]).
pub(crate) fn check_file_parsed(
    rel: &Path,
    text: &str,
    config: &Config,
) -> (Diagnostics, Option<Parsed>, Option<FilePlaces>) {
    let mut diags = Diagnostics::new();
    match kind_of(rel) {
        Some(kind) => {
            let (parsed, places) = parse_file(kind, rel, text, config, &mut diags);
            (diags, parsed, places)
        }
        None => {
            diags
                .file_error(rel, "not in a content folder, so it is not published")
                .hint("content files live in content/incidents, content/maintenance or content/pages");
            (diags, None, None)
        }
    }
}

/// The kind of content file at `rel` (under the site root), by its folder.
fn kind_of(rel: &Path) -> Option<Kind> {
    let folder = rel.parent().unwrap_or(Path::new(""));
    FOLDERS.iter().find(|(f, _)| Path::new(f) == folder).map(|(_, kind)| *kind)
}

fn display_dir(root: &Path) -> String {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        "the current folder".into()
    } else {
        root.display().to_string()
    }
}

/// Whether a file name is an editor's or a tool's scratch file, never
/// content: hidden files (vim's `.x.swp`, emacs's `.#x`, atomic-save
/// temporaries), emacs autosaves `#x#`, backups `x~`, vim's `4913` probe,
/// and `.swp`, `.swx`, `.tmp`, `.bak`, `.orig` files. Loading skips them
/// and the preview server does not rebuild for them.
pub fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".bak", ".orig"].iter().any(|e| name.ends_with(e))
}

/// Every `.md` file of the content folders, sorted, as paths relative to
/// `root`. Other files are reported as warnings (a `.markdown` file that
/// silently did not publish is worse than a warning).
fn list_files(root: &Path, diags: &mut Diagnostics) -> Result<Vec<(Kind, PathBuf)>, Error> {
    let mut out = Vec::new();
    for (folder, kind) in FOLDERS {
        let dir = root.join(folder);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&dir, e)),
        };
        if let Err(refused) = crate::input::inside(root, &dir) {
            diags.file_error(Path::new(folder), refused.to_string()).hint(refused.hint());
            continue;
        }
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        for name in names {
            let rel = Path::new(folder).join(&name);
            if is_scratch(&name) {
                continue;
            }
            if root.join(&rel).is_dir() {
                diags
                    .file_warning(&rel, "folders inside content folders are not read")
                    .hint("move its files up one level");
                continue;
            }
            if !name.ends_with(".md") {
                diags
                    .file_warning(&rel, "not a .md file, so it is not published")
                    .hint("rename it to end in .md, or move it out of the content folder");
                continue;
            }
            out.push((kind, rel));
        }
    }
    Ok(out)
}

/// An incident and a maintenance are named by their id in the API, the
/// feeds and the calendar alike, so one id names one of them: each file of
/// a pair that shares it gets an error naming the other.
fn shared_ids(files: &[(Kind, PathBuf)], diags: &mut Diagnostics) {
    let stem = |rel: &Path| rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let incidents: std::collections::HashMap<String, &Path> =
        files.iter().filter(|(kind, _)| *kind == Kind::Incident).map(|(_, rel)| (stem(rel), rel.as_path())).collect();
    for (_, rel) in files.iter().filter(|(kind, _)| *kind == Kind::Maintenance) {
        let id = stem(rel);
        let Some(incident) = incidents.get(&id) else { continue };
        for (here, other, kind) in [(*incident, rel.as_path(), "maintenance"), (rel.as_path(), *incident, "incident")] {
            diags
                .file_error(here, format!("the id \"{id}\" is also the {kind} {}", other.display()))
                .hint("incidents and maintenance share one set of ids (in links, feeds and the API): rename one file");
        }
    }
}

/// The bytes of the content file at `rel`, or why they cannot be read.
fn read_file(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostics> {
    crate::input::read(root, &root.join(rel)).map_err(|refused| {
        let mut diags = Diagnostics::new();
        diags.file_error(rel, refused.to_string()).hint(refused.hint());
        diags
    })
}

/// Parses and checks the bytes of one file.
fn parse_bytes(kind: Kind, rel: &Path, bytes: Vec<u8>, config: &Config) -> cache::Outcome {
    let mut diags = Diagnostics::new();
    let (parsed, places) = match String::from_utf8(bytes) {
        Ok(text) => parse_file(kind, rel, &text, config, &mut diags),
        Err(e) => {
            not_utf8(rel, e.as_bytes(), e.utf8_error(), &mut diags);
            (None, None)
        }
    };
    (parsed, places, diags)
}

/// A file that is not UTF-8: an error at its first invalid byte, by line
/// and column (columns counted in the characters before it on its line).
fn not_utf8(rel: &Path, bytes: &[u8], error: std::str::Utf8Error, diags: &mut Diagnostics) {
    let at = error.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let map = SourceMap::new(rel, valid, 0);
    let width = error.error_len().unwrap_or(bytes.len() - at);
    let shown: Vec<String> = bytes[at..at + width].iter().map(|b| format!("0x{b:02X}")).collect();
    diags.error(&map, at..at, format!("not UTF-8 text: the byte sequence {} is no character", shown.join(" "))).hint(
        "save the file as UTF-8 (text pasted from another encoding, such as Latin-1 or Windows-1252, often does this)",
    );
}

/// Parses and checks one file; also returns where things were written in
/// it, for the lints (whenever it could be read far enough).
fn parse_file(
    kind: Kind,
    rel: &Path,
    text: &str,
    config: &Config,
    diags: &mut Diagnostics,
) -> (Option<Parsed>, Option<FilePlaces>) {
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if !is_valid_id(&stem) {
        diags
            .file_error(rel, format!("the file name \"{stem}\" is its id and may only hold a-z, 0-9 and -"))
            .hint(format!("rename the file to {}.md", suggest_id(&stem)));
    }
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err((message, hint)) => {
            diags.file_error(rel, message).hint(hint);
            return (None, None);
        }
    };
    let map = SourceMap::new(rel, text, split.front_matter_start);
    let Some((root, reported)) = parse_toml(split.front_matter, &map, diags) else { return (None, None) };
    let mut r = FileReader::new(&map, diags, config.timezone, reported);
    let body_offset = text.len() - split.body.len() - split.front_matter_start;
    let body = r.body(split.body, body_offset);
    let (parsed, places) = match kind {
        Kind::Incident => match incident::parse(&mut r, root.get_ref(), &stem, &body, config) {
            Some((inc, spans)) => {
                let ok = crate::validate::incident(&mut r, &inc, &spans, config.timezone);
                let places = FilePlaces::incident(&map, &spans, std::mem::take(&mut r.times));
                (ok.then(|| Parsed::Incident(Box::new(inc))), Some(places))
            }
            None => (None, None),
        },
        Kind::Maintenance => match maintenance::parse(&mut r, root.get_ref(), &stem, &body, config) {
            Some((m, spans)) => {
                let ok = crate::validate::maintenance(&mut r, &m, &spans, config.timezone);
                let places = FilePlaces::maintenance(&map, &spans, std::mem::take(&mut r.times));
                (ok.then_some(Parsed::Maintenance(m)), Some(places))
            }
            None => (None, None),
        },
        Kind::Page => (page::parse(&mut r, root.get_ref(), &stem, &body).map(Parsed::Page), None),
    };
    (parsed.filter(|_| !diags.has_errors()), places)
}
