//! The theme: built-in templates embedded in the binary, each replaceable
//! by a file of the same name in the site's own `templates/` folder.

use crate::error::Error;
use std::path::Path;
use tera::Tera;

/// The built-in theme, by file name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("incident.html", include_str!("../../templates/incident.html")),
    ("history.html", include_str!("../../templates/history.html")),
    ("history_year.html", include_str!("../../templates/history_year.html")),
    ("history_month.html", include_str!("../../templates/history_month.html")),
    ("postmortems.html", include_str!("../../templates/postmortems.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    ("component.html", include_str!("../../templates/component.html")),
    ("region.html", include_str!("../../templates/region.html")),
    ("maintenance.html", include_str!("../../templates/maintenance.html")),
    ("maintenance_index.html", include_str!("../../templates/maintenance_index.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("credits.html", include_str!("../../templates/credits.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("age.js", include_str!("../../templates/age.js")),
];

/// Compiles the theme once: built-ins, then every file of `templates/`
/// under the site root (same name = override; new names can be included).
pub fn load(root: &Path) -> Result<Tera, Error> {
    load_with_fingerprint(root).map(|(tera, _)| tera)
}

/// [`load`], and a hash of every template's name and text as compiled,
/// for [`super::keys`]: any change to the theme changes it.
pub fn load_with_fingerprint(root: &Path) -> Result<(Tera, u64), Error> {
    let mut sources: Vec<(String, String)> = BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    let dir = root.join("templates");
    // The names of the site's own templates, for error messages.
    let mut own: Vec<String> = Vec::new();
    if dir.is_dir() {
        crate::input::inside(root, &dir).map_err(|r| r.at(&dir))?;
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            if entry.path().is_file() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let text = crate::input::read_text(root, &path).map_err(|r| r.at(&path))?;
            // Editors on Windows may begin a file with a byte-order mark;
            // kept, it would be text before `{% extends %}`, which Tera refuses.
            let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
            own.push(name.clone());
            match sources.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => sources.push((name, text)),
            }
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Tera's own escaping also turns `/` into `&#x2F;`, which makes every
    // link unreadable in the page source.
    tera.set_escape_fn(super::escape_markup);
    let fingerprint = super::keys::hash(&sources);
    tera.add_raw_templates(sources).map_err(|e| Error::Template(located(&e, &own)))?;
    Ok((tera, fingerprint))
}

/// Tera's error, led by the template's path (`templates/x.html`, or the
/// built-in's name) and the line and column where Tera gives them.
fn located(error: &tera::Error, own: &[String]) -> String {
    let text = describe(error);
    let name =
        error.to_string().strip_prefix("Failed to parse '").and_then(|rest| rest.strip_suffix('\'')).map(str::to_owned);
    let Some(name) = name else { return text };
    let place = if own.contains(&name) { format!("templates/{name}") } else { format!("built-in template {name}") };
    // The parser's report holds "--> LINE:COLUMN".
    let at = text.split_once("--> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (line.parse::<usize>().is_ok() && !column.is_empty()).then(|| format!(":{line}:{column}"))
    });
    format!("{place}{}: {text}", at.unwrap_or_default())
}

/// Tera's error with its causes, which hold the useful part.
pub fn describe(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
