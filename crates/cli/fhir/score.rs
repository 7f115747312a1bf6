//! `fhir flatten` and `fhir score`: responses read one at a time into rows
//! (`fhir::FlattenSource`), written as an intake CSV, or scored by the batch into the scores CSV
//! or Observations.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use screenscore::Instrument;
use screenscore::batch::{Batch, ColumnMap, Record, RowSource, Summary};
use screenscore::fhir::{
    self, FlattenSource, Flattener, ObservationFormat, ObservationOptions, ObservationWriter,
    Questionnaire,
};
use screenscore::output::{CsvWriter, spreadsheet_safe};

use super::args::{BundleKind, FhirOut, FhirRead, FhirScore, ObservationSet};
use crate::files::{self, Output, RunFiles};
use crate::score::{Warnings, exit_status, reconciliation};
use crate::term::{inform, say};
use crate::{Failure, Outcome};

/// The instruments, the source over the inputs, and the files of a run.
struct Prepared {
    instruments: Vec<Instrument>,
    source: FlattenSource<Box<dyn Read>>,
    files: RunFiles,
}

fn prepare(args: &FhirRead) -> Result<Prepared, Failure> {
    let mut files = RunFiles::new();
    let instruments = args
        .instruments
        .iter()
        .map(|arg| files::instrument(arg, &mut files))
        .collect::<Result<Vec<_>, _>>()?;
    let map = match &args.map {
        Some(path) => files::column_map(path, b',', &mut files)?,
        None => ColumnMap::new(),
    };
    let questionnaires = args
        .questionnaires
        .iter()
        .map(|path| questionnaire(path, &mut files))
        .collect::<Result<Vec<_>, _>>()?;
    let flattener = Flattener::new(instruments.clone(), &map, questionnaires).map_err(Failure)?;
    let mut inputs: Vec<(Option<String>, Box<dyn Read>)> = Vec::new();
    if args.inputs.is_empty() {
        files.intake(None);
        inputs.push((None, files::input(None)?));
    }
    for path in &args.inputs {
        files.intake(Some(path));
        let name = (path != Path::new("-")).then(|| path.display().to_string());
        inputs.push((name, files::input(Some(path))?));
    }
    if let Some(path) = &args.output {
        files.output(path, "-o")?;
    }
    Ok(Prepared {
        instruments,
        source: FlattenSource::new(inputs, flattener),
        files,
    })
}

/// A Questionnaire file (recorded in `files` as an input).
pub(super) fn questionnaire(path: &Path, files: &mut RunFiles) -> Result<Questionnaire, Failure> {
    files.input(path, "the Questionnaire");
    Questionnaire::from_path(path).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

/// `fhir flatten`: responses as an intake CSV.
pub fn flatten(args: FhirRead) -> Outcome {
    let Prepared {
        mut source, files, ..
    } = prepare(&args)?;
    let mut out = Output::open(args.output.as_deref(), &files)?;
    let mut record = Record::default();
    let (mut rows, mut unreadable) = (0u64, 0u64);
    {
        let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
        let mut write = |record: &Record| {
            writer.write_record(
                record
                    .iter()
                    .map(|cell| spreadsheet_safe(cell).into_owned()),
            )
        };
        source.header(&mut record)?;
        write(&record)?;
        let error_column = screenscore::fhir::FIXED
            .iter()
            .position(|c| *c == screenscore::batch::INPUT_ERROR)
            .expect("input_error is a fixed column");
        while source.record(&mut record)? {
            rows += 1;
            if record.get(error_column).is_some_and(|c| !c.is_empty()) {
                unreadable += 1;
            }
            write(&record)?;
        }
        writer.flush()?;
    }
    out.commit()?;
    say_after(&source);
    say(format!(
        "{} read: {} could not be read or matched (see input_error)",
        screenscore::text::count(rows, "response", "responses"),
        unreadable
    ));
    Ok(if unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What a person should know after reading: linkIds that matched nothing, resources skipped.
fn say_after(source: &FlattenSource<Box<dyn Read>>) {
    let (unknown, more) = source.flattener().unknown_link_ids();
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(String::as_str).collect();
        let more = match more {
            0 => String::new(),
            n => format!(
                " (and {} under other linkIds)",
                screenscore::text::count(n, "answer", "answers")
            ),
        };
        let their = if unknown.len() == 1 { "its" } else { "their" };
        say(format!(
            "warning: {} matched no item of the instruments given, and {their} answers were not used: {}{more}",
            screenscore::text::count(unknown.len() as u64, "linkId", "linkIds"),
            names.join(", ")
        ));
    }
    for (kind, n) in source.skipped() {
        say(format!(
            "note: {} skipped",
            screenscore::text::count(*n, kind, kind)
        ));
    }
}

/// `fhir score`: responses scored, Observations (or the scores CSV) written.
pub fn score(args: FhirScore) -> Outcome {
    let Prepared {
        instruments,
        mut source,
        files,
    } = prepare(&args.read)?;
    let mut builder = Batch::builder();
    for instrument in instruments {
        builder = builder.instrument(instrument);
    }
    let batch = builder.build()?;
    let mut out = Output::open(args.read.output.as_deref(), &files)?;
    let mut warnings = Warnings::default();
    let summary: Summary = match args.out_format {
        FhirOut::Csv => {
            let mut writer = CsvWriter::new(&mut out);
            batch.run_source(&mut source, &mut [&mut writer, &mut warnings])?
        }
        FhirOut::Ndjson | FhirOut::Bundle => {
            let options = observation_options(&args);
            let mut writer = ObservationWriter::new(&mut out, options);
            let summary = batch.run_source(&mut source, &mut [&mut writer, &mut warnings])?;
            say_observations(&writer);
            summary
        }
    };
    out.commit()?;
    say_after(&source);
    say(reconciliation(&summary));
    Ok(exit_status(&summary, &warnings))
}

/// The writer's options from the command line.
fn observation_options(args: &FhirScore) -> ObservationOptions {
    let mut options = ObservationOptions {
        format: match (args.out_format, args.bundle_type) {
            (FhirOut::Bundle, BundleKind::Collection) => {
                ObservationFormat::Bundle(fhir::BundleKind::Collection)
            }
            (FhirOut::Bundle, BundleKind::Transaction) => {
                ObservationFormat::Bundle(fhir::BundleKind::Transaction)
            }
            _ => ObservationFormat::Ndjson,
        },
        items: args.observations == ObservationSet::ScalesAndItems,
        ..ObservationOptions::default()
    };
    if !args.status.is_empty() {
        options.statuses = args.status.iter().map(|s| s.trim().to_string()).collect();
    }
    options
}

/// What the Observations written leave out, and the LOINC notice when they carry LOINC codes.
fn say_observations<W: std::io::Write>(writer: &ObservationWriter<W>) {
    let counts = writer.counts();
    say(format!(
        "{} written ({} scores, {} items, {} panels)",
        screenscore::text::count(
            counts.scores + counts.items + counts.panels,
            "Observation",
            "Observations"
        ),
        counts.scores,
        counts.items,
        counts.panels
    ));
    if counts.skipped_by_status > 0 {
        say(format!(
            "note: {} not written: status not among {}",
            screenscore::text::count(counts.skipped_by_status, "response", "responses"),
            "--status (default completed, amended)"
        ));
    }
    if counts.skipped_by_error > 0 {
        say(format!(
            "warning: {} could not be read or matched: no Observation (their rows say why)",
            screenscore::text::count(counts.skipped_by_error, "response", "responses")
        ));
    }
    if !writer.uncoded_scales().is_empty() {
        say(format!(
            "note: no code for {}: written with code.text only",
            writer.uncoded_scales().join(", ")
        ));
    }
    if writer.needs_loinc_notice() {
        inform(format!("notice: {}", screenscore::definition::LOINC_NOTICE));
    }
}
