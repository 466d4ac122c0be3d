//! Figures derived from the model: plain functions over `&Site`, shared by
//! the pages, feeds and API so every output tells the same story.

pub mod credits;
#[cfg(test)]
pub mod fixtures;
pub mod intervals;
pub use crate::model::lookup;
pub mod status;
pub mod summary;
pub mod uptime;

use crate::model::Site;

/// What several outputs need and is costly to work out, derived once per
/// build and shared: the pages, the audit JSON and the Statuspage API read
/// the same timelines and statuses.
pub struct Derived {
    /// Every cell's status at the build's clock.
    pub grid: status::StatusGrid,
    /// Every window per service and per cell.
    pub timelines: uptime::Timelines,
}

impl Derived {
    pub fn new(site: &Site) -> Derived {
        let (grid, timelines) = rayon::join(|| status::grid_at(site, site.now), || uptime::Timelines::new(site));
        Derived { grid, timelines }
    }
}
