//! One instrument's section of the HTML report: the latest score and what it reads as, the
//! change, its scales, the trend beside its history, flags, items and notes.

use maud::{Markup, html};

use screenscore::change::Reliable;
use screenscore::clients::{AdministrationRecord, InstrumentRecord, ItemStatus};

use crate::attention::latest;
use crate::svg::{self, Bar, Point};
use crate::words;

/// The section of `instrument`; `factors_drawn`: the four-factor profile already draws every
/// one of its scales (its own chart of scales is left out; its table stays).
pub(crate) fn instrument_section(instrument: &InstrumentRecord, factors_drawn: bool) -> Markup {
    let Some(last) = latest(instrument) else {
        return html! {};
    };
    let main_info = &instrument.scales[instrument.main_scale()];
    let main = &last.scales[instrument.main_scale()];
    let points: Vec<Point<'_>> = instrument
        .administrations
        .iter()
        .filter_map(|a| {
            let s = &a.scales[instrument.main_scale()];
            Some(Point {
                date: a.date.as_deref()?,
                score: s.score?,
                reliable: s
                    .since_previous
                    .as_ref()
                    .and_then(|c| c.reliable)
                    .filter(|r| *r != Reliable::No),
            })
        })
        .collect();
    html! {
        section class="instrument" id=(instrument.id) {
            h2 {
                (instrument.name) " "
                span class=(format!("badge {}", instrument.status.as_str())) { (instrument.status.as_str()) }
            }
            p class="measures" { (instrument.measures) }
            @if let Some(w) = words::status_warning(instrument.status) {
                p class="status-warning" { (w) }
            }
            p class="latest" {
                (words::head(&main_info.label)) ", latest " (last.date.as_deref().unwrap_or("undated")) ": "
                @if let Some(score) = main.score {
                    strong { (svg::score_text(score)) } " " (words::range(main_info))
                    @if let Some(band) = &main.band { ", " strong { (band) } }
                    @if main.prorated { ", prorated from " (main.answered) " of " (main.applicable) " " (main_info.parts().1) }
                } @else {
                    strong { (words::unscored(main_info, main, last.status)) }
                }
            }
            @if let Some(s) = &main.standard { p class="norms" { (words::standard(s)) } }
            @if let Some(score) = main.score {
                (svg::band_bar(main_info, score, main.standard.as_ref().and_then(|s| s.ci95)))
            }
            @if let Some(c) = &main.since_previous { p class="change" { "Since previous: " (svg::dated(&words::change(c))) } }
            @if let Some(c) = main.since_first.as_ref().filter(|f| Some(&f.date) != main.since_previous.as_ref().map(|p| &p.date)) {
                p class="change" { "Since first: " (svg::dated(&words::change(c))) }
            }
            @if instrument.scales.len() > 1 { (subscales(instrument, last, !factors_drawn)) }
            div class="over-time" {
                div {
                    h3 { "Over time" }
                    @if points.len() > 1 {
                        (svg::trend(main_info, &points, words::reliability_criterion(instrument)))
                    } @else {
                        p { "One scored administration so far: no trend yet." }
                    }
                }
                (history_table(instrument))
            }
            @if !last.flags.is_empty() {
                h3 { "Flags (latest)" }
                ul class="flags" {
                    @for flag in &last.flags { li class=(flag.severity.as_str()) { (flag.label) } }
                }
            }
            (items_table(instrument, last))
            @let notes: Vec<&String> = last.errors.iter().chain(&last.notes).chain(&last.change_notes).collect();
            @if !notes.is_empty() {
                ul class="notes" { @for note in notes { li { (note) } } }
            }
        }
    }
}

fn subscales(instrument: &InstrumentRecord, last: &AdministrationRecord, chart: bool) -> Markup {
    let bars: Vec<Bar<'_>> = instrument
        .scales
        .iter()
        .zip(&last.scales)
        .map(|(info, scale)| Bar {
            label: info
                .construct
                .map_or(words::head(&info.label), |c| c.label()),
            score: scale.score,
            range: info.range,
        })
        .collect();
    let norms = last.scales.iter().any(|s| s.standard.is_some());
    html! {
        h3 { "Scales (latest)" }
        @if chart { (svg::profile("Scales of the latest administration", &bars)) }
        table class="scales" {
            thead { tr { th { "Scale" } th { "Score" } @if norms { th { "Against norms" } } th { "Since previous" } } }
            tbody {
                @for (info, scale) in instrument.scales.iter().zip(&last.scales) {
                    tr {
                        td { (info.label) }
                        td { (words::score(info, scale, last.status)) }
                        @if norms { td { (scale.standard.as_ref().map(words::standard_short).unwrap_or_default()) } }
                        td { (scale.since_previous.as_ref().map(words::change_step).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

fn history_table(instrument: &InstrumentRecord) -> Markup {
    let main = instrument.main_scale();
    html! {
        table class="history" {
            colgroup { col class="date"; col; col; }
            thead { tr { th { "Date" } th { (words::head(&instrument.scales[main].label)) } th { "Change" } } }
            tbody {
                @for a in &instrument.administrations {
                    tr {
                        td class="date" { (a.date.as_deref().unwrap_or("undated")) }
                        td { (words::score(&instrument.scales[main], &a.scales[main], a.status)) }
                        td { (a.scales[main].since_previous.as_ref().map(words::change_step).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

fn items_table(instrument: &InstrumentRecord, last: &AdministrationRecord) -> Markup {
    let any_reversed = instrument.items.iter().any(|i| !i.reversed_in.is_empty());
    html! {
        h3 { "Items (latest)" }
        table class="items" {
            colgroup { col class="number"; col; col class="answer"; col class="value"; }
            thead { tr { th { "#" } th { "Item" } th { "Answer" } th class="num" { "Value" } } }
            tbody {
                @for (info, item) in instrument.items.iter().zip(&last.items) {
                    tr {
                        td { (info.id) @if !info.reversed_in.is_empty() { " " span class="reversed" title="reverse-keyed" { "R" } } }
                        td { (info.label) @if !info.scored { ", not scored" } }
                        @match item.state {
                            ItemStatus::Answered => { td { (item.answer.as_deref().unwrap_or("")) } }
                            state => { td class="missing" { (words::item_state(state)) } }
                        }
                        td class="num" { (item.value.map(svg::score_text).unwrap_or_default()) }
                    }
                }
            }
        }
        @if any_reversed {
            p class="measures" { span class="reversed" { "R" } " reverse-keyed: scored (min + max) − value in the scales named in the definition; the value shown is the answer as given." }
        }
    }
}
