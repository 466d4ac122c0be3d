//! How every content file's front matter starts, read one way for incidents
//! and maintenance alike: its table of known keys, its own `timezone` and
//! its `allow` list. An unknown zone is reported and the rest is still read
//! (in the site's zone), so that every other mistake of the file shows too.

use super::reader::{FileReader, Key, Table};
use toml::de::DeTable;

/// Opens the front matter's `root` table (of a `what`, with `keys`), sets
/// the reader's zone from the file's `timezone`, and reads `allow`.
pub(super) fn open<'t, 'i>(
    r: &mut FileReader,
    root: &'t DeTable<'i>,
    what: &str,
    keys: &'static [Key],
) -> (Table<'t, 'i>, Vec<String>) {
    let top = r.table(root, 0..0, what, keys);
    if let Some(zone) = top.has("timezone").then(|| crate::config::zone(r, &top, "timezone")).flatten() {
        r.zone = zone;
    }
    let allow = crate::lint::settings::allow_list(r, &top);
    (top, allow)
}
