//! What the header of an input says that a person should know before the rows: typed, with
//! `Display`, said once per file.

use std::fmt;

use crate::matcher::join_list;

/// A warning about the header of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderWarning {
    /// No column of any of an instrument's items: it is `absent` in every row.
    NoItemColumns {
        /// The instrument.
        instrument: String,
        /// Its first item's column.
        first: String,
        /// Its last item's column.
        last: String,
    },
    /// Some item columns are lacking: those items are missing in every row.
    LackingItemColumns {
        /// The instrument.
        instrument: String,
        /// The lacking columns.
        columns: Vec<String>,
    },
    /// A respondent attribute's column is lacking.
    NoAttributeColumn {
        /// The instrument.
        instrument: String,
        /// The attribute (and its column's name).
        attribute: String,
        /// What the attribute is.
        label: String,
    },
    /// Standard scores are on and the input has neither a `sex` nor an `age` column.
    NoSexOrAge,
    /// Standard scores are on and these scales' reference groups give a mean and an SD but
    /// not their distribution, so `_percentile` is empty.
    NoPercentileFromData {
        /// `instrument scale (group id)`, one per scale.
        scales: Vec<String>,
    },
    /// Pass-through columns are named like an instrument's columns but are not its items.
    NamedAlike {
        /// The instrument.
        instrument: String,
        /// The columns.
        columns: Vec<String>,
    },
    /// A pass-through column has the name of one of the output's own columns (a score
    /// exported by a form tool): it is renamed in the output.
    RenamedInOutput {
        /// The column's name in the input.
        column: String,
        /// Its name in the output.
        renamed: String,
    },
    /// The input has columns that the form tool's project does not: an export of another
    /// project, or a dictionary older than the export.
    NotInProject {
        /// The tool (`REDCap`).
        tool: &'static str,
        /// The columns.
        columns: Vec<String>,
    },
    /// A rename of the column map names no column of the input: it did nothing.
    UnmatchedRename {
        /// The column the map renames, as the map gives it.
        from: String,
        /// Its new name.
        to: String,
    },
}

impl HeaderWarning {
    /// Whether the warning says that item columns of a requested instrument are not in the
    /// header (some of them, or all): those items count as missing in every row, so the run
    /// cannot score what was asked of it, and the command line exits 1.
    ///
    /// ```
    /// use screenscore::batch::HeaderWarning;
    ///
    /// let lacking = HeaderWarning::LackingItemColumns {
    ///     instrument: "gad7".into(),
    ///     columns: vec!["gad7_7".into()],
    /// };
    /// assert!(lacking.lacks_item_columns());
    /// assert!(!HeaderWarning::NoSexOrAge.lacks_item_columns());
    /// ```
    pub fn lacks_item_columns(&self) -> bool {
        matches!(
            self,
            HeaderWarning::NoItemColumns { .. } | HeaderWarning::LackingItemColumns { .. }
        )
    }
}

impl fmt::Display for HeaderWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderWarning::NoItemColumns {
                instrument,
                first,
                last,
            } => write!(
                f,
                "{instrument}: the input has no column for any of its items ({first} … {last}); it is `absent` in every row"
            ),
            HeaderWarning::LackingItemColumns {
                instrument,
                columns,
            } => {
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                let (column, items) = match columns.len() {
                    1 => ("column", "that item is"),
                    _ => ("columns", "those items are"),
                };
                write!(
                    f,
                    "{instrument}: the input has no {column} {}; {items} counted as missing in every row",
                    join_list(&names, "and")
                )
            }
            HeaderWarning::NoAttributeColumn {
                instrument,
                attribute,
                label,
            } => write!(
                f,
                "{instrument}: the input has no `{attribute}` column ({label}); what depends on it is scored as if it were not given"
            ),
            HeaderWarning::NoSexOrAge => f.write_str(
                "standard scores: the input has no `sex` or `age` column; norm groups stratified by them give no standard score",
            ),
            HeaderWarning::NoPercentileFromData { scales } => {
                let names: Vec<&str> = scales.iter().map(String::as_str).collect();
                write!(
                    f,
                    "standard scores: `_percentile` is empty for {}: the reference group gives a mean and an SD, \
                     not its distribution, and screening scores are too skewed to read a percentile off a normal curve \
                     (`_percentile_normal` is that normal approximation; it overstates how rare high scores are)",
                    join_list(&names, "and"),
                )
            }
            HeaderWarning::NamedAlike {
                instrument,
                columns,
            } => {
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                let (columns, are, they) = match names.len() {
                    1 => ("column", "is", "it passes"),
                    _ => ("columns", "are", "they pass"),
                };
                write!(
                    f,
                    "{instrument}: {columns} {} {are} named like its columns but {are} not its items; \
                     {they} through as read",
                    join_list(&names, "and"),
                )
            }
            HeaderWarning::UnmatchedRename { from, to } => write!(
                f,
                "the column map renames `{from}` to `{to}`, but the input has no column `{from}`: that rename did nothing"
            ),
            HeaderWarning::NotInProject { tool, columns } => {
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                write!(
                    f,
                    "the input has {} that the {tool} data dictionary lacks: {} (was it exported from another project, or is the dictionary older than the export?); {} passed through",
                    if columns.len() == 1 { "a column" } else { "columns" },
                    join_list(&names, "and"),
                    if columns.len() == 1 { "it is" } else { "they are" }
                )
            }
            HeaderWarning::RenamedInOutput { column, renamed } => write!(
                f,
                "the input's column `{column}` has the name of a score column screenscore writes: it is passed through as `{renamed}`"
            ),
        }
    }
}

/// A warning about a whole input, known only after its last row.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FileWarning {
    /// The numbers in an instrument's item cells look like another coding of its response set
    /// (see [`CodingCheck`](super::CodingCheck)).
    OtherCoding {
        /// The instrument.
        instrument: String,
        /// The other coding's label (`the US 0-4 coding`).
        coding: String,
        /// This coding's values, ascending.
        ours: Vec<f64>,
        /// Rows with a number of either coding in some item cell.
        rows: u64,
        /// This coding's values that the other lacks; no cell held them.
        never: Vec<f64>,
        /// The other coding's values that this one lacks, held by cells, with how many.
        other_only: Vec<(f64, u64)>,
        /// The other coding's value of an option less this one's.
        offset: f64,
        /// Per summed scale: how far a row in the other coding, read in this one, is off.
        shifts: Vec<(String, f64)>,
    },
}

/// `0-4` for consecutive whole numbers, else `0, 2, 4`.
fn values(v: &[f64]) -> String {
    let consecutive = v.len() > 2
        && v.iter().all(|x| x.fract() == 0.0)
        && v.windows(2).all(|w| w[1] - w[0] == 1.0);
    match (consecutive, v.first(), v.last()) {
        (true, Some(lo), Some(hi)) => format!("{lo}-{hi}"),
        _ => {
            let words: Vec<String> = v.iter().map(f64::to_string).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            join_list(&words, "and")
        }
    }
}

/// `6 too high`, `10 too low`.
fn off_by(x: f64) -> String {
    match x > 0.0 {
        true => format!("{x} too high"),
        false => format!("{} too low", -x),
    }
}

impl fmt::Display for FileWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileWarning::OtherCoding {
                instrument,
                coding,
                ours,
                rows,
                never,
                other_only,
                offset,
                shifts,
            } => {
                let never: Vec<String> = never.iter().map(f64::to_string).collect();
                let never: Vec<&str> = never.iter().map(String::as_str).collect();
                write!(
                    f,
                    "{instrument}: across {rows} rows with a number in its item cells, no cell holds {}",
                    join_list(&never, "or")
                )?;
                if other_only.is_empty() {
                    let rest: Vec<String> = ours[1..].iter().map(f64::to_string).collect();
                    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
                    write!(f, ", while {} all occur", join_list(&rest, "and"))?;
                } else {
                    let held: Vec<String> = other_only
                        .iter()
                        .map(|(v, n)| match n {
                            1 => format!("1 cell holds {v}"),
                            _ => format!("{n} cells hold {v}"),
                        })
                        .collect();
                    let held: Vec<&str> = held.iter().map(String::as_str).collect();
                    let a_value = match other_only.len() {
                        1 => "a value",
                        _ => "values",
                    };
                    write!(
                        f,
                        ", and {}, {a_value} only {coding} has",
                        join_list(&held, "and")
                    )?;
                }
                write!(
                    f,
                    ": the file may be in {coding}, not the {} coding this definition reads. \
                     Read as {}, each answer of a row in {coding} scores {}",
                    values(ours),
                    values(ours),
                    off_by(*offset)
                )?;
                if !shifts.is_empty() {
                    let totals: Vec<String> = shifts
                        .iter()
                        .map(|(scale, x)| format!("{instrument}_{scale} {}", off_by(*x)))
                        .collect();
                    let totals: Vec<&str> = totals.iter().map(String::as_str).collect();
                    write!(f, " ({})", join_list(&totals, "and"))?;
                }
                f.write_str(
                    ", and a row holding a value this coding lacks is invalid; \
                     check how the file is coded, then recode it or give the answers as labels",
                )
            }
        }
    }
}
