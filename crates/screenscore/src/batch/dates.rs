//! Dates not understood are said to be not understood: a tally of a run's date column, and the
//! layouts that would read the dates it could not.
//!
//! Change over time, reports and outcomes order a client's administrations by date. When the
//! dates of a file are written in a layout the run was not told (`06.01.2026` read as ISO
//! 8601), no administration is placed, and every row says so in its own note; a person needs
//! one sentence instead: which column, an example, and the `--date-format` that reads it.
//! Day-first and month-first are never chosen between silently: when both read every date,
//! the verdict says the file is ambiguous and names both.

use std::io;

use crate::date::DateFormat;
use crate::instrument::Instrument;
use crate::matcher::trim;

use super::{Layout, RowSink, ScoredRow};

/// Layouts tried on the dates a run could not read, most common first. Where a day-first
/// and a month-first layout both read every date, both are named.
pub const COMMON_LAYOUTS: [&str; 14] = [
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
];

/// How many characters of a date that could not be read the verdict keeps as its example.
const EXAMPLE_CHARS: usize = 40;

/// What became of a run's dates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateVerdict {
    /// No row had a date (or the column was not found).
    NoDates,
    /// Most dates were read (at least half of the rows that have one).
    Understood {
        /// Cells with a date in them.
        dated: u64,
        /// Of those, the ones that could not be read.
        unread: u64,
    },
    /// Most dates could not be read.
    NotUnderstood {
        /// Cells with a date in them.
        dated: u64,
        /// Of those, the ones that could not be read.
        unread: u64,
        /// The first date that could not be read.
        example: String,
        /// What would read them.
        suggestion: Suggestion,
    },
}

/// The layouts that would read the dates a run could not.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Suggestion {
    /// One layout reads every one of them.
    Layout(&'static str),
    /// More than one layout reads every one of them, and they disagree on the dates
    /// (day-first and month-first): the file does not say which.
    Ambiguous(Vec<&'static str>),
    /// No common layout reads them all.
    None,
}

/// A [`RowSink`] that counts a run's dates: cells with a date, those the run's format could
/// not read, the first of those, and which of [`COMMON_LAYOUTS`] read all of them.
///
/// ```
/// use screenscore::batch::{Batch, DateTally, DateVerdict, Suggestion};
/// use screenscore::date::DateFormat;
/// use screenscore::Instrument;
///
/// let csv = "client;date;gad2_1;gad2_2\nA;06.01.2026;1;1\nA;03.02.2026;0;1\n";
/// let batch = Batch::builder()
///     .instrument(Instrument::builtin("gad2")?.clone())
///     .delimiter(b';')
///     .build()?;
/// let mut dates = DateTally::new("date", DateFormat::Iso8601);
/// batch.run(csv.as_bytes(), &mut [&mut dates])?;
/// assert_eq!(
///     dates.verdict(),
///     DateVerdict::NotUnderstood {
///         dated: 2,
///         unread: 2,
///         example: "06.01.2026".into(),
///         suggestion: Suggestion::Layout("%d.%m.%Y"),
///     }
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DateTally {
    column_name: String,
    format: DateFormat,
    column: Option<usize>,
    dated: u64,
    unread: u64,
    example: Option<String>,
    /// Per common layout, how many of the unread dates it reads.
    reads: [u64; COMMON_LAYOUTS.len()],
    /// The parsed layouts, made once.
    layouts: Vec<DateFormat>,
}

impl DateTally {
    /// Count the dates in the column named `column` (matched regardless of case), read as
    /// `format`.
    pub fn new(column: &str, format: DateFormat) -> DateTally {
        DateTally {
            column_name: column.to_string(),
            format,
            column: None,
            dated: 0,
            unread: 0,
            example: None,
            reads: [0; COMMON_LAYOUTS.len()],
            layouts: COMMON_LAYOUTS
                .iter()
                .map(|l| DateFormat::Pattern((*l).to_string()))
                .collect(),
        }
    }

    /// The column counted.
    pub fn column(&self) -> &str {
        &self.column_name
    }

    /// The format the run read dates in.
    pub fn format(&self) -> &DateFormat {
        &self.format
    }

    /// Count one cell (trimmed; an empty one is not a date).
    ///
    /// ```
    /// use screenscore::batch::{DateTally, DateVerdict, Suggestion};
    /// use screenscore::date::DateFormat;
    ///
    /// let mut tally = DateTally::new("date", DateFormat::Iso8601);
    /// for cell in ["06/01/2026", "", "03/02/2026"] {
    ///     tally.add(cell);
    /// }
    /// // Day first or month first: both read both dates, and neither is chosen.
    /// let DateVerdict::NotUnderstood { dated: 2, unread: 2, suggestion, .. } = tally.verdict() else {
    ///     panic!()
    /// };
    /// assert_eq!(suggestion, Suggestion::Ambiguous(vec!["%d/%m/%Y", "%m/%d/%Y"]));
    /// ```
    pub fn add(&mut self, cell: &str) {
        let cell = cell.trim();
        if cell.is_empty() {
            return;
        }
        self.dated += 1;
        if self.format.parse(cell).is_ok() {
            return;
        }
        self.unread += 1;
        if self.example.is_none() {
            // Shown in a message: the first 40 characters, as cell values are.
            let mut example: String = cell.chars().take(EXAMPLE_CHARS).collect();
            if example.len() < cell.len() {
                example.push('…');
            }
            self.example = Some(example);
        }
        for (count, layout) in self.reads.iter_mut().zip(&self.layouts) {
            if layout.parse(cell).is_ok() {
                *count += 1;
            }
        }
    }

    /// What became of the dates counted so far.
    pub fn verdict(&self) -> DateVerdict {
        if self.dated == 0 {
            return DateVerdict::NoDates;
        }
        let (dated, unread) = (self.dated, self.unread);
        if unread * 2 <= dated {
            return DateVerdict::Understood { dated, unread };
        }
        let all: Vec<&'static str> = COMMON_LAYOUTS
            .iter()
            .zip(&self.reads)
            .filter(|&(_, &reads)| reads == unread)
            .map(|(layout, _)| *layout)
            .collect();
        let suggestion = match all.as_slice() {
            [] => Suggestion::None,
            [one] => Suggestion::Layout(one),
            _ => Suggestion::Ambiguous(all),
        };
        DateVerdict::NotUnderstood {
            dated,
            unread,
            example: self.example.clone().unwrap_or_default(),
            suggestion,
        }
    }
}

impl RowSink for DateTally {
    fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
        self.column = layout
            .names()
            .iter()
            .position(|n| n.eq_ignore_ascii_case(&self.column_name));
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let Some(c) = self.column else { return Ok(()) };
        let cell = trim(row.cells.get(c).unwrap_or_default());
        let cell = match row.layout.date_text(Some(cell)) {
            "" => &[][..],
            _ => cell,
        };
        // A row without a date where nothing was administered is no administration (a row
        // of other forms in a form tool's export).
        if cell.is_empty() && row.status() == crate::sheet::Status::Absent {
            return Ok(());
        }
        // A cell that is not UTF-8 is no date, and no example either.
        match std::str::from_utf8(cell) {
            Ok(text) => self.add(text),
            Err(_) if !cell.is_empty() => {
                self.dated += 1;
                self.unread += 1;
            }
            Err(_) => {}
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(format: DateFormat, cells: &[&str]) -> DateVerdict {
        let mut tally = DateTally::new("date", format);
        for cell in cells {
            tally.add(cell);
        }
        tally.verdict()
    }

    fn not_understood(dated: u64, unread: u64, example: &str, s: Suggestion) -> DateVerdict {
        DateVerdict::NotUnderstood {
            dated,
            unread,
            example: example.into(),
            suggestion: s,
        }
    }

    #[test]
    fn dates_read_by_the_runs_format_are_understood() {
        let iso = DateFormat::Iso8601;
        assert_eq!(tally(iso.clone(), &[]), DateVerdict::NoDates);
        assert_eq!(tally(iso.clone(), &["", "  "]), DateVerdict::NoDates);
        assert_eq!(
            tally(iso.clone(), &["2026-01-06", "06.01.2026", ""]),
            DateVerdict::Understood {
                dated: 2,
                unread: 1
            }
        );
        let german = DateFormat::pattern("%d.%m.%Y").unwrap();
        assert_eq!(
            tally(german, &["06.01.2026", "6.2.2026"]),
            DateVerdict::Understood {
                dated: 2,
                unread: 0
            }
        );
    }

    #[test]
    fn the_layout_that_reads_them_is_named() {
        let iso = DateFormat::Iso8601;
        assert_eq!(
            tally(iso.clone(), &["06.01.2026", "13.01.2026", "2026-02-01"]),
            not_understood(3, 2, "06.01.2026", Suggestion::Layout("%d.%m.%Y"))
        );
        assert_eq!(
            tally(iso.clone(), &["06.01.2026 09:30", "13.01.2026 17:05"]),
            not_understood(
                2,
                2,
                "06.01.2026 09:30",
                Suggestion::Layout("%d.%m.%Y %H:%M")
            )
        );
        // 13/01 has no 13th month: day first.
        assert_eq!(
            tally(iso.clone(), &["06/01/2026", "13/01/2026"]),
            not_understood(2, 2, "06/01/2026", Suggestion::Layout("%d/%m/%Y"))
        );
        // 01/13 has no 13th month the other way: month first.
        assert_eq!(
            tally(iso.clone(), &["01/06/2026", "01/13/2026"]),
            not_understood(2, 2, "01/06/2026", Suggestion::Layout("%m/%d/%Y"))
        );
        // A date that is no date at all; a long one is cut.
        assert_eq!(
            tally(iso.clone(), &["last Tuesday", "06.01.2026"]),
            not_understood(2, 2, "last Tuesday", Suggestion::None)
        );
        let long = "x".repeat(100);
        assert_eq!(
            tally(iso, &[long.as_str()]),
            not_understood(1, 1, &format!("{}…", "x".repeat(40)), Suggestion::None)
        );
    }

    #[test]
    fn day_first_and_month_first_are_never_chosen_between_silently() {
        assert_eq!(
            tally(
                DateFormat::Iso8601,
                &["06/01/2026", "03/02/2026", "12/12/2026"]
            ),
            not_understood(
                3,
                3,
                "06/01/2026",
                Suggestion::Ambiguous(vec!["%d/%m/%Y", "%m/%d/%Y"])
            )
        );
        // Read as month-first by the run, the day-first dates it could not read are named.
        let us = DateFormat::pattern("%m/%d/%Y").unwrap();
        assert_eq!(
            tally(us, &["13/01/2026", "14/01/2026", "01/02/2026"]),
            not_understood(3, 2, "13/01/2026", Suggestion::Layout("%d/%m/%Y"))
        );
    }
}
