//! Figures derived from the model: plain functions over `&Site`, shared by
//! the pages, feeds and API so every output tells the same story.

pub mod credits;
#[cfg(test)]
pub mod fixtures;
pub mod intervals;
pub mod lookup;
pub mod status;
pub mod summary;
pub mod uptime;
