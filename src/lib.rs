//! Candor compiles a folder of incident and maintenance files into a static
//! status site. The pipeline runs one way:
//!
//! 1. [`config`] and [`content`] read `status.toml` and `content/` with spans;
//! 2. [`validate`] (and the readers) report every problem at once as [`diagnostic`]s;
//! 3. [`model`] is the validated, immutable [`model::Site`], which [`lint`]
//!    checks for what lets customers down (stale or vague updates, ...);
//! 4. [`derive`] computes figures (status at an instant, uptime timelines,
//!    credit months), the costly ones once per build ([`derive::Derived`]);
//! 5. [`render`] turns the site into files, pages and channels side by
//!    side, and [`output`] writes each once, into a staging folder swapped
//!    into place only when all succeeded, with a manifest and the site's
//!    version; [`publish`] copies a built output to replicas, phase by phase.
//!
//! The command line ([`cmd`]) and the preview server ([`serve`]) sit on top
//! and hold no logic of their own; [`edit`] is how the incident commands
//! change content files (checked by the same validator before writing).

pub mod build;
pub mod cmd;
pub mod config;
pub mod content;
pub mod derive;
pub mod diagnostic;
pub mod edit;
pub mod error;
pub mod input;
pub mod lint;
pub mod model;
pub mod output;
pub mod progress;
pub mod publish;
pub mod render;
pub mod serve;
pub mod time;
pub mod validate;
pub mod words;

pub use error::Error;
