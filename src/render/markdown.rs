//! Markdown to HTML, the one way every page and feed renders prose.
//!
//! Tables, footnotes and strikethrough are on. Raw HTML in content is shown
//! as text, not passed through: a status page is edited in a hurry by many
//! people, and a stray `<div` must not break the page or inject markup into
//! the feeds and API that carry the same text.
//!
//! For the same reason a link or image whose address could run code is not
//! written as one. A link keeps its address only when it is relative (a
//! path, `?query` or `#fragment`) or its scheme is `http`, `https`,
//! `mailto` or `tel`; an image only when it is relative, `http`, `https`,
//! or a `data:` URL of a raster image (PNG, GIF, JPEG, WebP, AVIF), which
//! cannot script. Anything else (`javascript:`, `vbscript:`, `data:text/html`,
//! `data:image/svg+xml`, unknown schemes) loses the `<a>` or `<img>` and
//! keeps its text, the link text or the alt text, as plain text. The scheme
//! is read as a browser reads it: after Markdown has decoded entities and
//! backslash escapes (`jav&#x61;script:` is `javascript:`), with leading
//! spaces and control characters trimmed, tabs and line breaks anywhere
//! removed, and in any case.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

pub fn to_html(markdown: &str) -> String {
    if let Some(html) = plain_paragraph(markdown) {
        return html;
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    // For each link or image open at this point: was its tag left out?
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(move |event| {
        let keep = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => push(&mut dropped, is_safe_link(dest_url)),
            Event::Start(Tag::Image { dest_url, .. }) => push(&mut dropped, is_safe_image(dest_url)),
            Event::End(TagEnd::Link | TagEnd::Image) => !dropped.pop().unwrap_or(false),
            _ => true,
        };
        keep.then_some(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Most update texts are one paragraph of prose with nothing Markdown
/// would interpret: no emphasis, links, code, entities, HTML, and no line
/// that could open a list, heading, quote or code block. Such text becomes
/// `<p>text</p>` without running the parser (a tested shortcut: it gives
/// exactly the parser's output).
fn plain_paragraph(markdown: &str) -> Option<String> {
    let inert = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '\n'
                    | '.'
                    | ','
                    | ';'
                    | ':'
                    | '?'
                    | '\''
                    | '"'
                    | '('
                    | ')'
                    | '/'
                    | '%'
                    | '+'
                    | '='
                    | '@'
                    | '$'
                    | '-'
            )
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    // A line opens nothing when it starts with a letter, or with digits
    // that are not an ordered-list number ("3." or "3)").
    let opens_nothing = |line: &str| {
        let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match line[digits..].chars().next() {
            _ if digits == 0 => line.chars().next().is_some_and(char::is_alphabetic),
            Some('.' | ')') => false,
            _ => true,
        }
    };
    // Text from a multi-line TOML string ends with a line break.
    let text = markdown.trim_end_matches('\n');
    let plain = !text.is_empty()
        && text.chars().all(inert)
        && text.split('\n').all(|line| opens_nothing(line) && !line.ends_with(' '));
    plain.then(|| format!("<p>{text}</p>\n"))
}

/// Records whether an opening tag is kept, and returns it.
fn push(dropped: &mut Vec<bool>, keep: bool) -> bool {
    dropped.push(!keep);
    keep
}

/// May `url` be a link's `href`? Relative, or http(s), mailto, tel.
fn is_safe_link(url: &str) -> bool {
    match scheme(url) {
        Scheme::Relative => true,
        Scheme::Named(name) => matches!(name.as_str(), "http" | "https" | "mailto" | "tel"),
    }
}

/// May `url` be an image's `src`? Relative, http(s), or a raster `data:` image.
fn is_safe_image(url: &str) -> bool {
    match scheme(url) {
        Scheme::Relative => true,
        Scheme::Named(name) if name == "http" || name == "https" => true,
        Scheme::Named(name) if name == "data" => {
            let media = browser_form(url).to_ascii_lowercase();
            let media = media.split_once(':').map_or("", |(_, rest)| rest);
            let media = media.split([';', ',']).next().unwrap_or("");
            matches!(media, "image/png" | "image/gif" | "image/jpeg" | "image/webp" | "image/avif")
        }
        Scheme::Named(_) => false,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Scheme {
    /// No scheme: a path, query or fragment, resolved against the page.
    Relative,
    /// Whatever comes before the first `:` (lowercased), valid scheme or not.
    Named(String),
}

/// The URL as a browser parses it: leading and trailing C0 controls and
/// spaces trimmed, tabs and line breaks removed.
fn browser_form(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect()
}

/// A `:` before any `/`, `?` or `#` names a scheme; otherwise the URL is
/// relative. Text before the `:` that is not a valid scheme (`java script:`)
/// is still taken as one, so that it is refused rather than guessed at.
fn scheme(url: &str) -> Scheme {
    let url = browser_form(url);
    match url.find([':', '/', '?', '#']) {
        Some(at) if url[at..].starts_with(':') => Scheme::Named(url[..at].to_lowercase()),
        _ => Scheme::Relative,
    }
}

#[cfg(test)]
mod tests {
    use super::{html, is_safe_image, is_safe_link, plain_paragraph, scheme, to_html, Options, Parser, Scheme};

    /// What the parser alone makes of `markdown` (no shortcut).
    fn parsed(markdown: &str) -> String {
        let mut out = String::new();
        html::push_html(
            &mut out,
            Parser::new_ext(
                markdown,
                Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
            ),
        );
        out
    }

    #[test]
    fn plain_prose_takes_the_shortcut_and_anything_else_the_parser() {
        let prose = "Error rates for \"Managed Key Management\" are back to 0.1% (from 12%).\nNo data was lost: 2 of 3 replicas stayed up — über-fine.";
        assert_eq!(plain_paragraph(prose).as_deref(), Some(parsed(prose).as_str()));
        let from_toml = "Two lines from a\nmulti-line TOML string.\n";
        assert_eq!(plain_paragraph(from_toml).as_deref(), Some(parsed(from_toml).as_str()));
        for markdown in [
            "- a list",
            "1. one",
            "3) three",
            "# heading",
            "> quote",
            "a *b*",
            "a_b_",
            "a [b](c)",
            "a &amp; b",
            "a <b>",
            "    code",
            "a\n\nb",
            "a  \nb",
            "a\n---",
            "a | b",
            "`code`",
            "",
            "12.5% of calls\n2. fail",
        ] {
            assert_eq!(plain_paragraph(markdown), None, "{markdown:?}");
        }
    }

    proptest::proptest! {
        /// The shortcut, when it applies, gives exactly the parser's HTML.
        #[test]
        fn the_shortcut_agrees_with_the_parser(markdown in "([A-Za-z0-9]{1,6}|[ .,;:?'\"()/%+=@$-]|\n|[0-9]{1,3}[.)] |é|—|’|日本){0,40}") {
            if let Some(html) = plain_paragraph(&markdown) {
                proptest::prop_assert_eq!(html, parsed(&markdown));
            }
        }
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] ~~old~~\n\n[^1]: Note.\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("Hello <script>alert(1)</script> & <b>bold</b>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    /// Renders `markdown` and checks that no `href`/`src` is left and the
    /// visible text is `text`.
    fn defused(markdown: &str, text: &str) {
        let html = to_html(markdown);
        assert!(!html.contains("href=") && !html.contains("src="), "{markdown:?} gave {html}");
        assert!(!html.contains("<a") && !html.contains("<img"), "{markdown:?} gave {html}");
        assert_eq!(html.trim_end(), format!("<p>{text}</p>"), "{markdown:?}");
    }

    #[test]
    fn javascript_links_keep_their_text_and_lose_the_link() {
        defused("[x](javascript:alert(1))", "x");
        defused("[x](JavaScript:alert(1))", "x");
        defused("[x](JAVASCRIPT:alert(1))", "x");
        defused("[x]( javascript:alert(1) )", "x");
        defused("[x](<javascript:alert(1)>)", "x");
        defused("[x](javascript:alert(1) \"a title\")", "x");
        defused("[**bold** text](javascript:alert(1))", "<strong>bold</strong> text");
    }

    #[test]
    fn entity_and_escape_encoded_schemes_are_seen_through() {
        defused("[x](jav&#x61;script:alert(1))", "x");
        defused("[x](&#106;avascript:alert(1))", "x");
        defused("[x](javascript&colon;alert(1))", "x");
        defused("[x](javascript&#58;alert(1))", "x");
        defused("[x](java&#x09;script:alert(1))", "x");
        defused("[x](java&#10;script:alert(1))", "x");
        defused("[x](<&#x09;javascript:alert(1)>)", "x");
        defused("[x](&#1;javascript:alert(1))", "x");
        defused(r"[x](javascript\:alert(1))", "x");
    }

    #[test]
    fn autolinks_become_text() {
        defused("<javascript:alert(1)>", "javascript:alert(1)");
        defused("<VBScript:msgbox(1)>", "VBScript:msgbox(1)");
        // Mail autolinks are mailto: links, which stay.
        assert_eq!(
            to_html("<ops@example.com>").trim_end(),
            r#"<p><a href="mailto:ops@example.com">ops@example.com</a></p>"#
        );
        assert!(to_html("<https://example.com/x>").contains(r#"<a href="https://example.com/x">"#));
    }

    #[test]
    fn reference_links_are_checked_like_inline_ones() {
        defused("[x][evil]\n\n[evil]: javascript:alert(1)", "x");
        defused("[evil]\n\n[evil]: <javascript:alert(1)> \"t\"", "evil");
        defused("[Evil][]\n\n[evil]: jav&#x61;script:alert(1)", "Evil");
        assert!(to_html("[x][ok]\n\n[ok]: https://example.com/").contains(r#"<a href="https://example.com/">x</a>"#));
    }

    #[test]
    fn vbscript_and_data_links_are_refused() {
        defused("[x](vbscript:msgbox(1))", "x");
        defused("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "x");
        defused("[x](data:image/png;base64,iVBORw0KGgo=)", "x");
        defused("[x](file:///etc/passwd)", "x");
        defused("[x](java%20script:alert(1))", "x");
    }

    #[test]
    fn images_keep_their_alt_text_when_refused() {
        defused("![alt text](javascript:alert(1))", "alt text");
        defused("![alt](JaVaScRiPt:alert(1))", "alt");
        defused("![alt](data:image/svg+xml;base64,PHN2Zy8+)", "alt");
        defused("![alt](data:text/html,<script>alert(1)</script>)", "alt");
        defused("![alt](vbscript:x)", "alt");
        defused("![alt](mailto:ops@example.com)", "alt");
    }

    #[test]
    fn raster_data_images_and_web_images_stay() {
        let png = to_html("![dot](data:image/png;base64,iVBORw0KGgo=)");
        assert!(png.contains(r#"<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" />"#), "{png}");
        assert!(is_safe_image("DATA:Image/JPEG;base64,/9j/"));
        assert!(is_safe_image("data:image/webp,xyz"));
        assert!(!is_safe_image("data:image/svg+xml,<svg/>"));
        assert!(!is_safe_image("data:,image/png"));
        assert!(to_html("![a](https://example.com/a.png)").contains(r#"<img src="https://example.com/a.png""#));
        assert!(to_html("![a](img/a.png)").contains(r#"<img src="img/a.png""#));
    }

    #[test]
    fn safe_links_are_untouched() {
        for (md, href) in [
            ("[x](https://example.com/a?b=c#d)", "https://example.com/a?b=c#d"),
            ("[x](HTTP://example.com/)", "HTTP://example.com/"),
            ("[x](mailto:ops@example.com)", "mailto:ops@example.com"),
            ("[x](tel:+1-555-0100)", "tel:+1-555-0100"),
            ("[x](../history/)", "../history/"),
            ("[x](/status/)", "/status/"),
            ("[x](//cdn.example.com/x)", "//cdn.example.com/x"),
            ("[x](#timeline)", "#timeline"),
            ("[x](?page=2)", "?page=2"),
            ("[x](notes/a:b)", "notes/a:b"),
            // A percent-encoded colon is no scheme: a relative path.
            ("[x](javascript%3Aalert)", "javascript%3Aalert"),
        ] {
            assert_eq!(to_html(md).trim_end(), format!(r#"<p><a href="{href}">x</a></p>"#), "{md}");
        }
    }

    #[test]
    fn a_refused_link_around_an_image_keeps_the_image() {
        let html = to_html("[![pic](https://example.com/a.png)](javascript:alert(1))");
        assert_eq!(html.trim_end(), r#"<p><img src="https://example.com/a.png" alt="pic" /></p>"#);
        let html = to_html("[![pic](javascript:alert(1))](https://example.com/)");
        assert_eq!(html.trim_end(), r#"<p><a href="https://example.com/">pic</a></p>"#);
    }

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(scheme(" \u{1}\tJava\nScript:x"), Scheme::Named("javascript".into()));
        assert_eq!(scheme("a/b:c"), Scheme::Relative);
        assert_eq!(scheme("#x:y"), Scheme::Relative);
        assert_eq!(scheme("?x:y"), Scheme::Relative);
        assert_eq!(scheme(""), Scheme::Relative);
        assert_eq!(scheme("java script:x"), Scheme::Named("java script".into()));
        assert!(is_safe_link("") && is_safe_link("  https://x.example/"));
        assert!(!is_safe_link("javascript:") && !is_safe_link("\u{0}javascript:x") && !is_safe_link("jav\tascript:x"));
    }
}
