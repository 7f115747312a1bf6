//! Sentences a clinician reads: the same words in HTML and Markdown.
//!
//! Scores as clinicians write them (`12 (0–27), moderate`), numbers rounded for reading (z and
//! T to one decimal, percentiles whole), no internal id in a sentence (a reference group is its
//! population in words) and never a bracket inside a bracket: a label's own bracketed aside
//! (`Depression severity (items 1-9, 0-27)`) is left out where the words around it bracket.

use screenscore::InstrumentStatus;
use screenscore::Status;
use screenscore::change::Reliable;
use screenscore::clients::{
    ChangeRecord, CutoffRecord, InstrumentRecord, ItemStatus, MethodRecord, ReliableBy, ScaleInfo,
    ScaleRecord, StandardRecord,
};
use screenscore::definition::{Direction, ReliabilityKind};

use crate::svg::score_text;

/// A text without its trailing bracketed aside: `Depression severity (items 1-9, 0-27)` is
/// `Depression severity`; a text without one is itself.
pub(crate) fn head(text: &str) -> &str {
    match text.find(" (") {
        Some(at) if at > 0 => text[..at].trim_end_matches([',', ';', ' ']),
        _ => text,
    }
}

/// A number to one decimal, as z and T are read (`-0.0` is `0.0`).
pub(crate) fn one_decimal(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

/// A percentile rank as a whole number; `<1` and `>99` at the ends, where rounding would
/// claim 0 or 100.
pub(crate) fn percentile(p: f64) -> String {
    if p < 0.5 {
        "<1".into()
    } else if p >= 99.5 {
        ">99".into()
    } else {
        format!("{}", p.round())
    }
}

/// `(0–27)`: a scale's range.
pub(crate) fn range(info: &ScaleInfo) -> String {
    format!(
        "({}–{})",
        score_text(info.range.0),
        score_text(info.range.1)
    )
}

/// `12 (0–27), moderate`, with `, prorated from 8 of 9 items` when prorated; or why there is
/// no score (`not scored: an answer could not be read`).
pub(crate) fn score(info: &ScaleInfo, scale: &ScaleRecord, status: Status) -> String {
    let Some(x) = scale.score else {
        return unscored(info, scale, status);
    };
    let mut text = format!("{} {}", score_text(x), range(info));
    if let Some(band) = &scale.band {
        text.push_str(", ");
        text.push_str(band);
    }
    if scale.prorated {
        text.push_str(&format!(
            ", prorated from {} of {} {}",
            scale.answered,
            scale.applicable,
            info.parts().1
        ));
    }
    text
}

/// Why a scale has no score.
pub(crate) fn unscored(info: &ScaleInfo, scale: &ScaleRecord, status: Status) -> String {
    if status == Status::Invalid {
        "not scored: an answer could not be read".into()
    } else if !info.components.is_empty() {
        format!(
            "not scored: {} of {} component scales scored, too few to score",
            scale.answered, scale.applicable
        )
    } else if scale.applicable == 0 {
        "not scored: no item applies".into()
    } else {
        format!(
            "not scored: {} of {} items answered, too few to score",
            scale.answered, scale.applicable
        )
    }
}

/// The reference group in words: its population without its bracketed details, and the
/// stratum (`German general population, face-to-face household surveys 2003-2008, women`).
pub(crate) fn group(s: &StandardRecord) -> String {
    let population = head(&s.population);
    if s.stratum.is_empty() {
        population.to_string()
    } else {
        format!("{population}, {}", s.stratum)
    }
}

/// `T 46.9, z -0.3 against …, women; 95% band 0–3.3, cut at the scale's end; no percentile: …`.
pub(crate) fn standard(s: &StandardRecord) -> String {
    let mut text = format!("T {}, z {}", one_decimal(s.t), one_decimal(s.z));
    if let Some(p) = s.percentile {
        text.push_str(&format!(", percentile {}", percentile(p)));
    }
    text.push_str(&format!(" against {}", group(s)));
    if let Some((lo, hi)) = s.ci95 {
        text.push_str(&format!("; 95% band {}–{}", score_text(lo), score_text(hi)));
        if s.ci95_clipped {
            text.push_str(", cut at the scale's end");
        }
    }
    if s.percentile.is_none() {
        text.push_str(
            "; no percentile: the group publishes a mean and an SD, not its spread of scores",
        );
    }
    text
}

/// `T 46.9` or `T 61.9, percentile 88`, for tables.
pub(crate) fn standard_short(s: &StandardRecord) -> String {
    match s.percentile {
        Some(p) => format!("T {}, percentile {}", one_decimal(s.t), percentile(p)),
        None => format!("T {}", one_decimal(s.t)),
    }
}

/// `+3` or `-2`: a change in points.
pub(crate) fn signed(x: f64) -> String {
    let sign = if x > 0.0 { "+" } else { "" };
    format!("{sign}{}", score_text(x))
}

/// Whether the change was reliable, in words.
fn reliable(c: &ChangeRecord) -> Option<String> {
    let way = match c.reliable? {
        Reliable::Improved => "reliable improvement",
        Reliable::Deteriorated => "reliable deterioration",
        Reliable::No => "not a reliable change",
    };
    Some(match c.rci {
        Some(r) => format!("{way}, RCI {}", one_decimal(r)),
        None => format!("{way} by the published threshold"),
    })
}

/// `-2 since 2026-02-03: not a reliable change, RCI -1.2; clinically significant change:
/// unchanged`.
pub(crate) fn change(c: &ChangeRecord) -> String {
    let mut text = format!("{} since {}", signed(c.change), c.date);
    match reliable(c) {
        Some(words) => text.push_str(&format!(": {words}")),
        None => text.push_str(": reliability not judged"),
    }
    if let Some(class) = c.class {
        text.push_str(&format!(
            "; clinically significant change: {}",
            class.as_str()
        ));
    }
    text
}

/// `-6, reliable improvement` (`-4, not reliable`; `-3` where not judged): the change from
/// the previous administration, for tables.
pub(crate) fn change_step(c: &ChangeRecord) -> String {
    let mut text = signed(c.change);
    match c.reliable {
        Some(Reliable::Improved) => text.push_str(", reliable improvement"),
        Some(Reliable::Deteriorated) => text.push_str(", reliable deterioration"),
        Some(Reliable::No) => text.push_str(", not reliable"),
        None => {}
    }
    text
}

/// `-6 since 2026-01-06, reliable improvement`, for the summary table.
pub(crate) fn change_short(c: &ChangeRecord) -> String {
    let step = change_step(c);
    match step.split_once(", ") {
        Some((points, rest)) => format!("{points} since {}, {rest}", c.date),
        None => format!("{step} since {}", c.date),
    }
}

/// How change of a scale is judged, in a sentence's words: `reliable at a change of 6 points
/// or more, the published threshold; a case at 10 or more`.
pub(crate) fn method(m: &MethodRecord, info: &ScaleInfo) -> String {
    let mut text = match &m.reliable_by {
        ReliableBy::Rci {
            sd,
            reliability,
            kind,
            group,
        } => {
            let kind = match kind {
                ReliabilityKind::InternalConsistency => "internal consistency",
                ReliabilityKind::TestRetest => "test-retest reliability",
            };
            let population = info
                .groups
                .iter()
                .find(|g| g.id == *group)
                .map_or("a reference group", |g| head(&g.population));
            format!(
                "reliable at |RCI| > 1.96, from SD {} and {kind} {} of {population}",
                score_text(*sd),
                score_text(*reliability)
            )
        }
        ReliableBy::Threshold { points } => format!(
            "reliable at a change of {} points or more, the published threshold",
            score_text(*points)
        ),
        _ => "not judged for reliability: no reference group gives an SD and a reliability, and no threshold is published".into(),
    };
    let side = match info.higher_is {
        Direction::Worse => "or more",
        Direction::Better => "or less",
    };
    match &m.cutoff {
        Some(CutoffRecord::Caseness { value }) => {
            text.push_str(&format!("; a case at {} {side}", score_text(*value)));
        }
        Some(CutoffRecord::JacobsonTruax { value }) => text.push_str(&format!(
            "; recovered past {}, between the functional and the dysfunctional reference groups",
            score_text(*value)
        )),
        _ => {}
    }
    text
}

/// How change is judged across an instrument's scales, at its latest administration: one
/// sentence where every scale is judged alike, else one per scale (`Anxiety: …; Mood: …`).
/// `None` where no administration was compared.
pub(crate) fn methods(instrument: &InstrumentRecord) -> Option<String> {
    let last = instrument.administrations.last()?;
    let said: Vec<(&str, String)> = instrument
        .scales
        .iter()
        .zip(&last.scales)
        .filter_map(|(info, s)| Some((head(&info.label), method(s.method.as_ref()?, info))))
        .collect();
    let first = &said.first()?.1;
    if said.iter().all(|(_, m)| m == first) {
        return Some(capitalised(first));
    }
    let each: Vec<String> = said.iter().map(|(l, m)| format!("{l}: {m}")).collect();
    Some(each.join("; "))
}

/// The first letter in capitals.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
        ItemStatus::Skipped => "not asked: skip rule",
        ItemStatus::Missing => "not answered",
        ItemStatus::Invalid => "unreadable answer",
        ItemStatus::NotApplicable => "does not apply",
        _ => "",
    }
}

/// What a reliable change of the instrument's main scale was judged by, for the legend of its
/// trend: the RCI where one was computed, the published threshold where it was used, or
/// `None` where no change's reliability was judged (then the trend has no legend).
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

#[cfg(test)]
mod tests {
    use super::{head, one_decimal, percentile};

    #[test]
    fn numbers_and_labels_for_reading() {
        assert_eq!(
            head("Depression severity (items 1-9, 0-27)"),
            "Depression severity"
        );
        assert_eq!(
            head("German general population, May-June 2006 (n = 5030; 53.6% women)"),
            "German general population, May-June 2006"
        );
        assert_eq!(head("Self-sacrifice"), "Self-sacrifice");
        assert_eq!(one_decimal(-0.04), "0.0");
        assert_eq!(one_decimal(46.94), "46.9");
        assert_eq!(one_decimal(-3.651), "-3.7");
        assert_eq!(percentile(88.3), "88");
        assert_eq!(percentile(99.98), ">99");
        assert_eq!(percentile(0.2), "<1");
    }
}
