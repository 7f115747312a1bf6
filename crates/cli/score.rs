//! `screenscore score`: flags → a [`Batch`], run over the input into the chosen writers.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use screenscore::attention::AttentionCollector;
use screenscore::batch::{
    Batch, BatchBuilder, CodingCheck, ColumnMap, DateTally, HeaderWarning, HistorySettings, Layout,
    RowSink, ScoredRow, Summary,
};
use screenscore::change::CutoffKind;
use screenscore::date::DateFormat;
use screenscore::output::{CsvWriter, ErrorsWriter, JsonlWriter};
use screenscore::text::count;
use screenscore::{Instrument, ScoreSheet};

use crate::args::{Cutoff, Format, ReadArgs, SampleArgs, ScoreArgs};
use crate::export::Redcap;
use crate::files::{self, AtomicFile, Output, RunFiles};
use crate::handoff::Handoff;
use crate::progress::{Reading, Writes};
use crate::term::{inform, say};
use crate::{Failure, Outcome};

/// A batch builder with what `score` and `norms` share: instruments, column map, missing codes,
/// and with --redcap the project (also returned). Definition, column-map and dictionary files
/// are recorded in `files` as inputs.
pub fn base_batch(
    instruments: &[String],
    read: &ReadArgs,
    missing: &[String],
    files: &mut RunFiles,
) -> Result<(BatchBuilder, Option<Redcap>), Failure> {
    let mut builder = Batch::builder()
        .delimiter(read.delimiter)
        .threads(read.threads());
    for arg in instruments {
        builder = builder.instrument(files::instrument(arg, files)?);
    }
    let map = match &read.map {
        Some(path) => files::column_map(path, read.delimiter, files)?,
        None => ColumnMap::new(),
    };
    let redcap = match &read.export.redcap {
        Some(path) => Some(Redcap::load(
            &read.export,
            path,
            builder.instruments(),
            &map,
            files,
        )?),
        None if map.has_recodes() => {
            return Err(Failure::new(
                "the column map recodes answers (its `recode` column), which is read with a \
                 REDCap data dictionary: give --redcap DICT.csv",
            ));
        }
        None => None,
    };
    if let Some(redcap) = &redcap {
        builder = redcap.configure(builder, &read.export);
    }
    builder = builder.column_map(map);
    if let Some(path) = &read.labels {
        let labels = crate::locale::labels(path, read.delimiter, files)?;
        if let Some(notice) = crate::locale::unused_labels(path, &labels, builder.instruments()) {
            say(notice);
        }
        builder = builder.labels(labels);
    }
    for code in missing {
        builder = builder.missing_code(code);
    }
    Ok((builder, redcap))
}

/// Run a sample's batch, handing each administration's score sheet to `each` (warnings about
/// the header go to stderr).
pub fn run_sample(
    batch: &Batch,
    sample: &SampleArgs,
    each: impl FnMut(&ScoreSheet<'_>),
) -> Result<(Summary, Warnings), Failure> {
    let mut progress = Reading::start(false, Writes::AtEnd);
    let input = progress.wrap(files::input(sample.input.as_deref())?);
    let mut warnings = Warnings::default();
    let summary = batch.run(
        input,
        &mut [&mut EachSheet::new(each), &mut warnings, &mut progress],
    )?;
    progress.finish();
    Ok((summary, warnings))
}

/// The batch of `norms` and `stats`: one instrument over a sample, never writing over it (its
/// files are recorded in `files`, the output `-o` among them).
pub fn sample_batch(
    sample: &SampleArgs,
    missing: &[String],
    output: Option<&Path>,
    files: &mut RunFiles,
) -> Result<Batch, Failure> {
    let (builder, _) = base_batch(
        std::slice::from_ref(&sample.instrument),
        &sample.read,
        missing,
        files,
    )?;
    let batch = builder.build()?;
    files.intake(sample.input.as_deref());
    if let Some(path) = output {
        files.output(path, "-o")?;
    }
    Ok(batch)
}

pub fn run(args: ScoreArgs) -> Outcome {
    let mut files = RunFiles::new();
    let norms = Norms {
        files: &args.norms,
        group: args.norm_group.as_deref(),
        standard: args.standard,
    };
    let (mut builder, redcap) = scoring_batch(
        &args.instruments,
        &args.read,
        &args.missing.codes,
        norms,
        &mut files,
    )?;
    let clients = score_clients(&args, redcap.as_ref())?;
    if let Some(clients) = &clients {
        builder = builder.history(history(
            &clients.client_col,
            &clients.date_col,
            clients.date_format.clone(),
            args.cutoff,
        ));
    }
    let batch = builder.build()?;
    let style = args.write.style(args.read.delimiter)?;
    let mut import = match (&redcap, args.format) {
        (Some(redcap), Format::RedcapImport) => {
            let fields = crate::export::score_fields(&args.score_fields)?;
            Some(crate::export::Import::new(
                redcap,
                fields,
                batch.instruments(),
            )?)
        }
        _ => None,
    };

    let input_path = args.input.as_deref();
    files.intake(input_path);
    for (path, flag) in [(&args.output, "-o"), (&args.errors, "--errors")] {
        if let Some(path) = path {
            files.output(path, flag)?;
        }
    }

    for instrument in batch.instruments() {
        if let Some(notice) = status_notice(instrument, Notes::Written) {
            inform(format!("notice: {notice}"));
        }
    }

    let output = Output::open(args.output.as_deref(), &files)?;
    // On several threads, the output is written on one more, off the thread handing on rows.
    let mut output = if args.read.threads() > 1 {
        Destination::Handoff(Handoff::new(output))
    } else {
        Destination::Direct(output)
    };
    let mut errors = args
        .errors
        .as_deref()
        .map(|path| AtomicFile::create(path, &files))
        .transpose()?;
    let mut warnings = Warnings::default();
    let mut attention = AttentionCollector::new(clients.as_ref().map(|c| c.client_col.as_str()));
    // Rows written to standard output as they are scored: no progress line over them on a
    // terminal.
    let writes = match args.output {
        Some(_) => Writes::AtEnd,
        None => Writes::Streamed,
    };
    let mut progress = Reading::start(batch.has_history(), writes);
    enum Input {
        Once(Box<dyn std::io::Read>),
        Twice(Box<dyn files::ReadSeek>),
    }
    let input = if batch.has_history() {
        Input::Twice(progress.wrap_seekable(files::seekable_input(input_path)?))
    } else {
        Input::Once(progress.wrap(files::input(input_path)?))
    };
    // With change over time, a tally of the dates, to say when they were not understood.
    let mut dates = clients
        .as_ref()
        .map(|c| DateTally::new(&c.date_col, c.date_format.clone()));
    let summary = {
        let out: &mut dyn Write = match &mut output {
            Destination::Direct(output) => output,
            Destination::Handoff(handoff) => handoff,
        };
        let mut writer: Box<dyn RowSink + '_> = match args.format {
            Format::Csv => Box::new(CsvWriter::new(out).raw(args.raw).style(style)),
            Format::Jsonl => Box::new(JsonlWriter::new(out)),
            Format::RedcapImport => import.take().map_or_else(
                || Err(Failure::new("--format redcap-import needs --redcap DICT.csv and --score-fields SCORE=FIELD")),
                |import| Ok(import.writer(out)),
            )?,
        };
        let mut error_writer = errors
            .as_mut()
            .map(|file| ErrorsWriter::with_style(file, style).raw(args.raw));
        let mut sinks: Vec<&mut dyn RowSink> = vec![
            writer.as_mut(),
            &mut warnings,
            &mut attention,
            &mut progress,
        ];
        if let Some(error_writer) = error_writer.as_mut() {
            sinks.push(error_writer);
        }
        if let Some(dates) = dates.as_mut() {
            sinks.push(dates);
        }
        match input {
            Input::Twice(input) => batch.run_with_history(input, &mut sinks)?,
            Input::Once(input) => batch.run(input, &mut sinks)?,
        }
    };
    progress.finish();
    let output = match output {
        Destination::Direct(output) => output,
        Destination::Handoff(handoff) => handoff.finish()?,
    };
    output.commit()?;
    if let Some(errors) = errors {
        errors.commit()?;
    }
    if let Some(warning) = dates.as_ref().and_then(crate::locale::date_warning) {
        say(warning);
    }
    say(reconciliation(&summary));
    crate::attention::print(&attention.finish());
    Ok(exit_status(&summary, &warnings))
}

/// The client and date columns of `score`, when change over time is asked for: both given,
/// or with --redcap either one (the other is the record id or the form's survey timestamp).
fn score_clients(
    args: &ScoreArgs,
    redcap: Option<&Redcap>,
) -> Result<Option<crate::export::Clients>, Failure> {
    let events = redcap.is_some_and(|r| r.events.is_some());
    if args.client_col.is_none() && args.date_col.is_none() && !events {
        return Ok(None);
    }
    if redcap.is_none() && (args.client_col.is_none() || args.date_col.is_none()) {
        return Err(Failure::new(
            "change over time needs both --client-col and --date-col (with --redcap, either)",
        ));
    }
    let given = crate::args::ClientDates {
        client_col: args.client_col.clone(),
        date_col: args.date_col.clone(),
        date_format: args.date_format.clone(),
    };
    crate::export::client_dates(&given, redcap).map(Some)
}

/// Where the scores are written from: here, or through a writing thread.
enum Destination {
    Direct(Output),
    Handoff(Handoff),
}

/// Whether the output a notice speaks of has the instrument's `{id}_notes` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notes {
    /// Scored rows (`score`; and `instruments show` and `check`, which describe them).
    Written,
    /// No scored rows (`stats`, `outcomes`): the notice says nothing of rows.
    NotWritten,
}

/// The one-line notice for an instrument that is not validated.
pub fn status_notice(instrument: &Instrument, notes: Notes) -> Option<String> {
    let status = instrument.status_notice()?;
    Some(match notes {
        Notes::Written => format!("{status}; its rows say so in {}_notes", instrument.id()),
        Notes::NotWritten => status,
    })
}

/// Standard scores and the reference groups of `score` and `report`.
pub struct Norms<'a> {
    /// Local norms files.
    pub files: &'a [std::path::PathBuf],
    /// The reference group asked for.
    pub group: Option<&'a str>,
    /// Whether standard scores are written.
    pub standard: bool,
}

/// The batch of `score` and `report`: [`base_batch`] with standard scores, local norms (their
/// files recorded in `files` as inputs) and the choice of reference group.
pub fn scoring_batch(
    instruments: &[String],
    read: &ReadArgs,
    missing: &[String],
    norms: Norms<'_>,
    files: &mut RunFiles,
) -> Result<(BatchBuilder, Option<Redcap>), Failure> {
    let (builder, redcap) = base_batch(instruments, read, missing, files)?;
    let mut builder = builder.standard(norms.standard);
    for path in norms.files {
        builder = builder.local_norms(files::norms(path, files)?);
    }
    if let Some(id) = norms.group {
        builder = builder.norm_group(id);
    }
    Ok((builder, redcap))
}

/// The change settings from the command line.
pub fn history(
    client: &str,
    date: &str,
    date_format: DateFormat,
    cutoff: Cutoff,
) -> HistorySettings {
    HistorySettings {
        client_column: client.to_string(),
        date_column: date.to_string(),
        date_format,
        cutoff: match cutoff {
            Cutoff::A => CutoffKind::A,
            Cutoff::B => CutoffKind::B,
            Cutoff::C => CutoffKind::C,
        },
    }
}

/// `--date-format`: a declared layout, or ISO 8601.
pub fn date_format(layout: Option<&str>) -> Result<DateFormat, Failure> {
    match layout {
        Some(layout) => DateFormat::pattern(layout).map_err(Failure),
        None => Ok(DateFormat::Iso8601),
    }
}

/// `N rows read: N scored, N incomplete, N invalid, N absent`.
pub fn reconciliation(s: &Summary) -> String {
    format!(
        "{} read: {} scored, {} incomplete, {} invalid, {} absent",
        count(s.rows, "row", "rows"),
        s.ok,
        s.incomplete,
        s.invalid,
        s.absent
    )
}

/// Prints the header warnings once, before the first row, and what the whole file's values say
/// (another coding of a response set, [`CodingCheck`]) after the last; remembers whether the
/// header lacks item columns of a requested instrument (which makes the run exit 1).
#[derive(Default)]
pub struct Warnings {
    coding: CodingCheck,
    lacks_item_columns: bool,
    /// Leave out the warning about the `_percentile` column (for reports, which have no such
    /// column and say in words why a group gives no percentile).
    no_percentile_columns: bool,
}

impl Warnings {
    /// The warnings of a run that writes reports, not score columns.
    pub fn for_reports() -> Warnings {
        Warnings {
            no_percentile_columns: true,
            ..Warnings::default()
        }
    }
}

/// The one exit-status rule of every subcommand that reads an intake file: 1 when the run
/// finished but some rows are invalid or item columns of a requested instrument are missing
/// from the header, else 0 (2, nothing could be done, is an `Err`).
pub fn exit_status(summary: &Summary, warnings: &Warnings) -> ExitCode {
    if summary.invalid > 0 || warnings.lacks_item_columns {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Hands the first instrument's score sheet of every row to a closure (norms, stats).
struct EachSheet<F>(F);

impl<F: FnMut(&ScoreSheet<'_>)> EachSheet<F> {
    fn new(f: F) -> EachSheet<F> {
        EachSheet(f)
    }
}

impl<F: FnMut(&ScoreSheet<'_>)> RowSink for EachSheet<F> {
    fn begin(&mut self, _: &Layout, _: &[Instrument]) -> io::Result<()> {
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        (self.0)(&row.sheets()[0]);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl RowSink for Warnings {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        for warning in layout.warnings() {
            if self.no_percentile_columns
                && matches!(warning, HeaderWarning::NoPercentileFromData { .. })
            {
                continue;
            }
            say(format!("warning: {warning}"));
            self.lacks_item_columns |= warning.lacks_item_columns();
        }
        self.coding.begin(layout, instruments)
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        self.coding.row(row)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.coding.finish()?;
        for warning in self.coding.warnings() {
            say(format!("warning: {warning}"));
        }
        Ok(())
    }
}
