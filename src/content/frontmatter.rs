//! Splits a content file into its TOML front matter and Markdown body.

/// A file split at its `+++` fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter within the file.
    pub front_matter_start: usize,
    pub body: &'a str,
}

/// Why a file has no usable front matter: (message, hint).
pub type SplitError = (&'static str, &'static str);

/// Front matter sits between a first line `+++` and the next line `+++`.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = line_spans(text);
    match lines.next() {
        Some((s, e)) if text[s + bom..e].trim_end() == "+++" => {
            let fm_start = next_line_start(text, e);
            for (ls, le) in lines {
                if text[ls..le].trim_end() == "+++" {
                    let body_start = next_line_start(text, le);
                    return Ok(Split {
                        front_matter: &text[fm_start..ls],
                        front_matter_start: fm_start,
                        body: &text[body_start..],
                    });
                }
            }
            Err(("front matter is not closed", "end the TOML front matter with a line holding only +++"))
        }
        _ => Err((
            "the file does not start with +++ front matter",
            "begin the file with a line +++, the TOML front matter, and another line +++",
        )),
    }
}

/// (start, end) byte offsets of each line, without the newline.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
        let span = (start, end);
        start = end + 1;
        Some(span)
    })
}

fn next_line_start(text: &str, line_end: usize) -> usize {
    (line_end + 1).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_fences() {
        let s = split("+++\ntitle = \"x\"\n+++\nBody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.front_matter_start, 4);
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn accepts_crlf_and_bom() {
        let s = split("\u{feff}+++\r\na = 1\r\n+++\r\nB").unwrap();
        assert_eq!(s.front_matter, "a = 1\r\n");
        assert_eq!(s.body, "B");
    }

    #[test]
    fn empty_body() {
        let s = split("+++\na = 1\n+++").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn refuses_missing_fences() {
        assert_eq!(split("title = 1\n").unwrap_err().0, "the file does not start with +++ front matter");
        assert_eq!(split("+++\ntitle = 1\n").unwrap_err().0, "front matter is not closed");
        assert!(split("").is_err());
    }
}
