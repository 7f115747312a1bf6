//! The HTML report: one self-contained page (inline CSS and SVG; no script, no external
//! resource), written with maud, which escapes every interpolated value.
//!
//! Sections in the order of clinical weight: validated instruments before provisional ones
//! before unvalidated ones, and the four-factor profile with the least established of the
//! instruments it draws on (after the validated ones when one of them is not validated).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use screenscore::Construct;
use screenscore::clients::{ClientHistory, InstrumentRecord};

use crate::attention::{Attention, latest};
use crate::profile::Profile;
use crate::section::instrument_section;
use crate::svg::{self, Bar};
use crate::{Options, by_weight, sources, weight, words};

const CSS: &str = include_str!("style.css");

pub(crate) fn page(client: &ClientHistory, attention: &[Attention], options: &Options) -> String {
    let instruments = by_weight(client);
    let names: Vec<&str> = instruments.iter().map(|i| i.name.as_str()).collect();
    let factors = Factors::of(&instruments);
    // The profile goes before the first section weighing less than its least established
    // source (after every section when none does).
    let profile_at = factors.as_ref().map_or(usize::MAX, |f| {
        instruments
            .iter()
            .position(|i| weight(i.status) >= f.weight)
            .unwrap_or(instruments.len())
    });
    let ids: Vec<&str> = instruments.iter().map(|i| i.id.as_str()).collect();
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
                            dd { (client.dates.len()) ": " (client.dates.join(", ")) }
                            dt { "Instruments" }
                            dd { (names.join(", ")) }
                            dt { "Report" }
                            dd { "generated " (options.generated) " by screenscore " (options.tool_version) " on this computer" }
                        }
                    }
                    (attention_box(attention, client))
                    (glance(&instruments))
                    @if let Some(outcome) = &client.outcome {
                        (crate::episode::html(outcome, &ids))
                    }
                    @for (k, instrument) in instruments.iter().enumerate() {
                        @if k == profile_at { @if let Some(f) = &factors { (f.html()) } }
                        (instrument_section(instrument, factors.as_ref().is_some_and(|f| f.draws_all(instrument))))
                    }
                    @if profile_at == instruments.len() { @if let Some(f) = &factors { (f.html()) } }
                    (provenance(&instruments, options))
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

fn glance(instruments: &[&InstrumentRecord]) -> Markup {
    html! {
        section class="glance" {
            h2 { "At a glance" }
            table {
                colgroup { col class="name"; col class="date"; col; col class="norms"; col; }
                thead { tr { th { "Instrument" } th { "Latest" } th { "Score" } th { "Against norms" } th { "Change" } } }
                tbody {
                    @for instrument in instruments {
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
                                td { (words::score(&instrument.scales[instrument.main_scale()], main, last.status)) }
                                td { (main.standard.as_ref().map(words::standard_short).unwrap_or_default()) }
                                td { (svg::dated(&main.since_previous.as_ref().map(words::change_short).unwrap_or_default())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One bar of the profile: the factor, its instrument, its label, the score and the range.
type FactorBar<'c> = (
    Construct,
    &'c InstrumentRecord,
    String,
    Option<f64>,
    (f64, f64),
);

/// The four factors of codependency, lined up from every scale that declares one.
struct Factors<'c> {
    /// Per bar: the factor, its instrument, and the bar.
    bars: Vec<FactorBar<'c>>,
    sources: Vec<&'c InstrumentRecord>,
    /// The weight of the least established source.
    weight: u8,
}

impl<'c> Factors<'c> {
    /// The profile, where a scale measures one of the four factors (not only the whole).
    fn of(instruments: &[&'c InstrumentRecord]) -> Option<Factors<'c>> {
        let Profile {
            scales,
            sources,
            weight,
        } = Profile::of(instruments)?;
        let found = scales
            .into_iter()
            .map(|s| (s.construct, s.instrument, s.scale.score, s.info.range));
        let several = sources.len() > 1;
        let bars = found
            .map(|(c, i, score, range)| {
                let label = if several {
                    format!("{}, {}", c.label(), i.name)
                } else {
                    c.label().to_string()
                };
                (c, i, label, score, range)
            })
            .collect();
        Some(Factors {
            bars,
            sources,
            weight,
        })
    }

    /// Whether the profile draws every scale of `instrument` (whose own chart of scales would
    /// repeat it).
    fn draws_all(&self, instrument: &InstrumentRecord) -> bool {
        self.sources.len() == 1
            && self.sources[0].id == instrument.id
            && instrument.scales.iter().all(|s| s.construct.is_some())
    }

    fn html(&self) -> Markup {
        let drawn: Vec<Bar<'_>> = self
            .bars
            .iter()
            .map(|(_, _, label, score, range)| Bar {
                label,
                score: *score,
                range: *range,
            })
            .collect();
        let from: Vec<&str> = self.sources.iter().map(|i| i.name.as_str()).collect();
        html! {
            section class="factors" {
                h2 { "Four-factor profile of codependency" }
                p class="measures" {
                    "External focusing, self-sacrifice, emotional suppression and interpersonal control, the four factors of Dear, Roberts & Lange 2004; latest administration of the "
                    (from.join(" and ")) "."
                }
                @for instrument in &self.sources {
                    @if let Some(w) = words::status_warning(instrument.status) {
                        p class="status-warning" { (instrument.name) ": " (w) }
                    }
                }
                (svg::profile("Four-factor profile", &drawn))
            }
        }
    }
}

fn provenance(instruments: &[&InstrumentRecord], options: &Options) -> Markup {
    html! {
        footer class="provenance" {
            h3 { "Sources" }
            @for s in sources::instruments(instruments) {
                p {
                    strong { (s.name) } ", " (s.about) ". " (s.citation) ". Licence: " (s.licence) "."
                    @if let Some(change) = &s.change { " Change: " (change) "." }
                }
            }
            @let references = sources::references(instruments);
            @if !references.is_empty() {
                ul class="references" {
                    @for r in &references {
                        li { (r.cited()) " " span class="uses" { (r.uses()) } }
                    }
                }
            }
            p { (sources::made(&options.tool_version, &options.generated)) }
        }
    }
}
