//! Figures derived from the model: plain functions over `&Site`, shared by
//! the pages, feeds and API so every output tells the same story.

pub mod credits;
pub mod lookup;
pub mod status;
