//! Sentences a clinician reads: the same words in HTML and Markdown.

use screenscore::InstrumentStatus;
use screenscore::change::Reliable;
use screenscore::clients::{
    ChangeRecord, InstrumentRecord, ItemStatus, ScaleRecord, StandardRecord,
};

use crate::svg::score_text;

/// `-2 since 2026-02-03: not a reliable change (RCI -0.63)`.
pub(crate) fn change(c: &ChangeRecord) -> String {
    let sign = if c.change > 0.0 { "+" } else { "" };
    let mut text = format!("{sign}{} since {}", score_text(c.change), c.date);
    match (c.reliable, c.rci) {
        (Some(Reliable::Improved), Some(r)) => {
            text.push_str(&format!(": reliable improvement (RCI {r:.2})"))
        }
        (Some(Reliable::Deteriorated), Some(r)) => {
            text.push_str(&format!(": reliable deterioration (RCI {r:.2})"))
        }
        (Some(Reliable::No), Some(r)) => {
            text.push_str(&format!(": not a reliable change (RCI {r:.2})"))
        }
        (Some(Reliable::Improved), None) => {
            text.push_str(": reliable improvement (by the published threshold)")
        }
        (Some(Reliable::Deteriorated), None) => {
            text.push_str(": reliable deterioration (by the published threshold)")
        }
        (Some(Reliable::No), None) => {
            text.push_str(": not a reliable change (by the published threshold)")
        }
        (None, _) => text.push_str(
            ": reliability of the change not judged (no reference group gives a reliability, and no threshold is published)",
        ),
    }
    if let Some(class) = c.class {
        text.push_str(&format!(
            "; clinically significant change: {}",
            class.as_str()
        ));
    }
    text
}

/// `-2 since 2026-02-03, reliable improvement`, for the summary table.
pub(crate) fn change_short(c: &ChangeRecord) -> String {
    let sign = if c.change > 0.0 { "+" } else { "" };
    let mut text = format!("{sign}{} since {}", score_text(c.change), c.date);
    match c.reliable {
        Some(Reliable::Improved) => text.push_str(", reliable improvement"),
        Some(Reliable::Deteriorated) => text.push_str(", reliable deterioration"),
        Some(Reliable::No) => text.push_str(", not reliable"),
        None => {}
    }
    text
}

/// `T 61.9, percentile 88.3 (group, female); 95% band 4.8 to 9.2`.
pub(crate) fn standard(s: &StandardRecord) -> String {
    let mut text = format!("T {:.1}", s.t);
    if let Some(p) = s.percentile {
        text.push_str(&format!(", percentile {p:.1}"));
    }
    text.push_str(&format!(" against {}", group(s)));
    if let Some((lo, hi)) = s.ci95 {
        text.push_str(&format!(
            "; 95% band {} to {}",
            score_text(lo),
            score_text(hi)
        ));
        if s.ci95_clipped {
            text.push_str(" (clipped to the scale's range)");
        }
    }
    if s.percentile.is_none() {
        text.push_str(
            "; no percentile: the group gives a mean and an SD, not its distribution, and screening scores are too skewed to read one off a normal curve",
        );
    }
    text
}

/// The reference group in words: its population, and the stratum (`women`, `men aged 18-29`).
pub(crate) fn group(s: &StandardRecord) -> String {
    if s.stratum.is_empty() {
        s.population.clone()
    } else {
        format!("{} ({})", s.population, s.stratum)
    }
}

/// `T 81.7 · percentile 99.9`, for the summary table.
pub(crate) fn standard_short(s: &StandardRecord) -> String {
    match s.percentile {
        Some(p) => format!("T {:.1} · percentile {p:.1}", s.t),
        None => format!("T {:.1}", s.t),
    }
}

/// `14 of 27, moderate` (or why there is no score).
pub(crate) fn score(instrument: &InstrumentRecord, scale: &ScaleRecord) -> String {
    let info = instrument.scales.iter().find(|s| s.id == scale.id);
    match scale.score {
        Some(x) => {
            let mut text = score_text(x);
            if let Some(info) = info {
                text.push_str(&format!(
                    " on {} to {}",
                    score_text(info.range.0),
                    score_text(info.range.1)
                ));
            }
            if let Some(band) = &scale.band {
                text.push_str(&format!(", {band}"));
            }
            if scale.prorated {
                text.push_str(&format!(
                    " (prorated from {} of {} items)",
                    scale.answered, scale.applicable
                ));
            }
            text
        }
        None => format!(
            "not scored ({} of {} items answered)",
            scale.answered, scale.applicable
        ),
    }
}

/// The warning shown next to the scores of an instrument that is not validated.
pub(crate) fn status_warning(status: InstrumentStatus) -> Option<&'static str> {
    match status {
        InstrumentStatus::Validated => None,
        InstrumentStatus::Provisional => Some(
            "PROVISIONAL: part of this instrument's scoring key rests on a secondary source; read its scores with that in mind.",
        ),
        InstrumentStatus::Unvalidated => Some(
            "UNVALIDATED: this is not a validated instrument. Its scores describe the answers given; they are not for clinical decisions.",
        ),
    }
}

/// The state of an item in words (empty for an answered item, whose answer is shown).
pub(crate) fn item_state(state: ItemStatus) -> &'static str {
    match state {
        ItemStatus::Skipped => "not asked (skip rule)",
        ItemStatus::Missing => "not answered",
        ItemStatus::Invalid => "unreadable answer",
        ItemStatus::NotApplicable => "does not apply",
        _ => "",
    }
}

/// What a reliable change of the instrument's main scale was judged by, for the legend of its
/// trend: the RCI where one was computed, the published threshold where it was used, or
/// `None` where no change's reliability was judged.
pub(crate) fn reliability_criterion(instrument: &InstrumentRecord) -> Option<&'static str> {
    let main = instrument.main_scale();
    let changes = instrument
        .administrations
        .iter()
        .filter_map(|a| a.scales.get(main)?.since_previous.as_ref());
    let (mut rci, mut judged) = (false, false);
    for c in changes {
        rci |= c.rci.is_some();
        judged |= c.reliable.is_some();
    }
    if rci {
        Some("|RCI| > 1.96")
    } else if judged {
        Some("by the published threshold")
    } else {
        None
    }
}
