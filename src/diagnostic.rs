//! Problems found in content, as values: each names a file, a line and a
//! column, says what is wrong and, where we can tell, what to do about it.
//!
//! Every stage that reads content pushes into a [`Diagnostics`] list instead
//! of failing on the first problem, so one run of `candor check` shows every
//! mistake at once. Only the command line prints them.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a build, warnings do not (unless strict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line (1 for a problem with the whole file).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// A stable name for the kind of problem (`stale-update`), shown as
    /// `warning[stale-update]` and accepted by `allow = [...]`; `None` for
    /// problems that cannot be silenced.
    pub code: Option<&'static str>,
}

/// A [`Diagnostic`] as kept between builds ([`crate::content::kept`]):
/// the same, but its code as text, read back only when it is one of
/// [`crate::lint::CODES`] ([`crate::lint::code`]; else the kept parse is
/// not used).
#[derive(serde::Deserialize)]
struct KeptDiagnostic {
    severity: Severity,
    path: PathBuf,
    line: usize,
    column: usize,
    message: String,
    hint: Option<String>,
    code: Option<String>,
}

impl<'de> serde::Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Diagnostic, D::Error> {
        let KeptDiagnostic { severity, path, line, column, message, hint, code } = KeptDiagnostic::deserialize(d)?;
        let code = match code {
            None => None,
            Some(name) => Some(crate::lint::code(&name).ok_or_else(|| serde::de::Error::custom("an unknown code"))?),
        };
        Ok(Diagnostic { severity, path, line, column, message, hint, code })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {level}", self.path.display(), self.line, self.column)?;
        if let Some(code) = self.code {
            write!(f, "[{code}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Where a file's text sits, to turn byte offsets into lines and columns.
///
/// Front matter is parsed on its own, so its spans are relative to the start
/// of the front matter; `base` is that start within the file.
#[derive(Debug, Clone)]
pub struct SourceMap {
    pub path: PathBuf,
    text: String,
    base: usize,
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// `text` is the whole file; spans given later are relative to `base`.
    pub fn new(path: impl Into<PathBuf>, text: &str, base: usize) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceMap { path: path.into(), text: text.to_owned(), base, line_starts }
    }

    /// 1-based (line, column) of a byte offset relative to `base`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let at = (self.base + offset).min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= at);
        let start = self.line_starts[line - 1];
        let column = self.text[start..at].chars().count() + 1;
        (line, column)
    }

    /// The source text a span covers (for messages that quote it).
    pub fn snippet(&self, span: &Range<usize>) -> &str {
        let start = (self.base + span.start).min(self.text.len());
        let end = (self.base + span.end).min(self.text.len());
        self.text.get(start..end).unwrap_or("")
    }
}

/// An append-only list of diagnostics for one or more files.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// An error at `span` (relative to the map's base) of the file in `map`.
    pub fn error(&mut self, map: &SourceMap, span: Range<usize>, message: impl Into<String>) -> Hint<'_> {
        self.push(Severity::Error, map, span, message.into())
    }

    pub fn warning(&mut self, map: &SourceMap, span: Range<usize>, message: impl Into<String>) -> Hint<'_> {
        self.push(Severity::Warning, map, span, message.into())
    }

    /// A problem that concerns a whole file (or a file that cannot be read).
    pub fn file_error(&mut self, path: &Path, message: impl Into<String>) -> Hint<'_> {
        self.file_problem(Severity::Error, path, message.into())
    }

    pub fn file_warning(&mut self, path: &Path, message: impl Into<String>) -> Hint<'_> {
        self.file_problem(Severity::Warning, path, message.into())
    }

    fn file_problem(&mut self, severity: Severity, path: &Path, message: String) -> Hint<'_> {
        self.items.push(Diagnostic {
            severity,
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message,
            hint: None,
            code: None,
        });
        Hint(self.items.last_mut())
    }

    fn push(&mut self, severity: Severity, map: &SourceMap, span: Range<usize>, message: String) -> Hint<'_> {
        let (line, column) = map.line_col(span.start);
        self.items.push(Diagnostic { severity, path: map.path.clone(), line, column, message, hint: None, code: None });
        Hint(self.items.last_mut())
    }

    /// A diagnostic made elsewhere (the lints build theirs from stored places).
    pub fn add(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Keeps only the diagnostics `keep` accepts (to drop silenced lints).
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, so output is stable whatever order
    /// files were read in (they are read in parallel).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items
            .sort_by(|a, b| (&a.path, a.line, a.column, a.severity).cmp(&(&b.path, b.line, b.column, b.severity)));
        self.items
    }
}

/// Lets a caller attach a hint to the diagnostic it just pushed.
pub struct Hint<'a>(Option<&'a mut Diagnostic>);

impl Hint<'_> {
    /// Gives the diagnostic its stable code (see [`Diagnostic::code`]).
    pub fn code(mut self, code: &'static str) -> Self {
        if let Some(d) = self.0.as_mut() {
            d.code = Some(code);
        }
        self
    }

    pub fn hint(self, hint: impl Into<String>) {
        if let Some(d) = self.0 {
            d.hint = Some(hint.into());
        }
    }
}

/// "; did you mean X?" for a near miss of `word` among `allowed`, else
/// nothing: the tail of a one-line error.
pub fn suggestion<'a>(word: &str, allowed: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, allowed).map(|near| format!("; did you mean {near}?")).unwrap_or_default()
}

/// "did you mean `x`?" for a near miss among the allowed words, if any is close.
pub fn did_you_mean<'a>(word: &str, allowed: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    allowed
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4) && *distance < candidate.len())
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_base_and_in_characters() {
        let text = "+++\ntitle = \"é\"\nimpact = 3\n+++\n";
        let map = SourceMap::new("a.md", text, 4);
        assert_eq!(map.line_col(0), (2, 1));
        // "title = \"é\"\n" is 13 bytes but 12 characters.
        assert_eq!(map.line_col(13), (3, 1));
        assert_eq!(map.line_col(9), (2, 10));
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["title", "impact", "started", "resolved"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("resovled", keys), Some("resolved"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
