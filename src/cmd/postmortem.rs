//! `candor postmortem ID`: adds a draft `[postmortem]` to a resolved (or
//! open) incident, for the team to fill in. The draft has every part the
//! format knows, empty, and no `published` time: until one is added it is
//! shown nowhere, and `candor check` refuses to publish it while a part
//! is still empty.

use super::edited::{shown, Edited};
use super::opened::{edit_with_message, INCIDENT, MAINTENANCE};
use super::stamp::Stamp;
use crate::edit::document::local_datetime;
use crate::error::Error;
use std::path::PathBuf;
use toml_edit::DocumentMut;

/// `candor postmortem ID ...`
pub struct NewPostmortem {
    pub root: PathBuf,
    /// Checks the file at this time, and dates the `published` example.
    pub now: Stamp,
    /// The incident's id, or a path to its file.
    pub id: String,
}

/// The action-item sections, in the format's order, with what each is for.
const SECTIONS: [(&str, &str); 4] = [
    ("prevention", "what keeps it from happening again"),
    ("detection", "how we notice sooner"),
    ("response", "how we act and tell customers faster"),
    ("recovery", "how we restore service faster"),
];

/// The draft's text, appended to the front matter. `published` (an
/// example time) is commented out.
fn skeleton(published: &str) -> String {
    let mut text = format!(
        "\n[postmortem]\n\
         # A draft: shown nowhere until it has a `published` time. Fill in every\n\
         # part (remove the optional ones you do not need), then publish it by\n\
         # uncommenting this line, with the time you publish:\n\
         # published = {published}\n\
         summary = \"\"     # what happened, for customers (Markdown)\n\
         root_cause = \"\"  # why it happened (Markdown)\n\
         trigger = \"\"     # optional: what set it off (Markdown)\n\
         went_well = []   # optional: plain sentences\n\
         went_wrong = []  # optional: plain sentences\n"
    );
    for (section, what) in SECTIONS {
        text.push_str(&format!(
            "\n# {what}\n[[postmortem.{section}]]\ntitle = \"\"\nstatus = \"planned\"  # planned | in_progress | done\nbody = \"\"    # optional (Markdown); also owner = \"...\", due = 2026-06-30\n"
        ));
    }
    text
}

/// Adds the draft to the incident `id`, under the site's edit lock, checked
/// as `candor check` would.
pub fn add_postmortem(opts: NewPostmortem) -> Result<Edited, Error> {
    let root = opts.root.clone();
    edit_with_message(&opts.root, &opts.id, &[INCIDENT, MAINTENANCE], &opts.now, (None, false), |file, now, _| {
        let id = file.id.clone();
        let path = shown(&root, &file.rel);
        if file.kind == MAINTENANCE {
            return Err(Error::Usage(format!(
                "{id} is a maintenance: postmortems are for incidents; say how the work went in an update (`candor update {id} --status completed`)"
            )));
        }
        if let Some(pm) = file.doc.front.get("postmortem") {
            let state = match pm.get("published") {
                Some(_) => "a published postmortem",
                None => "a draft postmortem (not published yet)",
            };
            return Err(Error::Usage(format!(
                "incident {id} already has {state}: edit its [postmortem] in {}",
                path.display()
            )));
        }
        let mut front = file.doc.front.to_string();
        if !front.is_empty() && !front.ends_with('\n') {
            front.push('\n');
        }
        let published = local_datetime(now, file.zone);
        front.push_str(&skeleton(&published.to_string()));
        file.doc.front = front.parse::<DocumentMut>().map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        let open = if file.doc.front.contains_key("resolved") { "" } else { " (it is still open)" };
        Ok((
            "updated",
            format!(
                "incident {id}{open}: draft postmortem added; fill in its parts, then publish it with `published = {published}` (the time you publish) in its [postmortem]"
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skeleton_is_toml_with_every_section() {
        let doc: DocumentMut = skeleton("2026-12-09T12:00:00Z").parse().unwrap();
        let pm = doc["postmortem"].as_table().unwrap();
        assert!(pm.get("published").is_none(), "a skeleton is a draft");
        for key in ["summary", "root_cause", "trigger", "went_well", "went_wrong"] {
            assert!(pm.contains_key(key), "{key}");
        }
        for (section, _) in SECTIONS {
            assert_eq!(pm[section].as_array_of_tables().unwrap().len(), 1, "{section}");
        }
    }
}
