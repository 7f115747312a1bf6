//! Writers of episode outcomes and caseload summaries: CSV and JSON.
//!
//! Episodes, one row each: `client`, `episode` (with an episode column), `first_date`,
//! `last_date`, `administrations`, `undated`; per instrument `{id}_scored`, `{id}_first`,
//! `{id}_last`, `{id}_change`, `{id}_reliable` (improved / deteriorated / no), `{id}_case_first`,
//! `{id}_case_last` (yes / no), `{id}_method`; with a pair of measures to combine, `assessed`
//! (yes / no), `not_assessed` (no_score / one_administration / scored_once), `case_at_first`,
//! `reliable_change` (reliable_improvement / reliable_deterioration / no_reliable_change),
//! `recovery` and `reliable_recovery` (yes / no / not_applicable), and `notes`.
//!
//! Summaries, one line per measure: `scope` (`all`, an instrument id, or `combined`),
//! `measure`, `count`, `of`, `rate`, `ci95_low`, `ci95_high` (Wilson).

use std::io;

use serde_json::{Value, json};

use crate::numeric::format_value;
use crate::outcomes::{
    Assessor, CaseloadSummary, Combined, Episode, InstrumentOutcome, Scope, SummaryLine,
};

use super::safe::spreadsheet_safe;
use super::style::{BOM, CsvStyle};

/// `yes`, `no`, or empty.
fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn number(x: Option<f64>) -> String {
    x.map(format_value).unwrap_or_default()
}

/// A CSV writer in `style` (its byte-order mark written first; `AsInput` writes none, see
/// [`CsvStyle::for_input`]).
fn csv_writer<W: io::Write>(mut out: W, style: &CsvStyle) -> io::Result<::csv::Writer<W>> {
    if style.writes_bom(false) {
        out.write_all(BOM)?;
    }
    Ok(::csv::WriterBuilder::new()
        .delimiter(style.delimiter())
        .from_writer(out))
}

/// The header of the episodes CSV.
fn header(assessor: &Assessor<'_>, episode_column: bool) -> Vec<String> {
    let mut names: Vec<String> = ["client"].map(String::from).to_vec();
    if episode_column {
        names.push("episode".into());
    }
    names.extend(["first_date", "last_date", "administrations", "undated"].map(String::from));
    for instrument in assessor.instruments() {
        let id = instrument.id();
        for suffix in [
            "scored",
            "first",
            "last",
            "change",
            "reliable",
            "case_first",
            "case_last",
            "method",
        ] {
            names.push(format!("{id}_{suffix}"));
        }
    }
    if !assessor.paired().is_empty() {
        names.extend(
            [
                "assessed",
                "not_assessed",
                "case_at_first",
                "reliable_change",
                "recovery",
                "reliable_recovery",
                "notes",
            ]
            .map(String::from),
        );
    }
    names
}

/// The cells of one instrument's outcome.
fn instrument_cells(o: &InstrumentOutcome<'_>, style: &CsvStyle) -> [String; 8] {
    let number = |x| style.number_text(number(x));
    [
        o.course.scored.to_string(),
        number(o.course.first.map(|p| p.score)),
        number(o.course.last.map(|p| p.score)),
        number(o.change),
        o.reliable.map(|r| r.as_str()).unwrap_or_default().into(),
        yes_no(o.case_first).into(),
        yes_no(o.case_last).into(),
        o.method.map(ToString::to_string).unwrap_or_default(),
    ]
}

/// The cells of the combined classes.
fn combined_cells(c: &Combined<'_>) -> [String; 7] {
    match c {
        Combined::Assessed(classes) => [
            "yes".into(),
            String::new(),
            yes_no(Some(classes.case_at_first)).into(),
            classes.change.as_str().into(),
            classes.recovery.as_str().into(),
            classes.reliable_recovery.as_str().into(),
            String::new(),
        ],
        Combined::NotAssessed(why) => [
            "no".into(),
            why.as_str().into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            why.to_string(),
        ],
    }
}

/// Write one CSV row per episode, in the order given, in `style` (cell separator, byte-order
/// mark and decimal mark; resolve [`Bom::AsInput`](super::Bom::AsInput) with
/// [`CsvStyle::for_input`] first).
///
/// ```
/// use screenscore::batch::Batch;
/// use screenscore::date::DateFormat;
/// use screenscore::outcomes::{Assessor, OutcomeCollector, OutcomeSettings};
/// use screenscore::output::{CsvStyle, write_outcomes_csv};
/// use screenscore::Instrument;
///
/// let instruments = vec![Instrument::builtin("gad2")?.clone()];
/// let batch = Batch::builder().instrument(instruments[0].clone()).build()?;
/// let mut collector = OutcomeCollector::new(OutcomeSettings {
///     client_column: "client".into(),
///     date_column: "date".into(),
///     episode_column: None,
///     date_format: DateFormat::Iso8601,
/// });
/// let csv = "client,date,gad2_1,gad2_2\nA,2026-01-01,3,3\nA,2026-02-01,0,1\n";
/// batch.run(csv.as_bytes(), &mut [&mut collector])?;
/// let mut out = Vec::new();
/// let episodes = collector.into_episodes();
/// write_outcomes_csv(&mut out, &Assessor::new(&instruments), &episodes, false, &CsvStyle::default())?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("client,first_date,last_date,administrations,undated,gad2_scored,gad2_first,gad2_last,gad2_change,"));
/// assert!(text.contains("\nA,2026-01-01,2026-02-01,2,0,2,6,1,-5,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_outcomes_csv<W: io::Write>(
    out: W,
    assessor: &Assessor<'_>,
    episodes: &[Episode],
    episode_column: bool,
    style: &CsvStyle,
) -> io::Result<()> {
    let mut w = csv_writer(out, style)?;
    w.write_record(header(assessor, episode_column))?;
    let mut record: Vec<Vec<u8>> = Vec::new();
    for episode in episodes {
        let outcome = assessor.episode(episode);
        record.clear();
        record.push(spreadsheet_safe(episode.client.as_bytes()).into_owned());
        if episode_column {
            let id = episode.episode.as_deref().unwrap_or_default();
            record.push(spreadsheet_safe(id.as_bytes()).into_owned());
        }
        let date = |d: Option<crate::date::Timestamp>| d.map(|d| d.to_string()).unwrap_or_default();
        for cell in [
            date(episode.first_date),
            date(episode.last_date),
            episode.administrations.to_string(),
            episode.undated.to_string(),
        ] {
            record.push(cell.into_bytes());
        }
        for o in &outcome.instruments {
            record.extend(instrument_cells(o, style).map(String::into_bytes));
        }
        if let Some(c) = &outcome.combined {
            record.extend(combined_cells(c).map(String::into_bytes));
        }
        w.write_record(&record)?;
    }
    w.flush()
}

/// Write one JSON object per episode, one per line ([`EpisodeRecord`](crate::outcomes::EpisodeRecord)).
pub fn write_outcomes_jsonl<W: io::Write>(
    out: W,
    assessor: &Assessor<'_>,
    episodes: &[Episode],
) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    for episode in episodes {
        serde_json::to_writer(&mut out, &assessor.episode(episode).record(assessor))?;
        io::Write::write_all(&mut out, b"\n")?;
    }
    io::Write::flush(&mut out)
}

/// The name of a summary line's scope: `all`, the instrument's id, or `combined`.
pub fn scope_name<'a>(assessor: &Assessor<'a>, scope: Scope) -> &'a str {
    match scope {
        Scope::All => "all",
        Scope::Instrument(k) => assessor.instruments()[k].id(),
        Scope::Combined => "combined",
    }
}

/// The rate and its interval of a line, or nothing for the count of episodes.
fn figures(line: &SummaryLine) -> (Option<f64>, Option<(f64, f64)>) {
    match line.measure {
        crate::outcomes::Measure::Episodes => (None, None),
        // Four decimals: a rate to a hundredth of a percent.
        _ => (
            line.value.rate().map(round4),
            line.value.wilson().map(|(lo, hi)| (round4(lo), round4(hi))),
        ),
    }
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// Write the caseload summary as CSV: `scope,measure,count,of,rate,ci95_low,ci95_high`, in
/// `style` (as [`write_outcomes_csv`]).
pub fn write_summary_csv<W: io::Write>(
    out: W,
    assessor: &Assessor<'_>,
    summary: &CaseloadSummary,
    style: &CsvStyle,
) -> io::Result<()> {
    let number = |x| style.number_text(number(x));
    let mut w = csv_writer(out, style)?;
    w.write_record([
        "scope",
        "measure",
        "count",
        "of",
        "rate",
        "ci95_low",
        "ci95_high",
    ])?;
    for line in summary.lines() {
        let (rate, ci) = figures(&line);
        let of = match line.measure {
            crate::outcomes::Measure::Episodes => String::new(),
            _ => line.value.of.to_string(),
        };
        w.write_record([
            scope_name(assessor, line.scope).to_string(),
            line.measure.as_str().to_string(),
            line.value.count.to_string(),
            of,
            number(rate),
            number(ci.map(|c| c.0)),
            number(ci.map(|c| c.1)),
        ])?;
    }
    w.flush()
}

/// Write the caseload summary as one JSON object: `{"combined_instruments": [...], "lines":
/// [{"scope", "measure", "count", "of", "rate", "ci95": [low, high]}]}`.
pub fn write_summary_json<W: io::Write>(
    out: W,
    assessor: &Assessor<'_>,
    summary: &CaseloadSummary,
) -> io::Result<()> {
    let lines: Vec<Value> = summary
        .lines()
        .iter()
        .map(|line| {
            let (rate, ci) = figures(line);
            let counted = line.measure == crate::outcomes::Measure::Episodes;
            json!({
                "scope": scope_name(assessor, line.scope),
                "measure": line.measure,
                "count": line.value.count,
                "of": (!counted).then_some(line.value.of),
                "rate": rate,
                "ci95": ci.map(|(lo, hi)| [lo, hi]),
            })
        })
        .collect();
    let paired: Vec<&str> = assessor
        .paired()
        .iter()
        .map(|&k| assessor.instruments()[k].id())
        .collect();
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(
        &mut out,
        &json!({"combined_instruments": paired, "lines": lines}),
    )?;
    io::Write::write_all(&mut out, b"\n")?;
    io::Write::flush(&mut out)
}
