//! The four-factor profile of codependency: which scales of a client's latest administrations
//! measure one of the four factors (external focusing, self-sacrifice, emotional suppression,
//! interpersonal control), gathered once for the HTML and the Markdown report.

use screenscore::Construct;
use screenscore::Status;
use screenscore::clients::{InstrumentRecord, ScaleInfo, ScaleRecord};

use crate::attention::latest;
use crate::weight;

/// One scale of the profile, from the latest administration of its instrument.
pub(crate) struct FactorScale<'c> {
    pub(crate) construct: Construct,
    pub(crate) instrument: &'c InstrumentRecord,
    pub(crate) info: &'c ScaleInfo,
    pub(crate) scale: &'c ScaleRecord,
    pub(crate) status: Status,
}

/// The profile's scales in the order of the four factors, the instruments they come from, and
/// the weight of the least established of those.
pub(crate) struct Profile<'c> {
    pub(crate) scales: Vec<FactorScale<'c>>,
    pub(crate) sources: Vec<&'c InstrumentRecord>,
    pub(crate) weight: u8,
}

impl<'c> Profile<'c> {
    /// The profile of `instruments`, where a scale measures one of the four factors (not only
    /// codependency as a whole).
    pub(crate) fn of(instruments: &[&'c InstrumentRecord]) -> Option<Profile<'c>> {
        let mut scales = Vec::new();
        let mut sources: Vec<&InstrumentRecord> = Vec::new();
        for construct in Construct::ALL {
            for &instrument in instruments {
                let Some(last) = latest(instrument) else {
                    continue;
                };
                for (info, scale) in instrument.scales.iter().zip(&last.scales) {
                    if info.construct == Some(construct) {
                        scales.push(FactorScale {
                            construct,
                            instrument,
                            info,
                            scale,
                            status: last.status,
                        });
                        if !sources.iter().any(|i| i.id == instrument.id) {
                            sources.push(instrument);
                        }
                    }
                }
            }
        }
        if !scales
            .iter()
            .any(|s| s.construct != Construct::Codependency)
        {
            return None;
        }
        let weight = sources.iter().map(|i| weight(i.status)).max().unwrap_or(0);
        Some(Profile {
            scales,
            sources,
            weight,
        })
    }
}
