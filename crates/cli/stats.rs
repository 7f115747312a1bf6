//! `screenscore stats`: the reliability of each scale in a sample.

use std::io::Write;

use screenscore::output::spreadsheet_safe;
use screenscore::stats::{InstrumentStats, Missing, StatsBuilder};

use crate::args::{Deletion, StatsArgs, StatsFormat};
use crate::files::{Output, RunFiles};
use crate::score::{Notes, exit_status, reconciliation, run_sample, sample_batch, status_notice};
use crate::term::{escape_controls, inform, say};
use crate::{Failure, Outcome};

pub fn run(args: StatsArgs) -> Outcome {
    let mut files = RunFiles::new();
    if let Some(code) = args.missing.codes.iter().find(|code| {
        ["pairwise", "listwise"]
            .iter()
            .any(|mode| code.trim().eq_ignore_ascii_case(mode))
    }) {
        return Err(Failure(format!(
            "--missing takes a cell value that means missing (such as -99); for {0} deletion give --deletion {0}",
            code.trim().to_ascii_lowercase()
        )));
    }
    let batch = sample_batch(
        &args.sample,
        &args.missing.codes,
        args.output.as_deref(),
        &mut files,
    )?;
    let instrument = &batch.instruments()[0];
    if let Some(notice) = status_notice(instrument, Notes::NotWritten) {
        inform(format!("notice: {notice}"));
    }
    let missing = match args.deletion {
        Deletion::Pairwise => Missing::Pairwise,
        Deletion::Listwise => Missing::Listwise,
    };
    let mut builder = StatsBuilder::try_new(instrument, missing)?;
    let (summary, header) = run_sample(&batch, &args.sample, |sheet| builder.add(sheet))?;

    let stats = builder.finish();
    if stats.rows < 2 {
        let found = match stats.rows {
            0 => "no administration".to_string(),
            _ => "only 1 administration".to_string(),
        };
        return Err(Failure(format!(
            "{}: {found} with answers in the input; sample statistics need at least 2",
            stats.instrument
        )));
    }

    let mut output = Output::open(args.output.as_deref(), &files)?;
    match args.format {
        // Ids and warnings from the definition, shown with control characters escaped.
        StatsFormat::Table => write!(output, "{}", escape_controls(&stats.to_string()))?,
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut output, &stats)
                .map_err(|e| Failure(e.to_string()))?;
            writeln!(output)?;
        }
        StatsFormat::Csv => write_csv(&mut output, &stats)?,
    }
    output.commit()?;
    // The table carries its warnings; elsewhere they go to stderr.
    if args.format != StatsFormat::Table || args.output.is_some() {
        for warning in &stats.warnings {
            say(format!("warning: {warning}"));
        }
    }
    say(reconciliation(&summary));
    Ok(exit_status(&summary, &header))
}

/// `instrument,scale,item,statistic,value`; undefined numbers are empty cells.
fn write_csv(output: &mut Output, stats: &InstrumentStats) -> Result<(), Failure> {
    let mut csv = csv::Writer::from_writer(output);
    csv.write_record(["instrument", "scale", "item", "statistic", "value"])?;
    for s in stats.long() {
        let value = if s.value.is_finite() {
            s.value.to_string()
        } else {
            String::new()
        };
        // Ids come from the definition: shown as text, never as a formula.
        csv.write_record([
            stats.instrument.as_bytes(),
            &spreadsheet_safe(s.scale.as_bytes()),
            &spreadsheet_safe(s.item.unwrap_or("").as_bytes()),
            s.name.as_bytes(),
            value.as_bytes(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}
