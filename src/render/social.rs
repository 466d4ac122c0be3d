//! (being written)

use super::OutputFile;
use crate::model::Site;

pub fn render(_site: &Site) -> Vec<OutputFile> {
    Vec::new()
}
