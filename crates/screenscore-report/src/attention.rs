//! What needs attention today: critical and warning flags of each instrument's latest
//! administration, and latest administrations that could not be scored.
//!
//! This selects what scoring already decided; it decides nothing itself.

use serde::Serialize;

use screenscore::Severity;
use screenscore::Status;
use screenscore::clients::{AdministrationRecord, ClientHistory, InstrumentRecord};

/// One thing a clinician should look at first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    /// `critical` or `warning`.
    pub severity: Severity,
    /// The instrument id.
    pub instrument: String,
    /// The administration's date.
    pub date: Option<String>,
    /// What it is, in words.
    pub message: String,
}

/// The latest administration of an instrument (the last in date order).
pub fn latest(instrument: &InstrumentRecord) -> Option<&AdministrationRecord> {
    instrument.administrations.last()
}

/// Everything that needs attention, critical first, then by the instruments' clinical weight
/// (validated first).
pub fn attention(client: &ClientHistory) -> Vec<Attention> {
    let mut items = Vec::new();
    for instrument in crate::by_weight(client) {
        let Some(latest) = latest(instrument) else {
            continue;
        };
        for flag in &latest.flags {
            if flag.severity >= Severity::Warning {
                items.push(Attention {
                    severity: flag.severity,
                    instrument: instrument.id.clone(),
                    date: latest.date.clone(),
                    message: flag.label.clone(),
                });
            }
        }
        if latest.status == Status::Invalid {
            items.push(Attention {
                severity: Severity::Warning,
                instrument: instrument.id.clone(),
                date: latest.date.clone(),
                message: format!(
                    "the latest administration could not be scored: {}",
                    latest.errors.join("; ")
                ),
            });
        }
    }
    items.sort_by_key(|a| std::cmp::Reverse(a.severity));
    items
}
