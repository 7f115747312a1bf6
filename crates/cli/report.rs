//! `screenscore report`: one report per client, written safely into an output directory.

use std::io::Write;

use screenscore::attention::{AttentionCollector, Rows};
use screenscore::batch::DateTally;
use screenscore::clients::{ClientCollector, attach_outcomes};
use screenscore::date::Timestamp;
use screenscore::outcomes::{Assessor, OutcomeCollector, OutcomeSettings};
use screenscore::text::count;
use screenscore_report::filename::file_names;
use screenscore_report::{Format, Options, render};

use crate::args::{ReportArgs, ReportFormat};
use crate::files::{self, AtomicFile, RunFiles};
use crate::progress::{Reading, Writes, Writing};
use crate::score::{
    Norms, Warnings, date_format, exit_status, history, reconciliation, scoring_batch,
};
use crate::term::{inform, say};
use crate::{Failure, Outcome};

pub fn run(args: ReportArgs) -> Outcome {
    let mut files = RunFiles::new();
    let norms = Norms {
        files: &args.norms,
        group: args.norm_group.as_deref(),
        standard: true,
    };
    let builder = scoring_batch(
        &args.instruments,
        &args.read,
        &args.missing.codes,
        norms,
        &mut files,
    )?;
    let batch = builder
        .history(history(
            &args.client_col,
            &args.date_col,
            args.date_format.as_deref(),
            args.cutoff,
        )?)
        .build()?;
    files.intake(args.input.as_deref());
    let mut collector = ClientCollector::new();
    // The same pass collects each client's course of treatment, for its outcome.
    let mut episodes = OutcomeCollector::new(OutcomeSettings {
        client_column: args.client_col.clone(),
        date_column: args.date_col.clone(),
        episode_column: None,
        date_format: date_format(args.date_format.as_deref())?,
    });
    let mut warnings = Warnings::default();
    let mut dates = DateTally::new(&args.date_col, date_format(args.date_format.as_deref())?);
    let mut attention = AttentionCollector::new(Some(&args.client_col));
    let mut progress = Reading::start(true, Writes::AtEnd);
    let input = progress.wrap_seekable(files::seekable_input(args.input.as_deref())?);
    let summary = batch.run_with_history(
        input,
        &mut [
            &mut collector,
            &mut episodes,
            &mut warnings,
            &mut attention,
            &mut progress,
            &mut dates,
        ],
    )?;
    progress.finish();
    if let Some(warning) = crate::locale::date_warning(&dates) {
        say(warning);
    }
    if collector.without_client() > 0 {
        let rows = count(collector.without_client(), "row has", "rows have");
        say(format!(
            "warning: {rows} no client id in `{}` and {} in no report",
            args.client_col,
            count(collector.without_client(), "is", "are").noun()
        ));
    }
    let mut clients = collector.into_histories();
    attach_outcomes(
        &mut clients,
        &Assessor::new(batch.instruments()),
        &episodes.into_episodes(),
    );
    if let Some(only) = &args.client {
        clients.retain(|c| c.client == *only);
        if clients.is_empty() {
            return Err(Failure(format!("no client `{only}` in the input")));
        }
    }
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Json => Format::Json,
    };
    let ids: Vec<&str> = clients.iter().map(|c| c.client.as_str()).collect();
    let names = file_names(&ids, format.extension());
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| Failure(format!("cannot create {}: {e}", args.out_dir.display())))?;
    if !args.force {
        let existing: Vec<&str> = names
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| args.out_dir.join(name).exists())
            .collect();
        if !existing.is_empty() {
            let shown: Vec<&str> = existing.iter().take(5).copied().collect();
            return Err(Failure(format!(
                "{} would replace files already in {} ({}{}); use --force to replace them",
                count(existing.len() as u64, "report", "reports"),
                args.out_dir.display(),
                shown.join(", "),
                if existing.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            )));
        }
    }
    for (_, note) in &names {
        if let Some(note) = note {
            inform(format!("note: {note}"));
        }
    }
    let options = Options {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: generated(),
    };
    let writing = Writing::start(clients.len() as u64);
    for (client, (name, _)) in clients.iter().zip(&names) {
        let text = render(client, format, &options);
        let path = args.out_dir.join(name);
        files.not_input(&path, "--out-dir")?;
        let mut file = AtomicFile::create(&path, &files)?;
        file.write_all(text.as_bytes())?;
        file.commit()?;
        writing.written();
    }
    writing.finish();
    say(reconciliation(&summary));
    let attention = attention.finish();
    crate::attention::print(&attention);
    if attention.invalid.count > 0 {
        say(format!(
            "warning: {}; {} in the reports as not scored, and every report was still written \
             (`screenscore score --errors FILE` lists each bad cell)",
            invalid_rows(&attention.invalid),
            count(attention.invalid.count, "it is", "they are").noun(),
        ));
    }
    say(format!(
        "wrote {} {} {} to {}",
        clients.len(),
        format.extension(),
        count(clients.len() as u64, "report", "reports").noun(),
        args.out_dir.display()
    ));
    Ok(exit_status(&summary, &warnings))
}

/// `2 rows are invalid: records 5, 6 (clients C005, C006)`.
fn invalid_rows(rows: &Rows) -> String {
    format!(
        "{} {} invalid: {}",
        count(rows.count, "row", "rows"),
        count(rows.count, "is", "are").noun(),
        crate::attention::records(rows)
    )
}

/// Today's date, or the date of `SOURCE_DATE_EPOCH` when set (reproducible reports).
pub fn generated() -> String {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    epoch
        .map_or_else(Timestamp::today, Timestamp::day_of)
        .to_string()
}
