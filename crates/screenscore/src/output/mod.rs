//! Writers of batch results: the scores CSV, JSON Lines, and the report of bad cells.
//!
//! Each is a [`RowSink`](crate::batch::RowSink): it sees the layout once and then every scored
//! row in input order. Writers format; they know nothing of scoring rules.

mod csv;
mod errors;
mod jsonl;
mod line;
mod number;
mod safe;

pub use self::csv::CsvWriter;
pub use errors::ErrorsWriter;
pub use jsonl::JsonlWriter;
pub use safe::spreadsheet_safe;

use crate::batch::ScoredRow;

/// The text of `{instrument}_error` for instrument `k`: every bad cell as `column: message`,
/// joined by `; ` (or the row's shape problem).
pub(crate) fn error_text(row: &ScoredRow<'_>, k: usize, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    if let Some(message) = row.problem_message() {
        out.push_str(&message);
        return;
    }
    for (n, e) in row.sheets()[k].errors().enumerate() {
        if n > 0 {
            out.push_str("; ");
        }
        let _ = write!(out, "{}: {e}", row.column_name(k, e.item_index()));
    }
}

/// The reference group and stratum of a standard score: `group` or `group (female, age 18-29)`.
pub(crate) fn stratum_label(score: &crate::norms::StandardScore<'_>) -> String {
    let mut parts = Vec::new();
    if let Some(sex) = &score.stratum.sex {
        parts.push(sex.clone());
    }
    if let Some(age) = score.stratum.age {
        parts.push(format!(
            "age {}-{}",
            crate::format_score(age.from),
            crate::format_score(age.to)
        ));
    }
    if parts.is_empty() {
        score.group.id.clone()
    } else {
        format!("{} ({})", score.group.id, parts.join(", "))
    }
}
