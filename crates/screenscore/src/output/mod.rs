//! Writers of batch results: the scores CSV, JSON Lines, and the report of bad cells.
//!
//! Each is a [`RowSink`](crate::batch::RowSink): it sees the layout once and then every scored
//! row in input order, and reads it through the row model
//! ([`InstrumentRow`](crate::batch::InstrumentRow), [`ScaleRow`](crate::batch::ScaleRow)).
//! Writers format; they know nothing of scoring rules.

mod cache;
mod csv;
mod errors;
mod json;
mod jsonl;
mod line;
mod number;
mod outcomes;
mod safe;
mod style;

use std::fmt;

pub use self::csv::CsvWriter;
pub use errors::ErrorsWriter;
pub use jsonl::JsonlWriter;
pub use outcomes::{
    scope_name, write_outcomes_csv, write_outcomes_jsonl, write_summary_csv, write_summary_json,
};
pub use safe::spreadsheet_safe;
pub use style::{Bom, CsvStyle, DecimalMark, StyleError};

use crate::norms::StandardScore;

/// The reference group and stratum of a standard score, as written in `_norm`: `group`, or
/// `group (female, age 18-29)`.
///
/// ```
/// use screenscore::Instrument;
/// use screenscore::norms::{Respondent, Sex, default_group, standard_score};
/// use screenscore::output::NormLabel;
///
/// let gad7 = Instrument::builtin("gad7")?;
/// let group = default_group(&gad7.definition().scales[0]).unwrap();
/// let woman = Respondent { sex: Some(Sex::Female), age: None };
/// let placed = standard_score(7.0, group, &woman).unwrap();
/// assert_eq!(NormLabel(&placed).to_string(), "german_general_population_2006 (female)");
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NormLabel<'a>(pub &'a StandardScore<'a>);

impl fmt::Display for NormLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let score = self.0;
        f.write_str(&score.group.id)?;
        let (sex, age) = (&score.stratum.sex, score.stratum.age);
        if sex.is_none() && age.is_none() {
            return Ok(());
        }
        f.write_str(" (")?;
        if let Some(sex) = sex {
            f.write_str(sex)?;
        }
        if let Some(age) = age {
            if sex.is_some() {
                f.write_str(", ")?;
            }
            write!(
                f,
                "age {}-{}",
                crate::format_score(age.from),
                crate::format_score(age.to)
            )?;
        }
        f.write_str(")")
    }
}
