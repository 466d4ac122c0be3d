//! Status badges: `badges/status.svg` for the site and
//! `badges/<component id>.svg` for each component, in the flat style of
//! shields.io, for READMEs, dashboards and internal wikis.
//!
//! - **What they say**: the status at the build's clock
//!   ([`grid_at`]`(site, site.now)`): a component's worst cell, and for
//!   `status.svg` the site's worst status. The left half is the component's
//!   name (`status` on the site badge), the right half the status in words
//!   ("degraded performance"), so colour is never the only signal.
//! - **Accessible**: `role="img"`, and `aria-label` and `<title>` say
//!   "<name>: <status>" (the site title on the site badge); the drawn text
//!   is hidden from assistive technology to avoid reading it twice.
//! - **Colours** are the site's light palette (`templates/style.css`), each
//!   dark enough for white 11px text (contrast at least 4.5:1, which
//!   shields' bright green and yellow are not); the label side is `#555`.
//! - **Widths** come from Verdana's advance widths at 11px (what shields
//!   measures with), in tenths of a pixel with integer arithmetic, so the
//!   output is byte-identical everywhere. An accented letter counts as its
//!   base letter, a wide (CJK) character as 1 em, anything else unknown as
//!   a digit. Each half is the text's width rounded up plus 5px padding on
//!   both sides; `textLength` pins the text to the measured width.
//! - **Text** goes through [`clean_line`] (control characters dropped,
//!   whitespace collapsed) and [`escape_markup`](super::escape_markup).
//! - A component whose id is `status` would collide with the site badge; its
//!   badge is `badges/status_component.svg` (no id can contain `_`).

use super::social::plain::clean_line;
use super::{escape_markup, Kind, OutputFile};
use crate::derive::status::grid_at;
use crate::model::{ComponentStatus, Site};
use unicode_normalization::UnicodeNormalization;

/// The site badge, relative to the site root.
pub const SITE_BADGE: &str = "badges/status.svg";

/// Horizontal padding on each side of each half, in px.
const PADDING: u32 = 5;
/// The label half's background.
const LABEL_COLOUR: &str = "#555";

pub fn render(site: &Site) -> Vec<OutputFile> {
    let grid = grid_at(site, site.now);
    let overall = grid.overall();
    let mut files = vec![OutputFile::new(SITE_BADGE, svg("status", overall, &site.config.title), Kind::Other)];
    for (index, component) in site.config.components.iter().enumerate() {
        let status = grid.component(index);
        files.push(OutputFile::new(
            badge_path(&component.id),
            svg(&component.name, status, &component.name),
            Kind::Other,
        ));
    }
    files
}

/// Where a component's badge is written (see the module doc).
pub fn badge_path(component_id: &str) -> String {
    if component_id == "status" {
        "badges/status_component.svg".into()
    } else {
        format!("badges/{component_id}.svg")
    }
}

/// The status in badge words: "major outage".
pub fn message(status: ComponentStatus) -> String {
    status.label().to_lowercase()
}

/// The badge's colour for a status (the site's light palette).
pub fn colour(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "#1a7f37",
        ComponentStatus::UnderMaintenance => "#0969da",
        ComponentStatus::DegradedPerformance => "#9a6700",
        ComponentStatus::PartialOutage => "#bc4c00",
        ComponentStatus::MajorOutage => "#cf222e",
    }
}

/// One badge: `label` on the left, the status on the right; `name` is who
/// the accessible title speaks of.
pub fn svg(label: &str, status: ComponentStatus, name: &str) -> String {
    let label = clean_line(label);
    let message = message(status);
    let title = escape_markup(&format!("{}: {message}", clean_line(name)));
    let (label_text, message_text) = (text_width(&label), text_width(&message));
    // Box widths in px; positions and text lengths in tenths (the text is drawn at scale(.1)).
    let label_box = label_text.div_ceil(10) + 2 * PADDING;
    let message_box = message_text.div_ceil(10) + 2 * PADDING;
    let width = label_box + message_box;
    let label_x = label_box * 5;
    let message_x = label_box * 10 + message_box * 5;
    let colour = colour(status);
    let (label, message) = (escape_markup(&label), escape_markup(&message));
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}">"##,
            r##"<title>{title}</title>"##,
            r##"<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>"##,
            r##"<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>"##,
            r##"<g clip-path="url(#r)"><rect width="{label_box}" height="20" fill="{label_colour}"/>"##,
            r##"<rect x="{label_box}" width="{message_box}" height="20" fill="{colour}"/>"##,
            r##"<rect width="{width}" height="20" fill="url(#s)"/></g>"##,
            r##"<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110" aria-hidden="true">"##,
            r##"<text x="{label_x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{label_text}">{label}</text>"##,
            r##"<text x="{label_x}" y="140" transform="scale(.1)" textLength="{label_text}">{label}</text>"##,
            r##"<text x="{message_x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{message_text}">{message}</text>"##,
            r##"<text x="{message_x}" y="140" transform="scale(.1)" textLength="{message_text}">{message}</text>"##,
            "</g></svg>\n"
        ),
        width = width,
        title = title,
        label_box = label_box,
        label_colour = LABEL_COLOUR,
        message_box = message_box,
        colour = colour,
        label_x = label_x,
        label_text = label_text,
        label = label,
        message_x = message_x,
        message_text = message_text,
        message = message,
    )
}

/// Verdana's advance widths for U+0020..=U+007E, in thousandths of an em.
#[rustfmt::skip]
const VERDANA: [u16; 95] = [
    351, 393, 458, 818, 635, 1076, 726, 268, 454, 454, 635, 818, 363, 454, 363, 454, // space to /
    635, 635, 635, 635, 635, 635, 635, 635, 635, 635, // 0 to 9
    454, 454, 818, 818, 818, 545, 1000, // : to @
    683, 685, 698, 770, 632, 574, 775, 751, 420, 454, 692, 556, 842, // A to M
    748, 787, 603, 787, 695, 683, 616, 731, 683, 988, 685, 615, 685, // N to Z
    454, 454, 454, 818, 635, 635, // [ to `
    600, 623, 520, 623, 595, 351, 623, 632, 274, 344, 591, 274, 972, // a to m
    632, 606, 623, 623, 426, 520, 394, 632, 591, 818, 591, 591, 525, // n to z
    634, 454, 634, 818, // { to ~
];

/// A character's advance in thousandths of an em (see the module doc).
fn advance(c: char) -> u32 {
    let ascii = |c: char| (' '..='~').contains(&c).then(|| u32::from(VERDANA[c as usize - 0x20]));
    if let Some(width) = ascii(c) {
        return width;
    }
    let wide = matches!(c, '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}' | '\u{1F300}'..='\u{1FAFF}');
    if wide {
        return 1000;
    }
    c.nfd().next().and_then(ascii).unwrap_or(635)
}

/// The width of `text` in Verdana 11px, in tenths of a pixel, rounded up.
pub fn text_width(text: &str) -> u32 {
    let em_thousandths: u32 = text.chars().map(advance).sum();
    // px = thousandths * 11 / 1000, so tenths = thousandths * 11 / 100.
    (em_thousandths * 11).div_ceil(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::{incident, site, window};
    use crate::model::Incident;

    /// Open at the fixture's clock: "db" in partial outage.
    fn open_incident() -> Incident {
        let db = window(&["db"], None, ComponentStatus::PartialOutage, "2025-12-31T00:00:00Z", None);
        incident(vec![db], "2025-12-31T00:00:00Z", None)
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape_markup("a<b>&\"c\"'d' ]]>"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; ]]&gt;");
        assert_eq!(escape_markup("bell\u{7}\u{0}\u{1f}\u{fffe}tab\tnl\ncr\r"), "belltab\tnl\ncr\r");
    }

    #[test]
    fn widths_follow_verdana() {
        assert_eq!(text_width(""), 0);
        // "status": 520 + 394 + 600 + 394 + 632 + 520 = 3060 thousandths -> 33.66 px.
        assert_eq!(text_width("status"), 337);
        assert_eq!(text_width("é"), text_width("e"), "accents count as their letter");
        assert_eq!(text_width("界"), 110, "wide characters are 1 em");
        assert!(text_width("major outage") > text_width("operational"));
    }

    #[test]
    fn one_badge_per_component_and_one_for_the_site() {
        let s = site(vec![open_incident()], vec![]);
        let files = render(&s);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["badges/status.svg", "badges/api.svg", "badges/db.svg"]);
        assert!(files.iter().all(|f| f.kind == Kind::Other));
        let site_badge = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(site_badge.contains("<title>T: partial outage</title>"), "{site_badge}");
        assert!(site_badge.contains(r#"role="img" aria-label="T: partial outage""#));
        assert!(site_badge.contains(">status</text>") && site_badge.contains(">partial outage</text>"));
        assert!(site_badge.contains(colour(ComponentStatus::PartialOutage)));
        let api = String::from_utf8(files[1].bytes.clone()).unwrap();
        assert!(api.contains("<title>api: operational</title>"), "{api}");
        assert_eq!(render(&s)[2].bytes, files[2].bytes, "deterministic");
    }

    #[test]
    fn geometry_adds_up() {
        let badge = svg("status", ComponentStatus::Operational, "T");
        // status: 33.7 px -> 34 + 10; operational: 5630 thousandths = 61.93 px -> 62 + 10.
        assert_eq!(text_width("operational"), 620);
        assert!(badge.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" width="116" height="20""#), "{badge}");
        assert!(badge.contains(r##"<rect x="44" width="72" height="20" fill="#1a7f37"/>"##), "{badge}");
        assert!(badge.contains(r#"<text x="220" y="140" transform="scale(.1)" textLength="337">status</text>"#));
        assert!(badge.contains(r#"<text x="800" y="140" transform="scale(.1)" textLength="620">operational</text>"#));
    }

    #[test]
    fn hostile_names_are_escaped() {
        let badge = svg("A <b> & \"q\" ]]>\u{7}\nx", ComponentStatus::MajorOutage, "A <b> & \"q\" ]]>\u{7}\nx");
        assert!(badge.contains("<title>A &lt;b&gt; &amp; &quot;q&quot; ]]&gt; x: major outage</title>"), "{badge}");
        assert!(!badge.contains('\u{7}') && !badge.contains("<b>") && !badge.contains("]]>"));
        assert_eq!(badge_path("status"), "badges/status_component.svg");
    }
}
