//! The front page's situation sentence in words: the figures of a
//! [`Situation`] as the page says them, and the sentence in pieces, each
//! with what it links to. The page lays the pieces out; tests read
//! [`Situation::sentence`], the same words joined.

use crate::derive::summary::{Situation, SituationKind};
use crate::words::{ago, count, headline};

impl Situation {
    /// The words that lead the sentence: "Degraded performance".
    pub fn lead(&self) -> &'static str {
        headline(self.overall)
    }

    /// The words of each figure, shared by [`Situation::sentence`] and the
    /// page, which links each of them.
    pub fn words(&self) -> SituationWords {
        SituationWords {
            services: count(self.components.len(), "service", "services"),
            regions: format!("{} of {}", self.regions.len(), count(self.region_total, "region", "regions")),
            incidents: count(self.open.len(), "incident", "incidents"),
            open_incidents: count(self.open.len(), "open incident", "open incidents"),
            since_update: self.since_update().map(ago).unwrap_or_default(),
            since_resolved: self.since_resolved().map(ago).unwrap_or_default(),
        }
    }

    /// The summary in one plain sentence, e.g. "Major outage: 4 services in
    /// 7 of 9 regions affected by 2 incidents; last update 14 min ago":
    /// the lead, its joiner and the [`Situation::phrases`], as the front
    /// page shows it.
    pub fn sentence(&self) -> String {
        let (joiner, phrases) = self.phrases();
        let rest: String = phrases.into_iter().map(|(text, _)| text).collect();
        format!("{}{joiner} {rest}", self.lead())
    }

    /// The sentence after its lead, in pieces, each with what it points
    /// to; and the joiner after the lead (":" before figures, ";" else).
    /// The front page links each piece; [`Situation::sentence`] joins them.
    pub fn phrases(&self) -> (&'static str, Vec<(String, Points)>) {
        let w = self.words();
        let text = |s: &str| (s.to_owned(), Points::Nothing);
        match self.kind() {
            SituationKind::Impact => (
                ":",
                vec![
                    (w.services, Points::Matrix),
                    text(" in "),
                    (w.regions, Points::Matrix),
                    text(" affected by "),
                    (w.incidents, Points::OpenIncidents),
                    text("; last update "),
                    (w.since_update, Points::LastUpdate),
                ],
            ),
            SituationKind::OpenNoImpact => (
                ":",
                vec![
                    (w.open_incidents, Points::OpenIncidents),
                    text(", no service affected now; last update "),
                    (w.since_update, Points::LastUpdate),
                ],
            ),
            SituationKind::Calm => (";", vec![text("last incident ended "), (w.since_resolved, Points::LastResolved)]),
            SituationKind::Quiet => (";", vec![text("no incidents recorded")]),
        }
    }
}

/// What a piece of the situation sentence points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Points {
    Nothing,
    /// The service x region matrix.
    Matrix,
    /// The open incidents (the one incident's card, if one).
    OpenIncidents,
    /// The newest update of an open incident.
    LastUpdate,
    /// The incident that ended last.
    LastResolved,
}

/// The figures of a [`Situation`] in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SituationWords {
    /// "4 services"
    pub services: String,
    /// "7 of 9 regions"
    pub regions: String,
    /// "2 incidents"
    pub incidents: String,
    /// "2 open incidents"
    pub open_incidents: String,
    /// "14 min ago"
    pub since_update: String,
    /// "3 d 2 h ago"
    pub since_resolved: String,
}
