//! The outcome of the course of treatment, under the at-a-glance table: per instrument the
//! first and last scores, the change, whether it is reliable and caseness at first and last;
//! and the combined classes where the instruments pair (PHQ-9 and GAD-7). The same words in
//! HTML and Markdown.

use std::fmt::Write as _;

use maud::{Markup, html};

use screenscore::change::Reliable;
use screenscore::outcomes::{
    CombinedChange, CombinedRecord, EpisodeRecord, InstrumentOutcomeRecord, PointRecord, Recovery,
};

use crate::markdown::text;
use crate::svg::score_text;

const HEADINGS: [&str; 6] = [
    "Instrument",
    "First",
    "Last",
    "Change",
    "Reliable change",
    "Caseness (first → last)",
];

/// `12 (2026-01-05)`.
fn point(p: Option<&PointRecord>) -> String {
    p.map(|p| format!("{} ({})", score_text(p.score), p.date))
        .unwrap_or_else(|| "not scored".into())
}

/// `a case`, `not a case`, or `no cut-off`.
fn case(c: Option<bool>) -> &'static str {
    match c {
        Some(true) => "a case",
        Some(false) => "not a case",
        None => "no cut-off",
    }
}

/// The cells of one instrument's row.
fn cells(o: &InstrumentOutcomeRecord) -> [String; 6] {
    let twice = o.scored >= 2;
    let change = match o.change {
        Some(c) if c > 0.0 => format!("+{}", score_text(c)),
        Some(c) => score_text(c),
        None if o.scored == 1 => "scored once".into(),
        None => String::new(),
    };
    let reliable = match (o.reliable, twice) {
        (Some(Reliable::Improved), _) => "reliable improvement",
        (Some(Reliable::Deteriorated), _) => "reliable deterioration",
        (Some(Reliable::No), _) => "no reliable change",
        (None, true) => "not judged: no threshold or reliability",
        (None, false) => "",
    };
    let caseness = if twice {
        format!("{} → {}", case(o.case_first), case(o.case_last))
    } else if o.scored == 1 {
        case(o.case_first).to_string()
    } else {
        String::new()
    };
    [
        o.name.clone(),
        point(o.first.as_ref()),
        if twice {
            point(o.last.as_ref())
        } else {
            String::new()
        },
        change,
        reliable.into(),
        caseness,
    ]
}

/// `From 2026-01-05 to 2026-03-02: 3 administrations; first and last scores compared.`
fn span(outcome: &EpisodeRecord) -> String {
    let mut text = match (&outcome.first_date, &outcome.last_date) {
        (Some(a), Some(b)) if a != b => format!(
            "From {a} to {b}: {} administrations; the first and the last score of each instrument are compared.",
            outcome.administrations
        ),
        (Some(a), _) => format!("One date, {a}: nothing to compare yet."),
        _ => "No dated administration.".to_string(),
    };
    if outcome.undated > 0 {
        let _ = write!(
            text,
            " {} without a readable date {} left out.",
            outcome.undated,
            if outcome.undated == 1 { "is" } else { "are" }
        );
    }
    text
}

/// The combined classes in a sentence.
fn combined(c: &CombinedRecord, names: &str) -> String {
    if !c.assessed {
        return format!(
            "{names} together: not assessed, {}.",
            c.why.as_deref().unwrap_or("")
        );
    }
    let case = if c.case_at_first == Some(true) {
        "a case at first"
    } else {
        "not a case at first"
    };
    let change = match c.reliable_change {
        Some(CombinedChange::ReliableImprovement) => "reliable improvement",
        Some(CombinedChange::ReliableDeterioration) => "reliable deterioration",
        _ => "no reliable change",
    };
    let recovery = match (c.recovery, c.reliable_recovery) {
        (Some(Recovery::Yes), Some(Recovery::Yes)) => {
            "reliable recovery (below caseness on both at last, with reliable improvement)"
        }
        (Some(Recovery::Yes), _) => {
            "recovery (below caseness on both at last) without reliable improvement"
        }
        (Some(Recovery::No), _) => "not recovered (a case on at least one at last)",
        _ => "recovery does not apply",
    };
    format!(
        "{names} together (as NHS Talking Therapies counts outcomes): {case}; {change}; {recovery}."
    )
}

/// The names of the paired instruments: `Patient Health Questionnaire-9 and …`.
fn paired_names(outcome: &EpisodeRecord, c: &CombinedRecord) -> String {
    let names: Vec<&str> = c
        .instruments
        .iter()
        .filter_map(|id| outcome.instruments.iter().find(|i| &i.id == id))
        .map(|i| i.name.as_str())
        .collect();
    names.join(" and ")
}

/// The instruments' rows in the report's order (`ids`: the instruments by clinical weight).
fn rows<'o>(outcome: &'o EpisodeRecord, ids: &[&str]) -> Vec<&'o InstrumentOutcomeRecord> {
    let mut rows: Vec<&InstrumentOutcomeRecord> = outcome.instruments.iter().collect();
    rows.sort_by_key(|o| ids.iter().position(|id| *id == o.id).unwrap_or(usize::MAX));
    rows
}

/// The section in HTML, the instruments in the order of `ids`.
pub(crate) fn html(outcome: &EpisodeRecord, ids: &[&str]) -> Markup {
    html! {
        section class="course" {
            h2 { "Course of treatment" }
            p { (crate::svg::dated(&span(outcome))) }
            table {
                // The change is a number: on one line, as its heading.
                thead { tr { @for (k, h) in HEADINGS.iter().enumerate() { @if k == 3 { th class="num" { (h) } } @else { th { (h) } } } } }
                tbody {
                    @for o in rows(outcome, ids) {
                        tr {
                            @for (k, cell) in cells(o).into_iter().enumerate() {
                                @if k == 3 { td class="num" { (cell) } } @else { td { (crate::svg::dated(&cell)) } }
                            }
                        }
                    }
                }
            }
            @if let Some(c) = &outcome.combined {
                p class="combined" { (combined(c, &paired_names(outcome, c))) }
            }
        }
    }
}

/// The section in Markdown, the instruments in the order of `ids`.
pub(crate) fn markdown(o: &mut String, outcome: &EpisodeRecord, ids: &[&str]) {
    let _ = writeln!(o, "## Course of treatment\n\n{}\n", span(outcome));
    let _ = writeln!(o, "| {} |", HEADINGS.join(" | "));
    let _ = writeln!(o, "|{}", "---|".repeat(HEADINGS.len()));
    for i in rows(outcome, ids) {
        let row: Vec<String> = cells(i).iter().map(|c| text(c)).collect();
        let _ = writeln!(o, "| {} |", row.join(" | "));
    }
    o.push('\n');
    if let Some(c) = &outcome.combined {
        let _ = writeln!(o, "{}\n", text(&combined(c, &paired_names(outcome, c))));
    }
}
