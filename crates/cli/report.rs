//! `screenscore report`: one report per client, written safely into an output directory.

use std::io::Write;
use std::process::ExitCode;

use screenscore::batch::DateTally;
use screenscore::clients::{ClientCollector, attach_outcomes};
use screenscore::date::Timestamp;
use screenscore::outcomes::{Assessor, OutcomeCollector, OutcomeSettings};
use screenscore_report::filename::file_names;
use screenscore_report::{Format, Options, render};

use crate::args::{ReportArgs, ReportFormat};
use crate::files::{self, AtomicFile, RunFiles};
use crate::score::{Norms, Warnings, date_format, history, reconciliation, scoring_batch};
use crate::term::say;
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
    let mut dates = DateTally::new(&args.date_col, date_format(args.date_format.as_deref())?);
    let summary = batch.run_with_history(
        files::seekable_input(args.input.as_deref())?,
        &mut [&mut collector, &mut episodes, &mut Warnings, &mut dates],
    )?;
    if let Some(warning) = crate::locale::date_warning(&dates) {
        say(warning);
    }
    if collector.without_client() > 0 {
        say(format!(
            "warning: {} rows have no client id in `{}` and are in no report",
            collector.without_client(),
            args.client_col
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
                if existing.len() == 1 {
                    "1 report".to_string()
                } else {
                    format!("{} reports", existing.len())
                },
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
            say(format!("note: {note}"));
        }
    }
    let options = Options {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: generated(),
    };
    for (client, (name, _)) in clients.iter().zip(&names) {
        let text = render(client, format, &options);
        let path = args.out_dir.join(name);
        files.not_input(&path, "--out-dir")?;
        let mut file = AtomicFile::create(&path, &files)?;
        file.write_all(text.as_bytes())?;
        file.commit()?;
    }
    say(reconciliation(&summary));
    say(format!(
        "wrote {} {} report{} to {}",
        clients.len(),
        format.extension(),
        if clients.len() == 1 { "" } else { "s" },
        args.out_dir.display()
    ));
    Ok(if summary.invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
