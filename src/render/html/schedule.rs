//! `maintenance/index.html`: every maintenance, in three lists: under way,
//! upcoming (soonest first) and done (latest first), with the calendar link.

use super::Pages;
use crate::model::MaintenanceStatus;
use crate::render::views::MaintenanceView;
use tera::Context;

pub(super) const PATH: &str = "maintenance/index.html";

impl Pages<'_> {
    pub(super) fn maintenance_index(&self) -> Context {
        let s = self.site;
        let mut ctx = self.base("Maintenance", Some(PATH));
        let (mut under_way, mut upcoming, mut done) = (Vec::new(), Vec::new(), Vec::new());
        // The site keeps maintenance soonest first.
        for m in &s.maintenance {
            let list = match m.status_at(s.now) {
                MaintenanceStatus::Scheduled => &mut upcoming,
                MaintenanceStatus::InProgress | MaintenanceStatus::Verifying => &mut under_way,
                MaintenanceStatus::Completed => &mut done,
            };
            list.push(MaintenanceView::new(m, s, false));
        }
        done.reverse();
        ctx.insert("under_way", &under_way);
        ctx.insert("upcoming", &upcoming);
        ctx.insert("done", &done);
        ctx
    }
}
