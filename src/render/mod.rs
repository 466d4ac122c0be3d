//! Rendering: every output is a pure function of the validated [`Site`].
//! Today that is the HTML pages and the stylesheet.

pub mod html;
pub mod markdown;
pub mod templates;
pub mod views;
