//! Reads a free page (about, SLA text, ...) into a [`model::Page`].

use super::reader::{FileReader, Key};
use crate::model::Page;
use toml::de::DeTable;

const PAGE: &[Key] = &[
    Key::req("title", "title = \"About this page\""),
    Key::opt("description", "description = \"...\""),
    Key::opt("order", "order = 1"),
];

pub fn parse(r: &mut FileReader, root: &DeTable, id: &str, body: &str) -> Option<Page> {
    let top = r.table(root, 0..0, "a page's front matter", PAGE);
    let title = r.text(&top, "title");
    let description = r.text(&top, "description").map(|d| d.value);
    let order = r.integer(&top, "order").map(|o| o.value).unwrap_or(0);
    Some(Page {
        id: id.to_owned(),
        source: r.map.path.clone(),
        title: title?.value,
        description,
        order,
        body: body.to_owned(),
    })
}
