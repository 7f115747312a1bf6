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
        }
    }
}
