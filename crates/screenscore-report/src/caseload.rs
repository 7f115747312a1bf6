//! The caseload summary page: one self-contained, printable HTML page (inline CSS and SVG; no
//! script, nothing fetched) with the rates of every outcome class and their Wilson 95%
//! intervals, and per instrument a chart of first against last score.
//!
//! ```
//! use screenscore::Instrument;
//! use screenscore::outcomes::Assessor;
//! use screenscore_report::Options;
//!
//! let instruments = vec![Instrument::builtin("phq9")?.clone(), Instrument::builtin("gad7")?.clone()];
//! let assessor = Assessor::new(&instruments);
//! let summary = assessor.summary(&[]);
//! let options = Options { tool_version: "0.1.0".into(), generated: "2026-12-03".into() };
//! let html = screenscore_report::caseload::page(&assessor, &[], &summary, &options);
//! assert!(html.contains("Caseload outcomes"));
//! assert!(!html.contains("<script"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use maud::{DOCTYPE, Markup, PreEscaped, html};

use screenscore::outcomes::{
    Assessor, CaseloadSummary, Chart, Episode, Measure, Proportion, Scope, SummaryLine,
};

use crate::svg::score_text;
use crate::{Options, scatter};

const CSS: &str = include_str!("style.css");

/// The caseload summary page of `episodes`, judged by `assessor` and summarised in `summary`.
pub fn page(
    assessor: &Assessor<'_>,
    episodes: &[Episode],
    summary: &CaseloadSummary,
    options: &Options,
) -> String {
    let mut clients: Vec<&str> = episodes.iter().map(|e| e.client.as_str()).collect();
    clients.sort_unstable();
    clients.dedup();
    let instruments = assessor.instruments();
    let names: Vec<&str> = instruments
        .iter()
        .map(|i| i.definition().name.as_str())
        .collect();
    let paired: Vec<&str> = assessor
        .paired()
        .iter()
        .map(|&k| instruments[k].definition().name.as_str())
        .collect();
    let lines = summary.lines();
    let charts = assessor.charts(episodes);
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("screenscore {}", options.tool_version));
                title { "Caseload outcomes · screenscore" }
                style { (PreEscaped(CSS)) }
            }
            body {
                main class="report caseload" {
                    header class="client" {
                        h1 { "Caseload outcomes" }
                        dl class="meta" {
                            dt { "Episodes" }
                            dd { (summary.episodes) " course" @if summary.episodes != 1 { "s" } " of treatment of " (clients.len()) " client" @if clients.len() != 1 { "s" } }
                            dt { "Instruments" }
                            dd { (names.join(", ")) }
                            dt { "Report" }
                            dd { "generated " (options.generated) " by screenscore " (options.tool_version) " on this computer" }
                        }
                    }
                    @if summary.combined.is_some() {
                        section class="combined" {
                            h2 { "Combined outcome: " (paired.join(" and ")) }
                            p class="measures" { (COMBINED_RULES) }
                            (rates(&lines, Scope::Combined))
                        }
                    }
                    section class="episodes" {
                        h2 { "Episodes" }
                        (rates(&lines, Scope::All))
                    }
                    @for (k, chart) in charts.iter().enumerate() {
                        (instrument_section(chart, &lines, k))
                    }
                    footer class="provenance" {
                        h3 { "How the classes are defined" }
                        p { (DEFINITIONS) }
                        p { "Rates are given with Wilson score 95% intervals (Wilson 1927; Newcombe 1998, Stat Med 17:857-872, method 3)." }
                        p { "Every band, threshold and cut-off of each instrument, with its source: " code { "screenscore instruments show ID" } "." }
                        p { "Made by screenscore " (options.tool_version) " on " (options.generated) " on this computer; no data was sent anywhere." }
                    }
                }
            }
        }
    };
    markup.into_string()
}

/// The combined classes, in a sentence a reader of the table needs.
const COMBINED_RULES: &str = "A case at first: at or above the caseness cut-off on either measure at the first administration. Reliable improvement: a fall of at least the reliable-change threshold on at least one measure, and reliable deterioration on neither. Reliable deterioration: a rise of at least the threshold on either measure. Recovery: a case at first and below caseness on both measures at the last administration; not applicable to an episode that was not a case at first, which is left out of its denominator. Reliable recovery: recovery with reliable improvement. An episode needs a first and a last score on each measure to be assessed; the others are counted with the reason.";

/// The sources of the classes.
const DEFINITIONS: &str = "The combined classes follow NHS England's published measure definitions for NHS Talking Therapies (annual report 2024-25, metadata: Count_ReliableRecovery, Count_NotAtCaseness, Percentage_ReliableRecovery; NHS Digital, Psychological Therapies reports, Outcomes, 2020). The thresholds (PHQ-9: reliable change 6 points, caseness 10; GAD-7: 4 points, caseness 8) are those published for the service (Saunders R et al., J Affect Disord 2021;294:85-93, Table 1, citing NHS Digital 2016). NHS counts only referrals that finished a course of treatment (two or more attended treatment appointments); here an episode with two scored administrations stands for it. A change of exactly the threshold counts as reliable.";

/// One instrument's rates and chart.
fn instrument_section(chart: &Chart, lines: &[SummaryLine], k: usize) -> Markup {
    html! {
        section class="instrument" id=(chart.id) {
            h2 { (chart.name) " (" (chart.id) "): " (chart.scale) }
            (rates(lines, Scope::Instrument(k)))
            @if chart.points.is_empty() {
                p { "No episode was scored at two administrations: nothing to chart." }
            } @else {
                (scatter::first_last(chart))
                p class="measures" {
                    "Each mark is the episodes that went from a first score (across) to a last score (up); its area grows with their number. Below the dashed line of no change is "
                    @match chart.higher_is {
                        screenscore::definition::Direction::Worse => "improvement",
                        screenscore::definition::Direction::Better => "deterioration",
                    }
                    "."
                    @if let Some(t) = chart.threshold {
                        " Inside the grey corridor the change is smaller than the published reliable-change threshold (" (score_text(t)) " points)."
                    } @else {
                        " No reliable-change threshold is published for this scale, so no corridor is drawn; reliable change is judged by the reliable change index of its reference groups where they give one."
                    }
                    @if let Some(c) = chart.caseness {
                        " The red lines are the caseness cut-off (" (score_text(c)) ")."
                    }
                    " The zones are the scale's bands."
                }
            }
            @for source in &chart.sources {
                p class="measures" { "Source: " (source) }
            }
        }
    }
}

/// The rates of the lines in `scope`.
fn rates(lines: &[SummaryLine], scope: Scope) -> Markup {
    html! {
        table class="rates" {
            thead { tr { th { "Class" } th class="num" { "Episodes" } th class="num" { "Of" } th class="num" { "Rate" } th { "95% interval" } } }
            tbody {
                @for line in lines.iter().filter(|l| l.scope == scope) {
                    @let counted = line.measure == Measure::Episodes;
                    tr class=(line.measure.as_str()) {
                        td { (line.measure.words()) }
                        td class="num" { (line.value.count) }
                        td class="num" { @if !counted { (line.value.of) } }
                        td class="num" { @if !counted { (percent(line.value.rate())) } }
                        td class="interval" { @if !counted { (interval(&line.value)) } }
                    }
                }
            }
        }
    }
}

/// `25.5%`, or a dash when there is no denominator.
fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// `19.8% to 31.9%`, or nothing when there is no denominator.
fn interval(value: &Proportion) -> String {
    value.wilson().map_or_else(String::new, |(lo, hi)| {
        format!("{:.1}% to {:.1}%", lo * 100.0, hi * 100.0)
    })
}
