//! Reads `status.toml` into [`crate::model::config`] (the types, re-exported
//! here): the site's title, zone, services, regions and policies.
//!
//! Read with the same spanned reader as front matter, so a typo in the
//! config is reported with its line and a suggestion, and every problem in
//! the file is reported at once.

mod ids;
mod parse;

pub use ids::{is_valid_id, suggest_id, unknown_hint};
pub use parse::{parse, parse_with_lints, zone};

pub use crate::model::config::*;
