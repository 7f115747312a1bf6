//! `screenscore score`: flags → a [`Batch`], run over the input into the chosen writers.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use screenscore::batch::{
    Batch, BatchBuilder, DateTally, HistorySettings, Layout, RowSink, ScoredRow, Summary,
};
use screenscore::change::CutoffKind;
use screenscore::date::DateFormat;
use screenscore::output::{CsvWriter, ErrorsWriter, JsonlWriter};
use screenscore::{Instrument, InstrumentStatus, ScoreSheet};

use crate::args::{Cutoff, Format, ReadArgs, SampleArgs, ScoreArgs};
use crate::files::{self, AtomicFile, Output, RunFiles};
use crate::handoff::Handoff;
use crate::term::say;
use crate::{Failure, Outcome};

/// A batch builder with what `score` and `norms` share: instruments, column map, missing codes.
/// Definition and column-map files are recorded in `files` as inputs.
pub fn base_batch(
    instruments: &[String],
    read: &ReadArgs,
    missing: &[String],
    files: &mut RunFiles,
) -> Result<BatchBuilder, Failure> {
    let mut builder = Batch::builder()
        .delimiter(read.delimiter)
        .threads(read.threads());
    for arg in instruments {
        builder = builder.instrument(files::instrument(arg, files)?);
    }
    if let Some(path) = &read.map {
        builder = builder.column_map(files::column_map(path, read.delimiter, files)?);
    }
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
    Ok(builder)
}

/// Run a sample's batch, handing each administration's score sheet to `each` (warnings about
/// the header go to stderr).
pub fn run_sample(
    batch: &Batch,
    sample: &SampleArgs,
    each: impl FnMut(&ScoreSheet<'_>),
) -> Result<Summary, Failure> {
    let input = files::input(sample.input.as_deref())?;
    Ok(batch.run(input, &mut [&mut EachSheet::new(each), &mut Warnings])?)
}

/// The batch of `norms` and `stats`: one instrument over a sample, never writing over it (its
/// files are recorded in `files`, the output `-o` among them).
pub fn sample_batch(
    sample: &SampleArgs,
    missing: &[String],
    output: Option<&Path>,
    files: &mut RunFiles,
) -> Result<Batch, Failure> {
    let batch = base_batch(
        std::slice::from_ref(&sample.instrument),
        &sample.read,
        missing,
        files,
    )?
    .build()?;
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
    let mut builder = scoring_batch(
        &args.instruments,
        &args.read,
        &args.missing.codes,
        norms,
        &mut files,
    )?;
    if let (Some(client), Some(date)) = (&args.client_col, &args.date_col) {
        builder = builder.history(history(
            client,
            date,
            args.date_format.as_deref(),
            args.cutoff,
        )?);
    }
    let batch = builder.build()?;
    let style = args.write.style(args.read.delimiter)?;

    let input_path = args.input.as_deref();
    files.intake(input_path);
    for (path, flag) in [(&args.output, "-o"), (&args.errors, "--errors")] {
        if let Some(path) = path {
            files.output(path, flag)?;
        }
    }

    for instrument in batch.instruments() {
        if let Some(notice) = status_notice(instrument) {
            say(format!("notice: {notice}"));
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
    // With change over time, a tally of the dates, to say when they were not understood.
    let mut dates = (args.client_col.as_ref().zip(args.date_col.as_ref()))
        .map(|(_, column)| {
            date_format(args.date_format.as_deref()).map(|f| DateTally::new(column, f))
        })
        .transpose()?;
    let summary = {
        let out: &mut dyn Write = match &mut output {
            Destination::Direct(output) => output,
            Destination::Handoff(handoff) => handoff,
        };
        let mut writer: Box<dyn RowSink + '_> = match args.format {
            Format::Csv => Box::new(CsvWriter::new(out).raw(args.raw).style(style)),
            Format::Jsonl => Box::new(JsonlWriter::new(out)),
        };
        let mut warnings = Warnings;
        let mut error_writer = errors
            .as_mut()
            .map(|file| ErrorsWriter::with_style(file, style).raw(args.raw));
        let mut sinks: Vec<&mut dyn RowSink> = vec![writer.as_mut(), &mut warnings];
        if let Some(error_writer) = error_writer.as_mut() {
            sinks.push(error_writer);
        }
        if let Some(dates) = dates.as_mut() {
            sinks.push(dates);
        }
        if batch.has_history() {
            batch.run_with_history(files::seekable_input(input_path)?, &mut sinks)?
        } else {
            batch.run(files::input(input_path)?, &mut sinks)?
        }
    };
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
    Ok(if summary.invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where the scores are written from: here, or through a writing thread.
enum Destination {
    Direct(Output),
    Handoff(Handoff),
}

/// The one-line notice for an instrument that is not validated.
pub fn status_notice(instrument: &Instrument) -> Option<String> {
    match instrument.status() {
        InstrumentStatus::Validated => None,
        InstrumentStatus::Provisional => Some(format!(
            "{} is PROVISIONAL: part of its scoring key rests on a secondary source; its rows say so in {}_notes",
            instrument.id(),
            instrument.id()
        )),
        InstrumentStatus::Unvalidated => Some(format!(
            "{} is UNVALIDATED: it is not a validated instrument and its scores are not for clinical decisions; its rows say so in {}_notes",
            instrument.id(),
            instrument.id()
        )),
    }
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
) -> Result<BatchBuilder, Failure> {
    let mut builder = base_batch(instruments, read, missing, files)?.standard(norms.standard);
    for path in norms.files {
        builder = builder.local_norms(files::norms(path, files)?);
    }
    if let Some(id) = norms.group {
        builder = builder.norm_group(id);
    }
    Ok(builder)
}

/// The change settings from the command line.
pub fn history(
    client: &str,
    date: &str,
    date_format: Option<&str>,
    cutoff: Cutoff,
) -> Result<HistorySettings, Failure> {
    Ok(HistorySettings {
        client_column: client.to_string(),
        date_column: date.to_string(),
        date_format: self::date_format(date_format)?,
        cutoff: match cutoff {
            Cutoff::A => CutoffKind::A,
            Cutoff::B => CutoffKind::B,
            Cutoff::C => CutoffKind::C,
        },
    })
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
        "{} rows read: {} scored, {} incomplete, {} invalid, {} absent",
        s.rows, s.ok, s.incomplete, s.invalid, s.absent
    )
}

/// Prints the header warnings once, before the first row.
pub struct Warnings;

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
    fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
        for warning in layout.warnings() {
            say(format!("warning: {warning}"));
        }
        Ok(())
    }

    fn row(&mut self, _: &ScoredRow<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}
