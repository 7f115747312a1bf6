//! The sources of a report: per instrument its citation, licence and how its change is judged,
//! and every other reference behind what the report says (bands, the reference groups used,
//! published thresholds), each given once with what it supports. The same list in HTML and
//! Markdown.

use screenscore::clients::{InstrumentRecord, ReliableBy};
use screenscore::definition::{CommercialUse, Direction};

use crate::svg::score_text;
use crate::words::{self, head};

/// One instrument's entry: what a reader cites and may use it for.
pub(crate) struct InstrumentSource<'c> {
    pub(crate) name: &'c str,
    /// `definition 1.0.0, validated`.
    pub(crate) about: String,
    pub(crate) citation: &'c str,
    /// `Free to use (Copyright © Pfizer Inc.); commercial use allowed`.
    pub(crate) licence: String,
    /// How change is judged, where any administration was compared.
    pub(crate) change: Option<String>,
}

/// A reference, once, with what it supports in this report.
pub(crate) struct Reference {
    pub(crate) text: String,
    /// Per use, the instrument's name and what the reference gives it.
    uses: Vec<(String, String)>,
}

impl Reference {
    /// The reference as cited: ending in a full stop.
    pub(crate) fn cited(&self) -> String {
        let text = self.text.trim_end();
        if text.ends_with('.') {
            text.to_string()
        } else {
            format!("{text}.")
        }
    }

    /// What it supports: `For Patient Health Questionnaire-9: reliable change of Depression
    /// severity at 6 points; caseness at 10 or more.`
    pub(crate) fn uses(&self) -> String {
        let mut text = String::from("For ");
        let mut last: Option<&str> = None;
        for (k, (name, what)) in self.uses.iter().enumerate() {
            if k > 0 {
                text.push_str("; ");
            }
            if last != Some(name) {
                text.push_str(name);
                text.push_str(": ");
            }
            text.push_str(what);
            last = Some(name);
        }
        text.push('.');
        text
    }
}

/// The instruments' entries, in the order given.
pub(crate) fn instruments<'c>(instruments: &[&'c InstrumentRecord]) -> Vec<InstrumentSource<'c>> {
    instruments
        .iter()
        .map(|i| InstrumentSource {
            name: &i.name,
            about: format!("definition {}, {}", i.version, i.status.as_str()),
            citation: i.citation.trim_end_matches('.'),
            licence: format!(
                "{}; {}",
                i.license.name,
                match i.license.commercial_use {
                    CommercialUse::Allowed => "commercial use allowed",
                    CommercialUse::NotAllowed => "non-commercial use only",
                    CommercialUse::NotStated => "commercial use not stated",
                }
            ),
            change: words::methods(i),
        })
        .collect()
}

/// Every reference behind the bands, the reference groups used and the published thresholds
/// of `instruments`, each once (the same text for several purposes is one reference), in the
/// order first used.
pub(crate) fn references(instruments: &[&InstrumentRecord]) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut cite = |text: &str, name: &str, what: String| {
        let what = (name.to_string(), what);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        match out.iter_mut().find(|r| r.text == text) {
            Some(r) if !r.uses.contains(&what) => r.uses.push(what),
            Some(_) => {}
            None => out.push(Reference {
                text: text.to_string(),
                uses: vec![what],
            }),
        }
    };
    for instrument in instruments {
        let name = &instrument.name;
        for (s, info) in instrument.scales.iter().enumerate() {
            let label = head(&info.label);
            if let Some(source) = info.band_source.as_ref().filter(|_| !info.bands.is_empty()) {
                cite(&source.reference, name, format!("bands of {label}"));
            }
            let used = |id: &str| {
                instrument.administrations.iter().any(|a| {
                    let scale = &a.scales[s];
                    scale.standard.as_ref().is_some_and(|x| x.group == id)
                        || scale.method.as_ref().is_some_and(|m| {
                            matches!(&m.reliable_by, ReliableBy::Rci { group, .. } if group == id)
                        })
                })
            };
            for group in info.groups.iter().filter(|g| used(&g.id)) {
                cite(
                    &group.source.reference,
                    name,
                    format!("norms of {label}, {}", group.population),
                );
            }
            let Some(thresholds) = &info.thresholds else {
                continue;
            };
            if let Some(t) = &thresholds.reliable_change {
                cite(
                    &t.source.reference,
                    name,
                    format!(
                        "reliable change of {label} at {} points",
                        score_text(t.points)
                    ),
                );
            }
            if let Some(c) = &thresholds.caseness {
                let side = match info.higher_is {
                    Direction::Worse => "or more",
                    Direction::Better => "or less",
                };
                cite(
                    &c.source.reference,
                    name,
                    format!("caseness at {} {side}", score_text(c.from)),
                );
            }
        }
    }
    out
}

/// The closing line: made here, sent nowhere.
pub(crate) fn made(tool_version: &str, generated: &str) -> String {
    format!(
        "Scored by screenscore {tool_version} on {generated}. This report was made on this computer; no data was sent anywhere."
    )
}
