//! The closed vocabularies of the model: an incident's impact, a
//! component's status, where an incident, a maintenance or an action item
//! stands. Each reads from and writes to the names the files use.

/// How bad an incident is overall (Statuspage's `impact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Impact {
    None,
    Minor,
    Major,
    Critical,
}

impl Impact {
    pub const NAMES: &'static [&'static str] = &["none", "minor", "major", "critical"];

    pub fn from_name(name: &str) -> Option<Impact> {
        Some(match name {
            "none" => Impact::None,
            "minor" => Impact::Minor,
            "major" => Impact::Major,
            "critical" => Impact::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Impact::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "No impact",
            Impact::Minor => "Minor",
            Impact::Major => "Major",
            Impact::Critical => "Critical",
        }
    }
}

/// The state of one component in one region at one instant, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum ComponentStatus {
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl ComponentStatus {
    /// The statuses an `[[affected]]` block may give.
    pub const AFFECTED_NAMES: &'static [&'static str] =
        &["degraded_performance", "partial_outage", "major_outage", "under_maintenance"];

    pub fn from_name(name: &str) -> Option<ComponentStatus> {
        Some(match name {
            "operational" => ComponentStatus::Operational,
            "under_maintenance" => ComponentStatus::UnderMaintenance,
            "degraded_performance" => ComponentStatus::DegradedPerformance,
            "partial_outage" => ComponentStatus::PartialOutage,
            "major_outage" => ComponentStatus::MajorOutage,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "Operational",
            ComponentStatus::UnderMaintenance => "Under maintenance",
            ComponentStatus::DegradedPerformance => "Degraded performance",
            ComponentStatus::PartialOutage => "Partial outage",
            ComponentStatus::MajorOutage => "Major outage",
        }
    }
}

/// Where an incident stands (Statuspage's incident `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum UpdateStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl UpdateStatus {
    pub const NAMES: &'static [&'static str] = &["investigating", "identified", "monitoring", "resolved"];

    pub fn from_name(name: &str) -> Option<UpdateStatus> {
        Some(match name {
            "investigating" => UpdateStatus::Investigating,
            "identified" => UpdateStatus::Identified,
            "monitoring" => UpdateStatus::Monitoring,
            "resolved" => UpdateStatus::Resolved,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        UpdateStatus::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "Investigating",
            UpdateStatus::Identified => "Identified",
            UpdateStatus::Monitoring => "Monitoring",
            UpdateStatus::Resolved => "Resolved",
        }
    }
}

/// Where a maintenance stands, as its updates say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum MaintenanceStatus {
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl MaintenanceStatus {
    pub const NAMES: &'static [&'static str] = &["scheduled", "in_progress", "verifying", "completed"];

    pub fn from_name(name: &str) -> Option<MaintenanceStatus> {
        Some(match name {
            "scheduled" => MaintenanceStatus::Scheduled,
            "in_progress" => MaintenanceStatus::InProgress,
            "verifying" => MaintenanceStatus::Verifying,
            "completed" => MaintenanceStatus::Completed,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        MaintenanceStatus::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "Scheduled",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Verifying => "Verifying",
            MaintenanceStatus::Completed => "Completed",
        }
    }
}

/// Progress of a postmortem action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
}

impl ActionStatus {
    pub const NAMES: &'static [&'static str] = &["planned", "in_progress", "done"];

    pub fn from_name(name: &str) -> Option<ActionStatus> {
        Some(match name {
            "planned" => ActionStatus::Planned,
            "in_progress" => ActionStatus::InProgress,
            "done" => ActionStatus::Done,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        ActionStatus::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Planned => "Planned",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
        }
    }
}
