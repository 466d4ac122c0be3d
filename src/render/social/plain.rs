//! Markdown to the plain text a post carries, and the cleaning every post
//! string goes through.
//!
//! Markup is dropped, words are kept: a link keeps its text (not its
//! address), inline code and code blocks keep their text, an image keeps its
//! alt text, list items become lines starting with "- ", table cells are
//! joined with " | ". Raw HTML is kept as the text it is, as everywhere else
//! in Candor. Paragraphs (and other blocks) are separated by a blank line;
//! hard breaks, code lines and list items by a newline; soft breaks become a
//! space. Runs of spaces and tabs collapse to one space.
//!
//! [`clean`] makes any string safe for every format a post lands in: it
//! drops C0 controls other than tab, newline and carriage return (XML 1.0
//! cannot carry them at all), DEL and C1 controls (invisible, and
//! discouraged in XML), and U+FEFF, U+FFFE, U+FFFF (X rejects a post that
//! holds any of them; XML forbids the last two). It turns `\r\n` and lone `\r` into `\n`, because
//! XML parsers would do so anyway and the Atom text must equal the JSON
//! text. Finally the text is NFC-normalised, the form X counts in.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Is `c` a character no post may contain (see the module doc)?
fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Drops forbidden characters, unifies line ends to `\n`, NFC-normalises.
pub fn clean(text: &str) -> String {
    // Most text has nothing to drop or unify and is NFC already.
    let untouched = |c: char| !is_dropped(c) && c != '\r';
    if text.chars().all(untouched) && is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return text.to_owned();
    }
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified.chars().filter(|&c| !is_dropped(c)).nfc().collect()
}

/// [`clean`], then every run of whitespace (newlines too) as one space,
/// trimmed: for one-line strings such as names and titles.
pub fn clean_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plain text of a Markdown body, cleaned: blocks separated by "\n\n",
/// lines within a block by "\n", no leading or trailing whitespace.
pub fn markdown_to_plain(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = Writer::default();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => out.text(&t),
            Event::Html(t) | Event::InlineHtml(t) => out.text(&t),
            Event::FootnoteReference(label) => out.text(&format!("[{label}]")),
            Event::SoftBreak => out.text(" "),
            Event::HardBreak => out.line(),
            Event::Rule => out.block(),
            Event::TaskListMarker(done) => out.text(if done { "[x] " } else { "[ ] " }),
            Event::Start(tag) => out.start(tag),
            Event::End(tag) => out.end(tag),
        }
    }
    out.finish()
}

/// Accumulates blocks of lines; whitespace is normalised as it goes.
#[derive(Default)]
struct Writer {
    blocks: Vec<Vec<String>>,
    /// The block being written; its last line is the line being written.
    current: Vec<String>,
    /// A table row's cells so far (joined with " | " at the row's end).
    cells: Vec<String>,
    in_cell: bool,
    /// Lists nest; their items are lines of one block, paragraphs or not.
    list_depth: usize,
}

impl Writer {
    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::List(_) => {
                self.separate();
                self.list_depth += 1;
            }
            Tag::Item => {
                self.line();
                self.text("- ");
            }
            Tag::TableHead | Tag::TableRow => self.line(),
            Tag::TableCell => {
                self.cells.push(String::new());
                self.in_cell = true;
            }
            Tag::FootnoteDefinition(label) => {
                self.block();
                self.text(&format!("[{label}] "));
            }
            Tag::DefinitionListTitle | Tag::DefinitionListDefinition => self.line(),
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::Table(_)
            | Tag::DefinitionList
            | Tag::MetadataBlock(_) => self.separate(),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.separate();
            }
            TagEnd::TableHead | TagEnd::TableRow => self.row_end(),
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::Table
            | TagEnd::FootnoteDefinition => self.separate(),
            _ => {}
        }
    }

    /// A block boundary: a new block at the top level, a new line in a list.
    fn separate(&mut self) {
        if self.list_depth > 0 {
            if self.current.last().is_none_or(|l| l.trim() != "-") {
                self.line();
            }
        } else {
            self.block();
        }
    }

    fn text(&mut self, text: &str) {
        // Cleaned first, so a dropped control character leaves no gap.
        // Code blocks and raw HTML blocks carry their own newlines.
        for (i, piece) in clean(text).split('\n').enumerate() {
            if i > 0 {
                self.line();
            }
            self.push(piece);
        }
    }

    fn push(&mut self, piece: &str) {
        let target = if self.in_cell {
            self.cells.last_mut()
        } else {
            if self.current.is_empty() {
                self.current.push(String::new());
            }
            self.current.last_mut()
        };
        if let Some(line) = target {
            line.push_str(piece);
        }
    }

    /// Starts a new line in the current block.
    fn line(&mut self) {
        if self.current.last().is_some_and(|l| !l.trim().is_empty()) {
            self.current.push(String::new());
        }
    }

    /// Ends the current block (a no-op when it is empty).
    fn block(&mut self) {
        let lines: Vec<String> = self.current.drain(..).map(|l| squeeze(&l)).filter(|l| !l.is_empty()).collect();
        if !lines.is_empty() {
            self.blocks.push(lines);
        }
    }

    fn row_end(&mut self) {
        self.in_cell = false;
        let row: Vec<String> = self.cells.drain(..).map(|c| squeeze(&c)).collect();
        self.line();
        self.push(&row.join(" | "));
        self.line();
    }

    fn finish(mut self) -> String {
        self.block();
        let text = self.blocks.iter().map(|lines| lines.join("\n")).collect::<Vec<_>>().join("\n\n");
        clean(&text)
    }
}

/// Runs of whitespace as one space, trimmed.
fn squeeze(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}
