//! `screenscore outcomes`: one pass over the input into episodes, then their outcomes or the
//! caseload summary (and its page).

use std::io::Write;

use screenscore::attention::AttentionCollector;
use screenscore::batch::{CsvSource, DateTally};
use screenscore::outcomes::{Assessor, CaseloadSummary, OutcomeCollector, OutcomeSettings};
use screenscore::output::{
    write_outcomes_csv, write_outcomes_jsonl, write_summary_csv, write_summary_json,
};

use screenscore::text::count;

use crate::Outcome;
use crate::args::{OutcomesArgs, OutcomesFormat};
use crate::export::client_dates;
use crate::files::{self, AtomicFile, Output, RunFiles};
use crate::locale::InputBom;
use crate::progress::{Reading, Writes};
use crate::score::{Notes, Warnings, base_batch, exit_status, reconciliation, status_notice};
use crate::term::{inform, say};

pub fn run(args: OutcomesArgs) -> Outcome {
    let mut files = RunFiles::new();
    let (builder, redcap) = base_batch(
        &args.instruments,
        &args.read,
        &args.missing.codes,
        &mut files,
    )?;
    let clients = client_dates(&args.clients, redcap.as_ref())?;
    let batch = builder.build()?;
    files.intake(args.input.as_deref());
    for (path, flag) in [(&args.output, "-o"), (&args.summary_html, "--summary-html")] {
        if let Some(path) = path {
            files.output(path, flag)?;
        }
    }
    for instrument in batch.instruments() {
        if let Some(notice) = status_notice(instrument, Notes::NotWritten) {
            inform(format!("notice: {notice}"));
        }
    }
    let settings = OutcomeSettings {
        client_column: clients.client_col.clone(),
        date_column: clients.date_col.clone(),
        episode_column: args.episode_col.clone(),
        date_format: clients.date_format.clone(),
    };
    let style = args.write.style(args.read.delimiter)?;
    let mut dates = DateTally::new(&clients.date_col, settings.date_format.clone());
    let mut bom = InputBom::default();
    let mut collector = OutcomeCollector::new(settings);
    let mut progress = Reading::start(false, Writes::AtEnd);
    let input = progress.wrap(files::input(args.input.as_deref())?);
    let mut warnings = Warnings::default();
    let mut attention = AttentionCollector::new(Some(&clients.client_col));
    let rows = collector.run(
        &batch,
        CsvSource::new(input, args.read.delimiter),
        &mut [
            &mut warnings,
            &mut attention,
            &mut progress,
            &mut dates,
            &mut bom,
        ],
    )?;
    progress.finish();
    let style = style.for_input(bom.0);
    if let Some(warning) = crate::locale::date_warning(&dates) {
        say(warning);
    }
    if collector.without_client() > 0 {
        say(format!(
            "warning: {} no client id in `{}` and {} in no episode",
            rows_have(collector.without_client()),
            clients.client_col,
            count(collector.without_client(), "is", "are").noun(),
        ));
    }
    let episodes = collector.into_episodes();
    let undated: u64 = episodes.iter().map(|e| u64::from(e.undated)).sum();
    if undated > 0 {
        say(format!(
            "warning: {} no readable date in `{}`: counted as `undated` in the episode, not in its administrations, first or last scores",
            rows_have(undated),
            clients.date_col
        ));
    }
    let assessor = Assessor::new(batch.instruments());
    let summary = assessor.summary(&episodes);
    let mut output = Output::open(args.output.as_deref(), &files)?;
    {
        let mut out = std::io::BufWriter::new(&mut output);
        match (args.summary, args.format) {
            (false, OutcomesFormat::Csv) => write_outcomes_csv(
                &mut out,
                &assessor,
                &episodes,
                args.episode_col.is_some(),
                &style,
            )?,
            (false, OutcomesFormat::Json) => write_outcomes_jsonl(&mut out, &assessor, &episodes)?,
            (true, OutcomesFormat::Csv) => {
                write_summary_csv(&mut out, &assessor, &summary, &style)?
            }
            (true, OutcomesFormat::Json) => write_summary_json(&mut out, &assessor, &summary)?,
        }
        out.flush()?;
    }
    output.commit()?;
    if let Some(path) = &args.summary_html {
        let page = screenscore_report::caseload::page(&assessor, &episodes, &summary, &options());
        let mut file = AtomicFile::create(path, &files)?;
        file.write_all(page.as_bytes())?;
        file.commit()?;
    }
    say(reconciliation(&rows));
    crate::attention::print(&attention.finish());
    say(tally(&assessor, &episodes, &summary));
    Ok(exit_status(&rows, &warnings))
}

/// `1 row has` or `N rows have`.
fn rows_have(n: u64) -> String {
    count(n, "row has", "rows have").to_string()
}

/// `N episodes of M clients; K assessed on phq9 and gad7, L not (…)`.
fn tally(
    assessor: &Assessor<'_>,
    episodes: &[screenscore::outcomes::Episode],
    summary: &CaseloadSummary,
) -> String {
    let mut clients: Vec<&str> = episodes.iter().map(|e| e.client.as_str()).collect();
    clients.dedup();
    let mut text = format!(
        "{} of {}",
        count(episodes.len() as u64, "episode", "episodes"),
        count(clients.len() as u64, "client", "clients"),
    );
    let paired: Vec<&str> = assessor
        .paired()
        .iter()
        .map(|&k| assessor.instruments()[k].id())
        .collect();
    if let Some(combined) = &summary.combined {
        let assessed = combined.assessed;
        text.push_str(&format!(
            "; {} assessed on {} (a first and a last score on each), {} not",
            assessed.count,
            paired.join(" and "),
            assessed.of - assessed.count
        ));
    }
    text
}

/// What the page states about how it was made.
fn options() -> screenscore_report::Options {
    screenscore_report::Options {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: crate::report::generated(),
    }
}
