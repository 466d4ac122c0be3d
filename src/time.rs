//! Instants, zones and calendars: every date computation Candor makes.
//!
//! A leap-day bug started the outage this project is named after, so the
//! rules live here, in one place, with their tests:
//! - content datetimes become UTC instants; a local datetime is read in a
//!   zone, and a local time that does not exist (the clocks skip it) or
//!   exists twice (they repeat it) is an error naming the candidate
//!   instants, never guessed;
//! - calendar days and months are cut in a zone and are the real local days:
//!   23 or 25 hours long across DST changes, starting at whatever instant the
//!   local day starts (not always midnight), empty for a skipped date, by one
//!   rule for every figure (src/time/calendar.rs has it, with its one exception);
//! - dates lie within [`YEARS`], which ends where the zone database does.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use std::fmt;

/// A point in time. All of Candor's model works in UTC instants.
pub type Instant = DateTime<Utc>;

/// The years a date may fall in, in content and for the build's clock:
/// from 1900-01-01 up to, not including, 2100-01-01. Pages are cut by
/// month between the first incident and the clock, so a mistyped year
/// (`0026`, `20260`) would otherwise mean thousands of pages; no status page
/// has anything to say outside these years. The end is where the zone
/// database (chrono-tz) stops: it lists clock changes through 2099 only, so
/// a later local time (2100-03-14T02:30 in Los Angeles) or day could not be
/// read exactly, and is refused rather than guessed.
pub const YEARS: std::ops::Range<i32> = 1900..2100;

/// The dates of [`YEARS`], as messages name them.
pub fn supported_dates() -> String {
    format!("from {:04}-01-01 up to, not including, {:04}-01-01", YEARS.start, YEARS.end)
}

/// Is this date within [`YEARS`]?
pub fn is_supported(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

/// Why a TOML datetime could not become an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// A date without a time, where an instant is needed.
    DateOnly,
    /// A time of day without a date.
    TimeOnly,
    /// A field out of range (checked again here, whatever the parser did).
    Invalid(String),
    /// The local time falls in a DST gap in the zone. The candidates are the
    /// instants it names with the offset in force before and after the gap.
    Nonexistent { local: NaiveDateTime, zone: Tz, candidates: [Candidate; 2] },
    /// The local time happens twice in the zone (earlier instant first).
    Ambiguous { local: NaiveDateTime, zone: Tz, candidates: [Candidate; 2] },
    /// A real date outside [`YEARS`]; holds the value as written.
    OutOfRange(String),
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::DateOnly => write!(f, "a date alone is not a point in time"),
            TimeError::TimeOnly => write!(f, "a time of day without a date is not a point in time"),
            TimeError::Invalid(what) => write!(f, "{what}"),
            TimeError::OutOfRange(value) => {
                write!(f, "{value} is outside the dates Candor accepts ({})", supported_dates())
            }
            // Worded by what the clocks do, not why: a gap may be a date-line
            // move or a change of local mean time, not daylight saving.
            TimeError::Nonexistent { local, zone, candidates: [a, b] } => write!(
                f,
                "{} does not exist in {zone}: the clocks skip it (the zone's UTC offset changes from {} to {} then)",
                local.format("%Y-%m-%dT%H:%M:%S"),
                a.offset,
                b.offset
            ),
            TimeError::Ambiguous { local, zone, candidates: [a, b] } => write!(
                f,
                "{} happens twice in {zone}: the clocks repeat it (the zone's UTC offset changes from {} to {} then)",
                local.format("%Y-%m-%dT%H:%M:%S"),
                a.offset,
                b.offset
            ),
        }
    }
}

impl TimeError {
    /// What the author can write instead.
    pub fn hint(&self) -> String {
        match self {
            TimeError::DateOnly => "add a time and an offset, e.g. 2026-03-01T09:30:00Z".into(),
            TimeError::TimeOnly => "write a full datetime, e.g. 2026-03-01T09:30:00Z".into(),
            TimeError::Invalid(_) => "write a real date and time, e.g. 2026-03-01T09:30:00Z".into(),
            TimeError::OutOfRange(value) => {
                let year = value.split('-').next().and_then(|y| y.parse::<i32>().ok());
                let why = match year {
                    Some(year) if year >= YEARS.end => format!(
                        " (from {} on, the zone database knows no clock changes, so Candor cannot read \
                         those times exactly)",
                        YEARS.end
                    ),
                    _ => String::new(),
                };
                format!("check the year for a typo, e.g. 2026-03-01T09:30:00Z{why}")
            }
            TimeError::Nonexistent { local, candidates: [a, b], .. }
            | TimeError::Ambiguous { local, candidates: [a, b], .. } => {
                let what =
                    if a.whole_minutes() && b.whole_minutes() { "the offset of the instant" } else { "the instant" };
                format!("write {what} you mean: {} or {}", a.written(*local), b.written(*local))
            }
        }
    }
}

/// One instant a local wall time may name: the offset that reading uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub offset: FixedOffset,
    pub instant: Instant,
}

impl Candidate {
    fn new(local: NaiveDateTime, offset: FixedOffset) -> Self {
        let instant = Utc.from_utc_datetime(&(local - Duration::seconds(offset.local_minus_utc().into())));
        Candidate { offset, instant }
    }

    /// Can TOML write this offset? (Local mean times had seconds: +05:53:28.)
    fn whole_minutes(&self) -> bool {
        self.offset.local_minus_utc() % 60 == 0
    }

    /// The local time with this offset and the UTC time it names, as the
    /// author would write it; the UTC instant alone when TOML cannot write
    /// the offset.
    fn written(&self, local: NaiveDateTime) -> String {
        if self.whole_minutes() {
            format!("{}{} ({})", local.format("%Y-%m-%dT%H:%M:%S"), self.offset, self.instant.format("%H:%M UTC"))
        } else {
            rfc3339(self.instant)
        }
    }
}

/// The instant a TOML datetime names: offset datetimes as written, local
/// datetimes read in `zone`.
pub fn resolve(value: &toml::value::Datetime, zone: Tz) -> Result<Instant, TimeError> {
    let (date, time) = match (&value.date, &value.time) {
        (Some(d), Some(t)) => (d, t),
        (Some(_), None) => return Err(TimeError::DateOnly),
        (None, _) => return Err(TimeError::TimeOnly),
    };
    let date = calendar_date(date.year.into(), date.month.into(), date.day.into())?;
    let time = NaiveTime::from_hms_nano_opt(
        time.hour.into(),
        time.minute.into(),
        time.second.unwrap_or(0).into(),
        time.nanosecond.unwrap_or(0),
    )
    .ok_or_else(|| TimeError::Invalid(format!("{value} is not a valid time of day")))?;
    // The date as written: what the author sees and can correct.
    if !is_supported(date) {
        return Err(TimeError::OutOfRange(value.to_string()));
    }
    let local = date.and_time(time);
    match value.offset {
        Some(toml::value::Offset::Z) => Ok(Utc.from_utc_datetime(&local)),
        Some(toml::value::Offset::Custom { minutes }) => {
            Ok(Utc.from_utc_datetime(&(local - Duration::minutes(minutes.into()))))
        }
        None => resolve_local(local, zone),
    }
}

/// A calendar date, refusing dates that do not exist (2013-02-29, 2012-04-31).
pub fn calendar_date(year: i32, month: u32, day: u32) -> Result<NaiveDate, TimeError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let why = match days_in_month(year, month) {
            Some(n) if month == 2 && n == 28 => format!("February {year} has 28 days ({year} is not a leap year)"),
            Some(n) => format!("{} {year} has {n} days", month_name(month)),
            None => "months run from 01 to 12".to_owned(),
        };
        TimeError::Invalid(format!("{year:04}-{month:02}-{day:02} is not a date: {why}"))
    })
}

/// The date a TOML value names when a whole day is meant (action items' `due`).
pub fn resolve_date(value: &toml::value::Datetime) -> Result<NaiveDate, TimeError> {
    match (&value.date, &value.time, &value.offset) {
        (Some(d), None, None) => match calendar_date(d.year.into(), d.month.into(), d.day.into())? {
            date if !is_supported(date) => Err(TimeError::OutOfRange(value.to_string())),
            date => Ok(date),
        },
        _ => Err(TimeError::Invalid(format!("{value} is not a plain date like 2026-06-30"))),
    }
}

/// Number of days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((next - first).num_days() as u32)
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(month as usize - 1).copied().unwrap_or("?")
}

/// A local datetime in a zone, or why it names no single instant.
pub fn resolve_local(local: NaiveDateTime, zone: Tz) -> Result<Instant, TimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let candidates = [Candidate::new(local, a.offset().fix()), Candidate::new(local, b.offset().fix())];
            Err(TimeError::Ambiguous { local, zone, candidates })
        }
        LocalResult::None => {
            // The two readings an author may have meant: the wall time with
            // the offset in force before the gap, and the one after it.
            let before = zone.offset_from_utc_datetime(&(local - Duration::hours(12))).fix();
            let after = zone.offset_from_utc_datetime(&(local + Duration::hours(12))).fix();
            let candidates = [Candidate::new(local, before), Candidate::new(local, after)];
            Err(TimeError::Nonexistent { local, zone, candidates })
        }
    }
}

/// A duration written as "90m", "1h", "1h30m", "2d".
pub fn parse_interval(text: &str) -> Option<Duration> {
    let mut total = Duration::zero();
    let mut number = String::new();
    let mut any = false;
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += match c {
            'd' => Duration::days(n),
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            's' => Duration::seconds(n),
            _ => return None,
        };
        any = true;
    }
    (number.is_empty() && any && total > Duration::zero()).then_some(total)
}

/// The build's clock: `--now` if given, else `SOURCE_DATE_EPOCH`, else the
/// wall clock. Returns why a given value is unusable.
pub fn build_now(flag: Option<&str>, source_date_epoch: Option<&str>) -> Result<Instant, String> {
    let (now, given) = if let Some(text) = flag {
        let now = DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| {
            format!("--now {text:?} is not an RFC 3339 datetime ({e}); write e.g. 2026-11-22T09:00:00Z")
        })?;
        (now, format!("--now {text:?}"))
    } else if let Some(text) = source_date_epoch.filter(|s| !s.is_empty()) {
        let secs: i64 =
            text.trim().parse().map_err(|_| format!("SOURCE_DATE_EPOCH={text:?} is not a whole number of seconds"))?;
        let now =
            Utc.timestamp_opt(secs, 0).single().ok_or_else(|| format!("SOURCE_DATE_EPOCH={text:?} is out of range"))?;
        (now, format!("SOURCE_DATE_EPOCH={text:?} ({})", rfc3339(now)))
    } else {
        return Ok(Utc::now());
    };
    if !is_supported(now.date_naive()) {
        return Err(format!("{given} is outside the dates Candor accepts: the clock must be {}", supported_dates()));
    }
    Ok(now)
}

mod calendar;
pub use calendar::{day_bounds, day_start, local_date, local_month, month_bounds};
mod format;
pub use format::{abbreviation, compact, display, human_duration, outage_duration, rfc3339, rfc3339_millis};

#[cfg(test)]
mod tests;
