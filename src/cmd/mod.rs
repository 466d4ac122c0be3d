//! The commands, as library functions the binary calls: each takes its
//! options and returns a report or an [`Error`](crate::Error), printing nothing.

pub mod build;
pub mod edited;
pub mod incident;
pub mod init;
pub mod maintenance;
pub mod message;
pub mod opened;
pub mod postmortem;
pub mod stamp;
