//! The HTML report: one self-contained page (inline CSS and SVG; no script, no external
//! resource), written with maud, which escapes every interpolated value.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use screenscore::Construct;
use screenscore::change::Reliable;
use screenscore::clients::{AdministrationRecord, ClientHistory, InstrumentRecord, ItemStatus};
use screenscore::definition::CommercialUse;

use crate::attention::{Attention, latest};
use crate::svg::{self, Bar, Point};
use crate::{Options, words};

const CSS: &str = include_str!("style.css");

pub(crate) fn page(client: &ClientHistory, attention: &[Attention], options: &Options) -> String {
    let names: Vec<&str> = client.instruments.iter().map(|i| i.name.as_str()).collect();
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("screenscore {}", options.tool_version));
                title { "Client " (client.client) " · screenscore report" }
                style { (PreEscaped(CSS)) }
            }
            body {
                main class="report" {
                    header class="client" {
                        h1 { "Client " span class="client-id" { (client.client) } }
                        dl class="meta" {
                            dt { "Administrations" }
                            dd { (client.dates.join(", ")) " (" (client.dates.len()) ")" }
                            dt { "Instruments" }
                            dd { (names.join(", ")) }
                            dt { "Report" }
                            dd { "generated " (options.generated) " by screenscore " (options.tool_version) " on this computer" }
                        }
                    }
                    (attention_box(attention, client))
                    (glance(client))
                    @if let Some(outcome) = &client.outcome {
                        (crate::episode::html(outcome))
                    }
                    (factors(client))
                    @for instrument in &client.instruments {
                        (instrument_section(instrument))
                    }
                    (provenance(client, options))
                }
            }
        }
    };
    markup.into_string()
}

fn instrument_name<'c>(client: &'c ClientHistory, id: &'c str) -> &'c str {
    client
        .instruments
        .iter()
        .find(|i| i.id == id)
        .map_or(id, |i| i.name.as_str())
}

fn attention_box(items: &[Attention], client: &ClientHistory) -> Markup {
    html! {
        @if items.is_empty() {
            section class="attention none" {
                h2 { "Needs attention" }
                p { "No critical flag and no unanswered critical item in the latest administration of any instrument." }
            }
        } @else {
            section class="attention" {
                h2 { "Needs attention" }
                ul {
                    @for item in items {
                        li class=(item.severity.as_str()) {
                            strong { (instrument_name(client, &item.instrument)) @if let Some(d) = &item.date { ", " (d) } ": " }
                            (item.message)
                        }
                    }
                }
            }
        }
    }
}

fn glance(client: &ClientHistory) -> Markup {
    html! {
        section class="glance" {
            h2 { "At a glance" }
            table {
                thead { tr { th { "Instrument" } th { "Latest" } th { "Score" } th { "Against norms" } th { "Change" } } }
                tbody {
                    @for instrument in &client.instruments {
                        @if let Some(last) = latest(instrument) {
                            @let main = &last.scales[instrument.main_scale()];
                            tr {
                                td {
                                    (instrument.name)
                                    @if let Some(w) = words::status_warning(instrument.status) {
                                        " " span class=(format!("badge {}", instrument.status.as_str())) title=(w) { (instrument.status.as_str()) }
                                    }
                                }
                                td class="date" { (last.date.as_deref().unwrap_or("no date")) }
                                td { (words::score(instrument, main)) }
                                td { (main.standard.as_ref().map(words::standard_short).unwrap_or_default()) }
                                td { (main.since_previous.as_ref().map(words::change_short).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The four factors of codependency, lined up from every scale that declares one.
fn factors(client: &ClientHistory) -> Markup {
    let mut bars = Vec::new();
    let mut sources: Vec<&InstrumentRecord> = Vec::new();
    for construct in Construct::ALL {
        for instrument in &client.instruments {
            let Some(last) = latest(instrument) else {
                continue;
            };
            for (info, scale) in instrument.scales.iter().zip(&last.scales) {
                if info.construct == Some(construct) {
                    bars.push((construct, instrument, info, scale.score));
                    if !sources.iter().any(|i| i.id == instrument.id) {
                        sources.push(instrument);
                    }
                }
            }
        }
    }
    if !bars.iter().any(|(c, ..)| *c != Construct::Codependency) {
        return html! {};
    }
    let labels: Vec<String> = bars
        .iter()
        .map(|(c, i, ..)| format!("{} ({})", c.label(), i.id.to_uppercase()))
        .collect();
    let drawn: Vec<Bar<'_>> = bars
        .iter()
        .zip(&labels)
        .map(|((_, _, info, score), label)| Bar {
            label,
            score: *score,
            range: info.range,
        })
        .collect();
    html! {
        section class="factors" {
            h2 { "Four-factor profile of codependency" }
            p class="measures" { "External focusing, self-sacrifice, emotional suppression and interpersonal control (Dear, Roberts & Lange 2004), from every scale that measures one of them; latest administration." }
            @for instrument in &sources {
                @if let Some(w) = words::status_warning(instrument.status) {
                    p class="status-warning" { (instrument.name) ": " (w) }
                }
            }
            (svg::profile("Four-factor profile", &drawn))
        }
    }
}

fn instrument_section(instrument: &InstrumentRecord) -> Markup {
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
                (instrument.name) " (" (instrument.id) ") "
                span class=(format!("badge {}", instrument.status.as_str())) { (instrument.status.as_str()) }
            }
            p class="measures" { (instrument.measures) }
            @if let Some(w) = words::status_warning(instrument.status) {
                p class="status-warning" { (w) }
            }
            p class="latest" {
                (main_info.label) ", latest (" (last.date.as_deref().unwrap_or("no date")) "): "
                @if let Some(score) = main.score {
                    strong { (svg::score_text(score)) }
                    " (range " (svg::score_text(main_info.range.0)) " to " (svg::score_text(main_info.range.1)) ")"
                    @if let Some(band) = &main.band { " · " strong { (band) } }
                    @if main.prorated { " · prorated from " (main.answered) " of " (main.applicable) " items" }
                } @else {
                    strong { "not scored" } " (" (main.answered) " of " (main.applicable) " items answered)"
                }
            }
            @if let Some(s) = &main.standard { p { (words::standard(s)) } }
            @if let Some(score) = main.score {
                (svg::band_bar(main_info, score, main.standard.as_ref().and_then(|s| s.ci95)))
            }
            @if let Some(c) = &main.since_previous { p { "Since previous: " (words::change(c)) } }
            @if let Some(c) = main.since_first.as_ref().filter(|f| Some(&f.date) != main.since_previous.as_ref().map(|p| &p.date)) {
                p { "Since first: " (words::change(c)) }
            }
            @if instrument.scales.len() > 1 { (subscales(instrument, last)) }
            h3 { "Over time" }
            @if points.len() > 1 {
                (svg::trend(main_info, &points, words::reliability_criterion(instrument)))
            } @else {
                p { "One scored administration so far: no trend yet." }
            }
            (history_table(instrument))
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

fn subscales(instrument: &InstrumentRecord, last: &AdministrationRecord) -> Markup {
    let bars: Vec<Bar<'_>> = instrument
        .scales
        .iter()
        .zip(&last.scales)
        .map(|(info, scale)| Bar {
            label: info.construct.map_or(info.id.as_str(), |c| c.label()),
            score: scale.score,
            range: info.range,
        })
        .collect();
    html! {
        h3 { "Scales (latest)" }
        (svg::profile("Scales of the latest administration", &bars))
        table {
            thead { tr { th { "Scale" } th { "Score" } th { "Against norms" } th { "Since previous" } } }
            tbody {
                @for (info, scale) in instrument.scales.iter().zip(&last.scales) {
                    tr {
                        td { (info.label) }
                        td { (words::score(instrument, scale)) }
                        td { (scale.standard.as_ref().map(words::standard).unwrap_or_default()) }
                        td { (scale.since_previous.as_ref().map(words::change).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

fn history_table(instrument: &InstrumentRecord) -> Markup {
    html! {
        table class="history" {
            thead { tr { th { "Date" } th { "Status" } th { (instrument.scales[instrument.main_scale()].label) } th { "Since previous" } } }
            tbody {
                @for a in &instrument.administrations {
                    tr {
                        td class="date" { (a.date.as_deref().unwrap_or("no date")) }
                        td class="status" { (a.status.to_string()) }
                        td { (words::score(instrument, &a.scales[instrument.main_scale()])) }
                        td { (a.scales[instrument.main_scale()].since_previous.as_ref().map(words::change_short).unwrap_or_default()) }
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
            thead { tr { th { "#" } th { "Item" } th { "Answer" } th class="num" { "Value" } } }
            tbody {
                @for (info, item) in instrument.items.iter().zip(&last.items) {
                    tr {
                        td { (info.id) @if !info.reversed_in.is_empty() { " " span class="reversed" title="reverse-keyed" { "R" } } }
                        td { (info.label) @if !info.scored { " (not scored)" } }
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

fn provenance(client: &ClientHistory, options: &Options) -> Markup {
    html! {
        footer class="provenance" {
            h3 { "Sources" }
            @for instrument in &client.instruments {
                p {
                    strong { (instrument.id) " " (instrument.version) } " · " (instrument.name) ". "
                    (instrument.citation) ". Licence: " (instrument.license.name) " (" (commercial(instrument.license.commercial_use)) "). Status: " (instrument.status.as_str()) "."
                    @if let Some(w) = words::status_warning(instrument.status) { " " (w) }
                }
                @if let Some(method) = latest(instrument).map(|a| a.change_method.as_str()).filter(|m| !m.is_empty()) {
                    p { "Change (" (instrument.id) "): " (method) "." }
                }
            }
            p { "Every band, key, norm and cut-off of each instrument, with its source: " code { "screenscore instruments show ID" } "." }
            p { "Scored by screenscore " (options.tool_version) " on " (options.generated) ". This report was made on this computer; no data was sent anywhere." }
        }
    }
}

fn commercial(use_: CommercialUse) -> &'static str {
    match use_ {
        CommercialUse::Allowed => "commercial use allowed",
        CommercialUse::NotAllowed => "non-commercial use only",
        CommercialUse::NotStated => "commercial use not stated",
    }
}
