//! Exports of a form tool read as they are: `--redcap DICT.csv` (the project's data
//! dictionary), `--require-complete`, and the client and date columns they imply.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use screenscore::Instrument;
use screenscore::batch::{BatchBuilder, ColumnMap, FormPlan, FormTool, Layout, RowSink, ScoredRow};
use screenscore::date::DateFormat;
use screenscore::redcap::{
    Dictionary, ImportWriter, ScoreFields, event_order, export_columns, form_plans,
};

use crate::Failure;
use crate::args::ClientDates;
use crate::files::RunFiles;
use crate::term::say;

/// How a REDCap export is read.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Read the input as an export of the REDCap project with this data dictionary (the
    /// Data Dictionary page's download or the API's metadata export): answers exported as
    /// labels are read through it, `{form}_complete` goes into the notes, a calculated field
    /// holding a score is compared with the score computed, the record id is the client and
    /// the form's survey timestamp the date.
    #[arg(long, value_name = "DICT.csv", help_heading = "REDCap")]
    pub redcap: Option<PathBuf>,

    /// With --redcap: score only forms marked Complete (`{form}_complete` = 2); others are
    /// `absent`, with a note.
    #[arg(long, requires = "redcap", help_heading = "REDCap")]
    pub require_complete: bool,

    /// With --redcap, for a longitudinal project whose forms hold no date: order each
    /// client's administrations by their event (`redcap_event_name`) in this event list
    /// (REDCap's event export, with a `unique_event_name` column), not by a date column.
    /// Repeats of a form within one event are not told apart: neither is compared.
    #[arg(
        long,
        value_name = "EVENTS.csv",
        requires = "redcap",
        help_heading = "REDCap"
    )]
    pub event_order: Option<PathBuf>,
}

/// A REDCap project: its dictionary, the form plans of the instruments scored, and the order
/// of its events when given.
pub struct Redcap {
    pub dictionary: Dictionary,
    pub plans: Vec<FormPlan>,
    pub events: Option<Vec<String>>,
}

impl Redcap {
    /// Read the dictionary of `--redcap` (recorded in `files` as an input) and plan the
    /// instruments' forms, their columns renamed by `map`.
    pub fn load(
        args: &ExportArgs,
        path: &Path,
        instruments: &[Instrument],
        map: &ColumnMap,
        files: &mut RunFiles,
    ) -> Result<Redcap, Failure> {
        files.input(path, "the data dictionary");
        let events = match &args.event_order {
            Some(events) => {
                files.input(events, "the event list");
                Some(
                    event_order(events)
                        .map_err(|e| Failure(format!("{}: {e}", events.display())))?,
                )
            }
            None => None,
        };
        let dictionary =
            Dictionary::from_path(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        let plans = form_plans(&dictionary, map, instruments)
            .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        Ok(Redcap {
            dictionary,
            plans,
            events,
        })
    }

    /// The batch read as this project's export.
    pub fn configure(&self, builder: BatchBuilder, args: &ExportArgs) -> BatchBuilder {
        builder
            .forms(FormTool::Redcap, self.plans.clone())
            .export_columns(export_columns(&self.dictionary))
            .require_complete(args.require_complete)
    }

    /// The client column: the record id (the dictionary's first field).
    pub fn client_column(&self) -> String {
        self.dictionary.record_id().name.clone()
    }

    /// The date column: the survey timestamp of the first instrument's form.
    pub fn date_column(&self) -> Option<String> {
        self.plans.iter().find_map(|p| p.timestamp_column.clone())
    }
}

/// `--format redcap-import`: the score fields, checked against the dictionary.
pub struct Import(ScoreFields);

/// `--score-fields` as `(score column, field)` pairs.
pub fn score_fields(pairs: &[String]) -> Result<Vec<(String, String)>, Failure> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((score, field)) if !score.trim().is_empty() && !field.trim().is_empty() => {
                Ok((score.trim().to_string(), field.trim().to_string()))
            }
            _ => Err(Failure(format!(
                "--score-fields `{pair}`: give SCORE=FIELD, as phq9_total=phq9_score"
            ))),
        })
        .collect()
}

impl Import {
    /// Check the score fields against the dictionary and the instruments (before any output
    /// is opened).
    pub fn new(
        redcap: &Redcap,
        fields: Vec<(String, String)>,
        instruments: &[Instrument],
    ) -> Result<Import, Failure> {
        if fields.is_empty() {
            return Err(Failure::new(
                "--format redcap-import needs --score-fields SCORE=FIELD (as phq9_total=phq9_score)",
            ));
        }
        let checked = ScoreFields::new(&redcap.dictionary, instruments, &redcap.plans, &fields)?;
        Ok(Import(checked))
    }

    /// The writer of the import file, into `out`.
    pub fn writer<'w, W: Write + 'w>(self, out: W) -> Box<dyn RowSink + 'w> {
        Box::new(SayRefused(ImportWriter::new(out, self.0)))
    }
}

/// The import writer, saying after the last row which scores a field did not accept.
struct SayRefused<W: Write>(ImportWriter<W>);

impl<W: Write> RowSink for SayRefused<W> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.0.begin(layout, instruments)
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        self.0.row(row)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.0.finish()?;
        for refused in self.0.refused() {
            say(format!(
                "warning: record {}: {} accepts {}, not the score {}: left empty in the import file",
                refused.record, refused.field, refused.accepts, refused.score
            ));
        }
        Ok(())
    }
}

/// The client and date columns of `report` and `outcomes`, resolved.
pub struct Clients {
    pub client_col: String,
    pub date_col: String,
    pub date_format: DateFormat,
}

/// The client and date columns: as given, else (with --redcap) the record id and the survey
/// timestamp of the first instrument's form.
pub fn client_dates(given: &ClientDates, redcap: Option<&Redcap>) -> Result<Clients, Failure> {
    let client_col = match (&given.client_col, redcap) {
        (Some(column), _) => column.clone(),
        (None, Some(redcap)) => redcap.client_column(),
        (None, None) => {
            return Err(Failure::new(
                "give --client-col COLUMN (the column with each client's id)",
            ));
        }
    };
    if let Some(events) = redcap.and_then(|r| r.events.clone()) {
        if given.date_col.is_some() || given.date_format.is_some() {
            return Err(Failure::new(
                "--event-order orders administrations by REDCap event, --date-col by a date: give one",
            ));
        }
        return Ok(Clients {
            client_col,
            date_col: "redcap_event_name".to_string(),
            date_format: DateFormat::Events(events),
        });
    }
    let date_col = match (&given.date_col, redcap.and_then(Redcap::date_column)) {
        (Some(column), _) => column.clone(),
        (None, Some(column)) => column,
        (None, None) => {
            return Err(Failure::new(
                "give --date-col COLUMN (the column with each administration's date)",
            ));
        }
    };
    Ok(Clients {
        client_col,
        date_col,
        date_format: crate::score::date_format(given.date_format.as_deref())?,
    })
}
