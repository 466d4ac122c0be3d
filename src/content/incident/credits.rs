//! Reads an incident's `[[credits]]`: the percent, the services and the
//! billing months each credit covers.

use crate::config::Config;
use crate::content::reader::{FileReader, Key, Table};
use crate::content::refs::component_ids;
use crate::model::{Credit, CreditMonths};
use std::ops::Range;
use toml::de::DeTable;

const CREDIT: &[Key] = &[
    Key::req("percent", "percent = 10"),
    Key::opt("components", "components = [\"api\"]"),
    Key::opt("groups", "groups = [\"compute\"]"),
    Key::req("months", "months = \"affected\""),
    Key::opt("note", "note = \"...\""),
];

/// A credit and the span of its `months`.
pub(super) fn parse_credit(
    r: &mut FileReader,
    table: &DeTable,
    span: Range<usize>,
    config: &Config,
) -> Option<(Credit, Range<usize>)> {
    let t = r.table(table, span, "[[credits]]", CREDIT);
    let percent = r.integer(&t, "percent");
    let components = component_ids(r, &t, config, "[[credits]]");
    let note = r.text(&t, "note").map(|x| x.value);
    let months = parse_months(r, &t);
    let percent = percent?;
    if !(1..=100).contains(&percent.value) {
        r.error(
            percent.span,
            format!("credit percent {} is not between 1 and 100", percent.value),
            "write e.g. percent = 10",
        );
        return None;
    }
    let months_span = t.span_of("months")?;
    Some((Credit { percent: percent.value as u32, components: components?, months: months?, note }, months_span))
}

fn parse_months(r: &mut FileReader, t: &Table) -> Option<CreditMonths> {
    match r.string_or_strings(t, "months")? {
        Ok(word) if word.value == "affected" => Some(CreditMonths::Affected),
        Ok(word) => {
            r.error(
                word.span,
                format!("months = \"{}\" is not understood", word.value),
                "write months = \"affected\" or a list like [\"2026-02\", \"2026-03\"]",
            );
            None
        }
        Err(list) => {
            let mut months = Vec::new();
            for m in list {
                match parse_month(&m.value) {
                    Some(ym) if !months.contains(&ym) => months.push(ym),
                    Some(_) => r.warning(m.span, format!("month {} is listed twice", m.value), "remove the repeat"),
                    None => {
                        let hint = match m.value.split_once('-') {
                            Some((y, mm)) if y.len() == 4 && mm.len() == 2 && y.parse::<u32>().is_ok() => {
                                "months run from 01 to 12"
                            }
                            _ => "write months as \"YYYY-MM\", e.g. \"2026-02\"",
                        };
                        r.error(m.span, format!("\"{}\" is not a billing month", m.value), hint);
                        return None;
                    }
                }
            }
            if months.is_empty() {
                r.error(
                    t.span_of("months").unwrap_or(0..0),
                    "no billing months listed",
                    "list months like [\"2026-02\"], or write months = \"affected\"",
                );
                return None;
            }
            months.sort();
            Some(CreditMonths::Listed(months))
        }
    }
}

/// "2026-02" -> (2026, 2).
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (y, m) = text.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}
